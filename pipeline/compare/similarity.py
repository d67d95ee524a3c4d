"""For researchers: TF-IDF similarity of the same section across
units and terms (as quanteda's `textstat_simil`); keyness on words is pipeline/compare/keyness.py.
The document-feature matrix itself (quanteda's `dfm`) is in pipeline/store/features.py: the
store exports it, and the store does not import compare.

Features are syllables, lower case, marks kept ("đảng" and "đang" differ): Vietnamese words are
one to four syllables, and syllables are what every tool can split without a dictionary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.compare.units import label_documents
from pipeline.store.features import TOKEN_PATTERN
from pipeline.store.features import document_texts as _document_texts

__all__ = ["section_similarity", "similarity_matrix"]

BIG_CORPUS = 1000  # documents: from here on, similarity drops features in most documents


def section_similarity(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, section: str | None = None, top: int = 5
) -> pd.DataFrame:
    """For each document, its `top` most similar documents on the text of one section
    (`section` and its descendants; None: the whole text): TF-IDF over syllables and syllable
    pairs, cosine. Each pair of documents is listed once, the most similar first.

    Long table: source/unit/term of both sides, similarity, same_unit. Computed in blocks of
    rows, so 10,000 documents never make a 10,000² dense matrix."""
    texts = _document_texts(paragraphs, section)
    columns = ["section", "unit_a", "term_a", "unit_b", "term_b", "similarity", "same_unit",
               "source_a", "source_b"]
    if len(texts) < 2:
        return pd.DataFrame(columns=columns)
    # On a big corpus, features in more than half of the documents (their idf is near zero
    # anyway) are left out: they would make every row of the product dense.
    big = len(texts) >= BIG_CORPUS
    # Whole documents of a big corpus: syllables only (pairs of syllables double the work and
    # change little over a whole text).
    ngrams = (1, 1) if big and section is None else (1, 2)
    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=ngrams, sublinear_tf=True,
                          min_df=2 if big else 1, max_df=0.5 if big else 1.0)
    x = vec.fit_transform(texts.tolist()).tocsr()
    docs = label_documents(documents).set_index("doc_id")
    ids = texts.index.to_numpy()
    k = min(top, len(ids) - 1)
    best_of: dict[tuple[int, int], float] = {}
    for lo in range(0, len(ids), 1000):
        sims = (x[lo:lo + 1000] @ x.T).toarray()
        for r in range(sims.shape[0]):
            sims[r, lo + r] = -1.0  # not itself
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, cols in enumerate(best):
            for c in cols:
                # (a, b) and (b, a) are one pair: the older document (lower id) first.
                pair = (min(lo + r, int(c)), max(lo + r, int(c)))
                best_of[pair] = float(sims[r, c])
    rows = []
    for (i, j), sim in sorted(best_of.items(), key=lambda kv: (-kv[1], kv[0])):
        a, b = docs.loc[ids[i]], docs.loc[ids[j]]
        rows.append([section or "", a["unit_label"], a["term_label"], b["unit_label"],
                     b["term_label"], round(sim, 4), a["unit_key"] == b["unit_key"],
                     a["source"], b["source"]])
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

