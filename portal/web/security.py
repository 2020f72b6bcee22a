"""Security headers on every response, NUL characters refused in any input, and the production checks at start-up."""

from __future__ import annotations

from flask import Flask, Response, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import Config, Production
from portal.errors import InvalidInput
from portal.validation.findings import N_

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
NUL = "\x00"
MIN_SECRET_KEY_BYTES = 32  # 256 bits: what `secrets.token_hex(32)` gives (64 characters)


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
    key = app.config.get("SECRET_KEY") or ""
    if key == Config.SECRET_KEY or len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(
            f"PORTAL_PRODUCTION is set but PORTAL_SECRET_KEY is missing, the development key or shorter than "
            f"{MIN_SECRET_KEY_BYTES} bytes: anyone could forge a session. Make one with "
            f'`python -c "import secrets; print(secrets.token_hex(32))"` and set PORTAL_SECRET_KEY to it.'
        )
    app.config.from_object(Production)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from the X-Forwarded-For and
    X-Forwarded-Proto headers they add (that many hops from the right; anything further left is the client's own
    claim and ignored). Without it every visitor would share the proxy's address, and so one rate limit. The Host
    is never taken from a header: links are built from PUBLIC_BASE_URL (web.links)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def init_app(app: Flask) -> None:
    trust_proxies(app)
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
        if "_user_id" in session:  # read only: an anonymous visitor's session is neither created nor touched
            # A signed-in page is for this person only: no proxy or browser history may keep it.
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
