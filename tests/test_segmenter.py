"""`pipeline.nlp.segmenter`: the faster decode of underthesea's word segmentation gives
underthesea's words exactly (same syllables, same words, same spans)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from underthesea import word_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

from pipeline.nlp import tokens
from pipeline.nlp.segmenter import segmenter
from pipeline.nlp.tokens import _align, paragraphs, word_tokens

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"

# Shapes the regex treats specially: abbreviations with dots ("UBND." before a space,
# "Th.S", "ThS."), "Th?s" that "Th.S" matches inside a word, URLs, e-mails, dates, numbers,
# ranges, emoji, hyphens, quotes, a paragraph of one syllable, Latin words.
EDGES = [
    "Theo Quyết định số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, UBND. tỉnh đã ban hành.",
    "ThS. Nguyễn Văn A, Th.S Lê B và Thís Thus This THIS đã dự; Tp. Hồ Chí Minh, T.Ư Đoàn.",
    "Xem https://dangcongsan.vn/a-b?c=1 hoặc www.hanoi.gov.vn, gửi thư tới a.b@gmail.com :D",
    "Tỷ lệ đạt 100%, tăng 3-4 lần; 51.276 đảng viên; 4.123,2 tỷ đồng; 1/2 số hộ; 43H-0530.",
    "Kết quả 10/10 chỉ tiêu... (đạt 95,5 %) => vượt; v.v. và H'Mông, N’Thôn Hạ; e-mail",
    "Đảng",
    "COVID-19 và 4G, 5GHz, 3x4, 20°C, 03-5730-2357, 10:20:50, nhiệm kỳ 2020 - 2025.",
]


def _underthesea_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    segment = text[start:end]
    return _align(segment, word_tokenize(segment, use_token_normalize=False), start)


def _texts() -> list[str]:
    texts = list(EDGES)
    if SEEDS.is_dir():
        # NFC, as ingest gives it (text that is not goes through underthesea: last test).
        texts += [unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))
                  for p in sorted(SEEDS.glob("*.txt"))[:2]]
    return texts


def test_syllables_are_underthesea_regex_tokens() -> None:
    seg = segmenter()
    for text in _texts():
        for start, end in paragraphs(text):
            spans = seg.syllables(text, start, end)
            assert spans is not None
            assert [text[s:e] for s, e in spans] == tokenize(text[start:end],
                                                              use_token_normalize=False)


def test_words_are_underthesea_words() -> None:
    seg = segmenter()
    checked = 0
    for text in _texts():
        for start, end in paragraphs(text):
            assert seg.word_spans(text, start, end) == _underthesea_spans(text, start, end)
            checked += 1
    assert checked > 100


def test_text_underthesea_would_rewrite_goes_through_underthesea(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ðảng bộ xã có 25 đảng viên"  # "Ð" (eth): underthesea writes "Đ" first
    assert segmenter().word_spans(text, 0, len(text)) is None
    fast = word_tokens(text)
    monkeypatch.setattr(tokens, "SEGMENTER", "underthesea")
    assert word_tokens(text) == fast
