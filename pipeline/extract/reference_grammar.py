"""The reference grammar (`data/reference_grammar.yaml`) compiled into regular expressions.

One combined pattern (`Grammar.scanner`) defines every candidate; its named groups say which form
matched. It is run as its branches (`Grammar.branches`), each scanned on its own and merged by
`references.scan`, which finds the same matches faster. Small anchored patterns then read what
surrounds a candidate (the type word before it, date, body, term and title after it). Nothing
here walks the text character by character: that is what keeps extraction fast on raw text.
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
# Capital letters of Vietnamese (a name's words start with one).
CAPS = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
# Where a type word starts: after a non-word character, or glued to the word before it when it
# starts with a capital ("tốtNghị quyết 57-NQ/TW", text that lost its spaces).
WORD_START = rf"(?:(?<![\w])|(?-i:(?<=[^\W\d_])(?=[{CAPS}])))"
ROMAN = r"(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"


def _alternation(spellings: list[str]) -> str:
    """Spellings, longest first, with any whitespace inside one matching any whitespace."""
    parts = sorted(set(spellings), key=len, reverse=True)
    return "|".join(WS.join(re.escape(w) for w in s.split()) for s in parts)


def _word_index(words: list[str]) -> re.Pattern[str]:
    """Where in the lower-cased text the type-word branch of the scanner can start: a type word's
    first syllable, whitespace as `WS` allows, its second syllable ("nghị quyết", "chỉ thị");
    "nq" and whitespace. A pattern of literals gets Python's fast search (see `references.scan`),
    so this costs a fraction of trying the branch at every position."""
    seconds: dict[str, set[str]] = {}
    for w in words:
        first, *rest = w.lower().split()
        seconds.setdefault(first, set()).update(rest[:1])
    alts = [re.escape(k) + (rf"{WS}(?:{'|'.join(sorted(map(re.escape, v)))})" if v else r"[\s\d]")
            for k, v in seconds.items()]
    return re.compile("|".join(sorted(alts, key=len, reverse=True)))


def fold(code: str) -> str:
    """The key under which a written code is looked up (case and spacing do not matter)."""
    return "".join(code.split()).casefold()


@dataclass(frozen=True)
class Grammar:
    scanner: re.Pattern[str]
    branches: tuple[re.Pattern[str], ...]  # the scanner's branches, in order (see `scan`)
    word_index: re.Pattern[str]  # on lower-cased text, where the word branch may match
    type_before: re.Pattern[str]
    date_before: re.Pattern[str]
    body: re.Pattern[str]
    generic_body: re.Pattern[str]
    generic_body_lower: re.Pattern[str]  # the same in any case, for lines printed in lower case
    list_body_before: re.Pattern[str]
    paren_open: re.Pattern[str]
    issued_of: re.Pattern[str]
    date_comma: re.Pattern[str]
    plenum_tail: re.Pattern[str]
    term_tail: re.Pattern[str]
    of_word: re.Pattern[str]
    title: re.Pattern[str]
    quoted_title: re.Pattern[str]
    central_body_after: re.Pattern[str]
    central_before: re.Pattern[str]
    number_after_word: re.Pattern[str]
    body_before: re.Pattern[str]
    body_before_end: re.Pattern[str]
    of_body_before: re.Pattern[str]
    paren_date: re.Pattern[str]
    passive_body: re.Pattern[str]
    issued_on: re.Pattern[str]
    list_gap: re.Pattern[str]
    bodies_by_code: dict[str, str]
    holder_name: re.Pattern[str]  # an office holder's body, then the holder's name
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
    party_type_codes: frozenset[str]
    party_issuer_re: re.Pattern[str]


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
    abbreviations: dict[str, str] = data.get("short_form_abbreviations") or {}
    for abbr, name in abbreviations.items():
        names[fold(abbr)] = name
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
    party_iss_known = _alternation([s for ss in data["party_issuers"].values() for s in ss])
    # A party issuer not in the list but shaped like one ("BTCĐU", "BTGTU", "UBKTHU").
    suffixes = "|".join(sorted(data["party_issuer_suffixes"], key=len, reverse=True))
    party_iss = rf"(?i:{party_iss_known})(?![\w])|[A-ZĐ]{{1,6}}(?:{suffixes})"
    state_iss_known = _alternation([s for ss in data["state_issuers"].values() for s in ss])
    # An issuer code not in the list, as printed: capitals, maybe with digits (a legislature
    # "UBTVQH12", a unit "BQLDA2") and a unit ("BTTTT-CVT", "TTLT-BTC-BNN").
    code = r"[A-ZĐ][A-Za-zĐđ&0-9]{1,11}(?:\.[A-ZĐ]{2,6})?"
    state_iss_any = rf"{code}(?:{GAP}{DASH}{GAP}{code}){{0,3}}"
    # Old and other numbers, "35-HĐBT", "709-BNV/HCĐP", "43 TC/QLCS": codes in capitals only.
    caps = r"[A-ZĐ][A-ZĐ0-9]{1,11}"
    legislature = _alternation(data["legislature_codes"])
    national_std = _alternation(data["standards"]["national"])
    all_names = [n for t in types.values() for n in t["names"]] + generic
    type_word = _alternation(all_names)
    short_word = _alternation(data["short_form_names"])
    # "NQ 26": abbreviations in capitals only (case matters: "ct" is no type)
    short_abbr = "|".join(sorted(map(re.escape, abbreviations), key=len, reverse=True)) or "(?!)"
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
    # Terms in Roman or Arabic numerals ("khóa XII", "khóa 12").
    term = rf"(?:{ROMAN}|[1-9]\d?)(?![\w])"
    terms = rf"{term}(?:\s*(?:,|và|-|–)\s*{term})*"
    term_phrase = rf"\(?\s*(?i:khóa|khoá)\s+(?P<terms>{terms})(?:\s*\))?"
    local_after = _alternation(plenum["local_congress_after"])
    nq = r"(?:(?i:nghị\s{1,8}quyết)|NQ)"

    # One pattern, one pass, four branches told apart by their first character: a link, a
    # number, a standard, a type word. Python's regex engine tries every top-level branch at
    # every position, so forms that start alike share one branch (this keeps the scan fast).
    # The digit is consumed before the look-behind so most positions fail on the first test.
    # First letters of the type words (both cases): a cheap test before the word branch.
    word_initials = "".join(sorted({c for n in data["short_form_names"] + ["Nghị quyết"]
                                    for c in (n[0].lower(), n[0].upper())}))
    # A number, maybe with a letter ("8B-NQ/HNTW", "30c/NQ-CP", "64b/HĐBT").
    num = r"(?P<num>\d(?<![\w/.,\-–]\d)\d{0,4}(?:[A-Za-z](?=\s{0,6}[-–/]))?)"
    # A known code followed by another ("NQLT-CP-UBTWMTTQVN") is part of a joint issuer.
    state_iss = (rf"(?:(?i:{state_iss_known})(?![\w]|\.[A-ZĐ]|{GAP}{DASH}{GAP}[A-ZĐ])"
                 rf"|{state_iss_any})")
    # After a year the issuer may be printed in lower case ("42/2004/qđ-ubbt" in a title).
    lower = r"[a-zđ][a-zđ0-9]{1,11}"
    state_iss_year = rf"(?:{state_iss}|{lower}(?:-{lower})*(?![\w]))"
    # A type glued to a known issuer, both as printed in capitals ("NĐCP", "QĐUBND", "TTVPCP").
    glued_iss = "|".join(sorted(
        (re.escape(x) for ss in data["state_issuers"].values() for x in ss), key=len, reverse=True))
    state_type_caps = "|".join(sorted((re.escape(c) for c in codes_of(data["state_types"])),
                                      key=len, reverse=True))
    # Between a type and its issuer: a dash, or as typed a dot or a slash ("QĐ.UB", "NĐ/CP",
    # "TTr. SXD", "TTLT/BTC-BNN").
    type_sep = rf"(?:{GAP}{DASH}{GAP}|\.[ ]?|/)"
    # A link is read as one token so its digits are no numbers. It starts with a character class
    # (not a case-insensitive word) so that its branch, scanned alone, gets the fast search.
    branches = [
                r"(?P<url>[hHwW](?:(?<=[hH])(?i:ttps?://)|(?<=[wW])(?i:ww\.))\S+)",
                rf"{num}(?:"
                # 57-NQ/TW, 57 - NQ/TW, 57–NQ/TƯ, 101-<line break>QĐ/TW, 57-NQ/ TW
                # (or glued to it: "1368CV/TCTW")
                rf"(?:{GAP}{DASH}{GAP}|(?=(?i:{party_type})/))(?:(?P<p_type>(?i:{party_type})){GAP}/{GAP}"
                rf"(?P<p_iss>{party_iss})(?![\w])"
                # 35-HĐBT, 297-CT, 159-TB, 709-BNV/HCĐP, 24-NQ/UBND (needs a type word before)
                rf"|(?P<o_code>{caps}(?:{GAP}/{GAP}(?:{caps}(?:-{caps})?|\d{{1,3}})){{0,3}})(?![\w/]))"
                # 43 TC/QLCS: a space for the dash (needs a type word before)
                rf"|[ ]{{1,2}}(?P<sp_code>{caps}(?:/{caps}){{1,3}})(?![\w/])"
                rf"|{GAP}/{GAP}(?:"
                # 02/2023/QĐ-UBND, 30/2011/TT-BTTTT, 181/2026/NĐ- CP; 24/2018/QH14; the type
                # printed before the year as well ("497/QĐ/2007/QĐ-UBND"), a slash doubled
                # ("11/2004 / / NQ-HĐND")
                rf"(?:(?i:{state_type}){GAP}/{GAP})?"
                rf"(?P<year>(?:19|20)\d\d){GAP}/(?:{GAP}/)?{GAP}(?:"
                rf"(?P<n_type>(?i:{state_type})){type_sep}(?P<n_iss>{state_iss_year})"
                # a type code the grammar does not know, between a year and a known issuer
                # ("180/2007/NQQ-CP"): read as printed (the audit reports the unknown type)
                # "61/2018/NĐCP", "01/2018/TTVPCP": the dash lost (text taken from a PDF)
                rf"|(?P<jy_type>(?i:{state_type}))(?P<jy_iss>{glued_iss})(?![\w\-/])"
                rf"|(?P<u_type>[A-ZĐ]{{2,6}}){GAP}{DASH}{GAP}"
                rf"(?P<u_iss>(?i:{state_iss_known}))(?![\w\-/])"
                rf"|(?P<l_iss>(?i:{legislature})){GAP}(?P<l_leg>\d{{1,2}})(?!\d))"
                # 57/NQ-TW or 57/NQ/TW: a party document written in the state pattern
                rf"|(?P<m_type>(?i:{party_type})){GAP}[-–/]{GAP}(?P<m_iss>{party_iss})"
                rf"(?![\w\-/])"
                # 2590/QĐ-UBND, 924/QĐ-TTg, 56/QĐ-CVT; 1308/QĐ/BTC (a slash before a known one)
                rf"|(?P<s_type>(?i:{state_type})){GAP}"
                rf"(?:(?:{DASH}{GAP}|\.[ ]?|/(?={code}{DASH}))(?P<s_iss>{state_iss_year})"
                rf"|/{GAP}(?P<s_iss2>(?i:{state_iss_known}))(?![\w\-/]))"
                # "2468/QĐUBND", "30c/NQCP": the dash lost
                rf"|(?P<j_type>{state_type_caps})(?P<j_iss>{glued_iss})(?![\w\-/])"
                # 1234/UBND-KT, 2345/BTTTT-CVT: an official letter (công văn), issuer and unit
                rf"|(?P<c_iss>(?i:{state_iss_known})){GAP}{DASH}{GAP}"
                # (in a title printed in lower case: "2600/ttg-ktth")
                rf"(?P<c_unit>[A-ZĐ][A-Za-zĐđ0-9]{{1,9}}|(?<=[a-zđ]-)[a-zđ][a-zđ0-9]{{1,9}})"
                rf"(?![\w\-/])"
                # 50/CP, 0834/BTM, 47/STC-NS, 3319/BQLDA2-TCKT (needs a type word before)
                # (and old ones with slashes, "488/KHKT/TT")
                rf"|(?P<g_code>{code}(?:(?:{GAP}{DASH}{GAP}|/){code}){{0,3}})(?![\w/])))",
                # QCVN 8:2022/BTTTT, TCVN 7189:2009, QCVN 47; ISO 9001:2015, ISO/IEC 17065
                rf"(?P<q_pre>{national_std})(?<![\w]....){GAP}(?P<q_num>\d{{1,5}}(?:-\d{{1,3}})*)"
                rf"(?:{GAP}:{GAP}(?P<q_year>(?:19|20)\d\d))?"
                rf"(?:{GAP}/{GAP}(?P<q_iss>[A-ZĐ][A-Za-zĐđ&]{{1,11}}))?(?![\w])",
                rf"(?P<i_pre>ISO(?<![\w]...)(?:{GAP}[/ ]{GAP}IEC)?){GAP}"
                rf"(?P<i_num>\d{{3,5}}(?:-\d{{1,3}})*)(?:{GAP}:{GAP}(?P<i_year>(?:19|20)\d\d))?"
                r"(?![\w])",
                rf"(?=[{word_initials}]){WORD_START}(?:"
                # Nghị quyết Đại hội XIII, Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII
                rf"(?P<congress>{nq}{WS}(?i:đại\s{{1,8}}hội){WS}"
                rf"(?:(?i:đại\s{{1,8}}biểu){WS})?(?:(?i:Đảng){WS})?"
                rf"(?:(?i:toàn\s{{1,8}}quốc){WS})?(?:(?i:lần\s{{1,8}}thứ){WS})?"
                rf"(?P<c_term>{ROMAN}|[1-9]\d?)(?![\w])"
                rf"(?!\s*,?\s*(?:(?i:của)\s+)?(?:{local_after})(?![\w])(?!\s+(?i:nghị))))"
                # Nghị quyết Trung ương 4 khóa XII; Nghị quyết Hội nghị lần thứ 4 Ban Chấp hành
                # Trung ương Đảng (khóa XII); các nghị quyết Hội nghị Trung ương 3, 4 khóa XIII
                rf"|(?P<plenum>{nq}{WS}(?:(?i:của){WS})?(?:(?i:các){WS})?"
                rf"(?:(?i:hội\s{{1,8}}nghị){WS})?"
                rf"(?:{central}(?:(?:{WS})?(?P<pl_no1>{plenum_digits})|{WS}{lan_thu}+(?P<pl_no3>{plenum_nos})"
                # Nghị quyết của Hội nghị Trung ương VIII: a Roman plenum number, no term
                rf"|{WS}(?P<pl_roman>{ROMAN})(?![\w])(?![\s,(]*(?i:khóa|khoá)))"
                rf"|{lan_thu}+(?P<pl_no2>{plenum_nos})"
                # ("Nghị quyết Hội nghị lần thứ 10, Ban Chấp hành Trung ương Đảng (khóa XI)")
                rf"(?:(?:{WS}|\s*,\s*)(?:(?i:của){WS})?(?:{central})"
                rf"|(?!{WS}(?:(?i:của){WS})?(?i:ban\s{{1,8}}chấp\s{{1,8}}hành|bch)(?![\w]))))"
                rf"(?:[\s,]*{term_phrase})?)"
                # Nghị quyết số 57, Chỉ thị 05, Thông tư 30: a short form (resolved later).
                rf"|(?P<short>(?P<sh_word>(?i:{short_word})|{short_abbr})"
                rf"(?:{WS}|(?<=[A-Z])(?=\d))(?:(?i:số){WS})?"  # ("NQ21": glued)
                rf"(?P<sh_num>\d{{1,4}}(?:[A-Z](?![\w]))?)"
                # ("Nghị quyết 13/5/1988 của Bộ Chính trị": the number, then month and year)
                rf"(?![\w%]|\s*(?:[-–%]|/(?!\d{{1,2}}/(?:19|20)\d\d(?!\d))|[.,]\d|:\s?\d)"
                rf"|[ ]{{1,2}}[A-ZĐ]{{2,12}}/)))",
    ]
    scanner = re.compile("|".join(branches))
    # The same branches scanned one by one and merged (`scan`): Python's engine gives a pattern
    # that starts with a character class or a literal a fast search (it skips to the next
    # candidate character in C), but not an alternation of branches that start differently; so
    # five scans of the text cost less than one of the combined pattern. Every branch carries
    # all the group names (in a group that never matches), so a match answers None for the
    # groups of other branches exactly as a match of `scanner` does.
    group_names = re.findall(r"\(\?P<(\w+)>", scanner.pattern)
    # A link scanned alone from its "://" (a literal: the fastest search), or from "www.".
    split_branches = [
        r"(?P<url>://(?:(?<=[hH][tT][tT][pP]://)|(?<=[hH][tT][tT][pP][sS]://))\S+)",
        r"(?P<url>[wW][wW][wW]\.\S+)",
        *branches[1:],
    ]
    split = []
    for branch in split_branches:
        own = set(re.findall(r"\(\?P<(\w+)>", branch))
        others = "".join(f"(?P<{n}>)" for n in group_names if n not in own)
        split.append(re.compile(f"(?:{branch})(?:(?!){others})?" if others else branch))
    # Hand-written case-insensitivity of the pieces above keeps capitals significant where they
    # matter (an unknown issuer code must be in capitals); the words below are matched in any
    # case ("NGHỊ QUYẾT SỐ 57-NQ/TW" in a title).
    # First letters of the type words (the search tries the rest only where one starts).
    type_initials = "".join(sorted({c for n in all_names for c in (n[0].lower(), n[0].upper())}))
    type_before = re.compile(
        rf"(?=[{type_initials}]){WORD_START}(?P<word>{type_word})"
        rf"(?:{WS}(?:(?:của|do)\s[^\n,.;]{{2,60}}?{WS})?"
        rf"(?:số|so|No\.?))?\s*[:.]?\s*\Z", re.I
    )
    # A number a type word announces, with letters in it ("Thông tư số 45/2006/TT"): what the
    # scanner could not read is reported, not dropped (`references.unparsed_numbers`).
    number_after_word = re.compile(
        rf"(?<![\w])(?i:{type_word})(?:{WS}(?i:số|No\.?))?\s*:?\s*"
        r"(?P<num>\d{1,5}[A-Za-z]?(?=[^\s,;()]*[A-Za-zĐđ])(?:[ ]?[/\-–][ ]?[\w.&]+)+)"
    )
    body_alt = _alternation([s for ss in data["bodies"].values() for s in ss])
    bodies = {fold(s): canon for canon, ss in data["bodies"].items() for s in ss}
    body = re.compile(rf"(?P<body>{body_alt})(?![\w])", re.I)
    heads = _alternation(data["body_heads"])
    stops = _alternation(data["body_stop_words"])
    central_bodies = _alternation(["Bộ Chính trị", "Ban Bí thư"]
                                  + list(data.get("central_abbreviations") or [])
                                  + plenum["central"])
    # A unit and its subject ("Bộ" + "Tài chính"), factored: the engine tries the pairs in the
    # same order as the alternation of every pair would (unit by unit, longest subject first),
    # and the patterns that hold this are a fraction of the size (the grammar compiles faster).
    units = "|".join(_alternation([u]) for u in data["body_units"])
    subjects = "|".join(_alternation([s])
                        for s in sorted(data["body_subjects"], key=len, reverse=True))
    full_names = rf"(?:{units}){WS}(?:{subjects})"
    full_name = rf"(?i:{full_names})(?![\w])"
    # A word, maybe two joined by a hyphen ("Văn hoá-Thông tin", "Bà Rịa-Vũng Tàu").
    word = rf"[^\W\d_][\w&]*(?:-(?:[ ](?=[{CAPS}]))?[^\W\d_][\w&]*)*|\d+"
    # A body named as written: a head ("Bộ", "Ủy ban", "Ban Thường vụ"), then its words up to a
    # stop word or punctuation; "và" and " - " join a second body ("Bộ Tài chính và Bộ Tài
    # nguyên và Môi trường", "Sở Tài chính - Cục Thuế"); names with "và" inside are whole.
    # A subject alone names a unit after an office holder ("Trưởng phòng Giáo dục và Đào tạo").
    subject = rf"(?i:{_alternation(data['body_subjects'])})(?![\w])"
    name_words = _alternation(data["body_name_words"])
    # (the long alternations only where a capital starts the word: most words fail this at once)
    subject_initials = "".join(sorted({c for x in data["body_subjects"]
                                       for c in (x[0].lower(), x[0].upper())}))
    token = (rf"(?:(?=[{CAPS}])(?:{full_name}|(?=[{subject_initials}]){subject}"
             rf"|(?:{name_words})(?![\w]))"
             rf"|(?!(?i:{stops})(?![\w]))(?:{word}))")
    joint = rf"(?:{heads}|{full_name})(?![\w])"
    # A comma joins a second ministry or a second title ("Bộ Y tế, Bộ Tài chính", "Bộ trưởng,
    # Chủ nhiệm Ủy ban Dân tộc"): only before a head of `body_comma_heads` and a capital.
    comma_heads = _alternation(data["body_comma_heads"])
    comma_names = _alternation(data["body_comma_names"])
    comma = rf"\s*,\s*(?=(?:{comma_heads}){WS}[{CAPS}]|(?:{comma_names})(?![\w]))"
    sep = (rf"(?:{WS}|\s*-\s*(?={joint})|{WS}(?i:và){WS}(?={joint})|{comma}"
           rf"|[ ]?&[ ]?(?=[{CAPS}]))")  # ("Thương binh & Xã hội")
    most = int(data["body_max_words"])
    generic = rf"(?:{full_name}|(?:{heads})(?![\w]))(?:{sep}{token}){{0,{most}}}"
    # "liên Bộ: Công an, Lao động-Thương binh và Xã hội, Tài chính": the ministries of a joint
    # document, listed after "liên bộ" by their subjects.
    joint_list = (rf"(?i:liên{WS}bộ)\s*:?{WS}(?:{subject}|{token})"
                  rf"(?:(?:\s*,\s*|\s*-\s*|{WS}|{WS}(?i:và){WS})(?:{subject}|{token}))"
                  rf"{{0,{2 * most}}}")  # several ministries: a longer name
    generic = rf"(?:{joint_list}|{generic})"
    generic_body = re.compile(rf"(?P<body>{generic})")
    generic_body_lower = re.compile(rf"(?P<body>{generic})", re.I)
    # One date (the same separator twice, so ranges are not dates), without capturing groups.
    date_re = "(?:" + "|".join(
        rf"\d{{1,2}}\s{{0,3}}{sep}\s{{0,3}}\d{{1,2}}\s{{0,3}}{sep}\s{{0,3}}(?:19|20)\d\d"
        for sep in ("/", r"\.", "-")
    ) + r"|\d{1,2}\s+(?i:tháng)\s+\d{1,2}\s*,?\s+(?i:năm)\s+(?:19|20)\d\d)(?!\d)"
    # ("đã kịp thời ban hành": an adverb after "đã")
    adverbs = _alternation(data.get("verb_adverbs") or [])
    verb = (rf"(?:(?:đã|vừa|mới)(?:{WS}(?:{adverbs}))?{WS})?(?:(?:ký|ra){WS})?"
            rf"(?:ban{WS}hành|ra|ký|có|thông{WS}qua|(?:chỉ{WS}đạo|phê{WS}duyệt){WS}tại)")
    # "Ngày 22/12/2024, Bộ Chính trị đã ban hành Nghị quyết số": a date, maybe a body, a verb.
    date_before = re.compile(
        rf"(?i:ngày)\s+(?P<date>{date_re})\s*,\s*(?:(?P<body>{generic}|(?i:{body_alt})){WS})?"
        rf"(?:[^,.;\n]{{1,60}}?{WS})?(?i:{verb}){WS}(?:(?i:các){WS})?\Z",
    )
    # "Ban Thường vụ Tỉnh uỷ ra Nghị quyết số", "Chính phủ đã ban hành Nghị quyết số".
    body_before = re.compile(
        rf"(?:(?<=[\s,:(])|\A)(?P<body>{generic}|(?i:{body_alt}))(?:\s*\([^()\n]{{1,40}}\))?"
        rf"{WS}(?i:{verb}){WS}"
        rf"(?:(?i:các){WS})?\Z"
        # "Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số", "của Liên tịch: Sở Tài
        # chính - Cục Thuế tại Tờ trình số"
        rf"|(?:(?:(?i:của|nghị|và)(?:{WS}(?i:ông|bà))?){WS}|(?<=;)\s*)"
        rf"(?:[^\W\d_]+(?:\s[^\W\d_]+)?:\s*)?"
        rf"(?P<body2>{generic}|(?i:{body_alt})),?"
        rf"(?:{WS}(?i:đã|đã\s+có|có)?{WS}?(?i:chỉ\s+đạo|ý\s+kiến|kết\s+luận))?"
        rf"{WS}(?i:tại)(?:{WS}(?:(?i:các){WS})?)?\Z"  # "tạiTờ trình" glued: no space
        # "Theo đề nghị của Giám đốc Sở Nông nghiệp & PTNT Khánh Hoà (Tờ trình số"
        rf"|(?i:đề{WS}nghị){WS}(?i:của|cuả){WS}(?P<body3>{generic}|(?i:{body_alt}))\s*\(\s*\Z",
    )
    # What both branches of `body_before` end with (every `verb` ends in one of these words, the
    # second branch in "tại"): a cheap test on the last characters before the long search.
    body_before_end = re.compile(
        rf"(?<=\s)(?i:hành|ra|ký|có|qua|tại)(?:{WS}(?:(?i:các){WS})?)?\Z|\(\s*\Z")
    # "các Nghị định của Chính phủ số 181/2004/NĐ-CP": the body between the word and "số".
    of_body_before = re.compile(
        rf"(?i:của){WS}(?P<body>{generic}|(?i:{body_alt}))\s*:?{WS}(?i:số){WS}?\Z"
    )
    # "04 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số 59-NQ/TW, …": the body before a list.
    list_body_before = re.compile(
        rf"(?i:của){WS}(?P<body>{generic}|(?i:{body_alt}))\s*,?{WS}(?i:gồm|bao{WS}gồm|như)\s*:?\s*\Z"
    )
    # "… ký ban hành Kết luận của Bộ Chính trị, Ban Bí thư về … (Kết luận số 200-KL/TW)": a
    # number in brackets names the document the sentence described before it.
    paren_open = re.compile(
        rf"\(\s*(?:(?:{type_word}){WS}(?:(?i:số){WS})?)?\Z", re.I)
    issued_of = re.compile(
        rf"(?i:ban{WS}hành){WS}(?P<word>(?i:{type_word})){WS}(?i:của){WS}"
        rf"(?P<body>{generic}|(?i:{body_alt}))")
    date_comma = re.compile(rf"(?i:ngày)\s+(?P<date>{date_re})\s*,")
    paren_date = re.compile(rf"[\s,]*\(\s*(?:(?i:ngày)\s+)?(?P<date>{date_re})\s*\)")
    # "Nghị định số 25/2009/NĐ-CP được Chính phủ ban hành ngày 6-3-2009"
    issued_on = re.compile(rf"(?i:ban{WS}hành|ký){WS}(?i:ngày){WS}(?P<date>{date_re})")
    passive_body = re.compile(
        rf"(?i:được|do){WS}(?P<body>{generic}|(?i:{body_alt})){WS}(?i:ban{WS}hành|ký)"
        rf"(?:{WS}(?i:ngày){WS}(?P<date>{date_re}))?"
    )
    plenum_tail = re.compile(
        rf"(?i:hội\s{{1,8}}nghị){WS}(?:{lan_thu}+{plenum_nos}"
        rf"(?:{WS}(?:(?i:của){WS})?(?P<central>{central}))?"
        rf"|(?P<central2>{central})(?:(?:{WS})?{plenum_digits}|{WS}{lan_thu}+{plenum_nos}))"
    )
    term_tail = re.compile(term_phrase)
    # "của X"; "giữa X và Y" for a joint document ("Thông tư liên tịch số … giữa Bộ Tài chính và
    # Bộ Nông nghiệp và PTNT")
    of_word = re.compile(r"(?i:của|cuả|giữa)\s{1,8}")  # "cuả": a common misspelling
    # A title ends with its phrase: at a sentence or clause mark or the end of the line.
    title = re.compile(r"(?P<title>(?i:về)\s[^;.!?()\[\]“”\"\n]{3,240})")
    quoted_title = re.compile(r"[“\"]\s*(?P<title>(?i:về)\s[^”\"]{3,400})[”\"]")
    # "Hội nghị Trung ương 8 khoá XI (6-2014) đã ra Nghị quyết số 29", "Bộ Chính trị ban hành
    # Chỉ thị 35": a central body right before the type word.
    central_before = re.compile(
        rf"(?:(?i:hội\s{{1,8}}nghị){WS}(?:{central}(?:(?:{WS})?{plenum_digit}|{WS}{lan_thu}+{plenum_no})"
        rf"|{lan_thu}+{plenum_no}(?:(?:{WS}|\s*,\s*)(?:(?i:của){WS})?{central})?)"
        # ("Hội nghị lần thứ 5, Ban Chấp hành Trung ương Đảng - khóa XIII, đã ban hành")
        rf"(?:[\s,\-–]*{term_phrase})?(?:\s*\([^()\n]{{1,20}}\))?"
        rf"|(?P<central_body>{central_bodies})(?:{WS}(?i:Trung\s+ương))?"
        rf"(?:{WS}(?i:Đảng)(?:{WS}(?i:Cộng\s+sản\s+Việt\s+Nam))?)?)"
        rf",?{WS}(?i:{verb}){WS}(?:(?i:các){WS})?\Z"
    )
    # Between two numbers of one list: "… ngày 11/7/2006 và Quyết định số", ", số",
    # "và thay thế mục II Thông tư số". Nothing that names another body ("của").
    list_gap = re.compile(
        rf"\s*(?:(?i:ngày)\s+{date_re}\s*)?(?:,|;|(?i:và)|,\s*(?i:và))\s*"
        rf"(?:(?:(?!(?i:của|về|theo|tại)\b)[^\W\d_]+\s+){{0,5}}(?:{type_word}){WS})?"
        rf"(?:(?i:liên\s+tịch){WS})?(?:(?i:số)\s*)?",
        re.I,
    )
    central_body_after = re.compile(
        rf"[\s,]*(?:(?:(?i:của){WS})?(?:(?i:hội\s{{1,8}}nghị){WS})?"
        rf"(?P<central_after>(?i:{central_bodies}))(?![\w])"
        rf"|(?i:hội\s{{1,8}}nghị){WS}(?:{central}(?:(?:{WS})?{plenum_digit}|{WS}{lan_thu}+{plenum_no})"
        rf"|{lan_thu}+{plenum_no}))"
    )
    return Grammar(
        scanner=scanner,
        branches=tuple(split),
        word_index=_word_index(data["short_form_names"] + ["Nghị quyết", "NQ"]
                               + list(abbreviations)),
        type_before=type_before,
        date_before=date_before,
        body=body,
        generic_body=generic_body,
        generic_body_lower=generic_body_lower,
        list_body_before=list_body_before,
        paren_open=paren_open,
        issued_of=issued_of,
        date_comma=date_comma,
        plenum_tail=plenum_tail,
        term_tail=term_tail,
        of_word=of_word,
        title=title,
        quoted_title=quoted_title,
        central_body_after=central_body_after,
        central_before=central_before,
        number_after_word=number_after_word,
        body_before=body_before,
        body_before_end=body_before_end,
        of_body_before=of_body_before,
        paren_date=paren_date,
        passive_body=passive_body,
        issued_on=issued_on,
        list_gap=list_gap,
        bodies_by_code=dict(data["bodies_by_code"]),
        holder_name=re.compile(
            rf"(?P<office>(?:{_alternation(data.get('office_heads') or ['(?!)'])})(?![\w]).*?)"
            rf"\s+(?!(?:{_alternation(data.get('places_like_names') or ['(?!)'])})(?![\w]))"
            rf"(?:{_alternation(data.get('person_surnames') or ['(?!)'])})"
            rf"(?:\s+[{CAPS}][^\s,]*){{1,3}}"),
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
        party_type_codes=frozenset(fold(s) for s in codes_of(data["party_types"])),
        party_issuer_re=re.compile(rf"(?:{party_iss})\Z"),
    )
