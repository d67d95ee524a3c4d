"""Uploads analysed off the request thread.

A queue of upload ids feeds one thread per analysis slot. Each analysis runs in a worker
process, so the CPU-bound pipeline
never holds the server's interpreter lock and a reader crash kills a worker, not the app; the
thread then stores the report with the same writer as `daihoi run` (`Store.save`). The
analysis is `pipeline.analyze.analyze`, the function every batch runner calls per file.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import sqlite3
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipeline.contract import report_record
from pipeline.errors import DaihoiError
from pipeline.ingest.limits import Limits
from pipeline.store.database import Store, StoreError
from pipeline.store.web_tables import finish_upload, mark_running, pending_uploads, upload

log = logging.getLogger("daihoi.web")
Outcome = tuple[str, Any]  # ("ok", Report) | ("error", (code, params))


def _work(path: Path, limits: Limits, overrides: dict[str, Any]) -> Outcome:
    """One file through `pipeline.analyze.analyze`, in the worker process."""
    from pipeline import analyze

    try:
        return "ok", analyze(path, limits, overrides=overrides)
    except DaihoiError as exc:
        # Exceptions with custom constructors do not pickle back: send the parts.
        return "error", (exc.code, exc.params)
    except Exception as exc:  # noqa: BLE001 - a bug in one stage fails this file only
        return "error", ("analysis_failed", {"path": str(path),
                                             "detail": f"{type(exc).__name__}: {exc}"})


class AnalysisWorker:
    def __init__(self, db: Path, limits: Limits, slots: int = 1) -> None:
        self.db = db
        self.limits = limits
        self.slots = max(1, slots)
        self.queue: queue.Queue[int | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        # spawn: the server has threads running; a forked child could inherit a held lock.
        self._context = multiprocessing.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def start(self) -> None:
        with Store(self.db) as store:
            for upload_id in pending_uploads(store.conn):
                self.queue.put(upload_id)
        for i in range(self.slots):
            t = threading.Thread(target=self._run, name=f"daihoi-analysis-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def submit(self, upload_id: int) -> None:
        self.queue.put(upload_id)

    def stop(self) -> None:
        for _ in self._threads:
            self.queue.put(None)
        for t in self._threads:
            t.join(timeout=5)
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def idle(self) -> bool:
        return self.queue.unfinished_tasks == 0

    def _executor(self) -> ProcessPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.slots,
                                                 mp_context=self._context)
            return self._pool

    def _reset_pool(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _run(self) -> None:
        store = Store(self.db)
        try:
            while True:
                upload_id = self.queue.get()
                try:
                    if upload_id is None:
                        return
                    self._analyse(store, upload_id)
                except Exception:  # noqa: BLE001 - the worker must outlive any one file
                    log.exception("upload %s failed", upload_id)
                    try:
                        finish_upload(store.conn, upload_id, "error", None,
                                      ("analysis_failed", {"path": "", "detail": "internal"}))
                    except Exception:  # noqa: BLE001
                        log.exception("could not record the failure of upload %s", upload_id)
                finally:
                    self.queue.task_done()
        finally:
            store.close()

    @staticmethod
    def _save(store: Store, report: Any, tries: int = 5) -> None:
        """Store a report; a store locked by `daihoi run` (its timeout passed) is tried again."""
        for attempt in range(tries):
            try:
                store.save(report, report_record(report))
                return
            except sqlite3.OperationalError as exc:
                if attempt == tries - 1 or "locked" not in str(exc).lower():
                    raise
                time.sleep(2.0)

    def _analyse(self, store: Store, upload_id: int) -> None:
        row = upload(store.conn, upload_id)
        if row is None or row["status"] not in ("queued", "running"):
            return
        mark_running(store.conn, upload_id)
        path = Path(row["stored_path"])
        # The document belongs to the unit of whoever uploaded it (the README's contract).
        overrides = {"unit": row["unit"]}
        try:
            kind, value = self._executor().submit(_work, path, self.limits, overrides).result()
        except BrokenProcessPool:
            self._reset_pool()
            kind, value = "error", ("corrupt", {"path": row["filename"],
                                                "detail": "the reader crashed"})
        if kind == "ok":
            try:
                self._save(store, value)
            except (StoreError, sqlite3.Error) as exc:
                code = exc.code if isinstance(exc, StoreError) else "locked"
                finish_upload(store.conn, upload_id, "error", None,
                              ("store_" + code, {"detail": str(exc)}))
                return
            finish_upload(store.conn, upload_id, "done", value.document.source)
        else:
            code, params = value
            params = {**params, "path": row["filename"]}
            finish_upload(store.conn, upload_id, "error", None, (code, params))
