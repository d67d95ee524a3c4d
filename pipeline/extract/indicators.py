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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.dates import find_dates
from pipeline.extract.indicator_lexicon import Lexicon, lexicon
from pipeline.extract.numbers import NUMBER, fold, match_money, parse_number
from pipeline.model import Document, Indicator, Meta, Reference
from pipeline.nlp.tokens import paragraphs

__all__ = ["Context", "extract_indicators", "document_indicators", "excluded_spans"]

Span = tuple[int, int]

_CANDIDATE = re.compile(
    rf"(?P<a>{NUMBER})"
    # A range: "3-4", "từ 80 đến 100", "8% đến 8,5%" (the first "%" may be printed or not).
    rf"(?:(?:\s*%)?\s*(?P<dash>[-–]|đến|tới)\s*(?P<b>{NUMBER}))?"
    rf"(?:\s*(?P<pct>%)|\s*/\s*(?P<den>(?!(?:19|20)\d\d(?!\d)){NUMBER})(?![\d/]))?"
)
_TERM = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_URL = re.compile(r"\S*(?:https?://|www\.)\S*")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}h\d{2}\b")
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)(?:[ .]?\d){8,10}(?![\d.,])")
_SECTION_NO = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)](?:\s|$)")
_LIST_NO = re.compile(r"\(\d{1,2}\)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_CLAUSE_END = re.compile(r"[;.!?](?:\s|$)|\n")
_PERIOD = re.compile(
    r"(?:nhiem ky|giai doan|thoi ky)\s*(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)"
    r"|(?P<a2>(?:19|20)\d\d)\s*[-–]\s*(?P<b2>(?:19|20)\d\d)"
    r"|\bnam\s*(?P<y>(?:19|20)\d\d)(?![\d/])"
)
_PAREN_TARGET = re.compile(r"\(\s*(?:nghi quyet|chi tieu|ke hoach)\s*$")
_PER = re.compile(r"/\s*$")
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

    def section_at(self, pos: int) -> str | None:
        label = None
        for start, end, name in self.sections:
            if start <= pos < end and name:
                label = name  # sections are sorted outer first: the innermost wins
        return label


def excluded_spans(text: str, extra: Iterable[Span] = ()) -> list[Span]:
    """Spans of `text` whose digits are not quantities: dates, terms, URLs, times, phones."""
    spans = [(d.start, d.end) for d in find_dates(text)]
    for pattern in (_TERM, _URL, _CLOCK, _PHONE, _LIST_NO):
        spans.extend(m.span() for m in pattern.finditer(text))
    spans.extend(extra)
    return sorted(spans)


def extract_indicators(
    text: str,
    context: Context | None = None,
    excluded: Iterable[Span] = (),
    kind: str | None = None,
    offset: int = 0,
) -> list[Indicator]:
    """Indicator mentions in `text` (a paragraph, a whole body, or a table cell).

    `excluded`: spans (in `text`) holding no indicators, e.g. references. `kind` forces the
    kind (a table column of targets). `offset` is added to the reported offsets and used to
    look sections up, for a text that is a slice of a longer one."""
    ctx = context or Context()
    spans = excluded_spans(text, excluded)
    found: list[Indicator] = []
    folded = fold(text)  # once for the whole text: per paragraph it would be quadratic
    for p_start, p_end in paragraphs(text):
        found.extend(_Paragraph(text, folded, p_start, p_end, ctx, spans, kind, offset).run())
    return found


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
                 excluded: list[Span], kind: str | None, offset: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.folded = folded  # fold(text): same length, so offsets are shared
        self.ctx = ctx
        self.excluded = [(s, e) for s, e in excluded if e > start and s < end]
        self.kind = kind
        self.offset = offset
        self.lex: Lexicon = lexicon()

    def run(self) -> list[Indicator]:
        candidates = self._candidates()
        if not candidates:
            return []
        from pipeline.nlp.tokens import make_doc

        doc = make_doc(self.text[self.start:self.end])
        tokens = [(t.idx + self.start, t.idx + self.start + len(t.text), t.text) for t in doc
                  if not t.is_space]
        found: list[Indicator] = []
        for i, c in enumerate(candidates):
            found.append(self._indicator(c, tokens, candidates[:i], candidates[i + 1:]))
            if found[-1].key is None and i and self._parenthetical_target(c):
                # "30% đảng viên hoàn thành xuất sắc (Nghị quyết 20%, ...)": the resolution's
                # target for the thing just counted.
                found[-1].key = found[-2].key
                found[-1].subject = found[-2].subject
        return found

    def _parenthetical_target(self, c: _Candidate) -> bool:
        return bool(_PAREN_TARGET.search(self.folded, max(self.start, c.start - 30), c.start))

    # -- candidates ----------------------------------------------------------------------------

    def _candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        section_no = _SECTION_NO.match(self.text, self.start)
        floor = section_no.end() if section_no else self.start
        for m in _CANDIDATE.finditer(self.text, floor, self.end):
            cand = self._read(m)
            if cand is not None:
                out.append(cand)
        return out

    def _blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.excluded)

    def _read(self, m: re.Match[str]) -> _Candidate | None:
        start, end = m.start(), m.end()
        if self._blocked(start, end):
            return None
        prev = self.text[start - 1] if start > 0 else " "
        if (prev.isalpha() and not m.group("pct")  # "tỷ lệ100%" is a typo, "Covid19" a name
                or prev in "/-–" and _YEAR.fullmatch(m.group("a"))):
            return None  # "Covid-19" is caught below; "QĐ/2024", "abc123" are not quantities
        before = self.folded[max(self.start, start - 30):start]
        if self.lex.name_before.search(self.text[max(self.start, start - 30):start].lower()):
            return None
        if _YEAR.fullmatch(m.group("a")) and re.search(r"năm\s*$", self.text[:start].lower()):
            return None  # "năm 2017 Hội nghị ...": a year, whatever follows
        if _PER.search(before) and m.group("a") == "1":  # "20 tr đồng/ 1 người/ 1 tháng"
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
            money = match_money(self.text, after)
            if money is None:
                return None  # "4G", "5GHz", "3D": a name, not a quantity
        if m.group("pct"):
            return _Candidate(start, end, end, a, value_max, "%", "%")
        if m.group("den"):
            den = parse_number(m.group("den"))
            if den is None or a > den:
                return None
            noun = self.lex.noun_at(self.folded, end)
            unit_end = noun[1] if noun else end
            unit_text = self.text[end:unit_end].strip() or None
            return _Candidate(start, end, unit_end, a, den, "ratio", unit_text)
        return self._with_unit(start, end, a, value_max, m.group("a"))

    def _read_single(self, m: re.Match[str], a: float, start: int) -> _Candidate | None:
        # A range that is not one ("2024-2025" handled as terms; "12-3"): keep the first number.
        end = m.start() + len(m.group("a"))
        pct = re.match(r"\s*%", self.text[end:])
        if pct:
            return _Candidate(start, end + pct.end(), end + pct.end(), a, None, "%", "%")
        return self._with_unit(start, end, a, None, m.group("a"))

    def _with_unit(self, start: int, end: int, value: float, value_max: float | None,
                   printed: str) -> _Candidate | None:
        money = match_money(self.text, end)
        if money is not None:
            scale, unit_end = money
            top = value_max * scale if value_max is not None else None
            return _Candidate(start, end, unit_end, value * scale, top, "VND",
                              self.text[end:unit_end].strip())
        if self.lex.not_after.match(self.folded, end):
            return None
        noun = self.lex.noun_at(self.folded, end)
        if noun is not None:
            cls, noun_end = noun
            if cls == "times" and self.folded[end:noun_end].strip() == "luot":
                # "2.870 lượt học viên": the people counted, each time they came.
                counted = self.lex.noun_at(self.folded, noun_end)
                if counted is not None and counted[0] in ("person", "organisation"):
                    cls, noun_end = counted
            return _Candidate(start, end, noun_end, value, value_max, cls,
                              self.text[end:noun_end].strip(), cls)
        if _YEAR.fullmatch(printed) or len(printed) == 4 and printed.isdigit():
            return None  # a year, or a code: a year-like number needs a counted noun
        return None

    # -- one indicator --------------------------------------------------------------------------

    def _indicator(self, c: _Candidate, tokens: list[tuple[int, int, str]],
                   earlier: list[_Candidate], later: list[_Candidate]) -> Indicator:
        section = self.ctx.section_at(self.offset + c.start)
        sentence_start = self._sentence_start(c.start)
        before = self.folded[sentence_start:c.start]
        kind = self.kind or self._kind(section, before)
        subject = self._subject(c, tokens)
        key = self.lex.key_for(self._key_context(c, earlier, later), c.unit)
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
            period=self._period(before, section, kind),
            section=section,
            where=self.ctx.where,
        )

    def _sentence_start(self, pos: int) -> int:
        start = self.start
        for m in _SENTENCE_END.finditer(self.text, self.start, pos):
            # "51.276" is not a sentence end: a sentence end is followed by a space.
            start = m.end()
        return start

    def _kind(self, section: str | None, before: str) -> str:
        if section and section.startswith("plan"):
            return "target"
        return "target" if self.lex.target_cues.search(before) else "actual"

    def _period(self, before: str, section: str | None, kind: str) -> str | None:
        period = None
        for m in _PERIOD.finditer(before):
            if m.group("y"):
                period = m.group("y")
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
        clause_start = self.start
        for m in _CLAUSE_END.finditer(self.text, self.start, c.start):
            clause_start = m.end()
        clause_start = max(clause_start, c.start - _WINDOW)
        stop = min(self.end, c.end + _WINDOW)
        end_m = _CLAUSE_END.search(self.text, c.end, stop)
        if end_m:
            stop = end_m.start()
        if later:
            stop = min(stop, later[0].start)
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
        if c.unit not in ("%", "VND", "ratio"):
            after.append(c.unit_text or "")
        for s, _e, word in tokens:
            if s < first:
                continue
            if len(after) >= _MAX_SUBJECT_TOKENS or _stops(word):
                break
            after.append(word)
        if c.unit in ("%", "VND", "ratio") and after and after[0].lower() in ("chỉ", "chỉ tiêu"):
            after = ["chỉ tiêu"] + after[1:]
        after = _trim(after)
        nominal = bool(after) and not self.lex.not_noun.fullmatch(" " + fold(after[0]))
        if nominal and not generic and not (c.unit == "VND" and len(after) == 1):
            return _CUT.sub("", " ".join(after))
        label = self._label_before(c, tokens)
        if label and (not generic or self._names_something(label, c)):
            return label
        raw = [w for s, _e, w in tokens if s >= first][:6]
        cut = next((i for i, w in enumerate(raw) if w in _PUNCT), len(raw))
        return " ".join(raw[:cut]) or " ".join(after)

    def _names_something(self, label: str, c: _Candidate) -> bool:
        """A label before a generic "đồng chí" must say who: a noun of the lexicon ("Số Đảng
        viên nam") or a label ending in ":" ("Lớp Trung cấp: 02 đồng chí"); not a verb ("cử")."""
        if self.text[self.start:c.start].rstrip().endswith(":"):
            return True
        folded = " " + fold(label)
        return any(self.lex.noun_at(folded, m.start()) for m in re.finditer(r" ", folded))

    def _label_before(self, c: _Candidate, tokens: list[tuple[int, int, str]]) -> str:
        words: list[str] = []
        skipping = True
        for s, _e, word in reversed(tokens):
            if s >= c.start:
                continue
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


def document_indicators(
    doc: Document,
    meta: Meta,
    sections: Sequence[dict[str, Any]] = (),
    references: Sequence[Reference] = (),
) -> list[Indicator]:
    """Every indicator of a document: the body, then each table (see the module doc).

    `meta` gives the default periods (its term and reviewed_term); `sections` (the contract's
    section records) give each mention's section and mark targets; `references` keep document
    numbers out."""
    from pipeline.extract.indicator_tables import table_indicators

    spans = [(s["start"], s["end"], s["label"]) for s in sections if s.get("label")]
    ctx = Context(term=meta.term, reviewed_term=meta.reviewed_term, year=meta.year,
                  sections=spans, where="body")
    text = doc.text
    refs = [(r.start, r.end) for r in references if r.where == "body"]
    found = extract_indicators(text, ctx, excluded=refs)
    offsets = doc.block_offsets()
    for index, table in enumerate(doc.tables):
        pos = 0
        hint = None
        if table.after_block is not None and 0 <= table.after_block < len(offsets):
            pos = offsets[table.after_block][1]
            hint = doc.blocks[table.after_block].text
        found.extend(table_indicators(table, index, ctx, ctx.section_at(max(pos - 1, 0)), hint))
    return found
