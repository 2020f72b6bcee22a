"""Revision counters (see `Revision`): bump one inside a change's transaction, read it to key a cache."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.audit.models import Revision
from portal.extensions import db

PUBLIC_REVISION = "public"  # what the single window shows of operators and their editions
BUMPED = "revisions.bumped"  # session.info key: the topics bumped in the current transaction


def bump(topic: str) -> None:
    """Move `topic`'s counter on, in the current transaction (its row lock orders concurrent changes).

    The topic is also noted in the session (`bumped_in`), for what must happen once the change is committed
    (the exports of a publication are queued then: portal.publishing.export_queue)."""
    db.session.info.setdefault(BUMPED, set()).add(topic)
    moved = db.session.execute(update(Revision).where(Revision.topic == topic).values(number=Revision.number + 1))
    if moved.rowcount == 0:
        db.session.add(Revision(topic=topic, number=1))
        db.session.flush()


def current(topic: str) -> int:
    """The counter's value; 0 before the first change."""
    return db.session.scalar(select(Revision.number).where(Revision.topic == topic)) or 0


def current_many(topics: tuple[str, ...]) -> tuple[int, ...]:
    """Several counters read in one query, in the order of `topics` (0 for a topic never changed)."""
    found = dict(db.session.execute(select(Revision.topic, Revision.number).where(Revision.topic.in_(topics))).all())
    return tuple(found.get(topic, 0) for topic in topics)
