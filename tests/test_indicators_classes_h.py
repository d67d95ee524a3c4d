"""Classes of misses seen on blind sample H (issue 11), each on a short fixture written here."""

from __future__ import annotations

from pipeline.extract.indicators import Context, extract_indicators, plan_lists


def _by_surface(text: str, ctx: Context | None = None) -> dict[str, tuple[str, str | None]]:
    return {i.surface: (i.kind, i.key) for i in extract_indicators(text, ctx or Context())}


PLAN_PAGE = (
    "Huyện Tân Lạc bước vào nhiệm kỳ mới\n"
    "MỘT SỐ CHỈ TIÊU CHỦ YẾU GIAI ĐOẠN 2025 - 2030\n"
    "I. Về kinh tế (9 chỉ tiêu)\n"
    "1. Tốc độ tăng trưởng bình quân hằng năm đạt 9,5%.\n"
    "2. Tổng sản lượng lúa hằng năm: 31.000 tấn.\n"
    "II. Về xây dựng Đảng\n"
    "3. Tỷ lệ chi bộ hoàn thành tốt nhiệm vụ trên 85%.\n"
    "Ý kiến của cử tri\n"
    "Nhiều cử tri cho biết xã có 12 thôn đạt chuẩn văn hóa."
)


def test_a_list_under_a_heading_of_targets_is_targets() -> None:
    # A news page, no party sections: the heading line alone makes the list a plan.
    got = _by_surface(PLAN_PAGE, Context(doc_type="news"))
    assert got["9,5%"][0] == "target"  # "đạt" is no result under the heading
    assert got["31.000 tấn"][0] == "target"
    assert got["85%"][0] == "target"  # "II. Về xây dựng Đảng" is a group of the same list
    assert got["12 thôn"][0] == "actual"  # another heading ended the list


def test_heading_variants_and_what_is_no_plan_heading() -> None:
    text = ("Tin địa phương\n2. Mục tiêu cụ thể đến năm 2030\nThu nhập bình quân 80 triệu "
            "đồng/người/năm.\n3. Tổ chức thực hiện\nHuyện có 14 xã.")
    (start, end, year), = plan_lists(text)
    assert text[start:end].endswith("/năm.") and year == 2030
    # A heading of results, and a title, head no plan.
    assert plan_lists("Ghi nhận\nKết quả thực hiện các chỉ tiêu chủ yếu\nĐạt 95%.") == []
    assert plan_lists("Các chỉ tiêu chủ yếu năm 2026\nĐạt 95%.") == []
    # A list of a term long past, in a text written after it, reviews.
    old = "Tin\nCác chỉ tiêu chủ yếu nhiệm kỳ 2010-2015\nTỷ lệ hộ nghèo còn 3%."
    assert _by_surface(old, Context(year=2021, doc_type="news"))["3%"][0] == "actual"


def test_a_result_under_a_plan_heading_stays_a_result() -> None:
    text = "Tin\nPhương hướng, nhiệm vụ năm tới\nNăm qua xã đã kết nạp 7 đảng viên mới."
    assert _by_surface(text, Context(doc_type="news"))["7 đảng viên mới"][0] == "actual"


def test_kinds_of_the_new_members_get_no_new_members_key() -> None:
    text = ("Năm 2024, Đảng bộ huyện kết nạp 312 đảng viên mới; trong đó có 140 đảng viên "
            "mới là nữ. Trong số các đảng viên mới có 9 đồng chí là trưởng ấp, 25 đảng viên "
            "là sinh viên. Hơn 90% đảng viên được kết nạp có trình độ đại học. Ngoài ra đã "
            "kết nạp 4 quần chúng trước đây là người có đạo.")
    got = _by_surface(text, Context(year=2024))
    assert got["312 đảng viên mới"][1] == "new_members"
    for surface in ("140 đảng viên mới", "9 đồng chí", "25 đảng viên", "90%", "4 quần chúng"):
        assert got[surface][1] is None, surface


def test_admissions_counted_by_place_stay_admissions() -> None:
    text = ("Đảng ủy xã kết nạp 40 đảng viên mới. Trong số đảng viên mới kết nạp, có 6 đảng "
            "viên được kết nạp trong doanh nghiệp.")
    assert _by_surface(text, Context(year=2023))["6 đảng viên"][1] == "new_members"


def test_a_change_or_a_margin_over_the_target_gets_no_key() -> None:
    text = ("Năm nay chi bộ kết nạp 18 đảng viên mới, tăng 4 đảng viên so với năm trước, "
            "vượt 20% so với NQ.")
    got = _by_surface(text, Context(year=2023))
    assert got["18 đảng viên mới"][1] == "new_members"
    assert got["4 đảng viên"][1] is None
    assert got["20%"][1] is None


def test_a_numbered_heading_may_end_with_a_stop_a_sentence_heads_nothing() -> None:
    assert plan_lists("Tin\nIII. Mục tiêu, nhiệm vụ nhiệm kỳ tới.\nTỷ lệ che phủ rừng 45%.")
    assert plan_lists("Tin\nChỉ tiêu do Đại hội đề ra là tăng gấp 2 lần.\nNăm 1995 tăng 9%.") == []


def test_keys_that_need_their_own_subject() -> None:
    text = ("Toàn huyện kết nạp 1.210 đảng viên, nâng tổng số đảng viên của huyện lên hơn 9 "
            "nghìn đảng viên. Đảng bộ trường hiện có 180 đảng viên, biên chế thành 12 chi bộ. "
            "Khối có 41 chi bộ trực thuộc 9 tổ chức cơ sở đảng. Huyện đã quy hoạch nguồn cán "
            "bộ vào các ban chấp hành gồm 210 người. Trung tâm mở 3 lớp bồi dưỡng lý luận "
            "chính trị cho 150 quần chúng ưu tú. Thu nhập trên một ha đạt 90 triệu đồng/ha. "
            "Tỷ lệ hộ nghèo còn 2,1% và tỷ lệ hộ cận nghèo chiếm 3,4%; tỷ lệ hộ đói nghèo giảm "
            "từ 40% xuống 12%.")
    got = _by_surface(text, Context(year=2020))
    assert got["9 nghìn đảng viên"][1] == "members_total"
    assert got["12 chi bộ"][1] == "party_cells_total"
    assert got["41 chi bộ trực thuộc"][1] is None  # cells under 9 organisations
    assert got["210 người"][1] is None  # a planning list, not the committee
    assert got["150 quần chúng ưu tú"][1] is None  # candidates at a class
    assert got["90 triệu đồng"][1] is None  # money per hectare
    assert got["2,1%"][1] == "poverty_rate" and got["3,4%"][1] is None
    assert got["40%"][1] == "poverty_rate" and got["12%"][1] == "poverty_rate"


def test_measures_and_things_that_are_no_indicators() -> None:
    text = ("Nhiều hộ nuôi liên tục 3-4 vụ trong một năm; xã có 2 vụ lúa. Hội có 120 chi hội. "
            "Hội nghị trực tuyến tới 48 điểm cầu. Lạm phát ở mức 2 con số. Học sinh học 2 "
            "buổi/ngày. b) Phê duyệt các dự án sử dụng vốn ngân sách huyện dưới 5 tỷ đồng. "
            "Theo quy định, mỗi chi bộ có ít nhất 01 đảng viên là đại biểu.")
    got = {i.surface: i.unit for i in extract_indicators(text, Context(year=2020))}
    assert got.get("2 vụ lúa") == "count"
    assert [u for s, u in got.items() if s.startswith("3-4 vụ")] == ["count"]
    assert got.get("120 chi hội") == "organisation"
    assert got.get("48 điểm cầu") == "count"
    for surface in ("2 con", "2 buổi", "5 tỷ đồng", "01 đảng viên"):
        assert surface not in got, surface


def test_a_minimum_for_each_in_a_plan_or_a_year_is_a_target() -> None:
    text = "Phấn đấu mỗi chi bộ kết nạp ít nhất 01 đảng viên; mỗi năm có ít nhất 2 đợt."
    kinds = {i.surface: i.kind for i in extract_indicators(text, Context(year=2020))}
    assert kinds == {"01 đảng viên": "target", "2 đợt": "target"}


def test_a_task_stated_is_a_target_a_planning_list_is_not() -> None:
    got = _by_surface("Nhiệm vụ của ngành là phải tiêm phòng 100% đàn gia súc.", Context())
    assert got["100%"][0] == "target"
    got = _by_surface("Huyện đang hoàn thiện nguồn quy hoạch dự kiến 52 người.", Context())
    assert got["52 người"][0] == "actual"


def test_words_that_looked_like_names_before_a_number() -> None:
    text = ("Cơ cấu: dịch vụ 45%, công nghiệp - xây dựng 38% và nông nghiệp 17%. Có 3,5% thôn "
            "kiểu mẫu 3,5% là chưa đủ. Chủ tịch hội hưởng hệ số 2,10. Thu nhập tăng gấp 2,3 "
            "lần thu nhập năm 2015. Kết nạp 90 đảng viên, nâng tổng số đảng viên toàn Đảng bộ "
            "lên con số 2.415.")
    got = {i.surface: (i.unit, i.key) for i in extract_indicators(text, Context(year=2020))}
    assert got["38%"] == ("%", None)
    assert "2,10" in got and got["2,10"][0] == "count"  # an index's value
    assert got["2,3 lần"][0] == "multiple"
    assert got["2.415"] == ("person", "members_total")
    # ... while names keep their numbers out: "Khu công nghiệp 2", "Mẫu 02".
    names = "Khu công nghiệp 2 tuyển 300 lao động theo Mẫu 02."
    assert [i.surface for i in extract_indicators(names, Context())] == ["300 lao động"]


def test_parts_of_the_targets_are_not_how_many_were_set() -> None:
    text = ("Trong 30 chỉ tiêu của Nghị quyết, có 7 chỉ tiêu vượt và 23 chỉ tiêu đạt. "
            "Đại hội đề ra 30 chỉ tiêu.")
    got = [(i.surface, i.key) for i in extract_indicators(text, Context(year=2025))]
    assert got == [("30 chỉ tiêu", "targets_total"), ("7 chỉ tiêu", None), ("23 chỉ tiêu", None),
                   ("30 chỉ tiêu", "targets_total")]
    heading = "Tin\nCÁC CHỈ TIÊU NHIỆM KỲ 2025-2030\nI. Về kinh tế (8 chỉ tiêu)\n1. Tăng 9%."
    assert _by_surface(heading, Context(doc_type="news"))["8 chỉ tiêu"] == ("target", None)


def test_a_company_staff_and_revenue_in_any_currency() -> None:
    text = "Năm 2019, doanh thu của tập đoàn là 12,5 tỷ USD với 30.200 nhân viên."
    got = {i.surface: i.key for i in extract_indicators(text, Context())}
    assert got == {"12,5 tỷ USD": "revenue", "30.200 nhân viên": "staff_total"}


def test_plan_heading_variants() -> None:
    for heading in ("II- MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2030",
                    "Các chỉ tiêu chủ yếu đến năm 2030:",
                    "3. Phương hướng, nhiệm vụ năm 2026",
                    "Một số chỉ tiêu  chủ yếu"):
        text = f"Bản tin\n{heading}\nTỷ lệ hộ nghèo giảm còn dưới 2%."
        assert _by_surface(text, Context(doc_type="news"))["2%"][0] == "target", heading


def test_a_party_documents_review_part_keeps_its_results() -> None:
    text = "Báo cáo\nCác chỉ tiêu chủ yếu\nTỷ lệ hộ nghèo còn 2%."
    review = Context(doc_type="political_report", sections=[(0, len(text), "results")])
    assert _by_surface(text, review)["2%"][0] == "actual"
    assert _by_surface(text, Context(doc_type="political_report"))["2%"][0] == "target"


def test_inspection_and_discipline_counts() -> None:
    text = ("Cấp huyện đã tiến hành kiểm tra, giám sát 1.214 lượt tổ chức đảng, 436 lượt đảng "
            "viên. Ban Thường vụ thi hành kỷ luật bằng hình thức khiển trách với 2 tổ chức đảng. "
            "Cấp ủy kiểm tra 27 chi bộ trực thuộc. Đã kiểm tra 9.200 đảng viên, có 1.320 đảng "
            "viên là cấp ủy viên. Đã kỷ luật 4 đảng viên, không thi hành kỷ luật 11 đảng viên "
            "do hết thời hiệu. Qua giám sát, Ủy ban Kiểm tra đình chỉ sinh hoạt đảng 2 trường "
            "hợp. Trong năm có 12 đảng viên bị xử lý kỷ luật.")
    got = {i.surface: i.key for i in extract_indicators(text, Context(year=2023))}
    assert got["1.214 lượt tổ chức đảng"] is None and got["436 lượt đảng viên"] is None
    assert got["2 tổ chức đảng"] == "disciplined_orgs"
    assert got["27 chi bộ trực thuộc"] == "inspected_orgs"
    assert got["9.200 đảng viên"] == "inspected_members" and got["1.320 đảng viên"] is None
    assert got["4 đảng viên"] == "disciplined_members" and got["11 đảng viên"] is None
    assert got["2 trường hợp"] is None
    assert got["12 đảng viên"] == "disciplined_members"


def test_periods_spans_quarters_and_campaigns() -> None:
    text = ("Trong 5 năm 2016-2020, thu nhập tăng gấp 1,9 lần. Tỉnh ban hành 3 quy hoạch và 4 "
            "đề án; quý 2 có 4 quý liên tiếp tăng trưởng. Phong trào 3 xây dựng được hưởng ứng. "
            "Tổng số cán bộ, công chức làm việc tại các hội là 41.")
    got = {i.surface: (i.unit, i.key, i.period) for i in extract_indicators(text, Context())}
    assert got["1,9 lần"][2] == "2016-2020"
    assert got["3 quy hoạch"][0] == "count"
    assert "4 quý" not in got and not any(s.startswith("3 xây") for s in got)
    assert got["41"][:2] == ("person", "staff_total")


def test_a_past_year_under_a_plan_heading_reports() -> None:
    text = ("Bản tin\nMục tiêu giảm nghèo bền vững\nNăm 2023, tỷ lệ hộ nghèo còn 2,4%. Đến năm "
            "2026, tỷ lệ hộ nghèo dưới 1%.")
    got = _by_surface(text, Context(year=2024, doc_type="news"))
    assert got["2,4%"][0] == "actual" and got["1%"][0] == "target"


def test_targets_set_then_reviewed_and_category_shares() -> None:
    text = ("Đại hội Đảng bộ huyện lần thứ X đề ra 40 chỉ tiêu, đến nay có 31 chỉ tiêu đã đạt "
            "và vượt. Tỷ lệ hộ nghèo giảm 2% (cao hơn 0,5% so với Nghị quyết). Toàn khối có 6 "
            "doanh nghiệp đạt từ 80% kế hoạch năm trở lên.")
    got = {i.surface: (i.kind, i.key) for i in extract_indicators(text, Context(year=2024))}
    assert got["40 chỉ tiêu"] == ("actual", "targets_total")
    assert got["31 chỉ tiêu"] == ("actual", "targets_met")
    assert got["0,5%"][0] == "actual"  # by how much, not a tolerance
    assert "80%" not in got  # says which enterprises are counted
    # A congress that sets them now still sets targets.
    now = "Đại hội đã biểu quyết thông qua 18 chỉ tiêu nhiệm kỳ 2025-2030."
    assert _by_surface(now, Context(year=2025))["18 chỉ tiêu"][0] == "target"


def test_a_plan_heading_covers_its_items_and_one_paragraph_not_the_news_after() -> None:
    text = ("Bản tin\nMục tiêu nhiệm kỳ 2025-2030\nTăng trưởng bình quân 8%/năm.\n"
            "- Thu nhập 90 triệu đồng/người.\n- 100% xã đạt chuẩn.\n"
            "Đại hội có 250 đại biểu chính thức tham dự.")
    got = _by_surface(text, Context(doc_type="news"))
    assert [got[s][0] for s in ("8%", "90 triệu đồng", "100%")] == ["target"] * 3
    assert got["250 đại biểu"][0] == "actual"
