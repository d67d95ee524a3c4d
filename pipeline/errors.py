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
    "analysis_failed",
    "timeout",  # past the per-document time limit (`run --timeout`); the batch goes on
    "out_of_memory",  # needed more than one analysis process may use; the batch goes on
)


class DaihoiError(Exception):
    """Base of the errors that the CLI turns into a plain-words message and a non-zero exit."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        key = f"error.{self.code}"
        if self.code == "too_large" and "max_pages" in self.params:
            key = "error.too_many_pages"  # the same code, refused for its page count
        return message(key, lang, **self.params)


class IngestError(DaihoiError):
    """A file that cannot be read into a Document."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        super().__init__(code, **params)
