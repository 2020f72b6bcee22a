"""Dates as operators write them (2026-01-01, 2026/1/1, 2026.1.1, 2026年1月1日, 20260101, 自2026年1月1日起执行) read
into `date`."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
# A date written as where a list starts to apply: 自2026年1月1日起执行 is 2026-01-01 (截至, "until", is not one).
_FROM_WORDS = re.compile(r"^(?:自|从)\s*|\s*(?:起|开始)(?:执行|施行|实施|生效)?$|\s*(?:执行|施行|实施|生效)$")
_PATTERNS = (
    re.compile(rf"(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_TIME}"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


@lru_cache(maxsize=1024)
def parse_date(text: str) -> date:
    """The date `text` names; raises ValueError when it names none (or an impossible one, like 2026-02-30)."""
    return _parse_date(text)


@lru_cache(maxsize=4096)
def is_date(text: str) -> bool:
    """Whether `text` reads as a date (parse_date). Cached: a standard that is no date is asked once per text (an
    exception is not cached, so parse_date alone would read it again line after line)."""
    return _is_date(text)


def _is_date(text: str) -> bool:
    try:
        _parse_date(text)
    except ValueError:
        return False
    return True


def _parse_date(text: str) -> date:
    compact = unicodedata.normalize("NFKC", text).strip()
    compact = _FROM_WORDS.sub("", re.sub(r"\s+", " ", compact))
    for pattern in _PATTERNS:
        match = pattern.fullmatch(compact)
        if match is not None:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise ValueError(f"{text!r} is not a date")


def one_year_before(day: date) -> date:
    """The same calendar day a year earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
