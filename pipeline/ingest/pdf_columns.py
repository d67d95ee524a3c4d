"""Text columns from page geometry: read a two- or three-column page column by column.

A gutter is a vertical strip of the page that nearly every printed row leaves empty, with
long lines of text on both sides (a rule drawn in it changes nothing: rules are not glyphs).
Rows that cross a gutter (a title or a figure across the page, a running header, a centred
page number) are read where they are; each run of rows between them that keeps to the
gutters is read column by column. A page with no gutter (a one-column page in a two-column
document, a table, a title block of two short columns) is left as it is: both sides must hold
several rows of running text, so the side-by-side blocks and aligned tables of ordinary
reports never qualify.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Protocol


class Glyph(Protocol):
    text: str
    x0: float
    x1: float
    size: float


# Glyphs closer than this (x font size) belong to one stretch of text: word spaces, even
# stretched by justification in a narrow column, stay under it; gutters are wider.
_JOIN_GAP = 1.2
# A gutter is this wide at least (x body size) ...
_MIN_GUTTER = 1.4
# ... and crossed by at most this share of the rows.
_MAX_CROSSING = 0.12
# Each column of a band: this many rows at least, of this many characters (median).
_MIN_ROWS = 3
_MIN_CHARS = 18
# Columns that are too narrow for running text are table cells.
_MIN_WIDTH_SHARE = 0.16


@dataclass
class Band:
    """Rows read in order: one column (`frame` None) or one column of a multi-column run."""

    rows: list[list]  # list of glyph rows
    frame: tuple[float, float] | None = None  # the column's left and right text edges


def _stretches(row: list[Glyph], size: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for g in row:
        if g.text.isspace():
            continue
        if out and g.x0 - out[-1][1] <= _JOIN_GAP * size:
            out[-1] = (out[-1][0], max(out[-1][1], g.x1))
        else:
            out.append((g.x0, g.x1))
    return out


def _row_size(row: list[Glyph]) -> float:
    # The middle glyph's size: cheaper than a median, and rows are rarely of mixed sizes.
    for g in row[len(row) // 2:] + row[: len(row) // 2]:
        if g.size > 0 and not g.text.isspace():
            return g.size
    return 10.0


def find_gutters(rows: list[list[Glyph]], page_width: float) -> list[tuple[float, float]]:
    """Vertical strips (x0, x1) nearly every text row leaves empty, between text on both
    sides; empty when the page has one column."""
    body = [r for r in rows if sum(not g.text.isspace() for g in r) >= 3]
    if len(body) < 2 * _MIN_ROWS:
        return []
    sizes = [_row_size(r) for r in body]
    size = median(sizes)
    if not 0 < page_width < 20_000:
        return []  # a damaged page box: no geometry to trust
    # Within the page: a damaged file can put a glyph at x = 1e30.
    lo = max(0.0, min(g.x0 for r in body for g in (r[0], r[-1])))
    hi = min(page_width, max(g.x1 for r in body for g in (r[0], r[-1])))
    # Quick exit for a one-column page: many rows run unbroken over every place a gutter
    # could be.
    inner0, inner1 = lo + _MIN_WIDTH_SHARE * page_width, hi - _MIN_WIDTH_SHARE * page_width
    spans = []
    wide = 0
    for r, s in zip(body, sizes, strict=True):
        stretch = _stretches(r, s)
        spans.append(stretch)
        if any(a <= inner0 and b >= inner1 for a, b in stretch):
            wide += 1
            if wide > _MAX_CROSSING * len(body):
                return []
    width = int(hi - lo) + 1
    if width <= 0:
        return []
    delta = [0] * (width + 2)
    for stretch in spans:
        for a, b in stretch:
            delta[min(width, max(0, int(a - lo)))] += 1
            delta[min(width, max(0, int(b - lo) + 1))] -= 1
    cover = []
    running = 0
    for d in delta[:width]:
        running += d
        cover.append(running)
    limit = _MAX_CROSSING * len(body)
    gutters: list[tuple[float, float]] = []
    x = 0
    at_edge = False
    while x < width and not at_edge:
        if cover[x] <= limit:
            start = x
            while x < width and cover[x] <= limit:
                x += 1
            at_edge = x >= width
            if at_edge:
                # Free up to the right edge: a last column holding a few lines only (a
                # balanced last page) is sparse, not empty; its gutter is the emptiest part.
                floor = min(cover[start:x])
                end = start
                while end < x and cover[end] > floor:
                    end += 1
                start = end
                while end < x and cover[end] <= floor:
                    end += 1
                if end >= x:
                    break
                x = end
            g0, g1 = lo + start, lo + x
            if g1 - g0 >= _MIN_GUTTER * size and g0 - lo >= _MIN_WIDTH_SHARE * page_width \
                    and hi - g1 >= 0.5 * _MIN_WIDTH_SHARE * page_width:
                gutters.append((g0, g1))
        x += 1
    return gutters


def _crosses(row: list[Glyph], gutters: list[tuple[float, float]]) -> bool:
    """Text over the middle of a gutter (a line a little longer than most only enters it)."""
    size = _row_size(row)
    return any(a < (g0 + g1) / 2 < b for a, b in _stretches(row, size) for g0, g1 in gutters)


def split_columns(rows: list[list[Glyph]], page_width: float) -> list[Band]:
    """The page's rows as bands in reading order (see the module doc)."""
    gutters = find_gutters(rows, page_width)
    if not gutters:
        return [Band(rows)]
    bands: list[Band] = []
    pending: list[list[Glyph]] = []  # rows that keep to the gutters
    for row in rows:
        if not pending and bands and bands[-1].frame is None \
                and _continues_title(bands[-1].rows[-1], row):
            bands[-1].rows.append(row)  # a wrapped title's short last line
        elif _crosses(row, gutters):
            bands.extend(_columns_of(pending, gutters))
            pending = []
            if bands and bands[-1].frame is None:
                bands[-1].rows.append(row)
            else:
                bands.append(Band([row]))
        else:
            pending.append(row)
    bands.extend(_columns_of(pending, gutters))
    return bands


def _continues_title(above: list[Glyph], row: list[Glyph]) -> bool:
    """`row` is the next line of the heading `above` that spans the page: same size and
    weight, bold or bigger than the text, right under it."""
    def style(r: list[Glyph]) -> tuple[float, bool]:
        glyphs = [g for g in r if not g.text.isspace()]
        return (round(_row_size(r), 1),
                sum(bool(getattr(g, "bold", False)) for g in glyphs) > 0.8 * len(glyphs))

    size, bold = style(above)
    if style(row) != (size, bold) or not bold:
        return False
    gap = getattr(row[0], "baseline", 0.0) - getattr(above[0], "baseline", 0.0)
    return 0 < gap < 2.0 * size


def _columns_of(rows: list[list[Glyph]], gutters: list[tuple[float, float]]) -> list[Band]:
    """Rows that keep to the gutters, read column by column when every column holds running
    text; otherwise as they are."""
    if not rows:
        return []
    edges = [-1e9, *[(g0 + g1) / 2 for g0, g1 in gutters], 1e9]
    columns: list[list[list[Glyph]]] = [[] for _ in range(len(edges) - 1)]
    for row in rows:
        for k in range(len(columns)):
            part = [g for g in row if edges[k] <= (g.x0 + g.x1) / 2 < edges[k + 1]]
            if any(not g.text.isspace() for g in part):
                columns[k].append(part)
    # Running text: two columns of several rows at least (the last one may be a short tail),
    # lines of a sentence's length.
    full = sum(len(col) >= _MIN_ROWS for col in columns)
    # Characters, not glyphs: an OCR "glyph" is a whole word.
    chars = [sum(len(g.text) for g in r if not g.text.isspace()) for col in columns for r in col]
    if full < 2 or not all(columns) or median(chars) < _MIN_CHARS:
        return [Band(rows)]
    return [Band(col, (min(g.x0 for r in col for g in r if not g.text.isspace()),
                       max(g.x1 for r in col for g in r if not g.text.isspace())))
            for col in columns]


class FramedLine(Protocol):
    kind: str
    x0: float
    x1: float
    top: float
    size: float
    frame: tuple[float, float] | None


# A page that holds one column of the document's column grid: this share of its lines fit in
# that column, this many at least; the rest (a title across the top) stand above them.
_ADOPT_SHARE = 0.75
_ADOPT_MIN_LINES = 4
# Lines of one column share its frame to within this many points.
_FRAME_TOLERANCE = 2.0
# A page's own flush edge makes a column when it stops this share of the text width short of
# the document's widest text.
_NARROW = 0.2


def adopt_column_frames(pages: list[list[FramedLine]]) -> None:
    """Measure the lines of a page that has no gutter against the column they stand in (in
    place); read such a page's columns one after the other.

    A page whose text runs down one column and leaves the others empty or nearly so (the
    section before a one-column page, a short two-column document, a last page that is not
    balanced, with one line left in the next column) has no gutter to find, so its lines
    would be measured against the full page, and every line of a half-width column would look
    short: a paragraph per line. When each of its lines (but a title above them) fits one of
    the columns the document's other pages show, it gets that column's frame, and the page is
    read column by column; without such pages, the edge its own justified lines end flush on
    (far left of the document's widest text) is its column.
    """
    known = _column_frames(pages)
    texts = [[ln for ln in lines if ln.kind == "text"] for lines in pages]
    widest = max((_right_edge(text) for text in texts if text), default=0.0)
    for p, text in enumerate(texts):
        if len(text) < _ADOPT_MIN_LINES or any(ln.frame is not None for ln in text):
            continue
        own = _flush_frame(text)
        frames = known or ([own] if own and widest - own[1] > _NARROW * (widest - own[0])
                           else [])
        home = {id(ln): f for ln in text if (f := next((f for f in frames if _fits(ln, f)),
                                                       None))}
        inside = [ln for ln in text if id(ln) in home]
        if not inside or len(inside) < max(_ADOPT_MIN_LINES, _ADOPT_SHARE * len(text)):
            continue
        first = min(ln.top for ln in inside)
        if any(ln.top >= first for ln in text if id(ln) not in home):
            continue
        for ln in inside:
            ln.frame = home[id(ln)]
        if len(set(home.values())) > 1 and len(text) == len(pages[p]):
            above = [ln for ln in pages[p] if ln.frame is None]
            by_column = sorted(inside, key=lambda ln: (ln.frame[0] if ln.frame else 0.0))
            pages[p][:] = above + by_column  # sorted() is stable: each column keeps its order


def _column_frames(pages: list[list[FramedLine]]) -> list[tuple[float, float]]:
    """The columns the document's multi-column pages show, one frame per column (the most
    used of those that agree to within a tolerance), left to right."""
    counts: dict[tuple[float, float], int] = {}
    for lines in pages:
        for ln in lines:
            if ln.frame is not None:
                counts[ln.frame] = counts.get(ln.frame, 0) + 1
    frames: list[tuple[float, float]] = []
    for frame, n in sorted(counts.items(), key=lambda fn: -fn[1]):
        if n < _ADOPT_MIN_LINES:
            break
        if not any(abs(frame[0] - f[0]) <= 3 * _FRAME_TOLERANCE
                   and abs(frame[1] - f[1]) <= 3 * _FRAME_TOLERANCE for f in frames):
            frames.append(frame)
    return sorted(frames)


def _right_edge(text: list[FramedLine]) -> float:
    rights = sorted(ln.x1 for ln in text)
    return rights[int(0.9 * (len(rights) - 1))]


def _flush_frame(text: list[FramedLine]) -> tuple[float, float] | None:
    """(left, right) of the page's text if most lines end flush on one right edge."""
    right = _right_edge(text)
    flush = [ln for ln in text
             if abs(ln.x1 - right) <= max(_FRAME_TOLERANCE, 0.3 * abs(ln.size))]
    if len(flush) < max(_ADOPT_MIN_LINES, 0.5 * len(text)):
        return None
    return (min(ln.x0 for ln in flush), right)


def _fits(line: FramedLine, frame: tuple[float, float]) -> bool:
    tol = max(_FRAME_TOLERANCE, 0.3 * abs(line.size))
    return line.x0 >= frame[0] - tol and line.x1 <= frame[1] + tol
