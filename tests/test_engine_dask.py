"""The Dask path on a real LocalCluster with 2 worker processes: its Parquet output, loaded into
a store, gives exactly the records of a local run; loading twice changes nothing; a rerun skips
what is already in Parquet; an unreachable scheduler is an error before any work."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_fixtures import corpus_store, synthetic_files

from pipeline.batch import analyze_files
from pipeline.compare import Corpus
from pipeline.compare.copies import detect_copies
from pipeline.compare.copies_scale import copies_out_of_core
from pipeline.contract import report_record
from pipeline.engine.dask_executor import DaskExecutor, EngineError, batch_jobs
from pipeline.engine.parquet import partitions
from pipeline.engine.work import Job
from pipeline.ingest.limits import Limits
from pipeline.store.database import Store
from pipeline.store.parquet_load import load_parquet


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five synthetic reports with their metadata sidecars."""
    d = tmp_path_factory.mktemp("dask_in")
    for f in synthetic_files()[:5]:
        shutil.copy(f, d / f.name)
        sidecar = f.with_name(f.stem + ".meta.yaml")
        if sidecar.exists():
            shutil.copy(sidecar, d / sidecar.name)
    return d


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskExecutor]:
    """One LocalCluster of 2 worker processes for the module (start-up is the slow part)."""
    executor = DaskExecutor(2, batch_size=2)
    executor.connect()
    yield executor
    executor.close()


def _analysis_pids() -> int | None:
    """Run on a Dask worker: the process id of its (idle) analysis process."""
    from pipeline.engine import dask_tasks

    return next((b.pid for b in dask_tasks._idle), None)


def _writer_prepared() -> bool:
    """Run on a Dask worker: its Parquet writer was set up (pandas imported) and is done."""
    import sys

    from pipeline.engine import dask_tasks

    return (bool(dask_tasks._writer) and not any(t.is_alive() for t in dask_tasks._writer)
            and "pandas" in sys.modules)


def test_workers_set_their_parquet_writer_up_while_waiting_for_their_models(
    cluster: DaskExecutor,
) -> None:
    """Before any batch: the first Parquet file a process writes costs it 0.3 s of CPU
    (pandas imported), which would leave the analysis process idle at the end of the first
    batch; the workers do it while the models load."""
    cluster.wait_warm()
    assert list(cluster.client.run(_writer_prepared).values()) == [True, True]


def _records(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT source, record FROM documents"))
    finally:
        con.close()


def _table_counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return store.counts()


def test_dask_run_gives_the_local_records_and_loads_idempotently(
    folder: Path, tmp_path: Path, cluster: DaskExecutor,
) -> None:
    files = sorted(folder.glob("*.docx"))
    local_db, dask_db, parts = tmp_path / "local.db", tmp_path / "dask.db", tmp_path / "parts"
    run_db = tmp_path / "run.db"
    with Store(local_db) as store:
        for r in analyze_files(files, Limits(), engine="serial"):
            store.save(r.report, report_record(r.report))

    # As `daihoi run` does: each batch's Parquet file and each document's store rows made on
    # the workers, the rows written here as each batch arrives.
    cluster.parquet_dir = parts
    results = list(analyze_files(files, Limits(), engine="dask", parquet_dir=parts,
                                 ordered=False, executor=cluster, want="store"))
    assert sorted(r.source for r in results) == sorted(str(f) for f in files)
    assert all(r.error is None and r.prepared is not None for r in results)
    assert all(r.prepared.document_json is None for r in results)  # sent once, in the Parquet
    assert len(partitions(parts)) == 3  # one file per batch of 2
    with Store(run_db) as store:
        for r in results:
            r.save_to(store)
    assert _records(run_db) == _records(local_db)
    assert _table_counts(run_db) == _table_counts(local_db)
    # The workers' analysis processes are copies of one that loaded the models while the
    # cluster started (not one load per worker, after it).
    import psutil

    models = cluster._models.pid
    analysing = {w: p for w, p in cluster.client.run(_analysis_pids).items() if p}
    assert len(analysing) == 2
    assert all(psutil.Process(p).ppid() == models for p in analysing.values())

    with Store(dask_db) as store:
        first = load_parquet(parts, store)
    assert (first.loaded, first.unchanged, first.errors) == (5, 0, 0)
    assert _records(dask_db) == _records(local_db)
    assert _table_counts(dask_db) == _table_counts(local_db)

    before = _records(dask_db), _table_counts(dask_db)
    with Store(dask_db) as store:
        again = load_parquet(parts, store)
    assert (again.loaded, again.unchanged) == (0, 5)
    assert (_records(dask_db), _table_counts(dask_db)) == before

    # Copies out of core, chunked and on Dask, are the in-memory detector's rows.
    with Corpus(dask_db) as corpus:
        in_memory = detect_copies(corpus.paragraphs, corpus.documents)
        on_dask = copies_out_of_core(dask_db, corpus.documents, engine="dask",
                                     chunk_docs=2, buckets=3, client=cluster.client)
    assert on_dask.astype(str).equals(in_memory.astype(str))

    # A rerun finds every file already in Parquet: nothing analysed, no new partition.
    rerun = list(analyze_files(files, Limits(), engine="dask", parquet_dir=parts,
                               executor=cluster))
    assert all(r.unchanged for r in rerun)
    assert len(partitions(parts)) == 3


def _cold_again() -> str | None:
    """Run on a Dask worker: forget its analysis process, as if its models had not come yet,
    and wait for a copy of the client's models' process with a reader started meanwhile (as
    a LocalCluster of 2 workers starts): the socket address the copy is to connect to."""
    from pipeline.engine import dask_tasks

    for t in list(dask_tasks._warming):
        t.join()
    with dask_tasks._lock:
        boxes = list(dask_tasks._idle)
        dask_tasks._idle.clear()
        dask_tasks._warming.clear()
    for box in boxes:
        box.close()
    dask_tasks.read_while_warming.clear()
    # At its usual priority: a reader that only gets spare CPU could wait a long time on a
    # busy machine, and this test is about what it reads (its priority is tested apart).
    dask_tasks.READER_NICE = 0
    return dask_tasks.listen_for_fork(read=True)


def _read_so_far() -> list[str]:
    from pipeline.engine import dask_tasks

    return list(dask_tasks.read_while_warming)


def _run_while_the_models_load(
    cluster: DaskExecutor, files: list[Path], parts: Path, first_batches: int,
) -> tuple[list[Any], list[str]]:
    """A run whose workers get their models only once each has read its first batch's files
    (`first_batches` files in all): the results, and the files read while waiting."""
    cluster.wait_warm()
    addresses = [a for a in cluster.client.run(_cold_again).values() if a]
    assert len(addresses) == 2
    cluster.parquet_dir = parts
    results: list[Any] = []
    failed: list[BaseException] = []

    def consume() -> None:
        try:
            results.extend(analyze_files(files, Limits(), engine="dask", parquet_dir=parts,
                                         ordered=False, executor=cluster, want="store"))
        except BaseException as exc:  # noqa: BLE001 - raised in the test's thread below
            failed.append(exc)

    running = threading.Thread(target=consume, daemon=True)
    running.start()
    end = time.monotonic() + 120
    while time.monotonic() < end:
        read = [p for ps in cluster.client.run(_read_so_far).values() for p in ps]
        if len(read) >= first_batches:
            break
        time.sleep(0.1)
    for address in addresses:  # now the models come
        assert cluster._models.fork_to(address) is not None
    running.join(timeout=300)
    assert not failed, failed
    return results, read


def _local_records(files: list[Path], db: Path) -> list[tuple[str, str]]:
    with Store(db) as store:
        for r in analyze_files(files, Limits(), engine="serial"):
            if r.report is not None:
                store.save(r.report, report_record(r.report))
    return _records(db)


def test_files_read_while_the_models_load_give_the_local_records(
    folder: Path, tmp_path: Path, cluster: DaskExecutor,
) -> None:
    """Each worker of a LocalCluster of 2 reads its first batch's files in a reader process
    while the models load; those documents are then analysed from what was read: the same
    records as a local run (the Parquet rows included)."""
    files = sorted(folder.glob("*.docx"))
    assert cluster.batch_size == 2 and len(files) == 5  # batches of 2, 2, 1
    parts = tmp_path / "parts"
    results, read = _run_while_the_models_load(cluster, files, parts, first_batches=4)
    assert len(read) == 4 and set(read) <= {str(f) for f in files}
    assert all(r.error is None and r.prepared is not None for r in results)
    run_db, dask_db = tmp_path / "run.db", tmp_path / "dask.db"
    with Store(run_db) as store:
        for r in results:
            r.save_to(store)
    local = _local_records(files, tmp_path / "local.db")
    assert _records(run_db) == local
    with Store(dask_db) as store:
        assert load_parquet(parts, store).loaded == 5
    assert _records(dask_db) == local


def test_a_file_that_cannot_be_read_while_the_models_load_fails_alone(
    folder: Path, tmp_path: Path, cluster: DaskExecutor,
) -> None:
    """A broken file read by a worker's reader during warm-up is that file's error (the
    one a local run gives), the file read after it in the same batch is analysed as usual."""
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip archive")
    good = sorted(folder.glob("*.docx"))[:3]
    files = [broken, *good]  # batches [broken, good 1], [good 2, good 3]
    results, read = _run_while_the_models_load(cluster, files, tmp_path / "parts", 4)
    assert str(broken) in read
    by_source = {r.source: r for r in results}
    assert len(by_source) == 4
    local = {r.source: r for r in analyze_files([broken], Limits(), engine="serial")}
    assert by_source[str(broken)].error is not None
    assert by_source[str(broken)].error.code == local[str(broken)].error.code
    assert all(by_source[str(f)].error is None for f in good)
    run_db = tmp_path / "run.db"
    with Store(run_db) as store:
        for f in good:
            by_source[str(f)].save_to(store)
    assert _records(run_db) == _local_records(good, tmp_path / "local.db")


def _stop_the_reader() -> int:
    """Run on a Dask worker: freeze its reader (SIGSTOP), as a reader at the lowest priority
    that gets no CPU on a busy machine."""
    import os
    import signal

    from pipeline.engine import dask_tasks

    reader, starting = dask_tasks._reader[0]
    starting.join()
    assert reader.pid is not None
    os.kill(reader.pid, signal.SIGSTOP)
    return reader.pid


def _reading_now() -> int:
    from pipeline.engine import dask_tasks

    return len(dask_tasks._in_use)


def test_a_read_going_on_when_the_models_come_is_abandoned_not_waited_for(
    folder: Path, tmp_path: Path, cluster: DaskExecutor,
) -> None:
    """Each worker's reader is frozen in the middle of its first file when the models come:
    the file is analysed from its path at once (not after the reader's time limit, a minute
    or more), with the local records."""
    files = sorted(folder.glob("*.docx"))[:3]  # batches [2, 1]: one per worker
    cluster.wait_warm()
    addresses = [a for a in cluster.client.run(_cold_again).values() if a]
    cluster.client.run(_stop_the_reader)
    parts = tmp_path / "parts"
    cluster.parquet_dir = parts
    results: list[Any] = []

    def consume() -> None:
        results.extend(analyze_files(files, Limits(), engine="dask", parquet_dir=parts,
                                     ordered=False, executor=cluster, want="store"))

    running = threading.Thread(target=consume, daemon=True)
    running.start()
    end = time.monotonic() + 60
    while sum(cluster.client.run(_reading_now).values()) < 2 and time.monotonic() < end:
        time.sleep(0.1)
    assert sum(cluster.client.run(_reading_now).values()) == 2  # both stuck in a read
    start = time.monotonic()
    for address in addresses:
        assert cluster._models.fork_to(address) is not None
    running.join(timeout=300)
    assert time.monotonic() - start < 30  # the reader's time limit would be 60 s or more
    assert not any(cluster.client.run(_read_so_far).values())
    assert sorted(r.source for r in results) == [str(f) for f in files]
    assert all(r.error is None for r in results)
    run_db = tmp_path / "run.db"
    with Store(run_db) as store:
        for r in results:
            r.save_to(store)
    assert _records(run_db) == _local_records(files, tmp_path / "local.db")


def test_a_reader_runs_at_the_lowest_priority_and_leaves_its_worker_as_it_was() -> None:
    """A worker's reader is to use an idle core, never CPU the models' load needs."""
    import os

    from pipeline.engine import dask_tasks
    from pipeline.engine.sandbox import Sandbox

    before = os.getpriority(os.PRIO_PROCESS, 0)
    reader = Sandbox("reader", reader=True)
    starting = threading.Thread(target=dask_tasks._start_reader, args=(reader,))
    starting.start()
    starting.join()
    try:
        assert reader.pid is not None
        assert os.getpriority(os.PRIO_PROCESS, reader.pid) == dask_tasks.READER_NICE
        assert os.getpriority(os.PRIO_PROCESS, 0) == before
    finally:
        reader.close()


def test_batches_shrink_towards_the_end_so_no_worker_waits_long_for_the_last_one() -> None:
    jobs = [Job(i, f"f{i}.txt", 60.0) for i in range(120)]
    batches = batch_jobs(jobs, workers=2)
    assert [j for b in batches for j in b] == jobs  # every job once, in order
    sizes = [len(b) for b in batches]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 15 and sizes[-1] == 1
    assert max(len(b) for b in batch_jobs(jobs * 100, workers=2)) == 50
    assert [len(b) for b in batch_jobs(jobs, workers=2, size=50)] == [50, 50, 20]


def test_an_unreachable_scheduler_is_a_clear_error_before_any_work(
    folder: Path, tmp_path: Path,
) -> None:
    files = sorted(folder.glob("*.docx"))
    start = time.monotonic()
    with pytest.raises(EngineError) as caught:
        list(analyze_files(files, Limits(), engine="dask", scheduler="tcp://127.0.0.1:9",
                           parquet_dir=tmp_path / "p"))
    assert time.monotonic() - start < 30
    assert "tcp://127.0.0.1:9" in caught.value.message("en")
    assert "No file was analysed" in caught.value.message("en")
    assert not (tmp_path / "p").exists()


def test_copies_in_chunks_are_the_in_memory_copies_on_the_sample_corpus() -> None:
    db = corpus_store()
    with Corpus(db) as corpus:
        in_memory = detect_copies(corpus.paragraphs, corpus.documents)
        chunked = copies_out_of_core(db, corpus.documents, chunk_docs=7, buckets=5)
        on_processes = copies_out_of_core(db, corpus.documents, chunk_docs=5, buckets=3,
                                          engine="process", workers=2)
    assert len(in_memory) > 20  # the planted copies are there to be found
    assert chunked.astype(str).equals(in_memory.astype(str))
    assert on_processes.astype(str).equals(in_memory.astype(str))


def test_parquet_rows_carry_each_files_sha256_a_failed_one_included(
    folder: Path, tmp_path: Path, cluster: DaskExecutor,
) -> None:
    """The client no longer hashes the files: an analysed file's SHA-256 is the one its
    analysis took while reading it, a failed file's is taken on the worker."""
    from pipeline.engine.parquet import iter_rows
    from pipeline.ingest import file_sha256

    good = sorted(folder.glob("*.docx"))[0]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip archive")
    parts = tmp_path / "parts"
    cluster.parquet_dir = parts
    results = list(analyze_files([good, broken], Limits(), engine="dask", parquet_dir=parts,
                                 ordered=False, executor=cluster, want="store"))
    assert sorted(r.error is None for r in results) == [False, True]
    rows = {r["source"]: r for r in iter_rows(parts, ["source", "sha256", "status"])}
    assert rows[str(good)]["status"] == "ok" and rows[str(broken)]["status"] == "error"
    assert rows[str(good)]["sha256"] == file_sha256(good)
    assert rows[str(broken)]["sha256"] == file_sha256(broken)
