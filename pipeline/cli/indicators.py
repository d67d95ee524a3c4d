"""`daihoi indicators FILE|DIR... [--json] [--csv]`: the indicators of reports, one row each (unit,
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
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import (
    Parents,
    add_metadata_options,
    add_paths_argument,
    console,
    expand_paths,
    limits_from_args,
    overrides_from_args,
    shown,
)
from pipeline.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from pipeline.model import Indicator, Report

FINDING_KINDS = ("total_mismatch", "target_not_met")


def csv_fields() -> list[str]:
    from dataclasses import fields

    from pipeline.model import Indicator

    return ["source", "meta_unit", "meta_term"] + [f.name for f in fields(Indicator)]


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    """Add the `indicators` command to the `daihoi` parser."""
    p = subparsers.add_parser("indicators", parents=[parents.reading],
                              help=message("indicators.help", lang),
                              description=message("indicators.help", lang))
    add_paths_argument(p, lang)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true",
                     help=message("cli.opt.indicators.json", lang))
    out.add_argument("--csv", action="store_true", help=message("cli.opt.indicators.csv", lang))
    add_metadata_options(p, lang)
    p.set_defaults(func=cmd_indicators)


def cmd_indicators(args: argparse.Namespace) -> int:
    from pipeline.analysis import analyze
    from pipeline.errors import DaihoiError

    err = console(stderr=True)
    paths, missing = expand_paths(args.paths, args.lang)
    if missing and not paths:
        return 2
    limits = limits_from_args(args)
    overrides = overrides_from_args(args)
    fields = csv_fields()
    writer = csv.DictWriter(sys.stdout, fields) if args.csv else None
    if writer is not None:
        writer.writeheader()
    failed = bool(missing)
    # Piped output is not a terminal: do not squeeze the table into 80 columns.
    out = console(width=None if sys.stdout.isatty() else 200)
    for path in paths:
        try:
            report = analyze(path, limits, overrides=overrides)
        except DaihoiError as exc:
            failed = True
            err.print(f"[red]✗ {shown(path)}[/red]: {shown(exc.message(args.lang))}")
            continue
        except ValueError as exc:  # a bad --date
            err.print(f"[red]✗ {shown(path)}[/red]: {shown(exc)}")
            return 2
        for ind in report.indicators:
            record = indicator_record(report, ind)
            if args.json:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif writer is not None:
                writer.writerow({k: record.get(k) for k in fields})
        if not args.json and not args.csv:
            print_indicators(out, report, args.lang)
    return 1 if failed else 0


def indicator_record(report: Report, ind: Indicator) -> dict[str, Any]:
    from dataclasses import asdict

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


def print_indicators(out: Console, report: Report, lang: str) -> None:
    from rich.table import Table

    meta = report.meta
    out.print(f"[bold]{shown(report.document.source)}[/bold]  {shown(meta.unit or '?')} · "
              f"{shown(meta.term or '?')} · {meta.doc_type or '?'}")
    if not report.indicators:
        out.print("  " + shown(message("indicators.none", lang, path=report.document.source)))
    else:
        table = Table(show_lines=False)
        for key in ("unit", "key", "subject", "value", "measure", "kind", "period", "section"):
            table.add_column(message(f"indicators.col.{key}", lang), overflow="fold")
        for ind in report.indicators:
            table.add_row(*(shown(cell) for cell in (
                meta.unit or "", ind.key or "", ind.subject, format_value(ind),
                ind.unit_text if ind.unit_text and ind.unit != "%" else ind.unit,
                message(f"indicators.kind.{ind.kind}", lang), ind.period or "",
                ind.section or ind.where,
            )))
        out.print(table)
    for f in report.findings:
        if f.kind in FINDING_KINDS:
            text = f.message if lang == "vi" else f.details.get("message_en", f.message)
            out.print(f"  [yellow]⚠ {shown(text)}[/yellow]")
    out.print()
