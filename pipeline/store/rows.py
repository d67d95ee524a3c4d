"""What one analysed document becomes in the store: the rows of each table.

Built from the parts of the JSON record (meta, headings, sections, references, indicators,
findings), so a document saved now and a version-1 document migrated from its stored record
give the same rows.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import asdict
from typing import Any

from pipeline.model import Report
from pipeline.store.folding import fold

ANALYSIS_KEYS = ("meta", "headings", "sections", "references", "indicators", "findings")


def analysis_of_report(report: Report) -> dict[str, Any]:
    """The analysed parts of a report, shaped like the JSON record."""
    return {
        "meta": asdict(report.meta),
        "headings": report.headings,
        "sections": report.sections,
        "references": [asdict(r) for r in report.references],
        "indicators": [asdict(i) for i in report.indicators],
        "findings": [asdict(f) for f in report.findings],
    }


def analysis_of_record(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) or ({} if k == "meta" else []) for k in ANALYSIS_KEYS}


def normalize_term(term: str | None) -> str | None:
    """"2020 - 2025", "2020–2025" -> "2020-2025"."""
    if not term:
        return None
    return "-".join(p.strip() for p in str(term).replace("–", "-").replace("—", "-").split("-"))


def meta_values(meta: dict[str, Any]) -> dict[str, Any]:
    draft = meta.get("draft")
    unit = meta.get("unit")
    return {
        "unit": unit,
        "unit_folded": fold(" ".join(unit.split())) if unit else None,
        "unit_level": meta.get("unit_level"),
        "parent": meta.get("parent"),
        "province": meta.get("province"),
        "term": normalize_term(meta.get("term")),
        "year": meta.get("year"),
        "date": meta.get("date"),
        "doc_type": meta.get("doc_type"),
        "draft": None if draft is None else int(bool(draft)),
        "doc_type_confidence": meta.get("doc_type_confidence"),
    }


class SectionLocator:
    """The label of the innermost section holding an offset of the text."""

    def __init__(self, sections: list[dict[str, Any]]) -> None:
        self.sections = sorted(
            (s for s in sections if s.get("label")), key=lambda s: (s["start"], s.get("level") or 0)
        )
        self.starts = [s["start"] for s in self.sections]

    def label_at(self, offset: int | None) -> str | None:
        if offset is None:
            return None
        best: tuple[int, int] | None = None
        label = None
        # Only sections starting at or before the offset can hold it.
        for s in self.sections[: bisect_right(self.starts, offset)]:
            if s["start"] <= offset < max(s["end"], s["start"] + 1):
                rank = (s.get("level") or 0, s["start"])
                if best is None or rank >= best:
                    best, label = rank, s["label"]
        return label


def section_rows(doc_id: int, sections: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, i, s.get("label"), s.get("heading"), s.get("level"), s["start"], s["end"],
         s.get("confidence"))
        for i, s in enumerate(sections)
    ]


def reference_rows(
    doc_id: int, refs: list[dict[str, Any]], where_section: SectionLocator
) -> list[tuple[Any, ...]]:
    return [
        (doc_id, i, r["id"], r.get("kind"), r.get("type"), r.get("number"), r.get("year"),
         r.get("issuer"), r.get("body"), r.get("date"), r.get("term"), r.get("title"),
         r.get("where"), r.get("start"), r.get("end"), r.get("surface"), r.get("resolved_from"),
         where_section.label_at(r.get("start")) if r.get("where", "body") == "body" else None)
        for i, r in enumerate(refs)
    ]


def indicator_rows(
    doc_id: int, indicators: list[dict[str, Any]], where_section: SectionLocator
) -> list[tuple[Any, ...]]:
    rows = []
    for i, ind in enumerate(indicators):
        section = ind.get("section")
        if section is None and ind.get("where", "body") == "body":
            section = where_section.label_at(ind.get("start"))
        rows.append(
            (doc_id, i, ind.get("key"), ind.get("subject"), ind.get("value"),
             ind.get("value_max"), ind.get("unit"), ind.get("unit_text"), ind.get("kind"),
             ind.get("period"), section, ind.get("where"), ind.get("start"), ind.get("end"),
             ind.get("surface"))
        )
    return rows


def finding_rows(doc_id: int, findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (doc_id, i, f["kind"], f.get("severity"), f.get("message"), f.get("where"),
         f.get("start"), f.get("end"), json.dumps(f.get("details") or {}, ensure_ascii=False))
        for i, f in enumerate(findings)
    ]
