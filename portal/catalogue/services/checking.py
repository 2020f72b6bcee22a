"""After every save: change marks against the edition being changed, line order, and the stored validation report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from portal import clock
from portal.catalogue import mapping
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.catalogue.trace import UploadTrace
from portal.extensions import db
from portal.govlist import services as govlist
from portal.validation import changes
from portal.validation.engine import validate
from portal.validation.findings import Report
from portal.validation.model import Reference

COPIED = (
    *mapping.LINE_FIELDS,
    "source_row",
    "name_key",
    "trade",
    "container_size",
    "laden",
    "cargo",
    "standard_kind",
    "amount",
    "amount_max",
    "tiers",
)


def copied(line: FeeLineRecord, **changed: Any) -> FeeLineRecord:
    """A new row with a stored line's values, written and parsed, except `changed`."""
    return FeeLineRecord(**{**{column: getattr(line, column) for column in COPIED}, **changed})


def revalidate(
    version: CatalogueVersion,
    as_of: date | None,
    *,
    trace: UploadTrace | None,
    previous_effective: str | None = None,
) -> Report:
    """After a form save: touch the version (its lock moves), mark changes, check and store the report.

    `trace` is the last upload's trace as the save leaves it (`stored_trace(version)` when the save does not touch
    it). The reader's column-level gaps are dropped now: the check reports the missing values line by line instead.
    """
    reference = govlist.reference()
    if trace is not None:
        trace = trace.without_column_gaps()
    version.updated_at = clock.utcnow()
    db.session.flush()
    recompute_marks(version, reference, previous_effective)
    return store_report(version, reference, as_of or clock.today(), trace)


def store_report(
    version: CatalogueVersion,
    reference: Reference,
    as_of: date,
    trace: UploadTrace | None,
    absent: frozenset[str] = frozenset(),
) -> Report:
    """Validate the lines in force and store the report, with the upload reader's findings first."""
    catalogue = replace(mapping.catalogue_input(version, trace), absent_fields=absent)
    version.report = mapping.report_to_json(validate(catalogue, reference, as_of), as_of.isoformat(), trace)
    version.error_count = version.report["errors"]
    version.warning_count = version.report["warnings"]
    version.validated_at = clock.utcnow()
    return mapping.report_from_json(version.report)


def renumber(version: CatalogueVersion) -> None:
    """Positions 1..n: the lines in force first, in their order, then the deletion notices."""
    ordered = sorted(version.lines, key=lambda r: (mapping.is_deleted(r), r.position))
    for position, line in enumerate(ordered, 1):
        line.position = position
    version.lines = ordered


def recompute_marks(version: CatalogueVersion, reference: Reference, previous_effective: str | None = None) -> None:
    """In a change, mark every line against the edition it changes, and keep one deletion notice per line gone.

    A changed line takes effect with the version unless the operator gave it a date of its own; an unchanged one
    keeps the date it already had. `previous_effective` is the version's date before this save, which lines
    carrying it as their default follow.
    """
    base = version.based_on
    if base is None:
        return
    db.session.flush()
    aliases = reference.aliases
    old = {str(r.id): r for r in mapping.live_records(base)}
    live = mapping.live_records(version)
    old_lines = [mapping.to_fee_line(r) for r in old.values()]
    new_lines = [mapping.to_fee_line(r) for r in live]
    marks = changes.mark_changes(old_lines, new_lines, aliases)
    pairs = changes.pair_lines(old_lines, new_lines, aliases)
    default = version.effective_date_text
    for line in live:
        key = str(line.id)
        line.change_mark = marks[key]
        earlier = old[pairs[key]].effective_date if key in pairs else ""
        if not line.change_mark:
            line.effective_date = earlier
        elif line.effective_date in ("", earlier, previous_effective):
            line.effective_date = default
    notices: dict[object, list[FeeLineRecord]] = {}
    for line in version.lines:
        if mapping.is_deleted(line):
            notices.setdefault(changes.identity(mapping.to_fee_line(line), aliases), []).append(line)
    for key, line in old.items():
        if marks.get(key) != changes.DELETED:
            continue
        kept = notices.get(changes.identity(mapping.to_fee_line(line), aliases))
        if kept:
            notice = kept.pop(0)
            if notice.effective_date in ("", previous_effective):
                notice.effective_date = default
        else:
            position = len(version.lines) + 1
            notice = copied(
                line, position=position, change_mark=changes.DELETED, effective_date=default, source_row=None
            )
            version.lines.append(notice)
    for leftover in [line for rows in notices.values() for line in rows]:
        version.lines.remove(leftover)
    renumber(version)
    db.session.flush()
