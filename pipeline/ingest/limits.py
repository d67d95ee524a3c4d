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
    # Not limits but reading choices that travel with them. OCR (Tesseract, 3-10 s a page):
    # "auto" reads the pages with no text layer when Tesseract is installed, "never" does not,
    # "always" reads every page by OCR. `ocr=True` (the old `--ocr` flag) means "always".
    ocr: bool = False
    ocr_mode: str = "auto"

    @property
    def effective_ocr_mode(self) -> str:
        return "always" if self.ocr else self.ocr_mode

    @classmethod
    def from_args(cls, args: Any) -> Limits:
        """The limits a command line asked for (`--max-size MB`, `--ocr [auto|never|always]`)."""
        ocr = getattr(args, "ocr", None)
        mode = ocr if isinstance(ocr, str) else ("always" if ocr else "auto")
        return cls(
            max_file_bytes=int(getattr(args, "max_size", cls.max_file_bytes / MB) * MB),
            ocr=mode == "always",
            ocr_mode=mode,
        )
