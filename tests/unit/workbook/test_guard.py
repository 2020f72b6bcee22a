"""The upload guard: what it refuses before any parser runs, and what it learns from a file it accepts."""

from __future__ import annotations

import io
import os
import struct
import warnings
import zipfile
from collections.abc import Callable

import pytest

from portal.workbook.guard import CHUNK, MB, GuardLimits, UploadRefused, inspect_upload

from .parts import CONTENT_TYPES, WORKBOOK_RELS, inline_cell, minimal_parts, sheet_xml, zip_parts

XXE = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _with(extra: dict[str, bytes | str] | None = None) -> Callable[[], bytes]:
    return lambda: zip_parts({**minimal_parts(), **(extra or {})})


def _replaced(name: str, content: bytes | str) -> Callable[[], bytes]:
    return lambda: zip_parts({**minimal_parts(), name: content})


def _without(name: str) -> Callable[[], bytes]:
    return lambda: zip_parts({k: v for k, v in minimal_parts().items() if k != name})


def _truncated() -> bytes:
    data = zip_parts(minimal_parts())
    return data[: len(data) // 2]


def _ods() -> bytes:
    return zip_parts(
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": "<office:document-content/>",
            "META-INF/manifest.xml": "<manifest/>",
        }
    )


def _dtd_across_chunks() -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?><!--'
    padding = "x" * (CHUNK - len(head) - 3 - 4)
    styles = head + padding + "-->" + '<!DOCTYPE styleSheet SYSTEM "http://example.com/s.dtd"><styleSheet/>'
    assert styles.index("<!DOCTYPE") < CHUNK < styles.index("<!DOCTYPE") + len("<!DOCTYPE")
    return zip_parts({**minimal_parts(), "xl/styles.xml": styles})


def _too_many_parts() -> bytes:
    return zip_parts({**minimal_parts(), **{f"xl/media/image{i}.png": b"x" for i in range(1_000)}})


def _many_parts_expanding() -> bytes:
    """Sixty 1 MB parts (each under the ratio check's floor) that together expand to 60 MB."""
    megabyte = b"<x/>" * (MB // 4)
    return zip_parts({**minimal_parts(), **{f"xl/media/part{i}.xml": megabyte for i in range(60)}})


def _far_away_sheet() -> bytes:
    rows = ['<row r="1">', inline_cell("A1", "x"), "</row>", '<row r="200000">', inline_cell("Z200000", "y"), "</row>"]
    return sheet_xml(rows)


def _far_away_cell() -> bytes:
    return zip_parts(minimal_parts(_far_away_sheet()))


def _worksheet_under_another_name() -> bytes:
    """A worksheet the workbook points to under a name that does not end in .xml is scanned all the same."""
    parts = minimal_parts()
    parts["xl/_rels/workbook.xml.rels"] = WORKBOOK_RELS.replace("worksheets/sheet1.xml", "data/sheet1.bin")
    del parts["xl/worksheets/sheet1.xml"]
    parts["xl/data/sheet1.bin"] = _far_away_sheet()
    return zip_parts(parts)


def _duplicate_part() -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we are making on purpose
        for name, content in minimal_parts().items():
            archive.writestr(name, content)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _patched_central_entry(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of the last entry's central-directory record."""
    at = data.rfind(b"PK\x01\x02") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


def _encrypted_entry() -> bytes:
    data = zip_parts(minimal_parts())
    flags = struct.unpack("<H", data[data.rfind(b"PK\x01\x02") + 8 :][:2])[0]
    return _patched_central_entry(data, 8, "<H", flags | 0x1)


REFUSALS = [
    pytest.param(lambda: b"", "list.xlsx", "empty", id="empty bytes"),
    pytest.param(_truncated, "list.xlsx", "corrupt", id="truncated zip"),
    pytest.param(lambda: "序号,收费项目\n1,港口作业包干费\n".encode(), "list.xlsx", "text-format", id="csv renamed"),
    pytest.param(lambda: "序号,收费项目\n1,单证费\n".encode("gbk"), "list.xlsx", "text-format", id="gbk csv renamed"),
    pytest.param(lambda: b"<table><tr><td>1</td></tr></table>", "list.xls", "html-format", id="html renamed"),
    pytest.param(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "list.xls", "not-xlsx", id="ole2 no book"),
    pytest.param(
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le"),
        "list.xlsx",
        "encrypted",
        id="password-protected xlsx",
    ),
    pytest.param(lambda: b"%PDF-1.7\n" + bytes(range(256)), "list.xlsx", "not-xlsx", id="pdf renamed"),
    pytest.param(_with({"xl/vbaProject.bin": b"\x00VBA"}), "list.xlsm", "macros", id="xlsm with vbaProject"),
    pytest.param(_without("[Content_Types].xml"), "list.xlsx", "not-xlsx", id="no content types"),
    pytest.param(_without("xl/workbook.xml"), "list.xlsx", "not-xlsx", id="no workbook part"),
    pytest.param(_with({"xl/workbook.bin": b"\x83\x01"}), "list.xlsb", "xlsb-format", id="xlsb"),
    pytest.param(
        lambda: (
            b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
        ),
        "list.xls",
        "xml2003-format",
        id="spreadsheetml 2003 named .xls",
    ),
    pytest.param(
        _with({"xl/externalLinks/externalLink1.xml": "<externalLink/>"}),
        "list.xlsx",
        "external-links",
        id="external link",
    ),
    pytest.param(_with({"xl/sharedStrings.xml": XXE}), "list.xlsx", "xml-dtd", id="xxe in shared strings"),
    pytest.param(_replaced("xl/worksheets/sheet1.xml", LAUGHS), "list.xlsx", "xml-dtd", id="billion laughs"),
    pytest.param(_dtd_across_chunks, "list.xlsx", "xml-dtd", id="dtd across a chunk boundary"),
    pytest.param(
        _with({"xl/styles.xml": '<?xml version="1.0" encoding="UTF-16"?><styleSheet/>'.encode("utf-16")}),
        "list.xlsx",
        "xml-encoding",
        id="utf-16 part",
    ),
    pytest.param(
        _with({"xl/styles.xml": '<?xml version="1.0" encoding="ISO-8859-1"?><styleSheet/>'}),
        "list.xlsx",
        "xml-encoding",
        id="latin-1 part",
    ),
    pytest.param(_too_many_parts, "list.xlsx", "too-many-parts", id="too many parts"),
    pytest.param(_with({"xl/media/image1.png": os.urandom(6 * MB)}), "list.xlsx", "too-large", id="over 5 MB"),
    pytest.param(_many_parts_expanding, "list.xlsx", "too-large-uncompressed", id="expands to 60 MB"),
    pytest.param(_far_away_cell, "list.xlsx", "sheet-too-large", id="far-away cell"),
    pytest.param(_worksheet_under_another_name, "list.xlsx", "sheet-too-large", id="worksheet not named .xml"),
    pytest.param(_replaced("xl/workbook.xml", "<workbook><sheets>"), "l.xlsx", "corrupt", id="bad xml"),
    pytest.param(
        _replaced("xl/worksheets/sheet1.xml", sheet_xml(['<row r="1">', inline_cell("A0", "x"), "</row>"])),
        "list.xlsx",
        "corrupt",
        id="bad cell reference",
    ),
    pytest.param(_duplicate_part, "list.xlsx", "corrupt", id="duplicate part"),
    pytest.param(_encrypted_entry, "list.xlsx", "encrypted", id="encrypted zip entry"),
]


@pytest.mark.parametrize(("build", "filename", "code"), REFUSALS)
def test_a_hostile_or_wrong_file_is_refused_with_a_message_saying_what_to_do(
    build: Callable[[], bytes], filename: str, code: str
) -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(build(), filename)
    assert refused.value.code == code
    message = refused.value.message.format(**refused.value.params)
    assert any(word in message for word in ("upload", "Save", "save", "template")), message


@pytest.fixture(scope="module")
def sharedstrings_bomb() -> bytes:
    """A workbook whose shared strings would inflate to 300 MB, streamed into the zip so it never sits in memory."""
    buffer = io.BytesIO()
    chunk = ("<si><t>" + "港" * 330 + "</t></si>").encode() * 1_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in minimal_parts().items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            for _ in range(300 * MB // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_declared_sizes(sharedstrings_bomb: bytes) -> None:
    assert len(sharedstrings_bomb) < 2 * MB
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(sharedstrings_bomb, "bomb.xlsx")
    assert refused.value.code == "zip-bomb"
    assert refused.value.params["part"] == "xl/sharedStrings.xml"
    assert refused.value.params["ratio"] > 100


def test_a_zip_whose_declared_size_lies_is_refused_after_reading_only_that_size(sharedstrings_bomb: bytes) -> None:
    lying = _patched_central_entry(sharedstrings_bomb, 24, "<I", 1_000)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/sharedStrings.xml").file_size == 1_000
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(lying, "bomb.xlsx")
    assert refused.value.code == "corrupt"
    assert "more than its declared size" in refused.value.params["detail"]


def test_the_limits_are_parameters(standard_xlsx: bytes) -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(standard_xlsx, "list.xlsx", GuardLimits(max_bytes=1_000))
    assert refused.value.code == "too-large"
    assert refused.value.params["limit_mb"] == "0.0"


def test_a_plain_workbook_passes_and_its_sheets_are_mapped_to_their_parts(make_xlsx) -> None:
    data = make_xlsx([["收费项目"]], other_sheets=["说明"])
    result = inspect_upload(data, "LIST.XLSX")
    assert result.sheets == {"收费目录清单": "xl/worksheets/sheet1.xml", "说明": "xl/worksheets/sheet2.xml"}
    assert result.formula_cells == {"xl/worksheets/sheet1.xml": (), "xl/worksheets/sheet2.xml": ()}


def test_formula_cells_are_listed_per_sheet_in_document_order(make_xlsx) -> None:
    data = make_xlsx([["a", "b"]], formulas={"C3": "=1+2", "B5": '=CONCAT("x","y")'}, other_sheets=["说明"])
    result = inspect_upload(data, "list.xlsx")
    assert result.formulas_in("收费目录清单") == ("C3", "B5")
    assert result.formulas_in("说明") == ()
    assert result.formulas_in("no such sheet") == ()


def test_formula_cells_are_placed_as_excel_places_them_and_format_rules_are_not_cells() -> None:
    rows = [
        '<row r="2"><c t="inlineStr"><is><t>a</t></is></c>'
        '<c><f t="shared" ref="B2:B3" si="0">1+1</f><v>2</v></c></row>',
        '<row><c r="D3"><f t="shared" si="0"/><v>2</v></c></row>',
        '<row r="7"><c r="A7" s="1"/><c r="C7"><f>A1</f></c></row>',
    ]
    extension = (
        '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:conditionalFormatting>'
        "<x14:cfRule><xm:f>$A$1&gt;0</xm:f></x14:cfRule><xm:sqref>A1:A9</xm:sqref>"
        "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
    )
    sheet = sheet_xml(rows).replace(b"</worksheet>", extension.encode() + b"</worksheet>")
    result = inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert result.formulas_in("收费目录清单") == ("B2", "D3", "C7")


@pytest.mark.parametrize(
    ("build", "filename"),
    [
        pytest.param(
            _replaced("[Content_Types].xml", CONTENT_TYPES.replace("sheet.main+xml", "sheet.macroEnabled.main+xml")),
            "list.xlsx",
            id="macro-enabled content type without a VBA part (SheetJS)",
        ),
        pytest.param(_with(), "list.xls", id="xlsx named .xls"),
        pytest.param(_with(), "list.xlsx.csv", id="xlsx named .csv"),
        pytest.param(_with({"customXml/item1.xml": "\ufeff<x/>".encode("utf-16")}), "list.xlsx", id="utf-16 customXml"),
        pytest.param(_with({"docProps/thumbnail.jpeg": b"\xff\xd8" + bytes(2_000_000)}), "list.xlsx", id="thumbnail"),
    ],
)
def test_a_workbook_is_judged_by_its_parts_not_its_name_or_content_type_strings(build, filename: str) -> None:
    assert inspect_upload(build(), filename).sheets
