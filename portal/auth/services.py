"""Account use cases: create users, check sign-ins with a throttle shared by all workers."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.audit.services import record
from portal.auth import throttle
from portal.auth.models import Role, User
from portal.errors import Conflict, InvalidInput, PortalError
from portal.extensions import db
from portal.operators.models import Operator
from portal.validation.findings import N_

MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


UNUSABLE_PASSWORD = "!"  # noqa: S105 - not a password: a hash no password matches (an invited account waits for its link)


def create_user(
    email: str,
    name: str,
    password: str | None,
    role: Role,
    *,
    operator: Operator | None = None,
    actor: User | None = None,
    action: str = "user.create",
    commit: bool = True,
) -> User:
    """Create an account (without a password: it waits for an invitation link); operator staff must name their
    operator, bureau accounts must not. The one path for the command line and the administration pages."""
    email = normalise_email(email)
    if (role is Role.OPERATOR) != (operator is not None):
        raise InvalidInput(N_("Operator staff accounts belong to exactly one operator; bureau accounts to none."))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("The password must have at least {n} characters."), n=MIN_PASSWORD_LENGTH)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(N_("An account with the e-mail {email} already exists."), email=email)
    user = User(email=email, name=name.strip() or email, role=role, operator=operator)
    if password is None:
        user.password_hash = UNUSABLE_PASSWORD
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(
        actor,
        action,
        "user",
        user.id,
        operator_id=operator.id if operator else None,
        after={"email": email, "role": role.value},
    )
    if commit:
        db.session.commit()
    return user


class TooManyAttempts(PortalError):
    """Sign-ins from this address or for this account are being slowed down: HTTP 429 with Retry-After."""


# The hash an unknown account's password is checked against, made once with the same method and cost as real ones:
# an unknown e-mail costs the same work as a known one, so the answer's timing does not tell who has an account.
_UNKNOWN_ACCOUNT_HASH = generate_password_hash(secrets.token_urlsafe(16))


def sign_in(email: str, password: str, remote_addr: str = "") -> User | None:
    """The active user with these credentials, or None; raises TooManyAttempts while this address or account has
    to wait (portal.auth.throttle)."""
    key = normalise_email(email)
    admission = throttle.admit(remote_addr, key)
    if not admission.admitted:
        raise TooManyAttempts(
            N_("Too many failed sign-ins. Please wait {seconds} seconds and try again."),
            seconds=admission.retry_after,
        )
    user = authenticate(key, password)
    if user is None:
        throttle.failed(admission, remote_addr, key)
        return None
    throttle.succeeded(admission, remote_addr, key)
    user.last_login_at = clock.utcnow()
    record(user, "user.login", "user", user.id)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same password-hash work whether the account exists."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_UNKNOWN_ACCOUNT_HASH, password)
        return None
    ok = user.check_password(password)
    return user if ok and user.is_active else None


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie issued before now stops working (server-side check)."""
    user.session_version += 1
    record(user, "user.logout", "user", user.id)
    db.session.commit()
