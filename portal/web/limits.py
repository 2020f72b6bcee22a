"""Per-client rate limits (Flask-Limiter) counted in the shared store, so every worker sees the same counts.

The store is `RATELIMIT_STORAGE_URI` when set, else the cache's Redis (`CACHE_URL`) when that is Redis, else the
process's memory (the embedded default: one process). Limits are declared where the route is, with
`@limiter.limit(...)`; a client over its limit gets 429 with Retry-After.

The client is `request.remote_addr`: behind a reverse proxy, set TRUSTED_PROXIES so that werkzeug's ProxyFix takes
the address the proxy reports (README, Deployment).
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True)


def storage_uri(config) -> str:
    explicit = config.get("RATELIMIT_STORAGE_URI")
    if explicit:
        return explicit
    cache_url = config.get("CACHE_URL") or ""
    if cache_url.startswith(("redis://", "rediss://")):
        return cache_url
    return "memory://"


def init_app(app: Flask) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    # Said for every app: Flask-Limiter would otherwise keep the last app's choice (the limiter object is shared).
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "portal-limits")
    limiter.init_app(app)
    # The store and strategy made for this app, kept with it (the Limiter object is shared by every app a process
    # makes, e.g. in tests); portal.counters counts through these.
    # With RATELIMIT_ENABLED=false Flask-Limiter makes no store: the complaint and sign-in counters still need one.
    if app.config.get("RATELIMIT_ENABLED", True):
        store, strategy = limiter.storage, limiter.limiter
    else:
        store = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        strategy = STRATEGIES[app.config["RATELIMIT_STRATEGY"]](store)
    app.extensions["rate_store"] = store
    app.extensions["rate_strategy"] = strategy
