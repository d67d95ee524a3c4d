"""Safety limits applied while reading untrusted files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # A political report is rarely over 20 MB; scans can be larger. Configurable from the CLI.
    max_file_bytes: int = 200 * MB
    # Zip-bomb guard for DOCX/ODT: total inflated size of the parts we read, and the ratio.
    max_inflated_bytes: int = 400 * MB
    max_compression_ratio: float = 200.0
    # A PDF page count past which we refuse (memory stays linear, but time does too).
    max_pages: int = 5000
    # Not a limit but a reading choice that travels with them: OCR a PDF with no text layer
    # (slow: 5-10 s a page) instead of reporting `no_text_layer`.
    ocr: bool = False

    @classmethod
    def from_args(cls, args: Any) -> Limits:
        """The limits a command line asked for (`--max-size MB`, `--ocr`)."""
        return cls(
            max_file_bytes=int(getattr(args, "max_size", cls.max_file_bytes / MB) * MB),
            ocr=bool(getattr(args, "ocr", False)),
        )
