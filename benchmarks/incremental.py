"""Time incremental builds into the embedded store, and the extraction cache (issue 16).

Steps, each its own ``kg`` process (timed by benchmarks/run.py's runner):

1. ``kg build BASE/ --store S --workers 2`` on N generated articles with an
   empty cache: the build an analyst starts from;
2. ``kg build NEW/ --store S --workers 2``: K more articles added to it (the
   figure that must stay a small share of step 1);
3. ``kg build BASE/ NEW/ --store T``: the same N + K from scratch (warm
   cache), and the two stores compared quad for quad, provenance aside (it
   names each run by design);
4. ``kg build BASE/ -o out.nq`` with the warm cache, ``--workers 2`` and 1:
   a rebuild that extracts nothing, and the bytes compared with step 5;
5. ``kg build BASE/ -o out.nq --no-cache --workers 2``: the same bytes, extracted afresh.

Usage (from the repository root, in the venv)::

    python benchmarks/incremental.py                   # 1,000 + 10 articles
    python benchmarks/incremental.py --n 200 --k 10    # a smoke run
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402  (a sibling script)
from run import Step, machine, run  # noqa: E402

KG = [sys.executable, "-m", "kg", "-q"]


def write_split(n: int, k: int, work: Path) -> tuple[Path, Path]:
    """The first ``n`` generated articles in ``work/base``, the next ``k`` in ``work/new``."""
    base, new = work / "base", work / "new"
    base.mkdir(parents=True)
    new.mkdir()
    for i, (aid, date, text) in enumerate(corpus.articles(n + k, corpus.load_pools())):
        (base if i < n else new).joinpath(f"{aid}.txt").write_text(f"date {date} {text}\n", encoding="utf-8")
    return base, new


def store_quads(folder: Path) -> tuple[set[str], set[str]]:
    """(every quad but provenance, the provenance quads) of a store, as N-Quads strings."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(folder))
    rest, prov = set(), set()
    for q in store:
        (prov if str(q.graph_name).endswith("/graph/provenance>") else rest).add(str(q))
    del store
    return rest, prov


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the steps and print a Markdown section for docs/benchmarks.md."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles in the first build")
    ap.add_argument("--k", type=int, default=10, help="articles added")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kg-incremental-"))
    cache = work / "cache"
    try:
        base, new = write_split(args.n, args.k, work)
        c = ["--cache", str(cache)]
        steps: list[Step] = [
            run("build N into a store, empty cache, 2 workers", args.n,
                [*KG, "build", str(base), "--store", str(work / "s"), "--workers", "2", *c]),
            run("add K to that store, 2 workers", args.k,
                [*KG, "build", str(new), "--store", str(work / "s"), "--workers", "2", *c]),
            run("add the same K again (nothing to do)", args.k,
                [*KG, "build", str(new), "--store", str(work / "s"), "--workers", "2", *c]),
            run("build N + K from scratch into a store, warm cache, 2 workers", args.n + args.k,
                [*KG, "build", str(base), str(new), "--store", str(work / "t"), "--workers", "2", *c]),
            run("rebuild N to .nq, warm cache, 2 workers", args.n,
                [*KG, "build", str(base), "-o", str(work / "warm2.nq"), "--workers", "2", *c]),
            run("rebuild N to .nq, warm cache, 1 worker", args.n,
                [*KG, "build", str(base), "-o", str(work / "warm1.nq"), "--workers", "1", *c]),
            run("build N to .nq, no cache, 2 workers", args.n,
                [*KG, "build", str(base), "-o", str(work / "cold.nq"), "--workers", "2", "--no-cache"]),
        ]
        for s in steps:
            if s.rc not in (0, 1):
                print(f"step failed: {s.name} (exit {s.rc}) {s.note}", file=sys.stderr)
        a_rest, a_prov = store_quads(work / "s")
        b_rest, b_prov = store_quads(work / "t")
        same_bytes = _sha(work / "warm2.nq") == _sha(work / "cold.nq") == _sha(work / "warm1.nq")
        info = machine()
        first, add = steps[0].wall or 0.0, steps[1].wall or 0.0
        print(f"## Incremental builds and the extraction cache (issue 16, {args.n:,} + {args.k} articles)\n")
        print(f"Measured by `python benchmarks/incremental.py --n {args.n} --k {args.k}` on {info['cpus']} CPUs, "
              f"{info['memory']}, load {info['load']} at the start; corpus from benchmarks/corpus.py.\n")
        print("| step | articles | wall | CPU | peak memory | articles/s |")
        print("|---|--:|--:|--:|--:|--:|")
        for s in steps:
            rate = f"{s.rate:,.0f}" if s.rate else "—"
            cpu = f"{s.cpu:.1f} s" if s.cpu is not None else "—"
            wall = f"{s.wall:.2f} s" if s.wall is not None else "—"
            print(f"| {s.name} | {s.size:,} | {wall} | {cpu} | {s.peak_mb or 0:,.0f} MB | {rate} |")
        print()
        print(f"- adding {args.k} articles cost {add:.2f} s, {100 * add / first:.1f}% of building the {args.n:,} "
              f"({first:.1f} s)")
        print(f"- the store after adding equals the from-scratch build of the {args.n + args.k:,}, quad for quad "
              f"outside the provenance graph: {'yes' if a_rest == b_rest else 'NO'} ({len(a_rest):,} quads); "
              f"provenance: {len(a_prov):,} quads (two runs) against {len(b_prov):,} (one run)")
        same = "yes" if same_bytes else "NO"
        print(f"- warm-cache rebuild, cold build and 1-worker rebuild give the same bytes: {same}")
        print(f"- cache: {sum(1 for _ in cache.rglob('*.json')):,} entries, "
              f"{sum(p.stat().st_size for p in cache.rglob('*.json')) / 1e6:.1f} MB")
        return 0 if a_rest == b_rest and same_bytes else 1
    finally:
        if not os.environ.get("KG_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
