"""Run newskg's extractors over the PLOVER Gold Standard Records and score the events.

Each record of ``plover_gsr_2024map.jsonl`` is treated as a one-sentence
article with one gold event. The records get opaque ids (``r0001``, ... by
line order) because their own ids spell out the event type. The placeholder
date of the records is not passed on.

For every record the predicted events are compared with the gold event:

- typed, lenient ("any"): correct when any predicted event has the gold type;
- typed, strict ("first"): the type of the first predicted event (by position
  in the sentence), or NONE when there is none — this is what the confusion
  table shows;
- source / target: the event judged is the first predicted event of the gold
  type, else the first predicted event. Its source (target) is right when one
  of the predicted actor's names contains, or is contained in, a gold actor's
  text (normalised, whole words), or when the predicted actor is a country
  whose name is that of the gold actor's ISO-3 code. Actors marked SRC/TAR in
  the record's markup act jointly and count in either role.

Usage::

    python benchmarks/plover.py [--shared ../shared] [--out FILE] [--json]

The data is © 2016 Open Event Data Alliance, CC BY-SA 4.0; the output says so,
and is read from the shared folder at run time, never copied into the repo.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.evaluate import normalise, prf
from kg.extract import extract
from kg.model import PLOVER_TYPES, Article, Extraction, Span

log = logging.getLogger("benchmarks.plover")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DATA = Path("benchmarks") / "plover-gsr" / "plover_gsr_2024map.jsonl"
NONE = "NONE"

ATTRIBUTION = (
    "Data: PLOVER Gold Standard Records, © 2016 Open Event Data Alliance, licensed CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/); from https://github.com/openeventdata/PLOVER "
    "(gold_standard_records, commit 6ce501bd), event types mapped to the sixteen PLOVER types of 2024. "
    "The figures below are derived from it and shared alike."
)

# Codes in the records that are not ISO 3166 alpha-3, or whose ISO name is
# not the one news copy uses. (CAMEO country codes; "IGO"/"NGO" are sectors.)
_CODE_NAMES: dict[str, tuple[str, ...]] = {
    "JAP": ("Japan",),
    "ITL": ("Italy",),
    "VTN": ("Vietnam",),
    "RUS": ("Russia",),
    "PSE": ("Palestine", "Palestinian territories"),
    "GBR": ("Britain", "Great Britain", "UK"),
    "USA": ("United States", "US", "USA", "America"),
    "PRK": ("North Korea",),
    "KOR": ("South Korea",),
    "IRN": ("Iran",),
    "SYR": ("Syria",),
    "COD": ("Democratic Republic of the Congo", "DR Congo", "Congo"),
    "COG": ("Republic of the Congo", "Congo"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire"),
    "MKD": ("Macedonia", "North Macedonia"),
    "TZA": ("Tanzania",),
    "VNM": ("Vietnam",),
    "LAO": ("Laos",),
    "BOL": ("Bolivia",),
    "VEN": ("Venezuela",),
    "MDA": ("Moldova",),
    "TWN": ("Taiwan",),
    "HKG": ("Hong Kong",),
    "CZE": ("Czech Republic", "Czechia"),
    "SRB": ("Serbia", "Yugoslavia"),
}


def country_names(code: str | None) -> set[str]:
    """Normalised country names for an ISO-3 (or CAMEO country) code; empty when unknown."""
    if not code:
        return set()
    code = code.upper()
    names = set(_CODE_NAMES.get(code, ()))
    try:
        import pycountry  # optional: only widens the names a code maps to

        country = pycountry.countries.get(alpha_3=code)
    except ImportError:  # pragma: no cover - depends on the environment
        country = None
    if country is not None:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names.add(value)
    return {n for n in (normalise(x) for x in names) if n}


# --------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldActor:
    """One gold actor: its text in the sentence and its country or sector code."""

    text: str
    code: str | None = None


@dataclass(frozen=True)
class Record:
    """One gold standard record, under an opaque id."""

    rid: str
    line: int
    text: str
    type: str
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]
    joint: tuple[GoldActor, ...]  # marked SRC/TAR: accepted in either role


_MARK = re.compile(r"\((SRC/TAR|TAR/SRC|SRC|TAR):\s*([^)]*)\)")


def _actors(value: object) -> tuple[GoldActor, ...]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return ()
    out = []
    for a in value:
        if isinstance(a, dict) and str(a.get("actorText") or "").strip():
            out.append(GoldActor(str(a["actorText"]).strip(), str(a.get("code") or "") or None))
    return tuple(out)


def load_records(path: Path) -> list[Record]:
    """The records of the JSONL file, in line order, with opaque ids ``r0001``, ..."""
    records: list[Record] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            sources, targets = _actors(rec.get("source")), _actors(rec.get("target"))
            known = {normalise(a.text): a for a in (*sources, *targets)}
            info = rec.get("textInfo")
            markup = str(info.get("markup") or "") if isinstance(info, dict) else str(info or "")
            joint = tuple(
                known.get(normalise(m.group(2)), GoldActor(m.group(2).strip()))
                for m in _MARK.finditer(markup)
                if "/" in m.group(1) and m.group(2).strip()
            )
            records.append(
                Record(
                    rid=f"r{len(records) + 1:04d}",
                    line=lineno,
                    text=str(rec["text"]),
                    type=str(rec["event"]).upper(),
                    sources=sources,
                    targets=targets,
                    joint=joint,
                )
            )
    return records


def article_of(record: Record) -> Article:
    """A one-sentence, undated article for a record."""
    text = record.text
    return Article(
        id=record.rid,
        text=text,
        source=f"plover:{record.rid}",
        paragraphs=(Span(0, len(text), text),),
    )


# ---------------------------------------------------------------------- scoring


@dataclass
class Outcome:
    """What the extractors made of one record."""

    rid: str
    gold: str
    predicted: list[str] = field(default_factory=list)  # event types in sentence order
    first: str = NONE
    source_ok: bool | None = None  # None: the record has no gold source
    target_ok: bool | None = None


def _words_contain(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def role_matches(name: str | None, found: Extraction, gold: Sequence[GoldActor]) -> bool:
    """Whether a predicted actor name fits one of the gold actors (see the module docstring)."""
    if not name:
        return False
    actor = next((a for a in found.actors if a.name == name), None)
    names = {normalise(name)}
    if actor is not None:
        names.update(normalise(x) for x in actor.aliases)
        names.update(normalise(m.text) for m in actor.mentions)
    names.discard("")
    is_country = actor is not None and actor.type == "Country"
    for g in gold:
        text = normalise(g.text)
        if any(_words_contain(n, text) for n in names):
            return True
        if is_country and any(_words_contain(n, c) for n in names for c in country_names(g.code)):
            return True
    return False


def judge(record: Record, found: Extraction) -> Outcome:
    """Compare one record's predicted events with its gold event."""
    events = sorted(found.events, key=lambda e: e.evidence.begin)
    out = Outcome(record.rid, record.type, [e.type.upper() for e in events])
    if events:
        out.first = events[0].type.upper()
    chosen = next((e for e in events if e.type.upper() == record.type), events[0] if events else None)
    if record.sources or record.joint:
        out.source_ok = chosen is not None and role_matches(chosen.source_actor, found, record.sources + record.joint)
    if record.targets or record.joint:
        out.target_ok = chosen is not None and role_matches(chosen.target_actor, found, record.targets + record.joint)
    return out


def run(records: Iterable[Record]) -> list[Outcome]:
    """Extract from every record and judge it."""
    return [judge(r, extract(article_of(r))) for r in records]


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def _accuracy(oks: Sequence[bool | None]) -> dict[str, Any]:
    right = sum(1 for ok in oks if ok)
    return {"right": right, "of": len(oks), "share": _share(right, len(oks))}


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Figures over all records: overall, per type, the confusion table, source/target accuracy."""
    n = len(outcomes)
    types = list(PLOVER_TYPES)
    columns = [*types, NONE]
    extra = sorted({o.first for o in outcomes} - set(columns))
    columns = [*types, *extra, NONE]
    confusion = {t: dict.fromkeys(columns, 0) for t in types}
    for o in outcomes:
        confusion.setdefault(o.gold, dict.fromkeys(columns, 0))[o.first] += 1
    per_type: dict[str, Any] = {}
    any_pairs = [(o.gold, t) for o in outcomes for t in set(o.predicted)]
    for t in types:
        gold_n = sum(1 for o in outcomes if o.gold == t)
        any_hit = sum(1 for o in outcomes if o.gold == t and t in o.predicted)
        any_pred = sum(1 for _, p in any_pairs if p == t)
        first_hit = confusion[t][t]
        first_pred = sum(1 for o in outcomes if o.first == t)
        per_type[t] = {
            "gold": gold_n,
            "any": prf(any_hit, any_pred, gold_n),
            "first": prf(first_hit, first_pred, gold_n),
        }
    hits_any = sum(1 for o in outcomes if o.gold in o.predicted)
    hits_first = sum(1 for o in outcomes if o.first == o.gold)
    predicted_pairs = len(any_pairs)
    correct_pairs = sum(1 for g, p in any_pairs if g == p)
    with_events = sum(1 for o in outcomes if o.predicted)
    src = [o for o in outcomes if o.source_ok is not None]
    tgt = [o for o in outcomes if o.target_ok is not None]
    src_typed = [o for o in src if o.gold in o.predicted]
    tgt_typed = [o for o in tgt if o.gold in o.predicted]
    return {
        "records": n,
        "records_with_events": with_events,
        "typed_recall_any": _share(hits_any, n),
        "typed_precision_any": _share(correct_pairs, predicted_pairs),
        "typed_recall_first": _share(hits_first, n),
        "typed_precision_first": _share(hits_first, with_events),
        "per_type": per_type,
        "confusion": confusion,
        "confusion_columns": columns,
        "source_accuracy": _accuracy([o.source_ok for o in src]),
        "target_accuracy": _accuracy([o.target_ok for o in tgt]),
        "source_accuracy_when_typed": _share(sum(1 for o in src_typed if o.source_ok), len(src_typed)),
        "target_accuracy_when_typed": _share(sum(1 for o in tgt_typed if o.target_ok), len(tgt_typed)),
        "attribution": ATTRIBUTION,
    }


# ------------------------------------------------------------------------ output


def _p(figures: dict[str, Any]) -> str:
    """Precision, or a dash when nothing of the type was predicted."""
    return f"{figures['p']:.2f}" if figures["predicted"] else "–"


def to_markdown(summary: dict[str, Any], heading: str = "##") -> str:
    """The summary as Markdown: overall figures, per-type table, confusion table, roles."""
    s = summary
    lines = [
        f"{heading} PLOVER Gold Standard Records",
        "",
        f"_{s['attribution']}_",
        "",
        f"{s['records']} one-sentence records; the extractors found at least one event in {s['records_with_events']}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| typed recall (any predicted event has the gold type) | {s['typed_recall_any']:.3f} |",
        f"| typed precision (predicted types that are the gold type) | {s['typed_precision_any']:.3f} |",
        f"| strict accuracy (first predicted event has the gold type) | {s['typed_recall_first']:.3f} |",
        f"| strict precision (over records with an event) | {s['typed_precision_first']:.3f} |",
        f"| source accuracy | {s['source_accuracy']['share']:.3f} "
        f"({s['source_accuracy']['right']}/{s['source_accuracy']['of']}) |",
        f"| target accuracy | {s['target_accuracy']['share']:.3f} "
        f"({s['target_accuracy']['right']}/{s['target_accuracy']['of']}) |",
        f"| source accuracy where the type was found | {s['source_accuracy_when_typed']:.3f} |",
        f"| target accuracy where the type was found | {s['target_accuracy_when_typed']:.3f} |",
        "",
        f"{heading}# Per type",
        "",
        "| type | gold | recall (any) | precision (any) | F1 (any) | recall (first) | precision (first) |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for t, row in s["per_type"].items():
        a, f = row["any"], row["first"]
        lines.append(f"| {t} | {row['gold']} | {a['r']:.2f} | {_p(a)} | {a['f1']:.2f} | {f['r']:.2f} | {_p(f)} |")
    cols = s["confusion_columns"]
    lines += [
        "",
        f"{heading}# Confusion (rows: gold type; columns: type of the first predicted event)",
        "",
        "| gold \\ predicted | " + " | ".join(c[:4] for c in cols) + " |",
        "|---|" + "--:|" * len(cols),
    ]
    for t, row in s["confusion"].items():
        cells = [(f"**{row[c]}**" if c == t and row[c] else str(row[c] or "·")) for c in cols]
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    lines += ["", "Column heads are the first four letters of the type; NONE: no event found.", ""]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def benchmark(shared: Path) -> dict[str, Any]:
    """Load the records from the shared folder, run the extractors, and summarise."""
    path = shared / DATA
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no PLOVER records here (is --shared right?)")
    return summarise(run(load_records(path)))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: markdown (or JSON with --json) to stdout or --out."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: ../shared)")
    ap.add_argument("--out", type=Path, help="write here instead of stdout")
    ap.add_argument("--json", action="store_true", help="JSON instead of Markdown")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        summary = benchmark(args.shared)
    except FileNotFoundError as err:
        print(f"plover: {err}", file=sys.stderr)
        return 2
    text = json.dumps(summary, indent=1, ensure_ascii=False) + "\n" if args.json else to_markdown(summary)
    if args.out:
        _write(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


__all__ = ["Outcome", "Record", "benchmark", "judge", "load_records", "main", "run", "summarise", "to_markdown"]

if __name__ == "__main__":
    raise SystemExit(main())
