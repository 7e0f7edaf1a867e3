"""Small helpers the extractors share: tokens, clauses and actor mentions by sentence."""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Iterator
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


def mentions_by_sentence(
    mentions: list[Mention], sentences: Iterable[Span]
) -> Iterator[tuple[Span, list[Mention], int, int]]:
    """For each sentence: the mentions inside it, and how many mentions end, and begin, before it.

    Mentions do not overlap, so their begins and ends both increase and one
    pass over them serves every sentence.
    """
    n = len(mentions)
    ended = begun = 0
    for sent in sentences:
        while ended < n and mentions[ended].end <= sent.begin:
            ended += 1
        while begun < n and mentions[begun].begin < sent.begin:
            begun += 1
        end = begun
        while end < n and mentions[end].end <= sent.end:
            end += 1
        yield sent, mentions[begun:end], ended, begun


def mentions_in(mentions: list[Mention], span: Span) -> list[Mention]:
    """The mentions that lie inside ``span``."""
    return [m for m in mentions if m.begin >= span.begin and m.end <= span.end]


def phrase_at(toks: list[Token], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the lower-cased tokens from ``i`` spell ``phrase``."""
    if i + len(phrase) > len(toks):
        return False
    return all(toks[i + k].lower == w for k, w in enumerate(phrase))


class PhraseSet:
    """Phrases as token tuples, indexed by their first word, longest first."""

    def __init__(self, phrases: set[str] | list[tuple[str, ...]]) -> None:
        tuples = [p if isinstance(p, tuple) else tuple(t.lower for t in tokens(p)) for p in phrases]
        tuples = sorted((t for t in tuples if t), key=lambda p: (-len(p), p))
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for p in tuples:
            self.by_first.setdefault(p[0], []).append(p)
        self.firsts = frozenset(self.by_first)


def split_phrases(phrases: set[str]) -> PhraseSet:
    """Cue phrases, ready for :func:`find_phrases`."""
    return PhraseSet(phrases)


def find_phrases(toks: list[Token], phrases: PhraseSet) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of any phrase: (first token, end token, phrase text)."""
    if phrases.firsts.isdisjoint(map(_LOWER, toks)):
        return []
    by_first = phrases.by_first
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(toks)
    while i < n:
        hit = None
        first = by_first.get(toks[i].lower)
        if first is None:
            i += 1
            continue
        for p in first:
            if phrase_at(toks, i, p):
                hit = p
                break
        if hit:
            out.append((i, i + len(hit), " ".join(hit)))
            i += len(hit)
        else:
            i += 1
    return out
