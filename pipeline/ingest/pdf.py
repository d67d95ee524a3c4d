"""PDF -> Document: body paragraphs in reading order, tables, footnotes, running headers.

Pages are read one at a time with pypdfium2 (characters, boxes, fonts, drawn rules) and closed
at once, so memory stays flat and a text PDF reads at ~50 pages/s (pdfplumber's extract_text
manages ~16). Tables come from the drawn rules (pdf_tables) or from aligned columns of numbers
(pdf_aligned) and are cut out of the text before lines are built. Whole-document decisions
(which lines repeat as running headers, the body font size and margins) are taken on the small
`Line` objects once every page has been read; then paragraphs are rebuilt by `reflow`, and
footnote markers are cut out of the body and linked to their notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import IngestError
from pipeline.ingest.limits import MB, Limits
from pipeline.ingest.pdf_aligned import find_aligned_tables
from pipeline.ingest.pdf_columns import adopt_column_frames
from pipeline.ingest.pdf_furniture import (
    note_is_unfinished,
    parse_footnotes,
    split_footnote_lines,
    strip_running_lines,
)
from pipeline.ingest.pdf_layout import Decoder, PageText, group_lines
from pipeline.ingest.pdf_tables import (
    PageTable,
    continues,
    fill_cells,
    find_ruled_tables,
    merge_into,
    placeholder,
)
from pipeline.ingest.reflow import (
    Column,
    Line,
    Marker,
    Paragraph,
    build_paragraphs,
    measure_column,
    paragraph_to_block,
)
from pipeline.model import Document, Footnote, Table


def read(path: Path, doc: Document, limits: Limits) -> None:
    """Fill `doc` from the PDF at `path`; raise `IngestError` on encrypted or damaged files."""
    pdf = _open(path)
    try:
        n_pages = len(pdf)
        doc.pages = n_pages
        if n_pages > limits.max_pages:
            raise IngestError("too_large", path=str(path), size_mb=doc.size / MB,
                              limit_mb=limits.max_file_bytes / MB, pages=n_pages,
                              max_pages=limits.max_pages)
        decoder = _LegacyDecoder()
        pages, heights, tables = _read_pages(pdf, path, decoder)
        _ocr_pages(pdf, doc, pages, heights, tables, limits)
    finally:
        pdf.close()
    decoder.record(doc)
    if not any(pages) and not tables:
        return  # no text layer: load() reports it, with doc.pages set
    blank = [str(i) for i, lines in enumerate(pages, start=1) if not lines]
    if blank:
        # Often a scanned page (a signed copy) inside a typed report: its text is not read.
        doc.warnings.append(f"pdf: no text on page(s) {', '.join(blank)} (scanned?)")
    _assemble(doc, pages, heights, tables)


# --- OCR ---------------------------------------------------------------------------------------


def _ocr_pages(pdf: pdfium.PdfDocument, doc: Document, pages: list[list[Line]],
               heights: list[float], tables: list[PageTable], limits: Limits) -> None:
    """Read by OCR the pages the mode asks for (see pipeline.ingest.ocr), in place."""
    from pipeline.ingest import ocr

    mode = limits.effective_ocr_mode
    if mode == "never":
        return
    owned = {t.page for t in tables}
    targets = [i + 1 for i, lines in enumerate(pages)
               if mode == "always" or (not lines and i + 1 not in owned)]
    if not targets:
        return
    if not ocr.ocr_available():
        doc.warnings.append(
            f"pdf: page(s) {', '.join(map(str, targets))} have no text layer; install "
            f"Tesseract to read them: {ocr.INSTALL_HINT}")
        return
    if mode == "always":
        tables[:] = [t for t in tables if t.page not in set(targets)]
    sizes = {}
    for p in targets:
        w, h = pdf.get_page_size(p - 1)
        sizes[p] = (w, h)

    def render(page_no: int):  # noqa: ANN202 - a PIL image
        page = pdf[page_no - 1]
        try:
            bitmap = page.render(scale=ocr.DPI / 72, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            page.close()

    from pipeline.ingest.ocr_repair import repair

    report = []
    failed = []
    for result in ocr.read_pages(render, targets, sizes):
        index = result.page - 1
        if result.error or not result.chars:
            failed.append(result.page)
            pages[index] = []
            continue
        chars = result.chars
        flow: list[Line] = []
        for table in result.tables:
            chars = fill_cells(table, chars, None)
            table.rows = [[repair(c) for c in row] for row in table.rows]
            if any(cell for row in table.rows for cell in row):
                flow.append(placeholder(table, len(tables)))
                tables.append(table)
        lines = group_lines(chars, result.page, None, page_width=result.width)
        for line in lines:
            line.text = repair(line.text)
        pages[index] = _insert_by_position(lines, flow)
        heights[index] = result.height
        report.append({"page": result.page, "confidence": round(result.confidence or 0.0, 1),
                       "skew": round(result.skew, 2), "rotation": result.rotation})
    confidences = [r["confidence"] for r in report]
    doc.properties["ocr"] = {
        "engine": "tesseract", "lang": "vie", "psm": 6, "dpi": ocr.DPI, "mode": mode,
        "pages": report,
        "mean_confidence": round(sum(confidences) / len(confidences), 1) if report else None,
    }
    if report:
        doc.warnings.append(f"text of {len(report)} page(s) recognised by OCR: expect a few "
                            "wrong characters")
    if failed:
        doc.warnings.append(f"OCR could not read page(s) {', '.join(map(str, failed))}")


# --- opening -----------------------------------------------------------------------------------


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestError("encrypted", path=str(path)) from exc
        raise IngestError("corrupt", path=str(path), detail=_plain_reason(code)) from exc


def _plain_reason(code: int | None) -> str:
    return {
        pdfium_c.FPDF_ERR_FILE: "the file cannot be opened or is cut short",
        pdfium_c.FPDF_ERR_FORMAT: "the PDF structure is broken or the file is truncated",
        pdfium_c.FPDF_ERR_PAGE: "a page cannot be read",
    }.get(code, "the PDF cannot be parsed")


# --- pages -------------------------------------------------------------------------------------


def _read_pages(pdf: pdfium.PdfDocument, path: Path, decoder: _LegacyDecoder
                ) -> tuple[list[list[Line]], list[float], list[PageTable]]:
    """Lines of every page (tables replaced by placeholders), page heights, and tables.

    One page at a time, closed before the next, so memory does not grow with the page count.
    """
    pages: list[list[Line]] = []
    heights: list[float] = []
    tables: list[PageTable] = []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
        except pdfium.PdfiumError as exc:
            raise IngestError("corrupt", path=str(path),
                              detail=f"page {index + 1} cannot be read") from exc
        try:
            text = PageText(page)
            found = find_ruled_tables(page, index + 1) if text.chars else []
        finally:
            page.close()
        chars = text.chars
        flow: list[Line] = []
        for table in found:
            chars = fill_cells(table, chars, decoder.decode)
            if any(cell for row in table.rows for cell in row):
                flow.append(placeholder(table, len(tables)))
                tables.append(table)
        lines, borderless = find_aligned_tables(group_lines(chars, index + 1, decoder.decode,
                                                            page_width=text.width),
                                                index + 1)
        for table in borderless:
            flow.append(placeholder(table, len(tables)))
            tables.append(table)
        pages.append(_insert_by_position(lines, flow))
        heights.append(text.height)
    return pages, heights, tables


def _insert_by_position(lines: list[Line], tables: list[Line]) -> list[Line]:
    """Place table placeholders among the lines by their vertical position."""
    for table in sorted(tables, key=lambda t: t.top):
        at = next((i for i, ln in enumerate(lines) if ln.kind == "text" and ln.bottom > table.top),
                  len(lines))
        lines.insert(at, table)
    return lines


# --- the whole document ------------------------------------------------------------------------


def _assemble(doc: Document, pages: list[list[Line]], heights: list[float],
              tables: list[PageTable]) -> None:
    """Furniture out, footnotes apart, tables merged, paragraphs rebuilt, markers linked."""
    doc.page_headers, doc.page_footers = strip_running_lines(pages, heights)
    adopt_column_frames(pages)
    col = measure_column([ln for lines in pages for ln in lines])
    body: list[Line] = []
    footnotes: list[Footnote] = []
    for page_no, lines in enumerate(pages, start=1):
        last = footnotes[-1] if footnotes else None
        page_body, area = split_footnote_lines(lines, col, note_is_unfinished(last, page_no))
        footnotes.extend(parse_footnotes(area, last))
        body.extend(page_body)
    body = _merge_continued_tables(body, tables)
    paragraphs = build_paragraphs(body, col)
    _emit(doc, paragraphs, tables, col)
    _link_footnotes(doc, paragraphs, tables, footnotes)


def _merge_continued_tables(body: list[Line], tables: list[PageTable]) -> list[Line]:
    """A table that ends one page and one that starts the next, with the same columns, are
    one table: keep the first placeholder only."""
    out: list[Line] = []
    for line in body:
        prev = out[-1] if out else None
        if (line.kind == "table" and prev is not None and prev.kind == "table"
                and prev.table_index is not None and line.table_index is not None):
            first, second = tables[prev.table_index], tables[line.table_index]
            if continues(first, second):
                merge_into(first, second)
                second.rows = []
                continue
        out.append(line)
    return out


def _emit(doc: Document, paragraphs: list[Paragraph], tables: list[PageTable],
          col: Column) -> None:
    """Blocks and tables into the Document, each table placed after the block it follows."""
    for par in paragraphs:
        head = par.lines[0]
        if head.kind == "table":
            t = tables[head.table_index or 0]
            doc.tables.append(Table(rows=t.rows, page=t.page, pages=t.pages,
                                    after_block=len(doc.blocks) - 1))
            continue
        doc.blocks.append(paragraph_to_block(par, col))


@dataclass
class _MarkerSite:
    """Where a superscript marker sits: a body block, or a table cell."""

    text: str
    page: int
    block: int | None = None
    table: int | None = None
    cell: tuple[int, int] | None = None
    marker: Marker | None = None


def _marker_sites(paragraphs: list[Paragraph], tables: list[PageTable]) -> list[_MarkerSite]:
    """Every superscript marker of the document, in reading order."""
    sites: list[_MarkerSite] = []
    block = table_no = 0
    for par in paragraphs:
        head = par.lines[0]
        if head.kind == "table":
            t = tables[head.table_index or 0]
            for cell in sorted(t.markers):
                for m in t.markers[cell]:
                    sites.append(_MarkerSite(m.text.strip(), t.page, table=table_no, cell=cell,
                                             marker=m))
            table_no += 1
            continue
        for m in par.markers:
            sites.append(_MarkerSite(m.text.strip(), head.page, block=block, marker=m))
        block += 1
    return sites


def _link_footnotes(doc: Document, paragraphs: list[Paragraph], tables: list[PageTable],
                    notes: list[Footnote]) -> None:
    """Cut each note's superscript marker out of the body (or a table cell) and record where
    it was; a note whose marker is not found keeps block/offset None."""
    sites = _marker_sites(paragraphs, tables)
    used: set[int] = set()
    chosen: list[tuple[_MarkerSite, Footnote]] = []
    linked: dict[int, int] = {}  # note index -> site index
    for k, note in enumerate(notes):
        for i, site in enumerate(sites):
            if i in used or site.page > (note.page or 0):
                continue
            if site.text == note.id:
                used.add(i)
                linked[k] = i
                chosen.append((site, note))
                break
    # A marker read by OCR may have its digit misread ("1" as "7"): notes still unlinked take
    # the unused OCR markers in order, between the markers of the notes before and after.
    for k, note in enumerate(notes):
        if k in linked:
            continue
        after = max((i for j, i in linked.items() if j < k), default=-1)
        before = min((i for j, i in linked.items() if j > k), default=len(sites))
        for i in range(after + 1, before):
            site = sites[i]
            if i not in used and site.marker is not None and site.marker.ocr \
                    and site.page <= (note.page or 0):
                used.add(i)
                linked[k] = i
                chosen.append((site, note))
                break
    # Cut from the end of each text backwards so earlier offsets stay valid.
    for site, note in sorted(chosen, key=lambda sn: -(sn[0].marker.start if sn[0].marker else 0)):
        m = site.marker
        assert m is not None
        if site.block is not None:
            block = doc.blocks[site.block]
            block.text = block.text[:m.start] + block.text[m.end:]
            note.block, note.offset = site.block, m.start
        elif site.table is not None and site.cell is not None:
            r, c = site.cell
            row = doc.tables[site.table].rows[r]
            row[c] = row[c][:m.start] + row[c][m.end:]
            note.table, note.row, note.col, note.offset = site.table, r, c, m.start
    _shift_offsets(chosen)
    doc.footnotes.extend(notes)


def _shift_offsets(chosen: list[tuple[_MarkerSite, Footnote]]) -> None:
    """Offsets were taken before later cuts in the same block; move them left accordingly."""
    for site, note in chosen:
        if site.block is None or note.offset is None:
            continue
        removed = sum(
            len(other.marker.text) for other, _ in chosen
            if other.block == site.block and other.marker is not None
            and site.marker is not None and other.marker.start < site.marker.start
        )
        note.offset -= removed


# --- legacy fonts ------------------------------------------------------------------------------


@cache
def _legacy_module() -> Any:
    try:
        from pipeline.ingest import legacy  # written in parallel; optional until it lands
    except ImportError:
        return None
    if not hasattr(legacy, "font_encoding") or not hasattr(legacy, "decode"):
        return None
    return legacy


class _LegacyDecoder:
    """Decodes runs of chars set in a legacy Vietnamese font (TCVN3, VNI) to Unicode."""

    def __init__(self) -> None:
        self._module = _legacy_module()
        self._by_font: dict[str, tuple[str | None, bool]] = {}
        self.encodings: dict[str, int] = {}

    @property
    def decode(self) -> Decoder | None:
        return self._decode if self._module is not None else None

    def _decode(self, text: str, font: str) -> str:
        info = self._by_font.get(font)
        if info is None:
            info = self._module.font_encoding(font)
            self._by_font[font] = info
        encoding, caps = info
        if not encoding:
            return text
        self.encodings[encoding] = self.encodings.get(encoding, 0) + len(text)
        return self._module.decode(text, encoding, caps=caps)

    def record(self, doc: Document) -> None:
        if self.encodings:
            doc.properties["legacy_encoding"] = max(self.encodings, key=self.encodings.get)
            doc.properties["legacy_detected_by"] = "font"
