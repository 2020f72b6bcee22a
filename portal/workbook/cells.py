"""A cell's value as the text the operator sees: numbers without float noise, dates in ISO, no control characters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from portal.validation.vocabulary import INVISIBLE
from portal.workbook import layout
from portal.workbook.format_codes import exact

_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}]")  # dropped: control and invisible characters
# Text that clean and unescape would change other than by stripping: a break, a tab, a control character, a quote.
_UNCLEAN = re.compile(rf"^'|[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
_UNCLEAN_ANYWHERE = re.compile(rf"['\x00-\x1f\x7f-\x9f{INVISIBLE}]")  # in joined cells
_BLANK_LINES = re.compile(r"\n{2,}")
# The values a spreadsheet shows for a formula that failed. Kept as an error (calamine reads it as empty: the scans
# find it) or written as text (LibreOffice cannot paste an error as a value, only its text): either way, no value.
ERROR_VALUES = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
ERROR_MARK = "#"


def cell_text(value: object, *, multiline: bool = False) -> str:
    """A calamine value as the text the operator sees: numbers without float noise, dates in ISO, 是/否."""
    if type(value) is str and not _UNCLEAN.search(value):
        return value.strip()  # most cells
    if isinstance(value, bool):
        return layout.YES if value else layout.NO
    if isinstance(value, float):
        # As Excel shows it: 15 significant digits. A price worked out by a formula and pasted as a value is stored
        # as the nearest binary fraction, which Excel writes with 17 (110.00000000000001, shown as 110).
        return number_text(exact(value))
    if isinstance(value, int):
        return number_text(Decimal(value))
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
    return clean(unescape(str(value)), multiline=multiline)


def percent_text(value: float | int) -> str:
    """A number shown through a percent format, as the operator sees it: 0.1 -> 10%, 0.125 -> 12.5%."""
    return number_text(exact(value) * 100) + "%"


def number_text(number: Decimal) -> str:
    if not number.is_finite():
        return str(number)
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def unescape(text: str) -> str:
    """Undo the writer's formula-injection prefix, so what it wrote reads back unchanged."""
    return text[1:] if text.startswith("'") and layout.looks_like_formula(text[1:]) else text


def clean(text: str, *, multiline: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if multiline:
        lines = (_CONTROL.sub("", line).rstrip() for line in text.split("\n"))
        return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    return _CONTROL.sub("", text.replace("\n", " ")).strip()


def plain_text(cells: Sequence[object], joined: str | None = None) -> bool:
    """Whether every cell is text that cell_text would only strip, none of it too long: one check for the row.

    `joined` is the cells joined by spaces, when the caller has it already."""
    if joined is None:
        try:
            joined = " ".join(cells)  # type: ignore[arg-type]  # a TypeError says some cell is not text
        except TypeError:
            return False
    if _UNCLEAN_ANYWHERE.search(joined):
        return False
    if ERROR_MARK in joined and not ERROR_VALUES.isdisjoint(map(str.strip, cells)):  # type: ignore[arg-type]
        return False  # #N/A written as text: the reader says it
    return len(joined) <= layout.MAX_CELL_CHARS or max(map(len, cells)) <= layout.MAX_CELL_CHARS  # type: ignore[arg-type]


def blank(value: object) -> bool:
    return value == "" or (isinstance(value, str) and not value.strip())
