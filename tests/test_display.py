"""Numbers as a person reads them (pipeline/display.py): Vietnamese by default, English with
--lang en; never nan, None or scientific notation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.display import cell, number, p_value, quantity, share


@pytest.mark.parametrize(("args", "vi", "en"), [
    ((3828, None, "organisation"), "3.828 tổ chức", "3,828 organisations"),
    ((92.2, None, "%"), "92,2 %", "92.2%"),
    ((70, 80, "%"), "70–80 %", "70–80%"),
    ((1e12, None, "VND"), "1.000 tỷ đồng", "1,000 billion VND"),
    ((1.25e8, None, "VND"), "125 triệu đồng", "125 million VND"),
    ((2.5e6, None, "USD"), "2,5 triệu USD", "2.5 million USD"),
    ((8.83, None, "multiple"), "8,83 lần", "8.83 times"),
    ((17, None, "count"), "17", "17"),
])
def test_quantities_with_their_measure(args: tuple, vi: str, en: str) -> None:
    assert quantity(*args) == vi
    assert quantity(*args, lang="en") == en


def test_nothing_reads_nan_none_or_scientific_notation() -> None:
    for missing in (None, float("nan"), pd.NA, math.nan):
        assert cell(missing) == "" and quantity(missing, None, "%") == ""
    assert number(1.23e15) == "1.230.000.000.000.000"
    assert "e" not in number(1e-7) and number(1e-7) == "0"
    assert cell(2025, column="year") == "2025" and cell(3828) == "3.828"
    assert cell(True) == "có" and cell(False, "en") == "no"
    assert p_value(0.0) == "< 0,001" and p_value(0.0456, "en") == "0.046"
    assert share(0.922) == "92,2 %" and share(0.5, "en") == "50%"
