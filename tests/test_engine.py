"""Executors: the process pool gives the serial records; a store written from rows prepared in
the workers (`want="store"`, what `daihoi run` does) is the store of saving each report here; a
document past its time limit or one that kills its worker is that file's error while the batch
goes on; results stream in completion order; symbolic links out of the input folder are not
followed."""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_fixtures import synthetic_files

from conftest import SEEDS, STEMS, corpus_file
from pipeline.batch import analyze_files, discover
from pipeline.contract import report_record
from pipeline.engine.executors import ProcessExecutor
from pipeline.engine.work import Job
from pipeline.ingest.limits import Limits
from pipeline.store.database import Store

# Columns that hold the time of writing: the only ones two stores of the same files differ in.
_TIMES = {"analyzed_at", "at", "migrated_at", "created_at"}


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessExecutor]:
    executor = ProcessExecutor(2)
    yield executor
    executor.close()


@pytest.fixture(scope="module")
def long_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real report repeated to ~2 MB of text: tens of seconds of analysis."""
    seed = (SEEDS / "000_4435fb2a97849b7c.txt").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("long") / "dai.txt"
    path.write_text("\n\n".join([seed] * (2_000_000 // len(seed) + 1)), encoding="utf-8")
    return path


def _comparable(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "source"}


def test_the_process_pool_gives_exactly_the_serial_records(pool: ProcessExecutor) -> None:
    files = synthetic_files()[:4]
    serial = list(analyze_files(files, Limits(), engine="serial"))
    pooled = list(analyze_files(files, Limits(), executor=pool))
    assert [r.source for r in pooled] == [str(f) for f in files]  # ordered=True: input order
    assert all(r.report is not None for r in serial + pooled)
    for a, b in zip(serial, pooled, strict=True):
        assert report_record(a.report) == report_record(b.report)


def store_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a store (times left out), and its full-text index's own
    tables byte for byte."""
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'paragraphs_fts'"
            " AND name <> 'paragraphs_fts_config' ORDER BY name")]
        out = {}
        for name in names:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({name})")]
            kept = ", ".join(f'"{c}"' for c in columns if c not in _TIMES)
            rows = con.execute(f"SELECT {kept} FROM {name}").fetchall()  # noqa: S608
            if name == "store_info":  # key-value rows: the times are rows, not columns
                rows = [r for r in rows if r[0] not in _TIMES]
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def test_rows_prepared_in_the_workers_make_the_store_of_saving_each_report_here(
    pool: ProcessExecutor, tmp_path: Path,
) -> None:
    # A real report as DOCX and PDF (one document with two files: the merge path), two
    # synthetic ones, and a file that fails (an error row).
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    files = [corpus_file("docx", STEMS[1]), corpus_file("pdf", STEMS[1]),
             *synthetic_files()[:2], broken]
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    with Store(here) as store:
        for r in analyze_files(files, Limits(), engine="serial"):
            r.save_to(store)  # the report, or the error, saved in this process
    prepared = list(analyze_files(files, Limits(), executor=pool, want="store"))
    assert [r.report for r in prepared] == [None] * len(files)  # the reports never came here
    assert [r.prepared is not None for r in prepared] == [True] * 4 + [False]
    assert prepared[-1].error is not None
    with Store(there) as store:
        for r in prepared:
            r.save_to(store)
    assert store_rows(there) == store_rows(here)
    with Store(there) as store:
        assert store.counts()["documents"] == 3  # DOCX and PDF: one document, two files
        # The full-text index finds the same paragraphs.
        assert store.conn.execute(
            "SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'folded:dang'"
        ).fetchone()[0] > 0
    # What a run keeps per file: the counts of the report, not its content.
    serial = list(analyze_files(files[:1], Limits(), engine="serial"))[0].slim()
    slim = prepared[0].slim()
    assert slim.prepared is None and len(pickle.dumps(slim)) < 2_000
    doc, ref = slim.report.document, serial.report.document
    assert (len(doc.blocks), len(doc.tables), len(doc.footnotes), doc.pages, doc.format) == (
        len(ref.blocks), len(ref.tables), len(ref.footnotes), ref.pages, ref.format)


def test_a_document_past_its_time_limit_fails_alone_and_does_not_hold_back_the_others(
    pool: ProcessExecutor, long_text: Path,
) -> None:
    files = [long_text, *synthetic_files()[:3]]
    start = time.monotonic()
    results = list(analyze_files(files, Limits(), executor=pool, timeout=3.0, ordered=False))
    assert time.monotonic() - start < 60
    by_source = {r.source: r for r in results}
    assert by_source[str(long_text)].error is not None
    assert by_source[str(long_text)].error.code == "timeout"
    assert "3 s" in by_source[str(long_text)].error.message("en")
    assert all(by_source[str(f)].report is not None for f in files[1:])
    # Stored as each finishes: the three short reports come out before the stopped one.
    assert results[-1].source == str(long_text)


def test_a_worker_killed_mid_document_loses_only_that_document(long_text: Path) -> None:
    executor = ProcessExecutor(1)
    box = executor.sandboxes[0]
    small = synthetic_files()[0]
    jobs = [Job(0, str(long_text), 120.0), Job(1, str(small), 120.0)]

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 120
        while box.busy_with != str(long_text) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # the child is inside the long document
        pid = box.pid
        if pid is not None:
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    try:
        outcomes = {job.index: o for job, o in executor.run(jobs, Limits(), None)}
    finally:
        killer.join()
        executor.close()
    assert outcomes[0].code == "corrupt"
    assert "SIGKILL" in outcomes[0].params["detail"]
    assert outcomes[1].ok and outcomes[1].report is not None


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bao_cao.txt").write_text("Báo cáo chính trị của Đảng bộ xã.", encoding="utf-8")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "ban_sao.txt").symlink_to(folder / "bao_cao.txt")  # inside: fine
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("bí mật", encoding="utf-8")
    (folder / "thu_muc").symlink_to(outside, target_is_directory=True)
    skipped: list[tuple[Path, str]] = []
    found = discover(folder, skipped=skipped)
    assert sorted(p.name for p in found) == ["ban_sao.txt", "bao_cao.txt"]
    assert {(p.name, t) for p, t in skipped} == {("passwd.txt", "/etc/passwd"),
                                                 ("thu_muc", str(outside))}
    followed = discover(folder, follow_symlinks=True)
    assert sorted(p.name for p in followed) == ["ban_sao.txt", "bao_cao.txt", "passwd.txt",
                                                "x.txt"]


def test_the_second_worker_is_forked_from_the_first_and_files_read_meanwhile_give_the_same_store(
    tmp_path: Path,
) -> None:
    # A cold pool of 2: the first process loads the models while a reader reads the first
    # files; the second process is then a copy of the first. Records are those of the serial
    # run, a file the reader could not read included.
    import psutil

    from pipeline.batch import _to_result

    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    files = [broken, corpus_file("pdf", STEMS[1]), corpus_file("docx", STEMS[1]),
             *synthetic_files()[:3]]
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    with Store(here) as store:
        for r in analyze_files(files, Limits(), engine="serial"):
            r.save_to(store)
    executor = ProcessExecutor(2)
    try:
        jobs = [Job(i, str(f), 120.0, "store") for i, f in enumerate(files)]
        pairs = list(executor.run(jobs, Limits(), None))
        first, second = executor.sandboxes
        assert first.pid is not None and second.pid is not None
        assert psutil.Process(second.pid).ppid() == first.pid  # forked, models and all
    finally:
        executor.close()
    assert sorted(j.index for j, _ in pairs) == list(range(len(files)))
    assert any(j.document is not None for j, _ in pairs)  # read while the models loaded
    assert executor._readers == {}  # each reader ended when its worker's process was ready
    with Store(there) as store:
        for job, outcome in sorted(pairs, key=lambda p: p[0].index):
            _to_result(job.path, outcome, "vi").save_to(store)
    assert store_rows(there) == store_rows(here)


def test_a_forked_worker_past_its_time_limit_is_killed_and_replaced(long_text: Path) -> None:
    import psutil

    from pipeline.engine.sandbox import Sandbox

    small = str(synthetic_files()[0])
    first, second = Sandbox("a"), Sandbox("b")
    try:
        first.start()
        assert second.fork_from(first)
        forked = psutil.Process(second.pid)
        assert forked.ppid() == first.pid
        outcome = second.run(str(long_text), Limits(), None, 2.0, "store")
        assert outcome.code == "timeout"
        assert second.proc is None
        forked.wait(timeout=10)  # killed, and reaped by the process it was forked from
        assert second.run(small, Limits(), None, 120.0, "store").ok  # a new process
        assert first.run(small, Limits(), None, 120.0, "store").ok  # the first one goes on
    finally:
        first.close()
        second.close()


def test_a_reader_that_cannot_start_costs_nothing_but_its_help(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A reader whose address space is too small to start Python: the files it would have read
    # are analysed as usual, none fails.
    from pipeline.engine import executors
    from pipeline.engine.sandbox import Sandbox

    class Cramped(Sandbox):
        def __init__(self, name: str = "", memory_mb: int | None = None,
                     reader: bool = False) -> None:
            super().__init__(name, 8 if reader else memory_mb, reader)

    monkeypatch.setattr(executors, "Sandbox", Cramped)
    executor = executors.ProcessExecutor(2)
    files = synthetic_files()[:3]
    try:
        pairs = list(executor.run([Job(i, str(f), 120.0) for i, f in enumerate(files)],
                                  Limits(), None))
    finally:
        executor.close()
    assert sorted(j.index for j, _ in pairs) == [0, 1, 2]
    assert all(o.ok and o.report is not None for _, o in pairs)
    assert all(j.document is None for j, _ in pairs)
