"""Time and peak memory of ``kg validate`` on a built corpus, per engine, streamed or whole-file.

Each run is a fresh ``kg validate`` process, so its peak RSS (from
``resource.getrusage(RUSAGE_CHILDREN)``, the same figure ``/usr/bin/time -v``
gives) is its own. The streamed reports are compared with the whole-file
pySHACL report when that one is given (``--reference``) or measured.

Usage::

    python benchmarks/corpus.py 1000 -o /tmp/corpus-1000.jsonl
    kg build /tmp/corpus-1000.jsonl -o /tmp/c1000.nq --no-cache     # time it the same way: --build
    python benchmarks/validate.py /tmp/c1000.nq --engines fast pyrudof --whole pyshacl

    # a 10,000-article file from the 1,000-article one, article ids renamed in each of 10 copies
    python benchmarks/validate.py --replicate 10 /tmp/c1000.nq -o /tmp/c10000-r.nq
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = re.compile(r"(/article/)(a\d+)")


def measure(args: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS in MB, exit code, stdout) of one command, in a process of its own.

    The command runs under a small Python parent that reports its child's
    ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, so each figure is that
    run's alone (the same number ``/usr/bin/time -v`` prints).
    """
    wrapper = (
        "import resource, subprocess, sys\n"
        "rc = subprocess.run(sys.argv[1:], stdout=open(sys.argv[0] + '.out', 'w')).returncode\n"
        "sys.stderr.write(f'{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {rc}\\n')\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "run.py"
        script.write_text(wrapper)
        t = time.perf_counter()
        done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
        peak, rc = done.stderr.strip().splitlines()[-1].split()
        out = Path(str(script) + ".out").read_text()
    return wall, int(peak) / 1024, int(rc), out


def replicate(source: Path, copies: int, out: Path) -> None:
    """Write ``copies`` copies of a built file's article graphs (ids renamed ``rK-aNNNNN``); shared lines once."""
    shared: dict[str, None] = {}
    with out.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            with source.open(encoding="utf-8") as src:
                for line in src:
                    if "/article/a" in line:
                        line = ARTICLE.sub(lambda m, k=k: f"{m.group(1)}r{k}-{m.group(2)}", line)
                        line = re.sub(r'"(a\d{5,})"', lambda m, k=k: f'"r{k}-{m.group(1)}"', line)
                        fh.write(line)
                    elif k == 0:
                        shared.setdefault(line)
        fh.writelines(shared)


def main(argv: list[str] | None = None) -> int:
    """Measure ``kg validate`` runs on one file and print a table (and JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", type=Path)
    ap.add_argument("--engines", nargs="*", default=["fast"], help="streamed engines: fast pyshacl pyrudof")
    ap.add_argument("--whole", nargs="*", default=[], help="whole-file engines: fast pyshacl")
    ap.add_argument("--build", type=Path, help="a corpus (JSONL) to build into GRAPH first, timed the same way")
    ap.add_argument("--replicate", type=int, help="write COPIES copies of GRAPH's articles to -o and stop")
    ap.add_argument("-o", "--output", type=Path)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    if a.replicate:
        if a.output is None:
            ap.error("--replicate needs -o")
        replicate(a.graph, a.replicate, a.output)
        return 0
    rows = []
    kg = [sys.executable, "-m", "kg"]
    if a.build:
        wall, rss, rc, _ = measure([*kg, "build", str(a.build), "-o", str(a.graph), "--no-cache"])
        rows.append({"run": "build", "seconds": round(wall, 1), "peak_mb": round(rss), "exit": rc})
    reports: dict[str, str] = {}
    for engine in a.whole:
        wall, rss, rc, out = measure([*kg, "validate", str(a.graph), "--whole", "--engine", engine, "--format", "json"])
        reports[f"whole {engine}"] = out
        rows.append(
            {"run": f"validate --whole --engine {engine}", "seconds": round(wall, 1), "peak_mb": round(rss), "exit": rc}
        )
    for engine in a.engines:
        wall, rss, rc, out = measure([*kg, "validate", str(a.graph), "--engine", engine, "--format", "json"])
        reports[f"stream {engine}"] = out
        rows.append(
            {"run": f"validate --engine {engine}", "seconds": round(wall, 1), "peak_mb": round(rss), "exit": rc}
        )
    ref = reports.get("whole pyshacl")
    for row in rows:
        key = row["run"].replace("validate --whole --engine ", "whole ").replace("validate --engine ", "stream ")
        if ref is not None and key in reports:
            row["same_as_whole_pyshacl"] = _results(reports[key]) == _results(ref)
        if reports.get(key):
            doc = json.loads(reports[key])
            row["violations"], row["warnings"] = doc["violations"], doc["warnings"]
    for row in rows:
        print("  ".join(f"{k}={v}" for k, v in row.items()))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def _results(report: str) -> set[tuple[str, ...]]:
    doc = json.loads(report) if report else {"results": []}
    keys = ("severity", "shape", "message", "focus", "path", "value", "component")
    return {tuple(str(r.get(k)) for k in keys) for r in doc["results"]}


if __name__ == "__main__":
    raise SystemExit(main())
