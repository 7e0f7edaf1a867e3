"""Incremental builds into the embedded store: add, replace, leave alone; a killed run and its rerun; loads."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from servers import FakeServer

from kg.build import build
from kg.cache import ExtractionCache
from kg.cli import cli
from kg.incremental import INDEX_NAME
from kg.store import load_graph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FRESH = sorted((ROOT / "tests" / "fresh" / "articles").glob("*.txt"))
PROVENANCE = "<https://w3id.org/newskg/id/graph/provenance>"
ACTORS = "<https://w3id.org/newskg/id/graph/actors>"
USED = "http://www.w3.org/ns/prov#used"

V1 = "date 2024-03-04 Mongolia's President Ukhnaagiin Khurelsukh met Chinese President Xi Jinping in Beijing on " \
     "Monday, and the two leaders signed an agreement on trade.\n"
V2 = "date 2024-03-04 Chinese President Xi Jinping met Russian President Vladimir Putin in Beijing on Monday, " \
     "and the two leaders signed an agreement on trade.\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> ExtractionCache:
    """One cache for the module: the tests are about stores, and extracting each article once is enough."""
    return ExtractionCache(tmp_path_factory.mktemp("cache"))


def _folder(path: Path, files: list[Path]) -> Path:
    path.mkdir(parents=True)
    for f in files:
        shutil.copy(f, path / f.name)
    return path


def _quads(store: Path) -> tuple[set[str], set[str]]:
    """(every quad outside the provenance graph, the provenance quads) of a store."""
    s = ox.Store.read_only(str(store))
    rest, prov = set(), set()
    for q in s:
        (prov if str(q.graph_name) == PROVENANCE else rest).add(str(q))
    del s
    return rest, prov


def _used(prov: set[str]) -> set[str]:
    return {q.split(" ")[2] for q in prov if f"<{USED}>" in q}


def _runs(prov: set[str]) -> int:
    return sum("<http://www.w3.org/ns/prov#Activity>" in q for q in prov)


def _graphs(store: Path) -> dict[str, set[str]]:
    s = ox.Store.read_only(str(store))
    out: dict[str, set[str]] = {}
    for q in s:
        if "/graph/article/" in str(q.graph_name):
            out.setdefault(str(q.graph_name), set()).add(str(q))
    del s
    return out


def test_adding_ten_articles_equals_a_build_from_scratch(tmp_path: Path, cache: ExtractionCache) -> None:
    first = _folder(tmp_path / "first", SEEDS + FRESH[:10])
    new = _folder(tmp_path / "new", FRESH[10:])
    r1 = build([str(first)], None, store=tmp_path / "s", cache=cache)
    assert r1.store_summary == "13 added, 0 replaced, 0 unchanged"
    r2 = build([str(new)], None, store=tmp_path / "s", cache=cache)
    assert r2.store_summary == "10 added, 0 replaced, 0 unchanged"
    build([str(first), str(new)], None, store=tmp_path / "scratch", cache=cache)
    rest, prov = _quads(tmp_path / "s")
    rest0, prov0 = _quads(tmp_path / "scratch")
    assert rest == rest0, (sorted(rest - rest0)[:5], sorted(rest0 - rest)[:5])
    # provenance names each run with the articles it added: two runs here, one from scratch, the same articles
    assert _runs(prov) == 2 and _runs(prov0) == 1
    assert _used(prov) == _used(prov0) and len(_used(prov)) == 23


def test_a_changed_article_is_replaced_and_what_only_it_said_goes(tmp_path: Path, cache: ExtractionCache) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "summit.txt").write_text(V1, encoding="utf-8")
    (tmp_path / "v2" / "summit.txt").write_text(V2, encoding="utf-8")
    seeds = [str(p) for p in SEEDS]
    build([*seeds, str(tmp_path / "v1")], None, store=tmp_path / "s", cache=cache)
    report = build([str(tmp_path / "v2")], None, store=tmp_path / "s", cache=cache)
    assert report.store_summary is not None and report.store_summary.startswith("0 added, 1 replaced")
    build([*seeds, str(tmp_path / "v1")], None, store=tmp_path / "scratch1", cache=cache)
    build([*seeds, str(tmp_path / "v2")], None, store=tmp_path / "scratch2", cache=cache)
    rest, _ = _quads(tmp_path / "s")
    old, _ = _quads(tmp_path / "scratch1")
    new, _ = _quads(tmp_path / "scratch2")
    gone = {q for q in old - new if q.endswith(ACTORS)}
    assert any("khurelsukh" in q for q in gone)  # the shared facts only the old version stated
    assert rest == new, (sorted(rest - new)[:5], sorted(new - rest)[:5])


def test_an_unchanged_rerun_extracts_nothing_and_changes_nothing(tmp_path: Path, cache: ExtractionCache) -> None:
    build([str(p) for p in SEEDS], None, store=tmp_path / "s", cache=cache)
    before = _quads(tmp_path / "s")
    runner = CliRunner()
    r = runner.invoke(cli, ["build", *map(str, SEEDS), "--store", str(tmp_path / "s"), "--no-cache"])
    assert r.exit_code == 0, r.output
    assert "0 articles built" in r.output and "0 added, 0 replaced, 3 unchanged" in r.output
    assert _quads(tmp_path / "s") == before  # provenance too: a run that changed nothing records nothing


def test_a_store_without_an_index_is_adopted(tmp_path: Path, cache: ExtractionCache) -> None:
    build([str(p) for p in SEEDS], None, store=tmp_path / "s", cache=cache)
    (tmp_path / "s" / INDEX_NAME).unlink()  # as a store built before the index existed
    report = build([str(p) for p in SEEDS], None, store=tmp_path / "s", cache=cache)
    assert report.unchanged == 3 and report.articles == []


def test_a_killed_incremental_build_leaves_each_article_old_or_new_and_a_rerun_completes_it(
    tmp_path: Path, cache: ExtractionCache
) -> None:
    old = _folder(tmp_path / "old", FRESH)
    build([str(old)], None, store=tmp_path / "s", cache=cache)
    new = tmp_path / "new"
    new.mkdir()
    for f in FRESH:  # every article changed, and three more: all to extract in the killed run
        (new / f.name).write_text(f.read_text(encoding="utf-8").rstrip() + " Officials declined to comment.\n",
                                  encoding="utf-8")
    for f in SEEDS:
        shutil.copy(f, new / f.name)
    cmd = [sys.executable, "-m", "kg", "-q", "build", str(new), "--store", str(tmp_path / "s"),
           "--cache", str(tmp_path / "run-cache")]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, start_new_session=True)
    index = tmp_path / "s" / INDEX_NAME
    killed = False
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=1) as db:
                written = db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
        except sqlite3.Error:
            written = 0
        if written >= 3:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert killed, "the build ended before it could be killed"
    build([str(old)], None, store=tmp_path / "all-old", cache=cache)
    build([str(new)], None, store=tmp_path / "all-new", cache=cache)
    was, will = _graphs(tmp_path / "all-old"), _graphs(tmp_path / "all-new")
    now = _graphs(tmp_path / "s")
    assert set(now) <= set(will)
    states = {g: ("old" if now[g] == was.get(g) else "new" if now[g] == will[g] else "half") for g in now}
    assert "half" not in states.values(), states
    assert "new" in states.values() and "old" in states.values()
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    rest, prov = _quads(tmp_path / "s")
    rest0, prov0 = _quads(tmp_path / "all-new")
    assert rest == rest0, (sorted(rest - rest0)[:5], sorted(rest0 - rest)[:5])
    assert _used(prov0) <= _used(prov)  # the killed run's articles are recorded by the rerun


def test_load_adds_to_the_shared_graphs(tmp_path: Path, cache: ExtractionCache) -> None:
    a, b = tmp_path / "a.nq", tmp_path / "b.nq"
    build([str(p) for p in SEEDS[:2]], str(a), cache=cache)
    build([str(SEEDS[2])], str(b), cache=cache)
    build([str(p) for p in SEEDS], str(tmp_path / "ab.nq"), cache=cache)
    load_graph(a, store=tmp_path / "s")
    load_graph(b, store=tmp_path / "s")
    load_graph(tmp_path / "ab.nq", store=tmp_path / "t")
    rest, prov = _quads(tmp_path / "s")
    rest0, _ = _quads(tmp_path / "t")
    assert rest == rest0
    assert _runs(prov) == 2
    load_graph(b, store=tmp_path / "s")  # again: nothing new
    assert _quads(tmp_path / "s") == (rest, prov)
    # a build after the loads knows the loaded articles
    report = build([str(p) for p in SEEDS], None, store=tmp_path / "s", cache=cache)
    assert report.unchanged == 3 and _quads(tmp_path / "s")[0] == rest


def test_a_graph_store_load_posts_to_the_shared_graphs(tmp_path: Path, cache: ExtractionCache) -> None:
    f = tmp_path / "g.nq"
    build([str(SEEDS[0])], str(f), cache=cache)
    no_rows = (200, '{"head": {"vars": []}, "results": {"bindings": []}}')  # queries find an empty store
    with FakeServer(lambda n, method, path: no_rows if path.startswith("/query") else 204) as fake:
        load_graph(f, gsp=fake.url + "/store")
    methods = {path.split("graph=")[-1]: method for method, path, _ in fake.requests if method in ("PUT", "POST")
               and path.startswith("/store")}
    assert methods, fake.requests
    for graph, method in methods.items():
        shared = graph.endswith(("actors", "vocabulary", "provenance", "quarantine"))
        assert method == ("POST" if shared else "PUT"), (graph, method)
