"""The search index's matching forms. `exact`: the paragraph as written, tone placement unified
("hoà" = "hòa"). `fold`: accent- and case-insensitive words that keep character offsets.

`fold` is `pipeline.ingest.normalize.fold_same_length`: every character folded on its own, so
the folded text has exactly the length of the original and a match found in it can be
highlighted in the original ("dang vien" -> "Đảng viên" at the same offsets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.ingest.normalize import fold_same_length as fold
from pipeline.ingest.normalize import match_form

WORD_RE = re.compile(r"\w+")


def exact(text: str) -> str:
    """The "exact" column of the index: the verbatim text in its matching form (one tone
    placement, so "hoà" and "hòa" are the same exact word), same length as `text`."""
    return match_form(text)


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word (syllable) of `text`."""
    folded = fold(text)
    for m in WORD_RE.finditer(folded):
        yield m.start(), m.end(), m.group()
