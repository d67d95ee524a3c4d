"""Memory per document (issue 16): the `--max-size` default follows the memory one analysis
process may use, a document past the process's memory cap is that file's `out_of_memory`
error while the batch goes on, and the duplicated-passage check holds numbers, not a Python
object per word."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from argparse import Namespace
from pathlib import Path

import pytest

from pipeline.audit.duplicates import duplicate_passages
from pipeline.ingest.limits import (
    MAX_SIZE_CEILING_MB,
    MAX_SIZE_FLOOR_MB,
    MB,
    MEMORY_MB_PER_FILE_MB,
    PROCESS_BASE_MB,
    Limits,
    default_max_size_mb,
    worker_memory_mb,
)

ROOT = Path(__file__).resolve().parents[1]


def _paragraphs(n: int) -> list[str]:
    """Report-like paragraphs (written here), varied so that they do not all repeat."""
    return [
        f"Chi bộ thôn {i % 97} đã kết nạp {i % 7 + 1} đảng viên mới trong năm {2020 + i % 6}, "
        f"đạt {80 + i % 40}% kế hoạch; tổ chức {i % 11 + 2} buổi sinh hoạt chuyên đề về "
        f"học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (mục {i})."
        for i in range(n)
    ]


def test_max_size_default_follows_the_memory_of_one_analysis_process(monkeypatch) -> None:
    monkeypatch.delenv("DAIHOI_MAX_SIZE_MB", raising=False)
    monkeypatch.setenv("DAIHOI_WORKER_MEMORY_MB", "2048")
    assert worker_memory_mb() == 2048
    expected = (2048 - PROCESS_BASE_MB) // MEMORY_MB_PER_FILE_MB
    assert MAX_SIZE_FLOOR_MB < expected < MAX_SIZE_CEILING_MB
    assert default_max_size_mb() == expected
    assert Limits().max_file_bytes == expected * MB
    assert Limits.from_args(Namespace(max_size=None, ocr="auto")).max_file_bytes == expected * MB
    assert Limits.from_args(Namespace(max_size=3, ocr="auto")).max_file_bytes == 3 * MB
    # Less memory never refuses a small document (the cap decides); more memory stops at the
    # ceiling; no cap at all (0) is the ceiling too.
    assert default_max_size_mb(PROCESS_BASE_MB) == MAX_SIZE_FLOOR_MB
    assert default_max_size_mb(10**6) == MAX_SIZE_CEILING_MB
    assert default_max_size_mb(0) == MAX_SIZE_CEILING_MB
    monkeypatch.delenv("DAIHOI_WORKER_MEMORY_MB")
    assert default_max_size_mb() == default_max_size_mb(worker_memory_mb())


def test_cli_refuses_a_file_over_the_derived_default_and_says_so(tmp_path: Path) -> None:
    """With 1.3 GB per analysis process the default is the floor (5 MB): a 6 MB file is
    refused with `too_large` before it is read, the help shows the derived default."""
    big = tmp_path / "bao_cao_lon.txt"
    big.write_text("\n\n".join(_paragraphs(24_000)), encoding="utf-8")
    assert big.stat().st_size > MAX_SIZE_FLOOR_MB * MB
    env = {"DAIHOI_WORKER_MEMORY_MB": str(PROCESS_BASE_MB + 100), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "analyze", str(big), "--json",
                           "--lang", "en"], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 1, done.stderr[-800:]
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][0]
    assert '"too_large"' in line and "limit 5.0 MB" in line
    shown = subprocess.run([sys.executable, "-m", "pipeline.cli", "analyze", "--help", "--lang",
                            "en"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert "default 5 MB" in " ".join(shown.stdout.split())


def _address_space_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_document_past_the_memory_cap_is_its_own_error_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch
) -> None:
    from pipeline.batch import analyze_files
    from pipeline.engine.sandbox import Sandbox

    small = tmp_path / "a_small.txt"
    small.write_text("BÁO CÁO CHÍNH TRỊ\n\n" + "\n\n".join(_paragraphs(40)), encoding="utf-8")
    big = tmp_path / "b_big.txt"  # ~40 MB of text: reading it alone needs ~100 MB more
    with big.open("w", encoding="utf-8") as fh:
        block = "\n\n".join(_paragraphs(4000))
        for _ in range(40):
            fh.write(block + "\n\n")
    # The cap: what a warmed analysis process maps here, plus a margin a small report fits in.
    probe = Sandbox("probe", memory_mb=0)
    probe.start()
    try:
        assert probe.pid is not None
        base = _address_space_mb(probe.pid)
    finally:
        probe.close()
    cap = base + 120
    monkeypatch.setenv("DAIHOI_WORKER_MEMORY_MB", str(cap))
    limits = Limits(max_file_bytes=500 * MB)  # the size check lets it through: the cap decides
    results = list(analyze_files([big, small, big], limits, "en", jobs=1,
                                 engine="process", ordered=True, timeout=300))
    assert [r.source for r in results] == [str(big), str(small), str(big)]
    for r in results[0], results[2]:
        assert r.report is None and r.error is not None and r.error.code == "out_of_memory"
        assert f"({cap} MB)" in r.error.message("en")
    small_result = results[1]  # analysed after the failure, by a fresh process
    assert small_result.error is None and small_result.report is not None
    assert "kết nạp 1 đảng viên mới" in small_result.report.document.text


def _random_paragraphs(n: int) -> list[str]:
    """Sentences of words drawn at random: no two alike (bigram Jaccard near 0)."""
    import random

    words = ("đảng viên chi bộ thôn xã huyện tỉnh nghị quyết kế hoạch chỉ tiêu kết nạp "
             "sinh hoạt chuyên đề kinh tế văn hóa xã hội quốc phòng an ninh nông thôn mới "
             "thu nhập bình quân hộ nghèo đường giao thông trường học trạm y tế lãnh đạo "
             "chỉ đạo tổ chức thực hiện kiểm tra giám sát đoàn thể mặt trận thanh niên").split()
    rng = random.Random(16)
    return [" ".join(rng.choice(words) for _ in range(18)).capitalize() + "." for _ in range(n)]


def test_duplicated_passages_hold_no_python_object_per_word() -> None:
    """Templated lines (the worst case for candidate pairs: every line nearly repeats the
    others): the check holds about 10 bytes per character of text while it works (about 50
    with a tuple of word strings per sentence and a table of every candidate pair)."""
    text = "\n\n".join(_paragraphs(1000))
    duplicate_passages(text[:5000])  # message templates and regular expressions loaded
    tracemalloc.start()
    try:
        findings = duplicate_passages(text)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # What the check holds while it works, beyond the findings it returns.
    assert peak - kept < 15 * len(text), (peak - kept) / len(text)
    assert findings and all(not f.details["exact"] for f in findings)


def test_duplicated_passages_still_find_a_pasted_block() -> None:
    paras = _random_paragraphs(3000)
    pasted = paras[100:104]
    text = "\n\n".join(paras + pasted)
    findings = duplicate_passages(text)
    assert len(findings) == 1
    f = findings[0]
    assert f.details["sentences"] == 4 and f.details["exact"]
    assert text[f.start:f.end] == "\n\n".join(pasted)
    assert text[f.details["first_start"]:f.details["first_end"]] == "\n\n".join(pasted)


def test_bench_memory_times_the_real_command(tmp_path: Path) -> None:
    """bench_memory's end-to-end row runs `daihoi analyze FILE --json` itself: its wall time,
    its own CPU time, the JSON line's digest without timing fields (equal to the record the
    command prints), a loop rate around it."""
    import hashlib
    import json

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_memory

    path = tmp_path / "report.docx"
    bench_memory.write_docx(path, _paragraphs(60))
    row = bench_memory.measure_cli(path, 120.0, "1")
    assert "failed" not in row, row
    assert row["wall"] > 0 and 0 < row["main_cpu_s"] <= row["cpu_s"] + 0.05
    assert row["loop"]["rate"] > 0 and row["indicators"] > 60
    printed = subprocess.run([*bench_memory._command(), "analyze", str(path), "--json"],
                             capture_output=True, text=True, cwd=ROOT, check=True).stdout
    record = json.loads(printed)
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False)
                            .encode()).hexdigest()[:16]
    assert row["digest"] == digest
    assert bench_memory._without_timings({"a": [{"seconds": 1, "b": 2}], "elapsed": 3}) \
        == {"a": [{"b": 2}]}
    lines = bench_memory.cli_lines([("one process", row), ("two processes", row)])
    assert any("**identical**" in line for line in lines)
