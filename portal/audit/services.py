"""Record audit entries inside the caller's transaction (the caller commits)."""

from __future__ import annotations

from typing import Any, Protocol

from portal.audit.models import AuditEntry
from portal.extensions import db


class Actor(Protocol):
    id: int
    email: str


def is_bureau_staff(actor: object) -> bool:
    """The one "is bureau staff" check of services: a signed-in reviewer or administrator (`User.is_bureau`).

    It lives here, beside `Actor`, because services of every layer ask it (operators sit below auth)."""
    return bool(getattr(actor, "is_bureau", False))


def record(
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: object,
    *,
    operator_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit row to the session; it is written by the same commit as the change it describes."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "system",
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        operator_id=operator_id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
