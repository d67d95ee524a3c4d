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


def _font_info(raw_textpage: Any, index: int, buf: ctypes.Array[ctypes.c_char],
               flags: ctypes.c_int, cache: dict[bytes, _FontInfo]) -> _FontInfo:
    """Font name, bold and italic of one char; the name is looked up once per font."""
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


class _AdvanceWidths:
    """Advance widths from the fonts' own width tables, looked up once per font and glyph.

    pdfium's loose box is a glyph's advance for most fonts, but for the fallback font that
    draws "Ứ", "Ầ" (the stacked-mark letters of U+1E00..) it spans the ink, which can run past
    the advance over the word space that follows ("THỨ XXV" read as "THỨXXV").
    """

    def __init__(self, raw_textpage: Any) -> None:
        self.raw = raw_textpage
        self.out = ctypes.c_float()
        self.cache: dict[tuple[str, int, float], float] = {}

    def width(self, index: int, code: int, size: float, font: str) -> float:
        key = (font, code, size)
        width = self.cache.get(key)
        if width is None:
            width = 0.0
            obj = pdfium_c.FPDFText_GetTextObject(self.raw, index)
            pdf_font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
            if pdf_font and pdfium_c.FPDFFont_GetGlyphWidth(pdf_font, code, size, self.out):
                width = self.out.value
            self.cache[key] = width
        return width


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
        advance = _AdvanceWidths(raw)
        chars: list[Char] = []
        for i in range(count):
            code = get_unicode(raw, i)
            if code in _SKIP_CODES:
                continue
            get_loose_box(raw, i, rect)
            if code == 0x20:
                if rect.right - rect.left < 0.01:
                    continue  # a space pdfium generated itself; we place spaces from gaps
                x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            else:
                # Tight (ink) boxes: fallback-font glyphs have loose boxes wider than their
                # advance, which hides the word gap after them ("cơ cấu" read as "cơcấu").
                get_box(raw, i, left, right, bottom, top)
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
            if code == _LINE_END_HYPHEN:
                code = 0x2D
            text = chr(code) if code < 0x110000 else "\ufffd"
            if chars and unicodedata.combining(text):
                chars[-1].text += text  # a decomposed tone mark belongs to its base letter
                continue
            get_origin(raw, i, ox, oy)
            font = _font_info(raw, i, buf, flags, cache)
            size = get_size(raw, i)
            ax0, ax1 = rect.left, rect.right
            if code >= _EXACT_ADVANCE_FROM:
                width = advance.width(i, code, size, font.name)
                if width > 0:
                    ax0, ax1 = ox.value, ox.value + width
            chars.append(Char(
                text=PUA_BULLETS.get(text, text), x0=x0, x1=x1,
                top=height - y1, bottom=height - y0, baseline=height - oy.value,
                size=size, font=font.name, bold=font.bold, italic=font.italic,
                ax0=ax0, ax1=ax1,
            ))
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
    segments: list[list[Char]] = [[row[0]]]
    for prev, ch in zip(row, row[1:], strict=False):
        if ch.x0 - prev.x1 > _SEGMENT_GAP * max(abs(ch.size), abs(prev.size), 1.0):
            segments.append([ch])
        else:
            segments[-1].append(ch)
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
            markers.append(Marker(pos, pos + len(run_text), run_text))
        text_parts.append(run_text)
        pos += len(run_text)
    normal = [c for c in glyphs if c.size > 0] or glyphs
    sizes = Counter(round(abs(c.size), 1) for c in normal)
    text = "".join(text_parts)
    return Line(
        text=text,
        page=page_no,
        x0=glyphs[0].x0,
        x1=max(c.x1 for c in glyphs),
        top=min(c.top for c in normal),
        bottom=max(c.baseline for c in normal),
        size=sizes.most_common(1)[0][0],
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
    for ch in segment:
        if ch.text.isspace():
            saw_space = bool(glyphs)
            continue
        space, weak = False, False
        if glyphs and ch.size > 0:  # a superscript marker is glued to its word
            prev = glyphs[-1]
            em = max(abs(prev.size), abs(ch.size), 1.0)
            gap = (ch.x0 - prev.x1) / em
            space = saw_space or gap > _SPACE_GAP
            if ch.font == OCR_FONT and prev.font == OCR_FONT:
                space = True  # an OCR "glyph" is a whole word: words part with a space
            elif space and not saw_space and gap <= _WIDE_GAP and ch.font == prev.font \
                    and _advance_gap(prev, ch) / em < _ADVANCE_SPACE:
                # Ink apart, advance boxes touching: side bearings, not a space.
                space = False
            elif not saw_space and gap <= _WIDE_GAP and ch.font != prev.font:
                # At a font switch the ink can overhang the word space (a fallback font's
                # "Ứ" before "XXV"); the advance boxes, from each font's widths, still part.
                space = _advance_gap(prev, ch) / em >= _ADVANCE_SPACE
            letters = ch.text[0].isalpha() and prev.text[0].isalpha()
            if not saw_space and gap <= _WIDE_GAP and ch.font != OCR_FONT:
                if ch.font != prev.font and (ch.text[0] in CLOSING or prev.text[0] in OPENING):
                    space = False
                elif letters and (space or ch.font != prev.font):
                    weak = True
        glyphs.append(ch)
        flags.append(space)
        soft.append(weak)
        saw_space = False
    _resolve_soft_boundaries(glyphs, flags, soft)
    return glyphs, flags


def _advance_gap(prev: Char, ch: Char) -> float:
    """Gap between the advance boxes of two glyphs of one font (see `Char.ax0`)."""
    if prev.ax1 <= prev.ax0 or ch.ax1 <= ch.ax0:
        return ch.x0 - prev.x1  # no metrics: the ink gap
    return ch.ax0 - prev.ax1


def _resolve_soft_boundaries(glyphs: list[Char], flags: list[bool], soft: list[bool]) -> None:
    """Decide font-switch boundaries inside letter runs by Vietnamese syllable shape."""
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
