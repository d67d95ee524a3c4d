"""DOCX reader: the zip's XML parts, read with lxml, into a `Document`.

We read the WordprocessingML ourselves rather than through python-docx because python-docx
loses the order of paragraphs and tables, drops footnotes and Word's automatic list numbers
("I.", "2.1.", "a)"), and parses every part through its object layer (slower). Each part is
parsed once; the walk itself lives in `docx_body`, styles in `docx_styles`, list numbering in
`docx_numbering`.

Untrusted input: zip sizes are checked before anything is inflated (zip bombs), and the XML
parser resolves no entities and fetches nothing.

`doc.properties` keys set here (when the file has them): title, subject, author,
last_modified_by, created, modified (docProps/core.xml); pages_reported, words_reported,
application, company (docProps/app.xml; `doc.pages` stays None: Word stores no pagination);
legacy_encoding + legacy_detected_by ("font"); tracked_changes; toc_skipped;
layout_tables_as_body (count of tables read as body paragraphs).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline.errors import IngestError
from pipeline.ingest.docx_body import BodySink, LegacyFonts, NoteRef, TextSink, Walker
from pipeline.ingest.docx_numbering import Numbering, NumberingDefs
from pipeline.ingest.docx_styles import Styles, W, theme_fonts, wattr
from pipeline.ingest.limits import MB, Limits
from pipeline.model import Document, Footnote

MAIN = "word/document.xml"
_FIXED_PARTS = (
    MAIN, "word/styles.xml", "word/numbering.xml", "word/footnotes.xml", "word/endnotes.xml",
    "docProps/core.xml", "docProps/app.xml",
)
_STORY_PART = re.compile(r"word/(header|footer)(\d*)\.xml")
_THEME_PART = re.compile(r"word/theme/theme\d*\.xml")
# Only big members are ratio-checked: small XML legitimately compresses 50-100:1.
_RATIO_FLOOR = 1 * MB
# Word's "Strict Open XML" saves use other namespace URIs for the same elements.
_STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main",
     b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/main",
     b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
)
_NOTE_SKIP = frozenset({"separator", "continuationSeparator", "continuationNotice"})

_CORE = {
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy":
        "last_modified_by",
    "{http://purl.org/dc/terms/}created": "created",
    "{http://purl.org/dc/terms/}modified": "modified",
}
_APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_APP = {"Pages": "pages_reported", "Words": "words_reported", "Application": "application",
        "Company": "company"}


def read(path: Path, doc: Document, limits: Limits) -> None:
    """Fill `doc` from the DOCX at `path`; raise `IngestError` for corrupt files and zip bombs."""
    shown = str(path)
    parts = read_parts(path, shown, limits)
    trees = {name: _parse(data, name, shown, doc) for name, data in parts.items()}
    root = trees.get(MAIN)
    if root is None:
        raise IngestError("corrupt", path=shown, detail=f"{MAIN} is not valid XML")

    styles = Styles(trees.get("word/styles.xml"), theme_fonts(_theme(trees)))
    defs = NumberingDefs(trees.get("word/numbering.xml"), styles)
    legacy = LegacyFonts()

    walker = Walker(styles, Numbering(defs), legacy)
    sink = BodySink()
    body = root.find(W + "body")
    if body is not None:
        walker.walk(body, sink)
    doc.blocks = sink.blocks
    doc.tables = sink.tables
    doc.footnotes = _footnotes(sink.refs, trees, styles, defs, legacy)
    doc.page_headers = _stories(trees, "header", styles, defs, legacy)
    doc.page_footers = _stories(trees, "footer", styles, defs, legacy)
    doc.pages = None  # Word does not store pagination; app.xml's count is only a hint
    _properties(doc, trees, walker, sink, legacy)


# -- the zip -----------------------------------------------------------------------------


def read_parts(path: Path, shown: str, limits: Limits) -> dict[str, bytes]:
    """The bytes of the parts we use, after checking what they would inflate to."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if MAIN not in names:
                raise IngestError("corrupt", path=shown,
                                  detail=f"no {MAIN} inside: not a Word document")
            wanted = _wanted(names)
            guard_zip([i for i in infos if i.filename in wanted], shown, limits)
            return {name: zf.read(name) for name in sorted(wanted)}
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError) as exc:
        raise IngestError("corrupt", path=shown, detail=f"zip: {exc}") from exc


def _wanted(names: set[str]) -> set[str]:
    wanted = {n for n in _FIXED_PARTS if n in names}
    wanted |= {n for n in names if _STORY_PART.fullmatch(n)}
    themes = sorted(n for n in names if _THEME_PART.fullmatch(n))
    if themes:
        wanted.add(themes[0])
    return wanted


def guard_zip(infos: list[zipfile.ZipInfo], shown: str, limits: Limits) -> None:
    """Refuse a zip whose parts inflate past the limits (declared sizes bound what zipfile
    inflates, so checking them before reading is enough)."""
    total = sum(i.file_size for i in infos)
    if total > limits.max_inflated_bytes:
        raise IngestError(
            "zip_bomb", path=shown,
            detail=f"XML parts inflate to {_size(total)}, limit {_size(limits.max_inflated_bytes)}",
        )
    for info in infos:
        if info.file_size <= _RATIO_FLOOR:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise IngestError(
                "zip_bomb", path=shown,
                detail=f"{info.filename} is compressed {ratio:.0f}:1 "
                       f"(limit {limits.max_compression_ratio:.0f}:1)",
            )


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _parse(data: bytes, name: str, shown: str, doc: Document) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
        load_dtd=False,
    )
    for strict, transitional in _STRICT_NAMESPACES:
        data = data.replace(strict, transitional)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if name == MAIN:
            raise IngestError("corrupt", path=shown, detail=f"{name}: {exc}") from exc
        doc.warnings.append(f"docx: {name} is not valid XML and was skipped ({exc})")
        return None


def _theme(trees: dict[str, etree._Element | None]) -> etree._Element | None:
    return next((t for n, t in trees.items() if _THEME_PART.fullmatch(n)), None)


# -- footnotes, headers, properties ------------------------------------------------------


def _note_texts(root: etree._Element | None, kind: str, walker: Walker) -> dict[str, str]:
    texts: dict[str, str] = {}
    if root is None:
        return texts
    for note in root.iter(W + kind):
        if wattr(note, "type") in _NOTE_SKIP:
            continue
        sink = TextSink([])
        walker.walk(note, sink)
        texts[wattr(note, "id") or ""] = sink.text
    return texts


def _footnotes(
    refs: list[NoteRef], trees: dict[str, etree._Element | None], styles: Styles,
    defs: NumberingDefs, legacy: LegacyFonts,
) -> list[Footnote]:
    """Footnotes then endnotes, numbered as printed: in the order of their markers."""
    out: list[Footnote] = []
    for kind in ("footnote", "endnote"):
        walker = Walker(styles, Numbering(defs), legacy)
        texts = _note_texts(trees.get(f"word/{kind}s.xml"), kind, walker)
        number = 0
        seen: set[str] = set()
        for ref in refs:
            if ref.kind != kind or ref.note_id in seen or ref.note_id not in texts:
                continue
            seen.add(ref.note_id)
            if ref.mark is None:
                number += 1
            label = ref.mark or str(number)
            row, col = ref.cell if ref.cell is not None and ref.table is not None else (None, None)
            out.append(Footnote(label, texts[ref.note_id], kind, block=ref.block,
                                offset=ref.offset if ref.block is not None else None,
                                table=ref.table if row is not None else None, row=row, col=col))
        for note_id, text in texts.items():  # bodies no marker points at
            if note_id not in seen and text:
                number += 1
                out.append(Footnote(str(number), text, kind))
    return out


def _stories(
    trees: dict[str, etree._Element | None], kind: str, styles: Styles, defs: NumberingDefs,
    legacy: LegacyFonts,
) -> list[str]:
    """Text of each distinct header (or footer) part; field results (page numbers) dropped."""
    parts = sorted(
        (int(m.group(2) or 0), name)
        for name in trees
        if (m := _STORY_PART.fullmatch(name)) and m.group(1) == kind
    )
    out: list[str] = []
    for _, name in parts:
        root = trees[name]
        if root is None:
            continue
        sink = TextSink([])
        Walker(styles, Numbering(defs), legacy, keep_fields=False).walk(root, sink)
        if sink.text and sink.text not in out:
            out.append(sink.text)
    return out


def _properties(
    doc: Document, trees: dict[str, etree._Element | None], walker: Walker, sink: BodySink,
    legacy: LegacyFonts,
) -> None:
    props = doc.properties
    core = trees.get("docProps/core.xml")
    if core is not None:
        for el in core:
            key = _CORE.get(el.tag)
            if key and el.text and el.text.strip():
                props[key] = el.text.strip()
    app = trees.get("docProps/app.xml")
    if app is not None:
        for name, key in _APP.items():
            el = app.find(_APP_NS + name)
            if el is not None and el.text and el.text.strip():
                value = el.text.strip()
                props[key] = int(value) if key.endswith("_reported") and value.isdigit() else value
    if legacy.used:
        props["legacy_encoding"] = legacy.used.most_common(1)[0][0]
        props["legacy_detected_by"] = "font"
    if walker.tracked_changes:
        props["tracked_changes"] = True
    if walker.toc_skipped:
        props["toc_skipped"] = True
    if sink.layout_tables:
        props["layout_tables_as_body"] = sink.layout_tables
    if walker.alt_chunks:
        doc.warnings.append(
            f"docx: {walker.alt_chunks} embedded document part(s) (altChunk) were not read; "
            "open and save the file in Word to merge them"
        )
