"""The registry of cited documents: the curated file, lookups by id and date, and what the corpus
store says."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from conftest import corpus_file
from pipeline.contract import report_record
from pipeline.extract.references import document_references, extract_references
from pipeline.extract.registry import (
    corpus_citations,
    count_citations,
    default_registry,
    load_registry,
)
from pipeline.ingest import load
from pipeline.model import Report
from pipeline.store.database import Store


def test_curated_registry_holds_the_facts_of_domain_md() -> None:
    reg = default_registry()
    facts = {
        "57-NQ/TW": "2024-12-22", "85-QĐ/TW": "2022-10-07", "213-QĐ/TW": "2020-01-02",
        "01-KL/TW": "2021-05-18", "21-KL/TW": "2021-10-25", "05-CT/TW": "2016-05-15",
        "18-NQ/TW": "2017-10-25", "37-QĐ/TW": "2021-10-25", "45-CT/TW": "2025-04-14",
    }
    for ref_id, date in facts.items():
        assert [e.date for e in reg.by_id(ref_id)] == [date], ref_id
    assert [(e.date, e.replaced_by) for e in reg.by_id("47-QĐ/TW")] == [("2011-11-01", "37-QĐ/TW")]
    assert [(e.date[:4], e.replaced_by) for e in reg.by_id("03-CT/TW")] == [("2011", "05-CT/TW")]


def test_one_number_two_documents() -> None:
    reg = default_registry()
    both = reg.by_id("35-CT/TW")
    assert [(e.date, e.term, e.replaced_by) for e in both] == [
        ("2019-05-30", "XII", None), ("2024-06-14", "XIII", "45-CT/TW")]
    assert [e.date for e in reg.lookup("35-CT/TW", date="2024-06-14")] == ["2024-06-14"]
    assert [e.date for e in reg.lookup("35-CT/TW", year=2019)] == ["2019-05-30"]
    assert [e.date for e in reg.lookup("35-CT/TW", term="XIII")] == ["2024-06-14"]
    assert len(reg.lookup("35-CT/TW")) == 2
    assert reg.entry_on("35-CT/TW", "2019-05-30").term == "XII"
    assert reg.entry_on("35-CT/TW", None) is None
    # An id with one entry is returned whatever the cited date: the caller compares.
    assert [e.date for e in reg.lookup("57-NQ/TW", date="2023-12-22")] == ["2024-12-22"]
    assert reg.lookup("999-NQ/TW") == []


def test_every_entry_is_well_formed() -> None:
    reg = default_registry()
    assert len(reg.entries) >= 50  # grown in issue 10 to what committees cite
    for e in reg.entries:
        assert e.source, e.id
        # A fact recalled rather than checked says so in `note`.
        assert "recalled" not in e.source or e.note, e.id
        assert e.kind in ("party", "state", "standard"), e.id
        if e.date:
            dt.date.fromisoformat(e.date)
        if e.replaced_by:
            assert reg.by_id(e.replaced_by), f"{e.id} replaced by an unknown {e.replaced_by}"
        # Registry ids are the canonical ids the extractor writes.
        refs = extract_references(e.id)
        assert [r.id for r in refs] == [e.id]
        assert refs[0].kind == e.kind


def test_aliases_and_short_forms() -> None:
    reg = default_registry()
    assert reg.official_id("08-QĐ/TW") == "08-QĐi/TW"
    assert reg.official_id("57-NQ/TW") == "57-NQ/TW"
    assert [e.date for e in reg.by_id("08-QĐ/TW")] == ["2018-10-25"]
    assert reg.short_form("Thông tư", 30).id == "30/2011/TT-BTTTT"
    assert reg.short_form("Chỉ thị", 35).id == "35-CT/TW"  # two documents, one id
    assert reg.short_form("Quy định", 37).id == "37-QĐ/TW"
    assert reg.short_form("Quyết định", 37) is None  # 37-QĐ/TW is a quy định
    assert reg.short_form("Nghị quyết", 999) is None
    assert reg.short_form("Nghị quyết", "8B").id == "8B-NQ/HNTW"  # a number with a letter
    # One id, several documents, told apart by the date, year or term the citation gives.
    assert [e.term for e in reg.by_id("21-NQ/TW")] == ["X", "XII", "XIII"]
    assert [e.date for e in reg.lookup("21-NQ/TW", term="XII")] == ["2017-10-25"]
    assert [e.date for e in reg.lookup("21-NQ/TW", year=2022)] == ["2022-06-16"]


def test_load_registry_from_another_file(tmp_path: Path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(
        "documents:\n"
        "  - {id: 12-NQ/TU, kind: party, type: NQ, name: Nghị quyết, date: 2021-03-01,\n"
        "     body: Tỉnh ủy, source: test}\n",
        encoding="utf-8",
    )
    reg = load_registry(path)
    assert [(e.id, e.date, e.year, e.number) for e in reg.entries] == [
        ("12-NQ/TU", "2021-03-01", 2021, 12)]
    ref = extract_references("Nghị quyết 12 năm 2021 đã được quán triệt", registry=reg)
    assert [(r.id, r.resolved_from) for r in ref] == [("12-NQ/TU", "Nghị quyết 12")]
    # Without a date, year or term that fits, the registry does not resolve it.
    assert extract_references("Nghị quyết 12 đã được quán triệt", registry=reg) == []


def test_corpus_citations_from_the_store(tmp_path: Path) -> None:
    db = tmp_path / "daihoi.db"
    with Store(db) as store:
        for stem in ("001_11fa4c8372dfa292", "003_40d47c00f05e2e60"):
            report = Report(document=load(corpus_file("seeds", stem)))
            report.references = document_references(report.document)
            store.save(report, report_record(report))
    cited = corpus_citations(db)
    assert sorted(cited) == ["05-CT/TW", "57-NQ/TW", "NQTW4-XII"]
    assert (cited["57-NQ/TW"].count, cited["57-NQ/TW"].documents) == (6, 1)
    assert dict(cited["57-NQ/TW"].dates) == {"2024-12-22": 5}  # five mentions carry the date
    assert (cited["05-CT/TW"].count, dict(cited["05-CT/TW"].dates)) == (2, {"2016-05-15": 1})
    assert cited["NQTW4-XII"].kind == "plenum"


def test_corpus_citations_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        corpus_citations(tmp_path / "none.db")
    not_a_store = tmp_path / "x.db"
    not_a_store.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(sqlite3.Error):
        corpus_citations(not_a_store)


def test_count_citations() -> None:
    cited = count_citations([
        [{"id": "57-NQ/TW", "kind": "party", "type": "NQ", "date": "2024-12-22"},
         {"id": "57-NQ/TW", "kind": "party", "type": "NQ", "date": None}],
        [{"id": "57-NQ/TW", "kind": "party", "type": "NQ", "date": "2024-12-12"}],
    ])
    c = cited["57-NQ/TW"]
    assert (c.count, c.documents, dict(c.dates)) == (3, 2, {"2024-12-22": 1, "2024-12-12": 1})
