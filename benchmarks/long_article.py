"""One long article through the extractors: time and counted work at 1, 2 and 4 MB (issue 14).

The article is generated prose: the bodies of ``benchmarks/corpus.py``'s
articles (seed passages, the fresh test passages and PLOVER sentences, with
its fixed random seed) joined as paragraphs until the size is reached, read
the way ``kg build`` reads a JSONL record. The variant without punctuation
drops every punctuation character and every paragraph break: one run of
words, the worst case for sentence splitting.

Each size is extracted in a fresh process (the parser loaded and warmed on a
small article first, outside the timing); wall-clock and CPU seconds are
taken around :func:`kg.extract.extract` alone, and the work it did is counted:
the extractors' own counters (``kg.extract.actors.WORK``: actor comparisons,
coreference lookups), the sentences the parser gave, and the quads the
article maps to (:mod:`kg.rdf`). ``tests/test_hostile.py`` asserts the counts
grow linearly; this script gives the times.

Usage (from the repository root, in the venv)::

    python benchmarks/long_article.py                       # 1, 2, 4 MB, both variants; prints a table
    python benchmarks/long_article.py --write docs/benchmarks.md   # and puts it in that file
    python benchmarks/long_article.py --sizes 0.25,0.5 --variants prose
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402  (a sibling script)

MB = 1_000_000
VARIANTS = ("prose", "no punctuation")
BEGIN = "<!-- long-article: begin (benchmarks/long_article.py writes this section) -->"
END = "<!-- long-article: end -->"


def long_text(nbytes: int, punctuation: bool = True) -> str:
    """About ``nbytes`` bytes of generated news prose (the same bytes for the same arguments)."""
    pools = corpus.load_pools()
    parts: list[str] = []
    size = 0
    for _id, _date, body in corpus.articles(10**7, pools):
        if not punctuation:
            body = " ".join("".join(c for c in body if not unicodedata.category(c).startswith("P")).split())
        parts.append(body)
        size += len(body.encode("utf-8")) + 2
        if size >= nbytes:
            break
    return ("\n\n" if punctuation else " ").join(parts)


def long_article(nbytes: int, punctuation: bool = True) -> object:
    """The generated text as an :class:`kg.model.Article`, read as ``kg build`` reads one JSONL record."""
    from kg.read import Problem, read_jsonl

    record = {"id": f"long-{nbytes}", "date": "2024-06-19", "text": long_text(nbytes, punctuation)}
    (article,) = read_jsonl([json.dumps(record, ensure_ascii=False).encode("utf-8")], "long.jsonl")
    if isinstance(article, Problem):
        raise SystemExit(f"the generated article was not read: {article}")
    return article


@dataclass
class Measurement:
    """One extraction of one long article: its size, the time taken, and the work counted."""

    variant: str
    nbytes: int
    chars: int
    seconds: float
    cpu_seconds: float
    work: dict[str, int] = field(default_factory=dict)

    @property
    def seconds_per_mb(self) -> float:
        """Wall-clock seconds per MB of article text."""
        return self.seconds / (self.nbytes / MB)


def measure(nbytes: int, punctuation: bool = True) -> Measurement:
    """Extract one generated article of ``nbytes`` in this process; time it and count its work."""
    from kg.extract import extract
    from kg.extract.actors import WORK
    from kg.model import Article
    from kg.rdf import Mapper
    from kg.vocab import IRIs

    article = long_article(nbytes, punctuation)
    assert isinstance(article, Article)
    extract(long_article(3000, punctuation))  # load and warm the parser, outside the timing
    WORK.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    found = extract(article)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    work = {k: int(v) for k, v in sorted(WORK.items())}
    work["sentences"] = len(found.sentences)
    work["quads"] = len(Mapper(IRIs()).article_quads(found).quads)
    return Measurement(VARIANTS[not punctuation], len(article.text.encode("utf-8")), len(article.text), wall, cpu,
                       work)


def measure_in_child(nbytes: int, punctuation: bool) -> Measurement:
    """:func:`measure` in a fresh Python process (no cache or heap left over from another size)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import long_article as la; from dataclasses import asdict; "
        "print(json.dumps(asdict(la.measure(int(sys.argv[2]), sys.argv[3] == '1'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "benchmarks"), str(nbytes), "1" if punctuation else "0"],
        check=True, capture_output=True, text=True, cwd=REPO,
    ).stdout
    return Measurement(**json.loads(out.strip().splitlines()[-1]))


def table(rows: Sequence[Measurement]) -> str:
    """The measurements as a Markdown table."""
    keys = sorted({k for r in rows for k in r.work})
    head = "| variant | size | seconds | CPU s | s per MB | " + " | ".join(keys) + " |"
    rule = "|---|--:|--:|--:|--:|" + "--:|" * len(keys)
    lines = [head, rule]
    for r in rows:
        cells = " | ".join(f"{r.work.get(k, 0):,}" for k in keys)
        cpu = f"{r.cpu_seconds:.1f}" if r.cpu_seconds == r.cpu_seconds else "—"  # NaN: not recorded
        lines.append(f"| {r.variant} | {r.nbytes / MB:.2f} MB | {r.seconds:.1f} | {cpu} | "
                     f"{r.seconds_per_mb:.1f} | {cells} |")
    return "\n".join(lines)


def section(rows: Sequence[Measurement]) -> str:
    """The docs/benchmarks.md section: how it was measured, the table, and the growth of each count."""
    day = dt.date.today().isoformat()
    growth = []
    for variant in VARIANTS:
        mine = sorted((r for r in rows if r.variant == variant), key=lambda r: r.nbytes)
        if len(mine) < 2:
            continue
        first, last = mine[0], mine[-1]
        size = last.nbytes / first.nbytes
        per = ", ".join(f"{k} ×{last.work[k] / max(1, first.work.get(k, 0)):.2f}" for k in sorted(last.work))
        growth.append(f"- {variant}: text ×{size:.2f}, time ×{last.seconds / first.seconds:.2f}; {per}")
    return "\n".join([
        BEGIN,
        "## One long article (issue 14)",
        "",
        f"Measured {day} by `python benchmarks/long_article.py --write docs/benchmarks.md` on this project's "
        f"2-core machine (shared with other work while it ran; {os.cpu_count()} CPUs seen): one generated article "
        "of each size, extracted in a fresh process after the parser was loaded and warmed; seconds are wall "
        "clock around `kg.extract.extract` alone. The work columns are counts: the extractors' "
        "`kg.extract.actors.WORK` (actor comparisons, coreference lookups), the parser's sentences and the "
        "article's quads. `tests/test_hostile.py::test_work_grows_linearly_with_one_long_article` (slow) "
        "asserts those counts grow linearly.",
        "",
        table(rows),
        "",
        "From the smallest to the largest size:",
        "",
        *growth,
        END,
    ])


def write_section(path: Path, text: str) -> None:
    """Put ``text`` into ``path`` in place of the section written before (or at the end)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the sizes and variants asked for; print the table; optionally write the docs section."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,2,4", help="sizes in MB, comma-separated (default 1,2,4)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="prose, no punctuation, or both")
    ap.add_argument("--write", type=Path, metavar="FILE", help="put the section into FILE (docs/benchmarks.md)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also save the measurements as JSON")
    ap.add_argument("--from-json", type=Path, metavar="FILE", help="measure nothing: take a --json file's figures")
    args = ap.parse_args(argv)
    sizes = [int(float(s) * MB) for s in args.sizes.split(",")]
    variants = [v.strip() for v in args.variants.split(",")]
    rows: list[Measurement] = []
    if args.from_json:
        rows = [Measurement(**m) for m in json.loads(args.from_json.read_text(encoding="utf-8"))]
        variants = []
    for variant in variants:
        if variant not in VARIANTS:
            ap.error(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
        for n in sizes:
            m = measure_in_child(n, variant == "prose")
            print(f"{variant:15} {m.nbytes / MB:5.2f} MB {m.seconds:7.1f} s {m.seconds_per_mb:6.1f} s/MB {m.work}",
                  file=sys.stderr, flush=True)
            rows.append(m)
            if args.json:  # after every size, so an interrupted run keeps what it measured
                args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    if args.write:
        write_section(args.write, section(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
