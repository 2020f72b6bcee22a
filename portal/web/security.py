"""Security headers on every response, and the production checks made at start-up."""

from __future__ import annotations

from flask import Flask, Response

from portal.config import Config

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    if not app.debug and not app.testing and app.config["SECRET_KEY"] == Config.SECRET_KEY:
        app.logger.warning("PORTAL_SECRET_KEY is not set: sessions use the development key. Set it in production.")

    @app.after_request
    def secure_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
