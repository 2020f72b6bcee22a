"""Publishing is one transaction: a failure partway leaves the edition in force, and no trace of a half edition.

The failure is injected after the new version has been marked published (and flushed) and the edition it
replaces marked superseded: at the audit write, or at the commit itself.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import VersionStatus
from portal.govlist.services import load_feelists
from portal.publishing import editions, snapshot
from portal.review import services as review
from portal.review.models import ReviewDecision
from portal.validation.model import FeeLine
from tests.factories import header_of

TODAY = date(2026, 11, 23)
FIRST_EFFECTIVE = "2026-01-01"
LINES = (
    FeeLine(name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    FeeLine(name="铅封费", service_content="提供并施加铅封", standard="20", unit="元/个", pricing_class="市场调节价"),
)


class Injected(RuntimeError):
    """The failure the test injects partway through publishing."""


header = header_of


@pytest.fixture
def reviewer(app, make_user):
    load_feelists(app.config["FEELISTS_DIR"])
    return make_user(Role.REVIEWER)


@pytest.fixture(params=[FIRST_EFFECTIVE, TODAY.isoformat()], ids=["correcting-same-day", "taking-over-today"])
def change(request, reviewer, make_operator, make_user):
    """A published first edition (文件费 400, in force from 2026-01-01) and a submitted change raising it to 450.

    Effective the same day, the change supersedes the first edition; effective today, it takes over from today.
    """
    operator = make_operator()
    staff = make_user(Role.OPERATOR, operator=operator)
    first = catalogue.replace_contents(operator, header(operator, FIRST_EFFECTIVE), LINES, staff, as_of=TODAY)
    editions.publish(first, None, now=TODAY)
    draft = catalogue.start_change(operator, staff, as_of=TODAY)
    catalogue.save_header(draft, staff, header(operator, request.param), expected_lock=None, as_of=TODAY)
    fee = next(line for line in draft.lines if line.name == "文件费")
    kept = {k: getattr(fee, k) for k in ("name", "service_content", "unit", "pricing_class")}
    raised = FeeLine(**kept, standard="450")
    catalogue.update_line(draft, fee.id, staff, raised, expected_lock=None, as_of=TODAY)
    explanations = dict.fromkeys(catalogue.errors_to_explain(draft), "已核对")
    catalogue.submit(draft, staff, True, explanations, as_of=TODAY)
    return operator, first, draft


@pytest.fixture(params=["audit-write", "commit"])
def failing(request, db, monkeypatch):
    """Make the next publication fail at the audit write or at the commit; returns the undo."""

    def boom(*_args, **_kwargs):
        raise Injected(request.param)

    if request.param == "audit-write":
        monkeypatch.setattr(editions, "record", boom)
    else:
        monkeypatch.setattr(db.session, "commit", boom)
    return monkeypatch.undo


def publications(db, version) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "catalogue.publish", AuditEntry.subject_id == str(version.id))
    )


def assert_first_edition_in_force(db, client, operator, first, draft) -> None:
    """The first edition is the one in force everywhere the public looks, with its lines; the change is not."""
    assert draft.status is VersionStatus.SUBMITTED
    assert (draft.edition_code, draft.published_at, draft.effective_from) == (None, None, None)
    assert first.status is VersionStatus.PUBLISHED
    assert catalogue.in_force(operator, TODAY).id == first.id
    [edition] = snapshot.in_force(TODAY, operator_ids=[operator.id])
    assert edition.edition_code == first.edition_code
    assert {line.name: line.standard for line in edition.lines} == {"文件费": "400", "铅封费": "20"}
    assert snapshot.by_code(f"{operator.credit_code}-002") is None
    body = client.get(f"/api/v1/operators/{operator.credit_code}/catalogue?as_of={TODAY}").get_json()
    assert body["edition"] == first.edition_code
    assert {line["name"]: line["standard"] for line in body["lines"]} == {"文件费": "400", "铅封费": "20"}
    fees = client.get(f"/api/v1/fees?q=文件费&operator={operator.credit_code}&as_of={TODAY}").get_json()
    assert [(item["edition"], item["standard"]) for item in fees["items"]] == [(first.edition_code, "400")]
    assert publications(db, draft) == 0


def assert_change_in_force(db, operator, first, draft) -> None:
    assert draft.status is VersionStatus.PUBLISHED
    assert draft.edition_code == f"{operator.credit_code}-002"
    assert catalogue.in_force(operator, TODAY).id == draft.id
    [edition] = snapshot.in_force(TODAY, operator_ids=[operator.id])
    assert {line.name: line.standard for line in edition.lines} == {"文件费": "450", "铅封费": "20"}
    superseded = draft.effective_from.isoformat() == FIRST_EFFECTIVE
    assert first.status is (VersionStatus.SUPERSEDED if superseded else VersionStatus.PUBLISHED)
    assert publications(db, draft) == 1


def test_an_approval_failing_partway_leaves_the_edition_in_force_and_can_be_made_again(
    db, client, change, reviewer, failing
) -> None:
    operator, first, draft = change
    with pytest.raises(Injected):
        review.approve(draft, reviewer, comment="同意", today=TODAY)

    assert_first_edition_in_force(db, client, operator, first, draft)
    assert [entry.version.id for entry in review.queue(TODAY)] == [draft.id]
    assert db.session.scalar(select(func.count()).select_from(ReviewDecision)) == 0
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "review.approved")) == 0

    failing()
    review.approve(draft, reviewer, comment="同意", today=TODAY)
    assert_change_in_force(db, operator, first, draft)
    decisions = db.session.scalars(select(ReviewDecision.decision).where(ReviewDecision.version_id == draft.id)).all()
    assert [str(d) for d in decisions] == ["approved"]


def test_a_direct_publication_failing_partway_leaves_nothing_half_done_in_the_session(
    db, client, change, failing
) -> None:
    """`publish` is also called alone (demo data, tests): it must undo its own half, not leave it to its caller."""
    operator, first, draft = change
    with pytest.raises(Injected):
        editions.publish(draft, None, now=TODAY)

    assert_first_edition_in_force(db, client, operator, first, draft)

    failing()
    editions.publish(draft, None, now=TODAY)
    assert_change_in_force(db, operator, first, draft)
