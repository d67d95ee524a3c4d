"""`daihoi export`: one file per table that pandas, DuckDB and openpyxl read back, a
document-feature matrix for quanteda, and no writing into a non-empty folder without --force."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from corpus_fixtures import corpus_store, daihoi

from pipeline.store.export import DFM_FILES, TABLES, export, read_back

COUNTS = {"documents": "documents", "paragraphs": "paragraphs", "sections": "sections",
          "references": "doc_references", "indicators": "indicators", "findings": "findings",
          "tables": "doc_tables", "table_cells": "table_cells", "footnotes": "footnotes",
          "ingest_errors": "ingest_errors"}


def _store_counts() -> dict[str, int]:
    con = sqlite3.connect(corpus_store())
    counts = {name: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
              for name, table in COUNTS.items()}
    con.close()
    return counts


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_every_table_is_one_file_that_tools_read_back(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / fmt
    done = export(corpus_store(), out, fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.{fmt}" for t in TABLES] + list(DFM_FILES))
    counts = _store_counts()
    assert done.rows == counts
    for table in TABLES:
        path = out / f"{table}.{fmt}"
        assert len(read_back(path)) == counts[table], table
        if fmt == "parquet":
            assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(counts[table],)]
        elif fmt == "csv" and counts[table]:
            assert duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall() == [
                (counts[table],)]
        elif fmt == "xlsx":
            sheet = openpyxl.load_workbook(path, read_only=True).active
            assert sheet.max_row == counts[table] + 1  # a header row
    docs = read_back(out / f"documents.{fmt}")
    assert "Đảng bộ xã Điện Hòa" in set(docs["unit"].dropna())
    paragraphs = read_back(out / f"paragraphs.{fmt}")
    con = sqlite3.connect(corpus_store())
    first = con.execute("SELECT text FROM paragraphs ORDER BY doc_id, idx LIMIT 1").fetchone()[0]
    con.close()
    assert paragraphs["text"].iloc[0] == first


def test_document_feature_matrix_for_quanteda(tmp_path: Path) -> None:
    export(corpus_store(), tmp_path, "parquet")
    triplets = pd.read_csv(tmp_path / "dfm_triplets.csv")
    docvars = pd.read_csv(tmp_path / "dfm_docvars.csv")
    assert list(triplets.columns) == ["doc_id", "feature", "count"]
    assert set(triplets["doc_id"]) <= set(docvars["doc_id"])
    assert {"unit", "term", "doc_type"} <= set(docvars.columns)
    # Per document, the counts add up to its syllables outside headings.
    con = sqlite3.connect(corpus_store())
    doc_id = int(docvars["doc_id"].iloc[0])
    text = "\n".join(t for t, in con.execute(
        "SELECT text FROM paragraphs WHERE doc_id = ? AND is_heading = 0", (doc_id,)))
    con.close()
    assert triplets.loc[triplets["doc_id"] == doc_id, "count"].sum() == len(
        re.findall(r"\b\w+\b", text))
    assert "quanteda" in (tmp_path / "dfm_README.md").read_text(encoding="utf-8")


def test_a_non_empty_folder_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "xuat"
    out.mkdir()
    (out / "ghi_chu.txt").write_text("của người dùng", encoding="utf-8")
    status, _, err = daihoi("export", out, "--format", "csv", "--db", corpus_store(),
                            "--lang", "en")
    assert status == 2 and "not empty" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["ghi_chu.txt"]
    status, out_text, err = daihoi("export", out, "--format", "csv", "--db", corpus_store(),
                                   "--force")
    assert status == 0, err
    assert "tệp" in out_text
    assert (out / "ghi_chu.txt").read_text(encoding="utf-8") == "của người dùng"
    assert (out / "paragraphs.csv").is_file()
    status, _, err = daihoi("export", tmp_path / "x", "--db", tmp_path / "khong.db",
                            "--lang", "en")
    assert status == 2 and "There is no store" in err
