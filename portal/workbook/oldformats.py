"""What calamine does not tell of an .xls or .ods sheet: its formula cells, hidden rows and hidden columns.

Read in the sandbox's child process (standard library only, within its memory and time limits), from the same bytes
calamine reads: an .xls's BIFF8 records (FORMULA, ROW's zero-height flag, COLINFO's hidden flag) in the Workbook
stream of its OLE2 compound file, an .ods's content.xml (table:formula, table:visibility). Sheet visibility calamine
reports itself. Each sheet's facts are keyed by its name; a file whose records cannot be followed has no facts, and
`read_facts` says so (None), so the reader can tell the office its formulas could not be checked.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from xml.parsers import expat

from portal.workbook import format_codes  # in the sandbox's child too: sandbox._main loads it from this folder

MAX_FORMULAS = 10_000  # formula cells kept per sheet: the reader reports the first hundred and counts the rest
MAX_SPAN = 1_000  # a hidden or repeated range longer than this reaches past any table: not expanded
MAX_ROWS = 1_048_576
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF

# sheet -> (formula cells A1, hidden rows, hidden columns, number cells whose format changes what they show: (A1, how),
# valued cells struck through A1, merged ranges ((first row, first column), (last row, last column)), zero-based, as
# calamine gives an .xlsx's and .xls's but not an .ods's, and cells holding an error value with no formula: (A1, #N/A))
Merged = tuple[tuple[int, int], tuple[int, int]]
Shown = list[tuple[str, "format_codes.Shown"]]
SheetFacts = tuple[list[str], list[int], list[int], Shown, list[str], list[Merged], list[tuple[str, str]]]
Facts = dict[str, SheetFacts]
MAX_STRUCK = 100_000  # struck-through cells kept per sheet
MAX_MERGED = 10_000  # merged ranges kept per sheet


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Sheet:
    def __init__(self) -> None:
        self.formulas: list[str] = []
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.shown: list[tuple[str, format_codes.Shown]] = []  # number cells shown otherwise (format_codes.py)
        self.struck: list[str] = []  # valued cells whose font strikes through
        self.merged: list[Merged] = []  # an .ods's spanned cells (calamine reports none)
        self.errors: list[tuple[str, str]] = []  # cells holding an error value, no formula: (A1, #N/A)

    def formula(self, row: int, column: int) -> None:  # 1-based
        if len(self.formulas) < MAX_FORMULAS:
            self.formulas.append(f"{column_letters(column)}{row}")

    def error(self, row: int, column: int, code: int) -> None:  # 1-based; a BOOLERR record's error code
        if len(self.errors) < MAX_FORMULAS:
            self.errors.append((f"{column_letters(column)}{row}", BOOLERR_ERRORS.get(code, "#ERROR")))

    def hide_columns(self, first: int, last: int) -> None:  # 1-based, inclusive
        if 0 < first <= last and last - first < MAX_SPAN:
            self.hidden_columns.update(range(first, last + 1))

    def shown_as(self, row: int, column: int, how: format_codes.Shown, value: float | None = None) -> None:  # 1-based
        """A number cell whose format changes what it shows; one rounded to fewer places only when it has more."""
        if isinstance(how, int) and (value is None or format_codes.rounded(value, how) is None):
            return
        if len(self.shown) < MAX_FORMULAS:
            self.shown.append((f"{column_letters(column)}{row}", how))

    def struck_at(self, row: int, column: int) -> None:  # 1-based
        if len(self.struck) < MAX_STRUCK:
            self.struck.append(f"{column_letters(column)}{row}")

    def merge(self, row: int, column: int, rows: int, columns: int) -> None:  # 1-based, spans
        if (rows > 1 or columns > 1) and len(self.merged) < MAX_MERGED:
            self.merged.append(((row - 1, column - 1), (row + rows - 2, column + columns - 2)))

    def facts(self) -> SheetFacts:
        hidden_rows, hidden_columns = sorted(self.hidden_rows), sorted(self.hidden_columns)
        return self.formulas, hidden_rows, hidden_columns, self.shown, self.struck, self.merged, self.errors


def read_facts(data: bytes) -> Facts | None:
    """Each sheet's formula cells and hidden rows and columns, or None when the file's records cannot be followed."""
    try:
        if data.startswith(b"PK"):
            return _ods(data)
        return _xls(data)
    except (ValueError, KeyError, IndexError, struct.error, zipfile.BadZipFile, expat.ExpatError, UnicodeError):
        return None


def null_date(data: bytes) -> str | None:
    """The day a date serial of 0 stands for, as ISO text, when the workbook says it is not 1899-12-30 (Excel's and
    LibreOffice's default): an .xls's DATEMODE record (1904-01-01 when set: Excel for Mac before 2011), an .ods's
    table:null-date (LibreOffice: Tools > Options > Calc > Calculate). None: the default, or not known."""
    try:
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
                head = part.read(256 * 1024)  # the calculation settings come before the first table
            end = head.find(b"<table:table ")
            found = _NULL_DATE.search(head if end < 0 else head[:end])
            return found.group(1).decode() if found else None
        stream = _stream(data, ("Workbook", "Book"))
        for kind, body in _records(stream, 0):
            if kind == DATEMODE:
                return "1904-01-01" if struct.unpack_from("<H", body, 0)[0] == 1 else None
            if kind == EOF:
                break
    except (ValueError, KeyError, IndexError, struct.error, zipfile.BadZipFile):
        return None
    return None


_NULL_DATE = re.compile(rb"<table:null-date\b[^>]*\btable:date-value=\"(\d{4}-\d{2}-\d{2})\"")


# -- .xls: OLE2 compound file, then BIFF8 records ----------------------------------------------------------------------


def _stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The first of the named streams of an OLE2 compound file."""
    if len(data) < 512:
        raise ValueError("no compound file header")
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector not in (512, 4096) or mini_sector != 64:
        raise ValueError("unexpected sector size")
    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini_fat, mini_fat_count, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)
    sectors = (len(data) - sector) // sector

    def at(number: int) -> bytes:
        if number >= sectors:
            raise ValueError("sector out of range")
        start = (number + 1) * sector
        return data[start : start + sector]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat, seen = first_difat, 0
    while next_difat not in (ENDOFCHAIN, FREESECT) and seen < difat_count:
        block = struct.unpack(f"<{sector // 4}I", at(next_difat))
        difat.extend(block[:-1])
        next_difat, seen = block[-1], seen + 1
    fat: list[int] = []
    for number in difat[:fat_count]:
        if number not in (ENDOFCHAIN, FREESECT):
            fat.extend(struct.unpack(f"<{sector // 4}I", at(number)))

    def chain(first: int, table: list[int], limit: int) -> list[int]:
        found, number = [], first
        while number not in (ENDOFCHAIN, FREESECT):
            if len(found) > limit or number >= len(table):
                raise ValueError("broken sector chain")
            found.append(number)
            number = table[number]
        return found

    directory = b"".join(at(n) for n in chain(first_dir, fat, sectors))
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
        kind = directory[offset + 66]
        start, size = struct.unpack_from("<II", directory, offset + 116)
        entries.append((name, kind, start, size))
    root = next(e for e in entries if e[1] == 5)
    stream = next(e for e in entries if e[1] == 2 and e[0] in names)
    _, _, start, size = stream
    if size >= cutoff:
        return b"".join(at(n) for n in chain(start, fat, sectors))[:size]
    mini_fat: list[int] = []
    for number in chain(first_mini_fat, fat, sectors)[:mini_fat_count]:
        mini_fat.extend(struct.unpack(f"<{sector // 4}I", at(number)))
    mini_stream = b"".join(at(n) for n in chain(root[2], fat, sectors))
    parts = []
    for number in chain(start, mini_fat, len(mini_stream) // mini_sector):
        parts.append(mini_stream[number * mini_sector : (number + 1) * mini_sector])
    return b"".join(parts)[:size]


def _records(stream: bytes, offset: int):
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length


BOF, EOF, BOUNDSHEET, FORMULA, ROW, COLINFO, DATEMODE = 0x0809, 0x000A, 0x0085, 0x0006, 0x0208, 0x007D, 0x0022
FORMAT, XF, NUMBER, RK, MULRK = 0x041E, 0x00E0, 0x0203, 0x027E, 0x00BD
FONT, LABELSST, LABEL, BOOLERR, RSTRING = 0x0031, 0x00FD, 0x0204, 0x0205, 0x00D6
VALUED = (LABELSST, LABEL, NUMBER, RK, FORMULA, BOOLERR, RSTRING)  # cell records holding a value (row, column, XF)
STRIKE_OUT = 0x0008  # a FONT record's grbit: fStrikeOut
# A BOOLERR record's error codes (MS-XLS 2.5.10 BErr) and the values Excel shows for them (cells.ERROR_VALUES has
# each: the reader says them alike however a file keeps them).
BOOLERR_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
BIFF8 = 0x0600


def _rk(body: bytes, offset: int) -> float:
    """An RK number (2.5.217): a float's high 30 bits or a signed 30-bit integer, maybe to be divided by 100."""
    rk = struct.unpack_from("<I", body, offset)[0]
    if rk & 2:
        value = float(struct.unpack_from("<i", body, offset)[0] >> 2)
    else:
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 1 else value


def _xls(data: bytes) -> Facts:
    stream = _stream(data, ("Workbook", "Book"))
    kind, version = struct.unpack_from("<HH", stream, 0)[0], struct.unpack_from("<H", stream, 4)[0]
    if kind != BOF or version != BIFF8:
        raise ValueError("not BIFF8 (Excel 97-2003): an older .xls's records are not read")
    sheets: list[tuple[str, int]] = []
    formats: dict[int, format_codes.Shown | None] = {}  # FORMAT records: a file's own codes, built-in numbers too
    cell_formats = []
    fonts: list[bool] = []  # FONT records in order: whether each strikes out
    cell_fonts = []
    for kind, body in _records(stream, 0):
        if kind == FONT:
            fonts.append(bool(struct.unpack_from("<H", body, 2)[0] & STRIKE_OUT))
        elif kind == FORMAT:
            number, count, flags = struct.unpack_from("<HHB", body, 0)
            code = body[5 : 5 + count * 2].decode("utf-16-le") if flags & 1 else body[5 : 5 + count].decode("latin-1")
            formats[number] = format_codes.shown_as(code)
        elif kind == XF:
            font, number = struct.unpack_from("<HH", body, 0)
            cell_formats.append(number)
            cell_fonts.append(font - 1 if font >= 4 else font)  # BIFF8 has no font 4: the fifth record is font 5
        elif kind == BOUNDSHEET:
            position, _state, sheet_type, count, flags = struct.unpack_from("<IBBBB", body, 0)
            raw = body[8:]
            name = raw[: count * 2].decode("utf-16-le") if flags & 1 else raw[:count].decode("latin-1")
            if sheet_type == 0:  # a worksheet (not a chart or macro sheet)
                sheets.append((name, position))
        elif kind == EOF:
            break
    styles = {
        index: formats[number] if number in formats else format_codes.built_in(number)
        for index, number in enumerate(cell_formats)
    }
    shown_styles = {index: how for index, how in styles.items() if how is not None}
    struck_styles = {index for index, font in enumerate(cell_fonts) if font < len(fonts) and fonts[font]}
    facts: Facts = {}
    for name, position in sheets:
        sheet = _Sheet()
        for kind, body in _records(stream, position):
            if kind == EOF:
                break
            if struck_styles and kind in VALUED:
                row, column, style = struct.unpack_from("<HHH", body, 0)
                if style in struck_styles:
                    sheet.struck_at(row + 1, column + 1)
            if kind == FORMULA:
                row, column = struct.unpack_from("<HH", body, 0)
                sheet.formula(row + 1, column + 1)
            elif kind == BOOLERR:
                row, column, _style, value, is_error = struct.unpack_from("<HHHBB", body, 0)
                if is_error:  # #N/A pasted as a value (calamine reads it as empty)
                    sheet.error(row + 1, column + 1, value)
            elif kind == ROW:
                row = struct.unpack_from("<H", body, 0)[0]
                if struct.unpack_from("<H", body, 12)[0] & 0x20:  # fDyZero: the row is hidden
                    sheet.hidden_rows.add(row + 1)
            elif kind == COLINFO:
                first, last, _, _, flags = struct.unpack_from("<HHHHH", body, 0)
                if flags & 0x1:  # fHidden
                    sheet.hide_columns(first + 1, last + 1)
            elif kind in (NUMBER, RK) and shown_styles:
                row, column, style = struct.unpack_from("<HHH", body, 0)
                if style in shown_styles:
                    value = struct.unpack_from("<d", body, 6)[0] if kind == NUMBER else _rk(body, 6)
                    sheet.shown_as(row + 1, column + 1, shown_styles[style], value)
            if kind == MULRK and (shown_styles or struck_styles):  # several RK numbers, each with its XF
                row, first = struct.unpack_from("<HH", body, 0)
                for n in range((len(body) - 6) // 6):
                    style = struct.unpack_from("<H", body, 4 + 6 * n)[0]
                    if style in struck_styles:
                        sheet.struck_at(row + 1, first + n + 1)
                    if style in shown_styles:
                        sheet.shown_as(row + 1, first + n + 1, shown_styles[style], _rk(body, 6 + 6 * n))
        facts[name] = sheet.facts()
    return facts


# -- .ods: content.xml -------------------------------------------------------------------------------------------------

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
HIDDEN = ("collapse", "filter")


_SHOWN_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.([0-9]+))?")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_SCIENTIFIC = re.compile(r"[0-9][Ee][+-]?[0-9]")


def shown_in_ods(value: float, text: str) -> format_codes.Shown | None:
    """How an .ods number cell's text (what LibreOffice showed, kept in the file) shows its value: PERCENT_SIGN for a
    % after a plain number, Priced for a currency written beside it ($100.00, 100.00 元), the decimal places when the
    text rounds the value; None otherwise, and for a text this cannot read for sure (scientific notation, a decimal
    comma)."""
    match = _SHOWN_NUMBER.search(text)
    if match is None or _SCIENTIFIC.search(text):
        return None
    if text.rstrip().endswith("%"):
        return format_codes.PERCENT_SIGN
    how = _shown_number(value, text, match)
    before, after = text[: match.start()], text[match.end() :]
    if format_codes.has_words(before, after):
        return format_codes.Worded(before, after, how)
    return how


def _shown_number(value: float, text: str, match: re.Match[str]) -> int | format_codes.Priced | None:
    priced = format_codes.currency_in(text[: match.start()] + " " + text[match.end() :])
    if "," in match.group(0) and match.group(1) is None and not _THOUSANDS.fullmatch(match.group(0)):
        decimals = None  # 13,89: a decimal comma, or a thousands separator; not judged
    else:
        places = len(match.group(1) or "")
        decimals = places if format_codes.rounded(value, places) is not None else None
    if priced is not None:
        return format_codes.Priced(*priced, decimals)
    return decimals


def _in_currency(how: format_codes.Shown | None, currency: str) -> format_codes.Shown:
    """How a currency cell (office:currency) shows its number: the cell's own currency over a sign read from its
    text, or with it when its text shows none (rare)."""
    if isinstance(how, format_codes.Worded):
        return how._replace(shown=_in_currency(how.shown, currency))
    if isinstance(how, format_codes.Priced):
        return how._replace(currency=currency)
    return format_codes.Priced(currency, currency, how if isinstance(how, int) else None)


class _Content:
    """Streams content.xml: each table's rows and cells counted as calamine counts them (repeats included)."""

    def __init__(self) -> None:
        self.facts: Facts = {}
        self._sheet: _Sheet | None = None
        self._name = ""
        self._depth = 0  # tables open (a table inside a cell is not a sheet)
        self._row = 0  # 1-based number of the next row
        self._row_repeat = 1
        self._column = 0  # 1-based number of the next column (of cells, then of column definitions)
        self._number: tuple[int, int, int, int, float] | None = None  # the open number cell: where, repeats, value
        self._shown: list[str] = []  # its text, as shown
        self._currency = ""  # an office:currency cell's code (USD), "" for a float
        self._notes = 0  # office:annotation elements open (a comment's text is not the cell's)
        self._style = ""  # the automatic style being defined
        self._struck_styles: set[str] = set()  # cell styles whose text is struck through

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        namespace, _, local = tag.rpartition(" ")
        if namespace == OFFICE and local == "annotation":
            self._notes += 1
        if namespace == STYLE:
            self._style_start(local, attrs)
            return
        if namespace != TABLE:
            return
        if local == "table":
            self._depth += 1
            if self._depth == 1:
                self._sheet, self._name = _Sheet(), attrs.get(f"{TABLE} name", "")
                self._row, self._column = 1, 1
            return
        sheet = self._sheet
        if sheet is None or self._depth != 1:
            return
        if local == "table-column":
            repeat = _number(attrs.get(f"{TABLE} number-columns-repeated"))
            if attrs.get(f"{TABLE} visibility") in HIDDEN:
                sheet.hide_columns(self._column, self._column + repeat - 1)
            self._column += repeat
        elif local == "table-row":
            self._row_repeat = _number(attrs.get(f"{TABLE} number-rows-repeated"))
            self._column = 1
            if attrs.get(f"{TABLE} visibility") in HIDDEN and self._row_repeat < MAX_SPAN:
                sheet.hidden_rows.update(range(self._row, self._row + self._row_repeat))
        elif local in ("table-cell", "covered-table-cell"):
            repeat = _number(attrs.get(f"{TABLE} number-columns-repeated"))
            if f"{TABLE} formula" in attrs and repeat < MAX_SPAN and self._row_repeat < MAX_SPAN:
                for row in range(self._row, self._row + self._row_repeat):
                    if len(sheet.formulas) >= MAX_FORMULAS:
                        break
                    for column in range(self._column, self._column + repeat):
                        sheet.formula(row, column)
            if attrs.get(f"{OFFICE} value-type") == "percentage" and repeat < MAX_SPAN and self._row_repeat < MAX_SPAN:
                for row in range(self._row, self._row + self._row_repeat):
                    for column in range(self._column, self._column + repeat):
                        sheet.shown_as(row, column, format_codes.PERCENT)
            rows_spanned = _number(attrs.get(f"{TABLE} number-rows-spanned"))
            columns_spanned = _number(attrs.get(f"{TABLE} number-columns-spanned"))
            if local == "table-cell" and repeat == 1 and self._row_repeat < MAX_SPAN:  # a spanned cell: merged
                for row in range(self._row, self._row + self._row_repeat):
                    sheet.merge(row, self._column, rows_spanned, columns_spanned)
            if attrs.get(f"{TABLE} style-name") in self._struck_styles and f"{OFFICE} value-type" in attrs:
                if repeat < MAX_SPAN and self._row_repeat < MAX_SPAN:
                    for row in range(self._row, self._row + self._row_repeat):
                        for column in range(self._column, self._column + repeat):
                            sheet.struck_at(row, column)
            value = attrs.get(f"{OFFICE} value")
            if attrs.get(f"{OFFICE} value-type") in ("float", "currency") and value is not None:
                if repeat < MAX_SPAN and self._row_repeat < MAX_SPAN:
                    self._number, self._shown = (self._row, self._column, repeat, self._row_repeat, float(value)), []
                    self._currency = attrs.get(f"{OFFICE} currency", "").strip().upper()  # ISO 4217: USD
            self._column += repeat

    def _style_start(self, local: str, attrs: dict[str, str]) -> None:
        """A cell style (content.xml's automatic styles) whose text properties strike through."""
        if local == "style":
            self._style = attrs.get(f"{STYLE} name", "") if attrs.get(f"{STYLE} family") == "table-cell" else ""
        elif local == "text-properties" and self._style:
            line = attrs.get(f"{STYLE} text-line-through-style", "none")
            if line != "none" or attrs.get(f"{STYLE} text-line-through-type", "none") not in ("none", ""):
                self._struck_styles.add(self._style)

    def text(self, data: str) -> None:
        if self._number is not None and not self._notes:
            self._shown.append(data)

    def end(self, tag: str) -> None:
        namespace, _, local = tag.rpartition(" ")
        if namespace == OFFICE and local == "annotation":
            self._notes -= 1
        if namespace != TABLE:
            return
        if local in ("table-cell", "covered-table-cell") and self._number is not None:
            self._close_number()
        if local == "table":
            if self._depth == 1 and self._sheet is not None:
                self.facts.setdefault(self._name, self._sheet.facts())
                self._sheet = None
            self._depth -= 1
        elif local == "table-row" and self._depth == 1:
            self._row = min(self._row + self._row_repeat, MAX_ROWS + 1)
            self._row_repeat = 1

    def _close_number(self) -> None:
        row, column, repeat, row_repeat, value = self._number or (0, 0, 0, 0, 0.0)
        self._number = None
        text = "".join(self._shown).strip()
        how = shown_in_ods(value, text)
        if self._currency:
            how = _in_currency(how, self._currency)
        if how is None or self._sheet is None:
            return
        for at_row in range(row, row + row_repeat):
            for at_column in range(column, column + repeat):
                self._sheet.shown_as(at_row, at_column, how, value)


def _number(text: str | None) -> int:
    if text is None:
        return 1
    value = int(text)
    if value < 1:
        raise ValueError("a repeat below 1")
    return value


def _ods(data: bytes) -> Facts:
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
        content = _Content()
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(*_: object) -> None:
            raise ValueError("a DTD or entity in content.xml")

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse
        parser.StartElementHandler = content.start
        parser.EndElementHandler = content.end
        parser.CharacterDataHandler = content.text
        while chunk := part.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return content.facts
