"""The reader: formats, encodings, odd and broken inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.model import Article
from kg.read import Problem, parse_date_line, read_inputs

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _read(*paths: object) -> tuple[list[Article], list[Problem]]:
    items = list(read_inputs([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def test_seed_with_date_prefix() -> None:
    (a,), problems = _read(SEEDS / "000_13009f88a8800e4a.txt")
    assert not problems
    assert a.id == "000_13009f88a8800e4a"
    assert a.date == "2024-01-15"
    assert not a.text.startswith(" date") and not a.text.startswith("date")
    assert a.text.startswith("Against a backdrop")
    # section headings are not body text
    assert "\nClandestine Cooperation\n" not in a.text


def test_seed_with_headline_dateline_poem_and_references() -> None:
    (a,), _ = _read(SEEDS / "002_0388dada9763fdad.txt")
    assert a.date == "2024-06-19"
    assert a.title and a.title.startswith("Russia and North Korea Forge")
    assert "Bound by shared disdain" not in a.text  # the epigraph stays out of the body
    assert "Referenced Articles" not in a.text
    assert a.citations and "Takeaways" in a.citations[-1]
    assert a.text.startswith("In a significant development")


def test_paragraph_spans_point_into_text() -> None:
    articles, _ = _read(SEEDS)
    assert [a.id for a in articles] == sorted(a.id for a in articles)
    for a in articles:
        for p in a.paragraphs:
            assert a.text[p.begin : p.end] == p.text


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("06.19.24 11:03 AM", "2024-06-19"),
        ("2023-11-09", "2023-11-09"),
        ("June 19, 2024", "2024-06-19"),
        ("Wednesday, 19 June 2024 08:15 GMT", "2024-06-19"),
        ("Russia and North Korea", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert parse_date_line(line) == iso


def test_impossible_date_line_raises() -> None:
    with pytest.raises(ValueError):
        parse_date_line("02.30.24 10:00 AM")


def test_encodings(tmp_path: Path) -> None:
    body = "Café talks in Bogotá ended on Monday, officials said.\nThe minister left.\n"
    (tmp_path / "latin1.txt").write_bytes(("date 2024-02-01 " + body).encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ("date 2024-02-01 " + body).encode("utf-8"))
    (tmp_path / "crlf.txt").write_bytes(("date 2024-02-01 " + body).replace("\n", "\r\n").encode("utf-8"))
    articles, problems = _read(tmp_path)
    assert not problems
    assert len(articles) == 3
    for a in articles:
        assert a.date == "2024-02-01"
        assert "Café talks in Bogotá" in a.text
        assert "\r" not in a.text and "\ufeff" not in a.text


def test_control_and_zero_width_characters_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "zw.txt").write_text('date 2024-02-01 The\u200b minister\x07 said "no" \\ twice.\n', encoding="utf-8")
    (a,), problems = _read(tmp_path / "zw.txt")
    assert not problems
    assert a.text == 'The minister said "no" \\ twice.'


def test_broken_inputs_are_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_junk.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "c_good.txt").write_text("date 2024-03-01 Kenya and Uganda signed a trade deal.\n")
    (tmp_path / "d_feed.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Chile recalled its ambassador.", "date": "2024-01-02"})
        + "\n{not json\n"
        + json.dumps({"id": "x3", "text": "Peru protested."})
        + "\n"
        + json.dumps({"id": "x4", "text": "A date that cannot be.", "date": "2024-13-45"})
        + "\n"
    )
    (tmp_path / "e_nodate.txt").write_text("Officials met in Geneva to discuss the ceasefire.\n")
    articles, problems = _read(tmp_path)
    assert sorted(a.id for a in articles) == ["c_good", "e_nodate", "x1", "x3"]
    by_source = {(Path(p.source).name, p.line): p.reason for p in problems}
    assert ("a_empty.txt", None) in by_source and "empty" in by_source[("a_empty.txt", None)]
    assert ("b_junk.txt", None) in by_source and "binary" in by_source[("b_junk.txt", None)]
    assert ("d_feed.jsonl", 2) in by_source and "malformed JSON" in by_source[("d_feed.jsonl", 2)]
    assert ("d_feed.jsonl", 4) in by_source and "date" in by_source[("d_feed.jsonl", 4)]
    nodate = next(a for a in articles if a.id == "e_nodate")
    assert nodate.date is None


def test_impossible_date_prefix_keeps_article_without_date(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("date 2024-02-30 Ghana and Togo agreed to reopen the border.\n")
    (a,), _problems = _read(tmp_path / "bad.txt")
    assert a.date is None and a.text.startswith("Ghana")


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "story.txt").write_text("Fiji hosted talks.\n")
    (tmp_path / "two" / "story.txt").write_text("Samoa hosted talks.\n")
    articles, problems = _read(tmp_path)
    assert len(articles) == 1 and len(problems) == 1 and "already used" in problems[0].reason


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    _, problems = _read(tmp_path / "nope.txt")
    assert problems and "no such file" in problems[0].reason


def test_html_page_drops_navigation_scripts_and_footer(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Envoy visits Baku</title>"
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        "<script>var x = 'tracking code';</script></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World news</a> | Subscribe</nav>"
        "<article><h1>Envoy visits Baku</h1>"
        "<p>Armenia's foreign minister travelled to Baku on Tuesday for talks, officials said.</p>"
        "<p>The two sides agreed to continue negotiations on a peace treaty next month.</p>"
        "</article><footer>Copyright 2024 Wire. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    (a,), problems = _read(tmp_path / "page.html")
    assert not problems
    assert a.date == "2024-03-05" and a.title == "Envoy visits Baku"
    assert a.text.startswith("Armenia's foreign minister")
    for junk in ("tracking code", "Subscribe", "All rights reserved"):
        assert junk not in a.text


def test_large_article_and_long_sentence(tmp_path: Path) -> None:
    para = "The delegation from Norway met officials in Oslo on Friday. " * 40
    (tmp_path / "big.txt").write_text("date 2024-01-01 " + "\n\n".join([para] * 420))
    (tmp_path / "run.txt").write_text("date 2024-01-01 " + "and the talks went on " * 9400)
    articles, problems = _read(tmp_path)
    assert not problems
    big = next(a for a in articles if a.id == "big")
    assert len(big.text) > 1_000_000


def test_url_is_fetched_from_a_local_server(http_server: str) -> None:
    (a,), problems = _read(http_server + "/story.html")
    assert not problems
    assert "Montevideo" in a.text and a.url == http_server + "/story.html"


def test_url_errors(http_server: str) -> None:
    _, p1 = _read(http_server + "/missing.html")
    _, p2 = _read(http_server + "/image.png")
    _, p3 = _read("ftp://example.org/x.txt")
    assert "404" in p1[0].reason
    assert "content type" in p2[0].reason
    assert "http" in p3[0].reason


def test_jsonl_feed_larger_than_the_article_cap_is_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size cap is per article: a feed of many small records may be any size."""
    import kg.read

    monkeypatch.setattr(kg.read, "MAX_BYTES", 400)
    records = [json.dumps({"id": f"r{i}", "text": f"Talks number {i} opened in Vienna."}) for i in range(60)]
    records.insert(30, json.dumps({"id": "huge", "text": "word " * 200}))
    (tmp_path / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    articles, problems = _read(tmp_path / "feed.jsonl")
    assert len(articles) == 60
    assert [(p.line, "over the" in p.reason) for p in problems] == [(31, True)]


def test_a_parser_failure_skips_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.read

    def broken(html: str, source: str = "") -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(kg.read, "parse_html", broken)
    (tmp_path / "a.html").write_text("<html><body><p>Chad and Niger met.</p></body></html>")
    (tmp_path / "b.txt").write_text("date 2024-01-01 Chad and Niger met in N'Djamena.\n")
    articles, problems = _read(tmp_path)
    assert [a.id for a in articles] == ["b"]
    assert len(problems) == 1 and "parser exploded" in problems[0].reason and problems[0].source.endswith("a.html")
