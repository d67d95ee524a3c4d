"""The form of a party document (pipeline.extract.form): letterhead, title, signature and
recipients, read from a TXT file, a DOCX with a two-column title table and the PDF LibreOffice
prints from it. The texts are short passages written here in the layout real reports use."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from pdf_fixtures import convert_to_pdf
from pipeline.extract.form import parse_form
from pipeline.ingest import load
from pipeline.model import Block, Document

LEFT = ["ĐẢNG BỘ TỈNH HÀ TĨNH", "CHI BỘ THÔN ĐÔNG HÀ", "*", "Số 12-BC/CB"]
RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "Thạch Hà, ngày 20 tháng 3 năm 2025"]
TITLE = ["BÁO CÁO CHÍNH TRỊ", "của Chi bộ thôn Đông Hà nhiệm kỳ 2022 – 2025",
         "trình Đại hội nhiệm kỳ 2025 – 2027"]
BODY = [
    "Phần thứ nhất",
    "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2022 - 2025",
    "I. CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ",
    "Trong nhiệm kỳ, chi bộ đã lãnh đạo nhân dân trong thôn phát triển kinh tế, giữ vững an "
    "ninh trật tự; thu nhập bình quân đầu người đạt 52 triệu đồng một năm, tăng 18% so với "
    "đầu nhiệm kỳ.",
    "Trên đây là báo cáo chính trị của Chi bộ thôn Đông Hà nhiệm kỳ 2022 – 2025, xin kính "
    "trình Đại hội./.",
]
SIGN_LEFT = ["Nơi nhận:", "- Đảng ủy xã Đông Hà;", "- Đảng viên trong chi bộ;", "- Lưu chi bộ."]
SIGN_RIGHT = ["T/M CHI BỘ", "BÍ THƯ", "Trần Văn Bình"]


def _check(form, signature: bool = True) -> None:  # noqa: ANN001
    assert form.issuer == "CHI BỘ THÔN ĐÔNG HÀ"
    assert form.parent == "ĐẢNG BỘ TỈNH HÀ TĨNH"
    assert form.number == "12-BC/CB"
    assert (form.place, form.date) == ("Thạch Hà", "2025-03-20")
    assert form.type_name == "BÁO CÁO CHÍNH TRỊ"
    assert form.type_doc == "political_report"
    assert form.title == " ".join(TITLE)
    assert form.motto
    if signature:
        assert form.signer == "Trần Văn Bình"
        assert form.signer_role == "T/M CHI BỘ, BÍ THƯ"
        assert form.recipients == ["Đảng ủy xã Đông Hà", "Đảng viên trong chi bộ", "Lưu chi bộ"]
    assert not form.warnings


def test_txt_stacked_lines(tmp_path: Path) -> None:
    lines = LEFT + RIGHT + [""] + TITLE + [""] + BODY + [""] + SIGN_RIGHT + [""] + SIGN_LEFT
    path = tmp_path / "bc.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = load(path)
    form = parse_form(doc)
    _check(form)
    body = [doc.blocks[i].text for i in range(len(doc.blocks)) if i not in form.form_blocks]
    assert body[0] == "Phần thứ nhất" and body[-1].startswith("Trên đây là báo cáo")


def test_two_columns_on_one_line() -> None:
    """A text export that kept the two columns side by side on one line."""
    lines = ["ĐẢNG BỘ TỈNH HÀ TĨNH        ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ THÔN ĐÔNG HÀ",
             "*", "Số 12-BC/CB        Thạch Hà, ngày 20 tháng 3 năm 2025", *TITLE, *BODY]
    form = parse_form(Document(source="x", format="txt", sha256="",
                               blocks=[Block(text=t) for t in lines]))
    _check(form, signature=False)
    assert form.letterhead_blocks == [0, 1, 2, 3]
    assert form.title_blocks == [4, 5, 6]


def _build_docx(path: Path) -> Path:
    document = DocxDocument()
    for cells in ((LEFT, RIGHT),):
        table = document.add_table(rows=1, cols=2)
        for cell, texts in zip(table.rows[0].cells, cells, strict=True):
            cell.paragraphs[0].text = texts[0]
            for text in texts[1:]:
                cell.add_paragraph(text)
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in TITLE:
        p = document.add_paragraph()
        p.add_run(text).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in BODY:
        p = document.add_paragraph()
        p.add_run(text).bold = text.isupper() or text.startswith("Phần")
    table = document.add_table(rows=1, cols=2)
    for cell, texts in zip(table.rows[0].cells, (SIGN_LEFT, SIGN_RIGHT), strict=True):
        cell.paragraphs[0].text = texts[0]
        for text in texts[1:]:
            cell.add_paragraph(text)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def docx_and_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path | None]:
    out = tmp_path_factory.mktemp("form")
    docx = _build_docx(out / "bc.docx")
    return docx, convert_to_pdf(docx, out)


def test_docx_title_table(docx_and_pdf: tuple[Path, Path | None]) -> None:
    form = parse_form(load(docx_and_pdf[0]))
    _check(form)
    assert form.signature_table is not None  # Word keeps the closing table as a table


def test_pdf_side_by_side(docx_and_pdf: tuple[Path, Path | None]) -> None:
    if docx_and_pdf[1] is None:
        pytest.skip("LibreOffice (soffice) is not installed: no PDF to read")
    doc = load(docx_and_pdf[1])
    form = parse_form(doc)
    _check(form)
    assert all(doc.blocks[i].text for i in form.signature_blocks)


def test_news_article_has_no_form() -> None:
    lines = ["Chi bộ thôn Đông Hà tổ chức Đại hội nhiệm kỳ 2025 - 2027",
             "Thứ Năm, 20/03/2025 | 16:38",
             "Sáng ngày 20/3, Chi bộ thôn Đông Hà tổ chức Đại hội đảng viên nhiệm kỳ 2025 - 2027. "
             "Dự Đại hội có đồng chí Bí thư Đảng ủy xã và 32 đảng viên trong chi bộ.",
             "Đại hội đã bầu Chi ủy khóa mới gồm 3 đồng chí.", "Trần Bình"]
    form = parse_form(Document(source="x", format="txt", sha256="",
                               blocks=[Block(text=t) for t in lines]))
    assert form.issuer is None and form.title is None and form.number is None
    assert form.signer is None and not form.form_blocks and not form.warnings


def test_blank_number_and_unreadable_letterhead_warn() -> None:
    lines = ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số       -NQ/ĐU", "NGHỊ QUYẾT",
             "ĐẠI HỘI ĐẢNG BỘ XÃ NHIỆM KỲ 2025 - 2030", "Căn cứ Điều lệ Đảng;"]
    form = parse_form(Document(source="x", format="txt", sha256="",
                               blocks=[Block(text=t) for t in lines]))
    assert form.number is None and form.issuer is None
    assert len(form.warnings) == 2
    assert form.type_doc == "resolution"
    assert form.title == "NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ XÃ NHIỆM KỲ 2025 - 2030"


# -- real layouts the held-out pages showed (benchmarks/real_outlines.py), written here ----------


def _form(*lines: str):  # noqa: ANN202 - a DocumentForm
    return parse_form(Document(source="x", format="txt", sha256="",
                               blocks=[Block(text=t) for t in lines]))


STATE_HEAD = ["UỶ BAN NHÂN DÂN", "XÃ HOÀ BÌNH", "Số: 15/KH-UBND",
              "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "Hoà Bình, ngày 03 tháng 3 năm 2021"]
PROSE = ("Thực hiện Kế hoạch số 21/KH-UBND ngày 31/01/2021 của UBND huyện, Ủy ban nhân dân xã "
         "ban hành kế hoạch tuyên truyền như sau:")


@pytest.mark.parametrize("summary", [
    "Tuyên truyền cuộc bầu cử đại biểu Hội đồng nhân dân các cấp, nhiệm kỳ 2021 - 2026",
    "về tuyên truyền cuộc bầu cử đại biểu Hội đồng nhân dân các cấp",
    "nội dung tuyên truyền cuộc bầu cử năm 2021"])
def test_summary_line_in_sentence_case_under_a_bare_type_name(summary: str) -> None:
    form = _form(*STATE_HEAD, "KẾ HOẠCH", summary, PROSE, "I. MỤC ĐÍCH, YÊU CẦU")
    assert form.type_doc == "plan"
    assert form.title == f"KẾ HOẠCH {summary}"


def test_a_first_body_sentence_is_not_a_summary() -> None:
    form = _form(*STATE_HEAD, "KẾ HOẠCH", PROSE, "I. MỤC ĐÍCH, YÊU CẦU")
    assert form.title == "KẾ HOẠCH"


def test_a_term_line_in_sentence_case_ends_the_title() -> None:
    form = _form("TRƯỜNG THCS HOÀ BÌNH", "TỔ KHOA HỌC TỰ NHIÊN",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hoà Bình, ngày 12 tháng 01 năm 2024",
                 "BÁO CÁO SƠ KẾT HỌC KÌ I TỔ CHUYÊN MÔN",
                 "Năm học 2023 - 2024", "Căn cứ kế hoạch năm học của nhà trường;")
    assert form.title == "BÁO CÁO SƠ KẾT HỌC KÌ I TỔ CHUYÊN MÔN Năm học 2023 - 2024"
    assert form.type_doc == "review_report"


def test_a_sentence_case_title_under_a_letterhead() -> None:
    form = _form("THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", "QUẬN ỦY QUẬN 8", "*",
                 "ĐẢNG CỘNG SẢN VIỆT NAM", "Quận 8, ngày 15 tháng 12 năm 2000",
                 "Báo cáo kiểm điểm của Ban Thường vụ Quận ủy năm 2000",
                 "Năm qua, Ban Thường vụ Quận ủy đã tập trung lãnh đạo các mặt công tác, đạt "
                 "được nhiều kết quả quan trọng trên các lĩnh vực chủ yếu sau đây:")
    assert (form.place, form.date) == ("Quận 8", "2000-12-15")  # a place with its number
    assert form.title == "Báo cáo kiểm điểm của Ban Thường vụ Quận ủy năm 2000"
    assert form.issuer == "QUẬN ỦY QUẬN 8"


def test_a_congress_letterhead_and_a_date_left_blank() -> None:
    form = _form("ĐẠI HỘI", "CHI BỘ TRƯỜNG MẦM NON HOA SEN", "NHIỆM KỲ 2025 - 2027",
                 "ĐẢNG CỘNG SẢN VIỆT NAM", "Hoa Sen, ngày     tháng 02 năm 2025",
                 "CHƯƠNG TRÌNH ĐẠI HỘI CHI BỘ TRƯỜNG MẦM NON HOA SEN", "A. PHẦN TRÙ BỊ")
    assert form.letterhead_blocks == [0, 1, 2, 3, 4]
    assert form.date is None and any("date line unreadable" in w for w in form.warnings)
    assert form.title == "CHƯƠNG TRÌNH ĐẠI HỘI CHI BỘ TRƯỜNG MẦM NON HOA SEN"


def test_a_unit_head_signs_as_its_role() -> None:
    form = _form(*STATE_HEAD, "KẾ HOẠCH", PROSE, "I. MỤC ĐÍCH, YÊU CẦU", PROSE, "TỔ TRƯỞNG",
                 "Lê Thị Mai")
    assert (form.signer_role, form.signer) == ("TỔ TRƯỞNG", "Lê Thị Mai")
