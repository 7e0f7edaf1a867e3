"""Time the extractors on one core: articles per second of CPU time.

Generates distinct seed-size articles (2.2–2.8 KB of text, as the seed
articles are) with ``benchmarks/corpus.py``, reads them the way ``kg build``
reads a JSONL file, and times :func:`kg.extract.extract` on each with
``time.process_time``. Generated articles share sentences (they are mixed
from the same pools), so by default every text-keyed cache in ``kg.extract``
is cleared between articles, outside the timed region: nothing one article
computed is reused by the next, as with real news. Vocabulary loaders
(``maxsize=1`` caches) are kept, as in a long ``kg build`` run; they are
warmed up on one article before timing.

Usage (from the repository root, in the venv)::

    python benchmarks/extract_speed.py                  # 1,000 articles, cold caches
    python benchmarks/extract_speed.py -n 300 --warm    # keep caches across articles
    python benchmarks/extract_speed.py --profile 300    # cProfile, top functions by tottime
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402  (a sibling script)

from kg.model import Article  # noqa: E402

LOW, HIGH = 2200, 2800


def seed_size_articles(n: int) -> list[Article]:
    """``n`` distinct generated articles of LOW–HIGH bytes of text, read as ``kg build`` reads them."""
    import json

    from kg.read import read_jsonl

    pools = corpus.load_pools()
    seen: set[str] = set()
    lines: list[str] = []
    for aid, date, text in corpus.articles(n * 20, pools):
        size = len(text.encode("utf-8"))
        if LOW <= size <= HIGH and text not in seen:
            seen.add(text)
            lines.append(json.dumps({"id": aid, "date": date, "text": text}, ensure_ascii=False))
            if len(lines) == n:
                break
    if len(lines) < n:
        raise SystemExit(f"only {len(lines)} distinct articles of {LOW}-{HIGH} bytes")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    arts = [a for a in read_jsonl(data.splitlines(keepends=True), "bench.jsonl") if isinstance(a, Article)]
    assert len(arts) == n
    return arts


def text_caches() -> list[Callable[[], None]]:
    """``cache_clear`` of every lru_cache in kg.extract that is not a one-entry vocabulary loader."""
    import kg.extract.pipeline  # noqa: F401  (loads every extractor module)

    out = []
    for name, mod in list(sys.modules.items()):
        if not (name == "kg.extract" or name.startswith("kg.extract.")) or mod is None:
            continue
        for obj in vars(mod).values():
            params = getattr(obj, "cache_parameters", None)
            if callable(params) and getattr(obj, "__module__", None) == name and params().get("maxsize") != 1:
                out.append(obj.cache_clear)
    return out


def run(arts: Sequence[Article], warm: bool) -> float:
    """CPU seconds spent in extract() over ``arts``."""
    from kg.extract import extract

    clears = [] if warm else text_caches()
    extract(arts[0])  # load the vocabulary
    total = 0.0
    gc.collect()
    for art in arts:
        for clear in clears:
            clear()
        t0 = time.process_time()
        extract(art)
        total += time.process_time() - t0
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--warm", action="store_true", help="keep text-keyed caches across articles")
    ap.add_argument("--profile", type=int, metavar="N", help="profile N articles instead of timing")
    ap.add_argument("--repeat", type=int, default=1, help="time this many runs, report the best")
    args = ap.parse_args(argv)
    arts = seed_size_articles(args.n)
    kb = sum(len(a.text.encode("utf-8")) for a in arts) / len(arts) / 1024
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(functools.partial(run, arts[: args.profile], args.warm))
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return 0
    best = min(run(arts, args.warm) for _ in range(args.repeat))
    mode = "warm" if args.warm else "cold"
    print(
        f"{len(arts)} distinct articles, mean {kb:.2f} KB, {mode} caches: "
        f"{best:.2f} s CPU, {len(arts) / best:.1f} articles/s, {1000 * best / len(arts):.2f} ms/article"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
