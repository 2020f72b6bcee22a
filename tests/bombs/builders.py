"""Workbooks that are small on disk and huge once read: each exercises one way a reader can be made to allocate.

Every builder returns (bytes, file name). They are written part by part (or by LibreOffice's formats' own rules),
so they hold what no spreadsheet program writes but any hostile sender can.
"""

from __future__ import annotations

import random

from openpyxl.utils.cell import get_column_letter

from tests.unit.workbook.parts import (
    HEADER_BLOCK,
    LINES,
    TABLE_HEADER,
    inline_cell,
    minimal_parts,
    sheet_xml,
    zip_parts,
)

CT_SST = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS_SST = (
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def _table_rows(first: int = 1) -> list[str]:
    rows = []
    r = first
    for label, value in HEADER_BLOCK:
        rows.append(f'<row r="{r}">{inline_cell(f"A{r}", label)}{inline_cell(f"B{r}", value)}</row>')
        r += 1
    r += 1
    titles = "".join(inline_cell(f"{get_column_letter(i + 1)}{r}", t) for i, t in enumerate(TABLE_HEADER))
    rows.append(f'<row r="{r}">{titles}</row>')
    for line in LINES:
        r += 1
        cells = "".join(inline_cell(f"{get_column_letter(i + 1)}{r}", v) for i, v in enumerate(line) if v)
        rows.append(f'<row r="{r}">{cells}</row>')
    return rows


def _with_shared_strings(sheet: bytes, strings: list[str]) -> bytes:
    parts = minimal_parts(sheet)
    parts["[Content_Types].xml"] = str(parts["[Content_Types].xml"]).replace("</Types>", CT_SST)
    parts["xl/_rels/workbook.xml.rels"] = str(parts["xl/_rels/workbook.xml.rels"]).replace("</Relationships>", RELS_SST)
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{items}</sst>"
    )
    return zip_parts(parts, compresslevel=9)


def shared_string_bomb(length: int = 900_000, cells: int = 1_000) -> tuple[bytes, str]:
    """One 900,000-character shared string referenced by 1,000 cells: 900 million characters once filled in."""
    rows = _table_rows()
    start = len(rows) + 20
    for n in range(cells):
        r = start + n // 10
        rows.append(f'<row r="{r}"><c r="{get_column_letter(n % 10 + 1)}{r}" t="s"><v>0</v></c></row>')
    return _with_shared_strings(sheet_xml(rows), ["x" * length]), "清单.xlsx"


def shared_string_bomb_in_table(length: int = 900_000, cells: int = 1_000) -> tuple[bytes, str]:
    """The same bomb inside the table's rows (收费项目 and 服务内容 of 500 lines), written as Excel writes cells."""
    rows = _table_rows()
    r = len(rows) + 2
    for _ in range(cells // 2):
        r += 1
        rows.append(f'<row r="{r}"><c r="B{r}" s="1" t="s"><v>0</v></c><c r="D{r}" s="1" t="s"><v>0</v></c></row>')
    return _with_shared_strings(sheet_xml(rows), ["y" * length]), "清单.xlsx"


def merged_range_bomb() -> tuple[bytes, str]:
    """A merged range A1:ALL2000 (2,000,000 cells) over a sheet that reaches ALL2000."""
    rows = _table_rows()
    rows.append('<row r="2000"><c r="ALL2000" t="inlineStr"><is><t>x</t></is></c></row>')
    sheet = sheet_xml(rows).replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:ALL2000"/></mergeCells>'
    )
    return zip_parts(minimal_parts(sheet), compresslevel=9), "清单.xlsx"


def many_merges_bomb() -> tuple[bytes, str]:
    """20,000 merged ranges, each a column 1,000 rows high: 20 million covered cells, no two overlapping."""
    rows = _table_rows()
    rows.append('<row r="1000"><c r="ADN1000" t="inlineStr"><is><t>x</t></is></c></row>')
    merges = "".join(f'<mergeCell ref="{get_column_letter(c)}20:{get_column_letter(c)}1000"/>' for c in range(1, 781))
    sheet = sheet_xml(rows).replace(
        b"</sheetData>", f'</sheetData><mergeCells count="780">{merges}</mergeCells>'.encode()
    )
    return zip_parts(minimal_parts(sheet), compresslevel=9), "清单.xlsx"


def dimension_bomb() -> tuple[bytes, str]:
    """A dimension claiming A1:XFD1048576 over a small table: a reader reserving by it would take 17 billion cells."""
    sheet = sheet_xml(_table_rows()).replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    return zip_parts(minimal_parts(sheet), compresslevel=9), "清单.xlsx"


def styles_bomb() -> tuple[bytes, str]:
    """14,000 cell formats and number formats in styles.xml, under the 1 MB the ratio check starts at."""
    parts = minimal_parts(sheet_xml(_table_rows()))
    xfs = '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 14_000
    fmts = "".join(f'<numFmt numFmtId="{164 + n}" formatCode="0.{"0" * (n % 30)}"/>' for n in range(2_000))
    parts["xl/styles.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="2000">{fmts}</numFmts><cellXfs count="14000">{xfs}</cellXfs></styleSheet>'
    )
    parts["[Content_Types].xml"] = str(parts["[Content_Types].xml"]).replace(
        "</Types>",
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = str(parts["xl/_rels/workbook.xml.rels"]).replace(
        "</Relationships>",
        '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
    )
    return zip_parts(parts, compresslevel=9), "清单.xlsx"


def wide_inline_text() -> tuple[bytes, str]:
    """Table rows of random Chinese text inline, as much as fits the 5 MB upload: text that does not compress."""
    rng = random.Random(14)
    rows = _table_rows()
    first = len(rows) + 2
    for r in range(first, first + 1_000):
        text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(1_900))
        cells = "".join(inline_cell(f"{get_column_letter(c)}{r}", text) for c in (2, 3, 4, 5))
        rows.append(f'<row r="{r}">{cells}</row>')
    return zip_parts(minimal_parts(sheet_xml(rows)), compresslevel=9), "清单.xlsx"


def error_values_everywhere(rows_count: int = 20_000, as_text: bool = False) -> tuple[bytes, str]:
    """#N/A in every cell of 20,000 table rows (the most lines a list may have): kept as error values, or as the text
    #N/A (a shared string) that LibreOffice writes; each is a finding, so the findings must stay bounded too."""
    rows = _table_rows()
    first = len(rows) + 2
    cell = '<c r="{ref}" t="s"><v>0</v></c>' if as_text else '<c r="{ref}" t="e"><v>#N/A</v></c>'
    for r in range(first, first + rows_count):
        rows.append(f'<row r="{r}">' + "".join(cell.format(ref=f"{c}{r}") for c in "ABCDEFGHIJK") + "</row>")
    if as_text:
        return _with_shared_strings(sheet_xml(rows), ["#N/A"]), "清单.xlsx"
    return zip_parts(minimal_parts(sheet_xml(rows)), compresslevel=9), "清单.xlsx"


BOMBS = {
    "shared string x1000": shared_string_bomb,
    "shared string x1000 in the table": shared_string_bomb_in_table,
    "merged A1:ALL2000": merged_range_bomb,
    "780 tall merges": many_merges_bomb,
    "dimension A1:XFD1048576": dimension_bomb,
    "14,000 styles": styles_bomb,
    "incompressible text up to the size limit": wide_inline_text,
    "#N/A in every cell of 20,000 rows": error_values_everywhere,
    "#N/A as text in every cell of 20,000 rows": lambda: error_values_everywhere(as_text=True),
}


def ods_repeated_cells() -> tuple[bytes, str]:
    """An OpenDocument sheet whose one row of text is repeated across 1,024 columns and 1,000,000 rows."""
    import io
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="收费目录清单">'
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1024" office:value-type="string">'
        "<text:p>港口作业包干费</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buffer.getvalue(), "清单.ods"


BOMBS["ods cells repeated 1,024 x 1,000,000"] = ods_repeated_cells
