"""`build_report(db, folder)`: index.html for the corpus and documents/doc-<id>.html per
document, from the store. Templates and words are data (pipeline/data/templates_html/)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline import __version__
from pipeline.compare.corpus import Corpus
from pipeline.compare.units import label_documents
from pipeline.data import data_path
from pipeline.report_html.charts import bar_chart, presence_grid
from pipeline.report_html.highlight import Mark, mark_text, marks_in_paragraph
from pipeline.store.database import store_errors
from pipeline.store.export import prepare_folder, writing
from pipeline.store.writers import refuse_links

TEMPLATES = data_path("templates_html")
MAX_COPIES_SHOWN = 60  # paragraph pairs printed in full on the corpus page
MAX_REFERENCE_COLUMNS = 25
MAX_INDICATOR_CHARTS = 4


@cache
def _strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load((TEMPLATES / "strings.yaml").read_text(encoding="utf-8"))


def _env(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals["t"] = lambda key, **kw: _strings().get(key, {}).get(lang, key).format(**kw)
    env.globals["css"] = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    env.globals["lang"] = lang
    return env


@dataclass
class Built:
    index: Path
    pages: list[Path]


def build_report(db: str | Path, folder: str | Path, lang: str = "vi",
                 force: bool = False) -> Built:
    with Corpus(db) as corpus, store_errors(db):
        out = prepare_folder(folder, force)
        with writing(out):
            return _build(corpus, db, out, lang)


def _build(corpus: Corpus, db: str | Path, out: Path, lang: str) -> Built:
    (out / "documents").mkdir(parents=True, exist_ok=True)
    env = _env(lang)
    generated = _strings()["generated"][lang].format(
        version=__version__, at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), db=db)
    docs = label_documents(corpus.documents)
    pages = [_document_page(env, corpus, row, out, generated) for row in docs.itertuples()]
    index = out / "index.html"
    _write(index, env.get_template("corpus.html").render(
        generated=generated, **_corpus_context(corpus, docs, lang)))
    return Built(index, pages)


def _write(path: Path, text: str) -> None:
    """A page written as a new file: an old page is replaced, a link is never followed."""
    refuse_links(path)
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


# -- corpus page ------------------------------------------------------------------------------


def _corpus_context(corpus: Corpus, docs: pd.DataFrame, lang: str) -> dict[str, Any]:
    t = _strings()
    findings = corpus.findings
    per_doc = findings.groupby("doc_id").size()
    documents = [{
        "href": f"documents/doc-{d.doc_id}.html", "name": Path(d.source).name,
        "unit": _fmt(d.unit), "term": _fmt(d.term), "doc_type": _fmt(d.doc_type),
        "draft": d.draft is True,
        "n_words": d.n_words, "findings": int(per_doc.get(d.doc_id, 0)),
    } for d in docs.itertuples()]
    by_kind = findings["kind"].value_counts()
    ctx: dict[str, Any] = {
        "synthetic": bool(docs["source"].str.contains("/synthetic/").any()),
        "documents": documents,
        "summary": {"documents": len(docs), "units": docs["unit_key"].nunique(),
                    "terms": sorted(x for x in docs["term_label"].unique() if x),
                    "paragraphs": len(corpus.paragraphs), "findings": len(findings)},
        "findings_chart": bar_chart([(k, float(v)) for k, v in by_kind.items()],
                                    t["findings_chart"][lang]),
    }
    ctx.update(_sections_context(corpus, lang))
    ctx.update(_indicators_context(corpus))
    ctx.update(_references_context(corpus, lang))
    ctx.update(_copies_context(corpus))
    return ctx


def _sections_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    t = _strings()
    matrix = corpus.section_matrix()
    if matrix.empty:
        return {"section_rows": [], "section_columns": [], "sections_chart": "",
                "missing_chart": ""}
    rows = [{"unit": u, "term": term, "cells": [bool(v) for v in values]}
            for (u, term), values in zip(matrix.index, matrix.to_numpy(), strict=True)]
    missing = (~matrix).sum()
    return {
        "section_columns": list(matrix.columns),
        "section_rows": rows,
        "sections_chart": presence_grid([f"{r['unit']} {r['term']}".strip() for r in rows],
                                        list(matrix.columns), [r["cells"] for r in rows],
                                        t["sections_chart"][lang]),
        "missing_chart": bar_chart([(k, float(v)) for k, v in missing.items() if v],
                                   t["missing_chart"][lang]),
    }


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _indicators_context(corpus: Corpus) -> dict[str, Any]:
    matrix = corpus.indicator_matrix()
    if matrix.empty or len(matrix.columns) == 0:
        return {"indicator_rows": [], "indicator_columns": [], "indicator_charts": []}
    filled = matrix.notna().sum().sort_values(ascending=False, kind="stable")
    charts = []
    for key in filled.index[:MAX_INDICATOR_CHARTS]:
        col = matrix[key].dropna()
        charts.append(bar_chart([(f"{u} {term}".strip(), float(v))
                                 for (u, term), v in col.items()], key))
    rows = [{"unit": u, "term": term, "cells": [_fmt(v) for v in values]}
            for (u, term), values in zip(matrix.index, matrix.to_numpy(dtype=object),
                                         strict=True)]
    return {"indicator_rows": rows, "indicator_columns": list(matrix.columns),
            "indicator_charts": charts}


def _references_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    matrix = corpus.reference_matrix()
    if matrix.empty or len(matrix.columns) == 0:
        return {"reference_rows": [], "reference_columns": [], "references_chart": ""}
    matrix = matrix.iloc[:, :MAX_REFERENCE_COLUMNS]
    citing = (matrix > 0).sum()
    rows = [{"unit": u, "term": term, "cells": [int(v) for v in values]}
            for (u, term), values in zip(matrix.index, matrix.to_numpy(), strict=True)]
    return {"reference_rows": rows, "reference_columns": list(matrix.columns),
            "references_chart": bar_chart([(k, float(v)) for k, v in citing.head(15).items()],
                                          _strings()["citing_units"][lang])}


def _copies_context(corpus: Corpus) -> dict[str, Any]:
    copies = corpus.copies()
    from pipeline.compare.copies import copies_by_document

    pairs = copies_by_document(copies).to_dict("records")
    shown = []
    for c in copies.head(MAX_COPIES_SHOWN).to_dict("records"):
        c["html_a"] = mark_text(c["text_a"], [Mark(s, e, "shared") for s, e in c["spans_a"]])
        c["html_b"] = mark_text(c["text_b"], [Mark(s, e, "shared") for s, e in c["spans_b"]])
        shown.append(c)
    return {"copy_pairs": pairs, "copies": shown}


# -- document pages ---------------------------------------------------------------------------


def _document_page(env: Environment, corpus: Corpus, d: Any, out: Path, generated: str) -> Path:
    conn = corpus.store.conn
    blocks = conn.execute(
        "SELECT idx, text, start, \"end\", section, is_heading FROM blocks"
        " WHERE doc_id = ? AND text <> '' ORDER BY idx", (d.doc_id,)).fetchall()
    findings = conn.execute(
        "SELECT idx, kind, severity, message, \"where\", start, \"end\" FROM findings"
        " WHERE doc_id = ? ORDER BY idx", (d.doc_id,)).fetchall()
    marks = [Mark(s, e, f"finding sev-{sev} kind-{kind}", msg, f"f{idx}")
             for idx, kind, sev, msg, where, s, e in findings
             if where == "body" and s is not None and e is not None and e > s]
    anchored = {m.ref for m in marks}
    paragraphs = [{"idx": idx, "section": section, "is_heading": bool(is_heading),
                   "html": mark_text(text, marks_in_paragraph(marks, start, end))}
                  for idx, text, start, end, section, is_heading in blocks]
    refs = pd.read_sql_query("SELECT ref_id, surface, date, section, \"where\" FROM"
                             " doc_references WHERE doc_id = ? ORDER BY idx", conn,
                             params=(d.doc_id,)).to_dict("records")
    inds = pd.read_sql_query("SELECT * FROM indicators WHERE doc_id = ? ORDER BY idx", conn,
                             params=(d.doc_id,)).to_dict("records")
    for i in inds:
        i["value_text"] = _fmt(i["value"]) + (f"/{_fmt(i['value_max'])}"
                                              if i.get("value_max") is not None else "") \
            + (f" {i['unit']}" if i.get("unit") else "")
    meta = [(k, _fmt(getattr(d, k))) for k in ("source", "unit", "unit_level", "parent",
                                                "province", "term", "date", "doc_type",
                                                "draft", "format", "pages", "n_words")]
    page = out / "documents" / f"doc-{d.doc_id}.html"
    _write(page, env.get_template("document.html").render(
        generated=generated,
        doc={"name": Path(d.source).name, "unit": _fmt(d.unit), "term": _fmt(d.term)},
        meta=meta,
        findings=[{"kind": k, "severity": sev, "message": msg,
                   "anchor": f"f{idx}" if f"f{idx}" in anchored else ""}
                  for idx, k, sev, msg, *_ in findings],
        outline=_outline_html(conn.execute(
            "SELECT label, heading, level, start FROM sections WHERE doc_id = ? ORDER BY start,"
            " level", (d.doc_id,)).fetchall(), blocks),
        references=refs, indicators=inds, paragraphs=paragraphs,
    ))
    return page


def _outline_html(sections: list[tuple[Any, ...]], blocks: list[tuple[Any, ...]]) -> str:
    """Nested lists of the headings (level from the outline), each linking to its paragraph."""
    block_at = {start: idx for idx, _, start, *_ in blocks}
    parts: list[str] = []
    depth: list[int] = []
    for label, heading, level, start in sections:
        if heading is None:
            continue
        level = level or 1
        if not depth or level > depth[-1]:
            parts.append("<ul>")
            depth.append(level)
        else:
            while len(depth) > 1 and level < depth[-1]:
                parts.append("</ul>")
                depth.pop()
        anchor = block_at.get(start)
        text = escape(heading)
        link = f'<a href="#p{anchor}">{text}</a>' if anchor is not None else text
        tag = f' <span class="label">{escape(label)}</span>' if label else ""
        parts.append(f"<li>{link}{tag}</li>")
    parts += ["</ul>"] * len(depth)
    return "".join(parts)
