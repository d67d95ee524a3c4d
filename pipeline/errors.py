"""Errors a user can act on. Each carries a stable code (the JSON contract) and parameters that
the message templates in `data/messages.yaml` fill in, in Vietnamese or English."""

from __future__ import annotations

from typing import Any

from pipeline.i18n import message

ERROR_CODES = (
    "not_found",
    "empty",
    "encrypted",
    "corrupt",
    "unsupported_format",
    "no_text_layer",
    "too_large",
    "converter_missing",
    "zip_bomb",
    "unreadable",
)


class DaihoiError(Exception):
    """Base of the errors that the CLI turns into a plain-words message and a non-zero exit."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        return message(f"error.{self.code}", lang, **self.params)


class IngestError(DaihoiError):
    """A file that cannot be read into a Document."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        super().__init__(code, **params)
