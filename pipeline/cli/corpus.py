"""Commands over the corpus store.

`daihoi search "QUERY"`: paragraphs of the corpus that contain every word of the query,
ignoring case and diacritics; exact matches first. `--kwic` prints keyword-in-context lines.
`daihoi registry [--db PATH] [--json]` lists every id of the curated registry and of the corpus
store with how often and with which dates the corpus cites it."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import (
    Parents,
    add_db_option,
    console,
    reports_store_errors,
    say,
    shown,
    visible,
)
from pipeline.i18n import message

if TYPE_CHECKING:
    from pipeline.extract.registry import Citations

DEFAULT_LIMIT = 20  # pipeline.store.search.DEFAULT_LIMIT (tested)


def register(sub: Any, parents: Parents, lang: str) -> None:
    """Add `search` and `registry`."""
    def h(key: str) -> str:
        return message(f"cli.opt.search.{key}", lang)

    p = sub.add_parser("search", parents=[parents.common], help=message("cli.search.help", lang),
                       description=message("cli.search.help", lang))
    p.add_argument("query", metavar="QUERY", help=h("query"))
    add_db_option(p, lang)
    p.add_argument("--unit", help=h("unit"))
    p.add_argument("--term", help=h("term"))
    p.add_argument("--section", help=h("section"))
    p.add_argument("--doc-type", dest="doc_type", help=h("doc_type"))
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=h("limit"))
    p.add_argument("--kwic", action="store_true", help=h("kwic"))
    p.add_argument("--window", type=int, default=6, help=h("window"))
    p.add_argument("--json", action="store_true", help=h("json"))
    p.set_defaults(func=run)

    p = sub.add_parser("registry", parents=[parents.common], help=message("registry.help", lang),
                       description=message("registry.help", lang))
    add_db_option(p, lang)
    p.add_argument("--json", action="store_true", help=message("cli.opt.registry.json", lang))
    p.set_defaults(func=cmd_registry)


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    from rich.table import Table

    from pipeline.store.database import Store, store_errors
    from pipeline.store.search import RANK_LIMIT, Filters, count, kwic, search

    filters = Filters(unit=args.unit, term=args.term, section=args.section,
                      doc_type=args.doc_type)
    with Store(args.db, create=False, readonly=True) as store, store_errors(args.db):
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
        snippet = _marked(h.snippet(90, ("\0", "\1")))
        unit = " ".join(x for x in (h.unit or "", h.term or "") if x)
        table.add_row(shown(h.source.rsplit("/", 1)[-1]), shown(unit), shown(h.section or ""),
                      snippet)
    console().print(table)
    say("cli.search.count", args.lang, shown=len(hits), total=total)
    if not all(h.ranked for h in hits):
        say("cli.search.unranked", args.lang, limit=f"{RANK_LIMIT:,}")
    return 0


def _marked(snippet: str) -> Any:
    """The snippet as Rich Text, the matches (between \\0 and \\1) in bold yellow: the
    paragraph's own text is never read as markup."""
    from rich.text import Text

    text = Text()
    for part in re.split("(\x00[^\x01]*\x01)", snippet):
        if part.startswith("\0"):
            text.append(visible(part[1:-1]), style="bold yellow")
        else:
            text.append(visible(part))
    return text


def _print_kwic(frame: Any, args: argparse.Namespace) -> int:
    if args.json:
        for row in frame.to_dict("records"):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    if frame.empty:
        say("cli.search.none", args.lang, query=args.query)
        return 0
    from rich.markup import escape

    out = console()
    width = min(60, max(len(p) for p in frame["pre"]))
    for row in frame.itertuples():
        pre = visible(row.pre[-width:])
        # Padded before escaping: the markup escapes would count towards the width.
        out.print(f"{escape(f'{pre:>{width}}')} [bold yellow]{shown(row.keyword)}"
                  f"[/bold yellow] {shown(row.post)}   [dim]{shown(row.source.rsplit('/', 1)[-1])}"
                  f"[/dim]")
    return 0


# -- registry ----------------------------------------------------------------------------------


def cmd_registry(args: argparse.Namespace) -> int:
    import sqlite3

    from rich.table import Table

    from pipeline.extract.registry import corpus_citations

    citations: dict[str, Citations] = {}
    try:
        citations = corpus_citations(args.db)
    except FileNotFoundError:
        say("registry.no_store", args.lang, stderr=True, path=args.db)
    except sqlite3.Error as exc:
        say("registry.bad_store", args.lang, stderr=True, path=args.db, detail=exc)
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
        table.add_row(*(shown(cell) for cell in (
            row["id"],
            row["type"] or "",
            ", ".join(e["date"] or "?" for e in row["registry"]),
            ", ".join(sorted({e["replaced_by"] for e in row["registry"] if e["replaced_by"]})),
            str(row["count"]),
            str(row["documents"]),
            ", ".join(f"{d} ×{n}" for d, n in row["cited_dates"].items()),
        )))
    console().print(table)
    return 0


def registry_rows(citations: dict[str, Citations]) -> list[dict[str, Any]]:
    """One row per id of the curated registry or the corpus: registry entries and citations,
    the most cited first."""
    from pipeline.extract.registry import Citations, default_registry

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
