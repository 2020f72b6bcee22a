"""The enumerated columns of a fee line read from text: pricing class, currency, pass-through flag, change mark."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from portal.validation.model import PricingClass

CHANGE_MARKS = frozenset({"A", "D", "I", "R", "C"})

_CURRENCIES = {
    "": "CNY",
    "CNY": "CNY",
    "RMB": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "人民币元": "CNY",
    "¥": "CNY",
    "USD": "USD",
    "US$": "USD",
    "美元": "USD",
    "$": "USD",
}
_FLAGS = {"是": True, "Y": True, "YES": True, "否": False, "N": False, "NO": False}
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=512)
def _compact(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).upper()


@lru_cache(maxsize=512)
def parse_pricing_class(text: str) -> PricingClass | None:
    """The 定价方式 written, None when blank; ValueError when it is not one of the five classes."""
    compact = _compact(text)
    return PricingClass(compact) if compact else None


@lru_cache(maxsize=512)
def parse_currency(text: str) -> str:
    """CNY (also blank, 人民币, RMB, 元) or USD (also 美元, US$); ValueError for anything else."""
    try:
        return _CURRENCIES[_compact(text)]
    except KeyError:
        raise ValueError(f"{text!r} is not an accepted currency") from None


@lru_cache(maxsize=512)
def parse_flag(text: str) -> bool | None:
    """The 代收代付 flag: 是/Y is True, 否/N is False, blank is None; ValueError otherwise."""
    compact = _compact(text)
    if not compact:
        return None
    try:
        return _FLAGS[compact]
    except KeyError:
        raise ValueError(f"{text!r} is not 是/否 or Y/N") from None


@lru_cache(maxsize=512)
def parse_change_mark(text: str) -> str | None:
    """The change mark A, D, I, R or C (upper-cased), None when blank; ValueError otherwise."""
    compact = _compact(text)
    if not compact:
        return None
    if compact not in CHANGE_MARKS:
        raise ValueError(f"{text!r} is not one of A, D, I, R, C")
    return compact
