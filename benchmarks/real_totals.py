"""Scoring of the blind totals samples (`benchmarks/data/totals_real_*.yaml`, issue 11 part 2).

Each labelled total names its line in the page file and its surface ("36 TCCS đảng"). A
`total_mismatch` finding in the body whose offset falls inside a labelled total's surface is
that total's finding: found when the label says `mismatch: true`, false otherwise. A
`total_mismatch` anywhere else in these texts is false too (every total of the excerpt is
labelled). Page texts are read from `$DAIHOI_PAGES_DIR` (folders joined by ":"); a page not
there is skipped and said so.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.analysis import analyze_document
from pipeline.extract.numbers import fold
from pipeline.ingest import load


@dataclass
class TotalsScore:
    docs: int = 0
    totals: int = 0
    mismatches: int = 0
    found: int = 0
    false: int = 0
    skipped: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def cell(self) -> str:
        return (f"{self.found}/{self.mismatches} found, {self.false} false "
                f"({self.totals} totals, {self.docs} documents)")


def pages_dirs() -> list[Path]:
    return [Path(d) for d in os.environ.get("DAIHOI_PAGES_DIR", "").split(os.pathsep) if d]


def page_path(name: str) -> Path | None:
    return next((d / f"{name}.txt" for d in pages_dirs() if (d / f"{name}.txt").exists()), None)


def labelled_pages(label_file: Path, skipped: list[str] | None = None
                   ) -> Iterator[tuple[str, dict[str, Any], Path]]:
    """(name, labels, text file) of each page of a label file whose text is at hand; the names
    of the others go to `skipped`."""
    data = yaml.safe_load(label_file.read_text(encoding="utf-8"))
    for name, page in (data.get("pages") or {}).items():
        path = page_path(name)
        if path is None:
            if skipped is not None:
                skipped.append(name)
            continue
        yield name, page, path


def _surface_spans(path: Path, text: str, totals: list[dict[str, Any]]
                   ) -> list[tuple[int, int] | None]:
    """Where each labelled total's surface is in the document's text."""
    folded = fold(text)
    lines = path.read_text(encoding="utf-8").split("\n")
    spans: list[tuple[int, int] | None] = []
    used: dict[tuple[int, str], int] = {}
    for t in totals:
        line = " ".join(fold(lines[t["line"]]).split())
        at_line = folded.find(line)
        surface = " ".join(fold(t["total"]).split())
        if at_line < 0:
            spans.append(None)
            continue
        key = (t["line"], surface)
        start = used.get(key, at_line)
        for _ in range(t.get("nth", 1)):  # the n-th time the surface is printed on its line
            start = folded.find(surface, start, at_line + len(line))
            if start < 0:
                break
            start += 1
        start -= 1
        if start < 0:
            spans.append(None)
            continue
        used[key] = start + 1
        spans.append((start, start + len(surface)))
    return spans


def score_totals(label_file: Path) -> TotalsScore:
    score = TotalsScore()
    for name, page, path in labelled_pages(label_file, score.skipped):
        report = analyze_document(load(path))
        totals = page.get("totals") or []
        spans = _surface_spans(path, report.document.text, totals)
        score.docs += 1
        score.totals += len(totals)
        found: set[int] = set()
        for f in report.findings:
            if f.kind != "total_mismatch" or f.where != "body" or f.start is None:
                continue
            k = next((k for k, s in enumerate(spans) if s and s[0] <= f.start < s[1]), None)
            if k is not None and totals[k]["mismatch"]:
                found.add(k)
                continue
            score.false += 1
            score.misses.append(f"  false {name}: {f.message} parts {f.details.get('parts')}")
        for k, t in enumerate(totals):
            if spans[k] is None:
                score.misses.append(f"  (label not located) {name}:{t['line']} {t['total']!r}")
            if t["mismatch"]:
                score.mismatches += 1
                if k in found:
                    score.found += 1
                else:
                    score.misses.append(f"  missed {name}:{t['line']} {t['total']!r}")
    return score


def _raise_total(line: str, surface: str, nth: int = 1) -> str:
    """The line with the number of `surface` (its `nth` print on the line) raised by one,
    written the same way."""
    at = -1
    for _ in range(nth):
        at = line.find(surface, at + 1)
    m = re.match(r"\d[\d.]*", surface)
    if at < 0 or m is None:
        return line
    digits = m.group().replace(".", "")
    value = str(int(digits) + 1).zfill(len(digits))
    if "." in m.group():  # thousands grouped with "."
        value = f"{int(value):,}".replace(",", ".")
    return line[:at] + value + line[at + len(m.group()):]


def score_injected(label_file: Path) -> tuple[int, int, list[str]]:
    """(found, injected, misses): each labelled total whose parts claim the whole
    (`complete: true`) raised by one in a copy of its page; found when a `total_mismatch`
    then falls on it."""
    found = injected = 0
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, page, path in labelled_pages(label_file):
            lines = path.read_text(encoding="utf-8").split("\n")
            for t in page.get("totals") or []:
                if not t.get("complete"):
                    continue
                changed = list(lines)
                changed[t["line"]] = _raise_total(lines[t["line"]], t["total"], t.get("nth", 1))
                copy = Path(tmp) / f"{name}.txt"
                copy.write_text("\n".join(changed), encoding="utf-8")
                report = analyze_document(load(copy))
                raised = _raise_total(t["total"], t["total"])
                at = -1
                for _ in range(t.get("nth", 1)):
                    at = lines[t["line"]].find(t["total"], at + 1)
                new = dict(t, total=raised,
                           nth=changed[t["line"]][:at].count(raised) + 1)
                span = _surface_spans(copy, report.document.text, [new])[0]
                injected += 1
                if span and any(f.kind == "total_mismatch" and f.start is not None
                                and span[0] <= f.start < span[1] for f in report.findings):
                    found += 1
                else:
                    misses.append(f"  injected not found {name}:{t['line']} {new['total']!r}")
    return found, injected, misses


# -- metadata samples (benchmarks/data/metadata_real_*.yaml) -------------------------------------

META_FIELDS = ("unit", "unit_level", "province")


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(fold(value).replace("–", "-").split()).strip(" ,.")
    return value


@dataclass
class MetaScore:
    docs: int = 0
    right: dict[str, int] = field(default_factory=lambda: {f: 0 for f in META_FIELDS})
    skipped: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def cells(self) -> dict[str, str]:
        return {f: (f"{self.right[f] / self.docs:.3f}" if self.docs else "–")
                for f in META_FIELDS}


def score_metadata_sample(label_file: Path) -> MetaScore:
    """unit, unit_level and province of each labelled page (case, tone marks and the dash
    ignored; a list label gives names equally right)."""
    score = MetaScore()
    for name, page, path in labelled_pages(label_file, score.skipped):
        meta = analyze_document(load(path)).meta
        score.docs += 1
        for f in META_FIELDS:
            want = page["meta"].get(f)
            wants = want if isinstance(want, list) else [want]
            got = getattr(meta, f)
            if any(_norm(got) == _norm(w) for w in wants):
                score.right[f] += 1
            else:
                score.misses.append(f"  {name}: {f} = {got!r}, want {want!r}")
    return score
