"""For researchers: TF-IDF similarity of the same section across
units and terms (as quanteda's `textstat_simil`); keyness on words is pipeline/compare/keyness.py.
The document-feature matrix itself (quanteda's `dfm`) is in pipeline/store/features.py: the
store exports it, and the store does not import compare.

Features are syllables, lower case, marks kept ("đảng" and "đang" differ): Vietnamese words are
one to four syllables, and syllables are what every tool can split without a dictionary.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from pipeline.compare.units import label_documents
from pipeline.store.features import CHUNK_DOCS, TOKEN_PATTERN, iter_document_texts
from pipeline.store.features import document_texts as _document_texts

__all__ = ["section_similarity", "section_similarity_from_store", "similarity_matrix"]

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
    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, sublinear_tf=True,
                          **_settings(len(texts), section))  # type: ignore[arg-type]
    x = vec.fit_transform(texts.tolist()).tocsr()
    # The transposed matrix converted once, not by scipy at every block's product.
    return _nearest(lambda lo, hi: x[lo:hi], x.T.tocsr(), texts.index.to_numpy(), documents,
                    section, top, columns)


def _settings(n_docs: int, section: str | None) -> dict[str, object]:
    # On a big corpus, features in more than half of the documents (their idf is near zero
    # anyway) are left out: they would make every row of the product dense. Whole documents
    # of a big corpus: syllables only (pairs of syllables double the work and change little
    # over a whole text).
    big = n_docs >= BIG_CORPUS
    return {"ngram_range": (1, 1) if big and section is None else (1, 2),
            "min_df": 2 if big else 1, "max_df": 0.5 if big else 1.0}


def _nearest(rows, x_t, ids: np.ndarray, documents: pd.DataFrame,  # noqa: ANN001
             section: str | None, top: int, columns: list[str]) -> pd.DataFrame:
    """Each row's `top` most similar other rows (cosine of L2-normed TF-IDF rows), computed a
    block of rows at a time: `rows(lo, hi)` gives the block, `x_t` (the transposed matrix, or a
    callable multiplying a block by it) the products."""
    docs = label_documents(documents).set_index("doc_id")
    k = min(top, len(ids) - 1)
    best_of: dict[tuple[int, int], float] = {}
    for lo in range(0, len(ids), 1000):
        block = rows(lo, min(lo + 1000, len(ids)))
        sims = x_t(block) if callable(x_t) else (block @ x_t).toarray()
        for r in range(sims.shape[0]):
            sims[r, lo + r] = -1.0  # not itself
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, cols in enumerate(best):
            for c in cols:
                # (a, b) and (b, a) are one pair: the older document (lower id) first.
                pair = (min(lo + r, int(c)), max(lo + r, int(c)))
                best_of[pair] = float(sims[r, c])
    # Each row's labels as plain lists, looked up by position: a `docs.loc` per pair cost
    # most of this step (64,000 pandas row lookups at 10,000 documents).
    rows_docs = docs.loc[ids]
    unit = rows_docs["unit_label"].tolist()
    term = rows_docs["term_label"].tolist()
    key = rows_docs["unit_key"].tolist()
    source = rows_docs["source"].tolist()
    rows_out = []
    for (i, j), sim in sorted(best_of.items(), key=lambda kv: (-kv[1], kv[0])):
        rows_out.append([section or "", unit[i], term[i], unit[j], term[j], round(sim, 4),
                         key[i] == key[j], source[i], source[j]])
    return pd.DataFrame(rows_out, columns=columns)


def section_similarity_from_store(
    db: str | Path, documents: pd.DataFrame, section: str | None = None, top: int = 5,
    chunk_docs: int = CHUNK_DOCS, work_dir: str | Path | None = None,
) -> pd.DataFrame:
    """`section_similarity` of the store `db` without its text in memory: one pass over the
    store in chunks counts document frequencies, a second writes each chunk's TF-IDF rows
    (sklearn's own transformer, the corpus-wide idf) to disk, and the similarities are
    computed a block of rows at a time against the blocks on disk. Same rows as the
    in-memory function (tests/test_compare.py)."""
    columns = ["section", "unit_a", "term_a", "unit_b", "term_b", "similarity", "same_unit",
               "source_a", "source_b"]
    ids: list[int] = []
    df: Counter[str] = Counter()
    probe = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2))
    # The settings depend on the number of documents: count them first (ids only).
    from pipeline.store.features import text_document_ids

    n = len(text_document_ids(db, section))
    if n < 2:
        return pd.DataFrame(columns=columns)
    settings = _settings(n, section)
    probe.set_params(ngram_range=settings["ngram_range"])
    analyze = probe.build_analyzer()
    for texts in iter_document_texts(db, section, chunk_docs):
        ids.extend(int(d) for d in texts.index)
        for text in texts:
            df.update(set(analyze(text)))
    # TfidfVectorizer's vocabulary: names sorted, document frequency within [min_df, max_df].
    high = settings["max_df"] * n if isinstance(settings["max_df"], float) else settings["max_df"]
    vocabulary = {w: i for i, w in enumerate(sorted(
        w for w, c in df.items() if settings["min_df"] <= c <= high))}  # type: ignore[operator]
    if not vocabulary:
        return pd.DataFrame(columns=columns)
    freq = np.asarray([df[w] for w in vocabulary], dtype=np.float64)
    del df
    counter = CountVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=settings["ngram_range"],
                              vocabulary=vocabulary, dtype=np.float64)
    weigh = TfidfTransformer(sublinear_tf=True).fit(sparse.csr_matrix((1, len(vocabulary))))
    # TfidfTransformer.fit's smoothed idf, from the counts of the first pass.
    idf = np.full_like(freq, fill_value=n + 1, dtype=np.float64)
    idf /= freq + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    weigh.idf_ = idf
    work = Path(tempfile.mkdtemp(prefix="daihoi_similarity_", dir=work_dir))
    try:
        sizes = []
        for number, texts in enumerate(iter_document_texts(db, section, chunk_docs)):
            block = weigh.transform(counter.transform(texts.tolist())).tocsr()
            sparse.save_npz(work / f"x{number:06d}.npz", block, compressed=False)
            sizes.append(block.shape[0])
        starts = np.concatenate(([0], np.cumsum(sizes)))

        def rows(lo: int, hi: int) -> sparse.csr_matrix:
            first = int(np.searchsorted(starts, lo, side="right")) - 1
            last = int(np.searchsorted(starts, hi - 1, side="right")) - 1
            parts = [sparse.load_npz(work / f"x{c:06d}.npz") for c in range(first, last + 1)]
            stacked = sparse.vstack(parts).tocsr() if len(parts) > 1 else parts[0]
            return stacked[lo - int(starts[first]):hi - int(starts[first])]

        def times_all(block: sparse.csr_matrix) -> np.ndarray:
            return np.hstack([(block @ sparse.load_npz(work / f"x{c:06d}.npz").T).toarray()
                              for c in range(len(sizes))])

        return _nearest(rows, times_all, np.asarray(ids), documents, section, top, columns)
    finally:
        shutil.rmtree(work, ignore_errors=True)


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

