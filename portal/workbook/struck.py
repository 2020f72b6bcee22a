"""Cells struck through: an office crosses out a fee it no longer charges (or an old price) rather than deleting it.

Read as written, the crossed-out fee would be published as charged: a line whose name cell is struck through, or
whose price cell is, is an error at that cell, saying what was read and what to do. An .xlsx's styles name the fonts
that strike (`<strike/>`, not `val="0"`) and the cell formats using them; the data sheet's valued cells carrying one
of those formats are found by their reference, the sheet read only when some format strikes. An .xls's are found by
oldformats.py (FONT and XF records), an .ods's by its cell styles (`style:text-line-through-style`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Severity
from portal.workbook import refusals
from portal.workbook.number_formats import MAX_CELLS, CellStyles, read_styles, strikes
from portal.workbook.xmlparts import local, parse, xml_chunks

SHARED_STRINGS = "xl/sharedStrings.xml"
CODE = "struck-through"
STRUCK_LINE = N_(
    "Row {row} ({item}) is struck through in the workbook, as an office crosses out a fee it no longer charges, but "
    "it is read as a fee line and would be published. If the fee is no longer charged, delete the row; if it is, "
    "remove the strikethrough."
)
STRUCK_PART = N_(
    "Part of the text in cell {cell} is struck through ({struck}), as an office crosses out an old price or word, but "
    "the whole text is read: {value}. Write only what applies now, without strikethrough."
)
STRUCK_PRICE = N_(
    "The price in cell {cell} ({value}) is struck through, as an office crosses out a price no longer charged, but it "
    "is read as the standard of {item} and would be published. Write the price charged now in its place, without "
    "strikethrough."
)


class _SharedStrings:
    """The shared strings (by index) with a run struck through, and the text of those runs."""

    def __init__(self) -> None:
        self.struck: dict[str, str] = {}
        self._index = -1
        self._run: list[str] | None = None  # the open run's text, when it strikes
        self._in_run = self._in_text = False
        self._runs: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "si":
            self._index += 1
            self._runs = []
        elif tag == "r":
            self._in_run, self._run = True, None
        elif tag == "strike" and self._in_run:
            self._run = [] if strikes(attrs) else None
        elif tag == "t" and self._in_run:
            self._in_text = True

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "t":
            self._in_text = False
        elif tag == "r":
            if self._run is not None and "".join(self._run).strip():
                self._runs.append("".join(self._run).strip())
            self._in_run, self._run = False, None
        elif tag == "si" and self._runs and len(self.struck) < MAX_CELLS:
            self.struck[str(self._index)] = " ".join(self._runs)

    def text(self, data: str) -> None:
        if self._in_text and self._run is not None:
            self._run.append(data)


class _Cells:
    """The valued cells carrying one of `styles` (`found`), and those holding a shared string some of whose text is
    struck through (`partly`: reference -> the struck text)."""

    def __init__(self, styles: frozenset[str], sheet: str, strings: dict[str, str]) -> None:
        self.styles = styles
        self.sheet = sheet
        self.strings = strings
        self.found: set[str] = set()
        self.partly: dict[str, str] = {}
        self._open: str | None = None
        self._shared: str | None = None  # the open shared-string cell's reference
        self._value: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            self._open = attrs.get("r") if attrs.get("s") in self.styles else None
            self._shared = attrs.get("r") if self.strings and attrs.get("t") == "s" else None
        elif tag in ("v", "is") and self._open is not None:
            if len(self.found) >= MAX_CELLS:
                raise refusals.too_many_struck(self.sheet, MAX_CELLS)
            self.found.add(self._open)
            self._open = None
        if tag == "v" and self._shared is not None:
            self._value = []

    def end(self, name: str) -> None:
        if self._value is not None and local(name) == "v":
            struck = self.strings.get("".join(self._value).strip())
            if struck is not None and self._shared is not None and len(self.partly) < MAX_CELLS:
                self.partly[self._shared] = struck
            self._value = self._shared = None

    def text(self, data: str) -> None:
        if self._value is not None:
            self._value.append(data)


class Struck(NamedTuple):
    """A sheet's valued cells struck through (A1), and those whose text is struck in part (A1 -> the struck text)."""

    cells: frozenset[str] = frozenset()
    partly: Mapping[str, str] = {}


def struck_cells(archive: zipfile.ZipFile, part: str, sheet: str = "", styles: CellStyles | None = None) -> Struck:
    """What of worksheet `part`'s cells is struck through: read only when some cell format or shared string strikes."""
    names = set(archive.namelist())
    if part not in names:
        return Struck()
    striking = (styles or read_styles(archive)).striking()
    strings: dict[str, str] = {}
    if SHARED_STRINGS in names and _mentions_strike(archive, SHARED_STRINGS):
        shared = _SharedStrings()
        parse(
            SHARED_STRINGS, xml_chunks(archive, archive.getinfo(SHARED_STRINGS)), shared.start, shared.end, shared.text
        )
        strings = shared.struck
    if not striking and not strings:
        return Struck()
    cells = _Cells(striking, sheet, strings)
    parse(part, xml_chunks(archive, archive.getinfo(part)), cells.start, cells.end, cells.text if strings else None)
    return Struck(frozenset(cells.found), cells.partly)


def _mentions_strike(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the part holds the word strike at all: most shared strings never do, and are not parsed for it."""
    tail = b""
    for chunk in xml_chunks(archive, archive.getinfo(part)):
        if b"strike" in tail + chunk:
            return True
        tail = chunk[-6:]
    return False


def struck_findings(struck: Struck, lines: Iterable[FeeLine]) -> list[Finding]:
    """An error at each line's struck-through name cell, else at its struck-through price cell, else at each of its
    cells whose text is struck through in part."""
    if not struck.cells and not struck.partly:
        return []
    found = []
    for line in lines:
        name, price = line.location("name"), line.location("standard")
        if name.cell in struck.cells:
            params = {"row": line.row, "item": line.name}
            found.append(Finding(CODE, Severity.ERROR, STRUCK_LINE, params, name, line.name, line.key))
        elif price.cell in struck.cells:
            params = {"cell": price.cell, "value": line.standard.strip(), "item": line.name}
            found.append(Finding(CODE, Severity.ERROR, STRUCK_PRICE, params, price, line.name, line.key))
        elif struck.partly:
            for field_name in line.locations:
                where = line.location(field_name)
                if where.cell in struck.partly:
                    value = str(getattr(line, field_name, "")).strip()
                    params = {"cell": where.cell, "struck": struck.partly[where.cell], "value": value}
                    found.append(Finding(CODE, Severity.ERROR, STRUCK_PART, params, where, line.name, line.key))
    return found
