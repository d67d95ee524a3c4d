"""What a Dask worker runs: one batch of documents through the worker's own `Sandbox`.

The sandbox (and the models loaded in it) lives as long as the worker process, so every batch
after the first one on a worker reuses it. A batch returns plain rows (`pipeline.engine.rows`):
small, picklable, and exactly what goes into the Parquet file.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from pipeline.engine.rows import outcome_row
from pipeline.engine.sandbox import Sandbox
from pipeline.engine.work import Job
from pipeline.ingest.limits import Limits

_local = threading.local()


def _sandbox() -> Sandbox:
    box = getattr(_local, "sandbox", None)
    if box is None:
        box = _local.sandbox = Sandbox(f"dask-{os.getpid()}-{threading.get_ident() % 10000}")
    return box


def run_batch(
    batch: int, jobs: list[Job], limits: Limits, overrides: dict[str, Any] | None,
    hashes: dict[str, str],
) -> list[dict[str, Any]]:
    box = _sandbox()
    rows = []
    for job in jobs:
        outcome = box.run(job.path, limits, overrides, job.timeout)
        rows.append(outcome_row(outcome, hashes.get(job.path), "dask", batch))
    return rows
