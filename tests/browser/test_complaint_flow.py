"""A complaint in Chromium, from the public form to a published decision: the shipper files it against the list
in force, a reviewer assigns it and asks the operator, the operator's staff answer, the reviewer decides, and the
public status page shows the decision."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal import clock
from portal.complaints.models import Complaint, ComplaintEvent
from portal.extensions import db

pytestmark = pytest.mark.browser

OPERATOR = "广州黄埔示范供应链物流有限公司"  # demo operator 8: a clean, published list
STAFF = "staff08@demo.gz.example"
REVIEWER = "reviewer@demo.gz.example"
LINE = "订舱服务费 · 外贸出口 20英尺 · 180 元/箱"
PHONE = "13912345678"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(256)


@pytest.fixture
def quick_forms(live_app, monkeypatch):
    """The three-second minimum would only slow the test down; the web tests check it."""
    monkeypatch.setitem(live_app.config, "COMPLAINT_MIN_SECONDS", 0)


@pytest.fixture
def complaint_tables(live_app) -> None:
    """The complaint tables, until a migration creates them with the rest of the schema (a no-op once it does)."""
    with live_app.app_context():
        tables = [Complaint.__table__, ComplaintEvent.__table__]
        db.metadata.create_all(db.engine, tables=tables)


def sign_out(page: Page) -> None:
    page.locator(".site-nav__signout button").click()
    page.wait_for_load_state()


def file_complaint(page: Page, live_server: str) -> str:
    page.goto(f"{live_server}/complaints/new")
    page.locator("select[name=operator_id]").select_option(label=OPERATOR)
    page.locator("input[name=charged_on]").fill((clock.today() - timedelta(days=5)).isoformat())
    page.locator("main form [type=submit]").click()
    page.locator("select[name=fee_line]").select_option(label=LINE)
    page.locator("input[name=amount]").fill("230")
    page.locator("textarea[name=description]").fill("订舱服务费按230元收取，清单公示为180元。")
    page.locator("input[name=contact_name]").fill("广州某外贸有限公司")
    page.locator("input[name=contact_phone]").fill(PHONE)
    page.locator("input[name=invoice]").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": PNG}]
    )
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", page.locator("#answer-help").inner_text()).groups())
    page.locator("input[name=answer]").fill(str(a + b))
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/complaints/filed$"))
    expect(page.locator("main")).to_contain_text("50.00")  # 230 charged - 180 posted
    return page.locator("#reference").inner_text().strip()


def test_a_complaint_is_filed_handled_and_its_decision_shown_to_the_public(
    page: Page, live_server: str, sign_in, quick_forms, complaint_tables
) -> None:
    reference = file_complaint(page, live_server)
    assert re.fullmatch(r"TS-\d{4}-\d{6}", reference)

    sign_in(REVIEWER)
    page.goto(f"{live_server}/complaints/")
    page.get_by_role("link", name=reference).click()
    page.locator("#assign").click()
    expect(page.locator("#complaint-status")).to_contain_text(re.compile("Assigned|已分派|已分配"))
    page.locator("textarea[name=message]").fill("请说明订舱服务费按230元收取的依据。")
    page.locator("#ask").click()
    sign_out(page)

    sign_in(STAFF)
    page.goto(f"{live_server}/complaints/operator")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("main")).to_contain_text("请说明订舱服务费按230元收取的依据。")
    expect(page.locator("main")).not_to_contain_text(PHONE)
    page.locator("textarea[name=message]").fill("系统误用旧价格，已退还差额50元。")
    page.locator("main form [type=submit]").click()
    expect(page.locator("main")).to_contain_text("系统误用旧价格，已退还差额50元。")
    sign_out(page)

    sign_in(REVIEWER)
    page.goto(f"{live_server}/complaints/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("main")).to_contain_text("系统误用旧价格，已退还差额50元。")
    page.locator("select[name=decision]").select_option("substantiated")
    page.locator("textarea[name=decision_text]").fill("投诉成立：经营者超出公示价格收费，已责令退还差额。")
    page.locator("textarea[name=outcome_summary]").fill("经营者按高于公示价格收取订舱服务费，已退还差额。")
    page.once("dialog", lambda dialog: dialog.accept())  # "cannot be changed afterwards": yes
    page.locator("#decide").click()
    expect(page.locator("#complaint-status")).to_contain_text(re.compile("Decided|已决定|已办结"))
    sign_out(page)

    page.goto(f"{live_server}/complaints/status")
    page.locator("input[name=reference]").fill(reference)
    page.locator("input[name=contact]").fill(PHONE)
    page.locator("main form [type=submit]").click()
    expect(page.locator("#decision")).to_contain_text("投诉成立：经营者超出公示价格收费，已责令退还差额。")

    page.goto(f"{live_server}/complaints/outcomes")
    expect(page.locator("main")).to_contain_text("经营者按高于公示价格收取订舱服务费，已退还差额。")
    expect(page.locator("main")).not_to_contain_text(PHONE)
