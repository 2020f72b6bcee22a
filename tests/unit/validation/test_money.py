"""Amounts and charging standards: accepted spellings, rejected ones with their reason, and exactness."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.validation.model import Standard, StandardKind, Tier
from portal.validation.money import (
    AmountError,
    capped_amount,
    display_amount,
    parse_amount,
    parse_standard,
    price_qualifiers,
    quantize_yuan,
    standard_amounts,
    standard_error,
    written_unit,
)

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200", "200"),
        ("200.5", "200.5"),
        ("1,200.00", "1200.00"),
        ("￥1,200.00", "1200.00"),
        ("¥ 35", "35"),
        ("RMB 200", "200"),
        ("rmb200", "200"),
        ("CNY 1,000", "1000"),
        ("USD 65", "65"),
        ("65美金", "65"),  # as people say US dollars
        ("美金 65", "65"),
        ("200元", "200"),
        ("１，２００．００", "1200.00"),
        ("  85  ", "85"),
        ("0.3", "0.3"),
        ("10.1234", "10.1234"),
        ("-200", "-200"),
        ("-￥1,200.00", "-1200.00"),
        ("￥-15", "-15"),
        ("+7", "7"),
    ],
)
def test_an_amount_written_in_a_common_way_parses_to_its_exact_decimal(text: str, expected: str) -> None:
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "not-a-number"),
        ("   ", "not-a-number"),
        ("NaN", "not-a-number"),
        ("inf", "not-a-number"),
        ("-Infinity", "not-a-number"),
        ("1e309", "exponent"),
        ("2E3", "exponent"),
        ("12.3.4", "not-a-number"),
        ("abc", "not-a-number"),
        ("1,2000", "separators"),
        ("12,34.5", "separators"),
        ("10.12345", "too-many-places"),
        ("¥", "not-a-number"),
        ("1 200", "spaced"),  # grouped by a space, or two amounts: never 1200
        ("100\n200", "spaced"),
        ("１００　２００", "spaced"),  # full-width digits and space
        ("1\u200b 200", "spaced"),  # an invisible character beside the space changes nothing
    ],
)
def test_an_unreadable_amount_raises_a_value_error_naming_its_reason(text: str, code: str) -> None:
    with pytest.raises(ValueError, match=r"\S") as raised:
        parse_amount(text)
    assert isinstance(raised.value, AmountError)
    assert raised.value.code == code
    assert str(raised.value) not in ("", "None")  # the reason, for logs and the CLI


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("17", "17.00"), ("0.005", "0.01"), ("0.004", "0.00"), ("1200.125", "1200.13"), ("-2.345", "-2.35")],
)
def test_quantizing_rounds_half_up_to_the_fen(amount: str, expected: str) -> None:
    assert str(quantize_yuan(Decimal(amount))) == expected


@pytest.mark.parametrize(
    ("amount", "expected"), [("49000", "49,000.00"), ("0.3", "0.30"), ("13.6", "13.60"), ("0.0025", "0.0025")]
)
def test_an_amount_is_displayed_with_separators_and_every_significant_place(amount: str, expected: str) -> None:
    assert display_amount(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("text", "kind", "amount", "amount_max"),
    [
        ("200", StandardKind.FIXED, "200", None),
        ("200元/箱", StandardKind.FIXED, "200", None),
        ("￥1,200.00元/票", StandardKind.FIXED, "1200", None),
        ("USD 50/BL", StandardKind.FIXED, "50", None),
        ("30元/UNIT", StandardKind.FIXED, "30", None),
        ("0.3元/吨", StandardKind.FIXED, "0.3", None),
        ("10.8元/m³", StandardKind.FIXED, "10.8", None),
        ("200元/箱（含税）", StandardKind.FIXED, "200", None),
        ("免费", StandardKind.FIXED, "0", None),
        ("不收费", StandardKind.FIXED, "0", None),  # free, written otherwise: no "no amount" warning
        ("暂不收取", StandardKind.FIXED, "0", None),
        ("400-500", StandardKind.RANGE, "400", "500"),
        ("400～500", StandardKind.RANGE, "400", "500"),
        ("400~500元/票", StandardKind.RANGE, "400", "500"),
        ("400至500", StandardKind.RANGE, "400", "500"),
        ("400—500", StandardKind.RANGE, "400", "500"),
        ("50–200元/票", StandardKind.RANGE, "50", "200"),
        ("680元-2,133元/柜", StandardKind.RANGE, "680", "2133"),
        ("面议", StandardKind.TEXT, None, None),
        ("按货值0.1%", StandardKind.TEXT, None, None),
        ("200元/箱，400元/40尺", StandardKind.TEXT, None, None),
        ("12.3.4", StandardKind.TEXT, None, None),
        ("", StandardKind.EMPTY, None, None),
        ("  ", StandardKind.EMPTY, None, None),
    ],
)
def test_a_standard_is_read_as_fixed_range_text_or_empty(
    text: str, kind: StandardKind, amount: str | None, amount_max: str | None
) -> None:
    standard = parse_standard(text)
    assert standard.kind is kind
    assert standard.text == text
    assert standard.amount == (None if amount is None else Decimal(amount))
    assert standard.amount_max == (None if amount_max is None else Decimal(amount_max))


@pytest.mark.parametrize(
    "text",
    [
        "1-7天免费；8-14天85元/天；15天及以上170元/天",
        "1-7天免费;8-14天85元/天;15天及以上170元/天",
        "1-7天：免费\n8-14天：85元/天\n15天以上：170元/天",
        "前7天免费；第8-14天85元/天；15天起170元/天",
        "1-7天免费，8-14天85元/天，15天及以上170元/天",  # full-width commas between the tiers
    ],
)
def test_tiered_demurrage_text_is_read_into_tiers_with_free_as_zero(text: str) -> None:
    standard = parse_standard(text)
    assert standard.kind is StandardKind.TIERS
    assert standard.tiers == (
        Tier(Decimal(1), Decimal(7), Decimal(0)),
        Tier(Decimal(8), Decimal(14), Decimal(85)),
        Tier(Decimal(15), None, Decimal(170)),
    )
    assert standard.highest == Decimal(170)
    assert standard_amounts(standard) == (Decimal(0), Decimal(85), Decimal(170))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12.3.4", "not-a-number"),
        ("NaN", "not-a-number"),
        ("1e309", "exponent"),
        ("1,2000元/票", "separators"),
        ("100 200", "spaced"),  # the 20- and 40-foot prices in one cell: was read as 100200
        ("100\n200", "spaced"),  # the same, by Alt+Enter
        ("380 300", "spaced"),
        ("100 200元/箱", "spaced"),
        ("RMB 1 200", "spaced"),
        ("100，200", "comma"),  # two prices, or 1,200 typed with the input method's comma: was read as 100200
        ("1，200元/票", "comma"),
        ("100-200，300", "comma"),
    ],
)
def test_an_amount_shaped_standard_that_cannot_be_read_is_text_with_a_reason(text: str, code: str) -> None:
    assert parse_standard(text).kind is StandardKind.TEXT
    error = standard_error(text)
    assert error is not None
    assert error.code == code
    assert str(error).startswith("'")  # the log names the text it could not read


@pytest.mark.parametrize(
    "text",
    ["面议", "按实际发生", "200", "400-500", "", "100 - 200", "100 元/票", "RMB 100", "1-7天免费\n8-14天 85元/天"],
)
def test_words_and_readable_standards_have_no_amount_error(text: str) -> None:
    assert standard_error(text) is None


def _to_full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


CENTS = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False)
SPELLINGS = st.sampled_from(
    [
        lambda d: f"{d:,.2f}",
        lambda d: f"{d:.2f}",
        lambda d: f"￥{d:,.2f}",
        lambda d: f"RMB {d:,.2f}",
        lambda d: f"{d:,.2f}元",
        lambda d: _to_full_width(f"{d:,.2f}"),
        lambda d: f"  {d:,}  ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(amount=CENTS, spell=SPELLINGS)
def test_any_two_place_amount_however_formatted_parses_back_to_itself(amount: Decimal, spell) -> None:
    parsed = parse_amount(spell(amount))
    assert isinstance(parsed, Decimal)
    assert parsed == amount


@settings(max_examples=200, deadline=None)
@given(units=st.integers(min_value=2**53, max_value=10**17), cents=st.integers(min_value=0, max_value=99))
def test_amounts_beyond_float_precision_stay_exact(units: int, cents: int) -> None:
    text = f"{units:,}.{cents:02d}"
    assert parse_amount(text) == Decimal(f"{units}.{cents:02d}")
    assert parse_standard(f"{text}元/箱").amount == Decimal(f"{units}.{cents:02d}")


@settings(max_examples=200, deadline=None)
@given(low=CENTS.filter(lambda d: d >= 0), high=CENTS.filter(lambda d: d >= 0))
def test_a_range_keeps_both_ends_exactly(low: Decimal, high: Decimal) -> None:
    standard = parse_standard(f"{low:.2f}-{high:.2f}")
    assert standard.kind is StandardKind.RANGE
    assert (standard.amount, standard.amount_max) == (low, high)


@pytest.mark.parametrize("text", ["12O", "l00", "1O0-2O0"])
def test_a_letter_typed_for_a_digit_is_not_read_as_a_text_standard(text: str) -> None:
    assert standard_error(text) is not None


@pytest.mark.parametrize(
    ("standard", "amounts"),
    [
        (Standard(StandardKind.RANGE, "400-500", amount=Decimal(400), amount_max=Decimal(500)), (400, 500)),
        (Standard(StandardKind.RANGE, "?", amount=None, amount_max=None), ()),  # a range missing its ends
        (Standard(StandardKind.RANGE, "?", amount=Decimal(400), amount_max=None), ()),
        (Standard(StandardKind.TEXT, "按实际", amount=Decimal(1), amount_max=Decimal(2)), ()),  # words have none
        (Standard(StandardKind.EMPTY, ""), ()),
    ],
)
def test_only_a_whole_range_or_a_fixed_amount_or_tiers_give_amounts(standard: Standard, amounts: tuple) -> None:
    assert standard_amounts(standard) == tuple(Decimal(a) for a in amounts)


def test_a_minus_sign_written_as_the_mathematical_minus_is_a_minus() -> None:
    """U+2212 (−) is what word processors put for a minus; NFKC leaves it, so it is mapped by hand."""
    assert parse_amount("−200") == Decimal(-200)
    assert parse_amount("￥−1,200.50") == Decimal("-1200.50")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("X200", "not-a-number"),  # a capital X is no sign
        ("1,2a", "not-a-number"),  # a comma does not make any unreadable text a separator mistake
        ("1,2,3元", "separators"),
    ],
)
def test_an_amount_with_a_stray_character_is_not_a_number(text: str, code: str) -> None:
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert raised.value.code == code


def test_an_empty_amount_and_a_letter_for_a_digit_say_so_in_their_reason() -> None:
    with pytest.raises(AmountError) as raised:
        parse_amount(" ")
    assert (raised.value.code, str(raised.value)) == ("not-a-number", "the amount is empty")
    error = standard_error("12O元/箱")
    assert error is not None
    assert (error.code, str(error)) == ("not-a-number", "'12O元/箱' has a letter where a digit belongs")


@pytest.mark.parametrize("text", ["Collect on delivery", "按 Official tariff 计收", "Included"])
def test_words_with_letters_like_digits_are_words_without_an_amount_error(text: str) -> None:
    """O, o, I and l are looked at as digits only when the text would then read as an amount."""
    assert standard_error(text) is None
    assert parse_standard(text) == Standard(StandardKind.TEXT, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200元/箱。", Standard(StandardKind.FIXED, "200元/箱。", amount=Decimal(200))),
        ("400-500元/票.", Standard(StandardKind.RANGE, "400-500元/票.", amount=Decimal(400), amount_max=Decimal(500))),
        (".5", Standard(StandardKind.TEXT, ".5")),  # only a closing full stop is set aside
        ("200X", Standard(StandardKind.TEXT, "200X")),
    ],
)
def test_a_closing_full_stop_is_set_aside_and_nothing_else(text: str, expected: Standard) -> None:
    assert parse_standard(text) == expected


def test_each_tier_may_end_with_a_full_stop_and_the_standard_keeps_its_text() -> None:
    text = "1-3天免费。;4天及以上100元/天。"
    assert parse_standard(text) == Standard(
        StandardKind.TIERS,
        text,
        tiers=(Tier(Decimal(1), Decimal(3), Decimal(0)), Tier(Decimal(4), None, Decimal(100))),
    )


def test_a_tier_with_a_stray_letter_after_its_amount_makes_the_standard_words() -> None:
    text = "1-3天免费;4天及以上100X"
    assert parse_standard(text) == Standard(StandardKind.TEXT, text)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("100元/票", "元/票"),
        ("USD 50/BL", "/BL"),
        ("100-200元/箱", "元/箱"),  # a range's
        ("100元/箱(20GP)", "元/箱"),  # without the bracketed condition
        ("100元/箱。", "元/箱"),
        ("USD 100/BOX", "/BOX"),  # only the full stop is stripped from its end
        ("100", None),  # none written
        ("100元", None),
        ("1-7天免费;8天及以上10元/天", None),  # tiers: their unit is the days'
        ("面议", None),
    ],
)
def test_the_unit_a_fixed_or_ranged_standard_writes(text: str, unit: str | None) -> None:
    assert written_unit(text) == unit


@pytest.mark.parametrize("text", ["100\u200b", "\ufeff100", "1\u200b00", "\u2060100", "100\xad", "\u200e100元"])
def test_an_amount_with_an_invisible_character_reads_as_it_looks(text: str) -> None:
    """A zero-width space, a BOM, a word joiner, a soft hyphen or a direction mark, copied from a web page with the
    price: 100 on the screen was read as text (no amount), in the web form as in a workbook cell."""
    assert parse_amount(text) == Decimal("100")
    assert parse_standard(text).amount == Decimal("100")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.2万元", "12000"),
        ("1.5万元/艘次", "15000"),
        ("￥0.5万", "5000"),
        ("5千元", "5000"),
        ("1.2345千", "1234.5"),
        ("1,200万", "12000000"),
    ],
)
def test_ten_thousands_and_thousands_are_read_exactly(text: str, amount: str) -> None:
    """1.2万元 is 12000 yuan: it was text, never compared or estimated."""
    read = parse_standard(text).amount
    assert read == Decimal(amount)
    assert str(read) == amount  # no exponent: 12000, not 1.2E+4


def test_a_range_and_a_tier_in_ten_thousands_are_read_exactly() -> None:
    ranged = parse_standard("1万-2万元/艘次")
    assert (ranged.kind, ranged.amount, ranged.amount_max) == (StandardKind.RANGE, Decimal(10000), Decimal(20000))
    assert parse_standard("1-7天免费；8天及以上1千元/天").tiers[1].amount == Decimal(1000)


@pytest.mark.parametrize("text", ["1万总吨以下500元", "3万元以上", "1.2万万", "万元", "1.23456万"])
def test_ten_thousand_elsewhere_than_after_the_amount_is_not_a_multiplier(text: str) -> None:
    assert parse_standard(text).kind is StandardKind.TEXT


@pytest.mark.parametrize(("text", "word"), [("3万元以上", "以上"), ("1.2万元起", "起"), ("约1万元", "约")])
def test_a_word_beside_an_amount_in_ten_thousands_makes_it_no_price(text: str, word: str) -> None:
    assert price_qualifiers(text) == (word,)
    assert parse_standard(text).kind is StandardKind.TEXT


@pytest.mark.parametrize("text", ["１，２００", "1-7天50，8天及以上100", "1-7天免费，8-14天85元/天"])
def test_a_chinese_comma_in_full_width_digits_or_between_tiers_is_read(text: str) -> None:
    assert standard_error(text) is None
    assert parse_standard(text).kind in (StandardKind.FIXED, StandardKind.TIERS)


@pytest.mark.parametrize(
    ("text", "kind", "amount"),
    [
        ("100元/票，含税", StandardKind.FIXED, "100"),  # as 100元/票(含税) is read
        ("100，含税", StandardKind.FIXED, "100"),
        ("100元/票,不含税", StandardKind.FIXED, "100"),
        ("100元/票；含增值税", StandardKind.FIXED, "100"),
        ("100-200元/票，税后", StandardKind.RANGE, "100"),
        ("1-7天免费，8天及以上50元/天，含税", StandardKind.TIERS, None),
        ("含税", StandardKind.TEXT, None),  # a tax note alone is no price
        ("，含税", StandardKind.TEXT, None),
        ("；；", StandardKind.TEXT, None),  # separators alone are no tiers (they were tiers with none)
        ("100元/票，含税费", StandardKind.TEXT, None),  # a fee for tax is no note
    ],
)
def test_a_note_of_tax_after_a_comma_is_read_as_a_bracketed_one_is(text: str, kind: StandardKind, amount) -> None:
    """100元/票，含税 was text (never compared or estimated) while 100元/票(含税) was the price 100."""
    read = parse_standard(text)
    assert (read.kind, read.text, read.amount) == (kind, text, Decimal(amount) if amount else None)
    if kind is StandardKind.TIERS:
        assert [tier.amount for tier in read.tiers] == [Decimal(0), Decimal(50)]


def test_the_unit_written_before_a_note_of_tax_is_the_standards_unit() -> None:
    assert written_unit("100元/票，含税") == written_unit("100元/票(含税)") == "元/票"


@pytest.mark.parametrize(
    ("text", "cap"),
    [
        ("最高99元", "99"),
        ("不超过99元", "99"),
        ("不得超过99元/箱", "99"),
        ("最多99元", "99"),
        ("上限 99 元/箱", "99"),
        ("99元以内", "99"),
        ("99元以下", "99"),
        ("99元/箱封顶", "99"),
        ("99元/箱（最高）", "99"),
        ("最高99元/箱（含税）", "99"),
        ("max USD 99", "99"),
        ("按实际发生，最高500元", "500"),  # the cap's own clause
        ("最高100-200元", "200"),  # a range capped: its top
        ("最高1.2万元", "12000"),
    ],
)
def test_a_cap_is_read_for_the_most_it_charges(text: str, cap: str) -> None:
    """A cap is no price (text), but the rate rules judge it by its amount: 不超过9999元 was never compared."""
    assert parse_standard(text).kind is StandardKind.TEXT
    assert capped_amount(text) == Decimal(cap)


@pytest.mark.parametrize(
    "text",
    [
        "100元",
        "100元起",
        "最低100元",
        "下限50元",
        "约100元",
        "最高100元，100元起",
        "最高100元另收50元",  # more on top
        "最高100元/票(夜间加收50%)",  # more in a note
        "最高",
        "最高价见附表",
        "面议",
        "",
    ],
)
def test_only_a_cap_has_a_capped_amount(text: str) -> None:
    assert capped_amount(text) is None


@pytest.mark.parametrize("text", ["100。00", "1。5万元", "100。5元/票", "100。00-200。00"])
def test_a_chinese_full_stop_between_digits_is_refused_with_its_reason(text: str) -> None:
    """A decimal point typed with the Chinese input method: text with no finding before."""
    assert parse_standard(text).kind is StandardKind.TEXT
    error = standard_error(text)
    assert error is not None
    assert (error.code, str(error)) == ("full-stop", f"{text!r} has a Chinese full stop between digits")


@pytest.mark.parametrize("text", ["100元。", "100元/票。", "1-7天免费。8天及以上50元/天", "100元/票。含税"])
def test_a_full_stop_ending_a_price_or_a_tier_is_no_decimal_point(text: str) -> None:
    assert standard_error(text) is None


def test_the_chinese_dash_joins_a_range() -> None:
    read = parse_standard("100——200元/票")
    assert (read.kind, read.amount, read.amount_max) == (StandardKind.RANGE, Decimal(100), Decimal(200))


@pytest.mark.parametrize(
    ("text", "code"),
    [("100, 200", "spaced"), ("100 , 200", "spaced"), ("100 ,200", "spaced"), ("1, 000", "spaced")]
    + [("100，200元", "comma")],
)
def test_a_comma_with_a_space_or_a_chinese_comma_between_digits_is_not_a_thousands_separator(text, code) -> None:
    """Read as 100200 they would be a price no one wrote."""
    assert parse_standard(text).kind is StandardKind.TEXT
    error = standard_error(text)
    assert error is not None
    assert error.code == code
    if code == "spaced":  # and as an amount alone (a form's field), where 1，200 can only be 1200
        with pytest.raises(AmountError) as raised:
            parse_amount(text)
        assert raised.value.code == code
        assert repr(text) in str(raised.value)


@pytest.mark.parametrize("text", ["1,000 元", "1,000-2,000", "1,000 - 2,000", "RMB 1,200.50"])
def test_a_thousands_separator_beside_no_space_is_read(text: str) -> None:
    assert parse_standard(text).kind in (StandardKind.FIXED, StandardKind.RANGE)


def test_tiers_may_be_separated_by_a_half_width_comma_that_groups_no_digits() -> None:
    standard = parse_standard("1-7天免费, 8-14天1,000元/天,15天及以上2,000元/天")
    assert standard.tiers == (
        Tier(Decimal(1), Decimal(7), Decimal(0)),
        Tier(Decimal(8), Decimal(14), Decimal(1000)),
        Tier(Decimal(15), None, Decimal(2000)),
    )
