"""check_workbook(): the one path from an uploaded file to its findings — guard, read, validate.

The web upload, the public check page and `flask validate` all call it, so a workbook gets the same findings
wherever it is checked; a file that cannot be read raises UploadRefused (the one error type) on every path.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from openpyxl.utils.cell import column_index_from_string

from portal.validation.engine import validate
from portal.validation.findings import N_, Finding, Report
from portal.validation.model import CatalogueInput, Header, Location, Reference, Severity
from portal.workbook import layout
from portal.workbook.guard import GuardLimits
from portal.workbook.reader import ReadResult, read_workbook, refuse_if_empty

TOO_LONG = N_("This value is longer than {limit} characters; only the first {limit} are kept. Shorten it.")
FORMAT_BASIS = "穗商务规字〔2021〕4号 附件2"
HIDDEN_ROW = N_("(Row {hidden_row} is hidden in the workbook: unhide it to see the value.)")
HIDDEN_COLUMN = N_("(Column {hidden_column} is hidden in the workbook: unhide it to see the value.)")


@dataclass(frozen=True)
class FieldLengths:
    """How many characters each stored value may hold; longer values are reported (the store cuts them)."""

    header: Mapping[str, int]
    line: Mapping[str, int]


@dataclass(frozen=True)
class WorkbookCheck:
    """What one workbook holds and what is wrong with it."""

    read: ReadResult
    findings: tuple[Finding, ...]  # the reader's own (too-long values included), hidden cells said so
    report: Report | None  # the reader's and the validator's findings, when a government list was given

    @property
    def catalogue(self) -> CatalogueInput:
        return self.read.catalogue


def check_workbook(
    data: bytes,
    filename: str,
    reference: Reference | None = None,
    as_of: date | None = None,
    *,
    lengths: FieldLengths | None = None,
    max_rows: int = layout.MAX_ROWS,
    limits: GuardLimits | None = None,
) -> WorkbookCheck:
    """Guard, read and (with `reference`) validate; UploadRefused when the file cannot be read or holds no line."""
    with collector_paused():
        return _check(data, filename, reference, as_of, lengths, max_rows, limits)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a workbook is checked, and resumed after (unless it was off).

    A check builds tens of thousands of objects (cells, lines, readings) and keeps nearly all of them until it
    returns: the collector's passes over them during the check free nothing, and cost a tenth of the check. Paused,
    it looks at them once, after.

    After, not even once: they are moved to the oldest generation unscanned (gc.freeze() then gc.unfreeze(), two
    list splices), as the collector would move them after scanning them twice. Resumed as it was, the collector
    would scan them all at once (a twentieth of the check) to free next to nothing: the check's own garbage is freed
    by reference counting as it goes, and what survives is the result the caller keeps. They are scanned at the next
    full collection, as every long-lived object is. (The process freezes nothing itself, so nothing is thawed.)"""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _check(
    data: bytes,
    filename: str,
    reference: Reference | None,
    as_of: date | None,
    lengths: FieldLengths | None,
    max_rows: int,
    limits: GuardLimits | None,
) -> WorkbookCheck:
    result = refuse_if_empty(read_workbook(data, filename, max_rows=max_rows, limits=limits))
    catalogue = result.catalogue
    findings = (*result.findings, *too_long(catalogue.header, catalogue.lines, lengths))
    report = None
    if reference is not None:
        if as_of is None:
            raise ValueError("as_of is required with a reference")
        validated = validate(catalogue, reference, as_of)
        report = Report(mark_hidden(findings + validated.findings, result.hidden_rows, result.hidden_columns), 0)
        report = Report(report.findings, len(catalogue.lines))
    return WorkbookCheck(result, mark_hidden(findings, result.hidden_rows, result.hidden_columns), report)


def too_long(header: Header, lines: Iterable, lengths: FieldLengths | None) -> list[Finding]:
    """Values longer than their stored column: they would be stored cut, so the operator must be told."""
    if lengths is None:
        return []
    found = []
    for attr, limit in lengths.header.items():
        if len(getattr(header, attr, "").strip()) > limit:
            found.append(_cut(header.location(attr), limit, "", None))
    for line in lines:
        for name, limit in lengths.line.items():
            if len(getattr(line, name, "")) > limit:
                found.append(_cut(line.location(name), limit, line.name, line.key))
    return found


def _cut(location: Location, limit: int, item: str, line_key: str | None) -> Finding:
    return Finding("invalid-value", Severity.ERROR, TOO_LONG, {"limit": limit}, location, item, line_key, FORMAT_BASIS)


def mark_hidden(
    findings: Iterable[Finding], hidden_rows: frozenset[int], hidden_columns: frozenset[int]
) -> tuple[Finding, ...]:
    """Each finding on a hidden row or column says so: the operator would otherwise look for it in vain."""
    if not hidden_rows and not hidden_columns:
        return tuple(findings)
    marked = []
    for finding in findings:
        location = finding.location
        if location is not None and location.row in hidden_rows and HIDDEN_ROW not in finding.notes:
            finding = replace(
                finding, notes=(*finding.notes, HIDDEN_ROW), params={**finding.params, "hidden_row": location.row}
            )
        if (
            location is not None
            and location.column
            and column_index_from_string(location.column) in hidden_columns
            and HIDDEN_COLUMN not in finding.notes
        ):
            finding = replace(
                finding,
                notes=(*finding.notes, HIDDEN_COLUMN),
                params={**finding.params, "hidden_column": location.column},
            )
        marked.append(finding)
    return tuple(marked)
