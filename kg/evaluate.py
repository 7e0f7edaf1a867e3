"""Extraction JSON against gold: precision, recall and F1 per layer.

The rules are those of the design ("Matching rules for scoring"):

- names and sentences are compared after :func:`normalise`;
- matching is one-to-one and greedy: each gold item, in file order, takes the
  first prediction not yet taken that matches it;
- precision = matches / predictions and recall = matches / gold items, the
  counts summed over all articles (micro average) before dividing;
- ``headline_f1`` is the mean of the ``actors``, ``events`` and
  ``allegations`` F1.

A ratio whose denominator is zero is 0.0, except that a layer with neither
gold items nor predictions is perfect (p = r = F1 = 1.0): nothing was there
and nothing was claimed.

Gold and predictions are plain dicts in the extraction JSON shape (see
:mod:`kg.extraction_json`), keyed by article id. Gold files are
``GOLD_DIR/<article id>.json``; predictions come from running the extractors
(:func:`evaluate`) or from a folder written by ``kg extract --json-dir``
(:func:`score_predictions`).

This module does not print; :func:`format_text` and :func:`format_errors`
return text for the command line to echo.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError

log = logging.getLogger(__name__)

LAYERS: tuple[str, ...] = (
    "actors",
    "actor_types",
    "events",
    "events_untyped",
    "event_roles",
    "event_participants",
    "allegations",
    "allegations_untyped",
    "claimants",
)
HEADLINE_LAYERS: tuple[str, ...] = ("actors", "events", "allegations")
_SECTIONS: tuple[str, ...] = ("actors", "events", "allegations")

# ------------------------------------------------------------------ comparing text

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """A name or sentence in the form the matching rules compare.

    Unicode NFKD with accents (combining marks) dropped, lower case,
    punctuation (anything but letters, digits and spaces) as spaces, runs of
    spaces as one, and a leading "the " dropped: ``"The  Élysée-Palace"`` ->
    ``"elysee palace"``.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    # Letters outside a-z (Cyrillic, CJK, ß after NFKD) are kept as letters.
    plain = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in plain)
    plain = _SPACES.sub(" ", plain).strip()
    if plain.startswith("the "):
        plain = plain[4:]
    return plain


def overlaps(a: str, b: str) -> bool:
    """Whether two evidence sentences overlap by the design's rule.

    After :func:`normalise`, one contains the other, or they share at least
    half the (distinct) words of the one with fewer words. Empty text
    overlaps nothing.
    """
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    wa, wb = set(na.split()), set(nb.split())
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return 2 * len(shorter & longer) >= len(shorter)


# ------------------------------------------------------------------------ reading


def _items(obj: dict[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise InputError(source, f"'{key}' must be a list, not {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(source, f"{key}[{i}] must be an object, not {type(item).__name__}")
    return value


def load_json_dir(folder: Path, what: str = "gold") -> dict[str, dict[str, Any]]:
    """Every ``*.json`` file of a folder (not recursive), keyed by file stem.

    Each file must hold one object in the extraction JSON shape; ``actors``,
    ``events`` and ``allegations`` may be missing (read as empty) but, when
    present, must be lists of objects. Raises :class:`kg.errors.InputError`
    naming the file (and line for malformed JSON).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), f"no such {what} folder")
    files = sorted(folder.glob("*.json"), key=lambda p: p.name)
    if not files:
        raise InputError(str(folder), f"no {what} files (*.json) in the folder")
    out: dict[str, dict[str, Any]] = {}
    for path in files:
        source = str(path)
        try:
            obj = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as err:
            raise InputError(source, f"malformed JSON ({err.msg} at column {err.colno})", err.lineno) from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(source, f"cannot read: {err}") from None
        if not isinstance(obj, dict):
            raise InputError(source, f"must hold one JSON object, not {type(obj).__name__}")
        for key in _SECTIONS:
            obj[key] = _items(obj, key, source)
        out[path.stem] = obj
    log.debug("read %d %s files from %s", len(out), what, folder)
    return out


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """The gold extractions of ``GOLD_DIR/<article id>.json``, keyed by article id (file stem)."""
    return load_json_dir(Path(gold_dir), "gold")


# ----------------------------------------------------------------------- matching


def _names(actor: dict[str, Any]) -> set[str]:
    names = {normalise(str(actor.get("name") or ""))}
    aliases = actor.get("aliases") or []
    if isinstance(aliases, str):  # one alias given bare
        aliases = [aliases]
    names.update(normalise(str(a)) for a in aliases if a)
    names.discard("")
    return names


def _actor_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return bool(_names(g) & _names(p))


def _event_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return _upper(g.get("type")) == _upper(p.get("type")) and _evidence_match(g, p)


def _evidence_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return overlaps(str(g.get("evidence") or ""), str(p.get("evidence") or ""))


def _allegation_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return _lower(g.get("stance")) == _lower(p.get("stance")) and _evidence_match(g, p)


def _upper(value: object) -> str:
    return str(value or "").strip().upper()


def _lower(value: object) -> str:
    return str(value or "").strip().lower()


Matcher = Callable[[dict[str, Any], dict[str, Any]], bool]


def greedy_match(
    gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]], matches: Matcher
) -> list[tuple[int, int]]:
    """One-to-one greedy pairs ``(gold index, predicted index)``.

    Each gold item, in order, takes the first prediction not yet taken for
    which ``matches(gold_item, prediction)`` holds.
    """
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if pi not in taken and matches(g, p):
                taken.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


class _Resolver:
    """Names to gold actors: a name or alias of gold actor i resolves to i."""

    def __init__(self, gold_actors: Sequence[dict[str, Any]]) -> None:
        self.index: dict[str, int] = {}
        for i, actor in enumerate(gold_actors):
            for name in _names(actor):
                self.index.setdefault(name, i)

    def __call__(self, name: object) -> str | None:
        """A key for a name: ``"#i"`` for gold actor i, else the normalised name; None for no name."""
        if name is None:
            return None
        norm = normalise(str(name))
        if not norm:
            return None
        i = self.index.get(norm)
        return f"#{i}" if i is not None else norm

    def many(self, names: object) -> set[str]:
        """The set of keys for a list of names (a lone string counts as a list of one)."""
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list):
            return set()
        return {k for k in (self(n) for n in names) if k is not None}


@dataclass
class _Count:
    matched: int = 0
    predicted: int = 0
    gold: int = 0
    pairs: int | None = None  # for layers scored on matched pairs only: how many

    def add(self, matched: int, predicted: int, gold: int) -> None:
        self.matched += matched
        self.predicted += predicted
        self.gold += gold

    def as_dict(self) -> dict[str, Any]:
        if self.pairs is None:
            return prf(self.matched, self.predicted, self.gold)
        # No matched pairs means nothing was compared: 0, not a vacuous 1.
        out = prf(self.matched, self.predicted, self.gold, 1.0 if self.pairs else 0.0)
        out["pairs"] = self.pairs
        return out


def prf(matched: int, predicted: int, gold: int, vacuous: float = 1.0) -> dict[str, Any]:
    """Precision, recall and F1 (rounded to 4 places) with the counts behind them.

    A zero denominator gives 0.0, except that nothing predicted against nothing
    in gold gives ``vacuous`` for all three (1.0: nothing was there and nothing
    was claimed).
    """
    if predicted == 0 and gold == 0:
        p = r = f1 = vacuous
    else:
        p = matched / predicted if predicted else 0.0
        r = matched / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(f1, 4),
        "matched": matched,
        "predicted": predicted,
        "gold": gold,
    }


@dataclass
class _ArticleMatch:
    """The pairs found in one article, for scoring and for the error listing."""

    gold: dict[str, Any]
    pred: dict[str, Any]
    actors: list[tuple[int, int]]
    events: list[tuple[int, int]]
    events_untyped: list[tuple[int, int]]
    allegations: list[tuple[int, int]]
    allegations_untyped: list[tuple[int, int]]
    resolve: _Resolver


def _match_article(gold: dict[str, Any], pred: dict[str, Any]) -> _ArticleMatch:
    ga, pa = gold.get("actors") or [], pred.get("actors") or []
    ge, pe = gold.get("events") or [], pred.get("events") or []
    gl, pl = gold.get("allegations") or [], pred.get("allegations") or []
    return _ArticleMatch(
        gold=gold,
        pred=pred,
        actors=greedy_match(ga, pa, _actor_match),
        events=greedy_match(ge, pe, _event_match),
        events_untyped=greedy_match(ge, pe, _evidence_match),
        allegations=greedy_match(gl, pl, _allegation_match),
        allegations_untyped=greedy_match(gl, pl, _evidence_match),
        resolve=_Resolver(ga),
    )


_ROLES = ("source_actor", "target_actor")
_PAIRED = ("event_roles", "event_participants", "claimants")  # scored on matched pairs only


def score(gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Score predictions against gold, both keyed by article id.

    Returns a JSON-ready dict with one ``{"p", "r", "f1", "matched",
    "predicted", "gold"}`` object per layer of :data:`LAYERS`, plus
    ``headline_f1``, ``articles`` (how many gold articles were scored) and
    ``unscored`` (ids predicted but without gold; they are ignored). An
    article with gold but no prediction counts as all misses.

    The layers beyond the design's first three:

    - ``actor_types``: the typed-actor layer. A gold actor counts as matched
      when it is paired in ``actors`` *and* the paired prediction has the same
      type; p and r are over all predicted and all gold actors (as for typed
      vs untyped events), so ``actor_types`` F1 <= ``actors`` F1. The key
      ``accuracy`` adds the share of paired actors whose type agrees.
    - ``events_untyped`` / ``allegations_untyped``: matched on evidence alone.
    - ``event_roles``: for each pair in ``events`` (typed), source and target
      are one slot each; a slot counts when gold and prediction resolve to the
      same gold actor (through the gold actors' names and aliases; a name no
      gold actor has is compared normalised), and null == null counts. p and r
      are over the slots of matched events (two per pair), so both equal the
      role accuracy on the events found.
    - ``event_participants``: for each pair in ``events``, the resolved
      participant sets; matched = size of the intersection, predicted and gold
      = set sizes, summed.
    - ``claimants``: likewise for the claimant sets of pairs in ``allegations``.

    The last three carry ``pairs`` (how many matched events or allegations
    they were computed on); with no pairs they are 0.0, since nothing was
    compared.
    """
    counts = {layer: _Count() for layer in LAYERS}
    for layer in _PAIRED:
        counts[layer].pairs = 0
    type_pairs = 0
    for aid, g in gold.items():
        p = predicted.get(aid)
        if p is None:
            log.info("article %s has gold but no prediction: all misses", aid)
            p = {}
        m = _match_article(g, p)
        ga, pa = g.get("actors") or [], p.get("actors") or []
        ge, pe = g.get("events") or [], p.get("events") or []
        gl, pl = g.get("allegations") or [], p.get("allegations") or []
        counts["actors"].add(len(m.actors), len(pa), len(ga))
        typed = sum(1 for gi, pi in m.actors if _lower(ga[gi].get("type")) == _lower(pa[pi].get("type")))
        type_pairs += len(m.actors)
        counts["actor_types"].add(typed, len(pa), len(ga))
        counts["events"].add(len(m.events), len(pe), len(ge))
        counts["events_untyped"].add(len(m.events_untyped), len(pe), len(ge))
        counts["allegations"].add(len(m.allegations), len(pl), len(gl))
        counts["allegations_untyped"].add(len(m.allegations_untyped), len(pl), len(gl))
        counts["event_roles"].pairs = (counts["event_roles"].pairs or 0) + len(m.events)
        counts["event_participants"].pairs = (counts["event_participants"].pairs or 0) + len(m.events)
        counts["claimants"].pairs = (counts["claimants"].pairs or 0) + len(m.allegations)
        for gi, pi in m.events:
            good = sum(1 for role in _ROLES if m.resolve(ge[gi].get(role)) == m.resolve(pe[pi].get(role)))
            counts["event_roles"].add(good, len(_ROLES), len(_ROLES))
            gs, ps = m.resolve.many(ge[gi].get("participants")), m.resolve.many(pe[pi].get("participants"))
            counts["event_participants"].add(len(gs & ps), len(ps), len(gs))
        for gi, pi in m.allegations:
            gs, ps = m.resolve.many(gl[gi].get("claimant")), m.resolve.many(pl[pi].get("claimant"))
            counts["claimants"].add(len(gs & ps), len(ps), len(gs))
    result: dict[str, Any] = {layer: counts[layer].as_dict() for layer in LAYERS}
    result["actor_types"]["accuracy"] = round(counts["actor_types"].matched / type_pairs, 4) if type_pairs else 0.0
    result["headline_f1"] = round(sum(result[layer]["f1"] for layer in HEADLINE_LAYERS) / len(HEADLINE_LAYERS), 4)
    result["articles"] = len(gold)
    result["unscored"] = sorted(set(predicted) - set(gold))
    return result


# ------------------------------------------------------------------------- errors


def _actor_brief(a: dict[str, Any]) -> dict[str, Any]:
    return {"name": a.get("name"), "type": a.get("type"), "aliases": list(a.get("aliases") or [])}


def _event_brief(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": e.get("type"),
        "source_actor": e.get("source_actor"),
        "target_actor": e.get("target_actor"),
        "evidence": e.get("evidence"),
    }


def _allegation_brief(a: dict[str, Any]) -> dict[str, Any]:
    return {"stance": a.get("stance"), "claimant": list(a.get("claimant") or []), "evidence": a.get("evidence")}


def _unpaired(
    gold_items: Sequence[dict[str, Any]],
    pred_items: Sequence[dict[str, Any]],
    pairs: Iterable[tuple[int, int]],
    brief: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    pairs = list(pairs)
    gold_hit, pred_hit = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    return {
        "missed": [brief(g) for i, g in enumerate(gold_items) if i not in gold_hit],
        "false_alarms": [brief(p) for i, p in enumerate(pred_items) if i not in pred_hit],
    }


def errors(gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What went wrong, article by article, for ``kg eval --show-errors``.

    One dict per gold article (in id order) with ``article``, ``predicted``
    (False when there was no prediction at all) and ``layers``: for each of
    ``actors``, ``events`` (typed) and ``allegations`` (stanced) the
    ``missed`` gold items and the ``false_alarms`` (predictions no gold item
    took), in brief; ``actor_types`` lists paired actors whose types differ
    and ``event_roles`` the matched events whose source or target differ,
    each as ``{"gold": ..., "predicted": ...}``. Layers with nothing to say
    are left out, and so are articles without any error.
    """
    out: list[dict[str, Any]] = []
    for aid in sorted(gold):
        g = gold[aid]
        p = predicted.get(aid)
        m = _match_article(g, p or {})
        layers: dict[str, Any] = {}
        ga, pa = g.get("actors") or [], (p or {}).get("actors") or []
        ge, pe = g.get("events") or [], (p or {}).get("events") or []
        gl, pl = g.get("allegations") or [], (p or {}).get("allegations") or []
        for name, gi_, pi_, pairs, brief in (
            ("actors", ga, pa, m.actors, _actor_brief),
            ("events", ge, pe, m.events, _event_brief),
            ("allegations", gl, pl, m.allegations, _allegation_brief),
        ):
            found = _unpaired(gi_, pi_, pairs, brief)
            if found["missed"] or found["false_alarms"]:
                layers[name] = found
        wrong_types = [
            {"gold": _actor_brief(ga[gi]), "predicted": _actor_brief(pa[pi])}
            for gi, pi in m.actors
            if _lower(ga[gi].get("type")) != _lower(pa[pi].get("type"))
        ]
        if wrong_types:
            layers["actor_types"] = wrong_types
        wrong_roles = [
            {"gold": _event_brief(ge[gi]), "predicted": _event_brief(pe[pi])}
            for gi, pi in m.events
            if any(m.resolve(ge[gi].get(r)) != m.resolve(pe[pi].get(r)) for r in _ROLES)
        ]
        if wrong_roles:
            layers["event_roles"] = wrong_roles
        if layers or p is None:
            out.append({"article": aid, "predicted": p is not None, "layers": layers})
    return out


# --------------------------------------------------------------------- formatting


def format_text(result: dict[str, Any]) -> str:
    """A score dict as an aligned table a person reads (with errors, when the result holds them)."""
    lines = [f"{'layer':<22}{'P':>7}{'R':>7}{'F1':>7}{'matched':>9}{'predicted':>11}{'gold':>6}"]
    for layer in LAYERS:
        s = result.get(layer)
        if not s:
            continue
        lines.append(
            f"{layer:<22}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}{s['matched']:>9}{s['predicted']:>11}{s['gold']:>6}"
        )
    lines.append("")
    lines.append(f"headline_f1 {result.get('headline_f1', 0.0):.3f}  (mean F1 of {', '.join(HEADLINE_LAYERS)})")
    lines.append(f"articles scored: {result.get('articles', 0)}")
    if result.get("unscored"):
        lines.append(f"predicted but no gold (ignored): {', '.join(result['unscored'])}")
    for problem in result.get("problems") or []:
        lines.append(f"skipped input: {problem}")
    text = "\n".join(lines) + "\n"
    if result.get("errors"):
        text += "\n" + "".join(line + "\n" for line in format_errors(result["errors"]))
    return text


def _describe(layer: str, item: dict[str, Any]) -> str:
    if layer == "actors":
        return f"{item.get('name')} ({item.get('type')})"
    evidence = _clip(item.get("evidence"))
    if layer == "events":
        return f"{item.get('type')} {item.get('source_actor')} -> {item.get('target_actor')}: {evidence}"
    claimants = ", ".join(map(str, item.get("claimant") or [])) or "?"
    return f"{item.get('stance')} by {claimants}: {evidence}"


def _clip(text: object, width: int = 90) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= width else s[: width - 1] + "…"


def format_errors(source: list[dict[str, Any]] | dict[str, Any]) -> list[str]:
    """Misses and false alarms as lines of text, one per item, under a ``== article`` line each.

    ``source`` is the list :func:`errors` returns, or a result of
    :func:`evaluate` / :func:`score_predictions` (its ``errors`` when it has
    them, else worked out from the gold and predictions the result keeps).
    """
    if isinstance(source, dict):
        if "errors" in source:
            errs: list[dict[str, Any]] = source["errors"]
        elif isinstance(source, EvalResult):
            errs = errors(source.gold, source.predicted)
        else:
            errs = []
    else:
        errs = source
    lines: list[str] = []
    for art in errs:
        lines.append(f"== {art['article']}" + ("" if art.get("predicted", True) else " (no prediction)"))
        layers = art.get("layers", {})
        for layer in _SECTIONS:
            for kind, mark in (("missed", "missed"), ("false_alarms", "false alarm")):
                for item in layers.get(layer, {}).get(kind, []):
                    lines.append(f"  {layer:<12} {mark:<12} {_describe(layer, item)}")
        for pair in layers.get("actor_types", []):
            g, p = pair["gold"], pair["predicted"]
            lines.append(
                f"  {'actor_types':<12} {'wrong type':<12} {g['name']}: gold {g['type']}, predicted {p['type']}"
            )
        for pair in layers.get("event_roles", []):
            g, p = pair["gold"], pair["predicted"]
            lines.append(
                f"  {'event_roles':<12} {'wrong role':<12} {g['type']} "
                f"gold {g['source_actor']} -> {g['target_actor']}, "
                f"predicted {p['source_actor']} -> {p['target_actor']}"
            )
    return lines


# ------------------------------------------------------------------ running it all


def predict(inputs: Iterable[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Read the inputs and run the default extractors: (extraction JSON by article id, skipped inputs).

    Skipped inputs are the :class:`kg.read.Problem` items as one-line strings.
    """
    from kg.extract import extract
    from kg.extraction_json import to_json_obj
    from kg.model import Article
    from kg.read import read_inputs

    predicted: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for item in read_inputs(inputs):
        if isinstance(item, Article):
            predicted[item.id] = to_json_obj(extract(item))
        else:
            log.warning("%s", item)
            problems.append(str(item))
    return predicted, problems


def evaluate(gold_dir: Path, inputs: Iterable[str], show_errors: bool = False) -> EvalResult:
    """Extract from the inputs and score against ``GOLD_DIR/<article id>.json``.

    Returns :func:`score`'s dict plus ``problems`` (inputs that could not be
    read, one line each) and, with ``show_errors``, ``errors`` (see
    :func:`errors`).
    """
    gold = load_gold(Path(gold_dir))
    predicted, problems = predict([str(i) for i in inputs])
    return _finish(gold, predicted, problems, show_errors)


def score_predictions(gold_dir: Path, pred_dir: Path, show_errors: bool = False) -> EvalResult:
    """Score a folder of extraction JSON files (``kg extract --json-dir``) against gold, like :func:`evaluate`."""
    gold = load_gold(Path(gold_dir))
    predicted = load_json_dir(Path(pred_dir), "prediction")
    return _finish(gold, predicted, [], show_errors)


class EvalResult(dict[str, Any]):
    """The JSON-ready score dict, keeping (outside the dict) the gold and predictions it was computed from.

    So :func:`format_errors` can list the errors of a result asked for
    without ``show_errors``, and the JSON output stays the scores alone.
    """

    def __init__(
        self, scores: dict[str, Any], gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]
    ) -> None:
        super().__init__(scores)
        self.gold = gold
        self.predicted = predicted


def _finish(
    gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]], problems: list[str], show_errors: bool
) -> EvalResult:
    result = EvalResult(score(gold, predicted), gold, predicted)
    result["problems"] = problems
    if show_errors:
        result["errors"] = errors(gold, predicted)
    return result


__all__ = [
    "HEADLINE_LAYERS",
    "LAYERS",
    "EvalResult",
    "errors",
    "evaluate",
    "format_errors",
    "format_text",
    "greedy_match",
    "load_gold",
    "load_json_dir",
    "normalise",
    "overlaps",
    "predict",
    "prf",
    "score",
    "score_predictions",
]
