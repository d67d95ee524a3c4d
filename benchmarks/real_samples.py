"""Scoring on the blind samples of real text (`benchmarks/data/indicators_real_*.yaml`).

The text is third-party and never stored in the repository: news from
`../shared/devdata/news/<id>.txt`, party news excerpts from `$DAIHOI_PAGES_DIR/<name>.txt` (one
folder or several joined by ":"; the `pages` documents are skipped, and said so, when no folder
holds them). See the label files
for the labelling rules. Scored:
- indicators in the labelled lines: a prediction matches a label when its span overlaps the
  label's surface and value, value_max, measure (`Indicator.unit`) and kind agree;
  P = matched / predictions in the lines, R = matched / labels;
- key: over matched labels, right when the key is the label's (null where the label has none);
- period: over matched labels that give one;
- totals: a `total_mismatch` finding on a line labelled `mismatch: true` is found; one on any
  other labelled line, or in the indicator lines, is false;
- metadata: unit, unit_level and province of each document (case and tone marks ignored).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.analysis import analyze_document
from pipeline.extract.numbers import fold
from pipeline.ingest import load
from pipeline.model import Report

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
NEWS = ROOT.parent / "shared" / "devdata" / "news"
if not NEWS.exists():
    NEWS = Path("/work/shared/devdata/news")


@dataclass
class Score:
    labels: int = 0
    predicted: int = 0
    matched: int = 0
    keyed: int = 0
    key_right: int = 0
    unkeyed: int = 0
    unkeyed_right: int = 0
    periods: int = 0
    period_right: int = 0
    totals: int = 0
    mismatches: int = 0
    mismatches_found: int = 0
    false_mismatches: int = 0
    meta: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    docs: int = 0
    skipped: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, str]:
        def r(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "–"
        return {
            "docs": str(self.docs), "labels": str(self.labels),
            "P": r(self.matched, self.predicted), "R": r(self.matched, self.labels),
            "key": r(self.key_right + self.unkeyed_right, self.keyed + self.unkeyed),
            "key (labelled)": r(self.key_right, self.keyed),
            "no key": r(self.unkeyed_right, self.unkeyed),
            "period": r(self.period_right, self.periods),
            "totals": f"{self.mismatches_found}/{self.mismatches} found, "
                      f"{self.false_mismatches} false ({self.totals} labelled)",
            **{name: r(*self.meta[name]) for name in ("unit", "unit_level", "province")},
        }


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", fold(value)).strip(" ,.")
    return value


_REPORTS: dict[Path, Report] = {}
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")


def _report(path: Path) -> Report:
    if path not in _REPORTS:
        _REPORTS[path] = analyze_document(load(path))
    return _REPORTS[path]


def _line_spans(path: Path, text: str) -> list[tuple[int, int] | None]:
    """Where each line of the file is in the document's text (None when not found)."""
    folded = fold(text)
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for line in path.read_text(encoding="utf-8").split("\n"):
        # The reader drops invisible characters (a left-to-right mark inside "đăng ký hoạt
        # động"): the line is looked for without them.
        line = _INVISIBLE.sub("", line).strip()
        # ... and runs of spaces ("15.499  tấn") as one, as the reader does.
        line = re.sub(r"[ \t]{2,}", " ", line)
        if not line:
            spans.append(None)
            continue
        at = folded.find(fold(line), pos)
        if at < 0:
            at = folded.find(fold(line))
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(line)))
        pos = at + len(line)
    return spans


def _score_doc(name: str, path: Path, doc: dict[str, Any], totals: list[dict[str, Any]],
               score: Score) -> None:
    report = _report(path)
    text = report.document.text
    folded = fold(text)
    spans = _line_spans(path, text)
    lines = doc.get("lines", [])
    score.docs += bool(doc.get("meta") is not None)
    in_lines = [spans[n] for n in lines if n < len(spans) and spans[n]]
    preds = [i for i in report.indicators if i.where == "body"
             and any(s <= i.start < e for s, e in in_lines)]
    score.predicted += len(preds)
    used: set[int] = set()
    cursor: dict[tuple[int, str], int] = {}
    for line, surface, value, value_max, measure, kind, key, period in doc.get("ind", []):
        score.labels += 1
        surface = re.sub(r"[ \t]{2,}", " ", surface)  # as the line (`_line_spans`)
        span = spans[line] if line < len(spans) else None
        start = -1
        if span:
            k = (line, surface)
            start = cursor.get(k, span[0])
            while True:  # "0,1%" is not the end of "80,1%"
                start = folded.find(fold(surface), start, span[1])
                if start <= 0 or not (folded[start - 1].isdigit() or
                                      surface[0].isdigit() and folded[start - 1] in ".,"):
                    break
                start += 1
            if start >= 0:
                cursor[k] = start + 1
        end = start + len(surface)
        hit = None
        for n, p in enumerate(preds):
            if n in used or start < 0 or p.end <= start or p.start >= end:
                continue
            if (_close(p.value, float(value)) and _close(p.value_max,
                                                         None if value_max is None
                                                         else float(value_max))
                    and p.unit == measure and p.kind == kind):
                hit = n
                break
        if hit is None:
            near = [f"{p.surface!r} {p.value} {p.unit} {p.kind}" for p in preds
                    if start >= 0 and not (p.end <= start or p.start >= end)]
            score.misses.append(f"  miss {name}:{line} {surface!r} {value} {measure} {kind}"
                                + (f" (got {'; '.join(near)})" if near else ""))
            continue
        used.add(hit)
        score.matched += 1
        got = preds[hit]
        if key:
            score.keyed += 1
            score.key_right += got.key == key
        else:
            score.unkeyed += 1
            score.unkeyed_right += got.key is None
        if got.key != key:
            score.misses.append(f"  key {name}:{line} {surface!r} {got.key} want {key}")
        if period:
            score.periods += 1
            score.period_right += got.period == str(period)
            if got.period != str(period):
                score.misses.append(f"  period {name}:{line} {surface!r} {got.period} "
                                    f"want {period}")
    for n, p in enumerate(preds):
        if n not in used:
            score.misses.append(f"  extra {name}: {p.surface!r} {p.value} {p.unit} {p.kind}")
    # Totals: findings located on a labelled line or in the indicator lines.
    findings = [f for f in report.findings if f.kind == "total_mismatch" and f.where == "body"
                and f.start is not None]
    labelled = {t["line"]: t for t in totals}
    for t in totals:
        score.totals += 1
        score.mismatches += bool(t["mismatch"])
    checked = set(labelled) | set(lines)
    hit_lines: set[int] = set()
    for f in findings:
        line = next((n for n in checked if n < len(spans) and spans[n]
                     and spans[n][0] <= f.start < spans[n][1]), None)  # type: ignore[index]
        if line is None:
            continue
        if labelled.get(line, {}).get("mismatch"):
            hit_lines.add(line)
        else:
            score.false_mismatches += 1
            score.misses.append(f"  false total {name}:{line} {f.message}")
    score.mismatches_found += len(hit_lines)
    for line, t in labelled.items():
        if t["mismatch"] and line not in hit_lines:
            score.misses.append(f"  missed total {name}:{line} {t['total']!r}")
    meta = doc.get("meta")
    if meta is not None:
        for name_ in ("unit", "unit_level", "province"):
            got = getattr(report.meta, name_)
            ok = _norm(got) == _norm(meta.get(name_))
            score.meta[name_][0] += ok
            score.meta[name_][1] += 1
            if not ok:
                score.misses.append(f"  meta {name}: {name_} = {got!r}, want "
                                    f"{meta.get(name_)!r}")


def score_sample(label_file: Path) -> Score:
    data = yaml.safe_load(label_file.read_text(encoding="utf-8"))
    score = Score()
    for doc_id, doc in (data.get("docs") or {}).items():
        path = NEWS / f"{doc_id}.txt"
        if not path.exists():
            score.skipped.append(doc_id)
            continue
        _score_doc(doc_id, path, doc, doc.get("totals", []), score)
    # One folder or several separated by ":" (samples drawn at different times keep their
    # page texts in different places).
    pages_dirs = [Path(d) for d in os.environ.get("DAIHOI_PAGES_DIR", "").split(os.pathsep) if d]
    for name, doc in (data.get("pages") or {}).items():
        path = next((d / f"{name}.txt" for d in pages_dirs if (d / f"{name}.txt").exists()), None)
        if path is None:
            score.skipped.append(name)
            continue
        _score_doc(name, path, doc, doc.get("totals", []), score)
    for doc_id, totals in (data.get("totals_only") or {}).items():
        path = NEWS / f"{doc_id}.txt"
        if not path.exists():
            score.skipped.append(doc_id)
            continue
        _score_doc(doc_id, path, {"lines": []}, totals, score)
    return score
