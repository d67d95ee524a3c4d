"""Blind samples of real text for the reference extractor (issue 10): loading the hand labels of
`benchmarks/data/references_blind.yaml`, finding their spans in the real text of
`../shared/devdata/news/`, and scoring an extractor against them.

The text is third-party and never copied into the repository: `load_samples()` returns nothing
(with the reason) when the folder is absent, and callers skip.

Scoring (per sample):
- party + state: precision and recall of (id, start, end) over mentions of kind party or state
  (full numbers and resolved short forms);
- plenum and short forms: recall over gold mentions of form `plenum` or `short`;
- a gold mention labelled `unresolved` must produce no reference: one that does is a false
  resolution (counted as a spurious mention of its kind);
- date and body: over gold mentions whose sentence gives them, the share the extractor attached
  right (a missed mention counts as wrong; a body only implied by the code, `body_source:
  "code"`, does not count as attached); bodies are compared after `body_key()`, which folds
  case, "uỷ"/"ủy", abbreviations (UBND, HĐND, TW) and the grammar's canonical spellings.
Standards (TCVN, ISO) are not labelled in these samples; predictions of kind `standard` are
ignored.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "data" / "references_blind.yaml"
DEVDATA = ROOT.parent / "shared" / "devdata" / "news"
if not DEVDATA.is_dir():  # the shared folder sits beside the checkout (../shared)
    DEVDATA = Path("/work/shared/devdata/news")
# Real web pages of the `pages` corpus (party and state documents, news about them) that samples
# F and G use: their text is third-party, kept outside the repository (the URL of each is in the
# labels); a page whose file is absent is skipped with a note.
PAGES = Path(os.environ.get("DAIHOI_PAGES_DIR", "/tmp/daihoi_pages"))

Prediction = dict[str, Any]


@dataclass
class Gold:
    file: str
    surface: str
    id: str
    kind: str
    form: str
    date: str | None
    body: str | None
    start: int = 0
    end: int = 0


@dataclass
class Sample:
    name: str
    texts: dict[str, str] = field(default_factory=dict)
    gold: dict[str, list[Gold]] = field(default_factory=dict)
    skipped: int = 0  # pages whose text is absent here

    @property
    def n_mentions(self) -> int:
        return sum(len(g) for g in self.gold.values())


def _parse(row: str, file: str) -> Gold:
    parts = [p.strip() for p in row.split(" | ")]
    if len(parts) != 6:
        raise ValueError(f"{file}: label needs 6 fields: {row!r}")
    surface, ref_id, kind, form, date, body = parts
    return Gold(file, surface, ref_id, kind, form,
                None if date == "-" else date, None if body == "-" else body)


def load_samples(labels: Path = LABELS, devdata: Path = DEVDATA,
                 pages: Path | None = None) -> tuple[list[Sample], str | None]:
    """The labelled samples with their text and spans, or ([], why) when the text is absent.
    Items are `file: <devdata id>` or `page: <name>` (read from `$DAIHOI_PAGES_DIR/<name>.txt`);
    pages that are absent are left out of their sample (`Sample.skipped` counts them)."""
    if not devdata.is_dir():
        return [], f"{devdata} is absent (the blind samples read real text from ../shared/devdata)"
    pages = PAGES if pages is None else pages
    data = yaml.safe_load(labels.read_text(encoding="utf-8"))
    samples = []
    for name, items in (data.get("samples") or {}).items():
        sample = Sample(name)
        for item in items or []:
            if "page" in item:
                file = str(item["page"])
                path = pages / f"{file}.txt"
                if not path.exists():
                    sample.skipped += 1
                    continue
            else:
                file = str(item["file"])
                path = devdata / f"{file}.txt"
            text = path.read_text(encoding="utf-8")
            cursor = 0
            golds = []
            for row in item.get("mentions") or []:
                g = _parse(row, file)
                start = text.find(g.surface, cursor)
                if start < 0:
                    raise SystemExit(f"{name}/{file}: {g.surface!r} not found after {cursor}")
                g.start, g.end = start, start + len(g.surface)
                cursor = g.end
                golds.append(g)
            sample.texts[file] = text
            sample.gold[file] = golds
        samples.append(sample)
    return samples, None


def blind_order(devdata: Path = DEVDATA) -> list[str]:
    """The file ids the samples were drawn from, in the order they were drawn (see the labels'
    header): files with a document number or "<type> số N", by sha256 of a fixed salt + id."""
    pattern = re.compile(
        r"\d+\s?/\s?(?:\d{4}/)?[A-ZĐ]|\d+[A-Z]?\s?[-–]\s?[A-ZĐ][A-Za-zĐ]*/"
        r"|(?:Nghị quyết|Chỉ thị|Quyết định|Thông tư|Nghị định|Kết luận|Quy định)\s+(?:số\s+)?\d"
    )
    ids = [p.stem for p in sorted(devdata.glob("*.txt"))
           if pattern.search(p.read_text(encoding="utf-8"))]
    return sorted(ids, key=lambda s: hashlib.sha256(f"daihoi-references:{s}".encode()).hexdigest())


_ABBREVIATIONS = [
    (r"\bubnd\b", "ủy ban nhân dân"), (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\bt[wư]\b", "trung ương"), (r"\bbch\b", "ban chấp hành"), (r"\bbtv\b", "ban thường vụ"),
    (r"\bgtvt\b", "giao thông vận tải"),
]


def body_key(body: str | None) -> str | None:
    """A body name folded for comparison (case, tone-mark placement, abbreviations, spacing)."""
    if body is None:
        return None
    from pipeline.extract.reference_grammar import fold, grammar

    s = " ".join(body.split())
    s = grammar().bodies.get(fold(s), s)
    s = s.casefold()
    # "liên Bộ …", "Liên tịch Bộ …", "Liên bộ: Bộ …" say only that the bodies issued it jointly:
    # the same issuers with or without the prefix.
    s = re.sub(r"^liên\s+(?:tịch\s*:?\s*|bộ\s*:\s*)?(?=\S)", "", s)
    for old, new in (("uỷ", "ủy"), ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("uý", "úy")):
        s = s.replace(old, new)
    for pattern, new in _ABBREVIATIONS:
        s = re.sub(pattern, new, s)
    s = re.sub(r"\s*-\s*", " - ", s)
    return s


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    short_total: int = 0
    short_found: int = 0
    false_resolutions: int = 0
    attr_total: Counter[str] = field(default_factory=Counter)
    attr_right: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def pr(self, kinds: tuple[str, ...] = ("party", "state")) -> tuple[float, float]:
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        return (tp / (tp + fp) if tp + fp else float("nan"),
                tp / (tp + fn) if tp + fn else float("nan"))

    def short_recall(self) -> float:
        return self.short_found / self.short_total if self.short_total else float("nan")

    def attached(self, attr: str = "both") -> float:
        total = self.attr_total[attr]
        return self.attr_right[attr] / total if total else float("nan")


def score(samples_gold: dict[str, list[Gold]], texts: dict[str, str],
          predict: Callable[[str], list[Prediction]], attributes: bool = True) -> Score:
    out = Score()
    for file, golds in samples_gold.items():
        text = texts[file]
        predicted = [p for p in predict(text) if p["kind"] != "standard"]
        by_key = {(p["id"], p["start"], p["end"]): p for p in predicted}
        matched: set[tuple[str, int, int]] = set()
        unresolved = [g for g in golds if g.id == "unresolved"]
        for g in golds:
            if g.id == "unresolved":
                continue
            key = (g.id, g.start, g.end)
            p = by_key.get(key)
            if g.form in ("plenum", "short"):
                out.short_total += 1
                out.short_found += p is not None
            if p is not None:
                out.tp[g.kind] += 1
                matched.add(key)
            else:
                out.fn[g.kind] += 1
                near = [q for q in predicted if q["start"] < g.end and g.start < q["end"]]
                got = f" (got {near[0]['id']!r})" if near else ""
                out.errors.append(f"missed {file} {g.id} {g.surface!r} [{g.form}]{got}")
            if not attributes:
                continue
            given = {a: v for a, v in (("date", g.date), ("body", g.body)) if v is not None}
            right = {}
            for attr, value in given.items():
                got_value = p.get(attr) if p else None
                if attr == "body" and p is not None and p.get("body_source") == "code":
                    got_value = None  # implied by the code, not attached from the text
                if attr == "body":
                    ok = body_key(got_value) == body_key(value)
                else:
                    ok = got_value == value
                right[attr] = ok
                out.attr_total[attr] += 1
                out.attr_right[attr] += ok
                if not ok and p is not None:
                    out.errors.append(
                        f"{attr} {file} {g.id} {g.surface!r}: {got_value!r} != {value!r}")
            if given:
                out.attr_total["both"] += 1
                out.attr_right["both"] += all(right.values())
        for p in predicted:
            key = (p["id"], p["start"], p["end"])
            if key in matched:
                continue
            kind = p["kind"] if p["kind"] in ("party", "state", "plenum") else "state"
            out.fp[kind] += 1
            if any(u.start < p["end"] and p["start"] < u.end for u in unresolved):
                out.false_resolutions += 1
            out.errors.append(f"spurious {file} {p['id']} {text[p['start']:p['end']]!r}")
    return out
