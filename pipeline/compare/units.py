"""Who a document speaks for: the unit label and term every comparison is indexed by.

A document whose metadata names no unit stands for itself (its file name), so it still shows
up in a matrix; without a term its year stands for it ("" when neither is known). When a unit
has several documents for one term (a draft and the final version), comparisons read one:
the final before the draft, then the latest date, then the last stored.
"""

from __future__ import annotations

import pandas as pd

from pipeline.store.folding import fold

INDEX = ["unit", "term"]


def label_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """`documents` with `unit_label`, `unit_key` (folded, for matching) and `term_label`."""
    docs = documents.copy()
    stem = docs["source"].astype(str).str.replace(r"^.*/|\.[^.]+$", "", regex=True)
    unit = docs["unit"] if "unit" in docs else pd.Series([None] * len(docs), index=docs.index)
    has_unit = unit.notna() & (unit.astype(str).str.strip() != "")
    docs["unit_label"] = unit.where(has_unit, stem).astype(str)
    docs["unit_key"] = docs["unit_label"].map(lambda u: " ".join(fold(u).split()))
    term = docs["term"] if "term" in docs else pd.Series([None] * len(docs), index=docs.index)
    # No term stated: the year the document is dated, so a row never has an empty term.
    year = docs["year"] if "year" in docs else pd.Series([None] * len(docs), index=docs.index)
    year_label = year.map(lambda y: "" if y is None or y != y else str(int(y)))
    docs["term_label"] = [t if isinstance(t, str) and t else y
                          for t, y in zip(term.tolist(), year_label.tolist(), strict=True)]
    return docs


def one_per_unit_term(documents: pd.DataFrame, doc_type: str | None = None,
                      term: str | None = None) -> pd.DataFrame:
    """The document each (unit, term) is compared by, labelled (see module doc)."""
    docs = label_documents(documents)
    if doc_type is not None and "doc_type" in docs:
        docs = docs[docs["doc_type"] == doc_type]
    if term is not None:
        docs = docs[docs["term_label"] == term]
    final_first = docs["draft"].map(lambda d: 1 if d is True else 0) if "draft" in docs else 0
    docs = docs.assign(_draft=final_first, _date=docs.get("date", pd.Series(dtype=str))
                       .fillna("").astype(str))
    docs = docs.sort_values(["_draft", "_date", "doc_id"], ascending=[False, True, True],
                            kind="stable")
    # The last row of each group wins: final over draft, latest date, last stored.
    chosen = docs.groupby(["unit_key", "term_label"], sort=False).tail(1)
    return chosen.drop(columns=["_draft", "_date"]).sort_values(["unit_label", "term_label"]) \
        .reset_index(drop=True)
