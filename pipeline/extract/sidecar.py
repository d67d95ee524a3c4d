"""Metadata sidecars (`report.pdf.meta.yaml`, `report.meta.json`): read safely, checked field by
field.

A sidecar is written by a person (or copied from somewhere), so nothing in it is trusted:
- the file is read only up to `MAX_BYTES` (a metadata map is a few hundred bytes);
- YAML is parsed with the safe loader and at most `MAX_ALIASES` aliases ("billion laughs": a
  few lines of `&a [*b, *b, ...]` would otherwise build a structure of billions of nodes for
  every later `str()` or walk over it);
- every field is checked for its type and, where the set is closed, its allowed values
  (`unit_level` from `data/units.yaml`, `doc_type` from the classifier's labels, `province` a
  province of either era). A bad field is dropped with a warning naming the file, the field
  and what is expected; the other fields still apply. An unknown key is a warning too.
Nothing here raises for a bad sidecar: the caller gets (fields, warnings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from pipeline.data import load_yaml
from pipeline.extract.dates import iso_date, match_date
from pipeline.extract.numbers import fold
from pipeline.extract.unit_names import province_of
from pipeline.nlp.doctype import DOC_TYPES_ALL as DOC_TYPES

__all__ = ["MAX_BYTES", "MAX_ALIASES", "load_sidecar", "validate_fields", "sidecar_paths"]

MAX_BYTES = 64 * 1024
MAX_ALIASES = 50
_TERM = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")


class SidecarError(ValueError):
    """A sidecar that cannot be read at all (too big, not YAML/JSON, not a map)."""


def sidecar_paths(source: str | Path) -> list[Path]:
    """Where a sidecar for `source` may be: "<file>.meta.yaml|yml|json", "<stem>.meta.*"."""
    path = Path(source)
    out = []
    for base in (path.parent / path.name, path.parent / path.stem):
        for ext in (".meta.yaml", ".meta.yml", ".meta.json"):
            out.append(base.with_name(base.name + ext))
    return out


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing documents with more than MAX_ALIASES aliases."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise SidecarError(f"more than {MAX_ALIASES} YAML aliases (&/*): refused")
        return super().compose_node(parent, index)


def _parse(candidate: Path) -> dict[str, Any]:
    size = candidate.stat().st_size
    if size > MAX_BYTES:
        raise SidecarError(f"{candidate}: {size} bytes, more than {MAX_BYTES} for a metadata "
                           "sidecar: ignored")
    raw = candidate.read_bytes()[:MAX_BYTES].decode("utf-8", errors="replace")
    try:
        if candidate.suffix == ".json":
            data = json.loads(raw)
        else:
            loader = _LimitedLoader(raw)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
    except SidecarError as exc:
        raise SidecarError(f"{candidate}: {exc}") from exc
    except (json.JSONDecodeError, yaml.YAMLError, RecursionError) as exc:
        kind = candidate.suffix[1:].upper()
        raise SidecarError(f"{candidate}: not valid {kind}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SidecarError(f"{candidate}: expected a mapping of metadata fields "
                           f"(unit: ..., term: ...), got {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


def load_sidecar(source: str | Path) -> tuple[dict[str, Any], list[str]]:
    """The valid fields of the sidecar beside `source` ({} when none) and one warning per
    problem (file unreadable, unknown key, bad value). Never raises for the file's content."""
    for candidate in sidecar_paths(source):
        try:
            if not candidate.is_file():
                continue
            data = _parse(candidate)
        except (OSError, SidecarError) as exc:
            return {}, [f"metadata sidecar ignored: {exc}"]
        fields, problems = validate_fields(data)
        return fields, [f"metadata sidecar {candidate.name}: {p}" for p in problems]
    return {}, []


# -- field checks: each returns the normalised value or raises ValueError(what is expected) --


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected one name as text, got {_show(value)}")
    if len(value) > 300 or "\n" in value.strip():
        raise ValueError("expected one name on one line (at most 300 characters)")
    return value.strip()


def _choice(allowed: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.strip() not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}; got {_show(value)}")
        return value.strip()
    return check


def _province(value: Any) -> str:
    name = _text(value)
    found = province_of(name)
    if found is None:
        raise ValueError(f"not a province or centrally-run city: {_show(value)}")
    return found


def _term(value: Any) -> str:
    m = _TERM.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if m is None or not int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 10:
        raise ValueError(f"expected a term such as 2025-2030, got {_show(value)}")
    return f"{m.group(1)}-{m.group(2)}"


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"expected a year such as 2025, got {_show(value)}")
    text = str(value).strip()
    if not re.fullmatch(r"(?:19|20)\d\d", text):
        raise ValueError(f"expected a year such as 2025, got {_show(value)}")
    return int(text)


def _date(value: Any) -> str:
    # YAML reads an unquoted 2025-06-12 as a date object.
    text = value.isoformat() if hasattr(value, "isoformat") else value
    if not isinstance(text, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {_show(value)}")
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        y, m, d = (int(x) for x in text.split("-"))
        iso = iso_date(d, m, y)
        if iso:
            return iso
    m2 = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m2:
        iso = iso_date(int(m2.group(1)), int(m2.group(2)), int(m2.group(3)))
        if iso:
            return iso
    parsed = match_date(text)
    if parsed and parsed.iso and parsed.end - parsed.start >= len(text) - 1:
        return parsed.iso
    raise ValueError(f"not a date: {_show(value)} (write YYYY-MM-DD or DD/MM/YYYY)")


def _draft(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        f = fold(value.strip())
        if f in ("true", "yes", "1", "co", "du thao"):
            return True
        if f in ("false", "no", "0", "khong", "chinh thuc"):
            return False
    raise ValueError(f"expected true or false, got {_show(value)}")


def _levels() -> tuple[str, ...]:
    return tuple(level["id"] for level in load_yaml("units.yaml")["levels"])


def _checks() -> dict[str, Callable[[Any], Any]]:
    return {
        "unit": _text, "parent": _text, "province": _province,
        "unit_level": _choice(_levels()), "doc_type": _choice(DOC_TYPES),
        "term": _term, "reviewed_term": _term, "year": _year, "date": _date, "draft": _draft,
    }


def validate_fields(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(the fields that pass their check, normalised; a message per field that does not)."""
    checks = _checks()
    good: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in data.items():
        check = checks.get(name)
        if check is None:
            problems.append(f"unknown field {_show(name)} ignored (known: "
                            f"{', '.join(checks)})")
            continue
        if value is None:
            continue
        try:
            good[name] = check(value)
        except ValueError as exc:
            problems.append(f"field {name!r} ignored: {exc}")
    if "date" in good and "year" not in good:
        good["year"] = int(good["date"][:4])
    return good, problems


def _show(value: Any) -> str:
    """A short, safe rendering of a user's value for a message (never a huge structure)."""
    if isinstance(value, (list, tuple, dict, set)):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
