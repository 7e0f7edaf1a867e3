"""RSS and Atom feeds as inputs, from files and from a server on 127.0.0.1 that the tests start."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from servers import loopback

from kg.build import build
from kg.cli import cli
from kg.feeds import entry_id, paragraphs_of_html
from kg.model import Article
from kg.read import Problem, count_articles, read_inputs

SUMMIT = (
    "Kazakhstan's President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana on Tuesday. "
    "The two leaders signed an agreement on gas supplies, officials said."
)
STRIKE = (
    "Dock workers in Montevideo ended a week-long strike on Thursday after the government of Uruguay "
    "agreed to review their pay, union leaders said."
)


def rss(base: str) -> str:
    """An RSS 2.0 feed: one entry carrying its text, one that only links to its page."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>{base}/</link><description>test wire</description>
<item><title>Leaders meet in Astana</title><link>{base}/news/astana-summit.html</link>
  <pubDate>Tue, 12 Mar 2024 09:30:00 GMT</pubDate>
  <description>Leaders met.</description>
  <content:encoded><![CDATA[<p>{SUMMIT}</p><p>Talks will continue in June.</p>]]></content:encoded></item>
<item><title>Port strike ends</title><link>{base}/news/strike.html</link>
  <pubDate>Thu, 14 Mar 2024 18:00:00 GMT</pubDate><description>A teaser only.</description></item>
</channel></rss>"""


ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title><id>urn:wire</id>
<updated>2024-03-12T10:00:00Z</updated>
<entry><title>Leaders meet in Astana</title><id>urn:wire:1</id>
  <link href="https://news.example.org/2024/astana.html"/><updated>2024-03-12T10:00:00Z</updated>
  <content type="html">&lt;p&gt;{SUMMIT}&lt;/p&gt;</content></entry>
</feed>"""

PAGE = (
    "<html><head><title>Port strike ends | Wire</title></head><body><nav>Home | World</nav><article>"
    f"<h1>Port strike ends</h1><p>{STRIKE}</p><p>Ships began loading again on Friday.</p></article>"
    "<footer>Copyright</footer></body></html>"
)


class _Wire(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        pages = {
            "/feed.rss": ("application/rss+xml", rss(base)),
            "/feed.xml": ("text/xml; charset=utf-8", rss(base)),
            "/atom": ("application/atom+xml", ATOM),
            "/news/strike.html": ("text/html; charset=utf-8", PAGE),
        }
        _Wire.hits[self.path] = _Wire.hits.get(self.path, 0) + 1
        if self.path not in pages:
            self.send_error(404)
            return
        ctype, text = pages[self.path]
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def wire() -> Iterator[str]:
    """A news wire on a free loopback port: an RSS feed, an Atom feed and an article page."""
    with loopback(_Wire) as url:
        yield url


def test_each_entry_is_an_article_with_link_title_and_date(wire: str) -> None:
    items = list(read_inputs([f"{wire}/feed.rss"]))
    assert all(isinstance(a, Article) for a in items), items
    summit, strike = items
    assert isinstance(summit, Article) and isinstance(strike, Article)
    assert (summit.url, summit.title, summit.date) == (f"{wire}/news/astana-summit.html", "Leaders meet in Astana",
                                                       "2024-03-12")
    assert summit.text.startswith("Kazakhstan's President") and "Talks will continue in June." in summit.text
    assert summit.id == entry_id(summit.url) == "127-0-0-1-" + wire.rsplit(":", 1)[1] + "-astana-summit"
    # the teaser-only entry: its page read by the HTML reader (no navigation, no footer), the feed's title and date
    assert (strike.url, strike.title, strike.date) == (f"{wire}/news/strike.html", "Port strike ends", "2024-03-14")
    assert strike.text.startswith("Dock workers in Montevideo") and "Copyright" not in strike.text
    assert _Wire.hits.get("/news/strike.html", 0) >= 1


def test_a_feed_read_twice_adds_nothing_the_second_time(wire: str, tmp_path: Path) -> None:
    store = tmp_path / "s"
    first = build([f"{wire}/feed.rss"], None, store=store)
    assert first.store_summary == "2 added, 0 replaced, 0 unchanged", first.problems
    s = ox.Store.read_only(str(store))
    before = set(s)
    del s
    r = CliRunner().invoke(cli, ["build", f"{wire}/feed.rss", "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert "0 added, 0 replaced, 2 unchanged" in r.output
    s = ox.Store.read_only(str(store))
    assert set(s) == before
    urls = {q.object.value for q in s.quads_for_pattern(None, ox.NamedNode("http://schema.org/url"), None)}
    assert urls == {f"{wire}/news/astana-summit.html", f"{wire}/news/strike.html"}


def test_xml_content_type_and_atom_feeds(wire: str) -> None:
    xml = [a for a in read_inputs([f"{wire}/feed.xml"])]
    atom = [a for a in read_inputs([f"{wire}/atom"])]
    assert len(xml) == 2 and all(isinstance(a, Article) for a in xml)
    (entry,) = atom
    assert isinstance(entry, Article)
    assert (entry.id, entry.date, entry.url) == ("news-example-org-astana", "2024-03-12",
                                                 "https://news.example.org/2024/astana.html")


def test_feed_files_and_a_missing_page(tmp_path: Path, wire: str) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(rss(wire).replace("/news/strike.html", "/news/gone.html"), encoding="utf-8")
    (tmp_path / "wire.atom").write_text(ATOM, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    problems = [p for p in items if isinstance(p, Problem)]
    articles = [a for a in items if isinstance(a, Article)]
    # the Atom and the RSS entry carry the same story under two links: two articles
    assert len(articles) == 2
    (gone,) = problems
    assert gone.source.endswith("/news/gone.html") and "404" in gone.reason
    assert count_articles([str(tmp_path)]) == 3


def test_not_a_feed(tmp_path: Path) -> None:
    bad = tmp_path / "broken.rss"
    bad.write_text("this is not XML at all", encoding="utf-8")
    (item,) = list(read_inputs([str(bad)]))
    assert isinstance(item, Problem) and "not an RSS or Atom feed" in item.reason


def test_paragraphs_of_html() -> None:
    assert paragraphs_of_html("<p>One &amp; two.</p><p>Three<br>four</p>") == ["One & two.", "Three", "four"]
