"""Keeping a SPARQL 1.1 Graph Store endpoint as the embedded store keeps itself: view, shared facts, skips.

A load or retraction into an endpoint does what :meth:`kg.store.EmbeddedStore.load`
and :meth:`~kg.store.EmbeddedStore.retract` do, through the same functions of
:mod:`kg.view` (:class:`~kg.view.PendingRefresh`, :func:`~kg.view.view_change`,
:func:`~kg.view.orphaned`, and so :func:`~kg.view.node_view` and
:func:`~kg.view.affected`); only the reading and writing differ.
:class:`EndpointCorpus` reads what they need with plain SPARQL 1.1 queries
(``VALUES`` over a batch of nodes, ``GRAPH ?g`` filtered to article graphs),
which Oxigraph and Virtuoso both answer. Changes go up by the Graph Store
Protocol: each article graph by ``PUT`` (or ``PUT`` and ``MOVE`` with an
update endpoint), the shared graphs by ``POST``, and the view's and
``graph/actors``' changed statements as one SPARQL update (``DELETE DATA`` and
``INSERT DATA``) when an update endpoint is given, or else by a ``GET`` of the
graph and a ``PUT`` of it changed.

An article graph whose content hash (``schema:sha256`` of its article)
matches what the endpoint holds is fetched and compared; when the triples
are the same it is not sent. A load that stops part-way leaves a
note on the endpoint, the graph ``urn:newskg:loading:unfinished``, naming the
nodes and graphs whose view (and shared facts) are still to be brought up to
date; the next load or retraction finishes that work and removes the note.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse

from kg.errors import StoreError
from kg.store import (
    TEMP_PREFIX,
    GraphName,
    GraphStoreClient,
    LoadReport,
    PartialLoadError,
    RetractReport,
    _graph_label,
    _ntriples,
    _one_line,
    _quads,
    graph_order,
    graphs_as_they_end,
    is_shared_graph,
    redact,
)
from kg.view import (
    _ANCHOR,
    _EVIDENCE,
    _READ,
    _WORDS,
    Article,
    Contribution,
    PendingRefresh,
    _article_of,
    _Facts,
    _frozen,
    _viewed,
    article_graph_prefix,
    corpus_graph,
    orphaned,
    planned,
    view_change,
)
from kg.vocab import DEFAULT_BASE, IRIs

log = logging.getLogger(__name__)

#: The note of unfinished work on an endpoint (see the module's docstring); never a graph of the corpus.
UNFINISHED = NamedNode(TEMP_PREFIX + "unfinished")
_NOTE = UNFINISHED  # the note's subject is its graph's name
_NOTED = {name: NamedNode(TEMP_PREFIX + name) for name in ("node", "span", "graph", "replaced", "whole")}
#: Nodes per query: small enough for any server's query size, large enough that a load needs few queries.
BATCH = 200
#: Statements per SPARQL update (Virtuoso 7.2's compiler ran out of memory on 5,000 here).
UPDATE_TRIPLES = 1000
_SHA = "http://schema.org/sha256"
_NEWS = "http://schema.org/NewsArticle"
_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_PUBLISHED = "http://schema.org/datePublished"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_RESPONDS = "https://w3id.org/newskg#responds"
_SOURCE = "https://w3id.org/newskg#sourceActor"
_PARSED = {"application/n-triples": RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
           "text/turtle": RdfFormat.TURTLE, "application/x-turtle": RdfFormat.TURTLE,
           "application/rdf+xml": RdfFormat.RDF_XML, "application/n-quads": RdfFormat.N_QUADS,
           "application/trig": RdfFormat.TRIG}


def query_url_for(gsp: str) -> str | None:
    """The SPARQL query endpoint beside a Graph Store endpoint, where its layout tells it; None otherwise.

    Oxigraph ``…/store`` → ``…/query``; Virtuoso ``…/sparql-graph-crud`` and
    ``…/sparql-graph-crud-auth`` → ``…/sparql``; Fuseki ``…/DATASET/data`` →
    ``…/DATASET/sparql``.
    """
    parts = urlsplit(gsp)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    name = {"store": "query", "sparql-graph-crud": "sparql", "sparql-graph-crud-auth": "sparql",
            "data": "sparql"}.get(last)
    if name is None:
        return None
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{name}", "", ""))


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise StoreError(f"cannot name {value!r} in a SPARQL query")
    return f"<{value}>"


def _values(name: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(_iri(i) for i in iris)} }}"


def _term(b: dict[str, str]) -> NamedNode | BlankNode | Literal:
    """A SPARQL JSON results term as a pyoxigraph term (``typed-literal`` is Virtuoso's older spelling)."""
    kind = b.get("type")
    if kind == "uri":
        return NamedNode(b["value"])
    if kind == "bnode":
        return BlankNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return Literal(b["value"], datatype=NamedNode(b["datatype"]))
    return Literal(b["value"])


def _chunks(items: Sequence[str], n: int = BATCH) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


class EndpointCorpus:
    """The article graphs, view and shared facts of an endpoint, read with SPARQL queries (a :class:`GraphSource`).

    Answers are kept until :meth:`forget`; :meth:`prefetch` reads a batch of
    nodes' contributions and labels in a few queries, so a refresh of a
    thousand nodes costs tens of requests, not thousands.
    """

    def __init__(self, client: GraphStoreClient, query_url: str, base: str | None = None) -> None:
        self.client = client
        self.query_url = query_url
        self.base = base or DEFAULT_BASE
        self.prefix = article_graph_prefix(base)
        self.actors = str(IRIs(self.base).actors_graph)
        self.view = corpus_graph(base).value
        self._articles: dict[str, Article] = {}
        self._contribs: dict[str, list[Contribution]] = {}
        self._labels: dict[str, str | None] = {}
        self._responders: dict[str, list[str]] = {}
        self._sourced: dict[str, list[str]] = {}

    def forget(self) -> None:
        """Drop what was read, after the endpoint changed."""
        for cache in (self._articles, self._contribs, self._labels, self._responders, self._sourced):
            cache.clear()

    # ----------------------------------------------------------------- queries

    def select(self, query: str, what: str) -> list[dict[str, dict[str, str]]]:
        """The rows of a SELECT; a StoreError when the endpoint fails or cut the answer short."""
        r = self.client._send("POST", self.query_url, what, data={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
        try:
            rows: list[dict[str, dict[str, str]]] = r.json()["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise StoreError(f"{redact(self.query_url)}: the answer while {what} is not SPARQL results JSON "
                             f"({_one_line(r.text, 120)!r}); is this the endpoint's query service? "
                             "(give it with --endpoint)") from None
        cap = r.headers.get("X-SPARQL-MaxRows")
        if cap and cap.isdigit() and len(rows) >= int(cap):
            raise StoreError(f"{redact(self.query_url)}: the endpoint cut its answer at {cap} rows while {what} "
                             "(Virtuoso's [SPARQL] ResultSetMaxRows): raise that limit and rerun")
        return rows

    def ask_graph(self, graph: str) -> bool:
        """Whether the endpoint holds a non-empty named graph ``graph``."""
        rows = self.select(f"SELECT ?s WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }} LIMIT 1",
                           f"asking whether <{graph}> exists")
        return bool(rows)

    def article_graphs(self) -> set[str]:
        """Every article graph the endpoint holds."""
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '
                           f'"{self.prefix}")) }}', "listing the article graphs")
        return {r["g"]["value"] for r in rows}

    def fingerprints(self, graphs: Iterable[str]) -> dict[str, str]:
        """The content hash (``schema:sha256``; "" when none) of those of ``graphs`` the endpoint holds.

        No triple counts: Virtuoso took 13 s to count 100 graphs here, and an
        equal hash is checked by comparing the triples anyway.
        """
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(graphs)):
            there = self.select(
                f"SELECT ?g WHERE {{ {_values('g', chunk)} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
                "finding which article graphs the endpoint holds")
            shas = self.select(f"SELECT ?g ?sha WHERE {{ {_values('g', chunk)} GRAPH ?g {{ ?a <{_SHA}> ?sha }} }}",
                               "reading the articles' content hashes")
            sha = {r["g"]["value"]: r["sha"]["value"] for r in shas}
            out.update({r["g"]["value"]: sha.get(r["g"]["value"], "") for r in there})
        return out

    def _triples(self, query: str, what: str) -> list[Triple]:
        return [Triple(_term(r["s"]), NamedNode(r["p"]["value"]), _term(r["o"]))  # type: ignore[arg-type]
                for r in self.select(query, what)]

    # ----------------------------------------------------------------- GraphSource

    def graph_triples(self, graph: str) -> list[Triple] | None:
        """The triples of one graph, by a Graph Store ``GET``; None when the endpoint has no such graph."""
        client = self.client
        url = client.gsp + ("&" if "?" in client.gsp else "?") + "graph=" + quote(graph, safe="")
        r = client._send("GET", url, f"reading <{graph}>", check=False,
                         headers={"Accept": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"})
        if r.status_code == 404:
            return None
        client._check(r, url, f"reading <{graph}>")
        kind = r.headers.get("Content-Type", "application/n-triples").split(";")[0].strip().lower()
        fmt = _PARSED.get(kind)
        if fmt is None:
            raise StoreError(f"{client.gsp}: <{graph}> came back as {kind}, which newskg cannot read")
        try:
            triples = [q.triple for q in parse(r.content, format=fmt)]
        except SyntaxError as err:
            raise StoreError(f"{client.gsp}: <{graph}> came back unreadable: {_one_line(str(err))}") from None
        return triples or None

    def view_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What the view graph holds about ``subjects``."""
        out: list[Triple] = []
        for chunk in _chunks(sorted(set(subjects))):
            out += self._triples(f"SELECT ?s ?p ?o WHERE {{ {_values('s', chunk)} GRAPH {_iri(self.view)} "
                                 "{ ?s ?p ?o } }", "reading the corpus view")
        return out

    def shared_triples(self, subjects: Iterable[str]) -> list[Triple]:
        """What ``graph/actors`` holds about ``subjects``."""
        out: list[Triple] = []
        for chunk in _chunks(sorted(set(subjects))):
            out += self._triples(f"SELECT ?s ?p ?o WHERE {{ {_values('s', chunk)} GRAPH {_iri(self.actors)} "
                                 "{ ?s ?p ?o } }", "reading the shared actor facts")
        return out

    def named(self, subjects: Iterable[str]) -> set[str]:
        """Those of ``subjects`` some article graph says anything of."""
        out: set[str] = set()
        for chunk in _chunks(sorted(set(subjects))):
            rows = self.select(f"SELECT DISTINCT ?s WHERE {{ {_values('s', chunk)} GRAPH ?g {{ ?s ?p ?o }} "
                               f'FILTER(STRSTARTS(STR(?g), "{self.prefix}")) }}', "finding the nodes articles name")
            out |= {r["s"]["value"] for r in rows}
        return out

    def prefetch(self, nodes: Iterable[str], follow: bool = True) -> None:
        """Read the contributions and labels of ``nodes`` not read yet, a batch at a time.

        ``follow``: also which responses answer them and which events they are
        the source of (what :func:`kg.view.node_view` and
        :func:`kg.view.affected` ask next), and those nodes' contributions.
        """
        nodes = set(nodes)
        todo = sorted({n for n in nodes if n not in self._contribs})
        for chunk in _chunks(todo):
            per: dict[str, dict[str, _Facts]] = {n: {} for n in chunk}
            # Every predicate, kept here if the view reads it: a VALUES list of the 27 made Oxigraph 10x slower.
            rows = self.select(
                f"SELECT ?s ?g ?p ?o WHERE {{ {_values('s', chunk)} "
                f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{self.prefix}")) }}',
                "reading what the articles say of the nodes to refresh")
            for r in rows:
                if r["p"]["value"] not in _READ:
                    continue
                facts = per[r["s"]["value"]].setdefault(r["g"]["value"], {})
                facts.setdefault(r["p"]["value"], set()).add(r["o"]["value"])
            words = self.select(
                f"SELECT ?s ?g ?w WHERE {{ {_values('s', chunk)} "
                f"GRAPH ?g {{ ?s <{_EVIDENCE}> ?span . ?span <{_ANCHOR}> ?w }} "
                f'FILTER(STRSTARTS(STR(?g), "{self.prefix}")) }}',
                "reading the words of the nodes' evidence")
            for r in words:  # what kg.view calls a node's evidence words (for nkg:searchText)
                into = per[r["s"]["value"]].get(r["g"]["value"])
                if into is not None:
                    into.setdefault(_WORDS, set()).add(r["w"]["value"])
            self._read_articles({g for f in per.values() for g in f})
            for n, graphs in per.items():
                self._contribs[n] = [Contribution(g, self._articles[g], _frozen(f)) for g, f in sorted(graphs.items())
                                     if _viewed(f)]
        todo = sorted({n for n in nodes if n not in self._labels})
        for chunk in _chunks(todo):
            rows = self.select(f"SELECT ?s ?l WHERE {{ {_values('s', chunk)} GRAPH {_iri(self.actors)} "
                               f"{{ ?s <{_RDFS_LABEL}> ?l }} FILTER(isLiteral(?l)) }}", "reading the actors' labels")
            found: dict[str, list[str]] = {}
            for r in rows:
                found.setdefault(r["s"]["value"], []).append(r["l"]["value"])
            for n in chunk:
                self._labels[n] = min(found[n]) if n in found else None
        if not follow:
            return
        todo = sorted({n for n in nodes if n not in self._responders or n not in self._sourced})
        linked: set[str] = set()
        for chunk in _chunks(todo):
            rows = self.select(f"SELECT DISTINCT ?x ?p ?n WHERE {{ {_values('n', chunk)} VALUES ?p {{ <{_RESPONDS}> "
                               f'<{_SOURCE}> }} GRAPH ?g {{ ?x ?p ?n }} FILTER(STRSTARTS(STR(?g), "{self.prefix}")) }}',
                               "reading the responses to allegations and the events actors are the source of")
            links: dict[tuple[str, str], set[str]] = {}
            for r in rows:
                links.setdefault((r["p"]["value"], r["n"]["value"]), set()).add(r["x"]["value"])
            for n in chunk:
                self._responders[n] = sorted(links.get((_RESPONDS, n), ()))
                self._sourced[n] = sorted(links.get((_SOURCE, n), ()))
                linked |= {*self._responders[n], *self._sourced[n]}
        self.prefetch(linked, follow=False)
    def _read_articles(self, graphs: Iterable[str]) -> None:
        """Each article graph's article: its identifier and date (as :class:`kg.view.StoreCorpus` reads them)."""
        todo = sorted({g for g in graphs if g not in self._articles})
        for chunk in _chunks(todo):
            rows = self.select(f"SELECT ?g ?a ?p ?o WHERE {{ {_values('g', chunk)} "
                               f"VALUES ?p {{ <{_IDENTIFIER}> <{_PUBLISHED}> }} GRAPH ?g {{ ?a ?p ?o }} }}",
                               "reading the articles' identifiers and dates")
            facts: dict[str, dict[str, _Facts]] = {g: {} for g in chunk}
            for r in rows:
                f = facts[r["g"]["value"]].setdefault(r["a"]["value"], {})
                f.setdefault(r["p"]["value"], set()).add(r["o"]["value"])
                f.setdefault(_RDF_TYPE, set()).add(_NEWS)
            for g in chunk:
                self._articles[g] = _article_of(facts[g])

    def contributions(self, node: str) -> list[Contribution]:
        """What each article graph of the endpoint says of ``node``."""
        if node not in self._contribs:
            self.prefetch([node])
        return self._contribs[node]

    def label(self, node: str) -> str | None:
        """The shared label of ``node`` in ``graph/actors``."""
        if node not in self._labels:
            self.prefetch([node])
        return self._labels[node]

    def _linked(self, predicate: str, obj: str, cache: dict[str, list[str]], what: str) -> list[str]:
        if obj not in cache:
            rows = self.select(f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x <{predicate}> {_iri(obj)} }} "
                               f'FILTER(STRSTARTS(STR(?g), "{self.prefix}")) }}', what)
            cache[obj] = sorted({r["x"]["value"] for r in rows})
            self.prefetch(cache[obj], follow=False)
        return cache[obj]

    def responders(self, allegation: str) -> list[str]:
        """The responses that answer ``allegation``, in any article graph."""
        return self._linked(_RESPONDS, allegation, self._responders, "reading the responses to an allegation")

    def sourced_events(self, actor: str) -> list[str]:
        """The events whose source is ``actor`` in some article graph."""
        return self._linked(_SOURCE, actor, self._sourced, "reading the events an actor is the source of")

    def planned_events(self, actor: str) -> list[str]:
        """Those of :meth:`sourced_events` that some article graph gives as planned, expected or rumored."""
        return [e for e in self.sourced_events(actor) if planned(self.contributions(e))]

    # ----------------------------------------------------------------- the note of unfinished work

    def unfinished(self) -> tuple[PendingRefresh, bool]:
        """The work an earlier load or retraction left unfinished on the endpoint (none: empty), and whether
        that is the whole view."""
        rows = self.select(f"SELECT ?p ?o WHERE {{ GRAPH {_iri(UNFINISHED.value)} {{ {_iri(_NOTE.value)} ?p ?o }} }}",
                           "reading what the endpoint holds")
        pending = PendingRefresh()
        whole = any(r["p"]["value"] == _NOTED["whole"].value for r in rows)
        into = {_NOTED["node"].value: pending.nodes, _NOTED["span"].value: pending.spans_gone,
                _NOTED["graph"].value: pending.graphs, _NOTED["replaced"].value: pending.replaced}
        for r in rows:
            target = into.get(r["p"]["value"])
            if target is not None:
                target.add(r["o"]["value"])
        return pending, whole


def _note(pending: PendingRefresh, whole: bool) -> bytes:
    """The note of ``pending`` as N-Triples (the graphs' own triples, noted by :meth:`written`, are not kept)."""
    out = [Triple(_NOTE, _NOTED["whole"], _NOTED["whole"])] if whole else []
    for key, values in (("node", pending.nodes), ("span", pending.spans_gone), ("graph", pending.graphs),
                        ("replaced", pending.replaced)):
        out += [Triple(_NOTE, _NOTED[key], NamedNode(v)) for v in sorted(values)]
    return _ntriples(out)


def _same_triples(a: Iterable[Triple], b: Iterable[Triple]) -> bool:
    """Whether two sets of triples are equal as a store keeps terms (an Oxigraph round trip of both)."""
    def kept(ts: Iterable[Triple]) -> set[Triple]:
        probe = Store()
        probe.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in ts)
        return {q.triple for q in probe}
    x, y = kept(a), kept(b)
    return x == y and not any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in x)


@dataclass
class _Survey:
    """A first pass over the file: where each graph ends, its article graphs and their content hashes."""

    order: list[GraphName]
    last: dict[GraphName, int]
    articles: set[str] = field(default_factory=set)
    shas: dict[str, str] = field(default_factory=dict)


def survey_file(path: Path) -> _Survey:
    """The first pass over a graph file (which also checks all of it, so a broken file sends nothing)."""
    last: dict[GraphName, int] = {}
    articles: set[str] = set()
    shas: dict[str, str] = {}
    for i, (g, t) in enumerate(_quads(path)):
        last[g] = i
        if isinstance(g, NamedNode) and "/graph/article/" in g.value:
            articles.add(g.value)
            if t.predicate.value == _SHA:
                shas[g.value] = t.object.value  # type: ignore[union-attr]
    return _Survey(graph_order(last), last, articles, shas)


class EndpointSync:
    """One load or retraction against an endpoint: a client for writes, an :class:`EndpointCorpus` for reads."""

    def __init__(self, client: GraphStoreClient, query_url: str, base: str | None) -> None:
        self.client = client
        self.corpus = EndpointCorpus(client, query_url, base)
        self.base = base or DEFAULT_BASE
        self.view = corpus_graph(self.base)
        self.actors = NamedNode(str(IRIs(self.base).actors_graph))

    # ----------------------------------------------------------------- writing changed statements

    def _patch(self, changes: dict[NamedNode, tuple[list[Triple], list[Triple]]]) -> None:
        """Drop and add statements in a few graphs: SPARQL updates, or a GET and a PUT of each graph.

        Updates carry at most :data:`UPDATE_TRIPLES` statements each (Virtuoso's
        SPARQL compiler runs out of memory on a few thousand), drops first;
        a load notes its work on the endpoint before, so one that stops
        between two updates is finished by the next load or retraction.
        """
        changes = {g: (old, new) for g, (old, new) in changes.items() if old or new}
        if not changes:
            return
        if self.client.update_url:
            what = "updating " + " and ".join(g.value for g in changes)
            for verb, which in (("DELETE DATA", 0), ("INSERT DATA", 1)):
                for g, pair in changes.items():
                    triples = pair[which]
                    for i in range(0, len(triples), UPDATE_TRIPLES):
                        body = _ntriples(triples[i:i + UPDATE_TRIPLES]).decode("utf-8")
                        self.client.run_update(f"{verb} {{ GRAPH <{g.value}> {{ {body} }} }}", what)
            return
        for g, (old, new) in changes.items():
            current = self.corpus.graph_triples(g.value) or []
            gone = set(old)
            kept = [t for t in current if t not in gone]
            have = set(kept)
            kept += [t for t in new if t not in have]
            if kept:
                self.client.replace(g, _ntriples(kept))
            else:
                self.client.delete(g)

    def finish(self, pending: PendingRefresh, keep: Sequence[Triple] = (), whole: bool = False) -> tuple[int, int]:
        """Remove the orphaned shared facts and bring the view up to date; (statements removed, view changes).

        ``whole``: ``pending`` names every article graph, and the view is
        replaced whole (whatever a view made part-way held goes).
        """
        self.corpus.forget()
        gone = orphaned(self.corpus, pending.replaced, keep)
        old, new = view_change(self.corpus, pending)
        if whole:
            old = self.corpus.graph_triples(self.view.value) or []
        old_set, new_set = set(old), set(new)
        drop = [t for t in old if t not in new_set]
        add = [t for t in dict.fromkeys(new) if t not in old_set]
        if (drop or add) and not whole and not self.client.update_url:
            # The view goes up whole (a PUT, which a server may leave half done if it fails part-way):
            # should it fail, the next run derives the whole view again.
            self.note(pending, whole=True)
        self._patch({self.actors: (gone, []), self.view: (drop, add)})
        if gone:
            log.info("%s: removed %d statements of %s that no article names any more", self.client.gsp, len(gone),
                     self.actors.value)
        return len(gone), len(drop) + len(add)

    def note(self, pending: PendingRefresh, whole: bool = False) -> None:
        """Record ``pending`` on the endpoint as unfinished work (replacing any earlier note)."""
        self.client.replace(UNFINISHED, _note(pending, whole))

    def clear_note(self) -> None:
        """The work is done: remove the note."""
        self.client.delete(UNFINISHED)

    # ----------------------------------------------------------------- load

    def load(self, path: Path, first: _Survey | None = None) -> LoadReport:
        """Load a graph file as :meth:`kg.store.EmbeddedStore.load` does (see the module's docstring).

        ``first``: the file's :func:`survey_file`, when the caller made it already.
        """
        client = self.client
        report = LoadReport(client.gsp)
        start = time.perf_counter()
        survey = first or survey_file(path)
        labels = [_graph_label(g) for g in survey.order]
        pending, whole = self.corpus.unfinished()
        noted = whole or not pending.is_empty()  # a note of unfinished work is on the endpoint
        articles = survey.articles
        held = self.corpus.fingerprints(articles) if articles else {}
        # Whole: the endpoint has no view (or a note says it is half made): it is derived from all its article
        # graphs, the file's and the others, and needs no note until it is written.
        if articles or noted:
            whole = whole or not self.corpus.ask_graph(self.view.value)
            if whole:
                pending.after(self.corpus.article_graphs())
        maybe_same = {g for g in articles & set(held) if held[g] == survey.shas.get(g, "")}
        pending.before(self.corpus, sorted(set(held) - maybe_same), replacing=True, view=not whole)
        pending.after(articles - maybe_same)
        keep: list[Triple] = []
        done: list[str] = []  # graphs sent
        at = 0  # the graph being sent: this one and those after it are still to come
        try:
            if pending.replaced or (not whole and not pending.is_empty()):
                self.note(pending, whole)
                noted = True
            for i, (g, triples) in enumerate(graphs_as_they_end(path, survey.last)):
                at, label = i, labels[i]
                if isinstance(g, NamedNode) and g == self.view:  # derived from the article graphs: made below
                    report.graphs.append(label)
                    report.triples += len(triples)
                    continue
                if isinstance(g, DefaultGraph) and client._no_default(done):
                    report.skipped.append(f"the default graph ({len(triples)} triples): this server's Graph Store "
                                          "has no default graph (Virtuoso); put them in a named graph")
                    log.warning("%s: %s", client.gsp, report.skipped[-1])
                    continue
                if isinstance(g, NamedNode) and g.value in articles:
                    if g.value in maybe_same:
                        if _same_triples(self.corpus.graph_triples(g.value) or [], triples):
                            log.info("%s: %s is unchanged", client.gsp, label)
                            report.graphs.append(label)
                            report.triples += len(triples)
                            report.unchanged += 1
                            continue
                        self.corpus.forget()  # read the endpoint as it is now, as the embedded store does
                        pending.before(self.corpus, [g.value], replacing=True, view=not whole)
                        self.note(pending, whole)
                        noted = True
                    client.replace(g, _ntriples(triples))
                    pending.written(g.value, triples)
                elif is_shared_graph(g):
                    client.append(g, _ntriples(triples))  # other articles' statements stay
                    if g == self.actors:
                        keep = triples
                else:
                    client.replace(g, _ntriples(triples))
                done.append(label)
                report.graphs.append(label)
                report.triples += len(triples)
                log.info("%s: %s %s (%d triples)", client.gsp, "added to" if is_shared_graph(g) else "replaced",
                         label, len(triples))
            at = len(labels)
            if not pending.is_empty():
                if whole:
                    self.note(pending, whole=True)
                    noted = True
                self.finish(pending, keep, whole)
            if noted:
                self.clear_note()
        except StoreError as err:
            if not done and not noted:
                raise
            after = (f"not yet brought up to date: the corpus view <{self.view.value}> and the facts of "
                     f"<{self.actors.value}> no article names any more") if not pending.is_empty() else ""
            raise PartialLoadError(str(err), done, labels[at:], after) from None
        report.seconds = time.perf_counter() - start
        return report

    # ----------------------------------------------------------------- retract

    def retract(self, graph: str) -> RetractReport:
        """Remove one article graph and bring the view up to date (shared facts stay, as in the embedded store)."""
        pending, whole = self.corpus.unfinished()
        leftover = whole or not pending.is_empty()
        node = NamedNode(graph)
        triples = self.corpus.graph_triples(graph)
        try:
            if triples is not None:
                pending.before(self.corpus, [graph], view=not whole)
                self.note(pending, whole)
                removed = self.client.delete(node)
            else:
                removed = False
            if triples is not None or leftover:
                if whole:
                    pending.after(self.corpus.article_graphs())
                self.finish(pending, whole=whole)
                self.clear_note()
        except StoreError as err:
            if triples is None and not leftover:
                raise
            raise StoreError(f"{err}; <{graph}> may be removed and the corpus view <{self.view.value}> is not up "
                             "to date: rerun the same command to complete it") from None
        if not removed:
            return RetractReport(self.client.gsp, graph, removed=False)
        return RetractReport(self.client.gsp, graph, removed=True, triples=len(triples or []))
