"""An outcome as one flat row (a Parquet row of a distributed run), and back.

A row carries everything the store needs to save the document exactly as a local run would:
the JSON record of the contract (meta, headings, sections, references, indicators, findings,
text, ...) and the ingested `Document` (its blocks, tables, footnotes) as JSON, plus the columns
worth filtering on without parsing JSON and the provenance of the run.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipeline import __version__
from pipeline.engine.work import Outcome
from pipeline.model import (
    Block,
    Document,
    Finding,
    Footnote,
    Indicator,
    Meta,
    Reference,
    Report,
    Table,
)

SCHEMA = pa.schema([
    ("source", pa.string()),
    ("sha256", pa.string()),
    ("status", pa.string()),  # "ok" | "error"
    ("error_code", pa.string()),
    ("error_params", pa.string()),  # JSON
    ("format", pa.string()),
    ("pages", pa.int64()),
    ("size", pa.int64()),
    ("n_blocks", pa.int64()),
    ("n_words", pa.int64()),
    ("unit", pa.string()),
    ("term", pa.string()),
    ("doc_type", pa.string()),
    ("record", pa.string()),  # the JSON contract record
    ("document", pa.string()),  # the ingested Document, JSON
    # Provenance: which daihoi, where, when, how long.
    ("daihoi_version", pa.string()),
    ("engine", pa.string()),
    ("worker", pa.string()),
    ("batch", pa.int64()),
    ("analyzed_at", pa.string()),
    ("seconds", pa.float64()),
])


def outcome_row(outcome: Outcome, sha256: str | None, engine: str, batch: int) -> dict[str, Any]:
    from pipeline.contract import report_record

    row: dict[str, Any] = {name: None for name in SCHEMA.names}
    row.update(source=outcome.source, sha256=sha256, daihoi_version=__version__, engine=engine,
               worker=outcome.worker, batch=batch, seconds=round(outcome.seconds, 4),
               analyzed_at=datetime.now(UTC).isoformat(timespec="seconds"))
    if not outcome.ok or (outcome.report is None and outcome.prepared is None):
        row.update(status="error", error_code=outcome.code,
                   error_params=json.dumps(outcome.params, ensure_ascii=False, default=str))
        return row
    if outcome.prepared is not None:  # made in the analysis process (want="parquet")
        p = outcome.prepared
        assert p.document_json is not None, "prepared without its Document (want='parquet')"
        row.update(
            status="ok", sha256=p.sha256, format=p.format, pages=p.pages, size=p.size,
            n_blocks=p.n_blocks, unit=p.meta.unit, n_words=p.n_words, term=p.meta.term,
            doc_type=p.meta.doc_type, record=p.record_json, document=p.document_json,
        )
        return row
    report = outcome.report
    assert report is not None
    doc = report.document
    record = report_record(report)
    row.update(
        status="ok", sha256=doc.sha256, format=doc.format, pages=doc.pages, size=doc.size,
        n_blocks=len(doc.blocks), unit=report.meta.unit,
        # Block by block: one list of every word of a long document would be ~14 B/char.
        n_words=sum(len(b.text.split()) for b in doc.blocks),
        term=report.meta.term, doc_type=report.meta.doc_type,
        record=json.dumps(record, ensure_ascii=False, default=str),
        document=json.dumps(doc.to_dict(), ensure_ascii=False, default=str),
    )
    return row


def row_outcome(row: dict[str, Any]) -> Outcome:
    if row["status"] != "ok":
        params = json.loads(row["error_params"] or "{}")
        return Outcome(row["source"], "error", code=row["error_code"], params=params,
                       seconds=row.get("seconds") or 0.0, worker=row.get("worker") or "")
    return Outcome(row["source"], "ok", report=report_from_row(row),
                   seconds=row.get("seconds") or 0.0, worker=row.get("worker") or "")


def report_from_row(row: dict[str, Any]) -> Report:
    """The `Report` a row was made from (equal field by field)."""
    return report_from_parts(json.loads(row["document"]), json.loads(row["record"]))


def report_from_parts(document: dict[str, Any], record: dict[str, Any]) -> Report:
    doc = Document(**{
        **_known(Document, document),
        "blocks": [Block(**_known(Block, b)) for b in document["blocks"]],
        "tables": [Table(**_known(Table, t)) for t in document["tables"]],
        "footnotes": [Footnote(**_known(Footnote, f)) for f in document["footnotes"]],
    })
    return Report(
        document=doc,
        meta=Meta(**_known(Meta, record.get("meta") or {})),
        headings=record.get("headings") or [],
        sections=record.get("sections") or [],
        references=[Reference(**_known(Reference, r)) for r in record.get("references") or []],
        indicators=[Indicator(**_known(Indicator, i)) for i in record.get("indicators") or []],
        findings=[Finding(**_known(Finding, f)) for f in record.get("findings") or []],
    )


def _known(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    # A row written by a newer daihoi may carry fields this one does not know.
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in values.items() if k in names}
