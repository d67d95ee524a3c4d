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
from pathlib import Path
from typing import Any

from pipeline.engine import child
from pipeline.engine.work import Outcome, crash_outcome, timeout_outcome
from pipeline.ingest.limits import Limits, worker_memory_mb

STARTUP_SECONDS = 300.0  # importing and warming the models on a loaded machine
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the `pipeline` package


class SandboxError(RuntimeError):
    """The analysis process could not be started at all (not a document's fault)."""


class Sandbox:
    """Runs `analyze_one` in a child process with a time limit; restarts it after a kill."""

    def __init__(self, name: str = "", memory_mb: int | None = None) -> None:
        self.name = name
        # The address-space cap: the same figure the `--max-size` default is derived from.
        self.memory_mb = worker_memory_mb() if memory_mb is None else memory_mb
        self.proc: subprocess.Popen[bytes] | None = None
        self.documents = 0
        self.busy_with: str | None = None  # the document the child is working on

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "pipeline.engine.child", str(os.getpid()),
             str(self.memory_mb)],
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

    def run(
        self, path: str, limits: Limits, overrides: dict[str, Any] | None, timeout: float,
        want: str = "report",
    ) -> Outcome:
        """The outcome of one document; a hang past `timeout` seconds or a crash of the
        child is that document's error (the child is then restarted for the next one).
        `want`: what an ok outcome carries (`pipeline.engine.work.WANTS`)."""
        try:
            self.start()
        except SandboxError:  # killed while starting (memory pressure?): one more try
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            child.send(self.proc.stdin, (path, limits, overrides, want))
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
        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return _TIMEOUT
        return child.receive(self.proc.stdout)

    def _crashed(self, path: str) -> Outcome:
        code = self.proc.wait(timeout=10) if self.proc is not None else None
        self.proc = None
        how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exit status {code}")
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
