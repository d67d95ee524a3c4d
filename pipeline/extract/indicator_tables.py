"""Indicators in tables, and the shape of a table that the totals audit shares.

Layouts recognised (each cell is read with `numbers.parse_cell`; "-" or "" is no value):
- a column per year: a header row of years ("STT | Nội dung | 2024 | 2023 | ..."): one indicator
  per numeric cell, its subject the row's label, its period the column's year;
- a row per year: a first column of years ("NĂM | SỐ HỒ SƠ | ..."): subject the column header,
  period the row's year;
- a row or column "Cộng" / "Tổng" / "Tổng cộng" holds totals: its cells are indicators too, with
  the span of the years as period;
- a table of targets ("Nội dung chỉ tiêu | Kết quả | Đánh giá"): each cell's text is read like
  body text, as targets in the "chỉ tiêu" column and results in the "kết quả" column;
- anything else: each cell's text is read like body text.
The unit comes from a "Đơn vị tính: triệu đồng" line (the paragraph before the table, its
caption, or a cell of the first row), else "count". Ragged rows are padded; merged cells (an
empty cell under a filled one) are just empty.

Offsets of "table:<i>" indicators index `references.table_text(table)`: cells joined by a tab,
rows by a newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.indicator_lexicon import lexicon
from pipeline.extract.indicators import Context, extract_indicators
from pipeline.extract.numbers import Cell, TableUnit, fold, parse_cell, table_unit
from pipeline.model import Indicator, Table

_YEAR = re.compile(r"(?:năm\s*)?((?:19|20)\d\d)", re.IGNORECASE)
_TOTAL = re.compile(r"^(?:tong cong|tong so|tong|cong)\b")
_STT = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")
_LABEL_HEADER = re.compile(r"noi dung|chi tieu|ten|danh muc|hang muc|linh vuc|don vi")


@dataclass
class Grid:
    """A table read for numbers."""

    rows: list[list[str]]  # padded to the same width
    header: int  # rows before this index are header rows
    layout: str  # "year_columns" | "year_rows" | "targets" | "other"
    label_col: int | None = None
    stt_col: int | None = None
    year_of_col: dict[int, str] = field(default_factory=dict)
    year_of_row: dict[int, str] = field(default_factory=dict)
    total_rows: list[int] = field(default_factory=list)
    total_cols: list[int] = field(default_factory=list)
    sub_rows: set[int] = field(default_factory=set)  # rows that split the numbered row above
    unit: TableUnit | None = None

    def cell(self, row: int, col: int) -> Cell | None:
        return parse_cell(self.rows[row][col])

    def label(self, row: int) -> str:
        if self.label_col is not None:
            return self.rows[row][self.label_col].strip()
        return next((c.strip() for c in self.rows[row] if c.strip() and parse_cell(c) is None),
                    "")

    def value_cols(self) -> list[int]:
        skip = {self.label_col, self.stt_col}
        if self.layout == "year_rows":
            skip.add(0)
        return [c for c in range(len(self.rows[0])) if c not in skip]


def read_grid(table: Table, unit_hint: str | None = None) -> Grid | None:
    """The table's layout, or None for an empty table."""
    rows = [list(r) for r in table.rows if any(c.strip() for c in r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    unit = table_unit(unit_hint) or table_unit(table.caption) or table_unit(" ".join(rows[0]))
    head = [fold(c.strip()) for c in rows[0]]
    grid = Grid(rows=rows, header=1, layout="other", unit=unit)
    grid.stt_col = next((i for i, h in enumerate(head) if _STT.match(h)), None)
    years = {i: m.group(1) for i, c in enumerate(rows[0]) if (m := _YEAR.fullmatch(c.strip()))}
    first_col_years = {r: m.group(1) for r in range(1, len(rows))
                       if (m := _YEAR.fullmatch(rows[r][0].strip()))}
    if len(years) >= 2:
        grid.layout = "year_columns"
        grid.year_of_col = years
        grid.label_col = next((i for i, h in enumerate(head) if _LABEL_HEADER.search(h)),
                              _text_column(rows, exclude={grid.stt_col, *years}))
    elif len(first_col_years) >= 2:
        grid.layout = "year_rows"
        grid.year_of_row = first_col_years
        grid.label_col = None
    elif any("chi tieu" in h for h in head) and any("ket qua" in h for h in head):
        grid.layout = "targets"
        grid.label_col = next(i for i, h in enumerate(head) if "chi tieu" in h)
    for r in range(grid.header, len(rows)):
        label = fold(rows[r][0].strip() or grid.label(r))
        if _TOTAL.match(label) and r not in grid.year_of_row:
            grid.total_rows.append(r)
    grid.total_cols = [c for c, h in enumerate(head) if _TOTAL.match(h)]
    if grid.stt_col is not None:
        numbered = None
        for r in range(grid.header, len(rows)):
            if r in grid.total_rows:
                continue
            if rows[r][grid.stt_col].strip():
                numbered = r
            elif numbered is not None:
                grid.sub_rows.add(r)  # the merged STT cell of item 4 covers its parts
    return grid


def _text_column(rows: list[list[str]], exclude: set[int | None]) -> int | None:
    best, best_n = None, 0
    for c in range(len(rows[0])):
        if c in exclude:
            continue
        n = sum(1 for r in rows[1:] if r[c].strip() and parse_cell(r[c]) is None)
        if n > best_n:
            best, best_n = c, n
    return best


def cell_offsets(table: Table) -> list[list[int]]:
    """Start offset of every cell inside `table_text(table)`."""
    out = []
    pos = 0
    for row in table.rows:
        starts = []
        for cell in row:
            starts.append(pos)
            pos += len(cell) + 1  # the tab, or the newline after the last cell
        out.append(starts)
        if not row:
            pos += 1
    return out


def table_indicators(table: Table, index: int, ctx: Context, section: str | None,
                     unit_hint: str | None = None) -> list[Indicator]:
    """Every indicator of one table (see the module doc)."""
    grid = read_grid(table, unit_hint)
    if grid is None:
        return []
    where = f"table:{index}"
    offsets = _offsets_by_content(table, grid)
    cell_ctx = Context(term=ctx.term, reviewed_term=ctx.reviewed_term, year=ctx.year,
                       sections=[(0, 10**9, section)] if section else [], where=where)
    if grid.layout in ("year_columns", "year_rows"):
        return _numeric(grid, offsets, where, section, ctx)
    found: list[Indicator] = []
    head = [fold(c) for c in grid.rows[0]]
    for r in range(grid.header, len(grid.rows)):
        for c, text in enumerate(grid.rows[r]):
            if not text.strip() or c == grid.stt_col:
                continue
            kind = None
            if "chi tieu" in head[c]:
                kind = "target"
            elif "ket qua" in head[c] or "thuc hien" in head[c]:
                kind = "actual"
            found.extend(extract_indicators(text, cell_ctx, kind=kind, offset=offsets[r][c]))
    return found


def _offsets_by_content(table: Table, grid: Grid) -> list[list[int]]:
    """Cell offsets for the padded, blank-row-free grid."""
    raw = cell_offsets(table)
    kept = [i for i, r in enumerate(table.rows) if any(c.strip() for c in r)]
    width = len(grid.rows[0])
    out = []
    for i in kept:
        row = raw[i] + [raw[i][-1] if raw[i] else 0] * (width - len(raw[i]))
        out.append(row)
    return out


def _numeric(grid: Grid, offsets: list[list[int]], where: str, section: str | None,
             ctx: Context) -> list[Indicator]:
    unit = grid.unit.unit if grid.unit else "count"
    scale = grid.unit.scale if grid.unit else 1.0
    unit_text = grid.unit.text if grid.unit else None
    years = sorted(set(grid.year_of_col.values()) | set(grid.year_of_row.values()))
    span = f"{years[0]}-{years[-1]}" if years else (ctx.reviewed_term or ctx.term)
    found = []
    for r in range(grid.header, len(grid.rows)):
        for c in grid.value_cols():
            cell = grid.cell(r, c)
            if cell is None:
                continue
            if grid.layout == "year_columns":
                if c not in grid.year_of_col and c not in grid.total_cols:
                    continue
                subject = grid.label(r)
                period = grid.year_of_col.get(c, span)
                if r in grid.total_rows:
                    subject = f"{subject} ({grid.rows[0][c].strip()})".strip()
            else:
                subject = grid.rows[0][c].strip()
                period = grid.year_of_row.get(r, span)
            cell_unit = cell.unit or unit
            value = cell.value * (scale if cell_unit == "VND" else 1.0)
            text = grid.rows[r][c]
            lead = len(text) - len(text.lstrip())
            start = offsets[r][c] + lead
            found.append(Indicator(
                key=lexicon().key_for("# " + fold(subject), cell_unit) if subject else None,
                subject=subject, value=value, unit=cell_unit, surface=text.strip(),
                start=start, end=start + len(text.strip()), value_max=cell.value_max,
                unit_text=unit_text if cell_unit == unit else cell.unit, kind="actual",
                period=period, section=section, where=where))
    return found
