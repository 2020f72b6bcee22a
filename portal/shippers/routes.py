"""Shippers' pages (no sign-in; GET, so results can be shared and printed): compare a service, estimate a shipment."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal import clock
from portal.operators import services as operators
from portal.pricing.estimate import OPTIONAL_SERVICES, currencies, services_offered, side_by_side
from portal.shippers import queries as shippers
from portal.shippers.forms import CompareForm, EstimateForm
from portal.web.i18n import current_locale

bp = Blueprint("shippers", __name__)


def _area_choices() -> list[SelectChoice]:
    locale = current_locale()
    return [SelectChoice(area.name_zh, area.label(locale)) for area in operators.port_areas()]


@bp.get("/compare")
def compare():
    """One service across the operators of a port area, each from its edition in force on the date."""
    form = CompareForm(formdata=request.args)
    form.port.choices = [SelectChoice("", _("All port areas")), *_area_choices()]
    valid = form.validate()
    day = form.as_of.data or clock.today()  # None when the date did not parse (the field shows why)
    port = (form.port.data if valid else None) or None
    service = (form.service.data or "").strip() if valid else ""
    result = shippers.comparison(service, day, port, form.filters()) if service else None
    return render_template(
        "shippers/compare.html",
        form=form,
        result=result,
        service=service,
        names=shippers.service_names(day, port),
        day=day,
    )


@bp.get("/estimate")
def estimate():
    """A shipment priced at each chosen operator of a port area, side by side, every amount traced."""
    form = EstimateForm(formdata=request.args)
    areas = _area_choices()
    form.port.choices = areas
    if not form.port.data and areas:
        form.port.data = areas[0].value
    submitted = "count" in request.args  # the form always sends it; a link naming only the port shows the form
    valid = form.validate() if submitted else False
    day = form.as_of.data or clock.today()
    in_area = shippers.editions(day, form.port.data) if form.port.data else []
    locale = current_locale()
    form.operator.choices = [SelectChoice(e.operator_id, e.operator_name(locale)) for e in in_area]
    offered = services_offered(in_area)
    form.service.choices = [
        SelectChoice(s.code, f"{_(s.label)} ({'、'.join(offered[s.code])})")
        for s in OPTIONAL_SERVICES
        if s.code in offered
    ]
    wanted = set(form.operator.data or ())
    chosen = [e for e in in_area if e.operator_id in wanted] or in_area
    form.operator.data = [e.operator_id for e in chosen]
    results = shippers.shipment_estimate(chosen, form.shipment(), day) if valid and chosen else None
    return render_template(
        "shippers/estimate.html",
        form=form,
        results=results,
        rows=side_by_side(results) if results else (),
        currencies=currencies(results) if results else (),
        day=day,
    )
