"""The terminal prints what it is given (issue 16.5): text, file names and queries full of Rich
markup (`[/red]`, `[final]`, `[bold]`), emoji codes (`:x:`) and control characters are shown as
written, never interpreted, and never end a command with a MarkupError."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from pipeline.cli import main

TEXT = """BÁO CÁO CHÍNH TRỊ [final]
CỦA BAN CHẤP HÀNH CHI BỘ THÔN [/red] NHIỆM KỲ 2020 - 2025 :x:
I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT [bold]
1. Công tác xây dựng Đảng [/]
Chi bộ đã kết nạp 3 đảng viên mới [link=http://evil.example]bấm[/link]; tỷ lệ đảng viên hoàn \
thành tốt nhiệm vụ đạt 92,5% :warning: theo Chỉ thị 05-CT/TW [red]ngày 15/5/2016[/red].
II. PHƯƠNG HƯỚNG NHIỆM KỲ 2025 - 2030 \\[escaped]
Phấn đấu kết nạp 5 đảng viên mới [/bold] mỗi năm.
"""
NAME = "Báo cáo [final] :x: \x1b[31mđỏ.txt"
SHOWN_NAME = "Báo cáo [final] :x: \\x1b[31m"  # a narrow tree may cut the rest


def daihoi(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("markup") / "nộp [x]"
    folder.mkdir()
    path = folder / NAME
    path.write_text(TEXT, encoding="utf-8")
    return path


def _clean(status: int, out: str, err: str) -> str:
    assert "Traceback" not in err and "MarkupError" not in err, err
    assert "❌" not in out + err and "⚠️" not in out + err and "\x1b" not in out + err
    return out + err


@pytest.mark.parametrize("command", ["analyze", "outline", "refs", "indicators"])
def test_commands_that_read_files_show_names_and_text_as_written(
    command: str, report_file: Path,
) -> None:
    status, out, err = daihoi(command, report_file)
    shown = _clean(status, out, err)
    assert status == 0, err
    if command != "refs":  # refs names the files only when there are several
        assert SHOWN_NAME in shown.replace("\n", "")  # the control character as an escape
    if command == "analyze":
        assert "BÁO CÁO CHÍNH TRỊ [final]" in shown and "[/red] NHIỆM KỲ" in shown
        assert ":x:" in shown
    if command == "outline":
        assert "[bold]" in shown or "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT" in shown
    if command == "refs":
        assert "05-CT/TW" in shown


def test_run_search_and_kwic_on_markup(
    report_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "kho.db"
    status, out, err = daihoi("run", report_file.parent, "--db", db, "--jobs", "1")
    shown = _clean(status, out, err)
    assert status == 0, err
    assert "Báo cáo [final] :x:" in shown  # the name in the table (cut to the width)
    for query in ("[/red]", "đảng viên [final]", ":x:", "[bold]"):
        status, out, err = daihoi("search", query, "--db", db)
        _clean(status, out, err)
        assert status == 0, (query, err)
    monkeypatch.setenv("COLUMNS", "300")  # a wide table: each snippet on one line
    status, out, err = daihoi("search", "kết nạp", "--db", db)
    shown = _clean(status, out, err)
    assert "[link=http://evil.example]bấm[/link]" in shown
    status, out, err = daihoi("search", "đảng viên", "--db", db, "--kwic")
    shown = _clean(status, out, err)
    assert status == 0 and "[/bold]" in shown and "đảng viên" in shown
    status, out, err = daihoi("search", "[/red]", "--db", tmp_path / "none.db")
    _clean(status, out, err)
    assert status == 2
