"""`daihoi refs FILE|DIR... [--json] [--csv]`: reads each file and prints one row per cited id
(id, type, dates, body, count, where), or one JSON line / CSV row per mention.
(`daihoi registry` is in pipeline/cli/corpus.py.)"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import (
    Parents,
    add_paths_argument,
    console,
    expand_paths,
    limits_from_args,
    shown,
)
from pipeline.i18n import message

if TYPE_CHECKING:
    from pipeline.model import Reference


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    """Add the `refs` command to the `daihoi` parser."""
    p = subparsers.add_parser("refs", parents=[parents.reading], help=message("refs.help", lang),
                              description=message("refs.help", lang))
    add_paths_argument(p, lang)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=message("cli.opt.refs.json", lang))
    out.add_argument("--csv", action="store_true", help=message("cli.opt.refs.csv", lang))
    p.set_defaults(func=cmd_refs)



# -- refs ------------------------------------------------------------------------------------


def cmd_refs(args: argparse.Namespace) -> int:
    from pipeline.errors import DaihoiError
    from pipeline.extract.references import document_references
    from pipeline.ingest import load
    from pipeline.model import Reference

    err = console(stderr=True)
    paths, missing = expand_paths(args.paths, args.lang)
    if missing == len(args.paths):
        return 2
    target = args.paths[0] if len(args.paths) == 1 else ", ".join(args.paths)
    limits = limits_from_args(args)
    found: list[tuple[str, Reference]] = []
    failed = False
    fields = ["source"] + [f.name for f in dataclasses.fields(Reference)]
    writer = csv.DictWriter(sys.stdout, fields) if args.csv else None
    if writer is not None:
        writer.writeheader()
    for path in paths:
        try:
            refs = document_references(load(path, limits))
        except DaihoiError as exc:
            failed = True
            err.print(f"[red]✗ {shown(path)}[/red]: {shown(exc.message(args.lang))}")
            continue
        for ref in refs:
            record = {"source": str(path), **dataclasses.asdict(ref)}
            if args.json:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif writer is not None:
                writer.writerow(record)
            else:
                found.append((str(path), ref))
    if not args.json and not args.csv:
        _print_refs(found, target, args.lang, several=len(paths) > 1)
    return 1 if failed or missing else 0


def _print_refs(found: list[tuple[str, Reference]], target: str, lang: str, several: bool) -> None:
    from rich.table import Table

    out = console()
    if not found:
        out.print(shown(message("refs.none", lang, path=target)))
        return
    groups: dict[str, list[tuple[str, Reference]]] = {}
    for source, ref in found:
        groups.setdefault(ref.id, []).append((source, ref))
    table = Table(show_lines=False)
    for key in ("id", "type", "date", "body", "count", "where"):
        table.add_column(message(f"refs.col.{key}", lang), overflow="fold")
    for ref_id, items in groups.items():
        refs = [r for _, r in items]
        dates = sorted({r.date or str(r.year) for r in refs if r.date or r.year})
        bodies = Counter(r.body for r in refs if r.body)
        names = Counter(r.type_name or r.type for r in refs if r.type_name or r.type)
        places = Counter(f"{Path(s).name}:{r.where}" if several else r.where for s, r in items)
        table.add_row(*(shown(cell) for cell in (
            ref_id,
            names.most_common(1)[0][0] if names else "",
            ", ".join(dates),
            bodies.most_common(1)[0][0] if bodies else "",
            str(len(refs)),
            ", ".join(f"{w} ×{n}" if n > 1 else w for w, n in places.items()),
        )))
    out.print(table)
