"""The store's schema, one SQL script per version, and how to go from one version to the next.

`PRAGMA user_version` holds the version. Version 1 (daihoi 0.1, ingest only) is kept verbatim:
migrating needs to know where it starts. Version 2 adds the metadata columns of `documents`,
a stable `id` on `blocks` (the row id the full-text index points at) with the section label of
each paragraph, and the tables of later stages: sections, references, indicators, findings.
The full layout is described in pipeline/store/README.md.
"""

from __future__ import annotations

SCHEMA_VERSION = 4

# Columns of `documents` filled from `report.meta` (the JSON record's "meta").
META_COLUMNS = ("unit", "unit_level", "parent", "province", "term", "year", "date", "doc_type",
                "draft", "doc_type_confidence")

V1 = """
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
    properties    TEXT NOT NULL,
    record        TEXT NOT NULL,
    analyzed_at   TEXT NOT NULL,
    daihoi_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    start         INTEGER NOT NULL,
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
    pages         TEXT NOT NULL,
    after_block   INTEGER,
    n_rows        INTEGER NOT NULL,
    n_cols        INTEGER NOT NULL,
    rows          TEXT NOT NULL,
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
    position      TEXT NOT NULL,
    text          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    source        TEXT PRIMARY KEY,
    code          TEXT NOT NULL,
    message       TEXT NOT NULL,
    at            TEXT NOT NULL
);
"""

# Version 2 on top of version 1. `blocks` is rebuilt (SQLite cannot add a primary key), the
# rest is added. Rows of version 1 are then filled in from `documents.record` (database.py).
V1_TO_V2 = """
ALTER TABLE documents ADD COLUMN unit TEXT;
ALTER TABLE documents ADD COLUMN unit_folded TEXT;
ALTER TABLE documents ADD COLUMN unit_level TEXT;
ALTER TABLE documents ADD COLUMN parent TEXT;
ALTER TABLE documents ADD COLUMN province TEXT;
ALTER TABLE documents ADD COLUMN term TEXT;
ALTER TABLE documents ADD COLUMN year INTEGER;
ALTER TABLE documents ADD COLUMN date TEXT;
ALTER TABLE documents ADD COLUMN doc_type TEXT;
ALTER TABLE documents ADD COLUMN draft INTEGER;
ALTER TABLE documents ADD COLUMN doc_type_confidence REAL;
ALTER TABLE documents ADD COLUMN n_words INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN sidecar_sha256 TEXT;
CREATE INDEX IF NOT EXISTS documents_unit ON documents(unit);
CREATE INDEX IF NOT EXISTS documents_term ON documents(term);

ALTER TABLE blocks RENAME TO blocks_v1;
CREATE TABLE blocks (
    id            INTEGER PRIMARY KEY,      -- row id of the full-text index paragraphs_fts
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    start         INTEGER NOT NULL,         -- offsets into documents.text
    "end"         INTEGER NOT NULL,
    page          INTEGER,
    style         TEXT,
    outline_level INTEGER,
    numbering     TEXT,
    bold          INTEGER NOT NULL,
    font_size     REAL,
    section       TEXT,                     -- label of the innermost section holding it
    is_heading    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_id, idx)
);
INSERT INTO blocks (doc_id, idx, kind, text, start, "end", page, style, outline_level,
                    numbering, bold, font_size)
    SELECT doc_id, idx, kind, text, start, "end", page, style, outline_level, numbering, bold,
           font_size FROM blocks_v1 ORDER BY doc_id, idx;
DROP TABLE blocks_v1;
CREATE INDEX blocks_section ON blocks(section);

CREATE VIEW paragraphs AS
    SELECT id, doc_id, idx, section, is_heading, kind, start, "end", page, text
    FROM blocks WHERE text <> '';

-- Two columns: the text as written and folded (lower case, no marks, đ -> d), both tokenised
-- by unicode61 without removing diacritics, so "đảng" and "đang" stay apart in `exact`.
-- Contentless: the text lives in `blocks`; rows are removed with the 'delete' command.
CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
    exact, folded, content='', tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE sections (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    label         TEXT,
    heading       TEXT,
    level         INTEGER,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    confidence    REAL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX sections_label ON sections(label);

CREATE TABLE doc_references (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    ref_id        TEXT NOT NULL,
    kind          TEXT,
    type          TEXT,
    number        TEXT,
    year          INTEGER,
    issuer        TEXT,
    body          TEXT,
    date          TEXT,
    term          TEXT,
    title         TEXT,
    "where"       TEXT,
    start         INTEGER,
    "end"         INTEGER,
    surface       TEXT,
    resolved_from TEXT,
    section       TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX doc_references_ref ON doc_references(ref_id);

CREATE TABLE indicators (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    key           TEXT,
    subject       TEXT,
    value         REAL,
    value_max     REAL,
    unit          TEXT,
    unit_text     TEXT,
    kind          TEXT,
    period        TEXT,
    section       TEXT,
    "where"       TEXT,
    start         INTEGER,
    "end"         INTEGER,
    surface       TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX indicators_key ON indicators(key);

CREATE TABLE findings (
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    severity      TEXT,
    message       TEXT,
    "where"       TEXT,
    start         INTEGER,
    "end"         INTEGER,
    details       TEXT,                     -- JSON
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX findings_kind ON findings(kind);

CREATE TABLE store_info (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL
);
"""

# Version 3: a document is its text, a file is where it was read (pipeline/store/identity.py).
# `documents` keeps one row per distinct text (its columns describe the file whose analysis it
# holds); `files` one row per file, however reached; `doc_sketch` indexes each document's
# shingle sketch so a new file finds the document it repeats in one query. Rows of version 2
# get their file and sketch from `documents` (database.py), duplicates merged.
V2_TO_V3 = """
ALTER TABLE documents ADD COLUMN content_key TEXT;
CREATE INDEX documents_content_key ON documents(content_key);

CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path          TEXT NOT NULL UNIQUE,     -- absolute, links resolved: one file however named
    source        TEXT NOT NULL,            -- the path as it was given
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    pages         INTEGER,
    sidecar_sha256 TEXT,
    analysed      INTEGER NOT NULL DEFAULT 0, -- 1: the document holds this file's analysis
    analyzed_at   TEXT NOT NULL,
    daihoi_version TEXT NOT NULL
);
CREATE INDEX files_doc ON files(doc_id);

CREATE TABLE doc_sketch (
    hash          INTEGER NOT NULL,
    doc_id        INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (hash, doc_id)
) WITHOUT ROWID;
CREATE INDEX doc_sketch_doc ON doc_sketch(doc_id);
"""

# Version 4: the number of words of a document's matching form (paragraphs, cells, footnotes),
# what identity compares lengths with; null for rows of version 3 (computed when needed).
V3_TO_V4 = """
ALTER TABLE documents ADD COLUMN content_words INTEGER;
"""

# Each entry takes the store from version i to i + 1.
MIGRATIONS: dict[int, str] = {0: V1, 1: V1_TO_V2, 2: V2_TO_V3, 3: V3_TO_V4}
