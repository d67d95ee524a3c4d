"""`daihoi outline FILE|DIR...`: the section tree with labels and confidences, and the editor's
findings about structure (missing sections, repeated passages)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import (
    Parents,
    add_paths_argument,
    console,
    expand_paths,
    limits_from_args,
    shown,
)
from pipeline.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

    from pipeline.model import Report

STRUCTURE_FINDINGS = ("missing_section", "duplicate_passage")


def register(sub: Any, parents: Parents, lang: str) -> None:
    p = sub.add_parser("outline", parents=[parents.reading], help=message("cli.outline.help", lang),
                       description=message("cli.outline.help", lang))
    add_paths_argument(p, lang)
    p.add_argument("--json", action="store_true", help=message("cli.opt.outline.json", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.batch import analyze_files

    lang = args.lang
    files, _ = expand_paths(args.paths, lang, keep_missing=True)
    limits = limits_from_args(args)
    out, err = console(), console(stderr=True)
    failed = False
    for result in analyze_files(files, limits, lang, jobs=1):
        if result.error is not None:
            failed = True
            if args.json:
                sys.stdout.write(json.dumps(result.error_record, ensure_ascii=False) + "\n")
            err.print(f"[red]✗ {shown(result.source)}: {shown(result.error.message(lang))}[/red]")
            continue
        report = result.report
        if args.json:
            sys.stdout.write(json.dumps(outline_record(report), ensure_ascii=False) + "\n")
        else:
            print_outline(out, report, lang)
    return 1 if failed else 0


def outline_record(report: Report) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "source": report.document.source,
        "meta": asdict(report.meta),
        "headings": report.headings,
        "sections": report.sections,
        "findings": [asdict(f) for f in report.findings if f.kind in STRUCTURE_FINDINGS],
    }


def _confidence_style(confidence: float | None) -> str:
    if confidence is None:
        return "dim"
    return "green" if confidence >= 0.8 else "yellow" if confidence >= 0.5 else "red"


def print_outline(out: Console, report: Report, lang: str) -> None:
    meta = report.meta
    from rich.tree import Tree

    root = Tree(
        f"[bold]{shown(report.document.source)}[/bold]  {meta.doc_type} "
        f"([{_confidence_style(meta.doc_type_confidence)}]{meta.doc_type_confidence}[/])"
    )
    stack: list[tuple[int, Tree]] = [(0, root)]
    for h in report.headings:
        while stack[-1][0] >= h["level"]:
            stack.pop()
        style = _confidence_style(h["confidence"])
        inherited = message("cli.outline.inherited", lang) if h["label_source"] == "inherited" \
            else ""
        text = h["text"] if len(h["text"]) <= 70 else h["text"][:69] + "…"
        # The label first: it is what the reader scans for, and long headings get cut.
        node = stack[-1][1].add(
            f"[{style}]{h['label']} {h['confidence']:.2f}[/]{inherited} │ {shown(text)}"
        )
        stack.append((h["level"], node))
    out.print(root)
    cue = [s for s in report.sections if s["heading"] is None and s["label"] != "preamble"]
    for s in cue:
        out.print(f"  [cyan]{s['label']}[/cyan]: {s['start']}–{s['end']}")
    for f in report.findings:
        if f.kind not in STRUCTURE_FINDINGS:
            continue
        text = f.message if lang == "vi" else f.details.get("message_en", f.message)
        colour = "yellow" if f.severity == "warning" else "red"
        out.print(f"  [{colour}]⚠ {shown(text)}[/{colour}]")
    out.print()
