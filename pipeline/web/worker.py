"""Uploads analysed off the request thread.

A queue of upload ids feeds one thread per analysis slot. Each slot sends its files to its own
analysis process, the batch runner's `pipeline.engine.sandbox.Sandbox`: the CPU-bound pipeline
never holds the server's interpreter lock, a reader crash kills that process (the file's
`corrupt` error), not the app, and a file past the per-document time limit of `daihoi run`
(`pipeline.engine.work.default_timeout`, growing with the file's size) is killed and gets the
`timeout` error, so one pathological file cannot hold a slot forever. The process exits by
itself when the server dies (SIGKILL included). The thread then stores the report with the same
writer as `daihoi run` (`Store.save`).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from pipeline.contract import report_record
from pipeline.engine.sandbox import Sandbox
from pipeline.engine.work import default_timeout
from pipeline.ingest.limits import Limits
from pipeline.store.database import Store, StoreError
from pipeline.store.web_tables import finish_upload, mark_running, pending_uploads, upload

log = logging.getLogger("daihoi.web")


class AnalysisWorker:
    def __init__(self, db: Path, limits: Limits, slots: int = 1,
                 timeout: float | None = None) -> None:
        self.db = db
        self.limits = limits
        self.slots = max(1, slots)
        self.timeout = timeout  # None: `daihoi run`'s default, growing with the file's size
        self.queue: queue.Queue[int | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        # One analysis process per slot (started with subprocess, not fork: the server has
        # threads), so a time limit kills that slot's file only.
        self._sandboxes = [Sandbox(name=f"web-{i}") for i in range(self.slots)]
        self._stopping = threading.Event()

    def start(self) -> None:
        with Store(self.db) as store:
            for upload_id in pending_uploads(store.conn):
                self.queue.put(upload_id)
        self._stopping.clear()
        for i in range(self.slots):
            t = threading.Thread(target=self._run, args=(self._sandboxes[i],),
                                 name=f"daihoi-analysis-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def submit(self, upload_id: int) -> None:
        self.queue.put(upload_id)

    def stop(self) -> None:
        """End the slots and their analysis processes. A file being analysed stays `running`
        in the store and is analysed again at the next start."""
        self._stopping.set()
        for _ in self._threads:
            self.queue.put(None)
        for sandbox in self._sandboxes:
            sandbox.close()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()
        for sandbox in self._sandboxes:  # one a slot may have started while stopping
            sandbox.close()

    def idle(self) -> bool:
        return self.queue.unfinished_tasks == 0

    def _run(self, sandbox: Sandbox) -> None:
        store = Store(self.db)
        try:
            while True:
                upload_id = self.queue.get()
                try:
                    if upload_id is None or self._stopping.is_set():
                        return
                    self._analyse(store, sandbox, upload_id)
                except Exception:  # noqa: BLE001 - the worker must outlive any one file
                    if self._stopping.is_set():  # its process was killed by `stop`
                        return
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

    def _analyse(self, store: Store, sandbox: Sandbox, upload_id: int) -> None:
        row = upload(store.conn, upload_id)
        if row is None or row["status"] not in ("queued", "running"):
            return
        mark_running(store.conn, upload_id)
        path = Path(row["stored_path"])
        # The document belongs to the unit of whoever uploaded it (the README's contract).
        overrides = {"unit": row["unit"]}
        timeout = default_timeout(path, self.limits, self.timeout)
        outcome = sandbox.run(str(path), self.limits, overrides, timeout)
        if self._stopping.is_set():  # killed by `stop`: left `running`, redone at next start
            return
        if outcome.ok:
            try:
                self._save(store, outcome.report)
            except (StoreError, sqlite3.Error) as exc:
                code = exc.code if isinstance(exc, StoreError) else "locked"
                finish_upload(store.conn, upload_id, "error", None,
                              ("store_" + code, {"detail": str(exc)}))
                return
            assert outcome.report is not None
            finish_upload(store.conn, upload_id, "done", outcome.report.document.source)
        else:
            params = {**outcome.params, "path": row["filename"]}
            finish_upload(store.conn, upload_id, "error", None, (outcome.code, params))
