"""Executors: serial (this process) and process (a pool of worker processes on this machine).

Every executor has one method, `run(jobs, limits, overrides)`, yielding `(job, outcome)` pairs
AS EACH DOCUMENT FINISHES (not in input order, so one slow file holds nothing back), and
`close()`, which stops every worker it started (also when the caller is interrupted). The
Dask executor (`pipeline.engine.dask_executor`) has the same shape.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from pipeline.engine.sandbox import Sandbox
from pipeline.engine.work import Job, Outcome, analyze_one, timeout_outcome
from pipeline.ingest.limits import Limits

ENGINES = ("serial", "process", "dask")


class Executor(Protocol):
    name: str
    workers: int

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """One document after another in this process (debugging, `analyze`, tiny batches). The
    time limit is enforced with an interval timer when running in the main thread; a crash of a
    C library here is not isolated (use the process executor for untrusted folders)."""

    name = "serial"
    workers = 1

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]:
        for job in jobs:
            start = time.perf_counter()
            try:
                with _alarm(job.timeout):
                    outcome = analyze_one(job.path, limits, overrides, job.want)
            except _Expired:
                outcome = timeout_outcome(job.path, job.timeout)
            outcome.seconds = time.perf_counter() - start
            outcome.worker = "serial"
            yield job, outcome

    def close(self) -> None:
        pass


class _Expired(BaseException):
    """Raised by the timer; a BaseException so `analyze_one` does not swallow it."""


class _alarm:  # noqa: N801 - a context manager used like a function
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = threading.current_thread() is threading.main_thread() and seconds > 0

    def __enter__(self) -> None:
        if self.active:
            self.old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)

    @staticmethod
    def _fire(signum: int, frame: object) -> None:
        raise _Expired


class ProcessExecutor:
    """`workers` analysis processes on this machine, each fed by a thread of this process.

    Each worker takes the next document as soon as it is free (no fixed chunks, so a long file
    does not leave the other workers idle), keeps its models loaded, and is killed and restarted
    when a document passes its time limit or crashes it: only that document fails.
    """

    name = "process"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.sandboxes = [Sandbox(f"process-{i}") for i in range(self.workers)]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._warming: dict[str, threading.Thread] = {}

    def warm(self, workers: int | None = None) -> None:
        """Start the analysis processes now, in the background (each loads its models for a
        few seconds): the caller hashes and plans its files meanwhile, so that start-up is
        not added to the run. Returns at once; `run` waits for a process still starting."""
        for box in self.sandboxes[: workers or self.workers]:
            if box.name not in self._warming and box.proc is None:
                t = threading.Thread(target=box.try_start, daemon=True,
                                     name=f"warm-{box.name}")
                self._warming[box.name] = t
                t.start()

    def wait_warm(self) -> None:
        """Block until every process started by `warm` is ready (benchmarks time a warm
        run with it)."""
        for t in list(self._warming.values()):
            t.join()

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]:
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job)
        done: queue.Queue[tuple[Job, Outcome] | BaseException] = queue.Queue()
        used = self.sandboxes[: max(1, min(self.workers, len(jobs)))]
        self._stop = stop = threading.Event()  # this run's; close() sets it
        self._threads = [
            threading.Thread(target=self._serve,
                             args=(box, todo, done, limits, overrides, stop),
                             daemon=True, name=box.name)
            for box in used
        ]
        for t in self._threads:
            t.start()
        finished = False
        try:
            for _ in range(len(jobs)):
                item = _get(done)
                if isinstance(item, BaseException):
                    raise item
                yield item
            finished = True
        finally:
            if finished:  # every worker is idle: keep them (and their models) for a next run
                for t in self._threads:
                    t.join()
                self._threads = []
            else:  # interrupted, or the caller stopped reading: stop the workers now
                self.close()

    def _serve(
        self, box: Sandbox, todo: queue.Queue[Job],
        done: queue.Queue[tuple[Job, Outcome] | BaseException],
        limits: Limits, overrides: dict[str, Any] | None, stop: threading.Event,
    ) -> None:
        try:
            warming = self._warming.pop(box.name, None)
            if warming is not None:  # started by warm(): one process per sandbox
                warming.join()
            while not stop.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                done.put((job, box.run(job.path, limits, overrides, job.timeout, job.want)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            if not stop.is_set():
                done.put(exc)

    def close(self) -> None:
        """Stop now: kill every analysis process (a document in progress is abandoned)."""
        self._stop.set()
        for box in self.sandboxes:  # a process still loading its models is killed too
            box.close()
        for t in list(self._warming.values()):
            t.join()
        self._warming = {}
        for box in self.sandboxes:  # one a warm-up thread started while we were closing
            box.close()
        for t in self._threads:
            if t.ident is not None:  # a signal may stop `run` before it started them all
                t.join(timeout=5)
        self._threads = []


def _get(q: queue.Queue[Any]) -> Any:
    # A short timeout keeps the main thread responsive to Ctrl-C and SIGTERM.
    while True:
        try:
            return q.get(timeout=0.2)
        except queue.Empty:
            continue


def make_executor(
    engine: str, workers: int, scheduler: str | None = None, batch_size: int | None = None,
) -> Executor:
    if engine == "serial":
        return SerialExecutor()
    if engine == "process":
        return ProcessExecutor(workers)
    if engine == "dask":
        from pipeline.engine.dask_executor import DaskExecutor

        return DaskExecutor(workers, scheduler=scheduler, batch_size=batch_size)
    raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
