"""Time expressions normalised against the article's date, at the precision the text gives.

"Monday" -> YYYY-MM-DD (the last such day on or before the article date, or the
next one after "next"); "this month" / "last month" / "in March" -> YYYY-MM;
"in 2023" / "last year" -> YYYY; "March 3, 2024", "3 March", "06.19.24" ->
YYYY-MM-DD. Anything not understood stays unknown (None). Pure and cheap: one
compiled regex, no date-parsing library per sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

from kg.model import Article, Extraction
from kg.text import MONTHS

_MONTHS = MONTHS
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# The alternatives of TIMEX, each with what a sentence must contain for it to match anywhere:
# "d" a digit, "m" a month name, "w" a weekday, "u" week/month/year, "t" today/yesterday/tomorrow.
_BRANCHES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (pattern, frozenset(needs))
    for pattern, needs in (
        (rf"(?P<mdy>{_MONTH_RE}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?)\b", "dm"),
        (
            rf"\b(?P<dmy>(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})(?:,?\s+(?P<y2>\d{{4}}))?)\b",
            "dm",
        ),
        (r"\b(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b", "d"),
        (r"\b(?P<dots>(?P<dm>\d{2})\.(?P<dd>\d{2})\.(?P<dy>\d{2}))\b", "d"),
        (
            rf"\b(?P<my>(?:(?:in|early|late|mid|since|by|until)[-\s]+)?(?P<m3>{_MONTH_RE})(?:\s+(?P<y3>\d{{4}}))?)\b",
            "m",
        ),
        (rf"\b(?P<wd>(?:(?P<wrel>last|next|this|on|past|coming)\s+)?(?P<wday>{_WEEKDAY_RE}))\b", "w"),
        (
            r"\b(?P<rel>(?P<rw>this|last|next|past|earlier this|later this|early this|late last|earlier last)\s+"
            r"(?P<unit>week|month|year))\b",
            "u",
        ),
        (r"\b(?P<day>today|yesterday|tomorrow)\b", "t"),
        (r"\b(?P<year>(?:in|since|by|during|until|of)\s+(?P<yy>(?:19|20)\d{2}))\b", "d"),
    )
)
TIMEX = re.compile("|".join(p for p, _ in _BRANCHES), re.IGNORECASE)
_GROUPS = tuple(TIMEX.groupindex)
_NO_GROUPS = dict.fromkeys(_GROUPS)

_DIGIT_OR_DATE_WORD = re.compile(
    r"\d|day\b|week|month|year|today|tomorrow|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _features(text: str) -> frozenset[str]:
    """What an ASCII ``text`` contains of what the TIMEX alternatives need (see ``_BRANCHES``)."""
    low = text.lower()
    out = set()
    if _DIGIT.search(text):
        out.add("d")
    if any(p in low for p in _MONTH_PREFIXES):
        out.add("m")
    if "day" in low:
        if any(w in low for w in _WEEKDAY_WORDS):
            out.add("w")
        if "today" in low or "yesterday" in low:
            out.add("t")
    if "tomorrow" in low:
        out.add("t")
    if "week" in low or "month" in low or "year" in low:
        out.add("u")
    return frozenset(out)


_PRUNED: dict[frozenset[str], re.Pattern[str] | None] = {}


def _timex_for(features: frozenset[str]) -> re.Pattern[str] | None:
    """TIMEX without the alternatives that cannot match a text with only these features.

    An alternative that matches nowhere in the text never wins at any position,
    so dropping it leaves every match the same; the scan gets cheaper.
    """
    try:
        return _PRUNED[features]
    except KeyError:
        kept = [p for p, needs in _BRANCHES if needs <= features]
        pat = re.compile("|".join(kept), re.IGNORECASE) if kept else None
        _PRUNED[features] = pat
        return pat


_MONTH_PREP = re.compile(r"(?i)in|early|late|mid|since|by|until")


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month_shift(d: dt.date, months: int) -> str:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return f"{y:04d}-{m + 1:02d}"


def _day(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _nearest_year(ref: dt.date, month: int) -> int:
    """The year that puts ``month`` within six months of the article date."""
    if month - ref.month > 6:
        return ref.year - 1
    if ref.month - month > 6:
        return ref.year + 1
    return ref.year


def _month_num(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def normalise(match: re.Match[str], ref: dt.date | None) -> str | None:
    """The value of one TIMEX match: YYYY-MM-DD, YYYY-MM or YYYY; None when the article date is needed but unknown."""
    g = match.groupdict()
    if len(g) != len(_GROUPS):
        # a match of a pruned TIMEX: the groups of the dropped alternatives did not take part
        g = {**_NO_GROUPS, **g}
    if g["iso"]:
        return _day(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["dots"]:
        return _day(2000 + int(g["dy"]), int(g["dm"]), int(g["dd"]))
    if g["mdy"] or g["dmy"]:
        month = _month_num(g["mdy"].split()[0] if g["mdy"] else g["m2"])
        day = int(g["d1"] or g["d2"])
        year_s = g["y1"] or g["y2"]
        if month is None:
            return None
        if year_s:
            return _day(int(year_s), month, day)
        if ref is None:
            return None
        return _day(_nearest_year(ref, month), month, day)
    if g["my"]:
        word = g["m3"]
        # "May" alone is too often the verb; ask for a year or a preposition.
        if word.lower() == "may" and not g["y3"] and not _MONTH_PREP.match(g["my"]):
            return None
        month = _month_num(word)
        if month is None:
            return None
        if g["y3"]:
            return f"{int(g['y3']):04d}-{month:02d}"
        if ref is None:
            return None
        return f"{_nearest_year(ref, month):04d}-{month:02d}"
    if ref is None:
        return None
    if g["wd"]:
        target = _WEEKDAYS[g["wday"].lower()]
        rel = (g["wrel"] or "").lower()
        if rel in ("next", "coming"):
            delta = (target - ref.weekday()) % 7 or 7
            return (ref + dt.timedelta(days=delta)).isoformat()
        delta = (ref.weekday() - target) % 7
        if rel in ("last", "past") and delta == 0:
            delta = 7
        return (ref - dt.timedelta(days=delta)).isoformat()
    if g["rel"]:
        rw, unit = g["rw"].lower(), g["unit"].lower()
        step = -1 if rw in ("last", "past", "late last", "earlier last") else 1 if rw == "next" else 0
        if unit == "year":
            return f"{ref.year + step:04d}"
        if unit == "month":
            return _month_shift(ref, step)
        # a week is not a calendar unit we can write: give its month when the week lies in one month
        start = ref + dt.timedelta(days=7 * step - ref.weekday())
        end = start + dt.timedelta(days=6)
        return f"{start.year:04d}-{start.month:02d}" if (start.year, start.month) == (end.year, end.month) else None
    if g["day"]:
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[g["day"].lower()]
        return (ref + dt.timedelta(days=offset)).isoformat()
    if g["year"]:
        return g["yy"]
    return None


def find_dates(text: str, article_date: str | None) -> list[tuple[int, int, str]]:
    """Every time expression in ``text`` with its normalised value: (begin, end, value)."""
    return list(_find_dates(text, article_date))


@functools.lru_cache(maxsize=2048)
def _find_dates(text: str, article_date: str | None) -> tuple[tuple[int, int, str], ...]:
    if text.isascii():
        # In ASCII text the case-insensitive words are plain substrings of the lower-cased text.
        pattern = _timex_for(_features(text))
        if pattern is None:
            return ()
    elif _DIGIT_OR_DATE_WORD.search(text):
        pattern = TIMEX
    else:
        return ()
    ref = _parse_date(article_date)
    out = []
    for m in pattern.finditer(text):
        value = normalise(m, ref)
        if value:
            out.append((m.start(), m.end(), value))
    return tuple(out)


def date_of(text: str, article_date: str | None) -> str | None:
    """The first normalisable time expression in ``text``, or None."""
    found = find_dates(text, article_date)
    return found[0][2] if found else None


class TimeExtractor:
    """Dates events from the time expressions of their own sentence."""

    name = "time"

    def __call__(self, article: Article, found: Extraction) -> Extraction:
        """Set each undated event's date from its evidence sentence."""
        events = []
        for ev in found.events:
            if ev.date is None:
                value = date_of(ev.evidence.text, article.date)
                if value:
                    ev = dataclasses.replace(ev, date=value)
            events.append(ev)
        return dataclasses.replace(found, events=tuple(events))
