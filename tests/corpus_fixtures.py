"""The synthetic corpus analysed for real, once per test process, and stores built from it.

Analysing 37 DOCX takes a few seconds; every test module that needs them shares one result
through a module-level cache (pytest would run a session fixture imported into several modules
once per module).
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from conftest import CORPUS, STEMS, corpus_file
from pipeline.analysis import analyze
from pipeline.contract import report_record
from pipeline.model import Report
from pipeline.store.database import Store

SYNTHETIC = CORPUS / "synthetic"


@cache
def synthetic_truth() -> dict[str, Any]:
    return json.loads((SYNTHETIC / "truth.json").read_text(encoding="utf-8"))


def synthetic_files() -> list[Path]:
    return [SYNTHETIC / d["file"] for d in synthetic_truth()["documents"]]


@cache
def analysed() -> tuple[tuple[Path, Report], ...]:
    """(path, report) of every synthetic DOCX, then of the five real DOCX."""
    paths = synthetic_files() + [corpus_file("docx", s) for s in STEMS]
    return tuple((p, analyze(p)) for p in paths)


@cache
def corpus_store() -> Path:
    """A store holding the synthetic corpus and the real DOCX (read it, do not change it)."""
    folder = Path(tempfile.mkdtemp(prefix="daihoi_store_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "corpus.db"
    with Store(path) as store:
        for _, report in analysed():
            store.save(report, report_record(report))
    return path


def copy_of_store(dest: Path) -> Path:
    """A private copy of `corpus_store()` a test may change."""
    src = corpus_store()
    with Store(src) as store:  # fold the WAL into the main file before copying it
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(src, dest)
    return dest


def daihoi(*args: str) -> tuple[int, str, str]:
    """Run `daihoi ARGS` in this process, through the real parser: (status, stdout, stderr)."""
    import contextlib
    import io

    import pipeline.cli as cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


def _namespaces_work() -> bool:
    import subprocess

    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


def daihoi_on_read_only(folder: Path, *args: object) -> tuple[int, str, str]:
    """`daihoi ARGS` in a child process that sees `folder` as a read-only file system.

    A private mount namespace (`unshare -rm`) bind-mounts the folder read-only: a real
    read-only medium, which even root cannot write. Where namespaces are not allowed (an
    unprivileged CI user), the folder loses its write permission instead, which works for
    anyone but root."""
    import os
    import shutil
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "pipeline.cli", *(str(a) for a in args)]
    mode = folder.stat().st_mode
    if shutil.which("unshare") and _namespaces_work():
        script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
        cmd = ["unshare", "-rm", "sh", "-c", script, str(folder), *cmd]
    else:
        assert os.geteuid() != 0, "root without mount namespaces cannot make a read-only folder"
        folder.chmod(0o555)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    finally:
        folder.chmod(mode)
    return proc.returncode, proc.stdout, proc.stderr
