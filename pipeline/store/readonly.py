"""Read-only access to a store for the out-of-core steps (features, copies, matrices), which
read it a chunk of documents at a time from worker processes as well as the main one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

SQL_MAX_PARAMS = 900  # under SQLite's default limit on the parameters of one statement


@contextmanager
def readonly_connection(db: str | Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to the store `db`, closed on exit."""
    con = sqlite3.connect(f"file:{Path(db)}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


def select_in(con: sqlite3.Connection, sql: str, ids: Sequence[int],
              params: Sequence[object] = (), chunk: int = SQL_MAX_PARAMS,
              ) -> Iterator[sqlite3.Cursor]:
    """`sql` run for `ids` a chunk at a time: its `{ids}` stands for the chunk's placeholders,
    `params` are bound before them. One cursor per chunk."""
    chunk = max(1, min(chunk, SQL_MAX_PARAMS))
    for i in range(0, len(ids), chunk):
        part = list(ids[i:i + chunk])
        yield con.execute(sql.format(ids=",".join("?" * len(part))), [*params, *part])
