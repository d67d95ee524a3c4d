"""underthesea words in spaCy Docs: exact offsets over the whole corpus, whole document numbers."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher
from spacy.tokens import DocBin

from conftest import STEMS, corpus_file
from pipeline.ingest import load
from pipeline.nlp.tokens import make_doc, vietnamese_nlp


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("stem", STEMS)
def test_token_offsets_map_back_to_the_text_exactly(kind: str, stem: str) -> None:
    text = load(corpus_file(kind, stem)).text
    doc = make_doc(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text
    # Tokens tile the text: contiguous, no overlap, nothing dropped.
    for prev, token in zip(doc, doc[1:], strict=False):
        assert token.idx == prev.idx + len(prev.text_with_ws)
    assert "".join(t.text_with_ws for t in doc) == text


def test_document_numbers_dates_percentages_and_numbers_are_single_tokens() -> None:
    text = (
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và Quyết định số "
        "02/2023/QĐ-UBND, QCVN 8:2022/BTTTT; 100% đảng viên, tỷ lệ 76,2 %, doanh thu 51.276 "
        "triệu đồng, 46.250.000 đồng, 10/10 chỉ tiêu, Chỉ thị 05 - CT/TW."
    )
    tokens = [t.text for t in make_doc(text)]
    for whole in ("57-NQ/TW", "22/12/2024", "02/2023/QĐ-UBND", "QCVN 8:2022/BTTTT", "100%",
                  "76,2 %", "51.276", "46.250.000", "10/10", "05 - CT/TW"):
        assert whole in tokens, whole
    assert "Bộ Chính trị" in tokens and "đảng viên" in tokens


def test_sentences_follow_paragraphs_and_keep_list_numbers_with_their_text() -> None:
    text = "I. KẾT QUẢ ĐẠT ĐƯỢC\n\n1. Công tác tư tưởng được chú trọng. Đảng viên gương mẫu."
    sentences = [s.text.strip() for s in make_doc(text).sents]
    assert sentences == [
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "1. Công tác tư tưởng được chú trọng.",
        "Đảng viên gương mẫu.",
    ]


def test_spacy_matcher_and_docbin_work_on_the_bridge() -> None:
    nlp = vietnamese_nlp()
    doc = nlp("Chi bộ kết nạp 13 đảng viên mới theo Quy định 85-QĐ/TW.")
    matcher = Matcher(nlp.vocab)
    matcher.add("ADMIT", [[{"TEXT": "kết nạp"}, {"LIKE_NUM": True}, {"TEXT": "đảng viên"}]])
    (_, start, end), = matcher(doc)
    assert doc[start:end].text == "kết nạp 13 đảng viên"
    restored = list(DocBin(docs=[doc]).from_bytes(DocBin(docs=[doc]).to_bytes()).get_docs(
        nlp.vocab))[0]
    assert [t.text for t in restored] == [t.text for t in doc]
