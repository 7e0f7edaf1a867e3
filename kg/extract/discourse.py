"""Roles that a sentence leaves out but its article supplies.

A sentence-level extractor sees "The White House condemned the cooperation"
and finds no target: the cooperation was named sentences before. This step
runs after the events and before the allegations (so alleged propositions get
the roles too) and fills two kinds of gap, each from the article itself:

- **A reaction to an earlier event.** A reaction (ACCUSE, PROTEST,
  THREATEN, SANCTION, REJECT, COERCE) with no target whose object points back
  with a definite noun phrase ("condemned the cooperation", "denied these
  accusations", "in response to these developments") takes its target from
  the latest earlier event that the noun can name (``data/event_nouns.tsv``):
  that event's actor who is not on the reacting side; the event's other
  participants join the reaction's.
- **The other side of an exchange.** A supply or a request (AID, REQUEST) of
  named items with its giver or its receiver missing takes the one other
  actor its own sentence names ("supplying Russia with shells, while North
  Korea hopes to receive ..."); a request whose sentence names nobody else is
  taken to be made of the article's most-mentioned country not on the known
  side ("Mr. Kim is seeking food aid" in a story about Kim and Russia).

Actors on one side are the same actor, or a person or body and its country
(:attr:`kg.model.Actor.affiliation`). Nothing here invents an actor: every
name it adds is one the article mentions.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Sequence

from kg.extract.common import Mention, mentions_in, top_mentions
from kg.extract.events import REACTION_TYPES, event_label
from kg.extract.lexicon import read_data
from kg.model import Article, Event, Extraction
from kg.text import MONTHS

EXCHANGES = frozenset(["AID", "REQUEST"])
ANY = "*"
_ANAPHOR_DETS = r"(?:the|this|these|that|those|such)"
_MODIFIER = r"(?:[a-z][a-z-]*\s+){0,3}?"
# a phrase that names its own participants right after the noun is not a reference back
_EXPLICIT = re.compile(
    r"\s+(?:between|among|with|of|by|from|to|against|on)\s+(?:the\s+)?"
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b)[A-Z]"
)
# what may stand between a reaction's trigger and its object: "condemned the ...", "concern over the ..."
_OBJECT_GAP = re.compile(r"\s*(?:(?:over|about|at|against|to|of|on)\s+)?")
_RESPONSE_TO = re.compile(r"\b(?:in\s+)?(?:response|responses|reaction|reactions|retaliation)\s+(?:to|for)\s+$")
_ATTRIBUTED = re.compile(r"\b(?:according\s+to|citing|said|says)\s+(?:the\s+)?$", re.IGNORECASE)
_COUNTERPART_TYPES = frozenset(["Country", "Person", "Organization"])


@functools.lru_cache(maxsize=1)
def event_nouns() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """The anaphoric-noun pattern and, for each noun, the event types it can refer back to."""
    types: dict[str, frozenset[str]] = {}
    for row in read_data("event_nouns.tsv", ("noun", "types")):
        noun = row.get("noun").lower()
        wanted = frozenset(row.items("types"))
        if not wanted:
            raise row.error("no event types given")
        types[noun] = wanted
    alternatives = "|".join(re.escape(n) for n in sorted(types, key=lambda n: (-len(n), n)))
    pattern = re.compile(rf"\b{_ANAPHOR_DETS}\s+{_MODIFIER}(?P<noun>{alternatives})(?:e?s)?\b", re.IGNORECASE)
    return pattern, types


def _same_side(a: str, b: str, sides: dict[str, str | None]) -> bool:
    sa, sb = sides.get(a), sides.get(b)
    return a == b or sa == b or sb == a or (sa is not None and sa == sb)


def _referred_types(ev: Event) -> frozenset[str] | None:
    """The event types that the reaction's object refers back to (None: it names none).

    The phrase must be what the reaction is aimed at: right after its trigger
    ("condemned the cooperation", "worries over these tests"), or after "in
    response to", "reactions to" and the like anywhere in the sentence.
    """
    if ev.trigger is None:
        return None
    pattern, types = event_nouns()
    text, base = ev.evidence.text, ev.evidence.begin
    trigger_end = ev.trigger[1] - base
    for m in pattern.finditer(text):
        if _EXPLICIT.match(text, m.end()):
            continue
        gap = text[trigger_end : m.start()] if m.start() >= trigger_end else None
        if (gap is not None and _OBJECT_GAP.fullmatch(gap)) or _RESPONSE_TO.search(text, 0, m.start()):
            return types[m.group("noun").lower()]
    return None


def _antecedent(wanted: frozenset[str], earlier: Sequence[Event], begin: int) -> Event | None:
    """The latest event before offset ``begin`` of a wanted type (any type for ``*``) that has actors."""
    for ev in reversed(earlier):
        if ev.evidence.begin >= begin or not (ev.source_actor or ev.target_actor or ev.participants):
            continue
        if ev.type in wanted or (ANY in wanted and (ev.type not in REACTION_TYPES or ev.target_actor)):
            return ev
    return None


def _with_roles(ev: Event, source: str | None, target: str | None, extra: Sequence[str] = ()) -> Event:
    """``ev`` with this source and target: a new source leads its participants, a new target and ``extra``
    follow them, and the label is made again."""
    lead = (source,) if source != ev.source_actor else ()
    tail = (target, *extra) if target != ev.target_actor else tuple(extra)
    participants = tuple(dict.fromkeys(n for n in (*lead, *ev.participants, *tail) if n))
    label = event_label(ev.type, ev.kind or ev.type.lower(), source, target, ev.items, participants)
    return dataclasses.replace(ev, source_actor=source, target_actor=target, participants=participants, label=label)


def reaction_target(ev: Event, earlier: Sequence[Event], sides: dict[str, str | None]) -> Event:
    """A reaction with no target, aimed at an event named before, gets that event's actor."""
    if ev.type not in REACTION_TYPES or ev.target_actor:
        return ev
    wanted = _referred_types(ev)
    if wanted is None:
        return ev
    before = _antecedent(wanted, earlier, ev.evidence.begin)
    if before is None:
        return ev
    src = ev.source_actor
    named = [n for n in (before.source_actor, before.target_actor, *before.participants) if n]
    if before.type in REACTION_TYPES and ANY in wanted:
        # "in response to these developments" after a reaction: what that reaction was aimed at
        named = [n for n in named if n != before.source_actor]
    others = [n for n in dict.fromkeys(named) if src is None or not _same_side(n, src, sides)]
    if not others:
        return ev
    return _with_roles(ev, src, others[0], others[1:])


def exchange_counterpart(ev: Event, inside: list[Mention], ranked: list[str], sides: dict[str, str | None]) -> Event:
    """A supply or request with one side missing gets the other side from its sentence or its article."""
    if ev.type not in EXCHANGES or not ev.items or bool(ev.source_actor) == bool(ev.target_actor):
        return ev
    known = ev.source_actor or ev.target_actor
    assert known is not None
    text, base = ev.evidence.text, ev.evidence.begin
    candidates = list(
        dict.fromkeys(
            m.name
            for m in inside
            if m.type in _COUNTERPART_TYPES
            and not _same_side(m.name, known, sides)
            and not _ATTRIBUTED.search(text[max(0, m.begin - base - 20) : m.begin - base])
        )
    )
    if len(candidates) > 1:
        return ev
    if not candidates and ev.type == "REQUEST":
        # "Kim is seeking food aid": sought from the side the article is about
        candidates = [n for n in ranked if not _same_side(n, known, sides)][:1]
    if not candidates:
        return ev
    if ev.source_actor:
        return _with_roles(ev, ev.source_actor, candidates[0])
    return _with_roles(ev, candidates[0], ev.target_actor)


class DiscourseExtractor:
    """Fills reactions' and exchanges' missing roles from the rest of the article."""

    name = "discourse"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Return ``found`` with the missing roles its article supplies filled in."""
        if not found.events:
            return found
        sides = {a.name: a.affiliation for a in found.actors}
        types = {a.name: a.type for a in found.actors}
        mentions = top_mentions(found)
        counts = Counter(m.name for m in mentions if types.get(m.name) == "Country")
        first = {m.name: m.begin for m in reversed(mentions)}
        # countries mentioned at least twice, most mentioned first, then first mentioned
        ranked = [n for n, c in sorted(counts.items(), key=lambda x: (-x[1], first[x[0]])) if c >= 2]
        out: list[Event] = []
        for ev in found.events:
            ev = reaction_target(ev, out, sides)
            ev = exchange_counterpart(ev, mentions_in(mentions, ev.evidence), ranked, sides)
            out.append(ev)
        return dataclasses.replace(found, events=tuple(out))
