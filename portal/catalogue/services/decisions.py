"""The bureau's decisions on a submitted version that do not publish it: changes requested, rejected.

Approval is `publish`. Each transition checks the version is awaiting review, records its audit row and commits,
together with whatever the caller (the review service) added to the session for the same decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal import clock
from portal.audit.services import Actor, is_bureau_staff, record
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.errors import Conflict, PermissionDenied
from portal.transactions import atomic
from portal.validation.findings import N_


def request_changes(version: CatalogueVersion, actor: Actor | None, comments: Mapping[str, Any]) -> CatalogueVersion:
    """Send a submitted version back to its operator to change; it becomes editable again.

    `comments` (the general comment and the comments per line) is recorded with the transition.
    """
    return _decide(version, actor, VersionStatus.CHANGES_REQUESTED, "catalogue.changes_requested", dict(comments))


def reject(version: CatalogueVersion, actor: Actor | None, reason: str) -> CatalogueVersion:
    """Refuse a submitted version for good; the operator starts a new one to try again."""
    return _decide(version, actor, VersionStatus.REJECTED, "catalogue.reject", {"reason": reason})


def _decide(
    version: CatalogueVersion, actor: Actor | None, status: VersionStatus, action: str, details: dict[str, Any]
) -> CatalogueVersion:
    if actor is not None and not is_bureau_staff(actor):
        raise PermissionDenied(N_("Only the bureau decides on a submitted list."))
    if version.status is not VersionStatus.SUBMITTED:
        raise Conflict(N_("This version is not awaiting review any more."))
    before = {"status": version.status.value}
    with atomic():
        version.status = status
        version.decided_at = clock.utcnow()
        record(
            actor,
            action,
            "catalogue_version",
            version.id,
            operator_id=version.catalogue.operator_id,
            before=before,
            after={"status": status.value, **details},
        )
    return version
