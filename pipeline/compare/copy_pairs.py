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
    pairs: dict[tuple[int, int], dict] = {}
    # One pass over plain records: a pandas groupby costs milliseconds per group.
    for r in copies.to_dict("records"):
        key = (int(r["doc_a"]), int(r["doc_b"]))
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = {
                "signal": r["signal"], "share_of_shorter": None, "shared_words": 0,
                "passages": 0, "unit_a": r["unit_a"], "term_a": r["term_a"],
                "unit_b": r["unit_b"], "term_b": r["term_b"], "source_a": r["source_a"],
                "source_b": r["source_b"], "doc_a": key[0], "doc_b": key[1],
                "max_similarity": 0.0, "copied": []}
        pair["shared_words"] += int(r["shared_words"])
        pair["passages"] += 1
        pair["max_similarity"] = max(pair["max_similarity"], float(r["similarity"]))
        pair["copied"].append({"paragraph_a": int(r["paragraph_a"]),
                               "paragraph_b": int(r["paragraph_b"]),
                               "similarity": float(r["similarity"]),
                               "shared_words": int(r["shared_words"]),
                               "shared_text": r["shared_text"]})
    for (doc_a, doc_b), pair in pairs.items():
        pair["copied"].sort(key=lambda c: (c["paragraph_a"], c["paragraph_b"]))
        shorter = min(words.get(doc_a, 0), words.get(doc_b, 0))
        if shorter:
            pair["share_of_shorter"] = round(min(1.0, pair["shared_words"] / shorter), 4)
    out = pd.DataFrame(list(pairs.values()), columns=PAIR_COLUMNS)
    rank = out["signal"].map(SIGNAL_ORDER)
    return out.assign(_rank=rank).sort_values(
        ["_rank", "shared_words"], ascending=[True, False], kind="stable"
    ).drop(columns="_rank").reset_index(drop=True)
