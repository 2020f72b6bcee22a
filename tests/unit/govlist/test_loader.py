"""The feelists loader: well-formed files become model objects; a bad row is refused with file, line and column."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portal.govlist.loader import FeelistError, load_reference, read_aliases, read_bundles, read_gov_items
from portal.validation.model import Conditions, GovItem, GovStatus, PricingClass, RateKind
from portal.validation.names import normalise

HARBOUR_DUES = {
    "code": "HWF-TEST-20",
    "name_zh": "货物港务费",
    "name_en": "Harbour dues on cargo",
    "aliases": "",
    "pricing_class": "政府定价",
    "trade": "外贸进口",
    "container_size": "20",
    "laden": "",
    "cargo": "普通货物",
    "rate": "17.00",
    "rate_kind": "fixed",
    "unit": "元/箱",
    "currency": "CNY",
    "service_content": "港口公共基础设施",
    "basis": "交水规〔2019〕2号",
    "source": "https://example.test/notice",
    "effective_from": "2020-07-01",
    "effective_until": "",
    "status": "in_force",
    "folded_into": "",
    "pass_through": "true",
    "verified": "false",
    "trust": "DERIVED",
    "note": "",
}
SECURITY_FOLDED = HARBOUR_DUES | {
    "code": "PFS-TEST-20",
    "name_zh": "港口设施保安费",
    "name_en": "Port facility security fee",
    "pricing_class": "市场调节价",
    "trade": "外贸",
    "laden": "重箱",
    "cargo": "",
    "rate": "6.40",
    "rate_kind": "cap",
    "effective_from": "2022-04-01",
    "status": "folded",
    "folded_into": "BAOGAN",
    "pass_through": "false",
}
BUNDLE = {
    "code": "BAOGAN",
    "name_zh": "港口作业包干费",
    "name_en": "Port operation package charge",
    "aliases": "包干费",
    "basis": "交水发〔2018〕77号",
    "source": "https://example.test/2018",
    "effective_from": "",
    "effective_until": "",
}
COMPONENT = {
    "bundle_code": "BAOGAN",
    "name_zh": "驳船取送",
    "name_en": "Barge shuttle",
    "aliases": "驳船取送费",
    "basis": "交水发〔2018〕77号",
    "source": "https://example.test/2018",
    "effective_from": "2018-06-20",
}
ALIAS = {"alias": "文件费", "canonical": "单证费", "source": "https://example.test/table"}


def write(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def feelists(tmp_path: Path) -> Path:
    """A small, valid set of the four files: two government rows, one bundle with one component, one alias."""
    write(tmp_path / "govlist.csv", [HARBOUR_DUES, SECURITY_FOLDED])
    write(tmp_path / "bundles.csv", [BUNDLE])
    write(tmp_path / "bundle_components.csv", [COMPONENT])
    write(tmp_path / "aliases.csv", [ALIAS])
    return tmp_path


def refusal(feelists: Path) -> FeelistError:
    with pytest.raises(FeelistError) as caught:
        load_reference(feelists)
    return caught.value


def test_a_well_formed_set_becomes_the_model_s_frozen_objects(feelists: Path) -> None:
    reference = load_reference(feelists)
    assert reference.gov_items[0] == GovItem(
        code="HWF-TEST-20",
        name_zh="货物港务费",
        name_en="Harbour dues on cargo",
        pricing_class=PricingClass.GOV_PRICED,
        unit="元/箱",
        basis="交水规〔2019〕2号",
        status=GovStatus.IN_FORCE,
        conditions=Conditions(trade="外贸进口", container_size="20", cargo="普通货物"),
        rate=Decimal("17.00"),
        rate_kind=RateKind.FIXED,
        currency="CNY",
        service_content="港口公共基础设施",
        effective_from=date(2020, 7, 1),
        effective_until=None,
        pass_through=True,
        verified=False,
        source="https://example.test/notice",
        trust="DERIVED",
    )
    folded = reference.gov_items[1]
    assert (folded.status, folded.folded_into, folded.rate_kind, folded.conditions.laden) == (
        GovStatus.FOLDED,
        "BAOGAN",
        RateKind.CAP,
        "重箱",
    )
    (bundle,) = reference.bundles
    assert (bundle.code, bundle.aliases, bundle.effective_from) == ("BAOGAN", ("包干费",), None)
    assert [(c.name_zh, c.aliases, c.effective_from) for c in bundle.components] == [
        ("驳船取送", ("驳船取送费",), date(2018, 6, 20))
    ]
    assert reference.aliases == {normalise("文件费"): "单证费"}


def test_the_pieces_read_each_file_on_its_own(feelists: Path) -> None:
    assert [item.code for item in read_gov_items(feelists / "govlist.csv")] == ["HWF-TEST-20", "PFS-TEST-20"]
    assert [b.code for b in read_bundles(feelists / "bundles.csv", feelists / "bundle_components.csv")] == ["BAOGAN"]
    ((alias, canonical, source, line),) = [
        (e.alias, e.canonical, e.source, e.line) for e in read_aliases(feelists / "aliases.csv")
    ]
    assert (alias, canonical, source, line) == ("文件费", "单证费", "https://example.test/table", 2)


def test_aliases_are_keyed_by_the_given_normaliser(feelists: Path) -> None:
    reference = load_reference(feelists, normalise=lambda name: f"key:{name}")
    assert reference.aliases == {"key:文件费": "单证费"}


def test_aliases_are_keyed_by_the_validator_s_name_normaliser_by_default(feelists: Path) -> None:
    write(feelists / "aliases.csv", [ALIAS | {"alias": " ＤＯＣ "}])
    assert load_reference(feelists).aliases == {"doc": "单证费"}


def test_a_file_saved_by_excel_with_a_byte_order_mark_and_capital_booleans_loads(feelists: Path) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES | {"pass_through": "TRUE", "verified": "False"}], "utf-8-sig")
    (item,) = load_reference(feelists).gov_items
    assert (item.code, item.pass_through, item.verified) == ("HWF-TEST-20", True, False)


@pytest.mark.parametrize(
    ("column", "value", "complaint"),
    [
        pytest.param("rate", "12,5", "is not a decimal amount", id="decimal-comma"),
        pytest.param("rate", "1e3", "is not a decimal amount", id="exponent"),
        pytest.param("rate", "-3", "is not a decimal amount", id="negative"),
        pytest.param("rate", "１７", "is not a decimal amount", id="full-width-digits"),
        pytest.param("rate", "1.23456", "more than 4 decimal places", id="too-precise"),
        pytest.param("effective_from", "2020-13-01", "is not a date", id="month-13"),
        pytest.param("effective_from", "2020/07/01", "is not a date", id="slashes"),
        pytest.param("effective_until", "20210101", "is not a date", id="compact-date"),
        pytest.param("pricing_class", "政府收费", "is not one of", id="unknown-class"),
        pytest.param("status", "repealed", "is not one of", id="unknown-status"),
        pytest.param("rate_kind", "maximum", "is not one of", id="unknown-rate-kind"),
        pytest.param("trade", "外贸进出口", "empty means any", id="unnormalised-trade"),
        pytest.param("container_size", "20GP", "empty means any", id="box-type-not-size"),
        pytest.param("cargo", "危险品", "empty means any", id="unnormalised-cargo"),
        pytest.param("pass_through", "yes", "is not true or false", id="yes-for-true"),
        pytest.param("verified", "", "must not be empty", id="verified-blank"),
        pytest.param("trust", "OFFICIAL", "is not one of", id="unknown-trust"),
        pytest.param("trust", "DERIVED|MAYBE", "only HISTORICAL may follow", id="unknown-trust-suffix"),
        pytest.param("basis", "", "must not be empty", id="no-basis"),
        pytest.param("source", "  ", "must not be empty", id="no-source"),
        pytest.param("code", "hwf test", "is not a code", id="bad-code"),
        pytest.param("name_zh", "", "must not be empty", id="no-name"),
        pytest.param("currency", "人民币", "three-letter currency code", id="currency-in-words"),
        pytest.param("aliases", "港务费||港建费", "empty name", id="empty-alias"),
    ],
)
def test_a_bad_cell_is_refused_naming_file_line_and_column(
    feelists: Path, column: str, value: str, complaint: str
) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES, SECURITY_FOLDED | {column: value}])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 3, column)
    assert complaint in error.message
    assert str(error).startswith(f"govlist.csv, line 3, column {column}: ")


@pytest.mark.parametrize(
    ("change", "column", "complaint"),
    [
        pytest.param({"rate_kind": ""}, "rate_kind", "must say fixed or cap", id="rate-without-kind"),
        pytest.param({"unit": ""}, "unit", "must be given when a rate is", id="rate-without-unit"),
        pytest.param({"status": "abolished"}, "rate", "must be empty on an abolished row", id="abolished-with-rate"),
        pytest.param({"status": "folded"}, "folded_into", "must name the bundle", id="folded-nowhere"),
        pytest.param({"folded_into": "BAOGAN"}, "folded_into", "must be empty unless", id="in-force-but-folded"),
        pytest.param({"effective_until": "2020-06-30"}, "effective_until", "is before", id="ends-before-it-starts"),
        pytest.param({"trust": "READ-MIRROR|HISTORICAL"}, "trust", "needs an effective_until", id="open-history"),
        pytest.param({"verified": "true"}, "verified", "READ-OFFICIAL row still in force", id="verified-derived"),
        pytest.param(
            {"verified": "true", "trust": "READ-OFFICIAL|HISTORICAL", "effective_until": "2021-12-31"},
            "verified",
            "READ-OFFICIAL row still in force",
            id="verified-historical",
        ),
    ],
)
def test_a_row_whose_cells_contradict_each_other_is_refused(
    feelists: Path, change: dict[str, str], column: str, complaint: str
) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES | change])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 2, column)
    assert complaint in error.message


def test_a_code_used_twice_is_refused_at_its_second_row(feelists: Path) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES, SECURITY_FOLDED | {"code": "HWF-TEST-20"}])
    error = refusal(feelists)
    assert (error.line, error.column) == (3, "code")
    assert "already appears on line 2" in error.message


def test_overlapping_windows_of_one_item_under_the_same_conditions_are_refused(feelists: Path) -> None:
    write(
        feelists / "govlist.csv",
        [HARBOUR_DUES, HARBOUR_DUES | {"code": "HWF-TEST-20-2021", "effective_from": "2021-01-01"}],
    )
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 3, "effective_from")
    assert "overlaps HWF-TEST-20's (line 2)" in error.message


@pytest.mark.parametrize(
    "second",
    [
        pytest.param({"effective_from": "2021-01-01"}, id="next-window-starts-the-day-after"),
        pytest.param({"effective_from": "2020-07-01", "container_size": "40"}, id="other-conditions"),
    ],
)
def test_windows_that_follow_each_other_or_differ_in_conditions_load(feelists: Path, second: dict[str, str]) -> None:
    first = HARBOUR_DUES | {"effective_until": "2020-12-31"}
    write(feelists / "govlist.csv", [first, HARBOUR_DUES | {"code": "HWF-TEST-20-NEXT"} | second])
    assert len(load_reference(feelists).gov_items) == 2


def test_a_folded_row_naming_an_unknown_bundle_is_refused(feelists: Path) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES, SECURITY_FOLDED | {"folded_into": "THC"}])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 3, "folded_into")
    assert "'THC' is not a bundle in bundles.csv" in error.message


def test_a_row_folding_into_a_bundle_before_the_bundle_exists_is_refused(feelists: Path) -> None:
    write(feelists / "bundles.csv", [BUNDLE | {"effective_from": "2023-01-01"}])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 3, "folded_into")
    assert "not in effect on 2022-04-01" in error.message


def test_a_component_of_an_unknown_bundle_is_refused(feelists: Path) -> None:
    write(feelists / "bundle_components.csv", [COMPONENT, COMPONENT | {"bundle_code": "THC", "name_zh": "装卸"}])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("bundle_components.csv", 3, "bundle_code")


def test_a_component_listed_twice_in_one_bundle_is_refused(feelists: Path) -> None:
    write(feelists / "bundle_components.csv", [COMPONENT, COMPONENT])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("bundle_components.csv", 3, "name_zh")


@pytest.mark.parametrize(
    ("rows", "line", "column", "complaint"),
    [
        pytest.param([ALIAS, ALIAS | {"alias": " 文件费"}], 3, "alias", "already appears on line 2", id="twice"),
        pytest.param([ALIAS | {"alias": "单证费"}], 2, "alias", "canonical name itself", id="itself"),
        pytest.param(
            [ALIAS, ALIAS | {"alias": "单据费", "canonical": "文件费"}], 3, "canonical", "itself an alias", id="chain"
        ),
        pytest.param([ALIAS | {"alias": "货物港务费"}], 2, "alias", "is the official name", id="official-name"),
        pytest.param([ALIAS | {"source": ""}], 2, "source", "must not be empty", id="unsourced"),
    ],
)
def test_an_alias_that_would_blur_two_names_is_refused(
    feelists: Path, rows: list[dict[str, str]], line: int, column: str, complaint: str
) -> None:
    write(feelists / "aliases.csv", rows)
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("aliases.csv", line, column)
    assert complaint in error.message


def test_an_item_alias_that_the_alias_dictionary_gives_to_another_name_is_refused(feelists: Path) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES | {"aliases": "港务费|文件费"}, SECURITY_FOLDED])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 2, "aliases")
    assert "already stands for '单证费'" in error.message


def test_a_header_missing_a_column_is_refused_on_line_1(feelists: Path) -> None:
    write(feelists / "govlist.csv", [{k: v for k, v in HARBOUR_DUES.items() if k != "trust"}])
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("govlist.csv", 1, "trust")
    assert "missing from the header" in error.message


def test_a_header_with_an_unknown_column_is_refused_on_line_1(feelists: Path) -> None:
    write(feelists / "govlist.csv", [HARBOUR_DUES | {"tariff": "x"}])
    error = refusal(feelists)
    assert (error.line, error.column) == (1, "tariff")


def test_a_row_with_too_few_fields_names_the_first_missing_column(feelists: Path) -> None:
    (feelists / "aliases.csv").write_text("alias,canonical,source\n文件费,单证费\n", encoding="utf-8")
    error = refusal(feelists)
    assert (error.file, error.line, error.column) == ("aliases.csv", 2, "source")


@pytest.mark.parametrize(
    ("bad_row", "line"),
    [pytest.param(0, 2, id="the-spanning-row-is-at-its-first-line"), pytest.param(1, 4, id="the-next-row-after-it")],
)
def test_line_numbers_count_the_lines_of_a_quoted_cell_that_spans_several(
    feelists: Path, bad_row: int, line: int
) -> None:
    rows = [HARBOUR_DUES | {"note": "first line\nsecond line"}, SECURITY_FOLDED]
    rows[bad_row] = rows[bad_row] | {"rate": "x"}
    write(feelists / "govlist.csv", rows)
    error = refusal(feelists)
    assert (error.line, error.column) == (line, "rate")


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte(feelists: Path) -> None:
    write(feelists / "aliases.csv", [ALIAS, ALIAS | {"alias": "单据费"}], encoding="gbk")
    error = refusal(feelists)
    assert (error.file, error.line) == ("aliases.csv", 2)
    assert "not UTF-8" in error.message


def test_a_missing_file_is_refused_by_name(feelists: Path) -> None:
    (feelists / "bundle_components.csv").unlink()
    error = refusal(feelists)
    assert error.file == "bundle_components.csv"
    assert str(error).startswith("bundle_components.csv: is missing")
