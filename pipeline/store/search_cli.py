"""`daihoi search "QUERY"`: paragraphs of the corpus that contain every word of the query,
ignoring case and diacritics; exact matches first. `--kwic` prints keyword-in-context lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.i18n import message
from pipeline.store.cli_common import add_db_option, reports_store_errors, say
from pipeline.store.database import Store, store_errors
from pipeline.store.search import DEFAULT_LIMIT, RANK_LIMIT, Filters, count, kwic, search


def register(sub: Any, common: argparse.ArgumentParser, lang: str) -> None:
    p = sub.add_parser("search", parents=[common], help=message("cli.search.help", lang))
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
