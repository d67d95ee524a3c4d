"""`missing_section`: a label the template of the document's type requires, and no section has.

A required label is satisfied by itself or any of its descendants ("party_building" by
"party_building.inspection"), since units fold or split sections differently.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.i18n import message
from pipeline.model import Finding


@cache
def _templates() -> dict[str, Any]:
    return load_yaml("templates.yaml")["doc_types"]


@cache
def _label_names() -> dict[str, dict[str, str]]:
    labels = load_yaml("taxonomy.yaml")["labels"]
    return {k: {"vi": v.get("vi", k), "en": v.get("en", k)} for k, v in labels.items()}


def required_labels(doc_type: str | None) -> list[str]:
    template = _templates().get(doc_type or "", {})
    return list(template.get("required", []))


def missing_sections(present: set[str], doc_type: str | None) -> list[Finding]:
    findings = []
    for label in required_labels(doc_type):
        if any(p == label or p.startswith(label + ".") for p in present):
            continue
        names = _label_names().get(label, {"vi": label, "en": label})
        findings.append(Finding(
            kind="missing_section",
            severity="warning",
            message=message("finding.missing_section", "vi", name=names["vi"], label=label,
                            doc_type=doc_type),
            details={
                "label": label,
                "doc_type": doc_type,
                "message_en": message("finding.missing_section", "en", name=names["en"],
                                      label=label, doc_type=doc_type),
            },
        ))
    return findings
