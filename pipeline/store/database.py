"""The embedded default store: one SQLite file (schema in pipeline/store/schema.py).

Each document is written in one transaction (its old version replaced), so a crash or a bad
file never leaves a half-written document. Files that could not be read are listed in
`ingest_errors` and keep whatever good version the store had before. A file that is not a
store, a damaged store or a store locked by another program is refused with a `StoreError`
(a code and a hint), never overwritten.
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.i18n import message
from pipeline.model import Report
from pipeline.store.folding import exact, fold
from pipeline.store.identity import Identity, format_rank, identity, same_text, threshold
from pipeline.store.prepared import PreparedDocument, prepare, sidecar_path, sidecar_sha256
from pipeline.store.rows import (
    SectionLocator,
    analysis_of_record,
    finding_rows,
    indicator_rows,
    meta_values,
    reference_rows,
    section_rows,
)
from pipeline.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["ReadOnlyMedium", "Store", "StoreError", "SCHEMA_VERSION", "sidecar_path",
           "store_errors"]

_DOC_TABLES = ("sections", "doc_references", "indicators", "findings")


class ReadOnlyMedium(UserWarning):
    """Warned when a store is opened for reading from read-only media (it still works)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        super().__init__(self.path)

    def message(self, lang: str = "vi") -> str:
        return message("store.readonly_medium", lang, path=self.path)


class StoreError(Exception):
    """The database file cannot be used. `code`: missing, corrupt, locked, newer_schema,
    foreign (an SQLite file of another program), readonly, cannot_create, old_schema_readonly."""

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
    if "unable to open" in text:
        return "unreadable"
    return "corrupt"


def file_path(source: str | Path) -> str:
    """The file's absolute path with links resolved: one key however it was named."""
    return str(Path(source).resolve())


def _writable_dir(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


@contextmanager
def store_errors(path: str | Path) -> Iterator[None]:
    """Turn SQLite errors met while reading or writing into a `StoreError` with a hint."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(_classify(exc), path, str(exc)) from exc


class Store:
    """A corpus database. Use as a context manager, or call `close()`.

    `create=False` refuses a path where there is no store yet (readers: search, compare,
    export, report) instead of making an empty one. `readonly=True` opens it for reading only
    (nothing can be written, a store on read-only media works; `readonly_medium` is then
    True). Opening for writing first runs `PRAGMA quick_check`: a damaged store is refused,
    never written into. `timeout`: seconds to wait for a lock.
    """

    def __init__(self, path: str | Path, create: bool = True, timeout: float = 30.0,
                 readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.readonly_medium = False
        exists = self.path.is_file()
        if (readonly or not create) and not exists:
            if self.path.exists():
                raise StoreError("cannot_create", self.path, "not a regular file")
            raise StoreError("missing", self.path)
        if readonly and self.version_on_disk() < SCHEMA_VERSION and self._can_write():
            # An older store is brought up to date once, then read.
            Store(self.path, create=False, timeout=timeout).close()
        self.conn = self._connect(exists, timeout)
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._check_header()
            if readonly:
                if self.version < SCHEMA_VERSION:
                    raise StoreError("old_schema_readonly", self.path,
                                     f"{self.version} < {SCHEMA_VERSION}")
            else:
                if exists:
                    self._quick_check()
                self._migrate()
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise StoreError(_classify(exc), self.path, str(exc)) from exc
        except StoreError:
            self.conn.close()
            raise

    def version_on_disk(self) -> int:
        """The schema version in the file's header (bytes 60-63), without opening it."""
        try:
            with self.path.open("rb") as f:
                head = f.read(64)
        except OSError:
            return SCHEMA_VERSION
        if len(head) < 64 or not head.startswith(b"SQLite format 3"):
            return SCHEMA_VERSION  # not ours to judge here: _check_header says what it is
        return int.from_bytes(head[60:64], "big")

    def _can_write(self) -> bool:
        return os.access(self.path, os.W_OK) and _writable_dir(self.path.parent)

    def _connect(self, exists: bool, timeout: float) -> sqlite3.Connection:
        if self.readonly:
            uri = self.path.resolve().as_uri()
            try:
                conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.Error as exc:
                if _writable_dir(self.path.parent) and "unable to open" not in str(exc):
                    raise StoreError(_classify(exc), self.path, str(exc)) from exc
            # A WAL store on read-only media: SQLite cannot make its -shm file there. Nobody
            # can be writing to it either, so it is read as an immutable file.
            self.readonly_medium = True
            warnings.warn(ReadOnlyMedium(self.path), stacklevel=3)
            try:
                return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout)
            except sqlite3.Error as exc:
                raise StoreError(_classify(exc), self.path, str(exc)) from exc
        if exists and not self._can_write():
            raise StoreError("readonly", self.path, _why_not_writable(self.path))
        if not exists:
            blocker = next((p for p in self.path.parents if p.exists() and not p.is_dir()), None)
            if blocker is not None:
                raise StoreError("cannot_create", self.path, f"{blocker}: not a folder")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError("cannot_create", self.path, exc.strerror or str(exc)) from exc
            if not _writable_dir(self.path.parent):
                raise StoreError("cannot_create", self.path,
                                 _why_not_writable(self.path.parent))
        try:
            return sqlite3.connect(self.path, timeout=timeout)
        except sqlite3.Error as exc:
            code = "cannot_create" if not exists else _classify(exc)
            raise StoreError(code, self.path, str(exc)) from exc

    def _quick_check(self) -> None:
        """Refuse a store with damaged pages before anything is written into it."""
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
        if rows != ["ok"]:
            raise StoreError("corrupt", self.path, "; ".join(rows)[:300])

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
            # The whole new schema first, then the rows each step needs filled in.
            for version in range(start, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
            backfills = {1: self._backfill_v2, 2: self._backfill_v3, 3: self._backfill_v4}
            for version in range(start, SCHEMA_VERSION):
                if version in backfills:
                    backfills[version]()
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

    def _backfill_v3(self) -> None:
        """Each version-2 document becomes a document with one file; documents with the same
        text (one file stored by two paths, a DOCX and its PDF) are merged into the first."""
        c = self.conn
        rows = c.execute(
            "SELECT id, source, sha256, format, size, pages, sidecar_sha256, analyzed_at,"
            " daihoi_version, text FROM documents ORDER BY id").fetchall()
        for doc_id, source, sha, fmt, size, pages, sidecar, at, version, _text in rows:
            ident = self._stored_identity(c, doc_id)
            keep = self._find_document(c, ident, self._meta_of(c, doc_id))
            path = file_path(source)
            taken = c.execute("SELECT 1 FROM files WHERE path = ?", (path,)).fetchone()
            if keep is None:
                c.execute("UPDATE documents SET content_key = ? WHERE id = ?",
                          (ident.key, doc_id))
                c.executemany("INSERT INTO doc_sketch (hash, doc_id) VALUES (?, ?)",
                              [(h, doc_id) for h in ident.sketch])
            if not taken:
                c.execute(
                    "INSERT INTO files (doc_id, path, source, sha256, format, size, pages,"
                    " sidecar_sha256, analysed, analyzed_at, daihoi_version)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (keep or doc_id, path, source, sha, fmt, size, pages, sidecar,
                     int(keep is None), at, version))
            if keep is not None:
                self._delete_document(c, doc_id)

    def _backfill_v4(self) -> None:
        """The matching-form word count of each stored document."""
        c = self.conn
        for (doc_id,) in c.execute("SELECT id FROM documents").fetchall():
            c.execute("UPDATE documents SET content_words = ? WHERE id = ?",
                      (self._stored_identity(c, doc_id).n_words, doc_id))

    @staticmethod
    def _stored_identity(c: sqlite3.Connection, doc_id: int) -> Identity:
        """The identity of a stored document, from its text, cells and footnotes."""
        text = c.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        return identity([*text.split("\n\n"),
                         *(t for t, in c.execute("SELECT text FROM table_cells WHERE doc_id = ?",
                                                 (doc_id,))),
                         *(t for t, in c.execute("SELECT text FROM footnotes WHERE doc_id = ?",
                                                 (doc_id,)))])

    # -- identity ------------------------------------------------------------------------

    @staticmethod
    def _meta_of(c: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
        row = c.execute("SELECT unit_folded, term, draft FROM documents WHERE id = ?",
                        (doc_id,)).fetchone()
        return dict(zip(("unit_folded", "term", "draft"), row or (None,) * 3, strict=True))

    @staticmethod
    def _find_document(c: sqlite3.Connection, ident: Identity,
                       meta: dict[str, Any]) -> int | None:
        """The stored document with this text (exact, or near-identical by its sketch)."""
        found = [r[0] for r in c.execute(
            "SELECT id FROM documents WHERE content_key = ? ORDER BY id", (ident.key,))]
        if ident.sketch:
            marks = ",".join("?" * len(ident.sketch))
            found += [r[0] for r in c.execute(
                f"SELECT doc_id FROM doc_sketch WHERE hash IN ({marks}) GROUP BY doc_id"  # noqa: S608
                " HAVING count(*) >= ? ORDER BY count(*) DESC, doc_id",
                (*ident.sketch, max(1, len(ident.sketch) // 2)))]
        for doc_id in dict.fromkeys(found):
            row = c.execute("SELECT content_key, content_words FROM documents WHERE id = ?",
                            (doc_id,)).fetchone()
            needed = threshold(meta, Store._meta_of(c, doc_id))
            if row is None or needed is None:
                continue
            sketch = [r[0] for r in c.execute(
                "SELECT hash FROM doc_sketch WHERE doc_id = ? ORDER BY hash", (doc_id,))]
            n_words = Store._stored_identity(c, doc_id).n_words if row[1] is None else row[1]
            if same_text(ident, row[0] or "", int(n_words or 0), sketch, needed):
                return int(doc_id)
        return None

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # `with conn` commits on success and rolls back on any exception: all or nothing.
        with self.conn:
            yield self.conn

    def is_current(self, source: str, sha256: str) -> bool:
        """Is this exact file (and its metadata sidecar) already stored by this daihoi?"""
        row = self.conn.execute(
            "SELECT sha256, daihoi_version, sidecar_sha256 FROM files WHERE path = ?",
            (file_path(source),),
        ).fetchone()
        if row is None or row[:2] != (sha256, __version__):
            return False
        return row[2] == sidecar_sha256(source)

    def save(self, report: Report, record: dict[str, Any]) -> int:
        """Store one analysed file; returns the id of its document (`save_prepared`)."""
        return self.save_prepared(prepare(report, record))

    def save_prepared(self, doc: PreparedDocument) -> int:
        """Store one analysed file, its rows already made (`pipeline.store.prepared`, in the
        worker that analysed it); returns the id of its document.

        A file whose text is already stored (the same report in another format, or the same
        file by another path) joins that document; the document keeps the analysis of its
        richest file (DOCX before TXT before PDF). A file analysed again replaces its old
        version; a document left without files goes. One transaction per file."""
        ident = doc.ident
        path = file_path(doc.source)
        with self._transaction() as c:
            c.execute("DELETE FROM ingest_errors WHERE source = ?", (doc.source,))
            before = c.execute("SELECT doc_id, analysed FROM files WHERE path = ?",
                               (path,)).fetchone()
            doc_id = self._find_document(c, ident, doc.values)
            if before is not None and before[0] != doc_id:
                self._detach(c, path, int(before[0]))
                before = None
            if doc_id is None:
                doc_id = self._insert_document(c, doc)
                analysed = True
            else:
                current = c.execute("SELECT format FROM documents WHERE id = ?",
                                    (doc_id,)).fetchone()[0]
                analysed = bool(before and before[1]) or (
                    format_rank(doc.format) < format_rank(current))
                if analysed:
                    self._clear_document(c, doc_id)
                    self._insert_document(c, doc, doc_id)
                    c.execute("UPDATE files SET analysed = 0 WHERE doc_id = ?", (doc_id,))
            c.execute(
                "INSERT INTO files (doc_id, path, source, sha256, format, size, pages,"
                " sidecar_sha256, analysed, analyzed_at, daihoi_version)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET"
                " doc_id = excluded.doc_id, source = excluded.source, sha256 = excluded.sha256,"
                " format = excluded.format, size = excluded.size, pages = excluded.pages,"
                " sidecar_sha256 = excluded.sidecar_sha256, analysed = excluded.analysed,"
                " analyzed_at = excluded.analyzed_at, daihoi_version = excluded.daihoi_version",
                (doc_id, path, doc.source, doc.sha256, doc.format, doc.size, doc.pages,
                 doc.sidecar_sha256, int(analysed), _now(), __version__))
        return doc_id

    @staticmethod
    def _insert_document(
        c: sqlite3.Connection, doc: PreparedDocument, doc_id: int | None = None,
    ) -> int:
        """The document row and every row of its analysis (`doc_id`: keep this id)."""
        values = doc.values
        ident = doc.ident
        columns = ("source", "sha256", "format", "pages", "size", "text", "n_blocks",
                   "n_tables", "n_footnotes", "properties", "record", "analyzed_at",
                   "daihoi_version", "n_words", "sidecar_sha256", "content_key",
                   "content_words", *values)
        row = (
            doc.source, doc.sha256, doc.format, doc.pages, doc.size, doc.text,
            doc.n_blocks, doc.n_tables, doc.n_footnotes, doc.properties_json,
            doc.record_json, _now(), __version__,
            doc.n_words, doc.sidecar_sha256, ident.key, ident.n_words,
            *values.values(),
        )
        if doc_id is None:
            # Another document may still carry this source (its other files keep it alive).
            c.execute("UPDATE documents SET source = source || ' #' || id WHERE source = ?",
                      (doc.source,))
            cur = c.execute(
                f"INSERT INTO documents ({', '.join(columns)})"  # noqa: S608
                f" VALUES ({', '.join('?' * len(columns))})", row)
            doc_id = int(cur.lastrowid or 0)
        else:
            c.execute("UPDATE documents SET source = source || ' #' || id"
                      " WHERE source = ? AND id <> ?", (doc.source, doc_id))
            c.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in columns)}"  # noqa: S608
                      " WHERE id = ?", (*row, doc_id))
        c.executemany("INSERT INTO doc_sketch (hash, doc_id) VALUES (?, ?)",
                      [(h, doc_id) for h in ident.sketch])
        c.executemany(
            "INSERT INTO blocks (doc_id, idx, kind, text, start, \"end\", page, style,"
            " outline_level, numbering, bold, font_size, section, is_heading)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, *b) for b in doc.blocks],
        )
        if doc.fts:
            # The full-text index points at the blocks' row ids, known only now.
            ids = dict(c.execute("SELECT idx, id FROM blocks WHERE doc_id = ?", (doc_id,)))
            c.executemany(
                "INSERT INTO paragraphs_fts (rowid, exact, folded) VALUES (?, ?, ?)",
                [(ids[idx], exact_form, folded) for idx, exact_form, folded in doc.fts],
            )
        c.executemany("INSERT INTO doc_tables VALUES (?,?,?,?,?,?,?,?)",
                      [(doc_id, *t) for t in doc.tables])
        c.executemany("INSERT INTO table_cells VALUES (?,?,?,?,?)",
                      [(doc_id, *cell) for cell in doc.cells])
        c.executemany("INSERT INTO footnotes VALUES (?,?,?,?,?,?,?,?)",
                      [(doc_id, *f) for f in doc.footnotes])
        c.executemany("INSERT INTO running_lines VALUES (?,?,?)",
                      [(doc_id, *r) for r in doc.running])
        c.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?,?)",
                      [(doc_id, *r) for r in doc.sections])
        c.executemany(f"INSERT INTO doc_references VALUES ({','.join('?' * 18)})",
                      [(doc_id, *r) for r in doc.references])
        c.executemany(f"INSERT INTO indicators VALUES ({','.join('?' * 15)})",
                      [(doc_id, *r) for r in doc.indicators])
        c.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?)",
                      [(doc_id, *r) for r in doc.findings])
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
            [(block_id, exact(text), fold(text)) for block_id, text, _ in blocks if text],
        )

    @staticmethod
    def _clear_document(c: sqlite3.Connection, doc_id: int) -> None:
        """Remove a document's analysis rows (and their index rows), keeping the document."""
        # The index is contentless: its rows go with the 'delete' command and the same values.
        c.executemany(
            "INSERT INTO paragraphs_fts (paragraphs_fts, rowid, exact, folded)"
            " VALUES ('delete', ?, ?, ?)",
            [(bid, exact(text), fold(text)) for bid, text in c.execute(
                "SELECT id, text FROM blocks WHERE doc_id = ? AND text <> ''", (doc_id,))],
        )
        for table in ("blocks", "doc_tables", "table_cells", "footnotes", "running_lines",
                      "sections", "doc_references", "indicators", "findings", "doc_sketch"):
            c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608

    @classmethod
    def _delete_document(cls, c: sqlite3.Connection, doc_id: int) -> None:
        cls._clear_document(c, doc_id)
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    @classmethod
    def _detach(cls, c: sqlite3.Connection, path: str, doc_id: int) -> None:
        """Take a file away from its document; a document left without files goes."""
        c.execute("DELETE FROM files WHERE path = ?", (path,))
        left = c.execute("SELECT source FROM files WHERE doc_id = ? ORDER BY analysed DESC, id",
                         (doc_id,)).fetchone()
        if left is None:
            cls._delete_document(c, doc_id)

    def save_error(self, source: str, code: str, message: str) -> None:
        """List a file that could not be read; its previous good version, if any, stays."""
        with self._transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO ingest_errors (source, code, message, at)"
                " VALUES (?,?,?,?)",
                (source, code, message, _now()),
            )

    def remove(self, source: str) -> bool:
        """Remove a file; its document goes with its last file. True when it was there."""
        with self._transaction() as c:
            path = file_path(source)
            row = c.execute("SELECT doc_id FROM files WHERE path = ?", (path,)).fetchone()
            if row is None:
                return False
            self._detach(c, path, int(row[0]))
        return True

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("documents", "files", "blocks", "doc_tables", "footnotes", "ingest_errors",
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


def _why_not_writable(path: Path) -> str:
    target = path if path.exists() else path.parent
    if not target.exists():
        return "no such folder"
    try:
        if os.statvfs(target).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


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
