"""The outline: headings, levels, labels, missing sections and repeated passages, on the real
corpus in every format and on re-typeset versions of it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, ROOT, STEMS, corpus_file
from pipeline.analysis import analyze, analyze_document
from pipeline.ingest import load
from pipeline.ingest.normalize import clean_text
from pipeline.model import Block, Document
from pipeline.nlp.outline import build_outline, find_headings

sys.path.insert(0, str(ROOT / "benchmarks"))
from outline_variants import VARIANTS, gold_headings, parts_merged, write_variant  # noqa: E402

EXPECTED_MISSING = yaml.safe_load(
    (ROOT / "models" / "sections" / "expected_missing.yaml").read_text(encoding="utf-8")
)


def truth_headings(stem: str) -> list[tuple[str, int]]:
    truth = json.loads((CORPUS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))
    # A part heading printed over several lines is one heading (issue 10).
    return parts_merged([(clean_text(p["text"]), p["level"]) for p in truth["paragraphs"]
                         if p["kind"] == "heading"])


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("stem", STEMS)
def test_headings_and_levels_match_the_truth(kind: str, stem: str) -> None:
    headings = find_headings(load(corpus_file(kind, stem)))
    assert [(h.text, h.level) for h in headings] == truth_headings(stem)


def test_plain_text_without_formatting_still_finds_most_headings() -> None:
    tp = fp = fn = 0
    for stem in STEMS:
        gold = {t for t, _ in truth_headings(stem)}
        got = {h.text for h in find_headings(load(corpus_file("seeds", stem)))}
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.85  # measured: 0.96 and 0.88


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_headings_survive_other_typesetting(tmp_path: Path, variant: str) -> None:
    """Title Case, no numbers, typos, no bold, styles only: F1 stays high."""
    tp = fp = fn = 0
    for stem in STEMS:
        doc = load(write_variant(stem, variant, tmp_path / f"{stem}.docx"))
        gold = {t for t, _ in parts_merged([(clean_text(g), None)
                                            for g in gold_headings(stem, variant)])}
        got = {h.text for h in find_headings(doc)}
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9, (variant, f1)
    assert fp == 0


def test_bullets_are_never_headings() -> None:
    doc = load(corpus_file("pdf", "000_4435fb2a97849b7c"))
    bullets = {i for i, b in enumerate(doc.blocks) if b.text[:2] in ("- ", "+ ", "• ")}
    assert bullets
    assert not bullets & {h.block for h in find_headings(doc)}


def test_a_document_without_headings_is_one_section() -> None:
    text = load(corpus_file("seeds", "002_38c4a49bff4fa329")).text
    paragraphs = [p for p in text.split("\n\n")[1:] if len(p) > 100]
    doc = Document(source="x.txt", format="txt", sha256="0" * 64,
                   blocks=[Block(text=p) for p in paragraphs])
    outline = build_outline(doc)
    assert outline.headings == []
    assert [(s.start, s.end) for s in outline.sections] == [(0, len(doc.text))]
    report = analyze_document(doc)
    assert report.sections and report.meta.doc_type is not None


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("stem", STEMS)
def test_missing_sections_are_exactly_the_expected_ones(kind: str, stem: str) -> None:
    report = analyze(corpus_file(kind, stem))
    expected = EXPECTED_MISSING[stem]
    missing = [f.details["label"] for f in report.findings if f.kind == "missing_section"]
    assert sorted(missing) == sorted(expected["missing"])
    assert report.meta.doc_type == expected["doc_type"]


def test_section_labels_of_the_report_parts() -> None:
    report = analyze(corpus_file("pdf", "004_73f20699863736da"))
    by_heading = {s["heading"]: s["label"] for s in report.sections if s["heading"]}
    assert by_heading["3. Công tác kiểm tra, giám sát"] == "party_building.inspection"
    assert by_heading["2. Hạn chế, khuyết điểm"] == "assessment.weaknesses"
    assert by_heading["4. Một số kinh nghiệm"] == "assessment.lessons"
    assert by_heading["II. NHIỆM VỤ, GIẢI PHÁP"] == "plan.tasks"
    # Every label carries a confidence, and sections nest inside their parents.
    assert all(0 <= s["confidence"] <= 1 for s in report.sections)
    text = report.document.text
    closing = [s for s in report.sections if s["label"] == "closing"]
    assert len(closing) == 1 and text[closing[0]["start"]:].startswith("Trên đây")


def test_speech_and_news_parts_come_from_their_set_phrases() -> None:
    speech = analyze(corpus_file("docx", "001_11fa4c8372dfa292"))
    parts = [(s["label"], speech.document.text[s["start"]:s["end"]]) for s in speech.sections
             if s["heading"] is None and s["label"].startswith("speech.")]
    assert [label for label, _ in parts] == [
        "speech.greeting", "speech.body", "speech.recommendations", "speech.closing"]
    assert parts[0][1].startswith("Kính thưa Đoàn Chủ tịch!")
    assert parts[2][1].startswith("Tuy nhiên, tôi cũng có một số ý kiến kiến nghị")
    assert parts[3][1].startswith("Cuối cùng, xin kính chúc Đại hội")
    news = analyze(corpus_file("pdf", "003_40d47c00f05e2e60"))
    lead = next(s for s in news.sections if s["label"] == "news.lead")
    assert news.document.text[lead["start"]:].startswith("Vừa qua, tại Hà Nội")


def test_repeated_passages_of_the_draft_report_are_found() -> None:
    report = analyze(corpus_file("pdf", "000_4435fb2a97849b7c"))
    text = report.document.text
    dups = [f for f in report.findings if f.kind == "duplicate_passage"]
    # The tail after the repeated title copies earlier paragraphs wholesale.
    tail = text.index("TỔNG KẾT CÔNG TÁC CỦA ĐẢNG BỘ BỘ PHẬN")
    tail_words = sum(f.details["words"] for f in dups if f.start >= tail)
    assert tail_words >= 1500
    assert all(f.details["first_end"] <= f.start for f in dups)
    # One bullet is written twice under "Những hạn chế".
    weak = text.index("2. Những hạn chế và nguyên nhân")
    causes = text.index("* Nguyên nhân", weak)
    inside = [f for f in dups if weak < f.details["first_start"] and f.end < causes]
    assert len(inside) == 1
    assert text[inside[0].start:].startswith("- Chưa được bồi dưỡng về nghiệp vụ công tác đảng")


def test_the_outline_command_prints_the_tree_and_json() -> None:
    import subprocess

    path = corpus_file("docx", "004_73f20699863736da")
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "outline", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "party_building.inspection" in proc.stdout
    assert "Thiếu phần" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "outline", str(path), "--json"],
                          capture_output=True, text=True, timeout=300)
    record = json.loads(proc.stdout)
    assert {"headings", "sections", "findings", "meta"} <= set(record)
    assert record["headings"][0] == {
        **record["headings"][0], "level": 1,
        "text": "I. CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ",
    }
    h = record["headings"][0]
    text = analyze(path).document.text
    assert text[h["start"]:h["end"]] == h["text"]


# -- issue 10: the form before the outline ------------------------------------------------------


def _plain(*lines: str) -> Document:
    return Document(source="x.txt", format="txt", sha256="", blocks=[Block(text=t) for t in lines])


BODY = ("Trong nhiệm kỳ qua, chi bộ đã lãnh đạo hoàn thành các chỉ tiêu, nhiệm vụ đề ra với "
        "nhiều kết quả nổi bật trên các lĩnh vực công tác của đơn vị.")


def _outline(doc: Document) -> list[tuple[int, str]]:
    from pipeline.extract.form import parse_form
    from pipeline.nlp.outline import find_headings

    return [(h.level, h.text) for h in find_headings(doc, parse_form(doc))]


def test_form_lines_are_not_headings_and_the_title_is_one() -> None:
    doc = _plain("ĐẢNG BỘ HUYỆN CAN LỘC", "CHI BỘ THÔN TRUNG", "*", "Số 07-BC/CB",
                 "ĐẢNG CỘNG SẢN VIỆT NAM", "Can Lộc, ngày 02 tháng 4 năm 2025",
                 "BÁO CÁO CHÍNH TRỊ", "của Chi bộ thôn Trung nhiệm kỳ 2022 – 2025",
                 "trình Đại hội nhiệm kỳ 2025 – 2027", "I. KẾT QUẢ", BODY,
                 "T/M CHI BỘ", "BÍ THƯ", "Hồ Văn Tâm")
    assert _outline(doc) == [
        (1, "BÁO CÁO CHÍNH TRỊ của Chi bộ thôn Trung nhiệm kỳ 2022 – 2025 trình Đại hội nhiệm "
            "kỳ 2025 – 2027"),
        (1, "I. KẾT QUẢ")]


def test_a_part_heading_over_three_lines_is_one_heading() -> None:
    doc = _plain("Phần thứ hai", "PHƯƠNG HƯỚNG, NHIỆM VỤ", "NHIỆM KỲ 2025 - 2027", BODY,
                 "I. MỤC TIÊU", BODY)
    assert _outline(doc) == [(1, "Phần thứ hai PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025 - 2027"),
                             (2, "I. MỤC TIÊU")]


def test_a_number_on_its_own_line_belongs_to_the_next_line() -> None:
    doc = _plain("I. KẾT QUẢ", BODY, "2.1.1.", "Công tác giáo dục chính trị tư tưởng", BODY)
    outline = _outline(doc)
    assert outline == [(1, "I. KẾT QUẢ"), (2, "2.1.1. Công tác giáo dục chính trị tư tưởng")]
    from pipeline.nlp.outline import find_headings

    h = find_headings(doc)[1]
    assert doc.text[h.start:h.end].startswith("2.1.1.")  # the span starts at the number


def test_a_table_of_contents_is_not_the_outline() -> None:
    doc = _plain("MỤC LỤC", "I. KẾT QUẢ ....... 3", "II. PHƯƠNG HƯỚNG ....... 9",
                 "I. KẾT QUẢ", BODY, "II. PHƯƠNG HƯỚNG", BODY)
    assert _outline(doc) == [(1, "I. KẾT QUẢ"), (1, "II. PHƯƠNG HƯỚNG")]


@pytest.mark.parametrize("line", ["Cập nhật: 08:11 GMT+7", "Thứ Tư, 08/04/2015, 08:11 [GMT+7]",
                                  "28/05/2020 | 16:38", "Chia sẻ: Facebook", "Trang chủ > Tin tức"])
def test_web_furniture_is_never_a_title(line: str) -> None:
    doc = _plain(line, "Chi bộ thôn Trung tổ chức Đại hội nhiệm kỳ 2025 - 2027", BODY)
    texts = [t for _, t in _outline(doc)]
    assert line not in texts
    assert texts == ["Chi bộ thôn Trung tổ chức Đại hội nhiệm kỳ 2025 - 2027"]


def test_the_closing_is_found_when_wrapped() -> None:
    from pipeline.nlp.sections import label_paragraphs

    # The reader kept a line break inside the formula: neither half is the formula alone.
    paragraphs = [BODY, "Trên đây là", "báo cáo chính trị của Chi bộ thôn Trung nhiệm kỳ 2022 - "
                  "2025./.", BODY]
    assert label_paragraphs(paragraphs, "political_report") == [None, "closing", "closing", None]
    wrapped = [BODY, "* Trên đây là báo cáo", "chính trị của Chi bộ, xin kính trình Đại hội./."]
    assert label_paragraphs(wrapped, "political_report")[1:] == ["closing", "closing"]


# -- layouts of the real held-out pages (benchmarks/real_outlines.py), in text written here ------


def test_a_part_label_and_its_title_in_sentence_case_are_one_heading() -> None:
    doc = _plain("PHẦN THỨ NHẤT", "Đánh giá kết quả lãnh đạo của chi bộ trong năm 2024", BODY,
                 "I. Đặc điểm tình hình", BODY)
    assert _outline(doc) == [(1, "PHẦN THỨ NHẤT Đánh giá kết quả lãnh đạo của chi bộ trong năm "
                                 "2024"), (2, "I. Đặc điểm tình hình")]


def test_an_appendix_label_keeps_its_caption_apart() -> None:
    doc = _plain("I. KẾT QUẢ", BODY, "PHỤ LỤC 1", "Kết quả thực hiện các chỉ tiêu năm 2024", BODY)
    assert [t for _, t in _outline(doc)][-1] == "PHỤ LỤC 1"


@pytest.mark.parametrize("term", ["NHIỆM KỲ 2022 - 2025", "(Nhiệm kỳ 2020 - 2025)",
                                  "LẦN THỨ XXV, NHIỆM KỲ 2025 - 2030"])
def test_a_term_line_ends_the_heading_above(term: str) -> None:
    doc = _plain("ĐẠI HỘI CHI BỘ TRƯỜNG TIỂU HỌC HOÀ BÌNH", term, BODY, "I. KẾT QUẢ", BODY)
    assert [t for _, t in _outline(doc)] == [f"ĐẠI HỘI CHI BỘ TRƯỜNG TIỂU HỌC HOÀ BÌNH {term}",
                                             "I. KẾT QUẢ"]


def test_a_long_roman_decision_is_a_heading_in_plain_text() -> None:
    decision = ("I- Tán thành những nội dung cơ bản về đánh giá kết quả thực hiện Nghị quyết Đại "
                "hội đại biểu Đảng bộ huyện lần thứ XX, nhiệm kỳ 2020 - 2025 và mục tiêu, nhiệm "
                "vụ, giải pháp nhiệm kỳ 2025 - 2030 nêu trong Báo cáo chính trị của Ban Chấp hành "
                "Đảng bộ huyện khóa XX trình Đại hội.")
    assert len(decision.split()) > 60
    doc = _plain("QUYẾT NGHỊ", decision, "1. Về kết quả, Đại hội khẳng định:", BODY)
    assert decision in [t for _, t in _outline(doc)]


def test_decimal_numbers_with_a_dash_are_headings() -> None:
    doc = _plain("2. Về chuẩn bị báo cáo kiểm điểm của tập thể, cá nhân.",
                 "2.1- Về chuẩn bị báo cáo kiểm điểm của tập thể:", BODY)
    assert [t for _, t in _outline(doc)] == [
        "2. Về chuẩn bị báo cáo kiểm điểm của tập thể, cá nhân.",
        "2.1- Về chuẩn bị báo cáo kiểm điểm của tập thể:"]


def test_the_motto_and_a_date_line_are_never_headings() -> None:
    # A letterhead the form cannot read (no issuing body it knows) still gives no heading.
    doc = _plain("CÂU LẠC BỘ HƯU TRÍ", "ĐẢNG CỘNG SẢN VIỆT NAM",
                 "Hoà Bình, ngày 5 tháng 6 năm 2025", "I. KẾT QUẢ", BODY)
    texts = [t for _, t in _outline(doc)]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in texts
    assert not any("ngày 5 tháng 6" in t for t in texts)


def test_real_outline_specs_are_built_from_the_labels_and_skip_without_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/real_outlines.py lays a page out from its labels (text written here)."""
    import real_outlines as ro

    page = "\n".join(["Trang chủ > Tin tức", "KẾ HOẠCH", "Tổ chức đại hội chi bộ", PROSE_LINE,
                      "I. MỤC ĐÍCH, YÊU CẦU", BODY, "Không có bình luận"])
    label = {"left": ["CHI BỘ THÔN TRUNG", "*"], "right": ["ĐẢNG CỘNG SẢN VIỆT NAM"],
             "title": ["KẾ HOẠCH", "Tổ chức đại hội chi bộ"], "start": "Căn cứ Điều lệ",
             "end": "Trong nhiệm kỳ qua", "headings": ["I. MỤC ĐÍCH, YÊU CẦU"]}
    spec = ro.spec_of("x", label, page)
    assert spec.body == [("p", PROSE_LINE), ("h", "I. MỤC ĐÍCH, YÊU CẦU"), ("p", BODY)]
    assert spec.gold == ["KẾ HOẠCH Tổ chức đại hội chi bộ", "I. MỤC ĐÍCH, YÊU CẦU"]
    counts = ro.score([spec], "txt", tmp_path)
    assert counts == (2, 0, 0)
    monkeypatch.setattr(ro, "page_dirs", lambda: [])
    assert "skipped" in ro.rows(tmp_path)[0]


PROSE_LINE = ("Căn cứ Điều lệ Đảng và hướng dẫn của Đảng ủy xã, Chi bộ thôn Trung xây dựng kế "
              "hoạch tổ chức đại hội như sau:")
