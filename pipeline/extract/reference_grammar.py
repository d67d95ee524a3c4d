"""The reference grammar (`data/reference_grammar.yaml`) compiled into regular expressions.

One combined pattern (`Grammar.scanner`) finds every candidate in a single pass over the text;
its named groups say which form matched. Small anchored patterns then read what surrounds a
candidate (the type word before it, date, body, term and title after it). Nothing here walks the
text character by character: that is what keeps extraction fast on raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.data import load_yaml

# Whitespace inside a document number: PDF text breaks a line after "101-" and OCR inserts
# spaces ("181/2026/NĐ- CP"); a few characters of it, line breaks included.
GAP = r"\s{0,6}"
# Whitespace between words, line breaks included (raw PDF text puts blank lines between lines).
WS = r"\s{1,8}"
DASH = r"[-–—‐]"
ROMAN = r"(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"


def _alternation(spellings: list[str]) -> str:
    """Spellings, longest first, with any whitespace inside one matching any whitespace."""
    parts = sorted(set(spellings), key=len, reverse=True)
    return "|".join(WS.join(re.escape(w) for w in s.split()) for s in parts)


def fold(code: str) -> str:
    """The key under which a written code is looked up (case and spacing do not matter)."""
    return re.sub(r"\s+", "", code).casefold()


@dataclass(frozen=True)
class Grammar:
    scanner: re.Pattern[str]
    type_before: re.Pattern[str]
    date_before: re.Pattern[str]
    body: re.Pattern[str]
    generic_body: re.Pattern[str]
    plenum_tail: re.Pattern[str]
    term_tail: re.Pattern[str]
    of_word: re.Pattern[str]
    title: re.Pattern[str]
    quoted_title: re.Pattern[str]
    central_body_after: re.Pattern[str]
    type_codes: dict[str, str]  # folded spelling -> code
    party_issuers: dict[str, str]
    state_issuers: dict[str, str]
    names: dict[str, str]  # folded name -> canonical name ("nghị quyết" -> "Nghị quyết")
    name_to_code: dict[str, str]  # canonical name -> type code
    code_names: dict[str, str | None]  # code -> its name when the code alone decides it
    short_form_names: frozenset[str]
    bodies: dict[str, str]  # folded spelling -> canonical body
    iso_iec: frozenset[int]
    ordinals: dict[str, int]


@cache
def grammar() -> Grammar:
    """The compiled grammar (built once per process)."""
    return build(load_yaml("reference_grammar.yaml"))


def build(data: dict[str, Any]) -> Grammar:
    types: dict[str, dict[str, list[str]]] = data["types"]
    type_codes = {fold(s): code for code, t in types.items() for s in t["codes"]}
    party_issuers = {fold(s): code for code, ss in data["party_issuers"].items() for s in ss}
    state_issuers = {fold(s): code for code, ss in data["state_issuers"].items() for s in ss}
    names: dict[str, str] = {}
    name_to_code: dict[str, str] = {}
    for code, t in types.items():
        for name in t["names"]:
            names[fold(name)] = name
            name_to_code.setdefault(name, code)
    name_to_code["Quy định"] = "QĐ"
    generic = list(data["generic_names"])
    for name in generic:
        names[fold(name)] = name
    code_names: dict[str, str | None] = {
        code: (None if code in data["ambiguous_codes"] else t["names"][0])
        for code, t in types.items()
    }

    def codes_of(keys: list[str]) -> list[str]:
        return [s for k in keys for s in types[k]["codes"]]

    party_type = _alternation(codes_of(data["party_types"]))
    state_type = _alternation(codes_of(data["state_types"]))
    party_iss = _alternation([s for ss in data["party_issuers"].values() for s in ss])
    state_iss_known = _alternation([s for ss in data["state_issuers"].values() for s in ss])
    # An issuer code not in the list, as printed: capitals, maybe with a unit ("BTTTT-CVT").
    state_iss_any = r"[A-ZĐ][A-Za-zĐđ&]{1,11}(?:-[A-ZĐ][A-Za-zĐđ&]{1,11}){0,2}"
    legislature = _alternation(data["legislature_codes"])
    national_std = _alternation(data["standards"]["national"])
    all_names = [n for t in types.values() for n in t["names"]] + generic
    type_word = _alternation(all_names)
    short_word = _alternation(data["short_form_names"])
    plenum = data["plenum"]
    central = f"(?i:{_alternation(plenum['central'])})"
    ordinal_words = "|".join(sorted(plenum["ordinals"], key=len, reverse=True))
    # After "lần thứ" a plenum number may be a word ("lần thứ tư"); right after "Trung ương" only
    # digits count ("nghị quyết của Trung ương năm 2024" names no plenum).
    plenum_no = rf"(?:\d{{1,2}}|(?i:{ordinal_words}))(?![\w])"
    plenum_nos = rf"{plenum_no}(?:\s*(?:,|và|&)\s*{plenum_no})*"
    plenum_digit = r"\d{1,2}(?![\w])"
    plenum_digits = rf"{plenum_digit}(?:\s*(?:,|và|&)\s*{plenum_digit})*"
    lan_thu = rf"(?:(?i:lần\s{{1,8}}thứ){WS})"
    terms = rf"{ROMAN}(?![\w])(?:\s*(?:,|và|-|–)\s*{ROMAN}(?![\w]))*"
    term_phrase = rf"\(?\s*(?i:khóa|khoá)\s+(?P<terms>{terms})(?:\s*\))?"
    local_after = _alternation(plenum["local_congress_after"])
    nq = r"(?i:nghị\s{1,8}quyết)"

    # One pattern, one pass, four branches told apart by their first character: a link, a
    # number, a standard, a type word. Python's regex engine tries every top-level branch at
    # every position, so forms that start alike share one branch (this keeps the scan fast).
    # The digit is consumed before the look-behind so most positions fail on the first test.
    # First letters of the type words (both cases): a cheap test before the word branch.
    word_initials = "".join(sorted({c for n in data["short_form_names"] + ["Nghị quyết"]
                                    for c in (n[0].lower(), n[0].upper())}))
    num = r"(?P<num>\d(?<![\w/.,\-–]\d)\d{0,4})"
    # A known code followed by another ("NQLT-CP-UBTWMTTQVN") is part of a joint issuer.
    state_iss = rf"(?:(?i:{state_iss_known})(?![\w]|-[A-ZĐ])|{state_iss_any})"
    scanner = re.compile(
        "|".join(
            [
                r"(?P<url>(?i:https?://|www\.)\S+)",
                rf"{num}(?:"
                # 57-NQ/TW, 57 - NQ/TW, 57–NQ/TƯ, 101-<line break>QĐ/TW, 57-NQ/ TW
                rf"{GAP}{DASH}{GAP}(?P<p_type>(?i:{party_type})){GAP}/{GAP}"
                rf"(?P<p_iss>(?i:{party_iss}))(?![\w])"
                rf"|{GAP}/{GAP}(?:"
                # 02/2023/QĐ-UBND, 30/2011/TT-BTTTT, 181/2026/NĐ- CP; 24/2018/QH14
                rf"(?P<year>(?:19|20)\d\d){GAP}/{GAP}(?:"
                rf"(?P<n_type>(?i:{state_type})){GAP}{DASH}{GAP}(?P<n_iss>{state_iss})"
                rf"|(?P<l_iss>(?i:{legislature})){GAP}(?P<l_leg>\d{{1,2}})(?!\d))"
                # 57/NQ-TW or 57/NQ/TW: a party document written in the state pattern
                rf"|(?P<m_type>(?i:{party_type})){GAP}[-–/]{GAP}(?P<m_iss>(?i:{party_iss}))"
                rf"(?![\w\-/])"
                # 2590/QĐ-UBND, 924/QĐ-TTg, 56/QĐ-CVT
                rf"|(?P<s_type>(?i:{state_type})){GAP}{DASH}{GAP}(?P<s_iss>{state_iss})"
                # 1234/UBND-KT, 2345/BTTTT-CVT: an official letter (công văn), issuer and unit
                rf"|(?P<c_iss>(?i:{state_iss_known})){DASH}(?P<c_unit>[A-ZĐ][A-Za-zĐđ]{{1,9}})"
                rf"(?![\w\-/])))",
                # QCVN 8:2022/BTTTT, TCVN 7189:2009, QCVN 47; ISO 9001:2015, ISO/IEC 17065
                rf"(?:(?P<q_pre>{national_std})(?<![\w]....){GAP}(?P<q_num>\d{{1,5}}(?:-\d{{1,3}})*)"
                rf"(?:{GAP}:{GAP}(?P<q_year>(?:19|20)\d\d))?"
                rf"(?:{GAP}/{GAP}(?P<q_iss>[A-ZĐ][A-Za-zĐđ&]{{1,11}}))?(?![\w])"
                rf"|(?P<i_pre>ISO(?<![\w]...)(?:{GAP}[/ ]{GAP}IEC)?){GAP}"
                rf"(?P<i_num>\d{{3,5}}(?:-\d{{1,3}})*)(?:{GAP}:{GAP}(?P<i_year>(?:19|20)\d\d))?"
                r"(?![\w]))",
                rf"(?=[{word_initials}])(?<![\w])(?:"
                # Nghị quyết Đại hội XIII, Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII
                rf"(?P<congress>{nq}{WS}(?i:đại\s{{1,8}}hội){WS}"
                rf"(?:(?i:đại\s{{1,8}}biểu){WS})?(?:(?i:Đảng){WS})?"
                rf"(?:(?i:toàn\s{{1,8}}quốc){WS})?(?:(?i:lần\s{{1,8}}thứ){WS})?"
                rf"(?P<c_term>{ROMAN})(?![\w])"
                rf"(?!\s*,?\s*(?:(?i:của)\s+)?(?:{local_after})(?![\w])))"
                # Nghị quyết Trung ương 4 khóa XII; Nghị quyết Hội nghị lần thứ 4 Ban Chấp hành
                # Trung ương Đảng (khóa XII); các nghị quyết Hội nghị Trung ương 3, 4 khóa XIII
                rf"|(?P<plenum>{nq}{WS}(?:(?i:của){WS})?(?:(?i:các){WS})?"
                rf"(?:(?i:hội\s{{1,8}}nghị){WS})?"
                rf"(?:{central}(?:(?:{WS})?(?P<pl_no1>{plenum_digits})|{WS}{lan_thu}+(?P<pl_no3>{plenum_nos}))"
                rf"|{lan_thu}+(?P<pl_no2>{plenum_nos})"
                rf"(?:{WS}(?:(?i:của){WS})?(?:{central}))?)"
                rf"(?:[\s,]*{term_phrase})?)"
                # Nghị quyết số 57, Chỉ thị 05, Thông tư 30: a short form (resolved later).
                rf"|(?P<short>(?P<sh_word>(?i:{short_word})){WS}(?:(?i:số){WS})?"
                rf"(?P<sh_num>\d{{1,4}})(?![\w%]|\s*(?:[-–/%:]|[.,]\d))))",
            ]
        )
    )
    # Hand-written case-insensitivity of the pieces above keeps capitals significant where they
    # matter (an unknown issuer code must be in capitals); the words below are matched in any
    # case ("NGHỊ QUYẾT SỐ 57-NQ/TW" in a title).
    type_before = re.compile(
        rf"(?<![\w])(?P<word>{type_word})(?:{WS}(?:số|so|No\.?))?\s*[:.]?\s*\Z", re.I
    )
    body_alt = _alternation([s for ss in data["bodies"].values() for s in ss])
    bodies = {fold(s): canon for canon, ss in data["bodies"].items() for s in ss}
    body = re.compile(rf"(?P<body>{body_alt})(?![\w])", re.I)
    heads = _alternation(data["body_heads"])
    stops = _alternation(data["body_stop_words"])
    word = r"[^\W\d_][\w&]*|\d+"
    generic_body = re.compile(
        rf"(?P<body>(?:{heads})(?![\w])(?:{WS}(?!(?:{stops})(?![\w]))(?:{word}))"
        rf"{{0,{int(data['body_max_words']) - 1}}})"
    )
    date_before = re.compile(
        rf"(?i:ngày)\s+(?P<date>[\d/.\-\s]{{6,14}}|\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+\d{{4}})"
        rf"\s*,\s*(?P<body>{body_alt}){WS}(?:(?:đã|vừa){WS})?(?:ký{WS})?ban{WS}hành{WS}\Z",
        re.I,
    )
    plenum_tail = re.compile(
        rf"(?i:hội\s{{1,8}}nghị){WS}(?:{lan_thu}+{plenum_nos}"
        rf"(?:{WS}(?:(?i:của){WS})?(?P<central>{central}))?"
        rf"|(?P<central2>{central})(?:(?:{WS})?{plenum_digits}|{WS}{lan_thu}+{plenum_nos}))"
    )
    term_tail = re.compile(term_phrase)
    of_word = re.compile(r"(?i:của)\s{1,8}")
    title = re.compile(r"(?P<title>(?i:về)\s[^;.!?()\[\]“”\"]{3,240})")
    quoted_title = re.compile(r"[“\"]\s*(?P<title>(?i:về)\s[^”\"]{3,400})[”\"]")
    central_bodies = _alternation(["Bộ Chính trị", "Ban Bí thư"] + plenum["central"])
    central_body_after = re.compile(
        rf"[\s,]*(?:(?i:của){WS}(?i:{central_bodies})(?![\w])"
        rf"|(?i:hội\s{{1,8}}nghị){WS}(?:{central}(?:(?:{WS})?{plenum_digit}|{WS}{lan_thu}+{plenum_no})"
        rf"|{lan_thu}+{plenum_no}))"
    )
    return Grammar(
        scanner=scanner,
        type_before=type_before,
        date_before=date_before,
        body=body,
        generic_body=generic_body,
        plenum_tail=plenum_tail,
        term_tail=term_tail,
        of_word=of_word,
        title=title,
        quoted_title=quoted_title,
        central_body_after=central_body_after,
        type_codes=type_codes,
        party_issuers=party_issuers,
        state_issuers=state_issuers,
        names=names,
        name_to_code=name_to_code,
        code_names=code_names,
        short_form_names=frozenset(data["short_form_names"]),
        bodies=bodies,
        iso_iec=frozenset(int(n) for n in data["standards"]["iso_iec_numbers"]),
        ordinals={fold(k): int(v) for k, v in plenum["ordinals"].items()},
    )
