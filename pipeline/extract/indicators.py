"""Indicators: numbers with a subject that committees compare ("kết nạp 13 đảng viên mới",
"100% đảng viên tham gia học tập", "10/10 chỉ tiêu", "46.250.000 đồng").

How a mention is read (the vocabulary is data, `data/indicator_lexicon.yaml`):
1. Candidates are printed numbers ("51.276", "76,2 %", "3-4", "từ 80 đến 100", "09/09"), minus
   the numbers that belong to something else: dates, document numbers (the references already
   found), terms and year ranges ("2020-2025"), years ("năm 2024"), times, URLs, phone numbers,
   section numbers ("2.1."), names and ordinals ("Chi bộ 1", "lần thứ 4", "Covid-19", "4G").
2. The unit comes from what follows: "%" ; a ratio "a/b" (value a, value_max b); money words
   (converted to đồng); else the counted noun's class (person, organisation, times for
   đợt/cuộc/lần/vụ, count for other nouns). A number followed by a duration or an age
   ("03 tháng", "45,25 tuổi") is not an indicator: an age describes people, it does not count
   them, and the contract's units have no place for years of age.
3. The subject is a phrase of the spaCy Doc's words (underthesea words): the words after the
   number up to the clause's end ("100% đảng viên tham gia học tập"), or, when nothing nominal
   follows ("chiếm tỷ lệ 23,8 %", "32 đồng chí"), the label before it ("Số Đảng viên nữ").
4. kind is "target" in plan.* sections and after target cues in the same sentence (phấn đấu,
   mục tiêu, "chỉ tiêu:", "Nghị quyết 20%", "chưa đạt 100%"); else "actual".
5. period is the nearest term or year named before the number in its sentence ("Nhiệm kỳ
   2025-2030, ... có 42 Đảng viên" -> "2025-2030"), else the congress's term for plan.* sections,
   else the reviewed term (`Meta.reviewed_term`, else `Meta.term`), else the year.
6. key is the lexicon rule whose cue is nearest the number.

Offsets follow `pipeline.extract.references`: "body" offsets index `Document.text`; table
mentions ("table:<i>") index `table_text(table)` (see `indicator_tables`).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any

from pipeline.extract.dates import find_dates
from pipeline.extract.indicator_lexicon import Lexicon, lexicon
from pipeline.extract.numbers import (
    NUMBER,
    NUMBER_LINKS,
    NUMBER_WORDS,
    SPELLED,
    fold,
    is_multiple,
    money_context,
    parse_number,
    per_population,
    per_population_in,
    read_measure,
)
from pipeline.model import Document, Indicator, Meta, Reference
from pipeline.nlp.tokens import paragraphs

__all__ = ["Context", "extract_indicators", "document_indicators", "excluded_spans",
           "plan_document", "unreadable_numbers"]

Span = tuple[int, int]

_CANDIDATE = re.compile(
    rf"(?P<a>{NUMBER})"
    # A range: "3-4", "từ 80 đến 100", "8% đến 8,5%" (the first "%" may be printed or not).
    rf"(?:(?:\s*%)?\s*(?P<dash>[-–]|đến|tới)\s*(?P<b>{NUMBER}))?"
    # (a year is no denominator: "T.3/2010", "19/5/1890"; the look-ahead guards every
    # alternative of NUMBER)
    rf"(?:\s*(?P<pct>%)|\s*/\s*(?P<den>(?!(?:1[89]|20)\d\d(?!\d))(?:{NUMBER}))(?![\d/]))?"
)
_TERM = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_URL = re.compile(r"\S*(?:https?://|www\.)\S*")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}h\d{2}\b")
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)(?:[ .]?\d){8,10}(?![\d.,])")
# "2.1.", "a)", "IV." and, without the closing dot, "4.4 Thanh tra việc ..." before a capital.
# Matched at a paragraph's start with `match(text, pos)` (no "^": it would only hold at 0).
_SECTION_NO = re.compile(r"\s*(?:(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)](?:\s|$)"
                         r"|\d{1,2}(?:\.\d{1,2})+\s+(?=[A-ZĐ]))")
_LIST_NO = re.compile(r"\(\d{1,2}\)")
# A line opened by a small number and a capitalised word: the item's number printed without
# its dot ("2 Thị trấn thuộc các huyện ... tối đa 180 m2").
_ITEM_NO = re.compile(r"\d{1,2} (?=[A-ZĐÀ-Ỹ][^\W\d_]*\s+[^\W\d_]+\s+[^\W\d_]+)(?!\S*\s*%)")
_YEAR = re.compile(r"(?:19|20)\d\d")
# ("phát triển đảng viên,… Đẩy mạnh ...": an ellipsis before a capital ends a sentence too)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|…(?=\s+[A-ZĐÀ-Ỹ])|\n")
_CLAUSE_END = re.compile(r"[;.!?](?:\s|$)|…(?=\s+[A-ZĐÀ-Ỹ])|\n")
_PERIOD = re.compile(
    r"(?:nhiem ky|giai doan|thoi ky)\s*(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)"
    r"|(?P<a2>(?:19|20)\d\d)\s*[-–]\s*(?P<b2>(?:19|20)\d\d)"
    r"|\bnam\s*(?P<y>(?:19|20)\d\d)(?![\d/])(?!\s*[-–]\s*(?:19|20)\d\d)"
    # "5 năm 1993-1998": the years' span, not its first year
    r"|\bnam\s*(?P<a3>(?:19|20)\d\d)\s*[-–]\s*(?P<b3>(?:19|20)\d\d)"
    # "Tháng 11/2009, Đảng bộ ... có 926 đảng viên"
    r"|\bthang\s*\d{1,2}\s*[/-]\s*(?P<y4>(?:19|20)\d\d)(?![\d/])"
    # "GRDP bình quân đầu người đến cuối 2020 đạt 48,6 triệu đồng"
    r"|\bcuoi\s+(?P<y5>(?:19|20)\d\d)(?![\d/])"
)
# A year or term written right after the value is its period.
_PERIOD_AFTER = re.compile(
    r"(?:\s*/\s*(?:nam|thang|nguoi|ho|dan)){0,3}"
    # ("đạt 35,34% chỉ tiêu đề ra trong năm 2022")
    r"(?:\s*(?:so voi )?(?:chi tieu|ke hoach|du toan)(?: (?:de ra|duoc giao|giao|nghi quyet))?)?"
    r"(?:\s*\(\s*(?:nam |giai doan )?|\s*(?:vao |trong |cua |tai |tu )?"
    r"(?:nam|giai doan|thoi ky|nhiem ky)\s*)"
    r"(?P<a>(?:19|20)\d\d)(?![\d/])(?:\s*[-–]\s*(?P<b>(?:19|20)\d\d))?")
_COMPARED = re.compile(r"(?:so voi|so cung ky|gap|bang)(?: cung ky)?(?: cuoi)?\s*$")
# "± 0,5%", "nhỏ hơn 500.000 đồng", "lớn hơn hoặc bằng 45 m2": a tolerance or a comparison.
_TOLERANCE = re.compile(r"(?:±|\+/-|nhỏ hơn|lớn hơn|bé hơn|cao hơn|thấp hơn)(?:\s+hoặc bằng)?"
                        r"(?:\s+(?:là|mức))?\s*$")
# The comparison words of a condition ("dưới 30% ... thì", "từ 30% đến dưới 50% ... thì").
# An amount written in words right before its number in brackets, folded: "bốn mươi lăm mét
# vuông (45m2)", "mười (10)".
_SPELLED_BEFORE = re.compile(
    rf"(?<!\w)(?:(?:{NUMBER_WORDS}|{NUMBER_LINKS})\s+)*(?:{NUMBER_WORDS})"
    r"(?:\s+[a-z]+){0,2}\s*\(\s*$")
_COMPARATIVE = re.compile(r"(?<!\w)(?:dưới|trên|từ|đến|tới|quá|hơn|ít hơn|nhiều hơn)\s*$")
# "tăng 1,2%", "giảm bình quân 6,7%/năm", "giảm mỗi năm 2,1%", "tăng 8 triệu đồng": a change.
_GROWTH = re.compile(r"(?<!\w)(?:tang|giam)(?: (?:them|binh quan|moi nam|hang nam|hon|gan"
                     r"|khoang|duoc))*(?:\s*/\s*nam)?\s*:?\s*(?:(?:tren|duoi|hon|gan|khoang)\s+)?$")
# "đạt và vượt các chỉ tiêu Nghị quyết đề ra: ... chiếm 65%": a target cue after a verb of
# reaching it introduces results (folded text before the cue).
_REACHED = re.compile(r"(?<!\w)(?:dat|vuot|hoan thanh)(?: va vuot(?: muc)?)?"
                      r"(?: (?:cac|nhieu|moi|toan bo|\d+/\d+))?\s*$")
# "Nhiệm kỳ 2025 - 2030, Đảng bộ phấn đấu ..." / "đề ra 17 chỉ tiêu": a sentence that opens on
# the congress's own (coming) term plans.
_TERM_LEAD = re.compile(r"\W*(?:trong |ca )?(?:nhiem ky|giai doan)\s+(?P<a>(?:19|20)\d\d)\s*[-–]\s*"
                        r"(?P<b>(?:19|20)\d\d)(?!\d)")
# "Nghị quyết đề ra 25 chỉ tiêu", "biểu quyết thông qua 16 chỉ tiêu nhiệm kỳ 2020-2025", and the
# plan elements listed with them ("..., 5 nhiệm vụ trọng tâm và 3 khâu đột phá").
_TARGETS_SET = re.compile(r"(?<!\w)(?:de ra|thong qua|xac dinh|dat ra)\s*"
                          r"(?P<list>[\d.]+ chi tieu(?:(?!den nay|da dat)[^.;:]){0,80})?$")
# "..., đạt và vượt 24/26 chỉ tiêu": what was reached (not "phấn đấu đạt và vượt").
_REACHED_NOW = re.compile(r"(?:(?<!phan dau )dat va vuot(?: muc)?|(?<!\w)uoc (?:tinh )?dat)"
                          r"(?:\s+(?:khoang|tren|gan|hon))?\s*$")
# "11 chỉ tiêu đạt và vượt đại hội đề ra như: ...": a cue with ":" that lists results.
_REACHED_INSIDE = re.compile(r"(?<!\w)(?:dat va vuot|da dat|vuot|hoan thanh)(?!\w)")
# What follows targets set when a text reviews them: "đề ra 116 chỉ tiêu, đến nay có 92 ...".
_SINCE_SET = re.compile(r"(?<!\w)(?:den nay|da dat|dat va vuot)(?!\w)")
# "cao hơn 3,1% so với Nghị quyết": a comparison's difference follows the number.
_COMPARED_AFTER = re.compile(r"\s*(?:\S+\s+){0,2}?so (?:voi|cung ky)(?!\w)")
# "Hàng năm kết nạp mới từ 25 đảng viên trở lên": an annual minimum is a target, not a
# condition (lower-cased text of the sentence before the number).
_ANNUAL = re.compile(r"\W*(?:phấn đấu,?\s*)?(?:hàng|hằng|mỗi) năm(?!\w)")
_REPORTED = re.compile(r"(?<!\w)(?:đạt|đã|được)(?!\w)")
# Who was elected or a committee's composition, folded ("bầu 15 đồng chí", "gồm 7 ủy viên").
# A target already reached or beaten, said before the cue (folded): "đã hoàn thành các mục tiêu",
# "vượt mục tiêu Nghị quyết".
_EXCEEDED = re.compile(r"(?:(?<!\w)(?:da|deu) (?:dat|hoan thanh)(?: (?:toan dien|co ban|xuat sac))?"
                       r"|(?<!\w)vuot|dat va vuot)(?: (?:cac|nhieu|moi|toan bo))?\s*$")
_ELECTED = re.compile(r"(?<!\w)(?:bau|gom|trung cu|ra mat)(?!\w)")
# A count of targets followed by where they stand: "24 chỉ tiêu đảm bảo tiến độ", "13/15 chỉ tiêu
# đạt và vượt", "02 chỉ tiêu xấp xỉ đạt" - a review of them.
_TARGETS_STATE = re.compile(r"\s*(?:(?:da|duoc|deu|co ban) )?(?:dat va vuot|dat|vuot|hoan thanh"
                            r"|xap xi|dam bao tien do"
                            r"|dang (?:duoc )?(?:tang toc|thuc hien|trien khai)"
                            r"|chua dat|khong dat|kho dat|co kha nang)(?!\w)")
# A line that leads a list of targets: "Trước mắt, đến năm 2013 phấn đấu đạt được các chỉ tiêu
# sau." / "Mục tiêu cụ thể:"; the list's items ("- 100% cán bộ ...") are its targets.
_LIST_LEAD = re.compile(r"(?:\bsau|:)\s*[.:]?\s*$")
_LIST_ITEM = re.compile(r"\s*(?:[-+•*]|[a-zđ]\)|\d{1,2}[.)])\s")
_NOT_COUNT_LABEL = re.compile(r"(?<!\w)(?:tuoi|ty le|ti le|binh quan|trung binh|so voi|diem)(?!\w)")
_PLANNED = ("political_report", "review_report", "speech")
# A year named in a sentence ("năm 2023", "cuối năm 2023"), not one it runs to ("đến năm 2025").
_PAST_YEAR = re.compile(r"(?<!đến )(?<!tới )(?<!đến hết )(?<!đến cuối )năm ((?:19|20)\d\d)"
                        r"(?![\d/])")
# The labels of a party document's review part (data/taxonomy.yaml).
_REVIEW_SECTIONS = ("situation", "results", "party_building", "assessment")
# Measures a "tăng"/"giảm" before the number makes a change, not a level.
_CHANGED_UNITS = ("%", "VND", "person", "organisation")
# "(với chỉ tiêu được phân bổ là 1.643 người), đạt 93%": a cue inside a closed bracket is not
# about what follows it.
_CLOSED_BRACKET = re.compile(r"\([^()]*\)")
# Words that open the list of a total's parts.
_LIST_MARK = re.compile(
    # "63 đảng viên (Khiển trách 15, cảnh cáo 20, ...)": a bracket of labelled counts.
    r"[^\d.;!?]{0,60}?(?:\((?=\s*(?:\d|trong|gom|bao|co\s+\d"
    r"|[a-z]+(?: [a-z]+)?\s+\d[\d.]*\s*[,;)]))"
    r"|(?<!\w)(?:trong do|trong so do|gom|bao gom|(?<!so )voi|cu the)(?!\w))")
_LABELLED_COUNTS = re.compile(r"\s*(?!(?:trong|gom|bao|co)\b)[a-z]+(?: [a-z]+)?\s+\d")
_CITING_LINE = re.compile(r"\W*(?i:căn cứ|xét|theo)\b")
_MEMBER_KINDS = ("members_female", "members_male", "members_reserve", "members_official")
_ADMITTED = re.compile(r"(?<!\w)(?:ket nap|dang vien moi)(?!\w)")
_FULFILMENT = re.compile(r"\s*(?:so voi )?(?:(?:cac |toan bo )?chi tieu|ke hoach|muc tieu"
                         r"|nghi quyet|nq(?!\w))")
_PAREN_TARGET = re.compile(r"\(\s*(?:nghi quyet|chi tieu|ke hoach)\s*$")
_PER = re.compile(r"/\s*$")
# A sentence about a category of many: "b) Các công ty con ...", "- Những hộ ...".
_CATEGORY_START = re.compile(r"\s*(?:[-+•]\s*|[a-zđ\d]{1,2}[.)]\s*)?(?:các|những)\s",
                             re.IGNORECASE)
_RANGE_END = re.compile(rf"\s*(?:lên|xuống|đến|tới)\s+(?:{NUMBER})", re.IGNORECASE)
_PCT_AFTER = re.compile(r"\s*%")
_PERMILLE = re.compile(r"[ \u00a0]?‰")
_PAIR = re.compile(r",\s?(\d)(?![\d,.])")
# A rate's denominator is a round number ("36 đảng viên/1.000 dân", "/100.000 dân"); "175
# hộ/673 khẩu" are two counts.
_RATE = re.compile(r"\s*/\s*(?:10{0,2}(?:\.000)+|10{0,5})(?![\d.,])")
# ... or one of a kind: "11 đại biểu/đảng bộ", "3 đảng viên/chi bộ" (not a time: "/năm").
_PER_EACH = re.compile(r"\s*/\s*(?=[a-z])(?!(?:nam|thang|ngay|tuan|quy|ky|nhiem ky|lan|vu|gio)\b)")
# ... or a unit of area right after the noun: "1,37 tấn/ha", "5 tạ/sào".
# The next count of a row right after a noun ("... bác sĩ và 30 ...", folded).
_NEXT_IN_ROW = re.compile(r"\s*(?:va|,)\s*\d+(?:[.,]\d+)*")
_PER_AREA = re.compile(r"\s*/\s*(?:ha|hecta|sao|mau|m2|km2)(?!\w)")
_CUT = re.compile(r"\s+(?:trong đó|trong số|trong tổng số)\b.*$", re.IGNORECASE)
_PUNCT = set(",;:.()[]{}\"“”‘’'/|…!?")
_SUBJECT_STOP = {"trong đó", "chiếm", "so với", "đạt", "với", "tại", "gồm", "bao gồm", "và",
                 "hoặc", "là", "theo", "nhằm", "để", "do", "vượt", "tăng", "giảm", "bằng"}
_SUBJECT_TRIM = {"và", "của", "các", "cho", "được", "là", "có", "đã", "đều", "những", "đối với",
                 "trong", "đó", "số", "số lượng", "tổng số", "năm", "tháng", "ngày", "với", "tại",
                 "về", "thì", "theo", "+", "-", "•"}
_LABEL_SKIP = {"chiếm", "tỷ lệ", "chiếm tỷ lệ", "đạt", "đạt tỷ lệ", "là", "được", "có", "trên",
               "dưới", "hơn", "khoảng", "ít nhất", "từ", "gần", "với", "bằng", "vượt", "tăng",
               "giảm", "còn", "mức"}
_MAX_SUBJECT_TOKENS = 9
_WINDOW = 140


@dataclass
class Context:
    """What the extractor needs to know about the document around a text."""

    term: str | None = None  # the congress's term, "2025-2030" (plan.* targets)
    reviewed_term: str | None = None  # the term whose results are reported, "2020-2025"
    year: int | None = None
    sections: Sequence[tuple[int, int, str]] = field(default_factory=list)  # (start, end, label)
    where: str = "body"
    # The document's title says it is a plan, an estimate, a programme (`plan_document`).
    plan_document: bool = False
    # Section labels say "plan" reliably only in party documents; news and commentary that
    # the section labeller reads as plans keep their results (`_PLAN_SECTIONS_FOR`).
    doc_type: str | None = None

    def section_at(self, pos: int) -> str | None:
        # Sections are sorted outer first: of those holding `pos`, the last listed wins. A walk
        # over all sections per number was quadratic in a long document; the index is built
        # once (and again if the list is replaced or grows).
        key = (id(self.sections), len(self.sections))
        index = self.__dict__.get("_section_index")
        if index is None or index[0] != key:
            index = (key, *_section_index(self.sections))
            self.__dict__["_section_index"] = index
        _key, bounds, labels = index
        i = bisect_right(bounds, pos) - 1
        return labels[i] if i >= 0 else None


def _section_index(sections: Sequence[tuple[int, int, str]]) -> tuple[list[int], list[str | None]]:
    """Boundaries and, for each stretch [bounds[i], bounds[i+1]), the label of the last listed
    named section holding it (a sweep with a heap: linear-logarithmic)."""
    named = [(start, end, i, name) for i, (start, end, name) in enumerate(sections)
             if name and start < end]
    bounds = sorted({p for start, end, _i, _n in named for p in (start, end)})
    by_start = sorted(named)
    heap: list[tuple[int, int, str]] = []  # (-list index, end, label)
    labels: list[str | None] = []
    j = 0
    for b in bounds:
        while j < len(by_start) and by_start[j][0] <= b:
            _s, end, i, name = by_start[j]
            heapq.heappush(heap, (-i, end, name))
            j += 1
        while heap and heap[0][1] <= b:
            heapq.heappop(heap)  # ended: no later stretch is inside it
        labels.append(heap[0][2] if heap else None)
    return bounds, labels


def excluded_spans(text: str, extra: Iterable[Span] = ()) -> list[Span]:
    """Spans of `text` whose digits are not quantities: dates, terms, URLs, times, phones."""
    spans = [(d.start, d.end) for d in find_dates(text)]
    for pattern in (_TERM, _URL, _CLOCK, _PHONE, _LIST_NO):
        spans.extend(m.span() for m in pattern.finditer(text))
    # "1.23.456": no convention reads it; it is reported (`unreadable_numbers`), not guessed.
    spans.extend(m.span() for m in _ODD_NUMBER.finditer(text)
                 if parse_number(m.group().rstrip(".,")) is None)
    spans.extend(extra)
    return sorted(spans)


def extract_indicators(
    text: str,
    context: Context | None = None,
    excluded: Iterable[Span] = (),
    kind: str | None = None,
    offset: int = 0,
    split: Callable[[dict[str, Any]], Callable[..., list[Indicator]]] | None = None,
) -> list[Indicator]:
    """Indicator mentions in `text` (a paragraph, a whole body, or a table cell).

    `excluded`: spans (in `text`) holding no indicators, e.g. references. `kind` forces the
    kind (a table column of targets). `offset` is added to the reported offsets and used to
    look sections up, for a text that is a slice of a longer one. `split`: another process
    reads some of the paragraphs (`pipeline.paragraph_split`): `split(arguments)`, called
    first, hands it the arguments it calls this function with there, and returns what reads
    the paragraphs here, `(run, paragraphs) -> indicators`: same indicators, same order."""
    ctx = context or Context()
    excluded = list(excluded)
    share = split({"context": ctx, "excluded": excluded, "kind": kind, "offset": offset}) \
        if split is not None else None
    # A split's helper (`pipeline.paragraph_split`) stands in for the scans of the whole text.
    spans = getattr(split, "excluded_spans", excluded_spans)(text, excluded)
    found: list[Indicator] = []
    # Everything over the whole text is computed once here: per paragraph or per number it
    # made the extractor quadratic in the text's length (1 MB took minutes).
    shared = _Shared(text, spans)

    def run(paragraph: Span) -> list[Indicator]:
        return _Paragraph(text, shared.folded, paragraph[0], paragraph[1], ctx, spans, kind,
                          offset, shared).run()

    if share is not None:
        return share(run, list(paragraphs(text)))
    for paragraph in paragraphs(text):
        found.extend(run(paragraph))
    return found


class _Shared:
    """What every paragraph of one text reads: the folded and lower-cased text (once each),
    and the excluded spans indexed by start so a paragraph finds its own by bisection."""

    def __init__(self, text: str, excluded: list[Span]) -> None:
        self.text = text
        self.folded = fold(text)
        self.lower = text.lower()
        self.excluded = excluded  # sorted
        self.starts = [s for s, _e in excluded]
        self.longest = max((e - s for s, e in excluded), default=0)

    @property
    def plan_lists(self) -> list[tuple[int, int, int | None]]:
        """The lists headed by a line of targets (`plan_lists`), found once per text."""
        found = self.__dict__.get("_plan_lists")
        if found is None:
            found = self.__dict__["_plan_lists"] = plan_lists(self.text, self.folded)
        return found

    def excluded_in(self, start: int, end: int) -> list[Span]:
        """The excluded spans overlapping [start, end), in their sorted order."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [(s, e) for s, e in self.excluded[lo:hi] if e > start and s < end]


_HEADING_SHAPE = re.compile(r"[^\n]{0,160}?[^.;:,…!?\s]\s*$")
_SENTENCE_INSIDE = re.compile(r"\S[.!?]\s+\S")
_ROMAN_NO = re.compile(r"\s*[IVXLC]+[.)]\s")
_SUB_NO = re.compile(r"\s*(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s")


# A list's item or group: "- Về kinh tế:", "(1) Cơ cấu kinh tế ...", "2. ...", "a) ...".
_ITEM_MARK = re.compile(r"\s*(?:[-+•*–]|\(?\d{1,2}[.)]|[a-zđ]\))\s")


def _next_line(text: str, pos: int) -> int:
    """The start of the first non-blank line after the line holding `pos`."""
    end = text.find("\n", pos)
    if end < 0:
        return len(text)
    m = re.compile(r"\s*").match(text, end)
    return m.end() if m else end


# "Thứ Năm, 15-10-2020, 21:49": a page's date line between a heading and its list.
_DATELINE = re.compile(r"[^\n]{0,20}\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d[^\n]{0,20}")


def _list_follows(text: str, folded: str, pos: int, lex: Lexicon) -> bool:
    """An item or a group of a list ("(1) ...", "- Về kinh tế:", "Về kinh tế: (1) ...") opens
    one of the two lines after the line at `pos` (a date line may sit between)."""
    for _ in range(2):
        pos = _next_line(text, pos)
        if pos >= len(text):
            return False
        if _ITEM_MARK.match(text, pos) or lex.plan_heading_group.match(folded, pos) and \
                ":" in text[pos:pos + 40]:
            return True
    return False


@cache
def _line_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` anchored at a line's start (a scan of a long text tries only those)."""
    return re.compile(f"(?m)^(?:{pattern.pattern})")


def _heading_like(line: str) -> bool:
    """A short line with no sentence in it and no closing punctuation: a heading."""
    body = _SECTION_NO.sub("", line, count=1)
    return bool(_HEADING_SHAPE.fullmatch(line.strip())) and not _SENTENCE_INSIDE.search(body)


def plan_lists(text: str, folded: str | None = None) -> list[tuple[int, int, int | None]]:
    """(start, end, last year of the term it names) of each list headed by a line of targets
    (data/indicator_lexicon.yaml `plan_headings`): "CÁC CHỈ TIÊU CHỦ YẾU TRONG NHIỆM KỲ
    2020-2025" then "I. Về kinh tế (11 chỉ tiêu)" then "1. ... đạt 16%." A plan printed in a
    news page is a plan although the section labeller reads plans only in party documents. The
    list runs over the lines after the heading (its groups and numbered items included) up to
    the next heading of another kind."""
    lex = lexicon()
    folded = fold(text) if folded is None else folded
    first = len(text) - len(text.lstrip())
    found: list[tuple[int, int, int | None]] = []
    for m in _line_start(lex.plan_heading).finditer(folded):
        start = folded.rfind("\n", 0, m.start()) + 1
        if folded[start:m.start()].strip() or found and start < found[-1][1]:
            continue  # not at a line's start; inside a list found
        if start <= first and not _list_follows(text, folded, start, lex):
            continue  # the document's title (unless a list follows it at once)
        line_end = folded.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[start:line_end]
        # A numbered heading may end with a full stop ("II. Mục tiêu, nhiệm vụ ... ."); an
        # unnumbered line that does is a sentence ("Chỉ tiêu do Đại hội đề ra là ... 2 lần.").
        bare = line.rstrip().rstrip(":")  # "Các chỉ tiêu chủ yếu đến năm 2030:" leads too
        shaped = _heading_like(bare.rstrip(".") if _SECTION_NO.match(line) else bare)
        if not shaped or lex.plan_heading_not.search(folded, start, line_end):
            continue
        roman = bool(_ROMAN_NO.match(line))
        sub = bool(_SUB_NO.match(line))
        end = line_end
        # Paragraphs with no number or bullet under an unnumbered heading: the plan's one, then
        # the news goes on.
        prose = 0
        for _ in range(60):
            if end >= len(text):
                break
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt < 0 else nxt
            item = text[end + 1:nxt]
            if item.strip() and _heading_like(item) and not _DATELINE.fullmatch(item.strip()):
                f_item = folded[end + 1:nxt]
                if not (lex.plan_heading.match(f_item) and not lex.plan_heading_not.search(f_item)
                        or lex.plan_heading_group.match(f_item)
                        or _SUB_NO.match(item) and not sub
                        or _ROMAN_NO.match(item) and not roman and not sub):
                    break  # another part of the document
            elif item.strip() and not (_ITEM_MARK.match(item) or _SECTION_NO.match(item)
                                       or lex.plan_heading_group.match(folded, end + 1)
                                       and ":" in item[:40]):
                # ("Về kinh tế: (1) ...; (2) ...": a group of the list, its items inline)
                prose += 1
                if prose > 1 and not (roman or sub):
                    break  # (a numbered section of a structured text runs to its next one)
            end = nxt
        years = re.findall(r"(?:19|20)\d\d", folded[start:line_end])
        found.append((start, end, int(years[-1]) if years else None))
    return found


def _last_end(ends: list[int], text: str, start: int, pos: int, marks: str = ".!?") -> int:
    """The end of the last match of `_SENTENCE_END`/`_CLAUSE_END` found by scanning
    text[start:pos] (`ends`: the match ends over the whole paragraph, sorted), else `start`.
    Scanning stops at `pos`, where "$" matches: a mark (".!?", ";" too for clauses) just
    before `pos` ends there."""
    if pos > start and text[pos - 1] in marks:
        return pos
    i = bisect_right(ends, pos)
    return ends[i - 1] if i else start


@dataclass
class _Candidate:
    start: int
    end: int  # end of the number expression
    unit_end: int  # end of the unit word(s) (== end for bare numbers)
    value: float
    value_max: float | None
    unit: str
    unit_text: str | None
    noun_class: str | None = None


class _Paragraph:
    def __init__(self, text: str, folded: str, start: int, end: int, ctx: Context,
                 excluded: list[Span], kind: str | None, offset: int,
                 shared: _Shared | None = None) -> None:
        shared = shared or _Shared(text, excluded)
        self.text = text
        self.start = start
        self.end = end
        self.folded = folded  # fold(text): same length, so offsets are shared
        self.lower = shared.lower  # text.lower(), computed once per text
        self.ctx = ctx
        self.excluded = shared.excluded_in(start, end)
        # Sentence and clause ends of the paragraph, found once (`_last_end`).
        self.sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
        self.clause_ends = [m.end() for m in _CLAUSE_END.finditer(text, start, end)]
        self.kind = kind
        self.offset = offset
        self.lex: Lexicon = lexicon()
        # Lists headed by a line of targets over the whole text (`plan_lists`), few per text.
        self.shared = shared

    def run(self) -> list[Indicator]:
        candidates = self._candidates()
        if not candidates:
            return []
        from pipeline.nlp.tokens import word_tokens

        # The words of `make_doc` (underthesea's segmentation) without building a spaCy Doc.
        tokens = [(s + self.start, e + self.start, w)
                  for s, e, w in word_tokens(self.text[self.start:self.end])]
        # Sorted: a number's words are found by bisection, not by a walk over the paragraph.
        self.token_starts = [s for s, _e, _w in tokens]
        found: list[Indicator] = []
        ends = [c.unit_end for c in candidates]  # increasing: candidates never overlap
        for i, c in enumerate(candidates):
            # Only the earlier mentions in its sentence or its clause window matter
            # (`_is_part`, `_key_context`), and of the later ones only the next.
            lo = bisect_right(ends, min(self._sentence_start(c.start), c.start - _WINDOW), 0, i)
            found.append(self._indicator(c, tokens, candidates[lo:i], candidates[i + 1:i + 2]))
            if found[-1].key is None and i and self._parenthetical_target(c):
                # "30% đảng viên hoàn thành xuất sắc (Nghị quyết 20%, ...)": the resolution's
                # target for the thing just counted.
                found[-1].key = found[-2].key
                found[-1].subject = found[-2].subject
            elif found[-1].key is None and i and self._series_item(candidates[i - 1], c):
                # "tăng từ 255 đồng chí năm 2005 lên 284 đồng chí năm 2006, 288 đồng chí năm
                # 2007": the same count in later years.
                found[-1].key = found[-2].key
        self._shared_rating(candidates, found)
        self._unit_pair(candidates, found)
        return found

    def _unit_pair(self, candidates: list[_Candidate], found: list[Indicator]) -> None:
        """"105 tổ chức đảng và 5.505 đảng viên", "có 25 chi bộ, 800 đảng viên": a unit's party
        organisations and members named as a pair are its totals (when nothing else keyed
        them and nothing qualifies either noun)."""
        for i in range(len(found) - 1):
            a, b = candidates[i], candidates[i + 1]
            if a.unit != "organisation" or b.unit != "person" or not a.unit_text \
                    or not b.unit_text:
                continue
            if not re.fullmatch(r"\s*(?:,|và|với)\s*", self.text[a.unit_end:b.start]):
                continue
            org, member = fold(a.unit_text), fold(b.unit_text)
            if not re.fullmatch(r"(?:to chuc(?: co so)? dang|tccs\w*|chi bo|dang bo|chi,? dang bo"
                                r"|to chuc dang)", org) or member not in ("dang vien", "dv"):
                continue
            if not re.search(r"(?:(?<!\w)(?:co|gom|voi|hien co|tong so|la)|,)\s*"
                             r"(?:(?:hon|gan|tren|khoang)\s+)?$",
                             self.folded[max(self.start, a.start - 20):a.start]):
                continue  # "kiểm tra, giám sát 112 tổ chức đảng và 274 đảng viên": a verb's
            after = self.folded[b.unit_end:b.unit_end + 20]
            if re.match(r"\s*(?:[a-z]+\s+){0,1}(?:duoc|da|la|moi|nu|nam|du bi|chinh thuc|trong"
                        r"|nhan|bi|vi pham|tham du|co mat)\b", after):
                continue
            if found[i].key is None and found[i + 1].key in (None, "members_total"):
                found[i].key = "party_cells_total"
            if found[i + 1].key is None and found[i].key == "party_cells_total":
                found[i + 1].key = "members_total"

    def _series_item(self, prev: _Candidate, c: _Candidate) -> bool:
        """`c` repeats `prev`'s count for another year: same measure and noun, only a year and
        a comma between."""
        return (prev.unit == c.unit and prev.unit_text is not None
                and fold(prev.unit_text) == fold(c.unit_text or "")
                and bool(re.fullmatch(r"\s*(?:\(?\s*năm\s+(?:19|20)\d\d\s*\)?)\s*[,;]\s*(?:và\s+)?",
                                      self.text[prev.unit_end:c.start].lower())))

    def _shared_rating(self, candidates: list[_Candidate], found: list[Indicator]) -> None:
        """"100% chi bộ và hơn 92% đảng viên hoàn thành tốt nhiệm vụ": the rating named after
        the second share is the first's too, for organisations (the rule's `org_variant`)."""
        for i in range(len(found) - 1):
            a, b = candidates[i], candidates[i + 1]
            if found[i].key is not None or found[i + 1].key is None or a.unit != b.unit:
                continue
            between = self.folded[a.unit_end:b.start]
            m = re.fullmatch(r"\s*(\S.{0,30}?)\s+va\s+(?:(?:hon|gan|tren|khoang)\s+)?", between)
            if m is None:
                continue
            rule = self.lex.rule(found[i + 1].key or "")
            noun = self.lex.noun_at(" " + m.group(1), 0)
            if rule is None or noun is None or noun[1] != len(m.group(1)) + 1:
                continue
            if noun[0] == "organisation" and rule.org_variant:
                found[i].key = rule.org_variant
            elif noun[0] == "person" and not rule.org_variant and rule.subject is None:
                found[i].key = rule.key

    @property
    def plan_lists(self) -> list[tuple[int, int, int | None]]:
        return self.shared.plan_lists

    def _parenthetical_target(self, c: _Candidate) -> bool:
        return bool(_PAREN_TARGET.search(self.folded, max(self.start, c.start - 30), c.start))

    # -- candidates ----------------------------------------------------------------------------

    def _candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        section_no = _SECTION_NO.match(self.text, self.start)
        floor = section_no.end() if section_no else self.start
        for m in _CANDIDATE.finditer(self.text, floor, self.end):
            if out and m.start() < out[-1].unit_end:
                continue  # "36 đảng viên/1.000 dân": the rate's denominator is not a count
            if m.start() > floor and self.text[m.start() - 1] == "\n" and _SECTION_NO.match(
                    self.text, m.start()):
                continue  # a section number at the start of a line inside the paragraph
            if (m.start() == self.start or self.text[m.start() - 1] == "\n") \
                    and _ITEM_NO.match(self.text, m.start()) and (
                        self.lex.noun_at(self.folded, m.end()) or ("", 0))[0] not in (
                            "person", "organisation"):
                # "2 Thị trấn thuộc các huyện ...": an item's number, no dot (not "77 Đảng
                # viên phường ... nhận Huy hiệu", a title that counts people)
                continue
            cand = self._read(m)
            pair = self._reached_over_planned(m) if cand is None else None
            if pair:
                out.extend(pair)
                continue
            if cand is None:
                cand = self._bare(m, out)
            if cand is not None and not self._condition(cand) and not self._opinion(cand) \
                    and not self._in_cited_title(cand):
                out.append(cand)
        return out

    def _reached_over_planned(self, m: re.Match[str]) -> list[_Candidate]:
        """"sản lượng đạt 1.492,2/850 tấn": what was reached over what was planned, printed as
        a ratio above 1 with one noun after both; two numbers of that noun (the second is the
        plan's, `_indicator`)."""
        if not m.group("den") or m.group("b") or self._blocked(m.start(), m.end()):
            return []
        a, den = parse_number(m.group("a")), parse_number(m.group("den"))
        if a is None or den is None or a <= den or den <= 12 and a <= 31 and (
                "," not in m.group() and self.lex.date_before.search(
                    self.lower, max(self.start, m.start() - 40), m.start())):
            return []  # ("ngày 10/6 chi bộ Bản Đoàn kết ...": a date)
        second = self._with_unit(m.start("den"), m.end("den"), den, None, m.group("den"))
        if second is None or second.unit not in ("count", "person", "organisation", "area"):
            return []
        first_end = m.start() + len(m.group("a"))
        first = _Candidate(m.start(), first_end, first_end, a, None, second.unit, None,
                           second.noun_class)
        return [first, second]

    def _in_cited_title(self, c: _Candidate) -> bool:
        """"Căn cứ Quyết định số 10/2020/QĐ-UBND ... về việc phê duyệt 15 dự án ...;",
        "Thực hiện Nghị quyết số 05-NQ/TU về việc kết nạp 500 đảng viên mới, ...": the number
        is in the title of a cited document, not something the unit counted."""
        # At most 400 characters back: a title is not longer, and a long paragraph without
        # punctuation must not make this quadratic.
        sentence = self.text[max(self._sentence_start(c.start), c.start - 400):c.start]
        clause = re.split(r"[;:]", sentence)[-1]
        m = self.lex.cited_title.search(clause)
        if m is None:
            return False
        # In a "Căn cứ" line the title runs to the end of the clause; elsewhere a comma ends it
        # (", Đảng bộ đã kết nạp 520 đảng viên").
        return bool(_CITING_LINE.match(clause) or "," not in clause[m.end():])

    def _bare(self, m: re.Match[str], earlier: list[_Candidate]) -> _Candidate | None:
        """A number printed without its noun that still counts something: a part in the list
        of a total ("18.494 đảng viên, gồm: cấp tỉnh và tương đương 314, ...") takes the
        total's measure; a number right after a labelled noun ("Cấp uỷ viên các cấp được giám
        sát là 74.268", "tỉnh uỷ viên và tương đương 788") takes the noun's."""
        if m.group("pct") or m.group("den") or m.group("b"):
            return None
        start, end = m.start(), m.end()
        printed = m.group("a")
        if (self._blocked(start, end) or _YEAR.fullmatch(printed)
                or not re.match(r"\s*(?:[,;.()]|$|\n|và\s|ở\s|năm\s+(?:19|20)\d\d"
                                r"|trong(?: tổng số| số)?\s+\d|là\s)", self.text[end:end + 20])
                or (start and (self.text[start - 1].isalnum() or self.text[start - 1] in "/-–"))):
            return None
        if self.lex.name_before.search(self.text[max(self.start, start - 30):start].lower()):
            return None
        if self.lex.bare_name_before.search(self.lower, max(self.start, start - 12), start):
            return None  # "Chi bộ khối 6": a name's number, with no noun after it
        name = re.search(r"(?:^|\s)[A-ZĐÀ-Ỹ]\w*\s+[A-ZĐÀ-Ỹ]\w*\s+$",
                         self.text[max(self.start, start - 40):start])
        if name and max(self.start, start - 40) + name.start() > self._sentence_start(start):
            return None  # "phường Đông Hải 2": a name's number
        if (re.match(r"\s*,\s*\d", self.text[end:end + 4])
                or re.search(r"\d\s*,\s*$", self.text[max(0, start - 4):start])
                and not re.search(r"năm\s+(?:19|20)\d\d\s*,\s*$",
                                  self.text[max(0, start - 12):start])):
            return None  # "chi bộ kiểm định 1,2,3": names in a row, not a decimal "1,2"
        value = parse_number(printed)
        if value is None:
            return None
        said = re.match(r"\s+là\s+", self.text[end:end + 8])
        if said:
            # "1.588 người, gồm: ...; 353 là đại biểu bầu theo quy định": the noun after "là"
            noun = self.lex.noun_at(self.folded, end + said.end())
            if noun is not None and noun[0] in ("person", "organisation"):
                return _Candidate(start, end, end, value, None, noun[0], None, None)
            return None
        within = re.match(r"\s*trong(?: tổng số| số)?\s+\d+(?:[.,]\d+)*", self.text[end:end + 30])
        if within:
            # "đạt 17 trong tổng số 19 mục tiêu", "7 trong 8 làng": a part of the whole named
            # after it, counted in its noun.
            noun = (self.lex.noun_at(self.folded, end + within.end())
                    or self.lex.unknown_noun_at(self.text, self.folded, end + within.end()))
            return None if noun is None else _Candidate(start, end, end, value, None, noun[0],
                                                        None, None)
        sentence = self._sentence_start(start)
        if "," in printed and self.lex.index_words.search(self.folded, sentence, start):
            # "HDI ... từ 0,561 năm 1985 lần lượt tăng lên 0,599 năm 1990": an index's value;
            # the contract has no measure for an index, it is a count.
            return _Candidate(start, end, end, value, None, "count", None, None)
        if re.match(r"\s*năm", self.text[end:end + 6]):
            return None  # "... 300 năm 1990": a year follows a bare number of nothing
        clause = max(sentence, *(i + 1 for i in (self.text.rfind(ch, self.start, start)
                                                  for ch in ",;:(") if i >= 0), self.start)
        if _NOT_COUNT_LABEL.search(self.folded, clause, start):
            return None  # "độ tuổi trung bình là 56,1": an age, an average, a rate
        for e in reversed(earlier):
            if e.start < sentence:
                break
            mark = _LIST_MARK.match(self.folded, e.unit_end)
            if e.noun_class and mark and mark.end() <= start:
                return _Candidate(start, end, end, value, None, e.unit, None, None)
        row = self._row_noun(start, end, sentence)
        if row is not None:
            # "thi hành kỷ luật 1, huyện uỷ ... thi hành kỷ luật 8, chi bộ thi hành kỷ luật 29
            # trường hợp": a row of the same verb that names its noun at its end.
            return _Candidate(start, end, end, value, None, row, None, None)
        if re.match(r"\s*\(\s*\d[\d.,]*\s*%", self.text[end:end + 16]) and re.search(
                r":\s*$", self.text[max(self.start, start - 4):start]):
            # "những điều đảng viên không được làm: 15 (20,2%); lối sống: 14 (18,9%)": a count
            # beside its share, of the people or organisations its sentence speaks of.
            # (the items after the first take its class: "...: 15 (20,2%); chính sách dân số
            # ...: 12 (16,2%)" - the nouns of a later item's label are not what is counted)
            noun = next((e.unit for e in reversed(earlier) if e.start >= sentence
                         and e.unit in ("person", "organisation") and e.unit_text is None
                         and re.match(r"\s*\(\s*\d[\d.,]*\s*%", self.text[e.end:e.end + 16])),
                        None) or self._sentence_noun(sentence, start)
            if noun is not None:
                return _Candidate(start, end, end, value, None, noun, None, None)
        label = self.folded[clause:start]
        if re.search(r"\bnam\s*$", label):
            return None  # "năm 938": a year
        stated = bool(re.search(r"(?:\bla|:)\s*$", label))
        total = re.search(r"(?<!\w)tong so\s+", label)
        if total and re.search(r"(?:\bla|\blen|\bdat|con so)\s*$", label):
            # "nâng tổng số đảng viên toàn đảng bộ lên con số 1.622": the total's noun.
            noun = self.lex.noun_at(label, total.end())
            if noun is not None and noun[0] in ("person", "organisation"):
                return _Candidate(start, end, end, value, None, noun[0], None, None)
        for pos in (i.start() for i in re.finditer(r"(?:^|\s)\S", label)):
            noun = self.lex.noun_at(label, pos)
            if noun is None or noun[0] not in ("person", "organisation"):
                continue
            gap = self.text[clause + noun[1]:start]
            # The noun labels the number: "… được giám sát là 74.268", "tỉnh uỷ viên và tương
            # đương 788"; not "Công ty cổ phần Sông Đà 10" (a name between them).
            if not gap.strip() and noun[0] == "organisation":
                return None  # "tổng công ty 91", "Chi bộ 5": a name
            if stated or (len(gap) <= 18 and not any(ch.isupper() for ch in gap)):
                return _Candidate(start, end, end, value, None, noun[0], None, None)
        return None
        for pos in (i.start() for i in re.finditer(r"(?:^|\s)\S", label)):
            noun = self.lex.noun_at(label, pos)
            if noun is not None and noun[0] in ("person", "organisation"):
                return _Candidate(start, end, end, value, None, noun[0], None, None)
        return None

    def _row_noun(self, start: int, end: int, sentence: int) -> str | None:
        """The class of the noun a row of counts after the same words names at its end: the
        two words before the number recur later in the sentence before a number and a person
        or organisation noun."""
        if not re.match(r"\s*(?:[,;]|và\s)", self.text[end:end + 5]):
            return None
        words = re.search(r"([a-z]+ [a-z]+)\s+$", self.folded[max(sentence, start - 30):start])
        if words is None:
            return None
        stop = self._sentence_end(end)
        again = re.compile(rf"(?<!\w){re.escape(words.group(1))}\s+\d+(?:[.,]\d+)*")
        for m in again.finditer(self.folded, end, stop):
            noun = self.lex.noun_at(self.folded, m.end())
            if noun is not None and noun[0] in ("person", "organisation"):
                return noun[0]
            if noun is not None or not re.match(r"\s*(?:[,;]|va\s)", self.folded[m.end():]):
                return None
        return None

    def _sentence_noun(self, sentence: int, start: int) -> str | None:
        """The class of the last person or organisation noun in the sentence before `start`."""
        for m in reversed(list(re.finditer(r"(?<!\w)(?=\w)", self.folded[sentence:start]))):
            noun = self.lex.noun_at(self.folded, sentence + m.start())
            if noun is not None and noun[0] in ("person", "organisation") and noun[1] <= start:
                return noun[0]
        return None

    def _condition(self, c: _Candidate) -> bool:
        """"không quá 4 người", "(có) từ 300 đảng viên trở lên": a threshold or a condition,
        not something counted (data/indicator_lexicon.yaml `conditions`)."""
        before = self.text[max(self.start, c.start - 32):c.start].lower()
        spelled = _SPELLED_BEFORE.search(self.folded, max(self.start, c.start - 90), c.start)
        if spelled:
            # "lớn hơn hoặc bằng bốn mươi lăm mét vuông (45m2)": the number repeats the amount
            # in words; the words before those say whether it is a threshold.
            before = self.text[max(self.start, spelled.start() - 20):spelled.start()].lower()
        if self.lex.condition_before.search(before) or _TOLERANCE.search(before) and not \
                _COMPARED_AFTER.match(self.folded, c.unit_end):
            return True  # ("cao hơn 3,1% so với Nghị quyết": by how much, a result)
        if self._conditional_clause(c, before):
            return True
        if self.lex.condition_category.search(before) and _CATEGORY_START.match(
                self.text, self._sentence_start(c.start)):
            return True  # "b) Các công ty con do Tập đoàn nắm giữ trên 50% vốn điều lệ"
        if self.lex.condition_caps.search(before):
            return not (self._in_plan(c.start) or self.ctx.plan_document)
        sentence = self.lower[self._sentence_start(c.start):c.start]
        if self.lex.condition_sentence.search(sentence):
            return True
        if self.lex.each_minimum.search(sentence):
            # "mỗi đảng bộ ... có ít nhất 01 đảng viên là đại biểu": a rule for each.
            return not (self._in_plan(c.start) or self.ctx.plan_document
                        or self.lex.target_cues.search(fold(sentence)))
        if re.search(r"đạt(?:\s+(?:được|tỷ lệ|tỉ lệ|mức))?(?:\s+từ)?\s*$", before):
            return False  # "đạt (từ) 95% trở lên": a result
        if self._in_plan(c.start) or self.ctx.plan_document or self.lex.target_cues.search(
                self.folded[self._sentence_start(c.start):c.start]):
            return False  # "phấn đấu kết nạp 50 đảng viên mới trở lên": a target
        if self._annual_minimum(c) or self._continues_targets(c) or (
                self.lex.condition_after.match(self.lower, c.unit_end)
                and self._under_target_lead(c.start)):
            return False  # "Hàng năm kết nạp mới từ 25 đảng viên trở lên": a target
        return bool(self.lex.condition_after.match(self.lower, c.unit_end))

    def _annual_minimum(self, c: _Candidate) -> bool:
        sentence = self.lower[self._sentence_start(c.start):c.start]
        # Only a sentence that opens on it: "mức nộp ngân sách hằng năm từ 20 tỷ đồng trở lên"
        # in a rule is a condition.
        return bool(_ANNUAL.match(sentence) and not _REPORTED.search(sentence)
                    and self.lex.condition_after.match(self.lower, c.unit_end))

    def _term_ahead(self, before: str) -> bool:
        """The sentence opens on the congress's coming term ("Nhiệm kỳ 2025 - 2030, Đảng bộ
        đề ra 17 chỉ tiêu"), not on the term it reviews."""
        m = _TERM_LEAD.match(before)
        if m is None:
            return False
        term = f"{m.group('a')}-{m.group('b')}"
        if self.ctx.reviewed_term and term == self.ctx.reviewed_term:
            return False
        if self.ctx.year is not None and int(m.group("a")) < self.ctx.year:
            return False  # "Nhiệm kỳ 2015-2020, huyện kết nạp được ..." written in 2020
        if self.ctx.term:
            return term == self.ctx.term
        return self.ctx.year is not None

    def _under_target_lead(self, pos: int) -> bool:
        """The line at `pos` is an item of a list led by a line of targets ("... phấn đấu đạt
        được các chỉ tiêu sau." then "- 100% cán bộ ...")."""
        end = self.text.rfind("\n", 0, pos) + 1
        # Items are bulleted ("- 100% cán bộ ..."), or short lines after a lead ending in ":"
        # ("Các chỉ tiêu chủ yếu:" then "Tốc độ tăng trưởng bình quân 8%/năm.").
        line_end = self.text.find("\n", pos)
        bulleted = bool(_LIST_ITEM.match(self.text, end))
        if not bulleted and (line_end if line_end >= 0 else len(self.text)) - end > 250:
            # A long paragraph of items right under its lead ("Đại hội xác định các chỉ tiêu
            # chủ yếu sau:" then "Tăng trưởng ... 8%; thu nhập ... 90 triệu đồng; ...").
            prev_end = self.text.rfind("\n", 0, end)
            while prev_end > 0 and not self.text[self.text.rfind("\n", 0, prev_end) + 1:
                                                  prev_end].strip():
                prev_end = self.text.rfind("\n", 0, prev_end)
            if prev_end <= 0:
                return False
            lead = fold(self.text[self.text.rfind("\n", 0, prev_end) + 1:prev_end]).rstrip()
            return (lead.endswith(":") and len(lead) <= 250
                    and bool(self.lex.target_cues.search(lead))
                    and not self.lex.result_cues.search(self.lower, end, pos))
        for _ in range(12):  # walk back over the list's earlier items to its lead line
            line_end = self.text.rfind("\n", 0, end)
            if line_end < 0:
                return False
            line_start = self.text.rfind("\n", 0, line_end) + 1
            line = self.text[line_start:line_end]
            if not line.strip():
                end = line_end
                continue
            folded = fold(line)
            leads = bool(_LIST_LEAD.search(folded) and self.lex.target_cues.search(folded))
            if leads and not bulleted:
                return folded.rstrip().endswith(":")
            if leads:
                return True
            if _LIST_ITEM.match(line) and bulleted:  # a numbered lead ("2. Trước mắt, ...
                end = line_start  # phấn đấu đạt được các chỉ tiêu sau.") leads all the same
                continue
            if not bulleted and len(line) <= 250 and re.search(r"\d", line) \
                    and not self.lex.result_cues.search(line.lower()):
                end = line_start  # an earlier short item
                continue
            return False
        return False

    def _conditional_clause(self, c: _Candidate, before: str) -> bool:
        """"nếu xã cách xa trên 10 km thì ...", "Thiệt hại dưới 30% sản lượng thì được giảm
        50%": a number in the condition of a rule (before its "thì"), not a result."""
        end_m = _CLAUSE_END.search(self.text, c.unit_end, self.end)
        rest = self.text[c.unit_end:end_m.start() if end_m else self.end].lower()
        then = re.search(r"(?<!\w)thì(?!\w)", rest)
        if then is None or re.search(r"[,;:]", rest[:then.start()]) and not re.search(
                r"\bnếu\b(?!\s+như)", self.text[self._sentence_start(c.start):c.start].lower()):
            return False
        sentence = self.text[self._sentence_start(c.start):c.start].lower()
        if re.search(r"(?<!\w)nếu(?!\s+như)(?!\w)", sentence) and "thì" not in sentence:
            return True
        return bool(_COMPARATIVE.search(before))

    def _in_plan(self, pos: int) -> bool:
        return self._plan_source(pos) is not None

    def _plan_source(self, pos: int) -> str | None:
        """Under the plan part of a party congress document (the section labels say "plan"
        reliably only there: a state resolution's "Điều 2" is not a plan)."""
        section = self.ctx.section_at(self.offset + pos)
        party = self.ctx.doc_type in _PLANNED or self.ctx.doc_type is None
        if section and section.startswith("plan") and party:
            return "section"
        if party and section and section.startswith(_REVIEW_SECTIONS):
            return None  # the labeller knows a party document's review part
        for start, end, year in self.plan_lists:
            if start <= pos < end:
                # "Các chỉ tiêu chủ yếu nhiệm kỳ 2010-2015" in a text of 2016 reviews them.
                if year is None or self.ctx.year is None or year >= self.ctx.year:
                    return "heading"
                return None
        return None

    def _opinion(self, c: _Candidate) -> bool:
        """"92,2% ý kiến cho rằng ...", "79% người được hỏi đồng ý": an opinion poll."""
        if c.unit != "%":
            return False
        stop = min(self.end, c.unit_end + 60)
        end_m = _CLAUSE_END.search(self.text, c.unit_end, stop)
        clause = self.folded[c.unit_end:end_m.start() if end_m else stop]
        return bool(self.lex.opinions.search(clause))

    def _blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.excluded)

    def _read(self, m: re.Match[str]) -> _Candidate | None:
        start, end = m.start(), m.end()
        if self._blocked(start, end):
            return None
        prev = self.text[start - 1] if start > 0 else " "
        glued = re.search(r"(?<!\w)(?:và|là|có|đạt|với|còn|khoảng|gần|hơn|trên|tăng|giảm)$",
                          self.text[max(0, start - 8):start])
        if (prev.isalpha() and not m.group("pct") and not glued  # "Covid19" is a name
                or prev in "/-–" and _YEAR.fullmatch(m.group("a"))):
            return None  # "Covid-19" is caught below; "QĐ/2024", "abc123" are not quantities
        before = self.folded[max(self.start, start - 30):start]
        if self.lex.name_before.search(self.text[max(self.start, start - 30):start].lower()):
            return None
        if _YEAR.fullmatch(m.group("a")) and re.search(r"\b[A-ZĐ]\w*\s+$",
                                                     self.text[max(0, start - 20):start]):
            return None  # "Hiến pháp 1992 lần này", "Giơnevơ 1954": a name's year
        if _YEAR.fullmatch(m.group("a")) and _year_word_before(self.text, start):
            return None  # "năm 2017 Hội nghị ...": a year, whatever follows
        if _PER.search(before) and m.group("a") in ("1", "01"):  # "20 tr đồng/ 1 người/ 1 tháng"
            return None
        a = parse_number(m.group("a"))
        if a is None:
            return None
        b = parse_number(m.group("b")) if m.group("b") else None
        value_max = None
        if b is not None:
            if not (a < b <= a * 20 + 20):  # "3-4", "80 đến 100"; not "12-2024"
                return self._read_single(m, a, start)
            value_max = b
        after = m.end()
        if after < len(self.text) and self.text[after].isalpha() and not m.group("pct"):
            if read_measure(self.text, self.folded, after).end == after and not (
                    self.lex.noun_at(self.folded, after)):
                # "4G", "5GHz", "3D": a name, not a quantity ("790nghìn", "20tỷ" and a noun
                # of the lexicon glued to its number, "3.004tổ chức đảng", are one).
                return None
        permille = _PERMILLE.match(self.text, end)
        if permille and not m.group("pct") and not m.group("den"):
            # "tỷ suất sinh dưới 12 ‰": a rate per 1.000
            return _Candidate(start, end, permille.end(), a, value_max, "rate", "‰")
        if m.group("pct"):
            if self.text[end:end + 1] == "0" or self.text[end:end + 1] == "o":
                # "0,30%0/năm": per mille, written "%0" for "‰" - a rate per 1.000
                return _Candidate(start, end + 1, end + 1, a, value_max, "rate", "‰")
            return _Candidate(start, end, end, a, value_max, "%", "%")
        if m.group("den"):
            den = parse_number(m.group("den"))
            if den is None or a > den:
                return None
            if den <= 12 and a <= 31 and "," not in m.group() and self.lex.date_before.search(
                    self.lower, max(self.start, start - 40), start):
                return None  # "Sáng 8/10", "Quốc khánh 2/9 nước ...": a day and a month
            noun = self.lex.noun_at(self.folded, end)
            unit_end = noun[1] if noun else end
            unit_text = self.text[end:unit_end].strip() or None
            return _Candidate(start, end, unit_end, a, den, "ratio", unit_text)
        return self._with_unit(start, end, a, value_max, m.group("a"))

    def _noun_of_range_end(self, after: int) -> str | None:
        """The class of the noun after the second number of "từ A lên/xuống/đến B <noun>"."""
        if not re.search(r"(?<!\w)từ\s+\S+\s*(?:\S+\s*)?$",
                         self.text[max(self.start, after - 30):after].lower()):
            return None
        m = _RANGE_END.match(self.text, after)
        if m is None:
            return None
        measure = read_measure(self.text, self.folded, m.end())
        if measure.currency is not None:
            return None
        noun = (self.lex.noun_at(self.folded, measure.end)
                or self.lex.marked_noun_at(self.text, measure.end))
        return noun[0] if noun is not None else None

    def _read_single(self, m: re.Match[str], a: float, start: int) -> _Candidate | None:
        # A range that is not one ("2024-2025" handled as terms; "12-3"): keep the first number.
        end = m.start() + len(m.group("a"))
        pct = _PCT_AFTER.match(self.text, end)  # not a slice: a copy of the rest per number
        if pct:
            return _Candidate(start, pct.end(), pct.end(), a, None, "%", "%")
        return self._with_unit(start, end, a, None, m.group("a"))

    def _with_unit(self, start: int, end: int, value: float, value_max: float | None,
                   printed: str) -> _Candidate | None:
        """The measure from the words after the number (data/measures.yaml, the lexicon's
        nouns): a currency, else the counted noun (after magnitude words: "20 triệu dân" is
        20 000 000 persons), else, for a bare magnitude ("500 triệu"), money when the clause
        speaks of money and a count otherwise. Never from the size of the number."""
        measure = read_measure(self.text, self.folded, end)
        scale = measure.scale
        top = value_max * scale if value_max is not None else None
        if measure.currency is not None:
            return _Candidate(start, end, measure.end, value * scale, top, measure.currency,
                              self.text[end:measure.end].strip())
        after = measure.end
        if scale == 1 and self.lex.not_after.match(self.folded, after):
            return None
        noun = self.lex.noun_at(self.folded, after) or self.lex.marked_noun_at(self.text, after)
        spelled = SPELLED.match(self.folded, after) if noun is None and scale == 1 else None
        if spelled and not self.lex.not_after.match(self.folded, spelled.end()):
            # "46.831 (Bốn sáu nghìn tám trăm ba mươi mốt) đối tượng": words between; not "03
            # (ba) năm" (a duration) nor "01 (một) lần" (once, in a rule)
            noun = self.lex.noun_at(self.folded, spelled.end())
            if noun is not None and noun[0] not in ("person", "organisation", "count", "area"):
                noun = None
        if noun is None:
            noun = self._noun_of_range_end(after)
            if noun is not None:  # "từ 25 nghìn lên 40 nghìn người": the noun ends the span
                return _Candidate(start, end, after, value * scale, top, noun, None, noun)
        pair = _PAIR.match(self.text, after) if noun is None and scale == 1 else None
        if pair and value_max is None and value < 10 and int(pair.group(1)) == value + 1 and \
                read_measure(self.text, self.folded, pair.end(1)).end == pair.end(1):
            # "mỗi xã nên lựa chọn 2, 3 sản phẩm": two or three, a range
            pair_noun = (self.lex.noun_at(self.folded, pair.end(1))
                         or self.lex.unknown_noun_at(self.text, self.folded, pair.end(1)))
            if pair_noun is not None:
                cls, noun_end = pair_noun
                return _Candidate(start, end, noun_end, value, float(pair.group(1)), cls,
                                  self.text[pair.end(1):noun_end].strip(), cls)
        if noun is None and scale == 1:
            noun = self._unknown_noun(start, printed, after)
        if noun is not None:
            cls, noun_end = noun
            if cls == "area" and value == 1 and value_max is None and re.search(
                    r"(?<!\w)(?:trên|mỗi|/)\s*$", self.lower[max(self.start, start - 8):start]):
                return None  # "giá trị thu trên 1ha canh tác", "mỗi 1 ha": per hectare
            if cls == "times" and self.folded[after:noun_end].strip() == "luot":
                # "2.870 lượt học viên": the people counted, each time they came.
                counted = self.lex.noun_at(self.folded, noun_end)
                if counted is not None and counted[0] in ("person", "organisation"):
                    cls, noun_end = counted
            if cls == "times" and self.folded[after:noun_end].strip() == "lan" and is_multiple(
                    self.folded, start, noun_end):
                cls = "multiple"
            rate = _RATE.match(self.folded, noun_end)
            if rate and cls in ("person", "organisation", "count"):
                per = self.lex.noun_at(self.folded, rate.end())
                if per is not None:  # "36 đảng viên/1.000 dân"
                    cls, noun_end = "rate", per[1]
            area = _PER_AREA.match(self.folded, noun_end)
            if area and cls == "count":
                cls, noun_end = "rate", area.end()  # "1,37 tấn/ha": a yield
            each = _PER_EACH.match(self.folded, noun_end)
            if each and cls in ("person", "organisation", "count"):
                per = self.lex.noun_at(self.folded, each.end())
                if per is not None and per[0] in ("person", "organisation"):
                    cls, noun_end = "rate", per[1]  # "11 đại biểu/đảng bộ": per unit
            if cls in ("person", "organisation", "count"):
                per_end = per_population(self.folded, noun_end)
                if per_end is not None:  # "30 giường bệnh/1 vạn dân", "2 bác sĩ/vạn dân"
                    cls, noun_end = "rate", per_end
                elif self._shares_denominator(noun_end) or self._rate_label(start):
                    cls = "rate"
            return _Candidate(start, end, noun_end, value * scale, top, cls,
                              self.text[end:noun_end].strip(), cls)
        if scale > 1:
            clause = self.folded[max(self.start, start - _WINDOW):start]
            clause = re.split(r"[;.:]\s", clause)[-1]
            total = re.search(r"(?<!\w)(?:tong so|so)\s+", clause)
            if total and re.search(r"(?:\blen|\bla|\bdat)(?: (?:hon|gan|tren|khoang))?\s*$",
                                   clause):
                noun = self.lex.noun_at(clause, total.end())
                if noun is not None and noun[0] in ("person", "organisation"):
                    # "nâng tổng số đảng viên của khối lên gần 6 ngàn": the total's noun
                    return _Candidate(start, end, after, value * scale, top, noun[0],
                                      self.text[end:after].strip())
            unit = "VND" if money_context(clause) else "count"
            return _Candidate(start, end, after, value * scale, top, unit,
                              self.text[end:after].strip())
        return None

    def _shares_denominator(self, noun_end: int) -> bool:
        """The next count of the row is a rate, and this one shares its denominator: "10 bác
        sĩ và 30 giường bệnh/1 vạn dân"."""
        m = _NEXT_IN_ROW.match(self.folded, noun_end)
        if m is None:
            return False
        noun = self.lex.noun_at(self.folded, m.end()) or self.lex.unknown_noun_at(
            self.text, self.folded, m.end())
        return noun is not None and per_population(self.folded, noun[1]) is not None

    def _rate_label(self, start: int) -> bool:
        """The label before the number, in its clause, names the rate's denominator: "Số bác
        sĩ/vạn dân: 15 bác sĩ", "Số giường bệnh/vạn dân đạt từ 30 đến 35 giường"."""
        clause = max(self._sentence_start(start), self.text.rfind(";", self.start, start) + 1)
        end = per_population_in(self.folded, clause, start)
        return end is not None and not re.search(r"\d", self.folded[end:start])

    def _unknown_noun(self, start: int, printed: str, after: int) -> tuple[str, int] | None:
        """A word the lexicon does not list after the number ("8 chữ", "1300 từ", "15 miền
        núi"): a count of it (`Lexicon.unknown_noun_at`), unless the number is a year or names
        something: a capitalised word before it that does not open its sentence ("Quận 1 tổ
        chức", "Đại hội XII 5 năm"), a letter or digit glued to it."""
        if _YEAR.fullmatch(printed) or start and (self.text[start - 1].isalnum()
                                                  or self.text[start - 1] in "/-–"):
            return None
        head = self.text[max(self.start, start - 60):start]
        # "khoản 1, 2, 3 nói trên", "Sư đoàn 312, 316, 304 trực thuộc": the last of a row of
        # names; "Chiếu chỉ năm 1463 viết": a year.
        row = re.sub(r"(?:\d+\s*(?:,|và)\s*)+$", "", head)
        if row != head and self.lex.name_before.search(row[-30:].lower()) \
                or re.search(r"(?<!\w)năm\s+$", head.lower()) \
                or self.lex.document_before.search(head.lower()):
            return None  # ... "Nghị quyết 57 nhấn mạnh": a document's number
        if parse_number(printed) == 1 and re.search(
                r"(?<!\w)(?:đối với|mỗi|của|trên|cho)\s+$", head.lower()):
            return None  # "10 ngày đối với 01 xuất bản phẩm": per one, a rule's unit
        word = re.search(r"(\S+)\s+$", self.text[max(self.start, start - 40):start])
        if word and word.group(1)[0].isupper() and word.start(1) + max(self.start, start - 40) \
                > self._sentence_start(start) and word.group(1) not in ("Có", "Gồm", "Với"):
            return None
        return self.lex.unknown_noun_at(self.text, self.folded, after)

    # -- one indicator --------------------------------------------------------------------------

    def _indicator(self, c: _Candidate, tokens: list[tuple[int, int, str]],
                   earlier: list[_Candidate], later: list[_Candidate]) -> Indicator:
        section = self.ctx.section_at(self.offset + c.start)
        sentence_start = self._sentence_start(c.start)
        before = self.folded[sentence_start:c.start]
        raw_before = self.text[sentence_start:c.start].lower()
        kind = self.kind or self._kind(section, before, raw_before, c)
        if not self.kind and earlier and earlier[-1].unit == c.unit and c.unit not in (
                "%", "ratio") and re.fullmatch(r"\s*/\s*", self.text[earlier[-1].unit_end:c.start]):
            # "thu ngân sách đạt 36 tỷ đồng/33 tỷ đồng": what was reached over what was planned
            kind = "target"
        subject = self._subject(c, tokens)
        # What the number counts decides which keys may apply: its noun, else its subject.
        # Only a number with its own noun is held to it; "14,6% hoàn thành xuất sắc" is not.
        counted = (fold(f"{c.unit_text} {subject}") if c.noun_class and c.unit_text else None)
        if c.unit == "ratio" and c.unit_text:
            # "123/128 chi bộ": a ratio of cells; "39/40 chỉ tiêu giải pháp": of targets.
            counted = f"{fold(c.unit_text)} {self.folded[c.unit_end:c.unit_end + 40]}"
        elif c.unit in ("%", "ratio") and self.lex.noun_at(self.folded, c.unit_end):
            # "100% chi, đảng bộ ... phát triển được đảng viên": a share of organisations (up
            # to the clause's end: "100% thôn có chi bộ; đảng viên mới ..." is about villages).
            counted = re.split(r"[;.]", self.folded[c.unit_end:c.unit_end + 40])[0]
        if c.unit in _CHANGED_UNITS and _GROWTH.search(
                self.folded, max(self.start, c.start - 30), c.start) or c.unit == "VND" and \
                re.search(r"(?<!\w)vuot\s*$", self.folded[max(self.start, c.start - 8):c.start]):
            # "tăng 1,2% so với nhiệm kỳ trước", "tăng 5 đảng viên so với năm 2017": a change,
            # no key's subject
            counted = "#growth"
        if re.search(r"\((?:\s*so voi[^()]*)?\s*(?:tang|giam)(?: them)?[^()]*$",
                     self.folded[max(sentence_start, c.start - 80):c.start]):
            counted = "#growth"  # "(tăng 3 tổ chức đảng, 124 đảng viên so với ...)": a change
        if c.unit == "%" and re.match(r"\s*/\s*nam", self.folded[c.unit_end:c.unit_end + 8]) \
                and re.search(r"(?<!\w)(?:tang|giam)(?!\w)[^.;,]{0,40}$",
                              self.folded[max(sentence_start, c.start - 60):c.start]):
            counted = "#growth"  # "giảm tỷ lệ hộ nghèo bình quân 1,5%/năm": a yearly change
        part = self._is_part(c, earlier, sentence_start)
        clause_end = _SENTENCE_END.search(self.folded, c.unit_end, self.end)
        rest = self.folded[c.unit_end:min(c.unit_end + 80,
                                          clause_end.start() if clause_end else self.end)]
        context = self._key_context(c, earlier, later)
        key = self.lex.key_for(context, c.unit, counted, part, rest)
        tried: frozenset[str] = frozenset()
        while key is not None and key not in tried and self._key_not_wanted(
                key, c, sentence_start, earlier, later, self.lex.key_instead_when):
            # "kỷ luật bằng hình thức khiển trách với 3 tổ chức đảng": the verb's key, not the
            # cells' ("với 3 tổ chức đảng" alone would be).
            tried = tried | {key}
            key = self.lex.key_for(context, c.unit, counted, part, rest, exclude=tried)
        # ... unless the list is of a later total: "kết nạp 2.270 đảng viên mới, nâng tổng số
        # đảng viên lên 78.047 (trong đó có 29.373 đảng viên nữ)".
        since = max(sentence_start, self.folded.rfind("tong so", sentence_start, c.start))
        if part and key in _MEMBER_KINDS and _ADMITTED.search(self.folded, since, c.start):
            # "kết nạp được 603 đảng viên mới, trong đó: đảng viên nữ là 359 đồng chí": kinds
            # of the new members, not the unit's female members.
            key = None
        if counted == "#growth" or c.unit == "%" and _FULFILMENT.match(self.folded, c.unit_end):
            # "đạt 102,91%", "chiếm tỷ lệ 83,45%", "vượt 30%" so với chỉ tiêu: how much of the
            # target was reached or by how much it was beaten; "giảm 2,24% tỷ lệ hộ nghèo": a
            # change. Neither is the key's own count or rate.
            key = None
        if key is not None and self._key_not_wanted(key, c, sentence_start, earlier, later):
            key = None
        return Indicator(
            subject=subject,
            value=c.value,
            unit=c.unit,
            surface=self.text[c.start:c.unit_end],
            start=self.offset + c.start,
            end=self.offset + c.unit_end,
            key=key,
            value_max=c.value_max,
            unit_text=c.unit_text,
            kind=kind,  # type: ignore[arg-type]
            period=self._period(before, section, kind, c),
            section=section,
            where=self.ctx.where,
        )

    def _key_not_wanted(self, key: str, c: _Candidate, sentence_start: int,
                        earlier: list[_Candidate], later: list[_Candidate],
                        rules: Sequence[tuple[frozenset[str], re.Pattern[str] | None,
                                              re.Pattern[str] | None, re.Pattern[str] | None]]
                        | None = None) -> bool:
        """The words around the number make it a subset or a category beside the key's
        population (data/indicator_lexicon.yaml `key_not_when`)."""
        before = self.folded[sentence_start:c.start]
        lo = max([sentence_start] + [e.unit_end for e in earlier if e.unit_end <= c.start])
        lo = max(lo, self.folded.rfind(";", lo, c.start) + 1)
        end_m = _CLAUSE_END.search(self.text, c.unit_end, self.end)
        hi = min([end_m.start() if end_m else self.end] + [n.start for n in later])
        # "#" marks where the next number starts: "64 chi bộ trực thuộc #" (27 tổ chức ...).
        # ("#organisation": the next number counts organisations too.)
        mark = f"#{later[0].unit}" if later and hi == later[0].start else ""
        # An aside after it speaks of a part: "chiếm 87,97% (trong đó, ... tiêu biểu ...)".
        aside = re.search(r"\(|(?<!\w)trong do(?!\w)", self.folded[c.unit_end:hi])
        if aside:
            hi = c.unit_end + aside.start()
            mark = ""
        near = self.folded[lo:hi] + mark
        for keys, before_p, near_p, unless in (self.lex.key_not_when if rules is None
                                               else rules):
            if key not in keys or unless is not None and unless.search(near):
                continue
            if (before_p is not None and before_p.search(before)
                    or near_p is not None and near_p.search(near)):
                return True
        return False

    def _is_part(self, c: _Candidate, earlier: list[_Candidate], sentence_start: int) -> bool:
        """Whether `c` is one of the parts listed after a total in its sentence: "944 tổ chức
        cơ sở đảng (TCCSĐ), trong đó có 621 chi bộ ...", "18.494 đảng viên, gồm: cấp tỉnh
        314", "58 tổ chức cơ sở đảng, bao gồm 16 đảng bộ cơ sở"."""
        for e in earlier:
            if e.start < sentence_start or e.unit in ("%", "ratio") or e.unit != c.unit:
                continue
            # "787 tổ chức cơ sở đảng (tăng 11 so với năm 2011), trong đó, có 269 ...": an
            # aside in brackets between the total and its list does not end it.
            if re.search(r"(?<!\w)tong so(?!\w)", self.folded[e.unit_end:c.start]):
                continue  # "..., đưa tổng số đảng viên ... đạt 74.108": the list has ended
            mark = _LIST_MARK.match(self.folded, e.unit_end)
            if mark and mark.end() <= c.start and not (
                    mark.group().endswith("(") and ")" in self.folded[mark.end():c.start]
                    and _LABELLED_COUNTS.match(self.folded, mark.end())):
                return True  # a bracket of labelled counts ends with the bracket
            between = _CLOSED_BRACKET.sub(lambda m: " " * len(m.group()),
                                          self.folded[e.unit_end:c.start])
            mark = _LIST_MARK.match(between)
            if mark and mark.end() <= c.start - e.unit_end:
                return True
        return False

    def _past_term(self, before: str) -> bool:
        """The sentence names a term that began before the document's year ("Nghị quyết Đại
        hội ... nhiệm kỳ 2010-2015 ... đề ra 33 chỉ tiêu" written in 2013): what it set is
        reviewed, not set now."""
        if self.ctx.year is None:
            return False
        return any(int(m.group()[:4]) < self.ctx.year for m in _TERM.finditer(before))

    def _sentence_end(self, pos: int) -> int:
        m = _SENTENCE_END.search(self.text, pos, self.end)
        return m.start() if m else self.end

    def _sentence_start(self, pos: int) -> int:
        # "51.276" is not a sentence end: a sentence end is followed by a space.
        return _last_end(self.sentence_ends, self.text, self.start, pos)

    def _baseline(self, c: _Candidate) -> bool:
        """"từ 7 triệu năm 2005 lên 14 triệu vào năm 2010": the value a plan starts from is
        what was reached, not a target."""
        if not re.search(r"(?<!\w)từ\s*$", self.text[max(self.start, c.start - 6):c.start]
                         .lower()):
            return False
        return bool(re.match(r"[^.;]{0,30}?(?<!\w)(?<!trở )(?:lên|xuống|tới)(?!\w)",
                             self.text[c.unit_end:c.unit_end + 40].lower()))

    def _kind(self, section: str | None, before: str, raw_before: str,
              c: _Candidate | None = None) -> str:
        """target under the plan part (or in a plan document) unless the sentence reports a
        result ("đã", "đạt được"); elsewhere target after a target cue ("phấn đấu", "mục
        tiêu", "đến năm 2030" when that year is still ahead)."""
        if _REACHED_NOW.search(before):
            return "actual"  # "..., đạt và vượt 24/26 chỉ tiêu", "ước đạt 9,54%": reached
        if c is not None and c.unit in ("count", "ratio") and fold(c.unit_text or "").startswith(
                ("chi tieu", "muc tieu")) and _TARGETS_STATE.match(self.folded, c.unit_end) \
                and not re.search(r"(?<!da )phan dau|(?<!\w)(?:du kien|se|co the|du bao)(?!\w)",
                                  before):
            return "actual"  # "có 13/15 chỉ tiêu đạt và vượt, 02 chỉ tiêu xấp xỉ đạt"
        result = bool(self.lex.result_cues.search(raw_before)) or (
            c is not None and self._baseline(c))
        before = _CLOSED_BRACKET.sub(lambda m: " " * len(m.group()), before)
        source = self._plan_source(c.start) if c is not None else None
        if source == "heading" and not result and self.ctx.year is not None and any(
                int(y) < self.ctx.year for y in _PAST_YEAR.findall(raw_before)):
            result = True  # "Năm 2023, tỷ lệ hộ nghèo còn 2%" under "Mục tiêu ..." in 2024
        if source is not None or self.ctx.plan_document:
            return "actual" if result else "target"
        if not result and self.lex.obligation(_CLOSED_BRACKET.sub(
                lambda m: " " * len(m.group()), raw_before)):
            return "target"  # "phải đơn giản hoá tối thiểu 30%", "chỉ nên dưới 10%"
        # "Nhiệm kỳ 2025-2030, Đảng bộ ... có 42 Đảng viên" states what the unit has.
        targets_set = _TARGETS_SET.search(before) if c is not None and c.unit == "count" \
            else None
        if targets_set and c is not None and (targets_set.group("list") or fold(
                c.unit_text or "").startswith(("chi tieu", "muc tieu"))) and not \
                _SINCE_SET.search(self.folded, c.unit_end, self._sentence_end(c.unit_end)) \
                and not self._past_term(raw_before):
            # "các đại biểu đã biểu quyết thông qua 16 chỉ tiêu": targets set (not "Đại hội
            # ... đề ra 116 chỉ tiêu, đến nay có 92 chỉ tiêu đã đạt": a review of them)
            return "target"
        if not result and (self._term_ahead(before) and not _REPORTED.search(raw_before)
                           and not re.search(r"(?<!\w)(?:có|gồm)(?!\w)", raw_before)
                           or c is not None and self._annual_minimum(c)):
            return "target"
        # "(đầu nhiệm kỳ, Đảng bộ có 5.356 đảng viên)": an aside opened after the cue is not
        # under it.
        aside = before.rfind("(")
        rest = self.folded[c.start:c.start + 80] if c is not None else ""
        if aside >= 0 and re.fullmatch(r"\(\s*(?:\d[^()]*)?", before[aside:]) and ")" in rest \
                and re.search(r"[,;]\s", before[aside:] + rest[:rest.find(")")]):
            # "còn 39 ĐVHC cấp xã (35 xã, 4 phường)": the breakdown of the planned total (not
            # "62,9 triệu đồng/người (2.989 USD/người)", "(47,4%)": the same number restated)
            aside = -1
        for m in self.lex.target_cues.finditer(before):
            if m.end() <= aside:
                continue
            if ":" in m.group() and (_REACHED.search(before, 0, m.start())
                                     or _REACHED_INSIDE.search(m.group())):
                continue  # "đạt và vượt các chỉ tiêu Nghị quyết đề ra: ... 65%": results
            if m.groupdict().get("year") is None and _EXCEEDED.search(before, 0, m.start()):
                continue  # "đã hoàn thành các mục tiêu", "vượt mục tiêu Nghị quyết" (not
                # "góp phần hoàn thành mục tiêu hằng năm kết nạp ... 3%": the goal's value)
            if c is not None and c.unit == "person" and _ELECTED.search(before, m.end()):
                # "Ủy ban Kiểm tra nhiệm kỳ mới gồm 7 ủy viên", "dự kiến Ban Chấp hành ... gồm
                # 49 đồng chí", "thông qua các chỉ tiêu ...; bầu 15 đồng chí vào Ban Chấp
                # hành": who was elected or proposed, not a target.
                continue
            year = m.groupdict().get("year")
            if year is not None and re.search(r"(?:tu (?:nam )?(?:19|20)\d\d|tinh)\s*$",
                                              before[:m.start()]):
                continue  # "từ năm 2000 đến năm 2006", "tính đến cuối năm 2010": past
            if year is not None and self.lex.forecast_cues.search(before):
                continue  # "dự báo ..., nếu ... thì từ nay đến năm 2030 sẽ mất": a forecast
            if year is not None:
                # "Đến năm 2008, toàn tỉnh có 473 ..." reports; "đến năm 2030 đạt 95%" plans.
                if self.ctx.year is not None:
                    if int(year) <= self.ctx.year:
                        continue
                elif result or re.search(r"(?<!\w)có(?!\w)",
                                         re.split(r"[;:]", raw_before[m.end():])[0]):
                    # "Đến năm 2008, toàn tỉnh có 473 ..." reports what there was; a later
                    # clause of a list of targets ("...; có 10 bác sĩ/1 vạn dân") does not.
                    continue
                elif self.ctx.term and int(year) <= int(self.ctx.term[:4]):
                    continue  # "Đến năm 2015, thu nhập ... đạt" before a 2015-2020 congress
            return "target"
        if not result and c is not None and (self._under_target_lead(c.start)
                                             or self._continues_targets(c)
                                             or self._quoted_target(before)
                                             or self._plan_group(c)):
            return "target"
        return "actual"

    def _plan_group(self, c: _Candidate) -> bool:
        """The paragraph is a group of a resolution's targets: it opens on the group's name
        ("Về kinh tế: Tốc độ tăng trưởng bình quân 5 năm khoảng 6,5 - 7%/năm. Đến năm 2025,
        GDP bình quân ...") and a later sentence of it sets what is to be reached by a year
        still ahead; nothing in it reports a result ("đã", "đạt được")."""
        opening = self.lex.plan_heading_group.match(self.folded, self.start)
        if opening is None or ":" not in self.text[self.start:self.start + 40]:
            return False
        if self.lex.result_cues.search(self.lower, self.start, self.end):
            return False
        after = self._sentence_end(c.unit_end)
        for m in self.lex.target_cues.finditer(self.folded, after, self.end):
            year = m.groupdict().get("year")
            if year is None or self.lex.forecast_cues.search(
                    self.folded, self._sentence_start(m.start()), m.start()):
                continue
            if self.ctx.year is not None and int(year) <= self.ctx.year:
                continue
            if self.ctx.year is None and self.ctx.term and int(year) <= int(self.ctx.term[:4]):
                continue
            return True
        return False

    def _quoted_target(self, before: str) -> bool:
        """The number is inside a quotation of the document that set it ('Nghị quyết Đại hội
        ... "Bình quân hằng năm phát triển 2.000 đảng viên"'): `before` is the folded sentence
        up to the number."""
        opened = max(before.rfind("“"), before.rfind('"'))
        if opened < 0 or "”" in before[opened:] or before.count('"') % 2 == 0 and \
                before[opened] == '"':
            return False
        return bool(self.lex.quoted_source.search(before, max(0, opened - 120), opened))

    def _continues_targets(self, c: _Candidate) -> bool:
        """The sentence continues the list of targets of the sentence before it, which has a
        target cue and a number ("... với một số chỉ tiêu chủ yếu ... 78% trở lên." then
        "Đảng bộ hoàn thành tốt nhiệm vụ, ... phát triển từ 10 đảng viên trở lên/năm."), and
        speaks like a plan: a minimum or a yearly rate, no past, no result."""
        start = self._sentence_start(c.start)
        end_m = _SENTENCE_END.search(self.text, c.unit_end, self.end)
        sentence = self.lower[start:end_m.start() if end_m else self.end]
        if (not self.lex.continued_markers.search(sentence)
                or self.lex.continued_past.search(sentence)
                or self.lex.result_cues.search(sentence)
                or c.unit == "person" and _ELECTED.search(fold(sentence))):
            return False  # (nor "Ủy ban Kiểm tra nhiệm kỳ mới gồm 5 ủy viên": who was elected)
        # (a congress's list of targets is often one long sentence: "Đại hội đã xác định nhiều
        # chỉ tiêu quan trọng, trong đó: ...; ...; ...." then "Trong nhiệm kỳ sẽ ...")
        window = self.text[max(0, start - 1500):start].rstrip()
        previous = fold(re.split(r"[.!?](?:\s|$)|\n", window.rstrip(".!?"))[-1])
        for m in self.lex.target_cues.finditer(previous):
            if m.groupdict().get("year") is None and re.search(r"\d", previous[m.end():]) \
                    and not _REACHED.search(previous, 0, m.start()):
                return True
        return False

    def _period(self, before: str, section: str | None, kind: str,
                c: _Candidate | None = None) -> str | None:
        after = _PERIOD_AFTER.match(self.folded, c.unit_end) if c is not None else None
        if after and c is not None and c.unit == "multiple":
            after = None  # "năm 2000 tăng gấp 2,07 lần năm 1990": the base, not the period
        if after and "(" in after.group() and not re.match(r"\s*\)", self.folded[after.end():]):
            after = None  # "14.000 ha (năm 2011 trồng mới 3.000 ha; ...)": a list, not a period
        if after:  # "39% vào năm 2012", "8,84% giai đoạn 2006-2013", "700 m2 (năm 2013)"
            a, b = after.group("a"), after.group("b")
            return f"{a}-{b}" if b else a
        period = None
        for m in _PERIOD.finditer(before):
            if _COMPARED.search(before, 0, m.start()):
                continue  # "tăng 10,3% so với năm 2009": the base compared with, not the period
            if m.group("y"):
                period = m.group("y")
            elif m.group("y4"):
                period = m.group("y4")
            elif m.group("y5"):
                period = m.group("y5")
            elif m.group("a3"):
                period = f"{m.group('a3')}-{m.group('b3')}"
            else:
                a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("a2"),
                                                                           m.group("b2"))
                period = f"{a}-{b}"
        if period:
            return period
        if (section and section.startswith("plan")) or kind == "target" and section is None:
            if self.ctx.term:
                return self.ctx.term
        if self.ctx.reviewed_term or self.ctx.term:
            return self.ctx.reviewed_term or self.ctx.term
        return str(self.ctx.year) if self.ctx.year else None

    def _key_context(self, c: _Candidate, earlier: list[_Candidate],
                     later: list[_Candidate]) -> str:
        clause_start = _last_end(self.clause_ends, self.text, self.start, c.start, ";.!?")
        clause_start = max(clause_start, c.start - _WINDOW)
        stop = min(self.end, c.end + _WINDOW)
        end_m = _CLAUSE_END.search(self.text, c.end, stop)
        if end_m:
            stop = end_m.start()
        if later:
            stop = min(stop, later[0].start)
        if c.unit_text is None and re.match(r"\s*[,;]", self.text[c.end:c.end + 3]):
            # "đảng viên chính thức là 1.497, đảng viên dự bị là 44": a bare number labelled
            # before it; what follows its comma is the next one's.
            stop = c.end
        before = list(self.folded[clause_start:c.start])
        # Earlier mentions' own words ("3-4 đảng viên mới") must not name this number's key.
        for e in earlier:
            for i in range(max(e.start, clause_start), min(e.unit_end, c.start)):
                before[i - clause_start] = " "
        return "".join(before) + "#" + self.folded[c.end:stop]

    # -- subject --------------------------------------------------------------------------------

    def _subject(self, c: _Candidate, tokens: list[tuple[int, int, str]]) -> str:
        first = c.unit_end
        generic = c.noun_class is not None and bool(
            self.lex.generic.search(fold(c.unit_text or "")))
        after: list[str] = []
        if not _no_noun(c.unit):
            after.append(c.unit_text or "")
        at = bisect_left(self.token_starts, first)
        for _s, _e, word in tokens[at:at + _MAX_SUBJECT_TOKENS + 1]:
            if len(after) >= _MAX_SUBJECT_TOKENS or _stops(word):
                break
            after.append(word)
        if _no_noun(c.unit) and after and after[0].lower() in ("chỉ", "chỉ tiêu"):
            after = ["chỉ tiêu"] + after[1:]
        after = _trim(after)
        nominal = bool(after) and not self.lex.not_noun.fullmatch(" " + fold(after[0]))
        if nominal and not generic and not (c.unit.isupper() and len(after) == 1):
            return _CUT.sub("", " ".join(after))
        label = self._label_before(c, tokens)
        if label and (not generic or self._names_something(label, c)):
            return label
        raw = [w for _s, _e, w in tokens[at:at + 6]]
        cut = next((i for i, w in enumerate(raw) if w in _PUNCT), len(raw))
        return " ".join(raw[:cut]) or " ".join(after)

    def _names_something(self, label: str, c: _Candidate) -> bool:
        """A label before a generic "đồng chí" must say who: a noun of the lexicon ("Số Đảng
        viên nam") or a label ending in ":" ("Lớp Trung cấp: 02 đồng chí"); not a verb ("cử")."""
        j = c.start
        while j > self.start and self.text[j - 1].isspace():
            j -= 1
        if j > self.start and self.text[j - 1] == ":":
            return True
        folded = " " + fold(label)
        return any(self.lex.noun_at(folded, m.start()) for m in re.finditer(r" ", folded))

    def _label_before(self, c: _Candidate, tokens: list[tuple[int, int, str]]) -> str:
        words: list[str] = []
        skipping = True
        for i in range(bisect_left(self.token_starts, c.start) - 1, -1, -1):
            word = tokens[i][2]
            low = word.lower()
            if skipping and (low in _LABEL_SKIP or any(ch.isdigit() for ch in word)
                             or self.lex.generic.search(fold(low)) or low in (",", ":")):
                continue
            skipping = False
            if (word in _PUNCT or any(ch.isdigit() for ch in word) or word in ("-", "+", "•")
                    or (low in _SUBJECT_STOP and low != "và")):
                break
            words.append(word)
            if len(words) >= _MAX_SUBJECT_TOKENS:
                break
        return " ".join(_trim(list(reversed(words))))


def _year_word_before(text: str, start: int) -> bool:
    """"năm" then only spaces before `start` (the prefix's end is what a `năm\\s*$` search of
    the whole lower-cased prefix reads; a short window keeps it linear)."""
    j = start
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return text[max(0, j - 12):j].lower().endswith("năm")


def _no_noun(unit: str) -> bool:
    """Measures printed without a counted noun: %, a/b, a currency ("VND", "USD")."""
    return unit in ("%", "ratio") or unit.isupper()


def _stops(word: str) -> bool:
    """Whether a subject phrase ends before `word`: punctuation, a number, a linking word."""
    return (word in _PUNCT or word.lower() in _SUBJECT_STOP
            or any(ch.isdigit() for ch in word) or all(ch in _PUNCT for ch in word))


def _trim(words: list[str]) -> list[str]:
    while words and words[0].lower() in _SUBJECT_TRIM:
        words = words[1:]
    while words and words[-1].lower() in _SUBJECT_TRIM:
        words = words[:-1]
    return words


# A number in a shape no convention gives ("1.23.456", "12,345,67", "3..5") before a counted
# noun or "%".
_ODD_NUMBER = re.compile(r"(?<![\w.,/])\d[\d.,]*[.,]\d[\d.,]*(?![\w/])")


def unreadable_numbers(text: str, excluded: Iterable[Span] = ()) -> list[tuple[int, str]]:
    """(offset, surface) of quantities whose number cannot be read ("1.23.456 người"): they
    are reported, never turned into a wrong value."""
    lex = lexicon()
    folded = fold(text)
    spans = sorted([(d.start, d.end) for d in find_dates(text)] + list(excluded))
    # Overlap by bisection: the spans starting before a number's end, and the furthest any of
    # them reaches (a scan of every span per number was quadratic on a long text).
    starts = [s for s, _e in spans]
    reach = list(accumulate((e for _s, e in spans), max))
    out = []
    for m in _ODD_NUMBER.finditer(text):
        if parse_number(m.group().rstrip(".,")) is not None:
            continue  # a number
        i = bisect_left(starts, m.end())
        if i and reach[i - 1] > m.start():
            continue  # "42." at a sentence end
        noun = lex.noun_at(folded, m.end())
        pct = _PCT_AFTER.match(text, m.end())
        if noun is not None or pct:
            end = noun[1] if noun is not None else pct.end()  # type: ignore[union-attr]
            out.append((m.start(), text[m.start():end]))
    return out


def plan_document(doc: Document, meta: Meta) -> bool:
    """Whether the title says the document is a plan ("Nghị quyết về dự toán ngân sách năm
    2006", "Quyết định phê duyệt quy hoạch ... đến năm 2020"), not a report of results."""
    title = getattr(meta, "title", None) or next((b.text for b in doc.blocks if b.text), "")
    folded = fold(title[:300])
    lex = lexicon()
    return bool(lex.plan_titles.search(folded)) and not (lex.report_titles.search(folded)
                                                         or lex.norm_titles.search(folded))


def document_indicators(
    doc: Document,
    meta: Meta,
    sections: Sequence[dict[str, Any]] = (),
    references: Sequence[Reference] = (),
    split: Callable[[dict[str, Any]], Callable[..., list[Indicator]]] | None = None,
) -> list[Indicator]:
    """Every indicator of a document: the body, then each table (see the module doc).

    `meta` gives the default periods (its term and reviewed_term); `sections` (the contract's
    section records) give each mention's section and mark targets; `references` keep document
    numbers out; `split` as for `extract_indicators` (the body only)."""
    from pipeline.extract.indicator_tables import table_indicators

    spans = [(s["start"], s["end"], s["label"]) for s in sections if s.get("label")]
    ctx = Context(term=meta.term, reviewed_term=meta.reviewed_term, year=meta.year,
                  sections=spans, where="body", plan_document=plan_document(doc, meta),
                  doc_type=meta.doc_type)
    text = doc.text
    refs = [(r.start, r.end) for r in references if r.where == "body"]
    found = extract_indicators(text, ctx, excluded=refs, split=split)
    for start, surface in getattr(split, "unreadable_numbers", unreadable_numbers)(text, refs):
        doc.warnings.append(f"indicator kept as text, its number cannot be read: {surface!r} "
                            f"at {start}")
    offsets = doc.block_offsets()
    for index, table in enumerate(doc.tables):
        pos = 0
        hint = None
        if table.after_block is not None and 0 <= table.after_block < len(offsets):
            pos = offsets[table.after_block][1]
            hint = doc.blocks[table.after_block].text
        found.extend(table_indicators(table, index, ctx, ctx.section_at(max(pos - 1, 0)), hint))
    return found
