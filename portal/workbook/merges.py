"""Merged cells, looked up without materialising them: a range as large as A1:ALL2000 costs one entry per row."""

from __future__ import annotations

from collections.abc import Sequence

MAX_ROW_SPANS = 200_000  # rows x ranges kept; Excel never overlaps ranges, so only a hostile file comes near


class Merges:
    """Each merged range clipped to the sheet's cells, indexed by row (zero-based throughout)."""

    def __init__(self, ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]], height: int, width: int) -> None:
        self._rows: dict[int, list[tuple[int, int, int]]] = {}  # row -> (first column, last column, top row)
        spans = 0
        for (r0, c0), (r1, c1) in ranges:
            r1, c1 = min(r1, height - 1), min(c1, width - 1)
            if r1 < r0 or c1 < c0 or (r0 == r1 and c0 == c1):
                continue
            if spans + (r1 - r0 + 1) > MAX_ROW_SPANS:
                break
            spans += r1 - r0 + 1
            for r in range(r0, r1 + 1):
                self._rows.setdefault(r, []).append((c0, c1, r0))

    def __bool__(self) -> bool:
        return bool(self._rows)

    def in_row(self, row: int) -> bool:
        return row in self._rows

    def origin(self, row: int, column: int) -> tuple[int, int] | None:
        """The top-left cell of the range covering (row, column), unless that cell is the top-left itself."""
        for c0, c1, r0 in self._rows.get(row, ()):
            if c0 <= column <= c1:
                return None if (r0, c0) == (row, column) else (r0, c0)
        return None

    def span(self, row: int, column: int) -> tuple[int, int] | None:
        """(last row, last column) of the range whose top-left cell is (row, column); None if it tops none."""
        for c0, c1, r0 in self._rows.get(row, ()):
            if c0 == column and r0 == row:
                last = row
                while any(e == (c0, c1, r0) for e in self._rows.get(last + 1, ())):
                    last += 1
                return last, c1
        return None

    def across(self, row: int, width: int) -> bool:
        """Whether one range covers most of the row from its first column: a note or title merged across the table."""
        return any(c0 == 0 and c1 >= max(width - 1, 1) * 0.6 for c0, c1, _ in self._rows.get(row, ()))
