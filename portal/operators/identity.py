"""Changes of an operator's legal name or credit code: requested by its staff, decided by the bureau, audited.

The profile form never changes them (they are what published editions and complaints identify the firm by); a
request records the old and the new identity, and only an approval writes the new one to the operator record.
Published editions keep the identity they were published with.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from portal import clock
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.audit.services import Actor, record
from portal.errors import Conflict, InvalidInput, PermissionDenied
from portal.extensions import db
from portal.operators.models import IdentityChangeRequest, Operator, RequestStatus
from portal.validation.credit_code import is_valid as credit_code_is_valid
from portal.validation.findings import N_


def pending_for(operator: Operator) -> IdentityChangeRequest | None:
    return db.session.scalar(
        select(IdentityChangeRequest).where(
            IdentityChangeRequest.operator_id == operator.id, IdentityChangeRequest.status == RequestStatus.PENDING
        )
    )


def history_of(operator: Operator) -> Sequence[IdentityChangeRequest]:
    return db.session.scalars(
        select(IdentityChangeRequest)
        .where(IdentityChangeRequest.operator_id == operator.id)
        .order_by(IdentityChangeRequest.id.desc())
    ).all()


def pending() -> Sequence[IdentityChangeRequest]:
    return db.session.scalars(
        select(IdentityChangeRequest)
        .where(IdentityChangeRequest.status == RequestStatus.PENDING)
        .order_by(IdentityChangeRequest.id)
    ).all()


def _check_code_free(code: str, operator: Operator) -> None:
    if not credit_code_is_valid(code):
        raise InvalidInput(N_("{code} is not a valid unified social credit code."), code=code)
    holder = db.session.scalar(select(Operator.id).where(Operator.credit_code == code, Operator.id != operator.id))
    if holder is not None:
        raise Conflict(N_("An operator with the credit code {code} is already registered."), code=code)


def request_change(
    operator: Operator, actor: Actor, *, name_zh: str, credit_code: str, reason: str
) -> IdentityChangeRequest:
    """File a request (one pending at a time); what does not change may be left as it is."""
    if getattr(actor, "operator_id", None) != operator.id:
        raise PermissionDenied(N_("You may only change your own operator's profile."))
    name = " ".join(name_zh.split())
    code = credit_code.strip().upper()
    if not name or not code:
        raise InvalidInput(N_("Give the legal name and the credit code."))
    if name == operator.name_zh and code == operator.credit_code:
        raise InvalidInput(N_("The name and the credit code are the ones on record: there is nothing to change."))
    if not reason.strip():
        raise InvalidInput(N_("Say why the name or credit code changes."))
    if code != operator.credit_code:
        _check_code_free(code, operator)
    if pending_for(operator) is not None:
        raise Conflict(N_("A change request is already waiting for the bureau's decision."))
    request = IdentityChangeRequest(
        operator_id=operator.id,
        requested_by_id=actor.id,
        old_name_zh=operator.name_zh,
        old_credit_code=operator.credit_code,
        new_name_zh=name,
        new_credit_code=code,
        reason=reason.strip(),
    )
    db.session.add(request)
    db.session.flush()
    record(
        actor,
        "operator.identity_request",
        "identity_change_request",
        request.id,
        operator_id=operator.id,
        before={"name_zh": operator.name_zh, "credit_code": operator.credit_code},
        after={"name_zh": name, "credit_code": code, "reason": request.reason},
    )
    db.session.commit()
    return request


def _decidable(request: IdentityChangeRequest) -> None:
    if request.status is not RequestStatus.PENDING:
        raise Conflict(N_("This request has already been decided."))


def approve(request: IdentityChangeRequest, actor: Actor, note: str = "") -> Operator:
    """Write the new identity to the operator record (published editions keep theirs)."""
    _decidable(request)
    operator = request.operator
    if (operator.name_zh, operator.credit_code) != (request.old_name_zh, request.old_credit_code):
        raise Conflict(N_("The operator's name or credit code changed since the request was made; ask for a new one."))
    if request.changes_credit_code:
        _check_code_free(request.new_credit_code, operator)
    before = {"name_zh": operator.name_zh, "credit_code": operator.credit_code}
    operator.name_zh, operator.credit_code = request.new_name_zh, request.new_credit_code
    request.status, request.decided_by_id, request.decided_at = RequestStatus.APPROVED, actor.id, clock.utcnow()
    request.decision_note = note.strip()
    after = {"name_zh": operator.name_zh, "credit_code": operator.credit_code}
    record(
        actor, "operator.identity_approve", "operator", operator.id, operator_id=operator.id, before=before, after=after
    )
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    return operator


def reject(request: IdentityChangeRequest, actor: Actor, note: str) -> None:
    _decidable(request)
    if not note.strip():
        raise InvalidInput(N_("Say why the request is rejected."))
    request.status, request.decided_by_id, request.decided_at = RequestStatus.REJECTED, actor.id, clock.utcnow()
    request.decision_note = note.strip()
    record(
        actor,
        "operator.identity_reject",
        "identity_change_request",
        request.id,
        operator_id=request.operator_id,
        after={"note": request.decision_note},
    )
    db.session.commit()
