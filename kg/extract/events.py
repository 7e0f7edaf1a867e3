"""Events: trigger lexicon -> PLOVER type and kind, with roles, items, place and modality.

One event per trigger and type in a sentence. Verbs need a verb context (a
subject, an auxiliary, "to" after a verb of intent); nouns count when they
head a clause's subject or follow a light verb, and not when they are
background ("despite sanctions"), anaphoric ("the talks", "this alliance") or
the object of another trigger ("condemned the cooperation"). Negated events
are not emitted.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass

from kg.extract.common import (
    Mention,
    PhraseSet,
    Token,
    find_phrases,
    mentions_by_sentence,
    split_phrases,
    tokens,
    top_mentions,
)
from kg.extract.lexicon import Lexicon, Trigger, lexicon
from kg.model import Article, Event, Extraction, Place, Span

_AUX = frozenset(
    [
        "to",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "shall",
        "did",
        "do",
        "does",
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "who",
        "which",
        "that",
        "they",
        "we",
        "he",
        "she",
        "it",
        "and",
        "also",
        "still",
        "reportedly",
        "allegedly",
        "jointly",
        "already",
        "then",
        "now",
        "never",
        "not",
        "recently",
        "again",
        "continue",
        "continues",
        "continued",
    ]
)
_TO_OK = frozenset(
    [
        "plan",
        "plans",
        "planned",
        "planning",
        "expected",
        "set",
        "scheduled",
        "due",
        "poised",
        "likely",
        "agreed",
        "agree",
        "agrees",
        "hope",
        "hopes",
        "hoped",
        "hoping",
        "continue",
        "continues",
        "continued",
        "began",
        "begin",
        "begins",
        "started",
        "start",
        "starts",
        "attempts",
        "attempt",
        "attempted",
        "tried",
        "try",
        "tries",
        "efforts",
        "effort",
        "sought",
        "seek",
        "seeks",
        "seeking",
        "wants",
        "want",
        "wanted",
        "intends",
        "intend",
        "intended",
        "decided",
        "vowed",
        "threatened",
        "voted",
        "moved",
        "going",
        "able",
        "ready",
        "used",
        "refused",
        "declined",
        "failed",
        "appears",
        "appear",
        "appeared",
        "promised",
        "pledged",
        "offered",
        "agreed",
        "order",
        "ordered",
        "allowed",
        "allow",
        "forced",
        "seems",
    ]
)
_PREPS = frozenset(
    [
        "of",
        "with",
        "to",
        "from",
        "between",
        "by",
        "against",
        "in",
        "for",
        "on",
        "at",
        "among",
        "amongst",
        "toward",
        "towards",
        "into",
        "over",
        "about",
        "than",
        "under",
        "within",
        "across",
    ]
)
_BOUNDARY = frozenset([";:—"]) | {"while", "whereas", "but", "although", "though", "however", "which", "who"}
_DETS = frozenset(["the", "a", "an", "its", "their", "his", "her", "this", "these", "that", "those", "our"])
_DEMONSTRATIVE = frozenset(["this", "these", "that", "those", "such"])
_LIGHT = frozenset(
    [
        "hold",
        "held",
        "holds",
        "holding",
        "embark",
        "embarked",
        "embarks",
        "undertake",
        "undertook",
        "undertaken",
        "make",
        "made",
        "pay",
        "paid",
        "conduct",
        "conducted",
        "carry",
        "carried",
        "stage",
        "staged",
        "launch",
        "launched",
        "sign",
        "signed",
        "reach",
        "reached",
        "impose",
        "imposed",
        "announce",
        "announced",
        "begin",
        "began",
        "begun",
        "start",
        "started",
        "complete",
        "completed",
        "attend",
        "attended",
        "plan",
        "planned",
        "planning",
        "host",
        "hosted",
        "organise",
        "organised",
        "organize",
        "organized",
    ]
)
_COLLECTIVE = re.compile(
    r"\b(?:these|those|the|both)\s+(?:two\s+)?(?P<noun>nations|countries|states|governments|sides|leaders|allies|neighbours|neighbors)\b",
    re.IGNORECASE,
)
_COMMENTATORS = frozenset(
    [
        "experts",
        "analysts",
        "observers",
        "stakeholders",
        "sources",
        "critics",
        "researchers",
        "journalists",
        "monitors",
        "witnesses",
        "commentators",
    ]
)
_ITEM_STOP = frozenset(
    [
        "to",
        "for",
        "from",
        "in",
        "into",
        "during",
        "while",
        "that",
        "which",
        "who",
        "as",
        "by",
        "at",
        "on",
        "since",
        "after",
        "before",
        "because",
        "despite",
        "amid",
        "including",
        ";",
        ":",
        ".",
        "(",
        ")",
        "—",
        '"',
        "“",
        "”",
        "said",
        "says",
        "according",
    ]
)
_QUANTITY = re.compile(
    r"^(?:(?:significant|large|vast|huge|unspecified|unknown|limited|new|more|further|additional|vital|key|"
    r"several|many|some|over|about|around|nearly|almost|more than|less than|"
    r"fewer than|than|at least|up to|[\d,.]+|hundreds|thousands|"
    r"millions|dozens|tons|tonnes|quantities|amounts|numbers|batches|shipments|containers|consignments|"
    r"of|the|a|an|its|their|his|her)\s+)+",
    re.IGNORECASE,
)


@dataclass
class _Hit:
    i: int  # first token
    j: int  # end token (exclusive)
    trig: Trigger
    as_noun: bool


@functools.lru_cache(maxsize=1)
def _cue_phrases() -> dict[str, PhraseSet]:
    lex = lexicon()
    return {k: split_phrases(v) for k, v in lex.cues.items()}


def _match_trigger(toks: list[Token], i: int, trig: Trigger) -> int | None:
    """End token of ``trig`` matched from token ``i``, or None."""
    k = i
    slots = trig.slots
    s = 0
    while s < len(slots):
        slot = slots[s]
        if slot is None:
            nxt = slots[s + 1]
            assert nxt is not None
            for gap in range(0, 4):
                if k + gap < len(toks) and toks[k + gap].lower in nxt and toks[k + gap].lower not in ".;":
                    k += gap
                    break
            else:
                return None
            s += 1
            continue
        if k >= len(toks) or toks[k].lower not in slot:
            return None
        k += 1
        s += 1
    return k


def _is_verb_form(word: str, trig: Trigger) -> bool:
    """Whether a matched first word is unambiguously verbal (past, participle, -ing)."""
    return word.endswith(("ed", "ing")) or (word not in (trig.lemma, trig.lemma + "s", trig.lemma + "es"))


def find_triggers(toks: list[Token], mention_ends: set[int], lex: Lexicon) -> list[_Hit]:
    """Trigger occurrences in one sentence's tokens, longest pattern first at each position."""
    masked: set[int] = set()
    for a, b, _ in find_phrases(toks, lex.not_trigger_set):
        masked.update(range(a, b))
    hits: list[_Hit] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        cands = lex.triggers.get(tok.lower)
        if not cands or i in masked or (tok.text[:1].isupper() and i > 0 and toks[i - 1].text not in '"“('):
            i += 1
            continue
        best: _Hit | None = None
        for trig in cands:
            end = _match_trigger(toks, i, trig)
            if end is None:
                continue
            if trig.pos == "verb" and not _is_verb_form(tok.lower, trig) and len(trig.slots) == 1:
                # bare "support", "test", "strike": a verb only after a subject or an auxiliary
                p = i - 1
                while p >= 0 and (toks[p].lower.endswith("ly") or toks[p].lower in ("not", "also", "still", "jointly")):
                    p -= 1
                verbal = p >= 0 and (toks[p].lower in _AUX or toks[p].end in mention_ends)
                if not verbal:
                    continue
            best = _Hit(i, end, trig, trig.pos != "verb")
            break
        if best is not None:
            hits.append(best)
            i = best.j
        else:
            i += 1
    return hits


def _clause(toks: list[Token], i: int) -> tuple[int, int]:
    a = i
    while a > 0 and toks[a - 1].lower not in _BOUNDARY:
        a -= 1
    b = i
    while b < len(toks) and toks[b].lower not in _BOUNDARY:
        b += 1
    return a, b


class _Sentence:
    """One sentence: tokens, mentions (with collective references resolved) and helpers."""

    def __init__(self, span: Span, mentions: list[Mention], history: list[Mention]) -> None:
        self.span = span
        self.toks = tokens(span.text, span.begin)
        self.ends = [t.end for t in self.toks]
        self.mentions = list(mentions)
        # "these two nations", "both leaders" -> the last two actors of that kind mentioned before
        for m in _COLLECTIVE.finditer(span.text):
            noun = m.group("noun").lower()
            want = "Person" if noun == "leaders" else "Country"
            seen: list[str] = []
            for h in reversed(history + [x for x in mentions if x.end <= span.begin + m.start()]):
                if h.type == want and h.name not in seen:
                    seen.append(h.name)
                if len(seen) == 2:
                    break
            if len(seen) == 2:
                first_pos: dict[str, int] = {}
                for h in history + mentions:
                    first_pos.setdefault(h.name, h.begin)
                seen.sort(key=lambda n: first_pos.get(n, 0))
                b, e = span.begin + m.start(), span.begin + m.end()
                if not any(x.begin < e and b < x.end for x in self.mentions):
                    self.mentions += [Mention(b, e, n, want, m.group()) for n in seen]
        self.mentions.sort(key=lambda x: (x.begin, x.name))

    def tok_index(self, offset: int) -> int:
        """Index of the first token ending after ``offset``."""
        return bisect.bisect_right(self.ends, offset)

    def before_word(self, m: Mention) -> str:
        """The word before a mention, skipping determiners."""
        k = self.tok_index(m.begin) - 1
        while k >= 0 and self.toks[k].lower in _DETS | {"both", "two"}:
            k -= 1
        return self.toks[k].lower if k >= 0 else ""


_ITEM_AUX = frozenset(
    [
        "have",
        "has",
        "had",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "shall",
        "do",
        "does",
        "did",
        "remain",
        "remains",
        "continue",
        "continues",
    ]
)
_ITEM_PREP = frozenset(
    [
        "between",
        "among",
        "amongst",
        "against",
        "with",
        "about",
        "over",
        "through",
        "via",
        "under",
        "across",
        "toward",
        "towards",
        "until",
        "than",
        "if",
        "when",
        "whose",
        "where",
        "so",
        "but",
        "while",
        "although",
    ]
)
_NOT_MODIFIER = _DETS | _PREPS | _AUX | _ITEM_STOP | frozenset(["over", "some", "any", "more"])
_NOUN_LINK = frozenset(["of", "on", "for", "with", "covering", "involving"])
_TIME_WORDS = frozenset(
    [
        "last",
        "next",
        "earlier",
        "later",
        "early",
        "late",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "ago",
        "soon",
        "again",
        "immediately",
        "recently",
    ]
)
_QUANTITY_WORDS = frozenset(["up", "more", "less", "fewer", "than", "over", "about", "around", "some", "all", "any"])
_ING_NOUNS = frozenset(["funding", "training", "clothing", "housing", "bedding", "shelling", "lighting", "building"])
_ITEM_WRAP = frozenset(["assistance", "help", "support", "cooperation", "aid"])
_SHARED_HEADS = frozenset(
    [
        "development",
        "programs",
        "programmes",
        "program",
        "programme",
        "technology",
        "technologies",
        "production",
        "research",
        "capabilities",
        "industry",
        "infrastructure",
        "projects",
    ]
)
_NOT_ITEMS = frozenset(["efforts", "effort", "attempts", "ways", "means", "plans", "it", "them", "this", "that"])
_GENERIC_ITEMS = frozenset(["commodities", "goods", "items", "products", "supplies", "materials", "things"])
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
_HAS_LOWER = re.compile(r"[a-z]")
_BETWEEN = re.compile(r"\bbetween\s+")
_COORD = re.compile(r"\s*(?:,\s*)?(?:and|&)\s*(?:both\s+)?|\s*")


def _subject(s: _Sentence, a: int, i: int) -> list[Mention]:
    """The mention(s) right before token i in the clause, with coordinated ones ("A and B")."""
    start = s.toks[a].begin if a < len(s.toks) else s.span.end
    end = s.toks[i].begin
    cands = [m for m in s.mentions if m.begin >= start and m.end <= end]
    chain: list[Mention] = []
    for m in reversed(cands):
        if chain:
            gap = s.span.text[m.end - s.span.begin : chain[0].begin - s.span.begin] if m.end <= chain[0].begin else ""
            if _COORD.fullmatch(gap):
                chain.insert(0, m)
                continue
            break
        prev = s.before_word(m)
        if prev == "with" and _absolute_subject(s, m, i):
            chain.insert(0, m)
            continue
        if prev in _PREPS or prev == "according":
            continue
        chain.insert(0, m)
    return chain


def _absolute_subject(s: _Sentence, m: Mention, i: int) -> bool:
    """ "with Chile reportedly sending ...": the actor after "with" is the subject of the -ing verb at token i."""
    if not s.toks[i].lower.endswith("ing"):
        return False
    k = s.tok_index(m.end)
    gap = s.toks[k:i]
    return all(t.lower.endswith("ly") or t.lower in ("still", "also", "now", "already") for t in gap)


def _attributed(s: _Sentence, m: Mention) -> bool:
    """Whether a mention is the source of an attribution ("according to Danish officials")."""
    k = s.tok_index(m.begin) - 1
    while k >= 0 and s.toks[k].lower in _DETS:
        k -= 1
    if k >= 0 and s.toks[k].lower == "according":
        return True
    if k >= 1 and s.toks[k].lower == "to" and s.toks[k - 1].lower == "according":
        return True
    # "according to Danish and Swedish officials": a coordinated attribution source
    return bool(
        k >= 0
        and s.toks[k].lower in ("and", "or")
        and _ATTRIBUTION_BEFORE.search(s.span.text[: m.begin - s.span.begin])
    )


_ATTRIBUTION_BEFORE = re.compile(r"\b[Aa]ccording to\b[^,;]*$")


def _after(s: _Sentence, j: int, b: int, hit: _Hit) -> tuple[list[Mention], Mention | None, Mention | None]:
    """Mentions after the trigger in the clause, and the 'from' and 'with/to' actors."""
    start = s.toks[j - 1].end
    end = s.toks[b - 1].end if b > 0 else s.span.end
    after = [m for m in s.mentions if m.begin >= start and m.end <= end]
    # a trailing participial phrase (", emphasizing that it harms Ukraine") has roles of its own
    cut = _TRAILING_CLAUSE.search(s.span.text, start - s.span.begin, end - s.span.begin)
    limit = s.span.begin + cut.start() if cut else end
    src_from = tgt = None
    for m in after:
        if m.begin >= limit:
            break
        w = s.before_word(m)
        if w == "according":
            continue
        if w == "from" and src_from is None:
            src_from = m
        elif tgt is None and w not in ("by", "from"):
            tgt = m
    return after, src_from, tgt


def _items(
    s: _Sentence, j: int, b: int, mentions: list[Mention], as_noun: bool = False, give: bool = False
) -> tuple[str, ...]:
    """What was supplied, sought or tested: the noun phrase after the trigger (or after 'with'/'such as').

    The phrase stops at a preposition, a relative clause or a verb; a list ("A, B and C", "X such as A, B
    and C", "X, including A and B") gives each listed good; an actor's possession ("Moscow's efforts") is
    the beneficiary, not an item.
    """
    toks = s.toks
    k = j
    # skip an actor object ("supplying Russia with ...")
    ment_spans = [(m.begin, m.end) for m in mentions]

    def in_mention(t: Token) -> bool:
        return any(mb <= t.begin < me for mb, me in ment_spans)

    possessed = False
    if as_noun and k < b and not in_mention(toks[k]) and toks[k].lower not in _NOUN_LINK:
        return ()  # "the deal marks a success": what follows a noun trigger is its verb, not an item
    if as_noun and k < b and toks[k].lower in _NOUN_LINK:
        k += 1
    while k < b and (
        in_mention(toks[k])
        or toks[k].lower in ("'s", "’s")
        or (toks[k].lower in _DETS and k + 1 < b and in_mention(toks[k + 1]))
    ):
        possessed = possessed or toks[k].lower in ("'s", "’s")
        k += 1
    if k < b and toks[k].lower in ("with", "of"):
        k += 1
    elif possessed:
        # "aiding Moscow's efforts": what is helped, not what is given
        return ()
    if k < b and toks[k].lower in _ITEM_AUX:
        if k != j:
            return ()
        # "military supplies have been sent": the trigger word is the goods' noun, with its modifiers
        q = j - 1
        while (
            q > 0
            and toks[q - 1].text.isalpha()
            and toks[q - 1].text.islower()
            and toks[q - 1].lower not in _NOT_MODIFIER
        ):
            q -= 1
        phrase = s.span.text[toks[q].begin - s.span.begin : toks[j - 1].end - s.span.begin]
        return (phrase,) if " " in phrase else ()
    groups: list[list[Token]] = [[]]
    n = 0
    while k < b and n < 24:
        t = toks[k]
        low = t.lower
        if low == "such" and k + 1 < b and toks[k + 1].lower == "as":
            groups.append([])  # "commodities such as A, B": the listed goods
            k += 2
            continue
        if low == "including" or (low == "like" and groups[-1]):
            groups.append([])
            k += 1
            continue
        if low in _ITEM_WRAP and k + 1 < b and toks[k + 1].lower in ("with", "in", "for", "on"):
            k += 2  # "assistance with X" -> X
            continue
        if give and low == "with" and len(groups) == 1 and 0 < len(groups[-1]) <= 4:
            groups[-1] = []  # "supplied the rebels with rifles": the recipient, then the goods
            k += 1
            continue
        if low == "than" and groups[-1] and groups[-1][-1].lower in ("more", "less", "fewer"):
            groups[-1].append(t)  # "more than 300 drones": a quantity, removed below
            k += 1
            continue
        if low in (",", "what", "him", "them", "it", "whom", "whose", "how", "why") and not groups[-1]:
            break  # "arming X, an allegation ...", "hand him over": no goods named
        if low in _ITEM_STOP or low in _ITEM_AUX or low in _ITEM_PREP or low in _TIME_WORDS or in_mention(t):
            break
        if low.endswith(("ed", "ing")) and groups[-1] and groups[-1][-1].lower in ("and", "or", ","):
            break  # "... and shipped", "..., saying": a second verb
        if low.endswith("ing") and groups[-1] and low not in _ING_NOUNS and len(low) > 5:
            break  # "ships flying a flag": a participle after the noun
        if low.endswith("ed") and groups[-1] and k + 1 < b and toks[k + 1].lower in _PREPS:
            break  # "companies based in"
        groups[-1].append(t)
        k += 1
        n += 1
    out: list[str] = []
    for g in groups:
        while g and g[-1].lower in ("and", "or", ",", "as", "such"):
            g.pop()
        if not g:
            continue
        text = s.span.text[g[0].begin - s.span.begin : g[-1].end - s.span.begin]
        parts = [_QUANTITY.sub("", p.strip()).strip(" ,.") for p in _ITEM_SPLIT.split(text)]
        parts = [p for p in parts if p]
        if len(parts) == 2 and " " not in parts[0] and len(parts[1].split()) > 1:
            head = parts[1].split()[-1]
            if head.lower() in _SHARED_HEADS:
                parts[0] = f"{parts[0]} {head}"  # "satellite and submarine development"
        for p in parts:
            if p.lower() in _DETS or all(w.lower() in _QUANTITY_WORDS for w in p.split()):
                continue
            if len(p.split()) <= 5 and _HAS_LOWER.search(p) and p.lower() not in _NOT_ITEMS and p not in out:
                out.append(p)
    if len(groups) > 1 and len(out) > 1 and " " not in out[0] and out[0].lower() in _GENERIC_ITEMS:
        out = out[1:]  # "commodities such as oil": the list, not the umbrella word
    return tuple(out[:6])


def _modality(s: _Sentence, a: int, i: int, cues: dict[str, PhraseSet]) -> str:
    window = s.toks[max(a, i - 8) : i]
    found = {k for k in ("rumored", "expected", "planned") for _ in find_phrases(window, cues[k])}
    for k in ("rumored", "expected", "planned"):
        if k in found:
            return k.capitalize()
    if find_phrases(s.toks[a:i], cues["hedge"]):
        return "Alleged"
    return "Occurred"


def _negated(s: _Sentence, i: int, cues: dict[str, PhraseSet]) -> bool:
    window = s.toks[max(0, i - 4) : i]
    if any(t.lower.endswith("n't") for t in window):
        return True
    return bool(find_phrases(window, cues["negation"]))


def _noun_ok(s: _Sentence, hit: _Hit, a: int, verbal_before: bool, cues: dict[str, PhraseSet]) -> bool:
    toks, i = s.toks, hit.i
    if verbal_before:
        return False
    pre = toks[max(a, i - 6) : i]
    if find_phrases(pre, cues["background"]):
        return False
    words = [t.lower for t in toks[a:i]]
    if any(w in _DEMONSTRATIVE for w in words[-4:]):
        return False
    if any(w in ("potential", "possible", "proposed", "prospective", "future") for w in words[-3:]):
        return False
    light = any(w in _LIGHT for w in words[-4:])
    if light:
        return True
    # Heading the clause's subject: no finite verb, "to" or preposition before it in the clause.
    blockers = _AUX - {
        "and",
        "also",
        "still",
        "reportedly",
        "allegedly",
        "jointly",
        "already",
        "then",
        "now",
        "recently",
        "again",
        "never",
        "not",
    }
    if any(w in blockers or w in ("to", "for", "with", "on", "about", "over", "against", "into") for w in words):
        return False
    if (words and words[0] == "the") or (len(words) > 0 and "the" in words[-4:]):
        # "the talks" with no actor around it refers back to something already reported
        lo, hi = toks[a].begin, toks[min(len(toks) - 1, hit.j + 6)].end
        if not any(lo <= m.begin and m.end <= hi for m in s.mentions):
            return False
    return True


def _place(
    s: _Sentence, a: int, b: int, places: dict[str, str], participants: tuple[str, ...] = (), kind: str = "", j: int = 0
) -> str | None:
    """The place of an event: the first place governed by a locative preposition in the trigger's clause.

    Not one inside an attribution ("according to Norwegian officials, ..."); "to"/"from"/"at" a participant is
    a recipient, an origin or a target, not where the event happened, except the destination of a visit.
    """
    if not places:
        return None
    text = s.span.text
    lo = s.toks[a].begin - s.span.begin if a < len(s.toks) else 0
    hi = s.toks[b - 1].end - s.span.begin if b > 0 else len(text)
    if 0 < j < len(s.toks):
        # a trailing participial or adverbial phrase (", aiding ...", ", mainly over ...") is about something else
        after = s.toks[j - 1].end - s.span.begin
        cut = _TRAILING_PHRASE.search(text, after, hi)
        if cut:
            hi = cut.start()
    window = text[lo:hi]
    blocked = [(m.start(), m.end()) for m in _ATTRIBUTION.finditer(window)]
    best: tuple[tuple[int, int], str] | None = None
    for surface, name in places.items():
        if surface not in window:
            continue
        for start in _occurrences(window, surface):
            m = _PREP_BEFORE.search(window, max(0, start - 12), start)
            if m is None or any(x <= m.start() < y for x, y in blocked):
                continue
            prep = m.group(1)
            if (
                prep in ("to", "from", "at")
                and name in participants
                and not (prep == "to" and kind in _DESTINATION_KINDS)
            ):
                continue
            rank = (_PREP_RANK.get(prep, 0), m.start())
            if best is None or rank < best[0]:
                best = (rank, name)
    if best is None and kind in _DESTINATION_KINDS and 0 < j < len(s.toks):
        # "visited Estonia": the object of a visit verb is where it took place
        rest = text[s.toks[j - 1].end - s.span.begin :].lstrip()
        rest = rest[4:] if rest.startswith("the ") else rest
        for surface, name in places.items():
            if rest.startswith(surface) and not rest[len(surface) : len(surface) + 1].isalnum():
                return name
    return best[1] if best else None


_ATTRIBUTION = re.compile(r"\b[Aa]ccording to\b[^,;]*(?:,|$)")
_TRAILING_PHRASE = re.compile(r",\s+(?:[a-z]+ly\s+)?[a-z]+ing\b|,\s+[a-z]+ly\b")
# a trailing participial clause (", saying ...", ", describing ..."), not a list (", including ...")
_TRAILING_CLAUSE = re.compile(r",\s+(?:[a-z]+ly\s+)?(?!including\b|according\b|following\b)[a-z]+ing\b")
# "met in X" over "went to X" over "came from X" (an origin is where it happened only when nothing else is)
_PREP_RANK = {"to": 1, "from": 2}
_DESTINATION_KINDS = frozenset(["visit", "state visit", "trip", "tour"])


_PREP_BEFORE = re.compile(r"\b(in|at|to|near|from|inside)\s+(?:the\s+)?$")


def _occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of ``surface`` as a whole word in ``text``."""
    out: list[int] = []
    k = text.find(surface)
    while k >= 0:
        end = k + len(surface)
        if (k == 0 or not text[k - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
            out.append(k)
        k = text.find(surface, k + 1)
    return out


def event_label(
    ev_type: str, kind: str, src: str | None, tgt: str | None, items: tuple[str, ...], others: tuple[str, ...] = ()
) -> str:
    """A short label for an event: who did what kind of thing to whom, and the items."""
    if src is None:
        # no acting subject ("the talks were held ..."): the kind and who took part
        who = [p for p in (*others, tgt) if p]
        who = list(dict.fromkeys(who))
        if len(who) >= 2:
            label = f"{kind} between {who[0]} and {who[1]}"
        elif who:
            label = f"{kind} {_LINK.get(ev_type, 'to')} {who[0]}"
        else:
            label = kind
        return label + (": " + ", ".join(items) if items else "")
    parts = [src, kind]
    if tgt:
        parts.append(
            (
                "with "
                if ev_type in ("CONSULT", "COOPERATE", "AGREE")
                else "against "
                if ev_type in ("ACCUSE", "ASSAULT", "COERCE", "SANCTION", "THREATEN", "REJECT")
                else "to "
            )
            + tgt
        )
    label = " ".join(parts)
    if items:
        label += ": " + ", ".join(items)
    return label


# reactions: types whose coordinated subjects act together against someone else
REACTION_TYPES = frozenset(["ACCUSE", "PROTEST", "THREATEN", "SANCTION", "REJECT", "COERCE"])
_LINK = {t: "with" for t in ("CONSULT", "COOPERATE", "AGREE")} | {
    t: "against" for t in ("ACCUSE", "ASSAULT", "COERCE", "SANCTION", "THREATEN", "REJECT")
}
_NEEDS_LISTENER = frozenset(["call", "phone", "tell", "ring"])


def _listener_follows(s: _Sentence, j: int) -> bool:
    """Whether an actor is named right after token j (determiners and possessives skipped)."""
    while j < len(s.toks) and s.toks[j].lower in _DETS:
        j += 1
    return j < len(s.toks) and any(m.begin == s.toks[j].begin for m in s.mentions)


def sentence_events(span: Span, mentions: list[Mention], history: list[Mention], places: dict[str, str]) -> list[Event]:
    """The events of one sentence."""
    lex = lexicon()
    cues = _cue_phrases()
    if not any(t.lower in lex.triggers for t in tokens(span.text, span.begin)):
        return []
    s = _Sentence(span, mentions, history)
    ends = {m.end for m in s.mentions}
    hits = find_triggers(s.toks, ends, lex)
    # in a compound ("arms cooperation agreement") the last noun is the head
    hits = [
        h
        for n, h in enumerate(hits)
        if not (h.as_noun and n + 1 < len(hits) and hits[n + 1].as_noun and hits[n + 1].i == h.j)
    ]
    out: list[Event] = []
    types_seen: set[tuple[str, str]] = set()
    verbal_clauses: list[tuple[int, int]] = []
    for hit in hits:
        a, b = _clause(s.toks, hit.i)
        toks = s.toks
        if hit.as_noun:
            verbal_before = any(ca == a and vi < hit.i for ca, vi in verbal_clauses)
            if not _noun_ok(s, hit, a, verbal_before, cues):
                continue
        else:
            prev = toks[hit.i - 1].lower if hit.i > 0 else ""
            if prev == "to":
                gov = toks[hit.i - 2].lower if hit.i > 1 else ""
                if gov not in _TO_OK:
                    continue
            if prev == "from" and toks[hit.i].lower.endswith("ing"):
                continue
            if toks[hit.i].lower.endswith("ed") and prev in _DETS:
                continue
            verbal_clauses.append((a, hit.i))
        if _negated(s, hit.i, cues) and hit.trig.type != "REJECT":
            continue
        if hit.trig.lemma in _NEEDS_LISTENER and len(hit.trig.slots) == 1 and not _listener_follows(s, hit.j):
            # "called Lima", "told Putin" are talks; "what he calls", "told reporters" are not
            continue
        subj = _subject(s, a, hit.i)
        after, src_from, tgt = _after(s, hit.j, b, hit)
        source: str | None = subj[0].name if subj else None
        target: str | None = None
        co = [m.name for m in subj[1:]]
        if hit.trig.from_role == "target" and src_from is not None:
            target = src_from.name
        elif src_from is not None and source is None:
            source = src_from.name
        elif src_from is not None and hit.trig.type in REACTION_TYPES:
            # "the EU confirmed duties on cars from China": a reaction's "from" is its target
            target = src_from.name
        if target is None and tgt is not None:
            target = tgt.name
        between = _BETWEEN.search(s.span.text)
        if source is None and between:
            pair = [m for m in after if m.begin >= span.begin + between.end()][:2]
            if len(pair) == 2:
                source, target = pair[0].name, pair[1].name
        if target is None and co and hit.trig.type not in REACTION_TYPES:
            # "A and B met": the second is the other party; "A and its allies condemned" are one side
            target = co[0]
        if target == source:
            target = None
        if source and source.lower() in _COMMENTATORS:
            continue
        if source is None and target is None and not hit.as_noun and hit.trig.type not in ("PROTEST", "ASSAULT"):
            continue
        # the same type twice in a sentence only for different verbs ("suspended ... and shut ...")
        seen_key = (hit.trig.type, hit.trig.lemma if not hit.as_noun else "")
        if hit.trig.type in {t for t, _ in types_seen} and (hit.as_noun or seen_key in types_seen):
            continue
        types_seen.add(seen_key)
        clause_ments = [m for m in s.mentions if s.toks[a].begin <= m.begin and (b == 0 or m.end <= s.toks[b - 1].end)]
        participants: list[str] = []
        for name in [source, *co, target] + [m.name for m in clause_ments if not _attributed(s, m)]:
            if name and name not in participants and name.lower() not in _COMMENTATORS:
                participants.append(name)
        items: tuple[str, ...] = ()
        if hit.trig.type in ("AID", "REQUEST", "MOBILIZE", "SANCTION", "AGREE"):
            items = _items(s, hit.j, b, s.mentions, hit.as_noun, hit.trig.type == "AID")
        modality = _modality(s, a, hit.i, cues)
        if hit.as_noun and any(
            t.lower in ("upcoming", "forthcoming", "planned") for t in s.toks[max(0, hit.i - 3) : hit.i]
        ):
            modality = "Planned"
        out.append(
            Event(
                type=hit.trig.type,
                label=event_label(hit.trig.type, hit.trig.kind, source, target, items, tuple(participants)),
                evidence=span,
                participants=tuple(participants),
                source_actor=source,
                target_actor=target,
                place=_place(s, a, b, places, tuple(participants), hit.trig.kind, hit.j),
                modality=modality,
                kind=hit.trig.kind,
                items=items,
                trigger=(s.toks[hit.i].begin, s.toks[hit.j - 1].end),
            )
        )
    return out


class EventExtractor:
    """Events of every sentence, from the trigger lexicon."""

    name = "events"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add one event per trigger and type in each sentence."""
        mentions = top_mentions(found)
        places = _place_surfaces(found.places)
        events: list[Event] = []
        for sent, inside, _, begun in mentions_by_sentence(mentions, found.sentences):
            events.extend(sentence_events(sent, inside, mentions[:begun], places))
        return dataclasses.replace(found, events=found.events + tuple(events))


def _place_surfaces(places: tuple[Place, ...]) -> dict[str, str]:
    from kg.extract.places import place_surfaces

    return place_surfaces(places)
