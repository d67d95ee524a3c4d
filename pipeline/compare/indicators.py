"""Indicator matrices: units × canonical indicator keys for a term, and the change between
two terms for the units present in both."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipeline.compare.units import one_per_unit_term
from pipeline.store.readonly import readonly_connection, select_in


def _chosen_values(documents: pd.DataFrame, indicators: pd.DataFrame, term: str | None,
                   kind: str | None, doc_type: str | None) -> pd.DataFrame:
    docs = one_per_unit_term(documents, doc_type=doc_type, term=term)
    ind = indicators[indicators["key"].notna()]
    if kind is not None:
        ind = ind[ind["kind"] == kind]
    # A report mentions a number several times (summary, then detail, then appendix): the
    # first mention in reading order is the one it leads with.
    ind = ind.sort_values(["doc_id", "idx"], kind="stable").drop_duplicates(["doc_id", "key"])
    # The indicator's own "unit" is its measure (%, person, VND), not the party unit.
    ind = ind.rename(columns={"unit": "measure"})
    merged = docs[["doc_id", "unit_label", "term_label"]].merge(ind, on="doc_id")
    return merged.rename(columns={"unit_label": "unit", "term_label": "term"})


def indicator_matrix(
    documents: pd.DataFrame,
    indicators: pd.DataFrame,
    term: str | None = None,
    kind: str | None = "actual",
    doc_type: str | None = "political_report",
) -> pd.DataFrame:
    """Rows (unit, term), one column per indicator key, the value the report gives.

    Units without any keyed indicator are rows of NaN, so a missing number is visible."""
    docs = one_per_unit_term(documents, doc_type=doc_type, term=term)
    index = pd.MultiIndex.from_frame(
        docs[["unit_label", "term_label"]].rename(columns={"unit_label": "unit",
                                                           "term_label": "term"}))
    values = _chosen_values(documents, indicators, term, kind, doc_type)
    if values.empty:
        return pd.DataFrame(index=index)
    matrix = values.pivot_table(index=["unit", "term"], columns="key", values="value",
                                aggfunc="first")
    matrix = matrix.reindex(index)
    matrix.columns.name = None
    return matrix


def indicator_change(
    documents: pd.DataFrame,
    indicators: pd.DataFrame,
    term_from: str,
    term_to: str,
    kind: str | None = "actual",
    doc_type: str | None = "political_report",
) -> pd.DataFrame:
    """Long table: unit, key, value in `term_from`, value in `term_to`, change, change_pct,
    for the units and keys reported in both terms."""
    a = _chosen_values(documents, indicators, term_from, kind, doc_type)
    b = _chosen_values(documents, indicators, term_to, kind, doc_type)
    cols = ["unit", "key", "value"]
    both = a[cols].merge(b[cols], on=["unit", "key"], suffixes=("_from", "_to"))
    both = both.rename(columns={"value_from": term_from, "value_to": term_to})
    both["change"] = both[term_to] - both[term_from]
    base = both[term_from].where(both[term_from] != 0)
    both["change_pct"] = (100 * both["change"] / base).round(1)
    return both.sort_values(["unit", "key"]).reset_index(drop=True)


def indicator_table(
    documents: pd.DataFrame,
    indicators: pd.DataFrame,
    term: str | None = None,
    kind: str | None = "actual",
    doc_type: str | None = "political_report",
) -> pd.DataFrame:
    """Long table, one row per (unit, term, indicator): the value with its measure (%, person,
    VND, ...) beside it, so a 92.2 % never reads as a count. Columns: unit, term, key,
    measure, value, value_max, surface."""
    values = _chosen_values(documents, indicators, term, kind, doc_type)
    columns = ["unit", "term", "key", "measure", "value", "value_max", "surface"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    return values[columns].sort_values(["unit", "term", "key"], kind="stable") \
        .reset_index(drop=True)


def store_indicators(
    db: str | Path, documents: pd.DataFrame, terms: Iterable[str | None],
    kind: str | None = "actual", doc_type: str | None = "political_report",
    chunk_docs: int = 2000,
) -> pd.DataFrame:
    """The rows of the store's indicators table the matrices above can use for these terms
    (keyed, of this kind, of the one document per unit and term they read), read a chunk of
    documents at a time: passed as `indicators`, the results are those of the whole table
    (tests/test_compare.py), without the whole table in memory."""
    from pipeline.store.frames import typed_frame

    ids = sorted({int(d) for term in terms
                  for d in one_per_unit_term(documents, doc_type=doc_type, term=term)["doc_id"]})
    where = "key IS NOT NULL" + (" AND kind = ?" if kind is not None else "")
    sql = f"SELECT * FROM indicators WHERE {where} AND doc_id IN ({{ids}}) ORDER BY doc_id, idx"
    with readonly_connection(db) as con:
        parts = [typed_frame(cursor) for cursor in select_in(
            con, sql, ids, [kind] if kind is not None else [], chunk=chunk_docs)]
        if not parts:
            parts.append(typed_frame(con.execute("SELECT * FROM indicators LIMIT 0")))
        declared = {r[1]: str(r[2]).upper() for r in con.execute("PRAGMA table_info(indicators)")}
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    # A REAL column holding no value in these rows only (value_max of plain counts) is still
    # a float column, as in the whole table.
    for name, sql_type in declared.items():
        if sql_type == "REAL" and rows[name].dtype == object:
            rows[name] = rows[name].astype("float64")
    return rows
