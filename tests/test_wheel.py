"""The package as a user installs it: a wheel built from the sources, installed into a fresh
virtual environment outside the source tree, runs `daihoi analyze` and `daihoi run` with the
models and data it ships (package data), not those of the checkout.

Offline and fast: the wheel is built by setuptools without build isolation, installed with
`--no-deps`, and the fresh environment sees the third-party packages of the project's own
environment through a .pth line (the project's editable install is not loaded: a .pth line adds
a folder to sys.path, it does not run the .pth files inside it)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

SAMPLE = ROOT / "corpus" / "docx" / "004_73f20699863736da.docx"


def _copy_sources(dest: Path) -> Path:
    """What the sdist holds: pyproject, README and the package (no build/ left in the tree)."""
    src = dest / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "pipeline", src / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return src


def _build_wheel(src: Path, out: Path) -> tuple[Path, str]:
    code = ("import sys; from setuptools import build_meta as b; "
            "print(b.build_wheel(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-W", "always", "-c", code, str(out)], cwd=src,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1], done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if shutil.which("git") is None and not (ROOT / "pyproject.toml").exists():
        pytest.skip("no source tree")
    base = tmp_path_factory.mktemp("wheel")
    wheel, build_log = _build_wheel(_copy_sources(base), base / "dist")
    env_dir = base / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True).stdout.strip()
    # Third-party packages from the project's environment, after the fresh site-packages.
    (Path(purelib) / "project_deps.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--no-deps", "--no-index", "--quiet", str(wheel)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return env_dir, build_log


def _daihoi(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DAIHOI_LANG")}
    return subprocess.run([env_dir / "bin" / "daihoi", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_build_gives_no_setuptools_warning(installed: tuple[Path, str]) -> None:
    _, build_log = installed
    assert "Deprecat" not in build_log and "Warning" not in build_log, build_log[-3000:]


def test_the_installed_package_is_the_wheel_not_the_checkout(
    installed: tuple[Path, str], tmp_path: Path,
) -> None:
    env_dir, _ = installed
    code = ("import pipeline, pipeline.nlp.sections as s, pipeline.nlp.doctype as d; "
            "print(pipeline.__file__); print(s.DEFAULT_MODEL); print(d.DEFAULT_MODEL)")
    done = subprocess.run([env_dir / "bin" / "python", "-c", code], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert line.startswith(str(env_dir)) and not line.startswith(str(ROOT)), line
        assert Path(line).is_file()


def test_analyze_and_run_from_the_wheel(installed: tuple[Path, str], tmp_path: Path) -> None:
    env_dir, _ = installed
    folder = tmp_path / "nop"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "bao_cao.docx")
    done = _daihoi(env_dir, "analyze", "nop/bao_cao.docx", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["meta"]["doc_type"] == "political_report"  # the shipped doctype model
    assert record["sections"] and any(s["label"] for s in record["sections"])
    done = _daihoi(env_dir, "run", "nop", "--db", "kho.db", "--jobs", "1", "--lang", "en",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 file analysed" in done.stdout and (tmp_path / "kho.db").is_file()
