"""Reads an uploaded workbook in the prescribed format into raw-text FeeLines and located findings."""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import python_calamine
from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import N_, Finding
from portal.validation.model import CatalogueInput, FeeLine, Header, Location, Severity
from portal.workbook import layout
from portal.workbook.guard import GuardLimits, GuardResult, UploadRefused, inspect_upload
from portal.workbook.layout import Column

FORMULA_FINDINGS = 100  # formula cells reported one by one; the rest are summed up in one finding
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# Text that _clean and _unescape would change other than by stripping: a break, a tab, a control character, a quote.
_UNCLEAN = re.compile(r"^'|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_UNCLEAN_ANYWHERE = re.compile(r"['\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")  # in joined cells
_BLANK_LINES = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class ReadResult:
    """The list as read, the reader's own findings, the data sheet's name, and the known columns the table lacks."""

    catalogue: CatalogueInput
    findings: tuple[Finding, ...]
    sheet: str
    absent_columns: frozenset[str] = field(default_factory=frozenset)


def read_workbook(
    data: bytes, filename: str, *, max_rows: int = layout.MAX_ROWS, limits: GuardLimits | None = None
) -> ReadResult:
    """Guard the upload, then read its data sheet; UploadRefused propagates when the file cannot be read."""
    guard = inspect_upload(data, filename, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_name = _data_sheet(book)
        if sheet_name is None:
            return _missing_sheet(book)
        sheet = book.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError) as error:
        raise UploadRefused(
            "unreadable",
            N_(
                "The workbook could not be read. Open it in Excel or WPS, save it again as Excel Workbook (.xlsx) "
                "and upload it again."
            ),
            {"detail": str(error)},
        ) from error
    return _SheetReader(sheet_name, rows, merged, guard, max_rows).read()


NO_LINES = N_(
    "No fee line could be read from the workbook, so nothing was changed. Above the fee lines one row must hold the "
    "column titles, such as {examples}, with one fee per row below it, as in the template. Fill them in and upload "
    "the workbook again."
)


def refuse_if_empty(result: ReadResult) -> ReadResult:
    """Refuse a workbook that yields no fee line at all, rather than let it empty the draft it would replace.

    The CLI reports such a workbook's findings; an upload is refused, so the stored draft stays as it was.
    """
    if result.catalogue.lines:
        return result
    missing = next((f for f in result.findings if f.rule == "missing-sheet"), None)
    if missing is not None:
        raise UploadRefused("missing-sheet", missing.message, dict(missing.params))
    raise UploadRefused("no-lines", NO_LINES, {"examples": _examples()})


def _data_sheet(book: python_calamine.CalamineWorkbook) -> str | None:
    worksheets = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    wanted = {layout.normalise_label(name) for name in layout.DATA_SHEET_ALIASES}
    for name in worksheets:
        if layout.normalise_label(name) in wanted:
            return name
    return worksheets[0] if len(worksheets) == 1 else None


def _missing_sheet(book: python_calamine.CalamineWorkbook) -> ReadResult:
    finding = Finding(
        "missing-sheet",
        Severity.ERROR,
        N_(
            "The workbook has no sheet named {expected}; its sheets are {sheets}. Rename the sheet that holds the "
            "fee list to {expected}, or upload a workbook with that sheet only."
        ),
        {"expected": layout.DATA_SHEET, "sheets": ", ".join(book.sheet_names)},
    )
    return ReadResult(CatalogueInput(Header(), ()), (finding,), "", frozenset(c.key for c in layout.COLUMNS))


def cell_text(value: object, *, multiline: bool = False) -> str:
    """A calamine value as the text the operator sees: numbers without float noise, dates in ISO, 是/否."""
    if type(value) is str and not _UNCLEAN.search(value):
        return value.strip()  # most cells
    if isinstance(value, bool):
        return layout.YES if value else layout.NO
    if isinstance(value, float | int):
        return _number_text(Decimal(str(value)))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, timedelta):
        return str(value)
    return _clean(_unescape(str(value)), multiline=multiline)


def _number_text(number: Decimal) -> str:
    if not number.is_finite():
        return str(number)
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def _unescape(text: str) -> str:
    """Undo the writer's formula-injection prefix, so what it wrote reads back unchanged."""
    return text[1:] if text.startswith("'") and layout.looks_like_formula(text[1:]) else text


def _clean(text: str, *, multiline: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if multiline:
        lines = (_CONTROL.sub("", line).rstrip() for line in text.split("\n"))
        return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    return _CONTROL.sub("", text.replace("\n", " ")).strip()


class _SheetReader:
    """One pass over the data sheet: header block, header row, then one FeeLine per non-empty row."""

    def __init__(
        self,
        sheet: str,
        rows: Sequence[Sequence[object]],
        merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
        guard: GuardResult,
        max_rows: int,
    ) -> None:
        self.sheet = sheet
        self.rows = rows
        self.max_rows = max_rows
        self.formulas: dict[str, str | None] = dict.fromkeys(guard.formulas_in(sheet))  # ref -> field read there
        self.findings: list[Finding] = []
        self.long_cells: set[tuple[int, int]] = set()
        self.width = len(rows[0]) if rows else 0
        self.fills = _merge_fills(merged, len(rows), self.width)
        self.last_row = 0  # 1-based, the last row looked at

    def read(self) -> ReadResult:
        header_index = self._find_header_row()
        if header_index is None:
            self.last_row = min(len(self.rows), layout.HEADER_SEARCH_ROWS)
            header = self._header_block(self.last_row)
            self.findings.append(
                Finding(
                    "missing-header-row",
                    Severity.ERROR,
                    N_(
                        "No row of column titles was found in the first {limit} rows of sheet {sheet}. Above the "
                        "fee lines, one row must hold the column titles, such as {examples}, as in the template."
                    ),
                    {"limit": layout.HEADER_SEARCH_ROWS, "sheet": self.sheet, "examples": _examples()},
                    Location(sheet=self.sheet),
                )
            )
            return self._result(header, (), frozenset(c.key for c in layout.COLUMNS))
        header = self._header_block(header_index)
        columns = self._columns(header_index)
        lines = self._lines(header_index, columns)
        absent = frozenset(c.key for c in layout.COLUMNS) - {c.key for c in columns.values()}
        return self._result(header, lines, absent)

    def _result(self, header: Header, lines: tuple[FeeLine, ...], absent: frozenset[str]) -> ReadResult:
        self.findings.extend(self._formula_findings(lines))
        findings = sorted(self.findings, key=lambda f: (f.location.row or 0) if f.location else 0)
        return ReadResult(CatalogueInput(header, lines, absent_fields=absent), tuple(findings), self.sheet, absent)

    def _own(self, index: int, column: int) -> object:
        row = self.rows[index]
        return row[column] if column < len(row) else ""

    def _value(self, index: int, column: int) -> object:
        """The cell's value, or the top-left value of the merged range covering it."""
        origin = self.fills.get((index, column))
        if origin is not None:
            return self._own(*origin)
        return self._own(index, column)

    def _text(self, index: int, column: int, field_name: str, *, multiline: bool = False) -> str:
        origin = (index, column)
        if self.fills:
            origin = self.fills.get(origin, origin)
        if self.formulas:
            ref = f"{get_column_letter(origin[1] + 1)}{origin[0] + 1}"
            if ref in self.formulas:
                self.formulas[ref] = field_name
                return ""
        text = cell_text(self._own(*origin), multiline=multiline)
        if len(text) <= layout.MAX_CELL_CHARS:
            return text
        if origin not in self.long_cells:
            self.long_cells.add(origin)
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

    def _find_header_row(self) -> int | None:
        for index in range(min(len(self.rows), layout.HEADER_SEARCH_ROWS)):
            matches = {
                column.key
                for value in self.rows[index]
                if isinstance(value, str) and (column := layout.match_column(value)) is not None
            }
            if len(matches) >= layout.MIN_HEADER_MATCHES:
                return index
        return None

    def _header_block(self, end: int) -> Header:
        values: dict[str, str] = {}
        locations: dict[str, Location] = {}
        for index in range(end):
            row = self.rows[index]
            label = row[0] if row else ""
            entry = layout.match_header_field(label) if isinstance(label, str) and label.strip() else None
            if entry is None or entry.attr in values:
                continue
            column = next((c for c in range(1, len(row)) if not _blank(row[c])), 1)
            values[entry.attr] = self._text(index, column, entry.attr)
            locations[entry.attr] = Location(self.sheet, index + 1, get_column_letter(column + 1), entry.attr)
        return Header(**values, locations=locations)

    def _columns(self, header_index: int) -> dict[int, Column]:
        """Column index -> Column, one finding per unknown or repeated title."""
        titles: dict[int, str] = {}
        for c in range(len(self.rows[header_index])):
            origin = self.fills.get((header_index, c))
            if origin is not None and origin[0] == header_index:
                continue  # the rest of a title merged across columns
            titles[c] = cell_text(self._value(header_index, c), multiline=True)
        found: dict[int, Column] = {}
        first_at: dict[str, int] = {}
        for c, title in titles.items():
            column = layout.match_column(title) if title else None
            if column is not None and column.key not in first_at:
                found[c] = column
                first_at[column.key] = c
        for c, title in titles.items():
            if not title or c in found:
                continue
            location = Location(self.sheet, header_index + 1, get_column_letter(c + 1), None)
            column = layout.match_column(title)
            if column is not None:
                self.findings.append(
                    Finding(
                        "duplicate-column",
                        Severity.WARNING,
                        N_("Column {label} appears again in cell {cell}; only the first, in {first}, is read."),
                        {
                            "label": title,
                            "cell": location.cell,
                            "first": f"{get_column_letter(first_at[column.key] + 1)}{header_index + 1}",
                        },
                        location,
                    )
                )
            else:
                self.findings.append(_unknown_column(title, location, set(first_at)))
        for column in layout.COLUMNS:
            if column.required and column.key not in first_at:
                self.findings.append(
                    Finding(
                        "missing-field",
                        Severity.ERROR,
                        N_(
                            "The table has no {label} column, which is required. Add it to the row of column "
                            "titles (row {row}), as in the template."
                        ),
                        {"label": column.bilingual, "row": header_index + 1},
                        Location(self.sheet, header_index + 1, None, column.key),
                    )
                )
        return found

    def _lines(self, header_index: int, columns: dict[int, Column]) -> tuple[FeeLine, ...]:
        lines: list[FeeLine] = []
        letters = {column.key: get_column_letter(c + 1) for c, column in columns.items()}
        plain = not self.fills and not self.formulas  # no cell is merged or holds a formula: rows may be taken whole
        self.last_row = header_index + 1
        for index in range(header_index + 1, len(self.rows)):
            if all(_blank(value) for value in self.rows[index]):
                self.last_row = index + 1
                continue
            if len(lines) == self.max_rows:
                self.findings.append(
                    Finding(
                        "too-many-rows",
                        Severity.ERROR,
                        N_(
                            "The list has more than {limit} fee lines; reading stopped at row {row}. Remove empty or "
                            "repeated rows, or ask the port bureau how to submit a list this long."
                        ),
                        {"limit": self.max_rows, "row": index + 1},
                        Location(self.sheet, index + 1, None, None),
                    )
                )
                break
            self.last_row = index + 1
            lines.append(self._line(index, columns, letters, plain=plain))
        return tuple(lines)

    def _line(self, index: int, columns: dict[int, Column], letters: Mapping[str, str], *, plain: bool) -> FeeLine:
        row = index + 1
        values: dict[str, str] = {"name": ""}  # FeeLine requires a name even when the column is missing
        cells = self.rows[index]
        if plain and len(cells) == self.width and _plain_text(cells):  # what _text makes of most rows, in C
            # letters has the keys of columns, in the same order
            values.update(zip(letters, map(str.strip, map(cells.__getitem__, columns)), strict=True))
        else:
            for c, column in columns.items():
                values[column.key] = self._text(index, c, column.key, multiline=column.multiline)
        return FeeLine(**values, key=str(row), row=row, locations=_Cells(self.sheet, row, letters))

    def _formula_findings(self, lines: tuple[FeeLine, ...]) -> list[Finding]:
        names = {line.row: line.name for line in lines}
        keys = {line.row: line.key for line in lines}
        cells = []
        for ref in self.formulas:
            letters = ref.rstrip("0123456789")
            row = int(ref[len(letters) :])
            if row <= self.last_row:
                cells.append((row, len(letters), letters, ref))
        cells.sort()
        findings = []
        for row, _, letters, ref in cells[:FORMULA_FINDINGS]:
            findings.append(
                Finding(
                    "formula-not-allowed",
                    Severity.ERROR,
                    N_(
                        "Cell {cell} on sheet {sheet} holds a formula. Type the value itself (copy the cells, then "
                        "paste values only); the formula is not read."
                    ),
                    {"cell": ref, "sheet": self.sheet},
                    Location(self.sheet, row, letters, self.formulas[ref]),
                    item=names.get(row, ""),
                    line_key=keys.get(row),
                )
            )
        if len(cells) > FORMULA_FINDINGS:
            row, _, letters, ref = cells[FORMULA_FINDINGS]
            findings.append(
                Finding(
                    "formula-not-allowed",
                    Severity.ERROR,
                    N_("{count} more cells on sheet {sheet}, from {cell} on, hold formulas that are not read."),
                    {"count": len(cells) - FORMULA_FINDINGS, "sheet": self.sheet, "cell": ref},
                    Location(self.sheet, row, letters, None),
                )
            )
        return findings


class _Cells(Mapping[str, Location]):
    """A line's field -> cell, each Location made when asked: only lines with findings are ever located."""

    __slots__ = ("_sheet", "_row", "_letters")

    def __init__(self, sheet: str, row: int, letters: Mapping[str, str]) -> None:
        self._sheet = sheet
        self._row = row
        self._letters = letters  # field -> column letter, shared by every line of the sheet

    def __getitem__(self, field_name: str) -> Location:
        return Location(self._sheet, self._row, self._letters[field_name], field_name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._letters)

    def __len__(self) -> int:
        return len(self._letters)


def _plain_text(cells: Sequence[object]) -> bool:
    """Whether every cell is text that cell_text would only strip, none of it too long: one check for the row."""
    try:
        joined = " ".join(cells)  # a TypeError says some cell is not text
    except TypeError:
        return False
    if _UNCLEAN_ANYWHERE.search(joined):
        return False
    return len(joined) <= layout.MAX_CELL_CHARS or max(map(len, cells)) <= layout.MAX_CELL_CHARS


def _blank(value: object) -> bool:
    return value == "" or (isinstance(value, str) and not value.strip())


def _merge_fills(
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]], height: int, width: int
) -> dict[tuple[int, int], tuple[int, int]]:
    """Each covered cell (zero-based) -> the top-left cell of its merged range.

    Ranges are clipped to the sheet's cells, and filling stops once it has covered as many cells as the sheet holds:
    Excel never overlaps merges, so only a hostile file reaches that bound.
    """
    fills: dict[tuple[int, int], tuple[int, int]] = {}
    budget = height * width
    for (r0, c0), (r1, c1) in merged:
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        area = max(0, r1 - r0 + 1) * max(0, c1 - c0 + 1)
        if area > budget:
            break
        budget -= area
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fills[(r, c)] = (r0, c0)
    return fills


def _unknown_column(title: str, location: Location, present: set[str]) -> Finding:
    missing = [c for c in layout.COLUMNS if c.key not in present] or list(layout.COLUMNS)
    by_label = {layout.normalise_label(label): c for c in missing for label in c.labels}
    close = difflib.get_close_matches(layout.normalise_label(title), list(by_label), n=1, cutoff=0.5)
    params: dict[str, object] = {"label": title, "cell": location.cell}
    if close:
        params["suggestion"] = by_label[close[0]].bilingual
        message = N_(
            "Column title {label} in cell {cell} is not a column of the prescribed format; did you mean "
            "{suggestion}? Its values are not read."
        )
    else:
        params["known"] = ", ".join(c.zh for c in layout.COLUMNS)
        message = N_(
            "Column title {label} in cell {cell} is not a column of the prescribed format, so its values are not "
            "read. The columns are: {known}."
        )
    return Finding("unknown-column", Severity.WARNING, message, params, location)


def _examples() -> str:
    return ", ".join(layout.COLUMN_BY_KEY[key].bilingual for key in ("name", "service_content", "standard"))
