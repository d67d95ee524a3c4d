"""The same report saved as TXT, DOCX and PDF is reported by the same unit: every corpus file
in its three formats (the seed text, the DOCX and the PDF made from it) gets the same `meta`
for who reported it and when."""

from __future__ import annotations

from functools import cache

import pytest

from pipeline.analysis import analyze
from pipeline.model import Meta
from tests.conftest import STEMS, corpus_file

FIELDS = ("unit", "unit_level", "parent", "province", "term", "reviewed_term", "year", "date",
          "draft", "doc_type")


@cache
def meta(kind: str, stem: str) -> Meta:
    return analyze(corpus_file(kind, stem)).meta


@pytest.mark.parametrize("stem", STEMS)
def test_one_report_in_three_formats_has_one_meta(stem: str) -> None:
    got = {kind: {f: getattr(meta(kind, stem), f) for f in FIELDS}
           for kind in ("seeds", "docx", "pdf")}
    assert got["seeds"] == got["docx"] == got["pdf"]
    assert got["docx"]["unit"]  # and it is a unit, not nothing three times


@pytest.mark.parametrize("stem", STEMS)
def test_the_evidence_says_where_the_unit_came_from(stem: str) -> None:
    m = meta("docx", stem)
    assert m.evidence["unit"].split(":")[0] in ("letterhead", "title", "body")
    if m.province is not None:
        assert m.evidence["province"]
