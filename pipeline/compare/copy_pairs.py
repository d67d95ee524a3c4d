"""Copied passages grouped per pair of documents: what an auditor reads first.

`detect_copies` (copies.py) finds paragraph pairs; a pair of reports that share 40 paragraphs
would be 40 rows. Here each pair of documents is one row: its signal, how many passages and
words they share, the share of the shorter document that is shared, and the passages themselves
listed inside the row (paragraph numbers, similarity, the shared text).

A document is its text (pipeline/store/identity.py): the same report as DOCX and PDF is one
document, so it is never a "copy" of itself.
"""

from __future__ import annotations

import pandas as pd

from pipeline.compare.copies import SIGNAL_ORDER

PAIR_COLUMNS = ["signal", "share_of_shorter", "shared_words", "passages", "unit_a", "term_a",
                "unit_b", "term_b", "source_a", "source_b", "doc_a", "doc_b", "max_similarity",
                "copied"]


def copy_pairs(copies: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of documents (PAIR_COLUMNS); `copied` lists the passages, each a dict
    paragraph_a, paragraph_b, similarity, shared_words, shared_text; `share_of_shorter` is the
    shared words over the words of the shorter document (0-1)."""
    if copies.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    words = dict(zip(documents["doc_id"].astype(int), documents["n_words"].fillna(0).astype(int),
                     strict=True))
    rows = []
    keys = ["doc_a", "doc_b"]
    for (doc_a, doc_b), group in copies.groupby(keys, sort=False):
        first = group.iloc[0]
        group = group.sort_values("paragraph_a", kind="stable")
        shared = int(group["shared_words"].sum())
        shorter = min(words.get(int(doc_a), 0), words.get(int(doc_b), 0))
        rows.append({
            "signal": first["signal"],
            "share_of_shorter": round(min(1.0, shared / shorter), 4) if shorter else None,
            "shared_words": shared, "passages": len(group),
            "unit_a": first["unit_a"], "term_a": first["term_a"],
            "unit_b": first["unit_b"], "term_b": first["term_b"],
            "source_a": first["source_a"], "source_b": first["source_b"],
            "doc_a": int(doc_a), "doc_b": int(doc_b),
            "max_similarity": float(group["similarity"].max()),
            "copied": [{"paragraph_a": int(r.paragraph_a), "paragraph_b": int(r.paragraph_b),
                        "similarity": float(r.similarity), "shared_words": int(r.shared_words),
                        "shared_text": r.shared_text}
                       for r in group.itertuples()],
        })
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    rank = out["signal"].map(SIGNAL_ORDER)
    return out.assign(_rank=rank).sort_values(
        ["_rank", "shared_words"], ascending=[True, False], kind="stable"
    ).drop(columns="_rank").reset_index(drop=True)
