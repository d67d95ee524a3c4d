"""The store's tables as pandas DataFrames: what comparisons, exports and reports read."""

from __future__ import annotations

import sqlite3
from functools import cached_property

import pandas as pd

DOCUMENT_COLUMNS = ("id AS doc_id, source, sha256, format, pages, n_words, unit, unit_level,"
                    " parent, province, term, year, date, doc_type, draft, doc_type_confidence,"
                    " analyzed_at, daihoi_version")

QUERIES = {
    "documents": f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY id",
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


class Frames:
    """Each table read once, on first use: `Frames(conn).documents`, `.paragraphs`, ..."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def read(self, name: str) -> pd.DataFrame:
        frame = pd.read_sql_query(QUERIES[name], self.conn)
        if name == "documents":
            frame["draft"] = frame["draft"].map({1: True, 0: False}).astype("object")
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
