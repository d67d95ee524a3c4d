"""A generator of page layouts with gold text, to measure ingest on layouts nobody tuned to.

Real text (one article per file, one paragraph per line, e.g. `../shared/devdata/news/`) is
written into a DOCX in a given `Layout` (columns, font, alignment, indent, running headers and
footers, footnotes, a ruled table), LibreOffice renders it to PDF, and scans are made from that
PDF (poppler renders the pages, Pillow skews them and wraps them back into an image-only PDF).
The gold text is what the DOCX was given: the body paragraphs, the footnotes and the table rows,
so a reader's output can be scored against it (`benchmarks/bench_ingest.py`: CER per layout).

Nothing here is committed output: files are built in a folder the caller chooses, from text read
at run time. The footnote and table text is written here (our own words and figures).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

HEADER_TEXT = "BÁO CÁO TỔNG HỢP Ý KIẾN - NĂM 2024"
FOOTNOTE_TEXTS = [
    "Theo số liệu tổng hợp của Văn phòng đến ngày 30/9/2024.",
    "Xem Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị Trung ương 4 khóa XIII.",
    "Số liệu năm 2023 đã được điều chỉnh theo báo cáo quyết toán.",
]
TABLE_ROWS = [
    ["TT", "Chỉ tiêu", "Năm 2023", "Năm 2024", "Tỷ lệ (%)"],
    ["1", "Tổng số đảng viên", "1.612", "1.703", "105,6"],
    ["2", "Kết nạp đảng viên mới", "87", "95", "109,2"],
    ["3", "Tổ chức cơ sở đảng", "42", "41", "97,6"],
    ["4", "Kinh phí hoạt động (triệu đồng)", "3.828,5", "4.012,9", "104,8"],
]


@dataclass(frozen=True)
class Layout:
    """How one generated document is laid out."""

    name: str
    columns: int = 1
    font: str = "Liberation Serif"
    size: float = 13.0
    justified: bool = True
    indent: bool = True
    space_after: float = 0.0  # points after each paragraph
    column_rule: bool = False  # a vertical rule between the columns
    running: bool = False  # running header and a page-number footer
    footnotes: bool = False
    table: bool = False
    scan_dpi: int | None = None  # an image-only copy at this resolution
    skew: float = 0.0  # degrees the scanned page is turned
    toc: bool = False  # a table of contents (dot leaders, page numbers) before the text
    # With columns > 1: the middle third of the body on pages of its own in one column (a
    # wide table or an appendix page inside a two-column document), then columns again.
    one_column_pages: bool = False


LAYOUTS: list[Layout] = [
    Layout("serif_1col_justified_indent"),
    Layout("serif_1col_noindent", indent=False),
    Layout("sans_ragged_noindent", font="DejaVu Sans", size=11, justified=False, indent=False,
           space_after=6),
    Layout("mono_ragged", font="Liberation Mono", size=10, justified=False),
    Layout("serif_2col_rule_title", columns=2, column_rule=True, size=11),
    Layout("sans_3col", columns=3, font="DejaVu Sans", size=9, justified=False, indent=False,
           space_after=4),
    Layout("serif_running_footnotes_table", running=True, footnotes=True, table=True),
    Layout("serif_toc_running", running=True, toc=True),
    Layout("scan_300dpi", running=True, footnotes=True, table=True, scan_dpi=300),
    Layout("scan_200dpi", running=True, footnotes=True, scan_dpi=200),
    Layout("scan_300dpi_skewed", running=True, scan_dpi=300, skew=1.2),
    # Added last, so the layouts above keep their articles.
    Layout("serif_2col_one_col_pages", columns=2, size=11, one_column_pages=True),
]


@dataclass
class Gold:
    """What the generated document says: body paragraphs (title first), footnotes, tables."""

    paragraphs: list[str]
    footnotes: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    running_header: str | None = None


@dataclass
class Generated:
    layout: Layout
    source: str  # the article it was made from
    pdf: Path
    gold: Gold


def read_article(path: Path, max_chars: int = 5000) -> list[str]:
    """The first paragraphs of an article (one per line) up to about `max_chars`: the first line
    is used as the title."""
    paragraphs: list[str] = []
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        paragraphs.append(line)
        total += len(line)
        if total >= max_chars:
            break
    return paragraphs


# --------------------------------------------------------------------------- DOCX


def add_footnotes_part(document: DocxDocument, notes: list[str], size_half_points: int) -> None:
    """python-docx cannot write footnotes: word/footnotes.xml by hand."""
    bodies = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="{size_half_points}"/></w:rPr>'
        f'<w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(notes, start=1)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W_NS}">'
        f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f"</w:footnote>"
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:footnote>{bodies}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"),
                document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def add_footnote_ref(paragraph, note_id: int) -> None:  # noqa: ANN001 - a python-docx paragraph
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'
    ))


def add_page_field(paragraph) -> None:  # noqa: ANN001 - a python-docx paragraph
    """A PAGE field, so the PDF carries real page numbers in the footer."""
    run = paragraph.add_run()
    for xml in (
        f'<w:fldChar xmlns:w="{W_NS}" w:fldCharType="begin"/>',
        f'<w:instrText xmlns:w="{W_NS}" xml:space="preserve"> PAGE </w:instrText>',
        f'<w:fldChar xmlns:w="{W_NS}" w:fldCharType="separate"/>',
        f'<w:t xmlns:w="{W_NS}">1</w:t>',
        f'<w:fldChar xmlns:w="{W_NS}" w:fldCharType="end"/>',
    ):
        run._r.append(parse_xml(xml))


def _set_columns(section, count: int, rule: bool) -> None:  # noqa: ANN001 - a docx section
    sect_pr = section._sectPr
    for old in sect_pr.findall(f"{{{W_NS}}}cols"):
        sect_pr.remove(old)
    sect_pr.append(parse_xml(
        f'<w:cols xmlns:w="{W_NS}" w:num="{count}" w:space="567" w:sep="{int(rule)}"/>'
    ))


def build_docx(layout: Layout, article: list[str], path: Path) -> Gold:
    """Write `article` (title first) into a DOCX laid out as `layout`; return its gold text."""
    document = DocxDocument()
    normal = document.styles["Normal"]
    normal.font.name = layout.font
    normal.font.size = Pt(layout.size)
    # East-Asian/complex-script font slots too, so LibreOffice uses this font for every run.
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:cs", "w:hAnsi"):
        rfonts.set(f"{{{W_NS}}}{attr.split(':')[1]}", layout.font)
    gold = Gold(paragraphs=list(article))
    if layout.running:
        section = document.sections[0]
        section.header.paragraphs[0].text = HEADER_TEXT
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_page_field(footer)
        gold.running_header = HEADER_TEXT
    if layout.footnotes:
        add_footnotes_part(document, FOOTNOTE_TEXTS, int(layout.size * 2) - 4)
        gold.footnotes = list(FOOTNOTE_TEXTS)

    if layout.toc:
        _table_of_contents(document, article, layout)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    title.add_run(article[0]).bold = True
    if layout.columns > 1:
        # The title spans the page; the body flows in columns below it (continuous break).
        body_section = document.add_section(WD_SECTION.CONTINUOUS)
        _set_columns(body_section, layout.columns, layout.column_rule)

    notes_left = len(gold.footnotes)
    body = article[1:]
    one_column = (range(len(body) // 3, 2 * len(body) // 3)
                  if layout.one_column_pages and layout.columns > 1 else range(0))
    for i, text in enumerate(body):
        if one_column and i in (one_column.start, one_column.stop):
            section = document.add_section(WD_SECTION.NEW_PAGE)
            _set_columns(section, 1 if i == one_column.start else layout.columns,
                         layout.column_rule and i != one_column.start)
        p = document.add_paragraph(text)
        fmt = p.paragraph_format
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if layout.justified else WD_ALIGN_PARAGRAPH.LEFT
        fmt.space_after = Pt(layout.space_after)
        fmt.first_line_indent = Pt(layout.size * 2) if layout.indent else Pt(0)
        if notes_left and i % 3 == 1:
            add_footnote_ref(p, len(gold.footnotes) - notes_left + 1)
            notes_left -= 1
        if layout.table and i == 1:
            table = document.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
            table.style = "Table Grid"
            for r, row in enumerate(TABLE_ROWS):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            gold.tables.append([list(row) for row in TABLE_ROWS])
    if notes_left:  # a short article: the rest of the notes hang on its last paragraph
        last = document.paragraphs[-1]
        for k in range(len(gold.footnotes) - notes_left + 1, len(gold.footnotes) + 1):
            add_footnote_ref(last, k)
    document.save(str(path))
    return gold


def _table_of_contents(document: DocxDocument, article: list[str], layout: Layout) -> None:
    """"MỤC LỤC" and one entry per paragraph start, dot leaders to a right-aligned page number
    (the entries are not gold text: a reader must keep them out of the body)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("MỤC LỤC").bold = True
    for i, text in enumerate(article[: min(8, len(article))]):
        entry = document.add_paragraph()
        entry.paragraph_format.tab_stops.add_tab_stop(Pt(450), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
        words = text.split()[:7]
        entry.add_run(f"{i + 1}. {' '.join(words)}\t{2 + i // 3}")
    document.add_page_break()


# --------------------------------------------------------------------------- PDF and scans


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_paths: list[Path], out_dir: Path) -> None:
    """Convert DOCX files to PDF in one LibreOffice run (its start-up costs ~2 s)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is needed to render layouts")
    with tempfile.TemporaryDirectory(prefix="daihoi_lo_") as profile:
        subprocess.run(
            [exe, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
             "pdf", "--outdir", str(out_dir), *map(str, docx_paths)],
            check=True, capture_output=True, timeout=120 + 20 * len(docx_paths),
        )


def scan(pdf: Path, out: Path, dpi: int, skew: float = 0.0) -> Path:
    """An image-only copy of `pdf` as a scanner would make it: grey pages at `dpi`, turned by
    `skew` degrees, no text layer."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="daihoi_scan_") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True, timeout=300)
        pages = []
        for png in sorted(Path(tmp).glob("p*.png")):
            with Image.open(png) as image:
                page = image.convert("L")
            if skew:
                page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
            pages.append(page)
        pages[0].save(out, "PDF", resolution=float(dpi), save_all=True,
                      append_images=pages[1:])
    return out


def generate(articles: list[Path], out_dir: Path, layouts: list[Layout] | None = None,
             per_layout: int = 2, max_chars: int = 5000) -> list[Generated]:
    """Render `per_layout` articles in every layout (each layout gets its own articles, in
    turn) into `out_dir`; scans are made from the text layout with the same furniture."""
    layouts = layouts or LAYOUTS
    out_dir.mkdir(parents=True, exist_ok=True)
    planned: list[tuple[Layout, Path, Path, Gold]] = []
    pick = 0
    for layout in layouts:
        for _ in range(per_layout):
            article = articles[pick % len(articles)]
            pick += 1
            text_layout = replace(layout, scan_dpi=None, skew=0.0)
            docx = out_dir / f"{layout.name}__{article.stem}.docx"
            gold = build_docx(text_layout, read_article(article, max_chars), docx)
            planned.append((layout, article, docx, gold))
    to_pdf([docx for _, _, docx, _ in planned], out_dir)
    generated = []
    for layout, article, docx, gold in planned:
        pdf = docx.with_suffix(".pdf")
        if layout.scan_dpi:
            pdf = scan(pdf, pdf.with_name(pdf.stem + ".scan.pdf"), layout.scan_dpi, layout.skew)
        generated.append(Generated(layout, article.stem, pdf, gold))
    return generated
