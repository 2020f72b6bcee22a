"""stale-list: a list not updated, confirmed or re-issued for more than 12 months.

The list's age is measured from the most recent of its updated date, the operator's last confirmation and its
effective date (a list that took effect recently is not stale, whatever its updated date says).

Basis: 穗商务规字〔2021〕4号 (lists are updated in real time when a fee changes).
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.dates import one_year_before
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity

CODE = "stale-list"
SEVERITY = Severity.WARNING
BASIS = "穗商务规字〔2021〕4号"

STALE = N_("The list was last updated on {date}, more than 12 months before {as_of}; confirm or update it.")


def check(ctx: Context) -> Iterator[Finding]:
    known = [d for d in (ctx.updated_date, ctx.last_confirmed, ctx.effective_date) if d is not None]
    latest = max(known, default=None)
    if latest is None or latest >= one_year_before(ctx.as_of):
        return
    field = "updated_date" if ctx.updated_date is not None else "effective_date"
    yield ctx.header_finding(CODE, SEVERITY, STALE, field, BASIS, date=latest.isoformat(), as_of=ctx.as_of.isoformat())
