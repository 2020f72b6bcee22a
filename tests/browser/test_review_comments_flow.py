"""A reviewer comments on one changed line and returns the list; the operator's staff see the comment beside that
line on their draft, change the line and submit again. Then: editing a line in the browser keeps its 序号."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import Dialog, Page, expect
from sqlalchemy import select

from portal import clock
from portal.auth.models import User
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord, VersionStatus
from portal.extensions import db
from portal.validation.model import FeeLine

pytestmark = pytest.mark.browser

STAFF = "staff10@demo.gz.example"
EDITOR = "staff09@demo.gz.example"
REVIEWER = "reviewer@demo.gz.example"
COMMENT = "请说明本次上调的依据，并附成本测算。"


@pytest.fixture
def submitted(live_app) -> tuple[int, int]:
    """A change raising one fixed fee by 5 yuan, submitted: (version id, the raised line's id)."""
    with live_app.app_context():
        staff = db.session.scalar(select(User).where(User.email == STAFF))
        draft = catalogue.start_change(staff.operator, staff)
        line = next(r for r in draft.lines if r.standard_kind == "fixed" and r.amount is not None)
        raised = FeeLine(**{**catalogue.line_values(line), "standard": format((line.amount + 5).normalize(), "f")})
        catalogue.update_line(draft, line.id, staff, raised, expected_lock=None)
        header = replace(catalogue.to_header(draft), effective_date=clock.today().isoformat())
        catalogue.save_header(draft, staff, header, expected_lock=None)
        explanations = {key: "已核对。" for key in catalogue.errors_to_explain(draft)}
        catalogue.submit(draft, staff, True, explanations)
        ids = (draft.id, line.id)
        db.session.remove()
    return ids


def _sign_out(page: Page) -> None:
    page.locator("form[action='/logout'] [type=submit]").first.click()


def test_a_line_comment_reaches_the_operators_draft_and_the_list_is_resubmitted(
    page: Page, sign_in, live_server: str, live_app, submitted: tuple[int, int]
) -> None:
    version_id, line_id = submitted
    sign_in(REVIEWER)
    expect(page).to_have_url(re.compile(r"/review/$"))  # reviewers land on their queue
    page.locator(f"#queue-{version_id} a").click()
    expect(page.locator("#diff tbody tr")).to_have_count(1)  # the changed line only
    expect(page.locator("#show-all")).to_be_visible()
    row = page.locator(f"#diff-line-{line_id}")
    row.locator("textarea").fill(COMMENT)
    button = page.locator("#request-changes-submit")
    button.focus()  # reachable by keyboard
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/review/$"))
    _sign_out(page)

    sign_in(STAFF)
    expect(page).to_have_url(re.compile(r"/catalogue/$"))
    page.goto(f"{live_server}/catalogue/draft")
    remark = page.locator(f"#review-comment-{line_id}")
    expect(remark).to_contain_text(COMMENT)
    # The comment sits right below the line it concerns.
    expect(page.locator(f"#line-{line_id} + tr")).to_have_id(f"review-comment-{line_id}")
    expect(page.locator("#review-comments")).to_be_visible()

    page.locator(f"#edit-line-{line_id}").click()
    page.get_by_label("备注").fill("上调依据：人工成本上涨，测算表已报送。")
    page.locator("#line-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft"))

    page.goto(f"{live_server}/catalogue/submit")
    for box in page.locator("textarea[name^=explanations]").all():
        box.fill("已按审核意见补充说明。")
    page.locator("input[name=attestation]").check()
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/$"))
    with live_app.app_context():
        assert db.session.get(CatalogueVersion, version_id).status is VersionStatus.SUBMITTED
        db.session.remove()


@pytest.fixture
def line_with_xuhao(live_app) -> int:
    with live_app.app_context():
        staff = db.session.scalar(select(User).where(User.email == EDITOR))
        draft = catalogue.working_version(staff.operator) or catalogue.start_change(staff.operator, staff)
        line = next(r for r in draft.lines if r.change_mark != "D")
        line.line_no = "12"
        db.session.commit()
        line_id = line.id
        db.session.remove()
    return line_id


def test_editing_a_line_in_the_browser_keeps_its_xuhao(
    page: Page, sign_in, live_server: str, live_app, line_with_xuhao
) -> None:
    sign_in(EDITOR)
    page.goto(f"{live_server}/catalogue/draft")
    expect(page.locator(f"#line-{line_with_xuhao} td").first).to_contain_text("12")
    page.locator(f"#edit-line-{line_with_xuhao}").click()
    page.get_by_label("备注").fill("浏览器编辑")
    page.once("dialog", Dialog.accept)
    page.locator("#line-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft"))
    with live_app.app_context():
        stored = db.session.get(FeeLineRecord, line_with_xuhao)
        assert stored.remarks == "浏览器编辑"
        assert stored.line_no == "12"
        db.session.remove()
