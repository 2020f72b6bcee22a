"""One pass over the data sheet's rows: header block, header row (one or two rows), then the fee lines until the
table ends (a note, signature or phone row, or a long run of empty rows)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Header, Location, Severity
from portal.workbook import layout
from portal.workbook.cells import blank, cell_text, plain_text
from portal.workbook.layout import Column
from portal.workbook.merges import Merges

FORMULA_FINDINGS = 100  # formula cells reported one by one; the rest are summed up in one finding
STRAY_GAP = 50  # empty rows after which a non-empty cell is no longer part of the table
STRAY_FINDINGS = 20
UNKNOWN_FINDINGS = 20  # unknown column titles reported one by one; the rest in one finding
EXCEL_EPOCH = date(1899, 12, 30)
SERIALS = range(20_000, 73_051)  # Excel date serials of 1954-10-03 .. 2099-12-31: numbers a date field may hold
# A row that ends the table: notes, signatures, phones and stamps written under it.
_END_MARKERS = re.compile(
    r"^\s*(?:注\s*[:：\d①-⑩一二三四五六七八九十、.（(]|注意事项|备注\s*[:：]|说明\s*[:：]|附注|制表|填表|审核|审批|复核|负责人|"
    r"经办人|联系人|联系电话|投诉电话|投诉举报|举报电话|价格举报|监督电话|12345|12358|单位\s*[（(]?\s*盖章|盖章|签字|签名|"
    r"日期\s*[:：])"
)
_PHONE_LABEL = re.compile(r"(?:投诉(?:举报)?电话|举报电话|价格举报(?:电话)?|监督电话)\s*[:：]?\s*(.+)")
_PHONE = re.compile(r"[0-9０-９][0-9０-９\-－()（）\s转/、,，]{5,}[0-9０-９]")
_LABEL_VALUE = re.compile(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(.*)$", re.S)


@dataclass(frozen=True)
class Group:
    """Sub-columns under one title of a two-row header: the title's column, unfolded one line per sub-column."""

    column: Column
    members: tuple[tuple[int, str], ...]  # (column index, sub-title)


class SheetReader:
    """Reads one sheet's rows (calamine values) into a header, fee lines and located findings."""

    def __init__(
        self,
        sheet: str,
        rows: Sequence[Sequence[object]],
        merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
        formulas: Sequence[str],
        max_rows: int,
    ) -> None:
        self.sheet = sheet
        self.rows = rows
        self.max_rows = max_rows
        self.formulas: dict[str, str | None] = dict.fromkeys(formulas)  # ref -> field read there
        self.findings: list[Finding] = []
        self.long_cells: set[tuple[int, int]] = set()
        self.width = max((len(r) for r in rows[:200]), default=0) if rows else 0
        self.merges = Merges(merged, len(rows), max(self.width, max((len(r) for r in rows), default=0)))
        self.last_row = 0  # 1-based, the last row looked at
        self.end_row: int | None = None  # 1-based, the row that ended the table
        self.groups: tuple[Group, ...] = ()

    # -- cells --------------------------------------------------------------------------------------------------

    def _own(self, index: int, column: int) -> object:
        row = self.rows[index]
        return row[column] if column < len(row) else ""

    def _origin(self, index: int, column: int) -> tuple[int, int]:
        if self.merges:
            return self.merges.origin(index, column) or (index, column)
        return index, column

    def _value(self, index: int, column: int) -> object:
        """The cell's value, or the top-left value of the merged range covering it."""
        return self._own(*self._origin(index, column))

    def _text(self, index: int, column: int, field_name: str, *, multiline: bool = False) -> str:
        origin = self._origin(index, column)
        if self.formulas:
            ref = f"{get_column_letter(origin[1] + 1)}{origin[0] + 1}"
            if ref in self.formulas:
                if field_name == "line_no":  # a line number worked out (=ROW()-9): its cached value is the number
                    del self.formulas[ref]
                else:
                    self.formulas[ref] = field_name
                    return ""
        value = self._own(*origin)
        if field_name in layout.DATE_FIELDS and _is_serial(value):
            return self._serial_date(value, origin, field_name)
        text = cell_text(value, multiline=multiline)
        if len(text) <= layout.MAX_CELL_CHARS:
            return text
        if origin not in self.long_cells:
            self.long_cells.add(origin)
            location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
            self.findings.append(
                Finding(
                    "invalid-value",
                    Severity.ERROR,
                    N_(
                        "Cell {cell} holds {length} characters; only the first {limit} are kept. Shorten it, or put "
                        "the detail in a document the list refers to."
                    ),
                    {"cell": location.cell, "length": len(text), "limit": layout.MAX_CELL_CHARS},
                    location,
                )
            )
        return text[: layout.MAX_CELL_CHARS]

    def _serial_date(self, value: object, origin: tuple[int, int], field_name: str) -> str:
        day = (EXCEL_EPOCH + timedelta(days=int(float(value)))).isoformat()  # type: ignore[arg-type]
        location = Location(self.sheet, origin[0] + 1, get_column_letter(origin[1] + 1), field_name)
        self.findings.append(
            Finding(
                "date-as-number",
                Severity.WARNING,
                N_(
                    "Cell {cell} holds the number {number}, which Excel uses for the date {date}; it is read as "
                    "{date}. Check the date, and format the cell as a date (or type it as {date}) so it shows as one."
                ),
                {"cell": location.cell, "number": cell_text(value), "date": day},
                location,
            )
        )
        return day

    # -- the sheet ----------------------------------------------------------------------------------------------

    def read(self) -> tuple[Header, tuple[FeeLine, ...], frozenset[str]]:
        header_index = self._find_header_row()
        every = frozenset(c.key for c in layout.COLUMNS)
        if header_index is None:
            self.last_row = min(len(self.rows), layout.HEADER_SEARCH_ROWS)
            header = self._header_block(self.last_row)
            self.findings.append(
                Finding(
                    "missing-header-row",
                    Severity.ERROR,
                    N_(
                        "No row of column titles was found in the first {limit} rows of sheet {sheet}. Above the "
                        "fee lines, one row must hold the column titles, such as {examples}, as in the template."
                    ),
                    {"limit": layout.HEADER_SEARCH_ROWS, "sheet": self.sheet, "examples": examples()},
                    Location(sheet=self.sheet),
                )
            )
            return header, (), every
        header = self._header_block(header_index)
        columns, first_data = self._columns(header_index)
        lines = self._lines(first_data, columns)
        header = self._phone_below(header)
        present = {c.key for c in columns.values()} | {g.column.key for g in self.groups}
        self.findings.extend(self._formula_findings(lines))
        return header, lines, every - present

    def _find_header_row(self) -> int | None:
        for index in range(min(len(self.rows), layout.HEADER_SEARCH_ROWS)):
            matches = {
                column.key
                for value in self.rows[index]
                if isinstance(value, str) and (column := layout.match_column(value)) is not None
            }
            if len(matches) >= layout.MIN_HEADER_MATCHES:
                return index
        return None

    # -- header block -------------------------------------------------------------------------------------------

    def _header_block(self, end: int) -> Header:
        values: dict[str, str] = {}
        locations: dict[str, Location] = {}
        for index in range(end):
            for attr, column, text in self._header_entries(index):
                if attr in values:
                    continue
                values[attr] = text
                locations[attr] = Location(self.sheet, index + 1, get_column_letter(column + 1), attr)
        return Header(**values, locations=locations)

    def _header_entries(self, index: int) -> Iterator[tuple[str, int, str]]:
        """(attribute, column, value) of the row: a label with its value in the next cell, or "Label：value" cells."""
        row = self.rows[index]
        label = row[0] if row else ""
        entry = layout.match_header_field(label) if isinstance(label, str) and label.strip() else None
        if entry is not None:
            column = next((c for c in range(1, len(row)) if not blank(row[c])), 1)
            yield entry.attr, column, self._header_value(index, column, entry.attr)
            return
        for column, value in enumerate(row):
            if not isinstance(value, str) or ("：" not in value and ":" not in value):
                continue
            for part in re.split(r"\s{2,}|\n", value.strip()):
                match = _LABEL_VALUE.match(part)
                found = layout.match_header_field(match.group(1)) if match else None
                if found is not None and match is not None:
                    yield found.attr, column, cell_text(match.group(2))

    def _header_value(self, index: int, column: int, attr: str) -> str:
        value = self._value(index, column)
        if attr == "credit_code" and isinstance(value, int | float) and not isinstance(value, bool):
            location = Location(self.sheet, index + 1, get_column_letter(column + 1), attr)
            self.findings.append(
                Finding(
                    "credit-code-as-number",
                    Severity.ERROR,
                    N_(
                        "Cell {cell}: the spreadsheet stored the credit code as a number ({number}), so it may have "
                        "lost digits or letters. Format the cell as Text (or type an apostrophe ' before the code), "
                        "type the 18-character code again and upload the workbook again."
                    ),
                    {"cell": location.cell, "number": cell_text(value)},
                    location,
                )
            )
        if attr in ("effective_date", "updated_date") and _is_serial(value):
            return self._serial_date(value, self._origin(index, column), attr)
        return self._text(index, column, attr)

    def _phone_below(self, header: Header) -> Header:
        """A complaint phone written under the table fills an empty header phone, with a warning."""
        if self.end_row is None or header.complaint_phone.strip():
            return header
        for index in range(self.end_row - 1, min(len(self.rows), self.end_row + 30)):
            for column, value in enumerate(self.rows[index]):
                if not isinstance(value, str):
                    continue
                match = _PHONE_LABEL.search(value)
                phone = _PHONE.search(match.group(1)) if match else None
                if phone is None:
                    continue
                location = Location(self.sheet, index + 1, get_column_letter(column + 1), "complaint_phone")
                self.findings.append(
                    Finding(
                        "phone-below-table",
                        Severity.WARNING,
                        N_(
                            "The complaint phone was not in the operator's details above the table; {phone}, written "
                            "in cell {cell} under the table, is taken. Put it in the row {label} above the table."
                        ),
                        {"phone": phone.group(0).strip(), "cell": location.cell, "label": "投诉举报电话"},
                        location,
                    )
                )
                locations = {**header.locations, "complaint_phone": location}
                return _with(header, complaint_phone=phone.group(0).strip(), locations=locations)
        return header

    # -- header row ---------------------------------------------------------------------------------------------

    def _columns(self, header_index: int) -> tuple[dict[int, Column], int]:
        """Column index -> Column, and the first data row; one finding per unknown or repeated title."""
        titles: dict[int, str] = {}
        for c in range(len(self.rows[header_index])):
            origin = self._origin(header_index, c)
            if origin != (header_index, c) and origin[0] == header_index:
                continue  # the rest of a title merged across columns
            titles[c] = cell_text(self._value(header_index, c), multiline=True)
        first_data = header_index + 1
        groups = self._groups(header_index, titles)
        if groups is not None:
            self.groups, first_data = groups, header_index + 2
            for group in groups:
                for c, _ in group.members[1:]:
                    titles.pop(c, None)
                titles.pop(group.members[0][0], None)
        found: dict[int, Column] = {}
        first_at: dict[str, int] = {g.column.key: g.members[0][0] for g in self.groups}
        for c, title in titles.items():
            column = layout.match_column(title) if title else None
            if column is not None and column.key not in first_at:
                found[c] = column
                first_at[column.key] = c
        unknown = 0
        for c, title in titles.items():
            if not title or c in found:
                continue
            location = Location(self.sheet, header_index + 1, get_column_letter(c + 1), None)
            column = layout.match_column(title)
            unknown += 1
            if unknown > UNKNOWN_FINDINGS:
                continue
            if column is not None:
                self.findings.append(
                    Finding(
                        "duplicate-column",
                        Severity.WARNING,
                        N_("Column {label} appears again in cell {cell}; only the first, in {first}, is read."),
                        {
                            "label": title,
                            "cell": location.cell,
                            "first": f"{get_column_letter(first_at[column.key] + 1)}{header_index + 1}",
                        },
                        location,
                    )
                )
            else:
                self.findings.append(_unknown_column(title, location, set(first_at)))
        if unknown > UNKNOWN_FINDINGS:
            self.findings.append(
                Finding(
                    "unknown-column",
                    Severity.WARNING,
                    N_("{count} more column titles in row {row} are not columns of the prescribed format; not read."),
                    {"count": unknown - UNKNOWN_FINDINGS, "row": header_index + 1},
                    Location(self.sheet, header_index + 1, None, None),
                )
            )
        for column in layout.COLUMNS:
            if column.required and column.key not in first_at:
                self.findings.append(
                    Finding(
                        "missing-field",
                        Severity.ERROR,
                        N_(
                            "The table has no {label} column, which is required. Add it to the row of column "
                            "titles (row {row}), as in the template."
                        ),
                        {"label": column.bilingual, "row": header_index + 1},
                        Location(self.sheet, header_index + 1, None, column.key),
                    )
                )
        return found, first_data

    def _groups(self, header_index: int, titles: Mapping[int, str]) -> tuple[Group, ...] | None:
        """The sub-columns of a two-row header (a title over several columns, sub-titles in the row below), if any.

        Only the price may be split so (收费标准 over 20英尺 / 40英尺 / 45英尺): each sub-column becomes its own
        line with the sub-title as its condition. A title of any other column over sub-columns cannot be read
        exactly, so the
        workbook is refused with a message showing how to write it.
        """
        below = header_index + 1
        if below >= len(self.rows):
            return None
        spans: list[tuple[int, int, str]] = []  # (first column, last column, title)
        ordered = sorted(c for c, t in titles.items() if t)
        for position, c in enumerate(ordered):
            span = self.merges.span(header_index, c) if self.merges else None
            last = span[1] if span and span[0] == header_index else c
            if last == c:  # an unmerged title followed by empty title cells, sub-titles under each
                following = ordered[position + 1] if position + 1 < len(ordered) else len(self.rows[header_index])
                while (
                    last + 1 < following
                    and not _blank(self._own(below, last + 1))
                    and self._origin(header_index, last + 1) == (header_index, last + 1)
                ):
                    last += 1
            spans.append((c, last, titles[c]))
        wide = [s for s in spans if s[1] > s[0]]
        if not wide:
            return None
        for c0, c1, _ in spans:  # under a single-column title the row below must be empty or merged from above
            if c1 == c0 and not _blank(self._own(below, c0)) and self._origin(below, c0)[0] != header_index:
                return None
        groups = []
        for c0, c1, title in wide:
            subtitles = [cell_text(self._own(below, c), multiline=False) for c in range(c0, c1 + 1)]
            if not all(isinstance(self._own(below, c), str) for c in range(c0, c1 + 1)) or not all(subtitles):
                return None  # numbers under a wide title: a data row, not sub-titles
            column = layout.match_column(title)
            if column is None or column.key != "standard":
                raise SubColumnsRefused(title, get_column_letter(c0 + 1), header_index + 1, subtitles)
            groups.append(Group(column, tuple(zip(range(c0, c1 + 1), subtitles, strict=True))))
        return tuple(groups)

    # -- lines --------------------------------------------------------------------------------------------------

    def _lines(self, first: int, columns: dict[int, Column]) -> tuple[FeeLine, ...]:
        lines: list[FeeLine] = []
        letters = {column.key: get_column_letter(c + 1) for c, column in columns.items()}
        plain = not self.groups and not self.formulas
        self.last_row = first
        gap = 0
        for index in range(first, len(self.rows)):
            cells = self.rows[index]
            if cells.count("") == len(cells) or all(blank(value) for value in cells):
                gap += 1
                self.last_row = index + 1
                continue
            if gap >= STRAY_GAP and lines:
                self._strays(index, gap)
                break
            gap = 0
            if self._ends_table(index):
                self.end_row = index + 1
                break
            if len(lines) >= self.max_rows:
                self.findings.append(
                    Finding(
                        "too-many-rows",
                        Severity.ERROR,
                        N_(
                            "The list has more than {limit} fee lines; reading stopped at row {row}. Remove empty or "
                            "repeated rows, or ask the port bureau how to submit a list this long."
                        ),
                        {"limit": self.max_rows, "row": index + 1},
                        Location(self.sheet, index + 1, None, None),
                    )
                )
                break
            self.last_row = index + 1
            if self.groups:
                lines.extend(self._unfolded(index, columns, letters))
            else:
                row_plain = plain and not (self.merges and self.merges.in_row(index))
                lines.append(self._line(index, columns, letters, plain=row_plain))
        return tuple(lines)

    def _ends_table(self, index: int) -> bool:
        """A note, signature, stamp or phone row: its first text starts so, or one text is merged across the table."""
        cells = self.rows[index]
        texts = [(c, v) for c, v in enumerate(cells) if not blank(v)]
        first = texts[0][1] if texts else ""
        if isinstance(first, str) and _END_MARKERS.match(first) and len(texts) <= 3:
            return True
        return len(texts) == 1 and bool(self.merges) and self.merges.across(index, len(cells))

    def _strays(self, index: int, gap: int) -> None:
        """Cells far below the table, after a long run of empty rows: named, and not read as fee lines."""
        count = 0
        for at in range(index, len(self.rows)):
            for c, value in enumerate(self.rows[at]):
                if blank(value) or count >= STRAY_FINDINGS:
                    continue
                count += 1
                location = Location(self.sheet, at + 1, get_column_letter(c + 1), None)
                self.findings.append(
                    Finding(
                        "stray-cell",
                        Severity.ERROR,
                        N_(
                            "Cell {cell} holds {value}, far below the table ({gap} empty rows after it), so it is "
                            "not read as a fee line. Delete it, or move the line up into the table."
                        ),
                        {"cell": location.cell, "value": cell_text(value)[:40], "gap": gap},
                        location,
                    )
                )

    def _line(self, index: int, columns: dict[int, Column], letters: Mapping[str, str], *, plain: bool) -> FeeLine:
        row = index + 1
        values: dict[str, str] = {"name": ""}  # FeeLine requires a name even when the column is missing
        cells = self.rows[index]
        if plain and len(cells) == self.width and plain_text(cells):  # what _text makes of most rows, in C
            # letters has the keys of columns, in the same order
            values.update(zip(letters, map(str.strip, map(cells.__getitem__, columns)), strict=True))
        else:
            for c, column in columns.items():
                values[column.key] = self._text(index, c, column.key, multiline=column.multiline)
        return FeeLine(**values, key=str(row), row=row, locations=_Cells(self.sheet, row, letters))

    def _unfolded(self, index: int, columns: dict[int, Column], letters: Mapping[str, str]) -> Iterator[FeeLine]:
        """One line per sub-column holding a price, its sub-title added to the line's conditions."""
        base = self._line(index, columns, letters, plain=False)
        row = index + 1
        for group in self.groups:
            for position, (c, subtitle) in enumerate(group.members, 1):
                price = self._text(index, c, group.column.key, multiline=True)
                if not price:
                    continue
                conditions = f"{base.conditions} {subtitle}".strip() if base.conditions else subtitle
                own = {**letters, group.column.key: get_column_letter(c + 1)}
                values = {k: getattr(base, k) for k in layout.COLUMN_BY_KEY} | {
                    "conditions": conditions,
                    group.column.key: price,
                }
                key = str(row) if position == 1 else f"{row}.{position}"
                yield FeeLine(**values, key=key, row=row, locations=_Cells(self.sheet, row, own))

    def _formula_findings(self, lines: tuple[FeeLine, ...]) -> list[Finding]:
        names = {line.row: line.name for line in lines}
        keys = {line.row: line.key for line in lines}
        cells = []
        for ref in self.formulas:
            letters = ref.rstrip("0123456789")
            row = int(ref[len(letters) :])
            if row <= self.last_row:
                cells.append((row, len(letters), letters, ref))
        cells.sort()
        findings = []
        for row, _, letters, ref in cells[:FORMULA_FINDINGS]:
            findings.append(
                Finding(
                    "formula-not-allowed",
                    Severity.ERROR,
                    N_(
                        "Cell {cell} on sheet {sheet} holds a formula. Type the value itself (copy the cells, then "
                        "paste values only); the formula is not read."
                    ),
                    {"cell": ref, "sheet": self.sheet},
                    Location(self.sheet, row, letters, self.formulas[ref]),
                    item=names.get(row, ""),
                    line_key=keys.get(row),
                )
            )
        if len(cells) > FORMULA_FINDINGS:
            row, _, letters, ref = cells[FORMULA_FINDINGS]
            findings.append(
                Finding(
                    "formula-not-allowed",
                    Severity.ERROR,
                    N_("{count} more cells on sheet {sheet}, from {cell} on, hold formulas that are not read."),
                    {"count": len(cells) - FORMULA_FINDINGS, "sheet": self.sheet, "cell": ref},
                    Location(self.sheet, row, letters, None),
                )
            )
        return findings


class SubColumnsRefused(Exception):
    """A title other than the price over sub-columns: the sheet cannot be read exactly."""

    def __init__(self, title: str, column: str, row: int, subtitles: Sequence[str]) -> None:
        self.params = {"title": title, "cell": f"{column}{row}", "subtitles": " / ".join(subtitles)}
        super().__init__(self.params)


SUB_COLUMNS = N_(
    "The column title {title} in cell {cell} has sub-columns ({subtitles}) in the row below; only the price "
    "(收费标准) may be split so. Write one row per condition instead: put {subtitles} in the 适用条件 column, "
    "each on its own row with its own 收费标准, and upload the workbook again."
)


class _Cells(Mapping[str, Location]):
    """A line's field -> cell, each Location made when asked: only lines with findings are ever located."""

    __slots__ = ("_sheet", "_row", "_letters")

    def __init__(self, sheet: str, row: int, letters: Mapping[str, str]) -> None:
        self._sheet = sheet
        self._row = row
        self._letters = letters  # field -> column letter, shared by every line of the sheet

    def __getitem__(self, field_name: str) -> Location:
        return Location(self._sheet, self._row, self._letters[field_name], field_name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._letters)

    def __len__(self) -> int:
        return len(self._letters)


def _blank(value: object) -> bool:
    return blank(value)


def _is_serial(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and int(value) in SERIALS


def _with(header: Header, **changed: object) -> Header:
    from dataclasses import replace

    return replace(header, **changed)


def _unknown_column(title: str, location: Location, present: set[str]) -> Finding:
    missing = [c for c in layout.COLUMNS if c.key not in present] or list(layout.COLUMNS)
    by_label = {layout.normalise_label(label): c for c in missing for label in c.labels}
    close = difflib.get_close_matches(layout.normalise_label(title), list(by_label), n=1, cutoff=0.5)
    params: dict[str, object] = {"label": title, "cell": location.cell}
    if close:
        params["suggestion"] = by_label[close[0]].bilingual
        message = N_(
            "Column title {label} in cell {cell} is not a column of the prescribed format; did you mean "
            "{suggestion}? Its values are not read."
        )
    else:
        params["known"] = ", ".join(c.zh for c in layout.COLUMNS)
        message = N_(
            "Column title {label} in cell {cell} is not a column of the prescribed format, so its values are not "
            "read. The columns are: {known}."
        )
    return Finding("unknown-column", Severity.WARNING, message, params, location)


def examples() -> str:
    return ", ".join(layout.COLUMN_BY_KEY[key].bilingual for key in ("name", "service_content", "standard"))
