"""Small holes an attacker tries first: a forged Host in cached links, numbers too long to convert, a short secret key
in production, and a reverse proxy's address standing in for every client."""

from __future__ import annotations

import secrets

import pytest
from flask import Flask, request

from portal import create_app
from portal.auth.models import Role
from portal.validation.model import FeeLine
from portal.web.security import MIN_SECRET_KEY_BYTES

HUGE = "9" * 309
BASE = "https://fees.example.cn"


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["PUBLIC_BASE_URL"] = BASE
    return app


def test_feed_links_come_from_the_configured_base_not_the_host_header(client, make_operator, publish) -> None:
    operator = make_operator()
    publish(operator, FeeLine(name="港建费", standard="100", unit="元/箱"))
    body = client.get("/feed.atom", base_url="http://evil.example").get_data(as_text=True)
    assert "evil.example" not in body
    assert f'href="{BASE}/feed.atom"' in body
    assert f"{BASE}/operators/{operator.credit_code}" in body or f"{BASE}/" in body


def test_a_host_outside_trusted_hosts_is_refused(app, client) -> None:
    app.config["TRUSTED_HOSTS"] = ["fees.example.cn", "portal.test"]
    assert client.get("/feed.atom", base_url="http://evil.example").status_code == 400
    assert client.get("/feed.atom", base_url="http://fees.example.cn").status_code == 200


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (f"/estimate?port=南沙港区&count={HUGE}", "count"),
        (f"/estimate?port=南沙港区&count=1&days={HUGE}", "days"),
        ("/estimate?port=南沙港区&count=-3", "count"),
        (f"/fees?q=港&page={HUGE}", "page"),
        ("/fees?q=港&page=0", "page"),
        (f"/api/v1/fees?page={HUGE}", "page"),
        (f"/api/v1/fees?per_page={HUGE}", "per_page"),
    ],
)
def test_a_number_out_of_range_is_a_400_that_says_so_in_chinese(client, url, named) -> None:
    response = client.get(url)
    assert response.status_code == 400
    text = response.get_json()["error"] if url.startswith("/api/") else response.get_data(as_text=True)
    assert "整数" in text  # "a whole number from ... to ..." in Chinese, the default language
    if url.startswith("/api/"):
        assert named in text


@pytest.mark.parametrize(("url", "role"), [(f"/govlist/revalidation?run={HUGE}", Role.REVIEWER)])
def test_staff_pages_bound_their_numbers_too(client, make_user, login_as, url, role) -> None:
    login_as(make_user(role))
    response = client.get(url)
    assert response.status_code == 400
    assert "整数" in response.get_data(as_text=True)


def test_the_new_row_form_bounds_the_row_it_follows(client, make_user, login_as) -> None:
    login_as(make_user(Role.ADMIN))
    assert client.get(f"/govlist/items/new?from={HUGE}").status_code == 400


@pytest.mark.parametrize("key", ["x", "a" * (MIN_SECRET_KEY_BYTES - 1)])
def test_production_refuses_a_short_secret_key_and_says_how_to_make_one(monkeypatch, key) -> None:
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    monkeypatch.setenv("PORTAL_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match=r"secrets\.token_hex\(32\)"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_key_of_32_bytes(monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    monkeypatch.setenv("PORTAL_SECRET_KEY", secrets.token_hex(16))  # 32 characters
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["PRODUCTION"] is True


@pytest.mark.parametrize(("hops", "seen"), [(0, "10.0.0.1"), (1, "203.0.113.7"), (2, "198.51.100.2")])
def test_trusted_proxies_decide_whose_address_the_client_is(hops, seen) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "TRUSTED_PROXIES": hops})
    app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr or "")
    forwarded = {"X-Forwarded-For": "198.51.100.2, 203.0.113.7"}  # client, then the first proxy
    response = app.test_client().get("/whoami", headers=forwarded, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.get_data(as_text=True) == seen
