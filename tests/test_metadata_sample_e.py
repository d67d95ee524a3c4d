"""Metadata classes the blind sample E (and the weak classes left by A-D) showed, each in short
lines written for this test: a bloc's name ends at its place, a name ends before ", TP.HCM",
"Dân chính đảng" is whole, a national body's document has no province, a numbered district
and a list of communes place a document, after 2025 in the new province."""

from __future__ import annotations

import pytest

from pipeline.extract import gazetteer
from pipeline.extract.metadata import extract_metadata
from pipeline.extract.unit_names import find_names
from pipeline.model import Block, Document


def _doc(*lines: str) -> Document:
    return Document(source="x.txt", format="txt", sha256="",
                    blocks=[Block(text=t) for t in lines])


@pytest.mark.parametrize(("text", "name"), [
    ("các cấp ủy trực thuộc Đảng bộ Khối các cơ quan tỉnh xây dựng kế hoạch",
     "Đảng bộ Khối các cơ quan tỉnh"),
    ("Đảng ủy Khối Các cơ quan tỉnh kết nạp 134 đảng viên", "Đảng ủy Khối Các cơ quan tỉnh"),
    ("chuyển về Đảng bộ Khối các cơ quan tỉnh Lâm Đồng.", "Đảng bộ Khối các cơ quan tỉnh Lâm Đồng"),
    ("Đại hội Đảng bộ các cơ quan Đảng TPHCM nhiệm kỳ 2025-2030",
     "Đảng bộ các cơ quan Đảng TPHCM"),
    ("Ngày 8-8, Đảng bộ phường Chợ Lớn, TP.HCM, tổ chức đại hội", "Đảng bộ phường Chợ Lớn"),
    ("Năm 2018, Đảng bộ Dân chính đảng chỉ đạo", "Đảng bộ Dân chính đảng"),
])
def test_where_a_name_ends(text: str, name: str) -> None:
    assert find_names(text)[0].text == name


def test_a_bloc_named_by_its_committee_is_the_unit() -> None:
    meta = extract_metadata(_doc(
        "6 tháng, Đảng bộ Khối Các cơ quan tỉnh kết nạp 134 đảng viên",
        "Sáng 16.7, Đảng ủy Khối Các cơ quan tỉnh tổ chức hội nghị sơ kết.",
        "Từ đầu năm, Đảng ủy Khối Các cơ quan tỉnh đã kết nạp được 134 đảng viên."))
    assert (meta.unit, meta.unit_level) == ("Đảng bộ Khối Các cơ quan tỉnh", "dang_uy_khoi")


@pytest.mark.parametrize("issuer", ["Bộ trưởng bộ công thương", "Thủ tướng chính phủ",
                                    "BỘ GIAO THÔNG VẬN TẢI"])
def test_a_national_bodys_document_has_no_province(issuer: str) -> None:
    meta = extract_metadata(_doc(
        "Quyết định về việc thành lập công ty mẹ - tổng công ty điện lực thành phố hà nội",
        issuer, "Hà Nội, ngày 12 tháng 3 năm 2010",
        "Điều 1. Điều chuyển 01 xe ô tô cho Bệnh viện thành phố Hồ Chí Minh và thành phố "
        "Hồ Chí Minh."))
    assert meta.province is None
    # Unless its title is about a province.
    meta = extract_metadata(_doc(
        "Nghị quyết về việc thành lập thị xã Kinh Môn, tỉnh Hải Dương", issuer))
    assert meta.province == "Hải Dương"


needs_gazetteer = pytest.mark.skipif(not gazetteer.available(),
                                     reason="vietnamadminunits data not installed")


@needs_gazetteer
def test_a_numbered_district_in_the_issuer_line() -> None:
    meta = extract_metadata(_doc(
        "Quyết định ban hành quy chế của phòng nội vụ quận 3", "Ủy ban nhân dân quận 3",
        "Căn cứ Luật Tổ chức chính quyền địa phương;"))
    assert meta.province == "Hồ Chí Minh"
    # "bình quân 1,41%" is an average, not a district.
    assert gazetteer.province_for(["Thu nhập bình quân 1,41%/năm"]) is None


@needs_gazetteer
def test_communes_listed_after_one_kind_word_place_a_document_after_2025() -> None:
    meta = extract_metadata(_doc(
        "Đại hội đại biểu Đảng bộ xã Hợp Lý lần thứ I, nhiệm kỳ 2025-2030",
        "Đảng bộ xã Hợp Lý được thành lập trên cơ sở sáp nhập Đảng bộ 3 xã Hợp Lý, Quang Sơn "
        "và Ngọc Mỹ. Hiện Đảng bộ có 45 chi bộ."))
    assert (meta.unit, meta.province) == ("Đảng bộ xã Hợp Lý", "Phú Thọ")


def test_a_place_name_is_capitalised_throughout() -> None:
    assert find_names("Đại hội Đảng bộ xã Hòa Thạnh bước vào phiên khai mạc")[0].text == \
        "Đảng bộ xã Hòa Thạnh"


def test_a_headline_on_several_units_names_none() -> None:
    meta = extract_metadata(_doc(
        "Khai mạc Đại hội Đảng bộ xã Tân Lợi, phường Tân Hòa và Phường 7",
        "Đại hội Đảng bộ xã Tân Lợi có 120 đại biểu. Đảng bộ xã Tân Lợi đạt 16/17 chỉ tiêu.",
        "Đảng bộ phường Tân Hòa đạt 19/19 chỉ tiêu."))
    assert meta.unit is None
    one = extract_metadata(_doc("Đại hội Đảng bộ xã Tân Lợi, huyện Hàm Thuận Bắc",
                                "Đảng bộ xã Tân Lợi có 120 đại biểu."))
    assert one.unit == "Đảng bộ xã Tân Lợi"
