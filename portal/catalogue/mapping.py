"""Translate between stored catalogue rows and the validator's value objects, and store reports as JSON.

A stored report is `{"as_of", "lines", "errors", "warnings", "findings": [...every finding...], "upload": {...}}`.
The optional `upload` part describes the last workbook read into the draft: its sheet, the column letter of each
field, the header block's cells and the reader's own findings, so a later check still locates uploaded lines by
cell and still shows what the reader found until the next upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.catalogue.trace import UploadTrace
from portal.columns import MONEY_SCALE
from portal.validation import vocabulary
from portal.validation.changes import DELETED, name_key
from portal.validation.conditions import parse_conditions
from portal.validation.findings import Finding, Report
from portal.validation.model import CatalogueInput, FeeLine, Header, Location, Severity, StandardKind
from portal.validation.money import parse_standard
from portal.workbook.check import mark_hidden

# The prescribed fields (vocabulary): WRITTEN_FIELDS are what the operator writes on a line, the line form's fields
# and what a reviewer's diff compares (the portal sets line_no and change_mark).
LINE_FIELDS = vocabulary.LINE_FIELD_KEYS
WRITTEN_FIELDS = vocabulary.WRITTEN_FIELDS
HEADER_FIELDS = vocabulary.HEADER_FIELD_KEYS
HEADER_COLUMNS = {  # Header attribute -> CatalogueVersion column
    "operator_name": "operator_name",
    "credit_code": "credit_code",
    "port_area": "port_area",
    "complaint_phone": "complaint_phone",
    "effective_date": "effective_date_text",
    "updated_date": "updated_date_text",
}
_MONEY_LIMIT = Decimal(10) ** (16 - MONEY_SCALE)  # what NUMERIC(16,4) holds


def _lengths(table: Any, names: Iterable[str]) -> dict[str, int]:
    return {name: table.c[name].type.length for name in names if getattr(table.c[name].type, "length", None)}


LINE_LENGTHS = _lengths(FeeLineRecord.__table__, LINE_FIELDS)
NAME_KEY_LENGTH = FeeLineRecord.__table__.c.name_key.type.length
HEADER_LENGTHS = {attr: CatalogueVersion.__table__.c[column].type.length for attr, column in HEADER_COLUMNS.items()}


def is_deleted(record: FeeLineRecord) -> bool:
    """A row kept only to show a deletion in a change: not in force, not validated."""
    return record.change_mark == DELETED


def live_records(version: CatalogueVersion) -> list[FeeLineRecord]:
    """The lines in force once the version is published: every row except deletion notices."""
    return [r for r in version.lines if not is_deleted(r)]


def too_long(values: Mapping[str, str], lengths: Mapping[str, int]) -> dict[str, int]:
    """Field -> limit, for values longer than their column holds."""
    return {name: lengths[name] for name, value in values.items() if name in lengths and len(value) > lengths[name]}


def clipped(values: Mapping[str, str], lengths: Mapping[str, int]) -> dict[str, str]:
    return {name: value[: lengths[name]] if name in lengths else value for name, value in values.items()}


def parsed_values(line: FeeLine, aliases: Mapping[str, str]) -> dict[str, Any]:
    """The columns search and estimates use, parsed from what the operator wrote (None where it does not parse)."""
    conditions = parse_conditions(line.conditions)
    standard = parse_standard(line.standard)
    amount = amount_max = None
    tiers = None
    if standard.kind in (StandardKind.FIXED, StandardKind.RANGE):
        amount, amount_max = _money(standard.amount), _money(standard.amount_max)
    elif standard.kind is StandardKind.TIERS:
        tiers = [[_text(t.start), _text(t.end), _text(t.amount)] for t in standard.tiers]
    return {
        "name_key": name_key(line.name, aliases)[:NAME_KEY_LENGTH],
        "trade": conditions.trade,
        "container_size": conditions.container_size,
        "laden": conditions.laden,
        "cargo": conditions.cargo,
        "standard_kind": standard.kind.value,
        "amount": amount,
        "amount_max": amount_max,
        "tiers": tiers,
    }


def _money(value: Decimal | None) -> Decimal | None:
    return value if value is not None and abs(value) < _MONEY_LIMIT else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def line_texts(line: FeeLine) -> dict[str, str]:
    """The prescribed columns of a line as stored: stripped, change mark upper-cased."""
    values = {name: (getattr(line, name) or "").strip() for name in LINE_FIELDS}
    values["change_mark"] = values["change_mark"].upper()
    return values


def record_values(line: FeeLine, aliases: Mapping[str, str]) -> dict[str, Any]:
    """Everything a FeeLineRecord stores for `line`; text longer than its column is cut (callers report it)."""
    texts = clipped(line_texts(line), LINE_LENGTHS)
    return {**texts, "source_row": line.row, **parsed_values(FeeLine(**texts), aliases)}


def line_values(record: FeeLineRecord) -> dict[str, str]:
    return {name: getattr(record, name) for name in LINE_FIELDS}


def to_fee_line(record: FeeLineRecord, trace: UploadTrace | None = None) -> FeeLine:
    """A stored line as the validator reads it; findings carry the row id back as `line_key`.

    An uploaded row is located at its workbook cells when `trace` (the last upload's) names the columns.
    """
    row = record.source_row
    locations: dict[str, Location] = {}
    if row:
        sheet = trace.sheet if trace else None
        columns = trace.line_columns(record.id) if trace else {}
        locations = {name: Location(sheet=sheet, row=row, column=columns.get(name), field=name) for name in LINE_FIELDS}
    return FeeLine(**line_values(record), key=str(record.id), row=row, locations=locations)


def to_header(version: CatalogueVersion, trace: UploadTrace | None = None) -> Header:
    """The header block; located at its workbook cells while it is the one an upload gave."""
    sheet = trace.sheet if trace else None
    cells = trace.header_cells if trace else {}
    return Header(
        **{attr: getattr(version, column) for attr, column in HEADER_COLUMNS.items()},
        locations={attr: Location(sheet, row, column, attr) for attr, (row, column) in cells.items()},
    )


def stored_header(header: Header) -> dict[str, str]:
    """Header attribute -> value as stored: stripped, the credit code upper-cased, cut to the column's length."""
    values = {attr: getattr(header, attr).strip() for attr in HEADER_FIELDS}
    values["credit_code"] = values["credit_code"].upper()
    return clipped(values, HEADER_LENGTHS)


def catalogue_input(version: CatalogueVersion, trace: UploadTrace | None) -> CatalogueInput:
    """The version as the validator reads it: header and the lines in force (deletion notices left out)."""
    return CatalogueInput(
        header=to_header(version, trace),
        lines=tuple(to_fee_line(r, trace) for r in live_records(version)),
        last_confirmed=version.updated_at.date() if version.updated_at else None,
    )


def stored_trace(report: Mapping[str, Any] | None) -> UploadTrace | None:
    """The trace of the last upload, as the stored report keeps it."""
    data = report.get("upload") if report else None
    if not data:
        return None
    return UploadTrace(
        filename=data.get("filename", ""),
        sheet=data.get("sheet", ""),
        columns=dict(data.get("columns") or {}),
        cells={key: dict(value) for key, value in (data.get("cells") or {}).items()},
        header_cells={attr: (int(row), column) for attr, (row, column) in (data.get("header_cells") or {}).items()},
        findings=tuple(finding_from_json(f) for f in data.get("findings", ())),
        hidden_rows=frozenset(data.get("hidden_rows") or ()),
        hidden_columns=frozenset(data.get("hidden_columns") or ()),
    )


def trace_to_json(trace: UploadTrace) -> dict[str, Any]:
    return {
        "filename": trace.filename,
        "sheet": trace.sheet,
        "columns": dict(trace.columns),
        **({"cells": {key: dict(value) for key, value in trace.cells.items()}} if trace.cells else {}),
        "header_cells": {attr: [row, column] for attr, (row, column) in trace.header_cells.items()},
        "findings": [finding_to_json(f) for f in trace.findings],
        "hidden_rows": sorted(trace.hidden_rows),
        "hidden_columns": sorted(trace.hidden_columns),
    }


def finding_to_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location or Location()
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "params": {k: str(v) for k, v in finding.params.items()},
        "sheet": loc.sheet,
        "row": loc.row,
        "cell": loc.cell,
        "column": loc.column,
        "field": loc.field,
        "item": finding.item,
        "line_key": finding.line_key,
        "basis": finding.basis,
        **({"notes": list(finding.notes)} if finding.notes else {}),
    }


def finding_from_json(data: Mapping[str, Any]) -> Finding:
    return Finding(
        rule=data["rule"],
        severity=Severity(data["severity"]),
        message=data["message"],
        params=dict(data.get("params") or {}),
        location=Location(
            sheet=data.get("sheet"), row=data.get("row"), column=data.get("column"), field=data.get("field")
        ),
        item=data.get("item") or "",
        line_key=data.get("line_key"),
        basis=data.get("basis") or "",
        notes=tuple(data.get("notes") or ()),
    )


def finding_id(finding: Finding) -> str:
    """A stable id for one finding across checks, to attach the operator's explanation to it."""
    loc = finding.location or Location()
    parts = [finding.rule, finding.line_key or "", loc.field or ""]
    if finding.line_key is None and loc.cell:
        parts.append(loc.cell)
    return "|".join(parts)


def report_to_json(report: Report, as_of: str, trace: UploadTrace | None = None) -> dict[str, Any]:
    """The report to store; the upload's findings are counted and listed first, and kept apart for the next check.

    Findings on rows or columns the workbook hides say so.
    """
    earlier = trace.findings if trace else ()
    found = earlier + report.findings
    if trace:
        found = mark_hidden(found, trace.hidden_rows, trace.hidden_columns)
    merged = Report(found, report.lines)
    data: dict[str, Any] = {
        "as_of": as_of,
        "lines": merged.lines,
        "errors": len(merged.errors),
        "warnings": len(merged.warnings),
        "findings": [finding_to_json(f) for f in merged.findings],
    }
    if trace:
        data["upload"] = trace_to_json(trace)
    return data


def report_from_json(data: Mapping[str, Any] | None) -> Report:
    if not data:
        return Report((), 0)
    return Report(tuple(finding_from_json(f) for f in data.get("findings", ())), int(data.get("lines", 0)))


def rekeyed(findings: Sequence[Finding], keys: Mapping[str, str]) -> tuple[Finding, ...]:
    """Reader findings as stored: their line keys (the reader's: "12", or "12.2" for a row's second unfolded line)
    replaced by the stored lines' ids; a key not stored itself falls back to its row's."""
    return tuple(
        replace(f, line_key=keys.get(f.line_key, keys.get(f.line_key.split(".")[0]))) if f.line_key is not None else f
        for f in findings
    )
