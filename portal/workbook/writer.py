"""Writes the prescribed format with openpyxl: the blank template, a filled-in catalogue and a findings report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Header, Location, Severity
from portal.workbook import layout, template_text

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LABEL_WIDTH = 18  # column A also holds the header block's labels
BOLD = Font(bold=True)
REQUIRED = Font(bold=True, color="9C0006")
TITLE = Font(bold=True, size=14)
HEADING = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
SEVERITY_LABELS = {Severity.ERROR: N_("Error"), Severity.WARNING: N_("Warning")}


def escape_cell(text: str) -> str:
    """Prefix text Excel would take for a formula (= + - @, tab, CR, also after leading spaces) with an apostrophe."""
    return "'" + text if layout.looks_like_formula(text) else text


def write_template(stream: IO[bytes], *, lang: str = "zh") -> None:
    """The blank list in the prescribed format, with dropdowns and an instructions sheet."""
    write_catalogue(stream, Header(), (), lang=lang)


def write_catalogue(stream: IO[bytes], header: Header, lines: Iterable[FeeLine], *, lang: str = "zh") -> None:
    """A list filled in, laid out exactly as the template, so the operator can edit it and upload it again."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(layout.DATA_SHEET)
    for index, column in enumerate(layout.COLUMNS, 1):
        width = max(column.width, LABEL_WIDTH) if index == 1 else column.width
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    for validation in _validations(lang):
        sheet.data_validations.append(validation)

    sheet.append([_cell(sheet, template_text.TITLE[lang], font=TITLE)])
    for entry in layout.HEADER_FIELDS:
        font = REQUIRED if entry.required else BOLD
        sheet.append([_cell(sheet, entry.label(lang), font=font), _cell(sheet, getattr(header, entry.attr))])
    for _ in range(layout.TABLE_HEADER_ROW - layout.HEADER_BLOCK_ROW - len(layout.HEADER_FIELDS)):
        sheet.append([])
    sheet.append(
        [
            _cell(sheet, c.label(lang), font=REQUIRED if c.required else BOLD, fill=HEADING, wrap=True)
            for c in layout.COLUMNS
        ]
    )
    for line in lines:
        sheet.append([_cell(sheet, getattr(line, c.key), wrap=c.multiline) for c in layout.COLUMNS])
    _instructions(book.create_sheet(template_text.INSTRUCTIONS_SHEET[lang]), lang)
    book.save(stream)


def write_findings(
    stream: IO[bytes], findings: Iterable[Finding], *, translate: Callable[[str], str], lang: str = "zh"
) -> None:
    """One row per finding, numbered: severity, sheet, cell, field, fee item, message (translated) and basis."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(template_text.FINDINGS_SHEET[lang])
    for index, width in enumerate(template_text.FINDINGS_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, title, font=BOLD, fill=HEADING) for title in template_text.FINDINGS_COLUMNS[lang]])
    for number, finding in enumerate(findings, 1):
        number_cell, *values = finding_row(number, finding, translate, lang)
        sheet.append([number_cell, *(_cell(sheet, value, wrap=True) for value in values)])
    book.save(stream)


def finding_row(number: int, finding: Finding, translate: Callable[[str], str], lang: str) -> list[int | str]:
    """A finding as a row under FINDINGS_COLUMNS: its number, then its words; no internal code."""
    location = finding.location or Location()
    header = finding.line_key is None and not finding.item
    return [
        number,
        translate(SEVERITY_LABELS[finding.severity]),
        location.sheet or "",
        location.cell or (str(location.row) if location.row else ""),
        layout.field_label(location.field, lang, header=header),
        finding.item,
        finding.render(translate),
        finding.basis,
    ]


def _cell(
    sheet: WriteOnlyWorksheet,
    text: str,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    wrap: bool = False,
) -> WriteOnlyCell | None:
    """A text cell, never a formula: illegal XML characters dropped, formula triggers escaped; None when empty."""
    if not text:
        return None
    cell = WriteOnlyCell(sheet, value=escape_cell(ILLEGAL_CHARACTERS_RE.sub("", text)))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = WRAP
    return cell


def _validations(lang: str) -> list[DataValidation]:
    validations = []
    last_row = layout.FIRST_DATA_ROW + layout.MAX_ROWS - 1
    for index, column in enumerate(layout.COLUMNS, 1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"{}"'.format(",".join(column.choices)),
            allow_blank=True,
            showErrorMessage=column.strict_choices,
            error=template_text.DROPDOWN_ERROR[lang],
            showInputMessage=True,
            prompt=column.note_zh if lang == "zh" else column.note_en,
        )
        validation.add(f"{letter}{layout.FIRST_DATA_ROW}:{letter}{last_row}")
        validations.append(validation)
    return validations


def _instructions(sheet: WriteOnlyWorksheet, lang: str) -> None:
    for letter, width in zip("ABC", (24, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    title, *paragraphs = template_text.INSTRUCTIONS_INTRO[lang]
    sheet.append([_cell(sheet, title, font=TITLE)])
    for paragraph in paragraphs:
        sheet.append([_cell(sheet, paragraph, wrap=True)])
    sheet.append([])
    sheet.append([_cell(sheet, text, font=BOLD, fill=HEADING) for text in template_text.INSTRUCTIONS_HEAD[lang]])
    for entry in (*layout.HEADER_FIELDS, *layout.COLUMNS):
        mark = (template_text.REQUIRED_MARK if entry.required else template_text.OPTIONAL_MARK)[lang]
        note = entry.note_zh if lang == "zh" else entry.note_en
        sheet.append([_cell(sheet, entry.label(lang), font=BOLD), _cell(sheet, mark), _cell(sheet, note, wrap=True)])
    sheet.append([])
    sheet.append([_cell(sheet, text, font=BOLD, fill=HEADING) for text in template_text.CLASSES_HEAD[lang]])
    for pricing_class, note in template_text.CLASS_NOTES[lang].items():
        sheet.append([_cell(sheet, pricing_class.value, font=BOLD), None, _cell(sheet, note, wrap=True)])
