"""missing-field: a required header or line value is empty.

Basis: 穗商务规字〔2021〕4号 (every fee's name, service content and standard, in the format of its Attachment 2);
《明码标价和禁止价格欺诈规定》 (市场监管总局令第56号): services show item, content and price or method of pricing.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import KIND_EMPTY, Severity

CODE = "missing-field"
SEVERITY = Severity.ERROR
BASIS = "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号"

HEADER_MESSAGES = {
    "operator_name": N_("The operator's name is missing; write the legal name of the unit that publishes the list."),
    "credit_code": N_("The unified social credit code is missing; write the operator's 18-character code."),
    "port_area": N_("The port area is missing; write the port area the list applies to, e.g. 南沙港区."),
    "effective_date": N_("The effective date is missing; write the date the list takes effect."),
}
LINE_MESSAGES = {
    "name": N_("A fee line has no fee item name; every fee in the list must be named."),
    "service_content": N_("{item} has no service content; describe what the fee pays for."),
    "standard": N_("{item} has no charging standard; write the amount, range, tiers or how it is calculated."),
    "unit": N_("{item} has no charging unit; write the unit, e.g. 元/箱 or 元/票."),
    "pricing_class": N_(
        "{item} has no pricing class; write one of 行政事业性收费, 政府性基金, 政府定价, 政府指导价, 市场调节价."
    ),
}
BASIS_MESSAGE = N_("{item} is {pricing_class} but cites no legal basis; give the document number and article.")


def check(ctx: Context) -> Iterator[Finding]:
    for field, message in HEADER_MESSAGES.items():
        if not getattr(ctx.header, field).strip():
            yield ctx.header_finding(CODE, SEVERITY, message, field, BASIS)
    line_messages = {field: message for field, message in LINE_MESSAGES.items() if field not in ctx.absent_fields}
    text_fields = tuple(field for field in line_messages if field != "standard")
    texts = operator.attrgetter(*text_fields) if len(text_fields) > 1 else None
    basis_read = "basis" not in ctx.absent_fields
    standard_read = "standard" in line_messages
    for parsed in ctx.lines:
        line = parsed.line
        filled = texts is not None and all(map(str.strip, texts(line)))  # most lines: every value there, in C
        if not filled or (standard_read and parsed.standard.kind is KIND_EMPTY):
            for field, message in line_messages.items():
                empty = parsed.standard.kind is KIND_EMPTY if field == "standard" else not getattr(line, field).strip()
                if empty:
                    yield parsed.finding(CODE, SEVERITY, message, field, BASIS)
        if basis_read and parsed.is_class_a and not line.basis.strip():
            yield parsed.finding(CODE, SEVERITY, BASIS_MESSAGE, "basis", BASIS, pricing_class=str(parsed.pricing_class))
