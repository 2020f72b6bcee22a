"""The `next` a sign-in or a language switch goes back to stays on this site, however it is disguised."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from portal.auth.models import Role
from tests.conftest import csrf_from
from tests.factories import PASSWORD

OFF_SITE = [
    "//evil.example/",
    "/\\evil.example/",  # browsers read the backslash as a slash: //evil.example
    "/\t/evil.example/",  # browsers drop tabs and line breaks: //evil.example
    "/\n/evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_leads_off_the_site(client, make_operator, make_user, target) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    token = csrf_from(client.get("/login").get_data(as_text=True))

    response = client.post(
        f"/login?next={quote(target, safe='')}", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302
    assert response.location == "/catalogue/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_leads_off_the_site(client, target) -> None:
    response = client.get(f"/lang/en?next={quote(target, safe='')}")

    assert response.status_code == 302
    assert response.location == "/"


def test_a_page_on_the_site_is_where_signing_in_leads_back_to(client, make_operator, make_user) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    token = csrf_from(client.get("/login").get_data(as_text=True))

    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}

    response = client.post("/login?next=%2Foperator%2Fprofile%3Ftab%3D1", data=data)

    assert response.location == "/operator/profile?tab=1"
