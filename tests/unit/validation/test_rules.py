"""Every rule on a table of small lists: which rule codes each list gets, on both sides of each legal change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from portal.validation.dates import parse_date
from portal.validation.engine import RULES, validate
from portal.validation.findings import Finding, Report
from portal.validation.model import Reference, Severity
from portal.validation.rules import complaint_phone

from .conftest import BAOGAN, BARGE, BOOM, DOC, HWF, OIL_FUND, PCF, PFS, PIL, TRIM, CatalogueFactory, LineFactory
from .rule_findings import FINDINGS, WITH_ROWS, Expected

TALLY: dict[str, str] = {}  # the clean market line of the make_line fixture

D = "2024-06-01"

CASES = [
    # a clean list
    pytest.param([TALLY, DOC, BAOGAN, HWF, PIL, BOOM, OIL_FUND | {"pass_through": "是"}], D, set(), id="clean"),
    # missing-field
    pytest.param([{"name": ""}], D, {"missing-field"}, id="no-name"),
    pytest.param([{"service_content": " "}], D, {"missing-field"}, id="no-service-content"),
    pytest.param([{"standard": ""}], D, {"missing-field"}, id="no-standard"),
    pytest.param([{"standard": "  "}], D, {"missing-field"}, id="blank-standard"),
    pytest.param([{"unit": ""}], D, {"missing-field"}, id="no-unit"),
    pytest.param([{"pricing_class": ""}], D, {"missing-field"}, id="no-pricing-class"),
    pytest.param([HWF | {"basis": ""}], D, {"missing-field"}, id="class-a-without-basis"),
    pytest.param([{"basis": ""}], D, set(), id="market-without-basis"),
    # invalid-value
    pytest.param([{"standard": "12.3.4"}], D, {"invalid-value"}, id="two-decimal-points"),
    pytest.param([{"standard": "-200"}], D, {"invalid-value"}, id="negative-amount"),
    pytest.param([{"standard": "-5元/箱"}], D, {"invalid-value"}, id="negative-amount-with-unit"),
    pytest.param([{"standard": "500-400"}], D, {"invalid-value"}, id="reversed-range"),
    pytest.param([{"standard": "1e309"}], D, {"invalid-value"}, id="exponent"),
    pytest.param([{"standard": "NaN"}], D, {"invalid-value"}, id="nan"),
    pytest.param([{"standard": "1,2000"}], D, {"invalid-value"}, id="misplaced-separator"),
    pytest.param([{"standard": "10.12345"}], D, {"invalid-value"}, id="five-places"),
    pytest.param([{"standard": "10.1234"}], D, set(), id="four-places"),
    pytest.param([{"standard": "1-7天免费；8-14天-85元/天"}], D, {"invalid-value"}, id="negative-tier"),
    pytest.param([{"pricing_class": "市场价"}], D, {"invalid-value"}, id="unknown-class"),
    pytest.param([{"currency": "EUR"}], D, {"invalid-value"}, id="unknown-currency"),
    pytest.param([{"currency": "人民币"}, DOC | {"currency": "USD"}], D, set(), id="known-currencies"),
    pytest.param([{"pass_through": "可能"}], D, {"invalid-value"}, id="bad-pass-through"),
    pytest.param([{"pass_through": "否"}, DOC | {"pass_through": "N"}], D, set(), id="good-pass-through"),
    pytest.param([{"change_mark": "X"}], D, {"invalid-value"}, id="bad-change-mark"),
    pytest.param([{"change_mark": "i"}], D, set(), id="good-change-mark"),
    pytest.param([{"effective_date": "2024-13-01"}], D, {"invalid-value"}, id="bad-line-date"),
    pytest.param([{"effective_date": "2024年7月1日"}], D, set(), id="good-line-date"),
    # not-on-government-list
    pytest.param([HWF | {"name": "港口服务费"}], D, {"not-on-government-list"}, id="unknown-government-fee"),
    pytest.param([HWF | {"name": "货物港物费"}], D, {"not-on-government-list"}, id="misspelt-government-fee"),
    pytest.param([PIL | {"name": "引航费"}], D, set(), id="name-without-brackets"),
    pytest.param([PIL | {"name": "引航（移泊）费"}], D, set(), id="full-width-brackets"),
    pytest.param([{"name": "港口服务费"}], D, set(), id="unknown-market-fee"),
    # rate-deviation
    pytest.param([HWF | {"standard": "34"}], D, set(), id="fixed-rate-without-places"),
    pytest.param([HWF | {"standard": "￥34.00元/箱"}], D, set(), id="fixed-rate-with-symbols"),
    pytest.param([HWF | {"standard": "35"}], D, {"rate-deviation"}, id="fixed-rate-differs"),
    pytest.param([HWF | {"standard": "33.99"}], D, {"rate-deviation"}, id="fixed-rate-below"),
    pytest.param([HWF | {"conditions": "", "standard": "17"}], D, set(), id="any-conditions-one-rate"),
    pytest.param([HWF | {"conditions": "", "standard": "20"}], D, {"rate-deviation"}, id="any-conditions-no-rate"),
    pytest.param(
        [HWF | {"conditions": "外贸出口 40尺", "standard": "68"}], D, {"rate-deviation"}, id="other-rows-rate"
    ),
    pytest.param(
        [HWF | {"conditions": "出口外贸 40GP", "standard": "34"}], D, set(), id="rate-conditions-spelt-otherwise"
    ),
    pytest.param(
        [HWF | {"name": "货物港务费(外贸出口40尺)", "conditions": "", "standard": "34"}],
        D,
        set(),
        id="conditions-in-the-name",
    ),  # fmt: skip
    pytest.param([HWF | {"conditions": "内贸 40英尺", "standard": "999"}], D, set(), id="no-row-for-conditions"),
    pytest.param([HWF | {"standard": "17-34", "conditions": "外贸"}], D, set(), id="range-of-official-rates"),
    pytest.param([HWF | {"standard": "30-40", "conditions": "外贸"}], D, {"rate-deviation"}, id="range-off-rates"),
    pytest.param([HWF | {"currency": "USD"}], D, {"rate-deviation"}, id="currency-mismatch"),
    pytest.param([PIL | {"standard": "49000"}], D, set(), id="at-the-cap"),
    pytest.param([PIL | {"standard": "49000.01"}], D, {"rate-deviation"}, id="above-the-cap"),
    pytest.param([PIL | {"standard": "40000-50000"}], D, {"rate-deviation"}, id="range-above-the-cap"),
    pytest.param([HWF | {"standard": "不超过35元"}], D, {"rate-deviation"}, id="capped-above-the-fixed-rate"),
    pytest.param([PIL | {"standard": "最高49000元"}], D, set(), id="capped-at-the-cap"),
    pytest.param([PIL | {"standard": "50000元封顶"}], D, {"rate-deviation"}, id="capped-above-the-cap"),
    pytest.param([PIL | {"standard": "按船舶净吨计收"}], D, set(), id="formula-not-rate-checked"),
    pytest.param([BOOM | {"standard": "99999"}], D, set(), id="item-without-rate"),
    pytest.param([OIL_FUND | {"pass_through": "是", "standard": "0.35"}], D, {"rate-deviation"}, id="marked-up"),
    pytest.param([OIL_FUND | {"standard": "0.30元/吨"}], D, set(), id="fund-at-rate"),
    pytest.param([HWF | {"pricing_class": "市场调节价", "basis": ""}], D, {"misclassified"}, id="market-at-rate"),
    pytest.param(
        [HWF | {"pricing_class": "市场调节价", "standard": "40"}],
        D,
        {"misclassified", "rate-deviation"},
        id="market-off-rate",
    ),  # fmt: skip
    # abolished-fee, on both sides of each date
    pytest.param([PCF], "2020-12-31", set(), id="construction-fee-last-day"),
    pytest.param([PCF], "2021-01-01", {"abolished-fee"}, id="construction-fee-abolished"),
    pytest.param([PCF | {"pricing_class": "市场调节价"}], "2021-01-01", {"abolished-fee"}, id="abolished-any-class"),
    pytest.param([PFS], "2022-03-31", set(), id="security-fee-last-day"),
    pytest.param([PFS | {"standard": "20"}], "2022-03-31", {"rate-deviation"}, id="security-fee-off-rate"),
    pytest.param([PFS], "2022-04-01", {"abolished-fee"}, id="security-fee-folded"),
    pytest.param([PFS | {"name": "安保费"}], "2022-04-01", {"abolished-fee"}, id="security-fee-alias-folded"),
    pytest.param([PFS | {"conditions": ""}], "2024-06-01", {"abolished-fee"}, id="folded-whatever-conditions"),
    pytest.param([BARGE], "2018-06-19", set(), id="barge-last-day"),
    pytest.param([BARGE], "2018-06-20", {"abolished-fee"}, id="barge-folded"),
    pytest.param([TRIM], "2018-06-19", set(), id="trimming-last-day"),
    pytest.param([TRIM], "2018-06-20", {"abolished-fee"}, id="trimming-folded"),
    pytest.param([TRIM | {"pricing_class": "市场调节价"}], "2018-06-19", {"misclassified"}, id="trimming-as-market"),
    pytest.param([BAOGAN, BARGE], "2018-06-20", {"abolished-fee"}, id="folded-beside-bundle-once"),
    pytest.param([BAOGAN, PFS], "2022-04-01", {"abolished-fee"}, id="security-beside-bundle-once"),
    # misclassified
    pytest.param([HWF | {"pricing_class": "政府指导价"}], D, {"misclassified"}, id="wrong-class-a"),
    pytest.param([PIL | {"pricing_class": "市场调节价"}], D, {"misclassified"}, id="guided-as-market"),
    pytest.param([BOOM | {"pricing_class": "政府定价"}], D, {"misclassified"}, id="guided-as-priced"),
    # split-service
    pytest.param([BAOGAN, {"name": "场内搬移费"}], D, {"split-service"}, id="component-beside-bundle"),
    pytest.param([{"name": "场内搬移费"}], D, set(), id="component-without-bundle"),
    pytest.param([BAOGAN | {"name": "包干费"}, {"name": "装卸船作业费"}], D, {"split-service"}, id="bundle-alias"),
    pytest.param([BAOGAN | {"name": "THC"}, {"name": "装卸船费"}], D, {"split-service"}, id="component-stem"),
    pytest.param([BAOGAN, BARGE], "2018-06-19", set(), id="component-before-it-joined"),
    pytest.param([BOOM, {"name": "围油栏布防服务费"}], D, {"split-service"}, id="second-fee-beside"),
    pytest.param([{"name": "围油栏布防服务费"}], D, {"split-service"}, id="second-fee-instead"),
    pytest.param([{"name": "引航服务费"}], D, {"split-service"}, id="second-fee-pilotage"),
    pytest.param([{"name": "夜班费", "service_content": "围油栏使用"}], D, {"split-service"}, id="surcharge-content"),
    pytest.param([{"name": "夜班费", "remarks": "适用于引航(移泊)作业"}], D, {"split-service"}, id="surcharge-remark"),
    pytest.param([{"name": "围油栏使用费夜班费"}], D, {"split-service"}, id="surcharge-named"),
    pytest.param([{"name": "节假日附加费", "conditions": "货物港务"}], D, {"split-service"}, id="surcharge-holiday"),
    pytest.param([{"name": "夜班费", "service_content": "夜间装卸作业"}], D, set(), id="surcharge-market-service"),
    pytest.param([{"name": "加急费", "service_content": "加急放箱"}], D, set(), id="rush-fee-market-service"),
    # duplicate-item
    pytest.param([DOC, DOC], D, {"duplicate-item"}, id="same-line-twice"),
    pytest.param([DOC, DOC | {"name": "DOC"}, DOC | {"name": "单证费"}], D, {"duplicate-item"}, id="aliases-twice"),
    pytest.param([DOC | {"name": " 文件 费 "}, DOC | {"name": "文件費"}], D, set(), id="traditional-is-not-alias"),
    pytest.param([DOC | {"conditions": "外贸进口"}, DOC | {"conditions": "外贸出口"}], D, set(), id="other-conditions"),
    pytest.param([DOC, DOC | {"currency": "USD", "standard": "15"}], D, set(), id="in-yuan-and-in-dollars"),
    # invalid-value: a standard written in another currency than the line's
    pytest.param([DOC | {"standard": "50美元"}], D, {"invalid-value"}, id="dollars-in-a-yuan-line"),
    pytest.param([DOC | {"standard": "USD 50", "currency": "USD"}], D, set(), id="dollars-in-a-dollar-line"),
    pytest.param([DOC | {"standard": "50美金", "currency": "美金"}], D, set(), id="meijin-is-us-dollars"),
    # invalid-value: a standard charged per another unit than its 计费单位
    pytest.param([DOC | {"standard": "450元/票", "unit": "元/箱"}], D, {"invalid-value"}, id="per-bill-unit-per-box"),
    pytest.param(
        [DOC | {"standard": "USD 60/TEU", "unit": "USD/UNIT", "currency": "USD"}],
        D,
        {"invalid-value"},
        id="per-teu-unit-per-box",
    ),
    pytest.param([DOC | {"standard": "450元/提单", "unit": "USD/B/L"}], D, set(), id="per-bill-written-two-ways"),
    pytest.param(
        [DOC | {"standard": "15/票", "currency": "USD", "unit": "USD/箱"}],
        D,
        {"invalid-value"},
        id="per-bill-in-the-lines-dollars-unit-per-box",
    ),
    pytest.param(
        [DOC | {"standard": "RMB 100/票", "unit": "元/箱"}], D, {"invalid-value"}, id="per-bill-in-yuan-unit-per-box"
    ),
    pytest.param([DOC | {"standard": "100/票", "unit": "元/箱"}], D, {"invalid-value"}, id="per-bill-in-yuan-by-line"),
    pytest.param([DOC | {"standard": "10元/柜/天", "unit": "元/箱·天"}], D, set(), id="per-box-and-day-both"),
    pytest.param([DOC | {"standard": "10元/天", "unit": "元/箱·天"}], D, set(), id="per-day-of-a-box-per-day"),
    pytest.param([DOC | {"standard": "100元/次", "unit": "元/艘次"}], D, set(), id="per-time-of-a-call"),
    pytest.param([DOC | {"standard": "450元/坨", "unit": "元/箱"}], D, set(), id="an-unknown-unit-is-not-compared"),
    pytest.param(
        [DOC | {"standard": "450元/票(保底)", "unit": "元/箱"}],
        D,
        {"vague-standard"},
        id="a-text-standard-is-not-compared",
    ),
    pytest.param([DOC | {"standard": "85元/票", "currency": "USD"}], D, {"invalid-value"}, id="yuan-in-a-dollar-line"),
    pytest.param([DOC | {"standard": "HK$100"}], D, {"invalid-value"}, id="hong-kong-dollars"),
    pytest.param([DOC | {"standard": "2026-01-01"}], D, {"invalid-value"}, id="a-date-for-a-standard"),
    pytest.param([DOC | {"standard": "100-200-300"}], D, {"vague-standard"}, id="three-prices-by-dashes"),
    pytest.param([DOC | {"standard": "100元或200元"}], D, {"vague-standard"}, id="two-prices-by-or"),
    pytest.param([DOC | {"standard": "100。00"}], D, {"invalid-value"}, id="full-stop-for-a-point"),
    pytest.param([DOC | {"standard": "100元或HK$110"}], D, {"invalid-value"}, id="hong-kong-dollars-beside-yuan"),
    pytest.param([DOC | {"standard": "50美元或350元", "currency": "USD"}], D, set(), id="both-named-one-is-the-lines"),
    pytest.param(
        [DOC | {"currency": "人民币"}, DOC | {"currency": "CNY"}], D, {"duplicate-item"}, id="yuan-spelt-twice"
    ),
    pytest.param(
        [DOC | {"conditions": "20GP"}, DOC | {"conditions": "20英尺"}],
        D,
        {"duplicate-item"},
        id="conditions-spelt-otherwise",
    ),  # fmt: skip
    pytest.param([DOC | {"conditions": "40GP"}, DOC | {"conditions": "40HQ"}], D, set(), id="high-cube-is-another-box"),
    pytest.param(
        [DOC | {"conditions": "40HQ"}, DOC | {"conditions": "40'HC"}],
        D,
        {"duplicate-item"},
        id="high-cube-spelt-otherwise",
    ),  # fmt: skip
    pytest.param([DOC | {"name": "文件费(进口)"}, DOC | {"name": "文件费(出口)"}], D, set(), id="bracketed-names"),
    pytest.param(
        [DOC | {"conditions": "南沙港区"}, DOC | {"conditions": "黄埔港区"}], D, set(), id="other-words-differ"
    ),
    pytest.param(
        [DOC | {"conditions": "南沙 港区"}, DOC | {"conditions": "南沙港区"}],
        D,
        {"duplicate-item"},
        id="other-words-alike",
    ),  # fmt: skip
    # a line a rule skips, then a faulty line: the rule goes on judging the lines after the skipped one
    pytest.param([TALLY, HWF | {"standard": "35"}], D, {"rate-deviation"}, id="rate-after-a-market-line"),
    pytest.param(
        [HWF | {"currency": "EUR"}, HWF | {"conditions": "外贸出口 20英尺", "standard": "18"}],
        D,
        {"invalid-value", "rate-deviation"},
        id="rate-after-an-unknown-currency",
    ),
    pytest.param(
        [HWF | {"standard": "-34"}, HWF | {"conditions": "外贸出口 20英尺", "standard": "18"}],
        D,
        {"invalid-value", "rate-deviation"},
        id="rate-after-a-negative-amount",
    ),
    pytest.param(
        [PIL | {"standard": "按船舶净吨计收"}, HWF | {"standard": "35"}],
        D,
        {"rate-deviation"},
        id="rate-after-a-formula",
    ),
    pytest.param(
        [HWF | {"conditions": "内贸 40英尺", "standard": "999"}, HWF | {"standard": "35"}],
        D,
        {"rate-deviation"},
        id="rate-after-no-matching-row",
    ),
    pytest.param(
        [HWF | {"currency": "USD"}, HWF | {"conditions": "外贸出口 20英尺", "standard": "18"}],
        D,
        {"rate-deviation"},
        id="rate-after-another-currency",
    ),
    pytest.param([TALLY, PCF], "2021-01-01", {"abolished-fee"}, id="abolished-after-a-market-line"),
    pytest.param(
        [{"pricing_class": "市场价"}, HWF | {"pricing_class": "政府指导价"}],
        D,
        {"invalid-value", "misclassified"},
        id="misclassified-after-an-unknown-class",
    ),
    pytest.param(
        [HWF, PIL | {"pricing_class": "市场调节价"}], D, {"misclassified"}, id="misclassified-after-a-right-class"
    ),
    pytest.param([{"name": ""}, DOC, DOC], D, {"missing-field", "duplicate-item"}, id="duplicate-after-no-name"),
    pytest.param(
        [TALLY, HWF | {"name": "港口服务费"}], D, {"not-on-government-list"}, id="off-list-after-a-market-line"
    ),
    pytest.param([HWF, HWF | {"name": "港口服务费"}], D, {"not-on-government-list"}, id="off-list-after-a-listed-line"),
    pytest.param(
        [PFS, {"name": "围油栏布防服务费"}], "2022-04-01", {"abolished-fee", "split-service"}, id="split-after-retired"
    ),
    pytest.param(
        [{"name": ""}, {"name": "引航服务费"}], D, {"missing-field", "split-service"}, id="split-after-no-name"
    ),
    pytest.param([TALLY, DOC | {"standard": "-200"}], D, {"invalid-value"}, id="invalid-after-a-clean-line"),
    pytest.param([TALLY, DOC | {"unit": "元/坨"}], D, {"unknown-unit"}, id="unit-after-a-clean-line"),
    pytest.param([TALLY, DOC | {"standard": "面议"}], D, {"vague-standard"}, id="vague-after-a-clean-line"),
    # boundaries
    pytest.param(
        [HWF | {"standard": "33-34", "pass_through": "是"}], D, {"rate-deviation"}, id="pass-through-up-to-the-rate"
    ),
    pytest.param([PIL | {"pass_through": "是", "standard": "49000"}], D, set(), id="pass-through-at-the-cap"),
    pytest.param(
        [PIL | {"pass_through": "是", "standard": "49000.01"}], D, {"rate-deviation"}, id="pass-through-above-the-cap"
    ),
    pytest.param([{"standard": "400-400"}], D, set(), id="range-with-equal-ends"),
    pytest.param([{"standard": "400.01-400"}], D, {"invalid-value"}, id="range-reversed-by-a-cent"),
    # vague-standard
    pytest.param([{"standard": "面议"}], D, {"vague-standard"}, id="negotiable"),
    pytest.param([{"standard": "按实际发生"}], D, {"vague-standard"}, id="as-incurred"),
    pytest.param([{"standard": "另议"}], D, {"vague-standard"}, id="to-be-agreed"),
    pytest.param([{"standard": "按实际发生，最高500元"}], D, set(), id="with-a-cap"),
    pytest.param([{"standard": "按货值0.1%"}], D, set(), id="a-formula"),
    pytest.param([{"standard": "100元/20尺"}], D, {"vague-standard"}, id="a-price-per-a-box-size"),
    # unknown-unit
    pytest.param([{"unit": "元 / TEU"}, DOC | {"unit": "RMB/票"}, BAOGAN | {"unit": "元/箱天"}], D, set(), id="units"),
    pytest.param([{"unit": "元/坨"}], D, {"unknown-unit"}, id="unknown-unit"),
    pytest.param([DOC | {"unit": "USD/BL", "currency": "USD", "standard": "65"}], D, set(), id="usd-unit"),
    pytest.param([{"unit": "箱/天"}], D, {"unknown-unit"}, id="unit-without-currency"),
    pytest.param(
        [DOC | {"unit": "per B/L", "currency": "USD", "standard": "65"}], D, {"unknown-unit"}, id="english-unit-in-usd"
    ),
    pytest.param(
        [DOC | {"unit": "元/柜/天", "standard": "10元/箱·天"}, DOC | {"name": "电放费", "unit": "USD per CNTR"}],
        D,
        set(),
        id="units-written-otherwise",
    ),
]


def whole(finding: Finding) -> Expected:
    """A finding as the table writes it: every part that reaches the operator, the reviewer and the API."""
    where = finding.location
    params = {key: str(value) for key, value in sorted(finding.params.items()) if key != "item"}
    return (
        finding.rule,
        str(finding.severity),
        finding.line_key,
        where.field if where else None,
        finding.basis,
        finding.render(),
        params,
    )


@pytest.fixture
def run(make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference) -> Callable[..., Report]:
    """Validate a list of lines on `effective`; with `rows`, the lines come from workbook rows 10, 11 ..."""

    def run(lines: list[dict[str, str]], effective: str, *, rows: bool = False) -> Report:
        made = (make_line(**fields, row=9 + i if rows else None) for i, fields in enumerate(lines, 1))
        catalogue = make_catalogue(*made, effective_date=effective)
        return validate(catalogue, reference, parse_date(effective))

    return run


def test_every_case_has_its_findings_written_out() -> None:
    assert [case.id for case in CASES] == list(FINDINGS)
    assert set(WITH_ROWS) <= set(FINDINGS)


@pytest.mark.parametrize(("lines", "effective", "expected"), CASES)
def test_each_list_gets_exactly_the_findings_its_faults_call_for(
    run: Callable[..., Report],
    request: pytest.FixtureRequest,
    lines: list[dict[str, str]],
    effective: str,
    expected: set[str],
) -> None:
    report = run(lines, effective)
    assert {f.rule for f in report.findings} == expected, [f.render() for f in report.findings]
    assert [whole(f) for f in report.findings] == FINDINGS[request.node.callspec.id]
    assert all(f.location is not None and f.location.row is None for f in report.findings)


@pytest.mark.parametrize(("lines", "effective", "expected"), CASES)
def test_lines_read_from_a_workbook_get_the_same_findings_located_at_their_rows(
    run: Callable[..., Report],
    request: pytest.FixtureRequest,
    lines: list[dict[str, str]],
    effective: str,
    expected: set[str],
) -> None:
    case = request.node.callspec.id
    report = run(lines, effective, rows=True)
    assert {f.rule for f in report.findings} == expected
    assert [whole(f) for f in report.findings] == WITH_ROWS.get(case, FINDINGS[case])
    for finding in report.findings:
        assert finding.location is not None
        assert finding.line_key is not None
        assert finding.location.row == 9 + int(finding.line_key.removeprefix("L"))


def test_each_fault_is_reported_once(run: Callable[[list[dict[str, str]], str], Report]) -> None:
    report = run([DOC, DOC | {"name": "DOC"}, DOC | {"name": "单证费"}], D)
    assert [(f.rule, f.line_key) for f in report.findings] == [("duplicate-item", "L2"), ("duplicate-item", "L3")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"operator_name": ""}, {"missing-field"}),
        ({"credit_code": ""}, {"missing-field"}),
        ({"port_area": " "}, {"missing-field"}),
        ({"effective_date": ""}, {"missing-field"}),
        ({"credit_code": "91440101MA5ABCDE10"}, {"invalid-value"}),
        ({"effective_date": "2024-02-30"}, {"invalid-value"}),
        ({"updated_date": "soon"}, {"invalid-value"}),
        ({"updated_date": "2024年5月1日"}, set()),
        ({"complaint_phone": ""}, {"missing-complaint-phone"}),
        ({"complaint_phone": "12345"}, {"missing-complaint-phone"}),
        ({"complaint_phone": "请致电客服"}, {"missing-complaint-phone"}),
        ({"complaint_phone": "020-8888 8888"}, set()),
        ({"complaint_phone": "12358；020-12345678"}, set()),
        ({"complaint_phone": "+86 20 12345678"}, set()),
    ],
)
def test_header_values_are_required_and_checked(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, header: dict, expected: set[str]
) -> None:
    report = validate(make_catalogue(make_line(), **header), reference, date(2024, 6, 1))
    assert {f.rule for f in report.findings} == expected
    assert all(f.line_key is None and f.item == "" for f in report.findings)
    assert all(f.location is not None and f.location.field == next(iter(header)) for f in report.findings)


LISTED = "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"operator_name": ""}, ("missing-field", "operator_name", LISTED, {})),
        ({"port_area": " "}, ("missing-field", "port_area", LISTED, {})),
        (
            {"credit_code": "91440101MA5ABCDE10"},
            ("invalid-value", "credit_code", "GB 32100-2015", {"value": "91440101MA5ABCDE10"}),
        ),
        (
            {"effective_date": "2024-02-30"},
            ("invalid-value", "effective_date", "穗商务规字〔2021〕4号 附件2", {"value": "2024-02-30"}),
        ),
        ({"updated_date": "soon"}, ("invalid-value", "updated_date", "穗商务规字〔2021〕4号 附件2", {"value": "soon"})),
        (
            {"complaint_phone": "12345"},
            ("missing-complaint-phone", "complaint_phone", "穗商务规字〔2021〕4号", {"value": "12345"}),
        ),
    ],
)
def test_a_header_finding_names_its_field_basis_and_value(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, header: dict, expected: tuple
) -> None:
    report = validate(make_catalogue(make_line(), **header), reference, date(2024, 6, 1))
    assert [
        (f.rule, f.location.field if f.location else None, f.basis, {k: str(v) for k, v in f.params.items()})
        for f in report.findings
    ] == [expected]


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12345", complaint_phone.HOTLINE_ONLY),
        ("12315 / 12358", complaint_phone.HOTLINE_ONLY),  # government lines only, however many
        ("123", complaint_phone.IMPLAUSIBLE),
        ("12345 或 5678", complaint_phone.IMPLAUSIBLE),  # something else, too short to dial
        ("请致电客服", complaint_phone.IMPLAUSIBLE),
    ],
)
def test_a_government_hotline_alone_is_told_apart_from_a_number_that_cannot_be_dialled(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, phone: str, message: str
) -> None:
    (finding,) = validate(make_catalogue(make_line(), complaint_phone=phone), reference, date(2024, 6, 1)).findings
    assert (finding.rule, finding.message) == ("missing-complaint-phone", message)


def test_without_a_readable_effective_date_the_government_list_is_read_on_the_as_of_date(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    catalogue = make_catalogue(make_line(**PCF), effective_date="not yet")
    before = validate(catalogue, reference, date(2020, 12, 31))
    after = validate(catalogue, reference, date(2021, 1, 1))
    assert {f.rule for f in before.findings} == {"invalid-value"}
    assert {f.rule for f in after.findings} == {"invalid-value", "abolished-fee"}


@pytest.mark.parametrize(
    ("updated", "last_confirmed", "effective", "stale"),
    [
        ("2023-05-31", None, "2023-01-01", True),
        ("2023-06-01", None, "2023-01-01", False),
        ("", None, "2023-05-31", True),
        ("", None, "2023-06-01", False),
        ("2022-01-01", date(2024, 1, 1), "2022-01-01", False),
        ("2024-01-01", date(2022, 1, 1), "2022-01-01", False),
        ("", date(2023, 5, 1), "2023-01-01", True),
        ("2020-01-01", None, "2024-01-01", False),
        ("", None, "", False),
    ],
)
def test_a_list_not_updated_or_confirmed_for_twelve_months_is_stale(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    updated: str,
    last_confirmed: date | None,
    effective: str,
    stale: bool,
) -> None:
    catalogue = make_catalogue(
        make_line(), effective_date=effective, updated_date=updated, last_confirmed=last_confirmed
    )
    report = validate(catalogue, reference, date(2024, 6, 1))
    assert ("stale-list" in {f.rule for f in report.findings}) is stale


def test_the_rule_codes_and_their_order_are_the_published_ones() -> None:
    assert [code for code, _ in RULES] == [
        "missing-field",
        "invalid-value",
        "missing-complaint-phone",
        "not-on-government-list",
        "rate-deviation",
        "abolished-fee",
        "misclassified",
        "split-service",
        "duplicate-item",
        "vague-standard",
        "unknown-unit",
        "stale-list",
    ]


WARNINGS = {"vague-standard", "unknown-unit", "stale-list"}


def test_only_vague_standards_unknown_units_and_stale_lists_are_warnings(
    run: Callable[..., Report], make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    severities: dict[str, set[Severity]] = {}
    for case in CASES:
        lines, effective, _expected = case.values
        for finding in run(lines, effective).findings:
            severities.setdefault(finding.rule, set()).add(finding.severity)
    stale = make_catalogue(make_line(), effective_date="2022-01-01")
    for finding in validate(stale, reference, date(2024, 6, 1)).findings:
        severities.setdefault(finding.rule, set()).add(finding.severity)
    expected = {code: {Severity.WARNING if code in WARNINGS else Severity.ERROR} for code, _ in RULES}
    del expected["missing-complaint-phone"]  # a header rule, see test_header_values_are_required_and_checked
    assert severities == expected


@pytest.mark.parametrize("verified", [False, True])
def test_a_rate_finding_says_when_the_official_rate_is_unverified(
    reference: Reference, make_line: LineFactory, make_catalogue: CatalogueFactory, verified: bool
) -> None:
    items = tuple(replace(item, verified=verified) for item in reference.gov_items)
    judged = replace(reference, gov_items=items)
    report = validate(make_catalogue(make_line(**(HWF | {"standard": "35"}))), judged, parse_date(D))
    (finding,) = [f for f in report.findings if f.rule == "rate-deviation"]
    assert ("not yet verified" in finding.render()) is not verified
