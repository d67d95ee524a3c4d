"""Accent- and case-insensitive text that keeps character offsets.

`pipeline.ingest.normalize.fold_diacritics` folds a whole string; here every character is
folded on its own, so the folded text has exactly the length of the original and a match found
in it can be highlighted in the original ("dang vien" -> "Đảng viên" at the same offsets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.ingest.normalize import fold_diacritics

WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold_diacritics(ch)
    # A character whose folding is not one character ("ǅ", "İ") keeps its lower case or itself.
    if len(folded) == 1:
        return folded
    low = ch.lower()
    return low if len(low) == 1 else ch


# ord(char) -> folded char, for every character met so far whose folding differs: str.translate
# then folds a whole text at C speed.
_TABLE: dict[int, str] = {}
_SEEN: set[str] = set()


def fold(text: str) -> str:
    """Lower case, no marks, đ -> d; `len(fold(s)) == len(s)`."""
    if text.isascii():
        return text.lower()
    new = set(text) - _SEEN
    if new:
        for ch in new:
            folded = _fold_char(ch)
            if folded != ch:
                _TABLE[ord(ch)] = folded
        _SEEN.update(new)
    return text.translate(_TABLE)


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word (syllable) of `text`."""
    folded = fold(text)
    for m in WORD_RE.finditer(folded):
        yield m.start(), m.end(), m.group()
