"""The section-label classifier: artefact, held-out accuracy, odd inputs, JSON round trip, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.ingest import file_sha256
from pipeline.nlp import sections as sec
from pipeline.nlp import training as T
from pipeline.nlp.linear_model import LinearTextModel

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "models" / "sections" / "training_data.jsonl"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return T.read_jsonl(DATA)


@pytest.fixture(scope="module")
def clf() -> sec.SectionClassifier:
    return sec.SectionClassifier.load()


def test_artefact_loads_fast_and_matches_its_data() -> None:
    start = time.perf_counter()
    clf = sec.SectionClassifier.load()
    assert time.perf_counter() - start < 0.3
    meta = clf.model.meta
    assert meta["training_data_sha256"] == file_sha256(DATA)
    assert clf.version.startswith("sections-")
    assert set(clf.model.classes) <= set(sec.labels())
    assert 0.0 < clf.rule_confidence <= 1.0


def test_every_corpus_heading_is_labelled(records: list[dict]) -> None:
    truth = {p.stem.split("_")[0]: json.loads(p.read_text(encoding="utf-8"))
             for p in (ROOT / "corpus" / "truth").glob("*.json")}
    for doc, t in truth.items():
        n = sum(1 for p in t["paragraphs"] if p["kind"] == "heading")
        assert sum(1 for r in records if r["doc"] == f"corpus:{doc}") == n
    assert all(r["label"] in sec.labels() for r in records)
    constructed = {r["doc"] for r in records if r["source"].startswith("constructed:")}
    assert len(constructed) >= 40


def test_held_out_document_004(records: list[dict]) -> None:
    """Train without corpus document 004, then label its headings top-down."""
    model, _, _ = T.fit_sections([r for r in records if r["doc"] != "corpus:004"])
    held = [r for r in records if r["doc"] == "corpus:004"]
    preds = T.predict_document(sec.SectionClassifier(model), held)
    correct = sum(p.label == r["label"] for p, r in zip(preds, held, strict=True))
    assert correct / len(held) >= 0.9
    got = {r["heading"]: p.label for p, r in zip(preds, held, strict=True)}
    assert got["4. Một số kinh nghiệm"] == "assessment.lessons"
    assert got["3. Công tác kiểm tra, giám sát"] == "party_building.inspection"
    assert got["2. Công tác xây dựng Đảng"] == "plan.tasks"  # under "II. NHIỆM VỤ, GIẢI PHÁP"
    assert got["PHỤ LỤC 1"] == "appendix"


def test_unseen_wordings_probe(clf: sec.SectionClassifier) -> None:
    probe = yaml.safe_load((ROOT / "models" / "sections" / "probe.yaml").read_text("utf-8"))
    items = [sec.SectionInput(h, "", p, d) for h, p, d, _ in probe]
    got = [label for label, _ in clf.predict(items)]
    correct = sum(g == e[3] for g, e in zip(got, probe, strict=True))
    assert correct / len(probe) >= 0.9


@pytest.mark.parametrize(("heading", "parent", "expected"), [
    ("CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG", None,
     "party_building.inspection"),
    ("Công Tác Kiểm Tra, Giám Sát", "II. Công Tác Xây Dựng Đảng", "party_building.inspection"),
    ("Cong tac kiem tra, giam sat", None, "party_building.inspection"),
    ("Bai hoc kinh nghiem", "III. DANH GIA CHUNG", "assessment.lessons"),
    ("Ưu điểm", "III. ĐÁNH GIÁ CHUNG", "assessment.strengths"),
    ("Hạn chế, khuyết điêm", "III. ĐÁNH GIÁ CHUNG", "assessment.weaknesses"),
    ("ĐẶC ĐIỂM TÌNH HÌNH", None, "situation"),
    ("Phụ lục 3", None, "appendix"),
    ("3. Công tác kiểm tra, giám sát", "III. NHIỆM VỤ, GIẢI PHÁP", "plan.tasks"),
    ("Chỉ tiêu về công tác kiểm tra, giám sát", "II. CÁC CHỈ TIÊU CHỦ YẾU", "plan.targets"),
])
def test_odd_forms(clf: sec.SectionClassifier, heading: str, parent: str | None,
                   expected: str) -> None:
    (label, conf), = clf.predict([sec.SectionInput(heading, "", parent)])
    assert label == expected
    assert 0.0 <= conf <= 1.0


@pytest.mark.parametrize("heading", [
    "", "   ", "Strengths and weaknesses", "Inspection and supervision", "1.", "*",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXXX", "§¶ng bé", "a" * 500, "Kính thưa Đoàn Chủ tịch!",
])
def test_unusual_inputs_give_a_valid_label(clf: sec.SectionClassifier, heading: str) -> None:
    for item in (sec.SectionInput(heading), sec.SectionInput(heading, "x" * 2000, "I. A", "news")):
        pred = clf.predict_detailed([item])[0]
        assert pred.label in sec.labels()
        assert 0.0 <= pred.confidence <= 1.0
        assert pred.source in ("model", "rules")


def test_predict_outline_top_down(clf: sec.SectionClassifier) -> None:
    outline = [(1, "Phần thứ hai", ""), (1, "PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2025-2030", ""),
               (2, "I. Phương hướng chung", ""), (2, "II. Nhiệm vụ, giải pháp", ""),
               (3, "1. Công tác tổ chức, cán bộ", ""), (3, "2. Công tác kiểm tra, giám sát", "")]
    labels = [p.label for p in clf.predict_outline(outline)]
    assert labels == ["plan", "plan", "plan.direction", "plan.tasks", "plan.tasks", "plan.tasks"]
    assert clf.predict([]) == []


def test_json_round_trip_equals_sklearn(records: list[dict], tmp_path: Path) -> None:
    subset = [r for r in records if r["doc"] in {"corpus:000", "corpus:004"}
              or r["doc"].startswith(("c001_", "c002_", "c003_", "c100_", "c120_"))]
    model, matrix, fitted = T.fit_sections(subset, {"model_version": "test"})
    model.save(tmp_path / "m.json")
    loaded = LinearTextModel.load(tmp_path / "m.json")
    ours = loaded.predict_proba(T.section_rows(subset))
    theirs = fitted.predict_proba(matrix)
    assert loaded.classes == [str(c) for c in fitted.classes_]
    assert np.allclose(ours, theirs, rtol=0, atol=1e-10)
    assert loaded.meta["model_version"] == "test"


def test_split_number() -> None:
    assert sec.split_number("II. KẾT QUẢ") == ("roman", "KẾT QUẢ")
    assert sec.split_number("3.2. Khó khăn") == ("decimal", "Khó khăn")
    assert sec.split_number("PHẦN THỨ HAI: PHƯƠNG HƯỚNG") == ("part", "PHƯƠNG HƯỚNG")
    assert sec.split_number("a) Về tư tưởng") == ("lower_letter", "Về tư tưởng")
    assert sec.split_number("* Nguyên nhân") == ("bullet", "Nguyên nhân")
    assert sec.split_number("Thuận lợi") == ("none", "Thuận lợi")
    assert sec.split_number("1.") == ("none", "1.")


def test_rules_and_taxonomy() -> None:
    assert sec.rule_label("Chỉ tiêu về công tác kiểm tra, giám sát") == "plan.targets"
    assert sec.rule_label("Nguyên nhân của hạn chế") == "assessment.causes"
    assert sec.rule_label("3. Công tác kiểm tra", "plan.tasks") == "plan.tasks"
    assert sec.rule_label("* Nguyên nhân", "assessment.weaknesses") == "assessment.causes"
    assert sec.rule_label("CONG TAC DAN VAN") == "party_building.mass_mobilization"
    assert sec.rule_label("Lorem ipsum") is None
    assert sec.satisfies("party_building.inspection", "party_building")
    assert not sec.satisfies("party_building", "party_building.inspection")
    assert sec.parent_of("plan.targets") == "plan"
    tax = sec.taxonomy()["labels"]
    assert all({"vi", "en", "parent", "words"} <= set(v) for v in tax.values())


def test_paragraph_cues() -> None:
    assert sec.paragraph_cue("Trên đây là báo cáo chính trị của Chi bộ 1 ... trình Đại hội./.") \
        == "closing"
    assert sec.paragraph_cue("Kính thưa Đoàn Chủ tịch!") == "speech.greeting"
    assert sec.paragraph_cue("Xin trân trọng cảm ơn!") == "speech.closing"
    speech = ["Kính thưa Đoàn Chủ tịch!", "Hôm nay, tôi rất vinh dự được trình bày tham luận.",
              "Tuy nhiên, tôi cũng có một số ý kiến kiến nghị Đảng bộ:", "Xin trân trọng cảm ơn!"]
    assert sec.label_paragraphs(speech, "speech") == [
        "speech.greeting", "speech.body", "speech.recommendations", "speech.closing"]
    news = ["Thứ Năm, 28/05/2020|16:38", "x" * 120, "Ảnh", "y" * 50]
    assert sec.label_paragraphs(news, "news") == [None, "news.lead", "news.body", "news.body"]
    assert sec.label_paragraphs([], "news") == []
    assert sec.label_paragraphs(["Trên đây là báo cáo kết quả ..."], "political_report") \
        == ["closing"]


def test_train_command_end_to_end(records: list[dict], tmp_path: Path) -> None:
    keep = {"corpus:004", "corpus:001"} | {r["doc"] for r in records
                                           if r["doc"].startswith(("c001_", "c002_", "c003_"))}
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                            for r in records if r["doc"] in keep), encoding="utf-8")
    out = tmp_path / "model"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "sections", "--data", str(data),
         "--out", str(out), "--folds", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "CV accuracy" in proc.stdout
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Document-level cross-validation (2 folds" in card
    clf = sec.SectionClassifier.load(out / "model.json")
    (label, conf), = clf.predict([sec.SectionInput("Ưu điểm", "", "III. ĐÁNH GIÁ CHUNG")])
    assert label in sec.labels() and 0.0 <= conf <= 1.0
