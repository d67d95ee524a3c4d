"""`daihoi export DIR --format parquet|csv|xlsx`: every table of the store as one file each,
and a document-feature matrix for R's quanteda. A folder that is not empty needs --force."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.i18n import message
from pipeline.store.export import ExportError, export
from pipeline.store.writers import FORMATS


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("export", parents=[parents.common], help=message("cli.export.help", lang))
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--format", choices=FORMATS, default="parquet")
    add_db_option(p)
    p.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty (files of the same name replaced)")
    p.set_defaults(func=run)


@reports_store_errors
def run(args: argparse.Namespace) -> int:
    try:
        done = export(args.db, args.dir, args.format, args.force)
    except ExportError as exc:
        say(f"cli.export.{exc.code}", args.lang, stderr=True, path=exc.path, detail=exc.detail)
        return 2
    say("cli.export.done", args.lang, files=len(done.files), path=args.dir.resolve(),
        documents=done.rows["documents"], paragraphs=done.rows["paragraphs"])
    return 0
