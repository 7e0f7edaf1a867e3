"""The one data model of newskg: frozen dataclasses from article to extraction.

Extractors take an :class:`Article` and return model objects, never triples;
:mod:`kg.rdf` is the only module that turns them into RDF, and
:mod:`kg.extraction_json` the only one that turns them into the interchange
JSON, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kg.errors import UsageError

ActorType = Literal["Person", "Country", "Organization", "Group"]
Modality = Literal["Occurred", "Planned", "Expected", "Rumored", "Alleged"]
Stance = Literal["alleged", "denied", "confirmed"]

ACTOR_TYPES: tuple[str, ...] = ("Person", "Country", "Organization", "Group")
MODALITIES: tuple[str, ...] = ("Occurred", "Planned", "Expected", "Rumored", "Alleged")
STANCES: tuple[str, ...] = ("alleged", "denied", "confirmed")
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


@dataclass(frozen=True)
class Span:
    """A stretch of an article's text: ``text == article.text[begin:end]``."""

    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, a JSONL record or a URL.

    ``text`` is the body the extractors see (headline, date line, epigraphs and
    the reference list removed); every offset in the model points into it.
    """

    id: str
    text: str
    source: str
    date: str | None = None  # ISO YYYY-MM-DD
    title: str | None = None
    url: str | None = None
    paragraphs: tuple[Span, ...] = ()
    citations: tuple[str, ...] = ()
    sha256: str = ""


@dataclass(frozen=True)
class Actor:
    """An actor as found in one article, under its canonical name."""

    name: str
    type: str  # one of ACTOR_TYPES
    aliases: tuple[str, ...] = ()  # surface forms seen, other than name
    wikidata: str | None = None  # "Q423"
    role: str | None = None  # job title or role, as the text gives it
    affiliation: str | None = None  # canonical name of a country or organisation
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Place:
    """A place named in an article, under its canonical name, with where the article names it."""

    name: str
    wikidata: str | None = None
    country: str | None = None  # canonical name of the containing country
    mentions: tuple[Span, ...] = ()  # each place mention: the surface form, as the text writes it


@dataclass(frozen=True)
class Event:
    """Something an actor did, does or may do, grounded in one sentence."""

    type: str  # one of PLOVER_TYPES
    label: str
    evidence: Span
    participants: tuple[str, ...] = ()  # canonical actor names
    source_actor: str | None = None
    target_actor: str | None = None
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    place: str | None = None  # canonical place name
    modality: str = "Occurred"  # one of MODALITIES
    kind: str | None = None  # finer kind: summit, visit, arms-transfer, ...
    items: tuple[str, ...] = ()  # what was supplied, sought, tested
    # where the trigger word(s) stand in the article text (begin, end): not part of the event's identity
    trigger: tuple[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Allegation:
    """Someone's claim that an event happened, with how it was answered."""

    claimant: tuple[str, ...]
    accused: tuple[str, ...]
    claim: str
    evidence: Span
    stance: str = "alleged"  # one of STANCES
    denied_by: tuple[str, ...] = ()
    confirmed_by: tuple[str, ...] = ()
    hedge: str | None = None  # the cue: "according to", "allegedly", ...
    proposition: Event | None = None  # the alleged event (modality Alleged)


@dataclass(frozen=True)
class Response:
    """A denial or confirmation of one or more allegations in the same article."""

    kind: Literal["denial", "confirmation"]
    claimant: tuple[str, ...]
    evidence: Span
    responds: tuple[int, ...] = ()  # indices into Extraction.allegations


@dataclass(frozen=True)
class Extraction:
    """Everything found in one article. Extractors return an updated copy."""

    article: Article
    sentences: tuple[Span, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    allegations: tuple[Allegation, ...] = ()
    responses: tuple[Response, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # extractor warnings
    # the article's parse (kg.extract.nlp.Parsed) while extraction runs; dropped when it ends
    parse: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FetchLimits:
    """How long fetching one URL may take, in seconds (the size cap is :data:`MAX_BYTES`).

    ``connect``: to open the connection; ``first_byte``: from the request to
    the first byte of the answer, and the longest silence after it; ``total``:
    the whole fetch, headers and body, however the server paces its bytes
    (a server sending one byte a second is cut off at ``total``).
    """

    connect: float = 5.0
    first_byte: float = 30.0
    total: float = 60.0

    def __post_init__(self) -> None:
        for name in ("connect", "first_byte", "total"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 < value <= 86_400):
                raise UsageError(f"fetch {name.replace('_', ' ')} timeout must be over 0 and at most 86400 "
                                 f"seconds, got {value!r}")
