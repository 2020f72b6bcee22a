"""The bureau's review: a decision per submitted version, and the re-validation of editions after list changes."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.auth.models import User
from portal.catalogue.models import CatalogueVersion
from portal.extensions import db
from portal.operators.models import Operator


class Decision(enum.StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class ReviewDecision(db.Model):
    """What a reviewer decided on a version, with the general comment and the comments per line."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[Decision] = mapped_column(
        db.Enum(Decision, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    # [{"key", "position", "item", "conditions", "mark", "comment"}, ...] in the order of the diff
    line_comments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    version: Mapped[CatalogueVersion] = relationship()
    reviewer: Mapped[User | None] = relationship()


class RevalidationRun(db.Model):
    """One re-check of every edition in force against the government list, after the list changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")  # the change that caused it
    as_of: Mapped[date]
    editions: Mapped[int] = mapped_column(default=0)
    non_compliant: Mapped[int] = mapped_column(default=0)

    actor: Mapped[User | None] = relationship()
    results: Mapped[list[RevalidationResult]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RevalidationResult.id"
    )


class RevalidationResult(db.Model):
    """One edition's errors now, beside the errors it had when it was last checked before publication."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("revalidation_run.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    edition_code: Mapped[str] = mapped_column(String(48))
    errors: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[int] = mapped_column(default=0)
    errors_before: Mapped[int] = mapped_column(default=0)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list
    )  # the errors, as stored reports hold them

    run: Mapped[RevalidationRun] = relationship(back_populates="results")
    operator: Mapped[Operator] = relationship()

    @property
    def newly_non_compliant(self) -> bool:
        return self.errors > self.errors_before
