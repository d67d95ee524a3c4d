"""The error classes the blind sample E showed (issue 11, second session), each in a short
sentence written for this test in the shape the real text had: results introduced by the
targets they met, plans opened by the coming term, annual minimums, lists of targets, asides,
nouns of prose enumerations, and keys whose subject is another population."""

from __future__ import annotations

import pytest

from pipeline.extract.indicators import Context, extract_indicators


def found(text: str, ctx: Context | None = None) -> list[tuple[str, float, str, str]]:
    return [(i.surface, i.value, i.unit, i.kind)
            for i in extract_indicators(text, ctx or Context())]


def keys(text: str, ctx: Context | None = None) -> dict[str, str | None]:
    return {i.surface: i.key for i in extract_indicators(text, ctx or Context())}


# -- kind --------------------------------------------------------------------------------------

def test_results_introduced_by_the_targets_they_met_are_results() -> None:
    text = ("Nhiệm kỳ qua, Đảng bộ đạt và vượt các chỉ tiêu Nghị quyết đề ra: tỷ lệ hộ nghèo "
            "còn 4,1%; 98% trường học đạt chuẩn.")
    assert [k for *_, k in found(text)] == ["actual", "actual"]
    # The same cue with nothing reached before it still sets targets.
    assert found("Chỉ tiêu Nghị quyết đề ra: tỷ lệ hộ nghèo còn 3%.")[0][3] == "target"


def test_a_sentence_opening_on_the_coming_term_plans() -> None:
    ctx = Context(term="2030-2035", reviewed_term="2025-2030")
    text = "Nhiệm kỳ 2030 - 2035, Đảng bộ xã đề ra 15 chỉ tiêu, 4 nhiệm vụ trọng tâm và 2 khâu."
    assert [(v, k) for _s, v, _u, k in found(text, ctx)] == [
        (15, "target"), (4, "target"), (2, "target")]
    # The term it reviews reports; so does what the unit has at the start of the new term.
    assert found("Nhiệm kỳ 2025 - 2030, Đảng bộ kết nạp 212 đảng viên.", ctx)[0][3] == "actual"
    assert found("Nhiệm kỳ 2030-2035, Đảng bộ có 640 đảng viên.", ctx)[0][3] == "actual"
    # Written in 2030 about 2025-2030: the past.
    old = Context(term="2025-2030", year=2030)
    assert found("Nhiệm kỳ 2025-2030, huyện kết nạp 900 đảng viên.", old)[0][3] == "actual"


def test_the_targets_a_congress_sets_are_targets() -> None:
    assert found("Đại hội biểu quyết thông qua 18 chỉ tiêu.")[0][3] == "target"
    assert found("Nghị quyết đề ra 21 chỉ tiêu và 4 khâu đột phá.")[1][3] == "target"
    # Documents a meeting passed are what it did.
    assert found("Hội nghị đã thông qua 5 văn bản.")[0][3] == "actual"


def test_an_annual_minimum_is_a_target_and_a_rule_threshold_is_not_an_indicator() -> None:
    assert found("Hằng năm kết nạp mới từ 30 đảng viên trở lên.") == [
        ("30 đảng viên", 30, "person", "target")]
    assert found("Dự án có mức nộp ngân sách hằng năm từ 15 tỷ đồng trở lên được hỗ trợ.") == []


def test_items_of_a_list_led_by_targets_are_targets() -> None:
    text = ("Đến năm 2030 phấn đấu đạt được các chỉ tiêu sau.\n"
            "- 100% cán bộ chuyên trách được bồi dưỡng.\n"
            "- 80% cán bộ không chuyên trách được bồi dưỡng.\n")
    assert [k for *_, k in found(text, Context(year=2026))] == ["target", "target"]
    plain = "Kết quả năm qua như sau.\n- 100% cán bộ được bồi dưỡng.\n"
    assert [k for *_, k in found(plain)] == ["actual"]


def test_an_aside_opened_after_a_target_cue_reports() -> None:
    text = ("Phấn đấu hằng năm kết nạp từ 3% trở lên so với tổng số đảng viên đầu nhiệm kỳ "
            "(đầu nhiệm kỳ, Đảng bộ có tổng số 4.120 đảng viên).")
    assert [(v, k) for _s, v, _u, k in found(text)] == [(3, "target"), (4120, "actual")]


# -- measure -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Nghị quyết nêu 3 khâu đột phá.", 3, "count"),
    ("Phân cấp tập trung vào 7 lĩnh vực.", 7, "count"),
    ("Cần quán triệt đầy đủ 4 nguyên tắc nêu trên.", 4, "count"),
    ("Điều chuyển 02 xe ô tô cho Ban quản lý.", 2, "count"),
    ("Loại 1: 12 chợ kinh doanh tổng hợp.", 12, "count"),
    ("Có 9 khu dân cư đạt chuẩn văn hóa.", 9, "count"),
    ("Phê duyệt 1.234 đối tượng thuộc diện nghèo.", 1234, "person"),
    ("Tặng cờ thi đua cho 3 tập thể.", 3, "organisation"),
    ("Tham dự có 160 đại biểu đại diện cho 1.100 đảng viên sinh hoạt tại 48 chi, đảng bộ "
     "trực thuộc.", 48, "organisation"),
    ("Toàn Đảng bộ kết nạp được 310 ĐV mới.", 310, "person"),
])
def test_the_measure_of_prose_enumerations(text: str, value: float, unit: str) -> None:
    last = [f for f in found(text) if f[1] == value][0]
    assert last[2] == unit


# -- key ---------------------------------------------------------------------------------------

def test_the_members_a_congress_represents_are_the_units_members() -> None:
    k = keys("Dự đại hội có 150 đại biểu đại diện cho hơn 1.300 đảng viên trong toàn Đảng bộ, "
             "sinh hoạt tại 52 chi, đảng bộ trực thuộc.")
    assert (k["150 đại biểu"], k["1.300 đảng viên"], k["52 chi, đảng bộ trực thuộc"]) == (
        None, "members_total", "party_cells_total")
    assert keys("Toàn Đảng bộ kết nạp được 120 ĐV, nâng tổng số ĐV toàn Đảng bộ lên 3.400 "
                "đồng chí.")["3.400 đồng chí"] == "members_total"


def test_a_part_named_by_what_it_is_or_did_is_not_the_total() -> None:
    k = keys("Năm qua kết nạp 80 đảng viên mới; trong số đó có 12 đảng viên được kết nạp "
             "trong doanh nghiệp.")
    assert k["12 đảng viên"] == "new_members"
    k = keys("Đã thi hành kỷ luật 540 đảng viên (có 61 đảng viên là cấp ủy viên các cấp).")
    assert (k["540 đảng viên"], k["61 đảng viên"]) == ("disciplined_members", None)
    k = keys("Qua kiểm tra, kết luận có 210 tổ chức đảng và 930 đảng viên có vi phạm.")
    assert (k["210 tổ chức đảng"], k["930 đảng viên"]) == (None, None)
    # Inspected, with the ones found at fault in brackets: still inspected.
    k = keys("Ủy ban Kiểm tra đã kiểm tra 37 đảng viên (có vi phạm 30 đồng chí).")
    assert k["37 đảng viên"] == "inspected_members"


def test_parts_after_an_aside_are_parts() -> None:
    k = keys("Toàn Đảng bộ có 640 tổ chức cơ sở đảng (tăng 9 so với năm 2024), trong đó, có "
             "250 đảng bộ cơ sở, 390 chi bộ cơ sở.")
    assert (k["640 tổ chức cơ sở đảng"], k["250 đảng bộ cơ sở"]) == ("party_cells_total", None)


def test_a_share_of_the_target_is_no_rate_of_the_key() -> None:
    k = keys("Toàn Đảng bộ kết nạp 310 đảng viên mới, đạt 104,2% so với chỉ tiêu Nghị quyết.")
    assert (k["310 đảng viên mới"], k["104,2%"]) == ("new_members", None)


def test_the_verb_decides_reserve_members_made_full() -> None:
    k = keys("Đảng ủy đã chuyển đảng chính thức cho 140 đảng viên dự bị.")
    assert k["140 đảng viên dự bị"] == "reserve_to_official"


def test_opposite_and_neighbouring_categories_get_no_key() -> None:
    k = keys("Đảng viên vi phạm tư cách hoặc không hoàn thành nhiệm vụ chiếm 0,6%.")
    assert k["0,6%"] is None
    k = keys("Tỷ lệ hộ nghèo giảm còn 4,2%, hộ cận nghèo còn 7,9%.")
    assert (k["4,2%"], k["7,9%"]) == ("poverty_rate", None)
    k = keys("Đảng viên hoàn thành xuất sắc nhiệm vụ chiếm 14% tổng số đảng viên được đánh "
             "giá.")
    assert k["14%"] == "members_rated_excellent"
    assert keys("Còn 18,5% cán bộ không tự giác học tập để đạt chuẩn.")["18,5%"] is None


def test_the_executive_committee_named_with_its_term() -> None:
    k = keys("Ban Chấp hành Đảng bộ phường Tân An nhiệm kỳ 2025 - 2030 gồm 31 người, Ban "
             "Thường vụ gồm 9 người.")
    assert (k["31 người"], k["9 người"]) == ("executive_committee", None)


# -- classes the confirmation sample F showed ---------------------------------------------------

def test_individuals_and_rewards_count_persons() -> None:
    text = ("Huyện khen thưởng 30 tập thể và 64 cá nhân; 80 lượt cá nhân được tặng Bằng khen, "
            "60 lượt tập thể đạt danh hiệu.")
    assert [(v, u) for _s, v, u, _k in found(text)] == [
        (30, "organisation"), (64, "person"), (80, "person"), (60, "organisation")]


def test_a_congress_adopting_its_targets_sets_targets() -> None:
    text = ("Đại hội thông qua nghị quyết nhiệm kỳ mới với một số chỉ tiêu chủ yếu: thu ngân "
            "sách tăng bình quân hằng năm 6-9%; hộ gia đình văn hóa đạt 88% trở lên.")
    assert [(v, k) for _s, v, _u, k in found(text)] == [(6, "target"), (88, "target")]


def test_a_rule_on_a_quorum_is_no_indicator() -> None:
    assert found("Kết quả hợp lệ khi có 2/3 số thành viên Hội đồng tham gia chấm điểm.") == []


def test_changes_and_list_ends_decide_keys() -> None:
    k = keys("Hộ nghèo chiếm 3,1%, giảm 2,4% tỷ lệ hộ nghèo so với năm 2020.")
    assert (k["3,1%"], k["2,4%"]) == ("poverty_rate", None)
    k = keys("Đã kết nạp 510 đảng viên mới, trong đó: đảng viên nữ là 240 đồng chí, đưa tổng "
             "số đảng viên trong toàn Đảng bộ đạt 61.020 đảng viên.")
    assert k["61.020 đảng viên"] == "members_total"
    k = keys("Công nhận đảng viên chính thức đối với 131 đồng chí.")
    assert k["131 đồng chí"] == "reserve_to_official"


def test_numbers_in_a_cited_documents_title_are_not_counted() -> None:
    assert found("Căn cứ Quyết định số 12/2021/QĐ-UBND ngày 03/4/2021 của UBND tỉnh về việc "
                 "phê duyệt 18 dự án trọng điểm;") == []
    text = ("Thực hiện Nghị quyết số 07-NQ/TU về việc kết nạp 400 đảng viên mới, Đảng bộ đã "
            "kết nạp 415 đảng viên.")
    assert [v for _s, v, _u, _k in found(text)] == [415]
    assert [v for _s, v, _u, _k in found("Thực hiện Nghị quyết về phát triển đảng viên, kết "
                                          "nạp 95 đảng viên.")] == [95]


def test_kinds_of_new_members_are_not_the_units_and_per_mille_is_a_rate() -> None:
    k = keys("Toàn tỉnh kết nạp được 480 đảng viên mới, trong đó: đảng viên nữ là 250 đồng chí, "
             "đảng viên người dân tộc 12 đồng chí.")
    assert (k["480 đảng viên mới"], k["250 đồng chí"]) == ("new_members", None)
    k = keys("Đảng bộ có 2.100 đảng viên, trong đó 820 đảng viên nữ.")
    assert k["820 đảng viên nữ"] == "members_female"
    k = keys("Kết nạp 300 đảng viên mới, nâng tổng số đảng viên lên 9.100 đảng viên (trong "
             "đó có 3.050 đảng viên nữ).")
    assert k["3.050 đảng viên nữ"] == "members_female"
    assert found("Giảm tỷ suất sinh thô 0,25%0/năm.")[0][1:3] == (0.25, "rate")
