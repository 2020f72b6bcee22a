"""The estimate's operator list follows the port area chosen, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _open_form(page: Page) -> None:
    """With results shown, the shipment form sits in a closed "change the shipment" panel."""
    closed = page.locator("details.panel:not([open]) > summary")
    if closed.count():
        closed.first.click()


def test_choosing_another_port_area_lists_that_areas_operators(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/estimate")
    _open_form(page)
    port = page.locator("#shipment select[name=port]")
    options = port.locator("option").all()
    values = [o.get_attribute("value") for o in options if o.get_attribute("value")]
    assert len(values) >= 2
    seen = {}
    for value in values[:3]:
        _open_form(page)
        if port.input_value() != value:  # choosing the area already chosen sends nothing
            with page.expect_navigation():
                port.select_option(value)
            _open_form(page)
        expect(port).to_have_value(value)
        seen[value] = sorted(page.locator("#shipment input[name=operator]").evaluate_all("bs => bs.map(b => b.value)"))
    lists = [tuple(v) for v in seen.values()]
    assert len(set(lists)) > 1, f"every area listed the same operators: {seen}"
