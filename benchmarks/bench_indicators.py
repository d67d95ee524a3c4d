"""Quality of indicators and metadata on labelled data.

Indicators: `benchmarks/data/indicators_gold.jsonl`, one labelled mention per line:
`doc` (a file under benchmarks/data/indicators_ or a corpus file), `split`, `unit_type`,
`anchor` (the text of the mention, found in the document's text), and the expected `value`,
`value_max`, `unit`, `kind` and `key`.
- split "heldout": reports of other unit types (xã, huyện, doanh nghiệp, quân đội, trường học)
  written and labelled BEFORE the extraction rules were written, and not looked at while
  writing them: the honest figure.
- split "dev": corpus documents the rules were written on.
A prediction matches a gold mention when its span overlaps the anchor and its value,
value_max, unit and kind are right. P = matched / predicted, R = matched / gold (each side
matched once). `key` accuracy is over the matched gold mentions that have a key. Scope (what a
labeller marks): every number that measures the unit's work or membership — percentages,
counts of people, organisations, times (đợt/cuộc/lần/vụ) or things, ratios, money; not dates,
years, terms, document or section numbers, names ("Chi bộ 1"), durations or ages.

Metadata: `benchmarks/data/metadata_gold.jsonl` (corpus seeds in both formats, the held-out
reports) and corpus/synthetic/truth.json when present (title blocks written by
corpus/make_synthetic.py). Sidecar files are NOT read here: the figure is what the text gives.
Strings compare case- and diacritics-insensitively; a parent compares by its organisation
("Đảng ủy Cục Viễn thông" = "Đảng bộ Cục Viễn thông").

Run: python benchmarks/bench_indicators.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline.analysis import analyze_document  # noqa: E402
from pipeline.extract.metadata import extract_metadata  # noqa: E402
from pipeline.extract.numbers import fold  # noqa: E402
from pipeline.ingest import load  # noqa: E402
from pipeline.model import Report  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
GOLD = DATA / "indicators_gold.jsonl"
META_GOLD = DATA / "metadata_gold.jsonl"
SYNTHETIC = ROOT / "corpus" / "synthetic" / "truth.json"
FIELDS = ("unit", "unit_level", "parent", "province", "term", "reviewed_term", "year", "date",
          "doc_type", "draft")


def doc_path(doc: str) -> list[Path]:
    """The files a gold `doc` names: a held-out text, or a corpus seed in both formats."""
    if doc.startswith("heldout/"):
        return [DATA / "indicators_heldout" / doc.split("/", 1)[1]]
    stem = doc.split("/", 1)[1]
    return [ROOT / "corpus" / "docx" / f"{stem}.docx", ROOT / "corpus" / "pdf" / f"{stem}.pdf"]


_REPORTS: dict[Path, Report] = {}


def report_of(path: Path) -> Report:
    # Not `analyze(path)`: that reads sidecar files, and the benchmark measures the text.
    if path not in _REPORTS:
        _REPORTS[path] = analyze_document(load(path))
    return _REPORTS[path]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def score_indicators(gold: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        by_doc[g["doc"]].append(g)
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    misses: list[str] = []
    for doc, items in by_doc.items():
        for path in doc_path(doc):
            report = report_of(path)
            text = report.document.text
            preds = [i for i in report.indicators if i.where == "body"]
            used: set[int] = set()
            split, unit_type = items[0]["split"], items[0]["unit_type"]
            for name in (f"{split}: {unit_type}", f"{split}: all"):
                groups[name]["predicted"] += len(preds)
                groups[name]["gold"] += len(items)
            for g in items:
                start = text.find(g["anchor"])
                end = start + len(g["anchor"])
                hit = None
                for n, p in enumerate(preds):
                    if n in used or p.end <= start or p.start >= end or start < 0:
                        continue
                    if (_close(p.value, g["value"]) and _close(p.value_max, g["value_max"])
                            and p.unit == g["unit"] and p.kind == g["kind"]):
                        hit = n
                        break
                for name in (f"{split}: {unit_type}", f"{split}: all"):
                    if hit is not None:
                        groups[name]["matched"] += 1
                        if g.get("key"):
                            groups[name]["keyed"] += 1
                            groups[name]["key_right"] += preds[hit].key == g["key"]
                if hit is not None and g.get("key") and preds[hit].key != g["key"]:
                    misses.append(f"  key {path.name}: {g['anchor']!r} {preds[hit].key} "
                                  f"want {g['key']}")
                if hit is None:
                    misses.append(f"  miss {path.name}: {g['anchor']!r} {g['value']} "
                                  f"{g['unit']} {g['kind']}")
                else:
                    used.add(hit)
            for n, p in enumerate(preds):
                if n not in used:
                    misses.append(f"  extra {path.name}: {p.surface!r} {p.value} {p.unit} "
                                  f"{p.kind}")
    if "-v" in sys.argv:
        print("\n".join(misses))
    return groups


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", fold(value)).strip(" ,.")
    return value


def _org(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"^(?:dang (?:uy|bo)|huyen uy|tinh uy|thanh uy)\s+", "", _norm(value))
    return value


def field_right(name: str, got: Any, want: Any) -> bool:
    wants = want if isinstance(want, list) else [want]
    key = _org if name == "parent" else _norm
    return any(key(got) == key(w) for w in wants)


def score_metadata() -> tuple[dict[str, dict[str, list[int]]], list[str]]:
    cases: list[tuple[str, Path, dict[str, Any]]] = []
    for line in META_GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            for path in doc_path(g["doc"]):
                cases.append((g["split"], path, g["meta"]))
    if SYNTHETIC.exists():
        truth = json.loads(SYNTHETIC.read_text(encoding="utf-8"))
        for item in truth.get("documents", truth if isinstance(truth, list) else []):
            meta = dict(item["meta"])
            meta.setdefault("reviewed_term", "__skip__")
            cases.append(("synthetic", SYNTHETIC.parent / item["file"], meta))
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    wrong: list[str] = []
    for split, path, want in cases:
        doc = load(path)
        meta = extract_metadata(doc, report_of(path).meta.doc_type if split != "synthetic"
                                else None)
        if split == "synthetic":
            meta.doc_type = report_of(path).meta.doc_type
        for name in FIELDS:
            if name not in want or want[name] == "__skip__":
                continue
            ok = field_right(name, getattr(meta, name), want[name])
            for group in (split, "all"):
                scores[group][name][0] += ok
                scores[group][name][1] += 1
            if not ok:
                wrong.append(f"  {path.name}: {name} = {getattr(meta, name)!r}, "
                             f"want {want[name]!r}")
    return scores, wrong


# Each held-out batch is honest only on its first run: the rules were fixed after it (the fixes
# are general - "năm" before a count, ranges "8% đến 8,5%", "tổng số N", nouns of the
# lexicon - but the later figures above have seen the batch). Kept here as measured.
FIRST_RUNS = (
    "First runs, before any rule saw the batch: `heldout` P 1.000, R 0.981, key accuracy "
    "0.944 (107 mentions); `heldout2` (tỉnh, phường, bệnh viện; written after the rules "
    "existed) P 0.936, R 0.898, key accuracy 0.962 (49 mentions); metadata on `heldout2` "
    "0.900 (27/30: a chi bộ under a hospital read as the hospital). The figures above are "
    "after the fixes those runs prompted. Synthetic `province`: most generated title blocks "
    "name only a town (\"Điện Bàn, ngày ...\"), which gives no province without a gazetteer; "
    "one names \"tỉnh An Giang\" twice in copied seed sentences and is read as An Giang."
)


REAL_SAMPLES = (("A", DATA / "indicators_real_a.yaml"), ("B", DATA / "indicators_real_b.yaml"),
                ("C", DATA / "indicators_real_c.yaml"), ("D", DATA / "indicators_real_d.yaml"),
                ("E", DATA / "indicators_real_e.yaml"), ("F", DATA / "indicators_real_f.yaml"),
                ("G", DATA / "indicators_real_g.yaml"), ("H", DATA / "indicators_real_h.yaml"),
                ("I", DATA / "indicators_real_i.yaml"), ("J", DATA / "indicators_real_j.yaml"),
                ("K", DATA / "indicators_real_k.yaml"), ("L", DATA / "indicators_real_l.yaml"))
REAL_COLUMNS = ("docs", "labels", "P", "R", "key", "period", "totals", "unit", "unit_level",
                "province")


def real_text_section(groups: dict[str, dict[str, Any]],
                      scores: dict[str, dict[str, list[int]]]) -> list[str]:
    """Seed, synthetic, first-run and final figures side by side (issue 11): the blind samples
    of real text (`benchmarks/real_samples.py`), each with the figure recorded on its first
    run and the figure of the code as it is now."""
    import yaml
    from real_samples import NEWS, score_sample

    out = ["### Real text nobody here wrote: blind samples, first run and final", "",
           "Sample A (39 documents: 30 from `../shared/devdata/news/`, 9 party news pages) was "
           "labelled by hand, run once (first run), and the rules were fixed by class on what "
           "it showed. Sample B (29 documents: 22 news, 7 pages) was labelled before any run "
           "on it and run once to confirm (its first run is the honest figure for the code "
           "after sample A); it then prompted more fixes by class, so its final figure is no "
           "longer blind. Sample C (16 news documents) was labelled before any run on it, "
           "after those fixes: its first run is the honest figure for the code after A and B; "
           "its final row is after the fixes it prompted in turn. Sample D (20 news "
           "documents, mostly state decisions and circulars, drawn by a fixed rule) was "
           "labelled before any run on it, after the fixes by class on what A, B and C still "
           "missed: its first run is the honest figure for that code; its final row is after "
           "the fixes it prompted (no longer blind). Sample E (48 documents: 30 news, 18 "
           "party news pages; 234 indicators) was drawn and labelled in a later session "
           "before any run on it: its first run is the honest figure for the code after A-D; "
           "it prompted fixes by class. Sample F (21 documents: 12 news, 9 pages; 72 "
           "indicators) was labelled before any run, after the E fixes: its first run is the "
           "honest confirmation; its final row is after the fixes it prompted (no longer "
           "blind). Sample G (44 documents: 12 news, 32 report-like party pages; 374 "
           "indicators, 14 totals) was labelled before any run, after the A-F classes: its "
           "first run is the honest figure for that code; it prompted fixes by class. Sample H "
           "(26 documents: 9 news, 17 pages; 163 indicators, 10 totals) was labelled before "
           "any run and run once on the code after the G fixes: the blind confirmation. "
           "Sample I (43 documents: 5 news, 38 pages; 340 indicators, 21 totals) was labelled "
           "in a later session before any run and run once on the code after the G and H "
           "fixes: a fresh blind figure; it then prompted fixes by class. "
           "Sample J (49 documents: 3 news, 46 pages; 301 indicators, 26 totals of which 3 "
           "really disagree) was labelled before any run and run once on the code after the I "
           "fixes: the blind confirmation. "
           "Pages are read from `$DAIHOI_PAGES_DIR` (not stored here; several folders may be "
           "joined by \":\"); "
           "without it the final rows cover the news documents only.", "",
           "| data | " + " | ".join(REAL_COLUMNS) + " |",
           "|---|" + "---:|" * len(REAL_COLUMNS)]

    def row(name: str, cells: dict[str, Any]) -> str:
        return f"| {name} | " + " | ".join(str(cells.get(c, "–")) for c in REAL_COLUMNS) + " |"

    def pct(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "–"

    for split in ("dev", "heldout"):
        g = groups.get(f"{split}: all")
        if g:
            out.append(row(f"seed/{split} (corpus, written reports)", {
                "labels": g["gold"], "P": pct(g["matched"], g["predicted"]),
                "R": pct(g["matched"], g["gold"]), "key": pct(g["key_right"], g["keyed"])}))
    for split in ("corpus", "synthetic"):
        m = scores.get(split)
        if m:
            out.append(row(f"{split} (metadata)", {f: pct(*m[f]) for f in
                                                   ("unit", "unit_level", "province") if f in m}))
    if not NEWS.exists():
        out += ["", "(../shared/devdata/news/ is absent: real-text rows skipped)"]
        return out
    for name, path in REAL_SAMPLES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        first = data.get("first_run") or {}
        out.append(row(f"sample {name}: first run", {
            "docs": first.get("docs"), "labels": first.get("labels"),
            "P": first.get("precision"), "R": first.get("recall"),
            "key": first.get("key_accuracy"), "period": first.get("period"),
            "totals": first.get("totals"), "unit": first.get("unit"),
            "unit_level": first.get("unit_level"), "province": first.get("province")}))
        final = score_sample(path).row()
        out.append(row(f"sample {name}: final", final))
    return out


TOTALS_SAMPLES = (("T1", DATA / "totals_real_t1.yaml"), ("T2", DATA / "totals_real_t2.yaml"))
METADATA_SAMPLES = (("MT1", DATA / "metadata_real_t1.yaml"),
                    ("MT2", DATA / "metadata_real_t2.yaml"),
                    ("MT3", DATA / "metadata_real_t3.yaml"))


def totals_metadata_section() -> list[str]:
    """Blind samples of issue 11 parts 2 and 3 (helper T): totals in running text and who
    reported a document, each with its first run (recorded in its label file) and the code as
    it is now. Pages are read from `$DAIHOI_PAGES_DIR`; a page not there is skipped."""
    import yaml
    from real_totals import score_injected, score_metadata_sample, score_totals

    out = ["### Totals in running text and who reported it: blind samples", "",
           "T1 (16 real pages, 30 totals) and T2 (8 fresh pages, 18 totals, one real "
           "disagreement) were labelled by hand before any run; T2 confirms the T1 fixes. "
           "`injected`: each total whose parts claim the whole, raised by one in a copy of "
           "its page, must then be found. MT1 (33 pages of every level and both eras) and MT2 "
           "(21 fresh pages: hospitals, hamlet cells, central bodies) likewise for unit, "
           "level and province; MT3 (15 fresh pages: provincial departments, companies, "
           "round-ups) confirms the MT2 fixes.", "",
           "| sample | run | totals | injected | unit | unit_level | province |",
           "|---|---|---|---|---:|---:|---:|"]
    for name, path in TOTALS_SAMPLES:
        first = yaml.safe_load(path.read_text(encoding="utf-8")).get("first_run") or {}
        injected_first = str(first.get("injected", "–")).split(" (")[0]
        out.append(f"| {name} | first run | {first.get('totals', '–')} | "
                   f"{injected_first} | – | – | – |")
        score = score_totals(path)
        found, injected, _ = score_injected(path)
        skipped = f" ({len(score.skipped)} pages absent)" if score.skipped else ""
        out.append(f"| {name} | final | {score.cell()}{skipped} | {found}/{injected} found "
                   f"| – | – | – |")
    for name, path in METADATA_SAMPLES:
        first = yaml.safe_load(path.read_text(encoding="utf-8")).get("first_run") or {}
        fmt = {k: f"{v:.3f}" if isinstance(v, float) else str(v if v is not None else "–")
               for k, v in first.items()}
        out.append(f"| {name} ({fmt.get('docs', '–')} docs) | first run | – | – | "
                   f"{fmt.get('unit', '–')} | {fmt.get('unit_level', '–')} | "
                   f"{fmt.get('province', '–')} |")
        meta = score_metadata_sample(path)
        cells = meta.cells()
        skipped = f" ({len(meta.skipped)} pages absent)" if meta.skipped else ""
        out.append(f"| {name} ({meta.docs} docs){skipped} | final | – | – | {cells['unit']} | "
                   f"{cells['unit_level']} | {cells['province']} |")
        if "-v" in sys.argv:
            out += meta.misses
    return out


def _pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def main() -> None:
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    groups = score_indicators(gold)
    lines = ["## Indicators and metadata", "",
             "Indicators (value, value_max, unit and kind all right; span overlaps the label). "
             "`heldout` = reports of other unit types written and labelled before the rules "
             "and never used to write them; `dev` = corpus documents the rules were written "
             "on (both formats).", "",
             "| split: unit type | gold | predicted | matched | precision | recall | key acc. |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(groups, key=lambda n: (n.split(":")[0], n.endswith("all"), n)):
        g = groups[name]
        lines.append(f"| {name} | {g['gold']} | {g['predicted']} | {g['matched']} | "
                     f"{_pct(g['matched'], g['predicted'])} | {_pct(g['matched'], g['gold'])} | "
                     f"{_pct(g['key_right'], g['keyed'])} |")
    lines += ["", FIRST_RUNS]
    scores, wrong = score_metadata()
    lines += ["", "Metadata field accuracy (text only, sidecars not read):", "",
              "| split | " + " | ".join(FIELDS) + " | all fields |",
              "|---|" + "---:|" * (len(FIELDS) + 1)]
    for split in sorted(scores, key=lambda s: (s == "all", s)):
        row = scores[split]
        right = sum(v[0] for v in row.values())
        total = sum(v[1] for v in row.values())
        cells = [_pct(*row[f]) if f in row else "–" for f in FIELDS]
        lines.append(f"| {split} | " + " | ".join(cells) + f" | {_pct(right, total)} "
                     f"({right}/{total}) |")
    lines += ["", *real_text_section(groups, scores)]
    lines += ["", *totals_metadata_section()]
    markdown = "\n".join(lines)
    print(markdown)
    if wrong and "-v" in sys.argv:
        print("\n".join(wrong))
    if "--no-write" not in sys.argv:
        from results import write_section

        write_section("indicators", markdown, "python benchmarks/bench_indicators.py")


if __name__ == "__main__":
    main()
