"""PLACEHOLDER - replaced by the normalisation work (NFC only for now)."""

from __future__ import annotations

import re
import unicodedata

from pipeline.model import Document


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def normalize_document(doc: Document) -> None:
    for b in doc.blocks:
        b.text = clean_text(b.text)
    doc.blocks = [b for b in doc.blocks if b.text]
    for t in doc.tables:
        t.rows = [[clean_text(c) for c in row] for row in t.rows]
    for f in doc.footnotes:
        f.text = clean_text(f.text)
