"""An operator changes a published list in Chromium: the line form, an upload with faults, fixes, and submission."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from portal import clock

pytestmark = pytest.mark.browser

STAFF = "staff12@demo.gz.example"  # 广州示范理货有限公司: a clean, published list
OPERATOR = ("广州示范理货有限公司", "91440112597012126P")
TABLE = [
    "序号",
    "收费项目",
    "适用条件",
    "服务内容",
    "收费标准",
    "计费单位",
    "币种",
    "定价方式",
    "收费依据",
    "代收代付",
    "备住",
]


def faulty_workbook(path: Path) -> Path:
    """Two new fees in the prescribed format, with a misspelt column title (备住) and a negative amount."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收费目录清单"
    for label, value in (
        ("单位名称", OPERATOR[0]),
        ("统一社会信用代码", OPERATOR[1]),
        ("口岸/港区", "南沙港区"),
        ("投诉举报电话", "020-32501012"),
        ("执行日期", ""),
    ):
        sheet.append([label, value])
    sheet.append([])
    sheet.append(TABLE)
    sheet.append(
        ["", "夜间理货附加费", "外贸", "22:00至次日6:00作业的理货", "30", "元/箱", "CNY", "市场调节价", "", "否", ""]
    )
    sheet.append(["", "理货报告补发费", "", "补发已签发的理货报告", -50, "元/票", "CNY", "市场调节价", "", "否", ""])
    book.save(path)
    return path


def test_an_operator_fills_the_form_uploads_fixes_and_submits(
    page: Page, sign_in, live_server: str, tmp_path: Path
) -> None:
    sign_in(STAFF)
    page.goto(f"{live_server}/catalogue/")
    page.locator("#start-change").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft$"))

    effective = (clock.today() + timedelta(days=30)).isoformat()  # a scheduled change
    page.locator("#edit-header").click()
    page.locator("input[name=effective_date]").fill(effective)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft$"))

    page.locator("#add-line").click()
    page.locator("input[name=name]").fill("冷藏箱理货费")
    page.locator("select[name=trade]").select_option("外贸进口")
    page.locator("select[name=container_size]").select_option("40")
    page.locator("select[name=laden]").select_option("重箱")
    page.locator("select[name=cargo]").select_option("冷藏")
    page.locator("textarea[name=service_content]").fill("冷藏集装箱的理箱及温度记录核对")
    page.locator("input[name=standard]").fill("35")
    page.locator("select[name=unit]").select_option("元/箱")
    page.locator("select[name=pricing_class]").select_option("市场调节价")
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft$"))
    added = page.locator("#lines tr", has_text="冷藏箱理货费")
    expect(added).to_contain_text("外贸进口 40英尺 重箱 冷藏")
    expect(added.locator(".badge--mark-a")).to_be_visible()

    page.locator("#upload").click()
    page.locator("input[name=file]").set_input_files(faulty_workbook(tmp_path / "补充收费.xlsx"))
    page.locator("input[name=mode][value=merge]").check()
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft$"))
    findings = page.locator("table.findings")
    expect(findings).to_contain_text("收费目录清单!E9")  # the negative amount
    expect(findings).to_contain_text("收费目录清单!K7")  # the misspelt column title
    expect(page.locator("#lines tr", has_text="理货报告补发费").locator(".badge--error")).to_be_visible()

    page.locator("#lines tr", has_text="理货报告补发费").get_by_role("link").first.click()
    expect(page.locator("#standard-error")).to_be_visible()
    page.locator("input[name=standard]").fill("50")
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/draft$"))
    expect(page.locator("table.findings")).not_to_contain_text("收费目录清单!E9")
    expect(page.locator("#lines tr", has_text="理货报告补发费").locator(".badge--error")).to_have_count(0)

    page.locator("#submit-draft").click()
    for box in page.locator("textarea[name$='-text']").all():
        box.fill("已核对，说明见备注。")
    page.locator("input[name=attestation]").check()
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalogue/$"))
    expect(page.locator("#versions .badge--submitted")).to_be_visible()
    expect(page.locator("#withdraw")).to_be_visible()
