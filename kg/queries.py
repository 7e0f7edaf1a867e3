"""Saved SPARQL queries: list, load, bind parameters, run on a file, the embedded store or an endpoint.

A saved query is data (as in datasette): ``queries/NAME.rq`` opens with
comment lines ``# title:``, ``# description:`` and ``# param: NAME default``
(plus an optional ``# param-kind: NAME literal|integer|iri|term``).

**One graph to ask.** Every saved query reads the union of all graphs as its
default graph and names no graph: the article graphs (what each article says,
with its evidence), the shared actor facts, the vocabulary, and the corpus
view (:mod:`kg.view`), which holds what the whole corpus says of each node —
report counts, first evidence, status over the corpus, sorted lists of names
— so that no query re-aggregates article graphs or depends on the order an
engine concatenates strings in. That is how rdflib reads a plain Turtle file
or a ``Dataset(default_union=True)``, how pyoxigraph is asked here
(``use_default_graph_as_union``), how an Oxigraph server runs with
``--union-default-graph`` and how Virtuoso answers by default. A file without
a corpus view (written by hand or by an older newskg) gets one derived when
it is loaded. Paging is ``LIMIT``/``OFFSET`` after the query's own
``ORDER BY``.

**Parameters** are bound as RDF terms, never pasted into the query text: each
becomes a ``VALUES ?name { term ... }`` block placed at the start of every
``SELECT``/``ASK`` group that uses the variable, the term written by
pyoxigraph's own serialiser (an IRI that does not parse is refused, a string
is escaped). A value that names an actor by label or alias is resolved to the
actor's IRI by a lookup in the same data source.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
)

from kg.errors import InputError, QueryError, StoreError, UsageError
from kg.vocab import PREFIXES

log = logging.getLogger(__name__)

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PARAM_KINDS = ("term", "iri", "literal", "integer")
FORMATS = ("table", "csv", "tsv", "json")
DATA_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
}
ENDPOINT_TIMEOUT = (10.0, 300.0)  # seconds: connect, read
DEFAULT_PAGE = 100  # rows per page on a store or endpoint
COUNT_BEYOND = 10_000  # rows past a page that a store counts for the "of N rows" line; more is said as "more than"
TABLE_CELL_MAX = 80  # characters per cell in the "table" format; csv/tsv/json are never cut

Term = NamedNode | BlankNode | Literal


# --------------------------------------------------------------------------- saved queries as data
@dataclass(frozen=True)
class Param:
    """A declared parameter: its name (the query variable), default value and kind.

    ``kind`` says how a value becomes a term: ``term`` (an IRI, a prefixed
    name, or an actor's label or alias looked up in the data; otherwise a
    string), ``iri``, ``literal`` (a plain string) or ``integer``. An empty
    value leaves the variable unbound, so it matches anything. An integer
    takes values from ``low`` to ``high`` (``# param-kind: min integer 1..``
    narrows them); by default the 64-bit range every store here holds.
    """

    name: str
    default: str = ""
    kind: str = "term"
    low: int = -(2**63)
    high: int = 2**63 - 1


@dataclass(frozen=True)
class SavedQuery:
    """A SPARQL query file with its header: name, title, description, parameters."""

    name: str
    title: str
    description: str
    params: list[Param]
    text: str
    path: Path | None = None


@dataclass
class QueryResult:
    """A query's answer: variable names and rows of terms (``None`` where unbound).

    For an ``ASK`` query ``boolean`` is set and there are no variables or rows.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def dicts(self) -> list[dict[str, str | None]]:
        """The rows as dicts of plain strings (IRI, lexical form or blank node label)."""
        return [
            {v: (None if t is None else t.value) for v, t in zip(self.variables, row, strict=True)} for row in self.rows
        ]


_HEADER = re.compile(r"^#\s*(title|description|param|param-kind)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_RANGE = re.compile(r"^([+-]?\d{1,19})?\.\.([+-]?\d{1,19})?$")


def _bounds(text: str, kind: str, where: str) -> tuple[int, int]:
    """The range of an integer parameter from ``LOW..HIGH`` (either may be left out), within 64 bits."""
    low, high = Param("x").low, Param("x").high
    if not text:
        return low, high
    m = _RANGE.match(text)
    if kind != "integer" or not m:
        raise QueryError(f"{where}: a range (LOW..HIGH) is only for an integer parameter, got {text!r}")
    lo = int(m.group(1)) if m.group(1) else low
    hi = int(m.group(2)) if m.group(2) else high
    if not low <= lo <= hi <= high:
        raise QueryError(f"{where}: range {text!r} is empty or outside {low}..{high}")
    return lo, hi


def parse_header(text: str, source: str) -> tuple[str, str, list[Param]]:
    """Title, description and parameters from a query's leading comment lines.

    A ``#`` line without a key continues the description. Raises
    :class:`QueryError` naming ``source`` and the line for a malformed header.
    """
    title = ""
    description: list[str] = []
    params: dict[str, Param] = {}
    kinds: dict[str, tuple[str, str, int]] = {}
    last = ""
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            if last == "description":
                description.append(stripped.lstrip("#").strip())
            continue
        key, value = m.group(1).lower(), m.group(2)
        last = key
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            name, _, rest = value.partition(" ")
            if not _NAME.match(name):
                raise QueryError(f"{source}:{lineno}: {key} needs a variable name, got {value!r}")
            if key == "param":
                params[name] = Param(name, rest.strip())
            else:
                kind, _, bounds = rest.strip().lower().partition(" ")
                if kind not in PARAM_KINDS:
                    raise QueryError(f"{source}:{lineno}: param-kind of {name} must be one of {', '.join(PARAM_KINDS)}")
                kinds[name] = (kind, bounds.strip(), lineno)
    for name, (kind, bounds, lineno) in kinds.items():
        if name not in params:
            raise QueryError(f"{source}:{lineno}: param-kind for {name}, which has no '# param: {name}' line")
        low, high = _bounds(bounds, kind, f"{source}:{lineno}")
        params[name] = Param(name, params[name].default, kind, low, high)
    return title, " ".join(d for d in description if d), list(params.values())


def query_dirs() -> list[Path]:
    """Where the saved queries are looked for, in order.

    ``$NEWSKG_QUERIES`` if set; the ``queries/`` folder of the source checkout
    this package runs from (an editable install); and the copy shipped as
    package data in ``kg/data/queries`` (an installed wheel). A folder counts
    only if it holds ``.rq`` files.
    """
    out: list[Path] = []
    env = os.environ.get("NEWSKG_QUERIES")
    if env:
        out.append(Path(env))
    repo = Path(__file__).resolve().parent.parent
    # Only a checkout of newskg itself: site-packages may hold an unrelated "queries" package.
    if (repo / "pyproject.toml").is_file() and (repo / "queries").is_dir():
        out.append(repo / "queries")
    packaged = resources.files("kg").joinpath("data", "queries")
    if packaged.is_dir():
        out.append(Path(str(packaged)))
    return [d for d in out if d.is_dir() and any(d.glob("*.rq"))]


def _read_query(path: Path) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read query: {err}") from err
    title, description, params = parse_header(text, str(path))
    return SavedQuery(path.stem, title or path.stem, description, params, text, path)


def list_queries() -> list[SavedQuery]:
    """The saved queries, by name (the first folder of :func:`query_dirs` that has a name wins)."""
    found: dict[str, SavedQuery] = {}
    for d in query_dirs():
        for path in sorted(d.glob("*.rq")):
            if path.stem not in found:
                found[path.stem] = _read_query(path)
    return [found[k] for k in sorted(found)]


def load_query(name_or_path: str | Path) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path.

    Raises :class:`QueryError` listing the known names when neither exists.
    """
    text = str(name_or_path)
    path = Path(text)
    if text.endswith(".rq") or os.sep in text or "/" in text:
        if not path.is_file():
            raise QueryError(f"{text}: no such query file")
        return _read_query(path)
    for q in list_queries():
        if q.name == text:
            return q
    if path.is_file():
        return _read_query(path)
    known = ", ".join(q.name for q in list_queries()) or "none found (see NEWSKG_QUERIES)"
    raise QueryError(f"unknown query {text!r}; known queries: {known}")


# --------------------------------------------------------------------------- scanning SPARQL text
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = {q: re.compile(q + r"(?:[^" + q + r"\\]|\\.)*" + q, re.DOTALL) for q in "\"'"}
_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")
_FORM = re.compile(r"(?i)(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")




@dataclass
class _Scope:
    form: str
    start: int = -1  # index of its SELECT/ASK/... keyword
    open_at: int = -1  # index of the '{' that opens its WHERE group
    variables: set[str] = field(default_factory=set)
    wrap: tuple[int, int] = (-1, -1)  # a subquery: the '{' and '}' around it (its end)


def _scopes(text: str) -> list[_Scope]:
    """Every query and subquery of ``text`` with the variables it mentions itself.

    A small scanner: it skips comments, string literals and IRIs, so braces or
    keywords inside them do not count. Variables of a nested subquery belong
    to the subquery, not to the query around it.
    """
    scopes: list[_Scope] = []
    stack: list[tuple[int, int | None]] = []  # per open brace: its index and that of the scope it opens, or None
    current: list[int] = []  # innermost scope first on the right
    wrapped: dict[int, list[_Scope]] = {}  # open brace -> subqueries it holds
    pending: int | None = None
    i, n = 0, len(text)
    prev_word = False
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            q3 = text[i : i + 3]
            if q3 in ('"""', "'''"):
                j = text.find(q3, i + 3)
                i = n if j < 0 else j + 3
                continue
            m = _STRING[c].match(text, i)  # to the closing quote, over escapes (a long literal in VALUES is common)
            i = m.end() if m else n
            continue
        if c == "<":
            m = _IRIREF.match(text, i)
            if m:
                i = m.end()
                continue
        if c in "?$":
            m = _VAR.match(text, i)
            if m:
                target = pending if pending is not None else (current[-1] if current else None)
                if target is not None:
                    scopes[target].variables.add(m.group(1))
                i = m.end()
                continue
        if c.isalpha() and not prev_word:
            m = _FORM.match(text, i)
            if m and not (m.end() < n and (text[m.end()].isalnum() or text[m.end()] in "_:")):
                scopes.append(_Scope(m.group(1).upper(), i))
                if stack:
                    wrapped.setdefault(stack[-1][0], []).append(scopes[-1])
                pending = len(scopes) - 1
                i = m.end()
                continue
        if c == "{":
            if pending is not None and scopes[pending].form in ("SELECT", "ASK"):
                scopes[pending].open_at = i
                stack.append((i, pending))
                current.append(pending)
                pending = None
            else:
                stack.append((i, None))
        elif c == "}" and stack:
            at, opened = stack.pop()
            if opened is not None:
                current.pop()
            for sub in wrapped.pop(at, []):
                sub.wrap = (at, i)
        prev_word = c.isalnum() or c in "_:"
        i += 1
    return scopes


def query_form(text: str) -> str:
    """The form of the outermost query: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    scopes = _scopes(text)
    if not scopes:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return scopes[0].form


def query_variables(text: str) -> set[str]:
    """Every variable name the query mentions (outside comments, strings and IRIs)."""
    out: set[str] = set()
    for s in _scopes(text):
        out |= s.variables
    return out


def inject_values(text: str, bindings: Mapping[str, Sequence[Term]]) -> str:
    """``text`` with ``VALUES ?name { term ... }`` at the start of every group that uses a bound name.

    The terms are written by pyoxigraph's N-Triples serialiser, which escapes
    strings and only ever holds a valid IRI, so a value can never change the
    query's structure.
    """
    if not bindings:
        return text
    inserts: list[tuple[int, str]] = []
    for scope in _scopes(text):
        if scope.open_at < 0:
            continue
        names = [k for k in bindings if k in scope.variables]
        if names:
            block = " ".join(f"VALUES ?{k} {{ {' '.join(_sparql_term(t) for t in bindings[k])} }}" for k in names)
            inserts.append((scope.open_at + 1, f" {block} "))
    for pos, block in sorted(inserts, reverse=True):
        text = text[:pos] + block + text[pos:]
    return text


def _sparql_term(term: Term) -> str:
    if isinstance(term, BlankNode):  # a blank node in VALUES would be a fresh variable, not this node
        raise QueryError("cannot bind a parameter to a blank node")
    return str(term)


# --------------------------------------------------------------------------- backends
class _Backend(Protocol):
    def select(self, query: str) -> QueryResult: ...

    def describe(self) -> str: ...


def _iri_for(value: str) -> NamedNode | None:
    """An IRI from ``<...>``, an absolute IRI, or a prefixed name with a known prefix; else None."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    else:
        prefix, colon, local = v.partition(":")
        if colon and prefix in PREFIXES and " " not in v:
            v = PREFIXES[prefix] + local
        elif not re.match(r"^(https?|urn|file|mailto|tag):\S+$", v):
            return None
    try:
        return NamedNode(v)
    except ValueError:
        return None


_RESOLVE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT DISTINCT ?node ?tier WHERE {
  ?node ?p ?name .
  FILTER(isLiteral(?name) && LCASE(STR(?name)) = ?wanted)
  ?node a ?class .
  VALUES (?class ?p ?tier) {
    (sem:Actor rdfs:label 1) (sem:Actor skos:altLabel 2) (sem:Place rdfs:label 3) (sem:Place skos:altLabel 4)
  }
}
"""

# The same lookup for a few spellings of the name bound as terms: an index lookup, not a scan of every
# label in the data (which takes seconds on 10,000 articles, where each alias sits in every article graph).
_RESOLVE_EXACT = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT DISTINCT ?node ?tier WHERE {
  ?node ?p ?name ; a ?class .
  VALUES (?class ?p ?tier) {
    (sem:Actor rdfs:label 1) (sem:Actor skos:altLabel 2) (sem:Place rdfs:label 3) (sem:Place skos:altLabel 4)
  }
}
"""


def _spellings(value: str) -> list[str]:
    """The name as typed and in lower, upper, title and sentence case."""
    return list(dict.fromkeys((value, value.lower(), value.upper(), value.title(), value.capitalize())))


def resolve_name(backend: _Backend, value: str) -> list[NamedNode]:
    """The nodes ``value`` names, case-insensitively: actors by label, else by alias, else places likewise.

    Only the best tier is kept, so "North Korea" is the actor even where a
    place has that name too; several nodes come back only when a name is
    ambiguous within its tier. The name is first looked up as typed and in
    lower, upper, title and sentence case (an index lookup); only if none of
    those names anything are all labels scanned case-insensitively.
    """
    wanted = value.strip()
    # First the spellings people and extractors use, looked up by index; only when none of them is a
    # label or alias, the case-insensitive scan of every label. (So a name that some node spells in an
    # odd mixed case is found by the scan only when no usual spelling of it names anything.)
    result = backend.select(inject_values(_RESOLVE_EXACT, {"name": [Literal(s) for s in _spellings(wanted)]}))
    if not result.rows:
        result = backend.select(inject_values(_RESOLVE, {"wanted": [Literal(wanted.lower())]}))
    tiers: dict[int, set[NamedNode]] = {}
    for node, tier in result.rows:
        if isinstance(node, NamedNode) and tier is not None:
            tiers.setdefault(int(tier.value), set()).add(node)
    if not tiers:
        return []
    best = sorted(tiers[min(tiers)], key=lambda n: n.value)
    if len(best) > 1:
        log.warning("%r names %d nodes: %s; the query matches any of them", value, len(best),
                    ", ".join(n.value for n in best))
    return best


def bind_params(query: SavedQuery, params: dict[str, str] | None, backend: _Backend | None) -> dict[str, list[Term]]:
    """The terms each parameter is bound to: given values over defaults; an empty value binds nothing.

    Raises :class:`QueryError` for a parameter the query neither declares nor
    uses, and for a value that does not fit its kind.
    """
    declared = {p.name: p for p in query.params}
    used = query_variables(query.text)
    given = dict(params or {})
    for name in given:
        if name not in declared and name not in used:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {query.name!r} has no parameter {name!r}; its parameters: {known}")
    out: dict[str, list[Term]] = {}
    for name in [*declared, *(k for k in given if k not in declared)]:
        p = declared.get(name, Param(name))
        value = given.get(name, p.default)
        if value == "":
            continue
        out[name] = _terms_for(p, value, backend, query.name)
    return out


def _integer(p: Param, value: str, qname: str) -> int:
    """An integer parameter's value, checked against its range before Python converts it (no 5,000-digit ints)."""
    text = value.strip()
    shown = repr(text) if len(text) <= 24 else f"a {len(text)}-character value"
    allowed = f"an integer from {p.low} to {p.high}"
    if not re.fullmatch(r"[+-]?\d+", text):
        raise QueryError(f"parameter {p.name} of {qname!r} must be {allowed}, got {shown}")
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > 19 or not p.low <= int(text) <= p.high:
        raise QueryError(f"parameter {p.name} of {qname!r} is out of range: give {allowed}, got {shown}")
    return int(text)


def _terms_for(p: Param, value: str, backend: _Backend | None, qname: str) -> list[Term]:
    if p.kind == "literal":
        return [Literal(value)]
    if p.kind == "integer":
        return [Literal(str(_integer(p, value, qname)), datatype=NamedNode(XSD + "integer"))]
    iri = _iri_for(value)
    if iri is not None:
        return [iri]
    if p.kind == "term" and backend is not None:
        nodes = resolve_name(backend, value)
        if nodes:
            log.info("parameter %s=%r resolved to %s", p.name, value, ", ".join(n.value for n in nodes))
            return list(nodes)
        log.warning("parameter %s=%r names no actor or place in %s; it will match nothing", p.name, value,
                    backend.describe())
    # Bound as the string it is: matches no IRI, so the query answers nothing rather than everything.
    return [Literal(value)]


class _LocalStore:
    """A pyoxigraph store: in memory (from a file) or on disk (read-only)."""

    def __init__(self, store: Store, where: str) -> None:
        self.store = store
        self.where = where

    def describe(self) -> str:
        return self.where

    def select(self, query: str) -> QueryResult:
        return self.select_window(query)[0]

    def select_window(self, query: str, offset: int = 0, limit: int = 0,
                      count_to: int | None = None) -> tuple[QueryResult, int]:
        """The rows from ``offset`` on (``limit`` of them; 0: all) and how many rows there are in all.

        Only the rows kept are made into Python terms. With ``count_to``, counting stops there (the
        total returned is then ``count_to`` + 1 when there are more).
        """
        try:
            answer = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryError(f"query does not parse: {err}") from err
        except OSError as err:
            raise StoreError(f"{self.where}: query failed: {err}") from err
        if isinstance(answer, QueryBoolean):
            return QueryResult([], [], bool(answer)), 0
        if not isinstance(answer, QuerySolutions):
            raise QueryError("only SELECT and ASK queries are supported")
        variables = list(answer.variables)
        end = offset + limit if limit else None
        rows = []
        total = 0
        try:
            for total, sol in enumerate(answer, 1):
                if total > offset and (end is None or total <= end):
                    rows.append(tuple(sol[v] for v in variables))
                elif count_to is not None and total > count_to:
                    break
        except OSError as err:
            raise StoreError(f"{self.where}: query failed: {err}") from err
        return QueryResult([v.value for v in variables], rows), total


def _graph_for_file(path: Path) -> NamedNode:
    return NamedNode(path.resolve().as_uri())


def open_data(path: Path) -> _LocalStore:
    """Load a graph file into an in-memory store; triples outside any graph go to a graph named after the file."""
    fmt = DATA_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown graph format {path.suffix!r}; use one of {', '.join(DATA_FORMATS)}")
    graph = _graph_for_file(path)
    store = Store()
    try:
        with path.open("rb") as fh:
            store.extend(
                Quad(q.subject, q.predicate, q.object, graph) if isinstance(q.graph_name, DefaultGraph) else q
                for q in parse(fh, format=fmt)
            )
    except SyntaxError as err:
        raise InputError(str(path), f"not valid {path.suffix[1:]}: {err}") from err
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err}") from err
    from kg.view import add_missing_view

    add_missing_view(store, str(path))
    return _LocalStore(store, str(path))


def open_store(path: Path) -> _LocalStore:
    """Open an embedded (on-disk pyoxigraph) store read-only."""
    if not path.is_dir():
        raise StoreError(f"{path}: no such store folder")
    try:
        store = Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: cannot open the store read-only: {err}") from err
    graphs = [g for g in store.named_graphs() if isinstance(g, NamedNode)]
    if not graphs and len(store):
        log.warning("%s holds triples only in its default graph; the saved queries read newskg's named graphs", path)
    elif graphs and not any(g.value.endswith("graph/corpus") for g in graphs):
        log.warning("%s has no corpus view (graph/corpus), which the saved queries read: load the graph with "
                    "`kg load GRAPH --store %s` or build into it with `kg build ... --store %s`", path, path, path)
    from kg.store import warn_unfinished

    warn_unfinished(path)
    return _LocalStore(store, str(path))


def redact(url: str) -> str:
    """``url`` without user name or password."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", r"\1", url)


class _Endpoint:
    """A SPARQL 1.1 Protocol endpoint: POST form ``query=``, results as SPARQL JSON."""

    def __init__(self, url: str, user: str | None = None, password_env: str | None = None) -> None:
        import requests

        self.url = url
        self.shown = redact(url)
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/sparql-results+json"
        if password_env and not user:
            raise UsageError("--password-env needs --user")
        if user:
            password = ""
            if password_env:
                if password_env not in os.environ:
                    raise UsageError(f"environment variable {password_env} (the endpoint password) is not set")
                password = os.environ[password_env]
            else:
                log.warning("no --password-env given: sending an empty password for %s", user)
            self.session.auth = (user, password)

    def describe(self) -> str:
        return self.shown

    def select(self, query: str) -> QueryResult:
        import requests

        try:
            resp = self.session.post(self.url, data={"query": query}, timeout=ENDPOINT_TIMEOUT)
        except requests.RequestException as err:
            raise StoreError(f"{self.shown}: {type(err).__name__}: {_no_url(str(err), self.url)}") from err
        if resp.status_code != 200:
            detail = " ".join(resp.text.split())[:200]
            raise StoreError(f"{self.shown}: HTTP {resp.status_code} {resp.reason}: {detail}")
        cut = resp.headers.get("X-SPARQL-MaxRows")
        if cut:
            log.warning("%s cut the results at %s rows (X-SPARQL-MaxRows)", self.shown, cut)
        try:
            return from_sparql_json(resp.json())
        except (ValueError, KeyError, TypeError) as err:
            ctype = resp.headers.get("Content-Type", "?")
            raise StoreError(f"{self.shown}: not SPARQL results JSON (Content-Type {ctype}): {err}") from err


def _no_url(message: str, url: str) -> str:
    return message.replace(url, redact(url))


def from_sparql_json(doc: dict[str, Any]) -> QueryResult:
    """A :class:`QueryResult` from a W3C SPARQL 1.1 Query Results JSON document."""
    if "boolean" in doc:
        return QueryResult([], [], bool(doc["boolean"]))
    variables = list(doc["head"]["vars"])
    rows = [tuple(_json_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"]]
    return QueryResult(variables, rows)


def _json_term(b: dict[str, str] | None) -> Term | None:
    if b is None:
        return None
    kind = b["type"]
    if kind == "uri":
        return NamedNode(b["value"])
    if kind == "bnode":
        return BlankNode(b["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in b:
            return Literal(b["value"], language=b["xml:lang"])
        if "datatype" in b:
            return Literal(b["value"], datatype=NamedNode(b["datatype"]))
        return Literal(b["value"])
    raise ValueError(f"unknown term type {kind!r}")


# --------------------------------------------------------------------------- running
def run_query(
    name_or_file: str | Path | SavedQuery,
    *,
    data: Path | None = None,
    store: Path | None = None,
    endpoint: str | None = None,
    params: dict[str, str] | None = None,
    user: str | None = None,
    password_env: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> QueryResult:
    """Run a saved query (by name), a ``.rq`` file or a :class:`SavedQuery` on exactly one data source.

    ``data``: a graph file (.ttl .trig .nt .nq .jsonld) loaded into memory;
    ``store``: an embedded pyoxigraph store folder, opened read-only;
    ``endpoint``: a SPARQL 1.1 Protocol URL (``user`` and the password from
    the environment variable ``password_env`` for Basic auth). ``params``
    override the declared defaults; see :func:`bind_params`. ``limit`` and
    ``offset`` page a query that lists the whole corpus (see
    :func:`run_paged`): by default all of a file, and ``DEFAULT_PAGE`` on a
    store or endpoint; 0 means all.
    """
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise UsageError("give exactly one of data, store or endpoint")
    query = name_or_file if isinstance(name_or_file, SavedQuery) else load_query(name_or_file)
    if query_form(query.text) not in ("SELECT", "ASK"):
        raise QueryError(f"{query.name}: only SELECT and ASK queries are supported")
    backend: _Backend
    if data is not None:
        backend = open_data(data)
    elif store is not None:
        backend = open_store(store)
    else:
        assert endpoint is not None
        backend = _Endpoint(endpoint, user, password_env)
    if limit is None:
        limit = 0 if data is not None else DEFAULT_PAGE
    if limit < 0 or offset < 0:
        raise UsageError("limit and offset must be integers of 0 or more")
    text = inject_values(query.text, bind_params(query, params, backend))
    log.debug("running %s on %s:\n%s", query.name, backend.describe(), text)
    return run_paged(backend, text, limit, offset, query.name)


def run_paged(backend: _Backend, text: str, limit: int = 0, offset: int = 0, name: str = "query") -> QueryResult:
    """Run ``text``; with ``limit`` (0: all), only the rows from ``offset`` on, and say on the log how many in all.

    The page is cut by ``LIMIT``/``OFFSET`` after the query's own ``ORDER BY``
    (an embedded store counts the whole while it reads the page; an endpoint
    is asked for the count when the page is full or does not start at the top).
    """
    if (limit <= 0 and offset <= 0) or query_form(text) != "SELECT":
        return backend.select(text)
    if isinstance(backend, _LocalStore):
        result, total = backend.select_window(text, offset, limit, count_to=offset + limit + COUNT_BEYOND)
    else:
        window = f"\nLIMIT {limit} OFFSET {offset}" if limit > 0 else f"\nOFFSET {offset}"
        result = backend.select(text + window)
        total = offset + len(result.rows)
        if (limit > 0 and len(result.rows) == limit) or offset:
            scopes = _scopes(text)
            prologue, body = text[: scopes[0].start], text[scopes[0].start :]
            count = backend.select(f"{prologue}SELECT (COUNT(*) AS ?total) WHERE {{ {body} }}")
            if count.rows and count.rows[0][0] is not None:
                total = int(count.rows[0][0].value)
    _say_page(result.variables, total, limit or total, offset, name,
              more=isinstance(backend, _LocalStore) and total > offset + limit + COUNT_BEYOND)
    return result


def _say_page(variables: Sequence[str], total: int, limit: int, offset: int, name: str, more: bool = False) -> None:
    """Log which part of ``total`` rows a page of ``limit`` from ``offset`` holds, if not all of them.

    ``more``: the count stopped at ``total`` - 1, and there are more.
    """
    if more:
        log.warning("%s: rows %d–%d of more than %d: --offset %d for the next page, --limit 0 for all", name,
                    offset + 1, offset + limit, total - 1, offset + limit)
    elif offset >= total and (offset or total):
        log.warning("%s: nothing from row %d on: %d rows in all", name, offset + 1, total)
    elif offset or total > limit:
        shown = min(limit, total - offset)
        rest = f"--offset {offset + limit} for the next page" if offset + shown < total else "the last page"
        log.warning("%s: rows %d–%d of %d: %s, --limit 0 for all", name, offset + 1, offset + shown, total, rest)


# --------------------------------------------------------------------------- output formats
def format_result(result: QueryResult, fmt: str) -> str:
    """The result as ``table`` (aligned text), ``csv``/``tsv`` (W3C SPARQL 1.1 CSV/TSV) or ``json`` (W3C JSON)."""
    if fmt == "json":
        return json.dumps(to_sparql_json(result), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "table":
        return _table(result)
    raise UsageError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}")


def to_sparql_json(result: QueryResult) -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON document of ``result``."""
    if result.boolean is not None:
        return {"head": {}, "boolean": result.boolean}
    bindings = []
    for row in result.rows:
        b: dict[str, dict[str, str]] = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is not None:
                b[var] = _term_json(term)
        bindings.append(b)
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _term_json(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD + "string", RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, as the W3C CSV results format asks
    if result.boolean is not None:
        w.writerow(["boolean"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, BlankNode) else t.value) for t in row])
    return buf.getvalue()


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.language is None and term.datatype.value in (
        XSD + "integer",
        XSD + "decimal",
        XSD + "double",
        XSD + "boolean",
    ) and re.fullmatch(r"[+-]?[0-9.eE+-]+|true|false", term.value):
        return term.value  # the TSV format writes these bare, as Turtle does
    return str(term).replace("\t", "\\t")


def _tsv(result: QueryResult) -> str:
    if result.boolean is not None:
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


_SHORT = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def display(term: Term | None) -> str:
    """A term as a person reads it: a literal's text, an IRI as a prefixed name where one fits."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return " ".join(term.value.split())
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    for prefix, ns in _SHORT:
        if term.value.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.-]*", term.value[len(ns) :]):
            return f"{prefix}:{term.value[len(ns):]}"
    return f"<{term.value}>"


def _cut(text: str) -> str:
    return text if len(text) <= TABLE_CELL_MAX else text[: TABLE_CELL_MAX - 1] + "…"


def _table(result: QueryResult) -> str:
    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    cells = [[_cut(display(t)) for t in row] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def rows_as_strings(result: QueryResult) -> list[tuple[str, ...]]:
    """The rows as tuples of readable strings (for tests and reports comparing by content)."""
    return [tuple(display(t) for t in row) for row in result.rows]

