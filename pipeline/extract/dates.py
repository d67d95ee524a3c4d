"""Vietnamese dates as written in reports, turned into ISO dates.

Forms: "22/12/2024", "30-3-2007", "15.5.2016", "15 tháng 5 năm 2016", each optionally led by
"ngày" ("ngày 22/12/2024"); "năm 2017" gives a year only. Line breaks may fall anywhere between
the parts (PDF text). Impossible dates ("31/02/2024") are not dates.

`DATE_PATTERN` is the regex source of one date without its "ngày", for other extractors to
embed; `match_date(text, pos)` reads a date that starts exactly at `pos`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple

# A date written with separators, or with the words "tháng" and "năm". The separators must be
# the same on both sides ("22/12/2024", not "22/12-2024") so ranges like "10/10-2024" are not
# read as dates.
DATE_PATTERN = (
    r"(?:(?P<d>\d{1,2})\s{0,3}(?P<sep>[/.\-])\s{0,3}(?P<m>\d{1,2})\s{0,3}(?P=sep)\s{0,3}"
    r"(?P<y>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y2>(?:19|20)\d{2}))"
    r"(?!\d)"
)
_DATE = re.compile(DATE_PATTERN)
_DAY_DATE = re.compile(r"(?i:ngày|ngay)\s+" + DATE_PATTERN)
_YEAR = re.compile(r"(?i:năm)\s+(?P<y>(?:19|20)\d{2})(?![\d/]|\s*[-–]\s*\d)")


class ParsedDate(NamedTuple):
    iso: str | None  # YYYY-MM-DD, or None when only the year is known
    year: int
    start: int
    end: int


def iso_date(day: int, month: int, year: int) -> str | None:
    """'YYYY-MM-DD', or None when the day does not exist."""
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> ParsedDate | None:
    if m.group("d") is not None:
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
    else:
        d, mo, y = int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))
    iso = iso_date(d, mo, y)
    if iso is None:
        return None
    return ParsedDate(iso, y, m.start(), m.end())


def match_date(text: str, pos: int = 0, *, need_day_word: bool = False) -> ParsedDate | None:
    """The full date starting exactly at `pos` ("ngày 22/12/2024" or "22/12/2024")."""
    m = _DAY_DATE.match(text, pos)
    if m is None and not need_day_word:
        m = _DATE.match(text, pos)
    return _from_match(m) if m else None


def match_year(text: str, pos: int = 0) -> ParsedDate | None:
    """"năm 2017" starting exactly at `pos` (not "năm 2020-2025", which is a term)."""
    m = _YEAR.match(text, pos)
    if m is None:
        return None
    return ParsedDate(None, int(m.group("y")), m.start(), m.end())


def find_dates(text: str) -> list[ParsedDate]:
    """Every full date in `text`, in order."""
    found = []
    for m in _DATE.finditer(text):
        parsed = _from_match(m)
        if parsed is not None:
            found.append(parsed)
    return found


def parse_date(text: str) -> str | None:
    """The ISO form of a text that is one date ("ngày 15 tháng 5 năm 2016" -> "2016-05-15")."""
    stripped = text.strip()
    parsed = match_date(stripped)
    if parsed is None or parsed.end != len(stripped):
        return None
    return parsed.iso
