"""`daihoi compare indicators|references|sections|copies|similarity|keyness`: a comparison of
the corpus as a table on screen, or as CSV / XLSX / Parquet (`--format`, `--out`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import Parents, add_db_option, console, reports_store_errors, say, shown
from pipeline.i18n import message

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.compare.corpus import Corpus

KINDS = ("indicators", "references", "sections", "copies", "similarity", "keyness")
SHOWN_ROWS = 60
# Columns of the copies table worth a terminal's width; files keep them all.
COPY_COLUMNS = ["signal", "similarity", "shared_words", "unit_a", "term_a", "unit_b", "term_b",
                "shared_text"]


def register(sub: Any, parents: Parents, lang: str) -> None:
    def h(key: str) -> str:
        return message(f"cli.opt.compare.{key}", lang)

    p = sub.add_parser("compare", parents=[parents.common], help=message("cli.compare.help", lang),
                       description=message("cli.compare.help", lang))
    p.add_argument("what", choices=KINDS, help=h("what"))
    add_db_option(p, lang)
    p.add_argument("--term", help=h("term"))
    p.add_argument("--from", dest="term_from", metavar="TERM", help=h("from"))
    p.add_argument("--kind", choices=("actual", "target", "all"), default="actual",
                   help=h("kind"))
    p.add_argument("--doc-type", dest="doc_type", default=None, help=h("doc_type"))
    p.add_argument("--signal", choices=("self_reuse", "cross_unit", "same_unit"),
                   help=h("signal"))
    p.add_argument("--section", default=None, help=h("section"))
    p.add_argument("--unit", help=h("unit"))
    p.add_argument("--min-units", type=int, default=1, help=h("min_units"))
    p.add_argument("--format", choices=("table", "csv", "xlsx", "parquet"), default="table",
                   help=h("format"))
    p.add_argument("--out", type=Path, help=h("out"))
    p.add_argument("--engine", choices=("memory", "serial", "process", "dask"), default="memory",
                   help=h("engine"))
    p.add_argument("--scheduler", metavar="ADDRESS", help=h("scheduler"))
    p.add_argument("--jobs", "-j", type=int, default=2, help=h("jobs"))
    p.set_defaults(func=run)


def comparison(corpus: Corpus, args: argparse.Namespace) -> pd.DataFrame:
    doc_type = args.doc_type or "political_report"
    kind = None if args.kind == "all" else args.kind
    if args.what == "indicators":
        if args.term_from:
            if not args.term:
                raise _Usage("cli.compare.needs_term")
            return corpus.indicator_change(args.term_from, args.term, kind, doc_type)
        return corpus.indicator_table(args.term, kind, doc_type)
    if args.what == "references":
        return corpus.reference_matrix(args.term, args.doc_type, args.min_units)
    if args.what == "sections":
        return corpus.section_matrix(args.term, doc_type)
    if args.what == "copies":
        return corpus.copy_pairs(term=args.term, signal=args.signal)
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
    from pipeline.compare.corpus import Corpus
    from pipeline.store.writers import flat, write_frame

    if args.format in ("xlsx", "parquet") and args.out is None:
        say("cli.compare.needs_out", args.lang, stderr=True, format=args.format)
        return 2
    with Corpus(args.db) as corpus:
        if args.engine != "memory":  # out of core, in chunks (pipeline.compare.copies_scale)
            corpus.copies_engine = {"engine": args.engine, "workers": args.jobs,
                                    "scheduler": args.scheduler}
            corpus.out_of_core = True
        try:
            if args.format == "table":
                from pipeline.cli.compare_screen import show

                return show(corpus, args, comparison)
            frame = comparison(corpus, args)
        except _Usage as exc:
            say(exc.key, args.lang, stderr=True)
            return 2
        except Exception as exc:  # an unreachable Dask scheduler (--engine dask)
            from pipeline.engine.dask_executor import EngineError

            if not isinstance(exc, EngineError):
                raise
            console(stderr=True).print(shown(exc.message(args.lang)))
            return 2
    if args.out is None:
        from pipeline.store.writers import write_csv

        sys.stdout.write(write_csv(flat(frame), None) or "")
    else:
        from pipeline.store.export import ExportError, writing

        try:
            with writing(args.out.parent):
                args.out.parent.mkdir(parents=True, exist_ok=True)
                written = write_frame(frame, args.out, args.format)
        except ExportError as exc:
            say(f"cli.export.{exc.code}", args.lang, stderr=True, path=exc.path,
                detail=exc.detail)
            return 2
        say("cli.compare.written", args.lang, path=written, rows=len(frame))
    return 0


def print_frame(frame: pd.DataFrame, what: str, lang: str) -> None:
    from rich.table import Table

    from pipeline.store.writers import flat

    if frame.empty or len(frame.columns) == 0:
        say("cli.compare.empty", lang)
        return
    data = flat(frame)
    if what == "copies":
        data = data[COPY_COLUMNS]
    table = Table(show_lines=False)
    for col in data.columns:
        table.add_column(shown(col), overflow="fold")
    for row in data.head(SHOWN_ROWS).itertuples(index=False):
        table.add_row(*(shown(_cell(v)) for v in row))
    console().print(table)
    if len(data) > SHOWN_ROWS:
        say("cli.compare.more_rows", lang, shown=SHOWN_ROWS, total=len(data))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return "" if value != value else f"{value:g}"  # NaN is not equal to itself
    text = "" if value is None else str(value)
    return text if len(text) <= 160 else text[:159] + "…"
