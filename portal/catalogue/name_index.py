"""Keeps `FeeName` complete: every name key written to a fee line is registered in the same transaction.

A listener on the session registers the keys of the lines a flush writes, so no service has to remember to; bulk
loaders that bypass the ORM (the benchmark data) call `register_names` themselves; `import-all` restores the table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from portal.catalogue.models import FeeLineRecord, FeeName

CHUNK = 500


def register_names(session: Session, keys: Iterable[str]) -> None:
    """Add the keys not registered yet. Two workers adding one key at once is harmless: the loser's insert is
    skipped by ON CONFLICT DO NOTHING (supported alike by PostgreSQL and SQLite)."""
    wanted = sorted({key for key in keys if key})
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert
    else:  # pragma: no cover - the portal supports these two databases
        upsert = insert
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        known = set(connection.scalars(select(FeeName.key).where(FeeName.key.in_(chunk))))
        missing = [{"key": key} for key in chunk if key not in known]
        if missing:
            connection.execute(upsert(FeeName).on_conflict_do_nothing(index_elements=["key"]), missing)


def _register_flushed(session: Session, _context: object) -> None:
    keys = {obj.name_key for obj in (*session.new, *session.dirty) if isinstance(obj, FeeLineRecord) and obj.name_key}
    if keys:
        register_names(session, keys)


def listen() -> None:
    """Register the listener once, for every session (called by create_app)."""
    if not event.contains(Session, "after_flush", _register_flushed):
        event.listen(Session, "after_flush", _register_flushed)
