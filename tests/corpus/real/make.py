"""Make the real-producer corpus: `python -m tests.corpus.real.make` (needs LibreOffice's soffice and node for some;
xlwt comes with bench/requirements.txt).

Each file is written by the program offices actually use, or by hand where the quirk is one program's own: openpyxl
and XlsxWriter (pandas' engines), LibreOffice headless conversions (.xls, .ods, .xlsx, .csv, .html as LibreOffice
writes them), SheetJS (make_sheetjs.js, run with node), and package parts written byte by byte for what Excel and WPS
do (Power Query customXml in UTF-16, a thumbnail, x: prefixed tags, .xlsb). The generated files are committed, so the
suite needs none of these programs; manifest.py says what each must read as, or why it is refused.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
import xlwt
from openpyxl.comments import Comment  # noqa: F401 - kept for producers that annotate
from openpyxl.utils.datetime import CALENDAR_MAC_1904

FILES = Path(__file__).resolve().parent / "files"
BLOCK = [
    ("单位名称", "广州示范港务有限公司"),
    ("统一社会信用代码", "91440101000000000J"),
    ("口岸/港区", "南沙港区"),
    ("投诉举报电话", "020-39001001"),
    ("执行日期", "2026-01-01"),
]
TITLES = [
    "序号",
    "收费项目",
    "适用条件",
    "服务内容",
    "收费标准",
    "计费单位",
    "币种",
    "定价方式",
    "收费依据",
    "代收代付",
    "备注",
]
LINES = [
    [1, "单证费", "", "提单、舱单处理", "100", "元/票", "CNY", "市场调节价", "", "否", ""],
    [2, "电放费", "", "电放手续", "300", "元/票", "CNY", "市场调节价", "", "否", ""],
    [
        3,
        "堆存费",
        "重箱",
        "堆场保管",
        "1-7天免费；8-14天85元/天；15天及以上170元/天",
        "元/箱·天",
        "CNY",
        "市场调节价",
        "",
        "否",
        "",
    ],
]


def _sheet_rows(block=BLOCK, titles=TITLES, lines=LINES) -> list[list[object]]:
    return [["口岸收费目录清单"], *[list(p) for p in block], [], list(titles), *[list(line) for line in lines]]


def _openpyxl(name: str, rows: list[list[object]], edit=None, sheet: str = "收费目录清单") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(book, ws)
    path = FILES / name
    book.save(path)
    return path


# Prices in columns titled by box size, in one header row (20GP | 40GP | 40HQ), and the price's own title with the
# size in brackets (收费标准(20英尺) | 收费标准(40英尺)): the second was read as 收费标准, its 20-foot price taken for
# every size and the others dropped.
BOX_TITLES = ["序号", "收费项目", "服务内容", "20GP", "40GP", "40HQ", "计费单位", "币种", "定价方式", "代收代付"]
BOX_LINES = [
    [1, "码头操作费", "装卸船及场内搬移", 560, 850, 850, "元/箱", "CNY", "市场调节价", "否"],
    [2, "设备交接单费", "设备交接单制作", 50, 50, 50, "元/箱", "CNY", "市场调节价", "否"],
    [3, "文件费", "提单、舱单处理", None, None, None, "元/票", "CNY", "市场调节价", "否"],
]
SIZE_TITLES = [*TITLES[:4], "收费标准(20英尺)", "收费标准(40英尺)", *TITLES[5:]]
SIZE_LINES = [
    [*line[:5], price, *line[5:]]
    for line, price in zip(LINES, ["200", "300", "1-7天免费；8-14天170元/天；15天及以上340元/天"], strict=True)
]


# Numbers whose format shows something else: 10 shown with a % written as text, a formula's result pasted as a value
# and shown to two places, 10.5 shown without decimals (an .xls writes it as an RK number), 100 shown as 100.00.
SHOWN_LINES = [
    [4, "超重附加费", "超重箱", "超重箱作业加收", 10, "元/箱", "CNY", "市场调节价", "", "否", "按基本费率"],
    [5, "冷藏附加费", "冷藏箱", "冷藏箱作业加收", 13.8888888889, "元/箱", "CNY", "市场调节价", "", "否", ""],
    [6, "加固费", "", "加固绑扎", 10.5, "元/箱", "CNY", "市场调节价", "", "否", ""],
    [7, "封志费", "", "施封", 100, "元/个", "CNY", "市场调节价", "", "否", ""],
]
SHOWN_FORMATS = {"E12": '0"%"', "E13": "0.00", "E14": "0", "E15": "#,##0.00"}


# Prices typed as numbers in cells whose format writes a currency: $100.00 on screen with no 币种 (read in USD, a
# warning), a [$USD] price on a CNY line (an error), ¥ on a CNY line and [$$-409] on a USD line (as they say).
PRICED_LINES = [
    [4, "超重附加费", "超重箱", "超重箱作业加收", 100, "元/箱", "", "市场调节价", "", "否", ""],
    [5, "冷藏附加费", "冷藏箱", "冷藏箱作业加收", 200, "元/箱", "CNY", "市场调节价", "", "否", ""],
    [6, "加固费", "", "加固绑扎", 50, "元/箱", "CNY", "市场调节价", "", "否", ""],
    [7, "封志费", "", "施封", 30, "元/个", "USD", "市场调节价", "", "否", ""],
]
PRICED_FORMATS = {"E12": '"$"#,##0.00', "E13": "[$USD] #,##0", "E14": '"¥"#,##0.00', "E15": "[$$-409]#,##0.00"}


# Prices typed as numbers in cells whose format writes words beside them: 100 seen as 100元/票起 ("100 or more"),
# 300 as 约300 (about 300), and 50 as 50元/箱 (a unit: the price 50, as before).
WORDED_LINES = [
    [4, "加固费", "", "加固绑扎", 50, "元/箱", "CNY", "市场调节价", "", "否", ""],
]
WORDED_FORMATS = {"E9": '0"元/票起"', "E10": '"约"0', "E12": '0"元/箱"'}


def _worded_rows() -> list[list[object]]:
    rows = _sheet_rows(lines=[*LINES, *WORDED_LINES])
    rows[8][4], rows[9][4] = 100, 300  # numbers, as typed into the formatted cells
    return rows


def _formats(codes: dict[str, str]):
    """An edit giving each cell its number format code."""

    def edit(book, ws) -> None:
        for ref, code in codes.items():
            ws[ref].number_format = code

    return edit


def openpyxl_files() -> None:
    _openpyxl("openpyxl_plain.xlsx", _sheet_rows())
    # A shipping line's local charges: the prices in columns titled by box size, one header row, no 收费标准; the
    # 文件费 row has no price in any of them.
    _openpyxl("openpyxl_box_size_price_columns.xlsx", _sheet_rows(titles=BOX_TITLES, lines=BOX_LINES))

    def error_values(book, ws):  # a VLOOKUP's #N/A pasted as a value into 电放费's price; #REF! into 单证费's unit
        for ref, value in (("E10", "#N/A"), ("F9", "#REF!")):
            ws[ref].value, ws[ref].data_type = value, "e"

    _openpyxl("openpyxl_error_values_pasted.xlsx", _sheet_rows(), error_values)
    _openpyxl("openpyxl_prices_with_words_in_their_format.xlsx", _worded_rows(), _formats(WORDED_FORMATS))
    two_prices = _sheet_rows()  # the 20- and 40-foot prices in one cell, by Alt+Enter and by a space
    two_prices[8][4], two_prices[9][4] = "100\n200", "300 450"
    _openpyxl("openpyxl_two_prices_in_one_cell.xlsx", two_prices)

    def hidden_old(book, ws):
        ws.title = "收费目录清单 (2)"
        old = book.create_sheet("收费目录清单", 0)
        for row in _sheet_rows(
            lines=[[1, "单证费", "", "提单、舱单处理", "80", "元/票", "CNY", "市场调节价", "", "否", ""]]
        ):
            old.append(row)
        old.sheet_state = "hidden"

    _openpyxl("openpyxl_hidden_sheet_old_prices.xlsx", _sheet_rows(), hidden_old)

    def hidden_column(book, ws):  # last year's 收费标准 (E) hidden, this year's typed in a new 收费标准 column (L)
        ws["L8"], ws["L9"], ws["L10"], ws["L11"] = "收费标准", "110", "320", ws["E11"].value
        ws["E9"], ws["E10"], ws["E11"] = "100", "300", "1-7天免费；8-14天80元/天；15天及以上160元/天"
        ws.column_dimensions["E"].hidden = True

    _openpyxl("openpyxl_hidden_old_price_column.xlsx", _sheet_rows(), hidden_column)

    sections = [  # section headings merged across the table, and a note between two sections' lines
        ["一、单证服务"],
        *LINES[:2],
        ["注：以上按票收取"],
        ["二、堆存服务"],
        LINES[2],
        [],
        ["投诉电话：020-12345678"],
    ]

    def merge_headings(book, ws):
        for row in (9, 13):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(TITLES))

    _openpyxl("openpyxl_section_headings.xlsx", _sheet_rows(lines=sections), merge_headings)

    in_dollars = [[*line[:6], "", *line[7:]] for line in LINES]  # 币种 left blank: the title says USD
    dollar_titles = ["收费标准(USD)" if title == "收费标准" else title for title in TITLES]
    _openpyxl("openpyxl_usd_in_price_title.xlsx", _sheet_rows(titles=dollar_titles, lines=in_dollars))

    def only_hidden(book, ws):
        ws.sheet_state = "hidden"
        book.create_sheet("封面").append(["收费目录清单见附表"])
        book.active = 1

    _openpyxl("openpyxl_only_hidden_sheet.xlsx", _sheet_rows(), only_hidden)

    def hidden_row(book, ws):
        ws.append([4, "查验费", "", "配合海关查验", "", "元/箱", "CNY", "市场调节价", "", "否", ""])
        ws.row_dimensions[ws.max_row].hidden = True

    _openpyxl("openpyxl_hidden_row_without_standard.xlsx", _sheet_rows(), hidden_row)

    def two_row(book, ws):
        ws.delete_rows(1, ws.max_row)
        for row in [["口岸收费目录清单"], *[list(p) for p in BLOCK], []]:
            ws.append(row)
        ws.append(
            ["序号", "收费项目", "适用条件", "服务内容", "收费标准", None, None, "计费单位", "定价方式", "代收代付"]
        )
        ws.append([None, None, None, None, "20英尺", "40英尺", "45英尺", None, None, None])
        ws.merge_cells("E8:G8")
        for col in "ABCDHIJ":
            ws.merge_cells(f"{col}8:{col}9")
        ws.append(
            [1, "港口作业包干费", "外贸出口 重箱", "装卸船、场内搬移", 600, 900, 1000, "元/箱", "市场调节价", "否"]
        )
        ws.append([2, "拆装箱费", "", "拆箱、装箱", 450, 650, None, "元/箱", "市场调节价", "否"])

    _openpyxl("openpyxl_two_row_header_box_sizes.xlsx", [], two_row)

    def two_row_conditions(book, ws):
        ws.delete_rows(1, ws.max_row)
        for row in [["口岸收费目录清单"], *[list(p) for p in BLOCK], []]:
            ws.append(row)
        ws.append(["序号", "收费项目", "适用条件", None, "服务内容", "收费标准", "计费单位", "定价方式"])
        ws.append([None, None, "贸易类型", "箱型", None, None, None, None])
        ws.merge_cells("C8:D8")
        ws.append([1, "港口作业包干费", "外贸出口", "20英尺", "装卸船", 600, "元/箱", "市场调节价"])

    _openpyxl("openpyxl_two_row_header_conditions.xlsx", [], two_row_conditions)

    notes = [
        ["注：1. 以上收费标准均含税。"],
        ["投诉电话：020-39009999"],
        ["制表人：张三", None, None, "审核人：李四"],
    ]

    def notes_below(book, ws):
        ws["B5"] = None  # no complaint phone above the table
        for row in notes:
            ws.append(row)
        ws.merge_cells(start_row=ws.max_row - 2, start_column=1, end_row=ws.max_row - 2, end_column=11)

    _openpyxl("openpyxl_notes_phone_signature_below.xlsx", _sheet_rows(), notes_below)

    label_block = [
        ["单位名称：广州示范港务有限公司", None, "统一社会信用代码：91440101000000000J"],
        ["口岸/港区：南沙港区", None, "投诉举报电话：020-39001001"],
        ["执行日期：2026-01-01"],
    ]
    _openpyxl("openpyxl_label_value_cells.xlsx", [["口岸收费目录清单"], *label_block, [], TITLES, *LINES])

    # The operator named only in the title; its code, port area and date written under the table, after the notes
    below = [
        [],
        ["注：以上收费标准自2026年1月1日起执行。"],
        ["统一社会信用代码：91440101000000000J"],
        ["口岸/港区：南沙港区", None, None, "执行日期：2026-01-01"],
        ["投诉举报电话：020-39001001"],
    ]
    titled = [["广州示范港务有限公司2026年港口收费目录清单"], TITLES, *LINES, *below]
    _openpyxl("openpyxl_operator_in_title_details_below.xlsx", titled)
    # A list typed as it is printed on paper: a value repeated from the line above written 同上 or 〃 (the ditto mark)
    ditto = [
        LINES[0],
        [2, "电放费", "", "电放手续", "同上", "〃", "CNY", "〃", "", "同上", ""],
        LINES[2],
        [4, "改单费", "〃", "更改提单", "300", "元/票", "CNY", "市场调节价", "", "否", ""],
    ]
    _openpyxl("openpyxl_ditto_marks.xlsx", _sheet_rows(lines=ditto))

    def serial(book, ws):
        ws["B6"] = 46023  # 2026-01-01 as Excel counts days

    _openpyxl("openpyxl_date_serial.xlsx", _sheet_rows(), serial)

    def mac_serial(book, ws):  # Excel for Mac before 2011 and Numbers count days from 1904-01-01
        book.epoch = CALENDAR_MAC_1904
        ws["B6"] = 44561  # 2026-01-01 in the 1904 date system (46023 in the 1900 one)

    _openpyxl("openpyxl_1904_date_system_serial.xlsx", _sheet_rows(), mac_serial)

    def percent(book, ws):  # Excel turns 10% typed in a cell into 0.1 shown through a percent format
        ws.append(
            [4, "超重附加费", "超重箱", "超重箱作业加收", 0.1, "元/箱", "CNY", "市场调节价", "", "否", "按基本费率"]
        )
        ws.append(
            [5, "冷藏附加费", "冷藏箱", "冷藏箱作业加收", 0.125, "元/箱", "CNY", "市场调节价", "", "否", "按基本费率"]
        )
        ws["E12"].number_format = "0%"  # built in (numFmtId 9)
        ws["E13"].number_format = '0.0%;"减"0.0%'  # a custom code

    _openpyxl("openpyxl_percent_formatted_standards.xlsx", _sheet_rows(), percent)
    _openpyxl("openpyxl_shown_differently.xlsx", _sheet_rows(lines=[*LINES, *SHOWN_LINES]), _formats(SHOWN_FORMATS))
    priced = _sheet_rows(lines=[*LINES, *PRICED_LINES])
    _openpyxl("openpyxl_currency_formatted_prices.xlsx", priced, _formats(PRICED_FORMATS))

    def mac_date(book, ws):
        book.epoch = CALENDAR_MAC_1904
        ws["B6"] = datetime.date(2026, 1, 1)
        ws["B6"].number_format = "yyyy-mm-dd"

    _openpyxl("openpyxl_1904_date_system_date_cell.xlsx", _sheet_rows(), mac_date)

    # As many offices lay a list out for print: an empty margin column, two label | value pairs a row, the titles in
    # Chinese over the same in English, English titles other than the template's, and a 合计 row under the lines.
    english = ["No.", "Fee Item", "Conditions", "Service Content", "Charging Standard", "Charging Unit", "Currency"]
    english += ["Pricing Method", "Legal Basis", "Pass-through", "Remarks"]
    pairs = [
        [None, "单位名称", "广州示范港务有限公司", "统一社会信用代码", "91440101000000000J"],
        [None, "口岸/港区", "南沙港区", "投诉举报电话", "020-39001001"],
        [None, "执行日期", "2026-01-01"],
    ]
    margin = [[None, *line] for line in LINES] + [[None, None, "合计", None, None, 400]]
    rows = [[None, "口岸收费目录清单"], *pairs, [], [None, *TITLES], [None, *english], *margin]
    _openpyxl("openpyxl_margin_column_bilingual_titles_total_row.xlsx", rows)

    def price_over_two(book, ws):  # 收费标准 merged over E:F, the 40-foot price under F with no sub-title row
        ws.insert_cols(6)
        ws.merge_cells("E8:F8")
        ws["F11"] = "1-7天免费；8-14天170元/天；15天及以上340元/天"

    _openpyxl("openpyxl_price_title_merged_over_two_prices.xlsx", _sheet_rows(), price_over_two)

    def struck(book, ws):  # 电放费 crossed out rather than deleted; 堆存费's price crossed out
        for cell in ws[10]:
            cell.font = openpyxl.styles.Font(strike=True)
        ws["E11"].font = openpyxl.styles.Font(strike=True, color="FF0000")
        ws["B9"].font = openpyxl.styles.Font(strike=False, bold=True)  # <strike val="0"/>: not struck

    _openpyxl("openpyxl_struck_through_fee_and_price.xlsx", _sheet_rows(), struck)

    def hidden_by_format(book, ws):  # 电放费's old price hidden with ;;; (Format Cells > Custom) rather than deleted
        ws["E10"] = 300
        ws["E10"].number_format = ";;;"
        ws["E11"].number_format = ";;"  # a format hiding numbers only, over text: the tiers are shown

    _openpyxl("openpyxl_price_hidden_by_format.xlsx", _sheet_rows(), hidden_by_format)

    def stray(book, ws):
        ws["M400"] = "x"

    _openpyxl("openpyxl_stray_cell_far_below.xlsx", _sheet_rows(), stray)

    marks = [
        [1, "单证费", "", "提单、舱单处理", "100", "元/票", "CNY", "市场调节价", "", "×", ""],
        [2, "港建费", "外贸", "代收港口建设费", "按实收取", "元/吨", "CNY", "市场调节价", "", "√", ""],
        [3, "理货费", "", "理货", "面议", "元/箱", "CNY", "市场调节价", "", "✗", ""],
        [4, "熏蒸费", "", "熏蒸", "见附表", "元/箱", "CNY", "市场调节价", "", "✓", ""],
        [5, "代理费", "", "代理", "一百九十", "元/票", "CNY", "市场调节价", "", "否", ""],
    ]
    _openpyxl("openpyxl_marks_and_vague_standards.xlsx", _sheet_rows(lines=marks))

    def row_formula(book, ws):
        for r in range(9, 12):
            ws[f"A{r}"] = "=ROW()-8"

    _openpyxl("openpyxl_row_formula_numbers.xlsx", _sheet_rows(), row_formula)


def office_quirk_files() -> None:
    """What offices' own spreadsheets do to the template: each read exactly, or told in one located finding."""

    def two_row_vague(book, ws):  # a finding on the 40英尺 price must name F10, the cell it came from
        ws.delete_rows(1, ws.max_row)
        for row in [["口岸收费目录清单"], *[list(p) for p in BLOCK], []]:
            ws.append(row)
        ws.append(["序号", "收费项目", "适用条件", "服务内容", "收费标准", None, None, "计费单位", "定价方式"])
        ws.append([None, None, None, None, "20英尺", "40英尺", "45英尺", None, None])
        ws.merge_cells("E8:G8")
        for col in "ABCDHI":
            ws.merge_cells(f"{col}8:{col}9")
        ws.append([1, "港口作业包干费", "外贸出口 重箱", "装卸船、场内搬移", 600, "面议", 1000, "元/箱", "市场调节价"])

    _openpyxl("openpyxl_two_row_header_vague_40ft.xlsx", [], two_row_vague)
    number_code = [(label, 9.14401010000008e17 if label == "统一社会信用代码" else value) for label, value in BLOCK]
    _openpyxl("excel_credit_code_as_number.xlsx", _sheet_rows(block=number_code))  # as Excel keeps 914401010000008000
    broken = ["序号", "收费\n项目", "适用\n条件", "服务内容", "收费标准\n（元）", "计费单位", "币种", "定价\n方式"]
    broken += ["收费依据", "代收\n代付", "备注"]
    _openpyxl("excel_titles_with_line_breaks.xlsx", _sheet_rows(titles=broken))  # Alt+Enter inside the titles
    merged_lines = [
        LINES[0],
        [2, "堆存费", "重箱", "堆场保管", LINES[2][4], "元/箱·天", "CNY", "市场调节价", "", "否", ""],
        [3, None, "空箱", None, "1-7天免费；8-14天40元/天；15天及以上80元/天", None, "CNY", "市场调节价", "", "否", ""],
    ]

    def merged(book, ws):  # the title merged across the table, one fee's name, content and unit over two rows
        ws.merge_cells("A1:K1")
        for col in "BDF":
            ws.merge_cells(f"{col}10:{col}11")

    _openpyxl("excel_merged_title_and_fee_over_two_rows.xlsx", _sheet_rows(lines=merged_lines), merged)
    block = [("单位名称　", BLOCK[0][1]), ("统一社会信用代码：", BLOCK[1][1]), *BLOCK[2:4]]
    block.append(("执行日期", datetime.datetime(2026, 1, 1)))  # a real date cell

    def filtered(book, ws):  # an autofilter, frozen panes and print titles over the table
        ws.auto_filter.ref = "A8:K11"
        ws.freeze_panes = "A9"
        ws.print_title_rows = "8:8"

    _openpyxl("wps_label_spaces_date_cell_autofilter.xlsx", _sheet_rows(block=block), filtered)
    numbers = [
        [1, "单证费", "", "提单、舱单处理", 100, "元/票", "人民币", "市场调节价", "", "否", ""],
        [2, "电放费", "", "电放手续", 300.0, "元/票", "CNY", "市场调节价", "", "否", ""],
        LINES[2],
    ]
    _openpyxl("excel_prices_as_numbers.xlsx", _sheet_rows(lines=numbers))


def xlwt_files() -> None:
    """xlwt, behind many older Python and Django "export to Excel" buttons: Excel 97-2003 files."""

    def book(name: str, edit) -> None:
        workbook = xlwt.Workbook(encoding="utf-8")
        old = workbook.add_sheet("收费目录清单", cell_overwrite_ok=True)
        new = workbook.add_sheet("收费目录清单 (2)", cell_overwrite_ok=True)
        for sheet, prices in ((old, ("80", "250")), (new, ("100", "300"))):
            lines = [[*line[:4], price, *line[5:]] for line, price in zip(LINES, (*prices, LINES[2][4]), strict=True)]
            for r, row in enumerate(_sheet_rows(lines=lines)):
                for c, value in enumerate(row):
                    sheet.write(r, c, value)
        old.visibility = 1  # hidden: last year's list
        edit(workbook, old, new)
        workbook.set_active_sheet(1)
        workbook.save(str(FILES / name))

    def checked(workbook, old, new):
        new.write(9, 0, xlwt.Formula("ROW()-8"))  # 序号 worked out: its value is the number
        new.write(9, 4, xlwt.Formula("100*3"))  # 电放费's price worked out: not read
        new.write(11, 0, 4)
        for c, value in enumerate(["查验费", "", "配合海关查验", "", "元/箱", "CNY", "市场调节价", "", "否", ""], 1):
            new.write(11, c, value)
        new.row(11).hidden = True  # 查验费 without a standard, on a hidden row
        new.col(10).hidden = True  # 备注 hidden

    book("xlwt_hidden_sheet_formula_hidden_row.xls", checked)

    def only_hidden(workbook, old, new):
        new.visibility = 1
        cover = workbook.add_sheet("封面")
        cover.write(0, 0, "收费目录清单见附表")

    book("xlwt_only_hidden_sheets.xls", only_hidden)

    errors = xlwt.Workbook(encoding="utf-8")  # the same error values, as Excel 97-2003 keeps them (BOOLERR records)
    sheet = errors.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.row(9).set_cell_error(4, 0x2A)  # #N/A (xlwt knows it by its code only)
    sheet.row(8).set_cell_error(5, "#REF!")
    errors.save(str(FILES / "xlwt_error_values_pasted.xls"))

    mac = xlwt.Workbook(encoding="utf-8")
    mac.dates_1904 = True  # the DATEMODE record: Excel for Mac before 2011
    sheet = mac.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(5, 1, 44561)  # 执行日期 as the day number of 2026-01-01 in the 1904 date system
    mac.save(str(FILES / "xlwt_1904_date_system_serial.xls"))

    shares = xlwt.Workbook(encoding="utf-8")  # standards typed as 10% and 12.5%: numbers through percent formats
    sheet = shares.add_sheet("收费目录清单", cell_overwrite_ok=True)
    extra = [
        [n, name, box, f"{box}作业加收", "", "元/箱", "CNY", "市场调节价", "", "否", "按基本费率"]
        for n, name, box in ((4, "超重附加费", "超重箱"), (5, "冷藏附加费", "冷藏箱"))
    ]
    for r, row in enumerate(_sheet_rows(lines=[*LINES, *extra])):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(11, 4, 0.1, xlwt.easyxf(num_format_str="0%"))
    sheet.write(12, 4, 0.125, xlwt.easyxf(num_format_str="0.0%"))
    shares.save(str(FILES / "xlwt_percent_formatted_standards.xls"))
    shown = xlwt.Workbook(encoding="utf-8")  # as openpyxl_shown_differently.xlsx: FORMAT records, NUMBER and RK cells
    sheet = shown.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_sheet_rows(lines=[*LINES, *SHOWN_LINES])):
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r + 1}"
            style = xlwt.easyxf(num_format_str=SHOWN_FORMATS[ref]) if ref in SHOWN_FORMATS else xlwt.Style.default_style
            sheet.write(r, c, value, style)
    shown.save(str(FILES / "xlwt_shown_differently.xls"))
    worded = xlwt.Workbook(encoding="utf-8")  # as openpyxl_prices_with_words_in_their_format.xlsx: FORMAT records
    sheet = worded.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_worded_rows()):
        for c, value in enumerate(row):
            code = WORDED_FORMATS.get(f"{chr(65 + c)}{r + 1}")
            sheet.write(r, c, value, xlwt.easyxf(num_format_str=code) if code else xlwt.Style.default_style)
    worded.save(str(FILES / "xlwt_prices_with_words_in_their_format.xls"))
    priced = xlwt.Workbook(encoding="utf-8")  # as openpyxl_currency_formatted_prices.xlsx, through FORMAT records
    sheet = priced.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_sheet_rows(lines=[*LINES, *PRICED_LINES])):
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r + 1}"
            code = PRICED_FORMATS.get(ref)
            sheet.write(r, c, value, xlwt.easyxf(num_format_str=code) if code else xlwt.Style.default_style)
    priced.save(str(FILES / "xlwt_currency_formatted_prices.xls"))
    crossed = xlwt.Workbook(encoding="utf-8")  # as openpyxl_struck_through_fee_and_price.xlsx: FONT records
    sheet = crossed.add_sheet("收费目录清单", cell_overwrite_ok=True)
    struck_out = xlwt.easyxf("font: struck_out on")
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            style = struck_out if r == 9 or (r, c) == (10, 4) else xlwt.Style.default_style
            sheet.write(r, c, value, style)
    crossed.save(str(FILES / "xlwt_struck_through_fee_and_price.xls"))
    hidden = xlwt.Workbook(encoding="utf-8")  # as openpyxl_price_hidden_by_format.xlsx: 300 as a number under ;;;
    sheet = hidden.add_sheet("收费目录清单", cell_overwrite_ok=True)
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(9, 4, 300, xlwt.easyxf(num_format_str=";;;"))
    hidden.save(str(FILES / "xlwt_price_hidden_by_format.xls"))


def xlsxwriter_files() -> None:
    path = FILES / "xlsxwriter_pandas_style_no_header_block.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Sheet1")
    bold = book.add_format({"bold": True, "border": 1})
    for c, title in enumerate(TITLES):
        ws.write(0, c, title, bold)
    for r, line in enumerate(LINES, 1):
        for c, value in enumerate(line):
            ws.write(r, c, value)
    book.close()
    path = FILES / "xlsxwriter_price_titles_with_box_size.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("收费目录清单")
    for r, row in enumerate(_sheet_rows(titles=SIZE_TITLES, lines=SIZE_LINES)):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.close()
    path = FILES / "xlsxwriter_template_like.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("收费目录清单")
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.set_row(10, None, None, {"hidden": True})  # 堆存费's row hidden: read, and said so if anything is wrong
    book.close()
    path = FILES / "xlsxwriter_price_struck_in_part.xlsx"
    book = xlsxwriter.Workbook(path)  # 电放费's old price crossed out in the cell, the new one after it (rich text)
    ws = book.add_worksheet("收费目录清单")
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write_rich_string(9, 4, book.add_format({"font_strikeout": True}), "380", " 300")
    book.close()
    path = FILES / "xlsxwriter_rich_text_shared_strings.xlsx"
    book = xlsxwriter.Workbook(path)  # shared strings with runs, as Excel writes a cell with a bold or red part
    ws = book.add_worksheet("收费目录清单")
    bold, red = book.add_format({"bold": True}), book.add_format({"font_color": "red"})
    for r, row in enumerate(_sheet_rows()):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write_rich_string(8, 1, bold, "单证", "费")
    ws.write_rich_string(10, 4, "1-7天免费；", red, "8-14天85元/天", "；15天及以上170元/天")
    book.close()


def libreoffice_files() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: LibreOffice files kept as they are")
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.xlsx"
        shutil.copy(FILES / "openpyxl_plain.xlsx", source)
        formulas = Path(tmp) / "formulas.xlsx"
        shutil.copy(FILES / "openpyxl_row_formula_numbers.xlsx", formulas)
        struck = Path(tmp) / "struck.xlsx"
        shutil.copy(FILES / "openpyxl_struck_through_fee_and_price.xlsx", struck)
        merged = Path(tmp) / "merged.xlsx"  # merged cells: an .ods spans them (calamine reports no range)
        shutil.copy(FILES / "excel_merged_title_and_fee_over_two_rows.xlsx", merged)
        spread = Path(tmp) / "spread.xlsx"
        shutil.copy(FILES / "openpyxl_price_title_merged_over_two_prices.xlsx", spread)
        converted = {
            struck: "libreoffice_struck_through_fee_and_price.ods",
            merged: "libreoffice_merged_title_and_fee_over_two_rows.ods",
            spread: "libreoffice_price_title_merged_over_two_prices.ods",
        }
        for target, filt, src in [
            ("ods", "ods", struck),
            ("ods", "ods", merged),
            ("ods", "ods", spread),
            ("xls", "xls:MS Excel 97", source),
            ("ods", "ods", source),
            ("xlsx", "xlsx:Calc MS Excel 2007 XML", formulas),
            ("csv", "csv:Text - txt - csv (StarCalc):44,34,76", source),
            ("html", "html:HTML (StarCalc)", source),
        ]:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    filt,
                    "--outdir",
                    f"{tmp}/out",
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            made = Path(tmp) / "out" / f"{src.stem}.{target}"
            if src in converted:
                shutil.copy(made, FILES / converted[src])
                continue
            names = {
                "xls": "libreoffice_plain.xls",
                "ods": "libreoffice_plain.ods",
                "xlsx": "libreoffice_row_formula_numbers.xlsx",
                "csv": "libreoffice_plain.csv",
                "html": "libreoffice_html_saved_as.xls",
            }
            shutil.copy(made, FILES / names[target])


def _rewrite(source: str, name: str, change) -> None:
    with zipfile.ZipFile(FILES / source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    change(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    (FILES / name).write_bytes(buffer.getvalue())


def hand_written_files() -> None:
    def power_query(parts):
        parts["customXml/item1.xml"] = '<?xml version="1.0" encoding="utf-16"?><DataMashup/>'.encode("utf-16")
        parts["customXml/itemProps1.xml"] = b'<?xml version="1.0" encoding="UTF-8"?><ds:datastoreItem/>'
        parts["docProps/thumbnail.jpeg"] = b"\xff\xd8\xff\xe0" + bytes(4000)
        parts["xl/printerSettings/printerSettings1.bin"] = bytes(2000)

    _rewrite("openpyxl_plain.xlsx", "excel_power_query_customxml_utf16.xlsx", power_query)

    def wps_prefixed(parts):
        sheet = parts["xl/worksheets/sheet1.xml"].decode()
        sheet = sheet.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=").replace("</worksheet>", "</x:worksheet>")
        for tag in (
            "sheetData",
            "row",
            "c",
            "v",
            "is",
            "t",
            "dimension",
            "sheetViews",
            "sheetView",
            "selection",
            "sheetFormatPr",
            "pageMargins",
            "sheetPr",
            "outlinePr",
            "pageSetUpPr",
            "mergeCells",
            "mergeCell",
        ):
            sheet = sheet.replace(f"<{tag}>", f"<x:{tag}>").replace(f"<{tag} ", f"<x:{tag} ")
            sheet = sheet.replace(f"</{tag}>", f"</x:{tag}>")
        parts["xl/worksheets/sheet1.xml"] = sheet.encode()

    _rewrite("openpyxl_plain.xlsx", "wps_prefixed_tags.xlsx", wps_prefixed)

    def xlsb(parts):
        parts["xl/workbook.bin"] = b"\x83\x01\x00"
        del parts["xl/workbook.xml"]

    _rewrite("openpyxl_plain.xlsx", "excel_binary.xlsb", xlsb)

    def strict(parts):  # Excel's "Strict Open XML Spreadsheet": the ISO namespaces instead of the transitional ones
        transitional = {
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
                b"http://purl.oclc.org/ooxml/officeDocument/relationships"
            ),
        }
        for part, content in list(parts.items()):
            if part.endswith((".xml", ".rels")):
                for old, new in transitional.items():
                    content = content.replace(old, new)
                parts[part] = content

    _rewrite("openpyxl_plain.xlsx", "excel_strict_open_xml.xlsx", strict)

    def vba(parts):
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    _rewrite("openpyxl_plain.xlsx", "excel_macros.xlsm", vba)
    (FILES / "excel_2003_xml_saved_as.xls").write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="收费目录清单"><Table>'
        '<Row><Cell><Data ss:Type="String">收费项目</Data></Cell></Row></Table></Worksheet></Workbook>\n',
        encoding="utf-8",
    )


def ods_files() -> None:
    """LibreOffice's own .ods (libreoffice_plain.ods) with what LibreOffice writes for a hidden sheet, a formula, a
    hidden row and a hidden column, changed in its content.xml."""

    def content(change):
        def edit(parts):
            parts["content.xml"] = change(parts["content.xml"].decode()).encode()

        return edit

    def hidden_sheet(xml: str) -> str:
        start, end = xml.index("<table:table "), xml.index("</table:table>") + len("</table:table>")
        table = xml[start:end]
        old = table.replace('table:style-name="ta1"', 'table:style-name="ta_hidden"', 1)
        old = old.replace("<text:p>100</text:p>", "<text:p>80</text:p>")
        new = table.replace('table:name="收费目录清单"', 'table:name="收费目录清单 (2)"', 1)
        style = (
            '<style:style style:name="ta_hidden" style:family="table"><style:table-properties table:display="false" '
            'style:writing-mode="lr-tb"/></style:style>'
        )
        xml = xml[:start] + old + new + xml[end:]
        return xml.replace('<style:style style:name="ta1"', style + '<style:style style:name="ta1"', 1)

    _rewrite("libreoffice_plain.ods", "libreoffice_hidden_sheet_old_prices.ods", content(hidden_sheet))

    def formula_hidden(xml: str) -> str:
        # 电放费's price (row 10) worked out by a formula; 堆存费's row (11) and the 备注 column (K) hidden
        xml = xml.replace(
            '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>300</text:p>',
            '<table:table-cell table:formula="of:=100*3" office:value-type="float" office:value="300" '
            'calcext:value-type="float"><text:p>300</text:p>',
            1,
        )
        rows = [m.start() for m in re.finditer("<table:table-row ", xml)]
        at = rows[10]
        xml = xml[:at] + '<table:table-row table:visibility="collapse" ' + xml[at + len("<table:table-row ") :]
        return xml.replace(
            '<table:table-column table:style-name="co1" table:number-columns-repeated="16384" '
            'table:default-cell-style-name="Default"/>',
            '<table:table-column table:style-name="co1" table:number-columns-repeated="10" '
            'table:default-cell-style-name="Default"/><table:table-column table:style-name="co1" '
            'table:visibility="collapse" table:default-cell-style-name="Default"/><table:table-column '
            'table:style-name="co1" table:number-columns-repeated="16373" table:default-cell-style-name="Default"/>',
            1,
        )

    _rewrite("libreoffice_plain.ods", "libreoffice_formula_hidden_row_column.ods", content(formula_hidden))

    def null_date_1904(xml: str) -> str:
        # LibreOffice's Tools > Options > Calc > Calculate > Date: 01/01/1904, and 执行日期 typed as a day number
        xml = xml.replace(
            '<table:iteration table:maximum-difference="0.0001"/></table:calculation-settings>',
            '<table:null-date table:date-value="1904-01-01"/><table:iteration table:maximum-difference="0.0001"/>'
            "</table:calculation-settings>",
            1,
        )
        return xml.replace(
            '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>2026-01-01</text:p>',
            '<table:table-cell office:value-type="float" office:value="44561" calcext:value-type="float">'
            "<text:p>44561</text:p>",
            1,
        )

    _rewrite("libreoffice_plain.ods", "libreoffice_1904_null_date_serial.ods", content(null_date_1904))

    def percent(xml: str) -> str:  # 电放费's standard typed as 10%: LibreOffice keeps 0.1 as a percentage
        return xml.replace(
            '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>300</text:p>',
            '<table:table-cell office:value-type="percentage" office:value="0.1" calcext:value-type="percentage">'
            "<text:p>10%</text:p>",
            1,
        )

    _rewrite("libreoffice_plain.ods", "libreoffice_percent_standard.ods", content(percent))

    def shown(xml: str) -> str:  # 单证费 13.8888888889 through 0.00 (shown 13.89), 电放费 10 through 0"%" (shown 10%)
        xml = xml.replace(
            '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>100</text:p>',
            '<table:table-cell office:value-type="float" office:value="13.8888888889" calcext:value-type="float">'
            "<text:p>13.89</text:p>",
            1,
        )
        return xml.replace(
            '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>300</text:p>',
            '<table:table-cell office:value-type="float" office:value="10" calcext:value-type="float">'
            "<text:p>10%</text:p>",
            1,
        )

    _rewrite("libreoffice_plain.ods", "libreoffice_shown_differently.ods", content(shown))

    def currency(xml: str) -> str:  # prices typed in LibreOffice's currency format: a value type with its ISO code
        string = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{}</text:p>'
        xml = xml.replace(string.format("CNY") + "</table:table-cell>", "<table:table-cell/>", 1)  # 单证费: no 币种
        for text, shown in (("100", "$100.00"), ("300", "US$300.00")):  # 单证费: read in USD; 电放费 (CNY): an error
            xml = xml.replace(
                string.format(text),
                f'<table:table-cell office:value-type="currency" office:currency="USD" office:value="{text}" '
                f'calcext:value-type="currency"><text:p>{shown}</text:p>',
                1,
            )
        return xml

    _rewrite("libreoffice_plain.ods", "libreoffice_currency_prices.ods", content(currency))


def sheetjs_files() -> None:
    script = Path(__file__).resolve().parent / "make_sheetjs.js"
    node = shutil.which("node")
    modules = Path(tempfile.gettempdir()) / "sheetjs" / "node_modules"
    if node is None or not modules.exists():
        print("node or /tmp/sheetjs/node_modules/xlsx missing: SheetJS file kept as it is")
        return
    subprocess.run(
        [node, str(script), str(FILES / "sheetjs_export.xlsx")], check=True, timeout=60, env={"NODE_PATH": str(modules)}
    )


def main() -> None:
    FILES.mkdir(exist_ok=True)
    openpyxl_files()
    office_quirk_files()
    xlwt_files()
    xlsxwriter_files()
    libreoffice_files()
    hand_written_files()
    ods_files()
    sheetjs_files()
    for path in sorted(FILES.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.name}")


if __name__ == "__main__":
    main()
