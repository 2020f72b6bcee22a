"""Cells whose number format changes what the operator sees (format_codes.py): a percentage, a percent sign written
as text, a number rounded to fewer decimal places than it holds.

Excel turns 10% typed in a cell into the number 0.1 shown through a percent format; calamine gives the number, so
the standard 10% would be read as 0.1 (of a yuan). The workbook's styles name the formats (`xl/styles.xml`: the
cell formats' `numFmtId`, built in or a custom code); a worksheet's number cells carrying one of those styles are
found by their reference. The sheet is read only when the styles hold such a format at all, from a package the
guard has already checked. `CellStyles` is the one reading of the styles part: struck.py takes the fonts from it.
"""

from __future__ import annotations

import zipfile

from portal.workbook import format_codes, refusals
from portal.workbook.format_codes import Shown
from portal.workbook.xmlparts import local, parse, xml_chunks

STYLES = "xl/styles.xml"
# Numbers shown otherwise, at most, on one sheet: 20,000 lines with every column a formatted number are 260,000.
MAX_CELLS = 400_000


class CellStyles:
    """What `xl/styles.xml` says of the cell formats (a cell's `s` indexes them): the number format and the font of
    each. The one reading of the styles: number formats here, strikethrough in struck.py."""

    def __init__(self) -> None:
        self.custom: dict[str, str] = {}  # numFmtId -> formatCode
        self.cell_formats: list[str] = []  # numFmtId of each cellXfs entry, in order (a cell's s attribute)
        self.cell_fonts: list[str] = []  # fontId of each cellXfs entry, in order
        self.fonts: list[bool] = []  # <fonts>' fonts in order: whether each strikes through
        self._in_cell_xfs = self._in_fonts = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "numFmt":
            self.custom[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
        elif tag == "fonts":
            self._in_fonts = True
        elif tag == "font" and self._in_fonts:
            self.fonts.append(False)
        elif tag == "strike" and self._in_fonts and self.fonts:
            self.fonts[-1] = strikes(attrs)
        elif tag == "cellXfs":
            self._in_cell_xfs = True
        elif tag == "xf" and self._in_cell_xfs:
            self.cell_formats.append(attrs.get("numFmtId", "0"))
            self.cell_fonts.append(attrs.get("fontId", "0"))

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "cellXfs":
            self._in_cell_xfs = False
        elif tag == "fonts":
            self._in_fonts = False

    def shown_styles(self) -> dict[str, Shown]:
        """Cell style (a cell's `s`) -> how its format shows a number, for the styles that change it."""
        shown = {}
        for index, number in enumerate(self.cell_formats):
            code = self.custom.get(number)  # a file may define a code under a built-in's number: its own wins
            how = format_codes.shown_as(code) if code is not None else _built_in(number)
            if how is not None:
                shown[str(index)] = how
        return shown

    def striking(self) -> frozenset[str]:
        """The cell styles whose font strikes through."""
        struck = {str(n) for n, strikes_through in enumerate(self.fonts) if strikes_through}
        return frozenset(str(index) for index, font in enumerate(self.cell_fonts) if font in struck)


def strikes(attrs: dict[str, str]) -> bool:
    """Whether a <strike/> element strikes through: it does unless its val says not (0, false)."""
    return attrs.get("val", "1").strip().lower() not in ("0", "false")


def read_styles(archive: zipfile.ZipFile) -> CellStyles:
    """The package's cell styles (none when it has no styles part)."""
    styles = CellStyles()
    if STYLES in set(archive.namelist()):
        parse(STYLES, xml_chunks(archive, archive.getinfo(STYLES)), styles.start, styles.end)
    return styles


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


def shown_cells(
    archive: zipfile.ZipFile, part: str, sheet: str = "", styles: CellStyles | None = None
) -> dict[str, Shown]:
    """The number cells of worksheet `part` (named `sheet`) whose format changes what they show: A1 reference ->
    how (format_codes.Shown). More than MAX_CELLS of them is no fee list: refused, rather than held in memory."""
    if part not in set(archive.namelist()):
        return {}
    shown = (styles or read_styles(archive)).shown_styles()
    if not shown:
        return {}
    cells = _Cells(shown, sheet)
    parse(part, xml_chunks(archive, archive.getinfo(part)), cells.start)
    return cells.found
