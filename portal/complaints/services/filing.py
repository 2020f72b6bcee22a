"""Filing a complaint against the list in force that day, following it, and the published outcomes.

The posted price is read from the edition in force on the date charged; a fee whose name (aliases applied) is not
on that edition is flagged as unlisted. Filings are counted per client address and per contact in the shared
rate-limit store (portal.counters), atomically, so every worker enforces the same limit.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal import clock, counters
from portal.audit.services import record
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.complaints.models import Complaint, ComplaintEvent, ComplaintStatus, Decision, EventKind
from portal.complaints.workdays import add_working_days
from portal.errors import Conflict, InvalidInput, NotFound, PortalError
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator
from portal.operators.services import get_operator
from portal.validation.context import currency_or_none
from portal.validation.findings import N_
from portal.validation.model import StandardKind
from portal.validation.names import NameIndex, normalise, without_brackets

DUE_WORKING_DAYS = 15
RATE_LIMIT = 5  # filings per key (client address, contact) per window
RATE_WINDOW = timedelta(hours=1)
LOOKUP_LIMIT = 20  # failed status look-ups per client address per window
INVOICE_MAX_BYTES = 5 * 1024 * 1024
INVOICE_TYPES = {  # magic bytes -> the type stored; the file's name and declared type are never trusted
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
_KEY_LENGTH = Complaint.__table__.c.fee_key.type.length
_NOT_DIGITS = re.compile(r"[^\d+]")


class TooManyFilings(PortalError):
    """The client or the contact has filed (or tried) too often in the window: HTTP 429."""


@dataclass(frozen=True)
class Filing:
    """What the complaint form sends, as plain values."""

    operator_id: int
    charged_on: date
    fee_line_id: int | None  # None: "a fee that is not on the list", named in fee_name
    fee_name: str
    amount: Decimal
    currency: str
    quantity: Decimal | None
    unit: str
    description: str
    contact_name: str
    contact_phone: str
    contact_email: str
    invoice: bytes
    remote_addr: str


@dataclass(frozen=True)
class Outcome:
    """A decided complaint as published: no complainant, contact, invoice or reference."""

    operator_name_zh: str
    operator_name_en: str | None
    fee_name: str
    unlisted: bool
    decision: Decision
    decided_at: datetime  # naive UTC, as stored
    summary: str

    def operator_name(self, locale: str) -> str:
        return self.operator_name_en if locale.startswith("en") and self.operator_name_en else self.operator_name_zh


def detect_type(data: bytes) -> str | None:
    """The invoice's type from its first bytes (PDF, PNG or JPEG), or None for anything else."""
    return next((kind for magic, kind in INVOICE_TYPES.items() if data.startswith(magic)), None)


def normalise_contact(text: str) -> str:
    """An e-mail address casefolded, a phone number as its digits: how contacts are compared."""
    text = (text or "").strip()
    return text.casefold() if "@" in text else _NOT_DIGITS.sub("", text)


def rate_keys(remote_addr: str, *contacts: str) -> list[str]:
    keys = [f"ip:{remote_addr}"[:300]]
    keys += [f"contact:{normalise_contact(c)}"[:300] for c in contacts if normalise_contact(c)]
    return keys


def _limit(limit: int, window: timedelta):
    return counters.per(limit, window.total_seconds())


def is_rate_limited(
    keys: Iterable[str], *, limit: int = RATE_LIMIT, window: timedelta = RATE_WINDOW, kind: str = "complaint"
) -> bool:
    """Is any key already at its limit? (A look for the page; filing itself counts and checks in one step.)"""
    return not counters.allows(_limit(limit, window), kind, list(keys))


def note_attempt(
    keys: Iterable[str], *, limit: int = RATE_LIMIT, window: timedelta = RATE_WINDOW, kind: str = "complaint"
) -> None:
    """Count a refused attempt (a bot's, a failed look-up) against its keys."""
    counters.take(_limit(limit, window), kind, list(keys))


def lines_charged_on(operator: Operator, day: date) -> tuple[CatalogueVersion | None, list[FeeLineRecord]]:
    """The edition in force on `day` and the lines it charged (none when no list was published then)."""
    version = catalogue.in_force(operator, day)
    return version, catalogue.lines_in_force(version) if version else []


def _name_keys(index: NameIndex, name: str) -> set[str]:
    return {k for k in (index.canonical(name), index.canonical(without_brackets(normalise(name)))) if k}


def same_fee(index: NameIndex, charged: str, listed: str) -> bool:
    """Do two names mean one fee: the same canonical name (aliases applied, brackets aside) or government item?"""
    if _name_keys(index, charged) & _name_keys(index, listed):
        return True
    codes = {item.code for item in index.gov_items(charged)} | {b.code for b in index.bundles(charged)}
    return bool(codes & ({item.code for item in index.gov_items(listed)} | {b.code for b in index.bundles(listed)}))


def posted_price(line: FeeLineRecord) -> Decimal | None:
    """The price per unit the line posts: its fixed amount, a range's maximum; None for tiers and text."""
    if line.standard_kind == StandardKind.FIXED.value:
        return line.amount
    if line.standard_kind == StandardKind.RANGE.value:
        return line.amount_max if line.amount_max is not None else line.amount
    return None


def excess_of(charged: Decimal, posted: Decimal, quantity: Decimal) -> Decimal:
    """What was charged beyond the posted price, exactly (negative when less was charged)."""
    return charged - posted * quantity


def _charged_line(filing: Filing, lines: Sequence[FeeLineRecord], index: NameIndex) -> FeeLineRecord | None:
    """The listed line the complaint is about: the one chosen, or the dearest line of the name given."""
    if filing.fee_line_id is not None:
        line = next((line for line in lines if line.id == filing.fee_line_id), None)
        if line is None:
            raise InvalidInput(
                N_("That fee line was not on the operator's list in force on the date charged."), field="fee_line"
            )
        return line
    matches = [line for line in lines if same_fee(index, filing.fee_name, line.name)]
    return max(matches, key=lambda line: posted_price(line) or Decimal(0), default=None)


def _reference(year: int) -> str:
    for _ in range(50):
        reference = f"TS-{year}-{secrets.randbelow(1_000_000):06d}"
        if db.session.scalar(select(Complaint.id).where(Complaint.reference == reference)) is None:
            return reference
    raise Conflict(N_("No reference number is free; please try again."))


def file_complaint(
    filing: Filing,
    *,
    today: date | None = None,
    holidays: Collection[date] = frozenset(),
    limit: int = RATE_LIMIT,
    window: timedelta = RATE_WINDOW,
    max_bytes: int = INVOICE_MAX_BYTES,
) -> Complaint:
    """Record a complaint with the posted price on the day and the excess, or flag the fee as unlisted."""
    today = today or clock.today()
    if not filing.invoice:
        raise InvalidInput(N_("Attach the invoice."), field="invoice")
    if len(filing.invoice) > max_bytes:
        raise InvalidInput(N_("The invoice is larger than {mb} MB."), mb=max_bytes // (1024 * 1024), field="invoice")
    invoice_type = detect_type(filing.invoice)
    if invoice_type is None:
        raise InvalidInput(N_("The invoice must be a PDF, JPEG or PNG file."), field="invoice")
    if filing.charged_on > today:
        raise InvalidInput(N_("The date charged cannot be in the future."))
    operator = get_operator(filing.operator_id)
    # Counted and checked in one atomic step in the shared store, per client address and per contact: of twenty
    # filings sent at once, exactly `limit` pass. A filing counted here and then refused still counts.
    keys = rate_keys(filing.remote_addr, filing.contact_phone, filing.contact_email)
    if not counters.take(_limit(limit, window), "complaint", keys):
        raise TooManyFilings(N_("Too many complaints from you in the last hour. Please try again later."))
    version, lines = lines_charged_on(operator, filing.charged_on)
    index = NameIndex(govlist.reference())
    line = _charged_line(filing, lines, index)
    quantity = filing.quantity or Decimal(1)
    posted = posted_price(line) if line is not None else None
    comparable = line is not None and posted is not None and currency_or_none(line.currency) == filing.currency
    name = line.name if line is not None else filing.fee_name.strip()
    complaint = Complaint(
        reference=_reference(today.year),
        operator=operator,
        version_id=version.id if version else None,
        fee_line_id=line.id if line else None,
        fee_name=name[:200],
        fee_key=index.canonical(name)[:_KEY_LENGTH],
        unlisted=line is None,
        charged_on=filing.charged_on,
        amount_charged=filing.amount,
        currency=filing.currency,
        quantity=quantity,
        unit=filing.unit.strip(),
        posted_amount=posted,
        excess=excess_of(filing.amount, posted, quantity) if comparable else None,
        description=filing.description.strip(),
        contact_name=filing.contact_name.strip(),
        contact_phone=filing.contact_phone.strip(),
        contact_email=filing.contact_email.strip(),
        invoice=filing.invoice,
        invoice_type=invoice_type,
        invoice_size=len(filing.invoice),
        status=ComplaintStatus.NEW,
        due_on=add_working_days(today, DUE_WORKING_DAYS, holidays),
    )
    db.session.add(complaint)
    complaint.events.append(ComplaintEvent(kind=EventKind.FILED, status=ComplaintStatus.NEW))
    db.session.flush()
    record(
        None,
        "complaint.file",
        "complaint",
        complaint.id,
        operator_id=operator.id,
        after={
            "reference": complaint.reference,
            "fee": complaint.fee_name,
            "unlisted": complaint.unlisted,
            "excess": None if complaint.excess is None else str(complaint.excess),
        },
    )
    db.session.commit()
    return complaint


def by_reference(reference: str) -> Complaint:
    """The complaint just filed, for its confirmation page (the reference comes from the filer's signed session)."""
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    if complaint is None:
        raise NotFound(N_("No such complaint."))
    return complaint


def lookup(reference: str, contact: str) -> Complaint | None:
    """The complaint with this reference, only if `contact` is the phone or e-mail given (compared in constant time)."""
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference.strip().upper()))
    given = normalise_contact(contact).encode()
    stored = (complaint.contact_phone, complaint.contact_email) if complaint is not None else ("", "")
    matched = False
    for value in stored:
        key = normalise_contact(value).encode()
        matched |= hmac.compare_digest(key, given) and bool(key)
    return complaint if complaint is not None and matched else None


def outcomes() -> list[Outcome]:
    decided = db.session.scalars(
        select(Complaint)
        .where(Complaint.status == ComplaintStatus.DECIDED)
        .order_by(Complaint.decided_at.desc(), Complaint.id.desc())
    ).all()
    return [
        Outcome(
            operator_name_zh=c.operator.name_zh,
            operator_name_en=c.operator.name_en,
            fee_name=c.fee_name,
            unlisted=c.unlisted,
            decision=c.decision,
            decided_at=c.decided_at or c.filed_at,
            summary=c.outcome_summary,
        )
        for c in decided
        if c.decision is not None
    ]
