"""The invoice check, database side: an uploaded invoice read (csv or xlsx, bounded), operators found by name or
credit code, each charge's list in force looked up, and the evidence a complaint is prefilled with.

Nothing is stored: the charges live in the request that checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import func, or_, select

from portal.catalogue.models import FeeLineRecord
from portal.errors import InvalidInput
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator
from portal.pricing import invoice as pure
from portal.pricing.invoice import Charge, Checked, Mark, Result, RowError
from portal.publishing import snapshot
from portal.publishing.snapshot import PublishedEdition
from portal.validation.findings import N_
from portal.validation.money import display_amount
from portal.web.messages import translated
from portal.workbook import tables
from portal.workbook.guard import GuardLimits
from portal.workbook.refusals import UploadRefused

MAX_BYTES = 512 * 1024
MAX_COLUMNS = 20
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may come before it)
LIMITS = GuardLimits(
    max_bytes=MAX_BYTES, max_uncompressed=8 * MAX_BYTES, max_entries=100, max_cells=(pure.MAX_ROWS + 20) * 50
)
TOO_BIG = N_("The file is larger than {size} KB; an invoice's charges fit in far less.")
NOT_A_TABLE = N_("The file could not be read. Upload an Excel workbook (.xlsx) or a CSV file.")


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells as text)
    columns: dict[str, int]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value).strip()


def _cells_of(data: bytes, filename: str, max_bytes: int) -> list[list[str]]:
    if len(data) > max_bytes:
        raise InvalidInput(TOO_BIG, size=max(1, max_bytes // 1024))
    try:
        if tables.is_csv(filename):
            rows = tables.csv_rows(data, pure.MAX_ROWS + HEADER_ROWS)
            return [[cell.strip() for cell in row[:MAX_COLUMNS]] for row in rows]
        cells = tables.first_sheet_values(data, filename, LIMITS)
    except UploadRefused as error:
        if error.code in ("unreadable", "encoding"):
            raise InvalidInput(NOT_A_TABLE) from error
        raise InvalidInput(error.message, **error.params) from error
    return [[_text(v) for v in row[:MAX_COLUMNS]] for row in cells[: pure.MAX_ROWS + HEADER_ROWS + 1]]


def read_upload(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> Sheet:
    """The invoice's rows under its header row; InvalidInput when the file is too big, unreadable or has no header."""
    cells = _cells_of(data, filename, max_bytes)
    for index, row in enumerate(cells[:HEADER_ROWS]):
        columns = pure.header_columns(row)
        if columns:
            missing = [name for name in pure.REQUIRED if name not in columns]
            if missing:
                raise InvalidInput(pure.MISSING_COLUMN, field=field_label(missing[0]))
            body = [(number, row) for number, row in enumerate(cells[index + 1 :], start=index + 2)]
            return Sheet(body, columns)
    raise InvalidInput(pure.NO_HEADER)


def field_label(name: str) -> str:
    labels = {
        "operator": gettext("Operator"),
        "charged_on": gettext("Date charged"),
        "fee_name": gettext("Fee item"),
        "quantity": gettext("Quantity"),
        "amount": gettext("Amount charged"),
        "currency": gettext("Currency"),
    }
    return labels.get(name, name)


def error_text(error: RowError) -> str:
    params = {**error.params}
    if "field" in params:
        params["field"] = field_label(str(params["field"]))
    return translated(error.message, params)


def find_operator(written: str) -> Operator | None:
    """The operator a written name or credit code means: exactly, or the only one whose name holds it."""
    text = written.strip()
    if not text:
        return None
    exact = db.session.scalar(
        select(Operator).where(
            or_(
                Operator.credit_code == text.upper(),
                Operator.name_zh == text,
                func.lower(Operator.name_en) == text.casefold(),
            )
        )
    )
    if exact is not None:
        return exact
    if len(text) < 2:
        return None
    found = db.session.scalars(
        select(Operator)
        .where(
            or_(
                Operator.name_zh.contains(text, autoescape=True),
                func.lower(Operator.name_en).contains(text.casefold(), autoescape=True),
            )
        )
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def check(charges: Sequence[Charge]) -> Result:
    """Each charge against its operator's list in force on its day (each pair looked up once)."""
    operators: dict[str, Operator | None] = {}
    editions: dict[tuple[int, date], PublishedEdition | None] = {}

    def edition_for(charge: Charge) -> PublishedEdition | None | bool:
        if charge.operator not in operators:
            operators[charge.operator] = find_operator(charge.operator)
        operator = operators[charge.operator]
        if operator is None:
            return False
        key = (operator.id, charge.charged_on)
        if key not in editions:
            found = snapshot.in_force(charge.charged_on, operator_ids=[operator.id])
            editions[key] = found[0] if found else None
        return editions[key]

    return pure.check(charges, edition_for, govlist.reference())


def operator_of(item: Checked) -> Operator | None:
    return find_operator(item.charge.operator)


def line_id(item: Checked) -> int | None:
    """The stored id of the posted line a charge was matched to (for the complaint form's choice of fee)."""
    if item.edition is None or item.line is None:
        return None
    version_id = getattr(item.edition, "version_id", None)
    return db.session.scalar(
        select(FeeLineRecord.id).where(
            FeeLineRecord.version_id == version_id, FeeLineRecord.position == item.line.position
        )
    )


def evidence(item: Checked) -> str:
    """What the check found about one charge, in the visitor's language, for the complaint's description."""
    charge = item.charge
    parts = [
        gettext(
            "Invoice check: %(fee)s charged on %(date)s, quantity %(quantity)s, amount %(amount)s %(currency)s.",
            fee=charge.fee_name,
            date=charge.charged_on.isoformat(),
            quantity=display_amount(charge.quantity),
            amount=display_amount(charge.amount),
            currency=charge.currency,
        )
    ]
    code = getattr(item.edition, "edition_code", "")
    if item.mark is Mark.NOT_LISTED:
        parts.append(gettext("The fee is not on the operator's list in force that day (%(edition)s).", edition=code))
    elif item.mark is Mark.ABOVE and item.line is not None and item.allowed is not None:
        parts.append(
            gettext(
                "The list in force that day (%(edition)s) posts at most %(allowed)s for this quantity "
                "(%(standard)s %(unit)s); %(excess)s more was charged.",
                edition=code,
                allowed=display_amount(item.allowed),
                standard=item.line.standard,
                unit=item.line.unit,
                excess=display_amount(item.excess),
            )
        )
    elif item.mark is Mark.BUNDLED:
        parts.append(
            gettext(
                "It is a part of %(bundle)s, which the operator already charges; it may not be charged again.",
                bundle=item.bundle,
            )
        )
    return " ".join(parts)
