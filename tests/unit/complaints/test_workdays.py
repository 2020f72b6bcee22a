"""Working-day arithmetic for the complaint deadline: weekends and configured holidays do not count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.complaints.workdays import add_working_days, is_working_day, parse_holidays, working_days_between

NATIONAL_DAY = parse_holidays([f"2026-10-0{d}" for d in range(1, 8)])


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # Monday -> Tuesday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday, over the weekend
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # filed on a Saturday: Monday is the first working day
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # a working week
        (date(2026, 3, 2), 15, date(2026, 3, 23)),  # three working weeks
        (date(2026, 3, 4), 15, date(2026, 3, 25)),  # Wednesday + 15 -> Wednesday three weeks on
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_working_days_are_added_skipping_weekends(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def test_holidays_from_configuration_push_the_deadline_back() -> None:
    # Filed Tuesday 29 September 2026: the National Day week (1-7 October) does not count.
    assert add_working_days(date(2026, 9, 29), 15) == date(2026, 10, 20)
    assert add_working_days(date(2026, 9, 29), 15, NATIONAL_DAY) == date(2026, 10, 27)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), 0),
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Friday to Monday
        (date(2026, 3, 2), date(2026, 3, 23), 15),
        (date(2026, 3, 9), date(2026, 3, 6), -1),  # one working day past
        (date(2026, 3, 7), date(2026, 3, 8), 0),  # a weekend holds none
    ],
)
def test_working_days_between_two_dates_count_only_weekdays(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_adding_and_counting_agree() -> None:
    for offset in range(30):
        start = date(2026, 9, 20) + timedelta(days=offset)
        due = add_working_days(start, 15, NATIONAL_DAY)
        assert working_days_between(start, due, NATIONAL_DAY) == 15
        assert is_working_day(due, NATIONAL_DAY)


def test_a_weekday_holiday_is_not_a_working_day() -> None:
    assert is_working_day(date(2026, 10, 1)) is True
    assert is_working_day(date(2026, 10, 1), NATIONAL_DAY) is False
    assert is_working_day(date(2026, 10, 3)) is False  # a Saturday


def test_a_negative_count_is_refused_and_a_bad_holiday_is_named() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 2), -1)
    with pytest.raises(ValueError, match="not-a-date"):
        parse_holidays(["not-a-date"])
