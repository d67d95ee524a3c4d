"""Fuzz benchmark: the fuzz test of tests/test_fuzz.py run longer (issue 16, part 9).

`python benchmarks/bench_fuzz.py [--count N] [--seed S] [--timeout SECONDS]` writes mutants of
the corpus (corpus/fuzz.py) to benchmarks/out/fuzz/, reads each one (every 40th through the
whole analysis), and writes benchmarks/results/fuzz.md: answers by kind of mutation, error
codes, tracebacks and hangs (both must be 0), the slowest inputs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.fuzz import KINDS, mutants, run  # noqa: E402
from results import ROOT, write_section  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    out = ROOT / "benchmarks" / "out" / "fuzz"
    if out.exists():
        shutil.rmtree(out)
    paths = list(mutants(out, args.count, seed=args.seed))
    start = time.perf_counter()
    results = run(paths, args.timeout, full_every=40)
    elapsed = time.perf_counter() - start
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    codes: Counter[str] = Counter()
    for path, outcome, detail, _ in results:
        kind = next(k for k in KINDS if f"_{k}_" in path.name)
        by_kind[kind][outcome] += 1
        if outcome == "error":
            codes[detail] += 1
    total = Counter(o for _, o, _, _ in results)
    bad = [(p.name, o, d.strip().splitlines()[-1] if d.strip() else "") for p, o, d, _ in results
           if o in ("traceback", "hang")]
    slow = sorted(results, key=lambda r: -r[3])[:5]
    lines = [
        "## Fuzz: mutated corpus inputs (issue 16, part 9)",
        "",
        f"{len(results)} mutants (seed {args.seed}) of the corpus DOCX/PDF/TXT files up to "
        f"100 KB; every 40th analysed in full, the rest read by `load()` with OCR off; time "
        f"limit {args.timeout:.0f} s per input; {elapsed:.0f} s in all on 2 workers. Target: 0 "
        "tracebacks, 0 hangs.",
        "",
        "| mutation | report | typed error | traceback | hang |",
        "|---|---|---|---|---|",
        *[f"| {k} | {c['report']} | {c['error']} | {c['traceback']} | {c['hang']} |"
          for k, c in by_kind.items()],
        f"| **all** | {total['report']} | {total['error']} | **{total['traceback']}** | "
        f"**{total['hang']}** |",
        "",
        "Error codes: " + ", ".join(f"`{c}` {n}" for c, n in codes.most_common()) + ".",
        "",
        "Slowest: " + ", ".join(f"{p.name} {s:.1f} s" for p, _, _, s in slow) + ".",
        "",
        *[f"- {name}: {outcome}: {detail}" for name, outcome, detail in bad],
    ]
    write_section("fuzz", "\n".join(lines),
                  f"python benchmarks/bench_fuzz.py --count {args.count} --seed {args.seed}")
    print("\n".join(lines))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
