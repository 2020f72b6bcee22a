"""A rate finding that rests only on an unverified official rate warns, and says why; once the bureau verifies the
rate, the same finding is an error that blocks the submission."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.validation.dates import parse_date
from portal.validation.engine import validate
from portal.validation.model import Reference, Severity
from portal.validation.rules.rate import CAP, FIXED_FOR_CONDITIONS, UNVERIFIED, UNVERIFIED_ONLY

from .conftest import HWF, MEASURES, OIL_FUND, PIL, CatalogueFactory, LineFactory

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


def _rate_finding(report):
    (finding,) = [f for f in report.findings if f.rule == "rate-deviation"]
    return (finding.severity, finding.message, finding.notes, finding.basis, dict(finding.params))


def test_off_the_one_verified_row_of_several_is_an_error_that_still_notes_the_unverified_rows(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory
) -> None:
    """外贸 20英尺 fits the 20' import row (34.00, verified) and the 20' export row (17.00, not verified)."""
    mixed = judged(judged(reference, False, {"HWF-FT-20-EX"}), True, {"HWF-FT-20-IM"})
    line = make_line(**HWF | {"standard": "35", "conditions": "外贸 20英尺"})
    assert _rate_finding(validate(make_catalogue(line), mixed, JUNE)) == (
        Severity.ERROR,
        FIXED_FOR_CONDITIONS,
        (UNVERIFIED,),
        MEASURES,
        {
            "item": "货物港务费",
            "unit": "元/箱",
            "actual": "35",
            "conditions": "外贸 20英尺",
            "expected": "17.00 / 34.00",
        },
    )


def test_above_a_verified_cap_beside_an_unverified_one_is_an_error_that_notes_it(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory
) -> None:
    pilotage = next(item for item in reference.gov_items if item.code == "PIL")
    second = replace(pilotage, code="PIL-2", rate=pilotage.rate - 19000, verified=False)
    both = replace(reference, gov_items=(*reference.gov_items, second))
    line = make_line(**PIL | {"standard": "50000"})
    assert _rate_finding(validate(make_catalogue(line), both, JUNE)) == (
        Severity.ERROR,
        CAP,
        (UNVERIFIED,),
        f"{MEASURES} 表5",
        {"item": "引航(移泊)费", "unit": "元/次", "actual": "50000", "conditions": "", "expected": "49,000.00"},
    )


def test_a_warning_on_an_unverified_rate_is_listed_at_its_line(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory
) -> None:
    """The warning is a new finding made from the error: it is placed at its line too, not among the header's."""
    lines = [make_line(unit="元/坨"), make_line(**HWF | {"standard": "35"}), make_line(name="单证费", unit="元/坨")]
    report = validate(make_catalogue(*lines), judged(reference, False), JUNE)
    assert [(f.line_key, f.rule) for f in report.findings] == [
        ("L1", "unknown-unit"),
        ("L2", "rate-deviation"),
        ("L3", "unknown-unit"),
    ]
