"""Metadata classes samples I and J (benchmarks/data/indicators_real_{i,j}.yaml) showed after
their first runs, each on short lines written for this test (other units and places than the
samples'): a company named with and without its legal form is one unit; a site's name after a
headline's dash is no part of a unit's name; a district committee written bare ("trực thuộc
Huyện ủy") speaks for the one district named; the district in brackets after the commune
whatever head names it; a grassroots body is in the province where it meets ("tại Hà Nội"), a
national one is not; a unit named only in a photo caption is not who speaks."""

from __future__ import annotations

from metadata_lines import BODY as _BODY
from metadata_lines import needs_gazetteer, news_meta

from pipeline.extract import gazetteer


def _meta(*lines: str) -> tuple[str | None, str | None, str | None]:
    meta = news_meta(*lines)
    return meta.unit, meta.unit_level, meta.province


def test_a_company_with_and_without_its_legal_form_is_one_unit() -> None:
    unit, level, _ = _meta("Đại hội Đảng bộ Cà phê Ea Pốk nhiệm kỳ 2020 - 2025",
                           "Ngày 5/6, Đảng bộ Công ty TNHH MTV Cà phê Ea Pốk đã tổ chức Đại hội.",
                           _BODY)
    assert (unit, level) == ("Đảng bộ Công ty TNHH MTV Cà phê Ea Pốk", "dang_bo_co_so")


@needs_gazetteer
def test_a_site_name_after_the_headline_dash_is_not_a_unit() -> None:
    unit, level, province = _meta(
        "Kinh nghiệm thành lập Đảng bộ khối - Báo Lào Cai điện tử",
        "Đảng bộ huyện Bảo Thắng là đơn vị đầu tiên thí điểm mô hình này.", _BODY)
    assert (unit, level, province) == ("Đảng bộ huyện Bảo Thắng", "dang_bo_cap_tren_co_so",
                                       "Lào Cai")


def test_a_bare_district_committee_speaks_for_the_district_named() -> None:
    unit, _, _ = _meta(
        "Các tổ chức đảng hoàn thành sơ kết giữa nhiệm kỳ",
        "Đồng chí Chánh văn phòng Huyện ủy Cẩm Thủy cho biết, 40 tổ chức cơ sở đảng trực "
        "thuộc Huyện ủy đã tổ chức sơ kết. Đảng ủy xã Cẩm Tân đạt 20/25 chỉ tiêu.")
    assert unit == "Đảng bộ huyện Cẩm Thủy"


@needs_gazetteer
def test_the_district_in_brackets_after_the_commune_whatever_its_head() -> None:
    _, _, province = _meta("Chuẩn bị tốt đại hội cấp cơ sở",
                           "Bí thư Tỉnh ủy làm việc với Đảng ủy xã Long Hiệp (Trà Cú) về tình "
                           "hình thực hiện nghị quyết.", _BODY)
    assert province == "Trà Vinh"


def test_a_grassroots_body_is_where_it_meets_a_national_one_is_not() -> None:
    assert _meta("Vừa qua, tại Đà Nẵng, Đảng bộ Công ty Dệt may Hòa Thọ đã tổ chức Đại hội "
                 "đại biểu lần thứ X.", _BODY)[2] == "Đà Nẵng"
    assert _meta("Vừa qua, tại Hà Nội, Đảng bộ Văn phòng Trung ương Đảng đã tổ chức Đại hội "
                 "đại biểu lần thứ X.", _BODY)[2] is None


def test_a_unit_named_only_in_a_photo_caption_is_not_who_speaks() -> None:
    assert _meta("Toàn tỉnh có 120 tổ chức đảng trong doanh nghiệp. Trong ảnh: Lễ kết nạp "
                 "đảng viên tại Chi bộ Công ty CP May Việt Tiến 2", _BODY)[0] is None
    assert _meta("2.100 đảng viên được tặng Huy hiệu Đảng đợt 7/11",
                 "Ban Thường vụ Tỉnh ủy quyết định tặng Huy hiệu Đảng cho 2.100 đảng viên.",
                 "Đảng ủy xã Tân Lập trao tặng Huy hiệu Đảng cho các đảng viên.", _BODY)[0] is None


def test_a_lead_whose_subject_is_several_units_names_none() -> None:
    unit, level, _ = _meta("Hòa Bình, Tân Phú: Kỷ niệm 70 năm ngày thành lập Đảng bộ xã",
                           "Ngày 3.9, Đảng bộ các xã Hòa Bình (Chợ Gạo), Tân Phú (Cai Lậy) kỷ "
                           "niệm 70 năm ngày thành lập. Đảng bộ xã Hòa Bình có 300 đảng viên.",
                           _BODY)
    assert (unit, level) == (None, None)


@needs_gazetteer
def test_places_a_body_names_with_their_kind() -> None:
    # A district that changed kind since ("huyện Điện Bàn", now a thị xã); one district named
    # with the kind abbreviated; three districts beside a neighbouring city.
    assert gazetteer.province_for(["1 quần chúng (huyện Hương Trà) đã"]) is not None
    assert _meta("Ra mắt chi bộ doanh nghiệp",
                 "Chi bộ Công ty cổ phần Hoàng Long (đóng trên xã Phước Tân) đã ra mắt. Đây là "
                 "tổ chức đảng thứ 12 trong doanh nghiệp được thành lập ở TP.Biên Hòa.",
                 _BODY)[2] == "Đồng Nai"
    assert _meta("Chỉ thị về kế hoạch 5 năm",
                 "Các huyện Cần Giuộc, thành phố Tân An và huyện Bến Lức, huyện Thủ Thừa phối "
                 "hợp với thành phố Hồ Chí Minh xây dựng kế hoạch. " + _BODY + " " + _BODY,
                 _BODY)[2] == "Long An"


@needs_gazetteer
def test_words_that_look_like_places_are_not() -> None:
    # "phương Đông" is the East, not a "phường"; a line naming several provinces says none.
    assert gazetteer.province_for(["tinh hoa văn hoá phương Đông"]) is None
    assert _meta("Đảng bộ và nhân dân Hưng Yên 25 năm tái lập tỉnh",
                 "Sau 28 năm hợp nhất với tỉnh Hải Dương, năm 1996 tách tỉnh Hải Hưng thành 2 "
                 "tỉnh Hưng Yên và Hải Dương.", _BODY)[2] == "Hưng Yên"


def test_the_province_of_the_lead_tag() -> None:
    assert _meta("Kết quả phát triển đảng viên năm 2023",
                 "(CTT-Bình Định) - Đảng bộ tỉnh hiện có 520 tổ chức cơ sở đảng với 70.000 "
                 "đảng viên, tăng 2.000 so với năm trước.", _BODY)[2] == "Bình Định"
