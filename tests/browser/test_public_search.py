"""A shipper on a phone searches the demo catalogue for 换单 and opens the operator that charges it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def test_a_phone_user_searches_a_two_character_name_and_opens_the_operator(page: Page, live_server: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/")
    expect(page.locator(".site-nav a[href='/fees']")).to_be_hidden()  # the menu is folded on a phone
    page.locator(".menu-toggle__label").click()
    page.locator(".site-nav a[href='/fees']").click()
    expect(page).to_have_url(re.compile(r"/fees$"))

    page.locator("#q").fill("换单")
    page.locator("#fee-search [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fees\?q=%E6%8D%A2%E5%8D%95"))

    rows = page.locator("table.results tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator("th")).to_contain_text("换单")
    # Cards, not a table wider than the screen: the header row is hidden and nothing scrolls sideways.
    expect(page.locator("table.results thead").first).to_have_css("position", "absolute")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    operator = rows.first.locator("td a").first
    name = operator.inner_text()
    operator.click()
    expect(page).to_have_url(re.compile(r"/operators/[0-9A-Z]{18}(\?as_of=[0-9-]+)?$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("#complaint-phones")).to_contain_text("12345")
    expect(page.locator("#lines")).to_contain_text("换单")
