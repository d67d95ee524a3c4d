"""The document-feature matrix of the stored paragraphs (quanteda's `dfm`): what exports write
for R and what comparisons (similarity, keyness) start from.

Features are syllables, lower case, marks kept ("đảng" and "đang" differ): syllables are what
every tool can split without a dictionary, so the matrix reads the same in R and Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.store.readonly import readonly_connection, select_in

TOKEN_PATTERN = r"(?u)\b\w+\b"
CHUNK_DOCS = 2000  # documents read from the store at a time (out of core)


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


# -- out of core: the same results read from the store a chunk of documents at a time --------

def _body_filter(section: str | None) -> tuple[str, list[object]]:
    """SQL for `document_texts`' selection: body paragraphs, optionally of one section and its
    descendants (compared exactly: LIKE would ignore case)."""
    sql = "coalesce(is_heading, 0) <> 1"
    params: list[object] = []
    if section is not None:
        sql += (" AND (coalesce(section, '') = ? OR substr(coalesce(section, ''), 1, ?) = ?)")
        params += [section, len(section) + 1, section + "."]
    return sql, params


def text_document_ids(db: str | Path, section: str | None = None) -> list[int]:
    """The documents `document_texts` would return, in its order (by doc_id)."""
    where, params = _body_filter(section)
    with readonly_connection(db) as con:
        return [int(r[0]) for r in con.execute(
            f"SELECT DISTINCT doc_id FROM paragraphs WHERE {where} ORDER BY doc_id",  # noqa: S608
            params)]


def read_document_texts(db: str | Path, doc_ids: list[int],
                        section: str | None = None) -> pd.Series:
    """`document_texts` of these documents only, read from the store `db`."""
    where, params = _body_filter(section)
    rows: list[tuple[int, str]] = []
    sql = (f"SELECT doc_id, text FROM paragraphs WHERE {where} AND doc_id IN ({{ids}})"  # noqa: S608
           " ORDER BY doc_id, idx")
    with readonly_connection(db) as con:
        for cursor in select_in(con, sql, doc_ids, params):
            rows.extend(cursor)
    texts: dict[int, list[str]] = {}
    for doc_id, text in rows:
        texts.setdefault(int(doc_id), []).append(text)
    keys = sorted(texts)
    return pd.Series(["\n".join(texts[k]) for k in keys], index=pd.Index(keys, name="doc_id"),
                     name="text", dtype=object)


def iter_document_texts(db: str | Path, section: str | None = None,
                        chunk_docs: int = CHUNK_DOCS) -> Iterator[pd.Series]:
    """`document_texts` of the store, `chunk_docs` documents at a time, in doc_id order."""
    ids = text_document_ids(db, section)
    for i in range(0, len(ids), chunk_docs):
        yield read_document_texts(db, ids[i:i + chunk_docs], section)


def store_document_features(db: str | Path, min_df: int = 1,
                            chunk_docs: int = CHUNK_DOCS) -> FeatureMatrix:
    """`document_features` of the whole store, read `chunk_docs` documents at a time: only
    the sparse counts grow with the corpus, never its text (the same matrix, tests/
    test_compare.py)."""
    analyze = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True).build_analyzer()
    vocabulary: dict[str, int] = {}
    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    lengths: list[int] = []
    doc_ids: list[int] = []
    for texts in iter_document_texts(db, chunk_docs=chunk_docs):
        for doc_id, text in texts.items():
            counts = Counter(analyze(text))
            cols = [vocabulary.setdefault(w, len(vocabulary)) for w in counts]
            indices.append(np.asarray(cols, dtype=np.int64))
            data.append(np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))
            lengths.append(len(counts))
            doc_ids.append(int(doc_id))
    if not doc_ids:
        return FeatureMatrix(sparse.csr_matrix((0, 0), dtype=np.int64), [], [])
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    counts = sparse.csr_matrix((np.concatenate(data), np.concatenate(indices), indptr),
                               shape=(len(doc_ids), len(vocabulary)))
    names = np.asarray(list(vocabulary), dtype=object)
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    # CountVectorizer's order: features sorted by name, those in fewer than min_df dropped.
    keep = np.flatnonzero(df >= min_df)
    keep = keep[np.argsort(names[keep], kind="stable")]
    counts = counts[:, keep].tocsr()
    counts.sort_indices()
    return FeatureMatrix(counts, doc_ids, names[keep].tolist())
