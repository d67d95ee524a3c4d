"""The Dask executor: batches of documents as Dask tasks, on a cluster or a `LocalCluster`.

- `scheduler` given: connect to it (a clear `EngineError` before any work when it cannot be
  reached); none: start a `LocalCluster` of `workers` processes, one thread each, on this
  machine.
- Each task is a batch of documents analysed by the worker's persistent `Sandbox` (models
  loaded once per worker; a hang or crash is that document's error). A worker that dies loses
  only its running batch: Dask retries it elsewhere; a batch that keeps killing workers is split
  into single documents, so only the guilty file ends as an error.
- Each finished batch is written as one Parquet file into `parquet_dir` (when set) before its
  documents are handed to the caller: a run stopped at any point resumes from those files. The
  worker makes the file (rows, compression) and the outcomes (for `daihoi run`, each document's
  store rows, `pipeline.store.prepared`); this process only writes them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.engine.work import Job, Outcome, crash_outcome
from pipeline.ingest.limits import Limits

CONNECT_SECONDS = 5
# More documents per batch gain nothing (the per-task overhead is milliseconds) and make a
# lost batch dearer.
MAX_BATCH = 50
# A LocalCluster without what only a dashboard uses: the workers' statistical profiler (a
# stack sample every 10 ms), the 20 ms event-loop tick and the 0.5 s system monitor cost ~9%
# of a core while idle (measured: 3% in this process, 2.9% in each worker), time taken from the
# analysis on a machine whose cores the workers fill. The nannies (in this process) check their
# worker's memory every second instead of ten times a second: each analysis process has its own
# memory cap (`Sandbox`), this check only catches a runaway worker process.
#
# And one batch per worker at a time: by default (saturation 1.1 on a 1-thread worker) the
# scheduler hands each worker its running batch plus a queued one, so at the end of a run a
# worker can sit idle while another still holds a batch it has not begun (work stealing may or
# may not move it); with 1.0 the next batch goes to whichever worker is free first (a
# scheduler round trip, milliseconds, between batches of seconds).
QUIET_LOCAL_CLUSTER = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


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
        self._models: Any = None  # LocalCluster: the process whose copies the workers get
        # LocalCluster of 2+ workers: read the first batches' files while the models load
        # (False: nothing read first, as before; benchmarks compare the two).
        self.read_first = True
        self._forking: threading.Thread | None = None

    def connect(self) -> None:
        """Reach the scheduler (or start the local cluster) before any work is planned."""
        if self.client is not None:
            return
        if not self.scheduler:
            # A LocalCluster: the models start loading first (`_start_models`), while this
            # process imports Dask (~0.3-0.5 s) and starts the cluster.
            loading = self._start_models()
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
        import dask

        with dask.config.set(QUIET_LOCAL_CLUSTER):
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                        processes=True, dashboard_address=None,
                                        silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        self._fork_workers(loading)

    def _start_models(self) -> threading.Thread:
        """The models load once, in an analysis process of this one, while Dask is imported
        and the cluster's worker processes start (a second or more) instead of after; each
        worker then gets a copy of it (`_fork_workers`), ready in milliseconds. The thread
        that starts it (joined before the copies are made)."""
        from pipeline.engine.sandbox import Sandbox

        self._models = Sandbox("dask-models")
        loading = threading.Thread(target=self._models.try_start, daemon=True,
                                   name="daihoi-models")
        loading.start()
        return loading

    def _fork_workers(self, loading: threading.Thread) -> None:
        """Each local worker waits for a copy of the models' process (`listen_for_fork`);
        in the background, once the models are loaded, a copy is made for each. A worker
        whose copy cannot be made starts its own process (`cancel_fork`). With 2 workers or
        more, each also starts a reader, with which its first batch reads its files while the
        models load (`dask_tasks._read_while_warming`); with one, nothing is read first (its
        core is the one loading the models, as in the process pool)."""
        from pipeline.engine.dask_tasks import cancel_fork, listen_for_fork

        try:
            read = self.read_first and self.workers > 1
            addresses = [a for a in self.client.run(listen_for_fork, read).values() if a]
        except Exception:  # noqa: BLE001 - an optimisation only: batches start their own
            self.warm()
            return

        def fork() -> None:
            loading.join()
            models = self._models
            made = all(models is not None and models.fork_to(a) is not None
                       for a in addresses)
            if not made:
                try:
                    self.client.run(cancel_fork)
                except Exception:  # noqa: BLE001, S110 - closed meanwhile
                    pass

        self._forking = threading.Thread(target=fork, daemon=True, name="daihoi-fork")
        self._forking.start()

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
        if self._forking is not None:
            self._forking.join()
        self.client.run(worker_ready)

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]:
        from distributed import as_completed

        from pipeline.engine.dask_tasks import run_batch
        from pipeline.engine.parquet import write_partition_bytes

        if not jobs:
            return
        self.connect()
        batches = batch_jobs(list(jobs), self.workers, self.batch_size)
        first = _next_batch_number(self.parquet_dir)
        pending: dict[Any, tuple[int, list[Job]]] = {}

        def submit(number: int, batch: list[Job]) -> Any:
            future = self.client.submit(
                run_batch, number, batch, limits, overrides, self.parquet_dir is not None,
                pure=False, retries=1,
                key=f"daihoi-batch-{number}-{id(batch)}",
            )
            pending[future] = (number, batch)
            return future

        queue = as_completed([submit(first + i, b) for i, b in enumerate(batches)])
        number = first + len(batches)
        for future in queue:
            batch_no, batch = pending.pop(future)
            try:
                data, outcomes = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died on this batch, repeatedly
                if len(batch) > 1:
                    for job in batch:  # one by one: only the guilty file will fail
                        queue.add(submit(number, [job]))
                        number += 1
                    continue
                outcome = crash_outcome(batch[0].path, f"the worker died ({type(exc).__name__})")
                yield batch[0], outcome
                continue
            if self.parquet_dir is not None and data is not None:
                write_partition_bytes(self.parquet_dir, batch_no, data)
            yield from zip(batch, outcomes, strict=True)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
        if self._models is not None:
            self._models.close()
        if self._forking is not None:
            self._forking.join()
            self._forking = None
        if self._models is not None:
            self._models.close()  # one that finished starting while we were closing
            self._models = None


def batch_jobs(jobs: list[Job], workers: int, size: int | None = None) -> list[list[Job]]:
    """`jobs` cut into batches: of `size` each when given (`--batch-size`); otherwise
    shrinking ones (guided self-scheduling): each takes a quarter of what is left per worker,
    at most 50 documents, so the run starts with big batches (few Parquet files, little
    per-task overhead) and ends with small ones, and no worker waits long at the end for
    another's last batch. Dask runs tasks in the order they are submitted, biggest first."""
    if size:
        return [jobs[i:i + size] for i in range(0, len(jobs), size)]
    batches = []
    start = 0
    while start < len(jobs):
        left = len(jobs) - start
        take = max(1, min(MAX_BATCH, -(-left // (workers * 4))))
        batches.append(jobs[start:start + take])
        start += take
    return batches


def _next_batch_number(folder: Path | None) -> int:
    from pipeline.engine.parquet import partitions

    numbers = [int(p.name.split("-")[1]) for p in partitions(folder)] if folder else []
    return max(numbers, default=-1) + 1
