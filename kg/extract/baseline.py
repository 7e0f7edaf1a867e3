"""A minimal placeholder extractor so the pipeline runs end to end.

It finds a few country names and nothing else; the real extractors replace it
in :mod:`kg.extract.pipeline`.
"""

from __future__ import annotations

import dataclasses
import re

from kg.model import Actor, Article, Extraction, Span

_COUNTRIES = {"North Korea": "Q423", "Russia": "Q159", "United States": "Q30", "Ukraine": "Q212"}


class BaselineExtractor:
    """Country names by exact match."""

    name = "baseline"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add an actor for every listed country named in the text."""
        actors = []
        for name, qid in _COUNTRIES.items():
            spans = tuple(Span(m.start(), m.end(), m.group()) for m in re.finditer(re.escape(name), article.text))
            if spans:
                actors.append(Actor(name=name, type="Country", wikidata=qid, mentions=spans))
        return dataclasses.replace(found, actors=found.actors + tuple(actors))
