""".xls and .ods: the formula cells, hidden rows, hidden columns and hidden sheets calamine does not tell, read from
the files' own records, so they give the findings an .xlsx gives; a file whose records cannot be followed says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import python_calamine

from portal.govlist.loader import load_reference
from portal.workbook import oldformats, reader
from portal.workbook.cells import ERROR_VALUES
from portal.workbook.check import check_workbook
from portal.workbook.format_codes import PERCENT, PERCENT_SIGN, Priced, Worded
from portal.workbook.sandbox import SheetData, read_sheets

FILES = Path(__file__).resolve().parents[2] / "corpus" / "real" / "files"


def _sheets(name: str) -> dict[str, SheetData]:
    return {sheet.name: sheet for sheet in read_sheets((FILES / name).read_bytes())}


@pytest.mark.parametrize(
    "name", ["libreoffice_merged_title_and_fee_over_two_rows.ods", "excel_merged_title_and_fee_over_two_rows.xlsx"]
)
def test_an_ods_tells_its_merged_cells_as_calamine_tells_an_xlsxs(name: str) -> None:
    """calamine reports no merged range of an .ods: its spanned cells are read from content.xml, the same ranges."""
    expected = {((0, 0), (0, 10)), ((9, 1), (10, 1)), ((9, 3), (10, 3)), ((9, 5), (10, 5))}
    if name.endswith(".ods"):
        assert set(_sheets(name)["收费目录清单"].merged) == expected
    else:
        book = python_calamine.CalamineWorkbook.from_path(str(FILES / name))
        assert set(book.get_sheet_by_name("收费目录清单").merged_cell_ranges) == expected


def test_an_xls_tells_its_formulas_hidden_row_hidden_column_and_hidden_sheet() -> None:
    sheets = _sheets("xlwt_hidden_sheet_formula_hidden_row.xls")
    assert not sheets["收费目录清单"].visible
    listed = sheets["收费目录清单 (2)"]
    assert listed.visible
    assert listed.facts_known
    assert listed.formulas == ("A10", "E10")
    assert (listed.hidden_rows, listed.hidden_columns) == ({12}, {11})


def test_an_ods_tells_its_formulas_hidden_row_and_hidden_column() -> None:
    listed = _sheets("libreoffice_formula_hidden_row_column.ods")["收费目录清单"]
    assert listed.formulas == ("E10",)
    assert (listed.hidden_rows, listed.hidden_columns) == ({11}, {11})


@pytest.mark.parametrize(
    "name", ["libreoffice_hidden_sheet_old_prices.ods", "xlwt_hidden_sheet_formula_hidden_row.xls"]
)
def test_a_hidden_sheet_of_an_old_format_is_never_the_list(name: str) -> None:
    checked = check_workbook((FILES / name).read_bytes(), name)
    assert checked.read.sheet == "收费目录清单 (2)"
    assert "hidden-sheet" in {f.rule for f in checked.findings}


def test_a_finding_on_a_hidden_row_of_an_xls_says_the_row_is_hidden() -> None:
    data = (FILES / "xlwt_hidden_sheet_formula_hidden_row.xls").read_bytes()
    reference = load_reference(Path(__file__).resolve().parents[3] / "feelists")
    checked = check_workbook(data, "list.xls", reference, date(2026, 1, 1))
    (finding,) = [f for f in checked.report.findings if f.location and f.location.cell == "E12"]
    assert "hidden" in finding.render()


@pytest.mark.parametrize("data", [b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), b"PK\x03\x04broken"])
def test_records_that_cannot_be_followed_give_no_facts(data: bytes) -> None:
    assert oldformats.read_facts(data) is None


def test_a_sheet_whose_facts_are_unknown_is_read_with_a_warning_saying_so(monkeypatch) -> None:
    data = (FILES / "libreoffice_plain.xls").read_bytes()
    loaded = read_sheets(data)
    unknown = [SheetData(s.name, s.visible, s.rows, s.merged, facts_known=False) for s in loaded]
    monkeypatch.setattr(reader, "read_sheets", lambda _: unknown)
    checked = check_workbook(data, "list.xls")
    (note,) = [f for f in checked.findings if f.rule == "unchecked-formulas"]
    assert note.severity.value == "warning"
    assert ".xlsx" in note.render()


def test_an_xls_older_than_biff8_gives_no_facts_rather_than_a_wrong_reading() -> None:
    data = (FILES / "xlwt_hidden_sheet_formula_hidden_row.xls").read_bytes()
    bof = b"\x09\x08\x10\x00\x00\x06"  # the workbook's BOF record: BIFF8 (version 0x0600)
    assert oldformats.read_facts(data) is not None
    assert oldformats.read_facts(data.replace(bof, b"\x09\x08\x10\x00\x00\x05", 1)) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("xlwt_1904_date_system_serial.xls", "1904-01-01"),
        ("libreoffice_1904_null_date_serial.ods", "1904-01-01"),
        ("libreoffice_plain.xls", None),
        ("libreoffice_plain.ods", None),
    ],
)
def test_the_day_a_date_serial_counts_from_is_read_from_the_workbook(name: str, expected: str | None) -> None:
    assert oldformats.null_date((FILES / name).read_bytes()) == expected
    assert {sheet.null_date for sheet in read_sheets((FILES / name).read_bytes())} == {expected}


def test_a_workbook_whose_date_system_cannot_be_read_counts_as_excels_default() -> None:
    assert oldformats.null_date(b"not a workbook") is None
    assert oldformats.null_date(b"PK\x03\x04 broken") is None


@pytest.mark.parametrize(
    ("name", "cells"),
    [
        ("xlwt_percent_formatted_standards.xls", {"E12", "E13"}),  # a built-in 0% and a FORMAT record's 0.0%
        ("libreoffice_percent_standard.ods", {"E10"}),  # office:value-type="percentage"
        ("libreoffice_plain.xls", set()),
    ],
)
def test_the_numbers_shown_as_percentages_are_named(name: str, cells: set[str]) -> None:
    assert _sheets(name)["收费目录清单"].shown_cells == dict.fromkeys(cells, PERCENT)


@pytest.mark.parametrize(
    ("value", "text", "shown"),
    [
        (13.8888888889, "13.89", 2),
        (10.5, "11", 0),
        (1234.567, "¥1,234.57", Priced("CNY", "¥", 2)),  # a currency and a thousands separator around the number
        (100, "$100.00", Priced("USD", "$", None)),
        (100, "100.00 €", Priced("EUR", "€", None)),
        (10, "10%", PERCENT_SIGN),  # a number followed by a % written as text
        (100, "100.00", None),  # shows all it holds
        (1234.5, "1,234.50", None),
        (10, "10", None),
        (13.89, "13,89", None),  # a decimal comma: not judged
        (1389, "1.39E+03", None),  # scientific notation: another kind of number
        (5, "", None),
        (100, "100元/票起", Worded("", "元/票起", Priced("CNY", "元", None))),  # words beside the number
        (300, "约300", Worded("约", "", None)),
        (13.8888888889, "13.89 min", Worded("", " min", 2)),
        (100, "100 元", Priced("CNY", "元", None)),  # a currency sign alone is no words
    ],
)
def test_an_ods_cells_text_says_how_its_number_is_shown(value: float, text: str, shown: object) -> None:
    assert oldformats.shown_in_ods(value, text) == shown


def test_every_error_an_xls_can_keep_is_one_the_reader_knows_as_text() -> None:
    """An .xls's BOOLERR codes name the same values cells.ERROR_VALUES knows written as text: one list of errors."""
    assert set(oldformats.BOOLERR_ERRORS.values()) <= ERROR_VALUES
