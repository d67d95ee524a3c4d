"""Accent- and case-insensitive words that keep character offsets, for the full-text index.

`fold` is `pipeline.ingest.normalize.fold_same_length`: every character folded on its own, so
the folded text has exactly the length of the original and a match found in it can be
highlighted in the original ("dang vien" -> "Đảng viên" at the same offsets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.ingest.normalize import fold_same_length as fold

WORD_RE = re.compile(r"\w+")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word (syllable) of `text`."""
    folded = fold(text)
    for m in WORD_RE.finditer(folded):
        yield m.start(), m.end(), m.group()
