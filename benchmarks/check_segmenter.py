"""Equality check for the faster word segmentation (issue 16): the new path must give the SAME
output as underthesea's, everywhere the pipeline reads words.

    python benchmarks/check_segmenter.py [--limit N] [--skip-analyze]

Inputs: the 5 seeds (corpus/seeds), every corpus file (corpus/docx, corpus/pdf,
corpus/synthetic) and the development articles of the indicator samples A-H
(../shared/devdata/news, ids from benchmarks/data/indicators_real_[a-h].yaml; no other article:
they may belong to a blind sample; skipped with a note when absent).
Three comparisons, each old path against new path in one process:

1. words: for every paragraph, `make_doc` with underthesea (the indicator extractor's words
   before this change: non-space tokens of the spaCy Doc) against `word_tokens` with the new
   decoder (what the extractor reads now);
2. `extract_indicators(text, Context(year=2020))` on each text, underthesea vs new decoder;
3. the whole `analyze` contract record (`report_record`) of each file, old path (underthesea,
   one process) against new path (the
   decoder, and the paragraphs shared with a helper process, `pipeline.paragraph_split`,
   forced on every file).

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
# Development articles read here: only those of the indicator samples A-H (their first runs are
# recorded); every other article may belong to a blind sample still being labelled, on which
# nobody runs the extractor before its first run.
SAMPLES = "abcdefgh"


def inputs(limit: int | None) -> list[Path]:
    corpus = ROOT / "corpus"
    files = sorted((corpus / "seeds").glob("*.txt"))
    for sub, pattern in (("docx", "*.docx"), ("pdf", "*.pdf"), ("synthetic", "*.docx")):
        files += sorted((corpus / sub).glob(pattern))
    if NEWS.is_dir():
        allowed = sample_ids()
        files += sorted(p for p in NEWS.glob("*.txt") if p.stem in allowed)
    else:
        print(f"note: {NEWS} is missing; development articles skipped", file=sys.stderr)
    return files[:limit] if limit else files


def sample_ids() -> set[str]:
    """Development-article ids named by the indicator samples in SAMPLES."""
    import re

    ids: set[str] = set()
    for name in SAMPLES:
        path = ROOT / "benchmarks" / "data" / f"indicators_real_{name}.yaml"
        if path.is_file():
            ids.update(re.findall(r"\b\d{8}\b", path.read_text(encoding="utf-8")))
    return ids


def set_mode(old: bool) -> None:
    """Old: underthesea's word_tokenize, one process. New: the decoder, and every document's
    paragraphs shared with a forked helper process (`pipeline.paragraph_split`, forced here
    whatever the text's size and the machine's load)."""
    import os

    from pipeline import paragraph_split
    from pipeline.nlp import tokens

    tokens.SEGMENTER = "underthesea" if old else "fast"
    os.environ["DAIHOI_SPLIT_JOBS"] = "1" if old else "2"
    paragraph_split.MIN_CHARS = 0
    paragraph_split.CHUNK_CHARS = 2000  # many chunks: the helper reads some of most files


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
             "Old path (underthesea `word_tokenize` via `make_doc`, one process) against "
             "the new decoder (`pipeline/nlp/segmenter.py`) on the "
             "seeds, every corpus file and the development articles of samples A-H; the new "
             "path also shares every document's paragraphs with a helper process "
             "(`pipeline.paragraph_split`, forced).", "",
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
