"""Build the sample corpus (DOCX, PDF and ground truth) from the real seed texts.

Run from anywhere: ``python corpus/build.py``. For every ``corpus/seeds/<stem>.txt`` it

1. parses the seed into a structured document (paragraphs rebuilt from hard-wrapped PDF lines,
   headings with levels, footnotes, tables), using ``corpus/specs/<stem>.yaml`` for the decisions
   a heuristic cannot make (which lines are a table and its cells, footnote bodies, forced
   paragraph breaks);
2. writes ``corpus/truth/<stem>.json``: what a perfect reader should return;
3. writes ``corpus/docx/<stem>.docx`` with python-docx: A4, Vietnamese administrative margins,
   Times New Roman, real Word footnotes, a running header and PAGE field where the source has
   them, real bordered tables, and (for 004) Word automatic heading numbering;
4. converts every DOCX to ``corpus/pdf/<stem>.pdf`` with LibreOffice.

The text is never corrected: typos, inconsistent casing and the duplicated tail of 000 stay,
because the pipeline's editor-facing checks must find them. Output is deterministic: zip entry
dates in the DOCX and the dates/ids LibreOffice writes into the PDF are pinned.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
SPECS = ROOT / "specs"
OUT_DOCX = ROOT / "docx"
OUT_PDF = ROOT / "pdf"
OUT_TRUTH = ROOT / "truth"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FONT = "Times New Roman"
# A fixed timestamp for every generated file, so rebuilding does not change committed bytes.
FIXED_DATE = datetime(2025, 5, 1, 8, 0, 0)
# Word list ids for the heading numbering; python-docx's template already uses numId 1-9 and
# abstractNumId 0-8 for its built-in list styles, so ours start above them.
ABSTRACT_NUM_ID = 20
NUM_IDS = (20, 21)

# ----------------------------------------------------------------------------------------------
# Document model (internal to this script; the pipeline has its own in pipeline/model.py)
# ----------------------------------------------------------------------------------------------


@dataclass
class FootnoteRef:
    """A footnote marker inside a paragraph or table cell."""

    id: str


@dataclass
class Para:
    parts: list[str | FootnoteRef]
    kind: str = "paragraph"  # heading | list_item | paragraph
    rank: int | None = None  # heading scheme rank (see HEADING_RANKS), decides the level
    level: int | None = None
    role: str | None = None  # title, caption, signature, dateline, byline, unit, table_caption
    auto_label: str | None = None  # printed number produced by Word numbering ("I.", "1.")
    auto_num: tuple[int, int] | None = None  # (numId, ilvl) for Word numbering
    auto_format: str | None = None
    page_break_before: bool = False

    @property
    def raw(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int = 1
    merges: list[dict[str, int]] = field(default_factory=list)
    cell_footnotes: list[dict[str, Any]] = field(default_factory=list)
    font_size: float = 12


@dataclass
class Image:
    """A photo placeholder (the web seeds say "img" where a photo was)."""


Block = Para | Table | Image


@dataclass
class Doc:
    stem: str
    doc_type: str
    blocks: list[Block]
    footnotes: dict[str, str]
    running_header: str | None
    page_numbers: bool
    profile: dict[str, Any]


# ----------------------------------------------------------------------------------------------
# Text helpers
# ----------------------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Reader-facing text: NFC, single spaces, trimmed (the truth's normal form)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# Heading schemes from outer to inner. A heading's level is its depth in a stack of open
# schemes, so "1." under "A." is level 2 and "1." under "I." under "B." is level 3, the way
# a reader of the printed outline sees it.
HEADING_RANKS = {"part": 0, "letter": 1, "roman": 2, "decimal": 3, "decimal2": 4, "star": 5}
HEADING_PATTERNS = [
    ("part", re.compile(r"^(PHẦN THỨ|Phần thứ|PHỤ LỤC)\b")),
    ("letter", re.compile(r"^[A-D]\.\s")),
    ("roman", re.compile(r"^[IVX]{1,4}\.\s")),
    ("decimal2", re.compile(r"^\d{1,2}\.\d{1,2}\.?\s")),
    ("decimal", re.compile(r"^\d{1,2}\.\s")),
    ("star", re.compile(r"^[*❖]\s*\S")),
]
LIST_RE = re.compile(r"^([-+•]|o\s)")
TERMINAL_RE = re.compile(r"[.!?:;…][\"”’)]*$")


def heading_scheme(text: str) -> str | None:
    for name, rx in HEADING_PATTERNS:
        if rx.match(text):
            # A starred line is a heading only when short; "* ..." can also open a long note.
            if name == "star" and len(text) > 100:
                return None
            return name
    return None


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def classify(para: Para, allow_caps: bool = True) -> None:
    """Set kind and heading rank from the paragraph's printed text."""
    text = norm(para.raw)
    scheme = heading_scheme(text)
    if scheme is None and allow_caps and is_caps(text) and len(text) < 200:
        scheme = "part"
    if scheme is not None:
        para.kind, para.rank = "heading", HEADING_RANKS[scheme]
    elif LIST_RE.match(text):
        para.kind = "list_item"


def assign_levels(blocks: list[Block]) -> None:
    stack: list[int] = []
    for b in blocks:
        if isinstance(b, Para) and b.role == "title":
            b.level = 1  # a title sits above the outline and closes any open section
            stack.clear()
            continue
        if isinstance(b, Para) and b.kind == "heading" and b.rank is not None:
            while stack and stack[-1] >= b.rank:
                stack.pop()
            stack.append(b.rank)
            b.level = len(stack)


def load_spec(stem: str) -> dict[str, Any]:
    path = SPECS / f"{stem}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def check_table_cells(stem: str, lines: list[str], tspec: dict[str, Any]) -> None:
    """Guard the hand-written cells: they must be exactly the words printed in the seed lines.

    A typo in a spec cell would silently corrupt a benchmark's ground truth, so the words of the
    table's source lines (glued footnote markers undone) must equal the words of the cells.
    """
    start, end = tspec["lines"]
    glued = tspec.get("glued", {})
    seed_words = [glued.get(w, w) for ln in lines[start - 1 : end] for w in norm(ln).split()]
    cell_words = [w for row in tspec["rows"] for cell in row for w in norm(cell).split()]
    if sorted(seed_words) != sorted(cell_words):
        raise SystemExit(f"{stem}: table at lines {start}-{end} does not match the seed words")


# ----------------------------------------------------------------------------------------------
# Parsers
# ----------------------------------------------------------------------------------------------


def join_lines(chunks: list[str]) -> str:
    """Rebuild a paragraph from hard-wrapped PDF lines.

    Vietnamese is not hyphenated, so lines join with a space, except after a dash glued to a
    word ("2020-" + "2025", "101-" + "QĐ/TW"), which is a compound split by the wrap.
    """
    out = ""
    for c in chunks:
        if not out:
            out = c
        elif re.search(r"\S-$", out):
            out += c
        else:
            out += " " + c
    return out


def starts_new_paragraph(cur: list[tuple[int, str]], n: int, s: str, spec: dict[str, Any]) -> bool:
    """Decide whether seed line n (text s) opens a new paragraph after the lines in cur."""
    if n in spec.get("break_before", []):
        return True
    if n in spec.get("join_before", []):
        return False
    prev = cur[-1][1]
    if re.search(r"\S-$", prev):
        return False  # "Chỉ thị số 05-" + "CT/TW": a reference split by the wrap
    if s.startswith("- ") and prev.endswith(" -"):
        return False  # "chính trị -" + "- xã hội": a dash repeated across the wrap
    if heading_scheme(s) or LIST_RE.match(s):
        return True
    first_is_heading = heading_scheme(cur[0][1]) is not None or is_caps(cur[0][1])
    if first_is_heading:
        # Headings wrap like prose; an all-caps heading also continues on an all-caps line.
        if s[0].islower():
            return False
        return not (is_caps(prev) and is_caps(s)) or TERMINAL_RE.search(prev) is not None
    if s[0].islower():
        return False
    if TERMINAL_RE.search(prev):
        return True
    # A short last line without punctuation ends a paragraph (e.g. "Trung, Miền Nam.").
    return len(prev) < 45


def parse_pdf_text(stem: str, lines: list[str], spec: dict[str, Any]) -> Doc:
    """Seeds extracted from PDF: hard line breaks, blank lines between lines, page furniture."""
    tables = {t["lines"][0]: t for t in spec.get("tables", [])}
    in_table = {n for t in tables.values() for n in range(t["lines"][0], t["lines"][1] + 1)}
    fn_lines = {int(k): str(v) for k, v in spec.get("footnote_lines", {}).items()}
    header = spec.get("running_header")
    title_ranges = spec.get("title_lines", [])
    one_per_line = spec.get("line_paragraphs", [0, -1])
    signature = set(spec.get("signature_lines", []))

    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    cur: list[tuple[int, str]] = []
    floats: list[Para] = []

    def flush() -> None:
        if cur:
            p = Para([join_lines([s for _, s in cur])])
            classify(p)
            if n_title(cur[0][0]):
                p.kind, p.rank, p.role = "heading", 0, "title"
            if cur[0][0] in spec.get("not_heading", []):
                p.kind, p.rank = "paragraph", None
            if cur[0][0] in signature:
                p.role = "signature"
            blocks.append(p)
            cur.clear()
        # URLs pasted at a page bottom interrupt a sentence; they are emitted after it.
        blocks.extend(floats)
        floats.clear()

    def n_title(n: int) -> bool:
        return any(a <= n <= b for a, b in title_ranges)

    for n, raw in enumerate(lines, 1):
        if n in tables:
            flush()
            t = tables[n]
            check_table_cells(stem, lines, t)
            blocks.append(
                Table(
                    rows=[[str(c) for c in row] for row in t["rows"]],
                    header_rows=t.get("header_rows", 1),
                    merges=t.get("merges", []),
                    cell_footnotes=t.get("cell_footnotes", []),
                )
            )
            continue
        if n in in_table:
            continue
        s = raw.strip()
        if not s:
            continue
        if header and s == header:
            continue  # running header, remembered in Doc.running_header
        if re.fullmatch(r"\d{1,3}", s):
            continue  # page number
        if n in fn_lines:
            fid = fn_lines[n]
            footnotes[fid] = s[len(fid) :].strip()
            continue
        if s.startswith(("http://", "https://")):
            floats.append(Para([s]))
            continue
        if one_per_line[0] <= n <= one_per_line[1]:
            flush()
            cur.append((n, s))
            flush()
            continue
        if cur and not starts_new_paragraph(cur, n, s, spec):
            cur.append((n, s))
        else:
            flush()
            cur.append((n, s))
    flush()
    return Doc(
        stem,
        spec["doc_type"],
        blocks,
        footnotes,
        header,
        spec.get("page_numbers", False),
        spec.get("profile", {}),
    )


def parse_web_text(stem: str, lines: list[str], spec: dict[str, Any]) -> Doc:
    """Web articles: one paragraph per line, "img" where a photo was, captions under photos."""
    captions = set(spec.get("caption_lines", []))
    roles = {n: "dateline" for n in spec.get("dateline_lines", [])}
    roles.update({n: "byline" for n in spec.get("byline_lines", [])})
    blocks: list[Block] = []
    for n, raw in enumerate(lines, 1):
        s = raw.strip()
        if not s or s == ".":
            continue  # empty lines and the "." crumbs of the page template carry no text
        if s == "img":
            blocks.append(Image())
            continue
        p = Para([s])
        if n == spec.get("title_line"):
            p.kind, p.rank, p.role = "heading", 0, "title"
        elif n in captions:
            p.role = "caption"
        else:
            p.role = roles.get(n)
        blocks.append(p)
    return Doc(stem, spec["doc_type"], blocks, {}, None, False, spec.get("profile", {}))


FOOTREF_RE = re.compile(r"\[footnoteRef:(\d+)\]")
FOOTBODY_RE = re.compile(r"\s*\[(\d+):\s+(.*)\]\s*$")
BOOKMARK_RE = re.compile(r"\[bookmark: [^\]]*\]")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def split_footnote_refs(text: str) -> list[str | FootnoteRef]:
    parts: list[str | FootnoteRef] = []
    pos = 0
    for m in FOOTREF_RE.finditer(text):
        parts.append(text[pos : m.start()])
        parts.append(FootnoteRef(m.group(1)))
        pos = m.end()
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def parse_docx_text(stem: str, lines: list[str], spec: dict[str, Any]) -> Doc:
    """Seeds extracted from DOCX: one paragraph per line, footnotes and table cells inline."""
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    captions = set(spec.get("caption_lines", []))
    n = 0
    while n < len(lines):
        raw = BOOKMARK_RE.sub("", lines[n])
        # A table: rows are separated by empty lines, cells are lines indented with a tab.
        if raw.strip() == "" and n + 1 < len(lines) and lines[n + 1].startswith("\t"):
            rows: list[list[str]] = []
            while n < len(lines) and (lines[n].strip() == "" or lines[n].startswith("\t")):
                if lines[n].startswith("\t"):
                    cell = norm(BOOKMARK_RE.sub("", lines[n]))
                    if lines[n - 1].strip() == "":
                        rows.append([])
                    rows[-1].append(cell)
                n += 1
            blocks.append(Table(rows=rows, header_rows=1, font_size=12))
            continue
        m = FOOTBODY_RE.search(raw)
        while m:
            footnotes[m.group(1)] = m.group(2)
            raw = raw[: m.start()]
            m = FOOTBODY_RE.search(raw)
        p = Para(split_footnote_refs(raw.strip()))
        classify(p)
        if n + 1 in captions:
            p.role = "table_caption"
        blocks.append(p)
        n += 1
    doc = Doc(
        stem,
        spec["doc_type"],
        blocks,
        footnotes,
        spec.get("running_header"),
        spec.get("page_numbers", False),
        spec.get("profile", {}),
    )
    if spec.get("auto_numbering"):
        apply_auto_numbering(doc)
    return doc


def apply_auto_numbering(doc: Doc) -> None:
    """Move typed "I."/"1." heading numbers into Word numbering and check they agree.

    The roman level restarts after "Phần thứ hai" in the source, so a second Word list
    instance (same abstract definition, start override) takes over there.
    """
    instance, roman, decimal = 0, 0, 0
    for b in doc.blocks:
        if not (isinstance(b, Para) and b.kind == "heading"):
            continue
        text = b.raw
        if re.match(r"^(PHẦN THỨ|Phần thứ)", text):
            instance, roman, decimal = instance + 1, 0, 0
            continue
        m = re.match(r"^([IVX]+|\d+)\.\s+", text)
        if not m or b.rank not in (HEADING_RANKS["roman"], HEADING_RANKS["decimal"]):
            continue
        if m.group(1)[0].isdigit():
            decimal += 1
            label, ilvl, fmt = f"{decimal}.", 1, "decimal"
        else:
            roman, decimal = roman + 1, 0
            label, ilvl, fmt = f"{ROMAN[roman - 1]}.", 0, "upperRoman"
        if label != f"{m.group(1)}.":
            raise SystemExit(f"{doc.stem}: Word numbering would print {label} for {text[:40]!r}")
        first = b.parts[0]
        assert isinstance(first, str)
        b.parts[0] = first[m.end() :]
        b.auto_label, b.auto_num, b.auto_format = label, (NUM_IDS[instance], ilvl), fmt


PARSERS = {"pdf_text": parse_pdf_text, "web_text": parse_web_text, "docx_text": parse_docx_text}


def parse_seed(stem: str) -> Doc:
    spec = load_spec(stem)
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    doc = PARSERS[spec["parser"]](stem, text.split("\n"), spec)
    assign_levels(doc.blocks)
    for b in doc.blocks:
        if isinstance(b, Para) and re.match(r"^PHỤ LỤC", b.raw.strip()):
            b.page_break_before = True  # appendices start on a new page
    return doc


# ----------------------------------------------------------------------------------------------
# Ground truth
# ----------------------------------------------------------------------------------------------


def para_truth_text(p: Para) -> str:
    body = norm(p.raw)
    return f"{p.auto_label} {body}" if p.auto_label else body


def build_truth(doc: Doc) -> dict[str, Any]:
    paragraphs: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    footnotes: list[dict[str, Any]] = []
    for b in doc.blocks:
        if isinstance(b, Para):
            text = para_truth_text(b)
            if not text:
                continue  # empty DOCX paragraphs are layout, not content
            idx = len(paragraphs)
            prefix = f"{b.auto_label} " if b.auto_label else ""
            for i, part in enumerate(b.parts):
                if isinstance(part, FootnoteRef):
                    before = "".join(x for x in b.parts[:i] if isinstance(x, str))
                    offset = len(prefix + norm(before))
                    footnotes.append(
                        {
                            "id": part.id,
                            "text": norm(doc.footnotes[part.id]),
                            "paragraph": idx,
                            "offset": offset,
                        }
                    )
            numbering = None
            if b.auto_label:
                numbering = {
                    "type": "auto",
                    "label": b.auto_label,
                    "format": b.auto_format,
                    "ilvl": b.auto_num[1] if b.auto_num else 0,
                }
            paragraphs.append(
                {
                    "text": text,
                    "kind": b.kind,
                    "level": b.level if b.kind == "heading" else None,
                    "numbering": numbering,
                    "role": b.role,
                }
            )
        elif isinstance(b, Table):
            entry: dict[str, Any] = {
                "rows": b.rows,
                "after_paragraph": len(paragraphs) - 1,
                "header_rows": b.header_rows,
            }
            if b.merges:
                entry["merges"] = b.merges
            tables.append(entry)
            for cf in b.cell_footnotes:
                fid = str(cf["id"])
                footnotes.append(
                    {
                        "id": fid,
                        "text": norm(doc.footnotes[fid]),
                        "paragraph": len(paragraphs) - 1,
                        "table": len(tables) - 1,
                        "row": cf["row"],
                        "col": cf["col"],
                        "offset": len(b.rows[cf["row"]][cf["col"]]),
                    }
                )
        else:
            images.append({"after_paragraph": len(paragraphs) - 1})
    footnotes.sort(key=lambda f: int(f["id"]))
    truth: dict[str, Any] = {
        "source": f"seeds/{doc.stem}.txt",
        "doc_type": doc.doc_type,
        "running_header": doc.running_header,
        "page_numbers": doc.page_numbers,
        "paragraphs": paragraphs,
        "tables": tables,
        "footnotes": footnotes,
    }
    if images:
        truth["images"] = images
    return truth


# ----------------------------------------------------------------------------------------------
# DOCX writer
# ----------------------------------------------------------------------------------------------


def set_run_fonts(rpr_owner: Any, size: float | None = None) -> None:
    """Force Times New Roman on every script slot of an rPr (theme fonts would win otherwise).

    The get_or_add_* helpers of python-docx insert elements in schema order, which Word checks.
    """
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)
    if size is not None:
        rpr.get_or_add_sz().val = Pt(size)
        sz_cs = rpr.find(qn("w:szCs"))
        if sz_cs is None:
            sz_cs = rpr.makeelement(qn("w:szCs"), {})
            rpr.find(qn("w:sz")).addnext(sz_cs)
        sz_cs.set(qn("w:val"), str(int(size * 2)))


def setup_styles(doc: DocxDocument, profile: dict[str, Any]) -> None:
    size = profile.get("font_size", 14)
    normal = doc.styles["Normal"]
    set_run_fonts(normal.element, size)
    pf = normal.paragraph_format
    pf.line_spacing = profile.get("line_spacing", 1.15)
    pf.space_before = Pt(0)
    pf.space_after = Pt(profile.get("space_after", 6))
    for lvl in range(1, 5):
        st = doc.styles[f"Heading {lvl}"]
        set_run_fonts(st.element, size)
        st.font.bold = True
        st.font.italic = lvl >= 4
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(6)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.line_spacing = profile.get("line_spacing", 1.15)
        st.paragraph_format.keep_with_next = True
    styles = doc.styles.element
    # Word's own names for footnote styles, so Word and LibreOffice show them as usual.
    styles.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FootnoteText">'
            '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>'
            '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/>'
            f'</w:pPr><w:rPr><w:sz w:val="{int(size * 2) - 6}"/></w:rPr></w:style>'
        )
    )
    styles.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="FootnoteReference">'
            '<w:name w:val="footnote reference"/><w:uiPriority w:val="99"/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
        )
    )


def setup_page(doc: DocxDocument, profile: dict[str, Any]) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.left_margin = Cm(3.0)
    sec.right_margin = Cm(profile.get("right_margin_cm", 2.0))
    sec.header_distance, sec.footer_distance = Cm(1.0), Cm(1.0)


def add_field(paragraph: DocxParagraph, instr: str, placeholder: str) -> None:
    """A complex field (PAGE): begin, instruction, separate, cached result, end."""
    p = paragraph._p
    for xml in (
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:t>{placeholder}</w:t></w:r>',
        f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        p.append(parse_xml(xml))


def setup_header_footer(doc: DocxDocument, d: Doc) -> None:
    sec = doc.sections[0]
    if d.running_header:
        hp = sec.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = hp.add_run(d.running_header)
        run.bold = True
        set_run_fonts(run._r, 13)
    else:
        sec.header.is_linked_to_previous = True
    if d.page_numbers:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_field(fp, "PAGE", "1")


def add_footnote_ref(paragraph: DocxParagraph, fid: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{fid}"/></w:r>'
        )
    )


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_footnotes_part(doc: DocxDocument, footnotes: dict[str, str]) -> None:
    """python-docx has no footnote API: add word/footnotes.xml, its relationship and settings.

    Ids -1 and 0 are the separator and continuation separator Word expects before real notes.
    """
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
        'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>",
    ]
    for fid in sorted(footnotes, key=int):
        notes.append(
            f'<w:footnote w:id="{fid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {xml_text(footnotes[fid])}</w:t></w:r>'
            "</w:p></w:footnote>"
        )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
        f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships">{"".join(notes)}</w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    settings = doc.settings.element
    pr = parse_xml(
        f'<w:footnotePr xmlns:w="{W_NS}"><w:footnote w:id="-1"/>'
        '<w:footnote w:id="0"/></w:footnotePr>'
    )
    compat = settings.find(qn("w:compat"))
    # Schema order: footnotePr comes before compat in w:settings.
    if compat is not None:
        compat.addprevious(pr)
    else:
        settings.append(pr)


def add_numbering(doc: DocxDocument) -> None:
    """A multilevel list for report headings: level 0 "I.", level 1 "1." (restarts under I)."""
    numbering = doc.part.numbering_part.element
    lvls = []
    for ilvl, fmt, text in ((0, "upperRoman", "%1."), (1, "decimal", "%2.")):
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="space"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{ABSTRACT_NUM_ID}"><w:multiLevelType '
        f'w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>'
    )
    # All abstractNum elements must precede the num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for i, num_id in enumerate(NUM_IDS):
        override = (
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
            if i > 0
            else ""
        )
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{ABSTRACT_NUM_ID}"/>'
                f"{override}</w:num>"
            )
        )


def set_num_pr(paragraph: DocxParagraph, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()  # schema position, not appended
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def write_runs(
    paragraph: DocxParagraph,
    parts: list[str | FootnoteRef],
    bold: bool = False,
    italic: bool = False,
) -> None:
    for part in parts:
        if isinstance(part, FootnoteRef):
            add_footnote_ref(paragraph, part.id)
        else:
            run = paragraph.add_run(part)
            if bold:
                run.bold = True
            if italic:
                run.italic = True


def add_para(doc: DocxDocument, p: Para, d: Doc) -> None:
    profile = d.profile
    styled = set(profile.get("heading_styles", []))
    rank_name = {v: k for k, v in HEADING_RANKS.items()}
    para = doc.add_paragraph()
    pf = para.paragraph_format
    bold = italic = False
    if p.kind == "heading":
        scheme = rank_name.get(p.rank if p.rank is not None else -1, "")
        if scheme in styled and p.level:
            para.style = doc.styles[f"Heading {min(p.level, 4)}"]
        else:
            bold = True
            italic = scheme in ("decimal2", "star")
            pf.keep_with_next = True
        if p.role == "title" or (scheme == "part" and p.level == 1):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            pf.first_line_indent = Cm(1.0) if p.auto_num is None else None
        if p.auto_num:
            set_num_pr(para, *p.auto_num)
            if p.auto_num[1] == 1:
                pf.first_line_indent = Cm(1.0)
    elif p.role in ("caption", "table_caption"):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        italic = p.role == "caption"
        bold = p.role == "table_caption"
    elif p.role in ("signature", "byline"):
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        bold = True
    elif p.role == "dateline":
        italic = True
    else:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if d.doc_type != "news":
            pf.first_line_indent = Cm(1.0)
        if re.match(r"^Đơn vị tính", p.raw):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.first_line_indent = None
            italic = True
    if p.role == "title" and d.doc_type == "news":
        for run_part in p.parts:
            if isinstance(run_part, str):
                run = para.add_run(run_part)
                run.bold = True
                run.font.size = Pt(16)
        pf.space_after = Pt(12)
        return
    if p.page_break_before:
        pf.page_break_before = True
    write_runs(para, p.parts, bold=bold, italic=italic)


def set_cell_text(cell: Any, text: str, bold: bool, align: Any, size: float) -> DocxParagraph:
    para = cell.paragraphs[0]
    para.alignment = align
    para.paragraph_format.first_line_indent = None
    para.paragraph_format.space_after = Pt(2)
    para.paragraph_format.line_spacing = 1.0
    if text:
        run = para.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
    return para


def add_table(doc: DocxDocument, t: Table) -> DocxTable:
    ncols = max(len(r) for r in t.rows)
    table = doc.add_table(rows=len(t.rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    merged_away = set()
    for m in t.merges:
        top = table.cell(m["row"], m["col"])
        top.merge(table.cell(m["row"] + m["rowspan"] - 1, m["col"]))
        merged_away.update((m["row"] + k, m["col"]) for k in range(1, m["rowspan"]))
    notes = {(int(c["row"]), int(c["col"])): str(c["id"]) for c in t.cell_footnotes}
    for r, row in enumerate(t.rows):
        header = r < t.header_rows
        if header:
            # Repeat header rows when the table continues on the next page, as Word users do.
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
        for c, text in enumerate(row):
            if (r, c) in merged_away:
                continue
            numeric = bool(re.fullmatch(r"[\d.,%/-]*", text))
            align = WD_ALIGN_PARAGRAPH.CENTER if header or numeric else WD_ALIGN_PARAGRAPH.LEFT
            para = set_cell_text(
                table.cell(r, c), text, header or text == "Cộng", align, t.font_size
            )
            if (r, c) in notes:
                add_footnote_ref(para, notes[(r, c)])
    # Content-driven widths: the STT column narrow, long text columns wide. LibreOffice reads
    # the grid (w:gridCol), Word the cell widths (w:tcW), so both are set.
    cells = [[row[c] if c < len(row) else "" for row in t.rows] for c in range(ncols)]
    weights = [
        max(min(max(map(len, col)), 40), max(len(w) for x in col for w in x.split() or [""]) + 5)
        for col in cells
    ]
    widths = [Cm(16.0 * w / sum(weights)) for w in weights]
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for c, width in enumerate(widths):
            row.cells[c].width = width
    return table


def png_placeholder(width: int = 480, height: int = 270) -> bytes:
    """A grey photo placeholder, written by hand so the build needs no imaging library."""
    raw = b"".join(
        b"\x00" + bytes(200 if (x // 24 + y // 24) % 2 else 170 for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def build_docx(d: Doc, path: Path) -> None:
    doc = Document()
    setup_page(doc, d.profile)
    setup_styles(doc, d.profile)
    setup_header_footer(doc, d)
    if any(isinstance(b, Para) and b.auto_num for b in d.blocks):
        add_numbering(doc)
    # Drop the template's initial empty paragraph so the document starts with seed text.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for b in d.blocks:
        if isinstance(b, Para):
            add_para(doc, b, d)
        elif isinstance(b, Table):
            add_table(doc, b)
            doc.add_paragraph().paragraph_format.space_after = Pt(0)
        else:
            pic = doc.add_paragraph()
            pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pic.add_run().add_picture(BytesIO(png_placeholder()), width=Cm(12))
    if d.footnotes:
        add_footnotes_part(doc, d.footnotes)
    core = doc.core_properties
    core.author = core.last_modified_by = "daihoi corpus/build.py"
    core.title = d.stem
    core.created = core.modified = FIXED_DATE
    core.last_printed = FIXED_DATE
    core.revision = 1
    buf = BytesIO()
    doc.save(buf)
    path.write_bytes(pin_zip_dates(buf.getvalue()))


def pin_zip_dates(data: bytes, when: datetime = FIXED_DATE) -> bytes:
    """Rewrite the DOCX zip with fixed entry dates (python-docx stamps the current time), so a
    rebuild from unchanged sources is byte-identical. Shared with make_synthetic.py."""
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ----------------------------------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------------------------------


def convert_to_pdf(docx_paths: list[Path]) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is required: apt-get install libreoffice-writer")
    OUT_PDF.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo_profile_build") as profile:
        # A private profile: several soffice processes can run at the same time.
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(OUT_PDF),
            *map(str, docx_paths),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    for p in docx_paths:
        pin_pdf(OUT_PDF / f"{p.stem}.pdf")


def pin_pdf(path: Path) -> None:
    """Replace the creation date, document id and checksum LibreOffice writes, in place.

    Every replacement has the length of the original, so the cross-reference offsets stay valid.
    """
    data = path.read_bytes()
    stamp = FIXED_DATE.strftime("%Y%m%d%H%M%S")

    def fix_date(m: re.Match[bytes]) -> bytes:
        # Same length as LibreOffice's "D:YYYYMMDDHHmmSSZ'" (or its +HH'mm' form), so the xref
        # offsets stay valid.
        n = len(m.group(0))
        fixed = f"D:{stamp}+00'00'" if n >= 23 else f"D:{stamp}Z'"
        return fixed.encode().ljust(n, b" ")[:n]

    data = re.sub(rb"D:\d{14}[^)]*", fix_date, data)
    data = re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + b"0" * 32 + b">", data)
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, data)
    path.write_bytes(data)


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def main() -> int:
    for d in (OUT_DOCX, OUT_PDF, OUT_TRUTH):
        d.mkdir(exist_ok=True)
    docx_paths = []
    for seed in sorted(SEEDS.glob("*.txt")):
        stem = seed.stem
        doc = parse_seed(stem)
        truth = build_truth(doc)
        (OUT_TRUTH / f"{stem}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        docx_path = OUT_DOCX / f"{stem}.docx"
        build_docx(doc, docx_path)
        docx_paths.append(docx_path)
        print(
            f"{stem}: {len(truth['paragraphs'])} paragraphs, {len(truth['tables'])} tables, "
            f"{len(truth['footnotes'])} footnotes"
        )
    if "--no-pdf" not in sys.argv:
        convert_to_pdf(docx_paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
