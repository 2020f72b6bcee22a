"""Operator profile and the port areas it works in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db


class OperatorKind(enum.StrEnum):
    TERMINAL = "terminal"
    SHIPPING_LINE = "shipping_line"
    SHIPPING_AGENT = "shipping_agent"
    FORWARDER = "forwarder"
    CUSTOMS_BROKER = "customs_broker"
    WAREHOUSE = "warehouse"
    TALLY = "tally"
    INSPECTION = "inspection"
    OTHER = "other"


operator_port_area = Table(
    "operator_port_area",
    db.metadata,
    Column("operator_id", ForeignKey("operator.id", ondelete="CASCADE"), primary_key=True),
    Column("port_area_id", ForeignKey("port_area.id", ondelete="CASCADE"), primary_key=True),
)


class PortArea(db.Model):
    """A port area of the city's port (南沙港区 ...): the unit shippers search by."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_zh


class Operator(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OperatorKind] = mapped_column(
        db.Enum(OperatorKind, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
    )
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    complaint_phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A deactivated operator's staff cannot sign in; its published editions stay as published.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))  # a duplicate merged away
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=clock.utcnow, onupdate=clock.utcnow)

    port_areas: Mapped[list[PortArea]] = relationship(
        secondary=operator_port_area, order_by=PortArea.position, lazy="selectin"
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name_zh

    def __repr__(self) -> str:
        return f"<Operator {self.credit_code} {self.name_zh}>"


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class IdentityChangeRequest(db.Model):
    """An operator's request to change its legal name and/or credit code; the bureau approves or rejects it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    old_name_zh: Mapped[str] = mapped_column(String(200))
    old_credit_code: Mapped[str] = mapped_column(String(18))
    new_name_zh: Mapped[str] = mapped_column(String(200))
    new_credit_code: Mapped[str] = mapped_column(String(18))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        db.Enum(RequestStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=RequestStatus.PENDING,
        index=True,
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    operator: Mapped[Operator] = relationship(lazy="joined")

    @property
    def changes_name(self) -> bool:
        return self.new_name_zh != self.old_name_zh

    @property
    def changes_credit_code(self) -> bool:
        return self.new_credit_code != self.old_credit_code
