"""The read-only open-data JSON API under /api/v1 (no sign-in): fees, operators, catalogues, government list."""

from __future__ import annotations

import enum
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from flask import Blueprint, Response, request
from sqlalchemy import or_, select

from portal import cache
from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord
from portal.errors import InvalidInput, NotFound
from portal.extensions import csrf, db
from portal.govlist import services as govlist
from portal.govlist.models import BundleDef, GovListItem
from portal.operators.models import Operator, OperatorKind, PortArea
from portal.public import search
from portal.public.openapi import (
    CREDIT_CODE_PATTERN,
    DEFAULT_PER_PAGE,
    DOCUMENT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
)
from portal.publishing import snapshot
from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation.findings import N_
from portal.validation.model import PricingClass
from portal.web.as_of import requested_day

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # GET only: nothing to forge

CACHE_CONTROL = "public, max-age=60"
_CREDIT_CODE = re.compile(CREDIT_CODE_PATTERN)
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_CENT = Decimal("0.01")

E = TypeVar("E", bound=enum.StrEnum)


@bp.after_request
def open_data(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


def _json(body: dict[str, Any]) -> Response:
    """UTF-8 JSON with an ETag of its bytes; a matching If-None-Match turns it into a 304 without a body."""
    response = Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype="application/json")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.add_etag()
    return response.make_conditional(request)


# Parameters: absent or blank means "not given"; anything malformed is a 400 naming the parameter.


def _text(name: str) -> str | None:
    return request.args.get(name, "").strip() or None  # a NUL was refused before (web.security.refuse_nul)


def _whole_number(name: str, default: int, maximum: int) -> int:
    value = _text(name)
    if value is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= maximum:
        raise InvalidInput(N_("{name} must be a whole number from 1 to {maximum}."), name=name, maximum=maximum)
    return int(value)


def _choice(name: str, choices: type[E]) -> E | None:
    value = _text(name)
    if value is None:
        return None
    try:
        return choices(value)
    except ValueError:
        allowed = ", ".join(c.value for c in choices)
        raise InvalidInput(N_("{name} must be one of: {allowed}."), name=name, allowed=allowed) from None


def _credit_code(name: str) -> str | None:
    value = _text(name)
    if value is not None and not _CREDIT_CODE.fullmatch(value.upper()):
        raise InvalidInput(N_("{name} must be an 18-character unified social credit code."), name=name)
    return value.upper() if value else None


def _port_area() -> PortArea | None:
    value = _text("port")
    if value is None:
        return None
    area = db.session.scalar(select(PortArea).where(or_(PortArea.name_zh == value, PortArea.code == value.upper())))
    if area is None:
        raise InvalidInput(N_("Unknown port area: {names}."), names=value)
    return area


# Values: money as decimal strings (never floats), dates ISO.


def _money(amount: Decimal | None) -> str | None:
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
        "amount": _money(line.amount),
        "amount_max": _money(line.amount_max),
        "unit": line.unit,
        "currency": line.currency,
        "pricing_class": line.pricing_class,
        "basis": line.basis,
        "pass_through": line.pass_through,
        "remarks": line.remarks,
    }


# Fee search.


@bp.get("/fees")
def fees() -> Response:
    on = requested_day()
    page = _whole_number("page", 1, MAX_PAGE)
    per_page = _whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    query, credit_code = _text("q"), _credit_code("operator")
    kind, pricing_class, area = _choice("kind", OperatorKind), _choice("pricing_class", PricingClass), _port_area()
    if query is not None and len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(N_("q may be at most {maximum} characters."), maximum=MAX_QUERY_LENGTH)

    filters = search.Filters(
        q=query or "",
        port=area.code if area is not None else "",
        operator=credit_code or "",
        kind=kind.value if kind is not None else "",
        pricing_class=pricing_class.value if pricing_class is not None else "",
    )
    key = search.page_key("api-fees", on, filters, page, per_page)
    return _json(cache.remembered(key, lambda: _fee_page(on, filters, page, per_page)))


def _fee_page(on: date, filters: search.Filters, page: int, per_page: int) -> dict[str, Any]:
    lines = search.matching_lines(
        on,
        filters,
        None,
        FeeLineRecord,
        CatalogueVersion.edition_code,
        CatalogueVersion.effective_from,
        Operator.credit_code,
        Operator.name_zh,
        Operator.name_en,
        Operator.kind,
    )
    total, more = search.count_upto(lines)
    offset = (page - 1) * per_page
    rows = db.session.execute(lines.limit(per_page).offset(offset)).all() if offset < total or more else []
    items = [
        {
            "operator": _operator_ref(code, name_zh, name_en, operator_kind),
            "edition": edition,
            "effective_from": _date(effective_from),
            **_line(snapshot._line(record)),
        }
        for record, edition, effective_from, code, name_zh, name_en, operator_kind in rows
    ]
    body = {"as_of": on.isoformat(), "page": page, "per_page": per_page, "total": total, "more": more}
    return {**body, "items": items}


# Operators and their catalogues.


@bp.get("/operators")
def operators() -> Response:
    on = requested_day()
    kind, area = _choice("kind", OperatorKind), _port_area()
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
    return _json({"as_of": on.isoformat(), "items": items})


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


@bp.get("/operators/<credit_code>/catalogue")
def catalogue(credit_code: str) -> Response:
    on = requested_day()
    operator_id = None
    if _CREDIT_CODE.fullmatch(credit_code.upper()):
        operator_id = db.session.scalar(select(Operator.id).where(Operator.credit_code == credit_code.upper()))
    if operator_id is None:
        raise NotFound(N_("No such operator."))
    editions = snapshot.in_force(on, operator_ids=[operator_id])
    if not editions:
        raise NotFound(N_("This operator has no edition in force on {day}."), day=on.isoformat())
    return _json(_catalogue(editions[0], on))


# The government list and bundles.


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
        "rate": _money(item.rate),
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


@bp.get("/government-list")
def government_list() -> Response:
    on = requested_day()
    return _json({"as_of": on.isoformat(), "items": [_gov_item(i) for i in govlist.items_in_force(on)]})


def _bundle(bundle: BundleDef) -> dict[str, Any]:
    return {
        "code": bundle.code,
        "name_zh": bundle.name_zh,
        "name_en": bundle.name_en,
        "aliases": list(bundle.aliases or ()),
        "basis": bundle.basis,
        "source": bundle.source,
        "effective_from": _date(bundle.effective_from),
        "effective_until": _date(bundle.effective_until),
        "components": [
            {
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "aliases": list(c.aliases or ()),
                "basis": c.basis,
                "source": c.source,
                "effective_from": _date(c.effective_from),
            }
            for c in bundle.components
        ],
    }


@bp.get("/bundles")
def bundles() -> Response:
    on = requested_day()
    return _json({"as_of": on.isoformat(), "items": [_bundle(b) for b in govlist.bundles_in_force(on)]})


@bp.get("/openapi.json")
def openapi() -> Response:
    return _json(DOCUMENT)
