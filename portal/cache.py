"""A cache the web workers share: in-process by default (one machine), Redis when `CACHE_URL` names one.

Values are JSON text. Keys carry what makes a value true (the revision of the data it was read from), so nothing is
ever invalidated: a change makes new keys, and old entries expire. A cache that fails (Redis down) is a miss, never
an error page.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from flask import Flask, current_app

EXTENSION = "portal.cache"
log = logging.getLogger(__name__)


class Store(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl: int) -> None: ...


class MemoryStore:
    """At most `size` entries, least recently used first out, each for `ttl` seconds."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: str, ttl: int) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + ttl, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class RedisStore:
    """Keys under `prefix` (CACHE_KEY_PREFIX), so that several portals (or test runs) can share one Redis."""

    def __init__(self, url: str, prefix: str = "") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    def get(self, key: str) -> str | None:
        value = self.client.get(self.prefix + key)
        return value.decode("utf-8") if value is not None else None

    def set(self, key: str, value: str, ttl: int) -> None:
        self.client.set(self.prefix + key, value.encode("utf-8"), ex=ttl)


def init_app(app: Flask) -> None:
    url = app.config["CACHE_URL"]
    prefix = app.config.get("CACHE_KEY_PREFIX", "")
    app.extensions[EXTENSION] = MemoryStore() if url.startswith("memory://") else RedisStore(url, prefix)


def store() -> Store:
    """This app's shared store (memory or Redis)."""
    return current_app.extensions[EXTENSION]


def remembered(key: str, compute: Callable[[], Any], *, ttl: int = 600) -> Any:
    """The JSON value cached under `key`, or `compute()`'s (JSON-able) value, cached for next time."""
    shared = store()
    try:
        cached = shared.get(key)
    except Exception:  # a cache that fails is a miss
        log.warning("cache unavailable: reading %s from the database", key, exc_info=True)
        return compute()
    if cached is not None:
        return json.loads(cached)
    value = compute()
    try:
        shared.set(key, json.dumps(value, ensure_ascii=False, separators=(",", ":")), ttl)
    except Exception:
        log.warning("cache unavailable: %s not kept", key, exc_info=True)
    return value
