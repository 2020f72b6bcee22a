"""A reviewer approves a submitted change in Chromium, and the public home page shows the new edition at once."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import Dialog, Page, expect
from sqlalchemy import select

from portal import clock
from portal.auth.models import User
from portal.catalogue import services as catalogue
from portal.extensions import db
from portal.publishing import editions
from portal.validation.model import FeeLine

pytestmark = pytest.mark.browser

STAFF = "staff11@demo.gz.example"  # 广州黄埔示范仓储物流有限公司: a clean, published list
REVIEWER = "reviewer@demo.gz.example"


@pytest.fixture
def submitted_change(live_app) -> tuple[int, str, str, str]:
    """The operator raises one fixed fee of its published list by 5 yuan from today, and submits the change."""
    with live_app.app_context():
        staff = db.session.scalar(select(User).where(User.email == STAFF))
        draft = catalogue.start_change(staff.operator, staff)
        line = next(r for r in draft.lines if r.standard_kind == "fixed" and r.amount is not None)
        old, new = line.standard, format((line.amount + 5).normalize(), "f")
        raised = FeeLine(**{**catalogue.line_values(line), "standard": new})
        catalogue.update_line(draft, line.id, staff, raised, expected_lock=None)
        header = replace(catalogue.to_header(draft), effective_date=clock.today().isoformat())
        catalogue.save_header(draft, staff, header, expected_lock=None)
        explanations = {key: "已核对，说明见备注。" for key in catalogue.errors_to_explain(draft)}
        catalogue.submit(draft, staff, True, explanations)
        submitted = (draft.id, editions.edition_code(draft), old, new)
        db.session.remove()
    return submitted


def test_a_reviewer_approves_a_change_and_the_home_page_shows_the_new_edition(
    page: Page, sign_in, live_server: str, submitted_change: tuple[int, str, str, str]
) -> None:
    version_id, edition, old, new = submitted_change
    sign_in(REVIEWER)
    page.goto(f"{live_server}/review/")
    page.locator(f"#queue-{version_id} a").click()
    expect(page).to_have_url(re.compile(rf"/review/{version_id}$"))
    expect(page.locator("#diff tr[data-mark=I]")).to_have_count(1)
    expect(page.locator("#diff tr[data-mark=I]")).to_contain_text(f"{old} → {new}")

    page.once("dialog", Dialog.accept)
    page.locator("#approve-submit").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.locator(".flash--success")).to_contain_text(edition)
    expect(page.locator(f"#queue-{version_id}")).to_have_count(0)

    page.goto(f"{live_server}/")
    expect(page.get_by_text(edition, exact=True)).to_be_visible()
