"""Word 97 (.doc), RTF and ODT: real files saved by LibreOffice, read back through LibreOffice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import corpus_file, require_tool
from fixtures.make_legacy import make_legacy_docx
from pipeline.errors import IngestError
from pipeline.ingest import load

REPORT = "004_73f20699863736da"


def soffice_save(source: Path, target_format: str, outdir: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [require_tool("soffice"), f"-env:UserInstallation=file://{outdir}/profile", "--headless",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    return outdir / f"{source.stem}.{target_format.split(':')[0]}"


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("office")
    source = corpus_file("docx", REPORT)
    return {kind: soffice_save(source, kind, base / kind) for kind in ("doc", "rtf", "odt")}


@pytest.mark.parametrize("kind", ["doc", "rtf", "odt"])
def test_office_formats_read_like_the_docx(office_files: dict[str, Path], kind: str) -> None:
    reference = load(corpus_file("docx", REPORT))
    doc = load(office_files[kind])
    assert doc.format == kind
    assert doc.properties["converted_by"] == "libreoffice"
    assert [b.text for b in doc.blocks] == [b.text for b in reference.blocks]
    assert [t.rows for t in doc.tables] == [t.rows for t in reference.tables]
    assert [f.text for f in doc.footnotes] == [f.text for f in reference.footnotes]


def test_a_doc_named_pdf_is_still_a_doc(office_files: dict[str, Path], tmp_path: Path) -> None:
    renamed = tmp_path / "bao_cao.pdf"
    renamed.write_bytes(office_files["doc"].read_bytes())
    doc = load(renamed)
    assert doc.format == "doc"
    assert any("named .pdf" in w for w in doc.warnings)


def test_tcvn3_text_survives_a_word_97_file(tmp_path: Path) -> None:
    """Legacy .VnTime text typed in Word 97: LibreOffice keeps the font names, so the DOCX
    reader decodes each run; antiword or catdoc would lose it."""
    paragraphs = ["Đảng bộ bộ phận Trung tâm đã lãnh đạo hoàn thành tốt nhiệm vụ chính trị.",
                  "BÁO CÁO CHÍNH TRỊ NHIỆM KỲ 2020 - 2025"]
    legacy = make_legacy_docx(tmp_path / "abc.docx", paragraphs)
    doc = load(soffice_save(legacy, "doc", tmp_path / "doc"))
    assert [b.text for b in doc.blocks] == paragraphs
    assert doc.properties["legacy_encoding"] == "tcvn3"


def test_without_libreoffice_the_error_says_what_to_install(
    office_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAIHOI_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(IngestError) as info:
        load(office_files["rtf"])
    assert info.value.code == "converter_missing"
    assert "libreoffice-writer-nogui" in info.value.message("en")
    assert "libreoffice-writer-nogui" in info.value.message("vi")


def test_a_damaged_doc_is_corrupt(office_files: dict[str, Path], tmp_path: Path) -> None:
    data = office_files["doc"].read_bytes()
    broken = tmp_path / "hong.doc"
    broken.write_bytes(data[:4096] + b"\0" * 2048)
    with pytest.raises(IngestError) as info:
        load(broken)
    assert info.value.code in ("corrupt", "empty")


def test_a_password_protected_docx_is_encrypted(tmp_path: Path) -> None:
    locked = tmp_path / "mat_khau.docx"
    # msoffcrypto-tool implements Office's own encryption (MS-OFFCRYPTO), as Word saves it.
    subprocess.run([sys.executable, "-m", "msoffcrypto", "-e", "-p", "matkhau",
                    str(corpus_file("docx", REPORT)), str(locked)], check=True)
    with pytest.raises(IngestError) as info:
        load(locked)
    assert info.value.code == "encrypted"
    assert "mật khẩu" in info.value.message("vi")
