"""The portal's one clock: the current instant, and the day as the configured zone counts it (China's by default).

Nothing else in the portal calls `date.today()`, `datetime.now()` or `time.time()` (tests/test_clock.py searches the
code for them): the server's clock runs in UTC, while a day in Guangzhou starts eight hours earlier. Every "today"
(the edition in force, a complaint deadline, a draft's updated date) is `clock.today()`.

Pure: no Flask, no database. `create_app` calls `configure()` with the `TIMEZONE` setting; tests freeze time with
time-machine, which moves every call below.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
_zone: tzinfo = ZoneInfo(DEFAULT_ZONE)


def configure(zone_name: str | None) -> None:
    """Set the zone whose calendar the portal keeps (an IANA name such as Asia/Shanghai)."""
    global _zone  # one process-wide setting, fixed at start-up from configuration, the same in every worker
    _zone = ZoneInfo(zone_name or DEFAULT_ZONE)


def zone() -> tzinfo:
    return _zone


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """The current instant in the portal's zone (aware)."""
    return now().astimezone(_zone)


def today() -> date:
    """The portal's day: the date in the configured zone, not the server's."""
    return local_now().date()


def utcnow() -> datetime:
    """Naive UTC now: both databases store timestamps this way; pages convert them to the portal's zone."""
    return now().replace(tzinfo=None)


def epoch() -> float:
    """Seconds since the epoch (for signed tokens and timings)."""
    return time.time()


def to_local(value: datetime) -> datetime:
    """A stored naive-UTC (or aware) timestamp in the portal's zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone)
