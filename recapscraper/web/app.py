"""The web application: JSON API (/api/), pages, Atom feeds, over a read-only store.

``create_app(db_url)`` opens the store read-only (``storage.queries.open_reader``);
``recapscraper serve`` runs it with uvicorn. Errors under /api/ are JSON
(``{"error": {"status", "message"}}``), elsewhere a small HTML page.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from storage.queries import CursorError, open_reader

HERE = Path(__file__).parent
log = logging.getLogger(__name__)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
CSP = (b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       b"base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """Adds nosniff, no-referrer, no framing, and a strict CSP (no scripts) on pages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with_csp = not scope["path"].startswith(("/docs", "/redoc"))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + SECURITY_HEADERS
                if with_csp:
                    headers.append((b"content-security-policy", CSP))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _site_names() -> dict[str, str]:
    """Registry site name by domain: crawl runs name sites, the store keeps domains."""
    try:
        from recapscraper.dedup import site_of
        from recapscraper.registry import SITES_DIR, load_sites

        return {site_of(s.base_url): s.name for s in load_sites(SITES_DIR).values()}
    except Exception:  # noqa: BLE001 - names are a nicety; the API works without them
        log.debug("site registry not readable", exc_info=True)
        return {}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api", "/openapi"))


def error_response(request: Request, status: int, message: str, details=None):
    if _wants_json(request):
        body = {"error": {"status": status, "message": message, "details": details}}
        return JSONResponse(body, status_code=status)
    from recapscraper.web.pages import render

    return render(request, "error.html", {"status": status, "message": message}, status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                   for e in exc.errors()]
        message = "; ".join(f"{d['where']}: {d['problem']}" for d in details) or "invalid request"
        return error_response(request, 422, message, details)

    @app.exception_handler(CursorError)
    async def bad_cursor(request: Request, exc: CursorError):
        return error_response(request, 400, f"cursor: {exc}")

    @app.exception_handler(SQLAlchemyError)
    async def store_down(request: Request, exc: SQLAlchemyError):
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, "the store cannot answer right now")


def create_app(db_url: str | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application over the store at ``db_url`` (opened read-only), or ``engine``."""
    from recapscraper.web import api, feeds, pages

    app = FastAPI(title="recapscraper", version="1",
                  description="Every recap of a TV episode, side by side, across sites. "
                              "Read-only; lists are keyset-paginated (`cursor`).")
    app.state.engine = engine if engine is not None else open_reader(db_url)
    app.state.site_names = _site_names()
    app.state.templates = pages.template_env()
    app.include_router(api.router)
    app.include_router(feeds.router)  # before pages: /platforms/{name:path}/feed.atom
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app
