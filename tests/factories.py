"""Factory fixtures (Indico style): each returns a function that makes a row with sensible defaults."""

from __future__ import annotations

import itertools

import pytest

from portal.auth import services as auth
from portal.auth.models import Role
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.publishing import editions
from portal.validation.credit_code import check_character

PASSWORD = "correct horse battery"
_serial = itertools.count(1)


def credit_code(n: int) -> str:
    """A valid unified social credit code, distinct for each n."""
    body = f"91440101{n:09d}"
    return body + check_character(body)


@pytest.fixture
def make_operator(db):
    def make(name_zh: str | None = None, kind: OperatorKind = OperatorKind.TERMINAL, **kwargs):
        n = next(_serial)
        return operators.register_operator(
            credit_code=kwargs.pop("credit_code", credit_code(n)),
            name_zh=name_zh or f"测试码头{n}有限公司",
            kind=kind,
            port_area_names=kwargs.pop("port_area_names", ["南沙港区"]),
            complaint_phones=kwargs.pop("complaint_phones", ["020-12345678"]),
            **kwargs,
        )

    return make


@pytest.fixture
def make_user(db):
    def make(role: Role = Role.OPERATOR, operator=None, email: str | None = None, password: str = PASSWORD):
        n = next(_serial)
        return auth.create_user(email or f"user{n}@example.test", f"User {n}", password, role, operator=operator)

    return make


def header_of(operator, effective: str = "2026-01-01"):
    """A complete header for `operator`'s list (南沙港区, a complaint phone), in force from `effective`."""
    from portal.validation.model import Header

    return Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=effective,
    )


@pytest.fixture
def publish(db):
    """Publish `lines` as the operator's next edition, in force from `effective` (judged as of 2026-01-01)."""
    from datetime import date

    from portal.catalogue import services as catalogue
    from portal.validation.model import FeeLine

    def publish(operator, *lines: FeeLine, effective: str = "2026-01-01"):
        header = header_of(operator, effective)
        version = catalogue.replace_contents(operator, header, list(lines), None, as_of=date(2026, 1, 1))
        return editions.publish(version, None, now=date(2026, 1, 1))

    return publish
