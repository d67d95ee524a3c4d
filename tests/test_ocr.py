"""OCR of scans: modes, page by page (a typed report with a scanned page), the layout steps on
OCR words (running header, page numbers, footnotes, ruled tables from the bitmap), a missing
Tesseract, and the repair of document numbers and number groups."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from conftest import ROOT, corpus_file, require_tool
from pipeline.errors import IngestError
from pipeline.ingest import Limits, load, ocr
from pipeline.ingest.ocr_repair import repair

sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
from test_layouts import ARTICLE  # noqa: E402

from corpus.layouts import (  # noqa: E402
    FOOTNOTE_TEXTS,
    HEADER_TEXT,
    TABLE_ROWS,
    Layout,
    build_docx,
    scan,
    soffice,
    to_pdf,
)
from fidelity import body, truth  # noqa: E402

needs_tesseract = pytest.mark.skipif(not ocr.ocr_available(), reason="Tesseract (vie) missing")


@pytest.fixture(scope="module")
def scanned_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 of the speech, rendered at 150 dpi and saved as an image-only PDF (a scan)."""
    from PIL import Image

    d = tmp_path_factory.mktemp("scan")
    subprocess.run([require_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1",
                    "-singlefile", str(corpus_file("pdf", "001_11fa4c8372dfa292")),
                    str(d / "page")], check=True)
    target = d / "tham_luan_scan.pdf"
    Image.open(d / "page.png").convert("RGB").save(target, "PDF", resolution=150)
    return target


@pytest.fixture(scope="module")
def scanned_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(text PDF, its 300 dpi scan) of a report with a running header, page numbers,
    footnotes and a ruled table."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is needed")
    d = tmp_path_factory.mktemp("report")
    layout = Layout("report", running=True, footnotes=True, table=True)
    build_docx(layout, ARTICLE + ARTICLE[1:5], d / "report.docx")
    to_pdf([d / "report.docx"], d)
    return d / "report.pdf", scan(d / "report.pdf", d / "report_scan.pdf", 300)


def test_never_refuses_a_scan_and_says_how_to_install(scanned_speech: Path) -> None:
    with pytest.raises(IngestError) as info:
        load(scanned_speech, Limits(ocr_mode="never"))
    assert info.value.code == "no_text_layer"
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in info.value.message("en")


def test_missing_tesseract_is_no_text_layer_not_a_crash(
        scanned_speech: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    ocr.ocr_available.cache_clear()
    try:
        with pytest.raises(IngestError) as info:
            load(scanned_speech)
        assert info.value.code == "no_text_layer"
    finally:
        ocr.ocr_available.cache_clear()


@needs_tesseract
def test_auto_reads_the_scan_in_vietnamese(scanned_speech: Path) -> None:
    doc = load(scanned_speech)  # --ocr auto is the default
    props = doc.properties["ocr"]
    assert props["lang"] == "vie" and props["mode"] == "auto"
    assert [p["page"] for p in props["pages"]] == [1] and props["mean_confidence"] > 70
    assert doc.pages == 1 and all(b.page == 1 for b in doc.blocks)
    texts = [b.text for b in doc.blocks]
    assert "Kính thưa Đoàn Chủ tịch!" in texts
    gold = body([p["text"] for p in truth("001_11fa4c8372dfa292")["paragraphs"]])
    gold = gold[: len(doc.text)]
    assert Levenshtein.distance(gold, doc.text) / len(gold) < 0.05


@needs_tesseract
def test_a_scanned_report_goes_through_the_layout_steps(
        scanned_report: tuple[Path, Path]) -> None:
    _, scanned = scanned_report
    doc = load(scanned)
    # Running header and page numbers out of the body.
    assert HEADER_TEXT in doc.page_headers
    assert not any(b.text.strip().isdigit() for b in doc.blocks)
    assert not any(HEADER_TEXT in b.text for b in doc.blocks)
    # Every footnote, split off the body.
    notes = [f.text for f in doc.footnotes]
    assert len(notes) == len(FOOTNOTE_TEXTS)
    for got, want in zip(notes, FOOTNOTE_TEXTS, strict=True):
        assert Levenshtein.normalized_distance(got, want) < 0.05
    assert not any(FOOTNOTE_TEXTS[0][:25] in b.text for b in doc.blocks)
    # ... each linked to its marker (a small raised digit Tesseract reads as "!", "?", "ˆ"),
    # which is cut out of the text: the paragraph it ends is the article's own.
    for note in doc.footnotes:
        assert note.block is not None and note.offset is not None
        assert doc.blocks[note.block].text[:note.offset].rstrip()[-1:] in ".;,:)"
    blocks = [n.block for n in doc.footnotes]
    assert blocks == sorted(set(blocks))  # in order, one marker per paragraph
    assert not any(b.text.endswith(("!", "?", "ˆ", "”")) for b in doc.blocks)
    # The ruled table from the bitmap, with rows and cells.
    assert len(doc.tables) == 1
    cells = [c for row in doc.tables[0].rows for c in row]
    want = [c for row in TABLE_ROWS for c in row]
    assert sum(c in cells for c in want) >= 0.9 * len(want)
    # Body text close to what was printed.
    gold = body(ARTICLE + ARTICLE[1:5])
    assert Levenshtein.distance(gold, body([b.text for b in doc.blocks])) / len(gold) < 0.03


@pytest.fixture(scope="module")
def skewed_one_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-page report with a running header, scanned at 300 dpi turned by 1.2 degrees."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is needed")
    d = tmp_path_factory.mktemp("skewed")
    build_docx(Layout("one_page", running=True), ARTICLE[:4], d / "one_page.docx")
    to_pdf([d / "one_page.docx"], d)
    return scan(d / "one_page.pdf", d / "one_page_scan.pdf", 300, skew=1.2)


@needs_tesseract
def test_a_turned_one_page_scan_is_straightened_and_its_header_kept_out(
        skewed_one_page: Path) -> None:
    doc = load(skewed_one_page)
    page = doc.properties["ocr"]["pages"][0]
    assert abs(page["skew"] + 1.2) <= 0.2 and page["rotation"] == 0
    assert doc.page_headers and Levenshtein.normalized_distance(
        doc.page_headers[0], HEADER_TEXT) < 0.1
    gold = body(ARTICLE[:4])
    assert Levenshtein.distance(gold, body([b.text for b in doc.blocks])) / len(gold) < 0.02


@needs_tesseract
def test_the_library_and_the_command_read_alike(scanned_speech: Path) -> None:
    """In-process libtesseract (the default) gives the command's TSV, word for word."""
    import pypdfium2

    from pipeline.ingest.ocr_engine import CommandEngine, get_engine

    engine = get_engine()
    if engine.name != "libtesseract":
        pytest.skip("libtesseract cannot be loaded here; the command is used")
    pdf = pypdfium2.PdfDocument(str(scanned_speech))
    try:
        image = pdf[0].render(scale=ocr.DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    image = image.crop((0, 0, image.width, image.height // 3))
    assert engine.page_tsv(image, ocr.DPI, 60) == CommandEngine().page_tsv(image, ocr.DPI, 60)


@needs_tesseract
def test_a_typed_report_with_a_scanned_page(scanned_report: tuple[Path, Path],
                                            tmp_path: Path) -> None:
    typed, scanned = scanned_report
    mixed = tmp_path / "mixed.pdf"
    # Page 1 typed, page 2 scanned: only page 2 is read by OCR.
    subprocess.run([require_tool("qpdf"), "--empty", "--pages", str(typed), "1", str(scanned),
                    "2", "--", str(mixed)], check=True)
    doc = load(mixed)
    assert [p["page"] for p in doc.properties["ocr"]["pages"]] == [2]
    assert {b.page for b in doc.blocks} == {1, 2}
    assert load(mixed, Limits(ocr_mode="never")).pages == 2  # still read, page 2 left out


def test_repair_touches_only_text_that_fails_the_grammar() -> None:
    assert repair("Nghị quyết số 57-NQ/ TW ngày") == "Nghị quyết số 57-NQ/TW ngày"
    assert repair("Nghị định số 24/2006/NĐ- CP") == "Nghị định số 24/2006/NĐ-CP"
    assert repair("đạt 1.6129 tỷ đồng") == "đạt 1.612,9 tỷ đồng"
    assert repair("1.612 ,9") == "1.612,9"
    assert repair("Tổ chứccơ sở, Kinh phíhoạt động") == "Tổ chức cơ sở, Kinh phí hoạt động"
    assert repair("lỆ phí của BỘ Tài chính, các SỞ: Tài chính") == (
        "lệ phí của Bộ Tài chính, các Sở: Tài chính")
    for fine in ("nhiệm kỳ 2020 - 2025", "HĐND - UBND", "3.828 đồng chí", "157.105",
                 "đạt 1.612,9 tỷ", "ngày 30-3-2007", "Chỉ thị số 10-CT/TW",
                 "Lenin", "Malaysia", "nghiêng", "khuyến khích", "ĐẠI HỘI ĐẢNG BỘ",
                 "HĐND tỉnh", "Nghị quyết ĐẠI HỘI lần thứ XIII", "iPhone"):
        assert repair(fine) == fine


def test_ocr_modes_from_the_command_line() -> None:
    from argparse import Namespace

    from pipeline.cli.common import Parents

    parser = Parents.build("en").reading
    for given, mode in ((None, "auto"), ("never", "never"), ("always", "always"),
                        (True, "always"), (False, "auto")):
        limits = Limits.from_args(Namespace(max_size=200, ocr=given))
        assert limits.effective_ocr_mode == mode
    assert parser.parse_args(["--ocr"]).ocr == "always"  # the old flag keeps its meaning
    assert parser.parse_args([]).ocr == "auto"
    assert parser.parse_args(["--ocr", "never"]).ocr == "never"
