"""The corpus store, schema version 2: what a saved report becomes, replacement, provenance,
the migration from version 1, and files that are not usable stores."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from corpus_fixtures import SYNTHETIC, analysed, copy_of_store, corpus_store, synthetic_truth

from conftest import corpus_file
from pipeline import __version__
from pipeline.analysis import analyze
from pipeline.contract import report_record
from pipeline.ingest import file_sha256
from pipeline.store.database import SCHEMA_VERSION, Store, StoreError
from pipeline.store.schema import V1
from pipeline.store.search import search

REAL = corpus_file("docx", "000_4435fb2a97849b7c")


def _row(conn: sqlite3.Connection, sql: str, *params: object) -> tuple:
    return conn.execute(sql, params).fetchone()


def test_a_saved_report_fills_every_table() -> None:
    path, report = next((p, r) for p, r in analysed() if p == REAL)
    con = sqlite3.connect(corpus_store())
    doc_id, = _row(con, "SELECT id FROM documents WHERE source = ?", str(path))
    counts = {t: _row(con, f"SELECT count(*) FROM {t} WHERE doc_id = ?", doc_id)[0]  # noqa: S608
              for t in ("blocks", "sections", "doc_references", "indicators", "findings")}
    assert counts == {"blocks": len(report.document.blocks), "sections": len(report.sections),
                      "doc_references": len(report.references),
                      "indicators": len(report.indicators), "findings": len(report.findings)}
    assert _row(con, "PRAGMA user_version") == (SCHEMA_VERSION,) == (3,)
    # Provenance: the file's hash and the pipeline version that analysed it.
    assert _row(con, "SELECT sha256, daihoi_version FROM documents WHERE id = ?", doc_id) == (
        file_sha256(path), __version__)
    stored = [tuple(r) for r in con.execute(
        "SELECT ref_id, surface, start FROM doc_references WHERE doc_id = ? ORDER BY idx",
        (doc_id,))]
    assert stored == [(r.id, r.surface, r.start) for r in report.references]
    con.close()


def test_metadata_columns_and_paragraph_sections_of_a_synthetic_report() -> None:
    truth = synthetic_truth()["documents"][1]
    con = sqlite3.connect(corpus_store())
    row = _row(con, "SELECT id, unit, unit_level, parent, province, term, year, date, doc_type,"
               " draft FROM documents WHERE source LIKE ?", f"%{truth['file']}")
    meta = truth["meta"]
    assert row[1:] == (meta["unit"], meta["unit_level"], meta["parent"], meta["province"],
                       meta["term"], meta["year"], meta["date"], meta["doc_type"],
                       int(meta["draft"]))
    # Each paragraph carries the label of the innermost section it is in.
    labelled = {text: section for text, section in con.execute(
        "SELECT text, section FROM paragraphs WHERE doc_id = ? AND is_heading = 0", (row[0],))}
    body = [p for p in truth["paragraphs"] if p["kind"] in ("body", "copy")]
    assert body and all(labelled[p["text"]] == p["label"] for p in body)
    con.close()


def test_saving_again_replaces_the_document_and_its_index_rows(tmp_path: Path) -> None:
    db = copy_of_store(tmp_path / "again.db")
    path, report = next((p, r) for p, r in analysed() if p == REAL)
    with Store(db) as store:
        before = store.counts()
        n_hits = len(search(store.conn, "bảo vệ chính trị nội bộ", limit=1000))
        store.save(report, report_record(report))
        assert store.counts() == before
        # The contentless full-text index lost the old rows: no duplicate hits.
        assert len(search(store.conn, "bảo vệ chính trị nội bộ", limit=1000)) == n_hits
        assert store.remove(str(path)) is True
        assert store.counts()["documents"] == before["documents"] - 1
        assert all(h.source != str(path)
                   for h in search(store.conn, "bảo vệ chính trị nội bộ", limit=1000))


def test_an_unchanged_file_is_current_until_it_or_its_sidecar_changes(tmp_path: Path) -> None:
    src = synthetic_truth()["documents"][0]["file"]
    folder = tmp_path / "in"
    folder.mkdir()
    doc = folder / src
    shutil.copyfile(SYNTHETIC / src, doc)
    sidecar = doc.with_name(doc.stem + ".meta.yaml")
    sidecar.write_text("unit: Đảng bộ xã Điện Hòa\nterm: 2015-2020\n", encoding="utf-8")
    report = analyze(doc)
    with Store(tmp_path / "s.db") as store:
        store.save(report, report_record(report))
        sha = file_sha256(doc)
        assert store.is_current(str(doc), sha)
        assert not store.is_current(str(doc), hashlib.sha256(b"other").hexdigest())
        sidecar.write_text("unit: Đảng bộ xã Điện Hòa\nterm: 2020-2025\n", encoding="utf-8")
        assert not store.is_current(str(doc), sha)


def test_a_version_1_store_is_migrated_from_its_records(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    _, report = next((p, r) for p, r in analysed() if p == REAL)
    record = report_record(report)
    con = sqlite3.connect(db)
    con.executescript(V1)
    doc = report.document
    con.execute("INSERT INTO documents VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.source, doc.sha256, doc.format, doc.pages, doc.size, doc.text,
                 len(doc.blocks), len(doc.tables), len(doc.footnotes), "{}",
                 json.dumps(record, ensure_ascii=False), "2025-01-01T00:00:00+00:00", "0.1.0"))
    con.executemany("INSERT INTO blocks VALUES (1,?,?,?,?,?,?,?,?,?,?,?)",
                    [(i, b.kind, b.text, s, e, b.page, b.style, b.outline_level, b.numbering,
                      int(b.bold), b.font_size)
                     for i, (b, (s, e)) in enumerate(zip(doc.blocks, doc.block_offsets(),
                                                         strict=True))])
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()

    with Store(db) as store:
        assert store.version == 3
        counts = store.counts()
        assert (counts["blocks"], counts["sections"], counts["doc_references"],
                counts["findings"], counts["indicators"]) == (
            len(doc.blocks), len(report.sections), len(report.references),
            len(report.findings), len(report.indicators))
        unit, doc_type = _row(store.conn, "SELECT unit, doc_type FROM documents")
        assert (unit, doc_type) == (report.meta.unit, report.meta.doc_type)
        hits = search(store.conn, "dang vien ket nap", limit=5)
        assert hits and hits[0].section == "party_building.organization"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path, lang: str) -> None:
    junk = tmp_path / "hong.db"
    junk.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    before = junk.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(junk)
    assert err.value.code == "corrupt"
    assert junk.read_bytes() == before
    hint = err.value.message(lang)
    assert str(junk) in hint
    assert ("daihoi run" in hint) and (("bản sao lưu" in hint) if lang == "vi" else
                                       ("backup" in hint))

    other = tmp_path / "khac.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as err:
        Store(other)
    assert err.value.code == "foreign" and "customers" in err.value.message(lang)

    with pytest.raises(StoreError) as err:
        Store(tmp_path / "chua_co.db", create=False)
    assert err.value.code == "missing"
    assert not (tmp_path / "chua_co.db").exists()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store(db).close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 9")
    con.close()
    with pytest.raises(StoreError) as err:
        Store(db)
    assert err.value.code == "newer_schema"


def test_a_locked_store_gives_a_plain_error_and_keeps_its_data(tmp_path: Path) -> None:
    db = copy_of_store(tmp_path / "locked.db")
    holder = sqlite3.connect(db)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM ingest_errors")
    try:
        with pytest.raises(StoreError) as err:
            Store(db, timeout=0.2)
        assert err.value.code == "locked"
        assert "đợi" in err.value.message("vi") and "Wait" in err.value.message("en")
    finally:
        holder.rollback()
        holder.close()
    with Store(db) as store:
        assert store.counts()["documents"] == len(analysed())
