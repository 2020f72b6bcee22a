"""Findings asserted whole where the rule table compares less: the complaint phone's two findings (severity, message,
field, basis, value), missing header and line values, and the classes a fee is listed under when the government list
gives it more than one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.validation.engine import validate
from portal.validation.model import Conditions, GovStatus, PricingClass, Reference, Severity
from portal.validation.rules.classification import MARKET
from portal.validation.rules.complaint_phone import EMPTY, IMPLAUSIBLE
from portal.validation.rules.missing_field import BASIS_MESSAGE, HEADER_MESSAGES, LINE_MESSAGES
from portal.validation.rules.off_list import OFF_LIST, OFF_LIST_SUGGESTION
from portal.validation.rules.rate import FIXED_FOR_CONDITIONS
from portal.validation.rules.stale_list import STALE

from .conftest import BARGE, HWF, MEASURES, PIL, CatalogueFactory, LineFactory

JUNE = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("phone", "message", "params"),
    [("", EMPTY, {}), ("  ", EMPTY, {}), ("1234", IMPLAUSIBLE, {"value": "1234"})],
)
def test_a_missing_or_implausible_complaint_phone_is_an_error_citing_the_notice(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, phone, message, params
) -> None:
    report = validate(make_catalogue(make_line(), complaint_phone=phone), reference, JUNE)
    assert [
        (f.rule, f.severity, f.message, f.location.field if f.location else None, f.basis, dict(f.params))
        for f in report.findings
    ] == [("missing-complaint-phone", Severity.ERROR, message, "complaint_phone", "穗商务规字〔2021〕4号", params)]


def test_a_fee_the_list_classes_two_ways_names_both_classes_in_the_order_of_the_list(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    dues = next(item for item in reference.gov_items if item.code == "HWF-FT-20-IM")
    guided = replace(dues, code="HWF-FT-20-IM-GUIDED", pricing_class=PricingClass.GOV_GUIDED)
    both = replace(reference, gov_items=(*reference.gov_items, guided))
    line = make_line(**HWF | {"pricing_class": "市场调节价"})
    findings = [f for f in validate(make_catalogue(line), both, JUNE).findings if f.rule == "misclassified"]
    assert [(f.severity, f.message, f.basis, dict(f.params)) for f in findings] == [
        (Severity.ERROR, MARKET, MEASURES, {"item": "货物港务费", "expected": "政府定价 / 政府指导价"})
    ]


LISTED = "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号"


def _missing(report) -> list[tuple]:
    return [
        (f.severity, f.message, f.location.field if f.location else None, f.basis, dict(f.params))
        for f in report.findings
        if f.rule == "missing-field"
    ]


def test_a_missing_header_value_is_an_error_citing_the_format(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    report = validate(make_catalogue(make_line(), port_area=" "), reference, JUNE)
    assert _missing(report) == [(Severity.ERROR, HEADER_MESSAGES["port_area"], "port_area", LISTED, {})]


@pytest.mark.parametrize("standard", ["。", " . "])
def test_a_standard_of_nothing_but_a_full_stop_is_missing(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, standard: str
) -> None:
    report = validate(make_catalogue(make_line(standard=standard)), reference, JUNE)
    assert _missing(report) == [(Severity.ERROR, LINE_MESSAGES["standard"], "standard", LISTED, {"item": "理货费"})]


def test_a_class_a_line_without_a_basis_is_reported_unless_the_source_has_no_basis_column(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    catalogue = make_catalogue(make_line(**HWF | {"basis": ""}))
    expected = [(Severity.ERROR, BASIS_MESSAGE, "basis", LISTED, {"item": "货物港务费", "pricing_class": "政府定价"})]
    assert _missing(validate(catalogue, reference, JUNE)) == expected
    without_column = replace(catalogue, absent_fields=frozenset({"basis"}))
    assert _missing(validate(without_column, reference, JUNE)) == []


def test_an_off_list_name_is_only_offered_items_in_force_on_the_day_judged(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """港口建设费 ended on 2020-12-31: a near name is offered it in 2020, not in 2024."""
    line = make_line(name="港口建设收费", unit="元/吨", pricing_class="政府性基金", basis="财政部")

    def off_list(effective: str) -> list[tuple]:
        report = validate(make_catalogue(line, effective_date=effective), reference, JUNE)
        return [(f.message, f.params.get("suggestion")) for f in report.findings if f.rule == "not-on-government-list"]

    assert off_list("2020-06-01") == [(OFF_LIST_SUGGESTION, "港口建设费")]
    assert off_list("2024-01-01") == [(OFF_LIST, None)]


def test_every_class_a_line_off_the_list_is_reported_whatever_comes_before_it(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """A Class A line without a name (reported as missing) or a market-priced one before it stops no judgement."""
    unnamed = make_line(name=" ", unit="元/吨", pricing_class="政府定价", basis="交水规")
    market = make_line(name="文件费")
    off = make_line(name="港口杂项收费", unit="元/吨", pricing_class="政府定价", basis="交水规")
    report = validate(make_catalogue(unnamed, market, off), reference, JUNE)
    found = [(f.rule, f.location.row) for f in report.findings if f.rule == "not-on-government-list"]
    assert found == [("not-on-government-list", off.row)]


def test_a_government_priced_fee_posted_at_zero_is_still_judged_against_its_rate(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    report = validate(make_catalogue(make_line(**HWF | {"standard": "0"})), reference, JUNE)
    assert [(f.message, f.params["actual"], f.params["expected"]) for f in report.findings] == [
        (FIXED_FOR_CONDITIONS, "0", "34.00")
    ]


def test_a_fee_folded_into_a_bundle_the_list_does_not_define_names_the_bundle_by_its_code(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    folded = next(item for item in reference.gov_items if item.code == "BARGE-FOLDED")
    report = validate(make_catalogue(make_line(**BARGE)), replace(reference, bundles=()), JUNE)
    assert [(f.rule, f.params["bundle"]) for f in report.findings] == [("abolished-fee", folded.folded_into)]


def test_a_fee_folded_into_no_named_bundle_names_none(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    items = tuple(replace(i, folded_into=None) if i.code == "BARGE-FOLDED" else i for i in reference.gov_items)
    report = validate(make_catalogue(make_line(**BARGE)), replace(reference, gov_items=items), JUNE)
    assert [(f.rule, f.params["bundle"]) for f in report.findings] == [("abolished-fee", "")]


@pytest.mark.parametrize(
    ("updated", "last_confirmed", "effective", "field", "latest"),
    [
        ("2023-05-31", None, "2023-01-01", "updated_date", "2023-05-31"),
        ("2022-01-01", None, "2023-05-31", "updated_date", "2023-05-31"),  # the updated date's field, the later date
        ("", None, "2023-05-31", "effective_date", "2023-05-31"),
        ("", date(2023, 5, 1), "2023-01-01", "effective_date", "2023-05-01"),  # a confirmation has no field
    ],
)
def test_a_stale_list_is_a_warning_at_its_updated_date_else_its_effective_date(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    updated: str,
    last_confirmed: date | None,
    effective: str,
    field: str,
    latest: str,
) -> None:
    catalogue = make_catalogue(
        make_line(), effective_date=effective, updated_date=updated, last_confirmed=last_confirmed
    )
    report = validate(catalogue, reference, JUNE)
    assert [
        (f.severity, f.message, f.location.field if f.location else None, f.basis, dict(f.params))
        for f in report.findings
        if f.rule == "stale-list"
    ] == [(Severity.WARNING, STALE, field, "穗商务规字〔2021〕4号", {"date": latest, "as_of": "2024-06-01"})]


@pytest.mark.parametrize(
    ("absent", "fields", "missing"),
    [
        # one text column left: a blank name is still missing (its text is not read letter by letter)
        ({"service_content", "unit", "pricing_class"}, {"name": "", "standard": "100"}, ["name"]),
        ({"service_content", "unit", "pricing_class"}, {"name": "理 货", "standard": ""}, ["standard"]),
        # no text column left but the standard
        ({"name", "service_content", "unit", "pricing_class"}, {"name": "", "standard": ""}, ["standard"]),
        ({"name", "service_content", "unit", "pricing_class"}, {"name": "", "standard": "100"}, []),
    ],
)
def test_a_source_with_few_columns_is_checked_for_the_columns_it_has(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, absent, fields, missing
) -> None:
    catalogue = replace(make_catalogue(make_line(**fields)), absent_fields=frozenset(absent))
    report = validate(catalogue, reference, JUNE)
    assert [f.location.field if f.location else None for f in report.findings if f.rule == "missing-field"] == missing


@pytest.mark.parametrize("standard", ["0-100", "0.5-2", "1-3天免费;4天及以上100元/天", "前3天0.5元/天;4天以上1元/天"])
def test_a_range_from_zero_or_a_free_or_sub_yuan_tier_is_a_valid_standard(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, standard: str
) -> None:
    report = validate(make_catalogue(make_line(standard=standard)), reference, JUNE)
    assert [f for f in report.findings if f.rule == "invalid-value"] == []


@pytest.mark.parametrize(
    ("name", "conditions", "standard", "expected"),
    [
        ("货物港务费（外贸出口）", "20英尺", "34.00", ["17.00"]),  # the bracket says export: 17, not import's 34
        ("货物港务费（外贸出口）", "20英尺", "17.00", []),
    ],
)
def test_the_conditions_written_in_brackets_in_a_name_choose_the_government_rate(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, name, conditions, standard, expected
) -> None:
    line = make_line(**HWF | {"name": name, "conditions": conditions, "standard": standard})
    report = validate(make_catalogue(line), reference, JUNE)
    assert [f.params["expected"] for f in report.findings if f.rule == "rate-deviation"] == expected


@pytest.mark.parametrize("conditions", ["", "内贸", "外贸"])
def test_a_fee_abolished_for_some_trade_is_still_chargeable_where_a_row_in_force_applies(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, conditions: str
) -> None:
    """Pilotage is in force for any trade; a row abolishing it for domestic trade does not make the line abolished,
    since the row in force applies to it as well."""
    pilotage = next(item for item in reference.gov_items if item.code == "PIL")
    domestic = replace(
        pilotage, code="PIL-DT", status=GovStatus.ABOLISHED, conditions=Conditions(trade="内贸"), rate=None
    )
    judged = replace(reference, gov_items=(*reference.gov_items, domestic))
    report = validate(make_catalogue(make_line(**PIL | {"conditions": conditions})), judged, JUNE)
    assert "abolished-fee" not in {f.rule for f in report.findings}


def test_conditions_in_two_brackets_of_an_alias_repeat_the_same_conditions_written_out(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """文件费(外贸)(冷藏) is 单证费 for foreign-trade reefers; 单证费 with those conditions written out repeats it."""
    aliased = replace(reference, aliases={**reference.aliases, "文件费(外贸)(冷藏)": "单证费"})
    lines = (make_line(name="文件费（外贸）（冷藏）"), make_line(name="单证费", conditions="外贸 冷藏"))
    report = validate(make_catalogue(*lines), aliased, JUNE)
    assert [(f.line_key, f.params.get("first")) for f in report.findings if f.rule == "duplicate-item"] == [
        ("L2", "文件费（外贸）（冷藏）")
    ]
