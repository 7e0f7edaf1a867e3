"""The serialisations newskg writes: JSON-LD compacted with its context, Turtle and TriG with instance prefixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Dataset

from kg.build import build
from kg.vocab import INSTANCE_KINDS, json_ld_context

SEEDS = str(Path(__file__).resolve().parents[1] / "seeds")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("formats")
    paths = {fmt: out / f"seeds.{fmt}" for fmt in ("nq", "jsonld", "ttl", "trig")}
    for path in paths.values():
        build([SEEDS], path)
    return paths


def _quads(ds: Dataset) -> set[tuple[str, ...]]:
    return {tuple(str(x) for x in q) for q in ds.quads((None, None, None, None))}


def test_json_ld_is_compacted_with_the_shipped_context_and_indented(outputs: dict[str, Path]) -> None:
    text = outputs["jsonld"].read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["@context"] == json_ld_context()
    assert text.startswith("{\n  ")  # pretty-printed, not one line
    assert '"actor:north-korea"' in text and '"nkg:claimant"' in text
    assert "https://w3id.org/newskg/id/actor/" not in text.split('"@graph"', 1)[1]


def test_json_ld_round_trips_to_the_same_quads_in_rdflib_and_pyld(outputs: dict[str, Path]) -> None:
    want = Dataset()
    want.parse(outputs["nq"], format="nquads")
    got = Dataset()
    got.parse(outputs["jsonld"], format="json-ld")
    assert _quads(got) == _quads(want)
    # pyld reads it back to the same N-Quads lines
    nquads = jsonld.to_rdf(json.loads(outputs["jsonld"].read_text(encoding="utf-8")), {"format": "application/n-quads"})
    from_pyld = Dataset()
    from_pyld.parse(data=nquads, format="nquads")
    assert _quads(from_pyld) == _quads(want)


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_turtle_and_trig_name_instance_nodes_by_prefix(outputs: dict[str, Path], fmt: str) -> None:
    text = outputs[fmt].read_text(encoding="utf-8")
    for kind in ("actor", "event", "article", "graph"):
        assert f"@prefix {kind}: <https://w3id.org/newskg/id/{kind}/> ." in text
    assert "actor:north-korea" in text
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("@prefix"))
    assert "<https://w3id.org/newskg/id/actor/" not in body
    assert set(INSTANCE_KINDS) >= {"actor", "event", "article", "graph"}


def test_the_shipped_context_file_is_the_one_written() -> None:
    shipped = Path(__file__).resolve().parents[1] / "kg" / "data" / "context.jsonld"
    assert json.loads(shipped.read_text(encoding="utf-8")) == {"@context": json_ld_context()}
