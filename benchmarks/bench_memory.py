"""Time and peak memory of one document against its size: plain text of 1, 10 and 50 MB and an
ordinary DOCX of ~5 MB (issue 16: a 5 MB DOCX in < 60 s and < 1 GB, 50 MB of text < 1.5 GB).

Run: ``python benchmarks/bench_memory.py [--sizes 1,10,50] [--docx-mb 5]``. Writes
benchmarks/results/memory.md.

The text is real: paragraphs of the generated large corpus (corpus/make_large.py: synthetic
reports and the news articles of ../shared/devdata/news/, disguised per document so they do not
all repeat each other), joined until the size is reached. Each file is analysed by
`pipeline.analysis.analyze` in a fresh process, which reports its own peak resident set
(`ru_maxrss`), so one measurement never inherits another's memory. The baseline is the same
process importing everything and analysing one 20-page report.

The DOCX is analysed twice in the same run: by one process (`DAIHOI_SPLIT_JOBS=1`) and by two
(`DAIHOI_SPLIT_JOBS=2`: the paragraphs shared with a helper process, pipeline/paragraph_split.py,
which on a quiet machine starts by itself); the section gives the ratio of the two and whether
the two reports are identical (sha256 of the JSON record). `--no-baseline` skips the first.

Then the real command, end to end (issue 16 judges the target on it): `daihoi analyze FILE.docx
--json` (the console script of this virtualenv, output to a file), once in one process and once
in two, wall time from start to exit (reading, every stage, the record, the JSON written, the
interpreter's exit), the CPU time of the command and its helper (`os.wait4`), their peak RSS,
and the sha256 of the JSON line with any timing field removed (the one- and two-process lines
must be identical). Each row is bracketed by `cpu_loop.loop_rate` (the fixed CPU loop, run by
as many processes at once as the row uses): wall × the loop's rate, in millions of loop
iterations, compares rows measured at different speeds of a shared host. `--docx-runs cli`
measures only the command (`analysis` only the in-process rows).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from cpu_loop import around, loop_rate  # noqa: E402

from results import ROOT, write_section  # noqa: E402

MB = 1024 * 1024
CHILD = """
import json, resource, sys, time

def loop():
    # A fixed pure-Python loop, timed before and after: the machine's speed in this run
    # (CPU seconds: on a shared machine the wall time also counts the others' processes).
    t = time.process_time()
    s = 0
    for i in range(10_000_000):
        s += i * i % 7
    return time.process_time() - t

before = loop()
from pipeline.analysis import analyze_document
from pipeline.ingest import load
start = time.perf_counter()
cpu = time.process_time()
document = load(sys.argv[1])
loaded = time.perf_counter() - start
report = analyze_document(document)
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
vm_peak = [int(line.split()[1]) / 1024 for line in open("/proc/self/status")
           if line.startswith("VmPeak:")]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# The helper process of pipeline.paragraph_split, if one ran (reaped: counted here), and
# the memory it did not share with this process when it answered.
helper = resource.getrusage(resource.RUSAGE_CHILDREN)
from pipeline.paragraph_split import LAST_HELPER
# What the report says, to compare runs (after the measurements: the JSON costs memory).
import hashlib
from pipeline.contract import report_record
digest = hashlib.sha256(json.dumps(report_record(report), sort_keys=True, ensure_ascii=False,
                                   default=str).encode()).hexdigest()[:16]
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "load_s": loaded,
                  "loop_s": (before + loop()) / 2,
                  "peak_mb": peak, "vm_peak_mb": vm_peak[0] if vm_peak else None,
                  "helper_cpu_s": helper.ru_utime + helper.ru_stime,
                  "helper_peak_mb": helper.ru_maxrss / 1024,
                  "helper_private_mb": LAST_HELPER.get("private_mb"),
                  "helper_chunks": [LAST_HELPER.get("chunks"), LAST_HELPER.get("of")],
                  "helper_scanned": LAST_HELPER.get("scanned_here"),
                  "digest": digest,
                  "chars": len(report.document.text), "findings": len(report.findings),
                  "indicators": len(report.indicators)}))
"""


def paragraphs_until(n_bytes: int) -> list[str]:
    from make_large import text_documents

    out: list[str] = []
    size = 0
    for _, paras in text_documents(10**9, pages=20):
        for p in paras:
            out.append(p)
            size += len(p.encode("utf-8")) + 2
        if size >= n_bytes:
            return out
    return out


def measure(path: Path, limit_s: float, split: str | None = None) -> dict:
    """Analyse `path` in a fresh process; `split`: DAIHOI_SPLIT_JOBS for it ("1": one process,
    "2": the paragraphs shared with a helper process whatever the load; None: as the machine
    decides)."""
    env = dict(os.environ)
    env.pop("DAIHOI_SPLIT_JOBS", None)
    if split is not None:
        env["DAIHOI_SPLIT_JOBS"] = split
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                              text=True, timeout=limit_s, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"failed": f"> {limit_s:.0f} s", "wall": time.perf_counter() - start}
    if proc.returncode != 0:
        return {"failed": (proc.stderr.strip().splitlines() or ["?"])[-1][:100]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


TIMING_KEYS = frozenset({"seconds", "elapsed", "elapsed_s", "timings", "duration"})


def _without_timings(value: object) -> object:
    """The record with every field that holds a time removed (none today: kept so a timing
    field added later does not make two identical reports look different)."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _command() -> list[str]:
    """`daihoi` of this virtualenv (what a user runs), else the same entry point by module."""
    script = Path(sys.executable).with_name("daihoi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]


def measure_cli(path: Path, limit_s: float, split: str) -> dict:
    """`daihoi analyze path --json` end to end in a fresh process, `DAIHOI_SPLIT_JOBS=split`
    ("1": one process, "2": two), bracketed by the CPU loop run by as many processes."""
    env = dict(os.environ, DAIHOI_SPLIT_JOBS=split)
    copies = int(split)
    before = loop_rate(copies)
    out_path = path.with_suffix(f".{split}.jsonl")
    start = time.perf_counter()
    with open(out_path, "wb") as out:
        proc = subprocess.Popen([*_command(), "analyze", str(path), "--json"], stdout=out,
                                stderr=subprocess.PIPE, cwd=ROOT, env=env)
        try:
            _pid, status, usage, own_cpu = _wait4(proc, limit_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return {"failed": f"> {limit_s:.0f} s"}
    wall = time.perf_counter() - start
    loop = around(before, loop_rate(copies))
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if status != 0:
        return {"failed": (stderr.strip().splitlines() or [f"exit {status}"])[-1][:100]}
    record = json.loads(out_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(json.dumps(_without_timings(record), sort_keys=True,
                                       ensure_ascii=False).encode()).hexdigest()[:16]
    out_path.unlink()
    return {"wall": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "main_cpu_s": own_cpu,
            "peak_mb": usage.ru_maxrss / 1024, "loop": loop, "digest": digest,
            "indicators": len(record["indicators"]), "findings": len(record["findings"])}


def _wait4(proc: subprocess.Popen, limit_s: float) -> tuple[int, int, Any, float | None]:
    """`os.wait4` of `proc` within `limit_s`: its exit status and resource usage (its own
    and that of the processes it reaped: the helper), and its own CPU seconds without the
    helper's (/proc/PID/stat, read every 20 ms: the last reading before it exited)."""
    deadline = time.perf_counter() + limit_s
    own: float | None = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return pid, proc.returncode, usage, own
        own = _own_cpu(proc.pid) or own
        if time.perf_counter() > deadline:
            raise subprocess.TimeoutExpired(proc.args, limit_s)
        time.sleep(0.02)


def _own_cpu(pid: int) -> float | None:
    """utime + stime of `pid` itself (not of its children), or None when unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,50", help="MB of plain text")
    ap.add_argument("--docx-mb", type=float, default=5.0)
    ap.add_argument("--limit-s", type=float, default=600.0)
    ap.add_argument("--no-baseline", dest="baseline", action="store_false",
                    help="DOCX: skip the one-process run (measured first, same file)")
    ap.add_argument("--docx-runs", default="analysis,cli",
                    help="DOCX: 'analysis' (analyze() in a process), 'cli' (daihoi analyze "
                         "--json end to end), or both")
    ap.add_argument("--rows-log", default=None,
                    help="write the section from the rows this benchmark printed earlier")
    args = ap.parse_args()
    if args.rows_log:
        import ast

        rows = [ast.literal_eval(line) for line in Path(args.rows_log).read_text()
                .splitlines() if line.startswith("(")]
        write(rows, rows[0][2], [])
        return 0
    work = Path(tempfile.mkdtemp(prefix="daihoi_memory_"))
    rows = []
    cli: list[tuple[str, dict]] = []
    base_path = work / "one_report.txt"
    base_path.write_text("\n\n".join(paragraphs_until(3000)), encoding="utf-8")
    base = measure(base_path, args.limit_s)
    rows.append(("baseline: one 20-page TXT", base_path.stat().st_size, base))
    print(rows[-1], flush=True)
    for mb in (float(x) for x in args.sizes.split(",") if x):
        path = work / f"text_{mb:g}MB.txt"
        path.write_text("\n\n".join(paragraphs_until(int(mb * MB))), encoding="utf-8")
        rows.append((f"TXT {mb:g} MB", path.stat().st_size, measure(path, args.limit_s)))
        print(rows[-1], flush=True)
    if args.docx_mb:
        path = work / "ordinary.docx"
        paras = paragraphs_until(int(args.docx_mb * MB * 3.2))  # DOCX zips ~3x
        write_docx(path, paras)
        name = f"DOCX {path.stat().st_size / MB:.1f} MB"
        # The same file read by one process (the baseline), then by two (pipeline.
        # paragraph_split, forced: on a quiet machine it starts by itself), in this run.
        runs = {r.strip() for r in args.docx_runs.split(",")}
        for split, how in (("1", "one process"), ("2", "two processes")):
            if split == "1" and not args.baseline:
                continue
            if "analysis" in runs:
                rows.append((f"{name}, {how}", path.stat().st_size,
                             measure(path, args.limit_s, split)))
                print(rows[-1], flush=True)
        for split, how in (("1", "one process"), ("2", "two processes")):
            if "cli" in runs and (split == "2" or args.baseline):
                cli.append((how, measure_cli(path, args.limit_s, split)))
                print(cli[-1], flush=True)

    write(rows, base, cli)
    return 0


def write_docx(path: Path, paras: list[str]) -> None:
    """An ordinary report as DOCX (python-docx): justified paragraphs with a first-line indent,
    a bold heading every 40 paragraphs. Each paragraph is a copy of one python-docx made,
    inserted before the section properties directly: python-docx's add_paragraph looks for
    them among all the body's children each time, quadratic over 80,000 paragraphs."""
    import copy

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    model = doc.add_paragraph("x")
    model.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    model.paragraph_format.first_line_indent = Pt(28)
    heading = doc.add_paragraph()
    heading.add_run("x").bold = True
    body = doc.element.body
    end = body[-1]  # w:sectPr
    for k, text in enumerate(paras):
        for source, words in ((heading, f"{k // 40 + 1}. Kết quả thực hiện phần {k // 40 + 1}"),
                              (model, text)):
            if source is heading and k % 40:
                continue
            p = copy.deepcopy(source._p)
            p.findall(".//{*}t")[0].text = words
            end.addprevious(p)
    body.remove(model._p)
    body.remove(heading._p)
    doc.save(str(path))


def write(rows: list, base: dict, cli: list[tuple[str, dict]]) -> None:
    docx_only = not any(name.startswith("TXT") for name, _s, _r in rows)
    lines = ["## Time and memory of an ordinary DOCX" if docx_only
             else "## Memory and time against document size", "",
             "One document per fresh process (`analyze`), real text (see the benchmark's "
             "docstring). Peak RSS = the process's own maximum resident set; peak address "
             "space = its VmPeak, what the engine's per-process cap (RLIMIT_AS) counts and "
             "what the `--max-size` default is derived from (MB per MB of file).", "",
             "Speed is noisy on a shared machine: `CPU s` is the analysis's own CPU time, "
             "`loop` the CPU time of a fixed pure-Python loop (10 M iterations) in the same "
             "process (mean of before and after), and `÷ loop` the analysis's CPU time in units "
             "of it: compare runs by `÷ loop`; quiet-machine seconds ≈ `÷ loop` × the loop's "
             "time on a quiet machine (~0.45–0.5 s here).", "",
             "The DOCX is read twice in the run, by one process and by two (the paragraphs "
             "shared with a helper process, `pipeline/paragraph_split.py`; forced here, on a "
             "quiet machine it starts by itself): `CPU s` is then the main process's, "
             "`helper` the helper's CPU time and peak RSS (its pages shared with the main "
             "process counted in both; in brackets the memory it did not share, from "
             "/proc/self/smaps_rollup when it answered). With two cores free the wall time "
             "follows the main "
             "process's CPU time; on a loaded machine it does not (the two processes wait "
             "for the same cores).", "",
             "| input | file | text | seconds | CPU s | of which load() | loop | ÷ loop | "
             "helper CPU s / peak RSS | peak RSS | "
             "RSS − baseline per M chars | peak address space | "
             "address space − baseline per MB of file |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    base_peak = base.get("peak_mb", 0.0)
    base_vm = base.get("vm_peak_mb") or 0.0
    for name, size, r in rows:
        if "failed" in r:
            lines.append(f"| {name} | {size / MB:.1f} MB | – | {r['failed']} | – | – | – | – | "
                         "– | – | – | – | – |")
            continue
        vm = r.get("vm_peak_mb")
        vm_cell = f"{vm:.0f} MB" if vm else "–"
        loop = r.get("loop_s")
        speed = (f"{r['cpu_s']:.1f} | {r['load_s']:.1f} | {loop:.2f} s | "
                 f"{r['cpu_s'] / loop:.1f}" if loop and "cpu_s" in r else "– | – | – | –")
        helper = (f"{r['helper_cpu_s']:.1f} s / {r['helper_peak_mb']:.0f} MB "
                  f"({r['helper_private_mb'] or 0:.0f} MB its own)"
                  if r.get("helper_cpu_s") else "–")
        speed += f" | {helper}"
        if r["chars"] <= 1e5:
            lines.append(f"| {name} | {size / MB:.3f} MB | {r['chars']:,} chars | "
                         f"{r['seconds']:.2f} | {speed} | {r['peak_mb']:.0f} MB | – | "
                         f"{vm_cell} | – |")
            continue
        per_mchar = (r["peak_mb"] - base_peak) / (r["chars"] / 1e6)
        per_file_mb = f"{(vm - base_vm) / (size / MB):.1f} MB" if vm and base_vm else "–"
        lines.append(f"| {name} | {size / MB:.1f} MB | {r['chars'] / 1e6:.1f} M chars | "
                     f"{r['seconds']:.1f} | {speed} | {r['peak_mb']:.0f} MB | "
                     f"{per_mchar:.0f} MB | {vm_cell} | {per_file_mb} |")
    lines += ["", "Targets (issue 16): 5 MB ordinary DOCX < 60 s and < 1 GB; 50 MB of text "
              "< 1.5 GB."]
    one = next((r for name, _s, r in rows if name.endswith("one process") and "cpu_s" in r),
               None)
    two = next((r for name, _s, r in rows if name.endswith("two processes") and "cpu_s" in r),
               None)
    if one and two:
        lines += ["", "DOCX, two processes ÷ one, same run: wall "
                  f"{two['seconds'] / one['seconds']:.3f}, "
                  f"main process CPU {two['cpu_s'] / one['cpu_s']:.3f}, both processes' CPU "
                  f"{(two['cpu_s'] + two['helper_cpu_s']) / one['cpu_s']:.3f}; reports "
                  + ("**identical**" if one["digest"] == two["digest"] else "**DIFFERENT**")
                  + f" (sha256 of the JSON record {two['digest']}; the helper read "
                  f"{two['helper_chunks'][0]} of {two['helper_chunks'][1]} chunks"
                  + ("" if two.get("helper_scanned") is None else
                     ", and scanned the excluded spans while it waited" if two["helper_scanned"]
                     else ", the main process scanned the excluded spans")
                  + "; "
                  f"{two['indicators']:,} indicators, {two['findings']:,} findings)."]
    lines += cli_lines(cli)
    cmd = "python benchmarks/bench_memory.py " + shlex.join(sys.argv[1:])  # keeps '""'
    # A run of the DOCX alone (`--sizes ""`) has a section of its own: it does not replace
    # the text sizes' rows (50 MB takes an hour on a loaded machine).
    section = "memory_docx" if docx_only else "memory"
    print(write_section(section, "\n".join(lines), cmd.strip()))


def cli_lines(cli: list[tuple[str, dict]]) -> list[str]:
    """The end-to-end rows: `daihoi analyze FILE.docx --json`."""
    if not cli:
        return []
    lines = ["", "### End to end: `daihoi analyze FILE.docx --json`", "",
             "The real command in a fresh process, output to a file: wall time from start to "
             "exit; CPU = the command's and its helper's (`os.wait4`); peak RSS = the larger "
             "of the two processes'. `loop` = the rate of the fixed CPU loop "
             "(benchmarks/cpu_loop.py, millions of iterations per wall second, run by as many "
             "processes at once as the row uses), before and after the row; `wall × loop` = "
             "the row's wall time in millions of loop iterations: rows measured while the host "
             "ran at different speeds compare by it.", "",
             "`CPU s` = the command's own / its helper's (its own from /proc/PID/stat, read "
             "every 20 ms until it exits): with both cores free the wall time follows the "
             "command's own CPU time, which the others' processes cannot inflate.", "",
             "| processes | wall s | CPU s | peak RSS | loop (M it/s) | wall × loop | "
             "indicators | sha256 (no timings) |", "|---|---|---|---|---|---|---|---|"]
    for how, r in cli:
        if "failed" in r:
            lines.append(f"| {how} | {r['failed']} | – | – | – | – | – | – |")
            continue
        loop = r["loop"]
        own = r.get("main_cpu_s")
        cpu = (f"{own:.1f} / {r['cpu_s'] - own:.1f}" if own is not None and how != "one process"
               else f"{r['cpu_s']:.1f}")
        lines.append(f"| {how} | {r['wall']:.1f} | {cpu} | {r['peak_mb']:.0f} MB | "
                     f"{loop['before']:.1f} / {loop['after']:.1f} | "
                     f"{r['wall'] * loop['rate']:.0f} | {r['indicators']:,} | {r['digest']} |")
    done = dict(cli)
    one, two = done.get("one process", {}), done.get("two processes", {})
    if "wall" in two:
        lines += ["", f"Target (issue 16): < 60 s for the command: two processes "
                  f"{two['wall']:.1f} s — " + ("**met**" if two["wall"] < 60 else "**not met**")
                  + " on this run."]
    if "wall" in one and "wall" in two:
        lines += ["", "Two processes ÷ one, same run: wall "
                  f"{two['wall'] / one['wall']:.3f}, wall × loop "
                  f"{two['wall'] * two['loop']['rate'] / (one['wall'] * one['loop']['rate']):.3f}, "
                  + (f"the command's own CPU {two['main_cpu_s'] / one['cpu_s']:.3f}; "
                     if two.get("main_cpu_s") else "")
                  + "JSON lines "
                  + ("**identical**" if one["digest"] == two["digest"] else "**DIFFERENT**")
                  + "."]
    return lines


if __name__ == "__main__":
    sys.exit(main())
