"""Headings and the section tree of a report.

A paragraph is a heading when enough evidence adds up (data/outline.yaml): a DOCX heading style
or outline level, the PDF reader's font signals, bold, capitals, a larger font, centring, a
numbering scheme ("Phần thứ hai", "A.", "I.", "1.", "2.1.", "a)", "*"), shortness and no final
punctuation; bullets ("-", "+", "•") never are. Levels come from the order in which the document
nests its numbering schemes, so "I." under "B." is level 2 in one report and level 1 in another,
as printed. Unnumbered capital titles reset the nesting; an unnumbered line right under a part
heading ("PHẦN THỨ HAI" / "PHƯƠNG HƯỚNG, NHIỆM VỤ ...") is its subtitle, at the same level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from statistics import median
from typing import TYPE_CHECKING, Any

from pipeline.data import load_yaml
from pipeline.ingest.numbering import (
    heading_schemes,
    is_bullet,
    numbering_scheme,
    strip_numbering,
    top_level_schemes,
)
from pipeline.ingest.textlines import is_all_caps
from pipeline.model import Block, Document

if TYPE_CHECKING:
    from pipeline.extract.form import DocumentForm

_FINAL_PUNCT = re.compile(r"[.;,!?…]$")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-ZĐÀ-Ỹ]")


@dataclass
class Heading:
    block: int  # index of the heading's (first) block in Document.blocks
    text: str
    level: int
    start: int  # offsets into Document.text
    end: int
    scheme: str | None = None  # numbering scheme name, None when unnumbered
    score: int = 0
    last_block: int = -1  # last block when a heading wraps over two paragraphs
    label: str | None = None
    confidence: float | None = None
    label_source: str | None = None  # "model" | "rules" | "inherited" | "cue"
    is_title: bool = False  # the document's title (type name and summary, from its form)

    def record(self) -> dict[str, Any]:
        return {"level": self.level, "text": self.text, "label": self.label,
                "confidence": self.confidence, "start": self.start, "end": self.end,
                "label_source": self.label_source, "scheme": self.scheme}


@dataclass
class Section:
    label: str | None
    heading: str | None
    level: int
    start: int
    end: int
    confidence: float | None = None
    heading_index: int | None = None  # index into Outline.headings, None for cue sections
    children: list[int] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {"label": self.label, "heading": self.heading, "level": self.level,
                "start": self.start, "end": self.end, "confidence": self.confidence}


@dataclass
class Outline:
    headings: list[Heading]
    sections: list[Section]


@cache
def _config() -> dict[str, Any]:
    cfg = dict(load_yaml("outline.yaml"))
    cfg["top_level"] = top_level_schemes()
    cfg["heading_schemes"] = heading_schemes()
    cfg["_title_words"] = re.compile(
        "|".join(re.escape(w) for w in cfg.get("title_words", [])) or r"(?!)"
    )
    return cfg


@dataclass
class DocStyle:
    """What the document as a whole says about its formatting."""

    body_size: float | None  # the usual font size of body paragraphs
    formatted: bool  # some paragraphs are bold: unformatted TXT/HTML/plain DOCX are not

    @classmethod
    def of(cls, doc: Document) -> DocStyle:
        sizes = [b.font_size for b in doc.blocks if b.font_size and b.kind == "paragraph"]
        return cls(body_size=median(sizes) if sizes else None,
                   formatted=any(b.bold for b in doc.blocks))


def heading_score(
    block: Block, style: DocStyle, first: bool = False, next_block: Block | None = None
) -> tuple[int, str | None]:
    """Evidence that `block` is a heading, and its numbering scheme. `first`: the block opens
    the document (where a title stands, often in no special format in plain files);
    `next_block`: the paragraph after it, for contrast."""
    cfg = _config()
    w = cfg["weights"]
    text = block.text.strip()
    words = len(text.split())
    if not text or words > cfg["max_words"]:
        return -99, None
    style_heading = block.outline_level is not None or (
        block.style is not None and block.style.lower().startswith(("heading", "title"))
    )
    if is_bullet(text) and not style_heading:
        return -99, None
    scheme = numbering_scheme(text)
    score = 0
    score += w["style_heading"] if style_heading else 0
    score += w["reader_heading"] if block.kind == "heading" and not style_heading else 0
    if block.bold:
        score += w["bold"]
        if next_block is not None and not next_block.bold:
            score += w["bold_contrast"]
    if _is_title_case(text):
        score += w["title_case"]
    caps = block.all_caps or is_all_caps(text)
    score += w["all_caps"] if caps else 0
    if scheme is not None:
        if scheme in cfg["top_level"]:
            score += w["top_level"]
        else:
            score += w["numbered"]
            score += w["heading_scheme"] if scheme in cfg["heading_schemes"] else 0
        # Plain text has no bold to tell: a numbered line is a heading if it is short, or
        # longer when its scheme ("2.1.", "II.", "B.") is one body lists rarely use.
        long_ok = scheme in cfg["heading_schemes"] and words <= 60
        # Roman numerals head a document's main sections; a resolution's "I- Tán thành những
        # nội dung ... trình Đại hội." runs to 60 words and more, and plain text cannot show
        # its bold.
        roman_long = not style.formatted and scheme in cfg.get("long_heading_schemes", [])
        if not style.formatted and (words <= 25 or long_ok or roman_long):
            score += w["no_formatting_numbered"]
    if first and not _FINAL_PUNCT.search(text):
        # Where formatting is missing, standing first is the title's only sign.
        score += w["first_block"] * (1 if style.formatted else 2)
    if style.body_size and block.font_size and block.font_size >= style.body_size + 1:
        score += w["larger_font"]
    score += w["centered"] if block.align == "center" else 0
    score += w["short"] if words <= 15 else 0
    if words > 25:
        score += w["long"]
    if words > 40 and not block.bold and not caps and not (
            scheme is not None and not style.formatted
            and scheme in cfg.get("long_heading_schemes", [])):
        score += w["very_long"]
    if block.bold and scheme is not None:
        score += w["bold_numbered"]
    # "1. Công tác dân vận." and a short bold line ending in a period are headings all the same.
    period_ok = text.endswith(".") and (scheme is not None or (block.bold and words <= 20))
    if _FINAL_PUNCT.search(text) and not period_ok:
        score += w["final_punctuation"]
    elif words <= 12:
        score += w["no_final_punctuation"]
    if _SENTENCE_INSIDE.search(_strip_number(text)[:-1]):
        score += w["several_sentences"]
    if block.italic and not block.bold:
        score += w["italic_only"]
    first_letter = next((c for c in _strip_number(text) if c.isalpha()), "")
    if first_letter.islower():
        score += w["lowercase_start"]
    return score, scheme


def _is_title_case(text: str) -> bool:
    words = [w for w in _strip_number(text).split() if w[:1].isalpha()]
    capitalised = sum(1 for w in words if w[:1].isupper() and not w.isupper())
    return len(words) >= 3 and capitalised >= 0.6 * len(words)


def _strip_number(text: str) -> str:
    return strip_numbering(text)


def find_headings(doc: Document, form: DocumentForm | None = None) -> list[Heading]:
    """The headings of `doc`. With its `form` (pipeline.extract.form): no letterhead,
    signature or recipient line is a heading, and the title is one level-1 heading."""
    cfg = _config()
    blocks = doc.blocks
    offsets = doc.block_offsets()
    style = DocStyle.of(doc)
    skip = form.form_blocks if form is not None else set()
    title = form.title_blocks if form is not None and form.title else []
    first_body = next((i for i in range(len(blocks))
                       if i not in skip and not _furniture(blocks[i].text)), -1)

    skip = skip | table_of_contents(blocks)
    caption_of_table = {t.after_block for t in doc.tables if t.after_block is not None}
    candidates: list[tuple[int, int, str | None]] = []
    number_line: dict[int, str] = {}  # block of a heading -> its number printed on the line above
    for i, block in enumerate(blocks):
        if i in skip:
            if title and i == title[0]:
                candidates.append((i, 99, None))
            continue
        if _bare_number(block.text):
            continue  # "2.1.1." alone: the number of the next line, never a heading itself
        if i > 0 and i - 1 not in skip and _bare_number(blocks[i - 1].text):
            number_line[i] = blocks[i - 1].text.strip()
            block = replace(block, text=f"{number_line[i]} {block.text}")
        if _furniture(block.text) or _form_line(block.text):
            continue  # a motto or a place-and-date line the form did not place is no heading
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        first = i == first_body and not title
        score, scheme = heading_score(block, style, first=first, next_block=nxt)
        if i in caption_of_table and scheme is None:
            score -= 2  # a bold line right above a table is its caption
        follows_title = (
            bool(candidates) and candidates[-1][0] == i - 1 and candidates[-1][2] is None
            and is_all_caps(block.text) and is_all_caps(blocks[i - 1].text)
        )
        if follows_title and scheme is None:
            score += cfg["weights"]["title_continued"]  # a long title set over two paragraphs
        if score >= cfg["threshold"]:
            candidates.append((i, score, scheme))
    candidates = _with_continuations(candidates, blocks, skip)
    # A heading heads something: an unnumbered last paragraph with nothing after it (a
    # signature "Người báo cáo", a byline "P.V") is not one; an appendix title before its
    # table is.
    tables_after = {t.after_block for t in doc.tables}
    if candidates and candidates[-1][0] == len(blocks) - 1 and candidates[-1][2] is None \
            and candidates[-1][0] not in tables_after:
        candidates.pop()

    headings: list[Heading] = []
    for i, score, scheme in candidates:
        start, end = offsets[i]
        text = blocks[i].text
        prev = headings[-1] if headings else None
        if title and i == title[0] and form is not None and form.title:
            headings.append(Heading(block=i, text=form.title, level=1, start=start,
                                    end=offsets[title[-1]][1], score=score,
                                    last_block=title[-1], is_title=True))
            continue
        if i in number_line:
            # The heading starts at its number, one paragraph up.
            text = f"{number_line[i]} {text}"
            headings.append(Heading(block=i - 1, text=text, level=0, start=offsets[i - 1][0],
                                    end=end, scheme=scheme, score=score, last_block=i))
            continue
        if prev is not None and (_part_subtitle(prev, blocks, i, scheme)
                                 or _term_line(prev, blocks, i, scheme)):
            # "Phần thứ hai" / "PHƯƠNG HƯỚNG, NHIỆM VỤ ..." / "NHIỆM KỲ 2025 - 2027": one heading
            # printed over several lines, whatever the format.
            prev.text = f"{prev.text} {text}"
            prev.end = end
            prev.last_block = i
            continue
        # Word paragraphs are explicit: only PDF and plain text split a heading by a line wrap.
        if doc.format != "docx" and prev is not None and \
                _continues_heading(prev, blocks, i, scheme):
            prev.text = f"{prev.text} {text}"
            prev.end = end
            prev.last_block = i
            continue
        headings.append(Heading(block=i, text=text, level=0, start=start, end=end,
                                scheme=scheme, score=score, last_block=i))
    _assign_levels(headings)
    return headings


def _bare_number(text: str) -> bool:
    """A line that is only a heading number ("2.1.1.", "II.", "Phần thứ hai" is not one)."""
    t = text.strip()
    if not _NUMBER_ONLY.match(t):
        return False  # "PHỤ LỤC", "Phần thứ hai": words, not a bare number
    probe = f"{t} X"  # the schemes want a space and text after the number
    return numbering_scheme(probe) is not None and strip_numbering(probe) == "X"


@cache
def _furniture_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _config().get("furniture", [])) or r"(?!)",
                      re.IGNORECASE)


@cache
def _form_line_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _config().get("form_lines", [])) or r"(?!)",
                      re.IGNORECASE)


def _form_line(text: str) -> bool:
    """The national motto or a place-and-date line (data/outline.yaml `form_lines`): never a
    heading, even where the form parser could not read the letterhead around it."""
    text = " ".join(text.split())
    return len(text.split()) <= 15 and bool(_form_line_pattern().search(text))


def _furniture(text: str) -> bool:
    """Web-page furniture ("Cập nhật: 08:11 GMT+7", "Chia sẻ", a bare date and time, a site
    name line): never a heading or a title (data/outline.yaml `furniture`)."""
    return bool(_furniture_pattern().search(" ".join(text.split())))


def table_of_contents(blocks: list[Block]) -> set[int]:
    """Blocks of a printed table of contents ("MỤC LỤC" and its entries, usually with page
    numbers): a table of contents is not the outline. The run ends at the first long paragraph
    or where the body repeats the first entry."""
    out: set[int] = set()
    head = _config().get("toc_heads", [])
    for i, block in enumerate(blocks[:400]):
        if block.text.strip(" :.").lower() not in head:
            continue
        out.add(i)
        first: str | None = None
        for j in range(i + 1, min(len(blocks), i + 200)):
            text = blocks[j].text.strip()
            if len(text.split()) > 40:
                break
            key = _TOC_PAGE.sub("", text).strip()
            if first is not None and key == first:
                break  # the body starts with the first entry again
            first = first or key
            out.add(j)
        break
    return out


_NUMBER_ONLY = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}|[IVXL]{1,6}|[A-Za-zĐđ])\s?[.)/:–-]?$")
_TOC_PAGE = re.compile(r"[\s.…_·-]*\d{1,3}\s*$")


def _bare_part(block: Block) -> bool:
    """A part or chapter label on a line of its own ("PHẦN THỨ NHẤT", "Phần I", "Chương 3"):
    its title follows (an appendix's next line is its table's caption, not its title)."""
    scheme = numbering_scheme(block.text)
    return (scheme in _config()["titled_schemes"]
            and len(_strip_number(block.text).split()) <= 2)


def _subtitle_line(text: str) -> bool:
    """A line that can be a part's title: one phrase, in capitals or in sentence case ("PHẦN
    THỨ NHẤT" / "Đánh giá kết quả lãnh đạo ... năm 2017"), never a sentence or a list item."""
    text = text.strip()
    return (bool(text) and len(text.split()) <= 25 and numbering_scheme(text) is None
            and not is_bullet(text) and not text.endswith((".", ":", ";", ",", "!", "?"))
            and text[:1].isupper())


def is_term_line(text: str) -> bool:
    """Only a term, session or period ("NHIỆM KỲ 2022-2025", "(Khóa XX)", "LẦN THỨ XXV, NHIỆM KỲ
    2025 - 2030", "Năm học 2022 - 2023"): the end of the heading above, never one of its own."""
    return bool(_term_pattern().match(" ".join(text.split()))) and len(text.split()) <= 12


@cache
def _term_pattern() -> re.Pattern[str]:
    return re.compile(_config()["term_line"], re.IGNORECASE)


def _with_continuations(candidates: list[tuple[int, int, str | None]], blocks: list[Block],
                        skip: set[int]) -> list[tuple[int, int, str | None]]:
    """The line after a bare part label, and a term line right after any heading, belong to
    that heading even where they alone would not score as one (a part title in sentence case,
    "nhiệm kỳ 2020 - 2025" in plain type): add them so the merge below can join them."""
    have = {i for i, _s, _sc in candidates}
    out = list(candidates)
    for i, score, _scheme in candidates:
        j = i + 1
        if j >= len(blocks) or j in have or j in skip:
            continue
        text = blocks[j].text
        if (_bare_part(blocks[i]) and _subtitle_line(text)) or is_term_line(text):
            out.append((j, score, None))
            have.add(j)
    return sorted(out)


def _part_subtitle(prev: Heading, blocks: list[Block], i: int, scheme: str | None) -> bool:
    """The line right under a bare part heading ("PHẦN THỨ HAI", "Phần I"; in capitals or in
    sentence case), or a capital line under its first subtitle line: the rest of the part's
    title."""
    if scheme is not None or prev.last_block != i - 1 or prev.is_title:
        return False
    if prev.scheme not in _config()["top_level"]:
        return False
    lines = prev.last_block - prev.block + 1
    text = blocks[i].text
    if lines == 1 and _bare_part(blocks[prev.block]) and _subtitle_line(text):
        return True
    bare = len(_strip_number(blocks[prev.block].text).split()) <= 2
    return bare and lines < 3 and is_all_caps(text) and len(text.split()) <= 25


def _term_line(prev: Heading, blocks: list[Block], i: int, scheme: str | None) -> bool:
    """A term line ("NHIỆM KỲ 2022-2025") right under a heading ends that heading."""
    return (scheme is None and prev.last_block == i - 1 and not prev.is_title
            and is_term_line(blocks[i].text))


def _continues_heading(prev: Heading, blocks: list[Block], i: int, scheme: str | None) -> bool:
    """A numbered heading wrapped over two paragraphs (a PDF line wrap the reader kept)."""
    if scheme is not None or prev.last_block != i - 1 or prev.scheme is None:
        return False
    if prev.scheme in _config()["top_level"] or _FINAL_PUNCT.search(prev.text) or \
            prev.text.endswith(":"):
        return False
    a, b = blocks[prev.last_block], blocks[i]
    same_look = a.bold == b.bold and is_all_caps(a.text) == is_all_caps(b.text)
    return same_look and is_all_caps(b.text) and len(b.text.split()) <= 12


def _assign_levels(headings: list[Heading]) -> None:
    cfg = _config()
    top = set(cfg["top_level"])
    stack: list[str] = []
    prev: Heading | None = None
    for h in headings:
        scheme = h.scheme
        if h.is_title:
            stack = []
            h.level = 1
        elif scheme in top:
            stack = [scheme]
            h.level = 1
        elif scheme is None and prev is not None and _is_subtitle(prev, h):
            h.level = prev.level  # "PHẦN THỨ HAI" / "PHƯƠNG HƯỚNG ...": one title, two lines
        elif scheme is None and is_all_caps(h.text) and (not stack or _is_title(h.text)):
            stack = []
            h.level = 1
        else:
            key = scheme or ("caps" if is_all_caps(h.text) else "plain")
            if key in stack:
                del stack[stack.index(key) + 1:]
            else:
                stack.append(key)
            h.level = len(stack)
        prev = h


def _is_subtitle(prev: Heading, h: Heading) -> bool:
    adjacent = h.block == prev.last_block + 1
    bare_top = prev.scheme in _config()["top_level"] and len(_strip_number(prev.text).split()) <= 2
    title_line = prev.scheme is None and prev.level == 1
    return adjacent and (bare_top or title_line) and is_all_caps(h.text)


def _is_title(text: str) -> bool:
    return bool(_config()["_title_words"].search(text))


def build_sections(doc: Document, headings: list[Heading]) -> list[Section]:
    """One section per heading, spanning to the next heading of the same or a higher level;
    text before the first heading is the preamble; no headings: one section for everything."""
    text = doc.text  # a property that joins every block: build it once, not per heading
    text_end = len(text)
    sections: list[Section] = []
    first_start = headings[0].start if headings else text_end
    if first_start > 0 and text[:first_start].strip():
        sections.append(Section(label=None, heading=None, level=0, start=0,
                                end=_rtrim(text, first_start)))
    for k, h in enumerate(headings):
        end = text_end
        for later in headings[k + 1:]:
            if later.level <= h.level:
                end = _rtrim(text, later.start)
                break
        sections.append(Section(label=h.label, heading=h.text, level=h.level, start=h.start,
                                end=end, confidence=h.confidence, heading_index=k))
    return sections


def _rtrim(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def build_outline(doc: Document, form: DocumentForm | None = None) -> Outline:
    headings = find_headings(doc, form)
    return Outline(headings=headings, sections=build_sections(doc, headings))
