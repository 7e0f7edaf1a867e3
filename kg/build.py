"""The build: read -> extract -> map -> validate -> write, one article at a time.

Bad articles are reported and skipped, never fatal to the rest (unless
``strict``); nodes that fail validation go to a quarantine graph rather than
being dropped silently.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from kg.errors import InputError
from kg.extract import extract
from kg.model import Article, Extraction
from kg.rdf import ArticleQuads, Mapper, place_shared
from kg.read import Problem, read_inputs
from kg.vocab import IRIs
from kg.write import GraphWriter, format_for

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build did: articles built, inputs skipped, validation outcome."""

    articles: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # one line each, for people
    quarantined: list[str] = field(default_factory=list)  # focus node IRIs
    quads: int = 0
    output: str | None = None

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
    except RecursionError:
        return Problem(article.source, "article too deeply nested to extract")
    except Exception as err:  # one article's failure must not stop a thousand others
        log.exception("extraction failed on %s", article.source)
        return Problem(article.source, f"extraction failed: {type(err).__name__}: {err}")


def extractions(inputs: Iterable[str], workers: int = 1, strict: bool = False) -> Iterator[Extraction | Problem]:
    """Extractions of every input article in input order; problems in their place.

    With ``workers > 1`` extraction runs in a process pool; the order (and so
    the output) is the same whatever the number of workers.
    """
    items = read_inputs(inputs)
    if workers <= 1:
        for item in items:
            if isinstance(item, Problem):
                if strict and item.skipped:
                    raise InputError(item.source, item.reason, item.line)
                yield item
            else:
                result = _extract_one(item)
                if strict and isinstance(result, Problem):
                    raise InputError(result.source, result.reason)
                yield result
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        for result in pool.imap(_extract_or_pass, items, chunksize=8):
            if strict and isinstance(result, Problem) and result.skipped:
                raise InputError(result.source, result.reason, result.line)
            yield result


def _extract_or_pass(item: Article | Problem) -> Extraction | Problem:
    return item if isinstance(item, Problem) else _extract_one(item)


class GraphBuilder:
    """Turns extractions into quads, keeping the shared graph free of repeats."""

    def __init__(self, base: str | None = None) -> None:
        self.mapper = Mapper(IRIs(base) if base else IRIs())
        self.shared_graph = self.mapper.shared_graph()
        self._shared_seen: set[Quad] = set()
        self._kinds: set[tuple[str, str]] = set()
        self.inputs: list[tuple[str, str]] = []

    def article(self, found: Extraction) -> ArticleQuads:
        """The article's quads, with its not-yet-seen shared facts placed in the shared graph."""
        aq = self.mapper.article_quads(found)
        shared = []
        for q in place_shared(aq.shared, self.shared_graph):
            if q not in self._shared_seen:
                self._shared_seen.add(q)
                shared.append(q)
        aq.shared = shared
        self.inputs.append((found.article.id, found.article.sha256))
        events = list(found.events) + [a.proposition for a in found.allegations if a.proposition]
        self._kinds.update((e.kind, e.type) for e in events if e.kind)
        return aq

    def closing_quads(self) -> list[Quad]:
        """Vocabulary, kinds seen and the run's provenance: written once, at the end."""
        return self.mapper.vocabulary_quads() + self.mapper.kind_quads(self._kinds) + self.mapper.run_quads(self.inputs)


Validator = Callable[[Sequence[Quad]], "list[tuple[str, str, str]]"]


def default_validator(shapes: Path | None = None) -> Validator | None:
    """The per-article SHACL check, if the validation module is available."""
    try:
        from kg.validate import article_validator
    except ImportError:  # pragma: no cover - during bootstrapping only
        return None
    return article_validator(shapes)


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
) -> BuildReport:
    """Build the graph of ``inputs`` into ``output`` (and/or an embedded store).

    Returns a report; raises :class:`kg.errors.KGError` only for usage errors,
    or for the first bad input when ``strict``.
    """
    report = BuildReport(output=None if output in (None, "-") else str(output))
    name = format_for(output, fmt) if output is not None else None
    builder = GraphBuilder(base)
    validator = default_validator(shapes) if validate else None
    quarantine = NamedNode(str(builder.mapper.iris.quarantine_graph))
    sink = _store_sink(store) if store else None

    def consume(writer: GraphWriter | None) -> None:
        for item in extractions(inputs, workers=workers, strict=strict):
            if isinstance(item, Problem):
                report.problems.append(item)
                log.warning("%s", item)
                if progress:
                    progress(item.source)
                continue
            aq = builder.article(item)
            quads = aq.quads
            if validator is not None:
                failures = validator(aq.quads + aq.shared)
                if failures:
                    quads = _quarantine(aq.quads, {f[0] for f in failures}, quarantine)
                    report.quarantined += sorted({f[0] for f in failures})
                    report.violations += [f"{item.article.source}: {f[2]} ({f[0]})" for f in failures]
            batch = aq.shared + quads
            report.quads += len(batch)
            if writer is not None:
                writer.write(batch)
            if sink is not None:
                sink(aq.graph, batch)
            report.articles.append(item.article.id)
            if progress:
                progress(item.article.source)
        closing = builder.closing_quads()
        report.quads += len(closing)
        if writer is not None:
            writer.write(closing)
        if sink is not None:
            sink(None, closing)

    if name is None:
        consume(None)
    else:
        with GraphWriter(output, name) as writer:
            consume(writer)
    return report


def _quarantine(quads: list[Quad], focus: set[str], graph: NamedNode) -> list[Quad]:
    return [Quad(q.subject, q.predicate, q.object, graph) if str(q.subject).strip("<>") in focus else q for q in quads]


def _store_sink(store: Path) -> Callable[[NamedNode | None, list[Quad]], None]:
    from kg.store import EmbeddedStore

    target = EmbeddedStore(store)
    return target.replace_article_batch


def build_quads(inputs: Sequence[str], base: str | None = None) -> list[Quad]:
    """All quads of ``inputs`` in memory, unvalidated (for the library API and tests)."""
    builder = GraphBuilder(base)
    out: list[Quad] = []
    for item in extractions(inputs):
        if isinstance(item, Extraction):
            aq = builder.article(item)
            out += aq.shared + aq.quads
    return out + builder.closing_quads()
