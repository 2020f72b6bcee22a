"""Catalogue -> versions (the lifecycle) -> fee lines in the prescribed format.

A line keeps what the operator wrote (raw text, as the validator reads it) beside the values parsed from it
(exact amounts, normalised conditions), which search, comparison and estimates use.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.columns import Money
from portal.extensions import db
from portal.operators.models import Operator


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"  # approved: an immutable edition
    SUPERSEDED = "superseded"  # a later edition took effect

    @property
    def editable(self) -> bool:
        return self in (VersionStatus.DRAFT, VersionStatus.CHANGES_REQUESTED)


class Catalogue(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    operator: Mapped[Operator] = relationship(lazy="joined")
    versions: Mapped[list[CatalogueVersion]] = relationship(
        back_populates="catalogue", order_by="CatalogueVersion.number", cascade="all, delete-orphan"
    )


class CatalogueVersion(db.Model):
    __table_args__ = (
        UniqueConstraint("catalogue_id", "number", name="uq_catalogue_version_number"),
        Index("ix_catalogue_version_status_effective", "status", "effective_from"),
        # The in-force test looks for a later published version of the same catalogue, for every version.
        Index("ix_catalogue_version_catalogue_status", "catalogue_id", "status", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("catalogue.id"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        db.Enum(VersionStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=VersionStatus.DRAFT,
    )
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_version.id"))
    # Optimistic lock: every change to the version or its lines bumps it; a stale save is a conflict.
    lock_version: Mapped[int] = mapped_column(default=1)

    # Header block as written (raw text) ...
    # Who publishes: a draft's are always the operator's record (never what was typed or uploaded); publication
    # freezes them, with the English name and the complaint phone, so a later profile change never rewrites an edition.
    operator_name: Mapped[str] = mapped_column(String(200), default="")
    operator_name_en: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(32), default="")
    port_area: Mapped[str] = mapped_column(String(200), default="")
    complaint_phone: Mapped[str] = mapped_column(String(200), default="")
    effective_date_text: Mapped[str] = mapped_column(String(32), default="")
    updated_date_text: Mapped[str] = mapped_column(String(32), default="")
    # ... and parsed: the date the version takes effect once published (future = scheduled).
    effective_from: Mapped[date | None]

    source: Mapped[str] = mapped_column(String(16), default="form")  # form, upload, demo
    upload_filename: Mapped[str | None] = mapped_column(String(255))
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # last validation: counts and findings
    error_count: Mapped[int] = mapped_column(default=0)
    warning_count: Mapped[int] = mapped_column(default=0)
    validated_at: Mapped[datetime | None]
    explanations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # finding id -> operator's explanation
    attestation: Mapped[str | None] = mapped_column(Text)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=clock.utcnow, onupdate=clock.utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    edition_code: Mapped[str | None] = mapped_column(String(48), unique=True)

    catalogue: Mapped[Catalogue] = relationship(back_populates="versions")
    based_on: Mapped[CatalogueVersion | None] = relationship(remote_side=[id])
    lines: Mapped[list[FeeLineRecord]] = relationship(
        back_populates="version", order_by="FeeLineRecord.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class FeeLineRecord(db.Model):
    __tablename__ = "fee_line"
    # Lines by name key within the editions in force: the second half of a fee-name search (see FeeName).
    __table_args__ = (Index("ix_fee_line_name_key_version", "name_key", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]

    # As written, the prescribed columns:
    line_no: Mapped[str] = mapped_column(String(16), default="")
    name: Mapped[str] = mapped_column(String(200))
    conditions: Mapped[str] = mapped_column(String(500), default="")
    service_content: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(String(500), default="")
    unit: Mapped[str] = mapped_column(String(32), default="")
    currency: Mapped[str] = mapped_column(String(16), default="")
    pricing_class: Mapped[str] = mapped_column(String(16), default="")
    basis: Mapped[str] = mapped_column(String(500), default="")
    pass_through: Mapped[str] = mapped_column(String(8), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    change_mark: Mapped[str] = mapped_column(String(1), default="")
    effective_date: Mapped[str] = mapped_column(String(32), default="")
    source_row: Mapped[int | None]  # workbook row, when uploaded

    # Parsed (None where the text does not parse: the validator says why):
    name_key: Mapped[str] = mapped_column(String(200), default="")  # normalised canonical name
    trade: Mapped[str | None] = mapped_column(String(8))
    container_size: Mapped[str | None] = mapped_column(String(4))
    laden: Mapped[str | None] = mapped_column(String(4))
    cargo: Mapped[str | None] = mapped_column(String(8))
    standard_kind: Mapped[str] = mapped_column(String(8), default="empty")
    amount: Mapped[Decimal | None] = mapped_column(Money)
    amount_max: Mapped[Decimal | None] = mapped_column(Money)
    tiers: Mapped[list[list[str | None]] | None] = mapped_column(JSON)  # [[start, end|None, amount], ...] as text

    version: Mapped[CatalogueVersion] = relationship(back_populates="lines")


class FeeName(db.Model):
    """Every distinct name key a fee line has had: the small table a fee-name search scans by substring.

    A national single window holds a million lines but only thousands of distinct names, so a query is matched
    against these names (a pg_trgm index on PostgreSQL) and lines are then fetched by the indexed key. Rows are
    only ever added (see `catalogue.name_index`): a key no line uses any more simply matches no line.
    """

    __tablename__ = "fee_name"
    __table_args__ = (
        Index("ix_fee_name_key_trgm", "key", postgresql_using="gin", postgresql_ops={"key": "gin_trgm_ops"}).ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)


event.listen(
    FeeName.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
