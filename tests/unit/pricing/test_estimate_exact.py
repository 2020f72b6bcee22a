"""Estimates asserted whole: every field of a charge, the trace written out by hand, boundaries of days and counts,
and lines after a skipped one still priced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.pricing.estimate import (
    NEEDS_DAYS,
    NO_OFFICIAL,
    NOT_A_FIGURE,
    NOT_PER_BOX,
    OFFICIAL,
    Charge,
    Shipment,
    TierGap,
    Total,
    currencies,
    currency_of,
    estimate,
    line_conditions,
    line_key,
    services_offered,
    side_by_side,
)
from portal.validation.model import Conditions, GovItem, PricingClass, RateKind, Reference

TODAY = date(2026, 11, 23)
IMPORT_40 = Shipment(trade="外贸进口", container_size="40", count=2, laden="重箱", cargo="普通货物")


def _charges(line, edition, reference, shipment, *lines):
    (result,) = estimate([edition(1, *lines)], shipment, reference, TODAY)
    return result.charges


def test_a_fixed_line_is_charged_whole_with_its_unit_currency_trace_and_no_note(line, edition, reference):
    box = line("港口作业包干费", "1,250", "元/箱", "外贸 40英尺 重箱")
    (charge,) = _charges(line, edition, reference, IMPORT_40, box)
    assert charge == Charge(box, "元/箱", "CNY", Decimal("2500"), Decimal("2500"), "1,250.00 元/箱 × 2 箱 = 2,500.00")
    assert (charge.note, dict(charge.params)) == ("", {})


def test_a_unit_the_shipment_says_nothing_about_is_listed_whole_without_an_amount(line, edition, reference):
    weighed = line("理货费", "3", "元/吨")
    (charge,) = _charges(line, edition, reference, IMPORT_40, weighed)
    assert charge == Charge(weighed, "元/吨", "CNY", note=NOT_PER_BOX)
    assert dict(charge.params) == {"unit": "元/吨"}


def test_a_standard_in_words_is_listed_in_its_currency_without_an_amount(line, edition, reference):
    agreed = line("文件费", "面议", "USD/票", currency="USD")
    (charge,) = _charges(line, edition, reference, IMPORT_40, agreed)
    assert charge == Charge(agreed, "USD/票", "USD", note=NOT_A_FIGURE)
    assert dict(charge.params) == {"standard": "面议"}


def test_ten_boxes_are_written_as_ten_not_in_exponent_notation(line, edition, reference):
    ten = Shipment("外贸进口", "40", 10, "重箱", "普通货物")
    (charge,) = _charges(line, edition, reference, ten, line("港口作业包干费", "100", "元/箱"))
    assert charge.formula == "100.00 元/箱 × 10 箱 = 1,000.00"


def test_a_charge_per_box_and_day_multiplies_boxes_by_days(line, edition, reference):
    shipment = Shipment("外贸进口", "40", 2, "重箱", "普通货物", days=5)
    reefer = line("冷藏箱电费", "10", "元/箱·天")
    (charge,) = _charges(line, edition, reference, shipment, reefer)
    assert charge == Charge(
        reefer, "元/箱·天", "CNY", Decimal("100"), Decimal("100"), "10.00 元/箱·天 × 2 箱 × 5 天 = 100.00"
    )


def test_a_charge_by_the_day_alone_is_written_with_the_days_only(line, edition, reference):
    shipment = Shipment("外贸进口", "40", 2, "重箱", "普通货物", days=5)
    (charge,) = _charges(line, edition, reference, shipment, line("看护费", "30", "元/天"))
    assert (charge.low, charge.formula) == (Decimal("150"), "30.00 元/天 × 5 天 = 150.00")


@pytest.mark.parametrize(("days", "estimated"), [(0, False), (1, True)])
def test_one_day_is_enough_for_a_charge_by_the_day(line, edition, reference, days, estimated):
    shipment = Shipment("外贸进口", "40", 2, "重箱", "普通货物", days=days)
    (charge,) = _charges(line, edition, reference, shipment, line("看护费", "30", "元/天"))
    assert (charge.low, charge.note) == ((Decimal("30"), "") if estimated else (None, NEEDS_DAYS))


def test_one_day_is_enough_for_a_tiered_standard(line, edition, reference):
    shipment = Shipment("外贸进口", "40", 2, "重箱", "普通货物", days=1)
    storage = line("库场使用费", "1-3天20元/天；4天及以上40元/天", "元/箱·天")
    (charge,) = _charges(line, edition, reference, shipment, storage)
    assert charge == Charge(storage, "元/箱·天", "CNY", Decimal("40"), Decimal("40"), "(1 天 × 20.00) × 2 箱 = 40.00")


def test_a_pass_through_tiered_line_without_an_official_rate_says_the_posted_rate_was_used(line, edition, reference):
    shipment = Shipment("外贸进口", "40", 1, "重箱", "普通货物", days=2)
    storage = line("库场使用费", "1-3天20元/天；4天及以上40元/天", "元/箱·天", pass_through="是")
    (charge,) = _charges(line, edition, reference, shipment, storage)
    assert charge == Charge(
        storage, "元/箱·天", "CNY", Decimal("40"), Decimal("40"), "(2 天 × 20.00) × 1 箱 = 40.00", NO_OFFICIAL
    )


def test_a_day_no_tier_covers_is_named_in_the_error():
    assert str(TierGap(4)) == "no tier covers day 4"


def test_the_more_specific_of_two_fitting_lines_wins_even_when_listed_second(line, edition, reference):
    # Both name two of the shipment's conditions exactly; the second names a third (外贸) that fits without being
    # exact, so it is the more specific line.
    first = line("港口作业包干费", "900", "元/箱", "外贸进口 40英尺")
    second = line("港口作业包干费", "800", "元/箱", "外贸 40英尺 重箱")
    (charge,) = _charges(line, edition, reference, IMPORT_40, first, second)
    assert charge.line is second


def test_lines_after_an_unticked_or_unfitting_line_are_still_priced(line, edition, reference):
    lines = (
        line("港口作业包干费", "1000", "元/箱", "外贸 40英尺"),
        line("熏蒸费", "360", "元/箱"),  # optional, not ticked
        line("装卸费", "500", "元/箱", "内贸"),  # does not fit a foreign-trade shipment
        line("文件费", "450", "元/票"),
    )
    charges = _charges(line, edition, reference, IMPORT_40, *lines)
    assert [(c.line.name, c.low) for c in charges] == [("港口作业包干费", Decimal("2000")), ("文件费", Decimal("450"))]


def _item(code: str, rate: str, conditions: Conditions, rate_kind: RateKind | None) -> GovItem:
    return GovItem(
        code=code,
        name_zh="货物港务费",
        name_en="Port charge on cargo",
        pricing_class=PricingClass.GOV_PRICED,
        unit="元/箱",
        basis="交水规〔2019〕2号",
        conditions=conditions,
        rate=Decimal(rate),
        rate_kind=rate_kind,
    )


def test_a_pass_through_line_takes_the_most_specific_official_row_a_rate_kind_left_blank_counting_as_fixed(
    line, edition
):
    reference = Reference(
        gov_items=(
            _item("GENERAL", "10", Conditions(), RateKind.FIXED),
            _item("IMPORT-40", "27.20", Conditions(trade="外贸进口", container_size="40"), None),
        )
    )
    posted = line("货物港务费", "30", "元/箱", pass_through="是")
    (charge,) = _charges(line, edition, reference, IMPORT_40, posted)
    assert (charge.low, charge.note, dict(charge.params)) == (
        Decimal("54.40"),
        OFFICIAL,
        {"code": "IMPORT-40", "item": "货物港务费", "item_en": "Port charge on cargo"},
    )


def test_an_estimate_keeps_its_edition_and_its_totals_by_currency(line, edition, reference):
    lines = (
        line("港口作业包干费", "1000", "元/箱"),
        line("文件费", "50", "USD/票", currency="USD"),
    )
    terminal = edition(1, *lines)
    (result,) = estimate([terminal], IMPORT_40, reference, TODAY)
    assert result.edition is terminal
    assert result.total("USD") == Total("USD", Decimal("50"), Decimal("50"))
    assert result.total("EUR") is None


def test_the_currencies_of_several_estimates_are_listed_once_cny_first_then_by_code():
    def totals(*codes: str) -> SimpleNamespace:
        return SimpleNamespace(totals=tuple(Total(code, Decimal(1), Decimal(1)) for code in codes))

    assert currencies([totals("USD", "AUD"), totals("CNY", "USD")]) == ("CNY", "AUD", "USD")


def test_rows_side_by_side_are_keyed_by_the_fee_s_name_key(line, edition, reference):
    editions = [edition(1, line("文件费", "450", "元/票")), edition(2, line("DOC", "500", "元/票"))]
    rows = side_by_side(estimate(editions, IMPORT_40, reference, TODAY))
    assert [(row.key, row.name, [c.low for c in row.cells]) for row in rows] == [
        ("单证费", "文件费", [Decimal("450"), Decimal("500")])
    ]


def test_a_line_without_a_stored_key_is_keyed_by_its_normalised_name():
    assert line_key(SimpleNamespace(name_key="", name=" 文件费（DOC） ")) == "文件费(doc)"


def test_the_optional_services_offered_are_listed_by_service_with_each_name_once(line, edition):
    editions = [
        edition(1, line("查验吊装费", "380", "元/箱"), line("熏蒸费", "360", "元/箱"), line("文件费", "450", "元/票")),
        edition(2, line("查验吊装费", "400", "元/箱"), line("查验搬移费", "200", "元/箱")),
    ]
    assert services_offered(editions) == {"inspection": ["查验吊装费", "查验搬移费"], "fumigation": ["熏蒸费"]}


def test_a_line_s_conditions_include_the_inspection_outcome_its_text_names(line):
    inspected = line("查验吊装费", "380", "元/箱", "外贸进口 40英尺 重箱 查验有问题")
    assert line_conditions(inspected) == Conditions("外贸进口", "40", "重箱", None, "查验有问题")


def test_an_inspection_without_a_problem_is_free_even_when_listed_first(line, edition, reference):
    lines = (
        line("查验吊装费", "0", "元/箱", "外贸进口 40英尺 重箱 查验无问题"),
        line("查验吊装费", "380", "元/箱", "外贸进口 40英尺 重箱 查验有问题"),
    )
    inspected = Shipment("外贸进口", "40", 2, "重箱", "普通货物", services=frozenset({"inspection"}))
    (charge,) = _charges(line, edition, reference, inspected, *lines)
    assert (charge.line.standard, charge.low) == ("380", Decimal("760"))


def test_a_currency_the_vocabulary_does_not_know_is_kept_in_capitals():
    assert currency_of(SimpleNamespace(currency=" hkd ")) == "HKD"
