"""`daihoi refs` and `daihoi registry`: the references of files, and the registry of documents.

`daihoi refs FILE|DIR [--json] [--csv]` reads each file and prints one row per cited id (id,
type, dates, body, count, where), or one JSON line / CSV row per mention.
`daihoi registry [--db PATH] [--json]` lists every id of the curated registry and of the corpus
store with how often and with which dates the corpus cites it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from collections import Counter
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from pipeline.errors import DaihoiError
from pipeline.extract.references import document_references
from pipeline.extract.registry import Citations, corpus_citations, default_registry
from pipeline.i18n import message
from pipeline.model import Reference

DEFAULT_DB = Path("corpus/daihoi.db")  # where `daihoi run` writes the store
CSV_FIELDS = ["source"] + [f.name for f in fields(Reference)]


def register(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    lang: str,
) -> None:
    """Add the `refs` and `registry` commands to the `daihoi` parser."""
    p = subparsers.add_parser("refs", parents=[common], help=message("refs.help", lang))
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON line per reference")
    out.add_argument("--csv", action="store_true", help="CSV, one row per reference")
    p.set_defaults(func=cmd_refs)

    p = subparsers.add_parser("registry", parents=[common], help=message("registry.help", lang))
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite store (corpus/daihoi.db)")
    p.add_argument("--json", action="store_true", help="one JSON line per id")
    p.set_defaults(func=cmd_registry)


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


# -- registry ----------------------------------------------------------------------------------


def cmd_registry(args: argparse.Namespace) -> int:
    err = Console(stderr=True, soft_wrap=True)
    citations: dict[str, Citations] = {}
    try:
        citations = corpus_citations(args.db)
    except FileNotFoundError:
        err.print(message("registry.no_store", args.lang, path=args.db), highlight=False)
    except sqlite3.Error as exc:
        err.print(message("registry.bad_store", args.lang, path=args.db, detail=exc),
                  highlight=False)
        return 2
    rows = registry_rows(citations)
    if args.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    table = RichTable(show_lines=False)
    for key in ("id", "type", "registry_date", "replaced_by", "count", "documents",
                "cited_dates"):
        table.add_column(message(f"refs.col.{key}", args.lang), overflow="fold")
    for row in rows:
        table.add_row(
            row["id"],
            row["type"] or "",
            ", ".join(e["date"] or "?" for e in row["registry"]),
            ", ".join(sorted({e["replaced_by"] for e in row["registry"] if e["replaced_by"]})),
            str(row["count"]),
            str(row["documents"]),
            ", ".join(f"{d} ×{n}" for d, n in row["cited_dates"].items()),
        )
    Console(soft_wrap=True).print(table)
    return 0


def registry_rows(citations: dict[str, Citations]) -> list[dict[str, Any]]:
    """One row per id of the curated registry or the corpus: registry entries and citations,
    the most cited first."""
    registry = default_registry()
    ids = list(dict.fromkeys(registry.ids + list(citations)))
    rows = []
    for ref_id in ids:
        entries = registry.by_id(ref_id)
        cited = citations.get(ref_id, Citations(ref_id))
        rows.append({
            "id": ref_id,
            "kind": entries[0].kind if entries else cited.kind,
            "type": (entries[0].name or entries[0].type) if entries else cited.type,
            "registry": [
                {"date": e.date, "body": e.body, "term": e.term, "title": e.title,
                 "replaced_by": e.replaced_by, "source": e.source}
                for e in entries
            ],
            "count": cited.count,
            "documents": cited.documents,
            "cited_dates": dict(sorted(cited.dates.items(), key=lambda kv: (-kv[1], kv[0]))),
        })
    rows.sort(key=lambda r: (-r["count"], r["id"]))
    return rows
