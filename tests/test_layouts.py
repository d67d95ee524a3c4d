"""Page layouts read back verbatim: columns, sans-serif and monospace word gaps, paragraphs
without indent, a table of contents kept out of the body. The PDFs are rendered at test time
by corpus/layouts.py (LibreOffice) from text
written here for the purpose."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.layouts import HEADER_TEXT, Layout, build_docx, soffice, to_pdf  # noqa: E402
from pipeline.ingest import load  # noqa: E402

ARTICLE = [
    "Báo cáo kết quả thực hiện Chỉ thị số 10-CT/TW năm 2024",
    "Thực hiện Chỉ thị số 10-CT/TW ngày 30-3-2007 của Ban Bí thư, Đảng uỷ đã ban hành kế "
    "hoạch triển khai tới 42 chi bộ trực thuộc; năm 2024 kết nạp 95 đảng viên mới, nâng tổng "
    "số đảng viên lên 3.828 đồng chí, tăng 5,6% so với năm 2023.",
    "Tổng thu ngân sách trên địa bàn đạt 157.105 triệu đồng, bằng 104,8% dự toán. Các chỉ "
    "tiêu do Đại hội VII đề ra cơ bản hoàn thành; riêng chỉ tiêu về thu nhập bình quân đầu "
    "người chưa đạt \"như kỳ vọng\" do ảnh hưởng của thiên tai.",
    "Công tác kiểm tra, giám sát được tăng cường: Uỷ ban Kiểm tra đã kiểm tra 12 tổ chức "
    "đảng và 27 đảng viên khi có dấu hiệu vi phạm, thi hành kỷ luật 3 đảng viên theo Quy định "
    "số 69-QĐ/TW.",
    "Phong trào thi đua yêu nước được phát động sâu rộng; nhiều mô hình hay, cách làm sáng "
    "tạo được nhân rộng, góp phần hoàn thành thắng lợi nhiệm vụ chính trị của địa phương.",
    "Bên cạnh kết quả đạt được, vẫn còn hạn chế: việc sinh hoạt chuyên đề ở một số chi bộ "
    "chưa thường xuyên, nội dung còn đơn điệu, chưa thu hút đảng viên tham gia.",
    "Năm 2025, Đảng bộ tập trung lãnh đạo chuẩn bị tốt đại hội chi bộ và Đại hội Đảng bộ "
    "nhiệm kỳ 2025-2030, bảo đảm đúng nguyên tắc, dân chủ, thành công.",
    "Nâng cao chất lượng sinh hoạt chi bộ, chú trọng giáo dục chính trị tư tưởng, rèn luyện "
    "đạo đức, lối sống cho cán bộ, đảng viên, nhất là người đứng đầu.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong công tác văn phòng, lưu trữ hồ sơ đảng "
    "viên và quản lý tài chính đảng; phấn đấu 100% chi bộ sử dụng sổ tay điện tử.",
]

# Bold centred titles whose stacked-mark letters ("Ứ", "Ỳ", "Ộ") Liberation Serif Bold lacks: the
# fallback font's ink overhangs the word space before a numeral ("LẦN THỨXXV" before).
TITLES = {
    "bold_title_numerals": "NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XXV, KỲ HỌP THỨ 3 CỦA HỘI "
                           "ĐỒNG KHÓA XIV, HỘI NGHỊ LẦN THỨ IX, NHIỆM KỲ 2025 - 2030",
    "bold_title_roman_after_mark": "BÁO CÁO TẠI ĐẠI HỘI XIII VÀ KỲ HỌP THỨ VII, ĐỢT I, "
                                   "KHỐI XII, TỔ DÂN PHỐ SỐ 5",
}

LAYOUTS = [
    Layout("bold_title_numerals"),
    Layout("bold_title_roman_after_mark", font="Liberation Sans", size=12, justified=False),
    Layout("one_page_header", running=True),
    # A one-column page inside a two-column document; short, so that the two-column pages
    # fill their left column only (no gutter to find on them).
    Layout("one_column_page", columns=2, column_rule=True, size=10, one_column_pages=True),
    Layout("one_column_page_short", columns=2, size=11, one_column_pages=True),
    Layout("sans", font="DejaVu Sans", size=11, justified=False, indent=False, space_after=6),
    Layout("mono", font="Liberation Mono", size=10, justified=False),
    Layout("noindent", indent=False),
    Layout("two_columns", columns=2, column_rule=True, size=10),
    Layout("three_columns", columns=3, font="DejaVu Sans", size=8, justified=False,
           indent=False, space_after=4),
    Layout("toc", running=True, toc=True),
]

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is needed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layouts")
    docs = []
    for layout in LAYOUTS:
        # Columns need enough text to fill several rows per column.
        text = ARTICLE + ARTICLE[1:] if layout.columns > 1 else ARTICLE
        if layout.name in TITLES:
            text = [TITLES[layout.name], *ARTICLE[1:4]]
        if layout.name == "one_page_header":
            text = ARTICLE[:3]
        if layout.name == "one_column_page_short":
            text = ARTICLE
        path = folder / f"{layout.name}.docx"
        build_docx(layout, text, path)
        docs.append(path)
    to_pdf(docs, folder)
    return {layout.name: folder / f"{layout.name}.pdf" for layout in LAYOUTS}


@pytest.mark.parametrize("name", ["sans", "mono", "noindent", "toc"])
def test_one_column_layouts_come_back_verbatim(rendered: dict[str, Path], name: str) -> None:
    assert [b.text for b in load(rendered[name]).blocks] == ARTICLE


@pytest.mark.parametrize("name", ["two_columns", "three_columns"])
def test_columns_are_read_one_after_the_other(rendered: dict[str, Path], name: str) -> None:
    assert [b.text for b in load(rendered[name]).blocks] == ARTICLE + ARTICLE[1:]


def test_numbers_and_codes_are_never_split(rendered: dict[str, Path]) -> None:
    text = load(rendered["mono"]).text
    for token in ("3.828", "157.105", "10-CT/TW", "30-3-2007", "Đại hội VII", "69-QĐ/TW",
                  '"như kỳ vọng"', "5,6%"):
        assert token in text


def test_a_table_of_contents_is_kept_out_of_the_body(rendered: dict[str, Path]) -> None:
    doc = load(rendered["toc"])
    entries = doc.properties["table_of_contents"]
    assert len(entries) == 8 and entries[0]["page"] == "2"
    assert entries[1]["title"].startswith("2. Thực hiện Chỉ thị số 10-CT/TW")
    assert not any("MỤC LỤC" in b.text or "...." in b.text for b in doc.blocks)


@pytest.mark.parametrize("name", sorted(TITLES))
def test_a_word_space_under_a_fallback_glyph_is_kept(rendered: dict[str, Path], name: str
                                                      ) -> None:
    assert [b.text for b in load(rendered[name]).blocks] == [TITLES[name], *ARTICLE[1:4]]


def test_a_one_page_documents_running_header_is_told_by_its_place(rendered: dict[str, Path]
                                                                  ) -> None:
    # Nothing repeats on one page: the plain line in the header zone, set apart from the
    # title, is the header; the bold title below it and the text stay.
    doc = load(rendered["one_page_header"])
    assert doc.pages == 1 and doc.page_headers == [HEADER_TEXT]
    assert [b.text for b in doc.blocks] == ARTICLE[:3]


@pytest.mark.parametrize("name", ["one_column_page", "one_column_page_short"])
def test_a_one_column_page_inside_a_two_column_document(rendered: dict[str, Path], name: str
                                                        ) -> None:
    doc = load(rendered[name])
    assert doc.pages >= 3
    want = ARTICLE if name.endswith("short") else ARTICLE + ARTICLE[1:]
    assert [b.text for b in doc.blocks] == want
