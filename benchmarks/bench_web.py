"""The web app under load, on loopback only: page latency on a 10,000-document store, 20
concurrent uploads, 50 concurrent readers while an upload batch is analysed.

    python benchmarks/bench_web.py [--documents 10000] [--uploads 20] [--readers 50]

The store is made like bench_corpus's big store (its `replicate`: stored rows of real analyses
copied under new unit names, rare words permuted) from 12 synthetic reports and real documents
001-003; the 20 other synthetic reports are the uploads. The app runs as `daihoi serve` in its
own process (as in use), requests come from threads of this one. Every loop is bounded in count
and time. Writes benchmarks/results/web.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import SYNTHETIC, build_sample_store, replicate  # noqa: E402

from pipeline.store.database import Store  # noqa: E402
from pipeline.store.web_tables import add_user, ensure_web_tables  # noqa: E402
from pipeline.web.auth import hash_password  # noqa: E402
from results import ROOT, write_section  # noqa: E402

PASSWORD = "mat-khau-do-tai"
UPLOAD_UNIT = "Đảng bộ xã Thử Tải"
REQUESTS_PER_PAGE = 30
TARGET_MS = 300.0
READ_DEADLINE_S = 600.0  # the readers stop by then whatever happens
UPLOAD_DEADLINE_S = 900.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    # The server's messages go to a file: a pipe nobody reads would fill and block it.
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db",
                                 str(db), "--port", str(port), "--host", "127.0.0.1"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("daihoi serve did not start")


def login(base: str, name: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, r.status_code
    return c


def timed(c: httpx.Client, url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = c.get(url)
    return (time.perf_counter() - t0) * 1000, r.status_code


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def page_latency(base: str, pages: dict[str, str], who: str) -> list[tuple[str, float, float,
                                                                         float, int]]:
    """(page, first request ms, median ms and p95 ms of the next requests, non-200 answers)."""
    c = login(base, who)
    out = []
    for name, url in pages.items():
        first, status = timed(c, url)
        times, bad = [], int(status != 200)
        for _ in range(REQUESTS_PER_PAGE):
            ms, status = timed(c, url)
            times.append(ms)
            bad += status != 200
        out.append((name, first, statistics.median(times), p95(times), bad))
    return out


def upload_batch(base: str, files: list[Path]) -> dict[str, object]:
    """Every file posted at once by its own thread; then wait until all are analysed."""
    results: dict[str, dict] = {}
    errors: list[str] = []

    def post(path: Path) -> None:
        try:
            c = login(base, "unit")
            token = re.search(r'name="csrf_token" value="([^"]+)"',
                              c.get("/submit").text).group(1)
            r = c.post("/submit", files={"files": (path.name, path.read_bytes())},
                       data={"csrf_token": token}, headers={"Accept": "application/json"})
            results[path.name] = r.json()[0]
        except Exception as exc:  # noqa: BLE001 - counted as a lost upload
            errors.append(f"{path.name}: {exc}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=post, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    posted_s = time.perf_counter() - t0
    c = login(base, "unit")
    deadline = time.monotonic() + UPLOAD_DEADLINE_S
    final: dict[str, dict] = {}
    while time.monotonic() < deadline and len(final) < len(results):
        for name, row in results.items():
            if name in final:
                continue
            view = c.get(f"/api/uploads/{row['id']}").json()
            if view["status"] not in ("queued", "running"):
                final[name] = view
        time.sleep(1)
    docs = [v.get("document", {}) or {} for v in final.values()]
    return {"posted": len(results), "post_errors": errors, "posted_s": posted_s,
            "done": sum(v["status"] == "done" for v in final.values()),
            "failed": [f"{n}: {v['message']}" for n, v in final.items() if v["status"] != "done"],
            "distinct_documents": len({d.get("id") for d in docs if d.get("id")}),
            "seconds": time.perf_counter() - t0}


def readers_during(clients: list[httpx.Client], pages: list[str], busy: threading.Event
                   ) -> dict[str, object]:
    """Readers, each with its own session, request random pages while `busy` is set."""
    counts = {"requests": 0, "errors": 0}
    kinds: Counter[str] = Counter()
    times: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + READ_DEADLINE_S

    def read(c: httpx.Client, seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(400):  # bounded
            if not busy.is_set() or time.monotonic() > stop_at:
                return
            page = rng.choice(pages)
            try:
                ms, status = timed(c, page)
            except httpx.HTTPError as exc:
                ms, status = 0.0, type(exc).__name__
            with lock:
                counts["requests"] += 1
                counts["errors"] += status != 200
                if status != 200:
                    kinds[f"{status} {page.split('?')[0]}"] += 1
                times.append(ms)

    threads = [threading.Thread(target=read, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**counts, "kinds": dict(kinds), "median_ms": statistics.median(times) if times else 0,
            "p95_ms": p95(times) if times else 0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--readers", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="daihoi_bench_web_"))
    synthetic = sorted(SYNTHETIC.glob("*.docx"))
    real = [p for p in sorted((ROOT / "corpus" / "docx").glob("*.docx"))
            if p.stem[:3] not in ("000", "004")]
    base_files, upload_files = synthetic[:12], synthetic[12:12 + args.uploads]

    t0 = time.perf_counter()
    base = work / "base.db"
    build_sample_store(base, base_files + real)
    db = work / "web.db"
    built = replicate(base, db, args.documents)
    with Store(db) as store:
        ensure_web_tables(store.conn)
        for name, role, unit in (("auditor", "auditor", None), ("unit", "unit", UPLOAD_UNIT)):
            add_user(store.conn, name, role, unit, hash_password(PASSWORD))
        doc_id, unit_doc = store.conn.execute(
            "SELECT id, (SELECT max(id) FROM documents) FROM documents"
            " WHERE doc_type = 'political_report' ORDER BY id LIMIT 1").fetchone()
        n_docs = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    build_s = time.perf_counter() - t0
    print(f"store: {n_docs} documents in {build_s:.0f} s ({built})", flush=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = work / "serve.log"
    server = start_server(db, port, server_log)
    try:
        pages = {
            "/static/app.css (baseline: a file)": "/static/app.css",
            "/dashboard": "/dashboard",
            "/dashboard?term=2020-2025": "/dashboard?term=2020-2025",
            "/documents": "/documents",
            "/documents?page=100": "/documents?page=100",
            f"/documents/{doc_id}": f"/documents/{doc_id}",
            f"/documents/{doc_id}/compare": f"/documents/{doc_id}/compare",
            "/search?q=dang vien ket nap": "/search?q=dang+vien+ket+nap",
            "/search?q=đảng viên&term=2020-2025": "/search?q=%C4%91%E1%BA%A3ng+vi%C3%AAn"
                                                  "&term=2020-2025",
            "/api/documents (all 10,000)": "/api/documents",
            f"/api/documents/{doc_id}": f"/api/documents/{doc_id}",
            f"/documents/{unit_doc} (a replica)": f"/documents/{unit_doc}",
        }
        latency = page_latency(url, pages, "auditor")
        for row in latency:
            print(row, flush=True)
        read_pages = [u for n, u in pages.items() if "baseline" not in n
                      and "api/documents (all" not in n]
        busy = threading.Event()
        busy.set()
        reader_result: dict[str, object] = {}
        clients = [login(url, "auditor") for _ in range(args.readers)]  # before the batch
        reader = threading.Thread(target=lambda: reader_result.update(
            readers_during(clients, read_pages, busy)))
        reader.start()
        uploads = upload_batch(url, upload_files)
        busy.clear()
        reader.join(timeout=READ_DEADLINE_S + 60)
        print(uploads, reader_result, flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        errors = [line for line in server_log.read_text(errors="replace").splitlines()
                  if "Error" in line or "Traceback" in line]
        print(f"server log: {len(errors)} error lines", *errors[-20:], sep="\n", flush=True)
        shutil.rmtree(work, ignore_errors=True)

    worst = max(r[3] for r in latency if "baseline" not in r[0])
    load = os.getloadavg()
    lines = [
        "## Web app (`daihoi serve`)",
        "",
        f"Store: {n_docs:,} documents ({built['paragraphs']:,} paragraphs), made by copying "
        f"the stored rows of {len(base_files)} synthetic and {len(real)} real reports "
        f"(bench_corpus's `replicate`) in {build_s:.0f} s. The app runs as `daihoi serve` in its "
        "own process; requests come from this process over loopback. One logged-in auditor "
        f"(sees every document); each page requested {REQUESTS_PER_PAGE + 1} times in a row. "
        "The first request is shown apart: for the dashboard it is the computation of its "
        "matrices on a cold cache (the app starts computing the unfiltered one at start; a "
        "request arriving before it is done waits for it; a filter not asked before is computed "
        "on its first request); median and p95 are over the next requests.",
        "",
        f"Load average of the machine when the run ended: {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1 / 5 / 15 min, {os.cpu_count()} cores; other work shares them, so "
        "compare each page with the static-file baseline of the same run).",
        "",
        "| page | first request ms | median ms | p95 ms | non-200 |",
        "|---|---|---|---|---|",
        *[f"| `{n}` | {f:.0f} | {m:.0f} | {p:.0f} | {b} |" for n, f, m, p, b in latency],
        "",
        f"Target: every page < {TARGET_MS:.0f} ms at the 95th percentile. Worst page p95: "
        f"**{worst:.0f} ms** ({'met' if worst < TARGET_MS else 'NOT met'}).",
        "",
        f"### {args.uploads} concurrent uploads, {args.readers} concurrent readers",
        "",
        f"{args.uploads} synthetic reports not in the store, each posted to `/submit` by its own "
        "thread and session at the same moment (unit account), then followed on "
        f"`/api/uploads/<id>` until analysed. Meanwhile {args.readers} auditor sessions request "
        "random pages of the table above (not the 10,000-row JSON list) until the batch is done.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| uploads accepted | {uploads['posted']} of {args.uploads} "
        f"(post errors: {len(uploads['post_errors'])}) |",
        f"| all posted in | {uploads['posted_s']:.1f} s |",
        f"| analysed and stored | {uploads['done']} |",
        f"| distinct documents made | {uploads['distinct_documents']} |",
        f"| failed | {len(uploads['failed'])} {'; '.join(uploads['failed'])[:300]} |",
        f"| batch done in | {uploads['seconds']:.0f} s (one analysis process) |",
        f"| reader requests | {reader_result.get('requests')} |",
        f"| reader errors (non-200 or no answer) | {reader_result.get('errors')} "
        f"{reader_result.get('kinds') or ''} |",
        f"| reader median / p95 ms during the batch | {reader_result.get('median_ms', 0):.0f} / "
        f"{reader_result.get('p95_ms', 0):.0f} |",
        "",
        "Targets: every upload completes, none lost (accepted = analysed), none duplicated "
        "(distinct documents = uploads); no reader error.",
    ]
    print(write_section("web", "\n".join(lines), "python benchmarks/bench_web.py"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
