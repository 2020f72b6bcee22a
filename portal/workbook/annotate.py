"""The checked workbook back, annotated: each finding as a comment on its cell, and a 问题清单 sheet listing them all,
so an office fixes its own file in its own spreadsheet program.

An .xlsx comes back as itself (openpyxl keeps its sheets and formats); an .xls or .ods comes back as .xlsx with the
data sheet's values as read. Either way only when the sheet is small enough to open in memory (MAX_CELLS).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import Finding
from portal.workbook.guard import Format
from portal.workbook.layout import field_label
from portal.workbook.reader import ReadResult
from portal.workbook.template_text import ISSUES_SHEET

ISSUES_HEAD = {
    "zh": ("序号", "级别", "工作表", "单元格", "字段", "收费项目", "问题", "依据"),
    "en": ("No.", "Severity", "Sheet", "Cell", "Field", "Fee item", "Issue", "Basis"),
}
SEVERITY = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "Error", "warning": "Warning"}}
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
    if kind is Format.XLSX:
        book = openpyxl.load_workbook(io.BytesIO(data), rich_text=False)
    else:
        book = openpyxl.Workbook()
        book.active.title = sheet or "Sheet1"
        for row in rows or ():
            book.active.append(["" if value is None else value for value in row])
    comments: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        location = finding.location
        if location and location.sheet and location.cell and location.sheet in book.sheetnames:
            comments.setdefault((location.sheet, location.cell), []).append(_line(finding, translate, lang))
    for (name, cell), texts in comments.items():
        target = book[name][cell]
        comment = Comment("\n".join(texts), AUTHOR[lang])
        comment.width, comment.height = 360, 60 + 40 * len(texts)
        target.comment = comment
    _issues(book, findings, translate, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _line(finding: Finding, translate: Callable[[str], str], lang: str) -> str:
    return f"[{SEVERITY[lang][finding.severity.value]}] {finding.render(translate)}"


def _issues(book, findings: Sequence[Finding], translate: Callable[[str], str], lang: str) -> None:
    title = ISSUES_SHEET[lang]
    if title in book.sheetnames:
        del book[title]
    sheet = book.create_sheet(title, 0)
    sheet.append(ISSUES_HEAD[lang])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, finding in enumerate(findings, 1):
        location = finding.location
        sheet.append(
            [
                number,
                SEVERITY[lang][finding.severity.value],
                (location.sheet if location else "") or "",
                (location.cell if location else "") or "",
                field_label(location.field if location else None, lang, header=finding.line_key is None),
                finding.item,
                finding.render(translate),
                finding.basis,
            ]
        )
    for index, width in enumerate((6, 8, 14, 8, 14, 20, 80, 24), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    book.active = 0
