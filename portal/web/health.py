"""Probes for load balancers and orchestrators: `/healthz` (the process serves) and `/readyz` (the database answers).

Neither renders a template nor touches the session, so a probe never gets a cookie, and neither needs a CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import csrf, db

bp = Blueprint("health", __name__)


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the worker answers. No database access, so a slow database does not get workers restarted."""
    return _plain("ok", 200)


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: the database answers a trivial query; 503 takes the instance out of rotation until it does."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("readiness check failed: %s", error.__class__.__name__)
        return _plain("database unavailable", 503)
    return _plain("ok", 200)


def init_app(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
