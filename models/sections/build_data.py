"""Build models/sections/training_data.jsonl: the labelled headings of the section classifier.

Two sources, told apart by the "source" field:
- corpus:<id>  every heading of the five real seed documents (corpus/truth/*.json), labelled by
  hand in corpus_labels.yaml;
- constructed:<doc>  outlines composed from phrasebank.yaml (hand-written wordings and bodies of
  real report conventions) with varied structure, numbering, letter case, typos and dropped
  diacritics, for units of every level and kind. Seeded, so the file is reproducible.

Run from the repository root: python models/sections/build_data.py
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONTEXT_CHARS = 300
SEED = 20251125


@dataclass
class Item:
    level: int
    heading: str
    label: str
    body: str = ""


# ---------------------------------------------------------------- corpus headings


def corpus_records() -> list[dict]:
    labels = yaml.safe_load((HERE / "corpus_labels.yaml").read_text(encoding="utf-8"))
    records = []
    for path in sorted((ROOT / "corpus" / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        doc = path.stem.split("_")[0]
        paras = truth["paragraphs"]
        wanted = labels[doc]
        heads = [i for i, p in enumerate(paras) if p["kind"] == "heading"]
        if len(heads) != len(wanted):
            raise SystemExit(f"{doc}: {len(heads)} headings but {len(wanted)} labels")
        stack: list[tuple[int, str]] = []
        for i, entry in zip(heads, wanted, strict=True):
            label, prefix = (part.strip() for part in entry.split("|", 1))
            p = paras[i]
            if not p["text"].startswith(prefix):
                raise SystemExit(f"{doc}: heading {i} {p['text'][:40]!r} is not {prefix!r}")
            level = p["level"] or 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            stack.append((level, p["text"]))
            records.append({
                "doc": f"corpus:{doc}", "heading": p["text"],
                "context": _context([q["text"] for q in paras[i + 1:i + 12]]),
                "parent": parent, "label": label, "source": f"corpus:{doc}",
            })
    return records


def _context(following: list[str]) -> str:
    text = " ".join(t for t in following if t)
    return text[:CONTEXT_CHARS]


# ---------------------------------------------------------------- text variation


def strip_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1:]  # dropped letter ("chất ượng")
    if kind < 0.7:
        return word[:i] + word[i] + word[i:]  # doubled letter
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if i + 2 <= len(word) else word


def vary_words(text: str, rng: random.Random, p_typo: float, p_plain: float) -> str:
    words = text.split(" ")
    if len(words) > 1 and rng.random() < p_typo:
        j = rng.randrange(len(words))
        words[j] = typo(words[j], rng)
    if len(words) > 1 and rng.random() < p_plain:
        j = rng.randrange(len(words))
        words[j] = strip_marks(words[j])  # one word typed without diacritics
    return " ".join(words)


def title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
PART_WORDS = ["nhất", "hai", "ba", "tư"]


class Style:
    """How one document prints its headings: numbering per depth, capitals, colons, typos."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.part = rng.choice(["Phần thứ {w}", "PHẦN THỨ {W}", "PHẦN {R}", "Phần {R}.", ""])
        self.part_separate = rng.random() < 0.5  # "PHẦN THỨ HAI" on its own line
        self.schemes = rng.choice([
            ["{R}.", "{n}.", "{n}.{m}.", "{a})"],
            ["{A}.", "{R}.", "{n}.", "{n}.{m}."],
            ["{R}.", "{n}.", "{a})", "-"],
            ["{R}/", "{n}/", "{a}/", "+"],
            ["{n}.", "{n}.{m}.", "{n}.{m}.{k}.", "*"],
            ["{R}.", "{n}.", "*", "-"],
            ["", "{n}.", "{a})", "*"],
            ["{A}.", "{n}.", "{n}.{m}", "{a})"],
        ])
        self.caps = rng.choice(["top", "top", "top2", "none", "title2", "all"])
        self.colon = rng.random() < 0.25
        self.p_typo = rng.choice([0.0, 0.03, 0.08])
        self.p_plain = rng.choice([0.0, 0.03, 0.1])
        self.no_numbers = rng.random() < 0.12
        self.counters: list[int] = [0] * 8
        self.offset = 0  # 1 when the document has parts: depth 1 then uses the first scheme

    def number(self, depth: int) -> str:
        depth -= self.offset
        if depth < 0:
            return ""
        self.counters[depth] += 1
        for d in range(depth + 1, len(self.counters)):
            self.counters[d] = 0
        if self.no_numbers or depth >= len(self.schemes):
            return ""
        n = self.counters[depth]
        parent = self.counters[depth - 1] if depth else 1
        grand = self.counters[depth - 2] if depth > 1 else 1
        pattern = self.schemes[depth]
        if "{m}" in pattern and "{k}" in pattern:
            return pattern.format(n=grand, m=parent, k=n)
        if "{m}" in pattern:
            return pattern.format(n=parent, m=n)
        return pattern.format(R=ROMAN[(n - 1) % 12], A="ABCDEFGH"[(n - 1) % 8], n=n,
                              a="abcdefghik"[(n - 1) % 10])

    def render(self, text: str, depth: int) -> str:
        if self.caps == "all" or (self.caps in ("top", "top2") and depth == 0) or (
            self.caps == "top2" and depth == 1
        ):
            text = text.upper()
        elif self.caps == "title2" and depth <= 1:
            text = title_case(text)
        text = vary_words(text, self.rng, self.p_typo, self.p_plain)
        number = self.number(depth)
        if self.colon and depth >= 2 and not text.endswith(("!", ":")):
            text += ":"
        return f"{number} {text}".strip()

    def part_heading(self, index: int, title: str) -> list[str]:
        if not self.part:
            return [title.upper()]
        head = self.part.format(w=PART_WORDS[index], W=PART_WORDS[index].upper(),
                                R=ROMAN[index])
        if self.part_separate:
            return [head, title.upper()]
        return [f"{head}: {title}" if self.rng.random() < 0.5 else f"{head} - {title.upper()}"]


# ---------------------------------------------------------------- outline recipes


class Composer:
    def __init__(self, bank: dict, rng: random.Random) -> None:
        self.bank = bank
        self.rng = rng

    def pick(self, label: str) -> str:
        return self.rng.choice(self.bank["headings"][label])

    def pick_topic(self, label: str) -> str:
        """A topic wording fit to stand under the plan part (no "Kết quả ..." wordings)."""
        options = [h for h in self.bank["headings"][label] if "kết quả" not in h.lower()]
        return self.rng.choice(options)

    def body(self, label: str, p: float = 0.85) -> str:
        if self.rng.random() > p:
            return ""
        snippets = self.bank["contexts"].get(label) or [""]
        chosen = self.rng.sample(snippets, k=min(len(snippets), self.rng.choice([1, 1, 2])))
        return " ".join(chosen)

    def fill(self, text: str, unit: dict) -> str:
        rng = self.rng
        total = rng.randint(8, 24)
        values = {
            "unit": unit["name"], "UNIT": unit["name"].upper(),
            "UNIT2": unit["name"].upper().replace("ĐẢNG BỘ ", ""), "short": unit["short"],
            "term": unit["term"], "prev": unit["prev"], "k": rng.choice(ROMAN[:6]),
            "k2": rng.choice(ROMAN[1:12]), "n": f"{rng.randint(1, 40):02d}",
            "s": f"{rng.randint(1, 5):02d}", "t": str(total),
            "q": str(rng.randint(total - 3, total)),
            "m": str(rng.randint(10, 900)), "p": str(rng.choice([85, 90, 92.5, 95, 100, 76.2])),
            "y": unit["prev"][-4:], "d": str(rng.randint(1, 28)), "d2": str(rng.randint(2, 29)),
            "mo": str(rng.randint(1, 12)), "name": rng.choice(["An", "Bình", "Hùng", "Lan"]),
            "place": rng.choice(["Hà Nội", "Vinh", "Long Xuyên", "Quy Nhơn", "Buôn Ma Thuột"]),
        }
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)

    # -- political report ------------------------------------------------------------------

    def political_report(self, unit: dict, variant: str) -> list[Item]:
        rng = self.rng
        items: list[Item] = []
        if rng.random() < 0.45:
            items.append(Item(0, self.pick("preamble"), "preamble", self.body("preamble")))
        has_parts = variant != "flat"
        depth = 1 if has_parts else 0
        if has_parts:
            items.append(Item(0, "PART1:" + self.pick("results"), "results",
                              self.body("results", 0.4)))
        if variant != "no_situation":
            items += self.situation(depth)
        items += self.political_tasks(unit, depth, variant)
        items += self.party_building(depth, variant)
        if variant == "review_style_results":
            items.append(Item(depth + 1, "Đánh giá việc thực hiện chỉ tiêu theo Nghị quyết",
                              "results", self.body("results")))
        items += self.assessment(depth)
        if has_parts:
            items.append(Item(0, "PART2:" + self.pick("plan"), "plan", self.body("plan", 0.4)))
        items += self.plan(depth)
        if rng.random() < 0.15:
            items.append(Item(0, self.pick("closing"), "closing", self.body("closing")))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            items.append(Item(0, self.pick("appendix"), "appendix", self.body("appendix")))
        if rng.random() < 0.15:
            items.append(Item(0, self.pick("other"), "other", self.body("other", 0.5)))
        return items

    def situation(self, depth: int) -> list[Item]:
        rng = self.rng
        out = [Item(depth, rng.choice(self.bank["headings"]["situation"][:10]), "situation",
                    self.body("situation", 0.5))]
        if rng.random() < 0.75:
            kids = rng.choice([
                ["Thuận lợi", "Khó khăn"], ["Những thuận lợi", "Những khó khăn, thách thức"],
                ["Khái quát về {unit}", "Thuận lợi, khó khăn"], ["Về thuận lợi", "Về khó khăn"],
                ["Tình hình tổ chức, đảng viên", "Thuận lợi và khó khăn"],
            ])
            out += [Item(depth + 1, k, "situation", self.body("situation")) for k in kids]
        return out

    def political_tasks(self, unit: dict, depth: int, variant: str) -> list[Item]:
        rng = self.rng
        tasks = unit["tasks"]
        if variant == "areas":
            # County and province reports give each field its own top-level part.
            areas = rng.sample(tasks, k=min(len(tasks), rng.randint(2, 4)))
            out = []
            for area in areas:
                out.append(Item(depth, area.upper() if rng.random() < 0.5 else area,
                                "results.political_tasks", self.body("results.political_tasks")))
            return out
        out = [Item(depth, self.pick("results.political_tasks"), "results.political_tasks",
                    self.body("results.political_tasks", 0.5))]
        for task in rng.sample(tasks, k=min(len(tasks), rng.choice([0, 2, 3, 4, 5]))):
            out.append(Item(depth + 1, task, "results.political_tasks",
                            self.body("results.political_tasks")))
        return out

    def party_building(self, depth: int, variant: str) -> list[Item]:
        rng = self.rng
        out = [Item(depth, self.pick("party_building"), "party_building",
                    self.body("party_building", 0.4))]
        topics = ["party_building.ideology", "party_building.organization",
                  "party_building.inspection"]
        if rng.random() < 0.7:
            topics.append("party_building.mass_mobilization")
        if rng.random() < 0.8:
            topics.append("party_building.mass_organizations")
        if rng.random() < 0.35:
            topics.insert(rng.randint(1, len(topics)), "party_building.anti_corruption")
        if rng.random() < 0.3:
            out.append(Item(depth + 1, "Công tác lãnh đạo, chỉ đạo", "party_building",
                            self.body("party_building")))
        for topic in topics:
            out.append(Item(depth + 1, self.pick(topic), topic, self.body(topic)))
            if topic == "party_building.organization" and rng.random() < 0.35:
                for sub in rng.sample(["Công tác cán bộ", "Công tác đảng viên",
                                       "Công tác bảo vệ chính trị nội bộ",
                                       "Công tác xây dựng tổ chức đảng",
                                       "Công tác phát triển đảng viên"], k=rng.randint(2, 3)):
                    out.append(Item(depth + 2, sub, topic, self.body(topic)))
            if topic == "party_building.ideology" and rng.random() < 0.25:
                for sub in rng.sample(self.bank["headings"][topic][5:], k=2):
                    out.append(Item(depth + 2, sub, topic, self.body(topic)))
        return out

    def assessment(self, depth: int) -> list[Item]:
        rng = self.rng
        if rng.random() < 0.12:
            return []
        out = [Item(depth, self.pick("assessment"), "assessment", self.body("assessment", 0.3))]
        parts = ["assessment.strengths", "assessment.weaknesses"]
        if rng.random() < 0.6:
            parts.append("assessment.causes")
        if rng.random() < 0.7:
            parts.append("assessment.lessons")
        for part in parts:
            sub = depth + 2 if part == "assessment.causes" and rng.random() < 0.3 else depth + 1
            out.append(Item(sub, self.pick(part), part, self.body(part)))
        return out

    def plan(self, depth: int) -> list[Item]:
        rng = self.rng
        out: list[Item] = []
        for part in ("plan.direction", "plan.targets", "plan.tasks"):
            if part == "plan.targets" and rng.random() < 0.15:
                continue
            out.append(Item(depth, self.pick(part), part, self.body(part, 0.6)))
            if part == "plan.direction" and rng.random() < 0.4:
                out.append(Item(depth + 1, rng.choice(["Mục tiêu", "Mục tiêu chung",
                                                        "Phương hướng chung", "Mục tiêu cụ thể"]),
                                part, self.body(part)))
            if part == "plan.targets" and rng.random() < 0.5:
                for t in rng.sample(self.bank["headings"]["plan.targets"][7:], k=2):
                    out.append(Item(depth + 1, t, part, self.body(part)))
                if rng.random() < 0.5:
                    # "Chỉ tiêu về công tác tổ chức, cán bộ": topic words, still a target.
                    for topic in rng.sample(TOPICS, k=rng.randint(1, 3)):
                        words = self.pick_topic(topic)
                        out.append(Item(depth + 1, "Chỉ tiêu về " + words[0].lower() + words[1:],
                                        part, self.body(part)))
            if part == "plan.tasks" and rng.random() < 0.7:
                # Topic words under the plan part: the label stays plan.tasks (taxonomy.yaml).
                for topic in rng.sample(TOPICS, k=rng.randint(2, 5)):
                    out.append(Item(depth + 1, self.pick_topic(topic), part, self.body(part)))
        return out

    # -- other document types --------------------------------------------------------------

    def review_report(self, unit: dict) -> list[Item]:
        rng = self.rng
        parts = self.bank["review_parts"]
        items = [Item(0, self.bank["headings"]["preamble"][6], "preamble", self.body("preamble"))]
        items.append(Item(0, _one(parts["strengths"], rng), "assessment.strengths",
                          self.body("assessment.strengths", 0.4)))
        for sub in rng.sample(self.bank["review_items"], k=rng.randint(2, 5)):
            items.append(Item(1, sub, "assessment.strengths", self.body("assessment.strengths")))
        items.append(Item(0, _one(parts["weaknesses"], rng), "assessment.weaknesses",
                          self.body("assessment.weaknesses", 0.4)))
        if rng.random() < 0.6:
            items.append(Item(1, rng.choice(["Hạn chế, khuyết điểm", "Hạn chế"]),
                              "assessment.weaknesses", self.body("assessment.weaknesses")))
            items.append(Item(1, self.pick("assessment.causes"), "assessment.causes",
                              self.body("assessment.causes")))
        elif rng.random() < 0.5:
            for sub in rng.sample(self.bank["review_items"], k=2):
                items.append(Item(1, sub, "assessment.weaknesses",
                                  self.body("assessment.weaknesses")))
        items.append(Item(0, _one(parts["remedy"], rng), "assessment", self.body("assessment")))
        if rng.random() < 0.5:
            items.append(Item(0, _one(parts["explain"], rng), "other", self.body("other", 0.4)))
        if rng.random() < 0.6:
            items.append(Item(0, _one(parts["responsibility"], rng), "assessment.weaknesses",
                              self.body("assessment.weaknesses")))
        items.append(Item(0, _one(parts["plan"], rng), "plan", self.body("plan.tasks")))
        if rng.random() < 0.5:
            items.append(Item(0, self.pick("assessment.lessons"), "assessment.lessons",
                              self.body("assessment.lessons")))
        items.append(Item(0, _one(parts["grade"], rng), "assessment", self.body("assessment")))
        return items

    def resolution(self, unit: dict) -> list[Item]:
        rng = self.rng
        parts = self.bank["resolution_parts"]
        items = [Item(0, self.bank["headings"]["preamble"][7], "preamble", self.body("preamble"))]
        items.append(Item(0, _one(parts["opening"], rng), "preamble", ""))
        items.append(Item(1, _one(parts["assessment"], rng), "assessment",
                          self.body("assessment.strengths")))
        items.append(Item(1, self.pick("plan.direction"), "plan.direction",
                          self.body("plan.direction")))
        items.append(Item(1, self.pick("plan.targets"), "plan.targets", self.body("plan.targets")))
        if rng.random() < 0.5:
            for t in rng.sample(self.bank["headings"]["plan.targets"][7:], k=3):
                items.append(Item(2, t, "plan.targets", self.body("plan.targets")))
        items.append(Item(1, self.pick("plan.tasks"), "plan.tasks", self.body("plan.tasks")))
        if rng.random() < 0.6:
            topics = ["results.political_tasks", "party_building.ideology",
                      "party_building.organization", "party_building.inspection",
                      "party_building.mass_organizations"]
            for topic in rng.sample(topics, k=rng.randint(2, 4)):
                items.append(Item(2, self.pick_topic(topic), "plan.tasks",
                                  self.body("plan.tasks")))
        for other in rng.sample(_split(parts["other"]), k=rng.randint(1, 3)):
            items.append(Item(1, other, "other", self.body("other")))
        items.append(Item(1, _one(parts["closing"], rng), "closing", self.body("closing")))
        return items

    def speech(self, unit: dict) -> list[Item]:
        rng = self.rng
        items = [Item(0, rng.choice(["BÀI THAM LUẬN", "THAM LUẬN", "Bài tham luận"]), "preamble",
                      "")]
        items.append(Item(0, rng.choice([
            "VỀ NÂNG CAO CHẤT LƯỢNG SINH HOẠT CHI BỘ Ở {UNIT}",
            "Phát huy vai trò của cấp ủy trong lãnh đạo chuyển đổi số",
            "NÂNG CAO CHẤT LƯỢNG CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN TRONG DOANH NGHIỆP",
            "Kinh nghiệm lãnh đạo xây dựng nông thôn mới ở {unit}",
            "VAI TRÒ CỦA TỔ CHỨC ĐẢNG TRONG THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW",
        ]), "preamble", ""))
        for g in rng.sample(self.bank["headings"]["speech.greeting"], k=rng.randint(1, 2)):
            items.append(Item(0, g, "speech.greeting", self.body("speech.greeting", 0.5)))
        for b in rng.sample(self.bank["headings"]["speech.body"], k=rng.randint(0, 3)):
            items.append(Item(0, b, "speech.body", self.body("speech.body")))
        if rng.random() < 0.7:
            items.append(Item(0, self.pick("speech.recommendations"), "speech.recommendations",
                              self.body("speech.recommendations")))
        items.append(Item(0, self.pick("speech.closing"), "speech.closing",
                          self.body("speech.closing", 0.3)))
        return items

    def news(self, unit: dict) -> list[Item]:
        rng = self.rng
        items = [Item(0, rng.choice([
            "{unit} tổ chức thành công Đại hội đại biểu lần thứ {k2}, nhiệm kỳ {term}",
            "Đại hội {unit} nhiệm kỳ {term}: Đoàn kết - Dân chủ - Kỷ cương - Đổi mới - Phát triển",
            "{unit}: Đại hội điểm nhiệm kỳ {term}",
            "Đồng chí Nguyễn Văn {name} tái đắc cử Bí thư {unit}",
        ]), "preamble", self.body("news.lead", 1.0))]
        if rng.random() < 0.3:
            items.append(Item(1, self.pick("news.lead"), "news.lead", self.body("news.lead")))
        for b in rng.sample(self.bank["headings"]["news.body"], k=rng.randint(1, 3)):
            items.append(Item(1, b, "news.body", self.body("news.body")))
        return items


def _split(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [v.strip() for v in value.split("|")]


def _one(value: str | list[str], rng: random.Random) -> str:
    return rng.choice(_split(value))


# ---------------------------------------------------------------- assembling documents


def render(items: list[Item], style: Style, composer: Composer, unit: dict) -> list[dict]:
    """Number and style the outline, then compute parent headings and contexts."""
    blocks: list[tuple[int, str, str, str]] = []  # level, heading, label, body
    part_index = 0
    styled = [it.level for it in items if it.label not in NO_STYLE]
    has_parts = any(it.heading.startswith("PART") for it in items)
    style.offset = 1 if has_parts else min(styled, default=0)
    for it in items:
        text = composer.fill(it.heading, unit)
        if text.startswith(("PART1:", "PART2:")):
            heads = style.part_heading(part_index, text[6:])
            part_index += 1
            for h in heads:
                blocks.append((0, h, it.label, ""))
            if it.body:
                blocks[-1] = (0, heads[-1], it.label, composer.fill(it.body, unit))
            style.counters = [0] * 8
            continue
        shown = style.render(text, it.level) if it.label not in NO_STYLE else text
        blocks.append((it.level, shown, it.label, composer.fill(it.body, unit)))
    records = []
    stack: list[tuple[int, str]] = []
    for i, (level, heading, label, _body) in enumerate(blocks):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((level, heading))
        following = []
        for lvl, h, _lab, b in blocks[i:i + 6]:
            if h != heading or lvl != level:
                following.append(h)
            if b:
                following.append(b)
        records.append({"heading": heading, "context": _context(following), "parent": parent,
                        "label": label})
    return records


TOPICS = ["results.political_tasks", "party_building.ideology", "party_building.organization",
          "party_building.inspection", "party_building.mass_mobilization",
          "party_building.mass_organizations"]

# Speech greetings and closings, news leads: printed as written, never numbered.
NO_STYLE = {"speech.greeting", "speech.closing", "news.lead", "preamble"}


def constructed_records(bank: dict) -> list[dict]:
    rng = random.Random(SEED)
    composer = Composer(bank, rng)
    unit_types = list(bank["units"])
    plan: list[tuple[str, str]] = []
    variants = ["classic", "classic", "no_situation", "flat", "areas", "review_style_results"]
    for i in range(60):
        kind = unit_types[i % len(unit_types)]
        variant = variants[(i * 7 + i // len(unit_types)) % len(variants)]
        if variant == "areas" and kind not in ("dang_bo_xa", "dang_bo_phuong", "huyen_uy",
                                                "tinh_uy"):
            variant = "classic"
        plan.append((kind, variant))
    plan += [(unit_types[i % len(unit_types)], "review") for i in range(18)]
    plan += [(unit_types[(i * 3) % len(unit_types)], "resolution") for i in range(18)]
    plan += [(unit_types[(i * 5) % len(unit_types)], "speech") for i in range(18)]
    plan += [(unit_types[(i * 2) % len(unit_types)], "news") for i in range(18)]

    records = []
    for i, (kind, variant) in enumerate(plan):
        u = bank["units"][kind]
        prev, term = rng.choice(bank["terms"])
        unit = {"name": rng.choice(_split(u["names"])), "short": rng.choice(_split(u["short"])),
                "tasks": _split(u["tasks"]), "prev": prev, "term": term}
        if variant == "review":
            items = composer.review_report(unit)
        elif variant == "resolution":
            items = composer.resolution(unit)
        elif variant == "speech":
            items = composer.speech(unit)
        elif variant == "news":
            items = composer.news(unit)
        else:
            items = composer.political_report(unit, variant)
        style = Style(rng)
        if variant in ("speech", "news"):
            style.no_numbers = rng.random() < 0.6
        doc = f"c{i:03d}_{kind}_{variant}"
        # Some documents are typed entirely without diacritics (old PCs, phones), a few in
        # capitals throughout: whole documents, so the parent headings are in that form too.
        form = rng.choices(["as_is", "plain", "upper"], weights=[86, 9, 5])[0]
        for rec in render(items, style, composer, unit)[:34]:
            if form != "as_is":
                change = strip_marks if form == "plain" else str.upper
                rec = {k: (change(v) if isinstance(v, str) and k != "label" else v)
                       for k, v in rec.items()}
            records.append({"doc": doc, **rec, "source": f"constructed:{doc}"})
    return records


def main() -> None:
    bank = yaml.safe_load((HERE / "phrasebank.yaml").read_text(encoding="utf-8"))
    records = corpus_records() + constructed_records(bank)
    out = HERE / "training_data.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    docs = {r["doc"] for r in records}
    print(f"wrote {len(records)} headings of {len(docs)} documents to {out}")


if __name__ == "__main__":
    main()
