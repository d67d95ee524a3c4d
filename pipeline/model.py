"""Plain dataclasses shared by every stage.

Data flows one way (ingest -> nlp -> extract -> audit -> store -> compare): a stage reads the
objects of the stages before it and adds its own. Nothing here imports a stage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Format = Literal["pdf", "docx", "doc", "rtf", "odt", "txt", "html"]
BlockKind = Literal["paragraph", "heading", "list_item"]

# Paragraphs of `Document.text` are separated by exactly this string (the JSON contract).
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Block:
    """One paragraph of the body in reading order.

    `text` is already normalised (NFC, one tone-mark convention, legacy fonts decoded) and holds
    no line breaks. `numbering` is a list number Word printed automatically ("I.", "1.", "a)"),
    already prepended to `text`; it is kept apart too so the outline can use it.
    """

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None  # 1-based page for PDF; None when the format has no pages
    style: str | None = None  # DOCX style name ("Heading 1", "List Paragraph", ...)
    outline_level: int | None = None  # 0-based Word outline level / heading level, if known
    numbering: str | None = None
    bold: bool = False  # the whole paragraph is bold (a heading signal)
    italic: bool = False
    font_size: float | None = None  # dominant size in points
    indent: float | None = None  # left indent of the first line, in points
    align: str | None = None  # "left" | "center" | "right" | "justify"
    all_caps: bool = False  # rendered in capitals by formatting, not by the letters


@dataclass
class Table:
    """A table as printed: rows of cell strings ("" for an empty cell)."""

    rows: list[list[str]]
    page: int | None = None  # first page the table is on
    pages: list[int] = field(default_factory=list)  # all pages, when continued across pages
    after_block: int | None = None  # index of the body block the table follows (-1: before all)
    caption: str | None = None


@dataclass
class Footnote:
    """A footnote or endnote body, linked to its marker in the body when found."""

    id: str
    text: str
    kind: Literal["footnote", "endnote"] = "footnote"
    page: int | None = None
    block: int | None = None  # index of the body block holding the marker
    offset: int | None = None  # character offset of the marker inside that block's text
    # When the marker sits in a table cell instead: the table index and the cell.
    table: int | None = None
    row: int | None = None
    col: int | None = None


@dataclass
class Document:
    """The output of ingest: one file, read and cleaned."""

    source: str
    format: Format
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    pages: int | None = None
    size: int = 0
    # Running headers and footers (digits kept as printed), kept out of the body.
    page_headers: list[str] = field(default_factory=list)
    page_footers: list[str] = field(default_factory=list)
    # What ingest noticed: legacy encoding decoded, converter used, ...
    properties: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(b.text for b in self.blocks if b.text)

    def block_offsets(self) -> list[tuple[int, int]]:
        """(start, end) of each block inside `text`; empty blocks get a zero-width span."""
        spans: list[tuple[int, int]] = []
        pos = 0
        first = True
        for b in self.blocks:
            if not b.text:
                spans.append((pos, pos))
                continue
            if not first:
                pos += len(PARAGRAPH_SEPARATOR)
            first = False
            spans.append((pos, pos + len(b.text)))
            pos += len(b.text)
        return spans

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Meta:
    """Who reported what, when. Filled by the metadata extractor; null where unknown."""

    unit: str | None = None
    unit_level: str | None = None
    parent: str | None = None
    province: str | None = None
    term: str | None = None
    year: int | None = None
    date: str | None = None  # YYYY-MM-DD
    doc_type: str | None = None
    draft: bool | None = None
    doc_type_confidence: float | None = None
    # The term whose results the report reviews ("2020-2025"); `term` is the term of the
    # congress the document is for ("2025-2030"), as in its title.
    reviewed_term: str | None = None
    # From the document's printed form (pipeline/extract/form.py), as printed; null when the
    # form does not state them or cannot be read (a warning then says so).
    issuer: str | None = None  # "CHI BỘ THÔN ĐÔNG HÀ": the letterhead's issuing body
    number: str | None = None  # "12-BC/CB": the document's own number and symbol
    place: str | None = None  # "Thạch Hà": the place of the date line
    title: str | None = None  # type name and summary lines joined
    signer: str | None = None
    signer_role: str | None = None  # "T/M CHI BỘ, BÍ THƯ"
    recipients: list[str] | None = None  # "Nơi nhận" lines
    # Where unit, unit_level, parent and province came from ("letterhead: ĐẢNG ỦY XÃ ĐẠI
    # THẮNG", "date line: Hà Nội", "gazetteer (before 2025): huyện Bảo Lâm"); field -> evidence.
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass
class Reference:
    """A mention of another document ("57-NQ/TW", "Nghị quyết Trung ương 4 khóa XII", ...)."""

    id: str  # canonical: "57-NQ/TW", "2590/QĐ-UBND", "02/2023/QĐ-UBND", "NQTW4-XII"
    kind: Literal["party", "state", "standard", "plenum"]
    surface: str  # the exact span as written
    start: int  # offsets into the text named by `where`
    end: int
    where: str = "body"  # "body" | "footnote:<id>" | "table:<index>"
    type: str | None = None  # NQ, CT, KL, QĐ, QĐi, HD, KH, TB, CV, BC, CTr, NĐ, TT, ...
    number: str | None = None
    year: int | None = None
    issuer: str | None = None  # TW, ĐUK, UBND, TTg, BTTTT, ...
    body: str | None = None  # Bộ Chính trị, Ban Bí thư, Ban Chấp hành Trung ương, UBND tỉnh ...
    date: str | None = None  # YYYY-MM-DD when the text gives it
    term: str | None = None  # "XII"
    title: str | None = None
    resolved_from: str | None = None  # the short form's text, when resolved to a full one
    # The Vietnamese name of the type ("Quy định", "Quyết định", "Nghị quyết"): the word before
    # the number when there is one. It is what tells a QĐ "quy định" from a QĐ "quyết định".
    type_name: str | None = None
    # Where `body` comes from: "text" (the text names it) or "code" (only implied by the issuer
    # code, "/QĐ-TTg" -> Thủ tướng Chính phủ, when the text names no body).
    body_source: str | None = None


@dataclass
class Indicator:
    """A number with a subject: "100% đảng viên tham gia học tập", "kết nạp 13 đảng viên"."""

    subject: str
    value: float
    # "%" | "person" | "organisation" | "times" | "multiple" | "count" | "ratio" | "rate" |
    # "area" | "VND" or another currency code ("USD", "EUR", ...): from the words, not the size
    unit: str
    surface: str
    start: int
    end: int
    key: str | None = None
    value_max: float | None = None
    unit_text: str | None = None
    kind: Literal["actual", "target"] = "actual"
    period: str | None = None
    section: str | None = None
    where: str = "body"


@dataclass
class Finding:
    """Something an editor or auditor should look at."""

    kind: str  # missing_section, duplicate_passage, superseded_reference, total_mismatch, ...
    severity: Literal["info", "warning", "error"]
    message: str
    where: str = "body"
    start: int | None = None
    end: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """Everything `analyze` knows about one file. Later stages append to the lists; the JSON
    contract (`pipeline.contract`) is how users and tests read it."""

    document: Document
    meta: Meta = field(default_factory=Meta)
    headings: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
