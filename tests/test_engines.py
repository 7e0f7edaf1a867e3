"""Every saved query gives the same rows (as sets) in rdflib (a Dataset and a plain Turtle file), pyoxigraph,
an Oxigraph server and Virtuoso: the queries are plain SPARQL 1.1 over the union of graphs and the corpus view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from servers import Server, Unavailable, start_oxigraph, start_virtuoso, synthetic_graph

from kg.queries import bind_params, from_sparql_json, inject_values, list_queries, open_data
from kg.store import load_graph
from kg.view import rebuild

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "seeds.trig"
MINI = HERE / "data" / "mini.trig"
NAMES = sorted(q.name for q in list_queries())
# Parameters that make each query answer something on the mini fixture (the defaults name the seeds' actors).
MINI_PARAMS: dict[str, dict[str, str]] = {
    "timeline": {"a": "Freedonia", "b": "Sylvania"},
    "exchanges": {"a": "Freedonia", "b": "Sylvania"},
    "reactions": {"a": "Freedonia", "b": "Sylvania"},
    "sources": {"node": "Firefly"},
}
SEED_PARAMS: dict[str, dict[str, str]] = {
    "sources": {"text": "summit"},
    "actors": {"text": "korea"},
    "disputed": {"state": "denied"},
    "corroborated": {"min": "1"},
    "meetings": {"actor": "Russia"},
}
Cell = tuple[str, str] | None
Rows = set[tuple[Cell, ...]]


def _cell(term: object) -> Cell:
    """A term as (kind, value): the same for rdflib, pyoxigraph and SPARQL JSON (datatype aside: stores differ)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | rdflib.URIRef):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.Literal):
        return ("lit", term.value)
    if isinstance(term, rdflib.Literal):
        return ("lit", str(term))
    return ("other", str(term))


def with_view(source: Path, folder: Path) -> tuple[Path, Path]:
    """``source`` with its corpus view as TriG, and the same flattened to a Turtle file of triples."""
    quads = [q for q in ox.parse(path=str(source)) if not str(q.graph_name).endswith("graph/corpus>")]
    quads += rebuild(quads)
    trig, ttl = folder / f"{source.stem}.trig", folder / f"{source.stem}.ttl"
    ox.serialize(quads, output=str(trig), format=ox.RdfFormat.TRIG)
    ox.serialize({q.triple for q in quads}, output=str(ttl), format=ox.RdfFormat.TURTLE)
    return trig, ttl


def texts(data: Path, params: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each saved query as sent, its parameters bound as kg binds them (names resolved in ``data``)."""
    backend = open_data(data)
    out = {}
    for q in list_queries():
        out[q.name] = inject_values(q.text, bind_params(q, params.get(q.name, {}), backend))
    return out


def run_pyoxigraph(data: Path) -> Callable[[str], Rows]:
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.TRIG)

    def run(text: str) -> Rows:
        answer = store.query(text, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QuerySolutions)
        names = list(answer.variables)
        return {tuple(_cell(s[v]) for v in names) for s in answer}
    return run


def _rdflib_rows(result: rdflib.query.Result) -> Rows:
    return {tuple(_cell(t) for t in row) for row in result}  # type: ignore[union-attr]


def run_rdflib_dataset(data: Path) -> Callable[[str], Rows]:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data, format="trig")
    return lambda text: _rdflib_rows(ds.query(text))


def run_rdflib_file(data: Path) -> Callable[[str], Rows]:
    g = rdflib.Graph()
    g.parse(data, format="turtle")
    return lambda text: _rdflib_rows(g.query(text))


def run_endpoint(url: str, auth: object = None) -> Callable[[str], Rows]:
    def run(text: str) -> Rows:
        r = requests.post(url, data={"query": text}, headers={"Accept": "application/sparql-results+json"},
                          timeout=120, auth=auth)  # type: ignore[arg-type]
        assert r.status_code == 200, r.text[:500]
        result = from_sparql_json(r.json())
        return {tuple(_cell(t) for t in row) for row in result.rows}
    return run


def compare(reference: Callable[[str], Rows], other: Callable[[str], Rows], queries: dict[str, str]) -> None:
    answered = 0
    for name, text in sorted(queries.items()):
        want = reference(text)
        answered += bool(want)
        assert other(text) == want, name
    assert answered == len(queries), "every query answers something on this data"


@pytest.fixture(scope="module", params=["seeds", "mini"])
def corpus(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    source, params = (GOLDEN, SEED_PARAMS) if request.param == "seeds" else (MINI, MINI_PARAMS)
    trig, ttl = with_view(source, tmp_path_factory.mktemp(request.param))
    return trig, ttl, texts(trig, params)


def test_rdflib_dataset_gives_pyoxigraphs_rows(corpus: tuple[Path, Path, dict[str, str]]) -> None:
    trig, _, queries = corpus
    compare(run_pyoxigraph(trig), run_rdflib_dataset(trig), queries)


def test_rdflib_on_a_plain_turtle_file_gives_the_same_rows(corpus: tuple[Path, Path, dict[str, str]]) -> None:
    trig, ttl, queries = corpus
    compare(run_pyoxigraph(trig), run_rdflib_file(ttl), queries)


def test_kg_query_gives_the_same_rows(corpus: tuple[Path, Path, dict[str, str]]) -> None:
    trig, ttl, queries = corpus
    from kg.queries import run_query

    reference = run_pyoxigraph(trig)
    for name, text in queries.items():
        params = (SEED_PARAMS if "seeds" in trig.name else MINI_PARAMS).get(name, {})
        for data in (trig, ttl):
            got = {tuple(_cell(t) for t in row) for row in run_query(name, data=data, params=params).rows}
            assert got == reference(text), (name, data.name)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    running: dict[str, Server] = {}
    try:
        for name, start in (("oxigraph", start_oxigraph), ("virtuoso", start_virtuoso)):
            try:
                running[name] = start(tmp_path_factory.mktemp(name))
            except Unavailable as err:
                print(f"{name}: {err}")
        yield running
    finally:
        for s in running.values():
            s.stop()


def _load(server: Server, trig: Path) -> Callable[[str], Rows]:
    """Empty the server, load ``trig`` into it over the Graph Store Protocol, and query it."""
    if server.name == "oxigraph":
        requests.post(server.update, data={"update": "DROP ALL"}, timeout=60).raise_for_status()
        up = requests.post(server.gsp, data=trig.read_bytes(), headers={"Content-Type": "application/trig"},
                           timeout=120)
        assert up.status_code in (200, 201, 204), up.text
        return run_endpoint(server.query + "?union-default-graph")
    auth = requests.auth.HTTPDigestAuth(server.user or "", server.password or "")
    # Every graph of newskg's, not only the file's: a load now derives the view from all the article graphs there.
    held = requests.post(server.query, data={"query": 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } '
                                                      'FILTER(STRSTARTS(STR(?g), "https://w3id.org/newskg/") '
                                                      '|| STRSTARTS(STR(?g), "urn:newskg:")) }'},
                         headers={"Accept": "application/sparql-results+json"}, timeout=120)
    held.raise_for_status()
    graphs = {b["g"]["value"] for b in held.json()["results"]["bindings"]}
    graphs |= {q.graph_name.value for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)}  # type: ignore[union-attr]
    for g in graphs:
        requests.post(server.update, data={"query": f"CLEAR SILENT GRAPH <{g}>"}, auth=auth, timeout=60)
    import os

    os.environ["KG_TEST_VIRTUOSO_PASSWORD"] = server.password or ""
    load_graph(trig, gsp=server.gsp, user=server.user, password_env="KG_TEST_VIRTUOSO_PASSWORD", auth="digest",
               update=server.update)
    return run_endpoint(server.query)


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_servers_give_the_same_rows(engine: str, servers: dict[str, Server],
                                    corpus: tuple[Path, Path, dict[str, str]]) -> None:
    if engine not in servers:
        pytest.skip(f"{engine} server not available here")
    trig, _, queries = corpus
    compare(run_pyoxigraph(trig), _load(servers[engine], trig), queries)


@pytest.mark.slow
@pytest.mark.server
def test_a_thousand_articles_same_rows_everywhere(tmp_path: Path, servers: dict[str, Server]) -> None:
    big = tmp_path / "big.nq"
    synthetic_graph(GOLDEN, 334, big)  # 1,002 article graphs
    trig, _ = with_view(big, tmp_path)
    reference = run_pyoxigraph(trig)
    engines = [run_rdflib_dataset(trig)] + [_load(engine, trig) for engine in servers.values()]
    for params in ({}, SEED_PARAMS):
        queries = texts(trig, params)
        for other in engines:
            compare(reference, other, queries)
