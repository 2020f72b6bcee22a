"""Complaints about a charge, tied to the fee line and edition in force on the day; their history; filing attempts."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal import clock
from portal.auth.models import User
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.columns import Money
from portal.extensions import db
from portal.operators.models import Operator


class ComplaintStatus(enum.StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    AWAITING_OPERATOR = "awaiting_operator"
    ANSWERED = "answered"
    DECIDED = "decided"


class Decision(enum.StrEnum):
    SUBSTANTIATED = "substantiated"
    NOT_SUBSTANTIATED = "not_substantiated"
    REFERRED = "referred"


class EventKind(enum.StrEnum):
    FILED = "filed"
    ASSIGNED = "assigned"
    OPERATOR_ASKED = "operator_asked"
    OPERATOR_ANSWERED = "operator_answered"
    DECIDED = "decided"


def _enum(kind: type[enum.StrEnum], length: int):
    return db.Enum(kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Complaint(db.Model):
    __table_args__ = (Index("ix_complaint_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # TS-2026-483920
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    # The edition in force on the day charged (None: the operator had no published list then) and the line charged
    # (None: a fee that is not on that list).
    version_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_version.id"))
    fee_line_id: Mapped[int | None] = mapped_column(ForeignKey("fee_line.id"))
    fee_name: Mapped[str] = mapped_column(String(200))  # the line's name, or the name the complainant gave
    fee_key: Mapped[str] = mapped_column(String(200), index=True)  # canonical name: groups 文件费 with 单证费
    unlisted: Mapped[bool] = mapped_column(default=False)

    charged_on: Mapped[date]
    amount_charged: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(8), default="CNY")
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(32), default="")
    posted_amount: Mapped[Decimal | None] = mapped_column(Money)  # per unit, on the day; a range's maximum
    excess: Mapped[Decimal | None] = mapped_column(Money)  # charged - posted x quantity; None when not computable
    description: Mapped[str] = mapped_column(Text, default="")

    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")

    invoice: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    invoice_type: Mapped[str] = mapped_column(String(32))  # detected from the content: application/pdf ...
    invoice_size: Mapped[int]

    status: Mapped[ComplaintStatus] = mapped_column(_enum(ComplaintStatus, 20), default=ComplaintStatus.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    filed_at: Mapped[datetime] = mapped_column(default=clock.utcnow, index=True)
    due_on: Mapped[date]
    decision: Mapped[Decision | None] = mapped_column(_enum(Decision, 20))
    decision_text: Mapped[str] = mapped_column(Text, default="")  # to the complainant, shown on the status page
    outcome_summary: Mapped[str] = mapped_column(Text, default="")  # anonymised, published
    decided_at: Mapped[datetime | None]

    operator: Mapped[Operator] = relationship(lazy="joined")
    version: Mapped[CatalogueVersion | None] = relationship()
    fee_line: Mapped[FeeLineRecord | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )


class ComplaintEvent(db.Model):
    """One step of a complaint's handling: its status history, with the message that went with it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: the complainant
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, 20))
    status: Mapped[ComplaintStatus] = mapped_column(_enum(ComplaintStatus, 20))  # the status the step led to
    message: Mapped[str] = mapped_column(Text, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
