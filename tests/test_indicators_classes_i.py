"""Classes of misses seen on blind sample I (issue 11), each on a short fixture written here."""

from __future__ import annotations

from pipeline.extract.indicators import Context, extract_indicators, plan_document
from pipeline.model import Block, Document, Meta


def _got(text: str, ctx: Context | None = None) -> dict[str, tuple[str, str | None]]:
    return {i.surface: (i.kind, i.key) for i in extract_indicators(text, ctx or Context())}


def test_a_plan_heading_on_the_first_line_when_items_follow_it() -> None:
    text = ("Các chỉ tiêu chủ yếu (nhiệm kỳ 2025-2030)\n- Về kinh tế:\n(1) Thu nhập bình quân: "
            "70 triệu đồng/năm.\n(2) Tỷ lệ tăng thu ngân sách: 12% trở lên.\n- Về xã hội:\n"
            "(3) Tỷ lệ hộ nghèo giảm bình quân/năm: trên 8%.\n(4) Tỷ lệ đảng viên HTTNV hàng "
            "năm đạt: 90% trở lên.")
    got = _got(text, Context(doc_type="news"))
    assert got["70 triệu đồng"][0] == "target"
    assert got["12%"] == ("target", None)  # "trở lên" in a plan is no condition
    assert got["8%"] == ("target", None)  # a yearly decrease, not the poverty rate
    assert got["90%"] == ("target", "members_rated_good_or_better")
    # A first line with no list after it is the document's title.
    title = "Mục tiêu năm 2026 của xã\nNăm nay xã có 1.200 hộ."
    assert _got(title, Context(doc_type="news"))["1.200 hộ"][0] == "actual"


def test_a_title_that_reports_a_plan_reached_is_no_plan() -> None:
    doc = Document(source="t.txt", format="txt", sha256="0", blocks=[Block(text="x")])
    assert not plan_document(doc, Meta(title="Huyện Lục Nam kết nạp đảng viên đạt 112% kế hoạch"))
    assert plan_document(doc, Meta(title="Kế hoạch kết nạp đảng viên năm 2026"))


def test_an_ellipsis_before_a_capital_ends_the_sentence() -> None:
    text = ("Nhiều chỉ tiêu đạt và vượt Nghị quyết đề ra như thu ngân sách, tiêm chủng,… "
            "Đến nay xã đạt 19/19 tiêu chí nông thôn mới.")
    assert _got(text, Context(year=2023))["19/19 tiêu chí"][0] == "actual"


def test_targets_set_listed_after_a_colon_and_reviewed_ones() -> None:
    text = ("Tại đại hội, một số chỉ tiêu trọng yếu trong 5 năm tới được đề ra như: tăng thu "
            "bình quân 9%, phát triển thêm 6 đảng viên.")
    got = _got(text, Context(year=2015))
    assert got["9%"][0] == "target" and got["6 đảng viên"][0] == "target"
    review = ("Nghị quyết Đại hội nhiệm kỳ 2020-2025 đề ra 30 chỉ tiêu. Qua 3 năm, đã phấn đấu "
              "được 12 chỉ tiêu đạt và vượt như: thu ngân sách đạt 41 tỷ đồng/38 tỷ đồng.")
    got = _got(review, Context(year=2023))
    assert got["30 chỉ tiêu"][0] == "actual"  # set by a past congress
    assert got["12 chỉ tiêu"][0] == "actual"
    assert got["41 tỷ đồng"][0] == "actual" and got["38 tỷ đồng"][0] == "target"


def test_abbreviated_ratings() -> None:
    got = _got("Tổ chức đảng đạt TSVM 92%; đảng viên HTXSNV 18%.", Context(year=2023))
    assert got["92%"][1] == "orgs_clean_strong"
    assert got["18%"][1] == "members_rated_excellent"


def test_kinds_of_organisations_listed_and_candidates_at_a_stage() -> None:
    text = ("Tháng 11/2019, Đảng bộ có 880 đảng viên, với 07 Đảng bộ và 31 Chi bộ cơ sở, 75 chi "
            "bộ trực thuộc. Đảng bộ tỉnh có 9 Đảng bộ trực thuộc, 412 tổ chức cơ sở Đảng. Đến "
            "nay, đã có 4 quần chúng được học lớp cảm tình Đảng. Năm qua kết nạp 60 đảng viên "
            "mới, nâng tỷ lệ lãnh đạo lên 41,5%.")
    got = {i.surface: (i.key, i.period) for i in extract_indicators(text, Context(year=2023))}
    assert got["880 đảng viên"] == ("members_total", "2019")
    for surface in ("07 Đảng bộ", "31 Chi bộ cơ sở", "75 chi bộ trực thuộc"):
        assert got[surface][0] is None, surface
    assert got["412 tổ chức cơ sở Đảng"][0] == "party_cells_total"
    assert got["4 quần chúng"][0] is None and got["41,5%"][0] is None
    assert got["60 đảng viên mới"][0] == "new_members"


def test_measures_from_sample_i() -> None:
    text = ("Đại hội đã bầu 15 đ/c vào Ban chấp hành. Tỷ suất sinh dưới 12 ‰. Cập nhật "
            "06:03:46\nĐồng chí Bí thư cho biết, đến nay 44 chi, đảng bộ cơ sở trực thuộc "
            "Huyện ủy đã sơ kết. Việt Nam thuộc nhóm 20 quốc gia dẫn đầu.")
    got = {i.surface: (i.unit, i.key) for i in extract_indicators(text, Context(year=2023))}
    assert got["15 đ/c"] == ("person", "executive_committee")
    assert got["12 ‰"][0] == "rate"
    assert not any(s.startswith("46") for s in got) and "20 quốc gia" not in got
    assert got["44 chi, đảng bộ cơ sở"][1] == "party_cells_total"


def test_results_reached_and_estimated() -> None:
    text = ("Xã hoàn thành các mục tiêu Nghị quyết, đạt và vượt 22/25 chỉ tiêu. Năm nay dự kiến "
            "cả 15/15 chỉ tiêu đạt kế hoạch; tăng trưởng ước đạt 8,1%.")
    got = _got(text, Context(year=2024))
    assert got["22/25 chỉ tiêu"][0] == "actual" and got["8,1%"][0] == "actual"


def test_a_titled_plan_list_with_a_date_line_and_inline_items() -> None:
    # (sample J's class) the heading is the page's first line, a date line follows, then
    # groups "Về ...:" with their items inline in one paragraph each.
    text = ("Các chỉ tiêu chủ yếu đến năm 2030\nThứ Hai, 12-10-2025, 08:15\n"
            "Về kinh tế: (1) Tăng trưởng bình quân từ 8,0 đến 8,5%/năm. (2) Thu ngân sách đạt "
            "2.400 tỷ đồng.\nVề xã hội: (3) Tỷ lệ hộ nghèo dưới 1%.")
    got = _got(text, Context(year=2025, doc_type="news"))
    assert [got[s][0] for s in ("8,0 đến 8,5%", "2.400 tỷ đồng", "1%")] == ["target"] * 3


def test_a_congress_that_fixed_targets_lists_them() -> None:
    text = ("Đại hội đã xác định nhiều chỉ tiêu quan trọng, trong đó: tăng trưởng bình quân "
            "10,5%; thu nhập bình quân đầu người đến năm 2030 đạt 90 triệu đồng.")
    got = _got(text, Context(year=2025))
    assert got["10,5%"][0] == "target" and got["90 triệu đồng"][0] == "target"


def test_members_counted_as_comrades() -> None:
    text = ("Số đảng viên tăng từ 140 đồng chí năm 2015 lên 162 đồng chí năm 2020. Chi bộ gồm "
            "09 đ/c, trong đó 02 đ/c là nữ.")
    got = {i.surface: i.key for i in extract_indicators(text, Context(year=2021))}
    assert got["140 đồng chí"] == "members_total" and got["162 đồng chí"] == "members_total"
    assert got["09 đ/c"] == "members_total"
