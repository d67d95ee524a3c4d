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
from pipeline.ingest.reflow import Line, join_lines

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
    table.rows = [[_cell_text(box, inside, table.page, decoder) for box in row]
                  for row in table.cell_boxes]
    table.pages = [table.page]
    return outside


def _cell_text(box: BBox | None, chars: list[Char], page: int, decoder: Decoder | None) -> str:
    if box is None:
        return ""
    x0, top, x1, bottom = box
    mine = [c for c in chars
            if x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom]
    if not mine:
        return ""
    text = ""
    for line in group_lines(mine, page, decoder, split=False):
        text = join_lines(text, line.text)
    return text


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
    return len(a) == len(b) and all(abs(p - q) <= COLUMN_TOLERANCE for p, q in zip(a, b))


def merge_into(first: PageTable, second: PageTable) -> None:
    rows = second.rows
    if rows and first.rows and rows[0] == first.rows[0]:
        rows = rows[1:]  # the header row repeated on the new page
    first.rows.extend(rows)
    first.pages.append(second.page)
