"""Complaint pages: filing and following (public), the bureau's queue and decisions, the operator's answers."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms import SelectChoice

from portal import clock, counters
from portal.auth.guards import bureau_required, operator_required
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.complaints import antibot, services
from portal.complaints.forms import (
    OTHER,
    AnswerForm,
    AskForm,
    AssignForm,
    ComplaintForm,
    DecideForm,
    StartForm,
    StatusForm,
)
from portal.complaints.models import Complaint, ComplaintStatus, Decision
from portal.complaints.workdays import parse_holidays
from portal.errors import Conflict, InvalidInput
from portal.extensions import db
from portal.holding import services as holding
from portal.operators.models import Operator
from portal.operators.services import all_operators, get_operator
from portal.web.i18n import current_locale
from portal.web.messages import error_message, flash_error

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

# Fields a link may fill in (a fee line's "complain about this charge", the invoice check's evidence), with the
# most characters taken from each; the complainant still checks them, attaches the invoice and sends the form.
PREFILL = {
    "fee_line": 12,
    "other_name": 200,
    "amount": 32,
    "currency": 3,
    "quantity": 16,
    "unit": 32,
    "description": 4000,
}
FILED = "complaint_filed"  # session key: the reference just filed, for the confirmation page
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def _config(key: str, default: Any) -> Any:
    return current_app.config.get(f"COMPLAINT_{key}", default)


def _holidays() -> frozenset[date]:
    return parse_holidays(_config("HOLIDAYS", ()))


def _too_many(message: str):
    return render_template("errors/429.html", status=429, message=message), 429


def _client_keys() -> list[str]:
    return services.rate_keys(request.remote_addr or "")


# ---- Filing (public) ----------------------------------------------------------------------------------------------


def _line_label(line: FeeLineRecord) -> str:
    parts = [line.name, line.conditions, f"{line.standard} {line.unit}".strip()]
    return " · ".join(p for p in parts if p)


def _fee_choices(form: ComplaintForm, operator: Operator, day: date) -> CatalogueVersion | None:
    """Offer the lines of the edition in force on `day`, and "a fee that is not on the list"."""
    version, lines = services.lines_charged_on(operator, day)
    form.fee_line.choices = [
        SelectChoice("", "—"),
        *(SelectChoice(str(line.id), _line_label(line)) for line in lines),
        SelectChoice(OTHER, gettext("A fee that is not on the list")),
    ]
    return version


def _details(form: ComplaintForm, operator: Operator, day: date, status: int = 200):
    """Step 2: the fee charged and the evidence, with a fresh anti-bot challenge."""
    version = _fee_choices(form, operator, day)
    challenge = antibot.new_challenge(current_app.config["SECRET_KEY"])
    form.token.data = challenge.token
    form.answer.data = ""
    form.website.data = ""
    return (
        render_template(
            "complaints/new.html",
            form=form,
            operator=operator,
            day=day,
            version=version,
            question=challenge.question,
            held=holding.find(HELD_INVOICE, form.held_invoice.data or ""),
        ),
        status,
    )


@bp.get("/new")
def new():
    """Step 1 (operator and date), then step 2 (the fee charged and the evidence) once both are chosen."""
    start = StartForm(formdata=request.args or None)
    start.operator_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(o.id), o.name(current_locale())) for o in all_operators()
    ]
    if request.args and start.validate():
        operator = get_operator(int(start.operator_id.data))
        day = start.charged_on.data
        prefilled = {key: request.args.get(key, "")[:limit] for key, limit in PREFILL.items() if request.args.get(key)}
        form = ComplaintForm(data={**prefilled, "operator_id": str(operator.id), "charged_on": day.isoformat()})
        return _details(form, operator, day)
    return render_template("complaints/start.html", form=start), 400 if request.args else 200


HELD_INVOICE = "complaint-invoice"


def _sent_invoice(form: ComplaintForm, max_bytes: int) -> tuple[bytes | None, str]:
    """The invoice of this request: a file chosen now, else the one held from the previous try (if still held)."""
    upload = form.invoice.data
    if upload is not None and getattr(upload, "filename", ""):
        return upload.read(max_bytes + 1), upload.filename
    held = holding.find(HELD_INVOICE, form.held_invoice.data or "")
    return (held.data, held.filename) if held is not None else (None, "")


def _keep_invoice(form: ComplaintForm, invoice: bytes | None, filename: str, max_bytes: int) -> None:
    """Hold the invoice while the form is asked again, so the complainant need not choose it once more."""
    if invoice is None or len(invoice) > max_bytes:
        form.held_invoice.data = ""
        return
    previous = holding.find(HELD_INVOICE, form.held_invoice.data or "")
    if previous is not None and previous.data == invoice:
        return
    form.held_invoice.data = holding.hold(HELD_INVOICE, invoice, filename).key
    db.session.commit()


def _spend_challenge(nonce: str) -> bool:
    """Mark a challenge used in the shared store (kept as long as a token lives); True the first time only."""
    return counters.incr(f"challenge/{nonce}", _config("MAX_SECONDS", 2 * 60 * 60) + 60) == 1


@bp.post("/new")
def file():
    form = ComplaintForm()
    try:
        operator = get_operator(int(form.operator_id.data or ""))
        day = date.fromisoformat(form.charged_on.data or "")
    except ValueError:
        abort(400)
    limit = _config("RATE_LIMIT", services.RATE_LIMIT)
    window = timedelta(seconds=_config("RATE_WINDOW_SECONDS", services.RATE_WINDOW.total_seconds()))
    if services.is_rate_limited(_client_keys(), limit=limit, window=window):
        return _too_many(gettext("Too many complaints from you in the last hour. Please try again later."))
    max_bytes = _config("INVOICE_MAX_BYTES", services.INVOICE_MAX_BYTES)
    invoice, invoice_name = _sent_invoice(form, max_bytes)
    if (form.website.data or "").strip():
        services.note_attempt(_client_keys(), limit=limit, window=window)
        flash(gettext("The complaint could not be accepted. Please try again."), "error")
        return _details(form, operator, day, 400)
    refusal = antibot.check(
        current_app.config["SECRET_KEY"],
        form.token.data or "",
        form.answer.data or "",
        min_seconds=_config("MIN_SECONDS", 3),
        max_seconds=_config("MAX_SECONDS", 2 * 60 * 60),
        spend=_spend_challenge,
    )
    if refusal in (antibot.Refusal.INVALID, antibot.Refusal.TOO_FAST, antibot.Refusal.EXPIRED, antibot.Refusal.USED):
        services.note_attempt(_client_keys(), limit=limit, window=window)
        messages = {
            antibot.Refusal.INVALID: gettext("The form could not be verified. Please send it again."),
            antibot.Refusal.TOO_FAST: gettext("The form was sent too quickly. Please check it and send it again."),
            antibot.Refusal.EXPIRED: gettext("The form has expired. Please check it and send it again."),
            antibot.Refusal.USED: gettext("This form was already sent once. Please check it and send it again."),
        }
        flash(messages[refusal], "error")
        _keep_invoice(form, invoice, invoice_name, max_bytes)
        return _details(form, operator, day, 400)
    _fee_choices(form, operator, day)
    valid = form.validate_on_submit()
    if refusal is antibot.Refusal.WRONG_ANSWER and not form.answer.errors:
        form.answer.errors = [*form.answer.errors, gettext("That is not the right answer.")]
        valid = False
    if invoice is None:
        form.invoice.errors = [*form.invoice.errors, gettext("Attach the invoice.")]
        valid = False
    if not valid:
        _keep_invoice(form, invoice, invoice_name, max_bytes)
        return _details(form, operator, day, 400)
    filing = services.Filing(
        operator_id=operator.id,
        charged_on=day,
        fee_line_id=None if form.fee_line.data == OTHER else int(form.fee_line.data),
        fee_name=form.other_name.data or "",
        amount=form.amount_value(),
        currency=form.currency.data,
        quantity=form.quantity_value(),
        unit=form.unit.data or "",
        description=form.description.data,
        contact_name=form.contact_name.data,
        contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "",
        invoice=invoice,
        remote_addr=request.remote_addr or "",
    )
    try:
        complaint = services.file_complaint(
            filing, holidays=_holidays(), limit=limit, window=window, max_bytes=max_bytes
        )
    except services.TooManyFilings as error:
        return _too_many(error_message(error))
    except InvalidInput as error:
        field = getattr(form, str(error.params.get("field", "")), None)
        if field is None:
            flash_error(error)
        else:
            field.errors = [*field.errors, error_message(error)]
        if field is not form.invoice:
            _keep_invoice(form, invoice, invoice_name, max_bytes)
        return _details(form, operator, day, 400)
    held = holding.find(HELD_INVOICE, form.held_invoice.data or "")
    if held is not None:
        holding.release(held)
        db.session.commit()
    session[FILED] = complaint.reference
    return redirect(url_for("complaints.filed"))


@bp.get("/filed")
def filed():
    """The confirmation: reference number, the price posted that day and the excess, or the unlisted flag."""
    reference = session.get(FILED)
    if not reference:
        return redirect(url_for("complaints.status"))
    return render_template("complaints/filed.html", complaint=services.by_reference(reference))


@bp.route("/status", methods=["GET", "POST"])
def status():
    """Follow a complaint: the reference and the contact given must both match."""
    form = StatusForm()
    if not form.validate_on_submit():
        return render_template("complaints/status.html", form=form, complaint=None), 400 if form.errors else 200
    keys = _client_keys()
    window = timedelta(seconds=_config("RATE_WINDOW_SECONDS", services.RATE_WINDOW.total_seconds()))
    limits = {"limit": _config("LOOKUP_LIMIT", services.LOOKUP_LIMIT), "window": window, "kind": "lookup"}
    if services.is_rate_limited(keys, **limits):
        return _too_many(gettext("Too many look-ups that matched nothing. Please try again later."))
    complaint = services.lookup(form.reference.data, form.contact.data)
    if complaint is None:
        services.note_attempt(keys, **limits)
        flash(gettext("No complaint matches this reference number and contact."), "error")
        return render_template("complaints/status.html", form=form, complaint=None), 404
    return render_template("complaints/status.html", form=form, complaint=complaint)


@bp.get("/outcomes")
def outcomes():
    """Decided complaints, anonymised: operator, fee, decision, date and the bureau's summary."""
    return render_template("complaints/outcomes.html", outcomes=services.outcomes())


# ---- Bureau -------------------------------------------------------------------------------------------------------


@bp.get("/")
@bureau_required
def queue():
    chosen = request.args.get("status", "")
    status_filter = ComplaintStatus(chosen) if chosen in set(ComplaintStatus) else None
    today, holidays = clock.today(), _holidays()
    rows = [(c, services.deadline(c, today, holidays)) for c in services.queue(status_filter)]
    return render_template("complaints/queue.html", rows=rows, counts=services.counts_by_status(), chosen=status_filter)


def _detail(complaint: Complaint, status: int = 200, **forms: Any):
    assign_form = forms.get("assign_form") or AssignForm(assignee_id=str(complaint.assignee_id or current_user.id))
    assign_form.assignee_id.choices = [SelectChoice(str(u.id), u.name) for u in services.bureau_staff()]
    return (
        render_template(
            "complaints/detail.html",
            complaint=complaint,
            deadline=services.deadline(complaint, clock.today(), _holidays()),
            assign_form=assign_form,
            ask_form=forms.get("ask_form") or AskForm(),
            decide_form=forms.get("decide_form") or DecideForm(),
        ),
        status,
    )


@bp.get("/<int:complaint_id>")
@bureau_required
def detail(complaint_id: int):
    return _detail(services.get_complaint(complaint_id, current_user))


@bp.get("/<int:complaint_id>/invoice")
@bureau_required
def invoice(complaint_id: int):
    """The invoice as filed, always as a download of its detected type (never rendered inline)."""
    complaint = services.get_complaint(complaint_id, current_user)
    return send_file(
        io.BytesIO(complaint.invoice),
        mimetype=complaint.invoice_type,
        as_attachment=True,
        download_name=f"{complaint.reference}-invoice.{EXTENSIONS.get(complaint.invoice_type, 'bin')}",
    )


def _act(complaint: Complaint, done: str, action) -> Any:
    try:
        action()
    except (Conflict, InvalidInput) as error:
        flash_error(error)
        return _detail(complaint, 409 if isinstance(error, Conflict) else 400)
    flash(done, "success")
    return redirect(url_for("complaints.detail", complaint_id=complaint.id))


@bp.post("/<int:complaint_id>/assign")
@bureau_required
def assign(complaint_id: int):
    complaint = services.get_complaint(complaint_id, current_user)
    form = AssignForm()
    form.assignee_id.choices = [SelectChoice(str(u.id), u.name) for u in services.bureau_staff()]
    if not form.validate_on_submit():
        return _detail(complaint, 400, assign_form=form)
    return _act(
        complaint,
        gettext("The complaint is assigned."),
        lambda: services.assign(complaint, int(form.assignee_id.data), current_user),
    )


@bp.post("/<int:complaint_id>/ask")
@bureau_required
def ask(complaint_id: int):
    complaint = services.get_complaint(complaint_id, current_user)
    form = AskForm()
    if not form.validate_on_submit():
        return _detail(complaint, 400, ask_form=form)
    return _act(
        complaint,
        gettext("The operator has been asked to respond."),
        lambda: services.ask_operator(complaint, form.message.data, current_user),
    )


@bp.post("/<int:complaint_id>/decide")
@bureau_required
def decide(complaint_id: int):
    complaint = services.get_complaint(complaint_id, current_user)
    form = DecideForm()
    if not form.validate_on_submit():
        return _detail(complaint, 400, decide_form=form)
    return _act(
        complaint,
        gettext("The decision is recorded and published."),
        lambda: services.decide(
            complaint, Decision(form.decision.data), form.decision_text.data, form.outcome_summary.data, current_user
        ),
    )


# ---- Operator staff -----------------------------------------------------------------------------------------------


@bp.get("/operator")
@operator_required
def operator_list():
    return render_template("complaints/operator_list.html", complaints=services.operator_complaints(current_user))


@bp.route("/operator/<int:complaint_id>", methods=["GET", "POST"])
@operator_required
def operator_detail(complaint_id: int):
    """A complaint about the staff member's own operator, and the answer the bureau asked for."""
    complaint = services.operator_complaint(complaint_id, current_user)
    form = AnswerForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.answer(complaint, form.message.data, current_user)
        except Conflict as error:
            flash_error(error)
            status = 409
        else:
            flash(gettext("Your response has been sent to the bureau."), "success")
            return redirect(url_for("complaints.operator_detail", complaint_id=complaint.id))
    elif form.is_submitted():
        status = 400
    return (
        render_template(
            "complaints/operator_detail.html",
            complaint=complaint,
            exchanges=services.questions_and_answers(complaint),
            form=form,
        ),
        status,
    )
