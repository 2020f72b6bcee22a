"""Absolute links to the portal's pages for what leaves a request behind (the Atom feed, posting sheets' QR codes,
mail): always PUBLIC_BASE_URL + the route's path, never the request's Host header, which a client chooses (a forged
Host would otherwise be written into a feed that a proxy then caches for everyone).

Flask's TRUSTED_HOSTS (PORTAL_TRUSTED_HOSTS='["ports.example.cn"]') additionally refuses requests for other hosts.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    """PUBLIC_BASE_URL joined with the path of `endpoint` (query arguments for values the route does not take)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    adapter = current_app.url_map.bind("localhost")
    wanted = {key: value for key, value in values.items() if value is not None}
    return base + adapter.build(endpoint, wanted)
