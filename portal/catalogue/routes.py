"""Operator staff pages for their own catalogue: the dashboard of versions."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.auth.guards import operator_required
from portal.catalogue import services

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.get("/")
@operator_required
def dashboard():
    operator = current_user.operator
    return render_template(
        "catalogue/dashboard.html",
        operator=operator,
        versions=services.versions_of(operator),
        working=services.working_version(operator),
    )
