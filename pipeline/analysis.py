"""`analyze(path) -> Report`: one file through every stage, in the one-way order
ingest -> nlp -> extract -> audit; `analyze_many(paths, jobs=...)` streams the reports of many
files. (Named `analysis`, not `analyze`: a submodule named like the function would replace
`pipeline.analyze` once imported.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.audit.duplicates import duplicate_passages
from pipeline.audit.references import check_references
from pipeline.audit.sections import missing_sections
from pipeline.audit.totals import check_totals
from pipeline.extract.form import apply_form, parse_form
from pipeline.extract.indicators import document_indicators
from pipeline.extract.metadata import apply_overrides, extract_metadata
from pipeline.extract.references import document_references
from pipeline.extract.sidecar import load_sidecar
from pipeline.ingest import Limits, load
from pipeline.ingest.normalize import forget_long_fold
from pipeline.model import Document, Report
from pipeline.nlp.labels import classify_doc_type, cue_sections, label_headings
from pipeline.nlp.outline import build_outline
from pipeline.paragraph_split import ParagraphSplit

if TYPE_CHECKING:
    from pipeline.batch import FileResult


def analyze(
    path: str | Path, limits: Limits | None = None, overrides: dict[str, Any] | None = None
) -> Report:
    """Read and analyse one report; raises `pipeline.errors.IngestError` on a bad file.

    `overrides`: metadata the caller knows (`Meta` field -> value, e.g. from the CLI's --unit,
    --term); they win over a sidecar file beside `path`, which wins over the text."""
    return analyze_document(load(path, limits), overrides)


def analyze_many(
    paths: Iterable[str | Path],
    jobs: int | None = None,
    limits: Limits | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    ordered: bool = True,
    timeout: float | None = None,
    lang: str = "en",
) -> Iterator[FileResult]:
    """Analyse many files, yielding one `pipeline.batch.FileResult` per file as it is done.

    `paths`: files and folders (a folder is walked as `daihoi run` walks it). `jobs`: worker
    processes (None: one per core; 1: this process). Each result has `.source` and either
    `.report` (a `Report`) or `.error` (a `DaihoiError`, whose `.message(lang)` says what is
    wrong): one bad file never stops the others. `ordered=False` yields results as they finish
    rather than in input order; `timeout` limits the seconds spent on one document (None: a
    limit that grows with the file's size).

        >>> for result in analyze_many(["corpus/docx"], jobs=2):
        ...     print(result.source, result.report.meta.unit if result.report else result.error)
    """
    from pipeline.batch import analyze_files, discover

    files: list[Path] = []
    for given in paths:
        path = Path(given)
        files.extend(discover(path) if path.is_dir() else [path])
    yield from analyze_files(files, limits or Limits(), lang, jobs=jobs, overrides=overrides,
                             ordered=ordered, timeout=timeout)


def analyze_document(document: Document, overrides: dict[str, Any] | None = None) -> Report:
    """Analyse a `Document` already loaded (`pipeline.load`, or built in code): the printed
    form, outline and section labels, doc_type and metadata, references, indicators, and the
    findings of every audit. `overrides` as for `analyze`.

    A long body is read by two processes when a core is free (`pipeline.paragraph_split`: a
    helper forked now segments words while this process runs the stages before the
    indicators, then both read the paragraphs); the report is the same."""
    helper = ParagraphSplit.start(document.text)
    try:
        return _analyze(document, overrides, helper)
    finally:
        if helper is not None:
            helper.close()
        forget_long_fold()


def _analyze(document: Document, overrides: dict[str, Any] | None,
             helper: ParagraphSplit | None) -> Report:
    report = Report(document=document)
    # The printed form first: its lines are not headings, and it states the type and issuer.
    form = parse_form(document)
    outline = build_outline(document, form)
    doc_type, confidence = classify_doc_type(document, outline.headings, form)
    classified = doc_type
    # Metadata right after the doc_type: the reference checks below need the report's date.
    report.meta = extract_metadata(document, doc_type, form)
    report.meta.doc_type_confidence = round(float(confidence), 3)
    apply_form(report.meta, form)
    document.warnings.extend(form.warnings)
    _user_metadata(report, overrides)
    doc_type = report.meta.doc_type
    label_headings(document, outline, doc_type)
    sections = outline.sections + cue_sections(document, outline, doc_type)
    sections.sort(key=lambda s: (s.start, s.level))
    report.headings = [h.record() for h in outline.headings]
    report.sections = [s.record() for s in sections]

    present = {s.label for s in sections if s.label}
    # A type the user gave is certain; the classifier's is as sure as it says.
    given = report.meta.doc_type != classified
    report.findings.extend(missing_sections(
        present, doc_type, 1.0 if given else report.meta.doc_type_confidence, report.meta.title))
    heading_spans = [(h.start, h.end) for h in outline.headings]
    report.findings.extend(duplicate_passages(document.text, exclude=heading_spans))

    report.references = document_references(document, skip_blocks=form.letterhead_blocks)
    # `as_of`: a report written before a document was replaced is not warned about it.
    report.findings.extend(check_references(report.references, as_of=report.meta.date,
                                            text=document.text))

    split = helper if helper is not None and helper.same_text(document.text) else None
    report.indicators = document_indicators(document, report.meta, report.sections,
                                            report.references, split=split)
    report.findings.extend(check_totals(document, report.indicators, report.meta))
    return report


def _user_metadata(report: Report, overrides: dict[str, Any] | None) -> None:
    """Sidecar file, then the caller's overrides; a bad sidecar is a warning, not a failure."""
    document = report.document
    # Checked field by field (`extract.sidecar`): a bad field is a warning, never an exception.
    sidecar, problems = load_sidecar(document.source) if document.source else ({}, [])
    document.warnings.extend(problems)
    for given in (sidecar, overrides or {}):
        try:
            unknown = apply_overrides(report.meta, given)
        except ValueError as exc:
            document.warnings.append(f"metadata override ignored: {exc}")
            continue
        if unknown:
            document.warnings.append("unknown metadata fields ignored: " + ", ".join(unknown))
