"""Mutated inputs made from the corpus, for the fuzz test (tests/test_fuzz.py) and its longer
benchmark run (benchmarks/bench_fuzz.py).

Every mutant is written to a folder and named after what was done to it: bit flips, truncation,
damage to one entry of a DOCX zip (cut, garbage, removed, XML broken), a huge single line,
deep nesting (HTML, DOCX XML, a PDF content stream). The same seed gives the same files.
Each one must be answered by a report or a typed error within its time limit, never by a
traceback or a hang.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
KINDS = ("bitflip", "truncate", "zip_entry", "huge_line", "deep_nesting")


def bases(max_bytes: int = 100_000) -> list[Path]:
    """The corpus files mutants are made from: DOCX, PDF, TXT of the reports, up to
    `max_bytes` each (a 37-page PDF costs a second per mutant; the bugs are the same)."""
    found = []
    for sub, ext in (("docx", "docx"), ("pdf", "pdf"), ("seeds", "txt")):
        found += [p for p in sorted((CORPUS / sub).glob(f"*.{ext}"))
                  if p.stat().st_size <= max_bytes]
    return found


def _bitflip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 3, 10, 50, 200))):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _zip_entry(data: bytes, rng: random.Random) -> bytes:
    """One entry of the zip damaged: cut, garbage, removed, or its XML broken."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    victim = rng.choice([n for n in names if n.endswith(".xml")] or names)
    how = rng.choice(("cut", "garbage", "remove", "broken_xml", "unclosed"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            content = src.read(name)
            if name == victim:
                if how == "remove":
                    continue
                if how == "cut":
                    content = content[: rng.randrange(len(content) or 1)]
                elif how == "garbage":
                    content = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
                elif how == "broken_xml":
                    content = content.replace(b">", b"", rng.randrange(1, 20))
                else:
                    content = content.replace(b"</", b"<", 3)
            dst.writestr(name, content)
    return buf.getvalue()


def _huge_line(kind: str, rng: random.Random, size: int) -> tuple[str, bytes]:
    word = "Đảng bộ lãnh đạo hoàn thành nhiệm vụ chính trị năm 2024, đạt 105,6% kế hoạch "
    line = (word * (size // len(word.encode()) + 1)).encode()[:size]
    line = line.decode("utf-8", "ignore").encode()
    if kind == "html":
        return "html", b"<html><body><p>" + line + b"</p></body></html>"
    return "txt", line


def _deep_nesting(rng: random.Random, depth: int) -> tuple[str, bytes]:
    kind = rng.choice(("html", "docx", "pdf"))
    if kind == "html":
        return "html", (b"<html><body>" + b"<div>" * depth + "Đảng bộ".encode()
                        + b"</div>" * depth + b"</body></html>")
    if kind == "docx":
        return "docx", _docx_with_body(
            "<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>Đảng bộ</w:t></w:r></w:p>"
            + "</w:sdtContent></w:sdt>" * depth)
    return "pdf", _pdf_with_content(b"[" * depth + b"(x)" + b"]" * depth
                                    + b" BT /F1 12 Tf 72 720 Td (Dang bo) Tj ET")


def _docx_with_body(body_xml: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}">'
                              f"<w:body>{body_xml}</w:body></w:document>"),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode())
    return buf.getvalue()


def _pdf_with_content(stream: bytes) -> bytes:
    """A one-page PDF (Helvetica) whose content stream is `stream`, offsets computed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def mutants(folder: Path, count: int, seed: int = 12, huge_line_bytes: int = 1_000_000,
            depth: int = 20_000, max_base_bytes: int = 100_000) -> Iterator[Path]:
    """Write `count` mutants into `folder`, yielding each path as it is written."""
    rng = random.Random(seed)
    sources = bases(max_base_bytes)
    datas = {p: p.read_bytes() for p in sources}
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        base = rng.choice(sources)
        ext = base.suffix[1:]
        if kind == "bitflip":
            data = _bitflip(datas[base], rng)
        elif kind == "truncate":
            data = _truncate(datas[base], rng)
        elif kind == "zip_entry":
            docx = [p for p in sources if p.suffix == ".docx"]
            base = rng.choice(docx)
            ext, data = "docx", _zip_entry(datas[base], rng)
        elif kind == "huge_line":
            ext, data = _huge_line(rng.choice(("txt", "html")), rng, huge_line_bytes)
        else:
            ext, data = _deep_nesting(rng, depth)
        path = folder / f"{i:04d}_{kind}_{base.stem[:12]}.{ext}"
        path.write_bytes(data)
        yield path


# --------------------------------------------------------------------------- running


def probe(path: Path, full: bool = False) -> tuple[str, str]:
    """("report" | "error" | "traceback", detail) for one input: `load` (OCR off: the scans
    among the mutants would cost minutes), or the whole analysis when `full`."""
    import traceback

    from pipeline.errors import DaihoiError
    from pipeline.ingest import Limits, load

    limits = Limits(ocr_mode="never")
    try:
        if full:
            from pipeline.analysis import analyze

            analyze(path, limits)
        else:
            load(path, limits)
        return "report", ""
    except DaihoiError as exc:
        return "error", exc.code
    except Exception:  # noqa: BLE001 - what the fuzz test looks for
        return "traceback", traceback.format_exc(limit=-3)


def run(paths: list[Path], timeout: float, full_every: int = 0, workers: int = 2
        ) -> list[tuple[Path, str, str, float]]:
    """(path, outcome, detail, seconds) per input; an input past `timeout` is a "hang" (its
    worker is killed and replaced). Every `full_every`-th input gets the whole analysis."""

    import pipeline.ingest  # noqa: F401 - imported once in the parent, shared by fork

    if full_every:
        _warm_up()  # models loaded before the fork: a worker's first analysis is not slow
    return _run(paths, timeout, full_every, workers, 0)


def _warm_up() -> None:
    import tempfile

    from pipeline.analysis import analyze

    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "mau.txt"
        sample.write_text("BÁO CÁO\nI. KẾT QUẢ\nĐảng bộ đạt 105,6% kế hoạch năm 2024.\n",
                          encoding="utf-8")
        analyze(sample)


def _run(paths: list[Path], timeout: float, full_every: int, workers: int, first: int
         ) -> list[tuple[Path, str, str, float]]:
    import multiprocessing as mp
    import time

    ctx = mp.get_context("fork")
    results: list[tuple[Path, str, str, float]] = []
    pool = ctx.Pool(workers, maxtasksperchild=50)
    try:
        pending = []
        for i, path in enumerate(paths, start=first):
            full = bool(full_every) and i % full_every == full_every - 1
            pending.append((path, pool.apply_async(probe, (path, full)), 0.0))
        for k, (path, job, _) in enumerate(pending):
            start = time.monotonic()
            try:
                outcome, detail = job.get(timeout=timeout)
            except mp.TimeoutError:
                outcome, detail = "hang", f"no answer within {timeout:.0f} s"
                pool.terminate()
                pool = ctx.Pool(workers, maxtasksperchild=50)
                # The jobs still queued died with the old pool: run the rest again.
                rest = [p for p, _, _ in pending[k + 1:]]
                results.append((path, outcome, detail, time.monotonic() - start))
                return results + _run(rest, timeout, full_every, workers, first + k + 1)
            results.append((path, outcome, detail, time.monotonic() - start))
    finally:
        pool.terminate()
    return results
