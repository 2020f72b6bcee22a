"""Workbooks built in memory through openpyxl, and the sample list in the prescribed format."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

import openpyxl
import pytest

from .parts import HEADER_BLOCK, LINES, TABLE_HEADER


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    """Rows (lists of values, None for an empty cell) on named sheets, with merges, saved by openpyxl."""

    def make(
        rows: Sequence[Sequence[object]] = (),
        *,
        sheet: str = "收费目录清单",
        merges: Sequence[str] = (),
        formulas: Mapping[str, str] | None = None,
        other_sheets: Sequence[str] = (),
    ) -> bytes:
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))
        for ref, formula in (formulas or {}).items():
            ws[ref] = formula
        for merge in merges:
            ws.merge_cells(merge)
        for name in other_sheets:
            book.create_sheet(name).append(["其他"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return make


@pytest.fixture
def list_rows() -> Callable[..., list[list[object]]]:
    """A list in the prescribed format as rows: header block, a blank row, table header, fee lines."""

    def make(
        table_header: Sequence[str] = TABLE_HEADER,
        lines: Sequence[Sequence[object]] = LINES,
        header_block: Sequence[Sequence[object]] = HEADER_BLOCK,
    ) -> list[list[object]]:
        return [*map(list, header_block), [], list(table_header), *map(list, lines)]

    return make


@pytest.fixture
def standard_xlsx(make_xlsx, list_rows) -> bytes:
    return make_xlsx(list_rows())
