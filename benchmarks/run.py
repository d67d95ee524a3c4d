"""`make bench`: run every benchmark, then assemble benchmarks/BENCHMARKS.md.

Each benchmark also runs alone (`python benchmarks/bench_<name>.py`) and writes its section to
benchmarks/results/<name>.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import ROOT, assemble  # noqa: E402

BENCHES = (
    ["bench_cli.py"],
    ["bench_ingest.py"],
    ["bench_ingest.py", "--layouts"],
    ["bench_fuzz.py"],
    ["bench_outline.py"],
    ["bench_sections.py"],
    ["bench_doctype.py"],
    ["build_references_gold.py"],
    ["bench_references.py"],
    ["bench_indicators.py"],
    ["bench_corpus.py"],
    ["bench_web.py"],
    ["bench_memory.py"],
    ["check_segmenter.py"],
    ["bench_scale.py"],
)


def main() -> int:
    for cmd in BENCHES:
        print(f"== {' '.join(cmd)}", flush=True)
        proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / cmd[0]), *cmd[1:]],
                              cwd=ROOT)
        if proc.returncode != 0:
            print(f"{cmd[0]} failed with exit status {proc.returncode}", file=sys.stderr)
            return proc.returncode
    print(f"Results: {assemble()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
