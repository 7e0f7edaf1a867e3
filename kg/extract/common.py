"""Small helpers the extractors share: tokens, clauses and actor mentions by sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Extraction, Span

# "U.S." and "Mr." stay one token; hyphenated and apostrophe words too.
TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Lt|Col|Adm|Maj|St|Jr)\.|\w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*|['’][sS]\b|[^\w\s]"
)


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its offsets in the article text."""

    text: str
    begin: int
    end: int

    @property
    def lower(self) -> str:
        """The token in lower case, curly apostrophes straightened."""
        return self.text.lower().replace("’", "'")


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset``."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in TOKEN.finditer(text)]


@dataclass(frozen=True)
class Mention:
    """One actor mention: where, and which actor (by canonical name)."""

    begin: int
    end: int
    name: str
    type: str
    text: str


def top_mentions(found: Extraction) -> list[Mention]:
    """All actor mentions not inside a larger mention, in text order."""
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
    """The mentions that lie inside ``span``."""
    return [m for m in mentions if m.begin >= span.begin and m.end <= span.end]


def phrase_at(toks: list[Token], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the lower-cased tokens from ``i`` spell ``phrase``."""
    if i + len(phrase) > len(toks):
        return False
    return all(toks[i + k].lower == w for k, w in enumerate(phrase))


def split_phrases(phrases: set[str]) -> list[tuple[str, ...]]:
    """Cue phrases as token tuples, longest first."""
    out = [tuple(t.lower for t in tokens(p)) for p in phrases]
    return sorted(out, key=lambda p: (-len(p), p))


def find_phrases(toks: list[Token], phrases: list[tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of any phrase: (first token, end token, phrase text)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        by_first.setdefault(p[0], []).append(p)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        hit = None
        for p in by_first.get(toks[i].lower, ()):
            if phrase_at(toks, i, p):
                hit = p
                break
        if hit:
            out.append((i, i + len(hit), " ".join(hit)))
            i += len(hit)
        else:
            i += 1
    return out
