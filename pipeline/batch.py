"""Analyse many files: in input order, in parallel worker processes, one bad file never
stopping the rest (an exception, or even a crash of the PDF library, becomes that file's error).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DaihoiError, IngestError
from pipeline.ingest import SUPPORTED_SUFFIXES, Limits, file_sha256
from pipeline.model import Report

IGNORE_FILE = ".daihoiignore"


@dataclass
class FileResult:
    source: str
    report: Report | None = None
    error: DaihoiError | None = None
    unchanged: bool = False
    lang: str = "vi"

    @property
    def error_record(self) -> dict[str, Any]:
        from pipeline.contract import error_record

        assert self.error is not None
        return error_record(self.source, self.error, self.lang)


def discover(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Supported files under `folder`, sorted; hidden entries, the paths in `exclude` and the
    patterns of `.daihoiignore` files (one glob per line, "dir/" for a folder) are skipped."""
    excluded = {p.resolve() for p in exclude}
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        patterns = _ignore_patterns(here)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not _ignored(d + "/", patterns)
        )
        for name in sorted(files):
            path = here / name
            if (
                name.startswith(".")
                or _ignored(name, patterns)
                or path.suffix.lower() not in SUPPORTED_SUFFIXES
                or path.resolve() in excluded
            ):
                continue
            found.append(path)
    return found


def _ignore_patterns(folder: Path) -> list[str]:
    ignore = folder / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ignored(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def analyze_files(
    paths: list[Path],
    limits: Limits,
    lang: str = "vi",
    jobs: int | None = None,
    skip: Callable[[str, str], bool] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Iterator[FileResult]:
    """Results for `paths`, in the same order. `skip(source, sha256)` says a file is already
    analysed (it is then reported as unchanged without being read); `overrides` are metadata
    the user gave for every file (`--unit`, `--term`, ...)."""
    todo: list[tuple[int, Path]] = []
    ready: dict[int, FileResult] = {}
    for i, path in enumerate(paths):
        if skip is not None and path.is_file() and skip(str(path), file_sha256(path)):
            ready[i] = FileResult(str(path), unchanged=True, lang=lang)
        else:
            todo.append((i, path))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    produced = (_run_inline(todo, limits, overrides) if jobs == 1
                else _run_pool(todo, limits, jobs, overrides))
    next_index = 0
    for i, outcome in produced:
        ready[i] = _to_result(paths[i], outcome, lang)
        while next_index in ready:
            yield ready.pop(next_index)
            next_index += 1
    while next_index in ready:
        yield ready.pop(next_index)
        next_index += 1


Outcome = tuple[str, Any]  # ("ok", Report) | ("error", (code, params))


def _work(path: Path, limits: Limits, overrides: dict[str, Any] | None = None) -> Outcome:
    from pipeline.analyze import analyze

    try:
        return "ok", analyze(path, limits, overrides=overrides)
    except DaihoiError as exc:
        # Exceptions with custom constructors do not pickle back: send the parts.
        return "error", (exc.code, exc.params)
    except Exception as exc:  # noqa: BLE001 - a bug in one stage must not stop the batch
        detail = f"{type(exc).__name__}: {exc}"
        return "error", ("analysis_failed", {"path": str(path), "detail": detail})


def _run_inline(
    todo: list[tuple[int, Path]], limits: Limits, overrides: dict[str, Any] | None
) -> Iterator[tuple[int, Outcome]]:
    for i, path in todo:
        yield i, _work(path, limits, overrides)


def _run_pool(
    todo: list[tuple[int, Path]], limits: Limits, jobs: int, overrides: dict[str, Any] | None
) -> Iterator[tuple[int, Outcome]]:
    pending = list(todo)
    while pending:
        crashed: list[tuple[int, Path]] = []
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures: list[tuple[int, Path, Future[Outcome]]] = [
                (i, p, pool.submit(_work, p, limits, overrides)) for i, p in pending
            ]
            for i, path, future in futures:
                try:
                    yield i, future.result()
                except BrokenProcessPool:
                    crashed.append((i, path))
        if len(crashed) == len(pending) and len(crashed) > 0:
            # Every file still pending died with the pool: run them one by one so the file
            # that crashes the worker is the only one blamed.
            for i, path in crashed:
                yield i, _isolated(path, limits, overrides)
            return
        pending = crashed


def _isolated(path: Path, limits: Limits, overrides: dict[str, Any] | None) -> Outcome:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_work, path, limits, overrides).result()
        except BrokenProcessPool:
            return "error", ("corrupt", {"path": str(path), "detail": "the reader crashed"})


def _to_result(path: Path, outcome: Outcome, lang: str) -> FileResult:
    kind, value = outcome
    if kind == "ok":
        return FileResult(str(path), report=value, lang=lang)
    code, params = value
    return FileResult(str(path), error=IngestError(code, **params), lang=lang)
