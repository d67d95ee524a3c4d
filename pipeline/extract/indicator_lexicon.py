"""The indicator lexicon (`data/indicator_lexicon.yaml`) compiled: noun classes, cue words and
canonical keys. Every pattern runs over folded text (see `numbers.fold`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.data import load_yaml

# How far (characters) a key's cue may be from the number it names.
KEY_REACH = 70


@dataclass(frozen=True)
class KeyRule:
    key: str
    label_vi: str
    label_en: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    lower_is_better: bool = False


@dataclass(frozen=True)
class Lexicon:
    nouns: re.Pattern[str]  # named groups: person, organisation, times, count
    generic: re.Pattern[str]
    not_after: re.Pattern[str]
    name_before: re.Pattern[str]
    not_noun: re.Pattern[str]
    target_cues: re.Pattern[str]
    keys: tuple[KeyRule, ...]

    def rule(self, key: str) -> KeyRule | None:
        for r in self.keys:
            if r.key == key:
                return r
        return None

    def key_for(self, context: str, unit: str) -> str | None:
        """The key whose pattern matches `context` closest to "#" (the number), if any."""
        hash_pos = context.find("#")
        best: tuple[int, int, str] | None = None
        for order, rule in enumerate(self.keys):
            if unit not in rule.units:
                continue
            for pattern in rule.patterns:
                for m in pattern.finditer(context):
                    if m.start() <= hash_pos < m.end():
                        distance = 0
                    elif m.end() <= hash_pos:
                        distance = hash_pos - m.end()
                    else:
                        distance = m.start() - hash_pos - 1
                    if distance > KEY_REACH:
                        continue
                    if best is None or (distance, order) < best[:2]:
                        best = (distance, order, rule.key)
        return best[2] if best else None


def _alternation(words: list[str]) -> str:
    # Longest first, so "dang vien moi" wins over "dang vien".
    return "|".join(sorted(words, key=len, reverse=True))


@cache
def lexicon() -> Lexicon:
    data = load_yaml("indicator_lexicon.yaml")
    groups = "|".join(f"(?P<{cls}>{_alternation(words)})"
                      for cls, words in data["nouns"].items())
    keys = tuple(
        KeyRule(
            key=k["key"],
            label_vi=k["label"]["vi"],
            label_en=k["label"]["en"],
            units=frozenset(k["units"]),
            patterns=tuple(re.compile(p) for p in k["patterns"]),
            lower_is_better=bool(k.get("lower_is_better", False)),
        )
        for k in data["keys"]
    )
    return Lexicon(
        # A noun must end at a word boundary: "dot" is not the start of "dot pha".
        nouns=re.compile(rf"\s*(?:{groups})(?!\w)"),
        generic=re.compile(rf"(?:{_alternation(data['generic'])})$"),
        not_after=re.compile(rf"\s*(?:{_alternation(data['not_after'])})(?!\w)"),
        name_before=re.compile(rf"(?:^|\W)(?:{_alternation(data['name_before'])})[\s\-–]*$"),
        not_noun=re.compile(rf"\s*(?:{_alternation(data['not_noun'])})(?!\w)"),
        target_cues=re.compile("|".join(f"(?:{p})" for p in data["target_cues"])),
        keys=keys,
    )
