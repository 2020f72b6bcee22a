"""Working-day arithmetic for complaint deadlines: Monday to Friday, less an optional set of public holidays."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from portal.validation.dates import parse_date

SATURDAY = 5
ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date] = frozenset()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, n: int, holidays: Collection[date] = frozenset()) -> date:
    """The day `n` working days after `start` (`start` itself is not counted, whatever day it is)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date] = frozenset()) -> int:
    """Working days after `start` up to and including `end`; negative (the days past) when `end` is earlier."""
    if end < start:
        return -working_days_between(end, start, holidays)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day, holidays)
    return count


def parse_holidays(values: Iterable[str | date]) -> frozenset[date]:
    """Holidays from configuration: dates or ISO strings ("2026-10-01"); ValueError names a bad entry."""
    return frozenset(v if isinstance(v, date) else parse_date(v) for v in values)
