"""Reference matrix: units × documents cited (who cites 57-NQ/TW, 05-CT/TW, …), with counts."""

from __future__ import annotations

import pandas as pd

from pipeline.compare.units import one_per_unit_term


def reference_matrix(
    documents: pd.DataFrame,
    references: pd.DataFrame,
    term: str | None = None,
    doc_type: str | None = None,
    min_units: int = 1,
) -> pd.DataFrame:
    """Rows (unit, term), one column per cited id (most cited first), cells = citations.

    `min_units`: keep ids cited by at least this many rows (a long tail of one-off citations
    drowns the shared ones in a big corpus)."""
    docs = one_per_unit_term(documents, doc_type=doc_type, term=term)
    index = pd.MultiIndex.from_frame(docs[["unit_label", "term_label"]]
                                     .set_axis(["unit", "term"], axis=1))
    refs = docs[["doc_id", "unit_label", "term_label"]].merge(
        references[["doc_id", "ref_id"]], on="doc_id")
    if refs.empty:
        return pd.DataFrame(index=index, dtype="int64")
    counts = (refs.groupby(["unit_label", "term_label", "ref_id"]).size()
              .unstack("ref_id", fill_value=0))
    counts.index = counts.index.set_names(["unit", "term"])
    citing = (counts > 0).sum().sort_values(ascending=False, kind="stable")
    order = sorted(citing.index, key=lambda r: (-int(citing[r]), -int(counts[r].sum()), r))
    counts = counts[[r for r in order if citing[r] >= min_units]]
    counts = counts.reindex(index, fill_value=0).astype("int64")
    counts.columns.name = None
    return counts


def reference_table(matrix: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """The reference matrix read per cited id (long, for a screen or a page): id, how many
    units cite it, how many times in all, and the citing units; most cited first, `top` ids."""
    columns = ["ref_id", "units", "citations", "cited_by"]
    if matrix.empty or len(matrix.columns) == 0:
        return pd.DataFrame(columns=columns)
    rows = []
    for ref_id in matrix.columns[:top] if top else matrix.columns:
        col = matrix[ref_id]
        citing = col[col > 0]
        names = [f"{u} {t}".strip() for u, t in citing.index]
        rows.append({"ref_id": ref_id, "units": len(citing), "citations": int(col.sum()),
                     "cited_by": "; ".join(names)})
    return pd.DataFrame(rows, columns=columns)
