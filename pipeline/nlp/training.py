"""Training and document-level cross-validation of the section and doc_type classifiers.

Cross-validation is by document: every heading (or head) of one document is in the same fold,
so a figure says how the model does on a report it has never seen. Folds are assigned by a
seeded shuffle of the document ids (not sklearn's GroupKFold, whose assignment changed across
releases), so the figures in the cards are reproducible with any scikit-learn. Training accuracy
is never reported.
"""


import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.nlp import doctype as dt
from pipeline.nlp import sections as sec
from pipeline.nlp.linear_model import LinearTextModel, train

SEED = 13
C_SECTIONS = 10.0
C_DOCTYPE = 10.0


@dataclass
class CVResult:
    gold: list[str]
    predicted: list[str]
    docs: list[str]
    sources: list[str] = field(default_factory=list)  # "model" | "rules" per row
    model_only: list[str] = field(default_factory=list)

    def accuracy(self, keep: Callable[[int], bool] = lambda i: True,
                 pred: list[str] | None = None) -> tuple[float, int]:
        pred = pred or self.predicted
        idx = [i for i in range(len(self.gold)) if keep(i)]
        if not idx:
            return float("nan"), 0
        return sum(self.gold[i] == pred[i] for i in idx) / len(idx), len(idx)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]




def assign_folds(docs: Sequence[str], k: int, seed: int = SEED) -> dict[str, int]:
    unique = sorted(set(docs))
    random.Random(seed).shuffle(unique)
    return {d: i % k for i, d in enumerate(unique)}


# -- sections ---------------------------------------------------------------------------------


def fold_splits(records: Sequence[dict[str, Any]], k: int,
                seed: int = SEED) -> Iterator[tuple[list[int], list[int]]]:
    """(train indexes, test indexes) of each fold; every record of a document in one fold."""
    folds = assign_folds([r["doc"] for r in records], k, seed)
    for fold in range(k):
        train_idx = [i for i, r in enumerate(records) if folds[r["doc"]] != fold]
        test_idx = [i for i, r in enumerate(records) if folds[r["doc"]] == fold]
        if test_idx and train_idx:
            yield train_idx, test_idx


def _gold_parent_labels(records: Sequence[dict[str, Any]]) -> list[str | None]:
    """The labelled parent of each record: the nearest earlier heading of the same document
    with the parent's text (the data gives the parent by its text)."""
    out: list[str | None] = []
    seen: dict[tuple[str, str], str] = {}
    for r in records:
        out.append(seen.get((r["doc"], r["parent"])) if r.get("parent") else None)
        seen[(r["doc"], r["heading"])] = r["label"]
    return out


def section_rows(records: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    parents = _gold_parent_labels(records)
    return [sec.features(sec.SectionInput(r["heading"], r.get("context") or "",
                                          r.get("parent"), r.get("doc_type")), p)
            for r, p in zip(records, parents, strict=True)]


def fit_sections(records: Sequence[dict[str, Any]], meta: dict[str, Any] | None = None,
                 c: float = C_SECTIONS) -> tuple[LinearTextModel, Any, Any]:
    rows = section_rows(records)
    return train(sec.FIELDS, rows, [r["label"] for r in records], c, meta)


def predict_document(clf: sec.SectionClassifier,
                     records: Sequence[dict[str, Any]]) -> list[sec.SectionPrediction]:
    """Label one document's headings top-down, each seeing its parent's predicted label."""
    out: list[sec.SectionPrediction] = []
    seen: dict[str, str] = {}
    for r in records:
        parent = r.get("parent")
        item = sec.SectionInput(r["heading"], r.get("context") or "", parent, r.get("doc_type"),
                                seen.get(parent) if parent else None)
        pred = clf.predict_detailed([item])[0]
        out.append(pred)
        seen[r["heading"]] = pred.label
    return out


def cross_validate_sections(records: Sequence[dict[str, Any]], k: int = 5,
                            seed: int = SEED) -> CVResult:
    preds: list[sec.SectionPrediction | None] = [None] * len(records)
    for train_idx, test_idx in fold_splits(records, k, seed):
        model, _, _ = fit_sections([records[i] for i in train_idx])
        clf = sec.SectionClassifier(model)
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i in test_idx:
            by_doc[records[i]["doc"]].append(i)
        for idx in by_doc.values():
            for i, p in zip(idx, predict_document(clf, [records[i] for i in idx]), strict=True):
                preds[i] = p
    done = [p for p in preds if p is not None]
    if len(done) != len(records):
        raise ValueError("cross-validation needs at least two documents")
    return CVResult(gold=[r["label"] for r in records], predicted=[p.label for p in done],
                    docs=[r["doc"] for r in records], sources=[p.source for p in done],
                    model_only=[p.model_label for p in done])


def rule_precision(cv: CVResult) -> float:
    ruled = [i for i, s in enumerate(cv.sources) if s == "rules"]
    if not ruled:
        return 0.5
    return round(sum(cv.gold[i] == cv.predicted[i] for i in ruled) / len(ruled), 3)


# -- doc_type ---------------------------------------------------------------------------------


def doctype_rows(records: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    return [dt.features(r["text_head"], r.get("headings") or []) for r in records]


def fit_doctype(records: Sequence[dict[str, Any]], meta: dict[str, Any] | None = None,
                c: float = C_DOCTYPE) -> tuple[LinearTextModel, Any, Any]:
    # Balanced: political reports outnumber the other types in the data, not necessarily in use.
    return train(dt.FIELDS, doctype_rows(records), [r["label"] for r in records], c, meta,
                 class_weight="balanced")


def cross_validate_doctype(records: Sequence[dict[str, Any]], k: int = 5,
                           seed: int = SEED) -> CVResult:
    predicted: list[str | None] = [None] * len(records)
    for train_idx, test_idx in fold_splits(records, k, seed):
        model, _, _ = fit_doctype([records[i] for i in train_idx])
        clf = dt.DocTypeClassifier(model)
        for i in test_idx:
            predicted[i] = clf.predict(records[i]["text_head"], records[i].get("headings") or [])[0]
    return CVResult(gold=[r["label"] for r in records], predicted=[str(p) for p in predicted],
                    docs=[r["doc"] for r in records])


# -- model cards ------------------------------------------------------------------------------
