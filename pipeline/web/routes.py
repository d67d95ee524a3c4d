"""The app's URLs. Every handler reads through `Scope` (pipeline/web/data.py), which filters
by the account's unit in SQL; handlers only decide what to show."""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.ingest.limits import MB
from pipeline.ingest.sniff import CorruptZip, EncryptedOffice, UnknownFormat, sniff
from pipeline.store.web_tables import (
    REVIEW_STATUSES,
    add_upload,
    count_users,
    create_session,
    end_session,
    find_upload,
    set_password_hash,
    upload,
    uploads_of_unit,
    user_by_name,
)
from pipeline.web import views
from pipeline.web.app import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    forbidden,
    lang_of,
    not_found,
    remember_lang,
    render,
    state,
    translate,
)
from pipeline.web.auth import hash_password, needs_rehash, new_token, same_token, verify_password
from pipeline.web.data import Scope

SUFFIX_OF = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "rtf": ".rtf", "odt": ".odt",
             "txt": ".txt", "html": ".html"}
MEDIA_OF = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document", ".doc": "application/msword", ".rtf": "application/rtf",
            ".odt": "application/vnd.oasis.opendocument.text", ".txt": "text/plain",
            ".html": "text/plain"}
READ_CHUNK = 1024 * 1024
_ACCEPT_LOCK = threading.Lock()


async def _read(request: Request, fn: Any) -> Any:
    """Run a read of the store in a worker thread (with retries when it is locked)."""
    web = state(request)
    return await run_in_threadpool(web.db.read, lambda conn: fn(Scope(conn, request.state.user)))


async def _form(request: Request) -> tuple[Any, bool]:
    """The posted form and whether its CSRF token is the session's."""
    form = await request.form(max_files=MAX_FILES_PER_POST, max_fields=MAX_FILES_PER_POST + 10)
    token = form.get("csrf_token") or request.headers.get("x-csrf-token")
    return form, same_token(str(token) if token else None, request.state.csrf)


def _csrf_refused(request: Request) -> Response:
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"error": "csrf", "message": translate("csrf.refused",
                                                                   lang_of(request))}, 403)
    return render(request, "error.html", status=403, message_key="csrf.refused")


# -- login ---------------------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    if request.state.user is not None:
        return RedirectResponse("/", status_code=303)
    return await _login_form(request)


async def _login_form(request: Request, error: str | None = None, status: int = 200) -> Response:
    web = state(request)
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    no_users = await run_in_threadpool(web.db.read, count_users) == 0
    response = render(request, "login.html", status=status, login_csrf=token, error=error,
                      no_users=no_users)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=web.settings.secure_cookies, path="/login")
    return response


async def login(request: Request) -> Response:
    web = state(request)
    form = await request.form(max_files=0, max_fields=10)
    if not same_token(str(form.get("csrf_token") or ""), request.cookies.get(LOGIN_CSRF_COOKIE)):
        return await _login_form(request, "csrf.refused", 403)
    name = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:1024]
    client = request.client.host if request.client else "-"
    if web.throttle.blocked(name, client):
        return await _login_form(request, "login.throttled", 429)
    found = await run_in_threadpool(web.db.read, lambda c: user_by_name(c, name))
    user, stored = found if found else (None, None)
    ok = await run_in_threadpool(verify_password, stored, password)
    if not ok or user is None or user.disabled:
        web.throttle.failed(name, client)
        return await _login_form(request, "login.failed", 401)
    web.throttle.succeeded(name)
    token, csrf = new_token(), new_token()

    def start(conn: Any) -> None:
        if stored and needs_rehash(stored):
            set_password_hash(conn, user.id, hash_password(password))
        create_session(conn, user.id, token, csrf, web.settings.session_hours)

    # The connection is taken in the worker thread: each thread has its own.
    await run_in_threadpool(web.db.read, start, 1)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=web.settings.secure_cookies,
                        max_age=int(web.settings.session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    _, ok = await _form(request)
    if not ok:
        return _csrf_refused(request)
    token = request.cookies.get(SESSION_COOKIE) or ""
    await run_in_threadpool(state(request).db.read, lambda c: end_session(c, token), 1)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def home(request: Request) -> Response:
    user = request.state.user
    return RedirectResponse("/dashboard" if user.sees_all else "/documents", status_code=303)


# -- documents -----------------------------------------------------------------------------------

PAGE_SIZE = 50


async def documents_page(request: Request) -> Response:
    q = request.query_params
    page = _int(q.get("page"), 1)
    filters = {k: (q.get(k) or None) for k in ("unit", "term", "doc_type")}

    def read(scope: Scope) -> tuple[list[dict[str, Any]], int]:
        return (scope.documents(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE),
                scope.count_documents())

    docs, total = await _read(request, read)
    return render(request, "documents.html", documents=docs, page=page, total=total,
                  more=len(docs) == PAGE_SIZE, filters=filters)


async def api_documents(request: Request) -> Response:
    body = await _read(request, lambda s: s.documents_json())
    return Response(body, media_type="application/json")


async def api_document(request: Request) -> Response:
    record = await _read(request, lambda s: s.record(_path_id(request)))
    return not_found(request) if record is None else JSONResponse(record)


async def document_json(request: Request) -> Response:
    doc_id = _path_id(request)
    record = await _read(request, lambda s: s.record(doc_id))
    if record is None:
        return not_found(request)
    return Response(json.dumps(record, ensure_ascii=False), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="doc-{doc_id}.json"'})


async def document_page(request: Request) -> Response:
    ctx = await _read(request, lambda s: views.document_context(s, _path_id(request),
                                                                 lang_of(request)))
    if ctx is None:
        return not_found(request)
    return render(request, "document.html", saved=request.query_params.get("saved"), **ctx)


async def document_file(request: Request) -> Response:
    """The file as submitted (or as `daihoi run` read it), for accounts that see the document."""
    doc = await _read(request, lambda s: s.document(_path_id(request)))
    if doc is None:
        return not_found(request)
    path = Path(doc["source"])
    if not path.is_file():
        return not_found(request)
    suffix = path.suffix.lower()
    return FileResponse(path, media_type=MEDIA_OF.get(suffix, "application/octet-stream"),
                        headers={"Content-Disposition": _attachment(Path(doc["title"]).name)})


def _attachment(name: str) -> str:
    """A download's file name: ASCII for old clients, UTF-8 (RFC 5987) for the rest, since a
    header cannot carry "Báo cáo.docx" as it is."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def compare_page(request: Request) -> Response:
    ctx = await _read(request, lambda s: views.compare_context(s, state(request),
                                                                _path_id(request)))
    if ctx is None:
        return not_found(request)
    return render(request, "compare.html", **ctx)


async def review(request: Request) -> Response:
    doc_id, idx = _path_id(request), _path_id(request, "idx")
    form, ok = await _form(request)
    if not ok:
        return _csrf_refused(request)
    if not request.state.user.can_review:
        return forbidden(request)
    status = str(form.get("status") or "")
    if status not in REVIEW_STATUSES:
        return forbidden(request)
    note = str(form.get("note") or "")
    done = await _read(request, lambda s: s.set_review(doc_id, idx, status, note))
    if not done:
        return not_found(request)
    return RedirectResponse(f"/documents/{doc_id}?saved=1#finding-{idx}", status_code=303)


# -- dashboard, search, exports ------------------------------------------------------------------


async def dashboard(request: Request) -> Response:
    q = request.query_params
    filters = {k: (q.get(k) or None) for k in ("term", "unit_level", "doc_type")}
    web = state(request)
    lang = lang_of(request)
    ctx = await _read(request, lambda s: views.dashboard_context(s, web, filters, lang))
    return render(request, "dashboard.html", filters=filters, **ctx)


async def search_page(request: Request) -> Response:
    q = request.query_params
    query = (q.get("q") or "").strip()[:300]
    filters = {k: (q.get(k) or None) for k in ("unit", "term", "section", "doc_type")}
    hits = await _read(request, lambda s: s.search(query, 50, **filters)) if query else []
    return render(request, "search.html", q=query, filters=filters,
                  hits=[views.hit_view(h) for h in hits])


async def export(request: Request) -> Response:
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if name not in views.EXPORTS or fmt not in ("csv", "xlsx"):
        return not_found(request)
    q = request.query_params
    filters = {k: (q.get(k) or None) for k in ("term", "unit_level", "doc_type")}
    data = await _read(request, lambda s: views.export_bytes(s, name, fmt, filters))
    media = ("text/csv; charset=utf-8" if fmt == "csv" else
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# -- submit --------------------------------------------------------------------------------------


async def submit_page(request: Request) -> Response:
    user = request.state.user
    web = state(request)
    uploads = await run_in_threadpool(
        web.db.read, lambda c: uploads_of_unit(c, None if user.sees_all else user.unit_folded))
    lang = lang_of(request)
    return render(request, "submit.html", uploads=[views.upload_view(u, lang) for u in uploads],
                  max_mb=round(web.settings.max_upload_bytes / MB))


MAX_FILES_PER_POST = 50


async def submit(request: Request) -> Response:
    user = request.state.user
    limit = state(request).settings.max_upload_bytes * MAX_FILES_PER_POST
    if int(request.headers.get("content-length") or 0) > limit:
        # Refused before the body is read: nothing reaches the disk.
        return JSONResponse({"error": "too_large"}, status_code=413)
    form, ok = await _form(request)
    if not ok:
        return _csrf_refused(request)
    if not user.can_submit:
        return forbidden(request)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    lang = lang_of(request)
    results = [await _accept(request, f) for f in files]
    wants_json = request.headers.get("accept", "").startswith("application/json")
    if wants_json:
        if not results:
            return JSONResponse({"error": "no_files",
                                 "message": translate("upload.no_files", lang)}, 400)
        return JSONResponse([views.upload_view(r, lang) for r in results])
    response = RedirectResponse("/submit", status_code=303)
    remember_lang(request, response)
    return response


async def _accept(request: Request, file: UploadFile) -> dict[str, Any]:
    """Keep one uploaded file (or say why not) and queue it for analysis."""
    user = request.state.user
    web = state(request)
    settings = web.settings
    filename = Path(file.filename or "file").name[:200] or "file"
    with tempfile.NamedTemporaryFile(dir=settings.upload_dir, prefix=".incoming-",
                                     delete=False) as tmp:
        digest, size = hashlib.sha256(), 0
        while chunk := await file.read(READ_CHUNK):
            size += len(chunk)
            if size > settings.max_upload_bytes:
                break
            digest.update(chunk)
            tmp.write(chunk)
    tmp_path = Path(tmp.name)
    sha = digest.hexdigest()

    def record(status: str, stored: str | None = None,
               error: tuple[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        upload_id = add_upload(web.db.conn(), sha256=sha, filename=filename, stored_path=stored,
                               size=size, unit=user.unit or "", user_id=user.id, status=status,
                               error=error)
        return upload(web.db.conn(), upload_id) or {}

    def keep() -> dict[str, Any]:
        try:
            if size > settings.max_upload_bytes:
                return record("error", error=("upload_too_large", {
                    "size": round(size / MB, 1), "mb": round(settings.max_upload_bytes / MB)}))
            if size == 0:
                return record("error", error=("empty", {"path": filename}))
            kind = _sniff(tmp_path, filename)
            if isinstance(kind, tuple):
                return record("error", error=kind)
            with _ACCEPT_LOCK:  # two copies of one file posted at once: one is the duplicate
                earlier = find_upload(web.db.conn(), sha, user.unit_folded or "")
                if earlier is not None:
                    row = record("duplicate")
                    row["earlier"] = earlier
                    return row
                # Content-hash name, outside any served folder; the same bytes are kept once.
                final = settings.upload_dir / f"{sha}{SUFFIX_OF[kind]}"
                if not final.exists():
                    tmp_path.replace(final)
                row = record("queued", str(final))
            web.worker.submit(int(row["id"]))
            return row
        finally:
            tmp_path.unlink(missing_ok=True)

    return await run_in_threadpool(keep)


def _sniff(path: Path, filename: str) -> str | tuple[str, dict[str, Any]]:
    try:
        return sniff(path)
    except UnknownFormat as exc:
        return "upload_unknown_type", {"what": str(exc)}
    except EncryptedOffice:
        return "encrypted", {"path": filename}
    except CorruptZip as exc:
        return "corrupt", {"path": filename, "detail": str(exc)}
    except (OSError, ValueError) as exc:
        return "unreadable", {"path": filename, "detail": str(exc)}


async def api_upload(request: Request) -> Response:
    user = request.state.user
    web = state(request)
    upload_id = _path_id(request)
    row = await run_in_threadpool(web.db.read, lambda c: upload(c, upload_id))
    if row is None or (not user.sees_all and row["unit_folded"] != user.unit_folded):
        return not_found(request)
    view = views.upload_view(row, lang_of(request))
    if row["status"] == "done":
        view["document"] = await _read(request, lambda s: views.document_of_source(
            s, row["source"]))
    return JSONResponse(view)


# -- helpers -------------------------------------------------------------------------------------


def _path_id(request: Request, name: str = "doc_id") -> int:
    value = request.path_params.get(name)
    return value if isinstance(value, int) else -1


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 100_000))
    except ValueError:
        return default



ROUTES = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/", home, methods=["GET"]),
    Route("/dashboard", dashboard, methods=["GET"]),
    Route("/documents", documents_page, methods=["GET"]),
    Route("/documents/{doc_id:int}", document_page, methods=["GET"]),
    Route("/documents/{doc_id:int}/export.json", document_json, methods=["GET"]),
    Route("/documents/{doc_id:int}/file", document_file, methods=["GET"]),
    Route("/documents/{doc_id:int}/compare", compare_page, methods=["GET"]),
    Route("/documents/{doc_id:int}/findings/{idx:int}/review", review, methods=["POST"]),
    Route("/search", search_page, methods=["GET"]),
    Route("/export/{name}.{fmt}", export, methods=["GET"]),
    Route("/submit", submit_page, methods=["GET"]),
    Route("/submit", submit, methods=["POST"]),
    Route("/api/documents", api_documents, methods=["GET"]),
    Route("/api/documents/{doc_id:int}", api_document, methods=["GET"]),
    Route("/api/uploads/{doc_id:int}", api_upload, methods=["GET"]),
]
