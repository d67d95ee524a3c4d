"""DataFrames to files (CSV, XLSX, Parquet) that pandas, DuckDB, openpyxl and R read back,
and that are safe to open in a spreadsheet.

Safe (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return would be evaluated by Excel or LibreOffice as a formula (`=HYPERLINK(...)` leaking the
sheet, `+cmd|' /C calc'!A0` running a program). In CSV such a cell gets a leading `'`; in XLSX
every text cell is written as a string (never a formula), numbers as numbers. Parquet is not
opened by spreadsheets and keeps the text as it is.

Typed: integer columns stay integers (`11`, not `11.0`), missing values are empty cells.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

FORMATS = ("csv", "xlsx", "parquet")
XLSX_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
XLSX_ROW_LIMIT = 1_048_576
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnsafeTarget(Exception):
    """The file to write is a symbolic link: writing would change the file it points at."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(str(path))


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Index levels as columns, lists and dicts as JSON text, ready for any format."""
    out = frame.reset_index() if _has_named_index(frame) else frame.copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | dict |
                                                                         tuple)).any():
            out[col] = out[col].map(_json_cell)
        elif out[col].dtype.kind == "f" and _whole(out[col]):
            # A count that went through a float (a pivot, a join with gaps) reads as one.
            out[col] = out[col].astype("Int64")
    return out


def _whole(column: pd.Series) -> bool:
    values = column.dropna()
    return bool(len(values)) and bool((values == values.round()).all()) and bool(
        (values.abs() < 2**53).all()) and column.name not in FLOAT_COLUMNS


# Measured quantities keep their decimals even when a value happens to be whole.
FLOAT_COLUMNS = {"value", "value_max", "similarity", "score", "chi2", "p", "g2",
                 "doc_type_confidence", "confidence", "font_size", "change", "change_pct",
                 "share_of_shorter", "max_similarity"}


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _json_cell(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def refuse_links(path: Path) -> None:
    """Never write through a symbolic link (it could point at any file of the user's)."""
    if path.is_symlink():
        raise UnsafeTarget(path)


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    """Write one table; returns the path written (suffix set from `fmt`)."""
    path = path.with_suffix("." + fmt)
    refuse_links(path)
    data = flat(frame)
    if fmt == "csv":
        write_csv(data, path)
    elif fmt == "parquet":
        _replace(path)
        data.to_parquet(path, index=False)
    elif fmt == "xlsx":
        write_workbook({path.stem: data}, path)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def _replace(path: Path) -> None:
    """Remove an old regular file first: the new one is created, never written into."""
    if path.is_file() and not path.is_symlink():
        path.unlink()


def csv_safe(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise).astype(object)
    return out


def write_csv(data: pd.DataFrame, path: Path | None, bom: bool = True) -> str | None:
    """CSV, formula cells neutralised. UTF-8 with BOM for files (Excel then shows Vietnamese
    correctly; pandas, DuckDB and R skip it); `path=None` returns the text."""
    safe = csv_safe(data)
    if path is None:
        return safe.to_csv(index=False)
    refuse_links(path)
    _replace(path)
    # O_EXCL: a link planted between the check and the write is not followed.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        safe.to_csv(f, index=False)
    return None


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path,
                   widths: dict[str, Sequence[int]] | None = None) -> Path:
    """One XLSX workbook, a sheet per table: bold frozen header, filters, column widths;
    text cells written as strings, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    refuse_links(path)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        data = flat(frame)
        ws = wb.create_sheet(_sheet_name(name))
        n_cols = len(data.columns)
        ws.freeze_panes = "A2"
        rows = min(len(data), XLSX_ROW_LIMIT - 1)
        if n_cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{rows + 1}"
        for i, col in enumerate(data.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _width(data[col], col)
        header = []
        for col in data.columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        columns = [data[c].tolist() for c in data.columns]
        for r in range(rows):
            ws.append([_xlsx_cell(ws, WriteOnlyCell, col[r]) for col in columns])
    _replace(path)
    wb.save(path)
    return path


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]


def _width(column: pd.Series, name: str) -> float:
    sample = column.dropna().astype(str).head(200)
    longest = max([len(name), *(len(v) for v in sample)]) if len(sample) else len(name)
    return float(min(60, max(8, longest + 2)))


def _xlsx_cell(ws: Any, cell_type: Any, value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if not isinstance(value, str):
        return value
    value = _XLSX_ILLEGAL.sub("", value)
    # Excel truncates silently; say where it was cut instead.
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - 20] + " …[truncated]"
    cell = cell_type(ws, value=value)
    cell.data_type = "s"  # a string, even when it starts with "=": never a formula
    return cell
