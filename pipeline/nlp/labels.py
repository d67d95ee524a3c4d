"""Canonical section labels for an outline, and the doc_type of the document.

Headings are labelled by the section classifier (models/sections); a heading the model cannot
place ("1. Công tác Văn phòng" under "I. NHIỆM VỤ CHÍNH TRỊ") inherits its parent's label.
Parts of a report that are marked by set phrases rather than headings (the closing "Trên đây là
báo cáo ..."; a speech's greeting, recommendations and closing; a news article's lead) become
sections of their own from the cues in data/cues.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.model import Document
from pipeline.nlp.outline import Heading, Outline, Section

INHERIT_BELOW = 0.45  # a model label less sure than this yields to the parent's label
_CONTEXT_CHARS = 300


@cache
def _section_model() -> Any:
    from pipeline.nlp.sections import SectionClassifier

    return SectionClassifier.load()


@cache
def _doctype_model() -> Any:
    from pipeline.nlp.doctype import DocTypeClassifier

    return DocTypeClassifier.load()


@cache
def _cues() -> dict[str, Any]:
    return load_yaml("cues.yaml")


def classify_doc_type(doc: Document, headings: list[Heading]) -> tuple[str, float]:
    return _doctype_model().predict(doc.text[:1500], [h.text for h in headings])


def label_headings(doc: Document, outline: Outline, doc_type: str | None) -> None:
    from pipeline.nlp.sections import SectionInput

    headings = outline.headings
    if not headings:
        return
    parents = _parents(headings)
    inputs = [
        SectionInput(
            heading=h.text,
            context=_context(doc.text, h, headings[k + 1] if k + 1 < len(headings) else None),
            parent_heading=headings[parents[k]].text if parents[k] is not None else None,
            doc_type=doc_type,
        )
        for k, h in enumerate(headings)
    ]
    for k, (h, (label, confidence)) in enumerate(
        zip(headings, _section_model().predict(inputs), strict=True)
    ):
        parent = headings[parents[k]] if parents[k] is not None else None
        weak = label == "other" or confidence < INHERIT_BELOW
        if weak and parent is not None and parent.label not in (None, "other"):
            h.label = parent.label
            h.confidence = round((parent.confidence or 0.0) * 0.9, 3)
            h.label_source = "inherited"
        else:
            h.label, h.confidence, h.label_source = label, round(float(confidence), 3), "model"
    for section in outline.sections:
        if section.heading_index is not None:
            h = headings[section.heading_index]
            section.label, section.confidence = h.label, h.confidence


def _parents(headings: list[Heading]) -> list[int | None]:
    parents: list[int | None] = []
    stack: list[int] = []
    for k, h in enumerate(headings):
        while stack and headings[stack[-1]].level >= h.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(k)
    return parents


def _context(text: str, h: Heading, nxt: Heading | None) -> str:
    stop = nxt.start if nxt is not None else len(text)
    return " ".join(text[h.end:min(stop, h.end + _CONTEXT_CHARS)].split())


def cue_sections(doc: Document, outline: Outline, doc_type: str | None) -> list[Section]:
    """Sections marked by set phrases; the preamble gets its label here too."""
    out: list[Section] = []
    for section in outline.sections:
        if section.heading_index is None and section.level == 0:
            section.label, section.confidence = "preamble", 1.0
    offsets = doc.block_offsets()
    texts = [b.text for b in doc.blocks]
    heading_blocks = {i for h in outline.headings for i in range(h.block, h.last_block + 1)}
    cues = _cues()
    closing = _find_closing(texts, cues["closing"], heading_blocks)
    if doc_type == "speech":
        out.extend(_speech_sections(texts, offsets, cues["speech"], heading_blocks))
    elif doc_type == "news":
        out.extend(_news_sections(texts, offsets, cues["news"], heading_blocks))
    elif closing is not None:
        end = _closing_end(doc, outline, offsets, closing)
        out.append(Section(label="closing", heading=None, level=1, start=offsets[closing][0],
                           end=end, confidence=1.0))
    return out


def _matches(text: str, cue: dict[str, list[str]]) -> bool:
    low = text.lower()
    return low.startswith(tuple(cue.get("starts", []))) or any(
        c in low for c in cue.get("contains", [])
    )


def _find_closing(texts: list[str], cue: dict[str, list[str]], skip: set[int]) -> int | None:
    for i in range(len(texts) - 1, -1, -1):
        if i not in skip and _matches(texts[i], cue):
            return i
    return None


def _closing_end(doc: Document, outline: Outline, offsets: list[tuple[int, int]], i: int) -> int:
    # The closing runs to the next heading (an appendix) or the end of the text.
    start = offsets[i][0]
    later = [h.start for h in outline.headings if h.start > start]
    return _rtrim(doc.text, min(later)) if later else len(doc.text)


def _rtrim(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _speech_sections(
    texts: list[str], offsets: list[tuple[int, int]], cues: dict[str, Any], skip: set[int]
) -> list[Section]:
    """greeting | body | recommendations | closing, in that order, from the paragraph cues."""
    body_idx = [i for i in range(len(texts)) if i not in skip]
    if not body_idx:
        return []
    part_of: dict[int, str] = {}
    phase = "speech.greeting"
    for i in body_idx:
        t = texts[i]
        if phase == "speech.greeting" and not _matches(t, cues["greeting"]):
            phase = "speech.body"
        if phase in ("speech.body", "speech.recommendations") and _matches(t, cues["closing"]):
            phase = "speech.closing"
        elif phase == "speech.body" and _matches(t, cues["recommendations"]):
            phase = "speech.recommendations"
        part_of[i] = phase
    return _runs(part_of, offsets)


def _news_sections(
    texts: list[str], offsets: list[tuple[int, int]], cues: dict[str, Any], skip: set[int]
) -> list[Section]:
    dateline = re.compile(cues["dateline"])
    body_idx = [i for i in range(len(texts)) if i not in skip and not dateline.match(texts[i])]
    if not body_idx:
        return []
    part_of = {i: ("news.lead" if i == body_idx[0] else "news.body") for i in body_idx}
    return _runs(part_of, offsets)


def _runs(part_of: dict[int, str], offsets: list[tuple[int, int]]) -> list[Section]:
    sections: list[Section] = []
    for i in sorted(part_of):
        label = part_of[i]
        if sections and sections[-1].label == label:
            sections[-1].end = offsets[i][1]
        else:
            sections.append(Section(label=label, heading=None, level=1, start=offsets[i][0],
                                    end=offsets[i][1], confidence=1.0))
    return sections
