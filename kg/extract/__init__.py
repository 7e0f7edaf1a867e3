"""Extractors: small units behind one interface, registered by name.

An extractor is a callable ``(article, found) -> Extraction`` that returns an
updated copy of what was found so far; it is pure (no I/O at call time) and
reads its vocabulary from data files in ``kg/extract/data/`` when first used.
:func:`extract` runs the default pipeline in order.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from kg.model import Article, Extraction

log = logging.getLogger(__name__)


class Extractor(Protocol):
    """One extraction step."""

    name: str

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Return ``found`` with what this step adds."""
        ...


_REGISTRY: dict[str, Extractor] = {}
DEFAULT_PIPELINE: list[str] = []


def register(extractor: Extractor, default: bool = True) -> Extractor:
    """Add an extractor to the registry (and, by default, to the end of the default pipeline)."""
    _REGISTRY[extractor.name] = extractor
    if default and extractor.name not in DEFAULT_PIPELINE:
        DEFAULT_PIPELINE.append(extractor.name)
    return extractor


def registered() -> dict[str, Extractor]:
    """All extractors by name."""
    _load_builtins()
    return dict(_REGISTRY)


def _load_builtins() -> None:
    # Imported for their register() side effect, in pipeline order.
    from kg.extract import pipeline  # noqa: F401


def extract(article: Article, names: Sequence[str] | None = None) -> Extraction:
    """Run the named extractors (default: the default pipeline) over one article."""
    _load_builtins()
    steps: list[Callable[[Article, Extraction], Extraction]] = []
    for name in names if names is not None else DEFAULT_PIPELINE:
        if name not in _REGISTRY:
            raise KeyError(f"unknown extractor {name!r}; known: {', '.join(sorted(_REGISTRY))}")
        steps.append(_REGISTRY[name])
    from kg.extract.nlp import parse

    parsed = parse(article.text, article.paragraphs)
    found = Extraction(article=article, sentences=parsed.spans, parse=parsed)
    for step in steps:
        found = step(article, found)
    return dataclasses.replace(found, parse=None)


def model_identity() -> str:
    """The NLP pipeline the extractors use, by name and version (for provenance and caches)."""
    from kg.extract.nlp import model_identity as identity

    return identity()


__all__ = ["DEFAULT_PIPELINE", "Extractor", "extract", "model_identity", "register", "registered"]
