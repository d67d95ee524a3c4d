"""`tokens.protected_spans` finds exactly what `protected_pattern()` finds (it only leaves out
alternatives that cannot match and looks ahead for the characters every match begins with)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.nlp.tokens import _first_chars, paragraphs, protected_pattern, protected_spans

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
SHAPES = [
    "Theo 57-NQ/TW, 57 - NQ/TW, 08-QĐi/TW, 35-KH/ĐUK và 02/2023/QĐ-UBND, 924/QĐ-TTg; 24/2018/QH14.",
    "QCVN 8:2022/BTTTT, TCVN 5712:1993, ISO/IEC 17065, ISO 9001:2015 áp dụng từ 22/12/2024.",
    "Liên hệ a.b+c@gmail.com hoặc https://dangcongsan.vn/x?y=1, www.hanoi.gov.vn; 30-3-2007.",
    "Đạt 100%, 76,2 %, 93,5%; 10/10 chỉ tiêu, 09/09; 51.276 đảng viên, 46.250.000 đồng, 45,25.",
    "12/2024 và 1/2 số hộ; 1.612,9 tỷ; @ một mình; email@; /; %; 2020 - 2025; h w Q T I",
    "",
    "Không có số nào ở đây cả.",
]


def _texts() -> list[str]:
    texts = list(SHAPES)
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
            texts += [text[s:e] for s, e in paragraphs(text)]
    return texts


def test_same_spans_as_the_plain_pattern() -> None:
    checked = found = 0
    for text in _texts():
        expected = [m.span() for m in protected_pattern().finditer(text)]
        assert protected_spans(text) == expected, text[:80]
        checked += 1
        found += len(expected)
    assert checked > 100 and found > 100


def test_first_characters() -> None:
    assert _first_chars(r"\d{1,3}(?:\.\d{3})+") == r"\d"
    assert _first_chars(r"(?<![\d/])\d{1,2}/\d{4}") == r"\d"
    assert _first_chars(r"(?:QCVN|TCVN)\s?\d+") == "QT"
    assert _first_chars(r"[a-z]?\d") == r"a-z\d"
    assert _first_chars(r"\d*") is None  # can match empty: no lookahead
    assert _first_chars(r"[^x]y") is None  # a negated class: not analysed
