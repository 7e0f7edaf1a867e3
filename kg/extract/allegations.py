"""Allegations, and the denials and confirmations that answer them, read off the parse.

Attribution comes first. Every reported statement is a candidate claim: a
verb of saying, reporting, believing or accusing with its subject and
complement ("X said Y had ...", "X accused Y of ..."), "according to X",
a claim noun with its holder and content ("an accusation by X that ..."),
and the writer's own hedge ("reportedly", "is said to"). A candidate is an
allegation when its cue is accusatory, or when what it reports is a hostile
act or a wrongdoing by someone other than the claimant; an official
describing its own side's operation is a report, not an allegation. The events
inside an allegation's content become its proposition, with modality Alleged.

Responses are linked over the whole article, in either order: a denial
(deny, reject, dismiss; "called the claims baseless"; a negated act in the
accused's own voice) answers the allegations against the denier's side,
preferring those of the same event type; one aimed at a claim noun with its
own content answers exactly that claim. A confirmation (confirm, admit,
claiming responsibility) by the accused's side marks it confirmed.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from kg.extract.actors import WORK
from kg.extract.common import Mention, top_mentions
from kg.extract.events import Found, event_label, told_events
from kg.extract.lexicon import lexicon, read_data, verb_forms
from kg.extract.nlp import Sentence
from kg.extract.syntax import Lemmas, MentionIndex, Reader, lemmas, subtree_span, uniq, wrongdoing_types
from kg.model import Actor, Allegation, Article, Event, Extraction, Response

Token = Any
_SAYING = frozenset(["speech", "report", "cognition", "accuse", "confirmation"])
_POINTING = frozenset(["this", "that", "these", "those"])
_DISMISSIVE = frozenset(["attempt", "ploy", "pretext", "motivated", "excuse", "distraction", "fiction", "fantasy"])
_ANONYMOUS = frozenset(["source", "sources", "person", "people"])
# wrongdoing verbs too common in one's own side's doings to accuse an unnamed doer ("our forces crossed the river")
_CARRIED_BY_ANY = frozenset(["cross", "deploy", "use", "recruit"])
_QUOTES = frozenset(['"', "\u201c", "\u201d"])
_MODALS = frozenset(["will", "would", "could", "may", "might", "can", "should", "shall", "'ll"])
# "not true", "no truth to": words that deny a claim once negated or emptied by "no"
_TRUE_WORDS = frozenset(["true", "accurate", "correct"])
_TRUTH_NOUNS = frozenset(["truth", "basis", "foundation"])
# pronouns that stand for a speaker, and the kinds of actor each can be
_SPEAKER_PRONOUNS = {
    "it": ("Country", "Organization"),
    "its": ("Country", "Organization"),
    "he": ("Person",),
    "his": ("Person",),
    "she": ("Person",),
    "her": ("Person",),
}
# verbs that, with "responsibility" or "credit", make the act the subject's own
_OWNING = frozenset(["claim", "take", "assume", "accept"])
_ACCUSING_NOUNS = frozenset(["accusation", "allegation", "charge"])
# acts whose target suffers them (an AID's target is supplied: party to it, not its victim)
_DONE_TO = frozenset(["ASSAULT", "COERCE", "THREATEN", "SANCTION"])
_HOSTILE = frozenset(["ASSAULT", "COERCE", "THREATEN", "MOBILIZE", "AID", "SANCTION", "PROTEST"])
_CONTENT_DEPS = frozenset(["ccomp", "xcomp", "parataxis"])
_UNNAMED = frozenset(["source", "sources", "official", "officials", "diplomat", "diplomats", "person", "people"])


@dataclass
class Claim:
    """A reported statement: who says it, what it says (token indices of its content), and the cue."""

    sent: Sentence
    claimants: list[Mention]
    content: set[int]  # token indices (doc-level) of the content
    cue: str
    accusatory: bool
    accused: list[Mention] = field(default_factory=list)
    noun: Token | None = None  # the claim noun, for "an accusation by X that ..."
    head: Token | None = None  # the content's head token
    events: list[Found] = field(default_factory=list)
    verb: Token | None = None  # the verb of saying, when a verb frames the claim
    bare: list[Found] = field(default_factory=list)  # acts told by a bare noun ("the strike"): alleged, no proposition
    disclaims: bool = False  # what it says is that someone had no part in an act: a denial, not an allegation
    reciprocal: bool = False  # one half of "each side accused the other": its twin is no duplicate
    contested: bool = False  # its own sentence sums it up as a charge someone denies: "..., a charge X rejects"
    names_act: bool = False  # it gives an act told before a name for a wrong: "called the raid a violation"
    culprit: Token | None = None  # the predicate that blames the accused: "behind", "responsible", "to blame"
    summed_by: list[Mention] = field(default_factory=list)  # who denies it in its own sentence: ", a charge X denies"
    owned: bool = False  # the claimant's claim of an act of its own: "X claimed responsibility for the attack"
    index: MentionIndex | None = None  # the article's mentions, for reading the claim again


@dataclass
class Answer:
    """A denial or confirmation before it is linked: who, and what it answers."""

    kind: Literal["denial", "confirmation"]
    who: list[Mention]
    sent: Sentence
    types: set[str]
    nouns: list[Token]  # the claim nouns it takes as object
    anaphoric: bool
    within: frozenset[int] = frozenset()  # a confirmation's own clause: a claim told inside it is what it owns
    verb: Token | None = None  # the verb of denial, when a verb answers
    strict: bool = False  # it names the act it answers ("confirmed the strike"): claims of that type only


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _failed_duty(c: Claim, r: Reader, claim_side: set[str], lem: Lemmas) -> Token | None:
    """A verb of keeping an undertaking, negated, whose doer is another side: "Kinshasa never honoured a deal"."""
    for t in c.sent.tokens:
        if t.i not in c.content or t.pos_ != "VERB" or not lem.has(t, "duty") or not r.negated(t):
            continue
        if _hypothetical(t) or not any(o.dep_ in ("dobj", "prep") for o in t.children):
            continue
        doers = {m.name for m in r.actors(r.agent_token(t)[0])}
        if doers and not doers & claim_side:
            return t
    return None


def _wrong_made(c: Claim, r: Reader, claim_side: set[str], lem: Lemmas) -> bool:
    """Whether the claim's verb is a light verb ("waging", "carried out") whose object tells a wrong or a hostile
    act, done by another side: "Russia was waging a hybrid war, including cyberattacks on websites"."""
    v = c.head
    if v is None or v.pos_ not in ("VERB", "AUX") or not lem.has(v, "light") or r.negated(v) or _hypothetical(v):
        return False
    doers = {m.name for m in r.actors(r.agent_token(v)[0])}
    if not doers or doers & claim_side:
        return False
    if any(x.dep_ == "aux" and x.lower_ in _MODALS for x in v.children):
        return False  # "said Y would send observers": an intention, no wrong done
    acts = {
        f.anchor.i
        for f in [*c.events, *c.bare]
        if f.event.type in _HOSTILE and not (f.event.modality != "Occurred" and f.event.type in _DONE_ONLY)
    }
    if not any(o.dep_ in ("dobj", "obj") for o in v.children):
        return False
    told = _subtree(v) - {i for x in v.children if x.dep_ in ("nsubj", "nsubjpass") for i in _subtree(x)}
    return any(t.i in told and (t.i in acts or (t.pos_ == "NOUN" and lem.has(t, "wrongdoing"))) for t in v.subtree)


def _hedged_act(c: Claim, r: Reader) -> tuple[Token, str, str] | None:
    """A hostile act a hedged claim tells by a verb the events did not keep (one per type a sentence)."""
    for t in c.sent.tokens:
        if t.i not in c.content or t.pos_ != "VERB" or r.negated(t) or _hypothetical(t):
            continue
        for g in lexicon().triggers.get(t.lower_, ()):
            if g.pos == "verb" and len(g.slots) == 1 and g.type in _HOSTILE:
                return t, g.type, g.kind
    return None


def _act_types(n: Token, lem: Lemmas) -> set[str]:
    """The types of act a noun can name: a trigger noun, a harm ("the strike"), a wrong ("the massacre")."""
    out = {
        g.type
        for w in (n.lower_, n.lemma_.lower())
        for g in lexicon().triggers.get(w, ())
        if len(g.slots) == 1 and g.pos in ("noun", "verb")
    }
    if lem.has(n, "harm"):
        out.add("ASSAULT")
    kind = wrongdoing_types().get((n.lemma_.lower(), "noun"))
    if kind is not None:
        out.add(kind)
    return out


def _act_told_before(v: Token) -> bool:
    """Whether a verb's doer is a definite act noun pointing back: "the strikes had hit", "these attacks killed"."""
    subj = [x for x in v.children if x.dep_ == "nsubj"]
    return bool(subj) and any(x.dep_ == "det" and x.lower_ in ("the", "these", "those") for x in subj[0].children) and (
        bool(_act_types(subj[0], lemmas()))
    )


def _no_one(v: Token) -> bool:
    """Whether a verb's subject is emptied by "no": "no civilians had been harmed"."""
    return any(
        x.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ == "no" for d in x.children)
        for x in v.children
    )


def _hypothetical(t: Token) -> bool:
    """Whether ``t`` stands in a condition ("if Y attacked", "unless Y withdraws"): told as possible, not as done."""
    for _ in range(8):
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest") for c in t.children):
            return True
        if t.head is t:
            break
        t = t.head
    return False


def _to_blame(v: Token) -> bool:
    """Whether ``v`` is the "blame" of "Y was to blame (for ...)": a state of Y, no one's accusation."""
    return (
        v.lemma_.lower() == "blame"
        and v.dep_ == "xcomp"
        and v.head.lemma_.lower() == "be"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
        and not any(c.dep_ == "dobj" for c in v.children)
    )


def _stray_that_clause(n: Token) -> Token | None:
    """The "that" clause of a claim noun the parser hung on the noun's verb instead.

    "hit back at claims from X that it had ...": the clause begins right where the noun's phrase ends,
    and the verb has no other use for it (it is no verb of saying, whose own complement it would be).
    """
    v = n.head
    while (v.dep_ == "prep" or v.pos_ == "ADP") and v.head.i != v.i:
        v = v.head
    if v.pos_ not in ("VERB", "AUX") or lemmas().has(v, "speech") or lemmas().has(v, "report"):
        return None
    for c in v.children:
        if (
            c.dep_ in ("ccomp", "advcl")
            and c.left_edge.i == n.right_edge.i + 1
            and any(x.dep_ == "mark" and x.lower_ == "that" for x in c.children)
        ):
            return c
    return None


def _content_heads(v: Token, accusing: bool) -> list[Token]:
    heads = [c for c in v.children if c.dep_ in _CONTENT_DEPS]
    if accusing or not heads:
        # "accused X of Y": the parser hangs the "of" on the verb or on its object
        holders = [v, *(c for c in v.children if c.dep_ in ("dobj", "nsubjpass"))]
        # ("accused by rights groups of torturing": the "of" hangs on the agent)
        holders += [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        for h in holders:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "for", "over"):
                    heads.extend(p for p in c.children if p.dep_ in ("pcomp", "pobj"))
    return heads


class _SentenceClaims:
    """The claims and answers of one sentence."""

    def __init__(self, sent: Sentence, index: MentionIndex, lem: Lemmas, before: tuple[Sentence, ...] = ()) -> None:
        self.sent = sent
        self.r = Reader(sent, index)
        self.lem = lem
        self.before = before  # the sentences before it, nearest first (for a pronoun speaker)
        self.claims: list[Claim] = []
        self.answers: list[Answer] = []
        self.frames: set[int] = set()  # verbs that frame a claim without being its verb ("what X called ...")

    def who(self, v: Token) -> list[Mention]:
        agent, _passive = self.r.agent_token(v)
        return self.speaker(agent) or self.reporting_speaker(v)

    def speaker(self, agent: Token | None) -> list[Mention]:
        """Who a subject names; a pronoun ("It said", "Its defence ministry said") is the speaker told before."""
        pron = None
        if agent is not None and agent.pos_ == "PRON" and agent.lower_ in _SPEAKER_PRONOUNS:
            pron = agent
        elif agent is not None and agent.pos_ in ("NOUN", "PROPN") and self.r.mention(agent) is None:
            owners = [c for c in agent.children if c.dep_ == "poss" and c.lower_ in _SPEAKER_PRONOUNS]
            pron = owners[0] if owners else None
        if pron is not None:
            told = self.subject_before(pron)
            if told is not None:
                return [told]
        return self.r.actors(agent)

    def subject_before(self, pron: Token) -> Mention | None:
        """The actor subject of the nearest sentence before (of the pronoun's kind): news keeps its speaker."""
        kinds = _SPEAKER_PRONOUNS[pron.lower_]
        for t in self.sent.tokens:
            m = self.r.mention(t) if t.dep_ in ("nsubj", "nsubjpass") and t.i < pron.i else None
            if m is not None and m.type in kinds:
                return None  # an actor subject of its kind earlier in its own sentence is the nearer antecedent
        for sent in self.before[:2]:
            r = Reader(sent, self.r.index)
            for t in sent.tokens:
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.pos_ != "PRON":
                    got = [m for m in r.actors(t) if m.type in kinds]
                    if got:
                        return got[0]
        return None

    def issuer(self, doc: Token | None) -> list[Mention]:
        """Who issued the statement or report that is said to say something: "a statement from the ministry said"."""
        if doc is None or doc.pos_ not in ("NOUN", "PROPN") or not self.lem.has(doc, "document"):
            return []
        return [
            m
            for c in doc.children
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
            for p in c.children
            if p.dep_ == "pobj"
            for m in self.r.actors(p)
        ]

    def reporting_speaker(self, v: Token) -> list[Mention]:
        """The speaker of "X told reporters that the crowd was a mob, and accused Y of ...".

        The parser joins the second verb of saying to the reported clause, whose subject is no actor;
        it is the speaker's own act, like the verb of saying that clause hangs on.
        """
        head = v.head
        if v.dep_ != "conj" or head.dep_ != "ccomp" or head.head is head:
            return []
        if self.r.actors(self.r.agent_token(head)[0]):
            return []  # the reported clause has an actor for subject: the second verb may well be its
        agent, _passive = self.r.agent_token(head.head)
        return self.speaker(agent)

    def run(self) -> None:
        toks = list(self.sent.tokens)
        for t in toks:
            classes = self.lem.of(t) if t.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "ADV", "ADJ") else frozenset()
            if t.pos_ in ("VERB", "AUX") and classes & _SAYING:
                self.verb_claim(t, classes)
            if t.pos_ in ("VERB", "AUX") and "denial" in classes:
                self.denial(t)
            elif t.pos_ in ("VERB", "AUX") and "retort" in classes:
                self.retort(t)
            elif t.pos_ in ("NOUN", "PROPN") and t.lower_ in _denial_forms() and self.summed_up_before(t):
                # "..., a charge Santiago rejects": the tagger takes the verb for a plural noun
                self.denial(t)
            if t.lower_ == "according":
                self.according(t)
            if t.pos_ in ("NOUN", "PROPN") and "claim" in classes:
                self.noun_claim(t)
            if t.pos_ == "ADV" and "hedge" in classes:
                self.hedge(t)
            elif t.dep_ == "amod" and "hedge" in self.lem.classes.get((t.lower_, "adj"), frozenset()):
                self.hedged_noun(t)
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in ("call", "describe", "brand", "label", "term"):
                self.called_false(t)
            if t.dep_ in ("acomp", "attr") and (self.is_false(t) or t.lemma_.lower() in _DISMISSIVE):
                # ("the allegations were an attempt to tarnish its image", "are politically motivated": said of a
                # claim noun only, these too deny it)
                self.said_false(t)
            elif t.dep_ in ("acomp", "attr") and t.lower_ in _TRUE_WORDS and self.r.negated(t.head):
                self.said_false(t, negated=True)  # "the report was not true"
            elif t.dep_ in ("attr", "dobj") and t.lower_ in _TRUTH_NOUNS and any(
                x.dep_ == "det" and x.lower_ == "no" for x in t.children
            ):
                self.no_truth(t)
            if t.pos_ == "VERB" and t.lemma_.lower() == "hold":
                self.held_responsible(t)
            elif t.pos_ == "VERB" and t.lemma_.lower() in _OWNING and not classes & _SAYING:
                self.owns_up(t)

    # ------------------------------------------------------------- claims
    def verb_claim(self, v: Token, classes: frozenset[str]) -> None:
        accusing = "accuse" in classes
        if _to_blame(v):
            return  # "Y was to blame for the strike": Y is the one blamed, the claim is whoever says so
        if v.dep_ == "amod":
            return  # "the alleged shelling": a participle qualifying a noun is the writer's hedge, read as such
        if self.owns_up(v):
            return
        if "confirmation" in classes and not accusing and self.r.negated(v):
            return  # "could not confirm the reports": no answer, and no claim of its own
        if classes & {"speech", "report"} and not accusing and self.r.negated(v):
            return  # "have not said how many were detained": nothing said, no claim
        if "confirmation" in classes and not accusing:
            heads = _content_heads(v, False)
            objs = [c for c in v.children if c.dep_ == "dobj"]
            facts = [o for o in objs if not self.lem.has(o, "claim")]
            acts = {t for o in facts for t in _act_types(o, self.lem)}
            if heads or not facts or acts:
                self.answers.append(
                    Answer(
                        "confirmation",
                        self.who(v),
                        self.sent,
                        acts,
                        [o for o in objs if self.lem.has(o, "claim")],
                        False,
                        frozenset(_subtree(v)),
                        strict=bool(facts and acts and not heads),
                    )
                )
            # ("confirmed the deaths": a fact that names no act confirms no one's claim of one)
            # "sources confirmed that ..." is attribution as well
            if not heads:
                return
        agent, passive = self.r.agent_token(v)
        claimants = (
            (self.speaker(agent) if not passive else self.r.actors(agent))
            or self.issuer(agent)
            or ([] if passive else self.reporting_speaker(v))
        )
        accused: list[Mention] = []
        if accusing:
            if passive:
                accused = self.r.actors(self.r.patient_token(v))
            else:
                for c in v.children:
                    if c.dep_ in ("dobj", "dative"):
                        # "blamed militias backed by Iran": whoever the object names, if it is no actor itself
                        accused.extend(
                            self.r.actors(c) or self.r.index.within(*subtree_span(self.sent, c)) or self.both_sides(c)
                        )
        heads = _content_heads(v, accusing)
        objs = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
        ons = [c for h in (v, *objs) for c in h.children if c.dep_ == "prep" and c.lower_ == "on"]
        blamed_on = [p for c in ons for p in c.children if p.dep_ == "pobj"]
        drop: set[int] = set()
        if accusing and blamed_on and v.lemma_.lower() == "blame":
            # "Israel blamed the strike on Hezbollah": the object is the act, the "on" phrase the accused
            accused = [m for p in blamed_on for m in self.r.actors(p)]
            if v.dep_ == "relcl" and (not objs or objs[0].lower_ in ("which", "that")):
                objs = [v.head]  # "a strike, which Israel blamed on ...": the act the clause is about
            heads = objs
            drop = {t for c in ons for t in _subtree(c)} | (_subtree(v) if v.dep_ == "relcl" else set())
        if v.dep_ == "parataxis" or (
            v.dep_ == "ROOT" and not heads and any(c.dep_ == "ccomp" for c in v.head.children)
        ):
            heads = [v.head] if v.head != v else heads
        after: int | None = None
        if not heads and v.dep_ == "ccomp" and v.head.i > v.i:
            # "X reported, citing officials, that Y ...": the parser makes the reported clause the root
            marks = [c for c in v.head.children if c.dep_ == "mark" and c.lower_ == "that" and c.i > v.i]
            if marks:
                heads, after = [v.head], marks[0].i
        if not heads and not accusing:
            return
        content: set[int] = set()
        for h in heads:
            content |= _subtree(h)
        if v.dep_ == "parataxis":
            content -= _subtree(v)
        if after is not None:
            content = {i for i in content if i >= after}
        content -= drop
        c_accusing = accusing
        blamed: list[Token] = []
        if not accusing:
            # "X said Y was behind the attack", "... that Y was responsible for": what is said blames Y
            blamed = [t for t in self.sent.tokens if t.i in content and self.culprit_of(t) is not None]
            if blamed:
                accusing = True
                accused = self.r.actors(self.culprit_of(blamed[0]))
        if passive and not claimants and not accusing:
            # "X is said to have ...", "X is believed to": the writer's hedge, no claimant
            pass
        pair = self.reciprocal_parties(v, agent) if accusing and not passive else None
        if pair is not None:
            # "with each army accusing the other of firing first": two accusations, each side's of the other
            for one, other in (pair, pair[::-1]):
                self.claims.append(
                    Claim(
                        self.sent,
                        [one],
                        content,
                        v.text.lower(),
                        True,
                        [other],
                        head=heads[0] if heads else None,
                        verb=v,
                        reciprocal=True,
                    )
                )
            return
        self.claims.append(
            Claim(
                self.sent,
                claimants,
                content,
                v.text.lower(),
                accusing,
                accused,
                head=heads[0] if heads else None,
                verb=v,
                culprit=blamed[0] if not c_accusing and blamed else None,
            )
        )

    def owns_up(self, v: Token) -> bool:
        """ "X claimed responsibility for the attack", "took responsibility", "claimed credit": X owns the act.

        A confirmation of what others allege against X, and, when no one has, X's own claim of the act.
        """
        if v.lemma_.lower() not in _OWNING:
            return False
        objs = [c for c in v.children if c.dep_ == "dobj" and self.lem.has(c, "responsibility")]
        if not objs:
            return False
        if self.r.negated(v) or any(x.dep_ == "det" and x.lower_ == "no" for o in objs for x in o.children):
            return True  # "has not claimed responsibility", "no group claimed responsibility": nothing owned
        who = self.who(v)
        self.answers.append(Answer("confirmation", who, self.sent, set(), [], False))
        fors = [p for o in (v, *objs) for c in o.children if c.dep_ == "prep" and c.lower_ == "for" for p in [c]]
        content = {i for c in fors for i in _subtree(c)}
        heads = [p for c in fors for p in c.children if p.dep_ in ("pobj", "pcomp")]
        self.claims.append(
            Claim(
                self.sent, who, content, v.text.lower(), True, list(who), head=heads[0] if heads else None, owned=True
            )
        )
        return True

    def held_responsible(self, v: Token) -> None:
        """ "X holds Y responsible for the attack": X blames Y for what the "for" names."""
        if self.r.negated(v):
            return
        for adj in v.children:
            if adj.pos_ != "ADJ" or not self.lem.has(adj, "culpable"):
                continue
            culprit = self.culprit_of(adj)
            if culprit is None:
                continue
            content = {i for c in adj.children if c.dep_ == "prep" for i in _subtree(c)}
            heads = [p for c in adj.children if c.dep_ == "prep" for p in c.children if p.dep_ in ("pobj", "pcomp")]
            if any(x.dep_ == "det" and x.lower_ in ("any", "every") for h in heads for x in h.children):
                continue  # "will hold Y responsible for any attack": a warning, no act alleged
            self.claims.append(
                Claim(
                    self.sent,
                    self.who(v),
                    content,
                    v.text.lower(),
                    True,
                    self.r.actors(culprit),
                    head=heads[0] if heads else None,
                    verb=v,
                    culprit=adj,
                )
            )

    def culprit_of(self, t: Token) -> Token | None:
        """The one a predicate of culpability blames: "Y was behind", "Y is responsible for", "Y was to blame".

        ``t`` is the predicate: "behind" on a copula, an adjective of the ``culpable`` class with its
        "for" or "of", or "blame" with its "to" under a copula; the culprit is the copula's subject.
        """
        if t.head is t:
            return None
        if t.lower_ == "behind" and t.dep_ == "prep" and t.head.lemma_.lower() == "be":
            if not any(p.dep_ == "pobj" for p in t.children):
                return None
            cop = t.head
        elif t.pos_ == "ADJ" and self.lem.has(t, "culpable") and t.dep_ in ("acomp", "ccomp", "oprd"):
            if not any(c.dep_ == "prep" and c.lower_ in ("for", "of") for c in t.children):
                return None
            cop = t if t.dep_ == "ccomp" else t.head  # ("holds Y responsible for": the parser's clause "Y responsible")
        elif _to_blame(t):
            cop = t.head
        else:
            return None
        subj = [c for c in cop.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and t.dep_ == "oprd":
            subj = [c for c in cop.children if c.dep_ == "dobj"]  # "held Y responsible"
        return subj[0] if subj else None

    def both_sides(self, obj: Token) -> list[Mention]:
        """ "accused both sides of ...": the two sides named together in this sentence or the two before it."""
        if obj.lemma_.lower() not in ("side", "party") or not any(x.lower_ == "both" for x in obj.children):
            return []
        for sent in (self.sent, *self.before):
            r = Reader(sent, self.r.index)
            for t in sent.tokens:
                got = list({m.name: m for m in r.actors(t)}.values())
                if len(got) >= 2 and (sent is not self.sent or t.i < obj.i):
                    return got[:2]
        return []

    def reciprocal_parties(self, v: Token, agent: Token | None) -> tuple[Mention, Mention] | None:
        """The two sides of "X and Y accused each other", "each side blamed the other", if ``v`` is so.

        Without two sides in the subject ("each government"), the first pair of actors the sentence
        names together before the verb: "fighting between Peru and Chile ..., with each side ...".
        """
        if not any(c.dep_ in ("dobj", "dative") and _reciprocal(c) for c in v.children):
            return None
        found = self.r.actors(agent) if agent is not None else []
        if len({m.name for m in found}) < 2:
            found = []
            # (those named before the verb first: "fighting between X and Y ..., with each side ...")
            for t in sorted(self.sent.tokens, key=lambda t: (t.i > v.i, t.i)):
                got = self.r.actors(t)
                if len({m.name for m in got}) >= 2:
                    found = got
                    break
        two = list({m.name: m for m in found}.values())[:2]
        return (two[0], two[1]) if len(two) == 2 else None

    def according(self, t: Token) -> None:
        to = [c for c in t.children if c.lower_ == "to"]
        pobj = [p for c in to for p in c.children if p.dep_ == "pobj"]
        if not pobj:
            return
        claimants = self.r.actors(pobj[0]) or self.issuer(pobj[0])
        head = t.head if t.head != t else None
        if head is None:
            return
        content = _subtree(head) - _subtree(t)
        self.claims.append(Claim(self.sent, claimants, content, "according to", False, head=head))

    def noun_claim(self, n: Token) -> None:
        claimants: list[Mention] = []
        content: set[int] = set()
        head = None
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        claimants.extend(self.r.actors(p))
            elif c.dep_ in ("poss", "compound", "amod") and c.i < n.i:
                claimants.extend(self.r.actors(c))
            elif (
                c.dep_ in ("acl", "ccomp", "relcl") and any(x.lower_ == "that" and x.dep_ == "mark" for x in c.children)
            ) or (
                c.dep_ == "acl" and c.tag_ in ("VBG", "VBN", "VBD", "VBZ", "VBP") and not self.is_false(c)
            ):  # ("called the report fabricated": the participle judges the report, it tells no content)
                content |= _subtree(c)
                head = c
            elif c.dep_ == "prep" and c.lower_ in ("of", "that", "about"):
                for p in c.children:
                    if p.dep_ in ("pcomp", "pobj"):
                        content |= _subtree(p)
                        head = p
        if n.dep_ in ("nsubj", "nsubjpass") and n.head != n:
            # "allegations of ... have been circulating among X"
            for c in n.head.children:
                if c.dep_ == "prep" and c.lower_ in ("among", "amongst", "in", "from"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            claimants.extend(self.r.actors(p))
        accusing = n.lemma_.lower() in _ACCUSING_NOUNS
        if not content:
            misplaced = _stray_that_clause(n)
            if misplaced is not None:
                content, head = _subtree(misplaced), misplaced
        if not content:
            return  # "the accusations", "these claims": a reference to a claim made elsewhere
        if any(x.dep_ == "det" and x.lower_ in ("any", "all", "every") for x in n.children):
            return  # "rejected any suggestion that ...": a blanket denial, no claim anyone is told making
        blamed = [t for t in self.sent.tokens if t.i in content and self.culprit_of(t) is not None]
        accused = self.r.actors(self.culprit_of(blamed[0])) if blamed and not accusing else []
        self.claims.append(
            Claim(
                self.sent,
                uniq(claimants),
                content,
                n.text.lower(),
                accusing or bool(blamed),
                accused,
                noun=n,
                head=head,
                culprit=blamed[0] if blamed and not accusing else None,
            )
        )

    def hedged_noun(self, adj: Token) -> None:
        """ "Togo's alleged shelling of Aflao", "its alleged role in the attack": the writer's hedge on a noun."""
        n = adj.head
        if n is adj or n.pos_ not in ("NOUN", "PROPN"):
            return
        owners = [m for c in n.children if c.dep_ == "poss" for m in self.r.actors(c)]
        share = self.lem.has(n, "involvement") and bool(owners)  # "Togo's alleged role in": Togo accused
        self.claims.append(
            Claim(
                self.sent,
                [],
                _subtree(n) - {adj.i},
                adj.lower_,
                share,
                owners if share else [],
                head=n,
                index=self.r.index,
            )
        )

    def hedge(self, adv: Token) -> None:
        v = adv.head
        if v is adv:
            return
        self.claims.append(Claim(self.sent, [], _subtree(v) - {adv.i}, adv.lower_, False, head=v, index=self.r.index))

    # ------------------------------------------------------------ answers
    def denial(self, v: Token) -> None:
        if self.r.negated(v):
            return  # "has neither confirmed nor denied", "did not deny": no answer
        who = self.who(v)
        nouns: list[Token] = []
        if v.dep_ == "relcl" and self.lem.has(v.head, "claim"):
            nouns.append(v.head)  # "..., a claim the Kremlin brushed aside"
            if not who:
                who = self.named_before(v)
        types: set[str] = set()
        anaphoric = False
        for c in v.children:
            if c.dep_ in ("dobj", "nsubjpass") and self.lem.has(c, "claim"):
                nouns.append(c)
                anaphoric = anaphoric or any(
                    x.dep_ == "det" and x.lower_ in ("these", "those", "the", "such", "this", "that")
                    for x in c.children
                )
            elif c.dep_ in ("dobj", "ccomp", "xcomp", "pcomp"):
                types.add(c.lemma_.lower())
            elif c.dep_ == "prep" and c.lower_ == "as":
                anaphoric = True
            elif c.dep_ == "nsubj" and self.lem.has(c, "claim") and _summing_up(c):
                # "..., a charge Peru denied", parsed with the charge as subject and Peru beside it
                nouns.append(c)
                who = [m for t in self.sent.tokens if c.i < t.i < v.i for m in self.r.actors(t)][:1] or who
        if not nouns:
            summed = self.summed_up_before(v)
            if summed is not None:
                # "..., an allegation Abu Dhabi has repeatedly denied", however the parser took it apart
                nouns.append(summed[0])
                who = summed[1] or who
        self.answers.append(Answer("denial", who, self.sent, types, nouns, anaphoric or not nouns, verb=v))

    def retort(self, v: Token) -> None:
        """ "hit back at claims that ...", "pushed back against the accusations": a denial of the claim aimed at."""
        if self.r.negated(v):
            return
        nouns = [
            p
            for c in v.children
            if c.dep_ == "prep" and c.lower_ in ("at", "against", "on", "over")
            for p in c.children
            if p.dep_ == "pobj" and self.lem.has(p, "claim")
        ]
        if nouns:
            anaphoric = any(
                x.dep_ == "det" and x.lower_ in ("these", "those", "the", "such", "this", "that")
                for n in nouns
                for x in n.children
            )
            self.answers.append(Answer("denial", self.who(v), self.sent, set(), nouns, anaphoric))

    def summed_up_before(self, v: Token) -> tuple[Token, list[Mention]] | None:
        """The claim noun and the actor of ", a charge X (has repeatedly) denied" right before ``v``, read off the
        words themselves: the parser often makes that phrase part of the clause before it."""
        toks = {t.i: t for t in self.sent.tokens}
        i = v.i - 1
        while i in toks and (toks[i].pos_ in ("AUX", "ADV", "PART") or toks[i].dep_ in ("aux", "advmod", "neg")):
            i -= 1
        named: list[Mention] = []
        while i in toks and self.r.mention(toks[i]) is not None:
            m = self.r.mention(toks[i])
            if m is not None and m not in named:
                named.insert(0, m)
            i -= 1
        if not named:
            return None
        if i in toks and toks[i].lower_ == "that":
            i -= 1
        noun = toks.get(i)
        if noun is None or not self.lem.has(noun, "claim"):
            return None
        det = toks.get(i - 1)
        comma = toks.get(i - 2)
        if det is not None and det.lower_ == "," and noun.tag_ == "NNS":
            return noun, named  # ("..., allegations Lome denies": a plural needs no article)
        if det is None or det.lower_ not in ("a", "an") or comma is None or comma.lower_ != ",":
            return None
        return noun, named

    def characterised(self, v: Token) -> None:
        """ "... in what X described as an invasion", "described it as smuggling": X's word for the act."""
        if not any(c.dep_ in ("dobj", "nsubjpass") for c in v.children):
            return
        for c in v.children:
            named = [p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "as" else []
            if c.dep_ in ("oprd", "attr"):
                named = [c]
            for n in named:
                self.frames.add(v.i)
                cue = f"{v.lemma_.lower()}d as" if v.lemma_.lower().endswith("e") else f"{v.lemma_.lower()}ed"
                acts = [o for o in v.children if o.dep_ in ("dobj", "nsubjpass") and o.pos_ in ("NOUN", "PROPN")]
                if acts and self.wrong_name(n) and not self.held_back(v):
                    # "called the raid a violation of international law": an accusation about the act named
                    content = _subtree(n) | _subtree(acts[0])
                    self.claims.append(
                        Claim(self.sent, self.who(v), content, cue, True, head=acts[0], verb=v, names_act=True)
                    )
                    continue
                self.claims.append(Claim(self.sent, self.who(v), _subtree(n), cue, False, head=n))

    def held_back(self, v: Token) -> bool:
        """Whether a verb is negated or under a verb that holds it back ("stopped short of describing it as")."""
        t = v
        for _ in range(3):
            if t.head is t:
                break
            t = t.head
            if self.lem.has(t, "blocker"):
                return True
        return self.r.negated(v)

    def wrong_name(self, n: Token) -> bool:
        """Whether a noun names a wrong or a hostile act: "a war crime", "a provocation", "an invasion"."""
        if self.lem.has(n, "wrongdoing"):
            return True
        return any(
            g.pos == "noun" and g.type in _HOSTILE and len(g.slots) == 1
            for w in (n.lower_, n.lemma_.lower())
            for g in lexicon().triggers.get(w, ())
        )

    def named_before(self, v: Token) -> list[Mention]:
        """ "the traders" in "..., an accusation the traders deny": the actor named earlier by that noun."""
        agent, _passive = self.r.agent_token(v)
        if agent is None or not any(c.dep_ == "det" and c.lower_ == "the" for c in agent.children):
            return []
        head = agent.lower_
        text, at = self.sent.span.text, self.sent.span.begin
        out = []
        for m in self.r.index.within(self.sent.span.begin, self.sent.begin_of(agent)):
            # the mention ends in that noun ("the rebels") or modifies it ("Indian traders")
            words = [*m.text.lower().split()[-1:], *text[m.end - at :].lower().split()[:1]]
            if head in (w.strip(",.;:") for w in words):
                out.append(m)
        return out

    def is_false(self, t: Token) -> bool:
        """Whether a word says a claim is untrue, however it was tagged ("fabricated" as a participle)."""
        return self.lem.has(t, "false") or any(
            "false" in self.lem.classes.get((w, pos), frozenset())
            for w in (t.lower_, t.lemma_.lower())
            for pos in ("adj", "noun")
        )

    def said_false(self, t: Token, negated: bool = False) -> None:
        """ "X said the claims were baseless", "The accusations are lies, the ministry said": X denies them."""
        cop = t.head
        if cop is t or cop.lemma_.lower() != "be" or self.r.negated(cop) != negated:
            return
        nouns = [c for c in cop.children if c.dep_ == "nsubj" and self.lem.has(c, "claim")]
        if not nouns:
            return
        self.speaker_denies(cop, nouns)

    def no_truth(self, t: Token) -> None:
        """ "X said there was no truth to the accusations", "the claims had no basis": X denies them."""
        nouns = [
            p
            for c in t.children
            if c.dep_ == "prep" and c.lower_ in ("to", "in", "for", "behind")
            for p in c.children
            if p.dep_ == "pobj" and self.lem.has(p, "claim")
        ]
        v = t.head
        if t.dep_ == "dobj":
            nouns += [c for c in v.children if c.dep_ == "nsubj" and self.lem.has(c, "claim")]
        if nouns and v is not t and not self.r.negated(v):
            self.speaker_denies(v, nouns)

    def speaker_denies(self, cop: Token, nouns: list[Token]) -> None:
        """A denial of ``nouns`` by whoever says the clause ``cop`` heads (its verb of saying's subject)."""
        speaker: list[Mention] = []
        if cop.dep_ in ("ccomp", "parataxis") and cop.head is not cop and self.lem.of(cop.head) & _SAYING:
            speaker = self.who(cop.head)
        else:
            said = [c for c in cop.children if c.dep_ in ("ccomp", "parataxis") and self.lem.of(c) & _SAYING]
            speaker = self.who(said[0]) if said else []
        if not speaker:
            return
        anaphoric = any(
            x.dep_ == "det" and x.lower_ in ("these", "those", "the", "such", "this", "that")
            for n in nouns
            for x in n.children
        )
        self.answers.append(Answer("denial", speaker, self.sent, set(), nouns, anaphoric))

    def called_false(self, v: Token) -> None:
        falses = [
            c
            for c in v.subtree
            if c.dep_ in ("oprd", "acomp", "attr", "ccomp", "xcomp", "dobj", "pobj", "acl") and self.is_false(c)
        ]
        if not falses:
            self.characterised(v)
            return
        # ("called ridiculous any suggestion that ...": the parser may take the claim for a second predicate)
        objs = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass", "oprd") and self.lem.has(c, "claim")]
        self.answers.append(Answer("denial", self.who(v), self.sent, set(), objs, True))


def _side(names: list[str] | tuple[str, ...], actors: dict[str, Actor]) -> set[str]:
    """An actor and what it speaks for: its affiliation (a minister's country, a ministry's government)."""
    out: set[str] = set()
    for n in names:
        out.add(n)
        a = actors.get(n)
        ent = lexicon().entries.get(n)
        if a is not None and a.affiliation and not (ent is not None and ent.type == "Group"):
            # (a named armed group's affiliation is where it fights, not whom it speaks for)
            out.add(a.affiliation)
            # a spokeswoman of the Pentagon speaks for the Pentagon's country too
            body = actors.get(a.affiliation)
            body_ent = lexicon().entries.get(a.affiliation)
            above = (body.affiliation if body is not None else None) or (body_ent.affiliation if body_ent else None)
            if above and not (body_ent is not None and body_ent.type == "Group"):
                out.add(above)
        # "al-Shabaab fighters", "Hamas officials": a group named after an actor speaks for it
        head = n.rsplit(" ", 1)[0]
        if head != n and head in actors:
            out.add(head)
        for named in (n, a.affiliation if a is not None and a.affiliation else ""):
            country = _country_named_in(named)
            if country and not (ent is not None and ent.type == "Group"):
                out.add(country)
    return out


def _country_named_in(name: str) -> str | None:
    """The country a non-country name is qualified by: "Thai soldiers", "Cambodia's defence ministry".

    The name's leading words are tried, longest first, as a demonym or, before a possessive, as a
    country's name; a country's own name gives nothing (it is its own side already).
    """
    lex = lexicon()
    if not name or name in lex.country_names:
        return None
    words = name.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        lead = " ".join(words[:k])
        if lead in lex.demonyms:
            return lex.demonyms[lead]
        if lead.endswith("'s") and lead[:-2] in lex.country_names:
            return lex.country_names[lead[:-2]]
    return None


def _is_allegation(c: Claim, actors: dict[str, Actor], lem: Lemmas, index: MentionIndex) -> bool:
    """Whether a claim is contested: an accusation, or a hostile act or wrongdoing by another side."""
    if c.accusatory:
        return True
    if c.disclaims:
        return False  # "X said it had nothing to do with the strike" denies the strike is X's
    if c.contested:
        return True  # "X says Y benefits from subsidies, a charge Y rejects": the sentence calls it a charge
    live = [f for f in c.events if not f.negated]
    claim_side = _side([m.name for m in c.claimants], actors)
    if (
        live
        and all(m.type == "Group" and m.name.split()[-1] in _UNNAMED for m in c.claimants)
        and (c.claimants or c.cue in _HEDGE_CUES)
        and any(
            f.event.source_actor
            and f.event.source_actor not in claim_side
            and (f.event.type in _HOSTILE or not f.event.participants[1:] or _anonymous(c))
            for f in live
        )
    ):
        # on the word of unnamed sources: whatever they report is a claim, not a fact (but "X and Y signed a deal,
        # officials said" is the attribution of a joint act both sides tell openly, unless the source hides)
        return True
    for f in live:
        ev = f.event
        hostile = ev.type in _HOSTILE or lem.has(f.anchor, "wrongdoing") or lem.has(f.verb, "wrongdoing")
        if not hostile or (ev.modality != "Occurred" and ev.type in _DONE_ONLY):
            continue  # "X said Y would send observers": an intention reported, not a hostile act
        if (
            ev.source_actor is not None
            and claim_side
            and ev.source_actor in claim_side | _side([ev.source_actor], actors) & claim_side
        ):
            continue  # a side describing what it did itself
        return True
    r = Reader(c.sent, index)
    if c.cue in _HEDGE_CUES and not live and _hedged_act(c, r) is not None:
        return True  # "thousands have reportedly been arrested": the writer's hedge on a hostile act
    if c.claimants and _failed_duty(c, r, claim_side, lem) is not None:
        return True  # "Y never honoured the deal", "Y has not respected the ceasefire": a breach alleged
    if (c.claimants or c.cue in _HEDGE_CUES) and _wrong_made(c, r, claim_side, lem):
        return True  # "said Russia was waging a hybrid war, including cyberattacks": a wrong another side makes
    for t in c.sent.tokens:
        if t.i in c.content and t.pos_ == "VERB" and lem.has(t, "wrongdoing") and not r.negated(t):
            if _hypothetical(t) or (t.dep_ == "acl" and t.tag_ == "VBN"):
                continue  # ("depots used by the militants": a participle describing a thing tells no act)
            agent, _ = r.agent_token(t)
            doers = {m.name for m in r.actors(agent)}
            if doers and not doers & claim_side and (c.claimants or c.cue in _HEDGE_CUES):
                return True
            if not doers and c.claimants and _qualified(agent) and t.lemma_.lower() not in _CARRIED_BY_ANY:
                return True  # "security forces had fired live rounds at demonstrators": no actor, still someone's
    return False


# hostile only once done: a supply, deployment or sanction merely planned is not an accusation
_DONE_ONLY = frozenset(["AID", "MOBILIZE", "SANCTION", "PROTEST"])
_HEDGE_CUES = frozenset(
    ["reportedly", "allegedly", "purportedly", "supposedly", "ostensibly", "alleged", "purported", "so-called"]
)


def _hedged(c: Claim, lem: Lemmas) -> bool:
    """Whether the writer distances itself inside the claim: "thousands have reportedly been arrested"."""
    return c.cue in _HEDGE_CUES or any(t.i in c.content and lem.has(t, "hedge") for t in c.sent.tokens)


def _losses_only(c: Claim) -> bool:
    """Whether every act a claim tells is suffered by someone with no doer named: "11 troops were hurt"."""
    live = [f for f in c.events if not f.negated]
    return bool(live) and all(
        f.event.type == "ASSAULT"  # (killed, wounded: losses; an arrest by no one named still has its doer)
        and f.event.source_actor is None
        and (_suffered(f.verb) or _done_by_a_thing(f.verb))
        for f in live
    )


def _told_by_a_named_side_of_no_one(c: Claim, index: MentionIndex) -> bool:
    """An act a side tells with no doer said to be someone's: the side named, or a definite body no actor
    names ("the army said")."""
    if c.claimants:
        return not any(_generic(m) for m in c.claimants) and not _doer_told(c, index)
    if c.verb is None:
        return False
    subj = [x for x in c.verb.children if x.dep_ in ("nsubj", "nsubjpass")]
    definite = bool(subj) and subj[0].pos_ == "NOUN" and any(
        x.dep_ == "det" and x.lower_ == "the" for x in subj[0].children
    )
    return definite and not _doer_told(c, index)


def _doer_told(c: Claim, index: MentionIndex) -> bool:
    """Whether a hostile act the claim tells has a doer phrase that says whose, actor or not.

    "Rwandan-backed rebels had seized", "militia fighters had killed": a qualified doer is someone's;
    a bare "soldiers fired" or "killed by police" may well be the speaker's own, and "neither side" no one's.
    """
    r = Reader(c.sent, index)
    lem = lemmas()
    verbs = [f.verb for f in c.events if not f.negated and f.event.type in _HOSTILE and f.verb is not None]
    verbs += [t for t in c.sent.tokens if t.i in c.content and t.pos_ == "VERB" and lem.has(t, "wrongdoing")]
    return any(_qualified(r.agent_token(v)[0]) for v in verbs if not r.negated(v))


def _qualified(agent: Token | None) -> bool:
    """Whether a doer phrase says whose it is, actor or not: "security forces", "those groups", "Rwandan-backed
    rebels"; a bare "soldiers", a pronoun or "people" does not."""
    if agent is None or agent.pos_ not in ("NOUN", "PROPN") or agent.lemma_.lower() in _UNNAMED:
        return False
    return any(
        (x.dep_ in ("amod", "compound", "poss", "nmod") or (x.dep_ == "det" and x.lower_ in _POINTING))
        and x.i < agent.i
        for x in agent.children
    )  # ("those groups were preparing attacks": a demonstrative points back to whose)


def _anonymous(c: Claim) -> bool:
    """Whether a claim's sources hide: "sources", "people familiar with", "speaking on condition of anonymity"."""
    if not c.claimants:
        return False
    if all(m.name.split()[-1].lower() in _ANONYMOUS for m in c.claimants):
        return True
    words = {t.lower_ for t in c.sent.tokens}
    return bool(words & {"anonymity", "authorised", "authorized"}) or {"not", "named"} <= words


def _generic(m: Mention) -> bool:
    """Whether a mention is an unnamed group ("witnesses", "officials", "Western diplomats"), no named actor."""
    return m.type == "Group" and m.name.split()[-1].lower() in (lexicon().generic_nouns | _UNNAMED)


def _suffered(v: Token) -> bool:
    """Whether a verb is passive with no agent: "11 troops were hurt", "the soldiers killed in the clash"."""
    passive = any(x.dep_ in ("auxpass", "nsubjpass") for x in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN")
    return passive and not any(x.dep_ == "agent" for x in v.children)


def _done_by_a_thing(v: Token) -> bool:
    """Whether a verb's subject is an act or a weapon, no one's name: "the strike killed 10", "the blast wounded"."""
    subj = [c for c in v.children if c.dep_ == "nsubj"]
    if not subj or subj[0].pos_ not in ("NOUN",):
        return False
    n = subj[0]
    if any(c.dep_ in ("poss", "compound", "amod") and c.pos_ == "PROPN" for c in n.children):
        return False  # ("Russia's strike killed ...", "an Israeli strike": a doer is named)
    return lemmas().has(n, "harm")


def _claim_text(c: Claim) -> str:
    toks = [t for t in c.sent.tokens if t.i in c.content]
    while toks and (toks[0].dep_ in ("mark", "punct", "cc") or toks[0].lower_ in ("that", ",")):
        toks = toks[1:]
    while toks and toks[-1].dep_ in ("punct", "cc"):
        toks = toks[:-1]
    if not toks:
        return c.sent.span.text
    b, e = c.sent.begin_of(toks[0]), c.sent.end_of(toks[-1])
    return c.sent.span.text[b - c.sent.span.begin : e - c.sent.span.begin]


def _accused_of(c: Claim, actors: dict[str, Actor], index: MentionIndex) -> list[str]:
    claim_side = _side([m.name for m in c.claimants], actors)

    def _ours(name: str) -> bool:
        """Whether a name is of the claimant's own side ("Thai troops" for the Thai army)."""
        # (by its own words only: the affiliation of "al-Shabaab fighters" is where they fight)
        return name in claim_side or _country_named_in(name) in claim_side

    names = [m.name for m in c.accused]
    if not names:
        # the first act done by another side: "Y's troops moved in, and our troops shot back" accuses Y
        # (a wrong no event names counts by where its verb stands: "Y's soldiers crossed in, and ours forced ...")
        done = [(f.anchor.i, f.event.source_actor) for f in c.events if f.event.source_actor and not f.negated]
        r, lem = Reader(c.sent, index), lemmas()
        # an act told by a noun names its doer with "by": "in response to shelling by Azerbaijani forces"
        done += [(f.anchor.i, m.name) for f in c.events if not f.negated for m in _by_doers(f.anchor, r)[:1]]
        for t in c.sent.tokens:
            named = any(f.anchor.i == t.i for f in c.events)
            if t.i in c.content and t.pos_ == "VERB" and lem.has(t, "wrongdoing") and not r.negated(t) and not named:
                done += [(t.i, m.name) for m in r.actors(r.agent_token(t)[0])[:1]]
        sources = [n for _, n in sorted(done, key=lambda x: x[0])]
        names.extend([s for s in sources if not _ours(s)][:1])
    if not names:
        # no one acts in the claim ("a covert agreement between X and Y"): those taking part stand accused
        for f in c.events:
            # (an act by the claimant's own side accuses nobody, least of all whom it was done to)
            # (nor is whom a hostile act was done to: "four peacekeepers were wounded" accuses no peacekeeper;
            # both parties to an agreement, and whoever is supplied, stand accused)
            victim = f.event.target_actor if f.event.type in _DONE_TO else None
            theirs = [] if f.event.source_actor else [p for p in f.event.participants if not _ours(p) and p != victim]
            if not f.negated and theirs:
                names.extend(theirs)
                break
    if not names:
        # "said the army had observed a massive arrival of Rwandan troops": the first other side named
        # in the content, its subject first
        spans = sorted(
            (
                m
                for m in index.within(c.sent.span.begin, c.sent.span.end)
                if _mention_in(m, c) and _role_of(m, c) != "nsubjpass" and not _aimed_at(m, c)
            ),
            key=lambda m: (_role_of(m, c) != "nsubj", m.begin),
        )
        victims = {f.event.target_actor for f in c.events if f.event.target_actor and f.event.type in _DONE_TO}
        for m in spans:
            if not _ours(m.name) and m.name not in victims:
                names.append(m.name)
                break
    return [n for n in dict.fromkeys(names) if not _ours(n)]


def _wrong_done_by(c: Claim, accused: list[str], index: MentionIndex) -> bool:
    """Whether the content's first wrongdoing that no event names is the accused's: "Y's troops crossed in"."""
    r, lem = Reader(c.sent, index), lemmas()
    for t in c.sent.tokens:
        if t.i in c.content and t.pos_ == "VERB" and lem.has(t, "wrongdoing") and not r.negated(t):
            if any(f.anchor.i == t.i for f in c.events):
                continue
            return any(m.name in accused for m in r.actors(r.agent_token(t)[0]))
    return False


def _mention_in(m: Mention, c: Claim) -> bool:
    return any(t.i in c.content for t in c.sent.tokens if c.sent.begin_of(t) >= m.begin and c.sent.end_of(t) <= m.end)


def _by_doers(anchor: Token, r: Reader) -> list[Mention]:
    """The actors of a nominal act's "by" phrase: "an attack by Ethiopian forces" (a gerund's too: "shelling by")."""
    if anchor.pos_ not in ("NOUN", "PROPN") and not (anchor.tag_ == "VBG" and anchor.dep_ in ("pobj", "pcomp")):
        return []
    return [
        m
        for c in anchor.children
        if c.dep_ == "prep" and c.lower_ == "by"
        for p in c.children
        if p.dep_ == "pobj"
        for m in r.actors(p)
    ]


def _aimed_at(m: Mention, c: Claim) -> bool:
    """Whether a mention is what an act is aimed at: "intelligence on NATO troops", "fired at Thai troops"."""
    for t in c.sent.tokens:
        if c.sent.begin_of(t) >= m.begin and c.sent.end_of(t) <= m.end:
            h = t
            while h.head is not h and h.dep_ in ("compound", "amod", "poss", "nmod"):
                h = h.head
            return h.dep_ == "pobj" and h.head.lower_ in ("on", "against", "at", "toward", "towards", "upon")
    return False


def _role_of(m: Mention, c: Claim) -> str:
    """The dependency of the phrase a mention stands in ("nsubj" for "soldiers of China's army had fired")."""
    for t in c.sent.tokens:
        if c.sent.begin_of(t) >= m.begin and c.sent.end_of(t) <= m.end:
            h = t
            while h.head != h and (
                h.dep_ in ("compound", "amod", "poss", "nmod", "appos")
                or (h.dep_ == "pobj" and h.head.lower_ == "of")
                or (h.dep_ == "prep" and h.lower_ == "of")
            ):
                h = h.head  # "soldiers of China's army": the army is in the subject
            return str(h.dep_)
    return ""


def _claims_of(found: Extraction) -> tuple[list[Claim], list[Answer], MentionIndex]:
    index = MentionIndex(top_mentions(found))
    lem = lemmas()
    claims: list[Claim] = []
    answers: list[Answer] = []
    events = told_events(found)
    actors = _actors(found)
    by_sentence: dict[int, list[Found]] = {}
    for f in events:
        by_sentence.setdefault(f.sentence.span.begin, []).append(f)
    sentences = found.parse.sentences
    quoted: list[Mention] = []  # who speaks the quotation the last sentence opened or went on with
    for k, sent in enumerate(sentences):
        sc = _SentenceClaims(sent, index, lem, tuple(reversed(sentences[max(0, k - 2) : k])))
        sc.run()
        for c in sc.claims:
            c.index = index
        text = sent.span.text.lstrip()
        opens = text[:1] in _QUOTES
        if opens and quoted and not any(c.verb is not None for c in sc.claims):
            # a sentence wholly inside the quotation of the one before goes on in that speaker's voice:
            # '"Togolese troops crossed the border," the army said. "They shelled Aflao."'
            sc.claims.append(
                Claim(sent, list(quoted), {t.i for t in sent.tokens}, "said", False, head=sent.tokens.root)
            )
        speakers = [c for c in sc.claims if c.verb is not None and c.claimants and lem.of(c.verb) & _SAYING]
        if any(ch in _QUOTES for ch in text):
            quoted = speakers[-1].claimants if speakers else (quoted if opens else [])
        else:
            quoted = []
        # an event belongs to the innermost claim whose content holds it
        for f in by_sentence.get(sent.span.begin, []):
            if _hypothetical(f.anchor) or (f.verb is not None and _no_one(f.verb)):
                continue  # "said it would retaliate if Y attacked", "no civilians were harmed": no act is told
            if f.anchor.i in sc.frames or any(c.verb is not None and c.verb.i == f.anchor.i for c in sc.claims):
                continue  # a verb of saying or accusing that frames a claim is the telling, not what is told
            holders = [c for c in sc.claims if f.anchor.i in c.content]
            if holders:
                inner = min(holders, key=lambda c: len(c.content))
                # (both halves of "each accused the other" hold what it says)
                twins = [c for c in holders if c.reciprocal and c is not inner and c.content == inner.content]
                for c in [inner, *twins]:
                    (c.bare if f.bare else c.events).append(f)
        for a in sc.answers:
            for f in by_sentence.get(sent.span.begin, []):
                if (
                    f.verb.head.i in {t.i for t in sent.tokens if t.lemma_.lower() in a.types}
                    or f.anchor.lemma_.lower() in a.types
                ):
                    a.types.add(f.event.type)
        summed = [
            n
            for a in sc.answers
            if a.kind == "denial"
            for n in a.nouns
            if _stands_for_its_sentence(n) and not any(c.noun is n for c in sc.claims)
        ]
        summed_by = [m for a in sc.answers if a.kind == "denial" and any(n in summed for n in a.nouns) for m in a.who]
        for c in sc.claims:
            # "..., a charge Beijing rejects": what the sentence's speaker says is a contested charge
            if summed and c.verb is not None:
                c.contested = True
                # "a charge X rejects" calls it an accusation; "an account X disputes" only a claim
                c.accusatory = c.accusatory or any(n.lemma_.lower() in _ACCUSING_NOUNS for n in summed)
                c.summed_by = summed_by
            for n in summed:
                # (the summing-up phrase is no part of what was said: "..., a claim Kigali denied")
                gone = _summing_phrase(n)
                if gone & c.content and gone != c.content:
                    c.content -= gone
                    c.events = [f for f in c.events if f.anchor.i not in gone]
                    c.bare = [f for f in c.bare if f.anchor.i not in gone]
        for c in sc.claims:
            # "... any suggestion that they were to blame and accused Manila of ...": a coordinated verb with a
            # claim of its own is a second statement, not part of the first's content
            for other in sc.claims:
                w = other.verb
                if other is not c and w is not None and w.dep_ == "conj" and w.i in c.content and c.head is not w:
                    gone = _subtree(w) | {x.i for x in w.head.children if x.dep_ == "cc" and x.i < w.i}
                    if gone != c.content:
                        c.content -= gone
                        c.events = [f for f in c.events if f.anchor.i not in gone]
                        c.bare = [f for f in c.bare if f.anchor.i not in gone]
        for a in sc.answers:
            v = a.verb
            if v is None or v.dep_ != "relcl" or not any(x.lower_ in ("which", "that") for x in v.children):
                continue
            # "..., which Algiers denies": the answer told in a relative clause is no part of what was said
            gone = _subtree(v)
            if v.left_edge.i > 0 and v.doc[v.left_edge.i - 1].is_punct:
                gone.add(v.left_edge.i - 1)
            for c in sc.claims:
                if v.i in c.content and c.head is not v and gone != c.content:
                    c.content -= gone
                    c.events = [f for f in c.events if f.anchor.i not in gone]
                    c.bare = [f for f in c.bare if f.anchor.i not in gone]
        denied = {n.i for a in sc.answers if a.kind == "denial" for n in a.nouns}
        for c in sc.claims:
            if c.noun is not None and c.noun.i in denied and c.head is not None and c.head.pos_ in ("VERB", "AUX"):
                # "X denied the claim that ...": a claim someone denies is contested (one told by a phrase only,
                # "dismissed the reports of a build-up", points back to the claim made before)
                c.contested = True
        deniers = {m.name for a in sc.answers if a.kind == "denial" and a.nouns for m in a.who}
        for c in sc.claims:
            if deniers and c.verb is not None and not c.accusatory and {m.name for m in c.claimants} & deniers:
                # "Y called the accusation baseless and said X was trying to distract from ...": what the denier
                # says in the same breath of another side is a counter-claim
                subj = [t for t in c.head.children if t.dep_ in ("nsubj", "nsubjpass")] if c.head is not None else []
                them = [m for t in subj for m in sc.r.actors(t)]
                own = _side([m.name for m in c.claimants], actors)
                if them and not any(_side([m.name], actors) & own for m in them):
                    c.contested = True
                    c.accused = c.accused or them
        claims.extend(sc.claims)
        answers.extend(sc.answers)
        # a negated act in a speaker's own voice: a denial ("X said it has never sent troops")
        for c in sc.claims:
            if c.accusatory:
                continue
            if _disclaimer(c, lem):
                c.disclaims = True
                # it answers the claims against its side only if it names the act it had no part in
                types = {f.event.type for f in [*c.events, *c.bare]}
                if types:
                    answers.append(Answer("denial", c.claimants, sent, types, [], True))
                continue
            own = _side([m.name for m in c.claimants], actors)
            for f in c.events:
                # ("Bolivian troops never fired", says a Bolivian spokesman: his own side)
                if f.negated and (not f.event.source_actor or _side([f.event.source_actor], actors) & own):
                    answers.append(Answer("denial", c.claimants, sent, {f.event.type}, [], True))
            if own and not any(f.negated for f in c.events):
                # a wrong no event names, denied of one's own side: "its army had not fired a single shell"
                types = _own_wrongs_denied(c, sc.r, own, actors, lem)
                if types:
                    answers.append(Answer("denial", c.claimants, sent, types, [], True))
    return claims, answers, index


def _own_wrongs_denied(c: Claim, r: Reader, own: set[str], actors: dict[str, Actor], lem: Lemmas) -> set[str]:
    """The types of the wrongdoing verbs a claim negates whose doer is the speaker's own side."""
    kinds = wrongdoing_types()
    out: set[str] = set()
    for t in c.sent.tokens:
        if t.i not in c.content or t.pos_ != "VERB" or not lem.has(t, "wrongdoing") or not r.negated(t):
            continue
        doers = r.actors(r.agent_token(t)[0])
        if doers and all(_side([m.name], actors) & own for m in doers):
            ev_type = kinds.get((t.lemma_.lower(), "verb"))
            if ev_type is not None:
                out.add(ev_type)
    return out


def _disclaimer(c: Claim, lem: Lemmas) -> bool:
    """Whether a claim says someone had no share in an act: "had nothing to do with", "had no role in".

    The content's verb of having or playing takes "nothing to do with ..." or a share noun
    (``involvement`` in attribution.tsv) that "no" or a negation empties: "no connection with",
    "did not have any role in", "played no part in".
    """
    for t in c.sent.tokens:
        if t.i not in c.content or t.lemma_.lower() not in ("have", "play"):
            continue
        negated = any(x.dep_ == "neg" for x in t.children)
        for o in t.children:
            if o.dep_ != "dobj":
                continue
            if o.lower_ == "nothing" and any(x.lemma_.lower() == "do" for x in o.children):
                return True
            no = any(x.dep_ == "det" and x.lower_ == "no" for x in o.children)
            if lem.has(o, "involvement") and (no or negated):
                return True
    return False


def _actors(found: Extraction) -> dict[str, Actor]:
    return {a.name: a for a in found.actors}


def _merge(claims: list[Claim]) -> list[Claim]:
    """One claim per sentence and content: nested frames keep the one that names a claimant or accuses."""
    out: list[Claim] = []
    for c in sorted(claims, key=lambda c: (c.sent.span.begin, -int(c.accusatory), -len(c.claimants), -len(c.content))):
        dup = False
        for k in out:
            if k.sent is not c.sent:
                continue
            nested = c.content <= k.content or k.content <= c.content
            if c.reciprocal and k.reciprocal and c.content == k.content:
                continue  # the other half of "each accused the other"
            if nested and not (c.events and not k.events and c.content < k.content):
                dup = True
                if not k.claimants and c.claimants:
                    k.claimants = c.claimants
                break
            if nested and not c.claimants and k.claimants and not k.accusatory and not k.contested:
                # "X said the evidence showed that Y ...": the inner frame tells the act, the outer says who claims it
                c.claimants = k.claimants
                out[out.index(k)] = c
                dup = True
                break
        if not dup:
            out.append(c)
    return out


class AllegationExtractor:
    """Reported claims that are contested, with their propositions (modality Alleged)."""

    name = "allegations"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add allegations; the events they report become Alleged."""
        if found.parse is None:
            return found
        actors = _actors(found)
        lem = lemmas()
        claims, answers, index = _claims_of(found)
        allegations: list[Allegation] = []
        alleged: dict[tuple[int, int] | None, Event] = {}
        kept: list[Claim] = []
        said_events: list[Event] = []
        known = _Events(found.events)
        for c in _merge([c for c in claims if _is_allegation(c, actors, lem, index)]):
            if c.owned:
                # a claim of one's own act alleges it only when no one has alleged it against that side before
                own = _side([m.name for m in c.claimants], actors)
                if not own or any(own & _side(list(al.accused), actors) for al in allegations):
                    continue
            accused = _accused_of(c, actors, index) if not c.owned else [m.name for m in c.claimants]
            if not accused and c.summed_by:
                # "..., an account X rejected": who denies a charge no one else bears, bears it
                claim_side = _side([m.name for m in c.claimants], actors)
                accused = [n for n in dict.fromkeys(m.name for m in c.summed_by) if n not in claim_side]
            if not accused and (
                any(_act_told_before(f.verb) for f in c.events if not f.negated and f.verb is not None)
                or (c.head is not None and c.events and _act_told_before(c.head))
            ):
                # "the strikes had hit a village": the strikes told before, by whoever did them
                accused = _doer_before(known, c, actors)
            if (
                not accused
                and not c.accusatory
                and not c.contested
                and not _hedged(c, lem)
                and (_losses_only(c) or _told_by_a_named_side_of_no_one(c, index))
            ):
                # "four peacekeepers were wounded, the mission said": losses counted, no one accused;
                # "4,500 people had gathered at the border, a spokeswoman said": an act a named side tells,
                # no one blamed (what witnesses or unnamed sources tell is their claim all the same)
                continue
            claimant = tuple(m.name for m in c.claimants)
            named = [*c.events, *c.bare]
            if not accused and c.names_act and named and all(not f.event.source_actor for f in named):
                # "called the bombing a war crime": the bombing is the latest one told, by whoever did it
                accused = _doer_before(known, c, actors)
            prop = None
            live = [
                f
                for f in c.events
                if not f.negated and not (c.culprit is not None and f.anchor.i == c.culprit.i)
            ]  # ("Y was to blame": the blaming is no act of Y's)
            # what the accused did is what is alleged: "Y's soldiers crossed in and our troops forced them back"
            theirs = [f for f in live if f.event.source_actor in accused]
            for f in theirs or live:
                if prop is None or (f.event.type in _HOSTILE and prop.type not in _HOSTILE):
                    prop = f.event
            if not theirs and accused and _wrong_done_by(c, accused, index):
                prop = _wrongdoing_event(c, accused, lem) or prop
            if _failed_duty(c, Reader(c.sent, index), set(), lem) is not None:
                prop = _wrongdoing_event(c, accused, lem) or prop  # (the breach is what is alleged)
            if prop is None:
                prop = _wrongdoing_event(c, accused, lem)
            if prop is None and c.accusatory and not c.content and accused:
                prop = _blamed_for(known, c, accused)
            if prop is None:
                continue  # nothing alleged that the graph can state (an allegation needs its proposition)
            # whatever the claim tells happened, the graph tells only as alleged
            for f in [*c.events, *c.bare]:
                cur = known.current(f.event)
                if cur is not None and not f.negated:
                    alleged[cur.trigger] = dataclasses.replace(cur, modality="Alleged")
            if prop.trigger is not None:
                ev = known.current(prop)
                if ev is not None:
                    if (c.culprit is not None or c.owned) and ev.source_actor is None and accused:
                        # "Y was behind the attack": the attack no one was named doing is alleged to be Y's
                        ev = _with_source(ev, accused[0])
                    prop = dataclasses.replace(ev, modality="Alleged")
                    alleged[prop.trigger] = prop
            allegations.append(
                Allegation(
                    claimant=claimant,
                    accused=tuple(accused),
                    claim=_claim_text(c),
                    evidence=c.sent.span,
                    hedge=c.cue,
                    proposition=prop,
                )
            )
            kept.append(c)
            # ("an account X disputes" makes a claim contested, not an accusation)
            disputed_only = (
                c.contested
                and not c.accusatory
                and not _is_allegation(dataclasses.replace(c, contested=False), actors, lem, index)
            )
            said = None if disputed_only else _saying_event(c, claimant, tuple(accused), known)
            if said is not None:
                said_events.append(said)
                known.add(said)
        events = tuple(alleged.get(e.trigger, e) if e.trigger is not None else e for e in found.events)
        events = tuple(sorted(events + tuple(said_events), key=lambda e: (e.evidence.begin, e.trigger or (0, 0))))
        found.parse.notes["claims"] = (kept, answers)  # for the response step
        return dataclasses.replace(found, allegations=found.allegations + tuple(allegations), events=events)


def _saying_event(
    c: Claim, claimant: tuple[str, ...], accused: tuple[str, ...], known: _Events
) -> Event | None:
    """Saying that another side did wrong is an accusation (PLOVER ACCUSE), unless an accusation is told already.

    Only a claimant's own verb of saying makes one: "according to" and "reportedly" report a claim,
    they do not make one.
    """
    if c.verb is None or not claimant or not accused or c.owned:
        return None
    b, e = c.sent.begin_of(c.verb), c.sent.end_of(c.verb)
    here = known.by_sentence.get(c.sent.span.begin, [])
    if any(x.type == "ACCUSE" for x in here):
        return None
    parts = tuple(dict.fromkeys([*claimant, *accused]))
    return Event(
        type="ACCUSE",
        label=event_label("ACCUSE", "accusation", claimant[0], accused[0], ()),
        evidence=c.sent.span,
        participants=parts,
        source_actor=claimant[0],
        target_actor=accused[0],
        date=next((x.date for x in here if x.date), None),
        kind="accusation",
        trigger=(b, e),
    )


def _with_source(ev: Event, source: str) -> Event:
    parts = tuple(dict.fromkeys([source, *ev.participants]))
    return dataclasses.replace(
        ev,
        source_actor=source,
        participants=parts,
        label=event_label(ev.type, ev.kind or "", source, ev.target_actor, ev.items, parts),
    )


def _doer_before(known: _Events, c: Claim, actors: dict[str, Actor]) -> list[str]:
    """Who did the act an accusation names with no doer ("the bombing"): the source of the latest hostile act
    of that type told before it, if that source is not on the claimant's side."""
    types = {f.event.type for f in [*c.events, *c.bare]}
    own = _side([m.name for m in c.claimants], actors)
    before = [e for e in known.hostile[: bisect.bisect_left(known.hostile_begins, c.sent.span.begin)] if e.source_actor]
    # (an act of the same type if one is told, else the latest hostile act: "the raid" after "stormed")
    for ev in reversed([e for e in before if e.type in types] or before):
        assert ev.source_actor is not None
        return [] if _side([ev.source_actor], actors) & own else [ev.source_actor]
    return []


def _blamed_for(known: _Events, c: Claim, accused: list[str]) -> Event | None:
    """ "Biden blamed militias backed by Iran": blamed, with nothing said, for the latest hostile act told."""
    ev = known.latest_hostile(c.sent.span.begin)
    if ev is None:
        return None
    parts = tuple(dict.fromkeys([accused[0], *(p for p in ev.participants if p != ev.source_actor)]))
    return dataclasses.replace(
        ev,
        source_actor=accused[0],
        participants=parts,
        label=event_label(ev.type, ev.kind or "", accused[0], ev.target_actor, ev.items, parts),
        evidence=c.sent.span,
        modality="Alleged",
        trigger=None,
        date=ev.date,
    )


def _wrongdoing_event(c: Claim, accused: list[str], lem: Lemmas) -> Event | None:
    """The alleged act of a claim whose content names a wrongdoing but no event ("accused X of corruption")."""
    types = wrongdoing_types()
    found: tuple[Token, str, str] | None = None
    # (the object of the claim's own verb first: "had stepped up its backing ... after the aggression")
    heads = c.head.children if c.head is not None else ()
    objs = {i for o in heads if o.dep_ in ("dobj", "obj") for i in _subtree(o)}
    for t in sorted(c.sent.tokens, key=lambda t: (t.i not in objs, t.i)):
        if t.i not in c.content or not lem.has(t, "wrongdoing"):
            continue
        ev_type = types.get((t.lemma_.lower(), "verb" if t.pos_ in ("VERB", "AUX") else "noun"))
        if ev_type is not None:
            found = (t, ev_type, "wrongdoing")
            break
    if found is None and c.accusatory:
        # "blamed the strike on X": an event noun that named no event of its own still names the act
        triggers = lexicon().triggers
        for t in c.sent.tokens:
            if t.i in c.content and t.pos_ == "NOUN":
                typed = [g for g in triggers.get(t.lower_, ()) if g.pos == "noun"]
                if typed:
                    found = (t, typed[0].type, typed[0].kind)
                    break
    if found is None and c.index is not None:
        duty = _failed_duty(c, Reader(c.sent, c.index), set(), lem)
        if duty is not None:
            found = (duty, "REJECT", "breach")
    if found is None and c.cue in _HEDGE_CUES and c.index is not None:
        found = _hedged_act(c, Reader(c.sent, c.index))
    if found is None and (c.accusatory or c.contested) and c.head is not None and c.head.i in c.content:
        # an accusation whose act no lexicon names ("the charge that it had lured the migrants"):
        # coded as PLOVER's catch-all for non-violent hostile acts, marked by its kind
        found = (c.head, _UNNAMED_WRONG, "wrongdoing")
    if found is not None:
        t, ev_type, kind = found
        source = accused[0] if accused else None
        b, e = c.sent.begin_of(t), c.sent.end_of(t)
        return Event(
            type=ev_type,
            label=event_label(ev_type, kind, source, None, ())
            + ("" if kind != "wrongdoing" else f" ({t.lemma_.lower()})"),
            evidence=c.sent.span,
            participants=tuple(accused),
            source_actor=source,
            modality="Alleged",
            kind=kind,
            trigger=(b, e),
        )
    return None


# the type of an accused act that neither the trigger lexicon nor wrongdoing.tsv names
_UNNAMED_WRONG = "COERCE"


class _Events:
    """The article's events so far, looked up by trigger, by sentence, and the hostile ones by position."""

    def __init__(self, events: tuple[Event, ...]) -> None:
        self.by_trigger = {(e.trigger, e.type): e for e in reversed(events)}
        self.by_sentence: dict[int, list[Event]] = {}
        for e in events:
            self.by_sentence.setdefault(e.evidence.begin, []).append(e)
        hostile = sorted((e for e in events if e.type in _HOSTILE), key=lambda e: e.evidence.begin)
        self.hostile = hostile
        self.hostile_begins = [e.evidence.begin for e in hostile]

    def add(self, e: Event) -> None:
        self.by_sentence.setdefault(e.evidence.begin, []).append(e)

    def current(self, ev: Event) -> Event | None:
        """The article's present version of ``ev`` (same trigger and type), if it is still an event."""
        return self.by_trigger.get((ev.trigger, ev.type))

    def latest_hostile(self, before: int) -> Event | None:
        k = bisect.bisect_right(self.hostile_begins, before)
        return self.hostile[k - 1] if k else None


class ResponseExtractor:
    """Denials and confirmations, linked to the allegations they answer anywhere in the article."""

    name = "responses"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add responses; set the stance, denied_by and confirmed_by of the allegations they answer."""
        if found.parse is None:
            return found
        noted = found.parse.notes.get("claims")
        kept, answers = noted if noted is not None else _claims_of(found)[:2]
        if not kept and found.allegations:
            return found
        actors = _actors(found)
        allegations = list(found.allegations)
        base = len(allegations) - len(kept)
        responses: list[Response] = []
        by_noun = {c.noun.i: base + k for k, c in enumerate(kept) if c.noun is not None}
        by_sentence: dict[int, list[int]] = {}
        for k, c in enumerate(kept):
            by_sentence.setdefault(c.sent.span.begin, []).append(base + k)
        begins = [al.evidence.begin for al in allegations[base:]]
        for a in answers:
            who = [m.name for m in a.who]
            if not who:
                continue
            who_side = _side(who, actors)
            answered: list[int] = []
            for noun in a.nouns:
                if noun.i in by_noun:
                    answered.append(by_noun[noun.i])
                if not answered and noun.head.i in {t.i for t in a.sent.tokens} and _stands_for_its_sentence(noun):
                    # "X accused Y of Z, an accusation Y denies": the claim noun stands for its own sentence's claims
                    answered = list(by_sentence.get(a.sent.span.begin, []))
            # nobody answers their own claim; a denial answers the claims told near it (at most _REACH either way)
            at = base + bisect.bisect_right(begins, a.sent.span.begin)
            nearby = range(max(base, at - _REACH), min(len(allegations), at + _REACH))
            WORK["answer-allegation checks"] += len(nearby)  # counted (issue 14): bounded by _REACH, not by the article
            open_ = [k for k in nearby if not who_side & _side(allegations[k].claimant, actors)]
            if answered and a.kind == "denial" and any(noun.i in by_noun for noun in a.nouns):
                # "Minsk rejected the charge that it had lured the migrants": the same charge made against its
                # side elsewhere (an accusation of the same type of act) is denied with it
                kinds = {p.type for k in answered if (p := allegations[k].proposition) is not None}
                answered += [
                    k
                    for k in open_
                    if k not in answered
                    and (p := allegations[k].proposition) is not None
                    and p.type in kinds
                    and who_side & _side(list(allegations[k].accused), actors)
                ]
            if not answered:
                cands = []
                for k in open_:
                    al = allegations[k]
                    parties = set(al.accused)
                    if al.proposition is not None:
                        parties |= set(al.proposition.participants)
                    if who_side & _side(list(parties), actors):
                        cands.append(k)
                typed = [k for k in cands if (prop := allegations[k].proposition) is not None and prop.type in a.types]
                answered = typed if a.strict else (typed or cands)
                if not answered and a.anaphoric and a.kind == "denial" and a.nouns:
                    # "rejected these accusations" with no accused of its side named: the latest claims before it
                    answered = [k for k in open_ if allegations[k].evidence.begin <= a.sent.span.begin][-1:]
            if a.kind == "confirmation" and a.within:
                # "X acknowledged carrying out the strike that witnesses said killed 100": the claim told inside
                # the acknowledged clause is owned by whoever acknowledges it, whom it then accuses
                inside = [
                    k
                    for k in by_sentence.get(a.sent.span.begin, [])
                    if (verb := kept[k - base].verb) is not None
                    and verb.i in a.within
                    and not who_side & _side(allegations[k].claimant, actors)
                ]
                for k in inside:
                    if not allegations[k].accused:
                        allegations[k] = dataclasses.replace(allegations[k], accused=tuple(dict.fromkeys(who)))
                answered = list(dict.fromkeys([*answered, *inside]))
            if a.kind == "confirmation":
                # (confirming the act does not confirm the name someone gave it: "called the bombing a war crime")
                answered = [
                    k
                    for k in answered
                    if who_side & _side(list(allegations[k].accused), actors) and not kept[k - base].names_act
                ]
            if not answered:
                continue
            for k in answered:
                al = allegations[k]
                if a.kind == "denial":
                    allegations[k] = dataclasses.replace(
                        al,
                        stance="confirmed" if al.stance == "confirmed" else "denied",
                        denied_by=tuple(dict.fromkeys([*al.denied_by, *who])),
                        # "Minsk rejected the charge that it had ...": who denies a charge no one else bears, bears it
                        accused=al.accused or (tuple(dict.fromkeys(who)) if a.nouns else ()),
                    )
                else:
                    allegations[k] = dataclasses.replace(
                        al, stance="confirmed", confirmed_by=tuple(dict.fromkeys([*al.confirmed_by, *who]))
                    )
            responses.append(
                Response(
                    kind=a.kind, claimant=tuple(dict.fromkeys(who)), evidence=a.sent.span, responds=tuple(answered)
                )
            )
        _mutual_denials(allegations, actors)
        events = _roles_from_claims(found.events, allegations, responses, actors)
        return dataclasses.replace(
            found, allegations=tuple(allegations), responses=found.responses + tuple(responses), events=events
        )


@functools.lru_cache(maxsize=1)
def _denial_forms() -> frozenset[str]:
    """Every inflection of the verbs of denial in attribution.tsv ("rejects", "denied", "disputes")."""
    irregular = {
        r.get("lemma").lower(): [f.lower() for f in r.items("forms")]
        for r in read_data("irregular_verbs.tsv", ("lemma", "forms"))
    }
    lem = lemmas()
    out: set[str] = set()
    for (lemma, pos), classes in lem.classes.items():
        if pos == "verb" and "denial" in classes and " " not in lemma:
            out |= verb_forms(lemma, irregular)
    return frozenset(out)


def _reciprocal(obj: Token) -> bool:
    """Whether an object is "each other", "the other" or "one another"."""
    dets = {c.lower_ for c in obj.children if c.dep_ == "det"}
    return (obj.lower_ == "other" and bool(dets & {"each", "the"})) or (obj.lower_ == "one" and "another" in dets)


def _stands_for_its_sentence(noun: Token) -> bool:
    """Whether a claim noun sums up the claims of its own sentence: "..., an accusation Y denies".

    The parser hangs such a noun on the sentence (npadvmod, appos), or, taking the answering verb for the
    sentence's root, makes it that verb's object put before it: "..., a charge Algeria denied".
    """
    return noun.dep_ in ("npadvmod", "appos") or _summing_up(noun)


def _summing_phrase(noun: Token) -> set[int]:
    """The tokens of ", a charge X denies" from its comma to the next punctuation (or the sentence's end)."""
    doc = noun.doc
    start = noun.left_edge.i
    if start > 0 and doc[start - 1].lower_ == ",":
        start -= 1
    end = noun.i + 1
    last = noun.sent.end if noun.sent is not None else len(doc)
    while end < last and not (doc[end].is_punct and doc[end].lower_ in (",", ";", ".", ":")):
        end += 1
    return set(range(start, end))


def _summing_up(noun: Token) -> bool:
    """An indefinite noun right after a comma: ", a charge ...", ", an accusation ..."."""
    doc, first = noun.doc, noun.left_edge
    if noun.i >= 2 and doc[noun.i - 1].lower_ in ("a", "an") and doc[noun.i - 2].lower_ == ",":
        return True  # (however the parser attached the article)
    if noun.i >= 1 and noun.tag_ == "NNS" and doc[noun.i - 1].lower_ == "," and first.i == noun.i:
        return True  # ", allegations Lome denies": a plural needs no article
    return (
        any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
        and first.i > 0
        and doc[first.i - 1].lower_ == ","
    )


# how many allegations before and after a denial it may answer, and a counter-claim may face
_REACH = 50


def _catch_all(prop: Event) -> bool:
    """Whether an alleged act is PLOVER's catch-all for a wrong no lexicon names ("stirring up trouble")."""
    if prop.kind != "wrongdoing" or not prop.label.endswith(")") or "(" not in prop.label:
        return False
    lemma = prop.label[prop.label.rfind("(") + 1 : -1]
    return (lemma, "verb") not in wrongdoing_types() and (lemma, "noun") not in wrongdoing_types()


def _mutual_denials(allegations: list[Allegation], actors: dict[str, Actor]) -> None:
    """Two sides blaming each other for the same kind of act: each account denies the other.

    "Thai soldiers attacked us", says Cambodia; "Cambodian troops fired first", says Thailand: each
    allegation is answered by the other side's claim, so each is denied by the other's claimant.
    """
    sides = [(_side(list(al.claimant), actors), _side(list(al.accused), actors), al.proposition) for al in allegations]
    for i, (claim_i, accused_i, prop_i) in enumerate(sides):
        if not claim_i or not accused_i or prop_i is None or allegations[i].stance == "confirmed":
            continue
        for j in range(max(0, i - _REACH), min(len(sides), i + _REACH)):
            claim_j, accused_j, prop_j = sides[j]
            if i == j or prop_j is None or not (claim_i & accused_j and claim_j & accused_i):
                continue
            if prop_i.type != prop_j.type:
                continue
            if (_catch_all(prop_i) or _catch_all(prop_j)) and prop_i.label.rsplit("(", 1)[-1] != prop_j.label.rsplit(
                "(", 1
            )[-1]:
                continue  # (acts no lexicon names are the same kind of act only told by the same word)
            al = allegations[i]
            allegations[i] = dataclasses.replace(
                al, stance="denied", denied_by=tuple(dict.fromkeys([*al.denied_by, *allegations[j].claimant]))
            )


def _roles_from_claims(
    events: tuple[Event, ...], allegations: list[Allegation], responses: list[Response], actors: dict[str, Actor]
) -> tuple[Event, ...]:
    """Roles an accusation or a denial leaves open, from the claims of its sentence.

    An ACCUSE event is made by the claimant against the accused; a REJECT event by the denier
    against whoever made the claim it answers.
    """
    by_sentence: dict[int, list[Allegation]] = {}
    for al in allegations:
        by_sentence.setdefault(al.evidence.begin, []).append(al)
    denials: dict[int, list[Response]] = {}
    for r in responses:
        if r.kind == "denial":
            denials.setdefault(r.evidence.begin, []).append(r)
    out: list[Event] = []
    for e in events:
        src, tgt = e.source_actor, e.target_actor
        if e.type == "ACCUSE" and (src is None or tgt is None):
            for al in by_sentence.get(e.evidence.begin, []):
                src = src or (al.claimant[0] if al.claimant else None)
                tgt = tgt or next((a for a in al.accused if a != src), None)
        elif e.type == "REJECT":
            # a rejection is aimed at whoever made a claim its sentence's denial answers: a target its own words
            # or the discourse step found stands only if it is on such a claimant's side
            tellers: list[str] = []
            for r in denials.get(e.evidence.begin, []):
                src = src or (r.claimant[0] if r.claimant else None)
                tellers += [c for k in r.responds for c in allegations[k].claimant if c != src]
            if tellers and (tgt is None or not _side([tgt], actors) & _side(tellers, actors)):
                tgt = tellers[0]
        if (src, tgt) != (e.source_actor, e.target_actor):
            parts = tuple(dict.fromkeys([*e.participants, *(x for x in (src, tgt) if x)]))
            e = dataclasses.replace(
                e,
                source_actor=src,
                target_actor=tgt,
                participants=parts,
                label=event_label(e.type, e.kind or "", src, tgt, e.items, parts),
            )
        out.append(e)
    return tuple(out)


__all__ = ["AllegationExtractor", "ResponseExtractor"]
