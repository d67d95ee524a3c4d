"""Passages repeated inside one document (an editor's check before the congress).

The text is cut into sentences; a sentence repeats an earlier one when their normalised words
are equal, or nearly equal (Jaccard similarity of word bigrams >= NEAR, for sentences long
enough for that to mean something). Consecutive repeated sentences are merged into one passage,
so a pasted-in block of seventy lines is one finding, not seventy.

Memory (issue 16): the sentences are held as numbers, not Python objects per word: one int32
word id per word and a few integers per sentence in numpy arrays (about 1 byte per character
of text), read sentence by sentence from the text without a lower-cased or folded copy of it.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from pipeline.i18n import message
from pipeline.ingest.normalize import match_form
from pipeline.model import Finding
from pipeline.textindex import rarest, shingles, winnow

MIN_WORDS = 6  # shorter sentences ("Cụ thể:", "Cộng") repeat by nature
MIN_PASSAGE_WORDS = 10
NEAR = 0.8
NEAR_MIN_WORDS = 10
# A bigram that is still among the rarest of more sentences than this (a hostile text repeating
# one near-identical sentence thousands of times) makes no candidates: time stays bounded.
MAX_POSTINGS = 400

_SENTENCE = re.compile(r"[^\n]+?(?:[.!?;](?=\s)|$)", re.MULTILINE)
_LEADER = re.compile(r"^\s*(?:[-+•*❖o]\s+|\d{1,2}(?:\.\d{1,2})*[.)]\s+|[a-zđ][)]\s+)")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Sentences:
    """The sentences of a text as parallel arrays: sentence k spans text[start[k]:end[k]] and
    its matching words are ids[first[k]:first[k] + count[k]] (ids of one vocabulary; a
    sentence inside an excluded span has count 0)."""

    start: np.ndarray
    end: np.ndarray
    first: np.ndarray
    count: np.ndarray
    ids: np.ndarray
    vocabulary: int

    def __len__(self) -> int:
        return len(self.start)

    def words(self, k: int) -> np.ndarray:
        return self.ids[self.first[k]:self.first[k] + self.count[k]]


def sentence_units(text: str, exclude: list[tuple[int, int]] | None = None) -> Sentences:
    """The sentences of `text` with words (lower-cased matching form, list leaders dropped);
    sentences inside a span of `exclude` keep their place but no words."""
    inside = _Spans(exclude or [])
    vocab: dict[str, int] = {}
    ids = array("i")
    starts, ends, firsts, counts = array("q"), array("q"), array("q"), array("q")
    line_end = -1
    line_start = 0
    line: str | None = None  # the matching form of the current line, lower-cased
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        if start >= line_end:  # a new line: a sentence never crosses one
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            # match_form and lower keep the length (then a sentence's words are found in the
            # line's form: one call per line, not per sentence, issue 16), or the line's
            # sentences are formed one by one as before.
            line = match_form(text[line_start:line_end]).lower()
            if len(line) != line_end - line_start:
                line = None
        lead = _LEADER.match(m.group())  # (its "^" is the sentence's start)
        first = start + (lead.end() if lead else 0)
        if line is not None:
            words = _WORD.findall(line, first - line_start, end - line_start)
        else:
            words = _WORD.findall(match_form(text[first:end]).lower())
        if not words:
            continue
        while start < end and text[start].isspace():
            start += 1
        starts.append(start)
        ends.append(end)
        firsts.append(len(ids))
        if inside(start, end):
            counts.append(0)  # nothing left to match
            continue
        counts.append(len(words))
        ids.extend([vocab.setdefault(w, len(vocab)) for w in words])
    as_np = [np.frombuffer(a, dtype=np.int64) if len(a) else np.zeros(0, np.int64)
             for a in (starts, ends, firsts, counts)]
    word_ids = np.frombuffer(ids, dtype=np.int32) if len(ids) else np.zeros(0, np.int32)
    return Sentences(*as_np, ids=word_ids, vocabulary=len(vocab))


class _Spans:
    """Is (start, end) inside one of the spans? By bisection over the spans sorted by start
    with the running maximum of their ends (a heading list may be long)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        for _, e in ordered:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return i > 0 and end <= self.max_end[i - 1] + 1


def _earliest_matches(units: Sentences) -> dict[int, tuple[int, float]]:
    """For each sentence that repeats an earlier one: (index of the earliest, similarity).

    Exact repeats from a hash of each sentence's words (equal hashes checked word by word);
    near repeats from the shared fingerprint index (`pipeline.textindex`, the copy detector's):
    each long sentence's word bigrams, of which only the rarest few are indexed (prefix
    filtering: two sentences with Jaccard >= NEAR always share one), so a sentence is compared
    with the few earlier ones that could match, not with every sentence sharing a common
    phrase: near-linear in the document's length."""
    exact = _exact_repeats(units)
    matches = {k: (first, 1.0) for k, first in exact.items()}
    for k, best in _near_repeats(units, skip=exact.keys()).items():
        matches[k] = best
    return matches


def _exact_repeats(units: Sentences) -> dict[int, int]:
    """Sentence -> the earliest sentence with the same words (sentences of MIN_WORDS+)."""
    keep = np.flatnonzero(units.count >= MIN_WORDS)
    if len(keep) < 2:
        return {}
    hashes = _sentence_hashes(units)[keep]
    order = np.lexsort((keep, hashes))
    h = hashes[order]
    same_as_previous = np.concatenate(([False], h[1:] == h[:-1]))
    group_starts = np.flatnonzero(~same_as_previous)
    sizes = np.diff(np.concatenate((group_starts, [len(h)])))
    out: dict[int, int] = {}
    for g in np.flatnonzero(sizes > 1):
        members = keep[order[group_starts[g]:group_starts[g] + sizes[g]]].tolist()
        # Equal hashes, checked on the words themselves: the result never rests on a hash.
        first_seen: dict[bytes, int] = {}
        for k in members:  # in text order
            key = units.words(k).tobytes()
            if key in first_seen:
                out[k] = first_seen[key]
            else:
                first_seen[key] = k
    return out


def _sentence_hashes(units: Sentences, chunk: int = 1 << 13) -> np.ndarray:
    """A 64-bit hash of each sentence's word sequence (random keys per word and position),
    `chunk` sentences at a time so the temporaries per word stay small."""
    rng = np.random.default_rng(20033)
    keys = rng.integers(1, 2**63, size=max(units.vocabulary, 1), dtype=np.uint64)
    longest = int(units.count.max()) if len(units) else 0
    weights = rng.integers(1, 2**63, size=max(longest, 1), dtype=np.uint64) | np.uint64(1)
    hashes = units.count.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    with_words = np.flatnonzero(units.count > 0)
    for lo in range(0, len(with_words), chunk):
        part = with_words[lo:lo + chunk]
        first, counts = units.first[part], units.count[part]
        # The words of consecutive sentences with words are consecutive in `ids`.
        span = units.ids[first[0]:first[-1] + counts[-1]]
        with np.errstate(over="ignore"):
            terms = keys[span] * weights[_positions(counts)]
            hashes[part] += np.add.reduceat(terms, first - first[0])
    return hashes


def _positions(counts: np.ndarray) -> np.ndarray:
    """0, 1, .., c-1 for each count c, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _near_repeats(units: Sentences, skip: Collection[int]) -> dict[int, tuple[int, float]]:
    """Sentence -> (the earlier sentence most like it, Jaccard of their word bigrams) when
    that is >= NEAR (the earliest of equals), for long sentences not in `skip`.

    Candidates are the sentences sharing one of their rarest bigrams, taken group by group of
    the index (a group: the sentences holding one bigram, at most MAX_POSTINGS), each pair
    compared as it comes: no table of every candidate pair, which for templated text (a list
    of "Chi bộ thôn X ..." lines) would hold hundreds of pairs per sentence."""
    longs = np.flatnonzero(units.count >= NEAR_MIN_WORDS)
    if len(longs) < 2:
        return {}
    lengths = units.count[longs]
    ids = units.ids[np.repeat(units.first[longs], lengths) + _positions(lengths)]
    fp_hash, fp_unit = winnow(shingles(ids, lengths, 2), 1)  # every distinct bigram
    del ids
    fp_hash, fp_unit = rarest(fp_hash, fp_unit, NEAR)
    order = np.lexsort((fp_unit, fp_hash))
    fp_hash, fp_unit = fp_hash[order], longs[fp_unit[order]]
    del order
    starts = np.flatnonzero(np.concatenate(([True], fp_hash[1:] != fp_hash[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(fp_hash)])))
    grams = _GramCache(units)
    best: dict[int, tuple[int, float]] = {}
    for g in np.flatnonzero((sizes >= 2) & (sizes <= MAX_POSTINGS)):
        members = fp_unit[starts[g]:starts[g] + sizes[g]].tolist()  # in text order
        for j in range(1, len(members)):
            later = members[j]
            if later in skip:
                continue
            g_later = grams(later)
            for earlier in members[:j]:
                g_earlier = grams(earlier)
                sim = len(g_later & g_earlier) / len(g_later | g_earlier)
                if sim < NEAR:
                    continue
                known = best.get(later)
                if known is None or sim > known[1] or (sim == known[1] and earlier < known[0]):
                    best[later] = (earlier, sim)
    return best


class _GramCache:
    """Each sentence's word bigrams as a set of integers, the most recent few kept (the
    members of one index group are compared with each other, then rarely again)."""

    def __init__(self, units: Sentences, size: int = 512) -> None:
        self.units = units
        self.size = size
        self.cache: OrderedDict[int, set[int]] = OrderedDict()

    def __call__(self, k: int) -> set[int]:
        got = self.cache.get(k)
        if got is not None:
            self.cache.move_to_end(k)
            return got
        w = self.units.words(k).astype(np.int64)
        got = self.cache[k] = set((w[:-1] * self.units.vocabulary + w[1:]).tolist())
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return got


MAX_GAP = 3  # short sentences or headings a copied passage may step over


def _continues_run(
    skippable: np.ndarray, matches: dict[int, tuple[int, float]], last: int, nxt: int,
) -> bool:
    """Does the repeated sentence `nxt` extend the passage ending at `last`? Yes when only a
    few short or heading sentences lie between them, and their originals follow in order."""
    gap = nxt - last - 1
    if gap > MAX_GAP or not skippable[last + 1:nxt].all():
        return False
    o_last, o_next = matches[last][0], matches[nxt][0]
    return 0 < o_next - o_last <= gap + 1 + MAX_GAP


def duplicate_passages(
    text: str, lang: str = "vi", exclude: list[tuple[int, int]] | None = None
) -> list[Finding]:
    """Findings for passages of `text` that repeat earlier ones. Sentences inside the spans of
    `exclude` (headings: "1. Công tác dân vận" heads a section in each part) are not matched."""
    units = sentence_units(text, exclude)
    skippable = units.count < MIN_WORDS  # excluded sentences have no words
    matches = _earliest_matches(units)
    findings: list[Finding] = []
    k = 0
    ordered = sorted(matches)
    while k < len(ordered):
        # Grow a run of repeated sentences whose originals follow each other too.
        run = [ordered[k]]
        while k + 1 < len(ordered) and _continues_run(
            skippable, matches, run[-1], ordered[k + 1]
        ):
            k += 1
            run.append(ordered[k])
        k += 1
        words = int(units.count[run[0]:run[-1] + 1].sum())
        if words < MIN_PASSAGE_WORDS:
            continue
        first = [matches[i][0] for i in run]
        similarity = min(matches[i][1] for i in run)
        start, end = int(units.start[run[0]]), int(units.end[run[-1]])
        f_start, f_end = int(units.start[first[0]]), int(units.end[first[-1]])
        params = {"sentences": len(run), "words": words,
                  "excerpt": _excerpt(text[start:end])}
        findings.append(Finding(
            kind="duplicate_passage",
            severity="warning",
            message=message("finding.duplicate_passage", lang, **params),
            start=start,
            end=end,
            details={
                "first_start": f_start,
                "first_end": f_end,
                "sentences": len(run),
                "words": words,
                "similarity": round(similarity, 3),
                "exact": similarity == 1.0,
                "message_en": message("finding.duplicate_passage", "en", **params),
            },
        ))
    return findings


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
