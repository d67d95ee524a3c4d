"""OCR of a scanned report: a real page image in a PDF with no text layer, read by Tesseract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from conftest import ROOT, corpus_file, require_tool
from pipeline.errors import IngestError
from pipeline.ingest import Limits, load

sys.path.insert(0, str(ROOT / "benchmarks"))
from fidelity import body, truth  # noqa: E402


@pytest.fixture(scope="module")
def scanned_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 of the speech, rendered at 150 dpi and saved as an image-only PDF (a scan)."""
    from PIL import Image

    d = tmp_path_factory.mktemp("scan")
    subprocess.run([require_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1",
                    "-singlefile", str(corpus_file("pdf", "001_11fa4c8372dfa292")),
                    str(d / "page")], check=True)
    target = d / "tham_luan_scan.pdf"
    Image.open(d / "page.png").convert("RGB").save(target, "PDF", resolution=150)
    return target


def test_a_scan_without_ocr_says_ocr_is_needed(scanned_speech: Path) -> None:
    with pytest.raises(IngestError) as info:
        load(scanned_speech)
    assert info.value.code == "no_text_layer"
    assert "OCR" in info.value.message("en")


def test_ocr_reads_the_scan_in_vietnamese(scanned_speech: Path) -> None:
    require_tool("tesseract")
    doc = load(scanned_speech, Limits(ocr=True))
    assert doc.properties["ocr"]["lang"] == "vie"
    assert doc.pages == 1 and all(b.page == 1 for b in doc.blocks)
    texts = [b.text for b in doc.blocks]
    assert "Kính thưa Đoàn Chủ tịch!" in texts
    # Character error rate against the same text in the truth, over what page 1 holds.
    gold = body([p["text"] for p in truth("001_11fa4c8372dfa292")["paragraphs"]])
    gold = gold[: len(doc.text)]
    assert Levenshtein.distance(gold, doc.text) / len(gold) < 0.05
