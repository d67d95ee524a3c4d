"""doc_type on real text nobody here developed against, and the missing_section rule on news.

    python benchmarks/bench_doctype.py

Reads the hand labels of benchmarks/data/doctype_labels.yaml (ids and labels only):
- devdata news samples A and B: ../shared/devdata/news/<id>.txt (skipped when absent);
- real web pages (samples `pages` and `pages_b`): <id>.txt in $DAIHOI_PAGES_DIR (default
  /tmp/hb/pages), /tmp/c_label/pages or /tmp/daihoi_pages (skipped when absent: their text is
  never stored in the repository).
Runs the whole `analyze_document` (form first, then the model) on each, and on all 256 devdata
news texts counts how many are typed political_report and how many get a `missing_section`.
The first-run figures (before the form-first classifier existed) are recorded in the labels file
and shown beside the current ones. Writes benchmarks/results/doctype.md.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline.ingest import load  # noqa: E402
from results import write_section  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "doctype_labels.yaml"
NEWS = ROOT.parent / "shared" / "devdata" / "news"
if not NEWS.is_dir():
    NEWS = Path("/work/shared/devdata/news")
PAGES = Path(os.environ.get("DAIHOI_PAGES_DIR", "/tmp/hb/pages"))
# Page texts saved by earlier rounds and by this one (never stored in the repository).
PAGE_DIRS = [d for d in (PAGES, Path("/tmp/c_label/pages"), Path("/tmp/daihoi_pages"))
             if d.is_dir()]


def _analyze(path: Path):  # noqa: ANN202 - a Report
    from pipeline.analysis import analyze_document

    return analyze_document(load(path))


PER_CLASS: dict[str, list[int]] = {}  # label -> [right, total] over every sample run


def score(sample: dict[str, str], folder: Path | list[Path]
          ) -> tuple[int, int, list[str], Counter]:
    """(correct, total, confusions, findings withheld) over the labelled files present."""
    correct = total = 0
    misses: list[str] = []
    folders = folder if isinstance(folder, list) else [folder]
    for doc_id, label in sample.items():
        label = label["label"] if isinstance(label, dict) else label
        path = next((f / f"{doc_id}.txt" for f in folders if (f / f"{doc_id}.txt").exists()),
                    None)
        if path is None:
            continue
        report = _analyze(path)
        total += 1
        got = report.meta.doc_type
        counts = PER_CLASS.setdefault(label, [0, 0])
        counts[0] += got == label
        counts[1] += 1
        if got == label:
            correct += 1
        else:
            misses.append(f"{doc_id}: {label} -> {got} ({report.meta.doc_type_confidence})")
    return correct, total, misses, Counter()


def news_run() -> tuple[int, Counter, int, int, float]:
    files = sorted(NEWS.glob("*.txt"))
    types: Counter = Counter()
    missing = docs_with_missing = 0
    start = time.perf_counter()
    for path in files:
        report = _analyze(path)
        types[report.meta.doc_type] += 1
        found = sum(1 for f in report.findings if f.kind == "missing_section")
        missing += found
        docs_with_missing += bool(found)
    return len(files), types, missing, docs_with_missing, time.perf_counter() - start


def main() -> int:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    first = labels.get("first_run", {})
    rows = ["| sample | documents | first run (before) | now |", "|---|---|---|---|"]
    notes: list[str] = []
    samples = [("devdata news, sample A", labels["devdata_news"]["sample_a"], NEWS, "sample_a"),
               ("devdata news, sample B", labels["devdata_news"].get("sample_b") or {}, NEWS,
                "sample_b"),
               ("devdata news, sample C", labels["devdata_news"].get("sample_c") or {}, NEWS,
                "sample_c"),
               ("devdata news, sample D (confirmation)", labels["devdata_news"].get("sample_d")
                or {}, NEWS, "sample_d"),
               ("devdata news, sample E (confirmation of the pages B fixes)",
                labels["devdata_news"].get("sample_e") or {}, NEWS, "sample_e"),
               ("real web pages (pages corpus)", labels.get("pages") or {}, PAGE_DIRS, "pages"),
               ("real web pages, sample B (pages corpus; every type)", labels.get("pages_b")
                or {}, PAGE_DIRS, "pages_b")]
    for name, sample, folder, key in samples:
        present = folder if isinstance(folder, list) else [folder] if folder.is_dir() else []
        if not present or not sample:
            rows.append(f"| {name} | - | - | skipped: {folder or 'page folders'} absent |")
            continue
        ok, n, misses, _ = score(sample, folder)
        if n == 0:
            rows.append(f"| {name} | 0 | - | skipped: no labelled file in {folder} |")
            continue
        before = first.get(key)
        rows.append(f"| {name} | {n} | {before if before is not None else '-'} | "
                    f"**{ok / n:.3f}** ({ok}/{n}) |")
        notes += [f"- {name}: {m}" for m in misses]
    md = ["## doc_type on real held-out text", "",
          "Accuracy of `meta.doc_type` after the whole analysis (form first, then the model), on "
          "texts labelled by hand before the run (benchmarks/data/doctype_labels.yaml). "
          "Target >= 0.95.", "", *rows, ""]
    if notes:
        md += ["Misclassified:", "", *notes, ""]
    if PER_CLASS:
        md += ["Per label, over every sample above (now):", "", "| label | right | of |",
               "|---|---|---|",
               *(f"| {k} | {v[0]} | {v[1]} |" for k, v in sorted(PER_CLASS.items())), ""]
    if NEWS.is_dir():
        n, types, missing, with_missing, seconds = news_run()
        md += ["## doc_type and missing_section on all devdata news", "",
               "| texts | typed political_report | missing_section findings | texts with one | "
               "time |", "|---|---|---|---|---|",
               f"| {n} | **{types.get('political_report', 0)}** | **{missing}** | "
               f"{with_missing} | {seconds:.1f} s |", "",
               "Types given: " + ", ".join(f"{k} {v}" for k, v in types.most_common()) + ".",
               "", "Before the form-first classifier (first run): "
               + str(first.get("news_all", "-")) + ".", ""]
    else:
        md += [f"devdata news absent ({NEWS}): news run skipped.", ""]
    path = write_section("doctype", "\n".join(md), "python benchmarks/bench_doctype.py")
    print(path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
