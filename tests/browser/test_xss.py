"""Script in every text an operator or the public can write, shown on every page that shows it, in Chromium.

One operator writes XSS payloads into its profile, its list's header and every column of its lines, and has them
approved (published twice, a third change awaiting review); another has its list sent back with the reviewer's
comments. A shipper files a complaint with payloads through the public form, which the bureau and the operator
answer with more. Each page that shows any of it must show it as text: no dialog, `window.__xss` never set, no
element or event handler injected. The Content-Security-Policy would stop most inline script anyway, so the
browser here ignores it (`bypass_csp`): what is tested is the escaping itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import clock
from portal.auth import services as auth
from portal.auth.models import Role, User
from portal.catalogue import services as catalogue
from portal.extensions import db
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.review import services as review
from portal.validation.model import FeeLine, Header
from tests.factories import credit_code

pytestmark = pytest.mark.browser

REVIEWER = "reviewer@demo.gz.example"
PASSWORD = "xss-payloads-2026"
PHONE = "13812345678"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(256)

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
QUOTE = "' autofocus onfocus='window.__xss=1"
JS_URL = "javascript:window.__xss=1"
TEMPLATE = "{{7*7}}${7*7}{%print(7*7)%}"
ALERT = "<img src=x onerror=alert(document.domain)>"
EVERYTHING = SCRIPT + IMG + SVG + QUOTE + JS_URL + TEMPLATE + ALERT

NAME_ZH = f"XSS测试码头{SCRIPT}{IMG}"
NAME_EN = f"XSS Terminal{SVG}{TEMPLATE}"
ADDRESS = f"南沙{EVERYTHING}"
WEBSITE = "javascript://example.com/%0Awindow.__xss=1"
PROFILE_PHONE = f"020-8888{IMG}"
STAFF_NAME = f"XSS填报员{SCRIPT}"
PORT_AREA = f"南沙港区{SVG}"
LIST_PHONE = f"020-88888888{SCRIPT}"
UNIT = "<img src=x onerror=__xss=1>"  # 32 characters at most

HANDLING = f"装卸{IMG}"  # the fee compared: its name stays within the comparison's 100 characters
HANDLING_NAME = f"XSS装卸费{SVG}{TEMPLATE}"
DOCUMENT_NAME = f"XSS文件费{SCRIPT}{IMG}"
INSPECTION_NAME = f"查验XSS费{IMG}"  # an optional service: its name is an option of the estimate form
DROPPED_NAME = f"XSS待删费{QUOTE}"
ADDED_NAME = f"XSS新增费{SCRIPT}{QUOTE}"
PENDING_NAME = f"XSS待审费{SVG}{IMG}"

HANDLING_V1 = FeeLine(
    name=HANDLING_NAME,
    conditions=IMG + QUOTE,
    service_content=EVERYTHING,
    standard="100",
    unit="元/箱",
    pricing_class="市场调节价",
    basis=EVERYTHING,
    remarks=EVERYTHING,
)
DOCUMENT = FeeLine(
    name=DOCUMENT_NAME,
    conditions=SVG + JS_URL,
    service_content=EVERYTHING,
    standard=f"按{SCRIPT}收取",
    unit=UNIT,
    pricing_class="市场调节价",
    basis=JS_URL + EVERYTHING,
    remarks=ALERT + TEMPLATE,
)
INSPECTION = FeeLine(name=INSPECTION_NAME, standard="50", unit="元/箱", pricing_class="市场调节价", remarks=SVG)
DROPPED = FeeLine(name=DROPPED_NAME, standard="10", unit="元/票", pricing_class="市场调节价", remarks=IMG)
HANDLING_V2 = replace(HANDLING_V1, standard="120")
ADDED = FeeLine(name=ADDED_NAME, standard="30", unit="元/票", pricing_class="市场调节价", remarks=SCRIPT)
HANDLING_V3 = replace(HANDLING_V2, conditions=SVG + TEMPLATE)
PENDING = FeeLine(name=PENDING_NAME, standard="5", unit="元/票", pricing_class="市场调节价", basis=EVERYTHING)

EXPLANATION = f"已核对{SCRIPT}"
REVIEW_COMMENT = f"请修改{EVERYTHING}"
LINE_COMMENT = f"此行{IMG}"

OTHER_FEE = f"XSS未列明费{SVG}{SCRIPT}"
DESCRIPTION = f"多收费用{EVERYTHING}"
CONTACT_NAME = f"XSS投诉人{IMG}"
COMPLAINT_UNIT = "<b>箱</b>"
QUESTION = f"请说明{SCRIPT}{SVG}"
ANSWER = f"我方答复{IMG}{TEMPLATE}"
DECISION = f"投诉成立{SCRIPT}{QUOTE}"
OUTCOME = f"已退还差额{SVG}{ALERT}"

INJECTED = ("script:not([src])", "img[src='x']", "svg[onload]", "iframe", "object", "embed")
HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(element => [...element.attributes]
    .filter(a => a.name.startsWith('on')
        || (['href', 'src', 'action', 'formaction'].includes(a.name) && /^\\s*javascript:/i.test(a.value)))
    .map(a => `${element.tagName.toLowerCase()}[${a.name}]`))"""
SHOWN = """() => [document.body.textContent,
    ...[...document.querySelectorAll('input, textarea, option')].map(element => element.value)].join('\\n')"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Chinese, as the conftest's, and blind to the Content-Security-Policy (see the module's docstring)."""
    return {**browser_context_args, "bypass_csp": True}


@dataclass(frozen=True)
class Hostile:
    code: str  # the published operator's credit code
    operator_id: int
    staff: str  # its staff member's e-mail
    pending_id: int  # its third version, awaiting review
    drafter: str  # the other operator's staff member's e-mail
    returned_id: int  # the other operator's version, sent back with comments
    line_id: int  # a line of that version
    today: str


def _header(operator, effective: str) -> Header:
    return Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area=PORT_AREA,
        complaint_phone=LIST_PHONE,
        effective_date=effective,
    )


def _submit(version, staff) -> None:
    explanations = {key: EXPLANATION for key in catalogue.errors_to_explain(version)}
    catalogue.submit(version, staff, True, explanations)


def _staff(operator, email: str) -> User:
    return auth.create_user(email, STAFF_NAME, PASSWORD, Role.OPERATOR, operator=operator)


@pytest.fixture(scope="module")
def hostile(live_app) -> Hostile:
    """Made through the services, as operators and reviewers would: see the module's docstring."""
    today = clock.today()
    with live_app.app_context():
        reviewer = db.session.scalar(select(User).where(User.email == REVIEWER))
        published = operators.register_operator(
            credit_code=credit_code(970001),
            name_zh=NAME_ZH,
            name_en=NAME_EN,
            kind=OperatorKind.TERMINAL,
            port_area_names=["南沙港区"],
            address=ADDRESS,
            website=WEBSITE,
            complaint_phones=[PROFILE_PHONE],
        )
        staff = _staff(published, "xss-staff@example.test")
        first = catalogue.replace_contents(
            published, _header(published, "2025-06-01"), [HANDLING_V1, DOCUMENT, INSPECTION, DROPPED], staff
        )
        _submit(first, staff)
        review.approve(first, reviewer, comment=REVIEW_COMMENT, today=today)
        catalogue.start_change(published, staff)
        second = catalogue.replace_contents(
            published, _header(published, today.isoformat()), [HANDLING_V2, DOCUMENT, INSPECTION, ADDED], staff
        )
        _submit(second, staff)
        review.approve(second, reviewer, today=today)
        catalogue.start_change(published, staff)
        third = catalogue.replace_contents(
            published,
            _header(published, today.isoformat()),
            [HANDLING_V3, DOCUMENT, INSPECTION, ADDED, PENDING],
            staff,
        )
        _submit(third, staff)

        drafting = operators.register_operator(
            credit_code=credit_code(970002),
            name_zh=f"XSS草稿码头{IMG}{SCRIPT}",
            name_en=NAME_EN,
            kind=OperatorKind.FORWARDER,
            port_area_names=["南沙港区"],
            address=ADDRESS,
            website=WEBSITE,
            complaint_phones=[PROFILE_PHONE],
        )
        drafter = _staff(drafting, "xss-drafter@example.test")
        returned = catalogue.replace_contents(
            drafting, _header(drafting, today.isoformat()), [HANDLING_V1, DOCUMENT, PENDING], drafter
        )
        _submit(returned, drafter)
        line_id = returned.lines[0].id
        review.request_changes(
            returned, reviewer, comment=REVIEW_COMMENT, line_comments={f"line-{line_id}": LINE_COMMENT}, today=today
        )
        made = Hostile(
            published.credit_code,
            published.id,
            staff.email,
            third.id,
            drafter.email,
            returned.id,
            line_id,
            today.isoformat(),
        )
        db.session.remove()
    return made


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every dialog the page opens, accepted (the portal's own confirmations go on) and recorded."""
    seen: list[str] = []

    def record(dialog) -> None:
        seen.append(dialog.message)
        dialog.accept()

    page.on("dialog", record)
    return seen


@pytest.fixture
def quick_forms(live_app, monkeypatch):
    """The three-second minimum of the complaint form would only slow the test down; the web tests check it."""
    monkeypatch.setitem(live_app.config, "COMPLAINT_MIN_SECONDS", 0)


def assert_not_injected(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("() => window.__xss") is None, page.url
    assert page.evaluate(HANDLERS) == [], page.url
    for selector in INJECTED:
        assert page.locator(selector).count() == 0, f"{selector} on {page.url}"
    assert dialogs == [], page.url


def assert_shown(page: Page, *texts: str) -> None:
    """Each text is on the page as typed: in its text, or as the value of a form field or option."""
    shown = page.evaluate(SHOWN)
    for text in texts:
        assert text in shown, f"{text!r} is not shown on {page.url}"


def visit(page: Page, dialogs: list[str], url: str, *texts: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"{url}: {response.status}"
    assert_not_injected(page, dialogs)
    assert_shown(page, *texts)


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def sign_out(page: Page) -> None:
    page.locator(".site-nav__signout button").click()
    page.wait_for_load_state()


def query(**args: object) -> str:
    return "?" + urlencode(args, doseq=True)


def public_pages(h: Hostile) -> list[tuple[str, tuple[str, ...]]]:
    estimate = query(port="南沙港区", count=1, operator=h.operator_id, service="inspection", as_of=h.today)
    return [
        ("/", (NAME_ZH,)),
        # search results show name, operator, conditions, standard and unit; the operator page shows every field
        ("/fees" + query(q="XSS"), (HANDLING_NAME, DOCUMENT_NAME, ADDED_NAME, NAME_ZH, UNIT)),
        ("/fees" + query(q=SVG), (HANDLING_NAME, SVG)),
        ("/fees" + query(operator=h.code), (NAME_ZH, HANDLING_NAME)),
        (
            f"/operators/{h.code}",
            (NAME_ZH, NAME_EN, ADDRESS, WEBSITE, PROFILE_PHONE, LIST_PHONE, HANDLING_NAME, EVERYTHING, DROPPED_NAME),
        ),
        (f"/operators/{h.code}" + query(as_of="2025-07-01"), (DROPPED_NAME, HANDLING_NAME)),
        ("/compare" + query(service=HANDLING_NAME, port="南沙港区"), (HANDLING_NAME, NAME_ZH, IMG + QUOTE)),
        ("/compare", (HANDLING_NAME,)),
        ("/estimate" + estimate, (NAME_ZH, HANDLING_NAME, DOCUMENT_NAME, INSPECTION_NAME, UNIT)),
        ("/complaints/new" + query(operator_id=h.operator_id, charged_on=h.today), (NAME_ZH, HANDLING_NAME)),
    ]


def test_the_public_pages_show_operator_payloads_as_text(
    page: Page, live_server: str, hostile: Hostile, dialogs: list[str]
) -> None:
    for url, texts in public_pages(hostile):
        visit(page, dialogs, live_server + url, *texts)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/fees?q=XSS", "application/json"),
        ("/api/v1/operators/{code}/catalogue", "application/json"),
        ("/api/v1/operators", "application/json"),
        ("/feed.atom?operator={code}", "application/atom+xml"),
        ("/feed.atom?fee=XSS", "application/atom+xml"),
    ],
)
def test_the_open_data_carries_payloads_as_data_not_as_a_page(
    page: Page, live_server: str, hostile: Hostile, dialogs: list[str], path: str, content_type: str
) -> None:
    response = page.goto(live_server + path.format(code=hostile.code))

    assert response is not None
    assert response.ok
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_not_injected(page, dialogs)
    body = response.text()
    if content_type == "application/json":
        assert NAME_ZH in set(strings(json.loads(body)))
    else:
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in body
        assert SCRIPT not in body


def test_the_reviewer_pages_show_payloads_as_text(
    page: Page, live_server: str, sign_in, hostile: Hostile, dialogs: list[str]
) -> None:
    sign_in(REVIEWER)
    for url, texts in [
        ("/review/", (NAME_ZH,)),
        (f"/review/{hostile.pending_id}", (NAME_ZH, PENDING_NAME, HANDLING_NAME, SVG + TEMPLATE, EXPLANATION)),
        (f"/review/decisions/{hostile.returned_id}", (REVIEW_COMMENT, LINE_COMMENT)),
        ("/dashboard/", (NAME_ZH,)),
        ("/complaints/", ()),
    ]:
        visit(page, dialogs, live_server + url, *texts)


def test_the_operator_pages_show_payloads_as_text(
    page: Page, live_server: str, sign_in, hostile: Hostile, dialogs: list[str]
) -> None:
    sign_in(hostile.drafter, PASSWORD)
    expect(page.locator(".account__name")).to_have_text(STAFF_NAME)
    for url, texts in [
        ("/catalogue/", (HANDLING_NAME,)),
        ("/catalogue/draft", (HANDLING_NAME, DOCUMENT_NAME, PENDING_NAME, PORT_AREA, LIST_PHONE, UNIT)),
        ("/catalogue/draft/header", (PORT_AREA, LIST_PHONE)),
        (f"/catalogue/draft/lines/{hostile.line_id}", (HANDLING_NAME, EVERYTHING, IMG + QUOTE)),
        ("/catalogue/draft/lines/new", ()),
        ("/catalogue/submit", (EXPLANATION,)),
        ("/catalogue/upload", ()),
        (f"/review/decisions/{hostile.returned_id}", (REVIEW_COMMENT, LINE_COMMENT)),
        ("/operator/profile", (NAME_EN, ADDRESS, WEBSITE, PROFILE_PHONE)),
    ]:
        visit(page, dialogs, live_server + url, *texts)
    sign_out(page)

    sign_in(hostile.staff, PASSWORD)
    for url in ("/catalogue/", "/catalogue/draft"):
        visit(page, dialogs, live_server + url, NAME_ZH)


def _fill_complaint(page: Page, answer: str) -> None:
    page.locator("select[name=fee_line]").select_option("other")
    page.locator("input[name=other_name]").fill(OTHER_FEE)
    page.locator("input[name=amount]").fill("230")
    page.locator("input[name=unit]").fill(COMPLAINT_UNIT)
    page.locator("textarea[name=description]").fill(DESCRIPTION)
    page.locator("input[name=contact_name]").fill(CONTACT_NAME)
    page.locator("input[name=contact_phone]").fill(PHONE)
    page.locator("input[name=invoice]").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("input[name=answer]").fill(answer)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _the_sum(page: Page) -> str:
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", page.locator("#answer-help").inner_text()).groups())
    return str(a + b)


def _follow(page: Page, live_server: str, reference: str) -> None:
    page.goto(f"{live_server}/complaints/status")
    page.locator("input[name=reference]").fill(reference)
    page.locator("input[name=contact]").fill(PHONE)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _open_complaint(page: Page, live_server: str, listing: str, reference: str) -> None:
    page.goto(live_server + listing)
    page.get_by_role("link", name=reference).click()
    page.wait_for_load_state()


def test_a_complaint_with_payloads_is_shown_as_text_to_the_public_the_bureau_and_the_operator(
    page: Page, live_server: str, sign_in, hostile: Hostile, dialogs: list[str], quick_forms
) -> None:
    page.goto(f"{live_server}/complaints/new")
    page.locator("select[name=operator_id]").select_option(str(hostile.operator_id))
    page.locator("input[name=charged_on]").fill(hostile.today)
    page.locator("main form [type=submit]").click()
    assert_not_injected(page, dialogs)

    _fill_complaint(page, answer=str(10_000_000))  # wrong: the form comes back with everything typed in it
    assert_not_injected(page, dialogs)
    assert_shown(page, OTHER_FEE, COMPLAINT_UNIT, DESCRIPTION, CONTACT_NAME)
    _fill_complaint(page, answer=_the_sum(page))
    expect(page).to_have_url(re.compile(r"/complaints/filed$"))
    assert_not_injected(page, dialogs)
    assert_shown(page, OTHER_FEE)
    reference = page.locator("#reference").inner_text().strip()

    _follow(page, live_server, reference)
    assert_not_injected(page, dialogs)
    assert_shown(page, OTHER_FEE, NAME_ZH)

    sign_in(REVIEWER)
    visit(page, dialogs, f"{live_server}/complaints/", OTHER_FEE)
    _open_complaint(page, live_server, "/complaints/", reference)
    assert_not_injected(page, dialogs)
    assert_shown(page, OTHER_FEE, DESCRIPTION, CONTACT_NAME, COMPLAINT_UNIT)
    page.locator("#assign").click()
    page.locator("textarea[name=message]").fill(QUESTION)
    page.locator("#ask").click()
    page.wait_for_load_state()
    assert_not_injected(page, dialogs)
    assert_shown(page, QUESTION)
    sign_out(page)

    sign_in(hostile.staff, PASSWORD)
    visit(page, dialogs, f"{live_server}/complaints/operator", OTHER_FEE)
    _open_complaint(page, live_server, "/complaints/operator", reference)
    assert_not_injected(page, dialogs)
    assert_shown(page, OTHER_FEE, DESCRIPTION, QUESTION)
    page.locator("textarea[name=message]").fill(ANSWER)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert_not_injected(page, dialogs)
    assert_shown(page, ANSWER)
    sign_out(page)

    sign_in(REVIEWER)
    _open_complaint(page, live_server, "/complaints/", reference)
    assert_shown(page, ANSWER)
    page.locator("select[name=decision]").select_option("substantiated")
    page.locator("textarea[name=decision_text]").fill(DECISION)
    page.locator("textarea[name=outcome_summary]").fill(OUTCOME)
    page.locator("#decide").click()
    expect(page.locator("#complaint-status")).to_contain_text(re.compile("Decided|已决定|已办结"))
    assert len(dialogs) == 1  # the portal's own "cannot be changed afterwards" confirmation
    dialogs.clear()
    assert_not_injected(page, dialogs)
    assert_shown(page, DECISION, OUTCOME)
    visit(page, dialogs, f"{live_server}/dashboard/", OTHER_FEE)
    sign_out(page)

    visit(page, dialogs, f"{live_server}/complaints/outcomes", OUTCOME)
    _follow(page, live_server, reference)
    assert_not_injected(page, dialogs)
    assert_shown(page, DECISION)
