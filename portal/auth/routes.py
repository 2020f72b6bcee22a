"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import links, services
from portal.auth.forms import LoginForm, SetPasswordForm
from portal.auth.models import LinkPurpose, Role
from portal.errors import PortalError
from portal.web.messages import error_message, flash_error
from portal.web.redirects import local_target

bp = Blueprint("auth", __name__)


HOMES = {Role.OPERATOR: "catalogue.dashboard", Role.REVIEWER: "review.queue", Role.ADMIN: "dashboard.index"}


def home_for(role: Role) -> str:
    """Where each role starts: staff on their catalogue, reviewers on their queue, administrators on the dashboard."""
    return url_for(HOMES.get(role, "public.index"))


@bp.before_app_request
def know_the_visitor_first() -> None:
    # Decide who a visitor without a session is before a page puts its CSRF token into a new session: Flask-Login's
    # "strong" protection would take that session (no identifier yet) for a stolen one and send a cookie clearing
    # remember_token with every anonymous form page. Without a session cookie this reads nothing from the database.
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        current_user._get_current_object()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data, request.remote_addr or "")
        except services.TooManyAttempts as error:
            flash_error(error)
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


@bp.route("/account/link/<token>", methods=["GET", "POST"])
def account_link(token: str):
    """A one-time link from an invitation or a password reset: choose a password, then signed in."""
    try:
        link = links.peek(token)
    except PortalError as error:
        return render_template("auth/link.html", form=None, problem=_(error.message)), 400
    if current_user.is_authenticated:
        logout_user()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = links.accept(token, form.password.data)
        except PortalError as error:
            return render_template("auth/link.html", form=None, problem=error_message(error)), 400
        login_user(user)
        flash(_("Your password is set. Welcome, %(name)s.", name=user.name), "success")
        return redirect(home_for(user.role))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "auth/link.html", form=form, user=link.user, invite=link.purpose is LinkPurpose.INVITE
    ), status
