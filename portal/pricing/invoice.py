"""An invoice checked against the posted lists, pure: each charge matched to the operator's list in force on the
day it was charged, and marked when it is not on the list, above the posted standard, or a part of a bundled service
charged again. The excess is exact (Decimal) and totalled per currency.

Rows come as text (typed in a form, or read from a spreadsheet by an adapter); `read_rows` turns them into charges
or located errors (row, column, field), like an upload of a fee list.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.pricing.comparison import names_service, service_keys
from portal.pricing.estimate import Edition, Line, currency_of
from portal.validation.choices import parse_currency
from portal.validation.dates import parse_date
from portal.validation.findings import N_
from portal.validation.model import Bundle, Reference
from portal.validation.money import capped_amount, parse_amount
from portal.validation.names import fee_stem, normalise

MAX_ROWS = 200
MAX_AMOUNT = Decimal("100000000")
MAX_QUANTITY = Decimal("1000000")
MIN_STEM = 2

# Column titles a spreadsheet may use for each field (normalised: no spaces, case folded).
FIELDS = ("operator", "charged_on", "fee_name", "quantity", "amount", "currency")
REQUIRED = ("operator", "charged_on", "fee_name", "amount")
TITLES: dict[str, tuple[str, ...]] = {
    "operator": ("经营单位", "收费单位", "开票单位", "单位名称", "销售方", "operator", "company", "vendor"),
    "charged_on": ("日期", "收费日期", "开票日期", "date", "chargedon", "invoicedate"),
    "fee_name": ("收费项目", "费用名称", "项目名称", "项目", "fee", "feename", "charge", "item"),
    "quantity": ("数量", "quantity", "qty"),
    "amount": ("金额", "收费金额", "价税合计", "amount", "total"),
    "currency": ("币种", "currency"),
}

EMPTY = N_("{field} is empty.")
NOT_A_DATE = N_("{value} is not a date; write it as 2026-11-23.")
FUTURE = N_("{value} is in the future.")
NOT_AN_AMOUNT = N_("{value} is not an amount; write it as 1,800 or 1800.00.")
NOT_POSITIVE = N_("{value} must be above zero.")
TOO_LARGE = N_("{value} is too large.")
NOT_A_CURRENCY = N_("{value} is not a currency; write CNY or USD.")
NO_HEADER = N_(
    "No header row names the columns: the first row should read 经营单位, 日期, 收费项目, 数量, 金额 "
    "(or Operator, Date, Fee, Quantity, Amount)."
)
MISSING_COLUMN = N_("The header row has no column for {field}.")
TOO_MANY_ROWS = N_("The invoice has more than {limit} charges; check it in parts.")
NO_ROWS = N_("No charge was entered.")


class Mark(enum.StrEnum):
    LISTED = "listed"  # on the list, at or below the posted standard
    UNPRICED = "unpriced"  # on the list, but its standard is not a figure to compare with
    NOT_LISTED = "not_listed"
    ABOVE = "above"
    BUNDLED = "bundled"
    UNKNOWN_OPERATOR = "unknown_operator"
    NO_LIST = "no_list"  # the operator had no list in force that day


FLAGGED = frozenset({Mark.NOT_LISTED, Mark.ABOVE, Mark.BUNDLED})


@dataclass(frozen=True)
class RowError:
    """A located problem with one row: `row` as the visitor sees it, the column letter (a file) and the field."""

    row: int
    column: str
    field: str
    message: str  # msgid
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Charge:
    row: int
    operator: str
    charged_on: date
    fee_name: str
    quantity: Decimal
    amount: Decimal
    currency: str = "CNY"


@dataclass(frozen=True)
class Checked:
    charge: Charge
    mark: Mark
    edition: Edition | None = None
    line: Line | None = None  # the posted line allowing the most, for a listed fee
    allowed: Decimal | None = None  # the most the list allows for the quantity
    excess: Decimal = Decimal(0)
    bundle: str = ""  # the bundled service a component belongs to

    @property
    def flagged(self) -> bool:
        return self.mark in FLAGGED


@dataclass(frozen=True)
class Result:
    checked: tuple[Checked, ...]

    @property
    def totals(self) -> tuple[tuple[str, Decimal], ...]:
        """The excess per currency (CNY first), only where there is one."""
        sums: dict[str, Decimal] = {}
        for item in self.checked:
            if item.excess > 0:
                sums[item.charge.currency] = sums.get(item.charge.currency, Decimal(0)) + item.excess
        return tuple(sorted(sums.items(), key=lambda pair: (pair[0] != "CNY", pair[0])))

    @property
    def flagged(self) -> tuple[Checked, ...]:
        return tuple(item for item in self.checked if item.flagged)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_columns(cells: Sequence[str]) -> dict[str, int]:
    """Field -> column index, from a header row's titles; empty when the row names fewer than two fields."""
    found: dict[str, int] = {}
    for index, text in enumerate(cells):
        key = normalise(str(text or "")).strip("*:：")
        for name, titles in TITLES.items():
            if name not in found and key in titles:
                found[name] = index
    return found if len(found) >= 2 else {}


def _cell(values: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(values):
        return ""
    return str(values[index] or "").strip()


def read_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    columns: Mapping[str, int],
    today: date,
    *,
    letters: bool = True,
) -> tuple[list[Charge], list[RowError]]:
    """Charges from (row number, cells) pairs read through `columns`; every bad cell reported where it is.

    Blank rows are skipped. `letters` gives column letters in the errors (a file); a form gives none.
    """
    charges: list[Charge] = []
    errors: list[RowError] = []
    for number, values in rows:
        if not any(str(v or "").strip() for v in values):
            continue
        if len(charges) + len({e.row for e in errors}) >= MAX_ROWS:
            errors.append(RowError(number, "", "", TOO_MANY_ROWS, {"limit": MAX_ROWS}))
            break
        found: dict[str, object] = {}
        bad = False

        def fail(name: str, message: str, row: int = number, **params: object) -> None:
            nonlocal bad
            bad = True
            index = columns.get(name)
            letter = column_letter(index) if letters and index is not None else ""
            errors.append(RowError(row, letter, name, message, params))

        for name in REQUIRED:
            if not _cell(values, columns.get(name)):
                fail(name, EMPTY, field=name)
        text = _cell(values, columns.get("charged_on"))
        if text:
            try:
                day = parse_date(text.split(" ")[0].split("T")[0])
            except ValueError:
                fail("charged_on", NOT_A_DATE, value=text)
            else:
                if day > today:
                    fail("charged_on", FUTURE, value=text)
                found["charged_on"] = day
        for name, limit in (("amount", MAX_AMOUNT), ("quantity", MAX_QUANTITY)):
            text = _cell(values, columns.get(name))
            if not text:
                continue
            try:
                value = parse_amount(text)
            except ValueError:
                fail(name, NOT_AN_AMOUNT, value=text)
                continue
            if value <= 0:
                fail(name, NOT_POSITIVE, value=text)
            elif value > limit:
                fail(name, TOO_LARGE, value=text)
            found[name] = value
        currency = "CNY"
        text = _cell(values, columns.get("currency"))
        if text:
            try:
                currency = parse_currency(text)
            except ValueError:
                fail("currency", NOT_A_CURRENCY, value=text)
        if not bad:
            charges.append(
                Charge(
                    row=number,
                    operator=_cell(values, columns.get("operator")),
                    charged_on=found["charged_on"],  # type: ignore[arg-type]
                    fee_name=_cell(values, columns.get("fee_name")),
                    quantity=found.get("quantity", Decimal(1)),  # type: ignore[arg-type]
                    amount=found["amount"],  # type: ignore[arg-type]
                    currency=currency,
                )
            )
    if not charges and not errors:
        errors.append(RowError(0, "", "", NO_ROWS))
    return charges, errors


def _stems(bundle: Bundle, on: date) -> set[str]:
    stems = set()
    for component in bundle.components_on(on):
        for written in (component.name_zh, component.name_en, *component.aliases):
            stem = fee_stem(normalise(written))
            if len(stem) >= MIN_STEM:
                stems.add(stem)
    return stems


def _bundle_of(charge: Charge, bundles: Iterable[Bundle]) -> Bundle | None:
    stem = fee_stem(normalise(charge.fee_name))
    return next((b for b in bundles if stem in _stems(b, charge.charged_on)), None)


def _charges_bundle(bundle: Bundle, names: Iterable[str], keys_of: Callable[[str], frozenset[str]]) -> bool:
    keys = keys_of(bundle.name_zh)
    return any(names_service(normalise(name), keys) or bool(keys_of(name) & keys) for name in names)


def _most(line: Line) -> Decimal | None:
    """The most a line allows per unit: its amount, a range's top, or a cap's amount (最高99元); None without one."""
    if line.standard_kind in ("fixed", "range") and line.amount is not None:
        return line.amount_max if line.amount_max is not None else line.amount
    return capped_amount(line.standard) if line.standard_kind == "text" else None


def _per_unit_most(lines: Sequence[Line], currency: str) -> tuple[Line, Decimal] | None:
    """The line allowing the most per unit, in the charge's currency, among those with a figure."""
    priced = [(line, most) for line in lines if currency_of(line) == currency and (most := _most(line)) is not None]
    return max(priced, key=lambda pair: pair[1], default=None)


def check(
    charges: Sequence[Charge],
    edition_for: Callable[[Charge], Edition | None | bool],  # False: no such operator
    reference: Reference,
) -> Result:
    """Each charge against the list of its operator in force on its day.

    `edition_for` gives the edition in force, None when the operator had none that day, or False when the operator
    is not known. A bundle counts as charged when the invoice bills it (same operator and day) or the list holds it.
    """
    known: dict[str, frozenset[str]] = {}

    def keys_of(name: str) -> frozenset[str]:
        if name not in known:
            known[name] = service_keys(name, reference)
        return known[name]

    checked = []
    for charge in charges:
        edition = edition_for(charge)
        if edition is False:
            checked.append(Checked(charge, Mark.UNKNOWN_OPERATOR))
            continue
        if edition is None or edition is True:
            checked.append(Checked(charge, Mark.NO_LIST))
            continue
        same_bill = [c.fee_name for c in charges if c.operator == charge.operator and c.charged_on == charge.charged_on]
        listed_names = [line.name for line in edition.lines]
        bundles = [
            b
            for b in reference.bundles
            if b.in_effect(charge.charged_on)
            and not keys_of(charge.fee_name) & keys_of(b.name_zh)
            and _charges_bundle(b, [*same_bill, *listed_names], keys_of)
        ]
        bundle = _bundle_of(charge, bundles)
        if bundle is not None:
            checked.append(Checked(charge, Mark.BUNDLED, edition, excess=charge.amount, bundle=bundle.name_zh))
            continue
        keys = keys_of(charge.fee_name)
        lines = [line for line in edition.lines if names_service(line.name_key, keys)]
        if not lines:
            checked.append(Checked(charge, Mark.NOT_LISTED, edition, excess=charge.amount))
            continue
        most = _per_unit_most(lines, charge.currency)
        if most is None:
            checked.append(Checked(charge, Mark.UNPRICED, edition, lines[0]))
            continue
        line, per_unit = most
        allowed = per_unit * charge.quantity
        if charge.amount > allowed:
            checked.append(Checked(charge, Mark.ABOVE, edition, line, allowed, charge.amount - allowed))
        else:
            checked.append(Checked(charge, Mark.LISTED, edition, line, allowed))
    return Result(tuple(checked))
