"""`daihoi run` leaves no worker behind: killed with SIGKILL (the workers notice their parent is
gone and exit) or stopped with SIGTERM (the workers are stopped and a line says what was
stored)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import psutil
import pytest
from corpus_fixtures import synthetic_files

from conftest import SEEDS

DAIHOI = [sys.executable, "-m", "pipeline.cli"]


@pytest.fixture(scope="module")
def busy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few reports and a long one, so that the run is still working when it is killed."""
    d = tmp_path_factory.mktemp("busy")
    for f in synthetic_files()[:4]:
        shutil.copy(f, d / f.name)
    seed = (SEEDS / "000_4435fb2a97849b7c.txt").read_text(encoding="utf-8")
    (d / "zz_dai.txt").write_text("\n\n".join([seed] * 40), encoding="utf-8")
    return d


def _workers(pid: int, timeout: float = 90.0) -> list[psutil.Process]:
    """The analysis processes of the run `pid`, once both have started: the first one and
    the one forked from it (its child, the run's grandchild), not the reader that reads files
    while the first loads its models."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = [p for p in psutil.Process(pid).children(recursive=True)
                     if "pipeline.engine.child" in (cmd := " ".join(p.cmdline()))
                     and not cmd.endswith(" reader")]
        except psutil.Error:
            found = []
        if len(found) >= 2:
            return found
        time.sleep(0.2)
    raise AssertionError("the run never started its two workers")


def _gone(procs: list[psutil.Process], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive:
            return True
        time.sleep(0.2)
    return False


def _start(folder: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*DAIHOI, "run", str(folder), "--db", str(db), "--jobs", "2",
                             "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[1])


def _stderr_or_where_it_hangs(proc: subprocess.Popen[str], seconds: float) -> str:
    """The run's stderr once it has ended; if it has not ended within `seconds`, fail with what
    each of its threads is doing (`kill -USR1` prints their stacks) and its process tree."""
    try:
        return proc.communicate(timeout=seconds)[1]
    except subprocess.TimeoutExpired:
        tree = [(p.pid, p.status(), " ".join(p.cmdline())[-80:])
                for p in psutil.Process(proc.pid).children(recursive=True)]
        os.kill(proc.pid, signal.SIGUSR1)
        time.sleep(2)
        proc.kill()
        _, err = proc.communicate(timeout=30)
        raise AssertionError(f"the run did not end {seconds} s after the signal; "
                             f"processes {tree}; stacks:\n{err}") from None


def test_workers_exit_when_the_run_is_killed_with_sigkill(busy_folder: Path,
                                                          tmp_path: Path) -> None:
    proc = _start(busy_folder, tmp_path / "k.db")
    workers = _workers(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert _gone(workers), [p.pid for p in workers]


def test_sigterm_stops_the_workers_and_says_what_was_stored(busy_folder: Path,
                                                            tmp_path: Path) -> None:
    proc = _start(busy_folder, tmp_path / "t.db")
    workers = _workers(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    err = _stderr_or_where_it_hangs(proc, 60)
    if "most recent call first" in err:  # the watchdog ended a stop that got stuck: say where
        warnings.warn(f"the clean stop got stuck; the watchdog ended it:\n{err}", stacklevel=1)
    assert proc.returncode == 130, err
    assert "Stopped on request (SIGTERM)" in err
    # How many were stored before the signal depends on timing; the count must cover every file.
    said = re.search(r"(\d+) files? stored, (\d+) not processed", err)
    assert said, err
    assert int(said[1]) + int(said[2]) == len(list(busy_folder.iterdir())), err
    assert _gone(workers, timeout=5), [p.pid for p in workers]


def test_a_stop_while_the_second_worker_is_being_forked_ends_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The run's CI failure: a stop that came while the pool was still starting waited for the
    # start (a fork allowed 30 s, then a process of its own loading its models) before it could
    # end. Here the copy never connects (a process that only sleeps stands for it): closing the
    # pool must still end at once, leave no analysis process, and the pool must work again.
    from pipeline.engine.executors import ProcessExecutor
    from pipeline.engine.sandbox import Sandbox
    from pipeline.engine.work import Job
    from pipeline.ingest.limits import Limits

    stand_in = subprocess.Popen(["sleep", "120"])
    forking = threading.Event()

    def fork_to(self: Sandbox, address: str) -> int | None:
        forking.set()
        return stand_in.pid

    monkeypatch.setattr(Sandbox, "fork_to", fork_to)
    executor = ProcessExecutor(2)
    try:
        executor.warm()
        assert forking.wait(120), "the first process never finished loading its models"
        started = [box.pid for box in executor.sandboxes if box.pid is not None]
        began = time.monotonic()
        executor.close()
        took = time.monotonic() - began
        assert took < 10, f"closing waited {took:.1f} s for a start that was cancelled"
        assert all(box.proc is None for box in executor.sandboxes)
        assert _gone([psutil.Process(pid) for pid in started if psutil.pid_exists(pid)])
        monkeypatch.undo()  # a real fork again: the pool closed by a stop can run again
        files = synthetic_files()[:2]
        pairs = list(executor.run([Job(i, str(f), 120.0) for i, f in enumerate(files)],
                                  Limits(), None))
        assert sorted(job.index for job, _ in pairs) == [0, 1]
        assert all(outcome.ok for _, outcome in pairs)
    finally:
        executor.close()
        stand_in.kill()
        stand_in.wait()


_STUCK_STOP = """
import sys, time
from pipeline.engine import signals
signals.GRACE_SECONDS = 1.0
with signals.stop_on_signals(lambda name: print(f"said {name}", file=sys.stderr)):
    try:
        print("ready", flush=True)
        time.sleep(60)
    except signals.Stopped:
        time.sleep(60)  # a clean stop that never ends
"""


def _stuck(tmp_path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _STUCK_STOP], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_stop_that_gets_stuck_is_ended_by_the_watchdog_with_the_stacks(tmp_path: Path) -> None:
    proc = _stuck(tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "most recent call first" in err, err  # where the stuck stop was
    assert err.rstrip().endswith("said SIGTERM"), err


def test_a_second_signal_ends_a_stop_at_once(tmp_path: Path) -> None:
    proc = _stuck(tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "most recent call first" not in err, err  # asked twice: no diagnosis, just end
    assert err.rstrip().endswith("said SIGINT"), err
