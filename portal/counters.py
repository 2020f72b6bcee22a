"""Counters every web worker shares, changed atomically in the rate-limit store.

The store is the one Flask-Limiter uses (portal.web.limits): Redis when RATELIMIT_STORAGE_URI or CACHE_URL name one
(INCR with expiry and the moving window run as Lua scripts on the server), else this process's memory (under a lock;
enough for the embedded single-process set-up, not for several workers). A check and its count are one operation:
twenty requests arriving together cannot all see "4 so far" and all pass.

Keys are prefixed with RATELIMIT_KEY_PREFIX, so tests and deployments sharing one Redis stay apart.
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import Storage
from limits.strategies import RateLimiter

from portal import clock


def per(count: int, seconds: float) -> RateLimitItem:
    """`count` events per `seconds` (a moving window)."""
    return RateLimitItemPerSecond(count, max(1, int(seconds)))


def _store() -> Storage:
    return current_app.extensions["rate_store"]


def _strategy() -> RateLimiter:
    return current_app.extensions["rate_strategy"]


def _key(*parts: str) -> str:
    return "/".join([current_app.config["RATELIMIT_KEY_PREFIX"], *parts])


def take(item: RateLimitItem, namespace: str, keys: list[str]) -> bool:
    """Count one event against each key, unless one of them is already at its limit (then False, and that key and
    the ones after it are not counted)."""
    return all(_strategy().hit(item, _key(namespace, key)) for key in keys)


def allows(item: RateLimitItem, namespace: str, keys: list[str]) -> bool:
    """Would one more event pass for every key? (A look, not a count: `take` decides.)"""
    return all(_strategy().test(item, _key(namespace, key)) for key in keys)


def retry_after(item: RateLimitItem, namespace: str, keys: list[str]) -> int:
    """Seconds until each key allows one more event again (the longest)."""
    waits = [_strategy().get_window_stats(item, _key(namespace, key)).reset_time - clock.epoch() for key in keys]
    return max(1, int(max(waits, default=1)))


def incr(name: str, seconds: float) -> int:
    """Add one to the counter `name` and return it; the counter expires `seconds` after its first count."""
    return int(_store().incr(_key(name), max(1, int(seconds))))


def get(name: str) -> int:
    return int(_store().get(_key(name)) or 0)


def expires_in(name: str) -> int:
    """Whole seconds until the counter `name` expires (0 when it does not exist)."""
    if not get(name):
        return 0
    return max(0, int(_store().get_expiry(_key(name)) - clock.epoch() + 0.999))


def clear(name: str) -> None:
    _store().clear(_key(name))
