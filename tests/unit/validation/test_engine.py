"""The engine: a clean list passes, findings come in line then rule order, located and fully worded."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from portal.validation.engine import RULES, validate
from portal.validation.model import (
    CatalogueInput,
    Conditions,
    FeeLine,
    GovItem,
    GovStatus,
    Header,
    Location,
    PricingClass,
    Reference,
    Severity,
)
from portal.validation.rules.rate import UNVERIFIED_ONLY

from .conftest import BAOGAN, BOOM, CLEAN_LINE, DOC, HWF, OIL_FUND, PCF, PFS, PIL, CatalogueFactory, LineFactory

CORE = Path(__file__).resolve().parents[3] / "portal" / "validation"
JUNE = date(2024, 6, 1)


def test_a_clean_list_has_no_findings(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    lines = [make_line(**fields) for fields in ({}, DOC, BAOGAN, HWF, PIL, BOOM, OIL_FUND | {"pass_through": "是"})]
    report = validate(make_catalogue(*lines), reference, JUNE)
    assert report.findings == ()
    assert report.ok
    assert report.lines == 7


def test_a_line_with_many_faults_gets_every_one_of_them(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    line = make_line(service_content="", standard="面议", unit="元/坨", currency="EUR", pass_through="也许")
    report = validate(make_catalogue(line), reference, JUNE)
    assert [(f.rule, f.location.field) for f in report.findings] == [
        ("missing-field", "service_content"),
        ("invalid-value", "currency"),
        ("invalid-value", "pass_through"),
        ("vague-standard", "standard"),
        ("unknown-unit", "unit"),
    ]
    assert not report.ok
    assert len(report.errors) == 3
    assert len(report.warnings) == 2


def test_findings_are_ordered_header_first_then_by_line_then_by_rule(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    lines = [make_line(unit="元/坨"), make_line(**DOC), make_line(**DOC | {"standard": "面议"}), make_line(name="")]
    report = validate(make_catalogue(*lines, complaint_phone="", port_area=""), reference, JUNE)
    assert [(f.line_key, f.rule) for f in report.findings] == [
        (None, "missing-field"),
        (None, "missing-complaint-phone"),
        ("L1", "unknown-unit"),
        ("L3", "duplicate-item"),
        ("L3", "vague-standard"),
        ("L4", "missing-field"),
    ]


def test_findings_keep_line_order_when_lines_have_neither_key_nor_row(reference: Reference) -> None:
    header = Header("运营方", "", "南沙港区", "020-12345678", "2024-01-01")
    lines = (FeeLine(**CLEAN_LINE | {"unit": "元/坨"}), FeeLine(**CLEAN_LINE | {"standard": "面议"}))
    report = validate(CatalogueInput(header, lines), reference, JUNE)
    assert [f.rule for f in report.findings] == ["missing-field", "unknown-unit", "duplicate-item", "vague-standard"]


def test_a_finding_carries_the_workbook_cell_the_line_key_the_item_and_the_basis(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    cell = Location(sheet="收费目录清单", row=12, column="G", field="standard")
    line = make_line(**PIL | {"standard": "50000", "key": "fee-7", "row": 12, "locations": {"standard": cell}})
    (finding,) = validate(make_catalogue(line), reference, JUNE).findings
    assert finding.rule == "rate-deviation"
    assert finding.location is cell
    assert finding.location.cell == "G12"
    assert (finding.item, finding.line_key, finding.basis) == ("引航(移泊)费", "fee-7", "交水规〔2019〕2号 表5")
    assert finding.params["expected"] == "49,000.00"


def test_a_field_without_a_known_cell_is_located_by_row_and_field(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    report = validate(make_catalogue(make_line(unit="", row=15)), reference, JUNE)
    assert report.findings[0].location == Location(row=15, field="unit")


def test_a_header_finding_carries_the_header_cell(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    cell = Location(sheet="收费目录清单", row=4, column="B", field="complaint_phone")
    catalogue = make_catalogue(make_line(), complaint_phone="")
    catalogue = replace(catalogue, header=replace(catalogue.header, locations={"complaint_phone": cell}))
    (finding,) = validate(catalogue, reference, JUNE).findings
    assert (finding.rule, finding.location, finding.item, finding.line_key) == (
        "missing-complaint-phone",
        cell,
        "",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "expected", "basis"),
    [
        (HWF | {"conditions": "外贸 20英尺", "standard": "20"}, "17.00 / 34.00", "交水规〔2019〕2号"),
        (HWF | {"conditions": "", "standard": "20"}, "7.00 / 17.00 / 34.00 / 68.00", "交水规〔2019〕2号"),
        (HWF | {"conditions": "外贸出口 40英尺", "standard": "68"}, "34.00", "交水规〔2019〕2号"),
        (OIL_FUND | {"pass_through": "是", "standard": "0.5"}, "0.30", "《船舶油污损害赔偿基金征收使用管理办法》"),
    ],
)
def test_a_rate_deviation_names_the_official_rates_for_the_lines_conditions(
    make_line: LineFactory,
    make_catalogue: CatalogueFactory,
    reference: Reference,
    fields: dict[str, str],
    expected: str,
    basis: str,
) -> None:
    (finding,) = validate(make_catalogue(make_line(**fields)), reference, JUNE).findings
    assert finding.params["expected"] == expected
    assert finding.basis == basis
    assert expected in finding.render()


@pytest.mark.parametrize(
    ("fields", "on", "words"),
    [
        (PCF, date(2021, 1, 1), ["港口建设费", "2021-01-01", "取消港口建设费"]),
        (
            PFS,
            date(2022, 4, 1),
            ["港口设施保安费", "2022-04-01", "港口作业包干费", "《关于减并港口收费等有关事项的通知》"],
        ),
    ],
)
def test_an_abolished_or_folded_fee_says_which_since_when_and_on_what_basis(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, fields, on: date, words: list[str]
) -> None:
    catalogue = make_catalogue(make_line(**fields), effective_date=on.isoformat())
    (finding,) = validate(catalogue, reference, on).findings
    assert finding.rule == "abolished-fee"
    assert all(word in finding.render() for word in words), finding.render()


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [("中转 20英尺", ["abolished-fee"]), ("内贸 40英尺", []), ("外贸进口 20英尺", [])],
)
def test_a_row_abolished_for_some_conditions_retires_only_lines_with_those_conditions(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference, conditions: str, expected: list
) -> None:
    transit = GovItem(
        "HWF-TRANSIT", "货物港务费", "Harbour dues", PricingClass.GOV_PRICED, "元/箱", "某通知", GovStatus.ABOLISHED,
        conditions=Conditions(trade="中转"),
    )  # fmt: skip
    line = make_line(**HWF | {"conditions": conditions})
    report = validate(make_catalogue(line), replace(reference, gov_items=(*reference.gov_items, transit)), JUNE)
    assert [f.rule for f in report.findings] == expected


def test_a_duplicate_names_the_first_entry_by_row_when_read_from_a_workbook(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    catalogue = make_catalogue(make_line(**DOC, row=8), make_line(**DOC | {"name": "DOC"}, row=9))
    (finding,) = validate(catalogue, reference, JUNE).findings
    assert finding.render() == "DOC repeats 文件费, listed with the same conditions at row 8; list each fee once."


def test_the_rule_list_and_the_findings_use_the_same_codes() -> None:
    codes = [code for code, _ in RULES]
    assert len(codes) == len(set(codes)) == 12
    assert all(callable(check) for _, check in RULES)


def test_five_thousand_lines_are_all_judged(
    make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference
) -> None:
    lines = [make_line(name=f"服务费{i % 2500}", standard=str(i)) for i in range(5000)]
    report = validate(make_catalogue(*lines), reference, JUNE)
    assert report.lines == 5000
    assert len(report.findings) == 2500
    assert {f.rule for f in report.findings} == {"duplicate-item"}
    assert [f.line_key for f in report.findings] == [f"L{i}" for i in range(2501, 5001)]


def _msgids() -> set[str]:
    found = set()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
                found.add(node.args[0].value)
    return found


def _undated_reference(reference: Reference) -> Reference:
    undated = (
        GovItem("OLD", "旧收费", "Old fee", PricingClass.GOV_FUND, "元/吨", "某文件", status=GovStatus.ABOLISHED),
        GovItem(
            "SUB", "分项费", "Sub fee", PricingClass.MARKET, "元/箱", "某通知", GovStatus.FOLDED, folded_into="NONE"
        ),
    )
    return replace(reference, gov_items=reference.gov_items + undated)


@pytest.fixture
def every_message(make_line: LineFactory, make_catalogue: CatalogueFactory, reference: Reference) -> list:
    """Findings from lists built to make every message the core has."""
    blank = {"operator_name": "", "credit_code": "", "port_area": "", "complaint_phone": "", "effective_date": ""}
    first = make_catalogue(
        make_line(name="", service_content="", standard="", unit="", pricing_class=""),
        make_line(**HWF | {"basis": ""}),
        *(make_line(standard=s) for s in ("12.3.4", "1e309", "10.12345", "1,2000", "-5", "500-400")),
        make_line(pricing_class="x", currency="EUR", pass_through="?", change_mark="Q", effective_date="bad"),
        **blank,
    )
    second = make_catalogue(
        make_line(), credit_code="bad", complaint_phone="123", updated_date="bad", effective_date="2022-01-01"
    )
    third = make_catalogue(
        *(make_line(**HWF | {"name": name}) for name in ("港口服务费", "货物港物费")),
        make_line(**HWF | {"conditions": "", "standard": "20"}),
        make_line(**HWF | {"standard": "35"}),
        make_line(**PIL | {"standard": "50000"}),
        make_line(**OIL_FUND | {"pass_through": "是", "standard": "0.5"}),
        make_line(**HWF | {"currency": "USD", "conditions": "外贸出口 20英尺", "standard": "17"}),
        make_line(**PCF),
        make_line(**PFS),
        make_line(**HWF | {"pricing_class": "市场调节价", "conditions": "内贸 20英尺", "standard": "7"}),
        make_line(**PIL | {"pricing_class": "政府定价"}),
        make_line(**BAOGAN),
        make_line(name="场内搬移费"),
        make_line(name="围油栏布防服务费"),
        make_line(name="夜班费", service_content="围油栏使用"),
        make_line(**DOC),
        make_line(**DOC),
        make_line(name="铅封费", row=40),
        make_line(name="封志费", row=41),
        make_line(standard="面议", name="查验费"),
        make_line(standard="见附表", name="熏蒸费"),
        make_line(standard="100元/票起", name="消毒费"),
        make_line(standard="100 200", name="装箱费"),
        make_line(standard="100，200", name="拆装箱费"),
        make_line(standard="100。00", name="装车费"),
        make_line(standard="100/200", name="掏箱费"),
        make_line(standard="2026-01-01", name="理箱费"),
        make_line(standard="100元/票", unit="元/箱", name="拆箱费"),
        make_line(unit="元/坨", name="吊装费"),
        make_line(unit="箱", name="起吊费"),
        make_line(standard="100元/20尺", name="移箱费"),
        make_line(name="旧收费"),
        make_line(name="分项费"),
        make_line(name="电放费", standard="50美元"),
        make_line(name="换单费", standard="HK$100"),
    )
    unverified = replace(reference, gov_items=tuple(replace(item, verified=False) for item in reference.gov_items))
    return [
        *validate(first, reference, JUNE).findings,
        *validate(second, reference, JUNE).findings,
        *validate(third, _undated_reference(reference), JUNE).findings,
        *validate(make_catalogue(make_line(**HWF | {"standard": "35"})), unverified, JUNE).findings,
        *validate(make_catalogue(make_line(), complaint_phone="12345"), reference, JUNE).findings,
    ]


def test_every_message_of_the_core_is_used_and_formats_with_its_parameters(every_message: list) -> None:
    assert {text for f in every_message for text in (f.message, *f.notes)} == _msgids()
    for finding in every_message:
        rendered = finding.render()
        assert "{" not in rendered, rendered
        assert "}" not in rendered, rendered
        assert all(isinstance(value, str | int) for value in finding.params.values()), finding.params


def test_every_message_can_be_translated_before_formatting(every_message: list) -> None:
    marked = [f.render(lambda msgid: f"<{msgid}>") for f in every_message]
    assert all(text.startswith("<") and text.endswith(">") for text in marked)


def test_severities_are_errors_except_for_the_three_warnings(every_message: list) -> None:
    """...and a rate deviation resting only on an unverified rate (test_unverified_rates.py)."""
    warnings = {f.rule for f in every_message if f.severity is Severity.WARNING and UNVERIFIED_ONLY not in f.notes}
    assert warnings == {"vague-standard", "unknown-unit", "stale-list"}


def test_a_column_the_source_lacks_is_not_reported_again_on_every_line(
    reference: Reference, make_line, make_catalogue
) -> None:
    lines = [make_line(service_content="") for _ in range(50)]
    full = make_catalogue(*lines)
    without_column = replace(full, absent_fields=frozenset({"service_content"}))
    assert sum(f.rule == "missing-field" for f in validate(full, reference, JUNE).findings) == 50
    assert not [f for f in validate(without_column, reference, JUNE).findings if f.rule == "missing-field"]
