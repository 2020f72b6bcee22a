"""Public pages of the single window (no sign-in)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from portal.catalogue import services as catalogue
from portal.govlist import services as govlist
from portal.operators import services as operators
from portal.validation.dates import parse_date

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """Home: every registered operator by port area, with the edition of its list in force today."""
    today = date.today()
    areas = []
    for area in operators.port_areas():
        rows = []
        for operator in operators.all_operators():
            if area in operator.port_areas:
                rows.append((operator, catalogue.in_force(operator, today)))
        areas.append((area, rows))
    return render_template("public/index.html", areas=areas, today=today)


@bp.get("/government-list")
def government_list():
    """The government list (Class A) in force on a date, every row with its basis, source and verification status."""
    try:
        day = parse_date(request.args.get("as_of", "")) if request.args.get("as_of") else date.today()
    except ValueError:
        day = date.today()
    items = govlist.items_in_force(day)
    return render_template(
        "public/government_list.html",
        items=items,
        bundles=govlist.bundles_in_force(day),
        day=day,
        unverified=sum(1 for item in items if not item.verified),
    )
