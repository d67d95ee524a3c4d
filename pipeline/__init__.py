"""daihoi: read Vietnamese party congress reports and make them auditable and searchable.

    >>> from pipeline import analyze, analyze_many, load
    >>> report = analyze("corpus/docx/004_73f20699863736da.docx")
    >>> report.meta.doc_type, len(report.references)
    >>> for result in analyze_many(["corpus/pdf"], jobs=2):
    ...     print(result.source, result.error or result.report.meta.unit)

The functions are imported on first use, so that `import pipeline` (and `daihoi --help`) stays
fast. The module holding `analyze` is `pipeline.analysis`, not `pipeline.analyze`: a submodule
named like the function would replace the function as an attribute of the package once
imported.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["analyze", "analyze_document", "analyze_many", "load", "__version__"]

_LAZY = {
    "analyze": "pipeline.analysis",           # one file -> Report
    "analyze_document": "pipeline.analysis",  # a loaded Document -> Report
    "analyze_many": "pipeline.analysis",      # many files/folders -> FileResults, streamed
    "load": "pipeline.ingest",                # one file -> Document (ingest only)
}


def __getattr__(name: str) -> Any:
    """`pipeline.analyze`, `pipeline.load`, ...: imported from their module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
