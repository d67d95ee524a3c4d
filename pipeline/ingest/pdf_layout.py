"""Characters with positions and fonts from pypdfium2, grouped into printed lines.

pdfplumber's layout is 10-30x slower than reading pdfium's character table directly, so every
page goes through here; pdfplumber only sees pages with table rulings (see pdf_tables).
pdfium's character order is the content-stream order, which is not the reading order (Word and
LibreOffice write fallback-font glyphs such as "ặ" in separate runs), so lines are rebuilt from
baselines and x positions. Coordinates are converted to top-down page coordinates (like
pdfplumber) so that "top" and "bottom" mean what they say.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.reflow import PUA_BULLETS, Line, Marker

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_NAME = re.compile(r"italic|oblique", re.IGNORECASE)
# Unicode values pdfium uses for its own line breaks and for glyphs without a mapping.
_SKIP_CODES = {0x0D, 0x0A, 0x00, 0xFFFE, 0xFFFF, 0x02}
# A gap wider than this (x font size) between two glyphs of one line is a word space ...
_SPACE_GAP = 0.18
# ... and wider than this splits the line into separate segments (columns, table cells).
_SEGMENT_GAP = 2.5
# A superscript is at most this fraction of the line's size and sits above its baseline.
_SUPERSCRIPT_RATIO = 0.82

Decoder = Callable[[str, str], str]  # (text, font name) -> decoded text


@dataclass(slots=True)
class Char:
    """One glyph: its text, box (top-down), baseline, size and font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str
    bold: bool
    italic: bool


@dataclass(slots=True)
class _FontInfo:
    name: str
    bold: bool
    italic: bool


class PageText:
    """The characters of one page, read once from pdfium."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.width = page.get_width()
        self.height = page.get_height()
        self.chars = _read_chars(page, self.height)


def _font_info(raw_textpage, index: int, buf, flags, cache: dict) -> _FontInfo:  # noqa: ANN001
    pdfium_c.FPDFText_GetFontInfo(raw_textpage, index, buf, len(buf), flags)
    name_bytes = buf.value
    info = cache.get(name_bytes)
    if info is None:
        name = _SUBSET_PREFIX.sub("", name_bytes.decode("latin-1", "replace"))
        weight = pdfium_c.FPDFText_GetFontWeight(raw_textpage, index)
        info = _FontInfo(name, bool(_BOLD_NAME.search(name)) or weight >= 600,
                         bool(_ITALIC_NAME.search(name)))
        cache[name_bytes] = info
    return info


def _read_chars(page: pdfium.PdfPage, height: float) -> list[Char]:
    """All visible glyphs of the page; generated spaces and line breaks are left out."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        cache: dict[bytes, _FontInfo] = {}
        get_unicode = pdfium_c.FPDFText_GetUnicode
        get_box = pdfium_c.FPDFText_GetCharBox  # argument order: left, right, bottom, top
        get_loose_box = pdfium_c.FPDFText_GetLooseCharBox
        get_origin = pdfium_c.FPDFText_GetCharOrigin
        get_size = pdfium_c.FPDFText_GetFontSize
        chars: list[Char] = []
        for i in range(count):
            code = get_unicode(raw, i)
            if code in _SKIP_CODES:
                continue
            if code == 0x20:
                get_loose_box(raw, i, rect)
                if rect.right - rect.left < 0.01:
                    continue  # a space pdfium generated itself; we place spaces from gaps
                x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            else:
                # Tight (ink) boxes: fallback-font glyphs have loose boxes wider than their
                # advance, which hides the word gap after them ("cơ cấu" read as "cơcấu").
                get_box(raw, i, left, right, bottom, top)
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
            text = chr(code) if code < 0x110000 else "\ufffd"
            if chars and unicodedata.combining(text):
                chars[-1].text += text  # a decomposed tone mark belongs to its base letter
                continue
            get_origin(raw, i, ox, oy)
            font = _font_info(raw, i, buf, flags, cache)
            chars.append(Char(
                text=PUA_BULLETS.get(text, text), x0=x0, x1=x1,
                top=height - y1, bottom=height - y0, baseline=height - oy.value,
                size=get_size(raw, i), font=font.name, bold=font.bold, italic=font.italic,
            ))
        return chars
    finally:
        textpage.close()


def count_ruling_paths(page: pdfium.PdfPage, min_length: float = 15.0) -> int:
    """How many path objects look like table rules (long thin lines or rectangles).

    A cheap test (no text layout) that tells which pages deserve pdfplumber's table finder.
    """
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules = 0
    for i in range(count):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if max(w, h) >= min_length:
            rules += 1
    return rules


# --- lines -------------------------------------------------------------------------------------


def group_lines(chars: list[Char], page_no: int, decoder: Decoder | None = None,
                split: bool = True) -> list[Line]:
    """Printed lines (top to bottom, then left to right), superscripts folded into their line.

    With `split`, a row is cut where a wide gap separates columns (title blocks, cells).
    """
    rows = _rows_by_baseline([c for c in chars if not c.text.isspace()])
    rows = _fold_superscript_rows(rows)
    for row in rows:
        _mark_inline_superscripts(row)
    spaces = [c for c in chars if c.text.isspace()]
    lines: list[Line] = []
    for row in rows:
        for segment in _split_segments(row) if split else [row]:
            line = _make_line(segment, page_no, spaces, decoder)
            if line.text.strip():
                lines.append(line)
    return lines


def _rows_by_baseline(chars: list[Char]) -> list[list[Char]]:
    """Chars whose baselines agree (within a fraction of the size) form one row."""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        if rows:
            row = rows[-1]
            ref = row[0]
            if abs(ch.baseline - ref.baseline) <= 0.25 * max(ch.size, ref.size, 1.0):
                row.append(ch)
                continue
        rows.append([ch])
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return rows


def _row_size(row: list[Char]) -> float:
    return max(c.size for c in row)


def _fold_superscript_rows(rows: list[list[Char]]) -> list[list[Char]]:
    """Move rows of small raised glyphs (footnote markers) into the line they sit on."""
    result: list[list[Char]] = []
    pending: list[list[Char]] = []
    for row in rows:
        if _looks_superscript_row(row):
            pending.append(row)
            continue
        kept: list[list[Char]] = []
        for sup in pending:
            if _sits_on(sup, row):
                for ch in sup:
                    ch.size = -abs(ch.size)  # negative size marks a superscript glyph
                row.extend(sup)
            else:
                kept.append(sup)
        result.extend(kept)
        pending = []
        row.sort(key=lambda c: c.x0)
        result.append(row)
    result.extend(pending)
    for row in result:
        row.sort(key=lambda c: c.x0)
    return result


def _looks_superscript_row(row: list[Char]) -> bool:
    return len(row) <= 4 and all(c.text.isdigit() or c.text in "*†‡,)(" for c in row)


def _sits_on(sup: list[Char], row: list[Char]) -> bool:
    """`sup` is raised above `row`'s baseline, smaller, and horizontally inside or just after it."""
    size = _row_size(row)
    base = sum(c.baseline for c in row) / len(row)
    sup_base = sup[0].baseline
    raised = 0.05 * size < base - sup_base < 0.75 * size
    smaller = max(c.size for c in sup) <= _SUPERSCRIPT_RATIO * size
    left, right = row[0].x0, max(c.x1 for c in row)
    near = left - size <= sup[0].x0 <= right + size
    return raised and smaller and near


def _mark_inline_superscripts(row: list[Char]) -> None:
    """Small raised digits inside a row ("20251", "đề ra.1") are superscript markers."""
    normal = [c for c in row if c.size > 0]
    if len(normal) < 3:
        return
    size = max(c.size for c in normal)
    base = max(c.baseline for c in normal if c.size >= 0.9 * size)
    for ch in normal:
        if (ch.text.isdigit() or ch.text in "*†‡") and ch.size <= _SUPERSCRIPT_RATIO * size \
                and base - ch.baseline > 0.15 * size:
            ch.size = -ch.size


def _split_segments(row: list[Char]) -> list[list[Char]]:
    """Split a row where a wide gap separates two columns or table cells."""
    segments: list[list[Char]] = [[row[0]]]
    for prev, ch in zip(row, row[1:]):
        gap = ch.x0 - prev.x1
        if gap > _SEGMENT_GAP * max(abs(ch.size), abs(prev.size), 1.0) * 1.0:
            segments.append([ch])
        else:
            segments[-1].append(ch)
    return segments


def _make_line(segment: list[Char], page_no: int, spaces: list[Char],
               decoder: Decoder | None) -> Line:
    runs = _runs(segment, spaces)
    text_parts: list[str] = []
    markers: list[Marker] = []
    pos = 0
    for run_text, font, superscript in runs:
        if decoder is not None:
            run_text = decoder(run_text, font)
        if superscript:
            markers.append(Marker(pos, pos + len(run_text), run_text))
        text_parts.append(run_text)
        pos += len(run_text)
    normal = [c for c in segment if c.size > 0] or segment
    sizes: dict[float, int] = {}
    for c in normal:
        sizes[round(abs(c.size), 1)] = sizes.get(round(abs(c.size), 1), 0) + 1
    letters = [c for c in normal if not c.text.isspace()]
    return Line(
        text="".join(text_parts),
        page=page_no,
        x0=segment[0].x0,
        x1=max(c.x1 for c in segment),
        top=min(c.top for c in normal),
        bottom=max(c.baseline for c in normal),
        size=max(sizes, key=lambda s: sizes[s]),
        bold=sum(c.bold for c in letters) >= 0.8 * len(letters),
        italic=sum(c.italic for c in letters) >= 0.8 * len(letters),
        markers=markers,
    )


def _runs(segment: list[Char], spaces: list[Char]) -> list[tuple[str, str, bool]]:
    """(text, font, superscript) runs in x order, with spaces where the glyphs leave a gap."""
    runs: list[tuple[str, str, bool]] = []
    cur: list[str] = []
    cur_font, cur_sup = segment[0].font, segment[0].size < 0
    prev: Char | None = None
    for ch in segment:
        sup = ch.size < 0
        space = prev is not None and not sup and _gap_is_space(prev, ch, spaces)
        if ch.font != cur_font or sup != cur_sup:
            if space:
                cur.append(" ")
                space = False
            runs.append(("".join(cur), cur_font, cur_sup))
            cur, cur_font, cur_sup = [], ch.font, sup
        if space:
            cur.append(" ")
        cur.append(ch.text)
        prev = ch
    runs.append(("".join(cur), cur_font, cur_sup))
    return [r for r in runs if r[0]]


def _gap_is_space(prev: Char, ch: Char, spaces: list[Char]) -> bool:
    gap = ch.x0 - prev.x1
    size = max(abs(prev.size), abs(ch.size), 1.0)
    if gap > _SPACE_GAP * size:
        return True
    if gap < 0.05 * size:
        return False
    # A narrow gap: a word space only if the PDF put a real space glyph there.
    mid = (prev.x1 + ch.x0) / 2
    return any(s.x0 - 0.5 <= mid <= s.x1 + 0.5 and abs(s.baseline - ch.baseline) < 0.5 * size
               for s in spaces)
