"""What each page shows, computed from a `Scope` (so only from rows the account may see)."""

from __future__ import annotations

import io
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.compare.copies import detect_copies
from pipeline.compare.indicators import indicator_matrix
from pipeline.compare.references import reference_matrix
from pipeline.compare.sections import section_matrix
from pipeline.compare.units import label_documents
from pipeline.errors import ERROR_CODES, IngestError
from pipeline.report_html.charts import bar_chart, presence_grid
from pipeline.report_html.highlight import Mark, mark_text, marks_in_paragraph
from pipeline.store.search import Hit
from pipeline.store.web_tables import unit_key, units_with_accounts
from pipeline.store.writers import write_frame
from pipeline.web import compute
from pipeline.web.data import Scope

SHOWN_ROWS = 40  # matrix rows on the dashboard; the export has them all
SHOWN_COLUMNS = 15
SHOWN_UNITS = 100
MAX_COMPARED = 15  # documents a comparison view reads besides the one shown
log = logging.getLogger("daihoi.web")
EXPORTS = ("documents", "findings", "reviews", "sections", "references", "indicators")


# -- uploads -----------------------------------------------------------------------------------


def upload_message(row: dict[str, Any], lang: str) -> str:
    from pipeline.web.app import translate

    status = row.get("status")
    if status == "duplicate":
        return translate("upload.duplicate", lang)
    if status != "error":
        return translate(f"upload.{status}", lang)
    code, params = row.get("error_code") or "", row.get("error_params") or {}
    if code == "upload_too_large":
        return translate("upload.too_large", lang, **params)
    if code == "upload_unknown_type":
        return translate("upload.unknown_type", lang, **params)
    if code.startswith("store_"):
        return translate("error.busy", lang)
    if code in ERROR_CODES:
        return IngestError(code, **params).message(lang)
    return translate("error.server", lang)


def upload_view(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"id": row.get("id"), "filename": row.get("filename"), "status": row.get("status"),
            "error": row.get("error_code"), "message": upload_message(row, lang),
            "created_at": row.get("created_at"), "unit": row.get("unit"),
            "source": row.get("source")}


def document_of_source(scope: Scope, source: str | None) -> dict[str, Any] | None:
    """The stored document a finished upload became (when this account may see it)."""
    if not source:
        return None
    row = scope.conn.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
    if row is None and _has_table(scope, "files"):
        # Store v3 keeps one document per text: the file may have joined an existing one.
        row = scope.conn.execute("SELECT doc_id FROM files WHERE source = ? OR path = ?",
                                 (source, source)).fetchone()
    doc = scope.document(int(row[0])) if row else None
    if doc is None:
        return None
    return {"id": doc["id"], "findings": doc["findings"], "url": f"/documents/{doc['id']}",
            "title": doc["title"]}


def _has_table(scope: Scope, name: str) -> bool:
    return scope.conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                              (name,)).fetchone() is not None


# -- document page -----------------------------------------------------------------------------


def document_context(scope: Scope, doc_id: int, lang: str) -> dict[str, Any] | None:
    from pipeline.web.app import translate

    doc = scope.document(doc_id)
    if doc is None:
        return None
    findings = scope.findings(doc_id)
    references = scope.references(doc_id)
    indicators = scope.indicators(doc_id)
    replaced = {f["details"].get("ref_id") or f["details"].get("id"): f["details"]
                for f in findings if f["kind"] == "superseded_reference"}
    marks: list[Mark] = []
    for r in references:
        r["registry"] = _registry_entry(r["id"])
        if r["where"] == "body" and r["start"] is not None:
            title = " · ".join(str(x) for x in (r["id"], r["date"], r["body"], r["title"]) if x)
            if r["registry"]:
                title += " · " + translate("doc.registry", lang, entry=r["registry"])
            successor = _replacement(r, replaced)
            if successor:
                title += " · " + translate("doc.replaced_by", lang, id=successor)
            marks.append(Mark(r["start"], r["end"], "ref superseded" if successor else "ref",
                              title))
    for i in indicators:
        if i["where"] == "body" and i["start"] is not None:
            title = " · ".join(str(x) for x in (i["key"] or i["subject"], _num(i["value"]),
                                                  i["unit"], i["kind"], i["period"]) if x)
            marks.append(Mark(i["start"], i["end"], "ind", title))
    for f in findings:
        if f["where"] in ("body", None) and f["start"] is not None and f["end"] is not None:
            marks.append(Mark(f["start"], f["end"], f"finding sev-{f['severity']}",
                              f"{f['kind']}: {f['message']}", f"mark-{f['idx']}"))
    paragraphs = []
    for p in scope.paragraphs(doc_id):
        inside = marks_in_paragraph(marks, p["start"], p["end"])
        paragraphs.append({**p, "html": mark_text(p["text"], inside)})
    for r in references:
        r["replaced_by"] = _replacement(r, replaced)
    return {"doc": doc, "sections": scope.sections(doc_id), "paragraphs": paragraphs,
            "findings": findings, "references": references, "indicators": indicators,
            "previous": scope.previous_term(doc_id), "statuses": ("confirmed", "dismissed",
                                                                  "needs_fix")}


def _registry_entry(ref_id: str) -> str:
    """The registry's line for a cited document: its name, title and date."""
    from pipeline.extract.registry import default_registry

    entries = default_registry().by_id(ref_id)
    if not entries:
        return ""
    e = entries[-1]
    return " ".join(str(x) for x in (e.name, e.id, e.title, e.date) if x)


def _replacement(ref: dict[str, Any], replaced: dict[Any, dict[str, Any]]) -> str | None:
    details = replaced.get(ref["id"])
    return details.get("replaced_by") if details else None


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


# -- comparison view ---------------------------------------------------------------------------


def compare_context(scope: Scope, web: Any, doc_id: int) -> dict[str, Any] | None:
    """Copied passages between this document and the documents it is compared with (copy
    detection takes seconds on a big store: cached, see `_cached`)."""
    if scope.document(doc_id) is None:
        return None
    key = ("compare", scope.owner, doc_id)
    value, _ = _cached(web, key, scope.generation(),
                       lambda: web.compute.run(compute.compare, scope.user, doc_id))
    return value


def _cached(web: Any, key: tuple[Any, ...], generation: Any,
            compute_fn: Callable[[], tuple[Any, Any]]) -> tuple[Any, bool]:
    """(value, stale) for `key`, computed by `compute_fn` -> (generation, value).

    Never computed twice at once. When the store changed since the cached value was computed,
    that value is served (stale) while one background thread computes the new one, at most
    every `Settings.dashboard_refresh_s` seconds: while documents stream in, readers keep
    getting the last figures instead of waiting behind a recomputation after each upload."""
    with web.cache_lock:
        entry = web.cache.get(key)
        lock = web.cache_locks.setdefault(key, threading.Lock())
    if entry is not None and entry[0] == generation:
        return entry[1], False
    if entry is not None:
        recent = time.monotonic() - entry[2] < web.settings.dashboard_refresh_s
        if not recent and lock.acquire(blocking=False):
            threading.Thread(target=_refresh, args=(web, key, compute_fn, lock),
                             daemon=True).start()
        return entry[1], True
    with lock:  # the first request computes; the others wait for its result
        with web.cache_lock:
            entry = web.cache.get(key)
        if entry is None or entry[0] != generation:
            entry = (*compute_fn(), time.monotonic())
            with web.cache_lock:
                if len(web.cache) > 500:
                    web.cache.clear()
                web.cache[key] = entry
        return entry[1], False


def _refresh(web: Any, key: tuple[Any, ...], compute_fn: Callable[[], tuple[Any, Any]],
             lock: threading.Lock) -> None:
    try:
        entry = (*compute_fn(), time.monotonic())
        with web.cache_lock:
            web.cache[key] = entry
    except Exception:  # noqa: BLE001 - the stale page stays; the next request tries again
        log.exception("refresh of %s failed", key[0])
    finally:
        lock.release()


def _compare(scope: Scope, doc_id: int) -> dict[str, Any] | None:
    doc = scope.document(doc_id)
    if doc is None:
        return None
    previous = scope.previous_term(doc_id)
    docs = scope.frame("documents")
    this = docs[docs["doc_id"] == doc_id]
    others = docs[docs["doc_id"] != doc_id]
    if doc["doc_type"]:
        others = others[others["doc_type"] == doc["doc_type"]]
    if doc["term"]:
        terms = {doc["term"]} | ({previous["term"]} if previous else set())
        others = others[others["term"].isin(terms) | others["term"].isna()]
    others = others.sort_values("doc_id", ascending=False).head(MAX_COMPARED)
    if previous is not None and previous["id"] not in set(others["doc_id"]):
        others = pd.concat([others, docs[docs["doc_id"] == previous["id"]]])
    chosen = pd.concat([this, others])
    ids = [int(i) for i in chosen["doc_id"]]
    paragraphs = pd.read_sql_query(
        "SELECT doc_id, idx, is_heading, text FROM paragraphs WHERE doc_id IN"
        f" ({','.join('?' * len(ids))})", scope.conn, params=ids)
    copies = detect_copies(paragraphs, chosen)
    copies = copies[(copies["doc_a"] == doc_id) | (copies["doc_b"] == doc_id)]
    titles = {d["id"]: d["title"] for d in (scope.document(i) for i in ids) if d}
    pairs = []
    for c in copies.head(60).to_dict("records"):
        mine_a = c["doc_a"] == doc_id
        side = ("a", "b") if mine_a else ("b", "a")
        other_id = int(c[f"doc_{side[1]}"])
        pairs.append({
            "similarity": round(100 * float(c["similarity"])), "signal": c["signal"],
            "this_html": mark_text(c[f"text_{side[0]}"], [Mark(s, e, "shared")
                                                            for s, e in c[f"spans_{side[0]}"]]),
            "other_html": mark_text(c[f"text_{side[1]}"], [Mark(s, e, "shared")
                                                             for s, e in c[f"spans_{side[1]}"]]),
            "other_id": other_id, "other_title": titles.get(other_id, ""),
            "other_unit": c[f"unit_{side[1]}"], "other_term": c[f"term_{side[1]}"],
        })
    return {"doc": doc, "previous": previous, "pairs": pairs, "compared": len(ids) - 1}


# -- dashboard ---------------------------------------------------------------------------------


def _filtered_documents(scope: Scope, filters: dict[str, str | None]) -> pd.DataFrame:
    return _filter(scope.frame("documents"), filters)


def _filter(docs: pd.DataFrame, filters: dict[str, str | None]) -> pd.DataFrame:
    if filters.get("term"):
        docs = docs[docs["term"] == filters["term"]]
    if filters.get("unit_level"):
        docs = docs[docs["unit_level"] == filters["unit_level"]]
    if filters.get("doc_type"):
        docs = docs[docs["doc_type"] == filters["doc_type"]]
    return docs


def warm_dashboard(web: Any) -> None:
    """Compute the unfiltered dashboard of auditors once at start, off the request path."""
    from pipeline.store.web_tables import User

    try:
        web.db.read(lambda conn: dashboard_context(
            Scope(conn, User(0, "-", "auditor", None, None)), web, _NO_FILTERS, "vi"))
    except Exception:  # noqa: BLE001 - the first request computes it instead
        log.exception("dashboard warm-up failed")


_NO_FILTERS: dict[str, str | None] = {"term": None, "unit_level": None, "doc_type": None}


def dashboard_context(scope: Scope, web: Any, filters: dict[str, str | None],
                      lang: str) -> dict[str, Any]:
    """The dashboard, cached per (account scope, filters, language) by `_cached`; a stale
    one says so on the page (`stale`)."""
    key = ("dashboard", scope.owner, tuple(sorted(filters.items())), lang)
    user = scope.user
    value, stale = _cached(web, key, scope.generation(),
                           lambda: web.compute.run(compute.dashboard, user, filters, lang))
    return {**value, "stale": True} if stale else value


def _tables(scope: Scope, web: Any) -> dict[str, pd.DataFrame]:
    """The columns the dashboard's matrices read, once per account scope and store state
    (every filter combination is computed from the same tables)."""
    key = ("tables", scope.owner)
    generation = scope.generation()
    with web.cache_lock:
        lock = web.cache_locks.setdefault(key, threading.Lock())
    with lock:  # one read of the tables at a time, whatever filters asked for them
        with web.cache_lock:
            entry = web.cache.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]
        return _read_tables(scope, web, key, generation)


def _read_tables(scope: Scope, web: Any, key: tuple[Any, ...],
                 generation: Any) -> dict[str, pd.DataFrame]:
    tables = {
        "documents": scope.frame("documents"),
        "findings": scope.finding_states(),
        "sections": scope.frame("sections", ("doc_id", "label")),
        "references": scope.frame("references", ("doc_id", "ref_id")),
        "indicators": scope.frame("indicators", ("doc_id", "idx", "key", "kind", "value",
                                                 "unit")),
    }
    with web.cache_lock:
        web.cache[key] = (generation, tables)
    return tables


def _dashboard(scope: Scope, web: Any, filters: dict[str, str | None],
               lang: str) -> dict[str, Any]:
    from pipeline.web.app import translate

    tables = _tables(scope, web)
    all_docs = tables["documents"]
    docs = _filter(all_docs, filters)
    ids = set(docs["doc_id"])
    findings = tables["findings"]
    findings = findings[findings["doc_id"].isin(ids)]
    open_rows = findings[findings["status"].isna() | (findings["status"] == "needs_fix")]
    labelled = label_documents(docs)

    # Units × status: units with an account and units with documents.
    units: dict[str, dict[str, Any]] = {}
    expected = units_with_accounts(scope.conn) if scope.owner is None else (
        [scope.user.unit] if scope.user.unit else [])
    for name in expected:
        units[unit_key(name) or name] = {"unit": name, "documents": 0, "warnings": 0, "open": 0}
    warn = findings[findings["severity"].isin(["warning", "error"])].groupby("doc_id").size()
    open_per_doc = open_rows.groupby("doc_id").size()
    for d in labelled.itertuples():
        entry = units.setdefault(d.unit_key, {"unit": d.unit_label, "documents": 0,
                                              "warnings": 0, "open": 0})
        entry["documents"] += 1
        entry["warnings"] += int(warn.get(d.doc_id, 0))
        entry["open"] += int(open_per_doc.get(d.doc_id, 0))
    for entry in units.values():
        entry["status"] = ("missing" if not entry["documents"] else
                           "with_warnings" if entry["warnings"] else "submitted")
    order = {"missing": 0, "with_warnings": 1, "submitted": 2}
    unit_rows = sorted(units.values(), key=lambda u: (order[u["status"]], -u["open"], u["unit"]))
    status_counts = {k: sum(u["status"] == k for u in unit_rows) for k in order}

    kinds = (findings.groupby(["kind", "severity"]).size().unstack("severity", fill_value=0)
             if not findings.empty else pd.DataFrame())
    by_kind = findings["kind"].value_counts()
    doc_type = filters.get("doc_type") or "political_report"
    sections = section_matrix(docs, tables["sections"], filters.get("term"), doc_type)
    shown = sections.head(SHOWN_ROWS)
    rows = [f"{u} {t}".strip() for u, t in shown.index]
    references = reference_matrix(docs, tables["references"], filters.get("term"),
                                  filters.get("doc_type"), min_units=1)
    indicators = indicator_matrix(docs, tables["indicators"], filters.get("term"),
                                  "actual", doc_type)
    return {
        # Units needing attention first; the whole list is in the documents export.
        "units": unit_rows[:SHOWN_UNITS],
        "units_more": max(0, len(unit_rows) - SHOWN_UNITS),
        "status_counts": status_counts,
        "open_total": len(open_rows),
        "kinds": _table(kinds),
        "findings_chart": bar_chart([(k, float(v)) for k, v in by_kind.items()],
                                    translate("dash.findings_chart", lang)),
        "sections_chart": presence_grid(rows, list(shown.columns),
                                        [[bool(v) for v in r] for r in shown.to_numpy()],
                                        translate("dash.sections_chart", lang)),
        "sections_more": max(0, len(sections) - SHOWN_ROWS),
        "references": _table(references.iloc[:SHOWN_ROWS, :SHOWN_COLUMNS]),
        "references_more": max(0, len(references) - SHOWN_ROWS),
        "indicators": _table(indicators.iloc[:SHOWN_ROWS, :SHOWN_COLUMNS]),
        "indicators_more": max(0, len(indicators) - SHOWN_ROWS),
        "choices": {
            "term": sorted(x for x in all_docs["term"].dropna().unique()),
            "unit_level": sorted(x for x in all_docs["unit_level"].dropna().unique()),
            "doc_type": sorted(x for x in all_docs["doc_type"].dropna().unique()),
        },
    }


def _table(frame: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as header and rows of strings, index levels first."""
    if frame.empty and not len(frame.index):
        return {"columns": [], "rows": []}
    flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    return {"columns": [str(c) for c in flat.columns],
            "rows": [[_cell(v) for v in row] for row in flat.itertuples(index=False)]}


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# -- search and exports ------------------------------------------------------------------------


def hit_view(hit: Hit) -> dict[str, Any]:
    marks = [Mark(s, e, "hit") for s, e in hit.spans]
    return {"doc_id": hit.doc_id, "title": Path(hit.source).name, "unit": hit.unit,
            "term": hit.term, "doc_type": hit.doc_type, "section": hit.section, "idx": hit.idx,
            "html": mark_text(hit.text, marks), "exact": hit.exact}


def export_frame(scope: Scope, name: str, filters: dict[str, str | None]) -> pd.DataFrame:
    docs = _filtered_documents(scope, filters)
    doc_type = filters.get("doc_type") or "political_report"
    if name == "documents":
        return docs
    if name == "findings":
        frame = scope.frame("findings")
        return frame[frame["doc_id"].isin(set(docs["doc_id"]))]
    if name == "reviews":
        frame = scope.reviews_frame()
        return frame[frame["doc_id"].isin(set(docs["doc_id"]))]
    if name == "sections":
        return section_matrix(docs, scope.frame("sections"), filters.get("term"), doc_type)
    if name == "references":
        return reference_matrix(docs, scope.frame("references"), filters.get("term"),
                                filters.get("doc_type"))
    if name == "indicators":
        return indicator_matrix(docs, scope.frame("indicators"), filters.get("term"), "actual",
                                doc_type)
    raise KeyError(name)


def export_bytes(scope: Scope, name: str, fmt: str, filters: dict[str, str | None]) -> bytes:
    frame = export_frame(scope, name, filters)
    # The writers of `daihoi export` (UTF-8 BOM CSV, cleaned XLSX cells) through a temp file.
    with tempfile.TemporaryDirectory() as tmp:
        path = write_frame(frame, Path(tmp) / name, fmt)
        return io.BytesIO(path.read_bytes()).getvalue()
