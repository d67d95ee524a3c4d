"""Numbers that must agree: stated totals against their parts (`total_mismatch`), and a
report's targets against its own results (`target_not_met`).

Totals checked:
- tables: a "Cộng" / "Tổng" / "Tổng cộng" row (or column) against the sum of the rows (columns)
  above it; rows that split a numbered item (an empty STT cell under item 4: "TRUNG TÂM thực
  hiện", "Thầu phụ") are parts of that item, not of the total;
- text: "42 Đảng viên trong đó 41 Đảng viên chính thức và 01 Đảng viên dự bị" (the parts listed
  after "trong đó" in the same sentence) and the partitions committees know: members = full +
  reserve = male + female, and the shares of male and female members summing to 100 %.
  Parts of a generic "trong đó" list need not cover the whole ("47 đảng viên, trong đó khai trừ
  06"), so only parts that EXCEED the total are reported for those.

Rounding: money tables print amounts rounded to the unit ("triệu đồng"), so n parts and their
total may differ by up to (n + 1) / 2 units; percentages printed with d decimals by n * 0.5 *
10^-d. Counts of people or documents are exact: tolerance 0. The tolerance used is reported in
`details.tolerance`; a difference within it is not a finding.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import takewhile

from pipeline.data import load_yaml
from pipeline.extract.indicator_lexicon import lexicon
from pipeline.extract.indicator_tables import Grid, cell_offsets, read_grid
from pipeline.extract.numbers import fold
from pipeline.i18n import message
from pipeline.model import Document, Finding, Indicator, Meta

__all__ = ["check_totals", "table_totals", "text_totals", "footnote_counts", "targets_not_met"]

_PARTITIONS = (("members_official", "members_reserve"), ("members_male", "members_female"))
_TRONG_DO = re.compile(r"\btrong\s+đó\b|\btrong\s+số\s+đó\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\n")
_EPS = 1e-9
_PARTITION_REACH = 1500  # characters after a total in which its parts are looked for
_SHARE_REACH = 300


def check_totals(doc: Document, indicators: Sequence[Indicator], meta: Meta | None = None,
                 unit_hints: Sequence[str | None] | None = None) -> list[Finding]:
    """All totals and targets findings of one document."""
    findings: list[Finding] = []
    offsets = doc.block_offsets()
    for index, table in enumerate(doc.tables):
        hint = None
        if unit_hints is not None:
            hint = unit_hints[index]
        elif table.after_block is not None and 0 <= table.after_block < len(offsets):
            hint = doc.blocks[table.after_block].text
        grid = read_grid(table, hint)
        if grid is not None:
            findings.extend(table_totals(grid, index, cell_offsets(table)))
    findings.extend(text_totals(doc.text, [i for i in indicators if i.where == "body"]))
    findings.extend(footnote_counts(doc, indicators))
    findings.extend(targets_not_met(indicators, meta))
    return findings


# -- tables --------------------------------------------------------------------------------------


def _tolerance(grid: Grid, decimals: int, n_parts: int) -> float:
    if grid.unit is not None and grid.unit.unit == "VND":
        return (n_parts + 1) * 0.5 * 10 ** -decimals
    if decimals:
        return (n_parts + 1) * 0.5 * 10 ** -decimals
    return 0.0


def table_totals(grid: Grid, index: int, offsets: list[list[int]] | None = None
                 ) -> list[Finding]:
    """Findings for the total rows and columns of one table."""
    findings = []
    where = f"table:{index}"
    for r in grid.total_rows:
        for c in grid.value_cols():
            if c in grid.total_cols:
                continue
            stated = grid.cell(r, c)
            if stated is None or stated.unit in ("%", "ratio"):
                continue
            parts = [(p, grid.cell(p, c)) for p in range(grid.header, r)
                     if p not in grid.sub_rows and p not in grid.total_rows]
            values = [(p, cell) for p, cell in parts if cell is not None]
            if len(values) < 2:
                continue
            decimals = max([stated.decimals] + [cell.decimals for _, cell in values])
            computed = sum(cell.value for _, cell in values)
            tol = _tolerance(grid, decimals, len(values))
            subject = grid.rows[0][c].strip() or grid.label(r)
            finding = _compare(stated.value, computed, tol, [cell.value for _, cell in values],
                               subject, where, _cell_span(offsets, r, c, grid))
            if finding:
                finding.details.update({"row": r, "col": c})
                findings.append(finding)
    for c in grid.total_cols:
        for r in range(grid.header, len(grid.rows)):
            stated = grid.cell(r, c)
            if stated is None:
                continue
            cols = [k for k in grid.value_cols() if k != c and k not in grid.total_cols
                    and (not grid.year_of_col or k in grid.year_of_col)]
            values = [grid.cell(r, k) for k in cols]
            present = [v for v in values if v is not None]
            if len(present) < 2:
                continue
            decimals = max([stated.decimals] + [v.decimals for v in present])
            computed = sum(v.value for v in present)
            finding = _compare(stated.value, computed, _tolerance(grid, decimals, len(present)),
                               [v.value for v in present], grid.label(r), where,
                               _cell_span(offsets, r, c, grid))
            if finding:
                finding.details.update({"row": r, "col": c})
                findings.append(finding)
    return findings


def _cell_span(offsets: list[list[int]] | None, r: int, c: int, grid: Grid
               ) -> tuple[int | None, int | None]:
    if offsets is None or r >= len(offsets) or c >= len(offsets[r]):
        return None, None
    start = offsets[r][c]
    return start, start + len(grid.rows[r][c])


def _compare(stated: float, computed: float, tol: float, parts: list[float], subject: str,
             where: str, span: tuple[int | None, int | None]) -> Finding | None:
    diff = abs(stated - computed)
    if diff <= tol + _EPS:
        return None
    return Finding(
        kind="total_mismatch",
        severity="warning",
        message=message("finding.total_mismatch", "vi", stated=_fmt(stated),
                        computed=_fmt(computed), subject=subject),
        where=where,
        start=span[0],
        end=span[1],
        details={
            "stated": stated, "computed": round(computed, 6), "difference": round(diff, 6),
            "tolerance": tol, "parts": parts, "subject": subject,
            "message_en": message("finding.total_mismatch", "en", stated=_fmt(stated),
                                  computed=_fmt(computed), subject=subject),
        },
    )


def _fmt(value: float) -> str:
    """Vietnamese style: 51.276; 76,2."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", " ").replace(".", ",").replace(" ", ".")


# -- text ----------------------------------------------------------------------------------------


def text_totals(text: str, indicators: Sequence[Indicator]) -> list[Finding]:
    """A count stated in running text against the parts listed right after it (see module
    doc), and the known partitions of members."""
    findings = []
    inds = sorted(indicators, key=lambda i: i.start)
    folded = fold(text)
    for n, total in enumerate(inds):
        if total.unit not in _COUNTED:
            continue
        listed = _listed_parts(text, folded, inds, n)
        if listed is None:
            continue
        complete, parts = listed
        computed = sum(p.value for p in parts)
        tol = _text_tolerance(total, parts)
        if computed > total.value + tol + _EPS:
            findings.append(_text_finding(total, computed, parts, tol))
            continue
        whole = complete or _known_partition(total, parts, labels=_part_labels(folded, parts))
        if whole and abs(computed - total.value) > tol + _EPS:
            findings.append(_text_finding(total, computed, parts, tol))
    findings.extend(_numbered_lists(text, inds))
    # The later checks add a finding only on a total no earlier check flagged.
    flagged = {f.start for f in findings}
    for found in (_named_lists(text, inds), _specified(folded, inds), _partitions(inds),
                  _increments(folded, inds)):
        new = [f for f in found if f.start not in flagged]
        findings.extend(new)
        flagged.update(f.start for f in new)
    return findings


def _increments(folded: str, inds: list[Indicator]) -> list[Finding]:
    """A count, one increment, and the count it came to ("gồm 06 đ/c ... nhận thêm 06 hồ sơ ...
    nâng số lượng đảng viên lên thành 10 đ/c"): start + increment must be the result. Close
    together (one stretch of text), the start counted after "gồm"/"có" (not a part after
    "trong đó"), one increment, and no other change between (totals.yaml `increments`)."""
    cues = _increment_cues()
    result_cue, added_cue, start_cue = cues["result_before"], cues["added_before"], \
        cues["start_before"]
    reach = int(_totals_data()["increments"]["reach"])
    findings = []
    for n, result in enumerate(inds):
        if result.unit not in ("person", "organisation") or \
                not float(result.value).is_integer() or \
                not result_cue.search(folded[max(0, result.start - 30):result.start]):
            continue
        # `inds` are in start order: those within the reach before it, found by bisection.
        lo = bisect_left(inds, result.start - reach, 0, n, key=lambda i: i.start)
        before = [i for i in inds[lo:n] if i.start < result.start]
        added = [i for i in before
                 if added_cue.search(folded[max(0, i.start - 20):i.start])]
        if len(added) != 1:
            continue
        inc = added[0]
        # The whole it started from, not a part of it ("gồm 06 đ/c, trong đó có 01 ...").
        starts = [i for i in before if i.end <= inc.start and i.unit == result.unit
                  and start_cue.search(folded[max(0, i.start - 20):i.start])
                  and not cues["part_of"].search(folded[max(0, i.start - 20):i.start])]
        if not starts:
            continue
        start = starts[-1]
        between = folded[start.end:result.start]
        if cues["other_changes"].search(between):
            continue
        if len(cues["added_word"].findall(between)) != 1:
            continue
        computed = start.value + inc.value
        if abs(computed - result.value) > _EPS:
            findings.append(_text_finding(result, computed, [start, inc], 0.0))
    return findings


@cache
def _increment_cues() -> dict[str, re.Pattern[str]]:
    """totals.yaml `increments`, compiled once: the cues ending right before a number
    (`*_before`), the words found anywhere between (`other_changes`, `added_word`), and
    `part_of` (patterns searched as written in the few words before a number)."""
    data = _totals_data()["increments"]
    cues = {key: re.compile(r"(?<!\w)(?:" + "|".join(data[key]) + r")\s+$")
            for key in ("result_before", "added_before", "start_before")}
    for key in ("other_changes", "added_word"):
        cues[key] = re.compile(r"(?<!\w)(?:" + "|".join(data[key]) + r")(?!\w)")
    cues["part_of"] = re.compile("|".join(data["part_of"]))
    return cues


def _numbered_lists(text: str, inds: list[Indicator]) -> list[Finding]:
    """A count that closes its line with ":" against the numbered lines after it ("Chi ủy gồm 3
    đồng chí:" / "1. ..." / "2. ..."), like a footnote's list: the items must be as many."""
    findings = []
    for total in inds:
        if total.unit not in _COUNTED or not float(total.value).is_integer():
            continue
        head = re.match(r"[ \t]*:[ \t]*\n", text[total.end:total.end + 40])
        if head is None:
            continue
        items: list[tuple[str, str]] = []
        for line in text[total.end + head.end():].split("\n"):
            if not line.strip():
                continue
            m = re.match(r"\s*(\d{1,2})[.)]\s+(.*)", line)
            if m is None or int(m.group(1)) != len(items) + 1:
                break
            items.append((m.group(1), m.group(2)))
        if len(items) >= 2 and len(items) != total.value:
            f = _text_finding(total, float(len(items)), [], 0.0)
            f.details["listed"] = [n for n, _ in items]
            f.details["part_mentions"] = [{"item": f"{n}.", "text": t[:120]} for n, t in items]
            findings.append(f)
    return findings


@cache
def _named_list_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """totals.yaml `named_lists`: a count's bracket naming its items ("10 Đảng bộ (Vinh, Nam
    Đàn, Hưng Nguyên, ...)"), and the signs that they are examples, not every item."""
    data = _totals_data()["named_lists"]
    heads = "|".join(re.escape(w) for w in data["heads"])
    bracket = re.compile(r"[ \t]*\((?:\s*(?:" + heads + r")\s*:?)?([^()\d\n]{5,400})\)")
    words = "|".join(re.escape(w) for w in data["example_words"])
    marks = "|".join(re.escape(m) for m in data["example_marks"])
    return bracket, re.compile(r"(?<!\w)(?:" + words + r")(?!\w)|" + marks, re.IGNORECASE)


def _named_lists(text: str, inds: list[Indicator]) -> list[Finding]:
    """A count of organisations or people against the names its bracket lists ("10 Đảng bộ
    (Vinh, Nam Đàn, Hưng Nguyên)" names 3): every item a capitalised name, at least three, no
    sign of examples ("như", "...", "khác")."""
    bracket, examples = _named_list_patterns()
    findings = []
    for total in inds:
        if total.unit not in ("organisation", "person", "count") or total.value < 3 \
                or not float(total.value).is_integer():
            continue
        m = bracket.match(text, total.end)
        if m is None or examples.search(m.group(1)):
            continue
        items = [i.strip() for i in re.split(r"\s*[,;]\s*|\s+và\s+", m.group(1).strip())]
        if len(items) < 3 or not all(i[:1].isupper() and len(i.split()) <= 6 for i in items):
            continue
        if len(items) != total.value:
            f = _text_finding(total, float(len(items)), [], 0.0)
            f.details["listed"] = items
            f.details["part_mentions"] = [{"item": i, "text": i} for i in items]
            findings.append(f)
    return findings


_SPECIFIED = re.compile(r"(?:^|(?<=[.!?:]\s))\s*(?:-\s*)?(?:cu the|trong (?:so )?do)\s*[,:]\s*"
                        r"(?:co\s*:?\s*)?")


def _specified(folded: str, inds: list[Indicator]) -> list[Finding]:
    """A sentence opening "Cụ thể," whose counts name every kind of a partition by their
    subjects (`kinds_by_subject`) against the last count of their measure in the sentence
    before ("... kỷ luật 7.056 đảng viên. Cụ thể, có 5.486 đảng viên bị khiển trách; ...")."""
    findings = []
    starts = [i.start for i in inds]  # sorted: look up each sentence's counts, not all of them
    for m in _SPECIFIED.finditer(folded):
        end_m = _CLAUSE_SENTENCE.search(folded, m.end())
        end = end_m.start() if end_m else len(folded)
        inside = [i for i in inds[bisect_left(starts, m.end()):bisect_left(starts, end)]
                  if i.kind == "actual"]
        if len(inside) < 2 or inside[0].unit not in _COUNTED:
            continue
        unit = inside[0].unit
        parts = [i for i in inside if i.unit == unit]
        head = folded[:m.start()].rstrip(" \n.!?:-")
        before = max(head.rfind(". "), head.rfind("\n"), head.rfind("! "), head.rfind("? "))
        earlier = [i for i in inds[bisect_left(starts, before + 1):bisect_left(starts, m.start())]
                   if i.unit == unit and i.kind == "actual"]
        if not earlier or len(parts) != len(inside):
            continue
        # The last count before whose noun the kinds belong to ("... gồm 34 người, đại diện
        # cho hơn 67.000 đảng viên ... . Trong đó, 3 đại biểu đương nhiên, ...": the 34).
        total = next((e for e in reversed(earlier) if _kinds_covered(e, parts)), None)
        if total is None:
            continue
        computed = sum(p.value for p in parts)
        tol = _text_tolerance(total, parts)
        if abs(computed - total.value) > tol + _EPS:
            findings.append(_text_finding(total, computed, parts, tol))
    return findings


def _kinds_covered(total: Indicator, parts: list[Indicator]) -> bool:
    whole = fold(total.unit_text or total.subject or "")
    subjects = [fold(p.subject or "") for p in parts]
    for rule in _totals_data().get("kinds_by_subject", []):
        if not re.search(rule["whole"], whole):
            continue
        kinds = [next((k for k, pat in enumerate(rule["parts"]) if re.search(pat, s)), None)
                 for s in subjects]
        if None not in kinds and sorted(kinds) == list(range(len(rule["parts"]))):
            return True
    return False


_COUNTED = ("person", "organisation", "times", "count", "VND", "area", "USD")
# What opens a total's list of parts, right after it: "(trong đó có", ", trong đó", "; trong
# đó", "gồm:", ", bao gồm", ", với hình thức:", or a bracket holding numbers ("722 tổ chức ...
# (589 ở xã, 77 ở phường ...)").
_OPEN = re.compile(
    r"[^\d.;!?]{0,60}?(?P<mark>\(\s*(?:trong (?:so )?do(?! tuoi)(?: co)?|(?:bao )?gom"
    r"|voi (?:cac )?hinh thuc)\s*:?|\((?=\s*\d)|(?<!\w)trong (?:so )?do(?! tuoi)(?: co)?"
    r"|(?<!\w)(?:bao )?gom(?!\w)"
    r"|(?<!\w)voi (?:cac )?hinh thuc(?!\w)"
    # "63 đảng viên (khiển trách 15, cảnh cáo 20, cách chức 10, khai trừ 18)", "(đã kỷ luật 3
    # đảng viên, không thi hành kỷ luật 20 đảng viên ...)": labelled counts
    r"|\((?=\s*(?!(?:trong|gom|bao|tang|giam|con)\b)[a-z]+(?: [a-z]+){0,3}\s+\d[\d.,]*"
    r"(?:\s+[a-z]+){0,3}\s*[,;)]))\s*:?"
    r"|\s*;\s*(?P<semi>trong (?:so )?do(?! tuoi)(?: co)?)(?!\w)\s*:?")
# An aside in brackets between a total and its list: "36 TCCS đảng (giảm 1 đảng bộ, do ...) gồm:
# 12 đảng bộ cơ sở và 24 chi bộ cơ sở".
_ASIDE = re.compile(r"[^\d.;!?()]{0,60}?\((?!\s*(?:trong|gom|bao gom|voi (?:cac )?hinh thuc)\b)"
                    r"[^()]{0,240}\)")
# What ends it: a sub-level ("với 3.069 chi bộ trực thuộc"), another breakdown ("trong đó"),
# an aside in brackets ("(giảm 3 chi bộ ...)"), the end of the sentence.
_BREAK = re.compile(r"(?<!so )(?<!\w)voi(?!\w)|(?<!\w)trong (?:so )?do(?!\w)(?! tuoi)"
                    r"|[.!?](?:\s|$)|\n|[()]")
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n")


def _after(inds: list[Indicator], n: int) -> Iterator[Indicator]:
    """inds[n + 1:] without copying the rest of the list."""
    return (inds[k] for k in range(n + 1, len(inds)))


def _open_list(folded: str, inds: list[Indicator], n: int) -> re.Match[str] | None:
    """The mark that opens the list of parts of `inds[n]`, if any: right after the total, after
    one aside in brackets, or after a count of another measure in the same clause ("33 tổ chức
    cơ sở Đảng trực thuộc với tổng số 1.480 đảng viên (gồm: 15 Đảng bộ cơ sở ... và 18 Chi bộ
    cơ sở)") when the list's first part is of the total's measure."""
    total = inds[n]

    def opened(at: int) -> re.Match[str] | None:
        m = _OPEN.match(folded, at)
        if m is None:
            aside = _ASIDE.match(folded, at)
            m = _OPEN.match(folded, aside.end()) if aside else None
        return m

    m = opened(total.end)
    if m is not None:
        # The words between the total and the list belong to the total ("tổ chức cơ sở đảng ở
        # xã, phường, thị trấn"); a number there (outside an aside) means the list is not its.
        start = m.start("mark") if m.group("mark") else m.start("semi")
        # `inds` is sorted by start: walk only up to `start` (a list of all the later
        # mentions per total was quadratic on a long document).
        between = [i for i in takewhile(lambda i: i.start < start, _after(inds, n))
                   if total.end <= i.start]
        aside = _ASIDE.match(folded, total.end)
        if not between or (aside and all(i.end <= aside.end() for i in between)):
            return m
        return None
    end = _CLAUSE_END.search(folded, total.end)
    limit = min(end.start() if end else len(folded), total.end + 120)
    for k in range(n + 1, len(inds)):
        other = inds[k]
        if other.start >= limit or other.unit == total.unit:
            return None
        m = opened(other.end)
        if m is None:
            continue
        first = next((i for i in inds[k + 1:] if i.start >= m.end()), None)
        if first is not None and first.unit == total.unit and first.unit_text:
            return m
        return None
    return None


def _listed_parts(text: str, folded: str, inds: list[Indicator], n: int
                  ) -> tuple[bool, list[Indicator]] | None:
    """(whether the list claims to be complete, its parts) for the total `inds[n]`, or None
    when no list of at least two parts of the same measure follows it."""
    total = inds[n]
    m = _open_list(folded, inds, n)
    if m is None:
        return None
    mark = m.group("mark") or m.group("semi")
    bracket = mark.startswith("(")
    complete = "trong" not in mark  # "gồm", "bao gồm", a bare bracket: all the parts
    colon = ":" in m.group()
    pos = m.end()
    parts: list[Indicator] = []
    asides = _asides(folded, pos, colon)
    end = _CLAUSE_SENTENCE.search(folded, pos)
    # A short note in brackets with no number ("thị trấn Đà Bắc (huyện lỵ) và 16 xã") is part
    # of the name before it; the list goes on after it.
    asides = sorted(asides + [(pos + a.start(), pos + a.end()) for a in _NOTE.finditer(
        folded[pos:end.start() if end else len(folded)])])
    for i in _after(inds, n):
        if i.start < pos or any(a <= i.start < b for a, b in asides):
            continue
        gap = _without(folded, pos, i.start, asides)
        if _BREAK.search(gap) or (bracket and ")" in gap) or len(gap) > 90:
            break
        if ";" in gap and re.search(r"(?<!\w)(?:có|gồm|là|đạt)(?!\w)",
                                    text[pos:i.start].rsplit(";", 1)[-1]):
            break  # "...; tỉnh Bình Dương có 9 đơn vị ...": a new clause with its own total
        if gap.strip(" ,:"):
            # "gồm 8 huyện, 1 thị xã và 2 thành phố" with "1 thị xã" unread by the indicator
            # reader: a number naming a kind the whole is made of is a part; any other number
            # means a part is missing, so the sum says nothing.
            unread = _unread_parts(text, folded, pos, i.start, total, asides)
            if unread is None and parts:
                return None
            parts.extend(unread or [])
        labelled = _labelled(folded, i)
        if (i.unit != total.unit and not labelled) or i.kind != total.kind:
            break
        if ";" in gap and i.key and i.key != total.key and not colon:
            break  # "...; kiểm tra 40 tổ chức đảng": a count of its own
        if i.value >= total.value > 0:
            # Not a part but another whole: "..., đưa tổng số đảng viên ... đạt 74.108 đảng
            # viên"; or a chain of subsets: "kiểm tra 48 đảng viên (có vi phạm 48 đồng chí,
            # phải thi hành kỷ luật 14 đồng chí)".
            break
        parts.append(i)
        pos = i.end
    if parts:
        # The last parts may be unread too ("gồm 8 huyện, 2 thành phố và 1 thị xã.").
        stop = _BREAK.search(folded, pos)
        end = min(stop.start() if stop else len(folded), pos + 90)
        semi = folded.find(";", pos, end)
        parts.extend(_unread_parts(text, folded, pos, semi if semi >= 0 else end, total, asides,
                                   trailing=True) or [])
    if any(not _same_kind(total, p, folded, label)
           for p, label in zip(parts, _part_labels(folded, parts), strict=True)):
        return None  # "248 đảng bộ cơ sở (14 đảng bộ bộ phận và 2.370 chi bộ trực thuộc)"
    if _cross_cutting(parts):
        return None  # "(gồm 32 đảng viên người dân tộc thiểu số, ..., 33 đảng viên nữ)"
    if bracket and complete and "gom" not in mark and parts and all(
            _qualified(folded, total, p) for p in parts):
        # "586 cán bộ chính trị (40 cán bộ cao cấp và 105 cán bộ cấp vụ)": a bare bracket of
        # sub-kinds, each the total's noun with a qualifier of its own, names some of them,
        # like "trong đó"; only a known partition must add up.
        complete = False
    if len(parts) == 1 and complete and _sole_kind(total, parts[0], folded, m):
        return (True, parts)  # "34 đơn vị hành chính cấp xã, gồm 30 phường."
    if len(parts) < 2 and not (len(parts) == 1 and not complete):
        return None
    if len(parts) == 1:
        return (False, parts)  # "trong đó 15.264 ha": one part, never a whole
    return complete, parts


_NOTE = re.compile(r"\s*\((?!\s*(?:trong|gom|bao gom|voi)\b)[^()\d;:]{1,30}\)")
_NAME_NUMBER = re.compile(r"(?<!\w)(?:khoa|lan thu|thu|so|nam|nhiem ky|giai doan)\s+[\d\-–]+"
                          r"(?!\s*(?:,\s*)?\d)")
@cache
def _qualifier_numbers() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(_totals_data()["qualifier_numbers"]) + r")(?!\w)")


_BARE_COUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s+")
_SEGMENT_SEP = re.compile(r"\s*,\s*|\s+va\s+")


def _unread_parts(text: str, folded: str, start: int, end: int, total: Indicator,
                  asides: list[tuple[int, int]], trailing: bool = False
                  ) -> list[Indicator] | None:
    """The parts in text[start:end] the indicator reader left out: a number followed by a kind
    the total's whole is made of (`partitions`: "1 thị xã" in a list of "đơn vị hành chính"),
    or, for wholes whose partition says `named_single`, one place named by its kind ("thị trấn
    Đà Bắc", counting 1). None when a number there names no such kind. `trailing`: the text
    after the last part, where only ", ..." / "và ..." continue the list; anything else ends it."""
    whole = fold(total.unit_text or total.subject or "")
    rules = [r for r in _partition_rules() if r["whole"].search(whole)]
    kinds = [pat for r in rules for pat in r["parts"]]
    singles = [pat for r in rules if r["named_single"] for pat in r["parts"]]
    out: list[Indicator] = []
    at = start
    # A number that is part of a name or a date ("Ủy viên Trung ương khóa 13", "năm 2020")
    # counts nothing: blanked, same length.
    segment = _NAME_NUMBER.sub(lambda m: " " * len(m.group()),
                               _without(folded, start, end, asides))
    # ... and so does a number qualifying an item ("2 đồng chí 60 năm tuổi Đảng": a badge).
    segment = _qualifier_numbers().sub(lambda m: " " * len(m.group()), segment)
    if any(a <= start < b for a, b in asides):
        return out
    for piece in _SEGMENT_SEP.split(segment):
        offset = folded.find(piece, at, end) if piece else -1
        if not piece.strip() or offset < 0:
            continue
        if trailing and at == start and offset == start and not re.search(r"\d", piece):
            at = offset + len(piece)  # the rest of the last part's noun ("2 thành| phố")
            continue
        if trailing and not re.fullmatch(r"\s*(?:,|va)\s*", folded[at:offset]):
            break
        number = _BARE_COUNT.match(piece)
        if number is not None:
            noun = next((k.match(piece, number.end()) for k in kinds
                         if k.match(piece, number.end())), None)
            if noun is None:
                return out if trailing else None
            value = float(number.group(1).replace(".", ""))
            noun_start, noun_end = offset + noun.start(), offset + noun.end()
        else:
            noun = next((k.match(piece) for k in singles if k.match(piece)), None)
            after = text[offset + noun.end():].lstrip()[:1] if noun else ""
            if noun is None or not after.isupper():
                if re.search(r"\d", piece) and not trailing:
                    return None
                if trailing:
                    break
                continue
            value = 1.0  # "thị trấn Đà Bắc": one place
            noun_start, noun_end = offset, offset + noun.end()
        out.append(Indicator(subject=folded[noun_start:noun_end], value=value, unit=total.unit,
                             surface=text[offset:noun_end], start=offset, end=noun_end,
                             unit_text=text[noun_start:noun_end], kind=total.kind,
                             period=total.period, section=total.section, where=total.where))
        at = noun_end
    return out


def _qualified(folded: str, total: Indicator, part: Indicator) -> bool:
    """Whether `part` is named by the total's noun with another qualifier ("cán bộ cao cấp"
    under "cán bộ chính trị"): the words printed after each number, up to a separator."""

    def words(ind: Indicator) -> list[str]:
        after = re.sub(r"^[\d.,]+", "", folded[ind.start:ind.start + 60])
        return re.split(r"[,;:()]|\s+va\s+|\s+trong\s", after)[0].split()[:4]

    whole, own = words(total), words(part)
    return len(whole) >= 2 and len(own) > 2 and own[:2] == whole[:2] and own != whole


def _sole_kind(total: Indicator, part: Indicator, folded: str, m: re.Match[str]) -> bool:
    """"34 đơn vị hành chính cấp xã, gồm 30 phường.": the one part a "gồm" list names, right
    after it and closing the sentence, of a kind the whole is made of (`partitions`) and named
    by another noun, claims the whole."""
    if "gom" not in (m.group("mark") or "") or folded[m.end():part.start].strip(" :"):
        return False
    if not re.match(r"\s*(?:[.;]|$)", folded[part.end:]):
        return False
    if not part.unit_text or not total.unit_text:
        return False
    if fold(part.unit_text).split()[:1] == fold(total.unit_text).split()[:1]:
        return False
    return _known_partition(total, [part], cover=False)


def _part_labels(folded: str, parts: list[Indicator]) -> list[str]:
    """The words printed with each part, from the end of the part before it to the next
    separator: "chinh thuc 10", "01 dong chi"; "10 dai bieu chinh thuc"."""
    labels = []
    for k, p in enumerate(parts):
        start = parts[k - 1].end if k else max(0, p.start - 40)
        head = re.split(r"[,;:(]|\btrong (?:so )?do(?: co)?\b|\bgom\b", folded[start:p.start])[-1]
        tail = re.split(r"[,;)(.]|\s+va\s+", folded[p.end:p.end + 60])[0]
        labels.append(" ".join(f"{head} {folded[p.start:p.end]} {tail}".split()))
    return labels


def _asides(folded: str, start: int, colon: bool) -> list[tuple[int, int]]:
    """Spans inside a list that are no parts, after which the list goes on: in a colon list a
    bracket followed by ";" ("353 đồng chí là đại biểu bầu theo quy định (tại 11 đảng bộ ...);
    1.070 đại biểu ..."); in any list the sub-level of one part followed by the next part ("15
    Đảng bộ cơ sở với 146 chi bộ trực thuộc và 18 Chi bộ cơ sở", not "... với 02 đảng bộ bộ
    phận và 289 chi bộ trực thuộc", sub-levels both)."""
    end = _CLAUSE_SENTENCE.search(folded, start)
    stop = end.start() if end else len(folded)
    spans = []
    if colon:
        for m in re.finditer(r"\([^()]{0,240}\)(?=\s*;)", folded[start:stop]):
            spans.append((start + m.start(), start + m.end()))
    for m in _SUB_LEVEL.finditer(folded[start:stop]):
        spans.append((start + m.start(), start + m.end()))
    return sorted(spans)


_SUB_LEVEL = re.compile(r"(?<!\w)voi \d[\d.]* (?:chi bo|dang bo|to dang)[^,;.()\d]{0,30}?"
                        r"(?=\s*(?:,|;|va)\s*\d[\d.]* (?:chi bo|dang bo)(?! bo phan| truc thuoc))")


_CLAUSE_SENTENCE = re.compile(r"[.!?](?:\s|$)|\n")


def _without(folded: str, start: int, end: int, asides: list[tuple[int, int]]) -> str:
    gap = folded[start:end]
    for a, b in reversed(asides):
        if start <= a and b <= end:
            gap = gap[:a - start] + gap[b - start:]
    return gap


def _labelled(folded: str, part: Indicator) -> bool:
    """A bare number ("khiển trách 26") or one followed by a label ("17 khiển trách") counts
    what its total counts."""
    if not part.unit_text:
        return True
    after = folded[part.start:part.start + len(part.surface) + 20]
    after = re.sub(r"^[\d.,\s]+", "", after)
    return any(after.startswith(label) for label in _totals_data()["part_labels"])


def _same_kind(total: Indicator, part: Indicator, folded: str = "", label: str = "") -> bool:
    """A part with its own noun names the same thing as the total ("215 cửa hàng" - "135 cửa
    hàng"), or one of the kinds the total is made of (`partitions`); a bare part ("314")
    takes the total's noun; among people a generic noun ("đồng chí", "người") names no kind."""
    if not part.unit_text or not total.unit_text or (folded and _labelled(folded, part)):
        return True
    head = fold(total.unit_text).split()[:2]
    if fold(part.unit_text).split()[:2] == head:
        return True
    if total.unit == "person" == part.unit:
        generic = _totals_data()["generic_person"]
        if fold(total.unit_text) in generic or fold(part.unit_text) in generic:
            return True
    return _known_partition(total, [part], cover=False, labels=[label] if label else None)


def _cross_cutting(parts: list[Indicator]) -> bool:
    """Whether the parts are named by two or more qualities of people that overlap
    (`cross_cutting`: sex, ethnicity, religion, age, education ...)."""
    qualities = set()
    for p in parts:
        subject = fold(p.subject or "")
        for k, pattern in enumerate(_totals_data().get("cross_cutting", [])):
            if re.search(pattern, subject):
                qualities.add(k)
    return len(qualities) >= 2


@cache
def _totals_data() -> dict:
    return load_yaml("totals.yaml")


def _text_tolerance(total: Indicator, parts: list[Indicator]) -> float:
    """Printed decimals round: n parts with d decimals may miss the total by n * 0.5 * 10^-d."""
    decimals = max(_decimals(p.surface) for p in [total, *parts])
    if not decimals:
        return 0.0
    scale = total.value / parse_number_or_one(total)
    return (len(parts) + 1) * 0.5 * 10 ** -decimals * scale


def parse_number_or_one(ind: Indicator) -> float:
    """The printed number of `ind` (before "nghìn", "triệu" scaled it), else 1."""
    m = re.match(r"\d[\d.,]*", ind.surface)
    if m is None:
        return 1.0
    from pipeline.extract.numbers import parse_number

    value = parse_number(m.group())
    return value if value else 1.0


def _known_partition(total: Indicator, parts: list[Indicator], cover: bool = True,
                     labels: list[str] | None = None) -> bool:
    """Whether the parts named after "trong đó" are all the kinds the whole has (data:
    indicator_lexicon.yaml `partitions`): "tổ chức cơ sở đảng" = đảng bộ cơ sở + chi bộ cơ
    sở; "ủy viên" = chính thức + dự khuyết; members = full + reserve. `labels`: the words
    printed with each part ("chính thức 10", "10 đại biểu chính thức"), when known."""
    keys = {p.key for p in parts}
    if total.key == "members_total" and any(keys == {a, b} for a, b in _PARTITIONS):
        return True
    whole = fold(total.unit_text or total.subject or "")
    named = labels or [fold(p.unit_text or p.subject or "") for p in parts]
    for rule in _partition_rules():
        if not rule["whole"].search(whole):
            continue
        covered = {k for k, pat in enumerate(rule["parts"]) for name in named if pat.search(name)}
        each = all(any(pat.search(name) for pat in rule["parts"]) for name in named)
        if each and (not cover or covered == set(range(len(rule["parts"])))):
            return True
    return False


@cache
def _partition_rules() -> list[dict]:
    data = [*load_yaml("indicator_lexicon.yaml").get("partitions", []),
            *_totals_data().get("partitions", [])]
    return [{"whole": re.compile(r["whole"]), "parts": [re.compile(p) for p in r["parts"]],
             "named_single": bool(r.get("named_single"))} for r in data]


def footnote_counts(doc: Document, indicators: Sequence[Indicator]) -> list[Finding]:
    """"ban hành 05 văn bản(3)" whose footnote lists (1), (2), (3), (5): a stated count against
    the numbered items listed for it."""
    findings = []
    offsets = doc.block_offsets()
    body = [i for i in indicators if i.where == "body" and i.unit in _COUNTED]
    for note in doc.footnotes:
        if note.block is None or note.offset is None or not 0 <= note.block < len(offsets):
            continue
        marker = offsets[note.block][0] + note.offset
        stated = next((i for i in body if 0 <= marker - i.end <= 3), None)
        if stated is None or not float(stated.value).is_integer():
            continue
        text = note.text.strip()
        marks = list(_ITEM.finditer(text))
        if len(marks) < 2 or marks[0].start() != 0:
            continue
        if len(marks) != stated.value:
            f = _text_finding(stated, float(len(marks)), [], 0.0)
            ends = [m.start() for m in marks[1:]] + [len(text)]
            f.details["listed"] = [m.group(1) for m in marks]
            f.details["part_mentions"] = [
                {"item": f"({m.group(1)})", "text": text[m.end():e].strip(" ;.")[:120]}
                for m, e in zip(marks, ends, strict=True)]
            f.details["footnote"] = note.id
            findings.append(f)
    return findings


_ITEM = re.compile(r"(?:(?<=^)|(?<=[\s;.,]))\(?(\d{1,2})\)\s*")


def _partitions(inds: list[Indicator]) -> list[Finding]:
    """members_total = official + reserve = male + female, the parts found after the total in
    the same passage; male % + female % = 100 for shares stated next to each other."""
    findings = []
    for n, total in enumerate(inds):
        if total.key != "members_total" or total.kind != "actual" or total.unit != "person":
            continue
        window = []
        for i in inds[n + 1:]:
            if i.start - total.end > _PARTITION_REACH or i.key == "members_total":
                break
            if i.kind == "actual" and i.unit == "person":
                window.append(i)
        for a, b in _PARTITIONS:
            pa = next((i for i in window if i.key == a), None)
            pb = next((i for i in window if i.key == b), None)
            if pa is not None and pb is not None:
                computed = pa.value + pb.value
                if abs(computed - total.value) > _EPS:
                    findings.append(_text_finding(total, computed, [pa.value, pb.value], 0.0))
    for n, first in enumerate(inds):
        if first.unit != "%" or first.key not in ("members_male", "members_female"):
            continue
        other = "members_female" if first.key == "members_male" else "members_male"
        # In start order: past the reach nothing later is near (a scan to the end for each
        # share was quadratic: 2.2 s of a 5 MB DOCX's 80,000 indicators, issue 16).
        reach = first.end + _SHARE_REACH
        near = takewhile(lambda i, reach=reach: i.start <= reach, inds[n + 1:])
        second = next((i for i in near if i.unit == "%" and i.key == other), None)
        if second is None:
            continue
        decimals = max(_decimals(first.surface), _decimals(second.surface))
        tol = 2 * 0.5 * 10 ** -decimals
        computed = first.value + second.value
        if abs(computed - 100) > tol + _EPS:
            f = _text_finding(second, computed, [first.value, second.value], tol)
            f.details["stated"] = 100.0
            findings.append(f)
    return findings


def _distinct(items: list[Indicator]) -> list[Indicator]:
    """One indicator per value: a passage repeated further down does not make two."""
    seen: dict[float, Indicator] = {}
    for i in items:
        seen.setdefault(i.value, i)
    return list(seen.values())


def _decimals(surface: str) -> int:
    m = re.search(r",(\d+)", surface)
    return len(m.group(1)) if m else 0


def _text_finding(total: Indicator, computed: float, parts: Sequence[Indicator | float],
                  tol: float) -> Finding:
    """A total_mismatch on a total stated in the text, naming its parts."""
    subject = total.subject or ""
    values = [p.value if isinstance(p, Indicator) else p for p in parts]
    named = [{"value": p.value, "surface": p.surface, "subject": p.subject, "start": p.start,
              "end": p.end} for p in parts if isinstance(p, Indicator)]
    return Finding(
        kind="total_mismatch",
        severity="warning",
        message=message("finding.total_mismatch", "vi", stated=_fmt(total.value),
                        computed=_fmt(computed), subject=subject),
        where=total.where,
        start=total.start,
        end=total.end,
        details={
            "stated": total.value, "computed": computed,
            "difference": round(abs(total.value - computed), 6), "tolerance": tol,
            "parts": values, "part_mentions": named, "subject": subject, "key": total.key,
            "message_en": message("finding.total_mismatch", "en", stated=_fmt(total.value),
                                  computed=_fmt(computed), subject=subject),
        },
    )


# -- targets -------------------------------------------------------------------------------------


def targets_not_met(indicators: Sequence[Indicator], meta: Meta | None = None) -> list[Finding]:
    """A target and a result for the same key, unit and period that disagree."""
    groups: dict[tuple[str, str, str], dict[str, list[Indicator]]] = defaultdict(
        lambda: {"target": [], "actual": []})
    weak_period = str(meta.year) if meta and meta.year and not meta.term else None
    for i in indicators:
        if not i.key or not i.period or i.period == weak_period:
            continue  # a period only guessed from the report's year is too weak to compare
        groups[(i.key, i.unit, i.period)][i.kind].append(i)
    findings = []
    lex = lexicon()
    for (key, unit, period), kinds in groups.items():
        if not kinds["target"] or not kinds["actual"]:
            continue
        rule = lex.rule(key)
        lower = bool(rule and rule.lower_is_better)
        actuals = [a.value for a in kinds["actual"]]
        best = min(actuals) if lower else max(actuals)
        done: set[float] = set()
        for t in kinds["target"]:
            goal = t.value if not lower else (t.value_max or t.value)
            if goal in done:
                continue
            done.add(goal)
            missed = best > goal + _EPS if lower else best < goal - _EPS
            if not missed:
                continue
            label = rule.label_vi if rule else key
            findings.append(Finding(
                kind="target_not_met",
                severity="warning",
                message=message("finding.target_not_met", "vi", subject=label,
                                target=_fmt(goal), actual=_fmt(best), unit=_unit(unit),
                                period=period),
                where=t.where,
                start=t.start,
                end=t.end,
                details={
                    "key": key, "unit": unit, "period": period, "target": goal,
                    "actual": best, "actuals": sorted(set(actuals)),
                    "lower_is_better": lower,
                    "message_en": message("finding.target_not_met", "en",
                                          subject=rule.label_en if rule else key,
                                          target=_fmt(goal), actual=_fmt(best),
                                          unit=_unit(unit), period=period),
                },
            ))
    return findings


def _unit(unit: str) -> str:
    return "%" if unit == "%" else ""
