"""`daihoi train sections|doctype`: cross-validate, write the model card, fit, save the JSON.
The work is in pipeline/nlp/training.py and pipeline/nlp/model_cards.py."""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents
from pipeline.ingest import file_sha256
from pipeline.nlp import doctype as dt
from pipeline.nlp import sections as sec
from pipeline.nlp.model_cards import doctype_card, probe_sections, sections_card
from pipeline.nlp.training import (
    CVResult,
    cross_validate_doctype,
    cross_validate_sections,
    fit_doctype,
    fit_sections,
    read_jsonl,
    rule_precision,
)


def _meta(kind: str, data: Path) -> dict[str, Any]:
    import sklearn

    digest = file_sha256(data)
    today = date.today().isoformat()
    try:
        shown = data.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = data.as_posix()
    return {"model_version": f"{kind}-{today.replace('-', '')}-{digest[:8]}", "trained": today,
            "training_data": shown, "training_data_sha256": digest,
            "sklearn_version": sklearn.__version__, "python": platform.python_version()}


def run_train(what: str, data: Path, out: Path, k: int, command: str) -> dict[str, Any]:
    records = read_jsonl(data)
    meta = _meta(what, data)
    k = max(2, min(k, len({r["doc"] for r in records})))
    if what == "sections":
        cv = cross_validate_sections(records, k)
        meta["rule_confidence"] = rule_precision(cv)
        meta["rule_threshold"] = sec.taxonomy()["rules"]["threshold"]
        model, _, _ = fit_sections(records, meta)
        meta["probe"] = probe_sections(sec.SectionClassifier(model), data.parent / "probe.yaml")
        card = sections_card(records, cv, meta, command, k)
    else:
        cv = cross_validate_doctype(records, k)
        card = doctype_card(records, cv, meta, command, k)
        model, _, _ = fit_doctype(records, meta)
    meta["cv_accuracy"] = round(cv.accuracy()[0], 4)
    model.meta.update(meta)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.json")
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return {"cv": cv, "meta": meta, "card": card}


def _cmd_train(args: argparse.Namespace) -> int:
    default_dir = sec.MODEL_DIR if args.what == "sections" else dt.MODEL_DIR
    data = args.data or default_dir / "training_data.jsonl"
    out = args.out or default_dir
    if not data.is_file():
        print(f"không thấy dữ liệu huấn luyện / training data not found: {data}", file=sys.stderr)
        return 2
    command = "daihoi train " + " ".join(sys.argv[sys.argv.index("train") + 1:]) \
        if "train" in sys.argv else f"daihoi train {args.what}"
    result = run_train(args.what, data, out, args.folds, command)
    cv: CVResult = result["cv"]
    acc, n = cv.accuracy()
    print(f"{args.what}: {n} items, {len(set(cv.docs))} documents, "
          f"document-level {args.folds}-fold CV accuracy {acc:.3f}")
    corpus = [i for i, d in enumerate(cv.docs) if d.startswith("corpus:")]
    if corpus:
        c_acc = sum(cv.gold[i] == cv.predicted[i] for i in corpus) / len(corpus)
        print(f"  on corpus documents: {c_acc:.3f} ({len(corpus)} items)")
    print(f"  wrote {out / 'model.json'} and {out / 'MODEL_CARD.md'} "
          f"({result['meta']['model_version']})")
    return 0


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    vi = lang != "en"
    p = subparsers.add_parser(
        "train", parents=[parents.common],
        help="huấn luyện mô hình nhãn mục / loại văn bản" if vi
        else "train the section-label or doc_type model")
    p.add_argument("what", choices=("sections", "doctype"))
    p.add_argument("--data", type=Path, default=None,
                   help="JSON Lines training data (default: models/<what>/training_data.jsonl)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder for model.json and MODEL_CARD.md (default: models/<what>)")
    p.add_argument("--folds", type=int, default=5, help="document-level CV folds (default 5)")
    p.set_defaults(func=_cmd_train)
