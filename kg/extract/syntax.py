"""Reading roles off a dependency parse: actor mentions by token, subjects, objects, negation, modality.

The events and allegation extractors share these, so there is one way to find
who acts and on whom: the agent is the subject (or the ``by`` of a passive),
inherited through control (``plans to visit``), coordination, relative clauses
and participles; the patient is the object or the object of a preposition the
event type's frame names (``frames.tsv``).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kg.extract.common import Mention
from kg.extract.lexicon import read_data
from kg.extract.nlp import Sentence
from kg.model import PLOVER_TYPES

Token = Any  # spacy.tokens.Token

_SUBJECTS = frozenset(["nsubj", "csubj"])
_RELATIVE = frozenset(["who", "which", "that", "whom", "whose"])
_PRONOUN_TYPES = {
    "he": ("Person",),
    "him": ("Person",),
    "his": ("Person",),
    "she": ("Person",),
    "her": ("Person",),
    "it": ("Country", "Organization", "Group"),
    "its": ("Country", "Organization", "Group"),
    "they": ("Group", "Country", "Organization"),
    "them": ("Group", "Country", "Organization"),
    "their": ("Group", "Country", "Organization"),
    "we": ("Country", "Organization", "Group"),
    "our": ("Country", "Organization", "Group"),
}
_MODIFIER_DEPS = frozenset(["poss", "compound", "amod", "nmod", "npadvmod"])


@dataclass(frozen=True)
class Lemmas:
    """The word classes of ``attribution.tsv``: (lemma, pos) -> class."""

    classes: dict[tuple[str, str], frozenset[str]]

    def has(self, token: Token, cls: str) -> bool:
        """Whether ``token``'s lemma is of class ``cls`` for its part of speech."""
        return cls in self.of(token)

    def of(self, token: Token) -> frozenset[str]:
        """Every class of ``token``'s lemma for its part of speech (a phrasal verb as "brush aside")."""
        pos = _pos(token)
        if pos == "verb":
            for c in token.children:
                if c.dep_ in ("prt", "advmod"):
                    got = self.classes.get((f"{token.lemma_.lower()} {c.lower_}", pos))
                    if got:
                        return got
        return self.classes.get((token.lemma_.lower(), pos), frozenset())


def _pos(token: Token) -> str:
    p = token.pos_
    if p in ("VERB", "AUX"):
        return "verb"
    if p in ("NOUN", "PROPN"):
        return "noun"
    if p == "ADJ":
        return "adj"
    if p == "ADV":
        return "adv"
    # the tagger sometimes calls a past participle an adjective or a verb: both are tried by has_any
    return p.lower()


_POS = ("verb", "noun", "adj", "adv")


@functools.lru_cache(maxsize=1)
def lemmas() -> Lemmas:
    """attribution.tsv and the wrongdoing class of wrongdoing.tsv, checked on first use."""
    table: dict[tuple[str, str], set[str]] = {}
    for r in read_data("attribution.tsv", ("lemma", "pos", "class")):
        pos = r.get("pos")
        if pos not in _POS:
            raise r.error(f"pos {pos!r} is not one of {', '.join(_POS)}")
        table.setdefault((r.get("lemma").lower(), pos), set()).add(r.get("class"))
    for lemma, pos in wrongdoing_types():
        table.setdefault((lemma, pos), set()).add("wrongdoing")
    return Lemmas({k: frozenset(v) for k, v in table.items()})


@functools.cache
def wrongdoing_types() -> dict[tuple[str, str], str]:
    """wrongdoing.tsv: (lemma, pos) -> the PLOVER type an alleged wrongdoing is coded as."""
    out: dict[tuple[str, str], str] = {}
    for r in read_data("wrongdoing.tsv", ("lemma", "pos", "type")):
        if r.get("pos") not in ("verb", "noun"):
            raise r.error(f"pos {r.get('pos')!r} is not verb or noun")
        if r.get("type") not in PLOVER_TYPES:
            raise r.error(f"type {r.get('type')!r} is not a PLOVER type")
        out[(r.get("lemma").lower(), r.get("pos"))] = r.get("type")
    return out


@dataclass(frozen=True)
class Frame:
    """Where an event type's target and items are: slots tried in order."""

    target: tuple[str, ...]
    item: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def frames() -> dict[str, Frame]:
    """frames.tsv: PLOVER type -> frame."""
    out = {}
    for r in read_data("frames.tsv", ("type", "target", "item")):
        out[r.get("type").upper()] = Frame(tuple(r.items("target")), tuple(r.items("item")))
    return out


class MentionIndex:
    """An article's top actor mentions (non-overlapping, in text order), looked up by offset."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.begins = [m.begin for m in mentions]

    def at(self, begin: int, end: int) -> Mention | None:
        """The mention that holds the stretch ``begin:end`` (a token), if any."""
        i = bisect.bisect_right(self.begins, begin) - 1
        if i >= 0 and self.mentions[i].end >= end and self.mentions[i].end > begin:
            return self.mentions[i]
        return None

    def within(self, begin: int, end: int) -> list[Mention]:
        """Mentions that lie inside ``begin:end``."""
        i = bisect.bisect_left(self.begins, begin)
        out = []
        while i < len(self.mentions) and self.mentions[i].begin < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def before(self, offset: int, limit: int = 40) -> Iterator[Mention]:
        """Mentions ending before ``offset``, nearest first (at most ``limit``)."""
        i = bisect.bisect_left(self.begins, offset) - 1
        n = 0
        while i >= 0 and n < limit:
            if self.mentions[i].end <= offset:
                yield self.mentions[i]
                n += 1
            i -= 1


def uniq(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions with repeated actors dropped, first kept."""
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.name not in seen:
            seen.add(m.name)
            out.append(m)
    return out


class Reader:
    """One sentence's parse with the article's mentions: who a phrase names, and an event's roles."""

    def __init__(self, sent: Sentence, index: MentionIndex) -> None:
        self.sent = sent
        self.index = index

    def mention(self, tok: Token) -> Mention | None:
        """The actor mention that holds ``tok``."""
        return self.index.at(self.sent.begin_of(tok), self.sent.end_of(tok))

    def actors(self, tok: Token | None, depth: int = 0) -> list[Mention]:
        """The actors a noun phrase headed by ``tok`` names: itself, its possessor or modifier, conjuncts."""
        if tok is None or depth > 4:
            return []
        found: list[Mention] = []
        m = self.mention(tok)
        if m is not None:
            found.append(m)
            for c in tok.children:
                # "US and South Korean intelligence": a coordinated modifier names an actor of its own
                if (
                    c.dep_ in _MODIFIER_DEPS
                    and self.sent.begin_of(c) < m.begin
                    and any(x.dep_ == "conj" for x in c.children)
                ):
                    found.extend(self.actors(c, depth + 1))
        elif tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl" and tok.head.head != tok.head:
            # "the court, which it accuses of bias": the relative pronoun stands for the noun the clause modifies
            found.extend(self.actors(tok.head.head, depth + 1))
        elif tok.lower_ in _PRONOUN_TYPES and tok.pos_ == "PRON" and depth < 3:
            ante = self.antecedent(tok)
            if ante is not None:
                found.append(ante)
        else:
            for c in tok.children:
                if c.dep_ in _MODIFIER_DEPS and c.i < tok.i:
                    found.extend(self.actors(c, depth + 1))
            if not found:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for p in c.children:
                            if p.dep_ == "pobj":
                                found.extend(self.actors(p, depth + 1))
            if not found:
                for c in tok.children:
                    if c.dep_ == "appos":
                        found.extend(self.actors(c, depth + 1))
        for c in tok.children:
            if c.dep_ == "conj":
                found.extend(self.actors(c, depth + 1))
        return uniq(found)

    def named_actors(self, tok: Token | None) -> list[Mention]:
        """:meth:`actors`, with a noun's own name before its possessor's.

        "Yemen's Houthi movement": the movement is the Houthis (the name next to the noun);
        Yemen, the possessor, only says where it is.
        """
        found = self.actors(tok)
        if tok is None or len(found) < 2 or self.mention(tok) is not None:
            return found
        near = [m for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1 for m in self.actors(c)]
        if not near or any(c.dep_ == "conj" for c in tok.children):
            return found
        return uniq([*near, *found])

    def antecedent(self, pron: Token) -> Mention | None:
        """The actor a pronoun stands for: the subject of a clause above it, else the nearest earlier actor.

        "The embassy said it backed ...": ``it`` is the embassy, the subject of
        the verb whose clause holds the pronoun, before any nearer noun.
        """
        types = _PRONOUN_TYPES.get(pron.lower_, ())
        t = pron.head
        own = pron
        for _ in range(6):
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c != own and c.i < pron.i:
                    m = self.mention(c)
                    if m is None:
                        got = [x for x in self.actors(c, 3) if x.type in types] if c.pos_ != "PRON" else []
                        m = got[0] if got else None
                    if m is not None and m.type in types:
                        return m
            if t.head == t:
                break
            own, t = t, t.head
        for m in self.index.before(self.sent.begin_of(pron)):
            if m.type in types:
                return m
        return None

    # ------------------------------------------------------------ clause roles
    def agent_token(self, v: Token, depth: int = 0) -> tuple[Token | None, bool]:
        """The token that names who does ``v`` (subject, or the ``by`` of a passive), and whether ``v`` is passive.

        A verb with no subject of its own takes it from the verb it depends on:
        ``X plans to visit`` (control), ``X met Y and signed`` (coordination),
        ``the militia, which attacked`` (relative clause), ``..., killing ten`` (participle).
        """
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN")
        if (
            passive
            and not any(c.dep_ == "agent" for c in v.children)
            and any(c.dep_ == "prep" and c.lower_ == "to" for c in v.children)
        ):
            # "X is opposed to", "X is committed to": a state of the subject, not something done to it
            for c in v.children:
                if c.dep_ == "nsubjpass":
                    return c, False
        if passive:
            for c in v.children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return p, True
            return None, True
        for c in v.children:
            if c.dep_ in _SUBJECTS:
                if c.lower_ in _RELATIVE and v.dep_ == "relcl":
                    return v.head, False
                return c, False
        if depth > 4:
            return None, False
        head = v.head
        if v.dep_ == "relcl":
            return head, False
        if v.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN") and v.tag_ == "VBG":
            return head, False
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl") and head != v:
            if v.dep_ == "pcomp":
                head = head.head  # "by supplying": the verb the preposition attaches to
            if v.dep_ in ("xcomp", "pcomp") and head.pos_ == "VERB":
                # object control: "urged Pakistan to withdraw", "accused Russia of jamming": the object acts
                objs = [c for c in head.children if c.dep_ in ("dobj", "obj")]
                if objs and head.lemma_.lower() not in ("promise", "offer", "pledge", "vow"):
                    return objs[0], False
            if head.pos_ in ("VERB", "AUX", "ADJ"):
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "csubj") and not (
                        c.lower_ in _RELATIVE and head.dep_ != "relcl"
                    ):
                        if c.lower_ in _RELATIVE:
                            return head.head, False
                        return c, False
                return self.agent_token(head, depth + 1)[0], False
        return None, False

    def clause_agent(self, v: Token) -> tuple[Token | None, bool]:
        """:meth:`agent_token`, reading a finite verb the parser hung on a noun as that noun's predicate.

        "Peru, which has denied it, accused Chile" is often parsed with "accused" as a
        clause modifying "Peru" (``acl``, tagged past tense, not participle): the noun is its subject.
        """
        if (
            v.dep_ == "acl"
            and v.tag_ in ("VBD", "VBZ", "VBP")
            and v.head.pos_ in ("NOUN", "PROPN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in v.children)
        ):
            return v.head, False
        if v.dep_ == "acl" and v.head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            # "X's decision to expel", "the army's attempt to retake": the possessor of the plan acts
            for c in v.head.children:
                if c.dep_ == "poss":
                    return c, False
        if (
            v.dep_ == "ccomp"
            and v.tag_ in ("VBD", "VBZ", "VBP")
            and v.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "mark") for c in v.children)
            and _after_and(v)
        ):
            # "X said the border was calm and warned that ...": a second, subjectless clause after "and"
            # is X's own act, coordinated with the saying, not something X reports
            return self.agent_token(v.head)
        return self.agent_token(v)

    def other_antecedent(self, pron: Token, exclude: Iterable[str]) -> Mention | None:
        """The earlier actor an object pronoun stands for, never the subject of its own clause.

        "X called Y and asked him to ...": ``him`` is not X (a pronoun object is never
        its clause's subject), so it is the nearest fitting actor before it that is not X.
        """
        types = _PRONOUN_TYPES.get(pron.lower_, ())
        skip = set(exclude)
        for m in self.index.before(self.sent.begin_of(pron)):
            if m.type in types and m.name not in skip:
                return m
        return None

    def patient_token(self, v: Token) -> Token | None:
        """The subject of a passive verb: who or what it is done to."""
        if not any(c.dep_ == "agent" for c in v.children) and any(
            c.dep_ == "prep" and c.lower_ == "to" for c in v.children
        ):
            return None  # a state ("is opposed to"): its subject is the agent
        for c in v.children:
            if c.dep_ == "nsubjpass":
                if c.lower_ in _RELATIVE and v.dep_ == "relcl":
                    return v.head
                return c
        if v.dep_ == "acl" and v.tag_ == "VBN":
            return v.head
        return None

    def slot(self, v: Token, name: str) -> list[Token]:
        """The tokens that fill a frame slot of ``v``: its object, indirect object, or a preposition's object."""
        out: list[Token] = []
        if name == "dobj":
            out = [c for c in v.children if c.dep_ in ("dobj", "obj")]
        elif name == "dative":
            out = [c for c in v.children if c.dep_ == "dative" and c.pos_ != "ADP"]
        elif name == "clause":
            # "demanded that X withdraw", "urged X to": the complement's subject
            for c in v.children:
                if c.dep_ in ("ccomp", "xcomp"):
                    out.extend(x for x in c.children if x.dep_ in ("nsubj", "nsubjpass"))
        else:
            for holder in (v, *[c for c in v.children if c.dep_ in ("dobj", "prt", "acomp")]):
                for c in holder.children:
                    if c.dep_ in ("prep", "dative", "agent") and c.lower_ == name:
                        out.extend(p for p in c.children if p.dep_ in ("pobj", "pcomp"))
        return out

    def negated(self, v: Token) -> bool:
        """Whether ``v`` is negated (not, never, no) or under "refused to", "failed to", "prevented from"."""
        lem = lemmas()
        for c in v.children:
            # "no civilians were targeted", "none of its soldiers was hurt": what is done to no one is not done
            if c.dep_ == "nsubjpass" and (
                c.lower_ in ("none", "nobody", "no-one")
                or any(x.dep_ == "det" and x.lower_ == "no" for x in c.children)
            ):
                return True
        t = v
        for _ in range(4):
            for c in t.children:
                if c.dep_ == "neg" or (c.dep_ in ("advmod", "preconj") and c.lower_ in ("never", "neither", "nor")):
                    return True
                if c.dep_ == "det" and c.lower_ == "no":
                    return True
            head = t.head
            if head == t:
                break
            if t.dep_ == "xcomp" and lem.has(head, "blocker"):
                return True
            if t.dep_ == "pcomp" and head.lower_ == "from" and lem.has(head.head, "blocker"):
                return True
            if t.dep_ in ("xcomp", "conj", "aux") or (t.dep_ == "dobj" and t.pos_ == "NOUN"):
                # "did not want to visit", "has not held talks": the governing verb's negation reaches it
                if t.dep_ == "conj" and any(c.dep_ in _SUBJECTS for c in t.children):
                    break
                t = head
                continue
            break
        return False

    def modality(self, v: Token) -> str:
        """How far the text commits to ``v``: Planned, Expected, Rumored or Occurred (auxiliaries, control verbs)."""
        lem = lemmas()
        t = v
        for _ in range(5):
            for c in t.children:
                if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo"):
                    return "Planned"
                if c.dep_ == "aux" and c.lower_ in ("would", "could", "may", "might"):
                    return "Expected"
                if c.dep_ == "amod" and t.pos_ == "NOUN":
                    for cls, value in (("planned", "Planned"), ("expected", "Expected")):
                        if lem.has(c, cls) or c.lemma_.lower() in _ADJ_FORMS.get(cls, ()):
                            return value
            head = t.head
            if head == t:
                break
            if t.dep_ in ("xcomp", "acl", "relcl", "conj", "dobj", "pcomp", "pobj", "prep", "advcl", "nsubjpass"):
                for cls, value in (("rumored", "Rumored"), ("expected", "Expected"), ("planned", "Planned")):
                    if t.dep_ in ("xcomp", "acl", "pcomp") and (
                        lem.has(head, cls) or head.lemma_.lower() in _ADJ_FORMS.get(cls, ())
                    ):
                        return value
                if t.dep_ == "xcomp" and head.lemma_ == "be" and any(c.dep_ == "aux" for c in t.children):
                    return "Planned"  # "is to visit"
                # a purpose infinitive ("planning a trip to hold talks") is as committed as what it serves
                purpose = t.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                if purpose or t.dep_ in ("conj", "xcomp", "acl", "pcomp", "prep", "pobj", "dobj", "nsubjpass"):
                    t = head
                    continue
            break
        return "Occurred"


def _after_and(v: Token) -> bool:
    """Whether ``v`` follows an "and" that joins it to an earlier clause of the same head."""
    for c in v.head.children:
        if c.i >= v.i:
            break
        if c.dep_ == "cc":
            return True
        if c.dep_ == "ccomp" and any(x.dep_ == "cc" for x in c.children):
            return True
    return False


# past participles and adjectives the lemmatizer leaves as they are
_ADJ_FORMS = {
    "planned": ("planned", "proposed", "upcoming", "forthcoming", "intended", "plan"),
    "expected": ("expected", "due", "likely", "poised", "set", "scheduled", "slated", "anticipated"),
    "rumored": ("rumored", "rumoured"),
}


def span_of(sent: Sentence, tokens: Iterable[Token]) -> tuple[int, int]:
    """Article offsets from the first token's begin to the last one's end."""
    toks = sorted(tokens, key=lambda t: t.i)
    return sent.begin_of(toks[0]), sent.end_of(toks[-1])


def subtree_span(sent: Sentence, tok: Token) -> tuple[int, int]:
    """Article offsets of ``tok``'s whole subtree."""
    return sent.begin_of(tok.left_edge), sent.end_of(tok.right_edge)


__all__ = [
    "Frame",
    "Lemmas",
    "MentionIndex",
    "Reader",
    "frames",
    "lemmas",
    "span_of",
    "subtree_span",
    "uniq",
    "wrongdoing_types",
]
