"""Every Python block of the README runs as written (a newcomer copies them first), in a
folder laid out like a checkout after `make run`: corpus/docx, corpus/pdf and the store
corpus/daihoi.db. And every relative link of the README resolves in a clone."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from corpus_fixtures import corpus_store

from conftest import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_blocks() -> None:
    assert len(_blocks()) >= 1


@pytest.mark.parametrize("index", range(len(_blocks())))
def test_each_python_block_runs(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "corpus").mkdir()
    for folder in ("docx", "pdf"):
        (tmp_path / "corpus" / folder).symlink_to(ROOT / "corpus" / folder)
    shutil.copyfile(corpus_store(), tmp_path / "corpus" / "daihoi.db")
    monkeypatch.chdir(tmp_path)
    code = _blocks()[index]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README.md python block {index + 1}", "exec"), {"__name__": "readme"})
    assert "Traceback" not in out.getvalue()


def test_relative_links_resolve_in_a_clone() -> None:
    tracked = set(subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                                 cwd=ROOT).stdout.splitlines())
    if not tracked:
        pytest.skip("not a git checkout")
    tracked |= {str(Path(p).parent) for p in tracked}  # folders
    text = README.read_text(encoding="utf-8")
    missing = []
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path = (ROOT / target).resolve()
        try:
            relative = str(path.relative_to(ROOT))
        except ValueError:
            missing.append(f"{target} (outside the repository)")
            continue
        if relative not in tracked:
            missing.append(target)
    assert not missing, missing
