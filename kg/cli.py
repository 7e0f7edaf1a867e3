"""The ``kg`` command: each command parses, makes one library call, and echoes.

Exit codes (also in the README): 0 everything done; 1 output written but
inputs skipped or the graph does not conform; 2 usage error or unusable
input; 3 a triple store or endpoint failed.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

import kg
from kg.errors import ExitCode, KGError

log = logging.getLogger("kg")
_STATE: dict[str, int] = {"quiet": False, "verbose": 0}


def _say(message: str) -> None:
    """A status line on stderr, unless -q."""
    if not _STATE["quiet"]:
        click.echo(message, err=True)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="kg: %(levelname)s: %(message)s", stream=sys.stderr, force=True)
    for noisy in ("distributed", "dask", "trafilatura", "htmldate"):  # libraries that log at INFO themselves
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose > 1 else max(level, logging.WARNING))


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into a one-line message and the documented exit code."""
    try:
        yield
    except KGError as err:
        click.echo(f"kg: error: {err}", err=True)
        sys.exit(int(err.exit_code))
    except KeyboardInterrupt:
        click.echo("kg: interrupted; no output was written", err=True)
        sys.exit(130)


I64 = 2**63 - 1  # the largest integer a store or SPARQL engine here takes (Oxigraph: 64-bit)


class Number(click.ParamType):
    """An integer or a finite number within a range, with a one-line error that gives the range.

    click's own types echo the whole value back (all 5,000 digits of a huge
    one) and let ``nan`` through a float range; this says what was wrong in
    a short line.
    """

    def __init__(self, low: float, high: float, integer: bool = True, low_open: bool = False) -> None:
        self.low, self.high, self.integer, self.low_open = low, high, integer, low_open
        self.name = "integer" if integer else "number"

    def _range(self) -> str:
        low = f"over {self.low:g}" if self.low_open else f"from {self.low:g}"
        return f"{low} to {self.high:g}" if not self.integer else f"{low} to {int(self.high)}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number: float = value
        else:
            text = str(value).strip()
            shown = repr(text) if len(text) <= 24 else f"a {len(text)}-character value"
            try:
                if self.integer:
                    digits = text.removeprefix("-").removeprefix("+")
                    if not digits.isdigit():
                        raise ValueError(text)
                    # more digits than any bound: out of range, without a 5,000-digit conversion
                    number = int(text) if len(digits.lstrip("0")) <= 19 else math.inf
                else:
                    if len(text) > 40:
                        raise ValueError(text)
                    number = float(text)
            except ValueError:
                self.fail(f"{shown} is not {'an integer' if self.integer else 'a number'} {self._range()}",
                          param, ctx)
            if not math.isfinite(number) or number > self.high or number < self.low or (
                self.low_open and number == self.low
            ):
                self.fail(f"{shown} is out of range: give {'an integer' if self.integer else 'a number'} "
                          f"{self._range()}", param, ctx)
        return number


SECONDS = Number(0, 86_400, integer=False, low_open=True)


def _fetch_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--connect-timeout, --first-byte-timeout and --fetch-deadline, made into one ``fetch`` argument."""
    from kg.model import FetchLimits

    default = FetchLimits()
    options = [
        click.option("--connect-timeout", type=SECONDS, default=default.connect, show_default=True,
                     metavar="S", help="URL inputs: seconds to connect."),
        click.option("--first-byte-timeout", type=SECONDS, default=default.first_byte, show_default=True,
                     metavar="S", help="URL inputs: seconds to the first byte of the answer (and the longest pause)."),
        click.option("--fetch-deadline", type=SECONDS, default=default.total, show_default=True, metavar="S",
                     help="URL inputs: seconds for the whole fetch, however slowly the server sends."),
    ]

    def wrapper(**kwargs: Any) -> Any:
        kwargs["fetch"] = FetchLimits(
            connect=kwargs.pop("connect_timeout"),
            first_byte=kwargs.pop("first_byte_timeout"),
            total=kwargs.pop("fetch_deadline"),
        )
        return f(**kwargs)

    wrapper.__name__ = f.__name__
    wrapper.__doc__ = f.__doc__
    for opt in reversed(options):
        wrapper = opt(wrapper)
    return wrapper


def _progress(label: str, inputs: tuple[str, ...]) -> Any:
    """A progress display for a run over ``inputs`` (a bar on a terminal; see kg.progress)."""
    from kg.progress import Progress, choose_mode
    from kg.read import count_articles

    mode = choose_mode(bool(_STATE["quiet"]), _STATE["verbose"])
    return Progress(label, count_articles(inputs) if mode != "off" else None, mode)


def _cache_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--no-cache", is_flag=True, help="Extract every article afresh; read and write no cache.")(f)
    return click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Extraction cache folder (default: newskg in the user's cache folder, e.g. ~/.cache/newskg).",
    )(f)


def _cache(cache_dir: Path | None, no_cache: bool) -> Any:
    from kg.cache import ExtractionCache, default_cache_dir

    if no_cache and cache_dir is not None:
        raise click.UsageError("give --cache DIR or --no-cache, not both")
    return None if no_cache else ExtractionCache(cache_dir or default_cache_dir())


def _report_problems(problems: list[Any]) -> None:
    for p in problems:
        click.echo(f"kg: skipped {p}" if p.skipped else f"kg: warning: {p}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(kg.__version__, prog_name="newskg")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def cli(verbose: int, quiet: bool) -> None:
    """newskg: turn news articles into a knowledge graph of events, actors and allegations.

    Every fact is tied to the sentence that says it. Inputs are .txt/.md/.html/.jsonl
    files, folders (read recursively, in sorted order) and http(s) URLs.

    Exit codes: 0 done; 1 output written but inputs skipped or the graph does not
    conform; 2 usage error or unusable input; 3 a store or endpoint failed.
    """
    _setup_logging(verbose, quiet)
    _STATE["quiet"] = quiet
    _STATE["verbose"] = verbose


INPUTS = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")


@cli.command()
@INPUTS
@click.option(
    "-o", "--output", "output", metavar="OUT", help="Output file (.ttl .trig .nt .nq .jsonld), or - for stdout."
)
@click.option("--format", "fmt", help="turtle, trig, nt, nq or jsonld (default: from OUT's suffix).")
@click.option("--base", help="Base IRI for minted nodes (default https://w3id.org/newskg/id/).")
@click.option(
    "--validate/--no-validate", default=True, show_default=True, help="Check each article's graph with SHACL."
)
@click.option(
    "--shapes", type=click.Path(exists=True, path_type=Path), help="Shapes file or folder (default: shapes/)."
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write into this embedded store, incrementally: new articles added, changed ones replaced.",
)
@click.option("--workers", type=Number(1, 64), default=1, show_default=True, help="Processes for extraction.")
@click.option("--strict", is_flag=True, help="Stop at the first bad input and write nothing.")
@_cache_options
@click.option(
    "--dask",
    "dask_scheduler",
    metavar="ADDRESS|local",
    help="Build on Dask: a scheduler address, or 'local' for a cluster of --workers processes (extra: newskg[dask]).",
)
@_fetch_options
def build(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str | None,
    base: str | None,
    validate: bool,
    shapes: Path | None,
    store: Path | None,
    workers: int,
    strict: bool,
    dask_scheduler: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    fetch: Any,
) -> None:
    """Build the knowledge graph of INPUT... into OUT and/or an embedded store.

    \b
    Examples:
      kg build seeds -o graph.ttl
      kg build archive/ feed.jsonl -o graph.nq --workers 2
      kg build https://example.org/story.html --format trig -o -
      kg build archive/ -o graph.nq --dask local --workers 2
      kg build today/ https://example.org/news.rss --store ./kgstore

    With --store only, articles the store holds already (same id, same
    content hash) are not even extracted; extractions are kept in a cache
    between runs (--cache DIR, --no-cache).
    """
    from kg.build import build as run_build

    if output is None and store is None:
        raise click.UsageError("give -o OUT, --store DIR, or both")
    cache = _cache(cache_dir, no_cache)
    progress = _progress("built", inputs)
    options: dict[str, Any] = dict(
        base=base, validate=validate, shapes=shapes, strict=strict, store=store, progress=progress, fetch=fetch
    )
    try:
        with _errors():
            if dask_scheduler:
                from kg.distributed import build_on_scheduler

                report = build_on_scheduler(list(inputs), output, fmt, dask_scheduler, workers, **options)
            else:
                report = run_build(list(inputs), output, fmt, workers=workers, cache=cache, **options)
    finally:
        progress.close()
    _report_problems(report.problems)
    for line in report.violations[:50]:
        click.echo(f"kg: violation: {line}", err=True)
    if len(report.violations) > 50:
        click.echo(f"kg: ... and {len(report.violations) - 50} more violations", err=True)
    where = report.output or ("stdout" if output == "-" else str(store))
    _say(
        (f"kg: {len(report.articles)} articles built -> {store}" if output is None else
         f"kg: {len(report.articles)} articles, {report.quads} quads -> {where}")
        + (f"; {len(report.skipped)} inputs skipped" if report.skipped else "")
        + (f"; {len(report.quarantined)} nodes quarantined" if report.quarantined else "")
        + (f"; store: {report.store_summary}" if report.store_summary else "")
        + (f"; {report.cached} extractions from the cache" if report.cached else "")
    )
    sys.exit(int(ExitCode.OK if report.ok else ExitCode.PARTIAL))


@cli.command()
@INPUTS
@click.option(
    "--json-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one DIR/<article id>.json per article instead of JSON lines on stdout.",
)
@click.option("--workers", type=Number(1, 64), default=1, show_default=True, help="Processes for extraction.")
@click.option("--strict", is_flag=True, help="Stop at the first bad input.")
@_cache_options
@_fetch_options
def extract(
    inputs: tuple[str, ...],
    json_dir: Path | None,
    workers: int,
    strict: bool,
    cache_dir: Path | None,
    no_cache: bool,
    fetch: Any,
) -> None:
    """Print the extraction JSON (actors, events, allegations) of each article.

    Without --json-dir, one JSON object per line on stdout (JSON Lines), in input order.
    With it, a plain id (letters, digits, '.', '_', '-') names its file as it is; any
    other is named by its slug and a hash, never outside DIR; a record whose id holds
    control characters, or whose name another record took, is skipped and named.
    """
    from kg.build import extractions
    from kg.errors import OutputNameError
    from kg.extraction_json import dumps, to_json_obj
    from kg.model import Extraction
    from kg.read import Problem
    from kg.write import NamedFiles

    problems: list[Problem] = []
    cache = _cache(cache_dir, no_cache)
    progress = _progress("extracted", inputs)
    with _errors():
        files = NamedFiles(json_dir, ".json") if json_dir else None
        for item in extractions(list(inputs), workers=workers, strict=strict, cache=cache, fetch=fetch):
            if isinstance(item, Problem):
                progress(item.source, "skipped" if item.skipped else "done")
                problems.append(item)
                continue
            progress(item.article.source)
            assert isinstance(item, Extraction)
            if files is not None:
                try:
                    files.write(item.article.id, dumps(item).encode("utf-8"))
                except OutputNameError as err:
                    if strict:
                        raise
                    problems.append(Problem(item.article.source, str(err)))
            else:
                import json

                click.echo(json.dumps(to_json_obj(item), ensure_ascii=False, sort_keys=True))
    progress.close()
    _report_problems(problems)
    sys.exit(int(ExitCode.PARTIAL if any(p.skipped for p in problems) else ExitCode.OK))


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "--shapes", type=click.Path(exists=True, path_type=Path), help="Shapes file or folder (default: shapes/)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl", "pyrudof"]),
    default="fast",
    show_default=True,
    help="fast (the shapes compiled to SPARQL on pyoxigraph), pyshacl (the reference) or pyrudof (optional package).",
)
@click.option(
    "--whole",
    is_flag=True,
    help="Load the whole file in memory and check it in one call (fast or pyshacl), instead of streaming it.",
)
def validate(graph: Path, shapes: Path | None, fmt: str, engine: str, whole: bool) -> None:
    """Check GRAPH against the SHACL shapes and report in words.

    All graphs of GRAPH are checked together (their union), streamed in
    batches through a scratch file, so a corpus of any size fits in memory;
    the report is the one a whole-file check gives. Warnings alone still
    conform. Exit 0 when it conforms, 1 on violations, 2 when GRAPH or the
    shapes cannot be read.

    Examples:
      kg validate graph.nq
      kg validate graph.trig --engine pyshacl --format json
    """
    from kg.validate import validate_file, validate_stream

    if whole and engine == "pyrudof":
        raise click.UsageError("--whole checks with fast or pyshacl; pyrudof is for the streamed check")
    with _errors():
        if whole:
            report = validate_file(graph, shapes, engine="fast" if engine == "fast" else "pyshacl")
        else:
            report = validate_stream(graph, shapes, engine=engine)  # type: ignore[arg-type]
        click.echo(report.render(fmt), nl=False)
    sys.exit(int(ExitCode.OK if report.conforms else ExitCode.PARTIAL))


@cli.command(name="queries")
def list_queries() -> None:
    """List the saved queries with their titles and parameters."""
    from kg.queries import list_queries as saved

    with _errors():
        for q in saved():
            params = " ".join(f"{p.name}={p.default!r}" for p in q.params)
            click.echo(f"{q.name:14} {q.title}" + (f"  [{params}]" if params else ""))


def _kv(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r} is not NAME=VALUE")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@cli.command()
@click.argument("name", metavar="NAME|FILE.rq")
@click.option("--data", type=click.Path(exists=True, path_type=Path), help="A graph file to query.")
@click.option("--store", type=click.Path(exists=True, file_okay=False, path_type=Path), help="An embedded store.")
@click.option("--endpoint", help="A SPARQL 1.1 Protocol endpoint URL.")
@click.option(
    "--param",
    "params",
    multiple=True,
    callback=_kv,
    metavar="NAME=VALUE",
    help="Bind a parameter (an IRI, or an actor's label or alias).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    help="Result format (default: table on a terminal, else tsv).",
)
@click.option("--user", help="User name for the endpoint.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the endpoint password.")
@click.option("--limit", type=Number(0, I64), help="Page size of a query that lists the whole corpus "
              "(0: all; default: all of a --data file, 100 on a store or endpoint).")
@click.option("--offset", type=Number(0, I64), default=0, help="Where the page starts (with --limit).")
def query(
    name: str,
    data: Path | None,
    store: Path | None,
    endpoint: str | None,
    params: dict[str, str],
    fmt: str | None,
    user: str | None,
    password_env: str | None,
    limit: int | None,
    offset: int,
) -> None:
    """Run a saved query (see `kg queries`) or a .rq file on a file, a store or an endpoint."""
    from kg.queries import format_result, run_query

    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise click.UsageError("give exactly one of --data, --store or --endpoint")
    fmt = fmt or ("table" if sys.stdout.isatty() else "tsv")
    with _errors():
        result = run_query(
            name, data=data, store=store, endpoint=endpoint, params=params, user=user, password_env=password_env,
            limit=limit, offset=offset,
        )
        click.echo(format_result(result, fmt), nl=False)


def _remote_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(
        [
            click.option("--gsp", metavar="URL", help="A SPARQL 1.1 Graph Store Protocol endpoint."),
            click.option("--store", type=click.Path(file_okay=False, path_type=Path), help="An embedded store folder."),
            click.option("--user", help="User name for the endpoint."),
            click.option("--password-env", metavar="VAR", help="Environment variable holding the password."),
            click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True),
            click.option("--update", metavar="URL", help="SPARQL Update endpoint (for an atomic move into place)."),
            click.option("--endpoint", metavar="URL",
                         help="SPARQL query endpoint of the same store, read to keep its corpus view exact "
                              "(default: derived from --gsp for Oxigraph, Virtuoso and Fuseki)."),
            click.option("--timeout", type=SECONDS, default=60.0, show_default=True, help="Seconds per request."),
            click.option(
                "--retries",
                type=Number(0, 10),
                default=3,
                show_default=True,
                help="Retries for transient errors (with backoff).",
            ),
        ]
    ):
        f = opt(f)
    return f


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_remote_options
def load(graph: Path, **options: Any) -> None:
    """Load GRAPH into an embedded store or a Graph Store endpoint, one named graph at a time.

    Each article graph replaces what the store held under that name, so loading
    twice never duplicates; the graphs articles share (actors, quarantine,
    vocabulary, provenance) are added to, not replaced, so a file of today's
    articles loaded into a store of a year's keeps the year's actors.
    """
    from kg.store import load_graph

    with _errors():
        report = load_graph(graph, **options)
    _say(f"kg: {report}")


@cli.command()
@click.argument("article_id")
@_remote_options
@click.option("--base", help="Base IRI the graph was built with (default https://w3id.org/newskg/id/).")
def retract(article_id: str, **options: Any) -> None:
    """Remove exactly what one article contributed from a store: its named graph.

    ARTICLE_ID is the article's identifier (e.g. its file stem) or its graph's
    full IRI. Shared actor facts stay, since other articles may state them too.
    """
    from kg.store import retract_article

    with _errors():
        report = retract_article(article_id, **options)
    _say(f"kg: {report}")


@cli.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@INPUTS
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-errors", is_flag=True, help="List misses and false alarms per article.")
def evaluate(gold_dir: Path, inputs: tuple[str, ...], fmt: str, show_errors: bool) -> None:
    """Score the extraction of INPUT... against GOLD_DIR/<article id>.json.

    Precision, recall and F1 per layer, and the headline F1 (mean of actors,
    typed events and stanced allegations).
    """
    import json

    from kg import evaluate as ev

    with _errors():
        result = ev.evaluate(gold_dir, list(inputs), show_errors=show_errors)
        if fmt == "json":
            click.echo(json.dumps(result, indent=1, sort_keys=True))
        else:
            click.echo(ev.format_text(result), nl=False)
            if show_errors:
                for line in ev.format_errors(result):
                    click.echo(line)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT_OR_GRAPH...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The HTML file.")
def report(inputs: tuple[str, ...], output: Path) -> None:
    """Write a self-contained HTML report: timeline, actor network, allegations, evidence."""
    from kg.report import write_report

    with _errors():
        write_report(list(inputs), output)
    _say(f"kg: report -> {output}")


def _on_signal(signum: int, frame: object) -> None:
    """SIGTERM or SIGINT: remove the temporary files in flight, then unwind with exit 128 + signal."""
    from kg.write import remove_temporary_files

    if os.getpid() != _MAIN_PID[0]:  # a forked worker: its copy of the list names the parent's files
        raise SystemExit(128 + signum)
    signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once
    for tmp in remove_temporary_files():
        log.debug("removed %s", tmp)
    name = signal.Signals(signum).name
    click.echo(f"kg: stopped by {name}; no output file was half-written", err=True)
    raise SystemExit(128 + signum)


_MAIN_PID = [0]


def main() -> None:
    """Entry point of the ``kg`` console script (signals handled: SIGTERM exits 143, SIGINT 130)."""
    _MAIN_PID[0] = os.getpid()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _on_signal)
    cli(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
