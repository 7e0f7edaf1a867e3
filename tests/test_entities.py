"""One node per real-world entity: an actor that is also a place is one node typed both, and every
place mention is an evidence span in its article's graph (issue 15).

The IRI rule (:meth:`kg.rdf.Mapper.actor_node`, :meth:`kg.rdf.Mapper.place_node`): an entity the
reference data knows is named in the folder of its kind whatever role it plays (``actor/`` for an
entry of the actor lexicon, ``place/`` for a gazetteer place); a name the data does not know is
named by its role.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import GraphBuilder, build, extractions
from kg.extract.places import find_places, reference_kind
from kg.model import Actor, Article, Extraction, Place, Span
from kg.rdf import Mapper
from kg.store import retract_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ID = "https://w3id.org/newskg/id/"
ACTORS_GRAPH = ox.NamedNode(ID + "graph/actors")
PROVENANCE_GRAPH = ox.NamedNode(ID + "graph/provenance")
WD = "http://www.wikidata.org/entity/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SAME = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
EVIDENCE = ox.NamedNode("https://w3id.org/newskg#evidence")
DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
ANCHOR = ox.NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf")
ACTOR = ox.NamedNode(SEM + "Actor")
PLACE = ox.NamedNode(SEM + "Place")


@pytest.fixture(scope="module")
def seeds() -> list[Extraction]:
    """The seeds' extractions, in input order."""
    return [x for x in extractions([str(SEEDS)]) if isinstance(x, Extraction)]


@pytest.fixture(scope="module")
def store(seeds: list[Extraction]) -> ox.Store:
    """The seeds' graph (shared facts and article graphs, as ``kg build`` maps them) in a store."""
    builder = GraphBuilder()
    quads: list[ox.Quad] = []
    for found in seeds:
        aq = builder.article(found)
        quads += aq.shared + aq.quads
    s = ox.Store()
    s.extend(quads + builder.closing_quads())
    return s


def _types(store: ox.Store, node: ox.NamedNode) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(node, TYPE, None)}


# ---------------------------------------------------------------- the seeds' graph


def test_one_node_per_wikidata_entity(store: ox.Store) -> None:
    """No two subjects are owl:sameAs the same Wikidata entity; each node links to at most one."""
    holders: dict[str, set[str]] = defaultdict(set)
    links: dict[str, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, SAME, None):
        assert q.object.value.startswith(WD), q
        holders[q.object.value].add(q.subject.value)
        links[q.subject.value].add(q.object.value)
    assert {WD + "Q423", WD + "Q159", WD + "Q30"} <= set(holders)  # North Korea, Russia, United States
    assert {wd: s for wd, s in holders.items() if len(s) > 1} == {}
    assert {s: wd for s, wd in links.items() if len(wd) > 1} == {}


def test_actor_and_place_are_one_node_typed_both(store: ox.Store, seeds: list[Extraction]) -> None:
    """An entity both an actor and a place of the seeds is one node, typed sem:Actor and sem:Place."""
    mapper = Mapper()
    actors = {mapper.actor_node(a.name) for found in seeds for a in found.actors}
    places = {mapper.place_node(p.name) for found in seeds for p in found.places}
    both = actors & places
    assert {ox.NamedNode(ID + "actor/" + s) for s in ("north-korea", "russia", "united-states")} <= both
    for node in both:
        assert {ACTOR.value, PLACE.value} <= _types(store, node), node
        assert len(list(store.quads_for_pattern(node, LABEL, None, ACTORS_GRAPH))) == 1, node
    # no place node of the old kind is left for an actor the lexicon knows
    assert not [q for q in store.quads_for_pattern(None, TYPE, PLACE) if q.subject.value.endswith("/place/north-korea")]
    for q in store.quads_for_pattern(None, SAME, None):
        if PLACE.value in _types(store, q.subject):  # a place with a Wikidata id is the actor's node
            assert "/actor/" in q.subject.value, q


def test_every_place_mention_has_an_evidence_span(store: ox.Store, seeds: list[Extraction]) -> None:
    """Each place mention is the node's nkg:evidence in its article's graph; the span's text is the surface."""
    mapper = Mapper()
    seen = 0
    for found in seeds:
        graph = ox.NamedNode(str(mapper.iris.article_graph(found.article.id)))
        article = ox.NamedNode(str(mapper.iris.article(found.article.id)))
        for place in found.places:
            node = mapper.place_node(place.name)
            assert place.mentions, place
            assert ox.Quad(node, DERIVED, article, graph) in store
            for m in place.mentions:
                span = ox.NamedNode(f"{article.value}#char={m.begin},{m.end}")
                assert ox.Quad(node, EVIDENCE, span, graph) in store, (place.name, m)
                (text,) = [q.object.value for q in store.quads_for_pattern(span, ANCHOR, None, graph)]
                assert m.text in text and m.text == found.article.text[m.begin : m.end]
                seen += 1
    assert seen >= len(seeds)
    # the seeds' summit place, by the words of its mention
    vostochny = [
        q.subject
        for q in store.quads_for_pattern(None, EVIDENCE, None)
        if PLACE.value in _types(store, q.subject)  # type: ignore[arg-type]
        and any("Vostochny" in a.object.value for a in store.quads_for_pattern(q.object, ANCHOR, None))  # type: ignore[arg-type]
    ]
    assert ox.NamedNode(ID + "place/vostochny-cosmodrome") in vostochny


def test_shared_facts_in_the_actors_graph_mentions_in_the_article_graphs(store: ox.Store) -> None:
    """Types, labels and Wikidata links of places are shared facts; evidence never is."""
    for q in store.quads_for_pattern(None, TYPE, PLACE):
        assert q.graph_name == ACTORS_GRAPH, q
    assert not list(store.quads_for_pattern(None, EVIDENCE, None, ACTORS_GRAPH))
    assert not list(store.quads_for_pattern(None, DERIVED, None, ACTORS_GRAPH))
    for q in store.quads_for_pattern(None, SAME, None):
        assert q.graph_name == ACTORS_GRAPH, q


def test_adding_an_article_renames_no_node(seeds: list[Extraction]) -> None:
    """Each seed mapped alone names its actors and places as the seeds mapped together do."""
    together = GraphBuilder()
    nodes_together: set[str] = set()
    for found in seeds:
        nodes_together |= {q.subject.value for q in together.article(found).shared}  # type: ignore[union-attr]
    for found in seeds:
        alone = {q.subject.value for q in GraphBuilder().article(found).shared}  # type: ignore[union-attr]
        assert alone <= nodes_together


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("name", "kind", "iri"),
    [
        ("North Korea", "actor", "actor/north-korea"),  # a country of the lexicon
        ("White House", "actor", "actor/white-house"),  # an organisation of the lexicon
        ("Vladivostok", "place", "place/vladivostok"),  # a gazetteer city
        ("Moscow", "place", "place/moscow"),  # a capital: a place (as an actor, "Moscow said" is Russia)
    ],
)
def test_a_known_entity_has_one_iri_in_every_role(name: str, kind: str, iri: str) -> None:
    mapper = Mapper()
    assert reference_kind(name) == kind
    assert mapper.actor_node(name) == mapper.place_node(name) == ox.NamedNode(ID + iri)


def test_an_unknown_name_is_named_by_its_role() -> None:
    """A name no data file knows gets an actor node as an actor and a place node as a place: which one it
    is cannot be told without the corpus, and a rule that read the corpus could rename a node later."""
    mapper = Mapper()
    assert reference_kind("Grand Riverside Hall") is None
    assert mapper.actor_node("Grand Riverside Hall") == ox.NamedNode(ID + "actor/grand-riverside-hall")
    assert mapper.place_node("Grand Riverside Hall") == ox.NamedNode(ID + "place/grand-riverside-hall")


def test_places_carry_their_mentions() -> None:
    text = "Kim flew to Russia. Russia said talks went well in Vladivostok and later at the White House in Washington."
    found = {p.name: p for p in find_places(text)}
    russia = found["Russia"]
    assert [m.text for m in russia.mentions] == ["Russia"]  # "Russia said" is the actor, not the place
    assert text[russia.mentions[0].begin : russia.mentions[0].end] == "Russia"
    assert [m.text for m in found["Vladivostok"].mentions] == ["Vladivostok"]
    white_house = found["White House"]
    assert white_house.wikidata == reference_wikidata("White House")
    assert white_house.country == "United States"
    assert [m.text for m in white_house.mentions] == ["White House"]


def reference_wikidata(name: str) -> str | None:
    """The actor lexicon's Wikidata id of ``name``."""
    from kg.extract.lexicon import lexicon

    return lexicon().entries[name].wikidata


def test_a_place_that_is_an_actor_merges_in_one_article() -> None:
    """Mapped from one extraction: one node, both types, the actor's and the place's evidence spans."""
    text = "Russia hosted Kim in Russia."
    article = Article(id="merge", text=text, source="merge.txt")
    found = Extraction(
        article=article,
        actors=(Actor("Russia", "Country", wikidata="Q159", mentions=(Span(0, 6, "Russia"),)),),
        places=(Place("Russia", wikidata="Q159", mentions=(Span(21, 27, "Russia"),)),),
    )
    aq = Mapper().article_quads(found)
    node = ox.NamedNode(ID + "actor/russia")
    assert {q.subject for q in aq.shared} == {node}
    assert {q.object.value for q in aq.shared if q.predicate == TYPE} >= {ACTOR.value, PLACE.value}
    wikidata = ox.Quad(node, SAME, ox.NamedNode(WD + "Q159"), ACTORS_GRAPH)
    assert {q for q in aq.shared if q.predicate == SAME} == {wikidata}
    evidence = sorted(q.object.value for q in aq.quads if q.subject == node and q.predicate == EVIDENCE)
    assert evidence == [ID + "article/merge#char=0,6", ID + "article/merge#char=21,27"]


# ---------------------------------------------------------------- retraction


def test_retracting_an_article_takes_its_place_mentions(tmp_path: Path, seeds: list[Extraction]) -> None:
    """After a retract and a rebuild of the rest, the store holds what a build of the rest holds."""
    keep = tmp_path / "keep"
    keep.mkdir()
    files = sorted(SEEDS.glob("*.txt"))
    for f in files[1:]:
        shutil.copy(f, keep / f.name)
    db, fresh = tmp_path / "db", tmp_path / "fresh"
    build([str(SEEDS)], None, store=db, validate=False)
    retract_article(files[0].stem, store=db)
    build([str(keep)], None, store=db, validate=False)  # unchanged articles: only the cleanup runs
    build([str(keep)], None, store=fresh, validate=False)

    def quads(path: Path) -> set[ox.Quad]:
        s = ox.Store.read_only(str(path))
        try:
            return {q for q in s if q.graph_name != PROVENANCE_GRAPH}
        finally:
            del s

    got, want = quads(db), quads(fresh)
    assert got == want
    gone = f"article/{files[0].stem.replace('_', '-')}#char="
    assert not [q for q in got if gone in q.object.value]
    assert any(
        q.predicate == EVIDENCE
        and PLACE.value in {t.object.value for t in got if t.subject == q.subject and t.predicate == TYPE}
        for q in got
    )
