"""Short reports with a real letterhead, written here, in the layouts units print them.

Each spec is a letterhead (left column: parent and issuing body, "*", the number; right column:
"ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date), the type name and summary lines, a body of
headings and paragraphs, a signature block and "Nơi nhận". The headings follow the schemes real
reports use (the pages corpus and the seeds: "PHẦN I" with a subtitle and a term line, "I-",
"1.", "1.1.", "a)", a number on a line of its own, a table of contents), and the gold outline is
written in the spec, before any run: the title is one heading (type name and summary joined), a
heading printed over several lines is one heading, no letterhead, table-of-contents, signature
or recipient line is one.

`build(spec, kind, out_dir)` renders one spec as DOCX (letterhead and signature as two-column
borderless tables, headings bold), PDF (that DOCX printed by LibreOffice: side by side) or TXT
(stacked lines, no formatting). Text is the project's own; no third-party text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

P = "p"  # a body paragraph
H = "h"  # a heading line (printed bold in DOCX/PDF)

FILLER = [
    "Trong nhiệm kỳ, cấp ủy đã bám sát nghị quyết đại hội, cụ thể hóa thành chương trình công "
    "tác toàn khóa và kế hoạch hằng năm; các chỉ tiêu chủ yếu đều đạt và vượt so với nghị quyết.",
    "Công tác giáo dục chính trị, tư tưởng được quan tâm; đảng viên chấp hành nghiêm chủ trương "
    "của Đảng, chính sách, pháp luật của Nhà nước, không có đảng viên vi phạm phải xử lý kỷ luật.",
    "Tuy vậy, việc đổi mới nội dung sinh hoạt chi bộ có lúc chưa thường xuyên; một số đảng viên "
    "chưa phát huy hết vai trò tiên phong, gương mẫu trong thực hiện nhiệm vụ được giao.",
    "Nhiệm kỳ tới, chi bộ tiếp tục nâng cao năng lực lãnh đạo và sức chiến đấu, phấn đấu hằng năm "
    "được xếp loại hoàn thành tốt nhiệm vụ trở lên, kết nạp ít nhất hai đảng viên mới.",
]


@dataclass
class Spec:
    name: str
    left: list[str]
    right: list[str]
    title: list[str]
    body: list[tuple[str, str]]  # (P|H, text); a heading over two lines is two H lines
    gold: list[str]  # the expected headings, title first
    sign_right: list[str] = field(default_factory=lambda: ["T/M CHI BỘ", "BÍ THƯ",
                                                           "Nguyễn Văn Nam"])
    sign_left: list[str] = field(default_factory=lambda: [
        "Nơi nhận:", "- Đảng ủy cấp trên;", "- Đảng viên trong chi bộ;", "- Lưu chi bộ."])


def _p(i: int) -> tuple[str, str]:
    return (P, FILLER[i % len(FILLER)])


SPECS: list[Spec] = [
    Spec(
        name="chi_bo_parts",
        left=["ĐẢNG BỘ XÃ TÂN PHÚ", "CHI BỘ ẤP BÌNH AN", "*", "Số 08-BC/CB"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Tân Phú, ngày 12 tháng 4 năm 2025"],
        title=["BÁO CÁO CHÍNH TRỊ", "của Chi bộ ấp Bình An nhiệm kỳ 2022 – 2025",
               "trình Đại hội nhiệm kỳ 2025 – 2027"],
        body=[(H, "PHẦN I"), (H, "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI"),
              (H, "NHIỆM KỲ 2022 - 2025"), _p(0),
              (H, "I- KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU"), _p(1),
              (H, "II- KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CHỦ YẾU"),
              (H, "1. Lãnh đạo thực hiện nhiệm vụ chính trị"), _p(0),
              (H, "2. Công tác xây dựng Đảng"), _p(1),
              (H, "III- ĐÁNH GIÁ CHUNG"), _p(2),
              (H, "PHẦN II"), (H, "PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ"),
              (H, "NHIỆM KỲ 2025 - 2027"), _p(3),
              (P, "Trên đây là báo cáo chính trị của Chi bộ ấp Bình An nhiệm kỳ 2022 – 2025, "
                  "xin kính trình Đại hội./.")],
        gold=["BÁO CÁO CHÍNH TRỊ của Chi bộ ấp Bình An nhiệm kỳ 2022 – 2025 trình Đại hội "
              "nhiệm kỳ 2025 – 2027",
              "PHẦN I KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2022 - 2025",
              "I- KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU",
              "II- KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CHỦ YẾU",
              "1. Lãnh đạo thực hiện nhiệm vụ chính trị", "2. Công tác xây dựng Đảng",
              "III- ĐÁNH GIÁ CHUNG",
              "PHẦN II PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2027"],
    ),
    Spec(
        name="dang_bo_numbers_alone",
        left=["ĐẢNG BỘ HUYỆN ĐỨC THỌ", "ĐẢNG ỦY XÃ TÙNG LỘC", "*", "Số 41-BC/ĐU"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Tùng Lộc, ngày 03 tháng 6 năm 2025"],
        title=["BÁO CÁO CHÍNH TRỊ",
               "CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ TÙNG LỘC KHÓA XXIV TẠI ĐẠI HỘI ĐẠI BIỂU",
               "LẦN THỨ XXV, NHIỆM KỲ 2025 - 2030"],
        body=[(H, "Phần thứ nhất"), (H, "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT"), _p(0),
              (H, "I. LĨNH VỰC KINH TẾ"), _p(1),
              (H, "2.1."), (H, "Sản xuất nông nghiệp"), _p(2),
              (H, "2.1.1."), (H, "Trồng trọt"), _p(0),
              (H, "2.1.2."), (H, "Chăn nuôi"), _p(1),
              (H, "II. CÔNG TÁC XÂY DỰNG ĐẢNG"), _p(2),
              (H, "Phần thứ hai"), (H, "PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025 - 2030"), _p(3),
              (P, "Trên đây là báo cáo chính trị của Ban Chấp hành Đảng bộ xã Tùng Lộc khóa "
                  "XXIV, xin kính trình Đại hội./.")],
        gold=["BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ TÙNG LỘC KHÓA XXIV TẠI ĐẠI HỘI "
              "ĐẠI BIỂU LẦN THỨ XXV, NHIỆM KỲ 2025 - 2030",
              "Phần thứ nhất ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT", "I. LĨNH VỰC KINH TẾ",
              "2.1. Sản xuất nông nghiệp", "2.1.1. Trồng trọt", "2.1.2. Chăn nuôi",
              "II. CÔNG TÁC XÂY DỰNG ĐẢNG",
              "Phần thứ hai PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025 - 2030"],
        sign_right=["T/M BAN CHẤP HÀNH", "BÍ THƯ", "Lê Thị Hoa"],
    ),
    Spec(
        name="review_with_toc",
        left=["ĐẢNG ỦY KHỐI CƠ QUAN TỈNH", "ĐẢNG ỦY SỞ NỘI VỤ", "*", "Số 15-BC/ĐU"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Tĩnh, ngày 20 tháng 5 năm 2025"],
        title=["BÁO CÁO", "KIỂM ĐIỂM SỰ LÃNH ĐẠO, CHỈ ĐẠO CỦA BAN CHẤP HÀNH ĐẢNG BỘ",
               "NHIỆM KỲ 2020 - 2025"],
        body=[(H, "MỤC LỤC"), (P, "I. ƯU ĐIỂM ........ 2"),
              (P, "II. HẠN CHẾ, KHUYẾT ĐIỂM ...... 4"),
              (P, "III. PHƯƠNG HƯỚNG KHẮC PHỤC ...... 6"),
              (H, "I. ƯU ĐIỂM"), _p(0), (H, "1. Về lãnh đạo thực hiện nhiệm vụ chính trị"), _p(1),
              (H, "2. Về công tác xây dựng Đảng"), _p(0),
              (H, "II. HẠN CHẾ, KHUYẾT ĐIỂM"), _p(2), (H, "a) Hạn chế"), _p(2),
              (H, "b) Nguyên nhân"), _p(1),
              (H, "III. PHƯƠNG HƯỚNG KHẮC PHỤC"), _p(3)],
        gold=["BÁO CÁO KIỂM ĐIỂM SỰ LÃNH ĐẠO, CHỈ ĐẠO CỦA BAN CHẤP HÀNH ĐẢNG BỘ NHIỆM KỲ "
              "2020 - 2025",
              "I. ƯU ĐIỂM", "1. Về lãnh đạo thực hiện nhiệm vụ chính trị",
              "2. Về công tác xây dựng Đảng", "II. HẠN CHẾ, KHUYẾT ĐIỂM", "a) Hạn chế",
              "b) Nguyên nhân", "III. PHƯƠNG HƯỚNG KHẮC PHỤC"],
        sign_right=["T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Trần Quốc Việt"],
    ),
    Spec(
        name="resolution",
        left=["ĐẢNG BỘ TỈNH QUẢNG TRỊ", "ĐẢNG BỘ HUYỆN HẢI LĂNG", "*", "Số 01-NQ/ĐH"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hải Lăng, ngày 18 tháng 7 năm 2025"],
        title=["NGHỊ QUYẾT", "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ HUYỆN HẢI LĂNG LẦN THỨ XXI",
               "NHIỆM KỲ 2025 - 2030"],
        body=[(P, "Đại hội đại biểu Đảng bộ huyện Hải Lăng lần thứ XXI họp từ ngày 16 đến ngày "
                  "18 tháng 7 năm 2025, sau khi thảo luận các văn kiện,"),
              (H, "QUYẾT NGHỊ:"), (H, "1. Tán thành đánh giá kết quả nhiệm kỳ 2020 - 2025"), _p(0),
              (H, "2. Mục tiêu tổng quát nhiệm kỳ 2025 - 2030"), _p(3),
              (H, "3. Các chỉ tiêu chủ yếu"), _p(1),
              (H, "4. Nhiệm vụ, giải pháp"), _p(2)],
        gold=["NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ HUYỆN HẢI LĂNG LẦN THỨ XXI NHIỆM KỲ "
              "2025 - 2030",
              "QUYẾT NGHỊ:", "1. Tán thành đánh giá kết quả nhiệm kỳ 2020 - 2025",
              "2. Mục tiêu tổng quát nhiệm kỳ 2025 - 2030", "3. Các chỉ tiêu chủ yếu",
              "4. Nhiệm vụ, giải pháp"],
        sign_right=["T/M ĐẠI HỘI", "CHỦ TỊCH ĐOÀN", "Phạm Văn Đức"],
        sign_left=["Nơi nhận:", "- Ban Thường vụ Tỉnh ủy;", "- Các tổ chức cơ sở đảng;",
                   "- Lưu Văn phòng Huyện ủy."],
    ),
    Spec(
        name="speech",
        left=["ĐẢNG BỘ PHƯỜNG AN HÒA", "CHI BỘ KHU PHỐ 3"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "An Hòa, ngày 10 tháng 8 năm 2025"],
        title=["THAM LUẬN", "VỀ NÂNG CAO CHẤT LƯỢNG SINH HOẠT CHI BỘ KHU PHỐ"],
        body=[(P, "Kính thưa Đoàn Chủ tịch!"), (P, "Kính thưa toàn thể Đại hội!"), _p(1),
              (H, "1. Những kết quả đạt được"), _p(0),
              (H, "2. Một số đề xuất, kiến nghị"), _p(2),
              (P, "Xin chân thành cảm ơn Đại hội!")],
        gold=["THAM LUẬN VỀ NÂNG CAO CHẤT LƯỢNG SINH HOẠT CHI BỘ KHU PHỐ",
              "1. Những kết quả đạt được", "2. Một số đề xuất, kiến nghị"],
        sign_right=["NGƯỜI THAM LUẬN", "Võ Thị Lan"],
        sign_left=[],
    ),
    Spec(
        name="chi_bo_roman_bold_plain",
        left=["ĐẢNG ỦY CÔNG TY ĐIỆN LỰC", "CHI BỘ PHÒNG KỸ THUẬT", "*", "Số 05-BC/CB"],
        right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Vinh, ngày 25 tháng 3 năm 2025"],
        title=["BÁO CÁO CHÍNH TRỊ", "TẠI ĐẠI HỘI CHI BỘ PHÒNG KỸ THUẬT", "NHIỆM KỲ 2025 - 2027"],
        body=[(H, "A. ĐẶC ĐIỂM TÌNH HÌNH"), _p(0),
              (H, "B. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ NHIỆM KỲ 2022 - 2025"),
              (H, "I. LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ"), _p(1),
              (H, "II. CÔNG TÁC XÂY DỰNG ĐẢNG"), (H, "1. Công tác chính trị, tư tưởng"), _p(0),
              (H, "2. Công tác tổ chức, cán bộ và đảng viên"), _p(1),
              (H, "3. Công tác kiểm tra, giám sát"), _p(2),
              (H, "C. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025 - 2027"), _p(3),
              (P, "Trên đây là báo cáo chính trị của Chi bộ Phòng Kỹ thuật trình Đại hội nhiệm "
                  "kỳ 2025 - 2027./.")],
        gold=["BÁO CÁO CHÍNH TRỊ TẠI ĐẠI HỘI CHI BỘ PHÒNG KỸ THUẬT NHIỆM KỲ 2025 - 2027",
              "A. ĐẶC ĐIỂM TÌNH HÌNH",
              "B. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ NHIỆM KỲ 2022 - 2025",
              "I. LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ", "II. CÔNG TÁC XÂY DỰNG ĐẢNG",
              "1. Công tác chính trị, tư tưởng", "2. Công tác tổ chức, cán bộ và đảng viên",
              "3. Công tác kiểm tra, giám sát",
              "C. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025 - 2027"],
    ),
]


def _columns(document, left: list[str], right: list[str]) -> None:  # noqa: ANN001
    table = document.add_table(rows=1, cols=2)
    for cell, texts in zip(table.rows[0].cells, (left, right), strict=True):
        texts = texts or [""]
        cell.paragraphs[0].text = texts[0]
        for text in texts[1:]:
            cell.add_paragraph(text)
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.font.size = Pt(12)
                run.font.bold = run.text.isupper()


def _docx(spec: Spec, path: Path) -> Path:
    document = new_docx()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    _columns(document, spec.left, spec.right)
    for text in spec.title:
        p = document.add_paragraph()
        p.add_run(text).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in spec.body:
        p = document.add_paragraph()
        p.add_run(text).bold = kind == H
        if kind == P:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _columns(document, spec.sign_left, spec.sign_right)
    document.save(path)
    return path


def _txt(spec: Spec, path: Path, blank_lines: bool) -> Path:
    """Stacked lines: one paragraph per line (Word's plain-text export), or with a blank line
    between paragraphs (text copied from a PDF or a web page)."""
    gap = [""] if blank_lines else []
    lines = [*spec.left, *spec.right, *gap, *spec.title, *gap]
    for _kind, text in spec.body:
        lines += [text, *gap]
    lines += [*spec.sign_right, *gap, *spec.sign_left]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


KINDS = ("docx", "pdf", "txt", "txt_blank_lines")


def build(spec: Spec, kind: str, out_dir: Path) -> Path | None:
    """The spec rendered as `kind` (KINDS); None when there is no PDF printer."""
    if kind.startswith("txt"):
        return _txt(spec, out_dir / f"{spec.name}.{kind}.txt", kind == "txt_blank_lines")
    docx = _docx(spec, out_dir / f"{spec.name}.docx")
    if kind == "docx":
        return docx
    sys_path = Path(__file__).resolve().parents[1] / "tests"
    import sys

    if str(sys_path) not in sys.path:
        sys.path.insert(0, str(sys_path))
    from pdf_fixtures import convert_to_pdf

    return convert_to_pdf(docx, out_dir)
