"""Generate the SYNTHETIC corpus (corpus/synthetic/) from the real seed paragraphs.

Run from anywhere: ``python corpus/make_synthetic.py``. Deterministic (fixed random seed, pinned
dates inside the DOCX), so an unchanged run leaves git clean.

Every sentence of a synthetic report is a real sentence of the seeds (corpus/truth/000 and
004, the two political reports, and 001, a speech), taken from the section of the seed it comes
from, with the seed's unit name replaced by the synthetic unit and its counts varied. A sentence
is used by one report only, so two reports share text only where this script plants it:

- copied paragraphs, exact or lightly edited (the unit name changed, numbers changed, a few
  words replaced): a unit reusing its own report of the previous term (`self_reuse`) and a unit
  copying another unit's report (`cross_unit`);
- boilerplate most units share (the mandated opening citing the central directive on
  congresses, the standard indicator sentence, the closing formula), which the copy detector
  must NOT report;
- missing sections: some reports leave out a section their template requires.

Each report carries its metadata twice: in a realistic title block (ĐẢNG BỘ …, the date line,
"BÁO CÁO CHÍNH TRỊ … NHIỆM KỲ 2020 - 2025") and in a sidecar ``<name>.meta.yaml``. The ground
truth of all of this is ``corpus/synthetic/truth.json``.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the corpus builder beside this script (also when imported)
from build import pin_zip_dates  # noqa: E402

OUT = ROOT / "synthetic"
SEED = 20251125
FIXED_DATE = datetime(2025, 1, 1, 0, 0, 0)

# Where each section of the real political reports is (paragraph index ranges of
# corpus/truth/<stem>.json, inclusive), read off their headings. 000's duplicated tail
# (from paragraph 246) is left out.
SEED_SECTIONS: dict[str, list[tuple[int, int, str]]] = {
    "000_4435fb2a97849b7c": [
        (1, 28, "situation"), (31, 69, "results.political_tasks"),
        (71, 107, "party_building.ideology"), (108, 140, "party_building.organization"),
        (141, 150, "party_building.inspection"), (151, 160, "party_building.mass_organizations"),
        (162, 175, "assessment.strengths"), (176, 182, "assessment.weaknesses"),
        (183, 187, "assessment.causes"), (190, 199, "plan.direction"),
        (200, 218, "plan.targets"), (219, 245, "plan.tasks"),
    ],
    "004_73f20699863736da": [
        (2, 32, "results.political_tasks"), (34, 39, "party_building.ideology"),
        (40, 47, "party_building.organization"), (48, 50, "party_building.inspection"),
        (51, 57, "party_building.mass_organizations"), (59, 61, "assessment.strengths"),
        (62, 64, "assessment.weaknesses"), (65, 67, "assessment.causes"),
        (68, 72, "assessment.lessons"), (76, 80, "plan.direction"), (81, 83, "plan.targets"),
        (84, 98, "plan.tasks"),
    ],
    "001_11fa4c8372dfa292": [(5, 6, "general")],
    "003_40d47c00f05e2e60": [(6, 7, "general"), (10, 11, "general"), (14, 15, "general")],
}
# When a section's own sentences run out, it borrows from these (closest in content first).
FALLBACK: dict[str, list[str]] = {
    "situation": ["results.political_tasks", "general"],
    "assessment.strengths": ["results.political_tasks", "party_building.ideology"],
    "assessment.weaknesses": ["situation", "general"],
    "assessment.causes": ["situation", "general"],
    "assessment.lessons": ["party_building.ideology", "general", "plan.tasks"],
    "plan.direction": ["plan.tasks", "general"],
    "plan.targets": ["plan.tasks", "party_building.organization"],
}

# (label, heading variants, paragraphs). The level-2 headings of part one and part two.
OUTLINE: list[tuple[str, list[str], int]] = [
    ("situation", ["I. ĐẶC ĐIỂM TÌNH HÌNH", "I. ĐẶC ĐIỂM TÌNH HÌNH, THUẬN LỢI VÀ KHÓ KHĂN"], 1),
    ("results.political_tasks", ["II. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ",
                                 "II. LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ"], 2),
    ("party_building", ["III. CÔNG TÁC XÂY DỰNG ĐẢNG",
                        "III. KẾT QUẢ CÔNG TÁC XÂY DỰNG ĐẢNG"], 0),
    ("party_building.ideology", ["1. Công tác chính trị, tư tưởng, đạo đức",
                                 "1. Công tác giáo dục chính trị tư tưởng"], 1),
    ("party_building.organization", ["2. Công tác tổ chức, cán bộ, đảng viên",
                                     "2. Công tác tổ chức, cán bộ, xây dựng tổ chức đảng"], 1),
    ("party_building.inspection", ["3. Công tác kiểm tra, giám sát, kỷ luật đảng",
                                   "3. Công tác kiểm tra, giám sát"], 1),
    ("party_building.mass_organizations", ["4. Lãnh đạo các đoàn thể chính trị - xã hội",
                                           "4. Lãnh đạo các hội, đoàn thể"], 1),
    ("assessment", ["IV. ĐÁNH GIÁ CHUNG", "IV. ĐÁNH GIÁ CHUNG VÀ BÀI HỌC KINH NGHIỆM"], 0),
    ("assessment.strengths", ["1. Ưu điểm", "1. Ưu điểm:"], 1),
    ("assessment.weaknesses", ["2. Hạn chế, khuyết điểm", "2. Những hạn chế, khuyết điểm"], 1),
    ("assessment.causes", ["3. Nguyên nhân", "3. Nguyên nhân của hạn chế"], 1),
    ("assessment.lessons", ["4. Bài học kinh nghiệm", "4. Một số kinh nghiệm"], 1),
    ("part_two", ["PHẦN THỨ HAI"], 0),
    ("plan", ["PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP NHIỆM KỲ {term}"], 0),
    ("plan.direction", ["I. PHƯƠNG HƯỚNG, MỤC TIÊU", "I. PHƯƠNG HƯỚNG CHUNG"], 1),
    ("plan.targets", ["II. CÁC CHỈ TIÊU CHỦ YẾU", "II. MỘT SỐ CHỈ TIÊU CƠ BẢN"], 1),
    ("plan.tasks", ["III. NHIỆM VỤ VÀ GIẢI PHÁP", "III. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"], 2),
]
PART_ONE = "PHẦN THỨ NHẤT"
PART_ONE_TITLE = "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ {prev}"

# The units: (name as in the title block, level, parent, province, place, terms).
UNITS: list[tuple[str, str, str, str, str, list[str]]] = [
    ("Đảng bộ xã Điện Hòa", "dang_bo_co_so", "Đảng bộ thị xã Điện Bàn", "Quảng Nam",
     "Điện Bàn", ["2015-2020", "2020-2025", "2025-2030"]),
    ("Đảng bộ xã Điện Thắng Bắc", "dang_bo_co_so", "Đảng bộ thị xã Điện Bàn", "Quảng Nam",
     "Điện Bàn", ["2020-2025", "2025-2030"]),
    ("Đảng bộ phường Hưng Dũng", "dang_bo_co_so", "Đảng bộ thành phố Vinh", "Nghệ An",
     "Vinh", ["2015-2020", "2020-2025", "2025-2030"]),
    ("Đảng bộ phường Bến Thủy", "dang_bo_co_so", "Đảng bộ thành phố Vinh", "Nghệ An",
     "Vinh", ["2025-2030"]),
    ("Chi bộ Phòng Kế hoạch - Tài chính", "chi_bo", "Đảng bộ Sở Thông tin và Truyền thông",
     "Quảng Nam", "Tam Kỳ", ["2020-2025", "2025-2030"]),
    ("Chi bộ Thanh tra Sở", "chi_bo", "Đảng bộ Sở Thông tin và Truyền thông", "Quảng Nam",
     "Tam Kỳ", ["2025-2030"]),
    ("Đảng bộ Công ty Cổ phần Cấp nước Thái Bình", "dang_bo_co_so",
     "Đảng bộ Khối Doanh nghiệp tỉnh Thái Bình", "Thái Bình", "Thái Bình",
     ["2015-2020", "2020-2025", "2025-2030"]),
    ("Đảng bộ huyện Tiền Hải", "dang_bo_cap_tren_co_so", "Đảng bộ tỉnh Thái Bình",
     "Thái Bình", "Tiền Hải", ["2020-2025", "2025-2030"]),
    ("Đảng bộ bộ phận Trung tâm Viễn thông 2", "dang_bo_bo_phan",
     "Đảng ủy Viễn thông Đồng Nai", "Đồng Nai", "Biên Hòa", ["2020-2025", "2025-2030"]),
    ("Đảng bộ bộ phận Trung tâm Kiểm định Chất lượng", "dang_bo_bo_phan",
     "Đảng ủy Cục Viễn thông", "Hà Nội", "Hà Nội", ["2020-2025", "2025-2030"]),
    ("Đảng bộ phường An Khánh", "dang_bo_co_so", "Đảng bộ quận Ninh Kiều", "Cần Thơ",
     "Cần Thơ", ["2020-2025"]),
    ("Đảng bộ xã Tân Phú", "dang_bo_co_so", "Đảng bộ huyện Đồng Phú", "Bình Phước",
     "Đồng Phú", ["2015-2020", "2020-2025"]),
    ("Chi bộ Trường Trung học phổ thông Phan Châu Trinh", "chi_bo",
     "Đảng bộ Khối các cơ quan tỉnh Quảng Nam", "Quảng Nam", "Tam Kỳ",
     ["2020-2025", "2025-2030"]),
    ("Đảng bộ Bệnh viện Đa khoa tỉnh Nghệ An", "dang_bo_co_so",
     "Đảng bộ Khối các cơ quan tỉnh Nghệ An", "Nghệ An", "Vinh", ["2020-2025", "2025-2030"]),
    ("Đảng bộ xã Quỳnh Lưu", "dang_bo_co_so", "Đảng bộ huyện Quỳnh Phụ", "Thái Bình",
     "Quỳnh Phụ", ["2025-2030"]),
    ("Chi bộ Văn phòng Đảng ủy", "chi_bo", "Đảng bộ Cục Viễn thông", "Hà Nội", "Hà Nội",
     ["2020-2025"]),
    ("Đảng bộ thị trấn Tân Phú", "dang_bo_co_so", "Đảng bộ huyện Tân Phú", "Đồng Nai",
     "Tân Phú", ["2025-2030"]),
    ("Đảng bộ xã Phú Hữu", "dang_bo_co_so", "Đảng bộ huyện Châu Thành", "Hậu Giang",
     "Châu Thành", ["2025-2030"]),
]
LEVEL_TITLE = {"chi_bo": "CHI BỘ", "dang_bo_bo_phan": "ĐẢNG BỘ BỘ PHẬN",
               "dang_bo_co_so": "ĐẢNG BỘ", "dang_bo_cap_tren_co_so": "ĐẢNG BỘ"}
# Month and year of the congress round of each term; the day varies by unit.
CONGRESS = {"2015-2020": (2015, 5), "2020-2025": (2020, 6), "2025-2030": (2025, 5)}
PREVIOUS = {"2015-2020": "2010-2015", "2020-2025": "2015-2020", "2025-2030": "2020-2025"}

# Mandated opening: every unit of a congress round cites the central directive with the same
# words (boilerplate the copy detector must not report). Keyed by term.
MANDATED = {
    "2020-2025": "Thực hiện Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội đảng "
                 "bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng và các văn "
                 "bản hướng dẫn của cấp trên, Ban Chấp hành đã tổ chức tổng kết, đánh giá kết quả "
                 "thực hiện Nghị quyết Đại hội nhiệm kỳ qua một cách nghiêm túc, khách quan.",
    "2025-2030": "Thực hiện Chỉ thị số 45-CT/TW ngày 14/4/2025 của Bộ Chính trị về đại hội đảng "
                 "bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng và các văn "
                 "bản hướng dẫn của cấp trên, Ban Chấp hành đã tổ chức tổng kết, đánh giá kết quả "
                 "thực hiện Nghị quyết Đại hội nhiệm kỳ qua một cách nghiêm túc, khách quan.",
}
INDICATOR_SENTENCE = ("Trong nhiệm kỳ, {unit} đã kết nạp {new} đảng viên mới; đến nay tổng số "
                      "đảng viên là {total} đồng chí, trong đó có {female} đảng viên nữ; hằng năm "
                      "có {good}% đảng viên được xếp loại hoàn thành tốt nhiệm vụ trở lên.")
CLOSING = ("Trên đây là Báo cáo chính trị của Ban Chấp hành {unit} nhiệm kỳ {prev} trình Đại hội "
           "đại biểu {unit} lần thứ {nth}, nhiệm kỳ {term_spaced}. Kính trình Đại hội xem xét, "
           "thảo luận và quyết định./.")

# Words an editing copier swaps (a few per edited copy).
SWAPS = [("tiếp tục", "tiếp tục duy trì"), ("nâng cao", "tăng cường"), ("kịp thời", "đúng lúc"),
         ("thường xuyên", "định kỳ"), ("đảm bảo", "bảo đảm"), ("triển khai", "tổ chức"),
         ("tốt", "khá tốt"), ("các", "những"), ("cán bộ", "cán bộ, công chức"),
         ("đơn vị", "cơ quan"), ("hiệu quả", "thiết thực"), ("chất lượng", "chất lượng, hiệu quả")]

# Seed unit names, replaced by the synthetic unit's name.
SEED_UNIT_RE = re.compile(
    r"Đảng bộ bộ phận Trung tâm Đo [Ll]ường Chất lượng Viễn thông|Đảng bộ bộ phận Trung tâm"
    r"|Đảng bộ bộ phận|Chi bộ 1|Chi bộ|Đảng bộ", re.UNICODE)
COUNT_RE = re.compile(r"(?<![\d/.,-])(\d{1,3})(?=\s*(?:%|đảng viên|đồng chí|lượt|cuộc|đợt|lớp|"
                      r"quần chúng|chi bộ|tổ chức))")
SENTENCE_SPLIT = re.compile(r"(?<=[.;:!?])\s+")
LONG_SENTENCE = 44  # syllables; longer sentences are cut in two at the comma nearest the middle
OPTIONAL = ("party_building.mass_organizations", "assessment.causes", "plan.targets")


def syllables(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# --------------------------------------------------------------------------- sentence pools


def load_pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    seen: set[str] = set()
    for stem, ranges in SEED_SECTIONS.items():
        paragraphs = json.loads((ROOT / "truth" / f"{stem}.json").read_text("utf-8"))["paragraphs"]
        for first, last, label in ranges:
            for p in paragraphs[first:last + 1]:
                if p["kind"] == "heading" or "http" in p["text"]:
                    continue
                text = re.sub(r"^[-+•*o❖]\s*", "", p["text"]).strip()
                for sentence in (piece for part in SENTENCE_SPLIT.split(text)
                                 for piece in halve(part.strip())):
                    sylls = syllables(sentence)
                    grams = {" ".join(sylls[i:i + 8]) for i in range(len(sylls) - 7)}
                    # Near-duplicates in the seeds (000 repeats itself) would be unplanted copies.
                    if len(sylls) < 10 or grams & seen:
                        continue
                    if not sentence.endswith((".", ";", ":", "!", "?")):
                        sentence += "."
                    seen.update(grams)
                    pools.setdefault(label, []).append(sentence[0].upper() + sentence[1:])
    return pools


def halve(sentence: str) -> list[str]:
    """A long sentence as two, cut at the comma nearest its middle (more sentences to share out,
    each still a real clause of the seed)."""
    if len(syllables(sentence)) <= LONG_SENTENCE:
        return [sentence]
    commas = [m.start() for m in re.finditer(r", ", sentence)]
    if not commas:
        return [sentence]
    cut = min(commas, key=lambda c: abs(c - len(sentence) / 2))
    first, second = sentence[:cut].strip() + ".", sentence[cut + 2:].strip()
    if min(len(syllables(first)), len(syllables(second))) < 10:
        return [sentence]
    return [first, second]


class SentenceSource:
    """Hands out seed sentences, each at most once in the whole synthetic corpus."""

    def __init__(self, pools: dict[str, list[str]], rng: random.Random) -> None:
        self.pools = {k: list(v) for k, v in pools.items()}
        for v in self.pools.values():
            rng.shuffle(v)

    def take(self, label: str) -> str | None:
        for name in [label, *FALLBACK.get(label, []), "general", "results.political_tasks",
                     "party_building.ideology", "plan.tasks"]:
            if self.pools.get(name):
                return self.pools[name].pop()
        # Last resort: the largest pool left, whatever its section.
        rest = max(self.pools.values(), key=len)
        return rest.pop() if rest else None


# --------------------------------------------------------------------------- documents


@dataclass
class Para:
    text: str
    kind: str = "body"  # body | heading | title | boilerplate | indicator | closing | copy
    label: str | None = None
    level: int = 0


@dataclass
class SynthDoc:
    name: str
    unit: str
    level: str
    parent: str
    province: str
    place: str
    term: str
    draft: bool
    day: int
    missing: list[str]
    scheme: int
    paragraphs: list[Para] = field(default_factory=list)
    indicators: dict[str, float] = field(default_factory=dict)

    @property
    def date(self) -> str:
        year, month = CONGRESS[self.term]
        return f"{year}-{month:02d}-{self.day:02d}"

    @property
    def meta(self) -> dict[str, Any]:
        return {"unit": self.unit, "unit_level": self.level, "parent": self.parent,
                "province": self.province, "term": self.term,
                "year": CONGRESS[self.term][0], "date": self.date,
                "doc_type": "political_report", "draft": self.draft}


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def localise(sentence: str, unit: str, rng: random.Random) -> str:
    """The seed sentence told by another unit: its unit name and its counts changed."""
    sentence = SEED_UNIT_RE.sub(unit, sentence, count=1)

    def vary(m: re.Match[str]) -> str:
        old = m.group(1)
        new = max(1, int(int(old) * rng.uniform(0.5, 1.6)))
        if sentence[m.end():].lstrip().startswith("%"):
            new = min(new, 100)
        # Leading zeros stay when the seed writes them ("03 đợt").
        return str(new).zfill(len(old)) if old.startswith("0") else str(new)

    return COUNT_RE.sub(vary, sentence)


def title_block(d: SynthDoc, nth: int) -> list[Para]:
    upper_unit = d.unit.upper()
    parent = d.parent.upper()
    year, month = CONGRESS[d.term]
    when = f"ngày {d.day:02d} tháng {month:02d} năm {year}"
    term_spaced = d.term.replace("-", " - ")
    lines = [Para(parent, "title"), Para(upper_unit, "title"), Para("*", "title"),
             Para("ĐẢNG CỘNG SẢN VIỆT NAM", "title"), Para(f"{d.place}, {when}", "title")]
    if d.draft:
        lines.append(Para("DỰ THẢO", "title"))
    lines += [
        Para("BÁO CÁO CHÍNH TRỊ", "title"),
        Para(f"CỦA BAN CHẤP HÀNH {upper_unit} TẠI ĐẠI HỘI ĐẠI BIỂU LẦN THỨ {roman(nth)}, "
             f"NHIỆM KỲ {term_spaced}", "title"),
    ]
    return lines


def roman(n: int) -> str:
    table = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out


def build_document(d: SynthDoc, source: SentenceSource, rng: random.Random, nth: int) -> None:
    term_spaced = d.term.replace("-", " - ")
    prev = PREVIOUS[d.term].replace("-", " - ")
    d.paragraphs = title_block(d, nth)
    if d.term in MANDATED:
        d.paragraphs.append(Para(MANDATED[d.term], "boilerplate", "preamble"))
    d.paragraphs += [Para(PART_ONE, "heading", None, 1),
                     Para(PART_ONE_TITLE.format(prev=prev), "heading", None, 1)]
    for label, variants, n_paras in OUTLINE:
        heading = variants[d.scheme % len(variants)].format(term=term_spaced)
        if label in d.missing or (label in OPTIONAL and rng.random() < 0.4):
            continue
        level = 3 if re.match(r"\d+\.", heading) else 2 if re.match(r"[IVX]+\.", heading) else 1
        d.paragraphs.append(Para(heading, "heading", None if label == "part_two" else label,
                                 level))
        for _ in range(n_paras):
            sentences = [source.take(label) for _ in range(rng.choice((1, 1, 2)))]
            text = " ".join(localise(s, d.unit, rng) for s in sentences if s)
            if text:
                d.paragraphs.append(Para(text, "body", label))
        if label == "party_building.organization":
            values = {"new_members": rng.randint(3, 40), "members_total": rng.randint(25, 400),
                      "good_pct": rng.choice((85, 88, 90, 92, 95))}
            values["female_members"] = rng.randint(5, values["members_total"] // 2)
            d.indicators = values
            d.paragraphs.append(Para(INDICATOR_SENTENCE.format(
                unit=d.unit, new=values["new_members"], total=values["members_total"],
                female=values["female_members"], good=values["good_pct"]), "indicator", label))
    if "closing" not in d.missing:
        d.paragraphs.append(Para(CLOSING.format(unit=d.unit, prev=prev, nth=roman(nth),
                                                term_spaced=term_spaced), "closing", "closing"))


# --------------------------------------------------------------------------- planted copies


def edit_copy(text: str, src_unit: str, dst_unit: str, rng: random.Random) -> str:
    """A light edit: the unit name, the numbers and two or three words changed."""
    out = text.replace(src_unit, dst_unit)
    out = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), out)
    candidates = [(a, b) for a, b in SWAPS if re.search(rf"\b{re.escape(a)}\b", out)]
    rng.shuffle(candidates)
    for a, b in candidates[:3]:
        out = re.sub(rf"\b{re.escape(a)}\b", b, out, count=1)
    if out == text:  # nothing to swap: drop a short phrase instead
        words = out.split(" ")
        cut = rng.randrange(1, max(2, len(words) - 3))
        out = " ".join(words[:cut] + words[cut + 2:])
    return out


def plant_copies(docs: list[SynthDoc], rng: random.Random) -> list[dict[str, Any]]:
    used: set[tuple[str, int]] = set()  # (doc, paragraph index) already a source or a copy
    copies: list[dict[str, Any]] = []
    by_unit: dict[str, list[SynthDoc]] = {}
    for d in docs:
        by_unit.setdefault(d.unit, []).append(d)

    def candidates(d: SynthDoc) -> list[int]:
        return [i for i, p in enumerate(d.paragraphs) if p.kind == "body"
                and len(syllables(p.text)) >= 25 and (d.name, i) not in used]

    def plant(src: SynthDoc, dst: SynthDoc, relation: str, edited: bool) -> None:
        pool = candidates(src)
        if not pool:
            return
        i = rng.choice(pool)
        p = src.paragraphs[i]
        text = edit_copy(p.text, src.unit, dst.unit, rng) if edited else p.text
        # Into the same section of the copier, after its first paragraph of that section.
        spots = [j for j, q in enumerate(dst.paragraphs) if q.label == p.label and q.kind == "body"]
        spots = spots or [j for j, q in enumerate(dst.paragraphs) if q.kind == "body"]
        if not spots:
            return
        j = spots[0] + 1
        dst.paragraphs.insert(j, Para(text, "copy", p.label))
        used.add((src.name, i))
        # Indices after the insertion point moved by one.
        shifted = {(n, idx + 1 if n == dst.name and idx >= j else idx) for n, idx in used}
        used.clear()
        used.update(shifted)
        used.add((dst.name, j))
        copies.append({"relation": relation, "edited": edited, "section": p.label,
                       "source_doc": src.name, "target_doc": dst.name,
                       "source_text": p.text, "target_text": text})

    # A unit reusing its own previous report: every unit with two or more terms, once or twice.
    for unit_docs in by_unit.values():
        for older, newer in zip(unit_docs, unit_docs[1:], strict=False):
            for n in range(rng.choice((1, 2))):
                plant(older, newer, "self_reuse", edited=n % 2 == 1 or rng.random() < 0.4)
    # Different units: a report copying one or two paragraphs of another unit's report.
    for n in range(16):
        src, dst = rng.sample(docs, 2)
        while src.unit == dst.unit:
            src, dst = rng.sample(docs, 2)
        plant(src, dst, "cross_unit", edited=n % 2 == 1)
    return copies


# --------------------------------------------------------------------------- DOCX


def write_docx(d: SynthDoc, path: Path) -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    core = doc.core_properties
    core.author = "daihoi synthetic corpus"
    core.title = f"SYNTHETIC – {d.unit} {d.term}"
    core.created = core.modified = core.last_printed = FIXED_DATE
    core.revision = 1
    for p in d.paragraphs:
        para = doc.add_paragraph()
        run = para.add_run(p.text)
        if p.kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = p.text.isupper()
        elif p.kind == "heading":
            run.bold = True
            if p.level == 1:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            para.paragraph_format.first_line_indent = Pt(28)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(pin_zip_dates(buffer.getvalue(), FIXED_DATE))



# --------------------------------------------------------------------------- main


def generate(out: Path = OUT) -> dict[str, Any]:
    rng = random.Random(SEED)
    source = SentenceSource(load_pools(), rng)
    docs: list[SynthDoc] = []
    missing_cycle = ["situation", "assessment.lessons", "party_building.inspection",
                     "plan.direction", "closing", "assessment.weaknesses", "situation",
                     "plan.tasks", "assessment.strengths"]
    n = 0
    for u, (unit, level, parent, province, place, terms) in enumerate(UNITS):
        for t, term in enumerate(terms):
            n += 1
            # Every fourth report leaves out a required section.
            missing = [missing_cycle[(n // 4) % len(missing_cycle)]] if n % 4 == 1 else []
            d = SynthDoc(name=f"s{n:02d}_{slug(unit)}_{term}", unit=unit, level=level,
                         parent=parent, province=province, place=place, term=term,
                         draft=(n % 5 == 0), day=3 + (7 * u + 3 * t) % 25, missing=missing,
                         scheme=(u + t) % 2)
            build_document(d, source, rng, nth=10 + t + u % 5)
            docs.append(d)
    copies = plant_copies(docs, rng)

    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("s[0-9][0-9]_*")):
        old.unlink()
    for d in docs:
        write_docx(d, out / f"{d.name}.docx")
        (out / f"{d.name}.meta.yaml").write_text(
            "# SYNTHETIC document (corpus/make_synthetic.py): metadata sidecar.\n"
            + yaml.safe_dump(d.meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    truth = {
        "synthetic": True,
        "generator": "corpus/make_synthetic.py",
        "seed": SEED,
        "documents": [
            {"file": f"{d.name}.docx", "meta": d.meta, "missing_sections": d.missing,
             "indicators": d.indicators,
             "paragraphs": [{"text": p.text, "kind": p.kind, "label": p.label}
                            for p in d.paragraphs]}
            for d in docs
        ],
        "copies": copies,
        "boilerplate": sorted(set(MANDATED.values())),
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    return truth


def main() -> int:
    truth = generate()
    copies = truth["copies"]
    print(f"{len(truth['documents'])} documents, {len(copies)} planted copies "
          f"({sum(c['edited'] for c in copies)} edited, "
          f"{sum(c['relation'] == 'self_reuse' for c in copies)} self-reuse), "
          f"{sum(bool(d['missing_sections']) for d in truth['documents'])} with a missing "
          f"section -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
