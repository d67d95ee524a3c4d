"""The web app's own tables in the store: accounts, sessions, uploads and finding reviews.

They sit beside the corpus tables in the same SQLite file but are versioned apart (key
`web_schema` in `store_info`), created with CREATE TABLE IF NOT EXISTS whenever the app or
`daihoi user` opens a store: the corpus schema (PRAGMA user_version, pipeline/store/schema.py)
migrates on its own and never has to know about them.

Reviews are keyed by the document's `source` and the finding's kind and location, not by row
ids: re-analysing a document replaces its rows (new ids), and the auditor's decision must stay.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline.store.folding import fold

WEB_SCHEMA_VERSION = 1
ROLES = ("admin", "auditor", "unit")
REVIEW_STATUSES = ("confirmed", "dismissed", "needs_fix")

WEB_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'auditor', 'unit')),
    unit          TEXT,
    unit_folded   TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
    csrf          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_uploads (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL,
    filename      TEXT NOT NULL,
    stored_path   TEXT,
    size          INTEGER NOT NULL,
    unit          TEXT NOT NULL,
    unit_folded   TEXT NOT NULL,
    user_id       INTEGER NOT NULL,
    status        TEXT NOT NULL,            -- queued, running, done, error, duplicate
    error_code    TEXT,
    error_params  TEXT,                     -- JSON
    source        TEXT,                     -- documents.source once analysed
    created_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX IF NOT EXISTS web_uploads_sha ON web_uploads(sha256, unit_folded);
CREATE INDEX IF NOT EXISTS web_uploads_source ON web_uploads(source);
CREATE TABLE IF NOT EXISTS web_reviews (
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    location      TEXT NOT NULL,            -- where:start:end of the finding
    status        TEXT NOT NULL CHECK (status IN ('confirmed', 'dismissed', 'needs_fix')),
    note          TEXT NOT NULL DEFAULT '',
    reviewer      TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (source, kind, location)
);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def unit_key(unit: str | None) -> str | None:
    """The form units are matched by: folded like `documents.unit_folded`."""
    return fold(" ".join(unit.split())) if unit and unit.strip() else None


def ensure_web_tables(conn: sqlite3.Connection) -> None:
    """Create the web tables when missing (idempotent, one transaction)."""
    have = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'web_reviews'").fetchone()[0]
    if have:
        return
    with conn:
        for statement in WEB_SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO store_info (key, value) VALUES ('web_schema', ?)",
                     (str(WEB_SCHEMA_VERSION),))


# -- users -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    unit: str | None
    unit_folded: str | None
    disabled: bool = False

    @property
    def sees_all(self) -> bool:
        """Admins and auditors see every unit; a unit account sees its own unit only."""
        return self.role in ("admin", "auditor")

    @property
    def can_review(self) -> bool:
        return self.role in ("admin", "auditor")

    @property
    def can_submit(self) -> bool:
        return self.unit_folded is not None


_USER_COLUMNS = "id, name, role, unit, unit_folded, disabled"


def _user(row: tuple[Any, ...] | None) -> User | None:
    if row is None:
        return None
    return User(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


def add_user(conn: sqlite3.Connection, name: str, role: str, unit: str | None,
             password_hash: str) -> User:
    """Raises ValueError (`user_exists`, `bad_role`, `unit_required`, `bad_name`)."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValueError("bad_name")
    if role not in ROLES:
        raise ValueError("bad_role")
    if role == "unit" and not unit_key(unit):
        raise ValueError("unit_required")
    unit = " ".join(unit.split()) if unit and unit.strip() else None
    try:
        with conn:
            cur = conn.execute(
                "INSERT INTO web_users (name, role, unit, unit_folded, password_hash,"
                " created_at) VALUES (?,?,?,?,?,?)",
                (name, role, unit, unit_key(unit), password_hash, now()))
    except sqlite3.IntegrityError as exc:
        raise ValueError("user_exists") from exc
    return User(int(cur.lastrowid or 0), name, role, unit, unit_key(unit))


def user_by_name(conn: sqlite3.Connection, name: str) -> tuple[User, str] | None:
    row = conn.execute(f"SELECT {_USER_COLUMNS}, password_hash FROM web_users WHERE name = ?",
                       (name.strip(),)).fetchone()
    if row is None:
        return None
    user = _user(row[:6])
    assert user is not None
    return user, row[6]


def set_password_hash(conn: sqlite3.Connection, user_id: int, password_hash: str) -> None:
    with conn:
        conn.execute("UPDATE web_users SET password_hash = ? WHERE id = ?",
                     (password_hash, user_id))


def list_users(conn: sqlite3.Connection) -> list[User]:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} FROM web_users ORDER BY name").fetchall()
    return [u for u in map(_user, rows) if u is not None]


def count_users(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM web_users").fetchone()[0])


def disable_user(conn: sqlite3.Connection, name: str) -> bool:
    """Disable an account and end its sessions; False when there is no such account."""
    with conn:
        cur = conn.execute("UPDATE web_users SET disabled = 1 WHERE name = ?", (name.strip(),))
        conn.execute("DELETE FROM web_sessions WHERE user_id IN"
                     " (SELECT id FROM web_users WHERE name = ?)", (name.strip(),))
    return cur.rowcount > 0


def units_with_accounts(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT unit FROM web_users WHERE role = 'unit' AND disabled = 0"
        " AND unit IS NOT NULL ORDER BY unit")]


# -- sessions ----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # Only a hash is stored: a copy of the database does not hold live session tokens.
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(conn: sqlite3.Connection, user_id: int, token: str, csrf: str,
                   hours: float) -> None:
    created = datetime.now(UTC)
    expires = created + timedelta(hours=hours)
    with conn:
        conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (now(),))
        conn.execute("INSERT INTO web_sessions VALUES (?,?,?,?,?)",
                     (_token_hash(token), user_id, csrf, created.isoformat(timespec="seconds"),
                      expires.isoformat(timespec="seconds")))


def session_user(conn: sqlite3.Connection, token: str) -> tuple[User, str] | None:
    """The active account of a session token and the session's CSRF token."""
    row = conn.execute(
        f"SELECT {', '.join('u.' + c.strip() for c in _USER_COLUMNS.split(','))}, s.csrf"
        " FROM web_sessions s JOIN web_users u ON u.id = s.user_id"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
        (_token_hash(token), now())).fetchone()
    if row is None:
        return None
    user = _user(row[:6])
    assert user is not None
    return user, row[6]


def end_session(conn: sqlite3.Connection, token: str) -> None:
    with conn:
        conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_token_hash(token),))


# -- reviews -----------------------------------------------------------------------------------


def finding_location(where: str | None, start: int | None, end: int | None) -> str:
    return f"{where or ''}:{'' if start is None else start}:{'' if end is None else end}"


def set_review(conn: sqlite3.Connection, source: str, kind: str, location: str, status: str,
               note: str, reviewer: str) -> None:
    if status not in REVIEW_STATUSES:
        raise ValueError("bad_status")
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO web_reviews (source, kind, location, status, note, reviewer,"
            " at) VALUES (?,?,?,?,?,?,?)",
            (source, kind, location, status, note[:2000], reviewer, now()))


def reviews_of(conn: sqlite3.Connection, source: str) -> dict[tuple[str, str], dict[str, Any]]:
    rows = conn.execute("SELECT kind, location, status, note, reviewer, at FROM web_reviews"
                        " WHERE source = ?", (source,)).fetchall()
    return {(r[0], r[1]): {"status": r[2], "note": r[3], "reviewer": r[4], "at": r[5]}
            for r in rows}


# -- uploads -----------------------------------------------------------------------------------


def find_upload(conn: sqlite3.Connection, sha256: str, unit_folded: str) -> dict[str, Any] | None:
    """The unit's earlier upload of the same content that did not fail, if any."""
    row = conn.execute(
        "SELECT id FROM web_uploads WHERE sha256 = ? AND unit_folded = ?"
        " AND status IN ('queued', 'running', 'done') ORDER BY id LIMIT 1",
        (sha256, unit_folded)).fetchone()
    return upload(conn, row[0]) if row else None


def add_upload(conn: sqlite3.Connection, *, sha256: str, filename: str, stored_path: str | None,
               size: int, unit: str, user_id: int, status: str,
               error: tuple[str, dict[str, Any]] | None = None) -> int:
    with conn:
        cur = conn.execute(
            "INSERT INTO web_uploads (sha256, filename, stored_path, size, unit, unit_folded,"
            " user_id, status, error_code, error_params, created_at, finished_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (sha256, filename, stored_path, size, unit, unit_key(unit), user_id, status,
             error[0] if error else None, json.dumps(error[1]) if error else None, now(),
             now() if status in ("error", "duplicate") else None))
    return int(cur.lastrowid or 0)


def finish_upload(conn: sqlite3.Connection, upload_id: int, status: str, source: str | None,
                  error: tuple[str, dict[str, Any]] | None = None) -> None:
    with conn:
        conn.execute(
            "UPDATE web_uploads SET status = ?, source = ?, error_code = ?, error_params = ?,"
            " finished_at = ? WHERE id = ?",
            (status, source, error[0] if error else None,
             json.dumps(error[1], default=str) if error else None, now(), upload_id))


def mark_running(conn: sqlite3.Connection, upload_id: int) -> None:
    with conn:
        conn.execute("UPDATE web_uploads SET status = 'running' WHERE id = ?", (upload_id,))


_UPLOAD_COLUMNS = ("id", "sha256", "filename", "stored_path", "size", "unit", "unit_folded",
                   "user_id", "status", "error_code", "error_params", "source", "created_at",
                   "finished_at")


def upload(conn: sqlite3.Connection, upload_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {', '.join(_UPLOAD_COLUMNS)} FROM web_uploads WHERE id = ?",
                       (upload_id,)).fetchone()
    if row is None:
        return None
    out = dict(zip(_UPLOAD_COLUMNS, row, strict=True))
    out["error_params"] = json.loads(out["error_params"]) if out["error_params"] else {}
    return out


def uploads_of_unit(conn: sqlite3.Connection, unit_folded: str | None,
                    limit: int = 50) -> list[dict[str, Any]]:
    """Recent uploads; every unit's when `unit_folded` is None (admins, auditors)."""
    where, params = ("WHERE unit_folded = ?", [unit_folded]) if unit_folded else ("", [])
    ids = [r[0] for r in conn.execute(
        f"SELECT id FROM web_uploads {where} ORDER BY id DESC LIMIT ?",  # noqa: S608
        [*params, limit])]
    return [u for u in (upload(conn, i) for i in ids) if u is not None]


def pending_uploads(conn: sqlite3.Connection) -> list[int]:
    """Uploads accepted but not analysed (the app stopped): analysed again at start."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM web_uploads WHERE status IN ('queued', 'running') ORDER BY id")]
