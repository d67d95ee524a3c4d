"""Real PDFs for the PDF reader's tests, made with real tools at test time.

A DOCX is written with python-docx (Vietnamese text from seed 000, headings, bullets, a running
header "DỰ THẢO", page numbers from a PAGE field, a bordered table, a table long enough to break
across pages, footnotes) and converted by LibreOffice, the way most reports reach us as PDF.
Bad inputs (truncated, encrypted, image-only) are derived from that PDF with qpdf, pdftoppm and
Pillow. Each builder returns None when its tool is missing; the tests then fail with the tool's
name (the Makefile installs them all).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

# The layout generator beside corpus/build.py writes footnotes the same way: one piece of code.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corpus.layouts import (  # noqa: E402
    add_footnote_ref,
    add_footnotes_part,
    add_page_field,
    soffice,
)

HEADER_TEXT = "DỰ THẢO"

# Body paragraphs taken from seed 000 (joined back into paragraphs).
PARAGRAPHS = [
    "Trung tâm Đo lường chất lượng Viễn thông tiền thân là Trung tâm Đo lường và Trung tâm "
    "Kiểm định và Chứng nhận 1,2,3 được tổ chức lại vào tháng 9/2020, là đơn vị sự nghiệp tự chủ "
    "chi thường xuyên trực thuộc Cục Viễn thông thực hiện chức năng đo kiểm, chứng nhận, giám "
    "sát, kiểm định trong lĩnh vực viễn thông và Internet trên địa bàn cả nước.",
    "Đảng bộ bộ phận Trung tâm Đo lường Chất lượng Viễn thông tiền thân là hợp nhất của 04 chi "
    "bộ bao gồm: Chi bộ đo lường và 03 chi bộ kiểm định và chứng nhận 1,2,3. Đảng bộ bộ phận "
    "Trung tâm Đo lường được thành lập theo Quyết định số 126-QĐ/ĐU ngày 24 tháng 8 năm 2021 "
    "của Đảng ủy Cục viễn thông.",
    "Nhiệm kỳ 2025-2030, Đảng bộ bộ phận Trung tâm có 42 Đảng viên trong đó 41 Đảng viên chính "
    "thức và 01 Đảng viên dự bị, số Đảng viên chiếm tỷ lệ 50% trong tổng số 84 viên chức và "
    "người lao động của Trung tâm.",
    "Trong nhiệm kỳ, với điều kiện vẫn có nhiều khó khăn thách thức với các tác động ảnh hưởng "
    "kéo dài của đại dịch Covid-19 đến cuộc sống của xã hội; các thay đổi cập nhật chính sách "
    "quản lý trong chứng nhận hợp quy, với nhiều quy chuẩn kỹ thuật mới được ban hành và có "
    "hiệu lực áp dụng; năng lực đo kiểm phục vụ chứng nhận hợp quy của chi nhánh còn hạn chế do "
    "thiếu hụt các trang thiết bị đo kiểm, phòng đo kiểm EMC.",
    "Các thiết bị viễn thông được nhập khẩu vào Việt Nam hoặc sản xuất để bán tại thị trường "
    "Việt Nam đều bắt buộc phải thực hiện chứng nhận hợp quy và công bố hợp quy theo các quy "
    "định của Bộ Thông tin và Truyền thông để đảm bảo việc sử dụng không gây mất an toàn và "
    "ảnh hưởng, gây can nhiễu đến các thiết bị khác.",
]

BULLETS = [
    "- Tuổi bình quân của Đảng viên là 45,25 tuổi",
    "- Trình độ đại học và trên đại học chiếm 100 %",
    "- Số Đảng viên nam 32 đồng chí, chiếm tỷ lệ 76,2 %; số Đảng viên nữ 10 đồng chí, chiếm "
    "tỷ lệ 23,8 %, trình độ lý luận chính trị: 06 cao cấp; 05 trung cấp và 31 sơ cấp.",
    "+ Công tác đo kiểm chất lượng sản phẩm, dịch vụ viễn thông: Trung tâm đã được đầu tư trang "
    "bị 06 hệ thống đo kiểm thiết bị di động 3G/4G/5G.",
]

HEADINGS = [
    "A. ĐẶC ĐIỂM TÌNH HÌNH",
    "1. Khái quát về cơ cấu tổ chức và hoạt động của cơ quan, đơn vị",
    "B. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ",
    "PHỤ LỤC",
]

FOOTNOTES = {
    "1": "Tính đến ngày 31/3/2025",
    "2": "Theo Quyết định số 126-QĐ/ĐU của Đảng ủy Cục Viễn thông",
}

SMALL_TABLE = [
    ["STT", "Nội dung", "2024", "2023"],
    ["1", "Chứng nhận hợp quy", "16.199", "17.302"],
    ["2", "Phí thẩm định thiết bị viễn thông và đài vô tuyến điện", "18.792", "17.566"],
    ["", "Cộng", "35.000", "34.868"],
]

LONG_TABLE = [["NĂM", "SỐ HỒ SƠ", "SỐ GIẤY CNHQ ĐÃ CẤP"]] + [
    [str(1990 + i), str(2000 + 37 * i), str(4000 + 53 * i)] for i in range(45)
]


# Printed without borders: found from its aligned columns of numbers.
BORDERLESS_TABLE = [
    ["NĂM", "SỐ HỒ SƠ", "SỐ GIẤY"],
    ["2020", "2921", "4262"],
    ["2021", "3531", "5616"],
    ["2022", "2538", "4540"],
    ["2023", "2160", "3636"],
]


def _add_table(document, rows: list[list[str]], borders: bool = True) -> None:  # noqa: ANN001
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    if borders:
        table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _body_paragraph(document, text: str):  # noqa: ANN001, ANN202
    p = document.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Pt(28)
    return p


def _heading(document, text: str) -> None:  # noqa: ANN001
    p = document.add_paragraph()
    p.add_run(text).bold = True


def build_report_docx(path: Path) -> Path:
    """The report DOCX; the expected body is `expected_body()`."""
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = HEADER_TEXT
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_field(footer)
    add_footnotes_part(document, list(FOOTNOTES.values()), 20)

    _heading(document, HEADINGS[0])
    _heading(document, HEADINGS[1])
    p = _body_paragraph(document, PARAGRAPHS[0])
    add_footnote_ref(p, 1)
    for text in PARAGRAPHS[1:3]:
        _body_paragraph(document, text)
    for text in BULLETS:
        _body_paragraph(document, text)
    _heading(document, HEADINGS[2])
    p = _body_paragraph(document, PARAGRAPHS[3])
    add_footnote_ref(p, 2)
    _add_table(document, SMALL_TABLE)
    _body_paragraph(document, PARAGRAPHS[4])
    _add_table(document, BORDERLESS_TABLE, borders=False)
    for _ in range(2):  # enough text that the long table starts mid-page and breaks
        for text in PARAGRAPHS[:3]:
            _body_paragraph(document, text)
    _heading(document, HEADINGS[3])
    _add_table(document, LONG_TABLE)
    _body_paragraph(document, "Trên đây là báo cáo chính trị xin kính trình Đại hội./.")
    document.save(path)
    return path


TITLE_LEFT = ["ĐẢNG BỘ CỤC VIỄN THÔNG", "ĐẢNG BỘ BỘ PHẬN TRUNG TÂM", "*"]
TITLE_RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 15 tháng 5 năm 2025"]
SIGN_LEFT = ["Nơi nhận:", "- Đảng ủy Cục Viễn thông;", "- Lưu VP."]
SIGN_RIGHT = ["T/M BAN CHẤP HÀNH", "BÍ THƯ", "Nguyễn Văn A"]


def _side_by_side(document, left: list[str], right: list[str]) -> None:  # noqa: ANN001
    """Two columns printed side by side, the way Word users lay out title and signature blocks:
    a borderless table of one row."""
    table = document.add_table(rows=1, cols=2)
    for cell, texts in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].text = texts[0]
        for text in texts[1:]:
            cell.add_paragraph(text)
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def build_title_docx(path: Path) -> Path:
    """A short report with a title block and a signature block: read column by column."""
    document = DocxDocument()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    _side_by_side(document, TITLE_LEFT, TITLE_RIGHT)
    _heading(document, "BÁO CÁO CHÍNH TRỊ")
    for text in PARAGRAPHS[:2]:
        _body_paragraph(document, text)
    _side_by_side(document, SIGN_LEFT, SIGN_RIGHT)
    document.save(path)
    return path


def expected_body() -> list[str]:
    """The body paragraphs, in order, as the PDF reader should rebuild them."""
    first = PARAGRAPHS[0]
    return [
        HEADINGS[0], HEADINGS[1], first, *PARAGRAPHS[1:3], *BULLETS, HEADINGS[2],
        PARAGRAPHS[3], PARAGRAPHS[4], *(PARAGRAPHS[:3] * 2), HEADINGS[3],
        "Trên đây là báo cáo chính trị xin kính trình Đại hội./.",
    ]


def convert_to_pdf(docx_path: Path, out_dir: Path) -> Path | None:
    exe = soffice()
    if exe is None:
        return None
    profile = out_dir / "lo_profile"
    subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(docx_path)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = out_dir / (docx_path.stem + ".pdf")
    return pdf if pdf.exists() else None


def truncated_copy(pdf: Path, out: Path) -> Path:
    data = pdf.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def encrypted_copy(pdf: Path, out: Path) -> Path | None:
    exe = shutil.which("qpdf")
    if exe is None:
        return None
    subprocess.run([exe, "--encrypt", "user", "owner", "256", "--", str(pdf), str(out)],
                   check=True, capture_output=True, timeout=60)
    return out


def image_only_copy(pdf: Path, out: Path) -> Path | None:
    """A 'scan': the first page rendered to PNG and wrapped back into a PDF with no text."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return None
    from PIL import Image

    stem = out.with_suffix("")
    subprocess.run([exe, "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True, timeout=60)
    with Image.open(stem.with_suffix(".png")) as image:
        image.convert("RGB").save(out, "PDF", resolution=60.0)
    return out


LEGACY_TEXT = "Đảng bộ Trung tâm đã lãnh đạo hoàn thành tốt các chỉ tiêu, nhiệm vụ chính trị."


def legacy_paragraphs() -> list[str]:
    return [" ".join([LEGACY_TEXT] * 3), LEGACY_TEXT]


def build_legacy_pdf(out_dir: Path) -> Path | None:
    """A PDF whose text is TCVN3 bytes in a font named ".VnTime", like an old ABC document.

    LibreOffice cannot embed a .VnTime font it does not have, so the text is written in TCVN3
    with an ordinary font and the font is renamed in the PDF afterwards (qpdf's QDF mode keeps
    the file editable; fix-qdf repairs the offsets).
    """
    exe, fix = soffice(), shutil.which("fix-qdf")
    if exe is None or fix is None or shutil.which("qpdf") is None:
        return None
    from pipeline.ingest import legacy

    document = DocxDocument()
    document.styles["Normal"].font.name = "Liberation Serif"
    for text in legacy_paragraphs():
        document.add_paragraph(legacy.encode(text, "tcvn3"))
    docx_path = out_dir / "legacy.docx"
    document.save(docx_path)
    pdf = convert_to_pdf(docx_path, out_dir)
    if pdf is None:
        return None
    qdf = out_dir / "legacy.qdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(qdf)],
                   check=True, capture_output=True, timeout=60)
    data = qdf.read_bytes().replace(b"LiberationSerif", b".VnTime")
    edited = out_dir / "legacy_edited.qdf"
    edited.write_bytes(data)
    out = out_dir / "legacy_vntime.pdf"
    with out.open("wb") as fh:
        subprocess.run([fix, str(edited)], check=True, stdout=fh, timeout=60)
    return out


def repeated_copy(pdf: Path, out: Path, times: int) -> Path | None:
    """A long PDF made by repeating every page of `pdf` (for speed and memory checks)."""
    exe = shutil.which("qpdf")
    if exe is None:
        return None
    args = [exe, "--empty", "--pages", *([str(pdf)] * times), "--", str(out)]
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    return out


__all__ = [
    "build_legacy_pdf", "build_report_docx", "build_title_docx", "convert_to_pdf",
    "encrypted_copy", "expected_body",
    "image_only_copy", "repeated_copy", "truncated_copy",
]
