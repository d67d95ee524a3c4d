"""`daihoi report`: static pages that a real headless browser renders offline, with the
matrices, inline SVG charts, and findings highlighted in each document's text."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from functools import cache
from pathlib import Path

from corpus_fixtures import corpus_store, daihoi

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    assert found, ("no headless browser: install the Debian package `chromium` "
                   "(make test installs the system packages)")
    return found


def _dom(page: Path) -> str:
    """The DOM after Chromium loaded the page with the network off."""
    proc = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--proxy-server=127.0.0.1:9", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@cache
def _report() -> Path:
    out = Path(corpus_store()).parent / "rapport"
    status, _, err = daihoi("report", out, "--db", corpus_store(), "--lang", "vi")
    assert status == 0, err
    return out


def test_the_corpus_page_renders_offline_with_matrices_and_charts() -> None:
    out = _report()
    html = (out / "index.html").read_text(encoding="utf-8")
    # Nothing fetched: no remote src/href, no script at all.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "url(http" not in html
    dom = _dom(out / "index.html")
    con = sqlite3.connect(corpus_store())
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    assert dom.count('class="doc-row"') == n_docs
    assert f'id="n-documents">{n_docs}<' in dom
    assert dom.count("<svg") >= 4  # findings, missing sections, presence grid, references
    assert f'id="n-files">{n_docs}<' in dom  # one file per document in this corpus
    assert 'class="section-matrix"' in dom and 'class="reference-matrix"' in dom
    assert 'class="indicator-matrix"' in dom
    assert dom.count('class="pair copy"') > 10 and '<mark class="shared">' in dom
    pages = sorted((out / "documents").glob("doc-*.html"))
    assert len(pages) == n_docs
    for link in re.findall(r'href="(documents/doc-\d+\.html)"', dom):
        assert (out / link).is_file()


def test_a_document_page_highlights_its_findings() -> None:
    out = _report()
    con = sqlite3.connect(corpus_store())
    doc_id, = con.execute(
        "SELECT id FROM documents WHERE source LIKE '%000_4435fb2a97849b7c.docx'").fetchone()
    marked = con.execute(
        "SELECT count(*) FROM findings WHERE doc_id = ? AND \"where\" = 'body'"
        " AND start IS NOT NULL AND \"end\" > start", (doc_id,)).fetchone()[0]
    n_refs = con.execute("SELECT count(*) FROM doc_references WHERE doc_id = ?",
                         (doc_id,)).fetchone()[0]
    n_heads = con.execute("SELECT count(*) FROM sections WHERE doc_id = ? AND heading IS NOT"
                          " NULL", (doc_id,)).fetchone()[0]
    con.close()
    dom = _dom(out / "documents" / f"doc-{doc_id}.html")
    # Each finding with a span starts one <mark> carrying its id, linked from the list.
    assert len(re.findall(r'<mark class="finding[^"]*"[^>]* id="f\d+"', dom)) == marked > 10
    assert dom.count('href="#f') == marked
    assert dom.count("<tr>") >= n_refs
    assert len(re.findall(r'<li><a href="#p\d+">', dom)) == n_heads
    assert "total_mismatch" in dom and "47-QĐ/TW" in dom


def test_report_needs_force_for_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "cu.html").write_text("x", encoding="utf-8")
    status, _, err = daihoi("report", tmp_path, "--db", corpus_store(), "--lang", "en")
    assert status == 2 and "--force" in err


# What a person sees at 1366×768: the page itself never scrolls sideways (wide tables scroll
# in their own box) and no cell says nan, None or 1e+12.
_SCAN = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const inCell = node.parentElement.closest('td, th, summary, .side-head, svg');
    if (/^(nan|NaN|None|null|undefined|<NA>|NaT)$/.test(text)
        || (inCell && /\\d[eE][+-]\\d/.test(text)))
      bad.push(text.slice(0, 80));
  }
  return {page: document.documentElement.scrollWidth, window: window.innerWidth, bad: bad,
          lang: document.documentElement.lang};
}"""


def test_pages_fit_1366_pixels_and_show_no_nan_in_headless_chromium() -> None:
    from playwright.sync_api import sync_playwright

    out = _report()
    pages = [out / "index.html", *sorted((out / "documents").glob("doc-*.html"))]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_browser(),
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.route("http*://**", lambda route: route.abort())  # offline
            for path in pages:
                page.goto(path.as_uri())
                seen = page.evaluate(_SCAN)
                assert seen["page"] <= seen["window"], (path.name, seen)
                assert seen["bad"] == [], (path.name, seen["bad"][:5])
                assert seen["lang"] == "vi"
            # Vietnamese labels, Vietnamese numbers.
            page.goto((out / "index.html").as_uri())
            headers = page.locator("th").all_inner_texts()
            assert "Đơn vị" in headers and "Nhiệm kỳ" in headers and "source" not in headers
            cells = " ".join(page.locator("table.indicator-matrix td.num").all_inner_texts())
            assert re.search(r"\d %", cells) and "người" in cells
        finally:
            browser.close()
