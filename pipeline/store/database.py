"""The embedded default store: one SQLite file (schema in pipeline/store/schema.py).

Each document is written in one transaction (its old version replaced), so a crash or a bad
file never leaves a half-written document. Files that could not be read are listed in
`ingest_errors` and keep whatever good version the store had before. A file that is not a
store, a damaged store or a store locked by another program is refused with a `StoreError`
(a code and a hint), never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.i18n import message
from pipeline.model import Report
from pipeline.store.folding import fold
from pipeline.store.rows import (
    SectionLocator,
    analysis_of_record,
    analysis_of_report,
    finding_rows,
    indicator_rows,
    meta_values,
    reference_rows,
    section_rows,
)
from pipeline.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "StoreError", "SCHEMA_VERSION", "sidecar_path", "store_errors"]

_DOC_TABLES = ("sections", "doc_references", "indicators", "findings")


class StoreError(Exception):
    """The database file cannot be used. `code`: missing, corrupt, locked, newer_schema,
    foreign (an SQLite file of another program), readonly."""

    def __init__(self, code: str, path: str | Path, detail: str = "") -> None:
        self.code = code
        self.path = str(path)
        self.detail = detail
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        return message(f"store.error.{self.code}", lang, path=self.path, detail=self.detail)


def _classify(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "readonly" in text or "read-only" in text:
        return "readonly"
    return "corrupt"


@contextmanager
def store_errors(path: str | Path) -> Iterator[None]:
    """Turn SQLite errors met while reading or writing into a `StoreError` with a hint."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(_classify(exc), path, str(exc)) from exc


def sidecar_path(source: str | Path) -> Path | None:
    """The metadata file beside a document (`pipeline.extract.metadata.sidecar_paths`)."""
    from pipeline.extract.metadata import sidecar_paths

    return next((p for p in sidecar_paths(source) if p.is_file()), None)


def _sidecar_sha256(source: str) -> str | None:
    path = sidecar_path(source)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else None


class Store:
    """A corpus database. Use as a context manager, or call `close()`.

    `create=False` refuses a path where there is no store yet (readers: search, compare,
    export, report) instead of making an empty one. `timeout`: seconds to wait for a lock.
    """

    def __init__(self, path: str | Path, create: bool = True, timeout: float = 30.0) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError("missing", self.path)
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout)
        except sqlite3.Error as exc:
            raise StoreError(_classify(exc), self.path, str(exc)) from exc
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._check_header()
            self._migrate()
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise StoreError(_classify(exc), self.path, str(exc)) from exc
        except StoreError:
            self.conn.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- schema --------------------------------------------------------------------------

    def _check_header(self) -> None:
        # sqlite3 opens any file lazily: read the schema now so a file that is not SQLite is
        # refused before anything could be written into it.
        tables = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = self.version
        if version == 0 and tables:
            raise StoreError("foreign", self.path, ", ".join(sorted(tables)[:5]))
        if version > SCHEMA_VERSION:
            raise StoreError("newer_schema", self.path, f"{version} > {SCHEMA_VERSION}")

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        start = self.version
        if start == SCHEMA_VERSION:
            return
        # All steps in one transaction: a failed migration leaves the old version intact.
        self.conn.isolation_level = None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            for version in range(start, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                if version == 1:
                    self._backfill_v2()
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            now = _now()
            self.conn.executemany(
                "INSERT OR REPLACE INTO store_info (key, value) VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("migrated_at", now),
                 ("migrated_by", f"daihoi {__version__}"),
                 *([("created_at", now)] if start == 0 else [])],
            )
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self.conn.isolation_level = ""

    def _backfill_v2(self) -> None:
        """Fill the version-2 tables of documents stored by version 1, from their record."""
        rows = self.conn.execute("SELECT id, record FROM documents").fetchall()
        for doc_id, record_json in rows:
            record = json.loads(record_json)
            analysis = analysis_of_record(record)
            values = meta_values(analysis["meta"])
            sets = ", ".join(f"{k} = ?" for k in values)
            n_words = len(str(record.get("text") or "").split())
            self.conn.execute(f"UPDATE documents SET {sets}, n_words = ? WHERE id = ?",  # noqa: S608
                              (*values.values(), n_words, doc_id))
            self._write_analysis(self.conn, doc_id, analysis)
            blocks = self.conn.execute(
                "SELECT id, text, start FROM blocks WHERE doc_id = ?", (doc_id,)).fetchall()
            self._label_blocks(self.conn, analysis, blocks)

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # `with conn` commits on success and rolls back on any exception: all or nothing.
        with self.conn:
            yield self.conn

    def is_current(self, source: str, sha256: str) -> bool:
        """Is this exact file (and its metadata sidecar) already stored by this daihoi?"""
        row = self.conn.execute(
            "SELECT sha256, daihoi_version, sidecar_sha256 FROM documents WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None or row[:2] != (sha256, __version__):
            return False
        return row[2] == _sidecar_sha256(source)

    def save(self, report: Report, record: dict[str, Any]) -> int:
        """Store one analysed document, replacing an older version of the same source."""
        doc = report.document
        analysis = analysis_of_report(report)
        values = meta_values(analysis["meta"])
        with self._transaction() as c:
            self._delete(c, doc.source)
            c.execute("DELETE FROM ingest_errors WHERE source = ?", (doc.source,))
            columns = ("source", "sha256", "format", "pages", "size", "text", "n_blocks",
                       "n_tables", "n_footnotes", "properties", "record", "analyzed_at",
                       "daihoi_version", "n_words", "sidecar_sha256", *values)
            text = doc.text
            cur = c.execute(
                f"INSERT INTO documents ({', '.join(columns)})"  # noqa: S608
                f" VALUES ({', '.join('?' * len(columns))})",
                (
                    doc.source, doc.sha256, doc.format, doc.pages, doc.size, text,
                    len(doc.blocks), len(doc.tables), len(doc.footnotes),
                    json.dumps(doc.properties, ensure_ascii=False),
                    json.dumps(record, ensure_ascii=False), _now(), __version__,
                    len(text.split()), _sidecar_sha256(doc.source), *values.values(),
                ),
            )
            doc_id = int(cur.lastrowid or 0)
            offsets = doc.block_offsets()
            c.executemany(
                "INSERT INTO blocks (doc_id, idx, kind, text, start, \"end\", page, style,"
                " outline_level, numbering, bold, font_size) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc_id, i, b.kind, b.text, s, e, b.page, b.style, b.outline_level,
                     b.numbering, int(b.bold), b.font_size)
                    for i, (b, (s, e)) in enumerate(zip(doc.blocks, offsets, strict=True))
                ],
            )
            blocks = c.execute(
                "SELECT id, text, start FROM blocks WHERE doc_id = ?", (doc_id,)).fetchall()
            self._label_blocks(c, analysis, blocks)
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
            self._write_analysis(c, doc_id, analysis)
        return doc_id

    @staticmethod
    def _write_analysis(c: sqlite3.Connection, doc_id: int, analysis: dict[str, Any]) -> None:
        locate = SectionLocator(analysis["sections"])
        c.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?,?)",
                      section_rows(doc_id, analysis["sections"]))
        c.executemany(f"INSERT INTO doc_references VALUES ({','.join('?' * 18)})",
                      reference_rows(doc_id, analysis["references"], locate))
        c.executemany(f"INSERT INTO indicators VALUES ({','.join('?' * 15)})",
                      indicator_rows(doc_id, analysis["indicators"], locate))
        c.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?)",
                      finding_rows(doc_id, analysis["findings"]))

    @staticmethod
    def _label_blocks(
        c: sqlite3.Connection, analysis: dict[str, Any], blocks: list[tuple[int, str, int]]
    ) -> None:
        """Section label and heading flag of each paragraph, and its full-text index rows."""
        locate = SectionLocator(analysis["sections"])
        heading_starts = {h.get("start") for h in analysis["headings"]}
        c.executemany(
            "UPDATE blocks SET section = ?, is_heading = ? WHERE id = ?",
            [(locate.label_at(start) if text else None, int(start in heading_starts and
              bool(text)), block_id) for block_id, text, start in blocks],
        )
        c.executemany(
            "INSERT INTO paragraphs_fts (rowid, exact, folded) VALUES (?, ?, ?)",
            [(block_id, text, fold(text)) for block_id, text, _ in blocks if text],
        )

    @staticmethod
    def _delete(c: sqlite3.Connection, source: str) -> None:
        row = c.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
        if row is None:
            return
        # The index is contentless: its rows go with the 'delete' command and the same values.
        c.executemany(
            "INSERT INTO paragraphs_fts (paragraphs_fts, rowid, exact, folded)"
            " VALUES ('delete', ?, ?, ?)",
            [(bid, text, fold(text)) for bid, text in c.execute(
                "SELECT id, text FROM blocks WHERE doc_id = ? AND text <> ''", (row[0],))],
        )
        c.execute("DELETE FROM documents WHERE id = ?", (row[0],))

    def save_error(self, source: str, code: str, message: str) -> None:
        """List a file that could not be read; its previous good version, if any, stays."""
        with self._transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO ingest_errors (source, code, message, at)"
                " VALUES (?,?,?,?)",
                (source, code, message, _now()),
            )

    def remove(self, source: str) -> bool:
        """Remove a document; True when it was there."""
        with self._transaction() as c:
            found = c.execute("SELECT 1 FROM documents WHERE source = ?", (source,)).fetchone()
            self._delete(c, source)
        return found is not None

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("documents", "blocks", "doc_tables", "footnotes", "ingest_errors",
                  "sections", "doc_references", "indicators", "findings")
        return {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in tables
        }

    def record(self, doc_id: int) -> dict[str, Any]:
        """The stored JSON record of a document."""
        row = self.conn.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return json.loads(row[0])


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit the transaction)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        stripped = line.split("--", 1)[0] if "--" in line and "'" not in line else line
        current += stripped
        if sqlite3.complete_statement(current):
            if current.strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
