"""The embedded default store: one SQLite file.

Each document is written in one transaction (its old version replaced), so a crash or a bad
file never leaves a half-written document. Files that could not be read are listed in
`ingest_errors` and keep whatever good version the store had before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.model import Report

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL UNIQUE,
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    pages         INTEGER,
    size          INTEGER NOT NULL,
    text          TEXT NOT NULL,
    n_blocks      INTEGER NOT NULL,
    n_tables      INTEGER NOT NULL,
    n_footnotes   INTEGER NOT NULL,
    properties    TEXT NOT NULL,          -- JSON
    record        TEXT NOT NULL,          -- the whole `analyze --json` record
    analyzed_at   TEXT NOT NULL,
    daihoi_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    start         INTEGER NOT NULL,       -- offsets into documents.text
    "end"         INTEGER NOT NULL,
    page          INTEGER,
    style         TEXT,
    outline_level INTEGER,
    numbering     TEXT,
    bold          INTEGER NOT NULL,
    font_size     REAL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS doc_tables (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    page          INTEGER,
    pages         TEXT NOT NULL,          -- JSON list
    after_block   INTEGER,
    n_rows        INTEGER NOT NULL,
    n_cols        INTEGER NOT NULL,
    rows          TEXT NOT NULL,          -- JSON list of lists
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS table_cells (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    table_idx     INTEGER NOT NULL,
    row           INTEGER NOT NULL,
    col           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (doc_id, table_idx, row, col)
);
CREATE TABLE IF NOT EXISTS footnotes (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    note_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    block         INTEGER,
    "offset"      INTEGER,
    page          INTEGER,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS running_lines (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position      TEXT NOT NULL,          -- header | footer
    text          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    source        TEXT PRIMARY KEY,
    code          TEXT NOT NULL,
    message       TEXT NOT NULL,
    at            TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The database file cannot be used (not SQLite, newer schema, read-only, ...)."""


class Store:
    """A corpus database. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"schema version {version} is newer than this daihoi ({SCHEMA_VERSION})"
            )
        with self.conn:
            self.conn.executescript(_SCHEMA)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # `with conn` commits on success and rolls back on any exception: all or nothing.
        with self.conn:
            yield self.conn

    def is_current(self, source: str, sha256: str) -> bool:
        """Is this exact file already stored by this version of daihoi?"""
        row = self.conn.execute(
            "SELECT sha256, daihoi_version FROM documents WHERE source = ?", (source,)
        ).fetchone()
        return row is not None and row == (sha256, __version__)

    def save(self, report: Report, record: dict[str, Any]) -> int:
        """Store one analysed document, replacing an older version of the same source."""
        doc = report.document
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as c:
            c.execute("DELETE FROM documents WHERE source = ?", (doc.source,))
            c.execute("DELETE FROM ingest_errors WHERE source = ?", (doc.source,))
            cur = c.execute(
                "INSERT INTO documents (source, sha256, format, pages, size, text, n_blocks,"
                " n_tables, n_footnotes, properties, record, analyzed_at, daihoi_version)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.source, doc.sha256, doc.format, doc.pages, doc.size, doc.text,
                    len(doc.blocks), len(doc.tables), len(doc.footnotes),
                    json.dumps(doc.properties, ensure_ascii=False),
                    json.dumps(record, ensure_ascii=False), now, __version__,
                ),
            )
            doc_id = int(cur.lastrowid or 0)
            offsets = doc.block_offsets()
            c.executemany(
                "INSERT INTO blocks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc_id, i, b.kind, b.text, s, e, b.page, b.style, b.outline_level,
                     b.numbering, int(b.bold), b.font_size)
                    for i, (b, (s, e)) in enumerate(zip(doc.blocks, offsets, strict=True))
                ],
            )
            for t_idx, t in enumerate(doc.tables):
                n_cols = max((len(r) for r in t.rows), default=0)
                c.execute(
                    "INSERT INTO doc_tables VALUES (?,?,?,?,?,?,?,?)",
                    (doc_id, t_idx, t.page, json.dumps(t.pages), t.after_block, len(t.rows),
                     n_cols, json.dumps(t.rows, ensure_ascii=False)),
                )
                c.executemany(
                    "INSERT INTO table_cells VALUES (?,?,?,?,?)",
                    [
                        (doc_id, t_idx, r, col, cell)
                        for r, row in enumerate(t.rows)
                        for col, cell in enumerate(row)
                    ],
                )
            c.executemany(
                "INSERT INTO footnotes VALUES (?,?,?,?,?,?,?,?)",
                [
                    (doc_id, i, f.id, f.kind, f.text, f.block, f.offset, f.page)
                    for i, f in enumerate(doc.footnotes)
                ],
            )
            c.executemany(
                "INSERT INTO running_lines VALUES (?,?,?)",
                [(doc_id, "header", h) for h in doc.page_headers]
                + [(doc_id, "footer", f) for f in doc.page_footers],
            )
        return doc_id

    def save_error(self, source: str, code: str, message: str) -> None:
        """List a file that could not be read; its previous good version, if any, stays."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO ingest_errors (source, code, message, at)"
                " VALUES (?,?,?,?)",
                (source, code, message, now),
            )

    def counts(self) -> dict[str, int]:
        tables = ("documents", "blocks", "doc_tables", "footnotes", "ingest_errors")
        return {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in tables
        }
