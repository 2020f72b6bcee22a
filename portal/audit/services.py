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


def record_activation(
    actor: Actor | None, subject_type: str, subject_id: object, active: bool, *, operator_id: int | None = None
) -> AuditEntry:
    """An account or an operator activated or deactivated: `<subject_type>.activate` or `.deactivate`, with the
    flag before and after."""
    return record(
        actor,
        f"{subject_type}.{'activate' if active else 'deactivate'}",
        subject_type,
        subject_id,
        operator_id=operator_id,
        before={"active": not active},
        after={"active": active},
    )
