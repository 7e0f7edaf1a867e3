"""Loading into stores: the embedded store, and real Oxigraph and Virtuoso servers.

Tests marked ``server`` start a real server on a free loopback port; a server
that cannot be started here is skipped with the reason, never failed. Fakes
(tests.servers.FakeServer) stand in only for faults a real server cannot be
made to show on cue: dying after N requests, 503s, hanging.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner
from servers import VIRTUOSO_PASSWORD, FakeServer, Server, Unavailable, free_port, start_oxigraph, start_virtuoso

from kg.cli import cli
from kg.errors import InputError, StoreError, UsageError
from kg.store import (
    TEMP_PREFIX,
    EmbeddedStore,
    GraphStoreClient,
    PartialLoadError,
    complete_graphs,
    credentials,
    load_graph,
    redact,
    retract_article,
    server_message,
)
from kg.view import corpus_graph, rebuild, whole_view
from kg.vocab import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[1]
GRAPH_PREFIX = DEFAULT_BASE + "graph/"
ARTICLE = "000_13009f88a8800e4a"
ARTICLE_GRAPH = GRAPH_PREFIX + "article/000-13009f88a8800e4a"
FIRST_SENT = ARTICLE_GRAPH  # a Graph Store load sends each graph once whole: the first article's ends first
SECRET = "s3cret-do-not-print"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def seeds_nq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds' graph as N-Quads, built once."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seeds") / "seeds.nq"
    build([str(ROOT / "seeds")], str(out), validate=False)  # validation is not what is tested here
    return out


XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph 0.5 (embedded and server) keeps the integer subtypes as plain xsd:integer:
# "5"^^xsd:nonNegativeInteger comes back as "5"^^xsd:integer. Virtuoso 7.2.5 keeps them (older 7.x did
# not: openlink/virtuoso-opensource#193).
INTEGER_SUBTYPES = {XSD + t for t in [
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
    "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"]}


def as_stored(q: ox.Quad) -> ox.Quad:
    """The quad as a store gives it back (integer subtypes become xsd:integer)."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value in INTEGER_SUBTYPES:
        return ox.Quad(q.subject, q.predicate, ox.Literal(o.value, datatype=ox.NamedNode(XSD + "integer")),
                       q.graph_name)
    return q


def file_quads(path: Path, server: Server | None = None) -> set[ox.Quad]:
    """The file's quads, as the store (embedded Oxigraph, or ``server``) keeps them."""
    if server is not None and server.name == "virtuoso":
        return set(ox.parse(path=str(path)))
    return {as_stored(q) for q in ox.parse(path=str(path))}


def file_graphs(path: Path) -> list[str]:
    """Graph IRIs in the order they first appear in the file."""
    return list(dict.fromkeys(q.graph_name.value for q in ox.parse(path=str(path))))  # type: ignore[union-attr]


def load_order(path: Path) -> list[str]:
    """Graph IRIs in the order a Graph Store load sends them: as each graph's last triple is read."""
    last = {q.graph_name.value: i for i, q in enumerate(ox.parse(path=str(path)))}  # type: ignore[union-attr]
    return sorted(last, key=last.__getitem__)


def with_graphs(quads: set[ox.Quad], prefix: str = GRAPH_PREFIX) -> set[ox.Quad]:
    return {q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(prefix)}


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Server]:
    """A fresh Oxigraph server for one test."""
    try:
        server = start_oxigraph(tmp_path / "oxigraph")
    except Unavailable as err:
        pytest.skip(f"Oxigraph server unavailable: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One Virtuoso for the module (it takes seconds to start)."""
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except Unavailable as err:
        pytest.skip(f"Virtuoso unavailable: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def virtuoso(virtuoso_server: Server) -> Server:
    """The module's Virtuoso, with newskg's graphs (and leftover temporary graphs) removed."""
    graphs = [b["g"]["value"] for b in select(virtuoso_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
    auth = requests.auth.HTTPDigestAuth("dba", VIRTUOSO_PASSWORD)
    for g in graphs:
        if g.startswith((GRAPH_PREFIX, TEMP_PREFIX, "http://example.org/")):
            requests.delete(virtuoso_server.gsp, params={"graph": g}, auth=auth, timeout=30)
    return virtuoso_server


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each real server in turn."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def select(server: Server, query: str) -> list[dict[str, dict[str, str]]]:
    """Rows of a SELECT on the server's SPARQL endpoint (form POST ``query=``, which both servers take)."""
    r = requests.post(server.query, data={"query": query}, headers={"Accept": "application/sparql-results+json"},
                      timeout=60)
    r.raise_for_status()
    return r.json()["results"]["bindings"]  # type: ignore[no-any-return]


def count_all(server: Server) -> int:
    return int(select(server, COUNT_ALL)[0]["n"]["value"])


def _term(b: dict[str, str]) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


def server_quads(server: Server, prefix: str = GRAPH_PREFIX) -> set[ox.Quad]:
    rows = select(server, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                          f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }}')
    return {ox.Quad(_term(r["s"]), _term(r["p"]), _term(r["o"]), _term(r["g"])) for r in rows}  # type: ignore[arg-type]


def remote(server: Server, **extra: object) -> dict[str, object]:
    """Keyword options to load into / retract from ``server``."""
    opts: dict[str, object] = {"gsp": server.gsp, "retries": 1, "backoff": 0.05, "timeout": 60.0}
    if server.user:
        os.environ["KG_TEST_PASSWORD"] = server.password or ""
        opts.update(user=server.user, password_env="KG_TEST_PASSWORD", auth=server.auth)
    opts.update(extra)
    return opts


def cli_remote(server: Server) -> list[str]:
    args = ["--gsp", server.gsp, "--retries", "0"]
    if server.user:
        args += ["--user", server.user, "--password-env", "KG_TEST_PASSWORD", "--auth", server.auth]
    return args


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``kg ARGS`` in-process; the exit code and stderr."""
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


# --------------------------------------------------------------------------- embedded store


def _no_view(quads: set[ox.Quad]) -> set[ox.Quad]:
    return {q for q in quads if q.graph_name != corpus_graph()}


def _articles_and_shared(store: EmbeddedStore) -> set[ox.Quad]:
    return _no_view(set(store.store))


def _view_is_derived(store: EmbeddedStore) -> bool:
    """The store's corpus view is the one its article graphs give (kg/view.py)."""
    def key(qs: Iterable[ox.Quad]) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object}" for q in qs}
    return key(whole_view(store.store)) == key(rebuild(_articles_and_shared(store)))


def test_embedded_load_equals_file_and_reload_is_idempotent(seeds_nq: Path, tmp_path: Path) -> None:
    expected = file_quads(seeds_nq)
    report = load_graph(seeds_nq, store=tmp_path / "db")
    graphs = file_graphs(seeds_nq)
    assert report.triples == len(expected) and report.graphs == graphs
    assert str(report).startswith(f"loaded {len(graphs)} graphs, {len(expected)} triples into ")
    report = load_graph(seeds_nq, store=tmp_path / "db")
    with EmbeddedStore(tmp_path / "db") as store:
        assert set(store.store) == expected
        assert store.count() == len(expected)


def test_embedded_load_streams_in_batches(seeds_nq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 50 triples split graphs (the actor facts stand among the articles'): same store as one batch."""
    import kg.store

    monkeypatch.setattr(kg.store, "BATCH_TRIPLES", 50)
    expected = file_quads(seeds_nq)
    for _ in range(2):  # a reload in batches replaces, never duplicates
        report = load_graph(seeds_nq, store=tmp_path / "db")
        assert report.graphs == file_graphs(seeds_nq) and report.triples == len(expected)
        with EmbeddedStore(tmp_path / "db") as store:
            assert set(store.store) == expected and store.count() == len(expected)


def test_a_file_that_breaks_part_way_stores_nothing(
    seeds_nq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass (where each graph ends, for the load journal) reads the whole file before storing any of it."""
    import kg.store

    monkeypatch.setattr(kg.store, "BATCH_TRIPLES", 50)
    lines = seeds_nq.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.nq"
    bad.write_text("".join(lines[:120]) + "<http://x> <http://y\n" + "".join(lines[120:]), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 121"):
        load_graph(bad, store=tmp_path / "db")
    with EmbeddedStore(tmp_path / "db") as store:
        assert store.count() == 0
        assert store.unfinished == []


def test_embedded_reload_replaces_graphs_not_merges(seeds_nq: Path, tmp_path: Path) -> None:
    load_graph(seeds_nq, store=tmp_path / "db")
    quads = file_quads(seeds_nq)
    article = {q for q in quads if q.graph_name == ox.NamedNode(ARTICLE_GRAPH)}
    smaller = sorted(article, key=str)[:10]
    small = tmp_path / "small.nq"
    small.write_bytes(ox.serialize(smaller, format=ox.RdfFormat.N_QUADS) or b"")
    load_graph(small, store=tmp_path / "db")
    expected = _no_view((quads - article) | set(smaller))
    # the shared facts of the actors and places only the article's old version named go with it
    named = {q.subject.value for q in expected if q.graph_name.value.startswith(GRAPH_PREFIX + "article/")}  # type: ignore[union-attr]
    was_named = {q.subject.value for q in article}
    orphans = {q for q in quads if q.graph_name == ox.NamedNode(GRAPH_PREFIX + "actors")
               and q.subject.value in was_named and q.subject.value not in named}
    assert orphans
    with EmbeddedStore(tmp_path / "db") as store:
        assert _articles_and_shared(store) == expected - orphans
        assert _view_is_derived(store)


def test_embedded_retract_removes_one_article_graph_only(seeds_nq: Path, tmp_path: Path) -> None:
    load_graph(seeds_nq, store=tmp_path / "db")
    report = retract_article(ARTICLE, store=tmp_path / "db")
    quads = file_quads(seeds_nq)
    assert report.removed and report.triples == sum(q.graph_name == ox.NamedNode(ARTICLE_GRAPH) for q in quads)
    with EmbeddedStore(tmp_path / "db") as store:
        kept = {q for q in quads if q.graph_name != ox.NamedNode(ARTICLE_GRAPH)}
        assert _articles_and_shared(store) == _no_view(kept)
        assert _view_is_derived(store)  # the view no longer counts the retracted article
        assert GRAPH_PREFIX + "actors" in store.named_graphs()
    again = retract_article(ARTICLE, store=tmp_path / "db")
    assert not again.removed and "nothing to remove" in str(again)


def test_every_format_loads_the_same(seeds_nq: Path, tmp_path: Path) -> None:
    quads = [as_stored(q) for q in ox.parse(path=str(seeds_nq))]
    for suffix, fmt in [(".trig", ox.RdfFormat.TRIG), (".jsonld", ox.RdfFormat.JSON_LD)]:
        f = tmp_path / f"g{suffix}"
        f.write_bytes(ox.serialize(quads, format=fmt) or b"")
        load_graph(f, store=tmp_path / suffix[1:])
        with EmbeddedStore(tmp_path / suffix[1:]) as store:
            assert set(store.store) == set(quads), suffix
    # Triple formats go to the default graph, which a reload replaces too.
    ttl = tmp_path / "g.ttl"
    ttl.write_text('<http://example.org/s> <http://example.org/p> "one" .\n')
    load_graph(ttl, store=tmp_path / "ttl")
    ttl.write_text('<http://example.org/s> <http://example.org/p> "two" .\n')
    load_graph(ttl, store=tmp_path / "ttl")
    with EmbeddedStore(tmp_path / "ttl") as store:
        assert [q.object.value for q in store.store] == ["two"]


def test_build_into_store_then_count_graphs(tmp_path: Path) -> None:
    db = tmp_path / "db"
    for _ in range(2):  # rebuilding replaces each article graph: same store both times
        code, err = run("build", str(ROOT / "seeds"), "--store", str(db))
        assert code in (0, 1), err
        ro = ox.Store.read_only(str(db))  # what `kg query --store` opens
        graphs = sorted(g.value for g in ro.named_graphs())
        n = len(ro)
        del ro
        assert [g for g in graphs if "/article/" in g] == [
            GRAPH_PREFIX + "article/000-13009f88a8800e4a",
            GRAPH_PREFIX + "article/002-0388dada9763fdad",
            GRAPH_PREFIX + "article/003-7ab06b5946fa1eb6",
        ]
        assert {GRAPH_PREFIX + g for g in ("actors", "vocabulary", "provenance")} <= set(graphs)
        if _ == 0:
            first = (graphs, n)
    assert (graphs, n) == first


def test_build_store_matches_build_file(seeds_nq: Path, tmp_path: Path) -> None:
    run("build", str(ROOT / "seeds"), "--no-validate", "--store", str(tmp_path / "db"))
    with EmbeddedStore(tmp_path / "db") as store:
        assert set(store.store) == file_quads(seeds_nq)


def test_malformed_file_is_an_input_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://example.org/s> <http://example.org/p> "ok" <http://example.org/g> .\n<http://x> <http://y\n')
    with pytest.raises(InputError, match=r"bad\.nq"):
        load_graph(bad, store=tmp_path / "db")
    code, err = run("load", str(bad), "--store", str(tmp_path / "db"))
    assert code == 2 and "bad.nq" in err and "line 2" in err and len(err.strip().splitlines()) == 1


def test_usage_errors(seeds_nq: Path, tmp_path: Path) -> None:
    code, err = run("load", str(seeds_nq))
    assert code == 2 and "exactly one of --gsp URL or --store DIR" in err
    code, err = run("load", str(seeds_nq), "--gsp", "ftp://example.org/x")
    assert code == 2 and "not an http(s) URL" in err
    code, err = run("load", str(seeds_nq), "--gsp", "http://127.0.0.1:9/store", "--user", "u",
                    "--password-env", "KG_UNSET_VARIABLE_X")
    assert code == 2 and "KG_UNSET_VARIABLE_X" in err and "not set" in err


# --------------------------------------------------------------------------- URLs, credentials, messages


def test_redact_strips_userinfo() -> None:
    assert redact("https://bob:pw@example.org:8443/ds/data?x=1") == "https://example.org:8443/ds/data?x=1"
    assert redact("http://example.org/store") == "http://example.org/store"


def test_credentials_from_env_url_and_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_PW", SECRET)
    url, creds = credentials("http://example.org/store", "bob", "KG_PW", "digest")
    assert url == "http://example.org/store" and creds and (creds.user, creds.password, creds.scheme) == (
        "bob", SECRET, "digest")
    url, creds = credentials("http://alice:p%40ss@example.org/store", None, None)
    assert url == "http://example.org/store" and creds and (creds.user, creds.password) == ("alice", "p@ss")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.org login carol password fromnetrc\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    _, creds = credentials("http://example.org/store", None, None)
    assert creds and (creds.user, creds.password) == ("carol", "fromnetrc")
    with pytest.raises(UsageError, match="no password for user 'dave'"):
        credentials("http://example.org/store", "dave", None)


def test_server_message_takes_the_explanation() -> None:
    r = requests.Response()
    r.status_code = 500
    r.headers["Content-Type"] = "text/html; charset=UTF-8"
    r._content = (b'<html><head><title>SPARQL Graph Protocol request failed</title></head><body>'
                  b'<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 22023</h3>\n<xmp>SP029: TURTLE RDF loader, '
                  b'line 3: syntax error</xmp></body></html>')
    assert server_message(r) == "SP029: TURTLE RDF loader, line 3: syntax error"
    r._content = b"\n  Parser error at line 1 between columns 5 and 7: Unexpected end of file\nmore\n"
    r.headers["Content-Type"] = "text/plain"
    assert server_message(r) == "Parser error at line 1 between columns 5 and 7: Unexpected end of file"


def test_retract_graph_iri_follows_base(tmp_path: Path) -> None:
    db = tmp_path / "db"
    report = retract_article(ARTICLE, store=db, base="http://example.org/kg/")
    assert report.graph == "http://example.org/kg/graph/article/000-13009f88a8800e4a" and not report.removed


# --------------------------------------------------------------------------- faults shown by fakes

NO_ROWS = (200, '{"head": {"vars": []}, "results": {"bindings": []}}')


def writes(script: Callable[[int, str, str], object]) -> Callable[[int, str, str], object]:
    """A fake endpoint's script for the Graph Store requests alone (counted from 0); queries (POST /query, which a
    load sends first to learn what the endpoint holds) find an empty store."""
    seen = [0]

    def run(n: int, method: str, path: str) -> object:
        if path.startswith("/query"):
            return NO_ROWS
        seen[0] += 1
        return script(seen[0] - 1, method, path)
    return run


def graph_requests(fake: FakeServer) -> list[tuple[str, str, bytes]]:
    return [r for r in fake.requests if not r[1].startswith("/query")]


def test_transient_errors_are_retried_then_succeed(seeds_nq: Path) -> None:
    with FakeServer(writes(lambda n, m, p: 503 if n < 2 else 204)) as fake:
        report = load_graph(seeds_nq, gsp=fake.url + "/store", retries=3, backoff=0.01)
    sent = [r[1].split("graph=")[1] for r in graph_requests(fake) if r[0] in ("PUT", "POST")]
    # 503, 503, then each graph of the file but its view; then the view, derived on the endpoint, put last with a
    # note of the work under way before it (removed after)
    assert report.graphs == load_order(seeds_nq)
    view, note = quote(corpus_graph().value, safe=""), quote(TEMP_PREFIX + "unfinished", safe="")
    graphs = [quote(g, safe="") for g in report.graphs if g != corpus_graph().value]
    assert sent == graphs[:1] * 2 + graphs + [note, view]


def test_a_broken_file_sends_nothing_to_a_graph_store(seeds_nq: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text(seeds_nq.read_text(encoding="utf-8") + "<http://x> <http://y\n", encoding="utf-8")
    n = len(seeds_nq.read_text(encoding="utf-8").splitlines())
    with FakeServer(lambda n, m, p: 204) as fake, pytest.raises(InputError, match=rf"bad\.nq:{n + 1}: not valid"):
        load_graph(bad, gsp=fake.url + "/store")
    assert fake.count == 0


def test_graph_store_load_sends_each_graph_once_whole_as_it_ends(seeds_nq: Path) -> None:
    order, graphs = complete_graphs(seeds_nq)
    got = list(graphs)
    assert [g.value for g, _ in got] == [g.value for g in order] == load_order(seeds_nq)  # type: ignore[union-attr]
    expected = file_quads(seeds_nq)
    assert {as_stored(ox.Quad(t.subject, t.predicate, t.object, g)) for g, ts in got for t in ts} == expected


def test_client_errors_are_not_retried_and_carry_the_server_message(seeds_nq: Path) -> None:
    answer = (400, "Parser error at line 7 between columns 1 and 3: bad\nsecond line")
    with FakeServer(writes(lambda n, m, p: answer)) as fake, pytest.raises(StoreError) as info:
        load_graph(seeds_nq, gsp=fake.url + "/store", retries=3, backoff=0.01)
    assert len(graph_requests(fake)) == 1
    msg = str(info.value)
    assert msg == (f"{fake.url}/store: HTTP 400 Bad Request while loading {FIRST_SENT}: "
                   "Parser error at line 7 between columns 1 and 3: bad")


def test_timeouts_are_retried_and_reported(seeds_nq: Path) -> None:
    with FakeServer(writes(lambda n, m, p: ("sleep", 1.5))) as fake, pytest.raises(StoreError) as info:
        load_graph(seeds_nq, gsp=fake.url + "/store", retries=1, backoff=0.01, timeout=0.3)
    assert str(info.value) == f"{fake.url}/store: no answer within 0.3 s (after 2 attempts) while loading " \
        f"{FIRST_SENT}"


def test_5xx_other_than_gateway_errors_fail_at_once(seeds_nq: Path) -> None:
    with FakeServer(writes(lambda n, m, p: (500, "out of memory"))) as fake, pytest.raises(StoreError) as info:
        load_graph(seeds_nq, gsp=fake.url + "/store", retries=3, backoff=0.01)
    assert str(info.value).endswith(f"HTTP 500 Internal Server Error while loading {FIRST_SENT}: out of memory")
    assert len(graph_requests(fake)) == 1


def test_stopped_server_gives_connection_refused_without_credentials(seeds_nq: Path) -> None:
    port = free_port()  # nothing listens there
    url = f"http://bob:{SECRET}@127.0.0.1:{port}/store"
    with pytest.raises(StoreError) as info:
        load_graph(seeds_nq, gsp=url, retries=2, backoff=0.01)
    # the first request reads what the endpoint holds, from its query service beside /store
    assert str(info.value) == (f"http://127.0.0.1:{port}/query: connection refused (after 3 attempts) "
                               "while reading what the endpoint holds")
    assert SECRET not in str(info.value) and "bob" not in str(info.value)


# --------------------------------------------------------------------------- real servers


@pytest.mark.server
@pytest.mark.parametrize("move", [False, True], ids=["put", "put+move"])
def test_server_holds_the_files_quads_and_reload_does_not_duplicate(
    server: Server, seeds_nq: Path, move: bool
) -> None:
    extra = {"update": server.update} if move else {}
    before = count_all(server)
    report = load_graph(seeds_nq, **remote(server, **extra))  # type: ignore[arg-type]
    expected = file_quads(seeds_nq, server)
    assert report.triples == len(expected) and report.graphs == load_order(seeds_nq)
    assert server_quads(server) == expected
    after = count_all(server)
    assert after == before + len(expected)
    load_graph(seeds_nq, **remote(server, **extra))  # type: ignore[arg-type]
    assert count_all(server) == after
    assert server_quads(server) == expected
    assert server_quads(server, TEMP_PREFIX) == set()  # no temporary graph left behind


@pytest.mark.server
def test_retract_removes_one_article_graph_and_nothing_else(server: Server, seeds_nq: Path) -> None:
    load_graph(seeds_nq, **remote(server))  # type: ignore[arg-type]
    os.environ["KG_TEST_PASSWORD"] = server.password or ""
    code, err = run("retract", ARTICLE, *cli_remote(server))
    assert code == 0, err
    expected = {q for q in file_quads(seeds_nq, server) if q.graph_name != ox.NamedNode(ARTICLE_GRAPH)}
    n = sum(q.graph_name == ox.NamedNode(ARTICLE_GRAPH) for q in file_quads(seeds_nq, server))
    assert err.strip() == f"kg: removed <{ARTICLE_GRAPH}> ({n} triples) from {server.gsp}"
    held = server_quads(server)
    assert _no_view(held) == _no_view(expected)
    # the view no longer counts the retracted article: it is the one the article graphs left give
    view = {f"{q.subject} {q.predicate} {q.object}" for q in held if q.graph_name == corpus_graph()}
    assert view == {f"{q.subject} {q.predicate} {q.object}" for q in rebuild(as_stored(q) for q in _no_view(held))}
    assert view != {f"{q.subject} {q.predicate} {q.object}" for q in expected if q.graph_name == corpus_graph()}
    code, err = run("retract", ARTICLE, *cli_remote(server))
    assert code == 0 and "nothing to remove" in err


@pytest.mark.server
def test_cli_load_reports_one_line(server: Server, seeds_nq: Path) -> None:
    os.environ["KG_TEST_PASSWORD"] = server.password or ""
    code, err = run("load", str(seeds_nq), *cli_remote(server))
    assert code == 0, err
    n = len(file_graphs(seeds_nq))
    triples = len(file_quads(seeds_nq, server))
    assert err.startswith(f"kg: loaded {n} graphs, {triples} triples into {server.gsp} in ")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.server
def test_stopped_real_server_exits_3(oxigraph: Server, seeds_nq: Path) -> None:
    oxigraph.stop()
    code, err = run("load", str(seeds_nq), "--gsp", oxigraph.gsp, "--retries", "0")
    assert code == 3
    assert err.strip() == f"kg: error: {oxigraph.query}: connection refused while reading what the endpoint holds"


@pytest.mark.server
def test_malformed_upload_oxigraph(oxigraph: Server) -> None:
    client = GraphStoreClient(oxigraph.gsp, retries=0)
    client.put(ox.NamedNode("http://example.org/g"), b'<http://example.org/s> <http://example.org/p> "ok" .\n')
    with pytest.raises(StoreError, match=r"HTTP 400 Bad Request while loading http://example.org/g: .*line 1"):
        client.put(ox.NamedNode("http://example.org/g"), b"<http://example.org/s> <http://example.org/p")
    assert len(server_quads(oxigraph, "http://example.org/")) == 1  # nothing of the bad upload stored


@pytest.mark.server
def test_server_dying_mid_load_reports_what_made_it_and_a_rerun_completes(oxigraph: Server, seeds_nq: Path) -> None:
    # A proxy in front of the real server, which "dies" after three Graph Store requests (and the queries before).
    sent = [0]

    def script(n: int, method: str, path: str) -> str:
        sent[0] += path.startswith("/store")
        return "proxy" if sent[0] <= 3 else "drop"
    with FakeServer(script, upstream=oxigraph.base) as proxy:
        with pytest.raises(PartialLoadError) as info:
            load_graph(seeds_nq, gsp=proxy.url + "/store", retries=1, backoff=0.01)
        err = info.value
        graphs = load_order(seeds_nq)
        assert err.loaded == graphs[:3] and err.pending == graphs[3:]
        assert err.unfinished.startswith("not yet brought up to date: the corpus view <")  # made once graphs are in
        msg = str(err)
        assert "\n" not in msg and msg.startswith(f"{proxy.url}/store: connection lost")
        assert f"3 of {len(graphs)} graphs loaded before the failure" in msg and "rerun the same command" in msg
        # Exactly the graphs reported as loaded are on the server.
        on_server = {q.graph_name.value for q in server_quads(oxigraph)}  # type: ignore[union-attr]
        assert on_server == set(err.loaded)
        code, line = run("load", str(seeds_nq), "--gsp", proxy.url + "/store", "--retries", "0")
        assert code == 3 and line.strip() == f"kg: error: {proxy.url}/query: connection lost (the server closed it) " \
            "while reading what the endpoint holds"
    # The server is healthy again: the rerun completes, idempotently.
    load_graph(seeds_nq, gsp=oxigraph.gsp)
    assert server_quads(oxigraph) == file_quads(seeds_nq, oxigraph)


@pytest.mark.server
def test_default_graph_loads_into_oxigraph(oxigraph: Server, tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_text('<http://example.org/s> <http://example.org/p> "x" .\n')
    report = load_graph(ttl, gsp=oxigraph.gsp)
    assert report.graphs == ["default graph"] and not report.skipped
    rows = select(oxigraph, "SELECT ?o WHERE { <http://example.org/s> ?p ?o }")
    assert [r["o"]["value"] for r in rows] == ["x"]


@pytest.mark.server
def test_virtuoso_default_graph_is_skipped_with_a_warning(
    virtuoso: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_text('<http://example.org/s> <http://example.org/p> "x" .\n')
    report = load_graph(ttl, **remote(virtuoso))  # type: ignore[arg-type]
    assert report.graphs == [] and "default graph (1 triples)" in report.skipped[0]
    assert "skipped the default graph" in str(report)
    assert any("no default graph" in r.getMessage() for r in caplog.records)


@pytest.mark.server
def test_virtuoso_wrong_password_is_a_clear_error_without_the_password(
    virtuoso: Server, seeds_nq: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    env = {"KG_BAD_PW": SECRET}
    code, err = run("-vv", "load", str(seeds_nq), "--gsp", virtuoso.gsp, "--user", "dba",
                    "--password-env", "KG_BAD_PW", "--auth", "digest", env=env)
    assert code == 3
    last = err.strip().splitlines()[-1]
    assert last == (f"kg: error: {virtuoso.gsp}: HTTP 401 Unauthorized while loading {FIRST_SENT}; "
                    "user 'dba' was refused: check the password")
    assert SECRET not in err and SECRET not in capfd.readouterr().err
    # Basic auth against a Digest server says so.
    code, err = run("load", str(seeds_nq), "--gsp", virtuoso.gsp, "--user", "dba", "--password-env", "KG_BAD_PW",
                    env=env)
    assert code == 3 and "use --auth digest (the server asks for Digest)" in err and SECRET not in err


@pytest.mark.server
def test_no_password_in_verbose_logs(virtuoso: Server, seeds_nq: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    os.environ["KG_TEST_PASSWORD"] = VIRTUOSO_PASSWORD
    code, err = run("-vv", "load", str(seeds_nq), *cli_remote(virtuoso), "--update", virtuoso.update)
    assert code == 0, err
    assert VIRTUOSO_PASSWORD not in err and VIRTUOSO_PASSWORD not in caplog.text
    assert "replaced" in err  # -vv did log


@pytest.mark.server
def test_virtuoso_malformed_upload_exits_3_and_move_keeps_the_old_graph(virtuoso: Server, tmp_path: Path) -> None:
    # Valid RDF that Virtuoso refuses: an IRI longer than its Turtle loader allows.
    good = tmp_path / "good.nq"
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "v" <http://example.org/g> .' for i in range(50)]
    good.write_text("\n".join(lines) + "\n")
    bad = tmp_path / "bad.nq"
    bad.write_text("\n".join(lines[:20]) + f'\n<http://example.org/{"a" * 100_000}> <http://example.org/p> "x" '
                   "<http://example.org/g> .\n")
    os.environ["KG_TEST_PASSWORD"] = VIRTUOSO_PASSWORD
    load_graph(good, **remote(virtuoso))  # type: ignore[arg-type]
    code, err = run("load", str(bad), *cli_remote(virtuoso), "--update", virtuoso.update)
    assert code == 3 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"kg: error: {virtuoso.gsp}: HTTP 500 ") and "too long" in err
    # With --update the failed upload went to a temporary graph: the old graph is whole, no leftovers.
    assert len(server_quads(virtuoso, "http://example.org/g")) == 50
    assert server_quads(virtuoso, TEMP_PREFIX) == set()


@pytest.mark.server
def test_kg_query_gives_the_same_rows_from_server_store_and_file(
    server: Server, seeds_nq: Path, tmp_path: Path
) -> None:
    pytest.importorskip("kg.queries", reason="kg.queries (kg query) is not in this tree yet")
    rq = tmp_path / "events.rq"
    rq.write_text("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                  f'FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }} GROUP BY ?g ORDER BY ?g\n')
    load_graph(seeds_nq, **remote(server))  # type: ignore[arg-type]
    load_graph(seeds_nq, store=tmp_path / "db")
    outs = []
    for where in (["--data", str(seeds_nq)], ["--store", str(tmp_path / "db")], ["--endpoint", server.query]):
        result = CliRunner().invoke(cli, ["query", str(rq), *where, "--format", "csv"])
        assert result.exit_code == 0, result.output
        outs.append(result.stdout)
    assert outs[0] == outs[1] == outs[2]
