"""DataFrames to files (CSV, XLSX, Parquet) that pandas, DuckDB, openpyxl and R read back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

FORMATS = ("csv", "xlsx", "parquet")
XLSX_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Index levels as columns, lists and dicts as JSON text, ready for any format."""
    out = frame.reset_index() if _has_named_index(frame) else frame.copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | dict |
                                                                         tuple)).any():
            out[col] = out[col].map(_json_cell)
    return out


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _json_cell(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    """Write one table; returns the path written (suffix set from `fmt`)."""
    path = path.with_suffix("." + fmt)
    data = flat(frame)
    if fmt == "csv":
        # UTF-8 with BOM: Excel then shows Vietnamese correctly; pandas, DuckDB and R skip it.
        data.to_csv(path, index=False, encoding="utf-8-sig")
    elif fmt == "parquet":
        data.to_parquet(path, index=False)
    elif fmt == "xlsx":
        for col in data.columns:
            if data[col].dtype == object:
                data[col] = data[col].map(_xlsx_cell)
        data.to_excel(path, index=False, engine="openpyxl")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def _xlsx_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _XLSX_ILLEGAL.sub("", value)
    # Excel truncates silently; say where it was cut instead.
    if len(value) > XLSX_CELL_LIMIT:
        return value[: XLSX_CELL_LIMIT - 20] + " …[truncated]"
    return value
