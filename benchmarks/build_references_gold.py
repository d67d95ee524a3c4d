"""Build `benchmarks/data/references_gold.jsonl` from the hand labels.

The labels (`benchmarks/data/references_labels.yaml`) name each reference by its exact surface,
in order; this script finds the spans so nobody counts characters by hand, and fails loudly when
a surface is not where the labels say. One JSON object per text:
{"source", "path"?, "text", "mentions": [{"id", "start", "end", "surface", "kind", "form",
"date"?, "year"?, "body"?}]}.

    python benchmarks/build_references_gold.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "data" / "references_labels.yaml"
GOLD = ROOT / "benchmarks" / "data" / "references_gold.jsonl"


def build(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for item in labels:
        text = item.get("text")
        if text is None:
            text = (ROOT / item["path"]).read_text(encoding="utf-8")
        cursor = 0
        previous: dict[str, Any] | None = None
        mentions = []
        for label in item["mentions"]:
            surface = label["surface"]
            if label.get("same_span"):
                assert previous is not None, f"{item['source']}: same_span without a mention"
                start = previous["start"]
            else:
                start = text.find(surface, cursor)
                if start < 0:
                    raise SystemExit(f"{item['source']}: {surface!r} not found after {cursor}")
            mention = {k: v for k, v in label.items() if k not in ("surface", "same_span")}
            mention.update(start=start, end=start + len(surface), surface=surface)
            mentions.append(mention)
            previous = mention
            cursor = start + len(surface)
        record = {"source": item["source"], "text": text, "mentions": mentions}
        if "path" in item:
            record["path"] = item["path"]
        items.append(record)
    return items


def main() -> None:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    items = build(labels)
    with GOLD.open("w", encoding="utf-8") as fh:
        for record in items:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    n = sum(len(r["mentions"]) for r in items)
    print(f"{GOLD.relative_to(ROOT)}: {len(items)} texts, {n} mentions")


if __name__ == "__main__":
    main()
