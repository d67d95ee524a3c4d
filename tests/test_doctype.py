"""doc_type classifier, templates of required sections and the expected missing sections."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.ingest import file_sha256
from pipeline.nlp import doctype as dt
from pipeline.nlp import sections as sec
from pipeline.nlp import training as T
from pipeline.nlp.linear_model import LinearTextModel

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "models" / "doctype" / "training_data.jsonl"
TRUTH = sorted((ROOT / "corpus" / "truth").glob("*.json"))


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return T.read_jsonl(DATA)


@pytest.fixture(scope="module")
def clf() -> dt.DocTypeClassifier:
    return dt.DocTypeClassifier.load()


def test_artefact_matches_data_and_card_figure(records: list[dict],
                                               clf: dt.DocTypeClassifier) -> None:
    assert clf.model.meta["training_data_sha256"] == file_sha256(DATA)
    assert sorted(clf.model.classes) == sorted(dt.DOC_TYPES)
    # The CV figure in the card and the artefact is reproduced exactly (seeded folds).
    cv = T.cross_validate_doctype(records, 5)
    assert round(cv.accuracy()[0], 4) == clf.model.meta["cv_accuracy"]
    counts = {t: sum(r["label"] == t for r in records if r["source"].startswith("constructed"))
              for t in dt.DOC_TYPES}
    assert min(counts.values()) >= 15


def test_held_out_seeds(records: list[dict]) -> None:
    """Without the speech and a news seed in training, both are still recognised."""
    held = {"corpus:001", "corpus:002"}
    model, _, _ = T.fit_doctype([r for r in records if r["doc"] not in held])
    clf = dt.DocTypeClassifier(model)
    for r in records:
        if r["doc"] in held:
            assert clf.predict(r["text_head"], r["headings"])[0] == r["label"]


def test_seeds_with_the_committed_model(records: list[dict], clf: dt.DocTypeClassifier) -> None:
    got = {r["doc"]: clf.predict(r["text_head"], r["headings"])[0]
           for r in records if r["source"].startswith("corpus:")}
    assert got == {"corpus:000": "political_report", "corpus:001": "speech",
                   "corpus:002": "news", "corpus:003": "news",
                   "corpus:004": "political_report"}


@pytest.mark.parametrize(("head", "expected"), [
    ("NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ XÃ AN BÌNH LẦN THỨ XV, NHIỆM KỲ 2025-2030 "
     "Đại hội quyết nghị: 1. Tán thành những nội dung cơ bản ...", "resolution"),
    ("BÁO CÁO KIỂM ĐIỂM SỰ LÃNH ĐẠO, CHỈ ĐẠO CỦA BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG 3 NHIỆM KỲ "
     "2020-2025 I. ƯU ĐIỂM ...", "review_report"),
    ("BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN ĐÔ LƯƠNG TRÌNH ĐẠI HỘI ĐẠI BIỂU LẦN "
     "THỨ XXIX NHIỆM KỲ 2025-2030 Phần thứ nhất ĐẶC ĐIỂM TÌNH HÌNH", "political_report"),
    ("BÀI THAM LUẬN Kính thưa Đoàn Chủ tịch! Hôm nay tôi xin trình bày ...", "speech"),
    ("Sáng 12/6, Đảng bộ xã Tân Lập tổ chức Đại hội lần thứ X. Tham dự có đồng chí ...",
     "news"),
])
def test_typical_heads(clf: dt.DocTypeClassifier, head: str, expected: str) -> None:
    label, conf = clf.predict(head, [])
    assert label == expected
    assert 0.0 <= conf <= 1.0


@pytest.mark.parametrize("head", ["", "   ", "Annual report of the committee", "1 2 3", "§¶ng"])
def test_unusual_inputs(clf: dt.DocTypeClassifier, head: str) -> None:
    label, conf = clf.predict(head, [])
    assert label in dt.DOC_TYPES
    assert 0.0 <= conf <= 1.0
    probs = clf.predict_proba(head, ["I. Ưu điểm"])
    assert abs(sum(probs.values()) - 1.0) < 1e-9


def test_json_round_trip_equals_sklearn(records: list[dict], tmp_path: Path) -> None:
    model, matrix, fitted = T.fit_doctype(records[:60])
    model.save(tmp_path / "m.json")
    loaded = LinearTextModel.load(tmp_path / "m.json")
    assert np.allclose(loaded.predict_proba(T.doctype_rows(records[:60])),
                       fitted.predict_proba(matrix), rtol=0, atol=1e-10)


def test_templates() -> None:
    assert dt.required_sections("speech") == ["speech.greeting", "speech.body", "speech.closing"]
    assert dt.required_sections("news") == ["news.lead", "news.body"]
    assert dt.required_sections("unknown") == []
    for doc_type in dt.DOC_TYPES:
        assert all(label in sec.labels() for label in dt.required_sections(doc_type))
    # A child satisfies its parent; a parent never satisfies a child.
    assert "plan" not in dt.missing_sections("review_report", ["plan.tasks"])
    assert "plan.tasks" in dt.missing_sections("political_report", ["plan"])
    assert dt.missing_sections("news", [None, "news.lead", "news.body"]) == []


def _truth_outline(path: Path) -> tuple[list[tuple[int, str, str]], list[str], str]:
    paras = json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
    heads = [((p["level"] or 1), p["text"],
              " ".join(q["text"] for q in paras[i + 1:i + 8])[:sec.CONTEXT_CHARS])
             for i, p in enumerate(paras) if p["kind"] == "heading"]
    body = [p["text"] for p in paras if p["kind"] != "heading"]
    return heads, body, " ".join(p["text"] for p in paras)


def test_expected_missing_sections_of_the_seeds(clf: dt.DocTypeClassifier) -> None:
    expected = yaml.safe_load(
        (ROOT / "models" / "sections" / "expected_missing.yaml").read_text(encoding="utf-8"))
    sections = sec.SectionClassifier.load()
    for path in TRUTH:
        heads, body, text = _truth_outline(path)
        doc_type = clf.predict(text[:dt.HEAD_CHARS], [h[1] for h in heads])[0]
        assert doc_type == expected[path.stem]["doc_type"]
        present = [p.label for p in sections.predict_outline(heads, doc_type)]
        present += sec.label_paragraphs(body, doc_type)
        assert dt.missing_sections(doc_type, present) == list(expected[path.stem]["missing"])


def test_train_command_end_to_end(records: list[dict], tmp_path: Path) -> None:
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[::4]),
                    encoding="utf-8")
    out = tmp_path / "model"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "doctype", "--data", str(data),
         "--out", str(out), "--folds", "3"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (out / "MODEL_CARD.md").is_file()
    label, conf = dt.DocTypeClassifier.load(out / "model.json").predict("BÀI THAM LUẬN", [])
    assert label in dt.DOC_TYPES and 0.0 <= conf <= 1.0


# -- issue 10: the form first, the model second; findings only for a certain type ----------------


@pytest.mark.parametrize("lines, expected", [
    (["NGHỊ QUYẾT", "ĐẠI HỘI ĐẢNG BỘ XÃ YÊN HỒ LẦN THỨ XXV"], "resolution"),
    (["BÁO CÁO CHÍNH TRỊ", "TRÌNH ĐẠI HỘI CHI BỘ 3"], "political_report"),
    (["BÁO CÁO", "KIỂM ĐIỂM SỰ LÃNH ĐẠO CỦA CHI ỦY"], "review_report"),
    (["THAM LUẬN", "VỀ CÔNG TÁC DÂN VẬN"], "speech"),
    (["CHỈ THỊ", "VỀ LÃNH ĐẠO ĐẠI HỘI ĐẢNG BỘ CÁC CẤP"], "directive"),
    (["KẾT LUẬN", "CỦA BAN THƯỜNG VỤ HUYỆN ỦY"], "conclusion"),
    (["KẾ HOẠCH", "TỔ CHỨC ĐẠI HỘI CHI BỘ"], "plan"),
    (["HƯỚNG DẪN", "NHÂN SỰ CẤP ỦY"], "guidance"),
    (["QUYẾT ĐỊNH", "VỀ VIỆC CHUẨN Y KẾT QUẢ BẦU CỬ"], "other"),
    (["Quyết định về việc thành lập ban chỉ đạo", "Ủy ban nhân dân tỉnh Hà Tĩnh",
      "Căn cứ Luật Tổ chức chính quyền địa phương;"], "other"),
])
def test_the_type_name_decides(lines: list[str], expected: str) -> None:
    from pipeline.analysis import analyze_document
    from pipeline.model import Block, Document

    body = ("Căn cứ Điều lệ Đảng và các quy định hiện hành, cấp ủy thống nhất triển khai "
            "thực hiện các nội dung sau đây trong toàn đảng bộ.")
    doc = Document(source="x.txt", format="txt", sha256="",
                   blocks=[Block(text=t) for t in [*lines, body]])
    report = analyze_document(doc)
    assert report.meta.doc_type == expected
    assert report.meta.doc_type_confidence >= 0.9


def test_a_greeting_makes_a_speech_and_articles_are_news_or_commentary() -> None:
    greeting = ["Phát biểu của đồng chí Bí thư Huyện ủy tại Đại hội", "Kính thưa Đoàn Chủ tịch!",
                "Hôm nay, tôi rất vui mừng được dự Đại hội đại biểu Đảng bộ xã lần thứ XXV."]
    assert dt.decide(greeting, [], None, None, None, {"news": 0.9})[0] == "speech"
    news = ["Sáng ngày 12/5, Chi bộ thôn Trung tổ chức Đại hội nhiệm kỳ 2025 - 2027 với sự "
            "tham dự của 35 đảng viên và đại diện Đảng ủy xã."]
    assert dt.decide(news, [], None, None, None, {"political_report": 0.7})[0] == "news"
    essay = ["Xây dựng Đảng về đạo đức là một nội dung quan trọng trong tư tưởng Hồ Chí Minh "
             "mà toàn Đảng cần quán triệt sâu sắc trong giai đoạn hiện nay."]
    assert dt.decide(essay, [], None, None, None, {"political_report": 0.8}) == (
        "commentary", 0.8, "article")
    # A model sure of a report type keeps it (a report whose letterhead was lost).
    assert dt.decide(essay, [], None, None, None, {"political_report": 0.95})[0] == \
        "political_report"


def test_missing_sections_only_for_a_certain_type() -> None:
    from pipeline.audit.sections import missing_sections

    certain = missing_sections(set(), "political_report", 0.97, "BÁO CÁO CHÍNH TRỊ")
    assert certain and {f.kind for f in certain} == {"missing_section"}
    withheld = missing_sections(set(), "political_report", 0.6, None)
    assert [f.kind for f in withheld] == ["sections_not_checked"]
    assert withheld[0].details["reason"] == "uncertain_type"
    council = missing_sections(set(), "resolution", 0.97, "Nghị quyết về giá đất năm 2010")
    assert [f.details["reason"] for f in council] == ["template_not_applicable"]
    assert missing_sections(set(), "news", 0.5, None) == []
    assert missing_sections(set(), "commentary", 0.8, None) == []


@pytest.mark.parametrize("lead, expected", [
    # A page printing a document in full under its headline and lead (written here, in the
    # phrasing real pages use): typed as that document, below certainty.
    (["Nghị quyết Đại hội đại biểu Đảng bộ huyện Yên Hồ lần thứ XXV",
      "Báo Hà Tĩnh trân trọng giới thiệu toàn văn Nghị quyết."], "resolution"),
    (["Toàn văn Kế hoạch tổ chức đại hội chi bộ trực thuộc nhiệm kỳ 2025 - 2027"], "plan"),
    (["Ngày 3/5, Ban Thường vụ Huyện ủy đã ban hành Chỉ thị số 09 về lãnh đạo đại hội chi bộ.",
      "Nội dung Chỉ thị như sau:"], "directive"),
    (["Sau khi nghe báo cáo, đồng chí Bí thư Huyện ủy đã có kết luận về buổi làm việc như sau:"],
     "conclusion"),
])
def test_a_page_carrying_a_document_is_typed_as_it(lead: list[str], expected: str) -> None:
    body = ("Trong những năm qua, các cấp ủy đã quan tâm lãnh đạo, chỉ đạo công tác này và đạt "
            "được nhiều kết quả quan trọng trên các lĩnh vực.")
    doc_type, confidence, source = dt.decide([*lead, body], [], None, None, None, {"news": 0.9})
    assert (doc_type, source) == (expected, "carried")
    assert not dt.certain(confidence)  # the page's form is not the document's


def test_a_link_to_a_full_text_is_not_the_document() -> None:
    lead = ["Sáng ngày 12/5, Chi bộ thôn Trung tổ chức Đại hội nhiệm kỳ 2025 - 2027 với sự tham "
            "dự của 35 đảng viên.", "Xem toàn văn Nghị quyết tại đây."]
    assert dt.decide(lead, [], None, None, None, {"news": 0.9})[0] == "news"


@pytest.mark.parametrize("lead, expected", [
    ("Tháng 8 vừa qua, Đảng bộ huyện Yên Hồ tổ chức thành công Đại hội đại biểu lần thứ XXII, "
     "nhiệm kỳ 2020 - 2025, với 250 đại biểu tham dự.", "news"),
    ("Với tinh thần dân chủ, Đại hội đã bầu Chi ủy gồm 5 đồng chí, đồng chí Lê Văn An tái đắc "
     "cử Bí thư Chi bộ nhiệm kỳ 2025 - 2027.", "news"),
    ("Hội nghị toàn quốc của Đảng diễn ra từ ngày 13 đến 15-8-1945 tại Tân Trào đã quyết định "
     "phát động Tổng khởi nghĩa trong cả nước.", "commentary"),
])
def test_news_or_commentary_from_the_lead(lead: str, expected: str) -> None:
    assert dt.decide([lead], [], None, None, None, {"news": 0.6})[0] == expected


def test_a_title_with_ve_viec_alone_is_a_document() -> None:
    from pipeline.analysis import analyze_document
    from pipeline.model import Block, Document

    doc = Document(source="x.txt", format="txt", sha256="", blocks=[Block(
        text="Chỉ thị của Chủ tịch Ủy ban nhân dân tỉnh về việc tăng cường công tác dân vận")])
    assert analyze_document(doc).meta.doc_type == "directive"


LABELS = ROOT / "benchmarks" / "data" / "doctype_labels.yaml"
NEWS = Path("/work/shared/devdata/news")


def test_real_articles_are_never_political_reports() -> None:
    """The hand-labelled sample A of real articles and documents (../shared/devdata/news)."""
    if not NEWS.is_dir():
        pytest.skip(f"real texts absent: {NEWS}")
    from pipeline.analysis import analyze_document
    from pipeline.ingest import load

    sample = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["devdata_news"]["sample_a"]
    right = 0
    for doc_id, label in sample.items():
        report = analyze_document(load(NEWS / f"{doc_id}.txt"))
        assert report.meta.doc_type != "political_report", doc_id
        assert not [f for f in report.findings if f.kind == "missing_section"], doc_id
        right += report.meta.doc_type == label
    assert right / len(sample) >= 0.95
