"""Re-typeset the corpus ground truth the ways real units format their reports, to measure
heading detection on formatting the rules were not written against.

Each variant is a real DOCX written with python-docx (and, on request, a PDF converted by
LibreOffice) from corpus/truth/<stem>.json: the same paragraphs and headings, typeset
differently. Gold headings are the truth's headings, with their text changed the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "corpus" / "truth"
_NUMBER = re.compile(
    r"^(?:(?:PHẦN|Phần)\s+(?:THỨ|thứ)\s+\S+\s*|[A-ZĐ][.)]\s|[IVX]{1,5}[.)]\s"
    r"|\d{1,2}(?:\.\d{1,2})*[.)]?\s|[a-zđ][)]\s|[*❖]\s?)"
)
_DROP_MARK = str.maketrans("ảạấậểệổộủụ", "aaâââêôôuu")


def title_case(text: str) -> str:
    """Sentence case after the list number ("A. Đặc điểm tình hình"): what many units type."""
    match = _NUMBER.match(text)
    prefix = match.group(0) if match else ""
    rest = text[len(prefix):].lower()
    return prefix + rest[:1].upper() + rest[1:]


def strip_number(text: str) -> str:
    return _NUMBER.sub("", text, count=1).strip() or text


def typo(text: str) -> str:
    """One dropped tone mark and one doubled letter: the slips the seeds show."""
    words = text.split()
    for i, w in enumerate(words):
        changed = w.translate(_DROP_MARK)
        if changed != w:
            words[i] = changed
            break
    alpha = [i for i, w in enumerate(words) if w.isalpha()]
    if alpha:
        longest = max(alpha, key=lambda i: len(words[i]))
        w = words[longest]
        words[longest] = w[:2] + w[1:] if len(w) > 3 else w
    return " ".join(words)


# name -> (change the heading text, heading bold?, use Word heading styles?)
VARIANTS: dict[str, tuple[Callable[[str], str], bool, bool]] = {
    "plain_not_bold": (lambda t: t, False, False),
    "title_case_bold": (title_case, True, False),
    "unnumbered_bold": (strip_number, True, False),
    "typos_bold": (typo, True, False),
    "heading_styles_only": (lambda t: t, False, True),
}


def gold_headings(stem: str, variant: str) -> list[str]:
    change = VARIANTS[variant][0]
    truth = json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))
    return [change(p["text"]) for p in truth["paragraphs"] if p["kind"] == "heading"]


def write_variant(stem: str, variant: str, path: Path) -> Path:
    change, bold, styles = VARIANTS[variant]
    truth = json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))
    doc = new_docx()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    for p in truth["paragraphs"]:
        if p["kind"] == "heading":
            text = change(p["text"])
            if styles:
                para = doc.add_paragraph(text, style=f"Heading {min(p['level'] or 1, 3)}")
                for run in para.runs:
                    run.font.bold = False  # the style alone must say it is a heading
                    run.font.size = Pt(13)
            else:
                para = doc.add_paragraph()
                run = para.add_run(text)
                run.font.bold = bold
        else:
            para = doc.add_paragraph(p["text"])
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.save(str(path))
    return path


def parts_merged(gold: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """The gold re-expressed by the rule "a heading printed over several lines is one heading"
    (issue 10): a bare part heading ("PHẦN THỨ HAI", "Phần I") and the capital unnumbered lines
    right after it ("PHƯƠNG HƯỚNG, NHIỆM VỤ ...", "NHIỆM KỲ 2025 - 2027") are one heading; so are
    a bare part or chapter label and its title in sentence case ("Phần thứ hai" / "Phương
    hướng, nhiệm vụ ..."), and a heading and a term line under it ("... / Nhiệm kỳ 2025 - 2027")."""
    import re

    from pipeline.data import load_yaml
    from pipeline.ingest.numbering import numbering_scheme, strip_numbering, top_level_schemes
    from pipeline.ingest.textlines import is_all_caps

    cfg = load_yaml("outline.yaml")
    titled = set(cfg["titled_schemes"])
    term = re.compile(cfg["term_line"], re.IGNORECASE)
    top = top_level_schemes()
    out: list[tuple[str, int | None]] = []
    lines = 0
    label = False  # the last heading is a bare part or chapter label, alone so far
    for text, level in gold:
        unnumbered = numbering_scheme(text) is None
        # `lines`: how many lines the last heading has, when it began as a bare part heading.
        caps_line = 0 < lines < 3 and is_all_caps(text) and len(text.split()) <= 25
        title_line = label and text[:1].isupper() and len(text.split()) <= 25 \
            and not text.endswith((".", ":", ";", ","))
        term_line = bool(term.match(" ".join(text.split()))) and len(text.split()) <= 12
        if out and unnumbered and (caps_line or title_line or term_line):
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1])
            lines += 1 if lines else 0
            label = False
            continue
        out.append((text, level))
        scheme = numbering_scheme(text)
        bare = len(strip_numbering(text).split()) <= 2
        lines = 1 if scheme in top and bare else 0
        label = scheme in titled and bare
    return out
