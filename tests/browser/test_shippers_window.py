"""The shippers' single window in Chromium: every public page at a phone's width and a desktop's without sideways
scrolling of the page, the folding menu, tap targets, charts that scale, axe-core (WCAG 2.1 AA and best practices)
on every public page and the staff pages in both languages, search by operator name and credit code, and the invoice
check from an upload to a filed complaint."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.public_pages import public_pages

pytestmark = pytest.mark.browser

PHONE, DESKTOP, SMALL_PHONE = 390, 1280, 360
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
REVIEWER = "reviewer@demo.gz.example"
STAFF = "staff08@demo.gz.example"
STAFF_PAGES_BUREAU = ["/dashboard/", "/review/", "/complaints/", "/govlist/"]
STAFF_PAGES_OPERATOR = ["/catalogue/", "/catalogue/draft", "/complaints/operator"]
TERMINAL = "广州南沙示范集装箱码头有限公司"
TERMINAL_CODE = "914401155970010134"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(256)


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 when it does not), measured once its stylesheet has loaded: measured
    while a new page's CSS is still on its way (a loaded machine), an unstyled table is as wide as its text."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_public_page_scrolls_sideways(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for path in public_pages():
        page.goto(live_server + path)
        if overflow(page) > 0:
            wide[path] = overflow(page)
    assert wide == {}


def test_the_fullest_pages_fit_the_smallest_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": SMALL_PHONE, "height": 740})
    for path in [p for p in public_pages() if "compare?" in p or "estimate?" in p or p.startswith("/fees?q=港务")]:
        page.goto(live_server + path)
        assert overflow(page) <= 0, path


def test_the_dashboard_fits_a_phone(page: Page, live_server: str, sign_in) -> None:
    sign_in(REVIEWER)
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server + "/dashboard/")
    assert overflow(page) <= 0
    for svg in page.locator("main svg").all():
        box = svg.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE


def test_the_menu_folds_away_on_a_phone_and_opens_without_script(browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/")
    nav = page.locator(".site-nav")
    expect(nav).to_be_hidden()
    toggle = page.locator(".menu-toggle__label")
    assert toggle.bounding_box()["height"] >= 44
    toggle.click()
    expect(nav).to_be_visible()
    links = nav.locator("a")
    assert [t.strip() for t in links.all_inner_texts()].count("投诉举报") == 1
    for link in links.all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    context.close()


def test_the_menu_is_open_on_a_desktop(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto(live_server + "/")
    expect(page.locator(".site-nav")).to_be_visible()
    expect(page.locator(".menu-toggle__label")).to_be_hidden()


def test_tap_targets_on_a_phone_are_at_least_44_px(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server + "/fees?q=换单费")
    small = []
    for selector in (".site-search__button", ".site-search__input", ".breadcrumbs a", ".complain-link", "main .button"):
        for element in page.locator(selector).all():
            box = element.bounding_box()
            if box and box["height"] < 44:
                small.append((selector, box["height"]))
    assert small == []


def test_the_comparison_chart_scales_with_the_screen(page: Page, live_server: str, live_app) -> None:
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server + "/compare?service=报关服务费")
    bars = page.locator("main .bars__bar")
    assert bars.count() >= 2
    widths = []
    for bar in bars.all():
        box = bar.bounding_box()
        assert box["x"] + box["width"] <= PHONE
        widths.append(box["width"])
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    assert bars.first.bounding_box()["width"] > widths[0]  # the bars grow with the screen


def _axe(page: Page) -> list[str]:
    """Violations, and the colour contrasts axe could not verify (SVG text on a chart was one): both must be none.
    Every chart (the comparison's, the bureau dashboard's) writes its words as HTML beside text-free SVG bars."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations", "incomplete"]}
    response = Axe().run(page, options=options).response
    unverified = [v for v in response["incomplete"] if v["id"] == "color-contrast"]
    return [f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}" for v in response["violations"] + unverified]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_axe_finds_nothing_on_the_public_pages(browser, live_server: str, language: str) -> None:
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "lang", "value": language[:2], "url": live_server}])  # the portal's switch
    page = context.new_page()
    found = {}
    for path in public_pages():
        page.goto(live_server + path)
        violations = _axe(page)
        if violations:
            found[path] = violations
    context.close()
    print(f"axe {language}: {len(public_pages())} public pages, {sum(map(len, found.values()))} violations")
    assert found == {}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_axe_finds_nothing_on_the_staff_pages(browser, live_server: str, language: str) -> None:
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "lang", "value": language[:2], "url": live_server}])  # the portal's switch
    page = context.new_page()
    found = {}
    for email, paths in ((REVIEWER, STAFF_PAGES_BUREAU), (STAFF, STAFF_PAGES_OPERATOR)):
        page.goto(f"{live_server}/login")
        page.locator("input[name=email]").fill(email)
        page.locator("input[name=password]").fill("demo-2026")
        page.locator("main form [type=submit]").click()
        page.wait_for_load_state()
        for path in paths:
            page.goto(live_server + path)
            for width in (PHONE, DESKTOP):
                page.set_viewport_size({"width": width, "height": 800})
                violations = _axe(page)
                if violations:
                    found[f"{path} at {width}"] = violations
        page.locator(".site-nav__signout button").click()
    context.close()
    assert found == {}


def test_a_shipper_finds_an_operator_by_name_from_the_header(page: Page, live_server: str) -> None:
    page.goto(live_server + "/government-list")
    page.locator("#site-q").fill("南沙示范集装箱")
    page.locator(".site-search__button").click()
    expect(page.locator("#operators-found")).to_contain_text(TERMINAL)
    expect(page.locator("#results-title")).to_contain_text("28")
    for cell in page.locator("table.results tbody tr td:nth-child(2) a").all_inner_texts():
        assert cell.strip() == TERMINAL


def test_a_shipper_finds_an_operator_by_credit_code_from_the_home_page(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("#home-q").fill(TERMINAL_CODE)
    page.locator(".home-search button").click()
    expect(page.locator("#operators-found")).to_contain_text(TERMINAL)
    expect(page.locator("#results-title")).to_contain_text("28")
    expect(page.locator("main")).to_contain_text("港口作业包干费")
    page.locator("select#group").select_option("operator")
    page.locator("select#sort").select_option("price")
    page.locator("#fee-search button[type=submit]").click()
    amounts = page.locator("h3.result-group")
    assert amounts.count() == 1  # one operator: one group


def test_every_placeholder_example_finds_something(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    examples = page.locator("#site-q").get_attribute("placeholder")
    words = [w.strip() for w in re.split(r"[:：,，、]", examples) if w.strip() and "例如" not in w and "e.g." not in w]
    assert len(words) >= 3
    for word in words:
        page.goto(f"{live_server}/fees?q={word}")
        count = int(re.search(r"\d+", page.locator("#results-title").inner_text()).group())
        assert count > 0, word


@pytest.fixture
def quick_forms(live_app, monkeypatch):
    monkeypatch.setitem(live_app.config, "COMPLAINT_MIN_SECONDS", 0)


def test_an_uploaded_invoice_leads_to_a_filed_complaint(page: Page, live_server: str, quick_forms) -> None:
    csv_text = "经营单位,日期,收费项目,数量,金额\n" + "\n".join(
        [
            f"{TERMINAL},2026-11-20,港口作业包干费,2,1720",
            f"{TERMINAL},2026-11-20,场内搬移费,2,160",
            f"{TERMINAL_CODE},2026-11-20,打单费,1,50",
        ]
    )
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server + "/invoice")
    assert overflow(page) <= 0
    page.locator("input[name=invoice]").set_input_files(
        files=[{"name": "invoice.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8-sig")}]
    )
    page.locator("#invoice-form button[type=submit]").click()
    expect(page.locator("#excess-total")).to_contain_text("210.00")
    assert overflow(page) <= 0
    page.locator("#invoice-checked .complain-link").first.click()
    expect(page.locator("input[name=amount]")).to_have_value("160")
    expect(page.locator("textarea[name=description]")).to_contain_text("港口作业包干费")
    page.locator("input[name=contact_name]").fill("广州某外贸有限公司")
    page.locator("input[name=contact_phone]").fill("13912345678")
    page.locator("input[name=invoice]").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": PNG}]
    )
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", page.locator("#answer-help").inner_text()).groups())
    page.locator("input[name=answer]").fill(str(a + b))
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/complaints/filed$"))
    assert re.fullmatch(r"TS-\d{4}-\d{6}", page.locator("#reference").inner_text().strip())
