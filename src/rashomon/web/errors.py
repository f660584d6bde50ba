"""One error shape for every error the web app and the API return.

Every error is ``{"error": {"status": 404, "code": "not_found", "message": "..."}}``;
the HTML pages show the same three fields. Handlers are installed by :func:`install`.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, RashomonError, StageError

log = logging.getLogger("rashomon.web")

CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_type",
    422: "invalid_input",
    500: "internal_error",
    503: "unavailable",
}


class WebError(Exception):
    """An error with an HTTP status, a stable code and a message that says how to fix it."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
        self.message = message


def not_found(what: str, ident: str) -> WebError:
    return WebError(404, f"no {what} {ident!r} in this store; see /api/stories for the stories there are")


def error_body(status: int, code: str, message: str) -> dict:
    """The one error shape."""
    return {"error": {"status": status, "code": code, "message": message}}


def wants_json(request: Request) -> bool:
    """JSON for the API and for clients that ask for it; HTML for the pages."""
    if request.url.path.startswith("/api/") or request.url.path in ("/api", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def respond(request: Request, status: int, code: str, message: str) -> JSONResponse | HTMLResponse:
    if wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status)
    templates = getattr(request.app.state, "templates", None)
    if templates is None:  # pragma: no cover - the app always sets it
        return JSONResponse(error_body(status, code, message), status_code=status)
    return templates.TemplateResponse(request, "error.html", {"status": status, "code": code, "message": message},
                                      status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Route every error through :func:`respond`."""

    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError):
        return respond(request, exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}; start at / (pages) or /api/stories (JSON)"
        code = CODES.get(exc.status_code, HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_"))
        return respond(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return respond(request, 422, "invalid_input", _validation_message(exc))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        return respond(request, 422, "invalid_input", str(exc))

    @app.exception_handler(StageError)
    async def _stage(request: Request, exc: StageError):
        log.error("stage failed: %s", exc)
        return respond(request, 500, "stage_failed", str(exc))

    @app.exception_handler(RashomonError)
    async def _rashomon(request: Request, exc: RashomonError):
        return respond(request, 500, "internal_error", str(exc))

    # Any other exception is answered by security.Guard, which (unlike an
    # ``exception_handler(Exception)``, served by Starlette's outermost middleware and then
    # re-raised to the server) answers without re-raising, so the connection is kept alive.
