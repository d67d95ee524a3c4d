"""Passages repeated inside one document (an editor's check before the congress).

The text is cut into sentences; a sentence repeats an earlier one when their normalised words
are equal, or nearly equal (Jaccard similarity of word bigrams >= NEAR, for sentences long
enough for that to mean something). Consecutive repeated sentences are merged into one passage,
so a pasted-in block of seventy lines is one finding, not seventy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.i18n import message
from pipeline.ingest.normalize import match_form
from pipeline.model import Finding
from pipeline.textindex import candidate_pairs, encode, rarest, shingles, winnow

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
class Unit:
    start: int
    end: int
    words: tuple[str, ...]


def sentence_units(text: str) -> list[Unit]:
    units = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        chunk = text[start:end]
        lead = _LEADER.match(chunk)
        # match_form keeps the length, so it applies to the chunk at once, not word by word.
        words = tuple(_WORD.findall(match_form(chunk[lead.end() if lead else 0:]).lower()))
        while start < end and text[start].isspace():
            start += 1
        if words:
            units.append(Unit(start, end, words))
    return units


def _bigrams(words: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(words, words[1:], strict=False))


def _earliest_matches(units: list[Unit]) -> dict[int, tuple[int, float]]:
    """For each sentence that repeats an earlier one: (index of the earliest, similarity).

    Exact repeats come from a dictionary; near repeats from the shared fingerprint index
    (`pipeline.textindex`, the copy detector's): each long sentence's word bigrams, of which
    only the rarest few are indexed (prefix filtering: two sentences with Jaccard >= NEAR
    always share one), so a sentence is compared with the few earlier ones that could match,
    not with every sentence sharing a common phrase: near-linear in the document's length."""
    first_seen: dict[tuple[str, ...], int] = {}
    matches: dict[int, tuple[int, float]] = {}
    earlier = _near_candidates(units)
    grams: dict[int, frozenset[tuple[str, str]]] = {}
    for k, unit in enumerate(units):
        if len(unit.words) < MIN_WORDS:
            continue
        if unit.words in first_seen:
            matches[k] = (first_seen[unit.words], 1.0)
        elif k in earlier:
            best = _best_near(k, earlier[k], units, grams)
            if best is not None:
                matches[k] = best
        first_seen.setdefault(unit.words, k)
    return matches


def _near_candidates(units: list[Unit]) -> dict[int, list[int]]:
    """Sentence -> earlier sentences sharing one of its rarest bigrams (long sentences only)."""
    longs = [k for k, u in enumerate(units) if len(u.words) >= NEAR_MIN_WORDS]
    if len(longs) < 2:
        return {}
    ids, lengths, _ = encode([units[k].words for k in longs])
    fp_hash, fp_unit = winnow(shingles(ids, lengths, 2), 1)  # every distinct bigram
    fp_hash, fp_unit = rarest(fp_hash, fp_unit, NEAR)
    earlier: dict[int, list[int]] = defaultdict(list)
    for a, b in candidate_pairs(fp_hash, fp_unit, max_units=MAX_POSTINGS):
        earlier[longs[b]].append(longs[a])
    return earlier


def _best_near(
    k: int, others: list[int], units: list[Unit],
    grams: dict[int, frozenset[tuple[str, str]]],
) -> tuple[int, float] | None:
    g = _grams(k, units, grams)
    best: tuple[int, float] | None = None
    for other in sorted(others):
        go = _grams(other, units, grams)
        sim = len(g & go) / len(g | go)
        if sim >= NEAR and (best is None or sim > best[1]):
            best = (other, sim)
    return best


def _grams(k: int, units: list[Unit], cache: dict[int, frozenset[tuple[str, str]]]
           ) -> frozenset[tuple[str, str]]:
    if k not in cache:
        cache[k] = _bigrams(units[k].words)
    return cache[k]


MAX_GAP = 3  # short sentences or headings a copied passage may step over


def _continues_run(
    units: list[Unit], skippable: list[bool], matches: dict[int, tuple[int, float]],
    last: int, nxt: int,
) -> bool:
    """Does the repeated sentence `nxt` extend the passage ending at `last`? Yes when only a
    few short or heading sentences lie between them, and their originals follow in order."""
    gap = nxt - last - 1
    if gap > MAX_GAP or not all(skippable[last + 1:nxt]):
        return False
    o_last, o_next = matches[last][0], matches[nxt][0]
    return 0 < o_next - o_last <= gap + 1 + MAX_GAP


def duplicate_passages(
    text: str, lang: str = "vi", exclude: list[tuple[int, int]] | None = None
) -> list[Finding]:
    """Findings for passages of `text` that repeat earlier ones. Sentences inside the spans of
    `exclude` (headings: "1. Công tác dân vận" heads a section in each part) are not matched."""
    units = sentence_units(text)
    excluded = [_inside(u, exclude or []) for u in units]
    for k, flag in enumerate(excluded):
        if flag:
            units[k] = Unit(units[k].start, units[k].end, ())  # nothing left to match
    skippable = [excluded[k] or len(u.words) < MIN_WORDS for k, u in enumerate(units)]
    matches = _earliest_matches(units)
    findings: list[Finding] = []
    k = 0
    ordered = sorted(matches)
    while k < len(ordered):
        # Grow a run of repeated sentences whose originals follow each other too.
        run = [ordered[k]]
        while k + 1 < len(ordered) and _continues_run(
            units, skippable, matches, run[-1], ordered[k + 1]
        ):
            k += 1
            run.append(ordered[k])
        k += 1
        words = sum(len(units[i].words) for i in range(run[0], run[-1] + 1))
        if words < MIN_PASSAGE_WORDS:
            continue
        first = [matches[i][0] for i in run]
        similarity = min(matches[i][1] for i in run)
        start, end = units[run[0]].start, units[run[-1]].end
        f_start, f_end = units[first[0]].start, units[first[-1]].end
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


def _inside(unit: Unit, spans: list[tuple[int, int]]) -> bool:
    return any(s <= unit.start and unit.end <= e + 1 for s, e in spans)


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
