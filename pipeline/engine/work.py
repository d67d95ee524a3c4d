"""The one per-document function every executor runs: a path in, an outcome out.

An outcome is plain data that pickles (a `Report`, or an error code and its parameters):
exceptions with custom constructors do not survive a trip between processes, and a Dask worker
may run on another machine.

What an ok outcome carries depends on what the caller wants (`Job.want`): the whole `Report`
("report": `analyze`, the Python API), or only what the store writes, prepared in the worker
("store": `daihoi run`; "parquet": the same plus the Document as JSON, for a Dask run's Parquet
rows). Preparing in the worker keeps the writing process from doing per-document CPU work that
would compete with the workers (issue 15: the speed-up from 1 to 2 workers). "document" only
reads the file (the `Document`, not analysed): a process pool's reader does that on a core that
would otherwise wait for the models to load, and the document is then analysed from there
(`analyze_one(..., document=...)`), with the same report as from the path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import DaihoiError
from pipeline.ingest.limits import MB, Limits
from pipeline.model import Document, Report

if TYPE_CHECKING:
    from pipeline.store.prepared import PreparedDocument

WANTS = ("report", "store", "parquet", "document")

# The time limit a document gets when the user gives none: a base for the fixed costs (models,
# sniffing) plus a share per MB of file, since analysis is linear in the text. A 5 MB DOCX gets
# 3.5 minutes; a PDF that may be OCR'd (5-10 s a page) gets ten times as much.
BASE_TIMEOUT = 60.0
TIMEOUT_PER_MB = 30.0
OCR_FACTOR = 10.0


@dataclass
class Outcome:
    """What happened to one document. `kind`: "ok" (report or prepared set, as the job
    wanted) or "error" (code, params)."""

    source: str
    kind: str
    report: Report | None = None
    prepared: PreparedDocument | None = None
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""
    cpu: float = 0.0  # CPU seconds of the analysis process on it (the load does not change it)
    document: Document | None = None  # want="document": the file read, not analysed

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


@dataclass(frozen=True)
class Job:
    """A document to analyse: its position in the input, its path, its time limit, and what
    its outcome carries (`WANTS`)."""

    index: int
    path: str
    timeout: float
    want: str = "report"
    # Read already (by a pool's reader, `want="document"`): analysed from here, not the path.
    document: Document | None = None
    read_cpu: float = 0.0  # CPU seconds that reading took in the reader
    read_seconds: float = 0.0


def default_timeout(path: str | Path, limits: Limits, fixed: float | None = None) -> float:
    """`fixed` when the user gave `--timeout`; otherwise a limit growing with the file's size."""
    if fixed is not None:
        return fixed
    try:
        size_mb = os.path.getsize(path) / MB
    except OSError:
        size_mb = 0.0
    seconds = BASE_TIMEOUT + TIMEOUT_PER_MB * size_mb
    # A PDF may be read by OCR (always, or its pages without text in the default "auto").
    mode = getattr(limits, "effective_ocr_mode", "always" if limits.ocr else "never")
    ocr = mode == "always" or (mode != "never" and str(path).lower().endswith(".pdf"))
    return seconds * (OCR_FACTOR if ocr else 1.0)


def analyze_one(
    path: str, limits: Limits, overrides: dict[str, Any] | None = None, want: str = "report",
    document: Document | None = None,
) -> Outcome:
    """Analyse one file; any failure becomes that file's error, never an exception. `want`:
    "report" (the outcome carries the `Report`), "store" or "parquet" (only the store's
    prepared rows, `pipeline.store.prepared`; "parquet" with the Document as JSON), "document"
    (only the file read, `pipeline.ingest.load`). `document`: the file read already (then
    analysed from it: `analyze` is `analyze_document(load(path))`)."""
    try:
        if want == "document":
            from pipeline.ingest import load

            return Outcome(path, "ok", document=load(path, limits))
        from pipeline.analysis import analyze, analyze_document

        if document is not None:
            report = analyze_document(document, overrides)
        else:
            report = analyze(path, limits, overrides=overrides)
        if want == "report":
            return Outcome(path, "ok", report=report)
        from pipeline.contract import report_record
        from pipeline.store.prepared import prepare

        return Outcome(path, "ok", prepared=prepare(report, report_record(report),
                                                    with_document=want == "parquet"))
    except DaihoiError as exc:
        return error_outcome(path, exc.code, dict(exc.params))
    except MemoryError:
        # Past the process's memory cap (`child._limit_memory`) in any stage: this file's
        # error; what it allocated is freed with the exception, the next file goes on.
        from pipeline.ingest.limits import memory_limit_mb

        return error_outcome(path, "out_of_memory",
                             {"path": path, "limit_mb": round(memory_limit_mb())})
    except Exception as exc:  # noqa: BLE001 - a bug in one stage must not stop the batch
        return error_outcome(path, "analysis_failed",
                             {"path": path, "detail": f"{type(exc).__name__}: {exc}"})


def error_outcome(path: str, code: str, params: dict[str, Any]) -> Outcome:
    return Outcome(path, "error", code=code, params=params)


def timeout_outcome(path: str, seconds: float) -> Outcome:
    return error_outcome(path, "timeout", {"path": path, "seconds": round(seconds)})


def crash_outcome(path: str, detail: str) -> Outcome:
    return error_outcome(path, "corrupt", {"path": path, "detail": detail})
