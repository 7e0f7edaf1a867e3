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

import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.feeds import FEED_SUFFIXES, FEED_TYPES, XML_TYPES, IsFeed, is_feed_response, looks_like_feed, read_feed
from kg.model import Article, FetchLimits, Span
from kg.text import MONTHS
from kg.vocab import slug

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

MAX_BYTES = 20 * 1024 * 1024  # one input file or download
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
_CONTROL_ID = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


def _is_headline(line: str) -> bool:
    """A line above a date line: a headline if it reads as one (no closing full stop), however long."""
    return "\n" not in line and len(line) <= 200 and not _HEADING_END.search(line)


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
            if date is None or not _is_headline(first_lines[0].lstrip("# ")):
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


# libxml2 (under lxml and trafilatura) stops at 256 levels of nesting and drops the rest of the page;
# wrappers beyond SOFT_DEPTH are left out (their content kept), and any element beyond HARD_DEPTH.
SOFT_DEPTH = 120
HARD_DEPTH = 230
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>|<!--.*?-->", re.S)
_VOID = frozenset(
    [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ]
)
_SELF_CLOSING = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option"])
_WRAPPERS = frozenset(
    [
        "div", "span", "section", "article", "main", "aside", "header", "footer", "nav", "font", "center",
        "b", "i", "u", "em", "strong", "small", "big", "a", "abbr", "label", "form", "fieldset", "figure",
        "blockquote",
    ]
)


def flatten_deep_html(html: str) -> str:
    """``html`` with its nesting cut to what libxml2 can parse, every piece of text kept.

    A page of 10,000 nested ``div``\\ s holding one paragraph would otherwise
    parse as 254 empty ``div``\\ s: "no article text found". Beyond
    :data:`SOFT_DEPTH` levels, wrapper tags (``div``, ``span``, ...) are left
    out, beyond :data:`HARD_DEPTH` every tag; their text stays where it was.
    A page nested less deeply comes back unchanged. Linear in the page's length.
    """
    stack: list[tuple[str, bool]] = []  # (tag, kept) of every open element
    kept = 0
    out: list[str] = []
    at = 0
    changed = False
    for m in _TAG.finditer(html):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name or name in _VOID or m.group(3):
            continue  # a comment, or a tag that opens nothing
        if not closing:
            if name in _SELF_CLOSING and stack and stack[-1][0] == name:  # <p>a<p>b: the first ends at the second
                kept -= stack.pop()[1]
            if (kept >= SOFT_DEPTH and name in _WRAPPERS) or kept >= HARD_DEPTH:
                out.append(html[at : m.start()])
                out.append(" ")
                at = m.end()
                stack.append((name, False))
                changed = True
            else:
                stack.append((name, True))
                kept += 1
            continue
        # an end tag closes the nearest open element of its name, and any left open inside it
        for i in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
            if stack[i][0] == name:
                break
        else:
            continue
        was_kept = stack[i][1]
        kept -= sum(1 for _, k in stack[i:] if k)
        del stack[i:]
        if not was_kept:
            out.append(html[at : m.start()])
            out.append(" ")
            at = m.end()
    if not changed:
        return html
    out.append(html[at:])
    return "".join(out)


def parse_html(html: str, source: str = "<html>") -> _Doc:
    """The article body and its headline and date metadata from an HTML page (nesting cut to what parses)."""
    import trafilatura

    html = flatten_deep_html(html)

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


def read_file(path: Path, limits: FetchLimits | None = None) -> Iterator[Article | Problem]:
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
        yield from _feed_items(data, source, limits)
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


def read_url(url: str, session: object | None = None, limits: FetchLimits | None = None) -> Article:
    """Fetch one article over http(s): timeouts and a whole-fetch deadline, size cap, content-type check.

    ``limits`` bound the connection, the wait for the first byte and the
    whole fetch (default :class:`FetchLimits`); the body is capped at
    :data:`MAX_BYTES`. ``session``: a ``requests.Session`` to use (the
    deadline is enforced on connections it opens from here on).
    """
    import requests

    limits = limits or FetchLimits()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(url, "only http:// and https:// URLs can be read")
    sess = session if isinstance(session, requests.Session) else requests.Session()
    _watch_connections(sess)
    watchdog = _Watchdog(limits.total)
    _FETCH.watchdog = watchdog
    start = time.monotonic()
    total = 0  # body bytes received
    try:
        accept = ", ".join((*URL_TYPES, *FEED_TYPES, *XML_TYPES))
        with sess.get(url, timeout=(limits.connect, limits.first_byte), stream=True,
                      headers={"Accept": accept}) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"HTTP {resp.status_code} {resp.reason}")
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype and ctype not in URL_TYPES and ctype not in FEED_TYPES and ctype not in XML_TYPES:
                raise InputError(url, f"content type {ctype!r} is not an article (want one of {', '.join(URL_TYPES)})")
            chunks: list[bytes] = []
            for chunk in resp.iter_content(65536):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise InputError(url, f"response is over the {MAX_BYTES}-byte limit")
                chunks.append(chunk)
                if watchdog.expired:
                    break
    except requests.RequestException as err:
        if watchdog.expired:
            raise InputError(url, _too_slow(limits, total)) from None
        if isinstance(err, requests.ConnectTimeout):
            raise InputError(url, f"fetch failed: no connection within {limits.connect:g} s") from None
        if isinstance(err, requests.ReadTimeout):
            raise InputError(url, f"fetch failed: the server sent nothing for {limits.first_byte:g} s") from None
        raise InputError(url, f"fetch failed: {type(err).__name__}") from None
    finally:
        watchdog.stop()
        _FETCH.watchdog = None
        if sess is not session:
            sess.close()
    if watchdog.expired:  # the socket was shut: what came may be cut short
        raise InputError(url, _too_slow(limits, total))
    log.debug("%s: %d bytes in %.2f s", url, total, time.monotonic() - start)
    data = b"".join(chunks)
    if is_feed_response(ctype, data):
        raise IsFeed(data)  # read_inputs reads its entries
    if ctype in XML_TYPES:
        raise InputError(url, f"content type {ctype!r} is neither an article nor an RSS or Atom feed")
    suffix = ".txt" if ctype in ("text/plain", "text/markdown") else ".html"
    path_part = parts.path.rstrip("/").rsplit("/", 1)[-1]
    article_id = slug(parts.netloc + "-" + (Path(path_part).stem or "index"))
    return read_bytes_article(data, url, article_id, suffix, url=url)


def _too_slow(limits: FetchLimits, received: int) -> str:
    return (f"fetch failed: not complete within {limits.total:g} s ({received} bytes of the body received); "
            "a longer --fetch-deadline allows slower servers")


class _Watchdog:
    """Shuts the sockets of one fetch down when its deadline passes, whatever they are waiting for.

    A read timeout bounds each wait for bytes, not the fetch: a server that
    drips a byte a second would keep a fetch going for ever. Shutting the
    socket down wakes the waiting read at once.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline (at once, if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def stop(self) -> None:
        """The fetch is over: no shutting down any more."""
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to wake
        sock.shutdown(socket.SHUT_RDWR)


_FETCH = threading.local()  # .watchdog: the deadline of the fetch this thread is making


def _watch_connections(session: object) -> None:
    """Mount, once per session, an adapter whose new connections report their socket to this thread's watchdog."""
    import requests

    assert isinstance(session, requests.Session)
    if getattr(session, "_kg_watched", False):
        return
    adapter = _watched_adapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session._kg_watched = True  # type: ignore[attr-defined]


def _watched_adapter() -> requests.adapters.HTTPAdapter:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def _report(conn: HTTPConnection) -> None:
        watchdog = getattr(_FETCH, "watchdog", None)
        if watchdog is not None and conn.sock is not None:
            watchdog.watch(conn.sock)

    class _HTTP(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            _report(self)

    class _HTTPS(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            _report(self)

    class _HTTPPool(HTTPConnectionPool):
        ConnectionCls = _HTTP

    class _HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _HTTPS

    class _Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    return _Adapter()


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


def read_inputs(inputs: Iterable[str], fetch: FetchLimits | None = None) -> Iterator[Article | Problem]:
    """Every article from files, folders (recursive, sorted) and URLs, lazily.

    Bad inputs come out as :class:`Problem` items in their place; an article id
    seen before, or one holding control characters (NUL, newline: it could
    name no file), is reported and the article skipped, so no node is ever
    silently merged with another article's. ``fetch`` bounds each URL fetch
    (default :class:`FetchLimits`).
    """
    seen: dict[str, str] = {}
    for item in expand(inputs):
        if isinstance(item, str):
            try:
                results: Iterable[Article | Problem] = [read_url(item, limits=fetch)]
            except IsFeed as feed:
                results = _feed_items(feed.data, item, fetch)
            except InputError as err:
                results = [Problem(item, err.reason)]
        elif not item.exists():
            results = [Problem(str(item), "no such file or folder")]
        else:
            results = read_file(item, fetch)
        for r in results:
            if isinstance(r, Article):
                if _CONTROL_ID.search(r.id):
                    shown = repr(r.id) if len(r.id) <= 60 else repr(r.id[:57]) + "…"
                    yield Problem(r.source, f"article id {shown} holds control characters; give it a printable id")
                    continue
                key = slug(r.id)
                if key in seen:
                    yield Problem(r.source, f"article id {r.id!r} already used by {seen[key]}")
                    continue
                seen[key] = r.source
            yield r


def _feed_items(data: bytes, source: str, limits: FetchLimits | None = None) -> Iterator[Article | Problem]:
    """The articles of an RSS or Atom feed (see :mod:`kg.feeds`); entries that cannot be read as problems.

    An entry's page is fetched within ``limits``, as any URL input.
    """
    try:
        for item in read_feed(data, source, fetch=lambda link: read_url(link, limits=limits)):
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
