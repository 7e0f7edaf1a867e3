"""Small helpers the extractors share: tokens, clauses and actor mentions by sentence."""

from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass
from typing import NamedTuple

from kg.model import Actor, Extraction, Span

# "U.S." and "Mr." stay one token; hyphenated and apostrophe words too.
TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Lt|Col|Adm|Maj|St|Jr)\.|\w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*|['’][sS]\b|[^\w\s]"
)


class Token(NamedTuple):
    """A word or punctuation mark with its offsets in the article text; ``lower`` is its lower-cased form.

    A named tuple, not a dataclass: sentences make tens of thousands of these,
    and a tuple is several times cheaper to build.
    """

    text: str
    begin: int
    end: int
    lower: str


_new_token = tuple.__new__


@functools.lru_cache(maxsize=4096)
def _tokens(text: str, offset: int) -> tuple[Token, ...]:
    spans = [m.span() for m in TOKEN.finditer(text)]
    if text.isascii():
        # ASCII lower-casing is per character, so slicing the lowered sentence gives each token's lower form
        low = text.lower()
        return tuple([_new_token(Token, (text[b:e], b + offset, e + offset, low[b:e])) for b, e in spans])
    out = []
    for b, e in spans:
        word = text[b:e]
        out.append(_new_token(Token, (word, b + offset, e + offset, word.lower().replace("’", "'"))))
    return tuple(out)


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (cached: sentences are tokenised once)."""
    return list(_tokens(text, offset))


_LOWER = operator.attrgetter("lower")


@dataclass(frozen=True)
class Mention:
    """One actor mention: where, and which actor (by canonical name)."""

    begin: int
    end: int
    name: str
    type: str
    text: str


# the last actors tuple and its top mentions: the events, allegations and responses
# steps of one article all ask for the mentions of the same actors
_TOP: list[tuple[tuple[Actor, ...], list[Mention]]] = []


def top_mentions(found: Extraction) -> list[Mention]:
    """All actor mentions not inside a larger mention, in text order.

    Top mentions do not overlap, so both their begins and their ends increase.
    """
    if _TOP and _TOP[0][0] is found.actors:
        return list(_TOP[0][1])
    out = _top_mentions(found)
    _TOP[:] = [(found.actors, out)]
    return list(out)


def _top_mentions(found: Extraction) -> list[Mention]:
    allm = sorted(
        (Mention(s.begin, s.end, a.name, a.type, s.text) for a in found.actors for s in a.mentions),
        key=lambda m: (m.begin, -(m.end - m.begin), m.name),
    )
    out: list[Mention] = []
    for m in allm:
        if out and m.begin < out[-1].end:
            continue
        out.append(m)
    return out


def mentions_in(mentions: list[Mention], span: Span) -> list[Mention]:
    """The mentions that lie inside ``span``; ``mentions`` sorted by where they begin (as :func:`top_mentions`).

    Found by bisection, so an article's events cost their own mentions, not the article's.
    """
    lo = bisect.bisect_left(mentions, span.begin, key=lambda m: m.begin)
    hi = bisect.bisect_left(mentions, span.end, lo, key=lambda m: m.begin)
    return [m for m in mentions[lo:hi] if m.end <= span.end]
