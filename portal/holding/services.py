"""Hold a file under a random key; take it back with the key and the purpose; old ones are dropped."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from portal import clock
from portal.extensions import db
from portal.holding.models import HeldFile

LIFETIME = timedelta(hours=2)


def hold(
    purpose: str, data: bytes, filename: str = "", *, owner_id: int | None = None, meta: dict[str, Any] | None = None
) -> HeldFile:
    """Store `data` (the caller commits); files older than the lifetime are dropped on the way."""
    db.session.execute(delete(HeldFile).where(HeldFile.created_at < clock.utcnow() - LIFETIME))
    held = HeldFile(
        key=secrets.token_urlsafe(24),
        purpose=purpose,
        data=data,
        filename=filename[:255],
        owner_id=owner_id,
        meta=meta or {},
    )
    db.session.add(held)
    db.session.flush()
    return held


def find(purpose: str, key: str, *, owner_id: int | None = None) -> HeldFile | None:
    """The held file with this key and purpose (and owner, when given), unless it is too old."""
    if not key or len(key) > 64:
        return None
    held = db.session.scalar(select(HeldFile).where(HeldFile.key == key, HeldFile.purpose == purpose))
    if held is None or held.created_at < clock.utcnow() - LIFETIME:
        return None
    if owner_id is not None and held.owner_id != owner_id:
        return None
    return held


def release(held: HeldFile) -> None:
    db.session.delete(held)
