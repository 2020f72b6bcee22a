"""misclassified: a government-list fee shown as market-regulated, or under a pricing class other than its own.

Basis: 《港口收费计费办法》 交水规〔2019〕2号 (the pricing class of each port charge: 政府定价, 政府指导价,
市场调节价); 穗商务规字〔2021〕4号 附件1 (the government list).
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import PricingClass, Severity

CODE = "misclassified"
SEVERITY = Severity.ERROR
BASIS = "交水规〔2019〕2号; 穗商务规字〔2021〕4号 附件1"

MARKET = N_("{item} is on the government list as {expected}; it cannot be listed as 市场调节价.")
OTHER_CLASS = N_("{item} is listed as {actual}, but the government list classes it as {expected}.")


def check(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.lines:
        if parsed.pricing_class is None or not parsed.gov_in_force:
            continue
        classes = [row.pricing_class for row in parsed.gov_in_force]
        if parsed.pricing_class in classes:
            continue
        expected = " / ".join(str(c) for c in dict.fromkeys(classes))
        basis = parsed.gov_in_force[0].basis or BASIS
        if parsed.pricing_class is PricingClass.MARKET:
            yield parsed.finding(CODE, SEVERITY, MARKET, "pricing_class", basis, expected=expected)
        else:
            yield parsed.finding(
                CODE, SEVERITY, OTHER_CLASS, "pricing_class", basis, expected=expected, actual=str(parsed.pricing_class)
            )
