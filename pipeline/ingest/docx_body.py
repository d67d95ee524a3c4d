"""Walk WordprocessingML in reading order: paragraphs, runs, fields, tables, text boxes.

One `Walker` per story (body, footnotes, a header) keeps the state that crosses paragraphs:
complex-field nesting (a TOC field spans many paragraphs) and list counters. What it reads goes
to a sink: `BodySink` makes `Block`s and `Table`s, `TextSink` flattens everything to one string
(table cells, headers, footnote bodies).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from pipeline.ingest.docx_numbering import (
    TEXT_BULLETS,
    Label,
    Numbering,
    is_symbol_font,
    symbol_char,
)
from pipeline.ingest.docx_styles import ParaStyle, Props, Styles, W, parse_ppr, parse_rpr, wattr
from pipeline.model import Block, Table

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

# Inline elements that print nothing we keep (bookmarks, comment anchors, deleted text...).
_SKIP_INLINE = frozenset(
    W + t
    for t in (
        "pPr", "rPr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
        "proofErr", "permStart", "permEnd", "moveFromRangeStart", "moveFromRangeEnd",
        "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
        "sdtPr", "sdtEndPr",
    )
)
_TRACKED_DELETE = frozenset({W + "del", W + "moveFrom"})
_TRACKED_INSERT = frozenset({W + "ins", W + "moveTo"})
# Containers that only wrap block- or row-level content.
_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"})
_BREAKS = frozenset({W + "tab", W + "ptab", W + "br", W + "cr"})
_BOX_HOSTS = frozenset({W + "drawing", W + "pict", MC + "AlternateContent", W + "object"})
_NOTE_REFS = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}

# Layout-table thresholds (see `layout_mode`).
_LONG_PARAGRAPH = 80
_TITLE_CELL_MAX = 200


class LegacyFonts:
    """Font name -> legacy 8-bit encoding, through `pipeline.ingest.legacy` when present."""

    def __init__(self) -> None:
        try:
            from pipeline.ingest import legacy
        except ImportError:  # legacy.py is optional at import time; without it, no decoding
            legacy = None
        self._legacy = legacy
        self._cache: dict[str | None, tuple[str | None, bool]] = {}
        self.used: Counter[str] = Counter()

    def encoding(self, font: str | None) -> tuple[str | None, bool]:
        if self._legacy is None or not font:
            return None, False
        if font not in self._cache:
            self._cache[font] = self._legacy.font_encoding(font)
        return self._cache[font]

    def decode(self, text: str, encoding: str, caps: bool) -> str:
        self.used[encoding] += len(text)
        return self._legacy.decode(text, encoding, caps)


@dataclass
class NoteRef:
    """A footnote/endnote marker: where it sits (block index and offset) once known."""

    kind: str
    note_id: str
    offset: int
    mark: str | None = None  # a custom mark typed after the reference ("*")
    block: int | None = None
    cell: tuple[int, int] | None = None  # (row, col) when the marker is in a table cell
    table: int | None = None


@dataclass
class _Para:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    segments: list[tuple[str, Props]] = field(default_factory=list)
    refs: list[NoteRef] = field(default_factory=list)
    boxes: list[etree._Element | str] = field(default_factory=list)
    custom_mark: bool = False

    def add(self, text: str, props: Props) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.segments.append((text, props))


@dataclass
class _Field:
    instr: str = ""
    result: bool = False  # past w:fldChar "separate": the field's printed result

    @property
    def is_toc(self) -> bool:
        return self.instr.strip().upper().startswith("TOC")


class Sink(Protocol):
    def paragraph(self, block: Block, refs: list[NoteRef]) -> None: ...

    def table(self, tbl: etree._Element, walker: Walker) -> None: ...


class Walker:
    """Reads one story; `keep_fields=False` drops field results (page numbers in headers)."""

    def __init__(
        self, styles: Styles, numbering: Numbering, legacy: LegacyFonts, keep_fields: bool = True
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.legacy = legacy
        self.keep_fields = keep_fields
        self.fields: list[_Field] = []
        self.tracked_changes = False
        self.toc_skipped = False
        self.alt_chunks = 0

    # -- block level -------------------------------------------------------------------

    def walk(self, container: etree._Element, sink: Sink) -> None:
        """Emit the paragraphs and tables under `container` (body, cell, text box) in order."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child, sink)
            elif tag == W + "tbl":
                sink.table(child, self)
            elif tag in _WRAPPERS:
                self.tracked_changes |= tag in _TRACKED_INSERT
                self.walk(child, sink)
            elif tag == MC + "AlternateContent":
                branch = choose_branch(child)
                if branch is not None:
                    self.walk(branch, sink)
            elif tag in _TRACKED_DELETE:
                self.tracked_changes = True
            elif tag == W + "altChunk":
                self.alt_chunks += 1  # an embedded HTML/RTF file: Word merges it on open

    def paragraph(self, p: etree._Element, sink: Sink) -> None:
        direct = parse_ppr(p.find(W + "pPr"))
        style = self.styles.para_style(direct.get("pStyle"))
        para = _Para()
        self._inline(p, style.style_id, para)
        label = self._label(direct, style)
        block = make_block(para, direct, style, label)
        sink.paragraph(block, para.refs)
        for box in para.boxes:
            if isinstance(box, str):
                sink.paragraph(Block(text=box), [])  # WordArt text (v:textpath)
            else:
                self.walk(box, sink)

    def _label(self, direct: Props, style: ParaStyle) -> Label | None:
        num_id = direct.get("numId", style.ppr.get("numId"))
        if num_id is None:
            return None
        ilvl = direct.get("ilvl", style.ppr.get("ilvl"))
        return self.numbering.label(str(num_id), ilvl, style.style_id)  # type: ignore[arg-type]

    # -- inline level ------------------------------------------------------------------

    def _inline(self, el: etree._Element, style_id: str | None, para: _Para) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self._run(child, style_id, para)
            elif tag in _SKIP_INLINE or not isinstance(tag, str):
                continue
            elif tag in _TRACKED_DELETE:
                self.tracked_changes = True
            elif tag == W + "fldSimple":
                if self.keep_fields:
                    self._inline(child, style_id, para)
            elif tag == MC + "AlternateContent":
                branch = choose_branch(child)
                if branch is not None:
                    self._inline(branch, style_id, para)
            elif tag == M + "t":
                if self._visible():
                    para.add(child.text or "", self.styles.run_base(style_id, None))
            else:
                # hyperlink, ins, smartTag, sdt, customXml, math...: their text is printed.
                self.tracked_changes |= tag in _TRACKED_INSERT
                self._inline(child, style_id, para)

    def _run(self, r: etree._Element, style_id: str | None, para: _Para) -> None:
        own = parse_rpr(r.find(W + "rPr"))
        base = self.styles.run_base(style_id, own.get("rStyle"))  # type: ignore[arg-type]
        props = {**base, **own} if own else base
        hidden = bool(props.get("vanish"))
        buf: list[str] = []
        visible = self._visible() and not hidden
        for child in r:
            tag = child.tag
            if tag == W + "t":
                if visible:
                    self._text(child.text or "", buf, para)
            elif tag in _BREAKS:
                if visible:
                    buf.append(" ")  # Blocks hold no newlines; a tab or break is a space
            elif tag == W + "noBreakHyphen":
                if visible:
                    buf.append("-")  # a plain hyphen, so "57-NQ/TW" matches downstream
            elif tag == W + "sym":
                if visible:
                    self._flush(buf, props, para)
                    para.add(_sym(child), props)
            elif tag == W + "fldChar":
                self._field_char(child)
                visible = self._visible() and not hidden
            elif tag == W + "instrText":
                if self.fields and not self.fields[-1].result:
                    self.fields[-1].instr += child.text or ""
            elif tag in _NOTE_REFS:
                self._flush(buf, props, para)
                custom = (wattr(child, "customMarkFollows") or "").lower() in ("1", "true", "on")
                para.refs.append(NoteRef(_NOTE_REFS[tag], wattr(child, "id") or "", para.length))
                para.custom_mark = custom
            elif tag in _BOX_HOSTS:
                para.boxes.extend(find_boxes(child))
        self._flush(buf, props, para)

    def _text(self, text: str, buf: list[str], para: _Para) -> None:
        if para.custom_mark and para.refs:
            para.refs[-1].mark = text.strip() or None  # the mark is not body text
            para.custom_mark = False
            return
        buf.append(text)

    def _flush(self, buf: list[str], props: Props, para: _Para) -> None:
        if not buf:
            return
        text = "".join(buf)
        buf.clear()
        font = self.styles.font(props, "ascii")
        encoding, caps = self.legacy.encoding(font)
        if encoding is None:
            other = self.styles.font(props, "hAnsi")
            if other != font:
                font = other
                encoding, caps = self.legacy.encoding(font)
        if encoding:
            text = self.legacy.decode(text, encoding, caps)
        elif is_symbol_font(font):
            text = "".join(symbol_char(ch, font) if not ch.isspace() else ch for ch in text)
        para.add(text, props)

    def _field_char(self, el: etree._Element) -> None:
        kind = wattr(el, "fldCharType")
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].result = True
            self.toc_skipped |= self.fields[-1].is_toc
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _visible(self) -> bool:
        if not self.fields:
            return True
        if not self.keep_fields:
            return False
        # Field codes are never text; results are, except a table of contents, which would
        # repeat every heading in the body.
        return all(f.result and not f.is_toc for f in self.fields)


def _sym(el: etree._Element) -> str:
    font = wattr(el, "font")
    try:
        code = int(wattr(el, "char") or "", 16)
    except ValueError:
        return ""
    if is_symbol_font(font):
        return symbol_char(chr(code), font)
    return chr(code - 0xF000 if code >= 0xF000 else code)


def choose_branch(alt: etree._Element) -> etree._Element | None:
    """One branch of `mc:AlternateContent`: both render the same content, read it once."""
    choice = alt.find(MC + "Choice")
    return choice if choice is not None else alt.find(MC + "Fallback")


def find_boxes(el: etree._Element) -> list[etree._Element | str]:
    """Text boxes (`w:txbxContent`) and WordArt strings under a drawing, outermost only."""
    out: list[etree._Element | str] = []
    if el.tag == MC + "AlternateContent":
        branch = choose_branch(el)
        return find_boxes(branch) if branch is not None else out
    for child in el:
        tag = child.tag
        if tag == W + "txbxContent":
            out.append(child)
        elif tag == MC + "AlternateContent":
            branch = choose_branch(child)
            if branch is not None:
                out.extend(find_boxes(branch))
        elif tag == V + "textpath":
            if child.get("string"):
                out.append(child.get("string"))
        elif isinstance(tag, str):
            out.extend(find_boxes(child))
    return out


# -- paragraphs -> Blocks ----------------------------------------------------------------


def make_block(para: _Para, direct: Props, style: ParaStyle, label: Label | None) -> Block:
    text = "".join(para.parts)
    # Outer whitespace is layout (an indenting tab); dropping it here keeps marker offsets
    # valid when later stages strip the text.
    stripped = text.lstrip()
    for ref in para.refs:
        ref.offset = max(0, ref.offset - (len(text) - len(stripped)))
    text = stripped.rstrip()
    numbering = label.text if label else None
    if label and label.prepend and text and not typed_by_hand(text, label.text):
        prefix = label.text + label.suffix
        text = prefix + text
        for ref in para.refs:
            ref.offset += len(prefix)
    outline = direct.get("outline", style.ppr.get("outline"))
    if not isinstance(outline, int) or not 0 <= outline <= 8:
        outline = None  # 9 is "body text"
    heading = outline is not None or style.heading_level is not None
    ppr = {**style.ppr, **(label.ppr if label else {}), **direct}
    bold, italic, caps, size = run_look(para.segments)
    kind = "heading" if heading else "list_item" if label else "paragraph"
    return Block(
        text=text,
        kind=kind,
        style=style.name,
        outline_level=outline if outline is not None else style.heading_level,
        numbering=numbering,
        bold=bold,
        italic=italic,
        font_size=size,
        indent=_indent(ppr),
        align=ppr.get("jc") or "left",  # type: ignore[arg-type]
        all_caps=caps,
    )


def typed_by_hand(text: str, label: str) -> bool:
    """True when the paragraph already starts with the number Word would print ("1. ...")."""
    stripped = text.lstrip()
    if label in TEXT_BULLETS:
        return stripped.startswith(label)
    core = label.rstrip(".):")
    if not core or core == label:
        return stripped.startswith(label) and (
            len(stripped) == len(label) or not stripped[len(label)].isalnum()
        )
    if not stripped.startswith(core):
        return False
    rest = stripped[len(core):]
    # "1. Công tác" repeats the label "1."; "1.1. Công tác" under label "1." does not.
    return rest == "" or (rest[0] in ".):" and not rest[1:2].isdigit())


def run_look(segments: list[tuple[str, Props]]) -> tuple[bool, bool, bool, float | None]:
    """(bold, italic, all caps, dominant size) over the runs that print something."""
    inked = [(text, props) for text, props in segments if text.strip()]
    if not inked:
        return False, False, False, None
    sizes: Counter[float] = Counter()
    for text, props in inked:
        size = props.get("sz")
        if isinstance(size, float):
            sizes[size] += len(text)
    return (
        all(props.get("b") for _, props in inked),
        all(props.get("i") for _, props in inked),
        all(props.get("caps") for _, props in inked),
        sizes.most_common(1)[0][0] if sizes else None,
    )


def _indent(ppr: Props) -> float | None:
    left = ppr.get("ind_left")
    first = ppr.get("ind_first")
    if left is None and first is None:
        return None
    return float(left or 0.0) + float(first or 0.0)  # type: ignore[arg-type]


# -- sinks -------------------------------------------------------------------------------


class BodySink:
    """Collects body Blocks and Tables; footnote markers get their block index."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.refs: list[NoteRef] = []
        self.layout_tables = 0

    def paragraph(self, block: Block, refs: list[NoteRef]) -> None:
        # Empty paragraphs (spacing) are not blocks: indexes must survive normalisation.
        index: int | None = None
        if block.text.strip():
            index = len(self.blocks)
            self.blocks.append(block)
        for ref in refs:
            ref.block = index
            if index is None:
                ref.offset = 0
        self.refs.extend(refs)

    def table(self, tbl: etree._Element, walker: Walker) -> None:
        at_top = len(self.blocks) <= 3 and not self.tables
        if layout_mode(tbl, at_top):
            self.layout_tables += 1
            for cell in iter_cells(tbl):
                walker.walk(cell, self)
            return
        rows = table_rows(tbl, walker, self.refs)
        if any(cell for row in rows for cell in row):
            for ref in self.refs:
                if ref.cell is not None and ref.table is None:
                    ref.table = len(self.tables)
            self.tables.append(Table(rows=rows, after_block=len(self.blocks) - 1))


class TextSink:
    """Flattens everything to text: a table cell, a header, a footnote body."""

    def __init__(self, refs: list[NoteRef]) -> None:
        self.parts: list[str] = []
        self.refs = refs

    def paragraph(self, block: Block, refs: list[NoteRef]) -> None:
        if block.text.strip():
            self.parts.append(block.text.strip())
        for ref in refs:
            ref.block = None
        self.refs.extend(refs)

    def table(self, tbl: etree._Element, walker: Walker) -> None:
        for row in table_rows(tbl, walker, self.refs):
            self.parts.extend(cell for cell in row if cell)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


# -- tables ------------------------------------------------------------------------------


def children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and tracked insertions."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from children(child, tag)


def _grid_value(el: etree._Element | None, name: str) -> int:
    val = wattr(el.find(W + name), "val") if el is not None else None
    try:
        return max(0, int(val)) if val is not None else 0
    except ValueError:
        return 0


def _span(tc: etree._Element) -> int:
    return max(1, _grid_value(tc.find(W + "tcPr"), "gridSpan"))


def _covered(tc: etree._Element) -> bool:
    """A cell hidden under a vertical (or legacy horizontal) merge: it prints nothing."""
    tcpr = tc.find(W + "tcPr")
    if tcpr is None:
        return False
    for name in ("vMerge", "hMerge"):
        merge = tcpr.find(W + name)
        if merge is not None and wattr(merge, "val") != "restart":
            return True
    return False


def _deleted_row(tr: etree._Element) -> bool:
    trpr = tr.find(W + "trPr")
    return trpr is not None and trpr.find(W + "del") is not None


def table_rows(tbl: etree._Element, walker: Walker, refs: list[NoteRef]) -> list[list[str]]:
    """Rows of cell strings on the table grid; spanned and merged positions are ""."""
    rows: list[list[str]] = []
    for tr in children(tbl, W + "tr"):
        if _deleted_row(tr):
            continue
        trpr = tr.find(W + "trPr")
        row = [""] * _grid_value(trpr, "gridBefore")
        for tc in children(tr, W + "tc"):
            sink = TextSink(refs)
            known = len(refs)
            walker.walk(tc, sink)  # even covered cells: list counters must still advance
            for ref in refs[known:]:
                ref.cell = ref.cell or (len(rows), len(row))
            row.append("" if _covered(tc) else sink.text)
            row.extend([""] * (_span(tc) - 1))
        row.extend([""] * _grid_value(trpr, "gridAfter"))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def iter_cells(tbl: etree._Element) -> Iterator[etree._Element]:
    for tr in children(tbl, W + "tr"):
        if not _deleted_row(tr):
            yield from children(tr, W + "tc")


def _paragraph_texts(tc: etree._Element) -> list[str]:
    return ["".join(p.itertext(W + "t")) for p in tc.iter(W + "p")]


def layout_mode(tbl: etree._Element, at_top: bool) -> str | None:
    """"body" or "title" when the table is page layout rather than data, else None.

    Word users lay out whole pages with tables, and these must be read as body text:
    - "body": at most 2 columns and 3 rows whose cells hold 4+ prose paragraphs (80+ chars):
      the report was typed inside one big cell (or two side by side);
    - "title": at the top of the document (at most 3 blocks and no table before it), at most
      2 rows of at most 2 columns, every cell short (200 chars), one line in capitals of 3+
      words (a data header like "STT | Nội dung" has none): the Vietnamese title block
      "ĐẢNG BỘ ... / CHI BỘ ... | ĐẢNG CỘNG SẢN VIỆT NAM / ..., ngày ...". The unit's name
      lives there, and metadata extraction reads it from the body text.
    A data table (STT | Nội dung | Kết quả ...) has 3+ columns or many short rows.
    """
    rows = [list(children(tr, W + "tc")) for tr in children(tbl, W + "tr")]
    if not rows:
        return None
    width = max(sum(_span(tc) for tc in row) for row in rows)
    if width > 2:
        return None
    cells = [_paragraph_texts(tc) for row in rows for tc in row]
    long_paragraphs = sum(1 for texts in cells for t in texts if len(t) >= _LONG_PARAGRAPH)
    if len(rows) <= 3 and long_paragraphs >= 4:
        return "body"
    texts = [" ".join(t) for t in cells]
    if at_top and len(rows) <= 2 and all(len(t) <= _TITLE_CELL_MAX for t in texts):
        if any(_caps_line(t) for paragraphs in cells for t in paragraphs):
            return "title"
    return None


def _caps_line(text: str) -> bool:
    """An organisation line of a title block: 3+ words, all capitals ("CHI BỘ 1")."""
    return len(text.split()) >= 3 and text.isupper()
