"""Per-client limits on the public single window's expensive doors: the search page, the downloads, the API.

Declared by endpoint, with the shared `limiter` (portal.web.limits: Flask-Limiter, counted in Redis when configured),
each limit read from the configuration when a request comes (SEARCH_RATE_LIMIT, DOWNLOAD_RATE_LIMIT; the API's,
API_RATE_LIMIT, is declared on its blueprint). A client over its limit gets 429 with Retry-After. What is counted
is the work a request makes: an answer the response cache holds (portal.web.response_cache, asked first) costs about
what /healthz costs and is neither counted nor checked (counting it would cost three Redis round trips, more than the
answer); a request the cache cannot answer (a new query, a new date, a download) runs its view and is counted.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request

from portal.web.limits import limiter

LIMITED: dict[str, str] = {
    "public.search": "SEARCH_RATE_LIMIT",
    "downloads.catalogue_xlsx": "DOWNLOAD_RATE_LIMIT",
    "downloads.catalogue_csv": "DOWNLOAD_RATE_LIMIT",
    "downloads.area_pdf": "DOWNLOAD_RATE_LIMIT",
}


def _configured(setting: str) -> Callable[[], str]:
    return lambda: current_app.config[setting]


def check() -> None:
    """When the response cache did not answer: count this request against its endpoint's limit (429 when over it).

    Flask-Limiter checks a limit declared on a view function when the view runs; the check is made here instead, by
    the limiter's own request check, so that a 429 comes before the view's work for the endpoints declared below.
    """
    if request.endpoint in LIMITED:
        limiter._check_request_limit(in_middleware=False)  # noqa: SLF001 - the check its decorator makes


def init_app(app: Flask) -> None:
    """Check the limits once the response cache has not answered (call this after response_cache.init_app)."""
    app.before_request(check)


_declared: set[str] = set()  # the limiter is one for the process; each view's limit is declared on it once


def declare(app: Flask) -> None:
    """Declare each endpoint's limit on its view (once the blueprints are registered); `check` applies them."""
    for endpoint, setting in LIMITED.items():
        view = app.view_functions.get(endpoint)
        if view is not None and endpoint not in _declared:
            _declared.add(endpoint)
            limiter.limit(_configured(setting))(view)  # the wrapper it returns is not used: `check` counts instead
