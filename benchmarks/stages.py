"""Where one article's extraction time goes: the parse, then each extractor step.

Generates distinct seed-size articles (as ``benchmarks/extract_speed.py``
does), then, one core, CPU time (``time.process_time``):

- the parse (``kg.extract.nlp.parse``: spaCy over bounded pieces), with every
  component of the pipeline and with each optional component left out;
- each registered extractor step on the parsed article (actors, places,
  events, discourse, times, allegations, responses).

Usage (from the repository root, in the venv)::

    python benchmarks/stages.py            # 300 articles
    python benchmarks/stages.py -n 100
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from extract_speed import seed_size_articles, text_caches  # noqa: E402  (a sibling script)

from kg.extract import DEFAULT_PIPELINE, registered  # noqa: E402
from kg.extract.nlp import parse, pipeline  # noqa: E402
from kg.model import Extraction  # noqa: E402

OPTIONAL = ("ner", "lemmatizer", "attribute_ruler")


def time_parse(arts: Sequence, disabled: tuple[str, ...] = ()) -> float:
    """Milliseconds of CPU per article for the parse with ``disabled`` components off."""
    nlp = pipeline()
    clears = text_caches()
    with nlp.select_pipes(disable=list(disabled)):
        total = 0.0
        for a in arts:
            for c in clears:
                c()
            t0 = time.process_time()
            parse(a.text, a.paragraphs)
            total += time.process_time() - t0
    return 1000 * total / len(arts)


def time_steps(arts: Sequence) -> dict[str, float]:
    """Milliseconds of CPU per article for the parse and each extractor step, in pipeline order."""
    steps = registered()
    clears = text_caches()
    out: dict[str, float] = {"parse": 0.0, **{name: 0.0 for name in DEFAULT_PIPELINE}}
    for a in arts:
        for c in clears:
            c()
        t0 = time.process_time()
        parsed = parse(a.text, a.paragraphs)
        out["parse"] += time.process_time() - t0
        found = Extraction(article=a, sentences=parsed.spans, parse=parsed)
        for name in DEFAULT_PIPELINE:
            t0 = time.process_time()
            found = steps[name](a, found)
            out[name] += time.process_time() - t0
        dataclasses.replace(found, parse=None)
    return {k: 1000 * v / len(arts) for k, v in out.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-stage table (Markdown) for ``-n`` articles."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=300, help="articles (default 300)")
    args = ap.parse_args(argv)
    arts = seed_size_articles(args.n)
    time_steps(arts[:5])  # load the model and the vocabularies outside the timed runs
    words = sum(len(a.text.split()) for a in arts) / len(arts)
    print(f"{args.n} generated articles, {words:.0f} words each on average; CPU ms per article, one core\n")
    steps = time_steps(arts)
    print("| stage | ms / article |\n|---|--:|")
    for name, ms in steps.items():
        print(f"| {name} | {ms:.1f} |")
    print(f"| **all** | **{sum(steps.values()):.1f}** |\n")
    nlp = pipeline()
    print("| parse with | ms / article |\n|---|--:|")
    print(f"| every component ({', '.join(nlp.pipe_names)}) | {time_parse(arts):.1f} |")
    for comp in OPTIONAL:
        if comp in nlp.pipe_names:
            print(f"| without {comp} | {time_parse(arts, (comp,)):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
