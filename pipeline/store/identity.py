"""A document is its text, not its file: the same report saved as TXT, DOCX and PDF, reached by
a relative and an absolute path, or copied to another folder, is one document with several
files.

The text is compared in its matching form (`pipeline.store.folding.fold`: lower case, no marks,
đ -> d, words only), so a PDF that lost a running header or a TXT with other line breaks still
matches. Two checks, cheap first:

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
from collections.abc import Sequence
from dataclasses import dataclass

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


def matching_words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


def identity(text: str) -> Identity:
    words = matching_words(text)
    key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    if len(words) < SHINGLE:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
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
