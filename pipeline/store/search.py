"""Full-text search over the paragraphs of the store, ignoring case and diacritics.

The index (`paragraphs_fts`) has the text as written and the text folded. A query is matched
against the folded column, so "dang vien ket nap" finds "đảng viên … kết nạp"; paragraphs that
also match as typed ("đảng viên", not "đang") come first. The query is never passed to FTS5 as
syntax: its words are quoted one by one, so quotes, AND/OR/NEAR, `*`, parentheses or
"; DROP TABLE" are just words to look for.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.ingest.normalize import clean_text
from pipeline.store.folding import WORD_RE, fold, words
from pipeline.store.folding import exact as exact_form
from pipeline.store.readonly import select_in
from pipeline.store.rows import normalize_term

DEFAULT_LIMIT = 20
# BM25 costs about a microsecond per matching paragraph. Past this many matches (a lone common
# word such as "đảng" in a big corpus) ranking would take longer than a search should, and
# means little: the newest paragraphs come first instead and `Hit.ranked` is False.
RANK_LIMIT = 50_000


_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Query:
    """A user's search string as words: as typed (lower case, NFC) and folded.

    Words in double quotes are a phrase: `"nghị quyết 26"` matches those words in that order,
    side by side (with or without diacritics); other words may be anywhere in the paragraph.
    `groups` holds the query's word indices, one tuple per phrase or lone word."""

    text: str
    exact: tuple[str, ...]
    folded: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Query:
        clean = exact_form(clean_text(unicodedata.normalize("NFC", text or ""))).lower()
        exact: list[str] = []
        groups: list[tuple[int, ...]] = []
        pos = 0
        # An unbalanced quote is an ordinary character: only pairs make phrases.
        for m in [*_QUOTED.finditer(clean), None]:
            loose = clean[pos:m.start() if m else len(clean)]
            for word in WORD_RE.findall(loose):
                groups.append((len(exact),))
                exact.append(word)
            if m is not None:
                phrase = WORD_RE.findall(m.group(1))
                if phrase:
                    groups.append(tuple(range(len(exact), len(exact) + len(phrase))))
                    exact += phrase
                pos = m.end()
        return cls(text, tuple(exact), tuple(fold(w) for w in exact), tuple(groups))

    @property
    def phrases(self) -> list[tuple[str, ...]]:
        """The folded words of each phrase (two words or more)."""
        return [tuple(self.folded[i] for i in g) for g in self.groups if len(g) > 1]

    def fts(self, column: str) -> str | None:
        terms = self.exact if column == "exact" else self.folded
        groups = self.groups or tuple((i,) for i in range(len(terms)))
        # \w also matches "_", which the unicode61 tokenizer splits on; quoting keeps it safe.
        # A phrase is one FTS5 string ("w1 w2 w3": those tokens in a row), a lone word its own.
        quoted = " ".join('"' + " ".join(terms[i] for i in g).replace('"', '""') + '"'
                          for g in groups)
        return f"{column} : ({quoted})" if terms else None


@dataclass
class Filters:
    unit: str | None = None  # part of the unit name, any case or accents
    term: str | None = None  # "2020-2025"
    section: str | None = None  # a label and its descendants: "party_building"
    doc_type: str | None = None

    def sql(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.unit:
            clauses.append("d.unit_folded LIKE ? ESCAPE '\\'")
            params.append(f"%{_like_escape(fold(' '.join(self.unit.split())))}%")
        if self.term:
            clauses.append("d.term = ?")
            params.append(normalize_term(self.term))
        if self.section:
            clauses.append("(b.section = ? OR b.section LIKE ? ESCAPE '\\')")
            params += [self.section, _like_escape(self.section) + ".%"]
        if self.doc_type:
            clauses.append("d.doc_type = ?")
            params.append(self.doc_type)
        return "".join(f" AND {c}" for c in clauses), params


def _like_escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


@dataclass
class Hit:
    """One paragraph that matches."""

    block_id: int
    doc_id: int
    source: str
    unit: str | None
    term: str | None
    doc_type: str | None
    section: str | None
    idx: int
    text: str
    exact: bool
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)
    ranked: bool = True

    def snippet(self, width: int = 80, marks: tuple[str, str] = ("«", "»")) -> str:
        """The text around the first match, matches marked, cut at word boundaries."""
        if not self.spans:
            return _cut(self.text, 0, len(self.text), width)
        first = self.spans[0][0]
        lo = max(0, first - width)
        hi = min(len(self.text), self.spans[0][1] + width)
        lo, hi = _widen_to_words(self.text, lo, hi)
        out, pos = [], lo
        for s, e in self.spans:
            if s < lo or e > hi:
                continue
            out += [self.text[pos:s], marks[0], self.text[s:e], marks[1]]
            pos = e
        out.append(self.text[pos:hi])
        return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(self.text) else "")


def match_spans(text: str, query: Query, exact: bool = False) -> list[tuple[int, int]]:
    """Where the query's words are in `text` (whole words, folded or, with `exact`, as typed);
    a phrase only where its words stand in order side by side; neighbours merged, so
    "đảng viên" is one span."""
    terms = query.exact if exact else query.folded
    tokens = [(s, e, exact_form(text[s:e]).lower() if exact else w) for s, e, w in words(text)]
    hit = [False] * len(tokens)
    for group in query.groups or tuple((i,) for i in range(len(terms))):
        seq = [terms[i] for i in group]
        n = len(seq)
        for i in range(len(tokens) - n + 1):
            if all(tokens[i + j][2] == seq[j] for j in range(n)):
                hit[i:i + n] = [True] * n
    spans: list[tuple[int, int]] = []
    for (s, e, _), found in zip(tokens, hit, strict=True):
        if not found:
            continue
        if spans and not WORD_RE.search(text, spans[-1][1], s) and s - spans[-1][1] <= 3:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def search(
    conn: sqlite3.Connection,
    query: str | Query,
    filters: Filters | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> list[Hit]:
    """Paragraphs matching every word of `query`: exact matches first, then by BM25."""
    q = query if isinstance(query, Query) else Query.parse(query)
    folded_q, exact_q = q.fts("folded"), q.fts("exact")
    if folded_q is None or exact_q is None:
        return []
    where, params = (filters or Filters()).sql()
    hits: list[Hit] = []
    seen: set[int] = set()
    want = limit + offset
    # Exact matches are a subset of folded ones; two passes keep each one cheap.
    for exact, fts_query in ((True, exact_q), (False, folded_q)):
        if len(hits) >= want:
            break
        ranked = _matches(conn, fts_query) <= RANK_LIMIT
        for row, score in _ranked_rows(conn, fts_query, where, params, ranked, want + len(seen)):
            if row[0] in seen:
                continue
            seen.add(row[0])
            hits.append(Hit(*row, exact=exact, score=score,
                            spans=match_spans(row[8], q, exact), ranked=ranked))
            if len(hits) >= want:
                break
    return hits[offset:]


def _ranked_rows(
    conn: sqlite3.Connection, fts_query: str, where: str, params: list[object], ranked: bool,
    n: int,
) -> list[tuple[tuple[object, ...], float]]:
    """The first `n` matching paragraphs (their Hit columns) with their scores, best first.

    Ranking runs on the index alone (row ids and BM25 scores; the joins only when a filter
    needs them): sorting every match with its text and its document's columns attached cost
    up to 100 times the match itself. The rows of the `n` best are then read by id."""
    best = _best_ids(conn, fts_query, where, params, ranked, n, join=bool(where))
    rows = _rows_by_id(conn, [i for i, _ in best])
    if len(rows) < len(best):
        # An index entry without its paragraph (the store never leaves one): rank with the
        # join, which skips such entries, as a single joined query would.
        best = _best_ids(conn, fts_query, where, params, ranked, n, join=True)
        rows = _rows_by_id(conn, [i for i, _ in best])
    return [(rows[i], float(score)) for i, score in best if i in rows]


def _best_ids(conn: sqlite3.Connection, fts_query: str, where: str, params: list[object],
              ranked: bool, n: int, join: bool) -> list[tuple[int, float]]:
    score, order = ("bm25(paragraphs_fts)", "score") if ranked else \
        ("0.0", "paragraphs_fts.rowid DESC")
    joins = (" JOIN blocks b ON b.id = paragraphs_fts.rowid JOIN documents d ON d.id = b.doc_id"
             if join else "")
    return conn.execute(
        f"SELECT paragraphs_fts.rowid, {score} AS score FROM paragraphs_fts{joins}"  # noqa: S608
        f" WHERE paragraphs_fts MATCH ?{where} ORDER BY {order} LIMIT ?",
        [fts_query, *params, n]).fetchall()


def _rows_by_id(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[object, ...]]:
    rows: dict[int, tuple[object, ...]] = {}
    for cursor in select_in(conn, "SELECT b.id, b.doc_id, d.source, d.unit, d.term, d.doc_type,"
                            " b.section, b.idx, b.text FROM blocks b JOIN documents d"
                            " ON d.id = b.doc_id WHERE b.id IN ({ids})", ids):
        rows.update((r[0], r) for r in cursor)
    return rows


def _matches(conn: sqlite3.Connection, fts_query: str) -> int:
    """Paragraphs the full-text query matches, before filters (fast: no ranking, no join)."""
    return int(conn.execute("SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH ?",
                            (fts_query,)).fetchone()[0])


def count(conn: sqlite3.Connection, query: str | Query, filters: Filters | None = None) -> int:
    """How many paragraphs match (exact or folded)."""
    q = query if isinstance(query, Query) else Query.parse(query)
    folded_q = q.fts("folded")
    if folded_q is None:
        return 0
    where, params = (filters or Filters()).sql()
    return int(conn.execute(
        "SELECT count(*) FROM paragraphs_fts JOIN blocks b ON b.id = paragraphs_fts.rowid"
        f" JOIN documents d ON d.id = b.doc_id WHERE paragraphs_fts MATCH ?{where}",
        [folded_q, *params]).fetchone()[0])


def hits_frame(hits: Iterable[Hit], width: int = 80) -> pd.DataFrame:
    rows = [{"source": h.source, "unit": h.unit, "term": h.term, "doc_type": h.doc_type,
             "section": h.section, "paragraph": h.idx, "exact": h.exact,
             "score": round(h.score, 3), "snippet": h.snippet(width)} for h in hits]
    return pd.DataFrame(rows, columns=["source", "unit", "term", "doc_type", "section",
                                       "paragraph", "exact", "score", "snippet"])


def kwic(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters | None = None,
    window: int = 6,
    limit: int = 1000,
) -> pd.DataFrame:
    """Keyword in context: one row per match, with `window` words on each side (as quanteda's
    `kwic`): source, unit, term, section, paragraph, pre, keyword, post."""
    q = Query.parse(query)
    rows = []
    for hit in search(conn, q, filters, limit=limit):
        spans = _phrase_spans(hit.text, hit.spans, q)
        tokens = [(s, e) for s, e, _ in words(hit.text)]
        for s, e in spans:
            before = [t for t in tokens if t[1] <= s][-window:]
            after = [t for t in tokens if t[0] >= e][:window]
            rows.append({
                "source": hit.source, "unit": hit.unit, "term": hit.term,
                "section": hit.section, "paragraph": hit.idx, "exact": hit.exact,
                "pre": hit.text[before[0][0]:s].strip() if before else "",
                "keyword": hit.text[s:e],
                "post": hit.text[e:after[-1][1]].strip() if after else "",
            })
    return pd.DataFrame(rows, columns=["source", "unit", "term", "section", "paragraph", "exact",
                                       "pre", "keyword", "post"])


def _phrase_spans(text: str, spans: list[tuple[int, int]], q: Query) -> list[tuple[int, int]]:
    """For a query of several words, the spans where two or more of them stand together as in
    the query ("kết nạp", not a lone "kết" of "kết quả"); all spans when there are none. A
    quoted phrase is already matched whole (match_spans)."""
    if len(q.folded) < 2 or q.phrases:
        return spans
    query = " ".join(q.folded)
    together = [(s, e) for s, e in spans
                if len(words_in := [w for _, _, w in words(text[s:e])]) >= 2
                and f" {' '.join(words_in)} " in f" {query} "]
    return together or spans


def _widen_to_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def _cut(text: str, lo: int, hi: int, width: int) -> str:
    if hi - lo <= 2 * width:
        return text[lo:hi]
    _, end = _widen_to_words(text, lo, lo + 2 * width)
    return text[lo:end] + "…"

