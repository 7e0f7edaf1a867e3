"""The build: read -> extract -> map -> validate -> write, one article at a time.

Bad articles are reported and skipped, never fatal to the rest (unless
``strict``); nodes that fail validation go to a quarantine graph rather than
being dropped silently.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pyoxigraph import NamedNode, Quad

from kg.cache import ExtractionCache
from kg.errors import InputError
from kg.extract import extract
from kg.extract.nlp import ModelMissing
from kg.model import Article, Extraction
from kg.rdf import ArticleQuads, Mapper
from kg.read import FetchLimits, Problem, read_inputs
from kg.view import SENTENCE, ArticleView, MemoryCorpus, corpus_graph
from kg.vocab import DEFAULT_BASE, IRIs
from kg.write import GraphWriter, format_for

if TYPE_CHECKING:
    from kg.incremental import StoreUpdate

log = logging.getLogger(__name__)

# called as progress(source) for an article built, progress(source, "skipped") for an input skipped,
# progress(source, "unchanged") for an article a store holds already
Progress = Callable[..., None]


@dataclass
class BuildReport:
    """What a build did: articles built, inputs skipped, validation outcome."""

    articles: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # one line each, for people
    quarantined: list[str] = field(default_factory=list)  # focus node IRIs
    quads: int = 0
    output: str | None = None
    unchanged: int = 0  # articles a store held already, in this very version
    cached: int = 0  # extractions taken from the cache
    store_summary: str | None = None  # what an incremental run did to the store

    @property
    def skipped(self) -> list[Problem]:
        """Inputs that were not built."""
        return [p for p in self.problems if p.skipped]

    @property
    def ok(self) -> bool:
        """True when every input was built and the graph conforms."""
        return not self.skipped and not self.violations


def _extract_one(article: Article) -> Extraction | Problem:
    try:
        return extract(article)
    except ModelMissing:
        raise  # not this article's fault: no article can be read, so the run stops with the install command
    except RecursionError:
        return Problem(article.source, "article too deeply nested to extract")
    except Exception as err:  # one article's failure must not stop a thousand others
        log.exception("extraction failed on %s", article.source)
        return Problem(article.source, f"extraction failed: {type(err).__name__}: {err}")


def _extract_cached(article: Article, cache: ExtractionCache | None) -> Extraction | Problem:
    """The article's extraction from ``cache`` if there, else extracted (and then kept there)."""
    if cache is None:
        return _extract_one(article)
    found = cache.get(article)
    if found is not None:
        return found
    result = _extract_one(article)
    if isinstance(result, Extraction):
        cache.put(result)
    return result


def extractions(
    inputs: Iterable[str],
    workers: int = 1,
    strict: bool = False,
    cache: ExtractionCache | None = None,
    fetch: FetchLimits | None = None,
) -> Iterator[Extraction | Problem]:
    """Extractions of every input article in input order; problems in their place.

    With ``workers > 1`` extraction runs in a process pool; the order (and so
    the output) is the same whatever the number of workers. With ``cache``,
    an article extracted before by the same pipeline is taken from it.
    ``fetch`` bounds each URL fetch.
    """
    items = read_inputs(inputs, fetch)
    if workers <= 1:
        for item in items:
            if isinstance(item, Problem):
                if strict and item.skipped:
                    raise InputError(item.source, item.reason, item.line)
                yield item
            else:
                result = _extract_cached(item, cache)
                if strict and isinstance(result, Problem):
                    raise InputError(result.source, result.reason)
                yield result
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        for result in pool.imap(partial(_extract_or_pass, cache=cache), items, chunksize=8):
            if strict and isinstance(result, Problem) and result.skipped:
                raise InputError(result.source, result.reason, result.line)
            yield result


def _extract_or_pass(item: Article | Problem, cache: ExtractionCache | None = None) -> Extraction | Problem:
    return item if isinstance(item, Problem) else _extract_cached(item, cache)


class GraphBuilder:
    """Turns extractions into quads, keeping the shared graph free of repeats."""

    def __init__(self, base: str | None = None) -> None:
        self.mapper = Mapper(IRIs(base) if base else IRIs())
        self.view = CorpusView(self.mapper.iris)
        self._shared_seen: set[Quad] = set()
        self._kinds: set[tuple[str, str]] = set()
        self.inputs: list[tuple[str, str]] = []

    def article(self, found: Extraction) -> ArticleQuads:
        """The article's quads, with its not-yet-seen shared facts placed in the shared graph."""
        aq = self.mapper.article_quads(found)
        shared = []
        for q in aq.shared:
            if q not in self._shared_seen:
                self._shared_seen.add(q)
                shared.append(q)
        aq.shared = shared
        self.view.add_quads(aq.graph.value, aq.quads, aq.shared)
        self.inputs.append((found.article.id, found.article.sha256))
        events = list(found.events) + [a.proposition for a in found.allegations if a.proposition]
        self._kinds.update((e.kind, e.type) for e in events if e.kind)
        return aq

    def closing_quads(self) -> list[Quad]:
        """Vocabulary, kinds seen, the run's provenance and the corpus view: written once, at the end."""
        return (self.mapper.vocabulary_quads() + self.mapper.kind_quads(self._kinds)
                + self.mapper.run_quads(self.inputs) + self.view.quads())


Validator = Callable[[Sequence[Quad]], "list[tuple[str, str, str]]"]


def default_validator(shapes: Path | None = None) -> Validator | None:
    """The per-article SHACL check, if the validation module is available."""
    try:
        from kg.validate import article_validator
    except ImportError:  # pragma: no cover - during bootstrapping only
        return None
    return article_validator(shapes)


VALIDATE_BATCH = 1  # articles per validation call: one, so each article is checked on its own
TASK_ARTICLES = 16  # articles per task sent to a worker process
GC_THRESHOLD = 50_000  # allocations between young-generation collections while building (Python's default: 700)
ValidatorFactory = Callable[[], "Validator | None"]


def build(
    inputs: Sequence[str],
    output: str | None,
    fmt: str | None = None,
    *,
    base: str | None = None,
    validate: bool = True,
    shapes: Path | None = None,
    workers: int = 1,
    strict: bool = False,
    store: Path | None = None,
    progress: Progress | None = None,
    batch: int = VALIDATE_BATCH,
    validator: ValidatorFactory | None = None,
    cache: ExtractionCache | None = None,
    fetch: FetchLimits | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into ``output`` (and/or an embedded store).

    Articles are read in input order and built in tasks of a few articles:
    extracted, mapped to quads, validated (``batch`` articles per validator
    call; 1, the default, checks each article on its own) and turned into
    N-Quads lines, in this process or (``workers > 1``) in a pool of
    processes; the lines are written in input order by :func:`assemble`, so
    the bytes are the same whatever ``workers`` is. For N-Quads and N-Triples
    the articles flow through and memory does not grow with the corpus
    (beyond the set of shared facts already written). ``validator`` makes the
    validator (default: :func:`default_validator` of ``shapes``), once per
    process. Returns a report; raises :class:`kg.errors.KGError` only for
    usage errors, or for the first bad input when ``strict``. ``fetch``
    bounds each URL fetch (default :class:`kg.read.FetchLimits`).

    ``cache`` keeps extractions between runs (:mod:`kg.cache`). A ``store``
    is updated incrementally (:mod:`kg.incremental`): new articles added,
    changed ones replaced, the rest left alone; with no ``output`` the
    articles it holds already are not even extracted.
    """
    job = _Job(base=base, make_validator=_validator_factory(validate, shapes, validator), batch=max(1, batch),
               cache=cache)
    keep_built = cache is not None and validator is None and job.batch == 1
    if store is None:
        items: Iterable[Article | Problem] = read_inputs(inputs, fetch)
        if keep_built:
            items = _identified(items, job, shapes, base, validate)
        with fewer_collections():
            return assemble(_processed(inputs, job, workers, items), output, fmt, base=base, strict=strict,
                            progress=progress)
    from kg.incremental import StoreUpdate

    with StoreUpdate(store, base) as update, fewer_collections():
        items = read_inputs(inputs, fetch)
        if output is None:
            items = update.new_or_changed(items, lambda a: progress(a.source, "unchanged") if progress else None)
        if keep_built:
            items = _identified(items, job, shapes, base, validate)
        report = assemble(_processed(inputs, job, workers, items), output, fmt, base=base, strict=strict,
                          progress=progress, update=update)
        report.unchanged = update.unchanged
        return report


def _identified(
    items: Iterable[Article | Problem], job: _Job, shapes: Path | None, base: str | None, validate: bool
) -> Iterator[Article | Problem]:
    """``items``, with ``job.built_identity`` set before the first article passes (see kg.cache.build_identity).

    Each article is then built on its own by the default checks, so what it
    gives can be kept whole in the cache. The identity names the NLP model,
    which loads it (about a second): only once there is an article to build,
    and before any worker process is forked, so the workers inherit it.
    """
    for item in items:
        if isinstance(item, Article) and not job.built_identity and job.cache is not None:
            from kg.cache import build_identity

            job.built_identity = build_identity(job.cache.pipeline(), shapes, base, validate)
        yield item


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often inside the block (worker processes forked there inherit it).

    A build allocates millions of short-lived, acyclic objects (terms, quads,
    tokens) that reference counting frees; with Python's default thresholds
    the collector still ran dozens of full collections over the large
    long-lived heap (lexicons, caches) per thousand articles, about a sixth of
    the CPU time. Cycles are still collected, every ``GC_THRESHOLD`` allocations.
    """
    old = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _validator_factory(
    validate: bool, shapes: Path | None, validator: ValidatorFactory | None
) -> ValidatorFactory | None:
    if not validate:
        return None
    return validator or partial(default_validator, shapes)


def assemble(
    results: Iterable[_Done | Problem],
    output: str | None,
    fmt: str | None = None,
    *,
    base: str | None = None,
    strict: bool = False,
    store: Path | None = None,
    progress: Progress | None = None,
    update: StoreUpdate | None = None,
) -> BuildReport:
    """Write built articles, in the order given, to ``output`` (and/or a store); close with the run's quads.

    The one place where articles meet: shared facts already written are
    skipped, so whoever built the articles (this process, a pool, a Dask
    cluster) the bytes are the same. A ``store`` folder (or an open
    ``update`` of one) is updated incrementally: see :mod:`kg.incremental`.
    """
    if store is not None and update is None:
        from kg.incremental import StoreUpdate

        with StoreUpdate(store, base) as opened:
            return assemble(results, output, fmt, base=base, strict=strict, progress=progress, update=opened)
    report = BuildReport(output=None if output in (None, "-") else str(output))
    name = format_for(output, fmt) if output is not None else None
    mapper = Mapper(IRIs(base) if base else IRIs())
    inputs_seen: list[tuple[str, str]] = []
    kinds: set[tuple[str, str]] = set()
    common_seen: set[int] = set()  # shared and quarantined statements: few, whatever the corpus size
    view = CorpusView(mapper.iris) if update is None else None  # a store keeps its own view (kg.incremental)

    def consume(writer: GraphWriter | None) -> None:
        triples = writer is not None and writer.fmt == "nt"
        for item in results:
            if isinstance(item, Problem):
                if strict and item.skipped:
                    raise InputError(item.source, item.reason, item.line)
                report.problems.append(item)
                log.warning("%s", item)
                if progress:
                    progress(item.source, "skipped" if item.skipped else "done")
                continue
            report.violations += item.violations
            report.quarantined += item.quarantined
            report.quads += len(item.own) + _count_fresh(item.common, common_seen)
            if writer is not None:
                if triples:
                    writer.write_lines([], [_triple_of(x) for x in (*item.own, *item.common)])
                else:
                    writer.write_lines(item.own, item.common)
            if update is not None:
                update.write(item.article_id, item.sha256, item.graph, item.own, item.common, item.kinds, item.source)
            if view is not None:
                view.add(item)
            report.cached += item.cached
            inputs_seen.append((item.article_id, item.sha256))
            kinds.update(item.kinds)
            report.articles.append(item.article_id)
            if progress:
                progress(item.source)
        closing = mapper.vocabulary_quads() + mapper.kind_quads(kinds) + mapper.run_quads(inputs_seen)
        if view is not None:
            closing += view.quads()
        report.quads += len(closing)
        if writer is not None:
            writer.write(closing)
        if update is not None:
            report.store_summary = str(update.finish())

    if name is None:
        consume(None)
    else:
        with GraphWriter(output, name, base or DEFAULT_BASE) as writer:
            consume(writer)
    return report


@dataclass
class _Done:
    """One article, built: compact and picklable, so a worker process can send it back."""

    article_id: str
    source: str
    sha256: str
    graph: str
    own: list[str]  # sorted lines of the article's own graph ("<s> <p> <o> <g>", no " .")
    common: list[str]  # sorted lines of graphs other articles also write: shared facts, quarantine
    kinds: list[tuple[str, str]]
    violations: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    cached: bool = False  # the extraction came from the cache
    view: ArticleView | None = None  # what the corpus view takes of the article


@dataclass
class _Job:
    """What every worker needs to know to build a chunk of articles."""

    base: str | None
    make_validator: ValidatorFactory | None
    batch: int = VALIDATE_BATCH  # articles per validation call
    cache: ExtractionCache | None = None
    built_identity: str = ""  # set: built articles are kept in the cache too (see kg.cache.build_identity)

    @property
    def chunk(self) -> int:
        """Articles per task: a multiple of the validation batch, so batches never depend on workers."""
        return self.batch * max(1, -(-TASK_ARTICLES // self.batch))


class _ChunkBuilder:
    """Extracts, maps and validates a chunk of articles (in a worker, or in the main process)."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.mapper = Mapper(IRIs(job.base) if job.base else IRIs())
        self.quarantine = NamedNode(str(self.mapper.iris.quarantine_graph))
        self.validator = job.make_validator() if job.make_validator else None

    def __call__(self, chunk: Sequence[Article | Problem]) -> list[_Done | Problem]:
        """Build every article of the chunk; problems stay in their place."""
        out: list[_Done | Problem | int] = []
        built: list[tuple[Extraction, ArticleQuads]] = []
        cache = self.job.cache
        from_cache: list[bool] = []  # for each article built, whether its extraction came from the cache
        for item in chunk:
            if cache is not None and self.job.built_identity and isinstance(item, Article):
                kept = self._kept(cache, item)
                if kept is not None:
                    out.append(kept)
                    continue
            hits = cache.stats.hits if cache is not None else 0
            result = item if isinstance(item, Problem) else _extract_cached(item, cache)
            if isinstance(result, Problem):
                out.append(result)
                continue
            try:
                aq = self.mapper.article_quads(result)
            except Exception as err:  # a mapping bug on one article must not stop the others
                log.exception("mapping failed on %s", result.article.source)
                out.append(Problem(result.article.source, f"mapping failed: {type(err).__name__}: {err}"))
                continue
            out.append(len(built))  # its place, filled in once the chunk is validated
            built.append((result, aq))
            from_cache.append(cache is not None and cache.stats.hits > hits)
        failures: list[list[tuple[str, str, str]]] = []
        for i in range(0, len(built), self.job.batch):
            failures += self._validate([aq for _, aq in built[i : i + self.job.batch]])
        done = [self._done(*built[x], failures[x], from_cache[x]) if isinstance(x, int) else x for x in out]
        if cache is not None and self.job.built_identity:
            for place, x in enumerate(out):
                d = done[place]
                if isinstance(x, int) and isinstance(d, _Done):
                    cache.put_record("built", self.job.built_identity, built[x][0].article, _record_of(d, failures[x]))
        return done

    def _kept(self, cache: ExtractionCache, article: Article) -> _Done | None:
        """The article as an earlier run built it, from the cache; None when not there or unusable."""
        record = cache.get_record("built", self.job.built_identity, article)
        if record is None:
            return None
        try:
            return _done_of(record, article, str(self.mapper.iris.article_graph(article.id)))
        except (KeyError, TypeError, ValueError) as err:
            log.warning("extraction cache: built record of %s is unusable (%s); building it again", article.source, err)
            return None

    def _validate(self, chunk: list[ArticleQuads]) -> list[list[tuple[str, str, str]]]:
        """Validate the chunk in one call; give each article the failures of its nodes."""
        per_article: list[list[tuple[str, str, str]]] = [[] for _ in chunk]
        if self.validator is None or not chunk:
            return per_article
        # An article's own statements are free of repeats and in its own graph; only the shared ones can repeat.
        quads = [q for aq in chunk for q in aq.quads] + list(dict.fromkeys(q for aq in chunk for q in aq.shared))
        failures = self.validator(quads)
        if not failures:
            return per_article
        owners: dict[str, list[int]] = {}
        for i, aq in enumerate(chunk):
            for q in (*aq.quads, *aq.shared):
                key = _term_key(q.subject)
                if not owners.get(key) or owners[key][-1] != i:
                    owners.setdefault(key, []).append(i)
        for f in failures:
            # A node several articles describe is reported in each; a focus no
            # article has as subject (rare) goes to the chunk's first article.
            for i in owners.get(f[0], [0]):
                per_article[i].append(f)
        return per_article

    def _done(
        self, found: Extraction, aq: ArticleQuads, failures: list[tuple[str, str, str]], cached: bool = False
    ) -> _Done:
        quads, common = aq.quads, list(aq.shared)
        violations: list[str] = []
        focus: list[str] = []
        if failures:
            bad = {f[0] for f in failures}
            moved = _quarantine(quads, bad, self.quarantine)
            quads = [q for q in moved if q.graph_name != self.quarantine]
            common += [q for q in moved if q.graph_name == self.quarantine]
            focus = sorted(bad)
            violations = [f"{found.article.source}: {f[2]} ({f[0]})" for f in failures]
        line = str
        actors = NamedNode(str(self.mapper.iris.actors_graph))
        shared = [q.triple for q in common if q.graph_name == actors]
        view = ArticleView.of(aq.graph.value, [q.triple for q in quads], shared)
        events = list(found.events) + [a.proposition for a in found.allegations if a.proposition]
        return _Done(
            article_id=found.article.id,
            source=found.article.source,
            sha256=found.article.sha256,
            graph=aq.graph.value,
            own=sorted({line(q) for q in quads}),
            common=sorted({line(q) for q in common}),
            kinds=sorted({(e.kind, e.type) for e in events if e.kind}),
            violations=violations,
            quarantined=focus,
            cached=cached,
            view=view,
        )


def _record_of(done: _Done, failures: list[tuple[str, str, str]]) -> dict[str, Any]:
    """What the cache keeps of a built article: its lines, kinds and validation failures (not its source)."""
    return {"own": done.own, "common": done.common, "kinds": [list(k) for k in done.kinds],
            "failures": [list(f) for f in failures], "view": done.view.to_json() if done.view else None}


def _strings(value: Any, n: int | None = None) -> list[Any]:
    if not isinstance(value, list) or not (
        set(map(type, value)) <= {str} if n is None
        else all(isinstance(x, list) and len(x) == n and all(isinstance(y, str) for y in x) for x in value)
    ):
        raise ValueError("not a list of the expected strings")
    return value


def _done_of(record: Any, article: Article, graph: str) -> _Done:
    """A built article back from :func:`_record_of`, with this run's source in its messages."""
    failures = [tuple(f) for f in _strings(record["failures"], 3)]
    return _Done(
        article_id=article.id,
        source=article.source,
        sha256=article.sha256,
        graph=graph,
        own=_strings(record["own"]),
        common=_strings(record["common"]),
        kinds=[(k, t) for k, t in _strings(record["kinds"], 2)],
        violations=[f"{article.source}: {f[2]} ({f[0]})" for f in failures],
        quarantined=sorted({f[0] for f in failures}),
        cached=True,
        view=ArticleView.from_json(graph, record["view"]),
    )


def _count_fresh(lines: list[str], seen: set[int]) -> int:
    n = len(seen)
    seen.update(map(hash, lines))
    return len(seen) - n


def _term_key(term: object) -> str:
    return str(term).strip("<>")


class CorpusView:
    """The corpus view of what a build writes, gathered article by article (see :mod:`kg.view`)."""

    def __init__(self, iris: IRIs) -> None:
        self.corpus = MemoryCorpus()
        self.graph = corpus_graph(iris.base)
        self.actors = f"<{iris.actors_graph}>"
        self.links: list[Quad] = []

    def add(self, done: _Done) -> None:
        """Take in one built article, by what its builder gathered for the view."""
        if done.view is None:
            raise ValueError(f"{done.source}: built without its view")
        self.add_view(done.view)

    def add_quads(self, graph: str, own: Sequence[Quad], shared: Sequence[Quad]) -> None:
        """Take in one built article's quads: those of its graph, and its statements in the shared graphs."""
        self.add_view(ArticleView.of(graph, [q.triple for q in own],
                                     [q.triple for q in shared if str(q.graph_name) == self.actors]))

    def add_view(self, article: ArticleView) -> None:
        """Take in one article as :class:`ArticleView` gives it."""
        self.corpus.add_view(article)
        self.links += [Quad(NamedNode(m), SENTENCE, NamedNode(s), self.graph) for m, s in article.links]

    def quads(self) -> list[Quad]:
        """The view's quads: every node's, then the mention spans' sentences."""
        return self.corpus.view(self.graph) + self.links


def _triple_of(line: str) -> str:
    # Every built statement is in a named graph, whose IRI is the line's last term.
    return line[: line.rindex(" <")]


def _chunks(items: Iterable[Article | Problem], size: int) -> Iterator[list[Article | Problem]]:
    chunk: list[Article | Problem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER: dict[str, _ChunkBuilder] = {}


def _init_worker(job: _Job) -> None:
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])  # spawned workers do not inherit it
    if "builder" not in _WORKER:  # spawned, not forked
        _WORKER["builder"] = _ChunkBuilder(job)


def _run_chunk(chunk: list[Article | Problem]) -> list[_Done | Problem]:
    return _WORKER["builder"](chunk)


def _processed(
    inputs: Sequence[str],
    job: _Job,
    workers: int,
    items: Iterable[Article | Problem] | None = None,
    fetch: FetchLimits | None = None,
) -> Iterator[_Done | Problem]:
    """Every input built (or every one of ``items``, read from them), in input order, here or in ``workers``."""
    chunks = _chunks(read_inputs(inputs, fetch) if items is None else items, job.chunk)
    # Made here first, so a validator that cannot be made fails once, in this
    # process, with its own message; forked workers inherit it ready-made.
    builder = _ChunkBuilder(job)
    if workers <= 1:
        for chunk in chunks:
            yield from builder(chunk)
        return
    _WORKER["builder"] = builder
    try:
        for results in ordered_map(_run_chunk, chunks, workers, _init_worker, (job,)):
            yield from results
    finally:
        _WORKER.pop("builder", None)


T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``map(fn, items)`` in a pool of ``workers`` processes, in order, with bounded look-ahead.

    At most ``2 * workers`` items are in flight, so a long input never piles up
    in memory (``multiprocessing.Pool.imap`` reads its whole input ahead).
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    window: deque[Future[R]] = deque()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=initializer, initargs=initargs) as pool:
        try:
            for item in items:
                window.append(pool.submit(fn, item))
                if len(window) >= 2 * workers:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for f in window:
                f.cancel()


def _quarantine(quads: list[Quad], focus: set[str], graph: NamedNode) -> list[Quad]:
    return [Quad(q.subject, q.predicate, q.object, graph) if str(q.subject).strip("<>") in focus else q for q in quads]


def build_quads(inputs: Sequence[str], base: str | None = None) -> list[Quad]:
    """All quads of ``inputs`` in memory, unvalidated (for the library API and tests)."""
    builder = GraphBuilder(base)
    out: list[Quad] = []
    for item in extractions(inputs):
        if isinstance(item, Extraction):
            aq = builder.article(item)
            out += aq.shared + aq.quads
    return out + builder.closing_quads()
