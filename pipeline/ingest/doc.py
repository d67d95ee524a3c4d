"""Word 97-2003 (.doc), RTF and ODT: converted to DOCX by headless LibreOffice, then read by the
DOCX reader. antiword and catdoc are faster but lose text typed in legacy TCVN3 fonts, which
LibreOffice keeps together with the font names the legacy decoder needs."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import IngestError
from pipeline.ingest.limits import Limits
from pipeline.model import Document

CONVERT_TIMEOUT_S = 180
_KIND_NAMES = {"doc": "Word 97-2003 (.doc)", "rtf": "RTF", "odt": "OpenDocument (.odt)"}


def find_soffice() -> str | None:
    """The LibreOffice binary: $DAIHOI_SOFFICE, else soffice/libreoffice on PATH."""
    configured = os.environ.get("DAIHOI_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, target: str, outdir: Path, shown: str | None = None) -> Path:
    """Convert `path` with LibreOffice into `outdir` as `target` ("docx", "pdf"); the output
    path. A private profile directory lets several conversions run at once. `shown` is the
    name to use in error messages (the user's file, when `path` is a staged copy)."""
    soffice = find_soffice()
    kind = _KIND_NAMES.get(path.suffix.lower().lstrip("."), path.suffix or "?")
    shown = shown or str(path)
    if soffice is None:
        raise IngestError("converter_missing", path=shown, kind=kind)
    profile = outdir / "lo_profile"
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(path),
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(
            "corrupt", path=shown, detail=f"LibreOffice took over {CONVERT_TIMEOUT_S} s"
        ) from exc
    out = outdir / f"{path.stem}.{target}"
    if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {proc.returncode}"
        if "password" in reason.lower():
            raise IngestError("encrypted", path=shown)
        raise IngestError("corrupt", path=shown, detail=f"LibreOffice: {reason}")
    return out


def read(path: Path, doc: Document, limits: Limits) -> None:
    from pipeline.ingest import docx

    kind = doc.properties.get("detected_format", "doc")
    with tempfile.TemporaryDirectory(prefix="daihoi_lo_") as tmp:
        # LibreOffice picks the import filter from the suffix: give it the sniffed one.
        staged = Path(tmp) / f"input.{kind}"
        shutil.copyfile(path, staged)
        converted = convert(staged, "docx", Path(tmp), shown=str(path))
        docx.read(converted, doc, limits)
    doc.properties["converted_by"] = "libreoffice"
