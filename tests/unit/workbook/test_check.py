"""check_workbook(): hidden rows and columns said so, the table's end, fee names that only look like notes, stray
cells named, day numbers in a line's date column, and merged ranges looked up without being materialised."""

from __future__ import annotations

import gc
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from portal.govlist.loader import load_reference
from portal.validation.model import Severity
from portal.workbook.check import HIDDEN_COLUMN, HIDDEN_ROW, check_workbook
from portal.workbook.merges import Merges
from portal.workbook.refusals import UploadRefused

from .parts import HEADER_BLOCK, TABLE_HEADER

LINE = ["1", "单证费", "", "提单处理", "100", "元/票", "CNY", "市场调节价", "", "否", ""]


def workbook(lines: list[list[object]], edit=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收费目录清单"
    for row in [*map(list, HEADER_BLOCK), [], list(TABLE_HEADER), *lines]:
        sheet.append(row)
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_findings_in_hidden_rows_and_columns_say_so() -> None:
    def hide(sheet) -> None:
        sheet.row_dimensions[9].hidden = True
        sheet.column_dimensions["F"].hidden = True

    lines = [LINE, [*LINE[:1], "电放费", "", "电放", "", "", *LINE[6:]]]
    checked = check_workbook(workbook(lines, hide), "l.xlsx")
    cells = {f.location.cell: f.notes for f in checked.findings if f.location and f.location.cell}
    assert cells == {}  # the reader itself finds nothing: the validator does (below)

    reference = load_reference(Path(__file__).resolve().parents[3] / "feelists")
    report = check_workbook(workbook(lines, hide), "l.xlsx", reference, date(2026, 6, 1)).report
    notes = {f.location.cell: f.notes for f in report.findings if f.location and f.location.cell}
    assert HIDDEN_ROW in notes["E9"]
    assert HIDDEN_ROW in notes["F9"]
    assert HIDDEN_COLUMN in notes["F9"]
    assert notes["E8"] == () if "E8" in notes else True


def test_fee_lines_in_hidden_rows_are_read_and_counted_in_one_warning() -> None:
    """Last year's fees hidden rather than deleted would be published unsaid: one warning names the rows (ten, then
    an ellipsis) and counts them; a list with no hidden line has none."""
    lines = [[str(n), f"费{n}", *LINE[2:]] for n in range(1, 15)]

    def hide(sheet) -> None:
        for row in range(9, 21):  # twelve of the fourteen lines (rows 8 to 21)
            sheet.row_dimensions[row].hidden = True

    checked = check_workbook(workbook(lines, hide), "l.xlsx")
    assert len(checked.catalogue.lines) == 14
    (warning,) = [f for f in checked.findings if f.rule == "hidden-lines"]
    assert warning.severity.value == "warning"
    assert warning.params == {"count": 12, "rows": "9、10、11、12、13、14、15、16、17、18…", "sheet": "收费目录清单"}
    assert warning.notes == ()  # said once, in the message, not as each row's note
    assert [f for f in check_workbook(workbook(lines), "l.xlsx").findings if f.rule == "hidden-lines"] == []


@pytest.mark.parametrize("name", ["注册费", "说明书费", "审核费", "备注费", "编制费", "地址变更费", "日期更改费"])
def test_a_fee_whose_name_starts_like_a_note_is_a_line(name: str) -> None:
    checked = check_workbook(workbook([["", name, *LINE[2:]], LINE]), "l.xlsx")
    assert [line.name for line in checked.catalogue.lines] == [name, "单证费"]


@pytest.mark.parametrize(
    "note",
    [
        *(
            "注：以上价格含税",
            "注1：免费堆存期",
            "备注：详见合同",
            "制表人：张三",
            "价格举报电话：12358",
            "单位（盖章）",
        ),
        *("填报单位（盖章）：广州示范港务有限公司", "填报人：张三", "单位负责人：", "编制日期：2026年1月1日"),
        *("公司（公章）", "公司地址：广州市南沙区", "传真：020-12345678"),
    ],
)
def test_the_table_ends_at_a_note_row(note: str) -> None:
    checked = check_workbook(
        workbook([LINE, [note], ["以上价格含税", "", "", "按票收取"], [], ["联系人：李四"]]), "l.xlsx"
    )
    assert [line.row for line in checked.catalogue.lines] == [8]
    assert checked.findings == ()


@pytest.mark.parametrize("note", ["注：以上价格含税", "备注：详见合同", "制表人：张三", "单位（盖章）"])
def test_a_note_row_with_fee_lines_below_it_is_named_and_the_lines_are_read(note: str) -> None:
    """Ended there, the table would leave the lines below unread, and say nothing: the worst misread."""
    checked = check_workbook(workbook([LINE, [note], [], ["", "电放费", *LINE[2:]]]), "l.xlsx")
    assert [(line.row, line.name) for line in checked.catalogue.lines] == [(8, "单证费"), (11, "电放费")]
    assert [(f.rule, f.severity, f.location.cell, f.params["text"]) for f in checked.findings] == [
        ("not-a-line", "warning", "A9", note)
    ]


def test_a_day_number_in_a_lines_date_column_is_read_as_a_date_with_a_warning() -> None:
    titles = [*TABLE_HEADER, "变更标记", "生效日期"]

    def add(sheet) -> None:
        for column, title in enumerate(titles, 1):
            sheet.cell(7, column, title)
        sheet.cell(8, 13, 46113)

    checked = check_workbook(workbook([LINE], add), "l.xlsx")
    assert checked.catalogue.lines[0].effective_date == "2026-04-01"
    (finding,) = checked.findings
    assert (finding.rule, finding.location.cell) == ("date-as-number", "M8")


def test_a_stray_cell_far_below_is_named_and_not_read() -> None:
    def stray(sheet) -> None:
        sheet["K300"] = "?"

    checked = check_workbook(workbook([LINE], stray), "l.xlsx")
    assert len(checked.catalogue.lines) == 1
    (finding,) = checked.findings
    assert (finding.rule, finding.location.cell, finding.params["value"]) == ("stray-cell", "K300", "?")


def test_a_merged_range_is_looked_up_per_row_not_per_cell() -> None:
    merges = Merges([((0, 0), (1999, 999))], 2000, 1000)
    assert sum(len(spans) for spans in merges._rows.values()) == 2000
    assert merges.origin(1999, 999) == (0, 0)
    assert merges.origin(0, 0) is None
    assert merges.span(0, 0) == (1999, 999)


def test_a_credit_code_stored_as_a_number_says_so_and_how_to_keep_it_as_text() -> None:
    def number(sheet) -> None:
        sheet["B2"] = 914401015970010134  # Excel keeps 15 significant digits

    checked = check_workbook(workbook([LINE], number), "l.xlsx")
    (finding,) = checked.findings
    assert (finding.rule, finding.location.cell) == ("credit-code-as-number", "B2")
    assert "stored the credit code as a number" in finding.render()
    assert "Text" in finding.render()


def test_the_garbage_collector_paused_for_a_check_is_resumed_after_it_even_when_the_file_is_refused() -> None:
    assert gc.isenabled()
    check_workbook(workbook([LINE]), "list.xlsx")
    assert gc.isenabled()
    with pytest.raises(UploadRefused):
        check_workbook(b"not a workbook", "list.xlsx")
    assert gc.isenabled()
    gc.disable()
    try:
        check_workbook(workbook([LINE]), "list.xlsx")
        assert not gc.isenabled()  # paused by someone else: left as it was
    finally:
        gc.enable()


def test_what_a_check_built_is_moved_to_the_oldest_generation_unscanned() -> None:
    """The young generations are left empty (a scan of them would find only the result the caller keeps)."""
    gc.collect()
    checked = check_workbook(workbook([LINE] * 50), "list.xlsx")
    young = {id(thing) for generation in (0, 1) for thing in gc.get_objects(generation)}
    assert id(checked.catalogue.lines[0]) not in young
    assert any(thing is checked.catalogue.lines[0] for thing in gc.get_objects(2))


CORPUS = Path(__file__).resolve().parents[2] / "corpus/real/files"


def test_checks_of_the_real_corpus_leave_no_cyclic_garbage_for_the_oldest_generation_to_keep() -> None:
    """What a check leaves (moved unscanned to the oldest generation) is freed by reference counting once dropped,
    refusals included: a cycle would wait for a full collection."""
    reference = load_reference(Path(__file__).resolve().parents[3] / "feelists")
    files = sorted(CORPUS.iterdir())
    assert len(files) > 50
    _portal_garbage()
    for path in files:
        try:
            checked = check_workbook(path.read_bytes(), path.name, reference, date(2026, 12, 7))
        except UploadRefused as refused:
            checked = refused
        del checked
        assert _portal_garbage() == [], path.name


def _portal_garbage() -> list[object]:
    """The portal's objects a collection finds unreachable (other threads' garbage, if any, is not counted)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return [type(thing).__name__ for thing in gc.garbage if type(thing).__module__.startswith("portal")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()  # what was kept for looking at is freed


def test_a_heading_written_in_one_cell_is_named_not_read_as_a_fee_line() -> None:
    """二、代理服务 typed in 序号's cell, not merged: one text, no fee name, no price."""
    checked = check_workbook(workbook([["一、单证服务"], LINE, ["二、代理服务"], ["", "电放费", *LINE[2:]]]), "l.xlsx")
    assert [(line.row, line.name) for line in checked.catalogue.lines] == [(9, "单证费"), (11, "电放费")]
    assert [(f.rule, f.location.cell) for f in checked.findings] == [("not-a-line", "A8"), ("not-a-line", "A10")]


ENGLISH_TITLES = ["No.", "Fee item", "Conditions", "Service content", "Standard", "Unit", "Currency"]


@pytest.mark.parametrize(
    ("repeated", "fee"),
    [
        (list(TABLE_HEADER), "电放费"),  # a printed page's titles, pasted with its lines
        ([*ENGLISH_TITLES, "Pricing class", "Legal basis", "Pass-through", "Remarks"], "电放费"),
        (["", "收费项目", "", "", "", "单位"], "电放费"),  # two titles are not a title row: read (and found wrong)
    ],
)
def test_the_titles_repeated_among_the_lines_are_left_out(repeated: list[str], fee: str) -> None:
    checked = check_workbook(workbook([LINE, repeated, ["2", fee, *LINE[2:]]]), "l.xlsx")
    names = [line.name for line in checked.catalogue.lines]
    assert names == (["单证费", fee] if len([t for t in repeated if t]) > 2 else ["单证费", "收费项目", fee])
    assert checked.findings == ()


@pytest.mark.parametrize("total", ["合计", "合  计", "小计：", "Total", "TOTAL", "总计", "汇总"])
@pytest.mark.parametrize("where", ["name", "line_no"])
def test_a_row_adding_up_the_fees_is_named_and_not_read(total: str, where: str) -> None:
    row = ["", total, "", "", 400] if where == "name" else [total, "", "", "", 400]
    checked = check_workbook(workbook([LINE, row]), "l.xlsx")
    assert [line.name for line in checked.catalogue.lines] == ["单证费"]
    assert [(f.rule, f.location.cell, f.params["text"]) for f in checked.findings] == [
        ("not-a-line", "B9" if where == "name" else "A9", total)
    ]
    assert "adds up the fees" in checked.findings[0].render()


@pytest.mark.parametrize("name", ["合计费", "小计费用", "Total handling charge", "总计费"])
def test_a_fee_whose_name_starts_like_a_total_is_a_line(name: str) -> None:
    checked = check_workbook(workbook([["1", name, *LINE[2:]]]), "l.xlsx")
    assert [line.name for line in checked.catalogue.lines] == [name]


def test_the_operators_details_are_read_in_any_column_two_pairs_a_row() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收费目录清单"
    for row in [
        [None, "口岸收费目录清单"],
        [None, "单位名称", "广州示范港务有限公司", None, "统一社会信用代码", "91440101000000000J"],
        [None, "口岸/港区", "南沙港区", "投诉举报电话"],  # a label left without its value
        [None, "执行日期", "2026-01-01"],
        [],
        [None, *TABLE_HEADER],
        [None, *LINE],
    ]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    header = check_workbook(out.getvalue(), "l.xlsx").catalogue.header
    assert (header.operator_name, header.credit_code, header.port_area) == (
        "广州示范港务有限公司",
        "91440101000000000J",
        "南沙港区",
    )
    assert (header.complaint_phone, header.effective_date) == ("", "2026-01-01")
    assert header.location("credit_code").cell == "F2"
    assert header.location("complaint_phone").cell == "E3"  # beside its label (D3): where to write it


@pytest.mark.parametrize(
    ("title", "currency", "warned"),
    [
        ("收费标准(USD)", "USD", True),
        ("收费标准（美元）", "美元", True),  # matched without it, where it used to be an unknown column
        ("收费标准/US$", "US$", True),
        ("收费标准（港币）", "港币", True),  # not accepted: the validator refuses each such line, loudly
        ("收费标准（元）", "", False),  # what a blank currency means already
        ("收费标准", "", False),
    ],
)
def test_a_currency_named_in_the_price_title_is_given_to_the_lines_that_name_none(title, currency, warned) -> None:
    def retitle(sheet) -> None:
        sheet.cell(7, TABLE_HEADER.index("收费标准") + 1, title)

    given = [*LINE[:6], "", *LINE[7:]]  # 币种 left blank
    lines = [given, ["2", "电放费", "", "电放", "300", "元/票", "CNY", *LINE[7:]]]
    checked = check_workbook(workbook(lines, retitle), "l.xlsx")
    assert [line.currency for line in checked.catalogue.lines] == [currency, "CNY"]  # an explicit one is kept
    found = [(f.rule, f.location.cell, f.params.get("count")) for f in checked.findings]
    assert found == ([("title-currency", "E7", 1)] if warned else [])


@pytest.mark.parametrize(
    ("subtitles", "expected"),
    [
        (("人民币", "美元"), [("", "800", "人民币"), ("", "120", "美元")]),
        (("20英尺(CNY)", "20英尺(USD)"), [("20英尺", "800", "CNY"), ("20英尺", "120", "USD")]),
        (("20英尺", "40英尺"), [("20英尺", "800", ""), ("40英尺", "120", "")]),  # conditions, as before
    ],
)
def test_price_sub_columns_named_by_currency_give_each_line_its_currency(subtitles, expected) -> None:
    """收费标准 over 人民币 / 美元: two prices of one fee, one in yuan and one in dollars (not a condition each)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收费目录清单"
    for row in [
        *map(list, HEADER_BLOCK),
        [],
        ["序号", "收费项目", "服务内容", "收费标准", None, "计费单位", "定价方式"],
    ]:
        sheet.append(row)
    sheet.append([None, None, None, *subtitles, None, None])
    sheet.merge_cells("D7:E7")
    for column in "ABCFG":
        sheet.merge_cells(f"{column}7:{column}8")
    sheet.append(["1", "码头操作费", "装卸船", "800", "120", "元/箱", "市场调节价"])
    out = io.BytesIO()
    book.save(out)
    checked = check_workbook(out.getvalue(), "l.xlsx")
    assert [(line.conditions, line.standard, line.currency) for line in checked.catalogue.lines] == expected


def _sized(titles: tuple[str, ...], lines: list[list[object]], subtitles: tuple[str, ...] = ()) -> bytes:
    """A list whose prices stand in columns titled by box size (a shipping line's local charges), in one header row,
    or under 收费标准 over `subtitles` in two."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收费目录清单"
    for row in [*map(list, HEADER_BLOCK), [], ["序号", "收费项目", "服务内容", *titles, "计费单位", "定价方式"]]:
        sheet.append(row)
    if subtitles:
        sheet.append([None, None, None, *subtitles, None, None])
        sheet.merge_cells(start_row=7, start_column=4, end_row=7, end_column=3 + len(subtitles))
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("titles", "conditions"),
    [
        (("20GP", "40GP", "40HQ"), ["20GP", "40GP", "40HQ"]),
        (("收费标准(20英尺)", "收费标准(40英尺)", "收费标准(45英尺)"), ["20英尺", "40英尺", "45英尺"]),
        (("收费标准（20GP）", "收费标准（40GP）", "收费标准（40HQ）"), ["20GP", "40GP", "40HQ"]),
        (("20尺单价", "40尺单价", "40尺高柜单价"), ["20尺", "40尺", "40尺高柜"]),
        (("Rate 20'", "Rate 40'", "Rate 40'HC"), ["20'", "40'", "40'HC"]),
    ],
)
def test_price_columns_titled_by_box_size_are_read_as_one_line_each(titles, conditions) -> None:
    """20GP | 40GP | 40HQ in one header row, with no 收费标准 of its own: each column is the price for its box. Read
    as the one price column their titles name (收费标准（20GP）, 20GP单价), the 20-foot price was every line's and
    the others were dropped, with a warning about a repeated column."""
    data = _sized(titles, [["1", "码头操作费", "装卸船", "500", "800", "850", "元/箱", "市场调节价"]])
    checked = check_workbook(data, "l.xlsx")
    lines = checked.catalogue.lines
    assert [(line.conditions, line.standard, line.location("standard").cell) for line in lines] == list(
        zip(conditions, ["500", "800", "850"], ["D8", "E8", "F8"], strict=True)
    )
    assert [line.key for line in lines] == ["8", "8.2", "8.3"]
    assert [(f.rule, f.location.cell, f.params["count"]) for f in checked.findings] == [("price-columns", "D7", 3)]


def test_a_box_size_column_beside_the_price_column_is_not_read_as_the_price() -> None:
    """收费标准 | 20GP: the price is 收费标准's, and 20GP is a column the format does not know (said so)."""
    data = _sized(
        ("收费标准", "20GP", "40GP"), [["1", "码头操作费", "装卸船", "500", "800", "900", "元/箱", "市场调节价"]]
    )
    checked = check_workbook(data, "l.xlsx")
    assert [(line.conditions, line.standard) for line in checked.catalogue.lines] == [("", "500")]
    assert [(f.rule, f.location.cell) for f in checked.findings] == [("unknown-column", "E7"), ("unknown-column", "F7")]


@pytest.mark.parametrize("subtitles", [(), ("20英尺", "40英尺", "45英尺")], ids=["one-row", "two-rows"])
def test_a_fee_with_no_price_in_any_size_column_is_a_line_without_a_standard(subtitles) -> None:
    """A row whose size columns are all empty was dropped without a word; it is a line, its standard missing."""
    titles = ("20GP", "40GP", "45GP") if not subtitles else ("收费标准", None, None)
    first = 8 if not subtitles else 9
    lines = [
        ["1", "码头操作费", "装卸船", "500", "800", "850", "元/箱", "市场调节价"],
        ["2", "文件费", "单证", None, None, None, "元/票", "市场调节价"],
    ]
    reference = load_reference(Path(__file__).resolve().parents[3] / "feelists")
    checked = check_workbook(_sized(titles, lines, subtitles), "l.xlsx", reference, date(2026, 12, 7))
    rows = [(line.row, line.name, line.standard) for line in checked.catalogue.lines]
    assert rows[-1] == (first + 1, "文件费", "")
    missing = [f for f in checked.report.findings if f.rule == "missing-field"]
    assert [(f.location.cell, f.location.field) for f in missing] == [(f"D{first + 1}", "standard")]


def test_a_price_in_a_cell_formatted_as_a_date_is_said_not_read_as_a_date() -> None:
    """100 in a cell formatted yyyy-mm-dd shows 1900-04-09: the standard was that date, judged a negative range. A
    date in 备注 is the date the office typed, and stays."""

    def dated(sheet) -> None:
        for ref, value, code in (("E8", 100, "yyyy-mm-dd"), ("E9", 300, "h:mm"), ("A9", 2, "yyyy-mm-dd")):
            sheet[ref].value, sheet[ref].number_format = value, code
        sheet["K8"].value, sheet["K8"].number_format = date(2026, 1, 1), "yyyy-mm-dd"

    checked = check_workbook(workbook([LINE, ["2", "电放费", *LINE[2:]]], dated), "l.xlsx")
    lines = checked.catalogue.lines
    assert [(line.line_no, line.standard, line.remarks) for line in lines] == [("1", "", "2026-01-01"), ("", "", "")]
    assert [(f.rule, f.location.cell, f.location.field, f.params["shown"]) for f in checked.findings] == [
        ("date-format", "E8", "standard", "1900-04-09"),
        ("date-format", "A9", "line_no", "1900-01-02"),
        ("date-format", "E9", "standard", "1900-10-26"),
    ]


@pytest.mark.parametrize(("value", "code", "rule"), [(100, "yyyy-mm-dd", "date-format"), ("#N/A", None, "error-value")])
def test_a_cell_merged_down_over_several_lines_is_said_once(value, code, rule) -> None:
    """Read for each line it covers (as Excel shows it), a merged price's finding was said once per line."""

    def merged(sheet) -> None:
        sheet["E8"].value = value
        if code:
            sheet["E8"].number_format = code
        sheet.merge_cells("E8:E10")

    lines = [LINE, ["2", "电放费", *LINE[2:]], ["3", "换单费", *LINE[2:]]]
    checked = check_workbook(workbook(lines, merged), "l.xlsx")
    assert [line.standard for line in checked.catalogue.lines] == ["", "", ""]
    assert [(f.rule, f.location.cell) for f in checked.findings if f.rule == rule] == [(rule, "E8")]


def test_an_error_value_written_as_text_is_said_as_an_error_kept_as_one_is() -> None:
    """LibreOffice cannot paste an error as a value, only its text: #N/A as text was a standard with no amount (a
    warning) and #REF! a fee's name. A text holding # otherwise is read as it is."""
    lines = [LINE, ["2", "#REF!", *LINE[2:4], "#N/A", *LINE[5:]], ["3", "#1泊位移泊费", *LINE[2:]]]
    checked = check_workbook(workbook(lines), "l.xlsx")
    assert [(line.name, line.standard) for line in checked.catalogue.lines] == [
        ("单证费", "100"),
        ("", ""),
        ("#1泊位移泊费", "100"),
    ]
    assert [(f.rule, f.location.cell, f.params["error"]) for f in checked.findings] == [
        ("error-value", "B9", "#REF!"),
        ("error-value", "E9", "#N/A"),
    ]


def test_error_values_are_named_cell_by_cell_up_to_a_hundred_then_counted() -> None:
    """A sheet of failed look-ups must not make a findings list as long as the sheet (nor its memory)."""
    lines = [["1", f"费{n}", "", "服务", "#N/A", "元/票", "CNY", "市场调节价", "", "否", ""] for n in range(150)]
    checked = check_workbook(workbook(lines), "l.xlsx")
    errors = [f for f in checked.findings if f.rule == "error-value"]
    assert len(errors) == 101
    assert [f.location.cell for f in errors[:2]] == ["E8", "E9"]
    assert errors[-1].params == {"count": 50, "sheet": "收费目录清单", "cell": "E108"}
    assert errors[-1].render() == (
        "50 more cells of sheet 收费目录清单, from E108 on, show an error value (such as #N/A) and are read as empty."
    )


def test_a_row_of_nothing_but_error_values_is_said_though_no_line_is_read_from_it() -> None:
    """calamine reads an error value as empty, so a row of them was a blank row, passed over without a word."""

    def errors(sheet) -> None:
        sheet["M7"] = "内部编号"  # a column the format does not read: its cells get no word
        for ref in ("B9", "E9", "M9"):
            sheet[ref].value, sheet[ref].data_type = "#N/A", "e"

    checked = check_workbook(workbook([LINE, [], ["2", "电放费", *LINE[2:]]], errors), "l.xlsx")
    assert [line.name for line in checked.catalogue.lines] == ["单证费", "电放费"]
    assert [(f.rule, f.location.cell, f.location.field) for f in checked.findings] == [
        ("unknown-column", "M7", None),
        ("error-value", "B9", "name"),
        ("error-value", "E9", "standard"),
    ]


def _sheet_of(rows: list[list[object]]) -> bytes:
    """A workbook of these rows alone, on the sheet the template names."""
    book = openpyxl.Workbook()
    book.active.title = "收费目录清单"
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("title", "taken"),
    [
        ("广州示范港务有限公司收费目录清单", "广州示范港务有限公司"),
        ("中国外轮代理有限公司广州分公司2026年港口收费公示", "中国外轮代理有限公司广州分公司"),
        ("广州港集团有限公司 港口收费标准", "广州港集团有限公司"),
        ("港口收费目录清单", ""),  # no company named
        ("关于公司收费的说明", ""),  # 公司 as a word, not a name
        ("广州示范港务有限公司", ""),  # a name alone, not a list's title
    ],
)
def test_an_operator_named_only_in_the_title_is_taken_with_a_warning(title: str, taken: str) -> None:
    block = [row for row in HEADER_BLOCK if row and row[0] != "单位名称"]
    rows = [[title], *block, [], list(TABLE_HEADER), LINE]
    checked = check_workbook(_sheet_of(rows), "l.xlsx")
    assert checked.catalogue.header.operator_name == taken
    said = [(f.rule, f.location.cell) for f in checked.findings if f.rule == "operator-in-title"]
    assert said == ([("operator-in-title", "A1")] if taken else [])


def test_the_operators_details_under_the_table_end_it_and_fill_those_missing_above() -> None:
    """单位名称：... under the lines was a line with an error in each column, and the name was said to be missing."""
    block = [row for row in HEADER_BLOCK if row and row[0] not in ("单位名称", "口岸/港区")]
    rows = [*block, [], list(TABLE_HEADER), LINE, [], ["单位名称：广州示范港务有限公司"], ["口岸/港区", "南沙港区"]]
    checked = check_workbook(_sheet_of(rows), "l.xlsx")
    assert [line.name for line in checked.catalogue.lines] == ["单证费"]
    header = checked.catalogue.header
    assert (header.operator_name, header.port_area) == ("广州示范港务有限公司", "南沙港区")
    assert [(f.rule, f.location.cell, f.severity.value) for f in checked.findings] == [
        ("details-below-table", "A8", "warning"),
        ("details-below-table", "B9", "warning"),
    ]


def test_a_value_written_as_above_is_read_from_the_line_above_and_said_once() -> None:
    """同上 and 〃 in any column but 序号 take the line above's value (which may itself have been so read); one
    warning names the cells; on the first line there is nothing above, so the word stays and an error names it."""
    lines = [
        ["1", "单证费", "同上", "提单处理", "100", "元/票", "CNY", "市场调节价", "", "否", ""],
        ["2", "电放费", "", "电放", " 同上 ", "〃", "CNY", "〃", "", "″", ""],
        ["同上", "改单费", "", "改单", "〃", "同上行", "CNY", "市场调节价", "", "否", ""],
    ]
    checked = check_workbook(workbook(lines), "l.xlsx")
    read = [(line.line_no, line.conditions, line.standard, line.unit, line.pricing_class, line.pass_through)
            for line in checked.read.catalogue.lines]  # fmt: skip
    assert read == [
        ("1", "同上", "100", "元/票", "市场调节价", "否"),
        ("2", "", "100", "元/票", "市场调节价", "否"),
        ("同上", "", "100", "元/票", "市场调节价", "否"),
    ]
    nothing_above, said = [f for f in checked.findings if f.rule == "as-above"]
    assert (nothing_above.location.cell, nothing_above.severity, nothing_above.params) == (
        "C8",
        Severity.ERROR,
        {"cells": "C8"},
    )
    assert (said.location.cell, said.severity, said.params) == (
        "E9",
        Severity.WARNING,
        {"count": 6, "cells": "E9, F9, H9, J9, E10, F10"},
    )


def test_cells_written_as_above_are_named_ten_then_counted() -> None:
    lines = [LINE, *([str(n), f"费{n}", "", "同上", "〃", *LINE[5:]] for n in range(2, 9))]
    checked = check_workbook(workbook(lines), "l.xlsx")
    (said,) = [f for f in checked.findings if f.rule == "as-above"]
    assert said.params["count"] == 14
    assert said.params["cells"] == "D9, E9, D10, E10, D11, E11, D12, E12, D13, E13 … (+4)"
    assert {line.standard for line in checked.read.catalogue.lines} == {"100"}
