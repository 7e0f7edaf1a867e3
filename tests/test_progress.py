"""Progress: a bar on a terminal, plain lines with -v elsewhere, nothing with -q."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.progress import Progress, choose_mode
from kg.read import count_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_mode_follows_quiet_verbose_and_the_terminal() -> None:
    assert choose_mode(quiet=True, verbose=2, stream=_Terminal()) == "off"
    assert choose_mode(quiet=False, verbose=0, stream=_Terminal()) == "bar"
    assert choose_mode(quiet=False, verbose=1, stream=io.StringIO()) == "lines"
    assert choose_mode(quiet=False, verbose=0, stream=io.StringIO()) == "off"


def test_plain_lines_come_every_interval_with_rate_skips_and_time_left() -> None:
    out, clock = io.StringIO(), _Clock()
    p = Progress("built", 10, "lines", stream=out, interval=5.0, clock=clock)
    for i in range(4):
        clock.now += 1.0
        p(f"a{i}", "skipped" if i == 1 else "unchanged" if i == 2 else "done")
    assert out.getvalue() == ""  # less than one interval so far
    clock.now += 1.0
    p("a4")
    assert out.getvalue() == "kg: 5 of 10 articles (3 built, 1 unchanged, 1 skipped; 1.0 articles/s, about 5 s left)\n"
    p.close()
    assert out.getvalue().splitlines()[-1].startswith("kg: 5 of 10 articles")


def test_off_writes_nothing_and_an_unknown_total_grows() -> None:
    out = io.StringIO()
    p = Progress("built", None, "off", stream=out)
    p("a")
    p.close()
    assert out.getvalue() == "" and p.count == 1
    q = Progress("built", 1, "off", stream=out)
    q("a")
    q("b")
    assert q.total == 2


def test_a_bar_on_a_terminal() -> None:
    term = _Terminal()
    p = Progress("built", 3, "bar", stream=term)
    for s in ("a", "b"):
        p(s)
    p("c", "skipped")
    p.close()
    text = term.getvalue()
    assert "3/3" in text and "articles/s" in text and "1 skipped" in text


def test_cli_progress_lines_with_v_and_none_with_q(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["-v", "build", str(SEEDS), "-o", str(tmp_path / "g.nq"), "--no-validate"])
    assert r.exit_code == 0, r.output
    assert "kg: 3 of 3 articles (3 built" in r.output
    r = runner.invoke(cli, ["-q", "build", str(SEEDS), "-o", str(tmp_path / "h.nq"), "--no-validate"])
    assert r.exit_code == 0 and r.output == ""
    r = runner.invoke(cli, ["build", str(SEEDS), "-o", str(tmp_path / "i.nq"), "--no-validate"])
    assert "of 3 articles" not in r.output  # not a terminal, no -v


def test_count_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2024-01-01 One.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "One."}\n\n{"id": "y", "text": "Two."}\n',
                                      encoding="utf-8")
    assert count_articles([str(tmp_path), "https://example.org/x.html"]) == 4
