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
from pipeline.nlp.doctype import certain, noted, required_sections, template_applies
from pipeline.nlp.doctype import missing_sections as missing_labels


@cache
def _label_names() -> dict[str, dict[str, str]]:
    labels = load_yaml("taxonomy.yaml")["labels"]
    return {k: {"vi": v.get("vi", k), "en": v.get("en", k)} for k, v in labels.items()}


def missing_sections(present: set[str], doc_type: str | None, confidence: float | None = 1.0,
                     title: str | None = None) -> list[Finding]:
    """One `missing_section` per required label absent, when the type is certain (confidence
    at or above templates.yaml `decision.certain`) and its template fits the document (a
    congress resolution, not a People's Council's). Otherwise, if the type has a template, one
    `sections_not_checked` note (info) says why the findings are withheld."""
    if not required_sections(doc_type or ""):
        return []
    if not certain(confidence) or not template_applies(doc_type, title):
        if not noted(doc_type):
            return []  # a news article's or a speech's parts: nothing worth a note
        reason = "uncertain_type" if not certain(confidence) else "template_not_applicable"
        params = {"doc_type": doc_type, "confidence": confidence}
        return [Finding(
            kind="sections_not_checked", severity="info",
            message=message(f"finding.sections_not_checked.{reason}", "vi", **params),
            details={"doc_type": doc_type, "confidence": confidence, "reason": reason,
                     "message_en": message(f"finding.sections_not_checked.{reason}", "en",
                                           **params)})]
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
