"""Plain-text reports: decoding (UTF-8, UTF-16 with BOM, Windows-1258, legacy 8-bit fonts) and
paragraphs, whether the file keeps one paragraph per line or was hard-wrapped (text pasted out of
a PDF, with blank lines between wrapped lines)."""

from __future__ import annotations

import codecs
from pathlib import Path

from pipeline.ingest.limits import Limits
from pipeline.ingest.textlines import lines_to_blocks
from pipeline.model import Document


def read(path: Path, doc: Document, limits: Limits) -> None:
    text, encoding = decode_bytes(path.read_bytes())
    doc.properties["encoding"] = encoding
    doc.blocks = lines_to_blocks(text.splitlines())


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, the encoding used).

    Order: a byte-order mark; strict UTF-8; then an 8-bit code page. Windows-1258 is the
    Vietnamese code page, but files typed with legacy TCVN3/VNI fonts hold font codes, which
    read best as cp1252 for the legacy decoder in `normalize` to recognise.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_utf16_without_bom(data):
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    as_1252 = data.decode("cp1252", errors="replace")
    if _is_legacy_font_text(as_1252):
        return as_1252, "cp1252"
    return data.decode("cp1258", errors="replace"), "cp1258"


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) > 20 and sample[1::2].count(0) > 0.4 * len(sample[1::2])


def _is_legacy_font_text(text: str) -> bool:
    try:
        from pipeline.ingest.legacy import detect_encoding
    except ImportError:  # pragma: no cover - the legacy module ships with the package
        return False
    return detect_encoding(text) is not None

