"""AuditEntry: one row per change, never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.extensions import db


class AuditEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_label: Mapped[str] = mapped_column(String(254))  # kept even if the account goes: "system", an email
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. "catalogue.line.update"
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Revision(db.Model):
    """A counter per topic ("govlist" ...), bumped in the transaction of every change of that topic.

    Anything derived from the topic's rows (the government list as the validator reads it, search results) can be
    cached under the counter's value by any worker, and is never served stale: a change moves the counter.
    """

    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[int] = mapped_column(default=0)
