"""Catalogue queries and the ownership rule: versions, the edition in force, lines and stored findings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import aliased

from portal.audit.services import Actor, is_bureau_staff
from portal.catalogue import mapping
from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.errors import NotFound, PermissionDenied
from portal.extensions import db
from portal.operators.models import Operator
from portal.validation.findings import Finding, Report

PUBLIC_STATUSES = frozenset({VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED})


def check_owner(actor: Actor | None, operator: Operator) -> None:
    """Operator staff may act on their own operator only; bureau staff and the system may act on any."""
    if actor is None or is_bureau_staff(actor):
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
    """A version: published editions for anyone, others for their own operator's staff and the bureau."""
    version = db.session.get(CatalogueVersion, version_id)
    if version is None:
        raise NotFound("No such catalogue version.")
    if version.status not in PUBLIC_STATUSES:
        check_owner(actor, version.catalogue.operator)
    return version


def visible_version(version_id: int, visitor: Actor | None) -> CatalogueVersion:
    """A version as a web visitor may see it: a published edition, or a signed-in visitor's own operator's version.

    Unlike `get_version`, no visitor (None) is the public, not the system: drafts are not found.
    """
    version = db.session.get(CatalogueVersion, version_id)
    if version is None or (visitor is None and version.status not in PUBLIC_STATUSES):
        raise NotFound("No such catalogue version.")
    if version.status not in PUBLIC_STATUSES:
        check_owner(visitor, version.catalogue.operator)
    return version


def own_version(version_id: int, actor: Actor) -> CatalogueVersion:
    """A version of the actor's own operator (any operator's, for the bureau), whatever its status."""
    version = db.session.get(CatalogueVersion, version_id)
    if version is None:
        raise NotFound("No such catalogue version.")
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


def awaiting_review(operator: Operator) -> CatalogueVersion | None:
    return next((v for v in versions_of(operator) if v.status is VersionStatus.SUBMITTED), None)


def in_force_condition(on: date) -> ColumnElement[bool]:
    """SQL: this `CatalogueVersion` row is a published version in force on `on`, the latest of its catalogue whose
    effective date has come.

    Portable SQL (no DISTINCT ON): a version is in force unless a later one of its catalogue already is.
    """
    later = aliased(CatalogueVersion)
    newer_in_force = exists().where(
        later.catalogue_id == CatalogueVersion.catalogue_id,
        later.status == VersionStatus.PUBLISHED,
        later.effective_from <= on,
        or_(
            later.effective_from > CatalogueVersion.effective_from,
            and_(later.effective_from == CatalogueVersion.effective_from, later.number > CatalogueVersion.number),
        ),
    )
    return and_(
        CatalogueVersion.status == VersionStatus.PUBLISHED,
        CatalogueVersion.effective_from <= on,
        ~newer_in_force,
    )


def in_force_query(on: date) -> Select:
    """Select the published versions in force on `on`, one per catalogue (see `in_force_condition`)."""
    return select(CatalogueVersion).where(in_force_condition(on))


def in_force(operator: Operator, on: date) -> CatalogueVersion | None:
    """The operator's published edition in force on `on`."""
    return db.session.scalar(in_force_query(on).join(Catalogue).where(Catalogue.operator_id == operator.id))


def latest_published(operator: Operator) -> CatalogueVersion | None:
    return next((v for v in versions_of(operator) if v.status is VersionStatus.PUBLISHED), None)


def lines_in_force(version: CatalogueVersion) -> list[FeeLineRecord]:
    """The lines a published version charges: its rows without the deletion notices (change mark D)."""
    return mapping.live_records(version)


def get_line(version: CatalogueVersion, line_id: int) -> FeeLineRecord:
    line = next((r for r in version.lines if r.id == line_id), None)
    if line is None:
        raise NotFound("No such fee line in this version.")
    return line


def report_of(version: CatalogueVersion) -> Report:
    """Every finding of the last check, the upload reader's first."""
    return mapping.report_from_json(version.report)


def errors_to_explain(version: CatalogueVersion) -> dict[str, Finding]:
    """Finding id -> the first error with that id: what a submission must explain."""
    found: dict[str, Finding] = {}
    for finding in report_of(version).errors:
        found.setdefault(mapping.finding_id(finding), finding)
    return found
