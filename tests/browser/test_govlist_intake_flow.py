"""The administrator uploads the official list in the notice's layout in Chromium, sees the preview, applies it,
and an unverified rate is then shown verified, with its source, on the public government list."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.govlist.models import GovListItem

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.gz.example"
CODE = "HWF-FT-GEN-20-EX-GZ"  # harbour dues, foreign-trade export, 20-foot box: unverified in feelists/
NOTICE = "穗发改规〔2026〕9号 广州港口收费目录"


def test_the_intake_turns_an_unverified_rate_verified(
    page: Page, sign_in, live_server: str, live_app, tmp_path
) -> None:
    with live_app.app_context():
        row = db.session.scalar(select(GovListItem).where(GovListItem.code == CODE))
        assert not row.verified
        name, rate, unit = row.name_zh, row.rate, row.unit
        db.session.remove()
    book = openpyxl.Workbook()
    book.active.append(["附件1 广州港口收费目录"])
    book.active.append(["序号", "收费项目", "适用条件", "收费标准", "计费单位", "收费依据", "页码"])
    book.active.append([1, name, "外贸出口 20英尺 普通货物", f"{rate}", unit, "交水规〔2019〕2号", 5])
    path = tmp_path / "附件1.xlsx"
    book.save(path)

    sign_in(ADMIN)
    page.goto(f"{live_server}/govlist/")
    page.locator("#intake").click()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_label("依据文件").fill(NOTICE)
    page.get_by_label("文件日期").fill("2026-11-20")
    page.get_by_label("收费标准生效日期").fill(clock.today().isoformat())
    page.locator("#intake-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/govlist/intake/"))
    expect(page.locator("#intake-verified")).to_contain_text(CODE)
    page.locator("#intake-apply").click()
    expect(page.locator(".flash--success")).to_contain_text("核实 1 项")

    page.goto(f"{live_server}/government-list")
    expect(page.locator("main")).to_contain_text(NOTICE)
    with live_app.app_context():
        row = db.session.scalar(select(GovListItem).where(GovListItem.code == CODE))
        assert row.verified
        assert row.verified_page == "5"
        db.session.remove()
