"""TXT and HTML readers on the real seed texts, in every encoding they arrive in."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import pytest

from conftest import corpus_file
from pipeline.errors import IngestError
from pipeline.ingest import load
from pipeline.ingest.normalize import clean_text
from pipeline.ingest.sniff import sniff
from pipeline.ingest.textlines import join_wrapped, lines_to_blocks

REPORT = "000_4435fb2a97849b7c"  # hard-wrapped PDF text, a blank line after every line
DOCX_TEXT = "004_73f20699863736da"  # one paragraph per line


def test_hard_wrapped_text_is_reflowed_into_paragraphs() -> None:
    doc = load(corpus_file("seeds", REPORT))
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "A. ĐẶC ĐIỂM TÌNH HÌNH"
    assert texts[1] == "1. Khái quát về cơ cấu tổ chức và hoạt động của cơ quan, đơn vị."
    assert texts[2].startswith("Trung tâm Đo lường chất lượng Viễn thông tiền thân là Trung tâm")
    assert texts[2].endswith("tại Miền Trung, Miền Nam.")
    assert "- Số Đảng viên nam 32 đồng chí, chiếm tỷ lệ 76,2 %" in texts
    # The running header and the page numbers are not body text.
    assert "DỰ THẢO" not in texts
    assert "19" not in texts  # the page number printed on its own line in the seed
    assert all("\n" not in t for t in texts)


def test_one_paragraph_per_line_text_keeps_its_paragraphs() -> None:
    path = corpus_file("seeds", DOCX_TEXT)
    # The paragraphs, not the character cleaning, are under test here: clean the lines alike.
    lines = [clean_text(ln) for ln in path.read_text(encoding="utf-8").splitlines()]
    # Lone numbers are table cells of the flattened table: dropped like page numbers.
    lines = [ln for ln in lines if ln and not ln.isdigit()]
    doc = load(path)
    assert [b.text for b in doc.blocks] == lines
    assert doc.blocks[1].text == "I. CÔNG TÁC LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ"


def test_wrapped_document_number_is_joined_without_a_space() -> None:
    lines = ["Thực hiện Quy định số 101-", "QĐ/TW ngày 07/6/2012 của Ban Bí thư."]
    assert join_wrapped(*lines) == "Thực hiện Quy định số 101-QĐ/TW ngày 07/6/2012 của Ban Bí thư."
    assert join_wrapped("nông nghiệp, công nghiệp -", "xây dựng") == (
        "nông nghiệp, công nghiệp - xây dựng"
    )


def test_spaced_dash_line_end_is_a_continuation_not_a_bullet() -> None:
    width_filler = "các ngành kinh tế quan trọng của tỉnh như nông nghiệp, công nghiệp -"
    lines = [width_filler, "- xây dựng và dịch vụ đều tăng trưởng khá so với cùng kỳ năm trước."]
    lines += ["Dòng văn bản khác có độ dài tương tự để ước lượng bề rộng dòng chữ in."] * 8
    blocks = lines_to_blocks(lines)
    assert blocks[0].text.startswith(width_filler + " - xây dựng")


@pytest.mark.parametrize("gap", [[], [""]], ids=["one_per_line", "blank_between"])
def test_short_document_of_whole_line_paragraphs_keeps_its_headings(gap: list[str]) -> None:
    # A short speech: its letterhead, title and headings are the only lines under 160
    # characters, so their lengths looked like a wrap width and each heading was joined to the
    # paragraph after it. Whole-line paragraphs far longer than that width rule wrapping out.
    body = ("Trong nhiệm kỳ, cấp ủy đã bám sát nghị quyết đại hội, cụ thể hóa thành chương trình "
            "công tác toàn khóa và kế hoạch hằng năm; các chỉ tiêu chủ yếu đều đạt và vượt.")
    lines = ["ĐẢNG BỘ PHƯỜNG HÒA AN", "CHI BỘ KHU PHỐ 7 PHƯỜNG HÒA AN", "ĐẢNG CỘNG SẢN VIỆT NAM",
             "Hòa An, ngày 2 tháng 9 năm 2025", "THAM LUẬN TẠI ĐẠI HỘI CHI BỘ",
             "VỀ CÔNG TÁC DÂN VẬN Ở KHU PHỐ"]
    for line in ["Kính thưa Đoàn Chủ tịch Đại hội!", body, "1. Những kết quả đạt được", body,
                 "2. Một số đề xuất, kiến nghị", body, "Xin chân thành cảm ơn Đại hội!",
                 "NGƯỜI THAM LUẬN", "Trần Văn Bình"]:
        lines += [line, *gap]
    texts = [b.text for b in lines_to_blocks(lines)]
    assert "1. Những kết quả đạt được" in texts
    assert "2. Một số đề xuất, kiến nghị" in texts
    assert texts.count(body) == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1258"])
def test_text_encodings_decode_to_the_same_nfc_text(tmp_path: Path, encoding: str) -> None:
    source = corpus_file("seeds", "001_11fa4c8372dfa292")
    reference = load(source).text
    raw = source.read_text(encoding="utf-8")
    if encoding == "cp1258":
        raw = to_cp1258(raw)
    data = raw.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    target = tmp_path / f"speech.{encoding}.txt"
    target.write_bytes(data)
    doc = load(target)
    assert doc.text == reference
    assert unicodedata.is_normalized("NFC", doc.text)


def test_nfd_text_comes_out_nfc(tmp_path: Path) -> None:
    source = corpus_file("seeds", "003_40d47c00f05e2e60")
    target = tmp_path / "nfd.txt"
    target.write_text(unicodedata.normalize("NFD", source.read_text("utf-8")), "utf-8")
    assert load(target).text == load(source).text


def to_cp1258(text: str) -> str:
    """What Windows-1258 stores: base letters it has (â, ơ, ư, ...) plus combining tones."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and _encodable(composed):
                base = composed
                marks = marks[:i] + marks[i + 1 :]
                break
        out.append(base + "".join(marks))
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def _news_page(stem: str) -> str:
    lines = [ln.strip() for ln in corpus_file("seeds", stem).read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln and ln != "."]
    title, body = lines[0], lines[1:]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<script>document.write("<p>quảng cáo</p>")</script><style>p {{ margin: 0 }}</style></head>
<body><header class="site-header"><a href="/">Trang chủ</a></header>
<nav><ul><li><a href="/xd">Xây dựng Đảng</a></li><li><a href="/ts">Thời sự</a></li></ul></nav>
<div id="wrapper"><aside class="sidebar"><h3>Tin liên quan</h3>
<ul><li><a href="/1">Đại hội Chi bộ 2 nhiệm kỳ 2020-2025 thành công tốt đẹp</a></li></ul></aside>
<div class="detail"><h1>{html.escape(title)}</h1>
{paragraphs}
<table><tr><th rowspan="2">Năm</th><th colspan="2">Phát triển đảng viên</th></tr>
<tr><td>Kết nạp</td><td>Chuyển chính thức</td></tr><tr><td>2020</td><td>13</td><td>9</td></tr>
</table></div><div class="comments">Bình luận của bạn đọc</div></div>
<footer>© Đảng ủy Khối. Địa chỉ: Hà Nội</footer></body></html>"""


def test_html_main_text_without_navigation_scripts_or_footer(tmp_path: Path) -> None:
    page = tmp_path / "tin.html"
    page.write_text(_news_page("002_38c4a49bff4fa329"), encoding="utf-8")
    doc = load(page)
    assert doc.format == "html"
    assert doc.blocks[0].kind == "heading"
    assert doc.blocks[0].text.startswith("Đảng bộ Bộ Thông tin và Truyền thông tổ chức Hội nghị")
    assert doc.blocks[1].text.startswith("Sáng ngày 23/1/2013, tại Hà Nội")
    for furniture in ("Trang chủ", "Xây dựng Đảng", "Tin liên quan", "quảng cáo", "Bình luận",
                      "Địa chỉ: Hà Nội"):
        assert furniture not in doc.text
    assert doc.tables[0].rows == [
        ["Năm", "Phát triển đảng viên", ""],
        ["", "Kết nạp", "Chuyển chính thức"],
        ["2020", "13", "9"],
    ]


def test_html_named_pdf_is_read_as_html(bad_files: dict[str, Path]) -> None:
    path = bad_files["html_as_pdf"]
    assert sniff(path) == "html"
    doc = load(path)
    assert doc.format == "html"
    assert doc.text == (
        "Đại hội Chi bộ 1\n\nSáng ngày 23/1/2013, Đảng bộ Bộ Thông tin và Truyền thông tổ chức"
        " Hội nghị."
    )


def test_html_in_windows_1258_without_a_charset(tmp_path: Path) -> None:
    page = _news_page("003_40d47c00f05e2e60").replace('<meta charset="utf-8">', "")
    target = tmp_path / "tin.htm"
    target.write_bytes(to_cp1258(page).encode("cp1258"))
    doc = load(target)
    assert "Đảng bộ Trung tâm NOC" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_a_picture_is_not_a_report(bad_files: dict[str, Path]) -> None:
    with pytest.raises(IngestError) as info:
        load(bad_files["png"])
    assert info.value.code == "unsupported_format"
    assert "PNG" in info.value.message("en")


# --- decoding you can trust (issue 16, part 4) ----------------------------------------------


def test_utf8_with_a_few_bad_bytes_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    raw = corpus_file("seeds", DOCX_TEXT).read_bytes()
    at = raw.index(b" ", raw.index(b"\n") + 1)  # between two words of line 2
    damaged = raw[:at] + b"\xff" + raw[at:] + b"\xc3"
    target = tmp_path / "mot_byte_hong.txt"
    target.write_bytes(damaged)
    doc = load(target)
    assert doc.properties["encoding"] == "utf-8"
    assert "encoding_confidence" not in doc.properties
    assert doc.text.count("\ufffd") == 2
    warning = next(w for w in doc.warnings if "not valid UTF-8" in w)
    assert "2 invalid byte sequence(s)" in warning and "line 2" in warning
    # Everything else is the file's own text (the old reader turned it all into "BĂ€I ...").
    clean = load(corpus_file("seeds", DOCX_TEXT))
    assert doc.blocks[0].text == clean.blocks[0].text
    assert doc.text.replace("\ufffd", "").strip() == clean.text


def test_cp1258_is_chosen_only_when_clearly_better_with_its_confidence(tmp_path: Path) -> None:
    raw = corpus_file("seeds", DOCX_TEXT).read_text(encoding="utf-8")
    target = tmp_path / "cp1258.txt"
    target.write_bytes(to_cp1258(raw).encode("cp1258"))
    doc = load(target)
    assert doc.properties["encoding"] == "cp1258"
    assert doc.properties["encoding_confidence"] > 0.9
    assert any("read as cp1258" in w for w in doc.warnings)
    assert doc.text == load(corpus_file("seeds", DOCX_TEXT)).text
