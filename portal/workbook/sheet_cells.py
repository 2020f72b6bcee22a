"""A sheet's cells as the reader sees them: merged ranges filled from their first cell, formulas set aside,
day numbers in date fields read as dates, over-long texts cut and error values (#N/A) read as empty, each with a
finding."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time, timedelta

from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import N_, Finding
from portal.validation.model import Location, Severity
from portal.workbook import layout
from portal.workbook.cells import ERROR_VALUES, cell_text
from portal.workbook.merges import Merges

EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's date serials (the 1900 date system) for dates after 1900-02-28
MAC_EPOCH = date(1904, 1, 1)  # day 0 in a workbook saved with the 1904 date system (workbookPr date1904)
SERIALS = range(20_000, 73_051)  # Excel date serials of 1954-10-03 .. 2099-12-31: numbers a date field may hold


NUMBER_FIELDS = frozenset({"standard", "line_no"})  # fields a date never is: a date there is a number's format
DATE_FORMAT = N_(
    "Cell {cell} is formatted as a date or a time, so the number in it reads as {shown}, not as a price or a number; "
    "it is read as empty. Give the cell a number or text format (in Excel or WPS: Format Cells > Number) and type "
    "the value again."
)
CELL_FINDINGS = 100  # cells of one kind (error values, dates for prices) named one by one; the rest summed up
ROWS_NAMED = 10  # rows or cells one summing finding names (hidden lines, cells written 同上) before it only counts
MORE_CELLS = {
    "error-value": N_(
        "{count} more cells of sheet {sheet}, from {cell} on, show an error value (such as #N/A) and are read as empty."
    ),
    "date-format": N_(
        "{count} more cells of sheet {sheet}, from {cell} on, are formatted as a date or a time and are read as empty."
    ),
}
ERROR_VALUE = N_(
    "Cell {cell} shows the error {error}: a formula that failed, or its result pasted as a value. It is read as "
    "empty. Write the value itself in the cell."
)


class SheetCells:
    """The rows calamine read, the merges over them, the formula cells the guard found, and the findings so far."""

    def __init__(
        self,
        sheet: str,
        rows: Sequence[Sequence[object]],
        merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
        formulas: Sequence[str],
        max_rows: int,
        epoch: date = EXCEL_EPOCH,
        hidden_columns: frozenset[int] = frozenset(),
        errors: Mapping[str, str] | None = None,
    ) -> None:
        self.sheet = sheet
        self.errors = dict(errors or {})  # A1 -> the error value the cell shows (#N/A): read as empty, and said
        self.said: set[tuple[str, tuple[int, int]]] = set()  # (rule, cell): a cell merged over rows is said once
        self.cell_findings: dict[str, int] = {}  # rule -> cells found so (_cell_finding)
        self.first_unnamed: dict[str, Location] = {}  # rule -> the first cell past those named one by one
        self.hidden_columns = hidden_columns  # 1-based: a title there gives way to the same title in a visible column
        self.epoch = epoch
        self.serials = range(SERIALS.start - (epoch - EXCEL_EPOCH).days, SERIALS.stop - (epoch - EXCEL_EPOCH).days)
        self.rows = rows
        self.max_rows = max_rows
        self.formulas: dict[str, str | None] = dict.fromkeys(formulas)  # ref -> field read there
        self.findings: list[Finding] = []
        self.width = max((len(r) for r in rows[:200]), default=0) if rows else 0
        self.merges = Merges(merged, len(rows), max(self.width, max(map(len, rows), default=0)))
        self.last_row = 0  # 1-based, the last row looked at
        self.end_row: int | None = None  # 1-based, the row that ended the table
        self.groups: tuple = ()  # header_row.Group: sub-columns of a two-row header
        self.untitled: list[int] = []  # columns without a title in the header row (0-based)
        self.spread_titles: dict[int, tuple[str, str]] = {}  # column under a title merged across -> (cell, title)
        self.title_currency: tuple[str, Location, str] | None = None  # 收费标准(USD): (USD, its cell, the title)
        self.block_text: str | None = None  # every cell of a block of plain rows, joined (table._plain_block)

    # -- cells --------------------------------------------------------------------------------------------------

    def _own(self, index: int, column: int) -> object:
        row = self.rows[index]
        return row[column] if column < len(row) else ""

    def _origin(self, index: int, column: int) -> tuple[int, int]:
        if self.merges:
            return self.merges.origin(index, column) or (index, column)
        return index, column

    def _value(self, index: int, column: int) -> object:
        """The cell's value, or the top-left value of the merged range covering it."""
        return self._own(*self._origin(index, column))

    def _text(self, index: int, column: int, field_name: str, *, multiline: bool = False) -> str:
        origin = self._origin(index, column)
        if self.formulas:
            ref = f"{get_column_letter(origin[1] + 1)}{origin[0] + 1}"
            if ref in self.formulas:
                if field_name == "line_no":  # a line number worked out (=ROW()-9): its cached value is the number
                    del self.formulas[ref]
                else:
                    self.formulas[ref] = field_name
                    return ""
        if self.errors:
            ref = f"{get_column_letter(origin[1] + 1)}{origin[0] + 1}"
            if ref in self.errors:
                self._error_value(origin, field_name, self.errors.pop(ref))
                return ""
        value = self._own(*origin)
        if field_name in layout.DATE_FIELDS and self.is_serial(value):
            return self._serial_date(value, origin, field_name)
        if field_name in NUMBER_FIELDS and isinstance(value, date | time | timedelta):
            return self._shown_as_date(value, origin, field_name)
        text = cell_text(value, multiline=multiline)
        if text in ERROR_VALUES:  # #N/A as text
            self._error_value(origin, field_name, text)
            return ""
        if len(text) <= layout.MAX_CELL_CHARS:
            return text
        if self._first_time("invalid-value", origin):
            location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
            self.findings.append(
                Finding(
                    "invalid-value",
                    Severity.ERROR,
                    N_(
                        "Cell {cell} holds {length} characters; only the first {limit} are kept. Shorten it, or put "
                        "the detail in a document the list refers to."
                    ),
                    {"cell": location.cell, "length": len(text), "limit": layout.MAX_CELL_CHARS},
                    location,
                )
            )
        return text[: layout.MAX_CELL_CHARS]

    def _shown_as_date(self, value: object, origin: tuple[int, int], field_name: str) -> str:
        """A price or line number in a cell formatted as a date or time: Excel shows 100 as 1900-04-09, and the file
        holds a day number the reader cannot tell back for sure (Excel's 1900 has a 29 February). Read as empty, and
        said at the cell; it was read as the date, and judged as a negative range."""
        if self._first_time("date-format", origin):
            location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
            self._cell_finding("date-format", DATE_FORMAT, {"cell": location.cell, "shown": cell_text(value)}, location)
        return ""

    def _error_value(self, origin: tuple[int, int], field_name: str | None, shown: str) -> None:
        """An error value (#N/A, #REF!) in a cell, kept as one or written as text: read as empty, and said once."""
        if not self._first_time("error-value", origin):
            return
        location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
        self._cell_finding("error-value", ERROR_VALUE, {"cell": location.cell, "error": shown}, location)

    def _first_time(self, rule: str, origin: tuple[int, int]) -> bool:
        """Whether `rule` has not yet been said of the cell at `origin`; from now on it has. A cell merged down over
        several lines is read for each of them, and said once."""
        if (rule, origin) in self.said:
            return False
        self.said.add((rule, origin))
        return True

    def _cell_finding(self, rule: str, message: str, params: dict[str, object], location: Location) -> None:
        """An error about one cell, named cell by cell up to CELL_FINDINGS of its kind; the rest are counted, and
        summed up in one finding (_more_cells): a sheet of a million such cells stays a short list."""
        count = self.cell_findings.get(rule, 0)
        self.cell_findings[rule] = count + 1
        if count < CELL_FINDINGS:
            self.findings.append(Finding(rule, Severity.ERROR, message, params, location))
        elif count == CELL_FINDINGS:
            self.first_unnamed[rule] = location

    def _more_cells(self) -> list[Finding]:
        """One finding for each kind of cell finding past the first CELL_FINDINGS, from the first not named."""
        found = []
        for rule, count in self.cell_findings.items():
            if count > CELL_FINDINGS:
                location = self.first_unnamed[rule]
                params = {"count": count - CELL_FINDINGS, "sheet": self.sheet, "cell": location.cell}
                found.append(Finding(rule, Severity.ERROR, MORE_CELLS[rule], params, location))
        return found

    def _serial_date(self, value: object, origin: tuple[int, int], field_name: str) -> str:
        day = (self.epoch + timedelta(days=int(float(value)))).isoformat()  # type: ignore[arg-type]
        if not self._first_time("date-as-number", origin):
            return day
        location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
        self.findings.append(
            Finding(
                "date-as-number",
                Severity.WARNING,
                N_(
                    "Cell {cell} holds the number {number}, which Excel uses for the date {date}; it is read as "
                    "{date}. Check the date, and format the cell as a date (or type it as {date}) so it shows as one."
                ),
                {"cell": location.cell, "number": cell_text(value), "date": day},
                location,
            )
        )
        return day

    def is_serial(self, value: object) -> bool:
        """Whether `value` is a number that this workbook's date system would show as a date of 1954..2099."""
        return isinstance(value, int | float) and not isinstance(value, bool) and int(value) in self.serials
