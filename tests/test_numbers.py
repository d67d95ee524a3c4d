"""Vietnamese numbers and money (pipeline.extract.numbers)."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import (
    find_numbers,
    fold,
    match_money,
    parse_cell,
    parse_number,
    table_unit,
)


@pytest.mark.parametrize(("text", "value"), [
    ("51.276", 51276.0),          # seed 000, revenue table: "." groups thousands
    ("46.250.000", 46250000.0),   # seed 004
    ("45,25", 45.25),             # "," is the decimal mark
    ("76,2", 76.2),
    ("03", 3.0),                  # leading zeros
    ("1.612", 1612.0),            # Vietnamese first: thousands, never 1.612
    ("1.5", 1.5),                 # only English can read this one
    ("1,234,567", 1234567.0),     # English thousands groups
    ("12.000", 12000.0),
    ("abc", None),
    ("", None),
])
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_find_numbers_keeps_offsets() -> None:
    text = "chiếm tỷ lệ 76,2 % và 09/09 chỉ tiêu"
    found = find_numbers(text)
    assert [(v, text[s:e]) for v, s, e in found] == [(76.2, "76,2"), (9.0, "09"), (9.0, "09")]


@pytest.mark.parametrize(("text", "scale"), [
    (" đồng.", 1.0), (" triệu đồng", 1e6), (" tr đồng/ 1 người", 1e6), (" trđ", 1e6),
    (" tỷ đồng", 1e9), (" tỷ", 1e9), (" nghìn đồng", 1e3), ("VNĐ", 1.0),
])
def test_money_words(text: str, scale: float) -> None:
    found = match_money(text, 0)
    assert found is not None and found[0] == scale


@pytest.mark.parametrize("text", [" đồng chí", " trong", " tỷ lệ", " đồng thời"])
def test_words_that_only_look_like_money(text: str) -> None:
    assert match_money(text, 0) is None


def test_table_unit_line() -> None:
    unit = table_unit("Đơn vị tính: triệu đồng")  # the paragraph before seed 000's table
    assert unit is not None and (unit.unit, unit.scale) == ("VND", 1e6)
    assert table_unit("ĐVT: người").unit == "person"  # type: ignore[union-attr]
    assert table_unit("Trong 5 năm vừa qua") is None


def test_cells() -> None:
    assert parse_cell("-") is None and parse_cell("") is None and parse_cell("  ") is None
    assert parse_cell("16.199").value == 16199.0  # type: ignore[union-attr]
    cell = parse_cell("76,2 %")
    assert cell is not None and (cell.value, cell.unit, cell.decimals) == (76.2, "%", 1)
    cell = parse_cell("10/10")
    assert cell is not None and (cell.value, cell.unit, cell.value_max) == (10.0, "ratio", 10.0)
    assert parse_cell("Thực hiện tốt") is None


def test_fold_keeps_length() -> None:
    text = "Đảng viên HOÀN THÀNH xuất sắc, Đại hội"
    assert fold(text) == "dang vien hoan thanh xuat sac, dai hoi"
    assert len(fold(text)) == len(text)
