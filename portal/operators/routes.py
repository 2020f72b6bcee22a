"""Operator staff pages: their own operator's profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.guards import operator_required
from portal.operators import services
from portal.operators.forms import ProfileForm

bp = Blueprint("operators", __name__, url_prefix="/operator")


@bp.route("/profile", methods=["GET", "POST"])
@operator_required
def profile():
    operator = current_user.operator
    form = ProfileForm(
        obj=operator,
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
    return render_template("operators/profile.html", form=form, operator=operator)
