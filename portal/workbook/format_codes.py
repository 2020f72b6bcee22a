"""Number format codes: how a cell's format shows its number, where what the operator sees is not the number.

Three cases change what a fee list says:

- a percent sign in the code (`0%`, `0.0%`): the number is shown times 100 with %, so 10% typed in a cell is stored
  as 0.1 (PERCENT);
- a percent sign written as text (`0"%"`, `0\\%`): the number is shown as it is, followed by % (PERCENT_SIGN), so 10
  is seen as 10%;
- a fixed number of decimal places (`0`, `0.00`, `#,##0.00`, the accounting formats): the number is shown rounded,
  so 13.8888888889 (a price worked out by a formula and pasted as a value) is seen as 13.89.

Standard library only: the .xls reader runs in the sandbox's child process (sandbox.py), which loads this file
beside oldformats.py.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

PERCENT = "percent"  # shown times 100, with a percent sign
PERCENT_SIGN = "percent-sign"  # shown as it is, with a percent sign written as text
Shown = str | int  # PERCENT, PERCENT_SIGN, or the decimal places a number is rounded to

# The built-in formats (ECMA-376 18.8.30, with the Chinese (PRC) currency and accounting codes) that show numbers:
# General (0), text (49), dates and times, fractions and scientific notation show a number as it is or not as one.
BUILT_IN: dict[int, Shown] = {1: 0, 2: 2, 3: 0, 4: 2, 5: 0, 6: 0, 7: 2, 8: 2, 9: PERCENT, 10: PERCENT}
BUILT_IN |= {37: 0, 38: 0, 39: 2, 40: 2, 41: 0, 42: 0, 43: 2, 44: 2}

_TEXT = re.compile(r'"[^"]*"|\\.|_.|\*.')  # quoted text, an escaped character, a space the width of one, a fill
_BRACKETS = re.compile(r"\[[^\]]*\]")  # [Red], [$¥-804], [>=100], [DBNum1]
_LETTERS = re.compile(r"[A-Za-z/?@]")  # left outside text: General, dates, times, E+00, fractions, text (@)
_PLACEHOLDER = re.compile(r"[0#]")
_SCALED = re.compile(r"[0#],+(?![0#])")  # 0, or #,##0,, : shown in thousands or millions
_DECIMALS = re.compile(r"\.([0#]*)")


def _first_section(code: str) -> str:
    """The part of `code` for positive numbers: up to the first ; outside quoted text."""
    quoted = False
    for at, char in enumerate(code):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return code[:at]
    return code


def shown_as(code: str) -> Shown | None:
    """How the format `code` shows a positive number, when that differs from the number as calamine gives it:
    PERCENT, PERCENT_SIGN, or the count of decimal places it is rounded to; None for a code showing it as it is
    (General), as no number (text, dates, times) or as another kind of number (fractions, scientific notation,
    thousands scaled by a trailing comma)."""
    first = _first_section(code)
    bare = _BRACKETS.sub("", _TEXT.sub("", first))
    if "%" in bare:
        return PERCENT
    if not _PLACEHOLDER.search(bare) or _LETTERS.search(bare):
        return None
    if "%" in first:
        return PERCENT_SIGN
    if _SCALED.search(bare):
        return None
    decimals = _DECIMALS.search(bare)
    return len(decimals.group(1)) if decimals else 0


def built_in(number: int) -> Shown | None:
    """`shown_as` of a built-in format, by its number."""
    return BUILT_IN.get(number)


def exact(value: float | int) -> Decimal:
    """A cell's number as Excel shows it in General: 15 significant digits (cells.cell_text reads it so)."""
    return Decimal(format(value, ".15g"))


def rounded(value: float | int, decimals: int) -> Decimal | None:
    """What a format with `decimals` places shows of `value` (Excel rounds half away from zero), or None when it
    shows `value` itself."""
    number = exact(value)
    if not number.is_finite():
        return None
    shown = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return None if shown == number else shown
