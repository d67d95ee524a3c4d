"""The document-feature matrix of the stored paragraphs (quanteda's `dfm`): what exports write
for R and what comparisons (similarity, keyness) start from.

Features are syllables, lower case, marks kept ("đảng" and "đang" differ): syllables are what
every tool can split without a dictionary, so the matrix reads the same in R and Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

TOKEN_PATTERN = r"(?u)\b\w+\b"


@dataclass
class FeatureMatrix:
    """Counts: one row per document (`doc_ids`), one column per feature."""

    counts: sparse.csr_matrix
    doc_ids: list[int]
    features: list[str]

    def triplets(self) -> pd.DataFrame:
        """doc_id, feature, count for every non-zero cell (how R's Matrix/quanteda loads it)."""
        coo = self.counts.tocoo()
        return pd.DataFrame({"doc_id": np.asarray(self.doc_ids, dtype=np.int64)[coo.row],
                             "feature": np.asarray(self.features, dtype=object)[coo.col],
                             "count": coo.data.astype("int64")})


def document_texts(paragraphs: pd.DataFrame, section: str | None = None) -> pd.Series:
    """The body text of each document (headings left out), optionally of one section and its
    descendants, indexed by doc_id."""
    paras = paragraphs
    if "is_heading" in paras:
        paras = paras[paras["is_heading"] != 1]
    if section is not None:
        labels = paras["section"].fillna("")
        paras = paras[(labels == section) | labels.str.startswith(section + ".")]
    return paras.groupby("doc_id", sort=True)["text"].agg("\n".join)


def document_features(paragraphs: pd.DataFrame, min_df: int = 1) -> FeatureMatrix:
    texts = document_texts(paragraphs)
    if texts.empty:
        return FeatureMatrix(sparse.csr_matrix((0, 0), dtype=np.int64), [], [])
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True, min_df=min_df,
                          dtype=np.int64)
    counts = vec.fit_transform(texts.tolist())
    return FeatureMatrix(counts.tocsr(), [int(d) for d in texts.index],
                         vec.get_feature_names_out().tolist())
