"""Events: trigger lexicon -> PLOVER type and kind, with roles, items, place and modality read off the parse.

A trigger (``triggers.tsv``) is a verb, a noun or a fixed phrase, matched on
the sentence's words and held to its part of speech by the tagger. Roles come
from the dependency parse (:mod:`kg.extract.syntax`): the source is the
agent, the target and items fill the slots of the type's frame
(``frames.tsv``). A noun trigger is an event when it is the object of a light
verb ("carried out strikes"), names its own actors ("Israel's strikes on
Gaza") or is the subject of a verb of happening; not when it is background
("despite sanctions", "under pressure"). Negated events are kept apart: they
are no events, but the response step reads them as denials.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kg.extract.common import Mention, top_mentions
from kg.extract.lexicon import Lexicon, Trigger, lexicon
from kg.extract.nlp import Sentence
from kg.extract.syntax import MentionIndex, Reader, frames, lemmas, uniq
from kg.model import Article, Event, Extraction, Place
from kg.text import MONTHS

Token = Any

# reactions: types whose coordinated subjects act together against someone else
REACTION_TYPES = frozenset(["ACCUSE", "PROTEST", "THREATEN", "SANCTION", "REJECT", "COERCE"])
_UNORDERED = frozenset(["CONSULT", "COOPERATE", "AGREE"])
_LINK = {t: "with" for t in _UNORDERED} | {
    t: "against" for t in ("ACCUSE", "ASSAULT", "COERCE", "SANCTION", "THREATEN", "REJECT")
}
# a noun trigger governed by one of these is background to the sentence, not an event of it
_BACKGROUND = frozenset(
    [
        "despite",
        "amid",
        "amidst",
        "under",
        "following",
        "after",
        "since",
        "ahead",
        "before",
        "without",
        "like",
        "than",
        "against",
        "over",
        "toward",
        "towards",
        "into",
    ]
)
_HAPPEN = frozenset(
    [
        "take",
        "begin",
        "start",
        "continue",
        "end",
        "resume",
        "kill",
        "hit",
        "target",
        "collapse",
        "erupt",
        "happen",
        "follow",
        "occur",
        "break",
        "leave",
        "destroy",
        "damage",
        "wound",
        "injure",
        "strike",
        "last",
    ]
)
_PLACE_PREPS = frozenset(["in", "at", "near", "inside", "outside", "across", "off", "along", "over"])
_VISITS = frozenset(["visit", "state visit", "trip", "tour"])
_ITEM_SKIP_DEPS = frozenset(["det", "poss", "relcl", "acl", "prep", "punct", "cc", "conj", "appos", "advmod"])
# saying verbs that are also meeting triggers ("told", "called"): a meeting only with someone to meet
_NEEDS_LISTENER = frozenset(["call", "phone", "ring", "tell", "speak", "talk"])
# acts a bare noun tells ("the strike", "the seizure"); other nouns need an actor of their own or a light verb
_TOLD_BY_NOUN = frozenset(["ASSAULT", "COERCE"])
_ITEM_TYPES = frozenset(["AID", "REQUEST", "MOBILIZE", "THREATEN", "SANCTION", "SUPPORT", "CONCEDE", "COERCE"])
_HELP = frozenset(["help", "assist"])
_WHICH = frozenset(["which", "that"])
# verbs of mobilizing that are military only with arms or forces as their object
_NEEDS_ARMS = frozenset(["launch", "test", "reinforce", "deploy", "station", "mass"])
_MILITARY = frozenset(
    [
        "troop",
        "force",
        "soldier",
        "unit",
        "warship",
        "ship",
        "vessel",
        "jet",
        "aircraft",
        "plane",
        "missile",
        "rocket",
        "weapon",
        "tank",
        "artillery",
        "defence",
        "defense",
        "presence",
        "border",
        "position",
        "garrison",
        "contingent",
        "reinforcement",
        "police",
        "personnel",
        "navy",
        "army",
        "fleet",
        "battalion",
        "brigade",
        "division",
        "drone",
        "satellite",
        "warhead",
        "device",
        "bomb",
        "submarine",
        "destroyer",
        "carrier",
        "bomber",
        "fighter",
        "helicopter",
        "system",
        "battery",
        "marine",
        "paratrooper",
        "reservist",
        "guard",
        "officer",
        "agent",
        "adviser",
        "advisor",
        "mission",
        "peacekeeper",
        "projectile",
        "munition",
        "ammunition",
        "engine",
        "vehicle",
        "offensive",
        "operation",
        "attack",
        "strike",
    ]
)
# crowds whose fighting is a protest turned violent
_CROWDS = frozenset(["protester", "protestor", "demonstrator", "rioter", "crowd", "mob", "student", "youth"])
# who strikes by downing tools
_WORKERS = frozenset(
    [
        "worker",
        "employee",
        "union",
        "teacher",
        "doctor",
        "nurse",
        "miner",
        "driver",
        "pilot",
        "staff",
        "docker",
        "farmer",
        "student",
        "labourer",
        "laborer",
    ]
)
# what strikes without anyone striking
_NATURE = frozenset(
    [
        "earthquake",
        "quake",
        "storm",
        "cyclone",
        "hurricane",
        "typhoon",
        "flood",
        "lightning",
        "tsunami",
        "disaster",
        "pandemic",
        "epidemic",
        "virus",
        "crisis",
        "recession",
        "fire",
        "wildfire",
        "drought",
        "heatwave",
    ]
)
# reactions whose object "it" is a deed or a claim far more often than a country
_REACTIONS_TO_THINGS = frozenset(["ACCUSE", "REJECT", "SUPPORT", "PROTEST"])
# what strikes a blow when it hits
_ARMS = frozenset(
    [
        "missile",
        "rocket",
        "drone",
        "shell",
        "bomb",
        "strike",
        "airstrike",
        "artillery",
        "mortar",
        "attack",
        "projectile",
        "jet",
        "aircraft",
        "warplane",
        "plane",
        "helicopter",
        "gunship",
        "round",
        "bullet",
        "grenade",
        "munition",
        "fire",
        "shelling",
        "barrage",
        "troop",
        "force",
        "soldier",
        "militant",
        "gunman",
        "fighter",
        "rebel",
        "insurgent",
    ]
)
# where a launch aimed at an actor makes it an attack
_AIMED = ("at", "against", "toward", "towards", "on", "into")
# land that meets land
_LAND = frozenset(
    ["border", "frontier", "province", "region", "river", "road", "line", "territory", "district", "state", "area"]
)
# light verbs under which a ceasefire is a settlement the sides agree to, not one side standing down
_SETTLING = frozenset(
    ["broker", "agree", "reach", "sign", "negotiate", "accept", "conclude", "finalize", "finalise", "extend", "renew"]
)
_BACKING = frozenset(["support", "help", "backing", "assistance", "blessing", "approval", "consent", "mediation"])
# a person as object: never the subject of the same clause (unlike "it", which often stands for a thing)
_OBJECT_PRONOUNS = frozenset(["him", "her"])
# verbs whose subject, an attack, strikes their object
_EFFECT = frozenset(
    [
        "kill",
        "hit",
        "wound",
        "injure",
        "destroy",
        "damage",
        "target",
        "flatten",
        "fall",
        "land",
        "level",
        "raze",
        "strike",
    ]
)
# a threat as the object of these is a danger described ("faces a threat"), not one made
_STATE_VERBS = frozenset(["face", "pose", "represent", "constitute", "perceive", "fear", "see", "remain", "present"])
# what a "give" gives that is said, not supplied
_SAID_THINGS = frozenset(
    [
        "account",
        "sign",
        "signal",
        "indication",
        "detail",
        "version",
        "interview",
        "speech",
        "statement",
        "briefing",
        "answer",
        "reply",
        "response",
        "figure",
        "toll",
        "estimate",
        "explanation",
        "testimony",
        "evidence",
        "update",
        "address",
        "assessment",
        "description",
        "reason",
        "name",
        "number",
        "date",
        "timeline",
        "view",
        "opinion",
        "message",
        "verdict",
        "ruling",
        "judgment",
        "judgement",
        "blow",
        "boost",
        "opportunity",
        "chance",
        "priority",
        "credit",
        "attention",
        "consideration",
        "notice",
        "hint",
        "impression",
        "lecture",
        "sermon",
        "conference",
        "warning",
    ]
)
_GENERIC_ITEMS = frozenset(["it", "them", "this", "that", "efforts", "effort", "way", "ways", "support", "help"])


@dataclass
class Found:
    """An event with the token it hangs on, and whether the text negates it."""

    event: Event
    anchor: Token
    negated: bool
    sentence: Sentence
    verb: Token  # the verb whose clause holds the event (the anchor itself, or a noun's light verb)
    bare: bool = False  # told by a noun with no actor of its own and no light verb ("the strike")


def _match(words: list[str], lemmas_: list[str], i: int, trig: Trigger, where: list[int] | None = None) -> int | None:
    """End index of ``trig`` matched from word ``i`` (gaps of up to three words), or None.

    ``where``, when given, receives the positions of the pattern's own words (not the gaps').
    """
    j = i
    for k, slot in enumerate(trig.slots):
        if slot is None:
            continue
        if k == 0:
            if words[j] not in slot:
                return None
            if where is not None:
                where.append(j)
            j += 1
            continue
        if trig.slots[k - 1] is None:
            limit = min(len(words), j + 4)
            while j < limit and words[j] not in slot and lemmas_[j] not in slot:
                j += 1
            if j >= limit:
                return None
        elif j >= len(words) or (words[j] not in slot and lemmas_[j] not in slot):
            return None
        if where is not None:
            where.append(j)
        j += 1
    return j


def _passive_match(toks: list[Token], i: int, trig: Trigger, where: list[int]) -> int | None:
    """A "verb ~ object" pattern told in the passive or as a participle: "the envoys were recalled",
    "sanctions imposed on X". The object word is the verb's passive subject or the noun it modifies."""
    if trig.pos != "verb" or len(trig.slots) != 3 or trig.slots[1] is not None:
        return None
    obj = trig.slots[2]
    v = toks[i]
    if obj is None or v.pos_ != "VERB":
        return None
    first = toks[0].i
    for c in v.children:
        if c.dep_ == "nsubjpass" and (c.lower_ in obj or c.lemma_.lower() in obj):
            where.append(c.i - first)
            return i + 1
    if v.dep_ == "acl" and v.tag_ == "VBN" and (v.head.lower_ in obj or v.head.lemma_.lower() in obj):
        where.append(v.head.i - first)
        return i + 1
    return None


def find_triggers(sent: Sentence, masked: set[int], lex: Lexicon) -> Iterator[tuple[Trigger, Token, int, int]]:
    """(trigger, anchor token, first, end) for each trigger in the sentence, held to its part of speech."""
    toks = list(sent.tokens)
    words = [t.lower_.replace("’", "'") for t in toks]
    lems = [t.lemma_.lower() for t in toks]
    taken: set[int] = set()
    for i, w in enumerate(words):
        if i in masked:
            continue
        for trig in lex.triggers.get(w, ()):
            where: list[int] = []
            end = _match(words, lems, i, trig, where)
            if end is None:
                end = _passive_match(toks, i, trig, where)
            if end is None:
                continue
            anchor = toks[i] if trig.pos != "noun" else toks[end - 1]
            if anchor.i - toks[0].i in masked and trig.pos != "verb":
                continue
            if trig.pos == "verb" and (anchor.pos_ != "VERB" or anchor.dep_ in ("amod", "compound")):
                continue
            if trig.pos == "noun" and (anchor.pos_ not in ("NOUN", "PROPN") or anchor.dep_ == "compound"):
                continue  # "attack helicopters", "detention centre": the noun names a kind of thing here
            if anchor.i in taken:
                continue
            taken.add(anchor.i)
            # "lodged a protest": the phrase's nouns tell its one act, no other trigger's (a verb in it,
            # as in "hope to receive", keeps an act of its own)
            taken.update(toks[k].i for k in where[1:] if toks[k].pos_ != "VERB")
            yield trig, anchor, i, end
            break


def _masked(sent: Sentence, index: MentionIndex, lex: Lexicon) -> set[int]:
    """Word positions that cannot start a trigger: inside actor names and not-trigger phrases."""
    out: set[int] = set()
    toks = list(sent.tokens)
    for k, t in enumerate(toks):
        m = index.at(sent.begin_of(t), sent.end_of(t))
        if m is not None and m.type != "Group":
            out.add(k)
    words = [t.lower_ for t in toks]
    for phrase in lex.not_triggers:
        n = len(phrase)
        for k in range(len(words) - n + 1):
            if tuple(words[k : k + n]) == phrase:
                out.update(range(k, k + n))
    return out


def _counted(c: Token) -> bool:
    """A number that is a plain count ("nine firms"), not an estimate ("more than 40 rockets")."""
    return c.dep_ == "nummod" and not any(x.dep_ in ("quantmod", "advmod") for x in c.children)


def _names_actor(prep: Token, actors: Callable[[Token], list[Mention]] | None) -> bool:
    return actors is None or any(actors(p) for p in prep.children if p.dep_ == "pobj")


def _noun_phrase(sent: Sentence, tok: Token, actors: Callable[[Token], list[Mention]] | None = None) -> str:
    """An item's words: the noun with its modifiers, no determiner, clause, estimate or trailing preposition."""
    keep = [tok]
    stack = [c for c in tok.children if c.dep_ not in _ITEM_SKIP_DEPS and (c.dep_ != "nummod" or _counted(c))]
    while stack:
        c = stack.pop()
        keep.append(c)
        stack.extend(x for x in c.children if x.dep_ not in _ITEM_SKIP_DEPS)
    for c in tok.children:
        # "shipments of artillery shells": the "of" phrase is what was sent; "technology for satellites"
        # says which technology (unless it names who gets it), as "assistance with satellite development" says
        # which help
        helped = c.lower_ == "with" and lemmas().has(tok, "help")
        if c.dep_ == "prep" and (c.lower_ == "of" or helped or (c.lower_ == "for" and not _names_actor(c, actors))):
            for p in c.children:
                if p.dep_ == "pobj":
                    keep.append(c)
                    keep.extend(
                        x
                        for x in p.subtree
                        if (x.dep_ not in ("relcl", "acl", "punct") or x.tag_ == "HYPH") and x.i >= p.left_edge.i
                    )
    keep = sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)
    # contiguous run around the head
    lo = hi = keep.index(tok)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo : hi + 1]
    while run and run[0].pos_ in ("DET", "PRON", "ADP", "CCONJ", "PART"):
        run = run[1:]
    while run and run[-1].pos_ in ("ADP", "CCONJ", "PUNCT", "PART", "DET"):
        run = run[:-1]
    if not run:
        return ""
    b, e = sent.begin_of(run[0]), sent.end_of(run[-1])
    return sent.span.text[b - sent.span.begin : e - sent.span.begin]


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


_TIME_NOUNS = frozenset(
    ["day", "week", "month", "year", "hour", "minute", "night", "morning", "evening", "weekend", "decade", "percent"]
)
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])


def _is_time_or_amount(tok: Token) -> bool:
    """ "days before the vote", "on Friday", "40 percent", "$5 million": not something supplied."""
    low = tok.lower_
    return (
        tok.lemma_.lower() in _TIME_NOUNS
        or low in _WEEKDAYS
        or low in MONTHS
        or any(c.tag_ == "$" for c in tok.children)
        or (low in ("million", "billion", "trillion") and tok.dep_ != "nummod")
    )


def _counted_items(toks: list[Token]) -> list[Token]:
    """ "quantities of ammunition and equipment": the things counted, not the measure."""
    out: list[Token] = []
    for c in toks:
        counted = [p for x in c.children if x.dep_ == "prep" and x.lower_ == "of" for p in x.children]
        if lemmas().has(c, "measure") and counted and counted[0].dep_ == "pobj":
            out.extend(_conjuncts(counted[0]))
        else:
            out.append(c)
    return out


def _examples(tok: Token) -> tuple[list[Token], bool]:
    """The listed examples of an item ("commodities such as oil, flour"), and whether they stand for it.

    "such as" and "like" name the kinds of a class noun, which the examples replace; "including" names
    parts of a whole that stays an item too.
    """
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        such_as = c.lower_ == "as" and any(x.lower_ == "such" for x in c.children)
        if such_as or c.lower_ in ("like", "including"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return _conjuncts(p), c.lower_ != "including"
    return [], False


class _Builder:
    """Events of one sentence."""

    def __init__(self, sent: Sentence, index: MentionIndex, places: list[tuple[int, int, str]], lex: Lexicon) -> None:
        self.sent = sent
        self.reader = Reader(sent, index)
        self.places = places
        self.lex = lex

    def light_verb(self, n: Token) -> Token | None:
        """The light verb whose object ``n`` is ("carried out strikes", "held talks")."""
        h = n.head
        if (
            n.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "obj")
            and h.pos_ in ("VERB", "AUX")
            and lemmas().has(h, "light")
        ):
            return h
        if n.dep_ == "pobj" and h.dep_ == "prep" and h.head.pos_ == "VERB" and lemmas().has(h.head, "light"):
            return h.head  # "engaged in talks"
        for c in n.children:
            if c.pos_ != "VERB" or not lemmas().has(c, "light"):
                continue
            # "the sanctions imposed by X", "the attack, which X carried out": the light verb modifies its object
            if c.dep_ == "acl" and c.tag_ == "VBN":
                return c
            if c.dep_ == "relcl" and any(x.dep_ in ("dobj", "obj") and x.lower_ in _WHICH for x in c.children):
                return c
        return None

    def noun_actors(self, n: Token) -> list[Mention]:
        """Actors a noun trigger names itself: its possessor or demonym, or the ``by`` of it."""
        out: list[Mention] = []
        for c in n.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < n.i:
                out.extend(self.reader.actors(c))
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "between"):
                # "an attack by X", "a deal between X and Y"
                for p in c.children:
                    if p.dep_ == "pobj":
                        for q in _conjuncts(p) if c.lower_ == "between" else [p]:
                            out.extend(self.reader.actors(q))
        return uniq(out)

    def agent_in_means(self, v: Token) -> list[Mention]:
        """ "were killed in Russian shelling", "hurt by an attack by X": the doer named by the act's own noun."""
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "by", "during"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.pos_ == "NOUN" and self.lex.triggers.get(p.lower_):
                        own = self.noun_actors(p)
                        if own:
                            return own
        return []

    def noun_is_event(self, n: Token, light: Token | None, own: list[Mention], ev_type: str = "") -> bool:
        h = n.head
        if n.dep_ == "pobj" and h.lower_ in _BACKGROUND:
            return False  # "despite sanctions", even when the clause's verb is a light one
        if ev_type == "THREATEN" and n.dep_ in ("dobj", "attr") and h.lemma_.lower() in _STATE_VERBS:
            return False  # "faces a threat from X", "poses a threat to Y": a danger described, no threat made
        if light is not None:
            return True
        if n.dep_ in ("nsubj", "nsubjpass") and h.lemma_.lower() in _HAPPEN:
            return True
        return bool(own and not self.standing(n))

    def bare_noun_event(self, n: Token, ev_type: str) -> bool:
        """ "a rocket strike that killed", "the seizure was": an attack or a seizure is news told by its noun."""
        return ev_type in _TOLD_BY_NOUN and n.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "ROOT")

    def struck(self, n: Token) -> list[Mention]:
        """Who an attack told by a noun hit: "an air strike that killed ten soldiers", "shelling fell on X"."""
        r = self.reader
        verbs = [
            c
            for c in n.children
            if c.dep_ == "relcl" and any(x.dep_ == "nsubj" and x.lower_ in _WHICH for x in c.children)
        ]
        if n.dep_ == "nsubj":
            verbs.append(n.head)
        for v in verbs:
            if v.lemma_.lower() not in _EFFECT:
                continue
            for slot in ("dobj", "on"):
                for t in r.slot(v, slot):
                    who = r.actors(t)
                    if who:
                        return who
        return []

    def verb_is_event(self, trig: Trigger, v: Token) -> bool:
        """Whether a verb trigger tells an act of its own (not "to help secure", "gave an account")."""
        lem = v.lemma_.lower()
        if lem in _HELP and trig.type in ("COOPERATE", "AID"):
            # "asked X to help secure", "helped stabilise", "helped by close ties": a contribution to
            # something else, which is the event if any
            agent, _ = self.reader.clause_agent(v)
            if (
                any(c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB" for c in v.children)
                and agent is not None
                and agent.pos_ != "PRON"
                and self.reader.mention(agent) is None
            ):
                return False  # "the response helped stabilise": a thing, not an actor, helped
            if v.dep_ in ("xcomp", "advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                return False
            if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN"):
                return False
        if trig.type == "AID" and len(trig.slots) == 1:
            # "gave a different account", "gave no sign": what is given is words, not aid
            objs = [c for c in v.children if c.dep_ in ("dobj", "obj")]
            if objs and all(c.lemma_.lower() in _SAID_THINGS for c in objs):
                return False
        if lem == "hit" and trig.type == "ASSAULT":
            # "drones hit the airport", "the boat was hit": a blow struck by arms or by someone; not
            # "hit by sanctions", "prices hit a record", "hit back at critics"
            if any(c.dep_ == "prt" or c.lower_ in ("back", "out") for c in v.children):
                return False
            agent, _ = self.reader.clause_agent(v)
            if agent is not None and not self.reader.actors(agent) and agent.lemma_.lower() not in _ARMS:
                return False
            if agent is None and not any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
                return False
        if lem == "meet" and any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
            return False  # "was met with force": a reception, not a meeting
        objs = [c for c in v.children if c.dep_ in ("dobj", "obj")]
        if (
            len(trig.slots) == 1
            and lem in _NEEDS_ARMS
            and objs
            and not any(c.lemma_.lower() in _MILITARY or self.reader.mention(c) for c in objs)
        ):
            return False  # "launched a campaign", "tested the waters", "reinforced its message"
        if trig.kind == "halt to fighting":
            agent, _ = self.reader.clause_agent(v)
            if agent is not None and agent.pos_ == "NOUN" and not self.reader.actors(agent):
                return False  # "the ceasefire halted the fighting": a thing halted it, the truce is the event
        if lem == "concede" and any(c.dep_ == "ccomp" for c in v.children):
            return False  # "conceded that ...": an admission, no concession
        if trig.type == "ASSAULT":
            agent, _ = self.reader.clause_agent(v)
            if agent is not None and agent.lemma_.lower() in _NATURE:
                return False  # "the earthquake struck", "the storm hit"
        if trig.type == "CONSULT" and lem in ("meet", "join"):
            agent, _ = self.reader.clause_agent(v)
            if agent is not None and agent.lemma_.lower() in _LAND:
                return False  # "where the borders of X and Y meet": land, not leaders
        by_phone = any(
            c.dep_ == "prep" and any(p.lemma_.lower() in ("telephone", "phone", "call") for p in c.children)
            for c in v.children
        )
        if lem == "tell" and trig.type == "CONSULT" and not by_phone:
            # "told Y not to come back" is an order; "told reporters/the network that ..." a message passed;
            # only a person told something in person is a conversation
            if any(c.dep_ == "xcomp" for c in v.children):
                return False
            heard = [m for c in v.children if c.dep_ in ("dobj", "dative") for m in self.reader.actors(c)]
            if any(c.dep_ == "ccomp" for c in v.children) and not any(m.type == "Person" for m in heard):
                return False
        if (
            lem == "approach"
            and trig.type == "REQUEST"
            and not any(c.dep_ == "prep" and c.lower_ in ("for", "about", "with") for c in v.children)
        ):
            return False  # "troops approached the ridge": a move, not an approach for something
        if trig.kind == "visit" and len(trig.slots) == 1:
            # "visited the site", "was visiting home": a visit is a meeting only with someone visited
            objs = [c for c in v.children if c.dep_ in ("dobj", "obj")]
            if any(c.lower_ == "home" for c in v.children) and not objs:
                return False
            if objs and all(c.pos_ == "NOUN" and not self.reader.actors(c) for c in objs):
                return False
        return True

    def standing(self, n: Token) -> bool:
        """A relationship noun ("their alliance", "military cooperation") describes a state, not an act."""
        return any(t.pos == "noun" and t.type == "COOPERATE" for t in self.lex.triggers.get(n.lower_, ()))

    def build(self, trig: Trigger, anchor: Token) -> Found | None:
        r = self.reader
        frame = frames().get(trig.type)
        verb = anchor
        bare = False
        src: list[Mention] = []
        tgt: list[Mention] = []
        item_toks: list[Token] = []
        object_items: list[Token] = []
        holders = [anchor]
        if trig.pos == "noun" or (trig.pos == "fixed" and anchor.pos_ != "VERB"):
            light = self.light_verb(anchor)
            own = self.noun_actors(anchor)
            if not self.noun_is_event(anchor, light, own, trig.type):
                if not self.bare_noun_event(anchor, trig.type):
                    return None
                bare = True
            if trig.kind == "exchange" and not any(
                c.dep_ in ("compound", "amod", "nmod") or (c.dep_ == "prep" and c.lower_ == "of")
                for c in anchor.children
            ):
                return None  # "the exchange ended": of fire, most likely; a swap says what is swapped
            src = own
            h = anchor.head
            if (
                not src
                and light is None
                and anchor.dep_ == "pobj"
                and h.lower_ in ("with", "through")
                and h.head.pos_ == "VERB"
            ):
                # "responded with air strikes on X", "retaliated through drone attacks": the verb's doer
                agent, passive = r.clause_agent(h.head)
                if not passive:
                    src = r.named_actors(agent)
            if light is not None:
                verb = light
                holders.append(light)
                if not src:
                    agent, _passive = r.clause_agent(light)
                    src = r.named_actors(agent)
        else:
            if not self.verb_is_event(trig, anchor):
                return None
            agent, passive = r.clause_agent(anchor)
            src = r.named_actors(agent)
            if agent is not None and agent.lower_ in _OBJECT_PRONOUNS and agent.dep_ in ("dobj", "obj"):
                # "X called Y and asked him to reopen": the controlling object pronoun is not X
                boss, _ = r.clause_agent(agent.head)
                named = r.mention(boss) if boss is not None and boss != agent else None
                doers = {named.name} if named is not None else set()
                if doers and all(m.name in doers for m in src):
                    other = r.other_antecedent(agent, doers)
                    src = [other] if other is not None else src
            if not src and anchor.tag_ == "VBG" and anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
                # "Peruvian shelling fell on ...": a gerund names its doer as a noun does
                src = self.noun_actors(anchor)
            if passive and not src:
                src = self.agent_in_means(anchor)
            if passive and not src:
                # "the negotiations between X and Y were held": the phrase's noun names its own actors
                # (only "between"/"by": "Chile's ambassador was summoned" is not summoned by Chile)
                for c in anchor.children:
                    if c.dep_ == "nsubjpass" and c.pos_ == "NOUN":
                        src = [
                            m
                            for p in c.children
                            if p.dep_ == "prep" and p.lower_ in ("between", "by")
                            for q in p.children
                            if q.dep_ == "pobj"
                            for x in _conjuncts(q)
                            for m in r.actors(x)
                        ]
            if passive:
                patient = r.patient_token(anchor)
                if patient is not None:
                    pat = r.actors(patient)
                    if pat:
                        tgt.extend(pat)
                    else:
                        item_toks.append(patient)
        # "from": the origin of a supply is its source, the addressee of a request its target
        for h in holders:
            for p in r.slot(h, "from"):
                who = r.actors(p)
                if trig.from_role == "source" and not src:
                    src = who
                elif trig.from_role == "target":
                    tgt.extend(who)
        if trig.type == "AID" and trig.from_role == "target" and trig.pos == "verb":
            src, tgt = tgt, src  # "X received arms from Y": the subject is the recipient
        if frame is not None:
            for slot in frame.target:
                for h in holders:
                    for t in r.slot(h, slot):
                        if slot == "with" and t.lemma_.lower() in _BACKING:
                            continue  # "brokered with the support of X": X backs the act, it is no partner in it
                        if slot == "with" and t.head.i > 0 and t.doc[t.head.i - 1].lower_ in ("together", "along"):
                            continue  # "hosted the meeting together with X": X is a co-host, not the partner
                        if t.lower_ == "it" and trig.type in _REACTIONS_TO_THINGS:
                            continue  # "confirmed the capture and condemned it": "it" is the deed, not a doer
                        who = r.actors(t)
                        doers = {x.name for x in src}
                        if who and t.lower_ in _OBJECT_PRONOUNS and all(m.name in doers for m in who):
                            # "X called Y and asked him to": an object pronoun is not its own clause's subject
                            other = r.other_antecedent(t, doers)
                            who = [other] if other is not None else who
                        if who:
                            # "helped Peru with its talks": a slot naming only the doer does not end the search
                            tgt.extend(m for m in who if m.name not in doers)
                        elif slot == "dobj" and "dobj" in frame.item:
                            object_items.append(t)
                if tgt:
                    break
            if trig.type in _ITEM_TYPES:
                for slot in frame.item:
                    if slot == "dobj":
                        continue
                    for h in holders:
                        for t in r.slot(h, slot):
                            if not r.actors(t):
                                item_toks.append(t)
                if "dobj" in frame.item and not item_toks:
                    # "supplied Russia with shells": the object is the recipient, the "with" phrase the items
                    item_toks.extend(object_items)
                    for h in holders:
                        for t in r.slot(h, "dobj"):
                            if t != anchor and not r.actors(t) and t not in item_toks:
                                item_toks.append(t)
        if not tgt and trig.type in ("ASSAULT", "COERCE"):
            tgt = self.struck(anchor)
        src = uniq(src)
        names_src = [m.name for m in src]
        tgt = [m for m in uniq(tgt) if m.name not in names_src]
        if not tgt and trig.type not in _UNORDERED:
            tgt = self.first_after(anchor, verb, names_src)
        if trig.type == "CONSULT" and anchor.lemma_.lower() in _NEEDS_LISTENER and not tgt:
            return None
        if trig.kind == "military operation" and not tgt and not any(r.slot(h, "against") for h in holders):
            return None  # "conducted rescue operations": an operation is an attack when it is against someone
        if not tgt and len(src) > 1 and trig.type in _UNORDERED:
            tgt = src[1:2]  # "X and Y agreed": each is the other's partner
        source = src[0].name if src else None
        target = tgt[0].name if tgt else None
        participants = tuple(dict.fromkeys([*names_src, *(m.name for m in tgt)]))
        items: list[str] = []
        if trig.type in _ITEM_TYPES:
            listed: list[Token] = []
            for t in item_toks:
                for c in _counted_items(_conjuncts(t)):
                    examples, replace = _examples(c)
                    listed.extend([*examples] if replace and examples else [c, *examples])
            for c in listed:
                if (
                    c == anchor
                    or (len(trig.slots) > 1 and trig.slots[-1] is not None and c.lower_ in trig.slots[-1])
                    or r.actors(c)
                    or c.lower_ in _GENERIC_ITEMS
                    or c.pos_ not in ("NOUN", "PROPN")
                    or _is_time_or_amount(c)
                ):
                    continue
                text = _noun_phrase(self.sent, c, r.actors)
                if text and text not in items and len(text.split()) <= 8:
                    items.append(text)
        place = self.place_of(anchor, verb, trig.kind, participants)
        modality = r.modality(verb if verb != anchor else anchor)
        if modality == "Occurred" and verb != anchor:
            modality = r.modality(anchor)
        negated = r.negated(verb) or (verb != anchor and r.negated(anchor))
        ev_type = trig.type
        kind = trig.kind
        if trig.kind == "launch" and any(r.actors(t) for h in holders for p in _AIMED for t in r.slot(h, p)):
            ev_type, kind = "ASSAULT", "missile attack"  # "launched missiles at X": fired on someone, no test
        if ev_type == "ASSAULT" and anchor.lemma_.lower() == "strike" and trig.pos == "verb":
            agent, _ = r.clause_agent(anchor)
            if agent is not None and agent.lemma_.lower() in _WORKERS:
                ev_type, kind = "PROTEST", "strike"  # "dock workers struck for higher pay": a labour strike
        if ev_type == "ASSAULT" and trig.pos == "verb" and anchor.lemma_.lower() in ("clash", "fight"):
            agent, _ = r.clause_agent(anchor)
            if agent is not None and agent.lemma_.lower() in _CROWDS:
                ev_type, kind = "PROTEST", "riot"  # "protesters clashed with police": a violent protest
        if trig.kind == "ceasefire" and verb != anchor and verb.lemma_.lower() in _SETTLING:
            ev_type = "AGREE"  # "brokered a ceasefire", "a truce reached by": the sides agree to stop
        label = event_label(ev_type, kind, source, target, tuple(items), participants)
        begin, end = self.sent.begin_of(anchor), self.sent.end_of(anchor)
        ev = Event(
            type=ev_type,
            label=label,
            evidence=self.sent.span,
            participants=participants,
            source_actor=source,
            target_actor=target,
            place=place,
            modality=modality,
            kind=kind,
            items=tuple(items),
            trigger=(begin, end),
        )
        return Found(ev, anchor, negated, self.sent, verb, bare)

    def first_after(self, anchor: Token, verb: Token, exclude: list[str]) -> list[Mention]:
        """The first actor after the trigger in its own clause (never in a trailing attribution or relative clause)."""
        r = self.reader
        blocked: set[int] = set()
        for t in verb.subtree:
            if t.dep_ in ("relcl", "advcl", "ccomp", "parataxis") and t != verb and t != anchor:
                blocked.update(x.i for x in t.subtree)
            # "condemned the attack and said U.S. support ...": a coordinated clause is not the trigger's own
            if t.dep_ == "conj" and t.head == verb and t.pos_ in ("VERB", "AUX") and t != anchor:
                blocked.update(x.i for x in t.subtree)
            if t.lower_ == "according":
                blocked.update(x.i for x in t.subtree)
        for t in verb.subtree:
            if t.i <= anchor.i or t.i in blocked:
                continue
            m = r.mention(t)
            if m is not None and m.name not in exclude:
                return [m]
        return []

    def place_of(self, anchor: Token, verb: Token, kind: str, participants: tuple[str, ...]) -> str | None:
        """A place governed by a locative preposition on the event's words or its clause; a visit's destination."""
        if not self.places:
            return None
        heads = {anchor.i, verb.i}
        for t in (anchor, verb):
            heads.update(c.i for c in t.children if c.dep_ in ("dobj", "prep", "npadvmod"))
        best: tuple[int, str] | None = None
        sent = self.sent
        toks = {sent.begin_of(t): t for t in sent.tokens}
        for b, _e, name in self.places:
            tok = toks.get(b)
            if tok is None:
                continue
            while tok.dep_ == "compound" and tok.head != tok:
                tok = tok.head
            rank = None
            if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
                prep = tok.head
                if prep.lower_ in _PLACE_PREPS and prep.head.i in heads:
                    rank = 0
                elif prep.lower_ == "to" and kind in _VISITS and prep.head.i in heads:
                    rank = 1
                elif prep.lower_ in _PLACE_PREPS and prep.head.head.i in heads and prep.head.pos_ in ("NOUN", "PROPN"):
                    rank = 2
            elif tok.dep_ == "dobj" and tok.head.i in heads and kind in _VISITS:
                rank = 1
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, name)
        return best[1] if best else None


def event_label(
    ev_type: str, kind: str, src: str | None, tgt: str | None, items: tuple[str, ...], others: tuple[str, ...] = ()
) -> str:
    """A short label for an event: who did what kind of thing to whom, and the items."""
    if src is None:
        # no acting subject ("the talks were held ..."): the kind and who took part
        who = list(dict.fromkeys(p for p in (*others, tgt) if p))
        if len(who) >= 2:
            label = f"{kind} between {who[0]} and {who[1]}"
        elif who:
            label = f"{kind} {_LINK.get(ev_type, 'to')} {who[0]}"
        else:
            label = kind
        return label + (": " + ", ".join(items) if items else "")
    label = f"{src} {kind}"
    if tgt:
        label += f" {_LINK.get(ev_type, 'to')} {tgt}"
    if items:
        label += ": " + ", ".join(items)
    return label


_SURFACE_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _place_pattern(surfaces: dict[str, str]) -> re.Pattern[str] | None:
    key = tuple(sorted(surfaces))
    if key not in _SURFACE_CACHE:
        if len(_SURFACE_CACHE) > 256:
            _SURFACE_CACHE.clear()
        alts = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
        _SURFACE_CACHE[key] = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])") if alts else None
    return _SURFACE_CACHE[key]


def place_mentions(text: str, places: tuple[Place, ...]) -> list[tuple[int, int, str]]:
    """(begin, end, place name) of every place surface in ``text``."""
    from kg.extract.places import place_surfaces

    surfaces = place_surfaces(places)
    pat = _place_pattern(surfaces)
    if pat is None:
        return []
    return [(m.start(), m.end(), surfaces[m.group()]) for m in pat.finditer(text)]


def found_events(found: Extraction) -> list[Found]:
    """Every event of the article, negated ones included (marked), in text order."""
    lex = lexicon()
    index = MentionIndex(top_mentions(found))
    parsed = found.parse
    if parsed is None:
        return []
    places = place_mentions(found.article.text, found.places)
    out: list[Found] = []
    p = 0
    for sent in parsed.sentences:
        while p < len(places) and places[p][0] < sent.span.begin:
            p += 1
        q = p
        while q < len(places) and places[q][1] <= sent.span.end:
            q += 1
        b = _Builder(sent, index, places[p:q], lex)
        masked = _masked(sent, index, lex)
        hits = list(find_triggers(sent, masked, lex))
        verbs = {anchor.i: trig.type for trig, anchor, _, _ in hits if trig.pos == "verb"}
        nouns = {anchor.i: trig.type for trig, anchor, _, _ in hits if trig.pos == "noun"}
        built: list[Found] = []
        for trig, anchor, _i, _end in hits:
            if trig.pos == "noun" and verbs.get(anchor.head.i) == trig.type:
                continue  # "imposed sanctions": the verb's event already
            if trig.pos == "verb" and _carries(anchor, trig.type, nouns):
                continue  # "launched strikes", "gave its blessing": the object's event, not the verb's
            f = b.build(trig, anchor)
            if f is not None:
                built.append(f)
        out.extend(_one_per_act(_unasked(built)))
    return out


# verbs that only hand on the act their object names ("offered its support", "launched strikes"),
# unlike verbs with an act of their own ("signed a ceasefire" is an agreement)
_CARRIERS = frozenset(
    [
        "give",
        "offer",
        "lend",
        "extend",
        "provide",
        "launch",
        "send",
        "deliver",
        "voice",
        "express",
        "issue",
        "make",
        "mount",
        "stage",
        "conduct",
        "carry",
        "unleash",
    ]
)


def _carries(verb: Token, ev_type: str, nouns: dict[int, str]) -> bool:
    """Whether a carrying verb's object is a trigger of another type, which names the act the verb only carries."""
    if verb.lemma_.lower() not in _CARRIERS:
        return False
    return any(c.dep_ in ("dobj", "obj") and nouns.get(c.i, ev_type) != ev_type for c in verb.children)


# acts whose content is an act not done: what is asked for or threatened has not happened
_ASKING = frozenset(["REQUEST", "THREATEN"])


def _unasked(found: list[Found]) -> list[Found]:
    """The events of a sentence without those that are only the content of a request or a threat.

    "urged Chile to withdraw its troops", "threatened to impose sanctions": the withdrawal and the
    sanctions are what one side wants or warns of, no event of their own (the request or the threat
    is the event, its content the item).
    """
    asking = {f.verb.i: f.event.type for f in found if f.event.type in _ASKING and f.verb.pos_ == "VERB"}
    if not asking:
        return found
    out = []
    for f in found:
        t, inside = f.verb, False
        for _ in range(3):
            if t.dep_ not in ("xcomp", "ccomp") or t.head == t:
                break
            # "warned that X was planning an attack" tells a fact, not what the warning wants
            told = t.dep_ == "ccomp" and asking.get(t.head.i) == "THREATEN"
            if t.head.i in asking and not told and f.event.type not in _ASKING:
                inside = True
                break
            t = t.head
        if not inside:
            out.append(f)
    return out


def _fits(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _one_per_act(found: list[Found]) -> list[Found]:
    """One event per act of a sentence: "strengthen and deepen cooperation", "a trip ... to discuss"
    are one act told twice; the telling with more roles stands for both (items joined)."""
    out: list[Found] = []
    for f in found:
        e = f.event
        same = next(
            (
                k
                for k, g in enumerate(out)
                if g.event.type == e.type
                and g.event.modality == e.modality
                and g.negated == f.negated
                and _fits(g.event.source_actor, e.source_actor)
                and _fits(g.event.target_actor, e.target_actor)
                and not _answers(g.verb, f.verb)
            ),
            None,
        )
        if same is None:
            out.append(f)
            continue
        g = out[same]
        keep, drop = (f, g) if _roles(e) > _roles(g.event) else (g, f)
        items = tuple(dict.fromkeys([*keep.event.items, *drop.event.items]))
        out[same] = dataclasses.replace(keep, event=dataclasses.replace(keep.event, items=items))
    return out


_TELLING = frozenset(["speech", "claim", "report", "accuse", "denial", "confirmation", "cognition"])


def _teller(v: Token) -> int | None:
    """The verb of saying whose reported clause holds ``v`` (its token index), if any.

    "admitted a strike that residents said had killed ...": the killing is the residents' word,
    the strike the army's, and the two tellings stay apart.
    """
    t = v
    for _ in range(8):
        if t.head == t:
            return None
        if t.dep_ in ("ccomp", "xcomp", "conj"):
            if t.dep_ == "ccomp" and lemmas().of(t.head) & _TELLING:
                return int(t.head.i)
            t = t.head
            continue
        return None
    return None


def _answers(a: Token, b: Token) -> bool:
    """Whether one telling is an admission or denial of an act and the other a claim about it.

    "admitted carrying out a strike that residents said had killed ...": the response step pairs
    the admission with the residents' claim, so the two are not merged into one.
    """
    ta, tb = _teller(a), _teller(b)
    if ta == tb:
        return False
    return _answered(a) or _answered(b)


def _answered(v: Token) -> bool:
    """Whether ``v`` is the act a verb of admitting or denying governs ("admitted carrying out")."""
    t = v
    for _ in range(3):
        if t.head == t or t.dep_ not in ("xcomp", "ccomp", "pcomp", "dobj"):
            return False
        if lemmas().of(t.head) & _ANSWERING:
            return True
        t = t.head
    return False


_ANSWERING = frozenset(["denial", "confirmation"])


def _roles(e: Event) -> int:
    return (e.source_actor is not None) + (e.target_actor is not None)


class EventExtractor:
    """Events of every sentence, from the trigger lexicon and the parse."""

    name = "events"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add one event per trigger in each sentence; negated ones are left out."""
        told = found_events(found)
        if found.parse is not None:
            found.parse.notes["told"] = told  # for the allegation step, which reads the same events
        events = tuple(f.event for f in told if not f.negated)
        return dataclasses.replace(found, events=found.events + events)


def told_events(found: Extraction) -> list[Found]:
    """:func:`found_events` of this article, as the event step found them (found again if it did not run)."""
    told = found.parse.notes.get("told") if found.parse is not None else None
    return told if told is not None else found_events(found)


__all__ = [
    "REACTION_TYPES",
    "EventExtractor",
    "Found",
    "event_label",
    "find_triggers",
    "found_events",
    "place_mentions",
    "told_events",
]
