"""What the report shows, read from the graph by SPARQL: events, actors, allegations, evidence.

The queries are the ``*.rq`` files beside this module. They return one row per
value, and this module folds the rows into plain records, choosing one value
deterministically where the graph holds several (two articles may label the
same event differently), so that the same graph always gives the same report.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Store, parse

from kg.errors import InputError

log = logging.getLogger(__name__)

NKG = "https://w3id.org/newskg#"
SCHEMA = "http://schema.org/"
WD = "http://www.wikidata.org/entity/"

GRAPH_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
}
MODALITIES = ("Occurred", "Planned", "Expected", "Rumored", "Alleged")
ACTOR_TYPES = {SCHEMA + "Person": "Person", SCHEMA + "Country": "Country",
               SCHEMA + "Organization": "Organization", NKG + "Group": "Group"}

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def anchor_id(prefix: str, iri: str) -> str:
    """A short, stable HTML id for a node: the same IRI gives the same id in every report."""
    return f"{prefix}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:10]}"


# ------------------------------------------------------------------ time
@dataclass(frozen=True)
class When:
    """An event's time: the first and last day it may cover, and how precisely it is known."""

    start: int  # proleptic Gregorian ordinal of the first day
    end: int  # ordinal of the last day (inclusive)
    precision: str  # day, month, year or range
    text: str  # as shown to people
    iso: str  # for <time datetime>


def parse_time(value: str) -> tuple[int, int, str, str, str] | None:
    """(first day, last day, precision, display text, ISO form) of an xsd:date/gYearMonth/gYear lexical form."""
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        year = int(m.group(1))
        if year < 1:
            return None
        if m.group(3):
            d = dt.date(year, int(m.group(2)), int(m.group(3)))
            return d.toordinal(), d.toordinal(), "day", d.isoformat(), d.isoformat()
        if m.group(2):
            month = int(m.group(2))
            last = calendar.monthrange(year, month)[1]
            iso = f"{year:04d}-{month:02d}"
            return (dt.date(year, month, 1).toordinal(), dt.date(year, month, last).toordinal(), "month",
                    f"{_MONTHS[month - 1]} {year}", iso)
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal(), "year", str(year), f"{year:04d}"
    except ValueError:
        return None


def make_when(stamp: str | None, begin: str | None, end: str | None) -> When | None:
    """An event's :class:`When` from its time stamp, or else its earliest begin / latest end."""
    if stamp:
        t = parse_time(stamp)
        if t:
            return When(*t)
    b = parse_time(begin) if begin else None
    e = parse_time(end) if end else None
    if b and e and e[1] >= b[0]:
        if (b[0], b[1]) == (e[0], e[1]):
            return When(*b)
        return When(b[0], e[1], "range", f"{b[3]} – {e[3]}", b[4])
    if b or e:
        t = b or e
        assert t is not None
        return When(t[0], t[1], t[2], ("from " if b else "until ") + t[3], t[4])
    return None


# ------------------------------------------------------------------ records
@dataclass
class Span:
    """An evidence sentence in one article."""

    iri: str
    article: str  # article IRI
    begin: int
    end: int
    text: str
    id: str = ""
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (anchor id, label) of items citing it


@dataclass
class ArticleInfo:
    """A news article the graph was built from."""

    iri: str
    ident: str
    headline: str = ""
    date: str = ""
    url: str = ""
    id: str = ""


@dataclass
class ActorInfo:
    """An actor: canonical label, type, Wikidata id, titles, and how often it appears."""

    iri: str
    label: str
    type: str = "Actor"
    wikidata: str = ""
    titles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)  # actor IRIs
    articles: list[str] = field(default_factory=list)
    events: int = 0
    id: str = ""


@dataclass
class EventInfo:
    """An event as the report shows it."""

    iri: str
    label: str
    type: str
    kind: str
    modality: str
    when: When | None
    place: str
    sources: list[str]  # actor IRIs
    targets: list[str]
    participants: list[str]  # every actor, sources and targets included
    items: list[str]
    spans: list[str]  # span IRIs
    articles: list[str]  # article IRIs
    id: str = ""

    @property
    def actors(self) -> list[str]:
        """Every actor involved, in a stable order."""
        return sorted(set(self.participants) | set(self.sources) | set(self.targets))


@dataclass
class AllegationInfo:
    """An allegation with who answered it."""

    iri: str
    claim: str
    claimants: list[str]
    accused: list[str]
    status: str  # Unanswered, Denied, Confirmed
    hedge: str
    proposition: str  # event IRI or ""
    denied_by: list[str]
    confirmed_by: list[str]
    spans: list[str]  # the allegation's own spans
    articles: list[str]
    reply_spans: list[str] = field(default_factory=list)  # spans of its denials and confirmations
    id: str = ""


@dataclass
class ReportData:
    """Everything the report shows, sorted, with anchor ids assigned."""

    articles: list[ArticleInfo]
    actors: dict[str, ActorInfo]
    events: list[EventInfo]
    allegations: list[AllegationInfo]
    spans: dict[str, Span]

    def actor_label(self, iri: str) -> str:
        """The label of an actor IRI (its last path segment when the graph has no label)."""
        a = self.actors.get(iri)
        return a.label if a else _tail(iri)


# ------------------------------------------------------------------ loading
def load_store(inputs: Sequence[str], build: Callable[[Sequence[str]], Iterable[Quad]] | None = None) -> Store:
    """An in-memory store holding the graph of ``inputs``.

    Graph files (``.ttl .trig .nt .nq .jsonld``) are parsed; anything else
    (article files, folders, URLs) is built with the extractors. Quads in the
    quarantine graph (nodes that failed validation) are left out.
    """
    store = Store()
    graphs = [i for i in inputs if _is_graph_file(i)]
    articles = [i for i in inputs if not _is_graph_file(i)]
    for name in graphs:
        path = Path(name)
        if not path.is_file():
            raise InputError(name, "no such graph file")
        try:
            quads = [q for q in parse(path=str(path), format=GRAPH_FORMATS[path.suffix.lower()]) if _keep(q)]
        except (SyntaxError, ValueError, OSError) as err:
            raise InputError(name, f"cannot read this graph: {err}") from err
        store.bulk_extend(quads)
    if articles:
        if build is None:
            from kg.report.build import article_quads

            build = article_quads
        store.bulk_extend([q for q in build(articles) if _keep(q)])
    return store


def _is_graph_file(name: str) -> bool:
    return not re.match(r"^https?://", name, re.I) and Path(name).suffix.lower() in GRAPH_FORMATS


def _keep(q: Quad) -> bool:
    g = q.graph_name
    return isinstance(g, DefaultGraph) or not str(getattr(g, "value", "")).endswith("/graph/quarantine")


# ------------------------------------------------------------------ queries
def query_text(name: str) -> str:
    """The text of one of the report's own queries (``kg/report/NAME.rq``)."""
    return resources.files("kg.report").joinpath(f"{name}.rq").read_text(encoding="utf-8")


def _value(term: object) -> str:
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return ""


def select(store: Store, name: str) -> list[dict[str, str]]:
    """Rows of one report query on ``store`` (the default graph is the union of all graphs)."""
    result = store.query(query_text(name), use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: _value(sol[n]) for n in names} for sol in result]


def _tail(iri: str) -> str:
    t = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return t.replace("-", " ") if t else iri


def _first(values: Iterable[str]) -> str:
    # Several values for a single-valued field (labels from two articles):
    # take the shortest non-empty one, then the smallest, so the choice is stable.
    vals = sorted({v for v in values if v}, key=lambda v: (len(v), v))
    return vals[0] if vals else ""


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


# ------------------------------------------------------------------ collect
def collect(store: Store) -> ReportData:
    """Read the report's records out of ``store``."""
    articles = _articles(store)
    spans, node_spans, node_articles = _evidence(store)
    for s in spans.values():
        if s.article not in articles:
            articles[s.article] = ArticleInfo(s.article, _tail(s.article))
    actors = _actors(store)
    events = _events(store, node_spans, node_articles)
    allegations = _allegations(store, node_spans, node_articles)

    # Actors that events or claims name without the graph describing them.
    mentioned = {a for e in events for a in e.actors}
    mentioned |= {a for al in allegations for a in (*al.claimants, *al.accused, *al.denied_by, *al.confirmed_by)}
    for iri in sorted(mentioned - actors.keys()):
        actors[iri] = ActorInfo(iri, _tail(iri))
    for e in events:
        for who in e.actors:
            actors[who].events += 1
    for info in actors.values():
        info.id = anchor_id("a", info.iri)

    art_list = sorted(articles.values(), key=lambda a: (a.date or "9999", a.ident, a.iri))
    for art in art_list:
        art.id = anchor_id("art", art.iri)
    for s in spans.values():
        s.id = anchor_id("s", s.iri)
    for e in events:
        e.id = anchor_id("e", e.iri)
        for sp in e.spans:
            spans[sp].cited_by.append((e.id, e.label))
    for al in allegations:
        al.id = anchor_id("al", al.iri)
        for sp in al.spans:
            spans[sp].cited_by.append((al.id, al.claim))
        for sp in al.reply_spans:
            spans[sp].cited_by.append((al.id, f"reply to: {al.claim}"))
    for s in spans.values():
        s.cited_by = sorted(set(s.cited_by))
    return ReportData(art_list, dict(sorted(actors.items())), events, allegations, spans)


def _articles(store: Store) -> dict[str, ArticleInfo]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in select(store, "articles"):
        rows[r["article"]].append(r)
    out: dict[str, ArticleInfo] = {}
    for iri, rs in rows.items():
        out[iri] = ArticleInfo(
            iri,
            _first(r["id"] for r in rs) or _tail(iri),
            _first(r["headline"] for r in rs),
            _first(r["date"] for r in rs),
            _first(r["url"] for r in rs),
        )
    return out


def _evidence(store: Store) -> tuple[dict[str, Span], dict[str, set[str]], dict[str, set[str]]]:
    spans: dict[str, Span] = {}
    node_spans: dict[str, set[str]] = defaultdict(set)
    node_articles: dict[str, set[str]] = defaultdict(set)
    for r in select(store, "evidence"):
        node_articles[r["node"]].add(r["article"])
        if r["span"]:
            node_spans[r["node"]].add(r["span"])
            if r["span"] not in spans:
                spans[r["span"]] = Span(r["span"], r["article"], _int(r["begin"]), _int(r["end"]), r["text"])
    return spans, node_spans, node_articles


def _actors(store: Store) -> dict[str, ActorInfo]:
    vals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in select(store, "actors"):
        vals[r["actor"]][r["key"]].add(r["value"])
    out: dict[str, ActorInfo] = {}
    for iri, v in vals.items():
        types = sorted(ACTOR_TYPES[c] for c in v["class"] if c in ACTOR_TYPES)
        wd = sorted(s[len(WD):] for s in v["sameAs"] if s.startswith(WD))
        out[iri] = ActorInfo(
            iri,
            _first(v["label"]) or _tail(iri),
            types[0] if types else "Actor",
            wd[0] if wd else "",
            sorted(v["title"]),
            sorted(v["affiliation"]),
            sorted(v["article"]),
        )
    return out


def _events(store: Store, node_spans: dict[str, set[str]], node_articles: dict[str, set[str]]) -> list[EventInfo]:
    vals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in select(store, "events"):
        v = vals[r["event"]]
        for k, x in r.items():
            if k != "event" and x:
                v[k].add(x)
    for r in select(store, "event_roles"):
        vals[r["event"]][r["role"]].add(r["value"])
    events: list[EventInfo] = []
    for iri, v in vals.items():
        types = sorted(t[len(NKG):] for t in v["type"] if t.startswith(NKG))
        mods = sorted((m[len(NKG):] for m in v["modality"] if m.startswith(NKG)),
                      key=lambda m: MODALITIES.index(m) if m in MODALITIES else 99)
        kind = _first(v["kindLabel"]) or _first(_tail(k).removeprefix("kind ") for k in v["kind"])
        times = sorted(v["time"])
        when = make_when(times[0] if times else None, _first(sorted(v["begin"])), _first(sorted(v["end"])))
        events.append(EventInfo(
            iri=iri,
            label=_first(v["label"]) or _tail(iri),
            type=types[0] if types else "",
            kind=kind,
            modality=mods[0] if mods else "Occurred",
            when=when,
            place=_first(v["placeLabel"]) or _first(_tail(p) for p in v["place"]),
            sources=sorted(v["source"]),
            targets=sorted(v["target"]),
            participants=sorted(v["participant"]),
            items=sorted(v["item"]),
            spans=sorted(node_spans.get(iri, ())),
            articles=sorted(node_articles.get(iri, set())),
        ))
    # Dated events by time (precise before vague at the same start), undated after.
    events.sort(key=lambda e: (e.when is None, e.when.start if e.when else 0, e.when.end if e.when else 0,
                               e.label.lower(), e.iri))
    return events


def _allegations(store: Store, node_spans: dict[str, set[str]],
                 node_articles: dict[str, set[str]]) -> list[AllegationInfo]:
    vals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    classes: dict[str, set[str]] = defaultdict(set)
    for r in select(store, "claims"):
        classes[r["claim"]].add(r["class"][len(NKG):])
        vals[r["claim"]][r["key"]].add(r["value"])
    denied: dict[str, set[str]] = defaultdict(set)
    confirmed: dict[str, set[str]] = defaultdict(set)
    response_spans: dict[str, set[str]] = defaultdict(set)
    for iri, v in vals.items():
        for kind, into in (("Denial", denied), ("Confirmation", confirmed)):
            if kind in classes[iri]:
                for target in v["responds"]:
                    into[target] |= v["claimant"]
                    response_spans[target] |= node_spans.get(iri, set())
    out: list[AllegationInfo] = []
    for iri, v in vals.items():
        if "Allegation" not in classes[iri]:
            continue
        statuses = sorted(s[len(NKG):] for s in v["status"] if s.startswith(NKG))
        status = "Denied" if "Denied" in statuses else "Confirmed" if "Confirmed" in statuses else "Unanswered"
        if denied.get(iri):
            status = "Denied"
        elif confirmed.get(iri) and status == "Unanswered":
            status = "Confirmed"
        props = sorted(v["proposition"])
        out.append(AllegationInfo(
            iri=iri,
            claim=_first(v["label"]) or _tail(iri),
            claimants=sorted(v["claimant"]),
            accused=sorted(v["accused"]),
            status=status,
            hedge=_first(v["hedge"]),
            proposition=props[0] if props else "",
            denied_by=sorted(denied.get(iri, set())),
            confirmed_by=sorted(confirmed.get(iri, set())),
            spans=sorted(node_spans.get(iri, set())),
            articles=sorted(node_articles.get(iri, set())),
            reply_spans=sorted(response_spans.get(iri, set()) - node_spans.get(iri, set())),
        ))
    out.sort(key=lambda a: (a.claim.lower(), a.iri))
    return out
