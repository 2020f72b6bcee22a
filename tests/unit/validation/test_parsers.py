"""Dates, credit codes, units and the enumerated columns, as operators write them."""

from __future__ import annotations

from datetime import date

import pytest

from portal.validation.choices import parse_change_mark, parse_currency, parse_flag, parse_pricing_class
from portal.validation.credit_code import CHARSET, check_character, is_valid
from portal.validation.dates import one_year_before, parse_date
from portal.validation.model import PricingClass
from portal.validation.units import is_known, normalise_unit, per_of, unit_key, with_currency

from .conftest import CREDIT_CODE


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-01",
        "2026/1/1",
        "2026.1.1",
        "2026-1-01",
        "2026年1月1日",
        "2026年01月01日",
        "2026年1月1号",
        "20260101",
        "２０２６－０１－０１",
        " 2026-01-01 ",
        "2026-01-01 00:00:00",
        "2026-01-01T08:30",
        "2026-01-01  08:30",  # two spaces before the time
        str(date(2026, 1, 1)),
        "2026年1月1日起",  # from that day, as notices write it
        "自2026年1月1日起执行",
        "从2026-01-01开始执行",
        "2026.1.1 起",
        "2026年1月1日生效",
    ],
)
def test_a_date_written_in_a_common_way_is_read(text: str) -> None:
    assert parse_date(text) == date(2026, 1, 1)


@pytest.mark.parametrize(
    "text",
    ["", "2026-02-30", "2026-13-01", "2026/1-1", "01/01/2026", "next monday", "2026年1月", "202611"]
    + ["截至2026年1月1日", "2026年1月1日止", "2026年1月1日前", "起"],  # until, or before: no day it applies from
)
def test_a_date_that_names_no_day_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a date|day is out of range|month must be"):
        parse_date(text)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2024, 6, 1), date(2023, 6, 1)), (date(2024, 2, 29), date(2023, 2, 28))],
)
def test_one_year_before_is_the_same_calendar_day_or_the_28th(day: date, expected: date) -> None:
    assert one_year_before(day) == expected


# Check characters worked out by hand from GB 32100-2015 (weights 3^i mod 31, alphabet without I O Z S V).
GOOD_CODES = [
    ("91440101MA5ABCDE1", "M"),
    ("12100000400000624", "D"),
    ("91350100M000100Y4", "3"),
    ("52440000XXXXXXXX0", "8"),
]


@pytest.mark.parametrize(("first17", "check"), GOOD_CODES)
def test_a_code_with_its_check_character_is_valid(first17: str, check: str) -> None:
    assert check_character(first17) == check
    assert is_valid(first17 + check)


@pytest.mark.parametrize(
    ("code", "check"),
    [("9144010FMA5ABCDE10", "0"), ("9144010TMA5ABCDE1Y", "Y"), ("91350100M000100Y43", "3")],
)
def test_the_check_character_wraps_31_to_zero_and_uses_the_whole_alphabet(code: str, check: str) -> None:
    assert check_character(code[:17]) == check
    assert is_valid(code)


@pytest.mark.parametrize("position", range(18))
def test_every_single_character_corruption_of_a_valid_code_is_caught(position: int) -> None:
    for replacement in CHARSET:
        if replacement == CREDIT_CODE[position]:
            continue
        corrupted = CREDIT_CODE[:position] + replacement + CREDIT_CODE[position + 1 :]
        assert not is_valid(corrupted), corrupted


@pytest.mark.parametrize(
    "code",
    ["", CREDIT_CODE[:-1], CREDIT_CODE + "0", CREDIT_CODE[:5] + "I" + CREDIT_CODE[6:], "91440101MA5ABCDEOS"],
)
def test_a_code_of_the_wrong_length_or_alphabet_is_invalid(code: str) -> None:
    assert not is_valid(code)


def test_a_code_in_lower_case_or_with_spaces_is_forgiven() -> None:
    assert is_valid(f" {CREDIT_CODE[:9].lower()} {CREDIT_CODE[9:]} ")
    assert is_valid(f"\ufeff{CREDIT_CODE[:9]}\u200b{CREDIT_CODE[9:]}")  # a BOM and a zero-width space, unseen


def test_the_check_character_needs_seventeen_characters_of_the_set() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        check_character("9144010")


@pytest.mark.parametrize(
    ("unit", "normalised"),
    [
        ("元/箱", "元/箱"),
        ("元 / TEU", "元/TEU"),
        ("元/teu", "元/TEU"),
        ("RMB/票", "元/票"),
        ("人民币/吨", "元/吨"),
        ("元每票", "元/票"),
        ("元／艘次", "元/艘次"),
        ("元/箱・天", "元/箱·天"),
        ("美元/BL", "USD/BL"),
        ("US$/UNIT", "USD/UNIT"),
        ("元/m³", "元/M3"),
        ("元/\u200b箱", "元/箱"),  # a zero-width space copied with it
        ("元/箱/天", "元/箱·天"),  # the time as a second per, after what it is charged per
        ("元/天/箱", "元/箱·天"),  # or before it
        ("元 / TEU / 天", "元/TEU·天"),
        ("USD per B/L", "USD/B/L"),  # a foreign shipping line's English
        ("USD PER CNTR", "USD/CNTR"),
        ("美金/箱", "USD/箱"),
    ],
)
def test_a_unit_is_normalised_before_it_is_compared(unit: str, normalised: str) -> None:
    assert normalise_unit(unit) == normalised
    assert is_known(unit)


@pytest.mark.parametrize(
    "unit",
    ["元/箱天", "元/拖轮艘次", "元/计费吨", "USD/票", "元/提单", "元/净吨", "元/枚", "%"]
    + ["元/标箱", "元/箱次", "元/车次", "元/吨次", "元/公斤", "元/KG", "元/立方", "元/方", "元/CBM", "元/页"]
    + ["USD/CONTAINER", "USD/CTNR", "USD/SHIPMENT", "元/个/天", "元/小时", "元/日", "元/拖轮艘次·小时"],
)
def test_common_port_units_are_known(unit: str) -> None:
    assert is_known(unit)


@pytest.mark.parametrize("unit", ["元/坨", "箱", "per box", "per B/L", "EUR/箱", "元/", "元/箱·天·天", "元/PERSON"])
def test_an_unusual_unit_is_not_known(unit: str) -> None:
    assert not is_known(unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政府定价", PricingClass.GOV_PRICED),
        (" 市场调节价 ", PricingClass.MARKET),
        ("政府指导价", PricingClass.GOV_GUIDED),
        ("行政事业性收费", PricingClass.ADMIN_FEE),
        ("政府性基金", PricingClass.GOV_FUND),
        ("", None),
    ],
)
def test_a_pricing_class_is_one_of_the_five(text: str, expected: PricingClass | None) -> None:
    assert parse_pricing_class(text) is expected


@pytest.mark.parametrize("parse", [parse_pricing_class, parse_currency, parse_flag, parse_change_mark])
def test_an_unknown_choice_is_a_value_error(parse) -> None:
    with pytest.raises(ValueError, match="."):
        parse("可能")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "CNY"), ("CNY", "CNY"), ("人民币", "CNY"), ("rmb", "CNY"), ("元", "CNY"), ("USD", "USD"), ("美元", "USD")]
    + [("美金", "USD")],
)
def test_a_currency_is_cny_by_default_or_usd(text: str, expected: str) -> None:
    assert parse_currency(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("是", True), ("Y", True), ("y", True), ("否", False), ("N", False), ("", None)]
)
def test_the_pass_through_flag_reads_yes_no_or_blank(text: str, expected: bool | None) -> None:
    assert parse_flag(text) is expected


@pytest.mark.parametrize(("text", "expected"), [("A", "A"), ("d", "D"), (" R ", "R"), ("", None)])
def test_a_change_mark_is_one_of_adirc(text: str, expected: str | None) -> None:
    assert parse_change_mark(text) == expected


@pytest.mark.parametrize(
    ("unit", "per"),
    [
        ("元/箱", "箱"),
        ("元/柜", "箱"),  # the same thing, written otherwise
        ("USD/UNIT", "箱"),
        ("元/TEU", "TEU"),  # a 40-foot box is two TEU: not a 箱
        ("元/标准箱", "TEU"),
        ("元/提单", "票"),
        ("USD/B/L", "票"),
        ("元/箱·天", "箱"),  # charged per box and per day: per box
        ("元/柜/天", "箱"),
        ("元/箱天", "箱"),  # the dot left out
        ("元/箱日", "箱"),
        ("元/TEU天", "TEU"),
        ("元/天", None),  # too general to compare: per day of what?
        ("元/次", None),
        ("元/单", None),
        ("元/吨", "吨"),
        ("元/计费吨", "吨"),  # a freight ton, written 吨 as often as not
        ("元/艘次", "艘次"),
        ("元/箱次", "箱次"),  # per box and move: a box moved twice pays twice
        ("元/天/箱", "箱"),
        ("USD per container", "箱"),
        ("元/标箱", "TEU"),
        ("元/公斤", "千克"),
        ("元/KG", "千克"),
        ("元/方", "立方米"),
        ("元/CBM", "立方米"),
        ("元", None),  # per nothing
        ("元/坨", None),  # per something the format does not know
        ("", None),
    ],
)
def test_a_unit_says_what_it_charges_per_one_word_for_words_meaning_the_same(unit: str, per: str | None) -> None:
    assert per_of(unit) == per


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("元/柜/天", "元/箱·天"),
        ("元/箱天", "元/箱·日"),
        ("USD per CNTR", "USD/UNIT"),
        ("元/BL", "元/提单"),
        ("USD/B/L", "USD/票"),
        ("元/标箱", "元/TEU"),
        ("RMB/方", "元/立方米"),
    ],
)
def test_units_meaning_the_same_have_one_key(one: str, other: str) -> None:
    assert unit_key(one) == unit_key(other)


@pytest.mark.parametrize(
    ("unit", "key"),
    [("元/柜/天", "元/箱·天"), ("元/TEU天", "元/TEU·天"), ("元/柜日", "元/箱·天"), ("元/标准箱日", "元/TEU·天")]
    + [("USD/B/L", "USD/票"), ("USD per CNTR", "USD/箱"), ("元/天", "元/天"), ("元", "元"), ("元/坨", "元/坨")],
)
def test_a_units_key_is_its_currency_one_word_for_what_it_is_per_and_its_time(unit: str, key: str) -> None:
    assert unit_key(unit) == key


@pytest.mark.parametrize(
    ("unit", "currency", "written"),
    [("箱", "CNY", "元/箱"), ("箱", "", "元/箱"), ("/箱", "USD", "USD/箱"), ("per B/L", "USD", "USD/B/L")]
    + [("箱/天", "CNY", "元/箱·天"), ("坨", "CNY", None), ("元/坨", "CNY", None), ("", "USD", None)]
    + [("%", "USD", None), ("箱", None, "元/箱")],
)
def test_a_unit_lacking_only_its_currency_is_written_with_the_lines(unit: str, currency: str, written) -> None:
    assert with_currency(unit, currency) == written


@pytest.mark.parametrize(
    ("one", "other"),
    [("元/箱", "元/TEU"), ("元/箱", "元/箱次"), ("元/箱", "USD/箱"), ("元/箱", "元/箱·天"), ("元/天", "元/小时")]
    + [("元/票", "元/单"), ("元/吨", "元/千克")],
)
def test_units_meaning_different_things_have_different_keys(one: str, other: str) -> None:
    assert unit_key(one) != unit_key(other)


def test_a_choice_with_an_invisible_character_reads_as_it_looks() -> None:
    assert parse_pricing_class("市场调节价\u200b") is PricingClass.MARKET
    assert parse_currency("\ufeffUSD") == "USD"
    assert parse_flag("是\u2060") is True
