"""What the commands share: the parent parsers (--lang; --max-size and --ocr for commands that
read files), the --db option, the language peek, and turning a store that cannot be used into a
plain message and exit status 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from rich.console import Console

from pipeline.i18n import LANGS, default_lang, message

DEFAULT_DB = Path("corpus/daihoi.db")


@dataclass(frozen=True)
class Parents:
    """Parent parsers a command adds with `parents=[...]`."""

    common: argparse.ArgumentParser   # --lang
    reading: argparse.ArgumentParser  # --lang, --max-size, --ocr: commands that read files

    @classmethod
    def build(cls, lang: str) -> Parents:
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--lang", choices=LANGS, default=lang,
                            help="language of messages / ngôn ngữ thông báo")
        from pipeline.ingest.limits import MB, Limits

        reading = argparse.ArgumentParser(add_help=False, parents=[common])
        reading.add_argument("--max-size", type=float, default=Limits().max_file_bytes / MB,
                             metavar="MB", help="refuse files larger than this (default 200 MB)")
        reading.add_argument("--ocr", action="store_true",
                             help="OCR scanned PDFs with Tesseract (vie) instead of reporting "
                                  "no_text_layer; 5-10 s a page")
        return cls(common, reading)


def peek_lang(argv: list[str]) -> str:
    """The language asked for anywhere on the line (the help itself is translated, so it is
    needed before parsing); DAIHOI_LANG or Vietnamese otherwise."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    return default_lang()


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="SQLite store (corpus/daihoi.db), made by `daihoi run`")


def reports_store_errors(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """A StoreError ends the command with its message and hint on stderr, exit status 2."""

    @wraps(func)
    def run(args: argparse.Namespace) -> int:
        from pipeline.store.database import StoreError

        try:
            return func(args)
        except StoreError as exc:
            Console(stderr=True).print(f"[red]✗[/red] {exc.message(args.lang)}",
                                       highlight=False)
            return 2

    return run


def say(key: str, lang: str, stderr: bool = False, **params: object) -> None:
    Console(stderr=stderr, soft_wrap=True).print(message(key, lang, **params), highlight=False)
