"""Commands over the corpus store.

`daihoi search "QUERY"`: paragraphs of the corpus that contain every word of the query,
ignoring case and diacritics; exact matches first. `--kwic` prints keyword-in-context lines.
`daihoi registry [--db PATH] [--json]` lists every id of the curated registry and of the corpus
store with how often and with which dates the corpus cites it."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.extract.registry import Citations, corpus_citations, default_registry
from pipeline.i18n import message
from pipeline.store.database import Store, store_errors
from pipeline.store.search import DEFAULT_LIMIT, RANK_LIMIT, Filters, count, kwic, search


def register(sub: Any, parents: Parents, lang: str) -> None:
    """Add `search` and `registry`."""
    p = sub.add_parser("search", parents=[parents.common], help=message("cli.search.help", lang))
    p.add_argument("query", metavar="QUERY")
    add_db_option(p)
    p.add_argument("--unit", help="part of the unit name (any case or accents)")
    p.add_argument("--term", help="nhiệm kỳ, e.g. 2020-2025")
    p.add_argument("--section", help="section label and its children, e.g. party_building")
    p.add_argument("--doc-type", dest="doc_type", help="political_report, speech, news, ...")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    p.add_argument("--kwic", action="store_true", help="keyword-in-context lines")
    p.add_argument("--window", type=int, default=6, help="words each side for --kwic")
    p.add_argument("--json", action="store_true", help="JSON Lines, one hit per line")
    p.set_defaults(func=run)

    p = sub.add_parser("registry", parents=[parents.common], help=message("registry.help", lang))
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="one JSON line per id")
    p.set_defaults(func=cmd_registry)


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    filters = Filters(unit=args.unit, term=args.term, section=args.section,
                      doc_type=args.doc_type)
    with Store(args.db, create=False) as store, store_errors(args.db):
        if args.kwic:
            return _print_kwic(kwic(store.conn, args.query, filters, args.window, args.limit),
                               args)
        hits = search(store.conn, args.query, filters, max(1, args.limit))
        total = count(store.conn, args.query, filters) if hits else 0
    if args.json:
        for h in hits:
            sys.stdout.write(json.dumps({
                "source": h.source, "unit": h.unit, "term": h.term, "doc_type": h.doc_type,
                "section": h.section, "paragraph": h.idx, "exact": h.exact,
                "score": round(h.score, 4), "ranked": h.ranked, "spans": h.spans,
                "text": h.text,
            }, ensure_ascii=False) + "\n")
        return 0
    if not hits:
        say("cli.search.none", args.lang, query=args.query)
        return 0
    table = Table(show_lines=True)
    for key in ("file", "unit", "section", "text"):
        table.add_column(message(f"cli.search.col.{key}", args.lang), overflow="fold")
    for h in hits:
        snippet = escape(h.snippet(90, ("\0", "\1"))).replace("\0", "[bold yellow]") \
            .replace("\1", "[/bold yellow]")
        unit = " ".join(x for x in (h.unit or "", h.term or "") if x)
        table.add_row(h.source.rsplit("/", 1)[-1], escape(unit), h.section or "", snippet)
    Console(soft_wrap=True).print(table)
    say("cli.search.count", args.lang, shown=len(hits), total=total)
    if not all(h.ranked for h in hits):
        say("cli.search.unranked", args.lang, limit=f"{RANK_LIMIT:,}")
    return 0


def _print_kwic(frame: Any, args: argparse.Namespace) -> int:
    if args.json:
        for row in frame.to_dict("records"):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    if frame.empty:
        say("cli.search.none", args.lang, query=args.query)
        return 0
    console = Console(soft_wrap=True)
    width = min(60, max(len(p) for p in frame["pre"]))
    for row in frame.itertuples():
        console.print(f"{escape(row.pre[-width:]):>{width}} [bold yellow]{escape(row.keyword)}"
                      f"[/bold yellow] {escape(row.post)}   [dim]{row.source.rsplit('/', 1)[-1]}"
                      f"[/dim]", highlight=False)
    return 0


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
    table = Table(show_lines=False)
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
