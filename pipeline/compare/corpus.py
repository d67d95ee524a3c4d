"""`Corpus`: the store read as DataFrames, with every comparison one method away."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from pipeline.compare.copies import CopyParams, copies_by_document, detect_copies
from pipeline.compare.copy_pairs import copy_pairs
from pipeline.compare.indicators import indicator_change, indicator_matrix, indicator_table
from pipeline.compare.keyness import keyness
from pipeline.compare.references import reference_matrix, reference_table
from pipeline.compare.sections import missing_by_unit, section_matrix
from pipeline.compare.similarity import section_similarity
from pipeline.store.database import Store, store_errors
from pipeline.store.features import FeatureMatrix, document_features
from pipeline.store.frames import Frames
from pipeline.store.search import DEFAULT_LIMIT, Filters, hits_frame, kwic, search


class Corpus:
    """A store opened for reading (it must exist). Tables load on first use."""

    def __init__(self, db: str | Path) -> None:
        self.path = Path(db)
        self.store = Store(self.path, create=False, readonly=True)
        self.frames = Frames(self.store.conn)
        # Copies out of core (`compare copies --engine serial|dask`): keyword arguments of
        # `copies_scale.copies_out_of_core` (engine, workers, scheduler); None: in memory.
        self.copies_engine: dict[str, object] | None = None
        # Similarity, keyness and the feature matrix read from the store in chunks of
        # documents instead of from the whole paragraphs table (`compare --engine`).
        self.out_of_core = False

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, name: str) -> pd.DataFrame:
        with store_errors(self.path):
            return getattr(self.frames, name)

    # -- tables --------------------------------------------------------------------------
    @property
    def documents(self) -> pd.DataFrame:
        return self._read("documents")

    @property
    def paragraphs(self) -> pd.DataFrame:
        return self._read("paragraphs")

    @property
    def sections(self) -> pd.DataFrame:
        return self._read("sections")

    @property
    def references(self) -> pd.DataFrame:
        return self._read("references")

    @property
    def indicators(self) -> pd.DataFrame:
        return self._read("indicators")

    @property
    def findings(self) -> pd.DataFrame:
        return self._read("findings")

    @cached_property
    def features(self) -> FeatureMatrix:
        if self.out_of_core:
            from pipeline.store.features import store_document_features

            with store_errors(self.path):
                return store_document_features(self.path)
        return document_features(self.paragraphs)

    # -- comparisons ---------------------------------------------------------------------
    def _indicators_for(self, terms: list[str | None], kind: str | None,
                        doc_type: str | None) -> pd.DataFrame:
        """The indicators table, or out of core only the rows these terms' matrices read."""
        if not self.out_of_core:
            return self.indicators
        from pipeline.compare.indicators import store_indicators

        with store_errors(self.path):
            return store_indicators(self.path, self.documents, terms, kind, doc_type)

    def indicator_matrix(self, term: str | None = None, kind: str | None = "actual",
                         doc_type: str | None = "political_report") -> pd.DataFrame:
        return indicator_matrix(self.documents, self._indicators_for([term], kind, doc_type),
                                term, kind, doc_type)

    def indicator_change(self, term_from: str, term_to: str, kind: str | None = "actual",
                         doc_type: str | None = "political_report") -> pd.DataFrame:
        return indicator_change(self.documents,
                                self._indicators_for([term_from, term_to], kind, doc_type),
                                term_from, term_to, kind, doc_type)

    def reference_matrix(self, term: str | None = None, doc_type: str | None = None,
                         min_units: int = 1) -> pd.DataFrame:
        return reference_matrix(self.documents, self.references, term, doc_type, min_units)

    def section_matrix(self, term: str | None = None,
                       doc_type: str = "political_report") -> pd.DataFrame:
        return section_matrix(self.documents, self.sections, term, doc_type)

    def missing_sections(self, term: str | None = None,
                         doc_type: str = "political_report") -> pd.DataFrame:
        return missing_by_unit(self.section_matrix(term, doc_type))

    def copies(self, term: str | None = None, signal: str | None = None,
               params: CopyParams | None = None) -> pd.DataFrame:
        """Copied paragraphs; `term` keeps pairs with at least one side in that term."""
        if self.copies_engine is not None:
            from pipeline.compare.copies_scale import copies_out_of_core

            found = copies_out_of_core(self.path, self.documents, params,
                                       **self.copies_engine)  # type: ignore[arg-type]
        else:
            found = detect_copies(self.paragraphs, self.documents, params)
        if term is not None:
            found = found[(found["term_a"] == term) | (found["term_b"] == term)]
        if signal is not None:
            found = found[found["signal"] == signal]
        return found.reset_index(drop=True)

    def copies_by_document(self, **kwargs: object) -> pd.DataFrame:
        return copies_by_document(self.copies(**kwargs))  # type: ignore[arg-type]

    def copy_pairs(self, term: str | None = None, signal: str | None = None,
                   params: CopyParams | None = None) -> pd.DataFrame:
        """Copies grouped per pair of documents, the passages listed inside each row."""
        return copy_pairs(self.copies(term, signal, params), self.documents)

    def indicator_table(self, term: str | None = None, kind: str | None = "actual",
                        doc_type: str | None = "political_report") -> pd.DataFrame:
        """Indicators long: unit, term, key, measure, value, value_max, surface."""
        return indicator_table(self.documents, self._indicators_for([term], kind, doc_type),
                               term, kind, doc_type)

    def reference_table(self, term: str | None = None, doc_type: str | None = None,
                        min_units: int = 1, top: int | None = None) -> pd.DataFrame:
        """Cited ids, most cited first: units citing, citations, the citing units."""
        return reference_table(self.reference_matrix(term, doc_type, min_units), top)

    def section_similarity(self, section: str | None = None, top: int = 5) -> pd.DataFrame:
        if self.out_of_core:
            from pipeline.compare.similarity import section_similarity_from_store

            with store_errors(self.path):
                return section_similarity_from_store(self.path, self.documents, section, top)
        return section_similarity(self.paragraphs, self.documents, section, top)

    def keyness(self, unit: str, top: int = 30) -> pd.DataFrame:
        """Words one unit over-uses against its peers (signed G², p-value)."""
        if self.out_of_core:
            from pipeline.compare.keyness import keyness_from_store

            with store_errors(self.path):
                return keyness_from_store(self.path, self.documents, unit, top)
        return keyness(self.paragraphs, self.documents, unit, top)

    # -- search --------------------------------------------------------------------------
    def search(self, query: str, limit: int = DEFAULT_LIMIT, **filters: str | None
               ) -> pd.DataFrame:
        with store_errors(self.path):
            return hits_frame(search(self.store.conn, query, Filters(**filters), limit))

    def kwic(self, query: str, window: int = 6, **filters: str | None) -> pd.DataFrame:
        with store_errors(self.path):
            return kwic(self.store.conn, query, Filters(**filters), window)


def load(db: str | Path = "corpus/daihoi.db") -> Corpus:
    return Corpus(db)
