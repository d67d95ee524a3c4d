"""Scale: end-to-end throughput of each executor on 1 and 2 workers, peak memory per worker,
store and Parquet size per 1,000 pages, and copy detection at 1k / 10k / 100k documents.

Run: ``python benchmarks/bench_scale.py [--docs 40] [--repeats 2] [--copies 1000,10000,100000]``.
Writes benchmarks/results/scale.md (executors) and scale_copies.md (copy detection).

The corpus is made by corpus/make_large.py (real text: synthetic reports and the news
articles of ../shared/devdata/news/, DOCX and text PDFs of ~20 pages) into a temporary folder.
Each executor analyses all of it and the results are stored (the store for serial and process,
Parquet then `load` for Dask), timed from the call to the last stored document, worker start-up
included. Peak memory per worker is the highest resident set of any analysis process (and of
any Dask worker process), sampled every 0.2 s. Copy detection runs on text-only documents
(`make_large.text_documents`, 2 pages each), each size in a fresh process, so its peak memory
is its own; the growth exponent is the slope of log(time) against log(documents).

The speed-up from 1 to 2 workers is a ratio of two rows timed at different moments, and this
host's speed drifts (an analysis process's own CPU time per report moved from 223 to 311 ms
within one run of session 4): the rows are interleaved (`--repeats`, 1 and 2 workers next to
each other, the order flipped every repeat), each is bracketed by timings of a fixed CPU loop
(benchmarks/cpu_loop.py; 2 copies at once for a 2-worker row), and the speed-up is given raw
and normalised by the loop (docs/s ÷ loop rate), median over the repeats.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from results import ROOT, write_section  # noqa: E402

MB = 1024 * 1024


def _status_kb(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` figure in kB (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MB: each shared page
    (a memory-mapped array read by several processes, the interpreter's own) counted once in
    all, split between its sharers — the memory the tree really takes from the machine, where
    adding each process's RSS counts shared pages once per process."""
    try:
        me = psutil.Process(pid)
        pids = [pid, *(p.pid for p in me.children(recursive=True))]
    except psutil.Error:
        return 0.0
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


class _Sampler:
    """Calls `sample()` every `interval` seconds in a daemon thread while the `with` block
    runs (first call at once when `at_start`)."""

    def __init__(self, interval: float, at_start: bool) -> None:
        self.interval = interval
        self._at_start = at_start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        if self._at_start:
            self.sample()
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        raise NotImplementedError


class PeakSampler(_Sampler):
    """Peak resident memory of the analysis processes (and Dask worker processes) under this
    process, from the kernel's own high-water mark (VmHWM): exact however rarely it is read,
    so reading once a second costs this process (whose CPU per document is measured) next to
    nothing. `sample()` once more before the workers stop."""

    def __init__(self) -> None:
        super().__init__(1.0, at_start=False)
        self.peak_child = 0
        self.peak_worker = 0
        self._kind: dict[int, str] = {}  # pid -> "child" / "worker" / "" (read once per pid)

    def sample(self) -> None:
        try:
            kids = psutil.Process().children(recursive=True)
        except psutil.Error:
            return
        for p in kids:
            kind = self._kind.get(p.pid)
            if kind is None:
                try:
                    cmd = " ".join(p.cmdline())
                except psutil.Error:
                    continue
                kind = self._kind[p.pid] = (
                    "child" if "pipeline.engine.child" in cmd else
                    "worker" if "multiprocessing" in cmd or "distributed" in cmd else "")
            if kind:
                peak = _status_kb(p.pid, "VmHWM") * 1024
                if kind == "child":
                    self.peak_child = max(self.peak_child, peak)
                else:
                    self.peak_worker = max(self.peak_worker, peak)


class TreePssSampler(_Sampler):
    """Peak PSS of this process and its descendants together (`tree_pss_mb`), sampled every
    `interval` seconds in a thread: copy detection's workers share memory-mapped arrays, so
    the sum of their peak RSS overstates what the run takes."""

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(interval, at_start=True)
        self.peak_mb = 0.0
        self.samples = 0
        self._pid = os.getpid()

    def sample(self) -> None:
        self.peak_mb = max(self.peak_mb, tree_pss_mb(self._pid))
        self.samples += 1


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _pages(r: object) -> int:
    """Pages of a stored result (a DOCX has none: one per 1,800 characters)."""
    p = r.prepared  # type: ignore[attr-defined]
    if p is not None:
        return p.pages or max(1, len(p.text) // 1800)
    doc = r.report.document  # type: ignore[attr-defined]
    return doc.pages or max(1, len(doc.text) // 1800)


def warm_file_cache(files: list[Path], engines: list[str] | None = None) -> None:
    """Untimed: read the reports once and start (then stop) one analysis process, so the
    operating system's file cache holds the reports, the interpreter's and the libraries'
    files before the first timed row: otherwise only that row (1 worker, cold) would pay for
    reading them from disk, which would flatter the speed-up of the rows after it. Likewise
    this process imports now what the rows import (Dask's client: ~0.5 s), which only the
    first row of each engine would otherwise pay — the 1-worker row in the first repeat, the
    2-worker row in the second."""
    import pipeline.batch  # noqa: F401
    import pipeline.engine.executors  # noqa: F401
    import pipeline.store.database  # noqa: F401
    import pipeline.store.parquet_load  # noqa: F401
    from pipeline.engine.sandbox import Sandbox

    if "dask" in (engines or []):
        import distributed  # noqa: F401

        import pipeline.engine.dask_executor  # noqa: F401

    for f in files:
        f.read_bytes()
    box = Sandbox("cache")
    try:
        box.start()
    finally:
        box.close()


def run_executor(engine: str, workers: int, files: list[Path], work: Path,
                 warm: bool = False, flow: str = "store", process_start: str = "fork",
                 time_load: bool = True, at_clock: Callable[[], None] | None = None,
                 at_stop: Callable[[], None] | None = None) -> dict:
    """One run of `files` through `engine` on `workers`, each result stored as it arrives
    (as `daihoi run` does; the Dask executor also writes its Parquet files). `warm`: the
    workers are started (models loaded) before the clock starts, and their start-up is
    reported apart. `flow`: "store" (`daihoi run` today: the workers prepare each document's
    store rows, this process only writes them) or "report" (the flow before: the whole report
    sent here, its record, identity and rows made here, then written). `process_start`
    (process pool): "fork" (`daihoi run`: the first analysis process loads the models, the
    others are forked from it, files are read meanwhile) or "separate" (each process loads
    its own models, nothing read before: how the pool started before, to compare).
    `time_load`: also time `daihoi load` of a Dask run's Parquet into a new store.
    `at_clock`: called right before the clock starts (after a warm run's start-up);
    `at_stop`: right after it stops (the workers idle, not yet closed)."""
    from pipeline.batch import analyze_files
    from pipeline.engine.executors import ProcessExecutor, make_executor
    from pipeline.ingest.limits import Limits
    from pipeline.store.database import Store
    from pipeline.store.parquet_load import load_parquet

    tag = f"{engine}{workers}{'w' if warm else ''}{flow}{process_start}"
    db, parquet = work / f"{tag}.db", work / f"{tag}.parquet"
    for p in (db, parquet, work / f"{tag}-load.db"):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    pages = errors = 0
    startup = analysis_cpu = 0.0
    # The executor is made here in both modes (a cold run does not wait for its start-up, as
    # `analyze_files` would make it), so its processes' peak memory can be read before it
    # closes.
    executor = (ProcessExecutor(workers, fork=process_start == "fork") if engine == "process"
                else make_executor(engine, workers))
    first = 0.0  # seconds to the first stored document
    if engine == "dask":
        executor.parquet_dir = parquet  # type: ignore[attr-defined]
    with PeakSampler() as sampler, Store(db) as store:
        try:
            if warm:
                t = time.perf_counter()
                getattr(executor, "warm", lambda: None)()
                getattr(executor, "wait_warm", lambda: None)()
                startup = time.perf_counter() - t
            if at_clock is not None:
                at_clock()
            start = time.perf_counter()
            cpu = _cpu_self()
            # Exactly what `daihoi run` does (flow "store"): the workers prepare each
            # document's rows, this process writes them as each document finishes.
            stream = analyze_files(files, Limits(), jobs=workers, engine=engine, ordered=False,
                                   parquet_dir=parquet if engine == "dask" else None,
                                   executor=executor, want=flow)
            for r in stream:
                r.save_to(store)
                first = first or time.perf_counter() - start
                analysis_cpu += r.cpu
                if r.error is not None:
                    errors += 1
                    continue
                pages += _pages(r)
            seconds = time.perf_counter() - start
            parent_cpu = _cpu_self() - cpu
            sampler.sample()
            if at_stop is not None:
                at_stop()
        finally:
            executor.close()
    load_seconds = 0.0
    if engine == "dask" and time_load:  # `daihoi load` of its Parquet, timed apart
        t = time.perf_counter()
        with Store(work / f"{tag}-load.db") as other:
            load_parquet(parquet, other)
        load_seconds = time.perf_counter() - t
    parquet_bytes = sum(p.stat().st_size for p in parquet.glob("*.parquet")) if parquet.is_dir() \
        else 0
    return {"engine": engine, "workers": workers, "warm": warm, "flow": flow, "seconds": seconds,
            "startup_s": startup, "docs": len(files), "pages": pages, "errors": errors,
            "docs_s": len(files) / seconds, "pages_s": pages / seconds,
            "peak_child_mb": sampler.peak_child / MB, "peak_worker_mb": sampler.peak_worker / MB,
            "db_bytes": db.stat().st_size, "parquet_bytes": parquet_bytes,
            "load_s": load_seconds, "parent_cpu_s": parent_cpu,
            "parent_ms_doc": parent_cpu / len(files) * 1000,
            "analysis_ms_doc": analysis_cpu / len(files) * 1000, "load": os.getloadavg()[0],
            "first_s": first, "process_start": process_start if engine == "process" else ""}


def plan_rows(engines: list[str], flows: str, process_starts: str,
              repeats: int) -> list[dict]:
    """The rows to measure, in order: each repeat runs every engine, mode and worker count
    once, the 1-worker and 2-worker rows of one engine and mode next to each other (their
    ratio is the speed-up), in the order 1, 2 on even repeats and 2, 1 on odd ones, so a host
    that speeds up or slows down steadily during the run favours neither side."""
    rows = []
    for repeat in range(repeats):
        for engine in engines:
            for warm, flow in [(w, f) for f in flows.split(",") if f
                               for w in ((False, True) if engine != "serial" else (False,))]:
                # One worker starts the same way in every mode (nothing to fork): once.
                starts = [("fork", 1)] + [(m, 2) for m in process_starts.split(",") if m]
                pair = ([("fork", 1)] if engine == "serial" else
                        starts if engine == "process" else [("fork", 1), ("fork", 2)])
                if repeat % 2:
                    pair = pair[::-1]
                rows += [{"engine": engine, "workers": workers, "warm": warm, "flow": flow,
                          "process_start": start, "repeat": repeat,
                          # `daihoi load` of the Parquet is timed once, not every repeat.
                          "time_load": repeat == 0}
                         for start, workers in pair]
    return rows


def _lingering(p: psutil.Process) -> bool:
    """A process of the row before still running (multiprocessing's resource tracker,
    which Dask leaves for the life of this process, does not count)."""
    try:
        return p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(
            p.cmdline())
    except psutil.Error:
        return False


def _settle(limit: float = 5.0) -> float:
    """Wait (at most `limit` seconds) until the processes of the row before are gone — the
    analysis processes and Dask workers exit a moment after their executor closes — so the
    loop is not timed beside them. The seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if not any(_lingering(p) for p in psutil.Process().children(recursive=True)):
            break
        time.sleep(0.05)
    return time.perf_counter() - start


def measured_row(files: list[Path], work: Path, engine: str, workers: int, warm: bool,
                 flow: str, process_start: str, repeat: int, time_load: bool) -> dict:
    """`run_executor` between two timings of the fixed CPU loop (`cpu_loop`), run by as
    many processes at once as the row has workers: the machine's speed for this row, by which
    its documents per second are normalised (`norm_docs_s`)."""
    import cpu_loop

    copies = max(1, workers)
    _settle()
    loops: list[dict] = []

    # As close to the clock as can be: a warm row's loop after its workers' start-up (they
    # idle meanwhile), every row's second loop as soon as its last document is stored
    # (before its workers close and, for Dask, its Parquet is loaded).
    def measure() -> None:
        loops.append(cpu_loop.loop_rate(copies))

    if not warm:
        measure()
    r = run_executor(engine, workers, files, work, warm=warm, flow=flow,
                     process_start=process_start, time_load=time_load,
                     at_clock=measure if warm else None, at_stop=measure)
    r["settle_s"] = _settle()
    speed = cpu_loop.around(loops[0], loops[1])
    r.update(repeat=repeat, loop_copies=copies, loop_rate=speed["rate"],
             loop_before=speed["before"], loop_after=speed["after"],
             loop_cpu_rate=speed["cpu_rate"],
             norm_docs_s=cpu_loop.normalise(r["docs_s"], speed["rate"]))
    return r


def _text_chunk(span: tuple[int, int]) -> list[tuple[int, list[str]]]:
    from make_large import text_document

    return [(d, text_document(d, 2)) for d in range(*span)]


def text_store(n: int) -> Path:
    """A store (the real schema, pipeline/store/schema.py) holding n text-only documents of
    2 pages (make_large.text_document), made once and kept in the temporary folder: the
    copy detectors then read real store rows, and making the corpus is not timed."""
    import multiprocessing
    import sqlite3

    from pipeline.store.database import Store

    path = Path(tempfile.gettempdir()) / f"daihoi_copies_{n}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    Store(partial).close()  # creates the schema
    con = sqlite3.connect(partial)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    spans = [(i, min(n, i + 500)) for i in range(0, n, 500)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for part in pool.imap(_text_chunk, spans):
            con.executemany(
                "INSERT INTO documents (id, source, sha256, format, size, text, n_blocks, "
                "n_tables, n_footnotes, properties, record, analyzed_at, daihoi_version, unit, "
                "term) VALUES (?, ?, ?, 'txt', 0, '', ?, 0, 0, '{}', '{}', '', '', ?, "
                "'2020-2025')",
                [(d + 1, f"d{d}.txt", f"{d:064x}", len(paras), f"Chi bộ {d}")
                 for d, paras in part])
            con.executemany(
                "INSERT INTO blocks (doc_id, idx, kind, text, start, \"end\", bold) "
                "VALUES (?, ?, 'paragraph', ?, 0, 0, 0)",
                [(d + 1, k, t) for d, paras in part for k, t in enumerate(paras)])
            con.commit()
    con.close()
    partial.rename(path)
    return path


def copies_once(n: int, mode: str) -> dict:
    """Copy detection on the store of n text-only documents (run in its own process by the
    parent): `memory` = the in-memory detector on all paragraphs; `chunks` = out of core."""
    import sqlite3

    import pandas as pd

    from pipeline.compare.copies import detect_copies
    from pipeline.compare.copies_scale import copies_out_of_core

    db = text_store(n)
    docs = pd.DataFrame({"doc_id": range(1, n + 1), "source": [f"d{i}.txt" for i in range(n)],
                         "unit": [f"Chi bộ {i}" for i in range(n)], "term": "2020-2025"})
    start = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    cpu = me.ru_utime + me.ru_stime
    # The whole tree's memory (this process and its worker processes), sampled: the
    # workers share memory-mapped arrays, which each one's RSS counts in full.
    pss = TreePssSampler(interval=1.0)
    pss.__enter__()
    if mode == "memory":
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        paragraphs = pd.read_sql_query(
            "SELECT id AS paragraph_id, doc_id, idx, is_heading, text FROM paragraphs "
            "ORDER BY doc_id, idx", con)
        con.close()
        found = detect_copies(paragraphs, docs)
    elif mode == "chunks":
        found = copies_out_of_core(db, docs)
    else:  # "chunks-2": the same tasks on 2 worker processes
        found = copies_out_of_core(db, docs, engine="process", workers=2)
    seconds = time.perf_counter() - start
    pss.__exit__()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"docs": n, "mode": mode, "seconds": seconds, "pairs": len(found),
            "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
            - cpu, "peak_mb": me.ru_maxrss * 1024 / MB,
            "peak_worker_mb": kids.ru_maxrss * 1024 / MB, "load": os.getloadavg()[0],
            "peak_tree_pss_mb": pss.peak_mb, "pss_samples": pss.samples}


def copies_in_subprocess(n: int, mode: str, limit_s: float) -> dict:
    try:
        # Never more than 6 GB of address space (a shared machine); the store of n text
        # documents is made first, outside the timing.
        text_store(n)
        proc = subprocess.run(["prlimit", f"--as={6 * 1024 ** 3}", sys.executable, __file__,
                               "--copies-once", str(n), mode],
                              capture_output=True, text=True, timeout=limit_s, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"docs": n, "mode": mode, "failed": f"not finished in {limit_s / 60:.0f} min"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"docs": n, "mode": mode, "failed": f"exit {proc.returncode}: {tail[:120]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _key(r: dict) -> tuple:
    """What a row's speed-up is taken against: the 1-worker row of its engine, mode, flow
    and repeat."""
    return r["engine"], r.get("warm", False), r.get("flow", "store"), r.get("repeat", 0)


def speedups(runs: list[dict]) -> list[dict]:
    """Per engine, mode, flow and start of the pool: the speed-up from 1 to 2 workers of
    each repeat, raw (docs/s over docs/s) and normalised by the loop (÷ loop over ÷ loop),
    with their medians: the target (≥ 1.8×) is judged on the normalised median."""
    ones = {_key(r): r for r in runs if r["workers"] == 1}
    groups: dict[tuple, dict] = {}
    for r in runs:
        one = ones.get(_key(r))
        if r["workers"] != 2 or one is None:
            continue
        name = (r["engine"], r.get("warm", False), r.get("flow", "store"),
                r.get("process_start", ""))
        g = groups.setdefault(name, {"engine": r["engine"], "warm": r.get("warm", False),
                                     "flow": r.get("flow", "store"),
                                     "process_start": r.get("process_start", ""),
                                     "raw": [], "norm": [], "loops": [], "by_cpu": []})
        g["raw"].append(r["docs_s"] / one["docs_s"])
        if r.get("norm_docs_s") and one.get("norm_docs_s"):
            g["norm"].append(r["norm_docs_s"] / one["norm_docs_s"])
            g["loops"].append(r["loop_rate"] / one["loop_rate"])
        if r.get("analysis_ms_doc") and one.get("analysis_ms_doc"):
            # The other check on the host's speed: the analysis processes' own CPU time per
            # report over the whole row (blind to time taken by other processes).
            g["by_cpu"].append(r["docs_s"] * r["analysis_ms_doc"]
                               / (one["docs_s"] * one["analysis_ms_doc"]))
    for g in groups.values():
        g["raw_median"] = statistics.median(g["raw"])
        g["norm_median"] = statistics.median(g["norm"]) if g["norm"] else None
        g["by_cpu_median"] = statistics.median(g["by_cpu"]) if g["by_cpu"] else None
    return list(groups.values())


def speedup_table(runs: list[dict], target: float = 1.8) -> list[str]:
    lines = ["**Speed-up from 1 to 2 workers** (the target, ≥ 1.8×, is judged on the median "
             "÷ loop: the raw ratio of two rows timed a minute apart also carries the host's "
             "drift between them, which the loop measures). `loop, 2 rows ÷ 1`: the rate of each "
             "of the 2 copies of the loop around the 2-worker row over the single loop's around "
             "the 1-worker row: 1.00 when the host kept its speed and both cores were free, "
             "below 1 when a core was busy or the host slowed down meanwhile (then ÷ loop "
             "discounts it), above 1 when the host sped up. `× analysis CPU`: a cross-check, "
             "docs/s × the analysis processes' own CPU ms per report, over the same for 1 "
             "worker: the host's speed over the whole row on the real work, but blind to CPU "
             "taken by other processes (it cannot see a busy core):", "",
             "| executor | mode | raw, per repeat | raw median | loop, 2 rows ÷ 1 | "
             "÷ loop, per repeat | ÷ loop median | ≥ 1.8× | × analysis CPU, per repeat "
             "(median) |",
             "|---|---|---|---|---|---|---|---|---|"]
    singles = [x for r in runs if r.get("loop_copies") == 1
               for x in (r["loop_before"], r["loop_after"])]
    cpu_rates = [r["loop_cpu_rate"] for r in runs if r.get("loop_cpu_rate")]
    analysis = [r["analysis_ms_doc"] for r in runs if r.get("analysis_ms_doc")]
    drift = []
    if singles and cpu_rates:
        drift.append(f"the single loop's rate ranged {min(singles):.1f}–{max(singles):.1f} M/s "
                     f"(per CPU second {min(cpu_rates):.1f}–{max(cpu_rates):.1f})")
    if analysis:
        drift.append(f"an analysis process's own CPU per report {min(analysis):.0f}–"
                     f"{max(analysis):.0f} ms")
    if drift:
        lines[0:0] = [f"The host's speed during this run: {' and '.join(drift)}.", ""]
    for g in speedups(runs):
        name = g["engine"] if g["flow"] == "store" else f"{g['engine']} (report flow)"
        if g["process_start"] == "separate":
            name += " (separate start)"
        each = ", ".join(f"{x:.2f}×" for x in g["raw"])
        norm = ", ".join(f"{x:.2f}×" for x in g["norm"]) or "–"
        loops = ", ".join(f"{x:.2f}" for x in g["loops"]) or "–"
        med = g["norm_median"]
        by_cpu = (", ".join(f"{x:.2f}×" for x in g["by_cpu"]) + f" ({g['by_cpu_median']:.2f}×)"
                  if g["by_cpu"] else "–")
        lines.append(f"| {name} | {'warm' if g['warm'] else 'cold'} | {each} | "
                     f"{g['raw_median']:.2f}× | {loops} | {norm} | "
                     f"{f'**{med:.2f}×**' if med else '–'} | "
                     f"{'–' if med is None else 'yes' if med >= target else 'no'} | {by_cpu} |")
    return lines


def markdown(runs: list[dict], copies: list[dict], n_docs: int, load: str) -> str:
    lines = ["## Scale: executors and copy detection", "",
             f"{n_docs} generated reports (corpus/make_large.py: DOCX and text PDFs of ~20 "
             "pages, real text), analysed and stored as each finishes (as `daihoi run` does; "
             "the Dask runs also write their Parquet). `cold`: timed from the call, the "
             "workers' start-up (loading the models) included; `warm`: the workers started "
             "first (their start-up in its own column), the throughput a long run sees. "
             "Both start new worker processes for each row. A process pool of 2 starts the "
             "way `daihoi run` does: the models load in the first analysis process while a "
             "reader process reads the first files, then the second is forked from the first "
             "(`separate start`: each loads its own, as before, when asked for). `first "
             f"stored s`: seconds to the first stored document. Machine load while measuring: "
             f"{load}.", "",
             "`parent CPU`: CPU seconds of the process that writes the store (and, for Dask, "
             "runs the scheduler) per document, user + system: what it takes from the "
             "workers' cores, a figure that does not depend on the machine's load; "
             "`analysis CPU`: CPU seconds of an analysis process per document (its own "
             "clock). Together they bound the speed-up 2 workers can give on 2 cores when "
             "nothing else runs: 2·A / (A + P) (Amdahl; `bound`). Peak RSS: the kernel's "
             "high-water mark (VmHWM) of each process.", "",
             "`loop`: the rate of a fixed pure-Python CPU loop (benchmarks/cpu_loop.py, "
             "millions of iterations per wall second) timed right before and right after the "
             "row by as many processes at once as the row has workers (the mean of the two), "
             "the machine's speed for that row; `÷ loop`: docs/s divided by it. The rows run "
             "interleaved (1 worker, 2 workers, then 2, 1 on the next repeat, …), each "
             "speed-up against the other row of its own repeat.", "",
             "| executor | workers | mode | repeat | seconds | docs/s | pages/s | "
             "speed-up vs 1 worker | loop (M/s) | ÷ loop | speed-up ÷ loop | "
             "first stored s | start-up s | parent CPU ms/doc | analysis CPU ms/doc | bound | "
             "peak RSS per analysis process | peak RSS per Dask worker | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    base = {_key(r): r for r in runs if r["workers"] == 1}
    for r in runs:
        warm = r.get("warm", False)
        flow = r.get("flow", "store")
        one = base.get(_key(r), r)
        speed = one["seconds"] / r["seconds"]
        norm = (f"{r['norm_docs_s'] / one['norm_docs_s']:.2f}×"
                if r.get("norm_docs_s") and one.get("norm_docs_s") else "–")
        loop = (f"{r['loop_rate']:.2f} ({r['loop_before']:.2f}–{r['loop_after']:.2f}, "
                f"{r['loop_copies']}×)" if r.get("loop_rate") else "–")
        per_loop = f"{r['norm_docs_s']:.3f}" if r.get("norm_docs_s") else "–"
        worker = f"{r['peak_worker_mb']:.0f} MB" if r["engine"] == "dask" else "–"
        startup = f"{r['startup_s']:.1f}" if warm else "–"
        parent = f"{r['parent_ms_doc']:.1f}" if "parent_ms_doc" in r else "–"
        a, p = r.get("analysis_ms_doc", 0.0), r.get("parent_ms_doc", 0.0)
        analysis = f"{a:.0f}" if a else "–"
        bound = f"{2 * a / (a + p):.2f}×" if a and r["workers"] == 2 else "–"
        name = r["engine"] if flow == "store" else f"{r['engine']} (report flow)"
        if r.get("process_start") == "separate" and r["workers"] > 1:
            name += " (separate start)"
        first = f"{r['first_s']:.1f}" if r.get("first_s") else "–"
        lines.append(f"| {name} | {r['workers']} | {'warm' if warm else 'cold'} | "
                     f"{r.get('repeat', 0) + 1} | "
                     f"{r['seconds']:.1f} | {r['docs_s']:.2f} | {r['pages_s']:.1f} | "
                     f"{speed:.2f}× | {loop} | {per_loop} | {norm} | "
                     f"{first} | {startup} | {parent} | {analysis} | {bound} | "
                     f"{r['peak_child_mb']:.0f} MB | {worker} | {r.get('load', 0):.1f} |")
    lines += ["", *speedup_table(runs)]
    loads = [r for r in runs if r.get("load_s")]
    if loads:
        r = loads[0]
        lines += ["", f"`daihoi load` of a Dask run's Parquet ({r['docs']} documents) into a "
                  f"new store: {r['load_s']:.1f} s ({r['docs'] / r['load_s']:.1f} docs/s)."]
    best = max(runs, key=lambda r: r["docs_s"])
    lines += ["", f"10,000 documents at the best measured rate ({best['engine']}, "
              f"{best['workers']} workers, {best['docs_s']:.2f} docs/s): "
              f"**{10000 / best['docs_s'] / 3600:.2f} h** (extrapolated, target < 1 h).", ""]
    sized = [r for r in runs if r["db_bytes"] and r["pages"]]
    if sized:
        r = sized[0]
        lines.append(f"Store: {r['db_bytes'] / MB / r['pages'] * 1000:.1f} MB per 1,000 pages.")
    pq = [r for r in runs if r["parquet_bytes"] and r["pages"]]
    if pq:
        r = pq[0]
        lines.append(f"Parquet (zstd): {r['parquet_bytes'] / MB / r['pages'] * 1000:.1f} MB "
                     "per 1,000 pages.")
    return "\n".join(lines)


def markdown_copies(copies: list[dict], note: str | None = None) -> str:
    lines = ["## Scale: copy detection at 1k / 10k / 100k documents", ""]
    if note:
        lines += [note, ""]
    lines += ["Copy detection (text only, 2-page documents read from a real store, "
              "`text_store`; `memory` = the in-memory detector over all paragraphs, the "
              "baseline; `chunks` = out of core, pipeline/compare/copies_scale.py, 2,000 "
              "documents a chunk, 32 hash buckets, in this process; `chunks-2` = the same "
              "tasks on 2 worker processes (`engine=\"process\"`); each in a fresh process, "
              "under `prlimit --as` 6 GB; CPU = user + system seconds of all its processes, "
              "the figure that does not depend on the machine's load; peak RSS of the main "
              "process and of the largest worker, each counting the memory-mapped arrays "
              "they share in full; `peak PSS, all` = the highest sum of the proportional set "
              "sizes of the main process and all its workers, sampled every second — the "
              "memory the run takes from the machine, shared pages counted once):", "",
              "| documents | mode | seconds | CPU s | peak RSS (main) | peak RSS (worker) | "
              "peak PSS, all | copied pairs | load avg |",
              "|---|---|---|---|---|---|---|---|---|"]
    for c in copies:
        if "failed" in c:
            lines.append(f"| {c['docs']:,} | {c['mode']} | {c['failed']} | – | – | – | – | – "
                         "| – |")
        else:
            worker = f"{c['peak_worker_mb']:.0f} MB" if c.get("peak_worker_mb") else "–"
            cpu = f"{c['cpu_s']:.0f}" if "cpu_s" in c else "–"
            tree = f"{c['peak_tree_pss_mb']:.0f} MB" if c.get("peak_tree_pss_mb") else "–"
            lines.append(f"| {c['docs']:,} | {c['mode']} | {c['seconds']:.1f} | {cpu} | "
                         f"{c['peak_mb']:.0f} MB | {worker} | {tree} | {c['pairs']:,} | "
                         f"{c.get('load', 0):.1f} |")
    for mode in ("chunks", "chunks-2", "memory"):
        ok = [c for c in copies if c.get("mode") == mode and "failed" not in c]
        if len(ok) >= 2:
            a, b = ok[0], ok[-1]
            k = math.log(b["seconds"] / a["seconds"]) / math.log(b["docs"] / a["docs"])
            line = (f"Growth exponent of `{mode}` (time ∝ documents^k) from {a['docs']:,} to "
                    f"{b['docs']:,}: **k = {k:.2f}**")
            if "cpu_s" in a and "cpu_s" in b:
                kc = math.log(b["cpu_s"] / a["cpu_s"]) / math.log(b["docs"] / a["docs"])
                line += f" (CPU time: k = {kc:.2f})"
            line += "."
            if b["docs"] < 100_000:
                est = b["seconds"] * (100_000 / b["docs"]) ** k
                line += f" 100,000 documents extrapolated with k: {est / 60:.1f} min."
            lines += ["", line]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--pdf-share", type=float, default=0.25)
    ap.add_argument("--engines", default="serial,process,dask")
    ap.add_argument("--repeats", type=int, default=2,
                    help="times each row is measured, the 1- and 2-worker rows interleaved; "
                         "the speed-up is the median over repeats")
    ap.add_argument("--flows", default="store",
                    help="store (daihoi run: rows prepared in the workers), report (the flow "
                         "before: report, identity and rows made in the writing process), or "
                         "both: store,report")
    ap.add_argument("--process-starts", default="fork",
                    help="how a process pool of 2 starts: fork (daihoi run: the models load "
                         "once, the second process is forked from the first, files are read "
                         "meanwhile), separate (each process loads its own: how it was "
                         "before), or both: fork,separate")
    ap.add_argument("--copies", default="1000,10000,100000")
    ap.add_argument("--copies-limit-min", type=float, default=30.0)
    ap.add_argument("--copies-modes", default="chunks,chunks-2",
                    help="out-of-core modes to run at every size (chunks, chunks-2)")
    ap.add_argument("--copies-memory", default="1000,10000",
                    help="sizes also run with the in-memory detector (the baseline)")
    ap.add_argument("--copies-once", nargs=2, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--load-note", default=None,
                    help="the machine load to print (when the rows come from files)")
    ap.add_argument("--copies-note", default=None,
                    help="a sentence on how the copy-detection rows were measured")
    ap.add_argument("--runs-json", default=None,
                    help="take the executor rows from this file (the JSON lines it printed)")
    ap.add_argument("--copies-json", default=None,
                    help="take the copy-detection rows from this file of --copies-once output")
    args = ap.parse_args()
    if args.copies_once is not None:
        print(json.dumps(copies_once(int(args.copies_once[0]), args.copies_once[1])))
        return 0
    from make_large import generate

    work = Path(tempfile.mkdtemp(prefix="daihoi_scale_"))
    try:
        wanted = [e for e in args.engines.split(",") if e]
        files = generate(Path(tempfile.gettempdir()) / f"daihoi_large_{args.docs}", args.docs,
                         20, args.pdf_share) if wanted or args.runs_json else []
        load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start"
        runs = []
        if wanted and not args.runs_json:
            warm_file_cache(files, wanted)
        if args.runs_json:  # measured earlier by this benchmark (its printed JSON lines)
            runs = [json.loads(line) for line in Path(args.runs_json).read_text()
                    .splitlines() if line.startswith('{"engine"')]
        for r in (plan_rows(wanted, args.flows, args.process_starts, args.repeats)
                  if not args.runs_json else []):
            r = measured_row(files, work, **r)
            print(json.dumps(r), flush=True)
            runs.append(r)
        load += f", {os.getloadavg()[0]:.1f} at the end"
        if args.load_note:
            load = args.load_note
        copies = []
        baseline = {int(x) for x in args.copies_memory.split(",") if x}
        if args.copies_json:  # measured earlier by --copies-once runs (one JSON per line)
            copies = [json.loads(line) for line in Path(args.copies_json).read_text()
                      .splitlines() if line.startswith("{")]
        for n in (int(x) for x in args.copies.split(",") if x and not args.copies_json):
            modes = [m for m in args.copies_modes.split(",") if m]
            for mode in (["memory"] if n in baseline else []) + modes:
                c = copies_in_subprocess(n, mode, args.copies_limit_min * 60)
                print(json.dumps(c), flush=True)
                copies.append(c)
        cmd = ("python benchmarks/bench_scale.py " + " ".join(sys.argv[1:])).strip()
        # Two result files, so either half can be re-measured alone (`--engines ""` or
        # `--copies ""`) without losing the other.
        if runs:
            print(write_section("scale", markdown(runs, copies, len(files), load), cmd))
        if copies:
            print(write_section("scale_copies", markdown_copies(copies, args.copies_note), cmd))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
