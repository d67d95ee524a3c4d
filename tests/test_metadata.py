"""Metadata of the real corpus, title blocks of other unit types, sidecars and CLI options
(pipeline.extract.metadata)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from pipeline.analysis import analyze, analyze_document
from pipeline.cli.common import add_metadata_options, overrides_from_args
from pipeline.extract.metadata import (
    apply_overrides,
    extract_metadata,
    read_sidecar,
)
from pipeline.extract.unit_names import level_of, province_of
from pipeline.ingest import load
from pipeline.model import Block, Document, Meta
from tests.conftest import corpus_file

EXPECTED = {
    "000_4435fb2a97849b7c": dict(
        unit="Đảng bộ bộ phận Trung tâm Đo Lường Chất lượng Viễn thông",
        unit_level="dang_bo_bo_phan", parent="Đảng ủy Cục Viễn thông", province=None,
        term="2025-2030", reviewed_term="2020-2025", year=2025, date=None,
        doc_type="political_report", draft=True),
    "002_38c4a49bff4fa329": dict(
        unit="Đảng bộ Bộ Thông tin và Truyền thông", unit_level="dang_bo_cap_tren_co_so",
        parent="Đảng ủy khối các cơ quan trung ương", term=None, year=2013, date="2013-01-23",
        doc_type="news", draft=False),
    "003_40d47c00f05e2e60": dict(
        unit="Đảng bộ Trung tâm NOC", unit_level="dang_bo_co_so",
        parent="Đảng ủy Tổng công ty Viễn thông MobiFone", term="2020-2025",
        reviewed_term="2015-2020", year=2020, date="2020-05-28", draft=False),
    "004_73f20699863736da": dict(
        unit="Chi bộ 1", unit_level="chi_bo", parent="Đảng bộ Sở Thông tin và Truyền thông",
        province="An Giang", term="2025-2027", reviewed_term="2023-2025", year=2025,
        draft=False),
}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_corpus_metadata(kind: str, stem: str) -> None:
    doc = load(corpus_file(kind, stem))
    doc_type = EXPECTED[stem].get("doc_type")
    meta = extract_metadata(doc, doc_type)  # type: ignore[arg-type]
    for name, value in EXPECTED[stem].items():
        assert getattr(meta, name) == value, name


def _doc(*lines: str, headers: tuple[str, ...] = ()) -> Document:
    return Document(source="x.txt", format="txt", sha256="",
                    blocks=[Block(text=t) for t in lines], page_headers=list(headers))


def test_title_block_of_a_commune() -> None:
    meta = extract_metadata(_doc(
        "ĐẢNG BỘ HUYỆN PHÚ TÂN", "ĐẢNG BỘ XÃ PHÚ LÂM", "*", "ĐẢNG CỘNG SẢN VIỆT NAM",
        "An Giang, ngày 15 tháng 3 năm 2025", "BÁO CÁO CHÍNH TRỊ",
        "CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ KHÓA XIV TRÌNH ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XV, "
        "NHIỆM KỲ 2025 - 2030",
        "Phần thứ nhất", "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2020 - 2025"))
    assert (meta.unit, meta.unit_level, meta.parent) == (
        "Đảng bộ xã Phú Lâm", "dang_bo_co_so", "Đảng bộ huyện Phú Tân")
    assert (meta.province, meta.date, meta.year) == ("An Giang", "2025-03-15", 2025)
    assert (meta.term, meta.reviewed_term, meta.draft) == ("2025-2030", "2020-2025", False)


def test_province_title_and_draft() -> None:
    meta = extract_metadata(_doc("ĐẢNG BỘ TỈNH AN GIANG", "DỰ THẢO",
                                 "BÁO CÁO CHÍNH TRỊ NHIỆM KỲ 2025 - 2030"))
    assert (meta.unit, meta.unit_level, meta.province, meta.draft) == (
        "Đảng bộ tỉnh An Giang", "cap_tinh", "An Giang", True)
    assert extract_metadata(_doc("Báo cáo", headers=("DỰ THẢO",))).draft is True


def test_committee_names_the_unit() -> None:
    meta = extract_metadata(_doc("HUYỆN ỦY THOẠI SƠN", "BÁO CÁO CHÍNH TRỊ"))
    assert (meta.unit, meta.unit_level, meta.parent) == (
        "Đảng bộ huyện Thoại Sơn", "dang_bo_cap_tren_co_so", None)


@pytest.mark.parametrize(("name", "level"), [
    ("Chi bộ 1", "chi_bo"), ("Đảng bộ bộ phận Trung tâm X", "dang_bo_bo_phan"),
    ("Đảng bộ bộ phạn Trung tâm X", "dang_bo_bo_phan"),  # the seed's typo
    ("Đảng bộ xã Phú Lâm", "dang_bo_co_so"), ("Đảng bộ Công ty CP Điện", "dang_bo_co_so"),
    ("Đảng bộ huyện Tiền Hải", "dang_bo_cap_tren_co_so"),
    ("Đảng bộ Tổng công ty Viễn thông MobiFone", "dang_bo_cap_tren_co_so"),
    ("ĐẢNG BỘ TỈNH AN GIANG", "cap_tinh"), ("Thành ủy Hà Nội", "cap_tinh"),
    ("Đảng ủy Khối Doanh nghiệp Trung ương", "dang_uy_khoi"), ("Đảng bộ Trung tâm NOC", "dang_bo"),
])
def test_levels(name: str, level: str) -> None:
    assert level_of(name) == level


@pytest.mark.parametrize(("text", "province"), [
    ("An Giang", "An Giang"), ("Kiên Giang", "Kiên Giang"), ("tỉnh Bình Dương", "Bình Dương"),
    ("TP. HCM", "Hồ Chí Minh"), ("Thừa Thiên Huế", "Thừa Thiên Huế"), ("Huế", "Huế"),
    ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Phú Lâm", None),
])
def test_provinces_of_both_eras(text: str, province: str | None) -> None:
    assert province_of(text) == province


def test_sidecar_and_options_override_the_text(tmp_path: Path) -> None:
    src = corpus_file("docx", "004_73f20699863736da")
    copy = tmp_path / "chi_bo_1.docx"
    copy.write_bytes(src.read_bytes())
    (tmp_path / "chi_bo_1.docx.meta.yaml").write_text(
        "unit: Chi bộ 1 Sở Thông tin và Truyền thông\nprovince: An Giang\nterm: 2025 – 2027\n"
        "date: 20/03/2025\n", encoding="utf-8")
    assert read_sidecar(copy)["province"] == "An Giang"
    report = analyze(copy)
    assert report.meta.unit == "Chi bộ 1 Sở Thông tin và Truyền thông"
    assert (report.meta.term, report.meta.date, report.meta.year) == ("2025-2027", "2025-03-20",
                                                                     2025)
    report = analyze(copy, overrides={"unit": "Chi bộ Văn phòng", "draft": True})
    assert (report.meta.unit, report.meta.draft) == ("Chi bộ Văn phòng", True)


def test_json_sidecar_by_stem_and_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Chi bộ 5 báo cáo.\n", encoding="utf-8")
    (tmp_path / "r.meta.json").write_text(json.dumps({"parent": "Đảng bộ Sở Y tế"}),
                                          encoding="utf-8")
    assert analyze(path).meta.parent == "Đảng bộ Sở Y tế"
    (tmp_path / "r.meta.json").write_text("{not json", encoding="utf-8")
    report = analyze_document(load(path))  # a bad sidecar is a warning, not a failure
    assert any("sidecar" in w for w in report.document.warnings)


def test_overrides_from_cli_options() -> None:
    parser = argparse.ArgumentParser()
    add_metadata_options(parser)
    args = parser.parse_args(["--unit", "Chi bộ 2", "--term", "2025-2030", "--date",
                              "2025-04-01", "--final"])
    given = overrides_from_args(args)
    assert given == {"unit": "Chi bộ 2", "term": "2025-2030", "draft": False,
                     "date": "2025-04-01"}
    meta = Meta()
    assert apply_overrides(meta, {**given, "colour": "red"}) == ["colour"]
    assert (meta.unit, meta.year, meta.draft) == ("Chi bộ 2", 2025, False)
    with pytest.raises(ValueError):
        apply_overrides(Meta(), {"date": "tomorrow"})
