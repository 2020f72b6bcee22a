"""Handling complaints on the real database, both backends: assignment, the operator's answer, decisions, audit."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.complaints import services
from portal.complaints.models import Complaint, ComplaintStatus, Decision, EventKind
from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from portal.extensions import db as _db

FILED_ON = date(2026, 3, 2)  # a Monday: due 15 working days later, on 23 March
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


@pytest.fixture
def operator(make_operator):
    return make_operator("广州甲码头有限公司")


@pytest.fixture
def other_operator(make_operator):
    return make_operator("广州乙码头有限公司")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER)


@pytest.fixture
def colleague(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def staff(make_user, operator):
    return make_user(Role.OPERATOR, operator=operator)


@pytest.fixture
def other_staff(make_user, other_operator):
    return make_user(Role.OPERATOR, operator=other_operator)


@pytest.fixture
def complaint(db, operator) -> Complaint:
    """A complaint about a fee the operator has no list for (no edition published): filed, unlisted."""
    filing = services.Filing(
        operator_id=operator.id,
        charged_on=date(2026, 2, 27),
        fee_line_id=None,
        fee_name="压港费",
        amount=Decimal("800"),
        currency="CNY",
        quantity=None,
        unit="",
        description="发票上出现清单外的压港费",
        contact_name="广州某外贸公司",
        contact_phone="13800138000",
        contact_email="shipper@example.test",
        invoice=PNG,
        remote_addr="203.0.113.5",
    )
    return services.file_complaint(filing, today=FILED_ON)


def actions(complaint: Complaint) -> list[tuple[str, str]]:
    rows = _db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject_type == "complaint", AuditEntry.subject_id == str(complaint.id))
    ).all()
    return [(row.action, row.actor_label) for row in sorted(rows, key=lambda r: r.id)]


def test_a_complaint_is_handled_to_a_decision_and_every_step_is_audited(complaint, reviewer, colleague, staff) -> None:
    services.assign(complaint, reviewer.id, colleague)
    assert (complaint.status, complaint.assignee) == (ComplaintStatus.ASSIGNED, reviewer)
    services.ask_operator(complaint, "请说明压港费的收费依据。", reviewer)
    assert complaint.status is ComplaintStatus.AWAITING_OPERATOR
    services.answer(complaint, "该费用已取消，将退还。", staff)
    assert complaint.status is ComplaintStatus.ANSWERED
    services.decide(
        complaint, Decision.SUBSTANTIATED, "投诉成立，已责令退还。", "某码头收取清单外费用，已退还。", reviewer
    )
    assert complaint.status is ComplaintStatus.DECIDED
    assert complaint.decision is Decision.SUBSTANTIATED
    assert actions(complaint) == [
        ("complaint.file", "system"),
        ("complaint.assign", colleague.email),
        ("complaint.ask_operator", reviewer.email),
        ("complaint.answer", staff.email),
        ("complaint.decide", reviewer.email),
    ]
    history = [(e.kind, e.status) for e in complaint.events]
    assert history == [
        (EventKind.FILED, ComplaintStatus.NEW),
        (EventKind.ASSIGNED, ComplaintStatus.ASSIGNED),
        (EventKind.OPERATOR_ASKED, ComplaintStatus.AWAITING_OPERATOR),
        (EventKind.OPERATOR_ANSWERED, ComplaintStatus.ANSWERED),
        (EventKind.DECIDED, ComplaintStatus.DECIDED),
    ]


@pytest.mark.parametrize("decision", list(Decision))
def test_each_decision_is_audited_with_its_summary(complaint, reviewer, decision: Decision) -> None:
    services.decide(complaint, decision, "决定全文", "匿名摘要", reviewer)
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.decide"))
    assert entry.actor_id == reviewer.id
    assert entry.operator_id == complaint.operator_id
    assert entry.before == {"status": "new"}
    assert entry.after == {"status": "decided", "decision": decision.value, "summary": "匿名摘要"}
    assert complaint.assignee == reviewer  # whoever decides an unassigned complaint owns it


def test_a_decided_complaint_cannot_be_decided_again_or_reopened(complaint, reviewer, colleague) -> None:
    services.decide(complaint, Decision.NOT_SUBSTANTIATED, "不成立", "不成立", reviewer)
    with pytest.raises(Conflict):
        services.decide(complaint, Decision.SUBSTANTIATED, "成立", "成立", reviewer)
    with pytest.raises(Conflict):
        services.ask_operator(complaint, "还有问题", reviewer)
    with pytest.raises(Conflict):
        services.assign(complaint, colleague.id, reviewer)
    assert complaint.decision is Decision.NOT_SUBSTANTIATED


def test_operator_staff_cannot_assign_or_decide(complaint, staff, reviewer) -> None:
    with pytest.raises(PermissionDenied):
        services.assign(complaint, reviewer.id, staff)
    with pytest.raises(PermissionDenied):
        services.decide(complaint, Decision.NOT_SUBSTANTIATED, "x", "x", staff)
    with pytest.raises(PermissionDenied):
        services.get_complaint(complaint.id, staff)
    assert complaint.status is ComplaintStatus.NEW


def test_complaints_are_assigned_to_bureau_staff_only(complaint, reviewer, staff) -> None:
    with pytest.raises(InvalidInput):
        services.assign(complaint, staff.id, reviewer)
    assert complaint.assignee is None


def test_the_operator_answers_only_when_asked(complaint, staff) -> None:
    with pytest.raises(Conflict):
        services.answer(complaint, "未被询问", staff)


def test_the_operator_is_not_asked_twice_before_answering(complaint, reviewer) -> None:
    services.ask_operator(complaint, "第一问", reviewer)
    with pytest.raises(Conflict):
        services.ask_operator(complaint, "第二问", reviewer)
    assert complaint.assignee == reviewer  # asking takes an unassigned complaint


def test_another_operators_staff_can_neither_see_nor_answer_a_complaint(
    complaint, reviewer, staff, other_staff
) -> None:
    services.ask_operator(complaint, "请说明", reviewer)
    assert services.operator_complaints(staff) == [complaint]
    assert services.operator_complaints(other_staff) == []
    with pytest.raises(NotFound):
        services.operator_complaint(complaint.id, other_staff)
    with pytest.raises(PermissionDenied):
        services.answer(complaint, "不是我们", other_staff)
    assert services.operator_complaint(complaint.id, staff) is complaint
    assert complaint.status is ComplaintStatus.AWAITING_OPERATOR


def test_bureau_staff_have_no_operator_complaint_list(reviewer) -> None:
    with pytest.raises(PermissionDenied):
        services.operator_complaints(reviewer)


def test_the_operator_sees_the_questions_and_answers_only(complaint, reviewer, staff) -> None:
    services.assign(complaint, reviewer.id, reviewer)
    services.ask_operator(complaint, "请说明", reviewer)
    services.answer(complaint, "已退还", staff)
    exchanged = services.questions_and_answers(complaint)
    assert [(e.kind, e.message) for e in exchanged] == [
        (EventKind.OPERATOR_ASKED, "请说明"),
        (EventKind.OPERATOR_ANSWERED, "已退还"),
    ]


@pytest.mark.parametrize(
    ("today", "days_left", "overdue"),
    [
        (date(2026, 3, 2), 15, False),
        (date(2026, 3, 20), 1, False),
        (date(2026, 3, 23), 0, False),  # due today
        (date(2026, 3, 24), -1, True),
    ],
)
def test_the_deadline_clock_counts_working_days(complaint, today: date, days_left: int, overdue: bool) -> None:
    assert complaint.due_on == date(2026, 3, 23)
    assert services.deadline(complaint, today) == services.Deadline(date(2026, 3, 23), days_left, overdue)


def test_a_decided_complaint_is_never_overdue(complaint, reviewer) -> None:
    services.decide(complaint, Decision.REFERRED, "移交市场监管部门", "已移交", reviewer)
    assert services.deadline(complaint, date(2026, 6, 1)).overdue is False


def test_the_queue_counts_by_status_and_filters(complaint, reviewer) -> None:
    services.assign(complaint, reviewer.id, reviewer)
    counts = services.counts_by_status()
    assert counts[ComplaintStatus.ASSIGNED] == 1
    assert counts[ComplaintStatus.NEW] == 0
    assert services.queue(ComplaintStatus.ASSIGNED) == [complaint]
    assert services.queue(ComplaintStatus.NEW) == []


def test_published_outcomes_are_anonymised(complaint, reviewer) -> None:
    assert services.outcomes() == []
    services.decide(complaint, Decision.SUBSTANTIATED, "投诉成立", "收取清单外费用，已退还。", reviewer)
    (outcome,) = services.outcomes()
    assert outcome.fee_name == "压港费"
    assert outcome.unlisted is True
    assert outcome.decision is Decision.SUBSTANTIATED
    assert outcome.summary == "收取清单外费用，已退还。"
    published = repr(dataclasses.asdict(outcome))
    for private in ("13800138000", "shipper@example.test", "广州某外贸公司", complaint.reference, "投诉成立"):
        assert private not in published
