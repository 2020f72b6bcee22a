"""Complaint pages through the test client with CSRF on: filing in two steps, anti-bot checks, limits, following,
the bureau's handling and the operator's answer, and what the public sees."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal import clock
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.complaints import services
from portal.complaints.models import Complaint, ComplaintStatus, Decision
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from tests.conftest import csrf_from

CHARGED = clock.today() - timedelta(days=10)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
SUM = re.compile(r"(\d+) \+ (\d+)")


@pytest.fixture
def app(app):
    """Forms may be sent at once: the three-second minimum is tested on its own, with the default restored."""
    app.config["COMPLAINT_MIN_SECONDS"] = 0
    return app


@pytest.fixture
def operator(db, make_operator, app):
    load_feelists(app.config["FEELISTS_DIR"])
    operator = make_operator("广州示范船务有限公司")
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=(CHARGED - timedelta(days=30)).isoformat(),
    )
    lines = [
        FeeLine(name="文件费", service_content="制作单证", standard="450", unit="元/票", pricing_class="市场调节价"),
        FeeLine(
            name="码头操作费",
            conditions="外贸 20英尺",
            service_content="码头操作",
            standard="850",
            unit="元/箱",
            pricing_class="市场调节价",
        ),
    ]
    version = catalogue.replace_contents(operator, header, lines, None)
    editions.publish(version, None)
    return operator


def line_id(operator, name: str) -> int:
    version = catalogue.in_force(operator, CHARGED)
    return next(line.id for line in version.lines if line.name == name)


def step_two(client, operator) -> str:
    response = client.get(f"/complaints/new?operator_id={operator.id}&charged_on={CHARGED.isoformat()}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def form_data(page: str, operator, **changes) -> dict:
    a, b = map(int, SUM.search(page).groups())
    data = {
        "csrf_token": csrf_from(page),
        "operator_id": str(operator.id),
        "charged_on": CHARGED.isoformat(),
        "token": re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1),
        "answer": str(a + b),
        "website": "",
        "fee_line": str(line_id(operator, "文件费")),
        "other_name": "",
        "amount": "500",
        "currency": "CNY",
        "quantity": "",
        "unit": "",
        "description": "发票金额高于公示价格",
        "contact_name": "广州某货代有限公司",
        "contact_phone": "13800138000",
        "contact_email": "",
        "invoice": (io.BytesIO(PNG), "invoice.png"),
    }
    return {**data, **changes}


def post(client, data: dict, remote_addr: str = "127.0.0.1"):
    """Send the form as multipart, encoded in memory (the test client spools big bodies to a file it never closes)."""
    fields = {
        name: FileStorage(value[0], filename=value[1], content_type=value[2] if len(value) > 2 else None)
        if isinstance(value, tuple)
        else value
        for name, value in data.items()
    }
    boundary, body = encode_multipart(fields)
    return client.post(
        "/complaints/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_base={"REMOTE_ADDR": remote_addr},
    )


def stored() -> int:
    return _db.session.scalar(select(func.count(Complaint.id)))


def file_directly(operator, **changes) -> Complaint:
    values = {
        "operator_id": operator.id,
        "charged_on": CHARGED,
        "fee_line_id": None,
        "fee_name": "文件费",
        "amount": Decimal("500"),
        "currency": "CNY",
        "quantity": None,
        "unit": "",
        "description": "高于公示价格",
        "contact_name": "广州某货代有限公司",
        "contact_phone": "13800138000",
        "contact_email": "ops@shipper.example",
        "invoice": PNG,
        "remote_addr": "192.0.2.1",
    }
    return services.file_complaint(services.Filing(**{**values, **changes}))


def test_step_one_lists_the_operators_and_step_two_the_lines_in_force_that_day(client, operator) -> None:
    first = client.get("/complaints/new").get_data(as_text=True)
    assert "广州示范船务有限公司" in first
    assert 'name="charged_on"' in first
    second = step_two(client, operator)
    assert "文件费 · 450 元/票" in second
    assert "码头操作费 · 外贸 20英尺 · 850 元/箱" in second
    assert 'value="other"' in second


def test_a_date_in_the_future_stays_on_step_one(client, operator) -> None:
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = client.get(f"/complaints/new?operator_id={operator.id}&charged_on={tomorrow}")
    assert response.status_code == 400
    assert 'name="fee_line"' not in response.get_data(as_text=True)


def test_a_complaint_is_filed_and_the_confirmation_shows_the_reference_and_excess(client, operator) -> None:
    response = post(client, form_data(step_two(client, operator), operator))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    complaint = _db.session.scalar(select(Complaint))
    assert complaint.reference in page
    assert re.fullmatch(r"TS-\d{4}-\d{6}", complaint.reference)
    assert "50.00" in page
    assert complaint.excess == Decimal("50")


def test_the_quantity_charged_counts_in_the_excess(client, operator) -> None:
    data = form_data(
        step_two(client, operator),
        operator,
        fee_line=str(line_id(operator, "码头操作费")),
        amount="1,800",
        quantity="2",
        unit="箱",
    )
    response = post(client, data)
    assert _db.session.scalar(select(Complaint.excess)) == Decimal("100")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "100.00" in page
    assert "(1,800.00 − 850.00 × 2)" in page


def test_a_fee_not_on_the_list_is_flagged_on_the_confirmation(client, operator) -> None:
    data = form_data(step_two(client, operator), operator, fee_line="other", other_name="压港费")
    response = post(client, data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "清单外收费" in page
    assert _db.session.scalar(select(Complaint.unlisted)) is True


def test_an_alias_typed_as_not_on_the_list_is_matched_to_the_listed_fee(client, operator) -> None:
    data = form_data(step_two(client, operator), operator, fee_line="other", other_name="单证费")
    assert post(client, data).status_code == 302
    complaint = _db.session.scalar(select(Complaint))
    assert (complaint.unlisted, complaint.fee_name, complaint.excess) == (False, "文件费", Decimal("50"))


def test_a_png_named_pdf_is_accepted_and_stored_as_png(client, operator) -> None:
    data = form_data(step_two(client, operator), operator, invoice=(io.BytesIO(PNG), "invoice.pdf", "application/pdf"))
    assert post(client, data).status_code == 302
    assert _db.session.scalar(select(Complaint.invoice_type)) == "image/png"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), b"<html><body onload=alert(1)></body></html>"],
    ids=["exe", "html"],
)
def test_an_executable_or_html_named_pdf_is_refused(client, operator, content: bytes) -> None:
    data = form_data(
        step_two(client, operator), operator, invoice=(io.BytesIO(content), "invoice.pdf", "application/pdf")
    )
    response = post(client, data)
    assert response.status_code == 400
    assert "发票须为 PDF、JPEG 或 PNG 文件" in response.get_data(as_text=True)
    assert stored() == 0


def test_an_invoice_above_five_megabytes_is_refused(client, operator) -> None:
    big = PNG + bytes(5 * 1024 * 1024)
    data = form_data(step_two(client, operator), operator, invoice=(io.BytesIO(big), "invoice.png"))
    response = post(client, data)
    assert response.status_code == 400
    assert "5 MB" in response.get_data(as_text=True)
    assert stored() == 0


def test_a_filled_honeypot_is_refused(client, operator) -> None:
    data = form_data(step_two(client, operator), operator, website="http://spam.example")
    assert post(client, data).status_code == 400
    assert stored() == 0


def test_the_honeypot_is_hidden_by_a_css_class_not_an_inline_style(client, operator) -> None:
    page = step_two(client, operator)
    honeypot = re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website">', page)
    assert honeypot is not None
    assert "style=" not in page


# When the frozen clock serves the form: ten days after the charge, 10:00 in China.
SERVED = datetime(CHARGED.year, CHARGED.month, CHARGED.day, 2, 0, tzinfo=UTC) + timedelta(days=10)


@pytest.mark.parametrize(
    ("seconds", "reason"),
    [
        (2, "表单提交过快，请核对后重新提交。"),
        (3, None),  # three seconds is enough
        (2 * 60 * 60, None),  # two hours is not too late
        (2 * 60 * 60 + 1, "表单已过期，请核对后重新提交。"),
    ],
)
def test_a_form_sent_back_within_three_seconds_or_after_two_hours_is_refused_and_says_why(
    app, client, operator, seconds: int, reason: str | None
) -> None:
    app.config["COMPLAINT_MIN_SECONDS"] = 3
    with time_machine.travel(SERVED, tick=False) as traveller:
        page = step_two(client, operator)
        traveller.shift(seconds)
        response = post(client, form_data(page, operator))
    body = response.get_data(as_text=True)
    if reason is None:
        assert response.status_code == 302
        assert stored() == 1
    else:
        assert response.status_code == 400
        assert reason in body
        assert stored() == 0


def test_a_too_fast_form_keeps_what_was_typed_and_the_invoice_and_is_sent_again_without_choosing_it(
    app, client, operator
) -> None:
    app.config["COMPLAINT_MIN_SECONDS"] = 3
    first = post(client, form_data(step_two(client, operator), operator, description="发票金额比公示价格高出100元"))
    assert first.status_code == 400
    page = first.get_data(as_text=True)
    assert "发票金额比公示价格高出100元" in page  # what was typed is kept
    assert 'id="held-invoice"' in page
    assert "invoice.png" in page
    held = re.search(r'name="held_invoice" type="hidden" value="([^"]+)"', page).group(1)
    assert stored() == 0
    app.config["COMPLAINT_MIN_SECONDS"] = 0
    again = form_data(page, operator, description="发票金额比公示价格高出100元", held_invoice=held)
    del again["invoice"]  # the browser sends no file the second time
    response = post(client, again)
    assert response.status_code == 302
    complaint = _db.session.scalar(select(Complaint))
    assert complaint.description == "发票金额比公示价格高出100元"
    assert complaint.invoice == PNG


def test_a_held_invoice_key_that_is_unknown_does_not_count_as_an_invoice(app, client, operator) -> None:
    app.config["COMPLAINT_MIN_SECONDS"] = 0
    data = form_data(step_two(client, operator), operator, held_invoice="forged-key")
    del data["invoice"]
    assert post(client, data).status_code == 400
    assert stored() == 0


@pytest.mark.parametrize("token", ["", "forged.token", "eyJ0IjoxfQ.bad"])
def test_a_missing_or_forged_token_is_refused(client, operator, token: str) -> None:
    assert post(client, form_data(step_two(client, operator), operator, token=token)).status_code == 400
    assert stored() == 0


def test_a_wrong_answer_to_the_sum_is_refused(client, operator) -> None:
    page = step_two(client, operator)
    a, b = map(int, SUM.search(page).groups())
    response = post(client, form_data(page, operator, answer=str(a + b + 1)))
    assert response.status_code == 400
    assert stored() == 0


def test_a_post_without_csrf_files_nothing(client, operator) -> None:
    data = form_data(step_two(client, operator), operator)
    del data["csrf_token"]
    assert post(client, data).status_code == 400
    assert stored() == 0


def test_the_sixth_filing_in_an_hour_from_one_address_gets_429(client, operator) -> None:
    for n in range(services.RATE_LIMIT):
        data = form_data(step_two(client, operator), operator, contact_phone=f"1390000000{n}")
        assert post(client, data, remote_addr="203.0.113.50").status_code == 302
    data = form_data(step_two(client, operator), operator, contact_phone="13900000009")
    response = post(client, data, remote_addr="203.0.113.50")
    assert response.status_code == 429
    assert "Too many complaints" in response.get_data(as_text=True) or "投诉过多" in response.get_data(as_text=True)
    assert stored() == services.RATE_LIMIT


def test_the_status_page_needs_both_the_reference_and_the_contact(client, operator) -> None:
    complaint = file_directly(operator)
    token = csrf_from(client.get("/complaints/status").get_data(as_text=True))
    wrong = client.post(
        "/complaints/status", data={"csrf_token": token, "reference": complaint.reference, "contact": "13900000000"}
    )
    assert wrong.status_code == 404
    assert 'id="complaint-status"' not in wrong.get_data(as_text=True)
    right = client.post(
        "/complaints/status", data={"csrf_token": token, "reference": complaint.reference, "contact": "138 0013 8000"}
    )
    assert right.status_code == 200
    assert 'id="complaint-status"' in right.get_data(as_text=True)


def test_failed_status_look_ups_are_limited(app, client, operator) -> None:
    app.config["COMPLAINT_LOOKUP_LIMIT"] = 2
    complaint = file_directly(operator)
    token = csrf_from(client.get("/complaints/status").get_data(as_text=True))
    guesses = [
        client.post(
            "/complaints/status",
            data={"csrf_token": token, "reference": complaint.reference, "contact": f"1390000000{n}"},
        )
        for n in range(3)
    ]
    assert [r.status_code for r in guesses] == [404, 404, 429]


def test_bureau_pages_are_refused_to_the_public_and_to_operator_staff(client, login_as, make_user, operator) -> None:
    complaint = file_directly(operator)
    for url in ("/complaints/", f"/complaints/{complaint.id}", f"/complaints/{complaint.id}/invoice"):
        assert client.get(url).status_code == 302  # to sign-in
    login_as(make_user(Role.OPERATOR, operator=operator))
    for url in ("/complaints/", f"/complaints/{complaint.id}", f"/complaints/{complaint.id}/invoice"):
        assert client.get(url).status_code == 403


def test_the_queue_shows_due_dates_and_highlights_overdue_complaints(client, login_as, make_user, operator) -> None:
    late = file_directly(operator)
    fresh = file_directly(operator, contact_phone="13900000001")
    late.due_on = clock.today() - timedelta(days=1)
    _db.session.commit()
    login_as(make_user(Role.REVIEWER))
    page = client.get("/complaints/").get_data(as_text=True)
    late_row = page[page.index(late.reference) :].split("</tr>")[0]
    fresh_row = page[page.index(fresh.reference) :].split("</tr>")[0]
    assert "badge--error" in late_row
    assert "badge--error" not in fresh_row
    assert "15" in fresh_row  # working days left
    assert page.index(late.reference) < page.index(fresh.reference)  # the most urgent first


def test_the_queue_filters_by_status(client, login_as, make_user, operator) -> None:
    reviewer = make_user(Role.REVIEWER)
    new = file_directly(operator)
    assigned = file_directly(operator, contact_phone="13900000002")
    services.assign(assigned, reviewer.id, reviewer)
    login_as(reviewer)
    page = client.get("/complaints/?status=assigned").get_data(as_text=True)
    assert assigned.reference in page
    assert new.reference not in page


def test_the_invoice_downloads_as_an_attachment_of_its_detected_type(client, login_as, make_user, operator) -> None:
    complaint = file_directly(operator)
    login_as(make_user(Role.REVIEWER))
    response = client.get(f"/complaints/{complaint.id}/invoice")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data == PNG


def test_a_reviewer_assigns_asks_the_operator_who_answers_and_the_reviewer_decides(
    client, login_as, make_user, operator
) -> None:
    complaint = file_directly(operator)
    reviewer = make_user(Role.REVIEWER)
    staff = make_user(Role.OPERATOR, operator=operator)
    login_as(reviewer)
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "13800138000" in page  # the bureau sees the contact
    token = csrf_from(page)
    url = f"/complaints/{complaint.id}"
    assert client.post(f"{url}/assign", data={"csrf_token": token, "assignee_id": reviewer.id}).status_code == 302
    assert client.post(f"{url}/ask", data={"csrf_token": token, "message": "请说明收费依据"}).status_code == 302
    client.post("/logout", data={"csrf_token": token})

    login_as(staff)
    mine = client.get("/complaints/operator").get_data(as_text=True)
    assert complaint.reference in mine
    page = client.get(f"/complaints/operator/{complaint.id}").get_data(as_text=True)
    assert "请说明收费依据" in page
    assert "13800138000" not in page  # never the complainant's contact
    assert "ops@shipper.example" not in page
    answer = client.post(
        f"/complaints/operator/{complaint.id}", data={"csrf_token": csrf_from(page), "message": "已按清单退还差额"}
    )
    assert answer.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_from(page)})

    login_as(reviewer)
    token = csrf_from(client.get(url).get_data(as_text=True))
    decided = client.post(
        f"{url}/decide",
        data={
            "csrf_token": token,
            "decision": "substantiated",
            "decision_text": "投诉成立，经营者已退还差额。",
            "outcome_summary": "经营者按高于公示价格收取文件费，已退还差额。",
        },
    )
    assert decided.status_code == 302
    _db.session.expire_all()
    assert complaint.status is ComplaintStatus.DECIDED
    assert complaint.decision is Decision.SUBSTANTIATED
    status = client.post(
        "/complaints/status", data={"csrf_token": token, "reference": complaint.reference, "contact": "13800138000"}
    )
    assert "投诉成立，经营者已退还差额。" in status.get_data(as_text=True)


def test_a_decision_without_its_texts_is_refused(client, login_as, make_user, operator) -> None:
    complaint = file_directly(operator)
    login_as(make_user(Role.REVIEWER))
    token = csrf_from(client.get(f"/complaints/{complaint.id}").get_data(as_text=True))
    response = client.post(f"/complaints/{complaint.id}/decide", data={"csrf_token": token, "decision": "referred"})
    assert response.status_code == 400
    _db.session.expire_all()
    assert complaint.status is ComplaintStatus.NEW


def test_operator_staff_of_another_operator_cannot_see_the_complaint(
    client, login_as, make_user, make_operator, operator
) -> None:
    complaint = file_directly(operator)
    login_as(make_user(Role.OPERATOR, operator=make_operator("广州乙码头有限公司")))
    assert complaint.reference not in client.get("/complaints/operator").get_data(as_text=True)
    assert client.get(f"/complaints/operator/{complaint.id}").status_code == 404
    token = csrf_from(client.get("/complaints/operator").get_data(as_text=True))
    response = client.post(f"/complaints/operator/{complaint.id}", data={"csrf_token": token, "message": "x"})
    assert response.status_code == 404


def test_the_outcomes_page_shows_decisions_without_contact_data(client, make_user, operator) -> None:
    complaint = file_directly(operator, contact_email="ops@shipper.example")
    services.decide(
        complaint, Decision.SUBSTANTIATED, "对投诉人的答复", "按高于公示价格收费，已退还。", make_user(Role.REVIEWER)
    )
    page = client.get("/complaints/outcomes").get_data(as_text=True)
    assert "按高于公示价格收费，已退还。" in page
    assert "广州示范船务有限公司" in page
    for private in ("13800138000", "ops@shipper.example", "广州某货代有限公司", complaint.reference, "对投诉人的答复"):
        assert private not in page
