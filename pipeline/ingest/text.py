"""Plain-text reports: decoding (UTF-8, UTF-16 with BOM, Windows-1258, legacy 8-bit fonts) and
paragraphs, whether the file keeps one paragraph per line or was hard-wrapped (text pasted out of
a PDF, with blank lines between wrapped lines)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.limits import Limits
from pipeline.ingest.textlines import lines_to_blocks
from pipeline.model import Document


def read(path: Path, doc: Document, limits: Limits) -> None:
    decoded = decode_report(path.read_bytes())
    doc.properties["encoding"] = decoded.encoding
    if decoded.confidence is not None:
        doc.properties["encoding_confidence"] = decoded.confidence
    doc.warnings.extend(decoded.warnings)
    doc.blocks = lines_to_blocks(decoded.text.splitlines())


@dataclass
class Decoded:
    """A text file's bytes decoded, with how sure the choice is and what was repaired."""

    text: str
    encoding: str
    confidence: float | None = None  # share of words that are Vietnamese syllables (8-bit)
    warnings: list[str] = field(default_factory=list)


# UTF-8 with invalid bytes stays UTF-8 (replacement characters, a warning) when the bad
# sequences are this rare among the non-ASCII characters that did decode ...
_MAX_BAD_SHARE = 0.05
# ... and an 8-bit reading wins only when this much more of its words are syllables.
_CLEARLY_BETTER = 0.15
_WORD = re.compile(r"[^\W\d_]+")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; see `decode_report`."""
    decoded = decode_report(data)
    return decoded.text, decoded.encoding


def decode_report(data: bytes) -> Decoded:
    """Decode a text file's bytes.

    Order: a byte-order mark; strict UTF-8; UTF-8 with a few invalid bytes (they become
    U+FFFD and a warning says how many and where); UTF-16 without a mark; then an 8-bit reading
    (Windows-1258, or cp1252 for text typed in legacy TCVN3/VNI fonts, which the legacy decoder
    in `normalize` recognises) only when clearly better than UTF-8 with replacements, with its
    confidence and a warning.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return Decoded(data.decode(name, errors="replace"), name)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_like_utf16_without_bom(data):
        return Decoded(data.decode("utf-16-le", errors="replace"), "utf-16-le")
    utf8 = data.decode("utf-8", errors="replace")
    bad = utf8.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for c in utf8 if ord(c) > 127 and c != "\ufffd")
    if good and bad <= _MAX_BAD_SHARE * good:
        return Decoded(utf8, "utf-8", None, [_bad_bytes_warning(data, bad)])
    as_1252 = data.decode("cp1252", errors="replace")
    if _is_legacy_font_text(as_1252):
        from pipeline.ingest.legacy import decode, detect_encoding

        enc = detect_encoding(as_1252) or "tcvn3"
        candidate, name, score = as_1252, "cp1252", _syllable_share(decode(as_1252, enc))
    else:
        candidate = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
        name, score = "cp1258", _syllable_share(candidate)
    if good and score < _syllable_share(utf8) + _CLEARLY_BETTER:
        return Decoded(utf8, "utf-8", None, [_bad_bytes_warning(data, bad)])
    return Decoded(candidate, name, round(score, 3), [
        f"not valid UTF-8: read as {name} (confidence {score:.2f}, the share of words that "
        "are Vietnamese syllables)"])


def _syllable_share(text: str) -> float:
    from pipeline.ingest.pdf_words import is_syllable

    words = [w for w in _WORD.findall(text[:200_000]) if not w.isascii() or len(w) <= 7]
    if not words:
        return 0.0
    return sum(1 for w in words if is_syllable(w)) / len(words)


def _bad_bytes_warning(data: bytes, bad: int) -> str:
    """How many invalid UTF-8 sequences were replaced, and where the first few are."""
    where: list[str] = []
    pos = 0
    while len(where) < 3:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            at = pos + exc.start
            line = data.count(b"\n", 0, at) + 1
            where.append(f"line {line} (byte {at})")
            pos = pos + exc.end
    more = ", ..." if bad > len(where) else ""
    return (f"not valid UTF-8: {bad} invalid byte sequence(s) replaced by U+FFFD, at "
            f"{', '.join(where)}{more}")


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) > 20 and sample[1::2].count(0) > 0.4 * len(sample[1::2])


def _is_legacy_font_text(text: str) -> bool:
    try:
        from pipeline.ingest.legacy import detect_encoding
    except ImportError:  # pragma: no cover - the legacy module ships with the package
        return False
    return detect_encoding(text) is not None

