"""Account administration: invite by e-mail with a one-time link, change roles, deactivate, reset passwords.

Every change is audited in its own transaction; mail goes to the outbox in the same transaction, so a failed change
sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import record, record_activation
from portal.auth import links
from portal.auth.models import LinkPurpose, Role, User
from portal.auth.services import UNUSABLE_PASSWORD, create_user, normalise_email
from portal.errors import InvalidInput
from portal.extensions import db
from portal.mail import outbox
from portal.operators.models import Operator
from portal.validation.findings import N_


def all_users() -> Sequence[User]:
    return db.session.scalars(select(User).order_by(User.role, User.email)).all()


def _check_binding(role: Role, operator: Operator | None) -> None:
    if (role is Role.OPERATOR) != (operator is not None):
        raise InvalidInput(N_("Operator staff accounts belong to exactly one operator; bureau accounts to none."))


def link_url(token: str) -> str:
    """The link in the mail: from PUBLIC_BASE_URL when configured, never from the request's Host."""
    path = url_for("auth.account_link", token=token)
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + path if base else url_for("auth.account_link", token=token, _external=True)


def _mail_link(user: User, purpose: LinkPurpose, actor: User) -> None:
    url = link_url(links.issue(user, purpose, actor))
    with force_locale("zh_Hans_CN"):  # the portal's users read Chinese first; the English follows
        if purpose is LinkPurpose.INVITE:
            subject = _("Your account on the Guangzhou Port Fee Catalogue Portal")
            body = _("You have been given an account. Open this link within 7 days to choose your password:")
        else:
            subject = _("Set a new password for the Guangzhou Port Fee Catalogue Portal")
            body = _("An administrator reset your password. Open this link within 24 hours to choose a new one:")
    outbox.send(user.email, subject, f"{user.name}：\n\n{body}\n{url}\n", kind=purpose.value)


def invite(email: str, name: str, role: Role, operator: Operator | None, actor: User) -> User:
    """A new account without a password, and a mail with the link that sets it."""
    email = normalise_email(email)
    _check_binding(role, operator)
    user = create_user(email, name, None, role, operator=operator, actor=actor, action="user.invite", commit=False)
    _mail_link(user, LinkPurpose.INVITE, actor)
    db.session.commit()
    return user


def change_role(user: User, role: Role, operator: Operator | None, actor: User) -> None:
    _check_binding(role, operator)
    if user.id == actor.id and role is not Role.ADMIN:
        raise InvalidInput(N_("You cannot take the administrator role from your own account."))
    before = {"role": user.role.value, "operator_id": user.operator_id}
    user.role, user.operator = role, operator
    db.session.flush()
    after = {"role": role.value, "operator_id": user.operator_id}
    if after != before:
        record(actor, "user.role", "user", user.id, operator_id=user.operator_id, before=before, after=after)
    db.session.commit()


def set_active(user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise InvalidInput(N_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.session_version += 1  # its open sessions end at once
    record_activation(actor, "user", user.id, active, operator_id=user.operator_id)
    db.session.commit()


def reset_password(user: User, actor: User) -> None:
    """The old password stops working at once; the user sets a new one through the mailed link."""
    if not user.active:
        raise InvalidInput(N_("This account is deactivated."))
    user.password_hash = UNUSABLE_PASSWORD
    user.session_version += 1  # whoever is signed in with the old password is signed out
    _mail_link(user, LinkPurpose.RESET, actor)
    record(actor, "user.reset_password", "user", user.id, operator_id=user.operator_id)
    db.session.commit()
