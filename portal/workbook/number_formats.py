"""Cells whose number format changes what the operator sees (format_codes.py): a percentage, a percent sign written
as text, a number rounded to fewer decimal places than it holds.

Excel turns 10% typed in a cell into the number 0.1 shown through a percent format; calamine gives the number, so
the standard 10% would be read as 0.1 (of a yuan). The workbook's styles name the formats (`xl/styles.xml`: the
cell formats' `numFmtId`, built in or a custom code); a worksheet's number cells carrying one of those styles are
found by their reference. The sheet is read only when the styles hold such a format at all, from a package the
guard has already checked.
"""

from __future__ import annotations

import zipfile

from portal.workbook import format_codes, refusals
from portal.workbook.format_codes import Shown
from portal.workbook.xmlparts import local, parse, xml_chunks

STYLES = "xl/styles.xml"
# Numbers shown otherwise, at most, on one sheet: 20,000 lines with every column a formatted number are 260,000.
MAX_CELLS = 400_000


class _Styles:
    def __init__(self) -> None:
        self.custom: dict[str, str] = {}  # numFmtId -> formatCode
        self.cell_formats: list[str] = []  # numFmtId of each cellXfs entry, in order (a cell's s attribute)
        self._in_cell_xfs = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "numFmt":
            self.custom[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self._in_cell_xfs = True
        elif tag == "xf" and self._in_cell_xfs:
            self.cell_formats.append(attrs.get("numFmtId", "0"))

    def end(self, name: str) -> None:
        if local(name) == "cellXfs":
            self._in_cell_xfs = False

    def shown_styles(self) -> dict[str, Shown]:
        """Cell style (a cell's `s`) -> how its format shows a number, for the styles that change it."""
        shown = {}
        for index, number in enumerate(self.cell_formats):
            code = self.custom.get(number)  # a file may define a code under a built-in's number: its own wins
            how = format_codes.shown_as(code) if code is not None else _built_in(number)
            if how is not None:
                shown[str(index)] = how
        return shown


def _built_in(number: str) -> Shown | None:
    return format_codes.built_in(int(number)) if number.isascii() and number.isdigit() else None


class _Cells:
    """The number cells carrying one of `styles`, those with a value only (a formatted range writes empty cells)."""

    def __init__(self, styles: dict[str, Shown], sheet: str) -> None:
        self.styles = styles
        self.sheet = sheet
        self.found: dict[str, Shown] = {}
        self._open: tuple[str, Shown] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            style = attrs.get("s")
            self._open = None
            how = self.styles.get(style) if style is not None else None
            if how is not None and "r" in attrs and (attrs.get("t", "n") == "n" or how == format_codes.HIDDEN_ALL):
                self._open = (attrs["r"], how)  # a number; any value when the format hides text too
        elif tag in ("v", "is") and self._open is not None:
            ref, how = self._open
            self._open = None
            if len(self.found) >= MAX_CELLS:
                raise refusals.too_many_formatted(self.sheet, MAX_CELLS)
            self.found[ref] = how


def shown_cells(archive: zipfile.ZipFile, part: str, sheet: str = "") -> dict[str, Shown]:
    """The number cells of worksheet `part` (named `sheet`) whose format changes what they show: A1 reference ->
    how (format_codes.Shown). More than MAX_CELLS of them is no fee list: refused, rather than held in memory."""
    names = set(archive.namelist())
    if STYLES not in names or part not in names:
        return {}
    styles = _Styles()
    parse(STYLES, xml_chunks(archive, archive.getinfo(STYLES)), styles.start, styles.end)
    shown = styles.shown_styles()
    if not shown:
        return {}
    cells = _Cells(shown, sheet)
    parse(part, xml_chunks(archive, archive.getinfo(part)), cells.start)
    return cells.found
