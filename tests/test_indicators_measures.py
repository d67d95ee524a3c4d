"""Indicators as real reports and news print them (issue 11): the measure from the words, never
from the size of the number; a key only when the subject is its subject; periods written next
to a value; ranges; conditions, thresholds and opinions left out; kinds under the plan part.
The sentences are written for these tests, in the shapes found in real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.analysis import analyze_document
from pipeline.extract.indicators import Context, extract_indicators, unreadable_numbers
from pipeline.ingest import load
from pipeline.model import Indicator


def one(text: str, surface: str, ctx: Context | None = None) -> Indicator:
    found = [i for i in extract_indicators(text, ctx or Context()) if surface in i.surface]
    assert len(found) == 1, [i.surface for i in extract_indicators(text, ctx or Context())]
    return found[0]


def surfaces(text: str, ctx: Context | None = None) -> list[str]:
    return [i.surface for i in extract_indicators(text, ctx or Context())]


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("Tỉnh có hơn 20 triệu dân sinh sống.", "20 triệu dân", 20_000_000, "person"),
    ("Thu hút 1000 tỷ đô la vốn đầu tư.", "1000 tỷ đô la", 1e12, "USD"),
    ("Giá trị xuất khẩu đạt 6,92 tỷ USD.", "6,92 tỷ USD", 6.92e9, "USD"),
    ("Nền kinh tế mất 58 tỷ bảng mỗi năm.", "58 tỷ bảng", 5.8e10, "GBP"),
    ("Dự án vay 300 triệu euro.", "300 triệu euro", 3e8, "EUR"),
    ("Vốn huy động được 200 nghìn tỷ đồng.", "200 nghìn tỷ đồng", 2e14, "VND"),
    ("Diện tích tự nhiên 13.080 ha.", "13.080 ha", 13080, "area"),
    ("Quốc gia có diện tích 244.820 km2.", "244.820 km2", 244820, "area"),
    ("Bình quân 36 đảng viên/1.000 dân.", "36 đảng viên/1.000 dân", 36, "rate"),
    ("Thu ngân sách gấp 8,83 lần so với năm 2004.", "8,83 lần", 8.83, "multiple"),
    ("Xử lý 12 trường hợp vi phạm.", "12 trường hợp", 12, "person"),
    ("Làm việc với 55 Sở Tư pháp trên cả nước.", "55 Sở Tư pháp", 55, "organisation"),
    ("Tổ chức 3 đợt kiểm tra.", "3 đợt", 3, "times"),
    ("Giải quyết việc làm cho 15 vạn lao động.", "15 vạn lao động", 150_000, "person"),
])
def test_the_measure_comes_from_the_words(text: str, surface: str, value: float,
                                          unit: str) -> None:
    ind = one(text, surface)
    assert (ind.value, ind.unit) == (pytest.approx(value), unit)


def test_the_denominator_of_a_rate_is_not_a_count() -> None:
    assert surfaces("Bình quân 36 đảng viên/1.000 dân.") == ["36 đảng viên/1.000 dân"]


def test_a_year_written_next_to_a_value_is_its_period() -> None:
    text = ("Tỷ lệ lao động qua đào tạo từ 32% năm 2009 tăng lên 39% vào năm 2012; năm 2010 "
            "tiền lương tăng 10,3% so với năm 2009 nhưng giá tăng 11,75%.")
    assert one(text, "32%").period == "2009"
    assert one(text, "39%").period == "2012"
    assert one(text, "11,75%").period == "2010"  # "so với năm 2009" is the base, not the period
    assert one("Đóng góp 8,84% giai đoạn 2006-2013.", "8,84%").period == "2006-2013"


def test_a_key_only_when_the_subject_is_its_subject() -> None:
    text = "Tỷ lệ lao động qua đào tạo từ 32% năm 2009 tăng lên 39% vào năm 2012."
    assert one(text, "32%").key is None  # not members_male ("năm" is a year)
    assert "lao động qua đào tạo" in one(text, "32%").subject
    province = ("Đảng bộ tỉnh có 3.828 tổ chức cơ sở đảng (trong đó có 1.189 đảng bộ cơ sở, "
                "2.524 chi bộ cơ sở), với 13.298 chi bộ trực thuộc.")
    assert one(province, "3.828").key == "party_cells_total"
    assert [one(province, s).key for s in ("1.189", "2.524", "13.298")] == [None] * 3
    members = ("Tổng số đảng viên là 78.047 đảng viên (trong đó có 29.373 đảng viên nữ, 4.650 "
               "đảng viên dự bị).")
    assert [one(members, s).key for s in ("78.047", "29.373", "4.650")] == [
        "members_total", "members_female", "members_reserve"]


def test_opinions_conditions_and_thresholds_are_not_indicators() -> None:
    assert surfaces("Có 92,2% ý kiến cho rằng cần đổi mới.") == []
    assert surfaces("Có 79% người được hỏi đồng ý với đề xuất.") == []
    assert surfaces("Đảng bộ cơ sở có từ 300 đảng viên trở lên thì lập đảng ủy.") == []
    assert surfaces("Đoàn viên dưới 30 tuổi được ưu tiên.") == []
    assert surfaces("Mỗi ấp bố trí không quá 4 người.") == []
    assert surfaces("Dự án sử dụng thường xuyên 300 lao động trở lên.") == []
    # ... but a result stays one, "trở lên" or not, and a plan's minimum is a target.
    assert surfaces("Năm 2024 có 95% đảng viên đạt từ 95 điểm trở lên.") == ["95%"]
    plan = one("Phấn đấu mỗi năm kết nạp 50 đảng viên mới trở lên.", "50 đảng viên")
    assert (plan.kind, plan.key) == ("target", "new_members")


def test_ranges_stay_ranges() -> None:
    ind = one("Tốc độ tăng trưởng đạt 70-80%.", "70-80%")
    assert (ind.value, ind.value_max, ind.unit) == (70, 80, "%")
    ind = one("Mỗi năm kết nạp từ 3 đến 5 đảng viên mới.", "3 đến 5")
    assert (ind.value, ind.value_max, ind.unit) == (3, 5, "person")


def test_kind_under_the_plan_part_unless_the_sentence_reports_a_result() -> None:
    text = ("Phấn đấu đến năm 2030 huy động 1.500 tỷ đồng. Nhiệm kỳ qua đã huy động 1.000 tỷ "
            "đồng.")
    ctx = Context(sections=[(0, len(text), "plan.targets")], doc_type="political_report")
    assert one(text, "1.500 tỷ", ctx).kind == "target"
    assert one(text, "1.000 tỷ", ctx).kind == "actual"  # "đã huy động": a result
    past = "Đến năm 2008, toàn tỉnh có 473 tổ chức cơ sở đảng."
    assert one(past, "473").kind == "actual"
    assert one("Đến năm 2030 có 100% xã đạt chuẩn nông thôn mới.", "100%",
               Context(year=2025)).kind == "target"


def test_plan_documents_are_targets_throughout(tmp_path: Path) -> None:
    path = tmp_path / "du_toan.txt"
    path.write_text("Nghị quyết về dự toán ngân sách nhà nước năm 2026\n"
                    "Tổng thu ngân sách: 850 tỷ đồng.\n", encoding="utf-8")
    report = analyze_document(load(path))
    assert [(i.surface, i.kind) for i in report.indicators] == [("850 tỷ đồng", "target")]


def test_an_unreadable_number_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    assert unreadable_numbers("Chi bộ có 1.23.456 người.") == [(10, "1.23.456 người")]
    path = tmp_path / "r.txt"
    path.write_text("BÁO CÁO\nChi bộ có 1.23.456 người và 42 đảng viên.\n", encoding="utf-8")
    report = analyze_document(load(path))
    assert [i.value for i in report.indicators] == [42]  # no wrong value for the odd one
    assert any("1.23.456 người" in w for w in report.document.warnings)
