"""Totals that must agree and targets a report did not meet (pipeline.audit.totals)."""

from __future__ import annotations

from functools import cache

import pytest

from pipeline.analysis import analyze
from pipeline.audit.totals import table_totals, targets_not_met, text_totals
from pipeline.extract.indicator_tables import read_grid
from pipeline.extract.indicators import Context, extract_indicators
from pipeline.model import Indicator, Report, Table
from tests.conftest import STEMS, corpus_file


@cache
def report(kind: str, stem: str) -> Report:
    return analyze(corpus_file(kind, stem))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_measurement_table_total_is_off_by_one(kind: str) -> None:
    found = [f for f in report(kind, "000_4435fb2a97849b7c").findings
             if f.kind == "total_mismatch"]
    assert len(found) == 1
    f = found[0]
    assert (f.where, f.details["stated"], f.details["computed"]) == ("table:2", 160, 161)
    assert (f.details["tolerance"], f.details["parts"]) == (0.0, [53, 54, 54])
    assert f.severity == "warning" and "160" in f.message


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("stem", STEMS)
def test_no_false_total_mismatch_on_the_corpus(kind: str, stem: str) -> None:
    found = [f for f in report(kind, stem).findings if f.kind == "total_mismatch"]
    expected = 1 if stem.startswith("000") else 0  # only the measurement table above
    assert len(found) == expected


def test_revenue_table_rounding_is_within_tolerance() -> None:
    rep = report("docx", "000_4435fb2a97849b7c")
    grid = read_grid(rep.document.tables[0], "Đơn vị tính: triệu đồng")
    assert grid is not None and grid.sub_rows == {4, 5}  # the parts of item 4
    assert table_totals(grid, 0) == []  # 51.275 vs 51.276: money rounded to the million
    tight = read_grid(rep.document.tables[0])  # without the unit line: exact counts
    assert tight is not None
    found = table_totals(tight, 0)
    assert {(f.details["stated"], f.details["computed"]) for f in found} == {
        (51276, 51275), (47707, 47708)}


def test_text_total_with_its_parts() -> None:
    ctx = Context(reviewed_term="2020-2025")
    good = "Chi bộ có 42 Đảng viên trong đó 41 Đảng viên chính thức và 01 Đảng viên dự bị."
    assert text_totals(good, extract_indicators(good, ctx)) == []
    bad = "Chi bộ có 42 Đảng viên, trong đó 40 Đảng viên chính thức và 01 Đảng viên dự bị."
    found = text_totals(bad, extract_indicators(bad, ctx))
    assert [(f.details["stated"], f.details["computed"]) for f in found] == [(42, 41)]
    # Parts of a generic list need not cover the whole, but may not exceed it.
    part = "Thi hành kỷ luật 47 đảng viên, trong đó khai trừ 06 đảng viên, cảnh cáo 10 đảng viên."
    assert text_totals(part, extract_indicators(part, ctx)) == []
    over = "Kiểm tra 17 cuộc, trong đó có 08 cuộc đột xuất, 12 cuộc theo kế hoạch."
    assert len(text_totals(over, extract_indicators(over, ctx))) == 1


def test_male_and_female_shares_sum_to_100() -> None:
    ctx = Context(reviewed_term="2020-2025")
    text = ("- Số Đảng viên nam 32 đồng chí, chiếm tỷ lệ 76,2 %\n\n"
            "- Số Đảng viên nữ 10 đồng chí, chiếm tỷ lệ 23,8 %")
    assert text_totals(text, extract_indicators(text, ctx)) == []
    text = text.replace("23,8", "28,8")
    found = text_totals(text, extract_indicators(text, ctx))
    assert [(f.details["stated"], f.details["computed"]) for f in found] == [(100.0, 105.0)]


def _ind(key: str, value: float, kind: str, unit: str = "%") -> Indicator:
    return Indicator(subject="", value=value, unit=unit, surface="", start=0, end=0, key=key,
                     kind=kind, period="2020-2025")  # type: ignore[arg-type]


def test_target_not_met() -> None:
    found = targets_not_met([_ind("members_rated_good_or_better", 95, "target"),
                             _ind("members_rated_good_or_better", 91.3, "actual")])
    assert [(f.details["target"], f.details["actual"]) for f in found] == [(95, 91.3)]
    assert targets_not_met([_ind("new_members", 3, "target", "person"),
                            _ind("new_members", 3, "actual", "person")]) == []
    # Lower is better for the poverty rate.
    assert targets_not_met([_ind("poverty_rate", 1, "target"),
                            _ind("poverty_rate", 0.8, "actual")]) == []
    assert len(targets_not_met([_ind("poverty_rate", 1, "target"),
                                _ind("poverty_rate", 1.2, "actual")])) == 1


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_states_a_target_it_did_not_meet(kind: str) -> None:
    # "Chưa đạt 100% đảng viên ... hoàn thành tốt nhiệm vụ trở lên" against "trên 93%".
    found = [f for f in report(kind, "000_4435fb2a97849b7c").findings
             if f.kind == "target_not_met"]
    assert [(f.details["key"], f.details["target"], f.details["actual"]) for f in found] == [
        ("members_rated_good_or_better", 100, 93)]


def test_seed_004_targets_met() -> None:
    # "30% Đảng viên Hoàn thành xuất sắc nhiệm vụ (Nghị quyết 20%, vượt chỉ tiêu)".
    assert [f for f in report("docx", "004_73f20699863736da").findings
            if f.kind == "target_not_met"] == []


def test_ragged_table_totals_do_not_crash() -> None:
    grid = read_grid(Table(rows=[["STT", "Nội dung", "2024"], ["1", "A", "5"], ["", "a1"],
                                 ["2", "B", "x", "7"], ["", "Tổng cộng", "5"]]))
    assert grid is not None
    assert table_totals(grid, 0) == []
