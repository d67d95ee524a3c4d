"""`daihoi run` does not follow a symbolic link out of the input folder (a link to /etc/passwd
dropped into a shared folder) unless --follow-symlinks; it says which link it skipped."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from corpus_fixtures import synthetic_files

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", *args, "--lang", "en",
                           "--engine", "serial"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def _stored(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {Path(r[0]).name for r in con.execute("SELECT source FROM documents")}
    finally:
        con.close()


def test_run_skips_a_symlink_to_etc_passwd_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = synthetic_files()[0]
    shutil.copy(good, folder / good.name)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    proc = _run(str(folder), "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 0, proc.stderr
    assert "passwd.txt" in proc.stderr and "/etc/passwd" in proc.stderr
    assert "--follow-symlinks" in proc.stderr
    assert _stored(tmp_path / "a.db") == {good.name}
    con = sqlite3.connect(tmp_path / "a.db")
    try:
        texts = [r[0] for r in con.execute("SELECT text FROM documents")]
    finally:
        con.close()
    assert not any("root:x:0:0" in t for t in texts)
