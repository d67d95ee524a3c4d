"""Full-text search: accent- and case-insensitive, exact matches first, filters, snippets,
keyword in context, and queries full of SQL/FTS syntax."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator

import pytest
from corpus_fixtures import corpus_store, daihoi

from pipeline.store.database import Store
from pipeline.store.folding import fold
from pipeline.store.search import Filters, Query, count, kwic, search


@pytest.fixture()
def conn() -> Iterator[sqlite3.Connection]:
    store = Store(corpus_store(), create=False)
    yield store.conn
    store.close()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def _brute_force(conn: sqlite3.Connection, query: str) -> set[int]:
    """Ids of the paragraphs containing every word of the query, folded: what FTS must find."""
    wanted = _words(query)
    return {pid for pid, text in conn.execute("SELECT id, text FROM paragraphs")
            if wanted <= _words(text)}


def test_unaccented_query_finds_accented_paragraphs(conn: sqlite3.Connection) -> None:
    hits = search(conn, "dang vien ket nap", limit=10_000)
    expected = _brute_force(conn, "dang vien ket nap")
    assert {h.block_id for h in hits} == expected
    assert len(expected) == count(conn, "dang vien ket nap") > 10
    assert any("đảng viên" in h.text.lower() and "kết nạp" in h.text.lower() for h in hits)
    # Case and accents are both ignored: the same paragraphs whatever the spelling.
    assert {h.block_id for h in search(conn, "ĐẢNG VIÊN KẾT NẠP", limit=10_000)} == expected


def test_exact_matches_come_first(conn: sqlite3.Connection) -> None:
    hits = search(conn, "đang", limit=10_000)
    flags = [h.exact for h in hits]
    assert flags == sorted(flags, reverse=True)  # every exact hit before every folded one
    exact = [h for h in hits if h.exact]
    folded = [h for h in hits if not h.exact]
    assert exact and folded
    assert all("đang" in _raw_words(h.text) for h in exact)
    assert all("đang" not in _raw_words(h.text) for h in folded)  # "đảng", "Đăng", ...
    # Highlights follow the kind of match: only "đang" in exact hits.
    assert all(h.text[s:e].lower() == "đang" for h in exact for s, e in h.spans)


def _raw_words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def test_filters_by_unit_term_section_and_doc_type(conn: sqlite3.Connection) -> None:
    by_unit = search(conn, "dang vien", Filters(unit="dien hoa"), limit=500)
    assert by_unit and {h.unit for h in by_unit} == {"Đảng bộ xã Điện Hòa"}
    by_term = search(conn, "dang vien", Filters(term="2015 - 2020"), limit=500)
    assert by_term and {h.term for h in by_term} == {"2015-2020"}
    by_section = search(conn, "dang vien", Filters(section="party_building"), limit=500)
    assert by_section and all(h.section.startswith("party_building") for h in by_section)
    assert {h.section for h in by_section} > {"party_building.organization"}
    news = search(conn, "dai hoi", Filters(doc_type="news"), limit=500)
    assert news and {h.doc_type for h in news} == {"news"}
    both = Filters(unit="ĐIỆN HÒA", term="2020-2025", section="party_building")
    assert {(h.unit, h.term) for h in search(conn, "dang vien", both, limit=500)} == {
        ("Đảng bộ xã Điện Hòa", "2020-2025")}


def test_snippet_and_keyword_in_context(conn: sqlite3.Connection) -> None:
    hit = search(conn, "ket nap dang vien", limit=1)[0]
    snippet = hit.snippet(30)
    assert "«kết nạp»" in snippet.lower() or "«Kết nạp»" in snippet
    lines = kwic(conn, "ket nap", window=3, limit=50)
    assert len(lines) > 5
    assert set(lines["keyword"].map(fold)) == {"ket nap"}
    assert all(len(re.findall(r"\w+", pre)) <= 3 for pre in lines["pre"])
    first = lines.iloc[0]
    assert f"{first['pre']} {first['keyword']} {first['post']}".strip() in " ".join(
        t for t, in conn.execute("SELECT text FROM paragraphs"))


HOSTILE = ['"', "'", '"đảng viên', "đảng AND OR NOT", "NEAR(đảng viên, 2)", "*", "đảng*",
           "(((", "); DROP TABLE documents; --", "'; DROP TABLE paragraphs_fts; --",
           "exact: đảng", "folded:dang", "{exact folded}: x", "^đảng", "a + b - c",
           "\\", "%", "_", "\x00", "", "   ", "đảng \"viên\" 'kết' nạp"]


@pytest.mark.parametrize("query", HOSTILE)
def test_search_syntax_in_the_query_is_just_text(conn: sqlite3.Connection, query: str) -> None:
    before = conn.execute("SELECT count(*) FROM documents").fetchone()
    hits = search(conn, query, limit=50)
    expected = _brute_force(conn, query) if Query.parse(query).folded else set()
    assert {h.block_id for h in hits} <= expected
    assert len(hits) == min(50, len(expected))
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == before
    # The same strings as filter values are bound parameters (LIKE wildcards escaped).
    filtered = search(conn, "dang", Filters(unit=query, term=query, section=query), limit=5)
    assert filtered == [] or not query.strip()


def test_search_command(tmp_path: object) -> None:
    db = corpus_store()
    status, out, err = daihoi("search", "dang vien ket nap", "--db", db, "--unit", "tien hai",
                              "--lang", "en")
    assert status == 0, err
    assert "Tiền Hải" in out and "matching paragraphs shown" in out
    status, out, _ = daihoi("search", "dang vien ket nap", "--db", db, "--unit", "tien hai",
                            "--json")
    assert status == 0
    assert {json.loads(line)["unit"] for line in out.splitlines()} == {"Đảng bộ huyện Tiền Hải"}
    status, out, _ = daihoi("search", "kết nạp", "--db", db, "--json", "--limit", "3")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(rows) == 3 and all(r["exact"] for r in rows)
    assert all(r["text"][s:e].lower() == "kết nạp" for r in rows for s, e in r["spans"])
    status, out, _ = daihoi("search", "xyzxyz", "--db", db, "--lang", "en")
    assert status == 0 and "No paragraph contains" in out
    status, out, _ = daihoi("search", "ket nap", "--db", db, "--kwic", "--limit", "5")
    assert status == 0 and "kết nạp" in out.lower()
    status, _, err = daihoi("search", "x", "--db", db.parent / "none.db", "--lang", "en")
    assert status == 2 and "There is no store" in err


def _folded_words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


@pytest.mark.parametrize("phrase", ['"nghị quyết số"', '"nghi quyet so"', "“nghị quyết số”"])
def test_a_quoted_phrase_matches_its_words_in_order_side_by_side(
        conn: sqlite3.Connection, phrase: str) -> None:
    hits = search(conn, phrase, limit=10_000)
    loose = search(conn, "nghị quyết số", limit=10_000)
    want = ["nghi", "quyet", "so"]

    def has_phrase(text: str) -> bool:
        w = _folded_words(text)
        return any(w[i:i + 3] == want for i in range(len(w) - 2))

    # Exactly the paragraphs holding the phrase (a brute-force reading of every paragraph).
    expected = {bid for bid, text in conn.execute("SELECT id, text FROM paragraphs")
                if has_phrase(text)}
    assert expected and {h.block_id for h in hits} == expected
    assert len(loose) > len(hits)  # the words apart, or in another order, match without quotes
    for h in hits:
        assert h.spans and all(_folded_words(h.text[s:e])[-3:] == want for s, e in h.spans)
    # The same words in another order are another phrase.
    reverse = search(conn, '"số quyết nghị"', limit=10_000)
    assert len(reverse) < len(hits)
    assert all(any(w[i:i + 3] == ["so", "quyet", "nghi"] for i in range(len(w) - 2))
               for w in (_folded_words(h.text) for h in reverse))


def test_kwic_of_a_quoted_phrase_shows_the_phrase_as_the_keyword(
        conn: sqlite3.Connection) -> None:
    frame = kwic(conn, '"nghi quyet so"')
    assert len(frame) > 0
    assert all(_folded_words(k) == ["nghi", "quyet", "so"] for k in frame["keyword"])
    status, out, _ = daihoi("search", "--kwic", '"nghi quyet so"', "--db", corpus_store())
    assert status == 0 and re.search(r"[Nn]ghị quyết số", out)
