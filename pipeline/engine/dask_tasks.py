"""What a Dask worker runs: one batch of documents through the worker's own `Sandbox`.

The sandbox (and the models loaded in it) lives as long as the worker process, so every batch
after the first one on a worker reuses it. A batch returns its Parquet file's bytes (rows of
`pipeline.engine.rows`, compressed here) and the outcomes, picklable plain data.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from pipeline.engine.rows import outcome_row
from pipeline.engine.sandbox import Sandbox
from pipeline.engine.work import Job, Outcome
from pipeline.ingest.limits import Limits

# Idle sandboxes of this worker process. A task takes one (or starts one) and gives it back,
# so a worker running several threads gets one analysis process per busy thread, and the one
# `warm_worker` started before any task is the first task's.
_idle: list[Sandbox] = []
_lock = threading.Lock()


_warming: list[threading.Thread] = []
# The Parquet writer's own warm-up (`_prepare_writer`), apart: a batch need not wait for it.
_writer: list[threading.Thread] = []


def _prepare_writer() -> None:
    """Write one throw-away Parquet file: the first `pq.write_table` of a process imports
    pandas and sets the writer up (0.3 s of CPU, 0.6-0.9 s on a loaded machine). Done while
    the worker waits for its analysis process, not at the end of its first batch, where the
    analysis process would sit idle meanwhile (once per worker: on 2 workers it is paid by
    both at once, so it weighed twice as much on the 2-worker run's time as on 1 worker's)."""
    import pipeline.contract  # noqa: F401 - what a batch's rows and outcomes also import
    import pipeline.store.prepared  # noqa: F401
    from pipeline.engine.parquet import partition_bytes
    from pipeline.engine.rows import SCHEMA

    try:
        partition_bytes([{name: None for name in SCHEMA.names}])
    except Exception:  # noqa: BLE001, S110 - an optimisation only: the batch will say why
        pass


def _start_writer() -> None:
    with _lock:
        if _writer:
            return
        t = threading.Thread(target=_prepare_writer, daemon=True, name="daihoi-writer")
        _writer.append(t)
    t.start()


def _take() -> Sandbox:
    for t in list(_warming):  # the warm-up's process is this worker's first: wait for it
        t.join()
    with _lock:
        if _idle:
            return _idle.pop()
    return Sandbox(f"dask-{os.getpid()}-{threading.get_ident() % 10000}")


def _give_back(box: Sandbox) -> None:
    with _lock:
        _idle.append(box)


def warm_worker() -> bool:
    """Start this worker's analysis process (models loaded) before its first batch arrives:
    run on every worker by the executor right after connecting, while the batches are planned
    and submitted. Started in a thread, so the worker's event loop is not held up."""
    def start(box: Sandbox) -> None:
        box.try_start()
        _give_back(box)

    _start_writer()
    with _lock:
        if _idle or _warming:
            return False
        t = threading.Thread(target=start, args=(Sandbox(f"dask-{os.getpid()}-warm"),),
                             daemon=True, name="daihoi-warm")
        _warming.append(t)
    t.start()
    return True


def listen_for_fork(read: bool = False) -> str | None:
    """Wait for this worker's analysis process to come as a copy of one whose models are
    loaded (a `LocalCluster`: the client's, `DaskExecutor`), not by loading them here: the
    address of the socket it will connect to (None if this worker has one already). Run on
    every worker right after connecting; if none comes (`cancel_fork`), or it fails, the
    worker starts its own.

    `read`: meanwhile, start a reader process (no models, ready in a fraction of a second)
    with which this worker's first batch reads its files while the models load
    (`_read_while_warming`): the client asks for it when the cluster has 2 workers or more,
    whose cores would otherwise wait for the one loading the models."""
    from pipeline.engine.sandbox import Listener

    _start_writer()
    with _lock:
        if _idle or _warming:
            return None
        try:
            listener = Listener()
        except OSError:
            return None
        _cancel.clear()
        _models_here.clear()
        t = threading.Thread(target=_adopt, args=(listener,), daemon=True,
                             name="daihoi-adopt")
        _warming.append(t)
        if read and not _reader:
            reader = Sandbox(f"dask-{os.getpid()}-reader", reader=True)
            starting = threading.Thread(target=_start_reader, args=(reader,), daemon=True,
                                        name="daihoi-reader")
            _reader.append((reader, starting))
            starting.start()
    t.start()
    return listener.address


def cancel_fork() -> bool:
    """No copy will come: a worker waiting for one starts its own analysis process."""
    _cancel.set()
    return True


_cancel = threading.Event()
# This worker's reader while its models load (`listen_for_fork(read=True)`), with the thread
# starting it: taken by the first batch (`_read_while_warming`), or closed unused once the
# models are here (`_adopt`), whichever comes first.
_reader: list[tuple[Sandbox, threading.Thread]] = []
# Files read while the models loaded, on this worker (tests and benchmarks look at it).
read_while_warming: list[str] = []
# Set once this worker's analysis process is there; a reader a batch is using then is shut,
# and the file it was reading is analysed from its path (`_read_while_warming`).
_models_here = threading.Event()
_in_use: list[Sandbox] = []


def _adopt(listener: Any) -> None:
    from pipeline.engine.sandbox import STARTUP_SECONDS, peer_pid

    box = Sandbox(f"dask-{os.getpid()}-warm")
    try:
        conn = listener.accept(None, STARTUP_SECONDS, _cancel.is_set)
        pid = peer_pid(conn) if conn is not None else None
        if conn is not None and pid is None:
            conn.close()
        if pid is None or not box.adopt(pid, conn):
            box.try_start()
    finally:
        listener.close()
        _give_back(box)
        with _lock:
            _models_here.set()
            unused = _reader.pop() if _reader else None  # no batch took it: not needed
            busy = list(_in_use)
        if unused is not None:
            unused[0].shut()
        # A read still going on is abandoned, not waited for: at the lowest priority on a busy
        # machine it may be getting next to no CPU, while the analysis process would wait.
        for reader in busy:
            reader.shut()


# A reader's priority: the lowest. It is to use a core nothing else needs while the models load,
# never to take CPU from their load (the run's critical path) or from the cluster's start: at
# the same priority, the 2 readers of a 2-worker cluster delayed the models' load by seconds
# on a busy machine, and made the run slower.
READER_NICE = 19


def _start_reader(reader: Sandbox) -> None:
    if sys.platform.startswith("linux"):  # a thread's nice value, inherited by what it starts
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), READER_NICE)
        except OSError:
            pass
    reader.try_start()
    _lower(reader)


def _lower(reader: Sandbox) -> None:
    """The reader's process at the lowest priority (again after a restart)."""
    if reader.pid is not None:
        try:
            os.setpriority(os.PRIO_PROCESS, reader.pid, READER_NICE)
        except OSError:
            pass


def _still_warming() -> bool:
    return any(t.is_alive() for t in _warming)


def _read_while_warming(
    jobs: list[Job], limits: Limits, overrides: dict[str, Any] | None,
) -> dict[int, Outcome]:
    """Read the batch's files in order (`want="document"`, no analysis) in this worker's
    reader while its models load; stops at the first file after they are ready. The outcome of
    each file read, by its place in `jobs`: the Document, or the file's error (a file that
    cannot be read fails here as it would in the analysis process: `analyze` is
    `analyze_document(load(path))`; a crash or hang of the reader is that file's error and
    kills the reader, never the worker). Nothing when this worker has no reader (one worker,
    a remote cluster) or its models are ready. When they come in the middle of a read, that
    read is abandoned (`_adopt` shuts the reader) and its file analysed from its path."""
    with _lock:
        taken = _reader.pop() if _reader else None
        if taken is not None:
            _in_use.append(taken[0])
    if taken is None:
        return {}
    reader, starting = taken
    read: dict[int, Outcome] = {}
    try:
        starting.join()
        for i, job in enumerate(jobs):
            if _models_here.is_set() or not _still_warming():
                break
            try:
                _lower(reader)
                outcome = reader.run(job.path, limits, overrides, job.timeout, "document")
            except Exception:  # noqa: BLE001 - no reader (it could not start, or was shut
                break          # meanwhile): the file is analysed as usual
            if not outcome.ok and _models_here.is_set():
                break  # maybe cut short by the shut: the analysis process reads it again
            read[i] = outcome
            read_while_warming.append(job.path)
    finally:
        with _lock:
            _in_use.remove(reader)
        reader.shut()
    return read


def worker_ready() -> bool:
    """Wait for this worker's warm-up (benchmarks time a warm run with it)."""
    for t in list(_warming) + list(_writer):
        t.join()
    return True


def run_batch(
    batch: int, jobs: list[Job], limits: Limits, overrides: dict[str, Any] | None,
    parquet: bool = True,
) -> tuple[bytes | None, list[Outcome]]:
    """The batch's Parquet file (made here, when `parquet`: the client only writes its bytes)
    and each document's outcome, carrying what its job wants (the store's prepared rows for
    `daihoi run`: the client then only writes them).

    A document's SHA-256 (which a rerun compares to skip it) is the one its analysis took
    while reading it; only a file that failed is hashed here. The client hashed every file
    before submitting the first batch: up to half a second of a cold run's start, and CPU
    taken from the workers' cores on every document."""
    from pipeline.engine.parquet import partition_bytes

    read = _read_while_warming(jobs, limits, overrides)
    box = _take()
    try:
        rows = []
        outcomes = []
        for i, job in enumerate(jobs):
            # The Parquet row needs the Document as JSON: asked of the analysis process too.
            want = "parquet" if parquet and job.want == "store" else job.want
            first = read.get(i)
            if first is None:
                outcome = box.run(job.path, limits, overrides, job.timeout, want)
            elif not first.ok:  # the file could not be read: its error
                outcome = first
            else:  # analysed from what was read (the same report as from the path)
                outcome = box.run(job.path, limits, overrides, job.timeout, want,
                                  first.document)
                outcome.cpu += first.cpu  # the reading was part of this file's work
                outcome.seconds += first.seconds
            if parquet:
                rows.append(outcome_row(outcome, None if outcome.ok else _sha(job.path),
                                        "dask", batch))
            if outcome.prepared is not None:
                outcome.prepared.document_json = None  # already in the Parquet bytes
            outcomes.append(outcome)
        return (partition_bytes(rows) if parquet else None), outcomes
    finally:
        _give_back(box)


def _sha(path: str) -> str | None:
    from pathlib import Path

    from pipeline.ingest import file_sha256

    try:
        return file_sha256(Path(path))
    except OSError:
        return None
