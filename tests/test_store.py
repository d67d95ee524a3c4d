"""The corpus store, schema version 2: what a saved report becomes, replacement, provenance,
the migration from version 1, and files that are not usable stores."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from corpus_fixtures import (
    SYNTHETIC,
    analysed,
    copy_of_store,
    corpus_store,
    daihoi,
    daihoi_on_read_only,
    synthetic_truth,
)

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
    assert _row(con, "PRAGMA user_version") == (SCHEMA_VERSION,) == (4,)
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
        assert store.version == 4
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


# -- documents, not files (schema 3) ----------------------------------------------------------


def _save(store: Store, path: Path) -> int:
    report = analyze(path)
    return store.save(report, report_record(report))


@pytest.mark.parametrize("stem", ["000_4435fb2a97849b7c", "004_73f20699863736da"])
def test_the_same_report_as_txt_docx_and_pdf_is_one_document_with_three_files(
        tmp_path: Path, stem: str) -> None:
    # 004's TXT holds its table and footnotes inline; its DOCX and PDF hold them apart.
    with Store(tmp_path / "s.db") as store:
        ids = {_save(store, corpus_file(kind, stem)) for kind in ("pdf", "seeds", "docx")}
        assert len(ids) == 1
        counts = store.counts()
        assert (counts["documents"], counts["files"]) == (1, 3)
        # The document holds the analysis of its richest file, the DOCX.
        fmt, n_blocks = _row(store.conn, "SELECT format, n_blocks FROM documents")
        assert fmt == "docx" and counts["blocks"] == n_blocks
        assert _row(store.conn, "SELECT count(*) FROM files WHERE analysed = 1") == (1,)
        # A search hit is a paragraph of one document, not one per file.
        hits = search(store.conn, "đảng viên", limit=1000)
        assert hits and len({(h.doc_id, h.idx) for h in hits}) == len(hits)
        assert {h.doc_id for h in hits} == ids


def test_one_file_by_a_relative_and_an_absolute_path_or_copied_is_one_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = synthetic_truth()["documents"][3]["file"]
    (tmp_path / "in").mkdir()
    shutil.copyfile(SYNTHETIC / name, tmp_path / "in" / name)
    monkeypatch.chdir(tmp_path)
    with Store(tmp_path / "s.db") as store:
        first = _save(store, Path("in") / name)
        assert _save(store, (tmp_path / "in" / name).resolve()) == first
        assert (store.counts()["documents"], store.counts()["files"]) == (1, 1)
        (tmp_path / "copy").mkdir()
        shutil.copyfile(SYNTHETIC / name, tmp_path / "copy" / name)
        assert _save(store, Path("copy") / name) == first
        assert (store.counts()["documents"], store.counts()["files"]) == (1, 2)
        # Removing one file keeps the document; removing the last removes it.
        assert store.remove(str(Path("in") / name))
        assert store.counts()["documents"] == 1
        assert store.remove(str(tmp_path / "copy" / name))
        assert (store.counts()["documents"], store.counts()["files"], store.counts()["blocks"]) \
            == (0, 0, 0)


def test_two_terms_or_a_draft_and_a_revised_final_stay_two_documents(tmp_path: Path) -> None:
    _, report = next((p, r) for p, r in analysed() if p == REAL)
    with Store(tmp_path / "s.db") as store:
        first = store.save(report, report_record(report))
        other_term = copy.deepcopy(report)
        other_term.meta.term = "2030-2035"
        other_term.document.source = str(tmp_path / "nhiem_ky_sau.docx")
        assert store.save(other_term, report_record(other_term)) != first
        # A final version that changed one paragraph in twenty is not its draft.
        final = copy.deepcopy(report)
        final.meta.draft = not report.meta.draft
        final.document.source = str(tmp_path / "chinh_thuc.docx")
        for block in final.document.blocks[::20]:
            block.text = " ".join(reversed(block.text.split()))
        assert store.save(final, report_record(final)) not in (first,)
        assert store.counts()["documents"] == 3


def test_a_version_2_store_with_one_file_stored_twice_is_merged(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    _, report = next((p, r) for p, r in analysed() if p == REAL)
    record = report_record(report)
    doc = report.document
    con = sqlite3.connect(db)
    con.executescript(V1)
    for doc_id, source in ((1, doc.source), (2, str(Path(doc.source).resolve()) + "#copy")):
        con.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc_id, source, doc.sha256, doc.format, doc.pages, doc.size, doc.text,
                     len(doc.blocks), len(doc.tables), len(doc.footnotes), "{}",
                     json.dumps(record, ensure_ascii=False), "2025-01-01T00:00:00+00:00",
                     "0.1.0"))
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Store(db) as store:
        counts = store.counts()
        assert (counts["documents"], counts["files"]) == (1, 2)
        assert counts["findings"] == len(report.findings)


# -- stores that cannot be used, and stores that can only be read -----------------------------


def test_a_store_that_cannot_be_created_says_why(tmp_path: Path) -> None:
    (tmp_path / "tep").write_text("x", encoding="utf-8")
    for path, why in ((tmp_path / "tep" / "kho.db", f"{tmp_path / 'tep'}: not a folder"),
                      (Path("/proc/daihoi/kho.db"), "No such file or directory")):
        with pytest.raises(StoreError) as err:
            Store(path)
        assert err.value.code == "cannot_create"
        assert why in err.value.message("en") and "--db" in err.value.message("en")


def test_a_store_with_damaged_pages_is_refused_for_writing_and_left_alone(
        tmp_path: Path) -> None:
    db = copy_of_store(tmp_path / "hong.db")
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'blocks'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    # Scribble over the middle of the blocks table's root page (not the file header).
    at = (root - 1) * page_size + 8
    data[at:at + 200] = bytes(range(200))
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError) as err:
        Store(db)
    assert err.value.code == "corrupt"
    assert db.read_bytes() == bytes(data)
    status, _, err_text = daihoi("run", SYNTHETIC, "--db", db, "--force", "--lang", "en")
    assert status == 2 and "damaged" in err_text
    assert db.read_bytes() == bytes(data)


def test_a_healthy_store_on_read_only_media_is_read_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = copy_of_store(folder / "kho.db")
    with Store(db):  # a WAL store, as `daihoi run` leaves it
        pass
    status, out, err = daihoi_on_read_only(folder, "search", "dang vien ket nap", "--db", db,
                                           "--lang", "en")
    assert status == 0, err
    assert "read-only" in err and "damaged" not in err and "kết nạp" in out
    status, out, err = daihoi_on_read_only(folder, "run", SYNTHETIC, "--db", db, "--lang", "en")
    assert status == 2 and "Cannot write" in err and "Traceback" not in err


def test_run_on_a_folder_by_relative_then_absolute_path_stores_each_document_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for d in synthetic_truth()["documents"][:2]:
        shutil.copyfile(SYNTHETIC / d["file"], folder / d["file"])
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "kho.db"
    for given in ("corpus", str(folder.resolve())):
        status, _, err = daihoi("run", given, "--db", db, "--force", "--lang", "en")
        assert status == 0, err
    con = sqlite3.connect(db)
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
              for t in ("documents", "files")]
    con.close()
    assert counts == [2, 2]
    with Store(db, readonly=True) as store:
        hits = search(store.conn, "đảng viên", limit=1000)
        assert len({(h.doc_id, h.idx) for h in hits}) == len(hits)
        assert len({h.doc_id for h in hits}) <= 2
