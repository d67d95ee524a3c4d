"""`analyze(path) -> Report`: one file through every stage the project has so far."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest import Limits, load
from pipeline.model import Report


def analyze(path: str | Path, limits: Limits | None = None) -> Report:
    """Read and analyse one report; raises `pipeline.errors.IngestError` on a bad file."""
    document = load(path, limits)
    return Report(document=document)
