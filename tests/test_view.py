"""The corpus view: derived from the article graphs, and kept exact by build, load and retract in any order."""

from __future__ import annotations

import gc
import itertools
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import EmbeddedStore
from kg.view import corpus_graph, rebuild, sentence_links, whole_view

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "seeds.trig"
MINI = Path(__file__).parent / "data" / "mini.trig"
NKG = "https://w3id.org/newskg#"
ID = "https://w3id.org/newskg/id/"
VIEW = corpus_graph()


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))


def without_view(qs: list[ox.Quad]) -> list[ox.Quad]:
    return [q for q in qs if q.graph_name != VIEW]


def as_set(qs: list[ox.Quad]) -> set[str]:
    """Quads as N-Quads strings, literals by value (a store keeps xsd:integer as it reads it)."""
    return {f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in qs}


def view_of(store: EmbeddedStore) -> set[str]:
    return as_set(whole_view(store.store))


def rebuilt(store: EmbeddedStore) -> set[str]:
    everything = [q for q in store.store if not isinstance(q.graph_name, ox.DefaultGraph)]
    return as_set(rebuild(without_view(everything)))


def facts(qs: list[ox.Quad], node: str, predicate: str) -> set[str]:
    return {q.object.value for q in qs if q.subject.value == node and q.predicate.value == NKG + predicate}


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "seeds.trig"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "-o", str(out), "--no-validate"])
    assert out.exists(), result.output
    return out


def test_a_build_writes_the_view_its_article_graphs_give(seeds_built: Path) -> None:
    qs = quads(seeds_built)
    written = [q for q in qs if q.graph_name == VIEW]
    assert written
    assert as_set(written) == as_set(rebuild(without_view(qs)))


def test_view_counts_reports_and_first_evidence() -> None:
    view = rebuild(without_view(quads(MINI)))
    arms = f"{ID}allegation/"
    allegations = {q.subject.value for q in view if q.subject.value.startswith(arms)}
    assert allegations
    # an event two articles report counts two, and its first evidence is in the earlier article
    counts = {q.subject.value: int(q.object.value) for q in view if q.predicate.value == NKG + "articleCount"}
    summit = next(n for n in counts if "/event/consult-" in n and counts[n] == 2)
    first = facts(view, summit, "firstEvidence")
    assert len(first) == 1 and "/article/art-a#char=" in next(iter(first))
    # the denial in one article marks the allegation denied over the corpus, with who denied it
    denied = [n for n in allegations if facts(view, n, "corpusStatus") == {NKG + "Denied"}]
    assert denied and all(facts(view, n, "deniedBy") for n in denied)


def test_every_mention_points_to_a_sentence_containing_it() -> None:
    qs = without_view(quads(GOLDEN))
    links = sentence_links(q.triple for q in qs)
    assert links
    text = {q.subject.value: q.object.value for q in qs if q.predicate.value.endswith("#anchorOf")}
    for t in links:
        assert text[t.subject.value] in text[t.object.value]


def _article_files(source: Path, folder: Path) -> list[Path]:
    """One TriG file per article of ``source``: its graph, with the shared graphs (as a build of it writes)."""
    qs = without_view(quads(source))
    shared = [q for q in qs if "/graph/article/" not in q.graph_name.value]  # type: ignore[union-attr]
    names = sorted({q.graph_name.value for q in qs if "/graph/article/" in q.graph_name.value})  # type: ignore[union-attr]
    out = []
    for i, name in enumerate(names):
        path = folder / f"article-{i}.nq"
        mine = [q for q in qs if q.graph_name.value == name]  # type: ignore[union-attr]
        ox.serialize(mine + shared, output=str(path), format=ox.RdfFormat.N_QUADS)
        out.append(path)
    return out


@pytest.mark.parametrize("source", [GOLDEN, MINI], ids=["seeds", "mini"])
def test_loads_and_retracts_in_any_order_keep_the_view_exact(source: Path, tmp_path: Path) -> None:
    files = _article_files(source, tmp_path)
    assert len(files) >= 2
    graphs = {}
    for f in files:
        graphs[f] = next(q.graph_name.value for q in ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS)  # type: ignore[union-attr]
                         if "/graph/article/" in q.graph_name.value)  # type: ignore[union-attr]
    for n, order in enumerate(itertools.islice(itertools.permutations(files), 3)):
        folder = tmp_path / f"store-{n}"
        with EmbeddedStore(folder) as store:
            for f in order:
                store.load(f)
                assert view_of(store) == rebuilt(store)
            full = view_of(store)
            store.retract(graphs[order[0]])
            assert view_of(store) == rebuilt(store)
            store.load(order[0])  # and back: the same view as before the retraction
            assert view_of(store) == full
            store.load(order[-1])  # a reload of an unchanged article changes nothing
            assert view_of(store) == full
            for f in order:
                store.retract(graphs[f])
                assert view_of(store) == rebuilt(store)
            assert view_of(store) == set()
        gc.collect()
        shutil.rmtree(folder)


def test_incremental_builds_keep_the_view_exact(tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    store = tmp_path / "store"
    runner = CliRunner()
    for batch in (seeds[:1], seeds[1:], seeds):
        result = runner.invoke(cli, ["build", *map(str, batch), "--store", str(store), "--no-validate"])
        assert result.exit_code == 0, result.output
        with EmbeddedStore(store) as opened:
            assert view_of(opened) and view_of(opened) == rebuilt(opened)
    # the store's view is the one a from-scratch build of the same articles writes
    out = tmp_path / "all.trig"
    runner.invoke(cli, ["build", *map(str, seeds), "-o", str(out), "--no-validate"])
    with EmbeddedStore(store) as opened:
        assert view_of(opened) == as_set([q for q in quads(out) if q.graph_name == VIEW])


def _article_graphs(qs: list[ox.Quad]) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = {}
    for q in qs:
        if isinstance(q.graph_name, ox.NamedNode) and "/graph/article/" in q.graph_name.value:
            graphs.setdefault(q.graph_name.value, []).append(q.triple)
    return graphs


def test_an_article_view_comes_back_from_json_as_it_was() -> None:
    import json

    from kg.view import ArticleView

    everything = quads(GOLDEN)
    actors = ox.NamedNode(ID + "graph/actors")
    shared = [q.triple for q in everything if q.graph_name == actors]
    graphs = _article_graphs(everything)
    assert len(graphs) == 3
    for name, triples in graphs.items():
        made = ArticleView.of(name, triples, shared)
        assert made.contributions and made.links and made.labels
        back = ArticleView.from_json(name, json.loads(json.dumps(made.to_json())))
        assert back == made


def test_a_warm_rebuild_takes_the_view_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.view

    runner = CliRunner()
    args = ["build", str(ROOT / "seeds"), "--cache", str(tmp_path / "cache"), "--no-validate"]
    first = runner.invoke(cli, [*args, "-o", str(tmp_path / "cold.trig")])
    assert first.exit_code == 0, first.output

    def not_again(*_: object) -> None:
        raise AssertionError("the view of a cached article was derived again")

    monkeypatch.setattr(kg.view.ArticleView, "of", classmethod(not_again))
    warm = runner.invoke(cli, [*args, "-o", str(tmp_path / "warm.trig")])
    assert warm.exit_code == 0, warm.output
    assert (tmp_path / "warm.trig").read_bytes() == (tmp_path / "cold.trig").read_bytes()


def test_planned_events_are_the_sourced_events_some_article_plans(tmp_path: Path) -> None:
    from kg.view import MemoryCorpus, StoreCorpus, planned

    everything = without_view(quads(GOLDEN))
    memory = MemoryCorpus()
    for name, triples in _article_graphs(everything).items():
        memory.add_article(name, triples)
    store = ox.Store()
    store.extend(everything)
    on_disk = StoreCorpus(store)
    sources = {q.object.value for q in everything if q.predicate.value == NKG + "sourceActor"}
    seen = 0
    for actor in sorted(sources):
        expected = [e for e in memory.sourced_events(actor) if planned(memory.contributions(e))]
        assert memory.planned_events(actor) == expected == on_disk.planned_events(actor)
        seen += len(expected)
    assert seen  # the seeds hold planned or expected events with a source
