"""Tables in a PDF: ruled tables (pdfplumber, only on pages with rules) and merges across pages.

pdfplumber's lattice finder gets bordered tables right, but its page layout is slow, so it runs
only on pages where pdfium counted ruling paths. Only the cell boxes come from pdfplumber; the
cell text is rebuilt from our own pdfium characters, so that superscripts, legacy fonts and
line joins are handled exactly as in the body (wrapped cell lines joined with a space).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.pdf_layout import Char, Decoder, group_lines
from pipeline.ingest.reflow import Line, Marker, join_lines, join_paragraph

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom (top-down points)

# Pages with at least this many long path objects get pdfplumber's table finder.
MIN_RULING_PATHS = 4
# Column edges of two table parts must agree within this many points to be one table.
COLUMN_TOLERANCE = 3.0


@dataclass
class PageTable:
    """A table found on one page: its box, its cells' boxes and its rows of text."""

    page: int  # 1-based
    bbox: BBox
    cell_boxes: list[list[BBox | None]]
    rows: list[list[str]] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    # Superscript markers inside cells, by (row, column): footnote marker candidates.
    markers: dict[tuple[int, int], list[Marker]] = field(default_factory=dict)

    @property
    def column_edges(self) -> list[float]:
        """Left edges of the columns, from the row with the most cells."""
        widest = max(self.cell_boxes, key=lambda r: sum(b is not None for b in r))
        return [b[0] for b in widest if b is not None]

    @property
    def n_columns(self) -> int:
        return max((len(r) for r in self.cell_boxes), default=0)


class RuledTableFinder:
    """pdfplumber opened lazily, once, only if some page has rules; pages closed after use."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pdf: Any = None

    def find(self, page_index: int) -> list[PageTable]:
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(self._path)
        page = self._pdf.pages[page_index]
        try:
            found = page.find_tables()
            tables = []
            for t in found:
                boxes = [[tuple(c) if c is not None else None for c in row.cells]
                         for row in t.rows]
                if len(boxes) >= 1 and max(len(r) for r in boxes) >= 2:
                    tables.append(PageTable(page_index + 1, tuple(t.bbox), boxes))
            return tables
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def fill_cells(table: PageTable, chars: list[Char], decoder: Decoder | None) -> list[Char]:
    """Put each char inside the table into its cell's text; return the chars left outside."""
    x0, top, x1, bottom = table.bbox
    inside: list[Char] = []
    outside: list[Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        (inside if x0 <= cx <= x1 and top <= cy <= bottom else outside).append(ch)
    table.rows = []
    for r, row in enumerate(table.cell_boxes):
        texts = []
        for c, box in enumerate(row):
            text, markers = _cell_text(box, inside, table.page, decoder)
            texts.append(text)
            if markers:
                table.markers[(r, c)] = markers
        table.rows.append(texts)
    table.pages = [table.page]
    return outside


def _cell_text(box: BBox | None, chars: list[Char], page: int, decoder: Decoder | None
               ) -> tuple[str, list[Marker]]:
    """A cell's wrapped lines joined with spaces, and the superscripts found in it."""
    if box is None:
        return "", []
    x0, top, x1, bottom = box
    mine = [c for c in chars
            if x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom]
    lines = group_lines(mine, page, decoder, split=False) if mine else []
    if not lines:
        return "", []
    par = join_paragraph(lines)
    return par.text, par.markers


def placeholder(table: PageTable, index: int) -> Line:
    """A line standing for the table in the reading flow (it tells where the table sits)."""
    x0, top, x1, bottom = table.bbox
    return Line(text="", page=table.page, x0=x0, x1=x1, top=top, bottom=bottom, size=0.0,
                kind="table", table_index=index)


def continues(first: PageTable, second: PageTable) -> bool:
    """`second` (top of the next page) is the rest of `first` (bottom of its page)."""
    if second.page != first.pages[-1] + 1 or first.n_columns != second.n_columns:
        return False
    a, b = first.column_edges, second.column_edges
    if len(a) != len(b):
        return False
    return all(abs(p - q) <= COLUMN_TOLERANCE for p, q in zip(a, b, strict=True))


def merge_into(first: PageTable, second: PageTable) -> None:
    """Append `second`'s rows to `first`, dropping a repeated header row and gluing a row that
    the page break cut in two back together."""
    rows, offset = second.rows, 0
    if rows and first.rows and rows[0] == first.rows[0]:
        rows, offset = rows[1:], 1  # the header row repeated on the new page
    base = len(first.rows)
    if rows and _is_cut_row(first, rows[0]):
        _glue_row(first, second, offset)
        rows, offset = rows[1:], offset + 1
    for (r, c), markers in second.markers.items():
        if r >= offset:
            first.markers[(base + r - offset, c)] = markers
    first.rows.extend(rows)
    first.pages.append(second.page)


def _is_cut_row(first: PageTable, row: list[str]) -> bool:
    """The continuation's first row has no number where every body row of the table has one:
    it is the rest of the row the page break cut."""
    body = first.rows[1:]
    return bool(body) and not row[0].strip() and any(row) \
        and all(r[0].strip() for r in body) and len(row) == len(first.rows[-1])


def _glue_row(first: PageTable, second: PageTable, index: int) -> None:
    last = len(first.rows) - 1
    for c, text in enumerate(second.rows[index]):
        before = first.rows[last][c]
        joined = join_lines(before, text)
        shift = len(joined) - len(text.lstrip())
        for m in second.markers.get((index, c), []):
            first.markers.setdefault((last, c), []).append(
                Marker(m.start + shift, m.end + shift, m.text))
        first.rows[last][c] = joined
