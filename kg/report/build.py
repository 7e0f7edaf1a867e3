"""Article inputs for the report: built in memory with the extractors, bad inputs logged and skipped."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pyoxigraph import Quad

from kg.build import GraphBuilder, extractions
from kg.errors import InputError
from kg.read import Problem

log = logging.getLogger(__name__)


def article_quads(inputs: Sequence[str]) -> list[Quad]:
    """All quads built from article ``inputs`` (files, folders, URLs), unvalidated.

    Inputs that cannot be read are logged and skipped, like ``kg build`` does;
    when none can be read at all, :class:`kg.errors.InputError` names them.
    """
    builder = GraphBuilder()
    out: list[Quad] = []
    problems: list[Problem] = []
    for item in extractions(inputs):
        if isinstance(item, Problem):
            problems.append(item)
            log.warning("%s", item)
            continue
        aq = builder.article(item)
        out += aq.shared + aq.quads
    if not builder.inputs:
        named = "; ".join(str(p) for p in problems) or "no articles found"
        raise InputError(", ".join(inputs), f"nothing to report: {named}")
    return out + builder.closing_quads()
