"""A rate finding that rests only on an unverified official rate warns, and says why; once the bureau verifies the
rate, the same finding is an error that blocks the submission."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.validation.dates import parse_date
from portal.validation.engine import validate
from portal.validation.model import Reference, Severity
from portal.validation.rules.rate import UNVERIFIED_ONLY

from .conftest import HWF, OIL_FUND, PIL, CatalogueFactory, LineFactory

JUNE = parse_date("2024-06-01")


def judged(reference: Reference, verified: bool, codes: set[str] | None = None) -> Reference:
    items = tuple(
        replace(item, verified=verified) if codes is None or item.code in codes else item
        for item in reference.gov_items
    )
    return replace(reference, gov_items=items)


@pytest.mark.parametrize(
    ("line", "standard"),
    [(HWF, "35"), (HWF, "33.99"), (PIL, "49000.01"), (OIL_FUND | {"pass_through": "是"}, "0.35")],
    ids=["fixed", "fixed-below", "cap", "mark-up"],
)
@pytest.mark.parametrize("verified", [False, True])
def test_the_severity_follows_whether_the_rate_is_verified(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory, line, standard, verified
) -> None:
    catalogue = make_catalogue(make_line(**line | {"standard": standard}))
    report = validate(catalogue, judged(reference, verified), JUNE)
    (finding,) = [f for f in report.findings if f.rule == "rate-deviation"]
    if verified:
        assert finding.severity is Severity.ERROR
        assert not report.ok
        assert "not yet verified" not in finding.render()
    else:
        assert finding.severity is Severity.WARNING
        assert UNVERIFIED_ONLY in finding.notes
        assert "rests only on an official rate that is not yet verified" in finding.render()
        assert [f.rule for f in report.errors] == []


def test_a_deviation_from_a_verified_rate_stays_an_error_beside_unverified_ones(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory
) -> None:
    """货物港务费 rows: the 20' import one verified, the others not; 35 deviates from the verified 34.00."""
    verified_code = next(i.code for i in reference.gov_items if i.name_zh == "货物港务费" and i.rate == 34)
    mixed = judged(judged(reference, False), True, {verified_code})
    report = validate(make_catalogue(make_line(**HWF | {"standard": "35"})), mixed, JUNE)
    (finding,) = [f for f in report.findings if f.rule == "rate-deviation"]
    assert finding.severity is Severity.ERROR
