"""The enumerated columns of a fee line read from text: pricing class, currency, pass-through flag, change mark.

The words themselves live in portal.validation.vocabulary; these are the validator's readers of them.
"""

from __future__ import annotations

from functools import lru_cache

from portal.validation.model import PricingClass
from portal.validation.vocabulary import CURRENCY_WORDS, ChangeMark, compact, parse_yes_no

CHANGE_MARKS = frozenset(ChangeMark)


@lru_cache(maxsize=512)
def parse_pricing_class(text: str) -> PricingClass | None:
    """The 定价方式 written, None when blank; ValueError when it is not one of the five classes."""
    word = compact(text)
    return PricingClass(word) if word else None


@lru_cache(maxsize=512)
def parse_currency(text: str) -> str:
    """CNY (also blank, 人民币, RMB, 元) or USD (also 美元, US$); ValueError for anything else."""
    try:
        return CURRENCY_WORDS[compact(text)]
    except KeyError:
        raise ValueError(f"{text!r} is not an accepted currency") from None


@lru_cache(maxsize=512)
def parse_flag(text: str) -> bool | None:
    """The 代收代付 flag (vocabulary.parse_yes_no): True, False, None when blank; ValueError otherwise."""
    return parse_yes_no(text)


@lru_cache(maxsize=512)
def parse_change_mark(text: str) -> str | None:
    """The change mark A, D, I, R or C (upper-cased), None when blank; ValueError otherwise."""
    word = compact(text)
    if not word:
        return None
    if word not in CHANGE_MARKS:
        raise ValueError(f"{text!r} is not one of A, D, I, R, C")
    return word
