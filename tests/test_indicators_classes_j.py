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
