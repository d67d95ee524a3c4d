"""Verbatim text: a DOCX and a PDF written with "hoà", "khoá", "uỷ" come back with exactly those
letters, and the search index finds them whichever tone placement the query uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument

from pdf_fixtures import convert_to_pdf, soffice
from pipeline.analysis import analyze
from pipeline.contract import report_record
from pipeline.ingest import load
from pipeline.store.database import Store
from pipeline.store.search import search

NEW_STYLE = [
    "Ban Thường vụ Đảng uỷ khoá XIV đã lãnh đạo xây dựng khối đoàn kết hoà hợp.",
    "Công tác thi đua được đẩy mạnh, phong trào văn hoá cơ sở tiếp tục phát triển.",
]
OLD_STYLE = [
    "Ủy ban kiểm tra Đảng ủy khóa XIII giữ gìn sự hòa thuận trong chi bộ.",
    "Nhiệm vụ trọng tâm của năm tiếp theo là nâng cao chất lượng sinh hoạt chi bộ.",
]


def _docx(path: Path, paragraphs: list[str]) -> Path:
    document = DocxDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("verbatim")
    return {"new": _docx(folder / "new.docx", NEW_STYLE),
            "old": _docx(folder / "old.docx", OLD_STYLE)}


def test_docx_keeps_the_authors_tone_placement(files: dict[str, Path]) -> None:
    assert [b.text for b in load(files["new"]).blocks] == NEW_STYLE
    assert [b.text for b in load(files["old"]).blocks] == OLD_STYLE


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_keeps_the_authors_tone_placement(files: dict[str, Path], tmp_path: Path) -> None:
    pdf = convert_to_pdf(files["new"], tmp_path)
    assert pdf is not None
    text = load(pdf).text
    for word in ("uỷ", "khoá", "hoà", "văn hoá"):
        assert word in text
    assert "ủy" not in text and "khóa" not in text and "hòa" not in text


def test_search_finds_both_spellings(files: dict[str, Path], tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for path in files.values():
            report = analyze(path)
            store.save(report, report_record(report))
        conn = store.conn
        for query in ("hoà", "hòa"):
            hits = search(conn, query, limit=100)
            texts = {h.text for h in hits}
            assert NEW_STYLE[0] in texts and OLD_STYLE[0] in texts
            # Both are exact matches (only the placement of the mark differs); "văn hoá" is a
            # folded match only.
            exact = [h for h in hits if h.exact]
            assert {h.text for h in exact} == {NEW_STYLE[0], OLD_STYLE[0]}
            assert {h.text[s:e] for h in exact for s, e in h.spans} == {"hoà", "hòa"}
        for query in ("khoá", "khóa", "uỷ", "Ủy"):
            texts = {h.text for h in search(conn, query, limit=100)}
            assert NEW_STYLE[0] in texts and OLD_STYLE[0] in texts, query
