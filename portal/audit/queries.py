"""Reading the audit log: filtered pages, a CSV export safe to open in a spreadsheet, actions per day."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from portal import clock
from portal.audit.models import AuditEntry
from portal.extensions import db

PAGE_SIZE = 50
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CSV_COLUMNS = ("id", "time", "actor", "action", "subject_type", "subject_id", "operator_id", "before", "after")


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of the actor's e-mail (or "system")
    operator_id: int | None = None
    action: str = ""  # an exact action, or a prefix ending in "." ("user.")
    since: date | None = None  # the portal's days, inclusive
    until: date | None = None

    def query(self) -> Select:
        q = select(AuditEntry)
        if self.actor.strip():
            q = q.where(func.lower(AuditEntry.actor_label).contains(self.actor.strip().lower(), autoescape=True))
        if self.operator_id is not None:
            q = q.where(AuditEntry.operator_id == self.operator_id)
        if self.action:
            if self.action.endswith("."):
                q = q.where(AuditEntry.action.startswith(self.action, autoescape=True))
            else:
                q = q.where(AuditEntry.action == self.action)
        if self.since is not None:
            q = q.where(AuditEntry.created_at >= day_start_utc(self.since))
        if self.until is not None:
            q = q.where(AuditEntry.created_at < day_start_utc(self.until + timedelta(days=1)))
        return q


def day_start_utc(day: date) -> datetime:
    """00:00 of the portal's `day`, as the naive UTC the database stores."""
    return datetime.combine(day, time(), tzinfo=clock.zone()).astimezone(UTC).replace(tzinfo=None)


def page(where: AuditFilter, number: int) -> tuple[Sequence[AuditEntry], int]:
    total = db.session.scalar(select(func.count()).select_from(where.query().subquery())) or 0
    rows = db.session.scalars(
        where.query().order_by(AuditEntry.id.desc()).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return rows, max(1, -(-total // PAGE_SIZE))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def neutralise(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab) gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEAD) else text


def csv_rows(where: AuditFilter) -> Iterator[str]:
    """The export, streamed: a BOM (so spreadsheet programs read UTF-8), the header, then the entries, oldest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    query = where.query().order_by(AuditEntry.id).execution_options(yield_per=500)
    for entry in db.session.scalars(query):
        writer.writerow(
            neutralise(v)
            for v in (
                entry.id,
                clock.to_local(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_label,
                entry.action,
                entry.subject_type,
                entry.subject_id,
                entry.operator_id or "",
                _json(entry.before),
                _json(entry.after),
            )
        )
        yield flush()


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def per_day(where: AuditFilter, days: int = 30) -> list[tuple[date, int]]:
    """Entries per portal day over the last `days` days (or the filter's dates), every day listed, zeros too."""
    until = where.until or clock.today()
    since = where.since or until - timedelta(days=days - 1)
    if (until - since).days > 366:
        since = until - timedelta(days=365)
    scoped = AuditFilter(where.actor, where.operator_id, where.action, since, until)
    counts: dict[date, int] = {}
    for (stamp,) in db.session.execute(scoped.query().with_only_columns(AuditEntry.created_at)):
        day = clock.to_local(stamp).date()
        counts[day] = counts.get(day, 0) + 1
    return [
        (since + timedelta(days=i), counts.get(since + timedelta(days=i), 0)) for i in range(((until - since).days) + 1)
    ]
