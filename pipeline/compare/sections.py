"""Section matrix: units × the sections their template requires, present or missing.

Uses the templates (pipeline/data/templates.yaml, `required_sections`) and the taxonomy's rule
that a descendant satisfies a requirement (`satisfies`), exactly as the audit does per document.
"""

from __future__ import annotations

import pandas as pd

from pipeline.compare.units import one_per_unit_term
from pipeline.nlp.doctype import required_sections
from pipeline.nlp.sections import satisfies


def section_matrix(
    documents: pd.DataFrame,
    sections: pd.DataFrame,
    term: str | None = None,
    doc_type: str = "political_report",
) -> pd.DataFrame:
    """Rows (unit, term), one boolean column per required label (template order): True when
    the document has that section."""
    docs = one_per_unit_term(documents, doc_type=doc_type, term=term)
    required = required_sections(doc_type)
    labels = sections.groupby("doc_id")["label"].agg(lambda s: {x for x in s if x})
    rows = []
    for doc in docs.itertuples():
        present = labels.get(doc.doc_id, set())
        rows.append([any(satisfies(p, req) for p in present) for req in required])
    index = pd.MultiIndex.from_arrays([docs["unit_label"], docs["term_label"]],
                                      names=["unit", "term"])
    return pd.DataFrame(rows, index=index, columns=required, dtype=bool)


def missing_by_unit(matrix: pd.DataFrame) -> pd.DataFrame:
    """Long table of the False cells: unit, term, missing label."""
    long = matrix.stack()
    long = long[~long.astype(bool)]
    return long.reset_index().rename(columns={"level_2": "missing"})[["unit", "term", "missing"]]
