"""The researcher notebook runs top to bottom on whatever store DAIHOI_DB names (so it never
rots): the sample corpus store, and a store of the five real documents only (other units,
terms and sections than the synthetic ones). It chooses its terms, unit, section and phrase from
the data, so no cell comes out empty because a name was typed in."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from corpus_fixtures import analysed, corpus_store
from nbclient import NotebookClient

from conftest import ROOT
from pipeline.contract import report_record
from pipeline.store.database import Store

NOTEBOOK = ROOT / "notebooks" / "corpus_tour.ipynb"


def _run(db: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list, str]:
    monkeypatch.setenv("DAIHOI_DB", str(db))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    return outputs, printed


def test_the_notebook_runs_and_plots_indicators(monkeypatch: pytest.MonkeyPatch) -> None:
    outputs, printed = _run(corpus_store(), monkeypatch)
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
    assert "37 documents" in printed and "plotted key: " in printed
    assert "plotted key: None" not in printed
    # Chosen from the data: two successive terms, a unit, a section and a phrase with hits.
    assert "change 20" in printed and "unit None" not in printed
    assert "section None" not in printed and "phrase: \n" not in printed
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(tables) >= 10 and not [t for t in tables if "<tbody>\n  </tbody>" in t]


def test_the_notebook_runs_on_another_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    db = tmp_path / "real.db"
    with Store(db) as store:
        for path, report in analysed():
            if "synthetic" not in path.parts:
                store.save(report, report_record(report))
    _, printed = _run(db, monkeypatch)
    assert "5 documents" in printed
    assert "phrase: " in printed
