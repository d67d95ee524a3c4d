"""`daihoi compare … --format table`: each comparison as a person reads it in a terminal of 100
columns — long tables or the top rows, a handful of columns, numbers in the reader's language
(pipeline/display.py), never one character per column. Files (`--format csv|xlsx|parquet`)
keep the full tables (pipeline/cli/compare.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from pipeline.cli.common import console, say, shown

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.compare.corpus import Corpus

SHOWN_ROWS = 60
SHOWN_PAIRS = 20  # copies: document pairs printed with their passages
SHOWN_PASSAGES = 3
WIDTH = 100  # the narrowest terminal the tables are laid out for
CELL_CHARS = 60


def show(corpus: Corpus, args: argparse.Namespace, frame_of: Any) -> int:
    """Print one comparison; `frame_of(corpus, args)` builds the file table (for the kinds
    whose screen form is that table)."""
    lang = args.lang
    what = args.what
    if what == "copies":
        _copies(corpus.copy_pairs(term=args.term, signal=args.signal), lang)
        return 0
    if what == "references":
        frame = corpus.reference_table(args.term, args.doc_type, args.min_units, SHOWN_ROWS)
        _table(frame, lang, total=corpus.reference_matrix(args.term, args.doc_type,
                                                          args.min_units).shape[1])
        return 0
    if what == "sections":
        _table(_missing_sections(corpus, args), lang)
        return 0
    frame = frame_of(corpus, args)
    if what == "indicators" and not args.term_from:
        frame = _indicator_rows(frame, lang)
    elif what == "similarity":
        frame = frame.assign(unit_a=frame["unit_a"] + " " + frame["term_a"],
                             unit_b=frame["unit_b"] + " " + frame["term_b"])[
            ["unit_a", "unit_b", "similarity", "same_unit"]]
    _table(frame, lang)
    return 0


def _indicator_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from pipeline.display import indicator, quantity

    out = frame[["unit", "term", "key"]].copy()
    out["key"] = [indicator(k, lang) for k in out["key"]]
    out["value"] = [quantity(v, m, u, lang) for v, m, u in
                    zip(frame["value"], frame["value_max"], frame["measure"], strict=True)]
    return out


def _missing_sections(corpus: Corpus, args: argparse.Namespace) -> pd.DataFrame:
    import pandas as pd

    from pipeline.display import section

    matrix = corpus.section_matrix(args.term, args.doc_type or "political_report")
    rows = []
    for (unit, term), values in zip(matrix.index, matrix.to_numpy(), strict=True):
        missing = [c for c, ok in zip(matrix.columns, values, strict=True) if not ok]
        rows.append({"unit": unit, "term": term,
                     "present": f"{len(matrix.columns) - len(missing)}/{len(matrix.columns)}",
                     "missing": ", ".join(section(m, args.lang) for m in missing)})
    return pd.DataFrame(rows, columns=["unit", "term", "present", "missing"])


def _table(frame: pd.DataFrame, lang: str, total: int | None = None) -> None:
    from rich.table import Table

    from pipeline.display import cell, header, p_value
    from pipeline.store.writers import flat

    if frame.empty or len(frame.columns) == 0:
        say("cli.compare.empty", lang)
        return
    data = flat(frame)
    table = Table(show_lines=False, width=min(WIDTH, console().width) if len(data.columns) > 3
                  else None)
    for col in data.columns:
        numeric = data[col].dtype.kind in "iuf"
        longest = max((len(cell(v, lang, col)) for v in data[col].head(SHOWN_ROWS)), default=0)
        # Headers wrap, values do not: a number is never cut, a name keeps a readable width.
        table.add_column(shown(header(col, lang)), overflow="fold",
                         justify="right" if numeric else "left",
                         min_width=max(longest, 7) if numeric else min(max(6, longest), 18))
    for row in data.head(SHOWN_ROWS).itertuples(index=False):
        values = []
        for col, v in zip(data.columns, row, strict=True):
            text = p_value(v, lang) if col == "p" else cell(v, lang, col)
            values.append(shown(text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1]
                                + "…"))
        table.add_row(*values)
    console(width=min(WIDTH, console().width)).print(table)
    if (total or len(data)) > SHOWN_ROWS:
        say("cli.compare.more_rows", lang, shown=SHOWN_ROWS, total=total or len(data))


def _copies(pairs: pd.DataFrame, lang: str) -> None:
    """Each pair of documents, then the passages they share, indented."""
    from rich.text import Text

    from pipeline.display import number, share, signal
    from pipeline.i18n import message

    if pairs.empty:
        say("cli.compare.empty", lang)
        return
    out = console(width=min(WIDTH, console().width))
    for i, r in enumerate(pairs.head(SHOWN_PAIRS).itertuples(), start=1):
        line = Text(f"{i}. ", style="bold")
        line.append(message("cli.compare.copy_pair", lang, signal=signal(r.signal, lang),
                            share=share(r.share_of_shorter, lang),
                            words=number(r.shared_words, lang, 0),
                            passages=number(r.passages, lang, 0)), style="bold")
        out.print(line)
        for side, unit, term in (("A", r.unit_a, r.term_a), ("B", r.unit_b, r.term_b)):
            out.print(Text(f"   {side}: {unit} {term}".rstrip()), crop=True, overflow="fold")
        for p in r.copied[:SHOWN_PASSAGES]:
            text = " ".join(str(p["shared_text"]).split())
            prefix = (f"   ¶{p['paragraph_a']} ↔ ¶{p['paragraph_b']} "
                      f"({share(p['similarity'], lang, 0)}): ")
            room = max(20, out.width - len(prefix))  # one line per passage
            cut = text if len(text) <= room else text[:room - 1] + "…"
            out.print(Text(prefix, style="dim") + Text(cut), no_wrap=True, crop=True)
        if r.passages > SHOWN_PASSAGES:
            out.print(Text("   " + message("cli.compare.more_passages", lang,
                                           n=r.passages - SHOWN_PASSAGES), style="dim"))
    if len(pairs) > SHOWN_PAIRS:
        say("cli.compare.more_rows", lang, shown=SHOWN_PAIRS, total=len(pairs))
