"""Extraction -> RDF: the only module that knows the shape of the vocabulary.

Quads are built as pyoxigraph terms (the fast engine, where the volume is);
:func:`to_dataset` turns them into an rdflib ``Dataset`` for the familiar API.
Each article's facts go to its own named graph; what is true of an actor or
place whichever article names it (type, label, Wikidata link) goes to the
shared graph; the ontology to the vocabulary graph; the run's provenance to
the provenance graph.

One real-world entity is one node, whatever role it plays: an entity the
reference data knows (:func:`kg.extract.places.reference_kind`) is named in
the folder of its kind, ``actor/`` for an entry of the actor lexicon (so the
place North Korea is ``actor/north-korea``, typed both ``sem:Actor`` and
``sem:Place`` once it is both), ``place/`` for a gazetteer place (a city
acting in a text is still ``place/...``). A name the data does not know is
named by its role. Every actor and place mention is an evidence span in the
article's graph, so retracting the article takes its mentions with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, parse
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

import kg
from kg.extract.places import reference_kind
from kg.model import Actor, Allegation, Event, Extraction, Place, Response
from kg.vocab import ACTOR_CLASS, NIF, NKG, SCHEMA, SEM, WD, IRIs, event_kind_iri, event_type_iri, ontology_ttl
from kg.vocab import digest as _digest

UNNAMED_SOURCE = "unnamed source"  # claimant of an allegation the article reports without attribution

_MODALITY = {m: NamedNode(str(getattr(NKG, m))) for m in ("Occurred", "Planned", "Expected", "Rumored", "Alleged")}
_STATUS = {
    "alleged": NamedNode(str(NKG.Unanswered)),
    "denied": NamedNode(str(NKG.Denied)),
    "confirmed": NamedNode(str(NKG.Confirmed)),
}
_STANCE_RANK = {"alleged": 0, "confirmed": 1, "denied": 2}
_DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@lru_cache(maxsize=4096)
def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


_MAX_MEMO = 65536  # entries a mapper remembers (actor nodes) before starting afresh


@lru_cache(maxsize=1024)
def _type_node(plover_type: str) -> NamedNode:
    return NamedNode(str(event_type_iri(plover_type)))


@lru_cache(maxsize=4096)
def _kind_node(kind: str) -> NamedNode:
    return NamedNode(str(event_kind_iri(kind)))


# Every vocabulary term the mapping writes, converted once (DefinedNamespace look-ups are slow).
_DCTERMS_identifier = _n(str(DCTERMS.identifier))
_NIF_String = _n(str(NIF.String))
_NIF_anchorOf = _n(str(NIF.anchorOf))
_NIF_beginIndex = _n(str(NIF.beginIndex))
_NIF_endIndex = _n(str(NIF.endIndex))
_NIF_referenceContext = _n(str(NIF.referenceContext))
_NKG_Allegation = _n(str(NKG.Allegation))
_NKG_EventTypes = _n(str(NKG.EventTypes))
_NKG_accused = _n(str(NKG.accused))
_NKG_claimant = _n(str(NKG.claimant))
_NKG_evidence = _n(str(NKG.evidence))
_NKG_hedge = _n(str(NKG.hedge))
_NKG_item = _n(str(NKG.item))
_NKG_kind = _n(str(NKG.kind))
_NKG_modality = _n(str(NKG.modality))
_NKG_proposition = _n(str(NKG.proposition))
_NKG_responds = _n(str(NKG.responds))
_NKG_sourceActor = _n(str(NKG.sourceActor))
_NKG_status = _n(str(NKG.status))
_NKG_targetActor = _n(str(NKG.targetActor))
_OWL_sameAs = _n(str(OWL.sameAs))
_PROV_Activity = _n(str(PROV.Activity))
_PROV_SoftwareAgent = _n(str(PROV.SoftwareAgent))
_PROV_used = _n(str(PROV.used))
_PROV_wasAssociatedWith = _n(str(PROV.wasAssociatedWith))
_PROV_wasDerivedFrom = _n(str(PROV.wasDerivedFrom))
_RDF_type = _n(str(RDF.type))
_RDFS_label = _n(str(RDFS.label))
_SCHEMA_Claim = _n(str(SCHEMA.Claim))
_SCHEMA_NewsArticle = _n(str(SCHEMA.NewsArticle))
_SCHEMA_Place = _n(str(SCHEMA.Place))
_SCHEMA_citation = _n(str(SCHEMA.citation))
_SCHEMA_containedInPlace = _n(str(SCHEMA.containedInPlace))
_SCHEMA_datePublished = _n(str(SCHEMA.datePublished))
_SCHEMA_headline = _n(str(SCHEMA.headline))
_SCHEMA_jobTitle = _n(str(SCHEMA.jobTitle))
_SCHEMA_sha256 = _n(str(SCHEMA.sha256))
_SCHEMA_url = _n(str(SCHEMA.url))
_SEM_Actor = _n(str(SEM.Actor))
_SEM_Event = _n(str(SEM.Event))
_SEM_Place = _n(str(SEM.Place))
_SEM_eventType = _n(str(SEM.eventType))
_SEM_hasActor = _n(str(SEM.hasActor))
_SEM_hasPlace = _n(str(SEM.hasPlace))
_SEM_hasTimeStamp = _n(str(SEM.hasTimeStamp))
_SKOS_Concept = _n(str(SKOS.Concept))
_SKOS_altLabel = _n(str(SKOS.altLabel))
_SKOS_broader = _n(str(SKOS.broader))
_SKOS_inScheme = _n(str(SKOS.inScheme))
_SKOS_prefLabel = _n(str(SKOS.prefLabel))
_XSD_date = _n(str(XSD.date))
_XSD_nonNegativeInteger = _n(str(XSD.nonNegativeInteger))

# Frequently used terms, converted once.
A = _RDF_type
LABEL = _RDFS_label
ALT = _SKOS_altLabel
SAME = _OWL_sameAs
DERIVED = _PROV_wasDerivedFrom
EVID = _NKG_evidence


def _lit(value: str | int, datatype: str | None = None, lang: str | None = None) -> Literal:
    if datatype is not None:
        return Literal(str(value), datatype=_n(datatype))
    if lang is not None:
        return Literal(str(value), language=lang)
    return Literal(str(value))


Subject = NamedNode | BlankNode
Object = NamedNode | Literal | BlankNode
AddFn = Callable[[Subject, NamedNode, Object], None]
SpanFn = Callable[[int, int], NamedNode]
ActorFn = Callable[[str], NamedNode]


@dataclass
class ArticleQuads:
    """What one article contributes: its own graph, and facts for the shared graph."""

    article_id: str
    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)
    shared: list[Quad] = field(default_factory=list)


def date_literal(value: str) -> Literal:
    """An event time at the precision the text gave: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if not _DATE_RE.match(value):
        raise ValueError(f"not an ISO date, year-month or year: {value!r}")
    return Literal(value, datatype=_n(str(_DATE_TYPES[len(value)])))


# types whose two sides do the same thing: "A met B" is "B met A"; in the others one side acts on the other
SYMMETRIC_TYPES = frozenset(["CONSULT", "COOPERATE", "AGREE"])


def event_signature(event: Event) -> tuple[str, ...]:
    """What two mentions of one real event share: type, main participants, date, place, modality.

    Modality is part of it so that an alleged or planned event never shares a
    node with one reported as fact. The main participants are the source and
    the target: in either order for a meeting, a cooperation or an agreement,
    in their order for the rest, so that "A supplies B" and "B supplies A", or
    "A approaches B" and "B asks A for help", stay two events.
    """
    if event.type not in SYMMETRIC_TYPES and (event.source_actor or event.target_actor):
        main = f"{event.source_actor or ''}>{event.target_actor or ''}"
    else:
        roles = {a for a in (event.source_actor, event.target_actor) if a} or set(event.participants)
        main = "|".join(sorted(roles))
    return (
        event.type,
        main,
        event.date or "",
        event.place or "",
        event.modality,
    )


class Mapper:
    """Maps extractions to quads under one set of IRIs."""

    def __init__(self, iris: IRIs | None = None) -> None:
        self.iris = iris or IRIs()
        # (role, canonical name) -> node: actors and places recur in every article
        self._nodes: dict[tuple[str, str], NamedNode] = {}
        self._shared_in = self.shared_graph()  # where actor and place facts go

    # ------------------------------------------------------------- helpers
    def actor_node(self, name: str) -> NamedNode:
        """The node of an actor by canonical name (a gazetteer place's own node when it names one)."""
        return self._node("actor", name)

    def place_node(self, name: str) -> NamedNode:
        """The node of a place by canonical name (the actor's node when the actor lexicon knows it)."""
        return self._node("place", name)

    def _node(self, role: str, name: str) -> NamedNode:
        node = self._nodes.get((role, name))
        if node is None:
            if len(self._nodes) >= _MAX_MEMO:
                self._nodes.clear()
            kind = reference_kind(name) or role  # what the entity is, from the data files, or else its role here
            iri = self.iris.place(name) if kind == "place" else self.iris.actor(name)
            node = self._nodes[(role, name)] = NamedNode(str(iri))
        return node

    def event_node(self, event: Event) -> NamedNode:
        """The node of an event, from its signature."""
        return _n(str(self.iris.event(event_signature(event))))

    def allegation_node(self, allegation: Allegation) -> NamedNode:
        """The node of an allegation, from its claimants and proposition."""
        claimants = "|".join(sorted(allegation.claimant or (UNNAMED_SOURCE,)))
        prop = self.event_node(allegation.proposition).value if allegation.proposition else _norm(allegation.claim)
        return _n(str(self.iris.allegation((claimants, prop))))

    # ------------------------------------------------------------- article
    def article_quads(self, found: Extraction) -> ArticleQuads:
        """All quads one article contributes: its own graph's, and its facts for the shared graph."""
        art = found.article
        self._labelled: set[str] = set()
        g = _n(str(self.iris.article_graph(art.id)))
        out = ArticleQuads(art.id, g)
        q = out.quads
        node = _n(str(self.iris.article(art.id)))

        seen: set[Quad] = set()

        def add(s: Subject, p: NamedNode, o: Object) -> None:
            quad = Quad(s, p, o, g)
            if quad not in seen:  # an event can be both reported and an allegation's proposition
                seen.add(quad)
                q.append(quad)

        add(node, A, _SCHEMA_NewsArticle)
        add(node, _DCTERMS_identifier, _lit(art.id))
        if art.title:
            add(node, _SCHEMA_headline, _lit(art.title))
        if art.date:
            add(node, _SCHEMA_datePublished, Literal(art.date, datatype=_XSD_date))
        if art.url:
            add(node, _SCHEMA_url, _lit(art.url, str(XSD.anyURI)))
        for c in art.citations:
            add(node, _SCHEMA_citation, _lit(c))
        if art.sha256:
            add(node, _SCHEMA_sha256, _lit(art.sha256))

        spans: dict[tuple[int, int], NamedNode] = {}

        def span(b: int, e: int) -> NamedNode:
            s = spans.get((b, e))
            if s is None:
                # A span's statements are made here only, once: no need to look for repeats.
                s = spans[(b, e)] = NamedNode(str(IRIs.span(node.value, b, e)))
                q.append(Quad(s, A, _NIF_String, g))
                q.append(Quad(s, _NIF_beginIndex, Literal(str(b), datatype=_XSD_nonNegativeInteger), g))
                q.append(Quad(s, _NIF_endIndex, Literal(str(e), datatype=_XSD_nonNegativeInteger), g))
                q.append(Quad(s, _NIF_anchorOf, Literal(art.text[b:e]), g))
                q.append(Quad(s, _NIF_referenceContext, node, g))
            return s

        named_actors: dict[str, Actor] = {a.name: a for a in found.actors}
        for actor in found.actors:
            self._actor(actor, out, add, span, node)
        for place in found.places:
            self._place(place, out, add, span, node)

        def ensure_actor(name: str) -> NamedNode:
            n = self.actor_node(name)
            if name not in named_actors:
                # An actor an event names without the actor layer having found it.
                named_actors[name] = Actor(name=name, type="Group")
                self._actor(named_actors[name], out, add, span, node)
            return n

        for event in found.events:
            self._event(event, add, span, node, ensure_actor)
        # Two mentions of one allegation in an article share a node: it gets one
        # status, the most definite one the article gives (a denial outranks none).
        self._stance: dict[str, str] = {}
        for allegation in found.allegations:
            key = self.allegation_node(allegation).value
            if _STANCE_RANK.get(allegation.stance, 0) >= _STANCE_RANK.get(self._stance.get(key, ""), -1):
                self._stance[key] = allegation.stance
        allegation_nodes: list[NamedNode] = []
        for allegation in found.allegations:
            allegation_nodes.append(self._allegation(allegation, add, span, node, ensure_actor))
        for response in found.responses:
            self._response(response, allegation_nodes, add, span, node, ensure_actor)
        return out

    def _actor(self, actor: Actor, out: ArticleQuads, add: AddFn, span: SpanFn, article: NamedNode) -> None:
        n = self.actor_node(actor.name)
        shared = out.shared
        g = self._shared_in
        shared.append(Quad(n, A, _SEM_Actor, g))
        shared.append(Quad(n, A, _n(str(ACTOR_CLASS.get(actor.type, NKG.Group))), g))
        shared.append(Quad(n, LABEL, _lit(actor.name), g))
        if actor.wikidata:
            shared.append(Quad(n, SAME, _n(str(WD) + actor.wikidata), g))
        add(n, DERIVED, article)
        for alias in actor.aliases:
            if alias != actor.name:
                add(n, ALT, _lit(alias))
        if actor.role:
            add(n, _SCHEMA_jobTitle, _lit(actor.role))
        if actor.affiliation and actor.affiliation != actor.name:
            prop = SCHEMA.nationality if actor.type == "Person" and _is_country_like(actor.affiliation) else None
            add(n, _n(str(prop or SCHEMA.affiliation)), self.actor_node(actor.affiliation))
        for m in actor.mentions:
            add(n, EVID, span(m.begin, m.end))

    def _place(self, place: Place, out: ArticleQuads, add: AddFn, span: SpanFn, article: NamedNode) -> None:
        # What the place is goes to the shared graph, as an actor's does; that this
        # article names it, and where, to the article's graph.
        n = self.place_node(place.name)
        shared = out.shared
        g = self._shared_in
        shared.append(Quad(n, A, _SEM_Place, g))
        shared.append(Quad(n, A, _SCHEMA_Place, g))
        shared.append(Quad(n, LABEL, _lit(place.name), g))
        if place.wikidata:
            shared.append(Quad(n, SAME, _n(str(WD) + place.wikidata), g))
        if place.country and place.country != place.name:
            shared.append(Quad(n, _SCHEMA_containedInPlace, self.place_node(place.country), g))
        add(n, DERIVED, article)
        for m in place.mentions:
            if m.text != place.name:
                add(n, ALT, _lit(m.text))
            add(n, EVID, span(m.begin, m.end))

    def _event(
        self,
        event: Event,
        add: AddFn,
        span: SpanFn,
        article: NamedNode,
        ensure_actor: ActorFn,
        modality: str | None = None,
    ) -> NamedNode:
        if modality is not None and event.modality != modality:
            event = replace(event, modality=modality)
        n = self.event_node(event)
        add(n, A, _SEM_Event)
        add(n, _SEM_eventType, _type_node(event.type))
        if event.kind:
            add(n, _NKG_kind, _kind_node(event.kind))
        if n.value not in self._labelled:  # one label per event node, from its first mention
            self._labelled.add(n.value)
            add(n, LABEL, _lit(event.label))
        for name in dict.fromkeys((*event.participants, event.source_actor, event.target_actor)):
            if name:
                add(n, _SEM_hasActor, ensure_actor(name))
        if event.source_actor:
            add(n, _NKG_sourceActor, ensure_actor(event.source_actor))
        if event.target_actor:
            add(n, _NKG_targetActor, ensure_actor(event.target_actor))
        if event.place:
            add(n, _SEM_hasPlace, self.place_node(event.place))
        if event.date:
            add(n, _SEM_hasTimeStamp, date_literal(event.date))
        add(n, _NKG_modality, _MODALITY[event.modality])
        for item in event.items:
            add(n, _NKG_item, _lit(item))
        add(n, EVID, span(event.evidence.begin, event.evidence.end))
        add(n, DERIVED, article)
        return n

    def _allegation(
        self, al: Allegation, add: AddFn, span: SpanFn, article: NamedNode, ensure_actor: ActorFn
    ) -> NamedNode:
        n = self.allegation_node(al)
        add(n, A, _NKG_Allegation)
        add(n, A, _SCHEMA_Claim)
        if n.value not in self._labelled:
            self._labelled.add(n.value)
            add(n, LABEL, _lit(al.claim))
        for c in al.claimant or (UNNAMED_SOURCE,):
            add(n, _NKG_claimant, ensure_actor(c))
        for c in al.accused:
            add(n, _NKG_accused, ensure_actor(c))
        if al.proposition is not None:
            p = self._event(al.proposition, add, span, article, ensure_actor, modality="Alleged")
            add(n, _NKG_proposition, p)
        add(n, _NKG_status, _STATUS.get(self._stance.get(n.value, al.stance), _STATUS["alleged"]))
        if al.hedge:
            add(n, _NKG_hedge, _lit(al.hedge))
        add(n, EVID, span(al.evidence.begin, al.evidence.end))
        add(n, DERIVED, article)
        return n

    def _response(
        self,
        r: Response,
        allegations: Sequence[NamedNode],
        add: AddFn,
        span: SpanFn,
        article: NamedNode,
        ensure_actor: ActorFn,
    ) -> None:
        answered = [allegations[i] for i in r.responds if 0 <= i < len(allegations)]
        kind = "denial" if r.kind == "denial" else "confirmation"
        sig = (kind, "|".join(sorted(r.claimant)), "|".join(sorted(a.value for a in answered)), article.value)
        n = _n(str(self.iris.response(kind, sig)))
        add(n, A, _n(str(NKG.Denial if kind == "denial" else NKG.Confirmation)))
        add(n, A, _SCHEMA_Claim)
        for c in r.claimant:
            add(n, _NKG_claimant, ensure_actor(c))
        for a in answered:
            add(n, _NKG_responds, a)
        add(n, EVID, span(r.evidence.begin, r.evidence.end))
        add(n, DERIVED, article)

    # ------------------------------------------------------------- whole run
    def shared_graph(self) -> NamedNode:
        """The shared actor-and-place graph's name."""
        return _n(str(self.iris.actors_graph))

    def vocabulary_quads(self) -> list[Quad]:
        """The ontology and event-type scheme, in the vocabulary graph."""
        g = _n(str(self.iris.vocabulary_graph))
        return [Quad(t.subject, t.predicate, t.object, g) for t in _ontology_triples()]

    def kind_quads(self, kinds: Iterable[tuple[str, str]]) -> list[Quad]:
        """Concepts for finer event kinds seen, narrower than their PLOVER type."""
        g = _n(str(self.iris.vocabulary_graph))
        out: list[Quad] = []
        for kind, top in sorted(set(kinds)):
            k = _n(str(event_kind_iri(kind)))
            out += [
                Quad(k, A, _SKOS_Concept, g),
                Quad(k, _SKOS_inScheme, _NKG_EventTypes, g),
                Quad(k, _SKOS_prefLabel, _lit(kind, lang="en"), g),
                Quad(k, _SKOS_broader, _n(str(event_type_iri(top))), g),
            ]
        return out

    def run_quads(self, articles: Sequence[tuple[str, str]]) -> list[Quad]:
        """The run as a prov:Activity that used each article (by id and content hash)."""
        g = _n(str(self.iris.provenance_graph))
        run = _n(str(self.iris.run(_digest(*(f"{i}:{h}" for i, h in articles)))))
        agent = _n("https://w3id.org/newskg#software")
        out = [
            Quad(run, A, _PROV_Activity, g),
            Quad(run, _PROV_wasAssociatedWith, agent, g),
            Quad(agent, A, _PROV_SoftwareAgent, g),
            Quad(agent, LABEL, _lit(f"newskg {kg.__version__}"), g),
        ]
        # the language model the extractors read the text with, by name and version
        from kg.extract import model_identity

        model = _n("https://w3id.org/newskg#language-model")
        out += [
            Quad(run, _PROV_wasAssociatedWith, model, g),
            Quad(model, A, _PROV_SoftwareAgent, g),
            Quad(model, LABEL, _lit(model_identity()), g),
        ]
        for article_id, sha in articles:
            a = _n(str(self.iris.article(article_id)))
            out.append(Quad(run, _PROV_used, a, g))
            out.append(Quad(a, _DCTERMS_identifier, _lit(article_id), g))
            if sha:
                out.append(Quad(a, _SCHEMA_sha256, _lit(sha), g))
        return out


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[Quad, ...]:
    return tuple(parse(ontology_ttl(), format=RdfFormat.TURTLE))


def _is_country_like(name: str) -> bool:
    # Extractors give affiliations as canonical names; a person's country is
    # its nationality, an organisation its affiliation. Without the gazetteer
    # here, a name of one to three capitalised words counts as a country.
    return len(name.split()) <= 3 and not any(w in name.lower() for w in ("ministry", "agency", "party", "army"))


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def parse_lines(lines: Iterable[str]) -> list[Quad]:
    """Quads from N-Quads statement lines written without their closing " ." (how built articles are kept)."""
    text = "".join(f"{line} .\n" for line in lines)
    return list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS)) if text else []


def to_dataset(quads: Iterable[Quad]) -> rdflib.Dataset:
    """An rdflib Dataset holding the given quads (for callers who want rdflib's API)."""
    ds = rdflib.Dataset()
    for q in quads:
        ctx = (
            ds.graph(rdflib.URIRef(q.graph_name.value))
            if not isinstance(q.graph_name, DefaultGraph)
            else ds.default_graph
        )
        ctx.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return ds


def _to_rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dtype = term.datatype.value
        if dtype == str(XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dtype))
    raise TypeError(f"cannot convert {term!r}")
