"""The row of column titles: found among the first rows, matched to the format's columns, and read as two rows
when the price is split into sub-columns (收费标准 over 20英尺 / 40英尺 / 45英尺)."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl.utils.cell import get_column_letter

from portal.validation.conditions import SIZE_MARKS, judged, parse_conditions
from portal.validation.findings import N_, Finding
from portal.validation.model import Location, Severity
from portal.workbook import layout
from portal.workbook.cells import blank, cell_text
from portal.workbook.layout import Column
from portal.workbook.sheet_cells import SheetCells

UNKNOWN_FINDINGS = 20  # unknown column titles reported one by one; the rest in one finding


@dataclass(frozen=True)
class Group:
    """Sub-columns under one title of a two-row header: the title's column, unfolded one line per sub-column."""

    column: Column
    members: tuple[tuple[int, str], ...]  # (column index, sub-title)


class HeaderRow(SheetCells):
    """Finds and reads the header row; `groups` are the sub-columns it unfolds."""

    groups: tuple[Group, ...]

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

    def _title_currencies(self, titles: dict[int, str], header_index: int) -> None:
        """A title naming a currency at its end (收费标准(USD), 收费标准（港币）) is matched without it; the
        currency the price column's title names is kept (`title_currency`) for the lines that give none."""
        for c, title in titles.items():
            bare, currency = layout.title_currency(title)
            column = layout.match_column(bare) if currency is not None else None
            if column is None or currency is None:
                continue
            titles[c] = bare
            if column.key == "standard" and self.title_currency is None:
                where = Location(self.sheet, header_index + 1, get_column_letter(c + 1), column.key)
                self.title_currency = (currency, where, title)

    def _columns(self, header_index: int) -> tuple[dict[int, Column], int]:
        """Column index -> Column, and the first data row; one finding per unknown or repeated title."""
        titles: dict[int, str] = {}
        spread: dict[int, int] = {}  # a column under the rest of a title merged across columns -> the title's
        for c in range(len(self.rows[header_index])):
            origin = self._origin(header_index, c)
            if origin != (header_index, c) and origin[0] == header_index:
                spread[c] = origin[1]  # the rest of a title merged across columns
                continue
            titles[c] = cell_text(self._value(header_index, c), multiline=True)
        self._title_currencies(titles, header_index)
        first_data = header_index + 1
        groups = self._groups(header_index, titles)
        if groups is not None:
            self.groups, first_data = groups, header_index + 2
            for group in groups:
                for c, _ in group.members[1:]:
                    titles.pop(c, None)
                titles.pop(group.members[0][0], None)
        elif (translated := self._titles_below(header_index)) is not None:
            first_data = header_index + 2  # 收费项目 over Fee item: the titles again, in the other language
            for c, title in translated.items():
                if layout.match_column(titles.get(c, "")) is None:
                    titles[c] = title  # a column only the second row names
        if not self.groups and (priced := _priced_by_condition(titles)) is not None:
            self.groups = (priced,)  # 20GP | 40GP | 40HQ, or 收费标准(20英尺) | 收费标准(40英尺): prices per condition
            for c, _ in priced.members:
                titles.pop(c)
            self.findings.append(_price_columns(priced, self.sheet, header_index + 1))
        members = {c for group in self.groups for c, _ in group.members}
        self.untitled = [c for c, title in titles.items() if not title and c not in members]
        self.spread_titles = {
            c: (f"{get_column_letter(at + 1)}{header_index + 1}", titles.get(at, ""))
            for c, at in spread.items()
            if c not in members
        }
        found: dict[int, Column] = {}
        first_at: dict[str, int] = {g.column.key: g.members[0][0] for g in self.groups}
        # A title's column is its first visible one: an office that hides last year's 收费标准 and writes this year's
        # beside it means the visible one. A hidden one is read only when the title has no visible column.
        hidden = self.hidden_columns
        visible_first = sorted(titles, key=lambda c: (c + 1 in hidden, c))
        for c in visible_first:
            column = layout.match_column(titles[c]) if titles[c] else None
            if column is not None and column.key not in first_at:
                found[c] = column
                first_at[column.key] = c
        found = dict(sorted(found.items()))  # in the sheet's order, as the lines are read
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
                read_at = first_at[column.key]
                first = f"{get_column_letter(read_at + 1)}{header_index + 1}"
                message = N_("Column {label} appears again in cell {cell}; only the first, in {first}, is read.")
                if c + 1 in hidden and read_at + 1 not in hidden:
                    message = N_("Column {label} in cell {cell} is hidden, so it is not read; the one in {first} is.")
                self.findings.append(
                    Finding(
                        "duplicate-column",
                        Severity.WARNING,
                        message,
                        {"label": title, "cell": location.cell, "first": first},
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

    def _untitled_values(self, lines: Sequence) -> None:
        """A warning for each column with no title that holds values in fee lines: they are not read, and that must
        be said (a 40-foot price written beside the 20-foot one, under no title, was dropped without a word)."""
        for c in self.untitled:
            valued = [line.row for line in lines if self._holds_own(line.row - 1, c)]
            if not valued:
                continue
            letter = get_column_letter(c + 1)
            first = self.rows[valued[0] - 1][c]
            location = Location(self.sheet, valued[0], letter, None)
            self.findings.append(
                Finding(
                    "untitled-column",
                    Severity.WARNING,
                    UNTITLED_COLUMN,
                    {"column": letter, "cell": location.cell, "value": cell_text(first)[:40], "count": len(valued)},
                    location,
                )
            )

    def _refuse_spread_values(self, lines: Sequence) -> None:
        """MergedTitleRefused when a fee line has a value under the rest of a merged title (its first one named)."""
        if not self.spread_titles:
            return
        for line in lines:
            for c, (title_cell, title) in self.spread_titles.items():
                if self._holds_own(line.row - 1, c):
                    letter = get_column_letter(c + 1)
                    value = cell_text(self.rows[line.row - 1][c])[:40]
                    raise MergedTitleRefused(title, title_cell, letter, f"{letter}{line.row}", value)

    def _holds_own(self, index: int, column: int) -> bool:
        """Whether the cell holds a value of its own (not blank, not the rest of a merged range)."""
        cells = self.rows[index]
        return column < len(cells) and not blank(cells[column]) and self._origin(index, column) == (index, column)

    def _titles_below(self, header_index: int) -> dict[int, str] | None:
        """The row under the column titles when it holds titles only (a bilingual header: 收费项目 over Fee item),
        at least as many as a header row needs: column -> title. A fee line never reads so."""
        if header_index + 1 >= len(self.rows):
            return None
        found: dict[int, str] = {}
        keys = set()
        for c, value in enumerate(self.rows[header_index + 1]):
            if blank(value):
                continue
            column = layout.match_column(value) if isinstance(value, str) else None
            if column is None:
                return None
            found[c] = cell_text(value, multiline=True)
            keys.add(column.key)
        return found if len(keys) >= layout.MIN_HEADER_MATCHES else None

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
                    and not blank(self._own(below, last + 1))
                    and self._origin(header_index, last + 1) == (header_index, last + 1)
                ):
                    last += 1
            spans.append((c, last, titles[c]))
        wide = [s for s in spans if s[1] > s[0]]
        if not wide:
            return None
        for c0, c1, _ in spans:  # under a single-column title the row below must be empty or merged from above
            if c1 == c0 and not blank(self._own(below, c0)) and self._origin(below, c0)[0] != header_index:
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


STANDARD = layout.COLUMN_BY_KEY["standard"]
# The price column's labels as a title is compared (NFKC, case-folded), longest first: 收费单价 before 单价.
_PRICE_LABELS = sorted(
    {unicodedata.normalize("NFKC", label).casefold() for label in STANDARD.labels}, key=len, reverse=True
)
# Words a box size's title may hold besides its size and mark: 40'HC, 20' GP, 40尺柜.
_BOX_WORDS = frozenset({*(mark.upper() for mark in SIZE_MARKS), "柜", "箱", "集装箱"})
_TITLE_PUNCTUATION = " ()（）[]【】:：/／-_"


def price_condition(title: str) -> str | None:
    """The condition a price column's title names, as written (20GP, 40'HC, 20GP(USD) from 20GP单价(USD), 20英尺 from
    收费标准(20英尺), 重箱 from 重箱单价), or None: a title naming no condition, or holding other words.

    A title that is only a condition must name a box size (20GP | 40GP | 40HQ: a shipping line's local charges); one
    that names the price too (收费标准（重箱）) may name any condition the conditions column knows.
    """
    bare, currency = layout.title_currency(title)
    text = unicodedata.normalize("NFKC", bare).strip()
    folded = text.casefold()
    label = next((label for label in _PRICE_LABELS if folded.startswith(label) or folded.endswith(label)), None)
    if label is not None:
        text = text[len(label) :] if folded.startswith(label) else text[: len(text) - len(label)]
    text = text.strip(_TITLE_PUNCTUATION)
    if not text:
        return None
    conditions = parse_conditions(text)
    if not any(value is not None for value in judged(conditions)):
        return None
    if any(word.upper() not in _BOX_WORDS for word in conditions.other.split()):
        return None
    if label is None and conditions.container_size is None:
        return None
    return f"{text}({currency})" if currency else text


def _priced_by_condition(titles: Mapping[int, str]) -> Group | None:
    """The price columns of a one-row header titled by their condition, as sub-columns of the price, when no title
    is the price alone: each becomes its own line, as under a two-row header. Read as the one price column they
    name, the first was every line's price and the others were dropped."""
    priced = {c: condition for c, title in titles.items() if title and (condition := price_condition(title))}
    if not priced:
        return None
    if any(c not in priced and layout.match_column(title) is STANDARD for c, title in titles.items() if title):
        return None  # 收费标准 beside them: the price is that column's
    return Group(STANDARD, tuple(sorted(priced.items())))


PRICE_COLUMNS = N_(
    "The titles {titles} in row {row} name a condition each, so their columns are read as the price (收费标准) for "
    "that condition: a row with prices in {count} of them becomes {count} fee lines, the condition added to 适用条件, "
    "and is published so. The prescribed format has one 收费标准 column: write one row per condition, with the "
    "condition in 适用条件."
)


def _price_columns(group: Group, sheet: str, row: int) -> Finding:
    first = get_column_letter(group.members[0][0] + 1)
    titles = " / ".join(subtitle for _, subtitle in group.members)
    params = {"titles": titles, "row": row, "count": len(group.members)}
    return Finding("price-columns", Severity.WARNING, PRICE_COLUMNS, params, Location(sheet, row, first, None))


class SubColumnsRefused(Exception):
    """A title other than the price over sub-columns: the sheet cannot be read exactly."""

    def __init__(self, title: str, column: str, row: int, subtitles: Sequence[str]) -> None:
        self.params = {"title": title, "cell": f"{column}{row}", "subtitles": " / ".join(subtitles)}
        super().__init__(self.params)


UNTITLED_COLUMN = N_(
    "Column {column} has no title, but {count} fee lines have values in it ({cell}: {value}); they are not read. If "
    "they belong on the list, give the column its title from the template (such as 收费标准 or 备注); otherwise "
    "delete them."
)


class MergedTitleRefused(Exception):
    """Values under the rest of a title merged across columns: one title, one column; they would not be read."""

    def __init__(self, title: str, title_cell: str, column: str, cell: str, value: str) -> None:
        self.params = {"title": title, "title_cell": title_cell, "column": column, "cell": cell, "value": value}
        super().__init__(self.params)


MERGED_TITLE = N_(
    "The column title {title} in cell {title_cell} is merged across to column {column}, and column {column} holds "
    "values under it ({cell}: {value}) that would not be read: one title reads one column. Give column {column} its "
    "own title (适用条件 for conditions such as 进口 or 20英尺, 计费单位 for units such as 元/箱), or move its values "
    "into the column they belong to, and upload the workbook again."
)
SUB_COLUMNS = N_(
    "The column title {title} in cell {cell} has sub-columns ({subtitles}) in the row below; only the price "
    "(收费标准) may be split so. Write one row per condition instead: put {subtitles} in the 适用条件 column, "
    "each on its own row with its own 收费标准, and upload the workbook again."
)


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
