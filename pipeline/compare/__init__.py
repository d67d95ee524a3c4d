"""Corpus-level comparisons, each a pandas DataFrame: indicator, reference and section
matrices, copied passages, section similarity and keyness.

    >>> from pipeline.compare import load
    >>> corpus = load("corpus/daihoi.db")
    >>> corpus.section_matrix(term="2020-2025")
"""

from __future__ import annotations

from pipeline.compare.corpus import Corpus, load

__all__ = ["Corpus", "load"]
