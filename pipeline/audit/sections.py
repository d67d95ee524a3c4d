"""`missing_section`: a label the template of the document's type requires, and no section has.

A required label is satisfied by itself or any of its descendants ("party_building" by
"party_building.inspection"), since units fold or split sections differently; the templates are
pipeline/data/templates.yaml.
"""

from __future__ import annotations

from functools import cache

from pipeline.data import load_yaml
from pipeline.i18n import message
from pipeline.model import Finding
from pipeline.nlp.doctype import missing_sections as missing_labels


@cache
def _label_names() -> dict[str, dict[str, str]]:
    labels = load_yaml("taxonomy.yaml")["labels"]
    return {k: {"vi": v.get("vi", k), "en": v.get("en", k)} for k, v in labels.items()}


def missing_sections(present: set[str], doc_type: str | None) -> list[Finding]:
    findings = []
    for label in missing_labels(doc_type or "", present):
        names = _label_names().get(label, {"vi": label, "en": label})
        params = {"label": label, "doc_type": doc_type}
        findings.append(Finding(
            kind="missing_section",
            severity="warning",
            message=message("finding.missing_section", "vi", name=names["vi"], **params),
            details={
                "label": label,
                "doc_type": doc_type,
                "message_en": message("finding.missing_section", "en", name=names["en"],
                                      **params),
            },
        ))
    return findings
