"""Put a message in the outbox (in the caller's transaction) and log it.

There is no mail server in this deployment: a delivery worker (or an administrator reading the outbox) takes the
messages from the table. Tests read them back with `messages_to()`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage

log = logging.getLogger(__name__)


def send(recipient: str, subject: str, body: str, *, kind: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    log.info("outbox: %s to %s: %s", kind, recipient, subject)
    return message


def messages_to(recipient: str) -> Sequence[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
    ).all()


def recent(limit: int = 20) -> Sequence[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
