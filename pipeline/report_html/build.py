"""`build_report(db, folder)`: index.html for the corpus and documents/doc-<id>.html per
document, from the store. Templates and words are data (pipeline/data/templates_html/)."""

from __future__ import annotations

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
from pipeline.compare.copy_pairs import copy_pairs
from pipeline.compare.corpus import Corpus
from pipeline.compare.references import reference_table
from pipeline.compare.units import label_documents
from pipeline.data import data_path
from pipeline.display import (
    cell,
    doc_type,
    header,
    indicator,
    measure_name,
    number,
    quantity,
    section,
    share,
)
from pipeline.report_html.charts import bar_chart, presence_grid
from pipeline.report_html.highlight import Mark, mark_text, marks_in_paragraph
from pipeline.store.database import store_errors
from pipeline.store.export import prepare_folder, writing
from pipeline.store.writers import refuse_links

TEMPLATES = data_path("templates_html")
MAX_COPIES_SHOWN = 60  # paragraph pairs printed in full on the corpus page
MAX_REFERENCE_COLUMNS = 12  # the most cited ids as columns; the rest listed on demand
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
    pages = [_document_page(env, corpus, row, out, generated, lang)
             for row in docs.itertuples()]
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
        "unit": cell(d.unit, lang), "term": cell(d.term, lang),
        "doc_type": doc_type(d.doc_type, lang), "draft": d.draft is True,
        "files": number(d.n_files, lang, 0), "n_words": number(d.n_words, lang, 0),
        "findings": number(int(per_doc.get(d.doc_id, 0)), lang, 0),
    } for d in docs.itertuples()]
    by_kind = findings["kind"].value_counts()
    n_files = int(docs["n_files"].sum()) if "n_files" in docs else len(docs)
    ctx: dict[str, Any] = {
        "synthetic": bool(docs["source"].str.contains("/synthetic/").any()),
        "documents": documents,
        "summary": {"documents": number(len(docs), lang, 0), "files": number(n_files, lang, 0),
                    "units": number(docs["unit_key"].nunique(), lang, 0),
                    "terms": sorted(x for x in docs["term_label"].unique() if x),
                    "paragraphs": number(len(corpus.paragraphs), lang, 0),
                    "findings": number(len(findings), lang, 0)},
        "findings_chart": bar_chart([(k, float(v)) for k, v in by_kind.items()],
                                    t["findings_chart"][lang], value_format=_count(lang)),
    }
    ctx.update(_sections_context(corpus, lang))
    ctx.update(_indicators_context(corpus, lang))
    ctx.update(_references_context(corpus, lang))
    ctx.update(_copies_context(corpus, lang))
    return ctx


def _count(lang: str) -> Any:
    return lambda v: number(v, lang)


def _sections_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    t = _strings()
    matrix = corpus.section_matrix()
    if matrix.empty:
        return {"section_rows": [], "section_columns": [], "sections_chart": "",
                "missing_chart": ""}
    rows = [{"unit": u, "term": term, "cells": [bool(v) for v in values]}
            for (u, term), values in zip(matrix.index, matrix.to_numpy(), strict=True)]
    missing = (~matrix).sum()
    names = [section(c, lang) for c in matrix.columns]
    return {
        "section_columns": names,
        "section_rows": rows,
        "sections_chart": presence_grid([f"{r['unit']} {r['term']}".strip() for r in rows],
                                        names, [r["cells"] for r in rows],
                                        t["sections_chart"][lang]),
        "missing_chart": bar_chart([(section(k, lang), float(v)) for k, v in missing.items()
                                    if v],
                                   t["missing_chart"][lang], value_format=_count(lang)),
    }


def _indicators_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    """Units × indicators, each value with its measure ("92,2 %", "3.828 người")."""
    long = corpus.indicator_table()
    if long.empty:
        return {"indicator_rows": [], "indicator_columns": [], "indicator_charts": []}
    long = long.assign(text=[quantity(v, m, u, lang) for v, m, u in
                             zip(long["value"], long["value_max"], long["measure"], strict=True)])
    keys = long["key"].value_counts().index.tolist()  # most reported first
    measure = long.groupby("key")["measure"].agg(lambda m: m.mode().iat[0] if len(m.mode())
                                                else "")
    charts = []
    for key in keys[:MAX_INDICATOR_CHARTS]:
        rows = long[(long["key"] == key) & (long["measure"] == measure[key])]
        name = measure_name(measure[key], lang)
        title = indicator(key, lang)
        charts.append(bar_chart([(f"{r.unit} {r.term}".strip(), float(r.value))
                                 for r in rows.itertuples()],
                                f"{title} ({name})" if name else title,
                                value_format=_count(lang)))
    cells = long.set_index(["unit", "term", "key"])["text"]
    index = sorted(set(zip(long["unit"], long["term"], strict=True)))
    rows_out = [{"unit": u, "term": term,
                 "cells": [cells.get((u, term, k), "") for k in keys]} for u, term in index]
    return {"indicator_rows": rows_out, "indicator_columns": [indicator(k, lang) for k in keys],
            "indicator_charts": charts}


def _references_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    """The most cited ids as a matrix; every id, with who cites it, in a list opened on
    demand (a matrix of every id would be hundreds of columns)."""
    matrix = corpus.reference_matrix()
    if matrix.empty or len(matrix.columns) == 0:
        return {"reference_rows": [], "reference_columns": [], "references_chart": "",
                "reference_list": [], "reference_more": 0}
    top = matrix.iloc[:, :MAX_REFERENCE_COLUMNS]
    citing = (matrix > 0).sum()
    rows = [{"unit": u, "term": term, "cells": [number(v, lang, 0) if v else ""
                                                for v in values]}
            for (u, term), values in zip(top.index, top.to_numpy(), strict=True)]
    listed = reference_table(matrix).to_dict("records")
    for r in listed:
        r["units"], r["citations"] = number(r["units"], lang, 0), number(r["citations"], lang, 0)
    return {"reference_rows": rows, "reference_columns": list(top.columns),
            "reference_list": listed, "reference_more": len(matrix.columns) - len(top.columns),
            "references_chart": bar_chart([(k, float(v)) for k, v in citing.head(15).items()],
                                          _strings()["citing_units"][lang],
                                          value_format=_count(lang))}


def _copies_context(corpus: Corpus, lang: str) -> dict[str, Any]:
    """Copies per pair of documents; each pair lists its passages side by side."""
    passages = corpus.copies()
    pairs = copy_pairs(passages, corpus.documents)
    by_pair = {key: group for key, group in passages.groupby(["doc_a", "doc_b"], sort=False)}
    shown_pairs, budget = [], MAX_COPIES_SHOWN
    for p in pairs.to_dict("records"):
        group = by_pair[(p["doc_a"], p["doc_b"])].sort_values("paragraph_a", kind="stable")
        items = []
        for c in group.head(max(0, budget)).to_dict("records"):
            c["html_a"] = mark_text(c["text_a"], [Mark(s, e, "shared") for s, e in c["spans_a"]])
            c["html_b"] = mark_text(c["text_b"], [Mark(s, e, "shared") for s, e in c["spans_b"]])
            c["similarity_text"] = share(c["similarity"], lang, 0)
            items.append(c)
        budget -= len(items)
        shown_pairs.append({
            **p, "share_text": share(p["share_of_shorter"], lang),
            "words_text": number(p["shared_words"], lang, 0),
            "passages_text": number(p["passages"], lang, 0), "items": items,
            "hidden": p["passages"] - len(items),
        })
    return {"copy_pairs": shown_pairs}


# -- document pages ---------------------------------------------------------------------------

META_SHOWN = ("source", "unit", "unit_level", "parent", "province", "term", "reviewed_term",
              "year", "date", "doc_type", "draft", "issuer", "number", "place", "title",
              "signer", "signer_role", "format", "pages", "n_words", "n_files")


def _document_page(env: Environment, corpus: Corpus, d: Any, out: Path, generated: str,
                   lang: str) -> Path:
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
    refs = [{k: cell(v, lang) for k, v in r.items()} for r in pd.read_sql_query(
        "SELECT ref_id, surface, date, section, \"where\" FROM doc_references WHERE doc_id = ?"
        " ORDER BY idx", conn, params=(d.doc_id,)).to_dict("records")]
    inds = []
    for i in pd.read_sql_query("SELECT * FROM indicators WHERE doc_id = ? ORDER BY idx", conn,
                               params=(d.doc_id,)).to_dict("records"):
        row = {k: cell(v, lang) for k, v in i.items()}
        row["value_text"] = quantity(i["value"], i.get("value_max"), i.get("unit"), lang,
                                     i.get("unit_text"))
        inds.append(row)
    files = [Path(f).name for f, in conn.execute(
        "SELECT source FROM files WHERE doc_id = ? ORDER BY analysed DESC, id", (d.doc_id,))]
    meta = [(header(k, lang), doc_type(getattr(d, k, None), lang) if k == "doc_type"
             else cell(getattr(d, k, None), lang, k)) for k in META_SHOWN]
    meta = [(k, v) for k, v in meta if v]
    if len(files) > 1:
        meta.append((header("file", lang), ", ".join(files)))
    page = out / "documents" / f"doc-{d.doc_id}.html"
    _write(page, env.get_template("document.html").render(
        generated=generated,
        doc={"name": Path(d.source).name, "unit": cell(d.unit, lang),
             "term": cell(d.term, lang)},
        meta=meta,
        findings=[{"kind": k, "severity": sev or "", "message": msg or "",
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
