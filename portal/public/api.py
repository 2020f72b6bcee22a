"""The read-only open-data JSON API under /api/v1 (no sign-in): HTTP only — parameters in, JSON out.

What each answer holds is read by `portal.public.open_data`; caching (ETag, Cache-Control, 304, the shared cache)
is `portal.web.response_cache`'s; limits per client are declared here. Parameters are checked exactly as the OpenAPI
document (`portal.public.openapi`) declares them: a parameter given empty (`as_of=`) is a 400, as is any value the
document does not allow, so a client generated from the document and the API agree.
"""

from __future__ import annotations

import enum
import json
import re
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, request

from portal import cache
from portal.errors import InvalidInput, NotFound
from portal.extensions import csrf
from portal.operators.models import OperatorKind, PortArea
from portal.public import open_data, search
from portal.public.openapi import (
    CREDIT_CODE_PATTERN,
    DEFAULT_PER_PAGE,
    DOCUMENT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
)
from portal.validation.findings import N_
from portal.validation.model import PricingClass
from portal.web.as_of import parse_as_of
from portal.web.bounds import OUT_OF_RANGE, whole_number
from portal.web.limits import limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # GET only: nothing to forge

_CREDIT_CODE = re.compile(CREDIT_CODE_PATTERN)

E = TypeVar("E", bound=enum.StrEnum)


def api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(api_limit)(bp)


@bp.after_request
def open_data_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


def _json(body: dict[str, Any]) -> Response:
    """UTF-8 JSON (ETag, Cache-Control and 304 are added by the response cache)."""
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype="application/json")


# Parameters: absent means "not given"; given, it must be what the document allows (never empty).


def _text(name: str) -> str | None:
    """The parameter as sent (a NUL was refused before: web.security.refuse_nul); None when absent."""
    value = request.args.get(name)
    if value is None:
        return None
    if value == "":
        raise InvalidInput(N_("{name} must not be empty: leave it out instead."), name=name)
    return value


def _as_of() -> date:
    """`as_of` read by the portal's one date reader (portal/web/as_of.py); empty is refused like every parameter."""
    return parse_as_of(_text("as_of"))


def _whole_number(name: str, default: int, maximum: int) -> int:
    value = _text(name)
    if value is None:
        return default
    number = whole_number(value, 1, maximum)
    if number is None:
        raise InvalidInput(OUT_OF_RANGE, name=name, minimum=1, maximum=maximum)
    return number


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
    if value is not None and not _CREDIT_CODE.fullmatch(value):
        raise InvalidInput(N_("{name} must be an 18-character unified social credit code."), name=name)
    return value


def _port_area() -> PortArea | None:
    value = _text("port")
    if value is None:
        return None
    area = open_data.port_area(value)
    if area is None:
        raise InvalidInput(N_("Unknown port area: {names}."), names=value)
    return area


@bp.get("/fees")
def fees() -> Response:
    on = _as_of()
    page = _whole_number("page", 1, MAX_PAGE)
    per_page = _whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    query, credit_code = _text("q"), _credit_code("operator")
    kind, pricing_class, area = _choice("kind", OperatorKind), _choice("pricing_class", PricingClass), _port_area()
    if query is not None and len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(N_("q may be at most {maximum} characters."), maximum=MAX_QUERY_LENGTH)
    filters = search.Filters(
        q=(query or "").strip(),
        port=area.code if area is not None else "",
        operator=credit_code or "",
        kind=kind.value if kind is not None else "",
        pricing_class=pricing_class.value if pricing_class is not None else "",
    )
    key = search.page_key("api-fees", on, filters, page, per_page)
    return _json(cache.remembered(key, lambda: open_data.fee_page(on, filters, page, per_page)))


@bp.get("/operators")
def operators() -> Response:
    on = _as_of()
    return _json(open_data.operator_list(on, _choice("kind", OperatorKind), _port_area()))


@bp.get("/operators/<credit_code>/catalogue")
def catalogue(credit_code: str) -> Response:
    on = _as_of()
    if not _CREDIT_CODE.fullmatch(credit_code):  # no operator can have it
        raise NotFound(N_("No such operator."))
    return _json(open_data.catalogue(credit_code, on))


@bp.get("/government-list")
def government_list() -> Response:
    return _json(open_data.government_list(_as_of()))


@bp.get("/bundles")
def bundles() -> Response:
    return _json(open_data.bundles(_as_of()))


@bp.get("/openapi.json")
def openapi() -> Response:
    return _json(DOCUMENT)
