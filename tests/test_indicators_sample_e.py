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
