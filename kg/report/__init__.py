"""``kg report``: one self-contained HTML page of the graph — timeline, actor network, allegations, evidence.

The page is built from the graph by SPARQL (the ``*.rq`` files in this
package), rendered on the server side so it reads without JavaScript and
prints, and carries its style and script inline: it needs no network to view.
The same graph always gives the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from kg.report.data import ReportData, collect, load_store
from kg.report.page import render

__all__ = ["ReportData", "build_report", "collect", "load_store", "render", "write_report"]

log = logging.getLogger(__name__)


def build_report(inputs: Sequence[str], title: str = "newskg report") -> str:
    """The report of ``inputs`` (article files, folders, URLs, or graph files) as an HTML string."""
    store = load_store(list(inputs))
    data = collect(store)
    log.info("report: %d events, %d actors, %d allegations", len(data.events), len(data.actors),
             len(data.allegations))
    return render(data, title)


def write_report(inputs: list[str], output: Path) -> None:
    """Write the HTML report of ``inputs`` to ``output`` (atomically: a temporary file, then a rename).

    ``inputs`` may be article inputs to build (files, folders, URLs) or graph
    files (``.ttl .trig .nt .nq .jsonld``, detected by suffix), or both.
    """
    from kg.write import write_atomic

    write_atomic(Path(output), build_report(inputs).encode("utf-8"))
