"""The one reader of `?as_of=YYYY-MM-DD`, the day a page or the API shows the catalogue in force on.

Absent or blank: today (China's day, portal.clock). Anything but a real date written YYYY-MM-DD is refused with
`InvalidInput`, which web/errors.py turns into a 400 page in the user's language, or the API's JSON error: a
mistyped date never silently shows another day's prices.
"""

from __future__ import annotations

import re
from datetime import date

from flask import request

from portal import clock
from portal.errors import InvalidInput
from portal.validation.findings import N_

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # also the API's OpenAPI pattern for as_of
_DATE = re.compile(DATE_PATTERN)
NOT_A_DATE = N_("{value} is not a date; write it as 2026-11-23.")  # the invoice check's words: one translation
SHOWN = 40  # characters of a refused value repeated in the message


def parse_as_of(text: str | None) -> date:
    """The day `text` names; today when None or blank; InvalidInput (a 400) when it is not a date."""
    text = (text or "").strip()
    if not text:
        return clock.today()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(NOT_A_DATE, value=text[:SHOWN]) from None


def requested_day(name: str = "as_of") -> date:
    """The date asked for in the query string, today when none; InvalidInput (400) when it is not a date."""
    return parse_as_of(request.args.get(name))


def requested_day_and_link_args(name: str = "as_of") -> tuple[date, dict[str, str]]:
    """The date asked for, and the URL argument that keeps it on the page's links (none when none was asked)."""
    day = requested_day(name)
    return day, ({name: day.isoformat()} if request.args.get(name, "").strip() else {})
