"""References: real sentences of the seeds, every variant, things that are not references,
short forms, footnotes and tables, the findings, and the `refs` / `registry` commands."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, corpus_file
from pipeline.audit.references import check_references
from pipeline.contract import report_record
from pipeline.extract.dates import find_dates, match_date, match_year, parse_date
from pipeline.extract.references import (
    canonical_number,
    document_references,
    extract_references,
    table_text,
)
from pipeline.ingest import load
from pipeline.model import Document, Footnote, Report, Table
from pipeline.store.database import Store

SEED_000 = corpus_file("seeds", "000_4435fb2a97849b7c")
SEED_001 = corpus_file("seeds", "001_11fa4c8372dfa292")
SEED_002 = corpus_file("seeds", "002_38c4a49bff4fa329")
SEED_003 = corpus_file("seeds", "003_40d47c00f05e2e60")
SEED_004 = corpus_file("seeds", "004_73f20699863736da")


def raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def ids(text: str) -> list[str]:
    return [r.id for r in extract_references(text)]


def one(text: str):  # noqa: ANN201 - a Reference
    refs = extract_references(text)
    assert len(refs) == 1, refs
    return refs[0]


# -- the seeds, raw text -------------------------------------------------------------------------


def test_seed_000_cites_both_the_replaced_and_the_new_regulation() -> None:
    refs = extract_references(raw(SEED_000))
    old = [r for r in refs if r.id == "47-QĐ/TW"]
    new = [r for r in refs if r.id == "37-QĐ/TW"]
    assert len(old) == 1 and len(new) == 2
    assert old[0].body == "Ban Chấp hành Trung ương"  # written "BAN CHẤP \n\nHÀNH TW"
    assert old[0].type_name == "Quy định"
    assert [(r.surface, r.date, r.body) for r in new] == [
        ("37-\n\nQĐ/TW", "2021-10-25", "Ban Chấp hành Trung ương"),
        ("37-\n\nQĐ/TW", "2021-10-25", "Ban Chấp hành Trung ương"),
    ]


def test_seed_000_number_split_by_a_line_wrap() -> None:
    text = raw(SEED_000)
    assert "quy định số 101-\n\nQĐ/TW ngày 07/6/2012" in text
    ref = next(r for r in extract_references(text) if r.id == "101-QĐ/TW")
    assert ref.surface == "101-\n\nQĐ/TW"
    assert text[ref.start:ref.end] == ref.surface
    assert (ref.kind, ref.type, ref.type_name, ref.number, ref.issuer, ref.date, ref.year) == (
        "party", "QĐ", "Quy định", "101", "TW", "2012-06-07", 2012)
    assert ref.title is not None and ref.title.startswith("về trách nhiệm nêu gương")


def test_seed_000_link_is_not_a_citation_but_the_prose_is() -> None:
    text = raw(SEED_000)
    refs = [r for r in extract_references(text) if r.id == "18-NQ/TW"]
    assert len(refs) == 1  # the two links "…/Nghi-quyet-18-NQ-TW-2017-…" give nothing
    ref = refs[0]
    assert text[ref.start - 11:ref.start] == "Nghị quyết "
    assert (ref.year, ref.body, ref.term, ref.date) == (2017, "Ban Chấp hành Trung ương", "XII",
                                                        None)


def test_seed_000_every_reference_in_order() -> None:
    got = ids(raw(SEED_000))
    assert got[:9] == ["126-QĐ/ĐU", "18-NQ/TW", "ISO/IEC 17025", "ISO 9001", "ISO/IEC 17065",
                       "ISO/IEC 17065", "QCVN 47", "QCVN 8:2022/BTTTT", "213-QĐ/TW"]
    assert len(got) == 60
    assert got.count("NQDH-XIII") == 5 and got.count("NQDH-XIV") == 1
    assert got.count("05-CT/TW") == 6
    # "Thông tư 30" alone gives no date, year or term that fits the registry: unresolved.
    assert "30/2011/TT-BTTTT" not in got


def test_seed_000_local_congress_is_not_the_national_one() -> None:
    text = raw(SEED_000)
    local = text.index("Nghị quyết Đại hội XIII của Đảng bộ")
    assert all(not (r.start <= local < r.end) for r in extract_references(text))


def test_seed_000_plenum_forms() -> None:
    refs = [r for r in extract_references(raw(SEED_000)) if r.kind == "plenum"]
    assert [(r.id, " ".join(r.surface.split())) for r in refs[:8]] == [
        ("NQDH-XIII", "Nghị quyết Đại hội XIII"),
        ("NQTW4-XII", "Nghị quyết Trung ương 4 khóa XII, XIII"),
        ("NQTW4-XIII", "Nghị quyết Trung ương 4 khóa XII, XIII"),
        ("NQTW4-XII", "Nghị quyết Trung ương lần thứ 4 (khóa XII, XIII)"),
        ("NQTW4-XIII", "Nghị quyết Trung ương lần thứ 4 (khóa XII, XIII)"),
        # Earlier mentions of plenum 4 name two terms: this one cannot be told.
        ("NQTW4", "Nghị quyết TW 4"),
        ("NQDH-XIII", "Nghị Quyết Đại hội đại biểu toàn quốc lần thứ XIII"),
        ("NQTW3-XIII", "nghị quyết Hội nghị Trung ương 3, 4 khóa XIII"),
    ]


def test_seed_000_numbered_resolution_of_a_plenum() -> None:
    ref = next(r for r in extract_references(raw(SEED_000)) if r.id == "21-NQ/TW")
    assert ref.surface == "Nghị Quyết số 21"
    assert (ref.kind, ref.term, ref.body, ref.resolved_from) == (
        "party", "XIII", "Ban Chấp hành Trung ương", None)


def test_seed_000_bodies_as_written_when_unknown() -> None:
    refs = {r.id: r for r in extract_references(raw(SEED_000))}
    assert refs["126-QĐ/ĐU"].body == "Đảng ủy Cục viễn thông"
    assert refs["126-QĐ/ĐU"].date == "2021-08-24"  # "ngày 24 tháng 8 năm 2021"
    assert refs["126-QĐ/ĐU"].type_name == "Quyết định"
    assert refs["870-CV/ĐU"].body == "Đảng ủy Bộ TTTT"
    assert refs["35-KH/ĐUK"].body == "Ban Thường vụ Đảng ủy Khối"
    assert refs["154-KH/ĐUK"].body == "Đảng ủy Khối"  # written "Đảng ủy khối"
    assert refs["56/QĐ-CVT"].body == "Cục trưởng Cục Viễn thông"
    assert refs["85-QĐ/TW"].body == "Ban Bí thư"  # "Ban Bí \n\nthư"


def test_seed_000_date_further_away_is_not_the_documents() -> None:
    ref = next(r for r in extract_references(raw(SEED_000)) if r.id == "35-CT/TW")
    # "Chỉ thị số 35-CT/TW của Bộ Chính trị đại hội đảng bộ các cấp (ngày 09/07/2024)"
    assert (ref.body, ref.date) == ("Bộ Chính trị", None)


def test_seed_001_short_forms_resolve_to_the_full_reference() -> None:
    refs = extract_references(raw(SEED_001))
    assert [r.id for r in refs] == ["57-NQ/TW"] * 6
    assert [r.resolved_from for r in refs] == [
        None, None, None, "Nghị \n\nquyết số 57", "Nghị quyết số 57", None]
    short = refs[3]
    assert (short.date, short.body, short.kind) == ("2024-12-22", "Bộ Chính trị", "party")
    title = refs[0]
    assert (title.date, title.body, title.type_name) == ("2024-12-22", "Bộ Chính trị",
                                                         "Nghị quyết")
    assert title.title is not None and title.title.startswith("VỀ ĐỘT PHÁ PHÁT TRIỂN")


def test_seed_001_date_and_body_before_the_number() -> None:
    text = raw(SEED_001)
    ref = extract_references(text)[2]
    assert text[ref.start - 60:ref.start].endswith("Bộ Chính trị đã ban hành Nghị quyết số ")
    assert (ref.date, ref.body) == ("2024-12-22", "Bộ Chính trị")


def test_seed_002_plenum_attributes_of_a_numbered_resolution() -> None:
    refs = extract_references(raw(SEED_002))
    assert [r.id for r in refs] == ["03-CT/TW", "03-CT/TW", "12-NQ/TW", "03-CT/TW", "03-CT/TW",
                                    "03-CT/TW"]
    twelve = refs[2]
    assert (twelve.body, twelve.term, twelve.date) == ("Ban Chấp hành Trung ương", "XI", None)
    assert twelve.title == "về một số vấn đề cấp bách về xây dựng Đảng hiện nay"


def test_seed_003_directive_and_plenum() -> None:
    refs = extract_references(raw(SEED_003))
    assert [(r.id, r.date, r.body, r.term) for r in refs] == [
        ("05-CT/TW", "2016-05-15", "Bộ Chính trị", "XII"),
        ("NQTW4-XII", None, "Ban Chấp hành Trung ương", "XII"),
        ("05-CT/TW", None, "Bộ Chính trị", "XII"),
        ("NQTW4-XII", None, "Ban Chấp hành Trung ương", "XII"),
    ]


def test_seed_004_state_documents() -> None:
    refs = extract_references(raw(SEED_004))
    assert [(r.id, r.kind, r.date) for r in refs[:3]] == [
        ("2590/QĐ-UBND", "state", "2022-10-25"),
        ("420/KH-UBND", "state", "2023-05-25"),
        ("924/QĐ-TTg", "state", "2022-08-02"),
    ]
    assert refs[0].body == "UBND tỉnh"
    assert refs[2].body == "Thủ tướng Chính phủ"
    normative = [r for r in refs if r.year and r.id.count("/") == 2]
    assert [r.id for r in normative] == ["02/2023/QĐ-UBND", "03/2023/QĐ-UBND", "33/2023/QĐ-UBND",
                                         "21/2006/QĐ-UBND", "47/2022/QĐ-UBND"]
    old = normative[3]
    assert (old.date, old.body) == ("2006-04-27", "UBND tỉnh")  # "ngày 27 tháng 4 năm 2006"
    plenum = [r for r in refs if r.kind == "plenum"]
    assert [r.id for r in plenum] == ["NQTW4-XII", "NQTW4-XII"]
    assert plenum[0].surface == ("Nghị quyết Hội nghị lần thứ lần thứ 4 Ban Chấp hành Trung ương"
                                 " Đảng (khóa XII)")
    assert "Nghị quyết 20%" in raw(SEED_004)  # an indicator, not a reference


# -- variants, normalised to one id ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theo 57-NQ/TW.", "57-NQ/TW"),
        ("theo 57 - NQ/TW.", "57-NQ/TW"),
        ("theo 57–NQ/TW.", "57-NQ/TW"),
        ("theo 57-NQ/TƯ.", "57-NQ/TW"),
        ("theo 57-nq/tw.", "57-NQ/TW"),
        ("theo 57-NQ/ TW.", "57-NQ/TW"),
        ("theo 57-NQ /TW.", "57-NQ/TW"),
        ("Quy định số 101-\nQĐ/TW", "101-QĐ/TW"),
        ("Chỉ thị 5-CT/TW", "05-CT/TW"),
        ("Kế hoạch số 35-KH/ĐUK", "35-KH/ĐUK"),
        ("văn bản số 870-CV/ĐU", "870-CV/ĐU"),
        ("Quy định 08-QĐi/TW", "08-QĐi/TW"),
        ("Quy định 08-QDi/TW", "08-QĐi/TW"),
        ("Kế hoạch số 12-KH/ThU", "12-KH/ThU"),
        ("Chương trình số 07-CTr/TU", "07-CTr/TU"),
        ("Quyết định số 2590/QĐ-UBND", "2590/QĐ-UBND"),
        ("Quyết định 924/QĐ-TTg", "924/QĐ-TTg"),
        ("Quyết định số 56/QĐ-CVT", "56/QĐ-CVT"),
        ("Quyết định số 02/2023/QĐ-UBND", "02/2023/QĐ-UBND"),
        ("Thông tư 30/2011/TT-BTTTT", "30/2011/TT-BTTTT"),
        ("Luật số 24/2018/QH14", "24/2018/QH14"),
        ("Nghị định số 181/2026/NĐ- CP", "181/2026/NĐ-CP"),
        ("Nghị định số 13/2023/ND-CP", "13/2023/NĐ-CP"),
        ("Công văn số 1234/UBND-KT", "1234/UBND-KT"),
        ("Nghị quyết liên tịch 09/2008/NQLT-CP-UBTWMTTQVN", "09/2008/NQLT-CP-UBTWMTTQVN"),
        ("theo QCVN 8:2022/BTTTT", "QCVN 8:2022/BTTTT"),
        ("theo QCVN 47", "QCVN 47"),
        ("theo ISO/IEC 17065", "ISO/IEC 17065"),
        ("theo ISO IEC 17065", "ISO/IEC 17065"),
        ("theo ISO 17065", "ISO/IEC 17065"),
        ("theo ISO 9001: 2015", "ISO 9001:2015"),
        ("theo ISO9001", "ISO 9001"),
        ("theo TCVN 11930:2017", "TCVN 11930:2017"),
        ("Nghị quyết Trung ương 4 khóa XII", "NQTW4-XII"),
        ("Nghị quyết Trung ương 4 khoá XII", "NQTW4-XII"),
        ("Nghị quyết Hội nghị lần thứ 4 Ban Chấp hành Trung ương Đảng (khóa XII)", "NQTW4-XII"),
        ("Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương khóa XII", "NQTW4-XII"),
        ("Nghị quyết TW6 khóa X", "NQTW6-X"),
        ("Nghị quyết Hội nghị Trung ương 8 (khóa XI)", "NQTW8-XI"),
        ("Nghị quyết Đại hội XIII", "NQDH-XIII"),
        ("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng", "NQDH-XIII"),
        ("Nghị quyết Đại hội Đảng toàn quốc lần thứ XII", "NQDH-XII"),
    ],
)
def test_variants_have_one_canonical_id(text: str, expected: str) -> None:
    assert ids(text) == [expected]


def test_party_number_in_the_state_pattern_gets_the_party_id() -> None:
    ref = one("Thực hiện Nghị quyết 57/NQ-TW của Bộ Chính trị")
    assert (ref.id, ref.kind, ref.surface, ref.body) == ("57-NQ/TW", "party", "57/NQ-TW",
                                                         "Bộ Chính trị")


def test_several_plenums_and_terms_in_one_phrase() -> None:
    text = "các nghị quyết Hội nghị Trung ương 3, 4 khóa XIII và XII"
    refs = extract_references(text)
    assert [r.id for r in refs] == ["NQTW3-XIII", "NQTW3-XII", "NQTW4-XIII", "NQTW4-XII"]
    assert {(r.start, r.end) for r in refs} == {(4, 56)} and len(text) == 56


def test_plenum_without_term_takes_the_term_of_earlier_mentions() -> None:
    refs = extract_references("Nghị quyết Trung ương 4 khóa XII ... Nghị quyết TW 4 về nêu gương")
    assert [(r.id, r.resolved_from) for r in refs] == [("NQTW4-XII", None),
                                                       ("NQTW4-XII", "Nghị quyết TW 4")]
    assert ids("Nghị quyết TW 4 về nêu gương") == ["NQTW4"]


# -- what is not a reference -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Điện thoại: 024.3825.7171, 0912-345-678, (028) 3822-5678, 1900.1234.",
        "Nhiệm kỳ 2020-2025, giai đoạn 2021 - 2025, nhiệm kỳ 2023 – 2025.",
        "Hoàn thành 10/10 chỉ tiêu, 09/09 chỉ tiêu, 15/20 đảng viên, tỷ lệ 3/4.",
        "Ngày 15/5/2016, ngày 30-3-2007 và ngày 15 tháng 5 năm 2016, năm 2017.",
        "Tổng thu 46.250.000 đồng, thu nhập 20 tr đồng/ 1 người/ 1 tháng, 1.612,9 triệu đồng.",
        "Hệ thống 3G/4G/5G, WiFi 2,4 GHz/5 GHz; quý IV/2024; 76,2 %; tăng 12-15%.",
        "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Nghi-quyet-18-NQ-TW-2017-x.aspx",
        "Xem www.dangcongsan.vn/57-NQ/TW để biết thêm.",
        "(Nghị quyết 20%, vượt chỉ tiêu Nghị quyết); Kế hoạch 2024 của Chi bộ.",
        "Nghị quyết số 9 của Chi bộ đã được thông qua.",
        "Nghị quyết Đại hội XV của Đảng bộ tỉnh và Nghị quyết Đại hội Đảng bộ lần thứ XII.",
        "Hội nghị lần thứ 4 khóa XII của Ban Chấp hành Đảng bộ; các nghị quyết của Trung ương "
        "năm 2024.",
        "Cụm thi đua số 8, Chi bộ 1, Điều 5 khoản 2, mã số 01-2024.",
    ],
)
def test_numbers_that_are_not_references(text: str) -> None:
    assert extract_references(text) == []


# -- attributes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "year"),
    [
        ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", "2024-12-22", 2024),
        ("Quy định số 30-QĐ/TW ngày 30-3-2007", "2007-03-30", 2007),
        ("Chỉ thị 05-CT/TW ngày 15 tháng 5 năm 2016", "2016-05-15", 2016),
        ("Chỉ thị 05-CT/TW, ngày 15.5.2016", "2016-05-15", 2016),
        ("Chỉ thị 05-CT/TW (ngày 15/5/2016)", "2016-05-15", 2016),
        ("Nghị quyết 18-NQ/TW năm 2017", None, 2017),
        ("Chỉ thị 05-CT/TW ngày 31/02/2016", None, None),  # no such day
    ],
)
def test_dates_in_every_form(text: str, date: str | None, year: int | None) -> None:
    ref = one(text)
    assert (ref.date, ref.year) == (date, year)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Nghị quyết số 57-NQ/TW của Bộ Chính trị", "Bộ Chính trị"),
        ("Quy định số 85-QĐ/TW của Ban Bí thư Trung ương Đảng", "Ban Bí thư"),
        ("Quy định 37-QĐ/TW của Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương"),
        ("Quyết định số 2590/QĐ-UBND của Ủy ban nhân dân tỉnh", "UBND tỉnh"),
        ("Quyết định 924/QĐ-TTg ngày 02/8/2022 của Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("Nghị định 13/2023/NĐ-CP của Chính phủ về bảo vệ dữ liệu", "Chính phủ"),
        ("Quyết định 1131/QĐ-BTTTT của Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
        ("Kết luận 21-KL/TW Hội nghị Trung ương 4 Khóa XIII", "Ban Chấp hành Trung ương"),
    ],
)
def test_bodies(text: str, body: str) -> None:
    assert one(text).body == body


def test_term_title_and_type_word() -> None:
    ref = one("Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị (Khóa XII) “về đẩy mạnh học "
              "tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”.")
    assert (ref.term, ref.type, ref.type_name) == ("XII", "CT", "Chỉ thị")
    assert ref.title == "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def test_the_word_before_decides_what_qd_means() -> None:
    assert one("Quy định số 213-QĐ/TW").type_name == "Quy định"
    assert one("Quyết định số 126-QĐ/ĐU").type_name == "Quyết định"
    assert one("theo 213-QĐ/TW").type_name is None  # the number alone does not tell
    assert one("Quy định 08-QĐi/TW").type_name == "Quy định"


def test_dates_module() -> None:
    assert parse_date("ngày 15 tháng 5 năm 2016") == "2016-05-15"
    assert parse_date("22/12/2024") == "2024-12-22"
    assert parse_date("30-3-2007") == "2007-03-30"
    assert parse_date("31/02/2024") is None
    assert parse_date("10/10") is None
    assert parse_date("22/12-2024") is None  # separators must agree
    assert match_year("năm 2017 về", 0).year == 2017
    assert match_year("năm 2020-2025", 0) is None
    assert match_date("ngày\n\n22/12/2024", 0).iso == "2024-12-22"
    assert [d.iso for d in find_dates("họp ngày 02/01/2020 và 07/10/2022; 10/10 chỉ tiêu")] == [
        "2020-01-02", "2022-10-07"]


def test_canonical_number() -> None:
    assert [canonical_number(n) for n in ("5", "05", "005", "57", "2590")] == [
        "05", "05", "05", "57", "2590"]


# -- short forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "short", "expected"),
    [
        ("Chỉ thị số 05-CT/TW của Bộ Chính trị ... thực hiện Chỉ thị 05 hằng năm", "Chỉ thị 05",
         "05-CT/TW"),
        ("Thông tư 30/2011/TT-BTTTT ... thay thế Thông tư 30.", "Thông tư 30",
         "30/2011/TT-BTTTT"),
        ("Kết luận số 21-KL/TW ngày 25/10/2021 ... Kết luận 21 tại chi bộ", "Kết luận 21",
         "21-KL/TW"),
        ("Quy định số 37-QĐ/TW ... ký cam kết thực hiện Quy định 37.", "Quy định 37",
         "37-QĐ/TW"),
        ("Nghị quyết số 57-NQ/TW ... Nghị quyết 57 là đột phá", "Nghị quyết 57", "57-NQ/TW"),
        ("Nghị định số 13/2023/NĐ-CP ... Nghị định 13 quy định", "Nghị định 13",
         "13/2023/NĐ-CP"),
    ],
)
def test_short_form_resolves_to_the_earlier_full_reference(
    text: str, short: str, expected: str
) -> None:
    refs = extract_references(text)
    assert [r.id for r in refs] == [expected, expected]
    assert (refs[1].surface, refs[1].resolved_from) == (short, short)
    assert refs[1].start == text.rindex(short)


def test_short_form_keeps_the_type_name_apart() -> None:
    # "Quy định 37" is not the "Quyết định 37/QĐ-UBND" cited before it.
    refs = extract_references("Quyết định số 37/QĐ-UBND ngày 02/01/2024 ... Quy định 37 của "
                              "Trung ương")
    assert [r.id for r in refs] == ["37/QĐ-UBND", "37-QĐ/TW"]


def test_short_form_without_antecedent() -> None:
    # Followed by a central body: a central party document.
    ref = one("Nghị quyết số 57 của Bộ Chính trị")
    assert (ref.id, ref.body, ref.resolved_from) == ("57-NQ/TW", "Bộ Chính trị", None)
    # Known to the registry, and the citation gives a date that fits it.
    ref = one("thay thế Thông tư 30 ngày 31/10/2011.")
    assert (ref.id, ref.kind, ref.resolved_from) == ("30/2011/TT-BTTTT", "state", "Thông tư 30")
    # Known to the registry but nothing in the citation fits: left unresolved.
    assert extract_references("thay thế Thông tư 30.") == []
    # Another issuer named: not the registry's document.
    assert extract_references("Nghị quyết 18 của HĐND tỉnh") == []
    # Nothing known: not a reference.
    assert extract_references("Kế hoạch 17 và Hướng dẫn 3") == []


# -- footnotes and tables --------------------------------------------------------------------------


def test_docx_footnotes_and_tables_have_their_where() -> None:
    doc = load(corpus_file("docx", "004_73f20699863736da"))
    refs = document_references(doc)
    notes = {f.id: f.text for f in doc.footnotes}
    in_note_3 = [r for r in refs if r.where == "footnote:3"]
    assert [r.id for r in in_note_3] == ["02/2023/QĐ-UBND", "03/2023/QĐ-UBND", "33/2023/QĐ-UBND",
                                         "21/2006/QĐ-UBND", "47/2022/QĐ-UBND"]
    for r in in_note_3:
        assert notes["3"][r.start:r.end] == r.surface
    assert [r.id for r in refs if r.where == "footnote:4"] == ["248/QĐ-UBND", "1644/QĐ-UBND"]
    in_tables = [r for r in refs if r.where.startswith("table:")]
    assert [(r.id, r.where) for r in in_tables] == [("NQTW4-XII", "table:1")]
    flat = table_text(doc.tables[1])
    assert flat[in_tables[0].start:in_tables[0].end] == in_tables[0].surface


def test_document_where_and_offsets() -> None:
    doc = Document(
        source="x.txt", format="txt", sha256="0",
        footnotes=[Footnote(id="2", text="(1) Quyết định số 248/QĐ-UBND ngày 03/3/2023")],
        tables=[Table(rows=[["STT", "Văn bản"], ["1", "Chỉ thị 05-CT/TW"], ["2", "Chỉ thị 05"]])],
    )
    doc.blocks = []
    refs = document_references(doc)
    assert [(r.id, r.where, r.start, r.end) for r in refs] == [
        ("248/QĐ-UBND", "footnote:2", 18, 29),
        ("05-CT/TW", "table:0", 22, 30),
        ("05-CT/TW", "table:0", 33, 43),
    ]
    flat = table_text(doc.tables[0])
    assert flat == "STT\tVăn bản\n1\tChỉ thị 05-CT/TW\n2\tChỉ thị 05"
    assert [flat[r.start:r.end] for r in refs[1:]] == ["05-CT/TW", "Chỉ thị 05"]
    assert refs[2].resolved_from == "Chỉ thị 05"


# -- findings --------------------------------------------------------------------------------------


def test_superseded_reference_in_seed_000() -> None:
    refs = extract_references(raw(SEED_000))
    # Without the report's date nothing is said about replaced documents (issue 10).
    assert not [f for f in check_references(refs) if f.kind == "superseded_reference"]
    findings = check_references(refs, as_of="2025-06-30")  # a report written in 2025
    superseded = [f for f in findings if f.kind == "superseded_reference"]
    assert len(superseded) == 1
    f = superseded[0]
    assert (f.severity, f.where) == ("warning", "body")
    assert f.details == {
        "id": "47-QĐ/TW", "replaced_by": "37-QĐ/TW", "replaced_on": "2021-10-25",
        "registry_date": "2011-11-01",
        "message_en": "47-QĐ/TW (of 01/11/2011) was replaced by 37-QĐ/TW of 25/10/2021. Check "
                      "the citation and cite the document in force.",
    }
    assert f.message == ("47-QĐ/TW (ban hành ngày 01/11/2011) đã được thay thế bằng 37-QĐ/TW "
                         "ngày 25/10/2021. Hãy kiểm tra lại và trích dẫn văn bản đang có hiệu lực.")
    malformed = [f for f in findings if f.kind == "malformed_reference"]
    # "08-QĐ/TW" is how seed 000 numbers 08-QĐi/TW of 25/10/2018.
    assert [f.details["suggested"] for f in malformed] == ["08-QĐi/TW", "08-QĐi/TW"]
    assert not [f for f in findings if f.kind == "reference_date_mismatch"]


def test_superseded_directive_depends_on_when_the_report_was_written() -> None:
    refs = extract_references(raw(SEED_002))
    later = check_references(refs, as_of="2017-01-01")
    assert len([f for f in later if f.kind == "superseded_reference"]) == 5
    # The 2013 news item cites 03-CT/TW while it was in force; undated, it is told nothing.
    assert check_references(refs, as_of="2013-01-23") == []
    assert check_references(refs) == []


def test_superseded_only_after_the_replacement() -> None:
    refs = extract_references("Quy định số 47-QĐ/TW ngày 01/11/2011 của Ban Chấp hành Trung ương")
    assert check_references(refs) == []  # an undated article of about 2013
    assert check_references(refs, as_of="2013-05-01") == []
    assert check_references(refs, as_of="2021-10-25") == []  # the very day: not later
    assert [f.kind for f in check_references(refs, as_of="2022-01-10")] == ["superseded_reference"]


def test_same_number_two_documents() -> None:
    def kinds(text: str) -> list[tuple[str, str | None]]:
        return [(f.kind, f.details.get("replaced_by")) for f in
                check_references(extract_references(text), as_of="2025-09-01")]

    assert kinds("Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị") == [
        ("superseded_reference", "45-CT/TW")]
    assert kinds("Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị") == []
    assert kinds("Chỉ thị số 35-CT/TW của Bộ Chính trị (khóa XIII)") == [
        ("superseded_reference", "45-CT/TW")]
    assert kinds("Chỉ thị số 35-CT/TW của Bộ Chính trị") == []  # which one? not said


def test_reference_date_mismatch() -> None:
    findings = check_references(extract_references(
        "Nghị quyết số 57-NQ/TW ngày 22/12/2023 của Bộ Chính trị; Nghị quyết 18-NQ/TW năm 2018"))
    assert [(f.kind, f.details["cited_date"], f.details["registry_date"]) for f in findings] == [
        ("reference_date_mismatch", "2023-12-22", "2024-12-22"),
        ("reference_date_mismatch", "2018", "2017-10-25"),
    ]
    assert findings[0].message == (
        "57-NQ/TW được ghi ngày 22/12/2023, nhưng theo danh mục văn bản 57-NQ/TW ban hành ngày "
        "22/12/2024. Hãy kiểm tra lại số hiệu hoặc ngày ban hành.")
    assert findings[0].details["message_en"] == (
        "57-NQ/TW is cited as of 22/12/2023, but the registry dates 57-NQ/TW 22/12/2024. Check "
        "the number or the date.")
    assert check_references(extract_references("Nghị quyết 57-NQ/TW ngày 22/12/2024")) == []


def test_malformed_reference() -> None:
    text = "Thực hiện Nghị quyết 57/NQ-TW của Bộ Chính trị"
    findings = check_references(extract_references(text))
    assert len(findings) == 1
    f = findings[0]
    assert (f.kind, f.start, f.end, f.details["suggested"]) == (
        "malformed_reference", text.index("57/"), text.index("57/") + 8, "57-NQ/TW")
    assert f.message == "Số hiệu “57/NQ-TW” viết chưa đúng thể thức; nên viết là 57-NQ/TW."
    assert f.details["message_en"] == (
        "The number “57/NQ-TW” is not written the official way; write 57-NQ/TW.")


# -- the commands (pipeline/cli/refs.py and corpus.py) ---


def daihoi(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_cli_refs_table() -> None:
    run = daihoi("refs", str(SEED_001), "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert "57-NQ/TW" in run.stdout and "Nghị quyết" in run.stdout
    assert "2024-12-22" in run.stdout and "body ×6" in run.stdout


def test_cli_refs_json_and_csv() -> None:
    run = daihoi("refs", str(SEED_003), "--json")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(r["id"], r["where"]) for r in lines] == [
        ("05-CT/TW", "body"), ("NQTW4-XII", "body"), ("05-CT/TW", "body"), ("NQTW4-XII", "body")]
    assert lines[0]["source"] == str(SEED_003) and lines[0]["date"] == "2016-05-15"
    run = daihoi("refs", str(SEED_003), "--csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["id"] for r in rows] == ["05-CT/TW", "NQTW4-XII", "05-CT/TW", "NQTW4-XII"]
    assert rows[0]["body"] == "Bộ Chính trị" and rows[0]["type_name"] == "Chỉ thị"


def test_cli_refs_on_a_folder_and_a_missing_path(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Chỉ thị 05-CT/TW của Bộ Chính trị", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Quy định 47-QĐ/TW", encoding="utf-8")
    run = daihoi("refs", str(tmp_path), "--json")
    assert run.returncode == 0, run.stderr
    assert [json.loads(line)["id"] for line in run.stdout.splitlines()] == ["05-CT/TW",
                                                                           "47-QĐ/TW"]
    run = daihoi("refs", str(tmp_path / "none.pdf"))
    assert run.returncode == 2
    assert "none.pdf" in run.stderr


def test_cli_registry_reads_the_store(tmp_path: Path) -> None:
    db = tmp_path / "daihoi.db"
    with Store(db) as store:
        for seed in (SEED_000, SEED_003):
            report = Report(document=load(seed))
            report.references = document_references(report.document)
            store.save(report, report_record(report))
    run = daihoi("registry", "--db", str(db), "--json")
    assert run.returncode == 0, run.stderr
    rows = {r["id"]: r for r in map(json.loads, run.stdout.splitlines())}
    five = rows["05-CT/TW"]
    assert (five["count"], five["documents"]) == (8, 2)  # 6 in seed 000, 2 in seed 003
    assert five["cited_dates"] == {"2016-05-15": 2}
    assert [e["date"] for e in five["registry"]] == ["2016-05-15"]
    assert [e["date"] for e in rows["35-CT/TW"]["registry"]] == ["2019-05-30", "2024-06-14"]
    assert rows["126-QĐ/ĐU"]["registry"] == [] and rows["126-QĐ/ĐU"]["count"] == 1
    assert rows["45-CT/TW"]["count"] == 0  # curated, not cited
    run = daihoi("registry", "--db", str(db))
    assert run.returncode == 0 and "05-CT/TW" in run.stdout


def test_cli_registry_without_a_store(tmp_path: Path) -> None:
    run = daihoi("registry", "--db", str(tmp_path / "none.db"), "--json", "--lang", "en")
    assert run.returncode == 0
    assert "run 'daihoi run'" in run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert {r["count"] for r in rows} == {0}
    assert "57-NQ/TW" in {r["id"] for r in rows}
