"""The streamed ``kg validate`` reports what the whole-file pySHACL check reports.

A small corpus of three hand-made articles (the fixture article of
``test_shapes`` under three identifiers, so events, allegations and actors are
shared across article graphs) gets one defect at a time: a missing required
property, a wrong datatype, a dangling span reference, and problems only the
union of several article graphs shows. Each file is written with its quads
shuffled (not grouped by graph) and checked in small batches, so a node's
statements are spread over the file and over batches; the streamed results,
as a set, must equal the whole-file pySHACL results, and the text report must
read the same below its first line (which names the engine).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, serialize
from test_shapes import fixture_extraction

from kg.build import GraphBuilder, build_quads
from kg.cli import cli
from kg.validate import deep_predicates, load_shapes, validate_file, validate_stream

ROOT = Path(__file__).resolve().parents[1]
NKG = "https://w3id.org/newskg#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_ID = "http://purl.org/dc/terms/identifier"
IDS = ("zz-one", "zz-two", "zz-three")

try:
    import pyrudof  # noqa: F401

    ENGINES = ["fast", "pyshacl", "pyrudof"]
except ImportError:  # optional
    ENGINES = ["fast", "pyshacl"]


def corpus() -> list[Quad]:
    """Three articles built as the build maps them, with the shared graph, vocabulary and provenance."""
    builder = GraphBuilder()
    out: list[Quad] = []
    base = fixture_extraction()
    for i in IDS:
        found = replace(base, article=replace(base.article, id=i, source=f"{i}.txt"))
        aq = builder.article(found)
        out += aq.shared + aq.quads
    return out + builder.closing_quads()


def _graph(i: str) -> NamedNode:
    return NamedNode(f"https://w3id.org/newskg/id/graph/article/{i}")


def _article(i: str) -> NamedNode:
    return NamedNode(f"https://w3id.org/newskg/id/article/{i}")


def _subjects(quads: list[Quad], cls: str, graph: str = IDS[0]) -> list[NamedNode]:
    return sorted(
        {
            q.subject
            for q in quads
            if q.predicate.value == RDF_TYPE and q.object.value == cls and q.graph_name == _graph(graph)
        },  # type: ignore[misc]
        key=str,
    )


def _event(quads: list[Quad], modality: str = "Occurred") -> NamedNode:
    return next(
        q.subject  # type: ignore[misc]
        for q in quads
        if q.predicate.value == NKG + "modality" and q.object.value == NKG + modality and q.graph_name == _graph(IDS[0])
    )


def _without(quads: list[Quad], s: NamedNode, p: str, graph: str | None = None) -> list[Quad]:
    out = [
        q
        for q in quads
        if not (q.subject == s and q.predicate.value == p and (graph is None or q.graph_name == _graph(graph)))
    ]
    assert len(out) < len(quads), f"nothing to drop for {s} {p}"
    return out


def _with(quads: list[Quad], s: NamedNode, p: str, o: NamedNode | Literal, graph: str = IDS[0]) -> list[Quad]:
    return [*quads, Quad(s, NamedNode(p), o, _graph(graph))]


def _retyped(quads: list[Quad], p: str, datatype: str) -> list[Quad]:
    """The first value of ``p`` in the first article given another datatype."""
    q = next(q for q in quads if q.predicate.value == p and q.graph_name == _graph(IDS[0]))
    assert isinstance(q.object, Literal)
    bad = Quad(q.subject, q.predicate, Literal(q.object.value, datatype=NamedNode(XSD + datatype)), q.graph_name)
    return [bad if x == q else x for x in quads]


def _dangling_span(quads: list[Quad]) -> list[Quad]:
    """An event pointing to a span that no graph describes."""
    return _with(quads, _event(quads), NKG + "evidence", NamedNode(_article(IDS[0]).value + "#char=999,1005"))


def _foreign_evidence(quads: list[Quad]) -> list[Quad]:
    """An event pointing to a well-formed span of a fourth article it is not derived from."""
    g, a = _graph("zz-other"), _article("zz-other")
    span = NamedNode(a.value + "#char=0,5")
    t = NamedNode(RDF_TYPE)
    n = NamedNode(XSD + "nonNegativeInteger")
    other = [
        Quad(a, t, NamedNode(SCHEMA + "NewsArticle"), g),
        Quad(a, NamedNode(DCT_ID), Literal("zz-other"), g),
        Quad(span, t, NamedNode(NIF + "String"), g),
        Quad(span, NamedNode(NIF + "beginIndex"), Literal("0", datatype=n), g),
        Quad(span, NamedNode(NIF + "endIndex"), Literal("5", datatype=n), g),
        Quad(span, NamedNode(NIF + "anchorOf"), Literal("Other"), g),
        Quad(span, NamedNode(NIF + "referenceContext"), a, g),
    ]
    return _with(quads + other, _event(quads), NKG + "evidence", span)


def _second_kind(quads: list[Quad]) -> list[Quad]:
    """An actor one article calls a person and another an organisation (both in the shared graph)."""
    actor = next(q.subject for q in quads if q.predicate.value == LABEL and q.object.value == "Vladimir Putin")
    shared = next(q.graph_name for q in quads if q.subject == actor and q.predicate.value == LABEL)
    return [*quads, Quad(actor, NamedNode(RDF_TYPE), NamedNode(SCHEMA + "Organization"), shared)]  # type: ignore[arg-type]


DEFECTS: dict[str, Callable[[list[Quad]], list[Quad]]] = {
    "none": lambda qs: qs,
    # missing required properties: in every graph (a violation), or in one article's graph only (none:
    # the other articles still give it, and the union is what is checked)
    "article without identifier": lambda qs: _without(qs, _article(IDS[0]), DCT_ID),
    "event without type everywhere": lambda qs: _without(
        qs, _event(qs), "http://semanticweb.cs.vu.nl/2009/11/sem/eventType"
    ),
    "event without type in one article": lambda qs: _without(
        qs, _event(qs), "http://semanticweb.cs.vu.nl/2009/11/sem/eventType", IDS[1]
    ),
    "span without text": lambda qs: _without(qs, _subjects(qs, NIF + "String")[0], NIF + "anchorOf"),
    # wrong datatypes
    "offset as a string": lambda qs: _retyped(qs, NIF + "beginIndex", "string"),
    "date as a string": lambda qs: _retyped(qs, SCHEMA + "datePublished", "string"),
    "offset not canonical": lambda qs: [
        Quad(q.subject, q.predicate, Literal("0" + q.object.value, datatype=q.object.datatype), q.graph_name)
        if q.predicate.value == NIF + "endIndex" and q.graph_name == _graph(IDS[2]) and isinstance(q.object, Literal)
        else q
        for q in qs
    ],
    # references to nodes that are not there, or are elsewhere
    "dangling span reference": _dangling_span,
    "evidence from another article": _foreign_evidence,
    "proposition is not an event": lambda qs: _with(
        qs, _subjects(qs, NKG + "Allegation")[0], NKG + "proposition", NamedNode("https://example.org/nothing")
    ),
    # what only several articles together show
    "event labelled twice across articles": lambda qs: _with(qs, _event(qs), LABEL, Literal("Another label"), IDS[2]),
    "allegation status disputed across articles": lambda qs: _with(
        qs, _subjects(qs, NKG + "Allegation")[0], NKG + "status", NamedNode(NKG + "Unanswered"), IDS[1]
    ),
    "alleged event reported as fact elsewhere": lambda qs: _with(
        qs, _event(qs, "Alleged"), NKG + "modality", NamedNode(NKG + "Occurred"), IDS[2]
    ),
    "actor of two kinds": _second_kind,
    "untyped group below sem:Actor": lambda qs: [
        *qs,
        Quad(
            NamedNode("https://w3id.org/newskg/id/actor/nameless"),
            NamedNode(RDF_TYPE),
            NamedNode(NKG + "Group"),
            _graph(IDS[1]),
        ),
    ],
}


CONFORMING = {"none", "event without type in one article", "offset not canonical"}  # nothing to report


def _write(quads: list[Quad], path: Path, seed: int = 7) -> Path:
    shuffled = list(quads)
    random.Random(seed).shuffle(shuffled)  # not grouped by graph: the stream must not depend on order
    fmt = {".nq": RdfFormat.N_QUADS, ".trig": RdfFormat.TRIG, ".ttl": RdfFormat.TURTLE}[path.suffix]
    if fmt == RdfFormat.TURTLE:
        shuffled = [Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in shuffled]
    path.write_bytes(serialize(shuffled, format=fmt))
    return path


def _body(text: str) -> str:
    return text.split("\n", 1)[1]


@pytest.fixture(scope="module")
def base() -> list[Quad]:
    return corpus()


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_stream_agrees_with_whole_file_pyshacl(defect: str, base: list[Quad], tmp_path: Path) -> None:
    path = _write(DEFECTS[defect](base), tmp_path / "graph.nq")
    reference = validate_file(path, engine="pyshacl")
    if defect not in CONFORMING:
        assert reference.results, f"the defect {defect!r} should give a result"
    for batch in (1, 40, 100_000):  # one subject a batch, a few, all
        streamed = validate_stream(path, engine="fast", batch=batch)
        assert set(streamed.results) == set(reference.results), (defect, batch)
        assert _body(streamed.to_text()) == _body(reference.to_text())
        assert streamed.conforms == reference.conforms


def test_defects_cover_the_kinds(base: list[Quad], tmp_path: Path) -> None:
    """The defect list holds violations, warnings-only cases and one that conforms in the union only."""
    seen = {}
    for name in ("event without type in one article", "event labelled twice across articles", "offset as a string"):
        path = _write(DEFECTS[name](base), tmp_path / f"{len(seen)}.nq")
        seen[name] = validate_stream(path)
    assert not seen["event without type in one article"].results  # another article still types it
    assert (
        seen["event labelled twice across articles"].conforms and seen["event labelled twice across articles"].warnings
    )
    assert not seen["offset as a string"].conforms


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "defect", ["none", "offset as a string", "dangling span reference", "alleged event reported as fact elsewhere"]
)
def test_each_engine_streams_the_same_results(engine: str, defect: str, base: list[Quad], tmp_path: Path) -> None:
    path = _write(DEFECTS[defect](base), tmp_path / "graph.nq")
    reference = validate_file(path, engine="pyshacl")
    streamed = validate_stream(path, engine=engine, batch=60)  # type: ignore[arg-type]
    key = {(r.severity, r.shape, r.focus, r.path, r.component) for r in reference.results}
    assert {(r.severity, r.shape, r.focus, r.path, r.component) for r in streamed.results} == key
    if engine != "pyrudof":  # pyrudof words some results its own way (see docs/validation.md)
        assert set(streamed.results) == set(reference.results)


@pytest.mark.parametrize("suffix", [".trig", ".ttl"])
def test_other_formats(suffix: str, base: list[Quad], tmp_path: Path) -> None:
    path = _write(DEFECTS["dangling span reference"](base), tmp_path / f"graph{suffix}")
    reference = validate_file(path, engine="pyshacl")
    streamed = validate_stream(path, batch=50)
    assert set(streamed.results) == set(reference.results)
    assert _body(streamed.to_text()) == _body(reference.to_text())


def test_seeds_agree(tmp_path: Path) -> None:
    """The seeds' graph as `kg build seeds` maps it (unvalidated, so nothing is quarantined away)."""
    path = tmp_path / "seeds.nq"
    path.write_bytes(serialize(build_quads([str(ROOT / "seeds")]), format=RdfFormat.N_QUADS))
    reference = validate_file(path, engine="pyshacl")
    streamed = validate_stream(path, batch=2_000)
    assert set(streamed.results) == set(reference.results)
    assert _body(streamed.to_text()) == _body(reference.to_text())
    for fmt in ("json", "turtle"):
        assert streamed.render(fmt).replace('"fast"', '"pyshacl"') == reference.render(fmt)


def test_cli_streams_with_the_same_exit_codes(base: list[Quad], tmp_path: Path) -> None:
    good = _write(base, tmp_path / "good.nq")
    bad = _write(DEFECTS["offset as a string"](base), tmp_path / "bad.nq")
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("SHACL validation (fast): conforms")
    failed = runner.invoke(cli, ["validate", str(bad), "--engine", "pyshacl"])
    assert failed.exit_code == 1
    whole = runner.invoke(cli, ["validate", str(bad), "--whole", "--engine", "pyshacl"])
    assert whole.output == failed.output
    broken = tmp_path / "broken.nq"
    broken.write_text("<http://a> <http://b> .\n")
    unusable = runner.invoke(cli, ["validate", str(broken)])
    assert unusable.exit_code == 2 and "broken.nq:1" in unusable.output
    assert runner.invoke(cli, ["validate", str(tmp_path / "missing.nq")]).exit_code == 2
    assert runner.invoke(cli, ["validate", str(good), "--whole", "--engine", "pyrudof"]).exit_code == 2


def test_deep_predicates_name_what_the_shapes_read_through() -> None:
    deep = deep_predicates(load_shapes())
    assert deep is not None
    for p in (NKG + "evidence", NKG + "proposition", NKG + "responds", "http://www.w3.org/ns/prov#wasDerivedFrom"):
        assert p in deep
    assert LABEL not in deep


@pytest.mark.parametrize(
    ("query", "through"),
    [
        ("SELECT ?this WHERE { ?this <p:a> ?x . ?x <p:b> ?y }", {"p:a"}),
        ("SELECT ?this WHERE { ?this <p:a>|<p:q> ?x . FILTER NOT EXISTS { ?x <p:b> ?y } }", {"p:a", "p:q"}),
        ("SELECT ?this WHERE { ?this <p:a> ?x . FILTER NOT EXISTS { ?this <p:b> ?x } }", set()),
        ("SELECT ?this WHERE { ?this <p:a> ?x . ?x <p:b> ?y . ?y <p:c> ?z }", None),  # two hops: follow everything
        ("SELECT ?this WHERE { ?this <p:a>/<p:q> ?x . ?x <p:b> ?y }", None),
    ],
)
def test_through_predicates(query: str, through: set[str] | None) -> None:
    from kg.validate import _through_predicates

    got = _through_predicates(query)
    assert (None if got is None else set(got)) == through


def test_checks_read_each_triple_once_however_many_graphs_state_it() -> None:
    """A node that a thousand article graphs state is checked on its triples, not on a thousand copies of each:
    the checks' store holds the union of the graphs, so a check joining two of the node's patterns goes
    through one row, not a million (the 10,000-article corpus has actors stated in 10,000 graphs)."""
    from kg.validate import _load_store

    node, graphs = NamedNode("https://example.org/id/actor/x"), 1000
    quads = [Quad(node, NamedNode(p), o, NamedNode(f"https://example.org/id/graph/article/{i}"))
             for i in range(graphs)
             for p, o in ((RDF_TYPE, NamedNode("http://semanticweb.cs.vu.nl/2009/11/sem/Actor")),
                          (LABEL, Literal("X")))]
    loaded = _load_store(quads)
    assert len(loaded.union) == 2
    rows = list(loaded.union.query(f"SELECT * WHERE {{ ?s a ?t ; <{LABEL}> ?l }}", use_default_graph_as_union=True))
    assert len(rows) == 1
    assert len(loaded.store) == 2 * graphs  # the report's store keeps each graph (it names the articles)
