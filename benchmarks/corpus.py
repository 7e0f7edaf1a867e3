"""Generate a synthetic news corpus for timing newskg at scale.

Each article is 8–30 sentences mixed from three pools, all read from disk at
run time (nothing is copied into the repository):

- the seed articles (``seeds/*.txt``),
- the test passages under ``tests/fresh/articles`` (when present),
- the PLOVER gold-standard sentences
  (``../shared/benchmarks/plover-gsr/plover_gsr_2024map.jsonl``; © 2016 Open
  Event Data Alliance, CC BY-SA 4.0 — a corpus made from them is shared alike).

An article takes a run of consecutive sentences from one seed or test passage
(so its actors, allegations and denials keep their context) and interleaves
PLOVER sentences and runs from a second passage, grouped into paragraphs of
two to four sentences, under a ``date YYYY-MM-DD`` prefix spread over 2023–2024.
The random seed is fixed, so the same ``N`` always gives the same bytes.

Usage::

    python benchmarks/corpus.py 1000 -o /tmp/corpus-1000          # a folder of .txt files
    python benchmarks/corpus.py 1000 -o /tmp/corpus-1000.jsonl    # one JSONL file
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PLOVER = SHARED / "benchmarks" / "plover-gsr" / "plover_gsr_2024map.jsonl"
SEED = 20261125
START = dt.date(2023, 1, 1)
DAYS = (dt.date(2024, 12, 31) - START).days


@dataclass(frozen=True)
class Pools:
    """Sentence pools: passages (lists of consecutive sentences) and single PLOVER sentences."""

    passages: list[list[str]]
    plover: list[str]

    def __str__(self) -> str:
        n = sum(len(p) for p in self.passages)
        return f"{len(self.passages)} passages ({n} sentences), {len(self.plover)} PLOVER sentences"


def _passage_sentences(path: Path) -> list[str]:
    """The body sentences of one article file, read the way ``kg build`` reads it."""
    from kg.extract.nlp import parse
    from kg.read import Problem, read_file
    from kg.text import normalise_space

    out: list[str] = []
    for art in read_file(path):
        if isinstance(art, Problem):
            continue
        for span in parse(art.text, art.paragraphs).spans:
            s = normalise_space(span.text)
            # Section headings come out as sentences without a full stop; prose only.
            if len(s) > 30 and s[-1] in ".!?\"'”’":
                out.append(s)
    return out


def load_pools(repo: Path = REPO, plover: Path = PLOVER) -> Pools:
    """Read the seeds, the test passages (if present) and the PLOVER sentences (if present)."""
    files = sorted((repo / "seeds").glob("*.txt"))
    fresh = repo / "tests" / "fresh" / "articles"
    if fresh.is_dir():
        files += sorted(fresh.glob("*.txt"))
    passages = [s for s in (_passage_sentences(f) for f in files) if s]
    sentences: list[str] = []
    if plover.is_file():
        for line in plover.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = str(json.loads(line).get("text", "")).strip()
                if text:
                    sentences.append(" ".join(text.split()))
    if not passages:
        raise SystemExit(f"no seed articles found under {repo / 'seeds'}")
    return Pools(passages, sentences)


def _article_sentences(rng: random.Random, pools: Pools) -> list[str]:
    n = rng.randint(8, 30)
    main = rng.choice(pools.passages)
    k = min(len(main), rng.randint(4, max(4, n * 2 // 3)))
    start = rng.randint(0, len(main) - k)
    out = list(main[start : start + k])
    while len(out) < n:
        if pools.plover and rng.random() < 0.6:
            out.insert(rng.randint(1, len(out)), rng.choice(pools.plover))
        else:
            other = rng.choice(pools.passages)
            m = min(len(other), rng.randint(1, 3), n - len(out))
            b = rng.randint(0, len(other) - m)
            pos = rng.randint(1, len(out))
            out[pos:pos] = other[b : b + m]
    return out[:n]


def articles(n: int, pools: Pools, seed: int = SEED) -> Iterator[tuple[str, str, str]]:
    """``n`` articles as (id, ISO date, body text), the same for the same ``n`` and seed."""
    rng = random.Random(seed)
    width = max(5, len(str(n)))
    for i in range(n):
        date = (START + dt.timedelta(days=rng.randint(0, DAYS))).isoformat()
        sents = _article_sentences(rng, pools)
        paragraphs: list[str] = []
        j = 0
        while j < len(sents):
            step = rng.randint(2, 4)
            paragraphs.append(" ".join(sents[j : j + step]))
            j += step
        yield f"a{i:0{width}d}", date, "\n\n".join(paragraphs)


def write_corpus(n: int, out: Path, pools: Pools | None = None, seed: int = SEED) -> Path:
    """Write ``n`` articles to ``out``: a folder of ``.txt`` files, or one file if it ends in ``.jsonl``."""
    pools = pools or load_pools()
    if out.suffix == ".jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for aid, date, text in articles(n, pools, seed):
                fh.write(json.dumps({"id": aid, "date": date, "text": text}, ensure_ascii=False) + "\n")
        return out
    out.mkdir(parents=True, exist_ok=True)
    for aid, date, text in articles(n, pools, seed):
        (out / f"{aid}.txt").write_text(f"date {date} {text}\n", encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``corpus.py N -o OUT [--seed S]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles (e.g. 100, 1000, 10000)")
    ap.add_argument("-o", "--out", type=Path, required=True, help="a folder, or a file ending in .jsonl")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = ap.parse_args(argv)
    pools = load_pools()
    write_corpus(args.n, args.out, pools, args.seed)
    print(f"{args.n} articles -> {args.out} from {pools}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
