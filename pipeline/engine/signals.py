"""Stopping a run cleanly: SIGTERM becomes an exception in the main thread, like Ctrl-C, so the
executor's `finally` kills its workers and the command can say what was stored."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal (`name`: SIGINT, SIGTERM, SIGHUP)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block, SIGINT, SIGTERM and SIGHUP raise `Stopped` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signal.Signals(signum).name)

    wanted = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
