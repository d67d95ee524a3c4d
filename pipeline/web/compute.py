"""The dashboard's matrices and the comparison view's copy detection, computed in a process of
their own.

They take seconds of pandas and numpy on a big store; in the server's process they would hold
the interpreter lock and stall every other request. The child keeps the tables it read, per
store state, so each filter combination reuses them.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipeline.engine.parent import exit_with_parent
from pipeline.store.web_tables import User


class _ChildState:
    """What `views._dashboard` expects of the app's state: a cache and its locks."""

    def __init__(self) -> None:
        self.cache: dict[Any, Any] = {}
        self.cache_lock = threading.Lock()
        self.cache_locks: dict[Any, threading.Lock] = {}


_child = _ChildState()
_connections: dict[str, sqlite3.Connection] = {}


def _conn(db: str) -> sqlite3.Connection:
    conn = _connections.get(db)
    if conn is None:
        conn = _connections[db] = sqlite3.connect(db, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def dashboard(db: str, user: User, filters: dict[str, str | None],
              lang: str) -> tuple[Any, dict[str, Any]]:
    """(store generation, dashboard context) — run in the child."""
    from pipeline.web.data import Scope
    from pipeline.web.views import _dashboard

    scope = Scope(_conn(db), user)
    generation = scope.generation()
    return generation, _dashboard(scope, _child, filters, lang)


def compare(db: str, user: User, doc_id: int) -> tuple[Any, dict[str, Any] | None]:
    from pipeline.web.data import Scope
    from pipeline.web.views import _compare

    scope = Scope(_conn(db), user)
    return scope.generation(), _compare(scope, doc_id)


class ComputeProcess:
    """One worker process (spawned: the server has threads), restarted if it dies; it exits
    by itself when the server dies (SIGKILL included), like every process daihoi starts."""

    def __init__(self, db: Path) -> None:
        self.db = str(Path(db).resolve())
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=exit_with_parent, initargs=(os.getpid(),))
            return self._pool

    def run(self, fn: Any, *args: Any) -> Any:
        try:
            return self._executor().submit(fn, self.db, *args).result()
        except BrokenProcessPool:
            with self._lock:
                self._pool = None
            return self._executor().submit(fn, self.db, *args).result()

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
