"""Sign-in, CSRF, throttling and role guards, through the test client with CSRF on."""

from __future__ import annotations

from portal.auth.models import Role
from tests.conftest import csrf_from


def test_a_post_without_a_csrf_token_is_refused(client, make_operator, make_user) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/catalogue/").status_code == 302  # still anonymous


def test_a_post_with_a_forged_csrf_token_is_refused(client, make_operator, make_user) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    client.get("/login")
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert client.get("/catalogue/").status_code == 302


def test_operator_staff_sign_in_and_reach_their_dashboard(client, login_as, make_operator, make_user) -> None:
    operator = make_operator("广州示范码头有限公司")
    login_as(make_user(Role.OPERATOR, operator=operator))
    page = client.get("/catalogue/")
    assert page.status_code == 200
    assert "广州示范码头有限公司" in page.get_data(as_text=True)


def test_a_wrong_password_is_refused_with_a_message(client, make_operator, make_user) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": "nope-nope", "csrf_token": token})
    assert response.status_code == 401
    assert client.get("/catalogue/").status_code == 302


def test_sign_ins_are_throttled_after_five_failures(client, make_operator, make_user) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator())
    for _ in range(5):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": "wrong-password", "csrf_token": token})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token}
    )
    assert response.status_code == 429
    assert client.get("/catalogue/").status_code == 302


def test_bureau_staff_cannot_open_operator_pages(client, login_as, make_user) -> None:
    login_as(make_user(Role.REVIEWER))
    assert client.get("/catalogue/").status_code == 403
    assert client.get("/operator/profile").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/operator/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_staff_change_their_own_profile_and_the_change_is_audited(
    client, db, login_as, make_operator, make_user
) -> None:
    from sqlalchemy import select

    from portal.audit.models import AuditEntry

    operator = make_operator()
    login_as(make_user(Role.OPERATOR, operator=operator))
    token = csrf_from(client.get("/operator/profile").get_data(as_text=True))
    response = client.post(
        "/operator/profile",
        data={
            "csrf_token": token,
            "name_zh": operator.name_zh,
            "name_en": "Demo Terminal",
            "address": "广州市南沙区示范路1号",
            "website": "https://terminal.example.cn",
            "complaint_phones": "020-88886666\n12345",
            "port_areas": ["南沙港区", "黄埔港区"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert operator.complaint_phones == ["020-88886666", "12345"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "operator.update"))
    assert entry.before["complaint_phones"] == ["020-12345678"]
    assert entry.after["complaint_phones"] == ["020-88886666", "12345"]


def test_a_profile_post_without_csrf_changes_nothing(client, db, login_as, make_operator, make_user) -> None:
    operator = make_operator()
    login_as(make_user(Role.OPERATOR, operator=operator))
    response = client.post("/operator/profile", data={"name_zh": "改名", "complaint_phones": "1", "port_areas": []})
    assert response.status_code == 400
    db.session.expire_all()
    assert operator.name_zh != "改名"


def test_the_language_switch_turns_the_interface_english(client) -> None:
    client.get("/lang/en?next=/")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
