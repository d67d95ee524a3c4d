"""Shared fixtures: the real corpus and real broken files made with real tools."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def corpus_file(kind: str, stem: str) -> Path:
    """A committed corpus file: kind is "docx", "pdf" or "seeds" (the seed text)."""
    suffix = "txt" if kind == "seeds" else kind
    path = CORPUS / kind / f"{stem}.{suffix}"
    assert path.exists(), f"{path} is missing: run `make corpus`"
    return path


def require_tool(name: str) -> str:
    """The path of a system tool the Makefile installs; a missing one is a failure, not a skip."""
    found = shutil.which(name)
    assert found, f"{name} is not installed: run `make test` (it installs system packages)"
    return found


@pytest.fixture(scope="session")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One real broken file per error the ingest stage must report."""
    d = tmp_path_factory.mktemp("bad")
    good_pdf = corpus_file("pdf", "001_11fa4c8372dfa292")
    files: dict[str, Path] = {}

    files["missing"] = d / "khong_co.pdf"

    files["empty"] = d / "rong.docx"
    files["empty"].write_bytes(b"")

    data = good_pdf.read_bytes()
    files["truncated"] = d / "cut.pdf"
    files["truncated"].write_bytes(data[: len(data) // 2])

    files["encrypted"] = d / "locked.pdf"
    subprocess.run(
        [require_tool("qpdf"), "--encrypt", "secret", "owner", "256", "--",
         str(good_pdf), str(files["encrypted"])],
        check=True,
    )

    # A scan: page 1 rendered to an image, then saved back as an image-only PDF.
    subprocess.run(
        [require_tool("pdftoppm"), "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
         str(good_pdf), str(d / "page")],
        check=True,
    )
    from PIL import Image

    files["scan"] = d / "scan.pdf"
    Image.open(d / "page.png").convert("RGB").save(files["scan"], "PDF", resolution=60)

    # A .docx that is not a zip: a damaged download of binary junk.
    files["not_zip"] = d / "hong.docx"
    files["not_zip"].write_bytes(bytes(range(256)) * 64)

    # A real DOCX cut short: the zip signature is there, the central directory is not.
    docx_data = corpus_file("docx", "001_11fa4c8372dfa292").read_bytes()
    files["truncated_docx"] = d / "cut.docx"
    files["truncated_docx"].write_bytes(docx_data[: len(docx_data) // 2])

    files["zip_bomb"] = d / "bomb.docx"
    with zipfile.ZipFile(files["zip_bomb"], "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        # 450 MB of zeros deflate to ~450 KB: past the default inflate limit (400 MB) and
        # the ratio limit. Streamed, so the test never holds it in memory.
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(450):
                member.write(chunk)

    files["html_as_pdf"] = d / "tin_bai.pdf"
    files["html_as_pdf"].write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin</title></head><body>"
        "<nav><a href='/'>Trang chủ</a></nav><article><h1>Đại hội Chi bộ 1</h1>"
        "<p>Sáng ngày 23/1/2013, Đảng bộ Bộ Thông tin và Truyền thông tổ chức Hội nghị.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )

    files["png"] = d / "anh.pdf"
    shutil.copyfile(d / "page.png", files["png"])
    return files
