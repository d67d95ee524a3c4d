"""What the corpus commands (search, compare, export, report) share: the --db option and
turning a store that cannot be used into a plain message and exit status 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from rich.console import Console

from pipeline.i18n import message
from pipeline.store.database import StoreError

DEFAULT_DB = Path("corpus/daihoi.db")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="SQLite store (corpus/daihoi.db), made by `daihoi run`")


def reports_store_errors(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """A StoreError ends the command with its message and hint on stderr, exit status 2."""

    @wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except StoreError as exc:
            Console(stderr=True).print(f"[red]✗[/red] {exc.message(args.lang)}",
                                       highlight=False)
            return 2

    return run


def say(key: str, lang: str, stderr: bool = False, **params: object) -> None:
    Console(stderr=stderr, soft_wrap=True).print(message(key, lang, **params), highlight=False)
