"""Cells whose number format changes what the operator sees: a percentage.

Excel turns 10% typed in a cell into the number 0.1 shown through a percent format; calamine gives the number, so
the standard 10% would be read as 0.1 (of a yuan). The workbook's styles name the formats (`xl/styles.xml`: the
cell formats' `numFmtId`, 9 and 10 built in, or a custom code with a % outside quotes); a worksheet's number cells
carrying one of those styles are found by their reference. Read only when the styles hold a percent format at all,
from a package the guard has already checked.
"""

from __future__ import annotations

import re
import zipfile

from portal.workbook.xmlparts import local, parse, xml_chunks

STYLES = "xl/styles.xml"
BUILT_IN_PERCENT = frozenset({"9", "10"})  # 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_code(code: str) -> bool:
    """Whether a number format code shows its number as a percentage (a % outside quoted text)."""
    return "%" in _QUOTED.sub("", code)


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

    def percent_styles(self) -> frozenset[str]:
        percent = BUILT_IN_PERCENT | {i for i, code in self.custom.items() if is_percent_code(code)}
        return frozenset(str(index) for index, fmt in enumerate(self.cell_formats) if fmt in percent)


class _Cells:
    def __init__(self, styles: frozenset[str]) -> None:
        self.styles = styles
        self.found: set[str] = set()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if attrs.get("s") in self.styles and local(name) == "c" and attrs.get("t", "n") == "n" and "r" in attrs:
            self.found.add(attrs["r"])


def percent_cells(archive: zipfile.ZipFile, part: str) -> frozenset[str]:
    """The A1 references of the number cells of worksheet `part` shown as percentages."""
    names = set(archive.namelist())
    if STYLES not in names or part not in names:
        return frozenset()
    styles = _Styles()
    parse(STYLES, xml_chunks(archive, archive.getinfo(STYLES)), styles.start, styles.end)
    percent = styles.percent_styles()
    if not percent:
        return frozenset()
    cells = _Cells(percent)
    parse(part, xml_chunks(archive, archive.getinfo(part)), cells.start)
    return frozenset(cells.found)
