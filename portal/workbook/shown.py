"""Numbers read as the operator sees them, or a finding where what the cell shows is not what it holds.

A number whose format shows it as a percentage is read as that text (0.1 shown as 10% is 10%; 10 shown as 10 with a
percent sign written as text is 10%). A number shown rounded (13.8888888889 through 0.00 shows 13.89) keeps what the
cell holds, which is what Excel works with, and the operator is told at the cell: the list they print says 13.89.
A number whose format writes a currency beside it ("$"#,##0.00 shows 100 as $100.00) is a price in that currency:
a line giving no currency is read in it, with a warning, and a line whose 币种 (currency) names another is an error
at the cell (published as written, $100.00 on the operator's screen would be 100 yuan on the list). A number whose
format writes words beside it that make it not a price (0"元/票起" shows 100 as 100元/票起, "100 or more"; "约"0,
about 100) is read as that text, as the operator sees it: never as the price 100. Which cells these are comes from
the format: number_formats.py (.xlsx), oldformats.py (.xls, .ods).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TypeVar

from openpyxl.utils import column_index_from_string

from portal.validation import vocabulary
from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Location, Severity
from portal.validation.money import price_qualifiers
from portal.workbook import format_codes
from portal.workbook.cells import blank, cell_text, number_text, percent_text
from portal.workbook.format_codes import HIDDEN, HIDDEN_ALL, PERCENT, PERCENT_SIGN, Priced, Shown, Worded

ROUNDED = N_(
    "Cell {cell} shows {shown}, but the number in it is {stored}, and {stored} is what is read: the cell's number "
    "format rounds what it shows. If the fee is {shown}, type {shown} in the cell; otherwise widen the format to show "
    "every decimal place."
)
IN_FORMAT_CURRENCY = N_(
    "The number format of cells {cells} writes {sign} beside the price, and their lines ({count} in all) give no "
    "currency, so they are read in {currency}. Write {currency} in their 币种 (currency) column to make it plain on "
    "the published list."
)
FORMAT_CURRENCY_CONFLICT = N_(
    "Cell {cell} shows its price with {sign} through its number format, but the line's currency (币种) is "
    "{currency}: the list would publish {value} {currency}. Make the two agree: change the cell's number format "
    "(Format Cells > Number) or the currency."
)
HIDDEN_BY_FORMAT = N_(
    "Cell {cell} shows nothing: its number format (such as ;;;) hides what it holds, {value}, and {value} is what "
    "is read and would be published. If it no longer applies, delete it; otherwise give the cell a format that shows "
    "it (Format Cells > Number > General)."
)
HIDDEN_CODE = "hidden-by-format"
CURRENCY_CODE = "format-currency"
CELLS_NAMED = 5  # cells named in the warning; the count says how many
T = TypeVar("T")
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


@dataclass
class ShownCells:
    """What a sheet's formats show otherwise and is left as it is: numbers shown rounded, numbers shown as prices in
    a currency ((1-based row, column letters) -> how)."""

    rounded: list[RoundedCell] = field(default_factory=list)
    priced: dict[tuple[int, str], Priced] = field(default_factory=dict)
    hidden: dict[tuple[int, str], str] = field(default_factory=dict)  # -> the value hidden, as text


def as_shown(rows: Sequence[list[object]], cells: Mapping[str, Shown]) -> ShownCells:
    """Percent cells rewritten in `rows` as the text they show; the cells shown rounded or priced, as they are."""
    found = ShownCells()
    rounded, priced = found.rounded, found.priced
    for ref, how in cells.items():
        match = _REF.fullmatch(ref)
        if match is None:
            continue
        index, column = int(match.group(2)) - 1, column_index_from_string(match.group(1)) - 1
        if index >= len(rows) or column >= len(rows[index]):
            continue
        value = rows[index][column]
        if how == HIDDEN_ALL and not blank(value):
            found.hidden[(index + 1, match.group(1))] = cell_text(value)
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if how == HIDDEN:
            found.hidden[(index + 1, match.group(1))] = cell_text(value)
            continue
        if isinstance(how, Worded):
            text = _worded(value, how)
            if price_qualifiers(text):  # 100 shown as 100元/票起: read as shown, and vague-standard names the word
                rows[index][column] = text
                continue
            how = how.shown
        if isinstance(how, Priced):
            priced[(index + 1, match.group(1))] = how
            how = how.shown
        if how == PERCENT:
            rows[index][column] = percent_text(value)
        elif how == PERCENT_SIGN:
            rows[index][column] = number_text(format_codes.exact(value)) + "%"
        elif isinstance(how, int) and (shown := format_codes.rounded(value, how)) is not None:
            rounded.append(RoundedCell(index + 1, match.group(1), shown, format_codes.exact(value)))
    return found


def _worded(value: float | int, how: Worded) -> str:
    """The number as the format shows it, with its words: 100 through 0.00"元/票起" is 100.00元/票起."""
    inner = how.shown.shown if isinstance(how.shown, Priced) else how.shown
    number = format_codes.exact(value)
    if isinstance(inner, int):
        number = format_codes.rounded(value, inner) or number.quantize(Decimal(1).scaleb(-inner))
    return f"{how.before}{number_text(number) if inner is None else format(number, 'f')}{how.after}".strip()


def in_format_currency(
    priced: Mapping[tuple[int, str], Priced], lines: tuple[FeeLine, ...]
) -> tuple[tuple[FeeLine, ...], list[Finding]]:
    """The lines, those giving no currency read in the one their price cell's format shows (one warning for each
    currency), and an error at each price cell whose format shows another currency than its line's."""
    if not priced:
        return lines, []
    findings: list[Finding] = []
    blank: dict[str, list[tuple[FeeLine, Location, Priced]]] = {}
    for line in lines:
        location = line.location("standard")
        how = priced.get((location.row or 0, location.column or ""))
        if how is None:
            continue
        written = vocabulary.compact(line.currency)
        if not written:
            if how.currency != vocabulary.DEFAULT_CURRENCY:
                blank.setdefault(how.currency, []).append((line, location, how))
        elif vocabulary.CURRENCY_WORDS.get(written, how.currency) != how.currency:
            findings.append(_conflict(line, location, how))
    chosen = {id(line): currency for currency, found in blank.items() for line, _, _ in found}
    for currency, found in blank.items():
        findings.append(_in_currency(currency, found))
    if chosen:
        lines = tuple(replace(line, currency=chosen[id(line)]) if id(line) in chosen else line for line in lines)
    return lines, findings


def _in_currency(currency: str, found: list[tuple[FeeLine, Location, Priced]]) -> Finding:
    cells = [f"{location.column}{location.row}" for _, location, _ in found]
    named = ", ".join(cells[:CELLS_NAMED]) + (", …" if len(cells) > CELLS_NAMED else "")
    line, location, how = found[0]
    params = {"count": len(cells), "cells": named, "sign": _sign(how), "currency": currency}
    return Finding(CURRENCY_CODE, Severity.WARNING, IN_FORMAT_CURRENCY, params, location, line.name, line.key)


def _conflict(line: FeeLine, location: Location, how: Priced) -> Finding:
    params = {
        "cell": f"{location.column}{location.row}",
        "sign": _sign(how),
        "currency": line.currency.strip(),
        "value": line.standard.strip(),
    }
    return Finding(CURRENCY_CODE, Severity.ERROR, FORMAT_CURRENCY_CONFLICT, params, location, line.name, line.key)


def hidden_findings(hidden: Mapping[tuple[int, str], str], lines: Iterable[FeeLine]) -> list[Finding]:
    """An error at each line's cell whose format hides what it holds (;;;): the operator sees nothing there."""
    return [
        Finding(HIDDEN_CODE, Severity.ERROR, HIDDEN_BY_FORMAT, {"cell": where.cell, "value": value}, where, *_of(line))
        for line, where, value in on_lines(hidden, lines)
    ]


def on_lines(cells: Mapping[tuple[int, str], T], lines: Iterable[FeeLine]) -> Iterator[tuple[FeeLine, Location, T]]:
    """Each line's cell found in `cells` (keyed by 1-based row and column letters), with its location and entry."""
    if not cells:
        return
    for line in lines:
        for field_name in line.locations:
            where = line.location(field_name)
            entry = cells.get((where.row or 0, where.column or ""))
            if entry is not None:
                yield line, where, entry


def _of(line: FeeLine) -> tuple[str, str | None]:
    return line.name, line.key


def _sign(how: Priced) -> str:
    """$ (USD); USD alone when the format writes the code."""
    return how.sign if how.sign == how.currency else f"{how.sign} ({how.currency})"


def rounding_findings(sheet: str, rounded: Iterable[RoundedCell], lines: Iterable[FeeLine]) -> list[Finding]:
    """A warning at each cell shown rounded: on its line and field when it is a line's cell."""
    wanted = {(cell.row, cell.column): cell for cell in rounded}
    found, said = [], set()
    for line, where, cell in on_lines(wanted, lines):
        if (cell.row, cell.column) not in said:  # a cell several lines share (a merged price): said once
            said.add((cell.row, cell.column))
            found.append(_finding(cell, where, *_of(line)))
    found += [
        _finding(cell, Location(sheet, cell.row, cell.column, None), "", None)
        for key, cell in wanted.items()
        if key not in said
    ]
    return sorted(found, key=lambda f: (f.location.row or 0, len(f.location.column or ""), f.location.column or ""))


def _finding(cell: RoundedCell, location: Location, item: str, line_key: str | None) -> Finding:
    params = {"cell": cell.cell, "shown": format(cell.shown, "f"), "stored": number_text(cell.stored)}
    return Finding("shown-rounded", Severity.WARNING, ROUNDED, params, location, item, line_key)
