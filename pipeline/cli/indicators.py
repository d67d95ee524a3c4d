"""`daihoi indicators FILE|DIR [--json] [--csv]`: the indicators of reports, one row each (unit,
key, subject, value, measure, kind, period, section), then the findings on totals and targets.

`--json` writes one JSON line per indicator, `--csv` one CSV row; both carry the file, the
unit's metadata and every `Indicator` field. The metadata options (--unit, --term, ...) apply to
every file read, over what the text and any sidecar say.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from pipeline.cli.common import Parents
from pipeline.errors import DaihoiError
from pipeline.extract.metadata import add_metadata_options, overrides_from_args
from pipeline.i18n import message
from pipeline.model import Indicator, Report

FINDING_KINDS = ("total_mismatch", "target_not_met")
CSV_FIELDS = ["source", "meta_unit", "meta_term"] + [f.name for f in fields(Indicator)]


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    """Add the `indicators` command to the `daihoi` parser."""
    p = subparsers.add_parser("indicators", parents=[parents.reading],
                              help=message("indicators.help", lang))
    p.add_argument("path", metavar="FILE|DIR")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON line per indicator")
    out.add_argument("--csv", action="store_true", help="CSV, one row per indicator")
    add_metadata_options(p)
    p.set_defaults(func=cmd_indicators)


def cmd_indicators(args: argparse.Namespace) -> int:
    from pipeline.analysis import analyze
    from pipeline.batch import discover
    from pipeline.ingest.limits import Limits

    err = Console(stderr=True, soft_wrap=True)
    target = Path(args.path)
    if not target.exists():
        err.print(message("indicators.not_found", args.lang, path=target), highlight=False)
        return 2
    paths = discover(target) if target.is_dir() else [target]
    limits = Limits.from_args(args)
    overrides = overrides_from_args(args)
    writer = csv.DictWriter(sys.stdout, CSV_FIELDS) if args.csv else None
    if writer is not None:
        writer.writeheader()
    failed = False
    # Piped output is not a terminal: do not squeeze the table into 80 columns.
    out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
    for path in paths:
        try:
            report = analyze(path, limits, overrides=overrides)
        except DaihoiError as exc:
            failed = True
            err.print(f"[red]✗ {path}[/red]: {exc.message(args.lang)}", highlight=False)
            continue
        except ValueError as exc:  # a bad --date
            err.print(f"[red]✗ {path}[/red]: {exc}", highlight=False)
            return 2
        for ind in report.indicators:
            record = indicator_record(report, ind)
            if args.json:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif writer is not None:
                writer.writerow({k: record.get(k) for k in CSV_FIELDS})
        if not args.json and not args.csv:
            print_indicators(out, report, args.lang)
    return 1 if failed else 0


def indicator_record(report: Report, ind: Indicator) -> dict[str, Any]:
    return {"source": report.document.source, "meta_unit": report.meta.unit,
            "meta_term": report.meta.term, **asdict(ind)}


def format_value(ind: Indicator) -> str:
    """Vietnamese style: 46.250.000; 76,2; 3–4; 10/10."""
    def one(v: float) -> str:
        if float(v).is_integer():
            return f"{int(v):,}".replace(",", ".")
        return f"{v:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",") \
            .replace(" ", ".")

    if ind.unit == "ratio" and ind.value_max is not None:
        return f"{one(ind.value)}/{one(ind.value_max)}"
    if ind.value_max is not None:
        return f"{one(ind.value)}–{one(ind.value_max)}"
    return one(ind.value)


def print_indicators(console: Console, report: Report, lang: str) -> None:
    meta = report.meta
    console.print(f"[bold]{report.document.source}[/bold]  {meta.unit or '?'} · "
                  f"{meta.term or '?'} · {meta.doc_type or '?'}", highlight=False)
    if not report.indicators:
        console.print("  " + message("indicators.none", lang, path=report.document.source),
                      highlight=False)
    else:
        table = RichTable(show_lines=False)
        for key in ("unit", "key", "subject", "value", "measure", "kind", "period", "section"):
            table.add_column(message(f"indicators.col.{key}", lang), overflow="fold")
        for ind in report.indicators:
            table.add_row(
                meta.unit or "", ind.key or "", ind.subject, format_value(ind),
                ind.unit_text if ind.unit_text and ind.unit != "%" else ind.unit,
                message(f"indicators.kind.{ind.kind}", lang), ind.period or "",
                ind.section or ind.where,
            )
        console.print(table)
    for f in report.findings:
        if f.kind in FINDING_KINDS:
            text = f.message if lang == "vi" else f.details.get("message_en", f.message)
            console.print(f"  [yellow]⚠ {text.replace('[', chr(92) + '[')}[/yellow]",
                          highlight=False)
    console.print()
