"""Shared by the tests of metadata classes: the metadata of a short news text written for a
test, line by line, read as `daihoi` reads a news page."""

from __future__ import annotations

import pytest

from pipeline.extract import gazetteer
from pipeline.extract.form import parse_form
from pipeline.extract.metadata import extract_metadata
from pipeline.model import Block, Document, Meta

needs_gazetteer = pytest.mark.skipif(not gazetteer.available(),
                                     reason="vietnamadminunits is not installed")
# A body of the usual length that names no unit and no place.
BODY = ("Trong nhiệm kỳ qua, cán bộ, đảng viên đã đoàn kết, khắc phục khó khăn, hoàn thành "
        "các nhiệm vụ chính trị được giao, đời sống người lao động được nâng lên rõ rệt.")


def news_meta(*lines: str) -> Meta:
    doc = Document(source="x.txt", format="txt", sha256="", blocks=[Block(text=t) for t in lines])
    return extract_metadata(doc, "news", parse_form(doc))
