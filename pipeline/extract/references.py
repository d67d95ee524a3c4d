"""References to other documents: every cited resolution, directive, decision and standard.

Like eyecite does for case law: one pass of a combined regex finds typed candidates (the grammar
is data, `data/reference_grammar.yaml`), the words around each candidate give its attributes,
and short forms are resolved to the full reference they point back to.

Forms (kind): party numbers "57-NQ/TW" (party), state numbers "2590/QĐ-UBND", "02/2023/QĐ-UBND",
"24/2018/QH14" (state), "QCVN 8:2022/BTTTT", "ISO/IEC 17065" (standard), numberless resolutions
"Nghị quyết Trung ương 4 khóa XII" -> "NQTW4-XII" and "Nghị quyết Đại hội XIII" -> "NQDH-XIII"
(plenum). Variants get one canonical id: spaces and dashes, en-dash, "TƯ" for "TW", lower case,
a number split by a line break or OCR ("101-\\nQĐ/TW", "181/2026/NĐ- CP"), numbers under 10
written with two digits ("5-CT/TW" -> "05-CT/TW"). A party document written in the state pattern
("57/NQ-TW") gets the party id; `pipeline.audit.references` reports it as malformed.

Choices (documented because a reader of the output needs them):
- Spans: for a numbered reference the span is the number itself ("57-NQ/TW"), not the type
  word before it; for a short form it is "Nghị quyết số 57"; for a plenum or congress resolution
  the whole phrase ("Nghị quyết Trung ương 4 khóa XII"). A phrase naming several plenums or
  terms ("Nghị quyết Trung ương 4 khóa XII, XIII") gives one reference per plenum and term,
  all with the span of the phrase.
- Short forms ("Nghị quyết số 57", "Chỉ thị 05", "Nghị quyết 8B") become references only when
  resolved: to the latest earlier full reference of the same type name and number in the
  document; else, when a central body is named right after it ("của Bộ Chính trị", "Hội nghị
  Trung ương 5", "Ban Chấp hành Trung ương Đảng khóa X") or right before it ("Hội nghị Trung
  ương 8 đã ra", "Ban Bí thư … ban hành"), to the party id N-TYPE/TW (or the registry's id of
  that number when its issuer code differs: 8B-NQ/HNTW); else to the one document of that type
  and number in the curated registry, but only when the citation gives a date, year or term that
  fits it and names no other issuer. Anything else ("25 năm Chỉ thị 05", "Kế hoạch 2024",
  "Nghị quyết 20%") is not a reference. A resolved short form copies the attributes of its
  antecedent and has `resolved_from` = its own text.
- A plenum resolution without a term ("Nghị quyết TW 4") takes the term of earlier mentions of
  that plenum when they all agree; otherwise its id has no term ("NQTW4").
- Attributes come from the words right after the number (date, "của" + body, "(16-10-1990)",
  "được Chính phủ ban hành ngày …", plenum, term, title "về …" ending with its phrase, in any
  order), from the clause right before it ("Ngày …, Bộ Chính trị ban hành", "đề nghị của X tại",
  "các Nghị định của Chính phủ số"), and from the list it is in (one body after or before the
  items of a list). A date further away ("… đại hội đảng bộ các cấp (ngày 09/07/2024)") is not
  the document's date. Bodies are kept whole as written ("Ủy ban nhân dân tỉnh Kiên Giang"); a
  known central body is given in its canonical spelling. `body_source` says whether the text named
  the body ("text") or only the issuer code implies it ("code": /QĐ-TTg -> Thủ tướng Chính phủ).
- Old and uncoded numbers ("35-HĐBT", "50/CP", "43 TC/QLCS", "47/STC-NS") are read only after a
  type word ("Nghị định số", "văn bản số"): a plate "31A-6247" is no citation. What a type word
  announces but no form reads ("Thông tư số 45/2006/TT") is returned by `unparsed_numbers` and
  reported as malformed by `pipeline.audit.references`.
- `document_references` covers the body ("body"), each footnote ("footnote:<id>", offsets into
  the footnote text) and each table ("table:<index>", offsets into `table_text(table)`: cells
  joined by a tab, rows by a newline; each cell is read on its own). Short forms resolve across
  them in that order.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from itertools import accumulate

from pipeline.extract.dates import match_date, match_year, parse_date
from pipeline.extract.reference_grammar import Grammar, fold, grammar
from pipeline.extract.registry import Registry, default_registry
from pipeline.model import Document, Reference, Table

__all__ = ["extract_references", "document_references", "table_text", "canonical_number",
           "unparsed_numbers", "scan"]

_SKIP = re.compile(r"[\s,(]*")
_CLOSE = re.compile(r"\s*\)")
_SPACES = re.compile(r"\s+")
_TYPE_WINDOW = 48  # characters before a number searched for its type word
_DATE_WINDOW = 140  # characters searched for "Ngày 22/12/2024, Bộ Chính trị ban hành"
_TAIL_STEPS = 8
_TITLE_MAX = 200
_VERB_TAIL = 40  # characters that hold the verb ending `body_before` (a word, "các", spaces)


def extract_references(
    text: str, where: str = "body", registry: Registry | None = None
) -> list[Reference]:
    """Every reference in one text, in order of position."""
    return _Extraction(registry).run(text, where)


def document_references(
    doc: Document, registry: Registry | None = None, skip_blocks: Iterable[int] = ()
) -> list[Reference]:
    """Every reference in a document: body, then footnotes, then tables (see module doc).

    `skip_blocks`: indices of blocks that cite nothing, such as the letterhead, whose "Số
    12-BC/CB" is the document's own number (`pipeline.extract.form` finds them)."""
    ex = _Extraction(registry)
    refs = ex.run(doc.text, "body")
    skipped = set(skip_blocks)
    if skipped:
        spans = [span for i, span in enumerate(doc.block_offsets()) if i in skipped]
        refs = [r for r in refs if not any(a <= r.start and r.end <= b for a, b in spans)]
    for note in doc.footnotes:
        refs.extend(ex.run(note.text, f"footnote:{note.id}"))
    for index, table in enumerate(doc.tables):
        refs.extend(ex.run_table(table, index))
    return refs


def unparsed_numbers(text: str, refs: Iterable[Reference] = ()) -> list[tuple[int, int]]:
    """Spans of what a type word announces as a number ("Thông tư số 45/2006/TT") but the grammar
    cannot normalise into a reference, outside the spans of `refs` (the body's references).
    `pipeline.audit.references` reports them as `malformed_reference`: never silently dropped."""
    # Overlap by bisection: the spans starting before the number's end, and the furthest any
    # of them reaches (a scan of every reference per number was quadratic: 4 s on a 5 MB DOCX).
    taken = sorted((r.start, r.end) for r in refs if r.where == "body")
    starts = [a for a, _b in taken]
    reach = list(accumulate((b for _a, b in taken), max))
    found = []
    for m in grammar().number_after_word.finditer(text):
        start, end = m.span("num")
        i = bisect_left(starts, end)
        if not (i and reach[i - 1] > start):
            found.append((start, end))
    return found


def scan(g: Grammar, text: str) -> list[re.Match[str]]:
    """What `g.scanner.finditer(text)` finds, from the scanner's branches scanned one by one: at
    each step the leftmost match, the earlier branch on a tie, then on from its end (a branch
    whose next match starts inside that one is searched again from there). Same matches, faster
    (see `Grammar.branches`). The type-word branch, the last, is tried only where the lower-cased
    text has a type word (`g.word_index`)."""
    searchers: list[Callable[[int], re.Match[str] | None]] = [
        partial(p.search, text) for p in g.branches[:-1]]
    searchers.append(_word_searcher(g, text))
    pending = [search(0) for search in searchers]
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        best: re.Match[str] | None = None
        which = -1
        for i, m in enumerate(pending):
            if m is not None and m.start() < pos:
                m = pending[i] = searchers[i](pos)
            if m is not None and (best is None or m.start() < best.start()):
                best, which = m, i
        if best is None:
            return out
        out.append(best)
        pos = max(best.end(), best.start() + 1)
        pending[which] = searchers[which](pos)


def _word_searcher(g: Grammar, text: str) -> Callable[[int], re.Match[str] | None]:
    pattern = g.branches[-1]
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: no shortcut
        return partial(pattern.search, text)
    # A candidate starts a word (the branch begins with `(?<![\w])`); candidates may overlap
    # ("nghị quyết định"), so each search goes on from the character after the last one.
    starts = array("q")  # (8 bytes a position; a list of ints costs ~4 times that: issue 16)
    m = g.word_index.search(lowered)
    while m is not None:
        at = m.start()
        if at == 0 or not lowered[at - 1].isalnum() or (
                text[at].isupper() and text[at - 1].isalpha()):  # glued: "tốtNghị quyết"
            starts.append(at)
        m = g.word_index.search(lowered, at + 1)

    def search(pos: int) -> re.Match[str] | None:
        for i in range(bisect_left(starts, pos), len(starts)):
            m = pattern.match(text, starts[i])
            if m is not None:
                return m
        return None

    return search


def table_text(table: Table) -> str:
    """The text that "table:<index>" offsets point into: cells joined by tabs, rows by newlines."""
    return "\n".join("\t".join(row) for row in table.rows)


def canonical_number(number: str) -> str:
    """"5" -> "05", "057" -> "57": leading zeros as official numbering writes them. A number
    with a letter keeps its digits without leading zeros ("8B", "08B" -> "8B", "30c")."""
    if number[-1:].isalpha():
        return (number[:-1].lstrip("0") or "0") + number[-1]  # "08B" -> "8B"
    return f"{int(number):02d}"


def _number_key(number: str) -> int | str:
    """How antecedents are keyed: 57 for "057", "8B" for "8B"."""
    return int(number) if number.isdigit() else number.upper().lstrip("0")


_PROPER_NAME = re.compile(r"(?:\s+|\s*,\s*)(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ]|\d)")
_PASSIVE_INITIALS = frozenset("đĐdD")  # "được", "do": the passive "được Chính phủ ban hành"
_DESCRIBED_WINDOW = 400  # characters a bracketed number looks back for what it names
_CENTRAL_BODIES = frozenset({"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"})
_LIST_GAP_MAX = 160  # characters between two items of one list (a date, "và", a type word)
_DASHES = re.compile(r"\s*[-–—‐]\s*")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_AT = re.compile(r"(?<![\w])(?i:tại)(?![\w])")
_OF = re.compile(r"(?<![\w])(?i:của)(?![\w])")
# Bodies of a provincial party committee ("Tỉnh ủy", "Ban Chấp hành Đảng bộ tỉnh").
_LOCAL_COMMITTEE = re.compile(r"(?i)(?:tỉnh|thành)\s+(?:ủy|uỷ)|đảng\s+bộ\s+(?:tỉnh|thành\s+phố)")
_CLAUSE_END = re.compile(r"[.;!?\n]")
_CAPS_SO = re.compile(r"(?<![\w])SỐ[ \t]*\Z")
_DOUBLED = re.compile(r"^(.{4,}?) \1$")
_LIST_INTRO = re.compile(r"(?i:gồm|như)\s*:?\s*\Z")  # cheap test before `list_body_before`
_OWN_NUMBER = re.compile(
    r"(?:^|\n)[ \t|]*(?P<so>(?i:số)(?:[ \t]+(?i:hiệu))?)[ \t]*(?P<colon>:)?\s*\Z")
# "Nghị quyết 13/5/1988 của Bộ Chính trị": a short form's number, then the month and year of
# the document (or its date): read as the number and the year.
_MONTH_YEAR = re.compile(r"/\d{1,2}/(?P<year>(?:19|20)\d\d)(?!\d)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ARABIC = {r: i for i, r in enumerate(
    ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
     "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]) if r}
_ROMAN = {v: k for k, v in _ARABIC.items()}


def _roman(term: str) -> str:
    """"12" -> "XII"; a Roman term as it is."""
    return _ROMAN.get(int(term), term) if term.isdigit() else term


def _clause_start(text: str, lo: int, hi: int) -> int:
    """Where the clause that ends at `hi` starts: after the last . ; ! ? or line break, except a
    break right after a letter, which wraps a line inside a phrase ("Xét đề nghị của Giám
    đốc<line break>Sở Nông nghiệp … tại Tờ trình số")."""
    last = lo
    for m in _CLAUSE_END.finditer(text, lo, hi):
        at = m.start()
        if text[at] == "\n" and at > lo and (text[at - 1].isalpha() or (
                text[at - 1] in " \t" and at - 1 > lo and text[at - 2].isalpha())):
            continue
        last = m.end()
    return last


_CENTRAL_HINTS = ("hội nghị", "trung ương", "chính trị", "bí thư", "bct", "bbt", "tw", "tư", "t.ư")


def _central_hint(text: str, start: int, end: int) -> bool:
    """Whether `central_before` can match in text[start:end]: one of the words it needs is
    there (a cheap test before the long search)."""
    window = text[start:end].lower()
    return any(h in window for h in _CENTRAL_HINTS)


def _clean(s: str) -> str:
    return _SPACES.sub(" ", s).strip()


class _Extraction:
    """One document's extraction: keeps the earlier references short forms resolve to."""

    def __init__(self, registry: Registry | None) -> None:
        self.g: Grammar = grammar()
        self.registry = registry if registry is not None else default_registry()
        # (type name, number) -> latest full reference; plenum number -> terms seen.
        self.antecedents: dict[tuple[str, int | str], Reference] = {}
        self.plenum_terms: dict[int, set[str]] = {}

    # -- driving ---------------------------------------------------------------------------

    def run(self, text: str, where: str) -> list[Reference]:
        matches = [m for m in scan(self.g, text) if m.group("url") is None]
        refs: list[Reference] = []
        self.body_before_ids: set[int] = set()  # refs whose body the text gave before them
        self.tail_end: dict[int, int] = {}  # where the date, body and term after a ref end
        for i, m in enumerate(matches):
            limit = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            refs.extend(self._candidate(text, m, limit, where))
        for ref in refs:  # before lists share bodies: only a body the text gives this number
            self._local_tu(ref)
        self._share_in_lists(text, refs)
        for ref in refs:
            if ref.body is not None and ref.body_source is None:
                ref.body_source = "text"
            elif ref.body is None and ref.kind == "state" and ref.issuer:
                implied = self.g.bodies_by_code.get(ref.issuer)
                if implied is not None:
                    ref.body, ref.body_source = implied, "code"
        return refs

    def _share_in_lists(self, text: str, refs: list[Reference]) -> None:
        """One body for a list: "Quyết định số A ngày … và Quyết định số B ngày … của Thủ tướng
        Chính phủ" (the body after the last item), "các Nghị định của Chính phủ số A …; Nghị
        định số B …" and "đề nghị của X tại các Văn bản số A, …, số B" (the body before the
        first). A number inside another's title ("… sửa đổi một số điều của Nghị định số C")
        is not an item of the list and takes nothing."""
        numbered = [r for r in refs if r.kind in ("party", "state")]
        # Backwards: the body after the last item.
        for a, b in zip(reversed(numbered[:-1]), reversed(numbered[1:]), strict=True):
            if a.kind != b.kind or (a.kind == "party" and a.issuer != b.issuer):
                continue  # "05-NQ/HU, 489-QĐ/TU … của Tỉnh ủy": not the same issuer
            if a.body is None and b.body is not None and b.start - a.end < _LIST_GAP_MAX:
                if self.g.list_gap.fullmatch(text, a.end, b.start):
                    a.body = b.body
        # Forwards: the body before the first item, until the sentence ends.
        carrier: Reference | None = None
        previous: Reference | None = None
        for r in numbered:
            if previous is not None and carrier is not None:
                # From the end of the previous item's own date and body: "của" after that
                # names the body of a number inside a title ("… một số điều của Nghị định số").
                gap = text[self.tail_end.get(id(previous), previous.end):r.start]
                if "\n" in gap or _SENTENCE_END.search(gap):
                    carrier = None
                elif r.body is None and not _OF.search(gap) and not _AT.search(gap):
                    # ("… của X tại công văn số A; Y tại công văn số B": B is Y's, not X's)
                    r.body = carrier.body
            if id(r) in self.body_before_ids:
                carrier = r
            previous = r

    @staticmethod
    def _local_tu(ref: Reference) -> None:
        """"13-NQ/TƯ của Tỉnh ủy": a provincial committee whose "TU" is printed "TƯ" (read as
        the centre's TW) is the province's: the body the text names decides."""
        if (ref.kind == "party" and ref.issuer == "TW" and ref.body is not None
                and _LOCAL_COMMITTEE.search(ref.body) and "Ư" in ref.surface.upper()
                and ref.resolved_from is None):
            ref.id = ref.id[:-2] + "TU"
            ref.issuer = "TU"

    def run_table(self, table: Table, index: int) -> list[Reference]:
        refs: list[Reference] = []
        offset = 0
        for row in table.rows:
            for cell in row:
                for ref in self.run(cell, f"table:{index}"):
                    refs.append(replace(ref, start=ref.start + offset, end=ref.end + offset))
                offset += len(cell) + 1  # the tab or newline after the cell
        return refs

    def _candidate(self, text: str, m: re.Match[str], limit: int, where: str) -> list[Reference]:
        if m.group("plenum") is not None or m.group("congress") is not None:
            return self._plenum(text, m, limit, where)
        if m.group("short") is not None:
            ref = self._short(text, m, limit, where)
            return [ref] if ref is not None else []
        # The type word before the number ("Quyết định số"), looked up once per candidate.
        word = self.g.type_before.search(text, max(0, m.start() - _TYPE_WINDOW), m.start())
        needs_word = any(m.group(k) is not None for k in ("o_code", "sp_code", "g_code"))
        if needs_word and word is None:
            # "31A-6247", "2 - KT": a code with no type word before it is no document number.
            return []
        if m.group("num") is not None and self._own_number(text, m, word is None):
            # "Số: 1209/QĐ-UBND" at the start of a line (a letterhead), "Số hiệu: 186/QĐ-UBND"
            # (a page's fields): the document's own number, no citation.
            return []
        ref = self._numbered(m, where)
        self._type_word(word, ref)
        self._tail(text, ref.end, limit, ref)
        self._before(text, ref, word)
        self._remember(ref)
        return [ref]

    @staticmethod
    def _own_number(text: str, m: re.Match[str], no_word: bool) -> bool:
        """"Số: 1209/QĐ-UBND" at the start of a line (a letterhead), "Số hiệu: 186/QĐ-UBND" (a
        page's fields), "Số 445-KL/TƯ" alone on its line: the document's own number."""
        own = _OWN_NUMBER.search(text, max(0, m.start() - 24), m.start())
        if own is None:
            # "THÔNG TƯ LIÊN TỊCH CỦA … SỐ 54/1999/TTLT-BTCCBCP-BTC NGÀY …": the document's own
            # title printed in capitals, the body between its type and "SỐ" ("NGHỊ QUYẾT SỐ
            # 57-NQ/TW" in a title cites it)
            if no_word and _CAPS_SO.search(text, max(0, m.start() - 6), m.start()):
                start = text.rfind("\n", 0, m.start()) + 1
                end = text.find("\n", m.end())
                line = text[start:end if end >= 0 else len(text)]
                return line == line.upper()
            return False
        if own.group("colon"):
            return True
        if own.group("so")[0] != "S":  # a letterhead capitalises it; "số 08B-NQ/HNTW" in a line
            return False
        line_end = text.find("\n", m.end())
        return not text[m.end():line_end if line_end >= 0 else len(text)].strip()

    # -- numbered forms ----------------------------------------------------------------------

    def _numbered(self, m: re.Match[str], where: str) -> Reference:
        g = self.g
        base = {"surface": m.group(0), "start": m.start(), "end": m.end(), "where": where}
        if m.group("num") is not None:
            num = canonical_number(m.group("num"))
            if m.group("p_type") or m.group("m_type"):
                pre = "p" if m.group("p_type") else "m"
                code = g.type_codes[fold(m.group(f"{pre}_type"))]
                issuer = self._party_issuer(m.group(f"{pre}_iss"))
                return Reference(id=f"{num}-{code}/{issuer}", kind="party", type=code,
                                 number=num, issuer=issuer, **base)
            if m.group("o_code") or m.group("sp_code"):
                return self._coded(num, m.group("o_code") or m.group("sp_code"), base)
            if m.group("g_code"):
                codes = [c for c in _DASHES.split(m.group("g_code")) if c]
                issuer = self._state_issuer(codes[0])
                ref_id = f"{num}/" + "-".join([issuer, *codes[1:]])
                return Reference(id=ref_id, kind="state", number=num, issuer=issuer, **base)
            if m.group("u_type"):  # "180/2007/NQQ-CP": a type code nobody knows, as printed
                issuer = self._state_issuer(m.group("u_iss"))
                year = int(m.group("year"))
                return Reference(id=f"{num}/{year}/{m.group('u_type')}-{issuer}", kind="state",
                                 number=num, year=year, issuer=issuer, **base)
            if m.group("n_type") or m.group("jy_type"):
                pre = "n" if m.group("n_type") else "jy"
                code = g.type_codes[fold(m.group(f"{pre}_type"))]
                issuer = self._state_issuer(m.group(f"{pre}_iss"))
                year = int(m.group("year"))
                return Reference(id=f"{num}/{year}/{code}-{issuer}", kind="state", type=code,
                                 number=num, year=year, issuer=issuer, **base)
            if m.group("l_iss"):
                issuer = m.group("l_iss").upper() + m.group("l_leg")
                year = int(m.group("year"))
                return Reference(id=f"{num}/{year}/{issuer}", kind="state", number=num,
                                 year=year, issuer=issuer, **base)
            if m.group("c_iss"):
                issuer = self._state_issuer(m.group("c_iss"))
                unit = m.group("c_unit")
                ref_id = f"{num}/{issuer}-{unit.upper() if unit.islower() else unit}"
                return Reference(id=ref_id, kind="state", type="CV", number=num,
                                 issuer=issuer, **base)
            code = g.type_codes[fold(m.group("s_type") or m.group("j_type"))]
            issuer = self._state_issuer(m.group("s_iss") or m.group("s_iss2") or m.group("j_iss"))
            return Reference(id=f"{num}/{code}-{issuer}", kind="state", type=code, number=num,
                             issuer=issuer, **base)
        if m.group("q_num") is not None:
            prefix = m.group("q_pre").upper()
            ref_id = f"{prefix} {m.group('q_num')}"
            year = int(m.group("q_year")) if m.group("q_year") else None
            if year:
                ref_id += f":{year}"
            issuer = None
            if m.group("q_iss"):
                issuer = self._state_issuer(m.group("q_iss"))
                ref_id += f"/{issuer}"
            return Reference(id=ref_id, kind="standard", type=prefix, number=m.group("q_num"),
                             year=year, issuer=issuer, **base)
        number = m.group("i_num")
        joint = "IEC" in m.group("i_pre") or int(number.split("-")[0]) in g.iso_iec
        prefix = "ISO/IEC" if joint else "ISO"
        year = int(m.group("i_year")) if m.group("i_year") else None
        ref_id = f"{prefix} {number}" + (f":{year}" if year else "")
        return Reference(id=ref_id, kind="standard", type=prefix, number=number, year=year,
                         issuer=prefix, **base)

    def _state_issuer(self, written: str) -> str:
        written = _DASHES.sub("-", _SPACES.sub(" ", written).strip())
        parts = written.split("-")
        known = [self.g.state_issuers.get(fold(p)) for p in parts]
        if written.islower():  # "ubbt" in a title printed in lower case
            parts = [p.upper() for p in parts]
        return "-".join(k or p for k, p in zip(known, parts, strict=True))

    def _party_issuer(self, written: str) -> str:
        written = _SPACES.sub("", written)
        return self.g.party_issuers.get(fold(written), written)

    def _coded(self, num: str, written: str, base: dict[str, object]) -> Reference:
        """"35-HĐBT", "297-CT", "709-BNV/HCĐP", "24-NQ/UBND", "43 TC/QLCS", "05 CT/TW": a number
        and codes in capitals after a dash (or a space). A party type and issuer make a party
        number; anything else is a state (or older) number kept as written."""
        codes = [c for c in re.split(r"\s*/\s*", written.strip()) if c]
        g = self.g
        if (len(codes) == 2 and fold(codes[0]) in g.party_type_codes
                and g.party_issuer_re.match(codes[1])):
            code = g.type_codes[fold(codes[0])]
            issuer = self._party_issuer(codes[1])
            return Reference(id=f"{num}-{code}/{issuer}", kind="party", type=code, number=num,
                             issuer=issuer, **base)  # type: ignore[arg-type]
        type_code = g.type_codes.get(fold(codes[0])) if len(codes) > 1 else None
        issuer = self._state_issuer(codes[-1] if len(codes) > 1 else codes[0])
        return Reference(id=f"{num}-" + "/".join(codes), kind="state", type=type_code,
                         number=num, issuer=issuer, **base)  # type: ignore[arg-type]

    def _type_word(self, m: re.Match[str] | None, ref: Reference) -> None:
        """The type word right before the number ("Quy định số 37-QĐ/TW") names the type."""
        word_name = self.g.names.get(fold(m.group("word"))) if m else None
        code_name = self.g.code_names.get(ref.type or "")
        if word_name is None or ref.kind == "standard":
            ref.type_name = code_name
            return
        word_code = self.g.name_to_code.get(word_name)
        if ref.type is None:  # a law number says nothing of its type: the word does
            ref.type = word_code
            ref.type_name = word_name
        elif word_code == ref.type or (word_name == "Quy định" and ref.type in ("QĐ", "QĐi")):
            ref.type_name = word_name
        elif word_code is None:  # "văn bản số 870-CV/ĐU": a generic word
            ref.type_name = code_name
        else:  # the word contradicts the number ("Nghị quyết 21-KL/TW"): trust the number
            ref.type_name = code_name

    def _before(self, text: str, ref: Reference, word: re.Match[str] | None) -> None:
        """Date and body written before the number: "Ngày 22/12/2024, Bộ Chính trị đã ban hành
        Nghị quyết số 57-NQ/TW", "Ban Thường vụ Tỉnh uỷ ra Nghị quyết số 12-NQ/TU", "đề nghị
        của Sở Tài chính tại Tờ trình số 47/STC-NS", "các Nghị định của Chính phủ số 181/…"."""
        if ref.date is not None and ref.body is not None:
            return
        if word is None:
            return
        described = self._described(text, word.start())
        if described is not None and described[0] in (ref.type_name, self.g.names.get(
                fold(word.group("word")))):
            ref.body = ref.body or described[1]
            ref.date = ref.date or described[2]
            if ref.date is not None and ref.year is None:
                ref.year = int(ref.date[:4])
        if ref.body is None and (of := self.g.of_body_before.search(
                text, word.start("word"), ref.start)) is not None:
            ref.body = self._canonical_body(of.group("body"))
            self.body_before_ids.add(id(ref))
        if ref.body is None and _LIST_INTRO.search(
                text, max(0, word.start() - 12), word.start()) and (
                lb := self.g.list_body_before.search(
                text, _clause_start(text, max(0, word.start() - _DATE_WINDOW), word.start()),
                word.start())) is not None:
            # "04 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số 59-NQ/TW, …" (shared on)
            ref.body = self._canonical_body(lb.group("body"))
            self.body_before_ids.add(id(ref))
        start = _clause_start(text, max(0, word.start() - _DATE_WINDOW), word.start())
        if ref.date is None:
            m = self.g.date_before.search(text, start, word.start())
            if m is not None and (iso := parse_date(m.group("date"))) is not None:
                ref.date, ref.year = iso, ref.year or int(iso[:4])
                if ref.body is None and m.group("body"):
                    ref.body = self._canonical_body(m.group("body"))
                    self.body_before_ids.add(id(ref))
        if ref.body is None:
            central = (self.g.central_before.search(text, start, word.start())
                       if _central_hint(text, start, word.start()) else None)
            if central is not None:
                ref.body = (self._canonical_body(central.group("central_body"))
                            if central.group("central_body") else "Ban Chấp hành Trung ương")
                self.body_before_ids.add(id(ref))
                return
            end = word.start()
            m = (self.g.body_before.search(text, start, end)
                 if self.g.body_before_end.search(text, max(start, end - _VERB_TAIL), end)
                 else None)
            if m is not None:
                body = _clean(m.group("body") or m.group("body2") or m.group("body3"))
                if (holder := self.g.holder_name.fullmatch(body)) is not None:
                    # "Chủ tịch UBND TP Nguyễn Thế Thảo đã ký ban hành": the holder's name
                    body = holder.group("office")
                ref.body = self._canonical_body(body)
                self.body_before_ids.add(id(ref))

    def _described(self, text: str, at: int) -> tuple[str | None, str, str | None] | None:
        """A number in brackets that names the document its sentence described: "Ngày 17/10/2025,
        … ký ban hành Kết luận của Bộ Chính trị, Ban Bí thư về … (Kết luận số 200-KL/TW)".
        `at`: where the type word (or the number) after the bracket starts. Returns the type
        name, the body and the date (or None) of "ban hành <type> của <body>"."""
        g = self.g
        po = g.paren_open.search(text, max(0, at - 40), at)
        if po is None:
            return None
        paren = po.start()
        start = max(0, paren - _DESCRIBED_WINDOW)
        for m in _SENTENCE_END.finditer(text, start, paren):
            start = m.end()
        start = max(start, text.rfind("\n", start, paren) + 1)
        issued = None
        for match in g.issued_of.finditer(text, start, paren):
            issued = match  # the last one before the bracket
        if issued is None:
            return None
        date = None
        for d in g.date_comma.finditer(text, start, issued.start()):
            date = parse_date(d.group("date"))
        return (g.names.get(fold(issued.group("word"))),
                self._canonical_body(issued.group("body")), date)

    # -- attributes after a mention ------------------------------------------------------------

    def _tail(self, text: str, pos: int, limit: int, ref: Reference) -> None:
        g = self.g
        for _ in range(_TAIL_STEPS):
            p = _SKIP.match(text, pos, limit).end()
            if ref.date is None and (d := match_date(text, p, need_day_word=True)) is not None:
                if d.end <= limit:
                    ref.date = d.iso
                    if ref.year is None:
                        ref.year = d.year
                    pos = self._close(text, d.end, limit)
                    continue
            if ref.date is None and "(" in text[pos:pos + 3] and (
                    pd := g.paren_date.match(text, pos, limit)) is not None:
                # "Nghị quyết 24 của Bộ Chính trị (16-10-1990)"
                iso = parse_date(pd.group("date"))
                if iso is not None:
                    ref.date, ref.year = iso, ref.year or int(iso[:4])
                    pos = pd.end()
                    continue
            if ref.body is None and text[p:p + 1] in _PASSIVE_INITIALS and (
                    pb := g.passive_body.match(text, p, limit)) is not None:
                # "… được Chính phủ ban hành ngày 6-3-2009"
                ref.body = self._canonical_body(pb.group("body"))
                if ref.date is None and pb.group("date"):
                    iso = parse_date(pb.group("date"))
                    if iso is not None:
                        ref.date, ref.year = iso, ref.year or int(iso[:4])
                pos = pb.end()
                continue
            if ref.date is None and text[p:p + 1] in "bBkK" and (
                    io := g.issued_on.match(text, p, limit)) is not None:
                # "… của Bộ Chính trị ban hành ngày 15/2/2012"
                iso = parse_date(io.group("date"))
                if iso is not None:
                    ref.date, ref.year = iso, ref.year or int(iso[:4])
                    pos = io.end()
                    continue
            if ref.date is None and ref.year is None and (y := match_year(text, p)) is not None:
                if y.end <= limit:
                    ref.year = y.year
                    pos = y.end
                    continue
            if ref.body is None and (of := g.of_word.match(text, p, limit)) is not None:
                if (pl := g.plenum_tail.match(text, of.end(), limit)) is not None:
                    # "Nghị quyết 26 của Hội nghị Trung ương 7": the Central Committee
                    ref.body = "Ban Chấp hành Trung ương"
                    pos = pl.end()
                    continue
                body = self._body_at(text, of.end(), limit)
                if body is not None:
                    ref.body = self._canonical_body(body.group("body"))
                    pos = body.end()
                    continue
            if (pl := g.plenum_tail.match(text, p, limit)) is not None:
                if ref.body is None:
                    ref.body = "Ban Chấp hành Trung ương"
                pos = pl.end()
                continue
            if ref.term is None and (t := g.term_tail.match(text, p, limit)) is not None:
                ref.term = _terms(t.group("terms"))[0]
                pos = t.end()
                continue
            if ref.title is None:
                title = g.quoted_title.match(text, p, limit) or g.title.match(text, p, limit)
                if title is not None:
                    ref.title = _title(title.group("title"))
            break
        self.tail_end[id(ref)] = pos

    @staticmethod
    def _close(text: str, pos: int, limit: int) -> int:
        m = _CLOSE.match(text, pos, limit)
        return m.end() if m else pos

    def _canonical_body(self, written: str) -> str:
        written = _DOUBLED.sub(r"\1", _clean(written))  # "của Chính phủ Chính phủ": a typo
        return self.g.bodies.get(fold(written), written)

    def _body_at(self, text: str, pos: int, limit: int) -> re.Match[str] | None:
        """The body named at `pos`: a known spelling or a name as written, whichever is longer
        ("Uỷ ban nhân dân tỉnh Kiên Giang", not "Uỷ ban nhân dân tỉnh")."""
        known = self.g.body.match(text, pos, limit)
        lower = False
        if text[pos:pos + 1].islower():  # (a name printed in capitals starts one)
            end = min(limit, pos + 160)  # a body name is shorter than this
            line_end = text.find("\n", pos, end)
            line = text[pos:line_end if line_end >= 0 else end]
            lower = line == line.lower()
        # A title printed in lower case ("… của uỷ ban nhân dân thành phố đà nẵng"): its names
        # are in lower case too.
        written = (self.g.generic_body_lower.match(text, pos, pos + len(line)) if lower
                   else self.g.generic_body.match(text, pos, limit))
        if known is not None and not lower and (written is None or written.end() <= known.end()) \
                and known.group("body")[:1].islower() and _PROPER_NAME.match(text, known.end()):
            # "của uỷ ban nhân dân tỉnh Hậu Giang": a head in lower case, then a proper name
            written = self.g.generic_body_lower.match(text, pos, limit)
        if written is None or (known is not None and written.end() <= known.end()):
            return known
        if known is not None and not lower and not _PROPER_NAME.match(
                text, known.end(), written.end()):
            # "Bộ Chính trị cần đi …": a known body goes on only with a name ("UBND tỉnh An
            # Giang"), never with the words of the sentence.
            return known
        return written

    # -- plenum and congress resolutions --------------------------------------------------------

    def _plenum(self, text: str, m: re.Match[str], limit: int, where: str) -> list[Reference]:
        base = {"surface": m.group(0), "start": m.start(), "end": m.end(), "where": where,
                "type": "NQ", "type_name": "Nghị quyết"}
        if m.group("congress") is not None:
            term = _roman(m.group("c_term"))
            return [Reference(id=f"NQDH-{term}", kind="plenum", term=term, **base)]
        if m.group("pl_roman") is not None:  # "Hội nghị Trung ương VIII": plenum 8, no term
            number = _ARABIC[m.group("pl_roman")]
            return [Reference(id=f"NQTW{number}", kind="plenum",
                              body="Ban Chấp hành Trung ương", **base)]
        written = m.group("pl_no1") or m.group("pl_no2") or m.group("pl_no3")
        numbers = [self._plenum_number(n) for n in re.split(r"\s*(?:,|và|&)\s*", written)]
        terms = _terms(m.group("terms")) if m.group("terms") else []
        refs: list[Reference] = []
        for number in numbers:
            if terms:
                self.plenum_terms.setdefault(number, set()).update(terms)
                here = terms
                resolved_from = None
            else:
                # "Nghị quyết TW 4" after "Nghị quyết Trung ương 4 khóa XII": the same one.
                known = self.plenum_terms.get(number, set())
                here = [next(iter(known))] if len(known) == 1 else [None]
                resolved_from = m.group(0) if here[0] is not None else None
            for term in here:
                ref_id = f"NQTW{number}" + (f"-{term}" if term else "")
                refs.append(Reference(id=ref_id, kind="plenum", term=term,
                                      body="Ban Chấp hành Trung ương",
                                      resolved_from=resolved_from, **base))
        return refs

    def _plenum_number(self, written: str) -> int:
        written = written.strip()
        return int(written) if written.isdigit() else self.g.ordinals[fold(written)]

    # -- short forms ------------------------------------------------------------------------------

    def _short(self, text: str, m: re.Match[str], limit: int, where: str) -> Reference | None:
        g = self.g
        name = g.names[fold(m.group("sh_word"))]
        written_num = m.group("sh_num")
        number = _number_key(written_num)
        surface = m.group(0)
        antecedent = self.antecedents.get((name, number))
        after = m.end()
        month_year = _MONTH_YEAR.match(text, after, limit)
        if month_year is not None:
            after = month_year.end()
        central_after = g.central_body_after.match(text, after, limit)
        if central_after is None and (d := match_date(
                text, _SKIP.match(text, after, limit).end(), need_day_word=True)) is not None:
            # "Nghị quyết số 37 ngày 9/10/2014 của Bộ Chính trị"
            central_after = g.central_body_after.match(text, d.end, limit)
        central = central_after is not None
        before = None
        if not central:
            start = _clause_start(text, max(0, m.start() - _DATE_WINDOW), m.start())
            before = (g.central_before.search(text, start, m.start())
                      if _central_hint(text, start, m.start()) else None)
        code = g.name_to_code.get(name)
        described = None
        if not central and before is None:
            # "… ký ban hành Chỉ thị của Bộ Chính trị về … (Chỉ thị 01)"
            described = self._described(text, m.start())
            if described is None or described[0] != name or not (
                    set(described[1].split(", ")) & _CENTRAL_BODIES):
                described = None
        if antecedent is not None:
            ref = replace(antecedent, surface=surface, start=m.start(), end=m.end(),
                          where=where, resolved_from=surface)
            return ref
        if (central or before is not None or described is not None) and code is not None:
            # "Nghị quyết số 21 Hội nghị Trung ương 5 khóa XIII", "Hội nghị Trung ương 8 đã ra
            # Nghị quyết 8B": a central party document (the registry knows its real issuer code
            # when it is not TW: 8B-NQ/HNTW).
            num = canonical_number(written_num)
            ref = Reference(id=f"{num}-{code}/TW", kind="party", surface=surface,
                            start=m.start(), end=m.end(), where=where, type=code, number=num,
                            issuer="TW", type_name=name)
            self._tail(text, after, limit, ref)
            if ref.year is None and month_year is not None:
                ref.year = int(month_year.group("year"))
            if described is not None:
                ref.body = ref.body or described[1]
                ref.date = ref.date or described[2]
            if ref.body is None and central_after is not None \
                    and central_after.group("central_after") is not None:
                # "Nghị quyết 20 Ban Chấp hành Trung ương Đảng khóa X": named right after it
                ref.body = self._canonical_body(central_after.group("central_after"))
            if ref.date is None:
                # "Ngày 18-10-1977, Ban Bí thư … ban hành Chỉ thị số 21"
                start = _clause_start(text, max(0, m.start() - _DATE_WINDOW), m.start())
                dm = g.date_before.search(text, start, m.start())
                if dm is not None and (iso := parse_date(dm.group("date"))) is not None:
                    ref.date, ref.year = iso, int(iso[:4])
            if before is not None and ref.body is None:
                ref.body = (self._canonical_body(before.group("central_body"))
                            if before.group("central_body") else "Ban Chấp hành Trung ương")
            entry = self.registry.short_form(name, written_num)
            if entry is not None and entry.kind == "party" and entry.id.split("-", 1)[0] == num:
                ref.id = entry.id
                ref.issuer = entry.id.rsplit("/", 1)[-1]
            self._remember(ref)
            return ref
        if self._names_other_issuer(text, after, limit):
            return None
        entry = self.registry.short_form(name, written_num)
        if entry is None:
            return None
        # The registry is trusted only when the citation says something that fits: its date or
        # year, or its term. "25 năm Chỉ thị 05" (a provincial directive) is not 05-CT/TW.
        probe = Reference(id=entry.id, kind="state", surface=surface, start=m.start(),
                          end=m.end())
        self._tail(text, after, limit, probe)
        if probe.year is None and month_year is not None:
            probe.year = int(month_year.group("year"))
        fits = (probe.date is not None and probe.date == entry.date) or (
            probe.year is not None and probe.year == entry.year) or (
            probe.term is not None and probe.term == entry.term)
        if not fits:
            return None
        num = canonical_number(written_num)
        issuer = None
        if entry.kind == "party":
            issuer = entry.id.rsplit("/", 1)[-1]
        elif "-" in entry.id:
            issuer = entry.id.rsplit("-", 1)[-1]
        year = int(entry.id.split("/")[1]) if entry.id.count("/") == 2 else None
        return Reference(id=entry.id, kind=entry.kind, surface=surface, start=m.start(),  # type: ignore[arg-type]
                         end=m.end(), where=where, type=entry.type, number=num,
                         year=probe.year or year, issuer=issuer, type_name=name,
                         resolved_from=surface, date=probe.date, term=probe.term)

    def _names_other_issuer(self, text: str, pos: int, limit: int) -> bool:
        p = _SKIP.match(text, pos, limit).end()
        return self.g.of_word.match(text, p, limit) is not None

    def _remember(self, ref: Reference) -> None:
        if ref.kind not in ("party", "state") or ref.number is None:
            return
        number = _number_key(ref.number)
        names = {ref.type_name, self.g.code_names.get(ref.type or "")}
        if ref.type == "QĐ" and ref.type_name is None:
            names |= {"Quy định", "Quyết định"}
        if ref.type == "QĐi":
            names.add("Quy định")
        for name in names - {None}:
            self.antecedents[(name, number)] = ref  # type: ignore[index]


def _terms(written: str) -> list[str]:
    return [_roman(t) for t in re.split(r"[\s,–-]+|\bvà\b", written) if t]


def _title(written: str) -> str:
    title = _clean(written).rstrip(" ,:")
    if len(title) > _TITLE_MAX:
        title = title[:_TITLE_MAX].rsplit(" ", 1)[0] + " …"
    return title

