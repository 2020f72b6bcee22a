"""Handling a complaint to a decision: the bureau's queue, assignment, questions to the operator, its answers.

Every step is a status-history event and an audit row, written by the step's one commit. Operator staff see
complaints about their own operator only; another operator's are not found, as if they did not exist.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.audit.services import record
from portal.auth.models import BUREAU_ROLES, Role, User
from portal.complaints.models import Complaint, ComplaintEvent, ComplaintStatus, Decision, EventKind
from portal.complaints.workdays import working_days_between
from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from portal.extensions import db
from portal.validation.findings import N_


@dataclass(frozen=True)
class Deadline:
    due_on: date
    days_left: int  # working days; negative once overdue
    overdue: bool


def deadline(complaint: Complaint, today: date, holidays: Collection[date] = frozenset()) -> Deadline:
    return Deadline(
        due_on=complaint.due_on,
        days_left=working_days_between(today, complaint.due_on, holidays),
        overdue=complaint.status is not ComplaintStatus.DECIDED and today > complaint.due_on,
    )


def _event(complaint: Complaint, actor: User | None, kind: EventKind, message: str = "") -> None:
    complaint.events.append(ComplaintEvent(actor=actor, kind=kind, status=complaint.status, message=message))


def _audit(actor: User, action: str, complaint: Complaint, before: ComplaintStatus, **after: object) -> None:
    record(
        actor,
        action,
        "complaint",
        complaint.id,
        operator_id=complaint.operator_id,
        before={"status": before.value},
        after={"status": complaint.status.value, **after},
    )


def _check_bureau(actor: User) -> None:
    if not actor.is_bureau:
        raise PermissionDenied(N_("Only bureau staff handle complaints."))


def _check_open(complaint: Complaint) -> None:
    if complaint.status is ComplaintStatus.DECIDED:
        raise Conflict(N_("This complaint has already been decided."))


def queue(status: ComplaintStatus | None = None) -> Sequence[Complaint]:
    """Complaints for the bureau: open ones by due date, the most urgent first; decided ones after them."""
    query = select(Complaint)
    if status is not None:
        query = query.where(Complaint.status == status)
    open_first = (Complaint.status == ComplaintStatus.DECIDED).asc()
    query = query.options(selectinload(Complaint.assignee)).order_by(open_first, Complaint.due_on, Complaint.id)
    return db.session.scalars(query).all()


def counts_by_status() -> dict[ComplaintStatus, int]:
    rows = db.session.execute(select(Complaint.status, func.count(Complaint.id)).group_by(Complaint.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in ComplaintStatus}


def get_complaint(complaint_id: int, actor: User) -> Complaint:
    _check_bureau(actor)
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(N_("No such complaint."))
    return complaint


def bureau_staff() -> Sequence[User]:
    return db.session.scalars(
        select(User).where(User.role.in_(sorted(BUREAU_ROLES)), User.active.is_(True)).order_by(User.name)
    ).all()


def assign(complaint: Complaint, assignee_id: int, actor: User) -> Complaint:
    _check_bureau(actor)
    _check_open(complaint)
    assignee = db.session.get(User, assignee_id)
    if assignee is None or not assignee.is_bureau or not assignee.active:
        raise InvalidInput(N_("Complaints are assigned to bureau staff only."))
    before = complaint.status
    complaint.assignee = assignee
    if complaint.status is ComplaintStatus.NEW:
        complaint.status = ComplaintStatus.ASSIGNED
    _event(complaint, actor, EventKind.ASSIGNED, assignee.name)
    _audit(actor, "complaint.assign", complaint, before, assignee=assignee.email)
    db.session.commit()
    return complaint


def ask_operator(complaint: Complaint, message: str, actor: User) -> Complaint:
    """Ask the operator to respond in the portal; an unassigned complaint becomes the asker's."""
    _check_bureau(actor)
    _check_open(complaint)
    if complaint.status is ComplaintStatus.AWAITING_OPERATOR:
        raise Conflict(N_("The operator has already been asked and has not answered yet."))
    before = complaint.status
    complaint.assignee = complaint.assignee or actor
    complaint.status = ComplaintStatus.AWAITING_OPERATOR
    _event(complaint, actor, EventKind.OPERATOR_ASKED, message.strip())
    _audit(actor, "complaint.ask_operator", complaint, before, message=message.strip())
    db.session.commit()
    return complaint


def decide(complaint: Complaint, decision: Decision, text: str, summary: str, actor: User) -> Complaint:
    _check_bureau(actor)
    _check_open(complaint)
    before = complaint.status
    complaint.assignee = complaint.assignee or actor
    complaint.status = ComplaintStatus.DECIDED
    complaint.decision = decision
    complaint.decision_text = text.strip()
    complaint.outcome_summary = summary.strip()
    complaint.decided_at = clock.utcnow()
    _event(complaint, actor, EventKind.DECIDED, complaint.decision_text)
    _audit(actor, "complaint.decide", complaint, before, decision=decision.value, summary=complaint.outcome_summary)
    db.session.commit()
    return complaint


# ---- The operator's side ------------------------------------------------------------------------------------------


def operator_complaints(actor: User) -> Sequence[Complaint]:
    """Complaints about the actor's own operator, those awaiting its response first."""
    if actor.role is not Role.OPERATOR or actor.operator_id is None:
        raise PermissionDenied(N_("Only operator staff see complaints about their operator."))
    waiting_first = (Complaint.status != ComplaintStatus.AWAITING_OPERATOR).asc()
    return db.session.scalars(
        select(Complaint)
        .where(Complaint.operator_id == actor.operator_id)
        .order_by(waiting_first, Complaint.filed_at.desc(), Complaint.id.desc())
    ).all()


def operator_complaint(complaint_id: int, actor: User) -> Complaint:
    """A complaint about the actor's own operator; another operator's is not found, as if it did not exist."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or actor.role is not Role.OPERATOR or complaint.operator_id != actor.operator_id:
        raise NotFound(N_("No such complaint."))
    return complaint


def answer(complaint: Complaint, message: str, actor: User) -> Complaint:
    if actor.role is not Role.OPERATOR or complaint.operator_id != actor.operator_id:
        raise PermissionDenied(N_("Only the operator's own staff answer a complaint about it."))
    if complaint.status is not ComplaintStatus.AWAITING_OPERATOR:
        raise Conflict(N_("The bureau has not asked for a response to this complaint."))
    before = complaint.status
    complaint.status = ComplaintStatus.ANSWERED
    _event(complaint, actor, EventKind.OPERATOR_ANSWERED, message.strip())
    _audit(actor, "complaint.answer", complaint, before, message=message.strip())
    db.session.commit()
    return complaint


def questions_and_answers(complaint: Complaint) -> list[ComplaintEvent]:
    """The bureau's questions to the operator and its answers, in order: what the operator's page shows."""
    kinds = (EventKind.OPERATOR_ASKED, EventKind.OPERATOR_ANSWERED)
    return [event for event in complaint.events if event.kind in kinds]
