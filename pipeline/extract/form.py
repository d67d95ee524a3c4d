"""The printed form of a party document, read before its outline.

Quy định 66-QĐ/TW (2017) and Hướng dẫn 36-HD/VPTW (2018) fix the form: the issuing body under
its parent ("ĐẢNG BỘ TỈNH X" / "CHI BỘ Y"), "ĐẢNG CỘNG SẢN VIỆT NAM", the number and symbol
("Số 12-BC/CB"), place and date, the type name ("BÁO CÁO", "NGHỊ QUYẾT", "THAM LUẬN") and the
summary line(s), the body, the signature block ("T/M CHI BỘ", "BÍ THƯ", the name) and "Nơi nhận".

The readers deliver these blocks one after another whatever the layout: a DOCX title table is
read cell by cell, a PDF's side-by-side columns left part first, a TXT file line by line. So
the parser works on the sequence of blocks, not on geometry: the letterhead is the run of short
lines before the type name, the signature is the run of short lines at the end anchored by a
role ("T/M ...") or "Nơi nhận". A DOCX signature laid out as a table stays a table (the reader
keeps tables at the end of a file as data): its cells are read here too.

Nothing is guessed: a field the form does not state, or states in a way the parser cannot
read, is None, with a warning when the form was there but unreadable.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from pipeline.data import load_yaml
from pipeline.extract.dates import DATE_PATTERN, match_date
from pipeline.ingest.normalize import fold_same_length as fold
from pipeline.ingest.numbering import is_bullet, numbering_scheme
from pipeline.model import Document, Meta, Table
from pipeline.nlp.outline import is_term_line

__all__ = ["DocumentForm", "apply_form", "parse_form"]

_HEAD_BLOCKS = 24  # the letterhead and title are within the first blocks
_TAIL_BLOCKS = 24  # the signature and recipients within the last
_SHORT_WORDS = 22  # a form line is short; a body paragraph is not
_TITLE_LINES = 6
_SUMMARY_WORDS = 30  # a summary line in sentence case is one phrase

# "Số 12-BC/CB", "Số: 125 -NQ/ĐU", "Số -/ĐU" (blank number of a template).
_NUMBER = re.compile(r"^\s*(?:số|so)\s*[:.]?\s*(?P<code>[^\s,;]*(?:\s*[-–]\s*[\w/.Đđ-]+)?)", re.I)
_CODE = re.compile(r"^\d+[A-Za-z]?\s*[-–/]\s*[\w/.\-–Đđ]+$")
_DATELINE = re.compile(
    r"(?P<place>[^\d,;:()]{2,40}?(?:\s\d{1,3})?)\s*,\s*(?i:ngày|ngay)\s+(?P<date>" + DATE_PATTERN
    + "|" + r"(?:[.…_]+\s*)?(?i:tháng|thang)\s*(?:[.…_]+|\d{1,2})?\s*(?i:năm|nam)\s*\d{4}" + ")")
# A place may end with its number ("Quận 12, ngày 20 tháng 12 năm 1997"); a draft leaves the day
# (or the month) blank until it is signed ("Mỹ Hưng, ngày   tháng 01 năm 2015"): still the date
# line, its date unreadable (a warning, never a guess).
_BLANK_DAY = re.compile(r"(?i:ngày|ngay)[\s.…_]{2,}(?i:tháng|thang)(?:[\s.…_]{2,}(?i:năm|nam))?")
_DATE_START = re.compile(r",\s*(?i:ngày|ngay)\s+\d")
_PAREN_SUMMARY = re.compile(r"nhiem ky|trinh|khoa|lan thu|du thao")
_STARS = re.compile(r"^[\s*\-–—_=.·•~]+$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\.?$")


@dataclass
class DocumentForm:
    """What the form of a document says, and which blocks hold it (indices into
    `Document.blocks`). Fields are None (lists empty) where the form does not say."""

    issuer: str | None = None
    parent: str | None = None
    number: str | None = None
    place: str | None = None
    date: str | None = None  # YYYY-MM-DD
    type_name: str | None = None  # "BÁO CÁO CHÍNH TRỊ", "NGHỊ QUYẾT", "THAM LUẬN"
    type_doc: str | None = None  # the doc_type the type name implies (data/form.yaml)
    title: str | None = None  # type name and summary lines joined
    signer: str | None = None
    signer_role: str | None = None  # "T/M CHI BỘ, BÍ THƯ"
    recipients: list[str] = field(default_factory=list)
    draft: bool = False
    motto: bool = False  # "ĐẢNG CỘNG SẢN VIỆT NAM" printed: a party document's letterhead
    letterhead_blocks: list[int] = field(default_factory=list)
    title_blocks: list[int] = field(default_factory=list)
    signature_blocks: list[int] = field(default_factory=list)
    recipient_blocks: list[int] = field(default_factory=list)
    signature_table: int | None = None  # index into Document.tables
    warnings: list[str] = field(default_factory=list)

    @property
    def form_blocks(self) -> set[int]:
        """Every block that is form, not body: the outline skips them."""
        return {*self.letterhead_blocks, *self.title_blocks, *self.signature_blocks,
                *self.recipient_blocks}

    @property
    def found(self) -> bool:
        return bool(self.letterhead_blocks or self.title_blocks or self.signature_blocks)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- vocabulary ----------------------------------------------------------------------------


@cache
def _vocab() -> dict[str, Any]:
    data = dict(load_yaml("form.yaml"))
    data["_types"] = sorted(data["type_names"], key=lambda t: len(t["words"]), reverse=True)
    return data


def _starts(folded: str, words: list[str]) -> str | None:
    for w in words:
        if folded == w or folded.startswith(w) and not folded[len(w):len(w) + 1].isalnum():
            return w
    return None


def _f(text: str) -> str:
    # "ð" (eth) is typed or converted for "đ" in old files ("Quyết ðịnh").
    return " ".join(fold(text).replace("ð", "d").split()).strip(" :")


def _is_motto(text: str) -> bool:
    return _f(text).strip(" .-*") in _vocab()["motto_lines"]


def _issuer_head(text: str) -> bool:
    return _starts(_f(text), _vocab()["issuer_heads"]) is not None


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _words(text: str) -> int:
    return len(text.split())


# -- the parser ----------------------------------------------------------------------------


def parse_form(document: Document) -> DocumentForm:
    """The letterhead, title, signature and recipients of `document` (see the module doc)."""
    form = DocumentForm()
    texts = [b.text.strip() for b in document.blocks]
    title_at = _find_title(texts)
    head_end = title_at if title_at is not None else _letterhead_run_end(texts)
    _letterhead(texts, head_end, form)
    if title_at is None and form.letterhead_blocks:
        title_at = _title_under_letterhead(texts, max(form.letterhead_blocks) + 1)
    tail = _title_after_date(texts, form.letterhead_blocks) if title_at is None else None
    if tail is not None:
        # A plain-text reader joined the date line and the type name ("Hà Nội, ngày ... 2025
        # THAM LUẬN"): the title starts inside that block.
        title_at, first = tail
        form.letterhead_blocks.remove(title_at)
        _title(texts, title_at, form, first)
    elif title_at is not None:
        _title(texts, title_at, form)
    body_from = (form.title_blocks[-1] + 1 if form.title_blocks
                 else max(form.letterhead_blocks, default=-1) + 1)
    _signature(texts, body_from, form)
    _signature_table(document, form)
    return form


def _type_of(text: str) -> dict[str, Any] | None:
    """The type name a title line begins with, when the line is printed as a title."""
    folded = _f(text)
    for entry in _vocab()["_types"]:
        w = entry["words"]
        if folded == w or folded.startswith(w + " ") or folded.startswith(w + ":"):
            rest = text.strip()[len(w):]
            # "BÁO CÁO CHÍNH TRỊ" / "Báo cáo chính trị của ..." / "NGHỊ QUYẾT ĐẠI HỘI": the name
            # is in capitals; "Báo cáo kết quả ..." in sentence case is a body sentence.
            head = text.strip()[:len(w)]
            if is_caps(head) and (_words(text) <= 30 or is_caps(rest)):
                return entry
    return None


def _find_title(texts: list[str]) -> int | None:
    first = True
    for i, text in enumerate(texts[:_HEAD_BLOCKS]):
        if not text:
            continue
        if _type_of(text) is not None and not text.rstrip().endswith((".", ";")):
            return i
        if first and _sentence_title(texts, i):
            return i
        first = False
        if _words(text) > 25 and text.rstrip()[-1:] in ".:;!?":
            break  # prose: the body (or a web page's article) has begun
    return None


def _title_under_letterhead(texts: list[str], start: int) -> int | None:
    """Under a letterhead, the first line is the title when it begins with a type name, in
    whatever case ("Báo cáo kiểm điểm của Ban Chấp hành ... (Từ 1/4/1997 đến tháng 12/1997)"):
    the letterhead already shows a document, not an article, follows."""
    i = next((k for k in range(start, min(len(texts), start + 3)) if texts[k]), None)
    if i is None:
        return None
    text = texts[i]
    folded = _f(text)
    if not text[:1].isupper() or _words(text) > _SUMMARY_WORDS or \
            text.rstrip().endswith((".", ":", ";", ",")):
        return None
    words = [e["words"] for e in _vocab()["_types"]]
    return i if any(folded == w or folded.startswith(w + " ") for w in words) else None


def _sentence_title(texts: list[str], i: int) -> bool:
    """A title in sentence case on the first line ("Quyết định về việc ...", "Kế hoạch tổ chức
    Đại hội ..."), as databases and web pages print it, when a document follows."""
    text = texts[i]
    folded = _f(text)
    vocab = _vocab()
    entry = next((e for e in vocab["_types"] if folded.startswith(e["words"] + " ")), None)
    if entry is None or _words(text) > 100 or not text[:1].isupper():
        return False
    if _starts(folded, vocab["title_alone"]) is not None:
        return True
    if any(f" {m} " in f" {folded} " for m in vocab.get("title_markers", [])):
        return True  # "Chỉ thị của Chủ tịch UBND tỉnh về việc ...": a document's summary
    for t in [t for t in texts[i + 1:i + 6] if t][:4]:
        if (_starts(_f(t).lstrip("-+ "), vocab["document_openings"]) is not None
                or (_issuer_head(t) and _words(t) <= 12) or _type_of(t) is not None
                or numbering_scheme(t) is not None):
            return True
        if _words(t) > 25 and t.rstrip()[-1:] in ".:;!?":
            return False  # a prose lead: an article follows its headline
    return False


def _is_letterhead_line(text: str) -> bool:
    if is_caps(text) and _headline(text):
        return False
    parts = _columns(text)
    if len(parts) > 1:
        return all(_is_letterhead_line(p) for p in parts)
    f = _f(text)
    return (_is_motto(text) or bool(_STARS.match(text)) or _NUMBER.match(text) is not None
            or _DATELINE.search(text) is not None or f.strip("() ") == "du thao"
            or (_issuer_head(text) and is_caps(text) and _words(text) <= 14
                and not _headline(text)))


def _headline(text: str) -> bool:
    """A line in capitals that reports an event ("... TỔ CHỨC ĐẠI HỘI ..."): a headline."""
    f = _f(text)
    return any(re.search(rf"(?<!\w){re.escape(v)}(?!\w)", f)
               for v in _vocab().get("headline_verbs", []))


def _letterhead_run_end(texts: list[str]) -> int:
    """Without a type name: the run of letterhead lines the document opens with."""
    end = 0
    dated = False
    for i, text in enumerate(texts[:_HEAD_BLOCKS]):
        if not text:
            continue
        if dated and not (_NUMBER.match(text) or _STARS.match(text)
                          or _left_column_rest(texts, i)):
            break  # the place and date close the letterhead: a capital line after it is a title
        if _is_letterhead_line(text) or (end == i and i > 0 and is_caps(text)
                                         and _words(text) <= 8 and _continues_issuer(texts, i)):
            end = i + 1
            dated = dated or (len(_columns(text)) == 1 and _DATELINE.search(text) is not None)
        else:
            break
    # Capital names alone open web pages and headlines too ("ĐẠI HỘI CHI BỘ TRƯỜNG ..."): a
    # letterhead shows the motto, the place and date, its "*" or its number.
    anchored = any(_is_motto(t) or _DATELINE.search(t) or _STARS.match(t) or _NUMBER.match(t)
                   or len(_columns(t)) > 1 for t in texts[:end] if t)
    return end if anchored else 0


def _left_column_rest(texts: list[str], i: int) -> bool:
    """After the date line, the rest of a taller left column a PDF reader put row by row: the
    body's name, then its "*" or its number within two lines ("QUẬN ỦY QUẬN 12" / "*")."""
    if not (_issuer_head(texts[i]) and is_caps(texts[i]) and _words(texts[i]) <= 14):
        return False
    after = [t for t in texts[i + 1:i + 4] if t][:2]
    return any(_STARS.match(t) or _NUMBER.match(t) for t in after)


def _continues_issuer(texts: list[str], i: int) -> bool:
    return i > 0 and _issuer_head(texts[i - 1]) and not _issuer_head(texts[i])


def _letterhead(texts: list[str], end: int, form: DocumentForm) -> None:
    orgs: list[str] = []
    seen_line = False
    for i in range(end):
        raw = _digits_joined(texts[i])
        if not raw:
            continue
        if _DATE_START.search(raw) and not _DATELINE.search(raw) and i + 1 < end:
            raw = f"{raw} {_digits_joined(texts[i + 1])}"  # a date line wrapped in its column
        parts = _columns(raw)
        used = False
        for part in parts:
            used |= _letterhead_part(part, orgs, form)
        if used:
            form.letterhead_blocks.append(i)
            seen_line = True
        elif _words(raw) <= _SHORT_WORDS and seen_line:
            form.letterhead_blocks.append(i)  # a short line inside the letterhead (a slogan)
    if orgs:
        form.issuer = orgs[-1]
        form.parent = orgs[-2] if len(orgs) >= 2 else None
    elif form.letterhead_blocks and (form.motto or form.number):
        form.warnings.append("form: letterhead without a readable issuing body")


def _columns(text: str) -> list[str]:
    """The parts of a letterhead line: columns a text export kept on one line (3+ spaces, a
    tab), the party's name, and organisation names a reader joined ("ĐẢNG BỘ PHƯỜNG X CHI BỘ
    KHU PHỐ 3": a new name starts at a two-word head such as "CHI BỘ", "ĐẢNG ỦY")."""
    out = []
    # A date left blank to be filled in by hand ("ngày      tháng 02 năm 2025") is no column gap.
    text = _BLANK_DAY.sub(lambda m: " ".join(m.group().split()), text)
    for col in re.split(r"\s{3,}|\t", text):
        for part in _split_motto(col):
            out.extend(_split_names(part) if is_caps(part) else [part])
    return [p for p in out if p]


def _split_names(text: str) -> list[str]:
    heads = [h for h in _vocab()["issuer_heads"] if " " in h]
    folded = fold(text)
    cuts = [0]
    for m in re.finditer(r"\s+", folded):
        rest = folded[m.end():]
        if any(rest.startswith(h + " ") for h in heads) and m.start() > cuts[-1]:
            before = folded[cuts[-1]:m.start()].split()
            if len(before) >= 3:  # "ĐẢNG ỦY KHỐI" is one head, not two names
                cuts.append(m.end())
    return [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


def _digits_joined(text: str) -> str:
    """PDF readers split digits spaced by the font ("Số 1 2-BC/CB", "năm 202 5")."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


def _split_motto(text: str) -> list[str]:
    """A TXT or PDF line holding both columns ("CHI BỘ 1      ĐẢNG CỘNG SẢN VIỆT NAM")."""
    folded = fold(text)
    m = re.search(r"dang cong san viet nam|cong hoa xa hoi chu nghia viet nam", folded)
    if m is None:
        return [text]
    parts = [text[:m.start()], text[m.start():m.end()], text[m.end():]]
    # "Số 12-BC/CB      Hà Nội, ngày ..." stays one part: the number and date rules read it.
    return [p.strip() for p in parts if p.strip()]


def _letterhead_part(text: str, orgs: list[str], form: DocumentForm) -> bool:
    """Read one letterhead line into `form`; False when it is not a letterhead line."""
    f = _f(text)
    if _is_motto(text):
        form.motto = True
        return True
    if _STARS.match(text):
        return True
    if f.strip("() ") == "du thao":
        form.draft = True
        return True
    used = False
    number = _NUMBER.match(text)
    if number is not None:
        used = True
        code = re.sub(r"\s*([-–/])\s*", r"\1", number.group("code")).replace("–", "-")
        if _CODE.match(code):
            form.number = code
        else:
            form.warnings.append(f"form: document number left blank or unreadable: {text[:40]!r}")
    rest = text[number.end():] if number is not None else text
    date = _DATELINE.search(rest)
    if date is not None:
        used = True
        place = date.group("place").strip(" -–")
        parsed = match_date(rest, date.start("date"))
        if parsed is not None and parsed.iso:
            form.date = parsed.iso
            form.place = place or None
        else:
            form.warnings.append(f"form: date line unreadable: {text[:60]!r}")
    if used:
        return True
    if is_caps(text) and _words(text) <= 14:
        if _issuer_head(text):
            orgs.append(" ".join(text.split()))
            return True
        if orgs and not _is_motto(text):
            orgs[-1] = f"{orgs[-1]} {' '.join(text.split())}"  # a name wrapped over two lines
            return True
    return False


def _title_after_date(texts: list[str], blocks: list[int]) -> tuple[int, str] | None:
    for i in blocks:
        date = _DATELINE.search(_digits_joined(texts[i]))
        if date is None:
            continue
        joined = _digits_joined(texts[i])
        parsed = match_date(joined, date.start("date"))
        rest = joined[parsed.end:].strip() if parsed is not None else ""
        if rest and _type_of(rest) is not None:
            return i, rest
    return None


def _title(texts: list[str], at: int, form: DocumentForm, first: str | None = None) -> None:
    vocab = _vocab()
    first = " ".join((first or texts[at]).split())
    entry = _type_of(first) or next(
        e for e in vocab["_types"] if _f(first).startswith(e["words"] + " "))
    form.type_doc = entry["doc_type"]
    form.type_name = first[:len(entry["words"])].strip()
    if fold(form.type_name).startswith("du thao"):
        form.draft = True
    lines = [first]
    form.title_blocks.append(at)
    bare_name = _f(first).strip(" :") == entry["words"]  # "KẾ HOẠCH" alone: its summary follows
    i = at + 1
    while i < len(texts) and len(lines) < _TITLE_LINES:
        text = " ".join(texts[i].split())
        if not text:
            i += 1
            continue
        f = _f(text)
        if _STARS.match(text):
            form.letterhead_blocks.append(i)  # the rule under the title ends it
            break
        if f.strip("() ") in ("du thao", "du thao lan 1", "du thao lan 2"):
            form.draft = True
            form.title_blocks.append(i)
            i += 1
            continue
        if (_starts(f, vocab["body_starts"]) or numbering_scheme(text) is not None
                or is_bullet(text) or _words(text) > 30 or text.endswith((".", ":", ";"))
                and not text.endswith("./.")):
            break
        if f.strip(" .:") in vocab["toc_heads"]:
            break  # "MỤC LỤC" under the title starts the table of contents
        if (_split_motto(text) != [text] or _NUMBER.match(text) or _DATELINE.search(text)
                or "*" in text or text.startswith("(") and not _PAREN_SUMMARY.search(f)):
            break  # letterhead lines set under the title, a note "(TÀI LIỆU ... NỘI BỘ)"
        lower_start = text[:1].islower() or text[:1] in "(["
        if not (is_caps(text) or _starts(f, vocab["summary_starts"]) and lower_start
                or len(lines) == 1 and bare_name and _summary_line(text)
                or is_term_line(text)):
            break
        if not is_caps(text) and text.endswith(","):
            break  # a preamble sentence ("Đại hội ... họp từ ngày ..., sau khi thảo luận,")
        lines.append(text)
        form.title_blocks.append(i)
        i += 1
    form.title = " ".join(lines)


def _summary_line(text: str) -> bool:
    """The summary line (trích yếu) right under the type name, printed in sentence case ("KẾ
    HOẠCH" / "Thông tin, tuyên truyền cuộc bầu cử ...", "NGHỊ QUYẾT" / "Đại hội đại biểu Đảng bộ
    huyện ... nhiệm kỳ 2020 - 2025", "HƯỚNG DẪN" / "nội dung kiểm điểm ..."): one phrase, no
    sentence punctuation at its end, not a greeting ("Kính thưa ..." is caught by `body_starts`
    before this is asked)."""
    return (text[:1].isalpha() and _words(text) <= _SUMMARY_WORDS
            and not text.rstrip().endswith((".", ":", ";", ",", "!", "?"))
            and _DATELINE.search(text) is None)


# -- signature and recipients -----------------------------------------------------------------


def _role_line(text: str) -> bool:
    sig = _vocab()["signature"]
    f = _f(text)
    if _words(text) > 12:
        return False
    if _starts(f, sig["roles"]) is not None:
        return True
    return bool(is_caps(text) and _starts(f, sig["titles"]) is not None
                or f.startswith("nguoi ") and _starts(f, sig["titles"]) is not None)


def _signed_line(text: str) -> bool:
    return _f(text).rstrip(" .") in _vocab()["signature"]["signed"]


def _name_line(text: str) -> bool:
    words = text.strip().rstrip(".").split()
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in text):
        return False
    if is_caps(text) and not _issuer_head(text):
        return all(w[:1].isalpha() for w in words)  # "NGUYỄN VĂN A"
    return all(_NAME_WORD.match(w) for w in words)


def _recipient_head(text: str) -> str | None:
    f = _f(text)
    head = _starts(f, _vocab()["recipients"]["heads"])
    return head


def _signature(texts: list[str], body_from: int, form: DocumentForm) -> None:
    n = len(texts)
    lo = max(body_from, n - _TAIL_BLOCKS)
    anchors = [i for i in range(lo, n) if texts[i] and (
        _role_line(texts[i]) or _recipient_head(texts[i]) is not None)]
    if not anchors:
        return
    start = anchors[0]
    roles: list[str] = []
    in_recipients = False
    for i in range(start, n):
        text = " ".join(texts[i].split())
        if not text:
            continue
        if not _signature_line(text, in_recipients, bool(roles)):
            break  # an appendix ("PHỤ LỤC") or the body again: the signature block has ended
        head = _recipient_head(text)
        if head is not None:
            in_recipients = True
            form.recipient_blocks.append(i)
            rest = text[len(head):].lstrip(" :") if fold(text).startswith(head) else ""
            rest = re.sub(r"^[^:]*:\s*", "", text) if ":" in text else rest
            form.recipients.extend(_split_recipients(rest))
            continue
        if in_recipients and (is_bullet(text) or text.startswith(("-", "+", "•"))) \
                and not _role_line(text):
            form.recipient_blocks.append(i)
            form.recipients.extend(_split_recipients(text))
            continue
        # `in_recipients` stays on: a PDF reader may put the right column's role line between
        # "Nơi nhận:" and its list.
        form.signature_blocks.append(i)
        if _role_line(text):
            roles.append(text)
        elif _signed_line(text):
            continue
        elif _name_line(text) and roles and form.signer is None:
            form.signer = text.rstrip(".")
        elif form.date is None and (m := _DATELINE.search(text)):
            parsed = match_date(text, m.start("date"))
            if parsed and parsed.iso:
                form.date, form.place = parsed.iso, m.group("place").strip() or None
    if roles:
        form.signer_role = ", ".join(roles)


def _signature_line(text: str, in_recipients: bool, after_role: bool) -> bool:
    """Can `text` stand in a signature block or a recipient list?"""
    if _role_line(text) or _signed_line(text) or _recipient_head(text) is not None:
        return True
    if in_recipients and text[:1] in "-+•" and _words(text) <= _SHORT_WORDS:
        return True
    if _DATELINE.search(text) and _words(text) <= 14:
        return True
    return after_role and (_name_line(text) or is_caps(text) and _words(text) <= 6
                           and _starts(_f(text), _vocab()["toc_heads"] + ["phu luc"]) is None)


def _split_recipients(text: str) -> list[str]:
    """"- Đảng ủy Cục Viễn thông; - Lưu VP." -> ["Đảng ủy Cục Viễn thông", "Lưu VP"]."""
    parts = re.split(r"(?:^|\s)[-+•]\s+|;\s*", " " + text)
    return [p.strip(" -+•;,.") for p in parts if p.strip(" -+•;,.")]


def _signature_table(document: Document, form: DocumentForm) -> None:
    """A DOCX signature set as a borderless table after the last paragraph."""
    if form.signature_blocks or form.recipient_blocks:
        return
    last = len(document.blocks) - 1
    for k, table in enumerate(document.tables):
        if table.after_block is None or table.after_block < last - 2 or not _sig_table(table):
            continue
        form.signature_table = k
        for cell in (c for row in table.rows for c in row if c):
            head = _recipient_head(cell)
            if head is not None:
                form.recipients.extend(_split_recipients(re.sub(r"^[^:]*:\s*", "", cell)))
                continue
            role, name = _role_and_name(cell)
            if role:
                form.signer_role = role
                form.signer = name
        return


def _sig_table(table: Table) -> bool:
    if not table.rows or len(table.rows) > 3 or max(len(r) for r in table.rows) > 2:
        return False
    cells = [c for row in table.rows for c in row if c]
    return any(_recipient_head(c) or _role_line(" ".join(c.split()[:4])) for c in cells)


def _role_and_name(cell: str) -> tuple[str | None, str | None]:
    """"T/M BAN CHẤP HÀNH BÍ THƯ (Đã ký) Nguyễn Văn A" -> ("T/M BAN CHẤP HÀNH BÍ THƯ", name)."""
    text = re.sub(r"\((?i:đã ký|ký tên[^)]*|ký[^)]*)\)", " ", cell)
    words = text.split()
    k = len(words)
    while k > 0 and _NAME_WORD.match(words[k - 1]) and not words[k - 1].isupper() \
            or k > 0 and len(words[k - 1]) == 1 and words[k - 1].isupper() and k == len(words):
        k -= 1
    role = " ".join(words[:k]) or None
    name = " ".join(words[k:]) or None
    if role is not None and not _role_line(" ".join(words[:4])):
        return None, None
    if name is not None and not 2 <= len(name.split()) <= 6:
        name = None
    return (_split_role(role) if role else None), name


def _split_role(role: str) -> str:
    """"T/M CHI BỘ BÍ THƯ" (two lines of one cell) -> "T/M CHI BỘ, BÍ THƯ"."""
    titles = _vocab()["signature"]["titles"]
    for m in re.finditer(r"\s+", role):
        if _starts(_f(role[m.end():]), titles) is not None:
            return f"{role[:m.start()]}, {role[m.end():]}"
    return role


def apply_form(meta: Meta, form: DocumentForm) -> None:
    """Copy what the form states into `meta` (the JSON contract's meta.issuer, number, place,
    title, signer, signer_role, recipients); `date` and `parent` only where the metadata
    extractor found none, since it reads the same letterhead and re-cases names."""
    meta.issuer = form.issuer
    meta.number = form.number
    meta.place = form.place
    meta.title = form.title
    meta.signer = form.signer
    meta.signer_role = form.signer_role
    meta.recipients = list(form.recipients) or None
    if meta.date is None and form.date is not None:
        meta.date = form.date
        meta.year = int(form.date[:4])
    if meta.parent is None and form.parent is not None:
        meta.parent = form.parent
