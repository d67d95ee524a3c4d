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
from dataclasses import replace
from typing import Any, Protocol

from pipeline.engine.sandbox import Sandbox, SandboxError
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

    Start-up (issue 15): only the first process loads the models (seconds of CPU); the others
    are forked from it once it is ready (`Sandbox.fork_from`, milliseconds), so the models are
    loaded once per run, not once per worker. Meanwhile the cores the other workers will use
    are not left idle: each runs a reader process (no models, ready in a fraction of a second)
    that reads the first files (`want="document"`; reading is half the work of a PDF), and
    those documents are then analysed from what was read. With one worker nothing changes: its
    process loads the models, then analyses. Records are the same either way (the report of a
    file read in one process and analysed in another is the report of `analyze`).
    """

    name = "process"

    def __init__(self, workers: int, fork: bool = True) -> None:
        self.workers = max(1, workers)
        # False: each process loads its own models, all at once, and nothing is read before
        # (how the pool started before; `bench_scale.py --process-start separate` compares).
        self.fork = fork
        self.sandboxes = [Sandbox(f"process-{i}") for i in range(self.workers)]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._warming: threading.Thread | None = None
        self._readers: dict[str, Sandbox] = {}  # worker name -> its reader while warming
        self._reader_starts: dict[str, threading.Thread] = {}
        self._box_starts: dict[str, threading.Thread] = {}  # fork=False: each one's start
        self._closing = threading.Event()
        self._lock = threading.Lock()

    def warm(self, workers: int | None = None) -> None:
        """Start the analysis processes now, in the background (the first loads its models
        for a few seconds, the others are forked from it), and a reader for each of the
        others: the caller hashes and plans its files meanwhile, so that start-up is not
        added to the run. Returns at once; `run` reads files while the models load, then
        waits for a process still starting."""
        boxes = self.sandboxes[: workers or self.workers]
        with self._lock:
            if self._warming is not None or self._box_starts \
                    or all(b.proc is not None for b in boxes):
                return
            first, others = boxes[0], [b for b in boxes[1:] if b.proc is None]
            self._closing.clear()
            for box in self.sandboxes:  # a pool closed after an earlier run starts again
                box.reopen()
            if not self.fork:  # one thread per process; each worker waits for its own
                for box in boxes:
                    if box.proc is None:
                        t = threading.Thread(target=box.try_start, daemon=True,
                                             name=f"warm-{box.name}")
                        self._box_starts[box.name] = t
                        t.start()
                return
            if first.proc is None:  # the models will load for seconds: read meanwhile
                for box in others:
                    reader = self._readers[box.name] = Sandbox(f"{box.name}-reader",
                                                                reader=True)
                    t = threading.Thread(target=reader.try_start, daemon=True,
                                         name=f"warm-{reader.name}")
                    self._reader_starts[reader.name] = t
                    t.start()
            self._warming = threading.Thread(target=self._start_all, args=(first, others),
                                             daemon=True, name="warm-process")
            self._warming.start()

    def _start_all(self, first: Sandbox, others: list[Sandbox]) -> None:
        first.try_start()
        for box in others:
            if self._closing.is_set():
                return
            if not box.fork_from(first):
                box.try_start()  # no fork here (or it failed): a process of its own

    def wait_warm(self) -> None:
        """Block until every process started by `warm` is ready (benchmarks time a warm
        run with it)."""
        warming = self._warming
        if warming is not None:
            warming.join()
        for t in list(self._box_starts.values()):
            t.join()

    def _warm_done(self, box: Sandbox) -> None:
        starting = self._box_starts.pop(box.name, None)
        if starting is not None:  # fork=False: this worker's own start
            starting.join()
        warming = self._warming
        if warming is not None:
            warming.join()
            with self._lock:
                if self._warming is warming:
                    self._warming = None

    def run(
        self, jobs: Sequence[Job], limits: Limits, overrides: dict[str, Any] | None
    ) -> Iterator[tuple[Job, Outcome]]:
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job)
        self.warm(max(1, min(self.workers, len(jobs))))  # at once, if not warmed already
        read: queue.Queue[Job] = queue.Queue()  # read by a reader, to analyse first
        done: queue.Queue[tuple[Job, Outcome] | BaseException] = queue.Queue()
        used = self.sandboxes[: max(1, min(self.workers, len(jobs)))]
        self._stop = stop = threading.Event()  # this run's; close() sets it
        self._threads = [
            threading.Thread(target=self._serve,
                             args=(box, todo, read, done, limits, overrides, stop),
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
        self, box: Sandbox, todo: queue.Queue[Job], read: queue.Queue[Job],
        done: queue.Queue[tuple[Job, Outcome] | BaseException],
        limits: Limits, overrides: dict[str, Any] | None, stop: threading.Event,
    ) -> None:
        try:
            reader = self._readers.get(box.name)
            if reader is not None:
                self._read_while_warming(reader, todo, read, done, limits, overrides, stop)
            self._warm_done(box)  # this worker's process is started (or forked) by then
            while not stop.is_set():
                try:
                    job = read.get_nowait()
                except queue.Empty:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                outcome = box.run(job.path, limits, overrides, job.timeout, job.want,
                                  job.document)
                if job.document is not None:  # the reading was part of this file's work
                    outcome.cpu += job.read_cpu
                    outcome.seconds += job.read_seconds
                done.put((job, outcome))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            if not stop.is_set():
                done.put(exc)

    def _read_while_warming(
        self, reader: Sandbox, todo: queue.Queue[Job], read: queue.Queue[Job],
        done: queue.Queue[tuple[Job, Outcome] | BaseException],
        limits: Limits, overrides: dict[str, Any] | None, stop: threading.Event,
    ) -> None:
        """Read files (no analysis) while the models load; a file that cannot be read gets
        its error here, as it would in the analysis process."""
        try:
            starting = self._reader_starts.pop(reader.name, None)
            if starting is not None:  # one thread at a time talks to a process
                starting.join()
            warming = self._warming
            while not stop.is_set() and warming is not None and warming.is_alive():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcome = reader.run(job.path, limits, overrides, job.timeout, "document")
                except SandboxError:  # no reader (it could not start): analysed as usual
                    read.put(job)
                    return
                if outcome.ok and outcome.document is not None:
                    read.put(replace(job, document=outcome.document, read_cpu=outcome.cpu,
                                     read_seconds=outcome.seconds))
                else:
                    done.put((job, outcome))
        finally:
            with self._lock:
                self._readers = {k: v for k, v in self._readers.items() if v is not reader}
            reader.close()

    def close(self) -> None:
        """Stop now: kill every analysis process (a document in progress is abandoned).

        Every sandbox is shut first, so no thread of this pool can start or fork a process
        after this point and every wait of theirs gives up within a slice: the joins below
        take a fraction of a second, not the minutes a start or a fork may be allowed."""
        self._stop.set()
        self._closing.set()
        boxes = [*self.sandboxes, *self._readers.values()]
        for box in boxes:
            box.shut()  # a process still loading its models is killed too
        threads = [self._warming, *self._box_starts.values(), *self._reader_starts.values(),
                   *self._threads]
        for t in threads:
            if t is not None and t.ident is not None:  # a signal may stop `run` before it
                t.join(timeout=_JOIN_SECONDS)           # started them all
        for box in boxes:
            box.close()  # one a thread got (or forked) just before it saw the shut
        self._warming = None
        self._box_starts = {}
        self._readers = {}
        self._reader_starts = {}
        self._threads = []


_JOIN_SECONDS = 5.0  # a thread of a shut pool ends within a wait slice; this bounds a stuck one


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
