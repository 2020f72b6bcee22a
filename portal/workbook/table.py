"""One pass over the data sheet's rows: header block, header row (one or two rows), then the fee lines until the
table ends (a note, signature or phone row, or a long run of empty rows)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from openpyxl.utils.cell import get_column_letter

from portal.validation import vocabulary
from portal.validation.findings import N_, Finding
from portal.validation.model import FeeLine, Header, Location, Severity
from portal.workbook import layout
from portal.workbook.cells import _UNCLEAN_ANYWHERE, ERROR_MARK, blank, cell_text, plain_text
from portal.workbook.header_block import HeaderBlock
from portal.workbook.header_row import (
    MERGED_TITLE,
    SUB_COLUMNS,
    HeaderRow,
    MergedTitleRefused,
    SubColumnsRefused,
    examples,
)
from portal.workbook.layout import Column
from portal.workbook.merges import Merges
from portal.workbook.sheet_cells import ROWS_NAMED
from portal.workbook.sheetscan import parse_ref

__all__ = ["MERGED_TITLE", "SUB_COLUMNS", "MergedTitleRefused", "SheetReader", "SubColumnsRefused", "examples"]

FORMULA_FINDINGS = 100  # formula cells reported one by one; the rest are summed up in one finding
STRAY_GAP = 50  # empty rows after which a non-empty cell is no longer part of the table
STRAY_FINDINGS = 20
# A row that ends the table: notes, signatures, phones and stamps written under it.
# A first word that is a label with a stamp or signature after it (填报单位（盖章）, 公司（公章）), or an address, fax,
# e-mail or date label (公司地址：, 填报日期：), counts too.
# The operator's details written under the table (单位名称：..., 统一社会信用代码 | ...): a label of the header block,
# alone in its cell or before a colon (its Chinese spellings: an English word may be a fee's name).
_HEADER_LABELS = sorted(
    {label for field in layout.HEADER_FIELDS for label in (field.zh, *field.variants) if not label.isascii()},
    key=len,
    reverse=True,
)
_END_MARKERS = re.compile(
    r"^\s*(?:注\s*[:：\d①-⑩一二三四五六七八九十、.（(]|注意事项|备注\s*[:：]|说明\s*[:：]|附注|制表|填表|填报|编制|制单人|审核|"
    r"审批|复核|批准|签发|主管|(?:单位|部门)?负责人|经办人|联系人|联系电话|投诉电话|投诉举报|举报电话|价格举报|监督电话|12345|"
    r"12358|单位\s*盖章|[^\s:：]{0,10}[（(]\s*(?:盖章|公章|签章|签字)|盖章|签字|签名|"
    r"[^\s:：]{0,6}(?:地址|网址|传真|邮箱|日期)\s*[:：]|"
    rf"(?:{'|'.join(map(re.escape, _HEADER_LABELS))})\s*(?:[:：]|$))"
)
# First cells that are line numbers only: of the markers, only the hotlines 12345 and 12358 are digits alone.
_NUMBERS_ONLY = re.compile(r"[0-9]*")
_DIGIT_MARKERS = ("12345", "12358")


_LINE_KEYS = tuple(layout.COLUMN_BY_KEY)
_NAME = operator.attrgetter("name")
AS_ABOVE = N_(
    "{count} cells say 同上 or 〃 (as above): {cells}. Each was read as the value of its column on the line above. "
    "Check them, and write the value itself in each cell: the published list shows each line on its own."
)
NOTHING_ABOVE = N_(
    "Cells {cells} say 同上 or 〃 (as above), but they are on the first fee line, with no line above them. Write the "
    "value itself in each."
)
_DITTO_KEYS = tuple(key for key in layout.COLUMN_BY_KEY if key != "line_no")  # 序号 同上 is no number at all
NOT_A_LINE = N_(
    "Row {row} ({text}) is in the table but is not a fee line: it is read as a heading or a note, and "
    "the fee lines below it are read on. If what it says applies to those lines, write it in their "
    "适用条件 (conditions): the published list shows fee lines only."
)
TOTAL_ROW = N_(
    "Row {row} ({text}) adds up the fees above it and is not a fee line, so it is not read: a fee list gives each "
    "fee's price, not their sum. Delete the row."
)
_TOTALS = frozenset(
    {"合计", "总计", "小计", "共计", "汇总", "总额", "合计金额", "TOTAL", "TOTALS", "SUBTOTAL", "GRANDTOTAL", "SUM"}
)


_DIGIT = re.compile(r"[0-9０-９]")


def _is_titles(line: FeeLine) -> bool:
    """A row of column titles among the lines (a list pasted page by page, each page's titles with it): its name
    and at least as many other values as a header row needs are titles of their own columns; no price has digits."""
    if not line.name or _DIGIT.search(line.standard):
        return False
    own = [key for key in _LINE_KEYS if (value := getattr(line, key)) and _titles_column(value, key)]
    return "name" in own and len(own) >= layout.MIN_HEADER_MATCHES


def _titles_column(value: str, key: str) -> bool:
    column = layout.match_column(value)
    return column is not None and column.key == key


_TOTAL_STARTS = frozenset("合总小共汇TtSsＴｔＳｓ")  # a first look, so a long list's names are not each normalised


def _is_total(first: str) -> bool:
    """A row summing the lines above: 合计 (or Total) as its name, or in 序号 with no name (`first`)."""
    if len(first) > 16 or first.lstrip()[:1] not in _TOTAL_STARTS:
        return False
    return vocabulary.compact(first).rstrip(":：") in _TOTALS


class SheetReader(HeaderRow, HeaderBlock):
    """Reads one sheet's rows (calamine values) into a header, fee lines and located findings."""

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
        lines = self._in_title_currency(self._as_above(self._without_headings(self._lines(first_data, columns))))
        self._refuse_spread_values(lines)
        self._untitled_values(lines)
        header = self._phone_below(self._operator_in_title(self._details_below(header), header_index))
        present = {c.key for c in columns.values()} | {g.column.key for g in self.groups}
        self.findings.extend(self._formula_findings(lines))
        self._errors_in_blank_rows(first_data, columns)
        self.findings.extend(self._more_cells())
        return header, lines, every - present

    def _errors_in_blank_rows(self, first: int, columns: dict[int, Column]) -> None:
        """Error values in the table's rows that no line read: a row of nothing but #N/A is blank to calamine, so it
        was passed over without a word (a pasted block of failed look-ups under the list)."""
        read = {c: column.key for c, column in columns.items()}  # the columns read: no word on another's cells
        read |= {c: group.column.key for group in self.groups for c, _ in group.members}
        for (row, column), shown in sorted((parse_ref(ref), shown) for ref, shown in self.errors.items()):
            if first < row <= self.last_row and column - 1 in read:
                self._error_value((row - 1, column - 1), read[column - 1], shown)

    def _lines(self, first: int, columns: dict[int, Column]) -> tuple[FeeLine, ...]:
        lines: list[FeeLine] = []
        letters = {column.key: get_column_letter(c + 1) for c, column in columns.items()}
        plain = not self.groups and not self.formulas and not self.errors
        take = _taker(columns)
        keys = tuple(letters)  # in the order of columns
        unnamed = "name" not in letters  # FeeLine requires a name even when the column is missing
        merges = self.merges if self.merges else None
        defaults = FeeLine.defaults()
        sheet, width = self.sheet, self.width
        whole = list(columns) == list(range(width))  # every cell of a full row read, in order: taken as it is
        new, own = object.__new__, object.__setattr__  # FeeLine.adopted(), inlined
        block = self._plain_block(first, merges) if plain else None
        if block is not None:
            return self._block_lines(first, block, columns, letters)
        self.last_row = first
        self._name_and_price = (
            [c for c, column in columns.items() if column.key == "name"],
            [c for c, column in columns.items() if column.key == "standard"]
            + [c for group in self.groups for c, _subtitle in group.members],
        )
        gap = 0
        for index in range(first, len(self.rows)):
            cells = self.rows[index]
            merged = merges is not None and merges.in_row(index)
            joined = None
            if plain and not merged:
                try:
                    joined = " ".join(cells)  # every cell text: one check of the whole row, in C
                except TypeError:
                    pass
            if joined is not None:
                if not joined or joined.isspace():
                    gap += 1
                    self.last_row = index + 1
                    continue
            elif cells.count("") == len(cells) or all(blank(value) for value in cells):
                gap += 1
                self.last_row = index + 1
                continue
            if gap >= STRAY_GAP and lines:
                self._strays(index, gap)
                break
            gap = 0
            lead = cells[0] if cells else ""
            # _ends_table, whose answer is no for most rows: not merged, a first cell that is no note's start
            if (merged or lead == "" or (type(lead) is str and _END_MARKERS.match(lead))) and self._ends_table(index):
                if not self._lines_follow(index):
                    self.end_row = index + 1
                    break
                self._not_a_line(index)  # a heading or note between fee lines: the lines below are read on
                self.last_row = index + 1
                continue
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
            elif joined is not None and len(cells) == width and plain_text(cells, joined):
                # what _text makes of most rows: each cell stripped
                row = index + 1
                values = defaults.copy()  # keys and the cells taken: one per column, in order
                values.update(zip(keys, map(str.strip, cells if whole else take(cells)), strict=False))
                values["key"], values["row"] = str(row), row
                values["locations"] = _Cells(sheet, row, letters)
                if unnamed:
                    values["name"] = ""
                line = new(FeeLine)
                own(line, "__dict__", values)
                lines.append(line)
            else:
                lines.append(self._line(index, columns, letters))
        return tuple(lines)

    def _plain_block(self, first: int, merges: Merges | None) -> list[bool] | None:
        """Whether every row from `first` to the sheet's end is a fee line that the loop of _lines takes without
        a second look, each test made once for the whole block, in C: no row merged, each a full row of texts,
        none blank, none whose first cell is empty or a note's start (only those can end the table), no more rows
        than a list may hold. Then, row by row, whether plain_text holds (the loop's fast path), else None and the
        loop decides."""
        rows = self.rows
        count = len(rows) - first
        if count <= 0 or count > self.max_rows or not self.width:
            return None
        block = rows[first:]
        if merges is not None and any(map(merges.in_row, range(first, len(rows)))):
            return None
        if min(map(len, block)) != self.width or max(map(len, block)) != self.width:
            return None
        try:
            joined = list(map(" ".join, block))  # a TypeError says some cell is not text
        except TypeError:
            return None
        if not all(map(str.strip, joined)):  # a blank row: "" once stripped, as joined.isspace() says
            return None
        leads = [cells[0] for cells in block]
        if "" in leads or self._note_starts(leads):
            return None
        # Most blocks: one search (a character class matches within one row's text, never across the " "), and no #
        text = self.block_text = " ".join(joined)
        clean = not _UNCLEAN_ANYWHERE.search(text) and ERROR_MARK not in text
        if clean and max(map(len, joined)) <= layout.MAX_CELL_CHARS:
            return [True] * count
        return list(map(plain_text, block, joined))

    @staticmethod
    def _note_starts(leads: list[str]) -> bool:
        """Whether a first cell starts as a note or signature does (_END_MARKERS): one look when they are all line
        numbers (most lists), else one match each."""
        numbers = "".join(leads)
        if _NUMBERS_ONLY.fullmatch(numbers):
            return any(lead.startswith(_DIGIT_MARKERS) for lead in leads if len(lead) >= 5)
        return any(map(_END_MARKERS.match, leads))

    def _block_lines(
        self, first: int, plain: list[bool], columns: dict[int, Column], letters: Mapping[str, str]
    ) -> tuple[FeeLine, ...]:
        """The lines of a block (_plain_block), each made as the loop of _lines makes it: a plain row's line from
        its cells stripped, any other row's by _line."""
        keys = tuple(letters)  # in the order of columns
        take = None if list(columns) == list(range(self.width)) else _taker(columns)
        unnamed = "name" not in letters
        defaults, sheet, strip = FeeLine.defaults(), self.sheet, str.strip
        new, own = object.__new__, object.__setattr__  # FeeLine.adopted(), inlined
        lines = []
        for row, cells, fast in zip(range(first + 1, len(self.rows) + 1), self.rows[first:], plain, strict=True):
            if not fast:
                lines.append(self._line(row - 1, columns, letters))
                continue
            values = defaults.copy()
            values.update(zip(keys, map(strip, cells if take is None else take(cells)), strict=False))
            values["key"], values["row"] = str(row), row
            values["locations"] = _Cells(sheet, row, letters)
            if unnamed:
                values["name"] = ""
            line = new(FeeLine)
            own(line, "__dict__", values)
            lines.append(line)
        self.last_row = len(self.rows)
        return tuple(lines)

    def _ends_table(self, index: int) -> bool:
        """A note, signature, stamp or phone row: its first text starts so, or one text is merged across the table."""
        cells = self.rows[index]
        first = cells[0] if cells and cells[0] != "" else next((v for v in cells if v != "" and not blank(v)), "")
        if type(first) is str and _END_MARKERS.match(first):
            return sum(1 for value in cells if not blank(value)) <= 3
        if not (self.merges and self.merges.in_row(index)):
            return False
        return sum(1 for value in cells if not blank(value)) == 1 and self.merges.across(index, len(cells))

    def _in_title_currency(self, lines: tuple[FeeLine, ...]) -> tuple[FeeLine, ...]:
        """Lines giving no currency, in the one the price column's title names (收费标准(USD)): read as the default,
        CNY, a list priced in dollars would be published in yuan. Said once, at the title."""
        if self.title_currency is None:
            return lines
        currency, where, title = self.title_currency
        if vocabulary.compact(currency) in vocabulary.CURRENCY_WORDS and (
            vocabulary.CURRENCY_WORDS[vocabulary.compact(currency)] == vocabulary.DEFAULT_CURRENCY
        ):
            return lines  # 收费标准（元）: what a blank currency means already
        blank = [line for line in lines if not line.currency.strip()]
        if not blank:
            return lines
        given = {id(line) for line in blank}
        self.findings.append(
            Finding(
                "title-currency",
                Severity.WARNING,
                N_(
                    "The title {title} in cell {cell} says the prices are in {currency}, so the {count} lines that "
                    "give no currency are read in {currency}. Write {currency} in their 币种 (currency) column to make "
                    "it plain on the published list."
                ),
                {"title": title.replace("\n", " "), "cell": where.cell, "currency": currency, "count": len(blank)},
                where,
            )
        )
        return tuple(replace(line, currency=currency) if id(line) in given else line for line in lines)

    def _without_headings(self, lines: tuple[FeeLine, ...]) -> tuple[FeeLine, ...]:
        """The lines, but a row with one text and no fee name or price (二、代理服务收费 written in 序号's cell, not
        merged): a heading, named as such rather than read as a fee line with every other field missing; a row
        adding up the fees above it (合计, 小计, Total): no fee, named as such; and a row of the column titles again
        (a list pasted page by page): left out, as the header row is."""
        names = set(map(_NAME, lines))  # most lists: every line named, no name a total's or a title: one look each
        if "" not in names and not any(_is_total(name) or _titles_column(name, "name") for name in names):
            return lines
        headings = [
            line
            for line in lines
            if not line.name and not line.standard and sum(1 for key in _LINE_KEYS if getattr(line, key)) == 1
        ]
        totals = [line for line in lines if _is_total(line.name or line.line_no)]
        titles = [line for line in lines if _is_titles(line)]  # the titles again, as a printed page repeats them
        if not headings and not totals and not titles:
            return lines
        for line in headings:
            self._not_a_line(line.row - 1)
        for line in totals:
            self._not_a_line(line.row - 1, TOTAL_ROW)
        dropped = {id(line) for line in (*headings, *totals, *titles)}
        return tuple(line for line in lines if id(line) not in dropped)

    def _as_above(self, lines: tuple[FeeLine, ...]) -> tuple[FeeLine, ...]:
        """The lines, each cell saying 同上 or 〃 (as above) read as the same column of the line above, and said once
        for the sheet: a list printed on paper writes a repeated value so, and read as written the line would be
        published as "同上", which says nothing once the line stands alone (a search result, a comparison)."""
        text = self.block_text
        if text is not None and not any(word in text for word in vocabulary.DITTO_MARKS):
            return lines  # most lists: a block of plain rows, none holding a ditto mark anywhere (a few finds in C)
        read: list[FeeLine] = []
        cells: list[Location] = []
        for line in lines:
            said = [key for key in _DITTO_KEYS if vocabulary.compact(getattr(line, key)) in vocabulary.DITTO_WORDS]
            if said and read:
                above = read[-1]
                cells.extend(line.location(key) for key in said)
                line = replace(line, **{key: getattr(above, key) for key in said})
            elif said:  # the first line: nothing above it to read
                first = [line.location(key) for key in said]
                params = {"cells": ", ".join(location.cell for location in first)}
                self.findings.append(Finding("as-above", Severity.ERROR, NOTHING_ABOVE, params, first[0]))
            read.append(line)
        if cells:
            named = ", ".join(location.cell for location in cells[:ROWS_NAMED])
            more = f" … (+{len(cells) - ROWS_NAMED})" if len(cells) > ROWS_NAMED else ""
            self.findings.append(
                Finding("as-above", Severity.WARNING, AS_ABOVE, {"count": len(cells), "cells": named + more}, cells[0])
            )
        return tuple(read)

    def _lines_follow(self, index: int) -> bool:
        """Whether a fee line comes after row `index` (within STRAY_GAP rows), with only empty rows, headings and
        notes between: then `index` is a section heading (一、港口作业收费, merged across) or a note between lines,
        not the table's end, which would leave the lines below unread."""
        for at in range(index + 1, min(len(self.rows), index + 1 + STRAY_GAP)):
            cells = self.rows[at]
            if all(blank(value) for value in cells):
                continue
            if self._looks_like_line(at):
                return True
            if not self._ends_table(at):
                return False
        return False

    def _looks_like_line(self, index: int) -> bool:
        """A fee's name and a price in their columns, and no note, signature or phone written first."""
        cells = self.rows[index]
        names, prices = self._name_and_price
        first = next((value for value in cells if not blank(value)), "")
        if type(first) is str and _END_MARKERS.match(first):
            return False
        return any(c < len(cells) and not blank(cells[c]) for c in names) and any(
            c < len(cells) and not blank(cells[c]) for c in prices
        )

    def _not_a_line(self, index: int, message: str | None = None) -> None:
        cells = self.rows[index]
        column = next((c for c, value in enumerate(cells) if not blank(value)), 0)
        location = Location(self.sheet, index + 1, get_column_letter(column + 1), None)
        self.findings.append(
            Finding(
                "not-a-line",
                Severity.WARNING,
                message or NOT_A_LINE,
                {"row": index + 1, "text": cell_text(cells[column])[:40]},
                location,
            )
        )

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

    def _line(self, index: int, columns: dict[int, Column], letters: Mapping[str, str]) -> FeeLine:
        row = index + 1
        values: dict[str, str] = {"name": ""}  # FeeLine requires a name even when the column is missing
        for c, column in columns.items():
            values[column.key] = self._text(index, c, column.key, multiline=column.multiline)
        return FeeLine(**values, key=str(row), row=row, locations=_Cells(self.sheet, row, letters))

    def _unfolded(self, index: int, columns: dict[int, Column], letters: Mapping[str, str]) -> Iterator[FeeLine]:
        """One line per sub-column holding a price, its sub-title added to the line's conditions; a sub-title naming a
        currency (人民币 / 美元, 20英尺(USD)) gives the line its currency instead: read as a condition, a price in
        dollars was a price in yuan."""
        base = self._line(index, columns, letters)
        row = index + 1
        priced = False
        for group in self.groups:
            for position, (c, subtitle) in enumerate(group.members, 1):
                price = self._text(index, c, group.column.key, multiline=True)
                if not price:
                    continue
                priced = True
                condition, currency = layout.subtitle_currency(subtitle)
                conditions = f"{base.conditions} {condition}".strip()
                own = {**letters, group.column.key: get_column_letter(c + 1)}
                values = {k: getattr(base, k) for k in layout.COLUMN_BY_KEY} | {
                    "conditions": conditions,
                    group.column.key: price,
                }
                if currency is not None:
                    values["currency"] = currency
                key = str(row) if position == 1 else f"{row}.{position}"
                yield FeeLine(**values, key=key, row=row, locations=_Cells(self.sheet, row, own))
        if not priced:  # a fee with no price in any sub-column: a line without a standard (said so), never none
            first = {group.column.key: get_column_letter(group.members[0][0] + 1) for group in self.groups}
            values = {k: getattr(base, k) for k in layout.COLUMN_BY_KEY}
            yield FeeLine(**values, key=str(row), row=row, locations=_Cells(self.sheet, row, {**letters, **first}))

    def _formula_findings(self, lines: tuple[FeeLine, ...]) -> list[Finding]:
        if not self.formulas:
            return []
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


def _taker(columns: Mapping[int, Column]) -> Callable[[Sequence[object]], Sequence[object]]:
    """The cells of the read columns, in their order, in one call."""
    if len(columns) > 1:
        return operator.itemgetter(*columns)
    return lambda cells: tuple(cells[c] for c in columns)


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
