"""Ingest benchmarks: text fidelity, speed and memory; writes benchmarks/results/ingest.md.

Part of `make bench`. Speeds are measured side by side in one run, so the ratios against the
baselines (pdfplumber page-by-page `extract_text`, poppler's `pdftotext`) hold better than the
absolute figures on a noisy machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fidelity import (  # noqa: E402
    ROOT,
    Fidelity,
    corpus_files,
    measure,
    page_numbers_in_body,
    score,
)
from pipeline.ingest import Limits, load  # noqa: E402
from results import write_section  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
BIG_PAGES = 300


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-q", str(path), os.devnull], check=True)


def page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def speed_rows() -> list[str]:
    rows = []
    totals = {"load": 0.0, "pdfplumber": 0.0, "pdftotext": 0.0}
    pages_total = 0
    for path in corpus_files("pdf"):
        pages = page_count(path)
        pages_total += pages
        t_load = best_time(lambda p=path: load(p))
        t_plumber = best_time(lambda p=path: pdfplumber_text(p), repeat=1)
        t_poppler = best_time(lambda p=path: pdftotext(p))
        totals["load"] += t_load
        totals["pdfplumber"] += t_plumber
        totals["pdftotext"] += t_poppler
        rows.append(
            f"| {path.name} | {pages} | {pages / t_load:.1f} | {pages / t_plumber:.1f} | "
            f"{pages / t_poppler:.0f} | {t_plumber / t_load:.2f} | {t_poppler / t_load:.3f} |"
        )
    rows.append(
        f"| **all** | {pages_total} | **{pages_total / totals['load']:.1f}** | "
        f"{pages_total / totals['pdfplumber']:.1f} | {pages_total / totals['pdftotext']:.0f} | "
        f"**{totals['pdfplumber'] / totals['load']:.2f}** | "
        f"{totals['pdftotext'] / totals['load']:.3f} |"
    )
    return rows


def docx_rows() -> list[str]:
    rows = []
    for path in corpus_files("docx"):
        t = best_time(lambda p=path: load(p))
        rows.append(f"| {path.name} | {path.stat().st_size // 1024} KiB | {t * 1000:.0f} ms |")
    return rows


def build_big_pdf() -> Path:
    """A ~300-page PDF: the longest corpus report repeated (qpdf copies pages losslessly)."""
    OUT.mkdir(parents=True, exist_ok=True)
    source = max(corpus_files("pdf"), key=page_count)
    copies = -(-BIG_PAGES // page_count(source))
    target = OUT / f"big_{BIG_PAGES}.pdf"
    if not target.exists():
        subprocess.run(
            ["qpdf", "--empty", "--pages", *[str(source)] * copies, "--", str(target)],
            check=True,
        )
    return target


def peak_rss_mb(code: str) -> float:
    """Peak resident memory of a fresh Python process running `code`."""
    probe = (
        f"{code}\nimport resource\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def memory_rows() -> list[str]:
    big = build_big_pdf()
    pages = page_count(big)
    baseline = peak_rss_mb("import pipeline.ingest.pdf")
    start = time.perf_counter()
    loaded = peak_rss_mb(f"from pipeline.ingest import load\nload({str(big)!r})")
    elapsed = time.perf_counter() - start
    return [
        f"| import only (baseline) | - | {baseline:.0f} MB | - |",
        f"| load() of {big.name} | {pages} | {loaded:.0f} MB | {pages / elapsed:.1f} p/s "
        f"(incl. start-up) |",
    ]


def fidelity_rows() -> tuple[list[str], list[Fidelity]]:
    rows, results = [], []
    for kind in ("pdf", "docx"):
        for path in corpus_files(kind):
            f = measure(path)
            results.append(f)
            rows.append(
                f"| {f.path} | {100 * f.cer:.2f}% | {f.paragraphs_exact}/{f.paragraphs_truth} | "
                f"{f.cells_found}/{f.cells_truth} | {f.footnotes_found}/{f.footnotes_truth} | "
                f"{'yes' if f.header_in_body else 'no'} |"
            )
    return rows, results


NEWS = ROOT.parent / "shared" / "devdata" / "news"
LAYOUT_TARGET = 0.005
OCR_TARGET = 0.02


def tesseract_cli_seconds(pdf: Path) -> float:
    """Plain `tesseract page.png stdout -l vie --psm 6` (its default threads) on each page of
    `pdf` rendered at the DPI load() reads at: the baseline for OCR speed, same run, same
    images. Rendering is not timed."""
    import tempfile

    from pipeline.ingest import ocr

    with tempfile.TemporaryDirectory(prefix="daihoi_cli_") as tmp:
        subprocess.run(["pdftoppm", "-r", str(ocr.DPI), "-gray", "-png", str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True)
        total = 0.0
        for png in sorted(Path(tmp).glob("p*.png")):
            start = time.perf_counter()
            subprocess.run(["tesseract", str(png), "stdout", "-l", "vie", "--psm", "6"],
                           check=True, capture_output=True)
            total += time.perf_counter() - start
    return total


def layout_rows(per_layout: int = 2, offset: int = 0) -> list[str]:
    """CER per generated layout: real articles rendered by corpus/layouts.py (read at run time
    from ../shared/devdata/news, never committed), read back by load(). `offset` > 0 draws
    another sample (articles nobody measured before)."""
    sys.path.insert(0, str(ROOT))
    from corpus.layouts import generate

    articles = sorted(NEWS.glob("*.txt"))
    # Every 7th article, from the end: a fixed, spread-out sample nobody tuned on.
    articles = articles[len(articles) - 1 - offset::-7]
    out = OUT / "layouts"
    if out.exists():
        shutil.rmtree(out)
    generated = generate(articles, out, per_layout=per_layout)
    rows = []
    by_layout: dict[str, list[tuple[Fidelity, int, float, int]]] = {}
    cli: dict[str, float] = {}
    linked: dict[str, int] = {}
    for g in generated:
        start = time.perf_counter()
        try:
            doc = load(g.pdf, Limits())  # --ocr auto: scans are read by OCR
        except Exception as exc:  # noqa: BLE001 - a failure is a row of the table
            rows.append(f"| {g.layout.name} | {g.source} | error: {exc} | | | | | |")
            continue
        elapsed = time.perf_counter() - start
        if g.layout.scan_dpi:
            cli[g.layout.name] = cli.get(g.layout.name, 0.0) + tesseract_cli_seconds(g.pdf)
        linked[g.layout.name] = linked.get(g.layout.name, 0) + sum(
            n.block is not None or n.table is not None for n in doc.footnotes)
        f = score(g.pdf.name, g.gold.paragraphs, g.gold.tables, g.gold.footnotes,
                  g.gold.running_header, doc)
        by_layout.setdefault(g.layout.name, []).append(
            (f, page_numbers_in_body(doc), elapsed, doc.pages or 0))
    for name, results in by_layout.items():
        target = OCR_TARGET if "scan" in name else LAYOUT_TARGET
        cer = max(f.cer for f, *_ in results)
        pages = sum(p for *_, p in results)
        seconds = sum(t for _, _, t, _ in results)
        cells = (f"{sum(f.cells_found for f, *_ in results)}/"
                 f"{sum(f.cells_truth for f, *_ in results)}")
        notes = (f"{sum(f.footnotes_found for f, *_ in results)}/"
                 f"{sum(f.footnotes_truth for f, *_ in results)}")
        rows.append(
            f"| {name} | {len(results)} | {100 * cer:.2f}% {'✓' if cer <= target else '✗'} | "
            f"{sum(f.paragraphs_exact for f, *_ in results)}/"
            f"{sum(f.paragraphs_truth for f, *_ in results)} | {cells} | {notes} | "
            f"{'yes' if any(f.header_in_body for f, *_ in results) else 'no'} | "
            f"{sum(n for _, n, _, _ in results)} | {seconds / max(pages, 1):.2f} | "
            + (f"{cli[name] / max(pages, 1):.2f} | {seconds / cli[name]:.2f} |"
               if name in cli else "- | - |")
        )
        rows[-1] = rows[-1].replace(f"| {notes} |", f"| {notes} (linked {linked[name]}) |", 1) \
            if linked.get(name) else rows[-1]
    return rows


LAYOUT_HEADER = [
    "## Ingest: generated layouts (real articles, CER per layout)",
    "",
    "`corpus/layouts.py` renders real articles from `../shared/devdata/news/` (every 7th "
    "from the end) into each layout with LibreOffice; scans are image-only copies made with "
    "poppler and Pillow. CER of `text` against the gold paragraphs (worst document of the "
    "layout); tables, footnotes and running headers are scored apart. Targets: text layouts "
    "<= 0.5%, scans <= 2%.",
    "",
    "| layout | docs | worst CER | paragraphs exact | table cells | footnotes | header in body "
    "| page numbers in body | s/page | plain `tesseract` s/page | load() ÷ `tesseract` time |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]


def layouts_main() -> int:
    if not NEWS.is_dir():
        print(f"{NEWS} is absent: the layout benchmark needs real articles; skipped")
        return 0
    # --fresh N: the articles N places further on (a confirmation sample).
    offset = int(sys.argv[sys.argv.index("--fresh") + 1]) if "--fresh" in sys.argv else 0
    rows = layout_rows(offset=offset)
    header = LAYOUT_HEADER
    if offset:
        header = [f"{LAYOUT_HEADER[0]}: fresh sample (every 7th article from the "
                  f"{offset + 1}th from the end)", *LAYOUT_HEADER[1:]]
    lines = [*header, *rows, ""]
    name = f"ingest_layouts_fresh{offset}" if offset else "ingest_layouts"
    write_section(name, "\n".join(lines),
                  "python benchmarks/bench_ingest.py --layouts"
                  + (f" --fresh {offset}" if offset else ""))
    print("\n".join(lines))
    return 0


# --- OCR memory: a long scan ----------------------------------------------------------------

OCR_MEMORY_PAGE = [
    "Báo cáo kết quả thực hiện Chỉ thị số 10-CT/TW năm 2024",
    "Thực hiện Chỉ thị số 10-CT/TW ngày 30-3-2007 của Ban Bí thư, Đảng uỷ đã ban hành kế "
    "hoạch triển khai tới 42 chi bộ trực thuộc; năm 2024 kết nạp 95 đảng viên mới, nâng tổng "
    "số đảng viên lên 3.828 đồng chí, tăng 5,6% so với năm 2023.",
]
# Run in a fresh process: resident memory sampled every second while load() reads the scan.
MEMORY_PROBE = """
import json, resource, sys, threading, time
from pipeline.ingest import load
def rss():
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) / 1024 for l in f if l.startswith('VmRSS'))
samples, done, t0 = [], [], time.perf_counter()
log = open(sys.argv[2], "a") if len(sys.argv) > 2 else None
def sample():
    while not done:
        samples.append((time.perf_counter() - t0, rss()))
        if log and len(samples) % 10 == 1:  # progress that survives a stopped run
            print(f"{samples[-1][0]:.0f} s {samples[-1][1]:.0f} MB", file=log, flush=True)
        time.sleep(1)
threading.Thread(target=sample, daemon=True).start()
doc = load(sys.argv[1])
done.append(1)
print(json.dumps({"pages": doc.pages, "seconds": time.perf_counter() - t0,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "samples": samples, "chars": len(doc.text)}))
"""


def build_long_scan(pages: int) -> Path:
    """A `pages`-page image-only PDF: one scanned report page (300 dpi, header, a paragraph,
    page number) repeated with qpdf (the image is stored once; every page is rendered and
    read by OCR)."""
    sys.path.insert(0, str(ROOT))
    from corpus.layouts import Layout, build_docx, scan, to_pdf

    out = OUT / "ocr_memory"
    out.mkdir(parents=True, exist_ok=True)
    page = out / "page_scan.pdf"
    if not page.exists():
        build_docx(Layout("page", running=True), OCR_MEMORY_PAGE, out / "page.docx")
        to_pdf([out / "page.docx"], out)
        scan(out / "page.pdf", page, 300)
    target = out / f"scan_{pages}.pdf"
    if not target.exists():
        subprocess.run(["qpdf", "--empty", "--pages", *[str(page)] * pages, "--", str(target)],
                       check=True)
    return target


def ocr_memory_rows(sizes: list[int], header: list[str], command: str) -> list[str]:
    import json

    rows: list[str] = []
    for pages in sizes:
        scan_pdf = build_long_scan(pages)
        log = OUT / "ocr_memory" / f"rss_{pages}.log"
        log.unlink(missing_ok=True)
        out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(scan_pdf), str(log)],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        r = json.loads(out.strip().splitlines()[-1])
        samples = r["samples"] or [(0.0, r["peak"])]
        # Resident memory at a tenth, half and the end of the run: flat if bounded.
        at = [max(m for t, m in samples if t <= f * r["seconds"]) if any(
            t <= f * r["seconds"] for t, _ in samples) else samples[0][1] for f in (0.1, 0.5, 1)]
        rows.append(f"| {r['pages']} | {r['seconds'] / r['pages']:.2f} | {at[0]:.0f} | "
                    f"{at[1]:.0f} | {at[2]:.0f} | {r['peak']:.0f} | "
                    f"{1024 * r['peak'] / r['pages']:.0f} KB |")
        # Written after each size: a long run stopped later keeps the sizes before it.
        write_section("ingest_ocr_memory", "\n".join([*header, *rows, ""]), command)
    return rows


def ocr_memory_main() -> int:
    from pipeline.ingest import ocr

    if not ocr.ocr_available():
        print("Tesseract (vie) is missing: the OCR memory benchmark is skipped")
        return 0
    k = sys.argv.index("--ocr-memory")
    sizes = [int(n) for n in sys.argv[k + 1].split(",")] if len(sys.argv) > k + 1 else [20, 200]
    lines = [
        "## Ingest: OCR memory on a long scan",
        "",
        "A scanned report page (300 dpi: running header, a paragraph, page number) repeated "
        "into an image-only PDF of N pages, read by `load()` (--ocr auto) in a fresh process; "
        "resident memory sampled every second. Bounded memory: the same peak whatever N.",
        "",
        "| pages | s/page | RSS at 10% (MB) | at 50% | at the end | peak RSS (MB) | "
        "peak per page |",
        "|---|---|---|---|---|---|---|",
    ]
    command = ("nice -n 10 python benchmarks/bench_ingest.py --ocr-memory "
               f"{','.join(map(str, sizes))}")
    rows = ocr_memory_rows(sizes, lines, command)
    print("\n".join([*lines, *rows, ""]))
    return 0


def main() -> int:
    if "--layouts" in sys.argv:
        return layouts_main()
    if "--ocr-memory" in sys.argv:
        return ocr_memory_main()
    for tool in ("pdftotext", "qpdf"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: run `make bench` (it installs system packages)")
            return 1
    fid_rows, fid = fidelity_rows()
    speed = speed_rows()
    docx = docx_rows()
    memory = memory_rows()
    worst = max(f.cer for f in fid)
    lines = [
        "## Ingest: text fidelity against the corpus ground truth",
        "",
        "CER of `text` against the truth paragraphs (whitespace-normalised; tables, footnotes "
        "and running headers excluded on both sides). Target: <= 0.5% on every file; every "
        "table cell and footnote recovered.",
        "",
        "| file | CER | paragraphs exact | table cells | footnotes | header in body |",
        "|---|---|---|---|---|---|",
        *fid_rows,
        "",
        f"Worst CER: {100 * worst:.2f}%.",
        "",
        "## Ingest: PDF speed (one core, best of 3)",
        "",
        "Pages per second through `pipeline.ingest.load()` (the whole reader: text, reflow, "
        "running headers, footnotes, tables, normalisation), against pdfplumber's page-by-page "
        "`extract_text()` and poppler's `pdftotext` on the same files in the same run. "
        "Target: >= 40 pages/s (issue 12; measured under load, compare the ratios).",
        "",
        "| file | pages | load() p/s | pdfplumber p/s | pdftotext p/s | load ÷ pdfplumber "
        "(speed-up) | load ÷ pdftotext |",
        "|---|---|---|---|---|---|---|",
        *speed,
        "",
        "## Ingest: DOCX read time",
        "",
        "| file | size | load() |",
        "|---|---|---|",
        *docx,
        "",
        "## Ingest: memory",
        "",
        f"Peak RSS of a fresh process loading a {BIG_PAGES}-page PDF (the longest corpus "
        "report repeated with qpdf). Target: < 500 MB.",
        "",
        "| run | pages | peak RSS | speed |",
        "|---|---|---|---|",
        *memory,
        "",
    ]
    write_section("ingest", "\n".join(lines), "python benchmarks/bench_ingest.py")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
