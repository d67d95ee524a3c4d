"""Text fidelity of ingest against the corpus ground truth (corpus/truth/*.json).

CER = Levenshtein distance / length of the truth, on the body text (paragraphs joined by a
blank line, whitespace runs collapsed). Tables, footnotes and running headers are not part of
the body on either side; they are checked as sets of cells and footnote texts instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from pipeline.ingest import load
from pipeline.ingest.normalize import clean_text
from pipeline.model import Document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@dataclass
class Fidelity:
    path: str
    cer: float
    paragraphs_truth: int
    paragraphs_exact: int
    cells_truth: int
    cells_found: int
    footnotes_truth: int
    footnotes_found: int
    header_in_body: bool


def truth(stem: str) -> dict:
    return json.loads((CORPUS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))


def body(paragraphs: list[str]) -> str:
    return "\n\n".join(clean_text(p) for p in paragraphs if clean_text(p))


def measure(path: Path, doc: Document | None = None) -> Fidelity:
    doc = doc or load(path)
    gold = truth(path.stem)
    gold_paragraphs = [p["text"] for p in gold["paragraphs"]]
    expected, got = body(gold_paragraphs), body([b.text for b in doc.blocks])
    cer = Levenshtein.distance(expected, got) / max(len(expected), 1)
    got_set = {clean_text(b.text) for b in doc.blocks}
    exact = sum(1 for p in gold_paragraphs if clean_text(p) in got_set)
    gold_cells = [clean_text(c) for t in gold["tables"] for row in t["rows"] for c in row]
    gold_cells = [c for c in gold_cells if c]
    got_cells = _multiset(clean_text(c) for t in doc.tables for row in t.rows for c in row)
    found_cells = 0
    for cell in gold_cells:
        if got_cells.get(cell, 0) > 0:
            got_cells[cell] -= 1
            found_cells += 1
    gold_notes = [clean_text(f["text"]) for f in gold["footnotes"]]
    got_notes = {clean_text(f.text) for f in doc.footnotes}
    header = gold.get("running_header")
    return Fidelity(
        path=str(path.relative_to(ROOT)),
        cer=cer,
        paragraphs_truth=len(gold_paragraphs),
        paragraphs_exact=exact,
        cells_truth=len(gold_cells),
        cells_found=found_cells,
        footnotes_truth=len(gold_notes),
        footnotes_found=sum(1 for n in gold_notes if n in got_notes),
        header_in_body=bool(header) and any(b.text == header for b in doc.blocks),
    )


def score(path: str, gold_paragraphs: list[str], gold_tables: list[list[list[str]]],
          gold_footnotes: list[str], header: str | None, doc: Document) -> Fidelity:
    """`measure` against gold given directly (the layout generator's), not a truth file."""
    expected, got = body(gold_paragraphs), body([b.text for b in doc.blocks])
    cer = Levenshtein.distance(expected, got) / max(len(expected), 1)
    got_set = {clean_text(b.text) for b in doc.blocks}
    gold_cells = [clean_text(c) for t in gold_tables for row in t for c in row]
    gold_cells = [c for c in gold_cells if c]
    got_cells = _multiset(clean_text(c) for t in doc.tables for row in t.rows for c in row)
    found_cells = 0
    for cell in gold_cells:
        if got_cells.get(cell, 0) > 0:
            got_cells[cell] -= 1
            found_cells += 1
    notes = [clean_text(n) for n in gold_footnotes]
    got_notes = {clean_text(f.text) for f in doc.footnotes}
    return Fidelity(
        path=path, cer=cer, paragraphs_truth=len(gold_paragraphs),
        paragraphs_exact=sum(1 for p in gold_paragraphs if clean_text(p) in got_set),
        cells_truth=len(gold_cells), cells_found=found_cells,
        footnotes_truth=len(notes), footnotes_found=sum(1 for n in notes if n in got_notes),
        header_in_body=bool(header) and any(header in b.text for b in doc.blocks),
    )


def page_numbers_in_body(doc: Document) -> int:
    """Body paragraphs that are only a page number ("3", "- 3 -", "Trang 3")."""
    return sum(1 for b in doc.blocks
               if re.fullmatch(r"(?:Trang\s*)?[-–]?\s*\d{1,4}\s*[-–]?", b.text.strip()))


def _multiset(items: object) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:  # type: ignore[attr-defined]
        counts[item] = counts.get(item, 0) + 1
    return counts


def corpus_files(kind: str) -> list[Path]:
    return sorted((CORPUS / kind).glob(f"*.{kind}"))


if __name__ == "__main__":
    for kind in ("docx", "pdf"):
        for path in corpus_files(kind):
            print(measure(path))
