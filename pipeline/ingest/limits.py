"""Safety limits applied while reading untrusted files, and the memory they are derived from.

The largest file accepted by default (`--max-size`) follows from the memory one analysis
process may use (`worker_memory_mb`: the machine's memory shared by the workers, the cap the
engine puts on each analysis process) and from what a document costs, measured by
`benchmarks/bench_memory.py`: an analysis process grows by about `MEMORY_MB_PER_FILE_MB` of
memory per MB of plain-text file (the costliest kind per MB once unpacked; a DOCX unzips to
about three times its size in text and is also held to the inflated-size limits below). A file
that passes the size check but still needs more than the cap fails as that file's
`out_of_memory` error; the batch goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

MB = 1024 * 1024

# Measured (benchmarks/results/memory.md): growth of an analysis process's peak address space
# per MB of plain-text file (Vietnamese UTF-8, ~0.85 M characters per MB): ~18 at 10 MB of text;
# rounded up for the JSON line `analyze --json` writes and for text that costs more.
MEMORY_MB_PER_FILE_MB = 25
# Address space of an analysis process with its models loaded, before its first document (660
# MB measured): RLIMIT_AS counts it (libraries, model files, thread stacks) before any document.
PROCESS_BASE_MB = 700
# Never refuse a document under this size for want of memory (the cap then decides), and never
# accept more than this by default: a political report is rarely over 20 MB; scans can be larger.
MAX_SIZE_FLOOR_MB = 5
MAX_SIZE_CEILING_MB = 200
# An analysis process's cap is never set below this: the models alone map about 700 MB.
MIN_WORKER_MEMORY_MB = 2048


def worker_memory_mb(workers: int | None = None) -> int:
    """The memory (address space, MB) one analysis process may use: 80% of the machine's
    memory shared by `workers` processes (one per core by default), at least
    MIN_WORKER_MEMORY_MB. DAIHOI_WORKER_MEMORY_MB overrides it (0: no cap)."""
    given = os.environ.get("DAIHOI_WORKER_MEMORY_MB")
    if given is not None:
        return int(given)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB
    return max(MIN_WORKER_MEMORY_MB, int(total * 0.8) // max(1, workers or os.cpu_count() or 1))


def default_max_size_mb(memory_mb: int | None = None) -> float:
    """The `--max-size` default: the largest file whose analysis fits in `memory_mb` (default
    `worker_memory_mb()`), between MAX_SIZE_FLOOR_MB and MAX_SIZE_CEILING_MB. No cap (0): the
    ceiling. DAIHOI_MAX_SIZE_MB overrides it."""
    given = os.environ.get("DAIHOI_MAX_SIZE_MB")
    if given is not None:
        return float(given)
    memory = worker_memory_mb() if memory_mb is None else memory_mb
    if memory <= 0:
        return float(MAX_SIZE_CEILING_MB)
    fits = (memory - PROCESS_BASE_MB) // MEMORY_MB_PER_FILE_MB
    return float(min(MAX_SIZE_CEILING_MB, max(MAX_SIZE_FLOOR_MB, fits)))


def memory_limit_mb() -> float:
    """The memory this process may use, for an `out_of_memory` message: its address-space
    cap (set by the engine on each analysis process), else the machine's memory."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY and soft > 0:
        return soft / MB
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / MB


def _default_max_file_bytes() -> int:
    return int(default_max_size_mb() * MB)


@dataclass(frozen=True)
class Limits:
    # Files larger than this are refused with `too_large` (`--max-size`); by default what the
    # memory of one analysis process can hold (`default_max_size_mb`).
    max_file_bytes: int = field(default_factory=_default_max_file_bytes)
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
        max_size = getattr(args, "max_size", None)
        return cls(
            max_file_bytes=int((default_max_size_mb() if max_size is None else max_size) * MB),
            ocr=mode == "always",
            ocr_mode=mode,
        )
