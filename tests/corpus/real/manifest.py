"""What each file of the real-producer corpus must read as (its lines and findings) or why it is refused.

Written by hand from what each file holds (make.py), not from what the reader returned. A finding is (rule, cell);
cell None for a finding about the workbook or the header as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TIERS = "1-7天免费；8-14天85元/天；15天及以上170元/天"
EMPTY_TIERS = "1-7天免费；8-14天40元/天；15天及以上80元/天"
PLAIN = (("单证费", "", "100"), ("电放费", "", "300"), ("堆存费", "重箱", TIERS))
WORDED = (("单证费", "", "100元/票起"), ("电放费", "", "约300"), ("堆存费", "重箱", TIERS), ("加固费", "", "50"))
# make.SHOWN_LINES read: the lines, then the findings (13.8888888889 has more than two decimal places: a fen)
SHOWN = (
    (
        *PLAIN,
        ("超重附加费", "超重箱", "10%"),
        ("冷藏附加费", "冷藏箱", "13.8888888889"),
        ("加固费", "", "10.5"),
        ("封志费", "", "100"),
    ),
    ("invalid-value", "E13"),
    ("shown-rounded", "E13"),
    ("shown-rounded", "E14"),
)
# make.PRICED_LINES read: the lines, then the findings (a warning at E12, read in USD; an error at E13)
PRICED = (
    (*PLAIN, ("超重附加费", "超重箱", "100"), ("冷藏附加费", "冷藏箱", "200"), ("加固费", "", "50"))
    + (("封志费", "", "30"),),
    ("format-currency", "E12"),
    ("format-currency", "E13"),
)
STRUCK = (("struck-through", "B10"), ("struck-through", "E11"))
# make.error_values: calamine reads an error value as empty, so each is said at its cell (and the field is missing)
ERRORS = (("单证费", "", "100"), ("电放费", "", ""), ("堆存费", "重箱", TIERS))
ERROR_FINDINGS = (("error-value", "F9"), ("error-value", "E10"), ("missing-field", "F9"), ("missing-field", "E10"))
PRICED_CURRENCIES = ("CNY", "CNY", "CNY", "USD", "CNY", "CNY", "USD")


@dataclass(frozen=True)
class Expect:
    producer: str
    lines: tuple[tuple[str, str, str], ...] = ()  # (收费项目, 适用条件, 收费标准) line by line
    findings: frozenset[tuple[str, str | None]] = field(default_factory=frozenset)
    refused: str | None = None  # the UploadRefused code
    header: dict[str, str] = field(default_factory=dict)  # header values that must be read so
    hidden_note: str | None = None  # a cell whose finding must say that its row is hidden
    currencies: tuple[str, ...] = ()  # each line's currency as stored, when the file says something of it


def read(producer: str, lines=PLAIN, *findings: tuple[str, str | None], **kw) -> Expect:
    return Expect(producer, lines, frozenset(findings), **kw)


def refused(producer: str, code: str) -> Expect:
    return Expect(producer, refused=code)


MANIFEST: dict[str, Expect] = {
    "openpyxl_plain.xlsx": read("openpyxl"),
    "xlsxwriter_template_like.xlsx": read("XlsxWriter, 堆存费's row hidden", PLAIN, ("hidden-lines", None)),
    "xlsxwriter_pandas_style_no_header_block.xlsx": read(
        "XlsxWriter as pandas.to_excel writes: titles in row 1, no header block",
        PLAIN,
        ("missing-field", None),
        ("missing-complaint-phone", None),
    ),
    "xlsxwriter_rich_text_shared_strings.xlsx": read("XlsxWriter: 单证费 and 堆存费's tiers as rich text (runs)"),
    "sheetjs_export.xlsx": read("SheetJS 0.18.5 (make_sheetjs.js): a macroEnabled .bin default, no VBA part"),
    "libreoffice_plain.xls": read("LibreOffice 7.4 Excel 97-2003"),
    "libreoffice_plain.ods": read("LibreOffice 7.4 OpenDocument"),
    "libreoffice_row_formula_numbers.xlsx": read("LibreOffice 7.4 xlsx, 序号 =ROW()-8 with cached values"),
    "openpyxl_row_formula_numbers.xlsx": read("openpyxl, 序号 =ROW()-8 without cached values"),
    "excel_power_query_customxml_utf16.xlsx": read(
        "Excel parts added by hand: Power Query customXml in UTF-16, thumbnail, printer settings"
    ),
    "wps_prefixed_tags.xlsx": read("WPS-style x: prefixed worksheet tags (by hand)"),
    "openpyxl_hidden_sheet_old_prices.xlsx": read(
        "openpyxl: hidden 收费目录清单 (last year, 80) beside visible 收费目录清单 (2) (100)",
        PLAIN,
        ("hidden-sheet", None),
    ),
    "openpyxl_hidden_old_price_column.xlsx": read(
        "openpyxl: last year's 收费标准 in a hidden column E, this year's in a second 收费标准 column L",
        (("单证费", "", "110"), ("电放费", "", "320"), ("堆存费", "重箱", TIERS)),
        ("duplicate-column", "E8"),
    ),
    "openpyxl_section_headings.xlsx": read(
        "openpyxl: 一、单证服务 and 二、堆存服务 merged across the table above their lines, a 注 row between them",
        PLAIN,
        ("not-a-line", "A9"),
        ("not-a-line", "A12"),
        ("not-a-line", "A13"),
    ),
    "openpyxl_ditto_marks.xlsx": read(
        "openpyxl: values repeated from the line above written 同上 and 〃 (price, unit, class, flag, 适用条件)",
        (("单证费", "", "100"), ("电放费", "", "100"), ("堆存费", "重箱", TIERS), ("改单费", "重箱", "300")),
        ("as-above", "E10"),
    ),
    "openpyxl_usd_in_price_title.xlsx": read(
        "openpyxl: the price column titled 收费标准(USD), 币种 left blank (read as USD, not as the default CNY)",
        PLAIN,
        ("title-currency", "E8"),
        ("invalid-value", "E11"),  # 堆存费's tiers say 85元/天: yuan in a line read in dollars
    ),
    "openpyxl_only_hidden_sheet.xlsx": refused("openpyxl: the list only on a hidden sheet", "missing-sheet"),
    "openpyxl_hidden_row_without_standard.xlsx": read(
        "openpyxl: a hidden row without a standard",
        (*PLAIN, ("查验费", "", "")),
        ("missing-field", "E12"),
        ("hidden-lines", None),
        hidden_note="E12",
    ),
    "openpyxl_two_row_header_box_sizes.xlsx": read(
        "openpyxl: 收费标准 merged over 20英尺/40英尺/45英尺",
        (
            ("港口作业包干费", "外贸出口 重箱 20英尺", "600"),
            ("港口作业包干费", "外贸出口 重箱 40英尺", "900"),
            ("港口作业包干费", "外贸出口 重箱 45英尺", "1000"),
            ("拆装箱费", "20英尺", "450"),
            ("拆装箱费", "40英尺", "650"),
        ),
    ),
    "openpyxl_box_size_price_columns.xlsx": read(
        "openpyxl: a shipping line's prices under 20GP / 40GP / 40HQ, one header row; 文件费 has no price",
        (
            ("码头操作费", "20GP", "560"),
            ("码头操作费", "40GP", "850"),
            ("码头操作费", "40HQ", "850"),
            ("设备交接单费", "20GP", "50"),
            ("设备交接单费", "40GP", "50"),
            ("设备交接单费", "40HQ", "50"),
            ("文件费", "", ""),
        ),
        ("price-columns", "D8"),
        ("missing-field", "D11"),
    ),
    "xlsxwriter_price_titles_with_box_size.xlsx": read(
        "XlsxWriter: two price columns titled 收费标准(20英尺) and 收费标准(40英尺)",
        (
            ("单证费", "20英尺", "100"),
            ("单证费", "40英尺", "200"),
            ("电放费", "20英尺", "300"),
            ("电放费", "40英尺", "300"),
            ("堆存费", "重箱 20英尺", TIERS),
            ("堆存费", "重箱 40英尺", "1-7天免费；8-14天170元/天；15天及以上340元/天"),
        ),
        ("price-columns", "E8"),
    ),
    "openpyxl_error_values_pasted.xlsx": read(
        "openpyxl: error values pasted as values (#N/A in a price, #REF! in a unit): each said, read as empty",
        ERRORS,
        *ERROR_FINDINGS,
    ),
    "xlwt_error_values_pasted.xls": read(
        "xlwt: the same error values in an Excel 97-2003 file (BOOLERR records)", ERRORS, *ERROR_FINDINGS
    ),
    "openpyxl_two_row_header_conditions.xlsx": refused("openpyxl: 适用条件 over 贸易类型/箱型", "sub-columns"),
    "openpyxl_notes_phone_signature_below.xlsx": read(
        "openpyxl: 注, 投诉电话 and 制表人 rows under the table, no phone above",
        PLAIN,
        ("phone-below-table", "A13"),
        header={"complaint_phone": "020-39009999"},
    ),
    "openpyxl_operator_in_title_details_below.xlsx": read(
        "openpyxl: the operator named only in the title; its code, port area, date and phone under the table",
        PLAIN,
        ("operator-in-title", "A1"),
        ("details-below-table", "A8"),
        ("details-below-table", "A9"),
        ("details-below-table", "D9"),
        ("phone-below-table", "A10"),
        header={
            "operator_name": "广州示范港务有限公司",
            "credit_code": "91440101000000000J",
            "port_area": "南沙港区",
            "effective_date": "2026-01-01",
            "complaint_phone": "020-39001001",
        },
    ),
    "openpyxl_margin_column_bilingual_titles_total_row.xlsx": read(
        "openpyxl: column A left empty, two label | value pairs a row, English titles under the Chinese ones "
        "(Charging Standard, Charging Unit, Pricing Method), a 合计 row under the lines",
        PLAIN,
        ("not-a-line", "C11"),
        header={
            "operator_name": "广州示范港务有限公司",
            "credit_code": "91440101000000000J",
            "port_area": "南沙港区",
            "complaint_phone": "020-39001001",
            "effective_date": "2026-01-01",
        },
    ),
    "openpyxl_price_title_merged_over_two_prices.xlsx": refused(
        "openpyxl: 收费标准 merged over E:F, 堆存费's 40-foot tiers under F with no sub-titles", "merged-title"
    ),
    "openpyxl_struck_through_fee_and_price.xlsx": read(
        "openpyxl: 电放费's row struck through (a fee crossed out, not deleted), 堆存费's price struck through in red, "
        "单证费's name with <strike val=0> (not struck)",
        PLAIN,
        *STRUCK,
    ),
    "xlwt_struck_through_fee_and_price.xls": read("xlwt .xls: the same, a FONT record with fStrikeOut", PLAIN, *STRUCK),
    "libreoffice_struck_through_fee_and_price.ods": read(
        "LibreOffice 7.4 .ods, converted from the .xlsx: cell styles with text-line-through", PLAIN, *STRUCK
    ),
    "xlsxwriter_price_struck_in_part.xlsx": read(
        "XlsxWriter: 电放费's standard as rich text, the old price 380 struck through before the new 300 (read whole, "
        "380 300 is no amount: not 380300)",
        (PLAIN[0], ("电放费", "", "380 300"), PLAIN[2]),
        ("struck-through", "E10"),
        ("invalid-value", "E10"),
    ),
    "openpyxl_two_prices_in_one_cell.xlsx": read(
        "openpyxl: two prices in one cell, 100 and 200 by Alt+Enter, 300 450 by a space (read as 100200 and 300450 "
        "before): no amount, an error at each",
        (("单证费", "", "100\n200"), ("电放费", "", "300 450"), PLAIN[2]),
        ("invalid-value", "E9"),
        ("invalid-value", "E10"),
    ),
    "openpyxl_prices_with_words_in_their_format.xlsx": read(
        'openpyxl: prices typed as numbers in cells formatted 0"元/票起" (100 seen as 100元/票起) and "约"0 (300 '
        'seen as 约300), read as seen, not as the prices 100 and 300; 0"元/箱" (50 seen as 50元/箱) is the price 50',
        WORDED,
        ("vague-standard", "E9"),
        ("vague-standard", "E10"),
    ),
    "xlwt_prices_with_words_in_their_format.xls": read(
        "xlwt .xls: the same, through FORMAT records", WORDED, ("vague-standard", "E9"), ("vague-standard", "E10")
    ),
    "openpyxl_price_hidden_by_format.xlsx": read(
        "openpyxl: 电放费's price 300 under the format ;;; (shows nothing), 堆存费's tiers (text) under ;; (shown)",
        PLAIN,
        ("hidden-by-format", "E10"),
    ),
    "xlwt_price_hidden_by_format.xls": read(
        "xlwt .xls: 电放费's price 300 as a number under ;;; (a FORMAT record)", PLAIN, ("hidden-by-format", "E10")
    ),
    "openpyxl_label_value_cells.xlsx": read(
        "openpyxl: 单位名称：... written in one cell",
        PLAIN,
        header={
            "operator_name": "广州示范港务有限公司",
            "credit_code": "91440101000000000J",
            "effective_date": "2026-01-01",
        },
    ),
    "openpyxl_date_serial.xlsx": read(
        "openpyxl: 执行日期 as the serial 46023",
        PLAIN,
        ("date-as-number", "B6"),
        header={"effective_date": "2026-01-01"},
    ),
    "openpyxl_1904_date_system_serial.xlsx": read(
        "openpyxl, 1904 date system (Excel for Mac, Numbers): 执行日期 as the serial 44561",
        PLAIN,
        ("date-as-number", "B6"),
        header={"effective_date": "2026-01-01"},
    ),
    "openpyxl_1904_date_system_date_cell.xlsx": read(
        "openpyxl, 1904 date system: 执行日期 as a date cell", header={"effective_date": "2026-01-01"}
    ),
    "xlwt_1904_date_system_serial.xls": read(
        "xlwt, 1904 date system (DATEMODE): 执行日期 as the serial 44561",
        PLAIN,
        ("date-as-number", "B6"),
        header={"effective_date": "2026-01-01"},
    ),
    "libreoffice_1904_null_date_serial.ods": read(
        "LibreOffice .ods with the null date 1904-01-01: 执行日期 as the day number 44561",
        PLAIN,
        ("date-as-number", "B6"),
        header={"effective_date": "2026-01-01"},
    ),
    "openpyxl_percent_formatted_standards.xlsx": read(
        "openpyxl: 0.1 shown through 0% and 0.125 through a custom 0.0% code, as Excel stores 10% typed in a cell",
        (*PLAIN, ("超重附加费", "超重箱", "10%"), ("冷藏附加费", "冷藏箱", "12.5%")),
    ),
    "libreoffice_percent_standard.ods": read(
        "LibreOffice .ods: 电放费's standard typed as 10% (a percentage 0.1)",
        (PLAIN[0], ("电放费", "", "10%"), PLAIN[2]),
    ),
    "xlwt_percent_formatted_standards.xls": read(
        "xlwt .xls: 0.1 through 0% (built in) and 0.125 through 0.0% (a FORMAT record)",
        (*PLAIN, ("超重附加费", "超重箱", "10%"), ("冷藏附加费", "冷藏箱", "12.5%")),
    ),
    "openpyxl_shown_differently.xlsx": read(
        'openpyxl: 10 through 0"%", 13.8888888889 through 0.00, 10.5 through 0, 100 through #,##0.00', *SHOWN
    ),
    "xlwt_shown_differently.xls": read(
        "xlwt .xls: the same cells, through FORMAT records (0.00 and 0 built in); 10.5 and 100 as RK numbers", *SHOWN
    ),
    "libreoffice_shown_differently.ods": read(
        "LibreOffice .ods: 13.8888888889 shown as 13.89, 10 shown as 10% (each cell's text as LibreOffice showed it)",
        (("单证费", "", "13.8888888889"), ("电放费", "", "10%"), PLAIN[2]),
        ("invalid-value", "E9"),
        ("shown-rounded", "E9"),
    ),
    "openpyxl_currency_formatted_prices.xlsx": read(
        'openpyxl: 100 through "$"#,##0.00 with no 币种, 200 through [$USD] #,##0 on a CNY line, '
        '50 through "¥"#,##0.00 on a CNY line, 30 through [$$-409]#,##0.00 on a USD line',
        *PRICED,
        currencies=PRICED_CURRENCIES,
    ),
    "xlwt_currency_formatted_prices.xls": read(
        "xlwt .xls: the same cells, their currency formats as FORMAT records", *PRICED, currencies=PRICED_CURRENCIES
    ),
    "libreoffice_currency_prices.ods": read(
        "LibreOffice .ods: 单证费 100 typed as US dollars ($100.00) with no 币种, "
        "电放费 300 as US$300.00 on a CNY line",
        PLAIN,
        ("format-currency", "E9"),
        ("format-currency", "E10"),
        currencies=("USD", "CNY", "CNY"),
    ),
    "excel_strict_open_xml.xlsx": read("Strict Open XML namespaces (by hand from openpyxl_plain.xlsx)"),
    "openpyxl_stray_cell_far_below.xlsx": read("openpyxl: x in M400", PLAIN, ("stray-cell", "M400")),
    "openpyxl_marks_and_vague_standards.xlsx": read(
        "openpyxl: √/×/✓/✗ in 代收代付, 按实收取, 面议, 见附表, 一百九十",
        (
            ("单证费", "", "100"),
            ("港建费", "外贸", "按实收取"),
            ("理货费", "", "面议"),
            ("熏蒸费", "", "见附表"),
            ("代理费", "", "一百九十"),
        ),
        ("vague-standard", "E10"),
        ("vague-standard", "E11"),
        ("vague-standard", "E12"),
        ("vague-standard", "E13"),
    ),
    "openpyxl_two_row_header_vague_40ft.xlsx": read(
        "openpyxl: 收费标准 over 20英尺/40英尺/45英尺, the 40-foot price 面议 (its finding names F10, not E10)",
        (
            ("港口作业包干费", "外贸出口 重箱 20英尺", "600"),
            ("港口作业包干费", "外贸出口 重箱 40英尺", "面议"),
            ("港口作业包干费", "外贸出口 重箱 45英尺", "1000"),
        ),
        ("vague-standard", "F10"),
    ),
    "excel_credit_code_as_number.xlsx": read(
        "the credit code as Excel keeps a number typed in a General cell (914401010000008000: a valid code, not ours)",
        PLAIN,
        ("credit-code-as-number", "B3"),
    ),
    "excel_titles_with_line_breaks.xlsx": read("Alt+Enter inside column titles (收费\\n项目, 收费标准\\n（元）)"),
    "excel_merged_title_and_fee_over_two_rows.xlsx": read(
        "title merged across A1:K1; 堆存费's name, content and unit merged over its 重箱 and 空箱 rows",
        (("单证费", "", "100"), ("堆存费", "重箱", TIERS), ("堆存费", "空箱", EMPTY_TIERS)),
    ),
    "libreoffice_merged_title_and_fee_over_two_rows.ods": read(
        "LibreOffice 7.4 .ods of the file above: the merged cells as spanned and covered cells",
        (("单证费", "", "100"), ("堆存费", "重箱", TIERS), ("堆存费", "空箱", EMPTY_TIERS)),
    ),
    "libreoffice_price_title_merged_over_two_prices.ods": refused(
        "LibreOffice 7.4 .ods of openpyxl_price_title_merged_over_two_prices.xlsx", "merged-title"
    ),
    "wps_label_spaces_date_cell_autofilter.xlsx": read(
        "labels with a full-width space or colon, 执行日期 a date cell, autofilter, frozen panes, print titles",
        PLAIN,
        header={"operator_name": "广州示范港务有限公司", "effective_date": "2026-01-01"},
    ),
    "excel_prices_as_numbers.xlsx": read("收费标准 as number cells (100, 300.0), 币种 人民币"),
    "xlwt_hidden_sheet_formula_hidden_row.xls": read(
        "xlwt .xls: hidden 收费目录清单 (80, 250) beside 收费目录清单 (2); 序号 and 电放费's price as formulas; "
        "查验费 without a standard on a hidden row; 备注 hidden",
        (("单证费", "", "100"), ("电放费", "", ""), ("堆存费", "重箱", TIERS), ("查验费", "", "")),
        ("hidden-sheet", None),
        ("formula-not-allowed", "E10"),
        ("missing-field", "E10"),
        ("missing-field", "E12"),
        ("hidden-lines", None),
        hidden_note="E12",
    ),
    "xlwt_only_hidden_sheets.xls": refused("xlwt .xls: both lists hidden, a cover sheet visible", "missing-sheet"),
    "libreoffice_hidden_sheet_old_prices.ods": read(
        "LibreOffice .ods: hidden 收费目录清单 (80) beside visible 收费目录清单 (2)", PLAIN, ("hidden-sheet", None)
    ),
    "libreoffice_formula_hidden_row_column.ods": read(
        "LibreOffice .ods: 电放费's price =100*3, 堆存费's row and the 备注 column hidden",
        (("单证费", "", "100"), ("电放费", "", ""), ("堆存费", "重箱", TIERS)),
        ("formula-not-allowed", "E10"),
        ("missing-field", "E10"),
        ("hidden-lines", None),
    ),
    "excel_macros.xlsm": refused("openpyxl file with a vbaProject.bin part added", "macros"),
    "excel_binary.xlsb": refused("a package with xl/workbook.bin", "xlsb-format"),
    "excel_2003_xml_saved_as.xls": refused("SpreadsheetML 2003 named .xls", "xml2003-format"),
    "libreoffice_html_saved_as.xls": refused("LibreOffice 7.4 HTML export named .xls", "html-format"),
    "libreoffice_plain.csv": refused("LibreOffice 7.4 CSV", "text-format"),
}
