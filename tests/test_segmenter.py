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


def test_text_with_eth_is_decoded_here_as_underthesea_rewrites_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Legacy text types "Ð"/"ð" (eth) for "Đ"/"đ"; underthesea rewrites them before it
    # segments (one character for one) and its words then fail to align where they hold one.
    texts = ["Ðảng bộ xã có 25 đảng viên, Ðoàn thanh niên 120 ðoàn viên.", "ð", "Ð Ð. ð-ð"]
    if SEEDS.is_dir():
        seed = unicodedata.normalize("NFC", sorted(SEEDS.glob("*.txt"))[2].read_text(
            encoding="utf-8"))
        texts += [seed[s:e].replace("Đ", "Ð").replace("đ", "ð")
                  for s, e in list(paragraphs(seed))[:40]]
    expected = []
    monkeypatch.setattr(tokens, "SEGMENTER", "underthesea")
    for text in texts:
        expected.append(word_tokens(text))
    monkeypatch.setattr(tokens, "SEGMENTER", "fast")

    def no_underthesea() -> None:
        raise AssertionError("underthesea called")

    monkeypatch.setattr(tokens, "_underthesea", no_underthesea)
    assert [word_tokens(text) for text in texts] == expected
    assert segmenter().word_spans(texts[0], 0, len(texts[0])) is None  # the aligned path


def test_text_that_is_not_nfc_goes_through_underthesea(monkeypatch: pytest.MonkeyPatch) -> None:
    text = unicodedata.normalize("NFD", "Đảng bộ xã có 25 đảng viên")
    assert segmenter().rewritten_words(text) is None
    fast = word_tokens(text)
    monkeypatch.setattr(tokens, "SEGMENTER", "underthesea")
    assert word_tokens(text) == fast


def test_prepared_words_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Chi bộ kết nạp 5 đảng viên mới, đạt 125% chỉ tiêu."
    expected = word_tokens(text)
    tokens.prepare_words(text)
    monkeypatch.setattr(tokens, "word_spans", lambda *a: [])  # not segmented again
    assert word_tokens(text) == expected
    assert word_tokens(text) == []  # used once: the next call segments (here: nothing)
    tokens.forget_prepared()
