"""rate-deviation: a government-list fee off its official rate: not the fixed rate, above the cap, or marked up.
A standard written as a cap (最高99元, 不超过99元) is judged by the most it charges (money.capped_amount).

Every line naming an in-force government row is checked, whatever class it states (a wrong class is a separate
finding, misclassified).

Basis: 《港口收费计费办法》 交水规〔2019〕2号 (政府定价 items at the set rate, 政府指导价 items not above it; agents
collecting 货物港务费 and 港口设施保安费 may not mark them up); 《关于减并港口收费等有关事项的通知》 (2022).
A row's own basis is cited when it has one. Amounts are compared as exact Decimals and never converted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from portal.validation.conditions import compatible, judged
from portal.validation.context import Context, ParsedLine
from portal.validation.findings import N_, Finding
from portal.validation.model import GovItem, PricingClass, RateKind, Severity
from portal.validation.money import capped_amount, display_amount, standard_amounts

CODE = "rate-deviation"
SEVERITY = Severity.ERROR  # a warning instead when the finding rests only on unverified rates (see _judge)
BASIS = "交水规〔2019〕2号; 《关于减并港口收费等有关事项的通知》(2022)"

FIXED = N_("{item} is a government-priced fee; the official rate is {expected} {unit}, the list says {actual}.")
FIXED_FOR_CONDITIONS = N_(
    "{item} is a government-priced fee; the official rate for {conditions} is {expected} {unit}, "
    "the list says {actual}."
)
CAP = N_("{item} is government-guided and may not exceed {expected} {unit}; the list says {actual}.")
MARK_UP = N_(
    "{item} is collected on behalf of the authority and may not be marked up: the official rate is {expected} {unit}, "
    "the list says {actual}."
)
UNVERIFIED = N_(
    "Note: this official rate is derived or historical and not yet verified against the issuing body's text; "
    "confirm it with the bureau."
)
UNVERIFIED_ONLY = N_(
    "This is a warning, not an error, because it rests only on an official rate that is not yet verified against "
    "the issuing body's text; once the bureau verifies the rate, it blocks the submission."
)
CURRENCY = N_(
    "{item} is charged in {currency}, but its official rate is set in {expected_currency}; amounts in different "
    "currencies are not converted, so state it in {expected_currency}."
)


def _kind(row: GovItem) -> RateKind:
    if row.rate_kind is not None:
        return row.rate_kind
    return RateKind.CAP if row.pricing_class is PricingClass.GOV_GUIDED else RateKind.FIXED


def _expected(rates: set[Decimal]) -> str:
    return " / ".join(display_amount(rate) for rate in sorted(rates))


def _judge(parsed: ParsedLine, rows: list[GovItem], amounts: tuple[Decimal, ...]) -> Finding | None:
    """The finding the rates of `rows` give: an error when the verified rates alone give it too; a warning that
    says why when it rests only on unverified ones (a derived or historical rate must not block a submission)."""
    finding = _deviation(parsed, rows, amounts)
    if finding is None:
        return None
    verified = [row for row in rows if row.verified]
    if len(verified) == len(rows) or (verified and _deviation(parsed, verified, amounts) is not None):
        return finding
    warning = replace(finding, severity=Severity.WARNING, notes=(UNVERIFIED, UNVERIFIED_ONLY))
    return parsed.placement.place(warning, parsed.position)  # a new finding: placed at its line as the first was


def _deviation(parsed: ParsedLine, rows: list[GovItem], amounts: tuple[Decimal, ...]) -> Finding | None:
    fixed = {row.rate for row in rows if row.rate is not None and _kind(row) is RateKind.FIXED}
    caps = {row.rate for row in rows if row.rate is not None and _kind(row) is RateKind.CAP}
    basis = next((row.basis for row in rows if row.basis), BASIS)
    conditions = parsed.line.conditions.strip()
    params = {"unit": rows[0].unit, "actual": parsed.line.standard.strip(), "conditions": conditions}
    notes = (UNVERIFIED,) if any(not row.verified for row in rows) else ()
    highest = max(amounts)
    if fixed and not set(amounts) <= fixed:
        message = FIXED_FOR_CONDITIONS if conditions else FIXED
        if parsed.pass_through and highest > max(fixed):
            message = MARK_UP
        return parsed.finding(
            CODE, SEVERITY, message, "standard", basis, notes=notes, expected=_expected(fixed), **params
        )
    if not fixed and caps and highest > max(caps):
        message = MARK_UP if parsed.pass_through else CAP
        return parsed.finding(
            CODE, SEVERITY, message, "standard", basis, notes=notes, expected=_expected({max(caps)}), **params
        )
    return None


def check(ctx: Context) -> Iterator[Finding]:
    applicable: dict[tuple[str, tuple[str | None, ...]], list[GovItem]] = {}
    for parsed in ctx.lines:
        if not parsed.gov_in_force or parsed.currency is None:
            continue
        amounts = standard_amounts(parsed.standard)
        if not amounts:  # text: a cap (不超过99元) is not the price, but never more than 99
            cap = capped_amount(parsed.line.standard)
            amounts = () if cap is None else (cap,)
        if not amounts or any(amount < 0 for amount in amounts):
            continue
        key = (parsed.line.name, judged(parsed.conditions))  # the rows depend on the name and these conditions
        rows = applicable.get(key)
        if rows is None:
            rows = applicable[key] = [
                row
                for row in parsed.gov_in_force
                if row.rate is not None and compatible(parsed.conditions, row.conditions)
            ]
        if not rows:
            continue
        same_currency = [row for row in rows if row.currency == parsed.currency]
        if not same_currency:
            expected_currency = rows[0].currency
            basis = rows[0].basis or BASIS
            params = {"currency": parsed.currency, "expected_currency": expected_currency}
            yield parsed.finding(CODE, SEVERITY, CURRENCY, "currency", basis, **params)
            continue
        finding = _judge(parsed, same_currency, amounts)
        if finding is not None:
            yield finding
