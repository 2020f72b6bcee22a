"""Numeric query parameters with a range: outside it (or not a whole number) a 400 naming the parameter and the
range, in the user's language; never a number so long that converting it overflows (a 500) or a database integer.

`query_int` reads a URL argument for a route; `BoundedIntegerField` is the form field for GET forms. Both refuse
more digits than the range needs before converting, so a 309-digit number costs nothing.
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext
from wtforms import IntegerField

from portal.errors import InvalidInput
from portal.validation.findings import N_

DATABASE_ID_MAX = 2**31 - 1  # the largest row id either database stores in an INTEGER column
_WHOLE = re.compile(r"[0-9]{1,12}")
OUT_OF_RANGE = N_("{name} must be a whole number from {minimum} to {maximum}.")


def whole_number(text: str, minimum: int, maximum: int) -> int | None:
    """`text` as an int within [minimum, maximum], or None (too long, not digits, out of range)."""
    text = text.strip()
    if text.startswith("-") and minimum < 0:
        value = whole_number(text[1:], 0, -minimum)
        return -value if value is not None else None
    if not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def query_int(name: str, default: int | None, minimum: int, maximum: int) -> int | None:
    """The URL argument `name` as an int in [minimum, maximum]; `default` when absent or blank; else a 400."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    value = whole_number(text, minimum, maximum)
    if value is None:
        raise InvalidInput(OUT_OF_RANGE, name=name, minimum=minimum, maximum=maximum)
    return value


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses anything but a whole number in its range while reading it (wtforms'
    NumberRange converts to float first: a 309-digit number raised OverflowError, a 500)."""

    def __init__(self, label=None, validators=None, *, minimum: int, maximum: int, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.data = whole_number(valuelist[0], self.minimum, self.maximum)
        if self.data is None:
            raise ValueError(
                gettext(
                    "Enter a whole number from %(minimum)s to %(maximum)s.", minimum=self.minimum, maximum=self.maximum
                )
            )
