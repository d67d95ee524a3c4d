"""How `run` spreads its work (`--engine`, `--scheduler`, `--timeout`, ...) and `daihoi load
PARQUET_DIR --db …` (the Parquet output of a distributed run merged into the store)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents, add_db_option, reports_store_errors, say
from pipeline.i18n import message

ENGINES = ("serial", "process", "dask")


def add_engine_options(p: argparse.ArgumentParser, lang: str | None = None) -> None:
    def h(key: str) -> str:
        return message(f"cli.opt.run.{key}", lang)

    g = p.add_argument_group(message("cli.group.engine", lang))
    g.add_argument("--engine", choices=ENGINES, default="process", help=h("engine"))
    g.add_argument("--scheduler", metavar="ADDRESS", help=h("scheduler"))
    g.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help=h("timeout"))
    g.add_argument("--parquet", type=Path, default=None, metavar="DIR", help=h("parquet"))
    g.add_argument("--batch-size", type=int, default=None, metavar="N", help=h("batch_size"))
    g.add_argument("--follow-symlinks", action="store_true", help=h("follow_symlinks"))


def engine_options(args: argparse.Namespace) -> Any:
    from pipeline.batch import EngineOptions

    parquet = args.parquet
    if args.engine == "dask" and parquet is None:
        parquet = Path(args.db).with_suffix(".parquet")
    return EngineOptions(engine=args.engine, scheduler=args.scheduler, timeout=args.timeout,
                         parquet_dir=parquet, batch_size=args.batch_size,
                         follow_symlinks=args.follow_symlinks)


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("load", parents=[parents.common],
                       help=message("cli.load.help", lang))
    p.add_argument("folder", type=Path, metavar="PARQUET_DIR",
                   help=message("cli.opt.load.folder", lang))
    add_db_option(p, lang)
    p.set_defaults(func=_load)


@reports_store_errors
def _load(args: argparse.Namespace) -> int:
    from pipeline.engine.parquet import partitions
    from pipeline.store.database import Store, store_errors
    from pipeline.store.parquet_load import load_parquet

    if not partitions(args.folder):
        say("load.not_found", args.lang, stderr=True, folder=args.folder)
        return 2
    with store_errors(args.db), Store(args.db) as store:
        counts = load_parquet(args.folder, store)
    say("load.done", args.lang, folder=args.folder, db=args.db, loaded=counts.loaded,
        unchanged=counts.unchanged, errors=counts.errors)
    return 0
