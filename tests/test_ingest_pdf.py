"""The PDF reader: reflow rules alone, a LibreOffice-made report, bad inputs, the real corpus."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

import pdf_fixtures as fx
from pipeline.errors import IngestError
from pipeline.ingest import Limits, load
from pipeline.ingest.numbering import join_wrapped, numbering_scheme
from pipeline.ingest.pdf_furniture import (
    note_is_unfinished,
    parse_footnotes,
    split_footnote_lines,
    strip_running_lines,
)
from pipeline.ingest.pdf_words import is_syllable, split_syllables
from pipeline.ingest.reflow import (
    Column,
    Line,
    build_paragraphs,
    starts_new_paragraph,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
COL = Column(left=85.0, right=550.0, pitch=18.0, size=13.0)


def line(text: str, x0: float = 85.0, x1: float = 550.0, bottom: float = 100.0,
         **kw: object) -> Line:
    return Line(text=text, page=kw.pop("page", 1), x0=x0, x1=x1, top=bottom - 10,  # type: ignore[arg-type]
                bottom=bottom, size=kw.pop("size", 13.0), **kw)  # type: ignore[arg-type]


# --- reflow rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("left", "right", "joined"), [
    ("theo Quy định số 101-", "QĐ/TW ngày", "theo Quy định số 101-QĐ/TW ngày"),
    ("Quyết định số 2590/", "QĐ-UBND", "Quyết định số 2590/QĐ-UBND"),
    ("phát triển công nghiệp -", "xây dựng", "phát triển công nghiệp - xây dựng"),
    ("các thiết bị viễn", "thông", "các thiết bị viễn thông"),
    ("nhiệm kỳ 2020-", "2025", "nhiệm kỳ 2020-2025"),
])
def test_join_lines(left: str, right: str, joined: str) -> None:
    assert join_wrapped(left, right) == joined


def test_dash_line_after_spaced_dash_continues() -> None:
    prev = line("đẩy mạnh phát triển công nghiệp -")
    cur = line("- xây dựng, dịch vụ", bottom=118.0)
    assert not starts_new_paragraph(prev, cur, COL)


def test_bullet_and_numbered_heading_start_paragraphs() -> None:
    prev = line("đã hoàn thành tốt nhiệm vụ.", x1=300.0)
    assert starts_new_paragraph(prev, line("- Tuổi bình quân", bottom=118.0), COL)
    assert starts_new_paragraph(line("kết quả cao:", x1=549.0),
                                line("2.1. Thuận lợi", bottom=118.0), COL)


def test_wrapped_line_continues_and_indent_starts() -> None:
    first = line("Trung tâm Đo lường chất lượng Viễn thông tiền thân là", x0=113.0)
    second = line("Trung tâm Đo lường và Trung tâm Kiểm định", x1=400.0, bottom=118.0)
    third = line("Đảng bộ bộ phận Trung tâm", x0=113.0, bottom=136.0)
    pars = build_paragraphs([first, second, third], COL)
    assert [p.text for p in pars] == [
        "Trung tâm Đo lường chất lượng Viễn thông tiền thân là Trung tâm Đo lường và "
        "Trung tâm Kiểm định",
        "Đảng bộ bộ phận Trung tâm",
    ]


def test_bold_change_and_gap_start_paragraphs() -> None:
    heading = line("A. ĐẶC ĐIỂM TÌNH HÌNH", bold=True)
    body = line("Trung tâm Đo lường", bottom=118.0)
    assert starts_new_paragraph(heading, body, COL)
    assert starts_new_paragraph(line("một dòng đầy đủ"), line("sau khoảng trống", bottom=140.0),
                                COL)


@pytest.mark.parametrize(("text", "kind"), [
    ("Phần thứ hai", "part"), ("PHẦN THỨ HAI", "part"), ("A. ĐẶC ĐIỂM", "upper_letter"),
    ("I. KẾT QUẢ", "roman"), ("1. Công tác", "decimal"), ("2.1. Thuận lợi", "decimal2"),
    ("3.2. Khó khăn", "decimal2"), ("a) Về tư tưởng", "lower_letter"), ("Trong nhiệm kỳ", None),
    ("Phan thu hai", "part"), ("b/ Công tác cán bộ", "lower_letter"),
])
def test_numbered_heading_kinds(text: str, kind: str | None) -> None:
    assert numbering_scheme(text) == kind


def test_vietnamese_syllables_decide_font_switch_spaces() -> None:
    assert all(map(is_syllable, ["quyết", "nghiệp", "người", "khuyến", "giữ", "LỰC", "cách"]))
    assert not any(map(is_syllable, ["SỰCHỈ", "Đềán", "tưtưởng", "táckiểm"]))
    assert split_syllables(["S", "Ự", "CH", "Ỉ"]) == [False, True, False]
    # Between equal splits, the space falls on the widest gap: "Đảng ủy", not "Đả ngủy".
    assert split_syllables(["Đ", "ả", "ng", "ủy"], [0.5, 0.6, 3.0]) == [False, False, True]


def test_running_lines_need_position_and_repetition() -> None:
    pages = []
    for n in range(1, 6):
        pages.append([
            line("DỰ THẢO", x0=280.0, x1=340.0, bottom=45.0, page=n),
            # A body line that repeats on every page, but in the middle of it: kept.
            line("- Công tác tổ chức:", x1=250.0, bottom=400.0, page=n),
            line(f"Đoạn văn thứ {n} của báo cáo.", bottom=418.0, page=n),
            line(str(n), x0=300.0, x1=306.0, bottom=810.0, page=n),
        ])
    # The same words as the header, once, as the first line of a page's body: kept.
    pages[2].insert(1, line("DỰ THẢO NGHỊ QUYẾT", bottom=80.0, page=3))
    # A year alone on the last body line of a page is not a page number.
    pages[1].insert(3, line("2020", x1=120.0, bottom=790.0, page=2))
    headers, footers = strip_running_lines(pages, [842.0] * 5)
    assert "2020" in [ln.text for ln in pages[1]]
    assert headers == ["DỰ THẢO"] and footers == ["1", "2", "3", "4", "5"]
    assert [ln.text for ln in pages[2]] == [
        "DỰ THẢO NGHỊ QUYẾT", "- Công tác tổ chức:", "Đoạn văn thứ 3 của báo cáo."]
    assert all(len(p) >= 2 for p in pages)


def test_footnote_area_split_and_continued_on_next_page() -> None:
    body = line("Trung tâm đã hoàn thành tốt nhiệm vụ.", bottom=700.0)
    notes = [line("1 Tính đến ngày 31/3/2025 theo báo cáo của", size=10.0, bottom=760.0),
             line("Văn phòng Trung tâm", size=10.0, bottom=772.0, x1=200.0)]
    kept, area = split_footnote_lines([body, *notes], COL)
    assert kept == [body] and area == notes
    (note,) = parse_footnotes(area, None)
    assert (note.id, note.text) == ("1", "Tính đến ngày 31/3/2025 theo báo cáo của Văn phòng "
                                           "Trung tâm")
    # A note that stops mid-sentence goes on at the bottom of the next page, with no number.
    note.text = "Tính đến ngày 31/3/2025 theo báo cáo của"
    rest = line("Văn phòng Trung tâm.", size=10.0, bottom=760.0, page=2)
    assert split_footnote_lines([rest], COL) == ([rest], [])
    assert note_is_unfinished(note, 2)
    kept, area = split_footnote_lines([rest], COL, continuing=True)
    assert parse_footnotes(area, note) == [] and note.text.endswith("của Văn phòng Trung tâm.")


# --- a report made by LibreOffice ---------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture PDFs, built once per test session (soffice takes seconds)."""
    assert fx.soffice() is not None, "LibreOffice (soffice) is not installed: run `make test`"
    out = tmp_path_factory.mktemp("pdf")
    pdf = fx.convert_to_pdf(fx.build_report_docx(out / "report.docx"), out)
    assert pdf is not None
    encrypted = fx.encrypted_copy(pdf, out / "encrypted.pdf")
    image = fx.image_only_copy(pdf, out / "image.pdf")
    legacy = fx.build_legacy_pdf(out)
    assert encrypted and legacy, "qpdf / fix-qdf is not installed: run `make test`"
    assert image, "pdftoppm (poppler-utils) is not installed: run `make test`"
    title = fx.convert_to_pdf(fx.build_title_docx(out / "title.docx"), out)
    return {"report": pdf, "truncated": fx.truncated_copy(pdf, out / "truncated.pdf"),
            "encrypted": encrypted, "image": image, "legacy": legacy, "title": title}


@pytest.fixture(scope="module")
def report(made: dict[str, Path]):  # noqa: ANN201 - a Document
    return load(made["report"])


def test_body_paragraphs_rebuilt(report) -> None:  # noqa: ANN001
    assert [b.text for b in report.blocks] == fx.expected_body()
    assert all("\n" not in b.text for b in report.blocks)
    assert report.pages >= 3


def test_running_header_and_page_numbers_kept_out(report) -> None:  # noqa: ANN001
    assert report.page_headers == [fx.HEADER_TEXT]
    assert report.page_footers[:2] == ["1", "2"]
    assert fx.HEADER_TEXT not in report.text
    assert not any(re.fullmatch(r"\d+", b.text) for b in report.blocks)


def test_kinds_and_layout(report) -> None:  # noqa: ANN001
    kinds = {b.text: b.kind for b in report.blocks}
    assert all(kinds[h] == "heading" for h in fx.HEADINGS)
    assert all(kinds[b] == "list_item" for b in fx.BULLETS)
    first = report.blocks[2]
    assert first.kind == "paragraph" and first.align == "justify" and first.indent > 20
    assert report.blocks[0].bold and report.blocks[0].page == 1


def test_footnotes_split_and_linked(report) -> None:  # noqa: ANN001
    assert {f.id: f.text for f in report.footnotes} == fx.FOOTNOTES
    for note, paragraph in zip(report.footnotes, (fx.PARAGRAPHS[0], fx.PARAGRAPHS[3]),
                               strict=True):
        block = report.blocks[note.block]
        assert block.text == paragraph  # the marker digit is out of the text
        assert note.offset == len(paragraph)  # it was glued to the final full stop
    assert "Tính đến ngày" not in report.text


def test_tables_extracted_and_merged_across_pages(report) -> None:  # noqa: ANN001
    small, borderless, long = report.tables
    assert small.rows == fx.SMALL_TABLE
    assert borderless.rows == fx.BORDERLESS_TABLE
    assert report.blocks[borderless.after_block].text == fx.PARAGRAPHS[4]
    assert long.rows == fx.LONG_TABLE
    assert len(long.pages) == 2 and long.pages[1] == long.pages[0] + 1
    assert report.blocks[long.after_block].text == "PHỤ LỤC"
    body = report.text
    assert "Chứng nhận hợp quy" not in body and "SỐ GIẤY" not in body and "2921" not in body


def test_side_by_side_blocks_read_column_by_column(made: dict[str, Path]) -> None:
    texts = [b.text for b in load(made["title"]).blocks]
    assert texts == [*fx.TITLE_LEFT, *fx.TITLE_RIGHT, "BÁO CÁO CHÍNH TRỊ", *fx.PARAGRAPHS[:2],
                     *fx.SIGN_LEFT, *fx.SIGN_RIGHT]


def test_legacy_font_is_decoded(made: dict[str, Path]) -> None:
    doc = load(made["legacy"])
    assert [b.text for b in doc.blocks] == fx.legacy_paragraphs()
    assert doc.properties["legacy_encoding"] == "tcvn3"
    assert doc.properties["legacy_detected_by"] == "font"


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "code"), [
    ("truncated", "corrupt"), ("encrypted", "encrypted"), ("image", "no_text_layer"),
])
def test_bad_inputs(made: dict[str, Path], name: str, code: str) -> None:
    with pytest.raises(IngestError) as err:
        load(made[name], Limits(ocr_mode="never"))  # --ocr auto would read the image
    assert err.value.code == code
    assert str(made[name]) in err.value.message("en")
    if code == "no_text_layer":
        assert err.value.params["pages"] == 1


def test_too_many_pages(made: dict[str, Path]) -> None:
    with pytest.raises(IngestError) as err:
        load(made["report"], Limits(max_pages=2))
    assert err.value.code == "too_large"
    assert err.value.params["max_pages"] == 2 and err.value.params["pages"] > 2


# --- the real corpus -----------------------------------------------------------------------------


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_error_rate(got: list[str], expected: list[str]) -> float:
    """Edit distance between the texts joined by blank lines, over the expected length.

    Paragraphs are aligned first and only the differing runs are compared character by
    character (an upper bound of the full distance, fast on 100k-character reports).
    """
    distance = 0
    matcher = difflib.SequenceMatcher(None, got, expected, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            distance += levenshtein("\n\n".join(got[i1:i2]), "\n\n".join(expected[j1:j2])) + 2
    return distance / max(1, len("\n\n".join(expected)))


def _clean(text: str) -> str:
    from pipeline.ingest.normalize import clean_text  # the normalisation load() applies

    return clean_text(" ".join(text.split()))


CORPUS_PDFS = sorted((CORPUS / "pdf").glob("*.pdf")) if (CORPUS / "pdf").is_dir() else []


@pytest.fixture(scope="module")
def corpus_docs() -> dict[str, tuple[object, dict]]:
    out = {}
    for pdf in CORPUS_PDFS:
        truth_path = CORPUS / "truth" / f"{pdf.stem}.json"
        if truth_path.exists():
            out[pdf.stem] = (load(pdf), json.loads(truth_path.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("stem", [p.stem for p in CORPUS_PDFS])
def test_corpus_pdf_matches_truth(corpus_docs, stem: str) -> None:  # noqa: ANN001
    assert stem in corpus_docs, f"corpus/truth/{stem}.json is missing: run `make corpus`"
    doc, truth = corpus_docs[stem]
    got = [_clean(b.text) for b in doc.blocks]
    expected = [_clean(p["text"]) for p in truth["paragraphs"]]
    assert char_error_rate(got, expected) <= 0.005
    body = doc.text
    if truth.get("running_header"):
        assert truth["running_header"] not in body
        assert doc.page_headers == [truth["running_header"]]
    assert not any(re.fullmatch(r"\d{1,3}", b.text) for b in doc.blocks)
    # Every table cell is recovered, in a table, and none leaks into the body.
    cells = {_clean(c) for t in doc.tables for row in t.rows for c in row}
    for table in truth["tables"]:
        for row in table["rows"]:
            for cell in row:
                assert _clean(cell) in cells
    assert len(doc.tables) == len(truth["tables"])
    # Footnotes are out of the body and linked to their markers.
    assert {f.id: _clean(f.text) for f in doc.footnotes} == {
        f["id"]: _clean(f["text"]) for f in truth["footnotes"]}
    for note in doc.footnotes:
        # Linked to a body paragraph, or to the table cell holding its marker.
        assert note.block is not None or (note.table is not None and note.row is not None)
        assert note.text[:30] not in body


def test_a_page_without_gutter_is_read_in_the_columns_other_pages_show() -> None:
    """Page 2 of a two-column document holds a full left column and one line left over in
    the right one (no gutter to find): both get their column's frame, read left then right."""
    from pipeline.ingest.pdf_columns import adopt_column_frames

    left, right = (90.0, 292.0), (320.0, 522.0)
    page1 = [Line(f"{side} {i}", 1, f[0], f[1], 70.0 + 14 * i, 82.0 + 14 * i, 11.0, frame=f)
             for side, f in (("a", left), ("b", right)) for i in range(6)]
    lines = [Line(f"left {i}", 2, 90.5, 291.0, 72.0 + 14 * i, 84.0 + 14 * i, 11.0)
             for i in range(6)]
    tail = Line("định này.", 2, 342.0, 377.0, 73.0, 85.0, 11.0)
    page2 = [lines[0], tail, *lines[1:]]  # rows by height: the right line sits in row one
    pages = [page1, page2]
    adopt_column_frames(pages)
    assert [ln.text for ln in pages[1]] == [f"left {i}" for i in range(6)] + ["định này."]
    assert {ln.frame for ln in lines} == {left} and tail.frame == right
    # A one-column page (full-width lines) is left alone.
    full = [Line(f"full {i}", 3, 90.0, 521.0, 72.0 + 14 * i, 84.0 + 14 * i, 11.0)
            for i in range(6)]
    adopt_column_frames([page1, full])
    assert all(ln.frame is None for ln in full)


def test_a_list_item_ending_two_pages_is_not_a_running_footer() -> None:
    """Four pages; "1. Mã cơ quan lưu trữ" ends pages 1 and 3 at one height (masked digits
    make them one text): body text. A footer on every page still goes."""
    from pipeline.ingest.pdf_furniture import strip_running_lines

    pages = []
    for p in range(1, 5):
        lines = [line(f"đoạn văn bản {p}.{i}", bottom=100.0 + 20 * i, page=p) for i in range(5)]
        if p in (1, 3):
            lines.append(line("1. Mã cơ quan lưu trữ", x1=300.0, bottom=760.0, page=p))
        lines.append(line("Văn phòng Đảng uỷ", x1=300.0, bottom=800.0, page=p))
        pages.append(lines)
    headers, footers = strip_running_lines(pages, [842.0] * 4)
    assert footers == ["Văn phòng Đảng uỷ"]
    assert sum(ln.text == "1. Mã cơ quan lưu trữ" for lines in pages for ln in lines) == 2
