"""The build on Dask: the same graph, built by a cluster.

An optional extra (``pip install newskg[dask]``). The inputs are read here,
in input order, and cut into the same tasks the process-pool build uses; a
``dask.bag`` maps each partition of tasks to compact per-article N-Quads lines
on the workers; the partitions come back in order and
:func:`kg.build.assemble` writes them (or loads them into the embedded store)
exactly as the single-process build does, so the output is byte-identical::

    from distributed import Client, LocalCluster
    from kg.distributed import build_dask

    with LocalCluster(n_workers=2, processes=True) as cluster, Client(cluster) as client:
        report = build_dask(["archive/"], "graph.nq", client=client)

Without a ``client`` the bag runs on Dask's local multiprocessing scheduler.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kg.build import (
    VALIDATE_BATCH,
    BuildReport,
    Progress,
    ValidatorFactory,
    _ChunkBuilder,
    _chunks,
    _Done,
    _Job,
    _validator_factory,
    assemble,
)
from kg.errors import UsageError
from kg.read import FetchLimits, Problem, read_inputs

log = logging.getLogger(__name__)

_BUILDERS: dict[str, _ChunkBuilder] = {}


def _build_partition(tasks: Sequence[list[Any]], job: _Job) -> list[list[_Done | Problem]]:
    """One partition, on a worker: each task's articles built (the builder made once per worker process)."""
    key = repr(job)
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _ChunkBuilder(job)
    return [builder(task) for task in tasks]


def build_dask(
    inputs: Sequence[str],
    output: str | None,
    fmt: str | None = None,
    *,
    base: str | None = None,
    validate: bool = True,
    shapes: Path | None = None,
    batch: int = VALIDATE_BATCH,
    validator: ValidatorFactory | None = None,
    client: Any = None,
    partition_tasks: int = 4,
    window: int | None = None,
    strict: bool = False,
    store: Path | None = None,
    progress: Progress | None = None,
    fetch: FetchLimits | None = None,
) -> BuildReport:
    """Build ``inputs`` on Dask into ``output`` (and/or an embedded store); same bytes as :func:`kg.build.build`.

    ``client`` is a ``distributed.Client`` (default: Dask's local processes
    scheduler); ``partition_tasks`` tasks of a few articles make one bag
    partition; at most ``window`` partitions (default: twice the workers) are
    in flight, so the results need not all fit in memory at once.
    """
    try:
        import dask.bag as db
    except ImportError as err:  # pragma: no cover - depends on the extra
        raise UsageError("the Dask build needs the dask extra: pip install 'newskg[dask]'") from err

    job = _Job(base=base, make_validator=_validator_factory(validate, shapes, validator), batch=max(1, batch))
    tasks = list(_chunks(read_inputs(inputs, fetch), job.chunk))
    if not tasks:
        return assemble(iter(()), output, fmt, base=base, strict=strict, store=store, progress=progress)
    npart = max(1, -(-len(tasks) // max(1, partition_tasks)))
    bag = db.from_sequence(tasks, npartitions=npart).map_partitions(_build_partition, job)
    parts = bag.to_delayed()
    if client is not None:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
    else:
        import os

        workers = os.cpu_count() or 1
    results = _in_order(parts, client, window or 2 * workers)
    return assemble(results, output, fmt, base=base, strict=strict, store=store, progress=progress)


def _in_order(parts: list[Any], client: Any, window: int) -> Iterator[_Done | Problem]:
    """The partitions' articles in input order, computing at most ``window`` partitions ahead."""
    if client is None:
        import dask

        for i in range(0, len(parts), window):
            for part in dask.compute(*parts[i : i + window], scheduler="processes"):
                for task in part:
                    yield from task
        return
    pending: deque[Any] = deque()
    todo = iter(parts)
    for part in todo:
        pending.append(client.compute(part))
        if len(pending) >= window:
            break
    while pending:
        future = pending.popleft()
        for task in future.result():
            yield from task
        future.release()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(client.compute(nxt))


__all__ = ["build_dask"]


def build_on_scheduler(
    inputs: Sequence[str], output: str | None, fmt: str | None, scheduler: str, workers: int = 2, **options: Any
) -> BuildReport:
    """:func:`build_dask` on a Dask cluster: ``scheduler`` is an address, or ``local`` for ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise UsageError("--dask needs the optional extra: pip install 'newskg[dask]'") from err
    if not log.isEnabledFor(logging.DEBUG):  # distributed logs every worker start at INFO
        for name in list(logging.root.manager.loggerDict):
            if name.split(".")[0] in ("distributed", "dask"):
                logging.getLogger(name).setLevel(logging.WARNING)
    cluster = (
        LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None)
        if scheduler == "local"
        else None
    )
    try:
        with Client(cluster or scheduler) as client:
            return build_dask(inputs, output, fmt, client=client, **options)
    finally:
        if cluster is not None:
            cluster.close()
