"""DOCX reader: real files made with python-docx (XML injected where it has no API), one file
round-tripped through LibreOffice, the corpus file of seed 004, and broken inputs."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from docx_fixtures import (
    CT_ENDNOTES,
    CT_FOOTNOTES,
    FN1,
    FN2,
    H_1,
    H_2,
    H_I,
    H_II,
    P_FN1,
    P_FN1_TAIL,
    P_FN2,
    P_INTRO,
    P_THANH_TRA,
    REL_ENDNOTES,
    REL_FOOTNOTES,
    ROOT,
    UNIT_LEFT,
    UNIT_RIGHT,
    add_numbering,
    add_part,
    add_style,
    append_body,
    el,
    level,
    new_document,
    note_ref,
    notes_xml,
    numpr,
    para,
    run,
    seed_lines,
    soffice_convert,
    t,
    write_zip,
)
from pipeline.errors import IngestError
from pipeline.ingest import Limits, load
from pipeline.ingest import docx as docx_reader
from pipeline.model import Document

# -- fixtures ----------------------------------------------------------------------------

# A report outline numbered by Word: level 0 "I.", level 1 "1.", level 2 "a)"; numId 21 is
# the same list restarted (Phần thứ hai starts again at I.).
OUTLINE_LEVELS = (
    level(0, "upperRoman", "%1.") + level(1, "decimal", "%2.") + level(2, "lowerLetter", "%3)")
)
LEGAL_LEVELS = level(0, "decimal", "%1.") + level(1, "decimal", "%1.%2.")
BULLET_LEVELS = (
    level(0, "bullet", "-")
    + level(1, "bullet", "\uf0b7", extra='<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/>'
            "</w:rPr>")
    + level(2, "bullet", "o", extra='<w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr>')
    + level(3, "bullet", "+")
)

# Level 1 never restarts (w:lvlRestart 0): "a)" continues as "b)" under the next "2.".
NO_RESTART_LEVELS = level(0, "decimal", "%1.") + level(
    1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>'
)


def numbered_doc(path: Path) -> Path:
    d = new_document()
    add_numbering(
        d,
        {30: OUTLINE_LEVELS, 31: LEGAL_LEVELS, 32: BULLET_LEVELS, 33: OUTLINE_LEVELS,
         34: NO_RESTART_LEVELS},
        {
            40: '<w:abstractNumId w:val="30"/>',
            41: '<w:abstractNumId w:val="30"/><w:lvlOverride w:ilvl="0">'
                '<w:startOverride w:val="1"/></w:lvlOverride>',
            42: '<w:abstractNumId w:val="31"/>',
            43: '<w:abstractNumId w:val="32"/>',
            44: '<w:abstractNumId w:val="33"/>',
            45: '<w:abstractNumId w:val="34"/>',
        },
    )
    # A custom heading style that carries the numbering itself (numPr in the style).
    add_style(d, '<w:style w:type="paragraph" w:styleId="MucLon"><w:name w:val="Muc lon"/>'
                 '<w:basedOn w:val="Normal"/><w:pPr>' + numpr(40, 0) + '<w:outlineLvl w:val="0"/>'
                 '</w:pPr><w:rPr><w:b/></w:rPr></w:style>')
    append_body(
        d,
        para(run(H_I), ppr=numpr(40, 0)),
        para(run(P_INTRO)),
        para(run(H_1), ppr=numpr(40, 1)),
        para(run(H_2), ppr=numpr(40, 1)),
        para(run("Ưu điểm"), ppr=numpr(40, 2)),
        para(run("Hạn chế"), ppr=numpr(40, 2)),
        para(run("3. Nguyên nhân"), ppr=numpr(40, 1)),  # the number was also typed by hand
        para(run("Ưu điểm lần hai"), ppr=numpr(40, 2)),  # restarts under the new "3."
        para(run(H_II), ppr='<w:pStyle w:val="MucLon"/>'),  # numbering from the style
        para(run("Một số kinh nghiệm"), ppr=numpr(40, 1)),
        para(run("PHƯƠNG HƯỚNG"), ppr=numpr(41, 0)),  # a restarted list: I. again
        para(run("Chỉ tiêu"), ppr=numpr(42, 0)),
        para(run("Đảng viên"), ppr=numpr(42, 1)),
        para(run("Tổ chức đảng"), ppr=numpr(42, 1)),
        para(run("Gạch ngang"), ppr=numpr(43, 0)),
        para(run("Chấm Symbol"), ppr=numpr(43, 1)),
        para(run("Chữ o"), ppr=numpr(43, 2)),
        para(run("Dấu cộng"), ppr=numpr(43, 3)),
        para(run("- Gạch gõ tay"), ppr=numpr(43, 0)),
        para(run("Không đánh số"), ppr=numpr(0, 0)),
        # A list whose first item is at level 1: level 0 counts as used at its start.
        para(run("Phương hướng chung"), ppr=numpr(44, 1)),
        para(run("NHIỆM VỤ, GIẢI PHÁP"), ppr=numpr(44, 0)),
        para(run("Năm 2023"), ppr=numpr(45, 0)),
        para(run("Kiểm tra"), ppr=numpr(45, 1)),
        para(run("Năm 2024"), ppr=numpr(45, 0)),
        para(run("Giám sát"), ppr=numpr(45, 1)),
    )
    out = path / "numbered.docx"
    d.save(out)
    return out


def footnoted_doc(path: Path) -> Path:
    d = new_document()
    append_body(
        d,
        para(run(P_INTRO)),
        para('<w:r><w:tab/></w:r>', run(P_FN1), note_ref(1), run(P_FN1_TAIL)),
        '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>'
        f'<w:tc>{para(run("STT"))}</w:tc><w:tc>{para(run("Nội dung"), note_ref(3))}</w:tc>'
        "</w:tr></w:tbl>",
        para(run(P_FN2), note_ref(2), run(" về công tác pháp chế."), note_ref(1, "endnote")),
    )
    out = path / "footnoted.docx"
    d.save(out)
    add_part(out, "word/footnotes.xml", notes_xml("footnote", {1: FN1, 2: FN2, 3: "Ghi chú bảng"}),
             REL_FOOTNOTES, CT_FOOTNOTES)
    add_part(out, "word/endnotes.xml", notes_xml("endnote", {1: "Kết luận 21-KL/TW"}),
             REL_ENDNOTES, CT_ENDNOTES)
    return out


def field(instr: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return load(numbered_doc(tmp_path_factory.mktemp("num")))


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return load(footnoted_doc(tmp_path_factory.mktemp("fn")))


# -- body, formatting --------------------------------------------------------------------


def test_body_order_tables_and_formatting(tmp_path: Path) -> None:
    d = new_document()
    d.add_heading("BÁO CÁO CHÍNH TRỊ", level=1)
    p = d.add_paragraph()
    p.add_run(P_THANH_TRA)
    table = d.add_table(rows=2, cols=3)
    for i, text in enumerate(("STT", "Nội dung chỉ tiêu", "Đánh giá")):
        table.cell(0, i).text = text
    for i, text in enumerate(("1", "Thực hiện hoàn thành 100% kế hoạch được phê duyệt", "Đạt")):
        table.cell(1, i).text = text
    append_body(
        d,
        para(run("Trên đây là báo cáo\tchính trị", '<w:b/><w:sz w:val="28"/>'),
             '<w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:br/>'
             + t("của Chi bộ 1") + "</w:r>",
             '<w:r><w:rPr><w:b/></w:rPr><w:tab/></w:r>',
             ppr='<w:jc w:val="center"/><w:ind w:left="720" w:firstLine="567"/>'),
        para(run("trình Đại hội", "<w:caps/><w:i/>"), run(" ", ""),
             ppr='<w:outlineLvl w:val="1"/><w:jc w:val="both"/>'),
    )
    path = tmp_path / "body.docx"
    d.save(path)
    doc = load(path)
    assert [b.text for b in doc.blocks] == [
        "BÁO CÁO CHÍNH TRỊ", P_THANH_TRA, "Trên đây là báo cáo chính trị của Chi bộ 1",
        "trình Đại hội",
    ]
    heading, body, closing, caps = doc.blocks
    assert (heading.kind, heading.style, heading.outline_level, heading.bold) == (
        "heading", "Heading 1", 0, True)
    assert (body.kind, body.style, body.bold, body.font_size, body.align) == (
        "paragraph", "Normal", False, 11.0, "left")
    assert (closing.bold, closing.font_size, closing.align, closing.indent) == (
        True, 14.0, "center", (720 + 567) / 20)
    assert (caps.kind, caps.outline_level, caps.all_caps, caps.italic, caps.align) == (
        "heading", 1, True, True, "justify")
    assert len(doc.tables) == 1
    assert doc.tables[0].rows == [
        ["STT", "Nội dung chỉ tiêu", "Đánh giá"],
        ["1", "Thực hiện hoàn thành 100% kế hoạch được phê duyệt", "Đạt"],
    ]
    assert doc.tables[0].after_block == 1
    assert "STT" not in doc.text
    assert doc.pages is None and doc.properties["pages_reported"] == 1


def test_inline_markup_fields_and_tracked_changes(tmp_path: Path) -> None:
    d = new_document()
    append_body(
        d,
        para(
            '<w:bookmarkStart w:id="0" w:name="_Hlk1"/>',
            run("Quán triệt Nghị quyết số "),
            '<w:ins w:id="1" w:author="A">' + run("57") + "</w:ins>",
            '<w:del w:id="2" w:author="A"><w:r><w:delText>58</w:delText></w:r></w:del>',
            '<w:r><w:t>-NQ</w:t><w:noBreakHyphen/><w:t>TW</w:t></w:r>',
            '<w:bookmarkEnd w:id="0"/>',
            field('HYPERLINK "https://thuvienphapluat.vn"', " của Bộ Chính trị"),
            '<w:hyperlink r:id="rId99">' + run(" (xem")
            + "</w:hyperlink>",
            '<w:smartTag w:uri="u" w:element="place">' + run(" tại An Giang") + "</w:smartTag>",
            '<w:sdt><w:sdtPr/><w:sdtContent>' + run(")") + "</w:sdtContent></w:sdt>",
            '<w:r><w:sym w:font="Symbol" w:char="F0B3"/></w:r>',
            run("90%", ""),
            run(" ẩn", "<w:vanish/>"),
            '<w:commentRangeStart w:id="5"/><w:r><w:commentReference w:id="5"/></w:r>',
        ),
        # A table of contents repeats headings: its field result is not body text.
        para('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("I. MỤC LỤC 3")),
        para(run("II. MỤC LỤC 5"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
        para(run("Trang "), field("PAGE", "7"), run(" cuối")),
    )
    path = tmp_path / "inline.docx"
    d.save(path)
    doc = load(path)
    assert [b.text for b in doc.blocks] == [
        "Quán triệt Nghị quyết số 57-NQ-TW của Bộ Chính trị (xem tại An Giang)≥90%",
        "Trang 7 cuối",
    ]
    assert doc.properties["tracked_changes"] is True
    assert doc.properties["toc_skipped"] is True


# -- numbering ---------------------------------------------------------------------------


def test_numbering_labels_as_printed(numbered: Document) -> None:
    assert [(b.numbering, b.text) for b in numbered.blocks] == [
        ("I.", f"I. {H_I}"),
        (None, P_INTRO),
        ("1.", f"1. {H_1}"),
        ("2.", f"2. {H_2}"),
        ("a)", "a) Ưu điểm"),
        ("b)", "b) Hạn chế"),
        ("3.", "3. Nguyên nhân"),  # typed by hand: not doubled
        ("a)", "a) Ưu điểm lần hai"),
        ("II.", f"II. {H_II}"),
        ("1.", "1. Một số kinh nghiệm"),
        ("I.", "I. PHƯƠNG HƯỚNG"),
        ("1.", "1. Chỉ tiêu"),
        ("1.1.", "1.1. Đảng viên"),
        ("1.2.", "1.2. Tổ chức đảng"),
        ("-", "- Gạch ngang"),
        ("•", "Chấm Symbol"),
        ("•", "Chữ o"),
        ("+", "+ Dấu cộng"),
        ("-", "- Gạch gõ tay"),
        (None, "Không đánh số"),
        ("1.", "1. Phương hướng chung"),
        ("II.", "II. NHIỆM VỤ, GIẢI PHÁP"),
        ("1.", "1. Năm 2023"),
        ("a)", "a) Kiểm tra"),
        ("2.", "2. Năm 2024"),
        ("b)", "b) Giám sát"),
    ]


def test_numbering_kinds(numbered: Document) -> None:
    kinds = [b.kind for b in numbered.blocks]
    assert kinds[:3] == ["list_item", "paragraph", "list_item"]
    style_numbered = numbered.blocks[8]
    assert (style_numbered.kind, style_numbered.style, style_numbered.outline_level,
            style_numbered.bold) == ("heading", "Muc lon", 0, True)
    assert numbered.blocks[-7].kind == "paragraph"


# -- footnotes, headers, text boxes ------------------------------------------------------


def test_footnotes_and_endnotes(footnoted: Document) -> None:
    notes = [(f.kind, f.id, f.text, f.block, f.offset) for f in footnoted.footnotes]
    assert notes == [
        ("footnote", "1", FN1, 1, len(P_FN1)),
        ("footnote", "2", "Ghi chú bảng", None, None),  # marker in a table cell
        ("footnote", "3", FN2, 2, len(P_FN2)),
        ("endnote", "1", "Kết luận 21-KL/TW", 2, len(P_FN2) + len(" về công tác pháp chế.")),
    ]
    assert footnoted.blocks[1].text == P_FN1 + P_FN1_TAIL
    assert footnoted.tables[0].rows == [["STT", "Nội dung"]]
    assert FN1 not in footnoted.text


def test_headers_footers_and_text_boxes(tmp_path: Path) -> None:
    d = new_document()
    d.sections[0].header.paragraphs[0].text = "DỰ THẢO"
    footer = d.sections[0].footer.paragraphs[0]
    for node in el(f"<w:p>{run('Trang ')}{field('PAGE', '3')}</w:p>"):
        footer._p.append(node)  # "Trang {PAGE}": the page number is a field result
    box = (
        '<w:txbxContent><w:p><w:r><w:t>Số 12-BC/CB</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Kính gửi Đảng ủy Sở</w:t></w:r></w:p></w:txbxContent>"
    )
    append_body(
        d,
        para(run(P_INTRO)),
        para(
            run("Neo khung"),
            '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<a:graphic><a:graphicData><wps:wsp><wps:txbx>' + box
            + "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>' + box
            + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
        ),
        para(run(P_THANH_TRA)),
    )
    path = tmp_path / "stories.docx"
    d.save(path)
    doc = load(path)
    assert doc.page_headers == ["DỰ THẢO"]
    assert doc.page_footers == ["Trang"]
    assert [b.text for b in doc.blocks] == [
        P_INTRO, "Neo khung", "Số 12-BC/CB", "Kính gửi Đảng ủy Sở", P_THANH_TRA,
    ]


# -- tables ------------------------------------------------------------------------------


def _cell(text: str, tcpr: str = "") -> str:
    props = f"<w:tcPr>{tcpr}</w:tcPr>" if tcpr else ""
    return f"<w:tc>{props}{para(run(text)) if text else '<w:p/>'}</w:tc>"


def test_table_spans_merges_and_nesting(tmp_path: Path) -> None:
    nested = (
        "<w:tbl><w:tr>" + _cell("Nam") + _cell("32") + "</w:tr><w:tr>" + _cell("Nữ")
        + _cell("10") + "</w:tr></w:tbl>"
    )
    table = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _cell("STT", '<w:vMerge w:val="restart"/>')
        + _cell("Nội dung", '<w:vMerge w:val="restart"/>')
        + _cell("Kết quả", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "<w:tr>" + _cell("", "<w:vMerge/>") + _cell("", "<w:vMerge/>") + _cell("2023")
        + _cell("2024") + "</w:tr>"
        "<w:tr>" + _cell("1") + _cell("Kết nạp đảng viên") + _cell("03") + _cell("04") + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + _cell("Đảng viên")
        + f"<w:tc><w:p>{run('Tổng:')}</w:p>{nested}</w:tc>"
        + _cell("Cộng", '<w:gridSpan w:val="1"/>') + "</w:tr>"
        "</w:tbl>"
    )
    d = new_document()
    append_body(d, para(run(P_INTRO)), para(run(P_THANH_TRA)), table, para(run("Sau bảng")))
    path = tmp_path / "table.docx"
    d.save(path)
    doc = load(path)
    assert doc.tables[0].rows == [
        ["STT", "Nội dung", "Kết quả", ""],
        ["", "", "2023", "2024"],
        ["1", "Kết nạp đảng viên", "03", "04"],
        ["", "Đảng viên", "Tổng: Nam 32 Nữ 10", "Cộng"],
    ]
    assert doc.tables[0].after_block == 1
    assert [b.text for b in doc.blocks] == [P_INTRO, P_THANH_TRA, "Sau bảng"]


def test_layout_tables_are_read_as_body(tmp_path: Path) -> None:
    title = (
        "<w:tbl><w:tr><w:tc>" + "".join(para(run(x)) for x in UNIT_LEFT) + "</w:tc><w:tc>"
        + "".join(para(run(x)) for x in UNIT_RIGHT) + "</w:tc></w:tr></w:tbl>"
    )
    prose = [ln for ln in seed_lines() if len(ln) > 120][:5]
    frame = "<w:tbl><w:tr><w:tc>" + "".join(para(run(x)) for x in prose) + "</w:tc></w:tr></w:tbl>"
    data = (
        "<w:tbl><w:tr>" + _cell("STT") + _cell("Nội dung") + _cell("Đánh giá") + "</w:tr></w:tbl>"
    )
    d = new_document()
    append_body(d, title, para(run("BÁO CÁO CHÍNH TRỊ")), frame, data)
    path = tmp_path / "layout.docx"
    d.save(path)
    doc = load(path)
    assert [b.text for b in doc.blocks] == [*UNIT_LEFT, *UNIT_RIGHT, "BÁO CÁO CHÍNH TRỊ", *prose]
    assert [tb.rows for tb in doc.tables] == [[["STT", "Nội dung", "Đánh giá"]]]
    assert doc.tables[0].after_block == len(doc.blocks) - 1
    assert doc.properties["layout_tables_as_body"] == 2


# -- legacy fonts ------------------------------------------------------------------------


def test_legacy_fonts_are_decoded_per_run(tmp_path: Path) -> None:
    from pipeline.ingest import legacy

    unit = "Đảng bộ tỉnh An Giang"
    title = "báo cáo chính trị"
    d = new_document()
    add_style(d, '<w:style w:type="paragraph" w:styleId="VnBody"><w:name w:val="VnBody"/>'
                 '<w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>')
    append_body(
        d,
        para(run(legacy.encode(unit, "tcvn3"), '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'),
             run(" – 2025", '<w:rFonts w:ascii="Times New Roman"/>')),
        para(run(legacy.encode(title, "tcvn3"),
                 '<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/>')),
        para(run(legacy.encode(P_INTRO, "tcvn3")), ppr='<w:pStyle w:val="VnBody"/>'),
    )
    path = tmp_path / "legacy.docx"
    d.save(path)
    doc = load(path)
    assert [b.text for b in doc.blocks] == [f"{unit} – 2025", title.upper(), P_INTRO]
    assert doc.properties["legacy_encoding"] == "tcvn3"
    assert doc.properties["legacy_detected_by"] == "font"


# -- a real tool's file --------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """numbered + footnoted content saved by LibreOffice: docx -> odt -> docx."""
    base = tmp_path_factory.mktemp("lo")
    d = new_document()
    d.sections[0].header.paragraphs[0].text = "DỰ THẢO"
    add_numbering(d, {30: OUTLINE_LEVELS}, {40: '<w:abstractNumId w:val="30"/>'})
    append_body(
        d,
        para(run(H_I), ppr=numpr(40, 0)),
        para(run(H_1), ppr=numpr(40, 1)),
        para(run(P_FN1), note_ref(1), run(P_FN1_TAIL)),
        para(run(H_2), ppr=numpr(40, 1)),
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>"
        + _cell("STT") + _cell("Nội dung", '<w:gridSpan w:val="2"/>') + "</w:tr><w:tr>"
        + _cell("1") + _cell("Thanh tra") + _cell("Đạt") + "</w:tr></w:tbl>",
        para(run(H_II), ppr=numpr(40, 0)),
    )
    src = base / "goc.docx"
    d.save(src)
    add_part(src, "word/footnotes.xml", notes_xml("footnote", {1: FN1}), REL_FOOTNOTES,
             CT_FOOTNOTES)
    odt = soffice_convert(src, "odt", base / "odt")
    return soffice_convert(odt, "docx:MS Word 2007 XML", base / "docx")


def test_libreoffice_round_trip(libreoffice_docx: Path) -> None:
    doc = load(libreoffice_docx)
    assert doc.properties["application"].startswith("LibreOffice")
    assert [(b.numbering, b.text) for b in doc.blocks] == [
        ("I.", f"I. {H_I}"),
        ("1.", f"1. {H_1}"),
        (None, P_FN1 + P_FN1_TAIL),
        ("2.", f"2. {H_2}"),
        ("II.", f"II. {H_II}"),
    ]
    assert [(f.id, f.text, f.block, f.offset) for f in doc.footnotes] == [
        ("1", FN1, 2, len(P_FN1)),
    ]
    assert doc.tables[0].rows == [["STT", "Nội dung", ""], ["1", "Thanh tra", "Đạt"]]
    assert doc.tables[0].after_block == 3
    assert doc.page_headers == ["DỰ THẢO"]


# -- the corpus file of seed 004 -----------------------------------------------------------

CORPUS_004 = ROOT / "corpus" / "docx" / "004_73f20699863736da.docx"


def test_corpus_004_numbered_headings_and_footnotes() -> None:
    doc = load(CORPUS_004)
    numbered = [b.text for b in doc.blocks if b.numbering]
    for heading in (
        "I. CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ",
        "1. Công tác Văn phòng, Kế hoạch – Tài chính",
        "II. CÔNG TÁC XÂY DỰNG CHI BỘ",
        "III. ĐÁNH GIÁ CHUNG VÀ MỘT SỐ KINH NGHIỆM",
        "I. PHƯƠNG HƯỚNG",
        "II. NHIỆM VỤ, GIẢI PHÁP",
    ):
        assert heading in [x.strip() for x in numbered], heading
    assert [f.id for f in doc.footnotes] == ["1", "2", "3", "4", "5"]
    assert doc.footnotes[0].text.startswith("(1) Kế hoạch chuyển đổi vị trí công tác")
    first = doc.footnotes[0]
    assert doc.blocks[first.block].text[: first.offset].endswith("ban hành 05 văn bản")


def test_a_long_report_reads_every_paragraph(tmp_path: Path) -> None:
    # About 40 pages: seed 004 (6-7 pages in Word) repeated six times, with its tables. Its
    # speed is measured by benchmarks/bench_ingest.py, not here.
    lines = seed_lines()
    d = new_document()
    for _ in range(6):
        for line in lines:
            d.add_paragraph(line)
        table = d.add_table(rows=10, cols=4)
        table.cell(0, 0).text = "STT"  # an empty table is not a table: give it a cell
    path = tmp_path / "long.docx"
    d.save(path)
    doc = Document(source=str(path), format="docx", sha256="")
    docx_reader.read(path, doc, Limits())
    assert len(doc.blocks) == 6 * len(lines)
    assert len(doc.tables) == 6


# -- broken inputs -------------------------------------------------------------------------


def _read_direct(path: Path, limits: Limits | None = None) -> Document:
    doc = Document(source=str(path), format="docx", sha256="")
    docx_reader.read(path, doc, limits or Limits())
    return doc


def _good_docx(tmp_path: Path) -> Path:
    d = new_document()
    for line in seed_lines()[:40]:
        d.add_paragraph(line)
    path = tmp_path / "good.docx"
    d.save(path)
    return path


def test_text_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.docx"
    path.write_text(P_INTRO, encoding="utf-8")
    # load() trusts the content, not the name: it is read as text ...
    assert load(path).format == "txt"
    # ... and the DOCX reader itself refuses it.
    with pytest.raises(IngestError) as exc:
        _read_direct(path)
    assert exc.value.code == "corrupt"


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "thieu.docx"
    write_zip(path, {"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"})
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.code == "unsupported_format"
    with pytest.raises(IngestError) as exc:
        _read_direct(path)
    assert exc.value.code == "corrupt"
    assert "word/document.xml" in exc.value.params["detail"]


def test_zip_bomb_total_inflated_size(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    with pytest.raises(IngestError) as exc:
        load(path, Limits(max_inflated_bytes=20_000))
    assert exc.value.code == "zip_bomb"
    assert load(path, Limits()).blocks  # the same file under the default limits is fine


def test_zip_bomb_compression_ratio(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    # 8 MB of whitespace inside the main part deflates about 1000:1.
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"</w:body>", b" " * (8 * 1024 * 1024) + b"</w:body>"
    )
    write_zip(path, members)
    assert path.stat().st_size < 200_000
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.code == "zip_bomb"
    assert "word/document.xml" in exc.value.params["detail"]


def test_truncated_docx(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.code == "corrupt"


def test_damaged_member_and_bad_xml(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    bad_xml = dict(members)
    bad_xml["word/document.xml"] = members["word/document.xml"][:-40]
    write_zip(path, bad_xml)
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.code == "corrupt"

    # Corrupt the deflated bytes of document.xml while the zip directory stays intact.
    write_zip(path, members)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 200):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.code == "corrupt"


def test_strict_ooxml_namespace(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    transitional = [b.text for b in load(path).blocks]
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for name in ("word/document.xml", "word/styles.xml"):
        members[name] = members[name].replace(
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        )
    write_zip(path, members)
    assert [b.text for b in load(path).blocks] == transitional
    assert len(transitional) == 40


def test_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    path = _good_docx(tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    laughs = "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9)
    )
    members["word/document.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">{laughs}]>'
        f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{P_INTRO} &l8;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    write_zip(path, members)
    # libxml2 either leaves the entities unexpanded or refuses the amplification: never a
    # billion laughs in memory.
    start = time.perf_counter()
    try:
        doc = _read_direct(path)
    except IngestError as exc:
        assert exc.code == "corrupt"
    else:
        assert all(len(b.text) < 1000 for b in doc.blocks)
    assert time.perf_counter() - start < 1.0
