"""Reads an uploaded workbook in the prescribed format into raw-text FeeLines and located findings.

The file is guarded first (guard.py); .xlsx is then read by calamine in this process, .xls and .ods in a bounded
child process (sandbox.py). The data sheet is the visible sheet named as the template names it, otherwise the one
visible sheet with a row of column titles; hidden sheets are never read, and a finding says so when one would match.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import python_calamine

from portal.validation.findings import N_, Finding
from portal.validation.model import CatalogueInput, Header, Location, Severity
from portal.workbook import layout, number_formats, refusals, template_text
from portal.workbook.cells import cell_text
from portal.workbook.guard import Format, GuardLimits, GuardResult, inspect_upload
from portal.workbook.refusals import UploadRefused
from portal.workbook.sandbox import SandboxFailed, SheetData, read_sheets
from portal.workbook.sheet_cells import EXCEL_EPOCH, MAC_EPOCH, ROWS_NAMED
from portal.workbook.shown import as_shown, hidden_findings, in_format_currency, rounding_findings
from portal.workbook.struck import Struck, struck_cells, struck_findings
from portal.workbook.table import (
    MERGED_TITLE,
    SUB_COLUMNS,
    MergedTitleRefused,
    SheetReader,
    SubColumnsRefused,
    examples,
)

__all__ = ["NO_LINES", "ReadResult", "cell_text", "read_workbook", "refuse_if_empty"]


@dataclass(frozen=True)
class ReadResult:
    """The list as read, the reader's own findings, the data sheet's name, and the known columns the table lacks."""

    catalogue: CatalogueInput
    findings: tuple[Finding, ...]
    sheet: str
    absent_columns: frozenset[str] = field(default_factory=frozenset)
    hidden_rows: frozenset[int] = field(default_factory=frozenset)  # 1-based, of the data sheet
    hidden_columns: frozenset[int] = field(default_factory=frozenset)  # 1-based
    format: Format = Format.XLSX
    rows: Sequence[Sequence[object]] = field(default=(), repr=False, compare=False)  # the data sheet's cells
    cells: int = 0  # cells every sheet spans from A1, empty or not (what opening the workbook in memory holds)


class _Book:
    """The sheets of a workbook, in order, with their visibility and (on demand) their cells."""

    def __init__(self, data: bytes, guard: GuardResult) -> None:
        self.guard = guard
        self._loaded: dict[str, SheetData] = {}
        self._parsed: dict[str, python_calamine.CalamineSheet] = {}
        if guard.format is Format.XLSX:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            metas = [m for m in self._book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            self.sheets = [(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible) for m in metas]
        else:
            try:
                loaded = read_sheets(data)
            except SandboxFailed as error:
                raise refusals.unreadable(error) from error
            self._loaded = {s.name: s for s in loaded}
            self.sheets = [(s.name, s.visible) for s in loaded]
        self.names = [name for name, _ in self.sheets]

    def cells_in_all(self) -> int:
        if self.guard.format is Format.XLSX:
            return sum(facts.max_row * facts.max_column for facts in self.guard.facts.values())
        return sum(len(row) for sheet in self._loaded.values() for row in sheet.rows)

    def facts(self, name: str) -> tuple[tuple[str, ...], frozenset[int], frozenset[int], bool]:
        """The sheet's formula cells, hidden rows and hidden columns (1-based), and whether they could be known."""
        if self.guard.format is Format.XLSX:
            return (self.guard.formulas_in(name), *self.guard.hidden_in(name), True)
        sheet = self._loaded[name]
        return sheet.formulas, sheet.hidden_rows, sheet.hidden_columns, sheet.facts_known

    def errors(self, name: str) -> Mapping[str, str]:
        """The sheet's cells holding an error value (#N/A) and no formula: A1 -> the value, as shown."""
        if self.guard.format is Format.XLSX:
            return self.guard.errors_in(name)
        return self._loaded[name].errors

    def head(self, name: str, count: int) -> list[list[object]]:
        """The sheet's first `count` rows, not turned into Python values past those rows."""
        if name in self._loaded:
            return self._loaded[name].rows[:count]
        return list(itertools.islice(self._sheet(name).iter_rows(), count))

    def _sheet(self, name: str) -> python_calamine.CalamineSheet:
        """The sheet as calamine parsed it, once: the sheet a head was read of is most often the one then read whole
        (a list not on a sheet named 收费目录清单), and parsing it again doubled the read. Within the guard's bound."""
        if name not in self._parsed:
            self._parsed[name] = self._book.get_sheet_by_name(name)
        return self._parsed[name]

    def cells(self, name: str) -> SheetData:
        if name not in self._loaded:
            sheet = self._sheet(name)
            self._parsed.clear()  # none kept while this one is read: it is `sheet` now, and the others were heads
            rows = sheet.to_python(skip_empty_area=False)
            self._loaded[name] = SheetData(name, True, rows, list(sheet.merged_cell_ranges or []))
        return self._loaded[name]


def read_workbook(
    data: bytes, filename: str, *, max_rows: int = layout.MAX_ROWS, limits: GuardLimits | None = None
) -> ReadResult:
    """Guard the upload, then read its data sheet; UploadRefused propagates when the file cannot be read."""
    guard = inspect_upload(data, filename, limits)
    try:
        book = _Book(data, guard)
        chosen, notes = _data_sheet(book)
        if chosen is None:
            return _missing_sheet(book, notes)
        sheet = book.cells(chosen)
        if guard.format is Format.XLSX and chosen in guard.sheets:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                part, styles = guard.sheets[chosen], number_formats.read_styles(archive)
                shown = as_shown(sheet.rows, number_formats.shown_cells(archive, part, chosen, styles))
                struck = struck_cells(archive, part, chosen, styles)
        else:
            shown, struck = as_shown(sheet.rows, sheet.shown_cells), Struck(sheet.struck_cells)
        formulas, hidden_rows, hidden_columns, known = book.facts(chosen)
        epoch = MAC_EPOCH if guard.date1904 else EXCEL_EPOCH
        if sheet.null_date is not None:  # an .xls's DATEMODE, an .ods's null date (oldformats.null_date)
            epoch = date.fromisoformat(sheet.null_date)
        reader = SheetReader(
            chosen, sheet.rows, sheet.merged, formulas, max_rows, epoch, hidden_columns, book.errors(chosen)
        )
        header, lines, absent = reader.read()
        lines, priced = in_format_currency(shown.priced, lines)
        reader.findings.extend([*rounding_findings(chosen, shown.rounded, lines), *priced])
        reader.findings.extend([*struck_findings(struck, lines), *hidden_findings(shown.hidden, lines)])
    except SubColumnsRefused as error:
        raise UploadRefused("sub-columns", SUB_COLUMNS, error.params) from error
    except MergedTitleRefused as error:
        raise UploadRefused("merged-title", MERGED_TITLE, error.params) from error
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError) as error:
        raise refusals.unreadable(error) from error
    if not known:
        notes.append(_sheet_finding(UNKNOWN_FACTS, {"sheet": chosen}, Severity.WARNING, "unchecked-formulas"))
    if hidden_rows and (in_hidden := [line.row for line in lines if line.row in hidden_rows]):
        notes.append(_hidden_lines(chosen, in_hidden))
    findings = sorted([*notes, *reader.findings], key=lambda f: (f.location.row or 0) if f.location else 0)
    return ReadResult(
        CatalogueInput(header, lines, absent_fields=absent),
        tuple(findings),
        chosen,
        absent,
        hidden_rows,
        hidden_columns,
        guard.format,
        sheet.rows,
        book.cells_in_all(),
    )


NO_LINES = N_(
    "No fee line could be read from the workbook, so nothing was changed. Above the fee lines one row must hold the "
    "column titles, such as {examples}, with one fee per row below it, as in the template. Fill them in and upload "
    "the workbook again."
)
HIDDEN_SHEET = N_(
    "Sheet {hidden} is hidden, so it was not read, although it looks like a fee list; the list was read from the "
    "visible sheet {sheet}. Delete the hidden sheet if it is out of date, or unhide it and delete the other."
)
ONLY_HIDDEN = N_(
    "The fee list is on sheet {hidden}, which is hidden, and hidden sheets are never read. Unhide it (in Excel: "
    "right-click a sheet tab > Unhide), delete the sheets that are out of date and upload the workbook again."
)
UNKNOWN_FACTS = N_(
    "The formulas and hidden rows and columns of sheet {sheet} could not be read from this file, so they were not "
    "checked: values worked out by formulas are read as they were last shown. Save the workbook as .xlsx (in Excel "
    "or WPS: File > Save As > Excel Workbook) and upload that to have them checked."
)
HIDDEN_LINES = N_(
    "{count} fee lines of sheet {sheet} are in hidden rows (rows {rows}): they are read and would be published like "
    "any other. If they are out of date, delete them; if a filter or a grouping hid them, nothing needs doing."
)
OTHER_SHEET = N_(
    "Sheet {other} also holds a table of fees, but only sheet {sheet} is read: a workbook holds one list. If {other} "
    "continues the list, move its lines onto {sheet}; if it is out of date or kept for reference, delete it. Then "
    "upload the workbook again."
)
SEVERAL = N_(
    "Sheets {sheets} each hold a table of fees, and none is named {expected}. Rename the sheet that holds this "
    "year's list to {expected} (or delete the others) and upload the workbook again."
)


def refuse_if_empty(result: ReadResult) -> ReadResult:
    """Refuse a workbook that yields no fee line at all, rather than let it empty the draft it would replace."""
    if result.catalogue.lines:
        return result
    missing = next((f for f in result.findings if f.rule == "missing-sheet"), None)
    if missing is not None:
        raise UploadRefused("missing-sheet", missing.message, dict(missing.params))
    raise UploadRefused("no-lines", NO_LINES, {"examples": examples()})


# The sheets the portal itself writes beside a list (the template's instructions, the findings of a download, the
# issues the check page adds to a workbook it gives back): never the list, whatever titles they hold.
PORTAL_SHEETS = frozenset(
    name
    for names in (template_text.INSTRUCTIONS_SHEET, template_text.FINDINGS_SHEET, template_text.ISSUES_SHEET)
    for name in names.values()
)


def _data_sheet(book: _Book) -> tuple[str | None, list[Finding]]:
    wanted = {layout.normalise_label(name) for name in layout.DATA_SHEET_ALIASES}
    named = [(n, v) for n, v in book.sheets if layout.normalise_label(n) in wanted]
    visible_named = [n for n, v in named if v]
    hidden_named = [n for n, v in named if not v]
    if visible_named:
        chosen = visible_named[0]
        candidates = [n for n, v in book.sheets if v and n != chosen and n not in PORTAL_SHEETS]
        others = [n for n in candidates if _has_header_row(book, n)]
        return chosen, [_hidden_note(h, chosen) for h in hidden_named] + [_other_note(o, chosen) for o in others]
    visible = [n for n, v in book.sheets if v]
    if len(visible) == 1 and len(book.sheets) == 1:
        return visible[0], []
    tables = [n for n in visible if n not in PORTAL_SHEETS and _has_header_row(book, n)]
    hidden_tables = hidden_named or [n for n, v in book.sheets if not v and _has_header_row(book, n)]
    if len(tables) == 1:
        return tables[0], [_hidden_note(h, tables[0]) for h in hidden_tables]
    if len(tables) > 1:
        return None, [_sheet_finding(SEVERAL, {"sheets": "、".join(tables), "expected": layout.DATA_SHEET})]
    if hidden_tables:
        return None, [_sheet_finding(ONLY_HIDDEN, {"hidden": hidden_tables[0]})]
    if len(visible) == 1:
        return visible[0], []
    return None, []


def _has_header_row(book: _Book, name: str) -> bool:
    for row in book.head(name, layout.HEADER_SEARCH_ROWS):
        keys = {c.key for v in row if isinstance(v, str) and (c := layout.match_column(v)) is not None}
        if len(keys) >= layout.MIN_HEADER_MATCHES:
            return True
    return False


def _hidden_lines(sheet: str, rows: list[int]) -> Finding:
    """One warning for the fee lines in hidden rows: read and published as any other, which an office hiding last
    year's fees rather than deleting them does not expect."""
    named = "、".join(map(str, rows[:ROWS_NAMED])) + ("…" if len(rows) > ROWS_NAMED else "")
    params = {"count": len(rows), "rows": named, "sheet": sheet}
    return Finding("hidden-lines", Severity.WARNING, HIDDEN_LINES, params, Location(sheet=sheet))


def _other_note(other: str, sheet: str) -> Finding:
    return Finding(
        "other-sheet", Severity.WARNING, OTHER_SHEET, {"other": other, "sheet": sheet}, Location(sheet=other)
    )


def _hidden_note(hidden: str, sheet: str) -> Finding:
    return Finding(
        "hidden-sheet", Severity.WARNING, HIDDEN_SHEET, {"hidden": hidden, "sheet": sheet}, Location(sheet=hidden)
    )


def _sheet_finding(
    message: str, params: dict[str, object], severity: Severity = Severity.ERROR, rule: str = "missing-sheet"
) -> Finding:
    return Finding(rule, severity, message, params)


def _missing_sheet(book: _Book, notes: Sequence[Finding]) -> ReadResult:
    finding = next(iter(notes), None) or Finding(
        "missing-sheet",
        Severity.ERROR,
        N_(
            "The workbook has no sheet named {expected}; its sheets are {sheets}. Rename the sheet that holds the "
            "fee list to {expected}, or upload a workbook with that sheet only."
        ),
        {"expected": layout.DATA_SHEET, "sheets": ", ".join(book.names)},
    )
    every = frozenset(c.key for c in layout.COLUMNS)
    return ReadResult(CatalogueInput(Header(), ()), (finding,), "", every, format=book.guard.format)
