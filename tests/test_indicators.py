"""Indicators in the real corpus and in hand-made passages (pipeline.extract.indicators)."""

from __future__ import annotations

from functools import cache

import pytest

from pipeline.analysis import analyze
from pipeline.extract.indicator_tables import read_grid, table_indicators
from pipeline.extract.indicators import Context, extract_indicators
from pipeline.extract.references import table_text
from pipeline.model import Indicator, Report, Table
from tests.conftest import corpus_file

S000, S003, S004 = "000_4435fb2a97849b7c", "003_40d47c00f05e2e60", "004_73f20699863736da"
CTX = Context(term="2025-2030", reviewed_term="2020-2025")


@cache
def report(kind: str, stem: str) -> Report:
    return analyze(corpus_file(kind, stem))


def at(rep: Report, surface: str, n: int = 0) -> Indicator:
    found = [i for i in rep.indicators if i.surface == surface]
    assert len(found) > n, f"{surface!r} not found"
    return found[n]


def one(text: str, ctx: Context = CTX) -> Indicator:
    found = extract_indicators(text, ctx)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_members(kind: str) -> None:
    rep = report(kind, S000)
    total = at(rep, "42 Đảng viên")
    assert (total.value, total.unit, total.key, total.kind) == (42, "person", "members_total",
                                                                "actual")
    assert total.period == "2025-2030"  # "Nhiệm kỳ 2025-2030, ... có 42 Đảng viên"
    assert rep.document.text[total.start:total.end] == "42 Đảng viên"
    assert at(rep, "41 Đảng viên chính thức").key == "members_official"
    assert at(rep, "01 Đảng viên dự bị").key == "members_reserve"
    female = at(rep, "10 đồng chí")
    assert (female.value, female.key, female.subject) == (10, "members_female", "Đảng viên nữ")
    share = at(rep, "23,8 %")
    assert (share.value, share.unit, share.key) == (23.8, "%", "members_female")
    male = at(rep, "32 đồng chí")
    assert (male.key, male.subject) == ("members_male", "Đảng viên nam")


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_targets_in_the_plan(kind: str) -> None:
    rep = report(kind, S000)
    plan = [i for i in rep.indicators if i.section == "plan.targets"]
    good = next(i for i in plan if i.key == "members_rated_good_or_better")
    assert (good.value, good.kind, good.period) == (90, "target", "2025-2030")
    inspections = [i for i in plan if i.key == "inspections"]
    assert [(i.value, i.kind, i.unit_text) for i in inspections] == [(1, "target", "đợt")]
    ranged = at(rep, "3-4 Đảng viên mới")  # "phấn đấu kết nạp 3-4 Đảng viên mới"
    assert (ranged.value, ranged.value_max, ranged.kind, ranged.key) == (3, 4, "target",
                                                                        "new_members")


def test_seed_000_money_and_what_is_not_an_indicator() -> None:
    rep = report("docx", S000)
    income = at(rep, "20 tr đồng")  # "thu nhập trên 20 tr đồng/ 1 người/ 1 tháng"
    assert (income.value, income.unit, income.key) == (20_000_000, "VND", "income_per_capita")
    body = [i for i in rep.indicators if i.where == "body"]
    # An age ("45,25 tuổi"), the "1 người" of "đồng/ 1 người", years, the decision number
    # 126-QĐ/ĐU, section numbers ("3.1.") are not indicators.
    assert not any(i.surface.startswith(("45,25", "1 người", "126", "3.1")) for i in body)
    assert not any(i.value in (2017, 2020, 2021, 2024, 2025, 2030) for i in body)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_revenue_table_in_million_dong(kind: str) -> None:
    rep = report(kind, S000)
    cells = [i for i in rep.indicators if i.where == "table:0"]
    first = cells[0]
    assert (first.subject, first.value, first.unit, first.period) == (
        "Chứng nhận hợp quy", 16_199_000_000, "VND", "2024")
    assert first.unit_text == "triệu đồng"
    text = table_text(rep.document.tables[0])
    assert text[first.start:first.end] == "16.199"
    total = next(i for i in cells if i.subject == "Cộng (2024)")
    assert total.value == 51_276_000_000
    assert not any(i.period == "2021" and i.subject.startswith("Cộng") for i in cells)  # ""


def test_seed_000_year_rows_table() -> None:
    rep = report("docx", S000)
    cells = [i for i in rep.indicators if i.where == "table:2"]
    assert [(i.period, i.value) for i in cells if i.subject == "SỐ KẾT QUẢ ĐO KHẢO SÁT"] == [
        ("2022", 53), ("2023", 54), ("2024", 54), ("2020-2024", 160)]  # "-" is no value


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_003_new_members(kind: str) -> None:
    rep = report(kind, S003)
    new = at(rep, "13 đảng viên mới")  # "kết nạp 13 đảng viên mới (vượt 30% so với chỉ tiêu)"
    assert (new.value, new.unit, new.key, new.kind, new.period) == (
        13, "person", "new_members", "actual", "2015-2020")
    assert at(rep, "09 đoàn kiểm tra").unit == "times"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_004_money_ratios_and_targets(kind: str) -> None:
    rep = report(kind, S004)
    fine = at(rep, "46.250.000 đồng")
    assert (fine.value, fine.unit, fine.unit_text) == (46_250_000, "VND", "đồng")
    met = at(rep, "09/09 chỉ tiêu")
    assert (met.value, met.value_max, met.unit, met.key) == (9, 9, "ratio", "targets_met")
    resolution = at(rep, "20%")  # "30% Đảng viên Hoàn thành xuất sắc ... (Nghị quyết 20%, ...)"
    assert (resolution.kind, resolution.key) == ("target", "members_rated_excellent")
    assert at(rep, "30%").kind == "actual"
    # The appendix table: the "Nội dung chỉ tiêu" column holds targets.
    table_targets = [i for i in rep.indicators if i.where == "table:1"]
    assert table_targets and all(i.kind == "target" for i in table_targets)


def test_subject_phrase() -> None:
    ind = one("100% đảng viên tham gia học tập, quán triệt Nghị quyết của Đảng ủy cấp trên.")
    assert ind.subject == "đảng viên tham gia học tập"
    assert ind.key == "members_studying_resolutions"
    ind = one("- Trình độ đại học và trên đại học chiếm 100 %")
    assert ind.subject == "Trình độ đại học và trên đại học"


@pytest.mark.parametrize(("text", "value", "value_max", "unit", "kind"), [
    ("Chi bộ 1 có 10 chỉ tiêu", 10, None, "count", "actual"),
    ("Trong nhiệm kỳ, phấn đấu kết nạp từ 80 đến 100 đảng viên mới", 80, 100, "person", "target"),
    ("Tổ chức 05 đợt kiểm tra", 5, None, "times", "actual"),
    ("xử lý 08 vụ việc", 8, None, "times", "actual"),
    ("có 16 chi bộ trực thuộc", 16, None, "organisation", "actual"),
    ("thu được 1,35 tỷ đồng", 1_350_000_000, None, "VND", "actual"),
    ("đạt 10/10 chỉ tiêu", 10, 10, "ratio", "actual"),
    ("tăng trưởng từ 8% đến 8,5%/năm", 8, 8.5, "%", "actual"),
    ("đạt tỷ lệ100%", 100, None, "%", "actual"),
])
def test_forms(text: str, value: float, value_max: float | None, unit: str, kind: str) -> None:
    ind = one(text)
    assert (ind.value, ind.value_max, ind.unit, ind.kind) == (value, value_max, unit, kind)


@pytest.mark.parametrize("text", [
    "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
    "nhiệm kỳ 2020 - 2025 và năm 2024",
    "2.1. Công tác chính trị",
    "Điện thoại: 0912 345 678, lúc 16:38",
    "Tuổi bình quân của Đảng viên là 45,25 tuổi",
    "Chi bộ 1, Trung đoàn 2, lần thứ 4, Covid-19, mạng 4G, công nghiệp 4.0",
    "vào tháng 9/2020, trong suốt 03 tháng, kỷ niệm 10 năm",
    "xem https://thuvienphapluat.vn/van-ban/Nghi-quyet-18-NQ-TW-2017-365493.aspx",
])
def test_not_indicators(text: str) -> None:
    found = extract_indicators(text, CTX, excluded=_refs(text))
    assert found == [], [(i.surface, i.value) for i in found]


def _refs(text: str) -> list[tuple[int, int]]:
    from pipeline.extract.references import extract_references

    return [(r.start, r.end) for r in extract_references(text)]


def test_periods() -> None:
    assert one("Năm 2024: 04 đợt đo kiểm").period == "2024"
    assert one("Trong nhiệm kỳ 2015-2020, đã kết nạp 13 đảng viên mới").period == "2015-2020"
    assert one("Đã kết nạp 13 đảng viên mới").period == "2020-2025"  # the reviewed term
    plan = Context(term="2025-2030", reviewed_term="2020-2025",
                   sections=[(0, 100, "plan.targets")])
    ind = one("Kết nạp 13 đảng viên mới", plan)
    assert (ind.kind, ind.period) == ("target", "2025-2030")


def test_ragged_and_merged_tables_do_not_crash() -> None:
    table = Table(rows=[["Năm", "Số đảng viên", "Ghi chú"], ["2020", "40"], ["2021"],
                        ["2022", "42", "", "x"], [], ["Cộng", "82"]])
    grid = read_grid(table)
    assert grid is not None and grid.layout == "year_rows"
    found = table_indicators(table, 0, CTX, None)
    assert [(i.period, i.value) for i in found] == [("2020", 40), ("2022", 42),
                                                    ("2020-2022", 82)]
    assert read_grid(Table(rows=[])) is None
    assert table_indicators(Table(rows=[[""], []]), 1, CTX, None) == []
