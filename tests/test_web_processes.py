"""The web app's processes end with the server (SIGKILL included, and on a normal shutdown),
and an upload past the per-document time limit of `daihoi run` gets the `timeout` error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.ingest.limits import Limits
from pipeline.store.database import Store
from pipeline.store.web_tables import add_upload, add_user, ensure_web_tables, upload
from pipeline.web.worker import AnalysisWorker

ROOT = Path(__file__).resolve().parents[1]
DAIHOI = [sys.executable, "-m", "pipeline.cli"]
# Our own words (no third-party text): a report header and one sentence with figures.
SENTENCE = ("Đảng bộ xã đã lãnh đạo thực hiện thắng lợi Nghị quyết Đại hội nhiệm kỳ "
            "2020 - 2025, kết nạp 12 đảng viên mới, đạt 120% chỉ tiêu.")


def _queued_store(tmp: Path, paragraphs: int) -> tuple[Path, int]:
    """A store with one account and one upload waiting to be analysed (the app analyses
    queued uploads when it starts)."""
    db = tmp / "daihoi.db"
    doc = tmp / "bao-cao.txt"
    doc.write_text("BÁO CÁO CHÍNH TRỊ\n\n" + "\n\n".join([SENTENCE] * paragraphs),
                   encoding="utf-8")
    with Store(db) as store:
        ensure_web_tables(store.conn)
        user = add_user(store.conn, "u1", "unit", "Đảng bộ xã Điện Hòa", "x")
        upload_id = add_upload(store.conn, sha256="0" * 64, filename=doc.name,
                               stored_path=str(doc), size=doc.stat().st_size,
                               unit="Đảng bộ xã Điện Hòa", user_id=user.id, status="queued")
    return db, upload_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, log: Path) -> subprocess.Popen[bytes]:
    # Output to a file, not a pipe: a child left alive would hold a pipe open and hang the test
    # instead of failing it.
    with log.open("wb") as out:
        return subprocess.Popen([*DAIHOI, "serve", "--db", str(db), "--port",
                                 str(_free_port())], stdout=out, stderr=out, cwd=ROOT)


def _children(pid: int, timeout: float = 60.0) -> list[psutil.Process]:
    """Every process under the server, once its analysis and dashboard processes run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = psutil.Process(pid).children(recursive=True)
            lines = [" ".join(p.cmdline()) for p in found]
        except psutil.Error:
            found, lines = [], []
        analysis = any("pipeline.engine.child" in line for line in lines)
        dashboard = any("multiprocessing" in line and "spawn_main" in line for line in lines)
        if analysis and dashboard:
            return found
        time.sleep(0.2)
    raise AssertionError("the server never started its analysis and dashboard processes")


def _gone(procs: list[psutil.Process], timeout: float) -> list[int]:
    """The ids of those still alive after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p.pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def _kill_all(procs: list[psutil.Process]) -> None:
    for p in procs:  # a failed test must not leave orphans behind either
        try:
            p.kill()
        except psutil.Error:
            pass


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_server_processes_end_with_the_server(tmp_path: Path, how: signal.Signals) -> None:
    db, _ = _queued_store(tmp_path, 5)
    log = tmp_path / "serve.log"
    server = _serve(db, log)
    try:
        children = _children(server.pid)
    except AssertionError:
        server.kill()
        server.wait(timeout=10)
        raise AssertionError(log.read_text(errors="replace")) from None
    try:
        os.kill(server.pid, how)
        server.wait(timeout=30)
        assert _gone(children, timeout=5) == []
    finally:
        _kill_all(children)


def test_an_upload_past_the_time_limit_gets_the_timeout_error(tmp_path: Path) -> None:
    db, upload_id = _queued_store(tmp_path, 3000)
    worker = AnalysisWorker(db, Limits(), timeout=0.5)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while not worker.idle():
            assert time.monotonic() < deadline, "the upload was never finished"
            time.sleep(0.1)
    finally:
        worker.stop()
    with Store(db) as store:
        row = upload(store.conn, upload_id)
    assert row is not None
    assert row["status"] == "error"
    assert row["error_code"] == "timeout", row


def test_serve_timeout_reaches_the_upload_worker(tmp_path: Path) -> None:
    """`daihoi serve --timeout S` is the per-upload time limit of the analysis worker."""
    from pipeline.cli import build_parser
    from pipeline.web.app import create_app

    argv = ["serve", "--db", str(tmp_path / "s.db"), "--timeout", "7.5"]
    args = build_parser("en").parse_args(argv)
    assert args.timeout == 7.5
    app = create_app(args.db, analysis_timeout=args.timeout, start_worker=False)
    assert app.state.web.worker.timeout == 7.5
    default = create_app(tmp_path / "d.db", start_worker=False)
    assert default.state.web.worker.timeout is None  # `daihoi run`'s size-based default
