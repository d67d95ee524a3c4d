"""Text with marked spans, as safe HTML: findings in a document's paragraphs, shared text in a
pair of copied paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Mark:
    start: int  # offsets into the text being marked
    end: int
    css: str  # class of the <mark>
    title: str = ""  # tooltip
    ref: str = ""  # id, so a list elsewhere can link to the mark


def mark_text(text: str, marks: Sequence[Mark]) -> str:
    """`text` escaped, each mark wrapped in <mark>. Overlapping marks are cut where the next one
    begins, so the markup always nests."""
    out: list[str] = []
    pos = 0
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        start, end = max(m.start, pos), min(m.end, len(text))
        if end <= start:
            continue
        out.append(escape(text[pos:start]))
        attrs = f' class="{escape(m.css)}"'
        if m.title:
            attrs += f' title="{escape(m.title)}"'
        if m.ref:
            attrs += f' id="{escape(m.ref)}"'
        out.append(f"<mark{attrs}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def marks_in_paragraph(marks: Sequence[Mark], start: int, end: int) -> list[Mark]:
    """The part of each document-level mark that falls in the paragraph [start, end), with
    offsets made relative to the paragraph; the id goes to the first part only."""
    out = []
    for m in marks:
        s, e = max(m.start, start), min(m.end, end)
        if e > s:
            out.append(Mark(s - start, e - start, m.css, m.title, m.ref if s == m.start else ""))
    return out
