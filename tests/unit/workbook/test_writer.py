"""The writer: template, catalogue and findings report, read back with the reader and with openpyxl."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest

from portal.validation.findings import Finding
from portal.validation.model import FeeLine, Header, Location, Severity
from portal.workbook import layout, template_text
from portal.workbook.reader import read_workbook
from portal.workbook.writer import escape_cell, write_catalogue, write_findings, write_template

HEADER = Header(
    operator_name="广州某集装箱码头有限公司",
    credit_code="91440101MA59XXXX1X",
    port_area="南沙港区",
    complaint_phone="+86 20 12345678；020-87654321",
    effective_date="2024-01-01",
    updated_date="2024-06-30",
)
LINES = (
    FeeLine(
        name="港口作业包干费",
        conditions="外贸进口 20英尺 重箱",
        service_content="装卸船\n场内搬移\n（含驳船取送）",
        standard="600",
        unit="元/箱",
        currency="CNY",
        pricing_class="市场调节价",
        pass_through="否",
        line_no="1",
    ),
    FeeLine(
        name="货物港务费",
        service_content="港口设施",
        standard="13.60",
        unit="元/箱",
        pricing_class="政府定价",
        basis="交水规〔2019〕2号\n穗港规字〔2019〕1号",
        pass_through="是",
        remarks='=HYPERLINK("http://example.com","详情")',
        line_no="2",
        change_mark="R",
        effective_date="2024-07-01",
    ),
    FeeLine(
        name="@堆存费",
        service_content="堆场堆存",
        standard="1-7天免费；8-14天85元/天",
        unit="元/箱·天",
        currency="ＣＮＹ",
        pricing_class="市场调节价",
        remarks="-",
        line_no="3",
    ),
)
DANGEROUS = ("=1+2", "+86 20", "-10", "@SUM(A1)", "\t=cmd", "  =HYPERLINK(1)")


def written(header: Header = HEADER, lines: tuple[FeeLine, ...] = LINES, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    write_catalogue(buffer, header, lines, lang=lang)
    return buffer.getvalue()


def template(lang: str) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, lang=lang)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+2", "'=1+2"),
        ("+86 20", "'+86 20"),
        ("-10", "'-10"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("  =HYPERLINK(1)", "'  =HYPERLINK(1)"),
        ("港口作业包干费", "港口作业包干费"),
        ("1-7天免费", "1-7天免费"),
        ("", ""),
    ],
)
def test_text_that_excel_would_run_as_a_formula_gets_an_apostrophe(text: str, escaped: str) -> None:
    assert escape_cell(text) == escaped


def test_a_catalogue_written_out_reads_back_equal() -> None:
    result = read_workbook(written(), "current.xlsx")

    assert result.findings == ()
    assert result.catalogue.header == HEADER
    rows = range(layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + len(LINES))
    assert result.catalogue.lines == tuple(
        replace(line, key=str(r), row=r) for line, r in zip(LINES, rows, strict=True)
    )


def test_an_english_catalogue_reads_back_equal_too() -> None:
    result = read_workbook(written(lang="en"), "current.xlsx")
    assert result.findings == ()
    assert [line.name for line in result.catalogue.lines] == [line.name for line in LINES]
    assert result.catalogue.header == HEADER


def test_no_written_cell_is_a_formula_and_risky_text_is_escaped() -> None:
    lines = tuple(FeeLine(name=text, remarks=text, service_content="服务") for text in DANGEROUS)
    book = openpyxl.load_workbook(io.BytesIO(written(replace(HEADER, operator_name="=1+1"), lines)))
    sheet = book[layout.DATA_SHEET]

    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
    assert sheet.cell(layout.HEADER_BLOCK_ROW, 2).value == "'=1+1"
    names = [sheet.cell(layout.FIRST_DATA_ROW + i, 2).value for i in range(len(DANGEROUS))]
    assert names == ["'" + text for text in DANGEROUS]


def test_characters_xml_cannot_hold_are_dropped_instead_of_failing() -> None:
    result = read_workbook(written(lines=(FeeLine(name="单证\x01费", service_content="a\x0bb"),)), "x.xlsx")
    assert (result.catalogue.lines[0].name, result.catalogue.lines[0].service_content) == ("单证费", "ab")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_reads_back_as_an_empty_list_with_every_column(lang: str) -> None:
    result = read_workbook(template(lang), "template.xlsx")
    assert result.findings == ()
    assert result.catalogue.lines == ()
    assert result.absent_columns == frozenset()
    assert result.catalogue.header.location("credit_code") == Location(layout.DATA_SHEET, 3, "B", "credit_code")


@pytest.mark.parametrize(("lang", "instructions"), [("zh", "说明"), ("en", "Instructions")])
def test_the_template_has_labels_dropdowns_a_frozen_header_and_instructions(lang: str, instructions: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template(lang)))
    assert book.sheetnames == [layout.DATA_SHEET, instructions]
    sheet = book[layout.DATA_SHEET]

    titles = [cell.value for cell in sheet[layout.TABLE_HEADER_ROW]]
    assert titles == [column.label(lang) for column in layout.COLUMNS]
    assert [sheet.cell(layout.HEADER_BLOCK_ROW + i, 1).value for i in range(len(layout.HEADER_FIELDS))] == [
        entry.label(lang) for entry in layout.HEADER_FIELDS
    ]
    assert sheet.freeze_panes == f"A{layout.FIRST_DATA_ROW}"
    assert sheet.column_dimensions["D"].width == layout.COLUMN_BY_KEY["service_content"].width

    dropdowns = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    letter = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(layout.COLUMNS, 1)}
    first = layout.FIRST_DATA_ROW
    pricing = dropdowns[f"{letter['pricing_class']}{first}"]
    assert pricing.formula1 == '"行政事业性收费,政府性基金,政府定价,政府指导价,市场调节价"'
    assert pricing.showErrorMessage
    assert dropdowns[f"{letter['currency']}{first}"].formula1 == '"CNY,USD"'
    assert dropdowns[f"{letter['pass_through']}{first}"].formula1 == '"是,否"'
    unit = dropdowns[f"{letter['unit']}{first}"]
    assert "元/箱" in unit.formula1
    assert not unit.showErrorMessage  # other units are allowed
    assert str(pricing.sqref).endswith(str(first + layout.MAX_ROWS - 1))

    text = " ".join(str(c.value) for row in book[instructions].iter_rows() for c in row if c.value)
    for column in layout.COLUMNS:
        assert column.label(lang) in text
        assert (column.note_zh if lang == "zh" else column.note_en) in text
    assert "市场调节价" in text


FINDINGS = (
    Finding(
        "missing-field",
        Severity.ERROR,
        "The list has no {field}.",
        {"field": "effective date"},
        Location(layout.DATA_SHEET, 6, "B", "effective_date"),
    ),
    Finding(
        "rate-deviation",
        Severity.WARNING,
        "Charged {amount}, the rate is {rate}.",
        {"amount": "=1+1", "rate": "13.6"},
        Location(layout.DATA_SHEET, 11, "M", "effective_date"),
        item='=HYPERLINK("http://x")',
        line_key="11",
        basis="交水规〔2019〕2号",
    ),
    Finding("no-lines", Severity.ERROR, "The list has no lines.", location=Location(row=3)),
)
ZH = {
    "Error": "错误",
    "Warning": "提示",
    "The list has no {field}.": "清单缺少{field}。",
    "Charged {amount}, the rate is {rate}.": "收取{amount}，标准为{rate}。",
    "The list has no lines.": "清单没有收费行。",
}


def test_the_findings_report_has_one_escaped_translated_row_per_finding() -> None:
    buffer = io.BytesIO()
    write_findings(buffer, FINDINGS, translate=lambda s: ZH.get(s, s), lang="zh")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["检查结果"]

    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == template_text.FINDINGS_COLUMNS["zh"]
    assert rows[1] == (
        1,
        "错误",
        layout.DATA_SHEET,
        "B6",
        "执行日期",
        None,
        "清单缺少effective date。",
        None,
    )
    assert rows[2] == (
        2,
        "提示",
        layout.DATA_SHEET,
        "M11",
        "生效日期",
        '\'=HYPERLINK("http://x")',
        "收取=1+1，标准为13.6。",
        "交水规〔2019〕2号",
    )
    assert rows[3][:5] == (3, "错误", None, "3", None)
    assert len(rows) == 1 + len(FINDINGS)
    assert all(cell.data_type == "n" for cell in sheet["A"][1:])  # the numbers; every other cell is text
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row[1:] if cell.value is not None)


def test_the_findings_report_speaks_english_when_asked() -> None:
    buffer = io.BytesIO()
    write_findings(buffer, FINDINGS[:1], translate=lambda s: s, lang="en")
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Findings"]
    assert [cell.value for cell in sheet[2]][1:5] == ["Error", layout.DATA_SHEET, "B6", "Effective date"]
