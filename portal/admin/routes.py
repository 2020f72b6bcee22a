"""The administrators' area: /admin. Every page is for administrators only; every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal import clock
from portal.admin import accounts, forms
from portal.admin import operators as operator_admin
from portal.audit import queries
from portal.auth.guards import admin_required
from portal.auth.models import Role, User
from portal.errors import PortalError
from portal.extensions import db
from portal.mail import outbox
from portal.operators import identity
from portal.operators import services as operators
from portal.operators.models import IdentityChangeRequest, Operator, OperatorKind
from portal.web import audit_words
from portal.web.messages import flash_error

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _operator(operator_id: int) -> Operator:
    return db.session.get(Operator, operator_id) or abort(404)


def _confirmed(
    form: FlaskForm, action: Callable[[], object], done: Callable[[], str], back: str
) -> ResponseReturnValue:
    """A form that only confirms an action: a bad form is refused (400); the action's error, or `done()` once it
    has run, is flashed; then back to the page `back`."""
    if not form.validate_on_submit():
        abort(400)
    try:
        action()
    except PortalError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(done(), "success")
    return redirect(url_for(back))


def _switched(
    subject: User | Operator,
    set_active: Callable[[Any, bool, Any], object],
    activated: str,
    deactivated: str,
    back: str,
) -> ResponseReturnValue:
    """An account or an operator activated when it was not, deactivated when it was (one button, confirmed)."""
    return _confirmed(
        forms.ButtonForm(),
        lambda: set_active(subject, not subject.active, current_user),
        lambda: activated if subject.active else deactivated,
        back,
    )


def _operator_choices(blank: str | None = None) -> list[SelectChoice]:
    rows = [SelectChoice(str(o.id), f"{o.name_zh}（{o.credit_code}）") for o in operators.all_operators() if o.active]
    return ([SelectChoice(forms.NO_OPERATOR, blank)] if blank is not None else []) + rows


def _role_and_operator(form) -> tuple[Role, Operator | None]:  # noqa: ANN001 - InviteForm or RoleForm
    role = Role(form.role.data)
    operator = _operator(int(form.operator_id.data)) if form.operator_id.data else None
    return role, operator


@bp.get("/")
@admin_required
def index():
    return render_template(
        "admin/index.html",
        per_day=queries.per_day(queries.AuditFilter()),
        requests=identity.pending(),
        users=len(accounts.all_users()),
        operators=len(operators.all_operators()),
    )


# ---- Users ----------------------------------------------------------------------------------------------------------


def _users_page(invite: forms.InviteForm | None = None, status: int = 200):
    invite = invite or forms.InviteForm(formdata=None)
    invite.operator_id.choices = _operator_choices(_("— none (bureau staff) —"))
    users = accounts.all_users()
    role_forms = {}
    for user in users:
        form = forms.RoleForm(
            formdata=None, prefix=f"u{user.id}", role=user.role.value, operator_id=str(user.operator_id or "")
        )
        form.operator_id.choices = invite.operator_id.choices
        role_forms[user.id] = form
    return (
        render_template(
            "admin/users.html",
            users=users,
            invite=invite,
            role_forms=role_forms,
            button=forms.ButtonForm(),
            outbox=outbox.recent(),
        ),
        status,
    )


@bp.get("/users")
@admin_required
def users():
    return _users_page()


@bp.post("/users/invite")
@admin_required
def invite():
    form = forms.InviteForm()
    form.operator_id.choices = _operator_choices("")
    if not form.validate_on_submit():
        return _users_page(form, 400)
    try:
        role, operator = _role_and_operator(form)
        user = accounts.invite(form.email.data, form.name.data, role, operator, current_user)
    except PortalError as error:
        flash_error(error)
        return _users_page(form, 400)
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    user = _user(user_id)
    form = forms.RoleForm(prefix=f"u{user.id}")
    form.operator_id.choices = _operator_choices("")
    if not form.validate_on_submit():
        abort(400)
    try:
        role, operator = _role_and_operator(form)
        accounts.change_role(user, role, operator, current_user)
    except PortalError as error:
        flash_error(error)
        return redirect(url_for("admin.users"))
    flash(_("Role of %(email)s changed.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def user_active(user_id: int):
    user = _user(user_id)
    activated = _("Account %(email)s activated.", email=user.email)
    deactivated = _("Account %(email)s deactivated.", email=user.email)
    return _switched(user, accounts.set_active, activated, deactivated, "admin.users")


@bp.post("/users/<int:user_id>/reset")
@admin_required
def reset_password(user_id: int):
    user = _user(user_id)
    return _confirmed(
        forms.ButtonForm(),
        lambda: accounts.reset_password(user, current_user),
        lambda: _("The old password of %(email)s no longer works; a link to set a new one was sent.", email=user.email),
        "admin.users",
    )


# ---- Operators ------------------------------------------------------------------------------------------------------


def _operators_page(register: forms.RegisterOperatorForm | None = None, status: int = 200):
    register = register or forms.RegisterOperatorForm(formdata=None)
    register.port_areas.choices = [SelectChoice(a.name_zh, a.name_zh) for a in operators.port_areas()]
    merge = forms.MergeForm(formdata=None)
    merge.duplicate.choices = merge.survivor.choices = _operator_choices()
    everyone = operators.all_operators()
    return (
        render_template(
            "admin/operators.html",
            operators=everyone,
            counts=operator_admin.counts([o.id for o in everyone]),
            register=register,
            merge=merge,
            button=forms.ButtonForm(),
            kinds=forms.KIND_LABELS,
        ),
        status,
    )


@bp.get("/operators")
@admin_required
def operators_list():
    return _operators_page()


@bp.post("/operators")
@admin_required
def register_operator():
    form = forms.RegisterOperatorForm()
    form.port_areas.choices = [SelectChoice(a.name_zh, a.name_zh) for a in operators.port_areas()]
    if not form.validate_on_submit():
        return _operators_page(form, 400)
    try:
        operator = operators.register_operator(
            credit_code=form.credit_code.data,
            name_zh=form.name_zh.data,
            name_en=form.name_en.data,
            kind=OperatorKind(form.kind.data),
            port_area_names=form.port_areas.data,
            address=form.address.data or "",
            complaint_phones=form.phone_list(),
            actor=current_user,
        )
    except PortalError as error:
        db.session.rollback()
        flash_error(error)
        return _operators_page(form, 400)
    flash(_("Operator %(name)s registered.", name=operator.name_zh), "success")
    return redirect(url_for("admin.operators_list"))


@bp.post("/operators/<int:operator_id>/active")
@admin_required
def operator_active(operator_id: int):
    operator = _operator(operator_id)
    activated = _("Operator %(name)s activated.", name=operator.name_zh)
    deactivated = _("Operator %(name)s deactivated; its staff can no longer sign in.", name=operator.name_zh)
    return _switched(operator, operator_admin.set_active, activated, deactivated, "admin.operators_list")


@bp.post("/operators/merge")
@admin_required
def merge_operators():
    form = forms.MergeForm()
    form.duplicate.choices = form.survivor.choices = _operator_choices()
    if not form.validate_on_submit():
        abort(400)
    duplicate, survivor = _operator(int(form.duplicate.data)), _operator(int(form.survivor.data))
    try:
        moved = operator_admin.merge(duplicate, survivor, current_user)
    except PortalError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("admin.operators_list"))
    flash(
        _(
            "Merged: %(catalogues)s fee list(s), %(users)s account(s), %(complaints)s complaint(s) moved to %(name)s.",
            name=survivor.name_zh,
            **{k: moved[k] for k in ("catalogues", "users", "complaints")},
        ),
        "success",
    )
    return redirect(url_for("admin.operators_list"))


# ---- Identity change requests ---------------------------------------------------------------------------------------


def _request(request_id: int) -> IdentityChangeRequest:
    return db.session.get(IdentityChangeRequest, request_id) or abort(404)


@bp.get("/requests")
@admin_required
def requests():
    decided = db.session.scalars(
        select(IdentityChangeRequest)
        .where(IdentityChangeRequest.status != "pending")
        .order_by(IdentityChangeRequest.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "admin/requests.html", pending=identity.pending(), decided=decided, form=forms.DecisionForm()
    )


@bp.post("/requests/<int:request_id>/approve")
@admin_required
def approve_request(request_id: int):
    change = _request(request_id)
    form = forms.DecisionForm()
    return _confirmed(
        form,
        lambda: identity.approve(change, current_user, form.note.data or ""),
        lambda: _(
            "Approved: the operator is now %(name)s (%(code)s).", name=change.new_name_zh, code=change.new_credit_code
        ),
        "admin.requests",
    )


@bp.post("/requests/<int:request_id>/reject")
@admin_required
def reject_request(request_id: int):
    change = _request(request_id)
    form = forms.DecisionForm()
    return _confirmed(
        form,
        lambda: identity.reject(change, current_user, form.note.data or ""),
        lambda: _("Request rejected."),
        "admin.requests",
    )


# ---- Audit log ------------------------------------------------------------------------------------------------------


def _audit_filter() -> tuple[forms.AuditFilterForm, queries.AuditFilter]:
    form = forms.AuditFilterForm(request.args)
    form.operator.choices = [
        SelectChoice("", _("any")),
        *(SelectChoice(str(o.id), o.name_zh) for o in operators.all_operators()),
    ]
    form.action.choices = [
        SelectChoice("", _("any")),
        *(SelectChoice(a, audit_words.action(a)) for a in queries.actions()),
    ]
    form.validate()
    operator = form.operator.data if (form.operator.data or "").isdigit() else None
    since = form.since.data if isinstance(form.since.data, date) and not form.since.errors else None
    until = form.until.data if isinstance(form.until.data, date) and not form.until.errors else None
    where = queries.AuditFilter(
        actor=(form.actor.data or "")[:254],
        operator_id=int(operator) if operator else None,
        action=form.action.data or "",
        since=since,
        until=until,
    )
    return form, where


@bp.get("/audit")
@admin_required
def audit():
    form, where = _audit_filter()
    number = request.args.get("page", 1, type=int) or 1
    if not 1 <= number <= 100_000:
        abort(400)
    rows, pages = queries.page(where, number)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        page=number,
        pages=pages,
        args=args,
        per_day=queries.per_day(where),
        words=audit_words,
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    _form, where = _audit_filter()
    name = f"audit-{clock.today().isoformat()}.csv"
    return Response(
        stream_with_context(queries.csv_rows(where)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
