"""Paragraphs from bare lines of text (no geometry): TXT files, HTML <pre>, converter output.

Real text files come in two shapes, often mixed in one file: one paragraph per line (exported
from Word or the web), and hard-wrapped lines at a fixed width (pasted out of a PDF), sometimes
with a blank line after every line. A line is joined to the next only when it is wrapped (close
to the typical width) and the next line does not start a bullet or a numbered heading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from statistics import quantiles

from pipeline.ingest.numbering import (
    ends_with_spaced_dash,
    is_bullet,
    is_paragraph_start,
    join_wrapped,
    token_cut,
)
from pipeline.model import Block

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^(?:Trang|trang)\s+\d{1,3}(?:\s*/\s*\d+)?$")
_SENTENCE_END = re.compile(r"[.!?:;…”\"]$")


def is_all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def lines_to_blocks(lines: Iterable[str]) -> list[Block]:
    """Rebuild paragraphs from raw lines; running headers and page numbers are dropped."""
    raw = [line.rstrip() for line in lines]
    stripped = [line.strip() for line in raw]
    double_spaced = _is_double_spaced(stripped)
    running = _running_lines(stripped)
    width = _typical_width(stripped)

    paragraphs: list[list[str]] = []
    previous: str | None = None  # last kept non-blank line, while a paragraph is open
    for line in stripped:
        if not line:
            if not double_spaced:
                previous = None
            continue
        if line in running or _PAGE_NUMBER.match(line):
            continue
        if previous is not None and _continues(paragraphs[-1][0], previous, line, width):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        previous = line

    blocks = []
    for parts in paragraphs:
        text = parts[0]
        for part in parts[1:]:
            text = join_wrapped(text, part)
        kind = "list_item" if is_bullet(text) else "paragraph"
        blocks.append(Block(text=text, kind=kind))
    return blocks


def _continues(first: str, previous: str, line: str, width: int) -> bool:
    """Is `line` the continuation of the paragraph that opened with `first` and whose last line
    so far is `previous`?"""
    if token_cut(previous, line):
        return True
    if ends_with_spaced_dash(previous) and line[:1] in "-–":
        return True  # "công nghiệp -" / "- xây dựng" is one phrase, not a new bullet
    if is_all_caps(previous) and is_all_caps(line) and not _SENTENCE_END.search(previous):
        # A title wrapped over several centred lines, each shorter than the text width.
        return len(previous) >= 0.5 * min(width, 100) and not is_paragraph_start(line)
    if not _is_wrapped(previous, width):
        return False
    if is_paragraph_start(line):
        return False
    if is_paragraph_start(first) and _SENTENCE_END.search(previous):
        # A bullet or a numbered heading is one sentence: its end closes the paragraph.
        return False
    if is_all_caps(previous) != is_all_caps(line) and _SENTENCE_END.search(previous):
        return False
    return True


def _is_wrapped(line: str, width: int) -> bool:
    # A wrapped line fills the width; a paragraph's last line (or a whole-paragraph line, much
    # longer than the width) does not need the next one.
    return 0.72 * width <= len(line) <= 1.25 * width


def _typical_width(lines: list[str]) -> int:
    """The width the text was wrapped at, or a huge number when it was not hard-wrapped."""
    no_wrapping = 10**6
    lengths = [len(line) for line in lines if 20 <= len(line) <= 160]
    if len(lengths) < 8:
        return no_wrapping  # too few lines to tell: every line is its own paragraph
    width = int(quantiles(lengths, n=10)[7])  # the 80th percentile: most wrapped lines are full
    nonblank = sum(1 for line in lines if line)
    full = [line for line in lines if line and _is_wrapped(line, width)]
    # In hard-wrapped text most lines fill the width; in one-paragraph-per-line text the
    # lengths are spread out and a "width" is an accident of the headings' lengths.
    if len(full) < 0.35 * nonblank:
        return no_wrapping
    # Hard-wrapped text keeps its words in full lines. When lines far longer than that "width"
    # hold as much text as the full lines, the paragraphs are whole lines and the "width" came
    # from a short document's letterhead, title and headings (which must stay lines of their own).
    overlong = sum(len(line) for line in lines if len(line) > 1.5 * width)
    return width if overlong < 0.5 * sum(len(line) for line in full) else no_wrapping


def _is_double_spaced(lines: list[str]) -> bool:
    """A blank line after nearly every line: the blanks carry no paragraph information."""
    nonblank = sum(1 for line in lines if line)
    followed = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a and not b)
    return nonblank >= 10 and followed >= 0.6 * nonblank


def _running_lines(lines: list[str]) -> set[str]:
    """Short lines repeated many times with nothing else: running headers such as DỰ THẢO."""
    counts = Counter(line for line in lines if 0 < len(line) <= 40)
    return {
        line
        for line, n in counts.items()
        if n >= 3 and is_all_caps(line) and not is_paragraph_start(line)
    }
