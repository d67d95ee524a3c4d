"""Findings on references: a replaced document cited, a cited date that disagrees with the
registry, a party document numbered in the state pattern.

Messages are stored in Vietnamese (the default language) with the English text in
`details.message_en`; their templates are in `data/messages.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.reference_grammar import fold, grammar
from pipeline.extract.references import unparsed_numbers
from pipeline.extract.registry import Entry, Registry, default_registry
from pipeline.i18n import message
from pipeline.model import Finding, Reference

# A party number written as a state number: "57/NQ-TW", "57/NQ/TW" (what the grammar's
# malformed-party branch matches).
_STATE_SHAPE = re.compile(r"^\d+\s*/")


def check_references(
    refs: Sequence[Reference],
    registry: Registry | None = None,
    as_of: str | None = None,
    text: str | None = None,
) -> list[Finding]:
    """Findings for the references of one document.

    `as_of` (YYYY-MM-DD, the report's own date) is needed for `superseded_reference`: it is
    raised only when the report is dated after the replacement (no date, no finding).
    `text` (the body the references come from): a number a type word announces but the grammar
    cannot read ("Thông tư số 45/2006/TT") is a `malformed_reference` too, with its surface."""
    reg = registry if registry is not None else default_registry()
    findings: list[Finding] = []
    for ref in refs:
        findings.extend(_malformed(ref, reg))
        if ref.kind not in ("party", "state"):
            continue
        entries = reg.lookup(ref.id, date=ref.date, year=_cited_year(ref), term=ref.term)
        if not entries:
            continue
        findings.extend(_date_mismatch(ref, entries))
        findings.extend(_superseded(ref, entries, reg, as_of))
    if text is not None:
        findings.extend(_unparsed(text, refs))
    return findings


def _unparsed(text: str, refs: Sequence[Reference]) -> list[Finding]:
    found = []
    for start, end in unparsed_numbers(text, refs):
        surface = " ".join(text[start:end].split())
        found.append(Finding(
            kind="malformed_reference", severity="warning",
            message=message("finding.malformed_reference_unparsed", "vi", surface=surface),
            where="body", start=start, end=end,
            details={"surface": surface, "suggested": None, "message_en": message(
                "finding.malformed_reference_unparsed", "en", surface=surface)},
        ))
    return found


def _finding(kind: str, severity: str, ref: Reference, **params: str | None) -> Finding:
    details = {"id": ref.id, **params}
    # Messages show dates the way Vietnamese documents write them (25/10/2021).
    text = {k: _shown(v) for k, v in details.items()}
    text["surface"] = " ".join(ref.surface.split())
    return Finding(
        kind=kind,
        severity=severity,  # type: ignore[arg-type]
        message=message(f"finding.{kind}", "vi", **text),
        where=ref.where,
        start=ref.start,
        end=ref.end,
        details={**details, "message_en": message(f"finding.{kind}", "en", **text)},
    )


def _shown(value: str | None) -> str:
    if value is None:
        return "?"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = value.split("-")
        return f"{int(d):02d}/{int(m):02d}/{y}"
    return value


def _cited_year(ref: Reference) -> int | None:
    # The year of a party number comes from the text ("năm 2017"); a state normative number
    # carries its own year, which is the document's year by definition.
    return ref.year if ref.kind == "party" else None


def _malformed(ref: Reference, reg: Registry) -> list[Finding]:
    if _unknown_type(ref):
        # "180/2007/NQQ-CP": read as printed, but no document type is coded "NQQ"
        surface = " ".join(ref.surface.split())
        return [Finding(
            kind="malformed_reference", severity="warning",
            message=message("finding.malformed_reference_unparsed", "vi", surface=surface),
            where=ref.where, start=ref.start, end=ref.end,
            details={"id": ref.id, "surface": surface, "suggested": None, "message_en": message(
                "finding.malformed_reference_unparsed", "en", surface=surface)},
        )]
    if ref.kind == "party" and ref.resolved_from is None and _STATE_SHAPE.match(ref.surface):
        return [_finding("malformed_reference", "warning", ref, suggested=ref.id)]
    official = reg.official_id(ref.id)
    if official != ref.id:
        return [_finding("malformed_reference", "warning", ref, suggested=official)]
    return []


_YEAR_TYPE = re.compile(r"^\d+[A-Za-z]?/\d{4}/([^\W\d_]+)-")


def _unknown_type(ref: Reference) -> bool:
    """A state number with a year whose type code the grammar does not know ("NQQ")."""
    if ref.kind != "state":
        return False
    m = _YEAR_TYPE.match(ref.id)
    return m is not None and fold(m.group(1)) not in grammar().type_codes


def _date_mismatch(ref: Reference, entries: list[Entry]) -> list[Finding]:
    dated = [e for e in entries if e.date]
    # A resolved short form carries its antecedent's date: that mention was checked already.
    if not dated or ref.resolved_from is not None:
        return []
    if ref.date is not None:
        if any(e.date == ref.date for e in dated):
            return []
        nearest = min(dated, key=lambda e: abs(int(e.date[:4]) - int(ref.date[:4])))  # type: ignore[index]
        return [_finding("reference_date_mismatch", "warning", ref, cited_date=ref.date,
                         registry_date=nearest.date)]
    year = _cited_year(ref)
    if year is not None and not any(e.year == year for e in dated):
        nearest = min(dated, key=lambda e: abs((e.year or 0) - year))
        return [_finding("reference_date_mismatch", "warning", ref, cited_date=str(year),
                         registry_date=nearest.date)]
    return []


def _superseded(
    ref: Reference, entries: list[Entry], reg: Registry, as_of: str | None
) -> list[Finding]:
    # Only when the citation points to one document: "35-CT/TW" without a date or term may be
    # the 2019 directive (never replaced) or the 2024 one (replaced by 45-CT/TW).
    if len(entries) != 1 or entries[0].replaced_by is None:
        return []
    entry = entries[0]
    replaced_on = entry.replaced_by_date
    if replaced_on is None:
        successor = reg.by_id(entry.replaced_by)  # type: ignore[arg-type]
        replaced_on = successor[-1].date if successor else None
    # Only when the citing document's date is known and later than the replacement: an
    # undated article of about 2013 citing 47-QĐ/TW must not be told it was replaced in 2021.
    if as_of is None or replaced_on is None or as_of <= replaced_on:
        return []
    return [_finding("superseded_reference", "warning", ref, replaced_by=entry.replaced_by,
                     replaced_on=replaced_on, registry_date=entry.date)]

