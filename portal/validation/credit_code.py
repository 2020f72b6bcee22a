"""The unified social credit code (统一社会信用代码) of GB 32100-2015: character set, weights, check character."""

from __future__ import annotations

import unicodedata

from portal.validation.vocabulary import SPACES

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUES = {character: value for value, character in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """The 18th character for the first 17: 31 - (sum of value x weight mod 31), where 31 becomes 0.

    Raises ValueError when `first17` is not 17 characters of the GB 32100-2015 set.
    """
    if len(first17) != len(WEIGHTS) or any(c not in _VALUES for c in first17):
        raise ValueError(f"{first17!r} is not 17 characters of the GB 32100-2015 character set")
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether `code` is 18 characters of the set with the right check character (spaces and case are forgiven)."""
    compact = SPACES.sub("", unicodedata.normalize("NFKC", code)).upper()
    if len(compact) != LENGTH or any(c not in _VALUES for c in compact):
        return False
    return check_character(compact[:-1]) == compact[-1]
