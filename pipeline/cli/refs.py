"""`daihoi refs FILE|DIR... [--json] [--csv]`: reads each file and prints one row per cited id
(id, type, dates, body, count, where), or one JSON line / CSV row per mention.
(`daihoi registry` is in pipeline/cli/corpus.py.)"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from pipeline.cli.common import Parents
from pipeline.errors import DaihoiError
from pipeline.extract.references import document_references
from pipeline.i18n import message
from pipeline.model import Reference

CSV_FIELDS = ["source"] + [f.name for f in fields(Reference)]


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    """Add the `refs` command to the `daihoi` parser."""
    p = subparsers.add_parser("refs", parents=[parents.reading], help=message("refs.help", lang))
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON line per reference")
    out.add_argument("--csv", action="store_true", help="CSV, one row per reference")
    p.set_defaults(func=cmd_refs)



# -- refs ------------------------------------------------------------------------------------


def cmd_refs(args: argparse.Namespace) -> int:
    from pipeline.batch import discover
    from pipeline.ingest import load
    from pipeline.ingest.limits import Limits

    err = Console(stderr=True, soft_wrap=True)
    targets = [Path(p) for p in args.paths]
    missing = [t for t in targets if not t.exists()]
    for t in missing:
        err.print(message("refs.not_found", args.lang, path=t), highlight=False)
    if len(missing) == len(targets):
        return 2
    paths = [p for t in targets if t.exists() for p in (discover(t) if t.is_dir() else [t])]
    target = targets[0] if len(targets) == 1 else Path(", ".join(args.paths))
    limits = Limits.from_args(args)
    found: list[tuple[str, Reference]] = []
    failed = False
    writer = csv.DictWriter(sys.stdout, CSV_FIELDS) if args.csv else None
    if writer is not None:
        writer.writeheader()
    for path in paths:
        try:
            refs = document_references(load(path, limits))
        except DaihoiError as exc:
            failed = True
            err.print(f"[red]✗ {path}[/red]: {exc.message(args.lang)}", highlight=False)
            continue
        for ref in refs:
            record = {"source": str(path), **asdict(ref)}
            if args.json:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif writer is not None:
                writer.writerow(record)
            else:
                found.append((str(path), ref))
    if not args.json and not args.csv:
        _print_refs(found, target, args.lang, several=len(paths) > 1)
    return 1 if failed or missing else 0


def _print_refs(found: list[tuple[str, Reference]], target: Path, lang: str, several: bool) -> None:
    out = Console(soft_wrap=True)
    if not found:
        out.print(message("refs.none", lang, path=target), highlight=False)
        return
    groups: dict[str, list[tuple[str, Reference]]] = {}
    for source, ref in found:
        groups.setdefault(ref.id, []).append((source, ref))
    table = RichTable(show_lines=False)
    for key in ("id", "type", "date", "body", "count", "where"):
        table.add_column(message(f"refs.col.{key}", lang), overflow="fold")
    for ref_id, items in groups.items():
        refs = [r for _, r in items]
        dates = sorted({r.date or str(r.year) for r in refs if r.date or r.year})
        bodies = Counter(r.body for r in refs if r.body)
        names = Counter(r.type_name or r.type for r in refs if r.type_name or r.type)
        places = Counter(f"{Path(s).name}:{r.where}" if several else r.where for s, r in items)
        table.add_row(
            ref_id,
            names.most_common(1)[0][0] if names else "",
            ", ".join(dates),
            bodies.most_common(1)[0][0] if bodies else "",
            str(len(refs)),
            ", ".join(f"{w} ×{n}" if n > 1 else w for w, n in places.items()),
        )
    out.print(table)
