"""The corpus view: what the whole corpus says of each node, in one graph (``<base>graph/corpus``).

Article graphs are the source of truth and of provenance; each says what one
article reports. The questions people ask are about the corpus: how many
articles report an event, in which sentence it was first reported, whether an
allegation was denied anywhere, how many articles name an actor. The view
holds those facts, derived from the article graphs by one function,
:func:`node_view`, whatever wrote the graphs:

- ``kg build`` gathers each article's :class:`Contribution` as it writes the
  article and writes the view at the end (:class:`MemoryCorpus`);
- an embedded store (``kg build --store``, ``kg load``, ``kg retract``)
  recomputes the view of the nodes a change touched, reading the store
  (:class:`StoreCorpus`, :func:`refresh_store`);
- a Graph Store endpoint (``kg load --gsp``, ``kg retract --gsp``) does the
  same through the same :class:`PendingRefresh` and :func:`view_change`,
  reading the endpoint with SPARQL queries (:class:`kg.endpoint.EndpointCorpus`);
- :func:`rebuild` derives the whole view from the article graphs of a set of
  quads, which is how the tests check that a maintained view is exact.

The view uses its own terms (``nkg:articleCount``, ``nkg:firstEvidence``,
``skos:prefLabel``, the ``…Names`` display lists), never a predicate an article
graph uses, so that a query over the union of all graphs sees one value of each.
Lists of names are written sorted, joined by ``"; "``, so every SPARQL engine
gives the same string (``GROUP_CONCAT`` order is left to the engine).

Each mention span also gets ``nif:sentence``: the evidence sentence of an
event, allegation or response of the same article that contains it, so a
query can show the sentence a name was found in.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store, Triple

from kg.vocab import DEFAULT_BASE, IRIs

log = logging.getLogger(__name__)

NKG = "https://w3id.org/newskg#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
_SCHEMA = "http://schema.org/"
_NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_PUBLISHED = _SCHEMA + "datePublished"
_EVIDENCE = NKG + "evidence"
_RESPONDS = NKG + "responds"
_CLAIMANT = NKG + "claimant"
_ACCUSED = NKG + "accused"
_STATUS = NKG + "status"
_MODALITY = NKG + "modality"
_SOURCE = NKG + "sourceActor"
_TARGET = NKG + "targetActor"
_ITEM = NKG + "item"
_KIND = NKG + "kind"
_EVENT = _SEM + "Event"
_EVENT_TYPE = _SEM + "eventType"
_HAS_ACTOR = _SEM + "hasActor"
_HAS_PLACE = _SEM + "hasPlace"
_STAMP = _SEM + "hasTimeStamp"
_BEGIN = _SEM + "hasEarliestBeginTimeStamp"
_END = _SEM + "hasLatestEndTimeStamp"
_ALLEGATION = NKG + "Allegation"
_DENIAL = NKG + "Denial"
_CONFIRMATION = NKG + "Confirmation"
_PLANS = frozenset({NKG + "Planned", NKG + "Expected", NKG + "Rumored"})
_OCCURRED = NKG + "Occurred"
_SENTENCE_OWNERS = frozenset({_EVENT, _ALLEGATION, _DENIAL, _CONFIRMATION})
_EMPTY: frozenset[str] = frozenset()
_SPAN_CHARS = re.compile(r"#char=(\d+),(\d+)$")
_ANCHOR = _NIF + "anchorOf"
#: Not a predicate of the article graphs: the words of a node's evidence spans there (their ``nif:anchorOf``).
_WORDS = NKG + "evidenceWords"

#: The view's own predicates (declared in the ontology; see kg/data/ontology.ttl).
ARTICLE_COUNT = NamedNode(NKG + "articleCount")
MENTION_COUNT = NamedNode(NKG + "mentionCount")
FIRST_EVIDENCE = NamedNode(NKG + "firstEvidence")
FIRST_REPORTED = NamedNode(NKG + "firstReported")
LAST_REPORTED = NamedNode(NKG + "lastReported")
PREF_LABEL = NamedNode(_SKOS + "prefLabel")
CORPUS_STATUS = NamedNode(NKG + "corpusStatus")
DENIED_BY = NamedNode(NKG + "deniedBy")
CONFIRMED_BY = NamedNode(NKG + "confirmedBy")
ANSWERED_IN = NamedNode(NKG + "answeredIn")
FULFILLED_BY = NamedNode(NKG + "fulfilledBy")
SIDE = NamedNode(NKG + "side")
#: One copy, in the view, of what the article graphs each state again: a query over the union of graphs joins
#: these, not the article graphs' copies (a node reported by k articles would give k rows a pattern).
COPIES = {
    _EVENT_TYPE: NamedNode(NKG + "corpusType"),
    _MODALITY: NamedNode(NKG + "corpusModality"),
    _HAS_ACTOR: NamedNode(NKG + "corpusActor"),
    _SOURCE: NamedNode(NKG + "corpusSource"),
    _TARGET: NamedNode(NKG + "corpusTarget"),
    _ITEM: NamedNode(NKG + "corpusItem"),
    _HAS_PLACE: NamedNode(NKG + "corpusPlace"),
    _CLAIMANT: NamedNode(NKG + "corpusClaimant"),
    _ACCUSED: NamedNode(NKG + "corpusAccused"),
    NKG + "proposition": NamedNode(NKG + "corpusProposition"),
}
_LITERAL_COPIES = frozenset({_ITEM})
WHEN = NamedNode(NKG + "when")
SEARCH_TEXT = NamedNode(NKG + "searchText")
SENTENCE = NamedNode(_NIF + "sentence")
NAMES = {
    "participants": NamedNode(NKG + "participantNames"),
    "items": NamedNode(NKG + "itemNames"),
    "claimants": NamedNode(NKG + "claimantNames"),
    "accused": NamedNode(NKG + "accusedNames"),
    "deniers": NamedNode(NKG + "deniedByNames"),
    "confirmers": NamedNode(NKG + "confirmedByNames"),
    "titles": NamedNode(NKG + "titleNames"),
    "affiliations": NamedNode(NKG + "affiliationNames"),
    "aliases": NamedNode(NKG + "aliasNames"),
    "kinds": NamedNode(NKG + "kindNames"),
    "hedges": NamedNode(NKG + "hedgeNames"),
}
VIEW_PREDICATES = frozenset(
    p.value for p in (ARTICLE_COUNT, MENTION_COUNT, FIRST_EVIDENCE, FIRST_REPORTED, LAST_REPORTED, PREF_LABEL,
                      CORPUS_STATUS, DENIED_BY, CONFIRMED_BY, ANSWERED_IN, FULFILLED_BY, SIDE, WHEN, SEARCH_TEXT,
                      *NAMES.values(), *COPIES.values()))
_INTEGER = NamedNode(_XSD + "integer")
_DATE = NamedNode(_XSD + "date")
_NO_DATE = "9999-99-99"
#: A node of an article graph that the view describes: it has evidence, or is one of these.
_VIEWED_TYPES = frozenset({_EVENT, _ALLEGATION, _DENIAL, _CONFIRMATION})


def corpus_graph(base: str | None = None) -> NamedNode:
    """The view's graph: ``<base>graph/corpus``."""
    return NamedNode(f"{IRIs(base or DEFAULT_BASE).base}graph/corpus")


def article_graph_prefix(base: str | None = None) -> str:
    """What every article graph IRI begins with."""
    return f"{IRIs(base or DEFAULT_BASE).base}graph/article/"


@dataclass(frozen=True)
class Article:
    """What the view needs of an article: its identifier and publication date."""

    iri: str
    identifier: str
    date: str | None


@dataclass
class Contribution:
    """What one article graph says of one node: each predicate's objects there."""

    graph: str
    article: Article
    facts: dict[str, frozenset[str]] = field(default_factory=dict)

    def iris(self, predicate: str) -> frozenset[str]:
        """The objects of ``predicate`` in this article, as strings (an IRI's or a literal's value)."""
        return self.facts.get(predicate, _EMPTY)

    texts = iris

    @property
    def order(self) -> tuple[str, str]:
        """Articles in the order the view calls first: earliest date, then identifier."""
        return (self.article.date or _NO_DATE, self.article.identifier)


class Corpus(Protocol):
    """Where :func:`node_view` reads the article graphs' facts from."""

    def contributions(self, node: str) -> list[Contribution]:
        """What each article graph says of ``node``."""

    def label(self, node: str) -> str | None:
        """The shared label of an actor or place (``rdfs:label`` in ``graph/actors``), if any."""

    def responders(self, allegation: str) -> list[str]:
        """The denials and confirmations that answer ``allegation``, in any article."""

    def sourced_events(self, actor: str) -> list[str]:
        """The events whose source is ``actor`` in some article."""

    def planned_events(self, actor: str) -> list[str]:
        """Those of :meth:`sourced_events` that some article gives as planned, expected or rumored."""


def _v(term: object) -> str:
    """The value of an IRI, blank node or literal (a quoted triple, never written here, as its text)."""
    return str(getattr(term, "value", term))


def _span_begin(span: str) -> int:
    m = _SPAN_CHARS.search(span)
    return int(m.group(1)) if m else 0


def _name(corpus: Corpus, iri: str) -> str:
    return corpus.label(iri) or iri.rsplit("/", 1)[-1]


def _names(values: Iterable[str]) -> str:
    return "; ".join(sorted(set(values), key=lambda s: (s.casefold(), s)))


def _union(contribs: Sequence[Contribution], predicate: str) -> set[str]:
    out: set[str] = set()
    for c in contribs:
        out |= c.iris(predicate)
    return out


def _texts(contribs: Sequence[Contribution], predicate: str) -> set[str]:
    out: set[str] = set()
    for c in contribs:
        out |= c.texts(predicate)
    return out


def _types(contribs: Sequence[Contribution]) -> set[str]:
    return _union(contribs, _RDF_TYPE)


def _first_evidence(contribs: Sequence[Contribution]) -> str | None:
    spans = [(c.order, _span_begin(s), s) for c in contribs for s in c.iris(_EVIDENCE)]
    return min(spans)[2] if spans else None


def _plan_key(contribs: Sequence[Contribution]) -> set[tuple[str, str, str]]:
    """The (type, source, target) triples the articles give an event (one per article that gives all three)."""
    keys = set()
    for c in contribs:
        for t in c.iris(_EVENT_TYPE):
            for s in c.iris(_SOURCE):
                for o in c.iris(_TARGET):
                    keys.add((t, s, o))
    return keys


def _fulfils(plan: Sequence[Contribution], done: Sequence[Contribution]) -> bool:
    """Whether an occurred event ``done`` carries out a plan: nothing either gives tells them apart.

    Places and kinds, when both give some, agree; the plan's items are all
    among the done event's; and a dated plan is done on or after its date.
    """
    for predicate in (_HAS_PLACE, _KIND):
        a, b = _union(plan, predicate), _union(done, predicate)
        if a and b and (len(a | b) > 1):
            return False
    if not _texts(plan, _ITEM) <= _texts(done, _ITEM):
        return False
    stamps = _texts(done, _STAMP)
    return all(any(s >= p for s in stamps) for p in _texts(plan, _STAMP))


def _when(contribs: Sequence[Contribution], first_day: str | None) -> str | None:
    """When an event happened, as text that sorts by its date: the date, "from", "by" or "between" dates.

    An event reported as done with no date of its own happened by the day
    the first article reporting it was published; other undated events have none.
    """
    stamps, begins, ends = _texts(contribs, _STAMP), _texts(contribs, _BEGIN), _texts(contribs, _END)
    if stamps:
        return min(stamps)
    if begins and ends:
        return f"between {min(begins)} and {max(ends)}"
    if begins:
        return f"from {min(begins)}"
    if ends:
        return f"by {max(ends)}"
    if first_day and _OCCURRED in _union(contribs, _MODALITY):
        return f"by {first_day}"
    return None


def _status(corpus: Corpus, node: str, contribs: Sequence[Contribution]) -> list[Triple]:
    """An allegation's status over the corpus, who denied or confirmed it, and where it was answered."""
    n = NamedNode(node)
    said = _union(contribs, _STATUS)
    deniers: set[str] = set()
    confirmers: set[str] = set()
    answers: list[tuple[tuple[str, str], int, str]] = []
    for r in corpus.responders(node):
        rc = corpus.contributions(r)
        kinds = _types(rc)
        who = _union(rc, _CLAIMANT)
        if _DENIAL in kinds:
            deniers |= who
        elif _CONFIRMATION in kinds:
            confirmers |= who
        else:
            continue
        answers += [(c.order, _span_begin(s), s) for c in rc for s in c.iris(_EVIDENCE)]
    if deniers or NKG + "Denied" in said:
        status = NKG + "Denied"
    elif confirmers or NKG + "Confirmed" in said:
        status = NKG + "Confirmed"
    else:
        status = NKG + "Unanswered"
    out = [Triple(n, CORPUS_STATUS, NamedNode(status))]
    out += [Triple(n, DENIED_BY, NamedNode(a)) for a in sorted(deniers)]
    out += [Triple(n, CONFIRMED_BY, NamedNode(a)) for a in sorted(confirmers)]
    if deniers:
        out.append(Triple(n, NAMES["deniers"], Literal(_names(_name(corpus, a) for a in deniers))))
    if confirmers:
        out.append(Triple(n, NAMES["confirmers"], Literal(_names(_name(corpus, a) for a in confirmers))))
    if answers:
        out.append(Triple(n, ANSWERED_IN, NamedNode(min(answers)[2])))
    return out


def _plan_done(corpus: Corpus, node: str, contribs: Sequence[Contribution]) -> list[Triple]:
    """``nkg:fulfilledBy`` for a planned, expected or rumored event that some occurred event carries out."""
    out = []
    for t, s, o in sorted(_plan_key(contribs)):
        for e in corpus.sourced_events(s):
            if e == node:
                continue
            ec = corpus.contributions(e)
            if _OCCURRED not in _union(ec, _MODALITY) or (t, s, o) not in _plan_key(ec):
                continue
            if _fulfils(contribs, ec):
                out.append(Triple(NamedNode(node), FULFILLED_BY, NamedNode(e)))
    return sorted(set(out), key=str)


def node_view(corpus: Corpus, node: str) -> list[Triple]:
    """The view's triples about ``node``, from what every article graph says of it (none when none does)."""
    contribs = corpus.contributions(node)
    if not contribs:
        return []
    if len(contribs) > 1:
        contribs = sorted(contribs, key=lambda c: c.order)
    n = NamedNode(node)
    merged: dict[str, set[str]] = defaultdict(set)  # each predicate's objects over every article, read once
    for c in contribs:
        for p, v in c.facts.items():
            merged[p] |= v

    def every(predicate: str) -> set[str]:
        return merged.get(predicate, set())

    types = every(_RDF_TYPE)
    out = [Triple(n, ARTICLE_COUNT, Literal(str(len({c.graph for c in contribs})), datatype=_INTEGER)),
           Triple(n, MENTION_COUNT, Literal(str(sum(len(c.iris(_EVIDENCE)) for c in contribs)), datatype=_INTEGER))]
    first = _first_evidence(contribs)
    if first:
        out.append(Triple(n, FIRST_EVIDENCE, NamedNode(first)))
    dates = sorted(c.article.date for c in contribs if c.article.date)
    if dates:
        out += [Triple(n, FIRST_REPORTED, Literal(dates[0], datatype=_DATE)),
                Triple(n, LAST_REPORTED, Literal(dates[-1], datatype=_DATE))]
    label = corpus.label(node) or next((min(c.texts(_RDFS_LABEL)) for c in contribs if c.texts(_RDFS_LABEL)), None)
    if label:
        out.append(Triple(n, PREF_LABEL, Literal(label)))
    words = {label} if label else set()
    words |= every(_SKOS + "altLabel") | every(_WORDS)
    if words:
        out.append(Triple(n, SEARCH_TEXT, Literal(_names(words))))

    def names(key: str, values: Iterable[str]) -> None:
        joined = _names(values)
        if joined:
            out.append(Triple(n, NAMES[key], Literal(joined)))

    def copies(*predicates: str) -> None:
        for p in predicates:
            make = Literal if p in _LITERAL_COPIES else NamedNode
            out.extend(Triple(n, COPIES[p], make(v)) for v in sorted(every(p)))

    if _EVENT in types:
        copies(_EVENT_TYPE, _MODALITY, _HAS_ACTOR, _SOURCE, _TARGET, _ITEM, _HAS_PLACE)
        names("participants", (_name(corpus, a) for a in every(_HAS_ACTOR)))
        names("items", every(_ITEM))
        names("kinds", (k.rsplit("/", 1)[-1].rsplit("#", 1)[-1].removeprefix("kind-").replace("-", " ")
                        for k in every(_KIND)))
        when = _when(contribs, dates[0] if dates else None)
        if when:
            out.append(Triple(n, WHEN, Literal(when)))
        if every(_MODALITY) & _PLANS:
            out += _plan_done(corpus, node, contribs)
    if _ALLEGATION in types or _DENIAL in types or _CONFIRMATION in types:
        names("claimants", (_name(corpus, a) for a in every(_CLAIMANT)))
    if _ALLEGATION in types:
        copies(_CLAIMANT, _ACCUSED, NKG + "proposition")
        names("accused", (_name(corpus, a) for a in every(_ACCUSED)))
        names("hedges", every(NKG + "hedge"))
        out += _status(corpus, node, contribs)
    if not types & _VIEWED_TYPES:  # an actor or a place: it counts as itself, its country and its bodies
        sides = {node} | every(_SCHEMA + "nationality") | every(_SCHEMA + "affiliation")
        out += [Triple(n, SIDE, NamedNode(x)) for x in sorted(sides)]
        names("titles", every(_SCHEMA + "jobTitle"))
        names("affiliations", (_name(corpus, a) for p in ("nationality", "affiliation")
                               for a in every(_SCHEMA + p)))
        names("aliases", every(_SKOS + "altLabel") - ({label} if label else set()))
    return out


def planned(contribs: Sequence[Contribution]) -> bool:
    """Whether some article gives the event as planned, expected or rumored."""
    return any(c.iris(_MODALITY) & _PLANS for c in contribs)


def affected(corpus: Corpus, nodes: Iterable[str]) -> set[str]:
    """``nodes`` and the nodes whose view depends on theirs.

    An allegation's status depends on the responses that answer it, and a
    plan's ``nkg:fulfilledBy`` on the occurred events of the same type, source
    and target. ``corpus`` may be before or after the change: call it on both.
    """
    out = set(nodes)
    for node in list(out):
        contribs = corpus.contributions(node)
        out |= _union(contribs, _RESPONDS)
        if _OCCURRED in _union(contribs, _MODALITY):
            for t, s, o in _plan_key(contribs):
                for e in corpus.planned_events(s):
                    ec = corpus.contributions(e)
                    if planned(ec) and (t, s, o) in _plan_key(ec):
                        out.add(e)
    return out


def sentence_links(triples: Iterable[Triple]) -> list[Triple]:
    """``span nif:sentence sentence`` for each mention span of one article graph.

    The sentence is the shortest evidence span of an event, allegation or
    response of the same article that contains the mention; a span that is
    such evidence itself, or that none contains, gets none.
    """
    types: dict[str, set[str]] = defaultdict(set)
    evidence: list[tuple[str, str]] = []
    for t in triples:
        p = t.predicate.value
        if p == _RDF_TYPE and isinstance(t.object, NamedNode):
            types[_v(t.subject)].add(_v(t.object))
        elif p == _EVIDENCE and isinstance(t.object, NamedNode):
            evidence.append((_v(t.subject), _v(t.object)))
    sentences: set[str] = set()
    mentions: set[str] = set()
    for owner, span in evidence:
        (sentences if types.get(owner, set()) & _SENTENCE_OWNERS else mentions).add(span)

    def chars(span: str) -> tuple[str, int, int] | None:
        m = _SPAN_CHARS.search(span)
        return (span[: m.start()], int(m.group(1)), int(m.group(2))) if m else None

    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for s in sentences:
        c = chars(s)
        if c:
            by_doc[c[0]].append((c[2] - c[1], c[1], s))
    out = []
    for m in sorted(mentions - sentences):
        c = chars(m)
        if c is None:
            continue
        inside = [(length, b, s) for length, b, s in by_doc.get(c[0], []) if b <= c[1] and c[2] <= b + length]
        if inside:
            out.append(Triple(NamedNode(m), SENTENCE, NamedNode(min(inside)[2])))
    return out


#: The predicates of article graphs that the view reads; the rest (span offsets, hedges…) it does not need.
_READ = frozenset({NKG + "hedge", NKG + "proposition", _RDF_TYPE, _RDFS_LABEL, _EVIDENCE, _RESPONDS, _CLAIMANT,
                   _ACCUSED, _STATUS, _MODALITY, _SOURCE, _TARGET, _ITEM, _KIND, _EVENT_TYPE, _HAS_ACTOR, _HAS_PLACE,
                   _STAMP, _BEGIN, _END, _DERIVED, _IDENTIFIER, _PUBLISHED, _SCHEMA + "jobTitle",
                   _SCHEMA + "nationality", _SCHEMA + "affiliation", _SKOS + "altLabel"})
_Facts = dict[str, set[str]]


def _viewed(facts: _Facts) -> bool:
    return _EVIDENCE in facts or _DERIVED in facts or bool(facts.get(_RDF_TYPE, _EMPTY) & _VIEWED_TYPES)


def _gather(triples: Iterable[Triple]) -> dict[str, _Facts]:
    by_subject: dict[str, _Facts] = defaultdict(lambda: defaultdict(set))
    anchors: dict[str, str] = {}
    for t in triples:
        p = t.predicate.value
        if not isinstance(t.subject, NamedNode):
            continue
        if "#char=" in t.subject.value:
            if p == _ANCHOR:
                anchors[t.subject.value] = t.object.value  # type: ignore[union-attr]
        elif p in _READ:
            by_subject[t.subject.value][p].add(t.object.value)  # type: ignore[union-attr]
    for facts in by_subject.values():
        if _EVIDENCE in facts:
            facts[_WORDS] = {anchors[s] for s in facts[_EVIDENCE] if s in anchors}
    return by_subject


def _frozen(facts: _Facts) -> dict[str, frozenset[str]]:
    return {p: frozenset(v) for p, v in facts.items()}


def contributions_of(graph: str, triples: Iterable[Triple]) -> dict[str, Contribution]:
    """What one article graph says of each node the view describes (actors, places, events, claims).

    A node counts when the article gives it evidence, derives it from itself
    or types it an event, allegation or response.
    """
    by_subject = _gather(triples)
    article = _article_of(by_subject)
    return {s: Contribution(graph, article, _frozen(f)) for s, f in by_subject.items()
            if s != article.iri and _viewed(f)}


def _article_of(by_subject: dict[str, _Facts]) -> Article:
    for s, facts in by_subject.items():
        if _IDENTIFIER in facts and _SCHEMA + "NewsArticle" in facts.get(_RDF_TYPE, _EMPTY):
            dates = sorted(facts.get(_PUBLISHED, _EMPTY))
            return Article(s, min(facts[_IDENTIFIER]), dates[0] if dates else None)
    return Article("", "", None)


@dataclass(frozen=True)
class ArticleView:
    """All the view takes of one article graph: its nodes' facts, its sentence links, the labels it states.

    Made where the article is built (a worker, from its quads) and kept in the
    extraction cache as plain JSON, so a warm rebuild reads no quad again.
    """

    graph: str
    contributions: dict[str, Contribution]
    links: list[tuple[str, str]]  # (mention span, sentence span)
    labels: list[tuple[str, str]]  # (actor or place, rdfs:label in graph/actors)

    @classmethod
    def of(cls, graph: str, triples: Sequence[Triple], shared: Iterable[Triple]) -> ArticleView:
        """From an article graph's triples and its statements in ``graph/actors``."""
        labels = sorted({(_v(t.subject), t.object.value) for t in shared
                         if t.predicate.value == _RDFS_LABEL and isinstance(t.object, Literal)})
        links = [(_v(t.subject), _v(t.object)) for t in sentence_links(triples)]
        return cls(graph, contributions_of(graph, triples), links, labels)

    def to_json(self) -> dict[str, object]:
        """Plain JSON (lists and strings), in a fixed order."""
        article = next(iter(self.contributions.values())).article if self.contributions else Article("", "", None)
        return {"article": [article.iri, article.identifier, article.date],
                "nodes": {n: {p: sorted(v) for p, v in sorted(c.facts.items())}
                          for n, c in sorted(self.contributions.items())},
                "links": [list(x) for x in self.links], "labels": [list(x) for x in self.labels]}

    @classmethod
    def from_json(cls, graph: str, data: dict[str, object]) -> ArticleView:
        """Back from :meth:`to_json`; ``ValueError`` or ``TypeError`` when ``data`` is not its shape."""
        head = data["article"]
        if not isinstance(head, list) or len(head) != 3:
            raise TypeError("article is not [iri, identifier, date]")
        article = Article(str(head[0]), str(head[1]), None if head[2] is None else str(head[2]))
        nodes = data["nodes"]
        if not isinstance(nodes, dict):
            raise TypeError("nodes is not an object")
        contribs = {n: Contribution(graph, article, {p: _strings(v) for p, v in facts.items()})
                    for n, facts in nodes.items()}
        return cls(graph, contribs, _pairs(data["links"]), _pairs(data["labels"]))


def _strings(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not set(map(type, value)) <= {str}:
        raise TypeError("not a list of strings")
    return frozenset(value)


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise TypeError("not a list of pairs")
    return [(str(a), str(b)) for a, b in value]


class MemoryCorpus:
    """A corpus gathered in memory, article graph by article graph: what a build writes the view from."""

    def __init__(self) -> None:
        self._contribs: dict[str, dict[str, Contribution]] = defaultdict(dict)
        self._labels: dict[str, str] = {}
        self._responders: dict[str, set[str]] = defaultdict(set)
        self._sourced: dict[str, set[str]] = defaultdict(set)
        self._planned: dict[str, set[str]] = defaultdict(set)
        self._graphs: set[str] = set()

    def add_article(self, graph: str, triples: Sequence[Triple]) -> None:
        """Take in one article graph's triples."""
        self._graphs.add(graph)
        self._add_contributions(graph, contributions_of(graph, triples))

    def _add_contributions(self, graph: str, contribs: dict[str, Contribution]) -> None:
        for node, c in contribs.items():
            self._contribs[node][graph] = c
            for a in c.iris(_RESPONDS):
                self._responders[a].add(node)
            for s in c.iris(_SOURCE):
                self._sourced[s].add(node)
                if planned([c]):
                    self._planned[s].add(node)

    def add_view(self, article: ArticleView) -> None:
        """Take in one article graph as :class:`ArticleView` gives it (its labels included)."""
        self._graphs.add(article.graph)
        self._add_contributions(article.graph, article.contributions)
        self._add_labels(article.labels)

    def add_shared(self, triples: Iterable[Triple]) -> None:
        """Take in shared statements (``graph/actors``): the labels of actors and places."""
        self._add_labels((_v(t.subject), t.object.value) for t in triples
                         if t.predicate.value == _RDFS_LABEL and isinstance(t.object, Literal))

    def _add_labels(self, labels: Iterable[tuple[str, str]]) -> None:
        for s, label in labels:
            if s not in self._labels or label < self._labels[s]:
                self._labels[s] = label

    def contributions(self, node: str) -> list[Contribution]:
        """What each article graph says of ``node``."""
        return list(self._contribs.get(node, {}).values())

    def label(self, node: str) -> str | None:
        """The shared label of ``node``."""
        return self._labels.get(node)

    def responders(self, allegation: str) -> list[str]:
        """The responses that answer ``allegation``."""
        return sorted(self._responders.get(allegation, ()))

    def sourced_events(self, actor: str) -> list[str]:
        """The events whose source is ``actor``."""
        return sorted(self._sourced.get(actor, ()))

    def planned_events(self, actor: str) -> list[str]:
        """The planned, expected or rumored events whose source is ``actor``."""
        return sorted(self._planned.get(actor, ()))

    def nodes(self) -> list[str]:
        """Every node some article graph describes."""
        return sorted(self._contribs)

    def view(self, graph: NamedNode) -> list[Quad]:
        """The whole view, in ``graph``."""
        return [Quad(t.subject, t.predicate, t.object, graph) for n in self.nodes() for t in node_view(self, n)]


def rebuild(quads: Iterable[Quad], base: str | None = None) -> list[Quad]:
    """The corpus view of ``quads`` (a whole corpus) derived from scratch: node facts and sentence links."""
    prefix = article_graph_prefix(base)
    g = corpus_graph(base)
    articles: dict[str, list[Triple]] = defaultdict(list)
    shared: list[Triple] = []
    for q in quads:
        name = q.graph_name
        if isinstance(name, NamedNode) and name.value.startswith(prefix):
            articles[name.value].append(q.triple)
        elif isinstance(name, NamedNode) and name != g:
            shared.append(q.triple)
    corpus = MemoryCorpus()
    corpus.add_shared(shared)
    links: list[Quad] = []
    for graph in sorted(articles):
        corpus.add_article(graph, articles[graph])
        links += [Quad(t.subject, t.predicate, t.object, g) for t in sentence_links(articles[graph])]
    return corpus.view(g) + links


class StoreCorpus:
    """The article graphs of an embedded (pyoxigraph) store, read node by node."""

    def __init__(self, store: Store, base: str | None = None) -> None:
        self.store = store
        self.prefix = article_graph_prefix(base)
        self.actors = NamedNode(str(IRIs(base or DEFAULT_BASE).actors_graph))
        self.view = corpus_graph(base)
        self._articles: dict[str, Article] = {}
        self._contribs: dict[str, list[Contribution]] = {}
        self._planned: set[str] | None = None

    def forget(self) -> None:
        """Drop what was read, after the store changed."""
        self._articles.clear()
        self._contribs.clear()
        self._planned = None

    def _article(self, graph: NamedNode) -> Article:
        if not self._articles:  # every article graph's at once: one pass, not two lookups a graph
            per_graph: dict[str, dict[str, _Facts]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
            for p in (_IDENTIFIER, _PUBLISHED):
                for q in self.store.quads_for_pattern(None, NamedNode(p), None, None):
                    g = q.graph_name
                    if isinstance(g, NamedNode) and g.value.startswith(self.prefix):
                        facts = per_graph[g.value][_v(q.subject)]
                        facts[p].add(_v(q.object))
                        facts[_RDF_TYPE].add(_SCHEMA + "NewsArticle")
            self._articles.update((g, _article_of(f)) for g, f in per_graph.items())
        a = self._articles.get(graph.value)
        if a is None:
            a = self._articles[graph.value] = _article_of({})
        return a

    def contributions(self, node: str) -> list[Contribution]:
        """What each article graph of the store says of ``node``."""
        if node in self._contribs:
            return self._contribs[node]
        per_graph: dict[NamedNode, _Facts] = defaultdict(lambda: defaultdict(set))
        for q in self.store.quads_for_pattern(NamedNode(node), None, None, None):
            g = q.graph_name
            if isinstance(g, NamedNode) and g.value.startswith(self.prefix) and q.predicate.value in _READ:
                per_graph[g][q.predicate.value].add(q.object.value)  # type: ignore[union-attr]
        if any(_EVIDENCE in f for f in per_graph.values()):
            words: dict[str, set[str]] = defaultdict(set)  # the evidence spans' words, by graph, in one query
            rows = self.store.query(f"SELECT ?g ?w WHERE {{ GRAPH ?g {{ <{node}> <{_EVIDENCE}> ?s . "
                                    f"?s <{_ANCHOR}> ?w }} }}")
            assert isinstance(rows, QuerySolutions)
            for r in rows:
                words[_v(r["g"])].add(_v(r["w"]))
            for g, facts in per_graph.items():
                if _EVIDENCE in facts:
                    facts[_WORDS] = words.get(g.value, set())
        out = [Contribution(g.value, self._article(g), _frozen(f)) for g, f in sorted(per_graph.items(), key=str)
               if _viewed(f)]
        self._contribs[node] = out
        return out

    def label(self, node: str) -> str | None:
        """The shared label of ``node`` in ``graph/actors``."""
        labels = [q.object.value for q in self.store.quads_for_pattern(
            NamedNode(node), NamedNode(_RDFS_LABEL), None, self.actors) if isinstance(q.object, Literal)]
        return min(labels) if labels else None

    def responders(self, allegation: str) -> list[str]:
        """The responses that answer ``allegation``, in any article graph."""
        return sorted({_v(q.subject) for q in self.store.quads_for_pattern(
            None, NamedNode(_RESPONDS), NamedNode(allegation), None)
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(self.prefix)})

    def sourced_events(self, actor: str) -> list[str]:
        """The events whose source is ``actor`` in some article graph."""
        return sorted({_v(q.subject) for q in self.store.quads_for_pattern(
            None, NamedNode(_SOURCE), NamedNode(actor), None)
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(self.prefix)})

    def planned_events(self, actor: str) -> list[str]:
        """The events whose source is ``actor`` that some article graph gives as planned, expected or rumored."""
        if self._planned is None:  # few in any corpus: read once, until the store changes
            self._planned = {_v(q.subject) for m in sorted(_PLANS) for q in self.store.quads_for_pattern(
                None, NamedNode(_MODALITY), NamedNode(m), None)
                if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(self.prefix)}
        return [e for e in self.sourced_events(actor) if e in self._planned]

    def graph_triples(self, graph: str) -> list[Triple] | None:
        """The triples of one named graph of the store; None when it has none of that name."""
        node = NamedNode(graph)
        if not self.store.contains_named_graph(node):
            return None
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, node)]

    def view_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What the view graph holds about ``subjects``."""
        return [q.triple for s in subjects for q in self.store.quads_for_pattern(NamedNode(s), None, None, self.view)]

    def named(self, subjects: Iterable[str]) -> set[str]:
        """Those of ``subjects`` some article graph of the store says anything of."""
        return {s for s in subjects if any(
            isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(self.prefix)
            for q in self.store.quads_for_pattern(NamedNode(s), None, None, None))}

    def shared_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What ``graph/actors`` holds about ``subjects``."""
        return [q.triple for s in subjects for q in self.store.quads_for_pattern(NamedNode(s), None, None, self.actors)]

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Nothing to do: an embedded store answers each node at once."""


def graph_nodes(store: Store, graph: NamedNode) -> tuple[set[str], list[Triple]]:
    """The subjects of one article graph of ``store`` the view may describe, and the graph's triples."""
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
    return subjects_of(triples), triples


def subjects_of(triples: Iterable[Triple]) -> set[str]:
    """The subjects of an article graph's triples the view may describe (every IRI subject but the spans)."""
    return {s for s in (t.subject.value for t in triples if isinstance(t.subject, NamedNode)) if "#char=" not in s}


class GraphSource(Corpus, Protocol):
    """A store as a change to it needs to read it: the corpus, whole article graphs, and the view's statements.

    :class:`StoreCorpus` reads an embedded store; :class:`kg.endpoint.EndpointCorpus`
    asks a SPARQL endpoint. :class:`PendingRefresh` and :func:`view_change`
    read only through this, so both kinds of store get one view derivation.
    """

    def graph_triples(self, graph: str) -> list[Triple] | None:
        """The triples of one named graph; None when the store has no such graph."""

    def view_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What the view graph holds now about ``subjects``."""

    def named(self, subjects: Iterable[str]) -> set[str]:
        """Those of ``subjects`` that some article graph has statements about."""

    def shared_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What ``graph/actors`` holds about ``subjects``."""

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Read what :meth:`contributions` and :meth:`label` will be asked of ``nodes`` (a store may batch it)."""

    def forget(self) -> None:
        """Drop what was read, after the store changed."""


@dataclass
class PendingRefresh:
    """What a change to a store's article graphs touched, noted before and after it (see :func:`view_change`).

    ``nodes``: the view nodes of the graphs as they were (and those whose view
    depends on theirs); ``spans_gone``: their sentence-linked spans;
    ``graphs``: every article graph changed (read again afterwards unless
    :meth:`written` noted what it holds); ``replaced``: the subjects of article
    graphs replaced by a load as they were, whose shared facts may have lost
    the last article that names them (see :func:`orphaned`).
    """

    nodes: set[str] = field(default_factory=set)
    spans_gone: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)
    found: dict[str, tuple[set[str], list[Triple]]] = field(default_factory=dict)

    def before(self, source: GraphSource | Store, graphs: Iterable[NamedNode | str], base: str | None = None, *,
               replacing: bool = False, view: bool = True) -> None:
        """Note the nodes of ``graphs`` as the store holds them now (call before replacing or dropping them).

        ``source`` is a :class:`GraphSource` (an embedded ``Store`` is read
        through :class:`StoreCorpus`); ``replacing``: a load is about to
        replace them, so their subjects are candidates for :func:`orphaned`;
        ``view=False`` notes only that (the view is to be derived whole).
        """
        corpus = StoreCorpus(source, base) if isinstance(source, Store) else source
        for g in graphs:
            name = g.value if isinstance(g, NamedNode) else g
            triples = corpus.graph_triples(name) or []
            nodes = subjects_of(triples)
            if replacing:
                self.replaced |= nodes
            if view:
                corpus.prefetch(nodes)
                self.nodes |= affected(corpus, nodes)
                self.spans_gone |= {_v(t.subject) for t in sentence_links(triples)}
            self.graphs.add(name)

    def after(self, graphs: Iterable[NamedNode | str]) -> None:
        """Note graphs written (their nodes are read in :func:`view_change`)."""
        self.graphs |= {g.value if isinstance(g, NamedNode) else g for g in graphs}

    def written(self, graph: str, triples: Sequence[Triple]) -> None:
        """Note a graph written with exactly ``triples``: its nodes and sentence links, so it is not read back."""
        self.graphs.add(graph)
        self.found[graph] = (subjects_of(triples), sentence_links(triples))

    def is_empty(self) -> bool:
        """Whether nothing is noted."""
        return not (self.nodes or self.spans_gone or self.graphs or self.replaced)


def view_change(source: GraphSource, pending: PendingRefresh) -> tuple[list[Triple], list[Triple]]:
    """The view statements to drop and those to write for what ``pending`` noted: (old, new).

    The nodes of the changed article graphs (before and after), and those
    whose view depends on theirs, get their view recomputed from every
    article graph of the store; the changed graphs' sentence links likewise.
    ``old`` is what the view holds now about those nodes and spans.
    """
    nodes = set(pending.nodes)
    links: list[Triple] = []
    spans = set(pending.spans_gone)
    found_all: set[str] = set()
    for graph in sorted(pending.graphs):
        if graph in pending.found:
            found, new = pending.found[graph]
        else:
            triples = source.graph_triples(graph)
            if triples is None:
                continue
            found, new = subjects_of(triples), sentence_links(triples)
        found_all |= found
        links += new
        spans |= {_v(t.subject) for t in new}
    source.prefetch(found_all)
    nodes |= affected(source, found_all)
    source.prefetch(nodes)
    old = source.view_triples(sorted(nodes | spans))
    new_triples = [t for n in sorted(nodes) for t in node_view(source, n)] + links
    log.info("corpus view: %d nodes recomputed (%d statements)", len(nodes), len(new_triples))
    return old, new_triples


def refresh_store(store: Store, pending: PendingRefresh, base: str | None = None) -> int:
    """Bring the view of ``store`` up to date for what ``pending`` noted; returns the view triples written."""
    g = corpus_graph(base)
    old, new = view_change(StoreCorpus(store, base), pending)
    for t in old:
        store.remove(Quad(t.subject, t.predicate, t.object, g))
    store.extend(Quad(t.subject, t.predicate, t.object, g) for t in new)
    return len(new)


def orphaned(source: GraphSource, candidates: Iterable[str], keep: Iterable[Triple] = ()) -> list[Triple]:
    """The statements of ``graph/actors`` about ``candidates`` that no article names any more, but ``keep``.

    What a load removes after it replaced article graphs: a shared fact (an
    actor's type, label, Wikidata link; a place's country) is about one node,
    and stays while some article graph says anything of that node. ``keep``
    are the statements the load itself brings, which stay whatever.
    """
    wanted = set(candidates)
    if not wanted:
        return []
    gone = wanted - source.named(sorted(wanted))
    kept = set(keep)
    return sorted((t for t in source.shared_triples(sorted(gone)) if t not in kept), key=str)


def whole_view(store: Store, base: str | None = None) -> list[Quad]:
    """The view graph ``store`` holds now."""
    return list(store.quads_for_pattern(None, None, None, corpus_graph(base)))


def store_quads(store: Store) -> Iterator[Quad]:
    """Every quad of ``store`` outside the default graph."""
    for q in store:
        if not isinstance(q.graph_name, DefaultGraph):
            yield q


def base_of(graphs: Iterable[NamedNode]) -> str | None:
    """The instance base of a corpus, from the name of one of its article graphs (None when it has none)."""
    for g in graphs:
        at = g.value.find("graph/article/")
        if at > 0:
            return g.value[:at]
    return None


def add_missing_view(store: Store, where: str = "the data") -> int:
    """Derive the corpus view into ``store`` if it holds article graphs and no view; the statements added.

    For graph files written by hand or by a newskg from before the view: the
    saved queries read the view.
    """
    graphs = [g for g in store.named_graphs() if isinstance(g, NamedNode)]
    if any(g.value.endswith("graph/corpus") for g in graphs):
        return 0
    base = base_of(graphs)
    if base is None:
        return 0
    view = rebuild(store_quads(store), base)
    store.extend(view)
    log.info("%s has no corpus view (%s): derived %d statements from its article graphs", where,
             corpus_graph(base).value, len(view))
    return len(view)


def refresh_whole(store: Store, base: str | None = None) -> int:
    """Derive the whole view of ``store`` anew from its article graphs, one graph at a time; the statements written.

    What a store gets when its view cannot be trusted to be current (a run
    was killed before it brought the view up to date, or the store predates it).
    """
    g = corpus_graph(base)
    prefix = article_graph_prefix(base)
    corpus = MemoryCorpus()
    corpus.add_shared(q.triple for q in store.quads_for_pattern(
        None, NamedNode(_RDFS_LABEL), None, NamedNode(str(IRIs(base or DEFAULT_BASE).actors_graph))))
    links: list[Quad] = []
    for name in sorted((x for x in store.named_graphs() if isinstance(x, NamedNode) and x.value.startswith(prefix)),
                       key=lambda x: x.value):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
        corpus.add_article(name.value, triples)
        links += [Quad(t.subject, t.predicate, t.object, g) for t in sentence_links(triples)]
    view = corpus.view(g) + links
    store.update(f"DROP SILENT GRAPH <{g.value}>")
    store.extend(view)
    log.info("corpus view derived anew: %d statements", len(view))
    return len(view)
