"""The indicator lexicon (`data/indicator_lexicon.yaml`) compiled: noun classes, cue words and
canonical keys. Every pattern runs over folded text (see `numbers.fold`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.data import load_yaml

# How far (characters) a key's cue may be from the number it names.
KEY_REACH = 70
AFTER_BONUS = 6


@dataclass(frozen=True)
class KeyRule:
    key: str
    label_vi: str
    label_en: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    lower_is_better: bool = False
    before_only: bool = False
    org_variant: str | None = None
    # What the number itself must count for the key to apply (its noun, or the subject of a
    # percentage), folded: "dang vien" for members_total; None: any subject.
    subject: re.Pattern[str] | None = None
    # Whether the key may name a part listed after a total ("78.047 đảng viên (trong đó có
    # 29.373 đảng viên nữ)": members_female is a part; "621 chi bộ" after "944 tổ chức cơ sở
    # đảng, trong đó có" is not party_cells_total).
    part_ok: bool = False
    # What the subject may NOT say (folded): "765 chi bộ, đảng bộ cơ sở tổ chức xong đại hội"
    # counts the cells that did something, not all of them.
    subject_not: re.Pattern[str] | None = None


# One word after a number: one space (a line break ends the phrase), then letters only.
_WORD_AFTER = re.compile(r"[ \u00a0]([^\W\d_]+)(?![\w-])")
_ORG_NOUN = re.compile(r"(?:to chuc(?: co so)?(?: dang)?|chi bo|dang bo)\b")
_MEMBER_NOUN = re.compile(r"dang vien\b")
# The number of a heading ("I.", "2.", "a)", "2.1."), folded.
_HEADING_NO = r"(?:(?:[ivxlc]+|\d{1,2}(?:\.\d{1,2})*|[a-z])(?:[.)]|[ \t]*[-–/])[ \t]*)?"


@dataclass(frozen=True)
class Lexicon:
    classes: tuple[tuple[str, re.Pattern[str]], ...]  # (unit, pattern of its nouns)
    generic: re.Pattern[str]
    not_after: re.Pattern[str]
    name_before: re.Pattern[str]
    not_noun: re.Pattern[str]
    target_cues: re.Pattern[str]
    keys: tuple[KeyRule, ...]
    condition_before: re.Pattern[str]
    condition_caps: re.Pattern[str]
    condition_after: re.Pattern[str]
    condition_category: re.Pattern[str]
    opinions: re.Pattern[str]
    result_cues: re.Pattern[str]
    plan_titles: re.Pattern[str]
    report_titles: re.Pattern[str]
    norm_titles: re.Pattern[str]
    forecast_cues: re.Pattern[str]
    index_words: re.Pattern[str]
    # (unit, pattern) of nouns matched with tone marks, case-insensitively ("quân", not "quận")
    marked_classes: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # First words after a number that are no counted noun (`not_counted`, `not_noun`,
    # `not_after`), for the words the noun classes do not know (`unknown_noun_at`).
    not_counted: re.Pattern[str] = re.compile(r"(?!)")
    # `obligations` of the lexicon, on lower-cased text (see `obligation`).
    must: re.Pattern[str] = re.compile(r"(?!)")
    should: re.Pattern[str] = re.compile(r"(?!)")
    therefore: re.Pattern[str] = re.compile(r"(?!)")
    bound: re.Pattern[str] = re.compile(r"(?!)")
    # `continued_targets` of the lexicon, on lower-cased text.
    continued_markers: re.Pattern[str] = re.compile(r"(?!)")
    quoted_source: re.Pattern[str] = re.compile(r"(?!)")
    document_before: re.Pattern[str] = re.compile(r"(?!)")
    # A cited document up to the start of its title (`cited_title_kinds`).
    cited_title: re.Pattern[str] = re.compile(r"(?!)")
    # (keys, before, near, unless) of `key_not_when`.
    key_not_when: tuple[tuple[frozenset[str], re.Pattern[str] | None, re.Pattern[str] | None,
                              re.Pattern[str] | None], ...] = ()
    continued_past: re.Pattern[str] = re.compile(r"(?!)")
    # `key_instead_when`: as `key_not_when`, but the next nearest key may then apply.
    key_instead_when: tuple[tuple[frozenset[str], re.Pattern[str] | None,
                                  re.Pattern[str] | None, re.Pattern[str] | None], ...] = ()
    # `plan_headings` of the lexicon (folded): a line that heads a list of targets, a heading
    # of results, the heading of a group of the list.
    plan_heading: re.Pattern[str] = re.compile(r"(?!)")
    # `conditions.each_minimum`: a minimum set for each of many, on lower-cased text.
    each_minimum: re.Pattern[str] = re.compile(r"(?!)")
    # `conditions.sentence`: a threshold anywhere in the sentence before the number.
    condition_sentence: re.Pattern[str] = re.compile(r"(?!)")
    plan_heading_not: re.Pattern[str] = re.compile(r"(?!)")
    plan_heading_group: re.Pattern[str] = re.compile(r"(?!)")
    # `date_before`: words before a day/month printed as "8/10" (lower-cased text).
    date_before: re.Pattern[str] = re.compile(r"(?!)")
    # `bare_name_before`: words before a number with no noun that make it a name ("khối 6").
    bare_name_before: re.Pattern[str] = re.compile(r"(?!)")

    def noun_at(self, folded: str, pos: int) -> tuple[str, int] | None:
        """The counted noun starting at `pos` (after spaces): (its unit, its end); the longest
        of all classes wins ("truong hop" is a count, not "truong", a school)."""
        best: tuple[str, int] | None = None
        for unit, pattern in self.classes:
            m = pattern.match(folded, pos)
            if m and (best is None or m.end() > best[1]):
                best = (unit, m.end())
        return best

    def marked_noun_at(self, text: str, pos: int) -> tuple[str, int] | None:
        """A noun of `marked_nouns` starting at `pos` of the unfolded text."""
        for unit, pattern in self.marked_classes:
            m = pattern.match(text, pos)
            if m:
                return unit, m.end()
        return None

    def unknown_noun_at(self, text: str, folded: str, pos: int) -> tuple[str, int] | None:
        """("count", end of the word) when one space and a lower-case word the noun classes do
        not know follow `pos` ("8 chữ", "1300 từ", "20 con bò"): the thing counted is named,
        only not listed. None for a verb, a function word or a measure that is no indicator
        (`not_counted`), and for a capitalised word (a name goes on: "Quận 1 Thành phố")."""
        m = _WORD_AFTER.match(text, pos)
        if m is None or not m.group(1)[0].islower() or self.not_counted.match(folded, m.start(1)):
            return None
        return "count", m.end(1)

    def obligation(self, before: str) -> bool:
        """Whether the lower-cased sentence text `before` a number makes it what must or should
        be reached ("phải đơn giản hoá tối thiểu 30%", "chỉ nên dưới 10%")."""
        musts = list(self.must.finditer(before))
        # Within the clause: "phải đơn giản hoá tối thiểu 30% ..., đồng thời cắt giảm 30%".
        if musts and len(before) - musts[-1].end() <= 150 and ";" not in before[
                musts[-1].end():] and self.bound.search(before, musts[-1].end()):
            return True
        for m in self.should.finditer(before):
            # "Do thời tiết thuận lợi nên sản lượng đạt ...", "..., nên": therefore, not should.
            if (len(before) - m.end() > 60 or len(before) - m.end() > 15
                    and not self.bound.search(before, m.end())
                    or self.therefore.search(before, 0, m.start())):
                continue
            return True
        return False

    def rule(self, key: str) -> KeyRule | None:
        for r in self.keys:
            if r.key == key:
                return r
        return None

    def key_for(self, context: str, unit: str, subject: str | None = None,
                part: bool = False, after: str | None = None,
                exclude: frozenset[str] = frozenset()) -> str | None:
        """The key whose pattern matches `context` closest to "#" (the number), if any, among
        the rules whose `subject` matches what the number counts (`subject`, folded) and, for
        a part of a listed total, the rules allowed for parts."""
        hash_pos = context.find("#")
        best: tuple[int, int, str] | None = None
        for order, rule in enumerate(self.keys):
            if unit not in rule.units or part and not rule.part_ok or rule.key in exclude:
                continue
            if rule.subject is not None and subject is not None and not rule.subject.search(
                    subject):
                continue
            said = f"{subject or ''} {after or ''}"  # what it counts and the rest of its clause
            if rule.subject_not is not None and rule.subject_not.search(said):
                continue
            for pattern in rule.patterns:
                for m in pattern.finditer(context):
                    if m.start() <= hash_pos < m.end():
                        distance = 0
                    elif m.end() <= hash_pos:
                        distance = hash_pos - m.end()
                    elif rule.before_only:
                        continue
                    else:
                        # The words after a number are usually its subject ("99% đảng viên
                        # hoàn thành tốt"): a cue there beats an equally near one before it.
                        distance = max(0, m.start() - hash_pos - 1 - AFTER_BONUS)
                    if distance > KEY_REACH:
                        continue
                    if best is None or (distance, order) < best[:2]:
                        best = (distance, order, rule.key)
        if best is None:
            return None
        rule = self.keys[best[1]]
        if rule.org_variant and _about_organisations(context, hash_pos):
            return rule.org_variant
        return rule.key


def _about_organisations(context: str, hash_pos: int) -> bool:
    """Whether the nearest party noun around "#" names organisations rather than members:
    the words right after the number first, else the last noun before it."""
    after = context[hash_pos + 1:hash_pos + 40]
    m_after = [m.start() for m in (_ORG_NOUN.search(after), _MEMBER_NOUN.search(after)) if m]
    if m_after:
        first = min(m_after)
        org = _ORG_NOUN.search(after)
        return org is not None and org.start() == first
    before = context[:hash_pos]
    last_org = max((m.end() for m in _ORG_NOUN.finditer(before)), default=-1)
    last_member = max((m.end() for m in _MEMBER_NOUN.finditer(before)), default=-1)
    return last_org > last_member


def _alternation(words: list[str]) -> str:
    # Longest first, so "dang vien moi" wins over "dang vien".
    return "|".join(sorted(words, key=len, reverse=True))


def _whole_words(words: list[str]) -> re.Pattern[str]:
    """Any of `words`, not inside a longer word."""
    return re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)")


@cache
def lexicon() -> Lexicon:
    data = load_yaml("indicator_lexicon.yaml")
    keys = tuple(
        KeyRule(
            key=k["key"],
            label_vi=k["label"]["vi"],
            label_en=k["label"]["en"],
            units=frozenset(k["units"]),
            patterns=tuple(re.compile(p) for p in k["patterns"]),
            lower_is_better=bool(k.get("lower_is_better", False)),
            before_only=bool(k.get("before_only", False)),
            org_variant=k.get("org_variant"),
            subject=re.compile(k["subject"]) if k.get("subject") else None,
            part_ok=bool(k.get("part_ok", False)),
            subject_not=re.compile(k["subject_not"]) if k.get("subject_not") else None,
        )
        for k in data["keys"]
    )
    return Lexicon(
        # A noun must end at a word boundary: "dot" is not the start of "dot pha".
        classes=tuple((cls, re.compile(rf"\s*(?:{_alternation(words)})(?!\w)"))
                      for cls, words in data["nouns"].items()),
        generic=re.compile(rf"(?:{_alternation(data['generic'])})$"),
        not_after=re.compile(rf"\s*(?:{_alternation(data['not_after'])})(?!\w)"),
        name_before=re.compile(rf"(?:^|\W)(?:{_alternation(data['name_before'])})[\s\-–]*$",
                               re.IGNORECASE),
        not_noun=re.compile(rf"\s*(?:{_alternation(data['not_noun'])})(?!\w)"),
        target_cues=re.compile("|".join(f"(?:{p})" for p in data["target_cues"])),
        keys=keys,
        condition_before=re.compile(
            rf"(?:^|[^\w])(?:{_alternation(data['conditions']['before'])})"
            r"(?:\s+(?:là|từ|có))?(?:\s+(?:trên|dưới|hơn|đến))?\s*$"),
        condition_caps=re.compile(
            rf"(?:^|[^\w])(?:{_alternation(data['conditions']['caps'])})"
            r"(?:\s+(?:là|từ|có))?\s*:?\s*$"),
        # The counted noun's qualifiers, or a bracket, may sit between ("từ 30 lao động (có
        # hộ khẩu thường trú) trở lên", "300 lao động trở lên").
        condition_category=re.compile(
            rf"(?:^|[^\w])(?:{_alternation(data['conditions']['category'])})"
            r"(?:\s+(?:trên|dưới|hơn|từ|đến))?\s*$"),
        condition_after=re.compile(
            r"(?:\s*\([^)]{0,80}\))?(?:\s+[^\s\d,;.()]+){0,2}?\s*"
            rf"(?:{_alternation(data['conditions']['after'])})(?!\w)"),
        opinions=_whole_words(data['opinions']),
        result_cues=_whole_words(data['result_cues']),
        plan_titles=_whole_words(data['plan_titles']),
        report_titles=_whole_words(data['report_titles']),
        norm_titles=_whole_words(data['norm_titles']),
        forecast_cues=_whole_words(data['forecast_cues']),
        index_words=_whole_words(data['index_words']),
        marked_classes=tuple((cls, re.compile(rf"\s*(?:{_alternation(words)})(?!\w)",
                                              re.IGNORECASE))
                             for cls, words in data.get("marked_nouns", {}).items()),
        must=_whole_words(data['obligations']['must']),
        should=_whole_words(data['obligations']['should']),
        # "therefore" words anywhere before "nên" in its sentence, or a comma right before it.
        therefore=re.compile(
            rf"(?:(?<!\w)(?:{_alternation(data['obligations']['therefore'])})(?!\w)|,)\s*$"
            rf"|(?<!\w)(?:do|vì|nhờ|bởi)(?!\w)"),
        bound=re.compile(rf"(?<!\w)(?:{_alternation(data['obligations']['bounds'])})"
                         r"(?:\s+(?:mức|khoảng|là|trên|dưới|từ))?\s*$"),
        key_not_when=tuple(
            (frozenset(r["keys"]), *(re.compile(r[f]) if r.get(f) else None
                                     for f in ("before", "near", "unless")))
            for r in data.get("key_not_when", [])),
        key_instead_when=tuple(
            (frozenset(r["keys"]), *(re.compile(r[f]) if r.get(f) else None
                                     for f in ("before", "near", "unless")))
            for r in data.get("key_instead_when", [])),
        document_before=re.compile(
            rf"(?<!\w)(?:{_alternation(data['document_words'])})(?:\s+số)?\s*$"),
        # "Quyết định số 10/2020/QĐ-UBND ngày 05/3/2020 của UBND tỉnh về việc ...".
        cited_title=re.compile(
            rf"(?i:{_alternation(data['cited_title_kinds'])})\s+(?:(?i:liên tịch)\s+)?"
            r"(?:(?i:số)\s*:?\s*)?\d+[\w./-]*\d*[\w./-]*(?:\s*,?\s*(?i:ngày)\s+[\d/.-]+"
            r"(?:\s+(?i:tháng)\s+\d+\s+(?i:năm)\s+\d+)?)?"
            r"(?:\s*(?i:của)\s+[^,;:]{0,80}?)?\s+(?i:về)\s+(?:(?i:việc)\s+)?"),
        quoted_source=_whole_words(data['quoted_target_sources']),
        continued_markers=re.compile(
            rf"(?:{_alternation(data['continued_targets']['markers'])})(?!\w)"),
        continued_past=_whole_words(data['continued_targets']['past']),
        each_minimum=re.compile(data["conditions"].get("each_minimum", r"(?!)")),
        condition_sentence=re.compile("|".join(
            f"(?:{p})" for p in data["conditions"].get("sentence", [])) or r"(?!)"),
        plan_heading=re.compile(
            rf"[ \t]*{_HEADING_NO}(?:{_alternation(data['plan_headings']['lead'])})(?!\w)"),
        plan_heading_not=_whole_words(data['plan_headings']['not']),
        # ("trong hai ngày 19 và 20/5": the first day of a pair between)
        bare_name_before=re.compile(
            rf"(?<!\w)(?:{_alternation(data.get('bare_name_before', []))})\s+$"),
        date_before=re.compile(rf"(?<!\w)(?:{_alternation(data.get('date_before', []))})\s+"
                               r"(?:\d{1,2}\s*(?:và|,|-|–)\s*)?$"),
        plan_heading_group=re.compile(
            rf"[ \t]*{_HEADING_NO}(?:{_alternation(data['plan_headings']['groups'])})"),
        not_counted=re.compile(
            rf"(?:{_alternation(data['not_counted'] + data['not_noun'] + data['not_after'])})"
            r"(?!\w)"),
    )
