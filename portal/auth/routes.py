"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import services
from portal.auth.forms import LoginForm
from portal.auth.models import Role
from portal.web.redirects import local_target

bp = Blueprint("auth", __name__)


def home_for(role: Role) -> str:
    if role is Role.OPERATOR:
        return url_for("catalogue.dashboard")
    return url_for("public.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        if services.is_throttled(form.email.data):
            flash(_("Too many failed sign-ins. Please wait 15 minutes and try again."), "error")
            return render_template("auth/login.html", form=form), 429
        user = services.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        return redirect(local_target(request.args.get("next"), home_for(user.role)))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))
