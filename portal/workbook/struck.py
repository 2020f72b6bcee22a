"""Cells struck through: an office crosses out a fee it no longer charges (or an old price) rather than deleting it.

Read as written, the crossed-out fee would be published as charged: a line whose name cell is struck through, or
whose price cell is, is an error at that cell, saying what was read and what to do. An .xlsx's styles name the fonts
that strike (`<strike/>`, not `val="0"`) and the cell formats using them; the data sheet's valued cells carrying one
of those formats are found by their reference, the sheet read only when some format strikes. An .xls's are found by
oldformats.py (FONT and XF records), an .ods's by its cell styles (`style:text-line-through-style`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Severity
from portal.workbook import refusals
from portal.workbook.number_formats import MAX_CELLS, STYLES
from portal.workbook.xmlparts import local, parse, xml_chunks

CODE = "struck-through"
STRUCK_LINE = N_(
    "Row {row} ({item}) is struck through in the workbook, as an office crosses out a fee it no longer charges, but "
    "it is read as a fee line and would be published. If the fee is no longer charged, delete the row; if it is, "
    "remove the strikethrough."
)
STRUCK_PRICE = N_(
    "The price in cell {cell} ({value}) is struck through, as an office crosses out a price no longer charged, but it "
    "is read as the standard of {item} and would be published. Write the price charged now in its place, without "
    "strikethrough."
)
_OFF = ("0", "false")


class _Styles:
    """The cell formats (a cell's `s`) whose font strikes through."""

    def __init__(self) -> None:
        self._fonts: list[bool] = []  # <fonts>' fonts in order: whether each strikes
        self._in_fonts = self._in_cell_xfs = False
        self.formats: list[str] = []  # fontId of each cellXfs entry, in order

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "fonts":
            self._in_fonts = True
        elif tag == "font" and self._in_fonts:
            self._fonts.append(False)
        elif tag == "strike" and self._in_fonts and self._fonts:
            self._fonts[-1] = attrs.get("val", "1").strip().lower() not in _OFF
        elif tag == "cellXfs":
            self._in_cell_xfs = True
        elif tag == "xf" and self._in_cell_xfs:
            self.formats.append(attrs.get("fontId", "0"))

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "fonts":
            self._in_fonts = False
        elif tag == "cellXfs":
            self._in_cell_xfs = False

    def striking(self) -> frozenset[str]:
        struck = {str(n) for n, strikes in enumerate(self._fonts) if strikes}
        return frozenset(str(index) for index, font in enumerate(self.formats) if font in struck)


class _Cells:
    """The valued cells carrying one of `styles`."""

    def __init__(self, styles: frozenset[str], sheet: str) -> None:
        self.styles = styles
        self.sheet = sheet
        self.found: set[str] = set()
        self._open: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            self._open = attrs.get("r") if attrs.get("s") in self.styles else None
        elif tag in ("v", "is") and self._open is not None:
            if len(self.found) >= MAX_CELLS:
                raise refusals.too_many_struck(self.sheet, MAX_CELLS)
            self.found.add(self._open)
            self._open = None


def struck_cells(archive: zipfile.ZipFile, part: str, sheet: str = "") -> frozenset[str]:
    """The A1 references of worksheet `part`'s valued cells whose font strikes through."""
    names = set(archive.namelist())
    if STYLES not in names or part not in names:
        return frozenset()
    styles = _Styles()
    parse(STYLES, xml_chunks(archive, archive.getinfo(STYLES)), styles.start, styles.end)
    striking = styles.striking()
    if not striking:
        return frozenset()
    cells = _Cells(striking, sheet)
    parse(part, xml_chunks(archive, archive.getinfo(part)), cells.start)
    return frozenset(cells.found)


def struck_findings(struck: frozenset[str], lines: Iterable[FeeLine]) -> list[Finding]:
    """An error at each line's struck-through name cell, else at its struck-through price cell."""
    if not struck:
        return []
    found = []
    for line in lines:
        name, price = line.location("name"), line.location("standard")
        if name.cell in struck:
            params = {"row": line.row, "item": line.name}
            found.append(Finding(CODE, Severity.ERROR, STRUCK_LINE, params, name, line.name, line.key))
        elif price.cell in struck:
            params = {"cell": price.cell, "value": line.standard.strip(), "item": line.name}
            found.append(Finding(CODE, Severity.ERROR, STRUCK_PRICE, params, price, line.name, line.key))
    return found
