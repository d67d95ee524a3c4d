"""`word_tokens`: the words of `make_doc` without building a spaCy Doc (same tokens)."""

from __future__ import annotations

from conftest import STEMS, corpus_file
from pipeline.ingest import load
from pipeline.nlp.tokens import make_doc, word_tokens


def _doc_tokens(text: str) -> list[tuple[int, int, str]]:
    return [(t.idx, t.idx + len(t.text), t.text) for t in make_doc(text) if not t.is_space]


def test_word_tokens_are_the_non_space_tokens_of_make_doc() -> None:
    texts = [load(corpus_file("docx", stem)).text for stem in STEMS[:2]]
    texts.append("Kết nạp 13 đảng viên, đạt 120% chỉ tiêu Nghị quyết số 57-NQ/TW ngày "
                 "22/12/2024;\n\n  2. Thu nhập bình quân  46.250.000 đồng/người/năm.\n")
    for text in texts:
        got = word_tokens(text)
        assert got == _doc_tokens(text)
        assert all(text[s:e] == w for s, e, w in got)
    assert ("57-NQ/TW" in [w for _, _, w in word_tokens(texts[-1])])
