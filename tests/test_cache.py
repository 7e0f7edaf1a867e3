"""The extraction cache: hits, misses, invalidation, corrupt entries, and two builds sharing one."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.cache
import kg.extract
from kg.build import build
from kg.cache import ExtractionCache, decode_extraction, default_cache_dir, encode_extraction
from kg.cli import cli
from kg.extract import extract
from kg.read import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ONE = SEEDS / "000_13009f88a8800e4a.txt"


def _articles(*inputs: Path) -> list:
    return [a for a in read_inputs([str(p) for p in inputs])]


def _entries(root: Path) -> list[Path]:
    return sorted(root.rglob("*.json"))


def test_an_entry_decodes_to_exactly_the_fresh_extraction() -> None:
    for article in _articles(SEEDS):
        fresh = extract(article)
        again = decode_extraction(encode_extraction(fresh), article)
        assert repr(again) == repr(fresh)  # repr: fields that compare=False (notes, triggers) too


def test_miss_then_hit_and_the_output_is_byte_identical(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    build([str(SEEDS)], str(tmp_path / "cold.nq"), cache=cache, validate=False)
    assert cache.stats.hits == 0 and cache.stats.misses >= 3
    warm_cache = ExtractionCache(tmp_path / "cache")
    report = build([str(SEEDS)], str(tmp_path / "warm.nq"), cache=warm_cache, validate=False)
    assert warm_cache.stats.misses == 0 and report.cached == 3
    build([str(SEEDS)], str(tmp_path / "none.nq"), validate=False)
    assert (tmp_path / "cold.nq").read_bytes() == (tmp_path / "warm.nq").read_bytes() == (
        tmp_path / "none.nq"
    ).read_bytes()


def test_a_hit_skips_the_extractor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    (article,) = _articles(ONE)
    first, hit = cache.extract(article, extract)
    assert not hit

    def boom(_: object) -> None:
        raise AssertionError("extracted although cached")

    again, hit = ExtractionCache(tmp_path / "cache").extract(article, boom)  # type: ignore[arg-type]
    assert hit and repr(again) == repr(first)


def test_changed_text_is_a_miss(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "cache")
    (article,) = _articles(ONE)
    cache.extract(article, extract)
    import dataclasses

    edited = dataclasses.replace(article, text=article.text.replace("Russia", "Belarus", 1))
    assert cache.get(edited) is None
    moved = dataclasses.replace(article, source="/elsewhere/000.txt")  # where it was read from is not content
    assert cache.get(moved) is not None


def test_an_edited_data_file_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "pkg" / "extract" / "data"
    shutil.copytree(ROOT / "kg" / "extract" / "data", data)
    monkeypatch.setattr(kg.cache, "IDENTITY_PATHS", (data,))
    (article,) = _articles(ONE)
    ExtractionCache(tmp_path / "cache").extract(article, extract)
    assert ExtractionCache(tmp_path / "cache").get(article) is not None  # same files: a hit
    with (data / "titles.tsv").open("a", encoding="utf-8") as fh:
        fh.write("ambassador-at-large\n")
    assert ExtractionCache(tmp_path / "cache").get(article) is None


def test_another_model_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (article,) = _articles(ONE)
    ExtractionCache(tmp_path / "cache").extract(article, extract)
    assert ExtractionCache(tmp_path / "cache").get(article) is not None
    real = kg.extract.model_identity()
    # another model package installed: other files, and a model that names itself otherwise
    monkeypatch.setattr(kg.cache, "model_fingerprint", lambda: "other files")
    monkeypatch.setattr(kg.extract, "model_identity", lambda: real + " retrained")
    assert ExtractionCache(tmp_path / "cache").get(article) is None


def test_the_models_name_is_remembered_until_its_files_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ExtractionCache(tmp_path / "cache").pipeline()

    def loads_the_model() -> str:
        raise AssertionError("the model was asked its name although its files did not change")

    monkeypatch.setattr(kg.extract, "model_identity", loads_the_model)
    assert ExtractionCache(tmp_path / "cache").pipeline() == first
    monkeypatch.setattr(kg.cache, "model_fingerprint", lambda: "other files")
    with pytest.raises(AssertionError, match="asked its name"):
        ExtractionCache(tmp_path / "cache").pipeline()


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_corrupt_entry_is_re_extracted_not_trusted(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    (article,) = _articles(ONE)
    cache = ExtractionCache(tmp_path / "cache")
    fresh, _ = cache.extract(article, extract)
    entry = cache.path(article)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        i = len(data) - 40
        entry.write_bytes(data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :])
    else:
        entry.write_bytes(b"\x00\xff not json")
    again = ExtractionCache(tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="kg.cache"):
        found, hit = again.extract(article, extract)
    assert not hit and again.stats.corrupt == 1
    assert "unusable" in caplog.text
    assert repr(found) == repr(fresh)
    assert entry.read_bytes() == data  # rewritten whole


def test_a_well_formed_entry_of_the_wrong_shape_is_not_trusted(tmp_path: Path) -> None:
    import hashlib

    (article,) = _articles(ONE)
    cache = ExtractionCache(tmp_path / "cache")
    cache.extract(article, extract)
    body = b'[[], "not actors", [], [], [], [], []]'
    cache.path(article).write_bytes(kg.cache.FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert ExtractionCache(tmp_path / "cache").get(article) is None


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "newskg"


def test_cli_cache_options(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["build", str(ONE), "-o", str(tmp_path / "a.nq"), "--cache", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert _entries(tmp_path / "c")
    r = runner.invoke(cli, ["build", str(ONE), "-o", str(tmp_path / "b.nq"), "--cache", str(tmp_path / "c")])
    assert "1 extractions from the cache" in r.output
    r = runner.invoke(cli, ["build", str(ONE), "-o", str(tmp_path / "n.nq"), "--no-cache"])
    assert r.exit_code == 0 and "from the cache" not in r.output
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes() == (tmp_path / "n.nq").read_bytes()
    r = runner.invoke(cli, ["build", str(ONE), "-o", str(tmp_path / "x.nq"), "--no-cache", "--cache", "d"])
    assert r.exit_code == 2


def test_the_default_cache_is_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    r = CliRunner().invoke(cli, ["extract", str(ONE)])
    assert r.exit_code == 0, r.output
    assert _entries(tmp_path / "xdg" / "newskg")


def test_two_concurrent_builds_share_a_cache(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for f in [*sorted(SEEDS.glob("*.txt")), *sorted((ROOT / "tests" / "fresh" / "articles").glob("*.txt"))[:5]]:
        shutil.copy(f, folder / f.name)
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "kg", "build", str(folder), "--cache", str(cache), "--no-validate", "-o"]
    procs = [subprocess.Popen([*cmd, str(tmp_path / f"out{i}.nq")], stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    out0, out1 = (tmp_path / "out0.nq").read_bytes(), (tmp_path / "out1.nq").read_bytes()
    assert out0 == out1
    assert not list(cache.rglob(".tmp-*"))  # no temporary file left behind
    entries = _entries(cache / "extractions")
    assert len(entries) == 8
    # every entry whole, and a third run takes all of them
    third = ExtractionCache(cache)
    for article in _articles(folder):
        assert third.get(article) is not None
    assert third.stats.corrupt == 0
    r = subprocess.run([*cmd, str(tmp_path / "out2.nq")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "8 extractions from the cache" in r.stderr
    assert (tmp_path / "out2.nq").read_bytes() == out0
