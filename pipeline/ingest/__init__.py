"""Ingest: any supported file -> one clean `Document`.

`load(path)` sniffs the format from the content, applies the safety limits, dispatches to the
reader of that format, and runs the shared normalisation (legacy fonts, NFC, invisible
characters; the author's spelling is kept) over every string of the result. PDF pages with no
text layer are read by OCR when Tesseract is installed (`Limits.ocr_mode`, "auto" by default).
Errors are `IngestError`s with a stable code and a message in plain words.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.errors import IngestError
from pipeline.ingest.limits import MB, Limits, memory_limit_mb
from pipeline.ingest.sniff import CorruptZip, EncryptedOffice, UnknownFormat, sniff
from pipeline.model import Document

__all__ = ["load", "Limits", "IngestError", "SUPPORTED_SUFFIXES", "file_sha256"]

# File names `daihoi run` picks up when walking a folder (the format is still sniffed).
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".doc", ".rtf", ".odt", ".txt", ".html", ".htm")
_SUFFIX_FORMATS = {".htm": "html"} | {s: s[1:] for s in SUPPORTED_SUFFIXES if s != ".htm"}


def load(path: str | Path, limits: Limits | None = None) -> Document:
    """Read `path` into a normalised `Document`, or raise `IngestError`."""
    limits = limits or Limits()
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise IngestError("not_found", path=shown)
    if not path.is_file():
        raise IngestError("unreadable", path=shown, detail="not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty", path=shown)
    if size > limits.max_file_bytes:
        raise IngestError(
            "too_large", path=shown, size_mb=size / MB, limit_mb=limits.max_file_bytes / MB
        )
    try:
        kind = sniff(path)
    except UnknownFormat as exc:
        raise IngestError("unsupported_format", path=shown, detail=str(exc)) from exc
    except CorruptZip as exc:
        raise IngestError("corrupt", path=shown, detail=f"zip: {exc}") from exc
    except EncryptedOffice as exc:
        raise IngestError("encrypted", path=shown) from exc
    except OSError as exc:
        raise IngestError("unreadable", path=shown, detail=exc.strerror or str(exc)) from exc

    # RTF and ODT keep their own name in `format`, though they are read like DOC.
    doc = Document(source=shown, format=kind, sha256=file_sha256(path), size=size)
    doc.properties["detected_format"] = kind
    named = _SUFFIX_FORMATS.get(path.suffix.lower())
    if named is not None and named != kind:
        # Not an error: the content decides. Worth telling whoever collects the files.
        doc.warnings.append(f"named {path.suffix} but the content is {kind}")
    reader = _reader(kind)
    try:
        reader(path, doc, limits)
    except IngestError:
        raise
    except MemoryError as exc:
        # Past the memory this process may use (the engine's cap): this file's error.
        raise IngestError("out_of_memory", path=shown, limit_mb=memory_limit_mb()) from exc
    except Exception as exc:  # noqa: BLE001 - any parser crash on a bad file is "corrupt"
        raise IngestError("corrupt", path=shown, detail=f"{type(exc).__name__}: {exc}") from exc

    from pipeline.ingest.normalize import normalize_document

    if kind == "pdf" and not any(b.text.strip() for b in doc.blocks) and not doc.tables:
        # No text layer, and OCR was not asked for or is not installed (pdf.read tried).
        raise IngestError("no_text_layer", path=shown, pages=doc.pages or 0)
    from pipeline.ingest.toc import strip_table_of_contents

    strip_table_of_contents(doc)
    normalize_document(doc)
    if not doc.text.strip() and not doc.tables:
        raise IngestError("empty", path=shown)
    return doc


def _reader(kind: str):  # noqa: ANN202 - returns one of the format readers
    if kind == "pdf":
        from pipeline.ingest import pdf

        return pdf.read
    if kind == "docx":
        from pipeline.ingest import docx

        return docx.read
    if kind in ("doc", "rtf", "odt"):
        from pipeline.ingest import doc

        return doc.read
    if kind == "html":
        from pipeline.ingest import html

        return html.read
    from pipeline.ingest import text

    return text.read


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
