"""Where benchmark results go: each benchmark writes benchmarks/results/<name>.md, and
`benchmarks/run.py` assembles them, in a fixed order, into benchmarks/BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
BENCHMARKS = ROOT / "benchmarks" / "BENCHMARKS.md"
ORDER = ("cli", "ingest", "ingest_layouts_first_run", "ingest_layouts", "ingest_layouts_fresh3",
         "ingest_ocr_memory", "fuzz", "outline",
         "sections", "doctype", "references", "indicators", "corpus", "web", "memory",
         "memory_docx", "segmenter", "scale",
         "scale_copies")


def machine() -> str:
    """The machine in one line: CPU model, cores, memory, Python, OS."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; Python "
            f"{platform.python_version()}; {platform.system()} {platform.release()}")


def write_section(name: str, markdown: str, command: str | None = None) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    if command:
        stamp += f" by `{command}`"
    path = RESULTS_DIR / f"{name}.md"
    path.write_text(f"{markdown.rstrip()}\n\n_{stamp}._\n", encoding="utf-8")
    return path


def assemble() -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip() or "?"
    parts = [
        "# Benchmarks",
        "",
        "Made by `make bench` (`python benchmarks/run.py`), which runs every benchmark below and "
        "assembles their results. Speeds are measured against a baseline in the same run; "
        "quality is measured on labelled data, with the held-out sets marked.",
        "",
        f"Machine: {machine()}. Commit: {commit}.",
        "",
    ]
    for name in ORDER:
        path = RESULTS_DIR / f"{name}.md"
        if path.exists():
            parts.append(path.read_text(encoding="utf-8").rstrip())
            parts.append("")
    BENCHMARKS.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return BENCHMARKS
