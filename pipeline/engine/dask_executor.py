"""The Dask executor: batches of documents as Dask tasks, on a cluster or a `LocalCluster`.

- `scheduler` given: connect to it (a clear `EngineError` before any work when it cannot be
  reached); none: start a `LocalCluster` of `workers` processes, one thread each, on this
  machine.
- Each task is a batch of documents analysed by the worker's persistent `Sandbox` (models
  loaded once per worker; a hang or crash is that document's error). A worker that dies loses
  only its running batch: Dask retries it elsewhere; a batch that keeps killing workers is split
  into single documents, so only the guilty file ends as an error.
- Each finished batch is written as one Parquet file into `parquet_dir` (when set) before its
  documents are handed to the caller: a run stopped at any point resumes from those files.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.engine.rows import row_outcome
from pipeline.engine.work import Job, Outcome, crash_outcome
from pipeline.ingest import file_sha256
from pipeline.ingest.limits import Limits

CONNECT_SECONDS = 5


class EngineError(Exception):
    """The engine cannot run (e.g. the scheduler cannot be reached). `key` names the message."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        from pipeline.i18n import message

        return message(self.key, lang, **self.params)


class DaskExecutor:
    name = "dask"

    def __init__(
        self, workers: int, scheduler: str | None = None, batch_size: int | None = None,
        parquet_dir: Path | None = None,
    ) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.batch_size = batch_size
        self.parquet_dir = parquet_dir
        self.client: Any = None
        self.cluster: Any = None

    def connect(self) -> None:
        """Reach the scheduler (or start the local cluster) before any work is planned."""
        if self.client is not None:
            return
        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.ERROR)
        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineError("engine.scheduler_unreachable", address=self.scheduler,
                                  detail=f"{type(exc).__name__}: {exc}") from exc
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
            self.warm()
            return
        self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                    processes=True, dashboard_address=None,
                                    silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        self.warm()

    def warm(self) -> None:
        """Have every worker start its analysis process now (models loaded in the background
        while the batches are planned), not when its first batch arrives."""
        if self.client is None:
            return
        from pipeline.engine.dask_tasks import warm_worker

        try:
            self.client.run(warm_worker)
        except Exception:  # noqa: BLE001, S110 - an optimisation only: batches start them anyway
            pass

    def wait_warm(self) -> None:
        """Block until every worker's analysis process is ready."""
        from pipeline.engine.dask_tasks import worker_ready

        self.connect()
        self.client.run(worker_ready)

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]:
        from distributed import as_completed

        from pipeline.engine.dask_tasks import run_batch
        from pipeline.engine.parquet import write_partition

        if not jobs:
            return
        self.connect()
        size = self.batch_size or _batch_size(len(jobs), self.workers)
        batches = [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]
        # Hashes are taken here, where the files are certain to be readable.
        hashes = {j.path: _sha(j.path) for j in jobs}
        first = _next_batch_number(self.parquet_dir)
        pending: dict[Any, tuple[int, list[Job]]] = {}

        def submit(number: int, batch: list[Job]) -> Any:
            future = self.client.submit(
                run_batch, number, batch, limits, overrides,
                {j.path: hashes[j.path] for j in batch}, pure=False, retries=1,
                key=f"daihoi-batch-{number}-{id(batch)}",
            )
            pending[future] = (number, batch)
            return future

        queue = as_completed([submit(first + i, b) for i, b in enumerate(batches)])
        number = first + len(batches)
        for future in queue:
            batch_no, batch = pending.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died on this batch, repeatedly
                if len(batch) > 1:
                    for job in batch:  # one by one: only the guilty file will fail
                        queue.add(submit(number, [job]))
                        number += 1
                    continue
                rows = None
                outcome = crash_outcome(batch[0].path, f"the worker died ({type(exc).__name__})")
                yield batch[0], outcome
                continue
            if self.parquet_dir is not None:
                write_partition(self.parquet_dir, batch_no, rows)
            for job, row in zip(batch, rows, strict=True):
                yield job, row_outcome(row)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def _batch_size(n_jobs: int, workers: int) -> int:
    # Several batches per worker keep the load balanced and make a lost batch cheap; more than
    # 50 documents per batch gains nothing (the per-task overhead is milliseconds).
    return max(1, min(50, n_jobs // (workers * 4) or 1))


def _sha(path: str) -> str | None:
    try:
        return file_sha256(Path(path))
    except OSError:
        return None


def _next_batch_number(folder: Path | None) -> int:
    from pipeline.engine.parquet import partitions

    numbers = [int(p.name.split("-")[1]) for p in partitions(folder)] if folder else []
    return max(numbers, default=-1) + 1
