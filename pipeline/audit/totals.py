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
from collections import defaultdict
from collections.abc import Sequence

from pipeline.extract.indicator_lexicon import lexicon
from pipeline.extract.indicator_tables import Grid, cell_offsets, read_grid
from pipeline.i18n import message
from pipeline.model import Document, Finding, Indicator, Meta

__all__ = ["check_totals", "table_totals", "text_totals", "targets_not_met"]

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
    """"X ..., trong đó A ... B ..." and the known partitions of members (see module doc)."""
    findings = []
    inds = sorted(indicators, key=lambda i: i.start)
    for n, total in enumerate(inds):
        if total.kind != "actual" or total.unit not in ("person", "organisation", "times",
                                                         "count", "VND"):
            continue
        end = _sentence_end(text, total.end)
        m = _TRONG_DO.search(text, total.end, end)
        if m is None or _has_other_number(inds, n, m.start()):
            continue
        parts = [i for i in inds[n + 1:] if m.end() <= i.start < end]
        if len(parts) < 2 or any(p.unit != total.unit for p in parts):
            continue
        computed = sum(p.value for p in parts)
        known = {p.key for p in parts} in ({a, b} for a, b in _PARTITIONS)
        if known and total.key != "members_total":
            known = False
        if computed > total.value + _EPS or (known and abs(computed - total.value) > _EPS):
            findings.append(_text_finding(total, computed, [p.value for p in parts], 0.0))
    flagged = {f.start for f in findings}
    findings.extend(f for f in _partitions(inds) if f.start not in flagged)
    return findings


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.start() if m else len(text)


def _has_other_number(inds: list[Indicator], n: int, pos: int) -> bool:
    return any(inds[n].end <= i.start < pos for i in inds[n + 1:])


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
        second = next((i for i in inds[n + 1:] if i.unit == "%" and i.key == other
                       and i.start - first.end <= _SHARE_REACH), None)
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


def _text_finding(total: Indicator, computed: float, parts: list[float], tol: float
                  ) -> Finding:
    subject = total.subject or ""
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
            "parts": parts, "subject": subject, "key": total.key,
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
