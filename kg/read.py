"""Reading articles: the only module that touches input files and URLs.

Plain text and Markdown (with a ``date YYYY-MM-DD`` prefix or a headline and a
date line, section headings, epigraphs and a trailing "Referenced Articles:"
list), HTML (through trafilatura, which strips navigation, scripts and
footers), JSONL (one article per line) and ``http(s)://`` URLs.

:func:`read_inputs` never raises for one bad article: it yields a
:class:`Problem` naming the file, the line where there is one, and the reason,
and goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.feeds import FEED_SUFFIXES, FEED_TYPES, XML_TYPES, IsFeed, is_feed_response, looks_like_feed, read_feed
from kg.model import Article, Span
from kg.text import MONTHS
from kg.vocab import slug

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

MAX_BYTES = 20 * 1024 * 1024  # one input file or download
URL_TIMEOUT = (5.0, 30.0)  # connect, read seconds
URL_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (or read with a warning), and why."""

    source: str
    reason: str
    line: int | None = None
    skipped: bool = True

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


# --------------------------------------------------------------------------- text


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def decode(data: bytes, source: str) -> str:
    """Bytes to clean text: BOM and UTF-8 first, else the best detected charset.

    CRLF and CR become LF; zero-width and control characters (but tab and
    newline) are dropped, so every later offset counts visible text.
    """
    if not data.strip():
        raise InputError(source, "empty input")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "binary data, not text (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _detect(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ZERO_WIDTH_RE.search(text):  # str.translate visits every character: only when there is one to drop
        text = text.translate(_ZERO_WIDTH)
    bad = len(_CONTROL.findall(text))
    if bad > max(8, len(text) // 20):
        raise InputError(source, f"binary data, not text ({bad} control characters)")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def _detect(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return data.decode("latin-1")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        log.debug("%s: detected %s failed; reading as Latin-1", source, best.encoding)
        return data.decode("latin-1")


_DATE_PREFIX = re.compile(r"^\s*date[:\s]+(\d{4}-\d{1,2}-\d{1,2})\b[ \t]*", re.IGNORECASE)
_TIME = r"(?:[,\s]+\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?"
_DATE_LINE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+Z-]*)?\s*$"), "ymd"),
    (re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})" + _TIME + r"\s*$"), "mdy"),
    (re.compile(r"^\s*(?:[A-Za-z]+,\s*)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + r"\s*$"), "Mdy"),
    (re.compile(r"^\s*(?:[A-Za-z]+,\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})" + _TIME + r"\s*$"), "dMy"),
]


def parse_date_line(line: str) -> str | None:
    """An ISO date from a dateline such as ``06.19.24 11:03 AM`` or ``June 19, 2024``.

    Returns None when the line is not a date line, and raises ValueError for a
    date line whose date does not exist (``02.30.24``).
    """
    for pattern, order in _DATE_LINE_PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        a, b, c = m.groups()
        if order == "ymd":
            y, mo, d = int(a), int(b), int(c)
        elif order == "mdy":
            mo, d, y = int(a), int(b), int(c)
            y = y + 2000 if y < 100 else y
        elif order == "Mdy":
            if a.lower() not in MONTHS:
                continue
            mo, d, y = MONTHS[a.lower()], int(b), int(c)
        else:
            if b.lower() not in MONTHS:
                continue
            d, mo, y = int(a), MONTHS[b.lower()], int(c)
        return dt.date(y, mo, d).isoformat()
    return None


def _iso_date(value: str, source: str, line: int | None) -> str:
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        try:
            parsed = parse_date_line(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise InputError(source, f"impossible or unreadable date {value!r}", line) from None
        return parsed


_HEADING_END = re.compile(r"[.!?:;,\"'”’)]$")
_REFS = re.compile(r"^\s*(?:referenced articles|references|sources|related articles)\s*:\s*", re.IGNORECASE)


def _is_heading(par: str) -> bool:
    """A one-line paragraph of a few words with no closing punctuation."""
    return "\n" not in par and len(par) <= 100 and len(par.split()) <= 12 and not _HEADING_END.search(par)


def _is_verse(par: str) -> bool:
    """Two or more short lines kept apart by single line breaks, not ending sentences: a poem."""
    lines = [ln.strip() for ln in par.split("\n") if ln.strip()]
    ends = sum(ln.endswith((".", "!", "?")) for ln in lines)
    return len(lines) >= 2 and all(len(ln) <= 60 for ln in lines) and ends <= max(1, len(lines) // 3)


def _split_citations(text: str) -> tuple[str, ...]:
    items = [c.strip(" -*•\t") for c in re.split(r"\n|;|\s\|\s", text)]
    return tuple(c for c in items if c)


@dataclass
class _Doc:
    title: str | None = None
    date: str | None = None
    paragraphs: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def parse_text(text: str, source: str = "<text>") -> _Doc:
    """Split a plain-text or Markdown article into headline, date, body and citations."""
    doc = _Doc()
    warnings: list[str] = []
    m = _DATE_PREFIX.match(text)
    if m:
        try:
            doc.date = _iso_date(m.group(1), source, 1)
        except InputError as err:
            warnings.append(err.reason)
        text = text[m.end() :]
    pars = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    # A headline, then a date line (on the next line or in the next paragraph).
    if pars and not doc.date:
        first_lines = pars[0].split("\n")
        candidates: list[tuple[str, list[str], int]] = []
        if len(first_lines) >= 2:
            candidates.append((first_lines[1], first_lines[2:], 0))
        if len(pars) >= 2:
            candidates.append((pars[1].split("\n")[0], pars[1].split("\n")[1:], 1))
        for line, rest, where in candidates:
            try:
                date = parse_date_line(line)
            except ValueError:
                warnings.append(f"impossible date {line.strip()!r}")
                date = ""
            if date is None or not _is_heading(first_lines[0].lstrip("# ")):
                continue
            doc.date = date or None
            doc.title = first_lines[0].lstrip("# ").strip()
            remainder = "\n".join(rest).strip()
            pars = ([remainder] if remainder else []) + pars[where + 1 :]
            if where == 0 and len(first_lines) > 2:
                pars = ["\n".join(first_lines[2:]).strip(), *pars[1:]]
            break
    if pars and doc.title is None and pars[0].startswith("#"):
        doc.title = pars[0].lstrip("# ").strip()
        pars = pars[1:]
    # A trailing reference list.
    for i in range(len(pars) - 1, max(-1, len(pars) - 3), -1):
        rm = _REFS.match(pars[i])
        if rm:
            doc.citations = tuple(c for p in [pars[i][rm.end() :], *pars[i + 1 :]] for c in _split_citations(p))
            pars = pars[:i]
            break
    body: list[str] = []
    for p in pars:
        if _is_verse(p) and not body and p is not pars[-1]:
            continue  # an epigraph before the body
        if _is_heading(p.lstrip("# ")) and len(pars) > 1:
            continue  # a section heading
        body.append(re.sub(r"^#+\s*", "", p))
    doc.paragraphs = tuple(body)
    doc.warnings = tuple(warnings)
    return doc


def _article(
    article_id: str,
    source: str,
    doc: _Doc,
    raw: bytes,
    url: str | None = None,
) -> Article:
    text = ""
    spans: list[Span] = []
    for p in doc.paragraphs:
        if text:
            text += "\n\n"
        spans.append(Span(len(text), len(text) + len(p), p))
        text += p
    if not text.strip():
        raise InputError(source, "no article text found")
    return Article(
        id=article_id,
        text=text,
        source=source,
        date=doc.date,
        title=doc.title,
        url=url,
        paragraphs=tuple(spans),
        citations=doc.citations,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def parse_html(html: str, source: str = "<html>") -> _Doc:
    """The article body and its headline and date metadata from an HTML page."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if result is None:
        raise InputError(source, "no article text found in the HTML page")
    data = result if isinstance(result, dict) else result.as_dict()
    # trafilatura gives one paragraph per line; make them paragraphs proper.
    body = re.sub(r"\n+", "\n\n", data.get("text") or "")
    doc = parse_text(body, source)
    doc.title = data.get("title") or doc.title
    date = data.get("date")
    if date:
        try:
            doc.date = _iso_date(str(date), source, None)
        except InputError:
            doc.warnings = (*doc.warnings, f"unreadable date {date!r}")
    return doc


# ------------------------------------------------------------------------ sources


def read_bytes_article(data: bytes, source: str, article_id: str, suffix: str, url: str | None = None) -> Article:
    """One article from raw bytes in the given format (``.txt``, ``.md`` or ``.html``)."""
    text = decode(data, source)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_html(text)):
        doc = parse_html(text, source)
    else:
        doc = parse_text(text, source)
    for w in doc.warnings:
        log.warning("%s: %s", source, w)
    return _article(article_id, source, doc, data, url)


def _looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head


def read_jsonl(lines: Iterable[bytes], source: str) -> Iterator[Article | Problem]:
    """Articles from the lines of a JSONL file, one at a time (a feed may be any size).

    A malformed line becomes a Problem naming the line, not an abort; each
    record is capped at the size limit of one article.
    """
    stem = Path(source).stem
    for lineno, raw in enumerate(lines, start=1):
        if lineno == 1:
            if b"\x00" in raw[:8192]:
                yield Problem(source, "binary data, not text (NUL bytes)")
                return
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        if len(raw) > MAX_BYTES:
            yield Problem(source, f"record is {len(raw)} bytes, over the {MAX_BYTES}-byte limit", lineno)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("latin-1")
            log.warning("%s:%d: not UTF-8; read as Latin-1", source, lineno)
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            yield Problem(source, f"malformed JSON ({err.msg} at column {err.colno})", lineno)
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
            yield Problem(source, "record has no 'text' string", lineno)
            continue
        try:
            yield _jsonl_article(rec, source, stem, lineno)
        except InputError as err:
            yield Problem(source, err.reason, lineno)


def _jsonl_article(rec: dict[str, object], source: str, stem: str, lineno: int) -> Article:
    body = decode(str(rec["text"]).encode("utf-8"), f"{source}:{lineno}")
    doc = parse_text(body, source)
    for w in doc.warnings:
        log.warning("%s:%d: %s", source, lineno, w)
    if rec.get("title") is not None:
        doc.title = str(rec["title"])
    if rec.get("date"):
        doc.date = _iso_date(str(rec["date"]), source, lineno)
    rid = rec.get("id")
    article_id = str(rid) if rid not in (None, "") else f"{stem}-{lineno}"
    url = str(rec["url"]) if rec.get("url") else None
    return _article(article_id, f"{source}:{lineno}", doc, line_bytes(rec), url)


def line_bytes(rec: dict[str, object]) -> bytes:
    """A canonical byte form of a JSONL record, for its content hash."""
    return json.dumps(rec, sort_keys=True, ensure_ascii=False).encode("utf-8")


def read_file(path: Path) -> Iterator[Article | Problem]:
    """Articles from one file (a JSONL file may hold many)."""
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                yield from read_jsonl(fh, source)
            return
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Problem(source, f"file is {size} bytes, over the {MAX_BYTES}-byte limit")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Problem(source, f"cannot read: {err.strerror or err}")
        return
    if suffix in FEED_SUFFIXES or (suffix == ".xml" and looks_like_feed(data)):
        yield from _feed_items(data, source)
        return
    try:
        article = read_bytes_article(data, source, path.stem, suffix)
    except InputError as err:
        yield Problem(source, err.reason, err.line)
        return
    except Exception as err:  # a parser library failing on one file must not stop the others
        log.debug("reading %s failed", source, exc_info=True)
        yield Problem(source, f"could not be read: {type(err).__name__}: {err}")
        return
    yield article


def read_url(url: str, session: object | None = None) -> Article:
    """Fetch one article over http(s): timeout, size cap and content-type check."""
    import requests

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(url, "only http:// and https:// URLs can be read")
    sess = session if isinstance(session, requests.Session) else requests.Session()
    try:
        accept = ", ".join((*URL_TYPES, *FEED_TYPES, *XML_TYPES))
        with sess.get(url, timeout=URL_TIMEOUT, stream=True, headers={"Accept": accept}) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"HTTP {resp.status_code} {resp.reason}")
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype and ctype not in URL_TYPES and ctype not in FEED_TYPES and ctype not in XML_TYPES:
                raise InputError(url, f"content type {ctype!r} is not an article (want one of {', '.join(URL_TYPES)})")
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_content(65536):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise InputError(url, f"response is over the {MAX_BYTES}-byte limit")
                chunks.append(chunk)
    except requests.RequestException as err:
        raise InputError(url, f"fetch failed: {type(err).__name__}") from None
    data = b"".join(chunks)
    if is_feed_response(ctype, data):
        raise IsFeed(data)  # read_inputs reads its entries
    if ctype in XML_TYPES:
        raise InputError(url, f"content type {ctype!r} is neither an article nor an RSS or Atom feed")
    suffix = ".txt" if ctype in ("text/plain", "text/markdown") else ".html"
    path_part = parts.path.rstrip("/").rsplit("/", 1)[-1]
    article_id = slug(parts.netloc + "-" + (Path(path_part).stem or "index"))
    return read_bytes_article(data, url, article_id, suffix, url=url)


def expand(inputs: Iterable[str]) -> Iterator[str | Path]:
    """Inputs to read, in order: folders recursively and sorted, URLs as they are."""
    for item in inputs:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", item):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for p in sorted(path.rglob("*"), key=lambda q: q.as_posix()):
                if (
                    p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                ):
                    yield p
        else:
            yield path


def read_inputs(inputs: Iterable[str]) -> Iterator[Article | Problem]:
    """Every article from files, folders (recursive, sorted) and URLs, lazily.

    Bad inputs come out as :class:`Problem` items in their place; an article id
    seen before is reported and the later article skipped, so no node is ever
    silently merged with another article's.
    """
    seen: dict[str, str] = {}
    for item in expand(inputs):
        if isinstance(item, str):
            try:
                results: Iterable[Article | Problem] = [read_url(item)]
            except IsFeed as feed:
                results = _feed_items(feed.data, item)
            except InputError as err:
                results = [Problem(item, err.reason)]
        elif not item.exists():
            results = [Problem(str(item), "no such file or folder")]
        else:
            results = read_file(item)
        for r in results:
            if isinstance(r, Article):
                key = slug(r.id)
                if key in seen:
                    yield Problem(r.source, f"article id {r.id!r} already used by {seen[key]}")
                    continue
                seen[key] = r.source
            yield r


def _feed_items(data: bytes, source: str) -> Iterator[Article | Problem]:
    """The articles of an RSS or Atom feed (see :mod:`kg.feeds`); entries that cannot be read as problems."""
    try:
        for item in read_feed(data, source, fetch=read_url):
            yield Problem(item.source, item.reason, item.line) if isinstance(item, InputError) else item
    except InputError as err:
        yield Problem(source, err.reason, err.line)


def count_articles(inputs: Iterable[str]) -> int:
    """About how many articles ``inputs`` hold, for a progress bar: files, JSONL lines, feed entries, URLs.

    A URL counts one (a feed behind it may hold more); nothing is parsed.
    """
    n = 0
    for item in expand(inputs):
        if isinstance(item, str):
            n += 1
            continue
        suffix = item.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                with item.open("rb") as fh:
                    n += sum(1 for line in fh if line.strip())
            elif suffix in FEED_SUFFIXES or suffix == ".xml":
                head = item.read_bytes()[:MAX_BYTES]
                n += len(re.findall(rb"<(?:item|entry)[\s>]", head)) or 1
            else:
                n += 1
        except OSError:
            n += 1  # reading it will name the problem
    return n
