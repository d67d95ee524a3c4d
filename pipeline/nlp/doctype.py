"""doc_type of a document and the sections each doc_type requires (pipeline/data/templates.yaml).

`decide` gives one of DOC_TYPES_ALL: the type name the document's printed form shows first
(pipeline/extract/form.py), a speech's greeting second, the model third, else news or commentary.
The model (DOC_TYPES: political_report, speech, news, review_report, resolution) reads the first
HEAD_CHARS characters of the text and the headings; it is the packaged doctype model, trained by
`daihoi train doctype` (see models/doctype/MODEL_CARD.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.data import load_yaml, model_path
from pipeline.nlp.linear_model import FieldSpec, LinearTextModel
from pipeline.nlp.sections import satisfies

# The trained model ships inside the package (found in a wheel too); its card, labelled data
# and builders stay in the source tree's models/doctype/.
DEFAULT_MODEL = model_path("doctype")
MODEL_DIR = DEFAULT_MODEL.parent
HEAD_CHARS = 1500
DOC_TYPES = ("political_report", "speech", "news", "review_report", "resolution")

OPENING_CHARS = 400

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("opening", "opening", "word", (1, 2), deaccent=True, weight=1.0),
    FieldSpec("cues", "cues", "tokens", (1, 1), weight=1.0),
    FieldSpec("t_word", "head", "word", (1, 2), deaccent=False, weight=1.0),
    FieldSpec("t_plain", "head", "word", (1, 2), deaccent=True, weight=1.0),
    FieldSpec("t_char", "head", "char", (3, 5), deaccent=True, weight=1.0, min_df=2),
    FieldSpec("headings", "headings", "word", (1, 2), deaccent=True, weight=0.6),
)


@cache
def _cue_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(f"{kind}{i}", re.compile(p, re.I))
            for kind, pats in templates().get("cues", {}).items() for i, p in enumerate(pats)]


def features(text_head: str, headings: Sequence[str]) -> dict[str, str]:
    head = " ".join((text_head or "")[:HEAD_CHARS].split())
    # Formula cues (templates.yaml `cues`): each match count, capped, as repeated tokens, so
    # the title block and openings weigh beside the report-like vocabulary of the body.
    cues = []
    for name, pattern in _cue_patterns():
        cues += [f"cue_{name}"] * min(3, len(pattern.findall(head)))
    return {"head": head, "opening": head[:OPENING_CHARS], "cues": " ".join(cues),
            "headings": " \n ".join(headings[:60])}


class DocTypeClassifier:
    def __init__(self, model: LinearTextModel) -> None:
        self.model = model

    @classmethod
    def load(cls, path: Path | None = None) -> DocTypeClassifier:
        return cls(LinearTextModel.load(path or DEFAULT_MODEL))

    @property
    def version(self) -> str:
        return str(self.model.meta.get("model_version", "unknown"))

    def predict(self, text_head: str, headings: list[str]) -> tuple[str, float]:
        probs = self.model.predict_proba([features(text_head, headings)])[0]
        best = int(probs.argmax())
        return self.model.classes[best], float(probs[best])

    def predict_proba(self, text_head: str, headings: list[str]) -> dict[str, float]:
        probs = self.model.predict_proba([features(text_head, headings)])[0]
        return {c: float(p) for c, p in zip(self.model.classes, probs, strict=True)}


# -- templates of required sections ----------------------------------------------------------


@cache
def templates() -> dict[str, Any]:
    return load_yaml("templates.yaml")


def required_sections(doc_type: str) -> list[str]:
    """Labels a document of this doc_type must have ([] for an unknown doc_type)."""
    spec = templates().get("doc_types", {}).get(doc_type) or {}
    return list(spec.get("required") or [])


def missing_sections(doc_type: str, present: Iterable[str | None]) -> list[str]:
    """Required labels that no present label satisfies (itself or a descendant), in template
    order. `present`: the labels of the document's headings and paragraph cues."""
    have = {p for p in present if p}
    return [req for req in required_sections(doc_type)
            if not any(satisfies(label, req) for label in have)]


# -- the decision: the form first, the model second ------------------------------------------


DOC_TYPES_ALL = ("political_report", "review_report", "resolution", "speech", "news",
                 "directive", "conclusion", "plan", "guidance", "commentary", "other")
REPORT_TYPES = ("political_report", "review_report")


@cache
def _decision() -> dict[str, Any]:
    cfg = dict(templates()["decision"])
    for key in ("political_title", "review_title", "greeting", "news_lead", "report_term"):
        cfg[key] = re.compile(cfg[key])
    cfg["applies_to"] = {k: re.compile(v) for k, v in (cfg.get("applies_to") or {}).items()}
    return cfg


def _folded(text: str) -> str:
    from pipeline.ingest.normalize import fold_same_length

    return " ".join(fold_same_length(text).split())


def decide(blocks: Sequence[str], headings: Sequence[tuple[str, str | None]],
           form_type: str | None, type_name: str | None, title: str | None,
           model_proba: dict[str, float]) -> tuple[str, float, str]:
    """(doc_type, confidence, source) of a document.

    `blocks`: its body paragraphs (form lines excluded); `headings`: (text, numbering scheme);
    `form_type`, `type_name`, `title`: what its printed form says (pipeline.extract.form);
    `model_proba`: the model's probabilities. `source` says which evidence decided: "form",
    "greeting", "carried" (a page printing a document in full), "model", "article"."""
    cfg = _decision()
    if form_type is not None:
        if _folded(type_name or "") == "bao cao":
            return _bare_report(_folded(title or ""), model_proba)
        return form_type, cfg["form_confidence"], "form"
    for text in blocks[:cfg["greeting_blocks"]]:
        if cfg["greeting"].match(_folded(text)) and len(text.split()) <= 30:
            return "speech", cfg["rule_confidence"], "greeting"
    carried = carried_type(blocks)
    if carried is not None:
        return carried, cfg["carried_confidence"], "carried"
    best = max(model_proba, key=lambda k: model_proba[k]) if model_proba else "news"
    confidence = model_proba.get(best, 0.0)
    if best in ("political_report", "review_report", "resolution"):
        if confidence >= cfg["certain"] or _report_shaped(blocks, headings):
            return best, confidence, "model"
    return _article(blocks), cfg["article_confidence"], "article"


@cache
def _carried() -> tuple[list[re.Pattern[str]], dict[str, str]]:
    from pipeline.data import load_yaml as _load

    names = sorted(_load("form.yaml")["type_names"], key=lambda t: len(t["words"]), reverse=True)
    alternatives = "|".join(re.escape(t["words"]) for t in names)
    patterns = [re.compile(p.replace("{name}", alternatives))
                for p in templates()["decision"].get("carried", [])]
    return patterns, {t["words"]: t["doc_type"] for t in names}


def carried_type(blocks: Sequence[str]) -> str | None:
    """The type of a document a page carries in full under its headline and lead ("... giới
    thiệu toàn văn Nghị quyết", "Nội dung Chỉ thị như sau:"), from the first blocks; None when
    the page says no such thing."""
    patterns, doc_type_of = _carried()
    for text in blocks[:_decision()["carried_blocks"]]:
        folded = _folded(text)
        for pattern in patterns:
            m = pattern.search(folded)
            if m is not None:
                return doc_type_of[m.group("name")]
    return None


def _bare_report(folded_title: str, model_proba: dict[str, float]) -> tuple[str, float, str]:
    """A bare "BÁO CÁO": a political report only when its title names the congress or the
    term ahead; else a report of results (a month's, a year's work), never certain."""
    cfg = _decision()
    if cfg["review_title"].search(folded_title):
        return "review_report", cfg["form_confidence"], "form"
    if cfg["political_title"].search(folded_title):
        return "political_report", cfg["form_confidence"], "form"
    pr, rr = model_proba.get("political_report", 0.0), model_proba.get("review_report", 0.0)
    return "review_report", round(min(cfg["certain"] - 0.05, rr / max(pr + rr, 1e-9)), 3), "form"


def _report_shaped(blocks: Sequence[str], headings: Sequence[tuple[str, str | None]]) -> bool:
    cfg = _decision()
    terms = sum(len(cfg["report_term"].findall(_folded(b))) for b in blocks[:400])
    numbered = sum(1 for _, scheme in headings if scheme is not None)
    return terms >= cfg["report_terms_min"] and numbered >= cfg["report_headings_min"]


def _article(blocks: Sequence[str]) -> str:
    """News when the lead reports an event; else commentary (analysis, opinion, a study)."""
    cfg = _decision()
    if sum(len(b) for b in blocks) >= cfg["commentary_chars"]:
        return "commentary"
    body = [b for b in blocks if len(b.split()) > 12][:cfg["news_lead_blocks"]]
    return "news" if any(cfg["news_lead"].search(_folded(b)) for b in body) else "commentary"


def template_applies(doc_type: str | None, title: str | None) -> bool:
    """The template of `doc_type` fits this document (a congress resolution, not a council's)."""
    pattern = _decision()["applies_to"].get(doc_type or "")
    return pattern is None or bool(title and pattern.search(_folded(title)))


def certain(confidence: float | None) -> bool:
    return confidence is not None and confidence >= _decision()["certain"]


def noted(doc_type: str | None) -> bool:
    """Is a withheld check of this type worth a note (templates.yaml `decision.note_types`)?"""
    return (doc_type or "") in _decision().get("note_types", [])
