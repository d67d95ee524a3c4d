"""`daihoi load PARQUET_DIR --db …`: merge the Parquet output of a distributed run into a store.

Idempotent: a file the store already holds in this exact version (same path, same sha256, same
daihoi, same sidecar) is left alone, and an error already listed with the same code is not
listed again, so loading twice changes nothing. When a folder holds several rows for one file
(a run resumed after errors), the latest one counts. Rows are read a few hundred at a time:
the folder never has to fit in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.engine.parquet import iter_rows, partitions
from pipeline.engine.rows import report_from_row
from pipeline.store.database import Store


@dataclass
class LoadCounts:
    loaded: int = 0
    unchanged: int = 0
    errors: int = 0
    files: int = 0  # Parquet files read


def latest_rows(folder: Path) -> dict[str, tuple[str, int]]:
    """source -> (analyzed_at, row number) of the row that counts for each file."""
    chosen: dict[str, tuple[str, int]] = {}
    for n, row in enumerate(iter_rows(folder, ["source", "analyzed_at"])):
        key = (row["analyzed_at"] or "", n)
        if row["source"] not in chosen or key >= chosen[row["source"]]:
            chosen[row["source"]] = key
    return chosen


def load_parquet(folder: Path, store: Store) -> LoadCounts:
    from pipeline.errors import IngestError

    counts = LoadCounts(files=len(partitions(folder)))
    wanted = {n for _, n in latest_rows(folder).values()}
    for n, row in enumerate(iter_rows(folder)):
        if n not in wanted:
            continue
        if row["status"] != "ok":
            counts.errors += 1
            if _error_listed(store, row["source"], row["error_code"]):
                continue
            params = json.loads(row["error_params"] or "{}")
            try:
                text = IngestError(row["error_code"], **params).message("en")
            except (ValueError, KeyError):
                text = row["error_code"] or "error"
            store.save_error(row["source"], row["error_code"], text)
            continue
        if store.is_current(row["source"], row["sha256"]):
            counts.unchanged += 1
            continue
        store.save(report_from_row(row), json.loads(row["record"]))
        counts.loaded += 1
    return counts


def _error_listed(store: Store, source: str, code: str | None) -> bool:
    row = store.conn.execute("SELECT code FROM ingest_errors WHERE source = ?",
                             (source,)).fetchone()
    return row is not None and row[0] == code
