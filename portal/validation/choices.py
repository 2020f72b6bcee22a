"""The enumerated columns of a fee line read from text: pricing class, currency, pass-through flag, change mark.

The words themselves live in portal.validation.vocabulary; these are the validator's readers of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from portal.validation.model import PricingClass
from portal.validation.vocabulary import CURRENCY_WORDS, OTHER_CURRENCY_WORDS, ChangeMark, compact, parse_yes_no

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


OTHER = "other"  # a currency the portal does not accept (港币, EUR ...), as currencies_named names it
# Currency words inside a standard's text, longest first; 元 alone is the yuan unless another currency's name ends
# in it (美元, 港元, 欧元, 日元 ...).
_NAMED = sorted(
    [(word, code) for word, code in CURRENCY_WORDS.items() if word and word != "元"]
    + [(word, OTHER) for word in OTHER_CURRENCY_WORDS],
    key=lambda pair: -len(pair[0]),
)
_CURRENCY_IN_TEXT = re.compile(
    "|".join(f"({re.escape(word)})" for word, _code in _NAMED) + r"|((?<![美港欧日澳加韩坡])元)"
)
_CODES = [code for _word, code in _NAMED] + ["CNY"]


@lru_cache(maxsize=2048)
def currencies_named(text: str) -> frozenset[str]:
    """The currencies a standard's text names (100美元: USD; 1-7天免费；8-14天85元/天: CNY; HK$100: OTHER), compared
    as NFKC and upper-cased; empty when it names none."""
    found = _CURRENCY_IN_TEXT.finditer(unicodedata.normalize("NFKC", text).upper())
    return frozenset(_CODES[match.lastindex - 1] for match in found if match.lastindex)


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
