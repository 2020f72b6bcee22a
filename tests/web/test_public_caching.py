"""Anonymous pages carry no session and are cached whole; the language is a plain cookie; signed-in pages are not."""

from __future__ import annotations

import pytest

from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.auth.models import Role

PUBLIC = ["/", "/fees?q=THC", "/government-list", "/api/v1/fees?q=THC", "/api/v1/operators", "/api/v1/openapi.json"]
PAGES = ["/", "/fees?q=THC", "/government-list"]


@pytest.mark.parametrize("path", PUBLIC)
def test_an_anonymous_answer_sets_no_cookie_and_may_be_kept_by_a_proxy(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert response.headers["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_varies_with_the_language_cookie(client, path: str) -> None:
    vary = {value.strip() for value in client.get(path).headers["Vary"].split(",")}
    assert "Cookie" in vary
    assert "Accept-Language" not in vary  # the language is never guessed from the browser


@pytest.mark.parametrize("path", PUBLIC)
def test_the_second_request_is_answered_from_the_cache_without_running_the_view(app, client, path: str) -> None:
    first = client.get(path)
    assert first.headers["X-Cache"] == "miss"
    endpoint = app.url_map.bind("portal.test").match(path.split("?")[0])[0]

    def must_not_run(**_kwargs):
        raise AssertionError("the view ran for a cached answer")

    app.view_functions[endpoint] = must_not_run
    second = client.get(path)
    assert second.headers["X-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


@pytest.mark.parametrize("path", PUBLIC)
def test_a_conditional_request_gets_a_304_without_a_body(client, path: str) -> None:
    etag = client.get(path).headers["ETag"]
    for _ in range(2):  # once on a miss of a fresh client, once from the cache
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response.get_data() == b""


def test_a_publication_moves_the_key_so_no_stale_page_is_served(app, client, db) -> None:
    app.config["RESPONSE_CACHE_REVISION_INTERVAL"] = 0  # read the counters on every request
    client.get("/fees?q=THC")
    assert client.get("/fees?q=THC").headers["X-Cache"] == "hit"
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    assert client.get("/fees?q=THC").headers["X-Cache"] == "miss"


def test_the_language_switch_is_a_link_that_sets_a_plain_cookie(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/lang/en?next=/"' in page
    assert "csrf_token" not in page
    response = client.get("/lang/en?next=/fees")
    assert response.status_code == 302
    assert response.location == "/fees"
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith("lang=en;")
    english = client.get("/")
    assert 'lang="en"' in english.get_data(as_text=True)
    assert "Set-Cookie" not in english.headers
    client.get("/lang/zh?next=/")
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)


def test_each_language_has_its_own_cached_page(client) -> None:
    chinese = client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    client.set_cookie("lang", "en")
    by_cookie = client.get("/").get_data(as_text=True)
    assert 'lang="zh-CN"' in chinese
    assert 'lang="en"' in english
    assert 'lang="en"' in by_cookie
    client.delete_cookie("lang")
    # Chinese by default, whatever the browser prefers, until the visitor chooses English
    assert 'lang="zh-CN"' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)


def test_a_signed_in_users_pages_are_private_and_never_kept(client, login_as, make_user) -> None:
    login_as(make_user(Role.REVIEWER))
    for _ in range(2):
        response = client.get("/fees?q=THC")
        directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
        assert "no-store" in directives
        assert "public" not in directives
        assert "X-Cache" not in response.headers


def test_a_publication_shows_on_cached_pages_once_the_revision_interval_has_passed(app, client, db) -> None:
    app.config["RESPONSE_CACHE_REVISION_INTERVAL"] = 30
    client.get("/fees?q=THC")
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    assert client.get("/fees?q=THC").headers["X-Cache"] == "hit"  # within the interval: the counters kept
    app.config["RESPONSE_CACHE_REVISION_INTERVAL"] = 0
    assert client.get("/fees?q=THC").headers["X-Cache"] == "miss"


def test_sign_in_keeps_its_csrf_token(client) -> None:
    page = client.get("/login")
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    assert "Set-Cookie" in page.headers


@pytest.mark.parametrize("path", ["/login", "/invoice", "/check/"])
def test_an_anonymous_form_page_sets_its_session_and_nothing_else(client, path: str) -> None:
    page = client.get(path)
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    cookies = [header.split("=", 1)[0] for header in page.headers.getlist("Set-Cookie")]
    assert cookies == ["session"]  # no remember_token-clearing cookie from the sign-in protection
