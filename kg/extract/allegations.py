"""Allegations and the denials and confirmations that answer them.

An allegation is a sentence that reports something on someone's word:
"according to X", "X said/claimed/revealed ... (citing ...)", "X accused Y of",
"allegations of ... circulating among X", or the article's own hedge
("reportedly", "is alleged to") with no claimant. The events it reports become
its proposition, with modality Alleged. A denial ("X denied these
accusations", "dismissing Y's claims as baseless") marks the allegations it
answers, in the same or earlier sentences, as denied.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Literal

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
from kg.extract.lexicon import lexicon
from kg.model import Actor, Allegation, Article, Event, Extraction, Response, Span

_SKIP_BEFORE_CUE = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "also",
        "even",
        "further",
        "repeatedly",
        "previously",
        "recently",
        "publicly",
        "reportedly",
        "allegedly",
        "openly",
        "first",
        "now",
        "both",
        "firmly",
        "strongly",
        "flatly",
        "categorically",
        "vehemently",
        "again",
        "long",
        "later",
        "earlier",
        "on",
        "in",
        "at",
        "this",
        "last",
        "late",
        "week",
        "month",
        "year",
        "day",
        "today",
        "yesterday",
        ",",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_RESPONSE_KINDS: tuple[tuple[Literal["denial", "confirmation"], str], ...] = (
    ("denial", "denial"),
    ("confirmation", "confirmation"),
)
_COMMENTATORS = frozenset(["experts", "analysts", "observers", "commentators", "researchers", "journalists"])


@functools.lru_cache(maxsize=1)
def _cues() -> dict[str, PhraseSet]:
    return {k: split_phrases(v) for k, v in lexicon().cues.items()}


def _mentions_between(ms: list[Mention], lo: int, hi: int) -> list[Mention]:
    return [m for m in ms if m.begin >= lo and m.end <= hi]


_COORD_GAP = re.compile(r"\s*(?:,\s*)?(?:and|&)\s*(?:both\s+)?")
_AMONG = re.compile(r"\b(?:among|amongst|by|from|in)\s+((?:\w+\s+){0,2}\w+)")
_CLAIM_TRIM = re.compile(r"^(?:that|,)\s*|\s*[,.;]+$")


def _subject_before(
    toks: list[Token], k: int, ms: list[Mention], text: str, base: int, history: list[Mention] | None = None
) -> list[Mention]:
    """The actor(s) just before token k, skipping auxiliaries and adverbs; coordinated ones too."""
    p = k - 1
    while p >= 0 and (toks[p].lower in _SKIP_BEFORE_CUE or toks[p].lower.endswith("ly")):
        p -= 1
    if p < 0:
        return []
    if toks[p].lower in _PRONOUNS:
        # "he said", "it said": the actor the pronoun stands for
        return _antecedent(toks[p], ms, history or [])
    if toks[p].lower == "and" and p > 0 and toks[p - 1].end not in {m.end for m in ms}:
        # "X rejected the report and accused Y": a coordinated verb shares its clause's subject
        first = [m for m in ms if m.end <= toks[p].begin][:1]
        if first and not _after_preposition(toks, first[0]):
            return first
        return []
    end = toks[p].end
    last = [m for m in ms if m.end == end]
    if not last:
        return []
    chain = [last[-1]]
    chain = [m for m in ms if m.begin == chain[0].begin and m.end == chain[0].end]
    for m in reversed([m for m in ms if m.end <= chain[0].begin]):
        gap = text[m.end - base : chain[0].begin - base]
        if _COORD_GAP.fullmatch(gap):
            chain.insert(0, m)
        else:
            break
    return chain


def _uniq(names: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return tuple(out)


_PRONOUNS = frozenset(["he", "she", "it", "they"])
_PREP_BEFORE = frozenset(["of", "to", "from", "with", "by", "against", "in", "for", "on", "at", "between", "among"])
# complements that state an intention or forecast, not something done ("X said it would ...")
_INTENT = frozenset(
    ["would", "will", "wo", "'ll", "plans", "planned", "intends", "intended", "aims", "hopes", "wants", "might"]
)
_FACT_AUX = frozenset(["had", "has", "have", "was", "were", "is", "are", "did"])
# "..., a charge X denies", "an account that X rejected": the noun that a same-sentence reply answers
_APPOSITIVE_NOUNS = frozenset(
    [
        "charge",
        "charges",
        "accusation",
        "accusations",
        "allegation",
        "allegations",
        "claim",
        "claims",
        "account",
        "assertion",
        "version",
        "characterisation",
        "characterization",
        "accounts",
    ]
)


def _after_preposition(toks: list[Token], m: Mention) -> bool:
    k = next((n for n, t in enumerate(toks) if t.begin >= m.begin), 0)
    while k > 0 and toks[k - 1].lower in ("the", "a", "an"):
        k -= 1
    return k > 0 and toks[k - 1].lower in _PREP_BEFORE


def _antecedent(pron: Token, ms: list[Mention], history: list[Mention]) -> list[Mention]:
    """What "he"/"she" (the last person) or "it"/"they" (the last non-person) stands for."""
    person = pron.lower in ("he", "she")
    before = [m for m in ms if m.end <= pron.begin]
    if not person and before and before[0].type != "Person":
        # "it"/"they" most often stands for the sentence's subject
        return before[:1]
    for pool in (before, history):
        for m in reversed(pool):
            if (m.type == "Person") == person:
                return [m]
    return []


def _side(names: tuple[str, ...], actors: dict[str, Actor]) -> set[str]:
    """The claimants, their countries or organisations, and the actors affiliated with those."""
    side = set(names)
    for n in names:
        a = actors.get(n)
        if a is not None and a.affiliation:
            side.add(a.affiliation)
    for a in actors.values():
        # its organs and forces, not every person of the same country (an opposition leader is not the government)
        if a.affiliation and a.affiliation in side and a.type != "Person":
            side.add(a.name)
    return side


def _appositive_response(toks: list[Token], ms: list[Mention], denial: PhraseSet) -> tuple[int, list[Mention]] | None:
    """ "..., a charge X denies": (index of the comma, the repliers) when the sentence ends with a reply."""
    for k in range(1, len(toks) - 2):
        if toks[k].lower != "," or toks[k + 1].lower not in ("a", "an", "the", "that", "which", "this"):
            continue
        if toks[k + 2].lower not in _APPOSITIVE_NOUNS and not (
            k + 3 < len(toks) and toks[k + 3].lower in _APPOSITIVE_NOUNS
        ):
            continue
        window = toks[k + 2 : k + 12]
        hits = find_phrases(window, denial)
        if not hits:
            continue
        cue_begin = window[hits[0][0]].begin
        who = [m for m in ms if toks[k].end <= m.begin and m.end <= cue_begin]
        return k, who
    return None


def _proposition(events: list[Event], claimants: tuple[str, ...], accused: tuple[str, ...]) -> Event | None:
    """The reported event the claim is about: one done by the accused, else one not done by the claimants."""
    for ev in events:
        if ev.source_actor in accused and ev.source_actor not in claimants and ev.type != "REJECT":
            return ev
    for ev in events:
        if ev.source_actor not in claimants and ev.type != "REJECT":
            return ev
    return None


def _claim_event(
    toks: list[Token],
    lo: int,
    hi: int,
    sent: Span,
    accused: tuple[str, ...],
    ms: list[Mention],
    skip: str | None = None,
) -> Event | None:
    """An event built from the claim itself: its first trigger word, the accused as source."""
    from kg.extract.events import _match_trigger, event_label

    lex = lexicon()
    span_toks = [t for t in toks if t.begin >= lo and t.end <= hi]
    for i, t in enumerate(span_toks):
        if skip is not None and t.lower in skip.split():
            continue
        for trig in lex.triggers.get(t.lower, ()):
            if trig.type in ("ACCUSE", "REJECT"):
                continue
            if _match_trigger(span_toks, i, trig) is None:
                continue
            source = accused[0] if accused else None
            target = next((m.name for m in ms if m.begin >= t.end and m.end <= hi and m.name != source), None)
            participants = tuple(n for n in (source, target) if n)
            return Event(
                type=trig.type,
                label=event_label(trig.type, trig.kind, source, target, ()),
                evidence=sent,
                participants=participants,
                source_actor=source,
                target_actor=target,
                modality="Alleged",
                kind=trig.kind,
            )
    return None


def sentence_allegation(
    sent: Span,
    ms: list[Mention],
    events: list[Event],
    history: list[Mention],
    actors: dict[str, Actor] | None = None,
) -> tuple[Allegation, list[int]] | None:
    """The allegation a sentence makes, if any, and the indices (into ``events``) of the events it reports."""
    cues = _cues()
    actors = actors or {}
    toks = tokens(sent.text, sent.begin)
    text, base = sent.text, sent.begin
    claimants: list[Mention] = []
    hedge: str | None = None
    claim_lo, claim_hi = sent.begin, sent.end
    kind = ""
    reply = _appositive_response(toks, ms, cues["denial"])
    if reply is not None:
        claim_hi = toks[reply[0]].begin
    for a, b, phrase in find_phrases(toks, cues["according"]):
        # "according to X, S" or "S, according to X"
        stop = b
        while stop < len(toks) and toks[stop].lower not in (",", ".", ";"):
            stop += 1
        claimants = _mentions_between(ms, toks[b].begin if b < len(toks) else sent.end, toks[stop - 1].end)
        if not claimants:
            # "according to people familiar with ...", "according to a notice": no one to weigh
            break
        hedge, kind = phrase, "according"
        if a == 0 or (a > 0 and toks[a - 1].lower in ("but", "and")):
            claim_lo = toks[stop].end if stop < len(toks) else sent.end
        else:
            claim_hi = min(claim_hi, toks[a].begin)
        break
    if not kind:
        for _a, b, phrase in find_phrases(toks, cues["report_noun"]):
            m_among = _AMONG.search(text[toks[b - 1].end - base :])
            claim_lo = toks[b - 1].end
            among = []
            if m_among:
                lo = toks[b - 1].end + m_among.start(1)
                claim_hi = toks[b - 1].end + m_among.start()
                among = _mentions_between(ms, lo, lo + len(m_among.group(1)))
            claimants, hedge, kind = among, phrase.split()[0], "report"
            break
    if not kind:
        for kind_name in ("accuse", "speech"):
            for a, b, phrase in find_phrases(toks, cues[kind_name]):
                if reply is not None and a > reply[0]:
                    break
                subj = _subject_before(toks, a, ms, text, base, history)
                if not subj and phrase.endswith("ing") and a > 0 and toks[a - 1].lower == ",":
                    # "X has condemned ..., emphasizing that ..." -> the sentence's subject
                    subj = [m for m in ms if m.end <= toks[a].begin][:1]
                if not subj and not (kind_name == "accuse" and reply is not None):
                    continue
                claimants, hedge, kind = subj, phrase, kind_name
                claim_lo = toks[b - 1].end
                if kind_name == "speech" and subj:
                    # "S, X said.": the claim is what comes before the speaker
                    k0 = next((n for n, t in enumerate(toks) if t.begin >= subj[0].begin), 0)
                    while k0 > 0 and toks[k0 - 1].lower in ("the", "a", "an"):
                        k0 -= 1
                    if k0 >= 4 and toks[k0 - 1].lower == ",":
                        claim_lo, claim_hi = sent.begin, toks[k0 - 1].begin
                break
            if kind:
                break
    if not kind:
        hits = find_phrases(toks, cues["hedge"])
        if hits:
            hedge, kind = hits[0][2], "hedge"
    if not kind:
        return None
    claimant_names = _uniq([m.name for m in claimants])
    if kind in ("speech", "report", "hedge") and reply is None and find_phrases(toks, cues["denial"]):
        return None
    has_basis = bool(find_phrases(toks, cues["citing"]))
    claim_toks = [t for t in toks if claim_lo <= t.begin and t.end <= claim_hi]
    if kind == "speech" and not (hedge or "").endswith("ing") and not has_basis and reply is None:
        # "X said it would ...": a statement about oneself is not an allegation
        k = 0
        if (hedge or "") in ("told",):
            # "X told Y that ...": the claim starts after "that"
            k = next((n + 1 for n, t in enumerate(claim_toks[:14]) if t.lower == "that"), 0)
        while k < len(claim_toks) and claim_toks[k].lower in _SKIP_BEFORE_CUE | {"that"}:
            k += 1
        if k < len(claim_toks) and claim_toks[k].lower in ("it", "he", "she", "they", "we", "i"):
            return None
        if (
            k < len(claim_toks)
            and claim_toks[k].lower in ("the", "its", "their", "his", "her")
            and (k + 1 < len(claim_toks) and claim_toks[k + 1].lower in _SELF_NOUNS)
        ):
            return None
        # "X said Y would ...": an intention or a forecast, not a deed
        for t in claim_toks[k : k + 10]:
            if t.lower in _INTENT:
                return None
            if t.lower in _FACT_AUX or (t.text.islower() and t.lower.endswith("ed")):
                break
    if any(n.lower() in _COMMENTATORS for n in claimant_names):
        return None
    inside = [k for k, ev in enumerate(events) if ev.evidence == sent]
    reported = [
        k
        for k in inside
        if not (events[k].source_actor in claimant_names and events[k].type in ("ACCUSE", "REJECT", "THREATEN"))
    ]
    accusing = any(events[k].type == "ACCUSE" for k in inside)
    if kind != "accuse" and reported and all(events[k].modality in ("Planned", "Expected") for k in reported):
        # "X is expected to visit ..., officials said": a forecast, not an allegation
        return None
    accused = _uniq(
        [
            str(events[k].source_actor)
            for k in reported
            if events[k].source_actor and events[k].source_actor not in claimant_names
        ]
    )
    if kind == "accuse":
        # "X accused Y of ...": the object is the accused
        obj = [m for m in _mentions_between(ms, claim_lo, claim_hi) if m.name not in claimant_names][:1]
        if obj and obj[0].begin - claim_lo <= 6:
            accused = _uniq([obj[0].name, *accused])
    if kind in ("accuse", "report") and not accused:
        accused = _uniq([m.name for m in _mentions_between(ms, claim_lo, claim_hi) if m.name not in claimant_names][:2])
    if kind == "speech" and not accused:
        accused_ev = [events[k] for k in inside if events[k].type == "ACCUSE" and events[k].target_actor]
        accused = _uniq([e.target_actor for e in accused_ev if e.target_actor])
        if not accused:
            accused = _uniq(
                [m.name for m in _mentions_between(ms, claim_lo, claim_hi) if m.name not in claimant_names][:2]
            )
    if kind in ("speech", "according") and not has_basis and not accusing and reply is None:
        # what a speaker says of its own side is a statement, not an allegation
        side = _side(claimant_names, actors)
        accused = tuple(n for n in accused if n not in side)
        if not accused:
            return None
    if reply is not None:
        # "..., a charge X denies": X is the accused
        accused = _uniq([*accused, *[m.name for m in reply[1] if m.name not in claimant_names]])
    if kind == "hedge":
        if not accused:
            return None
    elif kind == "speech" and reply is None:
        if set(accused) <= set(claimant_names) and not has_basis and not accusing:
            return None
        if not accused and not has_basis and not accusing:
            return None
    claim = _CLAIM_TRIM.sub("", sent.text[claim_lo - base : claim_hi - base].strip()).strip()
    prop = _proposition([events[k] for k in reported], claimant_names, accused)
    if prop is None:
        prop = _claim_event(toks, claim_lo, claim_hi, sent, accused, ms)
    if prop is None and reported:
        prop = events[reported[0]]
    if prop is None and (kind in ("accuse", "report") or reply is not None):
        # "the unrest that he blamed on ...": the alleged event may come before the cue
        prop = _claim_event(toks, sent.begin, claim_lo, sent, accused, ms, skip=hedge)
    if prop is None:
        # nothing alleged that the lexicon can name: no proposition, no allegation
        return None
    prop = dataclasses.replace(prop, modality="Alleged")
    alleg = Allegation(
        claimant=claimant_names,
        accused=accused,
        claim=claim or sent.text,
        evidence=sent,
        hedge=hedge,
        proposition=prop,
    )
    return alleg, reported


_SELF_NOUNS = frozenset(["bloc", "government", "ministry", "country", "company", "group", "alliance", "party", "union"])


class AllegationExtractor:
    """Allegations of every sentence; the events they report become Alleged."""

    name = "allegations"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add allegations and mark their reported events as Alleged."""
        mentions = top_mentions(found)
        events = list(found.events)
        allegations: list[Allegation] = []
        actors = {a.name: a for a in found.actors}
        for sent, ms, ended, _ in mentions_by_sentence(mentions, found.sentences):
            got = sentence_allegation(sent, ms, events, mentions[:ended], actors)
            if got is None:
                continue
            alleg, reported = got
            allegations.append(alleg)
            for k in reported:
                events[k] = dataclasses.replace(events[k], modality="Alleged")
            accusation = _accusation_event(alleg, events)
            if accusation is not None:
                events.append(accusation)
        return dataclasses.replace(found, events=tuple(events), allegations=found.allegations + tuple(allegations))


def _accusation_event(al: Allegation, events: list[Event]) -> Event | None:
    """Making an allegation is an act of accusing: "X said Y had ..." is X accusing Y.

    Only for a named speaker's own words (a verb of saying or accusing), not for
    "according to" or the article's hedges, and only when the sentence has no
    accusation event yet.
    """
    cues = lexicon().cues
    if not al.claimant or not al.accused or al.hedge is None:
        return None
    if al.hedge not in cues.get("speech", set()) and al.hedge not in cues.get("accuse", set()):
        return None
    if any(c.lower() in _COMMENTATORS or c.lower() == "sources" for c in al.claimant):
        return None
    if any(ev.evidence == al.evidence and ev.type == "ACCUSE" for ev in events):
        return None
    src, tgt = al.claimant[0], al.accused[0]
    return Event(
        type="ACCUSE",
        label=f"{src} accusation against {tgt}",
        evidence=al.evidence,
        participants=_uniq([*al.claimant, *al.accused]),
        source_actor=src,
        target_actor=tgt,
        modality="Occurred",
        kind="accusation",
    )


def _deniers(toks: list[Token], a: int, ms: list[Mention], sent: Span) -> list[Mention]:
    subj = _subject_before(toks, a, ms, sent.text, sent.begin)
    if not subj and a > 0 and toks[a - 1].lower == ",":
        subj = [m for m in ms if m.end <= toks[a].begin][:1]
    return subj


class ResponseExtractor:
    """Denials and confirmations, linked to the allegations they answer."""

    name = "responses"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add responses; set the stance, denied_by and confirmed_by of the allegations they answer."""
        cues = _cues()
        mentions = top_mentions(found)
        allegations = list(found.allegations)
        events = list(found.events)
        responses: list[Response] = []
        actor_types = {a.name: a for a in found.actors}
        for sent in found.sentences:
            toks = tokens(sent.text, sent.begin)
            ms = [m for m in mentions if m.begin >= sent.begin and m.end <= sent.end]
            appos = _appositive_response(toks, ms, cues["denial"])
            for kind, cue_kind in _RESPONSE_KINDS:
                for a, b, _ in find_phrases(toks, cues[cue_kind]):
                    who = _uniq([m.name for m in _deniers(toks, a, ms, sent)])
                    same = [k for k, al in enumerate(allegations) if al.evidence == sent]
                    if kind == "denial" and appos is not None and a > appos[0] and same:
                        # "..., a charge X denies": answers this sentence's allegation
                        if not who:
                            # "an accusation the groups deny": the definite noun is the accused
                            who = allegations[same[0]].accused[:1]
                        if not who:
                            continue
                        _answer(allegations, same, kind, who)
                        responses.append(Response(kind=kind, claimant=who, evidence=sent, responds=tuple(same)))
                        break
                    if not who:
                        continue
                    speaks_for = set(who) | {
                        str(actor_types[n].affiliation) for n in who if n in actor_types and actor_types[n].affiliation
                    }
                    window = toks[b : b + 6]
                    refers = bool(find_phrases(window, cues["allegation_ref"]))
                    earlier = [
                        k
                        for k, al in enumerate(allegations)
                        if al.evidence.begin < sent.begin or (al.evidence == sent and not set(al.claimant) & set(who))
                    ]
                    if kind == "confirmation":
                        # only the accused can confirm an allegation; "sources confirm" is attribution
                        answered = [k for k in earlier if set(allegations[k].accused) & speaks_for]
                        if not refers and not answered:
                            continue
                    else:
                        answered = [k for k in earlier if set(allegations[k].accused) & speaks_for]
                        if refers and not answered:
                            answered = earlier
                        if not answered and not refers:
                            continue
                    if not answered:
                        continue
                    _answer(allegations, answered, kind, who)
                    responses.append(Response(kind=kind, claimant=who, evidence=sent, responds=tuple(answered)))
                    if kind == "denial":
                        accuser = _accuser([allegations[k] for k in answered], actor_types, who)
                        events = _target_rejections(events, sent, accuser)
                    break
        return dataclasses.replace(
            found, allegations=tuple(allegations), events=tuple(events), responses=found.responses + tuple(responses)
        )


def _answer(allegations: list[Allegation], answered: list[int], kind: str, who: tuple[str, ...]) -> None:
    for k in answered:
        al = allegations[k]
        if kind == "denial":
            allegations[k] = dataclasses.replace(al, stance="denied", denied_by=_uniq(list(al.denied_by) + list(who)))
        else:
            allegations[k] = dataclasses.replace(
                al, stance="confirmed", confirmed_by=_uniq(list(al.confirmed_by) + list(who))
            )


def _accuser(answered: list[Allegation], actors: dict[str, Actor], who: tuple[str, ...]) -> str | None:
    """Whom a denial answers: the first claimant that is a country, else a claimant's affiliation."""
    for al in answered:
        for c in al.claimant:
            a = actors.get(c)
            if a is not None and a.type == "Country" and c not in who:
                return str(c)
    for al in answered:
        for c in al.claimant:
            a = actors.get(c)
            if a is not None and a.affiliation and a.affiliation not in who:
                return str(a.affiliation)
    return None


def _target_rejections(events: list[Event], sent: Span, accuser: str | None) -> list[Event]:
    out = []
    for ev in events:
        if ev.evidence == sent and ev.type == "REJECT" and ev.target_actor is None and accuser:
            parts = ev.participants if accuser in ev.participants else (*ev.participants, accuser)
            ev = dataclasses.replace(
                ev, target_actor=accuser, participants=parts, label=f"{ev.label} against {accuser}"
            )
        out.append(ev)
    return out
