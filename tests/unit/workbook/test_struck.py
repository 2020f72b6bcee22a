"""Cells struck through: the fonts that strike, the cell formats using them, the valued cells carrying those; a
line crossed out, or its price, is an error at the cell."""

from __future__ import annotations

import io
import zipfile

import pytest

from portal.validation.model import FeeLine, Location
from portal.workbook import struck
from portal.workbook.refusals import UploadRefused

STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="4"><font><sz val="11"/></font><font><strike/></font><font><strike val="0"/></font>
<font><b/><strike val="true"/></font></fonts>
<cellStyleXfs count="1"><xf fontId="1"/></cellStyleXfs>
<cellXfs count="5"><xf fontId="0"/><xf fontId="1"/><xf fontId="2"/><xf fontId="3"/><xf/></cellXfs>
<dxfs count="1"><dxf><font><strike/></font></dxf></dxfs>
</styleSheet>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>划掉</t></is></c><c r="B1" s="2"><v>1</v></c>
<c r="C1" s="3" t="s"><v>0</v></c><c r="D1" s="1"/><c r="E1" s="0"><v>2</v></c><c r="F1" s="4"><v>3</v></c></row>
</sheetData></worksheet>"""
PART = "xl/worksheets/sheet1.xml"


def _archive(styles: str = STYLES) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/styles.xml", styles)
        archive.writestr(PART, SHEET)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_the_valued_cells_whose_font_strikes_are_found() -> None:
    """<strike/> and val="true" strike, val="0" does not; an empty struck cell holds nothing to read; a cell style's
    (cellStyleXfs) and a conditional format's (dxfs) fonts are not the cell formats' list."""
    assert struck.struck_cells(_archive(), PART).cells == {"A1", "C1"}


def test_a_workbook_whose_fonts_never_strike_is_not_read_for_cells() -> None:
    plain = STYLES.replace("<strike/>", "").replace('<strike val="true"/>', "")
    assert struck.struck_cells(_archive(plain), PART) == struck.Struck()


def test_more_struck_cells_than_a_list_holds_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(struck, "MAX_CELLS", 1)
    with pytest.raises(UploadRefused) as refused:
        struck.struck_cells(_archive(), PART, "收费目录清单")
    assert (refused.value.code, refused.value.params) == ("too-many-struck", {"sheet": "收费目录清单", "limit": 1})


SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>单证费</t></si>
<si><r><rPr><strike/></rPr><t>380</t></r><r><t xml:space="preserve"> 300</t></r></si>
<si><r><rPr><strike val="0"/><b/></rPr><t>加粗</t></r><r><t>费</t></r></si>
<si><r><rPr><strike/></rPr><t> </t></r><r><t>空格</t></r></si>
</sst>"""
SHARED_SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>
<c r="D1" t="s"><v>3</v></c><c r="E1"><v>1</v></c></row></sheetData></worksheet>"""


def test_a_shared_string_struck_in_part_is_found_with_its_struck_text() -> None:
    """A run with <strike/> (380, before the new 300); not one with val="0", nor one striking only a space."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr(PART, SHARED_SHEET)
    found = struck.struck_cells(zipfile.ZipFile(io.BytesIO(out.getvalue())), PART)
    assert found == struck.Struck(frozenset(), {"B1": "380"})
    line = FeeLine(name="电放费", standard="380 300", key="1", row=1, locations={"standard": Location("s", 1, "B")})
    (finding,) = struck.struck_findings(found, [line])
    assert (finding.location.cell, finding.params) == ("B1", {"cell": "B1", "struck": "380", "value": "380 300"})


def _line(row: int, name: str = "电放费", standard: str = "300") -> FeeLine:
    where = {key: Location("收费目录清单", row, column, key) for key, column in (("name", "B"), ("standard", "E"))}
    return FeeLine(name=name, standard=standard, key=str(row), row=row, locations=where)


def test_a_struck_line_is_an_error_at_its_name_and_a_struck_price_at_the_price() -> None:
    lines = [_line(9, "单证费"), _line(10), _line(11, "堆存费", "85元/天")]
    found = struck.struck_findings(struck.Struck(frozenset({"B10", "E10", "E11", "C12"})), lines)
    assert [(f.rule, f.severity.value, f.location.cell, f.params) for f in found] == [
        ("struck-through", "error", "B10", {"row": 10, "item": "电放费"}),  # the price too: one finding a line
        ("struck-through", "error", "E11", {"cell": "E11", "value": "85元/天", "item": "堆存费"}),
    ]
    assert struck.struck_findings(struck.Struck(), lines) == []
