"""Security headers on every response, NUL characters refused in any input, and the production checks at start-up."""

from __future__ import annotations

from flask import Flask, Response, request

from portal.config import Config, Production
from portal.errors import InvalidInput
from portal.validation.findings import N_

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
NUL = "\x00"


def refuse_nul() -> None:
    """Refuse a NUL character anywhere a request carries text: URL parts, query, form fields, file names.

    PostgreSQL text cannot hold NUL (SQLite can), so it would otherwise fail deep inside a query, as a 500 on one
    backend only. Refused here, it is the same 400 on both, and no page, form or API has to check for it.
    """
    named = [*(request.view_args or {}).items(), *request.args.items(multi=True)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        named += request.form.items(multi=True)
        named += [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
    for name, value in named:
        if NUL in name or (isinstance(value, str) and NUL in value):
            raise InvalidInput(N_("The parameter {name} contains a NUL character."), name=name.replace(NUL, ""))


def enforce_production(app: Flask) -> None:
    """Refuse to start with the development (or no) secret key, with which anyone could sign a session; then apply
    the production cookie settings."""
    if app.config.get("SECRET_KEY") in (None, "", Config.SECRET_KEY):
        raise RuntimeError("PORTAL_PRODUCTION is set but PORTAL_SECRET_KEY is not: set it to a long random value.")
    app.config.from_object(Production)


def init_app(app: Flask) -> None:
    if app.config.get("PRODUCTION"):
        enforce_production(app)
    elif not app.debug and not app.testing and app.config["SECRET_KEY"] == Config.SECRET_KEY:
        app.logger.warning("PORTAL_SECRET_KEY is not set: sessions use the development key. Set it in production.")

    app.before_request(refuse_nul)

    @app.after_request
    def secure_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
