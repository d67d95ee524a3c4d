"""What the commands share: the parent parsers (--lang; --max-size and --ocr for commands that
read files), the --db and metadata options, argparse's own words in the chosen language, the
FILE|DIR arguments, safe printing (issue 16.5) and turning a store that cannot be used into a
plain message and exit status 2.

Only light modules are imported here: `daihoi --help` builds every parser and must stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.i18n import LANGS, default_lang, message
from pipeline.ingest.limits import default_max_size_mb

if TYPE_CHECKING:  # Rich is imported when something is printed, not for `daihoi --help`
    from rich.console import Console

DEFAULT_DB = Path("corpus/daihoi.db")
# What the memory of one analysis process can hold (pipeline.ingest.limits; tested equal to
# Limits().max_file_bytes / MB); DAIHOI_WORKER_MEMORY_MB or DAIHOI_MAX_SIZE_MB change it.
DEFAULT_MAX_SIZE_MB = default_max_size_mb()


@dataclass(frozen=True)
class Parents:
    """Parent parsers a command adds with `parents=[...]`."""

    common: argparse.ArgumentParser   # --lang
    reading: argparse.ArgumentParser  # --lang, --max-size, --ocr: commands that read files

    @classmethod
    def build(cls, lang: str) -> Parents:
        common = argparse.ArgumentParser(add_help=False)
        add_lang_option(common, lang)
        reading = argparse.ArgumentParser(add_help=False, parents=[common])
        reading.add_argument("--max-size", type=float, default=DEFAULT_MAX_SIZE_MB, metavar="MB",
                             help=message("cli.opt.max_size", lang,
                                          default=DEFAULT_MAX_SIZE_MB))
        # `--ocr` alone means "always" (as it did before the modes existed).
        reading.add_argument("--ocr", nargs="?", const="always", default="auto",
                             choices=("auto", "never", "always"),
                             help=message("cli.opt.ocr", lang))
        return cls(common, reading)


def add_lang_option(parser: argparse.ArgumentParser, lang: str) -> None:
    # Every parser has it, so `--lang en` is accepted before or after the command.
    parser.add_argument("--lang", choices=LANGS, default=lang,
                        help="ngôn ngữ thông báo / language of messages")


def peek_lang(argv: list[str]) -> str:
    """The language asked for anywhere on the line (the help itself is translated, so it is
    needed before parsing); DAIHOI_LANG or Vietnamese otherwise."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    return default_lang()


@cache
def _argparse_words(lang: str) -> dict[str, str]:
    from pipeline.data import load_yaml

    return load_yaml("cli_argparse.yaml").get(lang) or {}


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own words ("usage:", "options", errors) in `lang` while parsers are built,
    print their help or report an error. argparse looks them up through its module-level
    gettext functions, which this swaps for the project's table and restores afterwards."""
    words = _argparse_words(lang)
    if not words:
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(text: str) -> str:
        return words.get(text, text)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def add_paths_argument(parser: argparse.ArgumentParser, lang: str) -> None:
    """FILE|DIR...: files, and folders read as `daihoi run` reads them."""
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR",
                        help=message("cli.opt.paths", lang))


def expand_paths(
    given: list[str], lang: str, keep_missing: bool = False,
) -> tuple[list[Path], int]:
    """The files named and those found in the folders named, in the order given, each once.
    A missing path is reported on stderr and left out, or with `keep_missing` kept (the
    analysis then reports it as that file's `not_found` error, a JSON record of its own).
    Returns (files, number of missing paths)."""
    from pipeline.batch import discover

    files: list[Path] = []
    seen: set[Path] = set()
    missing = 0
    for name in given:
        path = Path(name)
        if not path.exists():
            missing += 1
            if keep_missing:
                files.append(path)
            else:
                say("cli.not_found", lang, stderr=True, path=name)
            continue
        for f in discover(path) if path.is_dir() else [path]:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files, missing


def add_db_option(parser: argparse.ArgumentParser, lang: str | None = None) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=message("cli.opt.db", lang))


def add_metadata_options(parser: argparse.ArgumentParser, lang: str | None = None) -> None:
    """--unit, --unit-level, --parent, --province, --term, --reviewed-term, --date, --year,
    --doc-type, --draft/--final: metadata the user knows better than the text (applied to every
    file read, over what the text and a sidecar say)."""
    def h(key: str) -> str:
        return message(f"cli.opt.meta.{key}", lang)

    g = parser.add_argument_group(message("cli.group.metadata", lang))
    g.add_argument("--unit", help=h("unit"))
    g.add_argument("--unit-level", dest="unit_level", help=h("unit_level"))
    g.add_argument("--parent", help=h("parent"))
    g.add_argument("--province", help=h("province"))
    g.add_argument("--term", help=h("term"))
    g.add_argument("--reviewed-term", dest="reviewed_term", help=h("reviewed_term"))
    g.add_argument("--date", dest="meta_date", metavar="DATE", help=h("date"))
    g.add_argument("--year", type=int, help=h("year"))
    g.add_argument("--doc-type", dest="doc_type", help=h("doc_type"))
    draft = g.add_mutually_exclusive_group()
    draft.add_argument("--draft", dest="draft", action="store_true", default=None,
                       help=h("draft"))
    draft.add_argument("--final", dest="draft", action="store_false", help=h("final"))


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The metadata options given on the command line, as `Meta` field -> value."""
    out: dict[str, Any] = {}
    for name in ("unit", "unit_level", "parent", "province", "term", "reviewed_term", "year",
                 "doc_type", "draft"):
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value
    if getattr(args, "meta_date", None):
        out["date"] = args.meta_date
    return out


def limits_from_args(args: argparse.Namespace) -> Any:
    from pipeline.ingest.limits import Limits

    return Limits.from_args(args)


# -- printing ----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: object) -> str:
    """`text` with control and direction-changing characters shown as escapes (\\x1b, \\u202e):
    a file name or a paragraph never moves the cursor, recolours or reverses the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                        str(text))


def shown(text: object) -> str:
    """Text from a document, a file name or a query, ready to put inside Rich markup: controls
    visible, `[`…`]` escaped so that "[/red]" or "Báo cáo [final].txt" print as written."""
    from rich.markup import escape

    return escape(visible(text))


def console(stderr: bool = False, **options: Any) -> Console:
    """A Console that prints what it is given: no emoji codes (":x:" stays ":x:"), no automatic
    highlighting, long lines kept whole (copy-paste friendly)."""
    from rich.console import Console

    options.setdefault("soft_wrap", True)
    return Console(stderr=stderr, emoji=False, highlight=False, **options)


def reports_store_errors(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """A StoreError ends the command with its message and hint on stderr, exit status 2."""

    @wraps(func)
    def run(args: argparse.Namespace) -> int:
        import warnings

        from pipeline.store.database import ReadOnlyMedium, StoreError

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ReadOnlyMedium)
                return func(args)
        except StoreError as exc:
            console(stderr=True).print(f"[red]✗[/red] {shown(exc.message(args.lang))}")
            return 2
        finally:
            # A store on read-only media is read all the same; say why nothing is written.
            for notice in {str(w.message): w.message for w in caught
                           if isinstance(w.message, ReadOnlyMedium)}.values():
                console(stderr=True).print(shown(notice.message(args.lang)))

    return run


def say(key: str, lang: str, stderr: bool = False, **params: object) -> None:
    """Print the message `key`; its parameters are shown as written (never read as markup)."""
    console(stderr=stderr).print(shown(message(key, lang, **params)))
