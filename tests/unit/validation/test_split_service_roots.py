"""split-service: the service a government item's name names (its root), worked out by hand at the boundaries, and
which government items give patterns (in force on the list's date, however they are ordered; none at all)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.validation.engine import validate
from portal.validation.model import BundleComponent, GovItem, PricingClass, Reference, Severity
from portal.validation.rules.invalid_value import CREDIT_CODE, DATE
from portal.validation.rules.split_service import COMPONENT, SECOND_FEE, SURCHARGE, root

from .conftest import CLASS_A, MEASURES, CatalogueFactory, LineFactory

JUNE = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("围油栏使用费", "围油栏"),
        ("围油栏服务费", "围油栏"),  # the second action word is tried after the first does not end the name
        ("泊位使用费", "泊位"),  # a root of exactly two characters is kept
        ("港作业费", "港作业"),  # stripping would leave one character: the word stays
        ("港费", ""),  # too short to be a root at all
    ],
)
def test_the_root_of_a_government_item_s_name(name: str, expected: str) -> None:
    assert root(name) == expected


def _split(make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, name: str, effective: str):
    line = make_line(**CLASS_A | {"name": name, "standard": "100", "unit": "元/吨", "pricing_class": "市场调节价"})
    report = validate(make_catalogue(line, effective_date=effective), reference, JUNE)
    return [(f.message, f.params.get("gov_item")) for f in report.findings if f.rule == "split-service"]


def test_an_item_after_one_out_of_force_still_gives_its_second_fee_pattern(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """The oil-pollution fund is listed after 港口建设费, which ended in 2020."""
    found = _split(make_line, make_catalogue, reference, "船舶油污损害赔偿基金服务费", "2024-01-01")
    assert found == [(SECOND_FEE, "船舶油污损害赔偿基金")]


def test_an_item_out_of_force_on_the_list_s_date_gives_no_pattern(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    assert _split(make_line, make_catalogue, reference, "港口建设服务费", "2020-06-01") == [(SECOND_FEE, "港口建设费")]
    assert _split(make_line, make_catalogue, reference, "港口建设服务费", "2024-01-01") == []


def test_a_list_judged_against_an_empty_government_list_has_no_split_service(
    make_line: LineFactory, make_catalogue: CatalogueFactory
) -> None:
    assert _split(make_line, make_catalogue, Reference(), "围油栏布防服务费", "2024-01-01") == []


@pytest.mark.parametrize(
    ("header", "message", "field"),
    [
        ({"credit_code": "91440101MA5ABCDE10"}, CREDIT_CODE, "credit_code"),
        ({"updated_date": "soon"}, DATE, "updated_date"),
    ],
)
def test_an_unreadable_header_value_is_an_error(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, header, message, field
) -> None:
    report = validate(make_catalogue(make_line(), **header), reference, JUNE)
    assert [(f.rule, f.severity, f.message, f.location.field) for f in report.findings] == [
        ("invalid-value", Severity.ERROR, message, field)
    ]


def _findings(make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, *lines: dict):
    catalogue = make_catalogue(*(make_line(**fields) for fields in lines), effective_date="2024-01-01")
    report = validate(catalogue, reference, JUNE)
    return [(f.line_key, f.message, dict(f.params)) for f in report.findings if f.rule == "split-service"]


def test_a_surcharge_names_the_longest_government_service_its_words_mention(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """围油栏 (the root of 围油栏使用费) begins 围油栏布设船; the line speaks of the boom-laying boat's service."""
    boat = GovItem(
        code="BOOM-BOAT",
        name_zh="围油栏布设船使用费",
        name_en="Boom-laying boat fee",
        pricing_class=PricingClass.GOV_GUIDED,
        unit="元/艘次",
        basis=MEASURES,
    )
    judged = replace(reference, gov_items=(*reference.gov_items, boat))
    night = {"name": "夜班费", "service_content": "围油栏布设船夜间作业"}
    found = _findings(make_line, make_catalogue, judged, night)
    assert found == [("L1", SURCHARGE, {"item": "夜班费", "gov_item": "围油栏布设船使用费"})]


def test_a_two_character_alias_of_a_government_item_is_a_mention_of_it(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    items = tuple(replace(i, aliases=("领航",)) if i.code == "PIL" else i for i in reference.gov_items)
    night = {"name": "夜班费", "service_content": "领航夜间加班"}
    found = _findings(make_line, make_catalogue, replace(reference, gov_items=items), night)
    assert found == [("L1", SURCHARGE, {"item": "夜班费", "gov_item": "引航(移泊)费"})]
    assert _findings(make_line, make_catalogue, reference, night) == []


def _with_package_component(reference: Reference, component: BundleComponent) -> Reference:
    """The list with one more component in 港口作业包干费."""
    bundles = tuple(
        replace(b, components=(*b.components, component)) if b.name_zh == "港口作业包干费" else b
        for b in reference.bundles
    )
    return replace(reference, bundles=bundles)


def test_a_bundle_component_with_a_two_character_stem_is_found_beside_the_bundle(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    storage = BundleComponent("堆存", "Storage", MEASURES)
    lines = ({"name": "港口作业包干费", "standard": "850"}, {"name": "堆存费"})
    found = _findings(make_line, make_catalogue, _with_package_component(reference, storage), *lines)
    assert found == [("L2", COMPONENT, {"item": "堆存费", "bundle": "港口作业包干费"})]
    assert _findings(make_line, make_catalogue, reference, *lines) == []


def test_a_component_is_found_when_the_government_list_is_empty(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    lines = ({"name": "港口作业包干费", "standard": "850"}, {"name": "场内搬移费"})
    found = _findings(make_line, make_catalogue, Reference(bundles=reference.bundles), *lines)
    assert found == [("L2", COMPONENT, {"item": "场内搬移费", "bundle": "港口作业包干费"})]


def test_a_name_that_is_both_a_charged_component_and_a_second_fee_is_told_as_the_component(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    laying = BundleComponent("围油栏布防", "Oil boom laying", MEASURES)
    lines = ({"name": "港口作业包干费", "standard": "850"}, {"name": "围油栏布防服务费"})
    found = _findings(make_line, make_catalogue, _with_package_component(reference, laying), *lines)
    assert found == [("L2", COMPONENT, {"item": "围油栏布防服务费", "bundle": "港口作业包干费"})]
    alone = _findings(make_line, make_catalogue, reference, *lines)
    assert alone == [("L2", SECOND_FEE, {"item": "围油栏布防服务费", "gov_item": "围油栏使用费"})]


def test_a_market_fee_that_only_mentions_a_government_service_is_no_surcharge(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    cleaning = {"name": "清洗费", "service_content": "围油栏使用后清洗", "remarks": "引航(移泊)后"}
    assert _findings(make_line, make_catalogue, reference, cleaning) == []


def test_a_surcharge_s_mention_may_run_across_its_name_conditions_content_and_remarks(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    """The four texts are read as one, spaces dropped: 围油 in the conditions and 栏 in the content name 围油栏."""
    night = {"name": "夜班费", "conditions": "围 油", "service_content": "栏", "remarks": "（夜间）"}
    found = _findings(make_line, make_catalogue, reference, night)
    assert found == [("L1", SURCHARGE, {"item": "夜班费", "gov_item": "围油栏使用费"})]
    assert _findings(make_line, make_catalogue, reference, night | {"service_content": "", "remarks": "栏"}) == found
    assert _findings(make_line, make_catalogue, reference, night | {"service_content": "-栏"}) == []
