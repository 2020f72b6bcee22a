"""Shipment estimates and comparison figures, checked against amounts worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.pricing import comparison as compare
from portal.pricing.estimate import (
    NEEDS_DAYS,
    NO_OFFICIAL,
    NOT_A_FIGURE,
    NOT_PER_BOX,
    OFFICIAL,
    TIER_GAP,
    Shipment,
    TierGap,
    counting,
    currencies,
    estimate,
    median,
    side_by_side,
    tiered,
)
from portal.validation.model import Conditions, Tier

TODAY = date(2026, 11, 23)
IMPORT_40 = Shipment(trade="外贸进口", container_size="40", count=2, laden="重箱", cargo="普通货物")


def _by_name(result):
    return {charge.line.name: charge for charge in result.charges}


def test_two_laden_forty_foot_import_boxes_cost_exactly_the_sum_of_rate_times_quantity(line, edition, reference):
    terminal = edition(
        1,
        line("港口作业包干费", "1,250", "元/箱", "外贸 40英尺 重箱 普通货物"),
        line(
            "货物港务费", "34.00", "元/箱", "外贸进口 40英尺 重箱 普通货物", pass_through="是", pricing_class="政府定价"
        ),
    )
    shipping_line = edition(2, line("文件费", "450", "元/票"))
    at_terminal, at_line = estimate([terminal, shipping_line], IMPORT_40, reference, TODAY)
    charges = _by_name(at_terminal)
    assert charges["港口作业包干费"].formula == "1,250.00 元/箱 × 2 箱 = 2,500.00"
    assert charges["货物港务费"].formula == "34.00 元/箱 × 2 箱 = 68.00"
    assert [(t.currency, t.low, t.high) for t in at_terminal.totals] == [
        ("CNY", Decimal("2568.00"), Decimal("2568.00"))
    ]
    assert _by_name(at_line)["文件费"].formula == "450.00 元/票 × 1 票 = 450.00"
    assert [(t.currency, t.low) for t in at_line.totals] == [("CNY", Decimal("450"))]


@pytest.mark.parametrize(
    ("on", "official", "code"),
    [
        (TODAY, Decimal("34.00"), "HWF-FT-GEN-40-IM-GZ"),
        (date(2020, 4, 1), Decimal("27.20"), "HWF-FT-GEN-40-IM-GZ2020"),  # the 2020 temporary 20% cut
    ],
)
def test_a_pass_through_fee_is_estimated_at_the_official_rate_of_the_day_not_the_posted_one(
    line, edition, reference, on, official, code
):
    marked_up = line("货物港务费", "40.00", "元/箱", "外贸进口 40英尺 重箱", pass_through="是")
    (result,) = estimate([edition(1, marked_up)], IMPORT_40, reference, on)
    (dues,) = result.charges
    assert (dues.low, dues.high) == (official * 2, official * 2)
    assert (dues.note, dues.params) == (
        OFFICIAL,
        {"code": code, "item": "货物港务费", "item_en": "Harbour dues on cargo"},
    )
    assert dues.formula.startswith(f"{official:.2f} 元/箱 × 2 箱")


def test_a_pass_through_fee_the_government_list_has_no_rate_for_is_taken_as_posted_and_said_so(
    line, edition, reference
):
    (result,) = estimate(
        [edition(1, line("代收电子数据传输费", "100", "元/票", pass_through="是"))], IMPORT_40, reference, TODAY
    )
    (deposit,) = result.charges
    assert (deposit.low, deposit.note) == (Decimal("100"), NO_OFFICIAL)


@pytest.mark.parametrize(
    ("days", "total", "formula"),
    [
        (7, "0", "(7 天 × 0.00) × 1 箱 = 0.00"),
        (8, "85", "(7 天 × 0.00 + 1 天 × 85.00) × 1 箱 = 85.00"),
        (14, "595", "(7 天 × 0.00 + 7 天 × 85.00) × 1 箱 = 595.00"),
        (20, "1615", "(7 天 × 0.00 + 7 天 × 85.00 + 6 天 × 170.00) × 1 箱 = 1,615.00"),
    ],
)
def test_tiered_storage_is_summed_day_by_day(line, edition, reference, days, total, formula):
    storage = line("滞箱费", "1-7天免费；8-14天85元/天；15天及以上170元/天", "元/箱·天", "外贸进口 40英尺")
    shipment = Shipment("外贸进口", "40", 1, "重箱", "普通货物", days=days)
    (result,) = estimate([edition(1, storage)], shipment, reference, TODAY)
    (charge,) = result.charges
    assert (charge.low, charge.high, charge.formula) == (Decimal(total), Decimal(total), formula)


def test_tiers_for_two_boxes_over_twenty_days_cost_twice_one_box(line, edition, reference):
    storage = line("滞箱费", "1-7天免费；8-14天85元/天；15天及以上170元/天", "元/箱·天")
    (result,) = estimate(
        [edition(1, storage)], Shipment("外贸进口", "40", 2, "重箱", "普通货物", days=20), reference, TODAY
    )
    assert result.totals[0].low == Decimal("3230")


def test_charges_by_the_day_wait_for_a_number_of_days(line, edition, reference):
    lines = (line("库场使用费", "1-4天免费；5天及以上40元/天", "元/箱·天"), line("冷藏箱电费", "220", "元/箱·天"))
    (result,) = estimate([edition(1, *lines)], IMPORT_40, reference, TODAY)
    assert [(c.estimated, c.note) for c in result.charges] == [(False, NEEDS_DAYS), (False, NEEDS_DAYS)]
    assert result.totals == ()


def test_a_day_no_tier_covers_is_not_guessed(line, edition, reference):
    tiers = (Tier(Decimal(1), Decimal(3), Decimal(0)), Tier(Decimal(5), None, Decimal(10)))
    with pytest.raises(TierGap) as gap:
        tiered(tiers, 6)
    assert gap.value.day == 4
    storage = line("库场使用费", "1-3天免费；5天及以上10元/天", "元/箱·天")
    shipment = Shipment("外贸进口", "40", 1, "重箱", "普通货物", days=6)
    (result,) = estimate([edition(1, storage)], shipment, reference, TODAY)
    (charge,) = result.charges
    assert (charge.low, charge.note, dict(charge.params)) == (None, TIER_GAP, {"day": 4})


def test_a_range_adds_its_minimum_and_its_maximum_to_separate_totals(line, edition, reference):
    lines = (line("港口作业包干费", "1250", "元/箱"), line("文件费", "400-500", "元/票"))
    (result,) = estimate([edition(1, *lines)], IMPORT_40, reference, TODAY)
    assert _by_name(result)["文件费"].formula == "400.00–500.00 元/票 × 1 票 = 400.00–500.00"
    (total,) = result.totals
    assert (total.low, total.high, total.ranged) == (Decimal("2900"), Decimal("3000"), True)


def test_dollar_lines_are_totalled_apart_and_never_converted(line, edition, reference):
    lines = (
        line("起运港接货费（ORC）", "141", "美元/箱", "外贸出口 20英尺 重箱", currency="USD"),
        line("订舱取消费", "50", "USD/BL", currency="USD"),
        line("文件费", "450", "元/票"),
    )
    export_20 = Shipment("外贸出口", "20", 2, "重箱", "普通货物", services=frozenset({"amendments"}))
    (result,) = estimate([edition(1, *lines)], export_20, reference, TODAY)
    assert [(t.currency, t.low) for t in result.totals] == [("CNY", Decimal("450")), ("USD", Decimal("332"))]
    assert currencies([result]) == ("CNY", "USD")


@pytest.mark.parametrize(
    ("conditions", "applies"),
    [
        ("外贸出口 40英尺 重箱", False),
        ("内贸 40英尺", False),
        ("外贸 40英尺", True),  # 外贸 covers import and export
        ("外贸进口 20英尺", False),
        ("外贸进口 40英尺 空箱", False),
        ("危险货物", False),
        ("", True),
    ],
)
def test_a_line_applies_only_where_its_conditions_fit_the_shipment(line, edition, reference, conditions, applies):
    (result,) = estimate([edition(1, line("理货服务费", "28", "元/箱", conditions))], IMPORT_40, reference, TODAY)
    assert bool(result.charges) is applies


@pytest.mark.parametrize(
    ("lines", "taken"),
    [
        ((("外贸 重箱", "900"), ("外贸进口 40英尺 重箱", "1250")), "1250"),
        ((("外贸 40英尺", "900"), ("外贸进口 40英尺", "1250")), "1250"),  # an exact trade beats 外贸
        ((("外贸进口 40英尺", "1250"), ("外贸 40英尺", "900")), "1250"),
        ((("40英尺", "700"), ("", "600")), "700"),
        ((("外贸进口 40英尺", "1250"), ("外贸进口 40英尺", "1300")), "1250"),  # equals: the first listed
    ],
)
def test_of_several_lines_for_one_fee_the_most_specific_is_taken(line, edition, reference, lines, taken):
    written = [line("港口作业包干费", amount, "元/箱", conditions) for conditions, amount in lines]
    (result,) = estimate([edition(1, *written)], IMPORT_40, reference, TODAY)
    (charge,) = result.charges
    assert charge.low == Decimal(taken) * 2


def test_optional_services_count_only_when_ticked(line, edition, reference):
    lines = (
        line("熏蒸费", "360", "元/箱", "40英尺"),
        line("查验吊装费", "380", "元/箱", "外贸进口 40英尺 重箱 查验有问题"),
        line("查验吊装费", "0", "元/箱", "外贸进口 40英尺 重箱 查验无问题"),
    )
    (plain,) = estimate([edition(1, *lines)], IMPORT_40, reference, TODAY)
    assert plain.charges == ()
    inspected = Shipment("外贸进口", "40", 2, "重箱", "普通货物", services=frozenset({"inspection"}))
    (result,) = estimate([edition(1, *lines)], inspected, reference, TODAY)
    assert [(c.line.name, c.low) for c in result.charges] == [("查验吊装费", Decimal("760"))]


def test_units_that_do_not_follow_from_boxes_or_bills_are_listed_without_an_amount(line, edition, reference):
    lines = (line("件杂货理货费", "0.90", "元/计费吨"), line("操作费", "面议", "元/票"))
    (result,) = estimate([edition(1, *lines)], IMPORT_40, reference, TODAY)
    assert [(c.low, c.note, dict(c.params)) for c in result.charges] == [
        (None, NOT_PER_BOX, {"unit": "元/计费吨"}),
        (None, NOT_A_FIGURE, {"standard": "面议"}),
    ]
    assert result.totals == ()


@pytest.mark.parametrize(
    ("unit", "size", "expected"),
    [
        ("元/箱", "40", (Decimal(3), "箱", False)),
        ("元/柜", "20", (Decimal(3), "柜", False)),
        ("美元/箱", "40", (Decimal(3), "箱", False)),
        ("元/标准箱", "40", (Decimal(6), "TEU", False)),  # a 40' box is 2 TEU
        ("元/TEU", "20", (Decimal(3), "TEU", False)),
        ("元/TEU", "45", (Decimal("6.75"), "TEU", False)),
        ("元/票", "40", (Decimal(1), "票", False)),
        ("元/提单", "40", (Decimal(1), "提单", False)),
        ("USD/BL", "40", (Decimal(1), "BL", False)),
        ("元/箱·天", "40", (Decimal(3), "箱", True)),
        ("元/箱天", "40", (Decimal(3), "箱", True)),
        ("元/天", "40", (Decimal(1), "", True)),
        ("元/箱·日", "40", (Decimal(3), "箱", True)),
        ("元/标准箱天", "40", (Decimal(6), "TEU", True)),  # a longer noun before 天 written without the dot
        ("元/自然箱天", "20", (Decimal(3), "自然箱", True)),
        ("元/箱/天", "40", (Decimal(3), "箱", True)),  # the day as a second per
        ("元/天/箱", "40", (Decimal(3), "箱", True)),
        ("USD per CNTR", "40", (Decimal(3), "CNTR", False)),  # a foreign shipping line's English
        ("元/标箱", "40", (Decimal(6), "TEU", False)),
        ("元/箱次", "40", None),  # per box move: not a charge by the day
        ("HKD/箱", "40", None),  # neither yuan nor dollars: not counted
        ("元/吨", "40", None),
        ("元/车", "40", None),
        ("元/艘次", "40", None),
        ("", "40", None),
    ],
)
def test_how_many_units_a_shipment_takes(unit, size, expected):
    count = counting(unit, Shipment("外贸进口", size, 3, "重箱", "普通货物"))
    assert (None if count is None else (count.quantity, count.noun, count.daily)) == expected


def test_operators_are_set_side_by_side_one_row_per_fee(line, edition, reference):
    first = edition(1, line("港口作业包干费", "1250", "元/箱"), line("文件费", "450", "元/票"))
    second = edition(2, line("单证费", "500", "元/票"))  # 单证费 is 文件费 under its canonical name
    rows = side_by_side(estimate([first, second], IMPORT_40, reference, TODAY))
    assert [(row.name, [c and c.low for c in row.cells]) for row in rows] == [
        ("港口作业包干费", [Decimal("2500"), None]),
        ("文件费", [Decimal("450"), Decimal("500")]),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["7"], "7"),
        (["3", "1", "2"], "2"),
        (["450", "400", "500", "200"], "425"),
        (["0.01", "0.02"], "0.015"),
        (["1", "1", "2", "2", "9"], "2"),
    ],
)
def test_the_median_is_exact_and_averages_the_middle_pair_of_an_even_count(values, expected):
    assert median([Decimal(v) for v in values]) == Decimal(expected)


def test_there_is_no_median_of_nothing():
    with pytest.raises(ValueError, match="^the median of no values$"):
        median([])


def test_a_comparison_keeps_units_and_currencies_apart_and_puts_words_last(line, edition, reference):
    editions = [
        edition(1, line("文件费", "450", "元/票")),
        edition(2, line("DOC", "500", "元/票"), line("单证费", "60", "USD/BL", currency="USD")),
        edition(3, line("单证费", "400-480", "元/票")),
        edition(4, line("单证费", "面议", "元/票"), line("单证费", "200", "元/票")),
        edition(5, line("换单费", "300", "元/票")),
    ]
    keys = compare.service_keys("文件费", reference)
    result = compare.comparison_of(editions, keys, Conditions())
    assert [(o.edition.operator_id, o.line.standard) for o in result.offers] == [
        (4, "200"),
        (3, "400-480"),
        (1, "450"),
        (2, "500"),
        (2, "60"),
        (4, "面议"),
    ]
    (cny,) = result.groups  # the single USD line has nothing to be compared with
    assert (cny.unit, cny.currency) == ("元/票", "CNY")
    stats = cny.statistics
    assert (stats.count, stats.minimum, stats.median, stats.maximum) == (
        3,
        Decimal("200"),
        Decimal("450"),
        Decimal("500"),
    )
    assert [(b.low_share, b.high_share) for b in cny.bars] == [
        (Decimal("0.4000"), Decimal("0.4000")),
        (Decimal("0.8000"), Decimal("0.9600")),
        (Decimal("0.9000"), Decimal("0.9000")),
        (Decimal("1.0000"), Decimal("1.0000")),
    ]
    assert [(o.edition.operator_id, o.line.standard) for o in result.apart] == [(2, "60"), (4, "面议")]


def test_statistics_are_taken_only_within_groups_of_the_same_conditions(line, edition, reference):
    """Laden and empty, domestic and foreign, per box and per bill: never one median."""
    editions = [
        edition(
            1,
            line("港口作业包干费", "800", "元/箱", "外贸 40英尺 重箱"),
            line("港口作业包干费", "400", "元/箱", "外贸 40英尺 空箱"),
        ),
        edition(
            2,
            line("港口作业包干费", "900", "元/箱", "外贸 40英尺 重箱"),
            line("港口作业包干费", "300", "元/箱", "外贸 40英尺 空箱"),
        ),
        edition(
            3,
            line("港口作业包干费", "1000", "元/箱", "外贸 40英尺 重箱"),
            line("港口作业包干费", "500", "元/箱", "内贸 40英尺 重箱"),
        ),
        edition(
            4,
            line("港口作业包干费", "50", "元/票", "外贸 40英尺 重箱"),
            line("港口作业包干费", "700", "元/箱", "外贸 40英尺 重箱 危险货物"),
        ),
    ]
    result = compare.comparison_of(editions, compare.service_keys("港口作业包干费", reference), Conditions())
    summary = [
        (
            g.conditions.laden,
            g.conditions.trade,
            g.unit,
            g.statistics.count,
            g.statistics.median,
            g.statistics.minimum,
            g.statistics.maximum,
        )
        for g in result.groups
    ]
    assert summary == [
        ("重箱", "外贸", "元/箱", 3, Decimal("900"), Decimal("800"), Decimal("1000")),
        ("空箱", "外贸", "元/箱", 2, Decimal("350"), Decimal("300"), Decimal("400")),
    ]
    assert sorted((o.edition.operator_id, o.line.standard) for o in result.apart) == [(3, "500"), (4, "50"), (4, "700")]
    assert all(bar.high_share <= 1 for g in result.groups for bar in g.bars)
    assert [b.high_share for b in result.groups[0].bars] == [Decimal("0.8000"), Decimal("0.9000"), Decimal("1.0000")]


def test_a_comparison_filters_by_the_lines_conditions_where_blank_means_any(line, edition, reference):
    editions = [
        edition(
            1,
            line("港口作业包干费", "560", "元/箱", "外贸 20英尺 重箱"),
            line("港口作业包干费", "860", "元/箱", "外贸 40英尺 重箱"),
            line("港口作业包干费", "420", "元/箱", "外贸 40英尺 空箱"),
            line("港口作业包干费", "900", "元/箱"),
        )
    ]
    keys = compare.service_keys("包干费", reference)  # the bundle's own alias
    result = compare.comparison_of(editions, keys, Conditions(trade="外贸进口", container_size="40", laden="重箱"))
    assert [o.line.standard for o in result.offers] == ["860", "900"]
