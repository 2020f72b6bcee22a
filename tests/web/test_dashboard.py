"""The bureau's dashboard through the test client: who may see it, and each figure against a known portal."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal import clock
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.complaints import services as complaints
from portal.complaints.models import Decision
from portal.dashboard import services
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header

TODAY = clock.today()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def fee(name: str, standard: str, unit: str = "元/票") -> FeeLine:
    return FeeLine(name=name, service_content="按实际服务", standard=standard, unit=unit, pricing_class="市场调节价")


def save(operator, lines: list[FeeLine], effective: date, *, publish: bool = True):
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=effective.isoformat(),
    )
    version = catalogue.replace_contents(operator, header, lines, None, as_of=effective)
    return editions.publish(version, None) if publish else version


def complain(operator, fee_name: str, n: int):
    filing = complaints.Filing(
        operator_id=operator.id,
        charged_on=TODAY - timedelta(days=3),
        fee_line_id=None,
        fee_name=fee_name,
        amount=Decimal("600"),
        currency="CNY",
        quantity=None,
        unit="",
        description="收费有误",
        contact_name="某货主",
        contact_phone=f"1380000000{n}",
        contact_email="",
        invoice=PNG,
        remote_addr=f"192.0.2.{n}",
    )
    return complaints.file_complaint(filing)


@pytest.fixture
def portal(app, make_operator, make_user):
    """Old: a list in force for two years; recent: a list this year; faulty: only a draft with an error."""
    load_feelists(app.config["FEELISTS_DIR"])
    old = make_operator("广州老清单码头有限公司")
    recent = make_operator("广州新清单船务有限公司")
    faulty = make_operator("广州有错货代有限公司")
    save(old, [fee("文件费", "450"), fee("电放费", "300")], TODAY - timedelta(days=800))
    save(recent, [fee("文件费", "500"), fee("电放费", "350"), fee("铅封费", "30", "元/枚")], TODAY - timedelta(days=30))
    save(faulty, [fee("文件费", "-50")], TODAY - timedelta(days=10), publish=False)
    complain(recent, "文件费", 1)
    complain(recent, "单证费", 2)  # an alias of 文件费: the same fee
    decided = complain(old, "压港费", 3)
    complaints.decide(decided, Decision.SUBSTANTIATED, "成立", "已退还", make_user(Role.REVIEWER))
    return {"old": old, "recent": recent, "faulty": faulty}


def section(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}".*?</(table|ul)>', page, re.S)
    assert match, f"no #{element_id} on the page"
    return match.group(0)


def test_the_dashboard_is_for_bureau_staff_only(client, login_as, make_operator, make_user) -> None:
    assert client.get("/dashboard/").status_code == 302
    login_as(make_user(Role.OPERATOR, operator=make_operator()))
    assert client.get("/dashboard/").status_code == 403


def test_bureau_staff_find_the_dashboard_in_the_menu(client, login_as, make_user) -> None:
    login_as(make_user(Role.REVIEWER))
    assert 'href="/dashboard/"' in client.get("/").get_data(as_text=True)


def test_faulty_stale_and_missing_lists_are_listed(client, login_as, make_user, portal) -> None:
    login_as(make_user(Role.ADMIN))
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "广州有错货代有限公司" in section(page, "faulty")
    assert "广州老清单码头有限公司" not in section(page, "faulty")
    assert "广州老清单码头有限公司" in section(page, "stale")
    assert "广州新清单船务有限公司" not in section(page, "stale")
    assert "广州有错货代有限公司" in section(page, "without-list")


def test_a_newer_version_in_the_pipeline_takes_a_list_off_the_stale_list(db, portal) -> None:
    assert [row.operator for row in services.stale_lists(TODAY)] == [portal["old"]]
    save(portal["old"], [fee("文件费", "450")], TODAY, publish=False)
    assert services.stale_lists(TODAY) == []
    assert [row.operator for row in services.faulty_lists()] == [portal["faulty"]]


def test_complaints_are_counted_by_status_operator_and_fee_with_aliases_together(
    client, login_as, make_user, portal
) -> None:
    login_as(make_user(Role.REVIEWER))
    page = client.get("/dashboard/").get_data(as_text=True)
    by_operator = section(page, "by-operator")
    assert re.search(r"广州新清单船务有限公司</th><td class=\"num\">2</td><td class=\"num\">2</td>", by_operator)
    assert re.search(r"广州老清单码头有限公司</th><td class=\"num\">1</td><td class=\"num\">0</td>", by_operator)
    fees = section(page, "fees")
    assert re.search(r"<th scope=\"row\">(文件费|单证费)</th><td class=\"num\">2</td>", fees)
    assert re.search(r"<th scope=\"row\">压港费</th><td class=\"num\">1</td>", fees)
    assert 'id="count-open">2<' in page


def test_fee_levels_give_the_lowest_median_and_highest_across_operators(client, login_as, make_user, portal) -> None:
    login_as(make_user(Role.REVIEWER))
    levels = section(client.get("/dashboard/").get_data(as_text=True), "levels")
    row = re.search(r"<th scope=\"row\">文件费</th>(.*?)</tr>", levels, re.S).group(1)
    assert re.findall(r">([^<>]+)</td>", row) == ["元/票", "2", "450.00", "475.00", "500.00"]
    assert "铅封费" not in levels  # listed by one operator only: no comparison


def test_fee_levels_leave_out_drafts_and_lists_not_yet_in_force(db, portal, make_operator) -> None:
    scheduled = make_operator("广州未来码头有限公司")
    save(scheduled, [fee("文件费", "9000")], TODAY + timedelta(days=30))
    (level,) = [lv for lv in services.fee_levels(TODAY) if lv.name == "文件费"]
    assert (level.low, level.median, level.high, level.operators) == (
        Decimal("450"),
        Decimal("475"),
        Decimal("500"),
        2,
    )


def test_charts_are_inline_svg_without_script_or_style_attributes(client, login_as, make_user, portal) -> None:
    login_as(make_user(Role.REVIEWER))
    page = client.get("/dashboard/").get_data(as_text=True)
    charts = re.findall(r"<ol class=\"bars chart\".*?</ol>", page, re.S)
    assert len(charts) == 4
    assert all("<svg" in chart and "<rect" in chart for chart in charts)
    assert not any("<text" in chart for chart in charts)  # the words are HTML: axe can check their contrast
    assert "style=" not in page
    assert "<script>" not in page
