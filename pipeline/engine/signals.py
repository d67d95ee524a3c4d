"""Stopping a run cleanly: SIGTERM becomes an exception in the main thread, like Ctrl-C, so the
executor's `finally` kills its workers and the command can say what was stored.

A stop is also guaranteed to end: a watchdog started by the first signal ends the process
GRACE_SECONDS later if the clean stop has not finished by then (printing where each thread was,
then what the command says on a stop), and a second signal ends it at once. Ending this way
loses nothing: every stored document was committed in its own transaction, and the analysis
processes exit on their own once their parent is gone (`pipeline.engine.parent`)."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

GRACE_SECONDS = 30.0  # a clean stop takes a fraction of a second; this bounds a stuck one


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal (`name`: SIGINT, SIGTERM, SIGHUP)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@contextmanager
def stop_on_signals(on_force: Callable[[str], None] | None = None) -> Iterator[None]:
    """Within this block, SIGINT, SIGTERM and SIGHUP raise `Stopped` in the main thread.
    `on_force(signal_name)` says what was stored when the stop is forced (a second signal, or
    the clean stop still running GRACE_SECONDS after the first); the process then exits 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    first: list[str] = []

    def force(name: str, stuck: bool) -> None:
        if stuck:  # why the clean stop did not end: where each thread is
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        if on_force is not None:
            # In a thread of its own, waited for briefly: a main thread stuck while holding the
            # console's lock must not keep us from exiting.
            saying = threading.Thread(target=_quietly, args=(on_force, name), daemon=True)
            saying.start()
            saying.join(timeout=2.0)
        os._exit(130)

    def watchdog(name: str) -> None:
        if not finished.wait(GRACE_SECONDS):
            force(name, stuck=True)

    def stop(signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        if first:  # asked again while stopping: end now
            force(name, stuck=False)
        first.append(name)
        threading.Thread(target=watchdog, args=(name,), daemon=True,
                         name="daihoi-stop-watchdog").start()
        raise Stopped(name)

    finished = threading.Event()
    wanted = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if not first:
            finished.set()
        else:  # the watchdog keeps watching until the command has said what was stored
            _pending.append(finished)  # (`stopped_cleanly`), not only until this block is left


_pending: list[threading.Event] = []


def _quietly(say: Callable[[str], None], name: str) -> None:
    try:
        say(name)
        sys.stderr.flush()
    except Exception:  # noqa: BLE001, S110 - exiting anyway: the message is a courtesy
        pass


def stopped_cleanly() -> None:
    """The command has finished its stop (said what was stored): the watchdog stands down."""
    while _pending:
        _pending.pop().set()
