"""`daihoi report DIR`: the static HTML audit report of the corpus (opens offline)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.i18n import message


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("report", parents=[parents.common], help=message("cli.report.help", lang),
                       description=message("cli.report.help", lang))
    p.add_argument("dir", type=Path, metavar="DIR", help=message("cli.opt.report.dir", lang))
    add_db_option(p, lang)
    p.add_argument("--force", action="store_true", help=message("cli.opt.report.force", lang))
    p.set_defaults(func=run)


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    from pipeline.report_html.build import build_report
    from pipeline.store.export import ExportError

    try:
        built = build_report(args.db, args.dir, args.lang, args.force)
    except ExportError as exc:
        say(f"cli.export.{exc.code}", args.lang, stderr=True, path=exc.path, detail=exc.detail)
        return 2
    say("cli.report.done", args.lang, path=built.index.resolve(), pages=len(built.pages))
    return 0
