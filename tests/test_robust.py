"""Robustness: any text in, no crash, a well-formed graph, the same graph twice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import RdfFormat, parse, serialize

from kg.errors import InputError
from kg.extract import extract
from kg.model import Article, Span
from kg.rdf import Mapper
from kg.read import decode, parse_text

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=600) | st.lists(
    st.sampled_from(
        [
            "Russia",
            "North Korea",
            "said",
            "denied",
            "the",
            "President",
            "Mr.",
            "visited",
            "on Monday",
            ".",
            ",",
            "\n\n",
            "according to",
            "U.S.",
            "officials",
            "not",
            "sanctions",
            "date 2024-01-01",
            '"',
            "\\",
            "\u200b",
        ]
    ),
    max_size=80,
).map(" ".join)


def _article(raw: str) -> Article | None:
    try:
        text = decode(raw.encode("utf-8"), "<hypothesis>")
    except InputError:
        return None
    doc = parse_text(text, "<hypothesis>")
    body = "\n\n".join(doc.paragraphs)
    if not body.strip():
        return None
    return Article(id="h", text=body, source="<hypothesis>", date=doc.date, paragraphs=(Span(0, len(body), body),))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_any_text_gives_the_same_wellformed_graph_twice(raw: str) -> None:
    article = _article(raw)
    if article is None:
        return
    first = Mapper().article_quads(extract(article))
    second = Mapper().article_quads(extract(article))
    a = serialize(sorted(first.quads, key=str), format=RdfFormat.N_QUADS)
    b = serialize(sorted(second.quads, key=str), format=RdfFormat.N_QUADS)
    assert a == b
    # what was written parses back
    assert len(list(parse(a or b"", format=RdfFormat.N_QUADS))) == len(set(first.quads))
