"""The upload fixtures of the hostile corpus: an operator, its staff signed in, and a draft to upload over."""

import pytest
from flask import Flask

from portal.govlist.services import load_feelists
from portal.operators.models import Operator
from tests.hostile.test_corpus import existing_draft, signed_in, staff  # noqa: F401


@pytest.fixture
def operator(app: Flask, make_operator) -> Operator:
    """The operator the corpus files name: an upload naming another operator is refused (trust)."""
    load_feelists(app.config["FEELISTS_DIR"])
    return make_operator("广州示范港务有限公司", credit_code="91440101000000000J")
