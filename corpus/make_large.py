"""Generate a LARGE corpus for the scale benchmarks (never committed: it goes to a temporary
folder, `$TMPDIR/daihoi_large` by default).

    python corpus/make_large.py [OUT] --docs 200 --pages 20 --pdf-share 0.25

Every report is built from real text: the title block and paragraphs of a synthetic report
(corpus/synthetic/, itself made of real seed sentences) and paragraphs of the real news
articles of ../shared/devdata/news/ (read, never copied into the repository), shuffled per
document with a fixed seed, about 400 words a page. A fifth of the reports reuse a few
paragraphs of an earlier one (what the copy detector must find). DOCX are written with
python-docx; a share of them is converted to text PDFs by LibreOffice (one call for all).

`text_documents(n, ...)` yields the same kind of documents as paragraphs only (no files), for
the copy-detection benchmark at 100,000 documents.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent
SYNTHETIC = ROOT / "synthetic"
NEWS = ROOT.parent.parent / "shared" / "devdata" / "news"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "daihoi_large"
WORDS_PER_PAGE = 400
SEED = 20251207
HEADINGS = ["I. TÌNH HÌNH VÀ KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT", "II. CÔNG TÁC XÂY DỰNG ĐẢNG",
            "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ TỚI",
            "V. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"]


@cache
def pools() -> tuple[list[list[str]], list[str]]:
    """(title blocks of the synthetic reports, body paragraphs of both sources)."""
    from docx import Document as read_docx

    titles: list[list[str]] = []
    body: list[str] = []
    for path in sorted(SYNTHETIC.glob("*.docx")):
        paras = [p.text.strip() for p in read_docx(str(path)).paragraphs if p.text.strip()]
        titles.append(paras[:6])
        body.extend(p for p in paras[6:] if len(p.split()) >= 12)
    if NEWS.is_dir():
        for path in sorted(NEWS.glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if len(line.split()) >= 12:
                    body.append(line.strip())
    else:
        print(f"note: {NEWS} is missing; using the synthetic paragraphs only", file=sys.stderr)
    return titles, body


def document_paragraphs(i: int, pages: int) -> tuple[list[str], list[str]]:
    """(title block, body paragraphs) of document i: deterministic for a given i."""
    titles, body = pools()
    rng = random.Random(SEED * 1_000_003 + i)
    title = titles[i % len(titles)]
    words_wanted = pages * WORDS_PER_PAGE
    paras: list[str] = []
    words = 0
    while words < words_wanted:
        p = body[rng.randrange(len(body))]
        paras.append(p)
        words += len(p.split())
    if i > 0 and rng.random() < 0.2:  # reuse a few paragraphs of an earlier report
        source = random.Random(SEED * 1_000_003 + rng.randrange(i))
        for _ in range(5):
            paras.insert(rng.randrange(len(paras)), body[source.randrange(len(body))])
    return title, paras


KEEP_COMMON = 100  # syllables this frequent are common phrasing, shared by every report


@cache
def _syllables() -> tuple[dict[str, int], int]:
    """Index of every pool syllable by frequency rank (lowercased), and how many there are."""
    from collections import Counter

    _, body = pools()
    counts = Counter(w.lower() for p in body for w in p.split())
    ranked = [w for w, _ in counts.most_common()]
    return {w: i for i, w in enumerate(ranked)}, len(ranked)


def _disguise(paras: list[str], doc: int) -> list[str]:
    """The paragraphs with every syllable outside the most frequent ones replaced by another,
    consistently within the document: documents then share common phrasing only, as reports
    of different units do (otherwise every pair drawing one pool paragraph would be a copy)."""
    index, n = _syllables()
    rare = n - KEEP_COMMON
    rng = random.Random(SEED + 7 * doc)
    a, b = rng.randrange(1, rare) | 1, rng.randrange(rare)
    ranked = _ranked()
    out = []
    for p in paras:
        words = []
        for w in p.split():
            i = index.get(w.lower())
            words.append(w if i is None or i < KEEP_COMMON
                         else ranked[KEEP_COMMON + (i * a + b) % rare])
        out.append(" ".join(words))
    return out


@cache
def _ranked() -> list[str]:
    index, _ = _syllables()
    return sorted(index, key=index.__getitem__)


def text_document(i: int, pages: int = 2) -> list[str]:
    """The paragraphs of text-only document i: pool paragraphs disguised for it; a fifth of
    the documents also carry 5 paragraphs of an earlier one as written there (planted copies).
    Deterministic: the same i always gives the same document."""
    title, paras = document_paragraphs(i, pages)
    body = _disguise(paras, i)
    rng = random.Random(SEED - i)
    if i > 0 and rng.random() < 0.2:
        j = rng.randrange(i)
        source = _disguise(document_paragraphs(j, pages)[1], j)
        for k in rng.sample(range(len(source)), min(5, len(source))):
            body.insert(rng.randrange(len(body) + 1), source[k])
    return title + body


def text_documents(n: int, pages: int = 2) -> Iterator[tuple[int, list[str]]]:
    """(doc id, paragraphs) of n distinct documents, generated on the fly (no files)."""
    for i in range(n):
        yield i, text_document(i, pages)


def write_docx(path: Path, title: list[str], paras: list[str]) -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for t in title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(t).bold = t.isupper()
    step = max(1, len(paras) // len(HEADINGS))
    for k, text in enumerate(paras):
        if k % step == 0 and k // step < len(HEADINGS):
            h = doc.add_paragraph()
            h.add_run(HEADINGS[k // step]).bold = True
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Pt(28)
    doc.save(str(path))


def generate(out: Path, docs: int, pages: int, pdf_share: float) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    n_pdf = int(round(docs * pdf_share))
    for i in range(docs):
        path = out / f"large_{i:06d}.docx"
        # A report converted to PDF by an earlier run exists as PDF only.
        if not path.exists() and not (i < n_pdf and path.with_suffix(".pdf").exists()):
            write_docx(path, *document_paragraphs(i, pages))
        made.append(path)
    to_convert = [p for p in made[:n_pdf] if not p.with_suffix(".pdf").exists()]
    if to_convert:
        soffice = shutil.which("soffice")
        if soffice is None:
            raise SystemExit("LibreOffice (soffice) is needed for the PDFs: "
                             "apt-get install libreoffice-writer-nogui, or --pdf-share 0")
        staging = out / "_docx_for_pdf"
        staging.mkdir(exist_ok=True)
        for p in to_convert:
            shutil.move(str(p), staging / p.name)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                        *[str(staging / p.name) for p in to_convert]],
                       check=True, capture_output=True,
                       env={**os.environ, "HOME": str(out / "_lo_home")})
        shutil.rmtree(staging)  # the converted reports exist as PDF only
        shutil.rmtree(out / "_lo_home", ignore_errors=True)
    return sorted(p for p in out.iterdir() if p.suffix in (".docx", ".pdf"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--pdf-share", type=float, default=0.25)
    args = ap.parse_args(argv)
    files = generate(args.out, args.docs, args.pages, args.pdf_share)
    print(f"{len(files)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
