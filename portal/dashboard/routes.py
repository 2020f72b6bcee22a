"""The bureau's dashboard page."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal import clock
from portal.auth.guards import bureau_required
from portal.dashboard import services

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.get("/")
@bureau_required
def index():
    today = clock.today()
    return render_template(
        "dashboard/index.html",
        today=today,
        faulty=services.faulty_lists(),
        stale=services.stale_lists(today),
        without_list=services.without_list(today),
        by_status=services.complaints_by_status(),
        by_operator=services.complaints_by_operator(),
        fees=services.most_complained_fees(),
        levels=services.fee_levels(today),
    )
