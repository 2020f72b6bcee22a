"""The government list (Class A), bundle definitions and the alias dictionary, as kept in the database.

History is kept as dated rows: a change adds a row with new validity dates instead of editing the old one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.columns import Money
from portal.extensions import db


class GovListItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100), index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    pricing_class: Mapped[str] = mapped_column(String(16))
    trade: Mapped[str | None] = mapped_column(String(8))
    container_size: Mapped[str | None] = mapped_column(String(4))
    laden: Mapped[str | None] = mapped_column(String(4))
    cargo: Mapped[str | None] = mapped_column(String(8))
    rate: Mapped[Decimal | None] = mapped_column(Money)
    rate_kind: Mapped[str | None] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    service_content: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date | None]
    effective_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="in_force")
    folded_into: Mapped[str | None] = mapped_column(String(32))
    pass_through: Mapped[bool] = mapped_column(default=False)
    verified: Mapped[bool] = mapped_column(default=False)
    # Where the bureau checked the rate when it marked the row verified: the document, its date and the page.
    verified_document: Mapped[str] = mapped_column(String(300), default="", server_default="")
    verified_document_date: Mapped[date | None]
    verified_page: Mapped[str] = mapped_column(String(16), default="", server_default="")
    trust: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.utcnow, onupdate=clock.utcnow)


class _BundlePart:
    """What a bundle and each of its components have: names, aliases, legal basis, source, the day it starts."""

    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    basis: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date | None]


class BundleDef(_BundlePart, db.Model):
    """A package fee and the services it must include (港口作业包干费 ...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    effective_until: Mapped[date | None] = mapped_column(sort_order=1)  # after the shared columns, as migrated

    components: Mapped[list[BundleComponentDef]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan", order_by="BundleComponentDef.id", lazy="selectin"
    )


class BundleComponentDef(_BundlePart, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle_def.id", ondelete="CASCADE"), index=True)

    bundle: Mapped[BundleDef] = relationship(back_populates="components")


class FeeAlias(db.Model):
    """Another name for a fee (文件费 = 单证费 = DOC): matching and search go through it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(100), unique=True)
    canonical: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(Text, default="")
