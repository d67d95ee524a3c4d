"""Names of party organisations in running text and title blocks ("Đảng bộ bộ phận Trung tâm Đo
lường Chất lượng Viễn thông", "Chi bộ 1", "ĐẢNG ỦY SƯ ĐOÀN 330"), their level, and provinces.

A name is a head ("Đảng bộ", "Chi bộ", "Đảng ủy", "Huyện ủy", ... from `data/units.yaml`)
followed by the organisation's own name. Vietnamese capitalises the first syllable of each word
of a name ("Trung tâm Đo lường Chất lượng"), so the name runs over capitalised syllables, each
followed by at most two lower-case ones, numbers ("Chi bộ 1"), and joiners before a capital
("Thông tin và Truyền thông", "Quản lý, Điều hành"). A line in capitals (a title block) is read
the same way, up to a word that ends a name ("KHÓA", "NHIỆM KỲ", "TRÌNH", "LẦN THỨ", ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.data import load_yaml
from pipeline.extract.numbers import fold

_SYLLABLE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?|\d+[A-Za-z]?|[,&–-]")
# Lower-case syllables that end a name: verbs and function words that follow names in prose.
_STOP = {
    "co", "la", "da", "duoc", "cua", "tai", "trong", "tu", "voi", "ve", "cho", "theo", "de",
    "nhiem", "khoa", "trinh", "lan", "nam", "ngay", "thang", "to", "tien", "thuc", "hien",
    "lanh", "chi", "dao", "tham", "cung", "cac", "nhung", "ban", "sau", "truoc",
    "va", "dang", "luon", "thuong", "xuyen", "tap", "trung", "trien", "khai", "nghiem", "tuc",
    "quan", "bam", "sat", "xay", "dung", "thanh", "lap", "ket", "nap", "dat", "hoan",
    "phu", "trach", "tiep", "noi", "chung", "rieng", "nay", "do", "vua", "qua", "se",
    "bao", "gom", "chiem", "tong", "so", "mot", "hai", "ba", "bon", "nhu", "neu", "khi",
    "nen", "thi", "ma", "vi", "boi", "o", "ra", "vao", "len", "xuong", "doi", "tuong", "cap",
    # adverbs and verbs that follow a name in news prose ("Đảng bộ huyện Chư Sê rất quan tâm")
    "rat", "xem", "biet", "deu", "van", "con", "lai", "moi", "nhan", "tang", "giam", "phat",
    "can", "phai", "hop", "quyet", "chu", "luu", "dong", "tich", "cuc", "chon",
}
_ADMIN_WORDS = {"tinh", "huyen", "xa", "phuong", "quan", "thanh", "thi"}
_HEAD_WORDS = {"dang", "chi", "huyen", "tinh", "thanh", "quan", "thi", "ban", "uy"}
_KHOI_STOP = {"ve", "cua", "tai", "da", "voi", "trong", "theo", "nham", "de", "va", "duoc",
              "la", "gom", "hien", "chiu", "se", "thi", "luon", "nhiem", "khoa", "lan", "nam",
              "ngay", "ket", "xay", "to", "tien", "thuc", "cap", "uy"}
# Verbs after a bloc's name, with their tone marks ("Đảng ủy Khối giám sát 3 tổ chức đảng",
# "Đảng ủy Khối Doanh nghiệp sơ kết ...").
_KHOI_STOP_MARKED = {"sơ", "giám", "kiểm", "lãnh", "chỉ", "tổng", "triển", "quán", "phát",
                     "thông", "biểu", "tặng", "trao", "ban"}
# Words that end a name written in capitals (a title line).
_CAPS_STOP = {"KHÓA", "KHOÁ", "NHIỆM", "TRÌNH", "LẦN", "TẠI", "VỀ", "NĂM", "GIAI",
              "NGÀY", "BÁO", "KẾT", "PHƯƠNG", "VÀ", "CỦA", "ĐỐI", "VỚI", "THỰC", "LÃNH", "TRONG",
              "ĐÃ", "LÀ", "CÓ"}
# "ĐẠI HỘI", "ĐẠI BIỂU" end a name in capitals; "ĐẠI THẮNG", "ĐẠI LỘC" are names.
# "TỔ CHỨC ĐẠI HỘI", "TIẾN HÀNH", "LONG TRỌNG": verbs of a headline ("CHI BỘ TRƯỜNG THCS
# KIẾN GIANG TỔ CHỨC ĐẠI HỘI"); "BAN TỔ CHỨC" is a name.
_CAPS_STOP_BEFORE = {"ĐẠI": ("HỘI", "BIỂU"),
                     "TỔ": ("CHỨC ĐẠI", "CHỨC THÀNH", "CHỨC LỄ", "CHỨC HỘI"),
                     "TIẾN": ("HÀNH",), "LONG": ("TRỌNG",),
                     # The motto beside the letterhead, flattened into the same line.
                     "ĐẢNG": ("CỘNG SẢN",)}
# After these a bloc's name ends ("Đảng bộ Khối các cơ quan tỉnh xây dựng kế hoạch"): the
# place it serves, then only a capitalised place name may follow ("... tỉnh Lâm Đồng").
_KHOI_END = {"tinh", "uong", "pho"}
# A comma then these starts the place, not the rest of the name ("Đảng bộ phường Chợ Lớn,
# TP.HCM", "Đảng bộ xã Hợp Lý, tỉnh Phú Thọ").
_PLACE_AFTER_COMMA = {"tp", "tx", "tt", "q", "h", "tinh", "thanh", "huyen", "quan", "thi", "xa",
                      "phuong"}
# Syllables that fold to a stop word but, with their tone marks, finish a name ("Quân đội").
# "Quân đội", "Bệnh viện Đa khoa", "Chính phủ", "Công ty cổ phần".
_NAME_SYLLABLES = {"đội", "khoa", "phủ", "cổ"}
# After a comma these start a person's post, not the rest of the name.
_TITLE_AFTER_COMMA = {"bi", "pho", "chu", "uy", "giam", "hieu", "tong", "truong", "thu"}
_HAMLETS = {"ap", "thon", "khu", "to", "ban", "khom", "xom", "buon", "lang"}
# A kind of place written after a body's name: the place it serves ("Bệnh viện Đa khoa tỉnh").
_PLACE_AFTER_NAME = {"tinh", "huyen", "quan", "xa", "phuong"}
# A government body's acronym takes the kind of place after it ("Văn phòng UBND tỉnh").
_GOVERNMENT_ACRONYMS = {"UBND", "HĐND", "MTTQ", "UBMTTQ"}
# A kind of body written in lower case before its capitalised name.
_LOWER_KIND = re.compile(r"\s+(?:trường|công ty|bệnh viện|trung tâm|viện|ngân hàng|ấp|thôn|"
                         r"khu phố|tổ dân phố|bản|khóm|xóm|buôn|làng"
                         # "Đảng bộ cơ quan chính quyền Quận 3"
                         r"|cơ quan(?: chính quyền| dân chính đảng| Đảng)?)\s+(?=[A-ZĐÀ-Ỹ]|\d)"
                         # "Đảng bộ cơ quan chính quyền thị xã Hương Trà": then its place.
                         r"|\s+cơ quan(?: chính quyền| dân chính đảng)\s+"
                         r"(?=(?:thị xã|huyện|quận|thành phố|xã|phường|thị trấn)\s+[A-ZĐÀ-Ỹ\d])")
_LOWER_ORG = re.compile(r"\s+(sở|bộ|cục|tổng công ty|công ty|trường|viện|ban|khối)(?![\w])")


@dataclass(frozen=True)
class Name:
    head: str  # as written ("Đảng bộ bộ phận")
    org: str  # the organisation's own name ("Trung tâm Đo lường Chất lượng Viễn thông")
    start: int
    end: int

    @property
    def text(self) -> str:
        return f"{self.head} {self.org}".strip()

    @property
    def key(self) -> str:
        return re.sub(r"\s+", " ", fold(self.org)).strip(" ,")


@cache
def _data() -> dict:
    return load_yaml("units.yaml")


@cache
def _head_pattern() -> re.Pattern[str]:
    heads = sorted(_data()["unit_heads"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)",
                      re.IGNORECASE)


def find_names(text: str) -> list[Name]:
    """Every organisation name in `text` (a head followed by a name), in order."""
    names = []
    for m in _head_pattern().finditer(text):
        name = _read_name(text, m.start(), m.end())
        if name is not None:
            names.append(name)
    return names


def _read_name(text: str, start: int, head_end: int) -> Name | None:
    head = text[start:head_end]
    caps = head.isupper()
    pos = head_end
    end = head_end
    lower_run = 0
    pending: int | None = None  # a joiner waiting for a capital after it
    count = 0
    folded_khoi = fold(head).endswith("khoi")
    first_lower_end = head_end
    titled = False  # the last capitalised syllable was "Xxx" (a word may continue in lower case)
    prev_admin = False
    khoi_closed = False
    khoi_place = False  # the place after a closed bloc's name was checked
    kind = _LOWER_KIND.match(text, head_end)
    kind_end = kind.end() if kind else head_end
    # "Chi bộ thôn Chùa xã Minh Hòa": a hamlet's cell; the commune after it is where it is.
    hamlet = bool(kind and fold(kind.group()).split()[0] in _HAMLETS)
    prev_word = ""
    if fold(head) in _data()["committee_to_unit"]:
        # "Tỉnh ủy Vĩnh Long trao huy hiệu": a place's committee, its name capitalised throughout.
        prev_admin = True
    for m in _SYLLABLE.finditer(text, head_end):
        if m.start() < kind_end:
            # "Chi bộ trường Tiểu học Nguyễn Đình Chính": a kind of body in lower case before
            # its capitalised name belongs to the name.
            pos = m.end()
            continue
        gap = text[pos:m.start()]
        if gap.rstrip() == "." and prev_word in ("TP", "Tp", "TX", "Tx"):
            pass  # "Thành ủy TP.HCM": the abbreviation written against the name
        elif "\n" in gap or any(c in gap for c in ";:()[]\"“”."):
            break
        word = m.group()
        pos = m.end()
        f = fold(word)
        after_acronym = prev_word in _GOVERNMENT_ACRONYMS
        prev_cap = prev_word[:1].isupper()
        prev_name_syllable = prev_word in _NAME_SYLLABLES
        prev_word = word
        if pending is not None and text[pending] == "," and f in _TITLE_AFTER_COMMA:
            break  # "Đảng ủy khối các trường Đại học, Cao đẳng Hà Nội, Bí thư ...": a post
        if count and word[0].isupper() and _starts_another(text, m.start()):
            break  # "Chi bộ Sinh viên thuộc Đảng bộ Trường ...": a second body begins
        if word == "Đại" and re.match(r"\s+(?:hội|biểu)(?!\w)", text[m.end():]):
            break  # "Đảng bộ Văn phòng UBND tỉnh Đại hội lần thứ VIII"
        if after_acronym and f in _ADMIN_WORDS and count and not caps:
            end, count, prev_admin = m.end(), count + 1, True  # "Văn phòng UBND tỉnh"
            continue
        if hamlet and count and f in _ADMIN_WORDS:
            break
        if (f in _PLACE_AFTER_NAME and count and pending is None and not caps and not folded_khoi
                and not hamlet
                and not prev_admin
                and (prev_cap and lower_run == 0 or after_acronym or prev_name_syllable
                     # "Công an tỉnh", "Y tế huyện": a word of two syllables, then its place.
                     or lower_run == 1 and titled and word[0].islower())
                and (f in ("tinh", "huyen") or re.match(r"\s+(?:[A-ZĐÀ-Ỹ]|\d)", text[m.end():]))):
            # "Đảng bộ Bệnh viện Đa khoa tỉnh", "... Đa khoa huyện Kim Sơn": the place it serves;
            # only a capitalised place name may follow.
            end, count, prev_admin = m.end(), count + 1, True
            continue
        if pending is not None and f in _HEAD_WORDS:
            break  # "Đảng ủy Cục Viễn thông, Đảng ủy Bộ ...": a list of names, not one name
        if pending is not None and text[pending] in "–-" and word in _data()["site_after_dash"]:
            break  # "... Đảng bộ khối - Báo Hà Giang điện tử": the site's name after a headline
        if pending is not None and text[pending] == "," and f in _PLACE_AFTER_COMMA:
            break
        if word in ",&–-" or f == "va":
            if pending is not None or count == 0:
                break
            pending = m.start()
            continue
        if word[0].isdigit():
            if count == 0 and re.match(r"\s+(?:xã|phường|huyện|quận|tỉnh|thị|chi|đảng|tổ)\b",
                                       text[m.end():m.end() + 8]):
                break  # "sáp nhập Đảng bộ 3 xã Hợp Lý, ...": a count of units, not a name
            end, count, lower_run, pending, titled = m.end(), count + 1, 0, None, False
            continue
        if count == 0 and (f == "khoi" or f == "cac" and re.match(
                r"\s+cơ\s+quan(?!\w)", text[m.end():], re.IGNORECASE)):
            # "Đảng bộ Khối ...", "Đảng bộ các cơ quan Đảng TPHCM": a bloc, named in lower case.
            folded_khoi = True
        if khoi_closed and not word[0].isupper():
            break
        if khoi_closed and not khoi_place and not _province_follows(text, m.start()):
            break  # "Khối các cơ quan tỉnh Nguyễn Thị Hà": a person, not "... tỉnh Lâm Đồng"
        khoi_place = khoi_place or khoi_closed
        if caps:
            if not word.isupper() or word in _CAPS_STOP:
                break
            if word in _CAPS_STOP_BEFORE and re.match(
                    rf"\s+(?:{'|'.join(_CAPS_STOP_BEFORE[word])})(?!\w)", text[m.end():]):
                break
            end, count, pending = m.end(), count + 1, None
            continue
        if word[0].isupper():
            if count == 0 and f in ("tp", "tx"):
                prev_admin = True  # "Đảng bộ TP Thái Nguyên đứng ...": a place, then a verb
            if f == "dang" and fold(text[head_end:end]).endswith("dan chinh"):
                khoi_closed = True  # "Đảng ủy Dân Chính Đảng Trương Minh Thịnh": a person next
            end, count, lower_run, pending = m.end(), count + 1, 0, None
            # "MobiFone", "NOC": a whole word; "Trung" (of "Trung tâm"): may go on in lower case.
            titled = word[1:].islower() or len(word) == 1
            continue
        # A lower-case syllable continues a word begun with a capital ("Trung tâm"), or names
        # the bloc ("Đảng ủy khối các cơ quan trung ương").
        if folded_khoi:
            if (f in _KHOI_STOP or word in _KHOI_STOP_MARKED or count >= 8
                    or pending is not None and count < 3):
                break  # "Đảng ủy Khối và cấp ủy cơ sở": two bodies, not one name
            # "Khối các cơ quan và doanh nghiệp tỉnh": the joiner was inside the bloc's name.
            end, count, pending = m.end(), count + 1, None
            khoi_closed = f in _KHOI_END
            continue
        if count == 0 and pending is None and (f in _ADMIN_WORDS or f in ("pho", "xa", "tran")
                                               and prev_admin):
            # "Đảng bộ tỉnh Vĩnh Phúc", "Đảng bộ thị xã Điện Bàn": the kind of place, then
            # its name in capitals.
            prev_admin = True
            continue
        if f == "dang" and pending is None and fold(text[head_end:end]).endswith("dan chinh"):
            # "Đảng bộ Dân chính đảng": the bloc of party, state and mass bodies.
            end, count, khoi_closed = m.end(), count + 1, True
            continue
        if (pending is not None or count == 0 or _stops(word, f) and word not in _NAME_SYLLABLES
                or not titled and lower_run == 0):
            break
        if prev_admin:
            break  # a place's name is capitalised throughout: "xã Hòa Thạnh bước vào ..."
        lower_run += 1
        if lower_run > 3:
            break
        if lower_run == 1:
            first_lower_end = m.end()
        end = m.end()
    if count == 0:
        return None
    if lower_run > 1:
        # Lower-case syllables at the end: one finishes a word ("Viễn thông"); more are prose
        # ("Cục Viễn thông chuẩn bị").
        end = first_lower_end
    org = text[head_end:end].strip(" ,–-")
    return Name(head=head, org=org, start=start, end=end)


def _stops(word: str, folded: str) -> bool:
    """Whether a lower-case syllable ends a name: a stop word, with its own tone marks when
    the folded form is shared by a syllable of names ("là" stops, "lá" of "Thuốc lá" does not;
    "do"/"độ" of "Chế độ"; "cực"/"cục" of "Chi cục")."""
    if folded not in _STOP:
        return False
    marked = _data().get("stop_marks", {}).get(folded)
    return marked is None or word.lower() in marked


def _starts_another(text: str, at: int) -> bool:
    """Whether a second unit's head ("Đảng bộ", "Chi bộ", "Đảng ủy") begins at `at`: "Chi bộ
    Sinh viên thuộc Đảng bộ Trường X" names two bodies. A place's committee may end a body's
    name ("Văn phòng Tỉnh ủy")."""
    m = _head_pattern().match(text, at)
    return m is not None and fold(m.group()).split()[0] in ("dang", "chi")


def _province_follows(text: str, at: int) -> bool:
    """Whether the capitalised words at `at` name a province ("Lâm Đồng", "TPHCM")."""
    words = re.match(r"[^\W\d_]+(?:\s+[^\W\d_]+){0,3}", text[at:])
    if words is None:
        return False
    parts = words.group().split()
    return any(province_of(" ".join(parts[:n])) for n in range(len(parts), 0, -1)
               if all(w[:1].isupper() for w in parts[:n]))


def lower_org_word(text: str, head_end: int) -> str | None:
    """"Đảng ủy sở" -> "sở": a head followed by a common noun for its organisation."""
    m = _LOWER_ORG.match(text, head_end)
    return m.group(1) if m else None


def level_of(name: str) -> str | None:
    """The level id of a unit name ("Đảng bộ xã Phú Lâm" -> "dang_bo_co_so")."""
    f = re.sub(r"\s+", " ", fold(name)).strip()
    for level in _data()["levels"]:
        for pattern in level["patterns"]:
            if re.match(pattern, f):
                return str(level["id"])
    return None


LEVEL_RANK = {"chi_bo": 1, "dang_bo_bo_phan": 2, "dang_bo_co_so": 3,
              "dang_bo_cap_tren_co_so": 4, "cap_tinh": 5, "dang_uy_khoi": 5}


def committee_unit(name: Name) -> Name:
    """"Huyện ủy Thoại Sơn" (the committee) -> "Đảng bộ huyện Thoại Sơn" (the unit);
    "Đảng ủy X" -> "Đảng bộ X"."""
    f = fold(name.head)
    mapping = _data()["committee_to_unit"]
    if f in mapping and re.match(r"(?:tp|tx)(?:\.|\s|hcm\b)|(?:thanh pho|thi xa)\s",
                                      fold(name.org)):
        return Name("Đảng bộ", name.org, name.start, name.end)  # "Thành ủy TP.HCM"
    if f in mapping:
        return Name(mapping[f], name.org, name.start, name.end)
    if f in ("dang uy",):
        return Name("Đảng bộ", name.org, name.start, name.end)
    return name


def not_parent(org_key: str) -> bool:
    return any(re.fullmatch(p, org_key) for p in _data()["not_parent"])


@cache
def _provinces() -> dict[str, str]:
    """Folded spelling -> province name as written in the data (both eras)."""
    data = _data()
    names: dict[str, str] = {}
    for name in list(data["provinces_before_2025"]) + list(data["provinces_2025"]):
        names[fold(name).replace(" - ", " ").replace("-", " ")] = name
    for alias, name in data["province_aliases"].items():
        names[fold(alias)] = name
    return names


def merged_into(province: str) -> str | None:
    """The 2025 province a province of either era is or became part of ("Bắc Kạn" -> "Thái
    Nguyên", "Hà Nội" -> "Hà Nội"), else None."""
    name = province_of(province)
    if name is None:
        return None
    before = _data()["provinces_before_2025"]
    return before.get(name, name if name in _data()["provinces_2025"] else None)


def province_of(text: str) -> str | None:
    """The province named by `text` exactly ("An Giang", "TP HCM"), else None."""
    key = re.sub(r"\s+", " ", fold(text).replace("–", " ").replace("-", " ")).strip(" ,.")
    key = re.sub(r"^(?:tinh|thanh pho|tp\.?)\s+", "", key)
    return _provinces().get(key)


@cache
def province_pattern() -> re.Pattern[str]:
    """Folded "tỉnh X" / "thành phố X" / "TP X" for every province X."""
    alts = "|".join(sorted((re.escape(k) for k in _provinces()), key=len, reverse=True))
    # "TP.HCM", "TPHCM": the abbreviation is written against the name.
    return re.compile(rf"(?<!\w)(?:tinh\s+|thanh pho\s+|tp\.?\s*)(?P<p>{alts})(?!\w)")


def provinces_named(text: str) -> list[str]:
    folded = fold(text)
    return [_provinces()[m.group("p")] for m in province_pattern().finditer(folded)]
