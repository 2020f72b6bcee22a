"""The public home page and sign-in, as a person sees them in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_home_page_is_chinese_and_lists_the_demo_operators(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_text("南沙港区").first).to_be_visible()
    expect(page.get_by_text("示范").first).to_be_visible()


def test_an_english_browser_still_gets_the_chinese_portal_until_it_switches(browser, live_server: str) -> None:
    context = browser.new_context(locale="en-US")  # headless Chromium's own default, an office PC's English Windows
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(live_server + "/fees")  # the choice is kept by its cookie
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_the_english_switch_translates_the_page(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_operator_staff_sign_in_and_see_their_fee_lists(page: Page, sign_in) -> None:
    sign_in("staff01@demo.gz.example")
    expect(page).to_have_url(re.compile(r"/catalogue/$"))
    expect(page.locator("main")).to_contain_text("示范")
