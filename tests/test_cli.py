"""The `daihoi` command end to end: real files, real broken files, a real SQLite store."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, STEMS, corpus_file
from pipeline.analysis import analyze
from pipeline.store.database import Store

GOOD_DOCX = corpus_file("docx", "004_73f20699863736da")
GOOD_PDF = corpus_file("pdf", "001_11fa4c8372dfa292")

EXPECTED_ERRORS = {
    "missing": "not_found",
    "empty": "empty",
    "truncated": "corrupt",
    "encrypted": "encrypted",
    "scan": "no_text_layer",
    "not_zip": "unsupported_format",
    "truncated_docx": "corrupt",
    "zip_bomb": "zip_bomb",
    "png": "unsupported_format",
}


def daihoi(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DAIHOI_LANG"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
    )


def test_analyze_json_one_line_per_file_in_order_and_errors_do_not_stop_the_batch(
    bad_files: dict[str, Path],
) -> None:
    names = list(EXPECTED_ERRORS)
    inputs = [GOOD_DOCX, *[bad_files[n] for n in names], bad_files["html_as_pdf"], GOOD_PDF]
    # --ocr never: with the default (auto) the scan would be read by OCR.
    proc = daihoi("analyze", *map(str, inputs), "--json", "--lang", "en", "--ocr", "never")
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(p) for p in inputs]

    first, *bad, html_record, last = records
    assert first["format"] == "docx" and "error" not in first
    assert "I. CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ" in first["text"]
    for name, record in zip(names, bad, strict=True):
        assert record["error"]["code"] == EXPECTED_ERRORS[name], name
        assert len(record["error"]["message"]) > 30
        assert set(record) == {"source", "error"}
    assert html_record["format"] == "html"
    assert last["format"] == "pdf" and last["pages"] >= 1
    # The messages say what to do, in the language asked for.
    by_code = {r["error"]["code"]: r["error"]["message"] for r in bad}
    assert "OCR" in by_code["no_text_layer"] and "tesseract" in by_code["no_text_layer"]
    assert "password" in by_code["encrypted"]


def test_contract_fields_of_a_good_record() -> None:
    proc = daihoi("analyze", str(GOOD_DOCX), "--json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    for field in ("source", "sha256", "format", "pages", "meta", "text", "headings",
                  "sections", "tables", "footnotes", "references", "indicators", "findings"):
        assert field in record, field
    assert set(record["meta"]) >= {"unit", "unit_level", "parent", "province", "term", "year",
                                   "date", "doc_type", "draft"}
    assert len(record["sha256"]) == 64
    assert "\n\n" in record["text"] and "\n\n\n" not in record["text"]
    assert all(isinstance(c, str) for t in record["tables"] for row in t["rows"] for c in row)
    assert record["footnotes"] and all({"id", "text"} <= set(f) for f in record["footnotes"])
    # A footnote's marker position points into the text, after the word it annotates.
    note = record["footnotes"][0]
    assert record["text"][: note["start"]].endswith("05 văn bản")


def test_readable_summary_in_vietnamese_and_english(bad_files: dict[str, Path]) -> None:
    vi = daihoi("analyze", str(GOOD_PDF), str(bad_files["missing"]))
    assert vi.returncode == 1
    assert "Trang:" in vi.stdout and "Đoạn:" in vi.stdout
    assert "Không tìm thấy tệp" in vi.stderr
    en = daihoi("analyze", str(GOOD_PDF), "--lang", "en")
    assert en.returncode == 0
    assert "Pages:" in en.stdout and "Paragraphs:" in en.stdout


def test_too_large_is_refused_with_the_limit_in_the_message() -> None:
    proc = daihoi("analyze", str(GOOD_PDF), "--json", "--max-size", "0.01", "--lang", "en")
    assert proc.returncode == 1
    error = json.loads(proc.stdout)["error"]
    assert error["code"] == "too_large"
    assert "--max-size" in error["message"]


def _folder_with(tmp_path: Path, bad_files: dict[str, Path]) -> Path:
    folder = tmp_path / "nop"
    (folder / "don_vi_1").mkdir(parents=True)
    shutil.copyfile(GOOD_DOCX, folder / "don_vi_1" / "bao_cao.docx")
    shutil.copyfile(GOOD_PDF, folder / "tham_luan.pdf")
    for name in ("truncated", "encrypted", "scan", "zip_bomb"):
        shutil.copyfile(bad_files[name], folder / bad_files[name].name)
    (folder / "ghi_chu.xlsx").write_bytes(b"not analysed: unsupported suffix")
    return folder


def test_run_stores_good_files_and_lists_bad_ones(
    tmp_path: Path, bad_files: dict[str, Path]
) -> None:
    folder = _folder_with(tmp_path, bad_files)
    db = tmp_path / "kho.db"
    proc = daihoi("run", str(folder), "--db", str(db), "--jobs", "2", "--ocr", "never")
    assert proc.returncode == 1
    assert "2 tệp đã phân tích" in proc.stdout and "4 lỗi" in proc.stdout
    assert str(db.resolve()) in proc.stdout
    con = sqlite3.connect(db)
    sources = {r[0] for r in con.execute("SELECT source FROM documents")}
    assert {Path(s).name for s in sources} == {"bao_cao.docx", "tham_luan.pdf"}
    errors = dict(con.execute("SELECT source, code FROM ingest_errors"))
    assert {Path(s).name: c for s, c in errors.items()} == {
        "cut.pdf": "corrupt", "locked.pdf": "encrypted", "scan.pdf": "no_text_layer",
        "bomb.docx": "zip_bomb",
    }
    n_blocks, n_cells = con.execute(
        "SELECT (SELECT count(*) FROM blocks), (SELECT count(*) FROM table_cells)"
    ).fetchone()
    assert n_blocks > 100 and n_cells > 0
    # Block offsets index into the stored text exactly.
    text, = con.execute("SELECT text FROM documents WHERE source LIKE '%bao_cao.docx'").fetchone()
    for block, start, end in con.execute(
        "SELECT b.text, b.start, b.\"end\" FROM blocks b JOIN documents d ON d.id = b.doc_id"
        " WHERE d.source LIKE '%bao_cao.docx'"
    ):
        assert text[start:end] == block
    con.close()

    # A second run skips unchanged files; a file broken since keeps its good version.
    (folder / "tham_luan.pdf").write_bytes(GOOD_PDF.read_bytes()[:3000])
    again = daihoi("run", str(folder), "--db", str(db), "--lang", "en", "--ocr", "never")
    assert again.returncode == 1
    assert "1 unchanged" in again.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert con.execute(
        "SELECT code FROM ingest_errors WHERE source LIKE '%tham_luan.pdf'"
    ).fetchone() == ("corrupt",)
    con.close()


def test_run_on_a_clean_folder_exits_zero(tmp_path: Path) -> None:
    folder = tmp_path / "sach"
    folder.mkdir()
    shutil.copyfile(GOOD_DOCX, folder / "a.docx")
    proc = daihoi("run", str(folder), "--db", str(tmp_path / "x.db"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "1 file analysed" in proc.stdout


def test_run_on_the_sample_corpus_reads_every_file(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    proc = daihoi("run", "corpus", "--db", str(db), cwd=corpus_file("docx", STEMS[0]).parents[2])
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(db)
    stored = {Path(r[0]).name for r in con.execute("SELECT source FROM files")}
    # The seed texts and ground truth are ignored (.daihoiignore): one DOCX and one PDF per
    # seed, and every synthetic report.
    for stem in STEMS:
        assert {f"{stem}.docx", f"{stem}.pdf"} <= stored
    synthetic = {p.name for p in (CORPUS / "synthetic").glob("*.docx")}
    assert synthetic <= stored
    assert len(stored) == 2 * len(STEMS) + len(synthetic)
    # A seed's DOCX and PDF hold the same text: one document with two files.
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_docs == len(STEMS) + len(synthetic)
    assert con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 0


def test_a_failed_save_leaves_nothing_half_written(tmp_path: Path) -> None:
    db = tmp_path / "atomic.db"
    report = analyze(GOOD_DOCX)
    with Store(db) as store:
        store.save(report, {"ok": True})
        report.document.tables[0].rows[0][0] = object()  # not storable: fails mid-transaction
        with pytest.raises(TypeError):
            store.save(report, {"ok": True})
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    n_blocks = con.execute("SELECT count(*) FROM blocks").fetchone()[0]
    assert n_blocks == len(report.document.blocks)


def test_a_store_that_is_not_sqlite_is_refused_plainly(tmp_path: Path) -> None:
    db = tmp_path / "not.db"
    db.write_text("this is not a database " * 100)
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copyfile(GOOD_DOCX, folder / "a.docx")
    proc = daihoi("run", str(folder), "--db", str(db), "--lang", "en")
    assert proc.returncode == 2
    assert "is damaged or is not a daihoi SQLite store" in proc.stderr
    assert "nothing was overwritten" in proc.stderr
    assert db.read_text().startswith("this is not a database")
