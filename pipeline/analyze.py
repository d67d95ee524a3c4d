"""`analyze(path) -> Report`: one file through every stage, in the one-way order
ingest -> nlp -> extract -> audit."""

from __future__ import annotations

from pathlib import Path

from pipeline.audit.duplicates import duplicate_passages
from pipeline.audit.references import check_references
from pipeline.audit.sections import missing_sections
from pipeline.extract.references import document_references
from pipeline.ingest import Limits, load
from pipeline.model import Document, Report
from pipeline.nlp.labels import classify_doc_type, cue_sections, label_headings
from pipeline.nlp.outline import build_outline


def analyze(path: str | Path, limits: Limits | None = None) -> Report:
    """Read and analyse one report; raises `pipeline.errors.IngestError` on a bad file."""
    return analyze_document(load(path, limits))


def analyze_document(document: Document) -> Report:
    report = Report(document=document)
    outline = build_outline(document)
    doc_type, confidence = classify_doc_type(document, outline.headings)
    report.meta.doc_type = doc_type
    report.meta.doc_type_confidence = round(float(confidence), 3)
    label_headings(document, outline, doc_type)
    sections = outline.sections + cue_sections(document, outline, doc_type)
    sections.sort(key=lambda s: (s.start, s.level))
    report.headings = [h.record() for h in outline.headings]
    report.sections = [s.record() for s in sections]

    present = {s.label for s in sections if s.label}
    report.findings.extend(missing_sections(present, doc_type))
    heading_spans = [(h.start, h.end) for h in outline.headings]
    report.findings.extend(duplicate_passages(document.text, exclude=heading_spans))

    report.references = document_references(document)
    # `as_of`: a report written before a document was replaced is not warned about it.
    report.findings.extend(check_references(report.references, as_of=report.meta.date))
    return report
