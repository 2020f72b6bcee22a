"""Publishing an edition: an approved version becomes immutable, in force from its effective date.

Review decides (approve) and calls `publish`; publishing knows what an edition is. It sits below review in the
layers (docs/ARCHITECTURE.md §3), so catalogue never imports it and review may.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal import clock
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.audit.services import Actor, record
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.errors import Conflict
from portal.extensions import db
from portal.transactions import atomic
from portal.validation.dates import parse_date


def edition_code(version: CatalogueVersion) -> str:
    return f"{version.catalogue.operator.credit_code}-{version.number:03d}"


def freeze_identity(version: CatalogueVersion) -> None:
    """Write who publishes into the edition as the operator's record says now: its PDF, API answers, exports and
    archive show these for good, whatever the profile says later."""
    operator = version.catalogue.operator
    version.operator_name = operator.name_zh
    version.operator_name_en = operator.name_en
    version.credit_code = operator.credit_code
    if not version.complaint_phone.strip():
        version.complaint_phone = "；".join(operator.complaint_phones or ())


def publish(version: CatalogueVersion, actor: Actor | None, *, now: date | None = None) -> CatalogueVersion:
    """Make an approved version an immutable edition, in force from its effective date (or today).

    A future effective date schedules the change: the edition in force stays so until that date comes.
    """
    if version.status is VersionStatus.PUBLISHED:
        raise Conflict("This version is already published.")
    with atomic():  # nothing half done: the edition in force stays so
        _make_edition(version, actor, now or clock.today())
    return version


def _make_edition(version: CatalogueVersion, actor: Actor | None, today: date) -> None:
    """Mark the version published and what it replaces superseded, with the audit row; the caller commits."""
    try:
        effective = parse_date(version.effective_date_text)
    except ValueError:
        effective = today
    freeze_identity(version)
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective
    version.published_at = clock.utcnow()
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
    revisions.bump(PUBLIC_REVISION)
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
