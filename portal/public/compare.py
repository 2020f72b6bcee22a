"""Shippers' tools, query side: editions in force and service names, one service compared, a shipment estimated.

A service is matched on its normalised canonical name (aliases applied: 文件费 = 单证费 = DOC), also with a
bracketed qualifier after it (货物港务费(外贸进口) is 货物港务费). Only like is compared with like: statistics are
per unit and currency, over fixed amounts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select

from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator, PortArea
from portal.public.estimate import (
    Edition,
    Line,
    OperatorEstimate,
    Shipment,
    currency_of,
    estimate,
    line_conditions,
    median,
)
from portal.publishing import snapshot
from portal.publishing.snapshot import DELETED, PublishedEdition, in_force_query
from portal.validation.changes import name_key
from portal.validation.conditions import compatible
from portal.validation.model import Conditions, Reference
from portal.validation.names import NameIndex
from portal.validation.units import normalise_unit

SHARE = Decimal("0.0001")


@dataclass(frozen=True)
class Offer:
    """One operator's line for the service compared."""

    edition: Edition
    line: Line

    @property
    def currency(self) -> str:
        return currency_of(self.line)

    @property
    def unit_key(self) -> str:
        return normalise_unit(self.line.unit)

    @property
    def fixed(self) -> Decimal | None:
        return self.line.amount if self.line.standard_kind == "fixed" else None

    @property
    def figure(self) -> bool:
        """A fixed amount or a range: something a chart can draw."""
        return self.line.standard_kind in ("fixed", "range") and self.line.amount is not None

    @property
    def highest(self) -> Decimal | None:
        return self.line.amount_max if self.line.amount_max is not None else self.line.amount


@dataclass(frozen=True)
class Statistics:
    unit: str
    currency: str
    count: int
    minimum: Decimal
    median: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Bar:
    offer: Offer
    low: Decimal
    high: Decimal
    low_share: Decimal  # of the chart's longest bar, 0..1
    high_share: Decimal


@dataclass(frozen=True)
class Chart:
    unit: str
    currency: str
    maximum: Decimal
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Comparison:
    keys: frozenset[str]
    offers: tuple[Offer, ...]
    statistics: tuple[Statistics, ...]
    charts: tuple[Chart, ...]


def service_keys(service: str, reference: Reference) -> frozenset[str]:
    """The name keys a service is stored under: its own (aliases applied), and that of the item or bundle it names."""
    if not service.strip():
        return frozenset()
    index = NameIndex(reference)
    named = (*index.gov_items(service), *index.bundles(service))
    return frozenset({name_key(service, reference.aliases), *(name_key(e.name_zh, reference.aliases) for e in named)})


def names_service(key: str, keys: Collection[str]) -> bool:
    """Is a line stored under `key` one of the service's lines: the key itself, or it with a bracketed qualifier."""
    return key in keys or any(key.startswith(f"{k}(") for k in keys)


def offers_of(editions: Iterable[Edition], keys: Collection[str], filters: Conditions) -> tuple[Offer, ...]:
    """Every line of the service whose conditions fit the filters: by currency and unit, then by amount.

    Lines without a figure (tiers, words) come last.
    """
    found = [
        Offer(edition, line)
        for edition in editions
        for line in edition.lines
        if names_service(line.name_key, keys) and compatible(line_conditions(line), filters)
    ]
    return tuple(
        sorted(
            found,
            key=lambda o: (not o.figure, o.currency, o.unit_key, o.line.amount or Decimal(0), o.highest or Decimal(0)),
        )
    )


def _groups(offers: Iterable[Offer]) -> dict[tuple[str, str], list[Offer]]:
    groups: dict[tuple[str, str], list[Offer]] = {}
    for offer in offers:
        groups.setdefault((offer.currency, offer.unit_key), []).append(offer)
    return groups


def statistics(offers: Iterable[Offer]) -> tuple[Statistics, ...]:
    """Minimum, median and maximum of the fixed amounts, per currency and unit."""
    result = []
    for (currency, _unit), group in _groups(o for o in offers if o.fixed is not None).items():
        amounts = [o.fixed for o in group if o.fixed is not None]
        unit = group[0].line.unit
        result.append(Statistics(unit, currency, len(amounts), min(amounts), median(amounts), max(amounts)))
    return tuple(result)


def _share(amount: Decimal, maximum: Decimal) -> Decimal:
    return (amount / maximum).quantize(SHARE) if maximum > 0 else Decimal(0)


def charts(offers: Iterable[Offer]) -> tuple[Chart, ...]:
    """One bar chart per currency and unit: a bar per line with a figure, a range drawn out to its maximum."""
    result = []
    for (currency, _unit), group in _groups(o for o in offers if o.figure).items():
        spans = [(o, o.line.amount or Decimal(0), o.highest or Decimal(0)) for o in group]
        maximum = max(high for _o, _low, high in spans)
        bars = tuple(Bar(o, low, high, _share(low, maximum), _share(high, maximum)) for o, low, high in spans)
        result.append(Chart(group[0].line.unit, currency, maximum, bars))
    return tuple(result)


def comparison_of(editions: Iterable[Edition], keys: frozenset[str], filters: Conditions) -> Comparison:
    """The service's lines that fit the filters (None fields: any), with their statistics and charts."""
    offers = offers_of(editions, keys, filters)
    return Comparison(keys, offers, statistics(offers), charts(offers))


def _versions_in_force(on: date, port_area: str | None):
    query = in_force_query(on).with_only_columns(CatalogueVersion.id)
    if port_area:
        query = (
            query.join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
            .join(Operator, Operator.id == Catalogue.operator_id)
            .where(Operator.port_areas.any(PortArea.name_zh == port_area))
        )
    return query


def service_names(on: date, port_area: str | None = None, limit: int = 200) -> list[str]:
    """The distinct fee names in force (one per name key), the most widely listed first."""
    versions = _versions_in_force(on, port_area)
    operators = func.count(func.distinct(FeeLineRecord.version_id))
    rows = db.session.execute(
        select(func.min(FeeLineRecord.name), operators)
        .where(FeeLineRecord.version_id.in_(versions), FeeLineRecord.change_mark != DELETED)
        .group_by(FeeLineRecord.name_key)
        .order_by(operators.desc(), func.min(FeeLineRecord.name))
        .limit(limit)
    )
    return [name for name, _count in rows]


def _operators_listing(on: date, port_area: str | None, keys: Collection[str]) -> list[int]:
    """Operators whose edition in force lists the service: only their editions are loaded."""
    named = or_(
        FeeLineRecord.name_key.in_(list(keys)),
        *(FeeLineRecord.name_key.startswith(f"{key}(", autoescape=True) for key in keys),
    )
    query = (
        select(Catalogue.operator_id)
        .join(CatalogueVersion, CatalogueVersion.catalogue_id == Catalogue.id)
        .join(FeeLineRecord, FeeLineRecord.version_id == CatalogueVersion.id)
        .where(CatalogueVersion.id.in_(_versions_in_force(on, port_area)), named)
        .distinct()
    )
    return list(db.session.scalars(query))


def comparison(service: str, on: date, port_area: str | None, filters: Conditions) -> Comparison:
    """One service across the operators of a port area (or all), each from its edition in force on `on`."""
    keys = service_keys(service, govlist.reference())
    operator_ids = _operators_listing(on, port_area, keys) if keys else []
    editions = snapshot.in_force(on, port_area=port_area, operator_ids=operator_ids) if operator_ids else []
    return comparison_of(editions, keys, filters)


def editions(on: date, port_area: str) -> list[PublishedEdition]:
    """Every operator's edition in force in a port area."""
    return snapshot.in_force(on, port_area=port_area)


def shipment_estimate(chosen: Sequence[PublishedEdition], shipment: Shipment, on: date) -> tuple[OperatorEstimate, ...]:
    """The shipment priced at each chosen operator, pass-through fees at the government list's rates on `on`."""
    return estimate(chosen, shipment, govlist.reference(), on)
