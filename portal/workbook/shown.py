"""Numbers read as the operator sees them, or a finding where what the cell shows is not what it holds.

A number whose format shows it as a percentage is read as that text (0.1 shown as 10% is 10%; 10 shown as 10 with a
percent sign written as text is 10%). A number shown rounded (13.8888888889 through 0.00 shows 13.89) keeps what the
cell holds, which is what Excel works with, and the operator is told at the cell: the list they print says 13.89.
Which cells these are comes from the format: number_formats.py (.xlsx), oldformats.py (.xls, .ods).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import column_index_from_string

from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Location, Severity
from portal.workbook import format_codes
from portal.workbook.cells import number_text, percent_text
from portal.workbook.format_codes import PERCENT, PERCENT_SIGN, Shown

ROUNDED = N_(
    "Cell {cell} shows {shown}, but the number in it is {stored}, and {stored} is what is read: the cell's number "
    "format rounds what it shows. If the fee is {shown}, type {shown} in the cell; otherwise widen the format to show "
    "every decimal place."
)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True)
class RoundedCell:
    """A number cell showing fewer decimal places than it holds (1-based row, column letters)."""

    row: int
    column: str
    shown: Decimal
    stored: Decimal

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}"


def as_shown(rows: Sequence[list[object]], cells: Mapping[str, Shown]) -> list[RoundedCell]:
    """Percent cells rewritten in `rows` as the text they show; the cells shown rounded, left as they are."""
    rounded = []
    for ref, how in cells.items():
        match = _REF.fullmatch(ref)
        if match is None:
            continue
        index, column = int(match.group(2)) - 1, column_index_from_string(match.group(1)) - 1
        if index >= len(rows) or column >= len(rows[index]):
            continue
        value = rows[index][column]
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if how == PERCENT:
            rows[index][column] = percent_text(value)
        elif how == PERCENT_SIGN:
            rows[index][column] = number_text(format_codes.exact(value)) + "%"
        elif isinstance(how, int) and (shown := format_codes.rounded(value, how)) is not None:
            rounded.append(RoundedCell(index + 1, match.group(1), shown, format_codes.exact(value)))
    return rounded


def rounding_findings(sheet: str, rounded: Iterable[RoundedCell], lines: Iterable[FeeLine]) -> list[Finding]:
    """A warning at each cell shown rounded: on its line and field when it is a line's cell."""
    wanted = {(cell.row, cell.column): cell for cell in rounded}
    if not wanted:
        return []
    found = []
    for line in lines:
        for field_name in line.locations:
            location = line.location(field_name)
            cell = wanted.pop((location.row, location.column), None)
            if cell is not None:
                found.append(_finding(cell, location, line.name, line.key))
    found += [_finding(cell, Location(sheet, cell.row, cell.column, None), "", None) for cell in wanted.values()]
    return sorted(found, key=lambda f: (f.location.row or 0, len(f.location.column or ""), f.location.column or ""))


def _finding(cell: RoundedCell, location: Location, item: str, line_key: str | None) -> Finding:
    params = {"cell": cell.cell, "shown": format(cell.shown, "f"), "stored": number_text(cell.stored)}
    return Finding("shown-rounded", Severity.WARNING, ROUNDED, params, location, item, line_key)
