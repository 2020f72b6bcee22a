"""Sign-in as an attacker tries it: who has an account, a copied cookie after sign-out, a CSRF token seen before
sign-in, signed-in pages in a shared cache, and a throttle that slows guessers without locking anyone out."""

from __future__ import annotations

import pytest
import time_machine
import werkzeug.security

from portal import clock
from portal.auth import services as auth
from portal.auth.models import Role
from portal.auth.throttle import GATES, delay
from tests.conftest import csrf_from
from tests.factories import PASSWORD

PAIR, ADDRESS, ACCOUNT = GATES


@pytest.fixture
def staff(make_operator, make_user):
    return make_user(Role.OPERATOR, operator=make_operator())


def post_login(client, email: str, password: str, remote_addr: str = "127.0.0.1"):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": remote_addr},
    )


@pytest.mark.production_password_hash
def test_an_unknown_account_costs_the_same_password_hash_work_as_a_known_one(app, staff, monkeypatch) -> None:
    hashed = []
    real = werkzeug.security._hash_internal
    monkeypatch.setattr(werkzeug.security, "_hash_internal", lambda *a: hashed.append(a[0]) or real(*a))

    with app.test_request_context():
        assert auth.sign_in(staff.email, "wrong password", "192.0.2.1") is None
        known = list(hashed)
        hashed.clear()
        assert auth.sign_in("nobody@example.test", "wrong password", "192.0.2.2") is None
        unknown = list(hashed)
    assert known == unknown  # one hash, same method and cost (e.g. scrypt:32768:8:1)
    assert len(known) == 1


def test_sign_out_ends_the_session_on_the_server(app, client, staff, login_as) -> None:
    login_as(staff)
    assert client.get("/catalogue/").status_code == 200
    cookie = client.get_cookie("session", domain="portal.test")
    copy = app.test_client()  # someone who copied the cookie before sign-out
    copy.set_cookie("session", cookie.value, domain="portal.test")
    assert copy.get("/catalogue/").status_code == 200

    token = csrf_from(client.get("/catalogue/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

    assert copy.get("/catalogue/").status_code == 302  # the copy now goes to the sign-in page
    assert client.get("/catalogue/").status_code == 302


def test_signing_in_again_after_sign_out_works(client, staff, login_as) -> None:
    login_as(staff)
    token = csrf_from(client.get("/catalogue/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    login_as(staff)
    assert client.get("/catalogue/").status_code == 200


def test_the_csrf_token_is_rotated_at_sign_in(client, staff) -> None:
    before = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": staff.email, "password": PASSWORD, "csrf_token": before})
    assert response.status_code == 302
    after = csrf_from(client.get("/catalogue/").get_data(as_text=True))
    assert after != before
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400  # the old token is dead
    assert client.get("/catalogue/").status_code == 200
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_signed_in_pages_are_no_store_and_anonymous_pages_stay_cacheable(client, staff, login_as) -> None:
    anonymous = client.get("/feed.atom")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "public" in anonymous.headers.get("Cache-Control", "")
    login_as(staff)
    for url in ("/catalogue/", "/operator/profile", "/"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def test_failures_grow_the_delay_for_this_address_and_account(app, client, staff) -> None:
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(PAIR.free):
            assert post_login(client, staff.email, "wrong").status_code == 401
        waits = []
        for _ in range(3):
            refused = post_login(client, staff.email, "wrong")
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            traveller.shift(waits[-1])
            assert post_login(client, staff.email, "wrong").status_code == 401
        assert waits == [delay(PAIR, PAIR.free + n) for n in range(3)] == [2, 4, 8]
        assert post_login(client, staff.email, PASSWORD, remote_addr="198.51.100.9").status_code == 302


def test_a_distributed_guesser_slows_the_account_down_but_never_locks_it(app, staff) -> None:
    waits = []
    with time_machine.travel(clock.now(), tick=False) as traveller, app.test_request_context():
        for n in range(30):  # wrong guesses from many addresses, each waiting out its delay
            try:
                auth.sign_in(staff.email, "wrong", f"10.0.{n // 250}.{n % 250}")
            except auth.TooManyAttempts as error:
                waits.append(error.params["seconds"])
                traveller.shift(waits[-1])
        assert waits
        assert max(waits) == ACCOUNT.cap  # the owner waits at most half a minute, whatever the guessers do
        traveller.shift(ACCOUNT.cap)
        assert auth.sign_in(staff.email, PASSWORD, "192.0.2.200") is not None


def test_one_address_spraying_many_accounts_is_slowed_down(app, make_operator, make_user) -> None:
    operator = make_operator()
    users = [make_user(Role.OPERATOR, operator=operator) for _ in range(ADDRESS.free + 1)]
    with time_machine.travel(clock.now(), tick=False), app.test_request_context():
        for user in users[: ADDRESS.free]:
            assert auth.sign_in(user.email, "wrong", "203.0.113.66") is None
        with pytest.raises(auth.TooManyAttempts):
            auth.sign_in(users[-1].email, PASSWORD, "203.0.113.66")
        assert auth.sign_in(users[-1].email, PASSWORD, "203.0.113.67") is not None
