"""The operator's details above the table: "Label | value" rows, "Label：value" cells; and those written under the
table (the complaint phone in a sentence too) when they are not above it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from openpyxl.utils.cell import get_column_letter

from portal.validation.findings import N_, Finding
from portal.validation.model import Header, Location, Severity
from portal.workbook import layout
from portal.workbook.cells import blank, cell_text
from portal.workbook.sheet_cells import SheetCells

_PHONE_LABEL = re.compile(r"(?:投诉(?:举报)?电话|举报电话|价格举报(?:电话)?|监督电话)\s*[:：]?\s*(.+)")
_PHONE = re.compile(r"[0-9０-９][0-9０-９\-－()（）\s转/、,，]{5,}[0-9０-９]")
# A title naming the operator before what the sheet is: the name up to its last 公司 or 集团, then a list's word.
_TITLE_OPERATOR = re.compile(
    r"^(.{4,60}(?:公司|集团))\s*(?:\d{4}\s*年度?)?\s*\S{0,12}(?:收费|价目|价格|费用|目录|清单|公示)"
)
LABEL_VALUE = re.compile(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(.*)$", re.S)

BELOW_ROWS = 30  # rows under the table looked at for the operator's details
CREDIT_CODE_AS_NUMBER = "credit-code-as-number"  # the rule of the finding on a credit code stored as a number


class HeaderBlock(SheetCells):
    """Reads the header block; `end_row` (the row that ended the table) is set by the table reader."""

    end_row: int | None

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
        """(attribute, column, value) of the row: each label with its value in the next filled cell (in any column:
        a margin column left empty, two pairs on one row), or "Label：value" cells."""
        row = self.rows[index]
        filled = [(column, value) for column, value in enumerate(row) if not blank(value)]
        taken = -1  # the last cell read as a label's value: no label itself
        for at, (column, value) in enumerate(filled):
            if not isinstance(value, str) or at == taken:
                continue
            entry = layout.match_header_field(value)
            joined = LABEL_VALUE.match(value)
            if entry is not None and not (joined and joined.group(2).strip()):
                following = filled[at + 1] if at + 1 < len(filled) else None
                if following is not None and not self._is_label(following[1]):
                    taken = at + 1
                    yield entry.attr, following[0], self._header_value(index, following[0], entry.attr)
                else:  # a label left without its value: found empty, at the cell beside it
                    yield entry.attr, column + 1, self._header_value(index, column + 1, entry.attr)
                continue
            if "：" not in value and ":" not in value:
                continue
            for part in re.split(r"\s{2,}|\n", value.strip()):  # "执行日期：2026-01-01", two in one cell
                match = LABEL_VALUE.match(part)
                found = layout.match_header_field(match.group(1)) if match else None
                if found is not None and match is not None:
                    yield found.attr, column, cell_text(match.group(2))

    @staticmethod
    def _is_label(value: object) -> bool:
        return isinstance(value, str) and layout.match_header_field(value) is not None

    def _header_value(self, index: int, column: int, attr: str) -> str:
        value = self._value(index, column)
        if attr == "credit_code" and isinstance(value, int | float) and not isinstance(value, bool):
            location = Location(self.sheet, index + 1, get_column_letter(column + 1), attr)
            self.findings.append(
                Finding(
                    CREDIT_CODE_AS_NUMBER,
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
        if attr in ("effective_date", "updated_date") and self.is_serial(value):
            return self._serial_date(value, self._origin(index, column), attr)
        return self._text(index, column, attr)

    def _below(self) -> range:
        """The rows under the table where an office writes its details, from the row that ended the table."""
        if self.end_row is None:
            return range(0)
        return range(self.end_row - 1, min(len(self.rows), self.end_row + BELOW_ROWS))

    def _details_below(self, header: Header) -> Header:
        """The operator's details written under the table (单位名称：..., 统一社会信用代码 | ...) fill those missing
        above it, each with a warning: the office wrote them, and was told they were missing."""
        found: dict[str, str] = {}
        locations = dict(header.locations)
        for index in self._below():
            for attr, column, text in self._header_entries(index):
                if attr in found or getattr(header, attr).strip() or not text.strip() or attr == "complaint_phone":
                    continue  # the phone: _phone_below, which finds it in a sentence too
                found[attr] = text
                location = locations[attr] = Location(self.sheet, index + 1, get_column_letter(column + 1), attr)
                label = layout.HEADER_FIELD_BY_ATTR[attr].zh
                self.findings.append(
                    Finding(
                        "details-below-table",
                        Severity.WARNING,
                        N_(
                            "The {label} was not in the operator's details above the table; {value}, written in "
                            "cell {cell} under the table, is taken. Put it in the row {label} above the table."
                        ),
                        {"label": label, "value": text.strip(), "cell": location.cell},
                        location,
                    )
                )
        return replace(header, **found, locations=locations) if found else header

    def _operator_in_title(self, header: Header, end: int) -> Header:
        """The operator named only in the title (广州示范港务有限公司收费目录清单, 中国外轮代理有限公司广州分公司2026年
        港口收费公示): taken, up to the company's last 公司 or 集团, with a warning that its own row is wanted."""
        if header.operator_name.strip():
            return header
        for index in range(min(end, len(self.rows))):
            filled = [(column, value) for column, value in enumerate(self.rows[index]) if not blank(value)]
            if len(filled) != 1 or not isinstance(filled[0][1], str):
                continue
            column, title = filled[0]
            match = _TITLE_OPERATOR.match(title.strip())
            if match is None or LABEL_VALUE.match(title):
                continue
            name = match.group(1).strip()
            location = Location(self.sheet, index + 1, get_column_letter(column + 1), "operator_name")
            self.findings.append(
                Finding(
                    "operator-in-title",
                    Severity.WARNING,
                    N_(
                        "The operator's name was not in its own row above the table; {name}, from the title in cell "
                        "{cell}, is taken. Write it in the row {label}, as in the template."
                    ),
                    {"name": name, "cell": location.cell, "label": layout.HEADER_FIELD_BY_ATTR["operator_name"].zh},
                    location,
                )
            )
            return replace(header, operator_name=name, locations={**header.locations, "operator_name": location})
        return header

    def _phone_below(self, header: Header) -> Header:
        """A complaint phone written under the table fills an empty header phone, with a warning."""
        if header.complaint_phone.strip():
            return header
        for index in self._below():
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
                return replace(header, complaint_phone=phone.group(0).strip(), locations=locations)
        return header

    # -- header row ---------------------------------------------------------------------------------------------
