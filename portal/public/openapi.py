"""The OpenAPI 3.1 document of the open-data API (/api/v1), built from the same enums and limits the API enforces."""

from __future__ import annotations

from typing import Any

from portal.operators.models import OperatorKind
from portal.operators.port_areas import GUANGZHOU
from portal.validation.credit_code import CHARSET, LENGTH
from portal.validation.model import GovStatus, PricingClass, RateKind
from portal.web.as_of import DATE_PATTERN

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_PAGE = 100_000
MAX_QUERY_LENGTH = 200

CREDIT_CODE_PATTERN = f"^[{CHARSET}]{{{LENGTH}}}$"
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2,4}$"

_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object whose every property is always present (null where the schema allows it)."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
MONEY = {
    "type": "string",
    "pattern": MONEY_PATTERN,
    "description": "An exact decimal amount as a string (at least two decimal places), never a float.",
}
CREDIT_CODE = {"type": "string", "pattern": CREDIT_CODE_PATTERN, "description": "Unified social credit code."}
KIND = {"type": "string", "enum": [k.value for k in OperatorKind]}
PRICING_CLASS = {"type": "string", "enum": [p.value for p in PricingClass]}

_LINE = {
    "line_no": STRING,
    "name": STRING,
    "conditions": STRING,
    "service_content": STRING,
    "standard": {**STRING, "description": "The charging standard as written (an amount, a range or tiers)."},
    "amount": _nullable({**MONEY, "description": "The amount parsed from the standard; null for tiers or text."}),
    "amount_max": _nullable({**MONEY, "description": "The upper end of a range; null otherwise."}),
    "unit": STRING,
    "currency": STRING,
    "pricing_class": {**STRING, "description": "As written; one of the five pricing classes in a checked edition."},
    "basis": STRING,
    "pass_through": BOOLEAN,
    "remarks": STRING,
}

# What a bundle and each of its components have (open_data._bundle_part).
_BUNDLE_PART = {
    "name_zh": STRING,
    "name_en": STRING,
    "aliases": _array(STRING),
    "basis": STRING,
    "source": STRING,
    "effective_from": _nullable(DATE),
}

SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": STRING, "status": {"type": "integer", "minimum": 400, "maximum": 599}}),
    "OperatorRef": _object({"credit_code": CREDIT_CODE, "name_zh": STRING, "name_en": _nullable(STRING), "kind": KIND}),
    "FeeItem": _object(
        {"operator": _ref("OperatorRef"), "edition": STRING, "effective_from": DATE, **_LINE},
        "A fee line of an edition in force.",
    ),
    "FeePage": _object(
        {
            "as_of": DATE,
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {
                "type": "integer",
                "minimum": 0,
                "description": "Matching lines counted, at most 1,000: see `more`.",
            },
            "more": {
                "type": "boolean",
                "description": "More lines match than `total` counts: narrow the search (port area, operator, kind).",
            },
            "items": _array(_ref("FeeItem")),
        }
    ),
    "PortArea": _object({"code": STRING, "name_zh": STRING, "name_en": STRING}),
    "EditionRef": _object({"code": STRING, "effective_from": DATE}),
    "Operator": _object(
        {
            "credit_code": CREDIT_CODE,
            "name_zh": STRING,
            "name_en": _nullable(STRING),
            "kind": KIND,
            "port_areas": _array(_ref("PortArea")),
            "complaint_phones": _array(STRING),
            "website": STRING,
            "edition": {"anyOf": [_ref("EditionRef"), {"type": "null"}], "description": "The edition in force."},
        }
    ),
    "OperatorList": _object({"as_of": DATE, "items": _array(_ref("Operator"))}),
    "CatalogueLine": _object(
        {**_LINE, "change_mark": {"type": "string", "maxLength": 1, "description": "A, D, I, R, C or empty."}}
    ),
    "Catalogue": _object(
        {
            "as_of": DATE,
            "edition": STRING,
            "number": {"type": "integer", "minimum": 1},
            "effective_from": DATE,
            "published_at": {"type": "string", "format": "date-time"},
            "operator": _ref("OperatorRef"),
            "port_area": STRING,
            "complaint_phone": STRING,
            "lines": _array(_ref("CatalogueLine")),
            "removed": _array(_ref("CatalogueLine")),
        },
        "The edition in force: its lines, and the lines it removed (change mark D).",
    ),
    "Conditions": _object(
        {
            "trade": _nullable(STRING),
            "container_size": _nullable(STRING),
            "laden": _nullable(STRING),
            "cargo": _nullable(STRING),
        }
    ),
    "GovItem": _object(
        {
            "code": STRING,
            "name_zh": STRING,
            "name_en": STRING,
            "aliases": _array(STRING),
            "pricing_class": PRICING_CLASS,
            "conditions": _ref("Conditions"),
            "rate": _nullable(MONEY),
            "rate_kind": {"type": ["string", "null"], "enum": [*(k.value for k in RateKind), None]},
            "unit": STRING,
            "currency": STRING,
            "service_content": STRING,
            "basis": STRING,
            "source": STRING,
            "status": {"type": "string", "enum": [s.value for s in GovStatus]},
            "folded_into": _nullable(STRING),
            "pass_through": BOOLEAN,
            "verified": BOOLEAN,
            "trust": STRING,
            "effective_from": _nullable(DATE),
            "effective_until": _nullable(DATE),
        },
        "A government-list (Class A) row with its legal basis and source.",
    ),
    "GovList": _object({"as_of": DATE, "items": _array(_ref("GovItem"))}),
    "BundleComponent": _object(_BUNDLE_PART),
    "Bundle": _object(
        {
            "code": STRING,
            **_BUNDLE_PART,
            "effective_until": _nullable(DATE),
            "components": _array(_ref("BundleComponent")),
        }
    ),
    "BundleList": _object({"as_of": DATE, "items": _array(_ref("Bundle"))}),
}


def _query(name: str, schema: dict[str, Any], description: str, example: object = None) -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if example is not None:
        parameter["example"] = example
    return parameter


PARAMETERS: dict[str, Any] = {
    "as_of": _query("as_of", DATE, "The day whose editions or rows are wanted (default: today).", "2026-07-01"),
    "q": _query(
        "q",
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
        "Part of a fee name; aliases count (文件费 finds 单证费 and DOC lines).",
        "文件费",
    ),
    "port": _query(
        "port",
        {"type": "string", "enum": [code for code, _zh, _en in GUANGZHOU] + [zh for _code, zh, _en in GUANGZHOU]},
        "A port area by code (NANSHA) or Chinese name (南沙港区).",
        "南沙港区",
    ),
    "operator": _query("operator", CREDIT_CODE, "An operator's unified social credit code.", "914401155970010134"),
    "kind": _query("kind", KIND, "The operator kind."),
    "pricing_class": _query("pricing_class", PRICING_CLASS, "The pricing class of the fee line."),
    "page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number."),
    "per_page": _query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
        "Items per page.",
    ),
    "If-None-Match": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "schema": STRING,
        "description": "An ETag from an earlier response: an unchanged resource answers 304 without a body.",
    },
}

_HEADERS = {
    "ETag": {"required": True, "schema": STRING, "description": "Identifies this representation."},
    "Cache-Control": {"required": True, "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"}},
    "Access-Control-Allow-Origin": {"required": True, "schema": {"type": "string", "const": "*"}},
}
_TOO_MANY = {
    "description": "Too many requests from this client: wait the seconds Retry-After gives.",
    "headers": {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _operation(operation_id: str, summary: str, schema: str, parameters: list[str], **errors: str) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": _HEADERS,
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {"description": "Not modified: the If-None-Match ETag is current."},
        "429": _TOO_MANY,
    }
    responses.update({status: _error(text) for status, text in errors.items()})
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [{"$ref": "#/components/parameters/" + name} for name in [*parameters, "If-None-Match"]],
        "responses": responses,
    }


_BAD = {"400": "A parameter is malformed or out of range."}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Guangzhou port fee catalogue: open data",
        "version": "1.0.0",
        "description": (
            "Read-only, no sign-in. The fee catalogues operators publish (editions approved by the bureau), the "
            "government list and the bundle definitions. Money is a decimal string, dates are ISO 8601. Every "
            "response carries an ETag and may be cached for the seconds its Cache-Control says. A parameter is either "
            "left out or given a value the document allows: an empty value (as_of=) is refused with 400. Each client "
            "may make a limited number of requests a minute (429 with Retry-After beyond it)."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/fees": {
            "get": _operation(
                "listFees",
                "Fee lines of the editions in force on a day, filtered and paged",
                "FeePage",
                ["q", "port", "operator", "kind", "pricing_class", "as_of", "page", "per_page"],
                **_BAD,
            )
        },
        "/operators": {
            "get": _operation(
                "listOperators",
                "Registered operators with the edition in force on a day",
                "OperatorList",
                ["port", "kind", "as_of"],
                **_BAD,
            )
        },
        "/operators/{credit_code}/catalogue": {
            "parameters": [
                {
                    "name": "credit_code",
                    "in": "path",
                    "required": True,
                    "schema": CREDIT_CODE,
                    "example": "914401155970010134",
                }
            ],
            "get": _operation(
                "getCatalogue",
                "An operator's edition in force on a day",
                "Catalogue",
                ["as_of"],
                **_BAD,
                **{"404": "No such operator, or it has no edition in force on that day."},
            ),
        },
        "/government-list": {
            "get": _operation(
                "listGovernmentItems", "Government-list rows in effect on a day", "GovList", ["as_of"], **_BAD
            )
        },
        "/bundles": {
            "get": _operation("listBundles", "Bundle definitions in effect on a day", "BundleList", ["as_of"], **_BAD)
        },
        "/openapi.json": {"get": _operation("getOpenApiDocument", "This document", "OpenApiDocument", [])},
    },
    "components": {
        "schemas": {**SCHEMAS, "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]}},
        "parameters": PARAMETERS,
    },
}
