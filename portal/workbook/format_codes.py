"""Number format codes: how a cell's format shows its number, where what the operator sees is not the number.

These cases change what a fee list says:

- a percent sign in the code (`0%`, `0.0%`): the number is shown times 100 with %, so 10% typed in a cell is stored
  as 0.1 (PERCENT);
- a percent sign written as text (`0"%"`, `0\\%`): the number is shown as it is, followed by % (PERCENT_SIGN), so 10
  is seen as 10%;
- a fixed number of decimal places (`0`, `0.00`, `#,##0.00`, the accounting formats): the number is shown rounded,
  so 13.8888888889 (a price worked out by a formula and pasted as a value) is seen as 13.89;
- an empty section for positive numbers (`;;;` hides any value, `;` numbers only): the cell shows nothing (HIDDEN,
  HIDDEN_ALL), whatever it holds, and an office hides an old price so rather than deleting it;
- a currency sign or code in the code (`"$"#,##0.00`, `[$USD] #,##0`, `0.00"元"`): the number is shown as a price in
  that currency (Priced), so 100 in a cell formatted `"$"#,##0.00` is seen as $100.00, a price in US dollars, whatever
  the line's 币种 (currency) column says;
- words written before or after the number (`0"元/票起"`, `"约"0`): the number is shown with them (Worded), so 100
  is seen as 100元/票起, "100 or more"; the reader decides which words change what a price says (shown.py).

Standard library only: the .xls reader runs in the sandbox's child process (sandbox.py), which loads this file
beside oldformats.py.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

PERCENT = "percent"  # shown times 100, with a percent sign
PERCENT_SIGN = "percent-sign"  # shown as it is, with a percent sign written as text
HIDDEN = "hidden"  # a number not shown at all: the format's section for it is empty (;;)
HIDDEN_ALL = "hidden-all"  # neither numbers nor text shown (;;;), the way to hide a cell's content in Excel


class Priced(NamedTuple):
    """A number shown as a price in `currency` (an ISO 4217 code) by the `sign` its format writes beside it ($, US$,
    ¥, 元), and how the format shows the number itself (the decimal places it is rounded to, or None: as it is)."""

    currency: str
    sign: str
    shown: int | None = None


class Worded(NamedTuple):
    """A number shown with words the format writes before and after it, and how the number itself is shown (the
    decimal places it is rounded to, Priced, or None: as it is)."""

    before: str
    after: str
    shown: int | Priced | None = None


# PERCENT, PERCENT_SIGN, the decimal places a number is rounded to, a price's currency, or the words around it
Shown = str | int | Priced | Worded

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
    PERCENT, PERCENT_SIGN, the count of decimal places it is rounded to, Priced when it writes a currency beside
    the number, Worded when it writes other words before or after it; None for a code showing it as it is
    (General), as no number (text, dates, times) or as another kind of number (fractions, scientific notation,
    thousands scaled by a trailing comma)."""
    first = _first_section(code)
    if ";" in code and not _BRACKETS.sub("", first).strip():
        return HIDDEN_ALL if _hides_text(code) else HIDDEN
    bare = _BRACKETS.sub("", _TEXT.sub("", first))  # the section without its text and brackets
    how = _number_or_price(first, bare)
    if how == PERCENT or how == PERCENT_SIGN:
        return how
    if how is None and _LETTERS.search(_GENERAL.sub("", bare)):
        return None  # a date, a time, text (@): no number shown with words
    words = _words(first)
    if words is None or not has_words(*words):
        return how
    return Worded(*words, how if isinstance(how, int | Priced) else None)


def has_words(before: str, after: str) -> bool:
    """Whether the text around a number says more than a currency sign and spaces (Priced says that)."""
    return bool(_SIGNS.sub("", before + after).strip(" %"))


_TOKENS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|general|[0#?]|.', re.IGNORECASE | re.DOTALL)


def _words(first: str) -> tuple[str, str] | None:
    """The quoted and escaped text the section `first` writes before its first digit placeholder (or General) and
    after its last: ("约", "") for "约"0, ("", "元/票起") for 0"元/票起"; None when it has no placeholder."""
    before: list[str] = []
    after: list[str] = []
    seen = False
    for piece in _TOKENS.findall(first):
        if piece in ("0", "#", "?") or piece.lower() == "general":
            seen = True
            after = []  # text between placeholders (0" "000) is part of the number
        elif piece[0] in '"\\':
            (after if seen else before).append(_written(piece))
    return ("".join(before), "".join(after)) if seen else None


def _number_or_price(first: str, bare: str) -> Shown | None:
    """How the section `first` (`bare` without its text and brackets) shows the number itself: rounded, as a
    percentage, in a currency."""
    how = _number_shown(first, bare)
    if how == PERCENT or how == PERCENT_SIGN:
        return how
    priced = _currency(first, bare)
    if priced is None:
        return how
    if how is None and _GENERAL.sub("", bare).strip(" $¥￥€£()-+") != "":
        return None  # a date, a time, a fraction: no price
    currency, sign = priced
    return Priced(currency, sign, how if isinstance(how, int) else None)


def _hides_text(code: str) -> bool:
    """Whether the code's fourth section, for text, is there and empty (;;;): a text cell shows nothing either."""
    sections, quoted, start = [], False, 0
    for at, char in enumerate(code):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append(code[start:at])
            start = at + 1
    sections.append(code[start:])
    return len(sections) >= 4 and not _BRACKETS.sub("", sections[3]).strip()


def _number_shown(first: str, bare: str) -> Shown | None:
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


# What a format writes beside a number that names a currency, longest first (US$ before $): the signs as the portal's
# users mean them (¥ and 元 yuan, $ US dollars), the ISO codes and the Chinese names. One currency per format: a
# code naming two (rare, and no price) names none.
CURRENCY_SIGNS: dict[str, str] = {
    "US$": "USD", "USD": "USD", "美元": "USD", "美金": "USD", "$": "USD",
    "HK$": "HKD", "HKD": "HKD", "港币": "HKD", "港元": "HKD",
    "RMB": "CNY", "CNY": "CNY", "人民币": "CNY", "元": "CNY", "¥": "CNY", "￥": "CNY",
    "EUR": "EUR", "€": "EUR", "欧元": "EUR", "GBP": "GBP", "£": "GBP", "英镑": "GBP",
    "JPY": "JPY", "日元": "JPY", "円": "JPY",
}  # fmt: skip
_SIGNS = re.compile("|".join(re.escape(sign) for sign in sorted(CURRENCY_SIGNS, key=len, reverse=True)))
_GENERAL = re.compile("general", re.IGNORECASE)
_LOCALE_CURRENCY = re.compile(r"\[\$([^\]-]*)(?:-([0-9A-Fa-f]+))?\]")  # [$USD], [$$-409], [$¥-804], [$-409] (none)
_JAPANESE = "411"  # the locale of [$¥-411]: yen
_UNQUOTED_SIGNS = re.compile(r"[$¥￥€£]")


def _currency(first: str, bare: str) -> tuple[str, str] | None:
    """The currency the section `first` writes beside its number, and the sign as written: from its quoted and
    escaped text, a [$sign-locale] bracket, or a sign left unquoted ($, ¥, €, £); None for none or for two."""
    found: list[tuple[str, str]] = []
    for bracket in _LOCALE_CURRENCY.finditer(first):
        sign, locale = bracket.group(1), (bracket.group(2) or "").upper()
        if sign:
            yen = sign in ("¥", "￥") and locale == _JAPANESE
            found.append(("JPY", sign) if yen else _named(sign))
    texts = [_written(piece) for piece in _TEXT.findall(first) if piece[0] in '"\\']  # quoted, escaped
    texts += _UNQUOTED_SIGNS.findall(bare)
    for text in texts:
        found += [(CURRENCY_SIGNS[sign], sign) for sign in _SIGNS.findall(text.upper() if text.isascii() else text)]
    found = [pair for pair in found if pair[0]]
    if len({currency for currency, _ in found}) != 1:
        return None
    return found[0]


def _written(piece: str) -> str:
    return piece[1:-1] if piece.startswith('"') else piece[1:]


def _named(sign: str) -> tuple[str, str]:
    """A [$sign-locale] bracket's currency ("" for none or two) and its sign (a code upper-cased: [$usd] is USD)."""
    sign = sign.upper() if sign.isascii() else sign
    signs = _SIGNS.findall(sign)
    return (CURRENCY_SIGNS[signs[0]], sign) if len({CURRENCY_SIGNS[s] for s in signs}) == 1 else ("", sign)


def currency_in(text: str) -> tuple[str, str] | None:
    """The currency a number's shown text names beside it (an .ods cell's $100.00, 100.00 元), and its sign."""
    found = {(CURRENCY_SIGNS[sign], sign) for sign in _SIGNS.findall(text)}
    return next(iter(found)) if len({currency for currency, _ in found}) == 1 else None


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
