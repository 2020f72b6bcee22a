"""The bureau's review on the real database: the queue, the diff's marks, the three decisions and their audit rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import VersionStatus
from portal.errors import Conflict, InvalidInput, PermissionDenied
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.review import services as review
from portal.review.models import Decision
from portal.validation.model import FeeLine
from tests.factories import header_of

TODAY = date(2026, 11, 23)
PUBLISHED = (
    FeeLine(name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    FeeLine(name="铅封费", service_content="提供并施加铅封", standard="20", unit="元/个", pricing_class="市场调节价"),
    FeeLine(name="洗箱费", service_content="清洗集装箱", standard="80", unit="元/箱", pricing_class="市场调节价"),
)

ADDED = FeeLine(
    name="冷藏箱插电费", service_content="冷藏箱供电", standard="150", unit="元/箱·天", pricing_class="市场调节价"
)


header = header_of


def line_like(record, **changed: str) -> FeeLine:
    values = {k: getattr(record, k) for k in ("name", "service_content", "standard", "unit", "pricing_class")}
    return FeeLine(**{**values, **changed})


@pytest.fixture
def reviewer(app, make_user):
    load_feelists(app.config["FEELISTS_DIR"])
    return make_user(Role.REVIEWER)


@pytest.fixture
def submitted(db, reviewer, make_operator, make_user):
    """Make an operator whose published list (文件费 400, 铅封费 20, 洗箱费 80) is changed and submitted:
    文件费 up to 450 (I), 铅封费 down to 15 (R), 洗箱费 deleted (D), 冷藏箱插电费 added (A)."""

    def make(name: str | None = None, submitted_at: datetime | None = None):
        operator = make_operator(name)
        staff = make_user(Role.OPERATOR, operator=operator)
        first = catalogue.replace_contents(operator, header(operator, "2026-01-01"), PUBLISHED, staff, as_of=TODAY)
        editions.publish(first, None, now=TODAY)
        draft = catalogue.start_change(operator, staff, as_of=TODAY)
        catalogue.save_header(draft, staff, header(operator, TODAY.isoformat()), expected_lock=None, as_of=TODAY)
        by_name = {r.name: r for r in draft.lines}
        for name, standard in (("文件费", "450"), ("铅封费", "15")):
            changed = line_like(by_name[name], standard=standard)
            catalogue.update_line(draft, by_name[name].id, staff, changed, expected_lock=None, as_of=TODAY)
        catalogue.delete_line(draft, by_name["洗箱费"].id, staff, expected_lock=None, as_of=TODAY)
        catalogue.add_line(draft, staff, ADDED, expected_lock=None, as_of=TODAY)
        explanations = {key: "已核对" for key in catalogue.errors_to_explain(draft)}
        catalogue.submit(draft, staff, True, explanations, as_of=TODAY)
        if submitted_at is not None:
            draft.submitted_at = submitted_at
            db.session.commit()
        return draft

    return make


def test_the_queue_lists_submitted_versions_the_longest_waiting_first(submitted) -> None:
    later = submitted("后交码头有限公司", datetime(2026, 11, 20, 2))
    earlier = submitted("先交码头有限公司", datetime(2026, 11, 10, 2))
    entries = review.queue(TODAY)
    assert [e.version.id for e in entries] == [earlier.id, later.id]
    first = entries[0]
    assert first.operator.name_zh == "先交码头有限公司"
    assert first.is_change
    assert first.days_waiting == 13
    assert (first.errors, first.warnings) == (earlier.error_count, earlier.warning_count)


def test_drafts_and_published_versions_are_not_in_the_queue(submitted, reviewer) -> None:
    version = submitted()
    review.approve(version, reviewer, today=TODAY)
    assert review.queue(TODAY) == []


def test_the_diff_marks_an_increase_a_reduction_a_deletion_and_an_addition(submitted) -> None:
    version = submitted()
    diff = review.diff(version, TODAY)
    assert diff.base is version.based_on
    marks = {row.item: row.mark for row in diff.rows}
    assert marks == {"文件费": "I", "铅封费": "R", "洗箱费": "D", "冷藏箱插电费": "A"}
    raised = next(row for row in diff.rows if row.item == "文件费")
    assert raised.changed == {"standard", "effective_date"}  # a changed line takes effect with the version
    assert (raised.old["standard"], raised.new["standard"]) == ("400", "450")
    assert raised.new["effective_date"] == TODAY.isoformat()
    removed = next(row for row in diff.rows if row.item == "洗箱费")
    assert removed.new is None
    assert removed.key.startswith("base-")


def test_approval_publishes_the_version_as_the_edition_in_force(submitted, reviewer) -> None:
    version = submitted()
    decision = review.approve(version, reviewer, comment="同意", today=TODAY)
    assert version.status is VersionStatus.PUBLISHED
    assert version.edition_code == f"{version.catalogue.operator.credit_code}-002"
    assert catalogue.in_force(version.catalogue.operator, TODAY).id == version.id
    assert decision.decision is Decision.APPROVED
    assert decision.reviewer_id == reviewer.id


def test_each_decision_is_audited_with_the_transition_it_caused(submitted, reviewer, db) -> None:
    version = submitted()
    review.approve(version, reviewer, today=TODAY)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.actor_id == reviewer.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["review.approved", "catalogue.publish"]


def test_requesting_changes_returns_the_version_with_comments_per_line(submitted, reviewer, db) -> None:
    version = submitted()
    rows = {row.item: row.key for row in review.diff(version, TODAY).rows}
    review.request_changes(
        version,
        reviewer,
        comment="请说明涨价原因",
        line_comments={rows["文件费"]: "涨幅需附成本说明", rows["铅封费"]: "  ", "line-999999": "unknown"},
        today=TODAY,
    )
    assert version.status is VersionStatus.CHANGES_REQUESTED
    assert catalogue.working_version(version.catalogue.operator).id == version.id
    (stored,) = review.decisions_for(version.id)
    assert stored.comment == "请说明涨价原因"
    assert [(c["item"], c["mark"], c["comment"]) for c in stored.line_comments] == [("文件费", "I", "涨幅需附成本说明")]
    transition = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "catalogue.changes_requested"))
    assert transition.after["status"] == "changes_requested"
    assert transition.after["lines"][0]["comment"] == "涨幅需附成本说明"


def test_a_request_for_changes_must_say_what_to_change(submitted, reviewer) -> None:
    version = submitted()
    with pytest.raises(InvalidInput):
        review.request_changes(version, reviewer, comment=" ", line_comments={}, today=TODAY)
    assert version.status is VersionStatus.SUBMITTED
    assert review.decisions_for(version.id) == []


def test_a_rejection_stores_its_reason_and_the_version_stays_unpublished(submitted, reviewer, db) -> None:
    version = submitted()
    review.reject(version, reviewer, reason="收费项目不属实")
    assert version.status is VersionStatus.REJECTED
    assert version.edition_code is None
    (stored,) = review.decisions_for(version.id)
    assert (stored.decision, stored.comment) == (Decision.REJECTED, "收费项目不属实")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "review.rejected"))
    assert entry.operator_id == version.catalogue.operator_id


@pytest.mark.parametrize(
    ("decide", "kwargs"),
    [
        (review.approve, {}),
        (review.reject, {"reason": "不符合要求"}),
        (review.request_changes, {"comment": "请修改", "line_comments": {}}),
    ],
)
def test_a_version_decided_once_cannot_be_decided_again(submitted, reviewer, decide, kwargs) -> None:
    version = submitted()
    review.reject(version, reviewer, reason="第一次决定")
    with pytest.raises(Conflict):
        decide(version, reviewer, **kwargs)
    assert len(review.decisions_for(version.id)) == 1


def test_a_decision_on_a_version_changed_since_the_page_was_opened_is_refused(submitted, reviewer) -> None:
    version = submitted()
    with pytest.raises(Conflict):
        review.approve(version, reviewer, expected_lock=version.lock_version - 1, today=TODAY)
    assert version.status is VersionStatus.SUBMITTED


def test_operator_staff_cannot_decide_even_on_their_own_version(submitted, make_user) -> None:
    version = submitted()
    staff = make_user(Role.OPERATOR, operator=version.catalogue.operator)
    with pytest.raises(PermissionDenied):
        review.approve(version, staff, today=TODAY)
    with pytest.raises(PermissionDenied):
        catalogue.reject(version, staff, "自己拒绝")
    assert version.status is VersionStatus.SUBMITTED


def test_the_operator_sees_the_decisions_on_its_own_versions_only(
    submitted, reviewer, make_user, make_operator
) -> None:
    version = submitted()
    review.reject(version, reviewer, reason="收费项目不属实")
    own = make_user(Role.OPERATOR, operator=version.catalogue.operator)
    other = make_user(Role.OPERATOR, operator=make_operator())
    shown, decisions = review.visible_decisions(version.id, own)
    assert shown.id == version.id
    assert [d.comment for d in decisions] == ["收费项目不属实"]
    with pytest.raises(PermissionDenied):
        review.visible_decisions(version.id, other)


def test_a_scheduled_change_is_told_apart_from_one_taking_effect_at_once(submitted) -> None:
    version = submitted()
    assert review.scheduled(version, TODAY) is None
    version.effective_date_text = (TODAY + timedelta(days=30)).isoformat()
    assert review.scheduled(version, TODAY) == TODAY + timedelta(days=30)


@pytest.mark.parametrize(
    ("changed", "field", "mark"),
    [
        ({"pricing_class": "政府指导价"}, "pricing_class", "C"),  # a change of class alone is a C, not unchanged
        ({"pass_through": "是"}, "pass_through", "C"),  # so is a change to pass-through
        ({"pass_through": "否"}, "pass_through", ""),  # 否 and blank both say "own charge": not a change of fee
    ],
)
def test_the_diff_marks_a_change_of_pricing_class_or_pass_through_as_wording(
    db, reviewer, make_operator, make_user, changed: dict[str, str], field: str, mark: str
) -> None:
    operator = make_operator()
    staff = make_user(Role.OPERATOR, operator=operator)
    first = catalogue.replace_contents(operator, header(operator, "2026-01-01"), PUBLISHED[:1], staff, as_of=TODAY)
    editions.publish(first, None, now=TODAY)
    draft = catalogue.start_change(operator, staff, as_of=TODAY)
    (record,) = draft.lines
    catalogue.update_line(draft, record.id, staff, line_like(record, **changed), expected_lock=None, as_of=TODAY)
    (row,) = review.diff(draft, TODAY).rows
    assert row.mark == mark
    assert field in row.changed  # the diff still shows what was written differently
    assert (row.old[field], row.new[field]) == (getattr(PUBLISHED[0], field), changed[field])
