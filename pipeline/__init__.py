"""daihoi: read Vietnamese party congress reports and make them auditable and searchable.

    >>> from pipeline import analyze, load
    >>> report = analyze("corpus/docx/004_73f20699863736da.docx")
    >>> report.document.text[:40]
"""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):  # noqa: ANN202 - lazy so `import pipeline` stays fast
    if name == "analyze":
        from pipeline.analyze import analyze

        return analyze
    if name == "load":
        from pipeline.ingest import load

        return load
    raise AttributeError(name)
