"""Safety limits applied while reading untrusted files."""

from __future__ import annotations

from dataclasses import dataclass

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
