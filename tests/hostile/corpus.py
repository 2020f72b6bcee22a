"""The hostile corpus: each case builds one bad upload (bytes, file name) and says what the upload path must do."""

from __future__ import annotations

import dataclasses
import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils.cell import get_column_letter
from reportlab.pdfgen.canvas import Canvas

from portal.workbook.layout import DATA_SHEET, MAX_CELL_CHARS, match_column
from tests.factories import credit_code
from tests.unit.workbook.parts import (
    CONTENT_TYPES,
    FIRST_DATA_ROW,
    HEADER_BLOCK,
    LINES,
    SHEET_CLOSE,
    SHEET_OPEN,
    TABLE_HEADER,
    inline_cell,
    minimal_parts,
    zip_parts,
)

MB = 1024 * 1024
NAME = "清单.xlsx"
ROW_LIMIT = 2_000  # fee lines one upload may hold in the corpus run (UPLOAD_MAX_ROWS); the reader's tests use 20,000
TITLE_ROW = FIRST_DATA_ROW - 1
ROW = FIRST_DATA_ROW  # the first fee line's row
STANDARD = f"E{ROW}"  # the first line's 收费标准
NAME_CELL = f"B{ROW}"  # the first line's 收费项目
KEYS = tuple(column.key for title in TABLE_HEADER if (column := match_column(title)) is not None)
GOOD_LINE = LINES[2]  # 单证费, 100 元/票, 市场调节价: a line with nothing wrong
BLOCK = tuple((label, credit_code(0) if label == "统一社会信用代码" else value) for label, value in HEADER_BLOCK)


@dataclasses.dataclass(frozen=True)
class Number:
    """A numeric cell, its <v> text as written (Excel writes "NaN" or "1E+309" only in hostile files)."""

    text: str


@dataclasses.dataclass(frozen=True)
class Formula:
    """A formula cell with the value Excel cached for it."""

    expression: str
    cached: str


@dataclasses.dataclass(frozen=True)
class Shared:
    """A cell holding shared string number `index` (xl/sharedStrings.xml)."""

    index: int = 0


Value = str | Number | Formula | Shared | None


@dataclasses.dataclass(frozen=True)
class Refused:
    """The upload is refused: nothing is read, the draft stays as it was."""

    code: str  # UploadRefused code
    by_guard: bool = True  # refused by the zip guard before any parser opens the file (else by the reader)
    status: int = 400  # what the upload page answers


@dataclasses.dataclass(frozen=True)
class At:
    """A finding the report must hold: rule, and where (cell, or only the row or the sheet when no cell applies)."""

    rule: str
    cell: str | None
    field: str | None = None
    row: int | None = None
    sheet: str | None = DATA_SHEET
    says: Mapping[str, str] = dataclasses.field(default_factory=dict)  # message parameters, as stored (text)


@dataclasses.dataclass(frozen=True)
class Read:
    """The upload becomes the draft; its report holds `findings`, and the fields in `stored` hold these values."""

    findings: tuple[At, ...] = ()
    stored: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # field -> values, line by line
    amounts: tuple[Decimal | None, ...] | None = None  # amounts parsed from the standards, when the case is about them
    clean: tuple[str, ...] = ()  # cells that must carry no error finding
    lines: int | None = None  # how many lines the draft holds, when `stored` does not say

    @property
    def count(self) -> int:
        if self.lines is not None:
            return self.lines
        return len(next(iter(self.stored.values())))


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], tuple[bytes, str]]
    expect: Refused | Read
    web: bool = False  # also posted through the upload page
    bomb: bool = False  # would inflate if anything parsed it: Python allocations are traced too


# Builders: sheets written part by part, so a value can be what no spreadsheet program would write.


def fee(**values: Value) -> list[Value]:
    """A fee line in the prescribed columns: the good line with `values` changed."""
    line: list[Value] = list(GOOD_LINE)
    for key, value in values.items():
        line[KEYS.index(key)] = value
    return line


def list_rows(
    lines: Sequence[Sequence[Value]] = (GOOD_LINE,),
    *,
    titles: Sequence[Value] = TABLE_HEADER,
    block: Sequence[Sequence[Value]] = BLOCK,
) -> list[Sequence[Value]]:
    """Header block, a blank row, the row of column titles, fee lines: the prescribed layout."""
    return [*block, (), titles, *lines]


def cell(ref: str, value: Value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Number):
        return f'<c r="{ref}"><v>{value.text}</v></c>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"><f>{escape(value.expression)}</f><v>{value.cached}</v></c>'
    if isinstance(value, Shared):
        return f'<c r="{ref}" t="s"><v>{value.index}</v></c>'
    return inline_cell(ref, value)


def row_xml(number: int, values: Sequence[Value]) -> str:
    cells = "".join(cell(f"{get_column_letter(c)}{number}", v) for c, v in enumerate(values, 1))
    return f'<row r="{number}">{cells}</row>' if cells else ""


def sheet(rows: Sequence[Sequence[Value]], *, merges: Sequence[str] = ()) -> bytes:
    body = "".join(row_xml(number, values) for number, values in enumerate(rows, 1))
    if not merges:
        return (SHEET_OPEN + body + SHEET_CLOSE).encode()
    ranges = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    merged = f'<mergeCells count="{len(merges)}">{ranges}</mergeCells>'
    return f"{SHEET_OPEN}{body}</sheetData>{merged}</worksheet>".encode()


def xlsx(
    rows: Sequence[Sequence[Value]],
    *,
    merges: Sequence[str] = (),
    name: str = DATA_SHEET,
    extra: Mapping[str, bytes | str] | None = None,
) -> bytes:
    return zip_parts({**minimal_parts(sheet(rows, merges=merges), name=name), **(extra or {})})


def with_standard(value: Value) -> tuple[bytes, str]:
    return xlsx(list_rows([fee(standard=value)])), NAME


def with_names(*names: str) -> tuple[bytes, str]:
    return xlsx(list_rows([fee(line_no=str(i), name=n) for i, n in enumerate(names, 1)])), NAME


def saved_by_openpyxl(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook as a spreadsheet program writes it, with these sheets in this order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for values in rows:
            ws.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _random_text(length: int, seed: int) -> str:
    """Mixed Chinese and Latin text that compresses like real text, not like a bomb."""
    rng = random.Random(seed)
    alphabet = "港口作业包干费装卸船场内搬移单证提单舱单处理集装箱堆存冷藏危险货物abcdefghijklmnopqrstuvwxyz0123456789 "
    return "".join(rng.choices(alphabet, k=length))


HUGE = _random_text(MB, 7)  # a megabyte in one cell


def _zero_bytes() -> tuple[bytes, str]:
    return b"", NAME


def _truncated_zip() -> tuple[bytes, str]:
    data = xlsx(list_rows())
    return data[: len(data) // 2], NAME


def _sharedstrings_bomb() -> tuple[bytes, str]:
    """Shared strings that inflate 300 times to 300 MB, streamed into the zip so they never sit in memory."""
    buffer = io.BytesIO()
    chunk = ("<si><t>" + "港口作业包干费" * 50 + "</t></si>").encode() * 1_000
    parts = minimal_parts(sheet(list_rows()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
        with archive.open("xl/sharedStrings.xml", "w") as stream:
            stream.write(b'<?xml version="1.0" encoding="UTF-8"?><sst>')
            for _ in range(300 * MB // len(chunk)):
                stream.write(chunk)
            stream.write(b"</sst>")
    return buffer.getvalue(), NAME


def _many_tiny_entries() -> tuple[bytes, str]:
    parts = {**minimal_parts(sheet(list_rows())), **{f"xl/media/t{i}.bin": b"x" for i in range(10_000)}}
    return zip_parts(parts), NAME


def _expands_to_sixty_megabytes() -> tuple[bytes, str]:
    """Sixty 1 MB parts, each just under the ratio check's floor, that together expand past the total limit."""
    megabyte = b"<x/>" * (MB // 4)
    return xlsx(list_rows(), extra={f"xl/media/part{i}.xml": megabyte for i in range(60)}), NAME


def _xls_renamed() -> tuple[bytes, str]:
    """An Excel 97-2003 (OLE2 compound file) header and its first sectors."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 0x3, 0xFFFE) + bytes(478)
    return header + "Workbook".encode("utf-16-le") + bytes(2048), NAME


def _encrypted_ooxml() -> tuple[bytes, str]:
    """A password-protected .xlsx: Excel wraps it in an OLE2 container holding an EncryptedPackage stream."""
    directory = "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory + bytes(4096), NAME


def _csv_renamed() -> tuple[bytes, str]:
    text = ",".join(TABLE_HEADER) + "\n" + ",".join(v or "" for v in GOOD_LINE) + "\n"
    return text.encode("utf-8-sig"), NAME


def _gbk_csv_renamed() -> tuple[bytes, str]:
    return ",".join(TABLE_HEADER).encode("gbk") + b"\r\n" + "1,单证费,,,100,元/票".encode("gbk"), NAME


def _html_renamed() -> tuple[bytes, str]:
    """What "export to Excel" buttons often produce: an HTML table served as .xls or .xlsx."""
    html = "<html><body><table><tr>" + "".join(f"<th>{t}</th>" for t in TABLE_HEADER) + "</tr></table></body></html>"
    return html.encode(), NAME


def _xlsm_renamed() -> tuple[bytes, str]:
    macro_types = CONTENT_TYPES.replace("sheet.main+xml", "sheet.macroEnabled.main+xml")
    extra = {"[Content_Types].xml": macro_types, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA" + bytes(64)}
    return xlsx(list_rows(), extra=extra), NAME


def _macro_content_type_only() -> tuple[bytes, str]:
    macro_types = CONTENT_TYPES.replace("sheet.main+xml", "sheet.macroEnabled.main+xml")
    return xlsx(list_rows(), extra={"[Content_Types].xml": macro_types}), NAME


def _ods_renamed() -> tuple[bytes, str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first and stored, as ODF says
        archive.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument"/>')
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue(), NAME


def _pdf_renamed() -> tuple[bytes, str]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(72, 720, "Port fee list")
    canvas.save()
    return buffer.getvalue(), NAME


def _png_renamed() -> tuple[bytes, str]:
    """A 1x1 PNG, as a screenshot of the list would arrive."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    size = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))  # 1x1, 8-bit RGB
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
    return b"\x89PNG\r\n\x1a\n" + size + pixels + chunk(b"IEND", b""), NAME


def _zipped_folder() -> tuple[bytes, str]:
    return zip_parts({"收费清单/说明.txt": "见附件", "收费清单/清单.csv": ",".join(TABLE_HEADER)}), NAME


def _six_megabytes() -> tuple[bytes, str]:
    picture = random.Random(6).randbytes(6 * MB)  # random, so the zip cannot shrink it
    return xlsx(list_rows(), extra={"xl/media/image1.png": picture}), NAME


def _xxe() -> tuple[bytes, str]:
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
    )
    return xlsx(list_rows([fee(name=Shared())]), extra={"xl/sharedStrings.xml": strings}), NAME


def _billion_laughs() -> tuple[bytes, str]:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    worksheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return zip_parts(minimal_parts(worksheet)), NAME


def _external_link() -> tuple[bytes, str]:
    link = (
        '<?xml version="1.0" encoding="UTF-8"?><externalLink '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook r:id="rId1" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></externalLink>'
    )
    rows = list_rows([fee(standard=Formula("[1]价格!E8", "100"))])
    return xlsx(rows, extra={"xl/externalLinks/externalLink1.xml": link}), NAME


def _far_away_cell() -> tuple[bytes, str]:
    """One cell a million rows down in column Z: the sheet would span 26 million cells, which calamine allocates."""
    rows = "".join(row_xml(number, values) for number, values in enumerate(list_rows(), 1))
    far = row_xml(1_000_000, [*[None] * 25, "x"])
    return zip_parts(minimal_parts((SHEET_OPEN + rows + far + SHEET_CLOSE).encode())), NAME


def _utf16_part() -> tuple[bytes, str]:
    styles = '<?xml version="1.0" encoding="UTF-16"?><styleSheet/>'.encode("utf-16")
    return xlsx(list_rows(), extra={"xl/styles.xml": styles}), NAME


def _dangling_sheet() -> tuple[bytes, str]:
    """The workbook points at a worksheet the zip does not hold: the guard has nothing to scan, the reader fails."""
    parts = minimal_parts(sheet(list_rows()))
    del parts["xl/worksheets/sheet1.xml"]
    return zip_parts(parts), NAME


def _broken_shared_strings() -> tuple[bytes, str]:
    return xlsx(list_rows([fee(name=Shared())]), extra={"xl/sharedStrings.xml": "<sst><si><t>单证费</sst>"}), NAME


def _xlsx_named_csv() -> tuple[bytes, str]:
    return xlsx(list_rows()), "清单.csv"


def _formula_in_data_cell() -> tuple[bytes, str]:
    return xlsx(list_rows([fee(standard=Formula("50+50", "100"))])), NAME


def _formula_text() -> tuple[bytes, str]:
    """A string cell whose text starts with "=": text, not a formula; it must leave again escaped."""
    return xlsx(list_rows([fee(name="=1+1", remarks='=HYPERLINK("http://evil.example","点击")')])), NAME


def _control_characters() -> tuple[bytes, str]:
    """\\x00-\\x08 as Excel stores them in XML (_x0000_ ... _x0008_), inside a name and a standard."""
    controls = "".join(f"_x{n:04X}_" for n in range(9))
    return xlsx(list_rows([fee(name=f"单{controls}证费", standard=f"1{controls}00")])), NAME


def _bidi_override() -> tuple[bytes, str]:
    """A right-to-left override that would make "费证单" display as "单证费": stripped, as for source code spoofing."""
    return with_names("\u202e费证单\u202c")


def _megabyte_cell() -> tuple[bytes, str]:
    return xlsx(list_rows([fee(remarks=HUGE)])), NAME


def _hundred_thousand_rows() -> tuple[bytes, str]:
    """100,000 fee lines, streamed into the zip: past the row limit, and the reading must stop there."""
    buffer = io.BytesIO()
    parts = minimal_parts()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            if part != "xl/worksheets/sheet1.xml":
                archive.writestr(part, content)
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            head = list_rows([])
            stream.write((SHEET_OPEN + "".join(row_xml(n, v) for n, v in enumerate(head, 1))).encode())
            for start in range(ROW, ROW + 100_000, 10_000):
                rows = (
                    row_xml(n, fee(line_no=Number(str(n - ROW + 1)), name=f"单证费{n}", standard=Number(f"{n}.5")))
                    for n in range(start, start + 10_000)
                )
                stream.write("".join(rows).encode())
            stream.write(SHEET_CLOSE.encode())
    return buffer.getvalue(), NAME


def _merged_title(under: str = "进口") -> tuple[bytes, str]:
    """收费项目 merged over B:C, with 进口 under C in each line: C's values cannot be read under B's title (they
    were dropped without a word); with nothing under C (a wide title), the fee item is read from B."""
    titles = ("序号", "收费项目", None, *TABLE_HEADER[2:])
    lines = [[*line[:2], under, *line[2:]] for line in (fee(name="单证费"), fee(name="电放费"))]
    return xlsx(list_rows(lines, titles=titles), merges=[f"B{TITLE_ROW}:C{TITLE_ROW}"]), NAME


def _merged_title_over_nothing() -> tuple[bytes, str]:
    return _merged_title(under="")


def _merged_fee_item() -> tuple[bytes, str]:
    lines = [fee(name="港口作业包干费", conditions="20英尺"), fee(name=None, conditions="40英尺")]
    return xlsx(list_rows(lines), merges=[f"B{ROW}:B{ROW + 1}"]), NAME


def _misspelt_title() -> tuple[bytes, str]:
    titles = tuple("收费标淮" if t == "收费标准" else t for t in TABLE_HEADER)
    return xlsx(list_rows(titles=titles)), NAME


def _no_title_row() -> tuple[bytes, str]:
    return xlsx([*BLOCK, (), fee()]), NAME


def _no_data_sheet() -> tuple[bytes, str]:
    rows = [list(r) for r in list_rows()]
    return saved_by_openpyxl({"Sheet1": rows, "价格表": rows, "说明": [["填写说明"]]}), NAME


def _empty_workbook() -> tuple[bytes, str]:
    return saved_by_openpyxl({"Sheet1": []}), NAME


def _header_block_only() -> tuple[bytes, str]:
    return xlsx(list(BLOCK)), NAME


def _titles_without_lines() -> tuple[bytes, str]:
    return xlsx(list_rows([])), NAME


def _script_in_file_name() -> tuple[bytes, str]:
    return xlsx(list_rows()), "<script>alert(1)</script>.xlsx"


def _path_traversal_name() -> tuple[bytes, str]:
    return xlsx(list_rows()), "../../etc/passwd.xlsx"


def _bad_standard(case_id: str, value: Value, stored: str, *, web: bool = False) -> Case:
    expect = Read((At("invalid-value", STANDARD, "standard"),), stored={"standard": (stored,)})
    return Case(case_id, functools.partial(with_standard, value), expect, web)


def _good_standard(case_id: str, value: Value, stored: str, amount: Decimal) -> Case:
    expect = Read(stored={"standard": (stored,)}, amounts=(amount,), clean=(STANDARD,))
    return Case(case_id, functools.partial(with_standard, value), expect)


CASES: tuple[Case, ...] = (
    # Not a workbook, or not one that may be opened: refused before any parser runs.
    Case("zero-byte file", _zero_bytes, Refused("empty"), web=True),
    Case("truncated zip", _truncated_zip, Refused("corrupt"), web=True),
    Case("zip bomb in sharedStrings", _sharedstrings_bomb, Refused("zip-bomb"), web=True, bomb=True),
    Case("10,000 tiny zip entries", _many_tiny_entries, Refused("too-many-parts"), bomb=True),
    Case("parts expanding to 60 MB", _expands_to_sixty_megabytes, Refused("too-large-uncompressed"), bomb=True),
    Case("far-away cell spanning 26M cells", _far_away_cell, Refused("sheet-too-large"), bomb=True),
    Case("billion laughs", _billion_laughs, Refused("xml-dtd"), bomb=True),
    Case("XXE in sharedStrings", _xxe, Refused("xml-dtd"), web=True),
    Case("UTF-16 part", _utf16_part, Refused("xml-encoding")),
    Case("external links", _external_link, Refused("external-links")),
    Case("damaged OLE2 .xls", _xls_renamed, Refused("unreadable", by_guard=False), web=True),
    Case("password-protected (encrypted OOXML)", _encrypted_ooxml, Refused("encrypted")),
    Case("CSV renamed", _csv_renamed, Refused("text-format")),
    Case("GBK CSV renamed", _gbk_csv_renamed, Refused("text-format")),
    Case("HTML renamed", _html_renamed, Refused("html-format")),
    Case(".xlsm renamed (vbaProject)", _xlsm_renamed, Refused("macros"), web=True),
    Case("macro-enabled content type, no VBA part (SheetJS)", _macro_content_type_only, Read(lines=1)),
    Case("empty .ods", _ods_renamed, Refused("missing-sheet", by_guard=False)),
    Case("PDF renamed", _pdf_renamed, Refused("not-xlsx")),
    Case("PNG renamed", _png_renamed, Refused("not-xlsx")),
    Case("zip of a folder", _zipped_folder, Refused("not-xlsx")),
    Case("xlsx named .csv (read by content)", _xlsx_named_csv, Read(lines=1)),
    Case("6 MB file", _six_megabytes, Refused("too-large", status=413), web=True),
    # Past the guard, but not readable.
    Case("dangling worksheet", _dangling_sheet, Refused("unreadable", by_guard=False)),
    Case("broken sharedStrings", _broken_shared_strings, Refused("unreadable", by_guard=False)),
    # Read into the draft, each fault a finding at its cell.
    _bad_standard("negative amount", "-120", "-120", web=True),
    _bad_standard("negative number cell", Number("-120"), "-120"),
    _bad_standard("NaN", "NaN", "NaN"),
    _bad_standard("nan", "nan", "nan"),
    _bad_standard("NaN number cell", Number("NaN"), "NaN"),
    _bad_standard("inf", "inf", "inf"),
    _bad_standard("1e309", "1e309", "1e309"),
    _bad_standard("1e309 number cell", Number("1E+309"), "Infinity"),
    _bad_standard("1e-9", "1e-9", "1e-9"),
    _bad_standard("1e-9 number cell", Number("1E-9"), "0.000000001"),
    _bad_standard("12O", "12O", "12O"),
    _bad_standard("1,2,3", "1,2,3", "1,2,3"),
    _good_standard("-0", "-0", "-0", Decimal(0)),
    _good_standard("full-width digits", "１２０", "１２０", Decimal(120)),
    Case(
        "formula text stored as a string",
        _formula_text,
        Read(stored={"name": ("=1+1",), "remarks": ('=HYPERLINK("http://evil.example","点击")',)}, clean=(NAME_CELL,)),
    ),
    Case(
        "formula in a data cell",
        _formula_in_data_cell,
        Read((At("formula-not-allowed", STANDARD, "standard"),), stored={"standard": ("",)}),
        web=True,
    ),
    Case(
        "right-to-left text",
        functools.partial(with_names, "رسوم المستندات", "דמי מסמכים"),
        Read(stored={"name": ("رسوم المستندات", "דמי מסמכים")}, clean=(NAME_CELL, f"B{ROW + 1}")),
    ),
    Case(
        "emoji",
        functools.partial(with_names, "单证费🚢📦", "🐉"),
        Read(stored={"name": ("单证费🚢📦", "🐉")}, clean=(NAME_CELL, f"B{ROW + 1}")),
    ),
    Case(
        "control characters",
        _control_characters,
        Read(stored={"name": ("单证费",), "standard": ("100",)}, amounts=(Decimal(100),), clean=(STANDARD,)),
        web=True,
    ),
    Case("bidi override", _bidi_override, Read(stored={"name": ("费证单",)})),
    Case(
        "1 MB cell",
        _megabyte_cell,
        Read(
            (At("invalid-value", f"K{ROW}", "remarks", says={"length": str(MB), "limit": str(MAX_CELL_CHARS)}),),
            stored={"remarks": (HUGE[:MAX_CELL_CHARS],)},
        ),
    ),
    Case(
        "100,000 rows",
        _hundred_thousand_rows,
        Read((At("too-many-rows", None, row=ROW + ROW_LIMIT, says={"limit": str(ROW_LIMIT)}),), lines=ROW_LIMIT),
        bomb=True,
    ),
    Case("merged title cells over values", _merged_title, Refused("merged-title", by_guard=False)),
    Case(
        "merged title cells over nothing",
        _merged_title_over_nothing,
        Read(stored={"name": ("单证费", "电放费"), "conditions": ("", "")}, clean=(NAME_CELL,)),
    ),
    Case(
        "fee item merged over two rows",
        _merged_fee_item,
        Read(stored={"name": ("港口作业包干费", "港口作业包干费"), "conditions": ("20英尺", "40英尺")}),
    ),
    Case(
        "misspelt title",
        _misspelt_title,
        Read(
            (
                At("unknown-column", f"E{TITLE_ROW}", says={"label": "收费标淮", "suggestion": "收费标准 / Standard"}),
                At("missing-field", None, "standard", row=TITLE_ROW),
            ),
            stored={"standard": ("",)},
        ),
        web=True,
    ),
    Case("no row of column titles", _no_title_row, Refused("no-lines", by_guard=False)),
    Case("no data sheet among three", _no_data_sheet, Refused("missing-sheet", by_guard=False)),
    Case("empty workbook", _empty_workbook, Refused("no-lines", by_guard=False)),
    Case("header block only", _header_block_only, Refused("no-lines", by_guard=False)),
    Case("column titles without lines", _titles_without_lines, Refused("no-lines", by_guard=False)),
    Case("script tag in the file name", _script_in_file_name, Read(stored={"name": ("单证费",)}), web=True),
    Case("path traversal in the file name", _path_traversal_name, Read(stored={"name": ("单证费",)}), web=True),
)

REFUSED = tuple(c for c in CASES if isinstance(c.expect, Refused))
READ = tuple(c for c in CASES if isinstance(c.expect, Read))
WEB = tuple(c for c in CASES if c.web)
