"""RSS and Atom feeds as inputs: each entry an article, with its link, title and date.

A feed is parsed by feedparser (RSS 0.9x, 1.0, 2.0 and Atom). An entry that
carries its article's text (``content:encoded``, Atom ``content``) is read
from it; an entry that carries only a teaser has its page fetched and read
by the HTML reader (:func:`kg.read.read_url`), and the entry's own title and
date are kept. An entry's article id comes from its link, as a page read by
URL gets it, so an article reached through a feed and through its URL is one
article; the content hash is that of what was read (link, title, date,
text), not of the page's bytes, so an article whose page only changed its
advertisements is not "changed", and a feed read twice adds nothing the
second time.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
import html
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.model import Article
from kg.vocab import digest, slug

log = logging.getLogger(__name__)

FEED_SUFFIXES = {".rss", ".atom"}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_TYPES = ("application/xml", "text/xml")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")
_TAG = re.compile(r"<[^>]*>")


class IsFeed(Exception):  # not an error: a signal that carries the feed's bytes
    """Raised by :func:`kg.read.read_url` when the URL is a feed: its entries are read instead."""

    def __init__(self, data: bytes) -> None:
        super().__init__("a feed")
        self.data = data


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` opens like an RSS or Atom document."""
    return bool(_FEED_ROOT.search(data[:4096]))


def is_feed_response(content_type: str, data: bytes) -> bool:
    """Whether a downloaded body with this content type is a feed."""
    return content_type in FEED_TYPES or (content_type in XML_TYPES and looks_like_feed(data))


def paragraphs_of_html(fragment: str) -> list[str]:
    """The paragraphs of an HTML fragment (an entry's content), as plain text."""
    text = _BLOCK_END.sub("\n\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    out = []
    for par in re.split(r"\n\s*\n", text):
        par = " ".join(par.split())
        if par:
            out.append(par)
    return out


def entry_id(link: str) -> str:
    """An entry's article id from its link, as :func:`kg.read.read_url` names a page (query kept apart)."""
    parts = urlsplit(link)
    stem = Path(parts.path.rstrip("/").rsplit("/", 1)[-1]).stem or "index"
    base = slug(parts.netloc + "-" + stem)
    return f"{base}-{digest(parts.query)[:8]}" if parts.query else base


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date().isoformat()
    return None


def _content_hash(article: Article) -> str:
    rec = {"id": article.id, "url": article.url, "title": article.title, "date": article.date, "text": article.text}
    return hashlib.sha256(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def read_feed(
    data: bytes, source: str, fetch: Callable[[str], Article] | None = None
) -> Iterator[Article | InputError]:
    """The articles of a feed's entries, in feed order; an entry that cannot be read as an InputError in its place.

    ``fetch`` reads an entry's page when the entry has no text of its own.
    Raises :class:`kg.errors.InputError` when ``data`` is not a feed at all.
    """
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        why = parsed.get("bozo_exception")
        raise InputError(source, f"not an RSS or Atom feed{f' ({why})' if why else ''}")
    log.info("%s: %s feed, %d entries", source, parsed.get("version") or "unknown", len(parsed.entries))
    stem = slug(Path(urlsplit(source).path).stem or "feed")
    for n, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry_article(entry, n, source, stem, fetch)
        except InputError as err:
            yield err


def _entry_article(entry: Any, n: int, source: str, stem: str, fetch: Callable[[str], Article] | None) -> Article:
    from kg.read import _article, _Doc, parse_text

    link = str(entry.get("link") or "").strip()
    web = urlsplit(link).scheme in ("http", "https") and bool(urlsplit(link).netloc)
    title = html.unescape(str(entry.get("title") or "")).strip() or None
    date = _entry_date(entry)
    where = link if web else f"{source}#entry-{n}"
    article_id = entry_id(link) if web else f"{stem}-{digest(str(entry.get('id') or title or n))[:12]}"
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    body = contents[0] if contents else ""
    if not body and web and fetch is not None:
        try:
            page = fetch(link)
        except IsFeed:
            raise InputError(where, "the entry's link is a feed, not an article page") from None
        article = dataclasses.replace(page, id=article_id, title=title or page.title, date=date or page.date,
                                      url=link, source=where)
    else:
        body = body or str(entry.get("summary") or "")
        pars = paragraphs_of_html(body)
        if not pars:
            raise InputError(where, "feed entry has no text" + ("" if web else " and no link to fetch"))
        doc = parse_text("\n\n".join(pars), where)
        doc = _Doc(title=title or doc.title, date=date or doc.date, paragraphs=doc.paragraphs or tuple(pars),
                   citations=doc.citations)
        article = _article(article_id, where, doc, b"", url=link if web else None)
    return dataclasses.replace(article, sha256=_content_hash(article))
