"""Charts as inline SVG strings: no library, no script, nothing to download.

Every label is escaped; sizes are in CSS pixels. Colours come from the page's stylesheet
(classes `bar`, `bar-alt`, `cell-yes`, `cell-no`), so one palette lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

ROW = 22  # px per bar or matrix row
LABEL_CHARS = 38  # longer labels are cut, the full text stays in a <title> tooltip


def _cut(label: str) -> str:
    """Cut in the middle: the end of a label ("… 2020-2025") tells rows apart."""
    if len(label) <= LABEL_CHARS:
        return label
    tail = 12
    return label[: LABEL_CHARS - tail - 1] + "…" + label[-tail:]


def bar_chart(items: Sequence[tuple[str, float]], title: str, width: int = 640,
              value_format: str | Callable[[float], str] = "{:g}") -> str:
    """Horizontal bars, one per (label, value), in the given order; `value_format` a format
    string or a function (pipeline.display.number for the reader's language)."""
    if not items:
        return ""
    label_w = 7 * min(LABEL_CHARS, max(len(label) for label, _ in items)) + 10
    bar_w = max(60, width - label_w - 60)
    top = max((v for _, v in items), default=0) or 1
    height = ROW * len(items) + 30
    parts = [f'<svg class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="14" class="chart-title">{escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = 24 + i * ROW
        w = 0 if value != value else max(1, round(bar_w * value / top))  # NaN: no bar
        shown = "" if value != value else (
            value_format(value) if callable(value_format) else value_format.format(value))
        parts.append(
            f'<g class="bar-row"><title>{escape(label)}: {escape(shown)}</title>'
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(_cut(label))}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w}" height="{ROW - 6}"/>'
            f'<text x="{label_w + w + 4}" y="{y + 14}">{escape(shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def presence_grid(rows: Sequence[str], columns: Sequence[str],
                  cells: Sequence[Sequence[bool]], title: str) -> str:
    """A matrix of filled (present) and empty (missing) squares, e.g. units × sections."""
    if not rows or not columns:
        return ""
    label_w = 7 * min(LABEL_CHARS, max(len(r) for r in rows)) + 10
    head_h = 8 + 7 * min(30, max(len(c) for c in columns))
    width = label_w + ROW * len(columns) + 10
    height = head_h + ROW * len(rows) + 24
    parts = [f'<svg class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="14" class="chart-title">{escape(title)}</text>']
    for j, col in enumerate(columns):
        x = label_w + j * ROW + ROW / 2
        parts.append(f'<text class="col-label" transform="translate({x + 4},{head_h + 16}) '
                     f'rotate(-60)">{escape(col[:30])}</text>')
    for i, (row, values) in enumerate(zip(rows, cells, strict=True)):
        y = head_h + 22 + i * ROW
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
                     f'{escape(_cut(row))}<title>{escape(row)}</title></text>')
        for j, ok in enumerate(values):
            cls = "cell-yes" if ok else "cell-no"
            state = "✓" if ok else "✗"
            parts.append(f'<rect class="{cls}" x="{label_w + j * ROW + 2}" y="{y + 2}" '
                         f'width="{ROW - 4}" height="{ROW - 4}"><title>{escape(row)} · '
                         f'{escape(columns[j])}: {state}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)
