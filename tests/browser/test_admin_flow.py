"""An administrator invites a user in Chromium; the user opens the link from the outbox, sets a password, and lands
on their own start page; the link then no longer works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.mail import outbox

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.gz.example"
LINK = re.compile(r"https?://\S+?(/account/link/\S+)")


def test_an_administrator_invites_a_reviewer_who_signs_in_with_the_link(
    page: Page, sign_in, live_server: str, live_app
) -> None:
    sign_in(ADMIN)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # administrators land on the dashboard
    page.goto(f"{live_server}/admin/users")
    page.get_by_label("电子邮箱").first.fill("invited.reviewer@demo.gz.example")
    page.get_by_label("姓名").first.fill("新来的审核员")
    page.locator("#role").select_option("reviewer")
    page.get_by_role("button", name="发送邀请").click()
    expect(page.locator(".flash--success")).to_contain_text("invited.reviewer@demo.gz.example")
    expect(page.locator("#users")).to_contain_text("等待通过链接设置密码")
    page.locator("form[action='/logout'] [type=submit]").first.click()

    with live_app.app_context():
        body = outbox.messages_to("invited.reviewer@demo.gz.example")[-1].body
        db.session.remove()
    path = LINK.search(body).group(1)

    page.goto(live_server + path)
    page.get_by_label("新密码").fill("browser-password-1")
    page.get_by_label("再次输入密码").fill("browser-password-1")
    page.get_by_role("button", name="设置密码").click()
    expect(page).to_have_url(re.compile(r"/review/$"))  # a reviewer lands on the queue
    expect(page.locator(".account__name")).to_have_text("新来的审核员")

    page.locator("form[action='/logout'] [type=submit]").first.click()
    page.goto(live_server + path)
    expect(page.locator("main")).to_contain_text("该链接已被使用")
    sign_in("invited.reviewer@demo.gz.example", "browser-password-1")
    expect(page).to_have_url(re.compile(r"/review/$"))
