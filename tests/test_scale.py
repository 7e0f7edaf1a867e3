"""The build at scale, without timing anything: workers, Dask, and memory-bounded streaming.

- the same bytes whatever the number of worker processes (seeds + a generated corpus);
- the Dask build gives the same bytes on a local cluster of two worker processes;
- N-Quads output streams: a large generated corpus builds under a hard memory limit.
"""

from __future__ import annotations

import importlib.util
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.build import build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402  (benchmarks/corpus.py, a script)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About sixty generated articles (fixed seed) as a folder of .txt files."""
    return corpus.write_corpus(60, tmp_path_factory.mktemp("corpus") / "articles")


@pytest.mark.parametrize("suffix", [".nq", ".nt", ".trig"])
def test_workers_give_the_same_bytes(tmp_path: Path, generated: Path, suffix: str) -> None:
    inputs = [str(SEEDS), str(generated)]
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    r1 = build(inputs, str(one), workers=1)
    r2 = build(inputs, str(two), workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert r1.articles == r2.articles and len(r1.articles) == 63
    assert r1.violations == r2.violations and r1.quarantined == r2.quarantined


def test_validation_batches_do_not_depend_on_workers(tmp_path: Path, generated: Path) -> None:
    one, two = tmp_path / "one.nq", tmp_path / "two.nq"
    r1 = build([str(generated)], str(one), workers=1, batch=8)
    r2 = build([str(generated)], str(two), workers=2, batch=8)
    assert one.read_bytes() == two.read_bytes()
    assert r1.violations == r2.violations


def test_a_validator_failure_quarantines_only_its_articles_nodes(tmp_path: Path, generated: Path) -> None:
    """Batched validation maps each failure back to the articles that describe the focus node."""
    out = tmp_path / "g.nq"
    report = build([str(generated)], str(out), workers=2, batch=5, validator=_fails_on_first_article)
    assert report.quarantined == ["https://w3id.org/newskg/id/article/a00000"]
    assert len(report.violations) == 1 and "a00000.txt" in report.violations[0]
    quarantine = "<https://w3id.org/newskg/id/graph/quarantine>"
    moved = [line for line in out.read_text().splitlines() if line.endswith(f"{quarantine} .")]
    assert moved and all(line.startswith("<https://w3id.org/newskg/id/article/a00000>") for line in moved)


def _fails_on_first_article() -> object:
    def check(quads: object) -> list[tuple[str, str, str]]:
        focus = "https://w3id.org/newskg/id/article/a00000"
        seen = any(getattr(q.subject, "value", None) == focus for q in quads)  # type: ignore[attr-defined]
        return [(focus, "test-shape", "always fails")] if seen else []

    return check


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="needs the dask extra")
def test_dask_build_gives_the_same_bytes(tmp_path: Path, generated: Path) -> None:
    from distributed import Client, LocalCluster

    from kg.distributed import build_dask

    inputs = [str(SEEDS), str(generated)]
    want, got = tmp_path / "one.nq", tmp_path / "dask.nq"
    r1 = build(inputs, str(want))
    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        r2 = build_dask(inputs, str(got), client=client, partition_tasks=1)
    assert want.read_bytes() == got.read_bytes()
    assert r1.articles == r2.articles and r1.violations == r2.violations


LIMIT = 1536 * 1024 * 1024  # bytes of address space for the build process


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


@pytest.mark.slow
def test_nquads_stream_in_bounded_memory(tmp_path: Path) -> None:
    """3,000 articles to N-Quads, two workers, under a 1.5 GB address-space limit per process."""
    articles = corpus.write_corpus(3000, tmp_path / "big")
    out = tmp_path / "big.nq"
    script = textwrap.dedent(
        f"""
        import resource, sys
        from kg.build import build
        report = build([{str(articles)!r}], {str(out)!r}, workers=2)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(len(report.articles), peak)
        """
    )
    r = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=3600,
        preexec_fn=_limit_memory,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    n, peak_kb = map(int, r.stdout.split())
    assert n == 3000
    assert out.stat().st_size > 0
    assert peak_kb * 1024 < LIMIT


def test_cli_dask_local_gives_the_same_bytes(tmp_path: Path) -> None:
    """`kg build --dask local` writes what the single-process build writes."""
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from kg.cli import cli

    one, dask_out = tmp_path / "one.nq", tmp_path / "dask.nq"
    seeds = str(Path(__file__).resolve().parents[1] / "seeds")
    assert CliRunner().invoke(cli, ["build", seeds, "-o", str(one)]).exit_code == 0
    r = CliRunner().invoke(cli, ["build", seeds, "-o", str(dask_out), "--dask", "local", "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert one.read_bytes() == dask_out.read_bytes()
