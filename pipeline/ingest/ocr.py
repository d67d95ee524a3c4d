"""OCR of PDF pages that have no text layer (scans, signed copies), page by page.

Each page is rendered by pdfium at 300 dpi in grey, straightened (its skew measured from the
rows of ink; a page upside down or on its side turned back by Tesseract's orientation
detection when the first reading is poor), its ruled tables found in the bitmap
(`ocr_tables`), and read by Tesseract's Vietnamese model (`--psm 6`, measured best on report
pages: CER ~1.1% at 300 dpi, 2.7% with psm 3, 21% with `eng`) as words with boxes (TSV).

The words come back as `Char`s in page coordinates (points), so the page then goes through the
same steps as a text PDF: columns, lines, running headers and page numbers, footnotes, tables,
paragraphs. Pages are read two at a time (Tesseract limited to one thread each); only the words
of finished pages are kept, so memory does not grow with the page count.

Modes (`Limits.ocr_mode`): "auto" (the default) OCRs the pages with no text layer when
Tesseract is installed; "never" does not; "always" reads every page by OCR.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from statistics import median
from typing import Any

from pipeline.ingest.ocr_engine import command_env, get_engine, png
from pipeline.ingest.ocr_markers import superscript_markers
from pipeline.ingest.ocr_tables import erase_horizontal_rules, erase_rules, find_grid_tables
from pipeline.ingest.pdf_layout import OCR_FONT, Char
from pipeline.ingest.pdf_tables import PageTable

DPI = 300
PAGE_TIMEOUT_S = 120
MODES = ("auto", "never", "always")
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
# Below this mean word confidence the page may be turned: ask Tesseract's OSD.
_OSD_BELOW = 55.0
# Skew angles tried when straightening a page (degrees), and the smallest worth a rotation.
_SKEW_RANGE = 4.0
_SKEW_STEP = 0.2
_SKEW_MIN = 0.3


@cache
def ocr_available() -> bool:
    """Tesseract with the Vietnamese model."""
    if shutil.which("tesseract") is None:
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                               check=False, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in langs


@dataclass
class OcrPage:
    """What OCR made of one page."""

    page: int  # 1-based
    width: float  # points
    height: float
    chars: list[Char] = field(default_factory=list)  # one per word
    tables: list[PageTable] = field(default_factory=list)
    confidence: float | None = None  # mean word confidence, 0-100
    skew: float = 0.0  # degrees the page was turned back
    rotation: int = 0  # degrees OSD turned it
    error: str | None = None


def read_pages(render: Callable[[int], Any], pages: list[int],
               sizes: dict[int, tuple[float, float]], workers: int | None = None
               ) -> Iterator[OcrPage]:
    """OCR `pages` (1-based), in order. `render(page)` gives a greyscale PIL image at DPI; it is
    called from this thread only (pdfium is not thread-safe), the rest runs in `workers`."""
    workers = workers or max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: list[Future[OcrPage]] = []
        queue = list(pages)
        while queue or pending:
            # At most two pages waiting per worker: bounded memory on a 2,000-page scan.
            while queue and len(pending) < 2 * workers:
                page = queue.pop(0)
                try:
                    image = render(page)
                except Exception as exc:  # noqa: BLE001 - a page that cannot be rendered
                    done: Future[OcrPage] = Future()
                    w, h = sizes[page]
                    done.set_result(OcrPage(page, w, h, error=f"render: {exc}"))
                    pending.append(done)
                    continue
                pending.append(pool.submit(read_image, image, page, *sizes[page]))
            yield pending.pop(0).result()


def read_image(image: Any, page: int, width: float, height: float, dpi: int = DPI) -> OcrPage:
    """One page image -> words with boxes (points), ruled tables, confidence."""
    result = OcrPage(page, width, height)
    try:
        image, result.skew = straighten(image)
        result.tables = find_grid_tables(image, page, dpi)
        words, conf = _tesseract_words(_clean(image, result.tables, dpi), dpi)
        if conf is not None and conf < _OSD_BELOW:
            turn = _osd_rotation(image)
            if turn:
                image = image.rotate(-turn, expand=True, fillcolor=255)
                result.rotation = turn
                result.tables = find_grid_tables(image, page, dpi)
                words, conf = _tesseract_words(_clean(image, result.tables, dpi), dpi)
        words = superscript_markers(image, words, dpi)
        result.chars, result.confidence = _reread_page_number(image, words, width, dpi), conf
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _clean(image: Any, tables: list[PageTable], dpi: int) -> Any:
    """The image OCR reads: table borders and other long rules painted white."""
    if tables:
        image = erase_rules(image, tables, dpi)
    return erase_horizontal_rules(image, dpi)


def _reread_page_number(image: Any, words: list[Char], page_width: float, dpi: int
                        ) -> list[Char]:
    """A lone short word centred at the page bottom is the page number, which Tesseract's
    Vietnamese model, reading a whole block, often turns into letters ("2" -> "Ề;"): read its
    box again alone, as one line of digits, so the furniture step recognises it."""
    if not words:
        return words
    last = max(words, key=lambda c: c.baseline)
    row = [c for c in words if abs(c.baseline - last.baseline) < 0.5 * abs(last.size)]
    text = "".join(c.text for c in row)
    centre = (min(c.x0 for c in row) + max(c.x1 for c in row)) / 2
    if len(row) > 2 or len(text) > 5 or text.strip("-–. ").isdigit() \
            or abs(centre - page_width / 2) > 0.1 * page_width:
        return words
    scale = dpi / 72
    pad = int(0.5 * abs(last.size) * scale)
    box = (max(0, int(min(c.x0 for c in row) * scale) - pad),
           max(0, int(min(c.top for c in row) * scale) - pad),
           int(max(c.x1 for c in row) * scale) + pad, int(max(c.bottom for c in row) * scale) + pad)
    out = get_engine().digits(image.crop(box), dpi, PAGE_TIMEOUT_S)
    if not out.strip("-").isdigit():
        return words
    first = row[0]
    number = Char(text=out, x0=min(c.x0 for c in row), x1=max(c.x1 for c in row), top=first.top,
                  bottom=first.bottom, baseline=first.baseline, size=first.size, font=OCR_FONT,
                  bold=False, italic=False)
    return [c for c in words if c not in row] + [number]


# --------------------------------------------------------------------------- skew


def straighten(image: Any) -> tuple[Any, float]:
    """Turn the page so its text rows are horizontal: the angle whose row profile of ink is the
    sharpest (highest variance), measured on a quarter-size copy."""
    import numpy as np
    from PIL import Image

    small = image.reduce(4) if min(image.size) > 800 else image
    ink = np.asarray(small) < 128

    def sharpness(angle: float) -> float:
        turned = Image.fromarray(ink.astype(np.uint8) * 255).rotate(angle)
        rows = np.asarray(turned, dtype=np.float32).sum(axis=1)
        return float(np.var(rows))

    steps = int(_SKEW_RANGE / _SKEW_STEP)
    angles = [i * _SKEW_STEP for i in range(-steps, steps + 1)]
    best = max(angles, key=sharpness)
    if abs(best) < _SKEW_MIN:
        return image, 0.0
    turned = image.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return turned, best


def _osd_rotation(image: Any) -> int:
    """Degrees (0/90/180/270) Tesseract's orientation detection says the page is turned."""
    out = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "0", "-l", "osd"],
                         input=png(image), capture_output=True, timeout=PAGE_TIMEOUT_S,
                         env=command_env(), check=False).stdout.decode("utf-8", "replace")
    for line in out.splitlines():
        if line.startswith("Rotate:"):
            try:
                return int(line.split(":")[1]) % 360
            except ValueError:
                return 0
    return 0


# --------------------------------------------------------------------------- words


def _tesseract_words(image: Any, dpi: int) -> tuple[list[Char], float | None]:
    return words_from_tsv(get_engine().page_tsv(image, dpi, PAGE_TIMEOUT_S), dpi)


def _line_size(words: list[dict[str, str]]) -> float:
    """A line's font size (pixels), from two estimates that err in different ways, averaged.

    Ink heights: the 80th percentile of the words' heights, x 1.15 (the median word is often
    a short one without a mark or an ascender, "năm", "về", which read body lines of one size
    20% apart; the tallest alone, "giấy" from mark to tail, overshoots). Widths: the mean
    width of a character, / 0.45 em, which does not care which letters have marks. A line
    whose size seems to change starts a new paragraph or looks like a footnote, so the noise
    matters more than the bias (all lines share it)."""
    heights = sorted(int(w["height"]) for w in words)
    by_height = heights[int(0.8 * (len(heights) - 1))] * 1.15
    chars = sum(len(w["text"].strip()) for w in words)
    if not chars:
        return by_height
    by_width = sum(int(w["width"]) for w in words) / chars / 0.45
    return (by_height + by_width) / 2


def words_from_tsv(tsv: str, dpi: int) -> tuple[list[Char], float | None]:
    """Tesseract TSV -> one `Char` per word, in points, with its line's baseline and size."""
    scale = 72.0 / dpi
    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in rows:
        if row.get("level") == "5" and (row.get("text") or "").strip():
            key = (row["block_num"], row["par_num"], row["line_num"])
            lines.setdefault(key, []).append(row)
    chars: list[Char] = []
    confidences: list[float] = []
    # Word boxes are ink boxes (capitals with marks, descenders): the median height of a
    # line's words, x 1.25, is close to the font size, but varies by a few percent from line
    # to line. Sizes near the page's usual size are snapped to it, so that only a really
    # smaller run (footnotes) or bigger one (titles) stands out; a short line's estimate is
    # the noisiest, mostly upwards (a capital with a mark is half its words).
    sizes = {key: _line_size(words) * scale for key, words in lines.items()}
    usual = median(sizes.values()) if sizes else 0.0
    for key, words in lines.items():
        boxes = [(int(w["left"]), int(w["top"]), int(w["width"]), int(w["height"]))
                 for w in words]
        # The line's baseline: where the higher word bottoms sit (descenders and dots below,
        # "g", "ạ", go lower; a dash or a comma alone is rare enough to be outvoted).
        bottoms = sorted(t + h for _, t, _, h in boxes if h > 0.3 * sizes[key] / scale)
        bottoms = bottoms or sorted(t + h for _, t, _, h in boxes)
        baseline = bottoms[int(0.3 * (len(bottoms) - 1))] * scale
        size = sizes[key]
        above = 0.25 if len(words) < 4 else 0.1
        if usual and -0.1 * usual <= size - usual <= above * usual:
            size = usual
        for w, (left, top, width, height) in zip(words, boxes, strict=True):
            conf = float(w.get("conf") or -1)
            if conf >= 0:
                confidences.append(conf)
            chars.append(Char(
                text=w["text"].strip(), x0=left * scale, x1=(left + width) * scale,
                top=top * scale, bottom=(top + height) * scale, baseline=baseline,
                size=size, font=OCR_FONT, bold=False, italic=False,
            ))
    mean = sum(confidences) / len(confidences) if confidences else None
    return chars, mean
