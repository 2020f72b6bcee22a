"""duplicate-item: the same fee (after normalising names and aliases) listed twice under the same conditions, in the
same currency.

Basis: 《明码标价和禁止价格欺诈规定》 (市场监管总局令第56号): one clear price for each service; 穗商务规字〔2021〕4号.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context, ParsedLine
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity
from portal.validation.names import normalise

CODE = "duplicate-item"
SEVERITY = Severity.ERROR
BASIS = "市场监管总局令第56号; 穗商务规字〔2021〕4号"

AT_ROW = N_("{item} repeats {first}, listed with the same conditions at row {first_row}; list each fee once.")
AT_LINE = N_("{item} repeats {first}, listed with the same conditions as line {first_line}; list each fee once.")


def check(ctx: Context) -> Iterator[Finding]:
    first: dict[tuple[str | None, ...], ParsedLine] = {}
    for parsed in ctx.lines:
        if not parsed.name_key:
            continue
        conditions = parsed.conditions
        # A price in yuan and one in dollars for the same case are two prices, each posted (a shipping line quotes
        # both): not one fee listed twice.
        key = (parsed.name_key, conditions.trade, conditions.container_size, conditions.laden, conditions.cargo,
               conditions.inspection, normalise(conditions.other), parsed.currency)  # fmt: skip
        earlier = first.setdefault(key, parsed)
        if earlier is parsed:
            continue
        name = earlier.line.name.strip()
        if earlier.line.row is not None:
            yield parsed.finding(CODE, SEVERITY, AT_ROW, "name", BASIS, first=name, first_row=earlier.line.row)
        else:
            number = earlier.line.line_no.strip() or str(earlier.position + 1)
            yield parsed.finding(CODE, SEVERITY, AT_LINE, "name", BASIS, first=name, first_line=number)
