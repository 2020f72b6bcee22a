"""abolished-fee: a line charging a fee that was abolished, or folded into a bundle and no longer separately chargeable.

Basis: 财政部 announcement of 2021 (港口建设费 abolished from 2021-01-01); 交水发〔2018〕77号 (驳船取送费 and 特殊平舱费
only inside 港口作业包干费 from 2018-06-20); 《关于减并港口收费等有关事项的通知》 (港口设施保安费 a sub-item of
港口作业包干费 from 2022-04-01). The government row's own basis is cited.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import GovStatus, Severity

CODE = "abolished-fee"
SEVERITY = Severity.ERROR
BASIS = "财政部公告(2021); 交水发〔2018〕77号; 《关于减并港口收费等有关事项的通知》(2022)"

ABOLISHED = N_("{item} was abolished on {since} ({basis}) and may no longer be charged.")
ABOLISHED_UNDATED = N_("{item} has been abolished ({basis}) and may no longer be charged.")
FOLDED = N_("{item} may no longer be charged as a separate fee since {since}: it is part of {bundle} ({basis}).")
FOLDED_UNDATED = N_("{item} may no longer be charged as a separate fee: it is part of {bundle} ({basis}).")


def check(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.lines:
        row = parsed.gov_retired
        if row is None:
            continue
        basis = row.basis or BASIS
        params: dict[str, object] = {"basis": basis}
        if row.effective_from is not None:
            params["since"] = row.effective_from.isoformat()
        if row.status is GovStatus.FOLDED:
            bundle = ctx.bundle_names.get(row.folded_into or "", row.folded_into or "")
            message = FOLDED if "since" in params else FOLDED_UNDATED
            params["bundle"] = bundle
        else:
            message = ABOLISHED if "since" in params else ABOLISHED_UNDATED
        yield parsed.finding(CODE, SEVERITY, message, "name", basis, **params)
