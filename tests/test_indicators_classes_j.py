"""Classes of misses seen on blind sample J (issue 11), each on a short fixture written here
(other provinces, other nouns, typed variants), never a copy of the sample's text."""

from __future__ import annotations

from pipeline.extract.indicators import Context, extract_indicators


def _all(text: str, ctx: Context | None = None) -> list[tuple[str, float, str, str, str | None]]:
    return [(i.surface, i.value, i.unit, i.kind, i.key)
            for i in extract_indicators(text, ctx or Context(doc_type="news"))]


def _got(text: str, ctx: Context | None = None) -> dict[str, tuple[str, str, str | None]]:
    return {s: (unit, kind, key) for s, _v, unit, kind, key in _all(text, ctx)}


def test_a_rating_stated_with_nhiem_vu_la_is_a_result_not_a_task() -> None:
    text = ("Kết quả phân loại năm 2024, đảng viên hoàn thành tốt nhiệm vụ là 40 đảng viên, "
            "chiếm 80%; đảng viên không hoàn thành nhiệm vụ là 1 đồng chí.")
    got = _got(text, Context(doc_type="news", year=2025))
    assert got["40 đảng viên"][1] == "actual"
    assert got["80%"][1] == "actual"
    # ... while a task stated so is a target.
    task = "Nhiệm vụ trọng tâm của xã là phải giảm tỷ lệ hộ nghèo xuống dưới 3%."
    assert _got(task)["3%"][1] == "target"


def test_a_group_paragraph_of_a_resolution_is_targets_to_its_end() -> None:
    text = ("Về xã hội: Tỷ lệ lao động có việc làm bình quân 5 năm khoảng 92%. Đến năm 2030, tỷ "
            "lệ hộ nghèo dưới 1,5%; có 12 bác sĩ/vạn dân; tỷ lệ xã có trường đạt chuẩn là 90%.")
    got = _got(text, Context(doc_type="news", year=2026))
    assert got["92%"][1] == "target"  # before the year, in the same group
    assert got["12 bác sĩ/vạn dân"] == ("rate", "target", None)  # "có" in a later clause
    assert got["90%"][1] == "target"
    # A review paragraph that reports ("đã") keeps its results, and "Đến năm 2019, có ..."
    # states what there was.
    review = ("Về kinh tế: Tăng trưởng bình quân đã đạt 7,1%. Đến năm 2019, toàn huyện có 35 "
              "hợp tác xã; 12 xã đạt chuẩn.")
    got = _got(review, Context(doc_type="news", year=2020))
    assert got["7,1%"][1] == "actual" and got["35 hợp tác xã"][1] == "actual"


def test_rates_per_ten_thousand_people() -> None:
    got = _got("Phấn đấu đến năm 2030 có 14 bác sĩ và 35 giường bệnh/1 vạn dân.")
    assert got["14 bác sĩ"][0] == "rate"  # shares the denominator printed after the next
    assert got["35 giường bệnh/1 vạn dân"][0] == "rate"
    got = _got("Số bác sĩ/vạn dân: 11 bác sĩ; số giường bệnh/vạn dân đạt từ 28 đến 30 giường.")
    assert got["11 bác sĩ"][0] == "rate"
    assert got["28 đến 30 giường"][0] == "rate"
    # Other populations and printed numbers: "/1.000 dân", "/ 10.000 người dân".
    assert _got("Có 3,5 cán bộ y tế/1.000 dân.")["3,5 cán bộ y tế/1.000 dân"][0] == "rate"
    assert _got("Đạt 9 dược sĩ/ 10.000 người dân.")["9 dược sĩ/ 10.000 người dân"][0] == "rate"
    # A plain count is no rate.
    assert _got("Trung tâm có 40 giường bệnh và 12 bác sĩ.")["12 bác sĩ"][0] == "person"


def test_a_congress_plan_continued_in_a_sentence_with_se() -> None:
    text = ("Đại hội đã thống nhất nhiều chỉ tiêu quan trọng, trong đó: tăng trưởng bình quân "
            "hằng năm đạt 9%; thu nhập bình quân đầu người đến năm 2030 đạt 80 triệu đồng. "
            "Trong nhiệm kỳ sẽ thành lập mới 120 doanh nghiệp, kết nạp 150 đảng viên.")
    got = _got(text, Context(doc_type="news", year=2025))
    assert got["120 doanh nghiệp"][1] == "target"
    assert got["150 đảng viên"][1:] == ("target", "new_members")


def test_years_are_no_denominators_and_numbered_villages_are_names() -> None:
    # "T.3/2010" (tháng abbreviated), a birth date before 1900: no ratio.
    assert _all("Trong T.02, T.3/2010, chi bộ kết nạp 2 đảng viên.") == [
        ("2 đảng viên", 2.0, "person", "actual", "new_members")]
    assert _all("Kỷ niệm ngày sinh (19/5/1890 - 19/5/2025) của Người.") == []
    assert _got("Tỷ lệ đạt 27/30 chỉ tiêu.")["27/30 chỉ tiêu"][0] == "ratio"
    # A hamlet's number names it: "Chi bộ thôn 8", "bản 3", "buôn 2", "khóm 4".
    for name in ("Chi bộ thôn 8", "Chi bộ bản 3", "Chi bộ buôn 2", "Chi bộ khóm 4"):
        assert _all(f"{name}, xã Ea Kiết có 21 đảng viên.") == [
            ("21 đảng viên", 21.0, "person", "actual", "members_total")], name
    # Levels of a structure and a yield per hectare are no counts.
    assert _all("Vận hành chính quyền địa phương 2 cấp ổn định.") == []
    assert [s for s, *_ in _all("Giá trị thu trên 1 ha đất canh tác đạt 210 triệu đồng.")] == [
        "210 triệu đồng"]


def test_targets_by_how_far_they_got_are_not_targets_met() -> None:
    text = ("Đến nay, Nghị quyết có 5/20 chỉ tiêu vượt, 9/20 chỉ tiêu đạt từ 60% trở lên. Vẫn "
            "còn 6/20 chỉ tiêu, trong đó có 4 chỉ tiêu đạt thấp.")
    got = _all(text, Context(doc_type="news", year=2023))
    assert [s for s, *_ in got] == ["5/20 chỉ tiêu", "9/20 chỉ tiêu", "6/20 chỉ tiêu",
                                    "4 chỉ tiêu"]  # "60% trở lên" says which are counted
    assert all(key is None for *_, key in got)
    # ... while targets reached keep their key.
    met = _got("Xã đã đạt 18/20 chỉ tiêu Nghị quyết.", Context(doc_type="news", year=2023))
    assert met["18/20 chỉ tiêu"][2] == "targets_met"


def test_forms_of_discipline_and_rows_of_bare_counts() -> None:
    text = ("Hình thức kỷ luật đảng viên: khiển trách 12 (chiếm 50%), cảnh cáo 9 (37,5%), khai "
            "trừ 3 (12,5%).")
    got = _all(text)
    assert [(s, unit, key) for s, _v, unit, _k, key in got if unit != "%"] == [
        ("12", "person", None), ("9", "person", None), ("3", "person", "expelled_members")]
    # A colon list of counts beside their shares counts what the sentence speaks of.
    text = ("Các vi phạm của đảng viên tập trung vào: lối sống: 7 (35%); quản lý đất đai, tài "
            "chính: 6 (30%); thiếu trách nhiệm: 4 (20%).")
    assert [(s, unit) for s, _v, unit, _k, _key in _all(text) if unit != "%"] == [
        ("7", "person"), ("6", "person"), ("4", "person")]
    # A row of the same verb names its noun at its end ("... kỷ luật 2, ... kỷ luật 5 trường
    # hợp"); the breakdown after "Trong đó" is no total of the disciplined.
    text = ("Trong đó, Ban Thường vụ Huyện ủy thi hành kỷ luật 2, đảng ủy cơ sở thi hành kỷ luật "
            "6, chi bộ thi hành kỷ luật 11 trường hợp.")
    assert [(s, unit, key) for s, _v, unit, _k, key in _all(text)] == [
        ("2", "person", None), ("6", "person", None), ("11 trường hợp", "person", None)]


def test_keys_of_committees_members_and_attendance() -> None:
    keys = {s: key for s, _v, _u, _k, key in _all(
        "Đại hội bầu Chi ủy khóa mới nhiệm kỳ 2025-2030 gồm 05 đồng chí. BCH mới gồm 9 Đ/C. "
        "Ủy ban Kiểm tra Đảng ủy xã gồm 3 thành viên. Chi bộ thôn Phú Mỹ có 37 đồng chí đảng "
        "viên. Đảng bộ đại diện cho hơn 12 ngàn đảng viên.")}
    assert keys["05 đồng chí"] == "executive_committee"
    assert keys["9 Đ/C"] == "executive_committee"
    assert keys["3 thành viên"] is None  # the inspection committee's
    assert keys["37 đồng chí"] == "members_total"
    assert keys["12 ngàn đảng viên"] == "members_total"
    # Kinds of those attending are not the unit's official and reserve members.
    text = ("Đại hội có mặt 40 đảng viên (gồm 36 đảng viên chính thức, 4 đảng viên dự bị) trên "
            "tổng số 42 đảng viên được triệu tập.")
    assert all(key is None for s, _v, _u, _k, key in _all(text) if s != "42 đảng viên")
    # A bare number labelled before it takes that label's key, not the next one's.
    keys = {s: key for s, _v, _u, _k, key in _all(
        "Đảng bộ có 812 đảng viên; trong đó, đảng viên chính thức là 790, đảng viên dự bị là 22.")}
    assert keys["790"] == "members_official" and keys["22"] == "members_reserve"


def test_keys_of_ratings_parts_ratios_and_series() -> None:
    keys = {s: key for s, _v, _u, _k, key in _all(
        "Năm 2024, đảng bộ có 6 chi bộ hoàn thành xuất sắc nhiệm vụ (trong đó có 2 chi bộ đạt "
        "trong sạch vững mạnh); đảng viên hoàn thành xuất sắc nhiệm vụ là 12 đảng viên. Năm "
        "2025 phấn đấu 9/9 chi bộ hoàn thành tốt nhiệm vụ.", Context(doc_type="news", year=2025))}
    assert keys["6 chi bộ"] == "orgs_rated_excellent"
    assert keys["2 chi bộ"] == "orgs_clean_strong"  # a part, rated all the same
    assert keys["12 đảng viên"] == "members_rated_excellent"  # not all the members
    assert keys["9/9 chi bộ"] == "orgs_rated_good_or_better"
    keys = {s: key for s, _v, _u, _k, key in _all(
        "Có 100% chi bộ và hơn 95% đảng viên hoàn thành tốt nhiệm vụ. Số đảng viên tăng từ 120 "
        "đồng chí năm 2015 lên 131 đồng chí năm 2016, 140 đồng chí năm 2017. Có 2 tổ chức đảng "
        "bị thi hành kỷ luật.")}
    assert keys["100%"] == "orgs_rated_good_or_better"
    assert keys["140 đồng chí"] == "members_total"
    assert keys["2 tổ chức đảng"] == "disciplined_orgs"
    # Organisations in a sector and kinds of the new members are subsets.
    keys = {s: key for s, _v, _u, _k, key in _all(
        "Toàn tỉnh có 85 tổ chức đảng trong các doanh nghiệp tư nhân. Trong tổng số đảng viên "
        "được kết nạp, có 120 đảng viên người dân tộc thiểu số.")}
    assert keys["85 tổ chức đảng"] is None and keys["120 đảng viên"] is None


def test_a_rate_needs_a_round_denominator_or_an_area() -> None:
    assert _got("Xã còn 96 hộ/341 khẩu nghèo.") == {"96 hộ": ("count", "actual", None),
                                                    "341 khẩu": ("person", "actual", None)}
    assert _got("Năng suất lúa đạt 6,2 tấn/ha.")["6,2 tấn/ha"][0] == "rate"
    assert _got("Đạt 28 đảng viên/100.000 dân.")["28 đảng viên/100.000 dân"][0] == "rate"
    # "khâu" (a stage) and "khẩu" (people) fold alike; the tone marks tell them apart.
    assert _got("Thực hiện 3 khâu đột phá và 2 khâu then chốt.")["2 khâu"][0] == "count"


def test_a_campaign_name_is_no_target_cue() -> None:
    text = ("Sơ kết cuộc vận động đoàn viên phấn đấu trở thành đảng viên, với sự tham gia của 14 "
            "tỉnh.")
    assert _got(text)["14 tỉnh"][1] == "actual"
    assert _got("Phấn đấu kết nạp 14 đảng viên.")["14 đảng viên"][1] == "target"


def test_a_long_paragraph_of_items_right_under_its_lead() -> None:
    lead = "Đại hội xác định các chỉ tiêu chủ yếu nhiệm kỳ 2025-2030 như sau:\n"
    items = ("Tăng trưởng kinh tế bình quân hằng năm đạt 8,5%; thu nhập bình quân đầu người đạt "
             "95 triệu đồng; tỷ lệ hộ nghèo giảm bình quân 1%/năm; 100% xã đạt chuẩn nông thôn "
             "mới nâng cao; tỷ lệ lao động qua đào tạo đạt 80%; hằng năm kết nạp từ 30 đảng viên "
             "trở lên; trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ.")
    got = _all(lead + items, Context(doc_type="news", year=2025))
    assert len(got) == 7 and all(kind == "target" for _s, _v, _u, kind, _k in got)
    # The same items under a lead of results are results.
    got = _all("Kết quả nhiệm kỳ qua:\n" + items, Context(doc_type="news", year=2025))
    assert got and all(kind == "actual" for _s, _v, _u, kind, _k in got)
