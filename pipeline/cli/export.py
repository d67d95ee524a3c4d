"""`daihoi export DIR --format parquet|csv|xlsx`: every table of the store as one file each,
and a document-feature matrix for R's quanteda. A folder that is not empty needs --force."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.i18n import message

FORMATS = ("csv", "xlsx", "parquet")  # pipeline.store.writers.FORMATS (tested)


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("export", parents=[parents.common], help=message("cli.export.help", lang),
                       description=message("cli.export.help", lang))
    p.add_argument("dir", type=Path, metavar="DIR", help=message("cli.opt.export.dir", lang))
    p.add_argument("--format", choices=FORMATS, default="parquet",
                   help=message("cli.opt.export.format", lang))
    add_db_option(p, lang)
    p.add_argument("--force", action="store_true", help=message("cli.opt.export.force", lang))
    p.set_defaults(func=run)


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    from pipeline.store.export import ExportError, export

    try:
        done = export(args.db, args.dir, args.format, args.force)
    except ExportError as exc:
        say(f"cli.export.{exc.code}", args.lang, stderr=True, path=exc.path, detail=exc.detail)
        return 2
    say("cli.export.done", args.lang, files=len(done.files), path=args.dir.resolve(),
        documents=done.rows["documents"], paragraphs=done.rows["paragraphs"])
    return 0
