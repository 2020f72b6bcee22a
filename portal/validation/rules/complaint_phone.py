"""missing-complaint-phone: the list names no complaint phone, or none that could be dialled.

Basis: 穗商务规字〔2021〕4号 (each list publishes a complaint phone beside the fees).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity

CODE = "missing-complaint-phone"
SEVERITY = Severity.ERROR
BASIS = "穗商务规字〔2021〕4号"
MIN_DIGITS = 7

EMPTY = N_("The list gives no complaint phone; publish a number the public can call to complain.")
IMPLAUSIBLE = N_("The complaint phone {value} does not look like a phone number; write a number of at least 7 digits.")
HOTLINE_ONLY = N_(
    "The complaint phone {value} is a government hotline, not the operator's own number; publish a number of the "
    "operator's own that the public can call to complain (the hotline may stay beside it)."
)
# Government hotlines a list may print beside its own number: the city's service line, market supervision (which
# took over the price-report line 12358), customs and tax.
HOTLINES = frozenset({"12345", "12315", "12358", "12360", "12366"})

_NUMBER = re.compile(r"\+?\d[\d\- ()]*\d")


def has_phone_number(text: str) -> bool:
    """Whether the text holds a number of at least 7 digits (area codes, hyphens and spaces allowed)."""
    return any(len(number) >= MIN_DIGITS for number in _numbers(text))


def check(ctx: Context) -> Iterator[Finding]:
    phone = ctx.header.complaint_phone.strip()
    if not phone:
        yield ctx.header_finding(CODE, SEVERITY, EMPTY, "complaint_phone", BASIS)
    elif not has_phone_number(phone):
        numbers = _numbers(phone)
        message = HOTLINE_ONLY if numbers and all(number in HOTLINES for number in numbers) else IMPLAUSIBLE
        yield ctx.header_finding(CODE, SEVERITY, message, "complaint_phone", BASIS, value=phone)


def _numbers(text: str) -> list[str]:
    """The numbers written, digits only."""
    return ["".join(filter(str.isdigit, number)) for number in _NUMBER.findall(unicodedata.normalize("NFKC", text))]
