"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, session, url_for
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
        try:
            user = services.sign_in(form.email.data, form.password.data, request.remote_addr or "")
        except services.TooManyAttempts as error:
            flash(_(error.message).format(**error.params), "error")
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(error.params["seconds"])
            return response
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
            return render_template("auth/login.html", form=form), 401
        # A new CSRF token for the signed-in session: one seen before sign-in (on a shared computer, in a page
        # left open) is no use afterwards.
        session.pop("csrf_token", None)
        g.pop("csrf_token", None)
        login_user(user)
        return redirect(local_target(request.args.get("next"), home_for(user.role)))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user)  # every copy of this session cookie stops working, not just this browser's
    logout_user()
    language = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)
    if language:
        session["lang"] = language
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))
