"""Time every saved query on an embedded store: default parameters, and with parameters.

Each query runs twice in one process with the store opened once per run (as
``kg query --store`` opens it); the table gives the second run's time and the
rows of the page (100 by default on a store) and in all.

Usage (from the repository root, in the venv)::

    python benchmarks/corpus.py 10000 -o /tmp/corpus-10000.jsonl
    kg build /tmp/corpus-10000.jsonl --store /tmp/store-10000 --no-validate
    python benchmarks/queries.py /tmp/store-10000 > /tmp/queries.md
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.queries import list_queries, run_query

WITH_PARAMS: list[tuple[str, dict[str, str]]] = [
    ("meetings", {"actor": "North Korea"}),
    ("planned", {"actor": "North Korea"}),
    ("allegations", {"accused": "North Korea"}),
    ("disputed", {"state": "denied"}),
    ("timeline", {"a": "India", "b": "Pakistan"}),
    ("sources", {"node": "Pyongyang"}),
    ("sources", {"text": "summit"}),
    ("actors", {"text": "korea"}),
    ("corroborated", {"min": "10"}),
]


class _Totals(logging.Handler):
    """Catches kg's "rows 1–100 of N" line, to report the total."""

    def __init__(self) -> None:
        super().__init__()
        self.total: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        m = re.search(r"of (\d+)", record.getMessage())
        if m:
            self.total = m.group(1)


def timed(store: Path, name: str, params: dict[str, str]) -> tuple[float, int, str]:
    """Seconds of the second of two runs, rows on the page, rows in all."""
    handler = _Totals()
    logging.getLogger("kg.queries").addHandler(handler)
    try:
        run_query(name, store=store, params=params)
        handler.total = None
        start = time.perf_counter()
        result = run_query(name, store=store, params=params)
        seconds = time.perf_counter() - start
    finally:
        logging.getLogger("kg.queries").removeHandler(handler)
    return seconds, len(result.rows), handler.total or str(len(result.rows))


def main(argv: list[str] | None = None) -> int:
    """Print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="an embedded store folder built by kg")
    args = parser.parse_args(argv)
    logging.getLogger("kg.queries").setLevel(logging.INFO)
    logging.getLogger("kg.queries").propagate = False
    print("| query | parameters | time | rows shown | rows in all |")
    print("|---|---|---:|---:|---:|")
    runs = [(q.name, {}) for q in list_queries()] + WITH_PARAMS
    for name, params in runs:
        seconds, shown, total = timed(args.store, name, params)
        given = ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
        print(f"| `{name}` | {given} | {seconds:.2f} s | {shown:,} | {int(total):,} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
