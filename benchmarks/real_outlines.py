"""Headings on REAL documents with a letterhead layout, in DOCX, PDF and TXT (issue 10).

The documents are pages of the `search` tool's pages corpus (party reports, resolutions, plans
and a review found there), read from $DAIHOI_PAGES_DIR/<id>.txt or /tmp/daihoi_pages/<id>.txt
and never stored here. benchmarks/data/outline_real.yaml says, per page, the letterhead, the
title lines, where the document's body starts and the gold headings (written by hand before any
run). Each page's body is laid out as units print it, with `letterhead_reports.build`: the
letterhead and signature as two-column tables and the headings bold (DOCX), that DOCX printed by
LibreOffice (PDF), stacked lines (TXT, one paragraph a line, or a blank line between lines).

    python benchmarks/real_outlines.py [a|b ...]     # prints the misses and F1 per format

`rows(tmp)` gives the table rows `bench_outline.py` writes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from letterhead_reports import KINDS, Spec, build  # noqa: E402

from pipeline.extract.form import parse_form  # noqa: E402
from pipeline.ingest import load  # noqa: E402
from pipeline.nlp.outline import find_headings  # noqa: E402

LABELS = Path(__file__).resolve().parent / "data" / "outline_real.yaml"
H, P = "h", "p"


def _norm(text: str) -> str:
    return " ".join(text.split())


def page_dirs() -> list[Path]:
    dirs = [Path(d) for d in (os.environ.get("DAIHOI_PAGES_DIR"), "/tmp/daihoi_pages") if d]
    return [d for d in dirs if d.is_dir()]


def _page_text(doc_id: str) -> str | None:
    for folder in page_dirs():
        path = folder / f"{doc_id}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return None


def spec_of(doc_id: str, label: dict, text: str) -> Spec:
    """The page laid out as a document: letterhead, title, body from `start`, signature."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if _norm(ln).startswith(_norm(label["start"])))
    heading_lines: set[str] = set()
    gold = [_norm(" ".join(label["title"]))]
    for heading in label["headings"]:
        parts = heading if isinstance(heading, list) else [heading]
        heading_lines.update(_norm(p) for p in parts)
        gold.append(_norm(" ".join(parts)))
    end = len(lines)
    if label.get("end"):  # the page's furniture after the document ("No comments")
        end = next(i for i, ln in enumerate(lines) if i >= start
                   and _norm(ln).startswith(_norm(label["end"]))) + 1
    body = [(H if _norm(ln) in heading_lines else P, ln) for ln in lines[start:end]]
    extra = {k: label[k] for k in ("sign_right", "sign_left") if k in label}
    return Spec(name=doc_id, left=label["left"], right=label["right"], title=label["title"],
                body=body, gold=gold, **extra)


def specs(samples: tuple[str, ...] = ("a", "b", "c", "d")) -> list[Spec]:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    out = []
    for doc_id, label in data["docs"].items():
        if label["sample"] not in samples:
            continue
        text = _page_text(doc_id)
        if text is not None:
            out.append(spec_of(doc_id, label, text))
    return out


def first_runs() -> dict:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8")).get("first_run") or {}


def score(spec_list: list[Spec], kind: str, tmp: Path, verbose: bool = False
          ) -> tuple[int, int, int] | None:
    """(true positives, false positives, false negatives) of one format; None without a
    PDF printer."""
    tp = fp = fn = 0
    for spec in spec_list:
        path = build(spec, kind, tmp)
        if path is None:
            return None
        doc = load(path)
        got = [_norm(h.text) for h in find_headings(doc, parse_form(doc))]
        for g in got:
            ok = g in spec.gold
            tp += ok
            fp += not ok
            if verbose and not ok:
                print(f"{kind} {spec.name} FP {g!r}")
        for g in spec.gold:
            if g not in got:
                fn += 1
                if verbose:
                    print(f"{kind} {spec.name} FN {g!r}")
    return tp, fp, fn


def f1_row(name: str, docs: int, counts: tuple[int, int, int]) -> str:
    tp, fp, fn = counts
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    f1 = 2 * p * r / max(p + r, 1e-9)
    return f"| {name} | {docs} | {tp + fn} | {p:.3f} | {r:.3f} | **{f1:.3f}** | - |"


def rows(tmp: Path) -> list[str]:
    """Table rows for bench_outline.py: per sample and format, with its first run."""
    if not page_dirs():
        return ["| real pages with a letterhead layout | 0 | - | - | - | skipped: no "
                "$DAIHOI_PAGES_DIR or /tmp/daihoi_pages | - |"]
    firsts = first_runs()
    out = []
    for sample, what in (("a", "sample a"), ("b", "sample b, first confirmation"),
                         ("c", "sample c, second confirmation"),
                         ("d", "sample d, last confirmation")):
        spec_list = specs((sample,))
        if not spec_list:
            out.append(f"| real pages, {what} | 0 | - | - | - | skipped: page texts absent | - |")
            continue
        for kind in KINDS:
            counts = score(spec_list, kind, tmp)
            if counts is None:
                out.append(f"| real pages, {what}, {kind} | 0 | - | - | - | skipped: no "
                           "soffice | - |")
                continue
            first = (firsts.get(sample) or {}).get(kind, "-")
            out.append(f1_row(f"real pages, {what}, {kind} (first run {first})",
                              len(spec_list), counts))
    return out


def main(argv: list[str]) -> int:
    samples = tuple(argv) or ("a", "b", "c", "d")
    spec_list = specs(samples)
    if not spec_list:
        print("no page texts found (set DAIHOI_PAGES_DIR)")
        return 1
    with tempfile.TemporaryDirectory() as tmp_dir:
        for kind in KINDS:
            counts = score(spec_list, kind, Path(tmp_dir), verbose=True)
            if counts is not None:
                print(f1_row(f"{'+'.join(samples)} {kind}", len(spec_list), counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
