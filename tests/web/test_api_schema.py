"""The open-data API keeps its OpenAPI document: schemathesis 4 calls every operation with data the document allows
and data it forbids (empty values, unknown port areas, out-of-range pages ...), runs every check it has, and also
sends methods the document does not list (405 with Allow)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from portal import create_app, demo
from portal.govlist.services import load_feelists

load_all_checks()
ALL_CHECKS = CHECKS.get_all()

# The document as the app serves it (serving it needs no database); each case then calls the seeded test app.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def seeded(app):
    app.config["RATELIMIT_ENABLED"] = False  # hundreds of calls from one client: the limits have tests of their own
    load_feelists(app.config["FEELISTS_DIR"])
    demo.seed(app.config["DEMO_DIR"])
    return app


def test_every_check_schemathesis_has_is_run() -> None:
    names = {check.__name__ for check in ALL_CHECKS}
    assert {"negative_data_rejection", "positive_data_acceptance", "unsupported_method"} <= names
    assert len(names) >= 10


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_api_response_matches_the_openapi_document(case, seeded) -> None:
    case.call_and_validate(app=seeded, checks=ALL_CHECKS)
