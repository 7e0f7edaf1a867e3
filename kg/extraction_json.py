"""The extraction JSON of the design (the interchange form ``kg extract`` prints)."""

from __future__ import annotations

import json
from typing import Any

from kg.model import Extraction


def to_json_obj(found: Extraction) -> dict[str, Any]:
    """One article's extraction in the shape of the gold files."""
    actors = [
        {
            "name": a.name,
            "type": a.type,
            "aliases": list(a.aliases),
            "wikidata": a.wikidata,
            "role": a.role,
        }
        for a in found.actors
    ]
    events = [
        {
            "type": e.type,
            "label": e.label,
            "participants": list(e.participants),
            "source_actor": e.source_actor,
            "target_actor": e.target_actor,
            "date": e.date,
            "place": e.place,
            "modality": e.modality,
            "items": list(e.items),
            "evidence": e.evidence.text,
        }
        for e in found.events
    ]
    allegations = [
        {
            "claimant": list(a.claimant),
            "accused": list(a.accused),
            "claim": a.claim,
            "stance": a.stance,
            "denied_by": list(a.denied_by),
            "confirmed_by": list(a.confirmed_by),
            "hedge": a.hedge,
            "evidence": a.evidence.text,
        }
        for a in found.allegations
    ]
    return {
        "id": found.article.id,
        "date": found.article.date,
        "actors": actors,
        "events": events,
        "allegations": allegations,
    }


def dumps(found: Extraction) -> str:
    """The extraction JSON as text, stable (sorted keys, UTF-8, indented)."""
    return json.dumps(to_json_obj(found), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
