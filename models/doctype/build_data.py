"""Build models/doctype/training_data.jsonl: one object per document.

{"doc", "text_head" (first ~1500 characters), "headings", "label", "source"}:
- corpus:<id>  the five seed documents, whole (corpus/seeds/*.txt, headings and doc_type from
  corpus/truth/*.json);
- constructed:<doc>  a hand-written title block or opening of the type (heads.yaml) followed by
  the headings and section bodies of a constructed outline of the same type
  (models/sections/training_data.jsonl, built first by models/sections/build_data.py).

Run from the repository root: python models/doctype/build_data.py
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HEAD_CHARS = 1500
SEED = 7

# Outline variants of models/sections/build_data.py and the doc_type they are.
VARIANT_TYPE = {"classic": "political_report", "no_situation": "political_report",
                "flat": "political_report", "areas": "political_report",
                "review_style_results": "political_report", "review": "review_report",
                "resolution": "resolution", "speech": "speech", "news": "news"}


def corpus_records() -> list[dict]:
    out = []
    for truth_path in sorted((ROOT / "corpus" / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        seed = ROOT / "corpus" / "seeds" / f"{truth_path.stem}.txt"
        text = " ".join(seed.read_text(encoding="utf-8").split())
        doc = truth_path.stem.split("_")[0]
        out.append({"doc": f"corpus:{doc}", "text_head": text[:HEAD_CHARS],
                    "headings": [p["text"] for p in truth["paragraphs"] if p["kind"] == "heading"],
                    "label": truth["doc_type"], "source": f"corpus:{doc}"})
    return out


def fill(text: str, rng: random.Random, unit: str, parent: str, term: tuple[str, str]) -> str:
    values = {
        "unit": unit, "UNIT": unit.upper(), "PARENT": parent, "PARENT_LOWER": parent.title(),
        "prev": term[0], "term": term[1], "y": term[0][-4:], "k": rng.choice(["I", "II", "V"]),
        "k2": rng.choice(["II", "III", "IV", "VI", "XII"]), "n": f"{rng.randint(1, 99):02d}",
        "m": str(rng.randint(20, 400)), "d": str(rng.randint(1, 28)),
        "d2": str(rng.randint(2, 29)), "mo": str(rng.randint(1, 12)),
        "name": rng.choice(["An", "Bình", "Hùng", "Lan", "Minh"]),
        "place": rng.choice(["Hà Nội", "Nghệ An", "Long Xuyên", "Quy Nhơn"]),
        "wd": rng.choice(["Hai", "Ba", "Tư", "Năm", "Sáu"]), "hh": f"{rng.randint(6, 21):02d}",
        "mm": f"{rng.randint(0, 59):02d}",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def constructed_records(heads: dict) -> list[dict]:
    rng = random.Random(SEED)
    bank = yaml.safe_load((ROOT / "models" / "sections" / "phrasebank.yaml").read_text("utf-8"))
    names = [n.strip() for u in bank["units"].values() for n in u["names"].split("|")]
    outlines: dict[str, list[dict]] = defaultdict(list)
    with (ROOT / "models" / "sections" / "training_data.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["source"].startswith("constructed:"):
                outlines[rec["doc"]].append(rec)
    out = []
    for doc, recs in sorted(outlines.items()):
        label = next(t for v, t in VARIANT_TYPE.items() if doc.endswith("_" + v))
        term = (rng.choice(["2015-2020", "2020-2025", "2023-2025"]),
                rng.choice(["2020-2025", "2025-2030", "2025-2027"]))
        joined = " ".join(r["context"] + " " + r["heading"] for r in recs)
        unit = next((n for n in names if n in joined), rng.choice(names))
        parent = rng.choice(heads["parents"])
        template = rng.choice(heads[label])
        template = template.replace("{TOPIC}", rng.choice(heads["topics"]))
        template = template.replace("{HEADLINE}", fill(rng.choice(heads["headlines"]), rng,
                                                       unit, parent, term))
        parts = [fill(template, rng, unit, parent, term)] if template else []
        headings = [r["heading"] for r in recs]
        if label in ("news", "speech") and template:
            # The template carries its own title and headline: drop the outline's.
            recs = [r for r in recs if r["label"] != "preamble"]
        if label in heads["bodies"]:
            bodies = rng.sample(heads["bodies"][label], k=min(2, len(heads["bodies"][label])))
            parts += [fill(b, rng, unit, parent, term) for b in bodies]
        for r, nxt in zip(recs, recs[1:] + [None], strict=True):
            # The context runs on into the next heading: keep only this section's own body.
            body = r["context"]
            if nxt is not None and nxt["heading"] in body:
                body = body[:body.index(nxt["heading"])]
            parts += [r["heading"], body.strip()[:240]]
        text = "\n".join(p for p in parts if p)
        out.append({"doc": doc, "text_head": text[:HEAD_CHARS], "headings": headings,
                    "label": label, "source": f"constructed:{doc}"})
    return out


def main() -> None:
    heads = yaml.safe_load((HERE / "heads.yaml").read_text(encoding="utf-8"))
    records = corpus_records() + constructed_records(heads)
    path = HERE / "training_data.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        counts[r["label"]] += 1
    print(f"wrote {len(records)} documents to {path}: {dict(counts)}")


if __name__ == "__main__":
    main()
