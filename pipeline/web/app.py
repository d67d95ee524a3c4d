"""`create_app(db)`: the Starlette application behind `daihoi serve`.

Pages are rendered on the server with Jinja2 (autoescaped); the only script is
static/app.js (drag-and-drop upload with progress), served from the package, so the app works
offline and its Content-Security-Policy forbids inline script. The URL contract (login form,
/submit, /api/documents, /documents/{id}) is described in the README, "Web app".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.data import data_path
from pipeline.ingest.limits import MB, Limits
from pipeline.store.database import Store
from pipeline.store.web_tables import User, ensure_web_tables, session_user
from pipeline.web.auth import LoginThrottle
from pipeline.web.compute import ComputeProcess
from pipeline.web.data import Db
from pipeline.web.worker import AnalysisWorker

HERE = Path(__file__).parent
SESSION_COOKIE = "daihoi_session"
LOGIN_CSRF_COOKIE = "daihoi_login_csrf"
LANG_COOKIE = "daihoi_lang"
PUBLIC_PREFIXES = ("/login", "/static/")
API_PREFIXES = ("/api/",)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

log = logging.getLogger("daihoi.web")


@cache
def strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load(data_path("web_strings.yaml").read_text(encoding="utf-8"))


def translate(key: str, lang: str, **params: Any) -> str:
    entry = strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


@dataclass
class Settings:
    db: Path
    upload_dir: Path
    max_upload_bytes: int = 50 * MB
    session_hours: float = 12.0
    secure_cookies: bool = False  # set when served over HTTPS (behind a proxy)
    analysis_slots: int = 1
    dashboard_refresh_s: float = 15.0  # least time between two recomputations of a dashboard
    limits: Limits = field(default_factory=Limits)
    analysis_timeout: float | None = None  # per upload, seconds; None: `daihoi run`'s default


class WebState:
    def __init__(self, settings: Settings, start_worker: bool) -> None:
        self.settings = settings
        self.db = Db(settings.db)
        self.throttle = LoginThrottle()
        self.worker = AnalysisWorker(settings.db, settings.limits, settings.analysis_slots,
                                     timeout=settings.analysis_timeout)
        self.start_worker = start_worker
        self.compute = ComputeProcess(settings.db)
        self.cache: dict[Any, Any] = {}
        self.cache_lock = threading.Lock()
        self.cache_locks: dict[Any, threading.Lock] = {}
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)


def state(request: Request) -> WebState:
    return request.app.state.web


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "vi"
    return lang if lang in ("vi", "en") else "vi"


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    web = state(request)
    lang = lang_of(request)
    user: User | None = getattr(request.state, "user", None)
    html = web.env.get_template(template).render(
        t=lambda key, **kw: translate(key, lang, **kw), lang=lang, user=user,
        csrf=getattr(request.state, "csrf", ""), path=request.url.path,
        query=request.url.query, **ctx)
    response = Response(html, status_code=status, media_type="text/html; charset=utf-8")
    remember_lang(request, response)
    return response


def remember_lang(request: Request, response: Response) -> None:
    wanted = request.query_params.get("lang")
    if wanted in ("vi", "en") and wanted != request.cookies.get(LANG_COOKIE):
        response.set_cookie(LANG_COOKIE, wanted, max_age=365 * 86400, httponly=True,
                            samesite="lax")


def is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def not_found(request: Request) -> Response:
    """The same answer for an id that does not exist and one this account may not see."""
    if is_api(request.url.path):
        return JSONResponse({"error": "not_found"}, status_code=404)
    return render(request, "error.html", status=404, message_key="error.not_found")


def forbidden(request: Request) -> Response:
    if is_api(request.url.path):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    return render(request, "error.html", status=403, message_key="error.forbidden")


class SessionMiddleware(BaseHTTPMiddleware):
    """Who is signed in; everything but the login page and static files needs a session.
    Adds the security headers to every answer."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        request.state.user = None
        request.state.csrf = ""
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            web = state(request)
            found = await run_in_threadpool(web.db.read, lambda c: session_user(c, token))
            if found is not None:
                request.state.user, request.state.csrf = found
        if request.state.user is None and not path.startswith(PUBLIC_PREFIXES):
            if is_api(path):
                response: Response = JSONResponse({"error": "login_required"}, status_code=401)
            else:
                response = RedirectResponse("/login", status_code=303)
        else:
            response = await call_next(request)
        secure_headers(response)
        return response


def secure_headers(response: Response) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")


def create_app(db: str | Path, *, upload_dir: str | Path | None = None,
               max_upload_mb: float = 50, analysis_slots: int = 1,
               secure_cookies: bool = False, start_worker: bool = True,
               dashboard_refresh_s: float = 15.0,
               analysis_timeout: float | None = None) -> Starlette:
    """The app on the store `db` (created when missing, like `daihoi run`). Uploaded files
    are kept under `upload_dir` (default: `<db>.uploads/` beside the store), never served as
    static files."""
    from pipeline.web import routes

    db = Path(db)
    settings = Settings(
        db=db, upload_dir=Path(upload_dir) if upload_dir else db.with_name(db.name + ".uploads"),
        max_upload_bytes=int(max_upload_mb * MB), secure_cookies=secure_cookies,
        analysis_slots=analysis_slots, dashboard_refresh_s=dashboard_refresh_s,
        analysis_timeout=analysis_timeout)
    with Store(db) as store:  # creates or migrates the corpus schema
        ensure_web_tables(store.conn)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    web = WebState(settings, start_worker)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if web.start_worker:
            await run_in_threadpool(web.worker.start)
            from pipeline.web.views import warm_dashboard

            threading.Thread(target=warm_dashboard, args=(web,), daemon=True).start()
        try:
            yield
        finally:
            await run_in_threadpool(web.worker.stop)
            web.compute.close()

    app = Starlette(
        routes=[*routes.ROUTES,
                Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static")],
        middleware=[Middleware(SessionMiddleware)],
        exception_handlers={404: _handle_404, 405: _handle_404, 500: _handle_500},
        lifespan=lifespan,
    )
    app.state.web = web
    return app


async def _handle_404(request: Request, exc: Exception) -> Response:
    return not_found(request)


async def _handle_500(request: Request, exc: Exception) -> Response:
    log.exception("error on %s", request.url.path, exc_info=exc)
    locked = "locked" in str(exc).lower() or "busy" in str(exc).lower()
    key = "error.busy" if locked else "error.server"
    if is_api(request.url.path):
        return JSONResponse({"error": "busy" if locked else "server_error"},
                            status_code=503 if locked else 500)
    response = render(request, "error.html", status=503 if locked else 500, message_key=key)
    secure_headers(response)
    return response


__all__ = ["create_app", "Route", "translate"]
