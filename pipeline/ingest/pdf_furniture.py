"""Page furniture: running headers and footers, page numbers, footnote bodies.

Running lines are found by position and repetition together: a line is furniture only if it is
among the first or last lines of its page, sits near the page edge, and the same text (digits
masked, so "Trang 3" matches "Trang 4") comes back at about the same height on a good share of
pages. A body line that happens to repeat ("- Công tác tổ chức:") fails the position test.
Footnote bodies are the run of smaller-font lines at the bottom of a page that starts with a
number.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.ingest.numbering import is_bullet, join_wrapped, numbering_scheme
from pipeline.ingest.reflow import Column, Line
from pipeline.model import Footnote

# How far from the page edge (fraction of the page height) a running line may sit.
EDGE_BAND = 0.13
# How many lines from each end of a page are candidates.
EDGE_LINES = 3
# A running line must be on at least this share of the pages (and on 2 pages at least).
MIN_SHARE = 0.4
# Occurrences of one running line agree in height within this many points.
HEIGHT_TOLERANCE = 12.0
# A one-page document's header: in the top 7.5% of the page (a body's top margin is 20 mm or
# more, 6.7% of A4, so its first line ends lower), at most this many words, and this many
# font sizes of space below it.
HEADER_ZONE = 0.075
HEADER_MAX_WORDS = 12
HEADER_GAP = 1.5

_PAGE_NUMBER = re.compile(
    r"^(trang|page)?\s*[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(\s*(/|trên|of)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|[*†‡])(?=\s|\D)")
_TERMINAL = re.compile(r"[.;!?…)\]”\"]$")


@dataclass
class _Candidate:
    page: int
    line: Line
    where: str  # "top" | "bottom"


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _edge_candidates(page_lines: list[Line], height: float) -> list[_Candidate]:
    text = [ln for ln in page_lines if ln.kind == "text"]
    out: list[_Candidate] = []
    for ln in text[:EDGE_LINES]:
        if ln.bottom <= EDGE_BAND * height:
            out.append(_Candidate(ln.page, ln, "top"))
    for ln in text[-EDGE_LINES:]:
        if ln.top >= (1 - EDGE_BAND) * height and all(c.line is not ln for c in out):
            out.append(_Candidate(ln.page, ln, "bottom"))
    return out


def strip_running_lines(pages: list[list[Line]], heights: list[float]
                        ) -> tuple[list[str], list[str]]:
    """Remove running headers/footers and page numbers from `pages` (in place).

    Returns the distinct header and footer texts, as printed, in order of first appearance.
    """
    candidates = [c for lines, h in zip(pages, heights, strict=True)
                  for c in _edge_candidates(lines, h)]
    by_key: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_key[(c.where, _mask(c.line.text))].append(c)
    needed = max(2, math.ceil(MIN_SHARE * len(pages)))
    drop: set[int] = set()
    for group in by_key.values():
        text = group[0].line.text.lstrip()
        # A list item that happens to end two pages of a short document ("1. Mã cơ quan")
        # is body text: such a line must come back on three pages at least.
        listed = is_bullet(text) or numbering_scheme(text) is not None
        drop.update(id(c.line) for c in _running_members(group, max(needed, 3) if listed
                                                         else needed))
    for c in candidates:
        if _is_page_number(c.line.text, len(pages)):
            drop.add(id(c.line))
    if len(pages) == 1:
        drop.update(id(c.line) for c in candidates if _lone_page_header(c, pages[0], heights[0]))
    headers: list[str] = []
    footers: list[str] = []
    for c in candidates:
        if id(c.line) in drop:
            target = headers if c.where == "top" else footers
            text = " ".join(c.line.text.split())
            if text not in target:
                target.append(text)
    for i, lines in enumerate(pages):
        pages[i] = [ln for ln in lines if id(ln) not in drop]
    return headers, footers


def _lone_page_header(c: _Candidate, lines: list[Line], height: float) -> bool:
    """On a one-page document nothing repeats: a header is then told by where it stands. The
    first line, in the header zone above any usual top margin, plain (a title is bold), a few
    words, and set apart from the text below by more than a blank line, is a running header
    ("DỰ THẢO", "TÀI LIỆU PHỤC VỤ ĐẠI HỘI"). It goes to `page_headers`, not lost."""
    text = [ln for ln in lines if ln.kind == "text"]
    if c.where != "top" or len(text) < 2 or text[0] is not c.line:
        return False
    line, below = text[0], text[1]
    return (line.bottom <= HEADER_ZONE * height and not line.bold
            and len(line.text.split()) <= HEADER_MAX_WORDS
            and below.top - line.bottom >= HEADER_GAP * line.size)


def _is_page_number(text: str, n_pages: int) -> bool:
    """A lone page number ("3", "- 3 -", "Trang 3", "3/12"); a year such as "2020" alone on a
    line is body text, so the number must fit the document's page count."""
    text = text.strip()
    if not _PAGE_NUMBER.match(text):
        return False
    first = re.search(r"\d+", text)
    return first is not None and int(first.group()) <= n_pages + 10


def _running_members(group: list[_Candidate], needed: int) -> list[_Candidate]:
    """The occurrences of one masked text that sit at its usual height, if they are on enough
    pages to be a running line; an occurrence elsewhere on the page is body text."""
    heights = sorted(c.line.bottom for c in group)
    median = heights[len(heights) // 2]
    steady = [c for c in group if abs(c.line.bottom - median) <= HEIGHT_TOLERANCE]
    return steady if len({c.page for c in steady}) >= needed else []


# --- footnotes ---------------------------------------------------------------------------------


def split_footnote_lines(lines: list[Line], col: Column, continuing: bool = False
                         ) -> tuple[list[Line], list[Line]]:
    """(body lines, footnote lines): the smaller-font run at the page bottom, if it starts with
    a footnote number, or (when `continuing`, a note left unfinished on the page before) with
    the rest of that note."""
    start = len(lines)
    while start > 0 and _is_small_text(lines[start - 1], col):
        start -= 1
    if start == len(lines):
        return lines, []
    area = lines[start:]
    if not _footnote_id(area[0]) and not continuing:
        return lines, []
    return lines[:start], area


def note_is_unfinished(note: Footnote | None, page: int) -> bool:
    """The last note of the page before stops mid-sentence: its rest opens this page's area."""
    return note is not None and note.page == page - 1 \
        and not _TERMINAL.search(note.text.rstrip())


def _is_small_text(line: Line, col: Column) -> bool:
    return line.kind == "text" and line.size <= col.size - 0.9


def _footnote_id(line: Line) -> str | None:
    if line.markers and line.markers[0].start == 0 and line.markers[0].text.strip():
        return line.markers[0].text.strip()
    m = _FOOTNOTE_START.match(line.text.strip())
    return m.group(1) if m else None


def parse_footnotes(area: list[Line], previous: Footnote | None) -> list[Footnote]:
    """Footnote bodies from the lines of one page's footnote area.

    A line starts a new footnote when it begins with the next number (or a superscript);
    other lines continue the current one, so "2025 là năm ..." inside a note is not split.
    """
    notes: list[Footnote] = []
    expected = _next_id(previous.id) if previous else None
    for line in area:
        fid = _footnote_id(line)
        current = notes[-1] if notes else None
        if current is None and fid is None and previous is not None:
            previous.text = join_wrapped(previous.text, line.text)  # a note's rest, carried over
            continue
        superscript = bool(line.markers and line.markers[0].start == 0)
        is_new = fid is not None and (
            current is None or superscript or fid == _next_id(current.id) or fid == expected
        )
        if is_new and fid is not None:
            body = line.text.strip()[len(fid):] if not superscript else \
                line.text[line.markers[0].end:]
            notes.append(Footnote(id=fid, text=body.strip(), page=line.page))
            expected = None
        elif current is not None:
            current.text = join_wrapped(current.text, line.text)
    return notes


def _next_id(fid: str) -> str | None:
    return str(int(fid) + 1) if fid.isdigit() else None
