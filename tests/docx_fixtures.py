"""Builders for the DOCX tests: real files made with python-docx, plus the WordprocessingML that
python-docx has no API for (numbering definitions, footnotes, fields, text boxes, tracked
changes), injected as XML. Text comes from the real seed 004 (a Chi bộ political report)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {
    "w": W_NS,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
REL_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
REL_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_ENDNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"

ROOT = Path(__file__).resolve().parent.parent
SEED_004 = ROOT / "corpus" / "seeds" / "004_73f20699863736da.txt"

# Real sentences of seed 004.
H_I = "CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ"
H_II = "CÔNG TÁC XÂY DỰNG CHI BỘ"
H_1 = "Công tác Văn phòng, Kế hoạch – Tài chính"
H_2 = "Công tác thanh tra"
P_INTRO = (
    "Trong nhiệm kỳ, các đơn vị trong Chi bộ đã tham mưu thực hiện tốt chức năng quản lý nhà "
    "nước về thông tin và truyền thông. Cụ thể:"
)
P_FN1 = "Tham mưu lãnh đạo Sở ban hành 05 văn bản"
P_FN1_TAIL = " về công tác tổ chức, bộ máy của Sở."
FN1 = (
    "(1) Kế hoạch chuyển đổi vị trí công tác đối với công chức, viên chức không giữ chức vụ "
    "lãnh đạo, quản lý các phòng, trung tâm thuộc Sở Thông tin và Truyền thông năm 2023; "
    "(2) Đề án thực hiện tinh giản biên chế giai đoạn 2022 – 2026"
)
P_FN2 = "Tham mưu trình UBND tỉnh ban hành 04 văn bản quy phạm pháp luật"
FN2 = (
    "(1) Quyết định số 02/2023/QĐ-UBND ngày 17/01/2023 Ban hành Quy chế quản lý, vận hành, "
    "cung cấp thông tin của cơ quan nhà nước trên môi trường mạng trên địa bàn tỉnh An Giang"
)
P_THANH_TRA = (
    "Đã thực hiện xử phạt vi phạm hành chính 08 vụ việc thuộc lĩnh vực thông tin và truyền "
    "thông, với số tiền 46.250.000 đồng."
)
UNIT_LEFT = ("ĐẢNG BỘ SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "CHI BỘ 1")
UNIT_RIGHT = ("ĐẢNG CỘNG SẢN VIỆT NAM", "An Giang, ngày 10 tháng 5 năm 2025")


def seed_lines() -> list[str]:
    """Non-empty lines of seed 004, NFC (the seed mixes in decomposed letters; `load` composes
    them, so exact comparisons need the composed form)."""
    text = unicodedata.normalize("NFC", SEED_004.read_text(encoding="utf-8"))
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def el(fragment: str):  # noqa: ANN201 - an lxml element of python-docx's oxml classes
    """Parse one XML element written with the w:/mc:/wps:/v: prefixes."""
    return parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {_DECLS}", fragment.strip(), count=1))


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str, rpr: str = "") -> str:
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{t(text)}</w:r>"


def para(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def numpr(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def new_document() -> DocxDocument:
    return docx.Document()


def append_body(document: DocxDocument, *fragments: str) -> None:
    """Append raw block-level XML (w:p, w:tbl, w:sdt) at the end of the body, before sectPr."""
    body = document.element.body
    for fragment in fragments:
        node = el(fragment)
        last = body[-1] if len(body) else None
        if last is not None and last.tag == f"{{{W_NS}}}sectPr":
            last.addprevious(node)
        else:
            body.append(node)


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/>{extra}'
        f'<w:pPr><w:ind w:left="{360 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
    )


def add_numbering(document: DocxDocument, abstracts: dict[int, str], nums: dict[int, str]) -> None:
    """Add abstractNum (id -> levels XML) and num (id -> inner XML, e.g. the abstractNumId)."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    for abstract_id, levels in abstracts.items():
        node = el(f'<w:abstractNum w:abstractNumId="{abstract_id}">'
                  f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
        if first_num is not None:
            first_num.addprevious(node)
        else:
            numbering.append(node)
    for num_id, inner in nums.items():
        numbering.append(el(f'<w:num w:numId="{num_id}">{inner}</w:num>'))


def add_style(document: DocxDocument, xml: str) -> None:
    document.styles.element.append(el(xml))


def notes_xml(kind: str, notes: dict[int, str]) -> str:
    """footnotes.xml / endnotes.xml with Word's two separator notes and `notes` (id -> text)."""
    sep = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{kind}>"
    )
    ref = "footnoteRef" if kind == "footnote" else "endnoteRef"
    body = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{ref}/></w:r>{run(" " + text)}</w:p></w:{kind}>'
        for i, text in notes.items()
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:{kind}s {_DECLS}>{sep}{body}</w:{kind}s>')


def note_ref(note_id: int, kind: str = "footnote") -> str:
    tag = "footnoteReference" if kind == "footnote" else "endnoteReference"
    sup = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    return f'<w:r>{sup}<w:{tag} w:id="{note_id}"/></w:r>'


def add_part(path: Path, name: str, xml: str, rel_type: str | None = None,
             content_type: str | None = None) -> None:
    """Rewrite the docx zip with a new part, its relationship and its content type."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members[name] = xml.encode("utf-8")
    if rel_type:
        rels = members["word/_rels/document.xml.rels"].decode()
        target = name.removeprefix("word/")
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdX{len(rels)}" Type="{rel_type}" Target="{target}"/>'
            "</Relationships>",
        )
        members["word/_rels/document.xml.rels"] = rels.encode()
    if content_type:
        types = members["[Content_Types].xml"].decode()
        types = types.replace(
            "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
        )
        members["[Content_Types].xml"] = types.encode()
    write_zip(path, members)


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def soffice_convert(src: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice (headless, private profile) and return the output file."""
    exe = shutil.which("soffice")
    assert exe, "LibreOffice (soffice) is not installed"
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [exe, "-env:UserInstallation=file:///tmp/lo_profile_docx", "--headless",
         "--convert-to", target, "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    out = outdir / f"{src.stem}.{target.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out
