"""Classes of reference the blind samples F and G showed (issue 10): one short sentence of the
real shape for each, written here (no third-party text)."""

from __future__ import annotations

from pipeline.audit.references import check_references
from pipeline.extract.references import extract_references
from pipeline.model import Reference


def refs(text: str) -> list[Reference]:
    return extract_references(text)


def one(text: str) -> Reference:
    found = refs(text)
    assert len(found) == 1, [r.id for r in found]
    return found[0]


def test_joint_ministries_joined_by_a_comma() -> None:
    r = one("Căn cứ Thông tư liên tịch số 07/2011/TTLT/BYT-BTC ngày 3.5.2011 của Bộ Y tế, "
            "Bộ Tài chính về hướng dẫn thanh toán;")
    assert (r.id, r.date, r.body) == ("07/2011/TTLT-BYT-BTC", "2011-05-03", "Bộ Y tế, Bộ Tài chính")
    # a comma before anything but a head of a body ends the name
    assert one("Quyết định số 12/2020/QĐ-UBND của UBND tỉnh, Ban Thường vụ Tỉnh ủy và các sở"
               ).body == "UBND tỉnh"


def test_a_double_title_and_the_politburo_with_the_secretariat() -> None:
    assert one("Quyết định số 05/2003/QĐ-UBDT ngày 2/4/2003 của Bộ trưởng, Chủ nhiệm Ủy ban Dân "
               "tộc về việc ban hành quy chế").body == "Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc"
    assert one("theo Chỉ thị số 45-CT/TW ngày 14/4/2025 của Bộ Chính trị, Ban Bí thư về đại hội"
               ).body == "Bộ Chính trị, Ban Bí thư"


def test_joint_bodies_after_lien_tich_and_giua() -> None:
    assert one("Thông tư liên tịch số 12/2005/TTLT/BTC-BGD&ĐT ngày 1/3/2005 của Liên tịch Bộ Tài "
               "chính - Bộ Giáo dục và Đào tạo quy định").body == (
        "Liên tịch Bộ Tài chính - Bộ Giáo dục và Đào tạo")
    assert one("Thông tư liên tịch số: 45/2012/TTLT/BTC-BNN, ngày 2 tháng 3 năm 2012 giữa Bộ Tài "
               "chính và Bộ Nông nghiệp và PTNT hướng dẫn").body == (
        "Bộ Tài chính và Bộ Nông nghiệp và PTNT")


def test_names_cut_at_stop_words_hyphens_and_commas_inside() -> None:
    assert one("Xét đề nghị của Trưởng Ban Tổ chức chính quyền tỉnh tại Tờ trình số 18/TCCQ "
               "ngày 3/5/1999,").body == "Trưởng Ban Tổ chức chính quyền tỉnh"
    assert one("Thông tư số 11/2003/TT-BVHTT ngày 4/5/2003 của Bộ Văn hoá-Thông tin về quảng cáo"
               ).body == "Bộ Văn hoá-Thông tin"
    assert one("Xét đề nghị của Thường trực Ban Chỉ huy Phòng, chống lụt, bão tỉnh tại Tờ trình "
               "số 40/TTr-PCLB ngày 2/6/2010,").body == (
        "Thường trực Ban Chỉ huy Phòng, chống lụt, bão tỉnh")
    assert one("Xét đề nghị của Trưởng phòng Giáo dục và Đào tạo tại Tờ trình số 15/GDĐT ngày "
               "3/1/2011,").body == "Trưởng phòng Giáo dục và Đào tạo"
    # a verb after the name ends it
    assert one("Sau khi xem xét Tờ trình số 810/TTr-UBND ngày 2/11/2009 của UBND tỉnh Bình Định "
               "đề nghị phê duyệt Đề án").body == "UBND tỉnh Bình Định"


def test_a_title_printed_in_lower_case() -> None:
    found = refs("Quyết định bãi bỏ quyết định số 31/2008/qđ-ubnd ngày 05 tháng 6 năm 2008 của "
                 "uỷ ban nhân dân thành phố cần thơ\nỦy ban nhân dân thành phố Cần Thơ")
    assert [(r.id, r.body) for r in found] == [
        ("31/2008/QĐ-UBND", "uỷ ban nhân dân thành phố cần thơ")]
    r = one("về việc thực hiện chỉ đạo của thủ tướng chính phủ tại văn bản số 1850/ttg-kttn "
            "ngày 5 tháng 10 năm 2011")
    assert (r.id, r.body) == ("1850/TTg-KTTN", "Thủ tướng Chính phủ")


def test_words_glued_together() -> None:
    found = refs("Công tác được triển khai tốtNghị quyết 57-NQ/TW của Bộ Chính trị và "
                 "tốtChỉ thị 35 của Bộ Chính trị.")
    assert [(r.id, r.surface) for r in found] == [("57-NQ/TW", "57-NQ/TW"),
                                                  ("35-CT/TW", "Chỉ thị 35")]
    assert one("Theo đề nghị của Sở Tài chính tạiTờ trình số 52/TTr-STC ngày 2/3/2012 về việc"
               ).body == "Sở Tài chính"


def test_a_dash_lost_a_slash_doubled_a_type_printed_twice() -> None:
    assert [r.id for r in refs(
        "Căn cứ Nghị định số 15/2019/NĐCP ngày 1 tháng 2 năm 2019; Quyết định số 310/QĐUBND "
        "ngày 2/3/2019; Nghị quyết số 8/2005 / / NQ-HĐND ngày 5/7/2005; Quyết định số "
        "210/QĐ/2006/QĐ-UBND ngày 3/4/2006")] == [
        "15/2019/NĐ-CP", "310/QĐ-UBND", "08/2005/NQ-HĐND", "210/2006/QĐ-UBND"]


def test_an_unknown_type_code_is_read_as_printed_and_reported() -> None:
    found = refs("Căn cứ Nghị định số 91/2006/NQQ-CP ngày 07/9/2006 của Chính phủ")
    assert [(r.id, r.date, r.body) for r in found] == [
        ("91/2006/NQQ-CP", "2006-09-07", "Chính phủ")]
    assert [f.kind for f in check_references(found)] == ["malformed_reference"]
    assert check_references(refs("Căn cứ Nghị định số 91/2006/NĐ-CP")) == []


def test_joint_proposals_of_departments() -> None:
    assert [r.id for r in refs(
        "Tờ trình liên ngành số 311/TTLN/CT-STC ngày 2/3/2010 và Tờ trình liên ngành số "
        "120/TTLN-TP-TC ngày 5/5/2010")] == ["311/TTLN-CT-STC", "120/TTLN-TP-TC"]


def test_the_document_own_number_on_its_line() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 1122/QĐ-UBND\nBắc Ninh, ngày 2 tháng 3 năm 2015\n"
            "Căn cứ Quyết định số 87/QĐ-UBND ngày 5/1/2015 của UBND tỉnh;\nSố hiệu: 1122/QĐ-UBND")
    assert [r.id for r in refs(text)] == ["87/QĐ-UBND"]
    # "số" inside a sentence is no letterhead
    assert [r.id for r in refs("theo văn bản số 40/UBND-KT")] == ["40/UBND-KT"]


def test_a_body_before_a_list_and_a_bracketed_number() -> None:
    found = refs("Hội nghị quán triệt 03 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số 52-NQ/TW "
                 "về cách mạng công nghiệp, Nghị quyết số 55-NQ/TW về năng lượng.")
    assert [(r.id, r.body) for r in found] == [("52-NQ/TW", "Bộ Chính trị"),
                                              ("55-NQ/TW", "Bộ Chính trị")]
    r = one("Ngày 9/3/2021, Tổng Bí thư ký ban hành Chỉ thị của Bộ Chính trị về học tập Nghị "
            "quyết (Chỉ thị số Chỉ thị số 01-CT/TW).")
    assert (r.id, r.date, r.body) == ("01-CT/TW", "2021-03-09", "Bộ Chính trị")
    # a short form in brackets resolves only to a central body's document
    assert [r.id for r in refs("Ban Thường vụ Tỉnh ủy ký ban hành Chỉ thị của Ban Thường vụ "
                               "Tỉnh ủy về công tác dân vận (Chỉ thị 07).")] == []


def test_short_forms_with_a_date_an_abbreviation_or_a_month() -> None:
    r = one("quán triệt Nghị quyết số 36 ngày 1/7/2014 của Bộ Chính trị về công nghệ thông tin")
    assert (r.id, r.date, r.body) == ("36-NQ/TW", "2014-07-01", "Bộ Chính trị")
    found = refs("thực hiện Nghị quyết số 26-NQ/TW của Bộ Chính trị; kế hoạch thực hiện NQ 26 của "
                 "huyện; NQ 26 của BCT")
    assert [r.id for r in found] == ["26-NQ/TW", "26-NQ/TW", "26-NQ/TW"]
    assert [r.id for r in refs("các Nghị quyết 13/5/1988 của Bộ Chính trị")] == ["13-NQ/TW"]
    assert refs("Kế hoạch số 79 của Huyện ủy") == []


def test_a_plenum_with_a_comma_before_the_central_committee() -> None:
    found = refs("quán triệt Nghị quyết Hội nghị lần thứ 10, Ban Chấp hành Trung ương Đảng "
                 "(khóa XI) và các văn bản")
    assert [(r.id, r.surface) for r in found] == [
        ("NQTW10-XI", "Nghị quyết Hội nghị lần thứ 10, Ban Chấp hành Trung ương Đảng (khóa XI)")]


def test_tu_printed_for_a_provincial_committee() -> None:
    found = refs("Sau 10 năm thực hiện Nghị quyết 13-NQ/TƯ của Tỉnh ủy (khóa XIV); Nghị quyết "
                 "25-NQ/TƯ của Trung ương")
    assert [(r.id, r.body) for r in found] == [("13-NQ/TU", "Tỉnh ủy"),
                                              ("25-NQ/TW", "Ban Chấp hành Trung ương")]


def test_a_line_wrapped_inside_a_phrase() -> None:
    assert one("Xét đề nghị của Giám đốc\nSở Y tế tỉnh tại Tờ trình số 66/TTr-SYT ngày 17 tháng 5 "
               "năm 2013 về việc").body == "Giám đốc Sở Y tế tỉnh"
    assert one("Theo đề nghị của Giám đốc Sở Nông nghiệp & PTNT Bình Định (Tờ trình số "
               "40/TT/SNN-TL ngày 1/6/2006),").body == "Giám đốc Sở Nông nghiệp & PTNT Bình Định"


def test_adverb_after_da_before_the_verb() -> None:
    assert one("BTV Tỉnh ủy đã kịp thời ban hành Kế hoạch số 12-KH/TU ngày 9-8-2019 triển khai"
               ).body == "BTV Tỉnh ủy"


# -- sample H ----------------------------------------------------------------------------------


def test_old_numbers_with_slashes_and_joint_circulars_of_ministries() -> None:
    assert [(r.id, r.body) for r in refs(
        "Căn cứ Thông tư số 312/KHKT/TT ngày 5-6-1987 của Uỷ ban Khoa học và kỹ thuật Nhà nước "
        "về tiêu chuẩn")] == [("312/KHKT/TT", "Uỷ ban Khoa học và kỹ thuật Nhà nước")]
    r = one("theo Thông tư liên bộ số 20/TTLB ngày 2/6/1994 của liên Bộ: Bộ Y tế - Bộ Tài chính - "
            "Bộ Lao động TB&XH và Ban Vật giá Chính phủ hướng dẫn")
    assert (r.id, r.body) == ("20/TTLB", "liên Bộ: Bộ Y tế - Bộ Tài chính - Bộ Lao động TB&XH và "
                                         "Ban Vật giá Chính phủ")
    assert one("Thông tư liên tịch số 05/2011/TTLT-BNV-BTC-BLĐTB&XH ngày 3 tháng 5 năm 2011 của "
               "Bộ Nội vụ - Bộ Tài chính - Bộ Lao động Thương binh & Xã hội").body == (
        "Bộ Nội vụ - Bộ Tài chính - Bộ Lao động Thương binh & Xã hội")


def test_a_lower_case_head_then_a_proper_name_and_a_doubled_body() -> None:
    assert one("Căn cứ Quyết định số 21/2005/QĐ-UB ngày 02/01/2005 của uỷ ban nhân dân tỉnh Sóc "
               "Trăng về việc").body == "uỷ ban nhân dân tỉnh Sóc Trăng"
    assert one("Căn cứ Nghị định số 36/2012/NĐ-CP ngày 18/4/2012 của Chính phủ Chính phủ quy định"
               ).body == "Chính phủ"


def test_a_plenum_before_the_number_with_a_comma_and_a_dash() -> None:
    r = one("Hội nghị lần thứ 6, Ban Chấp hành Trung ương Đảng - khóa XII, đã ban hành Nghị quyết "
            "số 19 – NQ/TW về nông nghiệp")
    assert (r.id, r.body) == ("19-NQ/TW", "Ban Chấp hành Trung ương")


def test_glued_abbreviations_and_numbers() -> None:
    found = refs("NQ19\nNghị quyết số 19-NQ/TW của Ban Chấp hành Trung ương (NQ19) về nông nghiệp; "
                 "công văn số 1212CV/TCTW ngày 2/3/2001 của Ban Tổ chức Trung ương")
    assert [(r.id, r.surface) for r in found] == [
        ("19-NQ/TW", "19-NQ/TW"), ("19-NQ/TW", "NQ19"), ("1212-CV/TCTW", "1212CV/TCTW")]


def test_the_own_number_in_a_title_in_capitals() -> None:
    title = ("THÔNG TƯ LIÊN TỊCH\nCỦA BỘ TÀI CHÍNH - BỘ NỘI VỤ SỐ 12/2001/TTLT-BTC-BNV NGÀY 2 "
             "THÁNG 3 NĂM 2001 HƯỚNG DẪN THỰC HIỆN")
    assert refs(title) == []
    # a title that cites another document keeps it
    assert [r.id for r in refs("BÁO CÁO TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024")] == [
        "57-NQ/TW"]


def test_an_office_holder_head_of_sample_i() -> None:
    assert one("Căn cứ Quyết định số 12/QĐ-KTNN ngày 02/8/2011 của Tổng Kiểm toán Nhà nước quy "
               "định chức năng").body == "Tổng Kiểm toán Nhà nước"


def test_deputies_and_the_holder_name_before_a_signing_verb() -> None:
    assert one("Thực hiện ý kiến chỉ đạo của Phó Thủ tướng Thường trực Chính phủ tại công văn số "
               "1021/VPCP-KTTH ngày 2/3/2011,").body == "Phó Thủ tướng Thường trực Chính phủ"
    assert one("Ngày 12-4, Chủ tịch UBND tỉnh Trần Văn Bình đã ký ban hành Chỉ thị 07/CT-UBND về "
               "kỷ cương").body == "Chủ tịch UBND tỉnh"
    # a place that starts like a person's name stays in the body
    assert one("Chủ tịch Uỷ ban nhân dân thành phố Hồ Chí Minh đã ký ban hành Quyết định số "
               "120/QĐ-UBND ngày 2/1/2009").body == "Chủ tịch Uỷ ban nhân dân thành phố Hồ Chí Minh"
