"""A TF-IDF + linear classifier saved as plain JSON and run with numpy.

Why not pickle: a pickled scikit-learn estimator only loads with the version that wrote it, and
CI installs the latest release. Training uses scikit-learn (TfidfVectorizer with our own
analyzers, LogisticRegression); the artefact keeps only what prediction needs — per field the
analyzer settings, vocabulary and idf weights, then the classes, coefficients and intercepts —
and `LinearTextModel.predict_proba` recomputes exactly what sklearn's predict_proba would.

Texts come in as named fields (heading, context, ...); each field has its own analyzer and a
weight, so the context can count less than the heading.
"""

from __future__ import annotations

import base64
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.ingest.normalize import match_form

FORMAT = "daihoi-linear-text/1"
_WORD = re.compile(r"\w+")


def strip_diacritics(text: str) -> str:
    """"Kiểm tra, giám sát" -> "Kiem tra, giam sat" (đ -> d too)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


@dataclass(frozen=True)
class FieldSpec:
    """How one text field becomes features.

    kind: "word" (word n-grams), "char" (character n-grams inside word boundaries, like
    sklearn's char_wb) or "tokens" (the text is already space-separated tokens, e.g.
    "scheme=roman parent=plan").
    """

    name: str  # feature block name, unique in a model
    source: str  # key of the input dict the text comes from
    kind: str = "word"
    ngram: tuple[int, int] = (1, 1)
    deaccent: bool = False
    weight: float = 1.0
    min_df: int = 1

    def analyze(self, text: str) -> list[str]:
        # The matching form: features do not depend on the author's tone placement.
        text = match_form(unicodedata.normalize("NFC", text or "")).lower()
        if self.deaccent:
            text = strip_diacritics(text)
        if self.kind == "tokens":
            return text.split()
        words = _WORD.findall(text)
        lo, hi = self.ngram
        grams: list[str] = []
        if self.kind == "word":
            for n in range(lo, hi + 1):
                grams.extend(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
            return grams
        for word in words:
            padded = f" {word} "
            for n in range(lo, hi + 1):
                if len(padded) < n:
                    break
                grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
        return grams


def _b64(array: np.ndarray) -> dict[str, Any]:
    array = np.ascontiguousarray(array, dtype="<f8")
    return {"shape": list(array.shape), "dtype": "<f8",
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _unb64(obj: dict[str, Any]) -> np.ndarray:
    raw = base64.b64decode(obj["data"])
    return np.frombuffer(raw, dtype=obj["dtype"]).reshape(obj["shape"]).astype(np.float64)


class LinearTextModel:
    """Multiclass logistic regression over weighted TF-IDF blocks, numpy only."""

    def __init__(self, fields: Sequence[FieldSpec], vocabularies: Sequence[dict[str, int]],
                 idfs: Sequence[np.ndarray], classes: Sequence[str], coef: np.ndarray,
                 intercept: np.ndarray, meta: dict[str, Any] | None = None) -> None:
        self.fields = list(fields)
        self.vocabularies = list(vocabularies)
        self.idfs = list(idfs)
        self.classes = list(classes)
        self.coef = coef
        self.intercept = intercept
        self.meta = dict(meta or {})
        offsets, pos = [], 0
        for vocab in self.vocabularies:
            offsets.append(pos)
            pos += len(vocab)
        self.offsets = offsets

    # -- prediction -------------------------------------------------------------------------

    def _row(self, item: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
        cols: list[int] = []
        vals: list[float] = []
        for spec, vocab, idf, offset in zip(self.fields, self.vocabularies, self.idfs,
                                            self.offsets, strict=True):
            counts = Counter(g for g in spec.analyze(item.get(spec.source) or "") if g in vocab)
            if not counts:
                continue
            idx = np.fromiter((vocab[g] for g in counts), dtype=np.int64, count=len(counts))
            # sublinear tf, as trained (TfidfVectorizer(sublinear_tf=True)), then l2 norm.
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64,
                             count=len(counts))
            w = tf * idf[idx]
            w *= spec.weight / np.sqrt(np.dot(w, w))
            cols.extend((idx + offset).tolist())
            vals.extend(w.tolist())
        return np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float64)

    def decision(self, items: Sequence[dict[str, str]]) -> np.ndarray:
        scores = np.empty((len(items), self.coef.shape[0]))
        for r, item in enumerate(items):
            cols, vals = self._row(item)
            scores[r] = self.intercept + (self.coef[:, cols] @ vals if len(cols) else 0.0)
        return scores

    def predict_proba(self, items: Sequence[dict[str, str]]) -> np.ndarray:
        scores = self.decision(items)
        if self.coef.shape[0] == 1:  # binary LogisticRegression keeps one row
            p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - p, p])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    # -- persistence ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        fields = []
        for spec, vocab, idf in zip(self.fields, self.vocabularies, self.idfs, strict=True):
            terms = [""] * len(vocab)
            for term, i in vocab.items():
                terms[i] = term
            d = asdict(spec)
            d["ngram"] = list(spec.ngram)
            fields.append({**d, "vocabulary": terms, "idf": _b64(idf)})
        return {"format": FORMAT, **self.meta, "classes": self.classes, "fields": fields,
                "coef": _b64(self.coef), "intercept": _b64(self.intercept)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LinearTextModel:
        if obj.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {obj.get('format')!r}")
        specs, vocabs, idfs = [], [], []
        for f in obj["fields"]:
            specs.append(FieldSpec(name=f["name"], source=f["source"], kind=f["kind"],
                                   ngram=tuple(f["ngram"]), deaccent=f["deaccent"],
                                   weight=f["weight"], min_df=f["min_df"]))
            vocabs.append({term: i for i, term in enumerate(f["vocabulary"])})
            idfs.append(_unb64(f["idf"]))
        meta = {k: v for k, v in obj.items()
                if k not in ("format", "classes", "fields", "coef", "intercept")}
        return cls(specs, vocabs, idfs, obj["classes"], _unb64(obj["coef"]),
                   _unb64(obj["intercept"]), meta)

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


# -- training (scikit-learn is needed here only) ----------------------------------------------


def fit_sklearn(fields: Sequence[FieldSpec], items: Sequence[dict[str, str]],
                labels: Sequence[str], c: float = 10.0,
                class_weight: str | None = None) -> tuple[Any, list[Any], Any]:
    """Fit the vectorizers and the LogisticRegression; returns (matrix, vectorizers, clf)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    blocks, vectorizers = [], []
    for spec in fields:
        vec = TfidfVectorizer(analyzer=spec.analyze, sublinear_tf=True, min_df=spec.min_df)
        texts = [item.get(spec.source) or "" for item in items]
        try:
            block = vec.fit_transform(texts) * spec.weight
        except ValueError:  # empty vocabulary (e.g. no contexts in a tiny data file)
            vec = None
            block = None
        vectorizers.append(vec)
        if block is not None:
            blocks.append(block)
    matrix = hstack(blocks).tocsr()
    clf = LogisticRegression(C=c, max_iter=5000, class_weight=class_weight)
    clf.fit(matrix, list(labels))
    return matrix, vectorizers, clf


def train(fields: Sequence[FieldSpec], items: Sequence[dict[str, str]],
          labels: Sequence[str], c: float = 10.0, meta: dict[str, Any] | None = None,
          class_weight: str | None = None) -> tuple[LinearTextModel, Any, Any]:
    """Train and export; returns (model, training matrix, fitted sklearn classifier)."""
    matrix, vectorizers, clf = fit_sklearn(fields, items, labels, c, class_weight)
    kept = [(s, v) for s, v in zip(fields, vectorizers, strict=True) if v is not None]
    model = LinearTextModel(
        [s for s, _ in kept],
        [{t: int(i) for t, i in v.vocabulary_.items()} for _, v in kept],
        [np.asarray(v.idf_, dtype=np.float64) for _, v in kept],
        [str(c) for c in clf.classes_], np.asarray(clf.coef_, dtype=np.float64),
        np.asarray(clf.intercept_, dtype=np.float64), meta)
    return model, matrix, clf
