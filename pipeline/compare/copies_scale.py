"""Copied passages over a corpus too large for one process's memory (`daihoi compare copies
--engine serial|dask`, or `copies_out_of_core(db)` in Python).

Four steps, none needing the whole corpus in memory, all on numpy arrays on disk; each step is
a list of tasks run in this process (`engine="serial"`), in `workers` processes (`"process"`)
or on Dask (`"dask"`):

1. **Shingle, in chunks of documents** (one Dask task per chunk when asked): each chunk's
   paragraphs are read from the store, cut into shingles with hashes that depend on the text
   only (`pipeline.textindex.token_keys`), and written to disk: split into hash buckets, the
   (hash, document) and (hash, unit) pairs that say how common each shingle is and the
   winnowed fingerprints of the paragraphs long enough to compare; per chunk, what aligning
   those paragraphs needs (their shingle hashes in order and which of their syllables spell
   their own unit's name), so the text is tokenised once.
2. **Per bucket** (one task each): the number of documents and units holding each shingle, in
   one pass (the document frequencies behind the boilerplate discount); the generic shingles
   (in more than `max_docs` documents, or shared by most units); and the candidate pairs of
   paragraphs sharing a fingerprint that is not generic, made by sorting, not by a Python loop
   (`textindex.pair_array`). A bucket holds 1/`buckets` of the hashes, so memory is bounded by
   the bucket count, not by the corpus.
3. **The cheap bound for every pair at once** (one task per bucket): once the generic
   shingles are known, each long paragraph's evidence (its distinct non-generic shingles) is
   bucketed by hash like the fingerprints, and each bucket counts, by sorting, how many
   evidence shingles every pair of paragraphs shares there; summed over buckets that is the
   size of the two evidence sets' intersection, which the aligner otherwise computes pair by
   pair in Python. Most candidates share a stray phrase or two and stop here.
4. **Align the candidates that pass** (one task per range of first paragraphs): the arrays
   of step 1, joined into one file each, are memory-mapped; each pair is aligned by
   `copies.align_pair` (the in-memory detector's own code), and only the pairs that are copies
   read their text back from the store to become rows. The result is exactly the in-memory
   detector's (same rows, same order; tests/test_engine_dask.py, tests/test_compare.py).

The work folder (a temporary folder, removed at the end) must be reachable by every Dask
worker: a LocalCluster, or a folder shared by the machines (`work_dir`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compare.copies import (
    COLUMNS,
    SIGNAL_ORDER,
    CopyParams,
    _find_sequence,
    _is_in,
    _row,
    _token_spans,
    align_pair,
)
from pipeline.compare.units import label_documents
from pipeline.store.folding import WORD_RE, fold
from pipeline.store.readonly import readonly_connection, select_in
from pipeline.textindex import encode, pair_array, pair_keys, shingles, token_keys, winnow

_DIGITS = re.compile(r"\d+")
CHUNK_DOCS = 2000
BUCKETS = 32
# Aligned paragraphs' shingle sets kept in memory at once (a few kB each).
SET_CACHE = 40_000
# Per long paragraph (small, read whole) and flat (large, memory-mapped) arrays of step 1,
# and the evidence (non-generic distinct shingles) found once the generic ones are known.
_PER_PARAGRAPH = ("pid", "doc", "count", "ntok", "evcount")
_FLAT = ("hashes", "name", "ev")
class StoreParagraphs:
    """Where the paragraphs come from: the store (read-only, by ranges of document ids). Any
    object with the same two methods can stand for it (a benchmark generates them)."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)

    def chunk(self, doc_ids: list[int]) -> list[tuple[int, int, str]]:
        """(paragraph id, doc id, text) of the non-heading paragraphs of these documents."""
        with readonly_connection(self.db) as con:
            rows = con.execute(
                "SELECT id, doc_id, text FROM paragraphs WHERE doc_id BETWEEN ? AND ?"
                " AND coalesce(is_heading, 0) <> 1 AND text <> '' ORDER BY doc_id, idx",
                (min(doc_ids), max(doc_ids))).fetchall()
        wanted = set(doc_ids)
        return [r for r in rows if r[1] in wanted]

    def by_id(self, ids: list[int]) -> pd.DataFrame:
        """paragraph_id, doc_id, idx, is_heading, text of these paragraphs."""
        rows: list[tuple[Any, ...]] = []
        with readonly_connection(self.db) as con:
            for cursor in select_in(con, "SELECT id, doc_id, idx, is_heading, text"
                                    " FROM paragraphs WHERE id IN ({ids})", ids):
                rows.extend(cursor)
        frame = pd.DataFrame(rows, columns=["paragraph_id", "doc_id", "idx", "is_heading",
                                            "text"])
        return frame.sort_values(["doc_id", "idx"]).reset_index(drop=True)


def copies_out_of_core(
    db: str | Path | Any, documents: pd.DataFrame, params: CopyParams | None = None,
    engine: str = "serial", workers: int = 2, scheduler: str | None = None,
    chunk_docs: int = CHUNK_DOCS, buckets: int = BUCKETS, client: Any = None,
    work_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The copies table (`copies.COLUMNS`) of the store `db`; `documents`: its documents frame
    (doc_id, source, unit, term, ...), as `Corpus.documents` gives it; `db` may also be a
    paragraph source with `chunk` and `by_id` (see `StoreParagraphs`). `engine`: "serial"
    (this process), "process" (`workers` processes of this machine) or "dask"; `client`: a
    connected Dask client to use (default: connect to `scheduler` or start a LocalCluster
    of `workers`). `buckets`: how many hash buckets (and ranges of pairs) the work is cut
    into; memory per task shrinks as it grows. `work_dir`: where the temporary files go
    (default: the system's temporary folder)."""
    p = params or CopyParams()
    source = StoreParagraphs(db) if isinstance(db, (str, Path)) else db
    docs = label_documents(documents)
    unit_codes = docs["unit_key"].astype("category").cat.codes.to_numpy()
    doc_ids = docs["doc_id"].to_numpy(dtype=np.int64)
    unit_of_doc = dict(zip(doc_ids.tolist(), unit_codes.tolist(), strict=True))
    name_of_doc = dict(zip(doc_ids.tolist(), docs["unit_key"].tolist(), strict=True))
    n_units = int(unit_codes.max()) + 1 if len(unit_codes) else 0
    limit_units = max(p.boilerplate_min_units, p.boilerplate_share * n_units)
    order = np.sort(doc_ids)
    chunks = [order[i:i + chunk_docs].tolist() for i in range(0, len(order), chunk_docs)]
    work = Path(tempfile.mkdtemp(prefix="daihoi_copies_", dir=work_dir))
    try:
        run = _runner(engine, workers, scheduler, client)
        run(_shingle_chunk, [(source, c, {d: unit_of_doc[d] for d in c},
                              {d: name_of_doc[d] for d in c}, p, str(work), buckets, n)
                             for n, c in enumerate(chunks)])
        sizes = [len(np.load(work / f"a{n:06d}_pid.npy", mmap_mode="r"))
                 for n in range(len(chunks))]
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64).tolist()
        generic_parts = run(_bucket, [(str(work), b, limit_units, p.max_docs, offsets, buckets)
                                      for b in range(buckets)])
        generic = np.sort(np.concatenate(generic_parts or [np.zeros(0, np.uint64)]))
        np.save(work / "generic.npy", generic)
        run(_evidence_chunk, [(str(work), n, offsets[n], buckets) for n in range(len(chunks))])
        _join_chunks(work, len(chunks))
        run(_evidence_bucket, [(str(work), b, offsets[-1], buckets) for b in range(buckets)])
        hits = [h for part in run(_range_hits, [(str(work), r, buckets, offsets[-1], p)
                                                for r in range(buckets)]) for h in part]
        out = _rows(work, source, docs, hits)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if out.empty:
        return pd.DataFrame(columns=COLUMNS)
    # detect_copies' order: signal, similarity, shared words, then the pair's place in the
    # corpus (its earlier paragraph, then its later one).
    low, high = _pair_keys(out)
    out = out.assign(_rank=out["signal"].map(SIGNAL_ORDER), _low=low, _high=high)
    return out.sort_values(["_rank", "similarity", "shared_words", "_low", "_high"],
                           ascending=[True, False, False, True, True], kind="stable"
                           ).drop(columns=["_rank", "_low", "_high"]).reset_index(drop=True)


def _pair_keys(rows: pd.DataFrame) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    a = list(zip(rows["doc_a"].astype(int), rows["paragraph_a"].astype(int), strict=True))
    b = list(zip(rows["doc_b"].astype(int), rows["paragraph_b"].astype(int), strict=True))
    return ([min(x, y) for x, y in zip(a, b, strict=True)],
            [max(x, y) for x, y in zip(a, b, strict=True)])


def _evidence_chunk(work: str, number: int, offset: int, buckets: int) -> None:
    """Each long paragraph's evidence: its distinct shingles that are not generic, sorted;
    also split into hash buckets as (hash, global paragraph number, document) postings."""
    generic = np.load(Path(work) / "generic.npy")
    hashes = np.load(Path(work) / f"a{number:06d}_hashes.npy")
    count = np.load(Path(work) / f"a{number:06d}_count.npy")
    doc = np.load(Path(work) / f"a{number:06d}_doc.npy")
    para = np.repeat(np.arange(len(count)), count)
    keep = ~_is_in(hashes, generic)
    h, para = hashes[keep], para[keep]
    order = np.lexsort((h, para))
    h, para = h[order], para[order]
    first = np.concatenate(([True], (h[1:] != h[:-1]) | (para[1:] != para[:-1])))
    h, para = h[first], para[first]
    np.save(Path(work) / f"a{number:06d}_ev.npy", h)
    np.save(Path(work) / f"a{number:06d}_evcount.npy",
            np.bincount(para, minlength=len(count)).astype(np.int64))
    which = h % np.uint64(buckets)
    for b in range(buckets):
        out = Path(work) / f"e{b:03d}"
        out.mkdir(exist_ok=True)
        sel = which == b
        np.savez(out / f"c{number:06d}.npz", h=h[sel], g=para[sel] + offset, d=doc[para[sel]])


def _evidence_bucket(work: str, b: int, n_paragraphs: int, ranges: int) -> None:
    """How many evidence shingles of this bucket each pair of paragraphs (of different
    documents) shares, written in `ranges` files by the pair's first paragraph: summed over
    the buckets, that is the size of the two evidence sets' intersection, the copy detector's
    cheap bound, for every pair at once."""
    parts = [np.load(f) for f in sorted((Path(work) / f"e{b:03d}").glob("*.npz"))]
    h = np.concatenate([x["h"] for x in parts] or [np.zeros(0, np.uint64)])
    g = np.concatenate([x["g"] for x in parts] or [np.zeros(0, np.int64)])
    d = np.concatenate([x["d"] for x in parts] or [np.zeros(0, np.int64)])
    del parts
    # Most shingles are in one paragraph only: drop them before pairing.
    _, inverse, counts = np.unique(h, return_inverse=True, return_counts=True)
    shared = counts[inverse] > 1
    h, g, d = h[shared], g[shared], d[shared]
    local, at = np.unique(g, return_inverse=True)
    doc_of_local = np.zeros(len(local), dtype=np.int64)
    doc_of_local[at] = d
    pairs, n = pair_keys(h, at, doc_of_local)
    _save_ranges(Path(work), f"e{b:03d}", local[pairs[:, 0]], local[pairs[:, 1]],
                 n_paragraphs, ranges, counts=n)


def _join_chunks(work: Path, n_chunks: int) -> None:
    """One file per array for the whole corpus, in chunk order: a paragraph is then one global
    number, and its slices plain views of memory-mapped files (no per-chunk lookups)."""
    for name in _PER_PARAGRAPH + _FLAT:
        files = [work / f"a{n:06d}_{name}.npy" for n in range(n_chunks)]
        parts = [np.load(f, mmap_mode="r") for f in files]
        total = sum(len(x) for x in parts)
        dtype = parts[0].dtype if parts else np.int64
        out = np.lib.format.open_memmap(work / f"all_{name}.npy", mode="w+", dtype=dtype,
                                        shape=(total,))
        at = 0
        for part in parts:
            out[at:at + len(part)] = part
            at += len(part)
        out.flush()
        del out, parts
        for f in files:
            f.unlink()


class _Aligned:
    """The corpus' alignment arrays, addressed by a global paragraph number (the long
    paragraphs in chunk order, each chunk in document order); the large ones memory-mapped."""

    def __init__(self, work: str | Path) -> None:
        def load(name: str) -> np.ndarray:
            # A plain ndarray view of the mapping: slicing an np.memmap costs microseconds.
            return np.asarray(np.load(Path(work) / f"all_{name}.npy", mmap_mode="r"))

        self.pid = load("pid")
        self.hash, self.name, self.ev = load("hashes"), load("name"), load("ev")
        count, ntok, evcount = load("count"), load("ntok"), load("evcount")
        self.hash_at = np.concatenate(([0], np.cumsum(count))).tolist()
        self.tok_at = np.concatenate(([0], np.cumsum(ntok))).tolist()
        self.ev_at = np.concatenate(([0], np.cumsum(evcount))).tolist()

    def hashes(self, g: int) -> np.ndarray:
        return self.hash[self.hash_at[g]:self.hash_at[g + 1]]

    def own_name(self, g: int) -> np.ndarray:
        return self.name[self.tok_at[g]:self.tok_at[g + 1]]

    def evidence(self, g: int) -> set[int]:
        return set(self.ev[self.ev_at[g]:self.ev_at[g + 1]].tolist())


def _range_hits(work: str, r: int, buckets: int, n_paragraphs: int, p: CopyParams
                ) -> list[tuple[int, int, np.ndarray, np.ndarray, float]]:
    """The copies among the pairs whose first paragraph is in range `r`: (a, b, covered tokens
    of a, of b, similarity). Aligned are the candidates (sharing a fingerprint that is not
    generic, from `_bucket`) sharing at least as many evidence shingles as a copy needs (the
    cheap bound, counted for every pair at once by `_evidence_bucket`), in order of (a, b)."""
    folder = Path(work)
    need = p.min_shared_words - p.k + 1
    candidates = np.unique(np.concatenate(
        [np.load(folder / f"f{b:03d}_r{r:03d}.npy") for b in range(buckets)]))
    keys = np.concatenate([np.load(folder / f"e{b:03d}_r{r:03d}_key.npy")
                           for b in range(buckets)])
    n = np.concatenate([np.load(folder / f"e{b:03d}_r{r:03d}_n.npy") for b in range(buckets)])
    unique, at = np.unique(keys, return_inverse=True)
    total = np.bincount(at, weights=n, minlength=len(unique))
    key = np.intersect1d(unique[total >= need], candidates, assume_unique=True)
    del candidates, keys, n, unique, at, total
    base = n_paragraphs + 1
    aligned = _Aligned(work)
    generic = np.load(folder / "generic.npy")
    sets: dict[int, set[int]] = {}
    hits = []
    last_a, set_a = -1, set()
    for a, b in zip((key // base).tolist(), (key % base).tolist(), strict=True):
        if a != last_a:  # pairs come sorted by a: its set serves all its partners
            last_a, set_a = a, aligned.evidence(a)
        if (set_b := sets.get(b)) is None:
            if len(sets) >= SET_CACHE:
                sets.clear()
            set_b = sets[b] = aligned.evidence(b)
        found = align_pair(aligned.hashes(a), aligned.hashes(b), set_a, set_b,
                           aligned.own_name(a), aligned.own_name(b), generic, p)
        if found is not None:
            hits.append((a, b, *found))
    return hits


def _rows(work: Path, source: Any, docs: pd.DataFrame,
          hits: list[tuple[int, int, np.ndarray, np.ndarray, float]]) -> pd.DataFrame:
    """The copies rows of the aligned pairs: their paragraphs' text read back from the source."""
    if not hits:
        return pd.DataFrame(columns=COLUMNS)
    pids = np.load(work / "all_pid.npy")
    wanted = np.unique(np.asarray([(a, b) for a, b, *_ in hits], dtype=np.int64).ravel())
    frame = source.by_id(pids[wanted].tolist())
    local = {int(pid): i for i, pid in enumerate(frame["paragraph_id"].tolist())}
    cols = {c: frame[c].tolist() for c in ("doc_id", "idx", "text")}
    # Only the documents of these pairs: a dict per document of a 100,000-document corpus
    # would be a few hundred MB.
    involved = docs[docs["doc_id"].isin(set(cols["doc_id"]))]
    info = {int(r["doc_id"]): r for r in involved.to_dict("records")}
    rows = []
    for a, b, cov_a, cov_b, sim in hits:
        # Token offsets are made per row, not kept for every text: a (start, end) tuple per
        # syllable of 150,000 paragraphs was most of this step's memory at 100,000 documents.
        la, lb = local[int(pids[a])], local[int(pids[b])]
        rows.append(_row(cols, info, la, lb, cov_a, cov_b, sim, _token_spans(cols["text"][la]),
                         _token_spans(cols["text"][lb])))
    return pd.DataFrame(rows, columns=COLUMNS)


def _runner(engine: str, workers: int, scheduler: str | None, client: Any = None
            ) -> Callable[..., list[Any]]:
    """Run a function over argument tuples in this process or as Dask tasks."""
    if engine == "process" and workers > 1:
        def on_processes(fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            calls = list(calls)
            # Fork: the workers start at once with the modules already imported.
            with ProcessPoolExecutor(min(workers, max(1, len(calls))),
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(fn, *zip(*calls, strict=True))) if calls else []

        return on_processes
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


def _shingle_chunk(
    source: Any, doc_ids: list[int], unit_of_doc: dict[int, int], name_of_doc: dict[int, str],
    p: CopyParams, work: str, buckets: int, number: int,
) -> int:
    rows = source.chunk(doc_ids)
    pid = np.asarray([r[0] for r in rows], dtype=np.int64)
    doc = np.asarray([r[1] for r in rows], dtype=np.int64)
    unit = np.asarray([unit_of_doc.get(d, -1) for d in doc.tolist()], dtype=np.int64)
    ids, lengths, vocab = encode(_tokens_of([r[2] for r in rows]))
    sh = shingles(ids, lengths, p.k, token_keys(list(vocab)))
    fp_hash, fp_para = winnow(sh, p.window)
    long_enough = lengths >= p.min_words
    fp_hash, fp_para = fp_hash[long_enough[fp_para]], fp_para[long_enough[fp_para]]
    h_doc = _unique_pairs(sh.hashes, doc[sh.para_ids])
    h_unit = _unique_pairs(sh.hashes, unit[sh.para_ids])
    d_h, d_g = _by_bucket(buckets, h_doc[0], h_doc[1].astype(np.int32))
    u_h, u_g = _by_bucket(buckets, h_unit[0], h_unit[1].astype(np.int32))
    # A fingerprint's paragraph as its number among the chunk's long paragraphs: with the
    # chunk's offset, its global number (`_Aligned`).
    long_number = np.cumsum(long_enough) - 1
    f_h, f_loc, f_doc = _by_bucket(buckets, fp_hash, long_number[fp_para], doc[fp_para])
    for b in range(buckets):
        out = Path(work) / f"b{b:03d}"
        out.mkdir(exist_ok=True)
        np.savez(out / f"c{number:06d}.npz", doc_h=d_h[b], doc_g=d_g[b], unit_h=u_h[b],
                 unit_g=u_g[b], fp_h=f_h[b], fp_loc=f_loc[b], fp_doc=f_doc[b])
    # What aligning the long paragraphs needs: their shingles in order, and which of their
    # syllables spell their own unit's name (discounted from the evidence).
    long = np.flatnonzero(long_enough)
    count = sh.count[long]
    starts = np.cumsum(lengths) - lengths
    unit_ids = {d: [vocab.get(w, -1) for w in WORD_RE.findall(_DIGITS.sub("0", name))]
                for d, name in name_of_doc.items()}
    names = [_find_sequence(ids[starts[i]:starts[i] + lengths[i]], unit_ids.get(int(doc[i]), []))
             for i in long.tolist()]
    arrays = {
        "pid": pid[long], "doc": doc[long], "count": count.astype(np.int64),
        "ntok": lengths[long],
        "hashes": sh.hashes[long_enough[sh.para_ids]] if len(sh.hashes) else sh.hashes,
        "name": np.concatenate(names) if names else np.zeros(0, dtype=bool),
    }
    for name, values in arrays.items():
        np.save(Path(work) / f"a{number:06d}_{name}.npy", values)
    return len(rows)


def _by_bucket(buckets: int, h: np.ndarray, *columns: np.ndarray) -> list[list[np.ndarray]]:
    """Rows split by hash bucket (hash modulo `buckets`): one sort instead of a mask per
    bucket. Returns, per column (the hash first), its part in each bucket."""
    which = (h % np.uint64(buckets)).astype(np.int64)
    order = np.argsort(which, kind="stable")
    cuts = np.searchsorted(which[order], np.arange(1, buckets))
    return [np.split(c[order], cuts) for c in (h, *columns)]


def _tokens(text: str) -> list[str]:
    # The copy detector's tokens: folded syllables, every number one token "0".
    return WORD_RE.findall(_DIGITS.sub("0", fold(text)))


def _tokens_of(texts: list[str]) -> list[list[str]]:
    """`_tokens` of each text, folding them all in one call (the per-call cost of folding
    dominates for paragraphs); a text holding the separator is done on its own."""
    if any("\n" in t for t in texts):
        return [_tokens(t) for t in texts]
    joined = _DIGITS.sub("0", fold("\n".join(texts)))
    return [WORD_RE.findall(part) for part in joined.split("\n")] if texts else []


def _unique_pairs(h: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (hash, group) pairs, sorted by hash. Most hashes occur once: only the
    repeated ones need the two-key sort."""
    if len(h) == 0:
        return h, g
    order = np.argsort(h, kind="stable")
    h, g = h[order], g[order]
    same = h[1:] == h[:-1]
    repeated = np.concatenate((same, [False])) | np.concatenate(([False], same))
    rh, rg = h[repeated], g[repeated]
    order = np.lexsort((rg, rh))
    rh, rg = rh[order], rg[order]
    first = np.concatenate(([True], (rh[1:] != rh[:-1]) | (rg[1:] != rg[:-1])))
    h = np.concatenate((h[~repeated], rh[first]))
    g = np.concatenate((g[~repeated], rg[first]))
    order = np.argsort(h, kind="stable")
    return h[order], g[order]


def _bucket(work: str, b: int, limit_units: float, max_docs: int, offsets: list[int],
            ranges: int) -> np.ndarray:
    """The generic hashes of one hash bucket. Its candidate pairs (global paragraph numbers
    a < b sharing a fingerprint that is not generic) are written as keys a * (n + 1) + b,
    one file per range of a (`f<bucket>_r<range>.npy`)."""
    files = sorted((Path(work) / f"b{b:03d}").glob("c*.npz"))
    parts = [np.load(f) for f in files]
    chunk_of = [int(f.stem[1:]) for f in files]

    def cat(key: str) -> np.ndarray:
        return np.concatenate([part[key] for part in parts] or [np.zeros(0, np.int64)])

    # Document frequency: (hash, doc) pairs are unique across chunks (a document is in one).
    h_doc, n_docs = np.unique(cat("doc_h").astype(np.uint64), return_counts=True)
    # Unit frequency: one unit may have documents in several chunks, so pairs are made unique.
    uh, _ = _unique_pairs(cat("unit_h").astype(np.uint64), cat("unit_g"))
    h_unit, n_units = np.unique(uh, return_counts=True)
    generic = np.union1d(h_doc[n_docs > max_docs], h_unit[n_units > limit_units])
    fp_h, fp_doc = cat("fp_h").astype(np.uint64), cat("fp_doc")
    fp_g = np.concatenate([part["fp_loc"] + offsets[c] for part, c in zip(parts, chunk_of,
                                                                          strict=True)]
                          or [np.zeros(0, np.int64)])
    keep = ~_is_in(fp_h, generic)
    fp_h, fp_g, fp_doc = fp_h[keep], fp_g[keep], fp_doc[keep]
    g, local = np.unique(fp_g, return_inverse=True)
    doc_of_local = np.zeros(len(g), dtype=np.int64)
    doc_of_local[local] = fp_doc
    pairs = pair_array(fp_h, local, doc_of_local)
    n = offsets[-1]
    _save_ranges(Path(work), f"f{b:03d}", g[pairs[:, 0]], g[pairs[:, 1]], n, ranges)
    return generic.astype(np.uint64)


def _save_ranges(folder: Path, stem: str, a: np.ndarray, c: np.ndarray, n_paragraphs: int,
                 ranges: int, counts: np.ndarray | None = None) -> None:
    """Pairs (a < c) as keys a * (n + 1) + c, one file per range of a."""
    key = a * (n_paragraphs + 1) + c
    part = a * ranges // max(1, n_paragraphs)
    for r in range(ranges):
        sel = part == r
        if counts is None:
            np.save(folder / f"{stem}_r{r:03d}.npy", key[sel])
        else:
            np.save(folder / f"{stem}_r{r:03d}_key.npy", key[sel])
            np.save(folder / f"{stem}_r{r:03d}_n.npy", counts[sel])
