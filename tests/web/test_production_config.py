"""The production configuration (PORTAL_PRODUCTION=true): it refuses the development key, its session cookie is
Secure, HttpOnly and SameSite, sign-ins are throttled in the database, and every page carries the security headers."""

from __future__ import annotations

import contextvars
import secrets

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext

from portal import clock, create_app
from portal.auth.models import Role
from portal.auth.throttle import GATES, delay
from portal.config import Config
from tests.conftest import csrf_from
from tests.factories import PASSWORD

ORIGIN = "https://portal.test"
PAIR = GATES[0]  # this address trying this account


@pytest.fixture(autouse=True)
def production(monkeypatch) -> None:
    """Every app of this module is created as a deployment creates it: PORTAL_PRODUCTION=true, a random key."""
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    monkeypatch.setenv("PORTAL_SECRET_KEY", secrets.token_hex(32))


@pytest.fixture
def app(app: Flask) -> Flask:
    """The suite's app, on each backend, in production (the test mapping sets no cookie or key setting of its own)."""
    assert app.config["PRODUCTION"] is True
    return app


@pytest.fixture
def staff(make_operator, make_user):
    return make_user(Role.OPERATOR, operator=make_operator())


def sign_in(client: FlaskClient, email: str, password: str):
    """Post the sign-in form as a browser on the site does: over HTTPS, with the token and a same-site Referer
    (CSRF protection checks the Referer on HTTPS). In an application context of its own, as on a server, so that
    nothing one client's requests cache in `g` (the CSRF token) serves another's."""

    def run():
        token = csrf_from(client.get("/login").get_data(as_text=True))
        return client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token},
            headers={"Referer": f"{ORIGIN}/login"},
        )

    return contextvars.Context().run(run)


def cookie_attributes(response, name: str) -> dict[str, str]:
    """The attributes of the cookie `name` as the response sets it, names lower-cased ("secure": "" when present)."""
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    parts = [part.strip() for part in header.split(";")[1:]]
    return {key.lower(): value for key, _sep, value in (part.partition("=") for part in parts)}


def test_production_refuses_to_start_with_the_development_key(monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": Config.SECRET_KEY})


def test_without_production_the_development_key_only_warns(monkeypatch, caplog) -> None:
    monkeypatch.delenv("PORTAL_PRODUCTION", raising=False)
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == Config.SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert "PORTAL_SECRET_KEY is not set" in caplog.text


def test_production_enforces_secure_cookies_over_an_explicit_setting(monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    monkeypatch.setenv("PORTAL_SESSION_COOKIE_SECURE", "false")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": secrets.token_hex(32)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_the_session_cookie_set_at_sign_in_is_secure_httponly_and_same_site(app, client, staff) -> None:
    response = sign_in(client, staff.email, PASSWORD)

    assert response.status_code == 302
    attributes = cookie_attributes(response, app.config["SESSION_COOKIE_NAME"])
    assert "secure" in attributes
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"
    assert client.get("/catalogue/").status_code == 200  # the cookie is sent back over HTTPS: signed in


def test_a_sign_in_post_from_another_site_is_refused(app, client, staff) -> None:
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"email": staff.email, "password": PASSWORD, "csrf_token": token}

    response = client.post("/login", data=data, headers={"Referer": "https://evil.example/login"})

    assert response.status_code == 400
    assert client.get("/catalogue/").status_code == 302


def test_after_repeated_failures_even_the_right_password_waits_with_a_message(app, client, staff) -> None:
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(PAIR.free):
            assert sign_in(client, staff.email, "wrong password").status_code == 401

        refused = sign_in(client, staff.email, PASSWORD)

        assert refused.status_code == 429
        wait = delay(PAIR, PAIR.free)
        assert refused.headers["Retry-After"] == str(wait)
        with app.test_request_context():
            message = gettext("Too many failed sign-ins. Please wait {seconds} seconds and try again.")
        assert message.format(seconds=wait) in refused.get_data(as_text=True)
        assert client.get("/catalogue/").status_code == 302  # not signed in
        traveller.shift(wait + 1)
        assert sign_in(client, staff.email, PASSWORD).status_code == 302


def test_the_delay_holds_for_this_address_and_account_never_locks_the_account_for_others(
    app, client, staff, make_operator, make_user
) -> None:
    """The failures are counted in the shared store per address and account: the guesser waits, the owner signing
    in from elsewhere does not."""
    for _ in range(PAIR.free):
        sign_in(client, staff.email, "wrong password")
    assert sign_in(app.test_client(), staff.email, PASSWORD).status_code == 429  # a new browser, same address
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert sign_in(elsewhere, staff.email, PASSWORD).status_code == 302

    other = make_user(Role.OPERATOR, operator=make_operator())
    assert sign_in(app.test_client(), other.email, PASSWORD).status_code == 302


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/fees", "/api/v1/fees", "/catalogue/template.xlsx", "/no-such-page", "/catalogue/"]
)
def test_every_kind_of_response_carries_the_security_headers(client, path) -> None:
    response = client.get(path)
    response.get_data()
    response.close()

    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
