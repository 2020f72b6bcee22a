"""The vocabulary is the one source: every field, title and enumerated value the format and the portal use."""

from __future__ import annotations

from dataclasses import fields

import pytest

from portal.validation import vocabulary
from portal.validation.choices import CHANGE_MARKS, parse_change_mark, parse_currency, parse_flag
from portal.validation.model import FeeLine, Header, PricingClass


def test_the_fields_are_the_value_objects_attributes_in_the_prescribed_order() -> None:
    written = [f.name for f in fields(FeeLine) if f.name not in ("key", "row", "locations")]
    assert sorted(written) == sorted(vocabulary.LINE_FIELD_KEYS)
    assert vocabulary.LINE_FIELD_KEYS == (
        "line_no",
        "name",
        "conditions",
        "service_content",
        "standard",
        "unit",
        "currency",
        "pricing_class",
        "basis",
        "pass_through",
        "remarks",
        "change_mark",
        "effective_date",
    )
    assert vocabulary.HEADER_FIELD_KEYS == tuple(f.name for f in fields(Header) if f.name != "locations")
    assert vocabulary.WRITTEN_FIELDS == tuple(
        k for k in vocabulary.LINE_FIELD_KEYS if k not in ("line_no", "change_mark")
    )
    assert vocabulary.PRINTED_FIELDS == vocabulary.LINE_FIELD_KEYS[:11]


@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("name", "收费项目", "Fee item"),
        ("standard", "收费标准", "Standard"),
        ("pricing_class", "定价方式", "Pricing class"),
        ("pass_through", "代收代付", "Pass-through"),
        ("effective_date", "生效日期", "Effective from"),
    ],
)
def test_a_line_field_has_the_formats_chinese_and_english_title(key: str, zh: str, en: str) -> None:
    term = vocabulary.LINE_FIELD[key]
    assert (term.zh, term.en, term.bilingual) == (zh, en, f"{zh} / {en}")
    assert (term.label("zh"), term.label("en"), term.label("en_GB"), term.label("zh_Hans_CN")) == (zh, en, en, zh)


def test_effective_date_is_the_lists_date_in_the_header_and_the_lines_date_on_a_line() -> None:
    assert vocabulary.label("field", "effective_date", "zh") == "生效日期"
    assert vocabulary.label("header", "effective_date", "zh") == "执行日期"
    assert vocabulary.label("header", "standard", "en") == "Standard"  # falls back to the line's fields
    assert vocabulary.label("field", "operator_name", "en") == "Operator"
    assert vocabulary.field_term("nonsense") is None


@pytest.mark.parametrize(
    ("group", "key", "zh", "en"),
    [
        ("change_mark", "D", "删除", "Deleted"),
        ("change_mark", "", "未变更", "Unchanged"),
        ("pricing_class", "政府指导价", "政府指导价", "Government-guided price"),
        ("currency", "USD", "美元", "USD"),
        ("yes_no", True, "是", "Yes"),
        ("yes_no", False, "否", "No"),
        ("operator_kind", "forwarder", "货运代理", "Freight forwarder"),
        ("version_status", "changes_requested", "退回修改", "Returned for changes"),
        ("pricing_kind", "B", "B类（市场调节）", "Class B (market)"),
    ],
)
def test_every_enumeration_has_its_two_titles(group: str, key: object, zh: str, en: str) -> None:
    assert (vocabulary.label(group, key, "zh"), vocabulary.label(group, key, "en")) == (zh, en)


def test_an_unknown_code_is_shown_as_written_and_none_as_nothing() -> None:
    assert vocabulary.label("operator_kind", "pilotage", "zh") == "pilotage"
    assert vocabulary.label("change_mark", None, "en") == ""
    assert vocabulary.label("change_mark", True, "en") == "True"  # only yes_no reads a bool as a word


def test_a_field_term_is_the_lines_unless_the_header_is_asked_for() -> None:
    assert vocabulary.field_term("effective_date") is vocabulary.LINE_FIELD["effective_date"]
    assert vocabulary.field_term("effective_date", header=True) is vocabulary.HEADER_FIELD["effective_date"]
    assert vocabulary.field_term("port_area") is vocabulary.HEADER_FIELD["port_area"]


def test_the_enumerations_cover_the_models_values() -> None:
    assert [t.key for t in vocabulary.PRICING_CLASSES] == list(PricingClass)
    assert {t.key for t in vocabulary.CHANGE_MARKS} == {"A", "D", "I", "R", "C", ""}
    assert CHANGE_MARKS == frozenset({"A", "D", "I", "R", "C"})
    assert [t.key for t in vocabulary.CURRENCIES] == ["CNY", "USD"]
    assert set(vocabulary.CURRENCY_WORDS.values()) == {"CNY", "USD"}


@pytest.mark.parametrize("mark", ["A", "D", "I", "R", "C", " d ", "ｃ"])
def test_the_validator_reads_the_vocabularys_change_marks(mark: str) -> None:
    assert parse_change_mark(mark) == vocabulary.compact(mark)
    assert parse_change_mark(mark) in set(vocabulary.ChangeMark)


def test_the_validator_reads_flags_and_currencies_with_the_vocabularys_words() -> None:
    for word in vocabulary.YES_WORDS:
        assert parse_flag(word) is True
    for word in vocabulary.NO_WORDS:
        assert parse_flag(word) is False
    for word, code in vocabulary.CURRENCY_WORDS.items():
        assert parse_currency(word) == code


@pytest.mark.parametrize(
    ("text", "compact"), [(" y e s ", "YES"), ("ＴＲＵＥ", "TRUE"), ("\u3000是\t", "是"), ("us$", "US$")]
)
def test_values_are_compared_after_nfkc_without_whitespace_upper_cased(text: str, compact: str) -> None:
    assert vocabulary.compact(text) == compact


@pytest.mark.parametrize("word", ["可能", "1", "0", "X", "是的"])
def test_a_word_that_is_neither_yes_nor_no_is_not_pass_through(word: str) -> None:
    with pytest.raises(ValueError, match="not a yes/no word"):
        vocabulary.parse_yes_no(word)
    assert vocabulary.is_yes(word) is False
    assert vocabulary.is_yes("是") is True
