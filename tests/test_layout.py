"""The layout shows the flow: ingest -> nlp -> extract -> audit -> store -> compare ->
report_html / web, with the command line (cli/) and the batch machinery (batch.py, engine/)
beside it. A stage imports only the stages before it and the shared modules; no stage imports
the command line or the batch runner (a module that did would make the stage know how it is
driven)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
FLOW = ("ingest", "nlp", "extract", "audit", "store", "compare", "report_html", "web")
# Modules every stage may use: the shared dataclasses, errors, messages, data files, and two
# small utilities (number display, the shingle index shared by audit and compare).
SHARED = {"model", "errors", "i18n", "data", "display", "textindex", "contract", "__version__"}
# The executors (engine/) are infrastructure a stage may use to spread its own work (copies over
# a Dask cluster) or whose output it reads (a distributed run's Parquet rows).
INFRA = {"engine"}
DRIVERS = {"cli", "batch", "analysis"}  # what drives the stages
# `from pipeline import X`: the module X comes from.
LAZY = {"analyze": "analysis", "analyze_document": "analysis", "analyze_many": "analysis",
        "load": "ingest"}


def _imports(path: Path) -> set[str]:
    """First-level `pipeline.X` names a module imports (at any depth of its code; imports made
    only for type hints, under `if TYPE_CHECKING:`, do not count)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
                   for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "pipeline":
                if len(parts) > 1:
                    names.add(parts[1])
                else:
                    names.update(LAZY.get(a.name, a.name) for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "pipeline" and len(parts) > 1:
                    names.add(parts[1])
    return names


def test_stages_import_only_earlier_stages_and_never_the_drivers() -> None:
    wrong = []
    for rank, stage in enumerate(FLOW):
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            for name in _imports(path):
                if name in SHARED or name in INFRA or name == stage:
                    continue
                later = name in FLOW and FLOW.index(name) > rank
                # The web app is a driver of its own (it runs analyses for uploads).
                driver = name in DRIVERS and stage != "web"
                if later or driver or (name not in FLOW and name not in DRIVERS):
                    wrong.append(f"{path.relative_to(ROOT)} imports pipeline.{name}")
    assert not wrong, "\n".join(wrong)


def test_the_command_line_lives_in_one_package() -> None:
    strays = [p.relative_to(ROOT) for p in PACKAGE.rglob("*_cli.py")]
    strays += [p.relative_to(ROOT) for p in PACKAGE.rglob("*.py")
               if "cli" not in p.relative_to(PACKAGE).parts and "argparse" in _modules(p)]
    assert not strays, strays


def _modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found
