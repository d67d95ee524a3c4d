"""Characters with positions and fonts from pypdfium2, grouped into printed lines.

pdfplumber's layout is 3-10x slower than reading pdfium's character table directly, so every
page goes through here (pdfplumber only lends its table geometry, see pdf_tables).
pdfium's character order is the content-stream order, which is not the reading order (Word and
LibreOffice write fallback-font glyphs such as "ặ" in separate runs), so lines are rebuilt from
baselines and x positions. Coordinates are converted to top-down page coordinates (like
pdfplumber) so that "top" and "bottom" mean what they say.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.pdf_columns import split_columns
from pipeline.ingest.pdf_words import CLOSING, OPENING, split_syllables
from pipeline.ingest.reflow import PUA_BULLETS, Line, Marker

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_NAME = re.compile(r"italic|oblique", re.IGNORECASE)
# Unicode values pdfium uses for its own line breaks and for glyphs without a mapping.
# (pdfium also inserts "generated" spaces, zero-width, which are dropped below: they appear
# wherever a fallback-font run was cut out, inside words as well as between them.)
_SKIP_CODES = {0x0D, 0x0A, 0x00, 0xFFFE, 0xFFFF}
# pdfium reports a hyphen that ends a line as 0x02; it is a printed hyphen ("hoat-" / "dong").
_LINE_END_HYPHEN = 0x02
# A gap wider than _SPACE_GAP (x font size) between two glyphs is probably a word space, one
# wider than _WIDE_GAP surely is ...
_SPACE_GAP = 0.18
_WIDE_GAP = 0.6
# Between glyphs of one font, advance boxes this far apart (x font size) at least: a space
# (the narrowest space glyph of a text font is ~0.2 em; justification only widens it).
_ADVANCE_SPACE = 0.1
# ... and wider than this splits the line into separate segments (columns, table cells).
_SEGMENT_GAP = 2.5
# An empty vertical strip this wide (x font size) down several rows separates two columns.
_GUTTER = 1.5
# A row under a side-by-side block with text on one side only belongs to it if this short.
_TRAILING_ROW_CHARS = 25
# A superscript is at most this fraction of the line's size and sits above its baseline.
_SUPERSCRIPT_RATIO = 0.82
# Glyphs from here up (Ơ, Ư and the stacked-mark letters of Latin Extended Additional) are the
# ones a fallback font draws; their advances are read from the font's width table.
_EXACT_ADVANCE_FROM = 0x1A0

Decoder = Callable[[str, str], str]  # (text, font name) -> decoded text
# The font name of the words an OCR engine read (pipeline.ingest.ocr makes one Char per word).
OCR_FONT = "ocr"


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
    # The glyph's advance box (origin to origin + advance width) from the font's metrics: two
    # letters of one word touch there whatever their ink, so the gap between advance boxes
    # tells a word space from side bearings (sans-serif ". ", monospace "3 . 828").
    ax0: float = 0.0
    ax1: float = 0.0


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


def _prototype(func: Any, restype: Any, *argtypes: Any) -> Any:
    """`func` from pdfium with plain pointer arguments: ctypes then skips the per-call type
    checks of pypdfium2's typed signatures (a third of the cost of a call)."""
    return ctypes.cast(func, ctypes.CFUNCTYPE(restype, *argtypes))


_VP, _INT, _DBL = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_GET_OBJECT = _prototype(pdfium_c.FPDFText_GetTextObject, _VP, _VP, _INT)
_GET_BOX = _prototype(pdfium_c.FPDFText_GetCharBox, _INT, _VP, _INT, _VP, _VP, _VP, _VP)
_GET_LOOSE_BOX = _prototype(pdfium_c.FPDFText_GetLooseCharBox, _INT, _VP, _INT, _VP)
_GET_ORIGIN = _prototype(pdfium_c.FPDFText_GetCharOrigin, _INT, _VP, _INT, _VP, _VP)
_GET_SIZE = _prototype(pdfium_c.FPDFText_GetFontSize, _DBL, _VP, _INT)
_GET_FONT_INFO = _prototype(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, _VP, _INT, _VP,
                            ctypes.c_ulong, _VP)
_GET_WEIGHT = _prototype(pdfium_c.FPDFText_GetFontWeight, _INT, _VP, _INT)
_GET_FONT = _prototype(pdfium_c.FPDFTextObj_GetFont, _VP, _VP)
_GET_GLYPH_WIDTH = _prototype(pdfium_c.FPDFFont_GetGlyphWidth, _INT, _VP, ctypes.c_uint32,
                              ctypes.c_float, _VP)
_GET_TEXT = _prototype(pdfium_c.FPDFText_GetText, _INT, _VP, _INT, _INT, _VP)
_GET_UNICODE = _prototype(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _VP, _INT)


class _Fonts:
    """Font name, bold, italic and size of each char, looked up once per text object (a run
    of glyphs drawn with one font and size), and advance widths once per font and glyph."""

    def __init__(self, raw: int) -> None:
        self.raw = raw
        self.buf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.width_out = ctypes.c_float()
        self.by_object: dict[int | None, tuple[_FontInfo, float]] = {}
        self.by_name: dict[bytes, _FontInfo] = {}
        self.widths: dict[tuple[str, int, float], float] = {}

    def of(self, index: int, obj: int | None) -> tuple[_FontInfo, float]:
        """Font and size of char `index`, drawn by text object `obj`."""
        found = self.by_object.get(obj) if obj else None
        if found is None:
            found = (self._info(index), _GET_SIZE(self.raw, index))
            if obj:
                self.by_object[obj] = found
        return found

    def _info(self, index: int) -> _FontInfo:
        _GET_FONT_INFO(self.raw, index, self.buf, len(self.buf), ctypes.byref(self.flags))
        name_bytes = self.buf.value
        info = self.by_name.get(name_bytes)
        if info is None:
            name = _SUBSET_PREFIX.sub("", name_bytes.decode("latin-1", "replace"))
            weight = _GET_WEIGHT(self.raw, index)
            info = _FontInfo(name, bool(_BOLD_NAME.search(name)) or weight >= 600,
                             bool(_ITALIC_NAME.search(name)))
            self.by_name[name_bytes] = info
        return info

    def advance(self, obj: int | None, code: int, size: float, font: str) -> float:
        """The glyph's advance width from its font's width table (0 when unknown).

        pdfium's loose box is a glyph's advance for most fonts, but for the fallback font
        that draws "Ứ", "Ầ" (the stacked-mark letters of U+1E00..) it spans the ink, which can
        run past the advance over the word space that follows ("THỨ XXV" read as "THỨXXV").
        """
        key = (font, code, size)
        width = self.widths.get(key)
        if width is None:
            width = 0.0
            pdf_font = _GET_FONT(obj) if obj else None
            if pdf_font and _GET_GLYPH_WIDTH(pdf_font, code, size,
                                             ctypes.byref(self.width_out)):
                width = self.width_out.value
            self.widths[key] = width
        return width


def _page_codes(raw: int, count: int) -> list[int]:
    """Every char's Unicode value, in one call (one per char when a value lies beyond the BMP
    and the UTF-16 text no longer lines up with the char indices)."""
    buf = ctypes.create_string_buffer(2 * (count + 1))
    written = _GET_TEXT(raw, 0, count, buf)
    units = memoryview(buf.raw).cast("H")[: max(written - 1, 0)].tolist()
    if len(units) == count and not any(0xD800 <= u < 0xE000 for u in units):
        # The page text shows a line-end hyphen (0x02, see _LINE_END_HYPHEN) as 0xFFFE.
        if 0xFFFE in units:
            units = [_GET_UNICODE(raw, i) if u == 0xFFFE else u for i, u in enumerate(units)]
        return units
    return [_GET_UNICODE(raw, i) for i in range(count)]


def _read_chars(page: pdfium.PdfPage, height: float) -> list[Char]:
    """All visible glyphs of the page; generated spaces and line breaks are left out."""
    textpage = page.get_textpage()
    try:
        raw = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        count = pdfium_c.FPDFText_CountChars(textpage.raw)
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        p_rect, p_ox, p_oy = (ctypes.addressof(v) for v in (rect, ox, oy))
        p_box = [ctypes.addressof(v) for v in (left, right, bottom, top)]
        fonts = _Fonts(raw)
        skip = _SKIP_CODES
        chars: list[Char] = []
        append = chars.append
        last_obj: int | None = None
        font, size = _FontInfo("", False, False), 0.0
        for i, code in enumerate(_page_codes(raw, count)):
            if code in skip:
                continue
            _GET_LOOSE_BOX(raw, i, p_rect)
            if code == 0x20:
                if rect.right - rect.left < 0.01:
                    continue  # a space pdfium generated itself; we place spaces from gaps
                x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            else:
                # Tight (ink) boxes: fallback-font glyphs have loose boxes wider than their
                # advance, which hides the word gap after them ("cơ cấu" read as "cơcấu").
                _GET_BOX(raw, i, *p_box)  # argument order: left, right, bottom, top
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
            if code == _LINE_END_HYPHEN:
                code = 0x2D
            text = chr(code) if code < 0x110000 else "\ufffd"
            if code >= 0x300 and chars and unicodedata.combining(text):
                chars[-1].text += text  # a decomposed tone mark belongs to its base letter
                continue
            _GET_ORIGIN(raw, i, p_ox, p_oy)
            obj = _GET_OBJECT(raw, i)
            if obj != last_obj or not obj:  # glyphs of one text object share font and size
                font, size = fonts.of(i, obj)
                last_obj = obj
            ax0, ax1 = rect.left, rect.right
            if code >= _EXACT_ADVANCE_FROM:
                width = fonts.advance(obj, code, size, font.name)
                if width > 0:
                    ax0, ax1 = ox.value, ox.value + width
            append(Char(PUA_BULLETS.get(text, text), x0, x1, height - y1, height - y0,
                        height - oy.value, size, font.name, font.bold, font.italic, ax0, ax1))
        return chars
    finally:
        textpage.close()


# --- lines -------------------------------------------------------------------------------------


def group_lines(chars: list[Char], page_no: int, decoder: Decoder | None = None,
                split: bool = True, page_width: float | None = None) -> list[Line]:
    """Printed lines in reading order, superscripts folded into their line.

    With `split`, text columns are read one after the other (pdf_columns) and a row is cut
    where a wide gap separates side-by-side parts (title blocks, cells).
    """
    rows = _fold_superscript_rows(_rows_by_baseline(chars))
    for row in rows:
        _mark_inline_superscripts(row)
    if not split:
        return _lines_of(rows, [0] * len(rows), page_no, decoder, split=False)
    lines: list[Line] = []
    for band in split_columns(rows, page_width or _text_width(chars)):
        if band.frame is None:
            band_rows, sides = _order_side_by_side(band.rows)
            lines.extend(_lines_of(band_rows, sides, page_no, decoder, split=True))
        else:
            # One column of a multi-column page: its rows are whole lines of that column.
            for line in _lines_of(band.rows, [0] * len(band.rows), page_no, decoder, False):
                line.frame = band.frame
                lines.append(line)
    return lines


def _text_width(chars: list[Char]) -> float:
    return max((c.x1 for c in chars), default=0.0) - min((c.x0 for c in chars), default=0.0)


def _lines_of(rows: list[list[Char]], sides: list[int], page_no: int, decoder: Decoder | None,
              split: bool) -> list[Line]:
    lines: list[Line] = []
    for row, side in zip(rows, sides, strict=True):
        for segment in _split_segments(row) if split else [row]:
            glyphs = [c for c in segment if not c.text.isspace()]
            if glyphs:
                line = _make_line(segment, glyphs, page_no, decoder)
                line.side = side
                lines.append(line)
    return lines


def _rows_by_baseline(chars: list[Char]) -> list[list[Char]]:
    """Chars whose baselines agree (within a fraction of the size) form one row."""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        if rows:
            ref = rows[-1][0]
            if abs(ch.baseline - ref.baseline) <= 0.25 * max(ch.size, ref.size, 1.0):
                rows[-1].append(ch)
                continue
        rows.append([ch])
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return [row for row in rows if any(not c.text.isspace() for c in row)]


def _fold_superscript_rows(rows: list[list[Char]]) -> list[list[Char]]:
    """Move a row of small raised glyphs (a footnote marker) into the line it sits on."""
    result: list[list[Char]] = []
    for i, row in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None and _looks_superscript_row(row) and _sits_on(row, below):
            for ch in row:
                ch.size = -abs(ch.size)  # negative size marks a superscript glyph
            below.extend(c for c in row if not c.text.isspace())
            below.sort(key=lambda c: c.x0)
            continue
        result.append(row)
    return result


def _looks_superscript_row(row: list[Char]) -> bool:
    glyphs = [c for c in row if not c.text.isspace()]
    return 0 < len(glyphs) <= 4 and all(c.text.isdigit() or c.text in "*†‡" for c in glyphs)


def _sits_on(sup: list[Char], row: list[Char]) -> bool:
    """`sup` is raised above `row`'s baseline, smaller, and horizontally inside or just after it."""
    glyphs = [c for c in row if not c.text.isspace()]
    if not glyphs:
        return False
    size = max(c.size for c in glyphs)
    base = sum(c.baseline for c in glyphs) / len(glyphs)
    raised = 0.05 * size < base - sup[0].baseline < 0.75 * size
    smaller = max(c.size for c in sup) <= _SUPERSCRIPT_RATIO * size
    near = glyphs[0].x0 - size <= sup[0].x0 <= max(c.x1 for c in glyphs) + size
    return raised and smaller and near


def _mark_inline_superscripts(row: list[Char]) -> None:
    """Small raised digits inside a row ("20251", "đề ra.1") are superscript markers."""
    normal = [c for c in row if c.size > 0 and not c.text.isspace()]
    if len(normal) < 3:
        return
    size = max(c.size for c in normal)
    base = max(c.baseline for c in normal if c.size >= 0.9 * size)
    for ch in normal:
        if (ch.text.isdigit() or ch.text in "*†‡") and ch.size <= _SUPERSCRIPT_RATIO * size \
                and base - ch.baseline > 0.15 * size:
            ch.size = -ch.size


def _order_side_by_side(rows: list[list[Char]]) -> tuple[list[list[Char]], list[int]]:
    """Read side-by-side blocks column by column; also say which side each row came from.

    The title block of a report ("ĐẢNG BỘ ..." beside "ĐẢNG CỘNG SẢN VIỆT NAM", then "*" beside
    "Hà Nội, ngày ...") and the signature block ("Nơi nhận:" beside "T/M BAN CHẤP HÀNH") are
    two columns printed row by row: a run of rows that share one empty vertical strip, with text
    on both sides of it in two rows at least, is emitted left part first (side 1), then right
    part (side 2). A run with two such strips or more is a table and is left alone.
    """
    sizes = [max(abs(c.size) for c in row) for row in rows]
    strips = [_free_strips(row, size) for row, size in zip(rows, sizes, strict=True)]
    out: list[list[Char]] = []
    sides: list[int] = []
    i = 0
    while i < len(rows):
        end, gutter = _side_by_side_run(rows, strips, sizes[i], i)
        if gutter is None:
            out.append(rows[i])
            sides.append(0)
            i += 1
            continue
        run = rows[i:end]
        lefts = [left for row in run if (left := [c for c in row if c.x1 <= gutter])]
        rights = [right for row in run if (right := [c for c in row if c.x0 >= gutter])]
        out.extend(lefts + rights)
        sides.extend([1] * len(lefts) + [2] * len(rights))
        i = end
    return out, sides


def _side_by_side_run(rows: list[list[Char]], strips: list[list[tuple[float, float]]],
                      size: float, start: int) -> tuple[int, float | None]:
    """(end, gutter x) of the longest side-by-side run starting at `start`, or (start, None).

    After the last row with text on both sides, one short row more may belong to the block
    (the "*" under the unit's name); a longer one is the document's own text.
    """
    free = strips[start]
    best: tuple[int, float | None] = (start, None)
    last_both = -1
    end = start + 1
    while end < len(rows):
        if rows[end][0].baseline - rows[end - 1][0].baseline > 3.0 * size:
            break
        free = _intersect(free, strips[end], _GUTTER * size)
        end += 1
        inner = [g for g in free if g[0] > -1e8 and g[1] < 1e8]
        if not inner:
            break  # body text: no strip stays empty between the text of these rows
        if len(inner) > 1:
            continue
        gutter = (inner[0][0] + inner[0][1]) / 2
        both = [k for k in range(start, end)
                if any(c.x1 <= gutter for c in rows[k]) and any(c.x0 >= gutter for c in rows[k])]
        if len(both) < 2 or both[0] != start:
            continue  # a block starts with text on both sides (not with a paragraph's tail)
        if both[-1] == end - 1:
            best, last_both = (end, gutter), end - 1
        elif end - 1 == last_both + 1 and len(rows[end - 1]) <= _TRAILING_ROW_CHARS:
            best = (end, gutter)
    return best


def _free_strips(row: list[Char], size: float) -> list[tuple[float, float]]:
    """Horizontal intervals of the row with no glyph, as wide as a gutter at least."""
    strips: list[tuple[float, float]] = []
    edge = -1e9
    for c in sorted((c for c in row if not c.text.isspace()), key=lambda c: c.x0):
        if c.x0 - edge >= _GUTTER * size:
            strips.append((edge, c.x0))
        edge = max(edge, c.x1)
    strips.append((edge, 1e9))
    return strips


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]], width: float
               ) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                out.append((lo, hi))
    return out


def _split_segments(row: list[Char]) -> list[list[Char]]:
    """Split a row where a wide empty gap separates two columns or table cells."""
    segment = [row[0]]
    segments: list[list[Char]] = [segment]
    prev = row[0]
    prev_size = abs(prev.size)
    for ch in row[1:]:
        size = abs(ch.size)
        em = max(size, prev_size, 1.0)
        if ch.x0 - prev.x1 > _SEGMENT_GAP * em:
            segment = [ch]
            segments.append(segment)
        else:
            segment.append(ch)
        prev, prev_size = ch, size
    return segments


def _make_line(segment: list[Char], glyphs: list[Char], page_no: int,
               decoder: Decoder | None) -> Line:
    text_parts: list[str] = []
    markers: list[Marker] = []
    pos = 0
    for run_text, font, superscript in _runs(segment):
        if decoder is not None:
            run_text = decoder(run_text, font)
        if superscript:
            markers.append(Marker(pos, pos + len(run_text), run_text, font == OCR_FONT))
        text_parts.append(run_text)
        pos += len(run_text)
    normal = [c for c in glyphs if c.size > 0] or glyphs
    if len({c.size for c in normal}) == 1:
        size = round(abs(normal[0].size), 1)
    else:
        size = Counter(round(abs(c.size), 1) for c in normal).most_common(1)[0][0]
    text = "".join(text_parts)
    return Line(
        text=text,
        page=page_no,
        x0=glyphs[0].x0,
        x1=max(c.x1 for c in glyphs),
        top=min(c.top for c in normal),
        bottom=max(c.baseline for c in normal),
        size=size,
        bold=sum(c.bold for c in normal) >= 0.8 * len(normal),
        italic=sum(c.italic for c in normal) >= 0.8 * len(normal),
        markers=markers,
        lead_width=_lead_width(text, glyphs),
    )


def _lead_width(text: str, glyphs: list[Char]) -> float:
    """Printed width of the line's first word (its glyphs are the first ones in x order)."""
    stripped = text.lstrip()
    want = len(stripped.split(" ", 1)[0])
    seen = 0
    for ch in glyphs:
        seen += len(ch.text)
        if seen >= want:
            return ch.x1 - glyphs[0].x0
    return glyphs[-1].x1 - glyphs[0].x0


def _runs(segment: list[Char]) -> list[tuple[str, str, bool]]:
    """(text, font, superscript) runs of the glyphs in x order, with spaces where words part."""
    glyphs, flags = _space_flags(segment)
    runs: list[tuple[str, str, bool]] = []
    cur: list[str] = []
    cur_font, cur_sup = glyphs[0].font, glyphs[0].size < 0
    for ch, space in zip(glyphs, flags, strict=True):
        sup = ch.size < 0
        if ch.font != cur_font or sup != cur_sup:
            # The space goes with the new run, so a superscript marker's text stays bare.
            runs.append(("".join(cur), cur_font, cur_sup))
            cur, cur_font, cur_sup = [], ch.font, sup
        if space:
            cur.append(" ")
        cur.append(ch.text)
    runs.append(("".join(cur), cur_font, cur_sup))
    return [r for r in runs if r[0]]


def _space_flags(segment: list[Char]) -> tuple[list[Char], list[bool]]:
    """The glyphs of `segment` and, for each, whether a word space goes before it.

    A space glyph or a wide gap is a sure word space. A middling gap without a glyph, or a
    font switch, is only a hint: such boundaries between letters are settled by Vietnamese
    syllable shape (see pdf_words), falling back on the gap.
    """
    glyphs: list[Char] = []
    flags: list[bool] = []
    soft: list[bool] = []
    saw_space = False
    prev: Char | None = None
    for ch in segment:
        if ch.text.isspace():
            saw_space = prev is not None
            continue
        space, weak = False, False
        size = ch.size
        if prev is not None and size > 0:  # a superscript marker is glued to its word
            em = max(abs(prev.size), size, 1.0)
            gap = (ch.x0 - prev.x1) / em
            space = saw_space or gap > _SPACE_GAP
            font, prev_font = ch.font, prev.font
            if font == OCR_FONT and prev_font == OCR_FONT:
                space = True  # an OCR "glyph" is a whole word: words part with a space
            elif not saw_space and gap <= _WIDE_GAP:
                if font == prev_font:
                    if space and _advance_gap(prev, ch) / em < _ADVANCE_SPACE:
                        # Ink apart, advance boxes touching: side bearings, not a space.
                        space = False
                else:
                    # At a font switch the ink can overhang the word space (a fallback
                    # font's "Ứ" before "XXV"); the advance boxes, from each font's widths,
                    # still part.
                    space = _advance_gap(prev, ch) / em >= _ADVANCE_SPACE
            if not saw_space and gap <= _WIDE_GAP and font != OCR_FONT:
                first, prev_first = ch.text[0], prev.text[0]
                if font != prev_font and (first in CLOSING or prev_first in OPENING):
                    space = False
                elif (space or font != prev_font) and first.isalpha() and prev_first.isalpha():
                    weak = True
        glyphs.append(ch)
        flags.append(space)
        soft.append(weak)
        saw_space = False
        prev = ch
    _resolve_soft_boundaries(glyphs, flags, soft)
    return glyphs, flags


def _advance_gap(prev: Char, ch: Char) -> float:
    """Gap between the advance boxes of two glyphs of one font (see `Char.ax0`)."""
    if prev.ax1 <= prev.ax0 or ch.ax1 <= ch.ax0:
        return ch.x0 - prev.x1  # no metrics: the ink gap
    return ch.ax0 - prev.ax1


def _resolve_soft_boundaries(glyphs: list[Char], flags: list[bool], soft: list[bool]) -> None:
    """Decide font-switch boundaries inside letter runs by Vietnamese syllable shape."""
    if True not in soft:
        return
    i, n = 0, len(glyphs)
    while i < n:
        if not glyphs[i].text[0].isalpha():
            i += 1
            continue
        j = i + 1
        cuts: list[int] = []
        while j < n and glyphs[j].text[0].isalpha() and glyphs[j].size > 0 \
                and (soft[j] or not flags[j]):
            if soft[j]:
                cuts.append(j)
            j += 1
        if cuts:
            bounds = [i, *cuts, j]
            pieces = ["".join(c.text for c in glyphs[a:b])
                      for a, b in zip(bounds, bounds[1:], strict=False)]
            gaps = [glyphs[c].x0 - glyphs[c - 1].x1 for c in cuts]
            decided = split_syllables(pieces, gaps)
            if decided is not None:
                for cut, space in zip(cuts, decided, strict=True):
                    flags[cut] = space
        i = j
