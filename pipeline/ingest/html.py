"""Web pages (news about a congress, reports published online): the main text only.

Navigation, scripts, styles, forms, headers, footers, sidebars and comment sections are removed;
the main content is the `<article>`/`<main>` element when there is one, else the element whose
own paragraphs hold the most text (the readability idea, with a link-density penalty so a menu
of links never wins). Tables become `Table`s; images and their alt text are not body text.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from pipeline.ingest.limits import Limits
from pipeline.ingest.text import decode_bytes
from pipeline.ingest.textlines import lines_to_blocks
from pipeline.model import Block, Document, Table

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "nav", "header", "footer", "aside", "form", "button", "select", "input", "textarea", "img",
    "figure", "video", "audio", "map", "menu",
)
# class/id words of page furniture on Vietnamese news sites (menus, related news, sharing).
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|menu|breadcrumb|sidebar|footer|header|banner|share|social|comment|"
    r"related|tin-?lien-?quan|tinlienquan|lien-quan|advert|ads|quangcao|cookie|popup|login|"
    r"search|tags?|pagination|print|rating)s?(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"}
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def read(path: Path, doc: Document, limits: Limits) -> None:
    data = path.read_bytes()
    text, encoding = _decode(data)
    doc.properties["encoding"] = encoding
    root = lxml.html.document_fromstring(text)
    title = root.findtext(".//title")
    if title and title.strip():
        doc.properties["html_title"] = " ".join(title.split())
    _strip_furniture(root)
    main = _main_content(root)
    blocks, tables = _walk(main)
    doc.blocks = blocks
    doc.tables = tables


def _decode(data: bytes) -> tuple[str, str]:
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", "ignore").lower()
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to sniffing the bytes
    return decode_bytes(data)


def _strip_furniture(root: lxml.html.HtmlElement) -> None:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for tag in _DROP_TAGS:
        for el in root.findall(f".//{tag}"):
            _remove(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        marker = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
        if marker.strip() and _BOILERPLATE.search(marker) and not _is_main_marker(el):
            _remove(el)


def _is_main_marker(el: lxml.html.HtmlElement) -> bool:
    return el.tag in ("article", "main") or el.get("role") == "main"


def _remove(el: lxml.html.HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    # Keep the tail text (what follows the element inside its parent).
    el.drop_tree()


def _main_content(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in (".//article", ".//main", ".//*[@role='main']"):
        found = [el for el in root.findall(xpath) if _text_len(el) > 200]
        if found:
            return max(found, key=_text_len)
    body = root.find(".//body")
    body = body if body is not None else root
    best, best_score = body, 0.0
    for el in body.iter("div", "section", "td", "article"):
        score = _content_score(el)
        if score > best_score:
            best, best_score = el, score
    # A container holding under a third of the page's paragraph text is a fragment: use body.
    return best if best_score >= 0.33 * _content_score(body) else body


def _content_score(el: lxml.html.HtmlElement) -> float:
    own = sum(len(p.text_content().strip()) for p in el.iter("p", "li", "h1", "h2", "h3", "h4"))
    own += len((el.text or "").strip())
    links = sum(len(a.text_content()) for a in el.iter("a"))
    total = max(_text_len(el), 1)
    return own * (1.0 - min(links / total, 1.0))


def _text_len(el: lxml.html.HtmlElement) -> int:
    return len(el.text_content().strip())


def _walk(main: lxml.html.HtmlElement) -> tuple[list[Block], list[Table]]:
    """Blocks and tables in document order; text outside block tags (a bare div, <br>
    separated lines) becomes paragraphs too."""
    blocks: list[Block] = []
    tables: list[Table] = []
    loose: list[str] = []

    def flush_loose() -> None:
        if loose:
            blocks.extend(lines_to_blocks("".join(loose).split("\n")))
            loose.clear()

    def visit(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            flush_loose()
            rows = _table_rows(el)
            if rows:
                tables.append(Table(rows=rows, after_block=len(blocks) - 1))
        elif tag in _BLOCK_TAGS:
            flush_loose()
            if tag == "pre":
                blocks.extend(lines_to_blocks(el.text_content().split("\n")))
            else:
                text = _inline_text(el)
                if text:
                    blocks.append(_block(tag, text))
        else:
            if tag in ("br", "div", "section", "tr") or tag == "":
                loose.append("\n")
            if el.text and tag:
                loose.append(el.text)
            for child in el:
                visit(child)
                if child.tail:
                    loose.append(child.tail)
            if tag in ("div", "section"):
                loose.append("\n")

    visit(main)
    flush_loose()
    return blocks, tables


def _block(tag: str, text: str) -> Block:
    if tag in _HEADINGS:
        return Block(text=text, kind="heading", outline_level=_HEADINGS[tag], bold=True)
    if tag == "li":
        return Block(text=text, kind="list_item")
    return Block(text=text)


def _inline_text(el: lxml.html.HtmlElement) -> str:
    # <br> inside a paragraph is a visual break only: a space keeps words apart.
    for br in el.iter("br"):
        br.tail = " " + (br.tail or "")
    return " ".join(el.text_content().split())


def _table_rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    """Rows of cell texts; colspan/rowspan expanded so every row has the same width (the
    spanning cell's text in its first position, the covered positions empty)."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        if tr.getparent() is not None and _enclosing_table(tr) is not table:
            continue  # a row of a nested table: its text is inside the outer cell already
        row: list[str] = []
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            span = _int_attr(cell, "colspan")
            down = _int_attr(cell, "rowspan")
            row.append(" ".join(cell.text_content().split()))
            row.extend([""] * (span - 1))
            for below in range(1, down):
                for c in range(span):
                    pending[(r + below, col + c)] = ""
            col += span
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        if row:
            grid.append(row)
    width = max((len(row) for row in grid), default=0)
    return [row + [""] * (width - len(row)) for row in grid if any(c for c in row)]


def _enclosing_table(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _int_attr(el: lxml.html.HtmlElement, name: str) -> int:
    try:
        return max(1, min(int(el.get(name, "1")), 1000))
    except ValueError:
        return 1
