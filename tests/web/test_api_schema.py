"""The open-data API keeps its OpenAPI document: schemathesis calls every operation and checks every response."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal import create_app, demo
from portal.govlist.services import load_feelists

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
]

# The document as the app serves it (serving it needs no database); each case then calls the seeded test app.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
)


@pytest.fixture
def seeded(app):
    load_feelists(app.config["FEELISTS_DIR"])
    demo.seed(app.config["DEMO_DIR"])
    return app


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_response_matches_the_openapi_document(case, seeded) -> None:
    case.call_and_validate(app=seeded, checks=CHECKS)
