"""The command line as a newcomer meets it: the whole help in the chosen language (argparse's
own words included), --lang anywhere on the line, fast help that imports no analysis stack,
several FILEs and DIRs for every command that reads files, a closed pipe that ends quietly, and
counts that agree in number."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, corpus_file
from pipeline.cli import COMMANDS, build_parser, main
from pipeline.cli.common import DEFAULT_MAX_SIZE_MB, argparse_language
from pipeline.i18n import message

DOCX = corpus_file("docx", "004_73f20699863736da")
PDF = corpus_file("pdf", "001_11fa4c8372dfa292")
SMALL_DOCX = corpus_file("docx", "002_38c4a49bff4fa329")


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def daihoi(*args: str, env: dict[str, str] | None = None) -> Done:
    """`daihoi ARGS` in this process, through the real parser (help and usage errors exit)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop("DAIHOI_LANG", None)
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exc:
                status = int(exc.code or 0)
    finally:
        os.environ.pop("DAIHOI_LANG", None)
        if saved is not None:
            os.environ["DAIHOI_LANG"] = saved
    return Done(status, out.getvalue(), err.getvalue())


def _subcommands() -> list[str]:
    with argparse_language("vi"):
        parser = build_parser("vi")
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)


def test_every_help_page_is_vietnamese_by_default_and_english_on_request() -> None:
    english_words = ("usage:", "positional arguments", "options:",
                     "show this help message and exit")
    for command in [None, *_subcommands()]:
        args = [command] if command else []
        vi = daihoi(*args, "--help")
        assert vi.returncode == 0, vi.stderr
        assert vi.stdout.startswith("cách dùng: daihoi"), command
        for word in english_words:
            assert word not in vi.stdout, (command, word)
        assert "in hướng dẫn này rồi thoát" in vi.stdout
        en = daihoi("--lang", "en", *args, "--help")  # --lang before the command
        assert en.returncode == 0, en.stderr
        assert en.stdout.startswith("usage: daihoi") and "show this help message" in en.stdout
    search = daihoi("search", "--help").stdout
    assert "số kết quả tối đa" in search and "most hits shown" not in search


def test_lang_is_accepted_anywhere_and_usage_errors_are_translated(tmp_path: Path) -> None:
    missing = str(tmp_path / "khong_co.pdf")  # its error record is in the language asked for
    for argv in (["--lang", "en", "analyze", missing, "--json"],
                 ["analyze", "--lang", "en", missing, "--json"],
                 ["analyze", missing, "--json", "--lang=en"]):
        done = daihoi(*argv)
        assert done.returncode == 1, (argv, done.stderr)
        assert "was not found" in json.loads(done.stdout)["error"]["message"], argv
    done = daihoi("analyze", missing, "--json")
    assert "Không tìm thấy" in json.loads(done.stdout)["error"]["message"]
    vi = daihoi("compare")
    assert vi.returncode == 2 and "lỗi:" in vi.stderr and "thiếu các tham số" in vi.stderr
    en = daihoi("compare", "--lang", "en")
    assert en.returncode == 2 and "error: the following arguments are required" in en.stderr
    env = daihoi("nonsense", env={"DAIHOI_LANG": "en"})
    assert env.returncode == 2 and "invalid choice" in env.stderr


def test_help_imports_no_analysis_stack() -> None:
    code = ("import sys; from pipeline.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'scipy', 'sklearn', 'spacy', 'underthesea', "
            "'pdfplumber', 'docx', 'sqlite3', 'rich.console', 'pipeline.batch', "
            "'pipeline.store.database') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout[-500:]
    for name in COMMANDS:  # each family module alone stays light too
        mod = f"pipeline.cli.{name}"
        done = subprocess.run([sys.executable, "-c", f"import sys, {mod}; print("
                               "[m for m in ('pandas', 'scipy', 'spacy') if m in sys.modules])"],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.stdout.strip() == "[]", (mod, done.stdout, done.stderr[-500:])


def test_defaults_shown_in_help_are_the_real_ones() -> None:
    from pipeline.cli import corpus, export
    from pipeline.ingest.limits import MB, Limits
    from pipeline.store.search import DEFAULT_LIMIT
    from pipeline.store.writers import FORMATS

    assert DEFAULT_MAX_SIZE_MB == Limits().max_file_bytes / MB
    assert corpus.DEFAULT_LIMIT == DEFAULT_LIMIT and tuple(export.FORMATS) == tuple(FORMATS)


def test_commands_that_read_files_take_several_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    shutil.copy(PDF, folder / "tham_luan.pdf")
    for command in ("analyze", "outline", "refs", "indicators"):
        done = daihoi(command, str(SMALL_DOCX), str(folder), "--json", "--lang", "en")
        assert done.returncode == 0, (command, done.stderr)
        sources = {json.loads(line)["source"] for line in done.stdout.splitlines()}
        assert {str(SMALL_DOCX), str(folder / "tham_luan.pdf")} <= sources or command in (
            "indicators", "refs") and str(SMALL_DOCX) in sources, (command, sources)
    done = daihoi("indicators", str(SMALL_DOCX), str(tmp_path / "missing.txt"), "--lang", "en")
    assert done.returncode == 1 and "missing.txt was not found" in done.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # Far more CSV than a pipe holds (64 KB): the writes meet the pipe head closed.
    line = "Thực hiện Chỉ thị 05-CT/TW, Quy định 47-QĐ/TW và Nghị quyết 57-NQ/TW.\n"
    (tmp_path / "a.txt").write_text(line * 600, encoding="utf-8")
    shell = f"{sys.executable} -m pipeline.cli refs --csv {tmp_path} | head -n 1"
    done = subprocess.run(["bash", "-c", shell + "; echo status ${PIPESTATUS[0]}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.stdout.startswith("source,")
    assert "status 141" in done.stdout  # ended by the closed pipe, as a shell expects
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_counts_agree_in_number() -> None:
    one = message("cli.run.totals", "en", ok=1, unchanged=0, errors=1, pages=1)
    assert one == "1 file analysed, 0 unchanged, 1 error, 1 page in all."
    many = message("cli.run.totals", "en", ok=2, unchanged=0, errors=0, pages=37)
    assert many == "2 files analysed, 0 unchanged, 0 errors, 37 pages in all."
    assert message("cli.run.totals", "vi", ok=1, unchanged=0, errors=1, pages=1) \
        .startswith("1 tệp đã phân tích")


def _helps(lang: str) -> dict[tuple[str, str], str | None]:
    with argparse_language(lang):
        parser = build_parser(lang)
    sub = next(a for a in parser._actions if a.dest == "command")
    return {(name, "/".join(a.option_strings) or a.dest): a.help
            for name, p in sub.choices.items() for a in p._actions
            if a.dest not in ("help", "lang")}


def test_every_option_has_its_help_in_each_language() -> None:
    vi, en = _helps("vi"), _helps("en")
    assert vi.keys() == en.keys()
    missing = [k for k in vi if not vi[k] or not en[k]]
    untranslated = [k for k in vi if vi[k] and vi[k] == en[k]]
    assert not missing and not untranslated, (missing, untranslated)
