"""daihoi: read Vietnamese party congress reports and make them auditable and searchable."""

from __future__ import annotations

__version__ = "0.1.0"
