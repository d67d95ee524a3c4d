"""The corpus store and its comparisons: copied-passage precision and recall on the synthetic
corpus, store size per 1,000 pages, search latency and the time of every comparison on a
10,000-document store.

Run: ``python benchmarks/bench_corpus.py [--documents 10000] [--store PATH]``. Writes
benchmarks/results/corpus.md. ``--store PATH`` keeps the big store at PATH and reuses it on the
next run (the same rows: one seed), which saves its ~30 s (quiet) to ~2 min (loaded) build.

The 10,000-document store is built by replicating the stored rows of the analysed sample corpus
(the synthetic reports and the real DOCX), not by analysing again. Each replica gets its own
unit names, and every syllable outside the 300 most frequent ones is replaced, consistently
within the replica, by another one (a per-replica substitution): replicas then share common
phrasing but not their specific text, as reports of different units do, while each replica
keeps the planted copies of the synthetic corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline.analysis import analyze  # noqa: E402
from pipeline.compare import Corpus  # noqa: E402
from pipeline.compare.copy_pairs import copy_pairs  # noqa: E402
from pipeline.contract import report_record  # noqa: E402
from pipeline.store.database import Store  # noqa: E402
from pipeline.store.folding import fold  # noqa: E402
from pipeline.store.search import Filters, Query, search  # noqa: E402
from results import ROOT, write_section  # noqa: E402

SYNTHETIC = ROOT / "corpus" / "synthetic"
QUERIES = [
    ("dang vien ket nap", None),
    ("đảng viên kết nạp", None),
    ("kiểm tra, giám sát", None),
    ("chi bo trong sach vung manh", None),
    ("Nghị quyết 57-NQ/TW", None),
    ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", None),
    ("đảng", None),
    ("đảng viên", Filters(term="2020-2025")),
    ("dang vien", Filters(section="party_building")),
    ("ket nap", Filters(unit="dien hoa")),
    ('"; DROP TABLE documents; --', None),
    ('"nghị quyết số"', None),
    ('"ket nap dang vien"', Filters(term="2020-2025")),
    ("không có từ này xyzxyz", None),
]
KEEP_COMMON = 300


def build_sample_store(path: Path, files: list[Path]) -> list[tuple[Path, object]]:
    reports = [(f, analyze(f)) for f in files]
    with Store(path) as store:
        for _, report in reports:
            store.save(report, report_record(report))
    return reports


# -- copies -----------------------------------------------------------------------------------


def copy_quality(db: Path) -> dict[str, float]:
    truth = json.loads((SYNTHETIC / "truth.json").read_text(encoding="utf-8"))
    planted = {(c["source_doc"], c["target_doc"], " ".join(c["target_text"].split())): c
               for c in truth["copies"]}
    with Corpus(db) as corpus:
        t0 = time.perf_counter()
        copies = corpus.copies()
        seconds = time.perf_counter() - t0
    # Precision among pairs of synthetic reports: the real documents share text with the
    # synthetic ones by construction (their sentences are the seeds).
    synthetic = copies["source_a"].str.contains("/synthetic/") & copies["source_b"].str.contains(
        "/synthetic/")
    copies_all, copies = copies, copies[synthetic]
    found, wrong = set(), 0
    by_kind: Counter[str] = Counter()
    for r in copies.to_dict("records"):
        keys = [(Path(r["source_a"]).stem, Path(r["source_b"]).stem, " ".join(r["text_b"].split())),
                (Path(r["source_b"]).stem, Path(r["source_a"]).stem, " ".join(r["text_a"].split()))]
        hit = next((k for k in keys if k in planted), None)
        if hit is None:
            wrong += 1
        else:
            found.add(hit)
            c = planted[hit]
            by_kind[f"{c['relation']}/{'edited' if c['edited'] else 'exact'}"] += 1
    total = Counter(f"{c['relation']}/{'edited' if c['edited'] else 'exact'}"
                    for c in truth["copies"])
    return {"precision": 1 - wrong / max(1, len(copies)), "recall": len(found) / len(planted),
            "reported": len(copies_all), "planted": len(planted), "seconds": seconds,
            **{f"recall {k}": by_kind[k] / n for k, n in sorted(total.items())}}


# -- the big store ----------------------------------------------------------------------------


def replicate(base: Path, big: Path, n_docs: int, seed: int = 7) -> dict[str, float]:
    """Copy the rows of `base` into `big` until it holds `n_docs` documents (see module doc)."""
    t0 = time.perf_counter()
    src = sqlite3.connect(base)
    docs = src.execute("SELECT id, source, sha256, format, pages, size, n_blocks, n_tables,"
                       " n_footnotes, unit, unit_level, parent, province, term, year, date,"
                       " doc_type, draft, doc_type_confidence FROM documents ORDER BY id"
                       ).fetchall()
    rows: dict[str, dict[int, list[tuple]]] = {}
    for table, cols in (("blocks", "idx, kind, text, start, \"end\", page, style, outline_level,"
                                   " numbering, bold, font_size, section, is_heading"),
                        ("sections", "*"), ("doc_references", "*"), ("indicators", "*"),
                        ("findings", "*")):
        rows[table] = {}
        for r in src.execute(f"SELECT doc_id, {cols} FROM {table}"):  # noqa: S608
            rows[table].setdefault(r[0], []).append(r[1:] if table == "blocks" else r[1:])
    freq = Counter(w for blocks in rows["blocks"].values() for b in blocks
                   for w in re.findall(r"\w+", b[2].lower()))
    common = {w for w, _ in freq.most_common(KEEP_COMMON)}
    rare = sorted(w for w in freq if w not in common)
    src.close()

    rng = random.Random(seed)
    with Store(big) as store:
        c = store.conn
        c.execute("PRAGMA synchronous = OFF")
        n = 0
        replica = 0
        while n < n_docs:
            shuffled = rare[:]
            rng.shuffle(shuffled)
            cipher = dict(zip(rare, shuffled, strict=True)) if replica else {}

            def swap(m: re.Match[str], cipher: dict[str, str] = cipher) -> str:
                w = m.group()
                new = cipher.get(w.lower())
                if new is None:
                    return w
                return new.capitalize() if w[:1].isupper() else new

            with c:
                for d in docs:
                    if n >= n_docs:
                        break
                    unit = f"{d[9] or Path(d[1]).stem} {replica:04d}" if replica else d[9]
                    n_words = sum(len(b[2].split()) for b in rows["blocks"].get(d[0], []))
                    cur = c.execute(
                        "INSERT INTO documents (source, sha256, format, pages, size, text,"
                        " n_blocks, n_tables, n_footnotes, properties, record, analyzed_at,"
                        " daihoi_version, unit, unit_folded, unit_level, parent, province, term,"
                        " year, date, doc_type, draft, doc_type_confidence, n_words)"
                        " VALUES (?,?,?,?,?,'',?,?,?,'{}','{}','',?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (f"replica{replica:04d}/{Path(d[1]).name}", d[2], d[3], d[4], d[5],
                         d[6], d[7], d[8], "bench", unit, fold(unit) if unit else None,
                         *d[10:], n_words))
                    doc_id = cur.lastrowid
                    blocks = [(doc_id, b[0], b[1],
                               re.sub(r"\w+", swap, b[2]) if cipher else b[2], *b[3:])
                              for b in rows["blocks"].get(d[0], [])]
                    c.executemany(
                        "INSERT INTO blocks (doc_id, idx, kind, text, start, \"end\", page, style,"
                        " outline_level, numbering, bold, font_size, section, is_heading)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", blocks)
                    first = c.execute("SELECT min(id) FROM blocks WHERE doc_id = ?",
                                      (doc_id,)).fetchone()[0]
                    c.executemany(
                        "INSERT INTO paragraphs_fts (rowid, exact, folded) VALUES (?,?,?)",
                        [(first + i, b[3], fold(b[3])) for i, b in enumerate(blocks) if b[3]])
                    for table, width in (("sections", 8), ("doc_references", 18),
                                         ("indicators", 15), ("findings", 9)):
                        c.executemany(
                            f"INSERT INTO {table} VALUES ({','.join('?' * width)})",  # noqa: S608
                            [(doc_id, *r[1:]) for r in rows[table].get(d[0], [])])
                    n += 1
            replica += 1
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        words = c.execute("SELECT sum(length(text) - length(replace(text, ' ', '')) + 1)"
                          " FROM blocks WHERE text <> ''").fetchone()[0]
        paragraphs = c.execute("SELECT count(*) FROM blocks").fetchone()[0]
    return {"seconds": time.perf_counter() - t0, "words": words, "paragraphs": paragraphs}


def cached_store(path: Path, n_docs: int) -> dict[str, float] | None:
    """The figures of a big store kept by an earlier run (`--store`), or None when there is
    none with `n_docs` documents (a half-built or other-sized one is rebuilt)."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            if docs != n_docs:
                return None
            words = con.execute("SELECT sum(length(text) - length(replace(text, ' ', '')) + 1)"
                                " FROM blocks WHERE text <> ''").fetchone()[0]
            paragraphs = con.execute("SELECT count(*) FROM blocks").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return {"seconds": float("nan"), "words": words, "paragraphs": paragraphs, "cached": 1.0}


def python_baseline() -> tuple[float, float]:
    """A fixed pure-Python loop, (wall s, CPU s), median of three: the yardstick step times
    are divided by, so a loaded machine shows as a ratio."""
    runs = []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        total = 0
        for i in range(3_000_000):
            total += i * i % 7
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def search_latency(db: Path) -> list[tuple[str, str, float, int, float, float]]:
    out = []
    with Store(db, create=False, readonly=True) as store:
        for query, filters in QUERIES:
            search(store.conn, query, filters)  # warm the page cache
            times, cpu = [], []
            for _ in range(5):
                t0, c0 = time.perf_counter(), time.process_time()
                hits = search(store.conn, query, filters)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            # Baseline in the same run: the bare FTS5 match of the same words (no ranking, no
            # join, no filters), so a loaded machine shows as a ratio.
            fts = Query.parse(query).fts("folded")
            bare = []
            for _ in range(5):
                t0 = time.perf_counter()
                if fts:
                    store.conn.execute("SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts"
                                       " MATCH ? LIMIT 20", (fts,)).fetchall()
                bare.append(time.perf_counter() - t0)
            label = "" if filters is None else ", ".join(
                f"{k}={v}" for k, v in vars(filters).items() if v)
            out.append((query, label, statistics.median(times) * 1000, len(hits),
                        statistics.median(bare) * 1000, statistics.median(cpu) * 1000))
    return out


def comparison_times(db: Path) -> list[tuple[str, float, float, str]]:
    """(step, wall s, CPU s, result shape) of every comparison on the store `db`."""
    out = []
    found: dict[str, object] = {}
    with Corpus(db) as corpus:
        t0, c0 = time.perf_counter(), time.process_time()
        for name in ("documents", "paragraphs", "sections", "references", "indicators"):
            getattr(corpus, name)
        out.append(("read the tables", time.perf_counter() - t0, time.process_time() - c0,
                    f"{len(corpus.paragraphs):,} paragraphs"))
        steps = [
            ("indicator matrix (2020-2025)", lambda: corpus.indicator_matrix("2020-2025")),
            ("indicator change 2020-2025 → 2025-2030",
             lambda: corpus.indicator_change("2020-2025", "2025-2030")),
            ("reference matrix", lambda: corpus.reference_matrix()),
            ("section matrix", lambda: corpus.section_matrix()),
            ("copied passages", lambda: found.setdefault("copies", corpus.copies())),
            ("copies grouped per document pair",
             lambda: copy_pairs(found["copies"], corpus.documents)),
            ("section similarity (assessment.weaknesses, top 5)",
             lambda: corpus.section_similarity("assessment.weaknesses")),
            ("similarity of whole documents (top 5)", lambda: corpus.section_similarity()),
            ("keyness on words (one unit)", lambda: corpus.keyness("Điện Hòa")),
        ]
        for name, step in steps:
            t0, c0 = time.perf_counter(), time.process_time()
            frame = step()
            out.append((name, time.perf_counter() - t0, time.process_time() - c0,
                        f"{frame.shape[0]:,} × {frame.shape[1]:,}"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--store", type=Path, default=None,
                        help="keep the big store at this path and reuse it when it already "
                             "holds --documents documents (built from the same seed: the same "
                             "rows), so a re-run skips the ~2-minute build")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="daihoi_bench_"))

    synthetic = sorted(SYNTHETIC.glob("*.docx"))
    real_docx = sorted((ROOT / "corpus" / "docx").glob("*.docx"))
    real_pdf = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))
    sample = work / "sample.db"
    t0 = time.perf_counter()
    build_sample_store(sample, synthetic + real_docx)
    analyse_s = time.perf_counter() - t0
    quality = copy_quality(sample)
    print(f"copies: {quality}", flush=True)

    # Documents, not files: each real report as TXT, DOCX and PDF, then all again by absolute
    # path, must be one document per report.
    same = work / "same.db"
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    t0 = time.perf_counter()
    build_sample_store(same, seeds + real_docx + real_pdf)
    build_sample_store(same, [f.resolve() for f in seeds])
    identity_s = time.perf_counter() - t0
    n_files = len(seeds) + len(real_docx) + len(real_pdf)
    with Store(same) as s:
        identity = s.counts()

    pdf_store = work / "pdf.db"
    reports = build_sample_store(pdf_store, real_pdf)
    pages = sum(r.document.pages or 0 for _, r in reports)  # type: ignore[attr-defined]
    with Store(pdf_store) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pdf_mb = pdf_store.stat().st_size / 2**20

    # The replicas come from the synthetic reports and the three real documents that are not
    # their seeds: 000 and 004 hold every sentence the synthetic reports are made of, a hub no
    # real corpus has, which would make every replica a web of seed-to-report "copies".
    big = args.store or work / "big.db"
    built = cached_store(big, args.documents)
    if built is None:
        big.unlink(missing_ok=True)
        base = work / "base.db"
        build_sample_store(base, synthetic + [f for f in real_docx if f.stem[:3] not in
                                              ("000", "004")])
        built = replicate(base, big, args.documents)
    big_mb = big.stat().st_size / 2**20
    print(f"big store: {built}, {big_mb:.0f} MB", flush=True)
    load_start = os.getloadavg()[0]
    base_wall, base_cpu = python_baseline()
    latency = search_latency(big)
    load_search = os.getloadavg()[0]
    times = comparison_times(big)
    end_wall, end_cpu = python_baseline()
    base_wall, base_cpu = (base_wall + end_wall) / 2, (base_cpu + end_cpu) / 2
    total = sum(t for _, t, _, _ in times)
    total_cpu = sum(c for _, _, c, _ in times)

    est_pages = built["words"] / 400  # a printed A4 page of a report holds about 400 words
    lines = [
        "## Corpus store, search and comparisons",
        "",
        f"Sample store: the {len(synthetic)} synthetic reports and the {len(real_docx)} real "
        f"DOCX, analysed in {analyse_s:.1f} s.",
        "",
        "### Copied passages (synthetic corpus, planted copies as ground truth)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| precision (pairs between synthetic reports) | {quality['precision']:.3f} |",
        f"| recall | {quality['recall']:.3f} ({quality['planted']} planted) |",
        *[f"| {k} | {v:.3f} |" for k, v in quality.items() if k.startswith("recall ")],
        f"| pairs reported (whole store, real documents included) | {quality['reported']} |",
        f"| time | {quality['seconds']:.2f} s |",
        "",
        "Target: precision and recall ≥ 0.95, edited copies included.",
        "",
        "### Documents, not files",
        "",
        f"The {len(seeds)} real reports as TXT, DOCX and PDF ({n_files} files), then the TXT "
        "again by absolute path: "
        f"**{identity['documents']} documents, {identity['files']} files** "
        f"({identity_s:.1f} s, analysis included). Target: one document per report.",
        "",
        "### Store size",
        "",
        "| store | documents | pages | size | per 1,000 pages |",
        "|---|---|---|---|---|",
        f"| real PDFs of the sample | {len(real_pdf)} | {pages} | {pdf_mb:.1f} MB | "
        f"{1000 * pdf_mb / max(1, pages):.0f} MB |",
        f"| replicated, {args.documents:,} documents | {args.documents:,} | ~{est_pages:,.0f} "
        f"(words / 400) | {big_mb:.0f} MB | {1000 * big_mb / est_pages:.0f} MB |",
        "",
        "Each document is stored with its text, its paragraphs, the full-text index (exact and "
        "folded columns) and its whole JSON record (the replicas carry no record, so their "
        "figure is the lower one).",
        "",
        f"### Search on a {args.documents:,}-document store "
        f"({built['paragraphs']:,} paragraphs; "
        + ("reused from an earlier run's `--store`)" if built.get("cached")
           else f"built in {built['seconds']:.0f} s)"),
        "",
        "The big store replicates the stored rows of the synthetic reports and the real "
        "documents 001–003 with new unit names; in each replica every syllable outside the "
        f"{KEEP_COMMON} most frequent is replaced by another, so replicas share common phrasing "
        "but not their text (000 and 004 are left out: every synthetic sentence comes from them, "
        "a hub of shared text no real corpus has). Queries run through `pipeline.store.search` "
        "(exact matches first, BM25; a query matching more than 50,000 paragraphs is not "
        "ranked, newest first).",
        "",
        "| query | filters | median ms (5 runs) | CPU ms | hits shown "
        "| FTS5 match alone (first 20, unranked, no join), ms |",
        "|---|---|---|---|---|---|",
        *[f"| `{q}` | {f} | {ms:.1f} | {c:.1f} | {n} | {b:.1f} |"
          for q, f, ms, n, b, c in latency],
        "",
        f"Slowest: {max(r[2] for r in latency):.1f} ms wall, "
        f"{max(r[5] for r in latency):.1f} ms CPU. Target: < 100 ms. Machine load "
        f"(1-minute average, 2 cores) before and after: {load_start:.1f}, {load_search:.1f}.",
        "",
        f"### Every comparison on the {args.documents:,}-document store",
        "",
        "Wall and CPU seconds (`time.process_time`, which load hardly changes) of each step, "
        "and the wall time as a multiple of a fixed pure-Python loop timed in the same run "
        f"(the baseline: {base_wall:.3f} s wall, {base_cpu:.3f} s CPU, mean of before and "
        "after), so runs on a loaded and a quiet machine compare.",
        "",
        "| step | seconds | CPU seconds | × baseline | result |",
        "|---|---|---|---|---|",
        *[f"| {name} | {t:.2f} | {c:.2f} | {t / base_wall:.0f} | {shape} |"
          for name, t, c, shape in times],
        f"| **total** | **{total:.1f}** | **{total_cpu:.1f}** | **{total / base_wall:.0f}** | |",
        "",
        f"Target: < 60 s. Machine load at the end (1-minute average, 2 cores): "
        f"{os.getloadavg()[0]:.1f}.",
    ]
    shutil.rmtree(work, ignore_errors=True)
    command = "python benchmarks/bench_corpus.py" + (f" --store {args.store}" if args.store
                                                      else "")
    path = write_section("corpus", "\n".join(lines), command)
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
