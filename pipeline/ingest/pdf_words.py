"""Word spaces where the glyph geometry cannot tell: Vietnamese syllable structure decides.

When a PDF's font lacks Vietnamese letters, LibreOffice and Word draw them from a fallback font
whose glyph boxes do not match the advance used for layout. At such a font switch the gap
between two glyphs says nothing reliable: "SỰ CHỈ" has as narrow a gap as "LỰC", and
"quyết" can show a gap as wide as a word space. Every Vietnamese word is one syllable of a
strict shape (onset, one to three vowels, an optional final), so a run of letters cut only at
font switches is split into valid syllables, in the fewest pieces; if it cannot be, the
geometric decision stands.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(ch|nh|ng|[cmnpt])?$"
)
# Punctuation that never takes a space before it (after a letter) or after it.
CLOSING = set(",.;:!?)]}”’%…")
OPENING = set("([{“‘")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True if `word` (any case, with tone marks) has the shape of one Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", bare)))


def split_syllables(pieces: list[str]) -> list[bool] | None:
    """Where to put spaces between `pieces` (letters cut at font switches).

    Returns one flag per boundary (True: a space) for the segmentation into valid syllables
    with the fewest words, or None when no such segmentation exists.
    """
    n = len(pieces)
    # best[i]: (words, flags) for pieces[:i]
    best: list[tuple[int, list[bool]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for end in range(1, n + 1):
        for start in range(end):
            prev = best[start]
            if prev is None or not is_syllable("".join(pieces[start:end])):
                continue
            flags = prev[1] + ([True] if start > 0 else []) + [False] * (end - start - 1)
            if best[end] is None or prev[0] + 1 < best[end][0]:  # type: ignore[index]
                best[end] = (prev[0] + 1, flags)
    found = best[n]
    return found[1] if found else None
