"""China's day, on both sides of 16:00 UTC: an edition effective at 00:00 in Guangzhou is in force on the public
pages and the API from 16:00 UTC the day before, and a complaint's deadline in working days starts from China's
day (across a weekend and the National Day holiday)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from portal.complaints import services as complaints
from portal.validation.model import FeeLine

BEFORE = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)  # 23:59:59 on 31 December in Guangzhou
AT = datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC)  # 00:00:00 on 1 January in Guangzhou
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
NATIONAL_DAY = frozenset(date(2027, 10, d) for d in range(1, 8))


def fee(standard: str) -> FeeLine:
    return FeeLine(
        name="文件费", service_content="制作单证", standard=standard, unit="元/票", pricing_class="市场调节价"
    )


@pytest.fixture
def new_year(make_operator, publish):
    """An edition in force since 2026-01-01 (400) and its change taking effect on 2027-01-01 (450)."""
    operator = make_operator("广州时区示范码头有限公司")
    publish(operator, fee("400"), effective="2026-01-01")
    publish(operator, fee("450"), effective="2027-01-01")
    return operator


@pytest.mark.parametrize(("instant", "edition", "amount"), [(BEFORE, "001", "400.00"), (AT, "002", "450.00")])
def test_the_api_and_the_public_page_switch_editions_at_midnight_china_time(
    client, new_year, instant, edition, amount
) -> None:
    with time_machine.travel(instant, tick=False):
        body = client.get(f"/api/v1/operators/{new_year.credit_code}/catalogue").get_json()
        page = client.get(f"/operators/{new_year.credit_code}").get_data(as_text=True)
    assert body["edition"] == f"{new_year.credit_code}-{edition}"
    assert [line["amount"] for line in body["lines"]] == [amount]
    assert body["as_of"] == ("2026-12-31" if instant is BEFORE else "2027-01-01")
    assert f"{new_year.credit_code}-{edition}" in page


@pytest.mark.parametrize(
    ("instant", "due"),
    [
        (datetime(2027, 9, 29, 15, 59, tzinfo=UTC), date(2027, 10, 27)),  # Wednesday 23:59 in Guangzhou
        (datetime(2027, 9, 29, 16, 0, tzinfo=UTC), date(2027, 10, 28)),  # Thursday 00:00 in Guangzhou
    ],
)
def test_a_complaint_deadline_counts_working_days_from_chinas_day(make_operator, publish, instant, due) -> None:
    operator = make_operator("广州期限示范码头有限公司")
    publish(operator, fee("400"), effective="2026-01-01")
    with time_machine.travel(instant, tick=False):
        filing = complaints.Filing(
            operator_id=operator.id,
            charged_on=date(2027, 9, 20),
            fee_line_id=None,
            fee_name="文件费",
            amount=Decimal("500"),
            currency="CNY",
            quantity=None,
            unit="",
            description="收费高于公示价格",
            contact_name="广州某货代有限公司",
            contact_phone="13800138000",
            contact_email="",
            invoice=PNG,
            remote_addr="198.51.100.1",
        )
        complaint = complaints.file_complaint(filing, holidays=NATIONAL_DAY)
    assert complaint.due_on == due  # 15 working days: the weekend and 1-7 October are not counted
