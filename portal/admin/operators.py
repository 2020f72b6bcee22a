"""Operator administration: deactivate and reactivate, merge a duplicate registration into the survivor.

Merging moves the duplicate's catalogue (with every version), staff accounts, complaints and re-validation results
to the survivor, and leaves the duplicate deactivated with a pointer to the survivor; one audit entry lists what
moved. Published editions keep the identity they were published with.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.audit.services import Actor, record, record_activation
from portal.auth.models import User
from portal.catalogue.models import Catalogue
from portal.complaints.models import Complaint
from portal.errors import Conflict, InvalidInput
from portal.extensions import db
from portal.operators.models import IdentityChangeRequest, Operator, RequestStatus
from portal.review.models import RevalidationResult
from portal.validation.findings import N_


def set_active(operator: Operator, active: bool, actor: Actor) -> None:
    if operator.active == active:
        return
    if active and operator.merged_into_id is not None:
        raise InvalidInput(N_("This operator was merged into another one and cannot be reactivated."))
    operator.active = active
    record_activation(actor, "operator", operator.id, active, operator_id=operator.id)
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()


def merge(duplicate: Operator, survivor: Operator, actor: Actor) -> dict[str, int]:
    """Move everything of `duplicate` to `survivor`; returns how many of each kind moved."""
    if duplicate.id == survivor.id:
        raise InvalidInput(N_("Choose two different operators."))
    if duplicate.merged_into_id is not None or survivor.merged_into_id is not None:
        raise Conflict(N_("One of these operators was already merged into another one."))
    catalogues = {
        c.operator_id: c
        for c in db.session.scalars(select(Catalogue).where(Catalogue.operator_id.in_([duplicate.id, survivor.id])))
    }
    if duplicate.id in catalogues and survivor.id in catalogues:
        raise Conflict(
            N_(
                "Both operators have a fee list. Merging would join two lists into one: ask the duplicate's staff to "
                "withdraw theirs, or deactivate the duplicate instead."
            )
        )

    def move(model, column) -> int:  # noqa: ANN001 - a mapped class and its operator column
        return db.session.execute(
            update(model)
            .where(column == duplicate.id)
            .values({column.key: survivor.id})
            .execution_options(synchronize_session=False)
        ).rowcount

    moved = {
        "catalogues": move(Catalogue, Catalogue.operator_id),
        "users": move(User, User.operator_id),
        "complaints": move(Complaint, Complaint.operator_id),
        "revalidation_results": move(RevalidationResult, RevalidationResult.operator_id),
    }
    db.session.execute(
        update(IdentityChangeRequest)
        .where(IdentityChangeRequest.operator_id == duplicate.id, IdentityChangeRequest.status == RequestStatus.PENDING)
        .values(status=RequestStatus.REJECTED, decision_note="merged")
        .execution_options(synchronize_session=False)
    )
    survivor.port_areas = list({a.id: a for a in [*survivor.port_areas, *duplicate.port_areas]}.values())
    known = set(survivor.complaint_phones)
    survivor.complaint_phones = [*survivor.complaint_phones, *(p for p in duplicate.complaint_phones if p not in known)]
    duplicate.active = False
    duplicate.merged_into_id = survivor.id
    record(
        actor,
        "operator.merge",
        "operator",
        duplicate.id,
        operator_id=survivor.id,
        before={"duplicate": duplicate.credit_code, "duplicate_name": duplicate.name_zh},
        after={"survivor": survivor.credit_code, **moved},
    )
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    db.session.expire_all()
    return moved


def counts(operator_ids: list[int]) -> dict[int, dict[str, int]]:
    """Staff and complaints per operator, for the list."""
    staff = dict(
        db.session.execute(
            select(User.operator_id, func.count()).where(User.operator_id.in_(operator_ids)).group_by(User.operator_id)
        ).all()
    )
    filed = dict(
        db.session.execute(
            select(Complaint.operator_id, func.count())
            .where(Complaint.operator_id.in_(operator_ids))
            .group_by(Complaint.operator_id)
        ).all()
    )
    return {i: {"users": staff.get(i, 0), "complaints": filed.get(i, 0)} for i in operator_ids}
