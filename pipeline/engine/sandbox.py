"""`Sandbox`: one persistent analysis process a worker sends its documents to.

Why a separate process even inside a pool or Dask worker: a document that hangs (a quadratic
path, a runaway regular expression in C code) cannot be interrupted from Python, and a reader
that crashes (a segfault in a PDF library) takes its process down. Killing and restarting the
child makes either one that document's error while the worker, and its batch, go on. The child
keeps its models loaded between documents; it is started with `subprocess` (not
`multiprocessing`), so it also works inside daemonic worker processes such as Dask's.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.engine import child
from pipeline.engine.parent import _alive
from pipeline.engine.work import Outcome, crash_outcome, timeout_outcome
from pipeline.ingest.limits import Limits, worker_memory_mb
from pipeline.model import Document

STARTUP_SECONDS = 300.0  # importing and warming the models on a loaded machine
_WAIT_SLICE = 0.5  # how soon a wait notices `shut`
FORK_SECONDS = 30.0  # a fork and a local connection: milliseconds, seconds on a loaded machine
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the `pipeline` package


class SandboxError(RuntimeError):
    """The analysis process could not be started at all (not a document's fault)."""


class Sandbox:
    """Runs `analyze_one` in a child process with a time limit; restarts it after a kill."""

    def __init__(self, name: str = "", memory_mb: int | None = None,
                 reader: bool = False) -> None:
        self.name = name
        # A reader only reads files (`want="document"`): it starts without the models.
        self.reader = reader
        # The address-space cap: the same figure the `--max-size` default is derived from.
        self.memory_mb = worker_memory_mb() if memory_mb is None else memory_mb
        self.proc: subprocess.Popen[bytes] | _Forked | None = None
        self.documents = 0
        self.busy_with: str | None = None  # the document the child is working on
        # Set by `shut`: the run is stopping. Every wait gives up within a slice, and no new
        # process is started or forked until `reopen`, so a stop never waits for a start.
        self._shut = threading.Event()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def shut(self) -> None:
        """Stop for good (until `reopen`): kill the process and make every wait of another
        thread on this sandbox (a start, a fork, a document) give up at once."""
        self._shut.set()
        self.close()

    def reopen(self) -> None:
        """Allow processes again after `shut` (a pool reused for a next run)."""
        self._shut.clear()

    def start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        if self._shut.is_set():
            raise SandboxError("the run is stopping")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "pipeline.engine.child", str(os.getpid()),
             str(self.memory_mb), *(["reader"] if self.reader else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        if self._wait(STARTUP_SECONDS) != child.READY:
            self.close()
            raise SandboxError("the analysis process did not start")

    def try_start(self) -> None:
        """`start` ahead of need (warming a pool): a process that fails here is started
        again, and its error reported, by the first document sent to it."""
        try:
            self.start()
        except Exception:  # noqa: BLE001, S110
            pass

    def fork_from(self, other: Sandbox) -> bool:
        """Get this sandbox's process as a copy of `other`'s, which has its models loaded and
        is idle (`child._fork`): ready in milliseconds, where starting one loads the models
        for seconds. False (and no process) when that cannot be done; `start` then starts
        one the usual way."""
        if self.proc is not None or self.reader or self._shut.is_set():
            return False
        try:
            listener = Listener()
        except OSError:
            return False
        try:
            pid = other.fork_to(listener.address)
            if pid is None:
                return False
            conn = listener.accept(pid, FORK_SECONDS, self._shut.is_set)
            return conn is not None and self.adopt(pid, conn)
        finally:
            listener.close()

    def fork_to(self, address: str) -> int | None:
        """Have this sandbox's process (models loaded, idle) make a copy of itself that
        connects to the socket at `address` (`child._fork`); the copy's process id, or None
        when it cannot."""
        if self.proc is None or self.proc.poll() is not None or self.reader \
                or not hasattr(os, "fork"):
            return None
        try:
            assert self.proc.stdin is not None
            child.send(self.proc.stdin, (child.FORK, address))
            pid = self._wait(FORK_SECONDS)
        except (OSError, ValueError):
            pid = None
        if not isinstance(pid, int):
            self.close()  # it did not answer as it should: not trusted any more
            return None
        return pid

    def adopt(self, pid: int, conn: Any) -> bool:
        """Take the copy `pid` connected on `conn` (a socket) as this sandbox's process."""
        self.proc = _Forked(pid, conn)
        try:
            ready = self._wait(FORK_SECONDS) == child.READY
        except (OSError, ValueError, AttributeError):  # closed meanwhile by another thread
            ready = False
        if not ready:
            self.close()
        return ready

    def run(
        self, path: str, limits: Limits, overrides: dict[str, Any] | None, timeout: float,
        want: str = "report", document: Document | None = None,
    ) -> Outcome:
        """The outcome of one document; a hang past `timeout` seconds or a crash of the
        child is that document's error (the child is then restarted for the next one).
        `want`: what an ok outcome carries (`pipeline.engine.work.WANTS`); `document`: the
        file read already (by a reader)."""
        try:
            self.start()
        except SandboxError:  # killed while starting (memory pressure?): one more try
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            child.send(self.proc.stdin, (path, limits, overrides, want, document))
        except (BrokenPipeError, OSError):
            return self._crashed(path)
        self.busy_with = path
        try:
            answer = self._wait(timeout)
        finally:
            self.busy_with = None
        if answer is _TIMEOUT:
            self.close()
            return timeout_outcome(path, timeout)
        if not isinstance(answer, Outcome):
            return self._crashed(path)
        self.documents += 1
        answer.worker = self.name
        if answer.code == "out_of_memory":
            # The heap the failed document grew stays mapped in the child (counted by its
            # address-space cap): the next document gets a fresh process and the whole cap.
            self.close()
        return answer

    def _wait(self, timeout: float) -> Any:
        """The child's next answer, or _TIMEOUT after `timeout` seconds or once `shut` (in
        slices: another thread may shut this sandbox while we wait)."""
        proc = self.proc
        assert proc is not None and proc.stdout is not None
        end = time.monotonic() + timeout
        while not self._shut.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return _TIMEOUT
            ready, _, _ = select.select([proc.stdout], [], [], min(left, _WAIT_SLICE))
            if ready:
                return child.receive(proc.stdout)
        return _TIMEOUT

    def _crashed(self, path: str) -> Outcome:
        try:
            code = self.proc.wait(timeout=10) if self.proc is not None else None
        except subprocess.TimeoutExpired:  # its pipe closed, yet it runs: end it
            self.proc.kill()  # type: ignore[union-attr]
            code = self.proc.wait()  # type: ignore[union-attr]
        self.proc = None
        how = ("its process ended" if code is None
               else f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}")
        return crash_outcome(path, f"the reader crashed ({how})")

    def close(self) -> None:
        """Kill the child now (it may be in the middle of a document)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


_TIMEOUT = object()


class _Forked:
    """What `Sandbox` needs of a `subprocess.Popen`, for a process forked from another
    analysis process (`Sandbox.fork_from`): it is that process's child, not ours, so it is
    watched and killed by its id, and its exit status is not ours to read (its parent reaps
    it); it talks over a connected socket instead of pipes."""

    def __init__(self, pid: int, conn: Any) -> None:
        self.pid = pid
        self._conn = conn
        self.stdin: Any = conn.makefile("wb")
        self.stdout: Any = conn.makefile("rb")
        self.returncode: int | None = None

    _killed = False
    _ended = False

    def poll(self) -> int | None:
        """None while it runs; then -SIGKILL when we killed it, else 0 (how it ended is
        only known to its parent): `wait` returns None for the latter."""
        if not self._ended and not _alive(self.pid):
            self._ended = True
            self.returncode = -signal.SIGKILL if self._killed else 0
        return None if not self._ended else self.returncode

    def kill(self) -> None:
        self._killed = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._conn.close()

    def wait(self, timeout: float | None = None) -> int | None:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("forked analysis process", timeout or 0)
            time.sleep(0.01)
        return self.returncode if self._killed else None


class Listener:
    """A Unix socket in a private temporary folder, which a process forked from an analysis
    process (`Sandbox.fork_to`) connects to."""

    def __init__(self) -> None:
        import socket
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="daihoi-fork-")
        self.address = os.path.join(self.folder, "s")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.server.bind(self.address)
            self.server.listen(1)
        except OSError:
            self.close()
            raise
        self.server.settimeout(0.2)

    def accept(self, pid: int | None, seconds: float,
               cancelled: Callable[[], bool] | None = None) -> Any:
        """The connection of the forked process (`pid` when known: given up as soon as it has
        ended), or None after `seconds` or once `cancelled()`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (cancelled is not None and cancelled()):
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                if pid is not None and not _alive(pid):
                    return None
                continue
            except OSError:
                return None
            conn.settimeout(None)
            return conn
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return None

    def close(self) -> None:
        self.server.close()
        try:
            os.unlink(self.address)
        except OSError:
            pass
        try:
            os.rmdir(self.folder)
        except OSError:
            pass


def peer_pid(conn: Any) -> int | None:
    """The process id at the other end of a connected Unix socket (Linux), or None."""
    import socket
    import struct

    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except (AttributeError, OSError):
        return None
    pid = struct.unpack("3i", creds)[0]
    return pid or None
