"""Two reviewers approving the same submission at the same moment, each in its own session on PostgreSQL.

Exactly one approval publishes the edition; the other is refused as a conflict (the version is no longer awaiting
review), never a database error. Seen in the load benchmark as a 500: each reviewer's decision row took a key-share
lock on the version (its foreign key), then each publication's update of the version (its edition code is a unique
key) waited for the other's: a deadlock that PostgreSQL broke by failing one transaction.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.errors import Conflict
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.review import services as review
from portal.review.models import ReviewDecision
from portal.validation.model import FeeLine
from tests.factories import header_of

ROUNDS = 4
TIMEOUT = 60  # seconds a thread may take before the test gives up on it (a hang, not a timing assertion)
LINE = FeeLine(
    name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"
)


@pytest.fixture
def submissions(app, backend, make_operator, make_user):
    """ROUNDS submitted versions (one per operator), and two reviewers; all committed for the threads to see."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    load_feelists(app.config["FEELISTS_DIR"])
    reviewers = [make_user(Role.REVIEWER).id for _ in range(2)]
    versions = []
    for _ in range(ROUNDS):
        operator = make_operator()
        staff = make_user(Role.OPERATOR, operator=operator)
        draft = catalogue.replace_contents(operator, header_of(operator), [LINE], staff)
        explanations = dict.fromkeys(catalogue.errors_to_explain(draft), "已核对")
        catalogue.submit(draft, staff, True, explanations)
        versions.append(draft.id)
    _db.session.commit()
    return versions, reviewers


def _approve(app, version_id: int, reviewer_id: int, start: threading.Barrier, outcomes: list[str]) -> None:
    with app.app_context():
        try:
            version = _db.session.get(CatalogueVersion, version_id)
            reviewer = _db.session.get(User, reviewer_id)
            start.wait(TIMEOUT)
            review.approve(version, reviewer, comment="同意")
            outcomes.append("approved")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # noqa: BLE001 - what the test reports
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            _db.session.remove()


def test_two_reviewers_approving_at_once_publish_once_and_the_other_is_told(app, submissions) -> None:
    versions, reviewers = submissions
    for version_id in versions:
        outcomes: list[str] = []
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=_approve, args=(app, version_id, reviewer, start, outcomes))
            for reviewer in reviewers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        assert sorted(outcomes) == ["approved", "conflict"], outcomes
        _db.session.expire_all()
        version = _db.session.get(CatalogueVersion, version_id)
        assert version.status is VersionStatus.PUBLISHED
        decisions = select(func.count()).where(ReviewDecision.version_id == version_id)
        assert _db.session.scalar(decisions) == 1
