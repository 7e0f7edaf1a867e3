"""The scorer of ``kg eval`` (kg.evaluate) on small hand-made gold/prediction pairs.

The last tests hold an independent re-implementation of the headline figure,
written from the design's "Matching rules for scoring" alone along a different
code path, and check that the library agrees with it on the seeds.
"""

from __future__ import annotations

import json
import string
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError, KGError
from kg.evaluate import (
    LAYERS,
    errors,
    evaluate,
    format_errors,
    format_text,
    load_gold,
    normalise,
    overlaps,
    score,
    score_predictions,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

S1 = "North Korea has been supplying Russia with artillery and missiles."
S2 = "Kim Jong Un met Vladimir Putin at the Vostochny cosmodrome."
S3 = "The White House condemned the military cooperation."


def actor(name: str, type_: str = "Country", aliases: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "type": type_, "aliases": aliases or [], "wikidata": None, "role": None}


def event(type_: str, evidence: str, src: str | None = None, tgt: str | None = None, parts: list[str] | None = None):
    return {
        "type": type_,
        "label": "",
        "participants": parts if parts is not None else [x for x in (src, tgt) if x],
        "source_actor": src,
        "target_actor": tgt,
        "evidence": evidence,
    }


def allegation(stance: str, evidence: str, claimant: list[str]) -> dict[str, Any]:
    return {"claimant": claimant, "accused": [], "claim": "", "stance": stance, "denied_by": [], "evidence": evidence}


def doc(actors=(), events=(), allegations=()) -> dict[str, Any]:
    return {"actors": list(actors), "events": list(events), "allegations": list(allegations)}


GOLD_DOC = doc(
    actors=[
        actor("North Korea", aliases=["DPRK"]),
        actor("Russia"),
        actor("Kim Jong Un", "Person", ["Kim Jong-un", "Mr. Kim"]),
        actor("Vladimir Putin", "Person"),
        actor("White House", "Organization"),
    ],
    events=[
        event("AID", S1, "North Korea", "Russia"),
        event("CONSULT", S2, "Kim Jong Un", "Vladimir Putin"),
        event("ACCUSE", S3, "White House", None, ["White House"]),
    ],
    allegations=[allegation("alleged", S1, ["White House"])],
)


# ---------------------------------------------------------------- normalise / overlaps


def test_normalise_accents_case_punctuation_and_leading_the():
    assert normalise("The  Élysée-Palace!") == "elysee palace"
    assert normalise("  the U.S.  ") == "u s"
    assert normalise("Thebes") == "thebes"  # only the word "the"
    assert normalise("Kim Jong-un") == normalise("kim jong un")
    assert normalise("") == ""


def test_overlaps_containment_and_half_the_words():
    assert overlaps(S1, "North Korea has been supplying Russia")  # contained
    assert overlaps("According to officials, " + S1, S1)  # contains
    assert overlaps("Russia got missiles from North Korea", "North Korea sent Russia missiles quickly")
    assert not overlaps(S1, S2)
    assert not overlaps("", S1)
    assert overlaps("The  Élysée said so.", "elysee said so")


# ------------------------------------------------------------------------- scoring


def test_perfect_prediction_scores_one_everywhere():
    result = score({"a": GOLD_DOC}, {"a": json.loads(json.dumps(GOLD_DOC))})
    for layer in LAYERS:
        assert result[layer]["f1"] == 1.0, layer
    assert result["headline_f1"] == 1.0
    assert result["articles"] == 1
    assert result["unscored"] == []


def test_empty_prediction_is_all_misses():
    result = score({"a": GOLD_DOC}, {"a": doc()})
    assert result["actors"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "matched": 0, "predicted": 0, "gold": 5}
    assert result["events"]["gold"] == 3 and result["events"]["f1"] == 0.0
    assert result["headline_f1"] == 0.0
    # Nothing matched, nothing compared: the pair layers are 0, not vacuously 1.
    assert result["event_roles"]["f1"] == 0.0 and result["event_roles"]["pairs"] == 0


def test_missing_prediction_file_counts_as_misses_and_extra_is_unscored():
    result = score({"a": GOLD_DOC}, {"zzz": GOLD_DOC})
    assert result["actors"]["gold"] == 5 and result["actors"]["matched"] == 0
    assert result["unscored"] == ["zzz"]


def test_empty_gold_makes_every_prediction_a_false_alarm():
    result = score({"a": doc()}, {"a": GOLD_DOC})
    assert result["actors"]["p"] == 0.0 and result["actors"]["predicted"] == 5
    assert result["events"]["f1"] == 0.0


def test_both_empty_is_perfect():
    result = score({"a": doc()}, {"a": doc()})
    assert result["allegations"]["f1"] == 1.0
    assert result["headline_f1"] == 1.0


def test_off_by_type_event_matches_untyped_only():
    pred = doc(events=[event("COOPERATE", S1, "North Korea", "Russia")])
    result = score({"a": doc(events=[event("AID", S1, "North Korea", "Russia")])}, {"a": pred})
    assert result["events"]["matched"] == 0
    assert result["events_untyped"]["matched"] == 1
    assert result["events_untyped"]["f1"] == 1.0


def test_off_by_stance_allegation_matches_untyped_only():
    gold = doc(allegations=[allegation("denied", S1, ["US intelligence"])])
    pred = doc(allegations=[allegation("alleged", S1, ["US intelligence"])])
    result = score({"a": gold}, {"a": pred})
    assert result["allegations"]["matched"] == 0
    assert result["allegations_untyped"]["matched"] == 1


def test_actor_matches_through_alias_either_side():
    gold = doc(actors=[actor("Kim Jong Un", "Person", ["Kim Jong-un"]), actor("North Korea", aliases=["DPRK"])])
    pred = doc(actors=[actor("Kim Jong-un", "Person"), actor("D.P.R.K.", aliases=["DPRK"])])
    assert score({"a": gold}, {"a": pred})["actors"]["matched"] == 2
    pred = doc(actors=[actor("Chairman Kim", "Person", ["Kim Jong Un"])])
    assert score({"a": gold}, {"a": pred})["actors"]["matched"] == 1


def test_actor_types_counts_matched_actors_whose_type_agrees():
    gold = doc(actors=[actor("White House", "Organization"), actor("Russia")])
    pred = doc(actors=[actor("White House", "Country"), actor("Russia"), actor("Ukraine")])
    result = score({"a": gold}, {"a": pred})
    assert result["actors"]["matched"] == 2
    assert result["actor_types"]["matched"] == 1
    assert result["actor_types"]["p"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["actor_types"]["r"] == 0.5
    assert result["actor_types"]["accuracy"] == 0.5


def test_overlapping_evidence_matches():
    longer = "According to US intelligence, " + S1[0].lower() + S1[1:]
    pred = doc(events=[event("AID", longer, "North Korea", "Russia")])
    result = score({"a": doc(events=[event("AID", S1, "North Korea", "Russia")])}, {"a": pred})
    assert result["events"]["matched"] == 1


def test_leading_the_and_accents_do_not_matter():
    gold = doc(actors=[actor("The Élysée", "Organization")], events=[event("CONSULT", "Macron met Scholz in Paris.")])
    pred = doc(actors=[actor("elysee", "Organization")], events=[event("CONSULT", "the MACRON met Scholz, in Paris")])
    result = score({"a": gold}, {"a": pred})
    assert result["actors"]["matched"] == 1
    assert result["events"]["matched"] == 1


def test_greedy_order_first_gold_takes_first_matching_prediction():
    # Both gold events match the first prediction; the second prediction only
    # matches the first gold event. Greedy in gold order gives one match, not two.
    g1 = event("AGREE", "Russia signed a pact.")
    g2 = event("AGREE", "Talks were held in Moscow.")
    p1 = event("AGREE", "Russia signed a pact and talks were held in Moscow.")
    p2 = event("AGREE", "Russia signed a pact.")
    result = score({"a": doc(events=[g1, g2])}, {"a": doc(events=[p1, p2])})
    assert result["events"]["matched"] == 1
    # Swap the predictions and both gold items find a partner.
    result = score({"a": doc(events=[g1, g2])}, {"a": doc(events=[p2, p1])})
    assert result["events"]["matched"] == 2


def test_one_to_one_duplicates_are_false_alarms():
    pred = doc(events=[event("AID", S1), event("AID", S1)])
    result = score({"a": doc(events=[event("AID", S1)])}, {"a": pred})
    assert result["events"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "matched": 1, "predicted": 2, "gold": 1}


def test_micro_average_sums_counts_over_articles():
    gold = {"a": doc(actors=[actor("Russia")]), "b": doc(actors=[actor(n) for n in ("Iran", "Syria", "Iraq")])}
    pred = {"a": doc(actors=[actor("Russia")]), "b": doc(actors=[actor("Iran")])}
    result = score(gold, pred)
    assert result["actors"]["r"] == 0.5  # 2 of 4, not the mean of 1.0 and 0.333
    assert result["actors"]["p"] == 1.0


def test_event_roles_resolve_through_gold_aliases_and_null_equals_null():
    gold = doc(
        actors=[actor("Kim Jong Un", "Person", ["Mr. Kim"]), actor("Russia")],
        events=[event("REQUEST", S2, "Kim Jong Un", None, ["Kim Jong Un", "Russia"])],
    )
    pred = doc(events=[event("REQUEST", S2, "Mr Kim", None, ["Mr. Kim", "Russia", "China"])])
    result = score({"a": gold}, {"a": pred})
    assert result["event_roles"]["matched"] == 2 and result["event_roles"]["gold"] == 2
    assert result["event_participants"]["matched"] == 2
    assert result["event_participants"]["predicted"] == 3
    assert result["event_participants"]["gold"] == 2
    pred = doc(events=[event("REQUEST", S2, "Russia", "Kim Jong Un")])
    result = score({"a": gold}, {"a": pred})
    assert result["event_roles"]["matched"] == 0


def test_claimants_compare_resolved_sets():
    gold = doc(
        actors=[actor("United States", aliases=["US", "Biden administration"])],
        allegations=[allegation("alleged", S1, ["United States", "South Korean intelligence"])],
    )
    pred = doc(allegations=[allegation("alleged", S1, ["Biden administration"])])
    result = score({"a": gold}, {"a": pred})
    assert result["claimants"]["matched"] == 1
    assert result["claimants"]["p"] == 1.0 and result["claimants"]["r"] == 0.5


def test_missing_and_null_fields_do_not_crash():
    gold = doc(
        actors=[{"name": "Russia", "aliases": None}, {"name": None}],
        events=[{"type": None, "evidence": None, "participants": None}, event("AID", S1)],
        allegations=[{"stance": None, "evidence": S1, "claimant": "White House"}],
    )
    pred = doc(
        actors=[{"name": "RUSSIA", "aliases": "Russian Federation"}],
        events=[{"evidence": S1, "type": "aid", "participants": "North Korea"}],
        allegations=[{"evidence": S1, "claimant": None}],
    )
    result = score({"a": gold}, {"a": pred})
    assert result["actors"]["matched"] == 1
    assert result["events"]["matched"] == 1  # type compared case-blind
    assert result["allegations_untyped"]["matched"] == 1
    json.dumps(errors({"a": gold}, {"a": pred}))
    format_errors(errors({"a": gold}, {"a": pred}))


def test_errors_list_misses_and_false_alarms():
    pred = doc(
        actors=[actor("North Korea", "Person"), actor("Ukraine")],
        events=[event("AID", S1, "Russia", "North Korea"), event("ASSAULT", S3)],
    )
    errs = errors({"a": GOLD_DOC, "b": doc()}, {"a": pred})
    assert [e["article"] for e in errs] == ["a", "b"]
    layers = errs[0]["layers"]
    assert [a["name"] for a in layers["actors"]["false_alarms"]] == ["Ukraine"]
    assert "Russia" in [a["name"] for a in layers["actors"]["missed"]]
    assert [e["type"] for e in layers["events"]["missed"]] == ["CONSULT", "ACCUSE"]
    assert [e["type"] for e in layers["events"]["false_alarms"]] == ["ASSAULT"]
    assert layers["actor_types"][0]["predicted"]["type"] == "Person"
    assert layers["event_roles"][0]["predicted"]["source_actor"] == "Russia"
    assert errs[1] == {"article": "b", "predicted": False, "layers": {}}
    text = "\n".join(format_errors(errs))
    assert "false alarm" in text and "wrong role" in text and "(no prediction)" in text


def test_format_text_is_an_aligned_table():
    text = format_text(score({"a": GOLD_DOC}, {"a": doc(actors=[actor("Russia")])}))
    lines = text.splitlines()
    assert lines[0].split() == ["layer", "P", "R", "F1", "matched", "predicted", "gold"]
    rows = [ln for ln in lines[1:] if ln.split() and ln.split()[0] in LAYERS]
    assert len(rows) == len(LAYERS)
    assert len({len(r) for r in rows}) == 1  # columns line up
    assert "headline_f1" in text


# ------------------------------------------------------------------------- files


def test_load_gold_keys_by_stem_and_names_a_malformed_file(tmp_path: Path):
    (tmp_path / "one.json").write_text(json.dumps(GOLD_DOC), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not gold", encoding="utf-8")
    assert list(load_gold(tmp_path)) == ["one"]
    (tmp_path / "two.json").write_text('{"actors": [\n  {"name": "x",}\n]}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(tmp_path)
    assert isinstance(info.value, KGError)
    assert "two.json:2" in str(info.value) and "malformed JSON" in str(info.value)


def test_load_gold_rejects_wrong_shapes_and_missing_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no such gold folder"):
        load_gold(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no gold files"):
        load_gold(tmp_path)
    (tmp_path / "a.json").write_text('{"events": {"type": "AID"}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: 'events' must be a list"):
        load_gold(tmp_path)
    (tmp_path / "a.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="one JSON object"):
        load_gold(tmp_path)


def test_evaluate_and_score_predictions_agree(tmp_path: Path):
    gold_dir, pred_dir, art_dir = tmp_path / "gold", tmp_path / "pred", tmp_path / "articles"
    for d in (gold_dir, pred_dir, art_dir):
        d.mkdir()
    text = "date 2024-01-16\n\nNorth Korea and Russia held talks. Ukraine protested."
    (art_dir / "x.txt").write_text(text, encoding="utf-8")
    (gold_dir / "x.json").write_text(json.dumps(doc(actors=[actor("Russia"), actor("Ukraine")])), encoding="utf-8")
    from kg.extract import extract
    from kg.extraction_json import dumps
    from kg.read import read_inputs

    (article,) = list(read_inputs([str(art_dir / "x.txt")]))
    (pred_dir / "x.json").write_text(dumps(extract(article)), encoding="utf-8")  # type: ignore[arg-type]
    live = evaluate(gold_dir, [str(art_dir), str(tmp_path / "missing.txt")], show_errors=True)
    saved = score_predictions(gold_dir, pred_dir)
    for layer in LAYERS:
        assert live[layer] == saved[layer]
    assert live["problems"] and "missing.txt" in live["problems"][0]
    assert isinstance(live["errors"], list)
    json.dumps(live)  # JSON-ready
    # Errors can be listed from a result asked for without them, and are not in its JSON.
    assert "errors" not in saved and "errors" not in json.loads(json.dumps(saved))
    assert format_errors(saved) == format_errors(live) == format_errors(live["errors"])
    assert any(line.startswith("== x") for line in format_errors(saved))


# ------------------------------------------------- an independent headline scorer
#
# Written from the design text alone, deliberately along another path: ASCII
# folding via str.translate, word overlap on multisets turned to sorted lists,
# matching by building a boolean table first. It does only what the headline
# needs: actors, typed events, stanced allegations.


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    s = s.translate(str.maketrans({c: " " for c in string.punctuation + "‘’“”–—…«»"}))
    s = " ".join(s.split())
    return s[len("the ") :] if s.startswith("the ") else s


def _ev_overlap(x: str, y: str) -> bool:
    x, y = _fold(x), _fold(y)
    if not x or not y:
        return False
    if y.find(x) >= 0 or x.find(y) >= 0:
        return True
    xs, ys = sorted(set(x.split())), sorted(set(y.split()))
    small, big = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    shared = [w for w in small if w in big]
    return len(shared) / len(small) >= 0.5


def _table_match(golds: list, preds: list, same) -> int:
    table = [[same(g, p) for p in preds] for g in golds]
    free = [True] * len(preds)
    n = 0
    for row in table:
        j = next((j for j, ok in enumerate(row) if ok and free[j]), None)
        if j is not None:
            free[j] = False
            n += 1
    return n


def _f1(m: int, np_: int, ng: int) -> float:
    if np_ == 0 and ng == 0:
        return 1.0
    if m == 0:
        return 0.0
    return 2 * m / (np_ + ng)  # = 2PR/(P+R)


def independent_headline(gold: dict[str, dict], pred: dict[str, dict]) -> float:
    def names(a):
        return {_fold(n) for n in [a.get("name") or "", *(a.get("aliases") or [])]} - {""}

    tallies = {"actors": [0, 0, 0], "events": [0, 0, 0], "allegations": [0, 0, 0]}
    same = {
        "actors": lambda g, p: len(names(g) & names(p)) > 0,
        "events": lambda g, p: g["type"] == p["type"] and _ev_overlap(g["evidence"], p["evidence"]),
        "allegations": lambda g, p: g["stance"] == p["stance"] and _ev_overlap(g["evidence"], p["evidence"]),
    }
    for art_id in gold:
        for key, t in tallies.items():
            gs = gold[art_id].get(key) or []
            ps = (pred.get(art_id) or {}).get(key) or []
            t[0] += _table_match(gs, ps, same[key])
            t[1] += len(ps)
            t[2] += len(gs)
    return sum(_f1(*t) for t in tallies.values()) / 3


def test_independent_scorer_agrees_on_hand_made_pairs():
    cases = [
        ({"a": GOLD_DOC}, {"a": GOLD_DOC}),
        ({"a": GOLD_DOC}, {"a": doc(actors=[actor("DPRK"), actor("Putin", "Person")])}),
        ({"a": GOLD_DOC}, {"a": doc(events=[event("AID", S1), event("CONSULT", S3)])}),
    ]
    for gold, pred in cases:
        assert score(gold, pred)["headline_f1"] == pytest.approx(independent_headline(gold, pred), abs=1e-3)


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared/gold is not here")
def test_independent_scorer_agrees_on_the_seeds():
    from kg.evaluate import predict

    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "gold").glob("*.json"))}
    pred, problems = predict([str(REPO / "seeds")])
    assert not problems
    assert set(gold) <= set(pred)
    mine = independent_headline(gold, pred)
    lib = evaluate(SHARED / "gold", [str(REPO / "seeds")])
    assert lib["headline_f1"] == pytest.approx(mine, abs=0.02)
    # And on the gold scored against itself, both must be perfect.
    assert independent_headline(gold, gold) == 1.0
    assert score(gold, gold)["headline_f1"] == 1.0


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared/gold is not here")
def test_independent_scorer_agrees_on_perturbed_seed_gold():
    # The seeds' gold against damaged copies of itself: every layer gets
    # non-trivial figures, so the two scorers are compared on more than zeros.
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "gold").glob("*.json"))}
    pred: dict[str, dict] = {}
    for k, (aid, g) in enumerate(sorted(gold.items())):
        p = json.loads(json.dumps(g))
        p["actors"] = [a for i, a in enumerate(p["actors"]) if i % 3 != k % 3]
        for a in p["actors"][::2]:
            a["name"], a["aliases"] = "The " + a["name"].upper() + ".", []
        for i, e in enumerate(p["events"]):
            if i % 3 == 1:
                e["type"] = "ASSAULT"
            e["evidence"] = " ".join(e["evidence"].split()[: max(3, len(e["evidence"].split()) * 2 // 3)])
        p["events"] = [*p["events"][::-1], {"type": "AID", "evidence": "Nothing of the sort happened here."}]
        for a in p["allegations"][:1]:
            a["stance"] = "confirmed"
        if k == 2:
            del pred[next(iter(pred))]  # one article without any prediction
        pred[aid] = p
    lib = score(gold, pred)
    assert 0 < lib["headline_f1"] < 1
    assert lib["headline_f1"] == pytest.approx(independent_headline(gold, pred), abs=1e-3)


# ------------------------------------------------ the PLOVER runner's judgement

_PLOVER = REPO / "benchmarks" / "plover.py"


def _plover_module():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("plover_bench", _PLOVER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_plover_records_get_opaque_ids_and_roles_match_by_text_code_or_joint(tmp_path: Path):
    from kg.model import Actor, Event, Extraction, Span

    plover = _plover_module()
    text = "Senior Hungarian and Romanian officials agreed to talk with the envoy of the United Nations."
    rec = {
        "id": "PLOVER-GSR01-AGREE-9999",
        "date": "2000-01-01",
        "event": "AGREE",
        "text": text,
        "source": [{"actorText": "Hungarian", "code": "HUN"}, {"actorText": "Romanian", "code": "ROU"}],
        "target": "",
        "textInfo": {"markup": "Senior (SRC/TAR: Hungarian) and (SRC/TAR: Romanian) officials ..."},
    }
    path = tmp_path / "gsr.jsonl"
    path.write_text(json.dumps(rec) + "\n\n" + json.dumps({**rec, "event": "ASSAULT"}) + "\n", encoding="utf-8")
    records = plover.load_records(path)
    assert [r.rid for r in records] == ["r0001", "r0002"]
    article = plover.article_of(records[0])
    assert article.id == "r0001" and article.date is None and "AGREE" not in article.id

    span = Span(0, len(text), text)
    found = Extraction(
        article=article,
        actors=(Actor("Hungary", "Country"), Actor("Romanian officials", "Group"), Actor("Brazil", "Country")),
        events=(Event("AGREE", "", span, source_actor="Hungary", target_actor="Romanian officials"),),
    )
    out = plover.judge(records[0], found)
    assert out.first == "AGREE" and out.source_ok and out.target_ok  # code HUN; joint actor as target
    wrong = Extraction(article=article, actors=found.actors, events=(Event("ASSAULT", "", span, "Brazil"),))
    out = plover.judge(records[0], wrong)
    assert out.first == "ASSAULT" and out.source_ok is False
    summary = plover.summarise([plover.judge(records[0], found), plover.judge(records[1], wrong)])
    assert summary["typed_recall_any"] == 1.0
    assert summary["confusion"]["ASSAULT"]["ASSAULT"] == 1
    assert summary["per_type"]["AGREE"]["any"]["r"] == 1.0
    md = plover.to_markdown(summary)
    assert "CC BY-SA 4.0" in md and "Open Event Data Alliance" in md
