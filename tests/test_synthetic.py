"""The synthetic corpus is what its committed generator makes, is labelled synthetic, and
carries its metadata twice (title block and sidecar) and its ground truth."""

from __future__ import annotations

import importlib.util
import json
import sys
from difflib import SequenceMatcher
from pathlib import Path

import yaml
from corpus_fixtures import SYNTHETIC, synthetic_truth
from docx import Document

from conftest import CORPUS

SIDECAR_KEYS = ["unit", "unit_level", "parent", "province", "term", "year", "date", "doc_type",
                "draft"]


def _generator():  # noqa: ANN202 - a module loaded from a file
    spec = importlib.util.spec_from_file_location("make_synthetic", CORPUS / "make_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # its dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def test_the_committed_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    _generator().generate(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in SYNTHETIC.iterdir() if p.name != "README.md")
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_bytes() == (SYNTHETIC / name).read_bytes(), name


def test_it_is_labelled_synthetic_and_sized_for_make_run() -> None:
    readme = (SYNTHETIC / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "make_synthetic.py" in readme
    truth = synthetic_truth()
    assert truth["synthetic"] is True
    files = sorted(SYNTHETIC.glob("*.docx"))
    assert 30 <= len(files) <= 40 and not list(SYNTHETIC.glob("*.pdf"))
    assert [f.name for f in files] == sorted(d["file"] for d in truth["documents"])
    units = {d["meta"]["unit"] for d in truth["documents"]}
    levels = {d["meta"]["unit_level"] for d in truth["documents"]}
    provinces = {d["meta"]["province"] for d in truth["documents"]}
    terms = {d["meta"]["term"] for d in truth["documents"]}
    assert len(units) >= 15 and len(levels) >= 4 and len(provinces) >= 6
    assert terms == {"2015-2020", "2020-2025", "2025-2030"}
    for f in files:
        assert "SYNTHETIC" in Document(str(f)).core_properties.title


def test_metadata_in_the_title_block_and_in_the_sidecar() -> None:
    for d in synthetic_truth()["documents"]:
        path = SYNTHETIC / d["file"]
        sidecar = yaml.safe_load(path.with_name(path.stem + ".meta.yaml").read_text("utf-8"))
        assert list(sidecar) == SIDECAR_KEYS and sidecar == d["meta"]
        lines = [p.text for p in Document(str(path)).paragraphs]
        meta = d["meta"]
        assert meta["unit"].upper() in lines[:3]
        assert "BÁO CÁO CHÍNH TRỊ" in lines
        term = meta["term"].replace("-", " - ")
        assert any(line.startswith("CỦA BAN CHẤP HÀNH") and line.endswith(f"NHIỆM KỲ {term}")
                   for line in lines)
        year, month, day = meta["date"].split("-")
        assert any(line.endswith(f"ngày {day} tháng {month} năm {year}") for line in lines)
        assert ("DỰ THẢO" in lines) == meta["draft"]


def test_planted_copies_and_missing_sections_are_in_the_documents() -> None:
    truth = synthetic_truth()
    texts = {d["file"].removesuffix(".docx"): [p.text for p in Document(
        str(SYNTHETIC / d["file"])).paragraphs] for d in truth["documents"]}
    copies = truth["copies"]
    assert len(copies) >= 30
    for c in copies:
        assert c["source_text"] in texts[c["source_doc"]]
        assert c["target_text"] in texts[c["target_doc"]]
        if c["edited"]:
            ratio = SequenceMatcher(None, c["source_text"].split(), c["target_text"].split())
            assert c["source_text"] != c["target_text"] and ratio.ratio() >= 0.6
        else:
            assert c["source_text"] == c["target_text"]
    assert {(c["relation"], c["edited"]) for c in copies} == {
        ("self_reuse", True), ("self_reuse", False), ("cross_unit", True), ("cross_unit", False)}
    for d in truth["documents"]:
        labels = {p["label"] for p in d["paragraphs"]}
        assert not set(d["missing_sections"]) & labels
    assert sum(bool(d["missing_sections"]) for d in truth["documents"]) >= 6
    json.dumps(truth)  # plain JSON all the way down
