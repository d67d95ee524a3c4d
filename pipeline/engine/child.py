"""The worker's analysis process: `python -m pipeline.engine.child PARENT_PID`.

Reads jobs (length-prefixed pickles) on stdin and answers each with an `Outcome` on the stdout
it was given; the Python-level stdout is pointed at stderr so a stray print cannot corrupt the
answers. The models load once, when the process starts, then serve every document. The parent
enforces the time limit by killing this process; this process exits by itself as soon as its
parent is gone (SIGKILL of `daihoi run` included), so no worker outlives a run.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import time
from typing import IO, Any

from pipeline.engine.parent import exit_with_parent

HEADER = struct.Struct("<Q")
READY = b"ready"
FORK = "fork"  # a job ("fork", socket address): make a copy of this process (`_fork`)


def send(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next object, or None at end of stream."""
    head = _read_exactly(stream, HEADER.size)
    if head is None:
        return None
    data = _read_exactly(stream, HEADER.unpack(head)[0])
    return None if data is None else pickle.loads(data)  # noqa: S301 - our own parent


def _read_exactly(stream: IO[bytes], n: int) -> bytes | None:
    parts: list[bytes] = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _warm_up() -> None:
    """Load the models now, so the first document's time limit does not pay for them."""
    from pipeline.analysis import analyze_document
    from pipeline.model import Block, Document

    sample = Document(source="", format="txt", sha256="", blocks=[
        Block("BÁO CÁO CHÍNH TRỊ"),
        Block("Đảng bộ xã đã lãnh đạo thực hiện thắng lợi Nghị quyết Đại hội nhiệm kỳ "
              "2020 - 2025, kết nạp 12 đảng viên mới, đạt 120% chỉ tiêu."),
    ])
    try:
        analyze_document(sample)
    except Exception:  # noqa: BLE001, S110 - warming up is an optimisation only
        pass


# What reading a file needs (a reader process imports only this; an analysis process too).
_READING = ("pipeline.engine.work", "pipeline.ingest.docx", "pipeline.ingest.pdf")


def _import(*modules: str) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


def _load_frozen() -> None:
    """Import and warm the models with the cyclic garbage collector off, then freeze what they
    made (`gc.freeze`: moved to a generation no collection visits) and turn it back on.

    Why: loading makes ~2 million long-lived objects (the segmenter's weights, the compiled
    grammars, spaCy's and underthesea's tables); with the collector on, every full collection
    during the load walks all that was made so far, and every full collection while analysing
    walks them again. Off during the load and frozen after, start-up takes ~20% less CPU
    (2.4 -> 1.9 s measured) and each document ~5-9% less: start-up is paid in full by every
    run, the same on 1 and on 2 workers, so it is what a short run's speed-up from 1 to 2
    workers loses most to. Nothing a document allocates is frozen: its cycles are collected as
    before."""
    gc.disable()
    try:
        # What every document needs besides the models: the readers of the usual formats,
        # the contract and the store's row makers (otherwise imported by the first document).
        _import(*_READING, "pipeline.contract", "pipeline.store.prepared")
        _warm_up()
    finally:
        gc.freeze()
        gc.enable()


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space: a document that would need more fails with
    MemoryError (that file's error) instead of pushing the machine into swap or the OOM
    killer's choice of victim."""
    import resource

    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        # A process may lower its hard limit but never raise it: under a tighter limit set
        # from outside (`prlimit --as`, a container), keep that one instead of failing to start.
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    """`PARENT_PID [MEMORY_MB [reader]]`: "reader" only reads files (`want="document"`): it
    starts in a fraction of a second, without the models."""
    parent = int(argv[0])
    _limit_memory(int(argv[1]) if len(argv) > 1 else 0)
    reader = len(argv) > 2 and argv[2] == "reader"
    # Ctrl-C reaches the whole process group: the parent decides what stops, and kills us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    exit_with_parent(parent)
    if reader:
        _import(*_READING)
    else:
        _load_frozen()
    send(answers, READY)
    _serve(sys.stdin.buffer, answers, parent)
    return 0


def _serve(jobs: IO[bytes], answers: IO[bytes], parent: int) -> None:
    from pipeline.engine.work import analyze_one

    while (job := receive(jobs)) is not None:
        if len(job) == 2 and job[0] == FORK:
            jobs, answers = _fork(job[1], answers, parent, jobs)
            continue
        path, limits, overrides, want, document = job
        start, cpu = time.perf_counter(), time.process_time()
        outcome = analyze_one(path, limits, overrides, want, document)
        outcome.seconds = time.perf_counter() - start
        outcome.cpu = time.process_time() - cpu
        send(answers, outcome)


def _fork(address: str, answers: IO[bytes], parent: int,
          jobs: IO[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """Make another analysis process as a copy of this one, models loaded (`os.fork`): a
    second worker of a pool then starts in milliseconds instead of loading the models again on
    its own core. The copy connects to the parent's socket at `address` and serves the jobs it
    receives there; this process answers with the copy's id and goes on serving its own.
    Returns the streams the calling process serves from now on."""
    import socket
    import warnings

    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process with threads: ours are the parent watch
        # (asleep) and the reapers (in waitpid), which hold no lock the copy could need.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the copy: only this thread survives the fork, the watch is started again
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(address)
            ours = sock.makefile("wb"), sock.makefile("rb")
            jobs.close()
            answers.close()
        except BaseException:  # noqa: BLE001 - the parent sees no connection and goes on
            os._exit(1)
        exit_with_parent(parent, forked=True)
        send(ours[0], READY)
        return ours[1], ours[0]
    import threading

    # The copy is this process's child: reaped here when it ends (killed by the parent after a
    # time limit, or at the end of the run), so it does not stay a zombie.
    threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
    send(answers, pid)
    return jobs, answers


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
