"""The JSON contract of `daihoi analyze --json` (see ../shared/docs/architecture.md).

One object per input file. Field names are stable: add fields, never rename. Fields this
version adds to the published contract: `running` (headers/footers), `ingest` (what the reader
noticed), `tables[].pages`, `tables[].after_block`, `footnotes[].kind`, `footnotes[].start`
(the marker's offset in `text`, or null), `footnotes[].where` ("body", "table:<i>" or null) and
`footnotes[].cell` ([row, col] when the marker is in a table cell), `meta.doc_type_confidence`.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from functools import cache
from typing import Any

from pipeline.errors import DaihoiError
from pipeline.model import Report

CONTRACT_VERSION = 1


def report_record(report: Report) -> dict[str, Any]:
    """The JSON-ready record of `report`: what `daihoi analyze --json` prints for one file (the
    contract of docs/ARCHITECTURE.md; fields are added, never renamed)."""
    doc = report.document
    offsets = doc.block_offsets()
    return {
        "source": doc.source,
        "sha256": doc.sha256,
        "format": doc.format,
        "pages": doc.pages,
        "meta": asdict(report.meta),
        "text": doc.text,
        "headings": report.headings,
        "sections": report.sections,
        "tables": [
            {"page": t.page, "pages": t.pages or ([t.page] if t.page else []),
             "after_block": t.after_block, "rows": t.rows}
            for t in doc.tables
        ],
        "footnotes": [
            {
                "id": f.id,
                "kind": f.kind,
                "text": f.text,
                "start": _marker_start(offsets, f.block, f.offset),
                "where": "body" if f.block is not None
                else f"table:{f.table}" if f.table is not None else None,
                "cell": [f.row, f.col] if f.table is not None else None,
            }
            for f in doc.footnotes
        ],
        "references": [_as_dict(r) for r in report.references],
        "indicators": [_as_dict(i) for i in report.indicators],
        "findings": [_as_dict(f) for f in report.findings],
        "running": {"headers": doc.page_headers, "footers": doc.page_footers},
        "ingest": {
            "contract_version": CONTRACT_VERSION,
            "size": doc.size,
            "blocks": len(doc.blocks),
            "properties": doc.properties,
            "warnings": doc.warnings,
        },
    }


# Values `asdict` returns as they are (its deep copy of them is the value itself).
_PLAIN = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _as_dict(obj: Any) -> dict[str, Any]:
    """`asdict(obj)`, the same dict: read directly when every field holds a plain value (83,000
    indicators of a 5 MB DOCX: 2.4 s through `asdict`, which copies value by value, issue 16),
    through `asdict` otherwise (a list, a dict, a dataclass inside)."""
    out = {name: getattr(obj, name) for name in _field_names(type(obj))}
    for value in out.values():
        if type(value) not in _PLAIN:
            return asdict(obj)
    return out


def error_record(source: str, error: DaihoiError, lang: str) -> dict[str, Any]:
    """The record of a file that could not be read: its source, the error's code and message."""
    return {"source": source, "error": {"code": error.code, "message": error.message(lang)}}


def _marker_start(
    offsets: list[tuple[int, int]], block: int | None, offset: int | None
) -> int | None:
    if block is None or not 0 <= block < len(offsets):
        return None
    start, end = offsets[block]
    return min(start + (offset or 0), end)
