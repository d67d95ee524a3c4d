"""The committed sample corpus (corpus/docx, corpus/pdf, corpus/truth) is complete and consistent.

These tests read the committed files; they do not run LibreOffice. They check that the truth
covers the seed text, that the DOCX holds exactly the truth (paragraphs, tables, real footnotes,
automatic numbering) and that the PDFs open, have plausible page counts and print footnotes at
the bottom of a page. Rebuild with ``python corpus/build.py`` after changing a seed or a spec.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from lxml import etree

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STEMS = sorted(p.stem for p in (CORPUS / "seeds").glob("*.txt"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Page counts of the committed PDFs may move a little if LibreOffice or fonts change on rebuild.
PAGE_RANGES = {
    "000_4435fb2a97849b7c": (30, 45),
    "001_11fa4c8372dfa292": (1, 4),
    "002_38c4a49bff4fa329": (2, 6),
    "003_40d47c00f05e2e60": (2, 6),
    "004_73f20699863736da": (9, 16),
}


def nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def truth(stem: str) -> dict:
    return json.loads((CORPUS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))


def seed_words(stem: str) -> list[str]:
    """Seed words a reader must reproduce: no page furniture, markup or photo placeholders."""
    out: list[str] = []
    for line in (CORPUS / "seeds" / f"{stem}.txt").read_text(encoding="utf-8").split("\n"):
        s = line.strip()
        if re.fullmatch(r"\d{1,3}", s) or s in ("DỰ THẢO", "img"):
            continue
        s = re.sub(r"\[bookmark: [^\]]*\]", " ", s)
        s = re.sub(r"\[footnoteRef:\d+\]", " ", s)
        s = re.sub(r"\[\d+:\s", " ", s)
        out.extend(words(s))
    return out


def truth_words(t: dict) -> list[str]:
    out = [w for p in t["paragraphs"] for w in words(p["text"])]
    out += [w for tb in t["tables"] for row in tb["rows"] for cell in row for w in words(cell)]
    out += [w for f in t["footnotes"] for w in words(f["text"])]
    return out


def test_every_seed_has_docx_pdf_and_truth() -> None:
    assert len(STEMS) == 5
    for stem in STEMS:
        for sub, ext in (("docx", "docx"), ("pdf", "pdf"), ("truth", "json")):
            path = CORPUS / sub / f"{stem}.{ext}"
            assert path.is_file() and path.stat().st_size > 1000, path


@pytest.mark.parametrize("stem", STEMS)
def test_truth_covers_the_seed_words(stem: str) -> None:
    seed = Counter(seed_words(stem))
    got = Counter(truth_words(truth(stem)))
    covered = sum(min(n, got[w]) for w, n in seed.items())
    assert covered / sum(seed.values()) >= 0.97
    # And the truth invents nothing: every truth word is a seed word.
    assert sum((got - seed).values()) / sum(got.values()) < 0.01


@pytest.mark.parametrize("stem", STEMS)
def test_truth_text_is_clean(stem: str) -> None:
    t = truth(stem)
    assert t["source"] == f"seeds/{stem}.txt"
    for p in t["paragraphs"]:
        assert p["text"] == nfc(p["text"]) and p["text"]
        assert "[footnoteRef" not in p["text"] and "[bookmark" not in p["text"]
        assert p["kind"] in ("heading", "list_item", "paragraph")
        assert (p["level"] is not None) == (p["kind"] == "heading")
    for tb in t["tables"]:
        assert -1 <= tb["after_paragraph"] < len(t["paragraphs"])
        assert len({len(r) for r in tb["rows"]}) == 1  # rectangular
    for f in t["footnotes"]:
        assert 0 <= f["paragraph"] < len(t["paragraphs"]) and f["text"]


def test_report_000_keeps_its_real_defects() -> None:
    t = truth("000_4435fb2a97849b7c")
    texts = [p["text"] for p in t["paragraphs"]]
    assert t["running_header"] == "DỰ THẢO" and "DỰ THẢO" not in texts
    # The bullet repeated in "Những hạn chế" and again in the duplicated tail stays.
    dup = "- Chưa được bồi dưỡng về nghiệp vụ công tác đảng, thiếu kinh nghiệm"
    assert sum(x.startswith(dup) for x in texts) == 3
    assert any("Nghị quyết Trung ương 4 khóa XII, XIII" in x and "05-CT/TW" in x for x in texts)
    assert any(x.startswith("https://thuvienphapluat.vn/") for x in texts)
    revenue = t["tables"][0]
    assert revenue["rows"][0] == ["STT", "Nội dung", "2024", "2023", "2022", "2021"]
    assert revenue["rows"][-1] == ["", "Cộng", "51.276", "47.707", "57.836", ""]
    assert revenue["merges"] == [{"row": 3, "col": 0, "rowspan": 3}]
    measured = t["tables"][2]["rows"]
    assert measured[-1] == ["Cộng", "160", "2302"]  # 53 + 54 + 54 = 161: kept as printed
    (note,) = t["footnotes"]
    assert note == {
        "id": "1",
        "text": "Tính đến ngày 31/3/2025",
        "paragraph": note["paragraph"],
        "table": 3,
        "row": 6,
        "col": 0,
        "offset": 4,
    }


def docx_body(stem: str) -> tuple[list[str], list[list[list[str]]], int]:
    doc = Document(str(CORPUS / "docx" / f"{stem}.docx"))
    paras = [nfc(p.text) for p in doc.paragraphs if nfc(p.text)]
    tables = [[[nfc(c.text) for c in row.cells] for row in tb.rows] for tb in doc.tables]
    numbered = len(doc.element.body.findall(f".//{W}numPr"))
    return paras, tables, numbered


@pytest.mark.parametrize("stem", STEMS)
def test_docx_holds_exactly_the_truth(stem: str) -> None:
    t = truth(stem)
    paras, tables, numbered = docx_body(stem)
    expected = []
    for p in t["paragraphs"]:
        label = (p["numbering"] or {}).get("label")
        # Word prints automatic numbers; the DOCX text itself must not contain them.
        expected.append(p["text"][len(label) + 1 :] if label else p["text"])
    assert paras == expected
    assert numbered == sum(1 for p in t["paragraphs"] if p["numbering"])
    assert len(tables) == len(t["tables"])
    for got, want in zip(tables, t["tables"], strict=True):
        merged = {
            (m["row"] + k, m["col"]) for m in want.get("merges", []) for k in range(1, m["rowspan"])
        }
        for r, row in enumerate(want["rows"]):
            for c, cell in enumerate(row):
                if (r, c) not in merged:
                    assert got[r][c] == cell, (r, c)


def test_docx_004_uses_word_automatic_numbering() -> None:
    stem = "004_73f20699863736da"
    t = truth(stem)
    auto = [p for p in t["paragraphs"] if p["numbering"]]
    labels = [p["numbering"]["label"] for p in auto]
    assert labels[:2] == ["I.", "1."] and labels.count("I.") == 2  # restarts in Phần thứ hai
    with zipfile.ZipFile(CORPUS / "docx" / f"{stem}.docx") as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    formats = {e.get(f"{W}val") for e in numbering.iter(f"{W}numFmt")}
    assert {"upperRoman", "decimal"} <= formats
    assert numbering.findall(f".//{W}startOverride")


@pytest.mark.parametrize("stem", ["000_4435fb2a97849b7c", "004_73f20699863736da"])
def test_docx_has_real_footnotes(stem: str) -> None:
    t = truth(stem)
    with zipfile.ZipFile(CORPUS / "docx" / f"{stem}.docx") as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        document = etree.fromstring(z.read("word/document.xml"))
        content_types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "footnotes+xml" in content_types and "relationships/footnotes" in rels
    bodies = {
        n.get(f"{W}id"): nfc("".join(n.itertext()))
        for n in notes.iter(f"{W}footnote")
        if n.get(f"{W}type") is None
    }
    assert bodies == {f["id"]: f["text"] for f in t["footnotes"]}
    refs = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert refs == [f["id"] for f in t["footnotes"]]


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_opens_with_expected_pages(stem: str) -> None:
    low, high = PAGE_RANGES[stem]
    with pdfplumber.open(CORPUS / "pdf" / f"{stem}.pdf") as pdf:
        assert low <= len(pdf.pages) <= high
        text = "".join(page.extract_text() or "" for page in pdf.pages[:2])
    # The document starts with the truth's first paragraph (no invented title block).
    t = truth(stem)
    first = " ".join(words(t["paragraphs"][0]["text"])[:3])
    printed = " ".join(words(text))
    if t["running_header"]:
        header = " ".join(words(t["running_header"]))
        assert printed.startswith(header)
        printed = printed[len(header) :].lstrip()
    assert printed.startswith(first)


@pytest.mark.parametrize("stem", ["000_4435fb2a97849b7c", "004_73f20699863736da"])
def test_pdf_prints_footnotes_at_page_bottom_and_page_furniture(stem: str) -> None:
    t = truth(stem)
    with pdfplumber.open(CORPUS / "pdf" / f"{stem}.pdf") as pdf:
        pages = [(p, p.extract_text() or "") for p in pdf.pages]
        for note in t["footnotes"]:
            head = " ".join(note["text"].split()[:4])
            hits = [(p, tx) for p, tx in pages if head in nfc(tx)]
            assert hits, note["id"]
            page = hits[0][0]
            lines = [w for w in page.extract_words() if w["text"] == note["text"].split()[0]]
            assert any(w["top"] > page.height * 0.5 for w in lines)
        for number, (_page, text) in enumerate(pages, 1):
            lines = [nfc(x) for x in text.split("\n") if nfc(x)]
            assert str(number) in lines[-3:]  # PAGE field in the footer
            if t["running_header"]:
                assert lines[0] == t["running_header"]


def test_truth_matches_the_build_script() -> None:
    """The committed truth is what corpus/build.py produces from the seeds and specs today."""
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(build)
        for stem in STEMS:
            assert build.build_truth(build.parse_seed(stem)) == truth(stem), stem
    finally:
        del sys.modules[spec.name]
