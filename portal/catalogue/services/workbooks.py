"""Whole lists in and out: an uploaded workbook replaces or merges into the draft; versions and reports as xlsx."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from portal import clock
from portal.audit.services import Actor
from portal.catalogue import mapping
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.catalogue.services.checking import recompute_marks, renumber, store_report
from portal.catalogue.services.drafts import apply_header, base_for_change, new_version
from portal.catalogue.services.reading import check_owner, report_of, working_version
from portal.catalogue.services.saving import audit, saving
from portal.catalogue.trace import UploadTrace
from portal.errors import InvalidInput
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator
from portal.validation import changes
from portal.validation.findings import N_
from portal.validation.model import FeeLine, Header, Reference
from portal.workbook import layout
from portal.workbook.check import FieldLengths, check_workbook
from portal.workbook.guard import MB, GuardLimits, UploadRefused
from portal.workbook.header_block import CREDIT_CODE_AS_NUMBER
from portal.workbook.writer import write_catalogue, write_findings, write_template

UPLOAD_MODES = ("replace", "merge")
FIELD_LENGTHS = FieldLengths(header=mapping.HEADER_LENGTHS, line=mapping.LINE_LENGTHS)


@contextmanager
def _working_draft(
    operator: Operator, actor: Actor | None, expected_lock: int | None, today: date
) -> Iterator[tuple[CatalogueVersion, dict[str, Any], Reference]]:
    """The operator's working version (a new draft when there is none) saved as one use case under its lock, with
    its contents before the change (for the audit row) and the government list it is checked against."""
    version = working_version(operator)
    with saving(version, expected_lock):
        if version is None:
            version = new_version(operator, actor, base_for_change(operator, today), today)
        yield version, contents(version), govlist.reference()


def replace_contents(
    operator: Operator,
    header: Header,
    lines: Sequence[FeeLine],
    actor: Actor | None,
    *,
    source: str = "form",
    filename: str | None = None,
    expected_lock: int | None = None,
    as_of: date | None = None,
) -> CatalogueVersion:
    """Put `header` and `lines` into the operator's working draft (creating one), validate, and commit.

    A draft with errors is still saved, together with its report: nothing the operator sent is lost.
    """
    check_owner(actor, operator)
    today = as_of or clock.today()
    with _working_draft(operator, actor, expected_lock, today) as (version, before, reference):
        _fill(version, header, lines, reference)
        version.source, version.upload_filename = source, filename
        recompute_marks(version, reference)
        report = store_report(version, reference, today, None)
        after = {**contents(version), "errors": len(report.errors), "warnings": len(report.warnings)}
        audit(actor, f"catalogue.{source}", version, before=before, after=after)
    return version


def import_workbook(
    operator: Operator,
    actor: Actor | None,
    data: bytes,
    filename: str,
    *,
    mode: str = "replace",
    expected_lock: int | None = None,
    max_bytes: int = 5 * MB,
    max_uncompressed: int = 50 * MB,
    max_rows: int = layout.MAX_ROWS,
    as_of: date | None = None,
) -> CatalogueVersion:
    """Read an uploaded workbook into the draft: replace its header and lines, or merge its lines into them.

    The file is guarded before any parser sees it; a refused file raises InvalidInput (saying what to do) and leaves
    the draft as it was. A workbook with findings is saved as the draft with its report: all of it, or nothing.
    """
    check_owner(actor, operator)
    if mode not in UPLOAD_MODES:
        raise InvalidInput(N_("Choose whether the upload replaces the draft or is merged into it."))
    limits = GuardLimits(max_bytes=max_bytes, max_uncompressed=max_uncompressed)
    try:
        checked = check_workbook(data, filename, lengths=FIELD_LENGTHS, max_rows=max_rows, limits=limits)
    except UploadRefused as error:
        raise InvalidInput(error.message, **error.params) from error
    result = checked.read
    today = as_of or clock.today()
    with _working_draft(operator, actor, expected_lock, today) as (version, before, reference):
        header, lines = result.catalogue.header, result.catalogue.lines
        if any(f.rule == CREDIT_CODE_AS_NUMBER for f in checked.findings):
            # A code the spreadsheet stored as a number has lost its last digits: it names no operator, and the
            # reader's finding says so, as `flask validate` and the check page say it (the record's code is kept).
            header = replace(header, credit_code="")
        replacing = mode == "replace"
        if replacing:
            stored = _fill(version, header, lines, reference)
        else:
            stored = _merge(version, lines, reference, result.absent_columns)
        version.source, version.upload_filename = "upload", filename[:255]
        db.session.flush()
        rows = {str(r.source_row): str(r.id) for r in version.lines if r.source_row is not None}
        rows |= {line.key: str(record.id) for line, record in zip(lines, stored, strict=True) if line.key}
        columns = {k: loc.column for line in lines[:1] for k, loc in line.locations.items() if loc.column}
        found = (
            checked.findings
            if replacing
            else [
                f
                for f in checked.findings
                if f.location is None or f.location.field not in mapping.HEADER_FIELDS or f.line_key is not None
            ]
        )
        trace = UploadTrace(
            filename=filename,
            sheet=result.sheet,
            columns=columns,
            cells=_own_cells(lines, stored, columns),
            header_cells={a: (loc.row, loc.column) for a, loc in header.locations.items()} if replacing else {},
            findings=mapping.rekeyed(found, rows),
            hidden_rows=result.hidden_rows,
            hidden_columns=result.hidden_columns,
        )
        recompute_marks(version, reference)
        absent = result.absent_columns if replacing else frozenset()  # merged lines of the draft have those values
        report = store_report(version, reference, today, trace, absent)
        after = {
            **contents(version),
            "filename": filename,
            "mode": mode,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        }
        audit(actor, "catalogue.upload", version, before=before, after=after)
    return version


def _own_cells(
    lines: Sequence[FeeLine], stored: Sequence[FeeLineRecord], columns: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Stored line id -> the fields whose cells are not in the trace's columns (a price from a sub-column)."""
    cells: dict[str, dict[str, str]] = {}
    for line, record in zip(lines, stored, strict=True):
        own = {k: loc.column for k, loc in line.locations.items() if loc.column and loc.column != columns.get(k)}
        if own and record.source_row is not None:
            cells[str(record.id)] = own
    return cells


def _fill(
    version: CatalogueVersion, header: Header, lines: Sequence[FeeLine], reference: Reference
) -> list[FeeLineRecord]:
    """The draft's header and lines replaced; the stored record of each line, in the lines' order."""
    apply_header(version, header)
    records = [
        FeeLineRecord(position=i, **mapping.record_values(line, reference.aliases)) for i, line in enumerate(lines, 1)
    ]
    version.lines = list(records)
    renumber(version)
    db.session.flush()
    return records


def _merge(
    version: CatalogueVersion, lines: Sequence[FeeLine], reference: Reference, absent: frozenset[str]
) -> list[FeeLineRecord]:
    """Upload lines replace the draft's lines charging for the same thing; the others are added at the end.

    The draft keeps its header; columns the workbook lacks keep the draft's values; rows of an earlier workbook
    lose their cells. Returns the stored record of each line, in the lines' order.
    """
    records: list[FeeLineRecord] = []
    aliases = reference.aliases
    existing: dict[object, list[FeeLineRecord]] = {}
    for stored in mapping.live_records(version):
        stored.source_row = None
        existing.setdefault(changes.identity(mapping.to_fee_line(stored), aliases), []).append(stored)
    for line in lines:
        matches = existing.get(changes.identity(line, aliases))
        if not matches:
            added = FeeLineRecord(position=len(version.lines) + 1, **mapping.record_values(line, aliases))
            version.lines.append(added)
            records.append(added)
            continue
        stored = matches.pop(0)
        kept = {name: getattr(stored, name) for name in absent if name in mapping.LINE_FIELDS}
        for key, value in mapping.record_values(replace(line, **kept), aliases).items():
            setattr(stored, key, value)
        records.append(stored)
    renumber(version)
    db.session.flush()
    return records


def contents(version: CatalogueVersion) -> dict[str, Any]:
    """The draft's whole contents for the audit trail: header and every line as written (blank values left out)."""
    header = mapping.stored_header(mapping.to_header(version))
    return {
        **{attr: value for attr, value in header.items() if value},
        "lines": [{k: v for k, v in mapping.line_values(r).items() if v} for r in version.lines],
    }


def blank_template(lang: str) -> bytes:
    stream = io.BytesIO()
    write_template(stream, lang=lang)
    return stream.getvalue()


def version_workbook(version: CatalogueVersion, lang: str) -> bytes:
    """The version in the prescribed format, deletion notices included, to edit and upload again."""
    stream = io.BytesIO()
    write_catalogue(stream, mapping.to_header(version), [mapping.to_fee_line(r) for r in version.lines], lang=lang)
    return stream.getvalue()


def findings_workbook(version: CatalogueVersion, translate: Callable[[str], str], lang: str) -> bytes:
    stream = io.BytesIO()
    write_findings(stream, report_of(version).findings, translate=translate, lang=lang)
    return stream.getvalue()
