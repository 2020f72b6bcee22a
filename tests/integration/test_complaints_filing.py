"""Filing complaints on the real database, both backends: posted price and excess, unlisted fees, invoices, limits."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditEntry
from portal.catalogue import services as catalogue
from portal.complaints import services
from portal.complaints.models import Complaint, ComplaintStatus
from portal.errors import InvalidInput
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header

TODAY = date(2026, 3, 20)  # a Friday
CHARGED = date(2026, 3, 2)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
_serial = itertools.count(1)


def fee(name: str, standard: str, unit: str = "元/票", conditions: str = "") -> FeeLine:
    return FeeLine(
        name=name,
        conditions=conditions,
        service_content="按实际提供的服务",
        standard=standard,
        unit=unit,
        pricing_class="市场调节价",
    )


@pytest.fixture
def govlist(app) -> None:
    load_feelists(app.config["FEELISTS_DIR"])


@pytest.fixture
def publish(make_operator, govlist):
    """Publish an edition of `lines` for an operator (a new one unless given), in force from `effective`."""

    def make(lines: list[FeeLine], effective: str = "2026-01-01", operator=None):
        operator = operator or make_operator()
        header = Header(
            operator_name=operator.name_zh,
            credit_code=operator.credit_code,
            port_area="南沙港区",
            complaint_phone="020-12345678",
            effective_date=effective,
        )
        version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
        return operator, editions.publish(version, None)

    return make


def filing(operator, **changes) -> services.Filing:
    """A filing with its own client address and phone, so the rate limit counts only what a test means it to."""
    n = next(_serial)
    values = {
        "operator_id": operator.id,
        "charged_on": CHARGED,
        "fee_line_id": None,
        "fee_name": "",
        "amount": Decimal("500"),
        "currency": "CNY",
        "quantity": None,
        "unit": "",
        "description": "收费高于公示价格",
        "contact_name": "广州某货运代理有限公司",
        "contact_phone": f"138{n:08d}",
        "contact_email": "",
        "invoice": PNG,
        "remote_addr": f"198.51.100.{n % 250}",
    }
    return services.Filing(**{**values, **changes})


@pytest.fixture
def file(db):
    def make(operator, **changes) -> Complaint:
        return services.file_complaint(filing(operator, **changes), today=TODAY)

    return make


def line_named(version, name: str):
    return next(line for line in version.lines if line.name == name)


def test_a_charge_above_the_posted_price_shows_the_excess(publish, file) -> None:
    operator, edition = publish([fee("文件费", "450")])
    complaint = file(operator, fee_line_id=line_named(edition, "文件费").id, amount=Decimal("500"))
    assert complaint.posted_amount == Decimal("450")
    assert complaint.excess == Decimal("50.00")
    assert complaint.unlisted is False
    assert complaint.version_id == edition.id
    assert complaint.status is ComplaintStatus.NEW


def test_the_excess_counts_the_quantity_charged(publish, file) -> None:
    operator, edition = publish([fee("码头操作费", "850", "元/箱", "外贸 20英尺")])
    line = line_named(edition, "码头操作费")
    complaint = file(operator, fee_line_id=line.id, amount=Decimal("1800"), quantity=Decimal("2"), unit="箱")
    assert complaint.excess == Decimal("100.00")
    assert complaint.quantity == Decimal("2")


@pytest.mark.parametrize(
    ("standard", "charged", "excess"),
    [
        ("50-200", "250", Decimal("50")),  # a range is compared at its maximum
        ("￥1,200.50", "1300", Decimal("99.50")),
        ("0.35", "1", Decimal("0.65")),  # exact, no float on the way
        ("450", "400", Decimal("-50")),  # below the posted price: no excess
    ],
)
def test_the_excess_is_exact_against_the_posted_standard(publish, file, standard, charged, excess) -> None:
    operator, edition = publish([fee("查验代理费", standard)])
    complaint = file(operator, fee_line_id=line_named(edition, "查验代理费").id, amount=Decimal(charged))
    assert complaint.excess == excess


def test_tiers_leave_the_excess_to_the_bureau(publish, file) -> None:
    operator, edition = publish([fee("仓储费", "1-7天免费；8-30天1.20元/天", "元/吨·天")])
    complaint = file(operator, fee_line_id=line_named(edition, "仓储费").id)
    assert complaint.unlisted is False
    assert complaint.posted_amount is None
    assert complaint.excess is None


def test_a_charge_in_another_currency_is_not_compared(publish, file) -> None:
    operator, edition = publish([fee("文件费", "450")])
    complaint = file(operator, fee_line_id=line_named(edition, "文件费").id, currency="USD")
    assert complaint.posted_amount == Decimal("450")
    assert complaint.excess is None


def test_a_fee_that_is_not_on_the_list_is_flagged_unlisted(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    complaint = file(operator, fee_name="电放费", amount=Decimal("300"))
    assert complaint.unlisted is True
    assert complaint.fee_line_id is None
    assert complaint.fee_name == "电放费"
    assert complaint.posted_amount is None
    assert complaint.excess is None


@pytest.mark.parametrize("charged_as", ["单证费", "DOC", "文件费", " 文件费 ", "文件费（外贸）"])
def test_an_alias_of_a_listed_fee_is_not_unlisted(publish, file, charged_as: str) -> None:
    operator, edition = publish([fee("电放费", "300"), fee("文件费", "450")])
    complaint = file(operator, fee_name=charged_as, amount=Decimal("500"))
    assert complaint.unlisted is False
    assert complaint.fee_line_id == line_named(edition, "文件费").id
    assert complaint.excess == Decimal("50")


def test_a_name_listed_for_several_conditions_is_compared_with_its_dearest_line(publish, file) -> None:
    operator, edition = publish(
        [fee("换单费", "180", "元/票", "外贸进口 20英尺"), fee("换单费", "360", "元/票", "外贸进口 40英尺")]
    )
    complaint = file(operator, fee_name="换单费", amount=Decimal("400"))
    assert complaint.posted_amount == Decimal("360")
    assert complaint.excess == Decimal("40")


def test_the_price_posted_on_the_day_charged_is_the_one_compared(publish, file) -> None:
    operator, first = publish([fee("文件费", "400")], effective="2026-01-01")
    _operator, second = publish([fee("文件费", "450")], effective="2026-03-10", operator=operator)
    before = file(operator, fee_name="文件费", charged_on=date(2026, 3, 2), amount=Decimal("450"))
    after = file(operator, fee_name="文件费", charged_on=date(2026, 3, 15), amount=Decimal("450"))
    assert (before.version_id, before.excess) == (first.id, Decimal("50"))
    assert (after.version_id, after.excess) == (second.id, Decimal("0"))


def test_before_any_list_was_published_every_fee_is_unlisted(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")], effective="2026-01-01")
    complaint = file(operator, fee_name="文件费", charged_on=date(2025, 12, 31))
    assert complaint.version_id is None
    assert complaint.unlisted is True


def test_a_line_from_another_list_is_refused(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    _other, other_edition = publish([fee("文件费", "300")])
    with pytest.raises(InvalidInput, match="not on the operator's list"):
        file(operator, fee_line_id=line_named(other_edition, "文件费").id)


def test_a_date_charged_in_the_future_is_refused(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    with pytest.raises(InvalidInput, match="future"):
        file(operator, fee_name="文件费", charged_on=TODAY + timedelta(days=1))


@pytest.mark.parametrize(
    ("content", "stored_as"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_an_invoice_is_typed_from_its_content(publish, file, content: bytes, stored_as: str) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    complaint = file(operator, fee_name="文件费", invoice=content)
    assert complaint.invoice_type == stored_as
    assert complaint.invoice == content
    assert complaint.invoice_size == len(content)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows executable
        b"<!doctype html><script>alert(1)</script>",
        b"GIF89a\x01\x00\x01\x00",
        b" %PDF-1.7",  # the magic must come first
        b"",
    ],
)
def test_an_invoice_that_is_not_a_pdf_jpeg_or_png_is_refused(publish, file, content: bytes) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    with pytest.raises(InvalidInput) as refused:
        file(operator, fee_name="文件费", invoice=content)
    assert refused.value.params["field"] == "invoice"
    assert _db.session.scalar(select(Complaint.id)) is None


def test_an_invoice_above_the_size_cap_is_refused(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    at_cap = PNG + bytes(services.INVOICE_MAX_BYTES - len(PNG))
    assert file(operator, fee_name="文件费", invoice=at_cap).invoice_size == services.INVOICE_MAX_BYTES
    with pytest.raises(InvalidInput, match="larger than 5 MB"):
        file(operator, fee_name="文件费", invoice=at_cap + b"\x00")


def test_a_reference_number_is_given_in_the_bureau_format_and_is_unique(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    references = {file(operator, fee_name="文件费").reference for _ in range(4)}
    assert len(references) == 4
    assert all(re.fullmatch(r"TS-2026-\d{6}", r) for r in references)


def test_the_answer_is_due_fifteen_working_days_after_filing(publish) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    plain = services.file_complaint(filing(operator, fee_name="文件费"), today=TODAY)
    qingming = services.file_complaint(
        filing(operator, fee_name="文件费"), today=TODAY, holidays=frozenset({date(2026, 4, 6)})
    )
    assert plain.due_on == date(2026, 4, 10)
    assert qingming.due_on == date(2026, 4, 13)


def test_filing_is_audited_without_the_contact_details(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    complaint = file(operator, fee_name="单证费", contact_phone="13912345678", contact_email="ops@shipper.example")
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.file"))
    assert entry.subject_id == str(complaint.id)
    assert entry.operator_id == operator.id
    assert entry.after["reference"] == complaint.reference
    assert Decimal(entry.after["excess"]) == Decimal("50")
    assert "13912345678" not in repr(entry.after)
    assert "ops@shipper.example" not in repr(entry.after)


def test_filings_are_limited_per_client_address(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    for _ in range(services.RATE_LIMIT):
        file(operator, fee_name="文件费", remote_addr="203.0.113.9")
    with pytest.raises(services.TooManyFilings):
        file(operator, fee_name="文件费", remote_addr="203.0.113.9")
    assert file(operator, fee_name="文件费", remote_addr="203.0.113.10").reference


def test_filings_are_limited_per_contact_whatever_the_address(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    for n in range(services.RATE_LIMIT):
        file(operator, fee_name="文件费", contact_phone="138-0013-8000", remote_addr=f"192.0.2.{n}")
    with pytest.raises(services.TooManyFilings):
        file(operator, fee_name="文件费", contact_phone="13800138000", remote_addr="192.0.2.99")


def test_attempts_older_than_the_window_no_longer_count(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(services.RATE_LIMIT):
            file(operator, fee_name="文件费", remote_addr="203.0.113.20")
        traveller.shift(services.RATE_WINDOW - timedelta(seconds=5))
        with pytest.raises(services.TooManyFilings):
            file(operator, fee_name="文件费", remote_addr="203.0.113.20")
        traveller.shift(timedelta(seconds=10))
        assert file(operator, fee_name="文件费", remote_addr="203.0.113.20").reference


def test_a_status_look_up_needs_both_the_reference_and_the_contact(publish, file) -> None:
    operator, _edition = publish([fee("文件费", "450")])
    mine = file(operator, fee_name="文件费", contact_phone="020-8888 6666", contact_email="Ops@Shipper.example")
    theirs = file(operator, fee_name="文件费", contact_phone="13700000000")
    assert services.lookup(mine.reference, "02088886666") is mine
    assert services.lookup(mine.reference.lower(), "ops@shipper.EXAMPLE") is mine
    assert services.lookup(mine.reference, "13700000000") is None
    assert services.lookup(theirs.reference, "020-8888 6666") is None
    assert services.lookup(mine.reference, "") is None
    assert services.lookup("TS-2026-000000", "02088886666") is None
