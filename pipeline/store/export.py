"""`export(db, folder, fmt)`: every table of the store as one file each, plus a
document-feature matrix that R's quanteda loads (see DFM_README)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.store.database import Store, store_errors
from pipeline.store.frames import Frames
from pipeline.store.writers import FORMATS, write_frame

# Store tables exported, in this order. The documents' full text and JSON record are left out
# of `documents` (paragraphs hold the text; Excel cells cannot hold a whole report).
TABLES = ("documents", "paragraphs", "sections", "references", "indicators", "findings",
          "tables", "table_cells", "footnotes", "ingest_errors")
DFM_FILES = ("dfm_triplets.csv", "dfm_docvars.csv", "dfm_README.md")

DFM_README = """# Document-feature matrix

`dfm_triplets.csv`: one row per non-zero cell: doc_id, feature (a syllable, lower case), count.
`dfm_docvars.csv`: one row per document: doc_id and its metadata (unit, term, doc_type, ...).

In R:

```r
library(quanteda)
tr <- read.csv("dfm_triplets.csv", encoding = "UTF-8")
dv <- read.csv("dfm_docvars.csv", encoding = "UTF-8")
feats <- sort(unique(tr$feature))
m <- Matrix::sparseMatrix(i = match(tr$doc_id, dv$doc_id), j = match(tr$feature, feats),
                          x = tr$count, dims = c(nrow(dv), length(feats)),
                          dimnames = list(as.character(dv$doc_id), feats))
d <- as.dfm(m)
docvars(d) <- dv
```
"""


class ExportError(Exception):
    """The folder is not empty (and --force was not given), or the format is unknown."""

    def __init__(self, code: str, path: Path) -> None:
        self.code = code
        self.path = path
        super().__init__(f"{code}: {path}")


@dataclass
class Exported:
    files: list[Path]
    rows: dict[str, int]


def export(db: str | Path, folder: str | Path, fmt: str, force: bool = False) -> Exported:
    if fmt not in FORMATS:
        raise ExportError("bad_format", Path(folder))
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ExportError("not_a_folder", out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ExportError("not_empty", out)
    with Store(db, create=False) as store, store_errors(db):
        frames = Frames(store.conn)
        out.mkdir(parents=True, exist_ok=True)
        files: list[Path] = []
        rows: dict[str, int] = {}
        for name in TABLES:
            frame = frames.read(name)
            files.append(write_frame(frame, out / name, fmt))
            rows[name] = len(frame)
        files += write_dfm(frames, out)
    return Exported(files, rows)


def write_dfm(frames: Frames, out: Path) -> list[Path]:
    from pipeline.compare.similarity import document_features

    fm = document_features(frames.paragraphs)
    triplets = out / "dfm_triplets.csv"
    docvars = out / "dfm_docvars.csv"
    # Plain UTF-8 (no BOM) for R's read.csv; every document, even one without text.
    fm.triplets().to_csv(triplets, index=False, encoding="utf-8")
    meta = frames.documents.drop(columns=["sha256", "analyzed_at", "daihoi_version"])
    meta.to_csv(docvars, index=False, encoding="utf-8")
    readme = out / "dfm_README.md"
    readme.write_text(DFM_README, encoding="utf-8")
    return [triplets, docvars, readme]


def read_back(path: Path) -> pd.DataFrame:
    """Read one exported file with pandas (used by tests and the notebook)."""
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig")
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_excel(path, engine="openpyxl")
