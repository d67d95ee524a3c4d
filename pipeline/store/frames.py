"""The store's tables as pandas DataFrames: what comparisons, exports and reports read.

Columns keep the type SQLite stored: a column whose values are all integers is an integer
column (pandas' nullable `Int64`, so `pages` is 11, not 11.0, even with gaps); text stays text
(the feature "nan" of "nan giải" is a string, not a missing value).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from functools import cached_property
from typing import Any

import pandas as pd

from pipeline.model import Meta

DOCUMENT_COLUMNS = ("id AS doc_id, source, sha256, format, pages, n_words, unit, unit_level,"
                    " parent, province, term, year, date, doc_type, draft, doc_type_confidence,"
                    " (SELECT count(*) FROM files f WHERE f.doc_id = documents.id) AS n_files,"
                    " analyzed_at, daihoi_version")

QUERIES = {
    "documents": f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY id",
    "files": "SELECT doc_id, source, path, format, sha256, size, pages, analysed, analyzed_at,"
             " daihoi_version FROM files ORDER BY doc_id, analysed DESC, id",
    "paragraphs": "SELECT id AS paragraph_id, doc_id, idx, section, is_heading, kind, page,"
                  " start, \"end\", text FROM paragraphs ORDER BY doc_id, idx",
    "sections": "SELECT * FROM sections ORDER BY doc_id, idx",
    "references": "SELECT * FROM doc_references ORDER BY doc_id, idx",
    "indicators": "SELECT * FROM indicators ORDER BY doc_id, idx",
    "findings": "SELECT * FROM findings ORDER BY doc_id, idx",
    "tables": "SELECT doc_id, idx, page, pages, after_block, n_rows, n_cols, rows"
              " FROM doc_tables ORDER BY doc_id, idx",
    "table_cells": "SELECT * FROM table_cells ORDER BY doc_id, table_idx, row, col",
    "footnotes": "SELECT * FROM footnotes ORDER BY doc_id, idx",
    "ingest_errors": "SELECT * FROM ingest_errors ORDER BY source",
}


def typed_frame(cursor: sqlite3.Cursor) -> pd.DataFrame:
    """A query's rows as a DataFrame, each column typed from the values SQLite returned."""
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=False)
    for name in names:
        frame[name] = _typed(frame[name])
    return frame


def _typed(column: pd.Series) -> pd.Series:
    # infer_dtype looks at the values themselves (in C): SQLite gives int for INTEGER values.
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind == "integer":
        # Plain int64 when nothing is missing (what numpy code expects), else nullable Int64.
        return column.astype("Int64" if column.isna().any() else "int64")
    if kind in ("floating", "mixed-integer-float"):
        return column.astype("float64")
    if kind == "empty":
        return column.astype(object)
    return column


class Frames:
    """Each table read once, on first use: `Frames(conn).documents`, `.paragraphs`, ..."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def read(self, name: str) -> pd.DataFrame:
        frame = typed_frame(self.conn.execute(QUERIES[name]))
        if name == "documents":
            frame["draft"] = frame["draft"].map({1: True, 0: False}).astype("object")
            frame = self._with_meta(frame)
        return frame

    def _with_meta(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Every field of each document's `meta` (reviewed_term, issuer, signer, ...), also
        those without a column of their own in the store."""
        metas: dict[int, dict[str, Any]] = {}
        for doc_id, meta_json in self.conn.execute(
                "SELECT id, json_extract(record, '$.meta') FROM documents"):
            metas[int(doc_id)] = json.loads(meta_json) if meta_json else {}
        keys = [f.name for f in fields(Meta)]
        keys += sorted({k for m in metas.values() for k in m} - set(keys))
        at = list(frame.columns).index("doc_type_confidence") + 1
        for key in (k for k in keys if k not in frame.columns):
            column = pd.Series([metas.get(int(d), {}).get(key) for d in frame["doc_id"]],
                               index=frame.index, dtype=object)
            frame.insert(at, key, _typed(column))
            at += 1
        return frame

    @cached_property
    def documents(self) -> pd.DataFrame:
        return self.read("documents")

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        return self.read("paragraphs")

    @cached_property
    def sections(self) -> pd.DataFrame:
        return self.read("sections")

    @cached_property
    def references(self) -> pd.DataFrame:
        return self.read("references")

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return self.read("indicators")

    @cached_property
    def findings(self) -> pd.DataFrame:
        return self.read("findings")
