"""Ruled tables found in a page image: horizontal and vertical rules read from the bitmap.

A rule is a long straight run of dark pixels (far longer than any glyph stroke). Horizontal
rules that overlap in x and at least two vertical rules crossing them make a grid; each row of
the grid is cut into cells by the vertical rules that cross that row (so merged cells stay
whole). The cells are `PageTable` boxes in points, filled later from the OCR words exactly as
a text PDF's ruled tables are filled from its characters. A short rule alone (a footnote
separator) is no table.
"""

from __future__ import annotations

from typing import Any

from pipeline.ingest.pdf_tables import PageTable

_INK = 160  # grey level below which a pixel is ink
# Shortest rules, as a share of the page width (horizontal) / in points (vertical).
_H_SHARE = 0.08
_V_POINTS = 22.0
# Rule pixels closer than this many points are one rule (thickness, scanning blur).
_MERGE_POINTS = 3.0


def _runs(mask: Any, length: int, axis: int) -> Any:
    """Pixels that lie in a straight run of ink at least `length` long along `axis`."""
    import numpy as np

    m = mask if axis == 1 else mask.T
    csum = np.cumsum(m, axis=1, dtype=np.int32)
    csum = np.concatenate([np.zeros((m.shape[0], 1), dtype=np.int32), csum], axis=1)
    window = csum[:, length:] - csum[:, :-length]
    full = window >= length - max(1, length // 50)  # tolerate a few broken pixels
    return full if axis == 1 else full.T


def _rules(full: Any, axis: int, merge: int) -> list[tuple[float, float, float]]:
    """(position, start, end) in pixels of each rule, neighbouring lines of pixels merged."""
    import numpy as np

    lines = full if axis == 1 else full.T
    hits = np.flatnonzero(lines.any(axis=1))
    rules: list[list[float]] = []
    for pos in hits:
        cols = np.flatnonzero(lines[pos])
        start, end = float(cols[0]), float(cols[-1])
        if rules and pos - rules[-1][3] <= merge and start < rules[-1][2] and end > rules[-1][1]:
            r = rules[-1]
            r[1], r[2], r[3] = min(r[1], start), max(r[2], end), pos
            continue
        rules.append([float(pos), start, end, float(pos)])
    return [((r[0] + r[3]) / 2, r[1], r[2]) for r in rules]


def _spread(starts: Any, length: int, axis: int) -> Any:
    """Every pixel of the runs whose start pixels `_runs` marked."""
    import numpy as np

    m = starts if axis == 1 else starts.T
    csum = np.cumsum(m, axis=1, dtype=np.int32)
    pad = np.zeros((m.shape[0], length + m.shape[1] - csum.shape[1]), dtype=np.int32)
    csum = np.concatenate([csum, np.repeat(csum[:, -1:], pad.shape[1], axis=1)], axis=1)
    shifted = np.concatenate([np.zeros((m.shape[0], length), dtype=np.int32),
                              csum[:, :-length]], axis=1)
    covered = (csum - shifted) > 0
    return covered if axis == 1 else covered.T


def erase_rules(image: Any, tables: list[PageTable], dpi: int) -> Any:
    """The page image with the rules of its tables painted white, so that OCR reads the words
    of the cells and not their borders ("|1|", words cut by a rule)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image).copy()
    scale = dpi / 72
    pad = int(3 * scale)
    for table in tables:
        x0, top, x1, bottom = table.bbox
        a0, b0 = max(0, int(top * scale) - pad), int(bottom * scale) + pad
        a1, b1 = max(0, int(x0 * scale) - pad), int(x1 * scale) + pad
        crop = pixels[a0:b0, a1:b1]
        ink = crop < _INK
        h_len = max(20, int(0.5 * ink.shape[1] / max(1, table.n_columns)))
        v_len = max(20, int(_V_POINTS * scale))
        rules = _spread(_runs(ink, min(h_len, ink.shape[1] - 1), 1),
                        min(h_len, ink.shape[1] - 1), 1)[:, :ink.shape[1]]
        rules |= _spread(_runs(ink, min(v_len, ink.shape[0] - 1), 0),
                         min(v_len, ink.shape[0] - 1), 0)[:ink.shape[0], :]
        grown = rules.copy()  # a pixel either side too: scanning blurs a rule's edges
        grown[1:, :] |= rules[:-1, :]
        grown[:-1, :] |= rules[1:, :]
        grown[:, 1:] |= rules[:, :-1]
        grown[:, :-1] |= rules[:, 1:]
        crop[grown] = 255
    return Image.fromarray(pixels)


def erase_horizontal_rules(image: Any, dpi: int) -> Any:
    """The page with its long horizontal rules (a footnote separator, a rule under a header)
    painted white: OCR reads them as "Ề-", "—" or "E"."""
    import numpy as np
    from PIL import Image

    small = image.reduce(2) if dpi >= 200 else image
    factor = 2 if dpi >= 200 else 1
    ink = np.asarray(small) < _INK
    h_len = max(20, int(_H_SHARE * ink.shape[1]))
    rules = _rules(_runs(ink, h_len, axis=1), 1, 2)
    if not rules:
        return image
    pixels = np.asarray(image).copy()
    pad = 2 * factor
    for y, x0, x1 in rules:
        top, bottom = int(y * factor) - pad, int(y * factor) + pad + 1
        pixels[max(0, top):bottom, int(x0 * factor):int((x1 + h_len) * factor) + 1] = 255
    return Image.fromarray(pixels)


def find_grid_tables(image: Any, page: int, dpi: int) -> list[PageTable]:
    """Ruled tables of a greyscale page image, boxes in points (top-down)."""
    import numpy as np

    if dpi >= 200:  # rules survive halving; the search costs a quarter
        image, dpi = image.reduce(2), dpi // 2
    ink = np.asarray(image) < _INK
    height, width = ink.shape
    h_len = max(20, int(_H_SHARE * width))
    v_len = max(20, int(_V_POINTS * dpi / 72))
    merge = max(2, int(_MERGE_POINTS * dpi / 72))
    h_full = _runs(ink, h_len, axis=1)
    v_full = _runs(ink, v_len, axis=0)
    # A run window marks its start pixel only: extend to the whole run's extent.
    hs = [(y, x0, x1 + h_len) for y, x0, x1 in _rules(h_full, 1, merge)]
    vs = [(x, y0, y1 + v_len) for x, y0, y1 in _rules(v_full, 0, merge)]
    tables: list[PageTable] = []
    used: set[int] = set()
    for i, (y, x0, x1) in enumerate(hs):
        if i in used:
            continue
        group = [j for j, (yy, a, b) in enumerate(hs) if j not in used and a < x1 and b > x0
                 and yy >= y]
        ys = sorted(hs[j][0] for j in group)
        left, right = min(hs[j][1] for j in group), max(hs[j][2] for j in group)
        cols = [v for v in vs if left - merge <= v[0] <= right + merge
                and v[1] <= ys[-1] + merge and v[2] >= ys[0] - merge]
        if len(ys) < 2 or len(cols) < 2:
            continue
        # Keep the horizontal rules the vertical ones actually reach (one table, not all
        # the rules of the page).
        top = min(v[1] for v in cols) - merge
        bottom = max(v[2] for v in cols) + merge
        ys = [yy for yy in ys if top <= yy <= bottom]
        if len(ys) < 2:
            continue
        used.update(j for j in group if top <= hs[j][0] <= bottom)
        tables.append(_grid(page, ys, cols, merge, 72.0 / dpi))
    return tables


def _grid(page: int, ys: list[float], cols: list[tuple[float, float, float]], merge: int,
          scale: float) -> PageTable:
    xs = sorted(cols, key=lambda v: v[0])
    cell_boxes: list[list[tuple[float, float, float, float] | None]] = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        if bottom - top <= merge:
            continue
        mid = (top + bottom) / 2
        crossing = [v[0] for v in xs if v[1] - merge <= mid <= v[2] + merge]
        row = [(a * scale, top * scale, b * scale, bottom * scale)
               for a, b in zip(crossing, crossing[1:], strict=False) if b - a > merge]
        if row:
            cell_boxes.append(row)  # type: ignore[arg-type]
    x0, x1 = float(xs[0][0] * scale), float(xs[-1][0] * scale)
    bbox = (x0, float(ys[0] * scale), x1, float(ys[-1] * scale))
    return PageTable(page=page, bbox=bbox, cell_boxes=cell_boxes)
