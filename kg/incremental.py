"""Incremental builds into the embedded store: add new articles, replace changed ones, leave the rest.

An index beside the store's files (``DIR/newskg-index.sqlite``) remembers,
for every article graph, the article's id and content hash and the exact
statements it contributed to the graphs articles share (``graph/actors``,
``graph/quarantine``) and the finer event kinds it named. A build then:

1. skips an article whose graph the store holds with the same content hash
   (when nothing else needs it built, before it is even extracted);
2. replaces a new or changed article's graph and adds its shared statements,
   in one store transaction, then records it in the index (one SQLite
   transaction); a shared statement the old version made and the new one
   does not is noted as *dirty*;
3. at the end removes the dirty statements no article still makes, rewrites
   the vocabulary graph if the kinds seen changed, and adds one
   ``prov:Activity`` to ``graph/provenance`` naming the articles this run
   added or replaced (a run that changed nothing records nothing).

So the store after any sequence of builds holds what a build of its articles
from scratch would hold, the provenance graph aside (which names each run).
A run killed at any point leaves every article graph old or new (step 2 is
one transaction); the index is written after the store, so a rerun sees an
article written but not recorded as changed and writes it again, and the
dirty statements and pending provenance of step 3 are kept in the index
until step 3 is done, so a rerun completes it.

A store built before the index existed, or filled by ``kg load``, has
article graphs the index does not know: their ids and hashes are read from
the graphs themselves, and their shared statements are unknown, so they are
never removed on their account (a shared statement may stay after the
article that made it changed).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Triple

from kg.errors import StoreError
from kg.model import Article
from kg.rdf import Mapper, parse_lines
from kg.read import Problem
from kg.store import EmbeddedStore, GraphName, _ntriples, unfinished_loads
from kg.view import PendingRefresh, corpus_graph, refresh_store, refresh_whole
from kg.vocab import IRIs

log = logging.getLogger(__name__)

INDEX_NAME = "newskg-index.sqlite"
#: Compact the store's files after a run that wrote at least this share of its articles (a big load leaves many
#: small files; compacting 1,000 articles costs seconds, which a run adding ten should not pay).
OPTIMIZE_SHARE = 0.1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    graph TEXT PRIMARY KEY, id TEXT NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL,
    lines_known INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lines (graph TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (graph, line));
CREATE INDEX IF NOT EXISTS lines_by_line ON lines (line);
CREATE TABLE IF NOT EXISTS kinds (graph TEXT NOT NULL, kind TEXT NOT NULL, top TEXT NOT NULL,
    PRIMARY KEY (graph, kind, top));
CREATE TABLE IF NOT EXISTS dirty (line TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS pending (graph TEXT PRIMARY KEY, id TEXT NOT NULL, sha256 TEXT NOT NULL);
"""


class StoreIndex:
    """The SQLite index of what each article put into the store (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / INDEX_NAME
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            # A write-ahead log, synced at checkpoints: a commit per article costs no fsync, and a killed
            # process loses nothing committed (only a machine crash could lose the last few, which a rerun redoes).
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open the store's index: {err}") from None

    def close(self) -> None:
        """Close the database file."""
        self.db.close()

    def hashes(self) -> dict[str, str]:
        """Content hash of every article graph the index knows, by graph IRI."""
        return dict(self.db.execute("SELECT graph, sha256 FROM articles"))

    def record(self, graph: str, article_id: str, sha: str, source: str, lines: Sequence[str],
               kinds: Iterable[tuple[str, str]]) -> None:
        """Note that ``graph`` now holds this version of the article: one transaction."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            new = set(lines)
            old = {line for (line,) in db.execute("SELECT line FROM lines WHERE graph = ?", (graph,))}
            db.executemany("INSERT OR IGNORE INTO dirty (line) VALUES (?)", ((x,) for x in old - new))
            db.execute("DELETE FROM lines WHERE graph = ?", (graph,))
            db.executemany("INSERT INTO lines (graph, line) VALUES (?, ?)", ((graph, x) for x in sorted(new)))
            db.execute("DELETE FROM kinds WHERE graph = ?", (graph,))
            db.executemany("INSERT OR IGNORE INTO kinds (graph, kind, top) VALUES (?, ?, ?)",
                           ((graph, k, t) for k, t in kinds))
            db.execute("INSERT OR REPLACE INTO articles (graph, id, sha256, source, lines_known) "
                       "VALUES (?, ?, ?, ?, 1)", (graph, article_id, sha, source))
            db.execute("INSERT OR REPLACE INTO pending (graph, id, sha256) VALUES (?, ?, ?)", (graph, article_id, sha))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def adopt(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Note article graphs found in the store whose shared statements are unknown: (graph, id, sha)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        n = 0
        for graph, article_id, sha in rows:
            db.execute("INSERT OR REPLACE INTO articles (graph, id, sha256, source, lines_known) "
                       "VALUES (?, ?, ?, ?, 0)", (graph, article_id, sha, "(found in the store)"))
            n += 1
        db.execute("COMMIT")
        return n

    def forget(self, graphs: Iterable[str]) -> None:
        """Drop article graphs the store no longer has (retracted): their statements become dirty."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        for g in graphs:
            db.execute("INSERT OR IGNORE INTO dirty (line) SELECT line FROM lines WHERE graph = ?", (g,))
            for table in ("lines", "kinds", "articles", "pending"):
                db.execute(f"DELETE FROM {table} WHERE graph = ?", (g,))
        db.execute("COMMIT")

    def kinds(self) -> set[tuple[str, str]]:
        """Every (kind, PLOVER type) some article in the store names."""
        return set(self.db.execute("SELECT DISTINCT kind, top FROM kinds"))

    def unclaimed(self) -> list[str]:
        """Dirty statements that no article makes any more."""
        return [line for (line,) in self.db.execute(
            "SELECT line FROM dirty WHERE NOT EXISTS (SELECT 1 FROM lines WHERE lines.line = dirty.line) "
            "ORDER BY line")]

    def pending(self) -> list[tuple[str, str]]:
        """(id, sha256) of the articles written since provenance was last recorded, in id order."""
        return list(self.db.execute("SELECT id, sha256 FROM pending ORDER BY id"))

    def has_work(self) -> bool:
        """Whether an earlier run left dirty statements or unrecorded provenance behind."""
        return any(self.db.execute("SELECT 1 FROM dirty UNION ALL SELECT 1 FROM pending LIMIT 1"))

    def finished(self) -> None:
        """Step 3 is done: forget the dirty statements and the pending provenance."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM dirty")
        self.db.execute("DELETE FROM pending")
        self.db.execute("COMMIT")

    def all_known(self) -> bool:
        """Whether the index knows the shared statements and kinds of every article (none was adopted)."""
        return not any(self.db.execute("SELECT 1 FROM articles WHERE lines_known = 0 LIMIT 1"))

    def count(self) -> int:
        """Number of article graphs the index knows."""
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


@dataclass
class UpdateSummary:
    """What an incremental run did to the store."""

    added: list[str]
    replaced: list[str]
    unchanged: int
    removed_statements: int
    vocabulary_rewritten: bool

    def __str__(self) -> str:
        return (f"{len(self.added)} added, {len(self.replaced)} replaced, {self.unchanged} unchanged"
                + (f"; {self.removed_statements} shared statements no article makes any more removed"
                   if self.removed_statements else ""))


def _by_graph(quads: Iterable[Quad]) -> dict[GraphName, list[Triple]]:
    out: dict[GraphName, list[Triple]] = {}
    for q in quads:
        out.setdefault(q.graph_name, []).append(q.triple)  # type: ignore[arg-type]
    return out


_ARTICLE_HASHES = """
PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?id ?sha WHERE {
  GRAPH ?g { ?a a schema:NewsArticle ; dcterms:identifier ?id . OPTIONAL { ?a schema:sha256 ?sha } }
}
"""


def _article_hashes(target: EmbeddedStore, graphs: set[str]) -> list[tuple[str, str, str]]:
    """(graph, article id, content hash) of each of ``graphs`` as the store holds it."""
    rows = []
    for row in target.store.query(_ARTICLE_HASHES):  # type: ignore[union-attr]
        g = row["g"].value
        if g in graphs:
            rows.append((g, row["id"].value, row["sha"].value if row["sha"] is not None else ""))
    return rows


def note_loaded(target: EmbeddedStore, graphs: Iterable[str]) -> None:
    """After ``kg load``: the index learns the loaded article graphs' ids and hashes (if the store has an index).

    What a loaded article added to the shared graphs is not known (a file
    does not say), so the statements the index had for it stay claimed.
    """
    if not (target.path / INDEX_NAME).exists():
        return
    loaded = {g for g in graphs if "/graph/article/" in g}
    if not loaded:
        return
    index = StoreIndex(target.path)
    try:
        index.adopt(_article_hashes(target, loaded))
    finally:
        index.close()


class StoreUpdate:
    """One incremental run into an embedded store: :meth:`write` each built article, then :meth:`finish`.

    Holds the store open (one writer at a time) until :meth:`close`.
    """

    def __init__(self, folder: str | Path, base: str | None = None) -> None:
        self.folder = Path(folder)
        self.iris = IRIs(base) if base else IRIs()
        self.mapper = Mapper(self.iris)
        self.target = EmbeddedStore(self.folder)
        self.index = StoreIndex(self.folder)
        self.added: list[str] = []
        self.replaced: list[str] = []
        self.unchanged = 0
        self._prefix = f"{self.iris.base}graph/article/"
        self._reconcile()
        self.known = self.index.hashes()
        self.view = PendingRefresh()
        # A run killed before its end left the view behind the article graphs: this one derives it anew.
        self._whole_view = bool(unfinished_loads(self.folder)) or not self.target.store.contains_named_graph(
            corpus_graph(self.iris.base))
        self.target.begin_build()  # a journal in the store folder until finish(): a killed run is reported

    def _reconcile(self) -> None:
        """Bring the index in line with the store: article graphs it lacks adopted, ones gone forgotten."""
        in_store = {g.value for g in self.target.store.named_graphs()
                    if isinstance(g, NamedNode) and g.value.startswith(self._prefix)}
        known = self.index.hashes()
        gone = [g for g in known if g not in in_store]
        if gone:
            log.info("%s: %d article graphs the index knows are gone from the store", self.folder, len(gone))
            self.index.forget(gone)
        missing = in_store - set(known)
        if not missing:
            return
        n = self.index.adopt(_article_hashes(self.target, missing))
        log.info("%s: %d article graphs found in the store without an index entry; their shared statements "
                 "are kept as they are", self.folder, n)

    def __enter__(self) -> StoreUpdate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store and the index."""
        self.index.close()
        self.target.close()

    def graph_of(self, article_id: str) -> str:
        """The article graph IRI of an article id."""
        return str(self.iris.article_graph(article_id))

    def is_current(self, article: Article) -> bool:
        """Whether the store holds this very version of ``article`` already."""
        return bool(article.sha256) and self.known.get(self.graph_of(article.id)) == article.sha256

    def new_or_changed(
        self, items: Iterable[Article | Problem], on_unchanged: Callable[[Article], None] | None = None
    ) -> Iterator[Article | Problem]:
        """``items`` without the articles the store holds already (each passed to ``on_unchanged``)."""
        for item in items:
            if isinstance(item, Article) and self.is_current(item):
                self.unchanged += 1
                if on_unchanged:
                    on_unchanged(item)
                continue
            yield item

    def write(self, article_id: str, sha: str, graph: str, own: Sequence[str], common: Sequence[str],
              kinds: Iterable[tuple[str, str]], source: str = "") -> str:
        """Put one built article into the store unless it is there already: 'added', 'replaced' or 'unchanged'.

        ``own`` are the N-Quads lines (without " .") of its graph, ``common``
        those of the shared graphs.
        """
        before = self.known.get(graph)
        if sha and before == sha:
            self.unchanged += 1
            return "unchanged"
        quads = parse_lines([*own, *common])
        node = NamedNode(graph)
        if not self._whole_view:
            self.view.before(self.target.store, [node], self.iris.base)
        if before is None and not self.target.store.contains_named_graph(node):
            # A new graph: one transaction that adds its quads, without a SPARQL update to parse (~6x faster).
            try:
                self.target.store.extend(quads)
            except OSError as err:
                raise StoreError(f"{self.folder}: adding <{graph}> failed: {err}") from None
        else:
            grouped = _by_graph(quads)
            mine = {node: grouped.pop(node, [])}
            self.target.replace_graphs(mine, add=grouped)  # type: ignore[arg-type]
        self.view.after([node])
        self.index.record(graph, article_id, sha, source, common, kinds)
        self.target.note_built(graph)
        self.known[graph] = sha
        (self.added if before is None else self.replaced).append(article_id)
        return "added" if before is None else "replaced"

    def finish(self) -> UpdateSummary:
        """Step 3: remove what no article makes any more, rewrite the vocabulary if needed, record provenance."""
        store = self.target
        unclaimed = self.index.unclaimed()
        if unclaimed:
            grouped = _by_graph(parse_lines(unclaimed))
            body = " ".join(
                f"GRAPH <{g.value}> {{ {_ntriples(ts).decode('utf-8')} }}" for g, ts in grouped.items()
                if isinstance(g, NamedNode))
            store._apply(f"DELETE DATA {{ {body} }}", "removing statements no article makes any more")
            log.info("%s: removed %d shared statements no article makes any more", self.folder, len(unclaimed))
        vocab = NamedNode(str(self.iris.vocabulary_graph))
        expected = [q.triple for q in self.mapper.vocabulary_quads() + self.mapper.kind_quads(self.index.kinds())]
        if not self.index.all_known():  # an adopted article's kinds are unknown: the vocabulary only grows
            expected += [q.triple for q in store.store.quads_for_pattern(None, None, None, vocab)]
        rewrite = not store._holds(vocab, expected)
        if rewrite:
            store.replace_graphs({vocab: expected})
        if self._whole_view:
            refresh_whole(store.store, self.iris.base)
        elif self.view.graphs:
            refresh_store(store.store, self.view, self.iris.base)
        pending = self.index.pending()
        if pending:
            run = self.mapper.run_quads(pending)
            store.replace_graphs({}, add=_by_graph(run))
        self.index.finished()
        self.target.end_build()
        written = len(self.added) + len(self.replaced)
        total = max(1, self.index.count())
        if written and written >= OPTIMIZE_SHARE * total:
            store.optimize()
        elif written or unclaimed or rewrite:
            store.store.flush()
        return UpdateSummary(self.added, self.replaced, self.unchanged, len(unclaimed), rewrite)
