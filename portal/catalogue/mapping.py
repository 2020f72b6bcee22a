"""Translate between stored catalogue rows and the validator's value objects, and store reports as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.validation.conditions import parse_conditions
from portal.validation.findings import Finding, Report
from portal.validation.model import FeeLine, Header, Location, Severity, StandardKind
from portal.validation.money import parse_standard
from portal.validation.names import normalise

LINE_FIELDS = (
    "line_no",
    "name",
    "conditions",
    "service_content",
    "standard",
    "unit",
    "currency",
    "pricing_class",
    "basis",
    "pass_through",
    "remarks",
    "change_mark",
    "effective_date",
)
HEADER_FIELDS = ("operator_name", "credit_code", "port_area", "complaint_phone", "effective_date", "updated_date")


def name_key(name: str, aliases: Mapping[str, str]) -> str:
    """The normalised canonical name: 文件费, DOC and 单证费 share one key."""
    key = normalise(name)
    return normalise(aliases.get(key, name))


def parsed_values(line: FeeLine, aliases: Mapping[str, str]) -> dict[str, Any]:
    """The columns search and estimates use, parsed from what the operator wrote (None where it does not parse)."""
    conditions = parse_conditions(line.conditions)
    standard = parse_standard(line.standard)
    amount = amount_max = None
    tiers = None
    if standard.kind in (StandardKind.FIXED, StandardKind.RANGE):
        amount, amount_max = standard.amount, standard.amount_max
    elif standard.kind is StandardKind.TIERS:
        tiers = [[_text(t.start), _text(t.end), _text(t.amount)] for t in standard.tiers]
    return {
        "name_key": name_key(line.name, aliases),
        "trade": conditions.trade,
        "container_size": conditions.container_size,
        "laden": conditions.laden,
        "cargo": conditions.cargo,
        "standard_kind": standard.kind.value,
        "amount": amount,
        "amount_max": amount_max,
        "tiers": tiers,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def record_values(line: FeeLine, aliases: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: (getattr(line, name) or "").strip() for name in LINE_FIELDS}
    values["source_row"] = line.row
    values.update(parsed_values(line, aliases))
    return values


def to_fee_line(record: FeeLineRecord) -> FeeLine:
    """A stored line as the validator reads it; findings carry the row id back as `line_key`."""
    row = record.source_row
    return FeeLine(
        **{name: getattr(record, name) for name in LINE_FIELDS},
        key=str(record.id),
        row=row,
        locations={name: Location(row=row, field=name) for name in LINE_FIELDS} if row else {},
    )


def to_header(version: CatalogueVersion) -> Header:
    return Header(
        operator_name=version.operator_name,
        credit_code=version.credit_code,
        port_area=version.port_area,
        complaint_phone=version.complaint_phone,
        effective_date=version.effective_date_text,
        updated_date=version.updated_date_text,
    )


def header_values(header: Header) -> dict[str, str]:
    return {
        "operator_name": header.operator_name.strip(),
        "credit_code": header.credit_code.strip().upper(),
        "port_area": header.port_area.strip(),
        "complaint_phone": header.complaint_phone.strip(),
        "effective_date_text": header.effective_date.strip(),
        "updated_date_text": header.updated_date.strip(),
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
        "notes": list(finding.notes),
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


def report_to_json(report: Report, as_of: str) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "lines": report.lines,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "findings": [finding_to_json(f) for f in report.findings],
    }


def report_from_json(data: Mapping[str, Any] | None) -> Report:
    if not data:
        return Report((), 0)
    return Report(tuple(finding_from_json(f) for f in data.get("findings", ())), int(data.get("lines", 0)))
