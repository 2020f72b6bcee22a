"""Account use cases: create users, check sign-ins with a throttle shared by all workers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal import clock
from portal.audit.services import record
from portal.auth.models import LoginAttempt, Role, User
from portal.errors import Conflict, InvalidInput
from portal.extensions import db
from portal.operators.models import Operator

MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, name: str, password: str, role: Role, *, operator: Operator | None = None, actor: User | None = None
) -> User:
    """Create an account; operator staff must name their operator, bureau accounts must not."""
    email = normalise_email(email)
    if (role is Role.OPERATOR) != (operator is not None):
        raise InvalidInput("Operator staff accounts belong to exactly one operator; bureau accounts to none.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password must have at least {n} characters.", n=MIN_PASSWORD_LENGTH)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with the e-mail {email} already exists.", email=email)
    user = User(email=email, name=name.strip() or email, role=role, operator=operator)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(
        actor,
        "user.create",
        "user",
        user.id,
        operator_id=operator.id if operator else None,
        after={"email": email, "role": role.value},
    )
    db.session.commit()
    return user


def is_throttled(email: str) -> bool:
    """Too many failed sign-ins for this account in the window: refuse without checking the password."""
    since = clock.utcnow() - THROTTLE_WINDOW
    failures = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.key == normalise_email(email),
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at >= since,
        )
    )
    return (failures or 0) >= MAX_FAILURES


def authenticate(email: str, password: str, remote_addr: str = "") -> User | None:
    """The active user with these credentials, or None; every attempt is recorded for the throttle."""
    key = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == key))
    ok = user is not None and user.is_active and user.check_password(password)
    db.session.add(LoginAttempt(key=key, remote_addr=remote_addr[:64], succeeded=ok))
    if ok:
        user.last_login_at = clock.utcnow()
        record(user, "user.login", "user", user.id)
    db.session.commit()
    return user if ok else None
