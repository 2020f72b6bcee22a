"""The upload's trace: what the last workbook read into a draft left behind, so later checks still locate its lines.

Stored in the report as its `upload` part (mapping.trace_to_json / trace_from_json); a form save passes on the trace
it keeps, changed by the methods here, never a loose dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from portal.validation.findings import Finding


@dataclass(frozen=True)
class UploadTrace:
    filename: str
    sheet: str
    columns: Mapping[str, str] = field(default_factory=dict)  # line field -> column letter
    # stored line id -> {field: column letter} where the line's cell is not in `columns` (a price unfolded from a
    # sub-column of a two-row header: 40英尺's line is priced in its own column)
    cells: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    header_cells: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # header attr -> (row, column letter)
    findings: tuple[Finding, ...] = ()  # the reader's own, line keys being stored line ids
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()

    def without_header_cells(self) -> UploadTrace:
        """The header was saved from the form: it is no longer located at the workbook's cells."""
        return replace(self, header_cells={})

    def without_line(self, line_id: object) -> UploadTrace:
        """The form now speaks for one line: the reader's findings about it go."""
        return replace(self, findings=tuple(f for f in self.findings if f.line_key != str(line_id)))

    def line_columns(self, line_id: object) -> Mapping[str, str]:
        """Field -> column letter of one stored line's cells."""
        own = self.cells.get(str(line_id))
        return {**self.columns, **own} if own else self.columns

    def without_column_gaps(self) -> UploadTrace:
        """After a form save the check reports missing values line by line, not the reader's missing columns."""
        return replace(
            self, findings=tuple(f for f in self.findings if not (f.rule == "missing-field" and f.line_key is None))
        )
