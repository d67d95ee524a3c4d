"""Rebuild paragraphs from the hard-wrapped lines of a PDF page.

A PDF stores lines, not paragraphs. This module decides, for each pair of consecutive body
lines, whether the second starts a new paragraph (indent, heading or bullet pattern, bold or
size change, a short previous line, a wider gap) or continues the first, and how the two join:
Vietnamese is not hyphenated, so wrapped lines join with a space, except a token cut by the
wrap ("101-" + "QĐ/TW", "2590/" + "QĐ-UBND") which joins without one.

It works on `Line` objects that any layout reader can make, so the rules are testable alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.ingest.numbering import (
    ends_with_spaced_dash,
    is_bullet,
    join_wrapped,
    numbering_scheme,
    token_cut,
)
from pipeline.model import Block

# Symbol/Wingdings bullets in Unicode's private use area, as Word and LibreOffice export
# automatic bullets; the layout maps them to visible characters.
PUA_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0d8": "➢", "\uf0fc": "✓",
               "\uf0a8": "□", "\uf06e": "■", "\uf0e0": "➢", "\uf046": "➢"}

# Line ends that mean "the sentence goes on": a spaced dash, or a token cut by the wrap.
_TERMINAL_END = re.compile(r"[.:;!?…]([\"”’)\]]*)$")


@dataclass
class Marker:
    """A superscript run inside a line (a footnote marker candidate): text[start:end]."""

    start: int
    end: int
    text: str
    # Read by OCR: its digits may be misread, so it may be linked by order (pdf._link_footnotes).
    ocr: bool = False


@dataclass
class Line:
    """One printed line of one text column, in top-down page coordinates (points)."""

    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # dominant font size
    bold: bool = False
    italic: bool = False
    markers: list[Marker] = field(default_factory=list)
    kind: str = "text"  # "text" | "table" (a placeholder where a table sits in the flow)
    table_index: int | None = None
    side: int = 0  # 1 / 2: left / right part of a side-by-side block (title, signature)
    frame: tuple[float, float] | None = None  # left/right text edges of its column, if several
    lead_width: float = 0.0  # printed width of its first word (0: unknown)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Column:
    """Where body text sits on the pages: margins and the usual line pitch."""

    left: float
    right: float
    pitch: float  # usual baseline-to-baseline distance of body lines
    size: float  # body font size
    justified: bool = False  # most body lines end exactly at the right margin

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass
class Paragraph:
    """Lines grouped into one block, plus the markers remapped into the joined text."""

    lines: list[Line]
    text: str
    markers: list[Marker]








def measure_column(lines: list[Line]) -> Column:
    """Body margins, font size and line pitch, from the most common values over text lines."""
    text_lines = [ln for ln in lines if ln.kind == "text" and ln.text.strip()]
    if not text_lines:
        return Column(left=0.0, right=1.0, pitch=14.0, size=12.0)
    sizes: Counter[float] = Counter()
    for ln in text_lines:
        sizes[round(ln.size * 2) / 2] += len(ln.text)  # weighted by characters, not lines
    size = sizes.most_common(1)[0][0]
    body = [ln for ln in text_lines if abs(ln.size - size) < 1.0] or text_lines
    # The margin is the leftmost x0 that many lines share: not the most common one, which is
    # the first-line indent in documents made of short paragraphs.
    starts = Counter(round(ln.x0) for ln in body)
    common = [x for x, n in starts.items() if n >= max(2, 0.05 * len(body))]
    left = min(common) if common else starts.most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in body)
    # Justified lines all end at the right margin; take a high percentile to ignore outliers.
    right = rights[int(0.9 * (len(rights) - 1))]
    pitches = Counter(
        round(b.bottom - a.bottom, 1)
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and 0.8 * size < b.bottom - a.bottom < 2.5 * size
    )
    pitch = pitches.most_common(1)[0][0] if pitches else 1.2 * size
    # Justified: the lines of a paragraph all reach the margin, so only its last line stops
    # short. Ragged: a line stops where the next word would not fit (see _is_short).
    # Among lines that end near the margin, justified text has most exactly on it.
    rooms = [(ln.frame[1] if ln.frame else right) - ln.x1 for ln in body]
    near = sum(1 for r in rooms if r < 3.0 * size)
    # (OCR word boxes are ink boxes, ragged by a point or two even on the margin.)
    flush = sum(1 for r in rooms if abs(r) < max(1.0, 0.15 * size))
    return Column(left=float(left), right=float(max(right, left + 1)), pitch=pitch, size=size,
                  justified=near > 0 and flush >= 0.6 * near)


def starts_new_paragraph(prev: Line, cur: Line, col: Column, prev_opens: bool = True) -> bool:
    """True when `cur` does not continue the paragraph that `prev` ends (`prev_opens`: `prev`
    is that paragraph's first line)."""
    if prev.kind != "text" or cur.kind != "text":
        return True
    # A line of one text column is measured against that column, not the page's.
    prev_col, col = _framed(col, prev), _framed(col, cur)
    if prev.side or cur.side:
        return True  # title and signature blocks: one printed line, one item
    prev_text = prev.text.rstrip()
    cur_text = cur.text.lstrip()
    if ends_with_spaced_dash(prev_text) or token_cut(prev_text, cur_text):
        # "công nghiệp -" / "- xây dựng", "101-" / "QĐ/TW": the sentence goes on.
        return cur.size < prev.size - 1.0 or cur.size > prev.size + 1.0
    if abs(cur.size - prev.size) > 0.9 or cur.bold != prev.bold:
        return True
    pitch = col.pitch * max(cur.size, prev.size) / col.size  # bigger type, wider lines
    if cur.page == prev.page and cur.bottom - prev.bottom > pitch + max(3.0, 0.25 * cur.size):
        return True
    ended = bool(_TERMINAL_END.search(prev_text))
    if is_bullet(cur_text):
        # Justified text that runs to the margin with no full stop goes on, even on a line
        # that starts with a spaced dash ("Khu kinh tế" / "- thương mại").
        return not (prev_col.justified and not ended and cur_text[:1] in "-–"
                    and not _is_short(prev, prev_col, cur))
    if numbering_scheme(cur_text) and (ended or _is_short(prev, prev_col, cur)):
        return True
    if not ended and _same_style(prev, cur) and is_centered(cur, col) \
            and is_centered(prev, col, clear_of_margin=False):
        return False  # a centred title or caption wrapped over several lines
    if _is_short(prev, prev_col, cur):
        return True
    if prev.frame != cur.frame:
        # The top of the next column: an indent there is measured against that column only.
        step = max(0.5 * cur.size, 4.0)
        return cur.x0 >= col.left + step
    return _is_indented_start(prev, cur, col, prev_opens)


def _framed(col: Column, line: Line) -> Column:
    if line.frame is None:
        return col
    return Column(left=line.frame[0], right=line.frame[1], pitch=col.pitch, size=col.size,
                  justified=col.justified)


def _same_style(a: Line, b: Line) -> bool:
    return a.bold == b.bold and a.italic == b.italic and abs(a.size - b.size) < 0.5


def is_centered(line: Line, col: Column, clear_of_margin: bool = True) -> bool:
    """The line sits in the middle of the column (and, unless told, clear of the margin:
    a full-width line is centred too, but says nothing about alignment)."""
    tol = max(4.0, 0.5 * line.size)
    centre = (col.left + col.right) / 2
    middle = abs((line.x0 + line.x1) / 2 - centre) < tol
    return middle and (not clear_of_margin or line.x0 > col.left + tol)


def _is_short(line: Line, col: Column, nxt: Line | None = None) -> bool:
    """A line that stops before the right margin ends its paragraph: in justified text, by
    more than an em; in ragged text, when the next line's first word would have fitted."""
    room = col.right - line.x1
    if col.justified:
        # Lines inside a justified paragraph end on the margin to within a glyph's side
        # bearing; a sentence that ends a little before it ends the paragraph.
        if _TERMINAL_END.search(line.text.rstrip()):
            return room > 0.25 * line.size
        # Mid-sentence, a line may also stop early because a long token ("đồng/người/lần")
        # that follows did not fit (and was not stretched over, in an OCR'd page).
        first = nxt.lead_width if nxt is not None and nxt.kind == "text" else 0.0
        return room > max(1.0 * line.size, 0.02 * col.width, first + 0.3 * line.size)
    slack = max(2.0 * line.size, 0.08 * col.width)
    if nxt is not None and nxt.kind == "text":
        words = nxt.text.split()
        if words and nxt.width > 0:
            first = nxt.lead_width or nxt.width * len(words[0]) / max(len(nxt.text.strip()), 1)
            # The margin is only estimated: after a full stop a narrow margin of error will do,
            # mid-sentence the word must clearly have fitted.
            spare = 0.3 if _TERMINAL_END.search(line.text.rstrip()) else 1.2
            return room > max(first + spare * nxt.size, 0.5 * line.size)
    return room > slack


def _is_indented_start(prev: Line, cur: Line, col: Column, prev_opens: bool = True) -> bool:
    """A first-line indent: `cur` starts right of both the margin and the previous line."""
    step = max(0.5 * cur.size, 4.0)
    if cur.x0 < col.left + step or cur.x0 < prev.x0 + step:
        return False
    # Hanging indent: a bullet's wrapped lines align with the text after the bullet. Only
    # after the item's first line: a wrapped line that happens to start with a number
    # ("96/TTr-KKT ngày ...") opens no item.
    if prev_opens and (is_bullet(prev.text.lstrip()) or numbering_scheme(prev.text.lstrip())):
        return cur.x0 > prev.x0 + 6.0 * cur.size
    return True


def build_paragraphs(lines: list[Line], col: Column) -> list[Paragraph]:
    """Group body lines into paragraphs; a table placeholder stands alone."""
    paragraphs: list[Paragraph] = []
    group: list[Line] = []
    for line in lines:
        if group and starts_new_paragraph(group[-1], line, col, prev_opens=len(group) == 1):
            paragraphs.append(join_paragraph(group))
            group = []
        group.append(line)
    if group:
        paragraphs.append(join_paragraph(group))
    return paragraphs


def join_paragraph(lines: list[Line]) -> Paragraph:
    """One paragraph from its lines, with superscript markers moved to the joined text."""
    text = ""
    markers: list[Marker] = []
    for line in lines:
        piece = line.text.strip()
        lead = len(line.text) - len(line.text.lstrip())
        joined = join_wrapped(text, piece)
        base = len(joined) - len(piece)
        for m in line.markers:
            start = base + m.start - lead
            markers.append(Marker(start, start + (m.end - m.start), m.text, m.ocr))
        text = joined
    return Paragraph(lines=lines, text=text, markers=markers)


def guess_kind(text: str, bold: bool, all_caps: bool, col_size: float, size: float) -> str:
    """A first guess of the block kind; the outline stage refines headings."""
    if is_bullet(text):
        # "* Nguyên nhân", "❖ Mục tiêu" in bold are headings; "-", "+", "•" items are a list.
        heading_mark = text[0] in "*❖" and bold and len(text) <= 120
        return "heading" if heading_mark else "list_item"
    if len(text) > 250:
        return "paragraph"
    scheme = numbering_scheme(text)
    if scheme in ("part", "roman", "letter", "word"):
        return "heading"
    if bold and not text.endswith((",", ";")):
        return "heading"
    if all_caps and len(text) >= 4:
        return "heading"
    if size > col_size + 1.5:
        return "heading"
    if scheme in ("number", "subletter") and len(text) <= 120:
        return "heading"
    return "paragraph"


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def guess_align(lines: list[Line], col: Column) -> str:
    """left / center / right / justify, from where the lines sit between the margins."""
    tol = max(3.0, 0.3 * col.size)
    if all(is_centered(ln, col) for ln in lines):
        return "center"
    if all(abs(ln.x1 - col.right) < tol for ln in lines) and lines[0].x0 > col.left + 4 * tol:
        return "right"
    if len(lines) > 1 and all(abs(ln.x1 - col.right) < tol for ln in lines[:-1]):
        return "justify"
    return "left"


def paragraph_to_block(par: Paragraph, col: Column) -> Block:
    """A model `Block` with the layout facts the outline stage uses."""
    lines = par.lines
    first = lines[0]
    text = par.text
    size = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0]
    bold = all(ln.bold for ln in lines)
    caps = is_all_caps(text)
    return Block(
        text=text,
        kind=guess_kind(text, bold, caps, col.size, size),  # type: ignore[arg-type]
        page=first.page,
        bold=bold,
        italic=all(ln.italic for ln in lines),
        font_size=size,
        indent=round(max(0.0, first.x0 - col.left), 1),
        align=guess_align(lines, col),
        all_caps=caps,
    )
