"""vague-standard: every phrase of the one list is flagged on its own; a standard without figures is flagged
unless a pass-through line names the official rate; figures, formulas and 免费 are not. And how a message names a
line without a name."""

from __future__ import annotations

from datetime import date

import pytest

from portal.validation.engine import validate
from portal.validation.model import KIND_FIXED, KIND_TEXT, KIND_TIERS, Location, Reference, Severity
from portal.validation.money import (
    CAPS,
    EXTRAS_AFTER,
    EXTRAS_NOTED,
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
    parse_standard,
    price_qualifiers,
    several_prices,
    sized_price,
)
from portal.validation.rules.vague_standard import (
    NO_AMOUNT,
    QUALIFIED,
    SEVERAL,
    SIZED,
    VAGUE,
    VAGUE_WORDS,
    has_no_amount,
)

from .conftest import CatalogueFactory, LineFactory

JUNE = date(2024, 6, 1)


def _vague(make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, **fields: str):
    report = validate(make_catalogue(make_line(**fields)), reference, JUNE)
    return [(f.message, f.location.field, f.params["value"]) for f in report.findings if f.rule == "vague-standard"]


@pytest.mark.parametrize("phrase", VAGUE_WORDS)
def test_each_vague_phrase_is_flagged_on_its_own(phrase: str, make_line, make_catalogue, reference) -> None:
    assert _vague(make_line, make_catalogue, reference, standard=phrase) == [(VAGUE, "standard", phrase)]


@pytest.mark.parametrize("phrase", ["按实收取", "按实结算", "据实收取", "另行收取", "面议"])
def test_the_phrases_offices_write_are_flagged_inside_a_sentence(phrase, make_line, make_catalogue, reference) -> None:
    standard = f"超出部分{phrase}"
    assert _vague(make_line, make_catalogue, reference, standard=standard) == [(VAGUE, "standard", standard)]


@pytest.mark.parametrize("standard", ["一百九十", "见附表", "详见附件收费表", "按标准收取"])
def test_a_standard_without_figures_is_flagged(standard: str, make_line, make_catalogue, reference) -> None:
    assert _vague(make_line, make_catalogue, reference, standard=standard) == [(NO_AMOUNT, "standard", standard)]


def test_a_pass_through_line_may_name_the_official_rate(make_line, make_catalogue, reference) -> None:
    assert _vague(make_line, make_catalogue, reference, standard="按政府规定", pass_through="是") == []
    own = _vague(make_line, make_catalogue, reference, standard="按政府规定", pass_through="否")
    assert own == [(NO_AMOUNT, "standard", "按政府规定")]


@pytest.mark.parametrize("standard", ["190", "190元", "400-500", "免费", "货值×0.1%"])
def test_figures_formulas_and_free_are_not_flagged(standard: str, make_line, make_catalogue, reference) -> None:
    assert _vague(make_line, make_catalogue, reference, standard=standard) == []


def test_a_government_priced_line_may_name_how_the_official_rate_applies(make_line, make_catalogue, reference) -> None:
    assert _vague(make_line, make_catalogue, reference, standard="按船舶净吨计收", pricing_class="政府定价") == []
    market = _vague(make_line, make_catalogue, reference, standard="按船舶净吨计收", pricing_class="市场调节价")
    assert market == [(NO_AMOUNT, "standard", "按船舶净吨计收")]


@pytest.mark.parametrize("pricing_class", ["", "其他"])
def test_a_line_of_no_readable_pricing_class_may_not_name_a_method_instead_of_an_amount(
    pricing_class: str, make_line, make_catalogue, reference
) -> None:
    found = _vague(make_line, make_catalogue, reference, standard="按船舶净吨计收", pricing_class=pricing_class)
    assert found == [(NO_AMOUNT, "standard", "按船舶净吨计收")]


def test_a_pass_through_line_without_words_of_the_official_rate_still_needs_an_amount(
    make_line, make_catalogue, reference
) -> None:
    assert _vague(make_line, make_catalogue, reference, standard="见附表", pass_through="是") == [
        (NO_AMOUNT, "standard", "见附表")
    ]


@pytest.mark.parametrize("text", ["NaN", "+nan", "-Infinity", " +INF "])
def test_signed_words_the_amount_parser_refuses_are_left_to_invalid_value(text: str) -> None:
    assert has_no_amount(text, "否", "市场调节价") is False


def test_a_line_without_a_name_is_named_by_its_cell_or_place(make_line, make_catalogue, reference) -> None:
    located = make_line(
        name="", service_content="", row=9, locations={"name": Location("收费目录清单", 9, "B", "name")}
    )
    report = validate(make_catalogue(make_line(), located, make_line(name="", service_content="")), reference, JUNE)
    said = [f.render() for f in report.findings if f.location.field == "service_content"]
    assert said == [
        "[B9] has no service content; describe what the fee pays for.",
        "[#3] has no service content; describe what the fee pays for.",
    ]


@pytest.mark.parametrize(("standard", "message"), [("面议", VAGUE), ("见附表", NO_AMOUNT)])
def test_both_findings_are_warnings_citing_the_pricing_rules(
    make_line, make_catalogue, reference, standard: str, message: str
) -> None:
    report = validate(make_catalogue(make_line(standard=standard)), reference, JUNE)
    assert [(f.severity, f.message, f.basis) for f in report.findings if f.rule == "vague-standard"] == [
        (Severity.WARNING, message, "市场监管总局令第56号")
    ]


def _qualified(make_line, make_catalogue, reference, standard: str):
    found = _vague(make_line, make_catalogue, reference, standard=standard)
    report = validate(make_catalogue(make_line(standard=standard)), reference, JUNE)
    vague = [f for f in report.findings if f.rule == "vague-standard"]
    assert all((f.severity, f.basis) == (Severity.WARNING, "市场监管总局令第56号") for f in vague)
    return found, [f.params.get("word") for f in vague]


QUALIFIED_WORDS = [pytest.param(word, f"{word} 100元/票", id=f"before-{word}") for word in QUALIFIERS_BEFORE] + [
    pytest.param(word, f"100元/票{word}", id=f"after-{word}") for word in QUALIFIERS_AFTER
]


@pytest.mark.parametrize(("word", "standard"), QUALIFIED_WORDS)
def test_each_word_beside_an_amount_that_makes_it_not_the_price_is_named(
    word: str, standard: str, make_line, make_catalogue, reference
) -> None:
    read = parse_standard(standard)  # text: never published, compared or estimated as 100
    assert (read.kind, read.text, read.amount) == (KIND_TEXT, standard, None)
    assert price_qualifiers(standard) == (word,)
    found, words = _qualified(make_line, make_catalogue, reference, standard)
    assert (found, words) == (([(QUALIFIED, "standard", standard)], [word]) if word not in CAPS else ([], []))


@pytest.mark.parametrize("word", ["加收", "另收"])
def test_more_charged_in_a_tier_is_named_not_read_as_the_tier(word, make_line, make_catalogue, reference) -> None:
    """1-7天免费；8天以上加收50元/天 was text with no finding: after 1-7天100元/天 it would not say whether day 8
    costs 50 or 150."""
    standard = f"1-7天免费；8天以上{word}50元/天"
    assert parse_standard(standard).kind is KIND_TEXT
    assert _qualified(make_line, make_catalogue, reference, standard) == ([(QUALIFIED, "standard", standard)], [word])


@pytest.mark.parametrize("word", QUALIFIERS_AFTER)
def test_a_word_after_an_amount_counts_in_brackets_too(word: str) -> None:
    assert price_qualifiers(f"100元/票({word})") == (word,)
    assert parse_standard(f"100元/票（{word}）").kind is KIND_TEXT


@pytest.mark.parametrize("word", EXTRAS_AFTER)
def test_each_word_of_more_charged_on_top_is_named_whatever_follows(word, make_line, make_catalogue, reference):
    standard = f"100元/票{word}税费"
    assert parse_standard(standard).kind is KIND_TEXT
    assert _qualified(make_line, make_catalogue, reference, standard) == ([(QUALIFIED, "standard", standard)], [word])


@pytest.mark.parametrize("word", EXTRAS_NOTED)
def test_a_word_of_more_charged_on_top_in_a_note_after_the_price_is_named(word, make_line, make_catalogue, reference):
    """100元/票(夜间加收50%) was the price 100, the night's surcharge left in a note no rule read."""
    standard = f"100元/票（夜间{word}50%）"
    assert parse_standard(standard).kind is KIND_TEXT
    assert _qualified(make_line, make_catalogue, reference, standard) == ([(QUALIFIED, "standard", standard)], [word])


@pytest.mark.parametrize("word", EXTRAS_NOTED)
def test_a_word_of_more_charged_on_top_after_a_comma_is_named(word, make_line, make_catalogue, reference) -> None:
    """100元/票，超重另收20元 was text with no finding: the note in brackets was read, the one after a comma not."""
    for standard in (f"100元/票，超重{word}20元", f"100元/票; {word}", f"最高100元，{word}50元"):
        assert parse_standard(standard).kind is KIND_TEXT
        assert _qualified(make_line, make_catalogue, reference, standard) == (
            [(QUALIFIED, "standard", standard)],
            [word],
        )


@pytest.mark.parametrize("standard", ["100元/票(含税)", "100元/箱(20'+40')", "100元/票（不含税）"])
def test_a_note_after_the_price_without_more_charged_is_let_be(standard, make_line, make_catalogue, reference):
    assert parse_standard(standard).amount == 100
    assert _vague(make_line, make_catalogue, reference, standard=standard) == []


@pytest.mark.parametrize(
    ("standard", "word"),
    [
        ("100元/票起", "起"),  # the case an office wrote: read as a fixed 100 before
        ("100元起/票", "起"),
        ("100-200元/票起", "起"),  # a range's end too
        ("前3天免费;4天起50元/天起", "起"),  # and a tier's amount
        ("USD 50/BL min.", "min"),
        ("按实收取，最低50元", "最低"),  # a minimum beside words: still not a price
        ("１００元／票　左右", "左右"),  # full-width, as typed with a Chinese input method
    ],
)
def test_a_qualified_amount_in_any_form_of_standard_is_not_read_as_the_price(standard: str, word: str) -> None:
    assert parse_standard(standard).kind is KIND_TEXT
    assert price_qualifiers(standard)[0] == word


@pytest.mark.parametrize(
    ("standard", "kind"),
    [
        ("100元/箱(40尺以上)", KIND_FIXED),  # a condition of the line: a size, then 以上
        ("1000元/艘次(500总吨以下)", KIND_FIXED),
        ("3天以上50元/天", KIND_TIERS),  # a tier's start
        ("1-3天免费;4-7天30元/天;8天及以上60元/天", KIND_TIERS),
        ("100元/人次(上下船)", KIND_FIXED),
        ("100元/票(不含税)", KIND_FIXED),
        ("100元/min", KIND_FIXED),  # per minute
        ("100元/起", KIND_FIXED),  # per case
        ("预约100元/次", KIND_TEXT),  # 预约 (booking) is no 约 (about)
        ("合约价100元", KIND_TEXT),
    ],
)
def test_words_that_only_look_like_qualifiers_are_not_named(standard: str, kind) -> None:
    assert price_qualifiers(standard) == ()
    assert parse_standard(standard).kind is kind


def test_a_cap_is_let_be_but_a_cap_beside_a_starting_price_is_not(make_line, make_catalogue, reference) -> None:
    assert CAPS <= {word.casefold() for word in (*QUALIFIERS_BEFORE, *QUALIFIERS_AFTER)}
    assert _qualified(make_line, make_catalogue, reference, "按实际发生，最高500元") == ([], [])
    assert parse_standard("100元/票封顶").kind is KIND_TEXT  # the cap is not the price either
    both = "最高500元，100元起"
    assert _qualified(make_line, make_catalogue, reference, both) == ([(QUALIFIED, "standard", both)], ["起"])


@pytest.mark.parametrize(
    ("standard", "prices"),
    [
        ("100/200", "100, 200"),  # a shipping line's 20GP/40GP
        ("USD 100/200/200", "100, 200, 200"),
        ("$100/$200", "100, 200"),
        ("100元/200元", "100, 200"),
        ("10/20/30元/箱·天", "10, 20, 30"),
        ("20'/40': 100/200", "100, 200"),
        ("20GP:100 40GP:200", "100, 200"),
        ("100元/20尺，200元/40尺", "100, 200"),
        ("40HQ: 100/200", "100, 200"),  # a size before the prices: read past it
        ("100、200", "100, 200"),  # by the enumeration comma
        ("100元或200元", "100, 200"),  # one or the other
        ("100或者200元/票", "100, 200"),
        ("USD100 or 200", "100, 200"),
        ("1万/2万", "1万, 2万"),  # in ten thousands, named as written
        ("1.5万元或2万元", "1.5万, 2万"),
        ("20尺1万元，40尺2万元", "1万, 2万"),
        ("1,000/1,500", "1,000, 1,500"),  # thousands grouped: two prices, not four
        ("20'GP: 1,000 / 40'GP: 1,500", "1,000, 1,500"),
        ("1,000、1,500", "1,000, 1,500"),
        ("100；200", "100, 200"),  # by a semicolon, a bar or a backslash
        ("100|200", "100, 200"),
        ("100\\200", "100, 200"),
        ("100元，200元", "100, 200"),  # each marked as money, whatever is between them
        ("100元/箱 200元/箱", "100, 200"),
        ("重箱100元，空箱50元", "100, 50"),
        ("工作日100元/票，节假日200元/票", "100, 200"),
        ("首票100元，续票50元", "100, 50"),
        ("3天内100元，3天以上200元", "100, 200"),  # the days are no prices
        ("100元/票（加急200元/票）", "100, 200"),  # a second price in the note
        ("人民币100，人民币200", "100, 200"),  # marked by any currency word the amount parser takes
        ("美金100或美金200", "100, 200"),
    ],
)
def test_several_prices_in_one_cell_are_named(standard, prices, make_line, make_catalogue, reference) -> None:
    """Text, so never published, compared or estimated as a price: said, with each price the cell gives."""
    report = validate(make_catalogue(make_line(standard=standard)), reference, JUNE)
    found = [(f.message, f.params["prices"], f.params["count"]) for f in report.findings if f.rule == "vague-standard"]
    assert found == [(SEVERAL, prices, len(prices.split(", ")))]


@pytest.mark.parametrize(
    "standard",
    [
        "20英尺/40英尺 100元",
        "按货值1/1000",
        "10元/箱/天",
        "100/箱",
        "50美元或350元",  # one price, and what it is in yuan: the currency rule judges it
        "USD50/RMB350",
        "1、2号泊位100元",  # berths 1 and 2: words before the figures
        "1,000",
        "0.5元/吨，不足1吨按1吨计",  # one price; the tons are no prices
        "100元/票（USD15）",  # one price, and what it is in dollars
        "100元/票(40'HQ)",
    ],
)
def test_one_price_for_a_box_size_or_a_ratio_is_not_several(standard, make_line, make_catalogue, reference) -> None:
    assert several_prices(standard) == ()
    assert _vague(make_line, make_catalogue, reference, standard=standard) == []


@pytest.mark.parametrize(
    ("standard", "size"),
    [("100元/20尺", "20尺"), ("100元/40HQ", "40HQ"), ("USD 100/20'GP", "20'GP"), ("100-200元/40英尺", "40英尺")]
    + [("100元/20GP（含税）", "20GP")],
)
def test_one_price_per_a_box_size_is_named_with_its_size(standard, size, make_line, make_catalogue, reference) -> None:
    """Text, as a price per 20尺 is no price per box: it was let be, unchecked and never estimated, without a word."""
    assert several_prices(standard) == ()
    assert sized_price(standard) == size
    report = validate(make_catalogue(make_line(standard=standard, currency="")), reference, JUNE)
    found = [(f.message, f.params["size"]) for f in report.findings if f.rule == "vague-standard"]
    assert found == [(SIZED, size)]


@pytest.mark.parametrize(
    "standard", ["100元/箱", "20尺100元", "100元/20尺，200元/40尺", "按货值1/1000", "100元/20尺起", "100元/20"]
)
def test_a_standard_that_is_no_price_per_a_box_size_has_none(standard) -> None:
    assert sized_price(standard) is None
