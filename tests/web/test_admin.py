"""The administrators' area: invitations by one-time link, roles, deactivation, resets, operators, identity change
requests, the audit log and its CSV export."""

from __future__ import annotations

import contextvars
import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditEntry
from portal.auth.models import Role, User
from portal.catalogue.models import Catalogue
from portal.mail import outbox
from portal.operators.models import IdentityChangeRequest, Operator, RequestStatus
from tests.conftest import csrf_from
from tests.factories import credit_code


class Fresh:
    """A test client whose every request runs in a context of its own, as a server gives it: nothing cached in `g`
    (the signed-in user) carries over between the clients of one test."""

    def __init__(self, client) -> None:
        self.client = client

    def _run(self, method: str, *args, **kwargs):
        def run():
            response = getattr(self.client, method)(*args, **kwargs)
            response.get_data()  # a streamed body is read while the request's context is there
            return response

        return contextvars.Context().run(run)

    def get(self, *args, **kwargs):
        return self._run("get", *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._run("post", *args, **kwargs)


@pytest.fixture
def client(app):
    return Fresh(Fresh(app.test_client()))


@pytest.fixture
def login_as(client):
    def login(user, password: str = "correct horse battery"):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


LINK = re.compile(r"https?://[^\s]+/account/link/([A-Za-z0-9_.\-]+)")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _token(client, path="/admin/users") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def _link_from_outbox(email: str) -> str:
    messages = outbox.messages_to(email)
    assert messages, "no message in the outbox"
    match = LINK.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_an_invited_user_sets_a_password_with_the_link_once_and_signs_in(app, client, login_as, admin, db) -> None:
    login_as(admin)
    token = _token(client)
    response = client.post(
        "/admin/users/invite",
        data={
            "email": "New.Reviewer@Example.test",
            "name": "新审核员",
            "role": "reviewer",
            "operator_id": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.reviewer@example.test"))
    assert user.role is Role.REVIEWER
    assert not user.check_password("")
    url = _link_from_outbox(user.email)
    assert url.startswith(app.config["PUBLIC_BASE_URL"].rstrip("/") + "/account/link/")  # never the Host header
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.invite")).actor_id == admin.id

    client.post("/logout", data={"csrf_token": _token(client)})
    page = client.get(_path(url))
    assert page.status_code == 200
    assert "new.reviewer@example.test" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(
        _path(url), data={"password": "a-long-password", "confirm": "a-long-password", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.location.endswith("/review/")
    client.post("/logout", data={"csrf_token": _token(client, "/")})

    again = client.get(_path(url))
    assert again.status_code == 400
    assert "已被使用" in again.get_data(as_text=True)
    login = client.post(
        "/login", data={"email": user.email, "password": "a-long-password", "csrf_token": _token(client, "/login")}
    )
    assert login.status_code == 302


def test_a_link_expires_and_a_forged_one_is_refused(app, client, login_as, admin, db) -> None:
    login_as(admin)
    client.post(
        "/admin/users/invite",
        data={
            "email": "late@example.test",
            "name": "迟到",
            "role": "reviewer",
            "operator_id": "",
            "csrf_token": _token(client),
        },
    )
    url = _path(_link_from_outbox("late@example.test"))
    assert client.get(url[:-3] + "abc").status_code == 400  # altered signature
    with time_machine.travel(clock.now() + timedelta(days=8)):
        assert client.get(url).status_code == 400


def test_staff_invitation_needs_an_operator_and_roles_change_with_an_audit(
    app, client, login_as, admin, make_operator, make_user, db
) -> None:
    operator = make_operator()
    login_as(admin)
    token = _token(client)
    refused = client.post(
        "/admin/users/invite",
        data={
            "email": "staff@example.test",
            "name": "员工",
            "role": "operator",
            "operator_id": "",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 400
    assert db.session.scalar(select(User).where(User.email == "staff@example.test")) is None
    reviewer = make_user(Role.REVIEWER)
    response = client.post(
        f"/admin/users/{reviewer.id}/role",
        data={f"u{reviewer.id}-role": "operator", f"u{reviewer.id}-operator_id": str(operator.id), "csrf_token": token},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert reviewer.role is Role.OPERATOR
    assert reviewer.operator_id == operator.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.before == {"role": "reviewer", "operator_id": None}


def test_deactivation_ends_the_session_and_reset_stops_the_old_password(
    app, client, login_as, admin, make_user, db
) -> None:
    reviewer = make_user(Role.REVIEWER)
    other = Fresh(app.test_client())
    token = csrf_from(other.get("/login").get_data(as_text=True))
    other.post("/login", data={"email": reviewer.email, "password": "correct horse battery", "csrf_token": token})
    assert other.get("/review/").status_code == 200

    login_as(admin)
    token = _token(client)
    assert client.post(f"/admin/users/{reviewer.id}/active", data={"csrf_token": token}).status_code == 302
    assert other.get("/review/").status_code == 302  # the open session is gone
    assert client.post(f"/admin/users/{reviewer.id}/active", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/admin/users/{reviewer.id}/reset", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, reviewer.id).check_password("correct horse battery")
    assert "/account/link/" in outbox.messages_to(reviewer.email)[-1].body
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == str(reviewer.id))))
    assert {"user.deactivate", "user.activate", "user.reset_password"} <= actions
    # An administrator cannot lock themselves out.
    client.post(f"/admin/users/{admin.id}/active", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_merging_moves_staff_and_complaints_and_the_catalogue(
    app, client, login_as, admin, make_operator, make_user, db, publish
) -> None:
    from portal.validation.model import FeeLine

    survivor = make_operator("广州正本码头有限公司")
    duplicate = make_operator("广州正本码头有限公司 ", port_area_names=["黄埔港区"], complaint_phones=["020-99999999"])
    staff = make_user(Role.OPERATOR, operator=duplicate)
    publish(
        duplicate,
        FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    )
    login_as(admin)
    response = client.post(
        "/admin/operators/merge",
        data={
            "duplicate": str(duplicate.id),
            "survivor": str(survivor.id),
            "csrf_token": _token(client, "/admin/operators"),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff.id).operator_id == survivor.id
    assert db.session.scalar(select(Catalogue.operator_id).where(Catalogue.operator_id == survivor.id)) == survivor.id
    merged = db.session.get(Operator, duplicate.id)
    assert merged.merged_into_id == survivor.id
    assert not merged.active
    kept = db.session.get(Operator, survivor.id)
    assert {a.name_zh for a in kept.port_areas} == {"南沙港区", "黄埔港区"}
    assert kept.complaint_phones == ["020-12345678", "020-99999999"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "operator.merge"))
    assert entry.after["users"] == 1
    assert entry.after["catalogues"] == 1


def test_merging_two_operators_that_both_have_lists_is_refused(
    app, client, login_as, admin, make_operator, db, publish
) -> None:
    from portal.validation.model import FeeLine

    line = FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价")
    a, b = make_operator(), make_operator()
    publish(a, line)
    publish(b, line)
    login_as(admin)
    client.post(
        "/admin/operators/merge",
        data={"duplicate": str(a.id), "survivor": str(b.id), "csrf_token": _token(client, "/admin/operators")},
    )
    db.session.expire_all()
    assert db.session.get(Operator, a.id).merged_into_id is None


def test_register_and_deactivate_an_operator(app, client, login_as, admin, make_operator, make_user, db) -> None:
    login_as(admin)
    token = _token(client, "/admin/operators")
    code = credit_code(987654)
    response = client.post(
        "/admin/operators",
        data={
            "credit_code": code,
            "name_zh": "广州新登记物流有限公司",
            "name_en": "",
            "kind": "forwarder",
            "address": "",
            "complaint_phones": "020-11112222\n13800138000",
            "port_areas": ["南沙港区", "黄埔港区"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    operator = db.session.scalar(select(Operator).where(Operator.credit_code == code))
    assert operator.complaint_phones == ["020-11112222", "13800138000"]
    staff = make_user(Role.OPERATOR, operator=operator)
    client.post(f"/admin/operators/{operator.id}/active", data={"csrf_token": token})
    other = Fresh(app.test_client())
    login = other.post(
        "/login",
        data={
            "email": staff.email,
            "password": "correct horse battery",
            "csrf_token": csrf_from(other.get("/login").get_data(as_text=True)),
        },
    )
    assert login.status_code == 401  # staff of a deactivated operator cannot sign in


def test_an_identity_change_is_requested_by_staff_and_approved_by_the_bureau(
    app, client, login_as, admin, make_operator, make_user, db
) -> None:
    operator = make_operator("广州旧名码头有限公司")
    old_code = operator.credit_code
    staff = make_user(Role.OPERATOR, operator=operator)
    staff_client = Fresh(app.test_client())
    token = csrf_from(staff_client.get("/login").get_data(as_text=True))
    staff_client.post("/login", data={"email": staff.email, "password": "correct horse battery", "csrf_token": token})
    token = csrf_from(staff_client.get("/operator/identity").get_data(as_text=True))
    new_code = credit_code(55501)
    no_reason = staff_client.post(
        "/operator/identity",
        data={"name_zh": "广州新名码头有限公司", "credit_code": new_code, "reason": "", "csrf_token": token},
    )
    assert no_reason.status_code == 400
    sent = staff_client.post(
        "/operator/identity",
        data={
            "name_zh": "广州新名码头有限公司",
            "credit_code": new_code,
            "reason": "营业执照变更",
            "csrf_token": token,
        },
    )
    assert sent.status_code == 302
    db.session.expire_all()
    assert db.session.get(Operator, operator.id).name_zh == "广州旧名码头有限公司"  # not before the bureau decides
    change = db.session.scalar(select(IdentityChangeRequest))
    visitor = Fresh(app.test_client())
    assert visitor.get(f"/operators/{new_code}").status_code == 404  # a pending request moves nothing

    login_as(admin)
    page = client.get("/admin/requests").get_data(as_text=True)
    assert "广州新名码头有限公司" in page
    response = client.post(f"/admin/requests/{change.id}/approve", data={"csrf_token": csrf_from(page), "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    renamed = db.session.get(Operator, operator.id)
    assert (renamed.name_zh, renamed.credit_code) == ("广州新名码头有限公司", new_code)
    assert db.session.get(IdentityChangeRequest, change.id).status is RequestStatus.APPROVED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "operator.identity_approve"))
    assert entry.before["name_zh"] == "广州旧名码头有限公司"
    assert entry.actor_id == admin.id
    # A posting sheet printed before the change carries the old code in its QR code: it still leads to the operator.
    moved = visitor.get(f"/operators/{old_code}?as_of=2026-01-05")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/operators/{new_code}?as_of=2026-01-05")
    assert visitor.get(f"/operators/{old_code[:-1]}X").status_code == 404


def test_a_rejection_needs_a_reason(app, client, login_as, admin, make_operator, make_user, db) -> None:
    from portal.operators import identity

    operator = make_operator()
    staff = make_user(Role.OPERATOR, operator=operator)
    change = identity.request_change(
        operator, staff, name_zh="广州另名有限公司", credit_code=operator.credit_code, reason="更名"
    )
    login_as(admin)
    token = _token(client, "/admin/requests")
    client.post(f"/admin/requests/{change.id}/reject", data={"csrf_token": token, "note": ""})
    db.session.expire_all()
    assert db.session.get(IdentityChangeRequest, change.id).status is RequestStatus.PENDING
    client.post(f"/admin/requests/{change.id}/reject", data={"csrf_token": token, "note": "材料不全"})
    db.session.expire_all()
    assert db.session.get(IdentityChangeRequest, change.id).status is RequestStatus.REJECTED


def test_the_audit_log_filters_and_exports_csv_with_formulas_neutralised(
    app, client, login_as, admin, make_operator, db
) -> None:
    from portal.audit.services import record

    operator = make_operator()
    record(admin, "test.formula", "user", 1, operator_id=operator.id, after={"name": '=HYPERLINK("x")'})
    record(None, "test.other", "user", 2)
    db.session.commit()
    login_as(admin)
    page = client.get("/admin/audit?action=test.formula").get_data(as_text=True)
    table = page.split('id="audit"')[1]
    assert "test.formula" in table
    assert "test.other" not in table
    assert "<svg" in page
    by_operator = client.get(f"/admin/audit?operator={operator.id}").get_data(as_text=True).split('id="audit"')[1]
    assert "test.other" not in by_operator
    assert "登记经营者" in by_operator  # operator.create, in words
    by_actor = client.get("/admin/audit?actor=system").get_data(as_text=True).split('id="audit"')[1]
    assert "test.other" in by_actor
    assert "test.formula" not in by_actor
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    assert (
        "test.formula" not in client.get(f"/admin/audit?since={tomorrow}").get_data(as_text=True).split('id="audit"')[1]
    )

    response = client.get("/admin/audit.csv?actor=" + admin.email)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "id"
    formula = next(r for r in rows if r[3] == "test.formula")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    record(admin, "=cmd|' /C calc'!A0", "user", 3)
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert any(r[3] == "'=cmd|' /C calc'!A0" for r in rows)
    assert formula[8].startswith("{")


@pytest.mark.parametrize(
    ("role", "home"), [(Role.REVIEWER, "/review/"), (Role.ADMIN, "/dashboard/"), (Role.OPERATOR, "/catalogue/")]
)
def test_each_role_lands_on_its_own_start_page(client, make_user, make_operator, role, home) -> None:
    user = make_user(role, operator=make_operator() if role is Role.OPERATOR else None)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token}
    )
    assert response.location.endswith(home)
    client.post("/logout", data={"csrf_token": _token(client, "/")})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=/complaints/outcomes",
        data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.location.endswith("/complaints/outcomes")
