"""The search index's matching forms. `exact`: the paragraph as written, tone placement unified
("hoà" = "hòa"). `fold`: accent- and case-insensitive words that keep character offsets.

`fold` is `pipeline.ingest.normalize.fold_same_length`: every character folded on its own, so
the folded text has exactly the length of the original and a match found in it can be
highlighted in the original ("dang vien" -> "Đảng viên" at the same offsets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from pipeline.ingest.normalize import fold_same_length, match_form

WORD_RE = re.compile(r"\w+")
# From this many characters on, `fold` maps code points with numpy: str.translate looks every
# character up in a dict (~100 ns each), seconds for a corpus folded in one piece.
LONG_TEXT = 1 << 16
_SLICE = 1 << 22  # characters mapped at a time (bounds the temporary arrays to ~50 MB)


def fold(text: str) -> str:
    """`pipeline.ingest.normalize.fold_same_length`: lower case, no marks, đ -> d, character
    by character (same length). Long texts take a faster path with the same result: each
    distinct character is folded by `fold_same_length` itself, then mapped with numpy."""
    if len(text) < LONG_TEXT or text.isascii():
        return fold_same_length(text)
    return "".join(_fold_slice(text[i:i + _SLICE]) for i in range(0, len(text), _SLICE))


def _fold_slice(text: str) -> str:
    return from_codes(fold_codes(text))


def fold_codes(text: str) -> np.ndarray:
    """The code points of `fold(text)` as a numpy array (uint32), computed with numpy: each
    distinct character is folded once by `fold_same_length`."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) == 0:
        return codes
    distinct = np.flatnonzero(np.bincount(codes))
    folded = fold_same_length("".join(map(chr, distinct.tolist())))
    table = np.zeros(int(distinct[-1]) + 1, dtype=np.uint32)
    table[distinct] = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return table[codes]


def from_codes(codes: np.ndarray) -> str:
    return codes.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def exact(text: str) -> str:
    """The "exact" column of the index: the verbatim text in its matching form (one tone
    placement, so "hoà" and "hòa" are the same exact word), same length as `text`."""
    return match_form(text)


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word (syllable) of `text`."""
    folded = fold(text)
    for m in WORD_RE.finditer(folded):
        yield m.start(), m.end(), m.group()
