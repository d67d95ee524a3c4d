"""Legacy 8-bit Vietnamese font encodings: TCVN3 (ABC, `.VnTime`) and VNI (`VNI-Times`).

Text typed with these fonts is stored as Latin-1/cp1252 characters that only the font draws as
Vietnamese ("§¶ng bé" is "Đảng bộ" in TCVN3, "Ñaûng boä" in VNI). Readers know the font of a
run and call `font_encoding`; text without font names (TXT, HTML, PDFs with anonymous subset
fonts) goes through `detect_encoding`. The code tables are data files in `pipeline/data`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from pipeline.data import data_path, load_yaml

__all__ = ["font_encoding", "decode", "encode", "detect_encoding", "is_valid_syllable"]

ENCODINGS = ("tcvn3", "vni")


# --------------------------------------------------------------------------- font names

@cache
def _font_rules() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, re.Pattern[str]],
                           re.Pattern[str]]:
    cfg = load_yaml("legacy_fonts.yaml")
    rules = [(re.compile(r["pattern"], re.IGNORECASE), r["encoding"]) for r in cfg["fonts"]]
    caps = {enc: re.compile(p) for enc, p in (cfg.get("caps") or {}).items()}
    return rules, caps, re.compile(cfg["style_suffix"], re.IGNORECASE)


_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@cache
def font_encoding(fontname: str | None) -> tuple[str | None, bool]:
    """(encoding, caps_font) for a PDF or DOCX font name; (None, False) for Unicode fonts.

    `caps_font` is True for the ABC capital fonts (.VnTimeH ...): their text holds lower-case
    codes that the font draws as capitals, so the decoded text must be upper-cased.
    """
    if not fontname:
        return None, False
    rules, caps, style = _font_rules()
    # PDF names: "ABCDEF+" marks a subset, "#20" is an escaped space, ",Bold" a style.
    name = _SUBSET_PREFIX.sub("", fontname.strip()).replace("#20", " ")
    family = style.sub("", name).strip()
    for pattern, enc in rules:
        if pattern.search(family):
            caps_re = caps.get(enc)
            return enc, bool(caps_re and caps_re.search(family))
    return None, False


# --------------------------------------------------------------------------- tables

_LETTER_SET = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "".join(chr(c) for c in range(0xA1, 0x100))
)


def _read_tsv(name: str) -> list[dict[str, str]]:
    lines = [
        ln for ln in data_path(name).read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]


def _codepoint(field: str) -> str:
    return chr(int(field.removeprefix("U+"), 16))


class _Tcvn3:
    """Decode/encode tables for TCVN3, built once from legacy_tcvn3.tsv."""

    def __init__(self) -> None:
        self.decode_map: dict[int, str] = {}  # str.translate table
        self.encode_map: dict[int, str] = {}
        # Codes whose look-alike is also ordinary punctuation are decoded only in the right
        # context: a regex swaps them for a private-use placeholder first, which the translate
        # table then decodes (one C-level pass each; a match callback only on the rare hits).
        contexts: dict[str, list[str]] = {}
        self.placeholder: dict[str, str] = {}
        rows = _read_tsv("legacy_tcvn3.tsv")
        # Context classes hold only unambiguous characters, so that two look-alikes in a row
        # ('chi bộ””') cannot vouch for each other.
        upper: set[str] = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for row in rows:
            byte = int(row["byte"], 16)
            uni = _codepoint(row["unicode"])
            raw = chr(byte)
            shown = raw
            if 0x80 <= byte < 0xA0:
                try:
                    shown = bytes([byte]).decode("cp1252")
                except UnicodeDecodeError:
                    pass
            # encode() writes the cp1252 look-alike when there is one: that is how Word (DOCX)
            # and most PDF extractors show such a byte.
            if unicodedata.category(uni) != "Mn":
                self.encode_map[ord(uni)] = shown
            self.decode_map[ord(raw)] = uni
            if uni.isupper():
                upper.add(raw)
            if row["context"] == "always" or shown == raw:
                self.decode_map[ord(shown)] = uni
                if uni.isupper():
                    upper.add(shown)
            else:
                self.placeholder[shown] = ph = chr(0xF000 + byte)
                self.decode_map[ord(ph)] = uni
                contexts.setdefault(row["context"], []).append(shown)
        up, letter = _class(upper), _class(_LETTER_SET | upper)
        templates = {
            "after_upper": "(?<=[{up}])[{c}]",
            "inner_upper": "(?<=[{up}])[{c}](?=[{letter}])",
            "before_letter": "[{c}](?=[{letter}])",
            "after_letter": "(?<=[{letter}])[{c}]",
        }
        self.context_re = re.compile("|".join(
            templates[ctx].format(up=up, letter=letter, c=_class(chars))
            for ctx, chars in contexts.items()
        ))
        self.code_chars = frozenset(chr(c) for c in self.decode_map if c < 0xF000)

    def decode(self, text: str) -> str:
        text = self.context_re.sub(lambda m: self.placeholder[m.group()], text)
        return unicodedata.normalize("NFC", text.translate(self.decode_map))

    def encode(self, text: str) -> str:
        return unicodedata.normalize("NFC", text).translate(self.encode_map)


class _Vni:
    """Decode/encode tables for VNI-Windows, built once from legacy_vni.tsv."""

    def __init__(self) -> None:
        self.encode_map: dict[int, str] = {}
        self.decode_map: dict[str, str] = {}
        for row in _read_tsv("legacy_vni.tsv"):
            uni, code = _codepoint(row["unicode"]), row["vni"]
            self.encode_map[ord(uni)] = code
            self.decode_map[code] = uni
            if len(code) == 2:
                # The mark's case does not always follow the base letter's (text retyped or
                # case-changed by hand: "Aù"); the base letter decides the case.
                base, mark = code
                for m in {mark.lower(), mark.upper()}:
                    self.decode_map.setdefault(base + m, uni)
        # Longest codes first: Python's alternation takes the first alternative that matches.
        keys = sorted(self.decode_map, key=len, reverse=True)
        self.decode_re = re.compile("|".join(re.escape(k) for k in keys))
        self.code_chars = frozenset("".join(keys)) - frozenset(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        )

    def decode(self, text: str) -> str:
        return unicodedata.normalize(
            "NFC", self.decode_re.sub(lambda m: self.decode_map[m.group()], text)
        )

    def encode(self, text: str) -> str:
        return unicodedata.normalize("NFC", text).translate(self.encode_map)


def _class(chars: Iterable[str]) -> str:
    """The inside of a regex character class matching exactly `chars`."""
    return "".join(re.escape(c) for c in sorted(set(chars)))


@cache
def _codec(encoding: str) -> _Tcvn3 | _Vni:
    if encoding == "tcvn3":
        return _Tcvn3()
    if encoding == "vni":
        return _Vni()
    raise ValueError(f"unknown legacy encoding {encoding!r} (expected one of {ENCODINGS})")


def decode(text: str, encoding: str, caps: bool = False) -> str:
    """Legacy-font text as read (Latin-1/cp1252 characters) -> Unicode NFC Vietnamese.

    Decode before any cleaning: TCVN3 "ư" looks like a soft hyphen (U+00AD) and VNI marks are
    separate characters. `caps` upper-cases the result (.VnTimeH-style capital fonts).
    """
    out = _codec(encoding).decode(text)
    return out.upper() if caps else out


def encode(text: str, encoding: str) -> str:
    """Unicode -> legacy code string (the inverse of `decode`); used by tests and fixtures.

    TCVN3 capitals with tones are written with their VN1 codes (the .VnTime fonts have none);
    characters with no code are kept as they are.
    """
    return _codec(encoding).encode(text)


# --------------------------------------------------------------------------- syllables

# Rhymes (vowel nucleus + final) without the tone mark; an initial consonant comes before.
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at
ă ăc ăm ăn ăng ăp ăt  â âc âm ân âng âp ât âu ây
e ec em en eng eo ep et  ê êch êm ên êng ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
ô ôc ôi ôm ôn ông ôp ôt  ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uêch uênh uơ
uy uya uych uyn uynh uyp uyt uyu uyên uyêt uô uôc uôi uôm uôn uông uôp uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêt yêu
""".split()
_SYLLABLE = re.compile(
    "(?:" + _INITIALS + ")?(?:" + "|".join(sorted(_RHYMES, key=len, reverse=True)) + ")"
)
_STOP_FINAL = re.compile("(?:p|t|c|ch)$")
_TONE_MARKS = {"\u0300": 2, "\u0301": 1, "\u0303": 4, "\u0309": 3, "\u0323": 5}


@cache
def _strip_tone(ch: str) -> tuple[str, int]:
    """("ế" -> "ê", 1): the letter without its tone, and the tone (0 none, 1 acute ... 5 dot)."""
    d = unicodedata.normalize("NFD", ch)
    tone = next((_TONE_MARKS[c] for c in d if c in _TONE_MARKS), 0)
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS)), tone


def is_valid_syllable(word: str) -> bool:
    """Is `word` (one syllable, any case) a well-formed Vietnamese syllable?

    Initial + rhyme from the lists above, at most one tone, and only the acute or dot tone on
    a syllable ending in p/t/c/ch. Accepts some syllables no one uses; rejects loanwords.
    """
    base = []
    tone = 0
    for ch in word.lower():
        b, t = _strip_tone(ch)
        if t:
            if tone:
                return False
            tone = t
        base.append(b)
    s = "".join(base)
    if not _SYLLABLE.fullmatch(s):
        return False
    return not (tone not in (0, 1, 5) and _STOP_FINAL.search(s))


# --------------------------------------------------------------------------- detection

# Letters that only Unicode Vietnamese has (outside Latin-1), and the combining tone and vowel
# marks of decomposed (NFD) text: many of them mean the text is Unicode already.
_UNICODE_VI = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0303\u0306\u0309\u031b\u0323]")
_LATIN1_HIGH = re.compile("[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                          "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                          "\u2039\u203a\u20ac\u2122]")
# A word for the trial: a run without spaces, ASCII digits or ASCII punctuation (legacy codes
# include Latin-1 signs such as § ¶ · ¸, so \w would cut TCVN3 words apart).
_TOKEN = re.compile(r"[^\s!-@\[-`{-~]+")
_WORD = re.compile(r"[^\W\d_]+")

_MIN_HIGH = 8  # non-ASCII characters below which there is nothing worth decoding
_MIN_WORDS = 8  # decoded words needed before we trust the trial: about one short paragraph
_MAX_WORDS = 3000  # enough for a stable score; keeps detection fast on long documents
_MIN_VALID = 0.7  # share of changed words that must become valid syllables
_MIN_GAIN = 0.3  # ... and by how much better than before decoding


def _valid_share(tokens: list[str]) -> float:
    ok = 0
    for tok in tokens:
        words = _WORD.findall(tok)
        if words and all(is_valid_syllable(w) for w in words):
            ok += 1
    return ok / len(tokens) if tokens else 0.0


def _count(single_char: re.Pattern[str], text: str, window: int = 1 << 16) -> int:
    """Matches of a one-character pattern, counted a window at a time: findall over a whole
    document would hold a list of every match (a new string for each Vietnamese letter
    outside Latin-1, ~12 bytes per character of text; issue 16)."""
    return sum(len(single_char.findall(text, pos, pos + window))
               for pos in range(0, len(text), window))


def detect_encoding(text: str) -> str | None:
    """The legacy encoding ("tcvn3", "vni") of text that came without font names, or None.

    First character statistics (legacy text is Latin-1/cp1252 characters only; Unicode
    Vietnamese has many letters outside Latin-1), then a trial conversion scored by the share of
    changed words that become valid Vietnamese syllables.
    """
    if not text:
        return None
    high = _count(_LATIN1_HIGH, text)
    if high < _MIN_HIGH:
        return None  # English, or a few accented names: nothing to decode
    if _count(_UNICODE_VI, text) > 0.05 * high:
        return None  # already Unicode Vietnamese (NFC or NFD)
    best: tuple[float, str] | None = None
    for enc in ENCODINGS:
        codec = _codec(enc)
        changed: list[tuple[str, str]] = []
        for match in _TOKEN.finditer(text):  # not findall: it stops after _MAX_WORDS
            tok = match.group()
            if codec.code_chars.isdisjoint(tok):
                continue
            dec = codec.decode(tok)
            if dec != tok:
                changed.append((tok, dec))
                if len(changed) >= _MAX_WORDS:
                    break
        if len(changed) < _MIN_WORDS:
            continue
        after = _valid_share([d for _, d in changed])
        before = _valid_share([t for t, _ in changed])
        if after >= _MIN_VALID and after - before >= _MIN_GAIN:
            if best is None or after > best[0]:
                best = (after, enc)
    return best[1] if best else None
