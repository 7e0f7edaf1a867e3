"""Namespaces (declared once, here) and the minting of deterministic IRIs.

Project terms live in ``nkg:`` as a :class:`DefinedNamespace` with ``_fail``
set, so a typo raises instead of minting a wrong IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

DEFAULT_BASE = "https://w3id.org/newskg/id/"


class NKG(DefinedNamespace):
    """The newskg vocabulary (``https://w3id.org/newskg#``)."""

    _NS = Namespace("https://w3id.org/newskg#")
    _fail = True

    # classes
    Allegation: URIRef
    Denial: URIRef
    Confirmation: URIRef
    Group: URIRef
    Modality: URIRef
    Status: URIRef
    # properties
    sourceActor: URIRef
    targetActor: URIRef
    modality: URIRef
    item: URIRef
    claimant: URIRef
    accused: URIRef
    proposition: URIRef
    status: URIRef
    hedge: URIRef
    responds: URIRef
    evidence: URIRef
    kind: URIRef
    # individuals
    Occurred: URIRef
    Planned: URIRef
    Expected: URIRef
    Rumored: URIRef
    Alleged: URIRef
    Unanswered: URIRef
    Denied: URIRef
    Confirmed: URIRef
    EventTypes: URIRef


class SEM(DefinedNamespace):
    """Simple Event Model terms used by newskg."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    eventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


class NIF(DefinedNamespace):
    """NIF 2.0 core terms used for evidence spans."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    String: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef


class SCHEMA(DefinedNamespace):
    """schema.org terms (http form, as the design fixes it)."""

    _NS = Namespace("http://schema.org/")
    _fail = True

    NewsArticle: URIRef
    Person: URIRef
    Country: URIRef
    Organization: URIRef
    Place: URIRef
    Claim: URIRef
    headline: URIRef
    datePublished: URIRef
    url: URIRef
    citation: URIRef
    jobTitle: URIRef
    affiliation: URIRef
    nationality: URIRef
    containedInPlace: URIRef
    sha256: URIRef


WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "nkg": str(NKG._NS),
    "schema": str(SCHEMA._NS),
    "sem": str(SEM._NS),
    "prov": str(PROV),
    "nif": str(NIF._NS),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}

# the kinds of instance node, each a folder under the base ("actor/north-korea")
INSTANCE_KINDS = ("actor", "place", "event", "allegation", "denial", "confirmation", "article", "graph", "run")


def instance_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """A prefix per kind of instance node under ``base`` (``actor:north-korea``), for Turtle, TriG and JSON-LD."""
    base = base if base.endswith(("/", "#")) else base + "/"
    return {kind: f"{base}{kind}/" for kind in INSTANCE_KINDS}


def json_ld_context(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The JSON-LD ``@context`` newskg writes: the design's prefixes and the instance prefixes."""
    return {**PREFIXES, **instance_prefixes(base)}


ACTOR_CLASS: dict[str, URIRef] = {
    "Person": SCHEMA.Person,
    "Country": SCHEMA.Country,
    "Organization": SCHEMA.Organization,
    "Group": NKG.Group,
}


def event_type_iri(plover_type: str) -> URIRef:
    """The concept of the event-type scheme for a PLOVER type (``AID`` -> ``nkg:AID``)."""
    return URIRef(str(NKG._NS) + plover_type.upper())


def event_kind_iri(kind: str) -> URIRef:
    """The concept for a finer event kind (``missile test`` -> ``nkg:kind-missile-test``)."""
    return URIRef(str(NKG._NS) + "kind-" + slug(kind))


def ontology_ttl() -> str:
    """The ontology and PLOVER event-type scheme shipped with the package, as Turtle."""
    return resources.files("kg").joinpath("data/ontology.ttl").read_text(encoding="utf-8")


_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Lower-case ASCII slug of ``text``: accents dropped, other runs become ``-``.

    Text with no ASCII letter or digit at all gets a short hash so it still has
    a stable, distinct slug.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not s:
        return "x" + digest(text)[:12]
    return s[:80].rstrip("-")


def digest(*parts: str) -> str:
    """A stable hex digest of the given strings (order matters)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class IRIs:
    """Mints every instance IRI from content, under one base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", base):
            raise ValueError(f"base IRI must be an absolute http(s) IRI, got {base!r}")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def article(self, article_id: str) -> URIRef:
        """The article node, from its identifier (never from run order)."""
        return URIRef(f"{self.base}article/{slug(article_id)}")

    def article_graph(self, article_id: str) -> URIRef:
        """The named graph holding what one article contributes."""
        return URIRef(f"{self.base}graph/article/{slug(article_id)}")

    @property
    def actors_graph(self) -> URIRef:
        """The named graph of shared actor and place facts (types, label, Wikidata link, containing place)."""
        return URIRef(f"{self.base}graph/actors")

    @property
    def vocabulary_graph(self) -> URIRef:
        """The named graph holding the ontology and event-type scheme."""
        return URIRef(f"{self.base}graph/vocabulary")

    @property
    def provenance_graph(self) -> URIRef:
        """The named graph holding the run's provenance."""
        return URIRef(f"{self.base}graph/provenance")

    @property
    def quarantine_graph(self) -> URIRef:
        """The named graph where nodes that fail validation are kept."""
        return URIRef(f"{self.base}graph/quarantine")

    def actor(self, name: str) -> URIRef:
        """An actor, from its canonical name: the same in every article.

        Also the node of a place the actor lexicon knows (a country, an
        organisation's seat): :class:`kg.rdf.Mapper` picks the folder by what
        the entity is, not by the role it plays.
        """
        return URIRef(f"{self.base}actor/{slug(name)}")

    def place(self, name: str) -> URIRef:
        """A place, from its canonical name (also the node of a gazetteer place named as an actor)."""
        return URIRef(f"{self.base}place/{slug(name)}")

    def event(self, signature: tuple[str, ...]) -> URIRef:
        """An event, from a signature two mentions of the same event share."""
        return URIRef(f"{self.base}event/{slug(signature[0])}-{digest(*signature)[:16]}")

    def allegation(self, signature: tuple[str, ...]) -> URIRef:
        """An allegation, from (claimants, proposition)."""
        return URIRef(f"{self.base}allegation/{digest(*signature)[:16]}")

    def response(self, kind: str, signature: tuple[str, ...]) -> URIRef:
        """A denial or confirmation, from (kind, claimants, what it answers)."""
        return URIRef(f"{self.base}{kind}/{digest(*signature)[:16]}")

    def run(self, inputs_digest: str) -> URIRef:
        """The provenance activity of one build, from the digest of its inputs."""
        return URIRef(f"{self.base}run/{inputs_digest[:16]}")

    @staticmethod
    def span(article_iri: str, begin: int, end: int) -> URIRef:
        """An evidence span, RFC 5147 style: ``<ARTICLE#char=B,E>``."""
        return URIRef(f"{article_iri}#char={begin},{end}")
