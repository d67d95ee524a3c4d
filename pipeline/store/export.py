"""`export(db, folder, fmt)`: every table of the store as one file each (XLSX: one workbook,
a sheet per table), plus a document-feature matrix that R's quanteda loads (see DFM_README).

Files are safe to open in a spreadsheet (writers.py) and never written through a symbolic
link; a folder that cannot be written is an `ExportError` with the reason."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.store.database import Store, store_errors
from pipeline.store.features import document_features
from pipeline.store.frames import Frames
from pipeline.store.writers import (
    FLOAT_COLUMNS,
    FORMATS,
    UnsafeTarget,
    refuse_links,
    write_csv,
    write_frame,
    write_workbook,
)

# Store tables exported, in this order. The documents' full text and JSON record are left out
# of `documents` (paragraphs hold the text; Excel cells cannot hold a whole report).
TABLES = ("documents", "files", "paragraphs", "sections", "references", "indicators", "findings",
          "tables", "table_cells", "footnotes", "ingest_errors")
DFM_FILES = ("dfm_triplets.csv", "dfm_docvars.csv", "dfm_README.md")
WORKBOOK = "daihoi.xlsx"  # --format xlsx: every table a sheet of this one workbook

DFM_README = """# Document-feature matrix

`dfm_triplets.csv`: one row per non-zero cell: doc_id, feature (a syllable, lower case), count.
Read it with `na.strings = ""` (or pandas `keep_default_na=False`): "nan" is a syllable.
`dfm_docvars.csv`: one row per document: doc_id and its metadata (unit, term, doc_type, ...).

In R:

```r
library(quanteda)
tr <- read.csv("dfm_triplets.csv", encoding = "UTF-8", na.strings = "")
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
    """The target cannot be written: `code` not_empty (and no --force), not_a_folder,
    bad_format, unwritable (`detail`: why), symlink (a file to replace is a link)."""

    def __init__(self, code: str, path: Path, detail: str = "") -> None:
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(f"{code}: {path} {detail}".strip())


@dataclass
class Exported:
    files: list[Path]
    rows: dict[str, int]


def prepare_folder(folder: str | Path, force: bool) -> Path:
    """The output folder, made if needed; an `ExportError` saying why it cannot be used."""
    out = Path(folder)
    try:
        if out.exists() and not out.is_dir():
            raise ExportError("not_a_folder", out)
        if out.is_dir() and any(out.iterdir()) and not force:
            raise ExportError("not_empty", out)
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".daihoi-write-test-{os.getpid()}"
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as exc:
        raise ExportError("unwritable", out, _why(out, exc)) from exc
    return out


def _why(path: Path, exc: OSError) -> str:
    """The reason in a person's words: which part of the path is a file, or the OS's word."""
    blocker = next((p for p in [path, *path.parents] if p.exists() and not p.is_dir()), None)
    if isinstance(exc, FileExistsError | NotADirectoryError) and blocker is not None:
        return f"{blocker}: not a folder"
    return exc.strerror or str(exc)


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """OS errors and symbolic links met while writing, as an `ExportError`."""
    try:
        yield
    except UnsafeTarget as exc:
        raise ExportError("symlink", exc.path) from exc
    except OSError as exc:
        where = Path(exc.filename or out)
        raise ExportError("unwritable", where, _why(where, exc)) from exc


def export(db: str | Path, folder: str | Path, fmt: str, force: bool = False) -> Exported:
    if fmt not in FORMATS:
        raise ExportError("bad_format", Path(folder))
    with Store(db, create=False, readonly=True) as store, store_errors(db):
        out = prepare_folder(folder, force)
        frames = Frames(store.conn)
        files: list[Path] = []
        rows: dict[str, int] = {}
        with writing(out):
            tables = {name: frames.read(name) for name in TABLES}
            if fmt == "xlsx":
                files.append(write_workbook(tables, out / WORKBOOK))
            else:
                files += [write_frame(frame, out / name, fmt) for name, frame in tables.items()]
            rows = {name: len(frame) for name, frame in tables.items()}
            files += write_dfm(frames, out)
    return Exported(files, rows)


def write_dfm(frames: Frames, out: Path) -> list[Path]:
    fm = document_features(frames.paragraphs)
    triplets = out / "dfm_triplets.csv"
    docvars = out / "dfm_docvars.csv"
    # Plain UTF-8 (no BOM) for R's read.csv; every document, even one without text.
    write_csv(fm.triplets(), triplets, bom=False)
    meta = frames.documents.drop(columns=["sha256", "analyzed_at", "daihoi_version"])
    from pipeline.store.writers import flat

    write_csv(flat(meta), docvars, bom=False)
    readme = out / "dfm_README.md"
    refuse_links(readme)
    readme.unlink(missing_ok=True)
    readme.write_text(DFM_README, encoding="utf-8")
    return [triplets, docvars, readme]


def read_back(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """Read one exported file with pandas (used by tests and the notebook): text stays text
    ("nan" is a word), an empty cell is missing, whole-number columns are integers."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False,
                            na_values=[""])
    else:
        frame = pd.read_excel(path, sheet_name=sheet or 0, engine="openpyxl",
                              keep_default_na=False, na_values=[""])
    for col in frame.columns:
        values = frame[col].dropna()
        if frame[col].dtype.kind == "f" and len(values) and (values == values.round()).all() \
                and col not in FLOAT_COLUMNS:
            frame[col] = frame[col].astype("Int64")
    return frame
