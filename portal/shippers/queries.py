"""Shippers' tools, database side: editions in force, service names, one service compared, a shipment estimated.

The figures themselves are worked out by the pure `portal.pricing` package.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, or_, select

from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator, PortArea
from portal.pricing.comparison import Comparison, comparison_of, service_keys
from portal.pricing.estimate import OperatorEstimate, Shipment, estimate
from portal.publishing import snapshot
from portal.publishing.snapshot import DELETED, PublishedEdition, in_force_query
from portal.validation.model import Conditions


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
