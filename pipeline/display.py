"""Numbers and values as a person reads them, in Vietnamese (`3.828`, `92,2 %`, `70–80 %`,
`1.000 tỷ đồng`) or English (`3,828`, `92.2%`): one module for the terminal tables and the
HTML report. Never `nan`, `None` or scientific notation: a missing value is an empty cell.

Measures and their words are data (pipeline/data/display.yaml).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from pipeline.data import load_yaml

RANGE_DASH = "–"
MAX_DECIMALS = 2


@cache
def _data() -> dict[str, Any]:
    return load_yaml("display.yaml")


def is_missing(value: Any) -> bool:
    if value is None or (not isinstance(value, str) and str(value) in ("<NA>", "NaT")):
        return True  # None, pd.NA, pd.NaT
    try:
        return bool(value != value)  # NaN is not equal to itself
    except (TypeError, ValueError):
        return False


def number(value: Any, lang: str = "vi", decimals: int | None = None) -> str:
    """`3828` -> "3.828" (vi) / "3,828" (en); `92.25` -> "92,25"; at most two decimals unless
    `decimals` says; trailing zeros dropped; never scientific notation."""
    if is_missing(value):
        return ""
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    places = MAX_DECIMALS if decimals is None else decimals
    text = f"{x:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _measure(measure: str | None) -> dict[str, Any]:
    if not measure:
        return {}
    known = _data()["measures"].get(measure)
    if known is not None:
        return known
    if len(measure) == 3 and measure.isalpha() and measure.isupper():  # USD, EUR, ...
        scales = [{"at": s["at"], "vi": s["vi"].format(code=measure),
                   "en": s["en"].format(code=measure)} for s in _data()["currency_scales"]]
        return {"vi": measure, "en": measure, "scales": scales}
    return {}


def quantity(value: Any, value_max: Any = None, measure: str | None = None,
             lang: str = "vi", unit_text: str | None = None) -> str:
    """A value with its measure: "92,2 %", "70–80 %", "3.828 người", "1.000 tỷ đồng",
    "2,5 triệu USD"; `unit_text` (the unit as printed, "km2") where the measure has no word of
    its own ("area")."""
    if is_missing(value):
        return ""
    spec = _measure(measure)
    scale, word = 1.0, spec.get(lang, measure or "")
    if measure == "area" and isinstance(unit_text, str) and unit_text.strip():
        word = unit_text.strip()
    for step in spec.get("scales", []):
        if abs(float(value)) >= step["at"]:
            scale, word = float(step["at"]), step[lang]
            break
    text = number(float(value) / scale, lang)
    if not is_missing(value_max) and float(value_max) != float(value):
        text += RANGE_DASH + number(float(value_max) / scale, lang)
    if not word:
        return text
    if word == "%" and lang == "en":
        return text + "%"
    return f"{text} {word}"


def measure_name(measure: str | None, lang: str = "vi") -> str:
    """The measure's word for a column header ("người", "%"); the code itself when unknown."""
    spec = _measure(measure)
    if not spec:
        return measure or ""
    return spec.get(lang) or measure or ""


def p_value(p: Any, lang: str = "vi") -> str:
    """A p-value: "< 0,001" below a thousandth, else three decimals."""
    if is_missing(p):
        return ""
    if float(p) < 0.001:
        return "< " + number(0.001, lang, 3)
    return number(float(p), lang, 3)


def share(fraction: Any, lang: str = "vi", decimals: int = 1) -> str:
    """0.922 -> "92,2 %"."""
    if is_missing(fraction):
        return ""
    text = number(100 * float(fraction), lang, decimals)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return f"{text} %" if lang == "vi" else f"{text}%"


# Integer columns that are names, not amounts: a year is 2025, not 2.025.
PLAIN_COLUMNS = {"year", "doc_id", "doc_a", "doc_b", "idx", "paragraph", "paragraph_a",
                 "paragraph_b", "page", "id", "paragraph_id", "table_idx", "row", "col"}


def cell(value: Any, lang: str = "vi", column: str | None = None) -> str:
    """Any table cell: numbers formatted, True/False as words, missing as empty. `column`:
    its name, so years and ids stay plain digits."""
    if is_missing(value):
        return _data()["missing"][lang]
    if isinstance(value, bool):
        return _data()["word_true" if value else "word_false"][lang]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars
    if isinstance(value, int):
        return str(value) if column in PLAIN_COLUMNS else number(value, lang, 0)
    if isinstance(value, float):
        return number(value, lang)
    return str(value)


def header(column: str, lang: str = "vi") -> str:
    """A column's name as a person reads it ("Đơn vị", "Nhiệm kỳ"); the code when unknown."""
    return _data()["headers"].get(column, {}).get(lang, column)


def signal(code: str, lang: str = "vi") -> str:
    return _data()["signals"].get(code, {}).get(lang, code)


def doc_type(code: Any, lang: str = "vi") -> str:
    """"political_report" -> "Báo cáo chính trị"; empty when missing."""
    if is_missing(code):
        return ""
    return _data()["doc_types"].get(str(code), {}).get(lang, str(code))


@cache
def _section_names() -> dict[str, dict[str, str]]:
    labels = load_yaml("taxonomy.yaml")["labels"]
    return {k: {"vi": v.get("vi", k), "en": v.get("en", k)} for k, v in labels.items()}


def section(label: Any, lang: str = "vi") -> str:
    """A section label ("assessment.weaknesses") by its name in the taxonomy."""
    if is_missing(label):
        return ""
    return _section_names().get(str(label), {}).get(lang, str(label))


@cache
def _indicator_names() -> dict[str, dict[str, str]]:
    keys = load_yaml("indicator_lexicon.yaml").get("keys", [])
    return {k["key"]: k.get("label", {}) for k in keys if isinstance(k, dict) and "key" in k}


def indicator(key: Any, lang: str = "vi") -> str:
    """An indicator key ("new_members") by its label ("Kết nạp đảng viên mới")."""
    if is_missing(key):
        return ""
    return _indicator_names().get(str(key), {}).get(lang, str(key))
