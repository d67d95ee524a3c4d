"""Word segmentation with underthesea, bridged into spaCy `Doc`s.

underthesea gives Vietnamese words ("Đảng viên", "Bộ Chính trị"); spaCy gives the machinery the
extractors use (Matcher, Span, DocBin). The bridge keeps every token's character offsets exact
(the Doc's text is the input text), keeps document numbers, dates, percentages and Vietnamese
numbers as one token each (the patterns in data/protected_tokens.yaml), and marks sentence starts
from underthesea's sentence splitter, run paragraph by paragraph so a heading never swallows the
list number that follows it.
"""

from __future__ import annotations

import os
import re
from array import array
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from pipeline.data import load_yaml
from pipeline.ingest.normalize import match_form

if TYPE_CHECKING:  # spaCy is imported by what builds Docs only: the analysis never does (its
    # import, ~0.5 s and ~60 MB, was a serial part of `daihoi analyze`; issue 16)
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Span = tuple[int, int]
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SYLLABLE = re.compile(r"\S+")
_LIST_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[a-zđA-ZĐ])[.)]")


@cache
def protected_pattern() -> re.Pattern[str]:
    patterns = load_yaml("protected_tokens.yaml")["patterns"]
    return re.compile("|".join(f"(?:{p})" for p in patterns.values()))


def protected_spans(segment: str) -> list[Span]:
    """Spans of `protected_pattern()` in `segment`, found faster: the alternatives that need a
    character the segment lacks ("@" for an e-mail, "/" for a document number) are left out,
    and the others are tried only where one of them can start (a lookahead of the characters
    they can begin with). Leaving out what cannot match and looking ahead for what every
    match begins with change no match (tests/test_tokens_protected.py compares them)."""
    needs = _protected_needs()
    if needs is None:
        return [m.span() for m in protected_pattern().finditer(segment)]
    usable = tuple(i for i, chars in enumerate(needs) if all(c in segment for c in chars))
    return [m.span() for m in _protected_variant(usable).finditer(segment)]


@cache
def _protected_needs() -> list[str] | None:
    """Per protected pattern, the characters any match of it contains (its literals outside
    optional or alternative parts); None when the patterns cannot be analysed."""
    try:
        import re._parser as parser  # type: ignore[import-not-found]

        return ["".join(chr(av) for op, av in parser.parse(p).data
                        if op is parser.LITERAL)
                for p in load_yaml("protected_tokens.yaml")["patterns"].values()]
    except Exception:  # noqa: BLE001 - another Python's parser: the plain pattern then
        return None


@cache
def _protected_variant(usable: tuple[int, ...]) -> re.Pattern[str]:
    """The alternation of the patterns `usable` (in their order), behind a lookahead of the
    characters they can start with when those are known for all of them."""
    patterns = list(load_yaml("protected_tokens.yaml")["patterns"].values())
    chosen = [patterns[i] for i in usable]
    if not chosen:
        return re.compile(r"(?!)")  # matches nothing
    alternation = "|".join(f"(?:{p})" for p in chosen)
    firsts = [_first_chars(p) for p in chosen]
    if any(f is None for f in firsts):
        return re.compile(alternation)
    return re.compile(f"(?=[{''.join(firsts)}])(?:{alternation})")  # type: ignore[arg-type]


_CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D",
                   "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
                   "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _first_chars(pattern: str) -> str | None:
    """The inside of a character class holding every character a match of `pattern` can
    begin with, or None when that is not known (an empty match possible, a construct not
    handled here)."""
    try:
        import re._parser as parser  # type: ignore[import-not-found]

        first, empty = _first_of(parser.parse(pattern), parser)
    except Exception:  # noqa: BLE001 - not analysable: no lookahead
        return None
    return None if first is None or empty else first


def _first_of(items: Any, parser: Any) -> tuple[str | None, bool]:
    """(class text of the first characters, whether the sequence can match empty)."""
    out = ""
    for op, av in items:
        if op in (parser.ASSERT, parser.ASSERT_NOT, parser.AT):
            continue  # zero-width: the first character is the next item's
        if op is parser.LITERAL:
            return out + re.escape(chr(av)), False
        if op is parser.IN:
            part = _class_of(av, parser)
            return (None, False) if part is None else (out + part, False)
        if op is parser.SUBPATTERN:
            first, empty = _first_of(av[-1], parser)
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
            first, empty = _first_of(av[2], parser)
            empty = empty or av[0] == 0
        elif op is parser.BRANCH:
            first, empty = "", False
            for branch in av[1]:
                f, e = _first_of(branch, parser)
                if f is None:
                    return None, False
                first, empty = first + f, empty or e
        else:
            return None, False
        if first is None:
            return None, False
        out += first
        if not empty:
            return out, False
    return out, True


def _class_of(items: Any, parser: Any) -> str | None:
    parts = []
    for op, av in items:
        if op is parser.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is parser.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is parser.CATEGORY and str(av) in _CATEGORY_CLASS:
            parts.append(_CATEGORY_CLASS[str(av)])
        else:
            return None  # a negated class or anything else
    return "".join(parts)


@cache
def _underthesea() -> tuple[object, object]:
    # Imported lazily: the import costs ~1 s and loads the CRF model on first use.
    from underthesea import sent_tokenize, word_tokenize

    return word_tokenize, sent_tokenize


def paragraphs(text: str) -> Iterator[Span]:
    """Spans of the paragraphs of `text` (separated by blank lines), whitespace trimmed."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


# "underthesea": every paragraph through underthesea.word_tokenize (the reference the faster
# decoder of `segmenter.py` is checked against); anything else: that decoder.
SEGMENTER = os.environ.get("DAIHOI_SEGMENTER", "fast")


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Word spans of text[start:end], as offsets into `text`."""
    end = len(text) if end is None else end
    segment = text[start:end]
    # The verbatim text, not its matching form: underthesea segments "Uỷ ban nhân dân" and
    # "Hoà Bình" as one word each, but splits "Ủy | ban nhân dân" and "Hòa | Bình".
    fast = words = None
    if SEGMENTER != "underthesea":
        from pipeline.nlp.segmenter import segmenter

        fast = segmenter().word_spans(text, start, end)
        if fast is None:
            # Text underthesea rewrites first ("ð" -> "đ"): its words as it returns them.
            words = segmenter().rewritten_words(segment)
    if fast is not None:
        spans = fast
    else:
        if words is None:
            word_tokenize, _ = _underthesea()
            words = word_tokenize(segment, use_token_normalize=False)  # type: ignore[operator]
        spans = _align(segment, words, start)
    return _protect(segment, spans, start)


def _align(segment: str, words: list[str], offset: int) -> list[Span]:
    """Map underthesea's words back to offsets: each word is its syllables found in order."""
    spans: list[Span] = []
    pos = 0
    for word in words:
        first = last = None
        for syllable in word.split():
            found = segment.find(syllable, pos)
            if found < 0:
                break  # underthesea rewrote a character: skip; the gap is filled below
            first = found if first is None else first
            pos = last = found + len(syllable)
        if first is not None and last is not None:
            spans.append((offset + first, offset + last))
    return _fill_gaps(segment, spans, offset)


def _fill_gaps(segment: str, spans: list[Span], offset: int) -> list[Span]:
    """Any non-space text no word covers becomes tokens of its own, so nothing is lost."""
    out: list[Span] = []
    pos = offset
    for s, e in spans + [(offset + len(segment), offset + len(segment))]:
        if s > pos:
            for m in _SYLLABLE.finditer(segment, pos - offset, s - offset):
                out.append((offset + m.start(), offset + m.end()))
        if e > s:
            out.append((s, e))
        pos = max(pos, e)
    return out


def _protect(segment: str, spans: list[Span], offset: int) -> list[Span]:
    """Replace the words that overlap a protected span by that span; a word that sticks out
    of it keeps its outside part."""
    protected = [(offset + s, offset + e) for s, e in protected_spans(segment)]
    if not protected:
        return spans
    out: list[Span] = []
    i = 0
    for ps, pe in protected:
        while i < len(spans) and spans[i][1] <= ps:
            out.append(spans[i])
            i += 1
        while i < len(spans) and spans[i][0] < pe:
            s, e = spans[i]
            if s < ps:
                out.append((s, _rstrip_to(segment, offset, s, ps)))
            if e > pe:
                # The rest of this word follows the protected span: keep it for the next round.
                spans[i] = (_lstrip_from(segment, offset, pe, e), e)
                break
            i += 1
        out.append((ps, pe))
    out.extend(spans[i:])
    return [(s, e) for s, e in out if e > s]


def _rstrip_to(segment: str, offset: int, start: int, end: int) -> int:
    while end > start and segment[end - 1 - offset].isspace():
        end -= 1
    return end


def _lstrip_from(segment: str, offset: int, start: int, end: int) -> int:
    while start < end and segment[start - offset].isspace():
        start += 1
    return start


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where underthesea starts a sentence inside the paragraph text[start:end]."""
    _, sent_tokenize = _underthesea()
    starts: list[int] = []
    pos = start
    glue = False
    for sentence in sent_tokenize(text[start:end]):  # type: ignore[operator]
        head = sentence.strip()[:20]
        found = text.find(head, pos, end) if head else -1
        if found < 0:
            continue
        if not glue:
            starts.append(found)
        pos = found + len(head)
        # underthesea ends a sentence after a list number ("1.", "a)"): it opens the next.
        glue = bool(_LIST_NUMBER.fullmatch(sentence.strip()))
    return starts or [start]


class VietnameseTokenizer:
    """A spaCy tokenizer: text -> Doc whose tokens are underthesea words (offsets exact)."""

    def __init__(self, vocab: Vocab, sentences: bool = True) -> None:
        self.vocab = vocab
        self.sentences = sentences

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        spans: list[Span] = []
        sent_starts: set[int] = set()
        for p_start, p_end in paragraphs(text):
            spans.extend(word_spans(text, p_start, p_end))
            if self.sentences:
                sent_starts.update(sentence_starts(text, p_start, p_end))
        words, spaces, token_starts = _words_and_spaces(text, spans)
        if not self.sentences:
            return _with_norms(Doc(self.vocab, words=words, spaces=spaces))
        # Passed to the constructor: setting token.is_sent_start one by one is quadratic.
        flags: list[bool | None] = [
            None if tstart is None else (i == 0 or tstart in sent_starts)
            for i, tstart in enumerate(token_starts)
        ]
        if flags and flags[0] is None:
            flags[0] = True
        return _with_norms(Doc(self.vocab, words=words, spaces=spaces, sent_starts=flags))

    # spaCy's Language.to_disk/from_disk call these; the tokenizer has no state of its own.
    def to_bytes(self, **_: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **__: object) -> VietnameseTokenizer:
        return self


def _with_norms(doc: Doc) -> Doc:
    """`token.text` stays verbatim; `token.norm_` is its lower-cased matching form, so a
    Matcher on NORM finds "hoà" and "hòa" alike."""
    for token in doc:
        text = token.text
        if not text.isascii():
            norm = match_form(text).lower()
            if norm != text.lower():
                token.norm_ = norm
    return doc


def _words_and_spaces(
    text: str, spans: list[Span]
) -> tuple[list[str], list[bool], list[int | None]]:
    """spaCy's words/spaces representation: one trailing space belongs to a token, any other
    whitespace becomes a whitespace token of its own. Token start offsets are returned too."""
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int | None] = []

    def gap(between: str) -> None:
        if words and between[:1] == " " and not spaces[-1]:
            spaces[-1] = True
            between = between[1:]
        if between:
            words.append(between)
            spaces.append(False)
            starts.append(None)

    pos = 0
    for s, e in spans:
        if s > pos:
            gap(text[pos:s])
        words.append(text[s:e])
        spaces.append(False)
        starts.append(s)
        pos = e
    if pos < len(text):
        gap(text[pos:])
    return words, spaces, starts


@cache
def vietnamese_nlp() -> Language:
    """A blank spaCy pipeline for Vietnamese with the underthesea tokenizer (no pyvi)."""
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = VietnameseTokenizer(nlp.vocab)
    return nlp


def make_doc(text: str) -> Doc:
    return vietnamese_nlp()(text)


def word_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the words of `text`: the non-space tokens of `make_doc(text)`,
    without what only a Doc needs (underthesea's sentence splitter, a spaCy token per word and
    its norm), for callers that want the words only (the indicator extractor)."""
    if _PREPARED:
        flat = _PREPARED.pop(text, None)
        if flat is not None:
            return [(flat[i], flat[i + 1], text[flat[i]:flat[i + 1]])
                    for i in range(0, len(flat), 2)]
    return [(s, e, text[s:e]) for p_start, p_end in paragraphs(text)
            for s, e in word_spans(text, p_start, p_end)]


# Words segmented ahead of time (`prepare_words`), by text: the helper process of a long
# document segments the paragraphs it will read while the parent runs the earlier stages
# (pipeline/paragraph_split.py). Spans only, 8 bytes a word: no tuple or string per word.
_PREPARED: dict[str, array] = {}


def prepare_words(text: str, flat: array | None = None) -> array:
    """Segment `text` now (or take `flat`, what `flat_words` returned for the same text,
    maybe in another process): the next `word_tokens(text)` returns these words (once).
    Returns the words' (start, end) offsets, flattened."""
    _PREPARED[text] = flat = flat_words(text) if flat is None else flat
    return flat


def flat_words(text: str) -> array:
    """The (start, end) offsets of the words of `word_tokens(text)`, flattened."""
    return array("i", [p for s, e in (
        span for p_start, p_end in paragraphs(text)
        for span in word_spans(text, p_start, p_end)) for p in (s, e)])


def forget_prepared() -> None:
    """Drop the words prepared and not read (a document's analysis is over)."""
    _PREPARED.clear()
