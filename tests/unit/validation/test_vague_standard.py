"""vague-standard: every phrase of the one list is flagged on its own; a standard without figures is flagged
unless a pass-through line names the official rate; figures, formulas and 免费 are not. And how a message names a
line without a name."""

from __future__ import annotations

from datetime import date

import pytest

from portal.validation.engine import validate
from portal.validation.model import Location, Reference, Severity
from portal.validation.rules.vague_standard import NO_AMOUNT, VAGUE, VAGUE_WORDS, has_no_amount

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


@pytest.mark.parametrize("standard", ["190", "190元", "400-500", "免费", "货值×0.1%", "按实收取，最低50元"])
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
