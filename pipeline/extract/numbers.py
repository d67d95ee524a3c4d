"""Vietnamese numbers and quantities as printed in reports.

Conventions (Vietnamese first, since that is what the reports use): "." groups thousands
("51.276", "46.250.000"), "," is the decimal mark ("45,25", "76,2 %"), leading zeros are common
("03", "09/09"). A dot NOT followed by exactly three digits can only be an English decimal
("1.5"), and several comma groups of three digits are English thousands ("1,234,567"); those
are read the English way because the Vietnamese reading is impossible. "1.612" is therefore
1612, never 1.612.

Money words scale the value to đồng: "đồng" 1, "nghìn"/"ngàn" 1e3, "triệu"/"tr"/"trđ" 1e6,
"tỷ"/"tỉ" 1e9 ("trên 20 tr đồng" -> 20 000 000). A table's "Đơn vị tính: triệu đồng" line
scales every cell of the table (`table_unit`). "-" in a cell means no value.

`fold(text)` lower-cases and strips tone marks with the length unchanged, so a regex run over
the folded text gives offsets valid in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.data import load_yaml
from pipeline.ingest.normalize import fold_same_length as fold  # noqa: F401 - re-exported

# One printed number: Vietnamese grouped thousands, or plain digits, with a decimal part.
# "0, 5 km": a decimal printed with a space after its comma (a list never starts at 0).
NUMBER = r"0, \d+(?![\d.,])(?!\s*,\s*\d)|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_NUMBER_RE = re.compile(rf"(?<![\d.,])(?:{NUMBER})(?![\d])")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_EN_DECIMAL = re.compile(r"\d+\.\d+")

# The words of a number written out (folded): digits, tens, hundreds, thousands ...
NUMBER_WORDS = "mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|tram|nghin|ngan"
# ... and the words that join or scale them ("một triệu", "một trăm linh năm").
NUMBER_LINKS = "trieu|ty|linh|le"
# A number repeated in words in brackets (folded): "(một trăm nghìn)", "(bốn mươi nghìn)".
_SPELLED = re.compile(
    rf"\s*\((?:\s*(?:mo?t|{NUMBER_WORDS}|{NUMBER_LINKS}|chan)(?!\w),?)+\s*\)")

SPELLED = _SPELLED  # public: the indicator reader skips it before a counted noun too

MONEY_SCALE = {
    "dong": 1.0, "d": 1.0, "vnd": 1.0, "nghin": 1e3, "ngan": 1e3, "trieu": 1e6, "tr": 1e6,
    "trd": 1e6, "ty": 1e9, "ti": 1e9,
}
# A money phrase after a number: a scale word, optionally followed by "đồng".
# "đồng" is also the first syllable of "đồng chí" (comrade), "đồng thời", ...: not money then.
# ("15 đ/c" is 15 đồng chí, comrades)
_DONG = (r"(?:đồng(?!\s+(?:chí|bào|thời|ý|nghiệp|đội|hành|loạt|bộ|tâm|thuận|lòng|minh|môn|đều))"
         r"|đ(?!\s*/\s*c(?!\w)))")
MONEY = (rf"(?:nghìn|ngàn|triệu|tỷ|tỉ|trđ|tr\.?)(?!\w)(?!\s+lệ)(?:\s*{_DONG}(?!\w))?"
         rf"|(?:{_DONG}|VNĐ|VND)(?!\w)")
_MONEY_RE = re.compile(rf"\s*(?:{MONEY})", re.IGNORECASE)
_EMPTY_CELL = re.compile(r"^\s*[-–—.…x]*\s*$", re.IGNORECASE)
_UNIT_LINE = re.compile(
    r"(?:đơn\s*vị\s*tính|đvt)\s*[:.]?\s*(?P<unit>[^\n;)]{1,40})", re.IGNORECASE)




def parse_number(text: str) -> float | None:
    """The value of one printed number ("51.276" -> 51276.0, "76,2" -> 76.2), else None."""
    s = text.strip().replace(" ", "")
    if not s:
        return None
    if _GROUPED.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if _EN_GROUPED.fullmatch(s):
        return float(s.replace(",", ""))
    if _PLAIN.fullmatch(s):
        return float(s.replace(",", "."))
    if _EN_DECIMAL.fullmatch(s):
        return float(s)
    return None


def find_numbers(text: str) -> list[tuple[float, int, int]]:
    """(value, start, end) of every number in `text`."""
    found = []
    for m in _NUMBER_RE.finditer(text):
        value = parse_number(m.group())
        if value is not None:
            found.append((value, m.start(), m.end()))
    return found


def money_scale(word: str) -> float | None:
    """How many đồng one unit of a money phrase is ("triệu đồng" -> 1e6), else None."""
    folded = fold(word).replace(".", "").split()
    if not folded:
        return None
    return MONEY_SCALE.get(folded[0])


def match_money(text: str, pos: int) -> tuple[float, int] | None:
    """A money phrase starting at `pos` (after a number): (scale, end), else None."""
    m = _MONEY_RE.match(text, pos)
    if m is None:
        return None
    scale = money_scale(m.group().strip())
    return (scale, m.end()) if scale is not None else None


@dataclass(frozen=True)
class Measure:
    """The words after a number: a magnitude ("triệu") and, when they say it, a currency."""

    scale: float
    currency: str | None  # "VND", "USD", ... or None
    end: int  # end of the magnitude / currency words (== pos when there are none)


@cache
def _measure_data() -> dict:
    data = load_yaml("measures.yaml")
    scales = data["scales"]
    alts = "|".join(sorted(map(re.escape, scales), key=len, reverse=True))
    data["_scale"] = re.compile(rf"\s*({alts})(?![^\W\d_])", re.IGNORECASE)
    # "790nghìn", "58 tỷbảng": printed without spaces; a magnitude glued to a currency.
    data["_scale_glued"] = re.compile(rf"\s*({alts})(?=bảng|đồng|đô|usd)", re.IGNORECASE)

    def compile_currencies(table: dict[str, list[str]]) -> list[tuple[str, re.Pattern[str]]]:
        # (on the same line: "GMT +7" then a paragraph "Đó là ..." is no "7 đô la")
        return [(code, re.compile(rf"[^\S\n]*(?:{'|'.join(pats)})(?![^\W\d_])"))
                for code, pats in table.items()]

    data["_currencies"] = compile_currencies(data["currencies"])
    data["_after_scale"] = compile_currencies(data["currencies_after_scale"])
    data["_money_context"] = re.compile(
        rf"(?<!\w)(?:{'|'.join(data['money_context'])})(?!\w)")
    data["_multiple_before"] = re.compile(
        rf"(?<!\w)(?:{'|'.join(data['multiple_before'])})\s*$")
    data["_multiple_after"] = re.compile(rf"\s*(?:{'|'.join(data['multiple_after'])})(?!\w)")
    return data


_ABBREV_MILLION = re.compile(rf"\s*(?:trđ|tr\.?)(?!\w)(?:\s*{_DONG}(?!\w))?", re.IGNORECASE)
_VND = re.compile(rf"\s*(?:{_DONG}|VNĐ|VND)(?!\w)", re.IGNORECASE)


def read_measure(text: str, folded: str, pos: int) -> Measure:
    """Magnitude words and a currency right after a number ending at `pos` (see
    data/measures.yaml): "20 triệu dân" -> Measure(1e6, None, ...) (the noun says persons),
    "1000 tỷ đô la" -> Measure(1e9, "USD", ...), "46.250.000 đồng" -> Measure(1, "VND", ...)."""
    data = _measure_data()
    spelled = _SPELLED.match(folded, pos)
    if spelled:  # "100.000 (một trăm nghìn) đồng": the amount in words between
        inner = read_measure(text, folded, spelled.end())
        if inner.currency is not None:
            return inner
    abbrev = _ABBREV_MILLION.match(text, pos)
    if abbrev:
        return Measure(1e6, "VND", abbrev.end())
    scale, end = 1.0, pos
    while True:
        m = data["_scale"].match(text, end) or data["_scale_glued"].match(text, end)
        if m is None:
            break
        scale *= data["scales"][m.group(1).lower()]
        end = m.end()
    vnd = _VND.match(text, end)
    if vnd:
        return Measure(scale, "VND", vnd.end())
    tables = data["_currencies"] + (data["_after_scale"] if scale > 1 else [])
    for code, pattern in tables:
        c = pattern.match(folded, end)
        if c:
            return Measure(scale, code, c.end())
    return Measure(scale, None, end)


@cache
def _rate_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_yaml("measures.yaml")["rate_denominators"]
    scale = "|".join(sorted(data["scale"], key=len, reverse=True))
    per = "|".join(sorted(data["per"], key=len, reverse=True))
    # (a round number: "175 hộ/673 khẩu" are two counts, not a rate)
    number = r"(?:10{0,2}(?:[.,]000)+|10{0,5})(?![\d.,])"
    denominator = (rf"/\s*(?:(?:{number}\s*(?:(?:{scale})\s+)?)|(?:{scale})\s+)"
                   rf"(?:{per})(?!\w)")
    # At most two words of the counted thing between the noun and "/" ("giường bệnh/...").
    after = re.compile(rf"(?:\s+[a-z]+){{0,2}}?\s*{denominator}")
    return after, re.compile(denominator)


def per_population(folded: str, pos: int) -> int | None:
    """The end of a rate's denominator after a counted noun ending at `pos` (folded text):
    "10 bác sĩ/1 vạn dân", "30 giường bệnh/vạn dân" (data/measures.yaml `rate_denominators`)."""
    m = _rate_patterns()[0].match(folded, pos)
    return m.end() if m else None


def per_population_in(folded: str, start: int, end: int) -> int | None:
    """The end of the last rate's denominator folded[start:end] (a label before a number)
    names, if any: "Số bác sĩ/vạn dân: 15 bác sĩ"."""
    found = None
    for m in _rate_patterns()[1].finditer(folded, start, end):
        found = m.end()
    return found


def money_context(folded_before: str) -> bool:
    """Whether the words before a bare "500 triệu" speak of money (data/measures.yaml)."""
    return bool(_measure_data()["_money_context"].search(folded_before))


def is_multiple(folded: str, start: int, noun_end: int) -> bool:
    """"gấp 8,83 lần", "tăng 4,25 lần", "2 lần so với": a multiple of something."""
    data = _measure_data()
    return bool(data["_multiple_before"].search(folded, max(0, start - 12), start)
                or data["_multiple_after"].match(folded, noun_end))


@dataclass(frozen=True)
class TableUnit:
    """What a table's "Đơn vị tính" line says its cells are."""

    unit: str  # "VND" | "%" | "person" | "count" | ...
    scale: float = 1.0
    text: str = ""


def table_unit(text: str | None) -> TableUnit | None:
    """The unit of "Đơn vị tính: triệu đồng" / "ĐVT: người" in `text`, else None."""
    if not text:
        return None
    m = _UNIT_LINE.search(text)
    if m is None:
        return None
    word = m.group("unit").strip().rstrip(".,")
    scale = money_scale(word)
    if scale is not None:
        return TableUnit("VND", scale, word)
    folded = fold(word)
    if folded.startswith("%") or folded.startswith("phan tram"):
        return TableUnit("%", 1.0, word)
    if folded.split()[:1] in (["nguoi"], ["dang"], ["dong"]):
        return TableUnit("person", 1.0, word)
    return TableUnit("count", 1.0, word)


@dataclass(frozen=True)
class Cell:
    """A table cell read as a quantity."""

    value: float
    unit: str | None = None  # "%" or "ratio" when the cell says so; None: the table's unit
    value_max: float | None = None
    decimals: int = 0  # digits after the decimal mark, for rounding tolerances


_CELL = re.compile(rf"^\s*(?P<a>{NUMBER})\s*(?:(?P<pct>%)|/\s*(?P<b>{NUMBER}))?\s*$")


def parse_cell(text: str) -> Cell | None:
    """A cell that is one number ("16.199", "76,2%", "10/10"); "-" or words give None."""
    if _EMPTY_CELL.match(text):
        return None
    m = _CELL.match(text)
    if m is None:
        return None
    value = parse_number(m.group("a"))
    if value is None:
        return None
    decimals = len(m.group("a").split(",")[1]) if "," in m.group("a") else 0
    if m.group("pct"):
        return Cell(value, "%", decimals=decimals)
    if m.group("b"):
        top = parse_number(m.group("b"))
        return Cell(value, "ratio", top) if top is not None else None
    return Cell(value, decimals=decimals)
