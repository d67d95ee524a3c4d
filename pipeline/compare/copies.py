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
from pipeline.store.folding import WORD_RE, fold
from pipeline.textindex import pair_array, token_keys
from pipeline.textindex import shingles as _shingle
from pipeline.textindex import spread as _spread
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


def _tokenize(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Token ids of all paragraphs, flat; each paragraph's token count; the vocabulary."""
    flat: list[str] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        # Numbers are one token: a copy with its counts changed is still a copy, and a
        # template filled with different counts is still the template.
        toks = WORD_RE.findall(_DIGITS.sub("0", fold(text)))
        lengths[i] = len(toks)
        flat.extend(toks)
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    vocab = {t: i for i, t in enumerate(uniques.tolist())}
    return codes.astype(np.int64), lengths, vocab


def detect_copies(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, params: CopyParams | None = None,
    generic_hashes: np.ndarray | None = None,
) -> pd.DataFrame:
    """Paragraph pairs of different documents that share text, one row per pair (COLUMNS).

    `paragraphs`: doc_id, idx, text and optionally is_heading; `documents`: doc_id, source,
    unit (None: the file name stands for the unit), term. `generic_hashes`: the sorted
    hashes of generic shingles when counted over a larger corpus than `paragraphs`
    (`pipeline.compare.copies_scale`, out of core); default: counted here.
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
    ids, lengths, vocab = _tokenize(texts)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    keep = lengths >= p.min_words
    sh = _shingle(ids, lengths, p.k, token_keys(list(vocab)))  # hashes stable across runs
    doc_of_para = paras["doc_id"].to_numpy()
    unit_index = docs["unit_key"].astype("category").cat.codes
    unit_of_doc = dict(zip(docs["doc_id"], unit_index, strict=True))
    unit_of_para = np.asarray([unit_of_doc.get(d, -1) for d in doc_of_para], dtype=np.int64)
    n_units = int(unit_index.max()) + 1 if len(unit_index) else 0

    # Generic text is no evidence that one report copied another: boilerplate (shingles most
    # units share) and common phrasing (shingles in more than max_docs documents). Counted over
    # all shingles, not only the winnowed ones: which shingle winnowing keeps depends on its
    # neighbours, so a common phrase is a fingerprint in only some of the documents having it.
    if generic_hashes is None:
        hashes, n_units_with = _spread(sh.hashes, unit_of_para[sh.para_ids])
        _, n_docs_with = _spread(sh.hashes, doc_of_para[sh.para_ids])
        limit = max(p.boilerplate_min_units, p.boilerplate_share * n_units)
        generic_hashes = np.sort(hashes[(n_units_with > limit) | (n_docs_with > p.max_docs)])

    fp_hash, fp_para = _winnow(sh, p.window)
    ok = keep[fp_para] & np.isin(fp_hash, generic_hashes, invert=True)
    fp_hash, fp_para = fp_hash[ok], fp_para[ok]
    # Candidate pairs from the shared fingerprint index (pipeline.textindex).
    candidates = pair_array(fp_hash, fp_para, doc_of_para).tolist()

    info = {int(r["doc_id"]): r for r in docs.to_dict("records")}
    cols = {c: paras[c].tolist() for c in ("doc_id", "idx", "text")}
    unit_ids = {d: [vocab.get(w, -1) for w in WORD_RE.findall(_DIGITS.sub("0", u))]
                for d, u in zip(docs["doc_id"], docs["unit_key"], strict=True)}
    names_cache: dict[int, np.ndarray] = {}

    def own_name(i: int) -> np.ndarray:
        """Which syllables of paragraph i spell its document's unit name."""
        if (mask := names_cache.get(i)) is None:
            toks = ids[starts[i]:starts[i] + lengths[i]]
            mask = names_cache[i] = _find_sequence(toks, unit_ids.get(doc_of_para[i], []))
        return mask

    generic_shingle = _is_in(sh.hashes, generic_hashes)
    sets_cache: dict[int, set[int]] = {}

    def shingle_set(i: int) -> set[int]:
        """The paragraph's shingles that are evidence (not generic)."""
        if (found := sets_cache.get(i)) is None:
            part = slice(sh.first[i], sh.first[i] + sh.count[i])
            found = sets_cache[i] = set(sh.hashes[part][~generic_shingle[part]].tolist())
        return found

    rows = []
    for a, b in candidates:
        found = align_pair(sh.hashes[sh.first[a]:sh.first[a] + sh.count[a]],
                           sh.hashes[sh.first[b]:sh.first[b] + sh.count[b]],
                           shingle_set(a), shingle_set(b), own_name(a), own_name(b),
                           generic_hashes, p)
        if found is None:
            continue
        cov_a, cov_b, sim = found
        rows.append(_row(cols, info, a, b, cov_a, cov_b, sim, _token_spans(texts[a]),
                         _token_spans(texts[b])))
    out = pd.DataFrame(rows, columns=COLUMNS)
    # What an auditor reads first: text shared between units, then reuse across terms, then
    # two versions of one report; the most similar first within each.
    rank = out["signal"].map(SIGNAL_ORDER)
    return out.assign(_rank=rank).sort_values(
        ["_rank", "similarity", "shared_words"], ascending=[True, False, False], kind="stable"
    ).drop(columns="_rank").reset_index(drop=True)


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
