"""Actors: gazetteer look-up, title and group patterns, and within-article coreference.

Finds countries (by name, alias, demonym or capital metonym), organisations,
known people, people introduced by a title ("Foreign Minister Choe Son Hui"),
role-only people ("the Foreign Minister of Ruritania"), groups named after a
country ("U.S. officials", "a Ruritanian delegation"), unnamed speakers
("analysts", "sources"), and short forms that point back to someone named
earlier ("Mr. Kim", "Putin", "the delegation", "the Russian President").
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.extract.lexicon import Lexicon, lexicon, person_key, read_data
from kg.model import Actor, Article, Extraction, Span

_DETERMINERS = re.compile(r"^(?:the|a|an|some|many|several|other|two|both|its|their)\s+", re.IGNORECASE)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Madam)\.?"
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
_NAMEWORD = rf"(?:[{_UPPER}][^\W\d_]+(?:[-'’](?![sS]\b)[^\W\d_]+)*|[A-Z]\.(?=\s+[A-Z]))"
_PARTICLE = r"(?:al-|el-|bin\s+|ibn\s+|de\s+|da\s+|van\s+|von\s+(?:der\s+)?|dos\s+|del\s+)"
# a nickname in quotes inside a name: Abraham "Rami" Ungar
_NICKNAME = rf"[\"“]{_NAMEWORD}[\"”]"
_NAME = rf"(?:{_PARTICLE}?{_NAMEWORD})(?:\s+(?:{_NICKNAME}|{_PARTICLE}?{_NAMEWORD})){{0,3}}(?:\s+Jr\.)?"
_MODIFIERS = (
    r"(?:(?:senior|top|military|government|intelligence|defen[cs]e|security|high-level|foreign|local|state|"
    r"trade|customs|border|election|electoral|police|naval|army)\s+)?"
)
_ORG_HEADS = (
    "Forum|Council|Commission|Committee|Agency|Ministry|Party|Front|Movement|Union|Organization|Organisation|"
    "Institute|Bank|Fund|Court|Tribunal|Assembly|Parliament|Army|Guard|Guards|Service|Bureau|Department|"
    "Corporation|Company|Coalition|Alliance|Cartel|Brigade|Brigades|Battalion|Network|Authority|Tribunal|Force"
)
# words that may stand before a title in apposition: "a senior spokesman for", "Hezbollah's chief spokesman"
_ADJ_TITLE = r"senior|chief|top|deputy|former|acting|military|official|main|lead"
_COREF_NOUNS = (
    "delegation|ministry|agency|envoy|minister|president|leader|government|group|military|army|administration|"
    "embassy|commission|council|court|company|rebels|militants|spokesperson|spokesman|spokeswoman|ambassador|"
    "alliance|bloc|organisation|organization|premier|chancellor|party|coalition"
)


_DEM_COREF_NOUNS = "group|movement|militia|organisation|organization|rebels|militants|insurgents|party|company|firm"


_SPEECH_AFTER = re.compile(
    r"(?:say|said|says|confirm|confirmed|believe|believed|warn|warned|claim|claimed|told|note|noted|suggest|"
    r"suggested|estimate|estimated|allege|alleged|accuse|accused|report|reported)\b"
)


def _alt(words: list[str], after_first: str = "") -> str:
    r"""A regex alternation of ``words`` built as a trie, so matching does not try each word in turn.

    ``after_first`` goes right after the first character of every word: a
    look-behind there (``(?<![\w.-].)``) tests the character before the word,
    as one before the alternation would, yet leaves the pattern starting with
    a choice of literal characters, which the regex engine scans for quickly.
    """
    trie: dict[str, Any] = {}
    for w in set(words):
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    if after_first and trie:
        firsts = sorted(trie)
        return "(?:" + "|".join(re.escape(ch) + after_first + _trie_pattern(trie[ch]) for ch in firsts) + ")"
    return _trie_pattern(trie) or "(?!)"


def _trie_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        branches.append(re.escape(ch) + _trie_pattern(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: longer words first, the word ending here last.
    return f"(?:{body})?" if ends else body


@dataclass
class _Patterns:
    gazetteer: re.Pattern[str]
    title_name: re.Pattern[str]
    role_of: re.Pattern[str]
    role_poss: re.Pattern[str]
    group: re.Pattern[str]
    generic: re.Pattern[str]
    org_suffix: re.Pattern[str]
    honorific: re.Pattern[str]
    allies: re.Pattern[str]
    leader_admin: re.Pattern[str]
    coref: re.Pattern[str]
    name_said: re.Pattern[str]
    title_word: re.Pattern[str]
    title_body: re.Pattern[str]
    appos_title: re.Pattern[str]
    dem_coref: re.Pattern[str] = re.compile("(?!)")
    name_appos: re.Pattern[str] = re.compile("(?!)")
    titles_title: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    lex = lexicon()
    b, e = r"(?<![\w.-])", r"(?![\w-])"
    # b after the first character of a word: the same test, faster scanning (see _alt)
    b1 = r"(?<![\w.-].)"
    gaz = re.compile(rf"(?:{_alt(list(lex.surfaces), b1)}){e}")
    dem = _alt(list(lex.demonyms))
    ctry = _alt(list(lex.country_names) + [s for s, (k, how) in lex.surfaces.items() if how == "capital"])
    actor_any_words = [s for s, (k, how) in lex.surfaces.items() if how in ("name", "alias")]
    actor_any = _alt(actor_any_words)
    # "Beijing's spokesman", "Moscow's envoy": a capital stands for its country before a title too
    capitals = _alt([s for s, (k, how) in lex.surfaces.items() if how == "capital"])
    titles = _alt(list(lex.titles))
    groups = _alt(list(lex.group_nouns))
    gen_n = _alt(list(lex.generic_nouns))
    gen_a = _alt(list(lex.generic_adjectives))
    bodies = _alt([n for n, typ in lex.group_nouns.items() if typ == "Organization"])
    title_name = re.compile(
        rf"{b}(?:(?P<dem>{dem})\s+|(?P<cty>{ctry})(?:['’]s)?\s+)?(?P<title>(?i:{titles}))(?:,\s+|\s+)(?P<name>{_NAME})(?![\w-])"
    )
    role_of = re.compile(rf"(?i:\bthe\s+)(?P<title>(?i:{titles}))\s+of\s+(?:the\s+)?(?P<of>{actor_any}){e}")
    role_poss = re.compile(
        rf"{b}(?:(?:the|a|an)\s+)?(?:(?P<dem>{dem})|(?P<cty>{actor_any}|{capitals})['’]s)\s+(?P<title>(?i:{titles})){e}"
        # (not a title qualifying another: "Hezbollah's chief spokesman" is the spokesman, not the chief)
        rf"(?!,?\s+{_NAMEWORD})(?!\s+(?i:{titles}){e})"
    )
    group = re.compile(
        rf"{b}(?:(?P<det>[Tt]he|[Aa]n?)\s+)?(?P<a>{actor_any}|{dem})(?P<poss>['’]s)?"
        rf"(?:\s+and\s+(?P<b>{dem}|{actor_any}))?\s+(?P<mod>{_MODIFIERS})(?P<noun>(?i:{groups})){e}"
    )
    generic = re.compile(rf"{b}(?:(?:{gen_a})\s+)?(?:{gen_n}){e}", re.IGNORECASE)
    org_suffix = re.compile(
        rf"{b}(?P<org>(?:[A-Z][\w'’-]+\s+(?:(?:of|for|and|on)\s+(?:the\s+)?)?){{1,5}}(?:{_ORG_HEADS}))(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,2}}))?{e}"
    )
    honorific = re.compile(rf"{b}{_HONORIFIC}\s+(?P<name>{_NAMEWORD}(?:\s+{_NAMEWORD})?){e}")
    allies = re.compile(
        rf"(?P<c>{_alt(actor_any_words, b1)})\s+and\s+(?P<its>its|their)\s+(?P<noun>allies|partners){e}"
    )
    leader_admin = re.compile(
        rf"{b}(?:[Tt]he\s+)?(?P<who>{_NAMEWORD})\s+(?P<noun>administration|government|White House){e}"
    )
    coref = re.compile(rf"\b(?P<det>[Tt]he)\s+(?P<noun>{_COREF_NOUNS}){e}", re.IGNORECASE)
    name_said = re.compile(
        rf"{b}(?P<name>{_NAMEWORD}\s+{_NAMEWORD}(?:\s+{_NAMEWORD})?)(?=,?\s+(?:said|says|told|added|wrote|stated)\b)"
    )
    pats = _Patterns(
        gaz,
        title_name,
        role_of,
        role_poss,
        group,
        generic,
        org_suffix,
        honorific,
        allies,
        leader_admin,
        coref,
        name_said,
        re.compile(rf"{b}(?i:{titles}){e}"),
        # what a title may be qualified by right before it: "Cambodian army spokesman", "Pentagon spokeswoman",
        # "Chinese Foreign Ministry spokesman" (a country, demonym or known body, then a body of its own)
        re.compile(rf"{b}(?P<q>{dem}|{actor_any})(?:['’]s)?\s+(?:{_MODIFIERS}(?i:{bodies})\s+)?\Z"),
        # a title in apposition after a name: ", a spokesman for the PLA's ...", ", Hezbollah's chief spokesman"
        re.compile(
            rf",\s+(?:(?:a|an|the)\s+(?:(?:{_ADJ_TITLE})\s+)?(?i:{titles})\s+(?:for|of|at|to)\s+(?:the\s+)?"
            rf"(?P<q>{dem}|{actor_any}){e}"
            rf"|(?:the\s+)?(?P<p>{actor_any})['’]s\s+(?:(?:{_ADJ_TITLE})\s+)?(?i:{titles}){e})"
        ),
    )
    # "the Lebanese group", "the Yemeni rebels": an armed group or body of that country named before
    pats.dem_coref = re.compile(rf"\b[Tt]he\s+(?P<dem>{dem})\s+(?P<noun>(?i:{_DEM_COREF_NOUNS})){e}")
    # "Celso Amorim, a special adviser to ...": an unknown full name that an apposition gives a title
    pats.name_appos = re.compile(
        rf"{b}(?P<name>{_NAMEWORD}(?:\s+(?:{_NICKNAME}|{_PARTICLE}?{_NAMEWORD})){{1,3}}),\s+(?:a|an|the)\s+"
        rf"(?:(?:[\w-]+)\s+){{0,3}}?(?P<title>(?i:{titles})){e}(?=\s+(?:of|to|for|at|in|and|who)\b|,)"
    )
    return pats


@dataclass
class _Cand:
    begin: int
    end: int
    key: str
    type: str
    surface: str
    priority: int
    wikidata: str | None = None
    role: str | None = None
    affiliation: str | None = None
    nested_ok: bool = False  # a country inside a larger mention still counts


@dataclass
class _ActorInfo:
    name: str
    type: str
    wikidata: str | None = None
    role: str | None = None
    affiliation: str | None = None
    surfaces: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


def _cap_title(title: str, lex: Lexicon) -> str:
    canon = lex.titles.get(title.lower(), title)
    return canon[0].upper() + canon[1:] if canon else canon


_SPACES = re.compile(r"\s+")
_NICKNAME_RE = re.compile(rf"\s+{_NICKNAME}")
# the words of a body right before a title: "White House national security spokesman", "government spokesman"
_BODY_QUALIFIER = re.compile(
    r"(?<![\w.’'-])(?!(?:The|A|An|On|In|At|But|And|When|While|As|After|Before|Its|His|Her|Their)\s)"
    r"(?:(?:[A-Z][\w’'.-]*|national|security|border|foreign|defen[cs]e|army|military|government|navy|police|"
    r"guard|intelligence|interior|junta)\s+){1,5}\Z"
)
_BODY_WORD = re.compile(
    r"\b(?:Ministry|Office|Department|House|Pentagon|Kremlin|Council|Command|Agency|Forces|[Aa]rmy|[Mm]ilitary|"
    r"[Gg]overnment|[Gg]uard|[Pp]olice|[Nn]avy|[Jj]unta)\b"
)
# how far back a possessive pronoun's country is looked for ("Baku denied it. Its Defence Ministry ...")
_PRONOUN_REACH = 200
# how far before a title its qualifier is looked for ("Chinese Foreign Ministry " is 25 characters)
_QUALIFIER_REACH = 60


def _clean_surface(s: str) -> str:
    return _SPACES.sub(" ", _DETERMINERS.sub("", s.strip())).strip(" ,")


class _Finder:
    """Collects candidate mentions for one article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lex = lexicon()
        self.pat = _patterns()
        self.cands: list[_Cand] = []
        self.gaz_starts: list[int] = []
        self._country_ends: list[tuple[int, str]] | None = None
        self.title_starts: list[int] = []

    # ---------------------------------------------------------------- helpers
    def resolve_surface(self, surface: str) -> tuple[str, str] | None:
        """(canonical name, how) of a gazetteer surface form."""
        s = surface[4:] if surface.lower().startswith("the ") else surface
        return self.lex.surfaces.get(s)

    def country_of(self, surface: str | None) -> str | None:
        if not surface:
            return None
        if surface in self.lex.demonyms:
            return self.lex.demonyms[surface]
        hit = self.resolve_surface(surface)
        if hit is None:
            return None
        ent = self.lex.entries.get(hit[0])
        if ent is None:
            return None
        return ent.name if ent.type == "Country" else (ent.affiliation or ent.name)

    def speaks_for(self, surface: str) -> str | None:
        """Whom a qualifier makes a titled person speak for: a country, or a known body itself.

        "Cambodian army spokesman" speaks for Cambodia; "Pentagon spokeswoman" for the Pentagon (whose own
        affiliation gives its country).
        """
        if surface in self.lex.demonyms:
            return self.lex.demonyms[surface]
        hit = self.resolve_surface(surface)
        ent = self.lex.entries.get(hit[0]) if hit else None
        if ent is None or ent.type == "Person":
            return None
        return ent.name

    def country_before(self, start: int) -> str | None:
        """The country last named before ``start``, within the sentence or the one before it."""
        if self._country_ends is None:
            self._country_ends = sorted((c.end, c.key) for c in self.cands if c.type == "Country")
        k = bisect.bisect_right(self._country_ends, (start, "\uffff")) - 1
        if k >= 0 and self._country_ends[k][0] >= start - _PRONOUN_REACH:
            return self._country_ends[k][1]
        return None

    def body_before(self, start: int) -> str | None:
        """The country or body named right before a title: "Chinese Foreign Ministry spokesman Wang Wenbin"."""
        m = self.pat.title_body.search(self.text, max(0, start - _QUALIFIER_REACH), start)
        return self.speaks_for(m.group("q")) if m is not None else None

    def add(self, begin: int, end: int, key: str, typ: str, priority: int, **kw: object) -> None:
        surface = self.text[begin:end]
        self.cands.append(_Cand(begin, end, key, typ, surface, priority, **kw))  # type: ignore[arg-type]

    def add_entry(self, begin: int, end: int, key: str, priority: int, nested_ok: bool = False) -> None:
        ent = self.lex.entries[key]
        self.add(
            begin,
            end,
            key,
            ent.type,
            priority,
            wikidata=ent.wikidata,
            role=ent.role,
            affiliation=ent.affiliation,
            nested_ok=nested_ok,
        )

    # ---------------------------------------------------------------- passes
    def gazetteer(self) -> None:
        self.title_starts = [m.start() for m in self.pat.title_word.finditer(self.text)]
        for m in self.pat.gazetteer.finditer(self.text):
            self.gaz_starts.append(m.start())
            hit = self.lex.surfaces.get(m.group())
            if hit is None:
                continue
            key, how = hit
            if how == "demonym" and self.text[m.end() : m.end() + 1] == "-":
                continue
            if how == "short":
                continue
            ent = self.lex.entries[key]
            self.add_entry(m.start(), m.end(), key, 50, nested_ok=ent.type == "Country")

    def _anchored(self, pattern: re.Pattern[str], starts: list[int]) -> list[re.Match[str]]:
        """Matches of ``pattern`` that begin at one of ``starts`` (cheaper than scanning every position)."""
        out: list[re.Match[str]] = []
        end = -1
        for st in sorted(set(starts)):
            if st < end:
                continue
            m = pattern.match(self.text, st)
            if m:
                out.append(m)
                end = m.end()
        return out

    def titles(self) -> None:
        starts = self.gaz_starts + self.title_starts
        for m in self._anchored(self.pat.title_name, starts):
            outer_country, outer_start = m.group("dem") or m.group("cty"), m.start()
            if self.pat.title_word.match(m.group("name")):
                # stacked titles, "spokesman Major General Zaw Min Tun": the name follows the last title
                inner = self.pat.title_name.match(self.text, m.start("name"))
                if inner is not None:
                    m = inner
            name = m.group("name")
            title = m.group("title")
            if name in self.lex.surfaces and self.lex.entries[self.lex.surfaces[name][0]].type != "Person":
                continue  # "President Biden" is a person; "General Assembly" is not
            if (
                title[0].islower()
                and title.lower() in ("head", "chief", "leader", "commander", "judge")
                and m.group("dem") is None
                and m.group("cty") is None
            ):
                # "the leader Kim" is fine, but "head Office" is not a name: need a country before weak titles
                pass
            country = self.country_of(m.group("dem") or m.group("cty") or outer_country)
            if country is None:
                country = self.body_before(outer_start)
            key = self.lex.person_keys.get(person_key(name))
            if key is None:
                shorts = self.lex.short_forms.get(name, [])
                fit = [
                    p
                    for p in shorts
                    if (self.lex.entries[p].role or "").lower() == self.lex.titles.get(title.lower(), title).lower()
                    or (country and self.lex.entries[p].affiliation == country)
                ]
                key = fit[0] if len(fit) == 1 else None
            start = outer_start  # the mention keeps every title: "chief, Major General X" is X
            q = _BODY_QUALIFIER.search(self.text, max(0, start - _QUALIFIER_REACH), start)
            if q is not None and _BODY_WORD.search(q.group()) and q.end() == start:
                # and the body it speaks for: "Foreign Ministry spokesman Wang Wenbin", "Cambodian army spokesman X"
                start = q.start()
            if key is not None:
                self.add_entry(start, m.end(), key, 80)
            else:
                self.add(
                    start,
                    m.end(),
                    _strip_initial_the(_NICKNAME_RE.sub("", name)),
                    "Person",
                    70,
                    role=_cap_title(title, self.lex),
                    affiliation=country,
                )
            self.add_name_part(m.start("name"), m.end("name"), key or _NICKNAME_RE.sub("", name))

    def add_name_part(self, begin: int, end: int, key: str) -> None:
        # the bare name inside "President Vladimir V. Putin" is an alias too
        self.cands.append(_Cand(begin, end, key, "Person", self.text[begin:end], 10))

    def roles(self) -> None:
        the_starts = [p - 4 for p in self.title_starts if p >= 4 and self.text[p - 4 : p].lower() == "the "]
        for m in self._anchored(self.pat.role_of, the_starts):
            country = self.country_of(m.group("of"))
            if not country:
                continue
            title = _cap_title(m.group("title"), self.lex)
            self.add(
                m.start(),
                m.end(),
                f"{title} of {country}",
                "Person",
                60,
                role=f"{title} of {country}",
                affiliation=country,
            )
        for m in self._anchored(self.pat.role_poss, self.gaz_starts):
            country = self.country_of(m.group("dem") or m.group("cty"))
            if not country:
                continue
            title = _cap_title(m.group("title"), self.lex)
            self.add(
                m.start(),
                m.end(),
                f"{title} of {country}",
                "Person",
                55,
                role=f"{title} of {country}",
                affiliation=country,
            )

    def groups(self) -> None:
        lex = self.lex
        for m in self._anchored(self.pat.group, self.gaz_starts):
            noun = m.group("noun").lower()
            typ = lex.group_nouns.get(noun, "Group")
            firsts = [("a", m.group("a"))] + ([("b", m.group("b"))] if m.group("b") else [])
            for part, surface in firsts:
                hit = self.resolve_surface(surface) if surface not in lex.demonyms else None
                ent = lex.entries.get(hit[0]) if hit else None
                mod = m.group("mod") or ""
                if part == "a" and m.group("b"):
                    begin, end = m.start("a"), m.end("a")
                else:
                    begin, end = (m.start("b"), m.end()) if part == "b" else (m.start(), m.end())
                if (
                    ent is not None
                    and ent.type != "Country"
                    and (noun in _SPEAK_FOR or noun in _MEMBERS or (ent.type == "Group" and noun in _RULE))
                ):
                    # "White House officials" speak for the White House; "M23 rebels", "Taliban forces" are M23,
                    # the Taliban
                    self.add_entry(begin, end, ent.name, 65)
                    continue
                if ent is not None and ent.type == "Person":
                    continue
                if ent is not None and ent.type == "Country" and noun in ("government", "administration") and not mod:
                    self.add_entry(m.start(), m.end(), ent.name, 65)
                    continue
                if surface in lex.demonyms and noun in ("government", "administration") and not mod:
                    self.add_entry(m.start(), m.end(), lex.demonyms[surface], 65)
                    continue
                if ent is None and surface not in lex.demonyms:
                    continue
                name = f"{surface}{m.group('poss') or ''} {mod}{m.group('noun')}"
                country = self.country_of(surface)
                self.cands.append(
                    _Cand(
                        begin,
                        end,
                        _clean_surface(name),
                        typ,
                        # "Indian" of "Indian and Chinese soldiers" is said of the soldiers, not an alias of them
                        _clean_surface(name) if part == "a" and m.group("b") else self.text[begin:end],
                        60,
                        affiliation=country if country != name else None,
                    )
                )
        for m in self.pat.allies.finditer(self.text):
            hit = self.resolve_surface(m.group("c"))
            if not hit:
                continue
            ent = lex.entries[hit[0]]
            self.add(m.start("its"), m.end(), f"{ent.name} {m.group('noun')}", "Group", 60, affiliation=ent.name)
        for m in self.pat.leader_admin.finditer(self.text):
            people = lex.short_forms.get(m.group("who"), [])
            countries = {lex.entries[p].affiliation for p in people} - {None}
            if len(countries) == 1:
                country = countries.pop()
                if country in lex.entries and lex.entries[country].type == "Country":
                    self.add_entry(m.start("who"), m.end(), country, 75)

    def generic(self) -> None:
        text = self.text
        for m in self.pat.generic.finditer(text):
            b, e = m.start(), m.end()
            # the words before it in its sentence; looked for within _BEFORE characters only, so a text
            # without stops is not searched back to its start for every group noun
            lo = max(0, b - _BEFORE)
            cut = max(text.rfind(".", lo, b), text.rfind("\n", lo, b), text.rfind("!", lo, b), text.rfind("?", lo, b))
            before = text[cut + 1 : b].strip().lower() if cut >= 0 or lo == 0 else "\x00" + text[lo:b].strip().lower()
            after = text[e : e + 12].lstrip(" ,").lower()
            if (
                before in ("", "some", "many", "several", "but", "and", "however,", "other", "most")
                or before.endswith(("according to", "among", "amongst", "according to the"))
                or before.endswith(_CROWDS)
                or _SPEECH_AFTER.match(after)
            ):
                if text[b:e].lower().rsplit(" ", 1)[-1] in ("officials", "official"):
                    continue  # "local officials said": whose officials, the text does not say; no actor
                self.add(b, e, text[b:e].lower(), "Group", 20)

    def org_suffixes(self) -> None:
        for m in self.pat.org_suffix.finditer(self.text):
            org = m.group("org")
            words = org.split()
            while words and words[0] in ("The", "A", "An", "In", "On", "At", "And", "But", "While", "As", "For"):
                words = words[1:]
            if len(words) < 2:
                continue
            if words[0] in self.lex.demonyms and len(words) == 2:
                continue  # "Russian Army" is a group by demonym, handled elsewhere
            name = " ".join(words)
            begin = m.end("org") - len(name)
            end = m.end()
            if words[0] in ("Its", "Their") and not m.group("of"):
                # "Baku denied it. Its Defence Ministry said ...": the body of the country named just before
                country = self.country_before(begin)
                if country is not None:
                    self.add(begin, end, f"{country}'s {' '.join(words[1:])}", "Organization", 40, affiliation=country)
                continue
            own = _POSSESSOR.match(name)
            if own is not None and not m.group("of") and self.resolve_surface(name[own.end() :]) is not None:
                # "China's People's Liberation Army" is the People's Liberation Army
                known = self.resolve_surface(name[own.end() :])
                if known is not None and known[1] in ("name", "alias"):
                    self.add_entry(begin, end, known[0], 40)
                    continue
            of = m.group("of")
            if of:
                name = f"{name} of {of}"
            pair = _TWO_BODIES.fullmatch(name)
            if pair is not None and (
                pair.group("a").rsplit(" ", 1)[-1] in _BODY_LAST_WORDS or self.resolve_surface(pair.group("a"))
            ):
                # "the Balochistan Liberation Army and the Balochistan Liberation Front": two bodies
                for part in ("a", "b"):
                    one = pair.group(part)
                    self.add(begin + pair.start(part), begin + pair.end(part), one, _org_type(one), 40)
                continue
            self.add(begin, end, name, _org_type(name), 40)

    # --------------------------------------------------------------- resolve
    def resolve(self) -> list[_Cand]:
        """Drop candidates that cross a better one; keep countries nested in larger mentions.

        Kept candidates are indexed by the characters they cover, so each
        candidate is compared only with the kept ones it overlaps: the work is
        linear in the text, not quadratic in the number of candidates.
        """
        cands = sorted(self.cands, key=lambda c: (-(c.end - c.begin), -c.priority, c.begin))
        kept: list[_Cand] = []
        covering: dict[int, list[int]] = {}
        for c in cands:
            ok = True
            seen: set[int] = set()
            for pos in range(c.begin, c.end):
                for ki in covering.get(pos, ()):
                    if ki in seen:
                        continue
                    seen.add(ki)
                    WORK["actor comparisons"] += 1
                    k = kept[ki]
                    inside = c.begin >= k.begin and c.end <= k.end
                    if inside and (c.nested_ok or c.priority == 10) and c.key != k.key:
                        continue
                    if inside and c.priority == 10 and c.key == k.key:
                        continue
                    ok = False
                    break
                if not ok:
                    break
            if ok:
                for pos in range(c.begin, c.end):
                    covering.setdefault(pos, []).append(len(kept))
                kept.append(c)
        return sorted(kept, key=lambda c: (c.begin, -(c.end - c.begin)))


_SPEAK_FOR = frozenset(["officials", "official", "spokesperson"])
# what an armed movement rules or fights with is the movement: "Taliban administration", "Houthi forces"
_RULE = frozenset(["forces", "administration", "government", "authorities", "troops"])
# the members of an armed group or body, who stand for it: "M23 rebels", "Hamas fighters"
_MEMBERS = frozenset(
    ["rebels", "militants", "fighters", "insurgents", "gunmen", "militiamen", "guerrillas", "mercenaries", "members"]
)
_POSSESSOR = re.compile(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?['’]s\s+")
_DESCRIBED_BODY = re.compile(
    rf"(?<![\w-])(?P<adjs>(?:[a-z][\w-]*\s+){{0,2}})(?:firm|company|group|contractor|agency|outlet|broadcaster|"
    rf"airline|operator|conglomerate|giant|insurer|network|daily|newspaper)\s+(?P<name>{_NAMEWORD}(?:\s+{_NAMEWORD}){{0,3}})"
    rf"(?![\w-]|['’]s)"
)
_NAMED_PARTY = re.compile(r"\b[Tt]he\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+party\b")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "On",
        "In",
        "At",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
_TWO_BODIES = re.compile(r"(?P<a>.+?)\s+and\s+(?:the\s+)?(?P<b>[A-Z].+)")


#: Work done by the actor finder, by kind (for tests that hold it linear in the text's length).
WORK: Counter[str] = Counter()


_HONORIFIC_RE = re.compile(rf"^{_HONORIFIC}\s+")
_HONORIFIC_BEFORE = re.compile(rf"(?<![\w.-]){_HONORIFIC}\s+$")


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _short_matches(text: str, shorts: dict[str, str]) -> list[tuple[int, str]]:
    """Where the short forms occur as whole words (with an honorific before them, if any), without overlaps.

    The same matches as one regex alternation of the short forms would give,
    without compiling a new regex for every article.
    """
    found: list[tuple[int, int]] = []
    n = len(text)
    for short in shorts:
        i = text.find(short)
        while i != -1:
            j = i + len(short)
            before = text[i - 1] if i > 0 else ""
            after = text[j] if j < n else ""
            if not (before and (_word_char(before) or before in ".-")) and not (
                after and (_word_char(after) or after == "-")
            ):
                start = i
                h = _HONORIFIC_BEFORE.search(text, max(0, i - 12), i)
                if h is not None:
                    start = h.start()
                found.append((start, j))
            i = text.find(short, i + 1)
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, str]] = []
    last = -1
    for b, e in found:
        if b < last:
            continue
        out.append((b, text[b:e]))
        last = e
    return out


@functools.lru_cache(maxsize=1)
def _shorts_naming() -> dict[str, frozenset[str]]:
    """Each name with the short forms that may stand for it (``lex.short_forms`` turned round)."""
    out: dict[str, set[str]] = {}
    for s, names in lexicon().short_forms.items():
        for n in names:
            out.setdefault(n, set()).add(s)
    return {n: frozenset(v) for n, v in out.items()}


def _strip_initial_the(s: str) -> str:
    return s[4:] if s.startswith("the ") else s


def _entity_cands(f: _Finder, entities: Sequence[tuple[int, int, str]]) -> None:
    """People and organisations the parser's entity recogniser finds and no gazetteer or pattern names.

    A person needs two words ("Steffen Seibert"); an organisation a capital letter and no word that makes
    it a gathering rather than an actor ("Eastern Economic Forum" is attended, not met).
    """
    lex, text = f.lex, f.text
    venues = _venue_nouns()
    # names the article puts after "in", "near", "the town of" somewhere are places wherever they stand
    placed = {
        _clean_surface(text[b:e])
        for b, e, label in entities
        if label in ("PERSON", "ORG") and _PLACE_BEFORE.search(text, max(0, b - 12), b)
    }
    for b, e, label in entities:
        if label == "ORG" and text[e : e + 6] == " party" and not _word_char(text[e + 6 : e + 7] or " "):
            e += 6  # "the Congress party", "the Likud party": the party's name takes its noun
        surface = _clean_surface(text[b:e])
        if surface in placed:
            continue  # "in Majdal Shams" there, so "Majdal Shams is one of several Druze towns" is the town
        if surface.endswith(("'s", "’s")) or surface.split()[:1] in (["Its"], ["His"], ["Her"], ["Their"]):
            continue  # a possessive or a pronoun's organ: named better by the patterns
        if not surface or surface in lex.demonyms or f.resolve_surface(surface) is not None:
            continue
        if _PLACE_BEFORE.search(text, max(0, b - 12), b):
            continue  # "in Majdal Shams", "near Panjgur": a place the recogniser took for a name
        b = e - len(surface) if text[b:e].endswith(surface) else b
        words = surface.split()
        if _NOT_A_PERSON_BEFORE.search(text, max(0, b - 40), b):
            continue  # "the car carrier Galaxy Leader", "an operation code-named Marg Bar Sarmachar"
        kind = _kind_in_apposition(text, e)
        if label == "PERSON" and words and (words[-1] in _BODY_LAST_WORDS or kind):
            # "SITE Intelligence Group", "PLA Western Theatre Command"; "Jaish al-Adl, a Sunni militant group"
            label, kind = "ORG", kind or _org_type(surface)
        if label == "PERSON" and 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
            f.add(b, e, lex.person_keys.get(person_key(surface), surface), "Person", _NER_PERSON)
        elif (
            label == "ORG"
            and (len(words) > 1 or surface.isupper())
            and words[0][:1].isupper()
            and not set(words) & _GATHERINGS
            and words[-1].lower() not in venues
            and len(words) <= 8
        ):
            f.add(b, e, surface, kind or _org_type(surface), 18)


# the last word of a body's name, never of a person's
_BODY_LAST_WORDS = frozenset(
    [
        *_ORG_HEADS.split("|"),
        *("Command", "Office", "Group", "Carriers", "Lines", "Airlines", "Airways", "Shipping", "Holdings", "Media"),
        *("Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "Radio", "Television", "Forces", "Force", "Police", "Navy"),
    ]
)
# what a name cannot be a person after: a vessel's class, or a name given to an operation or thing
_NOT_A_PERSON_BEFORE = re.compile(
    r"\b(?:ship|vessel|tanker|freighter|carrier|warship|frigate|destroyer|boat|yacht|ferry|submarine|"
    r"code-?named|dubbed|christened)\s+\Z",
    re.IGNORECASE,
)
# ", a Sunni militant group", ", a shipping firm": what an apposition says a name is
_APPOS_KIND = re.compile(
    r",\s+(?:a|an)\s+(?P<adjs>(?:[\w'’-]+\s+){0,3}?)(?P<noun>group|militia|faction|movement|organi[sz]ation|"
    r"company|firm|conglomerate|carrier|airline|network|agency|outlet|insurgency)\b"
)
_ARMED_ADJS = frozenset(
    ["militant", "armed", "rebel", "separatist", "jihadist", "insurgent", "extremist", "paramilitary", "guerrilla"]
)
_ARMED_NAME = re.compile(r"\b(?:Liberation\s+(?:Army|Front)|Resistance|Mujahideen|Mujahedeen|Militias?)\b")


def _kind_in_apposition(text: str, end: int) -> str | None:
    """The actor type an apposition right after a name gives it: an armed group, or another body."""
    m = _APPOS_KIND.match(text, end)
    if m is None:
        return None
    noun = m.group("noun")
    if noun in ("militia", "faction", "insurgency") or set(m.group("adjs").lower().split()) & _ARMED_ADJS:
        return "Group"
    return "Organization"


def _org_type(name: str) -> str:
    """An armed movement is a group ("Balochistan Liberation Front", "Islamic Resistance in Iraq"); else a body."""
    return "Group" if _ARMED_NAME.search(name) else "Organization"


@functools.lru_cache(maxsize=1)
def _venue_nouns() -> frozenset[str]:
    return frozenset(r.get("noun").lower() for r in read_data("venues.tsv", ("noun",)))


_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|inside|outside|into|across|village of|town of)\s+(?:the\s+)?\Z")


# below a titled name (70) and a gazetteer entry (50), above the name-before-"said" pattern (22)
_NER_PERSON = 45
_APPOS_PERSON = 23
_GATHERINGS = frozenset(["Forum", "Summit", "Conference", "Congress", "Games", "Expo", "Festival", "Olympics"])


def find_actors(
    text: str,
    entities: Sequence[tuple[int, int, str]] = (),
    weak: frozenset[int] = frozenset(),
    weak_adj: frozenset[int] = frozenset(),
    crowds: Sequence[tuple[int, int, str, str | None, int]] = (),
) -> list[_ActorInfo]:
    """Actors of one text with their mentions, surface forms and attributes, in order of first mention.

    ``entities`` are the parser's named entities as (begin, end, label): people and organisations
    beyond the gazetteer. ``weak`` are the offsets where words begin that the parse shows to be no
    participant: a noun's modifier ("the Nairobi peace process") or a place ("fighting in Syria");
    ``weak_adj`` those of adjectives that qualify a place or a kind ("the Lebanese border", "a Russian law").
    ``crowds`` are unnamed groups the parse shows taking part in what is told, as (begin, end, name,
    country, priority): "killed civilians", "several thousand migrants were camped".
    """
    f = _Finder(text)
    f.gazetteer()
    f.titles()
    f.roles()
    f.groups()
    f.generic()
    f.org_suffixes()
    _entity_cands(f, entities)
    # "the Congress party", "the Likud party": a party named by its name and the noun (not the US Congress)
    for m in _NAMED_PARTY.finditer(text):
        f.add(m.start("name"), m.end(), f"{m.group('name')} party", "Organization", 41)
    # "security firm Ambrey", "energy group Total", "news agency Anadolu": a body its description names
    for m in _DESCRIBED_BODY.finditer(text):
        name = m.group("name")
        if f.resolve_surface(name) is not None or name.split()[0] in _NOT_NAMES:
            continue
        typ = "Group" if set(m.group("adjs").lower().split()) & _ARMED_ADJS else "Organization"
        f.add(m.start("name"), m.end("name"), name, typ, _NER_PERSON + 1)
    # "Celso Amorim, a special adviser to the president": an unknown full name with a title in apposition.
    for m in f.pat.name_appos.finditer(text):
        name = m.group("name")
        words = name.split()
        if words[0] in ("The", "A", "An", "But", "And", "In", "On") or words[-1] in _BODY_LAST_WORDS:
            continue
        if f.resolve_surface(name) is not None or f.pat.title_word.search(name):
            continue  # a known name, or a titled one ("Senior Colonel Long Shaohua"), found by the title
        pkey = f.lex.person_keys.get(person_key(name), _NICKNAME_RE.sub("", name))
        f.add(m.start(), m.end("name"), pkey, "Person", _APPOS_PERSON, role=_cap_title(m.group("title"), f.lex))
    for b, e, name, side, prio in crowds:
        f.add(b, e, name, "Group", prio, affiliation=side)
    first = f.resolve()
    lex = f.lex
    # People named in full make their short forms ("Kim", "Mr. Kim", "Putin") resolvable.
    persons = {c.key for c in first if c.type == "Person" and c.priority in (_APPOS_PERSON, *range(_NER_PERSON, 100))}
    shorts: dict[str, str] = {}
    shorts_naming = _shorts_naming()
    for p in sorted(persons):
        forms = set(lex.short_forms.get(p, []))
        forms.update(shorts_naming.get(p, ()))
        words = [w for w in _SPACES.split(p) if w[:1].isupper()]
        if p not in lex.entries and len(words) >= 2:
            forms.add(words[-1])
        if len(words) >= 2:
            forms.add(words[0])
        for s in forms:
            shorts[s] = shorts.get(s, p)
    later = _Finder(text)
    if shorts:
        for start, surface in _short_matches(text, shorts):
            bare = _HONORIFIC_RE.sub("", surface)
            key = shorts.get(bare)
            if key:
                later.cands.append(_Cand(start, start + len(surface), key, "Person", surface, 30))
    # Honorific + unknown name ("Mr. Okafor") is a person of its own.
    for m in f.pat.honorific.finditer(text):
        if m.group("name") not in shorts:
            later.cands.append(_Cand(m.start(), m.end(), m.group("name"), "Person", m.group(), 25))
    # "Ana Lopez said": an unknown full name before a verb of saying.
    for m in f.pat.name_said.finditer(text):
        name = m.group("name")
        if name.split()[0] in ("The", "A", "An", "But", "And", "In", "On", "He", "She", "They"):
            continue
        if name.rsplit(" ", 1)[-1] in _BODY_LAST_WORDS:
            later.cands.append(_Cand(m.start(), m.end(), name, _org_type(name), name, 22))  # "Western Command said"
            continue
        later.cands.append(_Cand(m.start(), m.end(), lex.person_keys.get(person_key(name), name), "Person", name, 22))
    f.cands = first + [c for c in later.cands]
    for c in f.cands:
        if c.key in lex.entries and c.wikidata is None and c.priority < 50:
            ent = lex.entries[c.key]
            c.type, c.wikidata, c.role, c.affiliation = ent.type, ent.wikidata, ent.role, ent.affiliation
    cands = f.resolve()
    infos: dict[str, _ActorInfo] = {}
    for c in cands:
        info = infos.get(c.key)
        if info is None:
            got = lex.entries.get(c.key)
            info = infos[c.key] = _ActorInfo(
                c.key,
                got.type if got else c.type,
                got.wikidata if got else c.wikidata,
                (got.role if got else None) or c.role,
                (got.affiliation if got else None) or c.affiliation,
            )
        info.mentions.append(Span(c.begin, c.end, text[c.begin : c.end]))
        info.surfaces.append(c.surface)
        if info.role is None and c.role:
            info.role = c.role
    _appositive_affiliations(text, infos, f)
    _appositive_roles(text, infos)
    _coreference(text, infos, f)
    _merge_armed_forces(infos, f)
    _merge_crowds(infos, lex)
    _drop_bystander_countries(text, infos, f, weak, weak_adj)
    return sorted(infos.values(), key=lambda i: min(s.begin for s in i.mentions))


_BEFORE = 120
# a country's armed forces by any of their names: "Thai troops", "Thailand's army", "the Thai military"
_ARMED_FORCES = re.compile(
    r"(?:['’]s)?\s+(?:border\s+|government\s+)?(?P<noun>army|military|armed forces|forces|troops|soldiers|servicemen)"
)
_ORGANISED = frozenset(["army", "military", "armed forces", "forces"])
_FORMALITY = {"army": 0, "military": 0, "armed forces": 0, "forces": 1}


def _armed_noun(name: str) -> str:
    m = _ARMED_FORCES.search(name)
    return m.group("noun") if m is not None else ""


# a known body that is a country's armed forces: "People's Liberation Army", "Sudanese Armed Forces"
_STATE_ARMY = re.compile(r"(?:\bArmy|Armed Forces|Defen[cs]e Forces?)$")


def _merge_crowds(infos: dict[str, _ActorInfo], lex: Lexicon) -> None:
    """Unnamed groups of one kind told of in one article are one group, unless they are of two sides.

    "militants" and "Pakistani-born militants" of a story about one insurgency, "civilians" and "trapped
    civilians": the first naming stays the name, the others are aliases. (Militants and insurgents, though
    often the same men, are kept apart: which armed men are whose, the allegation layer reads from them.)
    """
    first: dict[str, list[_ActorInfo]] = {}
    for info in sorted(infos.values(), key=lambda i: min(s.begin for s in i.mentions)):
        if info.type != "Group" or info.name in lex.entries:
            continue
        head = info.name.rsplit(" ", 1)[-1].lower()
        if head not in _PEOPLE and head not in _BODIES_OF_MANY:
            continue
        same = first.setdefault(head, [])
        into = next(
            (o for o in same if o.affiliation == info.affiliation or None in (o.affiliation, info.affiliation)), None
        )
        if into is None:
            same.append(info)
            continue
        into.mentions.extend(info.mentions)
        into.surfaces.extend([info.name, *info.surfaces])
        into.affiliation = into.affiliation or info.affiliation
        del infos[info.name]


def _merge_armed_forces(infos: dict[str, _ActorInfo], f: _Finder) -> None:
    """One country's army, military and forces are one actor, an organisation; its troops and soldiers one group.

    "Rwandan forces" and "Rwandan army" are the same armed forces, and a known army of the country
    ("People's Liberation Army" for "China's military") takes them; "Thai troops" and "Thai soldiers" are
    the same men. Security forces, border guards, peacekeepers and advisers are bodies or groups of their own.
    (The men are kept apart from the body: a side's statement about what its own troops did is told by
    the allegation layer from the body's words, and "Thai troops" there is the side's own.)
    """
    lex = f.lex
    by_country: dict[tuple[str, bool], list[_ActorInfo]] = {}
    for info in sorted(infos.values(), key=lambda i: min(s.begin for s in i.mentions)):
        side = info.affiliation
        if side is None or side not in lex.entries or lex.entries[side].type != "Country":
            continue
        ent = lex.entries.get(info.name)
        if ent is not None:
            if ent.type == "Organization" and _STATE_ARMY.search(info.name) and ent.affiliation == side:
                by_country.setdefault((side, True), []).insert(0, info)  # the known army leads
            continue
        m = _ARMED_FORCES.search(info.name)
        if m is None or m.end() != len(info.name) or info.type not in ("Group", "Organization"):
            continue
        if f.country_of(info.name[: m.start()].strip()) != side:
            continue
        by_country.setdefault((side, m.group("noun") in _ORGANISED), []).append(info)
    for members in by_country.values():
        if len(members) < 2 and not members[0].name.endswith(" forces"):
            continue
        if members[0].name not in lex.entries:
            # named for its most formal name: the army or military before forces, forces before troops
            members.sort(key=lambda i: _FORMALITY.get(_armed_noun(i.name), 9))
        lead = members[0]
        organised = lead.name in lex.entries or any(
            (m := _ARMED_FORCES.search(i.name)) is not None and m.group("noun") in _ORGANISED for i in members
        )
        for other in members[1:]:
            lead.mentions.extend(other.mentions)
            lead.surfaces.extend([other.name, *other.surfaces])
            del infos[other.name]
        if organised and "security forces" not in lead.name:
            lead.type = "Organization"


# what a country's possessive may name without the country acting: "Yemen's capital", "Lebanon's south"
_GEO_NOUNS = frozenset(
    [
        "capital",
        "coast",
        "coastline",
        "shore",
        "shores",
        "territory",
        "territories",
        "border",
        "borders",
        "airspace",
        "waters",
        "soil",
        "north",
        "south",
        "east",
        "west",
        "centre",
        "center",
        "interior",
        "frontier",
        "province",
        "provinces",
        "region",
        "regions",
        "city",
        "cities",
        "port",
        "ports",
    ]
)


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens its sentence or paragraph."""
    rest = text[max(0, at - 3) : at].rstrip(" \"“‘'")
    return not rest or rest[-1] in ".!?\n"


# how far before a mention a mention holding it may begin ("White House national security spokesman John Kirby")
_HOLD_REACH = 200


def _drop_bystander_countries(
    text: str, infos: dict[str, _ActorInfo], f: _Finder, weak: frozenset[int], weak_adj: frozenset[int]
) -> None:
    """Countries named only in passing are no actors: each mention modifies another actor or is a place.

    "French President Emmanuel Macron" makes Macron an actor, not France; "the Nairobi peace process",
    "seafarers from Bulgaria", "fighting in southern Syria" and "Yemen's capital" name no one who acts.
    A country is kept when any one of its mentions stands on its own.
    """
    spans = sorted((s.begin, s.end, i.name) for i in infos.values() for s in i.mentions)
    starts = sorted({b for b, _, _ in spans})
    lex = f.lex
    for key in list(infos):
        info = infos[key]
        if info.type != "Country" or key not in lex.entries:
            continue
        if all(_bystander(text, s, info.name, spans, starts, lex, weak, weak_adj, infos) for s in info.mentions):
            del infos[key]


def _bystander(
    text: str,
    s: Span,
    name: str,
    spans: list[tuple[int, int, str]],
    starts: list[int],
    lex: Lexicon,
    weak: frozenset[int],
    weak_adj: frozenset[int],
    infos: dict[str, _ActorInfo],
) -> bool:
    # the mentions that may hold this one begin at most _HOLD_REACH before it (spans are sorted)
    lo = bisect.bisect_left(spans, (s.begin - _HOLD_REACH,))
    hi = bisect.bisect_right(spans, (s.begin, len(text) + 1))
    WORK["actor comparisons"] += hi - lo
    for b, e, n in spans[lo:hi]:
        if n != name and b <= s.begin and s.end <= e and (e - b) > (s.end - s.begin):
            # inside another actor's mention: "German Chancellor Angela Merkel", "U.S. Southern Command";
            # but a body the country's name makes ("Polish officials", "Russian peacekeepers") is its own
            own = infos.get(n)
            if (
                own is None
                or own.type == "Person"
                or own.affiliation != name
                or n in lex.entries
                or n.rsplit(" ", 1)[-1].lower() in _PREMISES  # "Taiwan's embassy" is raided, not Taiwan
            ):
                return True
    last = s.text.rfind(" ") + 1 + s.begin if " " in s.text else s.begin
    hit = lex.surfaces.get(s.text)
    if hit is not None and hit[1] == "demonym":
        # an adjective of a place or of another actor ("the Lebanese border", "a South African contractor"),
        # or a word of a longer name ("Bosnian Serb", "Latin American"); not one of a thing that acts
        # ("British warplanes", "South Korean intelligence")
        before = text[max(0, s.begin - 30) : s.begin].rstrip(" ").rsplit(" ", 1)[-1]
        after = text[s.end : s.end + 30].lstrip(" ").split(" ", 1)[0]
        return (
            s.begin in weak_adj
            or last in weak_adj
            or before.lower() == "ethnic"
            or (
                text[s.begin - 1 : s.begin] == " "
                and before[:1].isupper()
                and before[-1:].isalpha()
                and _DETERMINERS.match(before + " ") is None
                and _opens_sentence(text, s.begin - 1 - len(before)) is False
            )
            or (text[s.end : s.end + 1] == " " and after[:1].isupper() and after.lower() != "and")
        )
    if s.begin in weak or last in weak:
        return True
    after = text[s.end : s.end + 3]
    if after[:2] in ("'s", "’s"):
        head = text[s.end + 3 : s.end + 40].split(" ", 1)[0].strip(",.;:").lower()
        if head in _GEO_NOUNS:
            return True
        k = bisect.bisect_left(starts, s.end + 3)
        # "Yemen's Houthi movement": the movement acts (but "Russia's delegation" is Russia's own)
        return k < len(starts) and starts[k] == s.end + 3 and text[s.end + 3 : s.end + 4].isupper()
    return False


# "thousands of protesters", "hundreds of residents": a crowd counted is a group as well
_CROWDS = ("thousands of", "hundreds of", "dozens of", "scores of")


def _appositive_affiliations(text: str, infos: dict[str, _ActorInfo], f: _Finder) -> None:
    """Whom a person speaks for, from a title in apposition to a mention of the person.

    "Long Shaohua, a spokesman for the PLA's Western Theatre Command, said": the PLA; "Mohammed Afif,
    Hezbollah's chief spokesman": Hezbollah. Only for people the mention itself gives no side.
    """
    for info in infos.values():
        if info.type != "Person" or info.affiliation:
            continue
        for span in sorted(info.mentions, key=lambda s: s.begin):
            m = f.pat.appos_title.match(text, span.end)
            side = f.speaks_for(m.group("q") or m.group("p")) if m is not None else None
            if side is not None and side != info.name:
                info.affiliation = side
                break


def _appositive_roles(text: str, infos: dict[str, _ActorInfo]) -> None:
    """A role in apposition to a named person is that person: "Rosa Ibarra, Chile's envoy to the OAS"."""
    role_only: dict[int, _ActorInfo] = {}
    for info in infos.values():
        if info.type == "Person" and info.role and info.name == info.role:
            for s in info.mentions:
                role_only[s.begin] = info
    if not role_only:
        return
    for info in list(infos.values()):
        if info.type != "Person" or info.name == info.role or info.name not in infos:
            continue
        for span in list(info.mentions):
            m = _APPOS_COMMA.match(text, span.end)
            other = role_only.get(m.end()) if m is not None else None
            if other is None or other.name not in infos or other is info:
                continue
            info.mentions.extend(other.mentions)
            info.surfaces.extend(other.surfaces)
            if not info.role or " of " not in info.role:
                info.role = other.role or info.role
            info.affiliation = info.affiliation or other.affiliation
            del infos[other.name]
    # and before it: "Iran's ambassador to Syria, Hossein Akbari"
    named_at: dict[int, _ActorInfo] = {}
    for info in infos.values():
        if info.type == "Person" and info.name != info.role:
            for s in info.mentions:
                named_at[s.begin] = info
    for other in list(infos.values()):
        if other.type != "Person" or other.name != other.role or other.name not in infos:
            continue
        for span in other.mentions:
            m = _ROLE_THEN_NAME.match(text, span.end)
            target = named_at.get(m.end()) if m is not None else None
            if target is None or target.name not in infos:
                continue
            target.mentions.extend(other.mentions)
            target.surfaces.extend(other.surfaces)
            if not target.role or " of " not in target.role:
                target.role = other.role or target.role
            target.affiliation = target.affiliation or other.affiliation
            del infos[other.name]
            break


_APPOS_COMMA = re.compile(r",\s+(?:the\s+)?")
_ROLE_THEN_NAME = re.compile(r"(?:\s+(?:to|in|at|for)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4})?,\s+")
_GROUP_NOUNS = frozenset(["group", "movement", "militia", "organisation", "organization", "rebels", "militants"])


def _coreference(text: str, infos: dict[str, _ActorInfo], f: _Finder) -> None:
    """Definite descriptions ("the delegation", "the Russian President") point to an earlier actor."""
    taken = bytearray(len(text) + 1)
    for i in infos.values():
        for s in i.mentions:
            taken[s.begin : s.end] = b"\x01" * (s.end - s.begin)

    def free(b: int, e: int) -> bool:
        return not any(taken[b:e])

    # Role-only people that match a named person ("the Russian President" -> Putin).
    for key in list(infos):
        info = infos[key]
        if info.type != "Person" or " of " not in key or key in f.lex.entries:
            continue
        title, _, country = key.partition(" of ")
        match = [
            i
            for i in infos.values()
            if i is not info
            and i.type == "Person"
            and i.affiliation == country
            and (i.role or "").lower().split(" of ")[0] == title.lower()
        ]
        if len(match) == 1:
            target = match[0]
            target.mentions.extend(info.mentions)
            target.surfaces.extend(info.surfaces)
            del infos[key]
    order = sorted(((s.begin, i) for i in infos.values() for s in i.mentions), key=lambda x: x[0])
    bodies_of: dict[str, list[tuple[int, _ActorInfo]]] = {}
    for m in f.pat.dem_coref.finditer(text):
        b, e = m.start(), m.end()
        side = f.lex.demonyms.get(m.group("dem"))
        if side is None or not free(m.start("noun"), e):
            continue
        if not free(b, m.start("dem")) or not free(m.end("dem"), e):
            continue  # (the adjective itself is the country's mention, and may be taken)
        if side not in bodies_of:
            bodies_of[side] = [
                (pos, info)
                for pos, info in order
                if info.type in ("Organization", "Group") and info.affiliation == side
            ]
            WORK["coreference lookups"] += len(order)
        bodies = bodies_of[side]
        k = bisect.bisect_left(bodies, b, key=lambda x: x[0]) - 1
        if k >= 0:
            best = bodies[k][1]
            best.mentions.append(Span(b, e, text[b:e]))
            best.surfaces.append(text[b:e])
            taken[b:e] = b"\x01" * (e - b)
    # for each noun a definite description can end in, where the actors it may point to are mentioned
    by_noun: dict[str, tuple[list[int], list[_ActorInfo]]] = {}
    for m in f.pat.coref.finditer(text):
        b, e = m.start(), m.end()
        WORK["coreference lookups"] += 1
        if not free(b, e):
            continue
        noun = m.group("noun").lower()
        if noun not in by_noun:
            fits = [
                (pos, info)
                for pos, info in order
                if info.type != "Country"
                and (
                    info.name.lower().endswith(noun)
                    or info.name.lower().split(" of ")[0].endswith(noun)
                    or (info.role or "").lower().split(" of ")[0].endswith(noun)
                )
            ]
            if not fits and noun in _GROUP_NOUNS:
                # "the group", "the movement": the latest known armed group or organisation
                fits = [
                    (pos, info)
                    for pos, info in order
                    if info.type in ("Organization", "Group") and info.name in f.lex.entries
                ]
            WORK["coreference lookups"] += len(order)
            by_noun[noun] = ([p for p, _ in fits], [i for _, i in fits])
        positions, infos_at = by_noun[noun]
        k = bisect.bisect_left(positions, b) - 1
        if k >= 0:
            best = infos_at[k]
            best.mentions.append(Span(b, e, text[b:e]))
            best.surfaces.append(text[b:e])
            taken[b:e] = b"\x01" * (e - b)


# prepositions after which a country is a place: "fighting in Syria", "the border near Iraq"
# (not "toward": "fired missiles toward X" aims at X)
_PLACE_PREPS = frozenset(
    [
        "in",
        "into",
        "inside",
        "near",
        "across",
        "within",
        "throughout",
        "around",
        "outside",
        "via",
        "through",
    ]
)
_PREMISES = frozenset(["embassy", "embassies", "consulate", "consulates", "mission", "missions"])
_WARS = frozenset(["war", "conflict", "invasion", "fighting", "offensive"])
# verbs of going, after which "to" and "from" make a country the place gone to or come from
_MOTION = frozenset(
    [
        "come",
        "go",
        "head",
        "travel",
        "fly",
        "sail",
        "return",
        "move",
        "flee",
        "deport",
        "arrive",
        "reach",
        "operate",
        "drive",
        "walk",
        "run",
        "cross",
        "escape",
        "migrate",
        "relocate",
        "transfer",
    ]
)


def _first_conjunct(tok: Any) -> Any:
    """The first word of the coordination ``tok`` is in (itself when it is in none)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _no_participant(tok: Any) -> bool:
    """Whether a proper noun is, by the parse, a noun's modifier or a place rather than a participant."""
    tok = _first_conjunct(tok)  # "the Nairobi and Luanda peace processes", "from Syria and Iraq"
    if (
        tok.dep_ in ("compound", "nmod")
        and tok.head.pos_ == "NOUN"
        and tok.head.i > tok.i
        and any(c.dep_ in ("det", "poss") and c.i < tok.i for c in tok.head.children)
    ):
        return True  # "the Nairobi peace process" (but not "sending Peru tanks", a parse of Peru as a modifier)
    if tok.dep_ == "pobj":
        prep = tok.head
        word = prep.lower_
        if word in _PLACE_PREPS:
            # "the war in Ukraine" is Ukraine's war, not only a place
            return not (word == "in" and prep.head.lemma_.lower() in _WARS)
        if word in ("to", "from") and prep.head.lemma_ in _MOTION:
            return True
        if word == "of" and prep.head.lower_ == "way":  # "by way of Panama"
            return True
    return False


# nouns a country's adjective may qualify without the country acting: its places, the bodies and people
# of its own that act for themselves ("a South African contractor", "the Lebanese group"), kinds of thing
_QUALIFIED = _GEO_NOUNS | frozenset(
    [
        "group",
        "company",
        "firm",
        "contractor",
        "carrier",
        "airline",
        "movement",
        "militia",
        "outlet",
        "newspaper",
        "broadcaster",
        "law",
        "rule",
        "style",
        "flag",
        "citizenship",
        "nationality",
        "descent",
        "origin",
    ]
)


def _qualifies_no_actor(tok: Any) -> bool:
    """Whether an adjective qualifies a place, another actor or a kind, or is predicated ("Russian in spirit")."""
    tok = _first_conjunct(tok)  # "U.S. and British warplanes": what the first adjective qualifies
    if tok.dep_ in ("acomp", "oprd"):
        return True
    return tok.dep_ in ("amod", "compound", "nmod") and tok.head.lemma_.lower() in _QUALIFIED


# people who take part in conflict news without a name, counted or not: "killed civilians", "the suspects"
_PEOPLE = frozenset(
    [
        "civilians",
        "militants",
        "migrants",
        "refugees",
        "villagers",
        "gunmen",
        "suspects",
        "deportees",
        "detainees",
        "prisoners",
        "hostages",
        "seafarers",
        "sailors",
        "fishermen",
        "children",
        "students",
        "protesters",
        "demonstrators",
        "insurgents",
        "fighters",
        "attackers",
        "settlers",
        "pilgrims",
        "workers",
        "peacekeepers",
        "smugglers",
        "mercenaries",
        "separatists",
        "jihadists",
        "extremists",
        "terrorists",
    ]
)
# bodies counted in the plural, an actor only when the words before say which: "opposition groups",
# "Western governments", "EU foreign ministers", "UAE-based companies", "Caribbean leaders"
_BODIES_OF_MANY = frozenset(
    [
        *("groups", "parties", "companies", "firms", "governments", "leaders", "ministers", "states", "lawmakers"),
        *("carmakers", "tourists", "hackers", "associations", "mayors", "chiefs", "officers", "personnel"),
    ]
)
_QUANTITIES = frozenset(["several", "many", "other", "some", "more", "few", "most", "all", "both", "various"])
# the words that count or gather people: "a group of militants", "thousands of migrants"
_GATHERS = frozenset(["group", "crowd", "band", "thousands", "hundreds", "dozens", "scores", "number", "convoy"])


def _crowds(sent: Any) -> list[tuple[int, int, str, str | None, int]]:
    """Unnamed groups that act or are acted on: the subject or object of a verb, or counted by a noun.

    The name is the plural with the words that say whose they are ("Colombian deportees", "Pazigyi
    villagers"); counts and articles are left out. Speakers are not taken ("residents said").
    """
    lex = lexicon()
    out: list[tuple[int, int, str, str | None, int]] = []
    for t in sent.tokens:
        if t.tag_ not in ("NNS", "NNPS") or (t.lower_ not in _PEOPLE and t.lower_ not in _BODIES_OF_MANY):
            continue
        dep, head = t.dep_, t.head
        while dep == "conj" and head is not t:
            dep, head = head.dep_, head.head
        if dep in ("nsubj", "nsubjpass"):
            if head.pos_ == "VERB" and (head.lemma_ in _SPEECH_LEMMAS):
                continue
            if dep == "nsubj" and not any(c.dep_ in ("dobj", "prep", "agent") for c in head.children):
                continue  # "the protesters had gone home": doing nothing to anyone
        elif dep == "pobj":
            if head.lower_ not in ("on", "against", "at", "among", "by", "with", "of", "for"):
                continue
            if head.lower_ == "of" and head.head.lower_ not in _GATHERS:
                continue
        elif dep not in ("dobj", "appos", "attr"):
            continue
        if any(c.dep_ == "poss" for c in t.children):
            continue  # "its fighters", "Hamas's fighters": the body's own, named by it
        left = [c for c in t.children if c.i < t.i and c.dep_ != "det"]
        mods = [
            c
            for c in left
            if c.dep_ in ("amod", "compound", "nmod") and c.lower_ not in _QUANTITIES and c.pos_ != "NUM"
        ]
        if t.lower_ in _BODIES_OF_MANY and not mods:
            continue  # "groups", "governments": which, the words before must say ("opposition groups")
        first = min([t.i, *(c.left_edge.i for c in mods)])
        # the mention takes the count too ("25 seafarers", "several thousand migrants"); the name does not
        start = min([first, *(c.left_edge.i for c in left if c.dep_ in ("nummod", "amod", "quantmod"))])
        words = [w for w in sent.tokens[first - sent.tokens.start : t.i - sent.tokens.start + 1]]
        if any(w.pos_ in ("ADP", "PUNCT", "CCONJ") and w.text != "-" for w in words):
            words = [w for w in words if w.i == t.i or w in mods]
        texts = [w.text for w in words]
        if words[0].i == sent.tokens.start and words[0].pos_ != "PROPN" and words[0].text not in lex.demonyms:
            texts[0] = texts[0].lower()  # "Opposition lawmakers said": the capital is the sentence's
        name = " ".join(texts).replace(" - ", "-")
        side = next((lex.demonyms[w.text] for w in words if w.text in lex.demonyms), None)
        begin = sent.begin_of(sent.tokens[start - sent.tokens.start])
        out.append((begin, sent.end_of(t), name, side, 19))
        if name != t.text:
            out.append((sent.begin_of(t), sent.end_of(t), name, side, 10))  # the bare plural is an alias of it
    return out


_SPEECH_LEMMAS = frozenset(["say", "tell", "report", "claim", "confirm", "describe", "add", "recount", "note"])


def _is_bare_title(role: str) -> bool:
    lex = lexicon()
    return role.lower() in lex.titles or role.lower() in {t.lower() for t in lex.titles.values()}


class ActorExtractor:
    """Actors of the article with aliases, roles, affiliations and every mention."""

    name = "actors"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Add the article's actors."""
        actors = []
        entities: list[tuple[int, int, str]] = []
        weak: set[int] = set()
        weak_adj: set[int] = set()
        crowds: list[tuple[int, int, str, str | None, int]] = []
        if found.parse is not None:
            for sent in found.parse.sentences:
                for ent in sent.tokens.ents:
                    entities.append((sent.begin_of(ent[0]), sent.end_of(ent[-1]), ent.label_))
                weak.update(sent.begin_of(t) for t in sent.tokens if _no_participant(t))
                weak_adj.update(sent.begin_of(t) for t in sent.tokens if _qualifies_no_actor(t))
                crowds.extend(_crowds(sent))
        for info in find_actors(article.text, entities, frozenset(weak), frozenset(weak_adj), crowds):
            aliases: list[str] = []
            for s in info.surfaces:
                s = _SPACES.sub(" ", s).strip()
                if s and s != info.name and s not in aliases:
                    aliases.append(s)
            role = info.role
            # (only a bare title: "National Security Council spokesman" says whose already)
            of = info.affiliation if info.type == "Person" and role and _is_bare_title(role) else None
            if role and of and " of " not in role and " for " not in role:
                role = f"{role} of {of}"  # "Foreign Minister" of Chile: "Foreign Minister of Chile"
            actors.append(
                Actor(
                    name=info.name,
                    type=info.type,
                    aliases=tuple(aliases),
                    wikidata=info.wikidata if info.type == "Country" or info.wikidata else None,
                    role=role,
                    affiliation=info.affiliation if info.affiliation != info.name else None,
                    mentions=tuple(sorted(set(info.mentions), key=lambda s: (s.begin, s.end))),
                )
            )
        return dataclasses.replace(found, actors=found.actors + tuple(actors))
