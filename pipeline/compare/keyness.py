"""Keyness: the words one unit uses more (or less) than its peers, as quanteda's
`textstat_keyness(measure = "lr")`.

Words, not syllables: "nông thôn" is one feature, not "nông" and "thôn". The target unit's
documents are segmented by underthesea; the words found there (one to four syllables) are then
counted in every document, target and reference alike, by longest match on syllables, so both
sides are counted the same way and only the target pays underthesea's cost. Numbers and the
project's stop words (pipeline/data/stopwords.yaml) are left out.

On a big store each side is counted on an even sample of at most `MAX_DOCUMENTS` documents,
and underthesea reads at most `MAX_SEGMENTED_SYLLABLES` of the target.

Statistic: the signed log-likelihood ratio G² of the 2×2 table (word / other words × target /
reference), Dunning 1993, with its p-value from χ² with one degree of freedom; negative: the
target uses the word less than its peers.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_dist

from pipeline.compare.units import label_documents
from pipeline.data import load_yaml
from pipeline.store.features import document_texts, read_document_texts, text_document_ids
from pipeline.store.folding import fold

T = TypeVar("T")
MAX_WORD = 4  # syllables in the longest word looked for
# Bounds that keep keyness within seconds on a 10,000-document store: underthesea reads at most
# this many syllables of the target to learn its words, and each side is counted on at most
# this many documents (an even sample, always the same one, when there are more).
MAX_SEGMENTED_SYLLABLES = 60_000
MAX_DOCUMENTS = 600
COLUMNS = ["feature", "g2", "p", "n_target", "n_reference", "per_10k_target",
           "per_10k_reference"]
_CHUNK = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)*")  # runs of letters-only syllables
_HAS_DIGIT = re.compile(r"\d")


@cache
def stopwords() -> frozenset[str]:
    return frozenset(w.lower() for w in load_yaml("stopwords.yaml")["stopwords"])


def _segment(texts: list[str]) -> set[tuple[str, ...]]:
    """The words (as syllable tuples, lower case) underthesea finds in `texts`."""
    from underthesea import word_tokenize

    found: set[tuple[str, ...]] = set()
    for text in texts:
        for line in text.split("\n"):
            if not line.strip():
                continue
            for word in word_tokenize(line):
                syllables = tuple(word.lower().split())
                if 1 < len(syllables) <= MAX_WORD and all(s.isalpha() for s in syllables):
                    found.add(syllables)
    return found


def _sample(texts: list[T]) -> list[T]:
    if len(texts) <= MAX_DOCUMENTS:
        return texts
    step = len(texts) / MAX_DOCUMENTS
    return [texts[int(i * step)] for i in range(MAX_DOCUMENTS)]


def _first_syllables(texts: list[str], limit: int) -> list[str]:
    """Texts taken in turn (a paragraph of each, then the next) until `limit` syllables."""
    paragraphs = [t.split("\n") for t in texts]
    out: list[str] = []
    seen = 0
    for depth in range(max((len(p) for p in paragraphs), default=0)):
        for p in paragraphs:
            if depth < len(p):
                out.append(p[depth])
                seen += len(p[depth].split())
                if seen >= limit:
                    return out
    return out


def _count(text: str, lexicon: set[tuple[str, ...]]) -> Counter[str]:
    """Words of `text`: the longest lexicon word at each position, else the syllable."""
    counts: Counter[str] = Counter()
    for chunk in _CHUNK.finditer(text.lower()):
        syl = chunk.group().split()
        i = 0
        while i < len(syl):
            for n in range(min(MAX_WORD, len(syl) - i), 0, -1):
                if n == 1 or tuple(syl[i:i + n]) in lexicon:
                    counts[" ".join(syl[i:i + n])] += 1
                    i += n
                    break
    return counts


def keyness(
    paragraphs: pd.DataFrame, documents: pd.DataFrame, unit: str, top: int = 30
) -> pd.DataFrame:
    """Words over-used by one unit (its documents, matched by folded name) against all the
    other documents, most key first (COLUMNS)."""
    texts = document_texts(paragraphs)
    target = _is_target(texts.index, documents, unit)
    if not target.any() or target.all():
        return pd.DataFrame(columns=COLUMNS)
    target_texts = _sample([t for t, x in zip(texts, target, strict=True) if x])
    reference_texts = _sample([t for t, x in zip(texts, target, strict=True) if not x])
    return _keyness(target_texts, reference_texts, top)


def keyness_from_store(db: str | Path, documents: pd.DataFrame, unit: str,
                       top: int = 30) -> pd.DataFrame:
    """`keyness` of the store `db` reading only the texts it counts (each side's even sample
    of at most MAX_DOCUMENTS documents), never the whole corpus: the same rows."""
    ids = pd.Index(text_document_ids(db), name="doc_id")
    target = _is_target(ids, documents, unit)
    if not target.any() or target.all():
        return pd.DataFrame(columns=COLUMNS)
    chosen_t = _sample([int(d) for d, x in zip(ids, target, strict=True) if x])
    chosen_r = _sample([int(d) for d, x in zip(ids, target, strict=True) if not x])
    texts = read_document_texts(db, sorted(set(chosen_t) | set(chosen_r)))
    return _keyness([texts[d] for d in chosen_t], [texts[d] for d in chosen_r], top)


def _is_target(ids: pd.Index, documents: pd.DataFrame, unit: str) -> np.ndarray:
    keys = label_documents(documents).set_index("doc_id")["unit_key"]
    want = " ".join(fold(unit).split())
    # One look-up for all ids (a `.loc` per document cost half a second at 10,000).
    return np.asarray([want in key for key in keys.loc[list(ids)].tolist()], dtype=bool)


def _keyness(target_texts: list[str], reference_texts: list[str], top: int) -> pd.DataFrame:
    lexicon = _segment(_first_syllables(target_texts, MAX_SEGMENTED_SYLLABLES))
    counts_t: Counter[str] = Counter()
    counts_r: Counter[str] = Counter()
    for text in target_texts:
        counts_t.update(_count(text, lexicon))
    for text in reference_texts:
        counts_r.update(_count(text, lexicon))
    stop = stopwords()
    features = sorted(w for w in set(counts_t) | set(counts_r)
                      if w not in stop and not _HAS_DIGIT.search(w))
    if not features:
        return pd.DataFrame(columns=COLUMNS)
    a = np.asarray([counts_t[w] for w in features], dtype=float)
    b = np.asarray([counts_r[w] for w in features], dtype=float)
    # Totals over every word, stop words included: the share of the text a word takes.
    total_t, total_r = float(sum(counts_t.values())), float(sum(counts_r.values()))
    g2 = _log_likelihood(a, b, total_t, total_r)
    order = np.argsort(-g2, kind="stable")[:top]
    p = chi2_dist.sf(np.abs(g2[order]), 1)
    return pd.DataFrame({
        "feature": np.asarray(features, dtype=object)[order],
        "g2": g2[order].round(2),
        "p": p,
        "n_target": a[order].astype("int64"),
        "n_reference": b[order].astype("int64"),
        "per_10k_target": (1e4 * a[order] / max(total_t, 1)).round(1),
        "per_10k_reference": (1e4 * b[order] / max(total_r, 1)).round(1),
    }, columns=COLUMNS)


def _log_likelihood(a: np.ndarray, b: np.ndarray, total_t: float,
                    total_r: float) -> np.ndarray:
    """Signed G² of each word's 2×2 table: a, b its counts in target and reference."""
    c, d = total_t - a, total_r - b
    n = total_t + total_r
    observed = np.stack([a, b, c, d])
    row = np.stack([a + b, a + b, c + d, c + d])
    col = np.stack([np.full_like(a, total_t), np.full_like(a, total_r),
                    np.full_like(a, total_t), np.full_like(a, total_r)])
    expected = row * col / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    g2 = 2 * terms.sum(axis=0)
    sign = np.where(a / max(total_t, 1) >= b / max(total_r, 1), 1.0, -1.0)
    return sign * g2
