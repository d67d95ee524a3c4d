"""Canonical section labels for headings (taxonomy in pipeline/data/taxonomy.yaml).

A linear model over TF-IDF features of the heading (words, diacritics-free words and
characters, with the list number stripped), the start of the section body, the parent heading
and a few tokens (numbering scheme, capitals, the parent's label, doc_type). Where the model is
unsure (confidence below the taxonomy's `rules.threshold`) the taxonomy words decide if they
match; `predict_detailed` says which did. The model is models/sections/model.json, trained by
`daihoi train sections` (pipeline/cli/train.py) and described in its MODEL_CARD.md.

Typical use, top-down over an outline so each heading sees its parent's predicted label:

    clf = SectionClassifier.load()
    results = clf.predict_outline([(1, "A. ĐẶC ĐIỂM TÌNH HÌNH", "..."), (2, "1. Thuận lợi", "")])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.data import load_yaml, model_path
from pipeline.nlp.linear_model import FieldSpec, LinearTextModel, strip_diacritics

# The trained model ships inside the package (found in a wheel too); its card, labelled data
# and builders stay in the source tree's models/sections/.
DEFAULT_MODEL = model_path("sections")
MODEL_DIR = DEFAULT_MODEL.parent
CONTEXT_CHARS = 300

# List numbers at the start of a heading, tried in order; the name becomes a feature token.
_SCHEMES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(r"^(?:phần|phan)\s+(?:thứ|thu)\s+\S+\s*[:.\-–—]?\s*|^(?:phần|phan)\s+"
                        r"(?:[ivx]{1,4}|\d{1,2})\b\s*[:.\-–—]*\s*", re.I)),
    ("decimal", re.compile(r"^\d{1,2}(?:\s?\.\s?\d{1,2}){1,3}\.?(?=\s|$)\s*")),
    ("roman", re.compile(r"^[IVX]{1,5}\s?[.)/:\-](?=\s|[^\W\d_])\s*")),
    ("upper_letter", re.compile(r"^[A-HJ-UWYZĐ]\s?[.)/](?=\s)\s*")),
    ("number", re.compile(r"^\d{1,2}\s?[.)/:\-](?=\s|[^\W\d_])\s*")),
    ("lower_letter", re.compile(r"^[a-zđ]\s?[.)/](?=\s)\s*")),
    ("bullet", re.compile(r"^[*❖➢►■□◆◇✓✔•+\-–—o]\s*(?=\S)")),
]

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("h_word", "heading", "word", (1, 2), deaccent=False, weight=1.0),
    FieldSpec("h_plain", "heading", "word", (1, 2), deaccent=True, weight=1.0),
    FieldSpec("h_char", "heading", "char", (2, 5), deaccent=True, weight=1.0, min_df=2),
    FieldSpec("context", "context", "word", (1, 2), deaccent=True, weight=0.4, min_df=2),
    FieldSpec("parent", "parent", "word", (1, 2), deaccent=True, weight=0.4),
    FieldSpec("tokens", "tokens", "tokens", (1, 1), weight=0.8),
)


@dataclass
class SectionInput:
    """One heading to label. `parent_label`, when the caller knows it (top-down), beats
    re-predicting the parent from `parent_heading`."""

    heading: str
    context: str = ""
    parent_heading: str | None = None
    doc_type: str | None = None
    parent_label: str | None = None


@dataclass
class SectionPrediction:
    label: str
    confidence: float
    source: str  # "model" | "rules"
    model_label: str  # what the model alone said
    model_confidence: float


# -- taxonomy ---------------------------------------------------------------------------------


@cache
def taxonomy() -> dict[str, Any]:
    return load_yaml("taxonomy.yaml")


def labels() -> list[str]:
    return list(taxonomy()["labels"])


def parent_of(label: str) -> str | None:
    return taxonomy()["labels"][label]["parent"]


def satisfies(label: str, required: str) -> bool:
    """A label satisfies a requirement when it is the required label or a descendant of it."""
    current: str | None = label
    while current is not None:
        if current == required:
            return True
        current = parent_of(current) if current in taxonomy()["labels"] else None
    return False


# -- features ---------------------------------------------------------------------------------


def split_number(heading: str) -> tuple[str, str]:
    """("II. KẾT QUẢ ...") -> ("roman", "KẾT QUẢ ..."); ("none", text) when unnumbered."""
    text = " ".join((heading or "").split())
    for name, pattern in _SCHEMES:
        m = pattern.match(text)
        if m and m.end() < len(text):
            return name, text[m.end():].strip()
    return "none", text


def features(item: SectionInput, parent_label: str | None) -> dict[str, str]:
    scheme, text = split_number(item.heading)
    letters = [c for c in text if c.isalpha()]
    caps = "caps" if letters and all(c.isupper() for c in letters) else "mixed"
    tokens = [f"scheme={scheme}", caps, f"parent={parent_label or 'none'}",
              f"doctype={item.doc_type or 'unknown'}"]
    if text.endswith(":"):
        tokens.append("colon")
    parent_text = split_number(item.parent_heading)[1] if item.parent_heading else ""
    return {"heading": text, "context": (item.context or "")[:CONTEXT_CHARS],
            "parent": parent_text, "tokens": " ".join(tokens)}


# -- rules ------------------------------------------------------------------------------------


@cache
def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    tax = taxonomy()
    out = []
    for label in tax["rules"]["order"]:
        words = tax["labels"][label].get("words") or []
        if words:
            alt = "|".join(re.escape(strip_diacritics(w).lower()) for w in words)
            out.append((label, re.compile(rf"(?<!\w)(?:{alt})(?!\w)")))
    return out


def rule_label(heading: str, parent_label: str | None = None) -> str | None:
    """The taxonomy label whose words match the longest stretch of the heading; ties go to
    the earlier label of `rules.order` ("Chỉ tiêu về công tác kiểm tra" is a target)."""
    text = strip_diacritics(split_number(heading)[1]).lower()
    best: tuple[int, int, str] | None = None  # (-matched length, order, label)
    for order, (label, pattern) in enumerate(_rule_patterns()):
        longest = max((len(m.group(0)) for m in pattern.finditer(text)), default=0)
        if longest and (best is None or (-longest, order) < best[:2]):
            best = (-longest, order, label)
    if best is None:
        return None
    label = best[2]
    # Under an assessment or plan heading, sub-headings take the part's label.
    inherit = taxonomy()["rules"]["inherit_from_parent"]
    if parent_label in inherit and not satisfies(label, parent_of(parent_label) or ""):
        return parent_label
    return label


# -- the classifier ---------------------------------------------------------------------------


class SectionClassifier:
    def __init__(self, model: LinearTextModel) -> None:
        self.model = model
        self.threshold = float(model.meta.get("rule_threshold",
                                              taxonomy()["rules"]["threshold"]))
        # How often the rules were right when they overrode an unsure model, measured in
        # cross-validation when the model was trained; it is the confidence they report.
        self.rule_confidence = float(model.meta.get("rule_confidence", 0.5))

    @classmethod
    def load(cls, path: Path | None = None) -> SectionClassifier:
        return cls(LinearTextModel.load(path or DEFAULT_MODEL))

    @property
    def version(self) -> str:
        return str(self.model.meta.get("model_version", "unknown"))

    def predict(self, items: Sequence[SectionInput]) -> list[tuple[str, float]]:
        return [(p.label, p.confidence) for p in self.predict_detailed(items)]

    def predict_detailed(self, items: Sequence[SectionInput]) -> list[SectionPrediction]:
        parents = []
        need = [it for it in items if it.parent_label is None and it.parent_heading]
        # A parent heading with no known label is labelled on its own first (no grandparent).
        guessed = iter(self._predict_rows([SectionInput(it.parent_heading or "",
                                                        doc_type=it.doc_type) for it in need],
                                          [None] * len(need)))
        for it in items:
            if it.parent_label is not None:
                parents.append(it.parent_label)
            elif it.parent_heading:
                parents.append(next(guessed).label)
            else:
                parents.append(None)
        return self._predict_rows(list(items), parents)

    def predict_outline(self, headings: Sequence[tuple[int, str, str]],
                        doc_type: str | None = None) -> list[SectionPrediction]:
        """Label an outline given as (level, heading, context) in document order, top-down:
        each heading's parent is the nearest earlier heading of a lower level."""
        out: list[SectionPrediction] = []
        stack: list[tuple[int, str, str]] = []  # level, heading, predicted label
        for level, heading, context in headings:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            item = SectionInput(heading, context, parent[1] if parent else None, doc_type,
                                parent[2] if parent else None)
            pred = self._predict_rows([item], [parent[2] if parent else None])[0]
            out.append(pred)
            stack.append((level, heading, pred.label))
        return out

    def _predict_rows(self, items: Sequence[SectionInput],
                      parents: Sequence[str | None]) -> list[SectionPrediction]:
        if not items:
            return []
        rows = [features(it, p) for it, p in zip(items, parents, strict=True)]
        probs = self.model.predict_proba(rows)
        out = []
        for it, parent, row in zip(items, parents, probs, strict=True):
            best = int(row.argmax())
            label, conf = self.model.classes[best], float(row[best])
            pred = SectionPrediction(label, conf, "model", label, conf)
            if conf < self.threshold:
                ruled = rule_label(it.heading, parent)
                if ruled is not None and ruled != label:
                    pred = SectionPrediction(ruled, self.rule_confidence, "rules", label, conf)
            out.append(pred)
        return out


# -- sections marked by a formula paragraph, not a heading ----------------------------------


@cache
def _cues() -> list[tuple[str, re.Pattern[str]]]:
    return [(label, re.compile(p, re.I)) for label, pats in taxonomy()["paragraph_cues"].items()
            for p in pats]


def paragraph_cue(text: str) -> str | None:
    """The label a paragraph's formula announces ("Trên đây là báo cáo ..." -> "closing",
    "Kính thưa ..." -> "speech.greeting"), or None."""
    # Leading marks ("* Trên đây là ...", a quote, a dash) do not hide the formula.
    head = " ".join(text.split()).lstrip("*-–+•\"“' ")[:200]
    for label, pattern in _cues():
        if pattern.match(head):
            return label
    return None


def _wrapped(p: str, nxt: str) -> bool:
    """Does paragraph `nxt` continue `p` (a line wrap kept as a paragraph break)?"""
    p, nxt = p.strip(), nxt.strip()
    return bool(p and nxt) and p[-1] not in ".!?:;" and (nxt[0].islower() or p[-1] == ",")


def label_paragraphs(paragraphs: Sequence[str], doc_type: str | None) -> list[str | None]:
    """Labels of the sections that documents of `doc_type` mark by paragraphs, not headings.

    political_report / review_report / resolution: only the closing formula.
    speech: greeting, recommendations and closing by their formulas; other paragraphs after the
    greeting are the body. news: the first paragraph of at least 100 characters is the lead
    (datelines and captions are shorter), every later one is body.
    """
    out: list[str | None] = [None] * len(paragraphs)
    if doc_type == "news":
        seen_lead = False
        for i, p in enumerate(paragraphs):
            if seen_lead:
                out[i] = "news.body" if p.strip() else None
            elif len(p.strip()) >= 100:
                out[i], seen_lead = "news.lead", True
        return out
    for i, p in enumerate(paragraphs):
        cue = paragraph_cue(p)
        if cue is None and i + 1 < len(paragraphs) and _wrapped(p, paragraphs[i + 1]):
            # "Trên đây là báo cáo ... nhiệm kỳ 2020 - 2025," / "xin kính trình Đại hội./.":
            # a formula the reader left in two paragraphs.
            cue = paragraph_cue(f"{p.strip()} {paragraphs[i + 1].strip()}")
            if cue == "closing":
                out[i + 1] = cue
        if doc_type == "speech":
            out[i] = cue if cue and cue.startswith("speech.") else None
        elif cue == "closing":
            out[i] = cue
    if doc_type == "speech":
        # After the greeting every paragraph belongs to the part in force: the body, then the
        # recommendations once they are announced (their bullets carry no formula), then the
        # closing.
        phase: str | None = None
        for i, p in enumerate(paragraphs):
            if out[i] is not None:
                phase = "speech.body" if out[i] == "speech.greeting" else out[i]
            elif phase is not None and p.strip():
                out[i] = phase
    return out
