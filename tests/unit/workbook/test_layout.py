"""The format's single definition: every label finds its own column or header field, however it is written."""

from __future__ import annotations

import pytest

from portal.validation.model import PricingClass
from portal.workbook import layout
from portal.workbook.header_row import price_condition


@pytest.mark.parametrize("column", layout.COLUMNS, ids=lambda c: c.key)
def test_every_label_of_a_column_finds_that_column(column: layout.Column) -> None:
    for label in column.labels:
        assert layout.match_column(label) is column, label


@pytest.mark.parametrize("entry", layout.HEADER_FIELDS, ids=lambda f: f.attr)
def test_every_label_of_a_header_field_finds_that_field(entry: layout.HeaderField) -> None:
    for label in entry.labels:
        assert layout.match_header_field(label) is entry, label


def test_no_two_columns_share_a_label_once_normalised() -> None:
    labels = [layout.normalise_label(label) for column in layout.COLUMNS for label in column.labels]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("收费项目 ", "name"),
        (" 收费 项目", "name"),
        ("（收费项目）", "name"),
        ("【收费项目】", "name"),
        ("收费项目：", "name"),
        ("收费项目*", "name"),
        ("FEE ITEM", "name"),
        ("Fee-Item", "name"),
        ("收费项目\nFee item", "name"),
        ("Fee item\n收费项目", "name"),
        ("收费项目 Fee item", "name"),
        ("Unit（计费单位）", "unit"),
        ("收费标准（元）", "standard"),
        ("ｃｕｒｒｅｎｃｙ", "currency"),
        ("Pass through", "pass_through"),
        ("是否代收代付", "pass_through"),
        ("代收代付（是/否）", "pass_through"),  # the values hinted in the title: its column was not read
        ("代收代付 (Y/N)", "pass_through"),
        ("收费单价", "standard"),
        ("No.", "line_no"),
    ],
)
def test_column_labels_match_whatever_their_spacing_brackets_width_or_case(written: str, key: str) -> None:
    column = layout.match_column(written)
    assert column is not None
    assert column.key == key


@pytest.mark.parametrize("written", ["", "收费", "项目编号", "Total", "收费项目合计"])
def test_other_text_matches_no_column(written: str) -> None:
    assert layout.match_column(written) is None


@pytest.mark.parametrize(
    ("written", "attr"),
    [
        ("口岸（港区）", "port_area"),
        ("投诉电话：", "complaint_phone"),
        ("USCC", "credit_code"),
        ("生效日期", "effective_date"),
        ("纳税人识别号", "credit_code"),  # a company's taxpayer number is its credit code
        ("统一社会信用代码（18位）", "credit_code"),
        ("价格举报电话", "complaint_phone"),
        ("执行时间", "effective_date"),
        ("修订日期", "updated_date"),
        ("经营者名称", "operator_name"),
    ],
)
def test_header_labels_match_their_field(written: str, attr: str) -> None:
    entry = layout.match_header_field(written)
    assert entry is not None
    assert entry.attr == attr


def test_a_field_label_tells_the_header_effective_date_from_a_line_effective_date() -> None:
    assert layout.field_label("effective_date", "zh") == "生效日期"
    assert layout.field_label("effective_date", "zh", header=True) == "执行日期"
    assert layout.field_label("port_area", "en") == "Port area"
    assert layout.field_label("standard", "en", header=True) == "Standard"
    assert layout.field_label("something_else", "en") == "something_else"
    assert layout.field_label(None, "en") == ""


def test_the_pricing_class_choices_are_the_validators_classes() -> None:
    assert layout.COLUMN_BY_KEY["pricing_class"].choices == tuple(PricingClass)


@pytest.mark.parametrize("column", [c for c in layout.COLUMNS if c.choices], ids=lambda c: c.key)
def test_each_dropdown_fits_excels_limit_for_a_typed_list(column: layout.Column) -> None:
    assert len(",".join(column.choices)) + 2 <= 255
    assert all("," not in choice for choice in column.choices)


@pytest.mark.parametrize(
    ("text", "risky"),
    [
        ("=1+2", True),
        ("+86 20 1234", True),
        ("-50", True),
        ("@SUM(A1)", True),
        ("\tabc", True),
        ("\rabc", True),
        ("   =HYPERLINK(1)", True),
        ("\u3000=1", True),
        ("港口作业包干费", False),
        ("1-7天免费", False),
        ("a=b", False),
        ("", False),
        ("   ", False),
    ],
)
def test_text_excel_could_take_for_a_formula_is_recognised(text: str, risky: bool) -> None:
    assert layout.looks_like_formula(text) is risky


@pytest.mark.parametrize(
    ("title", "condition"),
    [
        ("20GP", "20GP"),
        ("40'HC", "40'HC"),
        ("45'", "45'"),
        ("40尺柜", "40尺柜"),
        ("20GP(USD)", "20GP(USD)"),  # the currency kept for the line (layout.subtitle_currency)
        ("收费标准（20GP）", "20GP"),
        ("收费标准(20英尺)", "20英尺"),
        ("20尺收费标准", "20尺"),
        ("20GP单价(USD)", "20GP(USD)"),
        ("单价/40HQ", "40HQ"),
        ("Rate 20GP", "20GP"),
        ("收费标准（重箱）", "重箱"),  # with the price's label, any condition
        ("进口单价", "进口"),
        ("进口", None),  # a condition alone, no box size: a column of its own, not a price
        ("重箱", None),
        ("收费标准", None),  # the price, no condition
        ("标准箱", None),
        ("20GP备注", None),  # other words
        ("小柜", None),
        ("", None),
    ],
)
def test_a_price_columns_title_names_its_condition(title: str, condition: str | None) -> None:
    assert price_condition(title) == condition


@pytest.mark.parametrize(
    ("title", "bare", "currency"),
    [
        ("收费标准(USD)", "收费标准", "USD"),
        ("收费标准（美元）", "收费标准", "美元"),
        ("收费标准/元", "收费标准", "元"),
        ("收费标准（单位：港币）", "收费标准", "港币"),
        ("收费标准(元/单位)", "收费标准", "元"),  # money per unit: the currency before the slash
        ("收费标准（USD/TEU）", "收费标准", "USD"),
        ("收费标准(箱/天)", "收费标准(箱/天)", None),  # a unit without a currency: no currency
        ("收费标准(20英尺)", "收费标准(20英尺)", None),
    ],
)
def test_a_title_names_its_currency_at_its_end(title: str, bare: str, currency: str | None) -> None:
    assert layout.title_currency(title) == (bare, currency)
