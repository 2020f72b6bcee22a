"""Operator staff pages: their own operator's profile, and requests to change its legal name or credit code."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.guards import operator_required
from portal.errors import PortalError
from portal.operators import identity, services
from portal.operators.forms import IdentityRequestForm, ProfileForm
from portal.web.messages import flash_error

bp = Blueprint("operators", __name__, url_prefix="/operator")


@bp.route("/profile", methods=["GET", "POST"])
@operator_required
def profile():
    operator = current_user.operator
    # The stored values as the user wrote them: phones one per line, the port areas ticked (never `obj=`, whose
    # attributes would win over these and show the list as Python text).
    form = ProfileForm(
        name_en=operator.name_en or "",
        address=operator.address,
        website=operator.website,
        complaint_phones="\n".join(operator.complaint_phones),
        port_areas=[a.name_zh for a in operator.port_areas],
    )
    form.port_areas.choices = [SelectChoice(a.name_zh, a.name_zh) for a in services.port_areas()]
    if form.validate_on_submit():
        services.update_profile(
            operator,
            current_user,
            name_en=form.name_en.data,
            address=form.address.data or "",
            website=form.website.data or "",
            complaint_phones=form.phone_list(),
            port_areas=form.port_areas.data,
        )
        flash(_("Profile saved."), "success")
        return redirect(url_for("operators.profile"))
    return render_template(
        "operators/profile.html",
        form=form,
        operator=operator,
        pending=identity.pending_for(operator),
        requests=identity.history_of(operator),
    )


@bp.route("/identity", methods=["GET", "POST"])
@operator_required
def identity_request():
    """Ask the bureau to change the legal name or the credit code (a separate form from the profile)."""
    operator = current_user.operator
    form = IdentityRequestForm(name_zh=operator.name_zh, credit_code=operator.credit_code)
    status = 200
    if form.validate_on_submit():
        try:
            identity.request_change(
                operator,
                current_user,
                name_zh=form.name_zh.data,
                credit_code=form.credit_code.data,
                reason=form.reason.data,
            )
        except PortalError as error:
            flash_error(error)
            status = 400
        else:
            flash(
                _("Your request was sent to the bureau. The name and credit code change when it is approved."),
                "success",
            )
            return redirect(url_for("operators.profile"))
    elif form.is_submitted():
        status = 400
    return (
        render_template(
            "operators/identity.html", form=form, operator=operator, pending=identity.pending_for(operator)
        ),
        status,
    )
