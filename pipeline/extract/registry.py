"""The registry of documents that reports cite: `data/registry.yaml`, curated, plus what the
corpus says.

A document is keyed by id AND date: party numbering restarts with each Central Committee term,
so "35-CT/TW" is a directive of 30/5/2019 and another of 14/6/2024. `Registry.lookup` narrows the
entries of an id with whatever a citation gives (date, year, term).

`corpus_citations(db)` reads the corpus store (`daihoi run` writes it) and counts, per id, how
often and with which dates the reports cite it: the date most reports give is evidence too.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.data import data_path


@dataclass(frozen=True)
class Entry:
    """One document of the registry."""

    id: str
    kind: str
    type: str | None = None
    name: str | None = None  # the Vietnamese name of the type ("Quy định")
    body: str | None = None
    date: str | None = None  # YYYY-MM-DD
    term: str | None = None
    title: str | None = None
    replaced_by: str | None = None
    replaced_by_date: str | None = None
    aliases: tuple[str, ...] = ()
    source: str | None = None
    # Which facts are not certain ("day not verified", "replaced_by not verified"): the
    # registry says so rather than present a guess as fact.
    note: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def number(self) -> int | str | None:
        """57 for "57-NQ/TW"; "8B" for "8B-NQ/HNTW" (a number with a letter)."""
        head = self.id.split("-", 1)[0].split("/", 1)[0].split(" ")[-1]
        if head.isdigit():
            return int(head)
        if head[:-1].isdigit() and head[-1:].isalpha():
            return head.upper().lstrip("0")
        return None


@dataclass
class Registry:
    entries: list[Entry]
    _by_id: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _aliases: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_id.setdefault(e.id, []).append(e)
            for alias in e.aliases:
                self._aliases[alias] = e.id

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def official_id(self, ref_id: str) -> str:
        """The registry's id for `ref_id` (an alias such as "08-QĐ/TW" gives "08-QĐi/TW")."""
        return self._aliases.get(ref_id, ref_id)

    def by_id(self, ref_id: str) -> list[Entry]:
        """Every entry of that id (or alias), oldest first."""
        return sorted(self._by_id.get(self.official_id(ref_id), []), key=lambda e: e.date or "")

    def lookup(
        self,
        ref_id: str,
        date: str | None = None,
        year: int | None = None,
        term: str | None = None,
    ) -> list[Entry]:
        """The entries of `ref_id` that agree with what the citation gives. When the id has one
        entry only, that entry is returned even if the date disagrees (the caller compares)."""
        entries = self.by_id(ref_id)
        if len(entries) <= 1:
            return entries
        for narrowed in (
            [e for e in entries if date and e.date == date],
            [e for e in entries if year and e.year == year],
            [e for e in entries if date and e.year == int(date[:4])],
            [e for e in entries if term and e.term == term],
        ):
            if narrowed:
                return narrowed
        return entries

    def entry_on(self, ref_id: str, date: str | None) -> Entry | None:
        """The entry of `ref_id` with that date, or the only entry of that id."""
        entries = self.by_id(ref_id)
        if date:
            for e in entries:
                if e.date == date:
                    return e
        return entries[0] if len(entries) == 1 else None

    def short_form(self, name: str, number: int | str) -> Entry | None:
        """The one document a short form ("Chỉ thị 05", "Nghị quyết 8B") can mean, or None when
        the registry knows none or several ids of that type and number."""
        if isinstance(number, str):
            number = int(number) if number.isdigit() else number.upper().lstrip("0")
        found = {e.id: e for e in self.entries if e.name == name and e.number == number}
        if len(found) != 1:
            return None
        return next(iter(found.values()))


def _entry(raw: dict[str, Any]) -> Entry:
    values = dict(raw)
    for key in ("date", "replaced_by_date"):
        if isinstance(values.get(key), _dt.date):
            values[key] = values[key].isoformat()
    values["aliases"] = tuple(values.get("aliases") or ())
    return Entry(**values)


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry in `path` (default: the curated `data/registry.yaml`)."""
    source = Path(path) if path is not None else data_path("registry.yaml")
    with source.open(encoding="utf-8") as fh:
        # libyaml's safe loader when there (the same data, 0.04 s less of every analysis
        # process's start-up than the pure-Python one).
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506
    return Registry([_entry(raw) for raw in data.get("documents") or []])


@cache
def default_registry() -> Registry:
    return load_registry()


@dataclass
class Citations:
    """How the corpus cites one id."""

    id: str
    kind: str | None = None
    type: str | None = None
    count: int = 0
    documents: int = 0
    dates: Counter[str] = field(default_factory=Counter)


def corpus_citations(db: str | Path) -> dict[str, Citations]:
    """Per id, how often and with which dates the documents of the corpus store cite it.

    Reads the `record` column (each document's JSON record) of the `documents` table; raises
    `FileNotFoundError` when there is no such file and `sqlite3.Error` when it is no store."""
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(str(path))
    # Read-only: listing the registry must never create or change a store.
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT record FROM documents").fetchall()
    finally:
        conn.close()
    return count_citations(json.loads(r[0]).get("references") or [] for r in rows)


def count_citations(per_document: Iterable[list[dict[str, Any]]]) -> dict[str, Citations]:
    """Per id, citations counted over documents given as lists of reference records."""
    found: dict[str, Citations] = {}
    seen_in: defaultdict[str, int] = defaultdict(int)
    for refs in per_document:
        ids_here = set()
        for ref in refs:
            c = found.setdefault(ref["id"], Citations(ref["id"], ref.get("kind"), ref.get("type")))
            c.count += 1
            if ref.get("date"):
                c.dates[ref["date"]] += 1
            ids_here.add(ref["id"])
        for ref_id in ids_here:
            seen_in[ref_id] += 1
    for ref_id, n in seen_in.items():
        found[ref_id].documents = n
    return found
