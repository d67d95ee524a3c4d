"""User-facing messages in Vietnamese (default) and English, read from `data/messages.yaml`."""

from __future__ import annotations

import os
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


def message(key: str, lang: str | None = None, **params: Any) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`."""
    entry = _catalogue().get(key)
    if entry is None:
        return key
    template = entry.get(lang or default_lang()) or entry["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
