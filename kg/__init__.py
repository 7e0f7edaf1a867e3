"""newskg: news articles in, a knowledge graph of events, actors and allegations out.

The library API (the ``kg`` command is a thin layer over it)::

    import kg
    from kg.build import build
    from kg.extract import extract

    report = build(["seeds"], "graph.ttl")               # read, extract, map, validate, write
    found = extract(next(kg.read_inputs(["seeds"])))     # one article's Extraction
    kg.validate_file(Path("graph.ttl")).conforms
    kg.run_query("timeline", data=Path("graph.ttl"), params={"a": "North Korea"})
    kg.load_graph(Path("graph.trig"), store=Path("store"))

The names below are imported on first use, so ``kg --help`` stays fast
(``build``, ``extract`` and ``evaluate`` are modules of the same names).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "read_inputs": "kg.read",
    "build_quads": "kg.build",
    "to_dataset": "kg.rdf",
    "validate_file": "kg.validate",
    "validate_quads": "kg.validate",
    "list_queries": "kg.queries",
    "run_query": "kg.queries",
    "load_graph": "kg.store",
    "retract_article": "kg.store",
    "write_report": "kg.report",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
