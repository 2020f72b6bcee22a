"""The version lifecycle: start a draft or a change, edit its header and lines, submit, withdraw.

Publishing an approved version is publishing's job (portal/publishing/editions.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy import func, select

from portal import clock
from portal.audit.services import Actor
from portal.catalogue import mapping
from portal.catalogue.models import CatalogueVersion, FeeLineRecord, VersionStatus
from portal.catalogue.services.checking import copied, renumber, revalidate, store_report
from portal.catalogue.services.reading import (
    awaiting_review,
    catalogue_of,
    check_owner,
    get_line,
    in_force,
    latest_published,
    working_version,
)
from portal.catalogue.services.saving import audit, editing, saving
from portal.catalogue.trace import UploadTrace
from portal.errors import Conflict, InvalidInput
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator
from portal.validation import vocabulary
from portal.validation.credit_code import is_valid as credit_code_is_valid
from portal.validation.findings import N_
from portal.validation.model import FeeLine, Header

ATTESTATION = "本单位承诺所填报收费目录清单真实、准确、完整"


def new_version(
    operator: Operator, actor: Actor | None, based_on: CatalogueVersion | None, today: date | None = None
) -> CatalogueVersion:
    """Add (and flush, not commit) the next version: a copy of `based_on`, or blank with the profile's details.

    A copy keeps the lines in force, unmarked; its effective date is left for the operator to choose.
    """
    pending = awaiting_review(operator)
    if pending is not None:
        raise Conflict(
            N_("Version {number} is awaiting review. Withdraw it first if you need to change it."),
            number=pending.number,
        )
    catalogue = catalogue_of(operator)
    last = select(func.max(CatalogueVersion.number)).where(CatalogueVersion.catalogue_id == catalogue.id)
    number = (db.session.scalar(last) or 0) + 1
    version = CatalogueVersion(
        catalogue=catalogue,
        number=number,
        status=VersionStatus.DRAFT,
        based_on=based_on,
        created_by_id=actor.id if actor is not None else None,
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="、".join(a.name_zh for a in operator.port_areas),
        complaint_phone="；".join(operator.complaint_phones),
    )
    db.session.add(version)
    if based_on is not None:
        for column in vocabulary.HEADER_PARTY_FIELDS:
            setattr(version, column, getattr(based_on, column))
        version.updated_date_text = (today or clock.today()).isoformat()
        version.lines = [
            copied(line, position=i, change_mark="", source_row=None)
            for i, line in enumerate(mapping.live_records(based_on), 1)
        ]
    db.session.flush()
    return version


def base_for_change(operator: Operator, today: date) -> CatalogueVersion | None:
    """The edition a new draft changes: the one in force, else the latest published (a scheduled one)."""
    return in_force(operator, today) or latest_published(operator)


def open_draft(operator: Operator, actor: Actor | None, *, as_of: date | None = None) -> CatalogueVersion:
    """The working draft, or a new one: a copy of the published list when there is one, else blank."""
    check_owner(actor, operator)
    version = working_version(operator)
    if version is not None:
        return version
    today = as_of or clock.today()
    base = base_for_change(operator, today)
    with saving(None, None):
        version = new_version(operator, actor, base, today)
        store_report(version, govlist.reference(), today, None)
        audit(actor, "catalogue.draft", version, after={"based_on": base.edition_code if base else None})
    return version


def start_change(operator: Operator, actor: Actor | None, *, as_of: date | None = None) -> CatalogueVersion:
    """Start changing the published list: a new draft from the edition in force, each change to be marked."""
    check_owner(actor, operator)
    if latest_published(operator) is None:
        raise InvalidInput(N_("There is no published list to change yet; start a new list instead."))
    return open_draft(operator, actor, as_of=as_of)


def save_header(
    version: CatalogueVersion,
    actor: Actor | None,
    header: Header,
    *,
    expected_lock: int | None,
    as_of: date | None = None,
) -> CatalogueVersion:
    """Save the header block; it is then no longer the one an upload gave (its cells are forgotten)."""
    with editing(version, actor, expected_lock):
        previous = version.effective_date_text
        old, new = mapping.to_header(version), Header(**mapping.stored_header(header))
        changed = [a for a in mapping.HEADER_FIELDS if getattr(old, a) != getattr(new, a)]
        apply_header(version, new)
        trace = mapping.stored_trace(version.report)
        trace = trace.without_header_cells() if trace else None
        revalidate(version, as_of, trace=trace, previous_effective=previous)
        before, after = ({a: getattr(h, a) for a in changed} for h in (old, new))
        audit(actor, "catalogue.header", version, before=before, after=after)
    return version


def apply_header(version: CatalogueVersion, header: Header) -> None:
    """Store the header; who publishes (name, credit code) always comes from the operator's record."""
    operator = version.catalogue.operator
    refuse_other_operator(operator, header)
    for attr, value in mapping.stored_header(header).items():
        setattr(version, mapping.HEADER_COLUMNS[attr], value)
    version.operator_name, version.credit_code = operator.name_zh, operator.credit_code


def _where(header: Header, attr: str) -> str:
    """The cell a header value came from with the prescribed heading ("收费目录清单 B3 单位名称"), or the heading
    alone for a form."""
    location = header.location(attr)
    label = vocabulary.HEADER_FIELD[attr].zh
    return f"{location.sheet or ''} {location.cell} {label}".strip() if location.cell else label


def refuse_other_operator(operator: Operator, header: Header) -> None:
    """A header naming another operator (a valid credit code not this operator's, or another registered operator's
    name) is refused, saying where and whose: a list is published only under its own operator's identity. Anything
    else written there (a typo, a short name) is replaced by the operator's record."""
    code = header.credit_code.strip().upper()
    if code and credit_code_is_valid(code) and code != operator.credit_code.upper():
        raise InvalidInput(
            N_(
                "The list names another operator: credit code {given} ({where}) is not yours ({own}). Only your "
                "own operator's list can be submitted here; correct the credit code or leave it blank."
            ),
            given=code,
            where=_where(header, "credit_code"),
            own=operator.credit_code,
            field="credit_code",
        )
    name = header.operator_name.strip()
    if name and name not in (operator.name_zh, operator.name_en or ""):
        other = db.session.scalar(
            select(Operator.credit_code).where(
                (Operator.name_zh == name) | (Operator.name_en == name), Operator.id != operator.id
            )
        )
        if other is not None:
            raise InvalidInput(
                N_(
                    "The list names another operator: {given} ({where}) is the registered name of the operator "
                    "with credit code {other}, not yours ({own_name}). Only your own operator's list can be "
                    "submitted here."
                ),
                given=name,
                where=_where(header, "operator_name"),
                other=other,
                own_name=operator.name_zh,
                field="operator_name",
            )


def add_line(
    version: CatalogueVersion,
    actor: Actor | None,
    line: FeeLine,
    *,
    expected_lock: int | None,
    as_of: date | None = None,
) -> FeeLineRecord:
    with editing(version, actor, expected_lock):
        values = mapping.record_values(replace(line, row=None), govlist.reference().aliases)
        added = FeeLineRecord(position=len(version.lines) + 1, **values)
        version.lines.append(added)
        renumber(version)
        revalidate(version, as_of, trace=mapping.stored_trace(version.report))
        audit(actor, "catalogue.line.add", version, added, after=mapping.line_values(added))
    return added


def update_line(
    version: CatalogueVersion,
    line_id: int,
    actor: Actor | None,
    line: FeeLine,
    *,
    expected_lock: int | None,
    as_of: date | None = None,
) -> FeeLineRecord:
    """Save one line from the form; it is then located by field, no longer by workbook cell."""
    with editing(version, actor, expected_lock):
        stored = _live_line(version, line_id)
        values = mapping.record_values(
            # What the form does not show is kept: the line's 序号 and its change mark.
            replace(line, row=None, change_mark=stored.change_mark, line_no=stored.line_no),
            govlist.reference().aliases,
        )
        before = {k: v for k, v in mapping.line_values(stored).items() if values[k] != v}
        for key, value in values.items():
            setattr(stored, key, value)
        revalidate(version, as_of, trace=_forget_upload_of(version, line_id))
        audit(
            actor,
            "catalogue.line.update",
            version,
            stored,
            before=before,
            after={k: getattr(stored, k) for k in before},
        )
    return stored


def delete_line(
    version: CatalogueVersion,
    line_id: int,
    actor: Actor | None,
    *,
    expected_lock: int | None,
    as_of: date | None = None,
) -> None:
    """Remove a line; in a change, a line of the published list comes back as a deletion notice (D)."""
    with editing(version, actor, expected_lock):
        stored = _live_line(version, line_id)
        before, position = mapping.line_values(stored), stored.position
        trace = _forget_upload_of(version, line_id)
        version.lines.remove(stored)
        renumber(version)
        revalidate(version, as_of, trace=trace)
        context = {"line": position, "item": before["name"]}
        audit(actor, "catalogue.line.delete", version, before=before, subject=("fee_line", line_id), context=context)


def restore_line(
    version: CatalogueVersion,
    line_id: int,
    actor: Actor | None,
    *,
    expected_lock: int | None,
    as_of: date | None = None,
) -> FeeLineRecord:
    """Undo the deletion of a published line in a change: the notice becomes the line again."""
    with editing(version, actor, expected_lock):
        stored = get_line(version, line_id)
        if not mapping.is_deleted(stored):
            raise InvalidInput(N_("This line is not deleted."))
        stored.change_mark = ""
        stored.effective_date = ""
        renumber(version)
        revalidate(version, as_of, trace=mapping.stored_trace(version.report))
        audit(
            actor,
            "catalogue.line.restore",
            version,
            stored,
            before={"change_mark": str(mapping.DELETED)},
            after={"change_mark": stored.change_mark},
        )
    return stored


def _live_line(version: CatalogueVersion, line_id: int) -> FeeLineRecord:
    stored = get_line(version, line_id)
    if mapping.is_deleted(stored):
        raise InvalidInput(N_("This line is deleted in this change; restore it before you edit it."))
    return stored


def _forget_upload_of(version: CatalogueVersion, line_id: int) -> UploadTrace | None:
    """The upload's trace without the reader's findings about one line, which the form now replaces."""
    trace = mapping.stored_trace(version.report)
    get_line(version, line_id).source_row = None
    return trace.without_line(line_id) if trace else None


def submit(
    version: CatalogueVersion,
    actor: Actor | None,
    attestation: bool,
    explanations: Mapping[str, str],
    *,
    expected_lock: int | None = None,
    as_of: date | None = None,
) -> CatalogueVersion:
    """Send the draft for review, checked once more; each remaining error needs the operator's explanation.

    `explanations` maps finding ids (mapping.finding_id) to text; the attestation is recorded in Chinese, as signed.
    """
    with editing(version, actor, expected_lock):
        if not mapping.live_records(version):
            raise InvalidInput(N_("The list has no fee lines yet; add them before you submit it."))
        if not attestation:
            raise InvalidInput(N_("Confirm that the list is true, accurate and complete before you submit it."))
        before = {"status": version.status.value}
        trace = mapping.stored_trace(version.report)
        report = store_report(version, govlist.reference(), as_of or clock.today(), trace)
        needed = {mapping.finding_id(f) for f in report.errors}
        given = {k: v.strip() for k, v in explanations.items() if k in needed and v and v.strip()}
        missing = sorted(needed - set(given))
        if missing:
            raise InvalidInput(
                N_("{count} error(s) have no explanation. Correct them, or explain each one for the reviewer."),
                count=len(missing),
                missing=missing,
            )
        version.status = VersionStatus.SUBMITTED
        version.explanations = given
        version.attestation = ATTESTATION
        version.submitted_at = clock.utcnow()
        version.submitted_by_id = actor.id if actor is not None else None
        after = {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "explanations": given,
            "attestation": ATTESTATION,
            "status": version.status.value,
        }
        audit(actor, "catalogue.submit", version, before=before, after=after)
    return version


def withdraw(version: CatalogueVersion, actor: Actor | None) -> CatalogueVersion:
    """Take a submitted version back to a draft, while the bureau has not decided on it."""
    check_owner(actor, version.catalogue.operator)
    if version.status is not VersionStatus.SUBMITTED:
        raise Conflict(N_("Only a version awaiting review can be withdrawn."))
    with saving(version, None):
        before = {"status": version.status.value, "attestation": version.attestation}
        version.status = VersionStatus.DRAFT
        version.submitted_at = None
        version.submitted_by_id = None
        version.attestation = None
        audit(actor, "catalogue.withdraw", version, before=before, after={"status": version.status.value})
    return version
