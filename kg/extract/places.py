"""Places: cities, regions, seas and countries named in a locative phrase."""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Literal

from kg.extract.lexicon import lexicon, read_data
from kg.model import Article, Extraction, Place, Span


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[str, str | None, str | None]], re.Pattern[str]]:
    """surface -> (place name, wikidata, country), and one regex over all surfaces."""
    from kg.extract.actors import _alt

    lex = lexicon()
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for r in read_data("places.tsv", ("name", "wikidata", "country", "aliases")):
        name = r.get("name")
        country = r.get("country") or None
        if country and country not in lex.entries:
            raise r.error(f"country {country!r} is not in countries.tsv")
        entry = (name, r.get("wikidata") or None, country)
        for surface in [name, *r.items("aliases")]:
            table[surface] = entry
    for surface, (key, how) in lex.surfaces.items():
        if how == "capital":
            table.setdefault(surface, (surface, None, key))
        elif lex.entries[key].type == "Country" and how in ("name", "alias"):
            table.setdefault(surface, (key, lex.entries[key].wikidata, None))
    pattern = re.compile(rf"(?<![\w-])(?:{_alt(list(table))})(?![\w-])")
    return table, pattern


_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|at|to|near|from|across|inside|visit|visits|visited|visiting|toured|touring)\s+(?:the\s+)?$"
)


@functools.lru_cache(maxsize=1)
def _venue_pattern() -> re.Pattern[str]:
    """A named venue after at/in/to: capitalised words ending in a venue noun of venues.tsv."""
    nouns = sorted({r.get("noun") for r in read_data("venues.tsv", ("noun",))}, key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in nouns)
    name = r"(?:[A-Z][\w.'’-]*\s+){1,5}"
    return re.compile(rf"\b(?:at|in|to|inside|near|outside)\s+the\s+(?P<name>{name}(?:{alt}))\b(?!\s+of\s+[a-z])")


def _lexicon_actor(surface: str) -> tuple[str, str | None] | None:
    """(canonical name, wikidata) of the lexicon actor ``surface`` names (by its name or an alias), if any."""
    lex = lexicon()
    hit = lex.surfaces.get(surface)
    if hit is None or hit[1] not in ("name", "alias"):
        return None
    entry = lex.entries[hit[0]]
    return entry.name, entry.wikidata


def find_venues(text: str) -> list[Place]:
    """Named venues ("at the Riverside Conference Centre in Oslo"), each in the gazetteer place after it.

    A venue the actor lexicon knows ("at the White House") takes the lexicon's
    canonical name and Wikidata id, so it is the same entity as the actor.
    """
    table, pattern = _gazetteer()
    out: list[Place] = []
    for m in _venue_pattern().finditer(text):
        name = m.group("name")
        if name in table:
            continue
        country = None
        after = re.match(r"\s+in\s+(?:the\s+)?", text[m.end() : m.end() + 12])
        if after:
            g = pattern.match(text, m.end() + after.end())
            if g:
                pname, _, pcountry = table[g.group()]
                country = pcountry or pname
        known = _lexicon_actor(name)
        canonical, qid = known if known else (name, None)
        mention = Span(m.start("name"), m.end("name"), name)
        out.append(Place(name=canonical, wikidata=qid, country=country, mentions=(mention,)))
    return out


def find_places(text: str) -> list[Place]:
    """Places named in ``text``: gazetteer places anywhere, countries after in/at/to/near, named venues.

    Each place comes once, under its canonical name, with every mention of it
    as a place (a country named as an actor, "Russia said", is not one).
    """
    table, pattern = _gazetteer()
    out: dict[str, Place] = {}
    mentions: dict[str, list[Span]] = {}
    for p in find_venues(text):
        out[p.name] = p  # a venue named twice: its last mention says what contains it
        mentions.setdefault(p.name, []).extend(p.mentions)
    for m in pattern.finditer(text):
        name, qid, country = table[m.group()]
        is_country = country is None and name in lexicon().entries
        if is_country and not _PLACE_PREPOSITION.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        out.setdefault(name, Place(name=name, wikidata=qid, country=country))
        mentions.setdefault(name, []).append(Span(m.start(), m.end(), m.group()))
    return [
        dataclasses.replace(p, mentions=tuple(sorted(set(mentions[p.name]), key=lambda s: (s.begin, s.end))))
        for p in out.values()
    ]


def reference_kind(name: str) -> Literal["actor", "place"] | None:
    """Which kind of entity the reference data makes of a canonical name, whatever role it plays.

    ``"actor"`` for an entry of the actor lexicon (a country, an organisation,
    a person), ``"place"`` for a place of the gazetteer that is not one (a city,
    a region, a sea, a capital), ``None`` for a name neither knows (a venue, an
    actor found only in the text). The graph names a known entity by its kind,
    so it gets one node in every role; the answer depends on the data files
    only, never on the articles, so adding an article never renames a node.
    """
    if name in lexicon().entries:
        return "actor"
    if name in _by_name():
        return "place"
    return None


def place_surfaces(places: tuple[Place, ...]) -> dict[str, str]:
    """Every surface form of the given places -> place name (a venue's are the ones it is named by)."""
    out = dict(_surfaces_of(tuple(sorted({p.name for p in places}))))
    for p in places:
        out.setdefault(p.name, p.name)
        for m in p.mentions:  # a venue named by an alias of its lexicon actor ("the White House")
            out.setdefault(m.text, p.name)
    return out


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    table, _ = _gazetteer()
    out: dict[str, list[str]] = {}
    for s, v in table.items():
        out.setdefault(v[0], []).append(s)
    return out


@functools.lru_cache(maxsize=1024)
def _surfaces_of(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    by_name = _by_name()
    return tuple((s, n) for n in names for s in by_name.get(n, ()))


class PlaceExtractor:
    """Places of the article."""

    name = "places"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add the places named in the article."""
        return dataclasses.replace(found, places=found.places + tuple(find_places(article.text)))
