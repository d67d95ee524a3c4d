"""For researchers: TF-IDF similarity of the same section across
units and terms, and keyness of one unit's vocabulary against its peers (as quanteda's
`textstat_simil` and `textstat_keyness`). The document-feature matrix itself (quanteda's `dfm`)
is in pipeline/store/features.py: the store exports it, and the store does not import compare.

Features are syllables, lower case, marks kept ("đảng" and "đang" differ): Vietnamese words are
one to four syllables, and syllables are what every tool can split without a dictionary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_dist
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.compare.units import label_documents
from pipeline.store.features import TOKEN_PATTERN, FeatureMatrix, document_features
from pipeline.store.features import document_texts as _document_texts
from pipeline.store.folding import fold

__all__ = ["FeatureMatrix", "document_features", "section_similarity", "keyness"]


def section_similarity(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, section: str, top: int = 5
) -> pd.DataFrame:
    """For each document, its `top` most similar documents on the text of one section
    (`section` and its descendants): TF-IDF over syllables and syllable pairs, cosine.

    Long table: source/unit/term of both sides, similarity, same_unit. Computed in blocks of
    rows, so 10,000 documents never make a 10,000² dense matrix."""
    texts = _document_texts(paragraphs, section)
    columns = ["section", "source_a", "unit_a", "term_a", "source_b", "unit_b", "term_b",
               "similarity", "same_unit"]
    if len(texts) < 2:
        return pd.DataFrame(columns=columns)
    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), sublinear_tf=True,
                          min_df=1)
    x = vec.fit_transform(texts.tolist()).tocsr()
    docs = label_documents(documents).set_index("doc_id")
    ids = texts.index.to_numpy()
    k = min(top, len(ids) - 1)
    rows = []
    for lo in range(0, len(ids), 1000):
        sims = (x[lo:lo + 1000] @ x.T).toarray()
        for r in range(sims.shape[0]):
            sims[r, lo + r] = -1.0  # not itself
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, cols in enumerate(best):
            a = docs.loc[ids[lo + r]]
            for c in sorted(cols, key=lambda c: -sims[r, c]):
                b = docs.loc[ids[c]]
                rows.append([section, a["source"], a["unit_label"], a["term_label"],
                             b["source"], b["unit_label"], b["term_label"],
                             round(float(sims[r, c]), 4), a["unit_key"] == b["unit_key"]])
    return pd.DataFrame(rows, columns=columns)


def similarity_matrix(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, section: str | None = None
) -> pd.DataFrame:
    """Dense cosine similarity, rows and columns (unit, term); for small corpora and plots."""
    texts = _document_texts(paragraphs, section)
    docs = label_documents(documents).set_index("doc_id").loc[texts.index]
    index = pd.MultiIndex.from_arrays([docs["unit_label"], docs["term_label"]],
                                      names=["unit", "term"])
    if texts.empty:
        return pd.DataFrame(index=index, columns=index)
    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), sublinear_tf=True)
    x = vec.fit_transform(texts.tolist())
    return pd.DataFrame((x @ x.T).toarray().round(4), index=index, columns=index)


def keyness(
    paragraphs: pd.DataFrame,
    documents: pd.DataFrame,
    unit: str,
    top: int = 30,
    features: FeatureMatrix | None = None,
) -> pd.DataFrame:
    """Syllables over-used by one unit (its documents, matched by folded name) against all the
    other documents: chi-squared with Yates' correction, signed (negative: under-used), as
    quanteda's `textstat_keyness`. Columns: feature, chi2, p, n_target, n_reference."""
    fm = features or document_features(paragraphs)
    docs = label_documents(documents).set_index("doc_id")
    want = " ".join(fold(unit).split())
    target = np.asarray([want in docs.loc[d, "unit_key"] for d in fm.doc_ids], dtype=bool)
    columns = ["feature", "chi2", "p", "n_target", "n_reference"]
    if not target.any() or target.all():
        return pd.DataFrame(columns=columns)
    a = np.asarray(fm.counts[target].sum(axis=0)).ravel().astype(float)
    b = np.asarray(fm.counts[~target].sum(axis=0)).ravel().astype(float)
    c, d = a.sum() - a, b.sum() - b
    n = a + b + c + d
    num = n * np.maximum(np.abs(a * d - b * c) - n / 2, 0) ** 2
    den = (a + b) * (c + d) * (a + c) * (b + d)
    stat = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    stat *= np.where(a / np.maximum(a + c, 1) >= b / np.maximum(b + d, 1), 1, -1)
    order = np.argsort(-stat, kind="stable")[:top]
    return pd.DataFrame({
        "feature": np.asarray(fm.features, dtype=object)[order],
        "chi2": stat[order].round(3),
        "p": chi2_dist.sf(np.abs(stat[order]), 1).round(6),
        "n_target": a[order].astype("int64"),
        "n_reference": b[order].astype("int64"),
    }, columns=columns)
