"""not-on-government-list: a Class A line (government-priced, guided, fund or administrative fee) that is on no list.

Basis: 穗商务规字〔2021〕4号 ("no extra fees shall be charged beyond the list"), implementing
《广州市优化营商环境条例》第四十七条.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity

CODE = "not-on-government-list"
SEVERITY = Severity.ERROR
BASIS = "穗商务规字〔2021〕4号; 《广州市优化营商环境条例》第四十七条"

OFF_LIST = N_("{item} is listed as {pricing_class}, but no such item is on the government list in force on {date}.")
OFF_LIST_SUGGESTION = N_(
    "{item} is listed as {pricing_class}, but no such item is on the government list in force on {date}. "
    "Did you mean {suggestion}?"
)


def check(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.lines:
        if not parsed.is_class_a or parsed.gov_in_force or parsed.gov_retired is not None:
            continue
        name = parsed.line.name.strip()
        if not name:
            continue
        params = {"pricing_class": str(parsed.pricing_class), "date": ctx.on.isoformat()}
        suggestion = ctx.index.suggest(name, ctx.on)
        if suggestion is None:
            yield parsed.finding(CODE, SEVERITY, OFF_LIST, "name", BASIS, **params)
        else:
            yield parsed.finding(CODE, SEVERITY, OFF_LIST_SUGGESTION, "name", BASIS, suggestion=suggestion, **params)
