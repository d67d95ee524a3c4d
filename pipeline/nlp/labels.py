"""Canonical section labels for an outline, and the doc_type of the document.

Headings are labelled by the section classifier (models/sections); a heading the model places
nowhere ("other") inherits its parent's label. Parts of a document marked by set phrases rather
than headings become sections of their own (the paragraph cues of data/taxonomy.yaml).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pipeline.model import Document
from pipeline.nlp.outline import Heading, Outline, Section

if TYPE_CHECKING:
    from pipeline.extract.form import DocumentForm

_CONTEXT_CHARS = 300


@cache
def _section_model() -> Any:
    from pipeline.nlp.sections import SectionClassifier

    return SectionClassifier.load()


@cache
def _doctype_model() -> Any:
    from pipeline.nlp.doctype import DocTypeClassifier

    return DocTypeClassifier.load()


def classify_doc_type(doc: Document, headings: list[Heading],
                      form: DocumentForm | None = None) -> tuple[str, float]:
    """doc_type and confidence: the printed form first, the model second
    (`pipeline.nlp.doctype.decide`)."""
    from pipeline.nlp.doctype import decide

    skip = form.form_blocks if form is not None else set()
    blocks = [b.text for i, b in enumerate(doc.blocks) if i not in skip and b.text]
    proba = _doctype_model().predict_proba(doc.text[:1500], [h.text for h in headings])
    doc_type, confidence, _source = decide(
        blocks, [(h.text, h.scheme) for h in headings],
        form.type_doc if form is not None else None,
        form.type_name if form is not None else None,
        form.title if form is not None else None, proba)
    return doc_type, confidence


def label_headings(doc: Document, outline: Outline, doc_type: str | None) -> None:
    """Label every heading top-down (each sees its parent's label: "3. Công tác kiểm tra" is
    party_building.inspection under the results and plan.tasks under the plan)."""
    headings = outline.headings
    if not headings:
        return
    text = doc.text  # a property that joins every block: build it once, not per heading
    rows = [
        (h.level, h.text, _context(text, h, headings[k + 1] if k + 1 < len(headings) else None))
        for k, h in enumerate(headings)
    ]
    parents = _parents(headings)
    for k, (h, pred) in enumerate(
        zip(headings, _section_model().predict_outline(rows, doc_type), strict=True)
    ):
        parent = headings[parents[k]] if parents[k] is not None else None
        if pred.label == "other" and parent is not None and parent.label not in (None, "other"):
            # A heading that fits no label belongs to its parent's section.
            h.label, h.label_source = parent.label, "inherited"
            h.confidence = round((parent.confidence or 0.0) * 0.9, 3)
        else:
            h.label, h.confidence = pred.label, round(pred.confidence, 3)
            h.label_source = pred.source
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
    """Sections that set phrases mark instead of headings (a report's closing "Trên đây là báo
    cáo ..."; a speech's greeting, body, recommendations, closing; a news lead and body), as
    runs of paragraphs. The preamble (text before the first heading) is labelled here too."""
    from pipeline.nlp.sections import label_paragraphs

    for section in outline.sections:
        if section.heading_index is None and section.level == 0:
            section.label, section.confidence = "preamble", 1.0
    heading_blocks = {i for h in outline.headings for i in range(h.block, h.last_block + 1)}
    texts = ["" if i in heading_blocks else b.text for i, b in enumerate(doc.blocks)]
    offsets = doc.block_offsets()
    sections: list[Section] = []
    for i, label in enumerate(label_paragraphs(texts, doc_type)):
        if label is None:
            continue
        if sections and sections[-1].label == label:
            sections[-1].end = offsets[i][1]
        else:
            sections.append(Section(label=label, heading=None, level=1, start=offsets[i][0],
                                    end=offsets[i][1], confidence=1.0))
    return sections
