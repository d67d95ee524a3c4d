"""Footnote markers in OCR'd text: the small raised digit after a word ("chợ;¹").

Tesseract reads a whole block at the body's size, so a superscript digit comes back glued to
its word and misread ("chợ;!", "quan);ˆ", "tiêu:?", "năm 2003;'"). The word's ink tells it
apart: its rightmost glyph(s) stand clear of the rest, end well above the baseline and are as
tall as a small digit (a quotation mark or an apostrophe is shorter). Such a glyph is read
again alone, enlarged, as digits; when that gives a number, the word becomes the word and a
superscript `Char` (negative size, as the PDF reader marks superscripts), so the OCR'd page
links its markers to its footnotes the way a text PDF does. Nothing else changes: the text
keeps the digits when no footnote of that number is found.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from pipeline.ingest.ocr_engine import PSM_WORD, get_engine
from pipeline.ingest.pdf_layout import OCR_FONT, Char

# What Tesseract makes of a superscript digit read at body size (and the digits themselves).
_MISREAD = set("!?ˆ'°’‘\"”“*^`´)]¹²³⁰⁴⁵⁶⁷⁸⁹0123456789")
# A real closing quotation mark is raised too: read as one, the glyph must read as a digit.
_QUOTES = set("'’‘\"”“")
# A raised glyph: its lowest ink this far above the baseline, this tall at least (x em).
_RAISED = 0.2
_MIN_HEIGHT = 0.3
_MAX_DIGITS = 3
# Units written with a superscript power ("m2", "km3") are not footnote markers.
_UNIT = re.compile(r"(?:^|[^\w])[kcdm]?m$")
_TIMEOUT_S = 30.0


def superscript_markers(image: Any, words: list[Char], dpi: int) -> list[Char]:
    """`words` with each footnote marker found split off as a superscript Char."""
    ink = np.asarray(image) < 128
    scale = dpi / 72.0
    out: list[Char] = []
    for word in words:
        split = _raised_tail(ink, word, scale) if _candidate(word) else None
        marker = None
        if split:
            # Unreadable alone, it is still a marker: kept as Tesseract read it, it may be
            # linked by order.
            marker = _read_digits(image, word, split, scale, dpi)
            if marker is None and word.text[-1] not in _QUOTES:
                marker = _misread_tail(word.text)
        if split and marker:
            out.extend(_split(word, split / scale, marker))
        else:
            out.append(word)
    return out


def _candidate(word: Char) -> bool:
    text = word.text
    return len(text) >= 2 and text[-1] in _MISREAD and any(c.isalnum() for c in text)


def _raised_tail(ink: Any, word: Char, scale: float) -> int | None:
    """The x (pixels) where the word's raised tail begins, or None."""
    em = abs(word.size) * scale
    x0, x1 = int(word.x0 * scale), int(word.x1 * scale) + 1
    top, base = int(word.top * scale), int(word.baseline * scale)
    box = ink[max(top, 0):base + int(0.35 * em), max(x0, 0):x1]
    if box.size == 0:
        return None
    columns = box.any(axis=0)
    # Glyph runs (columns with ink), right to left.
    runs: list[tuple[int, int]] = []
    x = len(columns) - 1
    while x >= 0:
        if columns[x]:
            end = x
            while x >= 0 and columns[x]:
                x -= 1
            runs.append((x + 1, end))
        x -= 1
    tail: list[tuple[int, int]] = []
    for a, b in runs:
        rows = np.nonzero(box[:, a:b + 1].any(axis=1))[0]
        lowest, highest = top + rows[-1], top + rows[0]
        if base - lowest >= _RAISED * em and lowest - highest >= _MIN_HEIGHT * em \
                and b - a <= 0.6 * em:
            tail.append((a, b))
        else:
            break
    if not tail or len(tail) == len(runs) or len(tail) > _MAX_DIGITS:
        return None
    return x0 + tail[-1][0]


def _read_digits(image: Any, word: Char, split: int, scale: float, dpi: int) -> str | None:
    """The raised tail read alone: cropped to its own columns (a colon or a bracket beside
    it would be read into it), set on white, enlarged three times."""
    from PIL import ImageOps

    em = abs(word.size) * scale
    top = int(word.top * scale) - int(0.15 * em)
    box = (split, top, int(word.x1 * scale) + 1, int(word.baseline * scale))
    crop = ImageOps.expand(image.crop(box), border=int(0.4 * em), fill=255)
    crop = crop.resize((crop.width * 3, crop.height * 3))
    text = get_engine().digits(crop, dpi * 3, _TIMEOUT_S, psm=PSM_WORD).replace("-", "")
    return text if text.isdigit() and len(text) <= _MAX_DIGITS else None


def _misread_tail(text: str) -> str:
    cut = len(text)
    while cut > 1 and text[cut - 1] in _MISREAD and len(text) - cut < _MAX_DIGITS:
        cut -= 1
    return text[cut:]


def _split(word: Char, split: float, marker: str) -> list[Char]:
    text = word.text
    cut = len(text)
    while cut > 1 and text[cut - 1] in _MISREAD and len(text) - cut < len(marker):
        cut -= 1
    base = text[:cut]
    if _UNIT.search(base):
        return [word]
    head = Char(text=base, x0=word.x0, x1=max(word.x0, split - 0.5), top=word.top,
                bottom=word.bottom, baseline=word.baseline, size=word.size, font=OCR_FONT,
                bold=False, italic=False)
    sup = Char(text=marker, x0=split, x1=word.x1, top=word.top, bottom=word.bottom,
               baseline=word.baseline, size=-abs(word.size), font=OCR_FONT, bold=False,
               italic=False)
    return [head, sup]
