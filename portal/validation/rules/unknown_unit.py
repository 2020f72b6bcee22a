"""unknown-unit: a charging unit the format does not recognise, even after normalisation.

Basis: 穗商务规字〔2021〕4号 附件2 (计费单位 column); 《明码标价和禁止价格欺诈规定》 (市场监管总局令第56号).
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity
from portal.validation.units import is_known, with_currency

CODE = "unknown-unit"
SEVERITY = Severity.WARNING
BASIS = "穗商务规字〔2021〕4号 附件2"

UNKNOWN = N_("The unit of {item}, {value}, is not a recognised charging unit (e.g. 元/箱, 元/票, 元/吨).")
NO_CURRENCY = N_(
    "The unit of {item}, {value}, names no currency; write it with the currency in front, as the format does: "
    "{suggested}."
)


def check(ctx: Context) -> Iterator[Finding]:
    if not any(_unknown(unit) for unit in ctx.distinct("line.unit")):
        return  # most lists: every unit known, each judged once
    for parsed in ctx.lines:
        unit = parsed.line.unit.strip()
        if _unknown(unit):
            suggested = with_currency(unit, parsed.currency)
            if suggested is not None:
                yield parsed.finding(CODE, SEVERITY, NO_CURRENCY, "unit", BASIS, value=unit, suggested=suggested)
            else:
                yield parsed.finding(CODE, SEVERITY, UNKNOWN, "unit", BASIS, value=unit)


def _unknown(written: str) -> bool:
    unit = written.strip()
    return bool(unit) and not is_known(unit)
