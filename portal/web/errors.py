"""Map the services' domain errors and HTTP errors to pages in the user's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied, PortalError
from portal.web.messages import error_message

_STATUS = {NotFound: 404, PermissionDenied: 403, Conflict: 409, InvalidInput: 400}
_PAGES = {400, 403, 404, 409, 413, 429, 500}


def _render(status: int, message: str | None = None):
    template = f"errors/{status if status in _PAGES else 500}.html"
    if request.path.startswith("/api/") or request_ctx.url_adapter is None:
        # No URL adapter: the Host is not one of TRUSTED_HOSTS, so no page link can be built for it.
        return {"error": message or str(status), "status": status}, status
    return render_template(template, status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(PortalError)
    def domain_error(error: PortalError):
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
        return _render(status, error_message(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, gettext("The form has expired or was not sent from this site. Please reload the page."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, status = _render(error.code or 500)
        # What the error says in its headers stays: Allow on a 405, Retry-After on a 429 or 503.
        kept = [(name, value) for name, value in error.get_headers() if name in ("Allow", "Retry-After")]
        return body, status, kept
