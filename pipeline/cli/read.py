"""`daihoi analyze FILE|DIR...` (a summary per file, or the JSON contract) and `daihoi run DIR`
(every report of a folder into the SQLite store)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import (
    DEFAULT_DB,
    Parents,
    add_metadata_options,
    add_paths_argument,
    console,
    expand_paths,
    limits_from_args,
    overrides_from_args,
    shown,
    visible,
)
from pipeline.cli.engine import add_engine_options, engine_options
from pipeline.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from pipeline.batch import EngineOptions, FileResult
    from pipeline.ingest.limits import Limits


def register(sub: Any, parents: Parents, lang: str) -> None:
    """Add `analyze` and `run`."""
    p = sub.add_parser("analyze", parents=[parents.reading], help=message("cli.analyze.help", lang),
                       description=message("cli.analyze.help", lang))
    add_paths_argument(p, lang)
    p.add_argument("--json", action="store_true", help=message("cli.opt.analyze.json", lang))
    add_metadata_options(p, lang)
    p.set_defaults(func=_analyze)

    p = sub.add_parser("run", parents=[parents.reading], help=message("cli.run.help", lang),
                       description=message("cli.run.help", lang))
    p.add_argument("paths", nargs="*", default=["corpus"], metavar="DIR|FILE",
                   help=message("cli.opt.run.dir", lang))
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=message("cli.opt.run.db", lang))
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help=message("cli.opt.run.jobs", lang))
    p.add_argument("--force", action="store_true", help=message("cli.opt.run.force", lang))
    add_engine_options(p, lang)
    add_metadata_options(p, lang)
    p.set_defaults(func=_run)


def _analyze(args: argparse.Namespace) -> int:
    files, _ = expand_paths(args.paths, args.lang, keep_missing=True)
    return cmd_analyze([str(f) for f in files], args.json, args.lang, limits_from_args(args),
                       overrides_from_args(args))


def _run(args: argparse.Namespace) -> int:
    return cmd_run([Path(p) for p in args.paths], args.db, args.lang, limits_from_args(args),
                   args.jobs, args.force, overrides_from_args(args), engine_options(args))


def cmd_analyze(
    files: list[str], as_json: bool, lang: str, limits: Limits,
    overrides: dict[str, Any] | None = None,
) -> int:
    from pipeline.batch import analyze_files
    from pipeline.contract import report_record

    out = console()
    err = console(stderr=True)
    failed = False
    # Results arrive in input order, one at a time, so a long batch streams.
    for result in analyze_files([Path(f) for f in files], limits, lang, jobs=1,
                                overrides=overrides):
        if result.error is not None:
            failed = True
        if as_json:
            record = result.error_record if result.error else report_record(result.report)
            _write_line(json.dumps(record, ensure_ascii=False))
            if result.error is not None:
                err.print(f"[red]{shown(result.error.message(lang))}[/red]")
        elif result.error is not None:
            err.print(f"[bold red]✗ {shown(result.source)}[/bold red]\n"
                      f"  {shown(result.error.message(lang))}")
        else:
            _print_summary(out, result, lang)
    return 1 if failed else 0


def _write_line(line: str, piece: int = 1 << 20) -> None:
    """One JSON line, written a piece at a time: a long document's line is never copied
    whole again (with its newline, or encoded to bytes at once; issue 16)."""
    for start in range(0, len(line), piece):
        sys.stdout.write(line[start:start + piece])
    sys.stdout.write("\n")
    sys.stdout.flush()


def _print_summary(out: Console, result: FileResult, lang: str) -> None:
    doc = result.report.document
    # Block by block: no list of every word of a long document at once.
    words = sum(len(b.text.split()) for b in doc.blocks)
    out.print(f"[bold]{shown(doc.source)}[/bold]  ({doc.format}, sha256 {doc.sha256[:12]}…)")
    facts = [
        (message("cli.col.pages", lang), doc.pages if doc.pages is not None else "-"),
        (message("cli.col.paragraphs", lang), len(doc.blocks)),
        (message("cli.col.tables", lang), len(doc.tables)),
        (message("cli.col.footnotes", lang), len(doc.footnotes)),
        (message("cli.col.words", lang), words),
    ]
    out.print("  " + " · ".join(f"{k}: {v}" for k, v in facts))
    running = _running_summary(doc.page_headers + doc.page_footers, lang)
    if running:
        out.print(f"  {message('cli.summary.running', lang)}: {shown(running)}")
    report = result.report
    meta = report.meta
    kinds: dict[str, int] = {}
    for f in report.findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    facts = [
        (message("cli.col.doc_type", lang), f"{meta.doc_type} ({meta.doc_type_confidence})"),
        (message("cli.col.headings", lang), len(report.headings)),
        (message("cli.col.references", lang), len(report.references)),
        (message("cli.col.findings", lang),
         ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "0"),
    ]
    out.print("  " + " · ".join(f"{k}: {shown(v)}" for k, v in facts))
    if doc.properties.get("legacy_encoding"):
        out.print(f"  {message('cli.summary.legacy', lang)}: "
                  f"{shown(doc.properties['legacy_encoding'])}")
    out.print(f"  {message('cli.summary.preview', lang)}:")
    for block in doc.blocks[:4]:
        text = block.text if len(block.text) <= 110 else block.text[:109] + "…"
        out.print(f"    [dim]│[/dim] {shown(text)}")
    out.print()


def _running_summary(lines: list[str], lang: str) -> str:
    """Running headers/footers once each, page numbers as one item ("DỰ THẢO", page numbers)."""
    items: list[str] = []
    numbers = False
    for line in lines:
        if re.fullmatch(r"[-–\s]*(?:Trang\s*)?\d+(?:\s*/\s*\d+)?[-–\s]*", line, re.I):
            numbers = True
        elif f"“{line}”" not in items:
            items.append(f"“{line}”")
    if numbers:
        items.append(message("cli.summary.page_numbers", lang))
    return ", ".join(items[:5])


def cmd_run(
    folder: Path | list[Path], db: Path, lang: str, limits: Limits, jobs: int | None, force: bool,
    overrides: dict[str, Any] | None = None, options: EngineOptions | None = None,
) -> int:
    from pipeline.batch import EngineOptions, discover
    from pipeline.engine.dask_executor import EngineError
    from pipeline.engine.signals import Stopped, stopped_cleanly
    from pipeline.store.database import Store, StoreError, store_errors

    err = console(stderr=True)
    out = console()  # long paths stay on one line, copy-paste friendly
    targets = [folder] if isinstance(folder, Path) else list(folder)
    missing = [t for t in targets if not t.exists()]
    for target in missing:
        err.print(shown(message("cli.not_found", lang, path=target)))
    if missing:
        return 2
    options = options or EngineOptions()
    skipped: list[tuple[Path, str]] = []
    files: list[Path] = []
    for target in targets:  # folders walked, files taken as named, each file once
        found = discover(target, exclude=[db], follow_symlinks=options.follow_symlinks,
                         skipped=skipped) if target.is_dir() else [target]
        files.extend(f for f in found if f not in files)
    # Table rows are named relative to the one folder given (printed below the table).
    folder = targets[0] if len(targets) == 1 and targets[0].is_dir() else Path(".")
    for link, target in skipped:
        err.print(shown(message("engine.symlink_skipped", lang, path=link, target=target)))
    if not files:
        err.print(shown(message("cli.run.none_found", lang, path=folder)))
        return 1
    try:
        store = Store(db)
    except StoreError as exc:
        err.print(shown(exc.message(lang)))
        return 2

    results: list[FileResult] = []

    def say_stopped(name: str) -> None:
        stored = sum(r.report is not None for r in results)
        err.print(shown(message("engine.interrupted", lang, signal=name, stored=stored,
                                left=len(files) - len(results))))

    try:
        counts = _analyze_into_store(store, files, limits, lang, jobs, force, overrides,
                                     results, err, store_errors(db), options, say_stopped)
    except EngineError as exc:  # e.g. the scheduler cannot be reached: nothing was analysed
        err.print(shown(exc.message(lang)))
        return 2
    except Stopped as exc:  # Ctrl-C, SIGTERM, SIGHUP: the workers are already stopped
        say_stopped(exc.name)
        stopped_cleanly()
        return 130
    except StoreError as exc:
        # The store broke or got locked mid-run: documents saved so far stay (one transaction
        # each); say what happened instead of a traceback.
        err.print(shown(exc.message(lang)))
        return 2
    _report_run(out, err, results, lang, folder, db, counts)
    return 1 if any(r.error is not None for r in results) else 0


def _analyze_into_store(
    store: Any, files: list[Path], limits: Limits, lang: str, jobs: int | None, force: bool,
    overrides: dict[str, Any] | None, results: list[FileResult], err: Console, guard: Any,
    options: EngineOptions, say_stopped: Callable[[str], None],
) -> dict[str, int]:
    from contextlib import closing

    from pipeline.batch import analyze_files
    from pipeline.engine.progress import run_progress
    from pipeline.engine.signals import stop_on_signals

    # Progress (documents/s, time left) is the same for every engine; names are shown as
    # written (the column does not read markup).
    with stop_on_signals(say_stopped), guard, store, run_progress(
            err, message("cli.progress", lang)) as progress:
        task = progress.add_task("run", total=len(files), name="")
        skip = None if force else store.is_current
        # Each result is stored as soon as its document is done, not in input order; closing
        # the stream on any exit (Ctrl-C, SIGTERM, an error) stops the workers. The workers
        # prepare each document's rows (`want="store"`): this process only writes them.
        with closing(analyze_files(
            files, limits, lang, jobs=jobs, skip=skip, overrides=overrides,
            engine=options.engine, timeout=options.timeout, ordered=False,
            scheduler=options.scheduler, parquet_dir=options.parquet_dir,
            batch_size=options.batch_size, want="store",
        )) as stream:
            for result in stream:
                result.save_to(store)
                results.append(result.slim())  # counts only: memory stays flat
                progress.update(task, advance=1, name=visible(Path(result.source).name))
        return store.counts()


def _report_run(
    out: Console, err: Console, results: list[FileResult], lang: str, folder: Path, db: Path,
    counts: dict[str, int],
) -> None:
    _print_run_table(out, results, lang, folder)
    ok = sum(1 for r in results if r.report is not None)
    errors = [r for r in results if r.error is not None]
    unchanged = sum(1 for r in results if r.unchanged)
    pages = sum((r.report.document.pages or 0) for r in results if r.report is not None)
    out.print(shown(message("cli.run.totals", lang, ok=ok, unchanged=unchanged,
                            errors=len(errors), pages=pages)))
    if errors:
        err.print(shown(message("cli.run.errors_title", lang)))
        for r in errors:
            err.print(f"  [red]✗[/red] {shown(r.source)}: {shown(r.error.message(lang))}")
    out.print(shown(message("cli.run.stored", lang, path=db.resolve(),
                            documents=counts["documents"],
                            files=counts.get("files", counts["documents"]), blocks=counts["blocks"],
                            tables=counts["doc_tables"], footnotes=counts["footnotes"])))


def _print_run_table(out: Console, results: list[FileResult], lang: str, folder: Path) -> None:
    from rich.table import Table

    t = Table(show_lines=False)
    for key in ("file", "status", "format", "pages", "paragraphs", "tables", "footnotes"):
        # File names stay on one line; in a narrow terminal they are cut with an ellipsis.
        t.add_column(message(f"cli.col.{key}", lang), no_wrap=key in ("file", "status"),
                     overflow="ellipsis" if key == "file" else "fold",
                     max_width=max(20, out.width - 62) if key == "file" else None)
    # Past a few dozen files a row per file drowns the summary: errors are listed anyway.
    listed = results if len(results) <= 60 else [r for r in results if r.error]
    for r in listed:
        name = shown(_relative(r.source, folder))  # shorter rows: the folder is printed below
        if r.report is not None:
            d = r.report.document
            t.add_row(name, message("cli.status.ok", lang), d.format, str(d.pages or "-"),
                      str(len(d.blocks)), str(len(d.tables)), str(len(d.footnotes)))
        elif r.unchanged:
            t.add_row(name, message("cli.status.unchanged", lang), "", "", "", "", "")
        else:
            t.add_row(name, f"[red]{message('cli.status.error', lang)}[/red]",
                      r.error.code if r.error else "", "", "", "", "")
    out.print(t)


def _relative(source: str, folder: Path) -> str:
    try:
        return str(Path(source).relative_to(folder))
    except ValueError:
        return source
