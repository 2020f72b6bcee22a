"""A worksheet part measured before any reader sees it: its extent, formula cells, hidden rows and columns, text.

Two scans find the same facts. The quick one runs regular expressions (in C) over the bytes and answers only for a
sheet written plainly, as Excel, WPS, LibreOffice and the writers of Python write it; the full one (expat with a
Python handler for every element) decides everything else, so no file is judged more leniently by the quick one.
"""

from __future__ import annotations

import functools
import operator
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from openpyxl.utils.cell import get_column_letter

from portal.workbook import refusals
from portal.workbook.cells import ERROR_MARK
from portal.workbook.xmlparts import CHUNK, DECLARATION, local, parse, xml_chunks

MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
COLUMNS = {get_column_letter(n): n for n in range(1, MAX_COLUMN + 1)}
_DIGITS = re.compile(r"[0-9]{1,7}")
# Irregular: a tag whose local name is c, f or row, except a cell or row tag written as Excel and openpyxl write it,
# its reference or number first; a sheet holding one is left to the full scan. A prefixed name (x:c) is caught by
# its colon, in text too: that only sends the sheet to the full scan.
_IRREGULAR_CELL = rb'c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s/>]'
_IRREGULAR_ROW = rb'row(?! r="[0-9]{1,7}")[\s/>]'
_FORMULA = rb"f[\s/>]"
_IRREGULAR = re.compile(rb"<(?:" + _IRREGULAR_CELL + b"|" + _FORMULA + b"|" + _IRREGULAR_ROW + b")")
_PREFIXED = re.compile(rb":(?:c|f|row|col)[\s/>]")
_DECLARATION = re.compile(b"<" + DECLARATION)
_CELL_REFERENCES = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_LETTERS, _NUMBERS = operator.itemgetter(0), operator.itemgetter(1)
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]{1,7})"')
_HIDDEN_ROWS = re.compile(rb'<row r="([0-9]{1,7})"[^>]*?\shidden="(?:1|true)"')
_SHARED_CELLS = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="[0-9]+")? t="s"(?: s="[0-9]+")?><v>([0-9]+)</v>')
_SHARED_VALUES = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]+")? t="s"(?: s="[0-9]+")?><v>([0-9]+)</v>')
_COL_TAGS = re.compile(rb"<col\s[^>]*>")
# What a hidden row or column's tag holds, as _HIDDEN_ROWS and _ATTRIBUTE read it; a search finds it faster than `in`.
_HIDDEN = re.compile(rb'hidden="')
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
# A cell holding an error value and no formula (#N/A pasted as a value), as the writers write it; calamine reads it
# as empty. A formula's error is the formula's finding.
_ERROR_MARK = ERROR_MARK.encode()  # every error value starts so, and few sheets hold one elsewhere: one memchr
_ERROR_CELLS = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="[0-9]+")? t="e"(?: s="[0-9]+")?><v>([^<]{1,32})</v>')
MAX_ERRORS = 10_000  # error cells kept per sheet


PIECE = 4 * 1024 * 1024  # bytes of whole tags scanned at once
SAMPLE = 64 * 1024  # bytes at each end of a piece whose cells give the candidate extent


def _greater(written: bytes, alphabet: bytes) -> bytes:
    """A pattern matching the strings of `alphabet` longer than `written`, or as long and after it in order (for
    digits without leading zeros and for column letters, the larger numbers and farther columns)."""
    low, high = chr(alphabet[0]), chr(alphabet[-1])
    every = f"[{low}-{high}]"
    options = [f"{every}{{{len(written) + 1},}}"]
    for at, code in enumerate(written):
        if code < alphabet[-1]:
            rest = len(written) - at - 1
            options.append(re.escape(written[:at].decode()) + f"[{chr(code + 1)}-{high}]{every}{{{rest}}}")
    return "|".join(options).encode()


def _not_after(written: bytes, alphabet: bytes, lowest_first: int) -> bytes:
    """A pattern matching the strings of `alphabet` shorter than `written`, or as long and not after it in order,
    none starting below `lowest_first` (for digits, "1": no leading zero; for column letters, the nearer columns).

    The options as long as `written` come first: most rows of a long sheet are numbered with as many digits as its
    last, and a regular expression tries its options in order (which option matches changes nothing else)."""
    every, first = f"[{chr(alphabet[0])}-{chr(alphabet[-1])}]", f"[{chr(lowest_first)}-{chr(alphabet[-1])}]"
    options = []
    for at, code in enumerate(written):
        floor = lowest_first if at == 0 else alphabet[0]
        if code > floor:
            rest = len(written) - at - 1
            following = f"{every}{{{rest}}}" if rest else ""
            options.append(re.escape(written[:at].decode()) + f"[{chr(floor)}-{chr(code - 1)}]{following}")
    options.append(re.escape(written.decode()))
    if len(written) > 1:
        options.append(f"{first}{every}{{0,{len(written) - 2}}}")
    return "|".join(options).encode()


def _within(letters: bytes, digits: bytes) -> bytes:
    """After '<c r="': a reference no farther than column `letters` and row `digits` (1 or more), written plainly
    (no leading zero), and its closing quote."""
    columns = _not_after(letters, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", ord("A"))
    rows = _not_after(str(int(digits)).encode(), b"0123456789", ord("1"))
    return b"(?:" + columns + b")(?:" + rows + b')"'


_BAD_ROW_NUMBER = rb"(?:0+|" + _greater(str(MAX_ROW).encode(), b"0123456789") + rb')"'  # after '<row r="'


@functools.lru_cache(maxsize=64)
def _unproved(letters: bytes, digits: bytes) -> re.Pattern[bytes]:
    """An irregular tag (what _IRREGULAR finds), a bad row number, a reference not plainly within column `letters`
    and row `digits`, or a DTD, in one search: one pass over the bytes, the common starts (<c, <row) written once.
    A cell tag is matched unless its reference is within: one test of each reference, where _IRREGULAR_CELL and a
    search for one beyond would make two."""
    cell = rb'c(?! r="' + _within(letters, digits) + rb")[\s/>]"
    row = rb'row(?: r="' + _BAD_ROW_NUMBER + b"|" + _IRREGULAR_ROW[3:] + b")"
    return re.compile(b"<(?:" + cell + b"|" + row + b"|" + _FORMULA + b"|" + DECLARATION + b")")


@dataclass
class SheetFacts:
    """What a scan learnt of one worksheet part."""

    max_row: int = 0
    max_column: int = 0
    far_cell: str = ""  # the valued cell farthest from the table, named when the sheet is refused as too large
    formulas: list[str] = field(default_factory=list)  # A1 references, in sheet order
    hidden_rows: set[int] = field(default_factory=set)  # 1-based
    hidden_columns: set[int] = field(default_factory=set)  # 1-based
    text: int = 0  # bound of the characters the shared-string cells expand to (full scan only)
    longest_text_cell: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # A1 -> the error value a cell shows (#N/A), no formula


def quick_scan(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_cells: int, string_sizes: Sequence[int] | None = None
) -> SheetFacts | None:
    """The facts from regular expressions, or None when the sheet is not written plainly (the full scan decides)."""
    quick = _QuickScan(string_sizes, info.filename)
    for _ in quick.scanned(xml_chunks(archive, info, declarations=False)):
        pass  # UTF-8: xml_chunks; no DTD and the tags: the regular expressions (calamine parses the part itself)
    if not quick.plain or quick.facts.max_row * quick.facts.max_column > max_cells:
        return None
    return quick.facts


def full_scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, string_sizes: Sequence[int] | None) -> SheetFacts:
    """Every element looked at; with `string_sizes`, the shared-string cells' text is bounded too."""
    scan = _SheetScan(string_sizes)
    parse(info.filename, xml_chunks(archive, info), scan.start, scan.end, scan.text)
    scan.facts.far_cell = scan.far_cell()
    return scan.facts


class _QuickScan:
    """Bounds a worksheet's extent from its cell references, a chunk at a time.

    Takes every cell, valued or not, into the extent, so it is at least the full scan's. Tags never contain "<", so a
    chunk cut at its last "<" holds whole tags only, and the tags found piece by piece are those of the whole part.
    Every piece is searched for a DTD too (refused): a sheet found not plain is read again by the full scan, whose
    chunks are searched for one as they come.
    """

    def __init__(self, string_sizes: Sequence[int] | None = None, part: str = "") -> None:
        self.plain = True
        self._part = part
        self.facts = SheetFacts()
        self._sizes = string_sizes
        self._rest = b""  # from the last "<" seen: the start of a tag the next chunk may finish
        self._pieces: list[bytes | memoryview] = []  # whole tags waiting to be scanned together (once a PIECE)
        self._waiting = 0
        self._far_row = ""
        self._longest = 0

    def scanned(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """The chunks, unchanged, each scanned on its way to the parser."""
        for chunk in chunks:
            if self.plain:
                self._take(chunk)
            yield chunk
        if self.plain:
            self._pieces.append(self._rest)
            self._flush()
            self.facts.far_cell = self._far_row

    def _take(self, chunk: bytes) -> None:
        cut = chunk.rfind(b"<")
        if cut >= 0:
            self._pieces += (self._rest, memoryview(chunk)[:cut])  # joined once, in _flush
            self._waiting += cut + len(self._rest)
            self._rest = chunk[cut:]
            if self._waiting >= PIECE:
                self._flush()
        elif len(self._rest) < CHUNK:
            self._rest += chunk
        else:  # a text this long is no plain sheet: the full scan decides
            self.plain, self._rest = False, b""

    def _flush(self) -> None:
        piece = b"".join(self._pieces)
        self._pieces, self._waiting = [], 0
        if self.plain:
            self._scan(piece)

    def _scan(self, piece: bytes) -> None:
        if self._sizes is None and self._bounded(piece):
            return  # most pieces: no DTD, no irregular tag, and the extent proved from a sample, in two searches
        if _DECLARATION.search(piece):
            raise refusals.dtd(self._part)
        if _IRREGULAR.search(piece) or _PREFIXED.search(piece):
            self.plain = False
            return
        facts = self.facts
        references = _CELL_REFERENCES.findall(piece)
        columns = [COLUMNS.get(letters.decode()) for letters in set(map(_LETTERS, references))]
        cell_rows = [int(digits) for digits in set(map(_NUMBERS, references))]
        rows = [int(digits) for digits in set(_ROW_NUMBERS.findall(piece))]
        if None in columns or not all(1 <= row <= MAX_ROW for row in (*cell_rows, *rows)):
            self.plain = False
            return
        if self._sizes is not None and not self._shared_text(piece):
            self.plain = False
            return
        facts.max_column = max(facts.max_column, *columns, 0)
        if cell_rows and max(cell_rows) >= facts.max_row:
            facts.max_row = max(cell_rows)
            last = references[-1]
            self._far_row = (last[0] + last[1]).decode()
        _marked(piece, facts)

    def _bounded(self, piece: bytes) -> bool:
        """The piece's extent from a sample of its cells, when one search proves no cell reaches past it.

        The candidates are the farthest column and row among the cells of the piece's first and last SAMPLE bytes
        (rows come in order, so the last row is there); one search finding no reference but those plainly within
        them (no leading zero, no row 0), no bad row number, irregular tag, formula or DTD, and one finding no
        prefixed tag, prove them the piece's extent and the piece plain. Anything else (no sample, any of those
        found) is left to the checks below, which decide as before.
        """
        sample = _CELL_REFERENCES.findall(piece[:SAMPLE]) + _CELL_REFERENCES.findall(piece[-SAMPLE:])
        if not sample:
            return False
        # each distinct column and row number judged once (a sample holds a thousand cells of a dozen columns)
        letters = max(set(map(_LETTERS, sample)), key=lambda text: COLUMNS.get(text.decode(), MAX_COLUMN + 1))
        digits = max(set(map(_NUMBERS, sample)), key=int)
        if COLUMNS.get(letters.decode()) is None or not 1 <= int(digits) <= MAX_ROW:
            return False
        if _PREFIXED.search(piece) or _unproved(letters, digits).search(piece):
            return False
        facts = self.facts
        facts.max_column = max(facts.max_column, COLUMNS[letters.decode()])
        if int(digits) >= facts.max_row:
            facts.max_row = int(digits)
            last = [ref for ref in sample if ref[1] == digits][-1]
            self._far_row = (last[0] + last[1]).decode()
        _marked(piece, facts)
        return True

    def _shared_text(self, piece: bytes) -> bool:
        """Adds the piece's shared-string cells' text bound; False when some such cell is not written plainly."""
        indices = _SHARED_VALUES.findall(piece)
        if len(indices) != piece.count(b't="s"'):
            return False
        sizes = self._sizes or ()
        try:
            lengths = [sizes[int(i)] for i in indices]
        except IndexError:
            return False
        if lengths:
            self.facts.text += sum(lengths)
            longest = max(lengths)
            if longest > self._longest:
                self._longest = longest
                at = lengths.index(longest)
                match = [m for m in _SHARED_CELLS.finditer(piece)][at]
                self.facts.longest_text_cell = match.group(1).decode()
        return True


def _marked(piece: bytes, facts: SheetFacts) -> None:
    """The piece's hidden rows and columns and its error cells, each looked for only where a search finds a mark."""
    if _HIDDEN.search(piece):
        facts.hidden_rows.update(int(r) for r in _HIDDEN_ROWS.findall(piece))
        for tag in _COL_TAGS.findall(piece):
            _hidden_columns(dict(_ATTRIBUTE.findall(tag)), facts.hidden_columns)
    if _ERROR_MARK in piece:
        for match in _ERROR_CELLS.finditer(piece):  # one at a time: a hostile sheet may hold a million
            if len(facts.errors) >= MAX_ERRORS:
                return
            facts.errors[match[1].decode()] = match[2].decode("utf-8", "replace")


def _hidden_columns(attrs: dict, into: set[int]) -> None:
    get = attrs.get
    if get(b"hidden", get("hidden")) not in (b"1", b"true", "1", "true"):
        return
    try:
        first = int(get(b"min", get("min", 0)))
        last = int(get(b"max", get("max", 0)))
    except ValueError:
        return
    first, last = max(first, 1), min(last, MAX_COLUMN)
    if last - first < 1_000:  # a hidden range to the sheet's end holds no table column
        into.update(range(first, last + 1))


class _SheetScan:
    """Streams a worksheet: the cells holding formulas, how far valued cells reach from A1, hidden rows and columns.

    Every `c` element counts wherever it sits, so a hostile file cannot hide cells from the size check.
    """

    def __init__(self, string_sizes: Sequence[int] | None) -> None:
        self.facts = SheetFacts()
        self._sizes = string_sizes
        self._row = 0
        self._column = 0
        self._cell: tuple[int, int] | None = None  # the open cell
        self._counted = False
        self._shared = False
        self._error = False  # the open cell holds an error value (t="e")
        self._value: list[str] | None = None
        self._shown_error: list[str] | None = None  # the open error cell's value, as it comes
        self._far_row: tuple[int, int] = (0, 0)
        self._far_column: tuple[int, int] = (0, 0)
        self._longest = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        facts = self.facts
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                row, self._column = parse_ref(ref)
            else:
                row, self._column = self._row, self._column + 1
            self._cell = (row, self._column)
            self._counted = False
            self._shared = attrs.get("t") == "s"
            self._error = attrs.get("t") == "e"
        elif tag == "row":
            self._row = row_number(attrs.get("r"), self._row + 1)
            self._column = 0
            self._cell = None
            if attrs.get("hidden") in ("1", "true"):
                facts.hidden_rows.add(self._row)
        elif tag == "col":
            _hidden_columns(attrs, facts.hidden_columns)
        elif self._cell is not None and tag in ("v", "is", "f"):
            row, column = self._cell
            if not self._counted:
                self._counted = True
                if row > facts.max_row:
                    facts.max_row, self._far_row = row, (row, column)
                if column > facts.max_column:
                    facts.max_column, self._far_column = column, (row, column)
            if tag == "f":
                facts.formulas.append(f"{get_column_letter(column)}{row}")
                self._error = False  # a formula's error is the formula's finding
            elif tag == "v" and self._shared and self._sizes is not None:
                self._value = []
            elif tag == "v" and self._error and len(facts.errors) < MAX_ERRORS:
                self._shown_error = []

    def text(self, data: str) -> None:
        if self._value is not None:
            self._value.append(data)
        elif self._shown_error is not None:
            self._shown_error.append(data)

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "c" and self._cell is not None:
            self._cell = None
        elif tag == "v" and self._shown_error is not None:
            if self._cell is not None:
                row, column = self._cell
                self.facts.errors[f"{get_column_letter(column)}{row}"] = "".join(self._shown_error).strip()[:32]
            self._shown_error = None
        elif tag == "v" and self._value is not None:
            index = "".join(self._value).strip()
            self._value = None
            sizes = self._sizes or ()
            size = sizes[int(index)] if index.isdigit() and int(index) < len(sizes) else 0
            self.facts.text += size
            if size > self._longest and self._cell is not None:
                self._longest = size
                self.facts.longest_text_cell = f"{get_column_letter(self._cell[1])}{self._cell[0]}"

    def far_cell(self) -> str:
        """The cell whose row (or, for a sheet too wide, whose column) makes the sheet's extent."""
        row, column = self._far_row if self.facts.max_row / 20_000 >= self.facts.max_column / 26 else self._far_column
        return f"{get_column_letter(column)}{row}" if row else ""


def row_number(text: str | None, default: int) -> int:
    if text is None:
        return default
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ROW:
        raise refusals.corrupt(f"bad row number {text!r}")
    return int(text)


def parse_ref(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    column = COLUMNS.get(letters)
    if column is None or not (digits.isascii() and digits.isdigit() and 0 < len(digits) <= 7):
        raise refusals.corrupt(f"bad cell reference {ref!r}")
    row = int(digits)
    if not 1 <= row <= MAX_ROW:
        raise refusals.corrupt(f"bad cell reference {ref!r}")
    return row, column
