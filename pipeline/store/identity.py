"""A document is its text, not its file: the same report saved as TXT, DOCX and PDF, reached by
a relative and an absolute path, or copied to another folder, is one document with several
files.

The text — paragraphs, table cells and footnotes, in any order — is compared in its matching
form (`pipeline.store.folding.fold`: lower case, no marks, đ -> d, words only, converters'
footnote markers dropped), so a PDF that lost a running header, or a TXT with its tables and
footnotes inline, still matches. Two checks, cheap first:

- `key`: SHA-256 of the matching form's words — equal keys, same document;
- `sketch`: the `SKETCH_SIZE` smallest 64-bit hashes of the text's 5-word shingles (a bottom-k
  MinHash sketch, Broder 1997). The sketches of two texts estimate the Jaccard similarity of
  their shingle sets; near-identical texts (`SAME_JACCARD`) of similar length are one
  document. The store indexes each sketch hash, so finding candidates is one indexed query.

Metadata decides against a merge: two units' or two terms' reports stay two documents however
alike their text. A draft and a final version are one document only when their texts are all
but identical (`DRAFT_JACCARD`): a TXT copy loses the "DỰ THẢO" stamp of its DOCX, while a
final version that changed a few sentences is already below that (`threshold`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.model import PARAGRAPH_SEPARATOR, Document
from pipeline.store.folding import WORD_RE, fold

SKETCH_SIZE = 64
SHINGLE = 5
SAME_JACCARD = 0.85  # PDF vs DOCX of a real report: 0.997; TXT vs DOCX: 0.979
DRAFT_JACCARD = 0.97  # a draft and a final: one changed word in 100 gives ~0.95
LENGTH_RATIO = 0.9  # shorter text / longer text, in words

# Which file's analysis a document keeps when it has several: the richest source first (styles
# and numbering in DOCX; PDF layout is reconstructed).
FORMAT_RANK = {"docx": 0, "odt": 1, "doc": 2, "rtf": 3, "html": 4, "txt": 5, "pdf": 6}


@dataclass(frozen=True)
class Identity:
    key: str
    n_words: int
    sketch: tuple[int, ...]  # sorted, signed 64-bit (SQLite integers)


def _hash64(text: str) -> int:
    # Stable across processes and versions (stored in the database): not Python's hash().
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


# Footnote markers left in the text by converters ("văn bản[footnoteRef:1] về", "[^1]"): the
# DOCX holds the same footnote apart, so the marker is no part of the text.
_FOOTNOTE_MARK = re.compile(r"\[(?:footnoteRef:|\^)\d+\]")


def matching_words(text: str) -> list[str]:
    return WORD_RE.findall(fold(_FOOTNOTE_MARK.sub(" ", text)))


def document_parts(doc: Document) -> list[str]:
    """What a document says, in pieces whose order does not matter: its paragraphs, each table
    cell and each footnote (a TXT copy holds its tables and footnotes inline, a DOCX apart)."""
    return [*doc.text.split(PARAGRAPH_SEPARATOR),
            *(cell for table in doc.tables for row in table.rows for cell in row),
            *(note.text for note in doc.footnotes)]


def identity(parts: Iterable[str] | str) -> Identity:
    """The identity of a text given as pieces (paragraphs, cells, footnotes). Shingles stay
    inside one piece, so where a table or a footnote sits does not change them."""
    pieces = [parts] if isinstance(parts, str) else list(parts)
    words_of = [matching_words(p) for p in pieces]
    words = [w for ws in words_of for w in ws]
    # The key does not depend on the order of the pieces either.
    key = hashlib.sha256("\n".join(sorted(" ".join(ws) for ws in words_of if ws))
                         .encode("utf-8")).hexdigest()
    shingles: set[str] = set()
    for ws in words_of:
        if len(ws) < SHINGLE:
            if ws:
                shingles.add(" ".join(ws))
        else:
            shingles.update(" ".join(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1))
    sketch = tuple(sorted({_hash64(s) for s in shingles})[:SKETCH_SIZE])
    return Identity(key, len(words), sketch)


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    k = min(SKETCH_SIZE, len(set(a) | set(b)))
    union_k = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for h in union_k if h in both) / k


def same_text(a: Identity, b_key: str, b_words: int, b_sketch: Sequence[int],
              threshold: float = SAME_JACCARD) -> bool:
    if a.key == b_key:
        return True
    if min(a.n_words, b_words) < LENGTH_RATIO * max(a.n_words, b_words):
        return False
    return jaccard(a.sketch, b_sketch) >= threshold


def _differ(a: dict[str, object], b: dict[str, object], field: str) -> bool:
    x, y = a.get(field), b.get(field)
    return x is not None and y is not None and x != y


def threshold(a: dict[str, object], b: dict[str, object]) -> float | None:
    """The Jaccard similarity two texts need to be one document, given their metadata; None
    when they never are (both state a different unit or term)."""
    if _differ(a, b, "unit_folded") or _differ(a, b, "term"):
        return None
    return DRAFT_JACCARD if _differ(a, b, "draft") else SAME_JACCARD


def format_rank(fmt: str | None) -> int:
    return FORMAT_RANK.get(fmt or "", len(FORMAT_RANK))
