"""Model cards (markdown) for the section and doc_type classifiers: data, features, held-out
accuracy per label, confusion matrix, version."""


from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.nlp import doctype as dt
from pipeline.nlp import sections as sec
from pipeline.nlp.training import (
    C_DOCTYPE,
    C_SECTIONS,
    SEED,
    CVResult,
)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{x:.3f}"


def confusion_markdown(cv: CVResult) -> str:
    labels = sorted(set(cv.gold) | set(cv.predicted))
    code = {lab: str(i) for i, lab in enumerate(labels)}
    counts = Counter(zip(cv.gold, cv.predicted, strict=True))
    rows = [[f"{code[g]} {g}"] + [counts.get((g, p), "") or "·" for p in labels] for g in labels]
    return _table(["gold \\ predicted"] + [code[p] for p in labels], rows)


def per_label_markdown(cv: CVResult) -> str:
    rows = []
    for lab in sorted(set(cv.gold)):
        idx = [i for i, g in enumerate(cv.gold) if g == lab]
        predicted_as = [i for i, p in enumerate(cv.predicted) if p == lab]
        recall = sum(cv.predicted[i] == lab for i in idx) / len(idx)
        precision = (sum(cv.gold[i] == lab for i in predicted_as) / len(predicted_as)
                     if predicted_as else float("nan"))
        rows.append([lab, len(idx), _pct(recall), _pct(precision)])
    return _table(["label", "n", "recall (accuracy)", "precision"], rows)


def _rules_sentence(ruled: int, confidence: float) -> str:
    if not ruled:
        return ("The rules never overrode the model in cross-validation (it was never unsure "
                "where they matched); a rule decision reports the default confidence "
                f"{confidence}.")
    return (f"Rules overrode the unsure model on {ruled} held-out headings and were right on "
            f"{_pct(confidence)} of them: that is the confidence a rule decision reports.")


def _probe_sentence(probe: dict[str, Any] | None) -> str:
    if not probe:
        return ""
    misses = "; ".join(f'"{m[0]}" ({m[1]} → {m[2]})' for m in probe["misses"]) or "none"
    return (f"Unseen-wording probe (`probe.yaml`, wordings written before any prediction and in "
            f"no training file), final model: {probe['correct']}/{probe['total']} "
            f"= {_pct(probe['correct'] / probe['total'])}. Misses: {misses}.")


def probe_sections(clf: sec.SectionClassifier, path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    import yaml

    probe = yaml.safe_load(path.read_text(encoding="utf-8"))
    got = clf.predict([sec.SectionInput(h, "", p, d) for h, p, d, _ in probe])
    misses = [(h, e, g[0]) for (h, _, _, e), g in zip(probe, got, strict=True) if g[0] != e]
    return {"correct": len(probe) - len(misses), "total": len(probe), "misses": misses}


def sections_card(records: Sequence[dict[str, Any]], cv: CVResult, meta: dict[str, Any],
                  command: str, k: int) -> str:
    by_label = Counter(r["label"] for r in records)
    corpus = [r for r in records if r["source"].startswith("corpus:")]
    overall, n = cv.accuracy()
    on_corpus, n_corpus = cv.accuracy(lambda i: records[i]["source"].startswith("corpus:"))
    model_only, _ = cv.accuracy(pred=cv.model_only)
    model_only_corpus, _ = cv.accuracy(lambda i: records[i]["source"].startswith("corpus:"),
                                       pred=cv.model_only)
    docs = sorted({r["doc"] for r in corpus})
    per_doc = [[d, *(lambda a: (_pct(a[0]), a[1]))(cv.accuracy(lambda i, d=d: cv.docs[i] == d))]
               for d in docs]
    ruled = sum(s == "rules" for s in cv.sources)
    return f"""# Model card: section-label classifier

- model_version: `{meta["model_version"]}`
- trained: {meta["trained"]} with scikit-learn {meta["sklearn_version"]}, Python {meta["python"]}
- training data: `{meta["training_data"]}`, sha256 `{meta["training_data_sha256"]}`
- artefact: `model.json` beside this card (version-independent JSON, predicted with numpy by
  `pipeline.nlp.linear_model.LinearTextModel`; no pickle)
- command: `{command}`

## What it does

Gives every heading of a Vietnamese party congress document one canonical section label of
`pipeline/data/taxonomy.yaml` with a confidence. Labels follow the convention written at the top
of the taxonomy (topics in the results part; the part's own label for sub-headings of the
assessment and plan parts; titles are `preamble`).

## Data

{len(records)} labelled headings from {len({r["doc"] for r in records})} documents:
{len(corpus)} headings of the {len(docs)} real seed documents (every heading of
`corpus/truth/*.json`, hand-labelled in `models/sections/corpus_labels.yaml`) and
{len(records) - len(corpus)} headings of constructed outlines (`models/sections/build_data.py`
composes them from the hand-written `phrasebank.yaml`: báo cáo chính trị of chi bộ, đảng bộ xã,
phường, huyện, tỉnh, khối, quân đội, công an, doanh nghiệp, trường học, bệnh viện, with and
without parts and "Đặc điểm tình hình", mixed numbering, capitals, Title Case, typos and missing
diacritics; báo cáo kiểm điểm, nghị quyết đại hội, tham luận and news).

{_table(["label", "headings", "of which corpus"],
        [[lab, by_label[lab], sum(1 for r in corpus if r["label"] == lab)]
         for lab in sorted(by_label)])}

## Features

Heading with its list number stripped: word 1–2-grams (with diacritics), word 1–2-grams and
character 2–5-grams without diacritics (typos, missing marks); the first {sec.CONTEXT_CHARS}
characters of the section body (word 1–2-grams, weight 0.4); the parent heading (weight 0.4);
tokens for the numbering scheme, all capitals, a final colon, the parent's label and the
doc_type (weight 0.8). TF-IDF with sublinear tf, l2 per block; multinomial
LogisticRegression (C={C_SECTIONS}). In training the parent's label is the gold label; in
evaluation and use it is the label predicted top-down. Below confidence
{sec.taxonomy()["rules"]["threshold"]} the taxonomy words decide when they match (`source: rules`).

## Document-level cross-validation ({k} folds, documents shuffled with seed {SEED})

| measure | accuracy | headings |
|---|---|---|
| all held-out headings (model + rules) | {_pct(overall)} | {n} |
| corpus documents only (model + rules) | {_pct(on_corpus)} | {n_corpus} |
| all held-out headings, model alone | {_pct(model_only)} | {n} |
| corpus documents only, model alone | {_pct(model_only_corpus)} | {n_corpus} |

{_rules_sentence(ruled, meta["rule_confidence"])}

{_probe_sentence(meta.get("probe"))}

Corpus documents, each held out with the rest of its fold:

{_table(["document", "accuracy", "headings"], per_doc)}

The constructed outlines share a phrase bank, so folds are not independent in wording: the
figure on the corpus documents, whose wording no constructed outline copies, is the honest one
for unseen reports.

Per label (all held-out headings):

{per_label_markdown(cv)}

Confusion matrix (rows gold, columns predicted; numbers index the labels):

{confusion_markdown(cv)}

## Limits

- Only five real documents, two of them political reports with outlines; the rest of the data
  is constructed. Real wordings outside the phrase bank will be seen first in production.
- A heading that names two topics ("Công tác dân vận và lãnh đạo các đoàn thể") gets one label.
- Speech and news parts are mostly paragraphs, not headings: `label_paragraphs` finds them by
  formula (taxonomy `paragraph_cues`), not this model.
"""


def doctype_card(records: Sequence[dict[str, Any]], cv: CVResult, meta: dict[str, Any],
                 command: str, k: int) -> str:
    by_label = Counter(r["label"] for r in records)
    corpus_idx = lambda i: records[i]["source"].startswith("corpus:")  # noqa: E731
    overall, n = cv.accuracy()
    on_corpus, n_corpus = cv.accuracy(corpus_idx)
    corpus_rows = [[records[i]["doc"], records[i]["label"], cv.predicted[i]]
                   for i in range(len(records)) if corpus_idx(i)]
    return f"""# Model card: doc_type classifier

- model_version: `{meta["model_version"]}`
- trained: {meta["trained"]} with scikit-learn {meta["sklearn_version"]}, Python {meta["python"]}
- training data: `{meta["training_data"]}`, sha256 `{meta["training_data_sha256"]}`
- artefact: `model.json` beside this card (version-independent JSON, numpy prediction)
- command: `{command}`

## Data

{len(records)} documents: the five seeds (whole documents: their first {dt.HEAD_CHARS} characters
and headings) and constructed heads (`models/doctype/build_data.py`, hand-written title blocks,
openings and headings of each type for units of every level).

{_table(["doc_type", "documents", "of which corpus"],
        [[lab, by_label[lab], sum(1 for r in records
                                  if r["label"] == lab and r["source"].startswith("corpus:"))]
         for lab in sorted(by_label)])}

## Features

The first {dt.OPENING_CHARS} characters (title block, greeting, dateline: word 1–2-grams without
diacritics); counts of the formula cues of each type (`cues` in `pipeline/data/templates.yaml`,
e.g. "kính thưa", a dateline, "quyết nghị", "kiểm điểm") as tokens; the first {dt.HEAD_CHARS}
characters: word 1–2-grams with and without diacritics, character 3–5-grams without
diacritics; the headings joined (word 1–2-grams without diacritics, weight 0.6). TF-IDF,
sublinear tf; multinomial LogisticRegression (C={C_DOCTYPE}, balanced class weights: political
reports outnumber the other types in the data).

## Document-level cross-validation ({k} folds, seed {SEED})

| measure | accuracy | documents |
|---|---|---|
| all held-out documents | {_pct(overall)} | {n} |
| corpus documents only | {_pct(on_corpus)} | {n_corpus} |

{_table(["corpus document", "gold", "predicted when held out"], corpus_rows)}

Per label:

{per_label_markdown(cv)}

Confusion matrix:

{confusion_markdown(cv)}

## Limits

- No real review_report or resolution yet: those classes are learnt from constructed heads only.
- Constructed heads carry their type's formulas plainly, so cross-validation over them is easy;
  the five held-out seeds (real, with report-like vocabulary in news and speech) are the test
  that matters, and five is few.
- A document whose first {dt.HEAD_CHARS} characters are a cover page or table of contents
  without the title gives the model little to go on.
"""


# -- the command ------------------------------------------------------------------------------
