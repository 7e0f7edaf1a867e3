"""Putting graphs into triple stores: an embedded Oxigraph store, or any SPARQL 1.1 Graph Store.

The unit of loading is the named graph. Every named graph in a file replaces
what the store held under that name, so loading the same file twice never
duplicates, and a rerun after a failure completes the load. The graphs that
all articles add to (``graph/actors``, ``graph/quarantine``,
``graph/vocabulary``, ``graph/provenance``) are added to, never replaced, so
a file of new articles does not wipe the facts of those already stored
(:mod:`kg.incremental` keeps a store built by ``kg build`` exact); a load that
replaces an article graph removes the statements of ``graph/actors`` about
the nodes its old version named that no article names any more
(:func:`kg.view.orphaned`). Retracting an article removes its named graph
(``<base>graph/article/<slug>``) and nothing else: facts about actors live in
the shared graph ``<base>graph/actors``, which other articles may rely on,
and stay. Both targets keep the corpus view ``graph/corpus`` exact
(:mod:`kg.view`; for an endpoint :mod:`kg.endpoint`).

Two targets:

* :class:`EmbeddedStore` — an on-disk pyoxigraph store (a plain one, so
  ``pyoxigraph.Store.read_only`` and ``kg query --store`` can open it). Each
  replacement is one SPARQL update, and so one transaction: a reader sees the
  old graph or the new one, never half of either.
* :class:`GraphStoreClient` — the SPARQL 1.1 Graph Store HTTP Protocol, one
  ``PUT ?graph=IRI`` per named graph (never a bare ``PUT`` on the endpoint,
  which replaces the *whole dataset* on Oxigraph). With an update endpoint it
  puts each graph under a temporary name and ``MOVE``\\ s it into place, since
  some servers (Virtuoso) wipe the old graph and keep a partial new one when a
  ``PUT`` fails half-way.

Network failures become :class:`kg.errors.StoreError` in one place
(:meth:`GraphStoreClient._send`); messages name the URL without credentials,
and never contain the password.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from kg.errors import InputError, StoreError, UsageError
from kg.vocab import DEFAULT_BASE, IRIs, digest

log = logging.getLogger(__name__)

GraphName: TypeAlias = NamedNode | DefaultGraph

#: File suffixes ``load`` reads, and how.
FORMATS: dict[str, RdfFormat] = {
    ".trig": RdfFormat.TRIG,
    ".nq": RdfFormat.N_QUADS,
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".jsonld": RdfFormat.JSON_LD,
}
#: Statuses worth retrying: the server or a proxy in front of it is briefly unable.
TRANSIENT_STATUS = frozenset({502, 503, 504})
#: What each PUT body is: N-Triples, sent as Turtle (of which it is a subset) because every
#: Graph Store takes ``text/turtle`` while some (older Virtuoso, GraphDB) refuse ``application/n-triples``.
CONTENT_TYPE = "text/turtle; charset=utf-8"
# triples read from a file before they are written to the embedded store (~190 MB peak for a load, measured)
BATCH_TRIPLES = 100_000
TEMP_PREFIX = "urn:newskg:loading:"
#: The graphs every article adds to (under any base): a load adds a file's statements to them, never replaces them.
SHARED_GRAPHS = ("graph/actors", "graph/quarantine", "graph/vocabulary", "graph/provenance")


def is_shared_graph(g: GraphName) -> bool:
    """Whether ``g`` is one of the graphs all articles add to (see :data:`SHARED_GRAPHS`)."""
    return isinstance(g, NamedNode) and g.value.endswith(tuple("/" + x for x in SHARED_GRAPHS))


# --------------------------------------------------------------------------- reports


@dataclass
class LoadReport:
    """What a load did: graphs replaced, triples sent, time taken, and anything skipped."""

    target: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    unchanged: int = 0  # article graphs the target held exactly as the file has them (left alone)

    @property
    def triples_per_second(self) -> float:
        """Load speed, triples per second of wall-clock time."""
        return self.triples / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        line = (
            f"loaded {len(self.graphs)} graph{'s' * (len(self.graphs) != 1)}, {self.triples} triples "
            f"into {self.target} in {self.seconds:.2f} s ({self.triples_per_second:,.0f} triples/s)"
        )
        if self.unchanged:
            line += f"; {self.unchanged} article graph{'s' * (self.unchanged != 1)} unchanged"
        return line + "".join(f"; skipped {s}" for s in self.skipped)


@dataclass
class RetractReport:
    """What a retraction did: the graph it removed (or found already gone)."""

    target: str
    graph: str
    removed: bool
    triples: int | None = None

    def __str__(self) -> str:
        if not self.removed:
            return f"<{self.graph}> was not in {self.target}; nothing to remove"
        size = f" ({self.triples} triples)" if self.triples is not None else ""
        return f"removed <{self.graph}>{size} from {self.target}"


class PartialLoadError(StoreError):
    """A load stopped part-way: ``loaded`` graphs are in place, ``pending`` ones are not."""

    def __init__(self, cause: str, loaded: Sequence[str], pending: Sequence[str], unfinished: str = "") -> None:
        self.cause = cause
        self.loaded = list(loaded)
        self.pending = list(pending)
        self.unfinished = unfinished  # what else is still to do (an endpoint's corpus view), if anything
        total = len(self.loaded) + len(self.pending)
        super().__init__(
            f"{cause}; {len(self.loaded)} of {total} graphs loaded before the failure"
            + (f" ({_names(self.loaded)})" if self.loaded else "")
            + (f", not loaded: {_names(self.pending)}" if self.pending else "")
            + (f"; {unfinished}" if unfinished else "")
            + "; rerun the same command to complete the load"
        )


def _names(iris: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(f"<{i}>" for i in iris[:limit])
    return shown + (f" and {len(iris) - limit} more" if len(iris) > limit else "")


# --------------------------------------------------------------------------- reading graph files


def _quads(path: Path) -> Iterator[tuple[GraphName, Triple]]:
    """The file's (graph, triple) pairs as a stream; InputError (file, line) when it cannot be read or addressed."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"cannot tell the RDF format from the suffix; use one of {', '.join(FORMATS)}")
    try:
        for q in parse(path=str(path), format=fmt):
            g = q.graph_name
            if isinstance(g, BlankNode):
                raise InputError(str(path), f"graph {g} is a blank node; a store can only address named graphs")
            yield g, q.triple
    except SyntaxError as err:
        line = getattr(err, "lineno", None)
        raise InputError(str(path), f"not valid {fmt.name}: {_one_line(str(err))}", line) from None
    except OSError as err:
        raise InputError(str(path), err.strerror or str(err)) from None


def graph_batches(path: Path, limit: int) -> Iterator[dict[GraphName, list[Triple]]]:
    """The file's triples by graph, in batches of ``limit`` triples.

    The file is parsed as a stream, so memory holds one batch, not the file. A
    graph may be split over batches (``kg build`` writes the shared actor facts
    among the articles'). Raises :class:`kg.errors.InputError` naming the file
    (and line) when it cannot be read.
    """
    graphs: dict[GraphName, list[Triple]] = {}
    n = 0
    for g, t in _quads(path):
        graphs.setdefault(g, []).append(t)
        n += 1
        if n >= limit:
            yield graphs
            graphs, n = {}, 0
    if graphs:
        yield graphs


def complete_graphs(path: Path) -> tuple[list[GraphName], Iterator[tuple[GraphName, list[Triple]]]]:
    """Each graph of the file whole, as soon as its last triple is read: the order, and the graphs.

    A first pass notes where each graph ends (and checks the whole file, so a
    broken file sends nothing); the second holds only the graphs begun and not
    yet ended. A ``kg build`` file's article graphs are contiguous, so memory
    holds one article and the shared graphs, not the file. The default graph
    comes last.
    """
    last = _last_positions(path)
    return graph_order(last), graphs_as_they_end(path, last)


def graph_order(last: dict[GraphName, int]) -> list[GraphName]:
    """The graphs in the order :func:`graphs_as_they_end` gives them: as they end, the default graph last."""
    return sorted(last, key=lambda g: (isinstance(g, DefaultGraph), last[g]))


def graphs_as_they_end(path: Path, last: dict[GraphName, int]) -> Iterator[tuple[GraphName, list[Triple]]]:
    """The file's graphs, each whole once its last triple (``last``, from a first pass) is read; default last."""
    begun: dict[GraphName, list[Triple]] = {}
    default: list[Triple] | None = None
    for i, (g, t) in enumerate(_quads(path)):
        begun.setdefault(g, []).append(t)
        if last.get(g) == i:
            if isinstance(g, DefaultGraph):
                default = begun.pop(g)
            else:
                yield g, begun.pop(g)
    if default is not None:
        yield DefaultGraph(), default


def _batches_or_say_what_is_in(
    batches: Iterator[dict[GraphName, list[Triple]]], report: LoadReport
) -> Iterator[dict[GraphName, list[Triple]]]:
    """The batches; a file that breaks after some were stored says which graphs those were."""
    try:
        yield from batches
    except InputError as err:
        if not report.graphs:
            raise
        raise InputError(
            err.source,
            f"{err.reason}; the {len(report.graphs)} graphs before this point were stored and stay "
            f"({_names(report.graphs)}): mend the file and rerun to replace them and load the rest",
            err.line,
        ) from None


def _graph_label(g: GraphName) -> str:
    return "default graph" if isinstance(g, DefaultGraph) else g.value


def _ntriples(triples: Iterable[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


# --------------------------------------------------------------------------- loads in progress

JOURNAL_PREFIX = "newskg-unfinished-"  # a file in the store folder per load under way (RocksDB ignores it)


@dataclass
class UnfinishedLoad:
    """A load into an embedded store that began and did not finish: what it was, and what it completed."""

    store: str
    source: str
    command: str
    complete: list[str]
    total: int | None

    def __str__(self) -> str:
        of = f" of {self.total}" if self.total is not None else ""
        done = (f"{len(self.complete)}{of} graphs complete ({_names(self.complete, 3)}), the others missing or "
                "partial" if self.complete else f"no graph{of} known complete")
        return (f"store {self.store} holds an unfinished load of {self.source}: {done}; "
                f"answers may be incomplete: rerun `{self.command}` to finish it")


def unfinished_loads(store: str | Path) -> list[UnfinishedLoad]:
    """The loads recorded as in progress in the store folder (none when every load finished)."""
    out = []
    for path in sorted(Path(store).glob(JOURNAL_PREFIX + "*.txt")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            head = json.loads(lines[0])
        except (OSError, ValueError, IndexError):
            log.debug("unreadable load journal %s", path, exc_info=True)
            continue
        out.append(UnfinishedLoad(str(store), str(head.get("source", "?")), str(head.get("command", "kg load")),
                                  lines[1:], head.get("graphs")))
    return out


def warn_unfinished(store: str | Path) -> list[UnfinishedLoad]:
    """Log a warning for each unfinished load of the store (the CLI shows them on stderr); returns them."""
    found = unfinished_loads(store)
    for u in found:
        log.warning("%s", u)
    return found


class LoadJournal:
    """Records a load in progress in the store folder: begun, each graph once complete, and cleared at the end.

    A load killed part-way leaves its journal behind, so a later query, load
    or build can say that the store is incomplete and which graphs are whole.
    One journal per source (file, or ``kg build``); rerunning the same load
    replaces it and, once done, removes it.
    """

    def __init__(self, store: Path, source: str, command: str, total: int | None = None) -> None:
        self.path = store / f"{JOURNAL_PREFIX}{digest(source)[:16]}.txt"
        head = json.dumps({"source": source, "command": command, "graphs": total}, ensure_ascii=False)
        try:
            self._fh = self.path.open("w", encoding="utf-8")
            self._fh.write(head + "\n")
            self._fh.flush()
        except OSError as err:
            raise StoreError(f"{store}: cannot record the load in progress: {_one_line(str(err))}") from None

    def complete(self, graphs: Iterable[str]) -> None:
        """Note graphs now wholly in the store."""
        lines = "".join(f"{g}\n" for g in graphs)
        if lines:
            self._fh.write(lines)
            self._fh.flush()

    def finish(self) -> None:
        """The load is done: remove the record."""
        self._fh.close()
        self.path.unlink(missing_ok=True)


def _last_positions(path: Path) -> dict[GraphName, int]:
    """Where each graph of the file ends (the index of its last triple): a first pass, which also checks the file."""
    last: dict[GraphName, int] = {}
    for i, (g, _) in enumerate(_quads(path)):
        last[g] = i
    return last


# --------------------------------------------------------------------------- embedded store


class EmbeddedStore:
    """An on-disk pyoxigraph store in a folder; each graph replaced in one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store: Store | None = Store(str(self.path))
        except OSError as err:
            why = _one_line(str(err))
            if "lock" in why.lower():
                why = "another process (or another open EmbeddedStore) is using it; only one writer at a time"
            raise StoreError(f"{self.path}: cannot open the embedded store: {why}") from None
        self.unfinished = warn_unfinished(self.path)
        self._journal: LoadJournal | None = None

    def begin_build(self) -> None:
        """Record that a build is writing into the store (see :meth:`replace_article_batch`)."""
        # the same inputs: the store is not told how the build was called
        command = f"kg build INPUT... --store {shlex.quote(str(self.path.resolve()))}"
        self._journal = LoadJournal(self.path, "a kg build", command)

    def note_built(self, graph: str) -> None:
        """A build has put ``graph`` in whole (recorded in its journal, if :meth:`begin_build` began one)."""
        if self._journal is not None:
            self._journal.complete([graph])

    def end_build(self) -> None:
        """The build is done: its journal removed."""
        if self._journal is not None:
            self._journal.finish()
            self._journal = None

    @property
    def store(self) -> Store:
        """The pyoxigraph store (until :meth:`close`)."""
        if self._store is None:
            raise StoreError(f"{self.path}: the embedded store is closed")
        return self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush to disk and release the folder, so another writer (or a reader) can open it."""
        if self._store is not None:
            self._store.flush()
            self._store = None  # pyoxigraph releases the folder's lock when its Store is freed

    def optimize(self) -> None:
        """Flush and compact the store's files, as after a load.

        A load in batches leaves many small files behind; queries on a store
        compacted after them ran 1.3-2.7 times faster at 10,000 articles
        (``planned`` 1.52 -> 0.40 s), for about 15 s of compaction.
        """
        self.store.flush()
        try:
            self.store.optimize()
        except OSError as err:
            raise StoreError(f"{self.path}: compacting the store failed: {_one_line(str(err))}") from None

    def _apply(self, update: str, what: str) -> None:
        try:
            self.store.update(update)
        except (OSError, SyntaxError, RuntimeError) as err:  # SyntaxError: a term pyoxigraph cannot print back
            raise StoreError(f"{self.path}: {what} failed: {_one_line(str(err))}") from None

    def replace_graphs(self, graphs: dict[GraphName, list[Triple]], *, add: dict[GraphName, list[Triple]]
                       | None = None) -> None:
        """Replace each graph in ``graphs`` wholly, and add ``add`` to theirs, in one transaction."""
        ops = [f"DROP SILENT {_sparql_graph(g)}" for g in graphs]
        data = _insert_data(_merge(graphs, add or {}))
        self._apply(" ;\n".join([*ops, data] if data else ops), "replacing graphs")

    def replace_article_batch(self, graph: NamedNode | None, quads: Sequence[Quad]) -> None:
        """What ``kg build --store`` writes per article, atomically.

        With ``graph``: replace that article graph wholly with its quads and add
        the rest (shared actor facts, quarantined nodes) to their graphs. With
        ``None`` (the closing batch): replace every graph the quads name
        (vocabulary, provenance).
        """
        grouped: dict[GraphName, list[Triple]] = {}
        for q in quads:
            g = q.graph_name
            if isinstance(g, BlankNode):
                raise StoreError(f"{self.path}: quads in blank-node graph {g} cannot be stored")
            grouped.setdefault(g, []).append(q.triple)
        if graph is None:
            self.replace_graphs(grouped)
            self.optimize()
            if self._journal is not None:
                self._journal.finish()
                self._journal = None
            return
        own: dict[GraphName, list[Triple]] = {graph: grouped.pop(graph, [])}
        self.replace_graphs(own, add=grouped)
        if self._journal is not None:
            self._journal.complete([graph.value])

    def load(self, path: Path) -> LoadReport:
        """Load a graph file, each of its graphs replacing what the store held under that name.

        The file is read as a stream, in batches of about
        :data:`BATCH_TRIPLES` triples, so memory does not grow with the file.
        Graphs the store already has are swapped one transaction each (or
        left alone when they hold exactly the file's triples already). Named
        graphs it does not have yet go in through pyoxigraph's bulk loader,
        about three times faster on disk, and so does the rest of a graph that
        an earlier batch began. If the load is interrupted, a rerun finds the
        graphs present and replaces them whole. While it runs, a
        :class:`LoadJournal` in the store folder records it and the graphs it
        has completed (a first pass over the file finds where each graph ends,
        and checks the file before anything is stored); a successful load
        removes it.
        """
        from kg.view import PendingRefresh, StoreCorpus, base_of, orphaned, refresh_store, refresh_whole

        report = LoadReport(str(self.path))
        start = time.perf_counter()
        last = _last_positions(path)
        base = base_of(g for g in last if isinstance(g, NamedNode))
        view = PendingRefresh()
        whole = bool(unfinished_loads(self.path)) or not any(
            g.value.endswith("graph/corpus") for g in self.store.named_graphs() if isinstance(g, NamedNode))
        command = f"kg load {shlex.quote(str(path.resolve()))} --store {shlex.quote(str(self.path.resolve()))}"
        journal = LoadJournal(self.path, str(path.resolve()), command, total=len(last))
        read = 0
        begun: set[GraphName] = set()
        actors = NamedNode(str(IRIs(base).actors_graph)) if base is not None else None
        keep: list[Triple] = []  # the file's own statements of graph/actors, which stay whatever
        for graphs in _batches_or_say_what_is_in(graph_batches(path, BATCH_TRIPLES), report):
            bulk: list[GraphName] = []
            for g, triples in graphs.items():
                if _is_view(g):  # derived from the article graphs: made for the store once they are in
                    report.triples += len(triples)
                    if g not in begun:
                        begun.add(g)
                        report.graphs.append(_graph_label(g))
                    continue
                held = g not in begun and not (isinstance(g, NamedNode) and not self.store.contains_named_graph(g))
                same = held and not is_shared_graph(g) and self._holds(g, triples)
                if isinstance(g, NamedNode) and "/graph/article/" in g.value and not same:  # the view follows
                    if held:
                        view.before(self.store, [g], base, replacing=True, view=not whole)
                    view.after([g])
                if g == actors:
                    keep.extend(triples)
                if not held:
                    bulk.append(g)  # new to the store, or the rest of a graph this load began
                elif is_shared_graph(g):
                    self.replace_graphs({}, add={g: triples})  # other articles' statements stay
                    log.info("added %d triples to %s in %s", len(triples), _graph_label(g), self.path)
                elif same:  # left alone, and the view of its nodes with it
                    log.info("%s in %s is unchanged", _graph_label(g), self.path)
                    report.unchanged += "/graph/article/" in _graph_label(g)
                else:
                    self.replace_graphs({g: triples})
                    log.info("replaced %s in %s (%d triples)", _graph_label(g), self.path, len(triples))
                if g not in begun:
                    begun.add(g)
                    report.graphs.append(_graph_label(g))
                report.triples += len(triples)
            if bulk:
                try:
                    self.store.bulk_extend(Quad(t.subject, t.predicate, t.object, g) for g in bulk for t in graphs[g])
                except OSError as err:
                    raise StoreError(f"{self.path}: loading new graphs failed: {_one_line(str(err))}") from None
                log.info("bulk-loaded %d graphs into %s", len(bulk), self.path)
            read += sum(len(ts) for ts in graphs.values())
            journal.complete(_graph_label(g) for g in graphs if last.get(g, -1) < read)
        if base is not None and actors is not None:
            gone = orphaned(StoreCorpus(self.store, base), view.replaced, keep)
            for t in gone:
                self.store.remove(Quad(t.subject, t.predicate, t.object, actors))
            if gone:
                log.info("removed %d statements of %s that no article names any more", len(gone), actors.value)
            if whole:
                refresh_whole(self.store, base)
            else:
                refresh_store(self.store, view, base)
        self.optimize()
        journal.finish()
        report.seconds = time.perf_counter() - start
        return report

    def _holds(self, g: GraphName, triples: list[Triple]) -> bool:
        """Whether the store's graph ``g`` is exactly ``triples`` already (then a reload can skip it).

        Compared as the store keeps terms (Oxigraph turns e.g. xsd:nonNegativeInteger into
        xsd:integer), by a round trip through an in-memory store. Blank nodes never compare equal,
        so graphs with them are always replaced.
        """
        current = {q.triple for q in self.store.quads_for_pattern(None, None, None, g)}
        if len(current) != len(set(triples)):
            return False
        probe = Store()
        probe.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
        return {q.triple for q in probe} == current

    def retract(self, graph: str) -> RetractReport:
        """Remove one named graph (an article's) and nothing else."""
        node = NamedNode(graph)
        if not self.store.contains_named_graph(node):
            return RetractReport(str(self.path), graph, removed=False)
        from kg.view import PendingRefresh, base_of, refresh_store

        n = sum(1 for _ in self.store.quads_for_pattern(None, None, None, node))
        base = base_of([node])
        view = PendingRefresh()
        if base is not None:
            view.before(self.store, [node], base)
        self._apply(f"DROP SILENT GRAPH <{graph}>", f"removing <{graph}>")
        if base is not None:
            refresh_store(self.store, view, base)
        self.store.flush()
        return RetractReport(str(self.path), graph, removed=True, triples=n)

    def count(self) -> int:
        """Number of quads in the store (all graphs)."""
        return len(self.store)

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store, sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, NamedNode))


def _is_view(g: GraphName) -> bool:
    return isinstance(g, NamedNode) and g.value.endswith("graph/corpus")


def _merge(a: dict[GraphName, list[Triple]], b: dict[GraphName, list[Triple]]) -> dict[GraphName, list[Triple]]:
    out = {g: list(ts) for g, ts in b.items()}
    for g, ts in a.items():
        out.setdefault(g, []).extend(ts)
    return out


def _sparql_graph(g: GraphName) -> str:
    return "DEFAULT" if isinstance(g, DefaultGraph) else f"GRAPH <{g.value}>"


def _insert_data(graphs: dict[GraphName, list[Triple]]) -> str:
    # One INSERT DATA for everything, so a blank node shared by two graphs stays one node.
    parts = []
    for g, triples in graphs.items():
        if not triples:
            continue
        body = _ntriples(triples).decode("utf-8")
        parts.append(body if isinstance(g, DefaultGraph) else f"GRAPH <{g.value}> {{\n{body}}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""


# --------------------------------------------------------------------------- URLs and credentials


def redact(url: str) -> str:
    """``url`` without user name and password (for messages and logs)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _one_line(text: str, limit: int = 240) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass
class Credentials:
    """Who to be at the endpoint; the password is never part of any message."""

    user: str
    password: str
    scheme: str = "basic"

    def auth(self) -> requests.auth.AuthBase:
        """The requests auth object for the scheme."""
        if self.scheme == "digest":
            return requests.auth.HTTPDigestAuth(self.user, self.password)
        return requests.auth.HTTPBasicAuth(self.user, self.password)


def credentials(
    url: str, user: str | None, password_env: str | None, auth: str = "basic"
) -> tuple[str, Credentials | None]:
    """The URL without userinfo, and the credentials from the URL, ``--password-env`` or ~/.netrc.

    Raises :class:`kg.errors.UsageError` when a named variable is unset, or a
    user is given with no password anywhere.
    """
    if auth not in ("basic", "digest"):
        raise UsageError(f"unknown auth {auth!r}; choose basic or digest")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{redact(url)!r} is not an http(s) URL")
    clean = redact(url)
    password: str | None = None
    if parts.username is not None:
        user = user or unquote(parts.username)
        password = unquote(parts.password) if parts.password is not None else None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise UsageError(f"environment variable {password_env} (named by --password-env) is not set")
        if not user:
            raise UsageError("--password-env needs --user")
    if password is None:
        found = requests.utils.get_netrc_auth(clean)
        if found and (not user or found[0] == user):
            user, password = found
    if user and password is None:
        raise UsageError(f"no password for user {user!r}: name a variable holding it with --password-env, "
                         f"or add {parts.hostname} to ~/.netrc")
    return clean, (Credentials(user, password, auth) if user and password is not None else None)


def _with_query(url: str, query: str) -> str:
    parts = urlsplit(url)
    q = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, q, ""))


def _graph_query(g: GraphName) -> str:
    return "default" if isinstance(g, DefaultGraph) else "graph=" + quote(g.value, safe="")


_TAGS = re.compile(r"<[^>]+>")


def server_message(response: requests.Response) -> str:
    """The server's own explanation of an error: its first meaningful line, trimmed."""
    text = response.text[:20000] if response.content else ""
    if "html" in response.headers.get("Content-Type", "") or text.lstrip()[:1] == "<":
        # Virtuoso puts the explanation in <xmp> or <pre>; elsewhere the <title> says most.
        m = re.search(r"<(xmp|pre)[^>]*>(.*?)</\1>", text, re.S | re.I) or re.search(
            r"<(title)[^>]*>(.*?)</\1>", text, re.S | re.I
        )
        text = unescape(_TAGS.sub(" ", m.group(2) if m else text))
    for line in text.splitlines():
        if line.strip():
            return _one_line(line, 200)
    return ""


def _refused(err: BaseException) -> bool:
    seen: BaseException | None = err
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        nxt = seen.__cause__ or seen.__context__
        if nxt is None and seen.args and isinstance(seen.args[0], BaseException):
            nxt = seen.args[0]
        seen = nxt
    return False


# --------------------------------------------------------------------------- Graph Store client


class GraphStoreClient:
    """A SPARQL 1.1 Graph Store HTTP Protocol endpoint, one named graph per request.

    ``update``: a SPARQL 1.1 Update endpoint on the same store; when given,
    each graph is put under a temporary name and moved into place, so a
    failed upload never leaves a half-replaced graph. Transient failures
    (connection errors, timeouts, 502/503/504) are retried ``retries`` times
    with exponential backoff starting at ``backoff`` seconds; nothing else is.
    """

    def __init__(
        self,
        gsp: str,
        *,
        creds: Credentials | None = None,
        update: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        verify: bool | str = True,
    ) -> None:
        self.gsp = redact(gsp)
        self.update_url = redact(update) if update else None
        self.creds = creds
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.session = requests.Session()
        self.session.verify = verify
        self.session.headers["User-Agent"] = "newskg"
        if creds:
            self.session.auth = creds.auth()
        self.server: str | None = None  # the Server header, once seen

    def close(self) -> None:
        """Close the HTTP connections."""
        self.session.close()

    def _scrub(self, text: str) -> str:
        if self.creds and self.creds.password:
            text = text.replace(self.creds.password, "***")
        return text

    def _send(self, method: str, url: str, what: str, check: bool = True, **kw: Any) -> requests.Response:
        """One request with retries; every network failure becomes a StoreError here, and only here."""
        attempt = 0
        while True:
            try:
                r = self.session.request(method, url, timeout=(min(10.0, self.timeout), self.timeout), **kw)
            except requests.exceptions.SSLError as err:
                raise StoreError(self._scrub(f"{redact(url)}: TLS failed ({_tls_reason(err)}) while {what}")) from None
            except requests.Timeout:
                reason = f"no answer within {self.timeout:g} s"
            except requests.ConnectionError as err:
                reason = "connection refused" if _refused(err) else "connection lost (the server closed it)"
            else:
                self.server = r.headers.get("Server", self.server)
                if r.status_code not in TRANSIENT_STATUS:
                    if check:
                        self._check(r, url, what)
                    return r
                reason = f"HTTP {r.status_code} {r.reason}" + (f": {server_message(r)}" if server_message(r) else "")
            if attempt >= self.retries:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                raise StoreError(self._scrub(f"{self.gsp if url.startswith(self.gsp) else redact(url)}: "
                                             f"{reason}{tries} while {what}"))
            delay = self.backoff * 2**attempt
            log.warning("%s: %s while %s; retrying in %.1f s", redact(url), reason, what, delay)
            time.sleep(delay)
            attempt += 1

    def _check(self, r: requests.Response, url: str, what: str) -> None:
        if r.status_code < 400 or (r.status_code == 404 and r.request.method in ("DELETE", "HEAD")):
            return
        where = self.gsp if url.startswith(self.gsp) else redact(url).split("?")[0]
        msg = server_message(r)
        if r.status_code in (401, 403):
            asks = (r.headers.get("WWW-Authenticate") or self._challenge(url)).split(" ", 1)[0].lower()
            if self.creds is None:
                hint = "the server wants credentials: give --user and --password-env"
            else:
                hint = f"user {self.creds.user!r} was refused: check the password"
            if asks in ("basic", "digest") and (self.creds is None or asks != self.creds.scheme):
                hint += f" and use --auth {asks} (the server asks for {asks.capitalize()})"
            raise StoreError(self._scrub(f"{where}: HTTP {r.status_code} {r.reason} while {what}; {hint}"))
        if r.status_code in (404, 405) and "graph" in url:
            msg = (msg + "; " if msg else "") + (
                "is this a Graph Store endpoint? (Oxigraph /store, Fuseki /DATASET/data, "
                "Virtuoso /sparql-graph-crud-auth)"
            )
        detail = f": {msg}" if msg else ""
        raise StoreError(self._scrub(f"{where}: HTTP {r.status_code} {r.reason} while {what}{detail}"))

    def _challenge(self, url: str) -> str:
        """The server's WWW-Authenticate challenge to a request without credentials (some, like
        Virtuoso, answer wrong Basic credentials with a bare 401 that does not say it wants Digest)."""
        try:
            r = self.session.request("HEAD", url, auth=lambda req: req, timeout=(min(10.0, self.timeout), self.timeout))
        except requests.RequestException:
            return ""
        return r.headers.get("WWW-Authenticate", "")

    def is_virtuoso(self) -> bool:
        """Whether the server says it is Virtuoso (its Graph Store has no ``?default``)."""
        if self.server is None:
            # A harmless request for a graph that does not exist, only to learn the server's name.
            self._send("HEAD", _with_query(self.gsp, "graph=" + quote(TEMP_PREFIX + "probe", safe="")),
                       "asking which server this is", check=False)  # any answer names the server
        return (self.server or "").lower().startswith("virtuoso")

    def put(self, graph: GraphName, data: bytes, content_type: str = CONTENT_TYPE) -> None:
        """Replace one graph with ``data`` by a single ``PUT ?graph=`` (or ``?default``)."""
        label = _graph_label(graph)
        self._send("PUT", _with_query(self.gsp, _graph_query(graph)), f"loading {label}",
                   data=data, headers={"Content-Type": content_type})

    def append(self, graph: GraphName, data: bytes, content_type: str = CONTENT_TYPE) -> None:
        """Add ``data`` to one graph by a ``POST ?graph=`` (the Graph Store's merge)."""
        self._send("POST", _with_query(self.gsp, _graph_query(graph)), f"adding to {_graph_label(graph)}",
                   data=data, headers={"Content-Type": content_type})

    def delete(self, graph: GraphName) -> bool:
        """Remove one graph; False when the server did not have it (404)."""
        r = self._send("DELETE", _with_query(self.gsp, _graph_query(graph)), f"removing {_graph_label(graph)}")
        return r.status_code != 404

    def run_update(self, sparql: str, what: str) -> None:
        """POST a SPARQL update (form ``update=``) to the update endpoint."""
        if not self.update_url:
            raise UsageError("this needs an update endpoint (--update URL)")
        self._send("POST", self.update_url, what, data={"update": sparql})

    def replace(self, graph: GraphName, data: bytes) -> None:
        """Replace one graph: a direct PUT, or, with an update endpoint, a PUT to a temporary graph and a MOVE.

        The put-and-move pair is retried as a whole on transient errors, so a
        MOVE whose answer was lost is never replayed on its own.
        """
        if not self.update_url:
            self.put(graph, data)
            return
        key = "default" if isinstance(graph, DefaultGraph) else graph.value
        temp = NamedNode(TEMP_PREFIX + digest(key)[:32])
        target = "DEFAULT" if isinstance(graph, DefaultGraph) else f"<{graph.value}>"
        try:
            self.put(temp, data)
            self.run_update(f"MOVE SILENT <{temp.value}> TO {target}", f"moving the upload into {_graph_label(graph)}")
        except StoreError:
            self._drop_quietly(temp)  # a failed PUT may have left part of the upload there
            raise

    def _drop_quietly(self, graph: NamedNode) -> None:
        try:
            self.delete(graph)
        except StoreError as err:
            log.warning("could not remove the temporary graph <%s>: %s", graph.value, err)

    def load(self, graphs: Iterable[tuple[GraphName, list[Triple]]], order: Sequence[GraphName]) -> LoadReport:
        """Replace each graph on the server; raise :class:`PartialLoadError` naming what made it if one fails.

        ``graphs`` come as (graph, triples) pairs, named graphs first and the
        default graph last, as :func:`complete_graphs` gives them; ``order``
        names them all in that order, so that a failure can say which are
        still to come.
        """
        report = LoadReport(self.gsp)
        start = time.perf_counter()
        labels = [_graph_label(g) for g in order]
        for i, (g, triples) in enumerate(graphs):
            if isinstance(g, DefaultGraph) and self._no_default(labels[:i]):
                report.skipped.append(f"the default graph ({len(triples)} triples): this server's Graph Store "
                                      "has no default graph (Virtuoso); put them in a named graph")
                log.warning("%s: %s", self.gsp, report.skipped[-1])
                continue
            try:
                if is_shared_graph(g):
                    self.append(g, _ntriples(triples))  # other articles' statements stay
                else:
                    self.replace(g, _ntriples(triples))
            except StoreError as err:
                if not report.graphs:  # nothing made it: the plain error says all
                    raise
                raise PartialLoadError(str(err), report.graphs, labels[i:]) from None
            report.graphs.append(labels[i])
            report.triples += len(triples)
            log.info("%s: replaced %s (%d triples)", self.gsp, labels[i], len(triples))
        report.seconds = time.perf_counter() - start
        return report

    def _no_default(self, done: list[str]) -> bool:
        try:
            return self.is_virtuoso()
        except StoreError as err:
            if done:
                raise PartialLoadError(str(err), done, ["default graph"]) from None
            raise


def _tls_reason(err: BaseException) -> str:
    text = str(err)
    m = re.search(r"certificate verify failed: ([^(\"')]+)", text)
    return ("certificate verify failed: " + m.group(1).strip()) if m else _one_line(text, 120)


# --------------------------------------------------------------------------- the two entry points


def _target(gsp: str | None, store: str | Path | None) -> None:
    if (gsp is None) == (store is None):
        raise UsageError("give exactly one of --gsp URL or --store DIR")


def load_graph(
    graph: str | Path,
    *,
    gsp: str | None = None,
    store: str | Path | None = None,
    user: str | None = None,
    password_env: str | None = None,
    auth: str = "basic",
    update: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 0.5,
    verify: bool | str = True,
    base: str | None = None,
    endpoint: str | None = None,
) -> LoadReport:
    """Load the graph file ``graph`` into an embedded store or a Graph Store endpoint.

    Every graph in the file replaces what the target held under that name;
    rerunning after a failure completes the load. Raises
    :class:`kg.errors.InputError` for an unreadable file,
    :class:`kg.errors.UsageError` for bad options, :class:`PartialLoadError`
    when some graphs made it and others did not, and
    :class:`kg.errors.StoreError` for other store failures. ``base`` is
    accepted for symmetry with :func:`retract_article` and not needed here.

    Into an endpoint the load does what it does into an embedded store (see
    :mod:`kg.endpoint`): unchanged article graphs are not sent, the corpus
    view is brought up to date and a replaced article's shared facts that no
    article names any more are removed. That reads the endpoint through its
    SPARQL query service, ``endpoint``, which is derived from ``gsp`` when
    not given (:func:`kg.endpoint.query_url_for`); a file without article
    graphs needs none.
    """
    _target(gsp, store)
    path = Path(graph)
    if store is not None:
        from kg.incremental import note_loaded

        with EmbeddedStore(store) as target:
            report = target.load(path)
            note_loaded(target, report.graphs)
            return report
    assert gsp is not None
    url, creds = credentials(gsp, user, password_env, auth)
    if update:
        update, _ = credentials(update, None, None, auth)
    from kg.endpoint import EndpointSync, query_url_for, survey_file
    from kg.view import base_of

    first = survey_file(path)
    query = credentials(endpoint, None, None, auth)[0] if endpoint else query_url_for(url)
    if query is None and first.articles:
        raise UsageError(f"cannot tell the SPARQL query endpoint of {url}: give it with --endpoint URL "
                         "(a load reads the endpoint to keep its corpus view and shared graphs exact)")
    client = GraphStoreClient(url, creds=creds, update=update, timeout=timeout, retries=retries,
                              backoff=backoff, verify=verify)
    try:
        if query is None:  # no article graphs: nothing to keep exact, graphs go up as they are
            return client.load(graphs_as_they_end(path, first.last), graph_order(first.last))
        found = base_of(g for g in first.order if isinstance(g, NamedNode))
        return EndpointSync(client, query, found or base).load(path, first)
    finally:
        client.close()


def article_graph_iri(article_id: str, base: str | None = None) -> str:
    """The named graph of an article; an article graph IRI given in full is taken as it is."""
    if re.match(r"^https?://", article_id):
        return article_id
    return str(IRIs(base or DEFAULT_BASE).article_graph(article_id))


def retract_article(
    article_id: str,
    *,
    gsp: str | None = None,
    store: str | Path | None = None,
    user: str | None = None,
    password_env: str | None = None,
    auth: str = "basic",
    update: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 0.5,
    verify: bool | str = True,
    base: str | None = None,
    endpoint: str | None = None,
) -> RetractReport:
    """Remove what one article contributed: its named graph, and nothing else.

    Shared actor facts (``<base>graph/actors``) stay, since other articles
    may state them too. A graph that is already gone is not an error. The
    corpus view is brought up to date, in an embedded store as on an
    endpoint (read through ``endpoint``, derived from ``gsp`` when not given;
    with ``update`` the view's changed statements go as one SPARQL update).
    """
    _target(gsp, store)
    try:
        iri = article_graph_iri(article_id, base)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if store is not None:
        with EmbeddedStore(store) as target:
            return target.retract(iri)
    assert gsp is not None
    from kg.endpoint import EndpointSync, query_url_for
    from kg.view import base_of

    url, creds = credentials(gsp, user, password_env, auth)
    if update:
        update, _ = credentials(update, None, None, auth)
    query = credentials(endpoint, None, None, auth)[0] if endpoint else query_url_for(url)
    if query is None:
        raise UsageError(f"cannot tell the SPARQL query endpoint of {url}: give it with --endpoint URL "
                         "(a retraction reads the endpoint to keep its corpus view exact)")
    client = GraphStoreClient(url, creds=creds, update=update, timeout=timeout, retries=retries, backoff=backoff,
                              verify=verify)
    try:
        return EndpointSync(client, query, base or base_of([NamedNode(iri)])).retract(iri)
    finally:
        client.close()
