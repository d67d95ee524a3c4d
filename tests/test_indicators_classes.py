"""The error classes found on the blind samples of real text (issue 11, samples A-D), each in
a sentence written for this test in the shape the real text had: kinds decided by what the
title and the sentence say, measures from ambiguous or bracketed words, numbers that belong to a
name, a section or a category."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.analysis import analyze_document
from pipeline.extract.indicators import Context, extract_indicators
from pipeline.ingest import load


def found(text: str, ctx: Context | None = None) -> list[tuple[str, float, str, str]]:
    return [(i.surface, i.value, i.unit, i.kind)
            for i in extract_indicators(text, ctx or Context())]


def kinds_of(tmp_path: Path, title: str, body: str) -> list[str]:
    path = tmp_path / "doc.txt"
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")
    return [i.kind for i in analyze_document(load(path)).indicators]


def test_a_title_setting_a_norm_is_no_plan(tmp_path: Path) -> None:
    norm = ("Nghị quyết phê duyệt đề án quy định chế độ phụ cấp cho tổ bảo vệ dân phố",
            "Tổ trưởng: 150.000 đồng/tháng.")
    assert kinds_of(tmp_path, *norm) == ["actual"]
    plan = ("Nghị quyết về việc giao chỉ tiêu vốn đầu tư xây dựng cơ bản năm 2027",
            "Tổng vốn xây dựng cơ bản: 2.100 triệu đồng.")
    assert kinds_of(tmp_path, *plan) == ["target"]


def test_a_forecast_is_no_target_and_a_dated_span_is_a_result() -> None:
    forecast = ("Theo một dự báo, nếu giá dầu giảm thì đến năm 2035 ngành này sẽ mất 12 tỷ "
                "USD.")
    assert found(forecast, Context(year=2026))[0][3] == "actual"
    assert found("Phấn đấu đến năm 2035 thu hút 12 tỷ USD.", Context(year=2026))[0][3] == \
        "target"
    text = "Tính từ ngày 01/3/2026 đến 31/3/2026 có 45 lượt người đến trụ sở tiếp dân."
    ctx = Context(sections=[(0, len(text), "plan.tasks")], doc_type="review_report")
    assert found(text, ctx)[0][3] == "actual"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Quân đội tăng thêm 12 nghìn quân.", 12_000, "person"),
    ("Đội quân tăng từ 18 nghìn lên 30 nghìn người.", 18_000, "person"),
    ("Đường dài 0, 7 km.", 0.7, "count"),
    ("Lệ phí: 50.000 (năm mươi nghìn) đồng/hồ sơ.", 50_000, "VND"),
    ("Thanh tra do 1 Chánh Thanh tra phụ trách.", 1, "person"),
    ("Gửi trả lại 02 bản danh mục.", 2, "count"),
    ("Ban hành kèm theo 14 biểu mẫu.", 14, "count"),
])
def test_the_measure_of_ambiguous_or_bracketed_words(text: str, value: float,
                                                    unit: str) -> None:
    first = found(text)[0]
    assert (first[1], first[2]) == (pytest.approx(value), unit)


def test_quan_the_district_counts_no_persons() -> None:
    assert all(unit != "person" for _, _, unit, _ in found("Thành phố có 12 quận, 5 huyện."))


def test_numbers_of_names_sections_and_categories_are_no_indicators() -> None:
    assert found("Việc sửa đổi Hiến pháp 1992 lần này là cần thiết.") == []
    assert found("Cổ phần hoá 5 tổng công ty 91.") == [("5 tổng công ty", 5, "organisation",
                                                         "actual")]
    assert found("Mở đầu.\n4.4 Thanh tra việc thực hiện chính sách.") == []
    assert found("c) Các công ty con do Tập đoàn nắm giữ trên 50% vốn điều lệ:") == []
    kept = found("Công ty mẹ là công ty do Tập đoàn sở hữu 100% vốn điều lệ.")
    assert [v for _, v, _, _ in kept] == [100]


def test_an_index_value_and_a_multiples_base_year() -> None:
    text = "Chỉ số HDI tăng từ 0,561 năm 1985 lên 0,599 năm 1990, 0,647 năm 1995."
    assert [v for _, v, _, _ in found(text)] == [0.561, 0.599, 0.647]
    ind = extract_indicators("Năm 2000 GDP tăng gấp 2,07 lần năm 1990.", Context())[0]
    assert (ind.unit, ind.period) == ("multiple", "2000")


def test_cells_that_did_something_or_belong_to_another_unit_get_no_total_key() -> None:
    def key(text: str, surface: str) -> str | None:
        return next(i.key for i in extract_indicators(text, Context()) if surface in i.surface)

    assert key("Toàn tỉnh có 412 chi bộ, đảng bộ cơ sở tổ chức xong đại hội.", "412") is None
    assert key("Đảng bộ có 2.150 chi bộ trực thuộc các Đảng bộ huyện.", "2.150") is None
    assert key("Đảng bộ huyện hiện có 42 tổ chức cơ sở đảng.", "42") == "party_cells_total"
