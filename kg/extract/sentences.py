"""A fast sentence splitter for ordinary news prose, falling back to syntok.

:func:`kg.text.sentences` (syntok) is exact but takes a third of the
extraction time. Most wire-copy paragraphs need only one rule: a sentence ends
at ``.``, ``!`` or ``?`` (and any closing quotes or brackets) followed by
space and a capital letter, a digit or an opening quote, unless the word
before the stop is an abbreviation ("Mr.", "Gen.", "Sept.") or an initial
("U.S.", "V."). Paragraphs with anything this rule is unsure of (ellipses,
stops inside brackets or quotes, lower-case starts after a stop, very long
paragraphs) go to syntok, so the spans are the same as
:func:`kg.text.sentences` gives.
"""

from __future__ import annotations

import re

from syntok._segmentation_states import State as _Syntok

from kg.model import Span
from kg.text import _paragraph_bounds
from kg.text import sentences as syntok_sentences

# Words that end with a stop without ending a sentence (lower-cased, without the stop).
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "sen",
        "rep",
        "lt",
        "col",
        "adm",
        "maj",
        "st",
        "jr",
        "sr",
        "gov",
        "prof",
        "no",
        "nos",
        "vs",
        "etc",
        "cf",
        "al",
        "fig",
        "capt",
        "cmdr",
        "sgt",
        "brig",
        "rev",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "cpl",
        "pvt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "est",
        "approx",
        "ave",
        "blvd",
        "univ",
        "assn",
    ]
)
_STOP = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_NEXT = re.compile(r"\s+([\"“]?)([A-ZÀ-ÖØ-Þ])")
_END = re.compile(r"[a-z]{2}[.!?][\"”’]?\s*$")
# what makes a paragraph too unusual for the simple rule
_ODD = re.compile(r"\.\.|…|[.!?][\"”’)\]]\s|\S[.!?][^\s\"'”’)\].A-Z]|\)\s+[^a-z\s]")
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "sen",
        "rep",
        "lt",
        "col",
        "adm",
        "maj",
        "st",
        "gov",
        "prof",
        "capt",
        "cmdr",
        "sgt",
        "brig",
        "rev",
        "hon",
        "pres",
    ]
)
_MAX_SIMPLE = 5000
# A decimal point ("35.3%", "$8.6 billion") is never a sentence end for syntok; it alone does not make
# a paragraph odd (such a paragraph is split in the careful mode below).
_DECIMAL = re.compile(r"\d\.\d")
_ODD_BUT_DECIMALS = re.compile(_ODD.pattern.replace(r"|\S[.!?]", r"|(?!\d\.\d)\S[.!?]"))
_ANY_END = re.compile(r"[.!?][\"'”’]*\s*$")
_WORD_AFTER = re.compile(r"([A-Z][a-z]*)(?![^\W_])")  # a capitalised word that is one syntok token
# a word syntok keeps as one token: no camel case ("McDonald" is two), no letters after digits
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+|[0-9]+|(?:[A-Za-z]\.)+[A-Za-z]")
# what careful mode leaves to syntok: brackets (whose text syntok may skip) and its other terminals
_NOT_CAREFUL = re.compile("[(\\[{;\u203c\u203d\u2047\u2048\u2049\u3002\ufe52\ufe57\uff01\uff0e\uff1f\uff61]")


_PUNCT = re.compile(r"[.!?()\"“”'’]")
_LAST_WORD = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_DAY_NUMBER = re.compile(r"\d{1,2}(?:,|\s)")


def _simple(chunk: str, base: int, text: str, careful_mode: bool = True) -> list[Span] | None:
    """The sentences of one paragraph, or None when the simple rule is not sure.

    Where the plain rule gives up, careful mode (unless ``careful_mode`` is
    off) decides each stop from the words either side by syntok's own rules,
    and gives up in its turn on anything those rules do not settle.
    """
    if len(chunk) > _MAX_SIMPLE:
        return None
    careful = False  # set where the plain rule would give up
    if _ODD.search(chunk):
        if _ODD_BUT_DECIMALS.search(chunk) or not careful_mode:
            return None
        careful = True
    if not _END.search(chunk):
        if careful_mode and _ANY_END.search(chunk) and "\n" not in chunk.strip():
            careful = True
        elif _PUNCT.search(chunk) or "\n" in chunk.strip():
            return None
        else:
            # a heading: one sentence
            b, e = len(chunk) - len(chunk.lstrip()), len(chunk.rstrip())
            return [Span(base + b, base + e, text[base + b : base + e])] if e > b else []
    got = None if careful else _split(chunk, base, text, False)
    if got is None and careful_mode and not _NOT_CAREFUL.search(chunk):
        got = _split(chunk, base, text, True)
    return got


def _syntok_token_after(chunk: str, k: int) -> str | None:
    """The word at ``k`` if syntok would read it as one token (a capitalised plain word), else None."""
    m = _WORD_AFTER.match(chunk, k)
    return m.group(1) if m else None


def _syntok_keeps(before: str, after: str) -> bool:
    """Whether syntok goes on after ``before.`` when the capitalised word ``after`` follows (no sentence end)."""
    if after in _Syntok.starters:
        return False
    return (
        before in _Syntok.abbreviations
        or "." in before
        or (len(before) == 1 and (before.isupper() or (before.isalpha() and before not in _Syntok.vowels)))
    )


def _syntok_ends(before: str, after: str, stop: str) -> bool:
    """Whether syntok ends a sentence at ``before`` + ``stop`` (one of . ! ?) when the capitalised word
    ``after`` follows; False also where its rules depend on more than that."""
    if len(stop) > 1 or len(before) == 1 or before in _Syntok.roman_numerals or "." in before:
        return False
    if after in _Syntok.starters:
        return True
    if before in _Syntok.abbreviations or before in _Syntok.months or before in ("no", "No", "NO"):
        return False
    return not (before.isnumeric() and after in _Syntok.months)


def _split(chunk: str, base: int, text: str, careful: bool) -> list[Span] | None:
    """The sentences of one paragraph by the simple rule; ``careful`` also takes the stops the simple rule
    is unsure of, where syntok's rules decide them from the words either side alone."""
    out: list[Span] = []
    start = 0
    n = len(chunk)
    while start < n and chunk[start].isspace():
        start += 1
    for m in _STOP.finditer(chunk):
        end = m.end()
        k = end
        while k < n and chunk[k].isspace():
            k += 1
        follow = chunk[k] if k < n else ""
        word = _LAST_WORD.search(chunk[start : m.start()])
        w = word.group(1) if word else ""
        low = w.lower().lstrip("\"'“‘(")
        before = w.lstrip("\"'“‘(") if careful and _PLAIN_WORD.fullmatch(w.lstrip("\"'“‘(")) else None
        after = _syntok_token_after(chunk, k) if careful and k == end + 1 else None
        if m.group() == "." and (low in _ABBREV or _INITIALS.fullmatch(low)):
            if follow.islower() or (low in _MONTHS and _DAY_NUMBER.match(chunk[k : k + 3]) is not None):
                # "U.S. officials", "Mr. Kim": not an end
                continue
            if before is not None and after is not None and _syntok_keeps(before, after):
                continue  # "U.S. Secretary", "Mr. Kim", "Vladimir V. Putin"
            return None
        if not follow:
            continue
        nxt = _NEXT.match(chunk, end)
        if nxt is None or nxt.group(1) in ("(", "["):
            return None
        if careful:
            if before is None or after is None or not _syntok_ends(before, after, m.group()):
                return None
        elif sum(c.isalpha() for c in low) < 2:
            return None
        out.append(Span(base + start, base + end, text[base + start : base + end]))
        start = nxt.start(1) if nxt.group(1) else nxt.start(2)
    tail = chunk[start:].rstrip()
    if tail:
        out.append(Span(base + start, base + start + len(tail), text[base + start : base + start + len(tail)]))
    return out


def sentences(text: str) -> tuple[Span, ...]:
    """Split ``text`` into sentences, exactly as :func:`kg.text.sentences` does, faster on plain prose."""
    out: list[Span] = []
    for pb, pe in _paragraph_bounds(text):
        got = _simple(text[pb:pe], pb, text)
        if got is None:
            got = [Span(s.begin + pb, s.end + pb, s.text) for s in syntok_sentences(text[pb:pe])]
        out.extend(got)
    return tuple(out)
