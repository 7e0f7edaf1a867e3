"""Vocabulary for the extractors, read from the TSV files in ``kg/extract/data/``.

Every file has a header line naming its columns, one entry per line, ``#``
comments and blank lines ignored. Lists inside a cell are ``|``-separated. A
malformed line raises :class:`kg.errors.DataFileError` naming ``file:line``.
Files are read once, on first use, and kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import DataFileError
from kg.model import ACTOR_TYPES, PLOVER_TYPES

DATA_PACKAGE = "kg.extract.data"


@dataclass(frozen=True)
class Row:
    """One data line: its cells by column name, and where it came from."""

    cells: dict[str, str]
    source: str
    line: int

    def get(self, column: str) -> str:
        """The cell's text, stripped ("" when empty)."""
        return self.cells.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        """The cell as a ``|``-separated list, empty items dropped."""
        return [x.strip() for x in self.get(column).split("|") if x.strip()]

    def error(self, reason: str) -> DataFileError:
        """A DataFileError naming this line."""
        return DataFileError(f"{self.source}:{self.line}: {reason}")


def parse_tsv(text: str, source: str, columns: tuple[str, ...]) -> list[Row]:
    """Rows of a TSV text whose header must start with ``columns``.

    Raises DataFileError naming ``source:line`` for a wrong header, a line with
    more cells than the header, or an empty first cell.
    """
    rows: list[Row] = []
    header: list[str] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.rstrip("\r\n").split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if tuple(header[: len(columns)]) != columns:
                raise DataFileError(
                    f"{source}:{lineno}: header is {'/'.join(header)!r}, expected columns {'/'.join(columns)!r}"
                )
            continue
        if len(cells) > len(header):
            raise DataFileError(
                f"{source}:{lineno}: {len(cells)} tab-separated cells, but the header has {len(header)}"
            )
        if not cells[0].strip():
            raise DataFileError(f"{source}:{lineno}: the first cell ({header[0]}) is empty")
        rows.append(Row(dict(zip(header, cells, strict=False)), source, lineno))
    if header is None:
        raise DataFileError(f"{source}:1: no header line")
    return rows


def read_data(name: str, columns: tuple[str, ...], directory: Path | None = None) -> list[Row]:
    """Rows of one packaged data file (or of ``directory/name`` when given)."""
    if directory is not None:
        path = directory / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise DataFileError(f"{path}: cannot read: {err.strerror or err}") from None
        return parse_tsv(text, str(path), columns)
    ref = resources.files(DATA_PACKAGE).joinpath(name)
    try:
        text = ref.read_text(encoding="utf-8")
    except (OSError, FileNotFoundError) as err:
        raise DataFileError(f"{name}: cannot read packaged data file: {err}") from None
    return parse_tsv(text, f"kg/extract/data/{name}", columns)


# ------------------------------------------------------------------ the lexicon


@dataclass(frozen=True)
class GazEntry:
    """A known actor: canonical name, type, Wikidata id, role and affiliation."""

    name: str
    type: str
    wikidata: str | None = None
    role: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class Trigger:
    """One trigger pattern: token alternatives (``None`` = a gap), type, kind."""

    slots: tuple[frozenset[str] | None, ...]
    type: str
    kind: str
    pos: str
    from_role: str
    lemma: str
    source: str


@dataclass
class Lexicon:
    """Everything the extractors look up, built once from the data files."""

    # surface form -> (entry key, how it was named: name|alias|demonym|capital|short)
    surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    entries: dict[str, GazEntry] = field(default_factory=dict)
    short_forms: dict[str, list[str]] = field(default_factory=dict)  # "Kim" -> ["Kim Jong Un", ...]
    person_keys: dict[str, str] = field(default_factory=dict)  # normalised full name -> person name
    demonyms: dict[str, str] = field(default_factory=dict)  # "North Korean" -> "North Korea"
    country_names: dict[str, str] = field(default_factory=dict)  # any country surface -> country
    titles: dict[str, str] = field(default_factory=dict)  # lower title -> canonical
    group_nouns: dict[str, str] = field(default_factory=dict)  # lower noun -> type
    generic_nouns: frozenset[str] = frozenset()
    generic_adjectives: frozenset[str] = frozenset()
    triggers: dict[str, list[Trigger]] = field(default_factory=dict)  # first token -> triggers
    not_triggers: list[tuple[str, ...]] = field(default_factory=list)


def person_key(name: str) -> str:
    """A lookup key for a person's name: lower case, hyphens as spaces, initials dropped."""
    words = _HYPHEN.sub(" ", name.lower()).replace("’", "'").split()
    return " ".join(w for w in words if not _INITIAL.fullmatch(w))


_HYPHEN = re.compile(r"[-‐]")
_INITIAL = re.compile(r"[a-z]\.?")


def _strip_the(s: str) -> str:
    return s[4:] if s.lower().startswith("the ") else s


def _add_surface(lex: Lexicon, surface: str, key: str, how: str, row: Row) -> None:
    surface = _strip_the(surface.strip())
    if not surface:
        return
    old = lex.surfaces.get(surface)
    if old is not None and old[0] != key and how in ("name", "alias") and old[1] in ("name", "alias"):
        # A surface naming two different actors is a data error, except between
        # a demonym or capital and a name (those are weaker and give way).
        raise row.error(f"{surface!r} already names {old[0]!r}")
    if old is None or (old[1] not in ("name", "alias") and how in ("name", "alias")):
        lex.surfaces[surface] = (key, how)


_VOWEL = set("aeiou")


def verb_forms(lemma: str, irregular: dict[str, list[str]]) -> set[str]:
    """Inflections of an English verb lemma (over-generating is harmless)."""
    forms = {lemma}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWEL:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
        if (
            len(lemma) >= 3
            and lemma[-1] not in _VOWEL | {"w", "x", "y"}
            and lemma[-2] in _VOWEL
            and lemma[-3] not in _VOWEL
        ):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= set(irregular.get(lemma, ()))
    return forms


def noun_forms(noun: str) -> set[str]:
    """A noun and its plural."""
    if noun.endswith("y") and len(noun) > 2 and noun[-2] not in _VOWEL:
        return {noun, noun[:-1] + "ies"}
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return {noun, noun + "es"}
    return {noun, noun + "s"}


def _load_triggers(lex: Lexicon) -> None:
    irregular = {
        r.get("lemma").lower(): [f.lower() for f in r.items("forms")]
        for r in read_data("irregular_verbs.tsv", ("lemma", "forms"))
    }
    for r in read_data("triggers.tsv", ("pattern", "pos", "type", "kind", "from")):
        pattern, pos, typ = r.get("pattern").lower(), r.get("pos").lower(), r.get("type").upper()
        if typ not in PLOVER_TYPES:
            raise r.error(f"type {typ!r} is not one of {', '.join(PLOVER_TYPES)}")
        if pos not in ("verb", "noun", "fixed"):
            raise r.error(f"pos {pos!r} is not one of verb, noun, fixed")
        from_role = r.get("from").lower() or "source"
        if from_role not in ("source", "target"):
            raise r.error(f"from {from_role!r} is not one of source, target")
        words = pattern.split()
        if not words or words[0] == "~" or words[-1] == "~":
            raise r.error(f"pattern {pattern!r} must start and end with a word")
        slots: list[frozenset[str] | None] = []
        for i, w in enumerate(words):
            if w == "~":
                slots.append(None)
                continue
            alts = {a for a in w.split("|") if a}
            if pos == "verb" and i == 0:
                alts = set().union(*(verb_forms(a, irregular) for a in alts))
            elif pos == "noun" and i == len(words) - 1:
                alts = set().union(*(noun_forms(a) for a in alts))
            slots.append(frozenset(alts))
        first = slots[0]
        assert first is not None
        trig = Trigger(
            tuple(slots),
            typ,
            r.get("kind") or typ.lower(),
            pos,
            from_role,
            words[0].split("|")[0],
            f"{r.source}:{r.line}",
        )
        for form in first:
            lex.triggers.setdefault(form, []).append(trig)
    for lst in lex.triggers.values():
        # Longer patterns first, so "hold talks" wins over "hold".
        lst.sort(key=lambda t: -len(t.slots))
    lex.not_triggers = [tuple(r.get("phrase").lower().split()) for r in read_data("not_triggers.tsv", ("phrase",))]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, loaded and checked on first use."""
    lex = Lexicon()
    for r in read_data("countries.tsv", ("name", "wikidata", "aliases", "demonyms", "capitals")):
        name = r.get("name")
        qid = r.get("wikidata") or None
        if qid and not re.fullmatch(r"Q\d+", qid):
            raise r.error(f"wikidata {qid!r} is not a Q-number")
        lex.entries[name] = GazEntry(name, "Country", qid)
        _add_surface(lex, name, name, "name", r)
        lex.country_names[name] = name
        for a in r.items("aliases"):
            _add_surface(lex, a, name, "alias", r)
            lex.country_names[_strip_the(a)] = name
        for d in r.items("demonyms"):
            lex.demonyms.setdefault(d, name)
            _add_surface(lex, d, name, "demonym", r)
        for c in r.items("capitals"):
            _add_surface(lex, c, name, "capital", r)
    for r in read_data("orgs.tsv", ("name", "type", "wikidata", "aliases", "affiliation")):
        name, typ = r.get("name"), r.get("type") or "Organization"
        if typ not in ACTOR_TYPES:
            raise r.error(f"type {typ!r} is not one of {', '.join(ACTOR_TYPES)}")
        qid = r.get("wikidata") or None
        if qid and not re.fullmatch(r"Q\d+", qid):
            raise r.error(f"wikidata {qid!r} is not a Q-number")
        lex.entries[name] = GazEntry(name, typ, qid, None, r.get("affiliation") or None)
        _add_surface(lex, name, name, "name", r)
        for a in r.items("aliases"):
            _add_surface(lex, a, name, "alias", r)
    for r in read_data("people.tsv", ("name", "wikidata", "aliases", "short", "role", "affiliation")):
        name = r.get("name")
        qid = r.get("wikidata") or None
        if qid and not re.fullmatch(r"Q\d+", qid):
            raise r.error(f"wikidata {qid!r} is not a Q-number")
        lex.entries[name] = GazEntry(name, "Person", qid, r.get("role") or None, r.get("affiliation") or None)
        _add_surface(lex, name, name, "name", r)
        lex.person_keys[person_key(name)] = name
        for a in r.items("aliases"):
            _add_surface(lex, a, name, "alias", r)
            lex.person_keys[person_key(a)] = name
        for s in r.items("short"):
            lex.short_forms.setdefault(s, []).append(name)
    for r in read_data("titles.tsv", ("title", "canonical")):
        lex.titles[r.get("title").lower()] = r.get("canonical") or r.get("title")
    for r in read_data("groups.tsv", ("noun", "type")):
        typ = r.get("type")
        if typ not in ACTOR_TYPES:
            raise r.error(f"type {typ!r} is not one of {', '.join(ACTOR_TYPES)}")
        lex.group_nouns[r.get("noun").lower()] = typ
    nouns: set[str] = set()
    adjs: set[str] = set()
    for r in read_data("generic_groups.tsv", ("word", "kind")):
        kind = r.get("kind")
        if kind not in ("noun", "adjective"):
            raise r.error(f"kind {kind!r} is not one of noun, adjective")
        (nouns if kind == "noun" else adjs).add(r.get("word").lower())
    lex.generic_nouns, lex.generic_adjectives = frozenset(nouns), frozenset(adjs)
    _load_triggers(lex)
    return lex
