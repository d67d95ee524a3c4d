"""doc_type of a document (political_report, speech, news, review_report, resolution) and the
sections each doc_type requires (pipeline/data/templates.yaml).

The classifier reads the first HEAD_CHARS characters of the text and the headings; it is
models/doctype/model.json, trained by `daihoi train doctype` (see its MODEL_CARD.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.data import load_yaml
from pipeline.nlp.linear_model import FieldSpec, LinearTextModel
from pipeline.nlp.sections import satisfies

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "doctype"
DEFAULT_MODEL = MODEL_DIR / "model.json"
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
