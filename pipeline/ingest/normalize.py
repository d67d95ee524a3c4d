"""Text normalisation shared by every ingest format.

`clean_text` turns one string into the verbatim form every `Document` keeps: NFC, no invisible
or control characters, single spaces -- the author's own spelling otherwise ("hoà" stays "hoà").
`match_form` is the one form used for matching (search index, token norms, copy detection,
lexicon look-ups): the same length as its input, so an offset found in it is an offset in the
verbatim text; tone placement unified ("hoà" -> "hòa"), typographic quotes/dashes made ASCII.
`normalize_document` runs it over every string of a `Document`, after decoding legacy 8-bit
fonts (TCVN3/VNI) that a reader could not attribute to a font name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.ingest.legacy import decode, detect_encoding
from pipeline.model import Document

__all__ = ["clean_text", "match_form", "normalize_document", "fold_diacritics", "fold_same_length"]

# --------------------------------------------------------------------------- tone placement
#
# Old and new Vietnamese orthography differ only for the rhymes oa, oe, uy: with no letter
# after them the old style (underthesea, most typed text) puts the mark on the first vowel
# (hòa, khỏe, thủy), otherwise both put it on the second (hoàng, khoắn, thuận, khuyến). We
# rewrite the other placement in both directions so that one spelling remains. "qu" is an
# initial, so after q the u is not part of the rhyme: quý, quỳnh stay as they are. The gi-
# initial and the ia/ua/ưa rhymes are never touched (già, giữ, quả, mùa, lựa).

_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _toned(base: str) -> list[str]:
    return [unicodedata.normalize("NFC", base + t) for t in _TONES]


def _build_tone_rules() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    # toned 2nd vowel at the end of the syllable: the mark moves to the 1st ("hoà" -> "hòa");
    # toned 1st vowel with more letters after: it moves to the 2nd ("hòang" -> "hoàng").
    pairs = {"o": ("a", "e"), "u": ("y",)}  # rhymes that may end the syllable
    pairs_mid = {"o": ("a", "ă", "e"), "u": ("y", "ê", "â")}
    for upper_first in (False, True):
        for first, seconds in pairs_mid.items():
            for second in seconds:
                for upper_second in (False, True):
                    f = first.upper() if upper_first else first
                    s = second.upper() if upper_second else second
                    for ft, st in zip(_toned(f), _toned(s), strict=True):
                        if second in pairs.get(first, ()):
                            table[f + st] = ft + s
                        table[ft + s] = f + st
    letter = r"[^\W\d_]"

    def cls(bases: str) -> str:
        return "".join(c for b in bases for c in _toned(b))

    # Character classes, not an alternation of the table's keys: sre then scans for one
    # leading class and only looks closer at o/u letters (about 15x faster). The lookbehind
    # (?<![qQ].) after the first letter skips the u of "qu".
    pattern = (
        rf"[oOuU{cls('oOuU')}](?<![qQ].)(?:"
        rf"(?<=[oO])[{cls('aAeE')}](?!{letter})"
        rf"|(?<=[uU])[{cls('yY')}](?!{letter})"
        rf"|(?<=[{cls('oO')}])[aăeAĂE](?={letter})"
        rf"|(?<=[{cls('uU')}])[yêâYÊÂ](?={letter}))"
    )
    return re.compile(pattern), table


_TONE_RE, _TONE_TABLE = _build_tone_rules()

# --------------------------------------------------------------------------- invisibles

# Removed outright: C0/C1 controls other than whitespace, soft hyphen (an optional break
# inside a word), zero-width space/joiners, word joiner and invisible operators, BOM, the
# Mongolian vowel separator, bidi marks and embeddings, object replacement character.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufffc]+"
)
_ASCII_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _move_tone(m: re.Match[str]) -> str:
    return _TONE_TABLE[m.group()]


def clean_text(text: str) -> str:
    """One string -> verbatim form: NFC, no invisibles, single spaces; nothing else changes.

    Decode legacy fonts before calling this (TCVN3 "ư" looks like a soft hyphen).
    """
    if not text:
        return ""
    if not text.isascii():
        # normalize() returns its input untouched after a quick check when it is NFC already.
        text = unicodedata.normalize("NFC", text)
        text = _INVISIBLE_RE.sub("", text)
    elif _ASCII_CONTROL_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    # str.split() splits on exactly the Unicode whitespace \s matches, and strips, in C.
    return " ".join(text.split())


# --------------------------------------------------------------------------- matching form

# One character for one character, so the matching form keeps every offset.
_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ",
})


def match_form(text: str) -> str:
    """The form used for matching, never for display: one tone placement ("hoà"/"hòa" ->
    "hòa", "uỷ" -> "ủy", "hòang" -> "hoàng"), typographic quotes and dashes as ASCII, no-break
    spaces as spaces. Case is kept. For NFC input (every `Document` string is NFC) the result
    has exactly the length of the input, so offsets found in it are offsets in `text`.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return _TONE_RE.sub(_move_tone, text).translate(_TYPOGRAPHIC)


# --------------------------------------------------------------------------- folding

_MARKS_RE = re.compile("[\u0300-\u036f]+")


def fold_diacritics(text: str) -> str:
    """Lower-case, drop every mark, and fold đ to d ("Đảng viên" -> "dang vien").

    Used for accent-insensitive search; note that it merges distinct words (đảng/đang).
    """
    text = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", _MARKS_RE.sub("", text)).replace("đ", "d")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    typographic = _TYPOGRAPHIC.get(ord(ch))
    if typographic is not None:
        return typographic  # type: ignore[return-value]
    folded = fold_diacritics(ch)
    # A character whose folding is not one character ("ǅ", "İ") keeps its lower case or itself.
    if len(folded) == 1:
        return folded
    low = ch.lower()
    return low if len(low) == 1 else ch


# ord(char) -> folded char, for every character met so far whose folding differs: str.translate
# then folds a whole text at C speed.
_FOLD_TABLE: dict[int, str] = {}
_FOLD_SEEN: set[str] = set()


# The fold of the last long text (issue 16: the indicators, the unreadable numbers and the
# totals each fold a long document's whole text, ~1 s each for 13.7 M characters): folded once.
# One (text, folded) pair, read into a local at once (safe between threads); dropped at the end
# of each analysis (`forget_long_fold`), so it holds no memory between documents.
_LONG = 100_000
_LAST_FOLD: tuple[str, str] | None = None


def fold_same_length(text: str) -> str:
    """`fold_diacritics` character by character, so `len(result) == len(text)`: a match found in
    the folded text ("dang vien") sits at the same offsets in the original ("Đảng viên")."""
    global _LAST_FOLD
    if text.isascii():
        return text.lower()
    last = _LAST_FOLD
    if last is not None and last[0] == text:  # a length test, then one memcmp
        return last[1]
    new = set(text) - _FOLD_SEEN
    if new:
        for ch in new:
            folded = _fold_char(ch)
            if folded != ch:
                _FOLD_TABLE[ord(ch)] = folded
        _FOLD_SEEN.update(new)
    result = text.translate(_FOLD_TABLE)
    if len(text) >= _LONG:
        _LAST_FOLD = (text, result)
    return result


def forget_long_fold() -> None:
    """Drop the long text folded last (an analysis is over)."""
    global _LAST_FOLD
    _LAST_FOLD = None


# --------------------------------------------------------------------------- documents

_MARK = "\ue000"  # private-use sentinel: survives clean_text, never in real text we keep


def _new_offset(raw: str, offset: int, enc: str | None) -> int:
    """Where a character offset into `raw` lands after decoding and cleaning."""
    prefix = raw[:offset]
    if enc:
        prefix = decode(prefix, enc)
    return len(clean_text(prefix + _MARK)) - 1


def normalize_document(doc: Document) -> None:
    """Decode undetected legacy fonts, then clean every string of `doc` in place.

    Blocks that become empty are dropped; `Table.after_block`, `Footnote.block` and
    `Footnote.offset` (computed by readers on the raw text) are remapped to the result.
    """
    enc: str | None = None
    if not doc.properties.get("legacy_encoding"):
        sample = "\n".join(
            [b.text for b in doc.blocks]
            + [c for t in doc.tables for row in t.rows for c in row]
            + [f.text for f in doc.footnotes]
        )
        enc = detect_encoding(sample)
        if enc:
            doc.properties["legacy_encoding"] = enc
            doc.properties["legacy_detected_by"] = "statistics"

    def fix(s: str) -> str:
        return clean_text(decode(s, enc) if enc else s)

    # Footnote offsets refer to the raw block text: translate them before it changes.
    for fn in doc.footnotes:
        if fn.block is not None and fn.offset is not None and 0 <= fn.block < len(doc.blocks):
            fn.offset = _new_offset(doc.blocks[fn.block].text, fn.offset, enc)

    new_index: list[int | None] = []
    kept = []
    for b in doc.blocks:
        b.text = fix(b.text)
        if b.numbering:
            b.numbering = fix(b.numbering)
        if b.text:
            new_index.append(len(kept))
            kept.append(b)
        else:
            new_index.append(None)
    doc.blocks = kept

    for t in doc.tables:
        t.rows = [[fix(c) for c in row] for row in t.rows]
        if t.caption:
            t.caption = fix(t.caption) or None
        if t.after_block is not None and t.after_block >= 0:
            # Follow the nearest kept block at or before the old one (-1: before all).
            old = min(t.after_block, len(new_index) - 1)
            while old >= 0 and new_index[old] is None:
                old -= 1
            t.after_block = new_index[old] if old >= 0 else -1

    for fn in doc.footnotes:
        fn.text = fix(fn.text)
        if fn.block is not None:
            nb = new_index[fn.block] if 0 <= fn.block < len(new_index) else None
            if nb is None:
                fn.block, fn.offset = None, None  # its block vanished: the link is unknown
            else:
                fn.block = nb
                if fn.offset is not None:
                    fn.offset = min(fn.offset, len(doc.blocks[nb].text))

    doc.page_headers = [fix(h) for h in doc.page_headers]
    doc.page_footers = [fix(f) for f in doc.page_footers]
