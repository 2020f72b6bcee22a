"""Flask-Login wiring: load the user of a session, send anonymous users to the sign-in page."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session "<id>:<generation>", only while the generation is the user's current one."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 12 or len(version) > 12:
        return None
    user = db.session.get(User, int(user_id))
    # deactivation (of the account or its operator) ends sessions already open
    ok = user is not None and user.session_version == int(version) and user.is_active
    return user if ok else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
