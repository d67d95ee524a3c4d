"""Which province a district, commune or ward belongs to: a gazetteer of both eras (the 63
provinces, their districts and communes before the merger of 1 July 2025; the 34 provinces and
their communes and wards after it), read from the data files of the maintained PyPI package
`vietnamadminunits` (not a hand-typed list). The package is located, never imported: its
module imports geocoding libraries this look-up does not need.

`province_for(texts)` reads administrative names ("huyện Bảo Lâm", "xã Đại Thắng", "phường
Tân Định") in the given texts and answers the one province they all agree on, with the
evidence; several provinces possible (there are dozens of "xã Tân Thành") give None: null, not a
guess.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.extract.numbers import fold
from pipeline.extract.unit_names import provinces_named

__all__ = ["GazetteerHit", "province_for", "available", "district_named", "lookup"]

_KINDS = ("thanh pho", "thi xa", "thi tran", "huyen", "quan", "phuong", "xa", "dac khu")
# An administrative name in folded text: its kind, then one to four syllables. A lookahead, so
# that a kind word inside another word group ("cơ quan Đảng xã Quảng Chính": "quan dang xa
# ...") does not swallow the real place after it.
_PLACE = re.compile(
    rf"(?<!\w)(?=(?P<kind>{'|'.join(_KINDS)})\s+(?P<name>[a-z0-9]+(?:\s+[a-z0-9]+){{0,3}}))")


@dataclass(frozen=True)
class GazetteerHit:
    province: str  # as the gazetteer names it ("Lâm Đồng"), of the era of the unit found
    era: str  # "before 2025" | "2025"
    place: str  # the administrative name read ("huyện Bảo Lâm")


_LEVEL = {"thanh": 1, "tinh": 0, "thi": 2, "huyen": 2, "quan": 2, "xa": 3, "phuong": 3, "dac": 3}


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if folder.is_dir() else None


def available() -> bool:
    return _data_dir() is not None


@cache
def _index() -> dict[str, set[tuple[str, str]]]:
    """Folded "kind name" ("huyen bao lam") -> {(era, province)}."""
    folder = _data_dir()
    index: dict[str, set[tuple[str, str]]] = {}
    if folder is None:
        return index

    def add(kind: str, short: str, era: str, province: str) -> None:
        # Numbered districts and wards carry their kind in the short name ("Quận 3").
        # "Duyên Hải (huyện)" beside "Duyên Hải (thị xã)": the data's own disambiguation.
        name = re.sub(r"\s*\([^()]*\)$", "", fold(str(short))).strip()
        key = name if name.startswith(f"{fold(str(kind))} ") else fold(f"{kind} {name}")
        key = re.sub(r"\s+", " ", key).strip()
        index.setdefault(key, set()).add((era, province))

    legacy = json.loads((folder / "parser_legacy.json").read_text(encoding="utf-8"))
    # The data names the old province by its new name ("Huế"); reports of the time, and
    # units.yaml, say "Thừa Thiên Huế".
    renamed = _legacy_names()
    provinces = {k: renamed.get(v["provinceShort"], v["provinceShort"])
                 for k, v in legacy["DICT_PROVINCE"].items()}
    for pkey, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
        for d in districts.values():
            add(d["districtType"], d["districtShort"], "before 2025", provinces[pkey])
    for pkey, districts in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
        for wards in districts.values():
            for w in wards.values():
                add(w["wardType"], w["wardShort"], "before 2025", provinces[pkey])
    # Districts merged away before 2025 ("huyện Long Điền" + "Đất Đỏ" -> "Long Đất") live on as
    # aliases in the package's database; reports of their time still name them.
    for province, kind, aliases in _district_aliases(folder):
        for alias in aliases:
            if alias.startswith(fold(kind).replace(" ", "")):
                _SQUASHED.setdefault(alias, set()).add(("before 2025", province))
    new = json.loads((folder / "parser_from_2025.json").read_text(encoding="utf-8"))
    provinces_new = {k: v["provinceShort"] for k, v in new["DICT_PROVINCE"].items()}
    for pkey, wards in new["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for w in wards.values():
            add(w["wardType"], w["wardShort"], "2025", provinces_new[pkey])
    return index


def _legacy_names() -> dict[str, str]:
    from pipeline.data import load_yaml

    return dict(load_yaml("units.yaml").get("gazetteer_legacy_names", {}))


# Spaceless folded "huyenlongdien" -> {(era, province)}: names known only in that form.
_SQUASHED: dict[str, set[tuple[str, str]]] = {}


def _district_aliases(folder: Path) -> list[tuple[str, str, list[str]]]:
    """(province, kind, folded spaceless aliases) of the districts merged into another."""
    db = folder / "dataset.db"
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT DISTINCT provinceShort, districtType, districtAlias FROM "
                            "admin_units_legacy WHERE districtAlias IS NOT NULL").fetchall()
    return [(str(p), str(k), [str(a) for a in json.loads(a)]) for p, k, a in rows if a]


def lookup(key: str) -> set[tuple[str, str]] | None:
    """The (era, province) options of a folded "kind name" ("huyen bao lam"), else None."""
    index = _index()
    found = index.get(key) or _SQUASHED.get(key.replace(" ", ""))
    last = key.rsplit(" ", 1)[-1]
    if not found and last.isdigit() and 0 < int(last) < len(_ROMAN):
        # "xã Tam Xuân 2" is written "Tam Xuân II" in the data.
        found = index.get(f"{key[:-len(last)]}{_ROMAN[int(last)]}")
    return found


_ROMAN = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def _merged(province: str) -> str:
    """The 2025 province a province of either era is (part of), to compare the two eras."""
    from pipeline.extract.unit_names import merged_into

    return merged_into(province) or province


_LIST_SEP = re.compile(r"\s*,\s*|\s+va\s+")


def _listed(text: str, folded: str, kind: str, start: int,
            index: dict[str, set[tuple[str, str]]], written: str
            ) -> list[tuple[str, set[tuple[str, str]]]]:
    """The places listed after the first one of a kind word: each a capitalised name the
    gazetteer knows as that kind, separated by commas or "và", up to punctuation."""
    stop = re.search(r"[.;:()\n]", folded[start:start + 160])
    segment = folded[start:start + (stop.start() if stop else 160)]
    out: list[tuple[str, set[tuple[str, str]]]] = []
    parts = list(_LIST_SEP.finditer(segment))
    for i, sep in enumerate(parts):
        at = start + sep.end()
        if at >= len(text) or not text[at].isupper():
            break
        words = segment[sep.end():parts[i + 1].start() if i + 1 < len(parts) else None].split()
        key = f"{kind} {' '.join(words)}"
        options = lookup(key) if words and len(words) <= 4 else None
        if not options:
            break
        out.append((f"{written} {text[at:at + len(key) - len(kind) - 1]}", options))
    return out


# "TP.Biên Hòa", "TP Thủ Đức", "TX. Điện Bàn": the kind abbreviated before a capitalised name.
_ABBREVIATED = re.compile(r"(?<!\w)(TP|Tp|TX|Tx)(?:\.\s*|\s+)(?=[A-ZĐÀ-Ỹ])")
_KIND_OF = {"tp": "thành phố ", "tx": "thị xã "}


_DISTRICT_KINDS = ("huyen", "thi xa", "thanh pho", "quan")
# Each kind as written, tone marks and all (both placements of the mark in "thị xã" etc.).
_WRITTEN_KINDS = {"thanh pho": {"thành phố"}, "thi xa": {"thị xã"}, "thi tran": {"thị trấn"},
                  "huyen": {"huyện"}, "quan": {"quận"}, "phuong": {"phường"}, "xa": {"xã"},
                  "dac khu": {"đặc khu"}}


def _district(name: str) -> list[tuple[str, set[tuple[str, str]]]]:
    """A district named without its kind ("Hưng Nguyên"): every kind it may be, when exactly
    one kind is known by that name."""
    kinds = {"huyen": "huyện", "thi xa": "thị xã", "thanh pho": "thành phố", "quan": "quận"}
    found = [(f"{written} {name}", options) for kind, written in kinds.items()
             if (options := lookup(f"{kind} {fold(name).strip()}"))]
    return found if len(found) == 1 else []


def district_named(name: str) -> GazetteerHit | None:
    """The province of a district named bare ("Tuy Phong", "Long Điền"), when one district of
    one province has that name (before 2025), else None."""
    found = _district(name)
    if not found:
        return None
    provinces = {p for _e, p in found[0][1]}
    if len(provinces) != 1:
        return None
    return GazetteerHit(province=provinces.pop(), era="before 2025", place=found[0][0])


def province_for(texts: list[str], min_places: int = 1, strict: bool = False,
                 after_2025: bool = False) -> GazetteerHit | None:
    """The one province every administrative name in `texts` can be in, else None; None too
    when fewer than `min_places` names are found, and, when `strict`, when any name cannot be
    in that province."""
    index = _index()
    if not index:
        return None
    common: set[str] | None = None
    hits: list[tuple[str, set[tuple[str, str]]]] = []
    texts = [_ABBREVIATED.sub(lambda m: _KIND_OF[m.group(1).lower()], t) for t in texts]
    for text in texts:
        folded = fold(text)
        for m in _PLACE.finditer(folded):
            first = text[m.start("name")]
            if first.isdigit():
                # "quận 3", "phường 12": numbered, spelled with tone marks ("bình quân 1,41%"
                # is an average).
                if not re.match(r"(?i:quận|phường)\s+\d+(?![\d.,]*\d)(?![.,]\d)",
                                text[m.start():m.start() + 20]):
                    continue
            elif not first.isupper():
                continue  # "xã hội" (society), "huyện nào": a proper name is capitalised
            kind = m.group("kind")
            written = text[m.start():m.start() + len(kind)].lower()
            if written not in _WRITTEN_KINDS[kind] and written != kind:
                # "phương Đông" (the East) is no "phường" (a text typed without any tone
                # marks, "phuong Tan Dinh", still is).
                continue
            words = m.group("name").split()
            # The longest name the gazetteer knows: "xa dai thang" in "xa dai thang huyen".
            for n in range(len(words), 0, -1):
                if n < len(words) and words[n].isdigit() and text[m.start("name"):][:1].isupper():
                    continue  # "xã Tam Xuân 2" is not "xã Tam Xuân": the name goes on
                key = f"{kind} {' '.join(words[:n])}"
                options = lookup(key)
                if not options and kind in _DISTRICT_KINDS:
                    # "huyện Điện Bàn" became "thị xã Điện Bàn" (2015): districts change kind
                    # as they grow; the one district of that name under another kind.
                    other = _district(" ".join(words[:n]))
                    options = other[0][1] if other else None
                if options:
                    end = m.start() + len(key)
                    hits.append((text[m.start():end], options))
                    # "xã Hưng Thịnh (Hưng Nguyên)": the district it lies in, in brackets.
                    district = re.match(r"\s*\(([A-ZĐÀ-Ỹ][^()\n]{1,30})\)", text[end:end + 40])
                    if district and kind in ("xa", "phuong", "thi tran"):
                        hits.extend(_district(district.group(1)))
                    break
            # "3 xã Hợp Lý, Quang Sơn và Ngọc Mỹ": the names listed after one kind word.
            hits.extend(_listed(text, folded, kind, m.start("name"), index,
                                text[m.start():m.start("kind") + len(kind)]))
    if len(hits) < min_places:
        return None
    if after_2025:
        # A document of the new era names the communes of the new era: "xã Quảng Chính" in a
        # text of July 2025 is Thanh Hóa's, not the old one of Quảng Ninh. Names only the old
        # era knows (the communes merged into it) keep their old provinces.
        hits = [(place, {o for o in options if o[0] == "2025"} or options)
                for place, options in hits]
    # Provinces named outright ("tỉnh Lâm Đồng", "Thành ủy Hà Nội") narrow the choice first.
    for text in texts:
        for name in provinces_named(text):
            hits.append((name, {("named", name)}))
    # Most general first: a district outweighs a commune whose name the data may have changed
    # (communes were merged many times); a narrower name refines only when it still agrees.
    hits.sort(key=lambda h: _LEVEL.get(fold(h[0]).split()[0], 0))
    for _place, options in hits:
        merged = {_merged(p) for _era, p in options}
        narrowed = merged if common is None else common & merged
        if narrowed:
            common = narrowed
    if not hits or not common or len(common) != 1:
        return None
    target = next(iter(common))
    if strict and any(target not in {_merged(p) for _e, p in options} for _pl, options in hits):
        return None  # the names point to several provinces: an article about a region
    # Report the province of the era the names belong to: the most specific name's. A document
    # written after the merger of 2025 ("nhiệm kỳ 2025-2030") is of the new province; names of
    # the old era that fit several old provinces merged into one (xã Ngọc Mỹ of Hòa Bình or
    # of Vĩnh Phúc, both now Phú Thọ) give the one the names agree on, else the new one.
    place, options = min((h for h in hits if any(_merged(p) == target for _e, p in h[1])),
                         key=lambda h: len(h[1]))
    if after_2025:
        return GazetteerHit(province=target, era="2025", place=place)
    old: set[str] | None = None
    for _pl, opts in hits:
        olds = {p for e, p in opts if e == "before 2025" and _merged(p) == target}
        if olds:
            old = olds if old is None else old & olds
    if old is not None and len(old) == 1:
        return GazetteerHit(province=next(iter(old)), era="before 2025", place=place)
    era, province = next(((e, p) for e, p in sorted(options) if _merged(p) == target
                          and e == "2025"), ("2025", target))
    return GazetteerHit(province=province, era=era, place=place)
