"""Whole public responses (body and headers) kept in the shared cache, and the HTTP caching headers that let a
browser or a reverse proxy keep them too.

A page or API answer listed in `POLICIES` is, for a visitor without a session cookie, looked up before its view
runs, under a key made of the path and query, the language (for pages), the day (a missing as_of means today), and
the revision counters of everything it is read from (`revisions.current_many`: one query for both counters). A hit
is answered from the cache: no view, no template, no query but that one, and no rate-limit count (the limiter
comes after this lookup); an If-None-Match naming its ETag gets a 304 without a body. A miss runs the view and keeps
a 200 answer that sets no cookie. Nothing is ever invalidated: a publication or a government-list change moves a
counter, so the next request has a new key, and old entries expire (`cache.Store` TTL).

Every answer of these endpoints carries an ETag (a hash of its body, the same on every worker) and
`Cache-Control: public, max-age=N` (pages also `Vary: Cookie`, the language being chosen from
them); a signed-in user's pages (they show who is signed in) are `private, no-store` and never kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session

from portal import cache, clock
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.web import i18n

log = logging.getLogger(__name__)

GOVLIST_REVISION = "govlist"  # portal.govlist.services.REVISION (not imported: the web layer stays below govlist)
TOPICS = (PUBLIC_REVISION, GOVLIST_REVISION)
TTL = 600  # seconds an entry stays in the shared cache (a new revision makes new keys long before that)
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
FORMAT = 2  # of the entries (in their keys): bump when it changes
SEPARATOR = "\x1e"  # an entry is ETag, headers (JSON) and body: the body is kept as is, never parsed


@dataclass(frozen=True)
class Policy:
    """How one endpoint's answers may be kept: seconds a browser or proxy may keep them, whether the language
    changes them (pages yes; the API's 200 answers no)."""

    max_age: int = 60
    localised: bool = True


PAGE = Policy()
DATA = Policy(localised=False)
POLICIES: dict[str, Policy] = {
    "public.index": PAGE,
    "public.search": PAGE,
    "public.operator": PAGE,
    "public.government_list": PAGE,
    "public.feed": Policy(max_age=300),
    "shippers.compare": PAGE,
    "shippers.estimate": PAGE,
    "opendata.datapackage_json": DATA,
    "api.fees": DATA,
    "api.operators": DATA,
    "api.catalogue": DATA,
    "api.government_list": DATA,
    "api.bundles": DATA,
    "api.openapi": Policy(max_age=300, localised=False),
}


def _policy() -> Policy | None:
    if request.method not in ("GET", "HEAD"):
        return None
    return POLICIES.get(request.endpoint or "")


def _anonymous() -> bool:
    """No session cookie (nobody signed in, nothing flashed): the answer is the same for every such visitor."""
    config = current_app.config
    return config["SESSION_COOKIE_NAME"] not in request.cookies and "remember_token" not in request.cookies


def _counters() -> str:
    """The revision counters, read at most once per REVISION_READ_INTERVAL seconds by this process (one query for
    both). A publication thus shows on a cached page within that interval (a proxy may keep it for max-age)."""
    interval = current_app.config["RESPONSE_CACHE_REVISION_INTERVAL"]
    now = clock.epoch()
    # (read at, counters): this process's last read, kept on the app itself (an id() of a freed app can come back)
    kept = current_app.extensions.get("response_cache_revisions")
    if interval and kept is not None and now - kept[0] < interval:
        return kept[1]
    numbers = ".".join(str(n) for n in revisions.current_many(TOPICS))
    current_app.extensions["response_cache_revisions"] = (now, numbers)
    return numbers


def key(policy: Policy) -> str:
    """The cache key of this request's answer: revisions, day, language, path and query."""
    numbers = _counters()
    language = i18n.short_name(i18n.select_locale()) if policy.localised else "-"
    query = json.dumps(sorted(request.args.items(multi=True)), ensure_ascii=False)
    digest = hashlib.sha256(f"{request.path}\x1f{query}".encode()).hexdigest()[:32]
    return f"response.{FORMAT}:{numbers}:{clock.today().isoformat()}:{language}:{digest}"


def _decorate(response: Response, policy: Policy, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={policy.max_age}"
    if policy.localised:
        response.vary.update(i18n.VARY)
    return response


def _from_cache() -> Response | None:
    """Before the view: the kept answer (or a 304) when there is one; else remember to keep this one."""
    policy = _policy()
    if policy is None or (policy.localised and not _anonymous()):
        return None
    try:
        entry_key = key(policy)
        kept = cache.store().get(entry_key)
    except Exception:  # a cache (or counter) that fails is a miss
        log.warning("response cache unavailable", exc_info=True)
        return None
    if kept is None:
        g.response_cache_key = entry_key
        return None
    try:
        etag, headers, body = kept.split(SEPARATOR, 2)
    except ValueError:  # not an entry of this format: a miss, replaced by this request's answer
        log.warning("response cache entry %s unreadable", entry_key)
        g.response_cache_key = entry_key
        return None
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(body, headers=json.loads(headers))
    response.headers["X-Cache"] = "hit"
    return _decorate(response, policy, etag)


def _keep(response: Response) -> Response:
    """After the view: caching headers on every answer of a listed endpoint; a fresh 200 kept for the next visitor."""
    policy = _policy()
    if policy is None or response.headers.get("X-Cache") == "hit":
        return response
    if policy.localised and (not _anonymous() or session.modified):  # it may show who is signed in
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if response.status_code != 200 or response.direct_passthrough or "Set-Cookie" in response.headers:
        return response
    body = response.get_data()
    etag = hashlib.sha256(body).hexdigest()[:32]
    _decorate(response, policy, etag)
    entry_key = g.pop("response_cache_key", None)
    if entry_key is not None:
        try:
            text = body.decode("utf-8")
            headers = [(name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers]
            entry = SEPARATOR.join((etag, json.dumps(headers, ensure_ascii=False), text))
            cache.store().set(entry_key, entry, TTL)
        except (UnicodeDecodeError, Exception):  # not text, or a cache that fails: not kept
            log.warning("response not kept in the cache", exc_info=True)
    response.headers["X-Cache"] = "miss"
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Register before the rate limiter (portal.web.limits, public_limits): a hit answers before any limit is
    counted or checked; a miss goes on to the limiter and then the view."""
    app.before_request(_from_cache)
    app.after_request(_keep)
