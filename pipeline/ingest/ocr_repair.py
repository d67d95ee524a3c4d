"""Domain-aware repair of OCR text: document numbers and Vietnamese number groups.

Tesseract reads Vietnamese well but slips on the two things a report is quoted for: document
numbers ("57-NQ/ TW", "NĐ- CP") and numbers ("1.612,9" read as "1.6129"); in narrow table
cells it also glues two syllables into one word ("chứccơ"). Each rule in
`pipeline/data/ocr_repair.yaml` touches only text that fails the grammar of what it must be
(a document number never has a space inside; a dotted number's groups have three digits), so
well-formed text passes unchanged. Applied to OCR lines only, never to a text layer.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.data import load_yaml
from pipeline.ingest.pdf_words import is_syllable, split_syllables


@cache
def _rules() -> dict[str, dict[str, object]]:
    rules = load_yaml("ocr_repair.yaml")["rules"]
    for rule in rules.values():
        for key in ("find", "only_if", "must_have", "squeeze"):
            if key in rule:
                rule[key] = re.compile(rule[key])
    return rules


_WORD = re.compile(r"[^\W\d_]{4,}")


def _unglue(m: re.Match[str]) -> str:
    """Two syllables OCR read as one word ("chứccơ" -> "chức cơ"): only a word that is no
    Vietnamese syllable, has a Vietnamese letter (so "Lenin" stays), and splits into exactly
    two syllables."""
    word = m.group()
    if word.isascii() or is_syllable(word):
        return word
    flags = split_syllables(list(word))
    if flags is None or sum(flags) != 1:
        return word
    cut = flags.index(True) + 1
    return f"{word[:cut]} {word[cut:]}"


_TOKEN = re.compile(r"[^\W\d_]+")


def _fix_case(text: str) -> str:
    """Capitals OCR put inside lower-case text: "lỆ phí" -> "lệ phí" (a word is never lower
    then upper case), "của BỘ Tài chính" -> "Bộ" (a marked syllable in capitals between words
    that are not: capitals for emphasis come in runs, acronyms have no tone marks)."""
    words = list(_TOKEN.finditer(text))
    if not words:
        return text
    out = list(text)
    for k, m in enumerate(words):
        word = m.group()
        if word.isascii() or not is_syllable(word):
            continue
        if word[0].islower() and any(c.isupper() for c in word[1:]):
            fixed = word.lower()
        elif word.isupper() and len(word) > 1:
            prev = words[k - 1].group() if k else None
            nxt = words[k + 1].group() if k + 1 < len(words) else None
            if nxt is None or nxt.isupper() or (prev is not None and prev.isupper()):
                continue
            fixed = word[0] + word[1:].lower()
        else:
            continue
        out[m.start():m.end()] = fixed
    return "".join(out)


def repair(text: str) -> str:
    """`text` with the known OCR slips corrected: glued syllables, letter case inside words,
    document numbers, numbers."""
    if not text:
        return text
    text = _fix_case(_WORD.sub(_unglue, text))
    if not any(c.isdigit() for c in text):
        return text
    rules = _rules()
    doc = rules["document_number"]

    def squeeze(m: re.Match[str]) -> str:
        found = m.group()
        if doc["only_if"].search(found) and doc["must_have"].search(found):  # type: ignore[union-attr]
            return doc["squeeze"].sub(r"\1", found)  # type: ignore[union-attr]
        return found

    text = doc["find"].sub(squeeze, text)  # type: ignore[union-attr]
    for name in ("decimal_comma_lost", "space_in_number"):
        rule = rules[name]
        text = rule["find"].sub(str(rule["replace"]), text)  # type: ignore[union-attr]
    return text
