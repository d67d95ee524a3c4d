"""Metadata sidecars are checked field by field: a bad field is a warning on that file, the good
fields still apply, and nothing in a sidecar can raise in the caller or blow up memory."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline.analysis import analyze
from pipeline.extract.sidecar import MAX_BYTES, load_sidecar, validate_fields

TEXT = "BÁO CÁO CHÍNH TRỊ CỦA CHI BỘ 5\nNăm 2024, chi bộ kết nạp 3 đảng viên mới.\n"


def _doc(tmp_path: Path, sidecar: str, name: str = "r.txt") -> Path:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    (tmp_path / f"{name}.meta.yaml").write_text(sidecar, encoding="utf-8")
    return path


def test_a_list_where_a_name_is_expected_is_one_warning_and_the_rest_applies(
        tmp_path: Path) -> None:
    path = _doc(tmp_path, "unit: [Chi bộ A, Chi bộ B]\nprovince: An Giang\nterm: 2025 - 2030\n")
    report = analyze(path)
    assert report.meta.unit != ["Chi bộ A", "Chi bộ B"]
    assert isinstance(report.meta.unit, (str, type(None)))
    assert (report.meta.province, report.meta.term) == ("An Giang", "2025-2030")
    warned = [w for w in report.document.warnings if "'unit'" in w]
    assert len(warned) == 1 and "r.txt.meta.yaml" in warned[0]


def test_each_field_is_checked_for_type_and_allowed_values() -> None:
    good, problems = validate_fields({
        "unit": "Đảng bộ xã Phú Lâm", "unit_level": "chi_bo_lon", "province": "Atlantis",
        "term": "2030-2025", "year": "two thousand", "date": "2025-02-30", "draft": "maybe",
        "doc_type": "news", "parent": {"a": 1}, "colour": "red", "reviewed_term": None,
    })
    assert good == {"unit": "Đảng bộ xã Phú Lâm", "doc_type": "news"}
    bad = " ".join(problems)
    for name in ("unit_level", "province", "term", "year", "date", "draft", "parent", "colour"):
        assert repr(name) in bad, name
    assert len(problems) == 8


def test_values_are_normalised() -> None:
    good, problems = validate_fields({"province": "tỉnh Kiên Giang", "date": "12/06/2025",
                                      "draft": "Dự thảo", "unit_level": "chi_bo"})
    assert problems == []
    assert good == {"province": "Kiên Giang", "date": "2025-06-12", "year": 2025,
                    "draft": True, "unit_level": "chi_bo"}


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    lines.append("unit: *j")
    path = _doc(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    fields, warnings = load_sidecar(path)
    assert time.perf_counter() - started < 2
    assert fields == {}
    assert len(warnings) == 1 and "aliases" in warnings[0]
    report = analyze(path)  # the document itself is still analysed
    assert report.indicators and any("aliases" in w for w in report.document.warnings)


def test_an_oversized_or_broken_sidecar_is_a_warning(tmp_path: Path) -> None:
    path = _doc(tmp_path, "unit: '" + "x" * (MAX_BYTES + 10) + "'\n")
    assert load_sidecar(path)[0] == {} and "bytes" in load_sidecar(path)[1][0]
    path = _doc(tmp_path, "unit: [unclosed\n", name="b.txt")
    fields, warnings = load_sidecar(path)
    assert fields == {} and "not valid YAML" in warnings[0]
    path = _doc(tmp_path, "- just\n- a list\n", name="c.txt")
    assert "mapping" in load_sidecar(path)[1][0]


def test_a_run_with_a_bad_sidecar_stores_every_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _doc(folder, "unit: [Chi bộ A, Chi bộ B]\nyear: [1, 2]\n", name="a.txt")
    (folder / "b.txt").write_text(TEXT.replace("CHI BỘ 5", "CHI BỘ 7").replace("3 đảng", "4 đảng"),
                                  encoding="utf-8")  # another document: the store keys by content
    db = tmp_path / "s.db"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(folder), "--db",
                           str(db), "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    con = sqlite3.connect(db)
    units = con.execute("SELECT unit FROM documents ORDER BY source").fetchall()
    con.close()
    assert len(units) == 2 and all(u is None or isinstance(u, str) for (u,) in units)
