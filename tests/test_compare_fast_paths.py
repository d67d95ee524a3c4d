"""The fast paths of the comparisons and of search give what the plain ones give: the copy
detector's whole-corpus numpy alignment against the pair-by-pair aligner (`align_pair`), the
numpy fold of long texts against `fold_same_length`, and search's rank-ids-then-read-rows
against one joined, ranked query."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from corpus_fixtures import copy_of_store, corpus_store

from pipeline.compare import Corpus
from pipeline.compare.copies import (
    COLUMNS,
    SIGNAL_ORDER,
    CopyParams,
    _find_sequence,
    _is_in,
    _numbers_as_zero,
    _row,
    _token_spans,
    align_pair,
    detect_copies,
    encode_texts,
    tokens_of,
)
from pipeline.compare.units import label_documents
from pipeline.ingest.normalize import fold_same_length
from pipeline.store.database import Store
from pipeline.store.folding import LONG_TEXT, WORD_RE, fold
from pipeline.store.search import RANK_LIMIT, Filters, Query, search
from pipeline.textindex import encode, pair_array, shingles, spread, token_keys, winnow

DIGITS = re.compile(r"\d+")


def reference_copies(paragraphs: pd.DataFrame, documents: pd.DataFrame,
                     p: CopyParams) -> pd.DataFrame:
    """The copy detector as it was before its numpy alignment: every candidate pair through
    `align_pair`, one at a time (the code it replaced, kept here as the yardstick)."""
    paras = paragraphs[paragraphs["is_heading"] != 1]
    paras = paras[paras["text"].str.len() > 0].reset_index(drop=True)
    docs = label_documents(documents)
    texts = paras["text"].tolist()
    ids, lengths, vocab = encode([WORD_RE.findall(DIGITS.sub("0", fold(t))) for t in texts])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    keep = lengths >= p.min_words
    sh = shingles(ids, lengths, p.k, token_keys(list(vocab)))
    doc_of_para = paras["doc_id"].to_numpy()
    unit_index = docs["unit_key"].astype("category").cat.codes
    unit_of_doc = dict(zip(docs["doc_id"], unit_index, strict=True))
    unit_of_para = np.asarray([unit_of_doc.get(d, -1) for d in doc_of_para], dtype=np.int64)
    hashes, n_units_with = spread(sh.hashes, unit_of_para[sh.para_ids])
    _, n_docs_with = spread(sh.hashes, doc_of_para[sh.para_ids])
    limit = max(p.boilerplate_min_units, p.boilerplate_share * (int(unit_index.max()) + 1))
    generic = np.sort(hashes[(n_units_with > limit) | (n_docs_with > p.max_docs)])
    fp_hash, fp_para = winnow(sh, p.window)
    ok = keep[fp_para] & np.isin(fp_hash, generic, invert=True)
    candidates = pair_array(fp_hash[ok], fp_para[ok], doc_of_para).tolist()
    info = {int(r["doc_id"]): r for r in docs.to_dict("records")}
    cols = {c: paras[c].tolist() for c in ("doc_id", "idx", "text")}
    names = {d: [vocab.get(w, -1) for w in WORD_RE.findall(DIGITS.sub("0", u))]
             for d, u in zip(docs["doc_id"], docs["unit_key"], strict=True)}
    generic_shingle = _is_in(sh.hashes, generic)

    def hashes_of(i: int) -> np.ndarray:
        return sh.hashes[sh.first[i]:sh.first[i] + sh.count[i]]

    def evidence(i: int) -> set[int]:
        part = slice(sh.first[i], sh.first[i] + sh.count[i])
        return set(sh.hashes[part][~generic_shingle[part]].tolist())

    def own_name(i: int) -> np.ndarray:
        return _find_sequence(ids[starts[i]:starts[i] + lengths[i]],
                              names.get(doc_of_para[i], []))

    rows = []
    for a, b in candidates:
        found = align_pair(hashes_of(a), hashes_of(b), evidence(a), evidence(b), own_name(a),
                           own_name(b), generic, p)
        if found is not None:
            rows.append(_row(cols, info, a, b, *found, _token_spans(texts[a]),
                             _token_spans(texts[b])))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.assign(_rank=out["signal"].map(SIGNAL_ORDER)).sort_values(
        ["_rank", "similarity", "shared_words"], ascending=[True, False, False], kind="stable"
    ).drop(columns="_rank").reset_index(drop=True)


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    with Corpus(corpus_store()) as corpus:
        return corpus.paragraphs, corpus.documents


@pytest.mark.parametrize("params", [
    CopyParams(),
    # Looser: more candidates pass the cheap bound, more pairs are aligned and reported.
    CopyParams(k=4, window=3, min_words=8, min_shared_words=8, min_similarity=0.3,
               long_shared_words=20, boilerplate_min_units=2, max_docs=5),
])
def test_numpy_alignment_finds_the_pair_by_pair_copies(
        tables: tuple[pd.DataFrame, pd.DataFrame], params: CopyParams) -> None:
    paragraphs, documents = tables
    expected = reference_copies(paragraphs, documents, params)
    assert len(expected) > 50
    pd.testing.assert_frame_equal(detect_copies(paragraphs, documents, params), expected)


def test_numpy_alignment_with_paragraphs_out_of_document_order_and_own_unit_names(
        tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    paragraphs, documents = tables
    # Paragraphs not grouped by document (another counting path for the generic shingles),
    # and each document's unit name written into some of its paragraphs (discounted).
    shuffled = paragraphs.sample(frac=1.0, random_state=3).reset_index(drop=True)
    units = dict(zip(documents["doc_id"], documents["unit"].fillna(""), strict=True))
    named = shuffled.index % 3 == 0
    shuffled.loc[named, "text"] = [f"{units[d]} {t} {units[d]}" for d, t in
                                   zip(shuffled.loc[named, "doc_id"],
                                       shuffled.loc[named, "text"], strict=True)]
    params = CopyParams(min_similarity=0.4)
    expected = reference_copies(shuffled, documents, params)
    assert len(expected) > 50
    pd.testing.assert_frame_equal(detect_copies(shuffled, documents, params), expected)


def test_whole_corpus_tokens_equal_the_tokens_of_each_text() -> None:
    texts = ["Năm 2020, kết nạp 1.234 đảng viên", "", "x1y22z ٣٤ 5", "a\nb 12\n3",
             "Đảng bộ xã A ĐẢNG BỘ", "; ,", "ǅ İ 007"]
    ids, lengths, vocab = encode_texts(texts)
    words = {i: w for w, i in vocab.items()}
    split = np.split(ids, np.cumsum(lengths)[:-1])
    assert [[words[i] for i in part.tolist()] for part in split] == tokens_of(texts)
    assert tokens_of(texts) == [WORD_RE.findall(DIGITS.sub("0", fold(t))) for t in texts]
    text = "ab 12 3" * 40 + "4567" * 5 + " Đ٣٤"
    for piece in (1, 7, 1 << 22):  # runs of digits over the ends of pieces
        assert _numbers_as_zero(text, piece) == DIGITS.sub("0", fold_same_length(text))


def test_fold_of_a_long_text_is_fold_same_length() -> None:
    rare = "ǅİΣσς ẞ Ǆ \U0001F600 \ud800 ﬁ"
    text = ("Đảng viên KẾT NẠP hoà thuỷ “trích” – " * 3000) + rare
    assert len(text) > LONG_TEXT
    assert fold(text) == fold_same_length(text)
    assert len(fold(text)) == len(text)


def _joined_search(conn: sqlite3.Connection, query: str, filters: Filters | None,
                   limit: int) -> list[tuple[int, bool, float]]:
    """Search as one joined query per pass (ranking every match with its row attached): what
    `search` computed before it ranked the index alone."""
    q = Query.parse(query)
    where, params = (filters or Filters()).sql()
    out: list[tuple[int, bool, float]] = []
    seen: set[int] = set()
    for exact, fts in ((True, q.fts("exact")), (False, q.fts("folded"))):
        if len(out) >= limit:
            break
        n = conn.execute("SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH ?",
                         (fts,)).fetchone()[0]
        score, order = ("bm25(paragraphs_fts)", "score") if n <= RANK_LIMIT else \
            ("0.0", "paragraphs_fts.rowid DESC")
        for bid, sc in conn.execute(
                f"SELECT b.id, {score} AS score FROM paragraphs_fts JOIN blocks b"  # noqa: S608
                " ON b.id = paragraphs_fts.rowid JOIN documents d ON d.id = b.doc_id"
                f" WHERE paragraphs_fts MATCH ?{where} ORDER BY {order} LIMIT ?",
                [fts, *params, limit + len(seen)]):
            if bid not in seen and len(out) < limit:
                seen.add(bid)
                out.append((bid, exact, float(sc)))
    return out


QUERIES = [("dang vien ket nap", None), ("đảng viên", Filters(term="2020-2025")),
           ("kiểm tra giám sát", Filters(section="party_building")),
           ('"nghị quyết"', None), ("chi bộ", Filters(unit="hoa", doc_type="political_report"))]


def test_search_ranks_like_one_joined_query_and_skips_index_entries_without_a_paragraph(
        tmp_path: Path) -> None:
    db = copy_of_store(tmp_path / "store.db")
    with Store(db) as store:
        conn = store.conn
        for query, filters in QUERIES:
            got = [(h.block_id, h.exact, h.score) for h in search(conn, query, filters, 30)]
            assert got and got == _joined_search(conn, query, filters, 30)
        # An index entry whose paragraph is gone (the store never leaves one) is not a hit.
        top = search(conn, "đảng viên kết nạp", limit=3)[0]
        orphan = conn.execute("SELECT max(id) FROM blocks").fetchone()[0] + 1000
        conn.execute("INSERT INTO paragraphs_fts (rowid, exact, folded) VALUES (?, ?, ?)",
                     (orphan, top.text * 3, fold(top.text) * 3))
        hits = search(conn, "đảng viên kết nạp", limit=3)
        assert len(hits) == 3 and orphan not in {h.block_id for h in hits}
        assert [(h.block_id, h.score) for h in hits] == [
            (b, s) for b, _, s in _joined_search(conn, "đảng viên kết nạp", None, 3)]
