"""SHACL validation of newskg graphs, reported in words a person can act on.

Two engines check the same shapes (``shapes/*.ttl``):

* ``pyshacl`` -- the reference implementation, used by ``kg validate``;
* ``fast`` -- the SHACL Core constraints the shapes use, and their SPARQL-based
  constraints, compiled once into SPARQL queries that run on pyoxigraph. The
  build uses it per article (:func:`article_validator`): a few milliseconds an
  article where a pyshacl call costs ~60 ms of overhead alone. A test holds the
  two engines to the same results on every defect case.

A dataset is validated as the union of its graphs, as pyshacl does: an
actor's type and label (in the shared graph) meet its mentions (in each
article's graph). The shapes need nothing beyond one article's graph and the
shared facts it brings, so the build can check article by article and agree
with a check of the whole file; what only the whole file can show (an event
reported by two articles under two labels) is at most a warning.

Shapes: the canonical files are ``shapes/*.ttl`` in the repository. The wheel
ships ``kg/data/shapes.ttl``, their concatenation (:func:`bundle_shapes`); a
test asserts the two agree. :func:`default_shapes` uses the repository folder
when it exists (a source checkout) and the packaged copy otherwise. After
editing a shape, refresh the copy with ``python -m kg.validate --bundle``.

The fast engine supports what newskg's shapes use: targets (``sh:targetClass``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``), property
shapes with a predicate path, ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:nodeKind``, ``sh:class``, ``sh:in``, ``sh:hasValue``,
``sh:pattern``, ``sh:minLength``, ``sh:lessThan``, ``sh:or``, ``sh:xone``,
``sh:not``, ``sh:node`` (of value-only shapes) and ``sh:sparql`` with
``sh:select``. Anything else raises :class:`kg.errors.ValidationError` when the
shapes are compiled, never silently passes. A SPARQL constraint must be
``SELECT $this ... WHERE { ... }`` with no solution modifiers, and its body
must bind ``$this`` in a triple pattern.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD

from kg.errors import ValidationError
from kg.rdf import parse_lines

log = logging.getLogger(__name__)

Engine = TypingLiteral["pyshacl", "fast"]
Severity = TypingLiteral["Violation", "Warning", "Info"]

REPO_SHAPES = Path(__file__).resolve().parent.parent / "shapes"
PACKAGED_SHAPES = "data/shapes.ttl"
SHAPES_NS = "https://w3id.org/newskg/shapes#"
DEFAULT_GRAPH_NAME = "urn:newskg:default-graph"  # stands in for the default graph of a Turtle file

SUFFIX_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
}

_NKG = "https://w3id.org/newskg#"
_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
_SCHEMA = "http://schema.org/"
_DCTERMS_ID = "http://purl.org/dc/terms/identifier"

_SHORT = {
    _NKG: "nkg:",
    SHAPES_NS: "nkgsh:",
    _SCHEMA: "schema:",
    "http://semanticweb.cs.vu.nl/2009/11/sem/": "sem:",
    "http://www.w3.org/ns/prov#": "prov:",
    _NIF: "nif:",
    str(SKOS): "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    str(RDFS): "rdfs:",
    str(RDF): "rdf:",
    str(XSD): "xsd:",
    str(SH): "sh:",
    "http://www.wikidata.org/entity/": "wd:",
}


# ---------------------------------------------------------------- shapes files


def default_shapes() -> Path:
    """The shapes used when none are given: ``shapes/`` in a checkout, else the packaged copy."""
    if REPO_SHAPES.is_dir() and any(REPO_SHAPES.glob("*.ttl")):
        return REPO_SHAPES
    return Path(str(resources.files("kg").joinpath(PACKAGED_SHAPES)))


def shape_files(shapes: Path) -> list[Path]:
    """The Turtle files of a shapes file or folder (sorted), or a ValidationError saying what is wrong."""
    if shapes.is_dir():
        files = sorted(shapes.glob("*.ttl"))
        if not files:
            raise ValidationError(f"{shapes}: no *.ttl shapes files in this folder")
        return files
    if not shapes.is_file():
        raise ValidationError(f"{shapes}: no such shapes file or folder")
    return [shapes]


def bundle_shapes(folder: Path = REPO_SHAPES) -> str:
    """The shapes of ``folder`` as one Turtle document (what ships as ``kg/data/shapes.ttl``)."""
    parts = ["# Generated from shapes/*.ttl by `python -m kg.validate --bundle`; edit those, not this.\n"]
    for f in shape_files(folder):
        parts.append(f"\n# ---------------------------------------------------------------- {f.name}\n")
        parts.append(f.read_text(encoding="utf-8"))
    return "".join(parts)


def _files_key(shapes: Path | None) -> tuple[tuple[str, int], ...]:
    files = shape_files(shapes or default_shapes())
    return tuple((str(f.resolve()), f.stat().st_mtime_ns) for f in files)


@lru_cache(maxsize=8)
def _shapes_graph(key: tuple[tuple[str, int], ...]) -> rdflib.Graph:
    g = rdflib.Graph()
    for name, _ in key:
        try:
            g.parse(name, format="turtle")
        except Exception as err:  # rdflib raises many kinds; all mean the same here
            raise ValidationError(f"{name}: cannot read shapes: {err}") from err
    return g


def load_shapes(shapes: Path | None = None) -> rdflib.Graph:
    """The shapes graph of a file or folder (default: :func:`default_shapes`), parsed once and cached."""
    return _shapes_graph(_files_key(shapes))


# ---------------------------------------------------------------- reading data


def read_quads(path: Path) -> list[Quad]:
    """The quads of an RDF file, format from its suffix; a ValidationError names line and column."""
    return list(_stream_quads(path))


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    """One SHACL validation result.

    Terms are strings: IRIs bare, blank nodes as ``_:id``; ``value`` in
    N-Triples syntax (``<iri>``, ``"text"``, ``"2024"^^<...#gYear>``).
    """

    severity: str
    shape: str
    message: str
    focus: str
    path: str | None = None
    value: str | None = None
    component: str | None = None


@dataclass
class _Context:
    label: str | None = None
    kinds: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    evidence: str | None = None
    graphs: list[str] = field(default_factory=list)


@dataclass
class ValidationReport:
    """The outcome of a validation: results, whether the graph conforms, and renderings for people."""

    results: list[Result]
    engine: str = "pyshacl"
    data: Store | None = field(default=None, repr=False)  # for naming focus nodes in reports
    _contexts: dict[str, _Context] = field(default_factory=dict, repr=False)

    @property
    def conforms(self) -> bool:
        """True when no result has Violation severity (warnings alone still conform)."""
        return not self.violations

    @property
    def violations(self) -> list[Result]:
        """Results of Violation severity."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        """Results of Warning or Info severity."""
        return [r for r in self.results if r.severity != "Violation"]

    def render(self, fmt: str = "text") -> str:
        """The report as ``text`` (for people), ``turtle`` (the SHACL report graph) or ``json``."""
        if fmt == "text":
            return self.to_text()
        if fmt == "turtle":
            return self.to_turtle()
        if fmt == "json":
            return self.to_json()
        raise ValueError(f"unknown report format {fmt!r}; use text, turtle or json")

    # ------------------------------------------------------------ context
    def context(self, focus: str) -> _Context:
        """What a person needs to find a focus node: label, kind, article ids, evidence sentence."""
        if focus not in self._contexts:
            self._contexts[focus] = _focus_context(self.data, focus) if self.data is not None else _Context()
        return self._contexts[focus]

    # ------------------------------------------------------------ formats
    def to_text(self) -> str:
        """Results grouped by severity, shape and message; each node named by label, article and sentence."""
        nv, nw = len(self.violations), len(self.warnings)
        head = "conforms" if self.conforms else "does NOT conform"
        lines = [f"SHACL validation ({self.engine}): {head} -- {_plural(nv, 'violation')}, {_plural(nw, 'warning')}"]
        groups: dict[tuple[int, str, str, str], list[Result]] = defaultdict(list)
        rank = {"Violation": 0, "Warning": 1, "Info": 2}
        for r in self.results:
            groups[(rank.get(r.severity, 3), r.severity, r.shape, r.message)].append(r)
        for (_, severity, shape, message), results in sorted(groups.items()):
            focus_nodes = sorted({r.focus for r in results})
            lines.append("")
            lines.append(f"{severity.upper()}: {message}")
            where = _short(shape) + (f", property {_short(results[0].path)}" if results[0].path else "")
            lines.append(f"  shape {where}; {_plural(len(focus_nodes), 'node')}:")
            for focus in focus_nodes:
                lines += self._describe(focus, [r for r in results if r.focus == focus])
        if not self.results:
            lines.append("Every node satisfies every shape.")
        return "\n".join(lines) + "\n"

    def _describe(self, focus: str, results: list[Result]) -> list[str]:
        c = self.context(focus)
        kind = "/".join(c.kinds) or "node"
        name = f'{kind} "{c.label}"' if c.label else kind
        out = [f"  - {name} <{focus}>"]
        if c.articles:
            out.append(f"      article: {', '.join(c.articles)}")
        if c.evidence:
            out.append(f'      evidence: "{_clip(c.evidence, 300)}"')
        values = sorted({r.value for r in results if r.value is not None and r.value.strip("<>") != focus})
        if values:
            out.append(f"      value: {', '.join(_clip(v, 120) for v in values)}")
        if c.graphs:
            out.append(f"      graph: {', '.join(c.graphs)}")
        return out

    def to_json(self) -> str:
        """The report as JSON: counts and one object per result, with the focus node's context."""
        results = []
        for r in self.results:
            c = self.context(r.focus)
            item = asdict(r)
            item.update(label=c.label, kinds=c.kinds, articles=c.articles, evidence=c.evidence)
            results.append(item)
        doc = {
            "conforms": self.conforms,
            "engine": self.engine,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": results,
        }
        return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    def to_turtle(self) -> str:
        """The W3C SHACL validation report graph, in Turtle."""
        sh = str(SH)
        lines = [
            f"_:report <{RDF.type}> <{sh}ValidationReport> .",
            f'_:report <{sh}conforms> "{str(self.conforms).lower()}"^^<{XSD.boolean}> .',
        ]
        for i, r in enumerate(self.results):
            b = f"_:r{i}"
            lines += [
                f"_:report <{sh}result> {b} .",
                f"{b} <{RDF.type}> <{sh}ValidationResult> .",
                f"{b} <{sh}resultSeverity> <{sh}{r.severity}> .",
                f"{b} <{sh}focusNode> {_nt(r.focus)} .",
                f"{b} <{sh}sourceShape> {_nt(r.shape)} .",
                f"{b} <{sh}resultMessage> {json.dumps(r.message, ensure_ascii=False)} .",
            ]
            if r.path:
                lines.append(f"{b} <{sh}resultPath> <{r.path}> .")
            if r.value is not None:
                lines.append(f"{b} <{sh}value> {r.value} .")
            if r.component:
                lines.append(f"{b} <{sh}sourceConstraintComponent> <{r.component}> .")
        quads = parse("\n".join(lines) + "\n", format=RdfFormat.N_TRIPLES)
        prefixes = {"sh": sh, "xsd": str(XSD), "nkgsh": SHAPES_NS, "nkg": _NKG}
        out = serialize(quads, format=RdfFormat.TURTLE, prefixes=prefixes)
        return out.decode("utf-8") if isinstance(out, bytes) else str(out)


def _result_key(r: Result) -> tuple[str, ...]:
    return (r.severity, r.shape, r.message, r.focus, r.path or "", r.value or "", r.component or "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for ns, prefix in _SHORT.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns) :]):
            return prefix + iri[len(ns) :]
    return iri if iri.startswith("_:") else f"<{iri}>"


def _nt(term: str) -> str:
    return term if term.startswith("_:") else f"<{term}>"


def _term_str(term: object) -> str:
    """A focus node or shape as a string: IRIs bare, blank nodes ``_:id``."""
    if isinstance(term, NamedNode | rdflib.URIRef):
        return str(term.value if isinstance(term, NamedNode) else term)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _focus_context(data: Store, focus: str) -> _Context:
    if focus.startswith("_:"):
        return _Context()
    c = _Context()
    node = NamedNode(focus)
    q = """
        SELECT ?label ?type ?id ?evidence ?g WHERE {
          { ?this rdfs:label|skos:prefLabel|schema:headline ?label }
          UNION { ?this a ?type }
          UNION { ?this nif:anchorOf ?evidence }
          UNION { ?this nkg:evidence/nif:anchorOf ?evidence }
          UNION { ?this (prov:wasDerivedFrom|nif:referenceContext)/dcterms:identifier ?id }
          UNION { ?this a schema:NewsArticle ; dcterms:identifier ?id }
          UNION { GRAPH ?g { ?this ?p ?o } }
        }"""
    prefixes = {
        "rdfs": str(RDFS),
        "skos": str(SKOS),
        "schema": _SCHEMA,
        "nif": _NIF,
        "nkg": _NKG,
        "prov": "http://www.w3.org/ns/prov#",
        "dcterms": "http://purl.org/dc/terms/",
    }
    labels: set[str] = set()
    kinds: set[str] = set()
    ids: set[str] = set()
    sentences: set[str] = set()
    graphs: set[str] = set()
    for row in data.query(q.replace("?this", str(node)), prefixes=prefixes, use_default_graph_as_union=True):  # type: ignore[union-attr]
        if row["label"] is not None:
            labels.add(row["label"].value)
        if row["type"] is not None:
            kinds.add(_kind_name(row["type"].value))
        if row["id"] is not None:
            ids.add(row["id"].value)
        if row["evidence"] is not None:
            sentences.add(row["evidence"].value)
        if row["g"] is not None and row["g"].value != DEFAULT_GRAPH_NAME:
            graphs.add(row["g"].value)
    c.label = _clip(min(labels), 120) if labels else None
    c.kinds = sorted(kinds - {"claim", "actor"}) or sorted(kinds)
    c.articles = sorted(ids)
    c.evidence = min(sentences, key=lambda s: (len(s), s)) if sentences else None
    c.graphs = sorted(graphs)
    return c


def _kind_name(iri: str) -> str:
    local = re.split(r"[#/]", iri)[-1]
    names = {
        "NewsArticle": "article",
        "String": "span",
        "Concept": "concept",
        "Event": "event",
        "Actor": "actor",
        "Allegation": "allegation",
        "Denial": "denial",
        "Confirmation": "confirmation",
        "Claim": "claim",
        "Person": "person",
        "Country": "country",
        "Organization": "organisation",
        "Group": "group",
        "Place": "place",
    }
    return names.get(local, local)


# ---------------------------------------------------------------- entry points


def validate_file(path: Path, shapes: Path | None = None, engine: Engine = "pyshacl") -> ValidationReport:
    """Validate an RDF file (.ttl .trig .nt .nq .jsonld) against the shapes.

    Raises :class:`kg.errors.ValidationError` when the file (or the shapes)
    cannot be read, naming line and column where the parser gives them.
    """
    quads = read_quads(path)
    log.info("validating %s: %d quads with %s", path, len(quads), engine)
    return validate_quads(quads, shapes, engine=engine)


def validate_quads(quads: Iterable[Quad], shapes: Path | None = None, engine: Engine = "pyshacl") -> ValidationReport:
    """Validate quads against the shapes, each named graph on its own (the default graph as one more)."""
    if engine == "fast":
        compiled = compiled_shapes(shapes)
        loaded = _load_store(quads, compiled.datatypes)
        results = compiled.run(loaded)
    elif engine == "pyshacl":
        loaded = _load_store(quads)
        results = _pyshacl_results(loaded.named_quads(), load_shapes(shapes))
    else:
        raise ValueError(f"unknown validation engine {engine!r}; use pyshacl or fast")
    return ValidationReport(sorted(set(results), key=_result_key), engine=engine, data=loaded.store)


def article_validator(shapes: Path | None = None) -> Callable[[Sequence[Quad]], list[tuple[str, str, str]]]:
    """A per-article check for the build: (focus IRI, shape, message) of each Violation-severity result.

    Uses the fast engine, compiled once; warnings are not checked here (they do
    not quarantine anything), which keeps it to a few milliseconds an article.
    """
    compiled = compiled_shapes(shapes)

    def check(quads: Sequence[Quad]) -> list[tuple[str, str, str]]:
        results = compiled.run(_load_store(quads, compiled.datatypes), severities=("Violation",))
        return sorted({(r.focus, r.shape, r.message) for r in results})

    return check


Originals = dict[tuple[str, str, str], list[Literal]]


def _union_store(quads: Iterable[Quad]) -> Store:
    """The union of the graphs of ``quads`` as one graph (each triple once) in a store of its own.

    The shapes read the union of all graphs. A node that k article graphs
    state would otherwise match each pattern k times, and a check joining two
    of its patterns would go through k² rows (a corpus's busiest actors are
    in thousands of articles).
    """
    graph = NamedNode(DEFAULT_GRAPH_NAME)
    store = Store()
    store.extend({Quad(q.subject, q.predicate, q.object, graph) for q in quads})
    return store


class _Loaded:
    """Quads for the fast engine: a store of them (made when a query first needs it), the facts the
    screens read, and what the store's canonical literals would hide from the datatype checks."""

    def __init__(self, quads: list[Quad], facts: _Facts) -> None:
        self.quads = quads
        self.facts = facts
        self.originals: Originals = {}  # (subject, predicate, stored literal) -> as written
        self.suspects: set[tuple[str, str]] = set()  # (predicate, datatype) with a failing value
        self._store: Store | None = None
        self._union: Store | None = None

    @property
    def store(self) -> Store:
        """The quads in an oxigraph store (the default graph's in a named graph), loaded on first use."""
        if self._store is None:
            self._store = Store()
            self._store.extend(self.quads)
            if next(self._store.quads_for_pattern(None, None, None, DefaultGraph()), None) is not None:
                self._store.update(f"ADD DEFAULT TO <{DEFAULT_GRAPH_NAME}> ; CLEAR DEFAULT")
        return self._store

    @property
    def union(self) -> Store:
        """The union of the quads' graphs, each triple once, in a store: what the checks query."""
        if self._union is None:
            self._union = _union_store(self.quads)
        return self._union

    def store_for(self, predicates: Sequence[frozenset[str] | None] | None) -> Store:
        """A store for queries that read only the given predicates (None: any): the whole union when it
        is made already or any query may read any predicate, else a union of just those quads."""
        if self._union is not None or predicates is None or None in predicates:
            return self.union
        wanted = {NamedNode(p) for ps in predicates for p in ps}  # type: ignore[union-attr]
        return _union_store(q for p in wanted for q in self.facts.by.get(p, ()))

    def named_quads(self) -> list[Quad]:
        """The quads, those of the default graph moved into the stand-in named graph."""
        default = NamedNode(DEFAULT_GRAPH_NAME)
        return [
            Quad(q.subject, q.predicate, q.object, default) if isinstance(q.graph_name, DefaultGraph) else q
            for q in self.quads
        ]


@lru_cache(maxsize=1024)
def _query_predicates(query: str) -> frozenset[str] | None:
    """The predicates a SPARQL query's triple patterns can match, or None when it may read any triple.

    Triples of other predicates cannot change its results, so a store without
    them answers it the same. Variable predicates, negated property sets,
    zero-length paths (``*``, ``?``), GRAPH and SERVICE patterns, or a query
    rdflib cannot parse, give None.
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # rdflib's parser raises many kinds; any means "cannot tell"
        return None
    found: set[str] = set()

    def path(p: object) -> bool:
        if isinstance(p, rdflib.URIRef):
            found.add(str(p))
            return True
        if isinstance(p, SequencePath | AlternativePath):
            return all(path(a) for a in p.args)
        if isinstance(p, InvPath):
            return path(p.arg)
        if isinstance(p, MulPath):
            return p.mod == "+" and path(p.path)
        return False

    def walk(node: object) -> bool:
        if isinstance(node, CompValue):
            if node.name in ("Graph", "GraphGraphPattern", "ServiceGraphPattern"):
                return False
            if node.name in ("BGP", "TriplesBlock"):
                # (s, p, o) triples; inside (NOT) EXISTS, flat lists of them: s p o s p o ...
                for t in node["triples"]:
                    if len(t) % 3 or not all(path(p) for p in t[1::3]):
                        return False
            return all(walk(v) for k, v in node.items() if k != "_vars")
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    return frozenset(found) if walk(algebra) else None


def _load_store(quads: Iterable[Quad], datatypes: dict[str, frozenset[str]] | None = None) -> _Loaded:
    """The quads ready for the fast engine: grouped by predicate for the screens, a store when queried.

    Oxigraph's store keeps numbers, booleans and dates in canonical form:
    ``"05"^^xsd:nonNegativeInteger`` comes back as ``"5"^^xsd:integer``. So
    ``sh:datatype`` is checked here, on each value as written, for the
    predicates ``datatypes`` names (predicate -> datatypes the shapes want):
    a (predicate, datatype) with a failing value becomes a suspect, and only
    suspects' queries run; the literals the store rewrote are remembered for
    them.
    """
    kept = quads if isinstance(quads, list) else list(quads)
    by: dict[NamedNode, list[Quad]] = {}
    for q in kept:
        p = q.predicate
        group = by.get(p)
        if group is None:
            by[p] = [q]
        else:
            group.append(q)
    loaded = _Loaded(kept, _Facts(by))
    for predicate, wanted in (datatypes or {}).items():
        for o in loaded.facts.objects(NamedNode(predicate)):
            for datatype in wanted:
                if not _datatype_ok(o, datatype):
                    loaded.suspects.add((predicate, datatype))
    suspect_predicates = {p for p, _ in loaded.suspects}
    for q in kept if suspect_predicates else ():
        p, o = q.predicate.value, q.object
        if p in suspect_predicates and isinstance(o, Literal) and o.datatype.value.startswith(_XSD):
            stored = _canonical(o)
            if stored != o:
                loaded.originals.setdefault((str(q.subject), p, str(stored)), []).append(o)
    return loaded


_XSD = str(XSD)
_PLAIN = {str(XSD.string), str(XSD.anyURI), str(RDF.langString)}
_INTEGERS = {
    str(XSD[t])
    for t in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_INT_RE = re.compile(r"^[+-]?[0-9]{1,18}$")
_XSD_INTEGER = str(XSD.integer)
_SCRATCH = NamedNode("urn:newskg:scratch")


@lru_cache(maxsize=65536)
def _canonical(lit: Literal) -> Literal:
    """The literal as oxigraph's store gives it back."""
    if lit.datatype.value in _INTEGERS and _INT_RE.match(lit.value):
        return Literal(str(int(lit.value)), datatype=NamedNode(str(XSD.integer)))
    scratch = Store()
    scratch.add(Quad(_SCRATCH, _SCRATCH, lit, _SCRATCH))
    return next(iter(scratch)).object


# ---------------------------------------------------------------- screens
#
# Most checks cannot fail on most articles, and a query costs far more to
# prepare and run than Python needs to see that it would return nothing. So
# each compiled check carries a screen: a test, on the triples indexed by
# predicate and subject, that is true only when the check's query can have no
# result. A screen that cannot tell (an unusual literal, a regular
# expression, a SPARQL constraint) lets the
# query run, so the results are the queries' results whatever the screens
# know. Values are judged as the store holds them (see :func:`_canonical`).

Term = NamedNode | BlankNode | Literal | Triple
Cond = Callable[[Any, "_Facts"], "bool | None"]  # True: conforms; False: does not; None: cannot tell
Target = tuple[str, Any]  # ("class" | "subjects" | "objects" | "node", term)

_RDF_TYPE = NamedNode(str(RDF.type))
_SUBCLASS = NamedNode(str(RDFS.subClassOf))
_CLASS_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_UNCHANGED = str(XSD.string)  # the one datatype whose literals the store never rewrites


class _Facts:
    """A dataset's quads by predicate, graphs merged as the queries see them.

    Subjects and objects are taken out of the quads only for the predicates a
    screen asks about, once each.
    """

    __slots__ = ("_instances", "_memo", "_objects", "_subjects", "_values", "by", "subclass")

    def __init__(self, by: dict[NamedNode, list[Quad]]) -> None:
        self.by = by
        self.subclass = _SUBCLASS in by  # subclass axioms: rdf:type alone does not tell the classes
        self._values: dict[NamedNode, dict[Term, list[Term]]] = {}
        self._objects: dict[NamedNode, list[Term]] = {}
        self._subjects: dict[NamedNode, set[Term]] = {}
        self._instances: dict[Term, set[Term]] | None = None
        self._memo: dict[tuple[NamedNode, Cond], bool] = {}

    def values(self, predicate: NamedNode) -> dict[Term, list[Term]]:
        """Subject -> objects of one predicate."""
        got = self._values.get(predicate)
        if got is None:
            got = {}
            for q in self.by.get(predicate, ()):
                s = q.subject
                values = got.get(s)
                if values is None:
                    got[s] = [q.object]
                else:
                    values.append(q.object)
            self._values[predicate] = got
        return got

    def subjects(self, predicate: NamedNode) -> set[Term]:
        """The subjects of one predicate."""
        got = self._subjects.get(predicate)
        if got is None:
            if predicate in self._values:
                got = set(self._values[predicate])
            else:
                got = {q.subject for q in self.by.get(predicate, ())}
            self._subjects[predicate] = got
        return got

    def single(self, predicate: NamedNode) -> bool:
        """Whether no subject has two values of ``predicate``."""
        if len(self.subjects(predicate)) == len(self.by.get(predicate, ())):
            return True  # one quad a subject
        return all(len(vs) < 2 or len(set(vs)) < 2 for vs in self.values(predicate).values())

    def objects(self, predicate: NamedNode) -> list[Term]:
        """The objects of one predicate (with repeats)."""
        got = self._objects.get(predicate)
        if got is None:
            if predicate in self._values:
                got = [o for values in self._values[predicate].values() for o in values]
            else:
                got = [q.object for q in self.by.get(predicate, ())]
            self._objects[predicate] = got
        return got

    def all_pass(self, predicate: NamedNode, cond: Cond) -> bool:
        """Whether every object of ``predicate`` (whatever its subject) certainly passes ``cond``."""
        key = (predicate, cond)
        got = self._memo.get(key)
        if got is None:
            got = all(cond(o, self) is True for o in self.objects(predicate))
            self._memo[key] = got
        return got

    def instances(self, cls: NamedNode) -> set[Term] | None:
        """The nodes of a class: typed with it, or with a class below it by ``rdfs:subClassOf`` chains
        (what the queries' ``rdf:type/rdfs:subClassOf*`` path finds)."""
        if self._instances is None:
            above = self._superclasses() if self.subclass else {}
            inst: dict[Term, set[Term]] = {}
            for node, classes in self.values(_RDF_TYPE).items():
                for c in classes:
                    inst.setdefault(c, set()).add(node)
                    for sup in above.get(c, ()):
                        inst.setdefault(sup, set()).add(node)
            self._instances = inst
        return self._instances.get(cls, set())

    def _superclasses(self) -> dict[Term, set[Term]]:
        """Class -> every class above it by one or more ``rdfs:subClassOf`` statements."""
        direct = self.values(_SUBCLASS)
        out: dict[Term, set[Term]] = {}
        for c in direct:
            seen: set[Term] = set()
            todo = list(direct[c])
            while todo:
                x = todo.pop()
                if x not in seen:
                    seen.add(x)
                    todo += direct.get(x, [])
            out[c] = seen - {c}
        return out


@dataclass(frozen=True)
class _Screen:
    """When a check's query cannot have a result; see :meth:`clean` for the kinds."""

    targets: tuple[Target, ...]
    kind: str = "query"
    path: NamedNode | None = None
    cond: Cond | None = None
    other: NamedNode | None = None  # sh:lessThan's other predicate
    value: Any = None  # sh:hasValue's value

    def focus(self, facts: _Facts) -> set[Term] | None:
        """The focus nodes of the targets, or None when only a query can tell."""
        out: set[Term] = set()
        for kind, node in self.targets:
            if kind == "class":
                found = facts.instances(node)
                if found is None:
                    return None
                out |= found
            elif kind == "subjects":
                out |= facts.subjects(node)
            elif kind == "objects":
                out.update(facts.objects(node))
            else:
                return None
        return out

    def clean(self, facts: _Facts) -> bool:
        """True when the query cannot return a row on ``facts``.

        Kinds: ``query`` (only an empty target tells), ``min`` (every focus
        node has the path), ``max1`` (no node has two values), ``values``
        (every value of the path, of a focus node, passes ``cond``), ``focus``
        (every focus node passes ``cond``), ``has`` (every focus node has the
        value), ``less`` (each value is below each ``other`` value).
        """
        focus = self.focus(facts)
        if focus is not None and not focus:
            return True
        kind = self.kind
        if kind == "query":
            return False
        if kind == "focus":
            cond = self.cond
            return focus is not None and cond is not None and all(cond(f, facts) is True for f in focus)
        assert self.path is not None
        if kind == "min":
            return focus is not None and focus.issubset(facts.subjects(self.path))
        if kind == "max1":
            return facts.single(self.path)
        if kind == "has":
            v = self.value
            values = facts.values(self.path)
            return focus is not None and _stable(v) and all(v in values.get(f, ()) for f in focus)
        if kind == "values":
            cond = self.cond
            assert cond is not None
            if facts.all_pass(self.path, cond):
                return True
            for node, vs in facts.values(self.path).items():
                if focus is None or node in focus:
                    for v in vs:
                        if cond(v, facts) is not True:
                            return False
            return True
        if kind == "less":
            assert self.other is not None
            others = facts.values(self.other)
            for node, vs in facts.values(self.path).items():
                if focus is None or node in focus:
                    for v in vs:
                        for w in others.get(node, ()):
                            if _less(v, w) is not True:
                                return False
            return True
        return False


def _stable(term: object) -> bool:
    """Whether the store holds the term exactly as written (so Python equality is SPARQL's sameTerm)."""
    return isinstance(term, NamedNode | BlankNode) or (isinstance(term, Literal) and term.datatype.value == _UNCHANGED)


def _stored(lit: Literal) -> Literal:
    return lit if lit.datatype.value == _UNCHANGED else _canonical(lit)


def _less(v: object, w: object) -> bool | None:
    """SPARQL's ``v < w`` for two integers as stored; None for anything else."""
    if not (isinstance(v, Literal) and isinstance(w, Literal)):
        return None
    a, b = _stored(v), _stored(w)
    if a.datatype.value != _XSD_INTEGER or b.datatype.value != _XSD_INTEGER:
        return None
    if not (_INT_RE.match(a.value) and _INT_RE.match(b.value)):
        return None
    return int(a.value) < int(b.value)


def _never(term: object, facts: _Facts) -> bool | None:
    return False


def _unknown(term: object, facts: _Facts) -> bool | None:
    return None


@lru_cache(maxsize=1024)
def _class_cond(cls: NamedNode) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        members = facts.instances(cls)
        return None if members is None else term in members

    return cond


@lru_cache(maxsize=1024)
def _datatype_cond(datatype: str) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        if not isinstance(term, Literal):
            return False
        stored = _stored(term)
        if stored.value.endswith("\n"):  # Python's "$" would match before it, SPARQL's does not
            return None
        return _datatype_ok(stored, datatype)

    return cond


_NODE_KIND_TESTS: dict[str, Callable[[object], bool]] = {
    str(SH.IRI): lambda t: isinstance(t, NamedNode),
    str(SH.Literal): lambda t: isinstance(t, Literal),
    str(SH.BlankNode): lambda t: isinstance(t, BlankNode),
    str(SH.BlankNodeOrIRI): lambda t: not isinstance(t, Literal),
    str(SH.IRIOrLiteral): lambda t: not isinstance(t, BlankNode),
    str(SH.BlankNodeOrLiteral): lambda t: not isinstance(t, NamedNode),
}


@lru_cache(maxsize=1024)
def _node_kind_cond(kind: str) -> Cond:
    test = _NODE_KIND_TESTS[kind]
    return lambda term, facts: test(term)


@lru_cache(maxsize=1024)
def _in_cond(members: frozenset[Any]) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        if not _stable(term):
            return None
        return term in members

    return cond


@lru_cache(maxsize=1024)
def _length_cond(n: int, at_most: bool) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        if isinstance(term, BlankNode):
            return False
        if isinstance(term, NamedNode):
            text = term.value
        elif isinstance(term, Literal):
            text = _stored(term).value
        else:
            return None
        return len(text) <= n if at_most else len(text) >= n

    return cond


def _all_cond(conds: Sequence[Cond]) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        unsure = False
        for c in conds:
            r = c(term, facts)
            if r is False:
                return False
            unsure = unsure or r is None
        return None if unsure else True

    return cond


def _or_cond(conds: Sequence[Cond]) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        got = [c(term, facts) for c in conds]
        return True if True in got else (None if None in got else False)

    return cond


def _xone_cond(conds: Sequence[Cond]) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        got = [c(term, facts) for c in conds]
        return None if None in got else got.count(True) == 1

    return cond


def _not_cond(inner: Cond) -> Cond:
    def cond(term: object, facts: _Facts) -> bool | None:
        r = inner(term, facts)
        return None if r is None else not r

    return cond


def _oxi_term(term: rdflib.term.Node) -> Any:
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        return Literal(str(term), datatype=NamedNode(str(term.datatype or XSD.string)))
    raise ValidationError(f"blank node {term} cannot be a value in a compiled constraint")


# ---------------------------------------------------------------- pyshacl


def _pyshacl_results(quads: list[Quad], shapes_graph: rdflib.Graph) -> list[Result]:
    import pyshacl

    ds = _to_dataset(quads)
    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.CRITICAL)  # ill-typed literals are reported by the shapes, not as tracebacks
    try:
        with _memoized_sparql_parsing():
            _conforms, report, _text = pyshacl.validate(
                ds,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=False,
                allow_warnings=True,
            )
    finally:
        rdflib_log.setLevel(level)
    assert isinstance(report, rdflib.Graph)
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(res, SH.resultSeverity)
        path = report.value(res, SH.resultPath)
        value = report.value(res, SH.value)
        messages = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        out.append(
            Result(
                severity=str(severity).rsplit("#", 1)[-1],
                shape=_term_str(report.value(res, SH.sourceShape)),
                message=messages[0] if messages else "",
                focus=_term_str(report.value(res, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                value=_rdflib_nt(value) if value is not None else None,
                component=str(report.value(res, SH.sourceConstraintComponent) or "") or None,
            )
        )
    return out


@contextmanager
def _memoized_sparql_parsing() -> Iterator[None]:
    """Parse each SPARQL query text once while pyshacl runs.

    pyshacl hands rdflib the same SPARQL constraint text for every focus node,
    and rdflib parses it each time (~50 ms: the whole cost of a SPARQL-based
    constraint). Translated queries are reusable (that is what rdflib's
    ``prepareQuery`` is for), so evaluation is unchanged.
    """
    from rdflib.plugins.sparql import processor

    parse_query: Any = processor.parseQuery
    translate_query: Any = processor.translateQuery
    cache: dict[object, object] = {}

    def translate(text: Any, base: Any = None, init_ns: Any = None) -> Any:
        try:
            key = (text, base, tuple(sorted(dict(init_ns or {}).items())))
            hash(key)
        except TypeError:
            return translate_query(parse_query(text), base, init_ns)
        if key not in cache:
            cache[key] = translate_query(parse_query(text), base, init_ns)
        return cache[key]

    setattr(processor, "parseQuery", lambda text: text)  # noqa: B010 - patching a module function on purpose
    setattr(processor, "translateQuery", translate)  # noqa: B010
    try:
        yield
    finally:
        setattr(processor, "parseQuery", parse_query)  # noqa: B010
        setattr(processor, "translateQuery", translate_query)  # noqa: B010


def _rdflib_nt(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.Literal):
        lit = (
            Literal(str(term), datatype=NamedNode(str(term.datatype)))
            if term.datatype
            else (Literal(str(term), language=term.language) if term.language else Literal(str(term)))
        )
        return str(lit)
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return f"<{term}>"


def _to_dataset(quads: list[Quad]) -> rdflib.Dataset:
    # Through N-Quads: pyoxigraph writes them fast (and, unlike its store, as written).
    data = serialize(quads, format=RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    ds.parse(data=data, format="nquads")
    return ds


# ---------------------------------------------------------------- the fast engine

_SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
_LEXICAL = {
    str(XSD.date): r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    str(XSD.gYearMonth): r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    str(XSD.gYear): r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    str(XSD.nonNegativeInteger): r"^\+?[0-9]+$",
    str(XSD.integer): r"^[+-]?[0-9]+$",
    str(XSD.boolean): r"^(true|false|1|0)$",
}
_NODE_KINDS = {
    str(SH.IRI): "isIRI({v})",
    str(SH.Literal): "isLiteral({v})",
    str(SH.BlankNode): "isBlank({v})",
    str(SH.BlankNodeOrIRI): "!isLiteral({v})",
    str(SH.IRIOrLiteral): "!isBlank({v})",
    str(SH.BlankNodeOrLiteral): "!isIRI({v})",
}
_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?(?P<proj>.*?)\s*WHERE\s*\{(?P<body>.*)\}\s*$", re.S | re.I)
_KNOWN = {  # shape properties that are not constraints, or are handled elsewhere
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.property,
    SH.path,
    SH.sparql,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
}


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, compiled to a query whose rows are results (``?this ?value``)."""

    shape: str
    severity: str
    message: str
    component: str
    path: str | None
    query: str
    datatype: str | None = None  # checked in Python on the literal as written (see _load_store)
    screen: _Screen | None = field(default=None, compare=False)  # when the query cannot have a result
    plain: str = ""  # the query for data without subclass axioms (rdf:type alone gives the classes)

    def __post_init__(self) -> None:
        if not self.plain:
            object.__setattr__(self, "plain", self.query.replace(_CLASS_PATH, f"<{RDF.type}>"))


class CompiledShapes:
    """The shapes as SPARQL queries on pyoxigraph; see the module docstring for what is supported."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.checks: list[Check] = []
        self._focus: tuple[Target, ...] = ()  # the targets of the shape being compiled
        self._compile()
        wanted: dict[str, set[str]] = defaultdict(set)
        for c in self.checks:
            if c.datatype is not None and c.path is not None:
                wanted[c.path].add(c.datatype)
        self.datatypes = {p: frozenset(d) for p, d in wanted.items()}  # predicate -> datatypes checked on it

    def run(self, loaded: _Loaded, severities: Sequence[str] | None = None, screens: bool = True) -> list[Result]:
        """The results of every check (or those of the given severities) on ``loaded``.

        ``loaded`` comes from :func:`_load_store` with :attr:`datatypes`, which
        has already found which datatype checks can fail. A check whose screen
        shows it cannot fail here is not queried (``screens=False`` queries
        every check: the same results, slower).
        """
        out = []
        facts = loaded.facts
        due: list[Check] = []
        for check in self.checks:
            if severities is not None and check.severity not in severities:
                continue
            if check.datatype is not None and (check.path, check.datatype) not in loaded.suspects:
                continue
            if screens and check.screen is not None and check.screen.clean(facts):
                continue
            due.append(check)
        store = loaded.store_for(None if facts.subclass else [_query_predicates(c.plain) for c in due])
        for check in due:
            query = check.query if facts.subclass else check.plain
            for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
                this, value = row["this"], row["value"]
                if check.datatype is not None:
                    key = (str(this), check.path or "", str(value))
                    written = loaded.originals.get(key) or [value]
                    bad = [w for w in written if not _datatype_ok(w, check.datatype)]
                    if not bad:
                        continue
                    value = bad[0]
                out.append(
                    Result(
                        severity=check.severity,
                        shape=check.shape,
                        message=check.message,
                        focus=_term_str(this),
                        path=check.path,
                        value=str(value) if value is not None else None,
                        component=check.component,
                    )
                )
        return out

    # ------------------------------------------------------------ compiling
    def _compile(self) -> None:
        g = self.graph
        shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            shapes |= set(g.subjects(p, None))
        for shape in sorted(shapes, key=str):
            targets = self._targets(shape)
            if not targets or self._deactivated(shape):
                continue
            target = " UNION ".join(f"{{ {t} }}" for t in targets)
            self._focus = self._target_terms(shape)
            if g.value(shape, SH.path) is not None:
                self._property(shape, target, shape)
                continue
            self._node_constraints(shape, target)
            for prop in sorted(g.objects(shape, SH.property), key=str):
                if not self._deactivated(prop):
                    self._property(prop, target, prop)
            for sparql in sorted(g.objects(shape, SH.sparql), key=str):
                self._sparql(shape, sparql, target)

    def _deactivated(self, shape: rdflib.term.Node) -> bool:
        value = self.graph.value(shape, SH.deactivated)
        return isinstance(value, rdflib.Literal) and value.toPython() is True

    def _targets(self, shape: rdflib.term.Node) -> list[str]:
        g = self.graph
        out = [f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> ." for c in g.objects(shape, SH.targetClass)]
        out += [
            f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{p}> ?_t }} }}" for p in g.objects(shape, SH.targetSubjectsOf)
        ]
        out += [
            f"{{ SELECT DISTINCT ?this WHERE {{ ?_t <{p}> ?this }} }}" for p in g.objects(shape, SH.targetObjectsOf)
        ]
        out += [f"VALUES ?this {{ {_sparql_term(n)} }} ?this ?_p ?_o ." for n in g.objects(shape, SH.targetNode)]
        return sorted(out)

    def _target_terms(self, shape: rdflib.term.Node) -> tuple[Target, ...]:
        g = self.graph
        out: list[Target] = [("class", NamedNode(str(c))) for c in g.objects(shape, SH.targetClass)]
        out += [("subjects", NamedNode(str(p))) for p in g.objects(shape, SH.targetSubjectsOf)]
        out += [("objects", NamedNode(str(p))) for p in g.objects(shape, SH.targetObjectsOf)]
        out += [("node", None) for _ in g.objects(shape, SH.targetNode)]
        return tuple(out)

    def _screen(self, kind: str = "query", path: str | None = None, **more: Any) -> _Screen:
        return _Screen(self._focus, kind, NamedNode(path) if path else None, **more)

    def _meta(self, shape: rdflib.term.Node) -> tuple[str, str]:
        sev = _SEVERITIES.get(str(self.graph.value(shape, SH.severity) or SH.Violation), "Violation")
        messages = sorted(str(m) for m in self.graph.objects(shape, SH.message))
        return sev, messages[0] if messages else f"Fails the shape {_short(_term_str(shape))}"

    def _add(
        self,
        shape: rdflib.term.Node,
        component: str,
        path: str | None,
        body: str,
        group_by: str | None = None,
        datatype: str | None = None,
        screen: _Screen | None = None,
    ) -> None:
        severity, default_message = self._meta(shape)
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {body} }}"
        if group_by is not None:
            query = f"SELECT ?this (SAMPLE(?_none) AS ?value) WHERE {{ {body} }} {group_by}"
        self.checks.append(
            Check(
                shape=_term_str(shape),
                severity=severity,
                message=default_message,
                component=str(SH) + component,
                path=path,
                query=query,
                datatype=datatype,
                screen=screen or self._screen(),
            )
        )

    def _node_constraints(self, shape: rdflib.term.Node, target: str) -> None:
        for component, cond, test in self._value_conditions(shape, "?value"):
            self._add(
                shape,
                component,
                None,
                f"{target} BIND (?this AS ?value) FILTER (!COALESCE({cond}, false))",
                screen=self._screen("focus", cond=test),
            )

    def _property(self, prop: rdflib.term.Node, target: str, source: rdflib.term.Node) -> None:
        g = self.graph
        path = g.value(prop, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise ValidationError(f"shape {_term_str(prop)}: only predicate paths are supported by the fast engine")
        p = f"<{path}>"
        for key, n in ((SH.minCount, g.value(prop, SH.minCount)), (SH.maxCount, g.value(prop, SH.maxCount))):
            if n is None:
                continue
            count = int(str(n))
            if key == SH.minCount and count == 1:
                self._add(
                    source,
                    "MinCountConstraintComponent",
                    str(path),
                    f"{target} FILTER NOT EXISTS {{ ?this {p} ?_x }}",
                    screen=self._screen("min", str(path)),
                )
            elif key == SH.minCount and count > 1:
                self._add(
                    source,
                    "MinCountConstraintComponent",
                    str(path),
                    f"{target} OPTIONAL {{ ?this {p} ?_x }}",
                    group_by=f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_x) < {count})",
                )
            elif key == SH.maxCount and count == 0:
                self._add(
                    source,
                    "MaxCountConstraintComponent",
                    str(path),
                    f"{target} ?this {p} ?_x .",
                    screen=self._screen("values", str(path), cond=_never),
                )
            elif key == SH.maxCount and count == 1:
                self._add(
                    source,
                    "MaxCountConstraintComponent",
                    str(path),
                    # nodes with two values first (one pass over the predicate), then the target: joining
                    # each node's values with themselves after the target was quadratic in a node's values
                    f"{{ SELECT ?this WHERE {{ ?this {p} ?_x }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_x) > 1) }} "
                    f"{target}",
                    screen=self._screen("max1", str(path)),
                )
            elif key == SH.maxCount:
                self._add(
                    source,
                    "MaxCountConstraintComponent",
                    str(path),
                    f"{target} ?this {p} ?_x .",
                    group_by=f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_x) > {count})",
                )
        for v in g.objects(prop, SH.hasValue):
            self._add(
                source,
                "HasValueConstraintComponent",
                str(path),
                f"{target} FILTER NOT EXISTS {{ ?this {p} {_sparql_term(v)} }}",
                screen=self._screen("has", str(path), value=_oxi_term(v)),
            )
        for other in g.objects(prop, SH.lessThan):
            self._add(
                source,
                "LessThanConstraintComponent",
                str(path),
                f"{target} ?this {p} ?value . ?this <{other}> ?_w . FILTER (!COALESCE(?value < ?_w, false))",
                screen=self._screen("less", str(path), other=NamedNode(str(other))),
            )
        for d in g.objects(prop, SH.datatype):
            # The store may have rewritten the literal: let every XSD-typed one through to the Python check.
            cond = _datatype_condition(str(d), "?value")
            self._add(
                source,
                "DatatypeConstraintComponent",
                str(path),
                f"{target} ?this {p} ?value . FILTER (!COALESCE({cond}, false) || "
                f'(isLiteral(?value) && STRSTARTS(STR(datatype(?value)), "{_XSD}")))',
                datatype=str(d),
            )
        for component, cond, test in self._value_conditions(prop, "?value", datatypes=False):
            self._add(
                source,
                component,
                str(path),
                f"{target} ?this {p} ?value . FILTER (!COALESCE({cond}, false))",
                screen=self._screen("values", str(path), cond=test),
            )
        unknown = set(g.predicates(prop, None)) - _KNOWN - {SH.minCount, SH.maxCount, SH.hasValue, SH.lessThan}
        unknown -= set(_VALUE_COMPONENTS)
        if unknown:
            names = ", ".join(sorted(_short(str(u)) for u in unknown))
            raise ValidationError(f"shape {_term_str(prop)}: the fast engine does not support {names}")

    def _value_conditions(self, shape: rdflib.term.Node, v: str, datatypes: bool = True) -> list[tuple[str, str, Cond]]:
        """(component, SPARQL condition true when ``v`` conforms, its screen) for each value-level constraint."""
        g = self.graph
        out: list[tuple[str, str, Cond]] = []
        for c in g.objects(shape, SH["class"]):
            out.append(
                (
                    "ClassConstraintComponent",
                    f"EXISTS {{ {v} {_CLASS_PATH} <{c}> }}",
                    _class_cond(NamedNode(str(c))),
                )
            )
        for d in g.objects(shape, SH.datatype) if datatypes else ():
            out.append(("DatatypeConstraintComponent", _datatype_condition(str(d), v), _datatype_cond(str(d))))
        for k in g.objects(shape, SH.nodeKind):
            out.append(("NodeKindConstraintComponent", _NODE_KINDS[str(k)].format(v=v), _node_kind_cond(str(k))))
        for lst in g.objects(shape, SH["in"]):
            members = list(rdflib.collection.Collection(g, lst))
            cond = " || ".join(f"sameTerm({v}, {_sparql_term(m)})" for m in members) or "false"
            out.append(("InConstraintComponent", f"({cond})", _in_cond(frozenset(_oxi_term(m) for m in members))))
        for pat in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            extra = f', "{_escape(str(flags))}"' if flags else ""
            out.append(
                (
                    "PatternConstraintComponent",
                    f'(!isBlank({v}) && regex(str({v}), "{_escape(str(pat))}"{extra}))',
                    _unknown,  # XPath regular expressions are the store's to judge
                )
            )
        for n in g.objects(shape, SH.minLength):
            out.append(
                (
                    "MinLengthConstraintComponent",
                    f"(!isBlank({v}) && strlen(str({v})) >= {int(str(n))})",
                    _length_cond(int(str(n)), at_most=False),
                )
            )
        for n in g.objects(shape, SH.maxLength):
            out.append(
                (
                    "MaxLengthConstraintComponent",
                    f"(!isBlank({v}) && strlen(str({v})) <= {int(str(n))})",
                    _length_cond(int(str(n)), at_most=True),
                )
            )
        for lst in g.objects(shape, SH["or"]):
            parts = [self._member(m, v) for m in rdflib.collection.Collection(g, lst)]
            out.append(
                (
                    "OrConstraintComponent",
                    "(" + " || ".join(c for c, _ in parts) + ")",
                    _or_cond([t for _, t in parts]),
                )
            )
        for lst in g.objects(shape, SH.xone):
            parts = [self._member(m, v) for m in rdflib.collection.Collection(g, lst)]
            out.append(
                (
                    "XoneConstraintComponent",
                    "((" + " + ".join(f"IF({c}, 1, 0)" for c, _ in parts) + ") = 1)",
                    _xone_cond([t for _, t in parts]),
                )
            )
        for m in g.objects(shape, SH["not"]):
            sparql, test = self._member(m, v)
            out.append(("NotConstraintComponent", f"!{sparql}", _not_cond(test)))
        for m in g.objects(shape, SH.node):
            sparql, test = self._member(m, v)
            out.append(("NodeConstraintComponent", sparql, test))
        return out

    def _member(self, shape: rdflib.term.Node, v: str) -> tuple[str, Cond]:
        g = self.graph
        unsupported = set(g.predicates(shape, None)) - _KNOWN - set(_VALUE_COMPONENTS)
        if unsupported or any(True for _ in g.objects(shape, SH.property)):
            raise ValidationError(
                f"shape {_term_str(shape)}: the fast engine supports only value constraints inside sh:or/sh:xone/"
                "sh:not/sh:node"
            )
        parts = self._value_conditions(shape, v)
        conds = [f"COALESCE({c}, false)" for _, c, _ in parts]
        return "(" + (" && ".join(conds) or "true") + ")", _all_cond([t for _, _, t in parts])

    def _sparql(self, shape: rdflib.term.Node, constraint: rdflib.term.Node, target: str) -> None:
        g = self.graph
        select = g.value(constraint, SH.select)
        if select is None:
            raise ValidationError(f"shape {_term_str(shape)}: sh:sparql without sh:select")
        m = _SELECT.match(str(select))
        if m is None or ("$this" not in m.group("proj") and "?this" not in m.group("proj")):
            raise ValidationError(
                f"shape {_term_str(shape)}: a SPARQL constraint must read SELECT $this ... WHERE {{ ... }}"
            )
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self._prefixes(constraint))
        body = m.group("body").replace("$this", "?this")
        messages = sorted(str(x) for x in g.objects(constraint, SH.message))
        value = "?value" if "?value" in m.group("proj") else "(?_none AS ?value)"
        body_query = f"SELECT DISTINCT ?this {value} WHERE {{ {target} {body} }}"
        severity, default_message = self._meta(shape)
        self.checks.append(
            Check(
                shape=_term_str(shape),
                severity=severity,
                message=messages[0] if messages else default_message,
                component=str(SH) + "SPARQLConstraintComponent",
                path=None,
                query=prefixes + body_query,
                screen=self._screen(),
            )
        )

    def _prefixes(self, constraint: rdflib.term.Node) -> list[tuple[str, str]]:
        g = self.graph
        out = []
        for ont in g.objects(constraint, SH.prefixes):
            for decl in g.objects(ont, SH.declare):
                out.append((str(g.value(decl, SH.prefix)), str(g.value(decl, SH.namespace))))
        return sorted(set(out))


_VALUE_COMPONENTS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.flags,
    SH.minLength,
    SH.maxLength,
    SH["or"],
    SH.xone,
    SH["not"],
    SH.node,
)


def _datatype_condition(datatype: str, v: str) -> str:
    cond = f"(isLiteral({v}) && datatype({v}) = <{datatype}>"
    if datatype in _LEXICAL:
        cond += f' && regex(str({v}), "{_escape(_LEXICAL[datatype])}")'
    return cond + ")"


def _datatype_ok(term: object, datatype: str) -> bool:
    """SHACL's sh:datatype: a literal of exactly that datatype, well-formed where we know the lexical space."""
    if not isinstance(term, Literal) or term.datatype.value != datatype:
        return False
    pattern = _LEXICAL.get(datatype)
    return pattern is None or re.search(pattern, term.value) is not None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _sparql_term(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return _rdflib_nt(term)
    raise ValidationError(f"blank node {term} cannot be a value in a compiled constraint")


@lru_cache(maxsize=8)
def _compiled(key: tuple[tuple[str, int], ...]) -> CompiledShapes:
    return CompiledShapes(_shapes_graph(key))


def compiled_shapes(shapes: Path | None = None) -> CompiledShapes:
    """The shapes compiled for the fast engine (cached per file set and modification time)."""
    return _compiled(_files_key(shapes))


# ---------------------------------------------------------------- streaming
#
# A whole-file check holds every quad (and pyshacl's copy of them) in memory.
# The stream instead spills the quads to a scratch SQLite file, keyed by the
# ordinal of their subject (subjects numbered as first seen, so one article's
# nodes are neighbours), and checks the subjects in batches. Each batch holds
# every quad, from any graph, whose subject is in the batch, the quads of the
# nodes they point to by a predicate some shape reads through (sh:class paths
# and the predicates of SPARQL constraints), and the subclass axioms. Every
# newskg shape reads a focus node's own statements and at most the statements
# of its values, so a focus node's results in its batch are its results in
# the union of all graphs: the whole-file report, whatever order the file's
# quads come in and however many articles describe one node.

StreamEngine = TypingLiteral["pyshacl", "fast", "pyrudof"]
STREAM_BATCH = 20_000  # quads of batch subjects per check (their values' quads come on top)
_SUBCLASS_IRI = str(RDFS.subClassOf)
_CONTEXT_HOPS = frozenset(
    {f"{_NKG}evidence", _PROV_DERIVED, f"{_NIF}referenceContext"}
)  # what :func:`_focus_context` reads beyond the focus node


def deep_predicates(shapes_graph: rdflib.Graph) -> frozenset[str] | None:
    """Predicates whose values' statements some shape reads (None: it cannot be told, so any may be).

    Those are the paths of property shapes with ``sh:class`` or ``sh:node``
    and every predicate a SPARQL-based constraint names.
    """
    g = shapes_graph
    out: set[str] = set()
    for prop in set(g.subjects(SH["class"], None)) | set(g.subjects(SH.node, None)):
        path = g.value(prop, SH.path)
        if path is None:
            continue  # a node shape's sh:class reads the focus node's own types
        if not isinstance(path, rdflib.URIRef):
            return None
        out.add(str(path))
    for constraint in g.objects(None, SH.sparql):
        select = g.value(constraint, SH.select)
        prefixes = "".join(
            f"PREFIX {g.value(d, SH.prefix)!s}: <{g.value(d, SH.namespace)}>\n"
            for ont in g.objects(constraint, SH.prefixes)
            for d in g.objects(ont, SH.declare)
        )
        found = _through_predicates(prefixes + str(select).replace("$this", "?this")) if select is not None else None
        if found is None:
            return None
        out |= found
    return frozenset(out)


def _through_predicates(query: str) -> frozenset[str] | None:
    """The predicates by which a SPARQL constraint goes from ``?this`` to a node whose statements it reads.

    Those are the predicates of a pattern ``?this p ?x`` where ``?x`` is the
    subject of another pattern. None when the query reads further (a node two
    hops from ``?this``), uses a path other than a predicate or an alternative
    of predicates, or cannot be parsed: then every value must be followed.
    """
    from rdflib.paths import AlternativePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # rdflib's parser raises many kinds; any means "cannot tell"
        return None
    triples: list[tuple[Any, Any, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):
                for t in node["triples"]:
                    triples.extend((t[i], t[i + 1], t[i + 2]) for i in range(0, len(t) - 2, 3))
            for k, v in node.items():
                if k != "_vars":
                    walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(algebra)
    this = Variable("this")
    subjects = {t[0] for t in triples if isinstance(t[0], Variable)}
    one_hop = {t[2] for t in triples if t[0] == this}
    if subjects - {this} - one_hop:
        return None  # a pattern on a node that is not ?this nor one of its values: further than one hop
    out: set[str] = set()
    for subject, path, obj in triples:
        if subject != this or obj not in subjects or obj == this:
            continue
        if isinstance(path, rdflib.URIRef):
            out.add(str(path))
        elif isinstance(path, AlternativePath) and all(isinstance(x, rdflib.URIRef) for x in path.args):
            out.update(str(x) for x in path.args)
        else:
            return None
    return frozenset(out)


class _Spill:
    """The quads of a file in a scratch SQLite database, by subject ordinal."""

    def __init__(self, folder: str | None = None) -> None:
        import sqlite3
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="kg-validate-", dir=folder)
        self.db = sqlite3.connect(str(Path(self._dir.name) / "quads.sqlite"))
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-65536;"
            "CREATE TABLE q (s INTEGER NOT NULL, line TEXT NOT NULL);"
        )
        self.ordinal: dict[str, int] = {}  # subject (N-Triples) -> ordinal, in order of first appearance
        self.globals: list[Quad] = []  # the subclass axioms, wanted in every batch
        self.count = 0

    def fill(self, quads: Iterable[Quad]) -> None:
        """Spill every quad (once: a repeated line in one graph is one quad)."""
        ordinal = self.ordinal
        rows: list[tuple[int, str]] = []
        for q in quads:
            s = str(q.subject)
            n = ordinal.get(s)
            if n is None:
                n = ordinal[s] = len(ordinal)
            rows.append((n, str(q)))
            if q.predicate.value == _SUBCLASS_IRI:
                self.globals.append(q)
            if len(rows) >= 100_000:
                self._insert(rows)
                rows = []
        self._insert(rows)
        self.db.execute("CREATE INDEX q_s ON q (s)")
        self.db.commit()
        log.info("spilled %d quads of %d subjects", self.count, len(ordinal))

    def _insert(self, rows: list[tuple[int, str]]) -> None:
        self.db.executemany("INSERT INTO q VALUES (?, ?)", rows)
        self.count += len(rows)

    def lines(self, lo: int, hi: int) -> Iterator[tuple[int, str]]:
        """(subject ordinal, quad) of the subjects numbered lo..hi-1, by ordinal."""
        yield from self.db.execute("SELECT s, line FROM q WHERE s >= ? AND s < ? ORDER BY s", (lo, hi))

    def of(self, subjects: Iterable[int]) -> list[str]:
        """The quads of the given subject ordinals."""
        out: list[str] = []
        ids = sorted(set(subjects))
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            out += [r[0] for r in self.db.execute(f"SELECT line FROM q WHERE s IN ({marks})", part)]
        return out

    def batches(self, size: int) -> Iterator[tuple[int, int]]:
        """Ordinal ranges [lo, hi) holding about ``size`` quads each (a subject is never split)."""
        lo, n = 0, 0
        for s, count in self.db.execute("SELECT s, COUNT(*) FROM q GROUP BY s ORDER BY s"):
            n += count
            if n >= size:
                yield lo, s + 1
                lo, n = s + 1, 0
        if lo < len(self.ordinal):
            yield lo, len(self.ordinal)

    def close(self) -> None:
        """Drop the scratch database."""
        self.db.close()
        self._dir.cleanup()


def _stream_quads(path: Path) -> Iterator[Quad]:
    """The quads of an RDF file, parsed as they are read (N-Quads and N-Triples line by line)."""
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(SUFFIX_FORMATS)}")
    try:
        with path.open("rb") as fh:
            yield from parse(fh, format=fmt)
    except FileNotFoundError as err:
        raise ValidationError(f"{path}: no such file") from err
    except OSError as err:
        raise ValidationError(f"{path}: cannot read: {err.strerror or err}") from err
    except SyntaxError as err:
        where = f"{path}:{err.lineno}:{err.offset}" if err.lineno else str(path)
        raise ValidationError(f"{where}: not valid {fmt.name}: {err.msg}") from err
    except ValueError as err:
        raise ValidationError(f"{path}: not valid {fmt.name}: {err}") from err


def batch_checker(shapes: Path | None = None, engine: StreamEngine = "fast") -> Callable[[list[Quad]], list[Result]]:
    """A check of one batch of quads with the given engine: every result, of every severity."""
    if engine == "fast":
        compiled = compiled_shapes(shapes)
        return lambda quads: compiled.run(_load_store(quads, compiled.datatypes))
    if engine == "pyshacl":
        graph = load_shapes(shapes)
        return lambda quads: _pyshacl_results(_load_store(quads).named_quads(), graph)
    if engine == "pyrudof":
        return _rudof_checker(shapes)
    raise ValueError(f"unknown validation engine {engine!r}; use fast, pyshacl or pyrudof")


def validate_stream(
    path: Path,
    shapes: Path | None = None,
    engine: StreamEngine = "fast",
    batch: int = STREAM_BATCH,
    scratch: str | None = None,
) -> ValidationReport:
    """Validate an RDF file in bounded memory, with the same results as :func:`validate_file` on the union.

    The quads are read once into a scratch database (``scratch``: its folder,
    default the system's temporary folder), then checked in batches of about
    ``batch`` quads of whole subjects, each with the statements of the nodes
    its shapes read through (see the section comment above). The report's
    context (labels, articles, sentences) is read from the same database, so
    the text is the whole-file text. Raises :class:`kg.errors.ValidationError`
    on an unreadable file or shapes.
    """
    graph = load_shapes(shapes)
    deep = deep_predicates(graph)
    check = batch_checker(shapes, engine)
    spill = _Spill(scratch)
    try:
        spill.fill(_stream_quads(path))
        results: set[Result] = set()
        done = 0
        for lo, hi in spill.batches(batch):
            own = list(spill.lines(lo, hi))
            quads = parse_lines(line for _, line in own)
            subjects = {str(q.subject) for q in quads}
            wanted = {
                n
                for q in quads
                if deep is None or q.predicate.value in deep
                if (n := spill.ordinal.get(str(q.object))) is not None and not lo <= n < hi
            }
            quads += parse_lines(spill.of(wanted))
            quads += spill.globals
            found = check(list(dict.fromkeys(quads)))
            results.update(r for r in found if _focus_key(r.focus) in subjects)
            done += len(own)
            log.info("validated %d of %d quads: %d results so far", done, spill.count, len(results))
        context = _context_store(spill, {r.focus for r in results})
    finally:
        spill.close()
    return ValidationReport(sorted(results, key=_result_key), engine=engine, data=context)


def _focus_key(focus: str) -> str:
    return focus if focus.startswith("_:") else f"<{focus}>"


def _context_store(spill: _Spill, focus: set[str]) -> Store:
    """The statements :func:`_focus_context` reads about the focus nodes (theirs and their values')."""
    store = Store()
    first = [n for f in focus if (n := spill.ordinal.get(_focus_key(f))) is not None]
    quads = parse_lines(spill.of(first))
    hops = {
        n for q in quads if q.predicate.value in _CONTEXT_HOPS if (n := spill.ordinal.get(str(q.object))) is not None
    }
    quads += parse_lines(spill.of(hops - set(first)))
    store.extend(quads)
    if next(store.quads_for_pattern(None, None, None, DefaultGraph()), None) is not None:
        store.update(f"ADD DEFAULT TO <{DEFAULT_GRAPH_NAME}> ; CLEAR DEFAULT")
    return store


def _rudof_checker(shapes: Path | None) -> Callable[[list[Quad]], list[Result]]:
    """pyrudof's SHACL validator as a batch check (measured in ``benchmarks/validate.py``; optional)."""
    try:
        import pyrudof
    except ImportError as err:
        raise ValidationError("the pyrudof engine needs the pyrudof package: pip install pyrudof") from err
    text = "".join(f.read_text(encoding="utf-8") + "\n" for f in shape_files(shapes or default_shapes()))
    default = NamedNode(DEFAULT_GRAPH_NAME)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(text)

    def check(quads: list[Quad]) -> list[Result]:
        named = [
            Quad(q.subject, q.predicate, q.object, default) if isinstance(q.graph_name, DefaultGraph) else q
            for q in quads
        ]
        data = serialize(named, format=RdfFormat.N_QUADS)
        rudof.read_data(data.decode("utf-8") if isinstance(data, bytes) else str(data), format=pyrudof.RDFFormat.NQuads)
        return [_rudof_result(e) for e in rudof.validate_shacl()]

    return check


def _rudof_result(entry: Any) -> Result:
    # pyrudof gives each message in N-Triples syntax, several joined by newlines; the report keeps the first
    messages = []
    for text in str(entry.message or "").split("\n"):
        found = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]*>)?', text.strip())
        messages.append(json.loads(f'"{found.group(1)}"') if found else text)
    message = min(messages) if messages else ""
    value = entry.value
    return Result(
        severity=str(entry.severity).rsplit("#", 1)[-1],
        shape=str(entry.source_shape or ""),
        message=message,
        focus=str(entry.focus_node),
        path=str(entry.path) if entry.path else None,
        value=str(value) if value is not None else None,
        component=str(entry.constraint_component or "") or None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.validate --bundle``: refresh ``kg/data/shapes.ttl`` from ``shapes/*.ttl``."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--bundle"]:
        sys.stderr.write("usage: python -m kg.validate --bundle\n")
        return 2
    target = Path(__file__).resolve().parent / PACKAGED_SHAPES
    target.write_text(bundle_shapes(REPO_SHAPES), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
