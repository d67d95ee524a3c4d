"""The worker's analysis process: `python -m pipeline.engine.child PARENT_PID`.

Reads jobs (length-prefixed pickles) on stdin and answers each with an `Outcome` on the stdout
it was given; the Python-level stdout is pointed at stderr so a stray print cannot corrupt the
answers. The models load once, when the process starts, then serve every document. The parent
enforces the time limit by killing this process; this process exits by itself as soon as its
parent is gone (SIGKILL of `daihoi run` included), so no worker outlives a run.
"""

from __future__ import annotations

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


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space: a document that would need more fails with
    MemoryError (that file's error) instead of pushing the machine into swap or the OOM
    killer's choice of victim."""
    import resource

    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    parent = int(argv[0])
    _limit_memory(int(argv[1]) if len(argv) > 1 else 0)
    # Ctrl-C reaches the whole process group: the parent decides what stops, and kills us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    exit_with_parent(parent)
    from pipeline.engine.work import analyze_one

    _warm_up()
    send(answers, READY)
    jobs = sys.stdin.buffer
    while (job := receive(jobs)) is not None:
        path, limits, overrides, want = job
        start, cpu = time.perf_counter(), time.process_time()
        outcome = analyze_one(path, limits, overrides, want)
        outcome.seconds = time.perf_counter() - start
        outcome.cpu = time.process_time() - cpu
        send(answers, outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
