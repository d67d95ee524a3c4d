"""The same report saved as TXT, DOCX and PDF is reported by the same unit: every corpus file
in its three formats (the seed text, the DOCX and the PDF made from it) gets the same `meta`
for who reported it and when."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipeline.analysis import analyze
from pipeline.model import Meta
from tests.conftest import STEMS, corpus_file

FIELDS = ("unit", "unit_level", "parent", "province", "term", "reviewed_term", "year", "date",
          "draft", "doc_type")


@cache
def meta(kind: str, stem: str) -> Meta:
    return analyze(corpus_file(kind, stem)).meta


@pytest.mark.parametrize("stem", STEMS)
def test_one_report_in_three_formats_has_one_meta(stem: str) -> None:
    got = {kind: {f: getattr(meta(kind, stem), f) for f in FIELDS}
           for kind in ("seeds", "docx", "pdf")}
    assert got["seeds"] == got["docx"] == got["pdf"]
    assert got["docx"]["unit"]  # and it is a unit, not nothing three times


@pytest.mark.parametrize("stem", STEMS)
def test_the_evidence_says_where_the_unit_came_from(stem: str) -> None:
    m = meta("docx", stem)
    assert m.evidence["unit"].split(":")[0] in ("letterhead", "title", "body")
    if m.province is not None:
        assert m.evidence["province"]


LETTERHEADS = {
    # The committee of a city: its unit, its province, no parent from another sentence.
    "hn.txt": ("THÀNH ỦY HÀ NỘI\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-BC/TU\n"
               "Hà Nội, ngày 15 tháng 3 năm 2025\nBÁO CÁO\n"
               "Kết quả công tác xây dựng Đảng năm 2024\n"
               "Năm 2024, Đảng bộ thành phố kết nạp 5.200 đảng viên mới. Đảng ủy Khối các cơ quan "
               "Trung ương đã phối hợp.\n",
               ("Đảng bộ thành phố Hà Nội", "cap_tinh", None, "Hà Nội")),
    # A two-line letterhead; the commune's name in capitals ("ĐẠI THẮNG" is no "ĐẠI HỘI");
    # the province from the gazetteer (huyện Phú Xuyên is in Hà Nội).
    "dt.txt": ("ĐẢNG BỘ HUYỆN PHÚ XUYÊN\nĐẢNG ỦY XÃ ĐẠI THẮNG\nĐẢNG CỘNG SẢN VIỆT NAM\n"
               "Đại Thắng, ngày 10 tháng 5 năm 2025\nBÁO CÁO CHÍNH TRỊ\ncủa Ban Chấp hành Đảng bộ "
               "xã Đại Thắng trình Đại hội đại biểu lần thứ XXV, nhiệm kỳ 2025-2030\n"
               "Nhiệm kỳ qua, Đảng bộ kết nạp 45 đảng viên mới.\n",
               ("Đảng bộ xã Đại Thắng", "dang_bo_co_so", "Đảng bộ huyện Phú Xuyên", "Hà Nội")),
    # The unit named only in the title; "Chi bộ Cấp ủy" in the body is no unit.
    "tg.txt": ("BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH TIỀN GIANG TRÌNH ĐẠI HỘI ĐẠI "
               "BIỂU LẦN THỨ XII, NHIỆM KỲ 2025-2030\nI. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT\n"
               "Trong nhiệm kỳ, toàn Đảng bộ kết nạp 9.500 đảng viên mới. Chi bộ Cấp ủy họp.\n",
               ("Đảng bộ tỉnh Tiền Giang", "cap_tinh", None, "Tiền Giang")),
}


@pytest.mark.parametrize("name", sorted(LETTERHEADS))
def test_unit_and_province_from_the_form_first(name: str, tmp_path: Path) -> None:
    text, expected = LETTERHEADS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    m = analyze(path).meta
    assert (m.unit, m.unit_level, m.parent, m.province) == expected
    assert m.evidence["unit"].split(":")[0] in ("letterhead", "title")
    assert m.evidence["province"]


def test_null_rather_than_a_guess(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("Tin tức\nĐảng bộ huyện Thanh Hà và Đảng bộ huyện Bình Giang đã tổ chức xong "
                    "đại hội. Đảng bộ huyện Bảo Lâm cũng vậy.\n", encoding="utf-8")
    m = analyze(path).meta
    assert (m.unit, m.province) == (None, None)  # three units alike; Bảo Lâm is in two provinces
