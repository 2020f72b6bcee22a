"""One-time account links (invitation, password reset): a signed token naming a stored, single-use link.

The token is signed (itsdangerous) so a forged or altered one is refused before the database is asked; the row makes
it single use (marked used by one conditional UPDATE, so two requests racing with the same link cannot both win) and
lets a newer link, a deactivation or an expiry end it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update

from portal import clock
from portal.audit.services import record
from portal.auth.models import AccountLink, LinkPurpose, User
from portal.auth.services import MIN_PASSWORD_LENGTH
from portal.errors import InvalidInput
from portal.extensions import db
from portal.validation.findings import N_

LINK_LIFETIME = {LinkPurpose.INVITE: timedelta(days=7), LinkPurpose.RESET: timedelta(hours=24)}
SALT = "portal.account-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(user: User, purpose: LinkPurpose, created_by: User | None) -> str:
    """A new link for `user` (earlier unused links of the same purpose stop working); returns the token."""
    now = clock.utcnow()
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.purpose == purpose, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    nonce = secrets.token_urlsafe(24)
    link = AccountLink(
        user_id=user.id,
        purpose=purpose,
        nonce=nonce,
        created_by_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=now + LINK_LIFETIME[purpose],
    )
    db.session.add(link)
    db.session.flush()
    return _serializer().dumps({"l": link.id, "n": nonce})


def peek(token: str) -> AccountLink:
    """The link the token names, if it can still be used; else InvalidInput (nothing is marked)."""
    try:
        payload = _serializer().loads(token)
        link_id, nonce = int(payload["l"]), str(payload["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput(N_("This link is not valid.")) from None
    link = db.session.get(AccountLink, link_id)
    if link is None or not secrets.compare_digest(link.nonce, nonce):
        raise InvalidInput(N_("This link is not valid."))
    if link.used_at is not None:
        raise InvalidInput(N_("This link has already been used. Ask an administrator for a new one."))
    if link.expires_at <= clock.utcnow():
        raise InvalidInput(N_("This link has expired. Ask an administrator for a new one."))
    if not link.user.active:
        raise InvalidInput(N_("This account is deactivated."))
    return link


def consume(token: str) -> AccountLink:
    """Mark the link used (once: a second use, even a concurrent one, is refused). The caller commits."""
    link = peek(token)
    won = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None))
        .values(used_at=clock.utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise InvalidInput(N_("This link has already been used. Ask an administrator for a new one."))
    return link


def accept(token: str, password: str) -> User:
    """Set the password through a one-time link (invitation or reset); the link is then used up."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("The password must have at least {n} characters."), n=MIN_PASSWORD_LENGTH)
    link = consume(token)
    user = link.user
    user.set_password(password)
    record(user, f"user.{link.purpose.value}_accepted", "user", user.id, operator_id=user.operator_id)
    db.session.commit()
    return user
