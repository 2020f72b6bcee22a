"""The edges of each rule: validity dates of government rows and bundles, default rate kinds, phone digits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from portal.validation.context import HEADER, Placement
from portal.validation.engine import validate
from portal.validation.findings import Finding
from portal.validation.model import PricingClass, RateKind, Reference, Severity, within

from .conftest import BAOGAN, BOOM, HWF, PCF, CatalogueFactory, LineFactory

DAY = date(2024, 6, 1)


def _rules(report) -> list[tuple[str, str | None]]:
    return [(f.rule, f.line_key) for f in report.findings]


@pytest.mark.parametrize(
    ("on", "start", "end", "inside"),
    [
        (date(2024, 6, 1), date(2024, 6, 1), None, True),
        (date(2024, 5, 31), date(2024, 6, 1), None, False),
        (date(2024, 6, 1), None, date(2024, 6, 1), True),
        (date(2024, 6, 2), None, date(2024, 6, 1), False),
        (date(2024, 6, 1), date(2024, 6, 1), date(2024, 6, 1), True),
        (date(1900, 1, 1), None, None, True),
    ],
)
def test_a_validity_window_includes_both_ends(on: date, start: date | None, end: date | None, inside: bool) -> None:
    assert within(on, start, end) is inside


def _harbour_dues_from(reference: Reference, start: date | None, end: date | None) -> Reference:
    items = tuple(
        replace(item, effective_from=start, effective_until=end) if item.code.startswith("HWF") else item
        for item in reference.gov_items
    )
    return replace(reference, gov_items=items)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (DAY, None, []),  # in force from this very day
        (date(2024, 6, 2), None, [("not-on-government-list", "L1")]),  # not yet
        (None, DAY, []),  # its last day
        (None, date(2024, 5, 31), [("not-on-government-list", "L1")]),  # expired the day before
    ],
)
def test_a_government_item_counts_only_inside_its_validity_dates(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    start: date | None,
    end: date | None,
    expected: list[tuple[str, str]],
) -> None:
    judged = _harbour_dues_from(reference, start, end)
    report = validate(make_catalogue(make_line(**HWF), effective_date=DAY.isoformat()), judged, DAY)
    assert _rules(report) == expected
    if expected:
        (finding,) = report.findings
        assert finding.params["date"] == "2024-06-01"
        assert finding.location is not None
        assert finding.location.field == "name"


def _bundle_window(reference: Reference, start: date | None, end: date | None) -> Reference:
    bundles = tuple(replace(b, effective_from=start, effective_until=end) for b in reference.bundles)
    return replace(reference, bundles=bundles)


@pytest.mark.parametrize(
    ("start", "end", "split"),
    [(DAY, None, True), (date(2024, 6, 2), None, False), (None, DAY, True), (None, date(2024, 5, 31), False)],
)
def test_a_bundle_counts_only_inside_its_validity_dates(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    start: date | None,
    end: date | None,
    split: bool,
) -> None:
    judged = _bundle_window(reference, start, end)
    lines = (make_line(**BAOGAN), make_line(name="场内搬移费"))
    report = validate(make_catalogue(*lines, effective_date=DAY.isoformat()), judged, DAY)
    assert _rules(report) == ([("split-service", "L2")] if split else [])
    if split:
        assert report.findings[0].params["bundle"] == "港口作业包干费"


@pytest.mark.parametrize(("on", "included"), [(date(2018, 6, 19), False), (date(2018, 6, 20), True)])
def test_a_bundle_component_belongs_to_the_bundle_from_its_first_day(
    reference: Reference, on: date, included: bool
) -> None:
    (bundle,) = reference.bundles
    names = [c.name_zh for c in bundle.components_on(on)]
    assert ("驳船取送" in names) is included
    assert names[:2] == ["装卸船作业", "场内搬移"]


def _with_boom_rate(reference: Reference, pricing_class: PricingClass, kind: RateKind | None) -> Reference:
    items = tuple(
        replace(item, rate=Decimal("8000"), rate_kind=kind, pricing_class=pricing_class)
        if item.code == "BOOM"
        else item
        for item in reference.gov_items
    )
    return replace(reference, gov_items=items)


@pytest.mark.parametrize(
    ("pricing_class", "kind", "standard", "message_start"),
    [
        # no rate kind given: a government-guided rate is a cap ...
        (PricingClass.GOV_GUIDED, None, "7999", None),
        (PricingClass.GOV_GUIDED, None, "8000", None),
        (PricingClass.GOV_GUIDED, None, "8000.01", "{item} is government-guided and may not exceed"),
        # ... and a government-set one is charged exactly
        (PricingClass.GOV_PRICED, None, "7999", "{item} is a government-priced fee"),
        (PricingClass.GOV_PRICED, None, "8000", None),
        # a kind given wins over the class
        (PricingClass.GOV_GUIDED, RateKind.FIXED, "7999", "{item} is a government-priced fee"),
        (PricingClass.GOV_PRICED, RateKind.CAP, "7999", None),
    ],
)
def test_the_rate_kind_defaults_to_a_cap_for_government_guided_prices(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    pricing_class: PricingClass,
    kind: RateKind | None,
    standard: str,
    message_start: str | None,
) -> None:
    judged = _with_boom_rate(reference, pricing_class, kind)
    line = make_line(**BOOM | {"standard": standard, "pricing_class": str(pricing_class)})
    report = validate(make_catalogue(line), judged, DAY)
    rate = [f for f in report.findings if f.rule == "rate-deviation"]
    if message_start is None:
        assert rate == []
    else:
        (finding,) = rate
        assert finding.message.startswith(message_start)
        assert finding.params["expected"] == "8,000.00"


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("1234567", True), ("123456", False), ("020-123", False), ("8888888", True), ("12345；1234567", True)],
)
def test_a_complaint_phone_needs_seven_digits_in_one_number(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, phone: str, ok: bool
) -> None:
    report = validate(make_catalogue(make_line(), complaint_phone=phone), reference, DAY)
    assert _rules(report) == ([] if ok else [("missing-complaint-phone", None)])


RATE_BASIS = "交水规〔2019〕2号; 《关于减并港口收费等有关事项的通知》(2022)"


@pytest.mark.parametrize(
    ("fields", "on", "rule", "basis"),
    [
        (
            HWF | {"standard": "35"},
            DAY,
            "rate-deviation",
            "交水规〔2019〕2号; 《关于减并港口收费等有关事项的通知》(2022)",
        ),
        (
            HWF | {"currency": "USD"},
            DAY,
            "rate-deviation",
            "交水规〔2019〕2号; 《关于减并港口收费等有关事项的通知》(2022)",
        ),
        (
            PCF,
            date(2021, 1, 1),
            "abolished-fee",
            "财政部公告(2021); 交水发〔2018〕77号; 《关于减并港口收费等有关事项的通知》(2022)",
        ),
        (HWF | {"pricing_class": "政府指导价"}, DAY, "misclassified", "交水规〔2019〕2号; 穗商务规字〔2021〕4号 附件1"),
    ],
)
def test_a_government_row_without_a_basis_is_judged_on_the_rules_own(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    fields: dict[str, str],
    on: date,
    rule: str,
    basis: str,
) -> None:
    judged = replace(reference, gov_items=tuple(replace(item, basis="") for item in reference.gov_items))
    report = validate(make_catalogue(make_line(**fields), effective_date=on.isoformat()), judged, on)
    assert [(f.rule, f.basis) for f in report.findings] == [(rule, basis)]


def test_a_finding_never_placed_sorts_with_the_header() -> None:
    placement = Placement()
    placed = placement.place(Finding(rule="r", severity=Severity.ERROR, message="m"), 3)
    loose = Finding(rule="r", severity=Severity.ERROR, message="m")
    assert (placement.position(placed), placement.position(loose)) == (3, HEADER)
    assert HEADER < 0


@pytest.mark.parametrize(
    ("component_basis", "bundle_basis", "basis"),
    [
        ("交水发〔2018〕77号", "交水规〔2019〕2号", "交水发〔2018〕77号"),
        ("", "交水规〔2019〕2号", "交水规〔2019〕2号"),
        ("", "", "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例"),
    ],
)
def test_a_split_service_cites_the_component_then_the_bundle_then_the_rules_basis(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    component_basis: str,
    bundle_basis: str,
    basis: str,
) -> None:
    bundles = tuple(
        replace(b, basis=bundle_basis, components=tuple(replace(c, basis=component_basis) for c in b.components))
        for b in reference.bundles
    )
    lines = (make_line(**BAOGAN), make_line(name="场内搬移费"))
    report = validate(make_catalogue(*lines), replace(reference, bundles=bundles), DAY)
    assert [(f.rule, f.basis) for f in report.findings] == [("split-service", basis)]
