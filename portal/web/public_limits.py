"""Per-client limits on the public single window's expensive doors: the search page, the downloads, the API.

Declared by endpoint, with the shared `limiter` (portal.web.limits: Flask-Limiter, counted in Redis when configured),
each limit read from the configuration when a request comes (SEARCH_RATE_LIMIT, DOWNLOAD_RATE_LIMIT; the API's,
API_RATE_LIMIT, is declared on its blueprint). A client over its limit gets 429 with Retry-After, before the
response cache is asked: a cached answer still counts.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from portal.web.limits import limiter

LIMITED: dict[str, str] = {
    "public.search": "SEARCH_RATE_LIMIT",
    "downloads.catalogue_xlsx": "DOWNLOAD_RATE_LIMIT",
    "downloads.catalogue_csv": "DOWNLOAD_RATE_LIMIT",
    "downloads.area_pdf": "DOWNLOAD_RATE_LIMIT",
}


def _configured(setting: str) -> Callable[[], str]:
    return lambda: current_app.config[setting]


def init_app(app: Flask) -> None:
    for endpoint, setting in LIMITED.items():
        view = app.view_functions.get(endpoint)
        if view is not None:  # a registered view: its limit is found by its name before it runs
            limiter.limit(_configured(setting))(view)
