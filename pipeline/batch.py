"""Analyse many files on an executor (`pipeline.engine`): in this process, in worker processes
or on Dask; one bad file never stops the rest (an exception, a hang past the time limit, even a
crash of the PDF library becomes that file's error).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.engine.executors import Executor, make_executor
from pipeline.engine.work import WANTS, Job, Outcome, default_timeout
from pipeline.errors import DaihoiError, IngestError
from pipeline.ingest import SUPPORTED_SUFFIXES, Limits, file_sha256
from pipeline.model import Block, Document, Footnote, Report, Table

if TYPE_CHECKING:
    from pipeline.store.database import Store
    from pipeline.store.prepared import PreparedDocument

IGNORE_FILE = ".daihoiignore"
_EMPTY_BLOCK = Block("")
_EMPTY_TABLE = Table(rows=[])
_EMPTY_NOTE = Footnote(id="", text="")


@dataclass
class EngineOptions:
    """How `run` spreads its work (`--engine`, `--scheduler`, `--timeout`, `--parquet`,
    `--batch-size`, `--follow-symlinks`)."""

    engine: str = "process"
    scheduler: str | None = None
    timeout: float | None = None
    parquet_dir: Path | None = None
    batch_size: int | None = None
    follow_symlinks: bool = False


@dataclass
class FileResult:
    """One file's result: its `report` (or, with `want="store"`, only the store's rows
    `prepared` in the worker), or its `error`, or `unchanged` (already stored)."""

    source: str
    report: Report | None = None
    error: DaihoiError | None = None
    unchanged: bool = False
    lang: str = "vi"
    seconds: float = 0.0  # analysis time (0 for an unchanged file)
    prepared: PreparedDocument | None = None
    cpu: float = 0.0  # CPU seconds the analysis took in its worker (when it says)

    def slim(self) -> FileResult:
        """This result without the document's content, only its counts (what a run's summary
        shows): a run over 10,000 files keeps a few bytes per file, not every report."""
        if self.report is not None:
            d = self.report.document
            head = (d.source, d.format, d.sha256, d.pages, d.size)
            counts = (len(d.blocks), len(d.tables), len(d.footnotes))
            meta = self.report.meta
        elif self.prepared is not None:
            p = self.prepared
            head = (p.source, p.format, p.sha256, p.pages, p.size)
            counts = (p.n_blocks, p.n_tables, p.n_footnotes)
            meta = p.meta
        else:
            return self
        source, fmt, sha256, pages, size = head
        # Lists of one shared placeholder keep len() right at 8 bytes an item.
        light = Document(source=source, format=fmt, sha256=sha256,  # type: ignore[arg-type]
                         blocks=[_EMPTY_BLOCK] * counts[0], tables=[_EMPTY_TABLE] * counts[1],
                         footnotes=[_EMPTY_NOTE] * counts[2], pages=pages, size=size)
        return FileResult(self.source, report=Report(document=light, meta=meta),
                          lang=self.lang, seconds=self.seconds)

    def save_to(self, store: Store) -> None:
        """Write this result into `store` (what `daihoi run` does with each one): the
        prepared rows, or the report, or the error; an unchanged file writes nothing."""
        if self.error is not None:
            store.save_error(self.source, self.error.code, self.error.message("en"))
        elif self.prepared is not None:
            store.save_prepared(self.prepared)
        elif self.report is not None:
            from pipeline.contract import report_record

            store.save(self.report, report_record(self.report))

    @property
    def error_record(self) -> dict[str, Any]:
        from pipeline.contract import error_record

        assert self.error is not None
        return error_record(self.source, self.error, self.lang)


def discover(
    folder: Path, exclude: Iterable[Path] = (), follow_symlinks: bool = False,
    skipped: list[tuple[Path, str]] | None = None,
) -> list[Path]:
    """Supported files under `folder`, sorted; hidden entries, the paths in `exclude` and the
    patterns of `.daihoiignore` files (one glob per line, "dir/" for a folder) are skipped.

    A symbolic link whose target lies outside `folder` (a link to /etc/passwd dropped into a
    shared folder) is not followed unless `follow_symlinks`; each one skipped is appended to
    `skipped` as (link, target) so the caller can say so."""
    excluded = {p.resolve() for p in exclude}
    root_real = folder.resolve()
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=follow_symlinks):
        here = Path(root)
        patterns = _ignore_patterns(here)
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or _ignored(d + "/", patterns):
                continue
            if not follow_symlinks and not _inside(here / d, root_real, skipped):
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if (
                name.startswith(".")
                or _ignored(name, patterns)
                or path.suffix.lower() not in SUPPORTED_SUFFIXES
                or path.resolve() in excluded
            ):
                continue
            if not follow_symlinks and not _inside(path, root_real, skipped):
                continue
            if not path.is_file():  # a FIFO or device would block whoever reads it
                continue
            found.append(path)
    return found


def _inside(path: Path, root_real: Path, skipped: list[tuple[Path, str]] | None) -> bool:
    """Does `path` (a link or not) lead to something inside the input folder?"""
    if not path.is_symlink():
        return True
    target = path.resolve()
    if target == root_real or root_real in target.parents:
        return True
    if skipped is not None:
        skipped.append((path, str(target)))
    return False


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
    *,
    engine: str = "auto",
    timeout: float | None = None,
    ordered: bool = True,
    scheduler: str | None = None,
    parquet_dir: Path | None = None,
    batch_size: int | None = None,
    executor: Executor | None = None,
    want: str = "report",
) -> Iterator[FileResult]:
    """Results for `paths`. `skip(source, sha256)` says a file is already analysed (it is then
    reported as unchanged without being read); `overrides` are metadata the user gave for every
    file (`--unit`, `--term`, ...).

    `engine`: "serial" (this process), "process" (`jobs` worker processes), "dask" (a Dask
    cluster at `scheduler`, or a LocalCluster of `jobs` workers; each batch also written to
    `parquet_dir`, whose finished files are skipped), "auto" (serial for one job or one file,
    else process). `timeout`: seconds per document (None: grows with the file's size).
    `ordered=False` yields each result as soon as it is ready (what `run` stores), True in
    input order (what `analyze` prints). `executor`: one the caller made (and closes).
    `want="store"`: each result carries only the store's rows, prepared in the worker
    (`FileResult.prepared`, written by `FileResult.save_to`), not the report: the process that
    writes the store then does no per-document work beyond SQL (`daihoi run`)."""
    if want not in WANTS:
        raise ValueError(f"want={want!r}: one of {', '.join(WANTS)}")
    owned = executor is None
    wanted = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if executor is None and paths and (
            engine == "process" or (engine == "auto" and wanted > 1)):
        # The analysis processes load their models while the files are hashed below.
        executor = make_executor("process", wanted)
    warm = getattr(executor, "warm", None)
    if warm is not None:
        warm()
    try:
        done = _parquet_done(parquet_dir) if engine == "dask" else {}
        todo: list[Job] = []
        ready: dict[int, FileResult] = {}
        for i, path in enumerate(paths):
            digest = _sha_or_none(path) if (skip is not None or done) else None
            if digest is not None and (
                (skip is not None and skip(str(path), digest)) or done.get(str(path)) == digest
            ):
                ready[i] = FileResult(str(path), unchanged=True, lang=lang)
            else:
                todo.append(Job(i, str(path), default_timeout(path, limits, timeout), want))
    except BaseException:
        if owned and executor is not None:
            executor.close()
        raise
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if engine == "auto":
        engine = "serial" if workers == 1 else "process"
    if owned and executor is not None and (engine != "process" or not todo):
        executor.close()  # warmed for nothing: every file was already stored
        executor = None
    if executor is None:
        executor = make_executor(engine, workers, scheduler=scheduler, batch_size=batch_size)
        if engine == "dask":
            executor.parquet_dir = parquet_dir  # type: ignore[attr-defined]
    try:
        if not ordered:
            for i in sorted(ready):
                yield ready.pop(i)
        next_index = 0
        for job, outcome in (executor.run(todo, limits, overrides) if todo else ()):
            result = _to_result(job.path, outcome, lang)
            if not ordered:
                yield result
                continue
            ready[job.index] = result
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1
        while next_index in ready:
            yield ready.pop(next_index)
            next_index += 1
    finally:
        if owned:
            executor.close()


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None


def _parquet_done(folder: Path | None) -> dict[str, str]:
    from pipeline.engine.parquet import done_files

    return done_files(folder) if folder is not None else {}


def _to_result(path: str, outcome: Outcome, lang: str) -> FileResult:
    if outcome.ok:
        return FileResult(path, report=outcome.report, lang=lang, seconds=outcome.seconds,
                          prepared=outcome.prepared, cpu=outcome.cpu)
    return FileResult(path, error=IngestError(outcome.code or "analysis_failed", **outcome.params),
                      lang=lang, seconds=outcome.seconds)
