"""Shippers' pages (no sign-in; GET, so results can be shared and printed): compare a service, estimate a shipment."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal import clock
from portal.errors import InvalidInput
from portal.operators import services as operators
from portal.pricing import invoice as checking
from portal.pricing.estimate import OPTIONAL_SERVICES, currencies, services_offered, side_by_side
from portal.pricing.invoice import Mark
from portal.shippers import invoice as invoices
from portal.shippers import queries as shippers
from portal.shippers.forms import CompareForm, EstimateForm, InvoiceForm
from portal.web.i18n import current_locale
from portal.web.limits import limiter
from portal.web.messages import error_message

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
    ), 400 if submitted and not valid else 200


TYPED_ROWS = 8  # rows of the page's form; a longer invoice is uploaded
TYPED_FIELDS = ("operator", "charged_on", "fee_name", "quantity", "amount")
INVOICE_LIMIT = "30/hour"


def _max_bytes() -> int:
    return int(current_app.config.get("INVOICE_CHECK_MAX_BYTES", invoices.MAX_BYTES))


def _typed() -> list[dict[str, str]]:
    """The charges typed into the page's rows, as written (kept on the page when something needs correcting)."""
    return [
        {name: request.form.get(f"{name}-{n}", "").strip()[:200] for name in TYPED_FIELDS} for n in range(TYPED_ROWS)
    ]


def _complaint_link(item: checking.Checked) -> str | None:
    """The complaint form prefilled with a flagged charge's evidence (the visitor still attaches the invoice)."""
    operator = invoices.operator_of(item)
    if operator is None or not item.flagged:
        return None
    charge = item.charge
    line = invoices.line_id(item) if item.mark is Mark.ABOVE else None
    args = {
        "operator_id": operator.id,
        "charged_on": charge.charged_on.isoformat(),
        "fee_line": str(line) if line else "other",
        "other_name": None if line else charge.fee_name,
        "amount": str(charge.amount),
        "currency": charge.currency,
        "quantity": str(charge.quantity),
        "description": invoices.evidence(item),
    }
    return url_for("complaints.new", **{k: v for k, v in args.items() if v is not None})


@bp.get("/invoice")
def invoice():
    """The invoice check: type or upload the charges on an invoice (nothing is stored)."""
    return render_template("shippers/invoice.html", form=InvoiceForm(), typed=_typed(), result=None, errors=())


@bp.post("/invoice")
@limiter.limit(INVOICE_LIMIT)
def check_invoice():
    """Each charge matched to the list in force on its day; flagged charges link to a prefilled complaint."""
    form = InvoiceForm()
    typed = _typed()
    if not form.validate_on_submit():
        return render_template("shippers/invoice.html", form=form, typed=typed, result=None, errors=()), 400
    upload = form.invoice.data
    today = clock.today()
    try:
        if upload and upload.filename:
            try:
                data = upload.read(_max_bytes() + 1)
            finally:
                upload.close()
            sheet = invoices.read_upload(data, upload.filename, max_bytes=_max_bytes())
            charges, errors = checking.read_rows(sheet.rows, sheet.columns, today)
        else:
            columns = {name: n for n, name in enumerate(TYPED_FIELDS)}
            rows = [(n, [row[name] for name in TYPED_FIELDS]) for n, row in enumerate(typed, start=1)]
            charges, errors = checking.read_rows(rows, columns, today, letters=False)
    except InvalidInput as error:
        message = error_message(error)
        return render_template(
            "shippers/invoice.html", form=form, typed=typed, result=None, errors=(), refused=message
        ), 400
    if errors:
        located = [(e, invoices.error_text(e), invoices.field_label(e.field) if e.field else "") for e in errors]
        return render_template("shippers/invoice.html", form=form, typed=typed, result=None, errors=located), 400
    result = invoices.check(charges)
    links = {item.charge.row: _complaint_link(item) for item in result.checked}
    return render_template(
        "shippers/invoice.html", form=form, typed=typed, result=result, errors=(), links=links, uploaded=bool(upload)
    )
