"""Tables in a PDF: ruled tables found from the page's drawn lines, and merges across pages.

pdfplumber's lattice algorithm gets bordered tables right, but its page parse (pdfminer) costs
~0.2 s a page. So the rules are read here from pdfium's path objects (segments transformed to
page space), turned into pdfplumber-style edges, and handed to pdfplumber's own geometry
functions (merge, intersections, cells, tables), which need no page at all. The cell text is
rebuilt from our pdfium characters, so superscripts, legacy fonts and line joins behave exactly
as in the body (wrapped cell lines joined with a space).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.numbering import join_wrapped
from pipeline.ingest.pdf_layout import Char, Decoder, group_lines
from pipeline.ingest.reflow import Line, Marker, join_paragraph

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom (top-down points)

# A drawn segment within this many points of horizontal/vertical is a rule.
AXIS_TOLERANCE = 1.0
# Rules shorter than this are glyph decorations or dots, not table borders.
MIN_RULE_LENGTH = 3.0
# Pages with fewer rules than this cannot hold a table (2 x 2 at the least).
MIN_RULES = 4
# Column edges of two table parts must agree within this many points to be one table.
COLUMN_TOLERANCE = 3.0
# pdfplumber's default tolerances for snapping, joining and intersecting edges.
SNAP, JOIN, INTERSECT = 3.0, 3.0, 3.0


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


def find_ruled_tables(page: pdfium.PdfPage, page_no: int) -> list[PageTable]:
    """Bordered tables of the page, from its drawn rules (no text layout needed)."""
    edges = ruling_edges(page)
    if len(edges) < MIN_RULES:
        return []
    from pdfplumber import table as lattice  # geometry only; no pdfminer parse happens

    edges = lattice.merge_edges(edges, SNAP, SNAP, JOIN, JOIN)
    edges = [e for e in edges if max(e["width"], e["height"]) >= MIN_RULE_LENGTH]
    cells = lattice.intersections_to_cells(
        lattice.edges_to_intersections(edges, INTERSECT, INTERSECT))
    tables: list[PageTable] = []
    for group in lattice.cells_to_tables(cells):
        found = lattice.Table(None, group)
        boxes = [[tuple(c) if c is not None else None for c in row.cells] for row in found.rows]
        table = PageTable(page_no, tuple(found.bbox), boxes)  # type: ignore[arg-type]
        if _is_grid(table, page.get_width() * page.get_height()):
            tables.append(table)
    return tables


def _is_grid(table: PageTable, page_area: float) -> bool:
    """A real table has two columns at least; a big box of one or two rows is a page frame
    or a text box around body text, which must not be swallowed."""
    if not table.cell_boxes or table.n_columns < 2:
        return False
    x0, top, x1, bottom = table.bbox
    return not (len(table.cell_boxes) <= 2 and (x1 - x0) * (bottom - top) > 0.4 * page_area)


def ruling_edges(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """Horizontal and vertical segments of the page's paths, as pdfplumber edge dicts."""
    height = page.get_height()
    edges: list[dict[str, Any]] = []
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            for (x0, y0), (x1, y1) in _path_segments(obj):
                edge = _edge(x0, height - y0, x1, height - y1)
                if edge is not None:
                    edges.append(edge)
    return edges


def _path_segments(obj: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object, in page coordinates (curves are skipped)."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    segments = []
    start = prev = None
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                 matrix.b * x.value + matrix.d * y.value + matrix.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            segments.append((prev, point))
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and point != start:
            segments.append((point, start))
    return segments


def _edge(x0: float, top0: float, x1: float, top1: float) -> dict[str, Any] | None:
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = min(top0, top1), max(top0, top1)
    if bottom - top <= AXIS_TOLERANCE and right - left >= MIN_RULE_LENGTH:
        mid = (top + bottom) / 2
        return {"x0": left, "x1": right, "top": mid, "bottom": mid, "doctop": mid,
                "width": right - left, "height": 0.0, "orientation": "h", "object_type": "line"}
    if right - left <= AXIS_TOLERANCE and bottom - top >= MIN_RULE_LENGTH:
        mid = (left + right) / 2
        return {"x0": mid, "x1": mid, "top": top, "bottom": bottom, "doctop": top,
                "width": 0.0, "height": bottom - top, "orientation": "v", "object_type": "line"}
    return None


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
        joined = join_wrapped(before, text)
        shift = len(joined) - len(text.lstrip())
        for m in second.markers.get((index, c), []):
            first.markers.setdefault((last, c), []).append(
                Marker(m.start + shift, m.end + shift, m.text, m.ocr))
        first.rows[last][c] = joined
