"""The shingle / fingerprint index shared by the duplicated-passage check (audit, inside one
document) and the copy detector (compare, across documents): one piece of code for both.

It sits below every stage (like `pipeline.model`) so that audit and compare both use it
without breaking the one-way flow ingest -> nlp -> extract -> audit -> store -> compare.

1. `shingles`: every run of k tokens of a unit (a paragraph, a sentence) becomes a 64-bit hash,
   for all units at once with numpy (token ids in, no Python loop per token);
2. `winnow` (Schleimer et al. 2003) keeps the smallest hash of every window of W shingles: any
   run of k + W - 1 shared tokens leaves at least one shared fingerprint;
3. `candidate_pairs`: units sharing a fingerprint, found by sorting the (hash, unit) pairs;
   fingerprints held by more than `max_units` units (boilerplate, common phrasing) make no
   pairs, so the work grows with the number of shared fingerprints, near-linearly in the size
   of the corpus or document, instead of with the square of the number of units.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Shingled", "encode", "token_keys", "shingles", "winnow", "sorted_unique", "spread",
           "candidate_pairs", "pair_array", "pair_keys", "rarest"]


@dataclass
class Shingled:
    para_ids: np.ndarray  # unit row per shingle
    hashes: np.ndarray  # shingle hash per shingle (uint64)
    first: np.ndarray  # per unit: index of its first shingle in `hashes`
    count: np.ndarray  # per unit: number of shingles


def encode(units: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Token ids of all units, flat; each unit's token count; the vocabulary."""
    lengths = np.fromiter((len(toks) for toks in units), dtype=np.int64, count=len(units))
    vocab: dict[str, int] = {}
    code = vocab.setdefault
    # Ids in order of first appearance, from a dict: as fast as pandas' factorize here, and
    # the analysis processes (the duplicated-passage check) need not import pandas at start.
    codes = np.fromiter((code(t, len(vocab)) for toks in units for t in toks), dtype=np.int64,
                        count=int(lengths.sum()))
    return codes, lengths, vocab


def token_keys(vocabulary: Sequence[str]) -> np.ndarray:
    """A 64-bit key per token, from the token's text only: the same token has the same key in
    every process and every chunk, so shingle hashes computed apart (chunks of a corpus, Dask
    workers) can be compared."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
         | 1 for t in vocabulary), dtype=np.uint64, count=len(vocabulary))


def shingles(ids: np.ndarray, lengths: np.ndarray, k: int,
             keys: np.ndarray | None = None) -> Shingled:
    """Hash of every run of k tokens lying inside one unit. `keys`: a key per token id
    (`token_keys(vocabulary)`) for hashes comparable across runs; default random keys, fixed
    per run."""
    n_par = len(lengths)
    if len(ids) < k:
        empty = np.zeros(0, dtype=np.int64)
        return Shingled(empty, empty.astype(np.uint64), np.zeros(n_par, np.int64),
                        np.zeros(n_par, np.int64))
    if keys is None:
        rng = np.random.default_rng(20031)
        keys = rng.integers(1, 2**63, size=int(ids.max()) + 1, dtype=np.uint64)
    # Fixed multipliers of their own seed: the same in every run, whatever the vocabulary.
    mults = np.random.default_rng(20032).integers(1, 2**63, size=k, dtype=np.uint64)
    mults |= np.uint64(1)

    n = len(ids) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * mults[j] + keys[ids[j:j + n]]
            h ^= h >> np.uint64(29)
    para_of_token = np.repeat(np.arange(n_par), lengths)
    # A shingle is valid when its k tokens lie in one unit.
    valid = para_of_token[:n] == para_of_token[k - 1:k - 1 + n]
    para_ids = para_of_token[:n][valid]
    count = np.maximum(lengths - k + 1, 0)
    first = np.concatenate(([0], np.cumsum(count)[:-1])) if n_par else count
    return Shingled(para_ids, h[valid], first, count)


def winnow(sh: Shingled, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash, unit) of the winnowed fingerprints, unique. `window=1` keeps every shingle."""
    if len(sh.hashes) == 0:
        return sh.hashes, sh.para_ids
    if window <= 1:
        picked = np.arange(len(sh.hashes))
    elif len(sh.hashes) >= window:
        views = np.lib.stride_tricks.sliding_window_view(sh.hashes, window)
        pos = np.arange(len(views)) + views.argmin(axis=1)
        same = sh.para_ids[: len(views)] == sh.para_ids[window - 1:]
        picked = pos[same]
    else:
        picked = np.zeros(0, dtype=np.int64)
    if window > 1:
        # Units with fewer shingles than a window keep their smallest one.
        short = np.flatnonzero((sh.count > 0) & (sh.count < window))
        extra = [sh.first[p] + int(np.argmin(sh.hashes[sh.first[p]:sh.first[p] + sh.count[p]]))
                 for p in short]
        picked = sorted_unique(np.concatenate((picked, np.asarray(extra, dtype=np.int64))))
    h, par = sh.hashes[picked], sh.para_ids[picked]
    # One fingerprint per (hash, unit): a phrase repeated inside a unit counts once.
    order = np.lexsort((par, h))
    h, par = h[order], par[order]
    first = np.concatenate(([True], (h[1:] != h[:-1]) | (par[1:] != par[:-1])))
    return h[first], par[first]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    # np.unique's hash path is slow on millions of integers that are nearly sorted already
    # (window minima come in order): a sort and a mask are several times faster.
    if len(values) == 0:
        return values
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def spread(hashes: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct hash and the number of distinct groups (units, documents) it occurs in."""
    if len(hashes) == 0:
        return hashes, np.zeros(0, dtype=np.int64)
    order = np.lexsort((groups, hashes))
    h, g = hashes[order], groups[order]
    new_hash = np.concatenate(([True], h[1:] != h[:-1]))
    new_pair = new_hash | np.concatenate(([True], g[1:] != g[:-1]))
    starts = np.flatnonzero(new_hash)
    counts = np.add.reduceat(new_pair.astype(np.int64), starts)
    return h[starts], counts


def candidate_pairs(
    fp_hash: np.ndarray, fp_unit: np.ndarray, group_of_unit: np.ndarray | None = None,
    max_units: int | None = None,
) -> Counter[tuple[int, int]]:
    """(a, b) with a < b -> number of fingerprints the two units share. With `group_of_unit`,
    only units of different groups pair (documents, for the copy detector); fingerprints held
    by more than `max_units` units make no pairs."""
    order = np.argsort(fp_hash, kind="stable")
    h, unit = fp_hash[order], fp_unit[order]
    pairs: Counter[tuple[int, int]] = Counter()
    if len(h) == 0:
        return pairs
    bounds = np.flatnonzero(np.diff(h)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(h)]))
    sizes = ends - starts
    multi = np.flatnonzero((sizes >= 2) & (sizes <= (max_units or len(h))))
    for g in multi:
        members = unit[starts[g]:ends[g]]
        m = members.tolist()
        d = group_of_unit[members].tolist() if group_of_unit is not None else None
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                if d is None or d[i] != d[j]:
                    pairs[(m[i], m[j]) if m[i] < m[j] else (m[j], m[i])] += 1
    return pairs


def pair_array(
    fp_hash: np.ndarray, fp_unit: np.ndarray, group_of_unit: np.ndarray | None = None,
) -> np.ndarray:
    """The distinct (a, b) pairs, a < b, of units sharing a fingerprint, as an (n, 2) int64
    array sorted by a then b: `candidate_pairs`' keys without a Python loop per pair (the
    copy detector over 100,000 documents makes millions). With `group_of_unit`, only units
    of different groups pair."""
    return pair_keys(fp_hash, fp_unit, group_of_unit)[0]


def pair_keys(
    fp_hash: np.ndarray, fp_unit: np.ndarray, group_of_unit: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`pair_array` and, for each pair, the number of distinct hashes the two units share."""
    none = np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(fp_hash) < 2:
        return none
    order = np.lexsort((fp_unit, fp_hash))
    h, unit = fp_hash[order], np.asarray(fp_unit, dtype=np.int64)[order]
    new = np.concatenate(([True], h[1:] != h[:-1]))
    starts = np.flatnonzero(new)
    ends = np.concatenate((starts[1:], [len(h)]))
    sizes = ends - starts
    # Every member pairs with the members after it in its group.
    later = np.repeat(ends, sizes) - np.arange(len(h)) - 1
    total = int(later.sum())
    if total == 0:
        return none
    left = np.repeat(np.arange(len(h)), later)
    step = np.arange(total) - np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + step
    a, b = unit[left], unit[right]
    if group_of_unit is not None:
        other = group_of_unit[a] != group_of_unit[b]
        a, b = a[other], b[other]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    if len(lo) == 0:
        return none
    base = int(hi.max()) + 1
    if base < 3_000_000_000:  # one int64 key per pair: a plain sort, much faster than axis=0
        key = np.sort(lo * base + hi)
        first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        shared = np.diff(np.concatenate((first, [len(key)])))
        key = key[first]
        return np.stack((key // base, key % base), axis=1), shared
    pairs, shared = np.unique(np.stack((lo, hi), axis=1), axis=0, return_counts=True)
    return pairs, shared


def rarest(fp_hash: np.ndarray, fp_unit: np.ndarray, threshold: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Prefix filtering (Bayardo et al. 2007) for a Jaccard threshold t: of each unit's n
    distinct fingerprints keep only its n - ceil(t * n) + 1 rarest (in the whole index). Two
    units with Jaccard >= t always share one of those, so candidate pairs from them miss no
    match, while common fingerprints mostly drop out of the index."""
    if len(fp_hash) == 0:
        return fp_hash, fp_unit
    _, inverse, freq = np.unique(fp_hash, return_inverse=True, return_counts=True)
    order = np.lexsort((fp_hash, freq[inverse], fp_unit))
    h, unit = fp_hash[order], fp_unit[order]
    starts = np.flatnonzero(np.concatenate(([True], unit[1:] != unit[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(unit)])))
    rank = np.arange(len(unit)) - np.repeat(starts, sizes)
    keep_n = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
    keep = rank < np.repeat(keep_n, sizes)
    return h[keep], unit[keep]
