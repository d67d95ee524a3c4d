"""Comparisons on the synthetic corpus, checked against its ground truth: the section matrix,
references, indicators and their change, copied passages (precision and recall), similarity and
keyness; and `daihoi compare` in every format."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from corpus_fixtures import corpus_store, daihoi, synthetic_truth

from pipeline.compare import Corpus, load
from pipeline.compare.copies import CopyParams
from pipeline.compare.indicators import indicator_change, indicator_matrix


@pytest.fixture(scope="module")
def corpus() -> Iterator[Corpus]:
    c = load(corpus_store())
    yield c
    c.close()


def _synthetic(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    for col in columns:
        keep &= frame[col].astype(str).str.contains("/synthetic/")
    return frame[keep]


def test_section_matrix_finds_exactly_the_planted_missing_sections(corpus: Corpus) -> None:
    truth = synthetic_truth()["documents"]
    matrix = corpus.section_matrix()
    found = {(u, t): sorted(c for c in matrix.columns if not row[c])
             for (u, t), row in matrix.iterrows()}
    expected = {(d["meta"]["unit"], d["meta"]["term"]): sorted(d["missing_sections"])
                for d in truth}
    assert {k: v for k, v in found.items() if k in expected} == expected
    assert list(matrix.columns[:2]) == ["situation", "results.political_tasks"]
    missing = corpus.missing_sections(term="2025-2030")
    units = {d["meta"]["unit"] for d in truth}
    missing = missing[missing["unit"].isin(units)]
    assert set(zip(missing["unit"], missing["missing"], strict=True)) == {
        (d["meta"]["unit"], m) for d in truth if d["meta"]["term"] == "2025-2030"
        for m in d["missing_sections"]}


def test_reference_matrix_counts_citations_per_unit(corpus: Corpus) -> None:
    truth = synthetic_truth()["documents"]
    matrix = corpus.reference_matrix(term="2025-2030")
    # The mandated opening of every 2025-2030 report cites Chỉ thị 45-CT/TW once.
    citing = set(matrix.index[matrix["45-CT/TW"] > 0].get_level_values("unit"))
    assert citing == {d["meta"]["unit"] for d in truth if d["meta"]["term"] == "2025-2030"}
    assert matrix.columns[0] == "45-CT/TW"  # the most widely cited first
    # (A reference has a "term" of its own, the Central Committee's: "khóa XII".)
    docs = corpus.documents[["doc_id", "unit", "term", "source"]].rename(
        columns={"term": "doc_term"})
    refs = _synthetic(corpus.references.merge(docs, on="doc_id"), "source")
    some = refs[refs["doc_term"] == "2025-2030"].iloc[-1]
    n = int(((refs["unit"] == some["unit"]) & (refs["doc_term"] == "2025-2030")
             & (refs["ref_id"] == some["ref_id"])).sum())
    assert n >= 1 and matrix.loc[(some["unit"], "2025-2030"), some["ref_id"]] == n
    assert corpus.reference_matrix(min_units=10).shape[1] < corpus.reference_matrix().shape[1]


def _truth_indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and keyed indicators as the store would hold them, built from the truth."""
    docs, inds = [], []
    for i, d in enumerate(synthetic_truth()["documents"]):
        docs.append({"doc_id": i, "source": f"corpus/synthetic/{d['file']}", **d["meta"]})
        for j, (key, value) in enumerate(sorted(d["indicators"].items())):
            inds.append({"doc_id": i, "idx": j, "key": key, "value": float(value),
                         "kind": "actual", "unit": "person"})
    return pd.DataFrame(docs), pd.DataFrame(inds)


def test_indicator_matrix_and_change_term_over_term() -> None:
    docs, inds = _truth_indicators()
    truth = synthetic_truth()["documents"]
    matrix = indicator_matrix(docs, inds, term="2020-2025")
    first = next(d for d in truth if d["meta"]["term"] == "2020-2025" and not d["meta"]["draft"])
    assert matrix.loc[(first["meta"]["unit"], "2020-2025")].to_dict() == {
        k: float(v) for k, v in first["indicators"].items()}
    assert len(matrix) == sum(d["meta"]["term"] == "2020-2025" for d in truth)
    change = indicator_change(docs, inds, "2020-2025", "2025-2030")
    both = {d["meta"]["unit"] for d in truth if d["meta"]["term"] == "2020-2025"} & {
        d["meta"]["unit"] for d in truth if d["meta"]["term"] == "2025-2030"}
    assert set(change["unit"]) == both
    row = change[(change["unit"] == "Đảng bộ xã Điện Hòa") & (change["key"] == "new_members")]
    old, new = (next(d["indicators"]["new_members"] for d in truth
                     if d["meta"]["unit"] == "Đảng bộ xã Điện Hòa" and d["meta"]["term"] == t)
                for t in ("2020-2025", "2025-2030"))
    assert row[["2020-2025", "2025-2030", "change"]].iloc[0].tolist() == [old, new, new - old]


def test_indicator_matrix_from_the_pipeline_has_a_row_per_report(corpus: Corpus) -> None:
    matrix = corpus.indicator_matrix(term="2025-2030")
    truth = synthetic_truth()["documents"]
    assert set(matrix.index.get_level_values("unit")) >= {
        d["meta"]["unit"] for d in truth if d["meta"]["term"] == "2025-2030"}
    stored = corpus.indicators
    assert set(matrix.columns) <= set(stored["key"].dropna())


def _evaluate(copies: pd.DataFrame) -> tuple[float, float, list[dict]]:
    truth = synthetic_truth()["copies"]
    norm = " ".join

    def stem(path: str) -> str:
        return Path(path).stem

    planted = {(c["source_doc"], c["target_doc"], norm(c["target_text"].split())): c
               for c in truth}
    found, wrong = set(), []
    for r in copies.to_dict("records"):
        keys = [(stem(r["source_a"]), stem(r["source_b"]), norm(r["text_b"].split())),
                (stem(r["source_b"]), stem(r["source_a"]), norm(r["text_a"].split()))]
        hit = next((k for k in keys if k in planted), None)
        if hit is None:
            wrong.append(r)
        else:
            found.add(hit)
            assert r["signal"] == planted[hit]["relation"]
    precision = 1 - len(wrong) / max(1, len(copies))
    return precision, len(found) / len(planted), wrong


def test_planted_copies_are_found_with_precision_and_recall(corpus: Corpus) -> None:
    copies = _synthetic(corpus.copies(), "source_a", "source_b")
    precision, recall, wrong = _evaluate(copies)
    assert precision >= 0.95, wrong[:3]
    assert recall >= 0.95
    truth = synthetic_truth()
    edited = [c for c in truth["copies"] if c["edited"]]
    assert len(edited) >= 15 and {c["relation"] for c in edited} == {"self_reuse", "cross_unit"}
    # Mandated wording and the formula paragraphs are boilerplate: never a reported copy.
    boiler = {" ".join(b.split()) for b in truth["boilerplate"]}
    assert not any(" ".join(t.split()) in boiler for t in copies["text_a"])
    assert not copies["text_a"].str.startswith("Trên đây là Báo cáo chính trị").any()


def test_copied_spans_are_aligned_on_both_sides(corpus: Corpus) -> None:
    copies = corpus.copies(signal="self_reuse")
    assert len(copies) > 0 and set(copies["signal"]) == {"self_reuse"}
    for r in copies.to_dict("records"):
        assert r["spans_a"] and r["spans_b"]
        assert all(0 <= s < e <= len(r["text_a"]) for s, e in r["spans_a"])
        assert all(0 <= s < e <= len(r["text_b"]) for s, e in r["spans_b"])
        assert r["unit_a"] == r["unit_b"] and r["term_a"] < r["term_b"]
    exact = [c for c in synthetic_truth()["copies"] if not c["edited"]]
    row = copies[copies["text_b"] == next(c["target_text"] for c in exact
                                          if c["relation"] == "self_reuse")].iloc[0]
    assert row["similarity"] == 1.0
    # Without the boilerplate discount the formula paragraphs become "copies".
    loose = corpus.copies(params=CopyParams(boilerplate_share=1.0, boilerplate_min_units=10**6))
    assert len(_synthetic(loose, "source_a", "source_b")) > len(
        _synthetic(corpus.copies(), "source_a", "source_b"))


def test_similarity_lists_each_pair_once_and_keyness_ranks_words(corpus: Corpus) -> None:
    sim = corpus.section_similarity("assessment", top=2)
    n_docs = corpus.paragraphs.loc[corpus.paragraphs["section"].fillna("").str.startswith(
        "assessment") & (corpus.paragraphs["is_heading"] == 0), "doc_id"].nunique()
    pairs = list(zip(sim["source_a"], sim["source_b"], strict=True))
    assert n_docs <= len(sim) <= 2 * n_docs
    assert not {(b, a) for a, b in pairs} & set(pairs)  # (a, b) and (b, a): one row
    assert sim["similarity"].between(0, 1).all() and sim["similarity"].is_monotonic_decreasing
    assert (sim["source_a"] != sim["source_b"]).all()
    assert len(corpus.section_similarity(top=2)) >= n_docs  # default: the whole text
    key = corpus.keyness("Điện Hòa", top=15)
    assert list(key.columns[:5]) == ["feature", "g2", "p", "n_target", "n_reference"]
    # Words, not syllables: the unit's own place name is one feature and ranks first.
    assert key.iloc[0]["feature"] == "điện hòa" and key["g2"].is_monotonic_decreasing
    assert not key["feature"].str.contains(r"\d").any()
    assert not set(key["feature"]) & {"và", "của", "các", "được"}
    assert (key["p"] > 0).all() and (key["p"] < 0.05).all()


def test_copies_are_grouped_per_pair_of_documents(corpus: Corpus) -> None:
    passages = corpus.copies()
    pairs = corpus.copy_pairs()
    assert len(pairs) == passages.groupby(["doc_a", "doc_b"]).ngroups < len(passages)
    assert pairs["passages"].sum() == len(passages)
    assert pairs["share_of_shorter"].between(0, 1).all()
    row = pairs.iloc[0]
    assert len(row["copied"]) == row["passages"] and row["copied"][0]["shared_text"]


def test_comparison_tables_are_readable_in_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    db = corpus_store()
    for args in (["indicators"], ["indicators", "--term", "2025-2030", "--from", "2020-2025"],
                 ["references"], ["sections"], ["copies"], ["similarity"],
                 ["keyness", "--unit", "Điện Hòa"]):
        status, out, err = daihoi("compare", *args, "--db", db)
        assert status == 0, err
        lines = out.splitlines()
        assert lines and max(len(line) for line in lines) <= 100, args
        assert not re.search(r"[│:]\s*(nan|NaN|None|<NA>)\s*(│|$)|\d[eE][+-]\d", out,
                             re.MULTILINE), args
    status, out, _ = daihoi("compare", "indicators", "--db", db)
    assert re.search(r"\d %", out) and "người" in out  # the measure beside each value


def test_compare_command_formats(tmp_path: Path) -> None:
    db = corpus_store()
    status, out, err = daihoi("compare", "sections", "--db", db, "--format", "csv")
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns[:3]) == ["unit", "term", "situation"]
    status, out, _ = daihoi("compare", "copies", "--db", db, "--signal", "cross_unit",
                            "--format", "csv")
    assert status == 0 and set(pd.read_csv(io.StringIO(out))["signal"]) == {"cross_unit"}
    out_file = tmp_path / "refs.parquet"
    status, out, _ = daihoi("compare", "references", "--db", db, "--format", "parquet",
                            "--out", out_file, "--lang", "en")
    assert status == 0 and "rows written" in out
    assert "45-CT/TW" in pd.read_parquet(out_file).columns
    xlsx = tmp_path / "ind.xlsx"
    status, _, _ = daihoi("compare", "indicators", "--db", db, "--term", "2025-2030",
                          "--from", "2020-2025", "--format", "xlsx", "--out", xlsx)
    assert status == 0 and list(pd.read_excel(xlsx).columns[:2]) == ["unit", "key"]
    status, out, _ = daihoi("compare", "indicators", "--db", db, "--format", "csv")
    assert status == 0
    assert list(pd.read_csv(io.StringIO(out)).columns[:4]) == ["unit", "term", "key", "measure"]
    status, out, _ = daihoi("compare", "indicators", "--db", db, "--lang", "en")
    assert status == 0
    status, _, err = daihoi("compare", "copies", "--db", db, "--format", "xlsx", "--lang", "en")
    assert status == 2 and "--out" in err
    status, _, err = daihoi("compare", "keyness", "--db", db, "--lang", "en")
    assert status == 2 and "--unit" in err


def test_features_similarity_and_keyness_from_the_store_in_chunks_equal_the_in_memory_ones(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Out of core (issue 15, part 3): read from the store a few documents at a time, the
    feature matrix, the similarities and keyness are exactly the in-memory results."""
    import numpy as np

    from pipeline.compare import similarity
    from pipeline.compare.keyness import keyness, keyness_from_store
    from pipeline.store.features import document_features, store_document_features

    db, paragraphs, documents = corpus.path, corpus.paragraphs, corpus.documents
    for min_df in (1, 2):
        whole = document_features(paragraphs, min_df=min_df)
        chunked = store_document_features(db, min_df=min_df, chunk_docs=3)
        assert chunked.doc_ids == whole.doc_ids and chunked.features == whole.features
        assert (chunked.counts != whole.counts).nnz == 0 and whole.counts.nnz > 1000
    runs = [(None, 3), ("assessment", 2)]
    for big in (False, True):  # the settings of a big corpus (min_df, max_df, syllables only)
        monkeypatch.setattr(similarity, "BIG_CORPUS", 3 if big else 1000)
        for section, top in runs:
            memory = similarity.section_similarity(paragraphs, documents, section, top)
            stored = similarity.section_similarity_from_store(db, documents, section, top,
                                                              chunk_docs=4)
            assert len(memory) >= 10
            assert stored.equals(memory), (big, section)
    for unit in ("Điện Hòa", "Điện Thắng Bắc"):
        memory = keyness(paragraphs, documents, unit, top=20)
        assert not memory.empty
        stored = keyness_from_store(db, documents, unit, top=20)
        assert stored.equals(memory)
        assert np.isfinite(stored["g2"]).all()


def test_indicator_matrices_from_the_store_in_chunks_equal_the_in_memory_ones(
    corpus: Corpus,
) -> None:
    from pipeline.compare.indicators import indicator_table, store_indicators

    documents, indicators = corpus.documents, corpus.indicators
    terms = sorted(t for t in documents["term"].dropna().unique())
    assert len(terms) >= 2
    for kind in ("actual", None):
        for term in (None, *terms):
            rows = store_indicators(corpus.path, documents, [term], kind, chunk_docs=3)
            assert len(rows) < len(indicators)  # only what the matrix reads
            memory = indicator_matrix(documents, indicators, term, kind)
            assert indicator_matrix(documents, rows, term, kind).equals(memory)
            assert indicator_table(documents, rows, term, kind).equals(
                indicator_table(documents, indicators, term, kind))
        both = store_indicators(corpus.path, documents, terms[:2], kind)
        change = indicator_change(documents, indicators, terms[0], terms[1], kind)
        assert not change.empty
        assert indicator_change(documents, both, terms[0], terms[1], kind).equals(change)


def test_compare_engine_out_of_core_prints_the_same_tables() -> None:
    """`daihoi compare … --engine serial` (out of core) prints what the default in-memory
    engine prints (the functions behind it are compared in depth above)."""
    db = corpus_store()
    for args in (["similarity"], ["keyness", "--unit", "Điện Hòa"],
                 ["indicators", "--term", "2025-2030", "--from", "2020-2025"]):
        status, memory, err = daihoi("compare", *args, "--db", db, "--format", "csv")
        assert status == 0, err
        status, chunked, err = daihoi("compare", *args, "--engine", "serial", "--db", db,
                                      "--format", "csv")
        assert status == 0, err
        assert chunked == memory and len(memory.splitlines()) > 5, args
