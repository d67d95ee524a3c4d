"""The `daihoi` command line: a thin layer over the Python API, beside the pipeline stages.

One module per command family; each has `register(subparsers, parents, lang)`, which adds its
parser(s) with `set_defaults(func=...)` (the function takes the parsed arguments and returns the
exit status). `parents.common` carries --lang; `parents.reading` adds --max-size and --ocr for
commands that read report files. Modules import the heavy parts of the pipeline inside their
command functions, so that `daihoi --help` stays fast.

Messages are Vietnamese by default; `--lang en` (or DAIHOI_LANG=en) gives English. Exit status:
0 when every file was read, 1 when at least one was not (its error is printed and, for `run`,
listed in the store), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.cli.common import Parents, add_lang_option, argparse_language, peek_lang
from pipeline.i18n import message

# Command families, in the order of the pipeline (pipeline.cli.<name>).
COMMANDS: tuple[str, ...] = (
    "read",        # analyze, run
    "outline",     # outline
    "refs",        # refs
    "indicators",  # indicators
    "corpus",      # search, registry
    "compare",     # compare
    "export",      # export
    "report",      # report
    "train",       # train
    "web",         # serve, user
    "engine",      # load (run's --engine options live there too)
)


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The whole `daihoi` parser, its help in `lang` (build it inside `argparse_language(lang)`
    for argparse's own words in `lang` too)."""
    parser = argparse.ArgumentParser(prog="daihoi", description=message("cli.description", lang))
    parser.add_argument("--version", action="version", version=f"daihoi {__version__}",
                        help=message("cli.opt.version", lang))
    add_lang_option(parser, lang)
    parents = Parents.build(lang)
    sub = parser.add_subparsers(dest="command", required=True,
                                title=message("cli.group.commands", lang), metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"pipeline.cli.{name}").register(sub, parents, lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `daihoi` with `argv` (default: sys.argv[1:]); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = peek_lang(argv)
    _stacks_on_sigusr1()
    try:
        with argparse_language(lang):
            args = build_parser(lang).parse_args(argv)
        status = int(args.func(args))
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be handled
        return status
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        return 130


def _stacks_on_sigusr1() -> None:
    """`kill -USR1 PID` prints where every thread of a running `daihoi` is (to stderr), and it
    goes on: how to see what a run that seems stuck is waiting for (tests use it on a timeout)."""
    import faulthandler
    import signal

    if hasattr(signal, "SIGUSR1") and sys.stderr is not None:
        try:
            faulthandler.register(signal.SIGUSR1, all_threads=True)
        except (ValueError, OSError, AttributeError):  # stderr is not a real file (tests)
            pass


def _closed_pipe() -> int:
    """The reader of our output went away (`daihoi indicators --csv DIR | head`): end quietly.
    Python would print a BrokenPipeError at exit while flushing stdout, so stdout is pointed at
    /dev/null first (the recipe of the Python documentation, "Note on SIGPIPE")."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a command ended by a closed pipe
