"""The committee web app, end to end: a real server on loopback, a real store, real uploads
analysed by the real pipeline, and headless Chromium (Debian's) driven by Playwright.

One server for the module (started once: the analysis worker's process spawn is the slow part).
Accounts: `admin`, `aud` (auditor), `u1` (unit Đảng bộ xã Điện Hòa), `u2` (another unit).
Stored before the tests, as `daihoi run` would: the Điện Hòa report of 2020-2025 (so the
uploaded 2025-2030 report has a previous term) and a report of Điện Thắng Bắc (unit u2).
"""

from __future__ import annotations

import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import uvicorn

from conftest import CORPUS, corpus_file, require_tool
from pipeline import analyze
from pipeline.cli import main as daihoi
from pipeline.contract import report_record
from pipeline.store.database import Store
from pipeline.store.web_tables import add_user, ensure_web_tables
from pipeline.web.app import create_app
from pipeline.web.auth import hash_password

UNIT_1 = "Đảng bộ xã Điện Hòa"
UNIT_2 = "Đảng bộ xã Điện Thắng Bắc"
PASSWORD = "mat-khau-thu-nghiem"
SYNTHETIC = CORPUS / "synthetic"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class LiveServer:
    """uvicorn serving the app in a thread of the test process, on a free loopback port."""

    def __init__(self, app: Any) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the web app did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def _store(db: Path, path: Path, unit: str | None = None) -> int:
    report = analyze(path, overrides={"unit": unit} if unit else None)
    with Store(db) as store:
        return store.save(report, report_record(report))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("web")
    db = tmp / "daihoi.db"
    previous = SYNTHETIC / "s02_dang-bo-xa-dien-hoa_2020-2025.docx"
    other = SYNTHETIC / "s04_dang-bo-xa-dien-thang-bac_2020-2025.docx"
    assert previous.is_file() and other.is_file(), "run `make corpus` (corpus/synthetic)"
    _store(db, previous)  # its sidecar names the unit, as `daihoi run` reads it
    _store(db, other)
    with Store(db) as store:
        ensure_web_tables(store.conn)
        for name, role, unit in (("admin", "admin", None), ("aud", "auditor", None),
                                 ("u1", "unit", UNIT_1), ("u2", "unit", UNIT_2)):
            add_user(store.conn, name, role, unit, hash_password(PASSWORD))
        ids = {row[1]: row[0] for row in store.conn.execute(
            "SELECT id, unit FROM documents")}
    app = create_app(db, max_upload_mb=1, dashboard_refresh_s=0)
    with LiveServer(app) as server:
        yield {"url": server.url, "db": db, "previous_id": ids[UNIT_1],
               "other_id": ids[UNIT_2], "app": app}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = require_tool("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _login_page(browser: Any, site: dict[str, Any], name: str) -> Any:
    context = browser.new_context(base_url=site["url"], accept_downloads=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    assert not page.url.endswith("/login"), f"{name} could not log in"
    return page


def _client(site: dict[str, Any], name: str) -> httpx.Client:
    """A logged-in HTTP client (for what a browser cannot send: forms without a token)."""
    c = httpx.Client(base_url=site["url"], follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, r.text
    return c


def _csrf(client: httpx.Client, path: str = "/submit") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


@pytest.fixture(scope="module")
def uploaded(browser: Any, site: dict[str, Any]) -> dict[str, int]:
    """u1 drops a DOCX and a PDF of the corpus on the Submit page; both are analysed."""
    page = _login_page(browser, site, "u1")
    page.goto("/submit")
    docx = SYNTHETIC / "s03_dang-bo-xa-dien-hoa_2025-2030.docx"
    pdf = corpus_file("pdf", "000_4435fb2a97849b7c")  # a real report, with findings
    page.set_input_files("#files", [str(docx), str(pdf)])
    # Each file gets its own progress row, then its result with a link to the document.
    # (A locator, not wait_for_function: the page's CSP forbids evaluating strings.)
    page.locator("#upload-progress li:is(.upload-done, .upload-error)").nth(1).wait_for(
        timeout=120_000)
    rows = page.locator("#upload-progress li")
    assert rows.count() == 2
    assert page.locator("#upload-progress li.upload-done").count() == 2, \
        page.locator("#upload-progress").inner_text()
    links = {}
    for i in range(2):
        name = rows.nth(i).locator(".name").inner_text()
        href = rows.nth(i).locator("a").get_attribute("href")
        links[name] = int(href.rsplit("/", 1)[1])
    page.context.close()
    return {"docx": links[docx.name], "pdf": links[pdf.name]}


# -- part 4: in the browser ---------------------------------------------------------------------


def test_login_page_is_the_contract_form(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(base_url=site["url"])
    page.goto("/dashboard")  # not signed in: sent to the login page
    assert page.url.endswith("/login")
    form = page.locator("#login-form")
    assert form.locator("input[name=username]").count() == 1
    assert form.locator("input[name=password][type=password]").count() == 1
    assert form.locator("input[type=hidden][name=csrf_token]").get_attribute("value")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.close()


def test_upload_then_see_findings(browser: Any, site: dict[str, Any],
                                  uploaded: dict[str, int]) -> None:
    page = _login_page(browser, site, "u1")
    page.goto(f"/documents/{uploaded['pdf']}")
    assert page.locator("#doc-title").inner_text() == "000_4435fb2a97849b7c.pdf"
    findings = page.locator("#findings li.finding")
    assert findings.count() > 0
    assert page.locator("#doc-text mark.finding").count() > 0
    # Highlights in the text: references and indicators, with the normalised id on hover.
    assert page.locator("#doc-text mark.ref").count() > 0
    assert page.locator("#doc-text mark.ind").count() > 0
    assert re.search(r"\d+-(NQ|CT|KL|QĐ)", page.locator("#doc-text mark.ref").first
                     .get_attribute("title") or "")
    # The outline lists the labelled sections.
    assert page.locator(".outline li").count() >= 3
    page.goto(f"/documents/{uploaded['docx']}")
    assert page.locator("#doc-title").inner_text() == "s03_dang-bo-xa-dien-hoa_2025-2030.docx"
    # The document belongs to u1's unit (the uploader's), and the previous term is one click.
    assert UNIT_1 in page.locator("p.meta").inner_text()
    page.click("#previous-link")
    assert page.url.endswith(f"/documents/{site['previous_id']}")
    # The unit user cannot review.
    assert page.locator("form.review").count() == 0
    page.context.close()


def test_drag_and_drop_of_a_file_already_submitted(browser: Any, site: dict[str, Any],
                                                   uploaded: dict[str, int]) -> None:
    """A file dropped on the drop zone is sent with its own progress row; the same content
    again (under another name) is recognised and not stored twice."""
    import base64

    page = _login_page(browser, site, "u1")
    page.goto("/submit")
    data = base64.b64encode((SYNTHETIC / "s03_dang-bo-xa-dien-hoa_2025-2030.docx")
                            .read_bytes()).decode()
    dropped = page.evaluate_handle(
        "(b64) => { const dt = new DataTransfer();"
        " const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));"
        " dt.items.add(new File([bytes], 'ban-sao.docx')); return dt; }", data)
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": dropped})
    row = page.locator("#upload-progress li")
    row.locator(".status").filter(has_text="không lưu lần nữa").wait_for(timeout=30_000)
    assert row.count() == 1 and row.get_attribute("data-status") == "duplicate"
    assert row.locator(".name").inner_text() == "ban-sao.docx"
    assert row.locator("progress").get_attribute("value") == "100"
    page.context.close()


def test_review_a_finding_and_keep_it_across_reanalysis(
        browser: Any, site: dict[str, Any], uploaded: dict[str, int]) -> None:
    page = _login_page(browser, site, "aud")
    page.goto(f"/documents/{uploaded['pdf']}")
    first = page.locator("#findings li.finding").first
    first.locator("select[name=status]").select_option("needs_fix")
    first.locator("input[name=note]").fill("Bổ sung số liệu <b>2024</b>")
    first.locator("form.review button").click()
    page.wait_for_load_state()
    first = page.locator("#findings li.finding").first
    assert first.locator(".review-needs_fix").count() == 1
    assert "Bổ sung số liệu <b>2024</b>" in first.inner_text()  # escaped, shown as typed
    # The dashboard counts it as open (needs_fix), and the reviews export carries it.
    deadline = time.monotonic() + 60
    page.goto("/dashboard")
    while page.locator("#stale").count() and time.monotonic() < deadline:
        time.sleep(1)  # the figures are being recomputed in the background
        page.goto("/dashboard")
    assert int(re.search(r"\d+", page.locator("#open-total").inner_text()).group()) > 0

    # Re-analysis (as `daihoi run --force` would do) replaces the rows; the review stays.
    with Store(site["db"]) as store:
        source = store.conn.execute("SELECT source FROM documents WHERE id = ?",
                                    (uploaded["pdf"],)).fetchone()[0]
        report = analyze(source, overrides={"unit": UNIT_1})
        new_id = store.save(report, report_record(report))
    page.goto(f"/documents/{new_id}")
    first = page.locator("#findings li.finding").first
    assert first.locator(".review-needs_fix").count() == 1
    uploaded["pdf"] = new_id
    page.context.close()


def test_search_without_diacritics(browser: Any, site: dict[str, Any],
                                   uploaded: dict[str, int]) -> None:
    page = _login_page(browser, site, "aud")
    page.goto("/search")
    page.fill("#search-form input[name=q]", "dang vien")
    page.click("#search-form button")
    page.wait_for_load_state()
    hits = page.locator("#hits li")
    assert hits.count() > 0
    marked = {m.lower() for m in page.locator("#hits mark.hit").all_inner_texts()}
    assert "đảng viên" in marked
    page.context.close()


def test_comparison_view_and_xlsx_export(browser: Any, site: dict[str, Any],
                                         uploaded: dict[str, int]) -> None:
    page = _login_page(browser, site, "aud")
    page.goto(f"/documents/{uploaded['docx']}")
    page.click("#compare-link")
    page.wait_for_load_state()
    assert "/compare" in page.url
    assert page.locator("#previous-link").get_attribute("href") == \
        f"/documents/{site['previous_id']}"
    pairs = page.locator("section.pair")
    assert pairs.count() > 0, "the next term's report of a unit reuses its previous one"
    assert pairs.first.locator("mark.shared").count() >= 2  # both sides marked
    page.goto("/dashboard")
    assert page.locator("#units tr").count() >= 3  # header + both units
    with page.expect_download() as info:
        page.click("#export-sections-xlsx")
    assert info.value.suggested_filename == "sections.xlsx"
    with open(info.value.path(), "rb") as fh:
        sheet = openpyxl.load_workbook(fh).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("unit", "term")
    assert {r[0] for r in rows[1:]} >= {UNIT_1, UNIT_2}
    page.context.close()


def test_unit_user_sees_only_its_unit(browser: Any, site: dict[str, Any],
                                      uploaded: dict[str, int]) -> None:
    page = _login_page(browser, site, "u1")
    other = site["other_id"]
    page.goto("/documents")
    listed = page.locator("#documents tbody tr").all_inner_texts()
    assert listed and all(UNIT_2 not in row for row in listed)
    for url in (f"/documents/{other}", f"/documents/{other}/file",
                f"/documents/{other}/compare", f"/documents/{other}/export.json",
                f"/api/documents/{other}", "/documents/999999"):
        response = page.goto(url)
        assert response.status == 404, url
    # The same 404 for another unit's id as for an id that does not exist.
    assert page.request.get(f"/api/documents/{other}").json() == \
        page.request.get("/api/documents/987654").json()
    ids = {d["id"] for d in page.request.get("/api/documents").json()}
    assert other not in ids and uploaded["pdf"] in ids
    page.goto("/search?q=dien+thang+bac")
    assert page.locator("#hits li").count() == 0
    # The auditor finds the same words in the other unit's report.
    aud = _client(site, "aud")
    assert "Thắng Bắc" in aud.get("/search", params={"q": "dien thang bac"}).text
    assert aud.get(f"/documents/{other}/file").status_code == 200
    # A file name with Vietnamese letters survives the download header.
    u1 = _client(site, "u1")
    r = u1.post("/submit", files={"files": ("Báo cáo chính trị.txt",
                                            "Báo cáo của chi bộ thôn Một.\n".encode())},
                data={"csrf_token": _csrf(u1)}, headers={"Accept": "application/json"})
    upload_id = r.json()[0]["id"]
    deadline = time.monotonic() + 60
    view = r.json()[0]
    while view["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        view = u1.get(f"/api/uploads/{upload_id}").json()
    got = u1.get(view["document"]["url"] + "/file")
    assert got.status_code == 200 and "B%C3%A1o%20c%C3%A1o" in got.headers["content-disposition"]
    assert got.content == "Báo cáo của chi bộ thôn Một.\n".encode()
    page.context.close()


def test_logged_out_visitor_gets_only_the_login_page(site: dict[str, Any],
                                                      uploaded: dict[str, int]) -> None:
    c = httpx.Client(base_url=site["url"], follow_redirects=False, timeout=30)
    for url in ("/", "/dashboard", "/documents", f"/documents/{uploaded['docx']}", "/submit",
                "/search?q=dang", "/export/sections.xlsx", "/export/findings.csv",
                f"/documents/{uploaded['docx']}/file", "/no/such/page"):
        r = c.get(url)
        assert r.status_code == 303 and r.headers["location"] == "/login", url
    for url in ("/api/documents", f"/api/documents/{uploaded['docx']}", "/api/uploads/1"):
        assert c.get(url).status_code == 401, url
    assert c.post("/submit", files={"files": ("a.txt", b"x")}).status_code == 303


def test_forms_without_csrf_token_are_refused(site: dict[str, Any],
                                              uploaded: dict[str, int]) -> None:
    anon = httpx.Client(base_url=site["url"], follow_redirects=False, timeout=30)
    anon.get("/login")
    r = anon.post("/login", data={"username": "aud", "password": PASSWORD})
    assert r.status_code == 403 and "daihoi_session" not in r.headers.get("set-cookie", "")
    aud = _client(site, "aud")
    r = aud.post(f"/documents/{uploaded['pdf']}/findings/0/review",
                 data={"status": "dismissed"})
    assert r.status_code == 403
    r = aud.post(f"/documents/{uploaded['pdf']}/findings/0/review",
                 data={"status": "dismissed", "csrf_token": "forged"})
    assert r.status_code == 403
    u1 = _client(site, "u1")
    r = u1.post("/submit", files={"files": ("a.txt", "Báo cáo".encode())})
    assert r.status_code == 403
    assert u1.post("/logout").status_code == 403


# -- security, bad input, contract --------------------------------------------------------------


def test_headers_cookies_and_escaping(site: dict[str, Any], uploaded: dict[str, int]) -> None:
    c = httpx.Client(base_url=site["url"], follow_redirects=False, timeout=30)
    r = c.get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text.replace('<script src="/static/app.js" defer></script>', "")
    token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    r = c.post("/login", data={"username": "u1", "password": PASSWORD, "csrf_token": token})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    # Vietnamese by default, English on request (remembered in a cookie).
    assert "Tìm kiếm" in c.get("/search").text
    english = c.get("/search", params={"lang": "en"})
    assert "Search" in english.text and "Tìm kiếm" not in english.text
    assert '<html lang="en">' in c.get("/documents").text
    # A search query full of markup comes back escaped.
    page = c.get("/search", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_bad_uploads_get_their_error_and_nothing_else_changes(
        site: dict[str, Any], uploaded: dict[str, int], bad_files: dict[str, Path]) -> None:
    u1 = _client(site, "u1")
    before = u1.get("/api/documents").json()
    token = _csrf(u1)
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 200
    files = [("files", ("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))),
             ("files", ("anh.docx", png)),
             ("files", ("khoa.pdf", bad_files["encrypted"].read_bytes())),
             ("files", ("hong.pdf", bad_files["truncated"].read_bytes())),
             ("files", ("rong.docx", b""))]
    r = u1.post("/submit", files=files, data={"csrf_token": token},
                headers={"Accept": "application/json"})
    assert r.status_code == 200
    rows = {v["filename"]: v for v in r.json()}
    assert rows["big.pdf"]["error"] == "upload_too_large" and "MB" in rows["big.pdf"]["message"]
    assert rows["anh.docx"]["error"] == "upload_unknown_type"
    assert rows["rong.docx"]["error"] == "empty"
    final = {}
    for name in ("khoa.pdf", "hong.pdf"):  # read by the worker: error after analysis
        deadline = time.monotonic() + 60
        view = rows[name]
        while view["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            view = u1.get(f"/api/uploads/{view['id']}").json()
        final[name] = view
    assert final["khoa.pdf"]["error"] == "encrypted"
    assert final["hong.pdf"]["error"] in ("corrupt", "no_text_layer", "empty")
    assert all(v["message"] for v in final.values())
    assert u1.get("/api/documents").json() == before
    # Nothing of a refused file is kept in the upload folder under its own name.
    kept = [p.name for p in site["app"].state.web.settings.upload_dir.iterdir()]
    assert all(re.fullmatch(r"[0-9a-f]{64}\.\w+", n) for n in kept), kept


def test_reupload_is_recognised_by_content(site: dict[str, Any],
                                           uploaded: dict[str, int]) -> None:
    u1 = _client(site, "u1")
    pdf = corpus_file("pdf", "000_4435fb2a97849b7c").read_bytes()
    r = u1.post("/submit", files={"files": ("ten-khac.pdf", pdf)},
                data={"csrf_token": _csrf(u1)}, headers={"Accept": "application/json"})
    assert r.json()[0]["status"] == "duplicate"
    stored = list(site["app"].state.web.settings.upload_dir.glob("*.pdf"))
    assert len([p for p in stored if p.stat().st_size == len(pdf)]) == 1


def test_contract_api_and_malformed_ids(site: dict[str, Any], uploaded: dict[str, int]) -> None:
    aud = _client(site, "aud")
    docs = aud.get("/api/documents").json()
    assert {"id", "title", "unit", "doc_type", "status", "findings"} <= set(docs[0])
    record = aud.get(f"/api/documents/{uploaded['pdf']}").json()
    assert {"source", "sha256", "text", "meta", "findings", "references"} <= set(record)
    assert record["meta"]["unit"] == UNIT_1
    for url in ("/documents/abc", "/documents/-1", "/documents/99999999999999999999999",
                "/api/documents/1e9", "/documents/1/findings/x/review", "/export/x.pdf",
                "/api/documents/18446744073709551616"):
        r = aud.get(url)
        assert r.status_code == 404 and "Traceback" not in r.text, url
    assert aud.get("/export/findings.csv").content.startswith(b"\xef\xbb\xbf")


def test_app_keeps_serving_while_the_store_is_locked(site: dict[str, Any],
                                                    uploaded: dict[str, int]) -> None:
    aud = _client(site, "aud")
    token = _csrf(aud, f"/documents/{uploaded['pdf']}")
    writer = sqlite3.connect(site["db"], isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # what `daihoi run` holds while saving a document
    writer.execute("UPDATE documents SET n_words = n_words WHERE id = ?", (uploaded["pdf"],))
    try:
        for url in ("/api/documents", f"/documents/{uploaded['docx']}", "/dashboard",
                    "/search?q=dang+vien"):
            assert aud.get(url).status_code == 200, url
        threading.Timer(1.0, lambda: writer.execute("COMMIT")).start()
        # A write waits for the lock instead of failing.
        r = aud.post(f"/documents/{uploaded['pdf']}/findings/0/review",
                     data={"status": "confirmed", "csrf_token": token})
        assert r.status_code == 303
    finally:
        time.sleep(1.2)
        writer.close()


def test_login_attempts_are_rate_limited(site: dict[str, Any]) -> None:
    c = httpx.Client(base_url=site["url"], follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    codes = [c.post("/login", data={"username": "admin", "password": f"sai-{i}",
                                    "csrf_token": token}).status_code for i in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    # Even the right password is refused while locked.
    r = c.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429


def test_user_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    answers = iter(["mot-mat-khau", "mot-mat-khau", "mat-khau-1", "mat-khau-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert daihoi(["user", "add", "chi", "--role", "unit", "--unit", UNIT_1, "--db",
                   str(db)]) == 0
    assert daihoi(["user", "add", "x", "--role", "admin", "--db", str(db)]) == 2  # mismatch
    assert daihoi(["user", "add", "y", "--role", "unit", "--db", str(db)]) == 2  # no --unit
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("mat-khau-admin\n"))
    assert daihoi(["user", "add", "sep", "--role", "admin", "--password-stdin", "--db",
                   str(db), "--lang", "en"]) == 0
    assert daihoi(["user", "disable", "chi", "--db", str(db)]) == 0
    assert daihoi(["user", "disable", "khong-co", "--db", str(db)]) == 1
    capsys.readouterr()
    assert daihoi(["user", "list", "--db", str(db), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"chi\s.*unit.*Điện Hòa.*disabled", out)
    assert re.search(r"sep\s.*admin.*active", out)
    # A disabled account cannot log in.
    app = create_app(db, start_worker=False)
    with LiveServer(app) as server:
        c = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
        assert c.post("/login", data={"username": "chi", "password": "mot-mat-khau",
                                      "csrf_token": token}).status_code == 401
        assert c.post("/login", data={"username": "sep", "password": "mat-khau-admin",
                                      "csrf_token": token}).status_code == 303


def test_documents_loaded_by_run_belong_to_the_unit_given(tmp_path: Path) -> None:
    """`daihoi run --unit UNIT` decides ownership; without it the metadata's unit does."""
    from pipeline.store.web_tables import User
    from pipeline.web.data import Scope

    folder = tmp_path / "in"
    folder.mkdir()
    # A short report written for this test (not third-party text).
    (folder / "bao_cao.txt").write_text(
        "BÁO CÁO CHÍNH TRỊ\n\nI. ĐẶC ĐIỂM TÌNH HÌNH\n\nChi bộ có 25 đảng viên, kết nạp "
        "3 đảng viên mới trong nhiệm kỳ 2020-2025.\n\nII. PHƯƠNG HƯỚNG\n\nPhấn đấu 100% đảng "
        "viên hoàn thành tốt nhiệm vụ.\n", encoding="utf-8")
    db = tmp_path / "run.db"
    assert daihoi(["run", str(folder), "--db", str(db), "--unit", "Chi bộ Thôn Ba",
                   "--jobs", "1"]) == 0
    with Store(db) as store:
        ensure_web_tables(store.conn)
        mine = Scope(store.conn, User(1, "a", "unit", "chi bo thon  ba", "chi bo thon ba"))
        other = Scope(store.conn, User(2, "b", "unit", "Chi bộ Thôn Hai", "chi bo thon hai"))
        auditor = Scope(store.conn, User(3, "c", "auditor", None, None))
        [doc] = mine.documents()
        assert doc["unit"] == "Chi bộ Thôn Ba"
        assert other.documents() == [] and other.document(doc["id"]) is None
        assert other.search("dang vien") == [] and mine.search("dang vien")
        assert other.frame("findings").empty and other.record(doc["id"]) is None
        assert [d["id"] for d in auditor.documents()] == [doc["id"]]
