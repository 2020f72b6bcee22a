"""Catalogue use cases: drafts, replacing lines, validation, and the version lifecycle up to publication.

One call is one use case and one commit, with its audit rows in the same transaction. Ownership is
checked here, so every entry point (web, CLI, API) gets the same refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from portal.audit.services import Actor, record
from portal.catalogue import mapping
from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.columns import utcnow
from portal.errors import Conflict, NotFound, PermissionDenied
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator
from portal.validation.dates import parse_date
from portal.validation.engine import validate
from portal.validation.findings import Report
from portal.validation.model import CatalogueInput, FeeLine, Header


def check_owner(actor: Actor | None, operator: Operator) -> None:
    """Operator staff may act on their own operator only; bureau staff and the system may act on any."""
    if actor is None or getattr(actor, "is_bureau", False):
        return
    if getattr(actor, "operator_id", None) != operator.id:
        raise PermissionDenied("You may only work on your own operator's catalogue.")


def catalogue_of(operator: Operator) -> Catalogue:
    catalogue = db.session.scalar(select(Catalogue).where(Catalogue.operator_id == operator.id))
    if catalogue is None:
        catalogue = Catalogue(operator=operator)
        db.session.add(catalogue)
        db.session.flush()
    return catalogue


def get_version(version_id: int, actor: Actor | None) -> CatalogueVersion:
    version = db.session.get(CatalogueVersion, version_id)
    if version is None:
        raise NotFound("No such catalogue version.")
    if version.status is not VersionStatus.PUBLISHED and version.status is not VersionStatus.SUPERSEDED:
        check_owner(actor, version.catalogue.operator)
    return version


def versions_of(operator: Operator) -> Sequence[CatalogueVersion]:
    return db.session.scalars(
        select(CatalogueVersion)
        .join(Catalogue)
        .where(Catalogue.operator_id == operator.id)
        .order_by(CatalogueVersion.number.desc())
    ).all()


def working_version(operator: Operator) -> CatalogueVersion | None:
    """The version staff are working on: a draft, or one sent back with requested changes."""
    return next((v for v in versions_of(operator) if v.status.editable), None)


def in_force(operator: Operator, on: date) -> CatalogueVersion | None:
    """The published edition in force on `on`: the latest one whose effective date has come."""
    return db.session.scalar(
        select(CatalogueVersion)
        .join(Catalogue)
        .where(
            Catalogue.operator_id == operator.id,
            CatalogueVersion.status == VersionStatus.PUBLISHED,
            CatalogueVersion.effective_from <= on,
        )
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.number.desc())
        .limit(1)
    )


def _new_version(operator: Operator, actor: Actor | None, based_on: CatalogueVersion | None) -> CatalogueVersion:
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
    db.session.flush()
    return version


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
    `expected_lock` is the lock version the caller saw; a different one means someone else saved first.
    """
    check_owner(actor, operator)
    version = working_version(operator)
    if version is None:
        version = _new_version(operator, actor, based_on=in_force(operator, as_of or date.today()))
    elif expected_lock is not None and version.lock_version != expected_lock:
        raise Conflict("Someone else saved this draft after you opened it. Reload to see their change.")
    before = {"lines": len(version.lines), **mapping.header_values(mapping.to_header(version))}
    reference = govlist.reference()
    for key, value in mapping.header_values(header).items():
        setattr(version, key, value)
    version.lines = [
        FeeLineRecord(position=i, **mapping.record_values(line, reference.aliases)) for i, line in enumerate(lines, 1)
    ]
    version.source = source
    version.upload_filename = filename
    db.session.flush()
    report = _store_report(version, reference, as_of or date.today())
    record(
        actor,
        f"catalogue.{source}",
        "catalogue_version",
        version.id,
        operator_id=operator.id,
        before=before,
        after={
            "lines": len(lines),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            **mapping.header_values(header),
        },
    )
    db.session.commit()
    return version


def _store_report(version: CatalogueVersion, reference, as_of: date) -> Report:  # noqa: ANN001 - a Reference
    catalogue = CatalogueInput(
        header=mapping.to_header(version),
        lines=tuple(mapping.to_fee_line(r) for r in version.lines),
        last_confirmed=version.updated_at.date() if version.updated_at else None,
    )
    report = validate(catalogue, reference, as_of)
    version.report = mapping.report_to_json(report, as_of.isoformat())
    version.error_count = len(report.errors)
    version.warning_count = len(report.warnings)
    version.validated_at = utcnow()
    return report


def edition_code(version: CatalogueVersion) -> str:
    return f"{version.catalogue.operator.credit_code}-{version.number:03d}"


def publish(version: CatalogueVersion, actor: Actor | None, *, now: date | None = None) -> CatalogueVersion:
    """Make an approved version an immutable edition, in force from its effective date (or today)."""
    if version.status is VersionStatus.PUBLISHED:
        raise Conflict("This version is already published.")
    today = now or date.today()
    try:
        effective = parse_date(version.effective_date_text)
    except ValueError:
        effective = today
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective
    version.published_at = utcnow()
    version.decided_at = version.published_at
    version.edition_code = edition_code(version)
    replaced = db.session.scalars(
        select(CatalogueVersion).where(
            CatalogueVersion.catalogue_id == version.catalogue_id,
            CatalogueVersion.status == VersionStatus.PUBLISHED,
            CatalogueVersion.id != version.id,
            CatalogueVersion.effective_from >= effective,
        )
    ).all()
    for old in replaced:
        old.status = VersionStatus.SUPERSEDED
    record(
        actor,
        "catalogue.publish",
        "catalogue_version",
        version.id,
        operator_id=version.catalogue.operator_id,
        after={
            "edition": version.edition_code,
            "effective_from": effective.isoformat(),
            "superseded": [v.edition_code for v in replaced],
        },
    )
    db.session.commit()
    return version
