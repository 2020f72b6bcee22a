"""The open-data read model: what the JSON API (/api/v1) answers, as JSON-able dicts, read from the database.

The API's routes parse parameters and speak HTTP (portal.public.api); every query and every shape of an answer is
here. Money is a decimal string (never a float), dates are ISO 8601. Fee lines are read as Core rows of
`snapshot.LINE_COLUMNS` (no ORM objects), a page at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from portal.catalogue.models import Catalogue, CatalogueVersion
from portal.errors import NotFound
from portal.extensions import db
from portal.govlist import services as govlist
from portal.govlist.models import BundleComponentDef, BundleDef, GovListItem
from portal.operators.models import Operator, OperatorKind, PortArea
from portal.public import search
from portal.publishing import snapshot
from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation.findings import N_

_CENT = Decimal("0.01")


def money(amount: Decimal | None) -> str | None:
    """At least two decimal places, more only when the amount has them: 17 -> "17.00", 0.1234 -> "0.1234"."""
    if amount is None:
        return None
    exact = amount.normalize()
    if exact.as_tuple().exponent > -2:
        exact = exact.quantize(_CENT)
    return f"{exact:f}"


def _date(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _timestamp(moment: datetime) -> str:
    """A naive UTC timestamp (as the database keeps it) in RFC 3339."""
    return moment.isoformat(timespec="seconds") + "Z"


def _operator_ref(credit_code: str, name_zh: str, name_en: str | None, kind: OperatorKind | str) -> dict[str, Any]:
    return {"credit_code": credit_code, "name_zh": name_zh, "name_en": name_en, "kind": str(kind)}


def _line(line: PublishedLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "name": line.name,
        "conditions": line.conditions,
        "service_content": line.service_content,
        "standard": line.standard,
        "amount": money(line.amount),
        "amount_max": money(line.amount_max),
        "unit": line.unit,
        "currency": line.currency,
        "pricing_class": line.pricing_class,
        "basis": line.basis,
        "pass_through": line.pass_through,
        "remarks": line.remarks,
    }


def port_area(value: str) -> PortArea | None:
    """The port area named by its code (NANSHA) or Chinese name (南沙港区), exactly as the OpenAPI enum lists them."""
    return db.session.scalar(select(PortArea).where(or_(PortArea.name_zh == value, PortArea.code == value)))


def fee_page(on: date, filters: search.Filters, page: int, per_page: int) -> dict[str, Any]:
    """One page of the fee lines in force on `on` that match `filters` (the single window's own search)."""
    criteria = search.line_criteria(on, filters, None)
    columns = (
        *snapshot.LINE_COLUMNS,
        CatalogueVersion.edition_code,
        CatalogueVersion.effective_from.label("edition_effective_from"),
        CatalogueVersion.credit_code,  # who published the edition, as frozen then
        CatalogueVersion.operator_name.label("operator_name_zh"),
        CatalogueVersion.operator_name_en.label("operator_name_en"),
        Operator.kind.label("operator_kind"),
    )
    first = search.first_lines(criteria)
    total, more = first.total, first.more
    offset = (page - 1) * per_page
    rows = db.session.execute(first.page(offset, per_page, *columns)).all() if offset < total or more else []
    items = [
        {
            "operator": _operator_ref(row.credit_code, row.operator_name_zh, row.operator_name_en, row.operator_kind),
            "edition": row.edition_code,
            "effective_from": _date(row.edition_effective_from),
            **_line(snapshot.line_of(row)),
        }
        for row in rows
    ]
    body = {"as_of": on.isoformat(), "page": page, "per_page": per_page, "total": total, "more": more}
    return {**body, "items": items}


def operator_list(on: date, kind: OperatorKind | None, area: PortArea | None) -> dict[str, Any]:
    """Registered operators (optionally one kind, one port area) with the edition in force on `on`."""
    in_force = snapshot.in_force_query(on).subquery()
    query = (
        select(Operator, in_force.c.edition_code, in_force.c.effective_from)
        .outerjoin(Catalogue, Catalogue.operator_id == Operator.id)
        .outerjoin(in_force, in_force.c.catalogue_id == Catalogue.id)
        .order_by(Operator.name_zh, Operator.id)
    )
    if kind is not None:
        query = query.where(Operator.kind == kind)
    if area is not None:
        query = query.where(Operator.port_areas.any(PortArea.id == area.id))
    items = [
        {
            **_operator_ref(operator.credit_code, operator.name_zh, operator.name_en, operator.kind),
            "port_areas": [{"code": a.code, "name_zh": a.name_zh, "name_en": a.name_en} for a in operator.port_areas],
            "complaint_phones": list(operator.complaint_phones or ()),
            "website": operator.website,
            "edition": None if edition is None else {"code": edition, "effective_from": _date(effective_from)},
        }
        for operator, edition, effective_from in db.session.execute(query)
    ]
    return {"as_of": on.isoformat(), "items": items}


def _catalogue(edition: PublishedEdition, on: date) -> dict[str, Any]:
    def lines(published: tuple[PublishedLine, ...]) -> list[dict[str, Any]]:
        return [{**_line(line), "change_mark": line.change_mark} for line in published]

    return {
        "as_of": on.isoformat(),
        "edition": edition.edition_code,
        "number": edition.number,
        "effective_from": edition.effective_from.isoformat(),
        "published_at": _timestamp(edition.published_at),
        "operator": _operator_ref(
            edition.credit_code, edition.operator_name_zh, edition.operator_name_en, edition.operator_kind
        ),
        "port_area": edition.port_area,
        "complaint_phone": edition.complaint_phone,
        "lines": lines(edition.lines),
        "removed": lines(edition.removed),
    }


def catalogue(credit_code: str, on: date) -> dict[str, Any]:
    """The edition of the operator with this credit code in force on `on`; NotFound for none."""
    operator_id = db.session.scalar(select(Operator.id).where(Operator.credit_code == credit_code))
    if operator_id is None:
        raise NotFound(N_("No such operator."))
    editions = snapshot.in_force(on, operator_ids=[operator_id])
    if not editions:
        raise NotFound(N_("This operator has no edition in force on {day}."), day=on.isoformat())
    return _catalogue(editions[0], on)


def _gov_item(item: GovListItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "aliases": list(item.aliases or ()),
        "pricing_class": item.pricing_class,
        "conditions": {
            "trade": item.trade,
            "container_size": item.container_size,
            "laden": item.laden,
            "cargo": item.cargo,
        },
        "rate": money(item.rate),
        "rate_kind": item.rate_kind or None,
        "unit": item.unit,
        "currency": item.currency,
        "service_content": item.service_content,
        "basis": item.basis,
        "source": item.source,
        "status": item.status,
        "folded_into": item.folded_into,
        "pass_through": item.pass_through,
        "verified": item.verified,
        "trust": item.trust,
        "effective_from": _date(item.effective_from),
        "effective_until": _date(item.effective_until),
    }


def government_list(on: date) -> dict[str, Any]:
    return {"as_of": on.isoformat(), "items": [_gov_item(i) for i in govlist.items_in_force(on)]}


def _bundle_part(part: BundleDef | BundleComponentDef) -> dict[str, Any]:
    """What a bundle and each of its components have (openapi._BUNDLE_PART)."""
    return {
        "name_zh": part.name_zh,
        "name_en": part.name_en,
        "aliases": list(part.aliases or ()),
        "basis": part.basis,
        "source": part.source,
        "effective_from": _date(part.effective_from),
    }


def _bundle(bundle: BundleDef) -> dict[str, Any]:
    return {
        "code": bundle.code,
        **_bundle_part(bundle),
        "effective_until": _date(bundle.effective_until),
        "components": [_bundle_part(c) for c in bundle.components],
    }


def bundles(on: date) -> dict[str, Any]:
    return {"as_of": on.isoformat(), "items": [_bundle(b) for b in govlist.bundles_in_force(on)]}
