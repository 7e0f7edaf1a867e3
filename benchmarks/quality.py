"""Regenerate docs/quality.md from live runs: the seeds, the fresh set, the blind set and PLOVER.

Usage (from the repository root)::

    python benchmarks/quality.py [--shared ../shared] [--out docs/quality.md] [--date YYYY-MM-DD]

Every figure on the page comes from running the current extractors; nothing
is typed in by hand except the notes on why some event types are hard by
nature, which do not depend on the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import plover  # noqa: E402  (a sibling script, not a package)

from kg.evaluate import LAYERS, EvalResult, evaluate, score  # noqa: E402
from kg.extract import extract  # noqa: E402
from kg.model import PLOVER_TYPES  # noqa: E402

WEAK = 0.5  # a type whose recall is below this gets a diagnosis

# Why some types are hard whatever the extractor does: facts about the
# benchmark and the type definitions, not about this run.
BY_NATURE: dict[str, str] = {
    "ACCUSE": "After the 2024 mapping ACCUSE also holds the old DISAPPROVE and INVESTIGATE records, so "
    "criticism, complaints and inquiries count as accusations; a lexicon of accusing verbs alone misses them.",
    "REQUEST": "REQUEST also holds the old DEMAND records: appeals, calls, urges and demands all belong here, "
    "and many are phrased as reported speech whose main verb is 'said'.",
    "ASSAULT": "ASSAULT also holds the old FIGHT records, so armed clashes between forces count, not only attacks "
    "on civilians; military nouns (shelling, clashes, raid) carry the event as often as verbs do.",
    "COOPERATE": "Only 4 records: one miss moves recall by 0.25. Sentences about agreeing to cooperate are coded "
    "AGREE, so COOPERATE and AGREE compete for the same words.",
    "MOBILIZE": "Only 6 records; the event is often a noun phrase (troop build-up, alert) rather than a verb.",
    "CONCEDE": "The wording varies widely (easing, releasing, allowing, apologising) with no one verb family, and "
    "the line to AGREE and RETREAT is thin.",
    "RETREAT": "Withdrawals, releases and returns of people or property share the type; the extractor must read "
    "'release' as a concession of the source to the target, not as aid.",
    "SUPPORT": "Verbal backing (praise, endorsement) is SUPPORT, material help is AID; 'support' names both in news "
    "copy.",
    "AID": "Material help is AID, but the same verbs (send, provide, supply) also describe deployments and "
    "transfers that belong to other types, so the object of the verb decides.",
    "THREATEN": "A threat is often conditional ('would', 'warned that ... unless') and easy to read as the act itself "
    "(COERCE, ASSAULT) or as a protest.",
    "COERCE": "Arrests, expulsions, curfews and bans fall here; each uses its own verb, and SANCTION and ASSAULT "
    "border it.",
    "REJECT": "Refusals are often negated verbs ('did not accept', 'refused to') that a trigger lexicon of positive "
    "verbs reads as AGREE or CONSULT.",
    "SANCTION": "Breaking off relations, boycotts and embargoes share the type; the trigger is often a noun.",
    "PROTEST": "Demonstrations by crowds whose actor is a nameless group ('thousands of students'): the source is "
    "hard to name even when the type is right.",
    "CONSULT": "Meetings, visits, calls and talks all count, often named by a noun (talks, summit) rather than a "
    "verb, and a meeting that ends in a deal is coded AGREE.",
    "AGREE": "AGREE sentences often name a further act agreed on (to cooperate, to withdraw), whose verb may win.",
}


def _git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "kg"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "an unknown commit"
    if not head:
        return "an unknown commit"
    return f"commit `{head}`" + (" with uncommitted changes under `kg/`" if dirty else "")


# -------------------------------------------------------------- gold-set figures


def layer_table(result: dict[str, Any]) -> list[str]:
    """The score of every layer as a Markdown table."""
    lines = ["| layer | P | R | F1 | matched | predicted | gold |", "|---|--:|--:|--:|--:|--:|--:|"]
    for layer in LAYERS:
        s = result[layer]
        figures = f"{s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f}"
        lines.append(f"| {layer} | {figures} | {s['matched']} | {s['predicted']} | {s['gold']} |")
    lines += ["", f"**headline_f1 = {result['headline_f1']:.3f}** (mean F1 of actors, events, allegations)."]
    return lines


def per_type_events(result: EvalResult) -> dict[str, dict[str, Any]]:
    """Typed-event figures for each event type, scoring each type's events on their own."""
    out: dict[str, dict[str, Any]] = {}
    types = {str(e.get("type")).upper() for d in result.gold.values() for e in d.get("events") or []}
    types |= {str(e.get("type")).upper() for k, d in result.predicted.items() if k in result.gold for e in d["events"]}
    for t in [t for t in PLOVER_TYPES if t in types] + sorted(types - set(PLOVER_TYPES)):

        def only(d: dict[str, Any], t: str = t) -> dict[str, Any]:
            return {"events": [e for e in d.get("events") or [] if str(e.get("type")).upper() == t]}

        g = {k: only(d) for k, d in result.gold.items()}
        p = {k: only(d) for k, d in result.predicted.items() if k in result.gold}
        s = score(g, p)["events"]
        untyped_hits = score(g, {k: {"events": result.predicted.get(k, {}).get("events") or []} for k in g})
        s["found_untyped"] = untyped_hits["events_untyped"]["matched"]
        out[t] = s
    return out


def type_table(per_type: dict[str, dict[str, Any]]) -> list[str]:
    """Per-type event figures as a Markdown table."""
    lines = [
        "| type | gold | predicted | matched | R | P | gold events found under another type |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for t, s in per_type.items():
        p = f"{s['p']:.2f}" if s["predicted"] else "–"
        r = f"{s['r']:.2f}" if s["gold"] else "–"
        lines.append(
            f"| {t} | {s['gold']} | {s['predicted']} | {s['matched']} | {r} | {p} | "
            f"{max(0, s['found_untyped'] - s['matched'])} |"
        )
    return lines


def gold_section(title: str, command: str, result: EvalResult, date: str, note: str) -> list[str]:
    """One gold set: what it is, the command, the layer table and the per-type table."""
    lines = [f"## {title}", "", note, "", f"Measured {date} with", "", "```", command, "```", ""]
    lines += layer_table(result)
    per_type = per_type_events(result)
    lines += ["", "Typed events by type (each type scored on its own):", ""]
    lines += type_table(per_type)
    weak = [t for t, s in per_type.items() if s["gold"] >= 2 and s["r"] < WEAK]
    if weak:
        lines += [
            "",
            f"Types with at least two gold events and recall under {WEAK} here: {', '.join(weak)}. "
            "Why each is hard is discussed under PLOVER below"
            + (
                "."
                if "blind/test" in command
                else "; the command above with `--show-errors` lists every miss and false alarm."
            ),
        ]
    if result.get("problems"):
        lines += ["", "Inputs skipped: " + "; ".join(result["problems"])]
    return [*lines, ""]


# ---------------------------------------------------------------------- PLOVER


def plover_run(shared: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run the PLOVER benchmark, keeping per-record details for the diagnosis."""
    path = shared / plover.DATA
    records = plover.load_records(path)
    outcomes, details = [], []
    for r in records:
        found = extract(plover.article_of(r))
        o = plover.judge(r, found)
        outcomes.append(o)
        details.append({"gold": r.type, "first": o.first, "types": set(o.predicted), "actors": len(found.actors)})
    return plover.summarise(outcomes), details


def diagnose(summary: dict[str, Any], details: list[dict[str, Any]]) -> list[str]:
    """Per type with recall under WEAK: what became of its records, and why the type is hard."""
    lines: list[str] = []
    for t in PLOVER_TYPES:
        row = summary["per_type"][t]
        if row["any"]["r"] >= WEAK:
            continue
        mine = [d for d in details if d["gold"] == t]
        missed = [d for d in mine if t not in d["types"]]
        no_event = [d for d in missed if not d["types"]]
        no_actor = [d for d in no_event if d["actors"] == 0]
        other = Counter(x for d in missed for x in d["types"])
        parts = [f"recall {row['any']['r']:.2f} ({row['any']['matched']} of {row['gold']})."]
        if no_event:
            parts.append(
                f"{len(no_event)} of the {len(missed)} misses produced no event at all"
                + (f" ({len(no_actor)} of them not even an actor)" if no_actor else "")
                + ": the trigger of the sentence is not one the extractor knows."
            )
        if other:
            top = ", ".join(f"{k} ({v})" for k, v in other.most_common(3))
            parts.append(f"Where an event was found it was most often typed {top}.")
        prec = row["any"]
        if prec["predicted"] and prec["p"] < WEAK:
            parts.append(
                f"Precision is low too ({prec['p']:.2f}): {prec['predicted'] - prec['matched']} records of other "
                f"types were given {t}."
            )
        if t in BY_NATURE:
            parts.append("Why the type is hard: " + BY_NATURE[t])
        lines.append(f"- **{t}** — " + " ".join(parts))
    return lines


def plover_section(summary: dict[str, Any], details: list[dict[str, Any]], date: str) -> list[str]:
    """The PLOVER figures, the command, and the diagnosis of weak types."""
    lines = [
        "## PLOVER Gold Standard Records",
        "",
        "An outside benchmark: 322 one-sentence records, each with one gold event type and its source and target. "
        "Each record is run as an undated one-sentence article under an opaque id (`r0001`, ...), so neither the "
        "record's id nor its placeholder date can leak the answer.",
        "",
        f"Measured {date} with",
        "",
        "```",
        "python benchmarks/plover.py --shared ../shared",
        "```",
        "",
    ]
    body = plover.to_markdown(summary, heading="###").split("\n")
    lines += body[2:]  # its own title is replaced by the one above
    weak = diagnose(summary, details)
    lines += ["### Weak types and why", ""]
    if summary["records_with_events"] == 0:
        lines += [
            "No record gave any event: at this commit the default pipeline has no working event extractor, so "
            "the diagnosis below says more about the benchmark than about the extractor.",
            "",
        ]
    if weak:
        lines += [f"Types whose recall (any predicted event of the type) is under {WEAK}:", "", *weak]
    else:
        lines.append(f"No type has recall under {WEAK}.")
    return [*lines, ""]


# ------------------------------------------------------------------------ page


def page(repo: Path, shared: Path, date: str) -> str:
    """The whole of docs/quality.md."""
    lines = [
        "# How well newskg extracts",
        "",
        f"Generated {date} from live runs at {_git_state()} by `python benchmarks/quality.py`; do not edit by hand. "
        "The matching rules (normalised names, greedy one-to-one matching, evidence overlap) are those of "
        "`kg eval`, documented in `kg/evaluate.py`. P, R and F1 are summed over all articles before dividing.",
        "",
        "Read the event figures with care: the gold sets are small (tens of events), each made by one annotator, "
        "and a typed event counts only when both its type and its sentence agree with the gold.",
        "",
    ]
    gold = shared / "gold"
    if gold.is_dir():
        result = evaluate(gold, [str(repo / "seeds")])
        lines += gold_section(
            "The seeds",
            "kg eval ../shared/gold seeds",
            result,
            date,
            "The three seed articles against the hand-made gold of `../shared/gold/`.",
        )
    fresh_gold, fresh_articles = repo / "tests" / "fresh" / "gold", repo / "tests" / "fresh" / "articles"
    if fresh_gold.is_dir() and fresh_articles.is_dir() and any(fresh_gold.glob("*.json")):
        result = evaluate(fresh_gold, [str(fresh_articles)])
        lines += gold_section(
            "The fresh set",
            "kg eval tests/fresh/gold tests/fresh/articles",
            result,
            date,
            f"{result['articles']} passages written for this project in the manner of wire copy, on real events "
            "from other regions and kinds of story than the seeds, with their own hand-made gold; they test "
            "whether the extractors generalise beyond the seeds.",
        )
    blind = repo / "tests" / "blind"
    for half, note in (
        (
            "dev",
            "The development half of the blind set: passages in the manner of wire copy written by a helper who never "
            "saw the extractors, their data or their tests, with gold made by a second helper who saw neither "
            "(conventions in `tests/blind/README.md`). The extractors' authors read these and their errors.",
        ),
        (
            "test",
            "The held-out half of the blind set, written and annotated the same way. Nobody working on the "
            "extractors reads its passages, its gold or its errors: only these totals are looked at.",
        ),
    ):
        gold_dir, articles = blind / half / "gold", blind / half / "articles"
        if gold_dir.is_dir() and articles.is_dir() and any(gold_dir.glob("*.json")):
            result = evaluate(gold_dir, [str(articles)])
            lines += gold_section(
                f"The blind {half} half",
                f"kg eval tests/blind/{half}/gold tests/blind/{half}/articles",
                result,
                date,
                f"{result['articles']} passages. {note}",
            )
    if (shared / plover.DATA).is_file():
        summary, details = plover_run(shared)
        lines += plover_section(summary, details, date)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the page (atomically) to --out."""
    ap = argparse.ArgumentParser(description="Regenerate docs/quality.md from live runs.")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md", help="where to write the page")
    ap.add_argument("--date", default=dt.date.today().isoformat(), help="the date to print (default: today)")
    args = ap.parse_args(argv)
    text = page(REPO, args.shared, args.date)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(f"quality: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
