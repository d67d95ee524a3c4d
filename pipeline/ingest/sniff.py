"""Tell a file's format from its content (magic bytes), never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

Sniffed = Literal["pdf", "docx", "doc", "rtf", "odt", "txt", "html"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (
    b"<!doctype html", b"<html", b"<body", b"<head", b"<meta ", b"<div", b"<p>", b"<p ",
)


class UnknownFormat(Exception):
    """The content matches no format we read; the text says what it looks like."""


def sniff(path: Path, head: bytes | None = None) -> Sniffed:
    """The format of `path`, from its first bytes (and, for zip files, their member names)."""
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(4096)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _looks_binary(head):
        raise UnknownFormat(_describe_binary(head))
    if _looks_html(head):
        return "html"
    return "txt"


def _sniff_zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
                raise UnknownFormat(f"OpenDocument {mime.decode('ascii', 'replace')}")
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as exc:
        # A zip signature but no readable directory: a truncated or damaged DOCX (a damaged
        # header can also claim a zip version or compression zipfile does not implement).
        raise CorruptZip(str(exc)) from exc
    if any(n.startswith("xl/") for n in names):
        raise UnknownFormat("Excel workbook (xlsx)")
    if any(n.startswith("ppt/") for n in names):
        raise UnknownFormat("PowerPoint (pptx)")
    raise UnknownFormat("zip archive")


class CorruptZip(Exception):
    """A file that starts like a zip (DOCX, ODT) but whose archive cannot be read."""


class EncryptedOffice(Exception):
    """A password-protected DOCX/XLSX: an OLE file holding an "EncryptedPackage" stream."""


def _sniff_ole(path: Path) -> Sniffed:
    # Word 97-2003 files name their main stream "WordDocument" (UTF-16LE in the directory);
    # Office 2007+ files saved with a password are OLE files with an "EncryptedPackage".
    data = path.read_bytes()[:2_000_000]
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedOffice()
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        raise UnknownFormat("Excel 97-2003 workbook (xls)")
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise UnknownFormat("PowerPoint 97-2003 (ppt)")
    if path.suffix.lower() in (".doc", ".dot"):
        return "doc"  # a damaged Word file: let the converter try, and say it is damaged
    raise UnknownFormat("OLE compound file")


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False  # a text file with a byte-order mark (UTF-16 has NUL bytes)
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return len(head) > 0 and control / len(head) > 0.05


_BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7-Zip archive",
    b"\x1f\x8b": "gzip archive",
}


def _describe_binary(head: bytes) -> str:
    for magic, name in _BINARY_SIGNATURES.items():
        if head.startswith(magic):
            return name
    return "binary data"


def _looks_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower():
        return True
    lowered = head.lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        lowered = head.decode("utf-16", "ignore").lower().encode()
        start = lowered.lstrip()
    if start.startswith(b"<"):
        return any(m in lowered for m in _HTML_MARKERS)
    return False
