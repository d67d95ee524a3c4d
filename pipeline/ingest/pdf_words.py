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
    r"^(?P<onset>ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(?P<nucleus>[aăâeêioôơuưy]{1,3})"
    r"(?P<final>ch|nh|ng|[cmnpt])?$"
)
# Vowel groups that occur in Vietnamese syllables; those in _NEEDS_FINAL never end one.
_NUCLEI = set(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu".split()
)
_NEEDS_FINAL = {"ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă", "uâ"}

# Punctuation that never takes a space before it (after a letter) or after it.
CLOSING = set(",.;:!?)]}”’%…")
OPENING = set("([{“‘")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True if `word` (any case, with tone marks) has the shape of one Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    m = _SYLLABLE.match(bare)
    if m is None:
        return False
    nucleus = m.group("nucleus")
    if nucleus not in _NUCLEI:
        return False
    return not (nucleus in _NEEDS_FINAL and m.group("final") is None)


def split_syllables(pieces: list[str], gaps: list[float] | None = None) -> list[bool] | None:
    """Where to put spaces between `pieces` (letters cut at uncertain boundaries).

    Returns one flag per boundary (True: a space) for the segmentation into valid syllables
    with the fewest words; between equals, the one whose spaces fall on the widest gaps
    ("Đảng ủy", not "Đả ngủy"). None when no segmentation into syllables exists.
    """
    n = len(pieces)
    if is_syllable("".join(pieces)):
        return [False] * (n - 1)  # one word: the fewest there can be
    gaps = gaps if gaps is not None else [0.0] * (n - 1)
    # best[i]: (words, -sum of gaps at spaces, flags) for pieces[:i]
    best: list[tuple[int, float, list[bool]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, [])
    for end in range(1, n + 1):
        for start in range(end):
            prev = best[start]
            if prev is None or not is_syllable("".join(pieces[start:end])):
                continue
            gap = gaps[start - 1] if start > 0 else 0.0
            flags = prev[2] + ([True] if start > 0 else []) + [False] * (end - start - 1)
            cand = (prev[0] + 1, prev[1] - gap, flags)
            if best[end] is None or cand[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = cand
    found = best[n]
    return found[2] if found else None
