"""Published editions as frozen dataclasses: what every output (page, PDF, export, API) is made from.

An edition is an approved catalogue version; it never changes after publication. The edition in force on a
date is, per operator, the published one with the latest effective date not after that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.catalogue.services import in_force_query
from portal.extensions import db
from portal.operators.models import Operator, PortArea, operator_port_area
from portal.validation.vocabulary import ChangeMark, is_yes

DELETED = ChangeMark.DELETED


@dataclass(frozen=True)
class PublishedLine:
    """One fee line of an edition: what the operator wrote, and the exact values parsed from it."""

    position: int
    line_no: str
    name: str
    conditions: str
    service_content: str
    standard: str
    unit: str
    currency: str
    pricing_class: str
    basis: str
    pass_through: bool
    remarks: str
    change_mark: str
    effective_date: str
    name_key: str
    trade: str | None
    container_size: str | None
    laden: str | None
    cargo: str | None
    standard_kind: str
    amount: Decimal | None
    amount_max: Decimal | None
    tiers: tuple[tuple[str | None, ...], ...]


@dataclass(frozen=True)
class PublishedEdition:
    """An operator's published list: header, lines in force, lines the edition removed (change mark D)."""

    edition_code: str
    version_id: int
    number: int
    operator_id: int
    credit_code: str
    operator_name_zh: str
    operator_name_en: str | None
    operator_kind: str
    port_areas: tuple[str, ...]  # the operator's port areas (names in Chinese)
    port_area: str  # as written in the list's header
    complaint_phone: str
    effective_from: date
    published_at: datetime
    lines: tuple[PublishedLine, ...]
    removed: tuple[PublishedLine, ...]

    def operator_name(self, locale: str) -> str:
        return self.operator_name_en if locale.startswith("en") and self.operator_name_en else self.operator_name_zh


# The columns of fee_line a PublishedLine is made of: select these to read lines as Core rows (no ORM objects),
# as the API's fee search and the consolidated exports do over hundreds of thousands of lines.
LINE_COLUMNS = (
    FeeLineRecord.position,
    FeeLineRecord.line_no,
    FeeLineRecord.name,
    FeeLineRecord.conditions,
    FeeLineRecord.service_content,
    FeeLineRecord.standard,
    FeeLineRecord.unit,
    FeeLineRecord.currency,
    FeeLineRecord.pricing_class,
    FeeLineRecord.basis,
    FeeLineRecord.pass_through,
    FeeLineRecord.remarks,
    FeeLineRecord.change_mark,
    FeeLineRecord.effective_date,
    FeeLineRecord.name_key,
    FeeLineRecord.trade,
    FeeLineRecord.container_size,
    FeeLineRecord.laden,
    FeeLineRecord.cargo,
    FeeLineRecord.standard_kind,
    FeeLineRecord.amount,
    FeeLineRecord.amount_max,
    FeeLineRecord.tiers,
)


def line_of(record: FeeLineRecord | Row) -> PublishedLine:
    """The published line of a fee_line record: an ORM object or a Core row holding `LINE_COLUMNS`."""
    return PublishedLine(
        position=record.position,
        line_no=record.line_no,
        name=record.name,
        conditions=record.conditions,
        service_content=record.service_content,
        standard=record.standard,
        unit=record.unit,
        currency=record.currency or "CNY",
        pricing_class=record.pricing_class,
        basis=record.basis,
        pass_through=is_yes(record.pass_through),
        remarks=record.remarks,
        change_mark=record.change_mark,
        effective_date=record.effective_date,
        name_key=record.name_key,
        trade=record.trade,
        container_size=record.container_size,
        laden=record.laden,
        cargo=record.cargo,
        standard_kind=record.standard_kind,
        amount=record.amount,
        amount_max=record.amount_max,
        tiers=tuple(tuple(t) for t in record.tiers or ()),
    )


def from_version(version: CatalogueVersion) -> PublishedEdition:
    """The edition a published version is. Raises ValueError for a version that was never published."""
    if version.edition_code is None or version.effective_from is None or version.published_at is None:
        raise ValueError(f"catalogue version {version.id} is not published")
    operator = version.catalogue.operator
    lines = [line_of(r) for r in version.lines]
    return _edition(
        version,
        lines,
        operator_id=operator.id,
        credit_code=version.credit_code or operator.credit_code,  # as frozen at publication (editions.freeze_identity)
        operator_name_zh=version.operator_name or operator.name_zh,
        operator_name_en=version.operator_name_en,
        operator_kind=operator.kind.value,
        port_areas=tuple(a.name_zh for a in operator.port_areas),
    )


# What an edition takes from its version as it is: the ORM object and the Core rows of `_editions` name them alike.
_VERSION_FIELDS = ("edition_code", "number", "port_area", "complaint_phone", "effective_from", "published_at")


def _edition(version: CatalogueVersion | Row, lines: Sequence[PublishedLine], **operator: Any) -> PublishedEdition:
    """A published version as an edition: its own fields, what it says of its operator, its lines in force and
    those it removed (marked D)."""
    return PublishedEdition(
        version_id=version.id,
        **{name: getattr(version, name) for name in _VERSION_FIELDS},
        **operator,
        lines=tuple(line for line in lines if line.change_mark != DELETED),
        removed=tuple(line for line in lines if line.change_mark == DELETED),
    )


def _published() -> tuple:
    return (CatalogueVersion.status.in_([VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]),)


def in_force(
    on: date,
    *,
    port_area: str | None = None,
    operator_ids: Iterable[int] | None = None,
    kind: str | None = None,
) -> list[PublishedEdition]:
    """Every operator's edition in force on `on`, optionally for one port area, some operators or one kind."""
    query = in_force_query(on).join(Catalogue).join(Operator).options(selectinload(CatalogueVersion.lines))
    if port_area:
        query = query.where(Operator.port_areas.any(PortArea.name_zh == port_area))
    if operator_ids is not None:
        query = query.where(Operator.id.in_(list(operator_ids)))
    if kind:
        query = query.where(Operator.kind == kind)
    versions = db.session.scalars(query.order_by(Operator.name_zh)).all()
    return [from_version(v) for v in versions]


def in_force_index(on: date, *, port_area: str | None = None) -> list[tuple[int, str]]:
    """(version id, edition code) of each edition in force on `on`, by operator name; no line is loaded.

    What an output built from these editions holds, and so its cache key; `editions` then loads them in batches.
    """
    query = (
        in_force_query(on)
        .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
        .join(Operator, Operator.id == Catalogue.operator_id)
        .with_only_columns(CatalogueVersion.id, CatalogueVersion.edition_code)
        .order_by(Operator.name_zh, Operator.id)
    )
    if port_area:
        query = query.where(Operator.port_areas.any(PortArea.name_zh == port_area))
    return [(version_id, code) for version_id, code in db.session.execute(query)]


def editions(version_ids: Sequence[int]) -> list[PublishedEdition]:
    """The editions of these published versions, in the order given."""
    versions = db.session.scalars(
        select(CatalogueVersion)
        .where(CatalogueVersion.id.in_(list(version_ids)))
        .options(selectinload(CatalogueVersion.lines))
    ).all()
    by_id = {v.id: v for v in versions}
    return [from_version(by_id[i]) for i in version_ids if i in by_id]


def is_published(edition_code: str) -> bool:
    found = db.session.scalar(
        select(CatalogueVersion.id).where(CatalogueVersion.edition_code == edition_code, *_published())
    )
    return found is not None


def by_code(edition_code: str) -> PublishedEdition | None:
    version = db.session.scalar(select(CatalogueVersion).where(CatalogueVersion.edition_code == edition_code))
    return from_version(version) if version is not None else None


def history(operator_id: int) -> Sequence[PublishedEdition]:
    """All editions of an operator, newest first (scheduled ones included: their date may still be ahead)."""
    versions = db.session.scalars(
        select(CatalogueVersion)
        .join(Catalogue)
        .where(Catalogue.operator_id == operator_id, *_published())
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.number.desc())
        .options(selectinload(CatalogueVersion.lines))
    ).all()
    return [from_version(v) for v in versions]


def scheduled(after: date) -> Sequence[PublishedEdition]:
    """Published editions that take effect after `after`: changes announced before they apply."""
    versions = db.session.scalars(
        select(CatalogueVersion)
        .where(CatalogueVersion.status == VersionStatus.PUBLISHED, CatalogueVersion.effective_from > after)
        .order_by(CatalogueVersion.effective_from)
        .options(selectinload(CatalogueVersion.lines))
    ).all()
    return [from_version(v) for v in versions]


def editions_from_rows(version_ids: Sequence[int]) -> list[PublishedEdition]:
    """The same editions as `editions`, read as Core rows (three queries, no ORM objects): the exports' path,
    which reads a million lines a batch of editions at a time."""
    ids = list(version_ids)
    if not ids:
        return []
    heads = db.session.execute(
        select(
            CatalogueVersion.id,
            CatalogueVersion.edition_code,
            CatalogueVersion.number,
            CatalogueVersion.port_area,
            CatalogueVersion.complaint_phone,
            CatalogueVersion.effective_from,
            CatalogueVersion.published_at,
            CatalogueVersion.credit_code.label("frozen_credit_code"),  # as published (editions.freeze_identity)
            CatalogueVersion.operator_name.label("frozen_name_zh"),
            CatalogueVersion.operator_name_en.label("frozen_name_en"),
            Operator.id.label("operator_id"),
            Operator.credit_code,
            Operator.name_zh,
            Operator.kind,
        )
        .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
        .join(Operator, Operator.id == Catalogue.operator_id)
        .where(CatalogueVersion.id.in_(ids))
    ).all()
    areas: dict[int, list[str]] = {}
    for operator_id, name in db.session.execute(
        select(operator_port_area.c.operator_id, PortArea.name_zh)
        .join(PortArea, PortArea.id == operator_port_area.c.port_area_id)
        .where(operator_port_area.c.operator_id.in_({head.operator_id for head in heads}))
        .order_by(PortArea.position)
    ):
        areas.setdefault(operator_id, []).append(name)
    lines: dict[int, list[PublishedLine]] = {}
    for row in db.session.execute(
        select(FeeLineRecord.version_id, *LINE_COLUMNS)
        .where(FeeLineRecord.version_id.in_(ids))
        .order_by(FeeLineRecord.version_id, FeeLineRecord.position)
    ):
        lines.setdefault(row.version_id, []).append(line_of(row))
    by_id = {}
    for head in heads:
        by_id[head.id] = _edition(
            head,
            lines.get(head.id, []),
            operator_id=head.operator_id,
            credit_code=head.frozen_credit_code or head.credit_code,
            operator_name_zh=head.frozen_name_zh or head.name_zh,
            operator_name_en=head.frozen_name_en,
            operator_kind=str(head.kind.value if hasattr(head.kind, "value") else head.kind),
            port_areas=tuple(areas.get(head.operator_id, ())),
        )
    return [by_id[i] for i in ids if i in by_id]
