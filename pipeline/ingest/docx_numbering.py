"""Word automatic list numbering (`word/numbering.xml`), rendered as printed.

A paragraph's `w:numPr` (direct, or from its style) names a `w:num`, which points at a
`w:abstractNum` holding up to nine levels (start, format, text such as "%1.%2."). Word keeps
the counters on the abstract list: two `w:num`s over the same abstract continue each other,
and "restart numbering" is a new `w:num` with `w:lvlOverride/w:startOverride`, which resets its
levels the first time it is used. We follow that, which is also what LibreOffice does on import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pipeline.ingest.docx_styles import Props, Styles, W, parse_ppr, parse_rpr, wattr

MAX_LEVELS = 9

# Glyphs of symbol fonts (Symbol, Wingdings, ...) at their 8-bit code. Word stores them either
# as the plain code or shifted into the private-use area (U+F0xx).
_SYMBOL_FONTS = frozenset({"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings"})
_SYMBOL_GLYPHS = {0xB3: "≥", 0xA3: "≤", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xAE: "→", 0xB7: "•"}
# Bullets Word prints that are real text: kept in the text. Any other bullet becomes "•".
TEXT_BULLETS = frozenset({"-", "–", "—", "+"})
_VI_COUNT = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def is_symbol_font(name: str | None) -> bool:
    return bool(name) and name.strip().lower() in _SYMBOL_FONTS


def symbol_char(ch: str, font: str | None) -> str:
    """What a character in a symbol font prints as, in Unicode ("" in Symbol -> "•")."""
    code = ord(ch)
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    if (font or "").strip().lower() == "symbol":
        return _SYMBOL_GLYPHS.get(code, "•" if code >= 0x80 else chr(code))
    return "•"  # Wingdings & co. are pictographs; in reports they are bullets and ticks


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never
    is_legal: bool = False
    suffix: str = " "
    style_id: str | None = None
    font: str | None = None
    ppr: Props = field(default_factory=dict)


@dataclass
class Label:
    """A printed list label: `text` ("2.1.", "a)", "-", "•"); `prepend` says if it goes in text."""

    text: str
    bullet: bool
    prepend: bool
    suffix: str
    ppr: Props


@dataclass
class _Num:
    abstract_id: str
    overrides: dict[int, Level | None]  # level -> replacement Level (or None)
    starts: dict[int, int]  # level -> startOverride


class NumberingDefs:
    """The definitions of numbering.xml, parsed once; counters live in `Numbering`."""

    def __init__(self, root: etree._Element | None, styles: Styles) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractId -> numbering style id
        self.nums: dict[str, _Num] = {}
        self.styles = styles
        if root is None:
            return
        for el in root.iter(W + "abstractNum"):
            self._load_abstract(el)
        for el in root.iter(W + "num"):
            self._load_num(el)

    def _load_abstract(self, el: etree._Element) -> None:
        abstract_id = wattr(el, "abstractNumId")
        if abstract_id is None or abstract_id in self.abstracts:
            return  # a duplicated id: the first definition wins, as in LibreOffice
        self.abstracts[abstract_id] = {
            lvl: level for lvl, level in (_parse_level(x) for x in el.iter(W + "lvl"))
        }
        link = wattr(el.find(W + "numStyleLink"), "val")
        if link:
            self.style_links[abstract_id] = link

    def _load_num(self, el: etree._Element) -> None:
        num_id = wattr(el, "numId")
        abstract_id = wattr(el.find(W + "abstractNumId"), "val")
        if num_id is None or abstract_id is None or num_id in self.nums:
            return
        num = _Num(abstract_id, {}, {})
        for override in el.iter(W + "lvlOverride"):
            lvl = _int(wattr(override, "ilvl"), 0)
            start = override.find(W + "startOverride")
            if start is not None:
                num.starts[lvl] = _int(wattr(start, "val"), 1)
            lvl_el = override.find(W + "lvl")
            if lvl_el is not None:
                num.overrides[lvl] = _parse_level(lvl_el)[1]
        self.nums[num_id] = num

    def resolve(self, num_id: str) -> tuple[str, dict[int, Level], _Num] | None:
        """(abstract id, levels with the num's overrides applied, num) for `num_id`."""
        num = self.nums.get(num_id)
        if num is None:
            return None
        abstract_id = self._follow_style_link(num.abstract_id)
        levels = dict(self.abstracts.get(abstract_id, {}))
        for lvl, level in num.overrides.items():
            if level is not None:
                levels[lvl] = level
        return abstract_id, levels, num

    def _follow_style_link(self, abstract_id: str) -> str:
        # An abstract list may only say "use numbering style X"; X's numId holds the levels.
        for _ in range(5):
            link = self.style_links.get(abstract_id)
            if not link:
                break
            num_id = self.styles.numbering_style_num(link)
            target = self.nums.get(num_id or "")
            if target is None or target.abstract_id == abstract_id:
                break
            abstract_id = target.abstract_id
        return abstract_id

    def level_for_style(self, num_id: str, style_id: str | None) -> int | None:
        """The level whose `w:pStyle` is `style_id` (headings linked to a multilevel list)."""
        resolved = self.resolve(num_id)
        if resolved is None or not style_id:
            return None
        for lvl, level in sorted(resolved[1].items()):
            if level.style_id == style_id:
                return lvl
        return None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _parse_level(el: etree._Element) -> tuple[int, Level]:
    level = Level()
    lvl = _int(wattr(el, "ilvl"), 0)
    for child in el:
        tag = child.tag
        val = wattr(child, "val")
        if tag == W + "start":
            level.start = _int(val, 1)
        elif tag == W + "numFmt":
            level.fmt = val or "decimal"
        elif tag == W + "lvlText":
            level.text = val or ""
        elif tag == W + "lvlRestart":
            level.restart = _int(val, 0)
        elif tag == W + "isLgl":
            level.is_legal = val is None or val.lower() not in ("0", "false", "off")
        elif tag == W + "suff":
            level.suffix = "" if val == "nothing" else " "
        elif tag == W + "pStyle":
            level.style_id = val
        elif tag == W + "rPr":
            props = parse_rpr(child)
            font = props.get("ascii") or props.get("hAnsi")
            level.font = font[1] if isinstance(font, tuple) else None
        elif tag == W + "pPr":
            level.ppr = parse_ppr(child)
    return lvl, level


class Numbering:
    """Counters over `NumberingDefs`, advanced in document order by `label()`."""

    def __init__(self, defs: NumberingDefs) -> None:
        self.defs = defs
        self.values: dict[str, list[int | None]] = {}
        self.starts: dict[str, dict[int, int]] = {}
        self.used_nums: set[str] = set()

    def fresh(self) -> Numbering:
        """Same definitions, new counters (footnotes and headers number on their own)."""
        return Numbering(self.defs)

    def label(self, num_id: str, ilvl: int | None, style_id: str | None) -> Label | None:
        """Advance the counter of (num_id, level) and return the printed label."""
        if num_id == "0":
            return None  # numId 0 switches off numbering inherited from the style
        resolved = self.defs.resolve(num_id)
        if resolved is None:
            return None
        abstract_id, levels, num = resolved
        if ilvl is None:
            ilvl = self.defs.level_for_style(num_id, style_id) or 0
        ilvl = max(0, min(ilvl, MAX_LEVELS - 1))
        level = levels.get(ilvl)
        if level is None:
            return None
        values = self.values.setdefault(abstract_id, [None] * MAX_LEVELS)
        starts = self.starts.setdefault(abstract_id, {})
        self._apply_overrides(num_id, num.starts, values, starts)
        self._advance(ilvl, levels, values, starts)
        return _render(ilvl, level, levels, values, starts)

    def _apply_overrides(
        self, num_id: str, overrides: dict[int, int], values: list[int | None],
        starts: dict[int, int],
    ) -> None:
        if num_id in self.used_nums:
            return
        self.used_nums.add(num_id)
        for lvl, start in overrides.items():
            if 0 <= lvl < MAX_LEVELS:
                values[lvl] = None
                starts[lvl] = start

    @staticmethod
    def _advance(
        ilvl: int, levels: dict[int, Level], values: list[int | None], starts: dict[int, int]
    ) -> None:
        current = values[ilvl]
        values[ilvl] = _start(ilvl, levels, starts) if current is None else current + 1
        # A deeper item before any shallower one counts the shallower levels as used at their
        # start: "1." under a fresh list, then the next top item prints "II.", as LibreOffice
        # and Word do.
        for shallower in range(ilvl):
            if values[shallower] is None:
                values[shallower] = _start(shallower, levels, starts)
        for deeper in range(ilvl + 1, MAX_LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            # lvlRestart is 1-based: "restart after level N"; 0 means never restart.
            if restart is None or (restart > 0 and ilvl < restart):
                values[deeper] = None


def _start(lvl: int, levels: dict[int, Level], starts: dict[int, int]) -> int:
    if lvl in starts:
        return starts[lvl]
    return levels[lvl].start if lvl in levels else 1


def _render(
    ilvl: int, level: Level, levels: dict[int, Level], values: list[int | None],
    starts: dict[int, int],
) -> Label | None:
    if level.fmt == "bullet":
        return _bullet(level)
    text = level.text
    for lvl in range(MAX_LEVELS):
        token = f"%{lvl + 1}"
        if token not in text:
            continue
        value = values[lvl]
        if value is None:
            value = _start(lvl, levels, starts)
        fmt = levels[lvl].fmt if lvl in levels else "decimal"
        if level.is_legal or fmt == "bullet":
            fmt = "decimal"
        text = text.replace(token, format_number(value, fmt))
    text = text.strip()
    if not text:
        return None
    return Label(text, bullet=False, prepend=True, suffix=level.suffix, ppr=level.ppr)


def _bullet(level: Level) -> Label | None:
    glyph = level.text.strip()
    if not glyph:
        return None
    if is_symbol_font(level.font):
        glyph = "".join(symbol_char(ch, level.font) for ch in glyph)
    if glyph in TEXT_BULLETS:
        return Label(glyph, bullet=True, prepend=True, suffix=level.suffix, ppr=level.ppr)
    # "o" (Courier New), "" (Symbol), "§" (Wingdings)...: a mark, not text.
    return Label("•", bullet=True, prepend=False, suffix=level.suffix, ppr=level.ppr)


def format_number(value: int, fmt: str) -> str:
    """`value` in a Word numFmt (decimal, upperRoman, lowerLetter, ...)."""
    if fmt in ("upperRoman", "lowerRoman"):
        roman = to_roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = to_letters(value)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    if fmt == "vietnameseCounting" and 0 <= value < len(_VI_COUNT):
        return _VI_COUNT[value]
    return str(value)


def to_roman(value: int) -> str:
    if value <= 0 or value >= 4000:
        return str(value)
    out = []
    for number, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        count, value = divmod(value, number)
        out.append(numeral * count)
    return "".join(out)


def to_letters(value: int) -> str:
    # Word's letter lists go A..Z, then AA..ZZ, AAA.. (the letter repeated), not base 26.
    if value <= 0:
        return str(value)
    letter = chr(ord("A") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)
