"""The checked workbook back, annotated: each finding as a comment on its cell, and a 问题清单 sheet listing them all,
so an office fixes its own file in its own spreadsheet program.

An .xlsx comes back as itself (openpyxl keeps its sheets and formats); an .xls, an .ods, or an .xlsx openpyxl cannot
open as it is (Strict Open XML) comes back as .xlsx with the data sheet's values as read. Either way only when the
sheet is small enough to open in memory (MAX_CELLS).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import Finding
from portal.workbook.guard import Format
from portal.workbook.reader import ReadResult
from portal.workbook.template_text import FINDINGS_COLUMNS, FINDINGS_WIDTHS, ISSUES_SHEET
from portal.workbook.writer import SEVERITY_LABELS, escape_cell, finding_row

AUTHOR = {"zh": "口岸收费目录检查", "en": "Port fee list check"}
MAX_CELLS = 200_000  # cells of the data sheet opened in memory to annotate it


class TooLargeToAnnotate(Exception):
    """The sheet holds more cells than are opened in memory; the findings are still shown."""


def annotate(
    data: bytes, read: ReadResult, findings: Sequence[Finding], translate: Callable[[str], str], lang: str
) -> bytes:
    """The workbook with a comment on each finding's cell and a sheet listing every finding."""
    kind, sheet, rows = read.format, read.sheet, read.rows
    if read.cells > MAX_CELLS:
        raise TooLargeToAnnotate(sheet)
    book = _own_book(data) if kind is Format.XLSX else None
    if book is None or sheet not in book.sheetnames:  # not an .xlsx, or one openpyxl cannot open as it is (Strict)
        book = openpyxl.Workbook()
        book.active.title = sheet or "Sheet1"
        for row in rows or ():
            book.active.append(["" if value is None else value for value in row])
    comments: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        location = finding.location
        if location and location.sheet and location.cell and location.sheet in book.sheetnames:
            comments.setdefault((location.sheet, location.cell), []).append(_line(finding, translate))
    for (name, cell), texts in comments.items():
        target = book[name][cell]
        comment = Comment("\n".join(texts), AUTHOR[lang])
        comment.width, comment.height = 360, 60 + 40 * len(texts)
        target.comment = comment
    _issues(book, findings, translate, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _own_book(data: bytes) -> openpyxl.Workbook:
    """The .xlsx as openpyxl opens it. A Strict Open XML file's sheets are dropped, with a warning that is no news
    here (openpyxl knows only the transitional namespaces): the caller sees the sheet missing and gives the values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), rich_text=False)


def _line(finding: Finding, translate: Callable[[str], str]) -> str:
    return f"[{translate(SEVERITY_LABELS[finding.severity])}] {finding.render(translate)}"


def _issues(book, findings: Sequence[Finding], translate: Callable[[str], str], lang: str) -> None:
    title = ISSUES_SHEET[lang]
    if title in book.sheetnames:
        del book[title]
    sheet = book.create_sheet(title, 0)
    sheet.append(FINDINGS_COLUMNS[lang])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, finding in enumerate(findings, 1):
        row = finding_row(number, finding, translate, lang)
        sheet.append([escape_cell(value) if isinstance(value, str) else value for value in row])
    for index, width in enumerate(FINDINGS_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    book.active = 0
