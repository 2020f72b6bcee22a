"""What the pricing tests share: the shipped government list, and builders for published lines and editions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from portal.catalogue.mapping import parsed_values
from portal.govlist.loader import load_reference
from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation.model import FeeLine, Reference
from portal.validation.vocabulary import is_yes

FEELISTS = Path(__file__).resolve().parents[3] / "feelists"


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference(FEELISTS)


@pytest.fixture
def line(reference):
    """A published line, parsed the way the catalogue stores it."""

    def make(name: str, standard: str, unit: str, conditions: str = "", **fields: str) -> PublishedLine:
        written = FeeLine(name=name, standard=standard, unit=unit, conditions=conditions, **fields)
        values = parsed_values(written, reference.aliases)
        tiers = tuple(tuple(tier) for tier in values.pop("tiers") or ())
        return PublishedLine(
            position=0,
            line_no="",
            name=name,
            conditions=conditions,
            service_content="",
            standard=standard,
            unit=unit,
            currency=written.currency or "CNY",
            pricing_class=written.pricing_class,
            basis="",
            pass_through=is_yes(written.pass_through),
            remarks="",
            change_mark="",
            effective_date="",
            tiers=tiers,
            **values,
        )

    return make


@pytest.fixture
def edition():
    def make(operator_id: int, *lines: PublishedLine) -> PublishedEdition:
        return PublishedEdition(
            edition_code=f"EDITION-{operator_id}",
            version_id=operator_id,
            number=1,
            operator_id=operator_id,
            credit_code="",
            operator_name_zh=f"经营人{operator_id}",
            operator_name_en=None,
            operator_kind="terminal",
            port_areas=("南沙港区",),
            port_area="南沙港区",
            complaint_phone="",
            effective_from=date(2026, 1, 1),
            published_at=datetime(2026, 1, 1),
            lines=lines,
            removed=(),
        )

    return make
