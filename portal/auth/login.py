"""Flask-Login wiring: load the user of a session, send anonymous users to the sign-in page."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None  # deactivation ends sessions already open


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
