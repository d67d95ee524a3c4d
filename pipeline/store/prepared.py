"""Everything the store writes for one analysed file, computed from its `Report` alone.

Why apart from `Store`: a run analyses documents in worker processes but writes them from one
process (SQLite has one writer). Whatever that writer computes per document — the identity
sketch (~15 ms for a 20-page report), the JSON record, the folded full-text forms, the rows of
each table — competes with the workers for the machine's cores and caps the speed-up from more
workers (issue 15). So the worker that analysed the document prepares it (`prepare`), ships
this plain, picklable object instead of the `Report`, and the writer only runs the SQL
(`Store.save_prepared`). `Store.save(report, record)` is `save_prepared(prepare(...))`: one code
path, so a run's store is the same whichever process prepared its documents.

Rows are kept without their `doc_id` (only the writer knows it); each tuple is in the column
order of its table's INSERT in `pipeline.store.database`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.model import Meta, Report
from pipeline.store.folding import exact, fold
from pipeline.store.identity import Identity, document_parts, identity
from pipeline.store.rows import (
    SectionLocator,
    analysis_of_report,
    finding_rows,
    indicator_rows,
    meta_values,
    reference_rows,
    section_rows,
)

Row = tuple[Any, ...]


@dataclass
class PreparedDocument:
    """One analysed file as the store's rows (see the module's docstring)."""

    source: str
    sha256: str
    format: str
    pages: int | None
    size: int
    meta: Meta  # what a run's summary shows
    ident: Identity
    values: dict[str, Any]  # meta_values: the documents table's metadata columns
    text: str
    n_words: int
    properties_json: str
    record_json: str
    sidecar_sha256: str | None
    # (idx, kind, text, start, end, page, style, outline_level, numbering, bold, font_size,
    #  section, is_heading)
    blocks: list[Row] = field(default_factory=list)
    fts: list[tuple[int, str, str]] = field(default_factory=list)  # (block idx, exact, folded)
    tables: list[Row] = field(default_factory=list)  # (t_idx, page, pages, after, rows, cols, json)
    cells: list[Row] = field(default_factory=list)  # (t_idx, row, col, text)
    footnotes: list[Row] = field(default_factory=list)
    running: list[Row] = field(default_factory=list)  # ("header"|"footer", text)
    sections: list[Row] = field(default_factory=list)
    references: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    # The ingested Document as JSON: only when asked (a Dask run's Parquet row needs it).
    document_json: str | None = None

    @property
    def n_blocks(self) -> int:
        return len(self.blocks)

    @property
    def n_tables(self) -> int:
        return len(self.tables)

    @property
    def n_footnotes(self) -> int:
        return len(self.footnotes)


def sidecar_path(source: str | Path) -> Path | None:
    """The metadata file beside a document (`pipeline.extract.metadata.sidecar_paths`)."""
    from pipeline.extract.metadata import sidecar_paths

    return next((p for p in sidecar_paths(source) if p.is_file()), None)


def sidecar_sha256(source: str) -> str | None:
    """SHA-256 of the metadata file beside a document, if any: a changed sidecar makes the
    file worth analysing again (`Store.is_current`)."""
    path = sidecar_path(source)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else None


def _without_doc_id(rows: list[Row]) -> list[Row]:
    return [r[1:] for r in rows]


def prepare(
    report: Report, record: dict[str, Any], with_document: bool = False,
) -> PreparedDocument:
    """The store's rows of `report` (`record`: its contract record, `report_record(report)`).
    `with_document`: also the ingested Document as JSON (for a Parquet row)."""
    doc = report.document
    analysis = analysis_of_report(report)
    locate = SectionLocator(analysis["sections"])
    heading_starts = {h.get("start") for h in analysis["headings"]}
    text = doc.text
    blocks: list[Row] = []
    fts: list[tuple[int, str, str]] = []
    for i, (b, (s, e)) in enumerate(zip(doc.blocks, doc.block_offsets(), strict=True)):
        # The same section label and heading flag `Store._label_blocks` gives a stored block.
        blocks.append((i, b.kind, b.text, s, e, b.page, b.style, b.outline_level, b.numbering,
                       int(b.bold), b.font_size, locate.label_at(s) if b.text else None,
                       int(s in heading_starts and bool(b.text))))
        if b.text:
            fts.append((i, exact(b.text), fold(b.text)))
    tables: list[Row] = []
    cells: list[Row] = []
    for t_idx, t in enumerate(doc.tables):
        n_cols = max((len(r) for r in t.rows), default=0)
        tables.append((t_idx, t.page, json.dumps(t.pages), t.after_block, len(t.rows), n_cols,
                       json.dumps(t.rows, ensure_ascii=False)))
        cells.extend((t_idx, r, col, cell) for r, row_cells in enumerate(t.rows)
                     for col, cell in enumerate(row_cells))
    return PreparedDocument(
        source=doc.source, sha256=doc.sha256, format=doc.format, pages=doc.pages, size=doc.size,
        meta=report.meta, ident=identity(document_parts(doc)),
        values=meta_values(analysis["meta"]), text=text, n_words=len(text.split()),
        properties_json=json.dumps(doc.properties, ensure_ascii=False),
        record_json=json.dumps(record, ensure_ascii=False),
        sidecar_sha256=sidecar_sha256(doc.source),
        blocks=blocks, fts=fts, tables=tables, cells=cells,
        footnotes=[(i, f.id, f.kind, f.text, f.block, f.offset, f.page)
                   for i, f in enumerate(doc.footnotes)],
        running=[("header", h) for h in doc.page_headers]
        + [("footer", f) for f in doc.page_footers],
        sections=_without_doc_id(section_rows(0, analysis["sections"])),
        references=_without_doc_id(reference_rows(0, analysis["references"], locate)),
        indicators=_without_doc_id(indicator_rows(0, analysis["indicators"], locate)),
        findings=_without_doc_id(finding_rows(0, analysis["findings"])),
        document_json=(json.dumps(doc.to_dict(), ensure_ascii=False, default=str)
                       if with_document else None),
    )
