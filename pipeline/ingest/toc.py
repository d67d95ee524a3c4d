"""A table of contents kept out of the body.

Entries end in dot leaders and a page number ("1. Kết quả đạt được ......... 3"), or carry a
Word TOC style; three or more in a row (with the "MỤC LỤC" / "Table of contents" heading above
them, if any) are a table of contents. Their text goes to `doc.properties["table_of_contents"]`
and the blocks are emptied, so `normalize_document` drops them and remaps the indices of
tables and footnotes as it does for any empty block.
"""

from __future__ import annotations

import re

from pipeline.model import Document

_ENTRY = re.compile(
    r"^\s*(?P<title>\S.*?)\s*(?:\.{4,}|…{2,}|(?:\.\s){4,}|·{4,}|_{4,})\s*"
    r"(?P<page>\d{1,4}|[ivxlcdm]{1,6})?\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(m[uụ]c l[uụ]c|table of contents|contents)\s*:?\s*$", re.IGNORECASE)
_MIN_ENTRIES = 3
# Every entry holds one of _ENTRY's leaders, which almost no paragraph does: looked for first
# (substring tests), they spare most paragraphs _ENTRY's lazy title, tried at every position
# (issue 16: 2 s of a 5 MB DOCX's 65,000 paragraphs, 0.1 s now; the same entries).
_LEADERS = ("....", "……", "····", "____")
_SPACED_DOTS = re.compile(r"\.\s\.\s\.\s\.")


def _is_entry(text: str, style: str | None) -> bool:
    leader = any(leader in text for leader in _LEADERS) or _SPACED_DOTS.search(text)
    return bool(leader and _ENTRY.match(text)) or bool(style and style.lower().startswith("toc"))


def strip_table_of_contents(doc: Document) -> None:
    """Find runs of table-of-contents entries among `doc.blocks` and take them out."""
    blocks = doc.blocks
    entries: list[dict[str, str | None]] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _is_entry(blocks[j].text, getattr(blocks[j], "style", None)):
            j += 1
        if j - i >= _MIN_ENTRIES:
            start = i - 1 if i > 0 and _HEADING.match(blocks[i - 1].text) else i
            for block in blocks[i:j]:
                m = _ENTRY.match(block.text)
                title = m.group("title") if m else block.text
                entries.append({"title": " ".join(title.split()),
                                "page": m.group("page") if m else None})
            for block in blocks[start:j]:
                block.text = ""
            i = j
        else:
            i = max(j, i + 1)
    if entries:
        doc.properties["table_of_contents"] = entries
        doc.warnings.append(f"table of contents ({len(entries)} entries) kept out of the text")
