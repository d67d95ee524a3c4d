"""Metadata: who reported, at which level, under which parent, where, for which term, when, and
whether the file is a draft (`Meta`).

Where each field comes from, strongest evidence first:
- unit: the title block (the organisation lines above the title: a two-line block "ĐẢNG BỘ
  HUYỆN PHÚ TÂN / ĐẢNG BỘ XÃ PHÚ LÂM" is parent then unit; "HUYỆN ỦY X" names the committee of
  "Đảng bộ huyện X"); then a title line "... CỦA ĐẢNG BỘ X NHIỆM KỲ ..." anywhere; then the name
  the text uses most (short forms such as "Đảng bộ bộ phận Trung tâm" count for the full name
  they begin).
- unit_level: from the unit's name (`data/units.yaml`); a bare "Đảng bộ X" whose text speaks of
  its own "Đảng ủy" and "chi bộ trực thuộc" is a "dang_bo_co_so"; otherwise "dang_bo".
- parent: the first organisation line of a two-line title block; else the organisation of a
  higher level that the text names most ("Đảng ủy Cục Viễn thông"), never the unit itself.
- province: the place of the date line when it is a province ("An Giang, ngày 15 tháng 3 năm
  2025"), a province in the unit or parent name, else a "tỉnh X" the text names at least twice.
  Names of both eras (63 before July 2025, 34 after) are recognised and kept as printed.
- term: the term of the congress the document is for, as titles give it ("TRÌNH ĐẠI HỘI ...
  NHIỆM KỲ 2025-2030"); reviewed_term: the term whose results it reviews ("KẾT QUẢ ... NHIỆM KỲ
  2020-2025"). When only one is stated the other is the term the text names that meets it
  ("Trong nhiệm kỳ 2015-2020" before a 2020-2025 congress); a lone term without cue is `term`.
- date: the date line of the title block, or a news dateline ("Thứ Năm, 28/05/2020",
  "Sáng ngày 23/1/2013, tại Hà Nội"); a cited document's date is never the report's date.
  year: the date's year, else the year the congress term begins (when both terms are known).
- draft: "DỰ THẢO" as a running header or a title-block line.

Users override any field with a sidecar file beside the input (`report.pdf.meta.yaml`,
`report.meta.yaml` or `.json`; keys are the `Meta` field names) or with CLI options
(pipeline/cli/common.py: `add_metadata_options`); the order is extracted < sidecar < options.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.data import load_yaml
from pipeline.extract.dates import DATE_PATTERN, iso_date, match_date
from pipeline.extract.form import DocumentForm
from pipeline.extract.gazetteer import district_named, lookup, province_for
from pipeline.extract.numbers import fold
from pipeline.extract.sidecar import load_sidecar, sidecar_paths  # noqa: F401 - re-exported
from pipeline.extract.unit_names import (
    LEVEL_RANK,
    Name,
    committee_unit,
    find_names,
    level_of,
    lower_org_word,
    merged_into,
    not_parent,
    province_of,
    provinces_named,
)
from pipeline.ingest.normalize import match_form
from pipeline.model import Document, Meta

__all__ = ["extract_metadata", "read_sidecar", "apply_overrides", "META_FIELDS"]

META_FIELDS = tuple(f.name for f in fields(Meta)
                    if f.name not in ("doc_type_confidence", "evidence"))
_TITLE_BLOCKS = 14
_TERM = re.compile(r"nhiem ky\s*(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)")
_CONGRESS_CUE = re.compile(r"(?:trinh|tai|to chuc|khai mac|ve du)\s+dai hoi|dai hoi.{0,60}"
                           r"lan thu|phuong huong|muc tieu|nhiem vu,? giai phap|dai hoi\s*$")
_TERM_CUE = re.compile(r"ket qua|tong ket|danh gia|kiem diem|thuc hien nghi quyet")
_DATELINE = re.compile(r"^\s*(?P<place>[^\d,;:]{2,40}?),\s*(?i:ngày)\s+(?:" + DATE_PATTERN + ")")
_WEEKDAY = re.compile(r"(?i:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,?\s*")
_NEWS_DATE = re.compile(r"^(?:(?i:sáng|chiều|tối|trưa)\s+)?(?i:ngày)\s+")
_DRAFT = re.compile(r"^\W*du thao\W*$")
_TITLE_OF = re.compile(
    r"(?:(?:CỦA|Của|của)\s+(?:BAN CHẤP HÀNH\s+|Ban Chấp hành\s+|BCH\s+)?"
    r"|(?:ĐẠI HỘI|Đại hội)\s+(?:(?:ĐẠI BIỂU|Đại biểu|đại biểu)\s+)?)")
_SELF_CUES = re.compile(r"chi bo truc thuoc|dang uy (?:trung tam|cong ty|nha truong|co quan)")


def extract_metadata(doc: Document, doc_type: str | None = None,
                     form: DocumentForm | None = None) -> Meta:
    """The metadata of one document (doc_type is the classifier's, kept as given). `form` is
    the document's printed form (`extract.form.parse_form`): its letterhead and title are read
    before the body. `meta.evidence` says where unit, level, parent and province came from."""
    # "Ð" (Latin eth) is typed for "Đ" on some sites ("Ðại hội", "huyện Phong Ðiền").
    blocks = [b.text.translate(_ETH) for b in doc.blocks if b.text]
    title = _title_block(blocks)
    text = doc.text.translate(_ETH)
    meta = Meta(doc_type=doc_type)
    unit, parent, source = _unit_and_parent(title, blocks, text, form)
    if unit is not None:
        meta.unit = _display(unit, text)
        if _full_key(unit) == re.sub(r"\s+", " ", _company_forms().sub(" ", fold(meta.unit))
                                     ).strip() and meta.unit != unit.text:
            # The fuller form printed ("Đảng bộ Công ty ... Cao su Chư Păh") says the level.
            unit = Name(unit.head, meta.unit[len(unit.head):].strip(), unit.start, unit.end)
        meta.unit_level = _level(unit, text)
        meta.evidence["unit"] = f"{source}: {unit.text}"
        meta.evidence["unit_level"] = f"the unit's name: {meta.unit}"
    elif source != "several" and (named := _unit_by_place(title, text)) is not None:
        # "Đại hội Đảng bộ xã lần thứ XXIV" ... "tại xã Linh Hồ": a unit named by its kind
        # only, in a text naming one place of that kind.
        meta.unit, evidence = named
        meta.unit_level = level_of(meta.unit)
        meta.evidence["unit"] = evidence
        meta.evidence["unit_level"] = f"the unit's name: {meta.unit}"
    elif source != "several":
        # "Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX" with no name: the level, not a unit.
        kinds = {m.group("kind").lower() for m in _NAMELESS_CONGRESS.finditer(text)}
        if len(kinds) == 1:
            meta.unit_level = level_of(f"Đảng bộ {kinds.pop()} X")
            meta.evidence["unit_level"] = "a congress of a unit not named: " + \
                _NAMELESS_CONGRESS.search(text).group()
    if parent is not None:
        meta.parent = _display(parent, text)
        meta.evidence["parent"] = f"{source if source == 'letterhead' else 'body'}: {parent.text}"
    meta.date, place = _date(title, blocks, doc_type)
    if form is not None and form.place:
        place = form.place
    meta.reviewed_term, meta.term = _terms(title, blocks)
    if meta.date:
        meta.year = int(meta.date[:4])
    elif meta.term and meta.reviewed_term:
        meta.year = int(meta.term[:4])  # the congress is held as its term begins
    national = None if meta.unit else _national_issuer(title, form)
    if national:
        # "Bộ trưởng Bộ Công Thương", "Thủ tướng Chính phủ": a national body's document is
        # no province's, whatever its date line ("Hà Nội, ngày ...") or the places it names,
        # unless its title is about one ("... thành lập thị xã Chí Linh, tỉnh Hải Dương"; not
        # "Tổng công ty Điện lực thành phố Hà Nội", a company's name).
        about = re.search(r"(?:(?<!\w)tinh\s|,\s*thanh pho\s|tren dia ban\s+(?:thanh pho|tp)\s)",
                          fold(title[0])) if title else None
        named = provinces_named(title[0][about.start():]) if about else []
        meta.province = named[0] if named else None
        if named:
            meta.evidence["province"] = f"title of a national body's document: {title[0]}"
    else:
        meta.province, meta.evidence["province"] = _province(place, meta, title, text)
        if meta.province is None:
            del meta.evidence["province"]
    if meta.province is None and meta.unit is None and meta.unit_level:
        # "Đại hội Đại biểu Đảng bộ huyện lần thứ XIII" and "Huyện Thoại Sơn đang tích cực ...":
        # the places of the congress's kind the text names, when they agree on one province.
        kinds = {m.group("kind").lower() for m in _NAMELESS_CONGRESS.finditer(text)}
        places = [m.group() for kind in kinds for m in re.finditer(
            rf"(?i:{kind})\s+[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*)*", text)]
        hit = province_for(places) if places else None
        if hit is not None:
            meta.province = hit.province
            meta.evidence["province"] = f"gazetteer ({hit.era}): {hit.place}"
    renamed = {v: k for k, v in load_yaml("units.yaml").get("gazetteer_legacy_names",
                                                          {}).items()}
    if meta.province in renamed and not (meta.year and meta.year < 2025) and \
            "gazetteer" in meta.evidence.get("province", ""):
        # The gazetteer's "Thừa Thiên Huế" is the name of its time only for a document dated
        # before 2025 (a text naming it so keeps it).
        meta.province = renamed[meta.province]
    meta.draft = _draft(doc, title)
    return meta


# -- title block ---------------------------------------------------------------------------------


def _title_block(blocks: list[str]) -> list[str]:
    """The short lines before the body starts (organisation, motto, date, title)."""
    out: list[str] = []
    for text in blocks[:_TITLE_BLOCKS]:
        f = fold(text)
        if len(text) > 250 or re.match(r"(?:phan thu|[ivx]+\.|a\.|1\.)\s", f):
            break
        out.append(text)
    return out


def _title_names(title: list[str]) -> list[Name]:
    """Organisation lines of the title block: a line that is one name and nothing else."""
    names = []
    for line in title:
        stripped = line.strip(" *-–")
        found = find_names(stripped)
        if found and found[0].start == 0 and len(found[0].text) >= len(stripped) - 1:
            names.append(found[0])
    return names


# -- unit and parent -----------------------------------------------------------------------------


def _unit_and_parent(title: list[str], blocks: list[str], text: str,
                     form: DocumentForm | None = None
                     ) -> tuple[Name | None, Name | None, str]:
    """(unit, parent, where the unit was read): the letterhead first, then a title that
    names the unit ("BÁO CÁO CHÍNH TRỊ CỦA BCH ĐẢNG BỘ XÃ ĐẠI THẮNG", "ĐẠI HỘI ĐẢNG BỘ TỈNH
    TIỀN GIANG"), then the body (the name it uses most)."""
    heads = _form_names(form) or _title_names(title)
    parent: Name | None = None
    source = "letterhead"
    prefixed = _prefixed_headline(blocks[0]) if blocks else None
    if prefixed is not None:
        # "ĐẢNG BỘ XÃ ĐỨC HẠNH: ĐẠI HỘI CHI BỘ TRƯỜNG THCS ...": the body after the colon
        # holds the congress; the one before it is its parent.
        parent, unit = prefixed
        source = "title"
    elif len(heads) >= 2:
        parent, unit = heads[0], committee_unit(heads[1])
    elif len(heads) == 1:
        unit = committee_unit(heads[0])
    else:
        titles = [form.title] if form is not None and form.title else []
        unit = _titled_unit(titles + blocks)
        source = "title"

        if unit is None and blocks and (_SEVERAL_UNITS.search(blocks[0])
                                        or len(blocks[0]) <= 200
                                        and _COUNTED_UNITS.search(blocks[0])
                                        or _several_in_lead(blocks)):
            # "Khai mạc Đại hội Đảng bộ xã Hòa Thạnh, phường Tân Hội và Phường 4": a headline
            # on several units speaks for none of them (nor gives one level).
            return None, None, "several"
        if unit is None:
            unit, source = _frequent_unit(text, blocks[0] if blocks else ""), "body"
    if unit is None:
        return None, None, source
    if source == "title" and unit.text.isupper():
        unit = _body_form(unit, text)
    if parent is None:
        parent = _parent_from_text(unit, text)
        if parent is not None and _full_key(parent) == _full_key(unit):
            parent = None  # the unit's own fuller name, not its parent
    return unit, parent, source


# The opening of a news lead before its subject: the paper's tag, a date ("Ngày 5.10,").
_LEAD_OPENING = re.compile(r"^\s*(?:\([^()]{0,40}\)\s*[-–]?\s*)?(?:(?:(?i:ngày|sáng|chiều|tối|"
                           r"trưa|hôm qua|vừa qua))[^,]{0,30},\s*)?")


def _several_in_lead(blocks: list[str]) -> bool:
    """A lead whose subject is several units ("Ngày 5.10, Đảng bộ các xã Thanh Hải (Thanh Hà),
    Quang Phục (Tứ Kỳ) kỷ niệm ..."): the text speaks for none of them."""
    lead = next((b for b in blocks[1:4] if len(b) > 80), "")
    opening = _LEAD_OPENING.match(lead)
    return bool(lead and _SEVERAL_UNITS.match(lead, opening.end() if opening else 0))


_CONGRESS_AFTER_COLON = re.compile(r"\s*[:–-]\s*(?:(?i:đại hội)\s+(?:(?i:đại biểu)\s+)?)")


def _prefixed_headline(headline: str) -> tuple[Name, Name] | None:
    """(parent, unit) of a headline "NAME1: Đại hội NAME2" whose first name opens it."""
    if len(headline) > 200:
        return None
    names = find_names(headline)
    if len(names) < 2 or names[0].start != 0:
        return None
    m = _CONGRESS_AFTER_COLON.match(headline, names[0].end)
    if m is None or names[1].start != m.end():
        return None
    return names[0], committee_unit(names[1])


def _body_form(unit: Name, text: str) -> Name:
    """A name read from a headline in capitals, which has no case to end it ("ĐẢNG BỘ BỆNH
    VIỆN ĐA KHOA PHẤN ĐẤU ĐẠT ..."): when the body never writes it so, the body's name that
    begins as it does ("Đảng bộ Bệnh viện Đa khoa Cao su Lộc Ninh")."""
    words = _full_key(unit).split()
    body = "\n".join(line for line in text.split("\n") if not line.isupper())
    if _full_key(unit) in _full_key(Name("", fold(body), 0, 0)):
        return unit
    best: tuple[int, int, Name] | None = None
    for name in find_names(text):
        if name.text.isupper():
            continue
        other = _full_key(name).split()
        common = next((i for i, (a, b) in enumerate(zip(words, other, strict=False)) if a != b),
                      min(len(words), len(other)))
        if 4 <= common < len(other) and (best is None or (common, len(other)) > best[:2]):
            best = (common, len(other), name)
    return best[2] if best is not None else unit


_SCHOOL_COMMITTEE = re.compile(r"(?<!\w)(?i:đảng (?:ủy|uỷ|bộ)) nhà trường(?!\w)")
_SCHOOL = re.compile(r"(?<!\w)Trường\s+(?:(?:Đại học|Cao đẳng|Trung cấp|THPT|THCS)\s+)?"
                     r"[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*){0,5}")


def _own_school(text: str) -> Name | None:
    """"Đảng ủy nhà trường" ("the school's committee") in a text naming one school most: that
    school's unit ("Trường Đại học Thủ Dầu Một ... Đảng ủy nhà trường")."""
    if not _SCHOOL_COMMITTEE.search(text):
        return None
    schools = Counter(m.group() for m in _SCHOOL.finditer(text))
    ranked = schools.most_common(2)
    if not ranked or len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
        return None
    school = ranked[0][0]
    at = text.find(school)
    return Name("Đảng bộ", school, at, at + len(school))


def _form_names(form: DocumentForm | None) -> list[Name]:
    """The party names of the letterhead the form parser found (parent line, then issuer)."""
    if form is None or not form.issuer:
        return []
    out = []
    for line in (form.parent, form.issuer):
        if not line:
            continue
        found = find_names(line.strip(" *-–"))
        if found and found[0].start == 0:
            out.append(found[0])
    return out


def _titled_unit(blocks: list[str]) -> Name | None:
    """"TỔNG KẾT CÔNG TÁC CỦA ĐẢNG BỘ BỘ PHẬN X NHIỆM KỲ ..." or "BÁO CÁO ... CỦA BCH ĐẢNG BỘ X"."""
    for text in blocks:
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
            continue
        for m in _TITLE_OF.finditer(text):
            if re.search(r"nghi quyet\s*$", fold(text[:m.start()])) and \
                    not re.match(r"\W*nghi quyet", fold(text)):
                continue  # "HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT ĐẠI HỘI ... ĐẢNG BỘ SỞ Y TẾ": another's
            found = find_names(text[m.end():])
            if found and found[0].start == 0:
                return committee_unit(found[0])
    return None


def _frequent_unit(text: str, headline: str = "") -> Name | None:
    """The unit the body speaks for: the name it uses most (a committee "Huyện ủy Bảo Lâm"
    counts for its unit "Đảng bộ huyện Bảo Lâm"; short forms count for the full name they
    begin) when it is used more than any other; a name the text gives counts for ("Đảng bộ
    tỉnh Vĩnh Phúc có 261 Đảng bộ cơ sở") weighs more. Several names used alike: None, not a
    guess."""
    # "Đảng ủy X" names a committee, mostly of other bodies ("Đảng ủy Cục Viễn thông").
    # A bloc's committee ("Đảng ủy Khối các cơ quan tỉnh") is the bloc's own.
    names = [committee_unit(n) for n in find_names(text) if fold(n.head) != "dang uy"
             # The committee of an agency, a police or a military command is its own unit's
             # ("Đảng ủy cơ quan Đảng – Đoàn thể", "Đảng ủy Quân sự tỉnh").
             or re.match(r"(?:khoi|cac co quan|co quan|dan chinh dang|xa|phuong|thi tran"
                         r"|(?:quan su|cong an|bo chi huy quan su|bo doi bien phong)"
                         r" (?:tinh|thanh pho|huyen|quan|thi xa))\b", fold(n.org))]
    listed = _listed_names(text, names)
    captions = _caption_spans(text)
    names = [n for n in names if not any(a <= n.start < b for a, b in captions)]
    names = [n for n in names if n.org and not _generic_org(n) and not _elsewhere(text, n)
             and not _PLACES_JOINED.match(fold(n.org)) and n not in listed]
    held = _congress_holders(text, names)
    names += [n for n in held if n not in names]
    if not names:
        # No unit named but by its committee ("Đảng ủy BĐBP", "Đảng ủy KTNN" all along): the
        # body of that committee, named by its own capitalised name or acronym.
        names = [Name("Đảng bộ", n.org, n.start, n.end) for n in find_names(text)
                 if fold(n.head) == "dang uy" and n.org[:1].isupper()
                 and not any(a <= n.start < b for a, b in captions)
                 and not _generic_org(n) and not _elsewhere(text, n)]
        if len(names) < 2:
            return _own_school(text)
    scored: dict[str, tuple[int, int, Name]] = {}
    for name in names:
        key = _full_key(name)
        # Short forms ("Đảng bộ bộ phận Trung tâm") count for the full name they begin.
        score = sum(1 for other in names if key.startswith(_full_key(other)))
        counted = bool(_COUNTS_AFTER.match(text, name.end)) or name in held
        best = scored.get(key)
        cand = (score + 2 * counted, len(key), name)
        if best is None or cand[:2] > best[:2]:
            scored[key] = cand
    # "Đảng bộ tỉnh hiện có 944 ...", "Đảng bộ có 66 ...": the unit speaking of itself without
    # its name counts for the one named unit of that kind.
    for m in _SELF_MENTION.finditer(text):
        kind = fold(m.group("kind") or "")
        # The kind of the unit, right after its head ("Đảng bộ tỉnh X"; not the "tỉnh" that
        # ends "Đảng bộ Khối cơ quan và doanh nghiệp tỉnh").
        fits = [k for k, c in scored.items()
                if re.match(rf"\S+\s+\S+\s+{kind}(?!\w)", fold(c[2].text))]
        if len(fits) == 1:
            score, length, name = scored[fits[0]]
            scored[fits[0]] = (score + 1, length, name)
    # "... trực thuộc Huyện ủy": a place's committee written bare stands for the one named unit
    # of that kind ("Huyện ủy Tân Hồng" over "Đảng ủy xã Tân Hộ Cơ", an example).
    bare = {_COMMITTEE_OF[fold(m.group(1))] for m in _BARE_COMMITTEE.finditer(text)
            if not (m.group("next").isupper() or m.group("next").isdigit())}
    for kind in bare:
        fits = [k for k, c in scored.items() if re.match(rf"dang bo {kind} ", _full_key(c[2]))]
        if len(fits) == 1:
            score, length, name = scored[fits[0]]
            scored[fits[0]] = (score + 1, length, name)
    # "Hà Nội thi hành kỷ luật ..." over "... của Ban Chấp hành Đảng bộ TP Hà Nội": the unit of
    # the place a headline opens with (the headline's subject) weighs more.
    groups = _capitalised_groups(headline) if len(headline) <= 150 else []
    subject = fold(" ".join(groups[0][1])) if groups and groups[0][0] == 0 else ""
    # "Huyện ủy Tân Hồng tổng kết ...": a place's committee opening the headline is its subject.
    opening = {_full_key(committee_unit(n)) for n in find_names(text[:200])
               if n.start == 0 and fold(n.head) in _PLACE_COMMITTEES}
    for key, (score, length, name) in list(scored.items()):
        if key in opening:
            score += 2
            scored[key] = (score, length, name)
        place = re.sub(r"^(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|xa|phuong|thi tran)\s+", "",
                       fold(name.org).strip(" ,"))
        if subject and place == subject:
            scored[key] = (score + 2, length, name)
    ranked = sorted(scored.values(), key=lambda c: c[:2], reverse=True)
    top = ranked[0]
    runner = next((c for c in ranked[1:] if not _full_key(top[2]).startswith(_full_key(c[2]))),
                  None)
    if runner is not None and runner[0] >= top[0]:
        return None
    lead = text.find("\n", text.find("\n") + 1)
    if top[0] == 1 and top[2].start > max(lead, 300) and len(text) > 1500:
        # Named once, deep in a long text (a photo caption, an example), in a text that does
        # not speak of itself by the name's head ("Đảng bộ đã ...", as a unit's own report
        # does): not who speaks.
        head = fold(top[2].head).split()[:2]
        bare = len(re.findall(rf"(?<!\w){' '.join(head)}(?!\w)", fold(text)))
        named = sum(1 for n in find_names(text) if fold(n.head).split()[:2] == head)
        if bare - named < 2:
            return None
    return top[2]


@cache
def _caption_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = load_yaml("units.yaml")["captions"]
    marked = re.compile(r"(?:" + "|".join(words["markers"]) + r")\s*:[^\n]*"
                        r"|\((?:" + "|".join(words["markers"]) + r")[^()\n]*\)")
    verbs = re.compile(r"(?<!\w)(?:" + "|".join(words["verbs"]) + r")(?!\w)")
    return marked, verbs


def _caption_spans(text: str) -> list[tuple[int, int]]:
    """Photo captions: "Trong ảnh: Lễ kết nạp đảng viên tại Chi bộ Công ty ...", and a short
    line of its own after the lead whose verb shows a scene ("Đảng ủy xã Phù Ninh trao tặng Huy
    hiệu Đảng cho các đảng viên."). A unit named only there is not who speaks."""
    marked, verbs = _caption_patterns()
    spans = [(m.start(), m.end()) for m in marked.finditer(text)]
    pos = 0
    for n, line in enumerate(text.split("\n")):
        if n >= 2 and 0 < len(line.strip()) <= 120 and line.count(". ") == 0 \
                and verbs.search(fold(line)):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})
_PLACE_COMMITTEES = {"tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy"}
# "Đảng bộ huyện Thạch Hà và Can Lộc": two places, two units.
_PLACES_JOINED = re.compile(r"(?:huyen|quan|xa|phuong|thi xa|thi tran|tinh|thanh pho)\s.+"
                            r"(?:\sva|,)\s")


def _listed_names(text: str, names: list[Name]) -> list[Name]:
    """Names of a list of several units ("các chi bộ khối Văn phòng, chi bộ khối Sản xuất ...
    tổ chức đại hội"): after a plural "các", or joined to the name before by "," or "và"."""
    out = []
    for k, name in enumerate(names):
        before = fold(text[max(0, name.start - 6):name.start])
        joined = k and re.fullmatch(r"\s*(?:,|va)\s*", text[names[k - 1].end:name.start])
        # "các chi bộ ...", "4 Đảng bộ khối cơ quan, doanh nghiệp": units counted, not one unit.
        if re.search(r"(?<!\w)cac\s*$|(?<![\w/.,:-])\d{1,3}\s+$", before) or joined:
            out.append(name)
            if joined and names[k - 1] not in out:
                out.append(names[k - 1])
    return out


def _elsewhere(text: str, name: Name) -> bool:
    """A name the text mentions as another body: the congress the unit works toward or sends
    delegates to ("tiến tới Đại hội đại biểu Đảng bộ tỉnh X", "đi dự Đại hội Đảng bộ huyện
    Y"), or the issuer of a cited directive ("Kế hoạch số 104-KH/HU ... của Ban Thường vụ
    Huyện ủy Z")."""
    before = fold(text[max(0, name.start - 90):name.start])
    return bool(_TOWARD.search(before) or _CITED_ISSUER.search(before)
                or _CITED_CONGRESS.search(before) and _level_above(name, text))


# "Nghị quyết Đại hội Đảng bộ Quân đội lần thứ XI": a cited resolution of a congress.
_CITED_CONGRESS = re.compile(r"nghi quyet\s+(?:so\s+\S+\s+)?(?:cua\s+)?dai hoi"
                             r"(?:\s+(?:dai bieu|toan quoc))?\s*$")


def _level_above(name: Name, text: str) -> bool:
    """Whether a cited congress's body is above the text's other units (a unit's own report
    cites its own congress's resolution, which still names it)."""
    rank = LEVEL_RANK.get(level_of(name.text) or "", 0)
    others = [LEVEL_RANK.get(level_of(n.text) or "", 0) for n in find_names(text)
              if _full_key(n) != _full_key(name)]
    return bool(others) and rank > max(others)


# Not a guest "về dự Đại hội Đảng bộ xã X" (X holds it): a delegation "(đi) dự".
_TOWARD = re.compile(r"(?:tien toi|huong toi|(?<!\w)di du|dai bieu (?:di )?du)\s+dai hoi"
                     r"(?:\s+(?:dai bieu|dang vien))?\s*$")
_CITED_ISSUER = re.compile(r"(?<!\w)so\s*:?\s*\d[^;.]{0,70}?\s+cua\s+"
                           r"(?:ban (?:thuong vu|chap hanh)\s+|btv\s+)?$")


def _congress_holders(text: str, names: list[Name]) -> list[Name]:
    """The names whose congress the text reports ("Đại hội Chi bộ trường Tiểu học X nhiệm kỳ",
    "Đảng bộ Văn phòng UBND tỉnh Đại hội lần thứ VIII"). A holder named by its kind alone
    ("Đại hội đại biểu Đảng bộ Trường lần thứ XXXI") stands for the one body of that kind the
    text names in full, its committee included ("Đảng ủy Trường Đại học GTVT")."""
    held = []
    for name in names:
        before = _HELD_BEFORE.search(text, max(0, name.start - 30), name.start)
        if before and _NOT_HELD.search(fold(text[max(0, before.start() - 25):before.start()])):
            continue  # "tiến tới Đại hội ...", "Nghị quyết Đại hội ...": another congress
        joined = re.search(r"\svà\s*$", text[max(0, name.start - 5):name.start])
        if before or _HELD_AFTER.match(text, name.end) and not joined:
            held.append(name)  # not "Đảng bộ huyện A và Đảng bộ huyện B đã tổ chức ..."
    for m in _HELD_BARE.finditer(text):
        kind = m.group("kind")
        full = {n.key: n for n in find_names(text)
                if n.org.startswith(kind + " ") and n.org[len(kind) + 1:][:1].isupper()}
        if len(full) == 1:
            held.append(committee_unit(next(iter(full.values()))))
    return held


_NAMELESS_CONGRESS = re.compile(
    # Not a cited resolution's congress ("Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh").
    r"(?<!Nghị quyết )(?<!Nghị Quyết )(?<!nghị quyết )Đại hội\s+(?:đại biểu\s+)?(?i:Đảng bộ)"
    r"\s+(?P<kind>tỉnh|huyện|xã|phường|thị trấn|quận|thị xã)"
    r"(?=\s+(?:lần thứ|khóa|khoá|nhiệm kỳ)\b|[ \t]*(?:\n|$))")
# Words before "Đại hội" that make it another body's congress: an upcoming one the unit works
# toward, one it sends delegates to, a cited resolution of one.
_NOT_HELD = re.compile(r"(?:tien toi|huong toi|chao mung|(?<!\w)di du|dai bieu du|nghi quyet"
                       r"|van kien|trinh)\s*$")
_HELD_BEFORE = re.compile(r"Đại hội\s+(?:(?:đại biểu|Đại biểu|đảng viên)\s+)?$")
_HELD_AFTER = re.compile(r"\s*(?:(?:đã|sẽ|long trọng|tổ chức|tiến hành|thành công|điểm)\s+)*"
                         r"Đại hội(?!\w)"
                         # The body that holds the event the text reports ("Đảng bộ Bệnh viện
                         # Ung Bướu tổ chức học tập, quán triệt ...").
                         r"|\s+(?:đã\s+)?(?:long trọng\s+)?tổ chức(?!\w)")
_HELD_BARE = re.compile(r"Đại hội\s+(?:(?:đại biểu|Đại biểu|đảng viên)\s+)?(?i:Đảng bộ|Chi bộ)"
                        r"\s+(?P<kind>Trường|Công ty|Viện|Bệnh viện|Trung tâm)"
                        r"(?=\s+(?:lần|nhiệm|khóa|khoá)\b)")


# District committees only: a province's ("Tỉnh ủy") is named bare by history articles too.
_BARE_COMMITTEE = re.compile(r"(?<!\w)(Huyện|Quận|Thị) (?:ủy|uỷ)(?!\w)[ \t]*(?P<next>\S?)")
_COMMITTEE_OF = {"huyen": "huyen", "quan": "quan", "thi": "thi xa"}
_SELF_MENTION = re.compile(
    r"(?<!\w)(?:Đảng|đảng) (?:bộ|Bộ)(?:\s+(?P<kind>tỉnh|huyện|xã|phường|thị xã|thành phố|quận|"
    r"Khối))?(?=\s+(?:hiện\s+|đã\s+)?(?:có|gồm)\s)")
# "Đảng bộ tỉnh Vĩnh Phúc có 261 ...", "Đảng bộ huyện Bảo Lâm hiện có 3.324 đảng viên".
_COUNTS_AFTER = re.compile(r"\s*(?:hiện\s+|đã\s+|vẫn\s+)?(?:có|gồm)\s+(?:\w+\s+){0,2}?\d")


def _generic_org(name: Name) -> bool:
    """"Đảng bộ huyện, thành phố", "Đảng bộ tỉnh": a kind of unit, not one unit."""
    return bool(re.fullmatch(r"khoi|dang|(?:tinh|huyen|xa|phuong|thanh pho|thi xa|quan|co so"
                             r"|cap tren(?: co so)?)?[\s,]*"
                             r"(?:tinh|huyen|xa|thanh pho|thi xa|quan)?",
                             fold(name.org).strip(" ,"))) or _a_person(name)


def _a_person(name: Name) -> bool:
    """"Bí thư Tỉnh ủy Đỗ Trọng Hưng" ("Đảng bộ tỉnh Đỗ Trọng Hưng"): a place's unit or committee
    followed by a person's name (a surname of `units.yaml`), not by a place the province list or
    the gazetteer knows ("huyện Trần Văn Thời", "quận Lê Chân")."""
    m = _PLACE_UNIT.match(fold(name.text))
    if m is None:
        return False
    kind = m.group("kind")
    words = name.text.split()[len(m.group("lead").split()):]
    if not words or fold(words[0]) not in _surnames():
        return False
    return province_of(m.group("place")) is None and not lookup(f"{kind} {m.group('place')}")


_PLACE_UNIT = re.compile(r"(?P<lead>dang bo (?P<kind>tinh|thanh pho|huyen|quan|thi xa|xa|phuong"
                         r"|thi tran))\s+(?P<place>.+)$")


@cache
def _surnames() -> frozenset[str]:
    return frozenset(fold(s) for s in load_yaml("units.yaml").get("person_surnames", []))


@cache
def _company_forms() -> re.Pattern[str]:
    words = load_yaml("units.yaml").get("company_forms", [])
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)\.?")


def _full_key(name: Name) -> str:
    """The name folded, without a company's legal form: "Đảng bộ Công ty TNHH MTV Cao su Chư
    Păh" is the "Đảng bộ Cao su Chư Păh" of the headline."""
    return re.sub(r"\s+", " ", _company_forms().sub(" ", fold(name.text))).strip()


def _parent_from_text(unit: Name, text: str) -> Name | None:
    unit_key = unit.key
    unit_rank = LEVEL_RANK.get(level_of(unit.text) or "", 0)
    candidates: dict[str, list[Name]] = {}
    for name in find_names(text):
        key = name.key
        if not key or not_parent(key) or unit_key.startswith(key) or key.startswith(unit_key):
            continue
        if fold(name.head).startswith("chi bo"):
            continue
        candidates.setdefault(key, []).append(name)
    if not candidates and "uy so" in fold(text):
        return _lower_org_parent(text)
    best: tuple[float, Name] | None = None
    for key, mentions in candidates.items():
        rank = LEVEL_RANK.get(level_of(mentions[0].text) or "", 0)
        if unit_rank and rank and rank <= unit_rank:
            continue  # a unit's parent is above it: "Đảng bộ Cục X" is not under a chi bộ's
        family = sum(len(m) for k, m in candidates.items() if key.startswith(k))
        score = family + (2 if rank > unit_rank else 0) + len(key) / 1000
        if best is None or score > best[0]:
            uy = [m for m in mentions if fold(m.head) == "dang uy"]
            best = (score, max(uy or mentions, key=lambda n: len(n.org)))
    return best[1] if best else None


def _lower_org_parent(text: str) -> Name | None:
    """"Bí thư Đảng ủy sở" in a chi bộ's report: the parent is "Đảng bộ Sở <the Sở named most>"."""
    for m in re.finditer(r"(?i:đảng (?:ủy|bộ))", text):
        word = lower_org_word(text, m.end())
        if word is None:
            continue
        named = Counter(n.group(1) for n in re.finditer(
            rf"\b{word.capitalize()}\s+((?:[A-ZĐ][\w]*(?:\s+[a-zđ]\w*)?\s*(?:và\s+)?)+)", text))
        if named:
            org = f"{word.capitalize()} {named.most_common(1)[0][0].strip()}"
            org = re.sub(r"\s+(?:tỉnh|thành phố)$", "", org)
            return Name("Đảng bộ", org, m.start(), m.end())
    return None


def _display(name: Name, text: str) -> str:
    """The name as the body writes it when it does ("Đảng bộ bộ phận Trung tâm Đo lường ...");
    else a title-block line in capitals, re-cased ("ĐẢNG BỘ XÃ PHÚ LÂM" -> "Đảng bộ xã Phú Lâm")."""
    wanted = _full_key(name)
    forms = Counter(n.text for n in find_names(text)
                    if _full_key(n) == wanted and not n.text.isupper())
    if forms:
        # Used alike: the fullest form ("... Công ty TNHH MTV Cao su Chư Păh").
        return max(forms, key=lambda f: (forms[f], len(f)))
    if not name.org.isupper():
        return name.text
    head = name.head if not name.head.isupper() else name.head[:1] + name.head[1:].lower()
    cased = _recase(name.org.split())
    return f"{head} {' '.join(cased)}"


_ADMIN = {"xa", "phuong", "huyen", "quan", "tinh", "khoi"}
_ADMIN_PAIRS = {("thanh", "pho"), ("thi", "xa"), ("thi", "tran")}
_ACRONYMS = {"NOC", "UBND", "HĐND", "VNPT", "EVN", "MTTQ", "TNCS", "HCM", "THPT", "THCS", "CP"}


def _recase(words: list[str]) -> list[str]:
    """A name in capitals, re-cased: administrative words in lower case ("xã", "thành phố"),
    acronyms kept ("THCS", "NOC"), other words capitalised ("PHÚ" -> "Phú")."""
    folded = [fold(w) for w in words]
    out = []
    for i, (w, f) in enumerate(zip(words, folded, strict=True)):
        nxt = folded[i + 1] if i + 1 < len(folded) else ""
        prev = folded[i - 1] if i else ""
        admin = (f in _ADMIN and nxt != "" and not (f == "quan" and prev == "co")
                 or (f, nxt) in _ADMIN_PAIRS or (prev, f) in _ADMIN_PAIRS)
        if admin:
            out.append(w.lower())
        elif w in _ACRONYMS or not re.search(r"[aeiouy]", f):
            out.append(w)
        else:
            out.append(w.capitalize())
    return out


def _level(unit: Name, text: str) -> str | None:
    level = level_of(unit.text)
    if level == "dang_bo" and _UPPER_CUES.search(fold(text)):
        # "các đảng bộ/chi bộ trực thuộc", "26 tổ chức cơ sở đảng trực thuộc": it has
        # grassroots units under it.
        return "dang_bo_cap_tren_co_so"
    if level == "dang_bo" and _SELF_CUES.search(fold(text)):
        return "dang_bo_co_so"
    return level


_UPPER_CUES = re.compile(r"dang bo\s*/\s*chi bo truc thuoc|cac dang bo,? chi bo truc thuoc"
                         r"|to chuc co so dang truc thuoc|dang bo co so truc thuoc")


# -- date, province, terms, draft ----------------------------------------------------------------


def _date(title: list[str], blocks: list[str], doc_type: str | None
          ) -> tuple[str | None, str | None]:
    for line in title:
        m = _DATELINE.match(line)
        if m:
            parsed = match_date(line, m.end("place") + 1 + _spaces(line, m.end("place") + 1))
            if parsed and parsed.iso:
                return parsed.iso, m.group("place").strip()
    for line in blocks[:8]:
        weekday = _WEEKDAY.search(line)
        if weekday and weekday.start() < 5:
            parsed = match_date(line, weekday.end())
            if parsed and parsed.iso:
                return parsed.iso, None
        news = _NEWS_DATE.match(line)
        if news and doc_type == "news":
            parsed = match_date(line, news.end())
            if parsed and parsed.iso:
                return parsed.iso, None
    return None, None


def _spaces(text: str, pos: int) -> int:
    return len(text[pos:]) - len(text[pos:].lstrip())


# The issuer line of a national body (folded): ministries, the government, the National
# Assembly, the central party bodies, national courts and agencies.
_NATIONAL = re.compile(
    r"^\W*(?:bo truong\s+)?bo\s+(?!doi\b|phan\b|chi huy\b|tu lenh\b|phan\b)[a-z]"
    r"|^\W*(?:thu tuong|chinh phu|quoc hoi|uy ban thuong vu quoc hoi|van phong chinh phu"
    r"|ban chap hanh trung uong|ban bi thu|bo chinh tri|tong lien doan|toa an nhan dan toi cao"
    r"|vien kiem sat nhan dan toi cao|kiem toan nha nuoc|ngan hang nha nuoc)\b")
# A title issued in a minister's name: "Thông báo kết luận của Bộ trưởng ... tại hội nghị".
_NATIONAL_TITLE = re.compile(r"\bcua (?:bo truong|thu tuong)\b")
_NOT_ISSUER = re.compile(r"^\W*(?:can cu|xet|theo|thuc hien)\b")
# Two places of the same level ("xã A, phường B"; not "xã A, huyện B", where it lies).
# The district of each may follow in brackets ("xã Duy Thành (Duy Xuyên) và thị trấn Đông Phú").
_NAMED = (r"\s+(?:\d+|[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*)*)(?:\s*\([^()\n]{1,40}\))?"
          r"\s*(?:,|và)\s*")
# "Huyện Vĩnh Tường: 5 xã, thị trấn đã tổ chức đại hội": a headline counting units.
_COUNTED_UNITS = re.compile(r"(?:(?<![\d.,])\d+|(?<!\w)nhiều|(?<!\w)các)\s+(?:xã|phường|thị trấn"
                            r"|chi bộ|đảng bộ|tổ chức cơ sở đảng)"
                            r"(?:\s*,\s*(?:xã|phường|thị trấn))*(?:\s+[^\s.,;:()]+){0,4}?\s+"
                            r"(?:đã\s+|đồng loạt\s+)?(?:tổ chức|tiến hành|hoàn thành)",
                            re.IGNORECASE)
_SEVERAL_UNITS = re.compile(
    rf"(?i:đảng bộ|chi bộ)\s+(?:(?:xã|phường|thị trấn){_NAMED}(?i:xã|phường|thị trấn)"
    rf"|(?:huyện|quận|thị xã){_NAMED}(?i:huyện|quận|thị xã)"
    # "Đảng bộ các xã Thanh Hải (Thanh Hà), Quang Phục (Tứ Kỳ)": the kind once, in the plural.
    rf"|các\s+(?:xã|phường|thị trấn|huyện|quận|thị xã){_NAMED})\s*(?:\d|[A-ZĐÀ-Ỹ])")
_MERGER = re.compile(r"(?i:sáp nhập|sắp xếp đơn vị hành chính|\(cũ\)|chính quyền địa phương "
                     r"2 cấp|hai cấp)"
                     # The first congress of a unit in the 2025 term: a commune or ward the
                     # merger made ("Đảng bộ phường Đông Mai ... Đại hội đại biểu lần thứ I").
                     r"|(?<!\w)(?i:lần thứ) (?:I|(?i:nhất))(?![\w])")
# A local government's issuer line names its place ("Ủy ban nhân dân quận 3").
_LOCAL_ISSUER = re.compile(r"^\W*(?:uy ban nhan dan|hoi dong nhan dan|ubnd|hdnd)\s")


def _national_issuer(title: list[str], form: DocumentForm | None) -> str | None:
    """The national body that issued the document, from its letterhead or title block."""
    if title and _NATIONAL_TITLE.search(fold(title[0])):
        return title[0]
    lines = ([form.issuer] if form is not None and form.issuer else []) + title[:4]
    for line in lines:
        folded = fold(line or "")
        if line and not _NOT_ISSUER.match(folded) and _NATIONAL.search(folded):
            return line
    return None


def _province(place: str | None, meta: Meta, title: list[str], text: str
              ) -> tuple[str | None, str]:
    """(province, evidence): the place of the date line, a province in the unit's or parent's
    name ("Đảng bộ tỉnh Tiền Giang", "Thành ủy Hà Nội"), the gazetteer on the administrative
    names of the unit, parent, title and place ("huyện Bảo Lâm" ... "tỉnh Lâm Đồng"), a
    province the body names at least twice; else None."""
    if place:
        found = province_of(place)
        if found:
            return found, f"date line: {place}"
    places = [_place_form(n) for n in (meta.unit, meta.parent)]
    for name in (*places, *title):
        if name:
            named = provinces_named(name)
            if name in title and len(set(named)) > 1:
                # "Sau 29 năm hợp nhất với tỉnh Phú Thọ ... tách tỉnh Vĩnh Phú thành 2 tỉnh
                # Vĩnh Phúc và Phú Thọ": a line naming several provinces says none.
                continue
            if named:
                return named[0], f"name: {name}"
            m = re.search(r"(?i:tỉnh|thành phố)\s+(.+)$", name)
            if m and province_of(m.group(1)):
                return province_of(m.group(1)), f"name: {name}"
    if meta.unit and level_of(meta.unit) == "cap_tinh":
        found = province_of(re.sub(r"^\S+\s+\S+\s+", "", meta.unit))
        if found:
            return found, f"name: {meta.unit}"
    for name in (meta.unit, meta.parent):
        # A body named after its province: "Trường Đại học Bình Dương", "Khối các trường Đại
        # học, Cao đẳng Hà Nội" (not "Học viện Chính trị quốc gia Hồ Chí Minh", a person),
        # when the text speaks of it more than once (not a photo caption).
        # The parent's name counts once ("Đảng ủy Than Quảng Ninh" over its company's unit).
        found = _province_ending(name)
        if found and name and (name == meta.parent and meta.unit or
                               fold(text).count(fold(name.split(None, 2)[-1])) >= 2):
            return found, f"name: {name}"
    texts = [t for t in places if t]
    texts += [line for line in title if _LOCAL_ISSUER.match(fold(line))]
    texts += _bracketed_places(meta.unit, text)
    if place:
        # "Điện Bàn, ngày ...": the date line names a place without saying what it is.
        texts += [place] if re.match(r"(?i)(?:xã|phường|huyện|quận|thị|thành)\s", place) else [
            f"{kind} {place}" for kind in ("huyện", "thị xã", "thành phố", "quận")
            if province_for([f"{kind} {place}"])]
    # After the merger of 1 July 2025 a place is in its new province: a date after it, or a
    # text of the 2025 term that speaks of the merger ("sáp nhập", "xã X (cũ)").
    after_2025 = bool(meta.date and meta.date >= "2025-07-01" or (
        meta.term and int(meta.term[:4]) >= 2025 and _MERGER.search(text[:20000])))
    hit = province_for(texts, after_2025=after_2025) if texts else None
    if hit is not None:
        return hit.province, f"gazetteer ({hit.era}): {hit.place}"
    if title:
        # A headline naming its place ("Huyện Quỳnh Lưu tổng kết ...", "Lào Cai: 175 đảng
        # viên ...", "Tuy Phong đẩy mạnh ..."), with or without the kind of place.
        hit = province_for(title[:1], after_2025=after_2025)
        if hit is not None:
            return hit.province, f"gazetteer ({hit.era}), headline: {hit.place}"
        found = _headline_place(title[0], text)
        if found is not None:
            return found
    found = _lead_province(text) or _tag_province(text)
    if found is not None:
        return found
    counts = Counter(provinces_named(text))
    if counts:
        province, n = counts.most_common(1)[0]
        if n >= 2:
            return province, f"body names tỉnh/thành phố {province} {n} times"
    # The body's districts and communes, when at least three mentions agree on one province
    # ("huyện Hàm Thuận Nam, huyện Phú Quý, huyện Tánh Linh").
    hit = province_for([text[:20000]], min_places=3, strict=True, after_2025=after_2025)
    if hit is not None:
        return hit.province, f"gazetteer ({hit.era}), body: {hit.place}"
    # Committees of places the body names ("Quận ủy Đống Đa", "Huyện ủy Tân Hồng"), all of one
    # province: the places they govern.
    governed = sorted({_place_form(n.text) or "" for n in find_names(text[:20000])
                       if fold(n.head) in _PLACE_COMMITTEES and n.org[:1].isupper()})
    if governed:
        hit = province_for(governed, strict=True, after_2025=after_2025)
        if hit is not None:
            return hit.province, f"gazetteer ({hit.era}), committees: {', '.join(governed)}"
    # A grassroots body is where it meets; a national one ("Đảng bộ Văn phòng Trung ương
    # Đảng", a "Tổng công ty" under a central bloc) meets in the capital and is no province's.
    national = load_yaml("units.yaml")["national_bodies"]
    grassroots = meta.unit_level in ("dang_bo_co_so", "chi_bo", "dang_bo_bo_phan") and \
        not re.search(r"(?<!\w)(?:" + "|".join(national) + r")(?!\w)",
                      fold(f"{meta.unit} {meta.parent or ''}"))
    found = _venue_province(meta.unit, text) if grassroots else None
    if found is not None:
        return found
    # Two different districts of the body, both of one province and no other place against
    # them ("thành phố Tân An", "huyện Cần Đước"): districts are rarely ambiguous.
    districts = sorted(_districts_named(text[:20000]))
    if len({fold(d) for d in districts}) >= 2 and \
            province_for([text[:20000]], min_places=2, strict=True, after_2025=after_2025):
        hit = province_for(districts, min_places=2, strict=True, after_2025=after_2025)
        if hit is not None:
            return hit.province, f"gazetteer ({hit.era}), body districts: {', '.join(districts)}"
    # Three or more districts of one province ("thành phố Tân An", "huyện Cần Đước", "huyện
    # Đức Hoà"): a neighbouring city named beside them ("thành phố Hồ Chí Minh") does not
    # outweigh them.
    local = [d for d in districts if not provinces_named(d)]
    if len({fold(d) for d in local}) >= 3:
        hit = province_for(local, min_places=3, strict=True, after_2025=after_2025)
        if hit is not None:
            return hit.province, f"gazetteer ({hit.era}), body districts: {', '.join(local)}"
    # One district named with its kind ("ở TP.Biên Hòa", "(huyện Điện Bàn)") and no province
    # against it, in a local text (a unit of its own, or "toàn tỉnh" of a province it does not
    # name; not a national text citing one district): the communes the body names may have
    # been renamed, so they need not agree.
    local_text = bool(meta.unit) or bool(_OWN_PROVINCE.search(fold(text[:20000])))
    if len({fold(d) for d in districts}) == 1 and local_text and \
            not provinces_named(text[:20000]):
        hit = province_for(districts, after_2025=after_2025)
        body = province_for([text[:20000]], after_2025=after_2025)
        if hit is not None and body is not None and body.province == hit.province:
            return hit.province, f"gazetteer ({hit.era}), the one district named: {districts[0]}"
    return None, ""


_PLACE_WORDS: dict[str, list[str]] = load_yaml("units.yaml").get("place_words", {})
# A local text: it speaks of its own province or district without naming it (units.yaml).
_OWN_PROVINCE = re.compile(r"(?<!\w)(?:" + "|".join(_PLACE_WORDS["local_text_cues"]) + r")(?!\w)")
_WORD = re.compile(r"[^\W\d_]+")


def _capitalised_groups(text: str) -> list[tuple[int, list[str]]]:
    """(start, words) of each run of two or more capitalised words ("Cà Mau", "Đại Lộc")."""
    groups: list[tuple[int, list[str]]] = []
    run: list[re.Match[str]] = []
    for m in [*_WORD.finditer(text), None]:
        if m is not None and m.group()[0].isupper() and (
                not run or not text[run[-1].end():m.start()].strip()):
            run.append(m)
            continue
        if len(run) >= 2:
            groups.append((run[0].start(), [w.group() for w in run]))
        run = [m] if m is not None and m.group()[0].isupper() else []
    return groups
# Words before a name that make it no place named bare ("xã Phú Lương", "tại Hà Nội"), and the
# kinds of a district ("toàn huyện", "Huyện ủy"): units.yaml `place_words`.
_NOT_BARE_PLACE = re.compile(r"(?:(?<!\w)(?:" + "|".join(_PLACE_WORDS["not_bare_place_before"])
                             + r"))\s+$|\($")
_DISTRICT_KIND = re.compile(r"(?<!\w)(?:" + "|".join(_PLACE_WORDS["district_kinds"]) + r")(?!\w)")


def _headline_place(headline: str, text: str) -> tuple[str, str] | None:
    """(province, evidence) of the place a headline names without its kind: a province ("Cà
    Mau thí điểm ...") or a district the gazetteer knows in one province only ("Tuy Phong đẩy
    mạnh ...", when the text speaks of a district); several possible: None."""
    if len(headline) > 150:
        return None  # a lead paragraph, not a headline
    district_text = bool(_DISTRICT_KIND.search(fold(text)))
    found: dict[str, str] = {}
    for start, words in _capitalised_groups(headline):
        # "xã Phú Lương", "ấp Phú Hòa", "tại Hà Nội": a commune's or hamlet's name, a venue.
        if _NOT_BARE_PLACE.search(fold(headline[:start])) or \
                _NOT_BARE_PLACE.match(fold(words[0]) + " "):
            continue
        if start == 0 and re.match(rf"\S+(?:\s+\S+){{{len(words) - 1}}}\s+[-–]\s", headline):
            continue  # "Hà Nội - 34 người ...": a news dateline, where it was written
        for n in (4, 3, 2):
            if n > len(words):
                continue
            group = " ".join(words[:n])
            province = province_of(group)
            # Tone marks agree ("Kiến Giang" is a commune, not "Kiên Giang"); "tư tưởng Hồ Chí
            # Minh" is a person's thought, not the city.
            if province and province != "Hồ Chí Minh" and fold(group) == fold(province) \
                    and group.lower() == province.lower():
                found[province] = f"headline: {group}"
                break
            hit = district_named(group) if district_text else None
            if hit is not None:
                found[hit.province] = f"gazetteer ({hit.era}), headline: {group}"
                break
    if len({merged_into(p) or p for p in found}) != 1:
        return None
    province, evidence = next(iter(found.items()))
    return province, evidence


# A unit or its committee named by its kind of place only: "toàn Đảng bộ huyện", "Bí thư Huyện
# ủy", "Đại hội Đảng bộ xã lần thứ XXIV" (a capitalised name after it is checked in code).
_KIND_ONLY = re.compile(r"(?<!\w)(?:(?:Đảng|đảng) (?:bộ|ủy|uỷ) (?P<kind>xã|phường|thị trấn|huyện|"
                        r"quận|thị xã|thành phố|tỉnh)|(?P<committee>Huyện|Quận|Thị) (?:ủy|uỷ)"
                        # "toàn huyện": the district as a whole, named by the headline.
                        r"|(?:toàn|Toàn) (?P<whole>huyện|quận|thị xã))(?!\w)")
_COMMITTEE_KIND = {"huyện": "huyện", "quận": "quận", "thị": "thị xã"}


def _unit_by_place(title: list[str], text: str) -> tuple[str, str] | None:
    """(unit, evidence) for a text whose unit is named by its kind only ("Đảng bộ xã",
    "Huyện ủy") and which names exactly one place of that kind ("xã Linh Hồ", the headline's
    "Huyện Quỳnh Lưu" or bare district "Tuy Phong"): "Đảng bộ xã Linh Hồ". Several kinds or
    several places of the kind: None."""
    kinds = set()
    own = False  # the unit itself, not only its committee ("Ủy ban Kiểm tra Huyện ủy")
    for m in _KIND_ONLY.finditer(text):
        rest = text[m.end():m.end() + 3].lstrip()
        if rest[:1].isupper() or rest[:1].isdigit():
            continue  # "Đảng bộ xã Linh Hồ", "Huyện ủy Mỹ Đức": named
        kinds.add(m.group("kind") or m.group("whole")
                  or _COMMITTEE_KIND[m.group("committee").lower()])
        own = own or bool(m.group("kind"))
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    names: dict[str, str] = {}
    # A committee alone ("Bí thư Huyện ủy") stands for the unit of the place the headline names;
    # the unit itself ("toàn Đảng bộ huyện") for the one place of its kind the text names.
    where = text if own and kind != "tỉnh" else (title[0] if title else "")
    # "thành phố Thủ Dầu Một" is also written "TP.Thủ Dầu Một", "TP Thủ Dầu Một".
    written = rf"(?i:{kind})\s+" if kind != "thành phố" else r"(?:(?i:thành phố)\s+|TP\.?\s*)"
    for m in re.finditer(rf"(?<!\w){written}", where):
        words = []
        for w in re.finditer(r"\S+", where[m.end():m.end() + 60]):
            word = w.group().rstrip(",.;:)")
            if not word[:1].isupper() or fold(word) in ("dang", "uy"):
                break
            words.append(word)
            if word != w.group():
                break
        if words and len(words) <= 4:
            name = " ".join(words)
            if kind == "tỉnh" and province_of(name) is None:
                continue  # "toàn Đảng bộ tỉnh\nToàn Đảng bộ ...": no province after it
            names.setdefault(fold(name), name)
    if not names and title and kind in ("huyện", "thị xã", "quận"):
        found = _headline_district(title[0], kind)
        if found is not None:
            names[fold(found)] = found
    if not names and title and kind == "tỉnh":
        # "An Giang: ... Đại hội XI Đảng bộ tỉnh": the province the headline names bare.
        place = _headline_place(title[0], text)
        if place is not None and place[1].startswith("headline: "):
            names[fold(place[0])] = place[0]
    if len(names) != 1:
        return None
    name = next(iter(names.values()))
    return (f"Đảng bộ {kind} {name}",
            f"a unit named by its kind only ('{kind}'), one {kind} named: {name}")


def _lead_province(text: str) -> tuple[str, str] | None:
    """(province, evidence) when the first sentence of a news lead has a province named bare as
    its subject ("(Báo Quảng Ngãi)- Đến thời điểm này, Quảng Ngãi đã cơ bản hoàn thành ..."):
    followed by a word in lower case, not after a venue or an owner ("tại", "của")."""
    lines = [line for line in text.split("\n")[1:8] if line.strip()][:3]
    lines = [line for line in lines if len(line) > 60]
    if not lines:
        return None
    lead = re.sub(r"^\s*\([^()]{0,40}\)\s*[-–]?\s*", "", lines[0])  # the paper's tag
    sentence = re.split(r"[.!?](?:\s|$)", lead, maxsplit=1)[0]
    found = set()
    for start, words in _capitalised_groups(sentence):
        before = fold(sentence[:start])
        if _NOT_BARE_PLACE.search(before) or _NOT_SUBJECT_AFTER.search(before):
            continue
        named = _named_province(words, (4, 3, 2))
        if named is not None and named[1] != "Hồ Chí Minh" \
                and sentence[start + len(named[0]):].lstrip()[:1].islower():
            found.add(named[1])
    if len(found) != 1:
        return None
    province = found.pop()
    return province, f"the lead's subject: {province}"


def _named_province(words: list[str], sizes: Iterable[int]) -> tuple[str, str] | None:
    """(the words, the province) for the first of the leading `sizes` words that are a
    province's name exactly as written ("Quảng Ngãi đã ..." -> Quảng Ngãi), else None."""
    for n in sizes:
        if n > len(words):
            continue
        group = " ".join(words[:n])
        province = province_of(group)
        if province and group.lower() == province.lower():
            return group, province
    return None


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NOT_SUBJECT_AFTER = re.compile(r"(?<!\w)(?:" + "|".join(_PLACE_WORDS["not_subject_after"])
                                + r")\s+$")
_VENUE = re.compile(r"(?<!\w)(?i:" + _alternatives(_PLACE_WORDS["venue_words"]) + r")\s+"
                    r"(?:(?i:" + _alternatives(_PLACE_WORDS["venue_kinds"]) + r")\s*)?"
                    r"(?P<place>[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*){0,3})")
_UNIT_HEAD = re.compile(r"^(?i:" + _alternatives(load_yaml("units.yaml")["unit_heads"]) + r")\s+")


def _venue_province(unit: str | None, text: str) -> tuple[str, str] | None:
    """(province, evidence) from where the unit met, in a sentence that names it ("Vừa qua, tại
    Hà Nội, Đảng bộ Công ty ... đã tổ chức Đại hội"): a body not named after a place is in the
    province where it holds its congress. Several provinces: None."""
    if not unit:
        return None
    org = _UNIT_HEAD.sub("", unit)
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text[:20000]):
        if org not in sentence:
            continue
        for m in _VENUE.finditer(sentence):
            words = m.group("place").split()
            named = _named_province(words, range(len(words), 0, -1))
            if named is not None:
                found.add(named[1])
    if len(found) != 1:
        return None
    province = found.pop()
    return province, f"where the unit met: tại {province}"


# A news lead's tag naming a province's paper or portal: "(CTT-Đồng Nai) -", "(Báo Quảng Ngãi)-".
_TAG = re.compile(r"^\s*\((?P<tag>[^()\n]{2,40})\)\s*[-–]")


def _tag_province(text: str) -> tuple[str, str] | None:
    """(province, evidence) from the tag of the lead ("(CTT-Đồng Nai) - Đảng bộ tỉnh hiện có
    ..."): a province's own portal or paper writes of its province."""
    for line in [line for line in text.split("\n")[1:8] if len(line) > 60][:2]:
        m = _TAG.match(line)
        if m is None:
            continue
        # The province ends the tag, written in full with its tone marks ("Đồng Nai").
        words = re.split(r"[\s\-–.]+", m.group("tag").strip())
        for n in (4, 3, 2):
            group = " ".join(words[-n:]) if len(words) >= n else ""
            province = province_of(group) if group else None
            if province and group.lower() == province.lower():
                return province, f"the lead's tag: ({m.group('tag')})"
    return None


def _headline_district(headline: str, kind: str) -> str | None:
    """The district of `kind` a headline names bare ("Tuy Phong đẩy mạnh ..."), when one."""
    if len(headline) > 150:
        return None
    found = set()
    for start, words in _capitalised_groups(headline):
        if _NOT_BARE_PLACE.search(fold(headline[:start])):
            continue
        for n in (4, 3, 2):
            group = " ".join(words[:n])
            hit = district_named(group) if n <= len(words) else None
            # Districts change kind ("huyện Hòa Thành", a thị xã since 2020): any district's;
            # not a province's own name ("Cà Mau", also its capital city's).
            if hit is not None and province_of(group) is None and (
                    hit.place.startswith(f"{kind} ") or kind in (
                    "huyện", "thị xã", "quận") and hit.place.split()[0] in ("huyện", "thị",
                                                                          "quận", "thành")):
                found.add(group)
                break
    return found.pop() if len(found) == 1 else None


_DISTRICT_KIND_WORD = re.compile(r"(?<!\w)(?:" + "|".join(_PLACE_WORDS["district_kind_words"])
                                 + r")(?!\w)", re.IGNORECASE)


_KIND_WRITTEN = {"tp": "thành phố", "tx": "thị xã"}


def _districts_named(text: str) -> set[str]:
    """Districts the text names with their kind and a capitalised name ("huyện Cần Đước")."""
    out = set()
    for m in _DISTRICT_KIND_WORD.finditer(text):
        words = []
        after = m.end() + (text[m.end():m.end() + 1] == ".")  # "TP.Biên Hòa"
        for w in re.finditer(r"\S+", text[after:after + 40]):
            word = w.group().rstrip(",.;:)")
            if not word[:1].isupper() or len(words) == 3:
                break
            words.append(word)
            if word != w.group():
                break
        if words:
            kind = m.group().lower().rstrip(".")
            out.add(f"{_KIND_WRITTEN.get(kind, kind)} {' '.join(words)}")
    return out


def _bracketed_places(unit: str | None, text: str) -> list[str]:
    """The place written in brackets after the unit's name ("Đảng bộ xã Hòa Phú (Trà Ôn)",
    "Chi bộ thôn 3 (xã Quế Trung)"): as printed when it gives its kind, else the one district of
    that name (`gazetteer.district_named`)."""
    if not unit:
        return []
    out = []
    # After the name whatever its head ("Đảng ủy xã Tân Mỹ (Trà Ôn)" for "Đảng bộ xã Tân Mỹ").
    org = _UNIT_HEAD.sub("", unit)
    named = re.escape(org) if org != unit and len(org.split()) >= 2 else re.escape(unit)
    for m in re.finditer(named + r"\s*\(([^()\n]{2,40})\)", text, re.IGNORECASE):
        inner = m.group(1).strip()
        if re.match(r"(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tp\b)", inner,
                    re.IGNORECASE):
            out.append(inner)
        elif (hit := district_named(inner)) is not None:
            out.append(hit.place)
    return out


def _place_form(name: str | None) -> str | None:
    """A committee's name as the place it governs: "Huyện ủy Thoại Sơn" -> "huyện Thoại Sơn",
    "Tỉnh ủy Thanh Hoá" -> "tỉnh Thanh Hoá"."""
    if not name:
        return name
    kinds = {"huyện": "huyện", "quận": "quận", "tỉnh": "tỉnh", "thị": "thị xã",
             "thành": "thành phố"}
    return re.sub(r"^(?i:(huyện|quận|tỉnh|thị|thành))\s+(?i:ủy|uỷ)\s+",
                  lambda m: kinds[m.group(1).lower()] + " ", name)


def _province_ending(name: str | None) -> str | None:
    if not name:
        return None
    words = name.split()
    # "Đại học Huế": the one province of one word ends a name too.
    for n in (3, 2, 1):
        if len(words) > n + 2 and all(w[:1].isupper() for w in words[-n:]):
            tail = " ".join(words[-n:])
            found = province_of(tail)
            # Tone marks must agree: "Kiến Giang" (a commune) is not "Kiên Giang".
            if found and found != "Hồ Chí Minh" and tail.lower() == found.lower():
                return found
    return None


def _terms(title: list[str], blocks: list[str]) -> tuple[str | None, str | None]:
    reviewed: Counter[str] = Counter()
    congress: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    for index, text in enumerate(blocks):
        f = fold(text)
        weight = 3 if index < len(title) else 1
        for m in _TERM.finditer(f):
            term = f"{m.group('a')}-{m.group('b')}"
            window = f[max(0, _sentence_start(f, m.start())):m.start()]
            after = f[m.end():m.end() + 20]
            if re.match(r"\s*,?\s*trinh dai hoi", after):
                reviewed[term] += weight
            elif re.search(r"(?:trinh|tai)\s+dai hoi", window):
                congress[term] += weight
            elif _TERM_CUE.search(window):
                reviewed[term] += weight
            elif _CONGRESS_CUE.search(window):
                congress[term] += weight
            else:
                plain[term] += 1
    term = reviewed.most_common(1)[0][0] if reviewed else None
    nxt = congress.most_common(1)[0][0] if congress else None
    if term == nxt:
        nxt = None
    everything = reviewed + congress + plain
    if term is None and nxt is not None:
        term = _meeting(everything, end=nxt[:4])
    if nxt is None and term is not None:
        nxt = _meeting(everything, start=term[-4:])
    if term is None and nxt is None and plain:
        nxt = plain.most_common(1)[0][0]  # one term, no cue: the document's term
    return term, nxt


def _meeting(terms: Counter[str], start: str | None = None, end: str | None = None) -> str | None:
    for term, _n in terms.most_common():
        if start is not None and term[:4] == start:
            return term
        if end is not None and term[-4:] == end:
            return term
    return None


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(". ", 0, pos), text.rfind("; ", 0, pos))
    return cut + 2 if cut >= 0 else 0


def _draft(doc: Document, title: list[str]) -> bool:
    """"DỰ THẢO" as a running header, a title-block line, or a line of its own anywhere: plain
    text flattens a page's running header into the body, and the mark must not depend on the
    format the same report was saved in."""
    for line in doc.page_headers + doc.page_footers + title:
        if _DRAFT.match(fold(line)):
            return True
    for b in doc.blocks:
        if len(b.text) < 40 and _DRAFT.match(fold(b.text)):
            return True
        # Reflowed plain text: the header "DỰ THẢO" in capitals inside a sentence in lower case.
        m = _DRAFT_IN_TEXT.search(match_form(b.text))
        if m and not b.text.isupper():
            return True
    return False


_DRAFT_IN_TEXT = re.compile(r"(?<![^\W\d_])DỰ THẢO(?![^\W\d_])(?!\s+[A-ZĐÀ-Ỹ]{2})")


# -- user-supplied metadata -----------------------------------------------------------------------


def read_sidecar(source: str | Path) -> dict[str, Any]:
    """The valid metadata a user put beside `source`, or {} when there is none.

    Format (YAML or JSON), any subset of the `Meta` fields:
        unit: "Đảng bộ xã Phú Lâm"
        unit_level: dang_bo_co_so
        parent: "Đảng bộ huyện Phú Tân"
        province: "An Giang"
        term: "2025-2030"            # the congress's term
        reviewed_term: "2020-2025"   # the term the report reviews
        date: "2025-06-12"
        draft: false
    Fields that fail their check are left out; `sidecar.load_sidecar` also gives the warnings."""
    return load_sidecar(source)[0]


def apply_overrides(meta: Meta, overrides: dict[str, Any] | None) -> list[str]:
    """Set the given fields on `meta` (None values are ignored); returns unknown field names."""
    unknown = []
    for name, value in (overrides or {}).items():
        if name not in META_FIELDS:
            unknown.append(name)
            continue
        if value is None:
            continue
        if name == "year":
            value = int(value)
        elif name == "draft" and isinstance(value, str):
            value = fold(value) in ("true", "yes", "1", "co", "du thao")
        elif name in ("term", "reviewed_term"):
            value = re.sub(r"\s*[-–]\s*", "-", str(value).strip())
        elif name == "date":
            value = _iso(str(value))
        setattr(meta, name, value)
    if overrides and overrides.get("date") and not overrides.get("year") and meta.date:
        meta.year = int(meta.date[:4])
    return unknown


def _iso(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    parsed = match_date(value.strip())
    if parsed and parsed.iso:
        return parsed.iso
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    if m:
        iso = iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso
    raise ValueError(f"not a date: {value!r} (write YYYY-MM-DD or DD/MM/YYYY)")
