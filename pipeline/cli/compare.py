"""`daihoi compare indicators|references|sections|copies|similarity|keyness`: a comparison of
the corpus as a table on screen, or as CSV / XLSX / Parquet (`--format`, `--out`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.compare.corpus import Corpus
from pipeline.i18n import message
from pipeline.store.writers import flat, write_frame

KINDS = ("indicators", "references", "sections", "copies", "similarity", "keyness")
SHOWN_ROWS = 60
# Columns of the copies table worth a terminal's width; files keep them all.
COPY_COLUMNS = ["signal", "similarity", "shared_words", "unit_a", "term_a", "unit_b", "term_b",
                "shared_text"]


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("compare", parents=[parents.common], help=message("cli.compare.help", lang))
    p.add_argument("what", choices=KINDS)
    add_db_option(p)
    p.add_argument("--term", help="nhiệm kỳ, e.g. 2020-2025")
    p.add_argument("--from", dest="term_from", metavar="TERM",
                   help="indicators: change from this term to --term")
    p.add_argument("--kind", choices=("actual", "target", "all"), default="actual",
                   help="indicators: actual results or targets")
    p.add_argument("--doc-type", dest="doc_type", default=None,
                   help="doc_type compared (default: political_report; references: all)")
    p.add_argument("--signal", choices=("self_reuse", "cross_unit", "same_unit"),
                   help="copies: one signal only")
    p.add_argument("--section", default="assessment.weaknesses",
                   help="similarity: the section compared")
    p.add_argument("--unit", help="keyness: the unit against its peers")
    p.add_argument("--min-units", type=int, default=1,
                   help="references: ids cited by at least this many units")
    p.add_argument("--format", choices=("table", "csv", "xlsx", "parquet"), default="table")
    p.add_argument("--out", type=Path, help="file to write (csv: stdout when omitted)")
    p.set_defaults(func=run)


def comparison(corpus: Corpus, args: argparse.Namespace) -> pd.DataFrame:
    doc_type = args.doc_type or "political_report"
    kind = None if args.kind == "all" else args.kind
    if args.what == "indicators":
        if args.term_from:
            if not args.term:
                raise _Usage("cli.compare.needs_term")
            return corpus.indicator_change(args.term_from, args.term, kind, doc_type)
        return corpus.indicator_matrix(args.term, kind, doc_type)
    if args.what == "references":
        return corpus.reference_matrix(args.term, args.doc_type, args.min_units)
    if args.what == "sections":
        return corpus.section_matrix(args.term, doc_type)
    if args.what == "copies":
        return corpus.copies(term=args.term, signal=args.signal)
    if args.what == "similarity":
        return corpus.section_similarity(args.section)
    if not args.unit:
        raise _Usage("cli.compare.needs_unit")
    return corpus.keyness(args.unit)


class _Usage(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    if args.format in ("xlsx", "parquet") and args.out is None:
        say("cli.compare.needs_out", args.lang, stderr=True, format=args.format)
        return 2
    with Corpus(args.db) as corpus:
        try:
            frame = comparison(corpus, args)
        except _Usage as exc:
            say(exc.key, args.lang, stderr=True)
            return 2
    if args.format == "table":
        print_frame(frame, args.what, args.lang)
    elif args.out is None:
        flat(frame).to_csv(sys.stdout, index=False)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        written = write_frame(frame, args.out, args.format)
        say("cli.compare.written", args.lang, path=written, rows=len(frame))
    return 0


def print_frame(frame: pd.DataFrame, what: str, lang: str) -> None:
    if frame.empty or len(frame.columns) == 0:
        say("cli.compare.empty", lang)
        return
    data = flat(frame)
    if what == "copies":
        data = data[COPY_COLUMNS]
    table = Table(show_lines=False)
    for col in data.columns:
        table.add_column(escape(str(col)), overflow="fold")
    for row in data.head(SHOWN_ROWS).itertuples(index=False):
        table.add_row(*(escape(_cell(v)) for v in row))
    Console(soft_wrap=True).print(table)
    if len(data) > SHOWN_ROWS:
        say("cli.compare.more_rows", lang, shown=SHOWN_ROWS, total=len(data))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:g}"
    text = "" if value is None else str(value)
    return text if len(text) <= 160 else text[:159] + "…"
