"""Equality check for the faster word segmentation (issue 16): the new path must give the SAME
output as underthesea's, everywhere the pipeline reads words.

    python benchmarks/check_segmenter.py [--limit N] [--skip-analyze]

Inputs: the 5 seeds (corpus/seeds), every corpus file (corpus/docx, corpus/pdf,
corpus/synthetic) and the 256 development articles (../shared/devdata/news; skipped with a note
when absent). Three comparisons, each old path against new path in one process:

1. words: for every paragraph, `make_doc` with underthesea (the indicator extractor's words
   before this change: non-space tokens of the spaCy Doc) against `word_tokens` with the new
   decoder (what the extractor reads now);
2. `extract_indicators(text, Context(year=2020))` on each text, underthesea vs new decoder;
3. the whole `analyze` contract record (`report_record`) of each file, old path (underthesea
   and the earlier `unreadable_numbers` overlap scan) against new path.

Prints the counts and every difference; exit status 1 when anything differs. Writes the
section "Word segmentation: equality" of benchmarks/results/segmenter.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import ROOT, write_section  # noqa: E402

NEWS = ROOT.parent / "shared" / "devdata" / "news"
# Blind samples of this session (helper L): their articles stay unread until their first runs.
BLIND_SAMPLES = ("g", "h")


def inputs(limit: int | None) -> list[Path]:
    corpus = ROOT / "corpus"
    files = sorted((corpus / "seeds").glob("*.txt"))
    for sub, pattern in (("docx", "*.docx"), ("pdf", "*.pdf"), ("synthetic", "*.docx")):
        files += sorted((corpus / sub).glob(pattern))
    if NEWS.is_dir():
        # Articles of a blind quality sample still to be run (benchmarks/data/
        # indicators_real_<x>.yaml whose header says so) are left out: nobody runs the extractor
        # on them before their first run.
        blind = blind_ids()
        files += sorted(p for p in NEWS.glob("*.txt") if p.stem not in blind)
    else:
        print(f"note: {NEWS} is missing; development articles skipped", file=sys.stderr)
    return files[:limit] if limit else files


def blind_ids() -> set[str]:
    """Development-article ids named by the samples listed in BLIND_SAMPLES."""
    import re

    ids: set[str] = set()
    for name in BLIND_SAMPLES:
        path = ROOT / "benchmarks" / "data" / f"indicators_real_{name}.yaml"
        if path.is_file():
            ids.update(re.findall(r"\b\d{8}\b", path.read_text(encoding="utf-8")))
    return ids


def old_unreadable_numbers(text: str, excluded=()) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """`indicators.unreadable_numbers` as it was before issue 16's speed work (a scan of every
    excluded span per odd number), the reference for the bisection now used."""
    import re

    from pipeline.extract import indicators as ind

    lex = ind.lexicon()
    folded = ind.fold(text)
    spans = sorted([(d.start, d.end) for d in ind.find_dates(text)] + list(excluded))
    out = []
    for m in ind._ODD_NUMBER.finditer(text):
        if ind.parse_number(m.group().rstrip(".,")) is not None or any(
                s < m.end() and m.start() < e for s, e in spans):
            continue
        noun = lex.noun_at(folded, m.end())
        pct = re.match(r"\s*%", text[m.end():])
        if noun is not None or pct:
            end = noun[1] if noun is not None else m.end() + pct.end()  # type: ignore[union-attr]
            out.append((m.start(), text[m.start():end]))
    return out


def set_mode(old: bool) -> None:
    from pipeline.extract import indicators as ind
    from pipeline.nlp import tokens

    tokens.SEGMENTER = "underthesea" if old else "fast"
    if not hasattr(ind, "_new_unreadable_numbers"):
        ind._new_unreadable_numbers = ind.unreadable_numbers  # type: ignore[attr-defined]
    ind.unreadable_numbers = (old_unreadable_numbers if old  # type: ignore[assignment]
                              else ind._new_unreadable_numbers)  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="first N files only")
    ap.add_argument("--skip-analyze", action="store_true", help="words and indicators only")
    args = ap.parse_args()

    from pipeline.analysis import analyze
    from pipeline.contract import report_record
    from pipeline.errors import DaihoiError
    from pipeline.extract.indicators import Context, extract_indicators
    from pipeline.ingest import load
    from pipeline.nlp.tokens import make_doc, paragraphs, word_tokens

    files = inputs(args.limit)
    diffs: list[str] = []
    counts = {"files": len(files), "paragraphs": 0, "words": 0, "indicators": 0,
              "records": 0}
    seconds = {"old": 0.0, "new": 0.0}
    for path in files:
        try:
            text = load(path).text
        except DaihoiError as exc:
            print(f"skip {path.name}: {exc}", file=sys.stderr)
            continue
        # 1. words, paragraph by paragraph
        for start, end in paragraphs(text):
            para = text[start:end]
            set_mode(True)
            old = [(t.idx, t.idx + len(t.text), t.text) for t in make_doc(para) if not t.is_space]
            set_mode(False)
            new = word_tokens(para)
            counts["paragraphs"] += 1
            counts["words"] += len(old)
            if old != new:
                diffs.append(f"words {path.name} @{start}: "
                             f"{[w for w in old if w not in new][:4]} -> "
                             f"{[w for w in new if w not in old][:4]}")
        # 2. indicators of the text
        results = []
        for mode in (True, False):
            set_mode(mode)
            t = time.perf_counter()
            results.append([asdict(i) for i in extract_indicators(text, Context(year=2020))])
            seconds["old" if mode else "new"] += time.perf_counter() - t
        counts["indicators"] += len(results[0])
        if results[0] != results[1]:
            diffs.append(f"indicators {path.name}: {len(results[0])} vs {len(results[1])}")
        # 3. the whole contract record
        if not args.skip_analyze:
            records = []
            for mode in (True, False):
                set_mode(mode)
                records.append(json.dumps(report_record(analyze(path)), sort_keys=True,
                                          ensure_ascii=False, default=str))
            counts["records"] += 1
            if records[0] != records[1]:
                diffs.append(f"record {path.name} differs")
        print(f"{path.name}: {counts}", flush=True)
    set_mode(False)
    for d in diffs:
        print("DIFF", d)
    lines = ["## Word segmentation: equality (issue 16)", "",
             "Old path (underthesea `word_tokenize` via `make_doc`; the earlier "
             "`unreadable_numbers`) against the new decoder (`pipeline/nlp/segmenter.py`) on the "
             "seeds, every corpus file and the development articles.", "",
             "| files | paragraphs | words | indicators | analyze records | differences |",
             "|---|---|---|---|---|---|",
             f"| {counts['files']} | {counts['paragraphs']:,} | {counts['words']:,} | "
             f"{counts['indicators']:,} | {counts['records']} | **{len(diffs)}** |", "",
             f"`extract_indicators` time over all texts: underthesea {seconds['old']:.1f} s, "
             f"new {seconds['new']:.1f} s (same process, loaded machine)."]
    cmd = "python benchmarks/check_segmenter.py " + " ".join(sys.argv[1:])
    print(write_section("segmenter", "\n".join(lines), cmd.strip()))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
