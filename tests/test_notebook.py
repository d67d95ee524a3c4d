"""The researcher notebook runs top to bottom on a store of the sample corpus (so it never
rots), and draws its indicator plot."""

from __future__ import annotations

from pathlib import Path

import nbformat
from corpus_fixtures import corpus_store
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "corpus_tour.ipynb"


def test_the_notebook_runs_and_plots_indicators(monkeypatch: object, tmp_path: Path) -> None:
    monkeypatch.setenv("DAIHOI_DB", str(corpus_store()))  # type: ignore[attr-defined]
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "37 documents" in printed and "plotted key: " in printed
    assert "plotted key: None" not in printed
