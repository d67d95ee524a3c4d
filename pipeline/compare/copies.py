"""Copied passages across documents: paragraphs shared, exactly or nearly, between reports.

How (the MOSS / copydetect recipe, over syllables instead of code tokens):

1. every paragraph becomes its folded syllables ("Đảng viên" -> "dang", "vien") and every run
   of K syllables (a shingle) a 64-bit hash, computed for the whole corpus at once with numpy;
2. winnowing (Schleimer et al. 2003) keeps the smallest hash of every window of W shingles: any
   run of K + W - 1 shared syllables leaves at least one shared fingerprint;
3. an inverted index (fingerprint -> paragraphs) gives the candidate pairs, so the work grows
   with the number of shared fingerprints, not with the square of the corpus. Fingerprints that
   many units share are boilerplate (mandated wording, quoted titles of resolutions) and make no
   candidates; a shingle shared by more than `max_docs` documents is common phrasing, not
   evidence about one pair, and is skipped too;
4. each candidate pair is aligned by its shared non-boilerplate shingles: the syllables they
   cover are the copied spans shown to an auditor; similarity is the share of both paragraphs
   that is covered, boilerplate syllables and the document's own unit name left out of both
   sides (numbers count as one token "0", so changed counts do not hide a copy).

Two signals are reported apart: `self_reuse` (one unit reusing its report of another term) and
`cross_unit` (text shared by different units); `same_unit` marks two versions of one report
(draft and final, DOCX and PDF of the same file).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.compare.units import label_documents
from pipeline.store.folding import WORD_RE, fold, fold_codes, from_codes
from pipeline.textindex import Shingled, pair_array, pair_keys, sorted_unique, token_keys
from pipeline.textindex import shingles as _shingle
from pipeline.textindex import winnow as _winnow

COLUMNS = ["signal", "similarity", "shared_words", "source_a", "unit_a", "term_a", "paragraph_a",
           "source_b", "unit_b", "term_b", "paragraph_b", "doc_a", "doc_b", "spans_a", "spans_b",
           "shared_text", "text_a", "text_b"]


SIGNAL_ORDER = {"cross_unit": 0, "self_reuse": 1, "same_unit": 2}


@dataclass(frozen=True)
class CopyParams:
    k: int = 5  # syllables per shingle
    window: int = 4  # winnowing window, in shingles: runs of k + window - 1 = 8 are guaranteed
    min_words: int = 12  # shorter paragraphs are not compared (headings, list stubs)
    min_shared_words: int = 10  # fewer shared syllables than this is not a copy
    min_similarity: float = 0.5  # share of both paragraphs covered by shared text
    long_shared_words: int = 40  # a shared run this long is a copy even inside long paragraphs
    boilerplate_share: float = 0.5  # shared by more than this share of units: boilerplate
    boilerplate_min_units: int = 5  # ... and by more than this many units (small corpora)
    max_docs: int = 50  # a shingle in more documents than this makes no candidate pairs


_DIGITS = re.compile(r"\d+")
# Candidate pairs aligned at once (numpy arrays of their tokens): bounds the memory of that step.
ALIGN_BATCH = 20_000


def tokens_of(texts: Sequence[str]) -> list[list[str]]:
    """The copy detector's tokens of each text: folded syllables, every number one token "0"
    (a copy with its counts changed is still a copy, and a template filled with different
    counts is still the template). All texts are folded in one call: the per-call cost of
    folding dominates for paragraphs; texts holding the separator are done one by one."""
    if not texts:
        return []
    if any("\n" in t for t in texts):
        return [WORD_RE.findall(_DIGITS.sub("0", fold(t))) for t in texts]
    joined = _DIGITS.sub("0", fold("\n".join(texts)))
    return [WORD_RE.findall(part) for part in joined.split("\n")]


def encode_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """`textindex.encode(tokens_of(texts))` in a few calls for the whole corpus: token ids,
    flat; each text's token count; the vocabulary (ids in order of first appearance). The
    texts are joined by a marker token "1", which no text can hold once every number is "0";
    one regex pass and one pandas factorize then replace a Python step per token."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), {}
    # A line break inside a text is a space to the tokenizer.
    joined = _numbers_as_zero("\n".join(t.replace("\n", " ") for t in texts))
    tokens = WORD_RE.findall(joined.replace("\n", " 1 ") + " 1")
    codes, uniques = pd.factorize(np.asarray(tokens, dtype=object), sort=False)
    del tokens
    vocab = {t: i for i, t in enumerate(uniques.tolist())}
    marker = codes == vocab["1"]
    ends = np.flatnonzero(marker)
    lengths = np.diff(np.concatenate(([-1], ends))) - 1
    ids = codes[~marker].astype(np.int64)
    # The marker keeps an id of its own: ids stay ids of `vocab`, and no text holds it.
    return ids, lengths.astype(np.int64), vocab


def _numbers_as_zero(text: str, piece: int = 1 << 22) -> str:
    """`_DIGITS.sub("0", fold(text))` with numpy, a piece of the text at a time: fold every
    character, then each run of digits becomes one "0"."""
    out = []
    after_digit = False  # a run of digits may continue over a piece's end
    for lo in range(0, len(text), piece):
        codes = fold_codes(text[lo:lo + piece])
        if len(codes) == 0:
            continue
        distinct = np.flatnonzero(np.bincount(codes))
        digit_of = np.zeros(int(distinct[-1]) + 1, dtype=bool)
        digit_of[distinct] = [bool(_DIGITS.match(chr(c))) for c in distinct.tolist()]
        digit = digit_of[codes]
        previous = np.concatenate(([after_digit], digit[:-1]))
        after_digit = bool(digit[-1])
        codes = np.where(digit, np.uint32(ord("0")), codes)[~(digit & previous)]
        out.append(from_codes(codes))
    return "".join(out)


def detect_copies(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, params: CopyParams | None = None,
    generic_hashes: np.ndarray | None = None,
) -> pd.DataFrame:
    """Paragraph pairs of different documents that share text, one row per pair (COLUMNS).

    `paragraphs`: doc_id, idx, text and optionally is_heading; `documents`: doc_id, source,
    unit (None: the file name stands for the unit), term. `generic_hashes`: the sorted
    hashes of generic shingles when counted over a larger corpus than `paragraphs`
    (`pipeline.compare.copies_scale`, out of core); default: counted here.

    Every step works on numpy arrays of the whole corpus, not pair by pair in Python: the
    candidates (paragraphs sharing a winnowed fingerprint) and the aligner's cheap bound (the
    number of evidence shingles two paragraphs share) both come from the shared fingerprint
    index (`textindex.pair_keys`, as out of core), and the pairs that pass are aligned in
    batches (`_Alignment`, the arithmetic of `align_pair`).
    """
    p = params or CopyParams()
    paras = paragraphs
    if "is_heading" in paras:
        paras = paras[paras["is_heading"] != 1]
    paras = paras[paras["text"].str.len() > 0].reset_index(drop=True)
    docs = label_documents(documents)
    if paras.empty:
        return pd.DataFrame(columns=COLUMNS)
    texts = paras["text"].tolist()
    ids, lengths, vocab = encode_texts(texts)
    tok_at = np.concatenate(([0], np.cumsum(lengths)))
    keep = lengths >= p.min_words
    sh = _shingle(ids, lengths, p.k, token_keys(list(vocab)))  # hashes stable across runs
    doc_of_para = paras["doc_id"].to_numpy(dtype=np.int64)
    unit_index = docs["unit_key"].astype("category").cat.codes
    unit_of_doc = dict(zip(docs["doc_id"], unit_index, strict=True))
    unit_of_para = np.asarray([unit_of_doc.get(d, -1) for d in doc_of_para.tolist()],
                              dtype=np.int64)
    n_units = int(unit_index.max()) + 1 if len(unit_index) else 0

    # Each distinct shingle hash as a dense number (its run in hash order): the generic
    # counts, the evidence postings and their look-ups all index by it.
    order = np.argsort(sh.hashes, kind="stable")
    sorted_h = sh.hashes[order]
    new_run = np.concatenate(([len(order) > 0], sorted_h[1:] != sorted_h[:-1]))[:len(order)]
    run_sorted = np.cumsum(new_run) - 1
    n_runs = max(1, int(run_sorted[-1]) + 1 if len(run_sorted) else 0)
    run_of = np.empty(len(order), dtype=np.int64)
    run_of[order] = run_sorted
    run_hash = sorted_h[new_run]

    # Generic text is no evidence that one report copied another: boilerplate (shingles most
    # units share) and common phrasing (shingles in more than max_docs documents). Counted over
    # all shingles, not only the winnowed ones: which shingle winnowing keeps depends on its
    # neighbours, so a common phrase is a fingerprint in only some of the documents having it.
    if generic_hashes is None:
        para_sorted = sh.para_ids[order]
        doc_sorted = doc_of_para[para_sorted]
        if len(doc_of_para) and (doc_of_para[1:] >= doc_of_para[:-1]).all():
            # Paragraphs in document order (the store's order): within a run of one hash the
            # stable sort keeps them in that order, so a new document is a change of doc.
            new_doc = np.concatenate(([True], (run_sorted[1:] != run_sorted[:-1])
                                      | (doc_sorted[1:] != doc_sorted[:-1])))[:len(doc_sorted)]
            n_docs_with = np.bincount(run_sorted[new_doc], minlength=n_runs)
        else:
            n_docs_with = _distinct_per_run(run_sorted, doc_sorted, n_runs)
        n_units_with = _distinct_per_run(run_sorted, unit_of_para[para_sorted], n_runs)
        limit = max(p.boilerplate_min_units, p.boilerplate_share * n_units)
        generic_run = (n_units_with > limit) | (n_docs_with > p.max_docs)
        generic_hashes = run_hash[generic_run[:len(run_hash)]]  # sorted: runs in hash order
    else:
        generic_run = _is_in(run_hash, generic_hashes)
    del order, sorted_h, new_run, run_sorted
    generic_shingle = generic_run[run_of]

    fp_hash, fp_para = _winnow(sh, p.window)
    ok = keep[fp_para] & np.isin(fp_hash, generic_hashes, invert=True)
    fp_hash, fp_para = fp_hash[ok], fp_para[ok]
    # Candidate pairs from the shared fingerprint index (pipeline.textindex).
    candidates = pair_array(fp_hash, fp_para, doc_of_para)
    del fp_hash, fp_para

    # Evidence: each long paragraph's distinct non-generic shingles, as sorted keys
    # paragraph * n_runs + run (a look-up table: "does paragraph b hold this shingle?").
    evident = ~generic_shingle & keep[sh.para_ids]
    evidence = sorted_unique(sh.para_ids[evident] * n_runs + run_of[evident])
    # The cheap bound of `align_pair` for every pair at once: covering min_shared_words
    # syllables takes this many shared evidence shingles; most candidates share a stray
    # phrase or two and stop here.
    need = p.min_shared_words - p.k + 1
    ev_para, ev_run = evidence // n_runs, evidence % n_runs
    shared = np.bincount(ev_run, minlength=n_runs)[ev_run] > 1
    bound_pairs, n_shared = pair_keys(ev_run[shared], ev_para[shared], doc_of_para)
    del ev_para, ev_run, shared
    passing = _intersect_pairs(candidates, bound_pairs[n_shared >= need])
    del candidates, bound_pairs, n_shared

    # Per token: covered by a generic shingle, or spelling its document's own unit name;
    # neither is evidence of copying.
    para_of_token = np.repeat(np.arange(len(lengths)), lengths)
    shingle_pos = tok_at[sh.para_ids] + (np.arange(len(sh.para_ids)) - sh.first[sh.para_ids])
    generic_tok = _dilate_flat(shingle_pos, generic_shingle, len(ids), p.k)
    unit_ids = {d: [vocab.get(w, -1) for w in WORD_RE.findall(_DIGITS.sub("0", u))]
                for d, u in zip(docs["doc_id"], docs["unit_key"], strict=True)}
    name_tok = _own_names(ids, para_of_token, tok_at, lengths, doc_of_para, unit_ids)
    del para_of_token, shingle_pos
    not_evidence = generic_tok | name_tok
    effective = lengths - _segment_sums(not_evidence, tok_at)
    del generic_tok, name_tok

    align = _Alignment(sh, run_of, generic_shingle, evidence, n_runs, tok_at, not_evidence,
                       effective, p)
    hits = [hit for lo in range(0, len(passing), ALIGN_BATCH)
            for hit in align.batch(passing[lo:lo + ALIGN_BATCH])]
    cols = {c: paras[c].tolist() for c in ("doc_id", "idx", "text")}
    # Only the documents of the copies: a dict per document of the whole corpus costs more
    # than the rows themselves.
    involved = {cols["doc_id"][i] for a, b, *_ in hits for i in (a, b)}
    info = {int(r["doc_id"]): r
            for r in docs[docs["doc_id"].isin(involved)].to_dict("records")}
    rows = [_row(cols, info, a, b, cov_a, cov_b, sim, _token_spans(texts[a]),
                 _token_spans(texts[b])) for a, b, cov_a, cov_b, sim in hits]
    out = pd.DataFrame(rows, columns=COLUMNS)
    # What an auditor reads first: text shared between units, then reuse across terms, then
    # two versions of one report; the most similar first within each.
    rank = out["signal"].map(SIGNAL_ORDER)
    return out.assign(_rank=rank).sort_values(
        ["_rank", "similarity", "shared_words"], ascending=[True, False, False], kind="stable"
    ).drop(columns="_rank").reset_index(drop=True)


def _distinct_per_run(run: np.ndarray, group: np.ndarray, n_runs: int) -> np.ndarray:
    """How many distinct `group` values each run holds (`run`: a dense number per row)."""
    if len(run) == 0:
        return np.zeros(n_runs, dtype=np.int64)
    low = int(group.min())
    span = int(group.max()) - low + 1
    key = np.sort(run * span + (group - low))  # one int64 key: a plain sort
    first = np.concatenate(([True], key[1:] != key[:-1]))
    return np.bincount(key[first] // span, minlength=n_runs)


def _segment_sums(mask: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The number of True values of `mask` in each segment [at[i], at[i + 1])."""
    total = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return total[at[1:]] - total[at[:-1]]


def _intersect_pairs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The (a, b) rows in both sorted pair arrays, sorted by a then b."""
    if len(x) == 0 or len(y) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    base = int(max(x.max(), y.max())) + 1
    key = np.intersect1d(x[:, 0] * base + x[:, 1], y[:, 0] * base + y[:, 1],
                         assume_unique=True)
    return np.stack((key // base, key % base), axis=1)


def _dilate_flat(pos: np.ndarray, flags: np.ndarray, n_tokens: int, k: int) -> np.ndarray:
    """`_dilate` over many paragraphs laid end to end: tokens covered by the flagged
    shingles, a shingle starting at token `pos`. A shingle ends inside its own paragraph,
    so covering k - 1 tokens onward never crosses into the next one."""
    start = np.zeros(n_tokens, dtype=bool)
    start[pos[flags]] = True
    covered = start.copy()
    for j in range(1, min(k, n_tokens)):
        covered[j:] |= start[:-j]
    return covered


def _own_names(ids: np.ndarray, para_of_token: np.ndarray, tok_at: np.ndarray,
               lengths: np.ndarray, doc_of_para: np.ndarray,
               unit_ids: dict[int, list[int]]) -> np.ndarray:
    """Per token: part of an occurrence, inside its paragraph, of its document's unit name
    (`_find_sequence` for every paragraph at once)."""
    mask = np.zeros(len(ids), dtype=bool)
    usable = {d: seq for d, seq in unit_ids.items() if seq and -1 not in seq}
    if not usable or len(ids) == 0:
        return mask
    width = max(len(seq) for seq in usable.values())
    para_seq = np.full((len(lengths), width), -2, dtype=np.int64)
    para_len = np.zeros(len(lengths), dtype=np.int64)
    for i, d in enumerate(doc_of_para.tolist()):
        seq = usable.get(d)
        if seq is not None:
            para_seq[i, :len(seq)] = seq
            para_len[i] = len(seq)
    # Starts: the name's first syllable, the whole name fitting in its paragraph.
    at = np.flatnonzero(ids == para_seq[para_of_token, 0])
    par = para_of_token[at]
    n = para_len[par]
    ok = (n > 0) & (at + n <= tok_at[par + 1])
    at, par, n = at[ok], par[ok], n[ok]
    for j in range(1, width):
        nxt = np.minimum(at + j, len(ids) - 1)
        ok = (j >= n) | (ids[nxt] == para_seq[par, j])
        at, par, n = at[ok], par[ok], n[ok]
    for j in range(width):
        mask[at[j < n] + j] = True
    return mask


class _Alignment:
    """`align_pair` for a batch of candidate pairs at once, on flat numpy arrays: the same
    covered tokens, the same similarity, the same decisions."""

    def __init__(self, sh: Shingled, run_of: np.ndarray, generic_shingle: np.ndarray,
                 evidence: np.ndarray, n_runs: int, tok_at: np.ndarray,
                 not_evidence: np.ndarray, effective: np.ndarray, p: CopyParams) -> None:
        self.sh, self.run_of, self.generic = sh, run_of, generic_shingle
        self.evidence, self.n_runs, self.tok_at = evidence, n_runs, tok_at
        self.not_evidence, self.effective, self.p = not_evidence, effective, p

    def _covered(self, side: np.ndarray, other: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pair, the tokens of `side` covered by its shingles that the `other`
        paragraph holds as evidence (the shared evidence shingles), generic and own-name
        tokens left out: the flat mask, where each pair's part starts, and its count."""
        sh, k = self.sh, self.p.k
        n_tok = self.tok_at[side + 1] - self.tok_at[side]
        seg_at = np.concatenate(([0], np.cumsum(n_tok)))
        count = sh.count[side]
        # Every shingle of `side`, with its pair, as one flat array.
        pair_of = np.repeat(np.arange(len(side)), count)
        offset = np.arange(len(pair_of)) - np.repeat(np.cumsum(count) - count, count)
        shingle = sh.first[side][pair_of] + offset
        key = other[pair_of] * self.n_runs + self.run_of[shingle]
        at = np.minimum(np.searchsorted(self.evidence, key), len(self.evidence) - 1)
        held = (self.evidence[at] == key) & ~self.generic[shingle]
        total = int(seg_at[-1])
        covered = _dilate_flat(seg_at[pair_of] + offset, held, total, k)
        token = np.repeat(self.tok_at[side] - seg_at[:-1], n_tok) + np.arange(total)
        covered &= ~self.not_evidence[token]
        return covered, seg_at, _segment_sums(covered, seg_at)

    def batch(self, pairs: np.ndarray) -> list[tuple[int, int, np.ndarray, np.ndarray, float]]:
        """(a, b, covered tokens of a, of b, similarity) of the pairs that are copies, in
        the order given."""
        if len(pairs) == 0 or len(self.evidence) == 0:
            return []
        p = self.p
        a, b = pairs[:, 0], pairs[:, 1]
        cov_a, at_a, n_a = self._covered(a, b)
        cov_b, at_b, n_b = self._covered(b, a)
        eff = self.effective[a] + self.effective[b]
        sim = (n_a + n_b) / np.maximum(1, eff)
        low = np.minimum(n_a, n_b)
        copy = (low >= p.min_shared_words) & ((sim >= p.min_similarity)
                                              | (low >= p.long_shared_words))
        out = []
        for i in np.flatnonzero(copy).tolist():
            value = (int(n_a[i]) + int(n_b[i])) / max(1, int(eff[i]))
            out.append((int(a[i]), int(b[i]), cov_a[at_a[i]:at_a[i + 1]].copy(),
                        cov_b[at_b[i]:at_b[i + 1]].copy(), round(min(1.0, value), 3)))
        return out


def _find_sequence(tokens: np.ndarray, sequence: list[int]) -> np.ndarray:
    """Mask of the tokens that are part of an occurrence of `sequence`."""
    mask = np.zeros(len(tokens), dtype=bool)
    n = len(sequence)
    if n == 0 or -1 in sequence or len(tokens) < n:
        return mask
    for i in np.flatnonzero(tokens[: len(tokens) - n + 1] == sequence[0]).tolist():
        if tokens[i:i + n].tolist() == sequence:
            mask[i:i + n] = True
    return mask


def _token_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD_RE.finditer(fold(text))]


def _is_in(hashes: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if len(sorted_set) == 0:
        return np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, hashes), len(sorted_set) - 1)
    return sorted_set[at] == hashes


def align_pair(
    ha: np.ndarray, hb: np.ndarray, set_a: set[int], set_b: set[int], name_a: np.ndarray,
    name_b: np.ndarray, generic: np.ndarray, p: CopyParams,
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Align two paragraphs by their shared evidence shingles: (covered tokens of a, of b,
    similarity), or None when they are not a copy. `ha`, `hb`: their shingle hashes in
    order; `set_a`, `set_b`: their non-generic shingles; `name_a`, `name_b`: which of their
    tokens spell their own unit's name; `generic`: the sorted generic hashes."""
    # Cheap bound first: covering min_shared_words syllables takes this many shared shingles;
    # most candidates share a stray phrase or two and stop here.
    common = set_a & set_b
    if len(common) < p.min_shared_words - p.k + 1:
        return None
    shared = np.sort(np.fromiter(common, dtype=np.uint64, count=len(common)))
    cov_a, eff_a = _coverage(ha, shared, generic, name_a, p.k)
    cov_b, eff_b = _coverage(hb, shared, generic, name_b, p.k)
    n_a, n_b = int(cov_a.sum()), int(cov_b.sum())
    sim = (n_a + n_b) / max(1, eff_a + eff_b)
    if min(n_a, n_b) < p.min_shared_words:
        return None
    if sim < p.min_similarity and min(n_a, n_b) < p.long_shared_words:
        return None
    return cov_a, cov_b, round(min(1.0, sim), 3)


def _dilate(starts: np.ndarray, n_tokens: int, k: int) -> np.ndarray:
    """Tokens covered by the shingles that start where `starts` is True."""
    covered = np.convolve(starts.astype(np.int8), np.ones(k, dtype=np.int8))[:n_tokens] > 0
    if len(covered) < n_tokens:
        covered = np.concatenate((covered, np.zeros(n_tokens - len(covered), dtype=bool)))
    return covered


def _coverage(
    hashes: np.ndarray, shared: np.ndarray, generic: np.ndarray, own_name: np.ndarray, k: int
) -> tuple[np.ndarray, int]:
    """Tokens covered by shared shingles, and the paragraph's length, both without generic
    text (boilerplate, common phrasing) and without the unit's own name."""
    n_tokens = len(own_name)
    covered = _dilate(_is_in(hashes, shared), n_tokens, k)
    generic_tok = _dilate(_is_in(hashes, generic), n_tokens, k)
    # Only what is neither generic nor the unit's own name is evidence of copying.
    covered &= ~own_name & ~generic_tok
    effective = n_tokens - int((generic_tok | own_name).sum())
    return covered, effective


def _spans(covered: np.ndarray, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i in np.flatnonzero(covered).tolist():
        if i >= len(tokens):
            break
        s, e = tokens[i]
        if spans and (i > 0 and covered[i - 1]):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def _row(cols: dict[str, list], info: dict[int, dict], a: int, b: int, cov_a: np.ndarray,
         cov_b: np.ndarray, sim: float, a_tok: list[tuple[int, int]],
         b_tok: list[tuple[int, int]]) -> dict[str, object]:
    ra = {c: v[a] for c, v in cols.items()}
    rb = {c: v[b] for c, v in cols.items()}
    da, db = info[int(ra["doc_id"])], info[int(rb["doc_id"])]
    # Older side first: the term, then the order of storage.
    if (db["term_label"], rb["doc_id"]) < (da["term_label"], ra["doc_id"]):
        ra, rb, da, db, cov_a, cov_b, a_tok, b_tok = rb, ra, db, da, cov_b, cov_a, b_tok, a_tok
    if da["unit_key"] != db["unit_key"]:
        signal = "cross_unit"
    elif da["term_label"] != db["term_label"]:
        signal = "self_reuse"
    else:
        signal = "same_unit"
    spans_a, spans_b = _spans(cov_a, a_tok), _spans(cov_b, b_tok)
    return {
        "signal": signal, "similarity": sim, "shared_words": int(min(cov_a.sum(), cov_b.sum())),
        "source_a": da["source"], "unit_a": da["unit_label"], "term_a": da["term_label"],
        "paragraph_a": int(ra["idx"]), "source_b": db["source"], "unit_b": db["unit_label"],
        "term_b": db["term_label"], "paragraph_b": int(rb["idx"]), "doc_a": int(ra["doc_id"]),
        "doc_b": int(rb["doc_id"]), "spans_a": spans_a, "spans_b": spans_b,
        "shared_text": " … ".join(ra["text"][s:e] for s, e in spans_a),
        "text_a": ra["text"], "text_b": rb["text"],
    }


def copies_by_document(copies: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of documents: how many paragraphs they share and the signal."""
    if copies.empty:
        return pd.DataFrame(columns=["signal", "source_a", "unit_a", "term_a", "source_b",
                                     "unit_b", "term_b", "paragraphs", "shared_words",
                                     "max_similarity"])
    keys = ["signal", "source_a", "unit_a", "term_a", "source_b", "unit_b", "term_b"]
    return (copies.groupby(keys, dropna=False)
            .agg(paragraphs=("similarity", "size"), shared_words=("shared_words", "sum"),
                 max_similarity=("similarity", "max"))
            .reset_index().sort_values("shared_words", ascending=False, kind="stable")
            .reset_index(drop=True))
