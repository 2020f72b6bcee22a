"""The reader: from a workbook in the prescribed format to raw-text lines, located findings and nothing judged."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import python_calamine

from portal.validation.model import Location, Severity
from portal.workbook import reader
from portal.workbook.guard import UploadRefused
from portal.workbook.layout import MAX_CELL_CHARS
from portal.workbook.reader import cell_text, read_workbook, refuse_if_empty

from .parts import FIRST_DATA_ROW, HEADER_BLOCK, LINES, TABLE_HEADER, inline_cell, minimal_parts, sheet_xml, zip_parts

ENGLISH = {
    "序号": "No.",
    "收费项目": "Fee item",
    "适用条件": "Conditions",
    "服务内容": "Service content",
    "收费标准": "Standard",
    "计费单位": "Unit",
    "币种": "Currency",
    "定价方式": "Pricing class",
    "收费依据": "Legal basis",
    "代收代付": "Pass-through",
    "备注": "Remarks",
}
HEADER_ROW = FIRST_DATA_ROW - 1


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_a_list_in_the_prescribed_format_reads_into_its_header_and_lines(standard_xlsx: bytes) -> None:
    result = read_workbook(standard_xlsx, "list.xlsx")

    assert result.findings == ()
    assert result.sheet == "收费目录清单"
    header = result.catalogue.header
    assert (header.operator_name, header.credit_code, header.port_area) == tuple(v for _, v in HEADER_BLOCK[:3])
    assert (header.complaint_phone, header.effective_date, header.updated_date) == ("020-12345678", "2024-01-01", "")
    assert header.location("port_area") == Location("收费目录清单", 3, "B", "port_area")
    lines = result.catalogue.lines
    assert [line.name for line in lines] == [line[1] for line in LINES]
    assert [(line.row, line.key) for line in lines] == [(FIRST_DATA_ROW + i, str(FIRST_DATA_ROW + i)) for i in range(3)]
    second = lines[1]
    assert (second.standard, second.unit, second.pricing_class, second.basis) == (
        "13.60",
        "元/箱",
        "政府定价",
        "交水规〔2019〕2号",
    )
    assert (second.pass_through, second.currency, second.line_no) == ("是", "", "2")
    assert second.location("standard") == Location("收费目录清单", FIRST_DATA_ROW + 1, "E", "standard")
    assert result.absent_columns == {"change_mark", "effective_date"}


def test_english_labels_and_any_column_order_read_the_same_lines(make_xlsx, list_rows, standard_xlsx) -> None:
    order = [8, 4, 1, 10, 0, 3, 2, 9, 5, 7, 6]
    english_header = [ENGLISH[TABLE_HEADER[i]] for i in order]
    shuffled_lines = [[line[i] for i in order] for line in LINES]
    english_labels = ("Operator", "Unified social credit code", "Port area", "Complaint phone", "Effective date")
    pairs = zip(english_labels, HEADER_BLOCK, strict=True)
    english_block = [(label, value) for label, (_, value) in reversed(list(pairs))]
    data = make_xlsx(list_rows(english_header, shuffled_lines, english_block))

    result = read_workbook(data, "list.xlsx")
    expected = read_workbook(standard_xlsx, "list.xlsx")

    assert result.catalogue.lines == expected.catalogue.lines
    assert result.catalogue.header == expected.catalogue.header
    assert result.catalogue.lines[0].location("name") == Location("收费目录清单", FIRST_DATA_ROW, "C", "name")
    assert result.catalogue.header.location("operator_name").row == len(HEADER_BLOCK)
    assert rules(result) == []


def test_the_header_block_takes_dates_and_labels_in_any_form(make_xlsx) -> None:
    block = [["执行日期：", datetime(2024, 3, 1)], ["（更新日期）", date(2024, 2, 20)], ["单位名称", None, "右移的值"]]
    result = read_workbook(make_xlsx([*block, [], list(TABLE_HEADER)]), "list.xlsx")
    header = result.catalogue.header
    assert (header.effective_date, header.updated_date) == ("2024-03-01", "2024-02-20")
    assert header.operator_name == "右移的值"
    assert header.location("operator_name") == Location("收费目录清单", 3, "C", "operator_name")


@pytest.mark.parametrize(
    ("misspelt", "suggested", "missing"),
    [
        pytest.param("收费项木", "收费项目 / Fee item", ["name"], id="required column"),
        pytest.param("备住", "备注 / Remarks", [], id="optional column"),
        pytest.param("Servce contnet", "服务内容 / Service content", ["service_content"], id="english"),
    ],
)
def test_a_misspelt_column_title_is_one_warning_with_a_suggestion_and_no_flood(
    make_xlsx, list_rows, misspelt: str, suggested: str, missing: list[str]
) -> None:
    original = next(zh for zh, en in ENGLISH.items() if suggested.startswith(zh))
    header = [misspelt if title == original else title for title in TABLE_HEADER]
    result = read_workbook(make_xlsx(list_rows(header)), "list.xlsx")

    unknown = [f for f in result.findings if f.rule == "unknown-column"]
    assert len(unknown) == 1
    assert unknown[0].severity is Severity.WARNING
    assert unknown[0].params["suggestion"] == suggested
    assert unknown[0].location.cell == f"{'ABCDEFGHIJK'[TABLE_HEADER.index(original)]}{HEADER_ROW}"
    assert [f.location.field for f in result.findings if f.rule == "missing-field"] == missing
    assert len(result.findings) == 1 + len(missing)
    assert len(result.catalogue.lines) == len(LINES)


def test_an_unknown_column_without_a_likely_match_lists_the_columns_and_its_values_are_not_read(
    make_xlsx, list_rows
) -> None:
    header = [*TABLE_HEADER, "内部结算编码 XYZ"]
    lines = [[*line, "SECRET-1"] for line in LINES]
    result = read_workbook(make_xlsx(list_rows(header, lines)), "list.xlsx")

    (finding,) = result.findings
    assert finding.rule == "unknown-column"
    assert "suggestion" not in finding.params
    assert "收费项目" in finding.params["known"]
    assert all("SECRET-1" not in str(vars(line).values()) for line in result.catalogue.lines)


def test_a_missing_required_column_is_one_error_at_the_header_row(make_xlsx, list_rows) -> None:
    drop = TABLE_HEADER.index("服务内容")
    header = [t for i, t in enumerate(TABLE_HEADER) if i != drop]
    lines = [[v for i, v in enumerate(line) if i != drop] for line in LINES * 20]
    result = read_workbook(make_xlsx(list_rows(header, lines)), "list.xlsx")

    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("missing-field", Severity.ERROR)
    assert finding.location == Location("收费目录清单", HEADER_ROW, None, "service_content")
    assert finding.params["label"] == "服务内容 / Service content"
    assert "service_content" in result.absent_columns
    assert len(result.catalogue.lines) == 60
    assert "service_content" in result.catalogue.absent_fields  # so the validator does not repeat it per line


def test_a_repeated_column_is_read_once_but_a_title_merged_across_columns_is_not_a_repeat(make_xlsx, list_rows) -> None:
    header = [*TABLE_HEADER, "备注"]
    lines = [[*line, "第二个备注"] for line in LINES]
    repeated = read_workbook(make_xlsx(list_rows(header, lines)), "list.xlsx")
    assert rules(repeated) == ["duplicate-column"]
    assert repeated.findings[0].params["first"] == f"K{HEADER_ROW}"
    assert repeated.catalogue.lines[0].remarks == ""

    wide = [[*line, ""] for line in LINES]  # 备注 merged over K:L, nothing under L: a wide title
    merged = read_workbook(make_xlsx(list_rows(header, wide), merges=[f"K{HEADER_ROW}:L{HEADER_ROW}"]), "list.xlsx")
    assert rules(merged) == []
    with pytest.raises(UploadRefused) as refused:  # 第二个备注 under L: no title reads it, so it is not dropped unsaid
        read_workbook(make_xlsx(list_rows(header, lines), merges=[f"K{HEADER_ROW}:L{HEADER_ROW}"]), "list.xlsx")
    assert refused.value.code == "merged-title"
    assert refused.value.params == {
        "title": "备注",
        "title_cell": f"K{HEADER_ROW}",
        "column": "L",
        "cell": f"L{HEADER_ROW + 1}",
        "value": "第二个备注",
    }


def test_bilingual_column_titles_are_recognised(make_xlsx, list_rows) -> None:
    header = [f"{zh}\n{ENGLISH[zh]}" if i % 2 else f"{zh} {ENGLISH[zh]}" for i, zh in enumerate(TABLE_HEADER)]
    result = read_workbook(make_xlsx(list_rows(header)), "list.xlsx")
    assert result.findings == ()
    assert [line.name for line in result.catalogue.lines] == [line[1] for line in LINES]


def test_merged_ranges_far_beyond_the_sheet_cost_no_more_than_the_sheet() -> None:
    titles = "".join(inline_cell(f"{'ABCDEFGHIJK'[i]}1", t) for i, t in enumerate(TABLE_HEADER))
    merges = '<mergeCell ref="B2:XFD1048576"/>' * 1_000
    sheet = sheet_xml([f'<row r="1">{titles}</row>', f'<row r="2">{inline_cell("B2", "单证费")}</row>'])
    sheet = sheet.replace(b"</worksheet>", f"<mergeCells>{merges}</mergeCells></worksheet>".encode())
    result = read_workbook(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert [line.name for line in result.catalogue.lines] == ["单证费"]


def test_a_fee_item_merged_over_three_rows_names_each_of_them(make_xlsx, list_rows) -> None:
    sizes = ["20英尺", "40英尺", "45英尺"]
    lines = [
        [str(i + 1), "港口作业包干费" if i == 0 else None, size, "装卸", str(600 + 100 * i), "元/箱"]
        for i, size in enumerate(sizes)
    ]
    first = FIRST_DATA_ROW
    result = read_workbook(make_xlsx(list_rows(lines=lines), merges=[f"B{first}:B{first + 2}"]), "list.xlsx")

    assert [(line.name, line.conditions, line.standard) for line in result.catalogue.lines] == [
        ("港口作业包干费", "20英尺", "600"),
        ("港口作业包干费", "40英尺", "700"),
        ("港口作业包干费", "45英尺", "800"),
    ]
    assert result.catalogue.lines[2].location("name") == Location("收费目录清单", first + 2, "B", "name")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        pytest.param(200.0, "200", id="200.0"),
        pytest.param(200, "200", id="integer"),
        pytest.param(1.5, "1.5", id="decimal"),
        pytest.param(13.6, "13.6", id="shortest float text"),
        pytest.param(1e16, "10000000000000000", id="no exponent"),
        pytest.param(-0.0, "0", id="negative zero"),
        pytest.param(date(2024, 1, 2), "2024-01-02", id="date"),
        pytest.param(datetime(2024, 1, 2), "2024-01-02", id="midnight datetime"),
        pytest.param(datetime(2024, 1, 2, 8, 30), "2024-01-02 08:30", id="datetime"),
        pytest.param(True, "是", id="true"),
        pytest.param(False, "否", id="false"),
        pytest.param("  元/箱  ", "元/箱", id="trailing spaces"),
        pytest.param("\u3000元/箱\u3000", "元/箱", id="ideographic spaces"),
        pytest.param("ＣＮＹ", "ＣＮＹ", id="full-width letters kept"),
        pytest.param("（２０英尺）", "（２０英尺）", id="full-width digits and brackets kept"),
        pytest.param("元/\u200b箱\x7f", "元/箱", id="invisible characters"),
        pytest.param("\ufeff元/箱\xad\u2060", "元/箱", id="a BOM, a soft hyphen and a word joiner"),
        pytest.param("元/\n箱", "元/ 箱", id="line break in a one-line field"),
        pytest.param("'=1+2", "=1+2", id="writer's escape undone"),
        pytest.param("'单引号", "'单引号", id="own apostrophe kept"),
    ],
)
def test_cell_values_are_read_as_the_text_the_operator_sees(make_xlsx, list_rows, written: object, read: str) -> None:
    line = list(LINES[0])
    line[TABLE_HEADER.index("计费单位")] = written
    result = read_workbook(make_xlsx(list_rows(lines=[line])), "list.xlsx")
    assert result.catalogue.lines[0].unit == read


def test_multi_line_fields_keep_their_line_breaks(make_xlsx, list_rows) -> None:
    line = list(LINES[0])
    line[TABLE_HEADER.index("服务内容")] = "装卸船\r\n\r\n  场内搬移  \r\n"
    line[TABLE_HEADER.index("收费标准")] = "1-7天免费\n8-14天85元/天"
    result = read_workbook(make_xlsx(list_rows(lines=[line])), "list.xlsx")
    assert result.catalogue.lines[0].service_content == "装卸船\n  场内搬移"
    assert result.catalogue.lines[0].standard == "1-7天免费\n8-14天85元/天"


def test_cell_text_never_goes_through_float_arithmetic() -> None:
    assert cell_text(1234567.8) == "1234567.8"
    assert cell_text(13.6) == "13.6"
    assert cell_text(float("inf")) == "Infinity"


def test_a_formula_cell_is_an_error_at_its_cell_and_its_value_is_not_used() -> None:
    row = FIRST_DATA_ROW
    header_cells = "".join(inline_cell(f"{'ABCDEFGHIJK'[i]}{row - 1}", t) for i, t in enumerate(TABLE_HEADER))
    sheet = sheet_xml(
        [
            f'<row r="1">{inline_cell("A1", "单位名称")}<c r="B1"><f>"某公司"</f><v>某公司</v></c></row>',
            f'<row r="{row - 1}">{header_cells}</row>',
            f'<row r="{row}">{inline_cell(f"B{row}", "单证费")}<c r="E{row}"><f>50*2</f><v>100</v></c></row>',
        ]
    )
    result = read_workbook(zip_parts(minimal_parts(sheet)), "list.xlsx")

    assert rules(result) == ["formula-not-allowed", "formula-not-allowed"]
    header_formula, line_formula = result.findings
    assert header_formula.location == Location("收费目录清单", 1, "B", "operator_name")
    assert line_formula.location == Location("收费目录清单", row, "E", "standard")
    assert line_formula.params == {"cell": f"E{row}", "sheet": "收费目录清单"}
    assert (line_formula.item, line_formula.line_key, line_formula.severity) == ("单证费", str(row), Severity.ERROR)
    assert result.catalogue.lines[0].standard == ""
    assert result.catalogue.header.operator_name == ""


@pytest.mark.parametrize(
    "error_cell",
    [
        '<c r="E{row}" t="e"><v>#N/A</v></c>',  # as Excel, WPS and openpyxl write it: the quick scan reads it
        '<c t="e" r="E{row}" s="0"><v>#N/A</v></c>',  # written otherwise: the full scan reads it
    ],
    ids=["quick-scan", "full-scan"],
)
def test_an_error_value_pasted_as_a_value_is_said_at_its_cell(error_cell: str) -> None:
    """calamine reads #N/A as empty: the finding said only that the standard was missing, and the office saw #N/A."""
    row = FIRST_DATA_ROW
    header_cells = "".join(inline_cell(f"{'ABCDEFGHIJK'[i]}{row - 1}", t) for i, t in enumerate(TABLE_HEADER))
    formula_error = f'<c r="F{row}" t="e"><f>VLOOKUP(B{row},X!A:B,2,0)</f><v>#N/A</v></c>'
    sheet = sheet_xml(
        [
            f'<row r="{row - 1}">{header_cells}</row>',
            f'<row r="{row}">{inline_cell(f"B{row}", "单证费")}{error_cell.format(row=row)}{formula_error}</row>',
        ]
    )
    result = read_workbook(zip_parts(minimal_parts(sheet)), "list.xlsx")

    assert [(f.rule, f.location.cell, f.location.field) for f in result.findings] == [
        ("error-value", f"E{row}", "standard"),
        ("formula-not-allowed", f"F{row}", "unit"),  # a formula's error is the formula's finding
    ]
    assert result.findings[0].params == {"cell": f"E{row}", "error": "#N/A"}
    assert result.findings[0].severity is Severity.ERROR
    assert (result.catalogue.lines[0].standard, result.catalogue.lines[0].unit) == ("", "")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("110.00000000000001", "110"),  # 100 * 1.1 pasted as a value: Excel writes 17 digits and shows 110
        ("0.30000000000000004", "0.3"),
        ("1234567.891234567", "1234567.89123457"),  # Excel keeps 15 significant digits
        ("85", "85"),
    ],
)
def test_a_number_is_read_as_excel_shows_it_not_as_the_binary_fraction_it_stores(stored: str, shown: str) -> None:
    row = FIRST_DATA_ROW
    header_cells = "".join(inline_cell(f"{'ABCDEFGHIJK'[i]}{row - 1}", t) for i, t in enumerate(TABLE_HEADER))
    line = inline_cell(f"B{row}", "单证费") + f'<c r="E{row}"><v>{stored}</v></c>'
    sheet = sheet_xml([f'<row r="{row - 1}">{header_cells}</row>', f'<row r="{row}">{line}</row>'])
    result = read_workbook(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert result.catalogue.lines[0].standard == shown


def test_formula_cells_written_by_openpyxl_are_found(make_xlsx, list_rows) -> None:
    data = make_xlsx(list_rows(), formulas={f"E{FIRST_DATA_ROW + 2}": "=SUM(1,2)"})
    result = read_workbook(data, "list.xlsx")
    (finding,) = result.findings
    assert finding.location.cell == f"E{FIRST_DATA_ROW + 2}"
    assert finding.item == "单证费"


def test_a_megabyte_cell_is_cut_to_the_limit_with_one_finding() -> None:
    huge = random.Random(7).randbytes(500_000).hex()  # random, so it compresses like real text
    titles = "".join(inline_cell(f"{'ABCDEFGHIJK'[i]}1", t) for i, t in enumerate(TABLE_HEADER))
    line = inline_cell("B2", "港口作业包干费") + inline_cell("D2", huge)
    sheet = sheet_xml([f'<row r="1">{titles}</row>', f'<row r="2">{line}</row>'])
    result = read_workbook(zip_parts(minimal_parts(sheet)), "list.xlsx")

    (finding,) = result.findings
    assert (finding.rule, finding.location.cell, finding.location.field) == (
        "invalid-value",
        "D2",
        "service_content",
    )
    assert finding.params["length"] == 1_000_000
    assert result.catalogue.lines[0].service_content == huge[:MAX_CELL_CHARS]


@pytest.fixture(scope="module")
def hundred_thousand_rows() -> bytes:
    titles = ("序号", "收费项目", "服务内容", "收费标准", "计费单位", "定价方式")
    rows = ['<row r="1">' + "".join(inline_cell(f"{'ABCDEF'[i]}1", t) for i, t in enumerate(titles)) + "</row>"]
    rows += [
        f'<row r="{r}"><c r="A{r}"><v>{r - 1}</v></c>{inline_cell(f"B{r}", f"收费{r}")}{inline_cell(f"C{r}", "服务")}'
        f'<c r="D{r}"><v>{r}.5</v></c>{inline_cell(f"E{r}", "元/箱")}{inline_cell(f"F{r}", "市场调节价")}</row>'
        for r in range(2, 100_002)
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in minimal_parts().items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(sheet_xml([]).removesuffix(b"</sheetData></worksheet>"))
            for start in range(0, len(rows), 10_000):
                part.write("".join(rows[start : start + 10_000]).encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_hundred_thousand_rows_stop_at_the_row_limit(hundred_thousand_rows: bytes) -> None:
    result = read_workbook(hundred_thousand_rows, "big.xlsx")

    assert len(result.catalogue.lines) == 20_000
    assert result.catalogue.lines[-1].name == "收费20001"
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.location.row) == ("too-many-rows", Severity.ERROR, 20_002)
    assert finding.params["limit"] == 20_000


def test_empty_rows_are_skipped_and_the_row_limit_is_a_parameter(make_xlsx, list_rows) -> None:
    lines = [LINES[0], [], [None, "   "], LINES[1], LINES[2]]
    result = read_workbook(make_xlsx(list_rows(lines=lines)), "list.xlsx", max_rows=2)

    assert [line.row for line in result.catalogue.lines] == [FIRST_DATA_ROW, FIRST_DATA_ROW + 3]
    (finding,) = result.findings
    assert (finding.rule, finding.location.row) == ("too-many-rows", FIRST_DATA_ROW + 4)


def test_a_workbook_without_the_data_sheet_reads_the_one_sheet_with_column_titles(make_xlsx, list_rows) -> None:
    result = read_workbook(make_xlsx(list_rows(), sheet="Sheet1", other_sheets=["Sheet2"]), "list.xlsx")
    assert result.sheet == "Sheet1"
    assert len(result.catalogue.lines) == len(LINES)


def test_a_workbook_without_any_table_is_one_finding(make_xlsx) -> None:
    result = read_workbook(make_xlsx([["x"]], sheet="Sheet1", other_sheets=["Sheet2"]), "list.xlsx")
    (finding,) = result.findings
    assert (finding.rule, finding.params["sheets"]) == ("missing-sheet", "Sheet1, Sheet2")
    assert result.catalogue.lines == ()
    assert result.sheet == ""


@pytest.mark.parametrize(
    ("sheet", "others"),
    [
        pytest.param("Sheet1", [], id="the only sheet"),
        pytest.param(" 收费目录清单 ", ["说明"], id="name with spaces"),
        pytest.param("Fee list", ["Instructions"], id="english name"),
    ],
)
def test_the_data_sheet_is_found_by_name_or_as_the_only_sheet(make_xlsx, list_rows, sheet: str, others) -> None:
    result = read_workbook(make_xlsx(list_rows(), sheet=sheet, other_sheets=others), "list.xlsx")
    assert result.sheet == sheet
    assert len(result.catalogue.lines) == len(LINES)
    assert result.catalogue.lines[0].location("name").sheet == sheet


@pytest.mark.parametrize("other", ["收费目录清单（续）", "Sheet2", "收费目录清单 (2)"])
def test_another_visible_sheet_holding_a_table_of_fees_is_named_not_passed_over(list_rows, other: str) -> None:
    """A list continued on a second sheet: only the data sheet is read, and the other is said, not left unread unsaid;
    a sheet without column titles (instructions) is not."""
    book = openpyxl.Workbook()
    book.active.title = "收费目录清单"
    for row in list_rows():
        book.active.append(list(row))
    book.create_sheet(other).append(list(TABLE_HEADER))
    book.create_sheet("填写说明").append(["收费项目", "填写收费名称"])
    out = io.BytesIO()
    book.save(out)
    result = read_workbook(out.getvalue(), "list.xlsx")
    assert result.sheet == "收费目录清单"
    assert [(f.rule, f.severity.value, f.location.sheet, f.params) for f in result.findings] == [
        ("other-sheet", "warning", other, {"other": other, "sheet": "收费目录清单"})
    ]


def test_values_under_no_title_are_said_once_a_column(make_xlsx, list_rows) -> None:
    lines = [[*line, "", 200 + n] for n, line in enumerate(LINES)]  # L empty, M a price under no title
    result = read_workbook(make_xlsx(list_rows(lines=lines)), "list.xlsx")
    first = HEADER_ROW + 1
    assert [(f.rule, f.location.cell, f.params) for f in result.findings] == [
        ("untitled-column", f"M{first}", {"column": "M", "cell": f"M{first}", "value": "200", "count": len(LINES)})
    ]
    assert [line.standard for line in result.catalogue.lines] == [line[4] for line in LINES]


def test_a_sheet_without_column_titles_is_one_finding_and_its_header_block_is_still_read(make_xlsx) -> None:
    result = read_workbook(make_xlsx([*map(list, HEADER_BLOCK), ["港口作业包干费", "600"]]), "list.xlsx")
    (finding,) = result.findings
    assert finding.rule == "missing-header-row"
    assert result.catalogue.lines == ()
    assert result.catalogue.header.operator_name == HEADER_BLOCK[0][1]


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("xl/sharedStrings.xml", "<sst><si><t>broken</sst>"),
        ("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'),
    ],
)
def test_a_part_calamine_cannot_parse_is_refused_as_unreadable(part: str, content: str) -> None:
    parts = minimal_parts(sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']))
    parts["xl/sharedStrings.xml"] = "<sst><si><t>ok</t></si></sst>"
    parts[part] = content
    with pytest.raises(UploadRefused) as refused:
        read_workbook(zip_parts(parts), "list.xlsx")
    assert refused.value.code == "unreadable"


def test_the_guard_runs_before_the_reader(make_xlsx, list_rows) -> None:
    data = make_xlsx(list_rows())
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/vbaProject.bin"] = b"\x00VBA"
    with pytest.raises(UploadRefused) as refused:
        read_workbook(zip_parts(parts), "list.xlsx")
    assert refused.value.code == "macros"


def test_an_upload_that_yields_no_fee_line_is_refused_rather_than_emptying_the_draft(make_xlsx, list_rows) -> None:
    empty = read_workbook(make_xlsx(list_rows(TABLE_HEADER, [])), "list.xlsx")
    with pytest.raises(UploadRefused) as refused:
        refuse_if_empty(empty)
    assert refused.value.code == "no-lines"
    full = read_workbook(make_xlsx(list_rows(TABLE_HEADER, LINES)), "list.xlsx")
    assert refuse_if_empty(full) is full


def test_a_list_on_a_sheet_not_named_as_the_template_is_parsed_once(monkeypatch, standard_xlsx: bytes) -> None:
    """The list on Sheet1: its head was read to find it, then the sheet was parsed again to read it (a 5,000-line
    list: 80 ms became 120). Each sheet is parsed at most once."""
    book = openpyxl.load_workbook(io.BytesIO(standard_xlsx))
    book.worksheets[0].title = "Sheet1"
    book.create_sheet("封面").append(["口岸收费目录"])
    out = io.BytesIO()
    book.save(out)
    parsed: list[str] = []

    class Counting:
        def __init__(self, workbook) -> None:
            self._workbook = workbook

        def __getattr__(self, name: str):
            return getattr(self._workbook, name)

        def get_sheet_by_name(self, name: str):
            parsed.append(name)
            return self._workbook.get_sheet_by_name(name)

    opened = python_calamine.CalamineWorkbook.from_filelike
    monkeypatch.setattr(reader.python_calamine.CalamineWorkbook, "from_filelike", lambda f: Counting(opened(f)))
    read = read_workbook(out.getvalue(), "l.xlsx")
    assert read.sheet == "Sheet1"
    assert [line.name for line in read.catalogue.lines] == [line[1] for line in LINES]
    assert sorted(parsed) == sorted(set(parsed))
    assert "Sheet1" in parsed
