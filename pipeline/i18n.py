"""User-facing messages in Vietnamese (default) and English, read from `data/messages.yaml`."""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

from pipeline.data import load_yaml

LANGS = ("vi", "en")


def default_lang() -> str:
    """The language of messages: DAIHOI_LANG if set to a known language, else Vietnamese."""
    lang = os.environ.get("DAIHOI_LANG", "vi").lower()
    return lang if lang in LANGS else "vi"


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    return load_yaml("messages.yaml")


# `{name|file|files}`: the singular when params[name] is 1, else the plural ("1 file",
# "2 files"). Vietnamese nouns do not change with the number, so only English uses it.
_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def message(key: str, lang: str | None = None, **params: Any) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params` and
    `{name|singular|plural}` agreeing with the number `params[name]`."""
    entry = _catalogue().get(key)
    if entry is None:
        return key
    template = entry.get(lang or default_lang()) or entry["en"]
    template = _PLURAL.sub(lambda m: _number_word(params.get(m.group(1)), m.group(2),
                                                  m.group(3)), template)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _number_word(count: Any, singular: str, plural: str) -> str:
    try:
        return singular if abs(float(count)) == 1 else plural
    except (TypeError, ValueError):
        return plural
