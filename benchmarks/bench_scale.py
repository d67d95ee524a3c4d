"""Scale: end-to-end throughput of each executor on 1 and 2 workers, peak memory per worker,
store and Parquet size per 1,000 pages, and copy detection at 1k / 10k / 100k documents.

Run: ``python benchmarks/bench_scale.py [--docs 40] [--copies 1000,10000,100000]``. Writes
benchmarks/results/scale.md.

The corpus is made by corpus/make_large.py (real text: synthetic reports and the news
articles of ../shared/devdata/news/, DOCX and text PDFs of ~20 pages) into a temporary folder.
Each executor analyses all of it and the results are stored (the store for serial and process,
Parquet then `load` for Dask), timed from the call to the last stored document, worker start-up
included. Peak memory per worker is the highest resident set of any analysis process (and of
any Dask worker process), sampled every 0.2 s. Copy detection runs on text-only documents
(`make_large.text_documents`, 2 pages each), each size in a fresh process, so its peak memory
is its own; the growth exponent is the slope of log(time) against log(documents).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from results import ROOT, write_section  # noqa: E402

MB = 1024 * 1024


class PeakSampler:
    """Highest RSS of the analysis processes (and Dask workers) under this process."""

    def __init__(self) -> None:
        self.peak_child = 0
        self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                for p in me.children(recursive=True):
                    try:
                        cmd = " ".join(p.cmdline())
                        rss = p.memory_info().rss
                    except psutil.Error:
                        continue
                    if "pipeline.engine.child" in cmd:
                        self.peak_child = max(self.peak_child, rss)
                    elif "multiprocessing" in cmd or "distributed" in cmd:
                        self.peak_worker = max(self.peak_worker, rss)
            except psutil.Error:
                pass
            time.sleep(0.2)


def run_executor(engine: str, workers: int, files: list[Path], work: Path) -> dict:
    from pipeline.batch import analyze_files
    from pipeline.contract import report_record
    from pipeline.ingest.limits import Limits
    from pipeline.store.database import Store
    from pipeline.store.parquet_load import load_parquet

    db = work / f"{engine}{workers}.db"
    parquet = work / f"{engine}{workers}.parquet"
    for p in (db, parquet):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    pages = errors = 0
    start = time.perf_counter()
    with PeakSampler() as sampler, Store(db) as store:
        stream = analyze_files(files, Limits(), jobs=workers, engine=engine, ordered=False,
                               parquet_dir=parquet if engine == "dask" else None)
        for r in stream:
            if r.report is None:
                errors += 1
                continue
            pages += r.report.document.pages or max(1, len(r.report.document.text) // 1800)
            if engine != "dask":
                store.save(r.report, report_record(r.report))
        if engine == "dask":
            load_parquet(parquet, store)
    seconds = time.perf_counter() - start
    parquet_bytes = sum(p.stat().st_size for p in parquet.glob("*.parquet")) if parquet.is_dir() \
        else 0
    return {"engine": engine, "workers": workers, "seconds": seconds, "docs": len(files),
            "pages": pages, "errors": errors, "docs_s": len(files) / seconds,
            "pages_s": pages / seconds, "peak_child_mb": sampler.peak_child / MB,
            "peak_worker_mb": sampler.peak_worker / MB, "db_bytes": db.stat().st_size,
            "parquet_bytes": parquet_bytes}


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
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "memory":
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        paragraphs = pd.read_sql_query(
            "SELECT id AS paragraph_id, doc_id, idx, is_heading, text FROM paragraphs "
            "ORDER BY doc_id, idx", con)
        con.close()
        found = detect_copies(paragraphs, docs)
    else:
        found = copies_out_of_core(db, docs)
    seconds = time.perf_counter() - start
    use = resource.getrusage(resource.RUSAGE_SELF)
    return {"docs": n, "mode": mode, "seconds": seconds, "pairs": len(found),
            "cpu_s": time.process_time() - cpu, "peak_mb": use.ru_maxrss * 1024 / MB,
            "load": os.getloadavg()[0]}


def copies_in_subprocess(n: int, mode: str, limit_s: float) -> dict:
    try:
        proc = subprocess.run([sys.executable, __file__, "--copies-once", str(n), mode],
                              capture_output=True, text=True, timeout=limit_s, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"docs": n, "mode": mode, "failed": f"not finished in {limit_s / 60:.0f} min"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"docs": n, "mode": mode, "failed": f"exit {proc.returncode}: {tail[:120]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(runs: list[dict], copies: list[dict], n_docs: int, load: str) -> str:
    lines = ["## Scale: executors and copy detection", "",
             f"{n_docs} generated reports (corpus/make_large.py: DOCX and text PDFs of ~20 "
             "pages, real text), analysed end to end and stored, worker start-up included. "
             f"Machine load while measuring: {load}.", "",
             "| executor | workers | seconds | docs/s | pages/s | speed-up vs 1 worker | "
             "peak RSS per analysis process | peak RSS per Dask worker |",
             "|---|---|---|---|---|---|---|---|"]
    base = {r["engine"]: r["seconds"] for r in runs if r["workers"] == 1}
    for r in runs:
        speed = base.get(r["engine"], r["seconds"]) / r["seconds"]
        worker = f"{r['peak_worker_mb']:.0f} MB" if r["engine"] == "dask" else "–"
        lines.append(f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | "
                     f"{r['docs_s']:.2f} | {r['pages_s']:.1f} | {speed:.2f}× | "
                     f"{r['peak_child_mb']:.0f} MB | {worker} |")
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
    lines += ["", "Copy detection (text only, 2-page documents; `memory` = the in-memory "
              "detector over all paragraphs, the baseline; `chunks` = out of core, "
              "pipeline/compare/copies_scale.py, 2,000 documents a chunk, 32 hash buckets; "
              "each in a fresh process):", "",
              "| documents | mode | seconds | peak RSS | copied pairs |", "|---|---|---|---|---|"]
    for c in copies:
        if "failed" in c:
            lines.append(f"| {c['docs']:,} | {c['mode']} | {c['failed']} | – | – |")
        else:
            lines.append(f"| {c['docs']:,} | {c['mode']} | {c['seconds']:.1f} | "
                         f"{c['peak_mb']:.0f} MB | {c['pairs']:,} |")
    for mode in ("chunks", "memory"):
        ok = [c for c in copies if c.get("mode") == mode and "failed" not in c]
        if len(ok) >= 2:
            a, b = ok[0], ok[-1]
            k = math.log(b["seconds"] / a["seconds"]) / math.log(b["docs"] / a["docs"])
            line = (f"Growth exponent of `{mode}` (time ∝ documents^k) from {a['docs']:,} to "
                    f"{b['docs']:,}: **k = {k:.2f}**.")
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
    ap.add_argument("--copies", default="1000,10000,100000")
    ap.add_argument("--copies-limit-min", type=float, default=30.0)
    ap.add_argument("--copies-memory", default="1000,10000",
                    help="sizes also run with the in-memory detector (the baseline)")
    ap.add_argument("--copies-once", nargs=2, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--load-note", default=None,
                    help="the machine load to print (when the rows come from files)")
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
        files = generate(Path(tempfile.gettempdir()) / f"daihoi_large_{args.docs}", args.docs,
                         20, args.pdf_share)
        load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start"
        runs = []
        if args.runs_json:  # measured earlier by this benchmark (its printed JSON lines)
            runs = [json.loads(line) for line in Path(args.runs_json).read_text()
                    .splitlines() if line.startswith('{"engine"')]
        for engine in [e for e in args.engines.split(",") if e and not args.runs_json]:
            for workers in ((1,) if engine == "serial" else (1, 2)):
                r = run_executor(engine, workers, files, work)
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
            for mode in ("memory", "chunks") if n in baseline else ("chunks",):
                c = copies_in_subprocess(n, mode, args.copies_limit_min * 60)
                print(json.dumps(c), flush=True)
                copies.append(c)
        cmd = "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:])
        print(write_section("scale", markdown(runs, copies, len(files), load), cmd.strip()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
