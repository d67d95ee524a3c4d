"""Style resolution for the DOCX reader: `word/styles.xml` + the theme's fonts.

Word computes a run's look from layers, least to most specific: document defaults, the
paragraph style chain (each style `basedOn` another), the run's character style chain, then the
run's own properties. We merge the layers as flat dicts of the few properties later stages use
(bold, italic, caps, size, font, hidden; outline level, numbering, alignment, indent), so a
paragraph costs one dict merge per run and the chains are resolved once per style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

Props = dict[str, object]

_FALSE = frozenset({"0", "false", "off", "none"})
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_JC = {
    "left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
    "both": "justify", "distribute": "justify", "lowKashida": "justify",
    "mediumKashida": "justify", "highKashida": "justify", "thaiDistribute": "justify",
}


def wattr(el: etree._Element | None, name: str) -> str | None:
    """The `w:name` attribute of `el`, or None."""
    if el is None:
        return None
    return el.get(W + name)


def is_on(el: etree._Element) -> bool:
    """A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): absent val means on."""
    val = el.get(W + "val")
    return val is None or val.lower() not in _FALSE


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None  # units like "1in" (strict OOXML) are rare; ignore rather than guess


def parse_rpr(rpr: etree._Element | None) -> Props:
    """The run properties we use, from one `w:rPr`, as a flat dict of the keys it sets."""
    out: Props = {}
    if rpr is None:
        return out
    for child in rpr:
        tag = child.tag
        if tag == W + "b":
            out["b"] = is_on(child)
        elif tag == W + "i":
            out["i"] = is_on(child)
        elif tag == W + "caps":
            out["caps"] = is_on(child)
        elif tag == W + "vanish":
            out["vanish"] = is_on(child)
        elif tag == W + "sz":
            size = _num(wattr(child, "val"))
            if size is not None:
                out["sz"] = size / 2.0  # half-points
        elif tag == W + "rFonts":
            _parse_fonts(child, out)
        elif tag == W + "rStyle":
            out["rStyle"] = wattr(child, "val")
    return out


def _parse_fonts(el: etree._Element, out: Props) -> None:
    # Within one element a theme reference beats the literal name (that is what Word does).
    for slot in ("ascii", "hAnsi"):
        theme = wattr(el, slot + "Theme")
        name = wattr(el, slot)
        if theme:
            out[slot] = ("theme", theme)
        elif name:
            out[slot] = ("font", name)


def parse_ppr(ppr: etree._Element | None) -> Props:
    """The paragraph properties we use, from one `w:pPr`."""
    out: Props = {}
    if ppr is None:
        return out
    for child in ppr:
        tag = child.tag
        if tag == W + "outlineLvl":
            level = _num(wattr(child, "val"))
            if level is not None:
                out["outline"] = int(level)
        elif tag == W + "numPr":
            _parse_numpr(child, out)
        elif tag == W + "jc":
            out["jc"] = _JC.get(wattr(child, "val") or "", None)
        elif tag == W + "ind":
            _parse_ind(child, out)
        elif tag == W + "pStyle":
            out["pStyle"] = wattr(child, "val")
    return out


def _parse_numpr(el: etree._Element, out: Props) -> None:
    for child in el:
        if child.tag == W + "numId" and wattr(child, "val") is not None:
            out["numId"] = wattr(child, "val")
        elif child.tag == W + "ilvl":
            level = _num(wattr(child, "val"))
            if level is not None:
                out["ilvl"] = int(level)


def _parse_ind(el: etree._Element, out: Props) -> None:
    left = _num(wattr(el, "left") or wattr(el, "start"))
    if left is not None:
        out["ind_left"] = left / 20.0  # twips -> points
    hanging = _num(wattr(el, "hanging"))
    first = _num(wattr(el, "firstLine"))
    if hanging is not None:
        out["ind_first"] = -hanging / 20.0
    elif first is not None:
        out["ind_first"] = first / 20.0


def heading_level_from_name(name: str | None) -> int | None:
    """0-based level of a built-in heading style name ("heading 1" -> 0), else None."""
    if not name:
        return None
    m = _HEADING_NAME.match(name.strip())
    return int(m.group(1)) - 1 if m else None


def display_name(name: str | None) -> str | None:
    # Word stores built-in names in lower case ("heading 1"); show them as the UI does.
    if name and name[0].islower() and heading_level_from_name(name) is not None:
        return name[0].upper() + name[1:]
    return name


@dataclass
class Style:
    style_id: str
    name: str | None
    kind: str
    based_on: str | None
    ppr: Props = field(default_factory=dict)
    rpr: Props = field(default_factory=dict)


@dataclass
class ParaStyle:
    """A paragraph style with its basedOn chain already merged (docDefaults at the root)."""

    style_id: str | None
    name: str | None
    ppr: Props
    rpr: Props
    heading_level: int | None  # from the style's name ("heading 2" -> 1), None otherwise


class Styles:
    """Resolved styles of one document; cheap to query per paragraph and run."""

    def __init__(self, root: etree._Element | None, theme_fonts: dict[str, str]) -> None:
        self.theme_fonts = theme_fonts
        self.styles: dict[str, Style] = {}
        self.default_ppr: Props = {}
        self.default_rpr: Props = {}
        self.default_para: str | None = None
        if root is not None:
            self._load(root)
        # Bound caches: the key space is the document's own style ids.
        self.para_style = cache(self._para_style)  # type: ignore[method-assign]
        self.run_base = cache(self._run_base)  # type: ignore[method-assign]

    def _load(self, root: etree._Element) -> None:
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            self.default_rpr = parse_rpr(defaults.find(f"{W}rPrDefault/{W}rPr"))
            self.default_ppr = parse_ppr(defaults.find(f"{W}pPrDefault/{W}pPr"))
        for el in root.iter(W + "style"):
            style_id = wattr(el, "styleId")
            if not style_id:
                continue
            kind = wattr(el, "type") or "paragraph"
            style = Style(
                style_id=style_id,
                name=wattr(el.find(W + "name"), "val"),
                kind=kind,
                based_on=wattr(el.find(W + "basedOn"), "val"),
                ppr=parse_ppr(el.find(W + "pPr")),
                rpr=parse_rpr(el.find(W + "rPr")),
            )
            self.styles[style_id] = style
            if kind == "paragraph" and is_default(el) and self.default_para is None:
                self.default_para = style_id

    def _chain(self, style_id: str | None) -> list[Style]:
        """The style and its ancestors, root first; cycles and dangling ids end the chain."""
        chain: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        chain.reverse()
        return chain

    def _para_style(self, style_id: str | None) -> ParaStyle:
        if not style_id or style_id not in self.styles:
            style_id = self.default_para
        ppr: Props = dict(self.default_ppr)
        rpr: Props = dict(self.default_rpr)
        for style in self._chain(style_id):
            ppr.update(style.ppr)
            rpr.update(style.rpr)
        style = self.styles.get(style_id or "")
        name = style.name if style else None
        level = heading_level_from_name(name)
        if level is None and style_id:
            level = heading_level_from_name(re.sub(r"(\D)(\d)$", r"\1 \2", style_id))
        return ParaStyle(style_id, display_name(name), ppr, rpr, level)

    def _run_base(self, para_style_id: str | None, run_style_id: str | None) -> Props:
        """Run properties before the run's own: defaults + paragraph style + character style."""
        props = dict(self.para_style(para_style_id).rpr)
        for style in self._chain(run_style_id):
            props.update(style.rpr)
        return props

    def numbering_style_num(self, style_id: str) -> str | None:
        """The numId a numbering style (`w:type="numbering"`) points at, for numStyleLink."""
        for style in self._chain(style_id):
            num_id = style.ppr.get("numId")
            if num_id is not None:
                return str(num_id)
        return None

    def font(self, props: Props, slot: str) -> str | None:
        """The font name of `slot` ("ascii"/"hAnsi") in merged run props, themes resolved."""
        value = props.get(slot)
        if not isinstance(value, tuple):
            return None
        kind, name = value
        if kind == "theme":
            return self.theme_fonts.get("major" if name.startswith("major") else "minor")
        return name


def is_default(el: etree._Element) -> bool:
    val = wattr(el, "default")
    return val is not None and val.lower() in ("1", "true", "on")


def theme_fonts(root: etree._Element | None) -> dict[str, str]:
    """{"major": ..., "minor": ...} Latin typefaces of the theme (for `w:asciiTheme`)."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for key, tag in (("major", "majorFont"), ("minor", "minorFont")):
        latin = root.find(f".//{{{A_NS}}}{tag}/{{{A_NS}}}latin")
        if latin is not None and latin.get("typeface"):
            out[key] = latin.get("typeface")
    return out
