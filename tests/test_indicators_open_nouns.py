"""Indicators whose counted noun the lexicon does not list, numbers glued to their noun, and
amounts repeated in words (issue 11, the recall classes of the blind first runs: "8 chữ",
"4 bài học", "3.004tổ chức đảng", "bốn mươi lăm mét vuông (45m2)"). Sentences written for
these tests in the shapes seen in real text."""

from __future__ import annotations

import pytest

from pipeline.extract.indicators import Context, extract_indicators


def found(text: str) -> list[tuple[str, float, str]]:
    return [(i.surface, i.value, i.unit) for i in extract_indicators(text, Context(year=2020))]


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    # A noun nobody listed still names what is counted.
    ("Trao 20 con bò và 3 giếng nước cho hộ nghèo.", "3 giếng", 3, "count"),
    ("Trao 20 con bò và 3 giếng nước cho hộ nghèo.", "20 con", 20, "count"),
    ("Đoàn đã thăm 7 bảo tàng trong tỉnh.", "7 bảo", 7, "count"),
    ("Hội nghị rút ra 3 đột phá chiến lược.", "3 đột phá", 3, "count"),
    # People by profession are persons.
    ("Huyện có 120 bác sĩ và 300 ngư dân.", "120 bác sĩ", 120, "person"),
    ("Huyện có 120 bác sĩ và 300 ngư dân.", "300 ngư dân", 300, "person"),
    # Glued to the number.
    ("Kiểm tra tài chính đảng đối với 3.004tổ chức đảng.", "3.004tổ chức đảng", 3004,
     "organisation"),
    ("Tổng vốn đạt 20tỷ đồng.", "20tỷ đồng", 2e10, "VND"),
])
def test_counted_noun_read(text: str, surface: str, value: float, unit: str) -> None:
    assert any(s.startswith(surface) and v == value and u == unit
               for s, v, u in found(text)), found(text)


@pytest.mark.parametrize("text", [
    # Names, rows of section numbers, years, verbs and measures that are no indicators.
    "Các dự án ngoài quy định tại các khoản 1, 2, 3 nói trên.",
    "Chiếu chỉ năm 1463 viết rằng.",
    "Những năm cuối thập niên 90 tuy có cải thiện.",
    "Sửa đổi điểm 3 khoản 2 Điều 1 của Quyết định.",
    "Thi công lưới điện đến cấp điện áp 500 kV.",
    "Trải qua 4 nhiệm kỳ Đại hội, Đảng đã tổng kết.",
    "Theo Mẫu TP-TVPL-06 kèm theo Thông tư này.",
    "Thời gian thẩm định không quá 10 ngày đối với 01 xuất bản phẩm.",
    "Các đơn vị thuộc Sư đoàn 312, 316, 304 trực thuộc Bộ.",
    "Đội bóng xếp thứ 3, hơn đội thứ 4 đúng 2 điểm.",
    "Kỹ thuật 4G và 5GHz.",
    # "per one" after a slash, and an item's number printed without its dot.
    "Thời gian hỗ trợ không quá 30 ngày/01 lần điều trị.",
    "2 Thị trấn thuộc các huyện Diên Khánh, Ninh Hoà.",
])
def test_not_counted(text: str) -> None:
    assert found(text) == [], found(text)


def test_amount_in_words_keeps_its_threshold() -> None:
    # The bracketed number repeats the words; "lớn hơn hoặc bằng" before the words makes it a
    # threshold of a rule, not something counted.
    text = ("Diện tích tối thiểu được tách thửa lớn hơn hoặc bằng bốn mươi lăm mét vuông (45m2). "
            "Hồ sơ gồm 03 bộ.")
    assert [s for s, _v, _u in found(text)] == ["03 bộ"]


def test_numbered_lead_line_leads_its_list() -> None:
    # The lead of a list of targets may itself be a numbered item ("2. ... các chỉ tiêu sau.").
    text = ("2. Trước mắt, đến năm 2013 phấn đấu đạt được các chỉ tiêu sau.\n\n"
            "- 100% cán bộ chuyên trách được bồi dưỡng.\n\n"
            "- Ngân sách chi cho đào tạo đạt 15% tổng ngân sách.")
    kinds = [(i.surface, i.kind) for i in extract_indicators(text, Context(year=2010))]
    assert kinds == [("100%", "target"), ("15%", "target")]


@pytest.mark.parametrize(("text", "surface", "kind"), [
    # What must or should be reached is a target ...
    ("Các Vụ phải đơn giản hoá tối thiểu 30% các quy định, đồng thời cắt giảm 25% chi phí.",
     "30%", "target"),
    ("Các Vụ phải đơn giản hoá tối thiểu 30% các quy định, đồng thời cắt giảm 25% chi phí.",
     "25%", "target"),
    ("Thời lượng phim nước ngoài chỉ nên dưới 10% tổng thời lượng.", "10%", "target"),
    ("Mỗi xã nên lựa chọn 3 sản phẩm có thế mạnh.", "3 sản phẩm", "target"),
    # ... a modal stating a fact, "therefore" and "tạo nên" are not.
    ("Đảng ủy phải thi hành kỷ luật 14 đồng chí vi phạm.", "14 đồng chí", "actual"),
    ("Các linh kiện phải nhập khẩu 100% từ nước ngoài.", "100%", "actual"),
    ("Do thời tiết thuận lợi nên sản lượng đạt 50 tấn.", "50 tấn", "actual"),
    ("Số người lao động lớn tạo nên sức ép, lao động nông thôn chiếm 24,4%.", "24,4%", "actual"),
    ("Bộ Y tế nên xem lại việc đầu tư 200 tỷ đồng cho dự án.", "200 tỷ đồng", "actual"),
    ("Năm trước đã phải cắt giảm 30% chi phí.", "30%", "actual"),
])
def test_obligations_are_targets(text: str, surface: str, kind: str) -> None:
    got = [i.kind for i in extract_indicators(text, Context(year=2020)) if i.surface == surface]
    assert got == [kind]


@pytest.mark.parametrize(("text", "kinds"), [
    # Short lines after a lead of targets ending in ":" are its items, bullets or not.
    ("Các chỉ tiêu chủ yếu:\n\nTốc độ tăng trưởng kinh tế bình quân 8%/năm.\n\n"
     "Thu nhập bình quân đầu người đạt 60 triệu đồng.", ["target", "target"]),
    ("Kết quả cụ thể:\n\nTốc độ tăng trưởng kinh tế bình quân 8%/năm.\n\n"
     "Thu nhập bình quân đầu người đạt 60 triệu đồng.", ["actual", "actual"]),
    # A congress's targets continued in the next sentence without a cue of their own ...
    ("Đại hội thông qua nghị quyết với một số chỉ tiêu chủ yếu: thu ngân sách tăng 5-10%. "
     "Tỷ lệ chi bộ hoàn thành tốt nhiệm vụ trên 80%, phát triển từ 10 đảng viên trở lên/năm.",
     ["target", "target", "target"]),
    # ... not a sentence about the past term.
    ("Đại hội đề ra 15 chỉ tiêu chủ yếu: tăng trưởng 8%. Nhiệm kỳ qua, Đảng bộ kết nạp "
     "120 đảng viên, hằng năm tăng 5%.", ["target", "target", "actual", "actual"]),
])
def test_targets_continued(text: str, kinds: list[str]) -> None:
    ctx = Context(year=2020, term="2020-2025", reviewed_term="2015-2020")
    assert [i.kind for i in extract_indicators(text, ctx)] == kinds


@pytest.mark.parametrize(("text", "surface", "unit"), [
    ("Vốn đầu tư của Singapore đạt 2,5 tỷ đô la Singapore.", "2,5 tỷ đô la Singapore", "SGD"),
    ("Kim ngạch đạt 300 triệu NDT.", "300 triệu NDT", "CNY"),
    ("Dự án vay 40 triệu đô la Mỹ.", "40 triệu đô la Mỹ", "USD"),
])
def test_other_currencies(text: str, surface: str, unit: str) -> None:
    assert (surface, unit) in [(i.surface, i.unit) for i in extract_indicators(text, Context())]


def test_share_of_the_target_has_no_key() -> None:
    text = ("Toàn Đảng bộ kết nạp được 1.669 đảng viên, chiếm tỷ lệ 83,45% so với chỉ tiêu "
            "Nghị quyết; năm trước kết nạp vượt 30% so với chỉ tiêu.")
    keys = {i.surface: i.key for i in extract_indicators(text, Context(year=2020))}
    assert keys["83,45%"] is None and keys["30%"] is None


def test_target_quoted_from_its_resolution() -> None:
    text = ("Thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIII “Bình quân hằng năm phát "
            "triển 2.000 đảng viên”; theo đó, năm 2019 toàn Đảng bộ kết nạp 1.669 đảng viên.")
    kinds = [(i.surface, i.kind) for i in extract_indicators(text, Context(year=2019))]
    assert kinds == [("2.000 đảng viên", "target"), ("1.669 đảng viên", "actual")]


@pytest.mark.parametrize(("text", "keys"), [
    # An exclusive category listed after "xuất sắc" is no "good or better".
    ("Trong đó gần 120 tổ chức cơ sở đảng 'Hoàn thành xuất sắc nhiệm vụ'; 451 tổ chức cơ sở "
     "đảng 'Hoàn thành tốt nhiệm vụ'.", ["orgs_rated_excellent", None]),
    # The exemplary subset; the whole keeps its key.
    ("Tổ chức cơ sở đảng đạt trong sạch, vững mạnh chiếm 87,97% (trong đó, tổ chức cơ sở "
     "đảng đạt trong sạch vững mạnh tiêu biểu chiếm 20,59%).", ["orgs_clean_strong", None]),
    # Who attended a class.
    ("Đảng bộ mở 1 lớp bồi dưỡng đối tượng kết nạp Đảng cho 103 quần chúng ưu tú; 2 lớp "
     "bồi dưỡng lý luận chính trị dành cho 159 đảng viên dự bị.", [None, None, None, None]),
])
def test_keys_of_subsets(text: str, keys: list[str | None]) -> None:
    assert [i.key for i in extract_indicators(text, Context(year=2020))] == keys


def test_grassroots_organisations_listed_second_are_the_count() -> None:
    text = ("Toàn Đảng bộ tỉnh có 18 đảng bộ trực thuộc Tỉnh ủy, 759 tổ chức cơ sở đảng "
            "(trong đó, có 271 đảng bộ cơ sở, 488 chi bộ cơ sở).")
    keys = {i.surface: i.key for i in extract_indicators(text, Context(year=2020))}
    assert keys["18 đảng bộ trực thuộc"] is None
    assert keys["759 tổ chức cơ sở đảng"] == "party_cells_total"


def test_per_unit_then_year_and_share_of_target_without_so_voi() -> None:
    text = ("Thu nhập bình quân đầu người đạt 45 triệu đồng/người/năm (năm 2019). Kết nạp 120 "
            "đảng viên, đạt 120% chỉ tiêu.")
    found = {i.surface: i for i in extract_indicators(text, Context(year=2020))}
    assert found["45 triệu đồng"].period == "2019"
    assert found["120%"].key is None and found["120 đảng viên"].key == "new_members"


def test_bracket_of_labelled_grouped_counts() -> None:
    text = ("Thi hành kỷ luật 2.870 đảng viên (khiển trách 1.170, cảnh cáo 550, cách chức 150, "
            "khai trừ 1.000).")
    assert [(i.value, i.unit) for i in extract_indicators(text, Context())] == [
        (2870, "person"), (1170, "person"), (550, "person"), (150, "person"), (1000, "person")]


@pytest.mark.parametrize(("text", "keys"), [
    ("Nghị quyết 57 nhấn mạnh vai trò. Đơn vị ban hành 5 nghị quyết chuyên đề.", [None]),
    ("Đảng bộ đã hoàn thành 20/21 chỉ tiêu Nghị quyết, 39/40 chỉ tiêu giải pháp; 123/128 chi bộ "
     "thôn có cấp ủy.", ["targets_met", "targets_met", None]),
])
def test_document_numbers_and_ratio_nouns(text: str, keys: list[str | None]) -> None:
    assert [i.key for i in extract_indicators(text, Context(year=2020))] == keys


def test_amount_in_words_between_number_and_noun() -> None:
    text = ("Phê duyệt 46.831 (Bốn sáu nghìn tám trăm ba mươi mốt) đối tượng thuộc diện nghèo, "
            "hỗ trợ lãi suất trong thời hạn 03 (ba) năm.")
    assert [(i.value, i.unit) for i in extract_indicators(text, Context())] == [(46831, "person")]


def test_two_or_three() -> None:
    found = extract_indicators("Mỗi xã nên lựa chọn 2, 3 sản phẩm; theo khoản 1, 2 điều này.",
                               Context())
    assert [(i.value, i.value_max, i.unit) for i in found] == [(2, 3, "count")]


@pytest.mark.parametrize(("text", "keys"), [
    # Changes are no levels.
    ("Thu nhập bình quân đầu người tăng 8 triệu đồng; tỷ lệ hộ nghèo giảm bình quân 6,7%/năm.",
     [None, None]),
    ("Tỷ lệ hộ nghèo giảm còn 2,1%.", ["poverty_rate"]),
    # Inspection and supervision counted together: neither key.
    ("Ủy ban kiểm tra đã kiểm tra, giám sát 708 tổ chức đảng và 274 đảng viên.", [None, None]),
    # Members by party age or by what they received.
    ("Trong đó, 30 năm tuổi Đảng có 24 đảng viên; 3 đảng viên nhận Huy hiệu 60 năm.",
     [None, None]),
    # Cells of a kind; the abbreviations of the unit's organisations.
    ("Toàn Đảng bộ có 36 TCCS đảng, có 21 chi bộ trường học.", ["party_cells_total", None]),
    ("Đảng bộ huyện có 46 chi, đảng bộ cơ sở với 1.285 đảng viên.",
     ["party_cells_total", "members_total"]),
    # Who attended a class.
    ("Mở 2 lớp cho đối tượng kết nạp Đảng có 204 quần chúng ưu tú dự học.", [None, None]),
])
def test_keys_sample_g_classes(text: str, keys: list[str | None]) -> None:
    assert [i.key for i in extract_indicators(text, Context(year=2020))] == keys


def test_name_number_before_ordinal_and_discipline_forms() -> None:
    assert extract_indicators("Đại hội Đảng bộ xã Tam Xuân 2 lần thứ VII.", Context()) == []
    found = extract_indicators("Kỷ luật 19 đảng viên: 17 khiển trách; 2 cảnh cáo. Thành lập 14 "
                               "đoàn công tác kiểm tra.", Context())
    assert [(i.value, i.unit) for i in found] == [(19, "person"), (17, "person"), (2, "person"),
                                                  (14, "times")]


def test_size_defining_a_category_and_more_nouns() -> None:
    text = ("Đối với kênh tưới có diện tích dưới 50 ha, công trình có giá trị trên 100 triệu "
            "đồng thì do huyện quản lý. Xã Bắc An có diện tích 2.771,78 ha. Đã kiểm tra 2 đảng "
            "ủy cơ sở. Đại hội đề ra 6 mục tiêu cụ thể.")
    found = [(i.surface, i.unit, i.kind) for i in extract_indicators(text, Context(year=2020))]
    assert found == [("2.771,78 ha", "area", "actual"),
                     ("2 đảng ủy cơ sở", "organisation", "actual"),
                     ("6 mục tiêu", "count", "target")]


def test_year_cue_not_ahead_of_the_congress_term() -> None:
    text = "Đến năm 2015, thu nhập bình quân của người lao động đạt gần 5,4 triệu đồng/người/tháng."
    assert [i.kind for i in extract_indicators(text, Context(term="2015-2020"))] == ["actual"]
    assert [i.kind for i in extract_indicators(text.replace("2015", "2025"),
                                               Context(term="2020-2025"))] == ["target"]
