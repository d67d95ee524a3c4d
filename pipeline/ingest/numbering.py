"""Numbering schemes, bullets and line joins shared by every reader and by the outline.

The patterns are data (pipeline/data/numbering.yaml): the PDF reflow and the text reader use
them to start a new paragraph at a numbered heading or a bullet, the outline to nest headings.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipeline.data import load_yaml

# "101-" at a line end and "QĐ/TW" at the next start: one token cut by the wrap. Vietnamese is
# not hyphenated, so a word glued to a dash or slash at the line end is such a cut.
_TOKEN_CUT_END = re.compile(r"[\w)][-/–]$")
_SPACED_DASH_END = re.compile(r"\s[-–—]$")


@cache
def _config() -> dict[str, Any]:
    cfg = dict(load_yaml("numbering.yaml"))
    cfg["_schemes"] = [(name, re.compile(p)) for name, p in cfg["schemes"].items()]
    cfg["_bullet"] = re.compile(cfg["bullet"])
    return cfg


def numbering_scheme(text: str) -> str | None:
    """The numbering scheme `text` starts with ("part", "roman", "decimal2", ...), or None."""
    for name, pattern in _config()["_schemes"]:
        if pattern.match(text):
            return name
    return None


def strip_numbering(text: str) -> str:
    """`text` without its leading list number ("2.1. Công tác" -> "Công tác")."""
    for _, pattern in _config()["_schemes"]:
        m = pattern.match(text)
        if m:
            return text[m.end():].lstrip()
    return text


def top_level_schemes() -> set[str]:
    return set(_config()["top_level"])


def heading_schemes() -> set[str]:
    return set(_config()["heading_schemes"])


def is_bullet(text: str) -> bool:
    """A bullet item ("- Tuổi bình quân ...", "+Ứng dụng ..."); a lone "-" is not."""
    return bool(_config()["_bullet"].match(text))


def is_paragraph_start(text: str) -> bool:
    """Does a line open a new paragraph by its first characters (bullet, list number)?"""
    return is_bullet(text) or numbering_scheme(text) is not None


def token_cut(left: str, right: str) -> bool:
    """Was one token ("101-QĐ/TW") cut between the end of `left` and the start of `right`?"""
    left, right = left.rstrip(), right.lstrip()
    return bool(
        left and right and _TOKEN_CUT_END.search(left) and right[0].isalnum()
        and not _SPACED_DASH_END.search(left)
    )


def ends_with_spaced_dash(text: str) -> bool:
    """"công nghiệp -" at a line end: the phrase goes on ("- xây dựng" is not a bullet)."""
    return bool(_SPACED_DASH_END.search(text.rstrip()))


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped lines: with a space, or without one inside a token cut by the wrap."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left or right
    return left + right if token_cut(left, right) else f"{left} {right}"
