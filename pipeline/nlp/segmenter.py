"""underthesea's word segmentation, decoded here: the same words, about ten times faster.

`underthesea.word_tokenize` (9.5) runs three steps: a large regex splits the text into
syllables and punctuation, a Rust featurizer turns every syllable into 43 feature strings
(the syllables two to the left and right, their lower-case forms, bigrams, trigrams, "is a
digit", "is title", "is in the dictionary"), and a linear-chain CRF (2 labels: B-W starts a
word, I-W continues one) picks the best labels by Viterbi. Building those 43 Python strings per
syllable and passing them back to Rust costs ~70% of the time (13–19k syllables/s), which made
the indicator extractor miss the 60 s target on a 5 MB DOCX (issue 16).

Here the same model file (`ws_crf_vlsp2013_20230727/models.bin`, CRFsuite's format, read
directly) and the same dictionary are used, and a syllable's features are computed once per
distinct syllable (or syllable pair) and reused: the weights they add to each position are
summed from cached rows. The feature values that depend on Rust's string functions
(lower-case, isdigit, istitle, is_in_dict of one syllable) are taken from underthesea's own
featurizer, asked once per distinct syllable. The syllable split is underthesea's regex, with a
shortcut for a run of letters (the regex gives it whole) and the regex itself for anything else.

Equality with underthesea is tested (`tests/test_segmenter.py`) and checked on every paragraph
of the seeds, the corpus and the development articles (`benchmarks/bench_memory.py --check`).
A paragraph with "ð" (which underthesea rewrites as "đ", one character for one, before it
segments) is segmented here as rewritten, and its words returned as underthesea returns them
(`rewritten_words`), to be aligned to the text the same way; only text that is not NFC (its
length would change) is handed to underthesea itself.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

Span = tuple[int, int]
# A whitespace-separated chunk; "core" when it is letters (not starting like underthesea's
# "Th.S" abbreviation, whose "." matches any character), with at most a bracket or quote
# before and one mark after.
_CHUNK = re.compile(r"(?P<pre>[(“\"])?(?P<core>(?!Th.[sS])[^\W\d_]+)(?P<post>[.,;)”\"])?(?!\S)"
                    r"|\S+")
_BOS, _EOS = "\x00BOS", "\x00EOS"
_ALL_BOS = {f: "BOS" for f in ("", "lower", "isdigit", "istitle", "is_in_dict")}
_ALL_EOS = {f: "EOS" for f in _ALL_BOS}
_SHIFT = 1 << 22  # syllable ids are below this: a pair or triple of ids packs into one int


class _Rows:
    """A growing table of weight rows (numpy), filled one row at a time."""

    def __init__(self, width: int) -> None:
        self.array = np.zeros((1024, width))
        self.size = 0

    def add(self, row: list[float]) -> int:
        if self.size >= len(self.array):
            self.array = np.concatenate([self.array, np.zeros_like(self.array)])
        self.array[self.size] = row
        self.size += 1
        return self.size - 1


def _model_dir() -> Path:
    import underthesea.pipeline.word_tokenize as wt

    return Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"


def _cqdb(data: bytes, off: int) -> list[str]:
    """The strings of a CRFsuite CQDB chunk, by id (its backward array)."""
    _chunk, _size, _flag, _order, count, bwd = struct.unpack_from("<4sIIIII", data, off)
    out: list[str] = []
    for i in range(count):
        (rec,) = struct.unpack_from("<I", data, off + bwd + 4 * i)
        _id, ksize = struct.unpack_from("<II", data, off + rec)
        out.append(data[off + rec + 8:off + rec + 7 + ksize].decode("utf-8"))
    return out


class _Model:
    """The CRF's weights: per template, value -> (weight of B-W, weight of I-W)."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        (magic, _size, _type, _version, _nf, n_labels, _na, off_features, off_labels,
         off_attrs, _lr, _ar) = struct.unpack_from("<4sI4sIIIIIIIII", data, 0)
        if magic != b"lCRF" or n_labels != 2:
            raise ValueError(f"unexpected CRF model file {path}")
        labels = _cqdb(data, off_labels)
        attrs = _cqdb(data, off_attrs)
        self.begin = labels.index("B-W")
        weights = [[0.0, 0.0] for _ in attrs]
        self.trans = [[0.0, 0.0], [0.0, 0.0]]
        _chunk, _fsize, count = struct.unpack_from("<4sII", data, off_features)
        for i in range(count):
            kind, src, dst, weight = struct.unpack_from("<IIId", data, off_features + 12 + 20 * i)
            if kind == 0:
                weights[src][dst] = weight
            else:
                self.trans[src][dst] = weight
        self.by_template: dict[str, dict[str, tuple[float, float]]] = {}
        for name, w in zip(attrs, weights, strict=True):
            template, _, value = name.partition("=")
            self.by_template.setdefault(template, {})[value] = (w[0], w[1])

    def weight(self, template: str, value: str) -> tuple[float, float]:
        return self.by_template.get(template, {}).get(value, (0.0, 0.0))


class Segmenter:
    """Word spans of a paragraph, as underthesea's `word_tokenize(..., use_token_normalize=
    False)` would give them (then aligned back to the text)."""

    # Caches are dropped past these sizes, so memory stays bounded on any text.
    # (Pairs and triples cost ~110 bytes each in their dicts: at 600,000 / 1,000,000 they held
    # ~100 MB on a 5 MB DOCX; at 250,000 / 400,000 ~30 MB, for 5% more time.)
    MAX_SYLLABLES = 300_000
    MAX_PAIRS = 250_000
    MAX_TRIPLES = 400_000

    def __init__(self) -> None:
        import joblib
        from underthesea.pipeline.word_tokenize import regex_tokenize

        folder = _model_dir()
        self.templates: list[str] = list(joblib.load(folder / "features.bin"))
        self.dictionary: set[str] = set(joblib.load(folder / "dictionary.bin"))
        self.model = _Model(folder / "models.bin")
        self.patterns: re.Pattern[str] = regex_tokenize.patterns
        self._featurizer = None
        self._plan()
        self._tri_raw = self._named(self._tri_plan, "")
        self._bi_raw = self._named(self._bi_plan, "")
        self._bi_lower = self._named(self._bi_plan, "lower")
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        self._word: list[str] = []
        self._lower: list[str] = []
        self._title: list[bool] = []
        self._values: list[dict[str, str]] = []
        self._uni = _Rows(2 * len(self._uni_plan))
        self._bi = _Rows(2 * len(self._bi_plan))
        self._tri = _Rows(2 * len(self._tri_plan))
        self._pairs: dict[int, int] = {}
        self._tri_common: dict[str, int] = {}
        self._bi_common: dict[tuple[str, str], int] = {}
        self._triples: dict[int, int] = {}  # triple of ids -> row
        self._new_ids([_BOS, _EOS], [_ALL_BOS, _ALL_EOS])
        # An n-gram that starts before the paragraph is "BOS" in every template, one that
        # ends after it "EOS": one row each.
        self._bi_bos = self._bi.add(self._row(self._bi_plan, _ALL_BOS))
        self._bi_eos = self._bi.add(self._row(self._bi_plan, _ALL_EOS))
        self._tri_bos = self._tri.add(self._row(self._tri_plan, _ALL_BOS))
        self._tri_eos = self._tri.add(self._row(self._tri_plan, _ALL_EOS))

    # -- the templates ---------------------------------------------------------------------------

    def _plan(self) -> None:
        """Group the templates by their syllable offsets: T[k] (one syllable), T[i,i+1] (two),
        T[i,i+2] (three), each with its function (none, lower, isdigit, istitle, is_in_dict);
        per offset, the (weights by value, function) to look up."""
        plans: dict[int, dict[int, list[tuple[dict[str, tuple[float, float]], str]]]] = {
            0: {}, 1: {}, 2: {}}
        pattern = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")
        for template in self.templates:
            m = pattern.fullmatch(template)
            if m is None:
                raise ValueError(f"unknown feature template {template}")
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) else a
            func = m.group(3) or ""
            if func not in _ALL_BOS or (b > a and func == "isdigit"):
                raise ValueError(f"feature template not re-implemented: {template}")
            plans[b - a].setdefault(a, []).append(
                (self.model.by_template.get(template, {}), func))
        self.uni_offsets, self.bi_offsets, self.tri_offsets = (sorted(plans[i]) for i in range(3))
        self._uni_plan = [plans[0][k] for k in self.uni_offsets]
        self._bi_plan = [plans[1][k] for k in self.bi_offsets]
        self._tri_plan = [plans[2][k] for k in self.tri_offsets]

    @staticmethod
    def _named(plan: list[list[tuple[dict[str, tuple[float, float]], str]]],
               func: str) -> set[str]:
        """The values that carry a weight in some template of `plan` with this function."""
        return {value for lookups in plan for weights, f in lookups if f == func
                for value in weights}

    @staticmethod
    def _row(plan: list[list[tuple[dict[str, tuple[float, float]], str]]],
             values: dict[str, str]) -> list[float]:
        """What an n-gram with these function values adds to the position it is seen from at
        each offset: (B-W, I-W) per offset, flattened."""
        row: list[float] = []
        for lookups in plan:
            s0 = s1 = 0.0
            for weights, func in lookups:
                w = weights.get(values[func])
                if w is not None:
                    s0 += w[0]
                    s1 += w[1]
            row += (s0, s1)
        return row

    def _new_ids(self, words: list[str], values: list[dict[str, str]] | None = None) -> None:
        """Register syllables: their values of one-syllable functions come from underthesea's
        own featurizer (one call for all of them): Rust's lower-case, isdigit and istitle
        decide them, not Python's."""
        if values is None:
            if self._featurizer is None:
                from underthesea_core import CRFFeaturizer

                # underthesea's featurizer as its `word_tokenize` builds it, from the templates
                # and dictionary of its model loaded above: calling `word_tokenize` once to get
                # it also loaded its CRF tagger and these two files again (~0.2 s of CPU of
                # every analysis process's start-up, issue 15).
                self._featurizer = CRFFeaturizer(self.templates, self.dictionary)
            features = self._featurizer.process([[[w]] for w in words])  # type: ignore[attr-defined]
            values = []
            for w, (feats,) in zip(words, features, strict=True):
                found = dict(f.split("=", 1) for f in feats if f.startswith("T[0]"))
                values.append({"": w, "lower": found["T[0].lower"],
                               "isdigit": found.get("T[0].isdigit", ""),
                               "istitle": found["T[0].istitle"],
                               "is_in_dict": found["T[0].is_in_dict"]})
        for w, v in zip(words, values, strict=True):
            self._ids[w] = len(self._word)
            self._word.append(w)
            self._lower.append(v["lower"])
            self._title.append(v["istitle"] == "True")
            self._values.append(v)
            self._uni.add(self._row(self._uni_plan, v))

    def _pair_row(self, a: int, b: int) -> int:
        if a == 0:
            return self._bi_bos
        if b == 1:
            return self._bi_eos
        raw = self._word[a] + " " + self._word[b]
        lower = self._lower[a] + " " + self._lower[b]
        values = {"": raw, "lower": lower,
                  "istitle": "True" if self._title[a] and self._title[b] else "False",
                  "is_in_dict": "True" if lower in self.dictionary else "False"}
        if raw in self._bi_raw or lower in self._bi_lower:
            r = self._bi.add(self._row(self._bi_plan, values))
        else:
            # A pair no bigram weight names: its row depends only on "is_in_dict" and
            # "istitle", one shared row for each pair of values.
            common = (values["is_in_dict"], values["istitle"])
            r = self._bi_common.get(common)  # type: ignore[assignment]
            if r is None:
                r = self._bi_common[common] = self._bi.add(self._row(self._bi_plan, values))
        self._pairs[a * _SHIFT + b] = r
        return r

    def _triple_row(self, a: int, b: int, c: int) -> int:
        if a == 0:
            return self._tri_bos
        if c == 1:
            return self._tri_eos
        word, lower_of = self._word, self._lower
        raw = word[a] + " " + word[b] + " " + word[c]
        lower = lower_of[a] + " " + lower_of[b] + " " + lower_of[c]
        title = "True" if self._title[a] and self._title[b] and self._title[c] else "False"
        values = {"": raw, "lower": lower, "istitle": title,
                  "is_in_dict": "True" if lower in self.dictionary else "False"}
        if raw in self._tri_raw or values["is_in_dict"] == "True":
            return self._tri.add(self._row(self._tri_plan, values))
        # Most triples are neither a weighted trigram nor a dictionary word: their row then
        # depends only on "istitle", one shared row for each value.
        r = self._tri_common.get(title)
        if r is None:
            r = self._tri_common[title] = self._tri.add(self._row(self._tri_plan, values))
        return r

    # -- decoding --------------------------------------------------------------------------------

    def tags(self, tokens: list[str]) -> list[bool]:
        """For each syllable, whether it starts a word (B-W)."""
        n = len(tokens)
        if not n:
            return []
        if len(self._word) > self.MAX_SYLLABLES or len(self._pairs) > self.MAX_PAIRS \
                or len(self._triples) > self.MAX_TRIPLES or self._tri.size > self.MAX_PAIRS:
            self._reset()
        ids = self._ids
        new = [w for w in dict.fromkeys(tokens) if w not in ids]
        if new:
            self._new_ids(new)
        padded = [0, 0, *(ids[w] for w in tokens), 1, 1]
        pairs_index = self._pairs
        pair_row = self._pair_row
        shift = _SHIFT
        bi_rows = [pairs_index.get(a * shift + b) for a, b in
                   zip(padded, padded[1:], strict=False)]
        for j, r in enumerate(bi_rows):
            if r is None:
                bi_rows[j] = pair_row(padded[j], padded[j + 1])
        triples_index = self._triples
        triples = [p * shift + c for p, c in zip(
            (a * shift + b for a, b in zip(padded, padded[1:], strict=False)), padded[2:],
            strict=False)]
        tri_rows = [triples_index.get(k) for k in triples]
        for j, r in enumerate(tri_rows):
            if r is None:
                tri_rows[j] = triples_index[triples[j]] = self._triple_row(
                    padded[j], padded[j + 1], padded[j + 2])
        e = np.zeros((n, 2))
        for rows, offsets in ((self._uni.array[padded], self.uni_offsets),
                              (self._bi.array[bi_rows], self.bi_offsets),
                              (self._tri.array[tri_rows], self.tri_offsets)):
            for k_index, k in enumerate(offsets):
                e += rows[2 + k:2 + k + n, 2 * k_index:2 * k_index + 2]
        return self._viterbi(e[:, 0].tolist(), e[:, 1].tolist())

    def _viterbi(self, e0: list[float], e1: list[float]) -> list[bool]:
        (t00, t01), (t10, t11) = self.model.trans
        n = len(e0)
        s0, s1 = e0[0], e1[0]
        back0 = [0] * n
        back1 = [0] * n
        for t in range(1, n):
            # As underthesea_core: the earlier label wins a tie (strict ">").
            a, b = s0 + t00, s1 + t10
            if b > a:
                n0, back0[t] = b, 1
            else:
                n0 = a
            a, b = s0 + t01, s1 + t11
            if b > a:
                n1, back1[t] = b, 1
            else:
                n1 = a
            s0, s1 = n0 + e0[t], n1 + e1[t]
        label = 1 if s1 > s0 else 0
        labels = [0] * n
        labels[-1] = label
        for t in range(n - 1, 0, -1):
            label = back1[t] if label else back0[t]
            labels[t - 1] = label
        begin = self.model.begin
        return [lab == begin for lab in labels]

    # -- syllables -------------------------------------------------------------------------------

    def syllables(self, text: str, start: int, end: int) -> list[Span] | None:
        """underthesea's regex tokens of text[start:end] as spans, or None when underthesea
        would first rewrite the text (its offsets would not be ours)."""
        segment = text[start:end]
        rewritten = _rewrites()
        if rewritten is None or any(chr(c) in segment for c in rewritten) \
                or not unicodedata.is_normalized("NFC", segment):
            return None
        spans: list[Span] = []
        finditer = self.patterns.finditer
        for chunk in _CHUNK.finditer(segment):
            core = chunk.group("core")
            if core is not None and (chunk.group("post") != "." or core.islower()):
                # Letters are one regex token ("Th.S" would match "ThạS..."); a bracket or
                # quote before them and one of ".,;)" or a quote after them are tokens of their
                # own ("UBND." before a space would be one token: no capitals before a ".").
                a = start + chunk.start()
                if chunk.group("pre"):
                    spans.append((a, a + 1))
                    a += 1
                b = start + chunk.end()
                if chunk.group("post"):
                    spans.append((a, b - 1))
                    spans.append((b - 1, b))
                else:
                    spans.append((a, b))
                continue
            # Anything else through underthesea's regex, scanning the whole segment from the
            # chunk on so look-arounds see what they saw ("UBND." before a space is one token).
            stop = chunk.end()
            for m in finditer(segment, chunk.start()):
                if m.start() >= stop:
                    break
                spans.append((start + m.start(), start + m.end()))
        return spans

    def word_spans(self, text: str, start: int, end: int) -> list[Span] | None:
        """Spans of underthesea's words of text[start:end] (before the protected patterns),
        or None when this paragraph must go through underthesea."""
        syllables = self.syllables(text, start, end)
        if syllables is None:
            return None
        starts = self.tags([text[s:e] for s, e in syllables])
        words: list[Span] = []
        for (s, e), begins in zip(syllables, starts, strict=True):
            if begins or not words:
                words.append((s, e))
            else:
                words[-1] = (words[-1][0], e)
        return words

    def rewritten_words(self, text: str) -> list[str] | None:
        """underthesea's words of a text it rewrites before segmenting ("ð" -> "đ", "Ð" ->
        "Đ", one character for one), as `word_tokenize` returns them (syllables joined by a
        space), for the caller to align as it aligns underthesea's; None when the text is not
        NFC (underthesea would change its length)."""
        if not unicodedata.is_normalized("NFC", text):
            return None
        table = _rewrites()
        if table is None:
            return None
        rewritten = text.translate(table)
        syllables = self.syllables(rewritten, 0, len(rewritten))
        if syllables is None:
            return None
        pieces = [rewritten[s:e] for s, e in syllables]
        words: list[str] = []
        for piece, begins in zip(pieces, self.tags(pieces), strict=True):
            if begins or not words:
                words.append(piece)
            else:
                words[-1] += " " + piece
        return words


@cache
def _rewrites() -> dict[int, str] | None:
    """underthesea's own character map (applied before it segments: "ð" -> "đ") as a
    `str.translate` table keyed by code point; None if it ever maps a character to other than
    one character (offsets would then shift: such text goes to underthesea)."""
    from underthesea.pipeline.text_normalize.text_normalizer import character_map

    if any(len(a) != 1 or len(b) != 1 for a, b in character_map.items()):
        return None
    return {ord(a): b for a, b in character_map.items()}


@cache
def segmenter() -> Segmenter:
    return Segmenter()
