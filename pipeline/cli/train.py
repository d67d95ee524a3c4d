"""`daihoi train sections|doctype`: cross-validate, write the model card, fit, save the JSON.
The work is in pipeline/nlp/training.py and pipeline/nlp/model_cards.py."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.cli.common import Parents, say
from pipeline.i18n import message


def _meta(kind: str, data: Path) -> dict[str, Any]:
    import platform

    import sklearn

    from pipeline.ingest import file_sha256

    digest = file_sha256(data)
    today = date.today().isoformat()
    try:
        shown = data.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = data.as_posix()
    return {"model_version": f"{kind}-{today.replace('-', '')}-{digest[:8]}", "trained": today,
            "training_data": shown, "training_data_sha256": digest,
            "sklearn_version": sklearn.__version__, "python": platform.python_version()}


def run_train(
    what: str, data: Path, out: Path, k: int, command: str, card_dir: Path | None = None,
) -> dict[str, Any]:
    """Cross-validate, write the model card (into `card_dir`, default `out`), fit and save
    `out`/model.json."""
    from pipeline.nlp import sections as sec
    from pipeline.nlp.model_cards import doctype_card, probe_sections, sections_card
    from pipeline.nlp.training import (
        cross_validate_doctype,
        cross_validate_sections,
        fit_doctype,
        fit_sections,
        read_jsonl,
        rule_precision,
    )

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
    card_dir = card_dir or out
    card_dir.mkdir(parents=True, exist_ok=True)
    (card_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return {"cv": cv, "meta": meta, "card": card}


def _cmd_train(args: argparse.Namespace) -> int:
    from pipeline.nlp import doctype as dt
    from pipeline.nlp import sections as sec
    from pipeline.nlp.training import CVResult

    # Training happens in a checkout: the labelled data and the card are in models/<what>/
    # there; the model itself is written where the package ships it (pipeline/data/models/).
    source_dir = Path("models") / args.what
    data = args.data or source_dir / "training_data.jsonl"
    out = args.out or (sec.MODEL_DIR if args.what == "sections" else dt.MODEL_DIR)
    card_dir = args.out or source_dir
    if not data.is_file():
        say("cli.train.no_data", args.lang, stderr=True, path=data)
        return 2
    command = "daihoi train " + " ".join(sys.argv[sys.argv.index("train") + 1:]) \
        if "train" in sys.argv else f"daihoi train {args.what}"
    result = run_train(args.what, data, out, args.folds, command, card_dir)
    cv: CVResult = result["cv"]
    acc, n = cv.accuracy()
    say("cli.train.result", args.lang, what=args.what, items=n, documents=len(set(cv.docs)),
        folds=args.folds, accuracy=f"{acc:.3f}")
    corpus = [i for i, d in enumerate(cv.docs) if d.startswith("corpus:")]
    if corpus:
        c_acc = sum(cv.gold[i] == cv.predicted[i] for i in corpus) / len(corpus)
        say("cli.train.corpus", args.lang, accuracy=f"{c_acc:.3f}", items=len(corpus))
    say("cli.train.wrote", args.lang, model=out / "model.json", card=card_dir / "MODEL_CARD.md",
        version=result["meta"]["model_version"])
    return 0


def register(subparsers: Any, parents: Parents, lang: str) -> None:
    def h(key: str) -> str:
        return message(f"cli.opt.train.{key}", lang)

    p = subparsers.add_parser("train", parents=[parents.common],
                              help=message("cli.train.help", lang),
                              description=message("cli.train.help", lang))
    p.add_argument("what", choices=("sections", "doctype"), help=h("what"))
    p.add_argument("--data", type=Path, default=None, help=h("data"))
    p.add_argument("--out", type=Path, default=None, help=h("out"))
    p.add_argument("--folds", type=int, default=5, help=h("folds"))
    p.set_defaults(func=_cmd_train)
