"""Number formats that change what the operator sees: a number shown as a percentage is read as that percentage, a
number shown rounded is reported at its cell."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from portal.validation.model import FeeLine, Location
from portal.workbook import number_formats
from portal.workbook.cells import percent_text
from portal.workbook.format_codes import (
    HIDDEN,
    HIDDEN_ALL,
    PERCENT,
    PERCENT_SIGN,
    Priced,
    Worded,
    built_in,
    currency_in,
    rounded,
    shown_as,
)
from portal.workbook.refusals import UploadRefused
from portal.workbook.shown import as_shown, hidden_findings, in_format_currency, rounding_findings


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("0%", PERCENT),
        ("0.00%", PERCENT),
        ('0.0%;"减"0.0%', PERCENT),
        ('0"%"', PERCENT_SIGN),  # the % is quoted text after the number: 10 is seen as 10%
        ("0\\%", PERCENT_SIGN),  # an escaped %: text too
        ('0.00"%"', PERCENT_SIGN),
        ("0", 0),
        ("#,##0", 0),  # a thousands separator, not a scaling comma
        ("0.0", 1),
        ("#,##0.00", 2),
        ("#,##0.00_);[Red](#,##0.00)", 2),  # the first section is for positive numbers
        ('_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ', 2),  # accounting: spaces and fills are no digits
        ('"¥"#,##0.00', Priced("CNY", "¥", 2)),  # a price in yuan, shown to the fen
        ("[$¥-804]#,##0.000", Priced("CNY", "¥", 3)),  # a currency in brackets, the Chinese (PRC) locale
        ('0.0"元"', Priced("CNY", "元", 1)),
        ('"$"#,##0.00', Priced("USD", "$", 2)),
        ("$#,##0.00", Priced("USD", "$", 2)),  # $ needs no quotes
        ("\\$#,##0", Priced("USD", "$", 0)),  # an escaped $
        ('_(\\$* #,##0.00_);_(\\$* (#,##0.00);_(\\$* "-"??_);_(@_)', Priced("USD", "$", 2)),  # US accounting
        ('"US$"0', Priced("USD", "US$", 0)),  # the longest sign: US$, not $
        ('"HK$"#,##0.00', Priced("HKD", "HK$", 2)),
        ("[$USD] #,##0", Priced("USD", "USD", 0)),
        ("[$usd] #,##0", Priced("USD", "USD", 0)),  # codes in any case
        ("[$$-409]#,##0.00", Priced("USD", "$", 2)),
        ("[$¥-411]#,##0", Priced("JPY", "¥", 0)),  # ¥ in the Japanese locale: yen
        ("[$€-2] #,##0.00", Priced("EUR", "€", 2)),
        ('"$"General', Priced("USD", "$", None)),  # shown as it is, but in dollars
        (";;;", HIDDEN_ALL),  # nothing shown, numbers or text: how Excel hides a cell's content
        ("[Red];;;", HIDDEN_ALL),
        (";;", HIDDEN),  # positive numbers not shown; text is (no fourth section)
        (";;;@", HIDDEN),
        ("0;-0;;@", 0),  # zeros hidden (the third section), positive numbers shown
        ('0;"x;y";;', 0),  # a ; in quoted text separates nothing
        ("[$-409]#,##0.00", 2),  # a locale and no sign: no currency
        ('"$"0.00"元"', 2),  # two currencies: none claimed
        ("[$-F800]dddd, mmmm dd, yyyy", None),  # a date in a locale
        ('yyyy"年"m"月"d"日"', None),
        ('"增长率"0', Worded("增长率", "", 0)),  # words before the number: the reader judges them
        ('0"元/票起"', Worded("", "元/票起", Priced("CNY", "元", 0))),  # 100 seen as 100元/票起
        ('"约"0.00', Worded("约", "", 2)),
        ("0\\起", Worded("", "起", 0)),  # an escaped character is text too
        ('"约"General', Worded("约", "", None)),
        ('[$USD] #,##0" min"', Worded("", " min", Priced("USD", "USD", 0))),
        ('0" "000', 0),  # a space between digits is part of the number
        ('#,##0" "', 0),  # spaces only
        ('"约"@', None),  # text: no number shown with words
        ('0.0;"x";0.000', 1),  # a ; in quoted text does not end the first section
        ('"a;b"0.00', Worded("a;b", "", 2)),
        ("General", None),
        ("@", None),
        ("yyyy-mm-dd", None),
        ("[h]:mm:ss", None),
        ("0.00E+00", None),  # scientific notation: another kind of number
        ("# ?/?", None),  # a fraction
        ("#,##0,", None),  # thousands: 1500 shown as 2 is a scale, not a rounding
        ("0.0,,", None),
        ('"收费标准"', None),  # no digit at all
    ],
)
def test_a_format_code_says_how_it_shows_a_number(code: str, shown: object) -> None:
    assert shown_as(code) == shown


@pytest.mark.parametrize(
    ("text", "found"),
    [("$100.00", ("USD", "$")), ("US$ 100", ("USD", "US$")), ("100.00 €", ("EUR", "€")), ("¥1,200", ("CNY", "¥"))]
    + [("100", None), ("$100 ¥", None)],
)
def test_the_currency_a_shown_number_names(text: str, found: object) -> None:
    assert currency_in(text) == found


@pytest.mark.parametrize(("number", "shown"), [(0, None), (1, 0), (2, 2), (4, 2), (9, PERCENT), (10, PERCENT)])
def test_built_in_formats_by_number(number: int, shown: object) -> None:
    assert built_in(number) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (13.8888888889, 2, "13.89"),
        (10.5, 0, "11"),  # half away from zero, as Excel
        (-10.5, 0, "-11"),
        (2.675, 2, "2.68"),  # 2.675 is stored just below; Excel shows its 15 digits rounded: 2.68
        (10.456, 1, "10.5"),
        (10.45, 2, None),  # shows all it holds
        (100, 0, None),
        (110.00000000000001, 0, None),  # float noise past 15 digits is no rounding
        (0.1 + 0.2, 1, None),
    ],
)
def test_a_number_is_reported_rounded_only_when_the_format_hides_some_of_it(value, decimals, shown) -> None:
    found = rounded(value, decimals)
    assert (None if found is None else format(found, "f")) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.1, "10%"), (0.125, "12.5%"), (1, "100%"), (0.07, "7%"), (0.30000000000000004, "30%"), (-0.05, "-5%")],
)
def test_a_number_shown_as_a_percentage_reads_as_the_operator_sees_it(value: float, shown: str) -> None:
    assert percent_text(value) == shown


def test_cells_are_read_as_shown_and_the_rounded_ones_named() -> None:
    rows = [["标题", 0.1, 10, 13.8888888889], ["x", 10.5, "10", True]]
    cells = {"B1": PERCENT, "C1": PERCENT_SIGN, "D1": 2, "B2": 0, "C2": PERCENT, "D2": PERCENT, "Z9": 2}
    shown = as_shown(rows, cells)
    rounded = shown.rounded
    assert shown.priced == {}
    assert rows == [["标题", "10%", "10%", 13.8888888889], ["x", 10.5, "10", True]]  # text and booleans kept
    assert [(c.cell, str(c.shown), str(c.stored)) for c in rounded] == [
        ("D1", "13.89", "13.8888888889"),
        ("B2", "11", "10.5"),
    ]
    findings = rounding_findings("收费目录清单", rounded, ())
    assert [(f.rule, f.location.cell, f.params["shown"], f.params["stored"]) for f in findings] == [
        ("shown-rounded", "D1", "13.89", "13.8888888889"),
        ("shown-rounded", "B2", "11", "10.5"),
    ]


def test_a_number_shown_with_words_that_make_it_no_price_is_read_as_shown() -> None:
    rows = [["x", 100, 13.8888888889, 300, 50, "100", 0.5]]
    cells = {
        "B1": Worded("", "元/票起", Priced("CNY", "元", 0)),
        "C1": Worded("", "元左右", 2),  # rounded as shown
        "D1": Worded("约", "", None),
        "E1": Worded("", "元/箱", 0),  # a unit: the price 50, as it was
        "F1": Worded("约", "", None),  # text: its format shows no number
        "G1": Worded("", "+", Priced("USD", "USD", 2)),
    }
    shown = as_shown(rows, cells)
    assert rows == [["x", "100元/票起", "13.89元左右", "约300", 50, "100", "0.50+"]]
    assert shown.priced == {}  # read as text: neither a price
    assert shown.rounded == []  # nor a rounded number


def test_a_priced_cell_is_kept_as_it_is_and_named_with_its_currency_and_rounding() -> None:
    rows = [["x", 100, 13.8888888889, "100"]]
    shown = as_shown(rows, {"B1": Priced("USD", "$", 2), "C1": Priced("USD", "$", 2), "D1": Priced("USD", "$")})
    assert rows == [["x", 100, 13.8888888889, "100"]]
    assert shown.priced == {(1, "B"): Priced("USD", "$", 2), (1, "C"): Priced("USD", "$", 2)}  # text: no format
    assert [c.cell for c in shown.rounded] == ["C1"]


def test_cells_whose_format_hides_them_are_named_on_their_lines() -> None:
    rows = [["单证费", 100, "300", ""], ["电放费", "300", 0.5, None]]
    shown = as_shown(rows, {"B1": HIDDEN, "C1": HIDDEN_ALL, "D1": HIDDEN_ALL, "B2": HIDDEN, "C2": HIDDEN})
    assert shown.hidden == {(1, "B"): "100", (1, "C"): "300", (2, "C"): "0.5"}  # text under ;; shows; blanks hold none
    where = {k: Location("收费目录清单", 1, c, k) for k, c in (("name", "A"), ("standard", "B"), ("unit", "C"))}
    line = FeeLine(name="单证费", standard="100", unit="300", key="1", row=1, locations=where)
    found = hidden_findings(shown.hidden, [line])
    assert [(f.rule, f.severity.value, f.location.cell, f.params["value"]) for f in found] == [
        ("hidden-by-format", "error", "B1", "100"),
        ("hidden-by-format", "error", "C1", "300"),
    ]
    assert hidden_findings({}, [line]) == []


def _priced_line(row: int, currency: str, standard: str = "100") -> FeeLine:
    where = {"standard": Location("收费目录清单", row, "E", "standard")}
    return FeeLine(name=f"费{row}", standard=standard, currency=currency, key=str(row), row=row, locations=where)


def test_lines_take_their_price_cells_currency_or_are_told_it_differs() -> None:
    """No currency: read in the format's, one warning for all such lines of a currency; a currency in another word
    for the same (美元 for USD) agrees; another is an error at the cell; a currency the portal does not accept (港币)
    is left to invalid-value; the default currency's sign (¥) on a line giving none changes nothing."""
    lines = tuple(
        _priced_line(row, currency)
        for row, currency in enumerate(["", "", "", "", "", "", "美元", "CNY", "港币", "", "USD"], start=9)
    )
    dollars, yuan = Priced("USD", "$", 2), Priced("CNY", "¥", 2)
    priced = {(row, "E"): dollars for row in range(9, 18)} | {(18, "E"): yuan, (19, "E"): yuan}
    read, found = in_format_currency(priced, lines)
    assert [line.currency for line in read] == [*["USD"] * 6, "美元", "CNY", "港币", "", "USD"]
    assert [(f.rule, f.severity.name, f.location.cell) for f in found] == [
        ("format-currency", "ERROR", "E16"),
        ("format-currency", "ERROR", "E19"),
        ("format-currency", "WARNING", "E9"),
    ]
    warning = found[-1]
    assert warning.params == {"count": 6, "cells": "E9, E10, E11, E12, E13, …", "sign": "$ (USD)", "currency": "USD"}
    assert found[0].render().startswith("Cell E16 shows its price with $ (USD) through its number format, but")
    assert found[0].params["value"] == "100"
    assert in_format_currency({}, lines) == (lines, [])


def _formatted_workbook(values: int, empty: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, values + empty + 1):
        sheet.cell(row, 1, 1.5 if row <= values else None).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_only_formatted_numbers_with_a_value_count_and_too_many_are_refused(monkeypatch) -> None:
    """A formatted range writes its empty cells too (<c r="A9" s="1"/>): they are not held. More numbers shown
    otherwise than a fee list can hold are refused rather than kept in memory."""
    data = _formatted_workbook(values=3, empty=200)
    monkeypatch.setattr(number_formats, "MAX_CELLS", 3)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert number_formats.shown_cells(archive, "xl/worksheets/sheet1.xml", "Sheet") == dict.fromkeys(
            ("A1", "A2", "A3"), 2
        )
        monkeypatch.setattr(number_formats, "MAX_CELLS", 2)
        with pytest.raises(UploadRefused) as refused:
            number_formats.shown_cells(archive, "xl/worksheets/sheet1.xml", "Sheet")
    assert (refused.value.code, refused.value.params) == ("too-many-formatted", {"sheet": "Sheet", "limit": 2})
