"""Borderless tables: runs of lines whose pieces stand in the same columns, mostly numbers.

Reports often print a yearly table without borders ("2020   2921   4262"). The layout reader
already cuts a printed row where a wide gap separates two pieces, so such a table shows up as
consecutive rows cut into the same number of pieces at the same x positions. The test is
deliberately strict, so that body text is never taken for a table: three columns at least,
three rows at least, every row cut into the same columns, rows close together, and a good
share of the cells numeric.
"""

from __future__ import annotations

import re

from pipeline.ingest.pdf_tables import PageTable
from pipeline.ingest.reflow import Line

MIN_COLUMNS = 3
MIN_ROWS = 3
MIN_NUMERIC_SHARE = 0.4
# Pieces of one printed row have baselines this close (points).
SAME_ROW = 2.0
# Consecutive table rows are at most this many times the font size apart.
MAX_ROW_GAP = 2.6

_NUMERIC = re.compile(r"^[\d.,%/+\-–—() ]+$")


def find_aligned_tables(lines: list[Line], page_no: int) -> tuple[list[Line], list[PageTable]]:
    """Split `lines` (one page, reading order) into body lines and borderless tables.

    The tables' lines are taken out; the caller puts placeholders where the tables were.
    """
    rows = _rows(lines)
    body: list[Line] = []
    tables: list[PageTable] = []
    i = 0
    while i < len(rows):
        end = _table_end(rows, i)
        if end - i >= MIN_ROWS:
            tables.append(_make_table(rows[i:end], page_no))
            i = end
            continue
        body.extend(rows[i])
        i += 1
    return body, tables


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines of one printed row (same baseline) grouped, left to right."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and line.kind == "text" and rows[-1][0].kind == "text" \
                and abs(rows[-1][0].bottom - line.bottom) <= SAME_ROW:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _table_end(rows: list[list[Line]], start: int) -> int:
    """Index past the last row of a table starting at `start` (== start + 1 if none)."""
    first = rows[start]
    if len(first) < MIN_COLUMNS or first[0].kind != "text":
        return start + 1
    end = start + 1
    while end < len(rows):
        row, prev = rows[end], rows[end - 1]
        if len(row) != len(first) or row[0].kind != "text":
            break
        if row[0].bottom - prev[0].bottom > MAX_ROW_GAP * max(row[0].size, 1.0):
            break
        if not _aligned(rows[start:end], row):
            break
        end += 1
    candidate = rows[start:end]
    if end - start < MIN_ROWS or _numeric_share(candidate) < MIN_NUMERIC_SHARE:
        return start + 1
    return end


def _aligned(rows: list[list[Line]], row: list[Line]) -> bool:
    """Each piece of `row` overlaps its column and no other column, horizontally."""
    for j, piece in enumerate(row):
        left = min(r[j].x0 for r in rows)
        right = max(r[j].x1 for r in rows)
        if piece.x1 < left - 2 or piece.x0 > right + 2:
            return False
        if j + 1 < len(row) and piece.x1 >= min(r[j + 1].x0 for r in rows):
            return False
    return True


def _numeric_share(rows: list[list[Line]]) -> float:
    cells = [piece.text.strip() for row in rows for piece in row]
    return sum(bool(_NUMERIC.match(c)) for c in cells) / max(1, len(cells))


def _make_table(rows: list[list[Line]], page_no: int) -> PageTable:
    pieces = [p for row in rows for p in row]
    bbox = (min(p.x0 for p in pieces), min(p.top for p in pieces),
            max(p.x1 for p in pieces), max(p.bottom for p in pieces))
    boxes = [[(p.x0, p.top, p.x1, p.bottom) for p in row] for row in rows]
    table = PageTable(page_no, bbox, boxes)  # type: ignore[arg-type]
    table.rows = [[p.text.strip() for p in row] for row in rows]
    table.pages = [page_no]
    return table
