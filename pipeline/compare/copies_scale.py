"""Copied passages over a corpus too large for one process's memory (`daihoi compare copies
--engine dask`, or `copies_out_of_core(db)` in Python).

Three steps, none needing the whole corpus in memory:

1. **Shingle, in chunks of documents** (one Dask task per chunk when asked): each chunk's
   paragraphs are read from the store, cut into shingles with hashes that depend on the text
   only (`pipeline.textindex.token_keys`), and written to disk split into hash buckets: the
   (hash, document) and (hash, unit) pairs that say how common each shingle is, and the
   winnowed fingerprints of the paragraphs long enough to compare.
2. **Per bucket** (one task each): the number of documents and units holding each shingle, in
   one pass (the document frequencies behind the boilerplate discount); the generic shingles
   (in more than `max_docs` documents, or shared by most units); and the candidate pairs of
   paragraphs sharing a fingerprint that is not generic. A bucket holds 1/`buckets` of the
   hashes, so memory is bounded by the bucket count, not by the corpus.
3. **Align the candidates only**, `pairs_per_batch` at a time: the paragraphs of a batch of
   candidate pairs are read back and passed to `detect_copies` with the corpus-wide generic
   shingles, and the rows of that batch's pairs kept, so the result is exactly the in-memory
   detector's (same rows, same order; tests/test_engine_dask.py).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compare.copies import SIGNAL_ORDER, CopyParams, detect_copies
from pipeline.compare.units import label_documents
from pipeline.store.folding import WORD_RE, fold
from pipeline.textindex import candidate_pairs, encode, shingles, token_keys, winnow

_DIGITS = re.compile(r"\d+")
CHUNK_DOCS = 1000
BUCKETS = 16


class StoreParagraphs:
    """Where the paragraphs come from: the store (read-only, by ranges of document ids). Any
    object with the same two methods can stand for it (a benchmark generates them)."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)

    def chunk(self, doc_ids: list[int]) -> list[tuple[int, int, str]]:
        """(paragraph id, doc id, text) of the non-heading paragraphs of these documents."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT id, doc_id, text FROM paragraphs WHERE doc_id BETWEEN ? AND ?"
                " AND coalesce(is_heading, 0) <> 1 AND text <> '' ORDER BY doc_id, idx",
                (min(doc_ids), max(doc_ids))).fetchall()
        finally:
            con.close()
        wanted = set(doc_ids)
        return [r for r in rows if r[1] in wanted]

    def by_id(self, ids: list[int]) -> pd.DataFrame:
        """paragraph_id, doc_id, idx, is_heading, text of these paragraphs."""
        rows: list[tuple[Any, ...]] = []
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            for i in range(0, len(ids), 900):  # SQLite's limit on parameters
                part = ids[i:i + 900]
                rows.extend(con.execute(
                    "SELECT id, doc_id, idx, is_heading, text FROM paragraphs WHERE id IN "  # noqa: S608
                    f"({','.join('?' * len(part))})", part).fetchall())
        finally:
            con.close()
        frame = pd.DataFrame(rows, columns=["paragraph_id", "doc_id", "idx", "is_heading",
                                            "text"])
        return frame.sort_values(["doc_id", "idx"]).reset_index(drop=True)


def copies_out_of_core(
    db: str | Path | Any, documents: pd.DataFrame, params: CopyParams | None = None,
    engine: str = "serial", workers: int = 2, scheduler: str | None = None,
    chunk_docs: int = CHUNK_DOCS, buckets: int = BUCKETS, client: Any = None,
    pairs_per_batch: int | None = None,
) -> pd.DataFrame:
    """The copies table (`copies.COLUMNS`) of the store `db`; `documents`: its documents frame
    (doc_id, source, unit, term, ...), as `Corpus.documents` gives it; `db` may also be a
    paragraph source with `chunk` and `by_id` (see `StoreParagraphs`). `client`: a connected
    Dask client to use (engine "dask"; default: connect to `scheduler` or start a
    LocalCluster of `workers`)."""
    p = params or CopyParams()
    source = StoreParagraphs(db) if isinstance(db, (str, Path)) else db
    docs = label_documents(documents)
    unit_codes = docs["unit_key"].astype("category").cat.codes.to_numpy()
    doc_ids = docs["doc_id"].to_numpy(dtype=np.int64)
    unit_of_doc = dict(zip(doc_ids.tolist(), unit_codes.tolist(), strict=True))
    n_units = int(unit_codes.max()) + 1 if len(unit_codes) else 0
    limit_units = max(p.boilerplate_min_units, p.boilerplate_share * n_units)
    order = np.sort(doc_ids)
    chunks = [order[i:i + chunk_docs].tolist() for i in range(0, len(order), chunk_docs)]
    work = Path(tempfile.mkdtemp(prefix="daihoi_copies_"))
    try:
        run = _runner(engine, workers, scheduler, client)
        run(_shingle_chunk, [(source, c, {d: unit_of_doc[d] for d in c}, p, str(work),
                              buckets, n) for n, c in enumerate(chunks)])
        found = run(_bucket, [(str(work), b, limit_units, p.max_docs) for b in range(buckets)])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    generic = np.sort(np.concatenate([g for g, _ in found] or [np.zeros(0, np.uint64)]))
    pairs = np.concatenate([c for _, c in found] or [np.zeros((0, 2), np.int64)])
    pairs = np.unique(np.sort(pairs, axis=1), axis=0) if len(pairs) else pairs
    # Candidates are aligned a batch at a time: only the paragraphs of one batch are in memory.
    step = pairs_per_batch or PAIRS_PER_BATCH
    parts = [_align_batch(source, documents, p, generic, pairs[i:i + step])
             for i in range(0, len(pairs), step)]
    if not parts:
        return detect_copies(pd.DataFrame(columns=["doc_id", "idx", "text"]), documents, p)
    out = pd.concat(parts, ignore_index=True)
    # detect_copies' order: signal, similarity, shared words, then the pair's place in the
    # corpus (its earlier paragraph, then its later one).
    low, high = _pair_keys(out)
    out = out.assign(_rank=out["signal"].map(SIGNAL_ORDER), _low=low, _high=high)
    return out.sort_values(["_rank", "similarity", "shared_words", "_low", "_high"],
                           ascending=[True, False, False, True, True], kind="stable"
                           ).drop(columns=["_rank", "_low", "_high"]).reset_index(drop=True)


PAIRS_PER_BATCH = 20_000


def _align_batch(source: Any, documents: pd.DataFrame, p: CopyParams, generic: np.ndarray,
                 pairs: np.ndarray) -> pd.DataFrame:
    """detect_copies on the paragraphs of these candidate pairs, keeping these pairs' rows
    (the subset can pair other paragraphs too: those belong to another batch)."""
    paragraphs = source.by_id(np.unique(pairs.ravel()).tolist())
    key_of = {int(r.paragraph_id): (int(r.doc_id), int(r.idx))
              for r in paragraphs[["paragraph_id", "doc_id", "idx"]].itertuples()}
    wanted = {tuple(sorted((key_of[int(a)], key_of[int(b)]))) for a, b in pairs.tolist()
              if int(a) in key_of and int(b) in key_of}
    found = detect_copies(paragraphs, documents, p, generic_hashes=generic)
    if found.empty:
        return found
    low, high = _pair_keys(found)
    return found[[(lo, hi) in wanted for lo, hi in zip(low, high, strict=True)]]


def _pair_keys(rows: pd.DataFrame) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    a = list(zip(rows["doc_a"].astype(int), rows["paragraph_a"].astype(int), strict=True))
    b = list(zip(rows["doc_b"].astype(int), rows["paragraph_b"].astype(int), strict=True))
    return ([min(x, y) for x, y in zip(a, b, strict=True)],
            [max(x, y) for x, y in zip(a, b, strict=True)])


def _runner(engine: str, workers: int, scheduler: str | None, client: Any = None
            ) -> Callable[..., list[Any]]:
    """Run a function over argument tuples in this process or as Dask tasks."""
    if engine != "dask":
        return lambda fn, calls: [fn(*a) for a in calls]

    def on_dask(fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
        from pipeline.engine.dask_executor import DaskExecutor

        if client is not None:
            return client.gather([client.submit(fn, *a, pure=False) for a in calls])
        executor = DaskExecutor(workers, scheduler=scheduler)
        try:
            executor.connect()
            futures = [executor.client.submit(fn, *a, pure=False) for a in calls]
            return executor.client.gather(futures)
        finally:
            executor.close()

    return on_dask


def _tokens(text: str) -> list[str]:
    # The copy detector's tokens: folded syllables, every number one token "0".
    return WORD_RE.findall(_DIGITS.sub("0", fold(text)))


def _shingle_chunk(
    source: Any, doc_ids: list[int], unit_of_doc: dict[int, int], p: CopyParams, work: str,
    buckets: int, number: int,
) -> int:
    rows = source.chunk(doc_ids)
    if not rows:
        return 0
    block = np.asarray([r[0] for r in rows], dtype=np.int64)
    doc = np.asarray([r[1] for r in rows], dtype=np.int64)
    unit = np.asarray([unit_of_doc.get(d, -1) for d in doc.tolist()], dtype=np.int64)
    ids, lengths, vocab = encode([_tokens(r[2]) for r in rows])
    sh = shingles(ids, lengths, p.k, token_keys(list(vocab)))
    fp_hash, fp_para = winnow(sh, p.window)
    long_enough = (lengths >= p.min_words)[fp_para]
    fp_hash, fp_para = fp_hash[long_enough], fp_para[long_enough]
    h_doc = _unique_pairs(sh.hashes, doc[sh.para_ids])
    h_unit = _unique_pairs(sh.hashes, unit[sh.para_ids])
    for b in range(buckets):
        out = Path(work) / f"b{b:03d}"
        out.mkdir(exist_ok=True)
        sel_d = h_doc[0] % np.uint64(buckets) == b
        sel_u = h_unit[0] % np.uint64(buckets) == b
        sel_f = fp_hash % np.uint64(buckets) == b
        np.savez(out / f"c{number:06d}.npz", doc_h=h_doc[0][sel_d], doc_g=h_doc[1][sel_d],
                 unit_h=h_unit[0][sel_u], unit_g=h_unit[1][sel_u], fp_h=fp_hash[sel_f],
                 fp_block=block[fp_para[sel_f]], fp_doc=doc[fp_para[sel_f]])
    return len(rows)


def _unique_pairs(h: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(h) == 0:
        return h, g
    order = np.lexsort((g, h))
    h, g = h[order], g[order]
    first = np.concatenate(([True], (h[1:] != h[:-1]) | (g[1:] != g[:-1])))
    return h[first], g[first]


def _bucket(work: str, b: int, limit_units: float, max_docs: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """(generic hashes, candidate pairs of paragraph ids) of one hash bucket."""
    parts = [np.load(f) for f in sorted((Path(work) / f"b{b:03d}").glob("*.npz"))]
    if not parts:
        return np.zeros(0, np.uint64), np.zeros((0, 2), np.int64)

    def cat(key: str) -> np.ndarray:
        return np.concatenate([part[key] for part in parts])

    # Document frequency: (hash, doc) pairs are unique across chunks (a document is in one).
    h_doc, n_docs = np.unique(cat("doc_h"), return_counts=True)
    # Unit frequency: one unit may have documents in several chunks, so pairs are made unique.
    uh, _ = _unique_pairs(cat("unit_h"), cat("unit_g"))
    h_unit, n_units = np.unique(uh, return_counts=True)
    generic = np.union1d(h_doc[n_docs > max_docs], h_unit[n_units > limit_units])
    fp_h, fp_block, fp_doc = cat("fp_h"), cat("fp_block"), cat("fp_doc")
    keep = ~np.isin(fp_h, generic)
    fp_h, fp_block, fp_doc = fp_h[keep], fp_block[keep], fp_doc[keep]
    blocks, local = np.unique(fp_block, return_inverse=True)
    doc_of_local = np.zeros(len(blocks), dtype=np.int64)
    doc_of_local[local] = fp_doc
    pairs = candidate_pairs(fp_h, local, doc_of_local)
    found = np.asarray([(blocks[a], blocks[c]) for a, c in pairs], dtype=np.int64)
    return generic.astype(np.uint64), found.reshape(-1, 2)
