"""The Parquet output of a distributed run: one file per batch in one folder.

Files are written under a temporary name and renamed, so a run killed mid-write leaves no half
file; a later run reads which files are done (source and sha256 columns only) and skips them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.engine.rows import SCHEMA

SUFFIX = ".parquet"


def write_partition(folder: Path, batch: int, rows: list[dict[str, Any]]) -> Path:
    return write_partition_bytes(folder, batch, partition_bytes(rows))


def partition_bytes(rows: list[dict[str, Any]]) -> bytes:
    """One partition's Parquet file, in memory: a Dask worker makes it (compression is CPU
    work the client would otherwise do for every batch) and the client writes it."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_partition_bytes(folder: Path, batch: int, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"part-{batch:06d}-{uuid.uuid4().hex[:8]}{SUFFIX}"
    tmp = folder / f".{name}.tmp"
    with tmp.open("wb") as f:
        f.write(data)
    os.replace(tmp, folder / name)
    return folder / name


def partitions(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith("."))


def iter_rows(folder: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of every partition, a few hundred at a time (never the whole folder)."""
    for path in partitions(folder):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256, columns=columns):
            yield from batch.to_pylist()


def done_files(folder: Path) -> dict[str, str]:
    """source -> sha256 of the documents a previous run analysed successfully."""
    done: dict[str, str] = {}
    for row in iter_rows(folder, ["source", "sha256", "status"]):
        if row["status"] == "ok" and row["sha256"]:
            done[row["source"]] = row["sha256"]
    return done
