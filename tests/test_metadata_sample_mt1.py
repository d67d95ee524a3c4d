"""Metadata classes the blind sample MT1 (benchmarks/data/metadata_real_t1.yaml) showed, each in
short lines written for this test: names that end at a headline's verb, at "Đại hội" or before a
post after a comma; a lower-case kind of body before its name; a bloc's name with "và"; the
unit whose congress the text reports; the levels of police, army and offices; the level of a
congress whose unit is not named; places read in the era of the document; a body named after
its province."""

from __future__ import annotations

import pytest

from pipeline.extract import gazetteer
from pipeline.extract.form import parse_form
from pipeline.extract.metadata import extract_metadata
from pipeline.extract.unit_names import find_names, level_of
from pipeline.model import Block, Document


def _doc(*lines: str) -> Document:
    return Document(source="x.txt", format="txt", sha256="",
                    blocks=[Block(text=t) for t in lines])


def _meta(*lines: str) -> tuple[str | None, str | None, str | None]:
    doc = _doc(*lines)
    meta = extract_metadata(doc, "news", parse_form(doc))
    return meta.unit, meta.unit_level, meta.province


@pytest.mark.parametrize(("text", "name"), [
    ("CHI BỘ TRƯỜNG THCS AN HÒA TỔ CHỨC ĐẠI HỘI NHIỆM KỲ 2025-2027",
     "CHI BỘ TRƯỜNG THCS AN HÒA"),
    ("Ngày 12-3, Đảng bộ Văn phòng UBND tỉnh Đại hội lần thứ IX.",
     "Đảng bộ Văn phòng UBND tỉnh"),
    ("toàn Đảng bộ Quân đội đã lãnh đạo", "Đảng bộ Quân đội"),
    ("Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh, niềm tin và khát vọng",
     "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh"),
    ("Ban Thường vụ Đảng ủy Khối và cấp ủy cơ sở đã", "Đảng ủy Khối"),
    ("đồng chí A - Ủy viên Đảng ủy khối các trường Đại học, Cao đẳng Hà Nội, Bí thư Đảng ủy",
     "Đảng ủy khối các trường Đại học, Cao đẳng Hà Nội"),
    ("Đại hội Chi bộ trường Tiểu học Lê Lợi nhiệm kỳ 2025-2027",
     "Chi bộ trường Tiểu học Lê Lợi"),
])
def test_where_a_name_ends(text: str, name: str) -> None:
    assert find_names(text)[0].text == name


def test_a_headline_in_capitals_is_no_letterhead() -> None:
    unit, level, _ = _meta("CHI BỘ TRƯỜNG THCS AN HÒA TỔ CHỨC ĐẠI HỘI NHIỆM KỲ 2025-2027",
                           "Sinh thời Chủ tịch Hồ Chí Minh đã khẳng định chi bộ là nền móng.")
    assert (unit, level) == ("Chi bộ Trường THCS An Hòa", "chi_bo")


@pytest.mark.parametrize(("name", "level"), [
    ("Đảng bộ Quân đội", "cap_tinh"),
    ("Đảng bộ Công an Trung ương", "cap_tinh"),
    ("Đảng bộ Công an tỉnh Nam Định", "dang_bo_cap_tren_co_so"),
    ("Đảng bộ Quân sự tỉnh Hà Tĩnh", "dang_bo_cap_tren_co_so"),
    ("Đảng bộ Văn phòng UBND tỉnh", "dang_bo_co_so"),
    ("Đảng bộ quận Ba Đình", "dang_bo_cap_tren_co_so"),
])
def test_levels_of_police_army_and_offices(name: str, level: str) -> None:
    assert level_of(name) == level


def test_the_unit_whose_congress_is_reported_beats_a_guest() -> None:
    unit, level, _ = _meta(
        "Ngày 10-2, Đảng bộ Văn phòng UBND tỉnh Đại hội lần thứ IX, nhiệm kỳ 2020-2025.",
        "Dự có đồng chí B, Bí thư Đảng ủy khối các Cơ quan và Doanh nghiệp tỉnh.")
    assert (unit, level) == ("Đảng bộ Văn phòng UBND tỉnh", "dang_bo_co_so")
    unit, _, _ = _meta(
        "Được sự chỉ đạo của Đảng ủy phường 7, Chi bộ trường Tiểu học Lê Lợi tổ chức điểm đại "
        "hội. Đại hội Chi bộ trường Tiểu học Lê Lợi nhiệm kỳ 2025-2027 có sự hiện diện của "
        "đồng chí C - Đảng ủy viên phụ trách Chi bộ phường 7.")
    assert unit == "Chi bộ trường Tiểu học Lê Lợi"


def test_a_holder_named_by_its_kind_is_the_body_named_in_full() -> None:
    unit, level, province = _meta(
        "Trường Đại học Thủy lợi tổ chức Đại hội đại biểu Đảng bộ Trường lần thứ XX.",
        "Dự có đồng chí D, Bí thư Đảng ủy Khối các trường Đại học, Cao đẳng Hà Nội.",
        "Về phía Đảng ủy Trường Đại học Thủy lợi có đồng chí E, Bí thư Đảng ủy.",
        "Đồng chí F, Ủy viên Ban Thường vụ Đảng ủy khối các trường Đại học, Cao đẳng Hà Nội.")
    assert (unit, level, province) == ("Đảng bộ Trường Đại học Thủy lợi", "dang_bo_co_so",
                                       "Hà Nội")


def test_a_congress_whose_unit_is_not_named_gives_its_level_only() -> None:
    assert _meta("Chiều nay, Đại hội đại biểu Đảng bộ tỉnh lần thứ XX tiến hành bầu Ban "
                 "Chấp hành khóa mới.") == (None, "cap_tinh", None)
    # A cited resolution's congress says nothing of the document's unit.
    assert _meta("Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIII, toàn Đảng "
                 "bộ kết nạp 1.600 đảng viên.")[1] is None


@pytest.mark.skipif(not gazetteer.available(), reason="vietnamadminunits is not installed")
def test_places_are_read_in_the_era_of_the_document() -> None:
    # "xã Quảng Chính" was a commune of Quảng Ninh and of Thanh Hóa before 2025, of Thanh Hóa
    # only after the merger.
    lines = ("Ngày 25/7/2025, Chi bộ các cơ quan Đảng xã Quảng Chính tổ chức Đại hội lần thứ "
             "nhất, nhiệm kỳ 2025-2030, sau khi thực hiện chính quyền địa phương hai cấp.",)
    assert _meta(*lines)[2] == "Thanh Hóa"
    assert _meta("Năm 2019, Đảng bộ xã Quảng Chính tổ chức hội nghị tổng kết, Đảng bộ xã "
                 "Quảng Chính có 300 đảng viên.")[2] is None
    # The first congress of the 2025 term: a ward the merger made.
    assert _meta("Đảng bộ phường Đông Mai tổ chức Đại hội đại biểu lần thứ I, nhiệm kỳ "
                 "2025-2030. Bí thư Đảng ủy phường Đông Mai phát biểu.")[2] == "Quảng Ninh"


def test_a_body_named_after_its_province() -> None:
    assert _meta("Đại hội Đảng bộ Trường Đại học Bình Dương lần VI diễn ra. Ba chi bộ trực "
                 "thuộc Đảng bộ Trường Đại học Bình Dương đã đại hội.")[2] == "Bình Dương"
    # Tone marks must agree ("Kiến Giang" is a commune, "Kiên Giang" a province); a person's
    # name is no province.
    assert _meta("CHI BỘ TRƯỜNG THCS KIẾN GIANG TỔ CHỨC ĐẠI HỘI NHIỆM KỲ 2025-2027")[2] is None
    assert _meta("Đại hội Đảng bộ Học viện Chính trị quốc gia Hồ Chí Minh lần thứ XV. Đảng bộ "
                 "Học viện Chính trị quốc gia Hồ Chí Minh có 1.000 đảng viên.")[2] is None


# Classes the confirmation sample MT2 (benchmarks/data/metadata_real_t2.yaml) showed.
@pytest.mark.parametrize(("text", "name"), [
    ("Đảng bộ Bệnh viện Đa khoa tỉnh đã tổ chức Đại hội", "Đảng bộ Bệnh viện Đa khoa tỉnh"),
    ("Đại hội Đảng bộ Bệnh viện Đa khoa huyện Yên Mô lần thứ IX",
     "Đảng bộ Bệnh viện Đa khoa huyện Yên Mô"),
    ("Đảng bộ Chính phủ theo mô hình mới", "Đảng bộ Chính phủ"),
    ("Chi bộ ấp Tân Lợi 3, xã Tân Hòa tổ chức đại hội", "Chi bộ ấp Tân Lợi 3"),
    ("Chi bộ thôn Đồng xã Minh Tiến tổ chức Đại hội", "Chi bộ thôn Đồng"),
    ("Ban Thường vụ Huyện ủy Phong Điền chọn tổ chức đại hội điểm", "Huyện ủy Phong Điền"),
])
def test_where_a_name_ends_mt2(text: str, name: str) -> None:
    assert find_names(text)[0].text == name


@pytest.mark.parametrize(("name", "level"), [
    ("Đảng bộ Chính phủ", "cap_tinh"),
    ("Đảng bộ Văn phòng Trung ương Đảng", "dang_bo_cap_tren_co_so"),
    ("Đảng bộ Văn phòng Chính phủ", "dang_bo_cap_tren_co_so"),
    ("Đảng bộ Văn phòng UBND tỉnh", "dang_bo_co_so"),
])
def test_levels_of_central_bodies(name: str, level: str) -> None:
    assert level_of(name) == level


def test_the_body_a_unit_works_toward_or_cites_is_not_the_unit() -> None:
    # "tiến tới Đại hội ... tỉnh", "đi dự Đại hội ... huyện", "Kế hoạch số ... của Huyện ủy".
    unit, _, _ = _meta(
        "Kế hoạch số 119-KH/TU, ngày 05/11/2019 của Ban Chấp hành Đảng bộ Thành phố về tổ chức "
        "Đại hội Đảng các cấp trong Đảng bộ thành phố Bến Cát, tiến tới đại hội đại biểu Đảng "
        "bộ tỉnh Bình Dương lần thứ XI.")
    assert unit == "Đảng bộ thành phố Bến Cát"
    unit, level, _ = _meta(
        "Chi ủy Chi bộ ấp Tân Lợi, nhiệm kỳ 2025 - 2027 ra mắt đại hội",
        "Đại hội bầu đoàn đại biểu dự Đại hội Đảng bộ xã Tân Hòa, nhiệm kỳ 2025 - 2030. Đồng "
        "chí A tái đắc cử Bí thư Chi bộ ấp Tân Lợi. Đoàn đại biểu dự Đại hội Đảng bộ xã Tân "
        "Hòa gồm 10 đại biểu.")
    assert (unit, level) == ("Chi bộ ấp Tân Lợi", "chi_bo")
    unit, _, _ = _meta(
        "Thực hiện Kế hoạch số 104-KH/HU, ngày 31/03/2022 của Ban Thường vụ Huyện uỷ Yên Định; "
        "Đảng ủy Bệnh viện Đa khoa Yên Định có 06 chi bộ trực thuộc.",
        "Đại hội các chi bộ trực thuộc Đảng bộ Bệnh viện Đa khoa Yên Định đã thành công.")
    assert unit == "Đảng bộ Bệnh viện Đa khoa Yên Định"


def test_a_headline_counting_units_names_none() -> None:
    assert _meta("Huyện Vĩnh Tường: 5 xã, thị trấn đã tổ chức đại hội Đảng bộ nhiệm kỳ "
                 "2020-2025", "Đảng bộ thị trấn Vĩnh Tường đã tổ chức Đại hội.")[0] is None


def test_a_title_studying_another_bodys_resolution_does_not_name_the_unit() -> None:
    unit, _, _ = _meta(
        "HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ SỞ Y TẾ LẦN THỨ IX",
        "Sáng 15/01/2021, Đảng bộ Bệnh viện Ung Bướu tổ chức học tập Nghị quyết Đại hội đại "
        "biểu Đảng bộ Sở Y tế lần thứ IX. Dự có tất cả đảng viên Đảng bộ Bệnh viện.")
    assert unit == "Đảng bộ Bệnh viện Ung Bướu"


@pytest.mark.skipif(not gazetteer.available(), reason="vietnamadminunits is not installed")
def test_a_committee_names_its_place() -> None:
    # The parent "Huyện ủy Thoại Sơn" is "huyện Thoại Sơn" (An Giang); "Ðại hội" with a
    # Latin eth is "Đại hội".
    assert _meta("Đảng bộ xã Vĩnh Phú (Thoại Sơn) tiến hành Ðại hội đại biểu Đảng bộ xã Vĩnh "
                 "Phú lần thứ XII. Đây là Đảng bộ được Ban Thường vụ Huyện ủy Thoại Sơn chọn "
                 "làm điểm.")[2] == "An Giang"


# Classes the second confirmation sample MT3 (benchmarks/data/metadata_real_t3.yaml) showed.
@pytest.mark.parametrize(("name", "level"), [
    ("Đảng bộ Cục Thuế tỉnh Bến Tre", "dang_bo_co_so"),
    ("Đảng bộ Cục Hải quan thành phố Hải Phòng", "dang_bo_co_so"),
    ("Đảng bộ Cục Viễn thông", "dang_bo_cap_tren_co_so"),
])
def test_a_provincial_department_is_grassroots(name: str, level: str) -> None:
    assert level_of(name) == level


@pytest.mark.parametrize(("text", "name"), [
    ("tổ chức Đại hội Đảng bộ cơ quan chính quyền Quận 5 lần thứ IV",
     "Đảng bộ cơ quan chính quyền Quận 5"),
    ("Đại hội Đảng bộ Công ty cổ phần Tập đoàn Hòa Bình lần thứ III",
     "Đảng bộ Công ty cổ phần Tập đoàn Hòa Bình"),
])
def test_where_a_name_ends_mt3(text: str, name: str) -> None:
    assert find_names(text)[0].text == name


def test_several_units_name_none() -> None:
    # A headline on "nhiều chi bộ"; two districts joined by "và"; a list after "các".
    assert _meta("Nhiều chi bộ đảng ở Tiên Phước tổ chức xong đại hội",
                 "Thực hiện kế hoạch của Huyện ủy Tiên Phước, nhiều chi bộ đã đại hội.")[0] is None
    assert _meta("Tỉnh đã tổ chức đại hội cho hai đảng bộ trực thuộc là Đảng bộ huyện Thạch Hà "
                 "và Can Lộc.")[0] is None
    unit, _, _ = _meta(
        "Ngày 9/5/2020 các chi bộ khối Văn phòng, chi bộ khối Kinh doanh Công ty CP Hòa Bình "
        "long trọng tổ chức đại hội chi bộ. Dự kiến Đại hội Đảng bộ Công ty cổ phần Hòa Bình "
        "lần thứ III sẽ diễn ra ngày 17/6/2020.")
    assert unit == "Đảng bộ Công ty cổ phần Hòa Bình"


def test_a_unit_with_grassroots_units_under_it() -> None:
    unit, level, _ = _meta(
        "Chào mừng đại hội đảng bộ các cấp, tiến tới Đại hội Đại biểu Đảng bộ NHTM lần thứ III. "
        "Đồng chí A, Bí thư Đảng ủy, chỉ đạo hoạt động của Đảng bộ, các đảng bộ/chi bộ trực "
        "thuộc. Kế hoạch của Đảng ủy NHTM triển khai thống nhất trong toàn Đảng bộ NHTM.")
    assert (unit, level) == ("Đảng bộ NHTM", "dang_bo_cap_tren_co_so")


@pytest.mark.skipif(not gazetteer.available(), reason="vietnamadminunits is not installed")
def test_a_nameless_congress_and_a_place_of_its_kind() -> None:
    # The one district the text names is the unit's (since session 4: samples G/H).
    assert _meta("Thoại Sơn tích cực chuẩn bị Đại hội Đảng bộ huyện lần thứ XIII",
                 "Huyện Thoại Sơn đang tích cực chuẩn bị cho Đại hội Đảng bộ các cấp.") == (
        "Đảng bộ huyện Thoại Sơn", "dang_bo_cap_tren_co_so", "An Giang")


def test_a_guest_at_the_units_congress_does_not_make_it_another_bodys() -> None:
    unit, _, _ = _meta("Sáng 5/5, đồng chí A, Bí thư Huyện ủy về dự Đại hội Đảng bộ xã Tân Hòa "
                       "lần thứ XV. Đại hội Đảng bộ xã Tân Hòa bầu 15 đồng chí.")
    assert unit == "Đảng bộ xã Tân Hòa"


@pytest.mark.parametrize(("text", "name"), [
    ("Ủy ban Kiểm tra Đảng ủy Khối giám sát 3 tổ chức đảng", "Đảng ủy Khối"),
    ("Đảng ủy Khối Doanh nghiệp sơ kết nhiệm vụ chính trị", "Đảng ủy Khối Doanh nghiệp"),
])
def test_a_blocs_name_ends_at_a_verb(text: str, name: str) -> None:
    """Sample G (helper L, after its first run): verbs after a bloc's name."""
    assert find_names(text)[0].text == name


@pytest.mark.parametrize(("text", "name"), [
    ("Đảng ủy Khối Doanh nghiệp và cấp ủy các cơ sở Đảng đã triển khai",
     "Đảng ủy Khối Doanh nghiệp"),
    ("Đồng chí A, Bí thư Đảng bộ Khối các cơ quan tỉnh Nguyễn Thị Hà phát biểu",
     "Đảng bộ Khối các cơ quan tỉnh"),
    ("Bí thư Đảng ủy Dân Chính Đảng Trương Minh Thịnh phát biểu", "Đảng ủy Dân Chính Đảng"),
])
def test_where_a_blocs_name_ends_g(text: str, name: str) -> None:
    """Sample G (after its first run): a bloc's name ends before a second body ("và cấp ủy"),
    before a person's name after "tỉnh" or after "Dân Chính Đảng"."""
    assert find_names(text)[0].text == name


def test_a_communes_committee_counts_for_its_unit() -> None:
    unit, level, _ = _meta("Sáng 3/2, Đảng ủy phường An Cựu tổ chức trao Huy hiệu Đảng. Đảng ủy "
                           "phường An Cựu truy tặng Huy hiệu 30 năm tuổi Đảng cho 1 đảng viên.")
    assert (unit, level) == ("Đảng bộ phường An Cựu", "dang_bo_co_so")
