"""Government-list changes are announced on `govlist_changed` after commit; review and the kept list subscribe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.errors import InvalidInput
from portal.govlist import services as govlist
from portal.govlist.services import REFERENCE_KEPT
from portal.govlist.signals import govlist_changed
from portal.review.models import RevalidationRun


@pytest.fixture
def admin(app, make_user):
    govlist.load_feelists(app.config["FEELISTS_DIR"])
    return make_user(Role.ADMIN)


@pytest.fixture
def heard():
    news: list[dict[str, object]] = []

    def listen(sender, **kwargs) -> None:
        news.append({"sender": sender, **kwargs})

    with govlist_changed.connected_to(listen):
        yield news


def test_a_committed_change_is_announced_once_with_actor_and_reason(app, admin, heard, db) -> None:
    govlist.add_alias("港务费别名", "货物港务费", "测试", admin)
    assert heard == [{"sender": app, "actor": admin, "reason": "alias 港务费别名"}]
    # review heard it too: one re-validation run, with the same reason and actor
    runs = db.session.scalars(select(RevalidationRun)).all()
    assert [(r.reason, r.actor_id) for r in runs] == [("alias 港务费别名", admin.id)]


def test_a_refused_change_announces_nothing_and_runs_nothing(admin, heard, db) -> None:
    with pytest.raises(InvalidInput):
        govlist.add_alias("货物港务费", "货物港务费", "测试", admin)  # an official name cannot be an alias
    assert heard == []
    assert db.session.scalar(select(func.count(RevalidationRun.id))) == 0


def test_the_list_a_worker_keeps_is_dropped_when_the_list_changes(app, admin) -> None:
    before = govlist.reference()
    assert app.extensions[REFERENCE_KEPT][1] is before
    govlist.add_alias("港务费别名", "货物港务费", "测试", admin)
    after = govlist.reference()
    assert after is not before
    assert "港务费别名" in after.aliases
    assert "港务费别名" not in before.aliases
