"""Checks an upload before any parser sees it: format, zip sizes, macros, DTDs, external links, formula cells."""

from __future__ import annotations

import functools
import io
import operator
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from xml.parsers import expat

from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import N_

MB = 1024 * 1024
CHUNK = 64 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATION = re.compile(rb"<!(?i:doctype|entity|attlist|element|notation)")
_DECLARATION_TAIL = 10  # longest marker minus one, kept between chunks
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_DIGITS = re.compile(r"[0-9]{1,7}")
# The quick scan of a worksheet. Irregular: a tag whose local name is c, f or row, except a cell or row tag written
# as Excel and openpyxl write it, its reference or number first; a sheet holding one is left to the full scan. A
# prefixed name (x:c) is caught by its colon, in text too: that only sends the sheet to the full scan.
_IRREGULAR = re.compile(rb'<(?:c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s/>]|f[\s/>]|row(?! r="[0-9]{1,7}")[\s/>])')
_PREFIXED = re.compile(rb":(?:c|f|row)[\s/>]")
_CELL_REFERENCES = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_REFERENCE_LETTERS, _REFERENCE_DIGITS = operator.itemgetter(0), operator.itemgetter(1)
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]{1,7})"')
_MAX_ROW, _MAX_COLUMN = 1_048_576, 16_384
_COLUMNS = {get_column_letter(n): n for n in range(1, _MAX_COLUMN + 1)}


@dataclass(frozen=True)
class GuardLimits:
    """How much an upload may hold; the app passes its configured values."""

    max_bytes: int = 5 * MB
    max_uncompressed: int = 50 * MB
    max_ratio: int = 100  # for parts larger than ratio_min_size
    ratio_min_size: int = 1 * MB
    max_entries: int = 1_000
    max_cells: int = 2_000_000  # rows x columns a sheet spans from A1; calamine allocates them densely


class UploadRefused(Exception):
    """The file is not read at all; `message` is an English msgid saying what to do, with `{named}` params."""

    def __init__(self, code: str, message: str, params: Mapping[str, object] | None = None) -> None:
        self.code = code
        self.message = message
        self.params = dict(params or {})
        super().__init__(f"{code}: {message.format(**self.params)}")


@dataclass(frozen=True)
class GuardResult:
    """What the guard learnt: each worksheet's part, and the cells holding formulas in each part."""

    sheets: Mapping[str, str] = field(default_factory=dict)  # sheet name -> part path, workbook order
    formula_cells: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # part path -> A1 refs

    def formulas_in(self, sheet: str) -> tuple[str, ...]:
        return self.formula_cells.get(self.sheets.get(sheet, ""), ())


def inspect_upload(data: bytes, filename: str, limits: GuardLimits | None = None) -> GuardResult:
    """Refuse anything but a plain, reasonably sized .xlsx; raise UploadRefused saying what to do instead."""
    limits = limits or GuardLimits()
    _check_container(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise _corrupt(error) from error
    with archive:
        entries = _check_entries(archive, filename, limits)
        try:
            return _scan_parts(archive, entries, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            raise _corrupt(error) from error
        except RuntimeError as error:  # zipfile: an encrypted member
            raise _encrypted() from error


def _check_container(data: bytes, limits: GuardLimits) -> None:
    if not data:
        raise UploadRefused("empty", N_("The file is empty. Choose your saved workbook (.xlsx) and upload it again."))
    if len(data) > limits.max_bytes:
        raise UploadRefused(
            "too-large",
            N_(
                "The file is {size_mb} MB; at most {limit_mb} MB is accepted. Remove pictures and sheets the list "
                "does not need, or copy the list into the blank template, and upload it again."
            ),
            {"size_mb": _mb(len(data)), "limit_mb": _mb(limits.max_bytes)},
        )
    if data.startswith(ZIP_MAGICS):
        return
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise _encrypted()
        raise UploadRefused(
            "xls-format",
            N_(
                "This is an old Excel 97-2003 (.xls) file. Open it in Excel or WPS, save it as Excel Workbook "
                "(.xlsx) and upload that file."
            ),
        )
    if _looks_like_text(data[:8192]):
        raise UploadRefused(
            "text-format",
            N_(
                "This is a text file (CSV, HTML or XML), not an Excel workbook. Open it in Excel or WPS, save it "
                "as Excel Workbook (.xlsx) and upload that file."
            ),
        )
    raise _not_xlsx()


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in sample or sample.startswith(b"%PDF"):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(sample) - 4:  # a character cut by the sample's end
                return True
            continue
        return True
    return False


def _check_entries(archive: zipfile.ZipFile, filename: str, limits: GuardLimits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UploadRefused(
            "too-many-parts",
            N_(
                "The workbook holds {count} internal parts; at most {limit} are accepted. Copy the fee list into "
                "the blank template and upload that."
            ),
            {"count": len(infos), "limit": limits.max_entries},
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in entries:
            raise _corrupt(f"duplicate part {info.filename}")
        entries[info.filename] = info
    lowered = {name.lower() for name in entries}
    if "mimetype" in lowered and _is_opendocument(archive, entries):
        raise UploadRefused(
            "ods-format",
            N_("This is an OpenDocument spreadsheet (.ods). Save it as Excel Workbook (.xlsx) and upload that file."),
        )
    if any(name.endswith("vbaproject.bin") for name in lowered):
        raise _macros()
    if CONTENT_TYPES not in entries or WORKBOOK not in entries:
        raise _not_xlsx()
    if not filename.lower().endswith(".xlsx"):
        raise UploadRefused(
            "wrong-extension",
            N_(
                "Only Excel workbooks whose name ends in .xlsx are accepted, and {filename} does not. Save the list "
                "as Excel Workbook (.xlsx) and upload that file."
            ),
            {"filename": filename},
        )
    if any(name.startswith("xl/externallinks/") for name in lowered):
        raise UploadRefused(
            "external-links",
            N_(
                "The workbook links to other workbooks. Break the links (in Excel: Data > Edit Links > Break Link), "
                "save it and upload it again."
            ),
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _encrypted()
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_size and ratio > limits.max_ratio:
            raise UploadRefused(
                "zip-bomb",
                N_(
                    "Part {part} of the workbook would expand {ratio} times when opened, as damaged or malicious "
                    "files do. Copy the fee list into the blank template and upload that."
                ),
                {"part": info.filename, "ratio": int(ratio)},
            )
        total += info.file_size
    if total > limits.max_uncompressed:
        raise UploadRefused(
            "too-large-uncompressed",
            N_(
                "The workbook expands to {size_mb} MB when opened; at most {limit_mb} MB is accepted. Delete unused "
                "rows, sheets and pictures, or copy the list into the blank template, and upload it again."
            ),
            {"size_mb": _mb(total), "limit_mb": _mb(limits.max_uncompressed)},
        )
    return entries


def _is_opendocument(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo]) -> bool:
    info = next(i for name, i in entries.items() if name.lower() == "mimetype")
    if info.file_size > 256:
        return False
    with archive.open(info) as part:
        return part.read(256).startswith(b"application/vnd.oasis.opendocument")


def _scan_parts(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo], limits: GuardLimits) -> GuardResult:
    content_types = b"".join(_xml_chunks(archive, entries[CONTENT_TYPES]))
    if b"macroenabled" in content_types.lower():
        raise _macros()
    targets: dict[str, str] = {}
    if WORKBOOK_RELS in entries:
        rels = _RelsScan()
        _parse(WORKBOOK_RELS, _xml_chunks(archive, entries[WORKBOOK_RELS]), rels.start)
        targets = rels.targets
    book = _WorkbookScan()
    _parse(WORKBOOK, _xml_chunks(archive, entries[WORKBOOK]), book.start)
    sheets = {name: targets[rid] for name, rid in book.sheets if rid in targets}
    # Whatever a parser may open is scanned: XML by name, every target the workbook points to, every worksheet.
    worksheets = set(sheets.values()) | {n for n in entries if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    scanned = {n for n in entries if n.lower().endswith(XML_SUFFIXES)} | set(targets.values()) | worksheets
    formulas: dict[str, tuple[str, ...]] = {}
    for name, info in entries.items():
        if name in (CONTENT_TYPES, WORKBOOK, WORKBOOK_RELS) or name not in scanned:
            continue
        if name not in worksheets:
            for _ in _xml_chunks(archive, info):
                pass
            continue
        scan = _quick_scan(archive, info, limits)
        if scan is None:
            scan = _SheetScan()
            _parse(name, _xml_chunks(archive, info), scan.start, scan.end)
        if scan.max_row * scan.max_column > limits.max_cells:
            sheet = next((s for s, part in sheets.items() if part == name), name)
            raise UploadRefused(
                "sheet-too-large",
                N_(
                    "Sheet {sheet} spans {rows} rows by {columns} columns from cell A1; at most {limit} cells are "
                    "accepted. Delete unused rows and columns (often far-away cells that only hold formatting), or "
                    "copy the list into the blank template, and upload it again."
                ),
                {"sheet": sheet, "rows": scan.max_row, "columns": scan.max_column, "limit": limits.max_cells},
            )
        formulas[name] = tuple(scan.formulas)
    return GuardResult(sheets=sheets, formula_cells=formulas)


def _xml_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in chunks, refused on a DTD or a non-UTF-8 encoding before the chunk is handed on."""
    tail = b""
    first = True
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            if first:
                _check_encoding(info.filename, chunk)
                first = False
            if _DECLARATION.search(tail + chunk):
                raise _dtd(info.filename)
            tail = chunk[-_DECLARATION_TAIL:]
            yield chunk


def _check_encoding(part: str, head: bytes) -> None:
    declared = _ENCODING.match(head)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]
    if utf16 or (declared is not None and declared.group(1).lower() not in _UTF8_NAMES):
        raise UploadRefused(
            "xml-encoding",
            N_(
                "Part {part} of the workbook is not encoded as UTF-8, as Excel writes it. Open the file in Excel or "
                "WPS, save it again as .xlsx and upload it again."
            ),
            {"part": part},
        )


def _parse(
    part: str,
    chunks: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
) -> None:
    """Parse the part with expat, refusing a DTD or an entity; without handlers it only checks well-formedness."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise _dtd(part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _corrupt(error) from error


@functools.lru_cache(maxsize=512)
def _local(name: str) -> str:
    """The tag without its namespace prefix; the same few names repeat, so each is split once."""
    return name.rpartition(":")[2]


class _RelsScan:
    """Relationship id -> part path, from xl/_rels/workbook.xml.rels."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        self.targets[attrs.get("Id", "")] = posixpath.normpath(path)


class _WorkbookScan:
    """(sheet name, relationship id) in workbook order, from xl/workbook.xml."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "sheet":
            return
        rid = next((value for key, value in attrs.items() if key.endswith(":id")), "")
        self.sheets.append((attrs.get("name", ""), rid))


def _quick_scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: GuardLimits) -> _QuickScan | None:
    """The worksheet checked for well-formedness by expat alone, its extent bounded by regular expressions.

    The answer is kept only when it proves what the full scan (`_SheetScan`, Python code for every element) would
    find: every cell tag written plainly with its reference, no formula, every reference valid and the extent
    within the limit. Anything else returns None and the full scan decides, so no file is judged more leniently.
    """
    quick = _QuickScan()
    _parse(info.filename, quick.scanned(_xml_chunks(archive, info)))
    if not quick.plain or quick.max_row * quick.max_column > limits.max_cells:
        return None
    return quick


class _QuickScan:
    """Bounds a worksheet's extent from its cell references, a chunk at a time, in C (re) rather than Python.

    Counts every cell, valued or not, so its extent is at least the full scan's. Tags never contain "<", so a
    chunk cut at its last "<" holds whole tags only, and the tags found piece by piece are those of the whole part.
    """

    def __init__(self) -> None:
        self.plain = True
        self.max_row = 0
        self.max_column = 0
        self.formulas: tuple[str, ...] = ()  # as _SheetScan has them; a sheet with any formula is not plain
        self._rest = b""  # from the last "<" seen: the start of a tag the next chunk may finish

    def scanned(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """The chunks, unchanged, each scanned on its way to the parser."""
        for chunk in chunks:
            if self.plain:
                self._take(chunk)
            yield chunk
        if self.plain:
            self._scan(self._rest)

    def _take(self, chunk: bytes) -> None:
        cut = chunk.rfind(b"<")
        if cut >= 0:
            self._scan(self._rest + chunk[:cut])
            self._rest = chunk[cut:]
        elif len(self._rest) < CHUNK:
            self._rest += chunk
        else:  # a text this long is no plain sheet: the full scan decides
            self.plain, self._rest = False, b""

    def _scan(self, piece: bytes) -> None:
        if _IRREGULAR.search(piece) or _PREFIXED.search(piece):
            self.plain = False
            return
        references = _CELL_REFERENCES.findall(piece)
        columns = [_COLUMNS.get(letters.decode()) for letters in set(map(_REFERENCE_LETTERS, references))]
        cell_rows = [int(digits) for digits in set(map(_REFERENCE_DIGITS, references))]
        rows = [int(digits) for digits in set(_ROW_NUMBERS.findall(piece))]
        if None in columns or not all(1 <= row <= _MAX_ROW for row in (*cell_rows, *rows)):
            self.plain = False
            return
        self.max_column = max(self.max_column, *columns, 0)
        self.max_row = max(self.max_row, *cell_rows, 0)


class _SheetScan:
    """Streams a worksheet: the cells holding formulas, and how far valued cells reach from A1.

    Every `c` element counts wherever it sits, so a hostile file cannot hide cells from the size check.
    """

    def __init__(self) -> None:
        self.formulas: list[str] = []
        self.max_row = 0
        self.max_column = 0
        self._row = 0
        self._column = 0
        self._cell: tuple[int, int] | None = None  # the open cell
        self._counted = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            ref = attrs.get("r")
            if ref:
                row, self._column = _parse_ref(ref)
            else:
                row, self._column = self._row, self._column + 1
            self._cell = (row, self._column)
            self._counted = False
        elif local == "row":
            self._row = _row_number(attrs.get("r"), self._row + 1)
            self._column = 0
            self._cell = None
        elif self._cell is not None and local in ("v", "is", "f"):
            row, column = self._cell
            if not self._counted:
                self._counted = True
                self.max_row = max(self.max_row, row)
                self.max_column = max(self.max_column, column)
            if local == "f":
                self.formulas.append(f"{get_column_letter(column)}{row}")

    def end(self, name: str) -> None:
        if self._cell is not None and _local(name) == "c":
            self._cell = None


def _row_number(text: str | None, default: int) -> int:
    if text is None:
        return default
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= _MAX_ROW:
        raise _corrupt(f"bad row number {text!r}")
    return int(text)


def _parse_ref(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    column = _COLUMNS.get(letters)
    if column is None or not (digits.isascii() and digits.isdigit() and 0 < len(digits) <= 7):
        raise _corrupt(f"bad cell reference {ref!r}")
    row = int(digits)
    if not 1 <= row <= _MAX_ROW:
        raise _corrupt(f"bad cell reference {ref!r}")
    return row, column


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def _corrupt(detail: object) -> UploadRefused:
    return UploadRefused(
        "corrupt",
        N_(
            "The file is damaged or incomplete (for example, a download that did not finish). Open it in Excel or "
            "WPS, save it again as .xlsx and upload it again."
        ),
        {"detail": str(detail)},
    )


def _not_xlsx() -> UploadRefused:
    return UploadRefused(
        "not-xlsx",
        N_(
            "This file is not an Excel workbook (.xlsx). Save the list as Excel Workbook (.xlsx), for example from "
            "the blank template, and upload that file."
        ),
    )


def _encrypted() -> UploadRefused:
    return UploadRefused(
        "encrypted",
        N_(
            "The workbook is protected by a password. Remove the password (in Excel: File > Info > Protect "
            "Workbook), save it as .xlsx and upload it again."
        ),
    )


def _macros() -> UploadRefused:
    return UploadRefused(
        "macros",
        N_(
            "The workbook contains macros, which are not accepted. Save it as Excel Workbook (.xlsx), not as a "
            "macro-enabled workbook (.xlsm), and upload that file."
        ),
    )


def _dtd(part: str) -> UploadRefused:
    return UploadRefused(
        "xml-dtd",
        N_(
            "Part {part} of the workbook contains an XML document type declaration, which Excel never writes and "
            "which is refused for safety. Open the file in Excel or WPS, save it again as .xlsx and upload it again."
        ),
        {"part": part},
    )
