"""Legacy Vietnamese fonts: tables, font names, decoding real DOCX runs, and detection."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

from conftest import SEEDS, STEMS
from fixtures.make_legacy import make_legacy_docx, tcvn3_segments, tcvn3_table_from_iconv
from pipeline.data import data_path
from pipeline.ingest.legacy import decode, detect_encoding, encode, font_encoding, is_valid_syllable


def seed(stem: str) -> str:
    return unicodedata.normalize("NFC", (SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))


def paragraphs(text: str, min_words: int = 0) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip() and len(p.split()) >= min_words]


# --------------------------------------------------------------------------- tables


def test_tcvn3_table_matches_glibc() -> None:
    glibc = tcvn3_table_from_iconv()
    assert glibc is not None, "glibc's iconv (package libc-bin) is needed for this check"
    rows = {}
    for line in data_path("legacy_tcvn3.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("byte\t"):
            continue
        byte, uni, *_ = line.split("\t")
        rows[int(byte, 16)] = chr(int(uni[2:], 16))
    for b, uni in rows.items():
        assert glibc.get(b) == uni, f"byte {b:02X}"
    # glibc maps a few more C0 bytes (03 ...) that no font uses; the Latin-1 half must be whole.
    assert {b for b in glibc if b >= 0x80} - {0xA0} <= set(rows)


def test_tcvn3_known_words() -> None:
    assert decode("§¶ng bé", "tcvn3") == "Đảng bộ"
    # The soft-hyphen look-alike is "ư".
    assert decode("n\xadíc ng\xadêi", "tcvn3") == "nước người"
    assert decode("Bé ChÝnh trÞ", "tcvn3") == "Bộ Chính trị"
    assert encode("Đảng bộ", "tcvn3") == "§¶ng bé"


def test_tcvn3_c1_bytes_accepted_as_cp1252_or_raw() -> None:
    # Byte 9E (VN1 "Ủ") shows as "ž" via cp1252 and as "\x9e" from extractors that keep bytes.
    assert decode("žy ban", "tcvn3") == decode("\x9ey ban", "tcvn3") == "Ủy ban"
    assert decode("Ÿ", "tcvn3") == decode("\x9f", "tcvn3") == "Ũ"
    # 0x85 is also "…": an ellipsis stays one, Ặ between capitals is decoded.
    assert decode("§…C §IÍM", "tcvn3") == "ĐẶC ĐIỂM"
    assert decode("to¸n…", "tcvn3") == "toán…"
    assert decode("“§¶ng”", "tcvn3") == "“Đảng”"


def test_vni_known_words() -> None:
    assert decode("Ñaûng boä", "vni") == "Đảng bộ"
    assert decode("ngöôøi daân", "vni") == "người dân"
    assert decode("Uûy ban", "vni") == "Ủy ban"  # a mark whose case differs from its base
    assert decode("ÑAÛNG", "vni") == "ĐẢNG"
    assert encode("Đảng bộ nghị quyết", "vni") == "Ñaûng boä nghò quyeát"


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
@pytest.mark.parametrize("stem", STEMS)
def test_round_trip_on_seeds(stem: str, enc: str) -> None:
    text = seed(stem)
    coded = encode(text, enc)
    assert coded != text
    if enc == "vni":
        assert decode(coded, enc) == text
        return
    # .VnTime text has no capitals with tones: lower-case text round-trips exactly.
    assert decode(encode(text.lower(), enc), enc) == text.lower()
    # Full VN1 capitals share bytes with quotes (’ ” = Ò Õ); only a word-final one is ambiguous.
    back = decode(coded, enc)
    diffs = [(a, b) for a, b in zip(text, back, strict=True) if a != b]
    assert all(a in "ÒÕ" and b in "’”" for a, b in diffs), diffs
    assert len(diffs) <= 2


def test_round_trip_nfd_input() -> None:
    text = seed(STEMS[1])
    nfd = unicodedata.normalize("NFD", text)
    assert decode(encode(nfd, "vni"), "vni") == text
    assert decode(encode(nfd.lower(), "tcvn3"), "tcvn3") == text.lower()


# --------------------------------------------------------------------------- font names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".VnTime", ("tcvn3", False)),
        ("ABCDEF+.VnTime", ("tcvn3", False)),
        (".VnTimeH", ("tcvn3", True)),
        ("QWERTY+.VnTimeH,Bold", ("tcvn3", True)),
        (".VnArialH", ("tcvn3", True)),
        (".VnArial", ("tcvn3", False)),
        (".VnArial NarrowH", ("tcvn3", True)),
        ("ABCDEF+.VnArial#20NarrowH", ("tcvn3", True)),
        (".VnTime-BoldItalic", ("tcvn3", False)),
        ("VnTimeH", ("tcvn3", True)),
        ("VNI-Times", ("vni", False)),
        ("VNI-Helve", ("vni", False)),
        ("VNI-Times-Bold", ("vni", False)),
        ("ABCDEF+VNI-Times,Italic", ("vni", False)),
        ("Times New Roman", (None, False)),
        ("ABCDEF+TimesNewRomanPS-BoldMT", (None, False)),
        ("Arial", (None, False)),
        ("", (None, False)),
        (None, (None, False)),
    ],
)
def test_font_encoding(name: str | None, expected: tuple[str | None, bool]) -> None:
    assert font_encoding(name) == expected


# --------------------------------------------------------------------------- real DOCX


def _docx_runs(path: Path) -> list[list[tuple[str | None, str]]]:
    """(ascii font, run text) per paragraph, as python-docx shows a real file."""
    out = []
    for p in DocxDocument(str(path)).paragraphs:
        runs = []
        for r in p.runs:
            rfonts = r._element.rPr.rFonts if r._element.rPr is not None else None
            font = rfonts.get(qn("w:ascii")) if rfonts is not None else None
            assert font == r.font.name
            runs.append((font, r.text))
        out.append(runs)
    return out


def _decode_runs(runs: list[tuple[str | None, str]]) -> str:
    parts = []
    for font, text in runs:
        enc, caps = font_encoding(font)
        parts.append(decode(text, enc, caps) if enc else text)
    return "".join(parts)


def test_tcvn3_docx_runs_decode(tmp_path: Path) -> None:
    paras = paragraphs(seed(STEMS[0]))[:60]
    path = make_legacy_docx(tmp_path / "tcvn3.docx", paras)
    runs = _docx_runs(path)
    fonts = {f for para in runs for f, _ in para}
    assert fonts == {".VnTime", ".VnTimeH"}
    # The file really holds legacy codes: "Đảng" is stored as "§¶ng", "ư" as a soft hyphen.
    raw = "".join(t for para in runs for _, t in para)
    assert "§¶ng" in raw and "\xad" in raw and "Đảng" not in raw
    assert [_decode_runs(r) for r in runs] == paras


def test_tcvn3_caps_font_runs_hold_lower_case_codes() -> None:
    segs = tcvn3_segments("A. ĐẶC ĐIỂM TÌNH HÌNH của Ủy ban")
    assert (".VnTimeH", "®Æc") in segs  # lower-case codes in the capital font
    assert decode("§Æc ®iÓm", "tcvn3", caps=True) == "ĐẶC ĐIỂM"


def test_vni_docx_runs_decode(tmp_path: Path) -> None:
    paras = paragraphs(seed(STEMS[2]))[:40]
    path = make_legacy_docx(tmp_path / "vni.docx", paras, encoding="vni")
    runs = _docx_runs(path)
    assert {f for para in runs for f, _ in para} == {"VNI-Times"}
    assert [_decode_runs(r) for r in runs] == paras


def test_detect_on_docx_text_without_fonts(tmp_path: Path) -> None:
    # A PDF with anonymous subset fonts gives the same strings with no font names.
    paras = paragraphs(seed(STEMS[4]))[:30]
    path = make_legacy_docx(tmp_path / "t.docx", paras)
    text = "\n".join(p.text for p in DocxDocument(str(path)).paragraphs)
    assert detect_encoding(text) == "tcvn3"


# --------------------------------------------------------------------------- syllables


def test_valid_syllables() -> None:
    for w in ["nghiêng", "quốc", "giữ", "già", "người", "khuyến", "hòa", "hoàng", "Đảng", "ĐẢNG",
              "thủy", "khuỷu", "ạ", "ừ", "tháp", "học"]:
        assert is_valid_syllable(w), w
    for w in ["english", "party", "café", "schön", "fỹr", "hàc", "aa", "§¶ng", "xyz", "hoàá"]:
        assert not is_valid_syllable(w), w


def test_seed_words_are_mostly_valid_syllables() -> None:
    import re

    words = re.findall(r"[^\W\d_]+", seed(STEMS[0]))
    ok = sum(is_valid_syllable(w) for w in words)
    assert ok / len(words) > 0.97


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("stem", STEMS)
def test_detect_never_fires_on_unicode_seeds(stem: str) -> None:
    text = seed(stem)
    assert detect_encoding(text) is None
    assert detect_encoding(unicodedata.normalize("NFD", text)) is None
    raw = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")  # as shipped (partly NFD)
    assert detect_encoding(raw) is None
    for para in paragraphs(text):
        assert detect_encoding(para) is None
        assert detect_encoding(unicodedata.normalize("NFD", para)) is None


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_detect_fires_on_legacy_seeds(stem: str, enc: str) -> None:
    text = seed(stem)
    assert detect_encoding(encode(text, enc)) == enc
    # Capital-font text loses its case when read without fonts: still detected.
    assert detect_encoding(encode(text.lower(), enc)) == enc
    for para in paragraphs(text, min_words=30):  # one paragraph is enough
        assert detect_encoding(encode(para, enc)) == enc


ENGLISH = (
    "The congress reviewed the work of the past term and adopted the resolution for the next "
    "five years. Delegates discussed the economy, education, health care and the environment. "
) * 20
FRENCH = (
    "La République a tenu son congrès à Hà Nội; les délégués ont étudié le résumé du rapport. "
    "Où êtes-vous allés? Très bien, merci. Hôtel, forêt, château, élève, théâtre, août, maïs. "
) * 10
GERMAN = (
    "Die Bundesrepublik ist ein demokratischer Bundesstaat. Für die Größe der Städte gilt: "
    "schön, über, müssen, Bürger, Straße, Mädchen, Österreich, Ärger. "
) * 10


@pytest.mark.parametrize("text", [ENGLISH, FRENCH, GERMAN, ENGLISH + " café, naïve, Müller, "
                                  "Straße, déjà vu, “quoted” – dash…", "", "2025", "§ 3. ¶ 4"])
def test_detect_never_fires_on_other_languages(text: str) -> None:
    assert detect_encoding(text) is None


def test_detect_mixed_unicode_with_latin1_punctuation() -> None:
    text = seed(STEMS[3]) + " © 2025 · § 4 ¶ ° ± ² « » " * 5
    assert detect_encoding(text) is None
