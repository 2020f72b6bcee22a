"""invalid-value: a value that is present but cannot be right (an unreadable or negative amount, an unknown class ...).

Basis: 穗商务规字〔2021〕4号 附件2 (the prescribed columns and their values); GB 32100-2015 (the credit code's
check character).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

from portal.validation.choices import (
    OTHER,
    currencies_named,
    parse_change_mark,
    parse_currency,
    parse_flag,
    parse_pricing_class,
)
from portal.validation.context import Context, ParsedLine
from portal.validation.credit_code import is_valid
from portal.validation.dates import is_date
from portal.validation.findings import N_, Finding
from portal.validation.model import KIND_EMPTY, KIND_FIXED, KIND_RANGE, KIND_TEXT, Severity, Standard
from portal.validation.money import standard_amounts, standard_error, written_unit
from portal.validation.units import per_of, unit_currency

CODE = "invalid-value"
SEVERITY = Severity.ERROR
BASIS = "穗商务规字〔2021〕4号 附件2"
CREDIT_CODE_BASIS = "GB 32100-2015"

AMOUNT_MESSAGES = {
    "not-a-number": N_("The standard of {item}, {value}, is not a number that can be read."),
    "exponent": N_("The standard of {item}, {value}, uses exponent notation; write the amount in full."),
    "too-many-places": N_("The standard of {item}, {value}, has more than 4 decimal places."),
    "separators": N_("The standard of {item}, {value}, has misplaced thousands separators; write e.g. 1,200.00."),
    "spaced": N_(
        "The standard of {item}, {value}, has digits on both sides of a space or a line break, so it cannot be read "
        "as one amount (100 200 is not 100200). Write one amount, a range (100-200) or tiers; prices for two box "
        "sizes go on two lines, each with its size in 适用条件 (conditions)."
    ),
    "comma": N_(
        "The standard of {item}, {value}, has a Chinese comma (，) between digits, so it cannot be read as one amount: "
        "it may be two prices, or one with a thousands separator. Write one amount without separators (1200), a "
        "range (100-200) or tiers; prices for two box sizes go on two lines, each with its size in 适用条件."
    ),
    "full-stop": N_(
        "The standard of {item}, {value}, has a Chinese full stop (。) between digits, so it cannot be read as an "
        "amount. If it is a decimal point, write it with a half-width point (100.00)."
    ),
}
UNIT_CONFLICT = N_(
    "The standard of {item}, {value}, is a price per {written}, but its 计费单位 (unit) is {unit}: the list would "
    "publish and charge it per {unit}. Make the two agree: write the unit the price is charged by in both."
)
NEGATIVE = N_("The standard of {item}, {value}, is negative; a fee cannot be below zero.")
REVERSED = N_("The standard of {item}, {value}, is a range whose lower end is above its upper end.")
PRICING_CLASS = N_(
    "The pricing class of {item}, {value}, is not one of 行政事业性收费, 政府性基金, 政府定价, 政府指导价, 市场调节价."
)
CURRENCY = N_("The currency of {item}, {value}, is not accepted; write CNY (人民币) or USD, or leave it blank for CNY.")
CURRENCY_IN_STANDARD = N_(
    "The standard of {item}, {value}, is written in {named}, but the line's currency is {currency} (a blank 币种 "
    "means CNY). Write {named} in its 币种 column, or the standard in {currency}."
)
OTHER_CURRENCY_IN_STANDARD = N_(
    "The standard of {item}, {value}, is written in a currency that is not accepted; write it in CNY (人民币) or USD."
)
PASS_THROUGH = N_("The pass-through value of {item}, {value}, must be 是 or 否 (Y or N).")
CHANGE_MARK = N_("The change mark of {item}, {value}, must be one of A, D, I, R, C or blank.")
CREDIT_CODE = N_(
    "The unified social credit code {value} is not valid: it needs 18 characters of the GB 32100-2015 set "
    "and a matching check character."
)
DATE = N_("The date {value} cannot be read; write it as 2026-01-01.")
DATE_STANDARD = N_(
    "The standard of {item}, {value}, is a date, not a price. A spreadsheet turns a price into a date when its cell "
    "is formatted as one: give the cell a number or text format and write the price."
)

_LINE_CHOICES = (
    ("pricing_class", parse_pricing_class, PRICING_CLASS),
    ("currency", parse_currency, CURRENCY),
    ("pass_through", parse_flag, PASS_THROUGH),
    ("change_mark", parse_change_mark, CHANGE_MARK),
)


def _plain(standard: Standard) -> bool:
    """Most lines: no standard, or one amount, not negative."""
    kind = standard.kind
    return kind is KIND_EMPTY or (kind is KIND_FIXED and standard.amount is not None and standard.amount >= 0)


def _standard(parsed: ParsedLine) -> Iterator[Finding]:
    standard = parsed.standard
    if _plain(standard):
        return
    value = parsed.line.standard.strip()
    if is_date(value):  # 2026-01-01 read as tiers (2026 to 1 at -1) was called negative
        yield parsed.finding(CODE, SEVERITY, DATE_STANDARD, "standard", BASIS, value=value)
    elif standard.kind is KIND_TEXT:
        error = standard_error(parsed.line.standard)
        if error is not None:
            yield parsed.finding(CODE, SEVERITY, AMOUNT_MESSAGES[error.code], "standard", BASIS, value=value)
    elif any(amount < 0 for amount in standard_amounts(standard)):
        yield parsed.finding(CODE, SEVERITY, NEGATIVE, "standard", BASIS, value=value)
    elif standard.kind is KIND_RANGE and standard.amount_max is not None and standard.amount is not None:
        if standard.amount > standard.amount_max:
            yield parsed.finding(CODE, SEVERITY, REVERSED, "standard", BASIS, value=value)


def _per(standard: Standard) -> str | None:
    """What a fixed or ranged standard's own unit charges per (100元/票: 票), None when it writes none."""
    if standard.kind is not KIND_FIXED and standard.kind is not KIND_RANGE:
        return None
    written = written_unit(standard.text)
    return per_of(written) if written else None


def _as_unit(standard: str, named: frozenset[str], currency: str | None) -> str:
    """The unit a price writes, as a unit column writes it, in the currency the price names or else the line's: USD
    60/TEU is a price per USD/TEU, not per /TEU."""
    written = written_unit(standard) or ""  # never None: only a standard that writes its unit is judged so
    if not written.startswith("/"):
        return written
    in_dollars = named == {"USD"} or (not named and currency == "USD")
    return f"{unit_currency('USD' if in_dollars else None)}{written}"  # not in dollars: 元


def _currency_finding(parsed: ParsedLine, named: str) -> Finding:
    """The standard's text is written in `named` (OTHER: a currency not accepted), not in the line's currency; a
    text naming the line's currency among others (50美元或350元 on a USD line) is not reported."""
    value = parsed.line.standard.strip()
    if named == OTHER:
        return parsed.finding(CODE, SEVERITY, OTHER_CURRENCY_IN_STANDARD, "standard", BASIS, value=value)
    currency = parsed.currency
    return parsed.finding(
        CODE, SEVERITY, CURRENCY_IN_STANDARD, "standard", BASIS, value=value, named=named, currency=currency
    )


def check(ctx: Context) -> Iterator[Finding]:
    header = ctx.header
    if header.credit_code.strip() and not is_valid(header.credit_code):
        yield ctx.header_finding(
            CODE, SEVERITY, CREDIT_CODE, "credit_code", CREDIT_CODE_BASIS, value=header.credit_code.strip()
        )
    for field in ("effective_date", "updated_date"):
        text = getattr(header, field).strip()
        if text and not is_date(text):
            yield ctx.header_finding(CODE, SEVERITY, DATE, field, BASIS, value=text)
    wrong: dict[tuple[str, ...], tuple[str, ...]] = {}  # the choice values as written -> the fields they fail
    # id(standard) -> (_plain(standard), the currencies its text names, what the unit it writes charges per): lines
    # repeat their standards (one object each)
    judged: dict[int, tuple[bool, frozenset[str], str | None]] = {}
    for parsed in ctx.lines:
        line = parsed.line
        standard = parsed.standard
        facts = judged.get(id(standard))
        if facts is None:
            facts = judged[id(standard)] = (_plain(standard), currencies_named(line.standard), _per(standard))
        fine, named, per = facts
        if not fine:
            yield from _standard(parsed)
        if per is not None and per_of(line.unit) not in (per, None):
            value, unit, own = line.standard.strip(), line.unit.strip(), _as_unit(line.standard, named, parsed.currency)
            yield parsed.finding(CODE, SEVERITY, UNIT_CONFLICT, "unit", BASIS, value=value, written=own, unit=unit)
        if named and parsed.currency is not None and (OTHER in named or parsed.currency not in named):
            yield _currency_finding(parsed, OTHER if OTHER in named else min(named))
        written = _WRITTEN(line)
        failed = wrong.get(written)
        if failed is None:
            failed = wrong[written] = _wrong_choices(written)
        for field in failed:
            text = getattr(line, field)
            if field == "effective_date":
                yield parsed.finding(CODE, SEVERITY, DATE, field, BASIS, value=text.strip())
            else:
                yield parsed.finding(CODE, SEVERITY, _CHOICE_MESSAGES[field], field, BASIS, value=text.strip())


_CHOICE_MESSAGES = {field: message for field, _, message in _LINE_CHOICES}
_WRITTEN = operator.attrgetter("pricing_class", "currency", "pass_through", "change_mark", "effective_date")


def _wrong_choices(written: tuple[str, ...]) -> tuple[str, ...]:
    """The fields among (pricing class, currency, pass-through, change mark, effective date) whose value is wrong,
    in that order: a list repeats these values line after line, so each combination is judged once."""
    failed = []
    for (field, parse, _), text in zip(_LINE_CHOICES, written, strict=False):
        try:
            parse(text)
        except ValueError:
            failed.append(field)
    if written[-1].strip() and not is_date(written[-1]):
        failed.append("effective_date")
    return tuple(failed)
