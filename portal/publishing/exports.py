"""The consolidated catalogue as XLSX (openpyxl write-only) and CSV, streamed: one row per fee line in force."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import get_column_letter

from portal.validation import vocabulary
from portal.workbook import layout
from portal.workbook.writer import escape_cell

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from portal.publishing.snapshot import PublishedEdition, PublishedLine

SHEET = {"zh": "收费目录汇总", "en": "Port fee catalogue"}
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
HEADING = PatternFill("solid", fgColor="DDEBF7")
TOP = Alignment(vertical="top", wrap_text=True)

# Who publishes each line, before the prescribed columns: key, Chinese heading, English heading, width.
_HEAD = vocabulary.HEADER_FIELD
EDITION_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("edition_code", "版本编号", "Edition", 24),
    ("operator", _HEAD["operator_name"].zh, _HEAD["operator_name"].en, 30),
    ("credit_code", _HEAD["credit_code"].zh, _HEAD["credit_code"].en, 22),
    ("operator_kind", "经营者类型", "Operator kind", 14),
    ("port_areas", "口岸/港区", "Port areas", 18),
    ("complaint_phone", _HEAD["complaint_phone"].zh, _HEAD["complaint_phone"].en, 18),
    ("effective_from", _HEAD["effective_date"].zh, _HEAD["effective_date"].en, 12),
)


def _lang(lang: str) -> str:
    return "en" if lang.startswith("en") else "zh"


def headings(lang: str) -> list[str]:
    """The column headings: the edition's columns, then the prescribed format's (layout.COLUMNS)."""
    en = _lang(lang) == "en"
    return [en_label if en else zh for _key, zh, en_label, _width in EDITION_COLUMNS] + [
        column.label(_lang(lang)) for column in layout.COLUMNS
    ]


def _line_value(line: PublishedLine, key: str, lang: str) -> str:
    if key == "pass_through":
        return vocabulary.label("yes_no", line.pass_through, lang)
    return str(getattr(line, key))


def rows(editions: Iterable[PublishedEdition], lang: str) -> Iterator[list[str | date]]:
    """One row per line in force, every text as written; the effective date stays a date."""
    lang = _lang(lang)
    for edition in editions:
        common: list[str | date] = [
            edition.edition_code,
            edition.operator_name(lang),
            edition.credit_code,
            vocabulary.label("operator_kind", edition.operator_kind, lang),
            "、".join(edition.port_areas),
            edition.complaint_phone,
            edition.effective_from,
        ]
        for line in edition.lines:
            yield common + [_line_value(line, column.key, lang) for column in layout.COLUMNS]


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """Always a string cell, never a formula: illegal XML characters dropped, formula triggers escaped."""
    cell = WriteOnlyCell(sheet, value=escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value)))
    cell.data_type = "s"
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: str | date) -> WriteOnlyCell | None:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return _text_cell(sheet, value) if value else None


def write_xlsx(stream: IO[bytes], editions: Iterable[PublishedEdition], lang: str) -> None:
    """Write the consolidated catalogue; rows go to openpyxl's write-only buffer as `editions` is consumed."""
    lang = _lang(lang)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET[lang])
    widths = [width for *_labels, width in EDITION_COLUMNS] + [column.width for column in layout.COLUMNS]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    head = []
    for title in headings(lang):
        cell = _text_cell(sheet, title)
        cell.font, cell.fill, cell.alignment = BOLD, HEADING, TOP
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in rows(editions, lang):
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{count + 1}"
    book.save(stream)


def write_csv(stream: IO[bytes], editions: Iterable[PublishedEdition], lang: str) -> None:
    """Write the consolidated catalogue as UTF-8 CSV with a BOM (so Excel reads the Chinese), row by row."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(headings(lang))
        for row in rows(editions, lang):
            writer.writerow([value.isoformat() if isinstance(value, date) else escape_cell(value) for value in row])
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open
